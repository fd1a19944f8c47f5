// Constructs of ngspice 39's own example decks: "//" comments, a .control
// block left open, $oscompiled, altermod of a device, PSpice AKO models,
// ddt() in behavioural expressions and the .probe forms of inpc_probe.c.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "netlist_test_util.hpp"
#include "simcore/ir.hpp"
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

double modelParam(const ir::Model& m, const std::string& name) {
  for (const auto& p : m.params)
    if (p.name == name) return p.value;
  ADD_FAILURE() << "no parameter " << name << " in " << m.name;
  return 0;
}

bool saved(const ir::Circuit& c, const std::string& sig) {
  for (const auto& s : c.saves)
    if (s.signal == sig) return true;
  return false;
}

// Every transient row: time and one column per signal.
struct Rows {
  std::vector<std::string> names;
  std::vector<double> t;
  std::vector<std::vector<double>> v;
  const std::vector<double>& of(const std::string& n) const {
    for (std::size_t k = 0; k < names.size(); ++k)
      if (names[k] == n) return v[k];
    ADD_FAILURE() << "no signal " << n;
    static const std::vector<double> none;
    return none;
  }
};

class RowSink final : public SampleSink {
 public:
  explicit RowSink(Rows& r) : r_(r) {}
  void begin(const AnalysisHeader& h) override {
    r_ = Rows{};
    for (const auto& s : h.signals) r_.names.push_back(s.name);
    r_.v.resize(h.signals.size());
  }
  void chunk(const Chunk& ch) override {
    r_.t.insert(r_.t.end(), ch.x.begin(), ch.x.end());
    for (std::size_t k = 0; k < ch.re.size(); ++k) r_.v[k].insert(r_.v[k].end(), ch.re[k].begin(), ch.re[k].end());
  }
  void end(const AnalysisSummary&) override {}

 private:
  Rows& r_;
};

}  // namespace

TEST(NetlistNg39Forms, DoubleSlashEndsALineAsInNgspice) {
  auto c = ok("t\nV1 a 0 1\nR1 a b 20 // make bus an analogue node\nR2 b 0 1k//no blank before it\n.op\n");
  ASSERT_EQ(c.devices.size(), 3u);
  EXPECT_DOUBLE_EQ(findDevice(c, "r1")->value.value_or(0), 20.0);
  EXPECT_DOUBLE_EQ(findDevice(c, "r2")->value.value_or(0), 1000.0);
}

TEST(NetlistNg39Forms, AControlBlockLeftOpenRunsToTheEndWithAWarning) {
  auto r = simulateText("t\nV1 a 0 2\nR1 a b 1k\nR2 b 0 1k\n.control\nop\nprint v(b)\n");
  ASSERT_TRUE(r.ok()) << r.error().format();
  EXPECT_TRUE(contains(r.value().script.text, "v(b) = 1.000000e+00")) << r.value().script.text;
  auto c = ok("t\nV1 a 0 2\nR1 a 0 1k\n.control\nop\n.end\nthis line is after the end\n");
  ASSERT_EQ(countWarnings(c, "'.control' block is never closed"), 1);
  for (const auto& w : c.warnings)
    if (contains(w.message, "never closed")) EXPECT_EQ(w.loc.line, 4);
}

TEST(NetlistNg39Forms, EndcontrolClosesTheBlock) {
  auto c = ok("t\nV1 a 0 2\nR1 a 0 1k\n.control\nop\n.endcontrol\nR2 a 0 1k\n.op\n");
  EXPECT_EQ(countWarnings(c, "never closed"), 0);
  EXPECT_NE(findDevice(c, "r2"), nullptr);  // (a netlist card again after the block)
}

