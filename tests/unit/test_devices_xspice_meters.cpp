// XSPICE's ilimit (current-limited follower), cmeter and lmeter (netlist
// inspection at set-up) and pwlts (a rounded piecewise-linear function of time).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "test_kernel_support.cpp"

namespace simcore::testing {
namespace {

double op(const std::string& net, const std::string& sig) {
  const auto r = runOk(net);
  return r.get(AnalysisType::Op).col(sig)[0];
}

TEST(XspiceIlimit, FollowerSourceAndSinkLimits) {
  // veq = 2·(vin + 0.1) within [-3, 5]; i = (veq − v)/r into 100 Ω: v = veq·100/(100 + r)
  const std::string model =
      "a1 in p n o lim\nrl o 0 100\nvp p 0 5\nvn n 0 -3\n"
      ".model lim ilimit(gain=2 in_offset=0.1 r_out_source=10 r_out_sink=20 i_limit_source=30m i_limit_sink=15m)\n"
      ".op\n.end\n";
  EXPECT_NEAR(op("t\nvin in 0 0.5\n" + model, "v(o)"), 2 * 0.6 * 100 / 110, 1e-9);
  EXPECT_NEAR(op("t\nvin in 0 -0.5\n" + model, "v(o)"), -2 * 0.4 * 100 / 120, 1e-9);
  // beyond the source limit: 30 mA into 100 Ω
  EXPECT_NEAR(op("t\nvin in 0 1.6\n" + model, "v(o)"), 3.0, 1e-9);
  // beyond the sink limit: -15 mA
  EXPECT_NEAR(op("t\nvin in 0 -2\n" + model, "v(o)"), -1.5, 1e-9);
  // the supply carries the output current: i(vp) = -30 mA while sourcing at the limit
  EXPECT_NEAR(op("t\nvin in 0 1.6\n" + model, "i(vp)"), -30e-3, 1e-12);
  EXPECT_NEAR(op("t\nvin in 0 1.6\n" + model, "i(vn)"), 0.0, 1e-12);
  EXPECT_NEAR(op("t\nvin in 0 -2\n" + model, "i(vn)"), 15e-3, 1e-12);
}

TEST(XspiceIlimit, SupplyClampAndNullSupplies) {
  // veq clamps at v(pos_pwr) = 1 V: i = (1 − v)/1 into 1 kΩ
  EXPECT_NEAR(op("t\nvin in 0 3\nvp p 0 1\na1 in p NULL o lim\nrl o 0 1k\n.model lim ilimit(i_limit_source=1)\n"
                 ".op\n.end\n",
                 "v(o)"),
              1000.0 / 1001.0, 1e-9);
  EXPECT_NEAR(op("t\nvin in 0 3\na1 in NULL NULL %g(o) lim\nrl o 0 1k\n.model lim ilimit(i_limit_source=1)\n"
                 ".op\n.end\n",
                 "v(o)"),
              3 * 1000.0 / 1001.0, 1e-9);
}

TEST(XspiceIlimit, RangesAreChecked) {
  Error e = runErr("t\nvin in 0 1\na1 in NULL NULL o lim\nrl o 0 1k\n.model lim ilimit(r_out_source=0)\n.op\n.end\n");
  EXPECT_NE(e.message.find("r_out_source and r_out_sink must be positive"), std::string::npos) << e.message;
  e = runErr("t\nvin in 0 1\na1 in NULL NULL %v(o) lim\nrl o 0 1k\n.model lim ilimit()\n.op\n.end\n");
  EXPECT_NE(e.message.find("drives a current"), std::string::npos) << e.message;
}

TEST(XspiceMeters, CapacitanceAndInductanceOnTheNode) {
  const std::string net =
      "t\nv1 in 0 1\nr1 in a 1k\nc1 a 0 2n\nc2 a b 3n\nc3 b 0 1n\nvz a z 0\nc4 z 0 5n\nvnz a y 1\nc5 y 0 7n\n"
      "l1 a 0 2m\nl2 z w 6m\nrw w 0 1k\nrb b 0 1k\n"
      "a1 a o1 cm\n.model cm cmeter(gain=1e9)\nr2 o1 0 1k\n"
      "a2 a o2 lm\n.model lm lmeter(gain=1e3)\nr3 o2 0 1k\n"
      "a3 b o3 cm2\n.model cm2 cmeter()\nr4 o3 0 1k\n.op\n.end\n";
  // c1 + c2 on a, c4 behind the 0 V source vz; not c5 (behind a 1 V source)
  EXPECT_NEAR(op(net, "v(o1)"), 10.0, 1e-9);
  // l1 ∥ l2 ∥ 1e12 H
  EXPECT_NEAR(op(net, "v(o2)"), 1e3 / (1 / 2e-3 + 1 / 6e-3 + 1e-12), 1e-9);
  EXPECT_NEAR(op(net, "v(o3)"), 4e-9, 1e-18);
}

TEST(XspicePwlts, RoundedCornersAndEnds) {
  const auto r = runOk(
      "t\na1 o pw\nr1 o 0 1k\n.model pw pwlts(x_array=[1 2 4] y_array=[0 1 0] input_domain=0.25)\n"
      "a2 o2 pwl2\nr2 o2 0 1k\n.model pwl2 pwlts(x_array=[1 2 4] y_array=[0 1 0] limit=true)\n"
      ".tran 10m 6 0 10m\n.end\n");
  const auto& tr = r.get(AnalysisType::Tran);
  const auto& v = tr.col("v(o)");
  const auto& v2 = tr.col("v(o2)");
  for (std::size_t k = 0; k < tr.x.size(); ++k) {
    const double t = tr.x[k];
    // away from the corner at 2 (rounded over 2 ± 0.25·1): the segments, extended past the ends
    if (t < 1.74) EXPECT_NEAR(v[k], t - 1, 1e-9) << t;
    if (t > 2.26) EXPECT_NEAR(v[k], 1 - (t - 2) / 2, 1e-9) << t;
    // limit=true: level beyond the first and last points' extra segment
    if (t < 0.5) EXPECT_NEAR(v2[k], 0.0, 1e-9) << t;
    if (t > 5.0) EXPECT_NEAR(v2[k], 0.0, 1e-9) << t;
  }
  // the corner: the parabola tangent to both lines at 2 ∓ 0.25
  for (std::size_t k = 0; k < tr.x.size(); ++k) {
    const double t = tr.x[k];
    if (t > 1.75 && t < 2.25) EXPECT_NEAR(v[k], 1 + (t - 2) + (-1.5) * (t - 1.75) * (t - 1.75) / 1.0, 1e-9) << t;
  }
  // operating point: the value at time 0 (the first segment extended: -1)
  const auto o = runOk("t\na1 o pw\nr1 o 0 1k\n.model pw pwlts(x_array=[1 2 4] y_array=[0 1 0])\n.op\n.end\n");
  EXPECT_NEAR(o.get(AnalysisType::Op).col("v(o)")[0], -1.0, 1e-9);
}

TEST(XspicePwlts, ArraysAreChecked) {
  Error e = runErr("t\na1 o pw\nr1 o 0 1\n.model pw pwlts(x_array=[0 1] y_array=[1])\n.op\n.end\n");
  EXPECT_NE(e.message.find("x_array and y_array need the same number"), std::string::npos) << e.message;
  e = runErr("t\na1 o pw\nr1 o 0 1\n.model pw pwlts(x_array=[1 0] y_array=[1 2])\n.op\n.end\n");
  EXPECT_NE(e.message.find("x_array must increase"), std::string::npos) << e.message;
  e = runErr("t\na1 o pw\nr1 o 0 1\n.model pw pwlts(x_array=[0 1] y_array=[1 2] input_domain=0)\n.op\n.end\n");
  EXPECT_NE(e.message.find("input_domain"), std::string::npos) << e.message;
}

}  // namespace
}  // namespace simcore::testing
