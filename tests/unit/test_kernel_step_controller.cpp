// StepController on its own: breakpoint landing, failure handling (recoverable
// or fatal), the error test and the next step and order. No circuit, no Newton.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "analysis/step_controller.hpp"

using simcore::an::StepController;
using simcore::an::StepPlan;
using simcore::an::StepVerdict;

namespace {

StepController started(double tmax = 1e-3, double h0 = 1e-5, int maxOrder = 2) {
  StepController c;
  c.start(tmax, h0, maxOrder);
  return c;
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

TEST(KernelStepController, PlanAvoidsASliverBeforeABreakpoint) {
  StepController c = started(1.0, 1e-5);
  // h = 1e-5 would leave 0.2e-5 before the corner: take half the gap instead
  StepPlan p = c.plan(0.0, 1.2e-5);
  EXPECT_FALSE(p.landing);
  EXPECT_DOUBLE_EQ(p.h, 0.6e-5);
  // far from the corner: the full step
  p = c.plan(0.0, 1e-4);
  EXPECT_FALSE(p.landing);
  EXPECT_DOUBLE_EQ(p.h, 1e-5);
}

TEST(KernelStepController, NewtonFailureCutsByEightAtOrderOneThenIsFatal) {
  StepController c = started(1e-3, 1e-5);
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
  c.accepted(StepPlan{1e-5, false}, 1.0, false, 1.0);
  EXPECT_EQ(c.order(), 2);
  EXPECT_DOUBLE_EQ(c.h(), 2e-5);
  c.accepted(StepPlan{2e-5, false}, 3e-5, false, 1.0);
  EXPECT_DOUBLE_EQ(c.h(), 3e-5) << "the truncation error limits the growth";
  StepController euler = started(1.0, 1e-5, 1);
  euler.accepted(StepPlan{1e-5, false}, 1.0, false, 1.0);
  EXPECT_EQ(euler.order(), 1);
}

TEST(KernelStepController, AfterABreakpointOrEventRestartsAtOrderOneWithASmallStep) {
  {
    StepController c = started(1.0, 1e-5);
    c.accepted(StepPlan{1e-5, false}, 1.0, false, 1.0);
    // landed with h = 1e-4; next corner 1e-2 away; error allows 1e-3:
    // a tenth of min(h, hLte, gap) = 1e-5, at least a tenth of h = 1e-5
    c.accepted(StepPlan{1e-4, true}, 1e-3, false, 1e-2);
    EXPECT_EQ(c.order(), 1);
    EXPECT_DOUBLE_EQ(c.h(), 1e-5);
    // the next corner is close: a tenth of the gap, but at least a tenth of h,
    // and never more than min(h, hLte)
    c.accepted(StepPlan{1e-4, true}, 1e-3, false, 1e-6);
    EXPECT_DOUBLE_EQ(c.h(), 1e-5);
    c.accepted(StepPlan{1e-4, true}, 5e-6, false, 1e-2);
    EXPECT_DOUBLE_EQ(c.h(), 5e-6);
  }
  {
    StepController c = started(1.0, 1e-5);
    c.accepted(StepPlan{1e-5, false}, 1.0, false, 1.0);
    // an event (not a breakpoint): a tenth of min(h, hLte, gap), at least 10 hmin
    c.accepted(StepPlan{1e-4, false}, 1e-3, true, 1e-2);
    EXPECT_EQ(c.order(), 1);
    EXPECT_DOUBLE_EQ(c.h(), 1e-5);
    c.accepted(StepPlan{1e-4, false}, 1e-3, true, 1e-12);
    EXPECT_DOUBLE_EQ(c.h(), 10 * c.hmin());
  }
  {
    StepController c = started(1e-6, 1e-7);
    c.accepted(StepPlan{1e-6, true}, 1.0, false, 1.0);
    EXPECT_DOUBLE_EQ(c.h(), 1e-7) << "a tenth of the step";
    c.accepted(StepPlan{1e-6, false}, 1.0, true, 1.0);
    EXPECT_LE(c.h(), 1e-6) << "never above tmax";
  }
}

}  // namespace
