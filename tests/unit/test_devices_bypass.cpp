// Bypass of semiconductor model evaluations (devices/semiconductor.hpp):
// the rules that decide when a stored linearisation may be reused (one diode
// group loaded by hand), and whole transients with bypass on and off that
// must agree while bypass really skips evaluations.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analysis/session.hpp"
#include "devices/context.hpp"
#include "devices/semiconductor.hpp"
#include "solver/sparse.hpp"
#include "test_kernel_support.cpp"

using namespace simcore;

namespace {

// ---------------------------------------------------------------------------
// One diode group loaded by hand

struct Setup : dev::SetupContext {
  ir::Circuit circ;
  dev::TranHints hints;
  std::map<std::string, dev::Index> nodes;
  int unknowns = 0, states = 0;

  const ir::Circuit& circuit() const override { return circ; }
  const ir::Options& options() const override { return circ.options; }
  const dev::TranHints& tranHints() const override { return hints; }
  dev::Index node(std::string_view name) override {
    if (name == "0") return 0;
    auto [it, added] = nodes.emplace(std::string(name), unknowns + 1);
    if (added) ++unknowns;
    return it->second;
  }
  dev::Index addBranch(const ir::Device&) override { return ++unknowns; }
  dev::Index addInternalNode(const ir::Device& owner, std::string_view suffix) override {
    return nodes[owner.name + "#" + std::string(suffix)] = ++unknowns;
  }
  int addStates(int count) override { return (states += count) - count; }
  dev::Index branchOf(std::string_view) const override { return -1; }
  const ir::Device* findDevice(std::string_view) const override { return nullptr; }
};

// D1 a 0 (or D1 a k) with series resistance and charge; a is unknown 1, the
// internal anode 2 (with a cathode node k: k is 2, the internal anode 3).
struct DiodeBench {
  Setup setup;
  std::unique_ptr<dev::DeviceGroup> group;
  std::unique_ptr<solver::SparsePattern> pattern;
  std::vector<double> A, f, q, iq, hist;
  dev::semi::BypassState* bypass = nullptr;

  explicit DiodeBench(const char* cathode = "0") {
    ir::Model m;
    m.name = "dm";
    m.type = "d";
    for (auto [k, v] : {std::pair{"is", 1e-14}, {"rs", 5.0}, {"cjo", 2e-12}, {"tt", 5e-9}})
      m.params.push_back(ir::Param{k, v, {}});
    setup.circ.models.push_back(m);
    ir::Device d;
    d.name = "d1";
    d.letter = 'd';
    d.nodes = {"a", cathode};
    d.model = 0;
    setup.circ.devices.push_back(d);
    group = dev::findKind('d')->create({&setup.circ.devices[0]});
    EXPECT_TRUE(group->setup(setup).ok());
    pattern = std::make_unique<solver::SparsePattern>(setup.unknowns);
    dev::PatternBuilder pb(*pattern);
    group->pattern(pb);
    pattern->finalize();
    group->pattern(pb);
    A.assign(std::size_t(pattern->nnz()) + 1, 0.0);
    f.assign(std::size_t(setup.unknowns) + 1, 0.0);
    q.assign(std::size_t(setup.states), 0.0);
    iq = q;
    hist.assign(q.size(), 1e-6);  // some charge history: the integrator's part of the current
    bypass = dev::semi::bypassState(*group);
  }

