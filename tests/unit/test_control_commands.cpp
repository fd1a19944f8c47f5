// .control commands that work on the results (issue 12): meas on the current
// plot, fft, define/undefine, plot-qualified vectors and plot variables, '+'
// continuation lines; alter of devices inside subcircuits; saves of nodes
// that do not exist. The measure engine's ngspice 39 semantics (AVG, MIN_AT,
// MAX_AT, WHEN of two signals) for both the card and the command.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "netlist_test_util.hpp"
#include "script/runner.hpp"
#include "script/vectors.hpp"
#include "simcore/ir.hpp"
#include "simcore/measure.hpp"
#include "simcore/simulate.hpp"

using namespace simcore;
using namespace simcore::testutil;

namespace {

RunStats run(const std::string& text) {
  auto r = simulateText(text);
  if (!r) {
    ADD_FAILURE() << r.error().format();
    return {};
  }
  return r.value();
}

// The number after "name = " (print) or "name<blanks>=  " (meas) in text; NaN when absent.
double valueOf(const std::string& text, const std::string& name) {
  std::size_t at = 0;
  while ((at = text.find(name, at)) != std::string::npos) {
    if (at == 0 || text[at - 1] == '\n') {
      std::size_t k = at + name.size();
      while (k < text.size() && text[k] == ' ') ++k;
      if (k < text.size() && text[k] == '=') return std::strtod(text.c_str() + k + 1, nullptr);
    }
    at += name.size();
  }
  return std::nan("");
}

// a = sin(2 pi 1k t), b = 0.5: a - b crosses zero rising at 1/12 ms (+ k ms)
// and falling at 5/12 ms (+ k ms)
const char* kSines = "sines\nVa a 0 SIN(0 1 1k)\nVb b 0 0.5\nRa a 0 1k\nRb b 0 1k\n";

ir::Measure card(const std::string& line) {
  ir::Circuit c = ok(std::string("t\nV1 a 0 1\nV2 b 0 1\nR1 a b 1\n.tran 1u 1m\n") + line + "\n");
  EXPECT_EQ(c.measures.size(), 1u);
  return c.measures.empty() ? ir::Measure{} : c.measures[0];
}

}  // namespace

// ---- the measure engine

TEST(MeasureEngine, AvgMinMaxReadTheSamplesInsideTheWindowAsNgspice39) {
  const std::vector<double> x{0, 1, 3, 4}, y{0, 2, 2, 5};
  auto column = [&](const std::string&) -> const std::vector<double>* { return &y; };
  ir::Measure m;
  m.signal = "v(a)";
  m.kind = ir::MeasureKind::Avg;
  m.from = 0.5;
  m.to = 3.5;
  // the samples at 1 and 3 only (no interpolated ends): their average is 2
  EXPECT_DOUBLE_EQ(evaluateMeasure(m, x, column).value, 2.0);
  m.from = 0;
  m.to = 4;
  EXPECT_DOUBLE_EQ(evaluateMeasure(m, x, column).value, (1.0 + 4.0 + 3.5) / 4.0);
  m.kind = ir::MeasureKind::MaxAt;
  EXPECT_DOUBLE_EQ(evaluateMeasure(m, x, column).value, 4.0);
  m.kind = ir::MeasureKind::MinAt;
  EXPECT_DOUBLE_EQ(evaluateMeasure(m, x, column).value, 0.0);
  // equal extremes: the last one counts (as ngspice)
  m.to = 3;
  m.kind = ir::MeasureKind::MaxAt;
  EXPECT_DOUBLE_EQ(evaluateMeasure(m, x, column).value, 3.0);
  m.from = 10;
  m.to = 20;
  EXPECT_FALSE(evaluateMeasure(m, x, column).ok);
}

// INTEG and RMS as ngspice 39's measure_rms_integral: Simpson's 3/8 rule over three equal
// steps, the 1/3 rule over two, the trapezoid over a step unlike the next; a FROM off the
// samples replaces the first sample after it by the value at FROM, TO the first sample past it
// ngspice 39's result lines (com_measure2.c): a .meas card's WHEN, RMS and INTEG with five digits
// after "=   ", the `meas` command's WHEN as any other and its RMS and INTEG with five after "=  ";
// AVG's from= is the FROM given and its to= the first sample past TO (where ngspice's loop stops)
TEST(MeasureEngine, ResultLinesAsNgspicePrintsThem) {
  std::vector<double> x, y;
  for (int k = 0; k <= 10; ++k) x.push_back(k * 1e-3), y.push_back(k * 0.1);
  auto column = [&](const std::string&) -> const std::vector<double>* { return &y; };
  ir::Measure m;
  m.name = "w";
  m.signal = "v(a)";
  m.kind = ir::MeasureKind::When;
  m.trig.signal = "v(a)";
  m.trig.value = 0.55;
  m.trig.edge = 1;
  MeasureResult r = evaluateMeasure(m, x, column);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(measureLine(r), "w                   =   5.50000e-03");
  EXPECT_EQ(measureLine(r, false), "w                   =  5.500000e-03");
  m.name = "r";
  m.kind = ir::MeasureKind::Rms;
  m.from = 2e-3;
  m.to = 4e-3;
  r = evaluateMeasure(m, x, column);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(measureLine(r).substr(20), "=   3.05505e-01 from=  2.00000e-03 to=  4.00000e-03");
  EXPECT_EQ(measureLine(r, false).substr(20), "=  3.05505e-01 from=  2.00000e-03 to=  4.00000e-03");
  m.name = "a";
  m.kind = ir::MeasureKind::Avg;
  m.from = 2.5e-3;
  m.to = 4.5e-3;
  r = evaluateMeasure(m, x, column);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(measureLine(r).substr(20), "=  3.500000e-01 from=  2.500000e-03 to=  5.000000e-03");  // (samples 3, 4 ms)
}

TEST(MeasureEngine, IntegAndRmsUseNgspicesSimpsonRules) {
  // y = x^3 on six equal steps: two 3/8 pieces, exact for a cubic (the trapezoid is not)
  std::vector<double> x, y;
  for (int k = 0; k <= 6; ++k) x.push_back(k / 6.0), y.push_back(std::pow(k / 6.0, 3));
  auto column = [&](const std::string&) -> const std::vector<double>* { return &y; };
  ir::Measure m;
  m.signal = "v(a)";
  m.kind = ir::MeasureKind::Integ;
  EXPECT_NEAR(evaluateMeasure(m, x, column).value, 0.25, 1e-15);
  // two equal steps, then a longer one: the 1/3 rule (exact for x^2), then the trapezoid
  const std::vector<double> x2{0, 1, 2, 4}, y2{0, 1, 4, 16};
  auto column2 = [&](const std::string&) -> const std::vector<double>* { return &y2; };
  EXPECT_NEAR(evaluateMeasure(m, x2, column2).value, 8.0 / 3.0 + 2 * (4 + 16) / 2.0, 1e-12);
  // FROM = 0.5 between samples: (0.5, 0.5) replaces the sample at 1 (ngspice's reading), then
  // the steps 1.5 and 2 differ: trapezoids (0.5 + 4) * 1.5 / 2 + (4 + 16) * 2 / 2
  m.from = 0.5;
  EXPECT_NEAR(evaluateMeasure(m, x2, column2).value, (0.5 + 4) * 1.5 / 2 + 20.0, 1e-12);
  // RMS of y = 2 over [0, 3] (TO = 3 between samples: the value there ends it)
  const std::vector<double> x3{0, 1, 2, 4}, y3{2, 2, 2, 2};
  auto column3 = [&](const std::string&) -> const std::vector<double>* { return &y3; };
  m.kind = ir::MeasureKind::Rms;
  m.from = -1e300;
  m.to = 3;
  EXPECT_NEAR(evaluateMeasure(m, x3, column3).value, 2.0, 1e-15);
  // a rising dc sweep below 0 with TO below 0: the span ends at TO (ngspice 39 takes its last
  // value whenever TO is negative: RMS over the whole sweep's span, an outlier)
  const std::vector<double> x4{-4, -3, -2, -1, 0}, y4{2, 2, 2, 2, 2};
  auto column4 = [&](const std::string&) -> const std::vector<double>* { return &y4; };
  m.from = -1e300;
  m.to = -1.5;
  EXPECT_NEAR(evaluateMeasure(m, x4, column4).value, 2.0, 1e-15);
  m.kind = ir::MeasureKind::Integ;
  EXPECT_NEAR(evaluateMeasure(m, x4, column4).value, 2.0 * 2.5, 1e-12);
  m.kind = ir::MeasureKind::Rms;
  m.from = 10;
  m.to = 20;
  EXPECT_FALSE(evaluateMeasure(m, x3, column3).ok);
}

