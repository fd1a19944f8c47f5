// XSPICE's aswitch and zener (conductance ports, %gd): resistance laws,
// limits, port forms, the zener's regions, and the errors for bad models
// and ports.
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

// v(o) of a 1 V source through 1 kΩ into a switch of resistance r.
double divider(double r) { return r / (r + 1000.0); }

TEST(XspiceAswitch, LogAndLinearLaws) {
  const std::string head = "t\nvc c 0 0.5\nvs s 0 1\nr1 s o 1k\n";
  // log: r = r_on·(r_off/r_on)^((cntl_on − u)/(cntl_on − cntl_off))
  EXPECT_NEAR(op(head + "a1 c (o 0) sw\n.model sw aswitch(r_on=10 r_off=1meg)\n.op\n.end\n", "v(o)"),
              divider(10 * std::pow(1e5, 0.5)), 1e-9);
  // linear through (0.2, 5k) and (0.8, 100)
  const double rl = 5000 + (0.5 - 0.2) * (100 - 5000) / 0.6;
  EXPECT_NEAR(op(head + "a1 c %gd(o 0) sw\n.model sw aswitch(cntl_off=0.2 cntl_on=0.8 r_off=5k r_on=100 log=false)\n"
                        ".op\n.end\n",
                 "v(o)"),
              divider(rl), 1e-9);
  // the three ways to write the out port agree
  for (const char* port : {"o 0", "(o 0)", "%gd(o 0)", "%gd o 0"})
    EXPECT_NEAR(op(head + "a1 c " + port + " sw\n.model sw aswitch(r_on=10 r_off=1meg)\n.op\n.end\n", "v(o)"),
                divider(10 * std::pow(1e5, 0.5)), 1e-9)
        << port;
}

TEST(XspiceAswitch, LimitsAndFloors) {
  const std::string head = "t\nvc c 0 2\nvs s 0 1\nr1 s o 1k\n";
  // beyond cntl_on: without limit the log law keeps falling below r_on
  EXPECT_NEAR(op(head + "a1 c o 0 sw\n.model sw aswitch(r_on=10 r_off=1meg)\n.op\n.end\n", "v(o)"),
              divider(10 * std::pow(1e5, -1.0)), 1e-9);
  // with limit it stops at r_on
  EXPECT_NEAR(op(head + "a1 c o 0 sw\n.model sw aswitch(r_on=10 r_off=1meg limit=true)\n.op\n.end\n", "v(o)"),
              divider(10), 1e-9);
  // the linear law without limit goes negative: floored at 1e-9 Ω
  EXPECT_NEAR(op(head + "a1 c o 0 sw\n.model sw aswitch(r_on=10 r_off=1k log=false)\n.op\n.end\n", "v(o)"),
              divider(1e-9), 1e-12);
  // r_on below 1e-3 counts as 1e-3
  EXPECT_NEAR(op(head + "a1 c o 0 sw\n.model sw aswitch(r_on=1e-6 r_off=1k log=false limit=true)\n.op\n.end\n",
                 "v(o)"),
              divider(1e-3), 1e-12);
}

TEST(XspiceAswitch, DifferentialControlAndFloatingOutput) {
  // control %vd(c d) = 0.5 - 0.25; out between o and ob (ob to ground through 500 Ω)
  const std::string net =
      "t\nvc c 0 0.5\nvd d 0 0.25\nvs s 0 1\nr1 s o 1k\nr2 ob 0 500\na1 %vd(c d) o ob sw\n"
      ".model sw aswitch(cntl_off=1 cntl_on=0 r_off=2k r_on=50 log=false)\n.op\n.end\n";
  const double r = 2000 + (0.25 - 1) * (50 - 2000) / (0 - 1);
  EXPECT_NEAR(op(net, "v(o)"), (r + 500) / (r + 1500), 1e-9);
  EXPECT_NEAR(op(net, "v(ob)"), 500 / (r + 1500), 1e-9);
}

