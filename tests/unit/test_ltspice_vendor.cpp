// LTspice's voltage-controlled switch (a SW model with ILIMIT, VSER, ...):
// the smooth transition of a negative VH (ln g a cubic between VT-|VH| and
// VT+|VH|), the series voltage VSER in either direction, the current limit,
// small-signal values, a push-pull output stage in a transient, the reader's
// errors, and that a SW model without LTspice's parameters keeps ngspice's
// negative hysteresis. Also LTspice's other vendor-library constructs:
// instance parameters a sub-circuit does not declare, a simple diode's
// default ROFF, .ic without '=', a capacitor's part description.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <complex>
#include <string>

#include "test_kernel_support.cpp"

namespace simcore::testing {
namespace {

// (event mode needs piecewise-linear elements: auto falls back to SPICE mode)
const char* const kModes[] = {"spice", "auto"};

// Current into n1 of switch s1 (n1 = a, n2 = ground) with v(a) = va and control vc.
double switchCurrent(const std::string& model, double va, double vc) {
  const std::string net = "t\nva a 0 " + std::to_string(va) + "\nvc c 0 " + std::to_string(vc) +
                          "\ns1 a 0 c 0 m\n.model m sw(" + model + ")\n.op\n.end\n";
  const auto r = runOk(net);
  return -r.get(AnalysisType::Op).col("i(va)")[0];
}

// LTspice's smooth conductance, written from its definition: ln g goes from
// ln goff at VT-|VH| to ln gon at VT+|VH| as 3u^2 - 2u^3.
double smoothG(double ron, double roff, double vt, double vh, double x) {
  const double u = std::clamp((x - (vt - std::fabs(vh))) / (2 * std::fabs(vh)), 0.0, 1.0);
  return std::exp(std::log(1 / roff) + std::log(roff / ron) * u * u * (3 - 2 * u));
}

TEST(LtspiceSwitch, NegativeVhIsASmoothTransition) {
  const std::string m = "vt=0.5 vh=-0.5 ron=2 roff=2meg noiseless";
  for (double x : {-0.3, 0.0, 0.1, 0.25, 0.5, 0.8, 1.0, 1.4}) {
    const double expect = smoothG(2, 2e6, 0.5, -0.5, x);
    EXPECT_NEAR(switchCurrent(m, 1.0, x), expect, 1e-9 * expect) << "control " << x;
  }
  // the middle of the range is the geometric mean; the ends are ROFF and RON
  EXPECT_NEAR(switchCurrent(m, 1.0, 0.5), 1 / std::sqrt(2 * 2e6), 1e-12);
  EXPECT_NEAR(switchCurrent(m, 1.0, 0.0), 1 / 2e6, 1e-15);
  EXPECT_NEAR(switchCurrent(m, 1.0, 1.0), 0.5, 1e-12);
}

TEST(LtspiceSwitch, NgspiceModelKeepsNegativeHysteresis) {
  // control 0 is on the lower edge of the band [0, 1]: ngspice's SW (no
  // LTspice parameter on the card) enters the band from "off" and flips on;
  // LTspice's is off there
  EXPECT_NEAR(switchCurrent("vt=0.5 vh=-0.5 ron=2 roff=2meg", 1.0, 0.0), 0.5, 1e-9);
  EXPECT_NEAR(switchCurrent("vt=0.5 vh=-0.5 ron=2 roff=2meg ilimit=10", 1.0, 0.0), 1 / 2e6, 1e-15);
}

TEST(LtspiceSwitch, SeriesVoltageInEitherDirection) {
  const std::string m = "vt=0.5 vh=-0.5 ron=5 roff=1meg vser=1.2";
  const double gon = 0.2, goff = 1e-6;
  EXPECT_NEAR(switchCurrent(m, 3.0, 1.0), goff * 3 + (gon - goff) * 1.8, 1e-9);
  EXPECT_NEAR(switchCurrent(m, -3.0, 1.0), -(goff * 3 + (gon - goff) * 1.8), 1e-9);
  // inside the drop only ROFF conducts
  EXPECT_NEAR(switchCurrent(m, 0.7, 1.0), goff * 0.7, 1e-12);
  // off: ROFF, the drop makes no difference
  EXPECT_NEAR(switchCurrent(m, 3.0, 0.0), goff * 3, 1e-12);
}

TEST(LtspiceSwitch, CurrentLimit) {
  const std::string m = "vt=0.5 vh=-0.5 ron=1 roff=1meg ilimit=0.25";
  EXPECT_NEAR(switchCurrent(m, 5.0, 1.0), 5e-6 + 0.25, 1e-9);
  EXPECT_NEAR(switchCurrent(m, -5.0, 1.0), -(5e-6 + 0.25), 1e-9);
  // below the limit: RON (|on part| = 0.2 A < 0.25 A)
  EXPECT_NEAR(switchCurrent(m, 0.2, 1.0), 0.2e-6 + (1 - 1e-6) * 0.2, 1e-9);
  // with a positive VH (a held state) the limit applies too
  EXPECT_NEAR(switchCurrent("vt=0.5 vh=0.1 ron=1 roff=1meg ilimit=0.25", 5.0, 1.0), 5e-6 + 0.25, 1e-9);
  EXPECT_NEAR(switchCurrent("vt=0.5 vh=0.1 ron=1 roff=1meg ilimit=0.25", 5.0, 0.0), 5e-6, 1e-12);
}

TEST(LtspiceSwitch, AcSeesConductanceAndControlTransconductance) {
  // in the transition with 1 V across: i = g(x) v, so di/dv = g, di/dx = g' v
  const double ron = 2, roff = 2e6, x = 0.3, h = 1e-6;
  const std::string net = "t\nva a 0 1 ac 1\nvc c 0 0.3 ac 0\nvb b 0 0\ns1 a b c 0 m\n"
                          ".model m sw(vt=0.5 vh=-0.5 ron=2 roff=2meg noiseless)\n.ac lin 1 1k 1k\n.end\n";
  const auto r = runOk(net);
  const auto& ac = r.get(AnalysisType::Ac);
  EXPECT_NEAR(std::abs(ac.phasor("i(vb)", 0)), smoothG(ron, roff, 0.5, -0.5, x), 1e-9);
  const std::string net2 = "t\nva a 0 1 ac 0\nvc c 0 0.3 ac 1\nvb b 0 0\ns1 a b c 0 m\n"
                           ".model m sw(vt=0.5 vh=-0.5 ron=2 roff=2meg noiseless)\n.ac lin 1 1k 1k\n.end\n";
  const auto r2 = runOk(net2);
  const double dg = (smoothG(ron, roff, 0.5, -0.5, x + h) - smoothG(ron, roff, 0.5, -0.5, x - h)) / (2 * h);
  EXPECT_NEAR(std::abs(r2.get(AnalysisType::Ac).phasor("i(vb)", 0)), dg, 1e-6 * dg);
}

TEST(LtspiceSwitch, PushPullStageChargesAtTheLimit) {
  // a gate driver's output stage (IR2110's form): the high side from vb with a
  // 1.2 V drop, the low side to ground, both limited to 0.1 A, into 1 nF
  for (const char* mode : kModes) {
    const std::string net = std::string(R"(t
vb vb 0 10
vc c 0 pwl(0 0 100n 0 101n 1)
vn n 0 pwl(0 1 100n 1 101n 0)
sh vb ho c 0 sh
sl ho 0 n 0 sl
cl ho 0 1n
.model sh sw(vt=0.5 vh=-0.5 ron=1 ilimit=0.1 vser=1.2)
.model sl sw(vt=0.5 vh=-0.5 ron=1 ilimit=0.1)
.tran 1n 400n
.options switching=)") + mode + "\n.end\n";
    const auto r = runOk(net);
    const auto& tr = r.get(AnalysisType::Tran);
    const auto& v = tr.col("v(ho)");
    // the slope while limited: 0.1 A / 1 nF = 0.1 V/ns
    const double t2 = firstRowWhere(tr, "v(ho)", [](double y) { return y >= 2.0; });
    const double t6 = firstRowWhere(tr, "v(ho)", [](double y) { return y >= 6.0; });
    EXPECT_NEAR(t6 - t2, 40e-9, 1.5e-9) << mode;
    // it settles 1.2 V below vb (the drop), the off switch's 1/gmin aside
    EXPECT_NEAR(v.back(), 8.8, 1e-3) << mode;
  }
}

TEST(LtspiceSwitch, SeriesInductance) {
  // on (RON 1) in series with LSER 1 mH and 9 ohm: the current after a 1 V
  // step rises with L/R = 100 us
  const std::string net = "t\nva a 0 pulse(0 1 10u 1n)\nvc c 0 1\ns1 a b c 0 m\nr1 b 0 9\n"
                          ".model m sw(vt=0.5 vh=-0.5 ron=1 roff=1meg lser=1m)\n.tran 1u 300u 0 1u\n.end\n";
  const auto r = runOk(net);
  const auto& tr = r.get(AnalysisType::Tran);
  const auto& i = tr.col("i(va)");
  for (std::size_t k = 0; k < tr.x.size(); ++k)
    if (std::fabs(tr.x[k] - 110e-6) < 1e-12 || std::fabs(tr.x[k] - 210e-6) < 1e-12) {
      const double t = tr.x[k] - 10e-6 - 1e-9;
      EXPECT_NEAR(-i[k], 0.1 * (1 - std::exp(-t / 100e-6)), 5e-4) << tr.x[k];
    }
  EXPECT_NEAR(-i.back(), 0.1 * (1 - std::exp(-(290e-6 - 1e-9) / 100e-6)), 5e-4);
}

TEST(LtspiceSwitch, ReaderErrors) {
  const std::string head = "t\nva a 0 1\nvc c 0 1\ns1 a 0 c 0 m\n";
  auto err = [&](const std::string& model) { return runErr(head + ".model m sw(" + model + ")\n.op\n.end\n"); };
  auto e = err("vt=0.5 level=3");
  EXPECT_NE(e.message.find("LEVEL=3 is not one of LTspice's"), std::string::npos) << e.message;
  e = err("vt=0.5 vh=0 level=2");
  EXPECT_NE(e.message.find("needs VH != 0"), std::string::npos) << e.message;
  e = err("vt=0.5 ilimit=0");
  EXPECT_NE(e.message.find("ILIMIT must be positive"), std::string::npos) << e.message;
  e = err("vt=0.5 vser=-1");
  EXPECT_NE(e.message.find("VSER must not be negative"), std::string::npos) << e.message;
}

TEST(LtspiceVendor, UndeclaredInstanceParameterIsDefinedInside) {
  // LTspice's X rule: top and bot are not declared by the sub-circuit
  const std::string net = "t\n.subckt div a b c\nr1 a b {top}\nr2 b c {bot}\n.ends\n"
                          "x1 in out 0 div top=9k bot=1k\nv1 in 0 1\n.op\n.end\n";
  const auto r = runOk(net);
  EXPECT_NEAR(r.get(AnalysisType::Op).col("v(out)")[0], 0.1, 1e-12);
  bool warned = false;
  for (const auto& w : r.warnings) warned = warned || w.message.find("declares no parameter 'top'") != std::string::npos;
  EXPECT_TRUE(warned);
  // also when the sub-circuit declares others (a default naming it)
  const std::string net2 = "t\n.subckt cell a vcc1={vcc}\nr1 a 0 {vcc1}\n.ends\nx1 a cell vcc=5\ni1 0 a 1\n.op\n.end\n";
  EXPECT_NEAR(runOk(net2).get(AnalysisType::Op).col("v(a)")[0], 5.0, 1e-9);
  // a name the body never uses is dropped, as ngspice 39 drops it, with a warning (an error when
  // the sub-circuit declares no parameters: ngspice's "Mismatch")
  const auto dropped = runOk("t\n.subckt load a r=1k\nr1 a 0 {r}\n.ends\nv1 n 0 1\nx1 n load rr=2k\n.op\n.end\n");
  EXPECT_NEAR(dropped.get(AnalysisType::Op).col("i(v1)")[0], -1e-3, 1e-12);
  bool said = false;
  for (const auto& w : dropped.warnings) said = said || w.message.find("'rr=' ignored") != std::string::npos;
  EXPECT_TRUE(said);
  const auto e = runErr("t\n.subckt load a\nr1 a 0 1k\n.ends\nv1 n 0 1\nx1 n load rr=2k\n.op\n.end\n");
  EXPECT_NE(e.message.find("has no parameter 'rr'"), std::string::npos) << e.message;
  EXPECT_EQ(e.loc.line, 6u);
}

TEST(LtspiceVendor, SimpleDiodeDefaultRoffIsOneOverGmin) {
  const auto r = runOk("t\nv1 a 0 -5\nd1 a 0 dd\n.model dd d(ron=0.5 vfwd=0.5)\n.op\n.end\n");
  EXPECT_NEAR(r.get(AnalysisType::Op).col("i(v1)")[0], 5e-12, 1e-15);
  // given, it is used
  const auto r2 = runOk("t\nv1 a 0 -5\nd1 a 0 dd\n.model dd d(ron=0.5 vfwd=0.5 roff=1k)\n.op\n.end\n");
  EXPECT_NEAR(r2.get(AnalysisType::Op).col("i(v1)")[0], 5e-3, 1e-12);
}

TEST(LtspiceVendor, InitialConditionWithoutEquals) {
  const auto r = runOk("t\nr1 a 0 1k\nc1 a 0 1u\n.ic v(a) 2\n.tran 1u 10u uic\n.end\n");
  EXPECT_NEAR(r.get(AnalysisType::Tran).col("v(a)")[0], 2.0, 1e-4);  // (the first row after 0 on a 1 ms RC)
  const auto e = runErr("t\nr1 a 0 1k\nc1 a 0 1u\n.ic v(a)\n.tran 1u 10u uic\n.end\n");
  EXPECT_NE(e.message.find("expected v(NODE)=VALUE in .ic"), std::string::npos) << e.message;
}

TEST(LtspiceVendor, CapacitorPartDescriptionIsDropped) {
  const auto r = runOk("t\nr1 a b 1k\nv1 a 0 1\nc1 b 0 1u V=25 Irms=160m Rser=1 Lser=0 mfg=\"KEMET\" pn=\"C1812\" "
                       "type=\"X7R\"\n.tran 10u 1m uic\n.end\n");
  const auto& tr = r.get(AnalysisType::Tran);
  // the RC charge through 1k + 1 (Rser) seen at b, above Rser: at t = 1 ms,
  // 1 - exp(-1000/1001) (1000/1001)
  double t1 = NAN;
  for (std::size_t k = 0; k < tr.x.size(); ++k)
    if (std::fabs(tr.x[k] - 1e-3) < 1e-12) t1 = tr.col("v(b)")[k];
  EXPECT_NEAR(t1, 1 - std::exp(-1000.0 / 1001.0) * 1000.0 / 1001.0, 2e-3);
}

// A resistor's part description (tol=1% pwr=0.1) is dropped as a capacitor's; `noiseless` on a C or
// L card (ADI's models: `C11 3 1 .7p Rpar=40T noiseless`) makes its parasitic resistors noiseless
TEST(LtspiceVendor, ResistorPartDescriptionAndNoiselessParasitics) {
  auto total = [](const std::string& load) {
    const auto r = runOk("t\nV1 in 0 DC 0 AC 1\nR1 in out 1k tol=1% pwr=0.1\n" + load +
                         "\n.noise v(out) V1 dec 1 1k 1k\n.end\n");  // (one frequency: no totals)
    return r.get(AnalysisType::Noise).col("onoise_spectrum")[0];
  };
  const double noiseless = total("C1 out 0 1p Rpar=1k noiseless");
  const double noisy = total("C1 out 0 1p Rpar=1k");
  const double separate = total("C1 out 0 1p\nR2 out 0 1k noisy=0");
  EXPECT_NEAR(noiseless, separate, 1e-6 * separate);
  EXPECT_NEAR(noisy / noiseless, std::sqrt(2.0), 1e-3);  // two equal resistors' noise, not one
  const auto r = runOk("t\nV1 a 0 1\nR1 a b 10k tol=1% pwr=0.1 mfg=\"Vishay\"\nC2 b 0 1n noiseless\n.op\n.end\n");
  EXPECT_NEAR(r.get(AnalysisType::Op).col("v(b)")[0], 1.0, 1e-9);
}

}  // namespace
}  // namespace simcore::testing

