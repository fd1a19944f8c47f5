// ngspice's oscillator .pss (GFREQ TSTAB ONAME POINTS HARMS SCITER
// STEADYCOEFF [UIC]): the card, and the period and harmonics it finds on a
// van der Pol oscillator against the analytic ones and against the zero
// crossings of a long transient.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>

#include "netlist_test_util.hpp"
#include "test_kernel_support.cpp"

using namespace simcore;
using simcore::testing::Collected;
using simcore::testing::runErr;
using simcore::testing::runOk;

namespace {

// A parallel LC tank (L = 1 uH, C = 1 nF: f0 = 1 / (2 pi sqrt(LC)) = 5.0329 MHz)
// with the cubic conductance i = -g v + (g/3) v^3, g = 1 mS: van der Pol's
// equation with mu = g sqrt(L/C) = 0.0316 and a limit cycle of amplitude
// 2 V. To second order in mu: omega = omega0 (1 - mu^2/16), the fundamental
// 2 V, the third harmonic mu/4 V, no even harmonics and no DC.
constexpr const char* kVanDerPol =
    "van der pol\n"
    "B1 n 0 I=-1e-3*v(n)+(1e-3/3)*v(n)*v(n)*v(n)\n"
    "L1 n 0 1u\n"
    "C1 n 0 1n ic=0.5\n";
const double kF0 = 1.0 / (2 * std::numbers::pi * std::sqrt(1e-6 * 1e-9));
const double kMu = 1e-3 * std::sqrt(1e-6 / 1e-9);

// Rising zero crossings of a column (linear between rows) after t0.
std::vector<double> risingCrossings(const Collected& c, const std::string& sig, double t0) {
  const auto& y = c.col(sig);
  std::vector<double> up;
  for (std::size_t k = 1; k < c.rows; ++k)
    if (c.x[k - 1] >= t0 && y[k - 1] < 0 && y[k] >= 0)
      up.push_back(c.x[k - 1] + (0 - y[k - 1]) / (y[k] - y[k - 1]) * (c.x[k] - c.x[k - 1]));
  return up;
}

}  // namespace

TEST(OscillatorPss, TheFormsAreToldApartByTheirNumberOfArguments) {
  using namespace simcore::testutil;
  auto c = ok("t\nR1 a 0 1\nL1 a 0 1u\n.pss 3.1e6 500e-6 a 256 10 50 5e-3\n");
  ASSERT_EQ(c.analyses.size(), 1u);
  const auto& a = c.analyses[0];
  EXPECT_EQ(a.kind, ir::AnalysisKind::Pss);
  EXPECT_TRUE(a.oscillator);
  EXPECT_DOUBLE_EQ(a.gfreq, 3.1e6);
  EXPECT_DOUBLE_EQ(a.tsettle, 500e-6);
  EXPECT_EQ(a.oscNode, "a");
  EXPECT_EQ(a.pssPoints, 256);
  EXPECT_EQ(a.harmonics, 10);
  EXPECT_EQ(a.shootIterations, 50);
  EXPECT_DOUBLE_EQ(a.steadyCoeff, 5e-3);
  EXPECT_FALSE(a.uic);
  auto u = ok("t\nR1 1 0 1\nL1 1 0 1u\n.pss 624e6 500n 1 1024 10 5 5e-3 uic\n");
  ASSERT_EQ(u.analyses.size(), 1u);
  EXPECT_TRUE(u.analyses[0].oscillator);
  EXPECT_TRUE(u.analyses[0].uic);
  EXPECT_EQ(u.analyses[0].oscNode, "1");
  // one or two arguments: the driven form
  auto d = ok("t\nV1 a 0 SIN(0 1 1k)\nR1 a 0 1\n.pss 1m 5m\n");
  ASSERT_EQ(d.analyses.size(), 1u);
  EXPECT_FALSE(d.analyses[0].oscillator);
  EXPECT_DOUBLE_EQ(d.analyses[0].period, 1e-3);
  EXPECT_DOUBLE_EQ(d.analyses[0].tsettle, 5e-3);
  // three to six: the oscillator form, incomplete (at the last value given)
  Error e = err("t\nR1 a 0 1\nL1 a 0 1u\n.pss 624e6 500n 1 1024 10\n");
  EXPECT_TRUE(contains(e.message, "GFREQ TSTAB ONAME POINTS HARMS SCITER STEADYCOEFF")) << e.message;
  EXPECT_TRUE(contains(e.message, "seven")) << e.message;
  EXPECT_EQ(e.loc.line, 4);
  EXPECT_EQ(e.loc.col, 24);
  // ONAME ground: read (ngspice does not use ONAME), replaced with a warning
  auto g = ok("t\nR1 a 0 1\nL1 a 0 1u\n.pss 624e6 500n 0 1024 10 5 5e-3\n");
  ASSERT_EQ(g.warnings.size(), 1u);
  EXPECT_TRUE(contains(g.warnings[0].message, "ground")) << g.warnings[0].message;
  Error h = err("t\nR1 a 0 1\nL1 a 0 1u\n.pss 624e6 500n a 1024 2.5 5 5e-3\n");
  EXPECT_TRUE(contains(h.message, "HARMS")) << h.message;
  Error x = err("t\nR1 a 0 1\nL1 a 0 1u\n.pss 624e6 500n a 1024 10 5 5e-3 uic 7\n");
  EXPECT_TRUE(contains(x.message, "unexpected")) << x.message;
}