  void load(const std::vector<double>& x, dev::AnalysisMode mode, double time, double ag0 = 1e9) {
    std::fill(A.begin(), A.end(), 0.0);
    std::fill(f.begin(), f.end(), 0.0);
    dev::LoadContext c;
    c.mode = mode;
    c.x = x.data();
    c.A = A.data();
    c.f = f.data();
    c.time = time;
    c.ag0 = ag0;
    c.hist = hist.data();
    c.q = q.data();
    c.iq = iq.data();
    c.options = &setup.circ.options;
    group->load(c);
  }
  // Loads until limiting no longer moves the junction (the stored point is x itself).
  void settle(const std::vector<double>& x, double time) {
    for (int k = 0; k < 100; ++k) load(x, dev::AnalysisMode::DcOp, time, 0.0);
  }
  std::uint64_t evaluations() const { return bypass->evaluations; }
  std::uint64_t bypassed() const { return bypass->bypassed; }
};

// x = {ground, anode, internal anode}
std::vector<double> at(double va, double vi) { return {0.0, va, vi}; }

TEST(DeviceBypass, OnlyDiodeTransistorAndMosfetGroupsHaveIt) {
  DiodeBench b;
  ASSERT_NE(b.bypass, nullptr);
  EXPECT_TRUE(b.bypass->enabled) << "bypass is on by default";
  ir::Device r;
  r.name = "r1";
  r.letter = 'r';
  r.nodes = {"a", "0"};
  r.value = 1e3;
  auto resistors = dev::findKind('r')->create({&r});
  EXPECT_EQ(dev::semi::bypassState(*resistors), nullptr);
}

TEST(DeviceBypass, FirstLoadOfEverySolveEvaluates) {
  DiodeBench b;
  const auto x = at(0.7005, 0.7);
  b.settle(x, 0);
  b.load(x, dev::AnalysisMode::Tran, 1e-9);  // first load at a new time point
  EXPECT_EQ(b.evaluations(), 1u);
  const auto f1 = b.f, A1 = b.A;
  b.load(x, dev::AnalysisMode::Tran, 1e-9);  // same point, same time: reuse
  EXPECT_EQ(b.bypassed(), 1u);
  EXPECT_EQ(b.f, f1);
  EXPECT_EQ(b.A, A1);

  b.group->accept(x.data(), 1e-9);  // an accepted point: the next solve starts afresh
  b.load(x, dev::AnalysisMode::Tran, 1e-9);
  EXPECT_EQ(b.evaluations(), 2u);
  b.load(x, dev::AnalysisMode::Tran, 2e-9);  // a new time point (a retried step, say)
  EXPECT_EQ(b.evaluations(), 3u);
  b.load(x, dev::AnalysisMode::Tran, 2e-9, 2e9);  // same time, other integration coefficient
  EXPECT_EQ(b.evaluations(), 4u);
  b.load(x, dev::AnalysisMode::DcOp, 2e-9, 0.0);  // DC never bypasses...
  b.load(x, dev::AnalysisMode::DcOp, 2e-9, 0.0);
  b.load(x, dev::AnalysisMode::Tran, 2e-9);  // ...and the first transient load after it evaluates
  EXPECT_EQ(b.evaluations(), 5u);
  EXPECT_EQ(b.bypassed(), 1u);
}

// Right after an accepted step, an instance whose last load was a bypass
// (quiet) may reuse its linearisation in the first load of the next solve; an
// instance that evaluated last time evaluates; a solve at an earlier time (a
// rejected step retried, a restart) or the same time evaluates.
TEST(DeviceBypass, QuietInstanceMayBypassTheFirstLoadAfterAnAcceptedStep) {
  DiodeBench b;
  const auto x = at(0.7005, 0.7);
  b.settle(x, 0);
  b.load(x, dev::AnalysisMode::Tran, 1e-9);  // evaluates
  b.group->accept(x.data(), 1e-9);
  b.load(x, dev::AnalysisMode::Tran, 2e-9);  // not quiet (its last load evaluated): evaluates
  EXPECT_EQ(b.evaluations(), 2u);
  b.load(x, dev::AnalysisMode::Tran, 2e-9);  // same solve: bypass, now quiet
  EXPECT_EQ(b.bypassed(), 1u);
  b.group->accept(x.data(), 2e-9);
  b.load(x, dev::AnalysisMode::Tran, 3e-9, 2e9);  // next step, other coefficient: quiet, so reused
  EXPECT_EQ(b.bypassed(), 2u);
  EXPECT_EQ(b.evaluations(), 2u);
  b.group->accept(x.data(), 3e-9);
  b.load(x, dev::AnalysisMode::Tran, 2.5e-9);  // earlier than the last load: evaluates
  EXPECT_EQ(b.evaluations(), 3u);
  b.load(x, dev::AnalysisMode::Tran, 2.5e-9);  // bypass (quiet again)
  b.group->accept(x.data(), 2.5e-9);
  b.load(at(0.7005, 0.7003), dev::AnalysisMode::Tran, 3e-9);  // quiet but the current moved too much
  EXPECT_EQ(b.evaluations(), 4u);
  EXPECT_EQ(b.bypassed(), 3u);
}

TEST(DeviceBypass, SwitchedOffNeverBypasses) {
  DiodeBench b;
  b.bypass->enabled = false;
  const auto x = at(0.7005, 0.7);
  b.settle(x, 0);
  for (int k = 0; k < 5; ++k) b.load(x, dev::AnalysisMode::Tran, 1e-9);
  EXPECT_EQ(b.evaluations(), 5u);
  EXPECT_EQ(b.bypassed(), 0u);
}

TEST(DeviceBypass, ToleranceOnVoltagesAndPredictedCurrent) {
  // Reverse bias (tiny current): only the voltage test decides. The internal
  // anode at -2 V may move reltol*2 V + vntol = 2.001 mV.
  {
    DiodeBench b;
    const auto x = at(-2.0, -2.0);
    b.settle(x, 0);
    b.load(x, dev::AnalysisMode::Tran, 1e-9);
    b.load(at(-2.0015, -2.0015), dev::AnalysisMode::Tran, 1e-9);
    EXPECT_EQ(b.bypassed(), 1u) << "1.5 mV is within the voltage tolerance";
    b.load(at(-2.0025, -2.0025), dev::AnalysisMode::Tran, 1e-9);
    EXPECT_EQ(b.bypassed(), 1u) << "2.5 mV is not";
    EXPECT_EQ(b.evaluations(), 2u);
  }
  // Forward bias: 0.3 mV is inside the voltage tolerance (0.7 mV) but changes
  // the junction current by about 0.3 mV/vt = 1.2 % > reltol: evaluate.
  {
    DiodeBench b;
    const auto x = at(0.7005, 0.7);
    b.settle(x, 0);
    b.load(x, dev::AnalysisMode::Tran, 1e-9);
    b.load(at(0.7005, 0.7003), dev::AnalysisMode::Tran, 1e-9);
    EXPECT_EQ(b.bypassed(), 0u);
    EXPECT_EQ(b.evaluations(), 2u);
    // both terminals 1 uV further: the predicted change (4e-5 relative) passes
    b.load(at(0.700501, 0.700301), dev::AnalysisMode::Tran, 1e-9);
    EXPECT_EQ(b.bypassed(), 1u);
  }
}

// The voltage test is on the voltages between the terminals, not on the node
// potentials: with both ends of a diode near 300 V, reltol of the potentials
// (0.3 V) let its junction move by 0.2 V on a stored linearisation, and each
// evaluation after such a drift stepped the charge (the ring it kicks:
// DeviceBypass.JunctionRingDecaysAsWithoutBypass). A move of both ends
// together changes nothing the model sees: reused, and exact.
TEST(DeviceBypass, VoltageTestIsOnTheJunctionNotOnTheNodePotentials) {
  // x = {ground, anode, cathode, internal anode}; reverse biased by 0.5 V
  auto pt = [](double va, double vk) { return std::vector<double>{0.0, va, vk, va}; };
  DiodeBench b("k");
  b.settle(pt(299.5, 300.0), 0);
  b.load(pt(299.5, 300.0), dev::AnalysisMode::Tran, 1e-9);
  EXPECT_EQ(b.evaluations(), 1u);
  b.load(pt(299.7, 300.0), dev::AnalysisMode::Tran, 1e-9);
  EXPECT_EQ(b.bypassed(), 0u) << "the junction moved 0.2 V of its 0.5 V";
  EXPECT_EQ(b.evaluations(), 2u);
  // the linearisation is now at -0.3 V; both ends 0.4 V higher, and 0.2 uV apart
  // more (within reltol*0.3 V + vntol)
  const auto x1 = pt(300.1, 300.4000002);
  b.load(x1, dev::AnalysisMode::Tran, 1e-9);
  EXPECT_EQ(b.bypassed(), 1u) << "a common-mode move passes";
  DiodeBench full("k");
  full.bypass->enabled = false;
  full.settle(pt(299.7, 300.0), 0);
  full.load(x1, dev::AnalysisMode::Tran, 1e-9);
  EXPECT_NEAR(b.q[0], full.q[0], 1e-9 * std::fabs(full.q[0]));
  for (std::size_t u = 1; u < full.f.size(); ++u)
    EXPECT_NEAR(b.f[u], full.f[u], 1e-9 * std::fabs(full.f[u]) + 1e-15) << "residual row " << u;
  for (std::size_t k = 0; k + 1 < full.A.size(); ++k)
    EXPECT_NEAR(b.A[k], full.A[k], 1e-6 * std::fabs(full.A[k])) << "matrix entry " << k;
}

TEST(DeviceBypass, BypassedLoadIsTheLinearisationIncludingTheCharge) {
  // The stored point and a point 0.5 uV away (inside every tolerance): the
  // bypassed residual, Jacobian and recorded charge match a full evaluation
  // there to second order.
  const auto x0 = at(0.65, 0.649), x1 = at(0.6500005, 0.6490005);
  DiodeBench byp, full;
  full.bypass->enabled = false;
  for (DiodeBench* b : {&byp, &full}) {
    b->settle(x0, 0);
    b->load(x0, dev::AnalysisMode::Tran, 1e-9);
    b->load(x1, dev::AnalysisMode::Tran, 1e-9);
  }
  ASSERT_EQ(byp.bypassed(), 1u);
  ASSERT_EQ(full.bypassed(), 0u);
  // the charge moved by about C*dv; the linearised charge is exact to ~1e-6 of that move
  const double dq = full.q[0] - [&] {
    DiodeBench ref;
    ref.bypass->enabled = false;
    ref.settle(x0, 0);
    ref.load(x0, dev::AnalysisMode::Tran, 1e-9);
    return ref.q[0];
  }();
  ASSERT_GT(std::fabs(dq), 0.0);
  EXPECT_NEAR(byp.q[0], full.q[0], 1e-3 * std::fabs(dq)) << "recorded charge is not q(Vl) + C*(V - Vl)";
  EXPECT_NEAR(byp.iq[0], full.iq[0], 1e-3 * std::fabs(1e9 * dq));
  for (std::size_t u = 1; u < full.f.size(); ++u)
    EXPECT_NEAR(byp.f[u], full.f[u], 1e-6 * std::fabs(full.f[u])) << "residual row " << u;
  for (std::size_t k = 0; k + 1 < full.A.size(); ++k)
    EXPECT_NEAR(byp.A[k], full.A[k], 1e-4 * std::fabs(full.A[k])) << "matrix entry " << k;
}

// ---------------------------------------------------------------------------
// Whole transients, bypass on and off

struct TranRun {
  simcore::testing::Collected tran;
  RunStats stats;
  std::uint64_t evaluations = 0, bypassed = 0;
};

TranRun runTran(const std::string& netlist, bool bypass) {
  TranRun out;
  ir::ParseOptions po;
  po.fileName = "bypass.cir";
  auto parsed = ir::parseNetlist(netlist, po);
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().format());
  if (!parsed.ok()) return out;
  const ir::Circuit circuit = std::move(parsed.value());
  const ir::Analysis& a = circuit.analyses.at(0);
  EXPECT_EQ(a.kind, ir::AnalysisKind::Tran);
  auto model = an::CircuitModel::build(circuit, dev::TranHints{a.tstep, a.tstop});
  EXPECT_TRUE(model.ok());
  if (!model.ok()) return out;
  an::Session s(std::move(model.value()), SimulationOptions{});
  auto outputs = s.model->outputs({});
  EXPECT_TRUE(outputs.ok());
  if (!outputs.ok()) return out;
  s.outputs = std::move(outputs.value());
  for (auto& g : s.model->groups())
    if (auto* b = dev::semi::bypassState(*g)) b->enabled = bypass;
  simcore::testing::CollectingSink sink;
  auto stepper = an::makeTran(s, a, 0);
  EXPECT_TRUE(stepper->start(sink).ok());
  for (int guard = 0; guard < 1000; ++guard) {
    auto r = stepper->step(sink, 1 << 20);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().format());
    if (!r.ok() || r.value()) break;
  }
  for (auto& g : s.model->groups())
    if (auto* b = dev::semi::bypassState(*g)) {
      out.evaluations += b->evaluations;
      out.bypassed += b->bypassed;
    }
  EXPECT_EQ(sink.analyses.size(), 1u);
  if (!sink.analyses.empty()) out.tran = sink.analyses[0];
  out.stats = s.stats;
  return out;
}