namespace simcore::testing {
namespace {

TEST(LtspiceVendor, VoltageSourceSeriesResistance) {
  // V ... Rser=: the source behind its series resistance (LM2596's error amplifier)
  const auto r = runOk("t\nv1 a 0 pulse(0 2 0 1n 1n 1 2) Rser=100\nr1 a 0 300\n.op\n.end\n");
  EXPECT_NEAR(r.get(AnalysisType::Op).col("v(a)")[0], 0.0, 1e-12);
  const auto r2 = runOk("t\nv1 a 0 2 Rser=100\nr1 a 0 300\n.op\n.end\n");
  EXPECT_NEAR(r2.get(AnalysisType::Op).col("v(a)")[0], 1.5, 1e-9);
  EXPECT_NEAR(r2.get(AnalysisType::Op).col("i(v1)")[0], -5e-3, 1e-12);
}

TEST(LtspiceVendor, BehaviouralSourceInitialValueIgnored) {
  const auto r = runOk("t\nv1 a 0 2\nb1 b 0 V=v(a)*3 ic=0\nr1 b 0 1k\n.op\n.end\n");
  EXPECT_NEAR(r.get(AnalysisType::Op).col("v(b)")[0], 6.0, 1e-9);
}

TEST(LtspiceVendor, NoiselessResistorAndDiodeModel) {
  // R ... noiseless (its .noise: test_small_signal.cpp Noise.QuietResistorAndFlickerNoise)
  EXPECT_NEAR(runOk("t\nv1 a 0 1\nr1 a b 1k noiseless\nr2 b 0 1k\n.op\n.end\n").get(AnalysisType::Op).col("v(b)")[0], 0.5,
              1e-12);
  // a diode model's bare NOISELESS (LTspice) is accepted: a simple diode's and a junction diode's
  const auto d = runOk("t\nv1 a 0 1\nr1 a b 1k\nd1 b 0 ds\nd2 b 0 dj\n.model ds d(ron=1 vfwd=0.5 noiseless)\n"
                       ".model dj d is=1e-14 noiseless\n.op\n.end\n");
  EXPECT_GT(d.get(AnalysisType::Op).col("v(b)")[0], 0.4);
  // a bare word a resistor does not have: located
  const auto e = runErr("t\nv1 a 0 1\nr1 a 0 1k quiet\n.op\n.end\n");
  EXPECT_NE(e.message.find("quiet"), std::string::npos) << e.message;
  EXPECT_EQ(e.loc.line, 3u);
}

TEST(LtspiceVendor, ControlledSourceTable) {
  // G n+ n- nc+ nc- table(x1 y1 ...): linear between the points, constant beyond
  // (LTspice's universal op-amps' slew limiters); E too
  const std::string net = R"(t
vc c 0 0
g1 0 o c 0 table(0 0 10 1m)
r1 o 0 1k
e1 p 0 c 0 table(-1 -2 1 2 2 2.5)
.dc vc -2 12 1
.end
)";
  const auto r = runOk(net);
  const auto& dc = r.get(AnalysisType::Dc);
  for (std::size_t k = 0; k < dc.x.size(); ++k) {
    const double x = dc.x[k];
    const double g = x <= 0 ? 0 : x >= 10 ? 1e-3 : 1e-4 * x;
    EXPECT_NEAR(dc.col("v(o)")[k], 1e3 * g, 1e-9) << x;
    const double e = x <= -1 ? -2 : x <= 1 ? 2 * x : x <= 2 ? 2 + 0.5 * (x - 1) : 2.5;
    EXPECT_NEAR(dc.col("v(p)")[k], e, 1e-9) << x;
  }
  // an odd count, located
  const auto e = runErr("t\nvc c 0 0\ng1 0 o c 0 table(0 0 10)\nr1 o 0 1k\n.op\n.end\n");
  EXPECT_NE(e.message.find("x y pairs"), std::string::npos) << e.message;
  EXPECT_EQ(e.loc.line, 3u);
}

}  // namespace
}  // namespace simcore::testing

