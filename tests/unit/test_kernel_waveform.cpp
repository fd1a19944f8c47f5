// Source functions: PULSE, SIN, EXP, PWL (r=, td=), SFFM, AM values against the
// SPICE formulas, defaults taken from the .tran card, and breakpoint sequences.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "devices/waveform.hpp"

using namespace simcore;
using simcore::dev::SourceFunction;
using simcore::dev::TranHints;

namespace {

constexpr double kPi = std::numbers::pi;

SourceFunction make(ir::WaveKind kind, std::vector<double> args, TranHints h = {1e-6, 1e-3}, double r = -1,
                    double td = 0) {
  ir::Waveform w;
  w.kind = kind;
  w.args = std::move(args);
  w.pwlRepeat = r;
  w.pwlDelay = td;
  auto f = SourceFunction::make(w, h, "v1");
  EXPECT_TRUE(f.ok()) << (f.ok() ? "" : f.error().format());
  return f.ok() ? f.value() : SourceFunction{};
}

// bp_1 = next(from), bp_2 = next(bp_1), ... (n of them)
std::vector<double> breakpoints(const SourceFunction& f, double from, int n) {
  std::vector<double> out;
  double t = from;
  for (int k = 0; k < n; ++k) {
    t = f.nextBreakpoint(t);
    out.push_back(t);
    if (std::isinf(t)) break;
  }
  return out;
}

void expectTimes(const std::vector<double>& got, const std::vector<double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t k = 0; k < want.size(); ++k) {
    if (std::isinf(want[k])) EXPECT_TRUE(std::isinf(got[k])) << "breakpoint " << k << " = " << got[k];
    else EXPECT_NEAR(got[k], want[k], 1e-12 * want[k]) << "breakpoint " << k;
  }
}

TEST(KernelWaveform, PulseValues) {
  // PULSE(0 5 td=1m tr=1m tf=2m pw=3m per=10m)
  auto f = make(ir::WaveKind::Pulse, {0, 5, 1e-3, 1e-3, 2e-3, 3e-3, 10e-3});
  EXPECT_TRUE(f.present());
  EXPECT_DOUBLE_EQ(f.value(0), 0);
  EXPECT_DOUBLE_EQ(f.value(0.9e-3), 0);
  EXPECT_NEAR(f.value(1.5e-3), 2.5, 1e-12);   // half way up
  EXPECT_NEAR(f.value(3e-3), 5, 1e-12);       // top
  EXPECT_NEAR(f.value(6e-3), 2.5, 1e-12);     // half way down (fall 5 m .. 7 m)
  EXPECT_NEAR(f.value(8e-3), 0, 1e-12);       // low
  EXPECT_NEAR(f.value(11.5e-3), 2.5, 1e-12);  // next period
  EXPECT_NEAR(f.value(23.5e-3), 5, 1e-12);    // third period, on top
}

TEST(KernelWaveform, PulseDefaultsFromTran) {
  // tr = tf = 0 -> tstep; pw and per missing -> tstop
  const TranHints h{10e-6, 1e-3};
  auto f = make(ir::WaveKind::Pulse, {0, 1, 0, 0, 0}, h);
  EXPECT_NEAR(f.value(5e-6), 0.5, 1e-12) << "rise = tstep";
  EXPECT_NEAR(f.value(0.5e-3), 1, 1e-12) << "width = tstop";
  EXPECT_NEAR(f.value(1.0e-3), 1, 1e-12);
  // just two values: delay 0, everything else defaulted
  auto g = make(ir::WaveKind::Pulse, {2, 4}, h);
  EXPECT_DOUBLE_EQ(g.value(0), 2);
  EXPECT_NEAR(g.value(2.5e-6), 2.5, 1e-12);
  EXPECT_NEAR(g.value(10e-6), 4, 1e-12);
  // explicit width and a period, zero edges
  auto p = make(ir::WaveKind::Pulse, {0, 1, 0, 0, 0, 40e-6, 100e-6}, h);
  EXPECT_NEAR(p.value(5e-6), 0.5, 1e-12);
  EXPECT_NEAR(p.value(55e-6), 0.5, 1e-12) << "fall starts at tr + pw = 50 us";
  EXPECT_NEAR(p.value(105e-6), 0.5, 1e-12) << "second period";
}

