// Transmission lines (issue 12 item 6): T's initial conditions, the LTRA's
// impulse-response pieces against closed forms, and the cards' errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <string>
#include <vector>

#include "devices/ltra_kernels.hpp"
#include "devices/txl_fit.hpp"
#include "netlist_test_util.hpp"
#include "test_kernel_support.cpp"

using namespace simcore;
using simcore::testing::Collected;
using simcore::testing::runOk;
namespace ltra = simcore::dev::ltra;

namespace {

double peak(const std::vector<double>& v) { return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end()); }

// The value of column `name` at the first row at or after time t.
double at(const Collected& c, const std::string& name, double t) {
  const auto& col = c.col(name);
  for (std::size_t k = 0; k < c.rows; ++k)
    if (c.x[k] >= t) return col[k];
  return NAN;
}

// A 50 Ohm line between two 50 Ohm resistors: each end sees the wave the
// other end's initial conditions launch, halved by the divider, until TD.
TEST(LineT, UicStartsFromIcNotFromTheNodes) {
  auto out = runOk(
      "t ic\n"
      "RA a 0 50\n"
      "T1 a 0 b 0 Z0=50 TD=10n IC=2,10m,1.5,-4m\n"
      "RB b 0 50\n"
      ".ic v(a)=3 v(b)=3\n"
      ".tran 0.1n 5n uic\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  // into port 1: v2 + Z0 i2 = 1.5 - 0.2 = 1.3; into port 2: v1 + Z0 i1 = 2 + 0.5 = 2.5
  EXPECT_NEAR(at(tr, "v(a)", 2e-9), 0.65, 1e-9);
  EXPECT_NEAR(at(tr, "v(b)", 2e-9), 1.25, 1e-9);
}

TEST(LineT, SingleIcParametersWinOverTheVector) {
  auto out = runOk(
      "t ic\n"
      "RA a 0 50\n"
      "T1 a 0 b 0 Z0=50 TD=10n IC=2,10m V2=1 I2=0 I1=0\n"
      "RB b 0 50\n"
      ".tran 0.1n 5n uic\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  EXPECT_NEAR(at(tr, "v(a)", 2e-9), 0.5, 1e-9);
  EXPECT_NEAR(at(tr, "v(b)", 2e-9), 1.0, 1e-9);
}

TEST(LineT, WithoutUicIcIsIgnored) {
  auto out = runOk(
      "t ic\n"
      "V1 s 0 1\n"
      "RA s a 50\n"
      "T1 a 0 b 0 Z0=50 TD=10n IC=2,10m,1.5,-4m\n"
      "RB b 0 50\n"
      ".tran 0.1n 5n\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  EXPECT_NEAR(at(tr, "v(a)", 2e-9), 0.5, 1e-9);
  EXPECT_NEAR(at(tr, "v(b)", 2e-9), 0.5, 1e-9);
}

// A line thousands of times shorter than the steps (a connector model, TD = 94 ps, in a
// 2 ms run): the wave arriving at t - TD lies inside the step and is interpolated with
// the step's own (implicit); extrapolating it from the last points grew to 1e204 V.
// Electrically the line is a wire here: each end sits at half the source (1k/1k).
TEST(LineT, StepsFarLongerThanTheDelayStayBounded) {
  auto out = runOk(
      "t short line\n"
      "V1 s 0 SIN(0.2 0.2 1k)\n"
      "R1 s a 1k\n"
      "T1 a r b r Z0=108 TD=94p\n"
      "R2 b 0 1k\n"
      "R3 r c 1k\n"
      "V3 c 0 5\n"
      ".tran 5u 2m\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  ASSERT_GT(tr.rows, 100u);
  const auto &s = tr.col("v(s)"), &a = tr.col("v(a)"), &b = tr.col("v(b)"), &r = tr.col("v(r)");
  for (std::size_t k = 0; k < tr.rows; ++k) {
    EXPECT_NEAR(a[k], 0.5 * s[k], 1e-5) << tr.x[k];
    EXPECT_NEAR(b[k], 0.5 * s[k], 1e-5) << tr.x[k];
    EXPECT_NEAR(r[k], 5.0, 1e-5) << tr.x[k];
  }
}

TEST(LineT, IcTakesAtMostFourValues) {
  const Error e = simcore::testing::runErr(
      "t ic\n"
      "RA a 0 50\n"
      "T1 a 0 b 0 Z0=50 TD=10n IC=1,2,3,4,5\n"
      "RB b 0 50\n"
      ".tran 0.1n 5n uic\n");
  EXPECT_TRUE(testutil::contains(e.message, "at most 4 values")) << e.message;
  EXPECT_EQ(e.loc.line, 3);
}


// ---- LTRA kernels against closed forms

// e^{-x} I0(x), e^{-x} I1(x) by their power series (small x) and integral (any x).
double i0eRef(double x) {
  // I0(x) = (1/pi) int_0^pi e^{x cos th} dth: midpoint rule, converges geometrically
  const int n = 2000;
  double s = 0;
  for (int k = 0; k < n; ++k) s += std::exp(x * (std::cos(M_PI * (k + 0.5) / n) - 1.0));
  return s / n;
}
double i1eRef(double x) {
  const int n = 2000;
  double s = 0;
  for (int k = 0; k < n; ++k) {
    const double th = M_PI * (k + 0.5) / n;
    s += std::exp(x * (std::cos(th) - 1.0)) * std::cos(th);
  }
  return s / n;
}

TEST(LineKernels, ScaledBesselFunctions) {
  for (double x : {0.0, 0.1, 1.0, 3.7, 3.8, 10.0, 50.0, 700.0}) {
    EXPECT_NEAR(ltra::besselI0e(x), i0eRef(x), 5e-7 * i0eRef(x)) << x;
    EXPECT_NEAR(ltra::besselI1e(x), i1eRef(x), 5e-7 * i0eRef(x)) << x;
    if (x > 0) EXPECT_NEAR(ltra::besselI1OverXe(x) * x, ltra::besselI1e(x), 1e-12) << x;
  }
  EXPECT_DOUBLE_EQ(ltra::besselI1OverXe(0.0), 0.5);
}

// The RC line's step responses: a step into port 1 of a line shorted... in
// kernel terms, K1 of hp is erfc(sqrt(RC len^2 / 4t)), the voltage at the open
// far end of a semi-infinite RC line; K1 of hy is sqrt(C / (pi R t)).
TEST(LineKernels, RcKernelsIntegrateToTheirStepResponses) {
  const double cbyr = 2e-15, rclsqr = 4e-9;
  const ltra::Kernel hy = ltra::Kernel::rc(ltra::KernelKind::RcY, cbyr, rclsqr);
  const ltra::Kernel hp = ltra::Kernel::rc(ltra::KernelKind::RcP, cbyr, rclsqr);
  const ltra::Kernel hyp = ltra::Kernel::rc(ltra::KernelKind::RcYP, cbyr, rclsqr);
  for (double t : {1e-11, 1e-10, 1e-9, 1e-8, 1e-7}) {
    const double d = 1e-4 * t;
    auto deriv = [&](const ltra::Kernel& k) { return (k.twiceIntegral(t + d) - k.twiceIntegral(t - d)) / (2 * d); };
    EXPECT_NEAR(deriv(hp), std::erfc(std::sqrt(rclsqr / (4 * t))), 1e-6) << t;
    EXPECT_NEAR(deriv(hy), std::sqrt(cbyr / (M_PI * t)), 1e-6 * std::sqrt(cbyr / (M_PI * t))) << t;
    EXPECT_NEAR(deriv(hyp), hyp.integral(t), 1e-6 * hy.integral(t)) << t;
    // and the kernel is the derivative of the first integral
    const double d1 = (hp.integral(t + d) - hp.integral(t - d)) / (2 * d);
    EXPECT_NEAR(d1, hp.value(t), 1e-5 * std::fabs(hp.value(t)) + 1e-3) << t;
  }
  EXPECT_EQ(hp.total(), 1.0);
  EXPECT_EQ(hy.total(), 0.0);
}

// RLC: the step response of Y0/Yinf = sqrt(s / (s + 2 alpha)) is e^{-alpha t} I0(alpha t);
// the tabulated hp and hyp integrate to their totals and differentiate to their closed forms.
TEST(LineKernels, RlcKernelsAgainstClosedForms) {
  const double alpha = 6.9e8, T = 1.04e-9;
  const ltra::Kernel hy = ltra::Kernel::rlc(ltra::KernelKind::RlcY, alpha, T);
  const ltra::Kernel hp = ltra::Kernel::rlc(ltra::KernelKind::RlcP, alpha, T);
  const ltra::Kernel hyp = ltra::Kernel::rlc(ltra::KernelKind::RlcYP, alpha, T);
  const double att = std::exp(-alpha * T);
  EXPECT_DOUBLE_EQ(hy.total(), -1.0);
  EXPECT_DOUBLE_EQ(hp.total(), 1.0 - att);
  EXPECT_DOUBLE_EQ(hyp.total(), -att);
  for (double t : {1e-10, 1e-9, 1.05e-9, 1.5e-9, 3e-9, 1e-8, 1e-7, 1e-6}) {
    const double d = 1e-5 * t;
    auto d2 = [&](const ltra::Kernel& k) { return (k.twiceIntegral(t + d) - k.twiceIntegral(t - d)) / (2 * d); };
    EXPECT_NEAR(d2(hy), ltra::besselI0e(alpha * t) - 1.0, 1e-6) << t;
    if (t > T * 1.01) {
      // K2' = K1: hyp's K1 in closed form, e^{-alpha t} I0(alpha sqrt(t^2 - T^2)) - e^{-alpha T}
      const double r = std::sqrt(t * t - T * T);
      EXPECT_NEAR(d2(hyp), std::exp(-alpha * (t - r)) * ltra::besselI0e(alpha * r) - att, 5e-5) << t;
      EXPECT_NEAR(d2(hp), hp.integral(t), 5e-5) << t;
      const double dd = 1e-4 * (t - T);
      EXPECT_NEAR((hp.integral(t + dd) - hp.integral(t - dd)) / (2 * dd), hp.value(t), 1e-3 * hp.value(t)) << t;
    } else if (t < T) {
      EXPECT_EQ(hp.twiceIntegral(t), 0.0);
      EXPECT_EQ(hyp.twiceIntegral(t), 0.0);
    }
  }
  // far out the first integrals reach their totals
  EXPECT_NEAR(hp.integral(1e-3), hp.total(), 2e-3 * hp.total());
  EXPECT_NEAR(hyp.integral(1e-3), hyp.total(), 2e-3 * att);
  // ngspice's safe step lies between 0 and 9 T
  const double h = ltra::rlcMaxSafeStep(alpha, T, 1e-3, 1e-14);
  EXPECT_GT(h, 0.0);
  EXPECT_LT(h, 9 * T);
}

// ---- LTRA lines in the analyses

// The exact line's two-port (ABCD) at one frequency: |v(in)| and |v(out)| of a line
// driven through rs, loaded by zl.
std::pair<double, double> exactLine(double f, double r, double l, double g, double c, double len, double rs,
                                    std::complex<double> zl) {
  const std::complex<double> s(0, 2 * M_PI * f);
  const auto z = s * l + r, y = s * c + g;
  const auto z0 = std::sqrt(z / y), gl = std::sqrt(z * y) * len;
  const auto A = std::cosh(gl), B = z0 * std::sinh(gl), C = std::sinh(gl) / z0;
  const auto zin = (A * zl + B) / (C * zl + A);
  const auto vin = zin / (rs + zin);
  return {std::abs(vin), std::abs(vin / (A + B / zl))};
}

TEST(LineLtra, AcIsTheExactLine) {
  auto out = runOk(
      "ltra ac\n"
      "V1 s 0 AC 1\n"
      "RS1 s a 50\n"
      "O1 a 0 b 0 rlc\n"
      "RL1 b 0 100\n"
      "RS2 s c 50\n"
      "O2 c 0 d 0 rc\n"
      "RL2 d 0 10k\n"
      ".model rlc ltra r=5 l=250n c=100p len=2\n"
      ".model rc ltra r=1e4 c=1e-10 len=0.05\n"
      ".ac dec 5 1Meg 1G\n");
  const Collected& ac = out.get(AnalysisType::Ac);
  ASSERT_GT(ac.rows, 10u);
  for (std::size_t k = 0; k < ac.rows; ++k) {
    const double f = ac.x[k];
    auto mag = [&](const std::string& n) { return std::hypot(ac.re.at(n)[k], ac.im.at(n)[k]); };
    const auto rlc = exactLine(f, 5, 250e-9, 0, 100e-12, 2, 50, 100.0);
    const auto rc = exactLine(f, 1e4, 0, 0, 1e-10, 0.05, 50, 1e4);
    EXPECT_NEAR(mag("v(a)"), rlc.first, 1e-9) << f;
    EXPECT_NEAR(mag("v(b)"), rlc.second, 1e-9) << f;
    EXPECT_NEAR(mag("v(c)"), rc.first, 1e-9) << f;
    EXPECT_NEAR(mag("v(d)"), rc.second, 1e-9) << f;
  }
}

// DC: LC, RLC and RC lines are their series resistance R len; an RG line its exact two-port.
TEST(LineLtra, OperatingPoint) {
  auto out = runOk(
      "ltra op\n"
      "V1 s 0 1\n"
      "RS1 s a 50\n"
      "O1 a 0 b 0 rlc\n"
      "RL1 b 0 100\n"
      "RS2 s c 50\n"
      "O2 c 0 d 0 rg\n"
      "RL2 d 0 100\n"
      ".model rlc ltra r=5 l=250n c=100p len=2\n"
      ".model rg ltra r=20 g=0.05 len=3\n"
      ".op\n");
  const Collected& op = out.get(AnalysisType::Op);
  EXPECT_NEAR(op.col("v(b)")[0], 100.0 / 160.0, 1e-9);
  const auto rg = exactLine(1e-6, 20, 0, 0.05, 0, 3, 50, 100.0);
  EXPECT_NEAR(op.col("v(c)")[0], rg.first, 1e-6);
  EXPECT_NEAR(op.col("v(d)")[0], rg.second, 1e-6);
}

// An LC LTRA line and a T line of the same Z0 and delay give the same transient.
TEST(LineLtra, LcLineIsTheLosslessLine) {
  auto out = runOk(
      "ltra lc\n"
      "V1 s 0 PULSE(0 1 1n 0.5n 0.5n 5n 40n)\n"
      "RS1 s a 25\n"
      "O1 a 0 b 0 lossless\n"
      "RL1 b 0 200\n"
      "RS2 s c 25\n"
      "T1 c 0 d 0 Z0=50 TD=3n\n"
      "RL2 d 0 200\n"
      ".model lossless ltra l=250n c=100p len=0.6\n"
      ".tran 0.05n 30n\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  double worst = 0;
  for (std::size_t k = 0; k < tr.rows; ++k) worst = std::max(worst, std::fabs(tr.col("v(b)")[k] - tr.col("v(d)")[k]));
  EXPECT_LT(worst, 0.02);
  // the step never exceeds the delay
  for (std::size_t k = 1; k < tr.rows; ++k) EXPECT_LE(tr.x[k] - tr.x[k - 1], 3e-9 * (1 + 1e-9));
}

// An RC line driven by a voltage step at one end, open at the other: by images the far
// end is 2 sum_n (-1)^n erfc((2n+1) sqrt(RC len^2 / 4t)), settling at the step.
TEST(LineLtra, RcLineStepResponseIsTheDiffusion) {
  auto out = runOk(
      "ltra rc\n"
      "V1 s 0 PULSE(0 1 0 1p 1p 1 2)\n"
      "RS s a 1m\n"
      "O1 a 0 b 0 wire\n"
      "RL b 0 1G\n"
      ".model wire ltra r=1e5 c=2e-10 len=1e-2\n"
      ".tran 0.1n 40n\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  const double a = 1e5 * 2e-10 * 1e-4 / 4;  // RC len^2 / 4
  int checked = 0;
  for (std::size_t k = 0; k < tr.rows; ++k) {
    const double t = tr.x[k];
    if (t < 0.5e-9) continue;
    double want = 0;
    for (int n = 0; n < 20; ++n) want += 2 * (n % 2 ? -1 : 1) * std::erfc((2 * n + 1) * std::sqrt(a / t));
    EXPECT_NEAR(tr.col("v(b)")[k], want, 0.02) << t;  // piecewise-linear history at 0.1 ns steps
    ++checked;
  }
  EXPECT_GT(checked, 20);
}

TEST(LineLtra, ModelErrorsAreLocated) {
  const struct {
    const char* model;
    const char* message;
  } cases[] = {
      {".model m ltra r=1 l=1n c=1p", "LEN must be given"},
      {".model m ltra r=1 len=1", "at least two of R, L, G, C"},
      {".model m ltra r=1 l=1n g=1m c=1p len=1", "nonzero G"},
      {".model m ltra r=1 l=1n len=1", "RL line"},
      {".model m ltra r=1 c=1p len=1 foo=2", "unknown parameter 'foo'"},
  };
  for (const auto& c : cases) {
    const Error e = simcore::testing::runErr(std::string("t\nV1 a 0 1\nO1 a 0 b 0 m\nR1 b 0 1\n") + c.model +
                                             "\n.op\n");
    EXPECT_TRUE(testutil::contains(e.message, c.message)) << c.model << ": " << e.message;
    EXPECT_EQ(e.loc.line, 5) << c.model;
  }
  const Error e = simcore::testing::runErr("t\nV1 a 0 1\nO1 a 0 b 0 nomodel\nR1 b 0 1\n.op\n");
  EXPECT_TRUE(testutil::contains(e.message, "unknown model 'nomodel'")) << e.message;
  EXPECT_EQ(e.loc.line, 3);
}

TEST(LineLtra, ModelFlagsAreBareWords) {
  const auto c = testutil::ok("t\nO1 a 0 b 0 m\n.model m ltra r=1 l=1n c=1p len=1 nosteplimit mixedinterp\n.end\n");
  ASSERT_EQ(c.models.size(), 1u);
  int flags = 0;
  for (const auto& p : c.models[0].params) flags += (p.name == "nosteplimit" || p.name == "mixedinterp") && p.value == 1;
  EXPECT_EQ(flags, 2);
}

// ---- TXL (Y): ngspice's TXL method (rational fits of Y and of the propagation,
// recursive convolution); the exact line is the LTRA `O` line.

namespace txl = simcore::dev::txl;
using Cx = std::complex<double>;

// The exact functions of the fit: Y(s) and P(s) = exp(-len gamma) exp(s T).
Cx exactY(double r, double l, double g, double c, Cx s) { return std::sqrt((g + s * c) / (r + s * l)); }
Cx exactP(double r, double l, double g, double c, double len, Cx s) {
  return std::exp(-len * std::sqrt((r + s * l) * (g + s * c)) + s * len * std::sqrt(l * c));
}

TEST(LineTxlFit, PadeFitsKeepDcAndFollowTheLine) {
  const double r = 12.45, l = 8.972e-9, c = 0.468e-12, len = 16;
  const txl::FitResult fr = txl::fitLine(r, l, 0, c, len);
  ASSERT_TRUE(fr.error.empty()) << fr.error;
  const txl::Fit& f = fr.fit;
  EXPECT_FALSE(f.lossless);
  EXPECT_NEAR(f.y0, std::sqrt(c / l), 1e-15);
  EXPECT_NEAR(f.delay, len * std::sqrt(l * c), 1e-20);
  EXPECT_NEAR(f.h2aten, std::exp(-0.5 * r / l * f.delay), 1e-12);
  // the fits' constraints at DC: Y(0) = sqrt(G/R) = 0, P(0) = exp(-len sqrt(RG)) = 1
  EXPECT_LT(std::abs(txl::fittedAdmittance(f, 0.0)), 1e-9 * f.y0);
  EXPECT_NEAR(std::abs(txl::fittedPropagation(f, 0.0)), 1.0, 1e-9);
  for (const auto& p : f.h1) EXPECT_LT(p.x, 0.0) << "stable poles";
  for (const auto& p : f.h2) EXPECT_LT(p.x, 0.0) << "stable poles";
  // along the imaginary axis the fits follow the exact functions (3 poles each):
  // closely from about 1/T (1e9 rad/s) up, loosely below (they are expansions about
  // s = infinity held to the DC values)
  for (double w : {1e7, 1e8, 1e9, 1e10, 1e11}) {
    const Cx s(0, w);
    const Cx y = exactY(r, l, 0, c, s), p = exactP(r, l, 0, c, len, s);
    const bool high = w >= 1e9;
    EXPECT_LT(std::abs(txl::fittedAdmittance(f, s) - y), high ? 0.02 * std::abs(y) : 0.1 * f.y0) << w;
    EXPECT_LT(std::abs(txl::fittedPropagation(f, s) - p), high ? 0.02 : 0.1) << w;
    // the six-pole product is the product of the two fits
    const Cx yp = txl::fittedAdmittance(f, s) * txl::fittedPropagation(f, s);
    EXPECT_LT(std::abs(txl::fittedProduct(f, s) - yp), 1e-9 * std::abs(yp)) << w;
  }
}

TEST(LineTxlFit, ShuntConductanceAndTheLosslessThreshold) {
  // with G the DC values are sqrt(G/R) and exp(-len sqrt(RG))
  const double r = 50, l = 5e-7, g = 2e-3, c = 1e-10, len = 0.5;
  const txl::FitResult fr = txl::fitLine(r, l, g, c, len);
  ASSERT_TRUE(fr.error.empty()) << fr.error;
  EXPECT_NEAR(txl::fittedAdmittance(fr.fit, 0.0).real(), std::sqrt(g / r), 1e-9 * std::sqrt(g / r));
  EXPECT_NEAR(txl::fittedPropagation(fr.fit, 0.0).real(), std::exp(-len * std::sqrt(r * g)), 1e-9);
  const Cx s(0, 2e8);
  EXPECT_LT(std::abs(txl::fittedProduct(fr.fit, s) - txl::fittedAdmittance(fr.fit, s) * txl::fittedPropagation(fr.fit, s)),
            1e-9 * std::abs(txl::fittedProduct(fr.fit, s)));
  // ngspice's TXL counts R/L < 5e5 (and G < 1e-2) as lossless: the ideal line, R ignored
  EXPECT_TRUE(txl::fitLine(4e-3, 8.972e-9, 0, 0.468e-12, 16).fit.lossless);
  EXPECT_FALSE(txl::fitLine(5e-3, 8.972e-9, 0, 0.468e-12, 16).fit.lossless);
}

// A lossless TXL line between matched resistors: the far end is the near end one delay later.
TEST(LineTxl, LosslessLineDelaysTheWave) {
  const double l = 8.972e-9, c = 0.468e-12, len = 5, z0 = std::sqrt(l / c), T = len * std::sqrt(l * c);
  auto out = runOk("txl\nV1 s 0 PULSE(0 2 1n 1n 1n 3n 20n)\nRS s a " + std::to_string(z0) +
                   "\nY1 a 0 b 0 ymod\nRL b 0 " + std::to_string(z0) +
                   "\n.model ymod txl R=0 L=8.972e-9 G=0 C=0.468e-12 length=5\n.tran 0.02n 12n 0 0.02n\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  const auto& va = tr.col("v(a)");
  const auto& vb = tr.col("v(b)");
  for (std::size_t k = 0; k < tr.rows; ++k) {
    const double t = tr.x[k] - T;
    double want = 0;
    if (t > 0)
      for (std::size_t j = 1; j < tr.rows; ++j)
        if (tr.x[j] >= t) {
          want = va[j - 1] + (va[j] - va[j - 1]) * (t - tr.x[j - 1]) / (tr.x[j] - tr.x[j - 1]);
          break;
        }
    EXPECT_NEAR(vb[k], want, 2e-3) << tr.x[k];
  }
  EXPECT_NEAR(at(tr, "v(b)", 4.5e-9 + T), 1.0, 1e-3);  // half the source on the matched line
}

// A slow wave (rise 5 ns over a 1 ns line): ngspice's approximations come close
// to the exact line (the LTRA O line of the same R L C), without being it.
TEST(LineTxl, SlowWaveComesCloseToTheExactLine) {
  auto out = runOk(
      "txl\n"
      "V1 s 0 PULSE(0 2 1n 5n 5n 10n 40n)\n"
      "RS1 s a 20\nY1 a 0 b 0 ymod\nRL1 b 0 1k\n"
      "RS2 s c 20\nO2 c 0 d 0 lmod\nRL2 d 0 1k\n"
      ".model ymod txl R=12.45 L=8.972e-9 G=0 C=0.468e-12 length=16\n"
      ".model lmod ltra R=12.45 L=8.972e-9 C=0.468e-12 len=16\n"
      ".tran 0.05n 30n 0 0.05n\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  double worst = 0;
  for (std::size_t k = 0; k < tr.rows; ++k)
    worst = std::max(worst, std::fabs(at(tr, "v(b)", tr.x[k]) - at(tr, "v(d)", tr.x[k])));
  EXPECT_LT(worst, 0.05);
  EXPECT_GT(worst, 1e-6) << "the TXL method is not the exact line";
  EXPECT_NEAR(at(tr, "v(b)", 14e-9), at(tr, "v(d)", 14e-9), 0.01);  // the plateau
}

// As ngspice 39: a TXL model with 1.6e9 < R/L <= 1.6e10 is a CPL model (inpdomod.c) and a Y
// card with a CPL model is a P card (inp2y.c): all three lines below are the same line.
TEST(LineTxl, NgspicesCplRangeRunsAsOneConductorCpl) {
  auto out = runOk(
      "as cpl\n"
      "V1 s 0 PULSE(0 2 1n 0.3n 0.3n 6n 20n)\n"
      "RA s a 50\nY1 a 0 b 0 yhigh\nCB b 0 0.1p\n"
      "RC s c 50\nP2 c 0 d 0 pmod\nCD d 0 0.1p\n"
      "RE s e 50\nY3 e 0 f 0 pmod\nCF f 0 0.1p\n"
      ".model yhigh txl R=30 L=7.5e-9 G=0 C=0.5e-12 length=0.8\n"
      ".model pmod cpl R=30 L=7.5e-9 G=0 C=0.5e-12 length=0.8\n"
      ".tran 0.05n 20n 0 0.05n\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  for (std::size_t k = 0; k < tr.rows; ++k) {
    EXPECT_NEAR(tr.col("v(b)")[k], tr.col("v(d)")[k], 1e-8) << tr.x[k];  // (the solver's rounding)
    EXPECT_NEAR(tr.col("v(f)")[k], tr.col("v(d)")[k], 1e-8) << tr.x[k];
  }
  EXPECT_GT(peak(tr.col("v(d)")), 1.0);
  // below 1.6e9 the same card is a TXL line, which differs
  auto txl = runOk(
      "txl\nV1 s 0 PULSE(0 2 1n 0.3n 0.3n 6n 20n)\nRA s a 50\nY1 a 0 b 0 ylow\nCB b 0 0.1p\n"
      "RC s c 50\nP2 c 0 d 0 pmod\nCD d 0 0.1p\n"
      ".model ylow txl R=11 L=7.5e-9 G=0 C=0.5e-12 length=0.8\n"
      ".model pmod cpl R=11 L=7.5e-9 G=0 C=0.5e-12 length=0.8\n.tran 0.05n 20n 0 0.05n\n");
  const Collected& t2 = txl.get(AnalysisType::Tran);
  double worst = 0;
  for (std::size_t k = 0; k < t2.rows; ++k) worst = std::max(worst, std::fabs(t2.col("v(b)")[k] - t2.col("v(d)")[k]));
  EXPECT_GT(worst, 1e-3);
}

// A second transient starts the TXL and CPL lines' histories again, with uic too
// (no DC load before it): it gives what a run of its own gives.
TEST(LineTxl, SecondTransientStartsTheHistoryAgain) {
  const std::string body =
      "V1 s 0 PULSE(0 2 0.5n 0.3n 0.3n 3n 10n)\nRA s a 50\nY1 a 0 b 0 ymod\nCB b 0 0.1p\n"
      "RC s c 50\nP2 c 0 d 0 pmod\nCD d 0 0.1p\n"
      ".model ymod txl R=12.45 L=8.972e-9 G=0 C=0.468e-12 length=2\n"
      ".model pmod cpl R=12.45 L=8.972e-9 G=0 C=0.468e-12 length=2\n";
  // (ngspice's order: the cards of one kind last first, so the uic one runs second)
  auto both = runOk("two\n" + body + ".tran 0.05n 5n 0 0.05n uic\n.tran 0.05n 8n\n");
  auto alone = runOk("one\n" + body + ".tran 0.05n 5n 0 0.05n uic\n");
  ASSERT_EQ(both.analyses.size(), 2u);
  const Collected& a = both.analyses[1];
  const Collected& b = alone.get(AnalysisType::Tran);
  ASSERT_EQ(a.rows, b.rows);
  for (const char* n : {"v(b)", "v(d)"})
    for (std::size_t k = 0; k < a.rows; ++k) EXPECT_NEAR(a.col(n)[k], b.col(n)[k], 1e-9) << n << " " << a.x[k];
  EXPECT_GT(peak(b.col("v(b)")), 1.0);
}

// As ngspice 39: a TXL line with R/L > 1.6e10 is three RC sections, with ngspice's
// resistances 3/(R len) and its internal nodes txlnd1<name>, txlnd2<name>.
TEST(LineTxl, VeryResistiveLineIsNgspicesRcSections) {
  auto out = runOk(
      "rc\nV1 a 0 1\nY1 a 0 b 0 yrc\nRL b 0 1\n.model yrc txl R=200 L=1e-8 G=0 C=1e-10 length=0.5\n.op\n");
  const Collected& op = out.get(AnalysisType::Op);
  const double r = 3.0 / (200 * 0.5);
  EXPECT_NEAR(op.col("v(b)")[0], 1.0 / (1.0 + 3 * r), 1e-9);
  EXPECT_NEAR(op.col("v(txlnd1y1)")[0], 1.0 - r / (1.0 + 3 * r), 1e-9);
}

// ngspice's TXL has no step limit and sets no breakpoints; once a step is longer
// than the delay T it sets TMAX to 0.9 T for the rest of the run (TXLload). The
// LTRA line of the same R L C holds every step at T (LTRAtrunc). T = 1.025 ns here.
std::vector<double> lineSteps(const std::string& line, const std::string& r = "1") {
  auto out = runOk("steps\nV1 s 0 PULSE(0 1 0 1n 1n 5n 100n)\nRS s a 50\n" + line +
                   "\nRL b 0 100\n.model ymod txl R=" + r + " L=8.972e-9 G=0 C=0.468e-12 length=5\n"
                   ".model lmod ltra R=1 L=8.972e-9 C=0.468e-12 len=5\n.tran 0.5n 30n 0 3n\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  std::vector<double> h;
  for (std::size_t k = 1; k < tr.rows; ++k) h.push_back(tr.x[k] - tr.x[k - 1]);
  return h;
}

TEST(LineTxl, SpiceModeStepRuleIsNgspicesTxl) {
  const double T = 5 * std::sqrt(8.972e-9 * 0.468e-12);
  const std::vector<double> txl = lineSteps("Y1 a 0 b 0 ymod");
  std::size_t first = txl.size();
  for (std::size_t k = 0; k < txl.size(); ++k)
    if (txl[k] > T * (1 + 1e-9)) {
      first = k;
      break;
    }
  ASSERT_LT(first, txl.size()) << "a step longer than the delay is taken once";
  for (std::size_t k = first + 1; k < txl.size(); ++k) EXPECT_LE(txl[k], 0.9 * T * (1 + 1e-9)) << "step " << k;
  EXPECT_NEAR(*std::max_element(txl.begin() + std::ptrdiff_t(first) + 1, txl.end()), 0.9 * T, 1e-3 * T);
  const std::vector<double> ltra = lineSteps("O1 a 0 b 0 lmod");
  for (std::size_t k = 0; k < ltra.size(); ++k) EXPECT_LE(ltra[k], T * (1 + 1e-9)) << "step " << k;
  EXPECT_NEAR(*std::max_element(ltra.begin(), ltra.end()), T, 1e-9 * T);
}

// ngspice's TXL counts R/L < 5e5 as lossless and then never lowers TMAX: steps
// longer than the delay go on (here up to TMAX = 3 ns, T = 1.025 ns).
TEST(LineTxl, SpiceModeLosslessTxlKeepsTmax) {
  const double T = 5 * std::sqrt(8.972e-9 * 0.468e-12);
  for (const char* r : {"0", "1e-3"}) {
    const std::vector<double> h = lineSteps("Y1 a 0 b 0 ymod", r);
    const auto longer = std::count_if(h.begin(), h.end(), [T](double x) { return x > 1.5 * T; });
    EXPECT_GT(longer, 3) << "R=" << r;
  }
}

TEST(LineTxl, ModelErrorsAreLocated) {
  const struct {
    const char* model;
    const char* message;
  } cases[] = {
      {".model m txl r=1 l=1n c=1p", "the length must be given"},
      {".model m txl r=1 l=1n c=1p length=0", "the length must be positive"},
      {".model m txl r=1 c=1p length=1", "L and C must be given"},
  };
  for (const auto& c : cases) {
    const Error e = simcore::testing::runErr(std::string("t\nV1 a 0 1\nY1 a 0 b 0 m\nR1 b 0 1\n") + c.model +
                                             "\n.op\n");
    EXPECT_TRUE(testutil::contains(e.message, c.message)) << c.model << ": " << e.message;
    EXPECT_EQ(e.loc.line, 5) << c.model;
  }
  const Error e = simcore::testing::runErr("t\nV1 a 0 1\nY1 a 0 b 0 m\nR1 b 0 1\n.model m ltra r=1 c=1p len=1\n.op\n");
  EXPECT_TRUE(testutil::contains(e.message, "needs txl")) << e.message;
}

// Two transients with uic in one run: the second starts from IC= again, not from
// the end of the first.
TEST(LineT, SecondUicTransientStartsAgain) {
  auto out = runOk(
      "t ic\n"
      "RA a 0 50\n"
      "T1 a 0 b 0 Z0=50 TD=10n IC=2,10m,1.5,-4m\n"
      "O1 c 0 d 0 lossy IC=2,10m,1.5,-4m\n"
      "RC c 0 50\n"
      "RD d 0 50\n"
      "RB b 0 50\n"
      ".model lossy ltra l=500n c=200p len=0.2\n"
      ".tran 0.1n 30n uic\n"
      ".tran 0.1n 5n uic\n");
  ASSERT_EQ(out.analyses.size(), 2u);
  const Collected& second = out.analyses[1];
  EXPECT_NEAR(at(second, "v(a)", 2e-9), 0.65, 1e-9);
  EXPECT_NEAR(at(second, "v(c)", 1e-9), 0.65, 1e-6);
}

// A long run (its history compressed into blocks many times over): an RC line
// driven by a sine settles to the exact line's AC response.
TEST(LineLtra, LongRunMatchesTheAcResponse) {
  const std::string deck =
      "ltra long\n"
      "V1 s 0 SIN(0 1 10Meg) AC 1\n"
      "RS s a 50\n"
      "O1 a 0 b 0 wire\n"
      "RL b 0 10k\n"
      ".model wire ltra r=1e4 c=1e-10 len=0.05\n";
  auto out = runOk(deck + ".tran 0.1n 600n 0 0.1n\n.ac lin 1 10Meg 10Meg\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  ASSERT_GT(tr.rows, 5000u);
  const Collected& ac = out.get(AnalysisType::Ac);
  const double amp = std::hypot(ac.re.at("v(b)")[0], ac.im.at("v(b)")[0]);
  // the amplitude over the last period
  double lo = 1e9, hi = -1e9;
  for (std::size_t k = 0; k < tr.rows; ++k)
    if (tr.x[k] >= 500e-9) {
      lo = std::min(lo, tr.col("v(b)")[k]);
      hi = std::max(hi, tr.col("v(b)")[k]);
    }
  EXPECT_NEAR(0.5 * (hi - lo), amp, 0.01 * amp);
  EXPECT_NEAR(0.5 * (hi + lo), 0.0, 0.01 * amp);
}

// A pulse train through an RLC line for many periods (its history compressed):
// every period repeats the second one.
TEST(LineLtra, PulseTrainStaysPeriodic) {
  auto out = runOk(
      "ltra periodic\n"
      "V1 src 0 PULSE(0 2 1n 0.2n 0.2n 6n 20n)\n"
      "RS src a 20\n"
      "O1 a 0 b 0 lline\n"
      "RL b 0 1k\n"
      "CL b 0 0.2p\n"
      ".model lline ltra r=12.45 l=8.972e-9 c=0.468e-12 len=16\n"
      ".tran 0.05n 600n\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  ASSERT_GT(tr.rows, 10000u);
  for (double off : {4e-9, 9e-9, 15e-9, 19e-9})
    EXPECT_NEAR(at(tr, "v(b)", 580e-9 + off), at(tr, "v(b)", 20e-9 + off), 0.005) << off;
}

}  // namespace