TEST(OscillatorPss, VanDerPolPeriodAndHarmonicsMatchTheAnalyticOnes) {
  // GFREQ 20 % off; TSTAB 20 guessed periods (the amplitude is still growing there)
  auto out = runOk(std::string(kVanDerPol) + ".save v(n) i(l1)\n.pss 4e6 5u n 256 6 20 5e-3 uic\n");
  const Collected& p = out.get(AnalysisType::Pss);
  const Collected& f = out.get(AnalysisType::PssSpectrum);
  ASSERT_EQ(p.rows, 257u);
  ASSERT_EQ(f.rows, 6u);
  EXPECT_EQ(p.header.xName, "time");
  EXPECT_EQ(f.header.xName, "frequency");
  const double freq = f.x[1];
  const double expected = kF0 * (1 - kMu * kMu / 16);
  EXPECT_NEAR(freq, expected, 2e-4 * expected);
  // the period: equal steps over 1/f, the state at its end the state at its start
  EXPECT_NEAR(p.x.back() - p.x.front(), 1 / freq, 1e-9 / freq);
  EXPECT_NEAR(p.x[1] - p.x[0], 1 / freq / 256, 1e-9 / freq);
  const auto& v = p.col("v(n)");
  EXPECT_NEAR(v.back(), v.front(), 1e-3);
  for (std::size_t k = 0; k < f.rows; ++k) EXPECT_NEAR(f.x[k], double(k) * freq, 1e-9 * freq);
  const auto& m = f.col("v(n)");
  EXPECT_NEAR(m[0], 0.0, 1e-3);             // no DC
  EXPECT_NEAR(m[1], 2.0, 0.01);             // the fundamental
  EXPECT_NEAR(m[2], 0.0, 1e-3);             // no even harmonics
  EXPECT_NEAR(m[3], kMu / 4, 0.15 * kMu / 4);  // the third
  EXPECT_NEAR(m[4], 0.0, 1e-3);
  EXPECT_LT(m[5], 0.1 * m[3]);
  // i(l1) is the tank current: amplitude 2 V / (omega L)
  const double il = 2.0 / (2 * std::numbers::pi * freq * 1e-6);
  EXPECT_NEAR(f.col("i(l1)")[1], il, 0.01 * il);
  EXPECT_GE(out.stats.shootingIterations, 1);
  EXPECT_LE(out.stats.shootingIterations, 20);
}

