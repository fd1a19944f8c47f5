// ngspice's transient operating point (optran, analysis/op_tran.cpp): the
// operating point is the end state of a transient from all zero in which every
// device sees time zero, with the sources ramped over TRAMP; which of Newton,
// gmin and source stepping run before it; and the error when it fails.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "netlist_test_util.hpp"
#include "plot_sink.hpp"

using namespace simcore;
using namespace simcore::testutil;

namespace {

struct OpRun {
  PlotSink plots;
  RunStats stats;
};

OpRun runOp(const std::string& deck) {
  OpRun r;
  auto res = simulate(deck, {}, r.plots);
  EXPECT_TRUE(res.ok()) << (res.ok() ? "" : res.error().format());
  if (res.ok()) r.stats = res.value();
  return r;
}

double opValue(const OpRun& r, const std::string& name) { return r.plots.get(AnalysisType::Op).at(name).real(); }

std::string latch(double c1, double c2, const std::string& control) {
  return "latch\nVDD vdd 0 5\nR1 vdd q 10k\nR2 vdd qb 10k\nM1 q qb 0 0 nm\nM2 qb q 0 0 nm\nC1 q 0 " +
         std::to_string(c1) + "p\nC2 qb 0 " + std::to_string(c2) +
         "p\n.model nm nmos level=1 vto=1 kp=2e-5 w=10u l=1u\n.control\n" + control + "op\n.endc\n.end\n";
}

// RC from a source: v(b) = 1 - exp(-t/1ms) in a transient from zero.
std::string rc(const std::string& source, const std::string& optran) {
  return "rc\nV1 a 0 " + source + "\nR1 a b 1k\nC1 b 0 1u\n.control\n" + optran + "\nop\n.endc\n.end\n";
}

TEST(OpTran, TheTransientFromZeroPicksTheLatchState) {
  // plain Newton: the symmetric (metastable) point, where the capacitors play no part
  OpRun plain = runOp(latch(1, 3, ""));
  EXPECT_NEAR(opValue(plain, "v(q)"), opValue(plain, "v(qb)"), 1e-6);
  ASSERT_EQ(plain.stats.opStrategies.size(), 1u);
  EXPECT_EQ(plain.stats.opStrategies[0], "newton");
  // the transient: the output with the smaller capacitor rises first and wins
  OpRun fast = runOp(latch(1, 3, "optran 0 0 0 1n 200n 0\n"));
  EXPECT_GT(opValue(fast, "v(q)"), 4.9);
  EXPECT_LT(opValue(fast, "v(qb)"), 1.0);
  ASSERT_EQ(fast.stats.opStrategies.size(), 1u);
  EXPECT_EQ(fast.stats.opStrategies[0], "transient op");
  OpRun swapped = runOp(latch(3, 1, "optran 0 0 0 1n 200n 0\n"));
  EXPECT_NEAR(opValue(swapped, "v(qb)"), opValue(fast, "v(q)"), 1e-9);
  EXPECT_NEAR(opValue(swapped, "v(q)"), opValue(fast, "v(qb)"), 1e-9);
}

TEST(OpTran, NewtonFirstWhenNoopiterIsNotZero) {
  // NOOPITER 1: Newton converges and the transient is not run
  OpRun r = runOp(latch(1, 3, "optran 1 0 0 1n 200n 0\n"));
  EXPECT_NEAR(opValue(r, "v(q)"), opValue(r, "v(qb)"), 1e-6);
  ASSERT_EQ(r.stats.opStrategies.size(), 1u);
  EXPECT_EQ(r.stats.opStrategies[0], "newton");
}

TEST(OpTran, TheOperatingPointIsTheStateAtTstop) {
  OpRun r = runOp(rc("1", "optran 0 0 0 10u 1m 0"));
  EXPECT_NEAR(opValue(r, "v(b)"), 1.0 - std::exp(-1.0), 2e-3);
  EXPECT_NEAR(opValue(r, "v(a)"), 1.0, 1e-12);
  // a tenth of the time constant
  OpRun shorter = runOp(rc("1", "optran 0 0 0 1u 100u 0"));
  EXPECT_NEAR(opValue(shorter, "v(b)"), 1.0 - std::exp(-0.1), 2e-4);
}

TEST(OpTran, SourcesRampOverTramp) {
  // input t/T up to T = 0.5 ms, then 1: v(T) = (T - tau (1 - exp(-T/tau)))/T,
  // v(1 ms) = 1 - (1 - v(T)) exp(-(1 ms - T)/tau), tau = 1 ms
  const double vT = (0.5 - (1.0 - std::exp(-0.5))) / 0.5;
  const double expected = 1.0 - (1.0 - vT) * std::exp(-0.5);
  OpRun r = runOp(rc("1", "optran 0 0 0 10u 1m 0.5m"));
  EXPECT_NEAR(opValue(r, "v(b)"), expected, 2e-3);
  EXPECT_GT(std::fabs(opValue(r, "v(b)") - (1.0 - std::exp(-1.0))), 0.05) << "the ramp must show";
}

TEST(OpTran, DevicesSeeTimeZero) {
  // a pulse that rises at 1 us stays at its time-zero value 0 through the whole transient
  OpRun pulse = runOp(rc("pulse(0 1 1u 1n 1n 1 2)", "optran 0 0 0 10u 1m 0"));
  EXPECT_NEAR(opValue(pulse, "v(b)"), 0.0, 1e-9);
  // a source whose time-zero value differs from its DC value: the time-zero value (ngspice alike)
  OpRun sine = runOp(rc("dc 0 sin(1 0 1k)", "optran 0 0 0 10u 1m 0"));
  EXPECT_NEAR(opValue(sine, "v(b)"), 1.0 - std::exp(-1.0), 2e-3);
}

TEST(OpTran, TheTransientStartsFromTheIcValuesWithoutARamp) {
  // ngspice 39 starts from its solution vector, which holds the .ic values
  // (v(b) = 1 - 0.3 exp(-1) = 0.8896); a capacitor's IC= is not used; with a
  // ramp everything starts from zero
  const std::string deck = "rcic\nV1 a 0 1\nR1 a b 1k\nC1 b 0 1u ic=0.5\n.ic v(b)=0.7\n.control\n";
  OpRun r = runOp(deck + "optran 0 0 0 10u 1m 0\nop\n.endc\n.end\n");
  EXPECT_NEAR(opValue(r, "v(b)"), 1.0 - 0.3 * std::exp(-1.0), 2e-3);
  const double vT = (0.5 - (1.0 - std::exp(-0.5))) / 0.5;
  OpRun ramped = runOp(deck + "optran 0 0 0 10u 1m 0.5m\nop\n.endc\n.end\n");
  EXPECT_NEAR(opValue(ramped, "v(b)"), 1.0 - (1.0 - vT) * std::exp(-0.5), 2e-3);
}

TEST(OpTran, AFailedTransientSaysWhenAndWhatWasTried) {
  // C dv/dt = exp(v) - v/R has no equilibrium (exp(v) > v): v blows up after
  // C * integral of dv/(exp(v) - v) from 0, about 1.36 us (ngspice 39: "Transient op
  // failed, timestep too small", trouble with node a)
  const std::string deck =
      "blowup\nB1 0 a I=exp(v(a))\nR1 a 0 1\nC1 a 0 1u\n.control\noptran 1 0 0 10n 10u 0\nop\n.endc\n.end\n";
  NullSink sink;
  auto r = simulate(deck, {}, sink);
  ASSERT_FALSE(r.ok());
  const std::string& m = r.error().message;
  EXPECT_TRUE(contains(m, "tried Newton (100 iterations) (optran), then the transient operating point")) << m;
  EXPECT_TRUE(contains(m, "a transient of 1e-05 s in steps of at most 1e-08 s from zero")) << m;
  EXPECT_TRUE(contains(m, "failed: timestep too small at t = 1.3")) << m;
  EXPECT_TRUE(contains(m, "node 'a'")) << m;
  EXPECT_FALSE(contains(m, "gmin")) << m;
  EXPECT_EQ(r.error().loc.line, 7) << "the op command's line";
}

TEST(OpTran, NothingLeftToTryIsAnError) {
  NullSink sink;
  auto r = simulate(latch(1, 3, "optran 0 0 0 0 200n 0\n"), {}, sink);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(contains(r.error().message, "optran switches off Newton, gmin and source stepping")) << r.error().message;
}

TEST(OpTran, ATransientStartsFromTheTransientOperatingPoint) {
  PlotSink s;
  auto r = simulate(latch(1, 3, "optran 0 0 0 1n 200n 0\ntran 1n 20n\n"), {}, s);
  ASSERT_TRUE(r.ok()) << r.error().format();
  const Plot& t = s.get(AnalysisType::Tran);
  ASSERT_FALSE(t.x.empty());
  EXPECT_DOUBLE_EQ(t.x.front(), 0.0);
  for (std::size_t k = 0; k < t.x.size(); ++k) {
    EXPECT_GT(t.at("v(q)", k).real(), 4.9) << t.x[k];
    EXPECT_LT(t.at("v(qb)", k).real(), 1.0) << t.x[k];
  }
}

}  // namespace