TEST(MeasureEngine, WhenOfTwoSignalsIsWhereTheyCross) {
  const std::vector<double> x{0, 1, 2, 3}, a{0, 2, 0, 2}, b{1, 1, 1, 1};
  auto column = [&](const std::string& n) -> const std::vector<double>* { return n == "v(a)" ? &a : &b; };
  ir::Measure m;
  m.kind = ir::MeasureKind::When;
  m.trig.signal = "v(a)";
  m.trig.signal2 = "v(b)";
  m.trig.count = 2;
  EXPECT_DOUBLE_EQ(evaluateMeasure(m, x, column).value, 1.5);  // the second crossing (falling)
  m.trig.edge = 1;
  EXPECT_DOUBLE_EQ(evaluateMeasure(m, x, column).value, 2.5);  // the second rise
  m.trig.count = -1;
  m.trig.edge = -1;
  EXPECT_DOUBLE_EQ(evaluateMeasure(m, x, column).value, 1.5);  // the last fall
  m.trig.signal2 = "v(c)";
  auto none = [&](const std::string& n) -> const std::vector<double>* { return n == "v(a)" ? &a : nullptr; };
  auto r = evaluateMeasure(m, x, none);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(contains(r.error, "'v(c)'")) << r.error;
}

// ngspice 39: a signal that starts on the level and rises has crossed it at
// the start (a sine from 0 crosses 0 at t = 0, course decks' CROSS=1); one that
// starts on it and falls has not
TEST(MeasureEngine, AStartOnTheLevelGoingUpIsTheFirstRise) {
  const std::vector<double> x{0, 1, 2, 3, 4}, up{0, 1, 0, -1, 0}, down{0, -1, 0, 1, 0};
  const std::vector<double>* y = &up;
  auto column = [&](const std::string&) -> const std::vector<double>* { return y; };
  ir::Measure m;
  m.kind = ir::MeasureKind::When;
  m.trig.signal = "v(a)";
  m.trig.count = 1;
  EXPECT_DOUBLE_EQ(evaluateMeasure(m, x, column).value, 0.0);
  m.trig.count = 2;
  EXPECT_DOUBLE_EQ(evaluateMeasure(m, x, column).value, 2.0);
  m.trig.edge = 1;
  m.trig.count = 1;
  EXPECT_DOUBLE_EQ(evaluateMeasure(m, x, column).value, 0.0);
  y = &down;
  m.trig.edge = 0;
  EXPECT_DOUBLE_EQ(evaluateMeasure(m, x, column).value, 2.0);
  m.trig.edge = -1;
  EXPECT_DOUBLE_EQ(evaluateMeasure(m, x, column).value, 4.0);
  EXPECT_FALSE(evaluateMeasure(m, std::span<const double>(x).first(4), column).ok);
}

// ngspice 39 hands a FROM= of TRIG or TARG to the other part when it has none
TEST(MeasureEngine, TrigTargShareAFromGivenOnce) {
  const std::vector<double> x{0, 1, 2, 3, 4, 5, 6}, y{0, 1, 0, 1, 0, 1, 0};
  auto column = [&](const std::string&) -> const std::vector<double>* { return &y; };
  ir::Measure m;
  m.kind = ir::MeasureKind::TrigTarg;
  m.trig.signal = m.targ.signal = "v(a)";
  m.trig.value = m.targ.value = 0.5;
  m.trig.edge = m.targ.edge = 1;
  m.trig.count = 1;
  m.targ.count = 2;
  EXPECT_DOUBLE_EQ(evaluateMeasure(m, x, column).value, 2.0);  // rises at 0.5 and 2.5
  m.targ.from = 1.5;  // written after TARG: the TRIG's first rise is after 1.5 too
  EXPECT_DOUBLE_EQ(evaluateMeasure(m, x, column).value, 2.0);  // 2.5 to 4.5
  EXPECT_NE(evaluateMeasure(m, x, column).value, 4.0);
  m.targ.from = -1e300;
  m.trig.from = 1.5;
  EXPECT_DOUBLE_EQ(evaluateMeasure(m, x, column).value, 2.0);
}

TEST(MeasureEngine, NestedAndFallingDcSweeps) {
  // two branches of a nested dc sweep (the scale jumps back to its start)
  const std::vector<double> x{0, 1, 2, 0, 1, 2}, y{0, 1, 2, 1, 2, 3};
  auto column = [&](const std::string&) -> const std::vector<double>* { return &y; };
  ir::Measure m;
  m.signal = "v(a)";
  m.kind = ir::MeasureKind::FindAt;
  m.at = 1.5;
  EXPECT_DOUBLE_EQ(evaluateMeasure(m, x, column).value, 1.5);  // the first branch that holds it
  m.kind = ir::MeasureKind::When;
  m.trig.signal = "v(a)";
  m.trig.value = 1.5;
  m.trig.count = 2;
  // the jump back is no crossing to locate; CROSS counts again from it (it passes the level: one)
  EXPECT_DOUBLE_EQ(evaluateMeasure(m, x, column).value, 0.5);
  // a falling sweep
  const std::vector<double> xd{2, 1, 0}, yd{4, 2, 0};
  auto cd = [&](const std::string&) -> const std::vector<double>* { return &yd; };
  m.kind = ir::MeasureKind::FindAt;
  m.at = 0.25;
  EXPECT_DOUBLE_EQ(evaluateMeasure(m, xd, cd).value, 0.5);
  m.at = 3;
  EXPECT_FALSE(evaluateMeasure(m, xd, cd).ok);
  // crossings at negative sweep values count (TD applies only when given)
  const std::vector<double> xn{-2, -1, 0};
  m.kind = ir::MeasureKind::When;
  m.trig.count = 1;
  m.trig.value = -1.5;
  EXPECT_DOUBLE_EQ(evaluateMeasure(m, xn, [&](const std::string&) -> const std::vector<double>* { return &xn; }).value, -1.5);
}

TEST(MeasureCard, MinAtMaxAtAndWhenOfTwoSignals) {
  ir::Measure m = card(".meas tran tpk MAX_AT v(a) FROM=0.1m");
  EXPECT_EQ(m.kind, ir::MeasureKind::MaxAt);
  EXPECT_DOUBLE_EQ(m.from, 1e-4);
  EXPECT_EQ(card(".meas tran tlo min_at v(a)").kind, ir::MeasureKind::MinAt);
  m = card(".meas tran tx WHEN v(a)=v(b) CROSS=2");
  EXPECT_EQ(m.kind, ir::MeasureKind::When);
  EXPECT_EQ(m.trig.signal, "v(a)");
  EXPECT_EQ(m.trig.signal2, "v(b)");
  EXPECT_EQ(m.trig.count, 2);
  m = card(".meas tran y FIND v(a) WHEN v(a,b)=v(b) RISE=LAST");
  EXPECT_EQ(m.trig.signal2, "v(b)");
  EXPECT_EQ(m.trig.count, -1);
  EXPECT_TRUE(card(".meas tran z WHEN v(a)=0.5").trig.signal2.empty());
}

