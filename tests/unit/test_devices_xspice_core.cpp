// XSPICE's core (pwl B-H curve and hysteresis loop) and lcouple (a winding:
// mmf = N·i, v = N·dΦ/dt): values, the loop's two legs, an inductor made of
// a winding on a linear core, and the port checks.
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

const char* const kCore1 = ".model c1 core(h_array=[-2 -1 1 2] b_array=[-1.5 -1 1 1.5] area=0.01 length=0.5)\n";

TEST(XspiceCore, PwlCurveTimesAreaOverLength) {
  // mmf 0.25 → H 0.5 (the middle segment, slope 1): Φ = 0.01·0.5; the source delivers it
  EXPECT_NEAR(op(std::string("t\nvm m 0 0.25\na1 m 0 c1\n") + kCore1 + ".op\n.end\n", "i(vm)"), -0.005, 1e-12);
  // mmf 1.5 → H 3, past the last midpoint: the last segment extended, B = 1.5 + 0.5·1
  EXPECT_NEAR(op(std::string("t\nvm m 0 1.5\na1 (m 0) c1\n") + kCore1 + ".op\n.end\n", "i(vm)"), -0.02, 1e-12);
  // inside the rounding of the corner at H = 1 (±0.01): the tangent parabola
  const double x = 1.005, d = 0.01, ls = 1, us = 0.5;
  const double b = 1 + ls * (x - 1) + (us - ls) * (x - (1 - d)) * (x - (1 - d)) / (4 * d);
  EXPECT_NEAR(op(std::string("t\nvm m 0 0.5025\na1 %gd(m 0) c1\n") + kCore1 + ".op\n.end\n", "i(vm)"), -0.01 * b,
              1e-12);
}

TEST(XspiceCore, HysteresisLoopHasTwoLegs) {
  // mmf ramps 0 → 3 → -3 → 0; the loop: in_low -1, in_high 1, hyst 0.5, ±2 mWb
  const auto r = runOk(
      "t\nvm m 0 pwl(0 0 1m 3 2m -3 3m 0)\na1 m 0 h\n"
      ".model h core(h_array=[0 1] b_array=[0 1] area=1 length=1 mode=2 in_low=-1 in_high=1 hyst=0.5\n"
      "+ out_lower_limit=-2e-3 out_upper_limit=2e-3)\n.tran 1u 3m 0 1u\n.end\n");
  const auto& tr = r.get(AnalysisType::Tran);
  const auto& i = tr.col("i(vm)");
  const double slope = 4e-3 / 2;
  for (std::size_t k = 0; k < tr.x.size(); ++k) {
    const double t = tr.x[k];
    // rising from the start (the operating point starts on the rising leg): 0 at mmf = -0.5 + 1
    if (t > 0.05e-3 && t < 0.45e-3) EXPECT_NEAR(-i[k], (3 * t / 1e-3 + 0.5) * slope - 2e-3, 1e-9) << t;
    // falling after the top: the same line shifted by -2·hyst
    if (t > 1.55e-3 && t < 1.7e-3) EXPECT_NEAR(-i[k], (3 - 6 * (t - 1e-3) / 1e-3 + 1.5) * slope - 2e-3, 1e-9) << t;
    // rising again after the bottom
    if (t > 2.85e-3 && t < 2.95e-3) EXPECT_NEAR(-i[k], (-3 + 3 * (t - 2e-3) / 1e-3 + 0.5) * slope - 2e-3, 1e-9) << t;
  }
}

TEST(XspiceLcouple, WindingOnALinearCoreIsAnInductor) {
  // N = 10 on B = H, area 1e-4, length 1e-2: L = N²·area/length = 1 H; 1 V through 100 Ω
  const auto r = runOk(
      "t\nvs s 0 pwl(0 0 1n 1)\nr1 s l 100\na1 (l 0) (m 0) w\na2 (m 0) c\n.model w lcouple(num_turns=10)\n"
      ".model c core(h_array=[-1e6 1e6] b_array=[-1e6 1e6] area=1e-4 length=1e-2)\n.tran 10u 30m 0 10u\n.end\n");
  const auto& tr = r.get(AnalysisType::Tran);
  const auto& i = tr.col("i(vs)");
  for (std::size_t k = 0; k < tr.x.size(); ++k) {
    const double t = tr.x[k];
    if (t > 1e-3) EXPECT_NEAR(-i[k], 0.01 * (1 - std::exp(-t / 10e-3)), 2e-5) << t;
  }
  // the operating point: a short (v = 0), the mmf N·i
  const std::string dc =
      "t\nvs s 0 1\nr1 s l 100\na1 (l 0) (m 0) w\na2 (m 0) c\n.model w lcouple(num_turns=10)\n"
      ".model c core(h_array=[-1e6 1e6] b_array=[-1e6 1e6] area=1e-4 length=1e-2)\n.op\n.end\n";
  EXPECT_NEAR(op(dc, "v(l)"), 0.0, 1e-12);
  EXPECT_NEAR(op(dc, "v(m)"), 10 * 0.01, 1e-9);
}

TEST(XspiceCore, ModelsAndPortsAreChecked) {
  Error e = runErr("t\nvm m 0 1\na1 m 0 c\n.model c core(h_array=[0 1] b_array=[0 1] area=1)\n.op\n.end\n");
  EXPECT_NE(e.message.find("needs length"), std::string::npos) << e.message;
  e = runErr("t\nvm m 0 1\na1 m 0 c\n.model c core(h_array=[0 1] b_array=[0 1] area=1 length=1 mode=3)\n.op\n.end\n");
  EXPECT_NE(e.message.find("mode must be 1"), std::string::npos) << e.message;
  e = runErr("t\nvm m 0 1\na1 m 0 c\n.model c core(h_array=[1 0] b_array=[0 1] area=1 length=1)\n.op\n.end\n");
  EXPECT_NE(e.message.find("h_array must increase"), std::string::npos) << e.message;
  e = runErr("t\nvs s 0 1\nr1 s l 1\na1 %gd(l 0) (m 0) w\nr2 m 0 1\n.model w lcouple()\n.op\n.end\n");
  EXPECT_NE(e.message.find("reads a current and drives a voltage"), std::string::npos) << e.message;
  e = runErr("t\nvs s 0 1\nr1 s l 1\na1 (l 0) %h(m) w\nr2 m 0 1\n.model w lcouple()\n.op\n.end\n");
  EXPECT_NE(e.message.find("is differential"), std::string::npos) << e.message;
}

}  // namespace
}  // namespace simcore::testing
