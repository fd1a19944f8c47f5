// .control scripts (issue 12 item 1): the parse-time part (variables, loops,
// alter into circuit variants) and the run-time part (vectors, print, wrdata,
// write, fourier, conditions on results), engine only.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "netlist_test_util.hpp"
#include "script/output.hpp"
#include "script/vectors.hpp"
#include "simcore/ir.hpp"
#include "simcore/simulate.hpp"

using namespace simcore;
using namespace simcore::testutil;

namespace {

ScriptOutput runScript(const std::string& text) {
  auto r = simulateText(text);
  if (!r) {
    ADD_FAILURE() << r.error().format();
    return {};
  }
  return r.value().script;
}

Error runError(const std::string& text) {
  auto r = simulateText(text);
  if (r) {
    ADD_FAILURE() << "expected an error";
    return {};
  }
  return r.error();
}

const char* kRc =
    "rc\nV1 in 0 DC 1 AC 1\nR1 in out 1k\nC1 out 0 1u\n";

double paramOf(const ir::Device& d, const std::string& name) {
  for (const auto& p : d.params)
    if (p.name == name) return p.value;
  ADD_FAILURE() << "no parameter " << name;
  return 0;
}

script::Vec eval(const std::string& text) {
  script::EvalContext ctx;
  ctx.lookup = [](const std::string&) -> const script::Vec* { return nullptr; };
  auto v = script::evaluateOne(text, ctx);
  if (!v) {
    ADD_FAILURE() << v.error().message;
    return {};
  }
  return v.value();
}

}  // namespace

// ---- parse time: variables, loops, alter

TEST(ControlScript, LoopsOverVariablesRunAnalysesAtParseTime) {
  auto c = ok(std::string(kRc) +
              ".control\nset n = 3\nlet k = 0\nwhile k < $n\n  op\n  let k = k + 1\nend\n"
              "repeat 2\n  op\nend\nforeach f 1k 10k\n  ac dec 1 10 $f\nend\n"
              "dowhile k < 2\n  let k = k + 1\nend\n"
              "if k = 4\n  tran 1u 1m\nelse\n  op\nend\n.endc\n");
  ASSERT_EQ(c.analyses.size(), 8u);
  EXPECT_EQ(c.analyses[0].kind, ir::AnalysisKind::Op);
  EXPECT_EQ(c.analyses[4].kind, ir::AnalysisKind::Op);
  EXPECT_DOUBLE_EQ(c.analyses[5].fstop, 1e3);
  EXPECT_DOUBLE_EQ(c.analyses[6].fstop, 1e4);
  EXPECT_EQ(c.analyses[7].kind, ir::AnalysisKind::Tran);  // dowhile ran its body once: k = 4
}

TEST(ControlScript, EndifEndwhileAndBeginAreNgspiceAliases) {
  // ngspice 39 defines endif, endwhile, endforeach, endrepeat and enddowhile
  // as 'end', begin as 'if 1'
  auto c = ok(std::string(kRc) +
              ".control\nlet k = 0\nwhile k < 2\n  op\n  let k = k + 1\nendwhile\n"
              "if k = 2\n  tran 1u 1m\nendif\nforeach f 1k\n  ac dec 1 10 $f\nendforeach\n"
              "repeat 1\n  op\nendrepeat\nbegin\n  op\nend\n.endc\n");
  ASSERT_EQ(c.analyses.size(), 6u);
  EXPECT_EQ(c.analyses[2].kind, ir::AnalysisKind::Tran);
  EXPECT_EQ(c.analyses[3].kind, ir::AnalysisKind::Ac);
  EXPECT_EQ(c.analyses[5].kind, ir::AnalysisKind::Op);
}

TEST(ControlScript, BreakAndContinue) {
  auto c = ok(std::string(kRc) +
              ".control\nforeach v 1 2 3 4\n  if $v = 2\n    continue\n  end\n  if $v = 4\n    break\n  end\n"
              "  dc v1 0 $v 1\nend\n.endc\n");
  ASSERT_EQ(c.analyses.size(), 2u);
  EXPECT_DOUBLE_EQ(c.analyses[0].sweeps[0].stop, 1);
  EXPECT_DOUBLE_EQ(c.analyses[1].sweeps[0].stop, 3);
}

TEST(ControlScript, AlterMakesOneVariantPerValue) {
  auto c = ok(std::string(kRc) + "D1 out 0 dmod\n.model dmod d is=1e-14\n.tran 1u 1m\n"
              ".control\nop\nforeach r 2k 3k\n  alter r1 $r\n  op\nend\n"
              "alter r1 resistance = 5k\nalter @c1[capacitance]=2u\naltermod dmod is=1e-12 n = 2\nrun\n"
              "reset\nop\n.endc\n");
  ASSERT_EQ(c.analyses.size(), 5u);
  EXPECT_EQ(c.analyses[0].variant, -1);
  ASSERT_EQ(c.variants.size(), 3u);
  EXPECT_EQ(c.analyses[1].variant, 0);
  EXPECT_EQ(c.analyses[2].variant, 1);
  EXPECT_EQ(c.analyses[3].variant, 2);
  EXPECT_EQ(c.analyses[3].kind, ir::AnalysisKind::Tran);
  EXPECT_EQ(c.analyses[4].variant, -1);
  EXPECT_EQ(c.variants[0].label, "r1=2k");
  EXPECT_EQ(c.variants[1].label, "r1=3k");
  EXPECT_EQ(c.variants[2].label, "r1=5k c1=2u dmod.is=1e-12 dmod.n=2");
  auto dev = [](const ir::Variant& v, const std::string& n) -> const ir::Device& {
    for (const auto& d : v.devices)
      if (d.name == n) return d;
    static ir::Device none;
    ADD_FAILURE() << n;
    return none;
  };
  EXPECT_DOUBLE_EQ(*dev(c.variants[0], "r1").value, 2e3);
  EXPECT_DOUBLE_EQ(*dev(c.variants[1], "r1").value, 3e3);
  EXPECT_DOUBLE_EQ(*dev(c.variants[2], "r1").value, 5e3);
  EXPECT_DOUBLE_EQ(*dev(c.variants[2], "c1").value, 2e-6);
  // the circuit itself is unchanged
  for (const auto& d : c.devices)
    if (d.name == "r1") EXPECT_DOUBLE_EQ(*d.value, 1e3);
  const ir::Model& m = c.variants[2].models[0];
  EXPECT_EQ(m.name, "dmod");
  for (const auto& p : m.params) {
    if (p.name == "is") EXPECT_DOUBLE_EQ(p.value, 1e-12);
    if (p.name == "n") EXPECT_DOUBLE_EQ(p.value, 2);
  }
  // alter of a source's dc value and of a named instance parameter
  c = ok(std::string(kRc) + "M1 out in 0 0 nm w=1u l=1u\n.model nm nmos\n.control\nalter v1 2\nalter m1 w = 3u\nop\n.endc\n");
  ASSERT_EQ(c.variants.size(), 1u);
  EXPECT_DOUBLE_EQ(dev(c.variants[0], "v1").source.dc, 2);
  EXPECT_DOUBLE_EQ(paramOf(dev(c.variants[0], "m1"), "w"), 3e-6);
  EXPECT_EQ(c.variants[0].label, "v1=2 m1.w=3u");
  // a transient-noise source switched off with a vector value (ngspice's noi-ring51-demo)
  c = ok(std::string(kRc) + "VN n 0 dc 0 trnoise 1m 1n 0 0\nRN n 0 1k\n.control\nalter @vn[trnoise] = [ 0 0 0 0 ]\ntran 1n 1u\n.endc\n");
  ASSERT_EQ(c.variants.size(), 1u);
  EXPECT_EQ(dev(c.variants[0], "vn").source.wave.kind, ir::WaveKind::TrNoise);
  EXPECT_EQ(dev(c.variants[0], "vn").source.wave.args, (std::vector<double>{0, 0, 0, 0}));
}