TEST(MeasureCard, WhenOfTwoSignalsRuns) {
  RunStats st = run(std::string(kSines) + ".tran 2u 3m\n.meas tran tc WHEN v(a)=v(b) CROSS=2\n"
                                          ".meas tran tr WHEN v(b)=v(a) FALL=2\n.meas tran tp MAX_AT v(a) TO=1m\n");
  ASSERT_EQ(st.measures.size(), 3u);
  EXPECT_NEAR(st.measures[0].value, 5e-3 / 12, 2e-6);
  EXPECT_NEAR(st.measures[1].value, 1e-3 + 1e-3 / 12, 2e-6);  // b - a falls where a - b rises
  EXPECT_NEAR(st.measures[2].value, 0.25e-3, 3e-6);
}

// ---- meas as a command on the current plot

TEST(ControlMeas, RunsOnTheCurrentPlotAndKeepsAVector) {
  RunStats st = run(std::string(kSines) +
                    ".control\ntran 2u 3m\nmeas tran t1 WHEN v(a)=v(b) RISE=2\nmeas tran vmx MAX v(a)\n"
                    "meas tran tmx MAX_AT v(a) FROM=1m TO=2m\nlet dt = t1 * 1e6\nprint dt\necho at $&tmx\n"
                    "dc vb 0 1 0.25\nmeas dc vq FIND v(b) AT=0.75\n.endc\n");
  const std::string& out = st.script.text;
  EXPECT_TRUE(st.script.errors.empty()) << st.script.errors[0];
  EXPECT_NE(out.find("t1                  =  1.08"), std::string::npos) << out;
  EXPECT_NEAR(valueOf(out, "t1"), 1e-3 + 1e-3 / 12, 2e-6);
  EXPECT_NEAR(valueOf(out, "vmx"), 1.0, 1e-3);
  EXPECT_NEAR(valueOf(out, "dt"), 1e3 + 1e3 / 12, 2);
  EXPECT_NE(out.find("at 0.0012"), std::string::npos) << out;
  EXPECT_NEAR(valueOf(out, "vq"), 0.75, 1e-9);
  EXPECT_TRUE(st.measures.empty());  // not .meas cards: the script printed them
}

TEST(ControlMeas, BareVectorNames) {
  RunStats st = run(std::string(kSines) + ".control\ntran 2u 1m\nlet d = v(a) * 2\nlet lvl = 1\n"
                                          "meas tran dm MAX d\nmeas tran tl WHEN d=lvl RISE=1\n.endc\n");
  EXPECT_TRUE(st.script.errors.empty()) << st.script.errors[0];
  EXPECT_NEAR(valueOf(st.script.text, "dm"), 2.0, 1e-3);
  EXPECT_NEAR(valueOf(st.script.text, "tl"), 1e-3 / 12, 2e-6);  // 2 sin = 1
  // a .meas card still wants v(...), i(...) or @dev[param] (one that cannot be read is left out, warned)
  ir::Circuit c = ok("t\nV1 a 0 1\nR1 a 0 1\n.tran 1u 1m\n.meas tran x MAX a\n");
  EXPECT_TRUE(c.measures.empty());
  ASSERT_FALSE(c.warnings.empty());
  EXPECT_TRUE(contains(c.warnings.back().message, "'.meas x' left out: expected a signal like v(out)"))
      << c.warnings.back().message;
}

TEST(ControlMeas, FailuresAreReportedAndTheScriptGoesOn) {
  RunStats st = run(std::string(kSines) +
                    ".control\ntran 2u 1m\nmeas tran t9 WHEN v(a)=5\nmeas ac g MAX vdb(a)\necho still\n.endc\n");
  ASSERT_EQ(st.script.errors.size(), 2u);
  EXPECT_TRUE(contains(st.script.errors[0], "measurement 't9' failed")) << st.script.errors[0];
  EXPECT_TRUE(contains(st.script.errors[1], "needs a ac plot")) << st.script.errors[1];
  EXPECT_EQ(st.script.text, "still\n");
  // one ngspice 39 cannot read either (course decks' `meas ac fc FIND vdb(out) MAX`) fails
  // when it runs, at its line, and the script goes on (before: the deck was rejected)
  st = run(std::string(kSines) + ".control\ntran 2u 1m\nmeas tran x BOGUS v(a)\nmeas tran y FIND v(a) MAX\n"
           "echo on\n.endc\n");
  ASSERT_EQ(st.script.errors.size(), 2u);
  EXPECT_TRUE(contains(st.script.errors[0], ":8:")) << st.script.errors[0];
  EXPECT_TRUE(contains(st.script.errors[0], "'.meas' form 'bogus' is not supported")) << st.script.errors[0];
  EXPECT_TRUE(contains(st.script.errors[1], "'MAX'")) << st.script.errors[1];
  EXPECT_EQ(st.script.text, "on\n");
}

// ---- vectors: functions, define, plots

TEST(ControlVectors, DefinedFunctionsAndMoreBuiltins) {
  RunStats st = run("calc\n.control\ndefine sq(x) x*x\ndefine mix(a, b) a*2+b\nlet y = sq(3) + mix(1, 4)\n"
                    "let v = vector(5)\nlet w = v[1,3]\nlet n = length(w)\nprint y n w[0]\n"
                    "let f = floor(2.7) + ceil(2.2) + nint(2.5)\nlet s = stddev(v)\nlet p = pos(v - 2)\n"
                    "let nn = norm(v)\nprint f s p[4] nn[2]\nundefine sq\nlet z = 1 +\n+ 2\nprint z\n.endc\n");
  const std::string& out = st.script.text;
  EXPECT_DOUBLE_EQ(valueOf(out, "y"), 15);
  EXPECT_DOUBLE_EQ(valueOf(out, "n"), 3);
  EXPECT_DOUBLE_EQ(valueOf(out, "w[0]"), 1);
  EXPECT_DOUBLE_EQ(valueOf(out, "f"), 2 + 3 + 2);  // nint rounds half to even
  EXPECT_NEAR(valueOf(out, "s"), std::sqrt(2.5), 1e-6);
  EXPECT_DOUBLE_EQ(valueOf(out, "p[4]"), 1);
  EXPECT_DOUBLE_EQ(valueOf(out, "nn[2]"), 0.5);
  EXPECT_DOUBLE_EQ(valueOf(out, "z"), 3);  // a '+' line continues the one before
  // '><' is '<>' (ngspice's control_structs/new-check-4.sp)
  RunStats ne = run("calc\n.control\nlet a = 5\nlet b = 6\nlet c1 = a >< b\nlet c2 = a >< a\nprint c1 c2\n.endc\n");
  EXPECT_DOUBLE_EQ(valueOf(ne.script.text, "c1"), 1);
  EXPECT_DOUBLE_EQ(valueOf(ne.script.text, "c2"), 0);
  RunStats more = run("calc\n.control\nlet p = vector(4) * 4\nlet u = unwrap(p)\nlet d = vecd(p)\n"
                      "print u[3] d[0] d[1] d[3]\n.endc\n");
  EXPECT_NEAR(valueOf(more.script.text, "u[3]"), 12 - 6 * std::numbers::pi, 1e-5);  // steps of 4 > pi wrap
  EXPECT_DOUBLE_EQ(valueOf(more.script.text, "d[0]"), 4);
  EXPECT_DOUBLE_EQ(valueOf(more.script.text, "d[1]"), 8);
  EXPECT_DOUBLE_EQ(valueOf(more.script.text, "d[3]"), 4);
  EXPECT_TRUE(st.script.errors.empty()) << st.script.errors[0];
  // after undefine the function is gone (a let of it is skipped with a warning, as ngspice goes on)
  ir::Circuit c = ok("calc\n.control\ndefine sq(x) x*x\nlet a = sq(2)\nundefine sq\nlet q = sq(2)\n.endc\n");
  bool warned = false;
  for (const auto& w : c.warnings) warned = warned || contains(w.message, "no such function 'sq'");
  EXPECT_TRUE(warned);
}

