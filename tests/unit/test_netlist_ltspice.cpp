// LTspice netlist forms (View -> SPICE Netlist, .net files, LTspice-flavoured
// vendor models) that ngspice 39 rejects: .tran TSTOP and its modifiers, V
// sources' Rser= Cpar=, I sources' load flag, the B-source functions buf inv
// idt delay (and cheap aliases), .meas FROM x TO y, and the LTspice-only cards.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "netlist_test_util.hpp"
#include "plot_sink.hpp"
#include "simcore/ir.hpp"

using namespace simcore;
using namespace simcore::testutil;

namespace {

constexpr double kPi = 3.14159265358979323846;

const ir::Analysis& tranOf(const ir::Circuit& c) {
  for (const auto& a : c.analyses)
    if (a.kind == ir::AnalysisKind::Tran) return a;
  ADD_FAILURE() << "no .tran";
  static ir::Analysis none;
  return none;
}

const ir::Device* find(const ir::Circuit& c, const std::string& name) {
  for (const auto& d : c.devices)
    if (d.name == name) return &d;
  return nullptr;
}

// The signal's value at time t, linear between the computed rows.
double valueAt(const Plot& p, const std::string& name, double t) {
  std::size_t k = 0;
  for (; k < p.header.signals.size(); ++k)
    if (p.header.signals[k].name == name) break;
  if (k == p.header.signals.size()) {
    ADD_FAILURE() << "no signal " << name;
    return NAN;
  }
  const std::vector<double>& y = p.re[k];
  for (std::size_t r = 1; r < p.x.size(); ++r)
    if (p.x[r] >= t) {
      const double w = (t - p.x[r - 1]) / (p.x[r] - p.x[r - 1]);
      return y[r - 1] + w * (y[r] - y[r - 1]);
    }
  ADD_FAILURE() << "t = " << t << " is past the last row";
  return NAN;
}

double opValue(const std::string& netlist, const std::string& name) {
  PlotSink s = runPlots(netlist);
  return s.get(AnalysisType::Op).at(name).real();
}

}  // namespace

TEST(NetlistLtspice, TranWithoutTstepAndWithTstepZero) {
  auto c = ok("t\nV1 a 0 1\nR1 a 0 1k\n.tran 10m\n");
  EXPECT_DOUBLE_EQ(tranOf(c).tstop, 10e-3);
  EXPECT_DOUBLE_EQ(tranOf(c).tstep, 10e-6);  // (TSTOP - TSTART) / 1000
  auto z = ok("t\nV1 a 0 1\nR1 a 0 1k\n.tran 0 10m 2m 1u\n");
  EXPECT_DOUBLE_EQ(tranOf(z).tstep, 8e-6);
  EXPECT_DOUBLE_EQ(tranOf(z).tstart, 2e-3);
  EXPECT_DOUBLE_EQ(tranOf(z).tmax, 1e-6);
  // an ngspice .tran is read as before
  auto n = ok("t\nV1 a 0 1\nR1 a 0 1k\n.tran 1u 10m 0 2u uic\n");
  EXPECT_DOUBLE_EQ(tranOf(n).tstep, 1e-6);
  EXPECT_DOUBLE_EQ(tranOf(n).tmax, 2e-6);
  EXPECT_TRUE(tranOf(n).uic);
  EXPECT_EQ(tranOf(n).startupRamp, 0.0);
}