TEST(NetlistNg39Forms, OscompiledIsSetAsOnAnotherPlatform) {
  auto r = simulateText("t\nV1 a 0 1\nR1 a 0 1k\n.control\necho os $oscompiled\nif $oscompiled = 6\necho linux\nelse\n"
                        "echo other\nend\n.endc\n.end\n");
  ASSERT_TRUE(r.ok()) << r.error().format();
  EXPECT_TRUE(contains(r.value().script.text, "os 0\nother\n")) << r.value().script.text;
}

TEST(NetlistNg39Forms, AltermodOfADeviceChangesItsModel) {
  auto r = simulateText("t\nR1 n1 0 1k\nR2 n2 n1 rmod\n.model rmod r (r=1k)\nV1 n2 0 1\n.control\naltermod R2 r = 3k\nop\n"
                        "print v(n1)\n.endc\n.end\n");
  ASSERT_TRUE(r.ok()) << r.error().format();
  EXPECT_TRUE(contains(r.value().script.text, "v(n1) = 2.500000e-01")) << r.value().script.text;
  auto bad = simulateText("t\nR1 n1 0 1k\nV1 n1 0 1\n.control\naltermod R1 r = 3k\nop\n.endc\n.end\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(contains(bad.error().message, "no model or device with a model 'r1'")) << bad.error().message;
}

TEST(NetlistNg39Forms, AkoModelTakesTheParametersOfItsBase) {
  auto c = ok("t\n.subckt amp in out\nQ1 out in 0 QP\n.MODEL QP AKO:QBASE PNP(BF=150 VA=100)\n"
              ".MODEL QBASE PNP(IS=1.4E-15 BF=70 RB=350)\n.ends\n.model qn ako:qtop npn (bf=40)\n.model qtop npn(is=2e-15 bf=100)\n"
              "X1 a b amp\nQ2 b a 0 qn\nV1 a 0 1\nR1 b 0 1k\n.op\n");
  const ir::Model* qp = findModel(c, "x1.qp");
  ASSERT_NE(qp, nullptr);
  EXPECT_EQ(qp->type, "pnp");
  EXPECT_DOUBLE_EQ(modelParam(*qp, "bf"), 150.0);
  EXPECT_DOUBLE_EQ(modelParam(*qp, "is"), 1.4e-15);
  EXPECT_DOUBLE_EQ(modelParam(*qp, "rb"), 350.0);
  EXPECT_DOUBLE_EQ(modelParam(*qp, "va"), 100.0);
  const ir::Model* qn = findModel(c, "qn");
  ASSERT_NE(qn, nullptr);
  EXPECT_DOUBLE_EQ(modelParam(*qn, "bf"), 40.0);
  EXPECT_DOUBLE_EQ(modelParam(*qn, "is"), 2e-15);
}

TEST(NetlistNg39Forms, AkoModelErrorsNameTheCard) {
  Error e = err("t\n.model qn ako:nothere npn (bf=40)\nQ1 a b 0 qn\nV1 a 0 1\nR1 b 0 1k\n.op\n");
  EXPECT_TRUE(contains(e.message, "no model 'nothere'")) << e.message;
  EXPECT_EQ(e.loc.line, 2);
  Error t = err("t\n.model qb npn (bf=10)\n.model qn ako:qb pnp (bf=40)\nQ1 a b 0 qn\nV1 a 0 1\nR1 b 0 1k\n.op\n");
  EXPECT_TRUE(contains(t.message, "the types must agree")) << t.message;
  EXPECT_EQ(t.loc.line, 3);
}

TEST(NetlistNg39Forms, DdtIsTheTimeDerivative) {
  // a ramp of 1 V/ms, then flat: ddt = 1000 V/s, then 0; ddt of a constant is 0
  const std::string deck =
      "t\nV1 1 0 PWL(0 0 1m 1 2m 1)\nB2 2 0 V=ddt(V(1))\nB3 3 0 V=ddt(2)+v(1)\nR2 2 0 1k\nR3 3 0 1k\n.tran 10u 2m\n.end\n";
  auto c = ok(deck);
  EXPECT_NE(findDevice(c, "bddt#1"), nullptr);
  EXPECT_NE(findDevice(c, "cddt#1"), nullptr);
  EXPECT_EQ(findDevice(c, "bddt#2"), nullptr);  // (ddt of a constant needs no source)
  Rows rows;
  RowSink sink(rows);
  auto r = simulate(deck, {}, sink);
  ASSERT_TRUE(r.ok()) << r.error().format();
  const auto& v2 = rows.of("v(2)");
  ASSERT_EQ(v2.size(), rows.t.size());
  int inRamp = 0, after = 0;
  for (std::size_t k = 0; k < rows.t.size(); ++k) {
    const double t = rows.t[k];
    if (t > 0.1e-3 && t < 0.9e-3) {
      EXPECT_NEAR(v2[k], 1000.0, 1.0) << "t=" << t;
      ++inRamp;
    }
    if (t > 1.2e-3) {
      EXPECT_NEAR(v2[k], 0.0, 1.0) << "t=" << t;
      ++after;
    }
  }
  EXPECT_GT(inRamp, 10);
  EXPECT_GT(after, 5);
}

TEST(NetlistNg39Forms, DdtOutsideABehaviouralExpressionIsAnError) {
  Error e = err("t\n.param p={ddt(1)}\nR1 a 0 {p}\nV1 a 0 1\n.op\n");
  EXPECT_TRUE(contains(e.message, "ddt()")) << e.message;
  EXPECT_EQ(e.loc.line, 2);
}

TEST(NetlistNg39Forms, ProbeSavesAllAndDifferentialVoltages) {
  auto c = ok("t\nV1 1 0 1\nR1 1 2 1k\nR2 2 3 1k\nR3 3 0 1k\nM1 d 2 0 0 nm\nRd 1 d 1k\n.model nm nmos\n.op\n"
              ".probe vd(R2) vd(2, 3) vd(m1:d:s) vd(m1:g, m1:s)\n");
  EXPECT_TRUE(saved(c, "all"));
  EXPECT_TRUE(saved(c, "v(vd_r2)"));
  EXPECT_TRUE(saved(c, "v(vd_2:3)"));
  EXPECT_TRUE(saved(c, "v(vd_m1:d:s)"));
  EXPECT_TRUE(saved(c, "v(vd_m1:g_m1:s)"));
  const ir::Device* e = nullptr;
  for (const auto& d : c.devices)
    if (d.letter == 'e' && d.nodes[0] == "vd_m1:d:s") e = &d;
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->nodes, (std::vector<std::string>{"vd_m1:d:s", "0", "d", "0"}));
}