TEST(ControlVectors, Compose) {
  RunStats st = run("calc\n.control\ncompose a values 1 2.5 4k\ncompose b start=1 stop=2 step=0.25\n"
                    "compose c start = 0 stop = 10 lin = 5\ncompose d stop=3 step=-1 lin=3\nlet na = length(a)\n"
                    "let nb = length(b)\nprint na a[2] nb b[3] c[1] d[0]\ncompose e start=1 stop=2\n.endc\n");
  const std::string& out = st.script.text;
  EXPECT_DOUBLE_EQ(valueOf(out, "na"), 3);
  EXPECT_DOUBLE_EQ(valueOf(out, "a[2]"), 4000);
  EXPECT_DOUBLE_EQ(valueOf(out, "nb"), 5);
  EXPECT_DOUBLE_EQ(valueOf(out, "b[3]"), 1.75);
  EXPECT_DOUBLE_EQ(valueOf(out, "c[1]"), 2.5);
  EXPECT_DOUBLE_EQ(valueOf(out, "d[0]"), 5);
  ASSERT_EQ(st.script.errors.size(), 1u);
  EXPECT_TRUE(contains(st.script.errors[0], "lin=N, or all of start, stop and step")) << st.script.errors[0];
}

TEST(ControlVectors, LetOfOneElement) {
  RunStats st = run("calc\n.control\nlet v = vector(4)\nlet v[1] = 10\nlet v[3] = v[1] * 2\nprint v[1] v[2] v[3]\n"
                    "let v[4] = 1\nlet v[0,1] = 5\n.endc\n");
  const std::string& out = st.script.text;
  EXPECT_DOUBLE_EQ(valueOf(out, "v[1]"), 10);
  EXPECT_DOUBLE_EQ(valueOf(out, "v[2]"), 2);
  EXPECT_DOUBLE_EQ(valueOf(out, "v[3]"), 20);
  ASSERT_EQ(st.script.errors.size(), 2u);
  EXPECT_TRUE(contains(st.script.errors[0], "index 4 is outside 'v' (4 elements)")) << st.script.errors[0];
  EXPECT_TRUE(contains(st.script.errors[1], "a range is not supported")) << st.script.errors[1];
}

// ngspice's Monte Carlo idiom: a vector of a plot of the script's own, filled one element per
// run from the analyses' plots (let {$scratch}.cutoff[run] = cut); the new plot's first
// vector is its scale (ngspice's vec_new), which wrdata writes as the scale column
TEST(ControlVectors, LetIntoAnotherPlotsVectorAndANewPlotsScale) {
  RunStats st = run("mc\nV1 1 0 1\nR1 1 0 1k\n.control\nset curplot=new\nset scratch=$curplot\n"
                    "let freq = vector(3)*10\nlet cutoff = unitvec(3)\nop\nlet {$scratch}.cutoff[1] = 7\n"
                    "let {$scratch}.freq[2] = 25\nsetplot $scratch\nprint cutoff[1] freq[2]\nwrdata out.txt cutoff\n"
                    "let freq = vector(3)\nwrdata again.txt cutoff\n.endc\n");
  ASSERT_TRUE(st.script.errors.empty()) << st.script.errors[0];
  EXPECT_DOUBLE_EQ(valueOf(st.script.text, "cutoff[1]"), 7);
  EXPECT_DOUBLE_EQ(valueOf(st.script.text, "freq[2]"), 25);
  ASSERT_EQ(st.script.files.size(), 2u);
  EXPECT_EQ(st.script.files[0].data,
            " 0.00000000e+00  1.00000000e+00 \n 1.00000000e+01  7.00000000e+00 \n 2.50000000e+01  1.00000000e+00 \n");
  // (the scale let again: the vectors after it read the new values)
  EXPECT_EQ(st.script.files[1].data.substr(0, 49), " 0.00000000e+00  1.00000000e+00 \n 1.00000000e+00 ");
}

// ngspice's `option` sets each name as `set` does (com_option: cp_vset): wrdata's own
// variables (appendwrite, wr_singlescale, numdgt) act, and are no circuit options to warn of
TEST(ControlVectors, OptionSetsTheScriptsVariables) {
  RunStats st = run("o\nV1 1 0 1\nR1 1 0 1k\n.control\noption appendwrite wr_singlescale numdgt=4\nop\n"
                    "let a = 1\nlet b = 2\nwrdata a.txt v(1)\nwrdata a.txt a b\necho $numdgt\n.endc\n");
  ASSERT_TRUE(st.script.errors.empty()) << st.script.errors[0];
  ASSERT_EQ(st.script.files.size(), 1u);  // (the second wrdata appended to the first's file)
  EXPECT_EQ(st.script.files[0].name, "a.txt");
  EXPECT_EQ(st.script.files[0].data, " 1.0000e+00  1.0000e+00 \n 1.0000e+00  1.0000e+00  2.0000e+00 \n");  // (ngspice's bytes)
  EXPECT_TRUE(contains(st.script.text, "4\n")) << st.script.text;
}

// ngspice's domain checks of db, ln and log10 (cmath1.c): the let fails, no vector is made
TEST(ControlVectors, DbAndLogOutsideTheirDomainFail) {
  RunStats st = run("d\nV1 1 0 1\nR1 1 0 1k\n.control\nop\nlet z = v(1) - 1\nlet a = db(z)\nlet b = ln(z - 1)\n"
                    "let c = log10(z)\nlet e = db(v(1) * 2)\nprint c e\nprint a\n.endc\n");
  EXPECT_TRUE(contains(st.script.text, "c = -inf")) << st.script.text;
  EXPECT_NEAR(valueOf(st.script.text, "e"), 6.0206, 1e-4);
  ASSERT_EQ(st.script.errors.size(), 3u);
  EXPECT_TRUE(contains(st.script.errors[0], "argument out of range for db (0)")) << st.script.errors[0];
  EXPECT_TRUE(contains(st.script.errors[1], "argument out of range for ln (-1)")) << st.script.errors[1];
  EXPECT_TRUE(contains(st.script.errors[2], "no such vector 'a'")) << st.script.errors[2];
}

// `set units=degrees` (ngspice's cx_degrees): phases in degrees from vp, ph, cph and atan;
// sin, cos, tan (and the hyperbolic ones, as ngspice) take degrees; unset: radians again
TEST(ControlVectors, UnitsDegreesGivesAnglesInDegrees) {
  RunStats st = run("d\nV1 in 0 DC 0 AC 1\nR1 in out 1k\nC1 out 0 1u\n.control\nac lin 1 159.154943 159.154943\n"
                    "let r1 = vp(out)\nset units=degrees\nlet d1 = vp(out)\nlet d2 = ph(v(out))\nlet d3 = cph(v(out))\n"
                    "let s = sin(30)\nlet a = atan(1)\nunset units\nlet r2 = ph(v(out))\nprint r1 d1 d2 d3 s a r2\n.endc\n");
  EXPECT_NEAR(valueOf(st.script.text, "r1"), -std::numbers::pi / 4, 1e-6);
  for (const char* d : {"d1", "d2", "d3"}) EXPECT_NEAR(valueOf(st.script.text, d), -45.0, 1e-4) << d;
  EXPECT_NEAR(valueOf(st.script.text, "s"), 0.5, 1e-9);
  EXPECT_NEAR(valueOf(st.script.text, "a"), 45.0, 1e-9);
  EXPECT_NEAR(valueOf(st.script.text, "r2"), -std::numbers::pi / 4, 1e-6);
}

