// .meas cards (issue 12 item 7): parsing into ir::Measure, and evaluation on
// known columns (a triangle wave, whose crossings, averages and integrals are
// exact under linear interpolation).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "simcore/ir.hpp"
#include "simcore/measure.hpp"

using namespace simcore;

namespace {

ir::Circuit ok(const std::string& text) {
  ir::ParseOptions o;
  o.fileName = "t.cir";
  auto r = ir::parseNetlist(text, o);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().format());
  return r.ok() ? std::move(r).value() : ir::Circuit{};
}

Error err(const std::string& text) {
  ir::ParseOptions o;
  o.fileName = "t.cir";
  auto r = ir::parseNetlist(text, o);
  EXPECT_FALSE(r.ok()) << "expected an error for:\n" << text;
  return r.ok() ? Error{} : r.error();
}

bool contains(const std::string& s, const std::string& sub) { return s.find(sub) != std::string::npos; }

// A .meas card that cannot be read is left out with a located warning (ngspice 39 fails that
// measurement alone and runs the deck): the warning, as an Error with its message and place.
Error leftOut(const std::string& text) {
  ir::Circuit c = ok(text);
  for (const auto& w : c.warnings)
    if (contains(w.message, "' left out: ")) return Error{ErrorCode::Parse, w.message, w.loc};
  ADD_FAILURE() << "expected a .meas card left out in:\n" << text;
  return Error{};
}

// x = 0..4 step 0.5; tri rises 0 -> 1 on [0,1], falls to 0 on [1,2], repeats.
struct Data {
  std::vector<double> x, tri, lin;
  Data() {
    for (int k = 0; k <= 8; ++k) {
      const double t = 0.5 * k;
      x.push_back(t);
      const double ph = std::fmod(t, 2.0);
      tri.push_back(ph <= 1 ? ph : 2 - ph);
      lin.push_back(3 * t);
    }
  }
  MeasureResult eval(const ir::Measure& m) const {
    return evaluateMeasure(m, x, [&](const std::string& n) -> const std::vector<double>* {
      if (n == "v(tri)") return &tri;
      if (n == "v(lin)") return &lin;
      return nullptr;
    });
  }
};

ir::Measure measureOf(const std::string& card) {
  ir::Circuit c = ok("t\nV1 tri 0 1\nR1 tri 0 1\n.param half=0.5\n" + card + "\n");
  EXPECT_EQ(c.measures.size(), 1u);
  return c.measures.empty() ? ir::Measure{} : c.measures[0];
}

}  // namespace

TEST(NetlistMeasure, ParsesEveryForm) {
  ir::Measure m = measureOf(".meas tran tr TRIG v(tri) VAL=0.2 RISE=2 TD=1m TARG v(tri) VAL={half} FALL=LAST");
  EXPECT_EQ(m.name, "tr");
  EXPECT_EQ(m.kind, ir::MeasureKind::TrigTarg);
  EXPECT_EQ(m.trig.signal, "v(tri)");
  EXPECT_DOUBLE_EQ(m.trig.value, 0.2);
  EXPECT_EQ(m.trig.edge, 1);
  EXPECT_EQ(m.trig.count, 2);
  EXPECT_DOUBLE_EQ(m.trig.td, 1e-3);
  EXPECT_EQ(m.targ.edge, -1);
  EXPECT_EQ(m.targ.count, -1);
  EXPECT_DOUBLE_EQ(m.targ.value, 0.5);
  m = measureOf(".measure tran x FIND v(a,b) WHEN v(tri)=0.3 CROSS=1");
  EXPECT_EQ(m.kind, ir::MeasureKind::FindWhen);
  EXPECT_EQ(m.signal, "v(a,b)");
  EXPECT_EQ(m.trig.edge, 0);
  m = measureOf(".meas dc y AVG i(v1) FROM=1 TO=2");
  EXPECT_EQ(m.analysis, ir::AnalysisKind::Dc);
  EXPECT_EQ(m.kind, ir::MeasureKind::Avg);
  EXPECT_DOUBLE_EQ(m.from, 1);
  m = measureOf(".meas ac g MAX vdb(out)");
  EXPECT_EQ(m.analysis, ir::AnalysisKind::Ac);
  EXPECT_EQ(m.signal, "vdb(out)");
  m = measureOf(".meas tran d TRIG AT=1m TARG v(tri) VAL=1");
  EXPECT_TRUE(m.trig.signal.empty());
  EXPECT_DOUBLE_EQ(m.trig.at, 1e-3);
  // the .control command meas runs on the current plot (a script statement; test_control_commands.cpp)
  ir::Circuit c = ok("t\nV1 a 0 1\nR1 a 0 1\n.tran 1u 1m\n.control\nrun\nmeas tran vmax MAX v(a)\n.endc\n");
  EXPECT_TRUE(c.measures.empty());
  ASSERT_EQ(c.script.statements.size(), 1u);
  EXPECT_EQ(c.script.statements[0].command, "meas");
}

