// StepController on its own: breakpoint landing, failure handling (recoverable
// or fatal), the error test and the next step and order. No circuit, no Newton.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "analysis/step_controller.hpp"

using simcore::an::defaultTmax;
using simcore::an::StepController;
using simcore::an::StepPlan;
using simcore::an::StepVerdict;

namespace {

StepController started(double tmax = 1e-3, double h0 = 1e-5, int maxOrder = 2) {
  StepController c;
  c.start(tmax, h0, maxOrder);
  return c;
}

// The largest step of a .tran without TMAX.
TEST(KernelStepController, DefaultTmaxRule) {
  const double inf = std::numeric_limits<double>::infinity();
  // SPICE mode: TSTEP, whatever the sources (ngspice 39)
  EXPECT_DOUBLE_EQ(defaultTmax(false, 1e-6, 1e-3, inf), 1e-6);
  EXPECT_DOUBLE_EQ(defaultTmax(false, 1e-6, 1e-3, 1e-9), 1e-6);
  // event mode, piecewise-linear time functions only: 10 TSTEP
  EXPECT_DOUBLE_EQ(defaultTmax(true, 1e-6, 1e-3, inf), 1e-5);
  // a smooth source slower than that keeps it (a 50 Hz reference in a 10 kHz PWM)
  EXPECT_DOUBLE_EQ(defaultTmax(true, 1e-6, 1e-3, 4e-4), 1e-5);
  // one in between sets the step
  EXPECT_DOUBLE_EQ(defaultTmax(true, 1e-6, 1e-3, 3e-6), 3e-6);
  // one faster than TSTEP: TSTEP, as SPICE draws it
  EXPECT_DOUBLE_EQ(defaultTmax(true, 1e-5, 1e-3, 4e-6), 1e-5);
  // (TSTOP - TSTART) / 50 caps both modes
  EXPECT_DOUBLE_EQ(defaultTmax(true, 1e-5, 1e-3, inf), 2e-5);
  EXPECT_DOUBLE_EQ(defaultTmax(false, 1e-4, 1e-3, inf), 2e-5);
}

TEST(KernelStepController, StartsAtOrderOneWithHminFromTmax) {
  StepController c = started(2e-3, 3e-6);
  EXPECT_EQ(c.order(), 1);
  EXPECT_DOUBLE_EQ(c.h(), 3e-6);
  EXPECT_DOUBLE_EQ(c.tmax(), 2e-3);
  EXPECT_DOUBLE_EQ(c.hmin(), 2e-14);
}

TEST(KernelStepController, PlanIsLimitedByTmax) {
  StepController c = started(1e-4, 1.0);
  StepPlan p = c.plan(0.0, 1.0);
  EXPECT_DOUBLE_EQ(p.h, 1e-4);
  EXPECT_FALSE(p.landing);
}

TEST(KernelStepController, PlanLandsOnABreakpointItWouldReach) {
  StepController c = started(1.0, 1e-5);
  // the breakpoint is 0.8e-5 ahead: the step ends exactly on it
  StepPlan p = c.plan(1e-3, 1e-3 + 0.8e-5);
  EXPECT_TRUE(p.landing);
  EXPECT_DOUBLE_EQ(p.h, (1e-3 + 0.8e-5) - 1e-3);
  // within 1e-9 relative of the gap counts as reaching it (no 1e-14 sliver left)
  p = c.plan(0.0, 1e-5 * (1 + 1e-10));
  EXPECT_TRUE(p.landing);
  EXPECT_DOUBLE_EQ(p.h, 1e-5 * (1 + 1e-10));
}

TEST(KernelStepController, SpiceModeTakesTheFullStepAndLandsOnlyWithinTheMinimumBreak) {
  StepController c = started(1e-3, 1e-5);
  // ngspice takes the whole step and the sliver after it ...
  StepPlan p = c.plan(0.0, 1.2e-5);
  EXPECT_FALSE(p.landing);
  EXPECT_DOUBLE_EQ(p.h, 1e-5);
  EXPECT_DOUBLE_EQ(p.wanted, 1e-5);
  // ... unless the sliver is within its minimum break (XSPICE's 1e-10 tmax = 1e-13): land
  p = c.plan(0.0, 1e-5 + 0.8e-13);
  EXPECT_TRUE(p.landing);
  EXPECT_DOUBLE_EQ(p.h, 1e-5 + 0.8e-13);
  p = c.plan(0.0, 1e-5 + 1.5e-13);
  EXPECT_FALSE(p.landing);
  // (SPICE3's 5e-5 tmax is not ngspice 39's: a corner 0.1 ns after another, under a TMAX of
  // 10 us, is reached in steps, 9.991e-8 9.993e-8 9.997e-8 1e-7, not in one stretched step)
  StepController d = started(1e-5, 1e-11);
  p = d.plan(9.99e-8, 1e-7);
  EXPECT_FALSE(p.landing);
  EXPECT_DOUBLE_EQ(p.h, 1e-11);
  // a step cut by the breakpoint remembers the step it wanted
  p = c.plan(0.0, 0.72e-5);
  EXPECT_TRUE(p.landing);
  EXPECT_DOUBLE_EQ(p.h, 0.72e-5);
  EXPECT_DOUBLE_EQ(p.wanted, 1e-5);
}

// A retry after a rejected step is not stretched onto a breakpoint beyond that
// step: an event inside it (an adc_bridge threshold) cut it again and again, for
// ever (eSim's Monostable555 hung at 1.0972 ms, its breakpoint 1 ns ahead).
TEST(KernelStepController, ARetryIsNotStretchedOntoABreakpointPastTheRejectedStep) {
  StepController c = started(1.0, 1e-10);  // minimum break 1e-10 tmax, hmin 1e-11
  const double bp = 0.9e-10;
  StepPlan p = c.plan(0.0, bp);
  EXPECT_TRUE(p.landing);
  EXPECT_DOUBLE_EQ(p.h, bp);
  // the event locator cut the step to 0.7e-10; the error test rejects it, wanting 2e-11
  EXPECT_EQ(c.errorTest(0.7e-10, 2e-11, false), StepVerdict::Retry);
  p = c.plan(0.0, bp);
  EXPECT_FALSE(p.landing);
  EXPECT_DOUBLE_EQ(p.h, 2e-11);
  // once a step is accepted the minimum break lands again
  c.accepted(p, 1.0, false, bp - p.h);
  p = c.plan(p.h, bp);
  EXPECT_TRUE(p.landing);
  // a breakpoint within a step shorter than the rejected one is still landed on
  StepController d = started(1.0, 1e-10);
  EXPECT_EQ(d.errorTest(0.7e-10, 1.5e-11, false), StepVerdict::Retry);
  p = d.plan(0.0, 0.5e-10);
  EXPECT_TRUE(p.landing);
  EXPECT_DOUBLE_EQ(p.h, 0.5e-10);
  // and after a Newton failure too
  StepController e = started(1.0, 1e-10);
  EXPECT_EQ(e.newtonFailed(0.8e-10), StepVerdict::Retry);
  p = e.plan(0.0, bp);
  EXPECT_FALSE(p.landing);
  EXPECT_DOUBLE_EQ(p.h, 1e-11);
}

TEST(KernelStepController, EventModePlanAvoidsASliverBeforeABreakpoint) {
  StepController c = started(1.0, std::ldexp(1.0, -10));
  c.setQuantized(true);
  // h = 2^-10 would leave a quarter of it before the corner: take half the gap instead
  const double gap = 1.25 * std::ldexp(1.0, -10);
  StepPlan p = c.plan(0.0, gap);
  EXPECT_FALSE(p.landing);
  EXPECT_DOUBLE_EQ(p.h, 0.5 * gap);
  // far from the corner: the full step
  p = c.plan(0.0, 1e-1);
  EXPECT_FALSE(p.landing);
  EXPECT_DOUBLE_EQ(p.h, std::ldexp(1.0, -10));
}

TEST(KernelStepController, NewtonFailureCutsByEightAtOrderOneThenIsFatal) {
  StepController c = started(1e-3, 1e-5);
  c.accepted(StepPlan{1e-5, false}, 1.0, false, 1.0);  // the first step: kept, order 1
  c.accepted(StepPlan{1e-5, false}, 1.0, false, 1.0);
  c.accepted(StepPlan{1e-5, false}, 1.0, false, 1.0);
  ASSERT_EQ(c.order(), 2);
  EXPECT_EQ(c.newtonFailed(1e-5), StepVerdict::Retry);
  EXPECT_DOUBLE_EQ(c.h(), 1e-5 / 8);
  EXPECT_EQ(c.order(), 1);
  // a cut from 8 hmin gives exactly hmin (still allowed), from less it is fatal
  EXPECT_EQ(c.newtonFailed(8 * c.hmin()), StepVerdict::Retry);
  EXPECT_EQ(c.h(), c.hmin());
  EXPECT_EQ(c.newtonFailed(7.9 * c.hmin()), StepVerdict::Fatal);
}

TEST(KernelStepController, ErrorTestAcceptsRetriesOrStops) {
  StepController c = started(1e-3, 1e-5);
  EXPECT_EQ(c.errorTest(1e-5, 0.95e-5, false), StepVerdict::Accept);
  EXPECT_EQ(c.errorTest(1e-5, 0.85e-5, false), StepVerdict::Retry) << "below 0.9 h";
  EXPECT_EQ(c.errorTest(1e-5, 5e-5, false), StepVerdict::Accept);
  EXPECT_EQ(c.errorTest(1e-5, std::numeric_limits<double>::infinity(), false), StepVerdict::Accept);
  EXPECT_EQ(c.errorTest(1e-5, std::nan(""), false), StepVerdict::Accept) << "no estimate is no rejection";
  // too coarse: retry with the step the error allows
  EXPECT_EQ(c.errorTest(1e-5, 0.3e-5, false), StepVerdict::Retry);
  EXPECT_DOUBLE_EQ(c.h(), 0.3e-5);
  // ... but never below hmin
  EXPECT_EQ(c.errorTest(1e-5, 1e-20, false), StepVerdict::Retry);
  EXPECT_DOUBLE_EQ(c.h(), c.hmin());
  // a step that ends on a switching event is kept whatever its error
  EXPECT_EQ(c.errorTest(1e-5, 1e-9, true), StepVerdict::Accept);
  // already at the minimum step and still too coarse: fatal
  EXPECT_EQ(c.errorTest(c.hmin(), 0.1 * c.hmin(), false), StepVerdict::Fatal);
}

TEST(KernelStepController, SmoothStepsDoubleUpToTheErrorStepAtMaxOrder) {
  StepController c = started(1.0, 1e-5, 2);
  // ngspice does not estimate the error of the first step nor grow it: the
  // second step repeats it at order 1
  c.accepted(StepPlan{1e-5, false}, 1.0, false, 1.0);
  EXPECT_EQ(c.order(), 1);
  EXPECT_DOUBLE_EQ(c.h(), 1e-5);
  c.accepted(StepPlan{1e-5, false}, 1.0, false, 1.0);
  EXPECT_EQ(c.order(), 2);
  EXPECT_DOUBLE_EQ(c.h(), 2e-5);
  c.accepted(StepPlan{2e-5, false}, 3e-5, false, 1.0);
  EXPECT_DOUBLE_EQ(c.h(), 3e-5) << "the truncation error limits the growth";
  StepController euler = started(1.0, 1e-5, 1);
  euler.accepted(StepPlan{1e-5, false}, 1.0, false, 1.0);
  EXPECT_EQ(euler.order(), 1);
}

TEST(KernelStepController, SpiceModeRaisesTheOrderOnlyWhenOrderTwoAllowsMoreThanAFewPercent) {
  StepController c = started(1.0, 1e-5, 2);
  c.accepted(StepPlan{1e-5, false}, 1.0, false, 1.0);  // first step
  StepPlan p{1e-5, false};
  p.raise = 1.04e-5;  // order 2 would allow only 4 % more: stay at order 1 ...
  c.accepted(p, 1.0, false, 1.0);
  EXPECT_EQ(c.order(), 1);
  EXPECT_DOUBLE_EQ(c.h(), 1.04e-5) << "... with the order-2 step, as ngspice";
  p = StepPlan{1.04e-5, false};
  p.raise = 5e-5;
  c.accepted(p, 1.0, false, 1.0);
  EXPECT_EQ(c.order(), 2);
  EXPECT_DOUBLE_EQ(c.h(), 2.08e-5) << "at most twice the step";
  // at order 2 the order-2 estimate (hLte) rules
  c.accepted(StepPlan{2.08e-5, false}, 3e-5, false, 1.0);
  EXPECT_EQ(c.order(), 2);
  EXPECT_DOUBLE_EQ(c.h(), 3e-5);
}

TEST(KernelStepController, SpiceModeAfterABreakpointTakesATenthOfTheStepItWantedOrOfTheGap) {
  // ngspice's dctran: min(2h, hLte, 0.1 min(saveDelta, next gap)), order 1.
  // The numbers of ngspice's examples/TransmissionLines/ltra1_1_line.sp at the
  // pulse corner at 15.9 ns: TMAX 0.1 ns cut to 0.072 ns, next corner 0.2 ns on
  StepController c = started(0.1e-9, 2e-12);
  c.accepted(StepPlan{2e-12, false}, 1.0, false, 1.0);
  c.accepted(StepPlan{0.072e-9, true, 0.1e-9}, 1.0, false, 0.2e-9);
  EXPECT_EQ(c.order(), 1);
  EXPECT_DOUBLE_EQ(c.h(), 0.01e-9);
  // the next corner is closer than the step wanted: a tenth of the gap
  c.accepted(StepPlan{0.05e-9, true, 0.1e-9}, 1.0, false, 0.03e-9);
  EXPECT_DOUBLE_EQ(c.h(), 0.003e-9);
  // never more than the truncation error allows, nor twice the step
  c.accepted(StepPlan{0.05e-9, true, 0.1e-9}, 0.004e-9, false, 0.2e-9);
  EXPECT_DOUBLE_EQ(c.h(), 0.004e-9);
  c.accepted(StepPlan{0.002e-9, true, 0.1e-9}, 1.0, false, 0.2e-9);
  EXPECT_DOUBLE_EQ(c.h(), 0.004e-9);
  // at least 10 hmin
  c.accepted(StepPlan{0.05e-9, true, 0.1e-9}, 1.0, false, 1e-30);
  EXPECT_DOUBLE_EQ(c.h(), 10 * c.hmin());
}

TEST(KernelStepController, EventModeAfterABreakpointOrEventRestartsAtOrderOneWithASmallStep) {
  const double k17 = std::ldexp(1.0, -17), k14 = std::ldexp(1.0, -14);
  {
    StepController c = started(1.0, 1e-5);
    c.setQuantized(true);
    c.accepted(StepPlan{1e-5, false}, 1.0, false, 1.0);
    // landed with h = 1e-4; next corner 1e-2 away; error allows 1e-3:
    // a tenth of min(h, hLte, gap) = 1e-5, at least a tenth of h = 1e-5,
    // rounded down to tmax / 2^k
    c.accepted(StepPlan{1e-4, true}, 1e-3, false, 1e-2);
    EXPECT_EQ(c.order(), 1);
    EXPECT_DOUBLE_EQ(c.h(), k17);
    // the next corner is close: a tenth of the gap, but at least a tenth of h,
    // and never more than min(h, hLte)
    c.accepted(StepPlan{1e-4, true}, 1e-3, false, 1e-6);
    EXPECT_DOUBLE_EQ(c.h(), k17);
    c.accepted(StepPlan{1e-3, true}, 7e-5, false, 1e-2);
    EXPECT_DOUBLE_EQ(c.h(), k14) << "min(h, hLte) = 7e-5 rounds down to 2^-14";
  }
  {
    StepController c = started(1.0, 1e-5);
    c.setQuantized(true);
    c.accepted(StepPlan{1e-5, false}, 1.0, false, 1.0);
    // an event (not a breakpoint): a tenth of min(h, hLte, gap), at least 10 hmin
    c.accepted(StepPlan{1e-4, false}, 1e-3, true, 1e-2);
    EXPECT_EQ(c.order(), 1);
    EXPECT_DOUBLE_EQ(c.h(), k17);
    c.accepted(StepPlan{1e-4, false}, 1e-3, true, 1e-12);
    EXPECT_LE(c.h(), 10 * c.hmin());
    EXPECT_GT(c.h(), 5 * c.hmin());
  }
  {
    StepController c = started(1e-6, 1e-7);
    c.setQuantized(true);
    c.accepted(StepPlan{1e-6, true}, 1.0, false, 1.0);
    EXPECT_DOUBLE_EQ(c.h(), 1e-6 / 16) << "a tenth of the step, rounded down to tmax / 2^k";
    c.accepted(StepPlan{1e-6, false}, 1.0, true, 1.0);
    EXPECT_LE(c.h(), 1e-6) << "never above tmax";
  }
}

// SPICE mode, a device's own step limit (an LTRA line's delay, ngspice's
// LTRAtrunc): it caps the step, but hmin and the minimum break still follow TMAX.
TEST(KernelStepController, SpiceModeDeviceStepLimitCapsTheStepNotHminNorTheMinimumBreak) {
  StepController c = started(0.2e-9, 2e-12);
  c.setStepLimit(6.4e-11);
  EXPECT_DOUBLE_EQ(c.hmin(), 0.2e-9 * 1e-11);
  EXPECT_DOUBLE_EQ(c.tmax(), 0.2e-9);
  StepPlan p = c.plan(0.0, 1.0);
  EXPECT_DOUBLE_EQ(p.h, 2e-12);
  for (int k = 0; k < 8; ++k) c.accepted(c.plan(0.0, 1.0), 1.0, false, 1.0);
  EXPECT_DOUBLE_EQ(c.plan(0.0, 1.0).h, 6.4e-11) << "never above the delay";
  // a breakpoint 6.4e-11 + 1.5e-20 ahead is within ngspice's minimum break
  // (1e-10 TMAX = 2e-20, not 1e-10 of the delay): the step lands on it
  p = c.plan(1e-9, 1e-9 + 6.4e-11 + 1.5e-20);
  EXPECT_TRUE(p.landing);
  p = c.plan(1e-9, 1e-9 + 6.4e-11 + 2e-19);
  EXPECT_FALSE(p.landing);
  EXPECT_DOUBLE_EQ(p.h, 6.4e-11);
}

// ngspice raises the order only when CKTtrunc at order 2 allows more than
// 1.05 h, and the line's delay is part of that step: a step at the delay stays
// at order 1 (backward Euler), however small the order-2 error.
TEST(KernelStepController, SpiceModeOrderRaiseTestIncludesTheDeviceStepLimit) {
  StepController c = started(1e-9, 1e-11);
  c.setStepLimit(5e-11);
  c.accepted(StepPlan{1e-11, false}, 1.0, false, 1.0);  // first step: kept
  StepPlan p{5e-11, false};
  p.raise = 1.0;  // the order-2 error allows anything
  c.accepted(p, 1.0, false, 1.0);
  EXPECT_EQ(c.order(), 1) << "min(2h, order-2 step, delay) = h: not above 1.05 h";
  EXPECT_DOUBLE_EQ(c.h(), 5e-11);
  p = StepPlan{2e-11, false};
  p.raise = 1.0;
  c.accepted(p, 1.0, false, 1.0);
  EXPECT_EQ(c.order(), 2) << "a step well below the delay may double: order 2";
  EXPECT_DOUBLE_EQ(c.h(), 4e-11);
}

// ngspice's saveDelta: the step a breakpoint last cut (TSTOP/50 before any).
// A breakpoint at the time just reached that did not cut the step (an LTRA
// line's, one delay after the previous point) gives a tenth of that older step.
TEST(KernelStepController, SpiceModeBreakpointWithoutACutUsesTheStepTheLastCutSaved) {
  StepController c = started(0.2e-9, 2e-12);
  c.setStepLimit(6e-11);
  c.setSaveDelta(1e-9);  // TSTOP/50
  c.accepted(StepPlan{2e-12, false}, 1.0, false, 1.0);
  // not cut (wanted = h): the saved step, a tenth of min(1e-9, gap 1e-8) = 1e-10,
  // then min(2h, the limit) ... = 6e-11
  c.accepted(StepPlan{6e-11, true, 6e-11}, 1.0, false, 1e-8);
  EXPECT_EQ(c.order(), 1);
  EXPECT_DOUBLE_EQ(c.h(), 6e-11);
  // a step of 5e-11 cut from 6e-11 by a breakpoint: saved, a tenth of it
  c.accepted(StepPlan{5e-11, true, 6e-11}, 1.0, false, 1e-8);
  EXPECT_DOUBLE_EQ(c.h(), 6e-12);
  // the next uncut breakpoint step (h = 4e-11) still uses the 6e-11 saved
  c.accepted(StepPlan{4e-11, true, 4e-11}, 1.0, false, 1e-8);
  EXPECT_DOUBLE_EQ(c.h(), 6e-12);
  // start() forgets it: without a saved step the step itself counts
  c.start(0.2e-9, 2e-12, 2);
  c.accepted(StepPlan{2e-12, false}, 1.0, false, 1.0);
  c.accepted(StepPlan{3e-11, true, 3e-11}, 1.0, false, 1e-8);
  EXPECT_DOUBLE_EQ(c.h(), 3e-12);
}

// ngspice's TXL and CPL lower CKTmaxStep during the run: a cap like TMAX,
// outside the truncation-error step (the order still rises), hmin unchanged.
TEST(KernelStepController, SpiceModeTmaxCapLimitsLikeTmaxButNotTheOrderRaise) {
  StepController c = started(1e-9, 1e-11);
  c.setTmaxCap(0.45e-9);
  EXPECT_DOUBLE_EQ(c.hmin(), 1e-20);
  c.accepted(StepPlan{1e-11, false}, 1.0, false, 1.0);  // first step
  StepPlan p{0.45e-9, false};
  p.raise = 1.0;
  c.accepted(p, 1.0, false, 1.0);
  EXPECT_EQ(c.order(), 2) << "2h is above 1.05 h: the cap is no part of the raise test";
  EXPECT_DOUBLE_EQ(c.plan(0.0, 1.0).h, 0.45e-9);
  // after a breakpoint the step is clamped to the cap too
  c.accepted(StepPlan{0.2e-9, true, 0.45e-9}, 1.0, false, 1.0);
  EXPECT_LE(c.h(), 0.45e-9);
  // start() forgets it
  c.start(1e-9, 1e-9, 2);
  EXPECT_DOUBLE_EQ(c.plan(0.0, 1.0).h, 1e-9);
}

}  // namespace
