// Constructs of more of ngspice 39's example decks: string-valued parameters
// (examples/numparam/strings.cir), an included file read past its '.end'
// (p-to-n-examples/OPA171.txt), a TABLE whose '(' is never closed
// (MCP6041.txt), .meas cards ngspice fails one by one (measure/buggy-meas-tran.sp),
// .probe p(dev) (probe/Dual-NMOS-amp.cir) and the optran command (optran/).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "netlist_test_util.hpp"
#include "simcore/ir.hpp"
#include "simcore/params.hpp"
#include "simcore/simulate.hpp"

using namespace simcore;
using namespace simcore::testutil;

namespace {

const ir::Device* findDevice(const ir::Circuit& c, const std::string& name) {
  for (const auto& d : c.devices)
    if (d.name == name) return &d;
  return nullptr;
}

const ir::Model* findModel(const ir::Circuit& c, const std::string& name) {
  for (const auto& m : c.models)
    if (m.name == name) return &m;
  return nullptr;
}

std::vector<double> tableOf(const ir::Circuit& c, const std::string& model) {
  const ir::Model* m = findModel(c, model);
  EXPECT_NE(m, nullptr) << model;
  if (!m) return {};
  for (const auto& p : m->params)
    if (p.name == "table_values") return p.values;
  ADD_FAILURE() << "no table_values in " << model;
  return {};
}

using Files = std::map<std::string, std::string>;

Result<ir::Circuit> parseWith(const std::string& text, const Files& files) {
  ir::ParseOptions po;
  po.fileName = "t.cir";
  po.resolver = [files](std::string_view path, std::string_view) -> Result<ir::ResolvedFile> {
    auto it = files.find(std::string(path));
    if (it == files.end()) return makeError(ErrorCode::Semantic, "no such file");
    return ir::ResolvedFile{it->first, it->second};
  };
  return ir::parseNetlist(text, po);
}

const std::string kLutTail =
    "v1 a1 0 pulse 1 0 0 1n 1n 0.5u 1u\nv2 a2 0 pulse 1 0 0 1n 1n 1u 2u\nv3 a3 0 pulse 1 0 0 1n 1n 2u 4u\n"
    "aadc [ a1 a2 a3 ] [ d1 d2 d3 ] adc\n.model adc adc_bridge in_low=0.5 in_high=0.5\n.tran 0.1u 4u\n";

}  // namespace

TEST(NetlistNg39Examples, StringParametersGiveLutTables) {
  // "0001" is 0 0 0 1; or{and} joins two string parameters; table=or passes one to a sub-circuit
  auto c = ok("t\n.param and=\"0001\" or=\"0111\"\n.model l_and d_lut table_values=and\naand [ d1 d2 ] o_and l_and\n"
              "xor d1 d2 o_or pgate table=or\n.subckt pgate 1 2 out table=\"0000\"\n.model poly d_lut table_values=table\n"
              "ap [ 1 2 ] out poly\n.ends\n.param both=or{and}\nxboth d1 d2 d3 o_both pgate3 table=both\n"
              ".subckt pgate3 1 2 3 out table=\"00000000\"\n.model poly3 d_lut table_values=table\nap3 [ 1 2 3 ] out poly3\n"
              ".ends\nxdef d1 d2 o_def pgate\n" +
              kLutTail);
  EXPECT_EQ(tableOf(c, "l_and"), (std::vector<double>{0, 0, 0, 1}));
  EXPECT_EQ(tableOf(c, "xor.poly"), (std::vector<double>{0, 1, 1, 1}));
  EXPECT_EQ(tableOf(c, "xboth.poly3"), (std::vector<double>{0, 1, 1, 1, 0, 0, 0, 1}));
  EXPECT_EQ(tableOf(c, "xdef.poly"), (std::vector<double>{0, 0, 0, 0}));  // the sub-circuit's default
}

TEST(NetlistNg39Examples, AStringParameterUsedAsANumberIsALocatedError) {
  Error e = err("t\n.param s=\"0101\"\nR1 a 0 {s}\nV1 a 0 1\n.op\n");
  EXPECT_TRUE(contains(e.message, "parameter 's' is a string (\"0101\")")) << e.message;
  EXPECT_EQ(e.loc.line, 3);
  Error j = err("t\n.param s=\"01\"{nothere}\nR1 a 0 1k\nV1 a 0 1\n.op\n");
  EXPECT_TRUE(contains(j.message, "names something that is not a string parameter")) << j.message;
  EXPECT_EQ(j.loc.line, 2);
}