TEST(NetlistLtspice, TranModifiers) {
  auto c = ok("t\nV1 a 0 1\nR1 a 0 1k\n.tran 1u 10m 2m startup nodiscard steady uic\n");
  const ir::Analysis& a = tranOf(c);
  EXPECT_DOUBLE_EQ(a.startupRamp, 20e-6);
  EXPECT_TRUE(a.uic);
  EXPECT_EQ(a.tstart, 0.0);  // nodiscard: the points before TSTART are kept
  EXPECT_EQ(countWarnings(c, "steady"), 1);
  EXPECT_TRUE(contains(err("t\nR1 a 0 1\n.tran\n").message, "expected .tran"));
  Error e = err("t\nR1 a 0 1\n.tran -1u 10m\n");
  EXPECT_TRUE(contains(e.message, "TSTEP of .tran must be >= 0")) << e.message;
  EXPECT_EQ(e.loc.line, 3);
  EXPECT_EQ(e.loc.col, 7);
  Error w = err("t\nR1 a 0 1\n.tran 1u 10m startups\n");
  EXPECT_TRUE(contains(w.message, "startups")) << w.message;
}

TEST(NetlistLtspice, TranStartupRampsTheSourcesOverTwentyMicroseconds) {
  PlotSink s = runPlots("t\nV1 a 0 5\nR1 a b 1k\nR2 b 0 1k\nI1 0 b 1m\n.tran 1u 60u startup\n");
  const Plot& p = s.get(AnalysisType::Tran);
  EXPECT_NEAR(valueAt(p, "v(a)", 0.0), 0.0, 1e-9);  // the initial point with the sources off
  EXPECT_NEAR(valueAt(p, "v(b)", 0.0), 0.0, 1e-9);
  EXPECT_NEAR(valueAt(p, "v(a)", 5e-6), 1.25, 1e-6);
  EXPECT_NEAR(valueAt(p, "v(b)", 10e-6), 0.5 * 2.5 + 0.5 * 0.5, 1e-6);  // half of each source: 1.25 + 0.25
  EXPECT_NEAR(valueAt(p, "v(a)", 40e-6), 5.0, 1e-9);
  EXPECT_NEAR(valueAt(p, "v(b)", 40e-6), 3.0, 1e-9);
  // without startup the initial point has the sources at full value
  PlotSink n = runPlots("t\nV1 a 0 5\nR1 a 0 1k\n.tran 1u 60u\n");
  EXPECT_NEAR(valueAt(n.get(AnalysisType::Tran), "v(a)", 0.0), 5.0, 1e-9);
}

TEST(NetlistLtspice, VoltageSourceSeriesResistanceAndParallelCapacitance) {
  auto c = ok("t\nV1 1 0 PULSE(0 5 0 1n 1n 5u 10u) Rser=1 Cpar=10p\nR1 1 0 1k\nV2 2 0 Cpar=1n 3 Rser=0.5\nR2 2 0 1\n");
  EXPECT_EQ(countWarnings(c, "LTspice's parasitics"), 1);
  const ir::Device* v1 = find(c, "v1");
  ASSERT_NE(v1, nullptr);
  EXPECT_EQ(v1->nodes, (std::vector<std::string>{"1", "v1#1"}));
  ASSERT_NE(find(c, "rv1#ser"), nullptr);
  EXPECT_EQ(find(c, "rv1#ser")->nodes, (std::vector<std::string>{"v1#1", "0"}));
  EXPECT_DOUBLE_EQ(*find(c, "rv1#ser")->value, 1.0);
  ASSERT_NE(find(c, "cv1#par"), nullptr);
  EXPECT_EQ(find(c, "cv1#par")->nodes, (std::vector<std::string>{"1", "0"}));
  EXPECT_DOUBLE_EQ(*find(c, "cv1#par")->value, 10e-12);
  EXPECT_DOUBLE_EQ(*find(c, "rv2#ser")->value, 0.5);
  EXPECT_DOUBLE_EQ(*find(c, "cv2#par")->value, 1e-9);
  // the divider the series resistance makes
  EXPECT_NEAR(opValue("t\nV1 a 0 10 Rser=1\nR1 a 0 9\n.op\n", "v(a)"), 9.0, 1e-9);
  // Rpar is not one of a V source's parameters
  EXPECT_FALSE(parse("t\nV1 a 0 10 Rpar=1\nR1 a 0 9\n").ok());
}

