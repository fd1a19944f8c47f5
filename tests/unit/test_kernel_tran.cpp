// Transient step control (breakpoints, tmax, tstart), run errors (topology,
// cancel, limits) and the resumable stepper.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <complex>
#include <numbers>
#include <string>
#include <vector>

#include "analysis/circuit.hpp"
#include "test_kernel_support.cpp"

using namespace simcore;
using simcore::testing::Collected;
using simcore::testing::CollectingSink;
using simcore::testing::run;
using simcore::testing::runErr;
using simcore::testing::runOk;

namespace {

// ---------------------------------------------------------------------------
// Step control

TEST(KernelTran, LandsExactlyOnEveryPulseCorner) {
  // PULSE(0 1 td=10u tr=1u tf=2u pw=20u per=50u) over 200 us: corners at
  // td + k per + {0, tr, tr+pw, tr+pw+tf}
  auto out = runOk(
      "pulse corners\n"
      "V1 in 0 PULSE(0 1 10u 1u 2u 20u 50u)\n"
      "R1 in out 1k\n"
      "C1 out 0 10n\n"
      ".tran 0.1u 200u\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  ASSERT_GT(tr.rows, 10u);
  for (std::size_t k = 1; k < tr.rows; ++k) ASSERT_GT(tr.x[k], tr.x[k - 1]) << "time not increasing at row " << k;
  const double offs[] = {0.0, 1e-6, 21e-6, 23e-6};
  int found = 0;
  for (int p = 0; p < 4; ++p)
    for (double o : offs) {
      const double c = 10e-6 + p * 50e-6 + o;
      auto it = std::lower_bound(tr.x.begin(), tr.x.end(), c * (1 - 1e-15));
      ASSERT_NE(it, tr.x.end()) << "corner " << c;
      EXPECT_NEAR(*it, c, 1e-15 * c) << "no time point at the corner " << c << " (nearest " << *it << ")";
      found += std::fabs(*it - c) <= 1e-15 * c;
      // the source value at the corner is the corner value
      const double vin = tr.col("v(in)")[std::size_t(it - tr.x.begin())];
      const double want = (o == 0.0 || o == 23e-6) ? 0.0 : 1.0;
      EXPECT_NEAR(vin, want, 1e-9) << "v(in) at corner " << c;
    }
  EXPECT_EQ(found, 16);
}

// ngspice 39 (XSPICE) drops a breakpoint only within 10 delmin = 1e-10 TMAX of
// the point just reached; a course deck's 1 us rise under TMAX 24 ms (SPICE3's
// 5e-5 TMAX = 1.2 us) lost its end corner, 3.5 V off at the top of the edge
TEST(KernelTran, LandsOnACornerCloserThanSpice3sMinimumBreak) {
  auto out = runOk(
      "short rise\n"
      "V1 in 0 PULSE(0 25 1u 1u 1u 1 1)\n"
      "R1 in out 1.2Meg\n"
      "C1 out 0 20u\n"
      ".tran 24m 2\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  for (double c : {1e-6, 2e-6}) {
    auto it = std::lower_bound(tr.x.begin(), tr.x.end(), c * (1 - 1e-12));
    ASSERT_NE(it, tr.x.end());
    EXPECT_NEAR(*it, c, 1e-12 * c) << "no time point at the corner " << c << " (nearest " << *it << ")";
    EXPECT_NEAR(tr.col("v(in)")[std::size_t(it - tr.x.begin())], c == 1e-6 ? 0.0 : 25.0, 1e-9);
  }
}

TEST(KernelTran, LandsOnSinDelayExpAndPwlCorners) {
  auto out = runOk(
      "corners\n"
      "V1 a 0 SIN(0 1 1k 0.37m)\n"
      "V2 b 0 EXP(0 1 0.21m 0.1m 0.63m 0.1m)\n"
      "V3 c 0 PWL(0 0 0.123m 1 0.777m -1)\n"
      "R1 a b 1k\n"
      "R2 b c 1k\n"
      ".tran 10u 1m\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  for (double c : {0.123e-3, 0.21e-3, 0.37e-3, 0.63e-3, 0.777e-3}) {
    auto it = std::lower_bound(tr.x.begin(), tr.x.end(), c * (1 - 1e-15));
    ASSERT_NE(it, tr.x.end());
    EXPECT_NEAR(*it, c, 1e-15 * c) << "no time point at the corner " << c << " (nearest " << *it << ")";
  }
  EXPECT_NEAR(tr.at("v(c)", 0.123e-3), 1.0, 1e-12);
  EXPECT_NEAR(tr.at("v(c)", 0.777e-3), -1.0, 1e-12);
  EXPECT_NEAR(tr.at("v(a)", 0.37e-3), 0.0, 1e-12);
}

TEST(KernelTran, SmoothRcTakesFarFewerPointsThanTinyTmax) {
  const char* base =
      "smooth rc\n"
      "V1 in 0 DC 1\n"
      "R1 in out 1k\n"
      "C1 out 0 1u ic=0\n";
  auto free = runOk(std::string(base) + ".tran 100u 5m uic\n");
  auto tiny = runOk(std::string(base) + ".tran 100u 5m 0 1u uic\n");
  const auto nFree = free.stats.acceptedPoints, nTiny = tiny.stats.acceptedPoints;
  EXPECT_GE(nTiny, 5000) << "tmax = 1 us must force at least tstop / tmax steps";
  EXPECT_GE(nFree, 50) << "tmax defaults to tstep";
  EXPECT_LT(nFree * 10, nTiny);
  // every accepted point is a row but t = 0, which uic does not write (as ngspice)
  EXPECT_EQ(std::int64_t(free.get(AnalysisType::Tran).rows), nFree - 1);
  EXPECT_GT(free.get(AnalysisType::Tran).x.front(), 0.0);
  // both are accurate: 1 - e^{-t/tau} at the end
  const double want = 1.0 - std::exp(-5.0);
  EXPECT_NEAR(free.get(AnalysisType::Tran).col("v(out)").back(), want, 1e-3 * want);
  EXPECT_NEAR(tiny.get(AnalysisType::Tran).col("v(out)").back(), want, 1e-3 * want);
}

// MOSFET levels 1, 2, 3 and 6 (mos_frame.hpp): only the Meyer gate charges
// limit the step through their truncation error, as ngspice's
// MOS1/2/3/6trunc; the bulk junctions' charges (qbd, qbs) are integrated but
// exempt, in every layout (series RD/RS, plain, bulk tied to the source: no qbs).
TEST(KernelTran, MosfetJunctionChargesAreExemptFromTruncation) {
  auto c = ir::parseNetlist(
      "exempt\n"
      "V1 d 0 1\nV2 g 0 1\nC1 d g 1p\n"
      "M1 d g 0 b n1\nM2 d g 0 0 n2\nM3 d g 0 b n3\nM6 d g 0 0 n6\nR1 b 0 1k\n"
      ".model n1 nmos level=1 cbd=1p cbs=1p tox=10n\n"
      ".model n2 nmos level=2 cbd=1p cbs=1p\n"
      ".model n3 nmos level=3 cbd=1p cbs=1p rd=10\n"
      ".model n6 nmos level=6 cbd=1p cbs=1p\n"
      ".tran 1n 10n\n",
      ir::ParseOptions{"x.cir", {}, {}});
  ASSERT_TRUE(c.ok()) << c.error().format();
  auto model = an::CircuitModel::build(c.value(), dev::TranHints{});
  ASSERT_TRUE(model.ok()) << model.error().format();
  const an::CircuitModel& m = *model.value();
  // C1: 1; M1 (plain) and M3 (series): qgs qgd qgb qbd qbs; M2 and M6 (tied): no qbs
  EXPECT_EQ(m.states(), 1 + 5 + 5 + 4 + 4);
  std::vector<int> ex = m.untruncated();
  std::sort(ex.begin(), ex.end());
  EXPECT_EQ(std::unique(ex.begin(), ex.end()), ex.end());
  EXPECT_EQ(ex.size(), 2u + 2u + 1u + 1u);
  for (int s : ex) EXPECT_TRUE(s >= 0 && s < m.states()) << s;
}

// A stage whose only capacitances are a MOSFET's junctions (no TOX: no Meyer
// charges) has no state that limits the step: after the first steps double up
// to TMAX (TSTOP / 50 = 120 ns here), every step is TMAX, as in ngspice 39,
// while the drain still follows the junction capacitances' charging.
TEST(KernelTran, MosfetJunctionsAloneLeaveTheStepAtTmax) {
  auto out = runOk(
      "junctions only\n"
      "VDD 1 0 5\n"
      "VIN 2 0 SIN(2.5 2.5 1Meg)\n"
      "RL 1 3 20k\n"
      "M1 3 2 0 0 n1\n"
      ".model n1 nmos level=1 vto=1 kp=50u cbd=10p cbs=10p\n"
      ".tran 200n 6u\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  const double tmax = 6e-6 / 50;
  std::size_t k = 1;
  while (k < tr.x.size() && tr.x[k] - tr.x[k - 1] < tmax * (1 - 1e-9)) ++k;
  ASSERT_LT(k, tr.x.size() / 4) << "the steps never reached TMAX";
  for (std::size_t i = k; i + 1 < tr.x.size(); ++i)
    EXPECT_NEAR(tr.x[i] - tr.x[i - 1], tmax, 1e-9 * tmax) << "step ending at " << tr.x[i];
  EXPECT_EQ(out.stats.rejectedSteps, 0);
  // the output swings: the channel switches the load, and the junctions hold it back
  const auto& v = tr.col("v(3)");
  EXPECT_GT(*std::max_element(v.begin(), v.end()) - *std::min_element(v.begin(), v.end()), 2.0);
}

TEST(KernelTran, TstartDropsEarlierRows) {
  const char* base =
      "tstart\n"
      "V1 in 0 PULSE(0 1 0 1n 1n 1 2)\n"
      "R1 in out 1k\n"
      "C1 out 0 1u\n";
  auto all = runOk(std::string(base) + ".tran 10u 2m\n");
  auto late = runOk(std::string(base) + ".tran 10u 2m 0.5m\n");
  const Collected& tr = late.get(AnalysisType::Tran);
  ASSERT_GT(tr.rows, 10u);
  EXPECT_DOUBLE_EQ(tr.x.front(), 0.5e-3) << "tstart is a breakpoint and the first row";
  for (double t : tr.x) EXPECT_GE(t, 0.5e-3 * (1 - 1e-12));
  EXPECT_DOUBLE_EQ(tr.x.back(), 2e-3);
  EXPECT_EQ(tr.summary.rows, tr.rows);
  EXPECT_GT(late.stats.acceptedPoints, std::int64_t(tr.rows)) << "points before tstart are computed, not written";
  EXPECT_LT(tr.rows, all.get(AnalysisType::Tran).rows);
  EXPECT_NEAR(tr.col("v(out)").front(), 1.0 - std::exp(-0.5), 1e-3);
}

TEST(KernelTran, SecondIdenticalTranGivesTheSameSamples) {
  // nothing of the first transient (histories, breakpoints, device state)
  // may leak into the second
  auto out = runOk(
      "two trans\n"
      "V1 in 0 PULSE(0 1 10u 1u 1u 20u 50u)\n"
      "R1 in a 1k\n"
      "L1 a out 10m\n"
      "C1 out 0 10n\n"
      ".tran 1u 100u\n"
      ".tran 1u 100u\n");
  ASSERT_EQ(out.analyses.size(), 2u);
  const Collected& a = out.get(AnalysisType::Tran, 0);
  const Collected& b = out.get(AnalysisType::Tran, 1);
  EXPECT_EQ(b.header.index, 1);
  ASSERT_EQ(a.rows, b.rows);
  for (std::size_t k = 0; k < a.rows; ++k) {
    EXPECT_DOUBLE_EQ(a.x[k], b.x[k]) << "row " << k;
    for (const auto& name : a.order) EXPECT_NEAR(a.col(name)[k], b.col(name)[k], 1e-12) << name << " row " << k;
  }
}

// ---------------------------------------------------------------------------
// Errors

// A group of nodes with no DC path to ground runs, as in ngspice 39: each of
// its nodes is tied to ground through gmin, with one warning per group that
// names its nodes at the first card touching the first of them.
TEST(KernelFloating, EachGroupIsTiedToGroundWithOneWarningAtItsCard) {
  auto c = ir::parseNetlist(
      "floating\n"
      "V1 a 0 1\n"
      "R1 a 0 1k\n"
      "C1 a b 1n\n"
      "R2 b c 1k\n"
      "V2 p m 2\n"
      "R3 p q 1k\n"
      "R4 q m 3k\n"
      ".op\n",
      ir::ParseOptions{"float.cir", {}, {}});
  ASSERT_TRUE(c.ok()) << c.error().format();
  auto sim = Simulation::create(std::move(c.value()));
  ASSERT_TRUE(sim.ok()) << sim.error().format();
  const auto& w = sim.value()->circuit().warnings;
  ASSERT_EQ(w.size(), 2u);
  EXPECT_NE(w[0].message.find("nodes 'b', 'c' have no DC path to ground"), std::string::npos) << w[0].message;
  EXPECT_NE(w[0].message.find("through 'c1'"), std::string::npos) << w[0].message;
  EXPECT_EQ(w[0].loc.line, 4) << "the first card that touches 'b' is C1 on line 4";
  EXPECT_EQ(w[0].loc.file, "float.cir");
  EXPECT_NE(w[1].message.find("nodes 'p', 'm', 'q' have no DC path to ground"), std::string::npos) << w[1].message;
  EXPECT_NE(w[1].message.find("gmin (1e-12 S)"), std::string::npos) << w[1].message;
  EXPECT_EQ(w[1].loc.line, 6);
  CollectingSink sink;
  for (;;) {
    auto r = sim.value()->advance(sink, 1000);
    ASSERT_TRUE(r.ok()) << r.error().format();
    if (r.value() == StepState::Done) break;
  }
  const Collected& op = sink.analyses.at(0);
  // b and c carry no current: both at the level of their shunts, 0 V
  EXPECT_NEAR(op.col("v(b)")[0], 0.0, 1e-9);
  EXPECT_NEAR(op.col("v(c)")[0], 0.0, 1e-9);
  // p - m = 2 V across 4k: 0.5 mA, q 0.5 V below p; the tie on p (the group's first node) holds it at 0 V
  const double p = op.col("v(p)")[0], q = op.col("v(q)")[0], m = op.col("v(m)")[0];
  EXPECT_NEAR(p, 0.0, 1e-12);
  EXPECT_NEAR(p - m, 2.0, 1e-9);
  EXPECT_NEAR(p - q, 0.5, 1e-9);
  EXPECT_NEAR(op.col("i(v2)")[0], -0.5e-3, 1e-9);
  // the shunts are not outputs of the circuit
  for (const auto& name : op.order) EXPECT_EQ(name.find("gmin#"), std::string::npos) << name;
}

// The topology check itself: strict, the first floating node is an error;
// asked for the groups, it returns each group (nodes in netlist order, the
// card touching the first) and whether a capacitor links it to ground.
TEST(KernelFloating, TopologyCheckCollectsTheGroups) {
  auto c = ir::parseNetlist(
      "groups\nV1 a 0 1\nC1 a b 1n\nR2 b c 1k\nV2 p m 2\nR3 p q 1k\nR4 q m 3k\nR5 a 0 1k\n.op\n",
      ir::ParseOptions{"g.cir", {}, {}});
  ASSERT_TRUE(c.ok()) << c.error().format();
  auto model = an::CircuitModel::build(c.value(), dev::TranHints{});
  ASSERT_TRUE(model.ok()) << model.error().format();
  const an::CircuitModel& m = *model.value();
  auto strict = m.checkTopology();
  ASSERT_FALSE(strict.ok());
  EXPECT_NE(strict.error().message.find("node 'b' has no DC path to ground"), std::string::npos) << strict.error().message;
  std::vector<an::CircuitModel::FloatingGroup> groups;
  ASSERT_TRUE(m.checkTopology(false, &groups).ok());
  ASSERT_EQ(groups.size(), 2u);
  auto names = [&](const an::CircuitModel::FloatingGroup& g) {
    std::vector<std::string> out;
    for (dev::Index u : g.nodes) out.push_back(m.unknownName(u));
    return out;
  };
  EXPECT_EQ(names(groups[0]), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(groups[0].firstUser->name, "c1");
  EXPECT_TRUE(groups[0].capacitive);
  EXPECT_EQ(names(groups[1]), (std::vector<std::string>{"p", "m", "q"}));
  EXPECT_EQ(groups[1].firstUser->name, "v2");
  EXPECT_FALSE(groups[1].capacitive);
  EXPECT_NE(m.floatingWarning(groups[0], 1e-12).find("'b' is tied to ground through gmin (1e-12 S)"), std::string::npos);
  EXPECT_NE(m.floatingAcError(groups[1]).message.find("its .ac matrix is singular"), std::string::npos);
}

// The tie is options.gmin: a current source into a floating pair leaves through
// the tie of its first node, at I/gmin (ngspice 39 spreads it over its own gmin
// on every node: a 5e8 V level and 0.25 V across R1 here; both arbitrary).
TEST(KernelFloating, ShuntIsGminOfTheOptions) {
  auto out = runOk("isrc\nI1 0 a 1m\nR1 a b 500\nV1 x 0 1\nR2 x 0 1k\n.options gmin=1e-9\n.op\n");
  const Collected& op = out.get(AnalysisType::Op);
  EXPECT_NEAR(op.col("v(a)")[0], 1e-3 / 1e-9, 1e-3);
  EXPECT_NEAR(op.col("v(a)")[0] - op.col("v(b)")[0], 0.0, 1e-6);
  ASSERT_EQ(out.warnings.size(), 1u);
  EXPECT_NE(out.warnings[0].message.find("gmin (1e-09 S)"), std::string::npos) << out.warnings[0].message;
}

// One warning per group for the whole run, however many circuit variants (.step) it runs.
TEST(KernelFloating, OneWarningForEveryVariant) {
  auto out = runOk("step\nV1 a 0 1\nR1 a 0 1k\nC1 a b 1n\nR2 b c {rv}\n.param rv=1k\n.step param rv list 1k 2k 3k\n.op\n");
  int floating = 0;
  for (const auto& w : out.warnings) floating += w.message.find("no DC path to ground") != std::string::npos;
  EXPECT_EQ(floating, 1);
  int ops = 0;
  for (const auto& a : out.analyses) ops += a.header.type == AnalysisType::Op;
  EXPECT_EQ(ops, 3);
}

// A floating group that no capacitor reaches has a singular .ac matrix in
// ngspice 39 ("doAnalyses: matrix is singular"): an error, at its card.
TEST(KernelFloating, AcOfAGroupNoCapacitorReachesIsAnError) {
  Error e = runErr("acfloat\nV1 x 0 1\nR0 x 0 1k\nV2 p m DC 2 AC 1\nR1 p q 1k\nR2 q m 3k\n.ac dec 5 1k 1meg\n");
  EXPECT_EQ(e.code, ErrorCode::Topology) << e.format();
  EXPECT_NE(e.message.find("node 'p' has no DC path to ground"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("its .ac matrix is singular"), std::string::npos) << e.message;
  EXPECT_EQ(e.loc.line, 4);
  // a capacitor to ground makes the AC matrix regular: the run goes on, with the warning
  auto out = runOk("accap\nV1 a 0 DC 0 AC 1\nR1 a 0 1k\nC1 a b 1n\nR2 b c 1k\nC3 c 0 1n\n.ac dec 5 1k 1meg\n");
  const Collected& ac = out.get(AnalysisType::Ac);
  ASSERT_GT(ac.rows, 0u);
  // the capacitive divider of C1 and C3 with R2 between b and c
  for (std::size_t k = 0; k < ac.rows; ++k) {
    const double w = 2 * 3.141592653589793 * ac.x[k];
    const std::complex<double> jw(0, w), zc = 1.0 / (jw * 1e-9);
    const std::complex<double> vb = (1e3 + zc) / (zc + 1e3 + zc);
    EXPECT_LT(std::abs(ac.phasor("v(b)", k) - vb), 1e-6) << ac.x[k];
  }
  ASSERT_EQ(out.warnings.size(), 1u);
}

// A transconductance whose output feeds a node with its own DC path says
// nothing of the other node of its control pair: a small-signal MOSFET's gate
// (gm from gate-source, output into the source node) floats, and is tied.
// .ac leaves the tie of a group that capacitors reach out: at 1 Hz the 1 pF
// gate capacitances (6 pS) would be no match for gmin (1 pS); the gates
// split the input as the capacitors do, as in ngspice 39.
TEST(KernelFloating, GateOfASmallSignalPairFloatsAndAcHasNoTie) {
  auto out = runOk(
      "pair\nVin 8 7 dc 0 ac 1\ng1 4 3 7 3 1m\ng2 5 3 8 3 1m\nc1 7 3 1p\nc2 8 3 1p\n"
      "r3 3 0 1k\nrd1 4 0 1k\nrd2 5 0 1k\n.ac lin 1 1 1\n");
  bool warned = false;
  for (const auto& w : out.warnings) warned = warned || w.message.find("nodes '8', '7' have no DC path") != std::string::npos ||
                                               w.message.find("nodes '7', '8' have no DC path") != std::string::npos;
  EXPECT_TRUE(warned);
  const Collected& ac = out.get(AnalysisType::Ac);
  // equal capacitors: the gates at -0.5 and +0.5 around the source node (at 0)
  EXPECT_NEAR(std::abs(ac.phasor("v(7)", 0) - ac.phasor("v(3)", 0) + 0.5), 0.0, 1e-6);
  EXPECT_NEAR(std::abs(ac.phasor("v(4)", 0) - 0.5), 0.0, 1e-6);
  EXPECT_NEAR(std::abs(ac.phasor("v(5)", 0) + 0.5), 0.0, 1e-6);
}

// A loop of voltage sources stays an error (ngspice 39 fails on it too).
TEST(KernelFloating, VoltageSourceLoopStaysAnError) {
  Error e = runErr("loop\nV1 a 0 1\nV2 a 0 2\nR1 a 0 1k\n.op\n");
  EXPECT_EQ(e.code, ErrorCode::Topology) << e.format();
  EXPECT_NE(e.message.find("voltage-source loop"), std::string::npos) << e.message;
}

// An ideal transformer of controlled sources (F feeds the node, E reads it:
// ngspice's modal networks of coupled lines) determines the node; an F output
// that nothing reads still leaves it floating.
TEST(KernelErrors, ControlledSourceTransformerGivesADcPath) {
  const char* transformer =
      "xfmr\nV1 in 0 SIN(0 1 1k)\nR1 in p 50\nVS p q 0\nE1 q 0 m 0 2\nF1 0 m VS 2\nCM m 0 1p\nRL s 0 100\n"
      "E2 s 0 m 0 1\n.tran 10u 1m\n";
  auto out = runOk(transformer);
  EXPECT_FALSE(out.get(AnalysisType::Tran).col("v(m)").empty());
  auto unread = runOk("unread\nV1 in 0 1\nR1 in 0 1k\nF1 0 m V1 2\nCM m 0 1p\n.op\n");
  ASSERT_EQ(unread.warnings.size(), 1u);
  EXPECT_NE(unread.warnings[0].message.find("node 'm' has no DC path to ground"), std::string::npos)
      << unread.warnings[0].message;
}

// A node between two capacitors has its DC value from `.ic` at a transient's
// initial operating point (PySpice's bridge rectifier: `.ic V(node_115)=0`, as
// ngspice runs it); at an `.op`, where `.ic` does not apply, it still floats.
TEST(KernelErrors, IcPinsACapacitorOnlyNodeForTheTransient) {
  const char* deck =
      "ic pins\nV1 a 0 SIN(0 1 1k)\nR1 a b 1k\nC1 b m 1u\nC2 m 0 1u\n.ic V(m)=0.25\n.tran 10u 1m\n";
  auto out = runOk(deck);
  const Collected& tr = out.get(AnalysisType::Tran);
  ASSERT_FALSE(tr.col("v(m)").empty());
  EXPECT_NEAR(tr.col("v(m)").front(), 0.25, 1e-9);
  // two equal capacitors in series: m moves by half of b's change
  EXPECT_NEAR(tr.col("v(m)").back() - 0.25, 0.5 * tr.col("v(b)").back(), 1e-6);
  EXPECT_TRUE(out.warnings.empty()) << out.warnings[0].message;
  // an operating point .ic does not pin: m floats there, tied to ground through
  // gmin with a warning (as any floating node)
  for (const char* other : {"ic op\nV1 a 0 1\nR1 a b 1k\nC1 b m 1u\nC2 m 0 1u\n.ic V(m)=0.25\n.op\n",
                            "ic both\nV1 a 0 1\nR1 a b 1k\nC1 b m 1u\nC2 m 0 1u\n.ic V(m)=0.25\n.tran 10u 1m\n"
                            ".ac dec 1 1 10\n"}) {
    auto r = runOk(other);
    ASSERT_EQ(r.warnings.size(), 1u) << other;
    EXPECT_NE(r.warnings[0].message.find("node 'm' has no DC path to ground"), std::string::npos)
        << r.warnings[0].message;
  }
}

// A behavioural resistor (R = {expr}, a current that reads its own terminals)
// is a DC path (ngspice's Monte_Carlo/OpWien.sp: R2 4 6 R='...' then C2 6 3);
// a behavioural current that does not read them leaves the node floating.
TEST(KernelErrors, BehaviouralResistorIsADcPath) {
  auto out = runOk("wien\nV1 a 0 1\nVR r 0 0.5\nR2 a m R='10k + 1k*v(r)'\nC2 m 0 1n\n.tran 1u 100u\n");
  EXPECT_FALSE(out.get(AnalysisType::Tran).col("v(m)").empty());
  auto cur = runOk("cur\nV1 a 0 1\nR1 a b 1k\nR2 b 0 1k\nB1 a m I=v(b)*1m\nC2 m 0 1n\n.tran 1u 100u\n");
  ASSERT_EQ(cur.warnings.size(), 1u);
  EXPECT_NE(cur.warnings[0].message.find("node 'm' has no DC path to ground"), std::string::npos) << cur.warnings[0].message;
}

TEST(KernelErrors, VoltageSourceLoopIsTopologyError) {
  Error e = runErr(
      "vloop\n"
      "V1 a 0 1\n"
      "R1 a 0 1k\n"
      "V2 a 0 2\n"
      ".op\n");
  EXPECT_EQ(e.code, ErrorCode::Topology) << e.format();
  EXPECT_NE(e.message.find("voltage-source loop"), std::string::npos) << e.message;
  EXPECT_EQ(e.loc.line, 4);
}

TEST(KernelErrors, InductorVoltageSourceLoopIsTopologyError) {
  Error e = runErr(
      "lloop\n"
      "V1 a 0 1\n"
      "L1 a 0 1m\n"
      ".op\n");
  EXPECT_EQ(e.code, ErrorCode::Topology) << e.format();
  EXPECT_NE(e.message.find("voltage-source loop"), std::string::npos) << e.message;
  EXPECT_EQ(e.loc.line, 3);
}

// The same loop in a transient: the inductor is open at the initial operating point
// (0 A, switched on at t = 0, as ngspice 39's transient operating point starts it),
// with a warning; then v = L di/dt: 1 V across 1 mH ramps 1 A/ms. A loop whose
// closing card is the source opens its inductor too; a loop of sources alone stays
// the error.
TEST(KernelErrors, InductorAcrossASourceStartsAtZeroInATransient) {
  auto out = runOk("lloop\nV1 a 0 1\nL1 a 0 1m\nV2 b 0 PWL(0 0 1m 1)\nL2 b 0 2m\nL3 c 0 1m\nV3 c 0 2\n"
                   ".tran 10u 1m\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  const auto &t = tr.x, &i1 = tr.col("i(l1)"), &i2 = tr.col("i(l2)"), &i3 = tr.col("i(l3)");
  ASSERT_GT(t.size(), 10u);
  EXPECT_EQ(i1.front(), 0.0);
  EXPECT_EQ(i3.front(), 0.0);
  for (std::size_t k = 0; k < t.size(); ++k) {
    EXPECT_NEAR(i1[k], t[k] / 1e-3, 1e-9) << t[k];          // the source's current leaves its + node: i(l1) = +t/L
    EXPECT_NEAR(i2[k], t[k] * t[k] / 2e-3 / 2e-3, 1e-6) << t[k];  // v = t/1ms: i = t^2 / (2 ms L)
    EXPECT_NEAR(i3[k], 2 * t[k] / 1e-3, 1e-9) << t[k];
  }
  int warned = 0;
  for (const auto& w : out.warnings)
    warned += w.message.find("closes a loop of voltage sources and inductors") != std::string::npos &&
              w.message.find("takes it as 0 A") != std::string::npos;
  EXPECT_EQ(warned, 3);
  Error e = runErr("vloop\nV1 a 0 1\nR1 a 0 1k\nV2 a 0 2\n.tran 1u 10u\n");
  EXPECT_EQ(e.code, ErrorCode::Topology) << e.format();
  // an .ac sees jwL whatever the DC current: i(l1) = 1 V / (j 2 pi 1k 1m); an .op beside it
  // reports a DC solution the loop has not: the error stays
  auto ac = runOk("lac\nV1 a 0 DC 0 AC 1\nL1 a 0 1m\n.ac lin 1 1k 1k\n");
  EXPECT_NEAR(std::abs(ac.get(AnalysisType::Ac).phasor("i(l1)", 0) -
                       1.0 / std::complex<double>(0, 2 * std::numbers::pi * 1e3 * 1e-3)),
              0.0, 1e-9);
  EXPECT_EQ(runErr("lop\nV1 a 0 DC 0 AC 1\nL1 a 0 1m\n.ac lin 1 1k 1k\n.op\n").code, ErrorCode::Topology);
}

const char* kLongRc =
    "long rc\n"
    "V1 in 0 SIN(0 1 1k)\n"
    "R1 in out 1k\n"
    "C1 out 0 1u\n"
    ".tran 1u 10m\n";

TEST(KernelErrors, CancelledBeforeStart) {
  std::atomic<bool> cancel{true};
  SimulationOptions o;
  o.cancel = &cancel;
  Error e = runErr(kLongRc, o);
  EXPECT_EQ(e.code, ErrorCode::Cancelled) << e.format();
}

TEST(KernelErrors, CancelledDuringRunStopsEarly) {
  // the sink raises the flag on the first chunk; the stepper must stop soon after
  struct CancellingSink final : SampleSink {
    std::atomic<bool>* flag;
    std::size_t rows = 0;
    explicit CancellingSink(std::atomic<bool>* f) : flag(f) {}
    void begin(const AnalysisHeader&) override {}
    void chunk(const Chunk& c) override {
      rows += c.rows;
      flag->store(true);
    }
    void end(const AnalysisSummary&) override {}
  };
  std::atomic<bool> cancel{false};
  SimulationOptions o;
  o.cancel = &cancel;
  o.chunkRows = 16;
  auto c = ir::parseNetlist(kLongRc);
  ASSERT_TRUE(c.ok());
  auto sim = Simulation::create(std::move(c.value()), o);
  ASSERT_TRUE(sim.ok()) << sim.error().format();
  CancellingSink sink(&cancel);
  Result<StepState> r = StepState::Running;
  for (int i = 0; i < 100000; ++i) {
    r = sim.value()->advance(sink, 64);
    if (!r || r.value() == StepState::Done) break;
  }
  ASSERT_FALSE(r.ok()) << "the run finished although it was cancelled";
  EXPECT_EQ(r.error().code, ErrorCode::Cancelled) << r.error().format();
  EXPECT_GT(sink.rows, 0u);
  EXPECT_LT(sink.rows, 1000u) << "10000 rows would be the whole run";
  // a failed simulation stays failed
  auto again = sim.value()->advance(sink, 64);
  EXPECT_FALSE(again.ok());
}

TEST(KernelErrors, MaxTimePointsIsLimit) {
  SimulationOptions o;
  o.maxTimePoints = 100;
  Error e = runErr(kLongRc, o);
  EXPECT_EQ(e.code, ErrorCode::Limit) << e.format();
  // the same run fits within a generous limit
  o.maxTimePoints = 1000000;
  auto ok = run(kLongRc, o);
  EXPECT_TRUE(ok.ok()) << (ok.ok() ? "" : ok.error().format());
}

TEST(KernelErrors, MaxUnknownsIsLimit) {
  SimulationOptions o;
  o.maxUnknowns = 2;  // in, out and i(v1) are three
  Error e = runErr(kLongRc, o);
  EXPECT_EQ(e.code, ErrorCode::Limit) << e.format();
  o.maxUnknowns = 3;
  EXPECT_TRUE(run(kLongRc, o).ok());
  // a numerical device's mesh counts too: 101 nodes, (psi, n, p) at the 99 inside
  const char* kNumd =
      "numd\nd1 1 0 m area=1\nv1 1 0 0.5\n.model m numd level=1\n+ x.mesh loc=0 n=1\n+ x.mesh loc=1 n=101\n"
      "+ domain num=1 material=1\n+ material num=1 silicon\n+ doping unif p.type conc=1e17 x.l=0 x.h=0.5\n"
      "+ doping unif n.type conc=1e16 x.l=0.5 x.h=1\n.op\n";
  o.maxUnknowns = 100;
  e = runErr(kNumd, o);
  EXPECT_EQ(e.code, ErrorCode::Limit) << e.format();
  EXPECT_NE(e.message.find("299 unknowns (297 of them inside numerical devices)"), std::string::npos) << e.message;
  o.maxUnknowns = 299;
  EXPECT_TRUE(run(kNumd, o).ok());
}

TEST(KernelErrors, ADeckWithoutAnalysisIsCheckedAndSimulatesNothing) {
  // ngspice: "no simulations run"; the deck is still read and checked
  auto c = ir::parseNetlist("no analysis\nR1 a 0 1k\nV1 a 0 1\n", {});
  ASSERT_TRUE(c) << c.error().format();
  EXPECT_TRUE(c.value().checkOnly);
  ASSERT_EQ(c.value().warnings.size(), 1u);
  EXPECT_NE(c.value().warnings[0].message.find("nothing was simulated"), std::string::npos);
  auto out = runOk("no analysis\nR1 a 0 1k\nV1 a 0 1\n");
  EXPECT_TRUE(out.analyses.empty());
  // a library of sub-circuits only
  auto lib = runOk("lib\n.subckt div in out\nR1 in out 1k\nR2 out 0 1k\n.ends\n.model dd d is=1e-14\n.end\n");
  EXPECT_TRUE(lib.analyses.empty());
  // the deck is still elaborated: a device naming a model that does not exist is an error
  Error e = runErr("no analysis\nV1 a 0 1\nD1 a 0 nosuch\n");
  EXPECT_NE(e.message.find("nosuch"), std::string::npos) << e.message;
  // a node with no DC path is not (ngspice does not set the circuit up when nothing runs)
  auto floating = runOk("no analysis\nV1 a 0 1\nC1 a b 1n\nC2 b 0 1n\n");
  EXPECT_TRUE(floating.analyses.empty());
  // a netlist with only a title is still an error: nothing was given at all
  Error t = runErr("just a title\n");
  EXPECT_NE(t.message.find("no analysis card"), std::string::npos) << t.message;
}

// ---------------------------------------------------------------------------
// Stepper

TEST(KernelStepper, SmallBudgetsGiveTheSameSamplesAsOneCall) {
  const char* netlist =
      "all analyses\n"
      "V1 in 0 DC 1 AC 1 PULSE(0 1 10u 1u 1u 20u 50u)\n"
      "R1 in a 1k\n"
      "L1 a out 10m\n"
      "C1 out 0 100n\n"
      "R2 out 0 10k\n"
      ".op\n"
      ".dc v1 0 1 0.1\n"
      ".ac dec 20 10 1meg\n"
      ".tran 1u 200u\n";
  SimulationOptions small;
  small.chunkRows = 7;
  auto one = run(netlist, {}, std::size_t(1) << 30);
  ASSERT_TRUE(one.ok()) << one.error().format();
  for (std::size_t budget : {std::size_t(1), std::size_t(3), std::size_t(50)}) {
    auto many = run(netlist, small, budget);
    ASSERT_TRUE(many.ok()) << many.error().format();
    const auto& A = one.value().analyses;
    const auto& B = many.value().analyses;
    ASSERT_EQ(A.size(), 4u);
    ASSERT_EQ(B.size(), A.size());
    for (std::size_t k = 0; k < A.size(); ++k) {
      SCOPED_TRACE(std::string(analysisName(A[k].header.type)) + " budget " + std::to_string(budget));
      EXPECT_EQ(B[k].header.type, A[k].header.type);
      EXPECT_EQ(B[k].header.index, int(k));
      ASSERT_EQ(B[k].rows, A[k].rows);
      EXPECT_GT(A[k].rows, 0u);
      EXPECT_EQ(B[k].x, A[k].x);
      EXPECT_EQ(B[k].order, A[k].order);
      for (const auto& name : A[k].order) {
        EXPECT_EQ(B[k].re.at(name), A[k].re.at(name)) << name;
        if (A[k].header.complex) EXPECT_EQ(B[k].im.at(name), A[k].im.at(name)) << name;
      }
    }
    EXPECT_EQ(many.value().stats.acceptedPoints, one.value().stats.acceptedPoints);
  }
}

TEST(KernelStepper, ProgressRisesToOneAndDoneIsSticky) {
  auto c = ir::parseNetlist(kLongRc);
  ASSERT_TRUE(c.ok());
  auto sim = Simulation::create(std::move(c.value()));
  ASSERT_TRUE(sim.ok());
  CollectingSink sink;
  double last = sim.value()->progress();
  EXPECT_GE(last, 0.0);
  int calls = 0;
  while (true) {
    auto r = sim.value()->advance(sink, 500);
    ASSERT_TRUE(r.ok()) << r.error().format();
    ++calls;
    double p = sim.value()->progress();
    EXPECT_GE(p, last);
    last = p;
    if (r.value() == StepState::Done) break;
  }
  EXPECT_GT(calls, 5) << "a 10000-row run in 500-row budgets";
  EXPECT_DOUBLE_EQ(last, 1.0);
  auto again = sim.value()->advance(sink, 500);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value(), StepState::Done);
  ASSERT_EQ(sink.analyses.size(), 1u);
}


TEST(KernelStepper, NonlinearTransientResumesExactly) {
  // a half-wave rectifier: Newton with the predictor, LTE rejections and
  // breakpoints all carry state across advance() calls
  const char* netlist =
      "rectifier\n"
      "V1 in 0 SIN(0 5 1k)\n"
      "D1 in out dmod\n"
      "C1 out 0 1u\n"
      "R1 out 0 1k\n"
      ".model dmod d is=1e-14 n=1 cjo=2p\n"
      ".tran 5u 3m\n";
  auto one = run(netlist);
  ASSERT_TRUE(one.ok()) << one.error().format();
  SimulationOptions small;
  small.chunkRows = 5;
  auto many = run(netlist, small, 1);
  ASSERT_TRUE(many.ok()) << many.error().format();
  const Collected& a = one.value().get(AnalysisType::Tran);
  const Collected& b = many.value().get(AnalysisType::Tran);
  ASSERT_EQ(a.rows, b.rows);
  EXPECT_EQ(a.x, b.x);
  EXPECT_EQ(a.col("v(out)"), b.col("v(out)"));
  EXPECT_EQ(one.value().stats.rejectedSteps, many.value().stats.rejectedSteps);
  EXPECT_EQ(one.value().stats.newtonIterations, many.value().stats.newtonIterations);
  // and it rectified: in the last period the output peaks at 5 V minus a
  // diode drop, then decays with RC = 1 ms (t = 3 ms is 0.75 ms after the peak)
  double peak = 0;
  for (std::size_t k = 0; k < a.rows; ++k)
    if (a.x[k] >= 2e-3) peak = std::max(peak, a.col("v(out)")[k]);
  EXPECT_GT(peak, 4.0);
  EXPECT_LT(peak, 4.6);
  EXPECT_NEAR(a.col("v(out)").back(), peak * std::exp(-0.75), 0.1 * peak);
}

TEST(KernelErrors, CancelStopsDcAndAcToo) {
  std::atomic<bool> cancel{true};
  SimulationOptions o;
  o.cancel = &cancel;
  Error dc = runErr("dc\nV1 a 0 1\nR1 a 0 1k\n.dc v1 0 1 0.1\n", o);
  EXPECT_EQ(dc.code, ErrorCode::Cancelled) << dc.format();
  Error ac = runErr("ac\nV1 a 0 AC 1\nR1 a 0 1k\n.ac dec 10 1 1k\n", o);
  EXPECT_EQ(ac.code, ErrorCode::Cancelled) << ac.format();
}

// A current source charging a floating capacitor. The operating point is the
// shunted circuit's DC solution: the level I/gmin, where gmin carries all of
// I, so a transient from it stays there (ngspice 39 starts from its 10 us
// transient op, I*10us/C, and ramps on: docs/netlist.md). With UIC there is
// no operating point and no shunt: the node ramps at I/C from 0, as in ngspice.
TEST(KernelFloating, CurrentSourceIntoAFloatingCapacitor) {
  auto out = runOk(
      "ifloat\n"
      "I1 0 a 1m\n"
      "C1 a 0 1n\n"
      ".tran 1u 10u\n");
  ASSERT_EQ(out.warnings.size(), 1u);
  EXPECT_NE(out.warnings[0].message.find("node 'a' has no DC path to ground"), std::string::npos);
  EXPECT_EQ(out.warnings[0].loc.line, 2);
  const Collected& tr = out.get(AnalysisType::Tran);
  ASSERT_GT(tr.rows, 2u);
  EXPECT_NEAR(tr.col("v(a)").front(), 1e-3 / 1e-12, 1.0);
  EXPECT_NEAR(tr.col("v(a)").back(), 1e-3 / 1e-12, 1.0);

  auto uic = runOk("ifloat uic\nI1 0 a 1m\nC1 a 0 1n\n.tran 1u 10u uic\n");
  EXPECT_TRUE(uic.warnings.empty());
  const Collected& tu = uic.get(AnalysisType::Tran);
  ASSERT_GT(tu.rows, 2u);
  EXPECT_NEAR(tu.col("v(a)").front(), 0.0, 1e-2);
  EXPECT_NEAR(tu.col("v(a)").back(), 1e6 * tu.x.back(), 1e-2);
}

}  // namespace

// The start-up seed (a 0.1 nV nudge of the initial point, so a ring oscillator
// leaves its balanced state) leaves the terminals of voltage sources alone: a
// capacitor between two source-held nodes carries no current at all, however
// short the first step, and a gain of 1e6 on that current reads zero (with the
// seed on them the first step's C seed / h came out as a ringing 1e-2 V).
TEST(KernelTran, SeedSparesNodesThatSourcesHold) {
  auto out = runOk("t\nV1 a 0 1\nE1 e 0 a 0 2\nC1 a b 1u\nC2 e b 1u\nV2 b 0 0\nH1 out 0 V2 1e6\nR1 out 0 1k\n"
                   ".tran 1u 20u\n.end\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  ASSERT_GT(tr.col("v(out)").size(), 5u);
  for (double v : tr.col("v(out)")) EXPECT_LE(std::fabs(v), 1e-12);
}

// ... while a node no source holds still gets it: two identical RC branches
// driven by one source part by a seed-sized amount, not bit-identically.
TEST(KernelTran, SeedStillNudgesFreeNodes) {
  auto out = runOk("t\nV1 a 0 1\nR1 a x 1k\nC1 x 0 1n\nR2 a y 1k\nC2 y 0 1n\n.tran 10n 100n\n.end\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  const auto& x = tr.col("v(x)");
  const auto& y = tr.col("v(y)");
  ASSERT_EQ(x.size(), y.size());
  ASSERT_GT(x.size(), 2u);
  EXPECT_NE(x[1], y[1]);
  EXPECT_NEAR(x[1], y[1], 1e-9);
}