TEST(NetlistNg39Examples, TopLevelParamsListOnlyTheNumbers) {
  // (what co-simulation and the front ends offer to override: a string parameter is not one)
  auto p = topLevelParams("t\n.param s=\"0101\" n=2\nR1 a 0 {n}\nV1 a 0 1\n.op\n.end\n");
  ASSERT_TRUE(p.ok()) << p.error().format();
  ASSERT_EQ(p.value().size(), 1u);
  EXPECT_EQ(p.value()[0].name, "n");
  EXPECT_EQ(p.value()[0].value, 2.0);
}

TEST(NetlistNg39Examples, AnIncludedFileIsReadPastItsEnd) {
  // ngspice 39 reads every line of an included file; a '.end' there ends nothing
  auto c = parseWith("t\n.include lib.txt\nX1 a 0 late\nV1 a 0 1\n.op\n.end\nR9 a 0 1k\n",
                     {{"lib.txt", "* a library\n.subckt early a b\nR1 a b 1k\n.ends\n.end\n.subckt late a b\nR2 a b 2k\n.ends\n"}});
  ASSERT_TRUE(c.ok()) << c.error().format();
  EXPECT_NE(findDevice(c.value(), "x1.r2"), nullptr);
  EXPECT_EQ(findDevice(c.value(), "r9"), nullptr);  // (the netlist's own '.end' still ends it)
}

TEST(NetlistNg39Examples, ATableWhoseParenthesisIsNeverClosedReadsItsPairs) {
  // MCP6041.txt: G36 ... TABLE {V(35,4)} ((-3.5k,-1)((-3.4k,-1n)(0,0)(1,1n))
  auto c = ok("t\nV1 a 0 0.5\nR1 a 0 1k\nG36 b 0 TABLE {V(a)} ((-3.5k,-1)((-3.4k,-1n)(0,0)(1,1n))\nR2 b 0 1\n"
              "G35 c 0 TABLE {V(a)} ((-1,-1n)(0,0)(3.4k,1n))(3.5k,1))\nR3 c 0 1\n.op\n");
  EXPECT_EQ(countWarnings(c, "'(' in the TABLE of 'G36' is never closed"), 1);
  EXPECT_EQ(countWarnings(c, "stray ')'"), 1);
  ASSERT_NE(findDevice(c, "g36"), nullptr);
  ASSERT_NE(findDevice(c, "g35"), nullptr);
  // elsewhere an unclosed '(' is still an error
  Error e = err("t\nV1 a 0 1\nR1 a 0 (1k\n.op\n");
  EXPECT_TRUE(contains(e.message, "'(' is never closed")) << e.message;
}

TEST(NetlistNg39Examples, AMeasCardThatCannotBeReadFailsAlone) {
  auto c = ok("t\nV1 1 0 sin(0 1 1k)\nR1 1 0 1k\n.tran 10u 2m\n"
              ".measure tra t1 TRIG v(1) VAL=0.5 RISE=1 TARG v(1) VAL=0.5 RISE=2\n"
              ".measure tran t2 TRIG v(1 VAL=0.5 RISE=1 TARG v(1) VAL=0.5 FALL=1\n"
              ".measure tran t3 TRIG v(1) VAL=0.5 RISE=1 TARG v(1) VAL=0.5 RISE=2\n");
  ASSERT_EQ(c.measures.size(), 1u);
  EXPECT_EQ(c.measures[0].name, "t3");
  // WHEN v(2)==v(1): the doubled '=' read as one, as ngspice 39 reads it
  auto w = ok("t\nV1 1 0 sin(0 1 1k)\nV2 2 0 0.5\nR1 1 0 1k\n.tran 10u 2m\n.measure tran te WHEN v(2)==v(1) FALL=LAST\n");
  ASSERT_EQ(w.measures.size(), 1u);
  EXPECT_EQ(w.measures[0].trig.signal2, "v(1)");
  EXPECT_EQ(countWarnings(c, "'.measure t1' left out"), 1);
  EXPECT_EQ(countWarnings(c, "'.measure t2' left out: unbalanced parentheses"), 1);
  for (const auto& w : c.warnings)
    if (contains(w.message, "'.measure t2' left out")) EXPECT_EQ(w.loc.line, 6);
}