// LTspice's charge-defined capacitor C a b Q=expr: the current dQ/dt. Q = 1n*x
// (x the voltage across) is a 1 nF capacitor: an RC charging curve with tau = 1 us,
// as the same circuit with C1 a 0 1n; Q written with v() gives the same
TEST(NetlistLtspice, ChargeDefinedCapacitor) {
  // interpolated on the .tran grid, so the three runs share their time points
  auto run = [](const std::string& cap) {
    return runPlots("t\nV1 s 0 PULSE(0 1 0 1n)\nR1 s a 1k\n" + cap + "\n.tran 10n 5u 0 10n\n");
  };
  auto value = [](const PlotSink& s, double t) {
    const Plot& p = s.get(AnalysisType::Tran);
    std::size_t k = 0;
    while (k + 1 < p.x.size() && p.x[k] < t) ++k;
    return p.at("v(a)", k).real();
  };
  PlotSink lin = run("C1 a 0 1n");
  PlotSink qx = run("C1 a 0 Q=1n*x");
  PlotSink qv = run("C1 a 0 Q={1n*v(a)}");
  for (const PlotSink* s : {&qx, &qv})
    for (double tt : {1e-6, 2e-6, 4e-6}) {
      EXPECT_NEAR(value(*s, tt), 1 - std::exp(-(tt - 0.5e-9) / 1e-6), 1e-2) << tt;
      EXPECT_NEAR(value(*s, tt), value(lin, tt), 2e-3) << tt;
    }
  auto c = ok("t\nV1 a 0 1\nC1 a 0 Q=1n*x\n.tran 1n 1u\n");
  EXPECT_EQ(countWarnings(c, "charge-defined capacitor"), 1);
  // the charge in braces or quotes is ngspice 39's own form (sky130's varactors): no warning
  EXPECT_EQ(countWarnings(ok("t\nV1 a 0 1\nC1 a 0 q='1n*v(a)'\n.tran 1n 1u\n"), "charge-defined capacitor"), 0);
}

// LTspice's ".param X table(...)" and ".param Y 5" without '=' (an op-amp library's
// phase-margin table): read as X=..., warned once per file
TEST(NetlistLtspice, ParamWithoutEquals) {
  auto c = ok("t\n.param X table(2,1,10,3,20)\n.param Y 5\nV1 a 0 {X+Y}\nR1 a 0 1k\n.op\n");
  EXPECT_EQ(countWarnings(c, "without '=' read as"), 1);
  PlotSink s = runPlots("t\n.param X table(2,1,10,3,20)\n.param Y 5\nV1 a 0 {X+Y}\nR1 a 0 1k\n.op\n");
  EXPECT_DOUBLE_EQ(s.get(AnalysisType::Op).at("v(a)").real(), 20.0);
}

TEST(NetlistLtspice, CurrentSourceLoad) {
  // full current while v >= 0.5 V
  EXPECT_NEAR(opValue("t\nV1 s 0 5\nR1 s a 1k\nI1 a 0 1m load\n.op\n", "v(a)"), 4.0, 1e-9);
  // below: i = I 4 v (1 - v); here v = 1 - 4 v (1 - v), v = 0.25
  EXPECT_NEAR(opValue("t\nV1 s 0 1\nR1 s a 1k\nI1 a 0 1m load\n.op\n", "v(a)"), 0.25, 1e-7);
  // a constant current source would pull the node to 0 V; the load stops at a positive voltage
  EXPECT_NEAR(opValue("t\nV1 s 0 1\nR1 s a 1k\nI1 a 0 1m\n.op\n", "v(a)"), 0.0, 1e-9);
  // the flag is ignored for a negative current
  EXPECT_NEAR(opValue("t\nV1 s 0 1\nR1 s a 1k\nI1 a 0 -1m load\n.op\n", "v(a)"), 2.0, 1e-9);
  // a waveform with the flag: the ramp's value at each time, scaled as above
  PlotSink s = runPlots("t\nV1 s 0 5\nR1 s a 1k\nI1 a 0 PWL(0 0 1m 10m) load\n.tran 10u 1m\n");
  const Plot& p = s.get(AnalysisType::Tran);
  EXPECT_NEAR(valueAt(p, "v(a)", 0.2e-3), 3.0, 1e-6);  // 2 mA: full current
  // at 1 ms (10 mA), v = 5 - 10 v (4 - 4 v): 40 v^2 - 41 v + 5 = 0
  const double v = (41.0 - std::sqrt(41.0 * 41.0 - 800.0)) / 80.0;
  EXPECT_NEAR(valueAt(p, "v(a)", 1e-3), v, 1e-4);
  auto c = ok("t\nV1 s 0 5\nR1 s a 1k\nI1 a 0 1m AC 1 load\n");
  ASSERT_NE(find(c, "i1"), nullptr);
  EXPECT_EQ(find(c, "i1")->letter, 'b');
  EXPECT_NE(find(c, "i1#wave"), nullptr);
}

