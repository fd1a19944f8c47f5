// XSPICE's analog oneshot: pulse shape and width from the control, the lock
// without retrig, retriggering, the negative-edge trigger and clear, in the
// event engine and in SPICE mode.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "test_kernel_support.cpp"

namespace simcore::testing {
namespace {

const char* const kModes[] = {"event", "spice"};

// Linear interpolation of column `name` at t (the later row at a repeated time).
double interp(const Collected& c, const std::string& name, double t) {
  const auto& y = c.col(name);
  for (std::size_t k = 1; k < c.x.size(); ++k)
    if (c.x[k] > t) {
      if (c.x[k] == c.x[k - 1]) return y[k];
      return y[k - 1] + (y[k] - y[k - 1]) * (t - c.x[k - 1]) / (c.x[k] - c.x[k - 1]);
    }
  return y.empty() ? NAN : y.back();
}

TEST(XspiceOneShot, PulseLockRetriggerAndClear) {
  for (const char* mode : kModes) {
    // clk rises at 10u, 20u (during the first pulse), 60u; falls at 15u, 25u, 65u
    const std::string net = std::string(R"(t
vclk clk 0 pwl(0 0 10u 0 10.000001u 1 15u 1 15.000001u 0 20u 0 20.000001u 1 25u 1 25.000001u 0
+ 60u 0 60.000001u 1 65u 1 65.000001u 0)
vc cntl 0 pwl(0 0 50u 0 50.000001u 2)
vclr clr 0 pwl(0 0 70u 0 70.000001u 1)
a1 clk cntl NULL o1 s1
.model s1 oneshot(cntl_array=[0 1] pw_array=[12u 8u] out_low=0 out_high=2 rise_time=1u fall_time=2u
+ rise_delay=0.5u fall_delay=0.25u)
a2 clk cntl clr o2 s2
.model s2 oneshot(cntl_array=[0 1] pw_array=[8u 8u] rise_time=1u fall_time=1u rise_delay=1u fall_delay=0 retrig=true)
a3 clk NULL NULL o3 s3
.model s3 oneshot(cntl_array=[0 1] pw_array=[3u 3u] pos_edge_trig=false rise_delay=0 fall_delay=0)
.tran 0.1u 80u
.options switching=)") + mode + "\n.end\n";
    const auto r = runOk(net);
    const auto& tr = r.get(AnalysisType::Tran);
    const double t0 = 10.0000005e-6;  // the clock's crossing of 0.5
    // s1: rises from t0 + 0.5u over 1u, high until + 12u + 0.25u, falls over 2u
    EXPECT_NEAR(interp(tr, "v(o1)", t0 + 0.4e-6), 0.0, 1e-9) << mode;
    EXPECT_NEAR(interp(tr, "v(o1)", t0 + 1.0e-6), 1.0, 3e-3) << mode;
    EXPECT_NEAR(interp(tr, "v(o1)", t0 + 13.0e-6), 2.0, 1e-9) << mode;
    EXPECT_NEAR(interp(tr, "v(o1)", t0 + 14.75e-6), 1.0, 3e-3) << mode;
    // (the trigger at 20u is ignored: locked; the pulse ends at t0 + 15.75u)
    EXPECT_NEAR(interp(tr, "v(o1)", 30e-6), 0.0, 1e-9) << mode;
    // at 60u the control is 2: pw = 12u - 2·4u = 4u (extended along the segment)
    const double t2 = 60.0000005e-6;
    EXPECT_NEAR(interp(tr, "v(o1)", t2 + 1.5e-6 + 4.2e-6), 2.0, 1e-9) << mode;
    EXPECT_NEAR(interp(tr, "v(o1)", t2 + 1.5e-6 + 4.25e-6 + 1e-6), 1.0, 3e-3) << mode;
    // s2 (retrig): the trigger at 20u moves the end to 20u + 8u + 1u + 1u = 30u, then a 1u fall
    EXPECT_NEAR(interp(tr, "v(o2)", 29.9e-6), 1.0, 1e-9) << mode;
    EXPECT_NEAR(interp(tr, "v(o2)", 30.5e-6 + 0.0000005e-6), 0.5, 3e-3) << mode;
    // clear at 70u ends the pulse started at 60u at once
    EXPECT_NEAR(interp(tr, "v(o2)", 69.9e-6), 1.0, 1e-9) << mode;
    EXPECT_NEAR(interp(tr, "v(o2)", 70.01e-6), 0.0, 1e-9) << mode;
    // s3 triggers on the falling edge at 15u: high from 15u + 1n for 3u
    EXPECT_NEAR(interp(tr, "v(o3)", 14.9e-6), 0.0, 1e-9) << mode;
    EXPECT_NEAR(interp(tr, "v(o3)", 16e-6), 1.0, 1e-9) << mode;
    EXPECT_NEAR(interp(tr, "v(o3)", 18.5e-6), 0.0, 1e-9) << mode;
  }
}

TEST(XspiceOneShot, ArraysAreChecked) {
  Error e = runErr("t\nv1 c 0 1\na1 c NULL NULL o s\n.model s oneshot(cntl_array=[0 1] pw_array=[1u])\n"
                   "r1 o 0 1\n.tran 1u 10u\n.end\n");
  EXPECT_NE(e.message.find("cntl_array and pw_array need the same number of values"), std::string::npos) << e.message;
}

}  // namespace
}  // namespace simcore::testing