namespace simcore::testing {
namespace {

// LTspice's level 2 switch: g(x) = exp(A atan((x - VT)/|VH|) + B) between ROFF and RON
// (their geometric mean at VT), the conduction above ROFF limited by ILIMIT tanh,
// VSER's corners rounded over EPSILON, ONEWAY conducting only forwards.
TEST(LtspiceSwitch, LevelTwoLaw) {
  // current from va (1 V) through the switch to ground at control x
  auto current = [](double x, const std::string& extra, double va = 1.0) {
    return switchCurrent("level=2 vt=0.5 vh=-0.1 ron=2 roff=1meg " + extra, va, x);
  };
  const double A = std::log(1e6 / 2) / std::numbers::pi, B = -0.5 * std::log(1e6 * 2);
  for (double x : {-3.0, 0.3, 0.45, 0.5, 0.55, 0.8, 4.0}) {
    const double g = std::exp(A * std::atan((x - 0.5) / 0.1) + B);
    EXPECT_NEAR(current(x, ""), g, 1e-9 * g) << x;
  }
  EXPECT_NEAR(current(0.5, ""), 1 / std::sqrt(2e6), 1e-12);  // the geometric mean at VT
  // ILIMIT: ilimit tanh((g - goff) v / ilimit) + goff v, approaching the limit gradually
  const double gon = std::exp(A * std::atan(10.0 / 0.1) + B);
  for (double va : {0.001, 0.05, 0.2, 5.0}) {
    const double want = 0.1 * std::tanh((gon - 1e-6) * va / 0.1) + 1e-6 * va;
    EXPECT_NEAR(current(10.5, "ilimit=0.1", va), want, 1e-9) << va;
  }
  // VSER with EPSILON: no conduction above ROFF below VSER, a parabola over EPSILON, then v - VSER - EPSILON/2
  EXPECT_NEAR(current(10.5, "vser=0.5 epsilon=0.2", 0.4), 1e-6 * 0.4, 1e-12);
  EXPECT_NEAR(current(10.5, "vser=0.5 epsilon=0.2", 0.6), 1e-6 * 0.6 + (gon - 1e-6) * 0.5 * 0.01 / 0.2, 1e-9);
  EXPECT_NEAR(current(10.5, "vser=0.5 epsilon=0.2", 1.0), 1e-6 * 1.0 + (gon - 1e-6) * (0.5 - 0.1), 1e-9);
  // ONEWAY: backwards only ROFF
  EXPECT_NEAR(current(10.5, "oneway", -1.0), -1e-6, 1e-12);
  EXPECT_NEAR(current(10.5, "", -1.0), -gon, 1e-9 * gon);
}

}  // namespace
}  // namespace simcore::testing