// Linear interpolation of (x, y) at t.
double interp(const std::vector<double>& x, const std::vector<double>& y, double t) {
  auto it = std::lower_bound(x.begin(), x.end(), t);
  if (it == x.begin()) return y.front();
  if (it == x.end()) return y.back();
  const std::size_t k = std::size_t(it - x.begin());
  const double w = (t - x[k - 1]) / (x[k] - x[k - 1]);
  return y[k - 1] + w * (y[k] - y[k - 1]);
}

// Largest |on - off| of a signal over the off run's time points.
double maxDifference(const TranRun& on, const TranRun& off, const std::string& sig) {
  double worst = 0;
  const auto& y = off.tran.col(sig);
  for (std::size_t k = 0; k < off.tran.x.size(); ++k)
    worst = std::max(worst, std::fabs(interp(on.tran.x, on.tran.col(sig), off.tran.x[k]) - y[k]));
  return worst;
}

// Times where sig rises through level (linear interpolation).
std::vector<double> risingCrossings(const simcore::testing::Collected& c, const std::string& sig, double level) {
  std::vector<double> t;
  const auto& y = c.col(sig);
  for (std::size_t k = 1; k < y.size(); ++k)
    if (y[k - 1] < level && y[k] >= level)
      t.push_back(c.x[k - 1] + (level - y[k - 1]) / (y[k] - y[k - 1]) * (c.x[k] - c.x[k - 1]));
  return t;
}

