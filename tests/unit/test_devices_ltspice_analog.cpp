// LTspice's analog special-function A devices: the OTA's transconductance,
// tanh limits (symmetric and Isrc/Isink), Ref, compliance rails, Rout and
// slew into Cout; MODULATE's frequency against its FM input and amplitude
// against AM; SAMPLEHOLD's hold between clock edges, S/H tracking and
// limits; the reader's errors and warnings. (They are not piecewise linear:
// switching=event rejects them, as it does any smooth device.)
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "test_kernel_support.cpp"

namespace simcore::testing {
namespace {

double at(const Collected& c, const std::string& name, double t) {
  const auto& y = c.col(name);
  for (std::size_t k = 1; k < c.x.size(); ++k)
    if (c.x[k] > t) {
      if (c.x[k] == c.x[k - 1]) return y[k];
      return y[k - 1] + (y[k] - y[k - 1]) * (t - c.x[k - 1]) / (c.x[k] - c.x[k - 1]);
    }
  return y.empty() ? NAN : y.back();
}

// Rising zero crossings of `name` after t0.
std::vector<double> risingCrossings(const Collected& c, const std::string& name, double t0) {
  const auto& y = c.col(name);
  std::vector<double> out;
  for (std::size_t k = 1; k < c.x.size(); ++k)
    if (c.x[k - 1] >= t0 && y[k - 1] < 0 && y[k] >= 0)
      out.push_back(c.x[k - 1] - y[k - 1] * (c.x[k] - c.x[k - 1]) / (y[k] - y[k - 1]));
  return out;
}

TEST(LtspiceOta, TransconductanceLimitsAndRef) {
  // in+ is terminal 2, in- terminal 1; each OTA drives 10 kohm
  const std::string net = R"(t
vp p 0 0.1
vn n 0 0.02
* linear: i = g (v(p) - v(n)) = 1m * 0.08 -> 0.8 V
a1 n p 0 0 0 0 o1 0 OTA g=1m linear vhigh=1e308 vlow=-1e308
r1 o1 0 10k
* tanh limited at 50 uA: 50u tanh(80u / 50u) -> 10k * that
a2 n p 0 0 0 0 o2 0 OTA g=1m iout=50u vhigh=1e308 vlow=-1e308
r2 o2 0 10k
* Ref -0.1 V: u = 0.08 - 0.1 < 0, sinking limited by isink 20 uA (isrc 1 mA unused)
a3 n p 0 0 0 0 o3 0 OTA g=1m ref=-0.1 isrc=1m isink=20u vhigh=1e308 vlow=-1e308
r3 o3 0 10k
* Rout in parallel with the load: 1m * 0.08 * (10k || 10k)
a4 n p 0 0 0 0 o4 0 OTA g=1m linear rout=10k vhigh=1e308 vlow=-1e308
r4 o4 0 10k
.op
.end
)";
  const auto r = runOk(net);
  const auto& op = r.get(AnalysisType::Op);
  EXPECT_NEAR(op.col("v(o1)")[0], 0.8, 1e-9);
  EXPECT_NEAR(op.col("v(o2)")[0], 10e3 * 50e-6 * std::tanh(80e-6 / 50e-6), 1e-9);
  EXPECT_NEAR(op.col("v(o3)")[0], -10e3 * 20e-6 * std::tanh(20e-6 / 20e-6), 1e-9);
  EXPECT_NEAR(op.col("v(o4)")[0], 0.4, 1e-9);
}

TEST(LtspiceOta, ComplianceRails) {
  // a large g drives the output into its rails: sourcing stops within 10 mV
  // below vhigh, sinking within 10 mV above vlow (relative to the common cm)
  for (const char* vp : {"1", "-1"}) {
    const std::string net = std::string("t\nvp p 0 ") + vp + R"(
vcm cm 0 0.5
a1 0 p cm cm cm cm o cm OTA g=1 iout=1m vhigh=2 vlow=-1
r1 o cm 100k
.op
.end
)";
    const auto r = runOk(net);
    const double v = r.get(AnalysisType::Op).col("v(o)")[0] - 0.5;
    if (vp[0] == '1') {
      EXPECT_LT(v, 2.0);
      EXPECT_GT(v, 2.0 - 10e-3);
    } else {
      EXPECT_GT(v, -1.0);
      EXPECT_LT(v, -1.0 + 10e-3);
    }
  }
}

