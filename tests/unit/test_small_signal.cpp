// .noise and .tf against closed forms: the thermal noise of an RC low-pass
// (its spectrum and its integral over a band), the shot noise of a diode, the
// transfer function and resistances of resistive dividers.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <numbers>
#include <string>
#include <vector>

#include "netlist_test_util.hpp"
#include "simcore/simulate.hpp"

namespace simcore {
namespace {

constexpr double kBoltz = 1.38064852e-23, kQ = 1.6021766208e-19, kT = 300.15;

struct Collected {
  AnalysisHeader header;
  std::vector<double> x;
  std::vector<std::vector<double>> cols;
  double at(const std::string& name, std::size_t row = 0) const {
    for (std::size_t k = 0; k < header.signals.size(); ++k)
      if (header.signals[k].name == name) return cols[k].at(row);
    ADD_FAILURE() << "no signal " << name;
    return NAN;
  }
};

struct Sink final : SampleSink {
  std::vector<Collected> out;
  void begin(const AnalysisHeader& h) override {
    out.push_back({h, {}, std::vector<std::vector<double>>(h.signals.size())});
  }
  void chunk(const Chunk& c) override {
    for (std::size_t r = 0; r < c.rows && !c.x.empty(); ++r) out.back().x.push_back(c.x[r]);
    for (std::size_t k = 0; k < c.re.size(); ++k) out.back().cols[k].insert(out.back().cols[k].end(), c.re[k].begin(), c.re[k].end());
  }
  void end(const AnalysisSummary&) override {}
  const Collected& get(AnalysisType t, int n = 0) const {
    for (const auto& a : out)
      if (a.header.type == t && n-- == 0) return a;
    static Collected none;
    ADD_FAILURE() << "no analysis " << analysisName(t);
    return none;
  }
};

Sink run(const std::string& netlist) {
  Sink s;
  ir::ParseOptions po;
  auto r = simulate(netlist, po, s);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().format());
  return s;
}

// MOSFET level 5 (BSIM2): the noise sources of ngspice's bsim2 (channel thermal, flicker)
TEST(DeviceBsim2, NoiseIsChannelThermalAndFlickerOfTheOperatingPoint) {
  // square-law BSIM2 in saturation with a resistor load: v(d)'s noise is
  // (4kT/RL + 4kT (2/3) gm + KF Id^AF / (f Weff Leff Cox²)) |Zout|², Cox in F/cm² as ngspice
  const double vfb = -0.8, phi = 0.8, k1 = 0.6, mu = 450, tox = 0.015, dl = 0.15, kf = 1e-40, RL = 2e3;
  Sink r = run(
      "t\nVDD vdd 0 5\nVG g 0 2.5 AC 1\nRL d vdd 2k\nM1 d g 0 0 nb2 l=2u w=10u\n"
      ".model nb2 nmos level=5 vfb=-0.8 phi=0.8 k1=0.6 k2=0 mu0=450 mu20=0 mu30=0 ua0=0 u10=0 n0=0\n"
      "+ tox=0.015 dl=0.15 vbb=-5 kf=1e-40 af=1\n.noise v(d) VG dec 1 1k 10k\n.end\n");
  const double cox = 3.453e-13 / (tox * 1e-4);  // F/cm², TOX in µm, as ngspice
  const double beta = mu * cox * 10 / (2 - dl);
  const double G = 1 - 1 / (1.744 + 0.8364 * phi), a = 1 + 0.5 * G * k1 / std::sqrt(phi);
  const double vgst = 2.5 - (vfb + phi + k1 * std::sqrt(phi));
  const double id = 0.5 * beta * vgst * vgst / a, gm = beta * vgst / a;
  ASSERT_GT(5 - id * RL, vgst / a);  // saturation
  const double kT4 = 4 * kBoltz * kT;
  const double gOut = 1 / RL + 1e-15 / (kBoltz * kT / kQ) + 1e-12;  // the load, the drain junction and gmin (.ac's)
  const auto& n = r.get(AnalysisType::Noise);
  for (std::size_t k = 0; k < n.x.size(); ++k) {
    const double f = n.x[k];
    const double flicker = kf * id / (f * 10e-6 * (2 - dl) * 1e-6 * cox * cox);
    const double expected = std::sqrt((kT4 / RL + kT4 * 2.0 / 3.0 * gm + flicker) / (gOut * gOut));
    EXPECT_NEAR(n.at("onoise_spectrum", k), expected, 1e-6 * expected) << f;
  }
}

TEST(Noise, RcLowPassSpectrumAndIntegral) {
  const double R = 1e3, C = 1e-9;
  Sink s = run("rc\nv1 in 0 dc 0 ac 1\nr1 in out 1k\nc1 out 0 1n\n.noise v(out) v1 dec 20 1 1e9\n.end\n");
  const Collected& n = s.get(AnalysisType::Noise);
  ASSERT_EQ(n.header.xName, "frequency");
  ASSERT_EQ(n.x.size(), std::size_t(9 * 20 + 1));
  EXPECT_DOUBLE_EQ(n.x.front(), 1.0);
  EXPECT_NEAR(n.x.back(), 1e9, 1e-3);
  for (std::size_t k = 0; k < n.x.size(); k += 17) {
    const double w = 2 * std::numbers::pi * n.x[k] * R * C;
    const double expected = std::sqrt(4 * kBoltz * kT * R / (1 + w * w));
    EXPECT_NEAR(n.at("onoise_spectrum", k), expected, 1e-9 * expected) << n.x[k];
    // input-referred: the resistor's own sqrt(4kTR) at every frequency
    EXPECT_NEAR(n.at("inoise_spectrum", k), std::sqrt(4 * kBoltz * kT * R), 1e-9 * std::sqrt(4 * kBoltz * kT * R));
  }
  // the band 1 Hz .. 1 GHz holds all but 1e-4 of kT/C
  const Collected& t = s.get(AnalysisType::NoiseTotal);
  ASSERT_TRUE(t.header.xName.empty());
  const double tau = 2 * std::numbers::pi * R * C;
  const double band = 4 * kBoltz * kT * R / tau * (std::atan(tau * 1e9) - std::atan(tau * 1.0));
  EXPECT_NEAR(t.at("onoise_total"), std::sqrt(band), 2e-3 * std::sqrt(band));
  EXPECT_NEAR(t.at("onoise_total"), std::sqrt(kBoltz * kT / C), 2e-3 * std::sqrt(kBoltz * kT / C));
}

TEST(Noise, QuietResistorAndFlickerNoise) {
  // noisy=0: no noise at all; a flicker coefficient adds KF I^AF / f
  Sink quiet = run("q\nv1 in 0 dc 1 ac 1\nr1 in out 1k noisy=0\nr2 out 0 1k noisy=0\n.noise v(out) v1 lin 3 10 30\n.end\n");
  EXPECT_EQ(quiet.get(AnalysisType::Noise).at("onoise_spectrum", 1), 0.0);
  // LTspice's bare NOISELESS is noisy=0: only r1's noise, through the divider (gain 1/2)
  Sink nl = run("q\nv1 in 0 dc 1 ac 1\nr1 in out 1k\nr2 out 0 1k noiseless\n.noise v(out) v1 lin 3 10 30\n.end\n");
  EXPECT_NEAR(nl.get(AnalysisType::Noise).at("onoise_spectrum", 1), 0.5 * std::sqrt(4 * kBoltz * kT * 1e3), 1e-15);
  Sink fl = run("f\nv1 in 0 dc 2 ac 1\nr1 in 0 1k rm\n.model rm r kf=1e-20 af=2\nr2 in out 1k\nr3 out 0 1k noisy=0\n"
                ".noise v(out) v1 lin 2 100 200\n.end\n");
  const Collected& n = fl.get(AnalysisType::Noise);
  // r1 is shorted by v1: only r2's noise reaches out, through the divider r2 || r3 (gain 1/2)
  EXPECT_NEAR(n.at("onoise_spectrum", 0), 0.5 * std::sqrt(4 * kBoltz * kT * 1e3), 1e-12);
  Sink fl2 = run("f\nv1 in 0 dc 2 ac 1\nr1 in out 1k rm\n.model rm r kf=1e-20 af=2\nr3 out 0 1k noisy=0\n"
                 ".noise v(out) v1 lin 2 100 200 1\n.end\n");
  const Collected& m = fl2.get(AnalysisType::Noise);
  const double i = 1e-3;  // 2 V over 2 kOhm
  for (std::size_t k = 0; k < 2; ++k) {
    const double f = m.x[k];
    const double expected = 0.5 * std::sqrt(4 * kBoltz * kT / 1e3 * 1e6 + 1e-20 * i * i / f * 1e6);
    EXPECT_NEAR(m.at("onoise_spectrum", k), expected, 1e-9 * expected);
    EXPECT_NEAR(m.at("onoise_r1_1overf", k), 0.5 * 1e3 * std::sqrt(1e-20 * i * i / f), 1e-9 * expected);
    EXPECT_NEAR(m.at("onoise_r1_thermal", k), 0.5 * 1e3 * std::sqrt(4 * kBoltz * kT / 1e3), 1e-9 * expected);
  }
}

TEST(Noise, ResistorFlickerAreaFrequencyExponentAndMultiplier) {
  // ngspice 39's resistor flicker noise: m KF |I/m|^AF / (area f^EF), area = (l - 2 short)^LF
  // (w - 2 narrow)^WF when the instance gives l or w (else 1); m = 2 parallel resistors of 2k
  Sink r = run("f\ni1 0 1 dc 1e-3\nr1 1 2 2k rm l=2u w=10u m=2\nv1 2 0 dc 0 ac 1\n"
               ".model rm r kf=1e-16 af=1.1 dlr=0.01u dw=0.02u lf=1.2 wf=0.9 ef=1.3\n"
               ".noise v(1) v1 dec 1 1k 10k 1\n.end\n");
  const Collected& n = r.get(AnalysisType::Noise);
  ASSERT_EQ(n.x.size(), 2u);
  const double i = 1e-3, m = 2, R = 1e3;  // the source's 1 mA through the pair (1k)
  const double area = std::pow(2e-6 - 2 * 0.01e-6, 1.2) * std::pow(10e-6 - 2 * 0.02e-6, 0.9);
  for (std::size_t k = 0; k < 2; ++k) {
    const double f = n.x[k];
    const double flicker = m * 1e-16 * std::pow(i / m, 1.1) / (area * std::pow(f, 1.3));
    EXPECT_NEAR(n.at("onoise_r1_1overf", k), R * std::sqrt(flicker), 1e-9 * R * std::sqrt(flicker));
  }
  // without l and w the area is 1
  Sink one = run("f\ni1 0 1 dc 1e-3\nr1 1 2 1k rm\nv1 2 0 dc 0 ac 1\n.model rm r kf=1e-16 af=1.1\n"
                 ".noise v(1) v1 dec 1 1k 10k 1\n.end\n");
  const double f0 = one.get(AnalysisType::Noise).x[0];
  EXPECT_NEAR(one.get(AnalysisType::Noise).at("onoise_r1_1overf", 0), 1e3 * std::sqrt(1e-16 * std::pow(i, 1.1) / f0),
              1e-9 * 1e3 * std::sqrt(1e-16 * std::pow(i, 1.1) / f0));
}

TEST(Noise, DiodeShotNoise) {
  // 1 mA into a diode: 2 q I of noise current into its small-signal resistance n Vt / I
  Sink s = run("d\ni1 0 a dc 1m ac 1\nd1 a 0 dm\n.model dm d is=1e-14\n.noise v(a) i1 lin 1 1k 1k\n.end\n");
  const Collected& n = s.get(AnalysisType::Noise);
  const double vt = kBoltz * kT / kQ, rd = vt / 1e-3;
  EXPECT_NEAR(n.at("onoise_spectrum"), std::sqrt(2 * kQ * 1e-3) * rd, 1e-4 * std::sqrt(2 * kQ * 1e-3) * rd);
  // input-referred to a current source: the noise current itself
  EXPECT_NEAR(n.at("inoise_spectrum"), std::sqrt(2 * kQ * 1e-3), 1e-4 * std::sqrt(2 * kQ * 1e-3));
  EXPECT_EQ(n.header.signals[1].kind, SignalKind::Current);
  // one frequency: no integrated noise (as ngspice)
  for (const auto& a : s.out) EXPECT_NE(a.header.type, AnalysisType::NoiseTotal);
}

TEST(Noise, FrequenciesAsNgspice) {
  // oct 2 from 100 to 1k: 100 * 2^(k/2) while <= 1k (1 + the step times reltol)
  Sink s = run("o\nv1 in 0 ac 1\nr1 in 0 1k\n.noise v(in) v1 oct 2 100 1k\n.end\n");
  const Collected& n = s.get(AnalysisType::Noise);
  ASSERT_EQ(n.x.size(), 7u);
  EXPECT_NEAR(n.x[6], 100 * 8.0, 1e-9);
  Sink l = run("l\nv1 in 0 ac 1\nr1 in 0 1k\n.noise v(in) v1 lin 4 10 40\n.end\n");
  EXPECT_EQ(l.get(AnalysisType::Noise).x, (std::vector<double>{10, 20, 30, 40}));
}

TEST(Noise, HspicesFormTakesTheFrequenciesOfTheAcCard) {
  // .noise v(out) SRC [INTER]: the .ac card's sweep (before or after it), the
  // spectra at every frequency (INTER is HSPICE's printed table's interval)
  const std::string c = "h\nv1 in 0 ac 1\nr1 in out 1k\nr2 out 0 3k\nc1 out 0 1n\n";
  Sink ng = run(c + ".ac oct 3 100 1meg\n.noise v(out) v1 oct 3 100 1meg\n.end\n");
  for (const char* form : {".noise v(out) v1 5\n.ac oct 3 100 1meg\n", ".ac oct 3 100 1meg\n.noise v(out) v1\n"}) {
    Sink hs = run(c + form + ".end\n");
    const Collected& a = ng.get(AnalysisType::Noise);
    const Collected& b = hs.get(AnalysisType::Noise);
    ASSERT_EQ(b.x, a.x) << form;
    ASSERT_GT(a.x.size(), 10u);
    EXPECT_EQ(b.cols, a.cols) << form;
    EXPECT_EQ(hs.get(AnalysisType::NoiseTotal).at("onoise_total"), ng.get(AnalysisType::NoiseTotal).at("onoise_total"));
  }
  // without an .ac card: a located error that names both forms
  const Error e = testutil::err(c + ".noise v(out) v1 10\n.end\n");
  EXPECT_TRUE(testutil::contains(e.message, "from the .ac card")) << e.message;
  EXPECT_TRUE(testutil::contains(e.message, "dec|oct|lin")) << e.message;
  EXPECT_EQ(e.loc.line, 6);
  // a script's noise command names its sweep, as ngspice's
  const Error sc = testutil::err(c + ".ac oct 3 100 1meg\n.control\nnoise v(out) v1 10\n.endc\n.end\n");
  EXPECT_TRUE(testutil::contains(sc.message, "noise: expected")) << sc.message;
}

TEST(Noise, AnInputWithoutAcIsTakenAtUnitMagnitudeWithAWarning) {
  // LTspice runs it (ngspice 39 stops): the gain is that of a unit excitation whatever the AC value
  const std::string tail = "r1 in out 1k\nr2 out 0 3k\nc1 out 0 1n\n.noise v(out) v1 dec 2 1k 1meg\n.end\n";
  const Sink with = run("e\nv1 in 0 dc 1 ac 1\n" + tail);
  ir::ParseOptions po;
  auto c = ir::parseNetlist("e\nv1 in 0 dc 1\n" + tail, po);
  ASSERT_TRUE(c.ok());
  auto sim = Simulation::create(std::move(c.value()), {});
  ASSERT_TRUE(sim.ok());
  Sink without;
  for (;;) {
    auto r = sim.value()->advance(without, 1000);
    ASSERT_TRUE(r.ok()) << r.error().format();
    if (r.value() == StepState::Done) break;
  }
  const Collected &a = with.get(AnalysisType::Noise), &b = without.get(AnalysisType::Noise);
  ASSERT_EQ(a.x.size(), b.x.size());
  for (std::size_t k = 0; k < a.cols.size(); ++k)
    for (std::size_t r = 0; r < a.x.size(); ++r) EXPECT_EQ(a.cols[k][r], b.cols[k][r]) << a.header.signals[k].name;
  bool warned = false;
  for (const auto& w : sim.value()->circuit().warnings) warned = warned || testutil::contains(w.message, "has no AC value");
  EXPECT_TRUE(warned);
}

TEST(Noise, Errors) {
  using testutil::contains;
  EXPECT_TRUE(contains(testutil::err("e\nv1 in 0 ac 1\nr1 in 0 1k\n.noise i(v1) v1 dec 1 1 10\n.end\n").message, "v(node)"));
  EXPECT_TRUE(contains(testutil::err("e\nv1 in 0 ac 1\nr1 in 0 1k\n.noise v(in) r1 dec 1 1 10\n.end\n").message, "not a V or I source"));
  EXPECT_TRUE(contains(testutil::err("e\nv1 in 0 ac 1\nr1 in 0 1k\n.noise v(in) v1 dec 1 10 1\n.end\n").message, "below FSTART"));
}

TEST(Tf, ResistiveDivider) {
  Sink s = run("tf\nv1 in 0 dc 2\nr1 in out 1k\nr2 out 0 3k\n.tf v(out) v1\n.end\n");
  const Collected& t = s.get(AnalysisType::Tf);
  EXPECT_TRUE(t.header.xName.empty());
  EXPECT_NEAR(t.at("transfer_function"), 0.75, 1e-12);
  EXPECT_NEAR(t.at("v1#input_impedance"), 4e3, 1e-9);
  EXPECT_NEAR(t.at("output_impedance_at_v(out)"), 750.0, 1e-9);
  // a reference written on the card, ground too, stays in the name (ngspice's
  // output_impedance_at_V(out,0)); the values are the same
  Sink g = run("tf\nv1 in 0 dc 2\nr1 in out 1k\nr2 out 0 3k\n.tf v(out,0) v1\n.end\n");
  const Collected& tg = g.get(AnalysisType::Tf);
  ASSERT_EQ(tg.header.signals.size(), 3u);
  EXPECT_EQ(tg.header.signals[2].name, "output_impedance_at_v(out,0)");
  EXPECT_NEAR(tg.at("output_impedance_at_v(out,0)"), 750.0, 1e-9);
  EXPECT_NEAR(tg.at("transfer_function"), 0.75, 1e-12);
}

TEST(Tf, CurrentOutputAndCurrentInput) {
  const std::string c =
      "tf\nv1 in 0 dc 2\nr1 in a 1k\nr2 a b 2k\nr3 b 0 3k\nvm b c dc 0\nr4 c 0 6k\ni1 0 a dc 1m\n";
  // v(a,b) from v1: a divider into r2 + (r3 || r4)
  // (ngspice runs one kind's cards last first: these run from the last card up)
  Sink s = run(c + ".tf i(vm) vm\n.tf v(a) i1\n.tf i(vm) v1\n.tf v(a,b) v1\n.end\n");
  const double rb = 3e3 * 6e3 / 9e3, rdown = 2e3 + rb;
  const Collected& ab = s.get(AnalysisType::Tf, 0);
  EXPECT_NEAR(ab.at("transfer_function"), 2e3 / (1e3 + rdown), 1e-12);
  EXPECT_NEAR(ab.at("v1#input_impedance"), 1e3 + rdown, 1e-9);
  // between a and b: r2 in parallel with r1 + (r3 || r4)
  EXPECT_NEAR(ab.at("output_impedance_at_v(a,b)"), 2e3 * (1e3 + rb) / (2e3 + 1e3 + rb), 1e-9);
  const Collected& im = s.get(AnalysisType::Tf, 1);
  EXPECT_NEAR(im.at("transfer_function"), (rb / (1e3 + rdown)) / 6e3, 1e-15);
  EXPECT_TRUE(std::isfinite(im.at("vm#output_impedance")));
  const Collected& ia = s.get(AnalysisType::Tf, 2);
  // 1 A into a: the resistance from a to ground, r1 || rdown
  EXPECT_NEAR(ia.at("transfer_function"), 1e3 * rdown / (1e3 + rdown), 1e-9);
  EXPECT_NEAR(ia.at("i1#input_impedance"), 1e3 * rdown / (1e3 + rdown), 1e-9);
  const Collected& same = s.get(AnalysisType::Tf, 3);
  EXPECT_EQ(same.at("vm#output_impedance"), same.at("vm#input_impedance"));
}

TEST(SmallSignal, ControlCommandsAreAnalyses) {
  ir::Circuit c = testutil::ok("c\nv1 in 0 dc 1 ac 1\nr1 in out 1k\nr2 out 0 1k\n.control\nnoise v(out) v1 dec 10 1 1k\n"
                               "tf v(out) v1\n.endc\n.end\n");
  ASSERT_EQ(c.analyses.size(), 2u);
  EXPECT_EQ(c.analyses[0].kind, ir::AnalysisKind::Noise);
  EXPECT_EQ(c.analyses[0].outPos, "out");
  EXPECT_EQ(c.analyses[0].source, "v1");
  EXPECT_EQ(c.analyses[1].kind, ir::AnalysisKind::Tf);
}

}  // namespace
}  // namespace simcore