// Five-stage ring oscillator plus four idle gates; the NMOS has Meyer
// capacitances (TOX) and series resistances (internal nodes), the PMOS overlap
// and junction ones.
const char* kRing =
    "ring oscillator\n"
    ".model NM NMOS(LEVEL=1 VTO=0.7 KP=110u LAMBDA=0.04 GAMMA=0.45 PHI=0.7 TOX=20n CGSO=0.3n CGDO=0.3n CBD=5f "
    "CBS=5f RD=20 RS=20)\n"
    ".model PM PMOS(LEVEL=1 VTO=-0.8 KP=40u LAMBDA=0.05 GAMMA=0.5 PHI=0.7 CGSO=0.3n CGDO=0.3n CBD=5f CBS=5f)\n"
    ".subckt inv in out vdd\n"
    "MN out in 0 0 NM W=2u L=1u\n"
    "MP out in vdd vdd PM W=5u L=1u\n"
    "CL out 0 50f\n"
    ".ends inv\n"
    "VDD vdd 0 DC 3.3\n"
    "X1 n1 n2 vdd inv\n"
    "X2 n2 n3 vdd inv\n"
    "X3 n3 n4 vdd inv\n"
    "X4 n4 n5 vdd inv\n"
    "X5 n5 n1 vdd inv\n"
    "* idle gates on constant inputs: bypassed on every second Newton iteration\n"
    "X6 0 i1 vdd inv\n"
    "X7 i1 i2 vdd inv\n"
    "X8 vdd i3 vdd inv\n"
    "X9 i3 i4 vdd inv\n"
    ".ic v(n1)=0\n"
    ".tran 10p 15n\n";

