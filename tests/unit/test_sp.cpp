// .sp (S-parameters over RF ports): networks with closed-form S, Y and Z (a
// series resistor between two 50 ohm ports, a matched T attenuator, ports of
// different z0, a capacitor on one port), the noise correlation of a passive
// network against 4 k T Re(Y), the frequency points, a port in .op and
// .tran, and located errors for badly numbered or incomplete ports.
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

using cx = std::complex<double>;

using testutil::Plot;
using Sink = testutil::PlotSink;

Sink run(const std::string& netlist) { return testutil::runPlots(netlist); }
Error failure(const std::string& netlist) { return testutil::runFailure(netlist); }

void expectNear(cx got, cx want, double tol, const std::string& what) {
  EXPECT_LE(std::abs(got - want), tol * std::max(1.0, std::abs(want))) << what << ": got " << got << ", want " << want;
}

TEST(Sp, SeriesResistorBetweenTwo50OhmPorts) {
  const double r = 30;
  Sink s = run("series resistor\n"
               "v1 a 0 dc 0 portnum 1\n"
               "r1 a b 30\n"
               "v2 b 0 dc 0 portnum 2 z0 50\n"
               ".sp lin 3 1k 3k\n"
               ".end\n");
  const Plot& p = s.get(AnalysisType::Sp);
  ASSERT_TRUE(p.header.complex);
  EXPECT_EQ(p.header.xName, "frequency");
  ASSERT_EQ(p.x.size(), 3u);
  EXPECT_DOUBLE_EQ(p.x[1], 2e3);
  for (std::size_t k = 0; k < p.x.size(); ++k) {
    expectNear(p.at("s_1_1", k), r / (r + 100), 1e-12, "S11");
    expectNear(p.at("s_2_2", k), r / (r + 100), 1e-12, "S22");
    expectNear(p.at("s_2_1", k), 100 / (r + 100), 1e-12, "S21");
    expectNear(p.at("s_1_2", k), 100 / (r + 100), 1e-12, "S12");
    expectNear(p.at("y_1_1", k), 1 / r, 1e-9, "Y11");
    expectNear(p.at("y_2_1", k), -1 / r, 1e-9, "Y21");
    // a series element has no Z matrix (I - S is singular)
    EXPECT_TRUE(std::isnan(p.at("z_1_1", k).real()));
  }
  // the node values of the row: port 2 driven (1 V behind 50 ohm into 80 ohm)
  expectNear(p.at("v(b)", 0), 80.0 / 130.0, 1e-12, "v(b)");
  expectNear(p.at("v(a)", 0), 50.0 / 130.0, 1e-12, "v(a)");
  EXPECT_FALSE(p.has("cy_1_1"));
}

TEST(Sp, MatchedTAttenuator) {
  // 6.02 dB T pad (K = 2) between 50 ohm ports: series arms 50 (K-1)/(K+1), shunt 2 50 K/(K^2-1)
  const double k = 2, r1 = 50 * (k - 1) / (k + 1), r3 = 2 * 50 * k / (k * k - 1);
  char deck[512];
  std::snprintf(deck, sizeof deck,
                "t pad\n"
                "v1 in 0 portnum 1\n"
                "ra in m %.17g\n"
                "rc m 0 %.17g\n"
                "rb m out %.17g\n"
                "v2 out 0 portnum 2\n"
                ".sp dec 2 1e6 1e7 1\n"
                ".end\n",
                r1, r3, r1);
  Sink s = run(deck);
  const Plot& p = s.get(AnalysisType::Sp);
  ASSERT_EQ(p.x.size(), 3u);
  EXPECT_NEAR(p.x[1], 1e6 * std::sqrt(10.0), 1e-3);
  for (std::size_t i = 0; i < p.x.size(); ++i) {
    EXPECT_LT(std::abs(p.at("s_1_1", i)), 1e-12);
    EXPECT_LT(std::abs(p.at("s_2_2", i)), 1e-12);
    expectNear(p.at("s_2_1", i), 1 / k, 1e-12, "S21");
    expectNear(p.at("z_1_1", i), r1 + r3, 1e-9, "Z11");
    expectNear(p.at("z_2_1", i), r3, 1e-9, "Z21");
    // the Y matrix of the T: the inverse of [[r1 + r3, r3], [r3, r1 + r3]]
    const double det = (r1 + r3) * (r1 + r3) - r3 * r3;
    expectNear(p.at("y_1_1", i), (r1 + r3) / det, 1e-9, "Y11");
    expectNear(p.at("y_1_2", i), -r3 / det, 1e-9, "Y12");
    // a passive network at the circuit temperature: Cy = 4 k T Re(Y) (Bosma)
    const double kt4 = 4 * 1.38064852e-23 * 300.15;
    for (const char* ij : {"1_1", "1_2", "2_1", "2_2"}) {
      const cx cy = p.at(std::string("cy_") + ij, i), y = p.at(std::string("y_") + ij, i);
      EXPECT_NEAR(cy.real(), kt4 * y.real(), 1e-9 * kt4 * std::abs(y)) << ij;
      EXPECT_NEAR(cy.imag(), 0.0, 1e-9 * kt4 * std::abs(y)) << ij;
    }
    // ngspice's Rn = Cy22 / (4 k T) / |Y21|^2
    EXPECT_NEAR(p.at("rn", i).real(), p.at("cy_2_2", i).real() / kt4 / std::norm(p.at("y_2_1", i)), 1e-9 * p.at("rn", i).real());
  }
}

