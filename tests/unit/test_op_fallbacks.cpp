// Operating-point fallbacks: when plain Newton runs out of iterations the
// continuation methods take over, the statistics say which one succeeded, and
// the answer is the same as with plain Newton given enough iterations.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "netlist_test_util.hpp"
#include "simcore/simulate.hpp"

namespace {

class OpSink : public simcore::SampleSink {
 public:
  std::vector<std::string> names;
  std::vector<double> values;
  void begin(const simcore::AnalysisHeader& h) override {
    for (const auto& s : h.signals) names.push_back(s.name);
  }
  void chunk(const simcore::Chunk& c) override {
    for (const auto& col : c.re) values.push_back(col[0]);
  }
  void end(const simcore::AnalysisSummary&) override {}
  double get(const std::string& n) const {
    for (std::size_t k = 0; k < names.size(); ++k)
      if (names[k] == n) return values[k];
    return NAN;
  }
};

const char* kDiodeString =
    "diode string\n"
    ".model DD D(IS=1e-15 N=1)\n"
    "V1 a 0 DC 20\nR1 a b 10\nD1 b c DD\nD2 c d DD\nD3 d 0 DD\n";

// Newton gets at least 100 iterations whatever itl1 says (ngspice 39's NIiter raises every
// limit to 100): a diode string converges with itl1=2 too. A source of current that switches
// sign within a millivolt (10 mA tanh(1000 (v(a) - 2.5)) against 1 kOhm from 5 V) makes plain
// Newton run out; a fallback takes over and finds the solution, v(a) = 2.5 + atanh(0.25)/1000.
TEST(KernelOpFallbacks, AFallbackTakesOverWhenNewtonRunsOut) {
  OpSink easy, two;
  auto r1 = simcore::simulate(std::string(kDiodeString) + ".op\n", {}, easy);
  auto r2 = simcore::simulate(std::string(kDiodeString) + ".options itl1=2\n.op\n", {}, two);
  ASSERT_TRUE(r1.ok() && r2.ok());
  ASSERT_EQ(r1.value().opStrategies.size(), 1u);
  EXPECT_EQ(r1.value().opStrategies[0], "newton");
  EXPECT_EQ(r2.value().opStrategies[0], "newton");
  for (const char* n : {"v(b)", "v(c)", "v(d)", "i(v1)"}) EXPECT_EQ(two.get(n), easy.get(n)) << n;
  // three forward drops share 20 V - 10 ohm * I: about 0.9 V each
  EXPECT_NEAR(easy.get("v(d)"), 0.9, 0.05);
  OpSink hard;
  auto r3 = simcore::simulate("steep\nV1 in 0 5\nR1 in a 1k\nB1 a 0 I=10m*tanh(1000*(v(a)-2.5))\n.op\n", {}, hard);
  ASSERT_TRUE(r3.ok()) << r3.error().format();
  ASSERT_EQ(r3.value().opStrategies.size(), 1u);
  EXPECT_NE(r3.value().opStrategies[0], "newton");
  EXPECT_GT(r3.value().newtonFailures, 0);
  EXPECT_NEAR(hard.get("v(a)"), 2.5 + std::atanh(0.25) / 1000, 1e-6);
}

TEST(KernelOpFallbacks, NgspiceOptionsLeaveOutOperatingPointSteps) {
  // .options noopiter: straight to gmin stepping; gminsteps=0 as well: source stepping;
  // srcsteps=0 too: simcore's pseudo-transient continuation (its last resort stays)
  OpSink easy;
  auto r0 = simcore::simulate(std::string(kDiodeString) + ".op\n", {}, easy);
  ASSERT_TRUE(r0.ok());
  const char* cases[][2] = {{".options noopiter\n", "gmin stepping"},
                            {".options noopiter gminsteps=0\n", "source stepping"},
                            {".options noopiter gminsteps=0 srcsteps=0\n", "pseudo-transient"},
                            {".options gminsteps=0 srcsteps=0\n", "newton"}};
  for (const auto& c : cases) {
    OpSink sink;
    auto r = simcore::simulate(std::string(kDiodeString) + c[0] + ".op\n", {}, sink);
    ASSERT_TRUE(r.ok()) << c[0];
    ASSERT_EQ(r.value().opStrategies.size(), 1u) << c[0];
    EXPECT_EQ(r.value().opStrategies[0], c[1]) << c[0];
    for (const char* n : {"v(b)", "v(c)", "v(d)"})
      EXPECT_NEAR(sink.get(n), easy.get(n), 1e-6) << c[0] << " " << n;
  }
  // a count above 1 (ngspice's fixed-step variant) is read as 1, with a warning
  const std::string deck = std::string(kDiodeString) + ".options noopiter gminsteps=10\n.op\n";
  OpSink sink;
  auto r = simcore::simulate(deck, {}, sink);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().opStrategies[0], "gmin stepping");
  auto c = simcore::testutil::ok(deck);
  bool warned = false;
  for (const auto& w : c.warnings)
    if (w.message.find("'gminsteps=10'") != std::string::npos) warned = true;
  EXPECT_TRUE(warned);
}