TEST(DeviceBypass, RingOscillatorAgreesWithAndWithoutBypass) {
  const TranRun on = runTran(kRing, true), off = runTran(kRing, false);
  ASSERT_GT(off.tran.rows, 100u);
  EXPECT_EQ(off.bypassed, 0u);
  // bypass skips a good share of the evaluations: at least the idle gates'
  // (8 of 18 transistors) on each time point's second Newton iteration
  EXPECT_GT(on.bypassed, (on.evaluations + on.bypassed) / 6) << "evaluations " << on.evaluations;
  EXPECT_LT(on.evaluations, off.evaluations);
  // same oscillation: rising edges of n1 within 0.2 ps (periods are ~0.5 ns)...
  const auto eOn = risingCrossings(on.tran, "v(n1)", 1.65), eOff = risingCrossings(off.tran, "v(n1)", 1.65);
  ASSERT_GE(eOff.size(), 5u);
  ASSERT_EQ(eOn.size(), eOff.size());
  for (std::size_t k = 0; k < eOff.size(); ++k) EXPECT_NEAR(eOn[k], eOff[k], 0.2e-12) << "edge " << k;
  // ...and the waveforms (3.3 V swing, edges ~3 mV/fs at most) within 20 mV,
  // the supply current (peaks ~0.3 mA) within 3 uA
  EXPECT_LT(maxDifference(on, off, "v(n1)"), 20e-3);
  EXPECT_LT(maxDifference(on, off, "v(n3)"), 20e-3);
  EXPECT_LT(maxDifference(on, off, "i(vdd)"), 3e-6);
}

