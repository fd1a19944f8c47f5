// The shared semiconductor helpers (devices/semiconductor.hpp): the pieces
// every MOSFET level, VDMOS and the JFET take from one home.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "devices/semiconductor.hpp"

namespace semi = simcore::dev::semi;

TEST(SemiMeyer, VdsatIsFlooredAt25mV) {
  // just above threshold (vgst = 1 mV, vdsat = vgst) with vds = 10 mV: ngspice's
  // DEVqmeyer treats vdsat as 25 mV, so the device is in its linear region
  const double cox = 1e-12, phi = 0.7, von = 1.0;
  const double vgs = 1.001, vds = 0.01, vgd = vgs - vds;
  const auto floored = semi::meyer(vgs, vgd, von, 0.001, phi, cox);
  const auto at25 = semi::meyer(vgs, vgd, von, 0.025, phi, cox);
  EXPECT_DOUBLE_EQ(floored.cgs, at25.cgs);
  EXPECT_DOUBLE_EQ(floored.cgd, at25.cgd);
  const double vddif = 2 * 0.025 - vds, vddif1 = 0.025 - vds;
  EXPECT_NEAR(floored.cgd, cox * (1 - 0.025 * 0.025 / (vddif * vddif)) / 3, 1e-27);
  EXPECT_NEAR(floored.cgs, cox * (1 - vddif1 * vddif1 / (vddif * vddif)) / 3, 1e-27);
  EXPECT_GT(floored.cgd, 0.0);  // without the floor vds > vdsat: saturation, cgd = 0
  // above the floor the given vdsat counts
  const auto sat = semi::meyer(2.0, 1.5, von, 0.4, phi, cox);
  EXPECT_DOUBLE_EQ(sat.cgs, cox / 3);
  EXPECT_DOUBLE_EQ(sat.cgd, 0.0);
}

TEST(SemiMeyer, RegionsBelowThreshold) {
  const double cox = 3e-12, phi = 0.6, von = 1.0;
  EXPECT_DOUBLE_EQ(semi::meyer(0.0, 0.0, von, 0, phi, cox).cgb, cox / 2);  // accumulation
  const auto dep = semi::meyer(0.6, 0.6, von, 0, phi, cox);                // depletion
  EXPECT_DOUBLE_EQ(dep.cgs, 0.0);
  EXPECT_NEAR(dep.cgb, 0.4 * cox / (2 * phi), 1e-27);
  const auto weak = semi::meyer(0.9, 0.5, von, 0, phi, cox);  // vds = 0.4 V beyond vdsat
  EXPECT_NEAR(weak.cgs, -0.1 * cox / (1.5 * phi) + cox / 3, 1e-27);
  EXPECT_DOUBLE_EQ(weak.cgd, 0.0);
}

TEST(SemiMeyer, WeakInversionSharesTheChannelWithTheDrainBelowVdsat) {
  // vgst = -0.1 V, vds = 10 mV below the 25 mV floor of vdsat: ngspice splits
  // the weak-inversion gate-channel capacitance between source and drain
  const double cox = 3e-12, phi = 0.6, von = 1.0, vds = 0.01;
  const auto c = semi::meyer(0.9, 0.9 - vds, von, 0.0, phi, cox);
  const double whole = -0.1 * cox / (1.5 * phi) + cox / 3;
  const double vddif = 2 * 0.025 - vds, vddif1 = 0.025 - vds;
  EXPECT_NEAR(c.cgs, whole * (1 - vddif1 * vddif1 / (vddif * vddif)), 1e-27);
  EXPECT_NEAR(c.cgd, whole * (1 - 0.025 * 0.025 / (vddif * vddif)), 1e-27);
  EXPECT_GT(c.cgd, 0.0);
  EXPECT_NEAR(c.cgb, 0.1 * cox / (2 * phi), 1e-27);
}

TEST(SemiFetLimit, KeepsExactVoltagesWhenNothingMoves) {
  double vgs = 1.2345678901234, vds = 0.3000000000001;
  EXPECT_FALSE(semi::fetLimit(vgs, vds, 1.2345, 0.3, 0.7));
  EXPECT_EQ(vgs, 1.2345678901234);
  EXPECT_EQ(vds, 0.3000000000001);
}