TEST(NetlistLtspice, LogicFunctionsAndAliases) {
  auto run = [](const std::string& expr) {
    return opValue("t\nV1 a 0 0.7\nV2 b 0 0.3\nB1 y 0 V=" + expr + "\nR1 y 0 1k\n.op\n", "v(y)");
  };
  EXPECT_EQ(run("buf(v(a))"), 1.0);
  EXPECT_EQ(run("buf(v(b))"), 0.0);
  EXPECT_EQ(run("inv(v(a))"), 0.0);
  EXPECT_EQ(run("inv(v(b))"), 1.0);
  EXPECT_EQ(run("buf(v(a)-0.2)"), 0.0);  // 0.5 is not above 0.5
  EXPECT_NEAR(run("(buf(v(a))-0.5)*5"), 2.5, 1e-12);
  EXPECT_NEAR(run("hypot(3*v(a)/0.7, 4)"), 5.0, 1e-12);
  EXPECT_EQ(run("round(2.5*v(a)/0.7)"), 3.0);
  EXPECT_EQ(run("round(-2.5*v(a)/0.7)"), -3.0);
  EXPECT_NEAR(run("arcsin(v(b))"), std::asin(0.3), 1e-12);
  EXPECT_NEAR(run("arccos(v(b))"), std::acos(0.3), 1e-12);
  EXPECT_EQ(opValue("t\n.param p={round(2.5)+buf(0.7)}\nV1 a 0 {p}\nR1 a 0 1\n.op\n", "v(a)"), 4.0);
  // a deck's own .func of one of these names takes their place
  EXPECT_NEAR(opValue("t\n.func buf(x) {2*x}\nV1 a 0 0.7\nB1 y 0 V=buf(v(a))\nR1 y 0 1k\n.op\n", "v(y)"), 1.4, 1e-12);
  EXPECT_TRUE(contains(err("t\nV1 a 0 1\nB1 y 0 V=hypot(v(a))\nR1 y 0 1\n").message, "function 'hypot' takes 2 arguments"));
}