TEST(NetlistNg39Forms, ProbeWithASaveKeepsTheSaveAndIgnoresBadItems) {
  auto c = ok("t\nV1 1 0 1\nR1 1 2 1k\nR2 2 0 1k\nM1 1 2 0 0 nm\n.model nm nmos\n.op\n.save v(1)\n"
              ".probe (xyz) hhhh vd(z) i(m1:z) vd(r1:1:2) i(m1:s)\n");
  EXPECT_FALSE(saved(c, "all"));
  EXPECT_TRUE(saved(c, "v(1)"));
  EXPECT_TRUE(saved(c, "i(m1:s)"));  // (ngspice's vector of the current into the source)
  EXPECT_EQ(countWarnings(c, "ignored, as by ngspice 39"), 5);
}

// .probe alli and the top-level sub-circuit instances, as ngspice 39's inpc_probe.c: a zero-volt
// source in series with each pin, named as ngspice's vector of its current (x1:PIN), and one on
// the second pin of a two-pin instance (i(x2), the current into its first pin); none in an
// instance with a pin on a digital code model (a gate's port), nor when the alli item is not
// read; an analog code model (a Laplace source) takes them as any device
TEST(NetlistNg39Forms, ProbeAlliPutsASourceOnEverySubcircuitPin) {
  const std::string subckts =
      ".subckt amp in out vdd\nR1 in out 1k\nR2 out vdd 2k\n.ends\n.subckt two a b\nR1 a b 1k\n.ends\n"
      ".subckt dig a y\nA1 ~a y inv\n.model inv d_inverter\n.ends\n"
      ".subckt lap a y\nE1 y 0 LAPLACE {v(a)} = {1/(1+s*1e-3)}\n.ends\n";
  auto c = ok("t\n" + subckts +
              "V1 in 0 1\nV2 vdd 0 5\nX1 in o vdd amp\nX2 o 0 two\nX3 in y dig\nR3 y 0 1k\nX4 in z lap\nR4 z 0 1k\n"
              ".probe alli\n.op\n");
  EXPECT_TRUE(saved(c, "i(x1:in)"));
  EXPECT_TRUE(saved(c, "i(x1:out)"));
  EXPECT_TRUE(saved(c, "i(x1:vdd)"));
  EXPECT_TRUE(saved(c, "i(x2)"));
  EXPECT_FALSE(saved(c, "i(x3:a)"));
  EXPECT_TRUE(saved(c, "i(x4)"));  // (the Laplace source is an analog A device here)
  const ir::Device* src = nullptr;
  for (const auto& d : c.devices) {
    if (d.name == "x1:out") src = &d;
    // the code model's instance keeps the caller's nodes
    if (d.name == "x3.a1") EXPECT_TRUE(std::count(d.nodes.begin(), d.nodes.end(), "~in") == 1 &&  // (inverted)
                                       std::count(d.nodes.begin(), d.nodes.end(), "y") == 1);
    if (d.name == "x2.r1") EXPECT_EQ(d.nodes[0], "o");  // (two pins: only the second behind a source)
  }
  ASSERT_NE(src, nullptr);
  EXPECT_EQ(src->letter, 'v');
  EXPECT_EQ(src->nodes, (std::vector<std::string>{"o", "probe_int_o_x1_2"}));
  // pins that only an expression reads (an op-amp of B sources), and a digital instance's expression
  // reading its pin: they run, the first with its pin sources, the second on the caller's nodes
  const std::string beh =
      ".subckt bamp inp inn out\nB1 out 0 V=100*v(inp,inn)\n.ends\n"
      ".subckt dig2 a y z\nA1 a y inv\n.model inv d_inverter\nB1 z 0 V=2*v(a)\n.ends\n";
  auto run = simulateText("t\n" + beh + "V1 p 0 0.01\nX1 p 0 o bamp\nR1 o 0 1k\nX2 p y z dig2\nR2 z 0 1k\nR3 y 0 1k\n.probe alli\n.op\n");
  ASSERT_TRUE(run.ok()) << run.error().format();
  c = ok("t\n" + beh + "V1 p 0 0.01\nX1 p 0 o bamp\nR1 o 0 1k\nX2 p y z dig2\nR2 z 0 1k\nR3 y 0 1k\n.probe alli\n.op\n");
  EXPECT_TRUE(saved(c, "i(x1:inp)"));
  for (const auto& d : c.devices)
    if (d.name == "x2.b1") EXPECT_EQ(d.behaviour->expr.vars[0].name, "p");
  // an alli item in an .if branch not taken: the pins are joined again, nothing saved for them
  c = ok("t\n" + subckts + beh.substr(0, beh.find("\n.ends\n") + 7) +
         ".param p=0\nV1 in 0 1\nV2 vdd 0 5\nX1 in o vdd amp\nX5 in 0 o5 bamp\nR5 o5 0 1k\n.if (p == 1)\n.probe alli\n.endif\n"
         ".save v(o)\n.op\n");
  EXPECT_FALSE(saved(c, "i(x1:in)"));
  for (const auto& d : c.devices) {
    for (const auto& n : d.nodes) EXPECT_EQ(n.find("probe_int"), std::string::npos) << d.name;
    if (d.behaviour)
      for (const auto& v : d.behaviour->expr.vars) EXPECT_EQ(v.name.find("probe_int"), std::string::npos) << d.name;
  }
}