TEST(ControlVectors, DefineParses) {
  std::string name, why;
  script::UserFunction f;
  ASSERT_TRUE(script::parseDefine(" Lin(a, b2) a + b2*2 ", name, f, why));
  EXPECT_EQ(name, "lin");
  ASSERT_EQ(f.params.size(), 2u);
  EXPECT_EQ(f.params[1], "b2");
  EXPECT_EQ(f.body, "a + b2*2");
  EXPECT_FALSE(script::parseDefine("f x x*2", name, f, why));
  EXPECT_FALSE(script::parseDefine("f(x)", name, f, why));
}

TEST(ControlVectors, PlotQualifiedNamesAndPlotVariables) {
  RunStats st = run("rc\nV1 in 0 1\nR1 in out 1k\nC1 out 0 1u\n.control\ntran 10u 1m\necho $curplot\nop\n"
                    "echo $curplot $curplotname\nlet a = tran1.v(out)[0]\nlet b = tran1.out[0] - out\n"
                    "let c = length(tran1.time)\nprint a b\nsetplot tran1\necho $curplot $curplottitle\n"
                    "echo $plots\n.endc\n");
  const std::string& out = st.script.text;
  EXPECT_TRUE(st.script.errors.empty()) << st.script.errors[0];
  EXPECT_NE(out.find("tran1\nop1 Operating Point\n"), std::string::npos) << out;
  EXPECT_NEAR(valueOf(out, "a"), 1.0, 1e-9);  // the transient starts at the operating point
  EXPECT_NEAR(valueOf(out, "b"), 0.0, 1e-9);
  EXPECT_NE(out.find("tran1 rc\n"), std::string::npos) << out;
  EXPECT_NE(out.find("tran1 op1 const\n"), std::string::npos) << out;
}

TEST(ControlVectors, SetplotNewMakesAnEmptyPlot) {
  RunStats st = run("rc\nV1 a 0 1\nR1 a 0 1k\n.control\nop\nsetplot new\necho $curplot $curplotname\nlet x = 5\n"
                    "let y = op1.a + x\nprint y\nsetplot op1\nprint unknown1.x\n.endc\n");
  EXPECT_TRUE(st.script.errors.empty()) << st.script.errors[0];
  EXPECT_NE(st.script.text.find("unknown1 unknown\n"), std::string::npos) << st.script.text;
  EXPECT_DOUBLE_EQ(valueOf(st.script.text, "y"), 6);
  EXPECT_DOUBLE_EQ(valueOf(st.script.text, "unknown1.x"), 5);
}

TEST(ControlVectors, PlotsAreNumberedAsNgspiceDoes) {
  // one plot number, raised when a name is taken: tran1, linearize's tran2, fft's sp2, then ac2
  RunStats st = run("rc\nV1 in 0 SIN(0 1 1k) AC 1\nR1 in out 1k\nC1 out 0 1u\n.control\ntran 10u 1m\n"
                    "linearize\necho $curplot\nfft v(out)\necho $curplot\nac dec 2 10 100\necho $curplot\n.endc\n");
  EXPECT_NE(st.script.text.find("tran2\n"), std::string::npos) << st.script.text;
  EXPECT_NE(st.script.text.find("sp2\n"), std::string::npos) << st.script.text;
  EXPECT_NE(st.script.text.find("ac2\n"), std::string::npos) << st.script.text;
}

// ---- .csparam

// .csparam NAME=VALUE: the value of an expression of the .params as a vector of
// the script, known before the run (tran $&stime) and at run time (print)
TEST(ControlCsparam, ParamsBecomeVectorsOfTheScript) {
  RunStats st = run("cs\n.param st=2m\n.csparam stime={st} half={st/2}\nV1 in 0 SIN(0 1 1k)\nR1 in 0 1k\n"
                    ".control\nlet twice = stime*2\ntran 10u $&stime\nprint twice half\nlet n = length(time)\n"
                    "print time[n-1]\n.endc\n");
  const std::string& out = st.script.text;
  EXPECT_TRUE(st.script.errors.empty()) << st.script.errors[0];
  EXPECT_DOUBLE_EQ(valueOf(out, "twice"), 4e-3) << out;
  EXPECT_DOUBLE_EQ(valueOf(out, "half"), 1e-3) << out;
  EXPECT_NEAR(valueOf(out, "time[n-1]"), 2e-3, 1e-12) << out;
  // without a script it has nothing to feed: accepted silently, as ngspice
  auto c = testutil::ok("cs\n.param st=2m\n.csparam stime={st}\nV1 in 0 1\nR1 in 0 1k\n.op\n");
  EXPECT_TRUE(c.warnings.empty());
  auto e = testutil::err("cs\n.csparam stime\nV1 in 0 1\nR1 in 0 1k\n.op\n");
  EXPECT_TRUE(contains(e.message, "NAME=VALUE in .csparam")) << e.message;
}

// ---- fft

TEST(ControlFft, HanningByDefaultScaledTwoOverN) {
  // 1024 points over 1.023 ms: a sine of 8 periods in 1024 samples falls on bin 8
  const double f0 = 8 / 1.024e-3;
  const std::string deck = "fft\nV1 in 0 SIN(0 1 " + std::to_string(f0) + ")\nR1 in 0 1k\n.control\ntran 1u 1.023m 0 0.1u\n"
                           "linearize v(in)\nfft v(in)\nlet m = mag(v(in))\nlet f = frequency\nprint m[7] m[8] m[9] f[1]\n"
                           "setplot tran2\nset specwindow = none\nfft v(in)\nlet r = mag(v(in))\nprint r[8] r[20]\n.endc\n";
  RunStats st = run(deck);
  const std::string& out = st.script.text;
  EXPECT_TRUE(st.script.errors.empty()) << st.script.errors[0];
  EXPECT_NE(out.find("FFT: Time span: 0.001023 s, input length: 1024, zero padding: 0\n"), std::string::npos) << out;
  EXPECT_NEAR(valueOf(out, "m[8]"), 1.0, 5e-3);  // hanning: the window's average is one
  EXPECT_NEAR(valueOf(out, "m[7]"), 0.5, 5e-3);  // and its neighbours half of it
  EXPECT_NEAR(valueOf(out, "m[9]"), 0.5, 5e-3);
  EXPECT_NEAR(valueOf(out, "f[1]"), 1 / 1.023e-3, 1e-3);
  EXPECT_NEAR(valueOf(out, "r[8]"), 1.0, 1e-3);  // no window: a clean line
  EXPECT_LT(valueOf(out, "r[20]"), 1e-3);
}

// meas sp: a measurement on the spectrum the fft made (ngspice's Monte-Carlo examples)
TEST(ControlFft, MeasSpReadsTheSpectrum) {
  const double f0 = 8 / 1.024e-3;
  const std::string deck = "fft\nV1 in 0 SIN(0 1 " + std::to_string(f0) + ")\nR1 in 0 1k\n.control\ntran 1u 1.023m 0 0.1u\n"
                           "linearize v(in)\nset specwindow = none\nfft v(in)\nlet m = mag(v(in))\n"
                           "meas sp fpeak MAX_AT m from=1k to=20k\nmeas sp mpeak MAX m from=1k to=20k\n.endc\n";
  RunStats st = run(deck);
  const std::string& out = st.script.text;
  EXPECT_TRUE(st.script.errors.empty()) << st.script.errors[0];
  EXPECT_NEAR(valueOf(out, "fpeak"), 8 / 1.023e-3, 1.0) << out;  // bin 8 of the 1.023 ms span
  EXPECT_NEAR(valueOf(out, "mpeak"), 1.0, 1e-3) << out;
}