TEST(SemiFetLimit, LimitsALargeGateStepAndDrainStep) {
  double vgs = 20.0, vds = 30.0;
  EXPECT_TRUE(semi::fetLimit(vgs, vds, 0.0, 0.0, 1.0));
  EXPECT_DOUBLE_EQ(vgs, 1.5);  // off -> no further than vto + 0.5
  EXPECT_DOUBLE_EQ(vds, 4.0);  // limvds below 3.5 V: at most 4 V
  // reverse mode limits vgd and -vds the same way
  double rgs = -10.0, rds = -30.0;
  EXPECT_TRUE(semi::fetLimit(rgs, rds, 0.0, -0.1, 1.0));
  EXPECT_DOUBLE_EQ(rds, -4.0);
}

TEST(SemiMosLimit, BulkJunctionOfTheSourceSideIsLimited) {
  semi::MosVoltages v{0.0, 1.0, 5.0};
  const semi::MosVoltages old{0.0, 1.0, 0.0};
  const double vt = 0.025852, vcrit = 0.6;
  EXPECT_TRUE(semi::mosLimit(v, old, 1.0, vt, vcrit, vcrit));
  EXPECT_LT(v.vbs, 1.0);
  EXPECT_DOUBLE_EQ(v.vds, 1.0);
  semi::MosVoltages same{0.1, 1.0, -0.5};
  EXPECT_FALSE(semi::mosLimit(same, same, 1.0, vt, vcrit, vcrit));
  EXPECT_EQ(same.vbs, -0.5);
}

TEST(SemiBulkJunction, ForwardReverseAndZero) {
  const double is = 1e-14, vt = 0.025852, gmin = 1e-12;
  const auto f = semi::bulkJunction(0.6, is, vt, gmin);
  EXPECT_NEAR(f.i, is * (std::exp(0.6 / vt) - 1) + gmin * 0.6, 1e-12 * f.i);
  const auto z = semi::bulkJunction(0.0, is, vt, gmin);
  EXPECT_EQ(z.i, 0.0);
  EXPECT_DOUBLE_EQ(z.g, is / vt + gmin);
  const auto r = semi::bulkJunction(-1.0, is, vt, gmin);
  EXPECT_DOUBLE_EQ(r.i, -gmin - is);
  EXPECT_DOUBLE_EQ(r.g, gmin);
}

TEST(SemiBulkJunction, LevelThreesReverseJunctionIsSmoothAtMinusThreeVt) {
  // ngspice's levels 1, 2 and 6 step from IS (e^-3 - 1) to -IS at -3 vt; its
  // levels 3 and 9 go on with -IS (1 + (3 vt / (e v))^3), whose value and slope
  // meet the exponential's there (a bandgap's Newton cycled across the step)
  const double is = 2e-12, vt = 0.027847, gmin = 1e-12, v3 = -3.0 * vt;
  const auto below = semi::bulkJunction(v3 * (1 + 1e-12), is, vt, gmin, true);
  const auto above = semi::bulkJunction(v3 * (1 - 1e-12), is, vt, gmin, true);
  EXPECT_NEAR(below.i, above.i, 1e-9 * is);
  EXPECT_NEAR(below.g, above.g, 1e-6 * above.g);
  const auto step = semi::bulkJunction(v3 * (1 + 1e-12), is, vt, gmin, false);
  EXPECT_NEAR(above.i - step.i, is * std::exp(-3.0), 1e-6 * is);
  // far in reverse: the saturation current, the cubic term and gmin
  const auto r = semi::bulkJunction(-1.0, is, vt, gmin, true);
  const double a = std::pow(3.0 * vt / (-1.0 * std::exp(1.0)), 3);
  EXPECT_DOUBLE_EQ(r.i, -is * (1 + a) - gmin);
  EXPECT_NEAR(r.g, is * 3 * a / -1.0 + gmin, 1e-15 * gmin);
  // its slope is the derivative of its current
  for (double v : {-0.09, -0.2, -1.5}) {
    const double h = 1e-7;
    const double fd = (semi::bulkJunction(v + h, is, vt, gmin, true).i - semi::bulkJunction(v - h, is, vt, gmin, true).i) / (2 * h);
    EXPECT_NEAR(semi::bulkJunction(v, is, vt, gmin, true).g, fd, 1e-6 * fd) << v;
  }
}