TEST(NetlistNg39Examples, ProbePowerOfADeviceAndOfASubcircuit) {
  // p(R1): v*i of the resistor; p(X1): the power into the sub-circuit at its pins
  const std::string deck =
      "t\nV1 a 0 2\nR1 a b 1k\nX1 b 0 load\n.subckt load p n\nR2 p m 500\nR3 m n 500\n.ends\n.probe p(R1) p(X1) p(nothere)\n"
      ".control\nop\nprint r1:power x1:power\n.endc\n.end\n";
  auto c = ok(deck);
  EXPECT_EQ(countWarnings(c, ".probe p(nothere) ignored"), 1);
  const ir::Device* v = findDevice(c, "vcurr_r1:probe_int_n1:1_a");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->nodes, (std::vector<std::string>{"a", "probe_int_a_r1_1"}));
  EXPECT_EQ(findDevice(c, "r1")->nodes, (std::vector<std::string>{"probe_int_a_r1_1", "probe_int_b_r1_2"}));
  EXPECT_NE(findDevice(c, "vcurr_x1:probe_int_p:1_b"), nullptr);
  EXPECT_EQ(findDevice(c, "x1.r2")->nodes[0], "probe_int_b_x1_1");
  auto r = simulateText(deck);
  ASSERT_TRUE(r.ok()) << r.error().format();
  // 1 mA: 1 mW in R1 and in X1
  EXPECT_TRUE(contains(r.value().script.text, "r1:power = 1.000000e-03")) << r.value().script.text;
  EXPECT_TRUE(contains(r.value().script.text, "x1:power = 1.000000e-03")) << r.value().script.text;
}

TEST(NetlistNg39Examples, ProbePowerTwiceOrInABranchNotTaken) {
  // p(R1) twice: probed once, warned; p(X1) in an .if branch not taken: X1's pins stay joined
  const std::string deck =
      "t\n.param on=0\nV1 a 0 2\nR1 a b 1k\nX1 b 0 load\n.subckt load p n\nR2 p n 1k\n.ends\n.probe p(R1) p(R1)\n"
      ".if (on == 1)\n.probe p(X1)\n.endif\n.control\nop\nprint v(b) r1:power\n.endc\n.end\n";
  auto c = ok(deck);
  EXPECT_EQ(countWarnings(c, "the power of 'r1' is probed already"), 1);
  EXPECT_EQ(findDevice(c, "bprobe_int_x1power"), nullptr);
  EXPECT_NE(findDevice(c, "vcurr_x1:probe_int_p:1_b"), nullptr);  // (the pin moved, and joined again)
  auto r = simulateText(deck);
  ASSERT_TRUE(r.ok()) << r.error().format();
  EXPECT_TRUE(contains(r.value().script.text, "v(b) = 1.000000e+00")) << r.value().script.text;
  EXPECT_TRUE(contains(r.value().script.text, "r1:power = 1.000000e-03")) << r.value().script.text;
}

TEST(NetlistNg39Examples, OptranIsReadIntoTheOptions) {
  auto r = simulateText("t\nV1 a 0 1\nR1 a 0 1k\n.control\noptran 0 0 0 100n 10u 0\nop\nprint v(a)\n.endc\n.end\n");
  ASSERT_TRUE(r.ok()) << r.error().format();
  EXPECT_TRUE(contains(r.value().script.text, "v(a) = 1.000000e+00")) << r.value().script.text;
  auto c = ok("t\nV1 a 0 1\nR1 a 0 1k\n.control\noptran 1 0 2 10m 40 5\nop\n.endc\n.end\n");
  const ir::OpTran& o = c.options.optran;
  EXPECT_TRUE(o.given);
  EXPECT_TRUE(o.newton);
  EXPECT_EQ(o.gminSteps, 0);
  EXPECT_EQ(o.srcSteps, 2);
  EXPECT_DOUBLE_EQ(o.step, 10e-3);
  EXPECT_DOUBLE_EQ(o.stop, 40.0);
  EXPECT_DOUBLE_EQ(o.ramp, 5.0);
  EXPECT_EQ(countWarnings(c, "optran"), 0);
  EXPECT_FALSE(ok("t\nV1 a 0 1\nR1 a 0 1k\n.op\n.end\n").options.optran.given) << "off unless the command is given";
  // a bad line is ignored with a located warning (ngspice: "Error in command 'optran'")
  for (const char* line : {"optran 0 0 0 1m 10u 0", "optran 0 0 0 1u 10u 20u", "optran 0 0 1.5 1u 10u 0",
                           "optran 0 0 0 1u 10u", "optran 0 0 0 1u abc 0"}) {
    auto bad = ok(std::string("t\nV1 a 0 1\nR1 a 0 1k\n.control\n") + line + "\nop\n.endc\n.end\n");
    EXPECT_FALSE(bad.options.optran.given) << line;
    EXPECT_EQ(countWarnings(bad, "ignored"), 1) << line;
  }
  auto bad = ok("t\nV1 a 0 1\nR1 a 0 1k\n.control\noptran 0 0 0 1m 10u 0\nop\n.endc\n.end\n");
  EXPECT_EQ(countWarnings(bad, "the step 1m is larger than the final time 10u"), 1);
}