// A period shorter than the pulse (tr + pw + tf) cuts it, as ngspice 39: each period
// starts again from v1 (course decks' PULSE(0 25 1u 1u 1u 1 1), a step to 25 V with
// a 1 us rise at every second)
TEST(KernelWaveform, PulseLongerThanItsPeriodIsCut) {
  auto f = make(ir::WaveKind::Pulse, {0, 1, 1e-6, 1e-6, 1e-6, 1, 1}, TranHints{1e-3, 5});
  EXPECT_NEAR(f.value(0.5), 1, 1e-12);
  EXPECT_NEAR(f.value(1.000001), 1, 1e-12);            // the period's end: still on top
  EXPECT_NEAR(f.value(1.0000015), 0.5, 1e-9);          // the next period rises again from 0
  EXPECT_NEAR(f.value(1.0000025), 1, 1e-12);           // no fall (it would start at 1.000002)
  // ngspice 39's chain of breakpoints (VSRCaccept): the delay, the rise's end, then the width's
  // end in each period's frame (the next period's rise end, as the width is cut): the period's
  // start 1.000001 is no breakpoint, ngspice steps across it
  expectTimes(breakpoints(f, 0.0, 4), {1e-6, 2e-6, 1.000002, 2.000002});
}

// A later period boundary starts the next period (ngspice's wrap, time > PER): a sawtooth
// PULSE(0 1 0 T 1n 1n T) is 1 at T, the first period's end, and 0 at 2T, 3T, where both
// simulators have a time point (its rise ends there); and the chain of a pulse cut with a long
// width, PULSE(0 2 1m 0.5m 0.5m 10m 5m): 1, 1.5, 11.5, 21.5 ms (tests/compat/control_course.cir)
TEST(KernelWaveform, CutPulseBoundariesAndBreakpointsAsNgspice) {
  auto saw = make(ir::WaveKind::Pulse, {0, 1, 0, 100e-6, 1e-9, 1e-9, 100e-6}, TranHints{1e-7, 4e-4});
  EXPECT_NEAR(saw.value(100e-6), 1.0, 1e-12);
  EXPECT_NEAR(saw.value(200e-6), 0.0, 1e-9);
  EXPECT_NEAR(saw.value(100e-6 + 100e-6), 0.0, 1e-9);  // (the breakpoint's own sum)
  EXPECT_NEAR(saw.value(300e-6), 0.0, 1e-9);
  EXPECT_NEAR(saw.value(250e-6), 0.5, 1e-9);
  expectTimes(breakpoints(saw, 0.0, 3), {100e-6, 200e-6, 300e-6});
  auto cut = make(ir::WaveKind::Pulse, {0, 2, 1e-3, 0.5e-3, 0.5e-3, 10e-3, 5e-3}, TranHints{1e-4, 40e-3});
  expectTimes(breakpoints(cut, 0.0, 5), {1e-3, 1.5e-3, 11.5e-3, 21.5e-3, 31.5e-3});
  EXPECT_NEAR(cut.nextBreakpoint(12e-3), 21.5e-3, 1e-15);  // (asked again from later on)
  EXPECT_NEAR(cut.nextBreakpoint(0.5e-3), 1e-3, 1e-15);    // (and from earlier: the chain again)
  EXPECT_NEAR(cut.value(6e-3), 2.0, 1e-12);                // the first period's end: on top
  EXPECT_NEAR(cut.value(11e-3), 0.0, 1e-12);               // the second's: the next rise starts
  EXPECT_NEAR(cut.value(11.25e-3), 1.0, 1e-12);
}