TEST(OscillatorPss, FrequencyMatchesTheZeroCrossingsOfALongTransient) {
  // a stiffer van der Pol (g = 10 mS: mu = 0.316, strong harmonics): no
  // closed form, so the reference is a transient of 400 periods whose last
  // 100 rising zero crossings give the period
  const std::string deck =
      "van der pol mu 0.3\n"
      "B1 n 0 I=-1e-2*v(n)+(1e-2/3)*v(n)*v(n)*v(n)\n"
      "L1 n 0 1u\n"
      "C1 n 0 1n ic=0.5\n";
  auto pss = runOk(deck + ".pss 5e6 10u n 512 10 20 5e-3 uic\n");
  const double freq = pss.get(AnalysisType::PssSpectrum).x[1];
  auto tran = runOk(deck + ".tran 1n 80u 0 1n uic\n");
  const Collected& t = tran.get(AnalysisType::Tran);
  const auto up = risingCrossings(t, "v(n)", 60e-6);
  ASSERT_GT(up.size(), 50u);
  const double fref = double(up.size() - 1) / (up.back() - up.front());
  EXPECT_NEAR(freq, fref, 2e-4 * fref);
  // and it is not the small-signal one: mu = 0.316 lowers it by ~0.6 %
  EXPECT_LT(freq, kF0 * (1 - 0.004));
}