// LTspice's .meas without an analysis: the deck's one .tran/.ac/.dc kind; with none or several
// kinds it stays left out (warned), as ngspice 39 fails it
TEST(NetlistMeasure, WithoutAnAnalysisTakesTheDecksOne) {
  ir::Circuit c = ok("t\nV1 a 0 1\nR1 a 0 1\n.meas vmax MAX v(a)\n.ac dec 1 1 10\n.meas vx FIND v(a) AT=1\n");
  ASSERT_EQ(c.measures.size(), 2u);
  EXPECT_EQ(c.measures[0].name, "vmax");
  EXPECT_EQ(c.measures[0].analysis, ir::AnalysisKind::Ac);
  EXPECT_EQ(c.measures[0].kind, ir::MeasureKind::Max);
  int warned = 0;
  for (const auto& w : c.warnings) warned += contains(w.message, "names no analysis: taken as the deck's .ac");
  EXPECT_EQ(warned, 1);
  c = ok("t\nV1 a 0 1\nR1 a 0 1\n.tran 1u 1m\n.ac dec 1 1 10\n.meas vmax MAX v(a)\n");
  EXPECT_TRUE(c.measures.empty());
}

TEST(NetlistMeasure, Errors) {
  Error e = leftOut("t\n.meas tran x FOO v(a)\n");
  EXPECT_TRUE(contains(e.message, "'.meas' form 'foo' is not supported"));
  EXPECT_EQ(e.loc.col, 14);
  e = leftOut("t\n.meas noise x AVG v(a)\n");
  EXPECT_TRUE(contains(e.message, "'.meas noise'"));
  // .meas sp (ngspice's S-parameter analysis) is warned and skipped
  ir::Circuit c = ok("t\nV1 a 0 1\nR1 a 0 1\n.op\n.meas sp x MAX s_1_1\n.meas sp y MIN s_2_1\n");
  EXPECT_TRUE(c.measures.empty());
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_TRUE(contains(c.warnings[0].message, "'.meas sp' ignored"));
  e = leftOut("t\n.meas tran x TRIG v(a) VAL=1 RISE=0 TARG v(a) VAL=2\n");
  EXPECT_TRUE(contains(e.message, "whole number >= 1"));
  e = leftOut("t\n.meas tran x AVG v(a) FROM=2 TO=1\n");
  EXPECT_TRUE(contains(e.message, "TO is before FROM"));
  // a .func of other measurements: its body with the arguments in place, read after the run (as ngspice)
  c = ok("t\nV1 a 0 1\nR1 a 0 1\n.tran 1 2\n.param k=3\n.func g(b) {b+k}\n.func f(a) {g(a)*2}\n"
         ".meas tran x param='f(y)'\n.meas tran y MAX v(a)\n");
  ASSERT_EQ(c.measures.size(), 2u);
  EXPECT_EQ(c.measures[0].expr.names, (std::vector<std::string>{"y", "k"}));
  e = leftOut("t\n.func f(a) {a*2}\n.meas tran x param='f(y, 1)'\n.meas tran y MAX v(a)\n");
  EXPECT_TRUE(contains(e.message, "function 'f' takes 1 argument, got 2")) << e.message;
  e = leftOut("t\n.meas tran x param='agauss(y, 1, 1)'\n.meas tran y MAX v(a)\n");
  EXPECT_TRUE(contains(e.message, "'agauss()' in PARAM= may read .params only")) << e.message;
  e = leftOut("t\n.meas tran x TRIG v(a) VAL=1\n");
  EXPECT_TRUE(contains(e.message, "expected TARG"));
}