TEST(ControlFft, WindowsAverageOne) {
  std::vector<double> t(2001), w;
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = double(i) * 1e-6;
  for (const char* name : {"hanning", "hamming", "blackman", "bartlett", "flattop", "rectangular"}) {
    ASSERT_TRUE(script::fftWindow(name, 2, t, w)) << name;
    double s = 0;
    for (double v : w) s += v;
    EXPECT_NEAR(s / double(w.size()), 1.0, 2e-3) << name;
  }
  EXPECT_FALSE(script::fftWindow("kaiser", 2, t, w));
}

TEST(ControlFft, NeedsATransient) {
  RunStats st = run("rc\nV1 in 0 1\nR1 in 0 1k\n.control\nop\nfft v(in)\n.endc\n");
  ASSERT_EQ(st.script.errors.size(), 1u);
  EXPECT_TRUE(contains(st.script.errors[0], "needs a transient")) << st.script.errors[0];
}

// ---- alter inside subcircuits, saves of missing nodes

TEST(ControlAlter, DevicesInSubcircuitsByNgspicesNames) {
  ir::Circuit c = ok("t\n.subckt div a b\nR1 a b 1k\nR2 b 0 1k\n.ends\nV1 in 0 1\nX1 in out div\n.control\nop\n"
                     "alter r.x1.r1 3k\nop\nalter @r.x1.r2[resistance] = 2k\nop\n.endc\n");
  ASSERT_EQ(c.variants.size(), 2u);
  auto value = [](const ir::Variant& v, const std::string& name) {
    for (const ir::Device& d : v.devices)
      if (d.name == name) return d.value ? *d.value : -1.0;
    return -2.0;
  };
  EXPECT_DOUBLE_EQ(value(c.variants[0], "x1.r1"), 3000);
  EXPECT_DOUBLE_EQ(value(c.variants[1], "x1.r2"), 2000);
  // a value of several words after '=' is one expression
  ir::Circuit x = ok("t\nV1 in 0 1\nR1 in 0 1k\n.control\nlet off = 0.25\nalter v1 dc = 1 + off\nop\n.endc\n");
  ASSERT_EQ(x.variants.size(), 1u);
  EXPECT_DOUBLE_EQ(x.variants[0].devices[0].source.dc, 1.25);
  ir::Circuit m = ok("t\n.subckt dd a\nD1 a 0 dmod\n.model dmod d is=1e-14\n.ends\nV1 in 0 1\nR1 in a 1k\nX1 a dd\n"
                     ".control\naltermod x1:dmod is=1e-12\nop\n.endc\n");
  ASSERT_EQ(m.variants.size(), 1u);
  bool altered = false;
  for (const ir::Model& md : m.variants[0].models)
    if (md.name == "x1.dmod")
      for (const ir::Param& p : md.params) altered = altered || (p.name == "is" && p.value == 1e-12);
  EXPECT_TRUE(altered);
  Error e = err("t\n.subckt div a b\nR1 a b 1k\n.ends\nV1 in 0 1\nX1 in out div\n.control\nalter c.x1.r1 3k\nop\n.endc\n");
  EXPECT_TRUE(contains(e.message, "no device 'c.x1.r1'")) << e.message;
}

TEST(ControlSave, AMissingNodeIsAWarning) {
  ir::Circuit c = ok("t\nV1 a 0 1\nR1 a 0 1k\n.save v(a) v(nosuch) gone\n.op\n");
  ASSERT_EQ(c.saves.size(), 1u);
  EXPECT_EQ(c.saves[0].signal, "v(a)");
  int warned = 0;
  for (const auto& w : c.warnings) warned += contains(w.message, "there is no node") ? 1 : 0;
  EXPECT_EQ(warned, 2);
  RunStats st = run("t\nV1 a 0 1\nR1 a 0 1k\n.control\nsave nosuch a\nop\nprint a\n.endc\n");
  EXPECT_NE(st.script.text.find("a = 1.000000e+00"), std::string::npos) << st.script.text;
}

// A Monte-Carlo loop as ngspice's examples/Monte_Carlo/MonteCarlo.sp writes
// it: alter values drawn with sunif() as the script is unrolled (one variant
// per run, labelled with the drawn values), a scratch plot made with
// `set curplot = new`, `{$var}` names, and a loop counter in the constants
// plot updated from inside the analyses' plots.
TEST(ControlScript, MonteCarloLoopAsNgspiceWritesIt) {
  const std::string deck =
      "mc\nV1 a 0 AC 1\nR1 a b 1k\nC1 b 0 1n\n.options seed=7\n.control\nlet mc_runs = 4\nlet run = 0\n"
      "set curplot = new\nset scratch = $curplot\nsetplot $scratch\nlet bwh = unitvec(mc_runs)\n"
      "define unif(nom, rvar) (nom + (nom*rvar) * sunif(0))\n"
      "dowhile run < mc_runs\n  alter c1 = unif(1n, 0.2)\n  ac dec 20 1k 10meg\n  meas ac bw when vdb(b)=-3\n"
      "  set run = \"$&run\"\n  set dt = $curplot\n  setplot $scratch\n  let vout{$run} = {$dt}.v(b)\n"
      "  let bwh[run] = {$dt}.bw\n  setplot $dt\n  let run = run + 1\nend\nprint {$scratch}.bwh\nsetplot $scratch\n"
      "let n3 = length(vout3)\nprint n3\n.endc\n";
  ir::ParseOptions o;
  auto c = ir::parseNetlist(deck, o);
  ASSERT_TRUE(c.ok()) << c.error().format();
  ASSERT_EQ(c.value().variants.size(), 4u);
  std::vector<double> caps;
  for (const ir::Variant& v : c.value().variants) {
    for (const ir::Device& d : v.devices)
      if (d.name == "c1") caps.push_back(*d.value);
    // the label holds the drawn value, not the expression
    EXPECT_EQ(v.label.rfind("c1=", 0), 0u) << v.label;
    EXPECT_EQ(v.label.find("unif"), std::string::npos) << v.label;
  }
  ASSERT_EQ(caps.size(), 4u);
  for (double cv : caps) {
    EXPECT_GE(cv, 0.8e-9);
    EXPECT_LE(cv, 1.2e-9);
  }
  EXPECT_NE(caps[0], caps[1]);  // a new draw per run
  RunStats st = run(deck);
  ASSERT_TRUE(st.script.errors.empty()) << st.script.errors[0];
  const std::string& out = st.script.text;
  // each run's bandwidth 1/(2 pi R C) went to its own element of the scratch plot's vector
  for (int k = 0; k < 4; ++k) {
    const std::string row = "\n" + std::to_string(k) + "\t";
    const std::size_t at = out.find(row);
    ASSERT_NE(at, std::string::npos) << out;
    const double bw = std::strtod(out.c_str() + at + row.size(), nullptr);
    EXPECT_NEAR(bw, 1.0 / (2 * std::numbers::pi * 1e3 * caps[std::size_t(k)]), 0.01 * bw);
  }
  EXPECT_DOUBLE_EQ(valueOf(out, "n3"), 81);  // vout3 from the fourth run's plot
  // the same seed draws the same values
  auto again = ir::parseNetlist(deck, o);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again.value().variants[2].devices[2].value, *c.value().variants[2].devices[2].value);
}