TEST(SemiGateCharge, DcAndIncrementalForms) {
  semi::GateCharges<2> acc, last;
  // DC: q = (2c + overlap) v
  auto dc = semi::gateCharge(1, 2.0, semi::HalfCap{1e-12}, 0.5e-12, acc, last, false);
  EXPECT_DOUBLE_EQ(dc.c, 2.5e-12);
  EXPECT_DOUBLE_EQ(dc.q, 5e-12);
  EXPECT_DOUBLE_EQ(last.v[1], 2.0);
  EXPECT_DOUBLE_EQ(last.ch[1], 1e-12);
  // transient from the accepted point: trapezoid of the half capacitances
  acc = last;
  auto tr = semi::gateCharge(1, 3.0, semi::HalfCap{2e-12, 1e-12}, 0.5e-12, acc, last, true);
  EXPECT_DOUBLE_EQ(tr.q, 5e-12 + (2e-12 + 1e-12 + 0.5e-12) * 1.0);
  EXPECT_DOUBLE_EQ(tr.c, 2e-12 + 1e-12 + 0.5e-12 + 1e-12 * 1.0);
  EXPECT_DOUBLE_EQ(last.q[1], tr.q);
}

namespace {
struct FourTerminals {  // every entry of a 4-terminal stamp, as the plain MOSFET layout
  static constexpr int terminals = 4;
  static constexpr bool mask[4][4] = {{1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}};
  static constexpr int states = 1;
  static constexpr int chargeFrom[1] = {0};
  static constexpr int chargeTo[1] = {1};
  static constexpr int series = 1;
};
struct FourTerminalsMerged : FourTerminals {  // the same, with terminals 2 and 3 often on one node (semi::MergedStamp)
  static constexpr int mergeA = 2, mergeB = 3;
};

// addStamp against the plain loop that adds every entry (into the bin too),
// for an instance with the given unknowns on 3 unknowns: every value but the
// bin's must be bit-identical, and the bins must stay untouched.
// K: FourTerminals, or FourTerminalsMerged (then `merged` says whether
// MergedStamp's additions must have been taken).
// The positions of an instance of K with the given unknowns, bound on a
// pattern of 3 unknowns; `bin` is that pattern's ground bin.
template <class K>
simcore::dev::semi::Positions<K> bindOnThreeUnknowns(const simcore::dev::Index* nodes, int& bin) {
  simcore::solver::SparsePattern pattern(3);
  simcore::dev::PatternBuilder b(pattern);
  simcore::dev::semi::Positions<K> p;
  p.bind(b, nodes);
  pattern.finalize();
  p.bind(b, nodes);
  bin = pattern.bin();
  return p;
}

// addStamp of sums that round against the plain loop that adds every entry
// (into the bin too): every value but the bin's bit-identical, the bins
// untouched when a terminal is on ground. `what` labels the failures.
template <class K>
void compareAddStamp(const simcore::dev::Index* nodes, const simcore::dev::semi::Positions<K>& p, int bin,
                     const std::string& what) {
  constexpr int N = K::terminals, E = simcore::dev::semi::LocalStamp<K>::E;
  double a[E], fi[N];
  for (int e = 0; e < E; ++e) a[e] = 0.1 * (e + 1) + 1e-17 * e * e;  // sums that round
  for (int k = 0; k < N; ++k) fi[k] = 0.3 * (k + 1);
  std::vector<double> A(std::size_t(bin) + 1, 0.7), f(4, 0.7), wantA = A, wantF = f;
  for (int e = 0; e < E; ++e) wantA[std::size_t(p.pos[e])] += a[e];
  for (int k = 0; k < N; ++k) wantF[std::size_t(nodes[k])] += fi[k];
  simcore::dev::LoadContext c;
  c.A = A.data();
  c.f = f.data();
  simcore::dev::semi::addStamp(c, nodes, p, a, fi);
  for (int q = 0; q < bin; ++q) EXPECT_EQ(A[std::size_t(q)], wantA[std::size_t(q)]) << what << "position " << q;
  for (int k = 1; k < 4; ++k) EXPECT_EQ(f[std::size_t(k)], wantF[std::size_t(k)]) << what << "unknown " << k;
  bool grounded = false;
  for (int k = 0; k < N; ++k) grounded = grounded || nodes[k] == 0;
  EXPECT_EQ(A[std::size_t(bin)], grounded ? 0.7 : wantA[std::size_t(bin)]) << what;
  EXPECT_EQ(f[0], grounded ? 0.7 : wantF[0]) << what;
}

template <class K = FourTerminals>
void checkStampAgainstPlainLoop(const simcore::dev::Index (&nodes)[4], bool merged = false) {
  constexpr int E = simcore::dev::semi::LocalStamp<K>::E;
  constexpr auto& en = simcore::dev::semi::LocalStamp<K>::entries;
  int bin = 0;
  const auto p = bindOnThreeUnknowns<K>(nodes, bin);
  EXPECT_EQ(p.merged, merged);
  for (int e = 0; e < E; ++e)
    EXPECT_EQ(((p.live >> e) & 1) != 0, p.pos[e] != bin) << "entry " << e << " (row " << en.row[e] << ")";
  for (int k = 0; k < 4; ++k) EXPECT_EQ(((p.liveNodes >> k) & 1) != 0, nodes[k] != 0);
  compareAddStamp<K>(nodes, p, bin, "");
}
}  // namespace