TEST(NetlistNg39Forms, CouplingOutsideTheUnitRangeIsWarnedAndSimulated) {
  const std::string deck =
      "t\nV1 a 0 DC 1 AC 1\nR1 a n1 1k\nL1 n1 0 1m\nL2 n2 0 4m\nR2 n2 0 1k\nK12 L1 L2 1.005\nR3 a n3 1k\nL3 n3 0 1m\n"
      "L4 n4 0 1m\nR4 n4 0 1k\nK34 L3 L4 0\n.ac lin 3 1k 3k\n.end\n";
  auto c = ok(deck);
  ASSERT_EQ(countWarnings(c, "coupling coefficient 1.005 of mutual inductance 'k12' is outside [-1, 1]"), 1);
  for (const auto& w : c.warnings)
    if (contains(w.message, "outside [-1, 1]")) EXPECT_EQ(w.loc.line, 7);  // (the K12 card)
  auto r = simulateText(deck);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().format());
}

#include "plot_sink.hpp"

// .options keepopinfo: each .ac and .pz writes its operating point first, as an op
// result of its own (ngspice's "AC Operating Point"), the values of a plain .op;
// without the option only the analyses run.
TEST(NetlistNg39Forms, KeepopinfoWritesTheOperatingPointOfEachSmallSignalAnalysis) {
  const std::string body =
      "V1 a 0 DC 5 AC 1\nR1 a b 1k\nR2 b 0 3k\nC1 b 0 1n\n.ac dec 2 1k 1meg\n.pz a 0 b 0 vol pz\n.end\n";
  const PlotSink kept = runPlots("keep\n.options keepopinfo\n" + body);
  std::vector<AnalysisType> order;
  for (const auto& p : kept.out) order.push_back(p.header.type);
  EXPECT_EQ(order, (std::vector<AnalysisType>{AnalysisType::Op, AnalysisType::Ac, AnalysisType::Op, AnalysisType::Pz}));
  ASSERT_EQ(kept.out.size(), 4u);
  EXPECT_NEAR(kept.out[0].at("v(b)").real(), 3.75, 1e-9);
  EXPECT_NEAR(kept.out[2].at("v(b)").real(), 3.75, 1e-9);
  const PlotSink plain = runPlots("plain\n" + body);
  ASSERT_EQ(plain.out.size(), 2u);
  EXPECT_EQ(plain.out[0].header.type, AnalysisType::Ac);
  // the ac itself is the same
  for (std::size_t r = 0; r < plain.out[0].x.size(); ++r)
    EXPECT_EQ(plain.out[0].at("v(b)", r), kept.out[1].at("v(b)", r)) << r;
}