// sunif() is uniform in [-1, 1), sgauss() standard normal, as many values as the argument has
TEST(ControlVectors, RandomVectorFunctions) {
  RunStats st = run("calc\n.control\nlet u = sunif(vector(20000))\nlet g = sgauss(vector(20000))\n"
                    "let umin = vecmin(u)\nlet umax = vecmax(u)\nlet gm = mean(g)\nlet gs = stddev(g)\nlet n = length(u)\n"
                    "print umin umax gm gs n\n.endc\n");
  const std::string& out = st.script.text;
  EXPECT_DOUBLE_EQ(valueOf(out, "n"), 20000);
  EXPECT_GE(valueOf(out, "umin"), -1.0);
  EXPECT_LT(valueOf(out, "umax"), 1.0);
  EXPECT_LT(valueOf(out, "umin"), -0.99);
  EXPECT_GT(valueOf(out, "umax"), 0.99);
  EXPECT_NEAR(valueOf(out, "gm"), 0.0, 0.03);
  EXPECT_NEAR(valueOf(out, "gs"), 1.0, 0.03);
}

// @model[param] and @dev[param] as the cards give them (ngspice's
// MC_ring.sp: `set n1vth0 = @n1[vth0]`, then altermod with a value around it),
// and a '$ ' comment straight after a word
TEST(ControlScript, CardQuantitiesInScriptValues) {
  const std::string deck =
      "q\nV1 a 0 dc 2.5\nR1 a b 2k\nD1 b 0 dm\n.model dm d(is=2e-14 n=1.5)\n.control\n"
      "set dis = @dm[is]\nlet r = @r1[resistance]$ the resistor\nlet vdc = @v1[dc]\n"
      "altermod @dm[n] = @dm[n]*2\nalter r1 = $&r/2\nop\nprint r vdc\n.endc\n";
  ir::ParseOptions o;
  auto c = ir::parseNetlist(deck, o);
  ASSERT_TRUE(c.ok()) << c.error().format();
  ASSERT_EQ(c.value().variants.size(), 1u);
  const ir::Variant& v = c.value().variants[0];
  EXPECT_EQ(v.label, "dm.n=3 r1=1000");
  RunStats st = run(deck);
  ASSERT_TRUE(st.script.errors.empty()) << st.script.errors[0];
  EXPECT_DOUBLE_EQ(valueOf(st.script.text, "r"), 2000);
  EXPECT_DOUBLE_EQ(valueOf(st.script.text, "vdc"), 2.5);
  // at run time (print, a statement the compiler leaves to the run): the cards of
  // the circuit variant the current plot ran on (ngspice's new-check-3.sp: print @vin[dc])
  RunStats pr = run("q\nVIN a 0 DC=0.5\nR1 a 0 1k\n.control\nop\nprint @vin[dc]\nalter vin 0.75\nop\n"
                    "print @vin[dc] @r1[resistance]\n.endc\n");
  ASSERT_TRUE(pr.script.errors.empty()) << pr.script.errors[0];
  const std::string& t = pr.script.text;
  const std::size_t first = t.find("@vin[dc] = "), second = t.find("@vin[dc] = ", first + 1);
  ASSERT_NE(second, std::string::npos) << t;
  EXPECT_DOUBLE_EQ(std::strtod(t.c_str() + first + 11, nullptr), 0.5);
  EXPECT_DOUBLE_EQ(std::strtod(t.c_str() + second + 11, nullptr), 0.75);
  EXPECT_DOUBLE_EQ(valueOf(t, "@r1[resistance]"), 1000);
  // a parameter the card does not give is not known before the run
  auto e = ir::parseNetlist("q\nV1 a 0 1\nR1 a 0 1k\n.model dm d\nD1 a 0 dm\n.control\naltermod @dm[n] = @dm[rs]*2\nop\n.endc\n", o);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("@dm[rs] is not given on a card"), std::string::npos) << e.error().message;
}

// ---- eSim's script: print allv / alli into files (ngspice's output redirection)

TEST(ControlRedirect, SplitRedirectTakesTheFileOutOfTheArguments) {
  std::string args = "allv > plot_data_v.txt", file;
  bool append = true;
  ASSERT_TRUE(script::splitRedirect(args, file, append));
  EXPECT_EQ(args, "allv ");
  EXPECT_EQ(file, "plot_data_v.txt");
  EXPECT_FALSE(append);
  args = "v(a) v(b) >>log.txt";
  ASSERT_TRUE(script::splitRedirect(args, file, append));
  EXPECT_EQ(file, "log.txt");
  EXPECT_TRUE(append);
  EXPECT_EQ(args, "v(a) v(b) ");
  // a '>' inside quotes is text; no '>' leaves the arguments alone
  args = "\"a > b\" c";
  file.clear();
  ASSERT_TRUE(script::splitRedirect(args, file, append));
  EXPECT_TRUE(file.empty());
  EXPECT_EQ(args, "\"a > b\" c");
  args = "v(a) >";
  EXPECT_FALSE(script::splitRedirect(args, file, append));
}

TEST(ControlRedirect, PrintAllvAlliIntoFilesAndEchoAppends) {
  RunStats st = run("rc\nV1 in 0 PULSE(0 1 0 1u 1u 5u 10u)\nR1 in out 1k\nC1 out 0 1n\nVm out m 0\nRm m 0 1meg\n"
                    ".tran 0.5u 4u\n.control\nrun\nprint allv > v.txt\nprint alli > i.txt\necho one > log.txt\n"
                    "echo two >> log.txt\nprint v(out)[0] >> log.txt\necho on screen\n.endc\n");
  const ScriptOutput& out = st.script;
  EXPECT_TRUE(out.errors.empty()) << out.errors[0];
  EXPECT_EQ(out.text, "on screen\n");  // the redirected text is not on the output
  ASSERT_EQ(out.files.size(), 3u);
  EXPECT_EQ(out.files[0].name, "v.txt");
  EXPECT_EQ(out.files[1].name, "i.txt");
  EXPECT_EQ(out.files[2].name, "log.txt");
  // allv: the node voltages (under their vector names), no currents; alli: the currents only
  auto header = [](const std::string& data) {
    std::size_t at = data.find("Index");
    return at == std::string::npos ? std::string() : data.substr(at, data.find('\n', at) - at);
  };
  EXPECT_EQ(header(out.files[0].data), "Index   time            in              m               out             ");
  EXPECT_EQ(header(out.files[1].data), "Index   time            v1#branch       vm#branch       ");
  // (in, out, m as written: sorted m, in, out)
  EXPECT_TRUE(contains(out.files[0].data, "rc\n")) << out.files[0].data;
  EXPECT_EQ(out.files[2].data.substr(0, 8), "one\ntwo\n");
  EXPECT_TRUE(contains(out.files[2].data, "v(out)[0] = 0.000000e+00\n")) << out.files[2].data;
  // one vector: named after the word, as ngspice 39 prints it
  RunStats one = run("rc\nV1 in 0 PULSE(0 1 0 1u 1u 5u 10u)\nR1 in out 1k\nC1 out 0 1n\n.tran 0.5u 4u\n"
                     ".control\nrun\nprint alli > i.txt\n.endc\n");
  ASSERT_EQ(one.script.files.size(), 1u);
  EXPECT_EQ(header(one.script.files[0].data), "Index   time            alli            ");
  // a node whose name starts with a digit is printed V(name), as ngspice 39 names its vector
  RunStats digits = run("rc\nV1 2q 0 PULSE(0 1 0 1u 1u 5u 10u)\nR1 2q 1 1k\nC1 1 0 1n\nR2 1 n10 1k\nR3 n10 n2 1k\nR4 n2 0 1k\n"
                        ".tran 0.5u 4u\n.control\nrun\nprint allv > v.txt\n.endc\n");
  ASSERT_EQ(digits.script.files.size(), 1u);
  // (sorted by name, numbers by value, as ngspice 39 sorts all, allv and alli: n2 before n10)
  EXPECT_EQ(header(digits.script.files[0].data), "Index   time            V(1)            V(2q)           n2              ");
  EXPECT_TRUE(contains(digits.script.files[0].data, "Index   time            n10             \n"));  // (80 columns a page)
  // `> FILE` replaces what an earlier command wrote there
  RunStats again = run("rc\nV1 in 0 1\nR1 in 0 1k\n.op\n.control\nrun\necho one > f.txt\necho two > f.txt\n.endc\n");
  ASSERT_EQ(again.script.files.size(), 1u);
  EXPECT_EQ(again.script.files[0].data, "two\n");
  // a file name that leaves the folder is an error at the command; the script goes on
  RunStats bad = run("rc\nV1 in 0 1\nR1 in 0 1k\n.op\n.control\nrun\nprint allv > ../x.txt\necho after\n.endc\n");
  ASSERT_EQ(bad.script.errors.size(), 1u);
  EXPECT_TRUE(contains(bad.script.errors[0], ":7:1: error: 'print': file name '../x.txt' leaves")) << bad.script.errors[0];
  EXPECT_EQ(bad.script.text, "after\n");
}