TEST(NetlistMeasure, CrossingsAndPoints) {
  const Data d;
  // rising through 0.25: t = 0.25, 2.25; falling: 1.75, 3.75
  MeasureResult r = d.eval(measureOf(".meas tran a TRIG v(tri) VAL=0.25 RISE=1 TARG v(tri) VAL=0.25 FALL=2"));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_DOUBLE_EQ(r.value, 3.75 - 0.25);
  r = d.eval(measureOf(".meas tran a WHEN v(tri)=0.25 CROSS=3"));
  EXPECT_DOUBLE_EQ(r.value, 2.25);
  r = d.eval(measureOf(".meas tran a WHEN v(tri)=0.25 RISE=LAST"));
  EXPECT_DOUBLE_EQ(r.value, 2.25);
  r = d.eval(measureOf(".meas tran a WHEN v(tri)=0.25 RISE=1 TD=1"));
  EXPECT_DOUBLE_EQ(r.value, 2.25);
  r = d.eval(measureOf(".meas tran a FIND v(lin) WHEN v(tri)=0.75 FALL=1"));
  EXPECT_DOUBLE_EQ(r.value, 3 * 1.25);
  r = d.eval(measureOf(".meas tran a FIND v(tri) AT=0.8"));
  EXPECT_DOUBLE_EQ(r.value, 0.8);
  r = d.eval(measureOf(".meas tran a DERIV v(tri) AT=1.2"));
  EXPECT_DOUBLE_EQ(r.value, -1.0);
  r = d.eval(measureOf(".meas tran a TRIG AT=0.5 TARG v(tri) VAL=0.5 FALL=1"));
  EXPECT_DOUBLE_EQ(r.value, 1.0);
  // failures say why
  r = d.eval(measureOf(".meas tran a WHEN v(tri)=2"));
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(contains(r.error, "does not cross through 2")) << r.error;
  r = d.eval(measureOf(".meas tran a MAX v(nothere)"));
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(contains(r.error, "not among the saved signals"));
  r = d.eval(measureOf(".meas tran a FIND v(tri) AT=9"));
  EXPECT_FALSE(r.ok);
}

TEST(NetlistMeasure, WindowStatistics) {
  const Data d;
  // one period [0, 2] of the triangle: average 1/2 (the samples' trapezoid). INTEG and RMS
  // as ngspice 39: Simpson's 3/8 rule over the first three equal steps (0 .. 1.5, across the
  // corner at 1: 1.5 (0 + 3 (0.5 + 1) + 0.5) / 8 = 0.9375 where the triangle's area is 0.75),
  // then the trapezoid (1.5 .. 2, the next step being TO's repeated sample): 0.125; for RMS
  // y^2: 0.75 + 0.0625 over 2
  EXPECT_DOUBLE_EQ(d.eval(measureOf(".meas tran a AVG v(tri) FROM=0 TO=2")).value, 0.5);
  EXPECT_DOUBLE_EQ(d.eval(measureOf(".meas tran a INTEG v(tri) FROM=0 TO=2")).value, 1.0625);
  EXPECT_DOUBLE_EQ(d.eval(measureOf(".meas tran a RMS v(tri) FROM=0 TO=2")).value, std::sqrt(0.8125 / 2));
  // MIN, MAX, PP (and AVG) take the samples inside the window as they are
  // (ngspice 39): here only the one at 0.5; INTEG and RMS interpolate the ends
  EXPECT_DOUBLE_EQ(d.eval(measureOf(".meas tran a MIN v(tri) FROM=0.2 TO=0.9")).value, 0.5);
  EXPECT_DOUBLE_EQ(d.eval(measureOf(".meas tran a MAX v(tri) FROM=0.2 TO=1.2")).value, 1.0);
  EXPECT_DOUBLE_EQ(d.eval(measureOf(".meas tran a PP v(tri) FROM=0.2 TO=1.2")).value, 0.5);
  EXPECT_DOUBLE_EQ(d.eval(measureOf(".meas tran a AVG v(tri) FROM=0.2 TO=1.2")).value, 0.75);
  EXPECT_DOUBLE_EQ(d.eval(measureOf(".meas tran a INTEG v(tri) FROM=0.2 TO=0.6")).value, 0.5 * 0.4 * (0.2 + 0.6));
  EXPECT_DOUBLE_EQ(d.eval(measureOf(".meas tran a MAX v(lin)")).value, 12.0);
  EXPECT_DOUBLE_EQ(d.eval(measureOf(".meas tran a INTEG v(lin) FROM=1 TO=3")).value, 12.0);
}

