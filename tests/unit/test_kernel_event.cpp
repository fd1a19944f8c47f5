// The event engine (.options switching), the ideal power semiconductors,
// periodic steady state (.pss) and the switching frequency response (.fra),
// checked against analytic results and against SPICE-mode runs of the same
// circuits.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <string>

#include "test_kernel_support.cpp"

using namespace simcore;
using simcore::testing::Collected;
using simcore::testing::runErr;
using simcore::testing::runOk;

namespace {

// Time average of a column over [t0, t1] (trapezoid on the rows).
double average(const Collected& c, const std::string& sig, double t0, double t1) {
  const auto& y = c.col(sig);
  double s = 0, span = 0;
  for (std::size_t k = 1; k < c.rows; ++k) {
    if (c.x[k - 1] < t0 - 1e-15 || c.x[k] > t1 + 1e-15) continue;
    const double dt = c.x[k] - c.x[k - 1];
    s += 0.5 * dt * (y[k] + y[k - 1]);
    span += dt;
  }
  return s / span;
}
double peakToPeak(const Collected& c, const std::string& sig, double t0, double t1) {
  const auto& y = c.col(sig);
  double lo = 1e300, hi = -1e300;
  for (std::size_t k = 0; k < c.rows; ++k)
    if (c.x[k] >= t0 - 1e-15 && c.x[k] <= t1 + 1e-15) lo = std::min(lo, y[k]), hi = std::max(hi, y[k]);
  return hi - lo;
}

// CCM buck, duty exactly 0.5 from a comparator (ref against a 100 kHz
// triangle), ideal switch and diode with 1 mOhm on-resistances.
const char* kBuck =
    "ideal buck\n"
    ".model SWM SW(RON=1m ROFF=1meg VT=0 VH=0)\n"
    ".model DI PWLDIODE(von=0 ron=1m)\n"
    "VIN vin 0 DC 12\n"
    "VTRI tri 0 PULSE(0 1 0 5u 5u 0 10u)\n"
    "VREF ref 0 DC 0.5\n"
    "S1 vin sw ref tri SWM\n"
    "D1 0 sw DI\n"
    "L1 sw l 47u\n"
    "VIL l out DC 0\n"
    "C1 out 0 22u\n"
    "RLOAD out 0 5\n";

}  // namespace

// The event engine's steps without TMAX: 10 TSTEP (here (TSTOP - TSTART)/50)
// when every time function is piecewise linear; a 5 kHz sine beside the
// switch brings them to TSTEP, as SPICE takes them; a 100 Hz one, drawn
// well at 10 TSTEP, leaves them there.
double largestStep(const Collected& c) {
  double h = 0;
  for (std::size_t k = 1; k < c.rows; ++k) h = std::max(h, c.x[k] - c.x[k - 1]);
  return h;
}

TEST(KernelEvent, SmoothSourcesBoundTheDefaultStep) {
  const std::string sw =
      "mixed\n.model SWM SW(RON=1 ROFF=1meg VT=0.5 VH=0)\nVG g 0 PULSE(0 1 100u 1u 1u 300u 600u)\n"
      "VIN vin 0 DC 5\nS1 vin o g 0 SWM\nRL o 0 1k\n";
  auto pwl = runOk(sw + ".tran 10u 1m\n");
  EXPECT_EQ(pwl.stats.switchingMode, "event");
  EXPECT_NEAR(largestStep(pwl.get(AnalysisType::Tran)), 20e-6, 1e-12);
  auto fast = runOk(sw + "VS s 0 SIN(0 1 5k)\nRS s 0 1k\n.tran 10u 1m\n");
  EXPECT_EQ(fast.stats.switchingMode, "event");
  EXPECT_NEAR(largestStep(fast.get(AnalysisType::Tran)), 10e-6, 1e-12);
  auto slow = runOk(sw + "VS s 0 SIN(0 1 100)\nRS s 0 1k\n.tran 1u 1m\n");
  EXPECT_NEAR(largestStep(slow.get(AnalysisType::Tran)), 10e-6, 1e-12);
  EXPECT_LT(slow.stats.acceptedPoints, 200);
  // TMAX, when given, is the user's
  auto tmax = runOk(sw + "VS s 0 SIN(0 1 5k)\nRS s 0 1k\n.tran 10u 1m 0 20u\n");
  EXPECT_NEAR(largestStep(tmax.get(AnalysisType::Tran)), 20e-6, 1e-12);
}