TEST(XspiceAswitch, TransientFollowsTheControl) {
  const auto r = runOk(
      "t\nvc c 0 pwl(0 0 1m 1)\nvs s 0 1\nr1 s o 1k\na1 c o 0 sw\n.model sw aswitch(r_on=10 r_off=1meg)\n"
      ".tran 10u 1m\n.end\n");
  const auto& tr = r.get(AnalysisType::Tran);
  const auto& v = tr.col("v(o)");
  for (std::size_t k = 0; k < tr.x.size(); ++k)
    EXPECT_NEAR(v[k], divider(10 * std::pow(1e5, 1 - tr.x[k] / 1e-3)), 1e-6) << tr.x[k];
}

TEST(XspiceAswitch, BadModelsAndPortsAreLocatedErrors) {
  Error e = runErr("t\nvc c 0 1\nr1 o 0 1\na1 c o 0 sw\n.model sw aswitch(cntl_on=1 cntl_off=1)\n.op\n.end\n");
  EXPECT_NE(e.message.find("cntl_on and cntl_off must differ"), std::string::npos) << e.message;
  EXPECT_EQ(e.loc.line, 4u);
  e = runErr("t\nvc c 0 1\nr1 o 0 1\na1 c %v(o) sw\n.model sw aswitch()\n.op\n.end\n");
  EXPECT_NE(e.message.find("drives a current"), std::string::npos) << e.message;
  e = runErr("t\nvc c 0 1\nr1 o 0 1\na1 c %g(o) sw\n.model sw aswitch()\n.op\n.end\n");
  EXPECT_NE(e.message.find("is differential"), std::string::npos) << e.message;
  e = runErr("t\nvc c 0 1\nr1 o 0 1\na1 c o sw\n.model sw aswitch()\n.op\n.end\n");
  EXPECT_NE(e.message.find("is differential"), std::string::npos) << e.message;
  e = runErr("t\nvc c 0 1\nr1 o 0 1\na1 c o 0 sw\n.model sw aswitch(r_off=-1)\n.op\n.end\n");
  EXPECT_NE(e.message.find("r_off must be positive"), std::string::npos) << e.message;
  e = runErr("t\nvc c 0 1\nr1 o 0 1\na1 c o 0 sw\n.model sw aswitch(ron=1)\n.op\n.end\n");
  EXPECT_NE(e.message.find("ron"), std::string::npos) << e.message;
}

TEST(XspicePswitch, SmoothedLogLawLinearLawAndControlPort) {
  const std::string head = "t\nvs s 0 1\nr1 s o 1k\n";
  auto at = [&](double u, const std::string& model) {
    return op(head + "vc c 0 " + std::to_string(u) + "\na1 c 0 o 0 sw\n" + model + ".op\n.end\n", "v(o)");
  };
  const std::string logm = ".model sw pswitch(cntl_off=0 cntl_on=1 r_off=1meg r_on=10)\n";
  // the middle of the log law: the geometric mean; the ends and beyond: r_on, r_off
  EXPECT_NEAR(at(0.5, logm), divider(std::sqrt(10 * 1e6)), 1e-9);
  EXPECT_NEAR(at(1.0, logm), divider(10), 1e-9);
  EXPECT_NEAR(at(2.0, logm), divider(10), 1e-9);
  EXPECT_NEAR(at(-1.0, logm), divider(1e6), 1e-9);
  // a quarter of the way: exp(mean + 1.5·L·m − 2·L·m³), m = -0.25, L = ln(1e-5)
  const double L = std::log(1e-5), m = -0.25;
  EXPECT_NEAR(at(0.25, logm), divider(std::exp(0.5 * std::log(1e7) + 1.5 * L * m - 2 * L * m * m * m)), 1e-9);
  // linear, falling control (cntl_on below cntl_off)
  const std::string lin = ".model sw pswitch(cntl_off=2 cntl_on=0 r_off=5k r_on=1k log=false)\n";
  EXPECT_NEAR(at(0.5, lin), divider(2000), 1e-9);
  EXPECT_NEAR(at(3.0, lin), divider(5000), 1e-9);
  // the control port draws v/r_cntl_in
  EXPECT_NEAR(op(head + "vc c 0 2\na1 (c 0) (o 0) sw\n.model sw pswitch(r_cntl_in=4k)\n.op\n.end\n", "i(vc)"),
              -2.0 / 4000, 1e-12);
  Error e = runErr(head + "vc c 0 1\na1 c 0 o 0 sw\n.model sw pswitch(r_cntl_in=0)\n.op\n.end\n");
  EXPECT_NE(e.message.find("r_cntl_in must be positive"), std::string::npos) << e.message;
}