// ngspice 39 expands .include and .lib FILE SECTION while it reads, the first
// line too: such a deck has no title line (its title shows "*include FILE"); a
// .title there sets the title; another dot card there is the title, with a
// warning (ngspice 39 stops: "title line is missing").
TEST(NetlistNg39Forms, AnIncludeOnTheFirstLineIsRead) {
  ir::ParseOptions po;
  po.fileName = "main.cir";
  po.resolver = [](std::string_view path, std::string_view) -> Result<ir::ResolvedFile> {
    if (path == "models.txt") return ir::ResolvedFile{"models.txt", "R1 1 0 4k\n"};
    if (path == "l.lib") return ir::ResolvedFile{"l.lib", "* lib\n.lib typ\nR2 1 0 2k\n.endl typ\n"};
    return makeError(ErrorCode::Semantic, "no such file");
  };
  auto inc = ir::parseNetlist(".include models.txt\nV1 1 0 1\n.op\n.end\n", po);
  ASSERT_TRUE(inc.ok()) << inc.error().format();
  EXPECT_EQ(inc.value().title, "*include models.txt");
  EXPECT_NE(findDevice(inc.value(), "r1"), nullptr);
  auto lib = ir::parseNetlist(".lib l.lib typ\nV1 1 0 1\n.op\n.end\n", po);
  ASSERT_TRUE(lib.ok()) << lib.error().format();
  EXPECT_NE(findDevice(lib.value(), "r2"), nullptr);
  const ir::Circuit titled = ok(".title My deck\nV1 1 0 1\nR1 1 0 1k\n.op\n.end\n");
  EXPECT_EQ(titled.title, "My deck");
  const ir::Circuit param = ok(".param x=1\nV1 1 0 1\nR1 1 0 1k\n.op\n.end\n");
  EXPECT_EQ(param.title, ".param x=1");
  EXPECT_EQ(countWarnings(param, "the first line is the title"), 1);
  EXPECT_EQ(countWarnings(ok("title\nV1 1 0 1\nR1 1 0 1k\n.op\n.end\n"), "the first line is the title"), 0);
}