// ngspice's $inputdir: the netlist file's folder, when the script is compiled (cd $inputdir) and
// when it runs (wrdata $inputdir/x.dat, PWMexample.net of ngspice's examples); "." for text
TEST(ControlVectors, InputdirIsTheNetlistsFolderWhenTheScriptRuns) {
  const std::string deck = "t\nV1 a 0 1\nR1 a 0 1k\n.control\nop\necho dir=$inputdir\nwrdata $inputdir/out.dat v(a)\n.endc\n";
  ir::ParseOptions po;
  po.fileName = "decks/sub/deck.cir";
  testutil::NullSink sink;
  auto r = simulate(deck, po, sink);
  ASSERT_TRUE(r.ok()) << r.error().format();
  EXPECT_TRUE(r.value().script.errors.empty()) << r.value().script.errors[0];
  EXPECT_NE(r.value().script.text.find("dir=decks/sub\n"), std::string::npos) << r.value().script.text;
  bool wrote = false;
  for (const auto& f : r.value().script.files) wrote = wrote || f.name == "decks/sub/out.dat";
  EXPECT_TRUE(wrote);
  RunStats text = run(deck);
  EXPECT_NE(text.script.text.find("dir=.\n"), std::string::npos) << text.script.text;
}

// ngspice's `source FILE` in a script deck (its Monte Carlo examples): the file's cards are the
// circuit, its .control lines run where the command stands; mc_source reads the circuit again,
// drawing its random functions anew from the generator setseed left (so does reset);
// remcirc before it is accepted. A second circuit file, or one beside the deck's own elements,
// is an error at the command.
TEST(ControlVectors, SourceLoadsTheCircuitAndMcSourceDrawsItAnew) {
  auto resolver = [](std::string_view path, std::string_view) -> Result<ir::ResolvedFile> {
    if (path == "circ.net" || path == "decks/circ.net")
      return ir::ResolvedFile{"decks/circ.net",
                              "Random divider\nV1 a 0 1\nR1 a b 1k\nR2 b 0 1k\nD1 b 0 dm\n"
                              ".model dm d is=agauss(1e-14, 5e-15, 1)\n.control\necho loaded\n.endc\n.end\n"};
    if (path == "other.net") return ir::ResolvedFile{"decks/other.net", "Other\nV9 x 0 1\nR9 x 0 1\n.end\n"};
    if (path == "lib.net") return ir::ResolvedFile{"decks/lib.net", "functions\n.control\ndefine twice(x) 2*x\n.endc\n"};
    return makeError(ErrorCode::Semantic, "no such file");
  };
  ir::ParseOptions po;
  po.fileName = "decks/mc.cir";
  po.resolver = resolver;
  testutil::NullSink sink;
  const std::string deck =
      "*ng_script\n.control\nsetseed 1\nsource $inputdir/circ.net\nop\nprint v(b)\nsetseed 2\nremcirc\nmc_source\nop\n"
      "print v(b)\nreset\nop\nprint v(b)\nsetseed 1\nmc_source\nop\nprint v(b)\nsource lib.net\nprint twice(3)\n.endc\n.end\n";
  auto r = simulate(deck, po, sink);
  ASSERT_TRUE(r.ok()) << r.error().format();
  const std::string& text = r.value().script.text;
  EXPECT_TRUE(r.value().script.errors.empty()) << r.value().script.errors[0];
  EXPECT_EQ(text.rfind("loaded\n", 0), 0u) << text;  // once: mc_source does not run the file's script
  EXPECT_EQ(text.find("loaded", 1), std::string::npos) << text;
  std::vector<double> vb;
  for (std::size_t at = text.find("v(b) = "); at != std::string::npos; at = text.find("v(b) = ", at + 1))
    vb.push_back(std::strtod(text.c_str() + at + 7, nullptr));
  ASSERT_EQ(vb.size(), 4u) << text;
  EXPECT_GT(vb[0], 0.3);
  EXPECT_NE(vb[1], vb[0]);        // setseed 2, mc_source: other values
  EXPECT_NE(vb[2], vb[1]);        // reset reads the circuit again too (ngspice 39), drawing on
  EXPECT_NEAR(vb[3], vb[0], 1e-12);  // setseed 1 again: the first values
  EXPECT_NEAR(valueOf(text, "twice(3)"), 6.0, 1e-12) << text;
  auto parse = [&](const std::string& d) { return ir::parseNetlist(d, po); };
  auto ownCircuit = parse("t\nV1 a 0 1\nR1 a 0 1\n.control\nsource circ.net\nop\n.endc\n.end\n");
  ASSERT_FALSE(ownCircuit.ok());
  EXPECT_TRUE(contains(ownCircuit.error().format(), "decks/mc.cir:5:8: error: 'source circ.net' loads a circuit, and the deck has one of its own (V1 at line 2)"))
      << ownCircuit.error().format();
  auto two = parse("*ng_script\n.control\nsource circ.net\nsource other.net\nop\n.endc\n.end\n");
  ASSERT_FALSE(two.ok());
  EXPECT_TRUE(contains(two.error().format(), "decks/mc.cir:4:8: error: 'source other.net' loads a second circuit (after decks/circ.net"))
      << two.error().format();
  auto missing = parse("*ng_script\n.control\nsource nothere.net\nop\n.endc\n.end\n");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(contains(missing.error().format(), "decks/mc.cir:3:8: error: cannot read 'nothere.net'")) << missing.error().format();
  // a name made at run time is not read: the command is left out with a warning
  auto dynamic = parse("t\nV1 a 0 1\nR1 a 0 1\n.control\nset f = circ.net\nsource $f\nop\n.endc\n.end\n");
  ASSERT_TRUE(dynamic.ok()) << dynamic.error().format();
  EXPECT_EQ(countWarnings(dynamic.value(), "'.control' command 'source' ignored"), 1);
}

// `alter R = 0` (a foreach over values from 0): ngspice 39 sets 1 mOhm and goes on; so does
// simcore, the variant's label saying so (it was an error that lost the run)
TEST(ControlAlter, ZeroResistanceIsOneMilliohm) {
  RunStats s = run("t\nV1 a 0 1\nR1 a b 1k\nRS b 0 1\n.control\nforeach r 0 1k\nalter RS = $r\nop\nprint v(b)\nend\n.endc\n");
  EXPECT_NEAR(valueOf(s.script.text, "v(b)"), 1e-3 / (1e3 + 1e-3), 1e-12) << s.script.text;
  const std::size_t second = s.script.text.find("v(b)", s.script.text.find("v(b)") + 1);
  ASSERT_NE(second, std::string::npos);
  EXPECT_NEAR(std::strtod(s.script.text.c_str() + second + 6, nullptr), 0.5, 1e-9);
}