// Full-wave bridge with a reservoir capacitor: conduction bursts, reverse
// recovery (TT) and junction capacitance.
const char* kBridge =
    "bridge rectifier\n"
    ".model DM D(IS=1e-14 N=1.05 RS=0.5 CJO=20p TT=20n BV=100)\n"
    "V1 a b SIN(0 10 1k)\n"
    "RB b 0 1meg\n"
    "D1 a p DM\n"
    "D2 b p DM\n"
    "D3 0 a DM\n"
    "D4 0 b DM\n"
    "RL p 0 1k\n"
    "CL p 0 10u\n"
    ".tran 5u 4m\n";

TEST(DeviceBypass, BridgeRectifierAgreesWithAndWithoutBypass) {
  const TranRun on = runTran(kBridge, true), off = runTran(kBridge, false);
  ASSERT_GT(off.tran.rows, 100u);
  EXPECT_EQ(off.bypassed, 0u);
  EXPECT_GT(on.bypassed, (on.evaluations + on.bypassed) / 20) << "evaluations " << on.evaluations;
  EXPECT_LT(on.evaluations, off.evaluations);
  const auto& p = off.tran.col("v(p)");
  ASSERT_GT(*std::max_element(p.begin(), p.end()), 8.0) << "the bridge rectifies";
  // 10 V peaks: within 2 mV (Newton's own tolerance is ~10 mV there), the
  // source current (~0.1 A charging peaks) within 0.5 mA
  EXPECT_LT(maxDifference(on, off, "v(p)"), 2e-3);
  EXPECT_LT(maxDifference(on, off, "v(a)"), 2e-3);
  EXPECT_LT(maxDifference(on, off, "i(v1)"), 0.5e-3);
}

// A reverse-biased diode between two nodes near 300 V rings with 50 uH
// against its junction capacitance (2-3 MHz, Q ~ 1,400 with the 0.5 ohm) while
// its reverse voltage ramps: the ring must decay at the circuit's rate,
// exp(-t R/(2L)) (tau = 194 us), with bypass as without. A voltage test on
// the node potentials let the junction drift 0.3 V on one linearisation and
// the charge step at each new evaluation kept the ring going (its RMS fell
// by 0.73 over 0.4 ms instead of 0.15; ngspice 39 and reltol = 1e-6 give 0.15).
const char* kJunctionRing =
    "reverse-biased junction ringing with the line inductance at 300 V\n"
    ".model DB D(IS=1e-8 N=1.8 RS=15m CJO=100p VJ=0.6 M=0.5)\n"
    "v1 a 0 pwl(0 298 10n 297.99 1m 288)\n"
    "r1 a b 0.5\n"
    "l1 b c 50u\n"
    "d1 c p DB\n"
    "v2 p 0 300\n"
    ".tran 10n 0.6m 0 20n\n";