TEST(NetlistMeasure, SinkKeepsTheColumnsOfTheFirstAnalysisOfEachKind) {
  ir::Circuit c = ok("t\nV1 a 0 1\nR1 a 0 1\n.meas tran m MAX v(a)\n.meas ac g MAX vdb(a)\n.meas dc z MIN v(a)\n"
                     ".meas ac re MAX v(a)\n");
  MeasureSink sink(nullptr, c.measures);
  AnalysisHeader h;
  h.type = AnalysisType::Tran;
  h.xName = "time";
  h.signals = {{"v(a)", SignalKind::Voltage}};
  const std::vector<double> x{0, 1, 2}, y{1, 3, 2};
  Chunk ch;
  ch.rows = 3;
  ch.x = x;
  ch.re = {std::span<const double>(y)};
  sink.begin(h);
  sink.chunk(ch);
  sink.end({AnalysisType::Tran, 3});
  // an ac result: |0.1 + 0i| = -20 dB, |10i| = 20 dB
  h.type = AnalysisType::Ac;
  h.complex = true;
  const std::vector<double> f{1, 10}, re{0.1, 0}, im{0, 10};
  Chunk ca;
  ca.rows = 2;
  ca.x = f;
  ca.re = {std::span<const double>(re)};
  ca.im = {std::span<const double>(im)};
  sink.begin(h);
  sink.chunk(ca);
  sink.end({AnalysisType::Ac, 2});
  const std::vector<MeasureResult> r = sink.results();
  ASSERT_EQ(r.size(), 4u);
  EXPECT_TRUE(r[3].ok);
  EXPECT_DOUBLE_EQ(r[3].value, 0.1);  // ac v(a): the real part
  EXPECT_TRUE(r[0].ok);
  EXPECT_DOUBLE_EQ(r[0].value, 3.0);
  EXPECT_TRUE(r[1].ok) << r[1].error;
  EXPECT_NEAR(r[1].value, 20.0, 1e-12);
  EXPECT_FALSE(r[2].ok);  // no dc ran
  EXPECT_TRUE(contains(r[2].error, "no analysis of its kind ran"));
}

TEST(NetlistMeasure, ParamExpressionsReadOtherMeasurementsAfterThemAsNgspice) {
  // every other measurement first (a name measured twice: the last one), then
  // the PARAM= ones in order, each seeing the PARAM= ones before it
  ir::Circuit c = ok("t\nV1 a 0 1\nR1 a 0 1\n.param k=2\n"
                     ".meas tran early param='top*k'\n"
                     ".meas tran top MAX v(a)\n"
                     ".meas tran low MIN v(a)\n"
                     ".meas tran pp param={top-low}\n"
                     ".meas tran top MAX v(a) FROM=1.5\n"
                     ".meas tran after param='pp+early'\n"
                     ".meas tran before param='later+1'\n"
                     ".meas tran later param='low'\n"
                     ".meas tran nosuch param='zz*2'\n");
  ASSERT_EQ(c.measures.size(), 9u);
  EXPECT_EQ(c.measures[0].kind, ir::MeasureKind::Param);
  MeasureSink sink(nullptr, c.measures);
  AnalysisHeader h;
  h.type = AnalysisType::Tran;
  h.xName = "time";
  h.signals = {{"v(a)", SignalKind::Voltage}};
  const std::vector<double> x{0, 1, 2}, y{1, 3, 2};
  Chunk ch;
  ch.rows = 3;
  ch.x = x;
  ch.re = {std::span<const double>(y)};
  sink.begin(h);
  sink.chunk(ch);
  sink.end({AnalysisType::Tran, 3});
  const std::vector<MeasureResult> r = sink.results();
  ASSERT_EQ(r.size(), 9u);
  EXPECT_DOUBLE_EQ(r[1].value, 3.0);
  EXPECT_DOUBLE_EQ(r[4].value, 2.0);  // max of the samples in [1.5, 2] (ngspice 39: no interpolated ends)
  EXPECT_TRUE(r[0].ok) << r[0].error;
  EXPECT_DOUBLE_EQ(r[0].value, 4.0);  // the last top (2) times k
  EXPECT_DOUBLE_EQ(r[3].value, 1.0);  // 2 - 1
  EXPECT_DOUBLE_EQ(r[5].value, 5.0);
  EXPECT_FALSE(r[6].ok);  // a PARAM= after it
  EXPECT_TRUE(contains(r[6].error, "'later'")) << r[6].error;
  EXPECT_DOUBLE_EQ(r[7].value, 1.0);
  EXPECT_FALSE(r[8].ok);
}

