// XSPICE code models of ngspice 39 beyond the first sets: d_genlut, d_pwm,
// s_xfer's int_ic, the xtradev elements (potentiometer, memristor,
// capacitoric, inductoric), an undriven digital input (XSPICE's ZERO) and
// trtol lowered to 1 with A devices.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <string>

#include "test_kernel_support.cpp"

namespace simcore::testing {
namespace {

double op(const std::string& net, const std::string& sig) {
  const auto r = runOk(net);
  return r.get(AnalysisType::Op).col(sig)[0];
}

// Linear interpolation of a transient column at t.
double at(const Collected& c, const std::string& sig, double t) {
  const auto& y = c.col(sig);
  for (std::size_t k = 1; k < c.x.size(); ++k)
    if (c.x[k] >= t) {
      const double h = c.x[k] - c.x[k - 1];
      return h > 0 ? y[k - 1] + (y[k] - y[k - 1]) * (t - c.x[k - 1]) / h : y[k];
    }
  return y.back();
}

// The first time after t0 where sig crosses level upwards (NaN if none).
double riseAfter(const Collected& c, const std::string& sig, double level, double t0) {
  const auto& y = c.col(sig);
  for (std::size_t k = 1; k < c.x.size(); ++k)
    if (c.x[k] > t0 && y[k - 1] < level && y[k] >= level)
      return c.x[k - 1] + (c.x[k] - c.x[k - 1]) * (level - y[k - 1]) / (y[k] - y[k - 1]);
  return NAN;
}

// ---- d_genlut
const std::string kGenlutHead =
    "t\nva a 0 pwl(0 0 10n 0 11n 1 50n 1 51n 0)\nvb b 0 pwl(0 0 30n 0 31n 1)\n"
    "ab [a b] [da db] adc\n.model adc adc_bridge(in_low=0.4 in_high=0.6)\n";

TEST(XspiceGenlut, TwoOutputsWithTheirOwnDelaysAndInputDelay) {
  // x = a xor b (column "0110"), y = a and b ("0001"); rise 2n / 5n, fall 3n for both; b's input delay 4n
  const auto r = runOk(kGenlutHead +
                       "a1 [da db] [x y] lut\n"
                       ".model lut d_genlut(rise_delay=[2n 5n] fall_delay=[3n] input_delay=[0 4n] "
                       "table_values=\"01100001\")\n.tran 0.1n 80n 0 0.1n\n.end\n");
  const Collected& t = r.get(AnalysisType::Tran);
  // the adc_bridge reads a and b at the time points (its own delay is 1n; TMAX
  // 0.1n puts points inside their U bands, 0.4 V to 0.6 V, 0.2n wide)
  const double aU = firstRowWhere(t, "v(a)", [](double v) { return v > 0.4; });
  const double aHigh = firstRowWhere(t, "v(a)", [](double v) { return v >= 0.6; });
  const double bU = firstRowWhere(t, "v(b)", [](double v) { return v > 0.4; });
  const double bHigh = firstRowWhere(t, "v(b)", [](double v) { return v >= 0.6; });
  ASSERT_LT(aU, aHigh);
  ASSERT_LT(bU, bHigh);
  // a rises: x goes through U (2n after a's U) to 1 (2n after a's 1), y stays 0
  EXPECT_NEAR(riseAfter(t, "v(x)", 0.5, 0), aU + 1e-9 + 2e-9, 1e-12);
  EXPECT_NEAR(riseAfter(t, "v(x)", 0.75, 0), aHigh + 1e-9 + 2e-9, 1e-12);
  EXPECT_NEAR(at(t, "v(y)", 20e-9), 0.0, 1e-9);
  // b passes through the adc's U band: x goes through U to 0, each change
  // after the fall delay 3n plus b's input delay 4n; y goes through U to 1
  // after 5n + 4n
  const double xU = bU + 1e-9 + 7e-9, x0 = bHigh + 1e-9 + 7e-9;
  EXPECT_NEAR(at(t, "v(x)", xU - 0.01e-9), 1.0, 1e-9);
  EXPECT_NEAR(at(t, "v(x)", 0.5 * (xU + x0)), 0.5, 1e-9);
  EXPECT_NEAR(at(t, "v(x)", x0 + 0.01e-9), 0.0, 1e-9);
  EXPECT_NEAR(riseAfter(t, "v(y)", 0.5, 0), bU + 1e-9 + 9e-9, 1e-12);
  EXPECT_NEAR(riseAfter(t, "v(y)", 0.75, 0), bHigh + 1e-9 + 9e-9, 1e-12);
}

TEST(XspiceGenlut, HiImpedanceEntriesShortTablesAndUnknownInputs) {
  // one input: y's column "z1": hi-impedance U for 0 (a pull-down then wins), 1 for 1; a short
  // column (s: "0", the rest U)
  const std::string net =
      "t\nva a 0 pwl(0 0 10n 0 11n 1)\naa [a] [da] adc\n.model adc adc_bridge(in_low=0.4 in_high=0.6)\n"
      "a1 [da] [y s] lut\n.model lut d_genlut(table_values=\"z10\")\n";
  const auto r = runOk(net + "a2 y pd\n.model pd d_pulldown\n.tran 0.1n 30n\n.end\n");
  const Collected& t = r.get(AnalysisType::Tran);
  EXPECT_NEAR(t.col("v(y)")[0], 0.0, 1e-3);  // the resistive 0 beats the hi-impedance U
  EXPECT_NEAR(at(t, "v(y)", 25e-9), 1.0, 1e-3);
  EXPECT_NEAR(t.col("v(s)")[0], 0.0, 1e-9);
  EXPECT_NEAR(at(t, "v(s)", 25e-9), 0.5, 1e-9);  // past the string: U
  // alone, the hi-impedance U holds its node at U
  EXPECT_NEAR(op(net + ".op\n.end\n", "v(y)"), 0.5, 1e-3);
  // a U input (between the adc thresholds) makes every output U
  EXPECT_NEAR(op("t\nva a 0 0.5\naa [a] [da] adc\n.model adc adc_bridge(in_low=0.4 in_high=0.6)\n"
                 "a1 [da] [y] lut\n.model lut d_genlut(table_values=\"01\")\n.op\n.end\n",
                 "v(y)"),
              0.5, 1e-9);
}

TEST(XspiceGenlut, Errors) {
  const std::string head = "t\na1 [a b] [y] lut\n";
  EXPECT_NE(runErr(head + ".model lut d_genlut(rise_delay=[0])\n.op\n.end\n").message.find("table_values"),
            std::string::npos);
  EXPECT_NE(runErr(head + ".model lut d_genlut(rise_delay=[1n 0] table_values=\"0110\")\n.op\n.end\n")
                .message.find("rise_delay"),
            std::string::npos);
}

// ---- d_pwm
TEST(XspiceDPwm, DutyCycleFollowsTheControl) {
  // 1 MHz, init_phase 0; duty 0.25 at v = 0 and 0.75 at v = 1 (extrapolated beyond)
  const std::string head = "t\nvc c 0 ";
  const std::string tail =
      "\na1 c p pw\n.model pw d_pwm(cntl_array=[0 1] dc_array=[0.25 0.75] frequency=1meg rise_delay=1n "
      "fall_delay=1n)\n.tran 1n 5u\n.end\n";
  for (double v : {0.0, 0.5, 1.2}) {
    const auto r = runOk(head + std::to_string(v) + tail);
    const Collected& t = r.get(AnalysisType::Tran);
    const double duty = std::clamp(0.25 + 0.5 * v, 0.0, 1.0);
    // in each cycle: 0 for its first 1 − duty, then 1 (each edge 1n late)
    const double rise = riseAfter(t, "v(p)", 0.5, 2e-6);
    EXPECT_NEAR(rise, 2e-6 + (1 - duty) * 1e-6 + 1e-9, 2e-10) << v;
    EXPECT_NEAR(at(t, "v(p)", 3e-6 + 0.5e-9), 1.0, 1e-9) << v;
    EXPECT_NEAR(at(t, "v(p)", 3e-6 + 1.5e-9), 0.0, 1e-9) << v;
  }
}

TEST(XspiceDPwm, RampedControlRisesAtTheCrossing) {
  // duty = 0.2 + 0.05·t/µs: the second rise where 1 + t·1e6 ... phase t (cycles) meets 2 − duty
  const auto r = runOk(
      "t\nvc c 0 pwl(0 0 10u 1)\na1 c p pw\n"
      ".model pw d_pwm(cntl_array=[0 1] dc_array=[0.2 0.7] frequency=1meg rise_delay=1p fall_delay=1p)\n"
      ".tran 5n 4u\n.end\n");
  const Collected& t = r.get(AnalysisType::Tran);
  const double exact = 1.8 / 1.05 * 1e-6;  // t + 0.05 t = 2 − 0.2 (t in µs)
  EXPECT_NEAR(riseAfter(t, "v(p)", 0.5, 1.1e-6), exact, 1e-10);
}

TEST(XspiceDPwm, Errors) {
  EXPECT_NE(runErr("t\nvc c 0 0\na1 c p pw\n.model pw d_pwm(cntl_array=[0 1] dc_array=[0.2 1.5])\n.op\n.end\n")
                .message.find("dc_array"),
            std::string::npos);
  EXPECT_NE(runErr("t\nvc c 0 0\na1 c p pw\n.model pw d_pwm(cntl_array=[0 1 2] dc_array=[0.2 0.5])\n.op\n.end\n")
                .message.find("same number"),
            std::string::npos);
}

// ---- s_xfer int_ic
TEST(XspiceSxfer, IntIcHoldsTheOperatingPointAndStartsTheTransient) {
  // 1/(s/3 + 1)·3, gain 0.5, input 1 V: the steady state is 1.5; with int_ic=[0.3] the operating
  // point is num·x0 = 3·0.3 and the output relaxes with time constant 1/3 s towards 1.5
  const std::string head = "t\nv1 in 0 1\nr1 in 0 1k\na1 in out lp\n";
  const std::string model = ".model lp s_xfer(gain=0.5 num_coeff=[3] den_coeff=[1 1] denormalized_freq=3";
  EXPECT_NEAR(op(head + model + ")\n.op\n.end\n", "v(out)"), 1.5, 1e-9);
  EXPECT_NEAR(op(head + model + " int_ic=[0.3])\n.op\n.end\n", "v(out)"), 0.9, 1e-9);
  // more values than integrators (a first-order filter's int_ic=[0 0]): ngspice 39 reads the first
  EXPECT_NEAR(op(head + model + " int_ic=[0.3 0.8])\n.op\n.end\n", "v(out)"), 0.9, 1e-9);
  const auto r = runOk(head + model + " int_ic=[0.3])\n.tran 1m 1 0 1m\n.end\n");
  const Collected& t = r.get(AnalysisType::Tran);
  for (double time : {0.1, 0.5})
    EXPECT_NEAR(at(t, "v(out)", time), 1.5 - 0.6 * std::exp(-3 * time), 1e-4) << time;
  // second order: int_ic=[x1 x0], the first integrator's first; out = num·x0 at the operating point
  EXPECT_NEAR(op(head + ".model lp s_xfer(num_coeff=[1 0] den_coeff=[1 0.5 1] int_ic=[0.2 0.7])\n.op\n.end\n",
                 "v(out)"),
              0.2, 1e-9);
  EXPECT_NEAR(op(head + ".model lp s_xfer(num_coeff=[1] den_coeff=[1 0.5 1] int_ic=[0.2 0.7])\n.op\n.end\n",
                 "v(out)"),
              0.7, 1e-9);
  EXPECT_NE(runErr(head + ".model lp s_xfer(num_coeff=[1] den_coeff=[1 0.5 1] int_ic=[0.2])\n.op\n.end\n")
                .message.find("int_ic takes 2 values"),
            std::string::npos);
}

// ---- potentiometer
TEST(XspicePotentiometer, LinearAndLogTaper) {
  const std::string head = "t\nv1 a 0 1\n";
  // linear: the wiper divides 1 V as position (unloaded)
  EXPECT_NEAR(op(head + "a1 a w 0 p\n.model p potentiometer(r=10k position=0.3)\n.op\n.end\n", "v(w)"), 0.7, 1e-9);
  // log: r0–wiper is r/10^(position·log_multiplier) = 10k/100
  EXPECT_NEAR(op(head + "a1 a w 0 p\n.model p potentiometer(r=10k position=0.5 log=true log_multiplier=4)\n.op\n.end\n",
                 "v(w)"),
              1.0 - 100.0 / 10000.0, 1e-9);
  // the current drawn from the source: r in total
  EXPECT_NEAR(op(head + "a1 %g a w %g 0 p\n.model p potentiometer(r=10k)\n.op\n.end\n", "i(v1)"), -1e-4, 1e-12);
}

// ---- memristor
TEST(XspiceMemristor, ResistanceIntegratesTheVoltageBetweenItsLimits) {
  // 1 V across: i = v/R, dR/dt = beta·v (vt 0) from rinit 1k, capped at rmax
  const std::string net =
      "t\nv1 a 0 1\na1 (a 0) m\n.model m memristor(rmin=100 rmax=2k rinit=1k alpha=0 beta=1e6 vt=0)\n";
  EXPECT_NEAR(op(net + ".op\n.end\n", "i(v1)"), -1e-3, 1e-12);
  const auto r = runOk(net + ".tran 10u 2m 0 10u\n.end\n");
  const Collected& t = r.get(AnalysisType::Tran);
  // R = −v/i(v1) (the source's current runs into its plus node)
  EXPECT_NEAR(-1.0 / at(t, "i(v1)", 0.5e-3), 1500, 0.05);
  EXPECT_NEAR(-1.0 / at(t, "i(v1)", 1.8e-3), 2000, 10);  // stopped at rmax (within one step)
  // below the threshold vt only alpha acts
  const auto r2 = runOk("t\nv1 a 0 -0.5\na1 (a 0) m\n.model m memristor(rmin=100 rmax=2k rinit=1k alpha=1e5 "
                        "beta=1e7 vt=1)\n.tran 10u 1m 0 10u\n.end\n");
  EXPECT_NEAR(0.5 / at(r2.get(AnalysisType::Tran), "i(v1)", 1e-3), 1000 - 0.5e5 * 1e-3, 0.05);
}

// ---- sidiode, and D cards of LTspice's simple diode
TEST(XspiceSiDiode, RegionsAndLtspiceDiodeCards) {
  // v across the diode, i(v1) = -i(diode): off i = v/roff, on vfwd/roff + (v - vfwd)/ron,
  // breakdown -vrev/roff + (v + vrev)/rrev
  const std::string m = ".model s sidiode(ron=2 roff=1k vfwd=0.5 vrev=3 rrev=4)\n";
  auto cur = [&](const std::string& card, double v) {
    return -op("t\nv1 a 0 " + std::to_string(v) + "\n" + card + "\n" + m + ".op\n.end\n", "i(v1)");
  };
  EXPECT_NEAR(cur("a1 (a 0) s", 0.2), 0.2e-3, 1e-12);
  EXPECT_NEAR(cur("a1 a 0 s", 2.5), 0.5e-3 + 2.0 / 2, 1e-12);
  EXPECT_NEAR(cur("a1 %gd(a 0) s", -5), -3e-3 - 2.0 / 4, 1e-12);
  // ilimit: tanh towards the limit; epsilon: the quadratic joint at vfwd + epsilon/2
  const std::string lim = "t\nv1 a 0 100\nd1 a 0 l\n.model l d(ron=1 roff=1meg vfwd=1 ilimit=0.3 epsilon=0.5)\n";
  EXPECT_NEAR(-op(lim + ".op\n.end\n", "i(v1)"), 0.3, 1e-9);
  const double b1 = (1.0 - 1e-6) / 0.5, v = 1.25;
  EXPECT_NEAR(-op("t\nv1 a 0 1.25\nd1 a 0 l\n.model l d(ron=1 roff=1meg vfwd=1 epsilon=0.5)\n.op\n.end\n", "i(v1)"),
              0.5 * (v - 1) * (v - 1) * b1 + v * 1e-6, 1e-12);
  // a D card of a standard diode model stays a junction diode
  EXPECT_LT(-op("t\nv1 a 0 0.5\nd1 a 0 j\n.model j d(is=1e-14)\n.op\n.end\n", "i(v1)"), 1e-5);
}

// ---- XSPICE's inverted digital ports (~node)
TEST(XspiceInvertedPorts, InputsAndOutputsSwapZeroAndOne) {
  // in = 1: adc -> ~d (d = 0); dac [~d d] gives 1 and 0; a buffer reading ~d into ~b gives b = 0
  const std::string net =
      "t\nv1 in 0 1\naadc [in] [~d] adc1\n.model adc1 adc_bridge\naout [~d d] [p q] dac1\n"
      ".model dac1 dac_bridge\nabuf ~d ~b buf1\n.model buf1 d_buffer\naout2 [b] [r] dac1\n"
      "rp p 0 1k\nrq q 0 1k\nrr r 0 1k\n";
  const auto r = runOk(net + ".tran 1n 100n\n.end\n");
  const Collected& t = r.get(AnalysisType::Tran);
  EXPECT_NEAR(t.col("v(p)").back(), 1.0, 1e-9);
  EXPECT_NEAR(t.col("v(q)").back(), 0.0, 1e-9);
  EXPECT_NEAR(t.col("v(r)").back(), 0.0, 1e-9);
  // the node is d, not ~d
  for (const auto& n : t.order) EXPECT_EQ(n.find('~'), std::string::npos) << n;
  // .save of the node behind ~d: saved (d is a node of the circuit)
  const auto sv = runOk("t\nv1 in 0 1\naadc [in] [~d] adc1\n.model adc1 adc_bridge\naout [~d] [p] dac1\n"
                        ".model dac1 dac_bridge\nrp p 0 1k\n.save v(d) v(p)\n.tran 1n 20n\n.end\n");
  EXPECT_NEAR(sv.get(AnalysisType::Tran).col("v(d)").back(), 0.0, 1e-9);
  EXPECT_NEAR(sv.get(AnalysisType::Tran).col("v(p)").back(), 1.0, 1e-9);
  // '~' on an analog port is an error at the device
  auto bad = run("t\nv1 in 0 1\naadc [~in] [d] adc1\n.model adc1 adc_bridge\n.op\n.end\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("'~' (an inverted port) is for digital ports"), std::string::npos)
      << bad.error().message;
}

// ---- capacitoric, inductoric
TEST(XspiceCodeModelCL, InitialConditionsAndIntegration) {
  // the capacitor: a source of ic at the operating point, then an RC discharge towards 0 from ic
  const std::string cap = "t\nr1 c 0 1k\na1 (c 0) c1\n.model c1 capacitoric(c=1u ic=2)\n";
  EXPECT_NEAR(op(cap + ".op\n.end\n", "v(c)"), 2.0, 1e-12);
  {
    const auto r = runOk(cap + ".tran 10u 2m 0 10u\n.end\n");
    EXPECT_NEAR(at(r.get(AnalysisType::Tran), "v(c)", 1e-3), 2.0 * std::exp(-1.0), 2e-4);
  }
  // the inductor: a current source of ic at the operating point (a 1 Ω resistor reads it), then an RL decay
  const std::string ind = "t\nr1 l 0 1\na1 (l 0) l1\n.model l1 inductoric(l=1m ic=0.5)\n";
  EXPECT_NEAR(op(ind + ".op\n.end\n", "v(l)"), -0.5, 1e-12);
  {
    const auto r = runOk(ind + ".tran 10u 2m 0 10u\n.end\n");
    EXPECT_NEAR(at(r.get(AnalysisType::Tran), "v(l)", 1e-3), -0.5 * std::exp(-1.0), 2e-4);
  }
  // .ac: 1/(jωC) and jωL against 1 kΩ
  const auto r = runOk("t\nv1 a 0 ac 1\nr1 a c 1k\na1 (c 0) c1\n.model c1 capacitoric(c=1u)\nr2 a l 1k\n"
                       "a2 (l 0) l1\n.model l1 inductoric(l=1)\nr3 l 0 1meg\n.ac lin 1 159.154943 159.154943\n.end\n");
  const Collected& ac = r.get(AnalysisType::Ac);
  EXPECT_NEAR(std::abs(ac.phasor("v(c)", 0)), 1.0 / std::sqrt(2.0), 1e-6);  // ωRC = 1
  const std::complex<double> zl(0, 1000.0), zp = zl * 1e6 / (zl + 1e6);
  EXPECT_NEAR(std::abs(ac.phasor("v(l)", 0) - zp / (zp + 1000.0)), 0.0, 1e-6);
  EXPECT_NE(runErr("t\nr1 c 0 1k\na1 (c 0) c1\n.model c1 capacitoric(ic=1)\n.op\n.end\n").message.find("needs c"),
            std::string::npos);
}

// ---- .options ramptime: the code-model capacitor and inductor ramp their ic (ngspice 39's
// supply_ramping.deck); independent sources do not (ngspice 39 ramps them only in builds
// with XSPICE_EXP); a plain .op is not ramped
TEST(XspiceCodeModelCL, RamptimeRampsTheInitialConditionsOnly) {
  const std::string deck =
      "t\n.option ramptime=0.2\na1 1 0 cap\n.model cap capacitoric (c=1000uf ic=1)\nr1 1 0 1k\n"
      "a2 2 0 ind\n.model ind inductoric (l=1H ic=1)\nr2 2 0 1.0\nv1 3 0 1.0\nr3 3 0 1k\n";
  EXPECT_NEAR(op(deck + ".op\n.end\n", "v(1)"), 1.0, 1e-12);
  const auto r = runOk(deck + ".tran 0.1 1\n.end\n");
  const Collected& t = r.get(AnalysisType::Tran);
  const std::vector<double>& time = t.x;
  bool landed = false;
  for (std::size_t k = 0; k < time.size(); ++k) {
    landed = landed || std::fabs(time[k] - 0.2) < 1e-12;
    EXPECT_NEAR(t.col("v(3)")[k], 1.0, 1e-12);  // the source is not ramped
    if (time[k] < 0.2 * (1 - 1e-9)) {
      EXPECT_NEAR(t.col("v(1)")[k], time[k] / 0.2, 1e-9) << "t = " << time[k];
      EXPECT_NEAR(t.col("v(2)")[k], -time[k] / 0.2, 1e-9) << "t = " << time[k];
    }
  }
  EXPECT_TRUE(landed);
  // after the ramp: the RC and RL decays from about ic (tau 1 s and 1 s)
  EXPECT_NEAR(at(t, "v(1)", 1.0), std::exp(-0.8), 0.05);
  EXPECT_NEAR(at(t, "v(2)", 1.0), -std::exp(-0.8), 0.05);
}

// ---- an undriven digital input reads 0
TEST(XspiceDigital, UndrivenInputReadsZero) {
  const double y = op("t\na1 nowhere y inv\n.model inv d_inverter\n.op\n.end\n", "v(y)");
  EXPECT_NEAR(y, 1.0, 1e-12);
  EXPECT_NEAR(op("t\na1 nowhere y inv\n.model inv d_inverter\n.op\n.end\n", "v(nowhere)"), 0.0, 1e-12);
  // a lone hi-impedance driver still gives its level (the input load is 1e-12 S against its 1e-8)
  const std::string tri =
      "t\nv1 e 0 0\nae [e] [de] adc\n.model adc adc_bridge\nvi i 0 1\nai [i] [di] adc\n"
      "a1 di de o tri\n.model tri d_tristate\na2 o y inv\n.model inv d_inverter\n.op\n.end\n";
  EXPECT_NEAR(op(tri, "v(o)"), 1.0, 1e-3);
  EXPECT_NEAR(op(tri, "v(y)"), 0.0, 1e-12);
}

// ---- trtol
TEST(XspiceOptions, TrtolIsOneWithCodeModels) {
  auto withA = ir::parseNetlist("t\nv1 a 0 1\nr1 a 0 1k\na1 a b g\n.model g gain\n.options trtol=5\n.tran 1u 1m\n.end\n");
  ASSERT_TRUE(withA.ok());
  EXPECT_EQ(withA.value().options.trtol, 1.0);
  auto without = ir::parseNetlist("t\nv1 a 0 1\nr1 a 0 1k\n.options trtol=5\n.tran 1u 1m\n.end\n");
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(without.value().options.trtol, 5.0);
  auto low = ir::parseNetlist("t\nv1 a 0 1\nr1 a 0 1k\na1 a b g\n.model g gain\n.options trtol=0.5\n.tran 1u 1m\n.end\n");
  ASSERT_TRUE(low.ok());
  EXPECT_EQ(low.value().options.trtol, 0.5);
  // `set xtrtol=2` before the analysis overrides the 1 (ngspice: "Override trtol to 2")
  auto x = ir::parseNetlist("t\nv1 a 0 1\nr1 a 0 1k\na1 a b g\n.model g gain\n.control\nset xtrtol=2\ntran 1u 1m\n"
                            ".endc\n.end\n");
  ASSERT_TRUE(x.ok());
  EXPECT_EQ(x.value().options.trtol, 2.0);
}

// ngspice 39 makes E/F/G/H POLY sources (also SPICE2's form without POLY(1)) spice2poly A
// devices and E/G TABLE sources XSPICE pwl ones: trtol is 1 with them too ("Reducing trtol to
// 1 for xspice 'A' devices"), in a sub-circuit instance as well; not for a linear E, a B
// source, or a POLY in a sub-circuit nobody instantiates
TEST(XspiceOptions, TrtolIsOneWithPolyAndTableSources) {
  auto trtol = [](const std::string& cards) {
    auto c = ir::parseNetlist("t\nv1 a 0 sin(0 1 1k)\nr1 b 0 1k\n" + cards + ".tran 10u 1m\n.end\n");
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().format());
    return c.ok() ? c.value().options.trtol : -1.0;
  };
  EXPECT_EQ(trtol("e1 b 0 poly(1) a 0 0 2\n"), 1.0);
  EXPECT_EQ(trtol("g1 b 0 poly(2) a 0 b 0 0 1m 1m\n"), 1.0);
  EXPECT_EQ(trtol("e1 b 0 a 0 0 2\n"), 1.0);  // (SPICE2's POLY(1) without the keyword)
  EXPECT_EQ(trtol("vs a s 0\nf1 b 0 poly(1) vs 0 2\nrs s 0 1k\n"), 1.0);
  EXPECT_EQ(trtol("e1 b 0 table {v(a)} = (-1,-2) (1,2)\n"), 1.0);
  EXPECT_EQ(trtol("x1 a b p\n.subckt p x y\ne1 y 0 poly(1) x 0 0 2\n.ends\n"), 1.0);
  EXPECT_EQ(trtol("e1 b 0 a 0 2\n"), 7.0);
  EXPECT_EQ(trtol("b1 b 0 v=2*v(a)\n"), 7.0);
  EXPECT_EQ(trtol("e1 b 0 value={2*v(a)}\n"), 7.0);
  EXPECT_EQ(trtol("r2 a b 1k\n.subckt p x y\ne1 y 0 poly(1) x 0 0 2\n.ends\n"), 7.0);
}

}  // namespace
}  // namespace simcore::testing
