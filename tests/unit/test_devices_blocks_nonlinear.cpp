// XSPICE analog models beyond the piecewise-linear blocks: mult, divide, pwl,
// climit (values and small-signal derivatives), d_dt (XSPICE's backward
// difference, limits, 0 at the operating point) and the controlled
// oscillators (edges and corners at the times the phase gives).
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <string>
#include <vector>

#include "test_kernel_support.cpp"

namespace simcore::testing {
namespace {

double opValue(const std::string& net, const char* sig) {
  const auto r = runOk(net);
  return r.get(AnalysisType::Op).col(sig)[0];
}

TEST(NonlinearBlocks, OperatingPointValues) {
  const std::string src = "t\nv1 a 0 1.5\nv2 b 0 -0.25\nv3 c 0 0.8\n";
  // mult: 0.1 + 2·(1·(1.5 + 0))·(0.5·(-0.25 + 0.1))
  EXPECT_NEAR(opValue(src + "a1 [a b] y m\n.model m mult(in_gain=[1 0.5] in_offset=[0 0.1] out_gain=2 out_offset=0.1)\n.op\n.end\n",
                      "v(y)"),
              0.1 + 2 * 1.5 * 0.5 * (-0.15), 1e-12);
  // divide: 3·(1.5)/(2·(-0.25 + 0.5)) + 1
  EXPECT_NEAR(opValue(src + "a1 a b y d\n.model d divide(den_gain=2 den_offset=0.5 out_gain=3 out_offset=1)\n.op\n.end\n",
                      "v(y)"),
              1 + 3 * 1.5 / (2 * 0.25), 1e-12);
  // divide by (almost) zero: held at den_lower_limit, sign kept
  EXPECT_NEAR(opValue(src + "a1 a b y d\n.model d divide(den_offset=0.25 den_lower_limit=1e-3)\n.op\n.end\n", "v(y)"),
              1.5 / 1e-3, 1e-6);
  // pwl: inside a segment and extrapolated past the last one
  const std::string pwl = ".model p pwl(x_array=[-1 0 1 2] y_array=[0 1 3 4])\n.op\n.end\n";
  EXPECT_NEAR(opValue(src + "a1 c y p\n" + pwl, "v(y)"), 1 + 2 * 0.8, 1e-12);
  EXPECT_NEAR(opValue("t\nv1 a 0 3\na1 a y p\n" + pwl, "v(y)"), 5.0, 1e-12);
  EXPECT_NEAR(opValue("t\nv1 a 0 -3\na1 a y p\n" + pwl, "v(y)"), -2.0, 1e-12);
  // climit: 2·(0.8 + 0.1) = 1.8 clamped to [b + 0.1, a - 0.2] = [-0.15, 1.3]
  EXPECT_NEAR(opValue(src + "a1 c a b y l\n.model l climit(gain=2 in_offset=0.1 upper_delta=0.2 lower_delta=0.1)\n.op\n.end\n",
                      "v(y)"),
              1.3, 1e-12);
  EXPECT_NEAR(opValue(src + "a1 b a b y l\n.model l climit(gain=2 lower_delta=0.1)\n.op\n.end\n", "v(y)"), -0.15, 1e-12);
}

TEST(NonlinearBlocks, NewtonSolvesAFeedbackLoop) {
  // y = x·x with x = 2 - y/2 through a resistor divider: y² ... solved by
  // Newton: x = 2 - x²/2 -> x = -1 + sqrt(5)
  const auto r = runOk(R"(t
v1 s 0 2
e1 x s y 0 -0.5
a1 [x x] y m
.model m mult
.op
.end
)");
  EXPECT_NEAR(r.get(AnalysisType::Op).col("v(x)")[0], -1 + std::sqrt(5.0), 1e-9);
}

TEST(NonlinearBlocks, SmallSignalDerivatives) {
  // .ac at the operating point: d(a·b)/da = b, d(a/b)/db = -a/b²
  const auto r = runOk(R"(t
v1 a 0 dc 1.5 ac 1
v2 b 0 2
a1 [a b] y m
.model m mult
a2 b a q d
.model d divide
.ac lin 1 1k 1k
.end
)");
  const auto& ac = r.get(AnalysisType::Ac);
  EXPECT_NEAR(std::abs(ac.phasor("v(y)", 0) - std::complex<double>(2.0, 0)), 0.0, 1e-9);
  EXPECT_NEAR(std::abs(ac.phasor("v(q)", 0) - std::complex<double>(-2.0 / (1.5 * 1.5), 0)), 0.0, 1e-9);
}

TEST(NonlinearBlocks, DifferentiatorIsABackwardDifference) {
  // a ramp of 2 V/ms: gain 1e-3 -> 2 V (+ offset 0.5); 0 at the operating
  // point; clamped at the upper limit for the 4 V/ms part
  const auto r = runOk(R"(t
v1 a 0 pwl(0 0 1m 2 2m 6)
a1 a y dd
.model dd d_dt(gain=1e-3 out_offset=0.5 out_upper_limit=3)
r1 y 0 1k
.tran 10u 2m
.end
)");
  const auto& tr = r.get(AnalysisType::Tran);
  const auto& y = tr.col("v(y)");
  EXPECT_DOUBLE_EQ(y[0], 0.0);
  for (std::size_t k = 1; k < tr.x.size(); ++k) {
    if (tr.x[k] > 1e-6 && tr.x[k] <= 1e-3 * (1 - 1e-9)) EXPECT_NEAR(y[k], 2.5, 1e-9) << tr.x[k];
    if (tr.x[k] > 1.001e-3) EXPECT_NEAR(y[k], 3.0, 1e-12) << tr.x[k];
  }
  const auto e = runErr("t\nv1 a 0 1\na1 a y dd\n.model dd d_dt(out_lower_limit=1 out_upper_limit=0)\n.op\n.end\n");
  EXPECT_NE(e.message.find("out_upper_limit must be above"), std::string::npos) << e.message;
}

TEST(NonlinearBlocks, SlewLimitsTheRate) {
  // a 2 V step at 100 us: up at 10 V/ms (200 us to get there), down at 40 V/ms
  const auto r = runOk(R"(t
v1 a 0 pwl(0 0 100u 0 100.001u 2 500u 2 500.001u 0)
a1 a y sl
.model sl slew(rise_slope=10k fall_slope=40k)
.tran 1u 800u
.end
)");
  const auto& tr = r.get(AnalysisType::Tran);
  for (std::size_t k = 0; k < tr.x.size(); ++k) {
    const double t = tr.x[k], y = tr.col("v(y)")[k];
    if (t <= 100e-6) EXPECT_NEAR(y, 0.0, 1e-12) << t;
    if (t > 100.001e-6 && t < 299e-6) EXPECT_NEAR(y, 1e4 * (t - 100e-6), 1e-9) << t;
    if (t > 301e-6 && t < 500e-6) EXPECT_NEAR(y, 2.0, 1e-9) << t;
    if (t > 500.001e-6 && t < 549e-6) EXPECT_NEAR(y, 2.0 - 4e4 * (t - 500e-6), 1e-9) << t;
    if (t > 551e-6) EXPECT_NEAR(y, 0.0, 1e-9) << t;
  }
}

// Times where column y crosses level upwards (linear between rows).
std::vector<double> upCrossings(const Collected& c, const std::string& name, double level) {
  std::vector<double> out;
  const auto& y = c.col(name);
  for (std::size_t k = 1; k < y.size(); ++k)
    if (y[k - 1] < level && y[k] >= level)
      out.push_back(c.x[k - 1] + (level - y[k - 1]) / (y[k] - y[k - 1]) * (c.x[k] - c.x[k - 1]));
  return out;
}

TEST(ControlledOscillators, ConstantControlGivesFixedFrequency) {
  // 1 kHz + 1 kHz/V at 1.5 V: 2.5 kHz
  const auto r = runOk(R"(t
vc c 0 1.5
a1 c s sn
.model sn sine(cntl_array=[0 1] freq_array=[1k 2k] out_low=-1 out_high=3)
a2 c t tr
.model tr triangle(cntl_array=[0 1] freq_array=[1k 2k] out_low=0 out_high=1 duty_cycle=0.25)
a3 c q sq
.model sq square(cntl_array=[0 1] freq_array=[1k 2k] out_low=0 out_high=1 duty_cycle=0.5 rise_time=10u fall_time=20u)
.tran 1u 1.2m
.end
)");
  const auto& tr = r.get(AnalysisType::Tran);
  const double T = 1 / 2.5e3;
  // sine: centre 1 at t = 0, rising through it at the start of every period
  EXPECT_DOUBLE_EQ(tr.col("v(s)")[0], 1.0);
  const auto s = upCrossings(tr, "v(s)", 1.0 + 1e-9);
  ASSERT_GE(s.size(), 3u);
  EXPECT_NEAR(s[0], 0.0, T * 1e-3);
  EXPECT_NEAR(s[1], T, T * 1e-3);
  EXPECT_NEAR(s[2], 2 * T, T * 1e-3);
  // triangle: peaks (corners, time points) at 0.25 T + k T
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(tr.at("v(t)", (0.25 + k) * T), 1.0, 1e-9) << k;
  // square: low for the first half, then a 10 us ramp: 0.5 at T/2 + 5 us
  const auto q = upCrossings(tr, "v(q)", 0.5);
  ASSERT_GE(q.size(), 2u);
  EXPECT_NEAR(q[0], 0.5 * T + 5e-6, 1e-9);
  EXPECT_NEAR(q[1], 1.5 * T + 5e-6, 1e-9);
  EXPECT_DOUBLE_EQ(tr.col("v(q)")[0], 0.0);
}

TEST(ControlledOscillators, BadArraysAreErrors) {
  auto e = runErr("t\nv1 c 0 1\na1 c s sn\n.model sn sine(cntl_array=[0 1 2] freq_array=[1k 2k])\n.op\n.end\n");
  EXPECT_NE(e.message.find("same number of values"), std::string::npos) << e.message;
  e = runErr("t\nv1 c 0 1\na1 c s sn\n.model sn triangle(cntl_array=[1 0] freq_array=[1k 2k])\n.op\n.end\n");
  EXPECT_NE(e.message.find("must increase"), std::string::npos) << e.message;
  e = runErr("t\nv1 c 0 1\na1 c c s t sn\n.model sn divide\n.op\n.end\n");
  EXPECT_NE(e.message.find("divider 'a1' (divide) takes the ports num den out, got 4 ports"), std::string::npos)
      << e.message;
}

}  // namespace
}  // namespace simcore::testing