TEST(KernelEvent, ModeIsChosenFromTheElementsAndReported) {
  auto ev = runOk(std::string(kBuck) + ".tran 50n 200u\n");
  EXPECT_EQ(ev.stats.switchingMode, "event");
  EXPECT_LE(ev.stats.configurations, 4);
  // one factorization per (configuration, step) reused: most solves hit the cache
  EXPECT_GT(ev.stats.factorCacheHits, ev.stats.solves / 2);
  auto sp = runOk(std::string(kBuck) + ".options switching=spice\n.tran 50n 200u\n");
  EXPECT_EQ(sp.stats.switchingMode, "spice");
  EXPECT_EQ(sp.stats.factorCacheHits, 0);
  auto lin = runOk("rc\nV1 a 0 PULSE(0 1 0 1u 1u 5u 10u)\nR1 a b 1k\nC1 b 0 1n\n.tran 10n 20u\n");
  EXPECT_EQ(lin.stats.switchingMode, "linear");
  // a junction diode keeps auto in SPICE mode, and makes switching=event an error naming it
  const std::string spiceDiode =
      "t\nV1 a 0 PULSE(0 1 0 1u 1u 5u 10u)\nS1 a b a 0 SWM\nD1 b c DX\nR1 c 0 1k\n"
      ".model SWM SW(VT=0.5)\n.model DX D\n";
  EXPECT_EQ(runOk(spiceDiode + ".tran 10n 20u\n").stats.switchingMode, "spice");
  Error e = runErr(spiceDiode + ".options switching=event\n.tran 10n 20u\n");
  EXPECT_EQ(e.code, ErrorCode::Semantic);
  EXPECT_NE(e.message.find("diode 'd1' is not"), std::string::npos) << e.message;
  EXPECT_EQ(e.loc.line, 4);
}

TEST(KernelEvent, EventAndSpiceModesAgreeOnTheBuck) {
  auto ev = runOk(std::string(kBuck) + ".tran 50n 2m\n");
  auto sp = runOk(std::string(kBuck) + ".options switching=spice\n.tran 50n 2m\n");
  const Collected& a = ev.get(AnalysisType::Tran);
  const Collected& b = sp.get(AnalysisType::Tran);
  const double t0 = 1.9e-3, t1 = 2e-3;
  for (const char* sig : {"v(out)", "i(vil)"}) {
    const double va = average(a, sig, t0, t1), vb = average(b, sig, t0, t1);
    EXPECT_NEAR(va, vb, 0.01 * std::fabs(vb)) << sig;
    EXPECT_NEAR(peakToPeak(a, sig, t0, t1), peakToPeak(b, sig, t0, t1), 0.01 * peakToPeak(b, sig, t0, t1)) << sig;
  }
  // the event engine needs far fewer points than SPICE's TSTEP-limited steps
  EXPECT_LT(a.rows * 3, b.rows);
}