TEST(Sp, PortsOfDifferentReferenceImpedance) {
  // series 20 ohm between a 75 ohm and a 25 ohm port (power waves, real z0)
  const double r = 20, z1 = 75, z2 = 25;
  Sink s = run("z0 mismatch\n"
               "v1 a 0 dc 0 portnum 1 z0=75\n"
               "r1 a b 20\n"
               "v2 b 0 dc 0 portnum 2 z0 25\n"
               ".sp lin 1 1meg 1meg\n"
               ".end\n");
  const Plot& p = s.get(AnalysisType::Sp);
  ASSERT_EQ(p.x.size(), 1u);
  expectNear(p.at("s_1_1"), (r + z2 - z1) / (r + z1 + z2), 1e-12, "S11");
  expectNear(p.at("s_2_2"), (r + z1 - z2) / (r + z1 + z2), 1e-12, "S22");
  expectNear(p.at("s_2_1"), 2 * std::sqrt(z1 * z2) / (r + z1 + z2), 1e-12, "S21");
  expectNear(p.at("s_1_2"), 2 * std::sqrt(z1 * z2) / (r + z1 + z2), 1e-12, "S12");
}

TEST(Sp, OnePortCapacitorAndLoadUnlikeZ0) {
  // one port of z0 = 75 ohm on 50 ohm || 1 nF: S11 = (ZL - z0) / (ZL + z0)
  Sink s = run("one port\n"
               "v1 a 0 portnum 1 z0 75\n"
               "r1 a 0 50\n"
               "c1 a 0 1n\n"
               ".sp lin 4 1meg 10meg\n"
               ".end\n");
  const Plot& p = s.get(AnalysisType::Sp);
  ASSERT_EQ(p.x.size(), 4u);
  for (std::size_t k = 0; k < p.x.size(); ++k) {
    EXPECT_NEAR(p.x[k], 1e6 + 3e6 * double(k), 1e-6);
    const cx zl = 1.0 / (1.0 / 50.0 + cx(0, 2 * std::numbers::pi * p.x[k] * 1e-9));
    expectNear(p.at("s_1_1", k), (zl - 75.0) / (zl + 75.0), 1e-12, "S11");
    expectNear(p.at("z_1_1", k), zl, 1e-9, "Z11");
    expectNear(p.at("y_1_1", k), 1.0 / zl, 1e-9, "Y11");
  }
  EXPECT_FALSE(p.has("nf"));  // (no DONOISE)
}

TEST(Sp, FrequencyPointsAsNgspice) {
  // lin with N = 2 runs FSTART alone (ngspice 39); oct N per octave while <= FSTOP
  // (ngspice runs one kind's cards last first)
  Sink s = run("points\nv1 a 0 portnum 1\nr1 a 0 50\n.sp oct 2 1k 8k\n.sp lin 2 1k 2k\n.end\n");
  ASSERT_EQ(s.out.size(), 2u);
  EXPECT_EQ(s.out[0].x.size(), 1u);
  ASSERT_EQ(s.out[1].x.size(), 7u);
  EXPECT_NEAR(s.out[1].x[6], 8e3, 1e-6);
}