namespace {
struct ThreeTerminals {  // every entry of a 3-terminal stamp, as the MOSFET layout with the bulk on the source
  static constexpr int terminals = 3;
  static constexpr bool mask[3][3] = {{1, 1, 1}, {1, 1, 1}, {1, 1, 1}};
  static constexpr int states = 1;
  static constexpr int chargeFrom[1] = {0};
  static constexpr int chargeTo[1] = {1};
  static constexpr int series = 1;
};

// addStamp against the plain loop (every entry, the bins too) for an
// instance of K on 3 unknowns: every value but the bins' bit-identical, the
// bins untouched when a terminal is on ground.
template <class K>
void checkEverySetOfGroundedTerminals() {
  constexpr int N = K::terminals;
  for (int grounded = 0; grounded < (1 << N); ++grounded) {
    for (int shift = 0; shift < 3; ++shift) {  // the other terminals on nodes 1..3, some of them shared
      simcore::dev::Index nodes[N];
      for (int k = 0; k < N; ++k) nodes[k] = (grounded >> k) & 1 ? 0 : 1 + (k + shift) % 3;
      int bin = 0;
      const auto p = bindOnThreeUnknowns<K>(nodes, bin);
      compareAddStamp<K>(nodes, p, bin, "grounded " + std::to_string(grounded) + ", ");
    }
  }
}
}  // namespace

// Every set of terminals on ground takes its own unrolled additions
// (semi::addLiveStamp): the same sums as the plain loop, bins left alone.
TEST(SemiStamp, EverySetOfGroundedTerminalsAddsInOrder) {
  checkEverySetOfGroundedTerminals<ThreeTerminals>();
  checkEverySetOfGroundedTerminals<FourTerminals>();
}

TEST(SemiStamp, GroundEntriesAreLeftOutAndTheRestAddedInOrder) {
  checkStampAgainstPlainLoop({2, 1, 0, 0});  // source and bulk grounded (nmos)
  checkStampAgainstPlainLoop({2, 1, 3, 3});  // source and bulk on one node: four additions into one entry
  checkStampAgainstPlainLoop({2, 0, 1, 3});  // the gate grounded
  checkStampAgainstPlainLoop({1, 2, 3, 1});  // no ground
}

// Terminals 2 and 3 on one node off ground (a pmos with its bulk on its
// source): the unrolled additions summed in registers per position give
// the same bits as one addition after the other; any other sharing or a
// grounded terminal takes the general additions.
TEST(SemiStamp, MergedTerminalsAddTheSameSumsInRegisters) {
  EXPECT_EQ(simcore::dev::semi::MergedStamp<FourTerminalsMerged>::kPlan.groups, 9);
  checkStampAgainstPlainLoop<FourTerminalsMerged>({2, 1, 3, 3}, true);
  checkStampAgainstPlainLoop<FourTerminalsMerged>({3, 2, 1, 1}, true);
  checkStampAgainstPlainLoop<FourTerminalsMerged>({2, 1, 0, 0});  // grounded: the ground bins are left out
  checkStampAgainstPlainLoop<FourTerminalsMerged>({1, 2, 3, 1});  // another pair on one node
  checkStampAgainstPlainLoop<FourTerminalsMerged>({2, 2, 3, 3});  // two pairs
  checkStampAgainstPlainLoop<FourTerminalsMerged>({1, 2, 3, 2});
}