TEST(KernelEvent, BuckSteadyStateMatchesTheAnalyticAveragesAndRipple) {
  auto out = runOk(std::string(kBuck) + ".pss 10u\n");
  const Collected& p = out.get(AnalysisType::Pss);
  ASSERT_GT(p.rows, 10u);
  EXPECT_NEAR(p.x.back() - p.x.front(), 10e-6, 1e-15);
  EXPECT_LE(out.stats.shootingResidual, 1e-9);
  EXPECT_LE(out.stats.shootingIterations, 6);
  const double t0 = p.x.front(), t1 = p.x.back();
  // periodic: the state at the end of the period is the state at its start
  EXPECT_NEAR(p.col("v(out)").back(), p.col("v(out)").front(), 1e-6);
  EXPECT_NEAR(p.col("i(vil)").back(), p.col("i(vil)").front(), 1e-6);
  const double D = 0.5, Vin = 12, L = 47e-6, f = 100e3, R = 5;
  const double vout = average(p, "v(out)", t0, t1);
  const double il = average(p, "i(vil)", t0, t1);
  EXPECT_NEAR(vout, D * Vin, 0.005 * D * Vin);  // 1 mOhm drops only
  EXPECT_NEAR(il, vout / R, 0.005 * vout / R);
  const double ripple = (Vin - vout) * D / (L * f);
  EXPECT_NEAR(peakToPeak(p, "i(vil)", t0, t1), ripple, 0.005 * ripple);
  // energy balance over the period: what the input delivers is what the load
  // takes plus the on-resistance losses (the reactive stores return to where they started)
  const auto& iin = p.col("i(vin)");
  double ein = 0, eout = 0;
  for (std::size_t k = 1; k < p.rows; ++k) {
    const double dt = p.x[k] - p.x[k - 1];
    ein += -Vin * 0.5 * dt * (iin[k] + iin[k - 1]);
    const double v0 = p.col("v(out)")[k - 1], v1 = p.col("v(out)")[k];
    eout += 0.5 * dt * (v0 * v0 + v1 * v1) / R;
  }
  EXPECT_GT(ein, eout);
  EXPECT_NEAR(ein, eout, 0.002 * ein);
}

TEST(KernelEvent, BoostSteadyStateMatchesTheAnalyticAverages) {
  auto out = runOk(
      "ideal boost\n"
      ".model SWM SW(RON=1m ROFF=1meg VT=0 VH=0)\n"
      ".model DI PWLDIODE(von=0 ron=1m)\n"
      "VIN vin 0 DC 5\n"
      "VTRI tri 0 PULSE(0 1 0 5u 5u 0 10u)\n"
      "VREF ref 0 DC 0.4\n"
      "L1 vin sw 100u\n"
      "S1 sw 0 ref tri SWM\n"
      "D1 sw out DI\n"
      "C1 out 0 47u\n"
      "RLOAD out 0 20\n"
      ".pss 10u 2m\n");
  const Collected& p = out.get(AnalysisType::Pss);
  const double D = 0.4, Vin = 5, R = 20, L = 100e-6, f = 100e3;
  const double vout = average(p, "v(out)", p.x.front(), p.x.back());
  EXPECT_NEAR(vout, Vin / (1 - D), 0.005 * Vin / (1 - D));
  const double iin = -average(p, "i(vin)", p.x.front(), p.x.back());
  EXPECT_NEAR(iin, vout * vout / (R * Vin), 0.005 * vout * vout / (R * Vin));
  EXPECT_NEAR(peakToPeak(p, "i(vin)", p.x.front(), p.x.back()), Vin * D / (L * f), 0.005 * Vin * D / (L * f));
}