// PARAM= with .func calls over .params: folded to its value (ngspice's examples/measure/func_cap.sp)
TEST(NetlistMeasure, ParamFuncCallsOfParamsAreFolded) {
  ir::Circuit c = ok("t\nV1 a 0 1\nR1 a 0 1\n.func f(a,b) '2*a*sqrt(b)'\n.param k=4\n.tran 1u 1m\n"
                     ".meas tran x param='max(f(1,k))+1'\n");
  ASSERT_EQ(c.measures.size(), 1u);
  MeasureResult r = evaluateParamMeasure(c.measures[0], [](const std::string&) { return std::nullopt; });
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_DOUBLE_EQ(r.value, 5.0);
}

// par('expr') in place of a signal: ngspice's B source on node pa_NN, read as v(pa_NN)
TEST(NetlistMeasure, ParExpressionBecomesAProbeSource) {
  ir::Circuit c = ok("t\nV1 a 0 1\nR1 a b 1\nR2 b 0 1\n.tran 1u 1m\n"
                     ".meas tran x FIND par('v(a)*v(b)') AT=0.5m\n"
                     ".meas tran y AVG par('v(a)-v(b)') FROM=0 TO=1m\n");
  ASSERT_EQ(c.measures.size(), 2u);
  EXPECT_EQ(c.measures[0].signal, "v(pa_00)");
  EXPECT_EQ(c.measures[1].signal, "v(pa_01)");
  int probes = 0;
  for (const ir::Device& dv : c.devices)
    if (dv.name == "bpa_00" || dv.name == "bpa_01") {
      ++probes;
      EXPECT_EQ(dv.letter, 'b');
      ASSERT_TRUE(dv.behaviour.has_value());
      EXPECT_EQ(dv.nodes[1], "0");
    }
  EXPECT_EQ(probes, 2);
  // an expression naming an unknown node is an error at the node
  Error e = err("t\nV1 a 0 1\nR1 a 0 1\n.tran 1u 1m\n.meas tran x FIND par('v(zz)') AT=0.5m\n");
  EXPECT_TRUE(contains(e.message, "unknown node 'zz'")) << e.message;
  EXPECT_EQ(e.loc.line, 5);
  e = leftOut("t\nV1 a 0 1\nR1 a 0 1\n.tran 1u 1m\n.meas tran x FIND par() AT=0.5m\n");
  EXPECT_TRUE(contains(e.message, "par() needs an expression")) << e.message;
}

// FROM=/TO= in a WHEN, TRIG or TARG part: only crossings inside the window
// count, as ngspice 39 (its WHEN v(a)=0.5 RISE=1 FROM=1.2m finds the rise after 1.2 ms)
TEST(NetlistMeasure, WindowInAWhenPart) {
  const Data d;
  ir::Measure m = measureOf(".meas tran x WHEN v(tri)=0.5 RISE=1 FROM=1 TO=4");
  EXPECT_DOUBLE_EQ(m.trig.from, 1);
  EXPECT_DOUBLE_EQ(m.trig.to, 4);
  MeasureResult r = d.eval(m);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_DOUBLE_EQ(r.value, 2.5);  // the rise at 0.5 is before FROM
  m = measureOf(".meas tran x WHEN v(tri)=0.5 CROSS=LAST FROM=0 TO=3");
  r = d.eval(m);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_DOUBLE_EQ(r.value, 2.5);  // the fall at 3.5 is after TO
  m = measureOf(".meas tran x TRIG v(tri) VAL=0.5 RISE=1 FROM=2 TARG v(tri) VAL=0.5 FALL=1 FROM=3");
  r = d.eval(m);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_DOUBLE_EQ(r.value, 3.5 - 2.5);
  m = measureOf(".meas tran x WHEN v(tri)=0.5 RISE=1 FROM=2.6 TO=3.9");
  r = d.eval(m);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(contains(r.error, "between 2.6 and 3.9")) << r.error;
}