TEST(Sp, PortInOperatingPointAndTransient) {
  // z0 in series with the source: dc 1 V into 50 ohm gives 0.5 V; pwr/freq give
  // sqrt(4 pwr z0) cos(2 pi freq t) in the transient, the dc value at the operating point
  Sink s = run("port op tran\n"
               "v1 in 0 dc 1 portnum 1 z0 50 pwr 0.01 freq 1meg\n"
               "r1 in 0 50\n"
               ".op\n"
               ".tran 10n 2u\n"
               ".end\n");
  const Plot& op = s.get(AnalysisType::Op);
  EXPECT_NEAR(op.at("v(in)").real(), 0.5, 1e-9);
  EXPECT_NEAR(op.at("i(v1)").real(), -0.01, 1e-12);
  const Plot& tr = s.get(AnalysisType::Tran);
  const double amp = 0.5 * std::sqrt(4 * 0.01 * 50);
  ASSERT_GT(tr.x.size(), 10u);
  for (std::size_t k = 0; k < tr.x.size(); ++k)
    EXPECT_NEAR(tr.at("v(in)", k).real(), amp * std::cos(2 * std::numbers::pi * 1e6 * tr.x[k]), 2e-3 * amp) << tr.x[k];
}

TEST(Sp, PortInAc) {
  // .ac: the port's ac value drives it through z0
  Sink s = run("port ac\nv1 in 0 ac 1 portnum 1 z0 100\nr1 in 0 300\n.ac lin 1 1k 1k\n.end\n");
  EXPECT_NEAR(s.get(AnalysisType::Ac).at("v(in)").real(), 0.75, 1e-12);
}

TEST(Sp, ControlCommand) {
  Sink s = run("sp command\nv1 a 0 portnum 1\nr1 a 0 50\n.control\nsp lin 3 1k 3k\n.endc\n.end\n");
  const Plot& p = s.get(AnalysisType::Sp);
  ASSERT_EQ(p.x.size(), 3u);
  EXPECT_LT(std::abs(p.at("s_1_1", 2)), 1e-12);
}

TEST(Sp, ErrorsAreLocated) {
  Error e = failure("t\nv1 a 0 dc 0 z0 50\nr1 a 0 50\n.op\n.end\n");
  EXPECT_NE(e.message.find("needs 'portnum N'"), std::string::npos) << e.message;
  EXPECT_EQ(e.loc.line, 2);
  EXPECT_EQ(e.loc.col, 13);

  e = failure("t\nv1 a 0 portnum 1\nr1 a b 50\nv2 b 0 portnum 1\n.sp lin 2 1k 2k\n.end\n");
  EXPECT_NE(e.message.find("duplicate port number 1"), std::string::npos) << e.message;
  EXPECT_EQ(e.loc.line, 4);
  EXPECT_EQ(e.loc.col, 8);

  e = failure("t\nv1 a 0 portnum 1\nr1 a b 50\nv3 b 0 portnum 3\n.sp lin 2 1k 2k\n.end\n");
  EXPECT_NE(e.message.find("ports must be numbered 1..2"), std::string::npos) << e.message;
  EXPECT_EQ(e.loc.line, 4);

  e = failure("t\nv1 a 0 dc 1\nr1 a 0 50\n.sp lin 2 1k 2k\n.end\n");
  EXPECT_NE(e.message.find(".sp needs RF ports"), std::string::npos) << e.message;
  EXPECT_EQ(e.loc.line, 4);

  e = failure("t\ni1 a 0 dc 1 portnum 1\nr1 a 0 50\n.op\n.end\n");
  EXPECT_NE(e.message.find("parameter of an RF port"), std::string::npos) << e.message;
  EXPECT_EQ(e.loc.line, 2);

  e = failure("t\nv1 a 0 portnum 1.5\nr1 a 0 50\n.op\n.end\n");
  EXPECT_NE(e.message.find("whole number >= 1"), std::string::npos) << e.message;

  e = failure("t\nv1 a 0 portnum 1 z0 0\nr1 a 0 50\n.op\n.end\n");
  EXPECT_NE(e.message.find("z0 of port"), std::string::npos) << e.message;

  e = failure("t\nv1 a 0 portnum 1\nr1 a 0 50\n.sp log 2 1k 2k\n.end\n");
  EXPECT_NE(e.message.find("expected dec, oct or lin after .sp"), std::string::npos) << e.message;
  EXPECT_EQ(e.loc.line, 4);
  EXPECT_EQ(e.loc.col, 5);
  // (text after DONOISE is ignored with a warning, as ngspice 39: NetlistNg39Forms.SpDonoise...)
}

}  // namespace
}  // namespace simcore
