// P coupled lines (CPL): one conductor is the LTRA line of the same R L C; two
// symmetric lossless conductors split into the even and odd modes with their
// analytic impedances and delays; the card's and model's errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <string>
#include <vector>

#include "devices/cpl_fit.hpp"
#include "netlist_test_util.hpp"
#include "test_kernel_support.cpp"

using namespace simcore;
using simcore::testing::Collected;
using simcore::testing::runOk;

namespace {

double peakToPeak(const std::vector<double>& v) {
  if (v.empty()) return 0;
  auto mm = std::minmax_element(v.begin(), v.end());
  return *mm.second - *mm.first;
}

// The same line as P (CPL, one conductor, the MODAL method) and as O (LTRA), side
// by side in one circuit: the same time points, so the waveforms must agree to 1 ppm.
void expectCplEqualsLtra(const std::string& r, const std::string& analysis) {
  auto out = runOk(
      "cpl vs ltra\n"
      "V1 s 0 PULSE(0 2 1n 0.2n 0.2n 6n 20n) AC 1\n"
      "RA s a 20\n"
      "P1 a 0 b 0 pl\n"
      "RB b 0 1k\n"
      "CB b 0 0.2p\n"
      "RC s c 20\n"
      "O1 c 0 d 0 ol\n"
      "RD d 0 1k\n"
      "CD d 0 0.2p\n"
      ".model pl cpl r=" + r + " l=8.972e-9 g=0 c=0.468e-12 length=16 modal\n"
      ".model ol ltra r=" + r + " l=8.972e-9 g=0 c=0.468e-12 len=16\n" + analysis);
  for (const Collected& res : out.analyses) {
    for (int end = 0; end < 2; ++end) {
      const std::string p = end ? "v(b)" : "v(a)", o = end ? "v(d)" : "v(c)";
      if (res.header.complex) {
        for (std::size_t k = 0; k < res.rows; ++k)
          EXPECT_LT(std::abs(res.phasor(p, k) - res.phasor(o, k)), 1e-9 * (1 + std::abs(res.phasor(o, k)))) << p << " row " << k;
      } else {
        const auto& a = res.col(p);
        const auto& b = res.col(o);
        ASSERT_EQ(a.size(), b.size());
        // (not bit-identical: the modal transform of one conductor is 1 only to
        // round-off, which the RLC kernels' tables near the delay amplify a little)
        const double tol = 1e-6 * std::max(1.0, peakToPeak(b));
        for (std::size_t k = 0; k < a.size(); ++k) ASSERT_NEAR(a[k], b[k], tol) << p << " row " << k;
        if (res.header.type == AnalysisType::Tran) EXPECT_GT(peakToPeak(b), 0.5);
      }
    }
  }
}

TEST(LineCpl, OneConductorIsTheLtraLineRlc) { expectCplEqualsLtra("12.45", ".op\n.tran 0.02n 25n\n.ac dec 5 1meg 10g\n"); }
TEST(LineCpl, OneConductorIsTheLtraLineLc) { expectCplEqualsLtra("0", ".op\n.tran 0.02n 25n\n.ac dec 5 1meg 10g\n"); }

// Two symmetric lossless conductors, L = [Ls Lm; Lm Ls], C = [Cs -Cm; -Cm Cs]:
// even mode Le = Ls + Lm, Ce = Cs - Cm; odd mode Lo = Ls - Lm, Co = Cs + Cm.
constexpr double Ls = 300e-9, Lm = 60e-9, Cs = 100e-12, Cm = 10e-12, Len = 1.0, Rs = 50.0;
const std::string kModel =
    ".model pl cpl r=0 0 0 l=300n 60n 300n g=0 0 0 c=100p -10p 100p length=1\n";

struct Mode {
  double z, td;
};
Mode even() { return {std::sqrt((Ls + Lm) / (Cs - Cm)), Len * std::sqrt((Ls + Lm) * (Cs - Cm))}; }
Mode odd() { return {std::sqrt((Ls - Lm) / (Cs + Cm)), Len * std::sqrt((Ls - Lm) * (Cs + Cm))}; }

// A 1 V step (sign s on conductor 2) through Rs into both near ends, far ends open.
Collected stepResponse(int s) {
  auto out = runOk(
      "even odd\n"
      "V1 s1 0 PULSE(0 1 0 1p 1p 1 2)\n"
      "E2 s2 0 s1 0 " + std::to_string(s) + "\n"
      "R1 s1 a1 50\n"
      "R2 s2 a2 50\n"
      "P1 a1 a2 0 b1 b2 0 pl\n" + kModel + ".tran 2p 9n 0 2p\n");
  return out.get(AnalysisType::Tran);
}

// First time v crosses level (linear interpolation between rows).
double crossing(const Collected& c, const std::string& name, double level) {
  const auto& v = c.col(name);
  for (std::size_t k = 1; k < v.size(); ++k)
    if ((v[k - 1] - level) * (v[k] - level) <= 0 && v[k] != v[k - 1])
      return c.x[k - 1] + (level - v[k - 1]) / (v[k] - v[k - 1]) * (c.x[k] - c.x[k - 1]);
  return NAN;
}

double valueAt(const Collected& c, const std::string& name, double t) {
  const auto& v = c.col(name);
  for (std::size_t k = 0; k < v.size(); ++k)
    if (c.x[k] >= t) return v[k];
  return NAN;
}

void expectMode(int s, const Mode& m) {
  const Collected tr = stepResponse(s);
  const double near = m.z / (m.z + Rs);
  // the near end: the divider of Rs and the mode's impedance until the reflection returns at 2 td
  EXPECT_NEAR(valueAt(tr, "v(a1)", 0.5 * m.td), near, 1e-4);
  EXPECT_NEAR(valueAt(tr, "v(a2)", 0.5 * m.td), s * near, 1e-4);
  // the far end: nothing before td, the doubled wave after it
  EXPECT_NEAR(valueAt(tr, "v(b1)", 0.95 * m.td), 0.0, 1e-6);
  EXPECT_NEAR(valueAt(tr, "v(b1)", 1.3 * m.td), 2 * near, 1e-3);
  EXPECT_NEAR(valueAt(tr, "v(b2)", 1.3 * m.td), s * 2 * near, 1e-3);
  EXPECT_NEAR(crossing(tr, "v(b1)", near), m.td, 5e-12);
}

TEST(LineCpl, EvenModeImpedanceAndDelay) { expectMode(1, even()); }
TEST(LineCpl, OddModeImpedanceAndDelay) { expectMode(-1, odd()); }

// AC: each conductor terminated by the mode's impedance to ground at the far
// end (even: both Ze; the odd mode sees Zo to ground from each conductor too) --
// the line is matched, so the near end is the divider at every frequency, and
// the far end is the near end delayed by td.
void expectMatchedAc(int s, const Mode& m) {
  auto out = runOk(
      "matched\n"
      "V1 s1 0 AC 1\n"
      "E2 s2 0 s1 0 " + std::to_string(s) + "\n"
      "R1 s1 a1 50\n"
      "R2 s2 a2 50\n"
      "P1 a1 a2 0 b1 b2 0 pl\n"
      "RT1 b1 0 " + std::to_string(m.z) + "\n"
      "RT2 b2 0 " + std::to_string(m.z) + "\n" + kModel + ".ac lin 7 10meg 610meg\n");
  const Collected& ac = out.get(AnalysisType::Ac);
  const double near = m.z / (m.z + Rs);
  for (std::size_t k = 0; k < ac.rows; ++k) {
    const double w = 2 * M_PI * ac.x[k];
    EXPECT_LT(std::abs(ac.phasor("v(a1)", k) - near), 1e-6) << ac.x[k];
    EXPECT_LT(std::abs(ac.phasor("v(a2)", k) - double(s) * near), 1e-6) << ac.x[k];
    EXPECT_LT(std::abs(ac.phasor("v(b1)", k) - near * std::polar(1.0, -w * m.td)), 1e-6) << ac.x[k];
  }
}

TEST(LineCpl, EvenModeMatchedInAc) { expectMatchedAc(1, even()); }
TEST(LineCpl, OddModeMatchedInAc) { expectMatchedAc(-1, odd()); }

// A step on conductor 1 alone is half even, half odd: at the far end of
// conductor 2 the two halves cancel except between the two arrivals (the odd
// mode is the faster here): far-end crosstalk there and nothing before.
TEST(LineCpl, CrosstalkLiesBetweenTheModeArrivals) {
  auto out = runOk(
      "crosstalk\n"
      "V1 s1 0 PULSE(0 1 0 1p 1p 1 2)\n"
      "R1 s1 a1 50\n"
      "R2 0 a2 50\n"
      "P1 a1 a2 0 b1 b2 0 pl\n" + kModel + ".tran 2p 9n 0 2p\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  const double first = std::min(even().td, odd().td), second = std::max(even().td, odd().td);
  const auto& v = tr.col("v(b2)");
  double before = 0, between = 0;
  for (std::size_t k = 0; k < v.size(); ++k) {
    if (tr.x[k] < 0.98 * first) before = std::max(before, std::fabs(v[k]));
    if (tr.x[k] > 1.02 * first && tr.x[k] < 0.98 * second) between = std::max(between, std::fabs(v[k]));
  }
  EXPECT_LT(before, 1e-6);
  EXPECT_GT(between, 0.05);
}

TEST(LineCpl, MatrixWithTheWrongNumberOfValuesIsLocated) {
  const Error e = simcore::testing::runErr(
      "bad\n"
      "V1 a1 0 1\n"
      "P1 a1 a2 0 b1 b2 0 pl\n"
      "R1 a2 0 50\n"
      "R2 b1 0 50\n"
      "R3 b2 0 50\n"
      ".model pl cpl r=0 0 l=300n 60n 300n g=0 0 0 c=100p -10p 100p length=1\n"
      ".op\n");
  EXPECT_TRUE(testutil::contains(e.message, "R has 2 values")) << e.message;
  EXPECT_TRUE(testutil::contains(e.message, "need 3")) << e.message;
  EXPECT_EQ(e.loc.line, 3);
}

TEST(LineCpl, ShuntConductanceIsRejectedByTheModalMethod) {
  const std::string deck =
      "bad\n"
      "V1 a1 0 1\n"
      "P1 a1 a2 0 b1 b2 0 pl\n"
      "R1 a2 0 50\n"
      "R2 b1 0 50\n"
      "R3 b2 0 50\n"
      ".model pl cpl r=0 0 0 l=300n 60n 300n g=1m 0 1m c=100p -10p 100p length=1";
  const Error e = simcore::testing::runErr(deck + " modal\n.op\n");
  EXPECT_TRUE(testutil::contains(e.message, "G must be 0")) << e.message;
  // ngspice's method takes G (its DC is the series resistances, as ngspice's)
  auto out = runOk(deck + "\n.op\n");
  EXPECT_NEAR(out.get(AnalysisType::Op).col("v(b1)")[0], 50.0 / (50.0 + 1e-4), 1e-6);
}

// As ngspice's CPL, every conductor node has 0.1 gmin to ground: a conductor
// whose ends touch nothing else is held at 0 V at DC and picks up crosstalk.
TEST(LineCpl, AFloatingConductorIsHeldByGmin) {
  auto out = runOk(
      "floating\n"
      "V1 s1 0 PULSE(0 1 0 1p 1p 1 2)\n"
      "R1 s1 a1 50\n"
      "R2 b1 0 50\n"
      "P1 a1 a2 0 b1 b2 0 pl\n" + kModel + ".tran 2p 9n 0 2p\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  EXPECT_NEAR(tr.col("v(a2)")[0], 0.0, 1e-12);
  EXPECT_GT(peakToPeak(tr.col("v(b2)")), 0.05);
}

// DC: a conductor is a resistor R len between its ends (here a diagonal R, the
// same in every basis when the modes are those of a symmetric pair).
TEST(LineCpl, DcIsTheSeriesResistance) {
  auto out = runOk(
      "dc\n"
      "V1 a1 0 1\n"
      "P1 a1 a2 0 b1 b2 0 pl\n"
      "R1 b1 0 100\n"
      "R2 a2 0 1k\n"
      "R3 b2 0 1k\n"
      ".model pl cpl r=2 0 2 l=300n 60n 300n g=0 0 0 c=100p -10p 100p length=5\n"
      ".op\n");
  const Collected& op = out.get(AnalysisType::Op);
  EXPECT_NEAR(op.col("v(b1)")[0], 100.0 / 110.0, 1e-9);
  EXPECT_NEAR(op.col("v(a2)")[0], 0.0, 1e-12);
}

}  // namespace


namespace {

// ngspice's cpl_ibm1.sp writes `.subckt ECL EIN GND 9 8`: a ground pin is
// accepted; the body's gnd stays the global ground and the instance's node on
// that pin is left unconnected (warned when it is not ground).
TEST(SubcktGroundPin, BodyGroundStaysGlobalAndThePinIsNotConnected) {
  const std::string deck =
      "ground pin\n"
      "V1 a 0 2\n"
      "X1 a 0 b div\n"
      "X2 a c d div\n"
      "RC c 0 1k\n"
      ".subckt div in gnd out\n"
      "R1 in out 1k\n"
      "R2 out gnd 3k\n"
      ".ends\n"
      ".op\n";
  const ir::Circuit c = testutil::ok(deck);
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_TRUE(testutil::contains(c.warnings[0].message, "not connected")) << c.warnings[0].message;
  EXPECT_EQ(c.warnings[0].loc.line, 4);
  auto out = runOk(deck);
  const Collected& op = out.get(AnalysisType::Op);
  EXPECT_NEAR(op.col("v(b)")[0], 1.5, 1e-9);
  EXPECT_NEAR(op.col("v(d)")[0], 1.5, 1e-9);
  EXPECT_NEAR(op.col("v(c)")[0], 0.0, 1e-12);
}

}  // namespace

namespace {

// ---- ngspice's CPL method (the default)

// A symmetric pair: the fit's modal delays are the even and odd modes' and its
// admittance at s -> infinity (each h1 entry's aten) is the modal one transformed back.
TEST(LineCplFit, SymmetricPairModesAndAdmittance) {
  namespace cf = simcore::dev::cplfit;
  const cf::Matrix r{{0, 0}, {0, 0}}, l{{Ls, Lm}, {Lm, Ls}}, g{{0, 0}, {0, 0}}, c{{Cs, -Cm}, {-Cm, Cs}};
  const cf::Fit f = cf::fitLines(r, l, g, c, Len);
  ASSERT_TRUE(f.error.empty()) << f.error;
  ASSERT_EQ(f.n, 2);
  std::vector<double> delays = f.delay;
  std::sort(delays.begin(), delays.end());
  const double te = Len * std::sqrt((Ls + Lm) * (Cs - Cm)), to = Len * std::sqrt((Ls - Lm) * (Cs + Cm));
  EXPECT_NEAR(delays[0], std::min(te, to), 1e-6 * te);
  EXPECT_NEAR(delays[1], std::max(te, to), 1e-6 * te);
  const double ye = std::sqrt((Cs - Cm) / (Ls + Lm)), yo = std::sqrt((Cs + Cm) / (Ls - Lm));
  EXPECT_NEAR(f.h1[0].aten, 0.5 * (ye + yo), 1e-6 * ye);
  EXPECT_NEAR(f.h1[3].aten, 0.5 * (ye + yo), 1e-6 * ye);
  EXPECT_NEAR(f.h1[1].aten, 0.5 * (ye - yo), 1e-6 * ye);
  // R raised to 1e-4 ohm/m, as ngspice: the DC resistances
  EXPECT_DOUBLE_EQ(f.rdc[0], 1e-4 * Len);
}

// The model flag MODAL keeps the modal decomposition (exact lines); without it the
// line is ngspice's CPL: on a lossy pair the two are close but not the same.
TEST(LineCpl, ModalFlagSelectsTheExactModalMethod) {
  auto deck = [](const std::string& flag) {
    return "pair\nV1 s 0 PULSE(0 1 0.5n 1n 1n 4n 20n)\nR1 s a1 25\nR2 a2 0 100\nP1 a1 a2 0 b1 b2 0 pline\n"
           "R3 b1 0 1k\nC3 b1 0 1p\nR4 b2 0 100\n.model pline cpl R=2.25 0 2.25 L=0.6e-6 0.05e-6 0.6e-6 G=0 0 0 "
           "C=1.2e-9 -0.11e-9 1.2e-9 length=0.3 " + flag + "\n.tran 0.02n 10n 0 0.02n\n";
  };
  auto ng = runOk(deck(""));
  auto modal = runOk(deck("modal"));
  const Collected& a = ng.get(AnalysisType::Tran);
  const Collected& b = modal.get(AnalysisType::Tran);
  double worst = 0;
  for (std::size_t k = 0; k < a.rows; ++k) {
    const double t = a.x[k];
    std::size_t j = 0;
    while (j + 1 < b.rows && b.x[j] < t) ++j;
    worst = std::max(worst, std::fabs(a.col("v(b1)")[k] - b.col("v(b1)")[j]));
  }
  EXPECT_GT(worst, 1e-4);
  EXPECT_LT(worst, 0.05);
}

}  // namespace