// `.temp TP` (a bare name, parameter or not): ngspice 39 does not read it
// ("Could not set temperature to tp") and runs at 27 degC; so does simcore, with
// a warning naming the {TP} form; `.temp {TP}` reads the parameter.
TEST(NetlistNg39Forms, ABareNameOnTempIsLeftOut) {
  const ir::Circuit bare = ok("t\n.param tp=100\n.temp tp\nV1 1 0 1\nR1 1 0 1k\n.op\n.end\n");
  EXPECT_EQ(bare.options.temp, 27.0);
  EXPECT_EQ(countWarnings(bare, "a parameter is read here only as {tp}"), 1);
  const ir::Circuit braced = ok("t\n.param tp=100\n.temp {tp}\nV1 1 0 1\nR1 1 0 1k\n.op\n.end\n");
  EXPECT_EQ(braced.options.temp, 100.0);
  // (ngspice 39 reads no part of a card with such a word: 27 degC, not 50)
  const ir::Circuit mixed = ok("t\n.temp 50 tp\nV1 1 0 1\nR1 1 0 1k\n.op\n.end\n");
  EXPECT_EQ(mixed.options.temp, 27.0);
  EXPECT_EQ(countWarnings(mixed, "ngspice 39 cannot read this card"), 1);
}

// A '+' line after a comment line continues the card before the comment (ngspice's
// reader joins it so; CircuitSim90 benchmarks comment out a .print and leave its '+' line):
// on .op its words are ignored, as ngspice ignores words after op (a lab script's
// `op : analyze DC operating point` too); on .temp ngspice reads none of the card (27 degC)
TEST(NetlistNg39Forms, WordsJoinedAcrossACommentOrAfterOpAreIgnoredAsNgspice) {
  const ir::Circuit op = ok("t\nv1 1 0 5\nr1 1 2 1k\nr2 2 0 1k\n.op\n*.print tran v(1) v(2)\n+v(2) v(1)\n.end\n");
  ASSERT_EQ(op.analyses.size(), 1u);
  EXPECT_EQ(countWarnings(op, "'v(2) v(1)' after op ignored"), 1);  // (the words as written)
  EXPECT_EQ(countWarnings(op, "after op ignored, as ngspice 39 ignores it (line 7's '+' continues this card"), 1);
  const ir::Circuit script =
      ok("t\nv1 1 0 5\nr1 1 0 1k\n.control\nop   : analyze DC operating point\nprint v(1)\n.endc\n.end\n");
  EXPECT_EQ(countWarnings(script, "after op ignored"), 1);
  const ir::Circuit temp =
      ok("t\ni1 0 1 1m\nd1 1 0 dm\n.model dm d\n.temp 75\n*.print tran v(1)\n+v(1) v(2)\n.op\n.end\n");
  EXPECT_EQ(temp.options.temp, 27.0);
  EXPECT_EQ(countWarnings(temp, "'.temp 75 v(1) v(2)': ngspice 39 cannot read this card ('v' is not a value)"), 1);
  EXPECT_EQ(countWarnings(temp, "and runs at 27 degC; so does simcore (line 7's '+' continues this card"), 1);
}