TEST(XspiceZener, ForwardAndBreakdown) {
  // forward at 1 mA: the diode law (the leakage conductance is 1e-6/5.1 S)
  const std::string model = ".model z zener(v_breakdown=5.1 i_breakdown=10m r_breakdown=2 i_sat=1e-14 n_forward=1.2)\n";
  const double vf = op("t\ni1 0 a 1m\na1 a 0 z\n" + model + ".op\n.end\n", "v(a)");
  const double vt = 1.2 * 0.026;
  // (within Newton's tolerance: reltol 1e-3 on the voltage is a few 1e-5 of the exponential's current)
  EXPECT_NEAR(1e-14 * (std::exp(vf / vt) - 1) + 1e-6 / 5.1 * vf, 1e-3, 1e-6);
  // reverse at i_breakdown: v = -v_breakdown (up to the small line and leakage terms)
  const double v1 = op("t\ni1 a 0 10m\na1 a 0 z\n" + model + ".op\n.end\n", "v(a)");
  EXPECT_NEAR(v1, -5.1, 0.01);
  // twice the current: ln 2 / k further, k = 1/(i_breakdown·r_breakdown)
  const double v2 = op("t\ni1 a 0 20m\na1 a 0 z\n" + model + ".op\n.end\n", "v(a)");
  EXPECT_NEAR(v1 - v2, std::log(2.0) * 10e-3 * 2, 1e-4);
}

TEST(XspiceZener, TwoRegionFormAndLimitSwitch) {
  // a soft knee (v_2_3 above v_1_2): -i0·(exp(-k v) - 1) below 0
  const double vbd = 0.3, ibd = 1e-3, rbd = 200, k = 1 / (ibd * rbd);
  const double i0 = ibd / (std::exp(k * vbd) - 1);
  const double v = op("t\ni1 a 0 0.5m\na1 (a 0) z\n.model z zener(v_breakdown=0.3 i_breakdown=1m r_breakdown=200)\n"
                      ".op\n.end\n",
                      "v(a)");
  const double slope1 = 1e-12 / 0.026, slope2 = i0 * k;
  const double i = -i0 * (std::exp(-k * v) - 1) + std::max(0.0, slope1 - slope2) * v + 1e-6 / vbd * v;
  EXPECT_NEAR(i, -0.5e-3, 1e-9);
  // limit_switch changes the iterations, not the answer
  const std::string net = "t\nvs s 0 -20\nr1 s a 100\na1 a 0 z\n.model z zener(v_breakdown=9 LIM)\n.op\n.end\n";
  const double free = op(std::string(net).replace(net.find("LIM"), 3, ""), "v(a)");
  const double limited = op(std::string(net).replace(net.find("LIM"), 3, "limit_switch=true"), "v(a)");
  EXPECT_NEAR(free, limited, 1e-3 * std::fabs(free));  // the same solution within reltol
  EXPECT_LT(free, -9.0);
}

TEST(XspiceZener, ParametersAreChecked) {
  Error e = runErr("t\ni1 0 a 1m\na1 a 0 z\n.model z zener()\n.op\n.end\n");
  EXPECT_NE(e.message.find("needs v_breakdown"), std::string::npos) << e.message;
  e = runErr("t\ni1 0 a 1m\na1 a 0 z\n.model z zener(v_breakdown=5 n_forward=0)\n.op\n.end\n");
  EXPECT_NE(e.message.find("n_forward must be positive (got 0)"), std::string::npos) << e.message;
  e = runErr("t\ni1 0 a 1m\na1 a 0 z\n.model z zener(v_breakdown=5 r_breakdown=0)\n.op\n.end\n");
  EXPECT_NE(e.message.find("r_breakdown"), std::string::npos) << e.message;
}

}  // namespace
}  // namespace simcore::testing