// A triangle whose TR + PW + TF is its period but for the rounding of the numbers read
// (19.6u is 1.9600000000000002e-05): not a pulse its period cuts, so its corners in every
// period (the chain of cut pulses ended after 110 periods, by its own rounding)
TEST(KernelWaveform, APulseThatFillsItsPeriodUpToRoundingKeepsEveryCorner) {
  const double tr = 19.6 * 1e-6;
  ASSERT_GT(tr + 0.2e-6 + 0.2e-6, 20e-6);  // (the rounding the reader leaves)
  auto tri = make(ir::WaveKind::Pulse, {0, 12, 0, tr, 0.2e-6, 0.2e-6, 20e-6}, TranHints{25e-6, 25e-3});
  for (int k : {1, 50, 109, 110, 1000}) {
    const double start = k * 20e-6;
    EXPECT_NEAR(tri.nextBreakpoint(start - 0.1e-6), start, 1e-15) << "period " << k;
    EXPECT_NEAR(tri.nextBreakpoint(start), start + tr, 1e-15) << "period " << k;
    EXPECT_NEAR(tri.nextBreakpoint(start + tr), start + tr + 0.2e-6, 1e-15) << "period " << k;
  }
}

TEST(KernelWaveform, PulseBreakpointsAcrossPeriods) {
  auto f = make(ir::WaveKind::Pulse, {0, 5, 1e-3, 1e-3, 2e-3, 3e-3, 10e-3});
  // corners: td + k per + {0, tr, tr+pw, tr+pw+tf} = 1, 2, 5, 7 (+10k) ms
  expectTimes(breakpoints(f, 0.0, 10), {1e-3, 2e-3, 5e-3, 7e-3, 11e-3, 12e-3, 15e-3, 17e-3, 21e-3, 22e-3});
  // from inside a pulse
  EXPECT_NEAR(f.nextBreakpoint(13e-3), 15e-3, 1e-15);
  EXPECT_NEAR(f.nextBreakpoint(8e-3), 11e-3, 1e-15);
  // exactly on a corner: the next one, strictly later
  EXPECT_NEAR(f.nextBreakpoint(12e-3), 15e-3, 1e-15);
  // far away (1000 periods later) it still finds the corners
  EXPECT_NEAR(f.nextBreakpoint(10001.5e-3), 10002e-3, 1e-12);
}

TEST(KernelWaveform, SinWithDelayDampingAndPhase) {
  // SIN(vo=1 va=2 f=1k td=1m theta=100 phase=30)
  auto f = make(ir::WaveKind::Sin, {1, 2, 1e3, 1e-3, 100, 30});
  const double ph = kPi / 6;
  EXPECT_NEAR(f.value(0), 1 + 2 * std::sin(ph), 1e-12) << "before td: vo + va sin(phase)";
  EXPECT_NEAR(f.value(0.5e-3), 2.0, 1e-12);
  for (double t : {1.0e-3, 1.25e-3, 1.6e-3, 7.3e-3}) {
    double tt = t - 1e-3;
    EXPECT_NEAR(f.value(t), 1 + 2 * std::exp(-100 * tt) * std::sin(2 * kPi * 1e3 * tt + ph), 1e-12) << "t = " << t;
  }
  EXPECT_NEAR(f.nextBreakpoint(0), 1e-3, 1e-15);
  EXPECT_TRUE(std::isinf(f.nextBreakpoint(1e-3)));
  // frequency defaults to 1 / tstop
  auto g = make(ir::WaveKind::Sin, {0, 1}, TranHints{1e-6, 4e-3});
  EXPECT_NEAR(g.value(1e-3), 1.0, 1e-12) << "a quarter of a 4 ms period";
  EXPECT_TRUE(std::isinf(g.nextBreakpoint(0)));
}