TEST(ControlScript, ErrorsAreLocated) {
  // an unknown command and a let simcore cannot read are skipped with a located warning
  auto c = ok(std::string(kRc) + ".control\n  frobnicate 3\nlet a = 3 ? 1\nop\n.endc\n");
  ASSERT_EQ(c.warnings.size(), 2u);
  EXPECT_TRUE(contains(c.warnings[0].message, "'.control' command 'frobnicate' ignored")) << c.warnings[0].message;
  EXPECT_EQ(c.warnings[0].loc.line, 6);
  EXPECT_EQ(c.warnings[0].loc.col, 3);
  EXPECT_TRUE(contains(c.warnings[1].message, "'let a' skipped")) << c.warnings[1].message;
  EXPECT_EQ(c.warnings[1].loc.line, 7);
  EXPECT_EQ(c.analyses.size(), 1u);
  Error e = err(std::string(kRc) + ".control\nforeach x 1 2\n  op\n.endc\n");
  EXPECT_TRUE(contains(e.message, "'foreach' has no 'end'")) << e.message;
  EXPECT_EQ(e.loc.line, 6);
  e = err(std::string(kRc) + ".control\nend\n.endc\n");
  EXPECT_TRUE(contains(e.message, "'end' without")) << e.message;
  e = err(std::string(kRc) + ".control\nalter r9 1k\nop\n.endc\n");
  EXPECT_TRUE(contains(e.message, "no device 'r9'")) << e.message;
  e = err(std::string(kRc) + ".control\necho $nope\nop\ntran 1u $nope\n.endc\n");
  EXPECT_TRUE(contains(e.message, "no such variable 'nope'")) << e.message;
  // a condition on results cannot decide which analyses run
  e = err(std::string(kRc) + ".control\nop\nif v(out) > 0.5\n  tran 1u 1m\nend\n.endc\n");
  EXPECT_TRUE(contains(e.message, "reads analysis results")) << e.message;
  // alterparam's value goes into the netlist before the run: one read from a result vector names it
  e = err("p\n.param a = 1\nV1 in 0 1\nR1 in 0 {a}\n.control\nop\nlet vnew = v(in)*2\nalterparam a = op1.vnew\n"
          "reset\nop\n.endc\n");
  EXPECT_TRUE(contains(e.message, "'op1.vnew' is known only after an analysis has run")) << e.message;
  EXPECT_EQ(e.loc.line, 8);
  e = err(std::string(kRc) + ".control\nwhile 1\n  let x = 1\nend\nop\n.endc\n");
  EXPECT_TRUE(contains(e.message, "did not end")) << e.message;
}

TEST(ControlScript, DisplayCommandsAreWarnings) {
  auto c = ok(std::string(kRc) + ".op\n.control\nplot v(out)\nhardcopy x.ps v(out)\nrun\n.endc\n");
  int n = 0;
  for (const auto& w : c.warnings) n += contains(w.message, "'plot' ignored") ? 1 : 0;
  EXPECT_EQ(n, 1);
}

// ---- vectors

TEST(ControlScriptVectors, FunctionsAndIndexing) {
  EXPECT_DOUBLE_EQ(eval("1k + 2 * 3").re[0], 1006);
  EXPECT_DOUBLE_EQ(eval("2 ^ 3 ^ 2").re[0], 512);
  EXPECT_DOUBLE_EQ(eval("-2 ^ 2").re[0], -4);
  EXPECT_DOUBLE_EQ(eval("log(e)").re[0], 1);  // nutmeg's log is natural
  EXPECT_DOUBLE_EQ(eval("log10(1000)").re[0], 3);
  EXPECT_DOUBLE_EQ(eval("db(10)").re[0], 20);
  EXPECT_DOUBLE_EQ(eval("mean(vector(5))").re[0], 2);
  EXPECT_DOUBLE_EQ(eval("length(unitvec(7))").re[0], 7);
  EXPECT_DOUBLE_EQ(eval("vecmax(vector(4))").re[0], 3);
  // of a complex vector: the largest real and, on its own, the largest imaginary part (ngspice 39's cx_max)
  auto cm = eval("vecmax(vector(3) - j(vector(3) * vector(3)) + j(1))");  // 0+1i, 1+0i, 2-3i
  ASSERT_TRUE(cm.complex);
  EXPECT_DOUBLE_EQ(cm.re[0], 2);
  EXPECT_DOUBLE_EQ(cm.im[0], 1);
  cm = eval("vecmin(vector(3) - j(vector(3) * vector(3)) + j(1))");
  EXPECT_DOUBLE_EQ(cm.re[0], 0);
  EXPECT_DOUBLE_EQ(cm.im[0], -3);
  EXPECT_DOUBLE_EQ(eval("min(vector(4) + 2)").re[0], 2);
  EXPECT_DOUBLE_EQ(eval("vector(6)[3]").re[0], 3);
  auto r = eval("vector(6)[2,4]");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_DOUBLE_EQ(r.re[2], 4);
  auto a = eval("avg(vector(5))");
  EXPECT_DOUBLE_EQ(a.re[4], 2);
  EXPECT_DOUBLE_EQ(eval("3 gt 2 and 1 lt 0").re[0], 0);
  EXPECT_DOUBLE_EQ(eval("3 >= 3 or 0").re[0], 1);
  EXPECT_DOUBLE_EQ(eval("not 0").re[0], 1);
  auto s = eval("sqrt(-4)");
  EXPECT_TRUE(s.complex);
  EXPECT_DOUBLE_EQ(s.im[0], 2);
  EXPECT_NEAR(eval("ph(sqrt(-1))").re[0], M_PI / 2, 1e-12);
  auto d = eval("deriv(vector(5) * vector(5))");
  EXPECT_DOUBLE_EQ(d.re[2], 4);
  auto in = eval("integ(unitvec(4))");
  EXPECT_DOUBLE_EQ(in.re[3], 3);
  script::EvalContext ctx;
  ctx.lookup = [](const std::string&) -> const script::Vec* { return nullptr; };
  auto bad = script::evaluateOne("nosuch + 1", ctx);
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(contains(bad.error().message, "no such vector 'nosuch'"));
  bad = script::evaluateOne("frob(1)", ctx);
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(contains(bad.error().message, "no such function 'frob'"));
}

