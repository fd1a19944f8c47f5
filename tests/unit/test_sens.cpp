// .sens: DC sensitivities of a divider against the closed form, of diode,
// BJT and MOSFET bias circuits against finite differences of two full
// operating points, AC sensitivities of an RC low-pass against the closed
// form and of a diode-loaded stage against two full .ac runs; the parameter
// list and names (ngspice's); located errors for a bad output or sweep.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <string>
#include <vector>

#include "plot_sink.hpp"
#include "simcore/simulate.hpp"

namespace simcore {
namespace {

using testutil::Plot;
using Sink = testutil::PlotSink;

Sink run(const std::string& netlist) { return testutil::runPlots(netlist); }
Error failure(const std::string& netlist) { return testutil::runFailure(netlist); }

// Replaces every "{P}" in text by v.
std::string with(std::string text, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  for (std::size_t at; (at = text.find("{P}")) != std::string::npos;) text.replace(at, 3, buf);
  return text;
}

// The operating-point value of `signal` for a netlist template at P = v.
double opValue(const std::string& tmpl, double v, const std::string& signal) {
  Sink s = run(with(tmpl, v) + ".op\n.end\n");
  const Plot& op = s.get(AnalysisType::Op);
  for (std::size_t k = 0; k < op.header.signals.size(); ++k)
    if (op.header.signals[k].name == signal) return op.re[k].at(0);
  ADD_FAILURE() << "no signal " << signal;
  return NAN;
}

// d signal / dP by a central difference of two full operating points.
double fdOp(const std::string& tmpl, double p, const std::string& signal, double rel = 1e-4) {
  const double h = std::fabs(p) * rel;
  return (opValue(tmpl, p + h, signal) - opValue(tmpl, p - h, signal)) / (2 * h);
}

// .sens of the template at P = p for `out`, the sensitivity named `name`.
double sensValue(const std::string& tmpl, double p, const std::string& out, const std::string& name) {
  Sink s = run(with(tmpl, p) + ".sens " + out + "\n.end\n");
  return s.get(AnalysisType::Sens).at(name).real();
}

TEST(Sens, DividerMatchesTheClosedForm) {
  // v(out) = V R2 / (R1 + R2) + I R1 R2 / (R1 + R2)
  Sink s = run("divider\nv1 in 0 dc 10\nr1 in out 1k\nr2 out 0 2k\ni1 0 out 1m\n.sens v(out)\n.end\n");
  const Plot& p = s.get(AnalysisType::Sens);
  EXPECT_TRUE(p.x.empty());
  EXPECT_FALSE(p.header.complex);
  const double V = 10, I = 1e-3, R1 = 1e3, R2 = 2e3, S = R1 + R2;
  const double dR1 = -V * R2 / (S * S) + I * R2 * R2 / (S * S);
  const double dR2 = V * R1 / (S * S) + I * R1 * R1 / (S * S);
  EXPECT_NEAR(p.at("r1").real(), dR1, 1e-5 * std::fabs(dR1));
  EXPECT_NEAR(p.at("r2").real(), dR2, 1e-5 * std::fabs(dR2));
  EXPECT_NEAR(p.at("v1").real(), R2 / S, 1e-9);
  EXPECT_NEAR(p.at("i1").real(), R1 * R2 / S, 1e-6);
  // m divides the resistance, scale multiplies it; an I source's m scales its value
  EXPECT_NEAR(p.at("r1_m").real(), -R1 * dR1, 1e-5 * std::fabs(R1 * dR1));
  EXPECT_NEAR(p.at("r1_scale").real(), R1 * dR1, 1e-5 * std::fabs(R1 * dR1));
  EXPECT_NEAR(p.at("i1_m").real(), I * R1 * R2 / S, 1e-8);
  // names sorted as ngspice's plot; no parameter without a value (r1_l, r1:rsh)
  for (std::size_t k = 1; k < p.header.signals.size(); ++k)
    EXPECT_LT(p.header.signals[k - 1].name, p.header.signals[k].name);
  EXPECT_FALSE(p.has("r1_l"));
  EXPECT_FALSE(p.has("r1_ac"));  // AC only
}

TEST(Sens, OutputsVoltageDifferenceAndSourceCurrent) {
  const std::string c = "d\nv1 in 0 dc 10\nr1 in a 1k\nr2 a b 2k\nr3 b 0 3k\n";
  Sink d = run(c + ".sens v(a,b)\n.end\n");
  // v(a,b) = 10 * 2k / 6k
  EXPECT_NEAR(d.get(AnalysisType::Sens).at("v1").real(), 2.0 / 6.0, 1e-9);
  Sink i = run(c + ".sens i(v1)\n.end\n");
  // i(v1) = -10 / (R1 + R2 + R3): d/d r3 = 10 / 6k^2
  EXPECT_NEAR(i.get(AnalysisType::Sens).at("r3").real(), 10.0 / 36e6, 1e-12);
  EXPECT_NEAR(i.get(AnalysisType::Sens).at("v1").real(), -1.0 / 6e3, 1e-12);
}

TEST(Sens, DiodeBiasMatchesTwoOperatingPoints) {
  const std::string t = "diode\nv1 in 0 5\nr1 in a 2k\nd1 a 0 dm\nr2 a 0 10k\n.model dm d(is={P} n=1.2 rs=5)\n";
  const double is = 1e-14;
  for (const char* name : {"d1:is"}) {
    const double got = sensValue(t, is, "v(a)", name), want = fdOp(t, is, "v(a)");
    EXPECT_NEAR(got, want, 1e-3 * std::fabs(want)) << name;
  }
  // m (which ngspice 39 reports as 0 too)
  const std::string m = "diode\nv1 in 0 5\nr1 in a 2k\nd1 a 0 dm area=2 m={P}\nr2 a 0 10k\n.model dm d(is=1e-14 n=1.2)\n";
  EXPECT_NEAR(sensValue(m, 1, "v(a)", "d1_m"), fdOp(m, 1, "v(a)"), 1e-3 * std::fabs(fdOp(m, 1, "v(a)")));
  // rs (which ngspice 39 reports as 0: its diode keeps the conductance of the set-up)
  const std::string r = "diode\nv1 in 0 5\nr1 in a 2k\nd1 a 0 dm\nr2 a 0 10k\n.model dm d(is=1e-14 n=1.2 rs={P})\n";
  const double got = sensValue(r, 5, "v(a)", "d1:rs"), want = fdOp(r, 5, "v(a)");
  EXPECT_GT(std::fabs(want), 1e-4);
  EXPECT_NEAR(got, want, 1e-3 * std::fabs(want));
  // a parameter the model uses only when given (ISR) is not perturbed from its default
  Sink s = run("diode\nv1 in 0 5\nr1 in a 2k\nd1 a 0 dm\n.model dm d(is=1e-14)\n.sens v(a)\n.end\n");
  EXPECT_FALSE(s.get(AnalysisType::Sens).has("d1:isr"));
  EXPECT_TRUE(s.get(AnalysisType::Sens).has("d1:n"));
}

TEST(Sens, BjtBiasMatchesTwoOperatingPoints) {
  const std::string base = "bjt\nvcc vcc 0 12\nr1 vcc b 47k\nr2 b 0 10k\nrc vcc c 4.7k\nre e 0 1k\nq1 c b e qn\n";
  struct Case {
    const char* name;
    std::string tmpl;
    double p;
  };
  const Case cases[] = {
      {"q1:bf", base + ".model qn npn(is=1e-15 bf={P} vaf=80)\n", 120},
      {"q1:is", base + ".model qn npn(is={P} bf=120 vaf=80)\n", 1e-15},
      {"q1:vaf", base + ".model qn npn(is=1e-15 bf=120 vaf={P})\n", 80},
      {"rc", "bjt\nvcc vcc 0 12\nr1 vcc b 47k\nr2 b 0 10k\nrc vcc c {P}\nre e 0 1k\nq1 c b e qn\n"
             ".model qn npn(is=1e-15 bf=120 vaf=80)\n", 4.7e3},
      {"vcc", "bjt\nvcc vcc 0 {P}\nr1 vcc b 47k\nr2 b 0 10k\nrc vcc c 4.7k\nre e 0 1k\nq1 c b e qn\n"
              ".model qn npn(is=1e-15 bf=120 vaf=80)\n", 12},
  };
  for (const Case& c : cases) {
    const double got = sensValue(c.tmpl, c.p, "v(c)", c.name), want = fdOp(c.tmpl, c.p, "v(c)");
    EXPECT_NEAR(got, want, 2e-3 * std::fabs(want) + 1e-12) << c.name;
  }
}

TEST(Sens, MosfetStageMatchesTwoOperatingPoints) {
  const std::string head = "mos\nvdd vdd 0 5\nvg g 0 1.5\nrd vdd d 10k\nrs s 0 1k\n";
  struct Case {
    const char* name;
    std::string tmpl;
    double p;
  };
  const Case cases[] = {
      {"m1:kp", head + "m1 d g s 0 nm w=10u l=2u\n.model nm nmos(level=1 vto=0.7 kp={P} lambda=0.02 gamma=0.4 phi=0.65)\n", 50e-6},
      {"m1:vto", head + "m1 d g s 0 nm w=10u l=2u\n.model nm nmos(level=1 vto={P} kp=50u lambda=0.02 gamma=0.4 phi=0.65)\n", 0.7},
      {"m1:gamma", head + "m1 d g s 0 nm w=10u l=2u\n.model nm nmos(level=1 vto=0.7 kp=50u lambda=0.02 gamma={P} phi=0.65)\n", 0.4},
      {"m1_w", head + "m1 d g s 0 nm w={P} l=2u\n.model nm nmos(level=1 vto=0.7 kp=50u lambda=0.02 gamma=0.4 phi=0.65)\n", 10e-6},
  };
  for (const Case& c : cases) {
    const double got = sensValue(c.tmpl, c.p, "v(d)", c.name), want = fdOp(c.tmpl, c.p, "v(d)");
    EXPECT_NEAR(got, want, 2e-3 * std::fabs(want) + 1e-12) << c.name;
  }
  // the junctions' IS: its currents (1e-14 A) are lost in the rounding of the
  // channel current at the same node for ngspice's dp (1e-6 IS): central
  // differences with a larger dp; the junction currents are linear in IS, so
  // two operating points far apart give the slope
  const std::string is = head + "m1 d g s 0 nm w=10u l=2u\n.model nm nmos(level=1 vto=0.7 kp=50u lambda=0.02 gamma=0.4 "
                                "phi=0.65 is={P})\n.options reltol=1e-10 vntol=1e-13 abstol=1e-20\n";
  const double want = (opValue(is, 1e-9, "v(d)") - opValue(is, 1e-14, "v(d)")) / (1e-9 - 1e-14);
  EXPECT_NEAR(sensValue(is, 1e-14, "v(d)", "m1:is"), want, 1e-2 * std::fabs(want));
}

TEST(Sens, AcRcLowPassMatchesTheClosedForm) {
  Sink s = run("rc\nv1 in 0 dc 0 ac 1\nr1 in out 1k\nc1 out 0 1u\n.sens v(out) ac dec 2 100 10k\n.end\n");
  const Plot& p = s.get(AnalysisType::Sens);
  ASSERT_TRUE(p.header.complex);
  ASSERT_EQ(p.x.size(), 5u);  // ngspice: floor(2 * 2 + 1.01) points from 100 Hz by 10^(1/2)
  const double R = 1e3, C = 1e-6;
  for (std::size_t k = 0; k < p.x.size(); ++k) {
    EXPECT_NEAR(p.x[k], 100 * std::pow(10.0, 0.5 * double(k)), 1e-9 * p.x[k]);
    const std::complex<double> jw(0, 2 * std::numbers::pi * p.x[k]), d = 1.0 + jw * R * C;
    const std::complex<double> dR = -jw * C / (d * d), dC = -jw * R / (d * d), dMag = 1.0 / d;
    EXPECT_LT(std::abs(p.at("r1", k) - dR), 1e-5 * std::abs(dR)) << p.x[k];
    EXPECT_LT(std::abs(p.at("c1", k) - dC), 1e-5 * std::abs(dC)) << p.x[k];
    EXPECT_LT(std::abs(p.at("v1_acmag", k) - dMag), 1e-5 * std::abs(dMag)) << p.x[k];
    EXPECT_LT(std::abs(p.at("v1", k)), 1e-9);  // the DC value does not move a linear circuit's response
  }
  // R's ac= defaults to its resistance: perturbing it moves the AC response as r1 does
  ASSERT_TRUE(p.has("r1_ac"));
  EXPECT_LT(std::abs(p.at("r1_ac", 2) - p.at("r1", 2)), 1e-6 * std::abs(p.at("r1", 2)));
}

TEST(Sens, AcCurrentSourceMultiplierScalesItsExcitation) {
  // ngspice's tests/regression/sens/sens-ac-1.cir: i1_m = acmag * d v(1) / d acmag
  Sink s = run("rc\ni1 0 1 dc=1.27 ac=42mA\nr1 1 0 1k\nc1 1 0 100p\n.sens v(1) ac lin 1 1e6 1.1e6\n.end\n");
  const Plot& p = s.get(AnalysisType::Sens);
  const std::complex<double> jw(0, 2 * std::numbers::pi * 1e6), z = 1.0 / (jw * 100e-12 + 1e-3);
  EXPECT_LT(std::abs(p.at("i1_acmag", 0) - z), 1e-5 * std::abs(z));
  EXPECT_LT(std::abs(p.at("i1_m", 0) - 0.042 * z), 1e-5 * std::abs(0.042 * z));
}

TEST(Sens, AcLinearSweepHasNgspicePoints) {
  Sink s = run("rc\nv1 in 0 ac 1\nr1 in out 1k\nc1 out 0 1u\n.sens v(out) ac lin 4 100 500\n.end\n");
  const Plot& p = s.get(AnalysisType::Sens);
  ASSERT_EQ(p.x.size(), 4u);  // FSTART + k (FSTOP - FSTART) / N, k < N
  EXPECT_DOUBLE_EQ(p.x[3], 400.0);
}

TEST(Sens, AcOfADiodeStageIncludesTheOperatingPointShift) {
  // a diode biased by i1 and driven through r1: its small-signal conductance,
  // hence v(a), depends on i1 only through the operating point; d v(a) / d i1
  // at 1 kHz against two full .ac runs (tight tolerances: the difference of
  // two operating points)
  const std::string t = "d\ni1 0 a dc {P}\nv1 in 0 dc 0 ac 1\nr1 in a 1k\nd1 a 0 dm\nc1 a 0 10n\n"
                        ".model dm d(is=1e-14)\n.options reltol=1e-9 vntol=1e-12 abstol=1e-18\n";
  const double i = 1e-3, h = i * 1e-3;
  auto acAt = [&](double v) {
    Sink s = run(with(t, v) + ".ac lin 1 1k 1k\n.end\n");
    const Plot& p = s.get(AnalysisType::Ac);
    for (std::size_t k = 0; k < p.header.signals.size(); ++k)
      if (p.header.signals[k].name == "v(a)") return std::complex<double>(p.re[k][0], p.im[k][0]);
    return std::complex<double>(NAN);
  };
  const std::complex<double> want = (acAt(i + h) - acAt(i - h)) / (2 * h);
  ASSERT_GT(std::abs(want), 1.0);  // 1/gd^2 dgd/dI: about 1 V/A per A here
  Sink s = run(with(t, i) + ".sens v(a) ac lin 1 1k 2k\n.end\n");
  const std::complex<double> got = s.get(AnalysisType::Sens).at("i1", 0);
  EXPECT_LT(std::abs(got - want), 1e-3 * std::abs(want)) << got << " vs " << want;
}

TEST(Sens, ControlCommandRunsIt) {
  Sink s = run("c\nv1 in 0 dc 10\nr1 in out 1k\nr2 out 0 2k\n.control\nsens v(out)\n.endc\n.end\n");
  EXPECT_NEAR(s.get(AnalysisType::Sens).at("v1").real(), 2.0 / 3.0, 1e-9);
}

TEST(Sens, BadOutputsAndSweepsAreLocated) {
  const std::string c = "c\nv1 in 0 dc 10\nr1 in out 1k\nr2 out 0 2k\n";
  Error e = failure(c + ".sens v(nowhere)\n.end\n");
  EXPECT_NE(e.message.find("nowhere"), std::string::npos) << e.message;
  EXPECT_EQ(e.loc.line, 5);
  e = failure(c + ".sens i(r1)\n.end\n");
  EXPECT_NE(e.message.find("voltage source"), std::string::npos) << e.message;
  EXPECT_EQ(e.loc.line, 5);
  e = failure(c + ".sens i(vx)\n.end\n");
  EXPECT_EQ(e.loc.line, 5);
  e = failure(c + ".sens v(out) ac dec 10 0 1k\n.end\n");
  EXPECT_NE(e.message.find("FSTART"), std::string::npos) << e.message;
  EXPECT_EQ(e.loc.line, 5);
  EXPECT_GT(e.loc.col, 1);
  e = failure(c + ".sens v(out) ac dec 10 1k\n.end\n");
  EXPECT_EQ(e.loc.line, 5);
  e = failure(c + ".sens v(out) tran\n.end\n");
  EXPECT_EQ(e.loc.line, 5);
}

}  // namespace
}  // namespace simcore