TEST(NetlistLtspice, IdtIntegratesWithTheCircuitsIntegrator) {
  // a constant: the initial condition at the operating point, then a ramp
  PlotSink s = runPlots("t\nV1 a 0 2\nB1 y 0 V=idt(v(a), 1)\nR1 y 0 1k\n.tran 10u 1m\n");
  const Plot& p = s.get(AnalysisType::Tran);
  EXPECT_NEAR(valueAt(p, "v(y)", 0.0), 1.0, 1e-9);
  EXPECT_NEAR(valueAt(p, "v(y)", 0.5e-3), 1.001, 1e-9);
  EXPECT_NEAR(valueAt(p, "v(y)", 1e-3), 1.002, 1e-9);
  // a sine: (1 - cos) / w
  PlotSink q = runPlots("t\nV1 a 0 SIN(0 1 1k)\nB1 y 0 V=sdt(v(a))\nR1 y 0 1k\n.tran 1u 2m 0 2u\n");
  const Plot& r = q.get(AnalysisType::Tran);
  const double w = 2 * kPi * 1e3;
  double worst = 0;
  for (double t = 0; t < 2e-3; t += 37e-6)
    worst = std::max(worst, std::fabs(valueAt(r, "v(y)", t) - (1 - std::cos(w * t)) / w));
  EXPECT_LT(worst, 1e-3 * (2 / w));
  // .ac: x / (j w); at w = 1 rad/s the magnitude of x, 90 degrees behind
  PlotSink a = runPlots("t\nV1 a 0 DC 1 AC 2\nB1 y 0 V=idt(v(a), 1)\nR1 y 0 1k\n.ac lin 1 0.15915494309189535 1\n");
  const std::complex<double> y = a.get(AnalysisType::Ac).at("v(y)");
  EXPECT_NEAR(y.real(), 0.0, 1e-9);
  EXPECT_NEAR(y.imag(), -2.0, 1e-9);
  // .op: the initial condition
  EXPECT_NEAR(opValue("t\nV1 a 0 2\nB1 y 0 V=3*idt(v(a), 0.5)\nR1 y 0 1k\n.op\n", "v(y)"), 1.5, 1e-9);
}

TEST(NetlistLtspice, IdtmodWrapsTheIntegral) {
  // idtmod(x, ic, m, o) = o + (ic + integral of x) mod m: a 1 kHz sawtooth 0 .. 1
  // (x = 1000, m 1), one from 0.25 by 2 per ms wrapped at 1 with offset -1, and
  // a modulus given by an expression (constant in time: v(m) = 0.5)
  PlotSink s = runPlots(
      "t\nV1 f 0 1k\nVm m 0 0.5\nB1 y 0 V=idtmod(v(f))\nR1 y 0 1k\nB2 z 0 V=idtmod(2k, 0.25, 1, -1)\nR2 z 0 1k\n"
      "B3 w 0 V=idtmod(1k, 0, v(m))\nR3 w 0 1k\n.tran 1u 3m\n");
  const Plot& p = s.get(AnalysisType::Tran);
  for (double t : {0.1e-3, 0.55e-3, 1.3e-3, 2.95e-3}) {
    const double y = std::fmod(1e3 * t, 1.0), z = -1 + std::fmod(0.25 + 2e3 * t, 1.0), w = std::fmod(1e3 * t, 0.5);
    EXPECT_NEAR(valueAt(p, "v(y)", t), y, 1e-6) << t;
    EXPECT_NEAR(valueAt(p, "v(z)", t), z, 1e-6) << t;
    EXPECT_NEAR(valueAt(p, "v(w)", t), w, 1e-6) << t;
  }
  // .op: the initial condition, offset
  EXPECT_NEAR(opValue("t\nB1 y 0 V=idtmod(1, 2.5, 1, 3)\nR1 y 0 1k\n.op\n", "v(y)"), 3.5, 1e-9);
  // a constant modulus must be > 0; at most four arguments
  Error e = err("t\nB1 y 0 V=idtmod(1, 0, 0)\nR1 y 0 1\n");
  EXPECT_TRUE(contains(e.message, "modulus of idtmod() must be > 0")) << e.message;
  EXPECT_EQ(e.loc.line, 2);
  Error f = err("t\nB1 y 0 V=idtmod(1, 0, 1, 0, 2)\nR1 y 0 1\n");
  EXPECT_TRUE(contains(f.message, "idtmod() takes")) << f.message;
}

