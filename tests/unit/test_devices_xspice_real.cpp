// XSPICE real-valued event nodes (d_to_real, real_gain, real_delay,
// real_to_v): the sum of several drivers on a node (also across
// sub-circuits), gains and offsets, the operating point (ic), the wake-up at
// `delay`, clocked sampling, U and enable, and real_to_v's ramp with
// ngspice 39's scaling, in the event engine and in SPICE mode.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "test_kernel_support.cpp"

namespace simcore::testing {
namespace {

const char* const kModes[] = {"event", "spice"};

// The value of column `name` at the last row at or before t.
double at(const Collected& c, const std::string& name, double t) {
  const auto& y = c.col(name);
  double v = NAN;
  for (std::size_t k = 0; k < c.x.size() && c.x[k] <= t; ++k) v = y[k];
  return v;
}

// Linear interpolation of column `name` at t.
double interp(const Collected& c, const std::string& name, double t) {
  const auto& y = c.col(name);
  for (std::size_t k = 1; k < c.x.size(); ++k)
    if (c.x[k] >= t) {
      if (c.x[k] == c.x[k - 1]) return y[k];
      return y[k - 1] + (y[k] - y[k - 1]) * (t - c.x[k - 1]) / (c.x[k] - c.x[k - 1]);
    }
  return y.empty() ? NAN : y.back();
}

TEST(XspiceReal, DriversSumAndGainsWakeAtTheirDelay) {
  for (const char* mode : kModes) {
    const std::string net = std::string(R"(t
a0 one up
.model up d_pullup
a1 one NULL r dtr
.model dtr d_to_real(zero=-2 one=1.5 delay=1n)
* two gains into s, one of them inside a sub-circuit: s is their sum
a2 r s g1
.model g1 real_gain(gain=2 ic=0.5 delay=1n)
x1 r s half
.subckt half in out
a1 in out g
.model g real_gain(in_offset=1 gain=0.5 out_offset=-1 ic=0.25 delay=3n)
.ends
.tran 0.1n 10n
.options switching=)") + mode + "\n.end\n";
    const auto r = runOk(net);
    const auto& tr = r.get(AnalysisType::Tran);
    // the operating point: r = one (no delay), s = the sum of the ics
    EXPECT_NEAR(tr.col("v(r)")[0], 1.5, 1e-9) << mode;
    EXPECT_NEAR(tr.col("v(s)")[0], 0.75, 1e-9) << mode;
    // g1 wakes at 1n and drives 2·1.5 = 3 at 2n; g wakes at 3n: 0.5·(1.5 + 1) - 1 = 0.25 at 6n
    EXPECT_NEAR(at(tr, "v(s)", 1.99e-9), 0.75, 1e-9) << mode;
    EXPECT_NEAR(at(tr, "v(s)", 2.01e-9), 3.25, 1e-9) << mode;
    EXPECT_NEAR(at(tr, "v(s)", 5.99e-9), 3.25, 1e-9) << mode;
    EXPECT_NEAR(at(tr, "v(s)", 6.01e-9), 3.25, 1e-9) << mode;  // (0.25 again: no change)
    EXPECT_NEAR(tr.col("v(s)").back(), 3.25, 1e-9) << mode;
  }
}

TEST(XspiceReal, DToRealEnableAndUnknown) {
  for (const char* mode : kModes) {
    // en: 1 until 20n; in: 1, then U (an adc_bridge between its thresholds) from 10n
    const std::string net = std::string(R"(t
vin vin 0 pwl(0 1 10n 1 10.01n 0.5)
ven ven 0 pwl(0 1 20n 1 20.01n 0)
a1 [vin ven] [in en] adc
.model adc adc_bridge(in_low=0.2 in_high=0.8 rise_delay=1e-12 fall_delay=1e-12)
a2 in en r dtr
.model dtr d_to_real(zero=-1 one=3 delay=2n)
.tran 0.1n 30n
.options switching=)") + mode + "\n.end\n";
    const auto r = runOk(net);
    const auto& tr = r.get(AnalysisType::Tran);
    EXPECT_NEAR(tr.col("v(r)")[0], 3.0, 1e-9) << mode;
    EXPECT_NEAR(at(tr, "v(r)", 11.9e-9), 3.0, 1e-9) << mode;
    EXPECT_NEAR(at(tr, "v(r)", 12.1e-9), 1.0, 1e-9) << mode;  // U: halfway
    EXPECT_NEAR(at(tr, "v(r)", 21.9e-9), 1.0, 1e-9) << mode;
    EXPECT_NEAR(at(tr, "v(r)", 22.1e-9), 0.0, 1e-9) << mode;  // not enabled
  }
}

TEST(XspiceReal, RealDelaySamplesOnRisingClockEdges) {
  for (const char* mode : kModes) {
    // x ramps in steps (a d_to_real of a d_source would do; here a real_gain of a
    // d_to_real switched at 15n); the clock rises at 10n, 30n, 50n
    const std::string net = std::string(R"(t
vc vc 0 pulse(0 1 10n 1p 1p 10n 20n)
vd vd 0 pwl(0 0 15n 0 15.01n 1)
a1 [vc vd] [clk d] adc
.model adc adc_bridge(in_low=0.5 in_high=0.5 rise_delay=1e-12 fall_delay=1e-12)
a2 d NULL x dtr
.model dtr d_to_real(zero=2 one=7 delay=1n)
a3 x clk y zd
.model zd real_delay(delay=4n)
.tran 0.1n 60n
.options switching=)") + mode + "\n.end\n";
    const auto r = runOk(net);
    const auto& tr = r.get(AnalysisType::Tran);
    EXPECT_NEAR(tr.col("v(y)")[0], 0.0, 1e-9) << mode;  // nothing until the first edge
    EXPECT_NEAR(at(tr, "v(y)", 13.9e-9), 0.0, 1e-9) << mode;
    EXPECT_NEAR(at(tr, "v(y)", 14.1e-9), 2.0, 1e-9) << mode;   // sampled at 10n
    EXPECT_NEAR(at(tr, "v(y)", 33.9e-9), 2.0, 1e-9) << mode;
    EXPECT_NEAR(at(tr, "v(y)", 34.1e-9), 7.0, 1e-9) << mode;   // sampled at 30n (x = 7 from 16n)
    EXPECT_NEAR(tr.col("v(y)").back(), 7.0, 1e-9) << mode;
  }
}

TEST(XspiceReal, RealToVRampsWithNgspiceScaling) {
  for (const char* mode : kModes) {
    // x: 1 until 10n, then 3 (d_to_real, no delay at the operating point)
    const std::string net = std::string(R"(t
vd vd 0 pwl(0 0 9n 0 9.01n 1)
a1 [vd] [d] adc
.model adc adc_bridge(in_low=0.5 in_high=0.5 rise_delay=1e-12 fall_delay=1e-12)
a2 d NULL x dtr
.model dtr d_to_real(zero=1 one=3 delay=1n)
a3 x o r2v
.model r2v real_to_v(gain=2 transition_time=4n)
r1 o 0 1k
.tran 0.1n 30n
.options switching=)") + mode + "\n.end\n";
    const auto r = runOk(net);
    const auto& tr = r.get(AnalysisType::Tran);
    // the adc's first time point at or above 0.5 V (vd crosses it at 9.005n), its delay, the d_to_real's delay
    const double t0 = firstRowWhere(tr, "v(vd)", [](double v) { return v >= 0.5; }) + 1e-12 + 1e-9;
    EXPECT_NEAR(tr.col("v(o)")[0], 2.0, 1e-9) << mode;
    EXPECT_NEAR(at(tr, "v(o)", t0 - 0.1e-9), 2.0, 1e-6) << mode;
    // inside the ramp: v0 + gain·(v1 - v0)·fraction (ngspice 39 scales only the rise)
    EXPECT_NEAR(interp(tr, "v(o)", t0 + 2e-9), 1 + 2 * (3 - 1) * 0.5, 2e-3) << mode;
    EXPECT_NEAR(at(tr, "v(o)", t0 + 4.1e-9), 6.0, 1e-6) << mode;
    EXPECT_NEAR(tr.col("v(o)").back(), 6.0, 1e-9) << mode;
  }
}

TEST(XspiceReal, ParametersAndPortsAreChecked) {
  Error e = runErr("t\na0 one up\n.model up d_pullup\na1 one NULL r dtr\n.model dtr d_to_real(delay=0)\n"
                   ".tran 1n 10n\n.end\n");
  EXPECT_NE(e.message.find("delay must be at least 1e-15"), std::string::npos) << e.message;
  e = runErr("t\na0 one up\n.model up d_pullup\na1 one r dtr\n.model dtr d_to_real\n.tran 1n 10n\n.end\n");
  EXPECT_NE(e.message.find("takes the ports in enable out"), std::string::npos) << e.message;
  e = runErr("t\na0 one up\n.model up d_pullup\na1 one NULL r dtr\n.model dtr d_to_real\na2 r o g\n"
             ".model g real_gain(delay=0)\n.tran 1n 10n\n.end\n");
  EXPECT_NE(e.message.find("delay must be positive"), std::string::npos) << e.message;
}

}  // namespace
}  // namespace simcore::testing