TEST(KernelEvent, EventTimesAreExact) {
  // the gate ramps 0 -> 10 V over 10 us: the switch turns on at v = 3.3 V, t = 3.3 us
  auto out = runOk(
      "t\n.model SWM SW(RON=1 ROFF=1meg VT=3.3 VH=0)\nVG g 0 PWL(0 0 10u 10)\nV1 a 0 1\nS1 a b g 0 SWM\n"
      "R1 b 0 1k\nC1 b 0 1n\n.tran 100n 10u\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  // the instant: a row just after the crossing (the left limit) and the
  // solution just after the instant, 1e-9 tstop later
  std::size_t k = 1;
  while (k < tr.rows && tr.x[k] - tr.x[k - 1] > 1e-13) ++k;
  ASSERT_LT(k, tr.rows);
  EXPECT_NEAR(tr.x[k - 1], 3.3e-6, 1e-9 * 3.3e-6) << "event row at " << tr.x[k - 1];
  EXPECT_LT(tr.col("v(b)")[k - 1], 0.01);  // still off: 1 mV through roff
  EXPECT_EQ(out.stats.events, 1);
}

TEST(KernelEvent, ChatteringNamesTheSwitch) {
  Error e = runErr(
      "chatter\nV1 a 0 PULSE(0 1 1u 1u 1u 10u 20u)\nR1 a b 1k\nS1 b 0 b 0 SWM\n"
      ".model SWM SW(VT=0.5 RON=1 ROFF=1meg)\n.options switching=event\n.tran 0.1u 10u\n");
  EXPECT_EQ(e.code, ErrorCode::TimestepTooSmall);
  EXPECT_NE(e.message.find("switching chatters at t = "), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("'s1'"), std::string::npos) << e.message;
}

TEST(KernelEvent, MosfetBodyDiodeCarriesTheFreewheelingCurrent) {
  // a half-bridge leg with both gates low: the inductor current (into the
  // switch node from the load) freewheels through the upper body diode
  auto out = runOk(
      "leg\n.model M1 PWLMOS(vt=2 ron=10m vd=0.8 rd=5m)\n"
      "VDC p 0 48\nVGH gh sw 0\nVGL gl 0 0\n"
      "SH p sw gh sw M1\nSL sw 0 gl 0 M1\n"
      "L1 x sw 100u ic=2\nR1 x 0 1\n.tran 10n 2u uic\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  // the upper body diode conducts 2 A (minus the decay): v(sw) = 48 + 0.8 + 5m * i
  const double vsw = tr.col("v(sw)")[tr.rows - 1];
  EXPECT_GT(vsw, 48.8);
  EXPECT_LT(vsw, 48.8 + 0.011);
  EXPECT_EQ(out.stats.switchingMode, "event");
}

TEST(KernelEvent, IgbtBlocksReverseCurrentWithoutItsDiode) {
  auto out = runOk(
      "igbt\n.model Q1 PWLIGBT(vt=5 von=1 ron=10m diode=0)\nVG g 0 15\nV1 a 0 SIN(0 10 50k)\nSQ a b g 0 Q1\n"
      "R1 b 0 10\n.tran 100n 40u\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  const auto& vb = tr.col("v(b)");
  double lo = 0, hi = 0;
  for (double v : vb) lo = std::min(lo, v), hi = std::max(hi, v);
  EXPECT_NEAR(hi, 10 - 1 - 0.01 * 0.9, 0.02);  // forward: knee 1 V plus the slope
  EXPECT_GT(lo, -1e-6);                         // reverse: blocked (roff 1e9)
}

TEST(KernelEvent, ThyristorHalfWaveControlledRectifierAverage) {
  // fired at alpha = 60 deg of a 50 Hz, 100 V peak sine into 10 Ohm: Vavg = Vm/(2 pi) (1 + cos alpha)
  const double f = 50, alpha = std::numbers::pi / 3, tfire = alpha / (2 * std::numbers::pi * f);
  char gate[160];
  std::snprintf(gate, sizeof gate, "VG g 0 PULSE(0 5 %.12g 1n 1n 100u 20m)\n", tfire);
  auto out = runOk(std::string("scr\n.model T1 THYRISTOR(vt=1 von=0 ron=1m)\nVS a 0 SIN(0 100 50)\n") + gate +
                   "ST a k g 0 T1\nR1 k 0 10\n.tran 10u 60m\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  const double want = 100 / (2 * std::numbers::pi) * (1 + std::cos(alpha));
  EXPECT_NEAR(average(tr, "v(k)", 20e-3, 60e-3), want, 0.005 * want);
}

TEST(KernelEvent, ThreePhaseInverterWithAFloatingNeutral) {
  // star RL load reached only through inductors (no resistor to ground)
  std::string net =
      "vsi\n.model SWM SW(RON=10m ROFF=1meg VT=0 VH=0)\n.model DI PWLDIODE(von=0 ron=10m)\n"
      "VDC p 0 400\nVTRI tri 0 PULSE(-1 1 0 50u 50u 0 100u)\n"
      "VSA sa 0 SIN(0 0.8 50 0 0 0)\nVSB sb 0 SIN(0 0.8 50 0 0 -120)\nVSC sc 0 SIN(0 0.8 50 0 0 120)\n";
  for (const char* ph : {"a", "b", "c"}) {
    const std::string x = ph;
    net += "S" + x + "H p " + x + " s" + x + " tri SWM\nS" + x + "L " + x + " 0 tri s" + x + " SWM\n";
    net += "D" + x + "H " + x + " p DI\nD" + x + "L 0 " + x + " DI\n";
    net += "R" + x + " " + x + " n" + x + " 10\nL" + x + " n" + x + " n 5m\n";
  }
  auto out = runOk(net + ".tran 1u 40m\n");
  EXPECT_EQ(out.stats.switchingMode, "event");
  const Collected& tr = out.get(AnalysisType::Tran);
  // phase-A current fundamental over the last 50 Hz period, against the
  // analytic 15.79 A (400 V bus, M = 0.8, 10 Ohm + 5 mH, Ron included)
  const auto& va = tr.col("v(a)");
  const auto& vna = tr.col("v(na)");
  std::complex<double> c = 0;
  for (std::size_t k = 1; k < tr.rows; ++k) {
    if (tr.x[k - 1] < 20e-3) continue;
    const double dt = tr.x[k] - tr.x[k - 1];
    auto term = [&](std::size_t i) {
      return (va[i] - vna[i]) / 10 * std::polar(1.0, -2 * std::numbers::pi * 50 * tr.x[i]);
    };
    c += 0.5 * dt * (term(k) + term(k - 1));
  }
  const double amp = 2 * std::abs(c) / 20e-3;
  EXPECT_NEAR(amp, 15.79, 0.01 * 15.79);
}

TEST(KernelEvent, BuckFrequencyResponseMatchesTheAveragedModel) {
  auto out = runOk(std::string(kBuck) + ".fra dec 5 100 20k period=10u source=VREF\n");
  const Collected& fr = out.get(AnalysisType::Fra);
  ASSERT_GE(fr.rows, 10u);
  const double L = 47e-6, C = 22e-6, R = 5, Vin = 12;
  for (std::size_t k = 0; k < fr.rows; ++k) {
    const double f = fr.x[k];
    const std::complex<double> s(0, 2 * std::numbers::pi * f);
    const std::complex<double> avg = Vin / (1.0 + s * L / R + s * s * L * C);
    const std::complex<double> h = fr.phasor("v(out)", k);
    EXPECT_NEAR(20 * std::log10(std::abs(h) / std::abs(avg)), 0.0, 0.5) << f << " Hz";
    EXPECT_NEAR(std::arg(h / avg) * 180 / std::numbers::pi, 0.0, 3.0) << f << " Hz";
    // the perturbed source itself: one (a sine integrated on the rows' segments)
    EXPECT_NEAR(std::abs(fr.phasor("v(ref)", k) - 1.0), 0.0, 1e-3) << f << " Hz";
  }
}

TEST(KernelEvent, TransientStopsAtSteadyState) {
  auto out = runOk(std::string(kBuck) + ".options steadystop=10u steadytol=1e-4\n.tran 50n 20m\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  ASSERT_GT(out.stats.steadyStateAt, 0.0);
  EXPECT_LT(out.stats.steadyStateAt, 10e-3);  // far before TSTOP
  EXPECT_NEAR(tr.x.back(), out.stats.steadyStateAt, 1e-15);
  // stopped on a multiple of the period
  EXPECT_NEAR(std::fmod(tr.x.back() + 5e-6, 10e-6), 5e-6, 1e-12);
  const double t1 = tr.x.back();
  EXPECT_NEAR(average(tr, "v(out)", t1 - 10e-6, t1), 6.0, 0.005 * 6.0);
}