// `print all` of an op plot names a node whose name starts with a digit v(1), as ngspice 39.
TEST(NetlistNg39Forms, PrintAllNamesNumericNodesAsVoltages) {
  NullSink sink;
  auto r = simulate("t\nv1 in 0 1\nr1 in 1 1k\nr2 1 0 1k\n.control\nop\nprint all\n.endc\n.end\n", {}, sink);
  ASSERT_TRUE(r.ok()) << r.error().format();
  EXPECT_TRUE(contains(r.value().script.text, "v(1) = 5.000000e-01\nin = 1.000000e+00\n")) << r.value().script.text;
}

// `.meas tran tpd param='(trise+tfall)/2' goal = 0` (HSPICE's optimisation words, course
// decks): ngspice 39 reads the value after PARAM= and nothing else; so does simcore,
// with a warning, where the measurement was left out before.
TEST(NetlistNg39Forms, WordsAfterAMeasParamAreIgnoredWithAWarning) {
  const ir::Circuit c = ok("t\nV1 a 0 PULSE(0 1 1n 1n 1n 5n 20n)\nR1 a 0 1k\n.tran 0.1n 20n\n"
                           ".meas tran tr TRIG v(a) VAL=0.1 RISE=1 TARG v(a) VAL=0.9 RISE=1\n"
                           ".meas tran tpd param='tr*2' goal = 0\n.end\n");
  ASSERT_EQ(c.measures.size(), 2u);
  EXPECT_EQ(c.measures[1].name, "tpd");
  EXPECT_EQ(countWarnings(c, "'goal' after .meas 'tpd' PARAM= ignored"), 1);
}

TEST(NetlistNg39Forms, AMosfetsIcListNamesItsInitialVoltages) {
  // SPICE's M... IC=vds,vgs,vbs: icvds icvgs icvbs (levels 1-3 and 6 also by
  // name); a shorter list sets the first ones
  auto c = ok("t\nvd d 0 1\nm1 d d 0 0 a ic=0.5, 0.8, -1\nm2 d d 0 0 b IC=0.3\nm3 d d 0 0 a icvgs=2\n"
              ".model a nmos level=1\n.model b nmos level=54 version=4.7\n.tran 1n 2n uic\n");
  auto param = [&](const char* dev, const char* name) -> double {
    for (const auto& d : c.devices)
      if (d.name == dev)
        for (const auto& p : d.params)
          if (p.name == name) return p.value;
    return std::nan("");
  };
  EXPECT_EQ(param("m1", "icvds"), 0.5);
  EXPECT_EQ(param("m1", "icvgs"), 0.8);
  EXPECT_EQ(param("m1", "icvbs"), -1.0);
  EXPECT_EQ(param("m2", "icvds"), 0.3);
  EXPECT_TRUE(std::isnan(param("m2", "icvgs")));
  EXPECT_EQ(param("m3", "icvgs"), 2.0);
  // a fourth number is no MOSFET's
  EXPECT_TRUE(contains(err("t\nvd d 0 1\nm1 d d 0 0 a ic=1,2,3,4\n.model a nmos\n.op\n").message, "unexpected '4'"));
}