// RMS of sig's ring over [t0, t1): sampled every 5 ns, less its straight-line fit.
double ringRms(const TranRun& r, const std::string& sig, double t0, double t1) {
  std::vector<double> t, y;
  for (double s = t0; s < t1; s += 5e-9) {
    t.push_back(s);
    y.push_back(interp(r.tran.x, r.tran.col(sig), s));
  }
  const double n = double(t.size());
  double st = 0, sy = 0, stt = 0, sty = 0;
  for (std::size_t k = 0; k < t.size(); ++k) {
    const double u = t[k] - t0;
    st += u; sy += y[k]; stt += u * u; sty += u * y[k];
  }
  const double slope = (n * sty - st * sy) / (n * stt - st * st), icpt = (sy - slope * st) / n;
  double ss = 0;
  for (std::size_t k = 0; k < t.size(); ++k) {
    const double e = y[k] - (icpt + slope * (t[k] - t0));
    ss += e * e;
  }
  return std::sqrt(ss / n);
}

TEST(DeviceBypass, JunctionRingDecaysAsWithoutBypass) {
  const TranRun on = runTran(kJunctionRing, true), off = runTran(kJunctionRing, false);
  ASSERT_GT(off.tran.rows, 20000u);
  EXPECT_GT(on.bypassed, 0u);
  const double offEarly = ringRms(off, "i(l1)", 0.1e-3, 0.2e-3), offLate = ringRms(off, "i(l1)", 0.5e-3, 0.6e-3);
  const double onEarly = ringRms(on, "i(l1)", 0.1e-3, 0.2e-3), onLate = ringRms(on, "i(l1)", 0.5e-3, 0.6e-3);
  ASSERT_GT(offEarly, 1e-6) << "the step at 10 ns excites a ring of a few uA";
  // exp(-0.4 ms / 194 us) = 0.127, times (1 - v/VJ)^(1/8) for the rising frequency: ~0.15
  EXPECT_GT(offLate / offEarly, 0.10);
  EXPECT_LT(offLate / offEarly, 0.22);
  EXPECT_NEAR(onEarly, offEarly, 0.25 * offEarly);
  EXPECT_NEAR(onLate, offLate, 0.25 * offLate) << "ring RMS with bypass " << onLate << " A, without " << offLate;
}

}  // namespace

namespace {

// MOSFET groups without series resistances use the 4-terminal layout
// (mos_frame.hpp PlainLayout); one instance with RD puts the whole group in
// the 6-terminal layout. Both describe the same devices: the ring's
// waveforms agree (bypass off, so only the order of additions differs).
TEST(MosfetLayouts, PlainAndSeriesLayoutsGiveTheSameWaveforms) {
  std::string plain = kRing;
  const std::string rdrs = " RD=20 RS=20)";
  plain.replace(plain.find(rdrs), rdrs.size(), ")");
  const std::string series =
      plain + ".model NR NMOS(LEVEL=1 VTO=0.7 KP=110u RD=20)\nMX x x 0 0 NR\nRX y x 10k\nVY y 0 DC 2\n";
  const TranRun a = runTran(plain, false), b = runTran(series, false);
  ASSERT_GT(a.tran.rows, 100u);
  for (const char* sig : {"v(n1)", "v(n3)", "v(i2)"}) EXPECT_LT(maxDifference(a, b, sig), 1e-6) << sig;
  EXPECT_LT(maxDifference(a, b, "i(vdd)"), 1e-9) << "supply current";
}

}  // namespace
