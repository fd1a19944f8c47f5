// .pz against closed forms: RC and RLC poles, the high-pass zero at s = 0,
// the input port shorted (vol) or open (cur) for the poles, defective
// multiple poles, and the card's and the analysis's errors.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <string>
#include <vector>

#include "netlist_test_util.hpp"
#include "simcore/simulate.hpp"

namespace simcore {
namespace {

using cd = std::complex<double>;

struct Roots {
  AnalysisHeader header;
  std::vector<cd> poles, zeros;
};

struct Sink final : SampleSink {
  std::vector<Roots> out;
  void begin(const AnalysisHeader& h) override { out.push_back({h, {}, {}}); }
  void chunk(const Chunk& c) override {
    ASSERT_EQ(c.rows, 1u);
    ASSERT_EQ(c.re.size(), c.im.size());
    for (std::size_t k = 0; k < c.re.size(); ++k) {
      const std::string& n = out.back().header.signals[k].name;
      (n.rfind("pole(", 0) == 0 ? out.back().poles : out.back().zeros).push_back({c.re[k][0], c.im[k][0]});
    }
  }
  void end(const AnalysisSummary&) override {}
};

Roots pz(const std::string& netlist) {
  Sink s;
  auto r = simulate(netlist, {}, s);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().format());
  for (const Roots& a : s.out)
    if (a.header.type == AnalysisType::Pz) return a;
  ADD_FAILURE() << "no pz analysis";
  return {};
}

Error pzError(const std::string& netlist) {
  Sink s;
  auto r = simulate(netlist, {}, s);
  EXPECT_FALSE(r.ok());
  return r.ok() ? Error{} : r.error();
}

void expectRoot(const cd& got, const cd& want, double rel = 1e-9) {
  EXPECT_LE(std::abs(got - want), rel * std::abs(want) + 1e-9) << "got " << got << ", want " << want;
}

TEST(Pz, RcLowPass) {
  Roots r = pz("rc\nv1 in 0 dc 0 ac 1\nr1 in out 1k\nc1 out 0 1n\n.pz in 0 out 0 vol pz\n.end\n");
  EXPECT_TRUE(r.header.complex);
  EXPECT_TRUE(r.header.xName.empty());
  ASSERT_EQ(r.poles.size(), 1u);
  EXPECT_TRUE(r.zeros.empty());
  expectRoot(r.poles[0], -1e6);
  EXPECT_EQ(r.header.signals[0].name, "pole(1)");
}

TEST(Pz, SeriesRlcComplexPair) {
  const double R = 10, L = 1e-3, C = 1e-6;
  Roots r = pz("rlc\nv1 in 0 dc 0 ac 1\nr1 in 1 10\nl1 1 out 1m\nc1 out 0 1u\n.pz in 0 out 0 vol pz\n.end\n");
  ASSERT_EQ(r.poles.size(), 2u);
  EXPECT_TRUE(r.zeros.empty());
  const double a = -R / (2 * L), w = std::sqrt(1 / (L * C) - a * a);
  // ngspice's order: +im first, then its conjugate
  expectRoot(r.poles[0], {a, w});
  EXPECT_EQ(r.poles[1], std::conj(r.poles[0]));
}

TEST(Pz, HighPassZeroAtOrigin) {
  // ngspice's tests/polezero/simplepz.cir: pole -1/(2RC), zero at 0
  Roots r = pz("hp\nr1 1 0 1k\nr2 2 0 1k\nc1 1 2 1.0e-12\n.pz 1 0 2 0 cur pz\n.end\n");
  ASSERT_EQ(r.poles.size(), 1u);
  ASSERT_EQ(r.zeros.size(), 1u);
  expectRoot(r.poles[0], -5e8);
  EXPECT_EQ(r.zeros[0], cd(0.0));
  EXPECT_EQ(r.header.signals[1].name, "zero(1)");
}

TEST(Pz, VolShortsAndCurOpensTheInputForPoles) {
  // r2 across the input port: open (cur) it is in series with r1, shorted (vol) it is gone
  const std::string c = "port\ni1 0 in dc 0 ac 1\nr2 in 0 3k\nr1 in out 1k\nc1 out 0 1n\n";
  Roots cur = pz(c + ".pz in 0 out 0 cur pol\n.end\n");
  Roots vol = pz(c + ".pz in 0 out 0 vol pol\n.end\n");
  ASSERT_EQ(cur.poles.size(), 1u);
  ASSERT_EQ(vol.poles.size(), 1u);
  expectRoot(cur.poles[0], -1 / (4e3 * 1e-9));
  expectRoot(vol.poles[0], -1 / (1e3 * 1e-9));
  EXPECT_TRUE(cur.zeros.empty());
}

TEST(Pz, AcVoltageSourceIsOpenedDcOneShorted) {
  // v2 (no AC) shorts c2 out of the circuit; v1 (AC) at the input is opened
  Roots r = pz("src\nv1 in 0 dc 0 ac 1\nr1 in out 1k\nc1 out 0 1n\nr2 out x 1k\nc2 x 0 1n\nv2 x 0 dc 1\n"
               ".pz in 0 out 0 vol pol\n.end\n");
  ASSERT_EQ(r.poles.size(), 1u);
  expectRoot(r.poles[0], -1 / (500.0 * 1e-9));
}

TEST(Pz, BridgeTDoubleZero) {
  // ngspice's tests/polezero/filt_bridge_t.cir: poles -(3 +- sqrt 5)/2 * 1000, a double zero at -1000
  Roots r = pz("bt\nV1 1 0 12 AC 1\nC1 1 2 1U\nC2 2 3 1U\nR3 2 0 1K\nR4 1 3 1K\n.PZ 1 0 3 0 VOL PZ\n.END\n");
  ASSERT_EQ(r.poles.size(), 2u);
  ASSERT_EQ(r.zeros.size(), 2u);
  expectRoot(r.poles[0], -1000 * (3 + std::sqrt(5.0)) / 2);
  expectRoot(r.poles[1], -1000 * (3 - std::sqrt(5.0)) / 2);
  for (const cd& z : r.zeros) expectRoot(z, -1000, 1e-7);
}

TEST(Pz, DefectiveTriplePole) {
  // ngspice's tests/polezero/pzt.cir: three RL stages coupled by transconductances, (s + 20)^3
  Roots r = pz("pzt\niin 1 0 ac\nr1 1 0 1\nl1 1 0 0.05\ngm2 2 0 1 0 1\nr2 2 0 1\nl2 2 0 0.05\n"
               "gm3 3 0 2 0 1\nr3 3 0 1\nl3 3 0 0.05\n.pz 1 0 3 0 cur pol\n.end\n");
  ASSERT_EQ(r.poles.size(), 3u);
  for (const cd& p : r.poles) {
    expectRoot(p, -20, 1e-7);
    EXPECT_EQ(p.imag(), 0.0);
  }
}

TEST(Pz, LongRcLadderMatchesClosedForm) {
  // n sections R-C, input shorted (vol), far end open: poles -(2 - 2 cos((2k-1) pi / (2n+1))) / RC
  const int n = 60;
  std::string net = "ladder\nv1 n0 0 dc 0 ac 1\n";
  for (int k = 0; k < n; ++k)
    net += "r" + std::to_string(k) + " n" + std::to_string(k) + " n" + std::to_string(k + 1) + " 1k\nc" + std::to_string(k) +
           " n" + std::to_string(k + 1) + " 0 1n\n";
  net += ".pz n0 0 n" + std::to_string(n) + " 0 vol pz\n.end\n";
  Roots r = pz(net);
  ASSERT_EQ(r.poles.size(), std::size_t(n));
  EXPECT_TRUE(r.zeros.empty());
  const double pi = std::acos(-1.0);
  for (int k = 1; k <= n; ++k) {
    // ascending real part: the fastest pole first
    const double want = -(2 - 2 * std::cos((2 * (n - k + 1) - 1) * pi / (2 * n + 1))) / (1e3 * 1e-9);
    expectRoot(r.poles[std::size_t(k - 1)], want, 1e-9);
  }
}

TEST(Pz, SizeLimit) {
  std::string net = "big\nv1 n0 0 dc 0 ac 1\n";
  for (int k = 0; k < 420; ++k) net += "r" + std::to_string(k) + " n" + std::to_string(k) + " n" + std::to_string(k + 1) + " 1k\n";
  net += "c1 n420 0 1n\n.pz n0 0 n420 0 vol pol\n.end\n";
  Error e = pzError(net);
  EXPECT_EQ(e.code, ErrorCode::Limit);
  EXPECT_NE(e.message.find("the limit is 400"), std::string::npos) << e.message;
}

TEST(Pz, ZerosOnlyAndSignalNames) {
  Roots r = pz("hp\nv1 in 0 dc 0 ac 1\nc1 in out 1n\nr1 out 0 1k\n.pz in 0 out 0 vol zer\n.end\n");
  EXPECT_TRUE(r.poles.empty());
  ASSERT_EQ(r.zeros.size(), 1u);
  EXPECT_EQ(r.zeros[0], cd(0.0));
  ASSERT_EQ(r.header.signals.size(), 1u);
  EXPECT_EQ(r.header.signals[0].name, "zero(1)");
}

TEST(Pz, ControlCommandIsTheAnalysis) {
  ir::Circuit c = testutil::ok("c\nv1 in 0 dc 0 ac 1\nr1 in out 1k\nc1 out 0 1n\n.control\npz in 0 out 0 cur pol\n.endc\n.end\n");
  ASSERT_EQ(c.analyses.size(), 1u);
  const ir::Analysis& a = c.analyses[0];
  EXPECT_EQ(a.kind, ir::AnalysisKind::Pz);
  EXPECT_EQ(a.inPos, "in");
  EXPECT_EQ(a.inNeg, "0");
  EXPECT_EQ(a.outPos, "out");
  EXPECT_TRUE(a.pzCurrent);
  EXPECT_TRUE(a.pzPoles);
  EXPECT_FALSE(a.pzZeros);
}

TEST(Pz, CardErrors) {
  const std::string c = "e\nv1 in 0 dc 0 ac 1\nr1 in out 1k\nc1 out 0 1n\n";
  Error e = testutil::err(c + ".pz in 0 out 0 pz\n.end\n");
  EXPECT_NE(e.message.find("expected cur or vol"), std::string::npos) << e.message;
  EXPECT_EQ(e.loc.line, 5);
  e = testutil::err(c + ".pz in 0 out 0 vol both\n.end\n");
  EXPECT_NE(e.message.find("expected pol, zer or pz"), std::string::npos) << e.message;
  e = testutil::err(c + ".pz in 0 out\n.end\n");
  EXPECT_NE(e.message.find("expected four nodes"), std::string::npos) << e.message;
  e = testutil::err(c + ".pz in 0 out 0 vol pz extra\n.end\n");
  EXPECT_NE(e.message.find("unexpected"), std::string::npos) << e.message;
}

TEST(Pz, AnalysisErrors) {
  const std::string c = "e\nv1 in 0 dc 0 ac 1\nr1 in out 1k\nc1 out 0 1n\n";
  Error e = pzError(c + ".pz in in out 0 vol pz\n.end\n");
  EXPECT_NE(e.message.find("input is shorted"), std::string::npos) << e.message;
  EXPECT_EQ(e.loc.line, 5);
  e = pzError(c + ".pz in 0 nowhere 0 vol pz\n.end\n");
  EXPECT_NE(e.message.find("'nowhere' is not in the circuit"), std::string::npos) << e.message;
  e = pzError(c + ".pz in 0 in 0 vol pz\n.end\n");
  EXPECT_NE(e.message.find("unity"), std::string::npos) << e.message;
  // the input node pinned by a DC source: V(in)/I(in) is 0 for every s
  e = pzError("e\nv1 in 0 dc 1\nr1 in out 1k\nc1 out 0 1n\n.pz in 0 out 0 vol pol\n.end\n");
  EXPECT_NE(e.message.find("vanishes for every s"), std::string::npos) << e.message;
  // a lossless line's matrix is not G + sC (ngspice: transmission lines not supported)
  e = pzError("e\nv1 in 0 dc 0 ac 1\nr1 in a 50\nt1 a 0 out 0 z0=50 td=1n\nr2 out 0 50\n.pz in 0 out 0 vol pz\n.end\n");
  EXPECT_NE(e.message.find("transmission lines are not supported (t1"), std::string::npos) << e.message;
}

}  // namespace
}  // namespace simcore