// .sp's DONOISE as ngspice 39 reads it: an integer (rounded), 0 when it is a word (with a
// warning), what follows ignored with a warning; 1 is the noise correlation.
TEST(NetlistNg39Forms, SpDonoiseIsReadAsNgspiceReadsIt) {
  const std::string head = "t\nV1 a 0 0 portnum=1 z0=50\nR1 a 0 50\n";
  const ir::Circuit word = ok(head + ".sp lin 3 1k 3k donoise\n.end\n");
  ASSERT_EQ(word.analyses.size(), 1u);
  EXPECT_FALSE(word.analyses[0].spNoise);
  EXPECT_EQ(countWarnings(word, "'donoise' read as DONOISE 0 (no noise)"), 1);
  EXPECT_TRUE(ok(head + ".sp lin 3 1k 3k 1\n.end\n").analyses[0].spNoise);
  EXPECT_TRUE(ok(head + ".sp lin 3 1k 3k 1.2\n.end\n").analyses[0].spNoise);   // (rounded)
  EXPECT_FALSE(ok(head + ".sp lin 3 1k 3k 0\n.end\n").analyses[0].spNoise);
  EXPECT_TRUE(ok(head + ".param dn=1\n.sp lin 3 1k 3k dn\n.end\n").analyses[0].spNoise);
  const ir::Circuit extra = ok(head + ".sp lin 3 1k 3k 1 more\n.end\n");
  EXPECT_TRUE(extra.analyses[0].spNoise);
  EXPECT_EQ(countWarnings(extra, "text after DONOISE of '.sp' ignored"), 1);
}

// i(DEV) of a device without a branch in an expression (ngspice 39's inp_meas_current): a
// zero-volt source v_DEV (in the device's scope) in series with its first terminal, whose node
// becomes NODE_vmeas_N; the expressions read the source. The .step variants get the same.
TEST(NetlistNg39Forms, ACurrentReadByAnExpressionGetsAZeroVoltSource) {
  const ir::Circuit c = ok("t\nR1 1 0 1\nV1 1 0 1\nR2 2 0 '5 * i(R1)'\nV2 2 0 1\n"
                           ".subckt s a\nRS1 a 0 '6 * i(RS2)'\nRS2 n3 0 2\nVS1 n3 0 1\n.ends\nX1 6 s\nV6 6 0 1\n.op\n.end\n");
  const ir::Device* meter = findDevice(c, "v_r1");
  ASSERT_NE(meter, nullptr);
  EXPECT_EQ(meter->nodes, (std::vector<std::string>{"1", "1_vmeas_0"}));
  EXPECT_EQ(findDevice(c, "r1")->nodes[0], "1_vmeas_0");
  ASSERT_NE(findDevice(c, "x1.v_rs2"), nullptr);
  EXPECT_EQ(findDevice(c, "x1.rs2")->nodes[0], "x1.n3_vmeas_1");
  const ir::Device* r2 = findDevice(c, "r2");
  ASSERT_TRUE(r2 && r2->behaviour);
  int currents = 0;
  for (const ir::ExprVar& v : r2->behaviour->expr.vars)
    if (v.kind == ir::ExprVar::Kind::Current) {
      EXPECT_EQ(v.name, "v_r1");
      ++currents;
    }
  EXPECT_EQ(currents, 1);
  // the values: R2 = 5 Ohm (i(v2) = -0.2 A), RS1 = 3 Ohm
  testutil::NullSink sink;
  auto r = simulate("t\nR1 1 0 1\nV1 1 0 1\nR2 2 0 '5 * i(R1)'\nV2 2 0 1\n.param rv=1\nR3 3 0 {rv}\nV3 3 0 1\n"
                    "B4 4 0 V=i(R3)\nR4 4 0 1\n.step param rv list 1 2\n.op\n.end\n",
                    {}, sink);
  ASSERT_TRUE(r.ok()) << r.error().format();
  // an element with no terminals to meter stays an error
  Error e = err("t\nL1 a 0 1m\nL2 b 0 1m\nK1 L1 L2 0.5\nV1 a 0 1\nB1 b 0 I=i(K1)\n.op\n.end\n");
  EXPECT_TRUE(contains(e.message, "i(k1)")) << e.message;
}