TEST(OscillatorPss, ACircuitThatDoesNotOscillateIsAClearError) {
  // a damped tank: it rings down, then stays
  Error e = runErr("damped\nR1 n 0 10\nL1 n 0 1u\nC1 n 0 1n ic=1\n.pss 5e6 2u n 64 4 10 5e-3 uic\n");
  EXPECT_EQ(e.code, ErrorCode::Convergence);
  EXPECT_NE(e.message.find("v(n) does not oscillate"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("TSTAB"), std::string::npos) << e.message;
  // an ONAME that is not a node: the node that swings most (here n) is observed
  Error n = runErr("bad node\nR1 n 0 10\nL1 n 0 1u\nC1 n 0 1n ic=1\n.pss 5e6 2u m 64 4 10 5e-3 uic\n");
  EXPECT_NE(n.message.find("v(n) does not oscillate"), std::string::npos) << n.message;
}

TEST(OscillatorPss, AnOnameThatIsNoNodeIsReplacedByTheNodeThatSwingsMost) {
  // ngspice 39 reads ONAME and never uses it: its example decks name node 1
  // where there is none. The reader warns and the analysis observes the node
  // with the largest swing; the period is the one ONAME = n finds.
  using namespace simcore::testutil;
  const std::string deck = std::string(kVanDerPol) + "R2 n m 1meg\nR3 m 0 1meg\n";
  for (const char* oname : {"1", "0"}) {
    auto c = ok(deck + ".pss 5e6 20u " + oname + " 128 4 20 5e-3 uic\n");
    ASSERT_EQ(c.analyses.size(), 1u);
    EXPECT_EQ(c.analyses[0].oscNode, "");
    ASSERT_EQ(c.warnings.size(), 1u) << oname;
    EXPECT_NE(c.warnings[0].message.find("ONAME '" + std::string(oname) + "' is "), std::string::npos) << c.warnings[0].message;
    EXPECT_NE(c.warnings[0].message.find("swings most"), std::string::npos) << c.warnings[0].message;
    EXPECT_EQ(c.warnings[0].loc.line, 7);
  }
  auto named = runOk(deck + ".pss 5e6 20u n 128 4 20 5e-3 uic\n");
  auto chosen = runOk(deck + ".pss 5e6 20u 1 128 4 20 5e-3 uic\n");
  const double fn = named.get(AnalysisType::PssSpectrum).x[1];
  const double fc = chosen.get(AnalysisType::PssSpectrum).x[1];
  EXPECT_NEAR(fc, fn, 1e-5 * fn);
  EXPECT_NEAR(fc, kF0 * (1 - kMu * kMu / 16), 2e-4 * kF0);
  EXPECT_NEAR(chosen.get(AnalysisType::PssSpectrum).col("v(n)")[1], 2.0, 0.02);
}

TEST(OscillatorPss, TooFewShootingIterationsNameWhatWasTried) {
  // one iteration from an amplitude still far from the limit cycle
  Error e = runErr(std::string(kVanDerPol) + ".pss 5e6 0.2u n 64 4 1 1e-6 uic\n");
  EXPECT_EQ(e.code, ErrorCode::Convergence);
  EXPECT_NE(e.message.find("SCITER = 1"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("Newton"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("v(n)"), std::string::npos) << e.message;
}

namespace {

// The figure after `what` in a message ("shrinks by 0.0993 % a period").
double figureAfter(const std::string& message, const std::string& what) {
  const auto at = message.find(what);
  if (at == std::string::npos) return std::nan("");
  return std::stod(message.substr(at + what.size()));
}

}  // namespace

TEST(OscillatorPss, ARingThatDiesOutEndsOnItsRestStateAndTheErrorSaysHowFast) {
  // A parallel RLC tank rings down: v = e^{-t/(2RC)} cos(wd t), so its swing
  // shrinks by 1 - e^{-Td/(2RC)} a period. Being linear, its only periodic
  // orbit is rest, which shooting finds; that is no oscillation.
  const double R = 100e3, L = 1e-6, C = 1e-9;
  const double wd = std::sqrt(1 / (L * C) - 1 / (4 * R * R * C * C));
  const double shrink = -std::expm1(-(2 * std::numbers::pi / wd) / (2 * R * C));
  Error e = runErr("dying ring\nR1 n 0 100k\nL1 n 0 1u\nC1 n 0 1n ic=1\n.pss 5e6 2u n 64 4 10 5e-3 uic\n");
  EXPECT_EQ(e.code, ErrorCode::Convergence);
  EXPECT_NE(e.message.find("rest state"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("not self-sustained"), std::string::npos) << e.message;
  const double reported = figureAfter(e.message, "shrinks by ") / 100;
  EXPECT_NEAR(reported, shrink, 0.01 * shrink) << e.message;
  const double tau = figureAfter(e.message, "a time constant of ");
  EXPECT_NEAR(tau, 2 * R * C, 0.01 * 2 * R * C) << e.message;
}

TEST(OscillatorPss, ASlowlyDyingRingReportsItsLastOrbitWithAWarning) {
  // A tank fed from the supply, loaded only through a small capacitor by a
  // saturated transistor: it loses a ten-thousandth of its swing a period.
  // Shooting cannot meet STEADYCOEFF 5e-3 (the orbit is not periodic) but
  // comes within twice of it: the last orbit is the result, and the warning
  // gives the decay, which a long transient confirms.
  const std::string deck =
      "slowly dying tank\n"
      ".model qs npn(level=1 bf=80 rb=100 ccs=2pf tf=0.3ns tr=6ns cje=3pf cjc=2pf va=50)\n"
      "vs p 0 5 pwl 0 10 1n 5\n"
      "lch p b 100u\n"
      "cb b 0 7n\n"
      "q1 k b 0 qs\n"
      "rk k 0 4700\n"
      "ck k t 100p\n"
      "ck2 k 0 600p\n"
      "ct t 0 1n\n"
      "lt t p 6.2u\n";
  auto pss = runOk(deck + ".pss 1e6 10u t 256 4 50 5e-3 uic\n");
  std::string warning;
  for (const auto& w : pss.warnings)
    if (w.message.find("is not periodic") != std::string::npos) warning = w.message;
  ASSERT_FALSE(warning.empty());
  EXPECT_NE(warning.find("SCITER = 50"), std::string::npos) << warning;
  EXPECT_NE(warning.find("last orbit"), std::string::npos) << warning;
  const double shrink = figureAfter(warning, "shrinks by ") / 100;
  const Collected& spectrum = pss.get(AnalysisType::PssSpectrum);
  const double f = spectrum.x[1], a1 = spectrum.col("v(t)")[1];
  // the transient: the swing of v(t) in the period before 40 us and before 1 ms
  auto tran = runOk(deck + ".tran 5n 1m 0 5n uic\n");
  const Collected& t = tran.get(AnalysisType::Tran);
  auto swing = [&](double end) {
    double lo = 1e300, hi = -1e300;
    for (std::size_t k = 0; k < t.rows; ++k)
      if (t.x[k] > end - 1 / f && t.x[k] <= end) {
        lo = std::min(lo, t.col("v(t)")[k]);
        hi = std::max(hi, t.col("v(t)")[k]);
      }
    return hi - lo;
  };
  const double s1 = swing(40e-6), s2 = swing(1e-3);
  const double measured = -std::expm1(std::log(s2 / s1) / ((1e-3 - 40e-6) * f));
  EXPECT_NEAR(shrink, measured, 0.05 * measured) << warning;
  // the orbit reported is the transient's at about that time (its fundamental
  // is a little below half the swing: the waveform is no pure sine)
  EXPECT_NEAR(2 * a1, s1, 0.02 * s1);
}