TEST(LtspiceOta, SlewIntoCoutAndFollower) {
  // a step of 1 V into an OTA limited to 100 uA with Cout 1 nF: 0.1 V/us;
  // a linear OTA with Avol 1e4 as a follower of 0.7 V: 0.7 * 1e4 / (1 + 1e4)
  const std::string net = R"(t
vin in 0 pulse(0 1 1u 1n 1n 50u 100u)
a1 0 in 0 0 0 0 s 0 OTA g=1 iout=100u cout=1n vhigh=1e308 vlow=-1e308
vd d 0 0.7
a2 f d 0 0 0 0 f 0 OTA g=1e3 linear rout=10 cout=1n vhigh=1e308 vlow=-1e308
.tran 10n 20u
)";
  const auto r = runOk(net + ".end\n");
  const auto& tr = r.get(AnalysisType::Tran);
  const double slope = (at(tr, "v(s)", 6e-6) - at(tr, "v(s)", 2e-6)) / 4e-6;
  EXPECT_NEAR(slope, 1e5, 1e5 * 1e-3);
  EXPECT_NEAR(at(tr, "v(f)", 19e-6), 0.7 * 1e4 / (1 + 1e4), 1e-9);
}

TEST(LtspiceModulate, FrequencyFollowsFmAndAmplitudeAm) {
  // FM 0.25 V between space 1 kHz and mark 3 kHz: 1.5 kHz; AM 2 V
  // a2: AM unused (amplitude 1), FM unused (space, 800 Hz)
  const std::string net = R"(t
vfm fm 0 0.25
vam am 0 2
a1 fm am 0 0 0 0 o1 0 MODULATE mark=3k space=1k
r1 o1 0 1Meg
a2 0 0 0 0 0 0 o2 0 MODULATOR mark=3k space=800
r2 o2 0 1Meg
.tran 1u 10m
)";
  const auto r = runOk(net + ".end\n");
  const auto& tr = r.get(AnalysisType::Tran);
  for (const auto& [name, f, amp] : {std::tuple{"v(o1)", 1500.0, 2.0}, std::tuple{"v(o2)", 800.0, 1.0}}) {
    const auto up = risingCrossings(tr, name, 1e-4);
    ASSERT_GE(up.size(), 5u) << name;
    const double period = (up.back() - up.front()) / double(up.size() - 1);
    EXPECT_NEAR(1.0 / period, f, f * 1e-3) << name;
    double peak = 0;
    for (double y : tr.col(name)) peak = std::max(peak, y);
    EXPECT_NEAR(peak, amp * 1e6 / (1e6 + 1), amp * 2e-3) << name;
  }
}

TEST(LtspiceModulate, SweptFrequencyIsTheIntegralOfTheInput) {
  // FM ramps 0 -> 1 V over 10 ms (space 0, mark 4 kHz): the phase at t is
  // 4k t^2 / (2 * 10 ms) = 2e5 t^2 cycles, k cycles at t = sqrt(k / 2e5)
  const std::string net = R"(t
vfm fm 0 pwl(0 0 10m 1)
a1 fm 0 0 0 0 0 o 0 MODULATE mark=4k space=0
.tran 1u 10m
.end
)";
  const auto r = runOk(net);
  const auto up = risingCrossings(r.get(AnalysisType::Tran), "v(o)", 1e-5);
  ASSERT_GE(up.size(), 19u);
  for (int k : {2, 5, 10, 19}) EXPECT_NEAR(up[std::size_t(k - 1)], std::sqrt(k / 2e5), 2e-6) << k;
}