TEST(ControlScriptVectors, PrintLayouts) {
  script::Plot constants;
  constants.title = "Constant values";
  constants.name = "constants";
  script::Vec v = eval("vector(3) - 1");
  v.name = "v";
  std::string t = script::printColumns({v}, constants, {});
  EXPECT_EQ(t,
            "                                Constant values\n"
            "                                constants\n" +
                std::string(80, '-') + "\nIndex   v               \n" + std::string(80, '-') +
                "\n0\t-1.00000e+00\t\n1\t0.000000e+00\t\n2\t1.000000e+00\t\n");
  script::Vec s = eval("2.5");
  s.name = "m";
  EXPECT_EQ(script::printLines({s}), "m = 2.500000e+00\n");
  // pages: 60 lines, the header again after a form feed
  script::Vec big = eval("vector(100)");
  big.name = "big";
  t = script::printColumns({big}, constants, {});
  EXPECT_NE(t.find("54\t5.400000e+01\t\n\f\nIndex   big"), std::string::npos);
}

TEST(ControlScriptVectors, FourierOfASine) {
  script::Vec time, v;
  time.name = "time";
  v.name = "v(out)";
  for (int i = 0; i <= 4000; ++i) {
    double t = i * 1e-6;
    time.re.push_back(t);
    v.re.push_back(0.5 + std::sin(2 * M_PI * 1e3 * t) + 0.1 * std::sin(2 * M_PI * 3e3 * t));
  }
  v.scale = &time;
  std::string text, why;
  ASSERT_TRUE(script::fourierText(v, 1e3, {}, text, why)) << why;
  EXPECT_NE(text.find("Fourier analysis for v(out):\n  No. Harmonics: 10, THD: 10 %, Gridsize: 200, Interpolation "
                      "Degree: 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(" 1       1000        1           "), std::string::npos) << text;
  EXPECT_NE(text.find(" 3       3000        0.1         "), std::string::npos) << text;
  EXPECT_FALSE(script::fourierText(v, 100, {}, text, why));
  EXPECT_EQ(why, "wavelength longer than time span");
}

TEST(ControlScriptVectors, FileNamesStayBelowTheFolder) {
  EXPECT_EQ(script::badFileName("out.txt"), "");
  EXPECT_EQ(script::badFileName("data/out.txt"), "");
  EXPECT_NE(script::badFileName("/etc/passwd"), "");
  EXPECT_NE(script::badFileName("../x"), "");
  EXPECT_NE(script::badFileName("a/../../x"), "");
  EXPECT_NE(script::badFileName(""), "");
}

// ---- run time

TEST(ControlScriptRun, PrintEchoLetBetweenAnalyses) {
  auto out = runScript(std::string(kRc) +
                       ".control\nset x = ( 1 2 )\necho start $x\nop\nprint v(out) i(v1)\n"
                       "let g = v(out) * 2\necho g is $&g\ntran 10u 100u\nlet m = vecmax(v(out))\nprint m\n"
                       "if m > 0.05\n  echo charged\nelse\n  echo flat\nend\n.endc\n");
  EXPECT_EQ(out.text.substr(0, 12), "start 1 2\nv(");
  EXPECT_NE(out.text.find("v(out) = 1.000000e+00\ni(v1) = "), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("g is 2\n"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("m = 1.000000e+00\n"), std::string::npos) << out.text;  // uic-less: starts at the op
  EXPECT_NE(out.text.find("charged\n"), std::string::npos) << out.text;
  EXPECT_TRUE(out.errors.empty()) << out.errors[0];
}

TEST(ControlScriptRun, TranPrintWrdataAndFourier) {
  auto out = runScript("rc\nV1 in 0 SIN(0 1 1k)\nR1 in out 1k\nC1 out 0 10n\n.tran 10u 3m\n.four 1k v(out)\n"
                       ".control\nrun\nprint v(out)\nwrdata out.txt v(out) in\nset wr_vecnames\nset wr_singlescale\n"
                       "wrdata two.txt v(out) v(in)\nset filetype=ascii\nwrite rc.raw v(out)\n.endc\n");
  EXPECT_NE(out.text.find("Transient Analysis\n"), std::string::npos);
  EXPECT_NE(out.text.find("Index   time            v(out)          \n"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("Fourier analysis for v(out):"), std::string::npos);
  // .four comes right after the transient, before the script's print
  EXPECT_LT(out.text.find("Fourier analysis"), out.text.find("Index   time"));
  ASSERT_EQ(out.files.size(), 3u);
  EXPECT_EQ(out.files[0].name, "out.txt");
  EXPECT_EQ(out.files[0].data.substr(0, 64), " 0.00000000e+00  0.00000000e+00  0.00000000e+00  0.00000000e+00 ");
  EXPECT_EQ(out.files[1].data.substr(0, 49), " time            v(out)          v(in)          \n");
  EXPECT_EQ(out.files[2].name, "rc.raw");
  EXPECT_NE(out.files[2].data.find("Plotname: Transient Analysis\nFlags: real\nNo. Variables: 2\n"), std::string::npos);
  EXPECT_NE(out.files[2].data.find("\t0\ttime\ttime\n\t1\tv(out)\tvoltage\nValues:\n 0\t0.000000000000000e+00\n"),
            std::string::npos);
}

// ngspice's name of a source's current inside a sub-circuit, i(v.x1.vs) (its
// letter first), reads simcore's x1.vs#branch in meas, print and let
TEST(ControlScriptRun, CurrentOfASourceInASubcircuitByNgspicesName) {
  auto out = runScript("s\n.subckt load p\nVs p m 0\nR1 m 0 1k\n.ends\nV1 in 0 PWL(0 0 1m 2)\nX1 in load\n"
                       ".tran 0.1m 1m\n.control\nrun\nmeas tran imax MAX i(v.x1.vs)\n"
                       "let i2 = i(v.x1.vs) * 2\nprint imax vecmax(i2)\n.endc\n");
  ASSERT_TRUE(out.errors.empty()) << out.errors[0];
  EXPECT_NE(out.text.find("imax                =  2.000000e-03 at=  "), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("vecmax(i2) = 4.000000e-03\n"), std::string::npos) << out.text;
}

// ngspice 39's wrdata of a meas result or a let scalar beside a waveform: the
// single value has the plot's scale and stands on every row; a shorter vector is
// blank (16 spaces a column) past its end
TEST(ControlScriptRun, WrdataRepeatsASingleValueAlongThePlotsScale) {
  auto out = runScript("rc\nV1 in 0 PWL(0 0 1m 1)\nR1 in 0 1k\n.tran 0.25m 1m\n"
                       ".control\nrun\nmeas tran t1 WHEN v(in)=0.5\nlet k = 2\nwrdata a.txt v(in) t1 k\n"
                       "let short = vector(2)\nwrdata b.txt short v(in)\nwrdata c.txt time\n.endc\n");
  ASSERT_TRUE(out.errors.empty()) << out.errors[0];
  ASSERT_EQ(out.files.size(), 3u);
  // the scale has itself as its scale (ngspice: time time)
  EXPECT_NE(out.files[2].data.find("\n 1.00000000e-03  1.00000000e-03 \n"), std::string::npos) << out.files[2].data;
  const std::string& a = out.files[0].data;
  const auto rows = std::count(a.begin(), a.end(), '\n');
  EXPECT_GE(rows, 5) << a;
  EXPECT_NE(a.find(" 0.00000000e+00  0.00000000e+00  0.00000000e+00  5.00000000e-04  0.00000000e+00  2.00000000e+00 \n"),
            std::string::npos)
      << a;
  EXPECT_NE(a.find(" 1.00000000e-03  1.00000000e+00  1.00000000e-03  5.00000000e-04  1.00000000e-03  2.00000000e+00 \n"),
            std::string::npos)
      << a;
  const std::string& b = out.files[1].data;
  EXPECT_EQ(std::count(b.begin(), b.end(), '\n'), rows) << b;
  EXPECT_NE(b.find("\n" + std::string(32, ' ') + " 1.00000000e-03  1.00000000e+00 \n"), std::string::npos) << b;
}

// ngspice's wrdata of an ac plot's frequency (a complex vector there: real and a zero
// imaginary column) and of a device quantity the run did not save (one value, the
// device's state, repeated along the scale)
TEST(ControlScriptRun, WrdataOfTheAcFrequencyAndOfADeviceState) {
  auto out = runScript(std::string(kRc) + ".control\nac lin 2 1k 2k\nwrdata f.txt frequency\n"
                       "tran 0.25m 1m\nwrdata r.txt time @r1[i]\n.endc\n");
  ASSERT_TRUE(out.errors.empty()) << out.errors[0];
  ASSERT_EQ(out.files.size(), 2u);
  EXPECT_EQ(out.files[0].data,
            " 1.00000000e+03  1.00000000e+03  0.00000000e+00 \n 2.00000000e+03  2.00000000e+03  0.00000000e+00 \n");
  const std::string& r = out.files[1].data;
  EXPECT_EQ(r.find(std::string(16, ' ')), std::string::npos) << r;  // no blank (short) rows
  EXPECT_NE(r.find("\n 1.00000000e-03  1.00000000e-03  1.00000000e-03 "), std::string::npos) << r;
}

// `op` then `print @m1[gm]` (course decks read the operating point's device
// quantities, ngspice without a save): the quantities the script reads are
// saved beside every node; a card value (@m1[w]) and ngspice's name of a device
// in a sub-circuit (@r.x1.r1[...]) too
TEST(ControlScriptRun, PrintedDeviceQuantitiesAreSaved) {
  auto out = runScript("q\nM1 d g 0 0 nm w=10u l=1u\n.model nm nmos level=1 kp=1e-4 vto=0.5\nVd d 0 2\nVg g 0 1.5\n"
                       ".subckt s p\nR1 p 0 2k\n.ends\nX1 d s\n"
                       ".control\nop\nprint @m1[gm] @m1[id] v(d)\nlet w2 = @m1[w] * 2\nprint w2\n"
                       "print @r.x1.r1[i] @r.x1.r1[resistance]\n.endc\n");
  EXPECT_NE(out.text.find("@m1[gm] = 1.000000e-03\n@m1[id] = 5.000000e-04\nv(d) = 2.000000e+00\n"), std::string::npos)
      << out.text;
  EXPECT_NE(out.text.find("w2 = 2.000000e-05\n"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("@r.x1.r1[i] = 1.000000e-03\n@r.x1.r1[resistance] = 2.000000e+03\n"), std::string::npos)
      << out.text;
  EXPECT_TRUE(out.errors.empty()) << out.errors[0];
}

// After a transient or a dc sweep ngspice reads an unsaved device quantity
// from the device's present state: the last point's value, one number. A
// quantity the script saves itself stays the waveform.
TEST(ControlScriptRun, UnsavedDeviceQuantitiesAreTheLastState) {
  const std::string deck =
      "q\nV1 in 0 PWL(0 0 1m 2)\nR1 in out 1k\nR2 out 0 1k\n"
      ".control\ntran 0.1m 1m\nprint @r1[i]\nlet x = @r1[i] * 1000\nprint length(x) x\n"
      "dc v1 0 3 1\nprint @r2[i]\n.endc\n";
  auto out = runScript(deck);
  EXPECT_TRUE(out.errors.empty()) << out.errors[0];
  EXPECT_NE(out.text.find("@r1[i] = 1.000000e-03\n"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("length(x) = 1.000000e+00\nx = 1.000000e+00\n"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("@r2[i] = 1.500000e-03\n"), std::string::npos) << out.text;
  // saved by the script: the whole waveform, printed as a table
  auto saved = runScript("q\nV1 in 0 PWL(0 0 1m 2)\nR1 in out 1k\nR2 out 0 1k\n"
                         ".control\nsave @r1[i]\ntran 0.1m 1m\nprint length(@r1[i])\n.endc\n");
  EXPECT_TRUE(saved.errors.empty()) << saved.errors[0];
  EXPECT_EQ(saved.text.find("length(@r1[i]) = 1.000000e+00"), std::string::npos) << saved.text;
  EXPECT_NE(saved.text.find("length(@r1[i]) = "), std::string::npos) << saved.text;
}

TEST(ControlScriptRun, FailedCommandsAreReportedAndTheScriptGoesOn) {
  auto out = runScript(std::string(kRc) + ".control\nop\nprint nosuch\nwrdata /tmp/x v(out)\necho after\n.endc\n");
  ASSERT_EQ(out.errors.size(), 2u);
  EXPECT_TRUE(contains(out.errors[0], "no such vector 'nosuch'")) << out.errors[0];
  EXPECT_TRUE(contains(out.errors[0], ":7:1:")) << out.errors[0];
  EXPECT_TRUE(contains(out.errors[1], "absolute")) << out.errors[1];
  EXPECT_EQ(out.text, "after\n");
}

TEST(ControlScriptRun, AcVectorsAreComplex) {
  auto out = runScript(std::string(kRc) + ".control\nac dec 1 100 1k\nprint v(out)\nlet p = ph(v(out))\n"
                       "print p[0] db(v(out))[1]\nlinearize\n.endc\n");
  EXPECT_NE(out.text.find("Index   frequency       v(out)                          \n"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("p[0] = -5.60982e-01\n"), std::string::npos) << out.text;  // ngspice prints the same
  ASSERT_EQ(out.errors.size(), 1u);  // linearize needs a transient
  EXPECT_TRUE(contains(out.errors[0], "not a transient"));
}

TEST(ControlScriptRun, RuntimeLoopsAndLinearize) {
  auto out = runScript(std::string(kRc) + ".control\ntran 100u 1m\nlet k = 0\n"
                       "while v(out)[k] < 0.5\n  let k = k + 1\nend\necho first above $&k\n"
                       "linearize v(out)\nlet n = length(time)\nprint n\nsetplot tran1\nlet n1 = length(time)\n"
                       "destroy tran2\n.endc\n");
  EXPECT_TRUE(out.errors.empty()) << out.errors[0];
  EXPECT_NE(out.text.find("first above "), std::string::npos);
  EXPECT_NE(out.text.find("n = 1.100000e+01\n"), std::string::npos) << out.text;
}

TEST(ControlScriptRun, DestroyingTheCurrentPlotReturnsToTheOneNgspicePicks) {
  // ngspice's table generators: the loop's vectors live in the first plot, each pass runs an
  // analysis (a new current plot) and destroys it; the loop's `let`s must find their vectors
  // again (simcore stayed on the destroyed plot: "no such vector", and the loop never ended)
  auto out = runScript(std::string(kRc) + ".control\nop\nlet k = 0\nwhile k < 3\n  op\n  destroy op2\n"
                       "  let k = k + 1\nend\necho k $&k\n.endc\n");
  ASSERT_TRUE(out.errors.empty()) << out.errors[0];
  EXPECT_EQ(out.text, "k 3\n");
  // destroying an older current plot goes to the next newer one, the newest to the next
  // older one, the last to the constants
  out = runScript(std::string(kRc) + ".control\nop\nop\nop\nsetplot op2\ndestroy op2\nsetplot\n"
                  "destroy op3\nsetplot\ndestroy op1\nsetplot\n.endc\n");
  ASSERT_TRUE(out.errors.empty()) << out.errors[0];
  const std::size_t p3 = out.text.find("Current op3"), p1 = out.text.find("Current op1"),
                    pc = out.text.find("Current const");
  EXPECT_TRUE(p3 != std::string::npos && p1 != std::string::npos && pc != std::string::npos && p3 < p1 && p1 < pc)
      << out.text;
}

TEST(ControlScriptRun, SimStatusAndPlotsAfterARun) {
  // ngspice's Monte-Carlo examples test $sim_status after each run; $plots lists live plots
  auto out = runScript(std::string(kRc) + ".control\nop\nlet s = $sim_status\nif s = 0\n  echo ok $sim_status\nend\n"
                       "op\ndestroy op1\necho $plots\n.endc\n");
  ASSERT_TRUE(out.errors.empty()) << out.errors[0];
  EXPECT_EQ(out.text, "ok 0\nop2 const\n");
}

TEST(ControlScriptRun, VectorValuesSubstituteAsNgspicePrintsReals) {
  // $&vec as ngspice's %G: tables written with `echo $&vec >> file` match its bytes
  auto out = runScript(std::string(kRc) + ".control\nlet x = 1e-7\nlet y = vector(3)\necho $&x $&y\n.endc\n");
  ASSERT_TRUE(out.errors.empty()) << out.errors[0];
  EXPECT_EQ(out.text, "1E-07 0 1 2\n");
}

TEST(ControlScriptRun, KeepsOnlyTheVectorsItNames) {
  // a script that names v(out) only: v(in) is not kept, so printing it through
  // a variable (unknown here) still works because $ marks everything as kept
  auto out = runScript(std::string(kRc) + ".control\nop\nprint in\n.endc\n");
  EXPECT_EQ(out.text, "in = 1.000000e+00\n");
  out = runScript(std::string(kRc) + ".control\nop\nprint out\n.endc\n");
  EXPECT_EQ(out.text, "out = 1.000000e+00\n");
  out = runScript(std::string(kRc) + ".control\nop\nprint all\n.endc\n");
  EXPECT_NE(out.text.find("v1#branch = "), std::string::npos) << out.text;
}

// ngspice's trailing comments in scripts: ';' and a '$' between blanks (its
// Monte Carlo examples: `let mc_runs = 100   $ number of runs`); `$x` stays a variable.
TEST(ControlScript, DollarBlankStartsAComment) {
  auto out = runScript(std::string(kRc) +
                       ".control\nlet runs = 3            $ number of runs\nset n = 2 $\n"
                       "echo $n runs $&runs ; the rest\nop\n.endc\n");
  EXPECT_EQ(out.text, "2 runs 3\n");
}

// alter V1 PULSE(...) (a course deck's): ngspice 39 cannot alter a waveform so
// ("Cannot alter parameters") and goes on; simcore warns how to write it and goes on
TEST(ControlScript, AlterOfAWaveformAsOnTheCardIsWarnedAndSkipped) {
  ir::Circuit c = ok(std::string(kRc) + ".control\nalter V1 PULSE(0 1 0 1u 1u 5m 10m)\nop\n.endc\n");
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_TRUE(contains(c.warnings[0].message, "alter @v1[pulse] = [ VALUES ]")) << c.warnings[0].message;
  EXPECT_EQ(c.warnings[0].loc.line, 6);
  ASSERT_EQ(c.analyses.size(), 1u);
  EXPECT_EQ(c.analyses[0].variant, -1);  // the circuit as it is
}

// ngspice's echo: words one blank apart, quotes taken away, blanks inside them kept
TEST(ControlScript, EchoJoinsWordsAndDropsQuotes) {
  auto out = runScript(std::string(kRc) + ".control\nlet i = 3\necho a   $&i',' b 'x  y' \"c  d\" e\n.endc\n");
  EXPECT_EQ(out.text, "a 3, b x  y c  d e\n");
}

// alterparam NAME = VALUE then reset (ngspice's emulation of .step): the netlist
// elaborated again with the parameter, for the analyses after the reset; the value
// stays for later resets; alter and altermod after the reset apply on top
TEST(ControlScript, AlterparamTakesEffectAtReset) {
  const std::string deck =
      "p\n.param r2v = 1k vs = 2\nV1 in 0 {vs}\nR1 in out 1k\nR2 out 0 {r2v}\n"
      ".control\nop\nprint v(out)\nalterparam r2v = 3k\nop\nprint v(out)\nreset\nop\nprint v(out)\n"
      "alterparam vs = 4\nreset\nalter r1 = 3k\nop\nprint v(out)\nreset\nop\nprint v(out)\n.endc\n";
  auto out = runScript(deck);
  ASSERT_TRUE(out.errors.empty()) << out.errors[0];
  EXPECT_EQ(out.text,
            "v(out) = 1.000000e+00\nv(out) = 1.000000e+00\nv(out) = 1.500000e+00\nv(out) = 2.000000e+00\n"
            "v(out) = 3.000000e+00\n");
  Error e = runError("p\n.param a = 1\nR1 1 0 {a}\n.control\nalterparam b = 2\nop\n.endc\n");
  EXPECT_TRUE(contains(e.message, "no top-level .param named 'b'")) << e.message;
}

// alterparam SUBCKT PARAM = VALUE (ngspice 39's example various/alterparam.sp): at the
// next reset every instance of the sub-circuit takes the value, whatever the instance
// gives, for a params: default and a .param in the body alike
TEST(ControlScript, AlterparamOfASubcircuitParameter) {
  const std::string deck =
      "p\n.subckt sr in out r1v=6\n.param r2v = 5\nR1 in out {r1v}\nR2 in out {r2v}\n.ends\n"
      "X1 a 0 sr r1v=2 r2v=2\nX2 b 0 sr\nV1 a 0 1\nV2 b 0 1\n"
      ".control\nop\nprint v1#branch v2#branch\nalterparam sr r1v = 4\nalterparam sr r2v = 4\nreset\nop\n"
      "print v1#branch v2#branch\n.endc\n";
  auto out = runScript(deck);
  ASSERT_TRUE(out.errors.empty()) << out.errors[0];
  EXPECT_EQ(out.text,
            "v1#branch = -1.00000e+00\nv2#branch = -3.66667e-01\nv1#branch = -5.00000e-01\n"
            "v2#branch = -5.00000e-01\n");
  Error e = runError("p\n.subckt sr a b\nR1 a b 1\n.ends\nX1 1 0 sr\n.control\nalterparam sr q = 2\nop\n.endc\n");
  EXPECT_TRUE(contains(e.message, "sub-circuit 'sr' has no parameter 'q'")) << e.message;
  e = runError("p\nR1 1 0 1\n.control\nalterparam nosub q = 2\nop\n.endc\n");
  EXPECT_TRUE(contains(e.message, "no sub-circuit named 'nosub'")) << e.message;
}

// j(x) = x·i (ngspice's FFT examples: let ac = a + j(0) makes a complex vector)
TEST(ControlScriptVectors, JMakesImaginary) {
  script::Vec v = eval("3 + j(2)");
  ASSERT_TRUE(v.complex);
  EXPECT_DOUBLE_EQ(v.re[0], 3);
  EXPECT_DOUBLE_EQ(v.im[0], 2);
  EXPECT_DOUBLE_EQ(eval("mag(j(-4))").re[0], 4);
}

// ngspice's comma operator (its regression tests' `let s = (0,2) * pi * 1e6`):
// (a, b) is re(a) + im(b) + j (im(a) + re(b)), element-wise (cx_comma)
TEST(ControlScriptVectors, CommaInParenthesesMakesAComplexNumber) {
  script::Vec v = eval("(0,2) * 3");
  ASSERT_TRUE(v.complex);
  EXPECT_DOUBLE_EQ(v.re[0], 0);
  EXPECT_DOUBLE_EQ(v.im[0], 6);
  v = eval("( -38.77u, 196.2u )");
  EXPECT_DOUBLE_EQ(v.re[0], -38.77e-6);
  EXPECT_DOUBLE_EQ(v.im[0], 196.2e-6);
  v = eval("(1 + j(2), j(3))");  // ngspice adds the second's imaginary part to the real part
  EXPECT_DOUBLE_EQ(v.re[0], 4);
  EXPECT_DOUBLE_EQ(v.im[0], 2);
}

TEST(ControlScriptVectors, TernaryPicksAWholeVectorByAScalarCondition) {
  EXPECT_DOUBLE_EQ(eval("3 > 2 ? 10 : 20").re[0], 10);
  EXPECT_DOUBLE_EQ(eval("0 ? 10 : 20").re[0], 20);
  EXPECT_DOUBLE_EQ(eval("1 ? 0 ? 1 : 2 : 3").re[0], 2);  // nested, right to left
  EXPECT_DOUBLE_EQ(eval("2 * (1 < 0 ? 4 : 5)").re[0], 10);
  EXPECT_EQ(eval("1 ? vector(4) : 7").size(), 4u);
  script::EvalContext ctx;
  ctx.lookup = [](const std::string&) -> const script::Vec* { return nullptr; };
  auto bad = script::evaluateOne("vector(2) ? 1 : 2", ctx);
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(contains(bad.error().message, "must be a scalar"));
  bad = script::evaluateOne("1 ? 2", ctx);
  ASSERT_FALSE(bad.ok());
}

TEST(ControlScriptRun, LetWithTheTernaryOperator) {
  auto out = runScript(std::string(kRc) + ".control\nop\nlet g = v(out) > 0.5 ? 1 : -1\nprint g\n.endc\n");
  EXPECT_NE(out.text.find("g = 1.000000e+00"), std::string::npos) << out.text;
  EXPECT_TRUE(out.errors.empty()) << out.errors[0];
}

TEST(ControlScriptRun, ADeckWithOnlyAScriptRunsIt) {
  // no analysis card and no analysis command: the script computes and prints (ngspice runs it too)
  auto out = runScript("calc\nR1 a 0 1k\n.control\nlet x = 2 * 3\necho x is $&x\nprint x\n.endc\n.end\n");
  EXPECT_NE(out.text.find("x is 6\n"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("x = 6.000000e+00"), std::string::npos) << out.text;
  EXPECT_TRUE(out.errors.empty()) << out.errors[0];
  // without devices too
  auto bare = runScript("calc\n.control\nlet y = 1 ? 5 : 6\nprint y\n.endc\n.end\n");
  EXPECT_NE(bare.text.find("y = 5.000000e+00"), std::string::npos) << bare.text;
  // still an error without a script and without any card
  Error e = runError("t\n.end\n");
  EXPECT_NE(e.message.find("no analysis card"), std::string::npos) << e.message;
}

// ---- alter with values of earlier analyses (run time)

namespace {
const char* kDiv = "div\nV1 in 0 DC 1\nR1 in out 1k\nR2 out 0 1k\n";
}

// alter R1 = op1.x after `let x = ...` of an op: evaluated when the command
// runs (ngspice's order); the alters after it until the next reset run then
// too, in order (a later alter of the same device wins); a vector of several
// values gives its first (ngspice's doset); an unknown vector is reported at
// its line and the circuit is left as it was, the script goes on (as ngspice)
TEST(ControlScriptRun, AlterTakesValuesOfEarlierAnalyses) {
  const std::string deck = std::string(kDiv) +
                           ".control\nop\nlet x = v(out) * 4k\nalter r1 = op1.x\nalter r2 = 1k\nop\nprint v(out)\n"
                           "compose vv values 3k 5k\nalter r1 = vv\nop\nprint v(out)\n"
                           "alter r1 = nosuch\nop\nprint v(out)\n"
                           "alter r1 = op1.x\nalter r1 = 3k\nop\nprint v(out)\n.endc\n";
  ir::Circuit c = ok(deck);
  ASSERT_EQ(c.analyses.size(), 5u);
  EXPECT_EQ(c.analyses[0].variant, -1);
  for (std::size_t k = 1; k < 5; ++k) {
    ASSERT_GE(c.analyses[k].variant, 0);
    EXPECT_EQ(c.variants[std::size_t(c.analyses[k].variant)].liveFrom, 0) << k;
  }
  EXPECT_EQ(c.variants[std::size_t(c.analyses[1].variant)].label, "r1=op1.x r2=1k");
  int alters = 0;
  for (const auto& st : c.script.statements)
    if (st.command == "alter") {
      ++alters;
      EXPECT_EQ(st.variant, 0);
    }
  EXPECT_EQ(alters, 6);
  auto out = runScript(deck);
  EXPECT_EQ(out.text, "v(out) = 3.333333e-01\nv(out) = 2.500000e-01\nv(out) = 2.500000e-01\nv(out) = 2.500000e-01\n");
  ASSERT_EQ(out.errors.size(), 1u);
  EXPECT_TRUE(contains(out.errors[0], ":16:1: error: 'alter': cannot evaluate 'nosuch': no such vector 'nosuch'"))
      << out.errors[0];
  EXPECT_TRUE(contains(out.errors[0], "the circuit is not changed")) << out.errors[0];
  // a complex value: ngspice sets nothing ("Unable to determine the value"); nor does simcore
  out = runScript(std::string(kDiv) + ".control\nop\nlet z = v(out) + j(1)\nalter r1 = z\nop\nprint v(out)\n.endc\n");
  EXPECT_EQ(out.text, "v(out) = 5.000000e-01\n");
  ASSERT_EQ(out.errors.size(), 1u);
  EXPECT_TRUE(contains(out.errors[0], "'z' is complex")) << out.errors[0];
  // a waveform's list from a vector takes all its values (ngspice's IF_REALVEC parameters);
  // a vector known before the run gives its first value to a number, as at run time
  out = runScript("p\nV1 a 0 pulse(0 1 0 1u 1u 5u 10u)\nR1 a b 1k\nR2 b 0 1k\n.control\n"
                  "let w = vector(3) + 1k\nalter r2 = w\ntran 0.5u 20u\nprint v(b)[12]\n"
                  "compose pv values 0 2 0 1u 1u 5u 10u\nalter @v1[pulse] = pv\ntran 0.5u 20u\nprint v(b)[12]\n.endc\n");
  EXPECT_EQ(out.text, "v(b)[12] = 5.000000e-01\nv(b)[12] = 1.000000e+00\n");
  EXPECT_TRUE(out.errors.empty()) << out.errors[0];
  // an unknown device is found before the run, as for a value known then
  Error e = err(std::string(kDiv) + ".control\nop\nalter r9 = v(out)\nop\nprint v(out)\n.endc\n");
  EXPECT_TRUE(contains(e.message, "no device 'r9'")) << e.message;
  EXPECT_EQ(e.loc.line, 7);
  // after a run-time alter (until reset) it is found when it runs: located, nothing changed, the script goes on
  out = runScript(std::string(kDiv) + ".control\nop\nalter r1 = v(out) * 2k\nalter r9 = 1k\nop\nprint v(out)\n.endc\n");
  EXPECT_EQ(out.text, "v(out) = 5.000000e-01\n");
  ASSERT_EQ(out.errors.size(), 1u);
  EXPECT_TRUE(contains(out.errors[0], ":8:1: error: alter: no device 'r9'")) << out.errors[0];
}

// altermod and source values, a variable set at run time, @dev[param] of the
// altered circuit, set temp after a run-time alter, and reset back to the netlist
TEST(ControlScriptRun, RuntimeAltermodSourcesAndReset) {
  const std::string deck =
      "d\nV1 in 0 DC 1\nR1 in a 1k\nD1 a 0 dm\n.model dm d is=1e-14\n"
      ".control\nop\nlet va = v(a)\nprint va\naltermod dm is = 1e-14 * 10\nalter v1 dc = 2 * op1.va\n"
      "strcmp same \"a\" \"a\"\nalter r1 = 1k + $same\nop\nprint v(in) v(a) @r1[resistance]\nlet r = @r1[resistance]\n"
      "print r\nreset\nop\nprint v(in) v(a)\n.endc\n";
  auto out = runScript(deck);
  ASSERT_TRUE(out.errors.empty()) << out.errors[0];
  auto lines = [](const std::string& t) {
    std::vector<std::string> l;
    for (std::size_t b = 0, e; b < t.size(); b = e + 1) {
      e = t.find('\n', b);
      if (e == std::string::npos) e = t.size();
      l.push_back(t.substr(b, e - b));
    }
    return l;
  };
  auto l = lines(out.text);
  ASSERT_EQ(l.size(), 7u) << out.text;
  auto num = [](const std::string& line) { return std::stod(line.substr(line.find('=') + 1)); };
  // (ngspice 39: va = 0.6294408, v(in) = 1.258882, v(a) = 0.5853421)
  const double va = num(l[0]);
  EXPECT_NEAR(va, 0.6294408, 1e-3 * va);
  EXPECT_NEAR(num(l[1]), 2 * va, 1e-6 * va);
  EXPECT_NEAR(num(l[2]), 0.5853421, 1e-3);  // altermod: the diode's IS ten times larger
  EXPECT_EQ(l[3], "@r1[resistance] = 1.000000e+03");  // strcmp gave 0
  EXPECT_EQ(l[4], "r = 1.000000e+03");
  EXPECT_EQ(l[5], "v(in) = 1.000000e+00");  // reset: the netlist's values again
  EXPECT_EQ(l[6], "v(a) = " + l[0].substr(l[0].find('=') + 2));
}

// alter in loops with values from the op before: repeat, dowhile and foreach
// unrolled (an analysis per pass), and a run-time if whose branches alter
TEST(ControlScriptRun, AlterInLoopsFromResults) {
  auto out = runScript(std::string(kDiv) +
                       ".control\nop\nrepeat 3\n  alter r2 = v(out) * 4k\n  op\n  print v(out)\nend\n"
                       "set n = 0\ndowhile $n < 2\n  alter r2 = 1k * ($n + 1) + 0 * v(out)\n  op\n  print v(out)\n"
                       "  let k = $n + 1\n  set n = \"$&k\"\nend\n"
                       "foreach f 1 3\n  alter r1 = v(out) * $f * 1k\n  op\n  print v(out)\nend\n"
                       "if v(out) > 0.4\n  alter r2 = 3k\nelse\n  alter r2 = 100\nend\nop\nprint v(out)\n.endc\n");
  ASSERT_TRUE(out.errors.empty()) << out.errors[0];
  // r2 = 2k, 2.667k, 2.909k; then 1k, 2k; r1 = v(out) * 1k (v(out) = 2/3), then * 3k
  const double r1a = 2.0 / 3.0 * 1e3, va = 2e3 / (2e3 + r1a);
  const double r1b = va * 3e3, vb = 2e3 / (2e3 + r1b), vif = vb > 0.4 ? 3e3 / (3e3 + r1b) : 100 / (100 + r1b);
  char want[512];
  std::snprintf(want, sizeof want,
                "v(out) = 6.666667e-01\nv(out) = 7.272727e-01\nv(out) = 7.441860e-01\nv(out) = 5.000000e-01\n"
                "v(out) = 6.666667e-01\nv(out) = %.6e\nv(out) = %.6e\nv(out) = %.6e\n",
                va, vb, vif);
  EXPECT_EQ(out.text, want);
  // a run-time block may alter, not run analyses
  Error e = err(std::string(kDiv) + ".control\nop\nif v(out) > 0.4\n  alter r2 = 3k\n  op\nend\n.endc\n");
  EXPECT_TRUE(contains(e.message, "cannot run analyses")) << e.message;
}

namespace {

// A device quantity the script saves and the engine records is, after an analysis,
// that analysis's vector (ngspice looks in the plot before the cards); unsaved,
// or before any analysis, it is the card's value.
TEST(ControlScript, SavedSourceValueIsTheSweepsVectorAfterTheRun) {
  const ScriptOutput out = runScript(
      "sweep\nv1 1 0 dc=0.5\nr1 1 0 1k\n.control\n"
      "let before = @v1[dc]\n"
      "save @v1[dc]\n"
      "dc v1 0 1 250m\n"
      "let foo = @v1[dc]\n"
      "let n = length(foo)\n"
      "let third = foo[2]\n"
      "print before n third\n"
      ".endc\n.end\n");
  EXPECT_NE(out.text.find("before = 5.000000e-01"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("n = 5.000000e+00"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("third = 5.000000e-01"), std::string::npos) << out.text;
}

}  // namespace

// compose of values known before the run (GF180's C-V decks: `compose vbs_vector
// start=0 stop=-3.3 step=-0.825`, then `while vbs_counter < length(vbs_vector)` with
// `alter vbs = vbs_vector[vbs_counter]` and a dc sweep in the loop): the loop runs
// analyses; before, the while read "analysis results" and the deck was rejected
TEST(ControlScript, ComposedVectorsOfKnownValuesDriveLoopsOfAnalyses) {
  const std::string deck = std::string(kDiv) +
                           ".control\ncompose vin start=0 stop=-3 step=-1.5\nlet k = 0\n"
                           "while k < length(vin)\nalter v1 = vin[k]\nop\nprint v(out)\nlet k = k + 1\nend\n"
                           "compose lv lin=3 start=1 stop=2\nprint lv[1]\n.endc\n";
  ir::Circuit c = ok(deck);
  EXPECT_EQ(c.analyses.size(), 3u);
  auto out = runScript(deck);
  EXPECT_EQ(out.text,
            "v(out) = 0.000000e+00\nv(out) = -7.50000e-01\nv(out) = -1.50000e+00\n"
            "lv[1] = 1.500000e+00\n")
      << out.text;
  EXPECT_TRUE(out.errors.empty());
  // a compose that reads results stays a run-time vector: a loop over it may not run analyses
  Error e = err(std::string(kDiv) + ".control\nop\ncompose w values v(out) 1\nlet k = 0\n"
                                    "while k < length(w)\nop\nlet k = k + 1\nend\n.endc\n");
  EXPECT_TRUE(contains(e.message, "reads analysis results")) << e.message;
}

// ngspice's brace expansion of a command's words (csh's): {x} is x, a{b,c} is ab ac
TEST(ControlScript, BracesOfCommandWordsExpandAsNgspice) {
  EXPECT_EQ(script::expandBraces("file {(t1+t2)/2}"), "file (t1+t2)/2");
  EXPECT_EQ(script::expandBraces("v{a,b}x  w"), "vax vbx  w");
  EXPECT_EQ(script::expandBraces("{a,{b,c}}"), "a b c");
  EXPECT_EQ(script::expandBraces("'{a,b}' {open"), "'{a,b}' {open");
  auto out = runScript(std::string(kDiv) + ".control\nop\nlet a = 2\nlet b = 4\nprint {(a+b)/2}\n"
                                           "print {v(out)*1e3}\necho x{1,2}\n.endc\n");
  EXPECT_EQ(out.text, "(a+b)/2 = 3.000000e+00\nv(out)*1e3 = 5.000000e+02\nx1 x2\n") << out.text;
  EXPECT_TRUE(out.errors.empty()) << out.errors[0];
}

TEST(ControlScript, AControlBlockAfterEndRunsAndOtherTextThereIsWarned) {
  // ngspice 39 reads past .end (examples/cider/cider-gnuplot put their .control there)
  const std::string text = std::string(kRc) +
                           ".end\n"
                           "R9 out 0 1\n"
                           ".control\nop\nprint v(out)\n.endc\n";
  auto p = parse(text);
  ASSERT_TRUE(p) << p.error().format();
  const ir::Circuit& c = p.value();
  ASSERT_EQ(c.analyses.size(), 1u);
  EXPECT_EQ(c.analyses[0].kind, ir::AnalysisKind::Op);
  EXPECT_EQ(c.devices.size(), 3u);  // R9 is not part of the circuit
  bool warned = false;
  for (const auto& w : c.warnings)
    if (w.message.find("text after '.end' ignored") != std::string::npos) {
      warned = true;
      EXPECT_EQ(w.loc.line, 6u);
    }
  EXPECT_TRUE(warned);
}