TEST(NetlistLtspice, IdtAndDelayErrors) {
  Error e = err("t\nV1 a 0 1\nV2 r 0 0\nB1 y 0 V=idt(v(a), 0, v(r))\nR1 y 0 1\n");
  EXPECT_TRUE(contains(e.message, "third argument")) << e.message;
  EXPECT_EQ(e.loc.line, 4);
  Error c = err("t\nV1 a 0 1\nB1 y 0 V=idt(v(a), v(a))\nR1 y 0 1\n");
  EXPECT_TRUE(contains(c.message, "initial condition of idt() must be a constant")) << c.message;
  Error d = err("t\nV1 a 0 1\nB1 y 0 V=delay(v(a), v(a))\nR1 y 0 1\n");
  EXPECT_TRUE(contains(d.message, "delay of delay() must be a constant")) << d.message;
  Error z = err("t\nV1 a 0 1\nB1 y 0 V=absdelay(v(a), 0)\nR1 y 0 1\n");
  EXPECT_TRUE(contains(z.message, "must be > 0")) << z.message;
  Error n = err("t\nV1 a 0 1\nB1 y 0 V=delay(v(a))\nR1 y 0 1\n");
  EXPECT_TRUE(contains(n.message, "delay() takes")) << n.message;
  Error v = err("t\n.param p={idt(1)}\nR1 a 0 {p}\n");
  EXPECT_TRUE(contains(v.message, "idt()")) << v.message;
}

TEST(NetlistLtspice, DelayShiftsTheSignal) {
  PlotSink s = runPlots("t\nV1 a 0 SIN(0 1 1k)\nB1 y 0 V=delay(v(a), 100u)*2\nR1 y 0 1k\n.tran 1u 2m 0 2u\n");
  const Plot& p = s.get(AnalysisType::Tran);
  const double w = 2 * kPi * 1e3;
  double worst = 0;
  for (double t = 104e-6; t < 2e-3; t += 37e-6)  // (x starts its sine at 0: a kink at td, no time point there)
    worst = std::max(worst, std::fabs(valueAt(p, "v(y)", t) - 2 * std::sin(w * (t - 100e-6))));
  EXPECT_LT(worst, 1e-4);
  EXPECT_NEAR(valueAt(p, "v(y)", 50e-6), 0.0, 1e-9);  // before td: x at the operating point
  // a delayed constant is the constant (no auxiliary devices)
  auto c = ok("t\nB1 y 0 V=delay(3, 1m)\nR1 y 0 1\n");
  EXPECT_EQ(c.devices.size(), 2u);
}

TEST(NetlistLtspice, MeasureFromToWithoutEquals) {
  auto c = ok("t\nV1 a 0 1\nR1 a 0 1\n.tran 1u 1m\n.meas TRAN vout AVG V(a) FROM 0.5m TO 1m\n"
              ".meas tran t1 TRIG V(a)=0.2 RISE=1 TARG v(a)=0.8 RISE=1\n.meas tran f1 FIND v(a) AT 0.3m\n"
              ".meas tran m1 MAX v(a) from=0.1m to 0.2m\n.meas tran r1 param vout/m1\n"
              ".meas tran r2 PARAM (vout - m1)*2\n");
  ASSERT_EQ(c.measures.size(), 6u);
  EXPECT_EQ(c.measures[4].kind, ir::MeasureKind::Param);
  EXPECT_EQ(c.measures[4].expr.names, (std::vector<std::string>{"vout", "m1"}));
  EXPECT_EQ(c.measures[5].kind, ir::MeasureKind::Param);
  EXPECT_EQ(c.measures[5].expr.text, "(vout - m1)*2");
  EXPECT_DOUBLE_EQ(c.measures[0].from, 0.5e-3);
  EXPECT_DOUBLE_EQ(c.measures[0].to, 1e-3);
  EXPECT_EQ(c.measures[1].trig.signal, "v(a)");
  EXPECT_DOUBLE_EQ(c.measures[1].trig.value, 0.2);
  EXPECT_DOUBLE_EQ(c.measures[1].targ.value, 0.8);
  EXPECT_EQ(c.measures[1].targ.edge, 1);
  EXPECT_DOUBLE_EQ(c.measures[2].at, 0.3e-3);
  EXPECT_DOUBLE_EQ(c.measures[3].from, 0.1e-3);
  EXPECT_DOUBLE_EQ(c.measures[3].to, 0.2e-3);
  EXPECT_EQ(countWarnings(c, "left out"), 0);
}