TEST(LtspiceSampleHold, HoldsBetweenClockEdgesAndTracks) {
  // a ramp of 1 V/ms sampled at the clock's rising edges (0.1 ms, 0.3 ms, ...);
  // a2 tracks while S/H is high (0.5 ms .. 0.6 ms) and is limited to 0.65 V
  const std::string net = R"(t
vin in 0 pwl(0 0 1m 1)
vclk clk 0 pulse(0 1 0.1m 1n 1n 50u 0.2m)
vsh sh 0 pwl(0 0 0.5m 0 0.500001m 1 0.6m 1 0.600001m 0)
a1 in 0 clk 0 0 0 o1 0 SAMPLEHOLD rout=1
r1 o1 0 1Meg
a2 in 0 clk sh 0 0 o2 0 SAMPLEHOLD vhigh=0.65
r2 o2 0 1Meg
.tran 1u 1m
)";
  const double k = 1e6 / (1e6 + 1);
  {
    const auto r = runOk(net + ".end\n");
    const char* mode = "spice";
    const auto& tr = r.get(AnalysisType::Tran);
    // before the first edge: the operating point's input (0)
    EXPECT_NEAR(at(tr, "v(o1)", 0.05e-3), 0.0, 1e-9) << mode;
    // held between edges: the input at the edge (+ half the 1 ns edge)
    for (double te : {0.1e-3, 0.3e-3, 0.5e-3, 0.7e-3}) {
      const double held = (te + 0.5e-9) * 1e3 * k;
      EXPECT_NEAR(at(tr, "v(o1)", te + 10e-6), held, 1e-6) << mode << " " << te;
      EXPECT_NEAR(at(tr, "v(o1)", te + 190e-6), held, 1e-6) << mode << " " << te;
    }
    // a2: tracking at 0.55 ms, then held at the S/H edge until the clock edge at 0.7 ms
    EXPECT_NEAR(at(tr, "v(o2)", 0.55e-3), 0.55 * k, 1e-6) << mode;
    EXPECT_NEAR(at(tr, "v(o2)", 0.65e-3), 0.6 * k, 1e-5) << mode;
    // the sample at 0.7 ms (0.7 V) limited to vhigh
    EXPECT_NEAR(at(tr, "v(o2)", 0.8e-3), 0.65 * k, 1e-6) << mode;
  }
}

TEST(LtspiceAnalogSpecials, ErrorsAndWarnings) {
  // the OTA's multiplying inputs (terminal 3) are not modelled: located
  Error e = runErr("t\nv1 a 0 1\na1 a 0 a 0 0 0 y 0 OTA g=1m\nr1 y 0 1k\n.op\n.end\n");
  EXPECT_NE(e.message.find("terminal 3"), std::string::npos) << e.message;
  EXPECT_EQ(e.loc.line, 3);
  // MODULATE without its frequencies
  e = runErr("t\nv1 a 0 1\na1 a 0 0 0 0 0 y 0 MODULATE mark=1k\nr1 y 0 1k\n.op\n.end\n");
  EXPECT_NE(e.message.find("space"), std::string::npos) << e.message;
  EXPECT_EQ(e.loc.line, 3);
  // a SAMPLEHOLD with neither CLK nor S/H
  e = runErr("t\nv1 a 0 1\na1 a 0 0 0 0 0 y 0 SAMPLEHOLD\nr1 y 0 1k\n.op\n.end\n");
  EXPECT_NE(e.message.find("never samples"), std::string::npos) << e.message;
  // an OTA parameter LTspice's OTA does not have
  e = runErr("t\nv1 a 0 1\na1 a 0 0 0 0 0 y 0 OTA gm=1m\nr1 y 0 1k\n.op\n.end\n");
  EXPECT_NE(e.message.find("gm"), std::string::npos) << e.message;
  // the special functions simcore does not model
  e = runErr("t\nv1 a 0 1\na1 a 0 0 0 0 0 y 0 VARISTOR rclamp=1\n.op\n.end\n");
  EXPECT_NE(e.message.find("VARISTOR"), std::string::npos) << e.message;
  // noise densities: accepted, one warning
  const auto r = runOk("t\nv1 a 0 1m\na1 0 a 0 0 0 0 y 0 OTA g=1m en=1n enk=10 in=1f\nr1 y 0 1k\n.op\n.end\n");
  int warned = 0;
  for (const auto& w : r.warnings) warned += w.message.find("OTA noise") != std::string::npos;
  EXPECT_EQ(warned, 1);
  // an OTA whose output is tied to its common drives nothing (ADI's models use one with g=0 as a
  // source of input noise alone: `A2 2 1 0 0 0 0 0 0 OTA g=0 in=.8f ...`); was an error
  const auto inert = runOk("t\nv1 a 0 1\nr1 a b 1k\nr2 b 0 1k\na2 b a 0 0 0 0 0 0 OTA g=1m in=.8f\n"
                           "a3 b 0 c c c c c c OTA g=1m\nr3 c 0 1k\n.op\n.end\n");
  EXPECT_NEAR(inert.get(AnalysisType::Op).col("v(b)")[0], 0.5, 1e-12);
  EXPECT_NEAR(inert.get(AnalysisType::Op).col("v(c)")[0], 0.0, 1e-12);
}

}  // namespace
}  // namespace simcore::testing
