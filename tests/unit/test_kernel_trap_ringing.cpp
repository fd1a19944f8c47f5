// The trapezoidal rule's ringing control (.options trapdamp): the detector
// (ringTest, Integrator::ringsAhead) on synthetic current histories, the step
// controller's order-1 retry, an RC integrated at h >> tau by hand against
// 1 - exp(-t/tau), and a whole transient.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "analysis/integrator.hpp"
#include "analysis/step_controller.hpp"
#include "test_kernel_support.cpp"

using simcore::an::Integrator;
using simcore::an::ringTest;
using simcore::ir::IntegrationMethod;
using simcore::ir::Options;

namespace {

TEST(TrapRinging, AlternatingCurrentsRing) {
  // +a, -a, +a around a small smooth current, uniform and variable steps
  for (double h1 : {1e-7, 0.5e-7, 2e-7}) {
    const auto r = ringTest(1.0 + 0.01, -1.0 + 0.01, 1.0 + 0.01, 1e-7, h1, 1e-9);
    EXPECT_TRUE(r.rings) << "h1 = " << h1;
    EXPECT_NEAR(r.alternating, 1.0, 1e-12) << "the alternating part, as at the newest point";
  }
  // a ring of factor -0.9 (h = 38 tau) and -0.5 (h = 6 tau)
  EXPECT_TRUE(ringTest(0.81, -0.9, 1.0, 1.0, 1.0, 1e-6).rings);
  EXPECT_TRUE(ringTest(0.25, -0.5, 1.0, 1.0, 1.0, 1e-6).rings);
  // the first swing after an unresolved edge: 0, I, -0.8 I
  EXPECT_TRUE(ringTest(-0.8, 1.0, 0.0, 1.0, 1.0, 1e-6).rings);
  // but not a spike 0, I, 0 nor a current that merely changes sign
  EXPECT_FALSE(ringTest(0.0, 1.0, 0.0, 1.0, 1.0, 1e-6).rings);
  EXPECT_FALSE(ringTest(-0.1, 0.1, 0.3, 1.0, 1.0, 1e-6).rings);
  // a line plus an alternating part: the part comes out exactly
  const double a = 0.3;
  auto line = [](double t) { return 2.0 + 5.0 * t; };
  const auto r = ringTest(line(0.3) + a, line(0.1) - a, line(0.0) + a, 0.2, 0.1, 1e-6);
  EXPECT_NEAR(r.alternating, a, 1e-12);
}

TEST(TrapRinging, BelowTheFloorDoesNotRing) {
  // the same pattern at an amplitude the truncation-error test would accept
  EXPECT_FALSE(ringTest(1e-9, -1e-9, 1e-9, 1.0, 1.0, 1e-8).rings);
  EXPECT_TRUE(ringTest(1e-9, -1e-9, 1e-9, 1.0, 1.0, 1e-10).rings);
}

TEST(TrapRinging, SmoothSineDoesNotRing) {
  // sin(w t) sampled at h w up to 0.44, every phase, uniform and with the
  // step doubling or halving (the truncation-error test keeps the step of a
  // charge a sine dominates below h w = 0.44)
  const double w = 2 * std::numbers::pi;
  for (double hw : {0.01, 0.1, 0.3, 0.44})
    for (double ratio : {1.0, 2.0, 0.5})
      for (int k = 0; k < 200; ++k) {
        const double h0 = hw / w, h1 = h0 / ratio;
        const double t0 = k * 0.005 + 1.0;
        auto i = [&](double t) { return std::sin(w * t); };
        const auto r = ringTest(i(t0), i(t0 - h0), i(t0 - h0 - h1), h0, h1, 0.0);
        ASSERT_FALSE(r.rings) << "h w = " << hw << ", ratio " << ratio << ", t0 = " << t0;
      }
}

TEST(TrapRinging, FastResolvedExponentialDoesNotRing) {
  // exp(-t / tau) sampled exactly at h from tau / 10 to 100 tau: a transient
  // that is over within a step is not a ring
  for (double hr : {0.1, 0.5, 1.0, 3.0, 10.0, 100.0})
    for (double t0 : {1.0, 2.0, 5.0}) {
      auto i = [](double t) { return std::exp(-t); };
      const double h = hr;
      const auto r = ringTest(i(t0 + 2 * h), i(t0 + h), i(t0), h, h, 0.0);
      EXPECT_FALSE(r.rings) << "h = " << hr << " tau";
      const auto g = ringTest(-i(t0 + 2 * h), -i(t0 + h), -i(t0), h, h, 0.0);
      EXPECT_FALSE(g.rings) << "h = " << hr << " tau, negative";
    }
}

// An RC (R = 1, C = 1, tau = 1) driven by a unit step at t = 0 from v = 0,
// integrated at h = 100 tau as a device would (i = ag0 q + hist, KCL
// (1 - v) / R = i) with the step controller's order, the first step backward
// Euler as in a run; damp: a step that rings (ringsAhead) is taken again as
// the controller says. Returns v(t_k) - (1 - exp(-t_k)) for k = 1..steps.
std::vector<double> rcErrors(IntegrationMethod m, bool damp, int steps, int* damped = nullptr) {
  const double h = 100.0;
  Integrator in;
  in.setMethod(m, 2);
  in.resize(1);
  in.q()[0] = 0.0;
  in.iq()[0] = 0.0;
  in.initHistory();
  simcore::an::StepController control;
  control.start(h, h, in.maxOrder());
  control.setSaveDelta(h);
  Options o;
  std::vector<double> err;
  double t = 0;
  int n = 0;
  bool retry = false;
  for (int k = 1; k <= steps;) {
    // (the controller keeps a run's first steps at order 1, as ngspice; here
    // the second step is the first trapezoidal one)
    in.prepare(h, k == 1 || retry ? 1 : 2);
    const double v = (1.0 - in.hist()[0]) / (1.0 + in.ag0());
    in.q()[0] = v;
    in.iq()[0] = in.ag0() * v + in.hist()[0];
    if (damp && in.ringsAhead(o) > 0) {
      EXPECT_EQ(control.ringing(h), simcore::an::StepVerdict::Retry);
      EXPECT_EQ(control.order(), 1);
      retry = true;
      ++n;
      continue;
    }
    EXPECT_EQ(control.errorTest(h, 1e300, false), simcore::an::StepVerdict::Accept);
    simcore::an::StepPlan p;
    p.h = h;
    p.raise = in.order() == 1 ? 1e300 : std::numeric_limits<double>::quiet_NaN();
    in.accept(h);
    control.accepted(p, 1e300, false, 1e300);
    retry = false;
    t += h;
    err.push_back(v - (1.0 - std::exp(-t)));
    ++k;
  }
  if (damped) *damped = n;
  return err;
}

TEST(TrapRinging, RcStepAtLongStepsRingsWithoutTheControl) {
  const std::vector<double> plain = rcErrors(IntegrationMethod::Trapezoidal, false, 20);
  // the first (backward-Euler) step leaves the secant current C dv / h; the
  // trapezoidal rule carries it on with a factor -(1 - h/2)/(1 + h/2) = -0.96
  for (std::size_t k = 2; k < 12; ++k) {
    EXPECT_GT(std::fabs(plain[k]), 5e-3) << "step " << k + 1;
    EXPECT_LT(plain[k] * plain[k - 1], 0.0) << "step " << k + 1 << ": the error alternates";
  }
  int damped = 0;
  const std::vector<double> ctl = rcErrors(IntegrationMethod::Trapezoidal, true, 20, &damped);
  EXPECT_GE(damped, 1);
  // the second step (the first trapezoidal one) rings and is taken again with
  // backward Euler, whose error is the lag tau / h of the remaining gap
  for (std::size_t k = 1; k < ctl.size(); ++k) EXPECT_LT(std::fabs(ctl[k]), 1e-3) << "step " << k + 1;
  for (std::size_t k = 3; k < ctl.size(); ++k) EXPECT_LT(std::fabs(ctl[k]), 1e-5) << "step " << k + 1;
}

TEST(TrapRinging, RetryIsOrderOneAtTheSameStepAndPassesTheErrorTest) {
  simcore::an::StepController c;
  c.start(1e-6, 1e-7, 2);
  c.setSaveDelta(1e-6);
  EXPECT_EQ(c.ringing(0.3e-6), simcore::an::StepVerdict::Retry);
  EXPECT_EQ(c.order(), 1);
  EXPECT_DOUBLE_EQ(c.plan(0.0, 1.0).h, 0.3e-6);
  // the retry is accepted whatever its order-1 estimate; the next one is tested again
  EXPECT_EQ(c.errorTest(0.3e-6, 1e-9, false), simcore::an::StepVerdict::Accept);
  EXPECT_EQ(c.errorTest(0.3e-6, 1e-9, false), simcore::an::StepVerdict::Retry);
}

TEST(TrapRinging, OnlyTrapezoidalStepsAreDamped) {
  int damped = -1;
  rcErrors(IntegrationMethod::Gear, true, 20, &damped);
  EXPECT_EQ(damped, 0);
  rcErrors(IntegrationMethod::Euler, true, 20, &damped);
  EXPECT_EQ(damped, 0);
}

TEST(TrapRinging, SmoothRcIsNotTouched) {
  // the same RC at h = tau / 10: a resolved transient, no step rings
  auto walk = [](bool damp, int& n) {
    Integrator in;
    in.setMethod(IntegrationMethod::Trapezoidal, 2);
    in.resize(1);
    in.initHistory();
    Options o;
    std::vector<double> v;
    n = 0;
    for (int k = 1; k <= 200; ++k) {
      const double h = 0.1;
      in.prepare(h, 2);
      const double x = (1.0 - in.hist()[0]) / (1.0 + in.ag0());
      in.q()[0] = x;
      in.iq()[0] = in.ag0() * x + in.hist()[0];
      if (damp) n += in.ringsAhead(o);
      in.accept(h);
      v.push_back(x);
    }
    return v;
  };
  int n = 0;
  walk(true, n);
  EXPECT_EQ(n, 0);
}

// A whole transient: a stiff RC (tau = 5 ns) behind a 100 kHz square wave
// with 80 ns edges (tanh of a sine), at 0.5 us steps that do not resolve the
// edges. v(out) is a low-pass of a signal within +-1, so it stays within
// +-1; the plain trapezoidal rule overshoots after every edge.
TEST(TrapRinging, TransientOfRcBehindSquareWave) {
  const std::string deck =
      "rc square\n"
      "V1 s 0 SIN(0 1 100k)\n"
      "B1 in 0 V = {tanh(20*v(s))}\n"
      "R1 in out 1k\n"
      "C1 out 0 5p\n"
      "R2 out out2 10k\n"
      "C2 out2 0 100p\n"
      ".tran 0.5u 60u 0 0.5u\n";
  auto on = simcore::testing::runOk(deck + ".options trapdamp\n");
  auto off = simcore::testing::runOk(deck);
  auto overshoot = [](const simcore::testing::RunOutput& r) {
    const auto& v = r.get(simcore::AnalysisType::Tran).col("v(out)");
    double e = 0;
    for (double x : v) e = std::max(e, std::fabs(x) - 1.0);
    return e;
  };
  const double eOff = overshoot(off), eOn = overshoot(on);
  EXPECT_GT(eOff, 0.01) << "the plain trapezoidal rule rings here";
  EXPECT_LT(eOn, 1e-3);
  EXPECT_GT(on.stats.dampedRings, 0);
  EXPECT_EQ(off.stats.dampedRings, 0);
  // no more than a few extra points for it
  EXPECT_LT(on.stats.acceptedPoints, 2 * off.stats.acceptedPoints);
}

}  // namespace
