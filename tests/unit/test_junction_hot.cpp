// Junctions at temperatures where SPICE's law moves the junction potential
// VJ(T) (PB(T)) to zero or below (VJ = 0.8 near 468 degC, 0.6 near 278 degC):
// the law is used as it stands, as ngspice 39 does; the DC solutions hold no
// charges or capacitances (SPICE computes none there), so the NaN charge of a
// junction reversed beyond a negative VJ(T) does not reach the matrix; a
// transient that keeps every junction above VJ(T) has finite charges.
// Agreement with ngspice 39: tests/compat/junction_hot_op.cir, junction_hot_tran.cir.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "devices/semiconductor.hpp"
#include "test_kernel_support.cpp"

using namespace simcore;
using simcore::testing::Collected;
using simcore::testing::runOk;

namespace {

// SPICE's junction potential and zero-bias capacitance at tempK, written out
// (Boltzmann and charge as in semiconductor.hpp, 27 degC reference).
struct Law {
  double vj, cj;
};
Law spiceLaw(double vj, double cj, double m, double tnomK, double tempK) {
  const double k = 1.38064852e-23, q = 1.6021766208e-19, tr = 300.15;
  auto pbfact = [&](double t) {
    const double eg = 1.16 - 7.02e-4 * t * t / (t + 1108.0);
    const double arg = -eg / (2.0 * k * t) + 1.1150877 / (2.0 * k * tr);
    return -2.0 * (k * t / q) * (1.5 * std::log(t / tr) + q * arg);
  };
  const double pbo = (vj - pbfact(tnomK)) / (tnomK / tr);
  const double gold = (vj - pbo) / pbo;
  const double vjT = pbfact(tempK) + tempK / tr * pbo;
  const double gnew = (vjT - pbo) / pbo;
  const double c0 = cj / (1.0 + m * (400e-6 * (tnomK - tr) - gold));
  return {vjT, c0 * (1.0 + m * (400e-6 * (tempK - tr) - gnew))};
}

constexpr double kTnom = 300.15;

}  // namespace

TEST(JunctionHot, ScaledPotentialFollowsTheLawThroughZero) {
  struct Case {
    double vj, tC;
    bool positive;
  };
  for (const Case& c : {Case{0.8, 460, true}, Case{0.8, 470, false}, Case{0.8, 480, false}, Case{0.8, 600, false},
                        Case{0.6, 270, true}, Case{0.6, 290, false}, Case{0.6, 600, false}}) {
    const double T = c.tC + 273.15;
    const auto s = dev::semi::scaleJunction(c.vj, 1e-9, 0.5, kTnom, T);
    const Law l = spiceLaw(c.vj, 1e-9, 0.5, kTnom, T);
    EXPECT_TRUE(std::isfinite(s.vj) && std::isfinite(s.cj)) << c.vj << " at " << c.tC;
    EXPECT_NEAR(s.vj, l.vj, 1e-12) << c.vj << " at " << c.tC;
    EXPECT_NEAR(s.cj, l.cj, 1e-12 * std::fabs(l.cj)) << c.vj << " at " << c.tC;
    EXPECT_EQ(s.vj > 0, c.positive) << c.vj << " at " << c.tC << ": " << s.vj;
  }
}

// With VJ < 0: SPICE's power law between VJ and FC*VJ, its FC continuation
// above (finite, continuous at FC*VJ), NaN when reversed beyond VJ.
TEST(JunctionHot, DepletionWithNegativePotential) {
  const double vj = -0.3, cj = 1e-9, m = 0.4, fc = 0.5;
  const dev::semi::Depletion d(cj, vj, m, fc);
  for (double v : {-0.29, -0.2, -0.151}) {  // (VJ, FC*VJ)
    const auto r = d.at(v);
    const double arg = 1.0 - v / vj;
    EXPECT_NEAR(r.q, vj * cj * (1.0 - std::pow(arg, 1.0 - m)) / (1.0 - m), 1e-12 * cj) << v;
    EXPECT_NEAR(r.c, cj * std::pow(arg, -m), 1e-9 * cj) << v;
  }
  const double vfc = fc * vj, eps = 1e-9;
  const auto below = d.at(vfc - eps), above = d.at(vfc + eps);
  EXPECT_NEAR(below.q, above.q, 4.0 * eps * cj);  // 2 eps C(FC*VJ), C = 1.3 CJ: no step
  EXPECT_NEAR(below.c, above.c, 1e-6 * cj);
  for (double v : {0.0, 0.3, 1.0}) {
    const auto r = d.at(v);
    EXPECT_TRUE(std::isfinite(r.q) && std::isfinite(r.c)) << v;
  }
  EXPECT_TRUE(std::isnan(d.at(-0.5).q));  // reversed beyond VJ: no charge (ngspice 39 likewise)
}

// The IRFP9240 (F5 amplifier models, ngspice's examples/optran) at 480 degC:
// its body diode's VJ(T) is -0.024 V and the junction reversed by 20 V.
// The operating point converges, and equals the one without the junction
// capacitance (no charge enters a DC solution); .dc runs too.
TEST(JunctionHot, VdmosBodyDiodeBelowZeroPotentialAtDc) {
  auto deck = [](const char* cjo, const char* analysis) {
    return std::string("irfp9240 at 480 degC\n.options temp=480\nv1 d 0 -20\nvg g 0 -6\nr1 d d1 1\nm1 d1 g 0 irfp9240\n") +
           ".model irfp9240 vdmos pchan vto=-4 kp=8.8 lambda=.003 theta=0.08 ksubthres=.35 rd=180m rs=50m rg=3" +
           " rds=1e7 cgdmax=1.25n cgdmin=50p a=0.23 cgs=1.15n is=150p n=1.3 rb=16m xti=2 vj=0.8 m=0.5 cjo=" + cjo +
           "\n" + analysis + "\n.end\n";
  };
  const auto with = runOk(deck("1.3n", ".op")), without = runOk(deck("0", ".op"));
  const double i1 = with.get(AnalysisType::Op).col("i(v1)")[0], i0 = without.get(AnalysisType::Op).col("i(v1)")[0];
  EXPECT_TRUE(std::isfinite(i1));
  EXPECT_GT(i1, 1.0);  // the hot channel and the leaky body diode both conduct
  EXPECT_EQ(i1, i0);
  const auto dc = runOk(deck("1.3n", ".dc v1 -20 -10 5"));
  const auto& id = dc.get(AnalysisType::Dc).col("i(v1)");
  ASSERT_EQ(id.size(), 3u);
  EXPECT_NEAR(id[0], i1, 1e-9 * i1);
}

// The diode accepts VJ(T) and PHP(T) below zero (it rejected them), and its
// operating point equals the one without CJO and CJP.
TEST(JunctionHot, DiodeBelowZeroPotentialAtDc) {
  auto deck = [](const char* caps) {
    return std::string("diode at 600 degC\n.options temp=600\nv1 a 0 -5\nr1 a d 1k\nd1 0 d da\n") +
           ".model da d is=1e-14 vj=0.6 m=0.4 php=0.5 tt=1n " + caps + "\n.op\n.end\n";
  };
  const auto with = runOk(deck("cjo=2p cjp=1p")), without = runOk(deck(""));
  const double v1 = with.get(AnalysisType::Op).col("v(d)")[0], v0 = without.get(AnalysisType::Op).col("v(d)")[0];
  EXPECT_TRUE(std::isfinite(v1));
  EXPECT_LT(v1, 0.0);
  EXPECT_EQ(v1, v0);
}
