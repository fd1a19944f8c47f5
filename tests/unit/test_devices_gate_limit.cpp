// Unit tests of the gate-junction limiting of the FETs whose gate meets the
// channel through two junctions (J level 1, Z level 1 = Statz MESFET, Z levels
// 2-4 = MESA, Z levels 5-6 = HFET) across a rejected transient step: the first
// evaluation at a new time point (a retry with a shorter step after Newton
// failed) limits from the accepted point, as ngspice's predictor does
// (MODEINITPRED copies the accepted junction voltages into the limiting
// history), not from the last iterate of the attempt that failed. The retry
// must then load exactly what it loads when the failed attempt never happened.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "device_bench.hpp"
#include "simcore/ir.hpp"

using namespace simcore;
using namespace simcore::devbench;

namespace {

using Params = std::vector<std::pair<std::string, double>>;

struct Kind {
  std::string what, type;
  char letter;
  Params model, inst;
  double sign;  // +1 n-type, -1 p-type
};

Bench fetBench(const Kind& k) {
  Bench b;
  b.setup.circ.models.push_back(model("fm", k.type, k.model));
  ir::Device d = device(std::string(1, k.letter) + "1", {"d", "g", "s"}, 0, k.inst);
  b.setup.circ.devices.push_back(std::move(d));
  b.status = b.build();
  return b;
}

// A transient load at time t with integration coefficient ag0; returns noncon.
int tranLoad(Bench& b, const std::vector<double>& x, double ag0, double t) {
  std::fill(b.A.begin(), b.A.end(), 0.0);
  std::fill(b.f.begin(), b.f.end(), 0.0);
  dev::LoadContext c;
  c.mode = dev::AnalysisMode::Tran;
  c.x = x.data();
  c.A = b.A.data();
  c.f = b.f.data();
  c.ag0 = ag0;
  c.hist = b.hist.data();
  c.q = b.q.data();
  c.iq = b.iq.data();
  c.gmin = b.setup.circ.options.gmin;
  c.options = &b.setup.circ.options;
  c.time = t;
  b.group->load(c);
  return c.noncon;
}

// (vd, vg) with the source at 0 V, times the polarity
std::vector<double> at(Bench& b, const Kind& k, double vd, double vg) {
  return vec(b.n(), {{b.node("d"), k.sign * vd}, {b.node("g"), k.sign * vg}, {b.node("s"), 0.0}});
}

// The accepted point has the gate well below threshold (vgs = -3 V, vgd = -4 V);
// the attempt at t1 that fails has iterated to a forward-biased gate (vgs =
// 0.5 V); the retry at t2 < t1 starts at vgs = 1 V. From the accepted point
// pnjlim and fetlim pull vgs back towards the threshold; from the failed
// iterate they would let it go on to about 0.6 V (0.58 with pnjlim, 1 V
// with fetlim alone).
void retryLimitsFromTheAcceptedPoint(const Kind& k) {
  SCOPED_TRACE(k.what);
  Bench a = fetBench(k), b = fetBench(k);
  ASSERT_TRUE(a.status.ok()) << a.status.error().message;
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const double h1 = 1e-9, h2 = h1 / 8;
  const auto xa = at(a, k, 1.0, -3.0);
  for (Bench* x : {&a, &b}) {
    x->load(xa, dev::AnalysisMode::DcOp);
    x->load(xa, dev::AnalysisMode::TranInit);
    x->group->accept(xa.data(), 0.0);
  }
  // the attempt that fails: several iterates at t1, the last with the gate forward
  tranLoad(a, at(a, k, 1.0, -1.0), 1.0 / h1, h1);
  tranLoad(a, at(a, k, 1.0, 0.2), 1.0 / h1, h1);
  tranLoad(a, at(a, k, 1.0, 0.5), 1.0 / h1, h1);
  tranLoad(a, at(a, k, 1.0, 0.5), 1.0 / h1, h1);
  // the retry with a step of h1/8
  const auto xr = at(a, k, 1.0, 1.0);
  const int na = tranLoad(a, xr, 1.0 / h2, h2);
  const int nb = tranLoad(b, xr, 1.0 / h2, h2);
  EXPECT_GT(nb, 0) << "the retry's first iterate is limited";
  EXPECT_EQ(na, nb);
  ASSERT_EQ(a.f.size(), b.f.size());
  for (std::size_t r = 1; r < a.f.size(); ++r) EXPECT_EQ(a.f[r], b.f[r]) << "residual row " << r;
  for (std::size_t e = 0; e + 1 < a.A.size(); ++e) EXPECT_EQ(a.A[e], b.A[e]) << "matrix entry " << e;
  // later iterates of the retry limit from the retry's own last evaluation
  const auto xr2 = at(a, k, 1.0, 1.1);
  tranLoad(a, xr2, 1.0 / h2, h2);
  tranLoad(b, xr2, 1.0 / h2, h2);
  for (std::size_t r = 1; r < a.f.size(); ++r) EXPECT_EQ(a.f[r], b.f[r]) << "second iterate, residual row " << r;
}

std::vector<Kind> kinds() {
  const Params zInst = {{"l", 1e-6}, {"w", 20e-6}};
  return {
      {"JFET njf", "njf", 'j', {{"vto", -2}, {"beta", 1e-3}, {"cgs", 2e-12}, {"cgd", 1e-12}}, {}, 1.0},
      {"JFET pjf", "pjf", 'j', {{"vto", -2}, {"beta", 1e-3}, {"cgs", 2e-12}, {"cgd", 1e-12}}, {}, -1.0},
      {"MESFET nmf", "nmf", 'z', {{"vto", -2}, {"beta", 1e-3}, {"cgs", 2e-12}, {"cgd", 1e-12}}, {}, 1.0},
      {"MESFET pmf", "pmf", 'z', {{"vto", -2}, {"beta", 1e-3}, {"cgs", 2e-12}, {"cgd", 1e-12}}, {}, -1.0},
      {"MESA level 2", "nmf", 'z', {{"level", 2}}, zInst, 1.0},
      {"MESA level 3", "nmf", 'z', {{"level", 3}}, zInst, 1.0},
      {"MESA level 4", "nmf", 'z', {{"level", 4}}, zInst, 1.0},
      {"HFET level 5 n", "nhfet", 'z', {{"level", 5}}, zInst, 1.0},
      {"HFET level 5 p", "phfet", 'z', {{"level", 5}}, zInst, -1.0},
      {"HFET level 6 n", "nhfet", 'z', {{"level", 6}, {"js", 1e-3}}, zInst, 1.0},
      {"HFET level 6 p", "phfet", 'z', {{"level", 6}, {"js", 1e-3}}, zInst, -1.0},
  };
}

TEST(GateJunctionLimiting, RetryAfterARejectedStepLimitsFromTheAcceptedPoint) {
  for (const Kind& k : kinds()) retryLimitsFromTheAcceptedPoint(k);
}

}  // namespace