TEST(KernelWaveform, SinStopsAfterNcycles) {
  // LTspice's SINE(vo va f td theta phi ncycles): after ncycles from td the value
  // it had then holds (2.5 cycles of 1 kHz from 0.5 ms: 3 ms, at the phase's opposite)
  auto f = make(ir::WaveKind::Sin, {1, 2, 1e3, 0.5e-3, 0, 90, 2.5});
  EXPECT_NEAR(f.value(0.2e-3), 3.0, 1e-12);
  EXPECT_NEAR(f.value(1.25e-3), 1 + 2 * std::sin(2 * kPi * 0.75 + kPi / 2), 1e-12);
  for (double t : {3e-3, 3.2e-3, 10e-3}) EXPECT_NEAR(f.value(t), 1 + 2 * std::sin(2 * kPi * 2.5 + kPi / 2), 1e-12) << t;
  expectTimes(breakpoints(f, 0.0, 3), {0.5e-3, 3e-3, INFINITY});
  // 0: free-running (as ngspice's six values; KiCad writes SINE(0 1.5 1k 0 0 0 0))
  auto g = make(ir::WaveKind::Sin, {0, 1, 1e3, 0, 0, 0, 0});
  EXPECT_NEAR(g.value(10.25e-3), 1.0, 1e-9);
  EXPECT_TRUE(std::isinf(g.nextBreakpoint(0)));
  ir::Waveform w;
  w.kind = ir::WaveKind::Sin;
  w.args = {0, 1, 1e3, 0, 0, 0, -1};
  EXPECT_FALSE(SourceFunction::make(w, TranHints{}, "v9").ok());
}

TEST(KernelWaveform, ExpRiseAndFall) {
  // EXP(v1=0 v2=1 td1=1m tau1=0.5m td2=3m tau2=1m)
  auto f = make(ir::WaveKind::Exp, {0, 1, 1e-3, 0.5e-3, 3e-3, 1e-3});
  EXPECT_DOUBLE_EQ(f.value(0.5e-3), 0);
  EXPECT_NEAR(f.value(2e-3), 1 - std::exp(-2.0), 1e-12);
  EXPECT_NEAR(f.value(4e-3), (1 - std::exp(-6.0)) - (1 - std::exp(-1.0)), 1e-12);
  expectTimes(breakpoints(f, 0.0, 3), {1e-3, 3e-3, INFINITY});
  // tau defaults to tstep, td2 to td1 + tstep
  auto g = make(ir::WaveKind::Exp, {0, 1}, TranHints{1e-6, 1e-3});
  EXPECT_NEAR(g.value(0.5e-6), 1 - std::exp(-0.5), 1e-12);
}

TEST(KernelWaveform, PwlInterpolatesAndHolds) {
  auto f = make(ir::WaveKind::Pwl, {1e-3, 1, 2e-3, 3, 4e-3, -1});
  EXPECT_DOUBLE_EQ(f.value(0), 1) << "before the first point: the first value";
  EXPECT_NEAR(f.value(1.5e-3), 2, 1e-12);
  EXPECT_NEAR(f.value(3e-3), 1, 1e-12);
  EXPECT_DOUBLE_EQ(f.value(9e-3), -1) << "after the last point: the last value";
  expectTimes(breakpoints(f, 0.0, 4), {1e-3, 2e-3, 4e-3, INFINITY});
}

TEST(KernelWaveform, PwlRepeatAndDelay) {
  // PWL(0 0 1m 1 2m 0) r=0 td=0.5m : a 2 ms triangle, delayed 0.5 ms, repeated
  auto f = make(ir::WaveKind::Pwl, {0, 0, 1e-3, 1, 2e-3, 0}, {1e-6, 10e-3}, 0.0, 0.5e-3);
  auto tri = [](double t) {
    double tt = t - 0.5e-3;
    if (tt <= 0) return 0.0;
    tt = std::fmod(tt, 2e-3);
    return tt <= 1e-3 ? tt / 1e-3 : (2e-3 - tt) / 1e-3;
  };
  for (double t : {0.0, 0.3e-3, 1.0e-3, 1.5e-3, 2.2e-3, 2.9e-3, 3.0e-3, 3.5e-3, 4.25e-3, 7.7e-3})
    EXPECT_NEAR(f.value(t), tri(t), 1e-12) << "t = " << t;
  expectTimes(breakpoints(f, 0.0, 7), {0.5e-3, 1.5e-3, 2.5e-3, 3.5e-3, 4.5e-3, 5.5e-3, 6.5e-3});

  // r = 1m: after the first pass only the 1m..2m segment (1 -> 0) repeats
  auto g = make(ir::WaveKind::Pwl, {0, 0, 1e-3, 1, 2e-3, 0}, {1e-6, 10e-3}, 1e-3, 0.0);
  EXPECT_NEAR(g.value(0.5e-3), 0.5, 1e-12);
  EXPECT_NEAR(g.value(1.5e-3), 0.5, 1e-12);
  EXPECT_NEAR(g.value(2.25e-3), 0.75, 1e-12) << "back at 1m + 0.25m of the repeated segment";
  EXPECT_NEAR(g.value(3.75e-3), 0.25, 1e-12);
  expectTimes(breakpoints(g, 0.0, 5), {1e-3, 2e-3, 3e-3, 4e-3, 5e-3});
}