TEST(KernelOpFallbacks, AMatrixTurnedSingularByNewtonIsNotBlamedOnTheTopology) {
  // 2 A into tanh(v) (at most 1 A): no solution; Newton's iterate runs to where
  // the conductance sech^2(v) underflows to 0, though at the start it is 1 S
  OpSink sink;
  auto r = simcore::simulate("runaway\nI1 0 a 2\nB1 a 0 I=tanh(v(a))\n.op\n.end\n", {}, sink);
  ASSERT_FALSE(r.ok());
  const std::string& m = r.error().message;
  EXPECT_EQ(r.error().code, simcore::ErrorCode::Convergence) << m;
  EXPECT_EQ(m.find("no DC path"), std::string::npos) << m;
  EXPECT_NE(m.find("plain Newton's iterate ran away: after"), std::string::npos) << m;
  EXPECT_NE(m.find("the matrix was singular at node 'a' (not at the start"), std::string::npos) << m;
  // a junction straight across a source swamps its row: still the singular-matrix error that says so
  auto d = simcore::simulate("diode\nV1 a 0 5\nD1 a 0 dd\n.model dd d\n.op\n.end\n", {}, sink);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, simcore::ErrorCode::Singular) << d.error().message;
  EXPECT_NE(d.error().message.find("driven straight by a voltage source"), std::string::npos) << d.error().message;
}

TEST(KernelOpFallbacks, ALatchHoldingAnyStateStartsWhereItPowersUpWithAWarning) {
  // V(nq) = V(q) while set and reset are low: every q is a DC solution and the
  // matrix is singular there (from the first iteration on). The pseudo-transient
  // continuation settles at q = 0 (from rest); the warning names the node. Before,
  // "singular matrix: node 'q' has no DC path to ground".
  const std::string deck =
      "latch\nVs s 0 0\nVr r 0 0\nBq nq 0 V={V(r) > 2.5 ? 0 : V(s) > 2.5 ? 5 : V(q)}\nRq nq q 1k\n"
      "Cq q 0 1n\nBo out 0 V={V(q) > 2.5 ? 1 : 0}\nRo out 0 1k\n.op\n.end\n";
  auto c = simcore::testutil::ok(deck);
  auto sim = simcore::Simulation::create(std::move(c));
  ASSERT_TRUE(sim.ok()) << sim.error().format();
  OpSink sink;
  for (;;) {
    auto st = sim.value()->advance(sink, 1000);
    ASSERT_TRUE(st.ok()) << st.error().format();
    if (st.value() == simcore::StepState::Done) break;
  }
  EXPECT_NEAR(sink.get("v(q)"), 0.0, 1e-9);
  EXPECT_NEAR(sink.get("v(nq)"), 0.0, 1e-9);
  EXPECT_NEAR(sink.get("v(out)"), 0.0, 1e-12);
  ASSERT_EQ(sim.value()->stats().opStrategies.size(), 1u);
  EXPECT_EQ(sim.value()->stats().opStrategies[0], "pseudo-transient (singular at the solution)");
  int warned = 0;
  for (const auto& w : sim.value()->circuit().warnings)
    warned += w.message.find("singular at the solution, at node 'q': its DC value is not unique") != std::string::npos;
  EXPECT_EQ(warned, 1);
  // set high: q = 5 is the one solution, no warning (plain Newton's first iterate
  // sees s = 0, the holding branch, and stops singular; gmin stepping finds it,
  // as in ngspice)
  OpSink set;
  auto r = simcore::simulate(
      "latch set\nVs s 0 5\nVr r 0 0\nBq nq 0 V={V(r) > 2.5 ? 0 : V(s) > 2.5 ? 5 : V(q)}\nRq nq q 1k\n"
      "Cq q 0 1n\n.op\n.end\n",
      {}, set);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(set.get("v(q)"), 5.0, 1e-9);
  EXPECT_EQ(r.value().opStrategies[0], "gmin stepping");
}

}  // namespace