TEST(NetlistLtspice, LtspiceOnlyCards) {
  auto c = ok("t\nV1 a 0 1\nR1 a 0 1\n.backanno\n.options plotwinsize=0 measdgt=7\n.options plotwinsize=0\n"
              ".wave out.wav 16 44.1k V(a)\n.savebias bias.txt\n.loadbias bias.txt\n.loadbias bias.txt\n");
  EXPECT_EQ(countWarnings(c, "back-annotation"), 1);
  EXPECT_EQ(countWarnings(c, ".wav output"), 1);
  EXPECT_EQ(countWarnings(c, "'.savebias' ignored"), 1);
  EXPECT_EQ(countWarnings(c, "'.loadbias' ignored"), 1);
  for (const auto& w : c.warnings)
    if (contains(w.message, "'.loadbias'")) EXPECT_EQ(w.loc.line, 9);
  EXPECT_EQ(countWarnings(c, "'plotwinsize'"), 1);
  EXPECT_EQ(countWarnings(c, "'measdgt'"), 1);
  // LTspice's own libraries: a located error that says what they are
  ir::ParseOptions o;
  o.fileName = "t.cir";
  o.resolver = [](std::string_view path, std::string_view) -> Result<ir::ResolvedFile> {
    if (path == "vendor.lib") return ir::ResolvedFile{"vendor.lib", ".model dx D(is=1e-14)\n"};
    return makeError(ErrorCode::Semantic, "no such file");
  };
  auto bad = ir::parseNetlist("t\nV1 a 0 1\nD1 a 0 1n4148\n.lib standard.dio\n", o);
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(contains(bad.error().message, "LTspice's built-in libraries")) << bad.error().message;
  EXPECT_EQ(bad.error().loc.line, 4);
  EXPECT_EQ(bad.error().loc.col, 6);
  // LTspice's .lib FILE: the whole file
  auto good = ir::parseNetlist("t\nV1 a 0 1\nD1 a b dx\nR1 b 0 1k\n.lib vendor.lib\n", o);
  ASSERT_TRUE(good.ok()) << good.error().format();
  EXPECT_EQ(good.value().models.size(), 1u);
  auto missing = ir::parseNetlist("t\nV1 a 0 1\n.lib nothere.lib\n", o);
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(contains(missing.error().message, "no '.lib nothere.lib' section")) << missing.error().message;
}

TEST(NetlistLtspice, PulseNumberOfCycles) {
  // PULSE's eighth value: np pulses (ngspice 39's NP, LTspice's Ncycles), then v1
  PlotSink s = runPlots("t\nV1 a 0 PULSE(0 5 1u 100n 100n 2u 5u 2)\nR1 a 0 1k\n.tran 10n 20u\n");
  const Plot& p = s.get(AnalysisType::Tran);
  EXPECT_NEAR(valueAt(p, "v(a)", 2e-6), 5.0, 1e-9);   // the first pulse
  EXPECT_NEAR(valueAt(p, "v(a)", 7e-6), 5.0, 1e-9);   // the second
  EXPECT_NEAR(valueAt(p, "v(a)", 12e-6), 0.0, 1e-9);  // the third is not there
  EXPECT_NEAR(valueAt(p, "v(a)", 17e-6), 0.0, 1e-9);
  PlotSink f = runPlots("t\nV1 a 0 PULSE(0 5 1u 100n 100n 2u 5u 0)\nR1 a 0 1k\n.tran 10n 20u\n");
  EXPECT_NEAR(valueAt(f.get(AnalysisType::Tran), "v(a)", 17e-6), 5.0, 1e-9);  // 0: free-running
}