TEST(KernelWaveform, Sffm) {
  // SFFM(vo=0.5 va=2 fc=1k mdi=3 fs=100): vo + va sin(2 pi fc t + mdi sin(2 pi fs t))
  auto f = make(ir::WaveKind::Sffm, {0.5, 2, 1e3, 3, 100});
  for (double t : {0.0, 0.1e-3, 0.37e-3, 2.5e-3, 9.1e-3})
    EXPECT_NEAR(f.value(t), 0.5 + 2 * std::sin(2 * kPi * 1e3 * t + 3 * std::sin(2 * kPi * 100 * t)), 1e-12) << t;
  EXPECT_TRUE(std::isinf(f.nextBreakpoint(0)));
}

TEST(KernelWaveform, SffmPhases) {
  // ngspice 39's SFFM(vo va fc mdi fs phasec phases), phases in degrees
  auto f = make(ir::WaveKind::Sffm, {0.5, 2, 1e3, 3, 100, 30, 45});
  for (double t : {0.0, 0.1e-3, 0.37e-3, 2.5e-3, 9.1e-3})
    EXPECT_NEAR(f.value(t),
                0.5 + 2 * std::sin(2 * kPi * 1e3 * t + kPi / 6 + 3 * std::sin(2 * kPi * 100 * t + kPi / 4)), 1e-12)
        << t;
}

TEST(KernelWaveform, Am) {
  // AM(va vo mf fc td): va (vo + sin(2 pi mf (t - td))) sin(2 pi fc (t - td)) after td, 0 before
  auto f = make(ir::WaveKind::Am, {0.5, 1, 10e6, 50e6, 20e-9});
  EXPECT_EQ(f.value(0), 0.0);
  EXPECT_EQ(f.value(20e-9), 0.0);
  for (double t : {21e-9, 33.3e-9, 107e-9, 250e-9}) {
    double tt = t - 20e-9;
    EXPECT_NEAR(f.value(t), 0.5 * (1 + std::sin(2 * kPi * 10e6 * tt)) * std::sin(2 * kPi * 50e6 * tt), 1e-12) << t;
  }
  expectTimes(breakpoints(f, 0.0, 2), {20e-9, std::numeric_limits<double>::infinity()});
  EXPECT_DOUBLE_EQ(f.smoothStep(), 1.0 / (50 * 60e6));
  // MF defaults to 1/TSTOP, FC to 0 (a constant 0); the 7th value (PHASES) is
  // the phase of both sines, the 6th ignored, as ngspice 39 computes it
  auto d = make(ir::WaveKind::Am, {2, 0.5}, {1e-6, 1e-3});
  EXPECT_EQ(d.value(0.3e-3), 0.0);
  auto p = make(ir::WaveKind::Am, {1, 0.5, 1e3, 5e3, 0, 90, 30});
  double t = 0.13e-3, ph = kPi / 6;
  EXPECT_NEAR(p.value(t), (0.5 + std::sin(2 * kPi * 1e3 * t + ph)) * std::sin(2 * kPi * 5e3 * t + ph), 1e-12);
}

TEST(KernelWaveform, BadArgumentCountsAreErrors) {
  ir::Waveform w;
  w.kind = ir::WaveKind::Pwl;
  w.args = {0, 1, 1e-3};
  w.loc = SourceLoc{"x.cir", 7, 12};
  auto f = SourceFunction::make(w, TranHints{}, "v9");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, ErrorCode::Semantic);
  EXPECT_EQ(f.error().loc.line, 7);
  EXPECT_NE(f.error().message.find("v9"), std::string::npos) << f.error().message;
  w.kind = ir::WaveKind::Sin;
  w.args = {1};
  EXPECT_FALSE(SourceFunction::make(w, TranHints{}, "v9").ok());
  SourceFunction none;
  EXPECT_FALSE(none.present());
  EXPECT_EQ(none.value(1.0), 0.0);
}

// A corner just ahead of t is found whatever the period: with a 1 s period and
// picosecond edges (a one-shot kick), the corner at 20 ps seen from 19 ps
// (the tolerance follows t and the corners, not the period).
TEST(KernelWaveform, PulseCornerJustAheadWithALongPeriod) {
  auto f = make(ir::WaveKind::Pulse, {0, 200e-6, 10e-12, 10e-12, 10e-12, 40e-12, 1.0}, {2e-12, 1.5e-9});
  EXPECT_NEAR(f.nextBreakpoint(19e-12), 20e-12, 1e-24);
  EXPECT_NEAR(f.nextBreakpoint(19.99e-12), 20e-12, 1e-24);
  EXPECT_NEAR(f.nextBreakpoint(20e-12), 60e-12, 1e-24);
  expectTimes(breakpoints(f, 0.0, 4), {10e-12, 20e-12, 60e-12, 70e-12});
}

// The step the event engine allows a smooth waveform: straight lines between
// points that far apart stay within about 0.1 % of the waveform's range;
// piecewise-linear waveforms are exact between breakpoints (no bound).
double worstChord(const SourceFunction& f, double h, double t0, double t1) {
  double worst = 0;
  for (double a = t0; a + h <= t1; a += h / 7.0)
    for (int k = 1; k < 16; ++k) {
      const double u = h * k / 16.0;
      const double line = f.value(a) + (f.value(a + h) - f.value(a)) * u / h;
      worst = std::max(worst, std::fabs(f.value(a + u) - line));
    }
  return worst;
}

TEST(KernelWaveform, SmoothStepDrawsSmoothWaveformsWithinATenthOfAPercent) {
  auto sine = make(ir::WaveKind::Sin, {0.5, 2, 5e3});
  EXPECT_DOUBLE_EQ(sine.smoothStep(), 1.0 / (50 * 5e3));
  EXPECT_LE(worstChord(sine, sine.smoothStep(), 0, 400e-6), 1e-3 * 4.0);
  EXPECT_GT(worstChord(sine, 5 * sine.smoothStep(), 0, 400e-6), 1e-2 * 4.0);  // 10 points a period: 2.4 %
  // a damping faster than the period bounds it too
  auto damped = make(ir::WaveKind::Sin, {0, 1, 1e3, 0, 1e5});
  EXPECT_DOUBLE_EQ(damped.smoothStep(), 1e-6);
  // EXP: a tenth of its shorter time constant
  auto e = make(ir::WaveKind::Exp, {0, 2, 1e-4, 4e-5, 6e-4, 6e-5});
  EXPECT_DOUBLE_EQ(e.smoothStep(), 4e-6);
  EXPECT_LE(worstChord(e, e.smoothStep(), 1e-4, 3e-4), 1.3e-3 * 2.0);
  // SFFM: a fiftieth of the period at its highest frequency, fc + mdi fs
  auto fm = make(ir::WaveKind::Sffm, {0, 1, 4e3, 2, 500});
  EXPECT_DOUBLE_EQ(fm.smoothStep(), 1.0 / (50 * 5e3));
  EXPECT_LE(worstChord(fm, fm.smoothStep(), 0, 1e-3), 1e-3 * 2.0);
  // constant or piecewise linear: no bound
  EXPECT_TRUE(std::isinf(make(ir::WaveKind::Sin, {1, 0, 1e3}).smoothStep()));
  EXPECT_TRUE(std::isinf(make(ir::WaveKind::Pulse, {0, 1, 0, 1e-6, 1e-6, 1e-5, 2e-5}).smoothStep()));
  EXPECT_TRUE(std::isinf(make(ir::WaveKind::Pwl, {0, 0, 1e-3, 1}).smoothStep()));
  EXPECT_TRUE(std::isinf(SourceFunction{}.smoothStep()));
}

}  // namespace

