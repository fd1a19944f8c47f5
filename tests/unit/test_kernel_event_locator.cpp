// EventLocator on its own, over stand-in device groups (breakpoint lists and
// threshold crossings): the order of breakpoints, where a step is cut for an
// event, and when an event counts as the end of the step. No Newton.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "analysis/event_locator.hpp"

using simcore::an::EventAction;
using simcore::an::EventLocator;
using simcore::an::StepPlan;
namespace dev = simcore::dev;

namespace {

// A device group that only has breakpoints (sorted times) and, optionally, a
// threshold on unknown 1 whose crossing is an event (linear in the step).
class FakeGroup final : public dev::DeviceGroup {
 public:
  // fromThreshold: as a switch that is off, on once its control is above the threshold
  // (a control exactly on it at t0 that is above it at t1 crosses at t0)
  FakeGroup(std::vector<double> bps, double threshold = 0, bool hasThreshold = false, bool fromThreshold = false)
      : bps_(std::move(bps)), thr_(threshold), hasThr_(hasThreshold), fromThr_(fromThreshold) {}
  std::string_view kindName() const override { return "fake"; }
  std::size_t size() const override { return 1; }
  simcore::Status setup(dev::SetupContext&) override { return {}; }
  void pattern(dev::PatternBuilder&) override {}
  void load(dev::LoadContext&) override {}
  void acLoad(dev::AcContext&) override {}
  void dcPaths(std::vector<std::pair<dev::Index, dev::Index>>&) const override {}
  const simcore::ir::Device& device(std::size_t) const override { return dev_; }

  void add(double b) {
    bps_.push_back(b);
    std::sort(bps_.begin(), bps_.end());
  }
  void setBreakpoints(std::vector<double> bps) { bps_ = std::move(bps); }
  double nextBreakpoint(double t) const override {
    for (double b : bps_)
      if (b > t) return b;
    return 1e300;
  }
  bool findEvent(const double* x0, const double* x1, double t0, double t1, dev::Event& ev) const override {
    if (!hasThr_) return false;
    const double a = x0[1] - thr_, b = x1[1] - thr_;
    if (fromThr_ ? !(a <= 0 && b > 0) : (a < 0) == (b < 0)) return false;
    ev.time = t0 + (t1 - t0) * a / (a - b);
    ev.analog = analog_;
    return true;
  }
  // its events are an analog element's (a switch's: SPICE mode steps across them)
  void setAnalog(bool on) { analog_ = on; }

 private:
  std::vector<double> bps_;
  double thr_;
  bool hasThr_, fromThr_, analog_ = false;
  simcore::ir::Device dev_;
};

TEST(KernelEventLocator, BreakpointsOfEveryGroupInOrderThenTstop) {
  EventLocator::Groups g;
  g.push_back(std::make_unique<FakeGroup>(std::vector<double>{3e-6, 7e-6}));
  g.push_back(std::make_unique<FakeGroup>(std::vector<double>{2e-6, 5e-6}));
  g.push_back(std::make_unique<FakeGroup>(std::vector<double>{}));
  EventLocator ev;
  ev.start(0.0, 1e-5, g);
  std::vector<double> seen{ev.nextBreakpoint()};
  double t = 0;
  while (ev.nextBreakpoint() < 1e-5) {
    t = ev.nextBreakpoint();
    ev.accepted(t);
    seen.push_back(ev.nextBreakpoint());
  }
  EXPECT_EQ(seen, (std::vector<double>{2e-6, 3e-6, 5e-6, 7e-6, 1e-5}));
  // a step that does not land leaves the breakpoint where it is
  EventLocator ev2;
  ev2.start(0.0, 1e-5, g);
  ev2.accepted(1e-6);
  EXPECT_EQ(ev2.nextBreakpoint(), 2e-6);
}

// A device's next breakpoint that moves between landings (an oscillator
// whose control changes its frequency) is followed at every accepted step,
// not kept from the last landing: a step landing on the stale time would end
// a sliver before the edge.
TEST(KernelEventLocator, AMovingBreakpointIsFollowedEveryStep) {
  EventLocator::Groups g;
  g.push_back(std::make_unique<FakeGroup>(std::vector<double>{3e-6}));
  EventLocator ev;
  ev.start(0.0, 1e-5, g);
  EXPECT_EQ(ev.nextBreakpoint(), 3e-6);
  static_cast<FakeGroup&>(*g[0]).setBreakpoints({3e-6 + 3e-17});
  ev.accepted(1e-6);
  EXPECT_EQ(ev.nextBreakpoint(), 3e-6 + 3e-17);
  static_cast<FakeGroup&>(*g[0]).setBreakpoints({2.5e-6});
  ev.accepted(2e-6);
  EXPECT_EQ(ev.nextBreakpoint(), 2.5e-6);
}

TEST(KernelEventLocator, TstartIsABreakpoint) {
  EventLocator::Groups g;
  g.push_back(std::make_unique<FakeGroup>(std::vector<double>{6e-6}));
  EventLocator ev;
  ev.start(4e-6, 1e-5, g);
  EXPECT_EQ(ev.nextBreakpoint(), 4e-6);
  ev.accepted(4e-6);
  EXPECT_EQ(ev.nextBreakpoint(), 6e-6);
  EXPECT_EQ(ev.breakpointAfter(0.0), 4e-6);
  EXPECT_EQ(ev.breakpointAfter(4e-6), 6e-6) << "tstart itself is not after tstart";
}

TEST(KernelEventLocator, AnEventInsideTheStepCutsItJustPastTheCrossing) {
  EventLocator::Groups g;
  g.push_back(std::make_unique<FakeGroup>(std::vector<double>{}, 0.5, true));
  EventLocator ev;
  ev.start(0.0, 1e-3, g);
  // unknown 1 rises from 0 to 1 over [1e-5, 2e-5]: crosses 0.5 at 1.5e-5
  const double x0[] = {0.0, 0.0}, x1[] = {0.0, 1.0};
  const double hmin = 1e-14;
  auto r = ev.check(x0, x1, 1e-5, 2e-5, hmin);
  ASSERT_EQ(r.action, EventAction::Cut);
  EXPECT_DOUBLE_EQ(r.time, 1.5e-5);
  const double tol = 1e-9 * 2e-5;
  EXPECT_DOUBLE_EQ(ev.target(), 1.5e-5 + 0.5 * tol);
  // the retried step ends on the target (the step was planned longer)
  StepPlan p = ev.cut(1e-5, StepPlan{1e-5, false});
  EXPECT_DOUBLE_EQ(p.h, ev.target() - 1e-5);
  EXPECT_FALSE(p.landing);
  // a plan that stops short of the target is left alone
  p = ev.cut(1e-5, StepPlan{2e-6, false});
  EXPECT_EQ(p.h, 2e-6);
  // the retried step now ends just past the crossing: the event is at its end
  const double xa[] = {0.0, 0.5 + 0.25e-9};
  r = ev.check(x0, xa, 1e-5, ev.target(), hmin);
  EXPECT_EQ(r.action, EventAction::AtEnd);
  ev.accepted(ev.target());
  EXPECT_LT(ev.target(), 0) << "acceptance clears the target";
}

TEST(KernelEventLocator, TheEarliestEventOfAllGroupsWins) {
  EventLocator::Groups g;
  g.push_back(std::make_unique<FakeGroup>(std::vector<double>{}, 0.8, true));
  g.push_back(std::make_unique<FakeGroup>(std::vector<double>{}, 0.3, true));
  g.push_back(std::make_unique<FakeGroup>(std::vector<double>{}, 0.6, true));
  EventLocator ev;
  ev.start(0.0, 1.0, g);
  const double x0[] = {0.0, 0.0}, x1[] = {0.0, 1.0};
  auto r = ev.check(x0, x1, 0.0, 1.0, 1e-11);
  ASSERT_EQ(r.action, EventAction::Cut);
  EXPECT_DOUBLE_EQ(r.time, 0.3);
}

TEST(KernelEventLocator, AnAnalogElementsEventSaysSoUnlessAnotherKindFallsAtTheSameTime) {
  // a switch at 0.3, a digital gate at 0.6 (thresholds: the control rises 0 -> 1 over the step)
  auto make = [](double sw, double gate) {
    EventLocator::Groups g;
    auto a = std::make_unique<FakeGroup>(std::vector<double>{}, sw, true);
    a->setAnalog(true);
    g.push_back(std::move(a));
    g.push_back(std::make_unique<FakeGroup>(std::vector<double>{}, gate, true));
    return g;
  };
  const double x0[] = {0.0, 0.0}, x1[] = {0.0, 1.0};
  {
    auto g = make(0.3, 0.6);
    EventLocator ev;
    ev.start(0.0, 1.0, g);
    const auto r = ev.check(x0, x1, 0.0, 1.0, 1e-11);
    ASSERT_EQ(r.action, EventAction::Cut);
    EXPECT_DOUBLE_EQ(r.time, 0.3);
    EXPECT_TRUE(r.analog);
  }
  {
    auto g = make(0.6, 0.3);  // the gate first
    EventLocator ev;
    ev.start(0.0, 1.0, g);
    const auto r = ev.check(x0, x1, 0.0, 1.0, 1e-11);
    EXPECT_DOUBLE_EQ(r.time, 0.3);
    EXPECT_FALSE(r.analog);
  }
  {
    auto g = make(0.5, 0.5);  // both at once: the gate's output jumps, so an instant
    EventLocator ev;
    ev.start(0.0, 1.0, g);
    const auto r = ev.check(x0, x1, 0.0, 1.0, 1e-11);
    EXPECT_DOUBLE_EQ(r.time, 0.5);
    EXPECT_FALSE(r.analog);
  }
  {
    auto g = make(0.5, 2.0);  // the switch at the step's end
    EventLocator ev;
    ev.start(0.0, 1.0, g);
    const double xe[] = {0.0, 0.5};
    const auto r = ev.check(x0, xe, 0.0, 1.0, 1e-11);
    EXPECT_EQ(r.action, EventAction::AtEnd);
    EXPECT_TRUE(r.analog);
  }
}

TEST(KernelEventLocator, EventsAtTheEdgesOfTheStepAreNotCut) {
  EventLocator::Groups g;
  g.push_back(std::make_unique<FakeGroup>(std::vector<double>{}, 0.5, true));
  EventLocator ev;
  ev.start(0.0, 1.0, g);
  const double hmin = 1e-11;
  const double x0[] = {0.0, 0.0};
  // within max(hmin, 1e-9 t1) of the end: at the end
  const double nearEnd[] = {0.0, 0.5 / (1 - 0.5e-9)};
  auto r = ev.check(x0, nearEnd, 0.0, 1.0, hmin);
  EXPECT_EQ(r.action, EventAction::AtEnd);
  // no crossing: nothing
  const double below[] = {0.0, 0.4};
  r = ev.check(x0, below, 0.0, 1.0, hmin);
  EXPECT_EQ(r.action, EventAction::None);
  EXPECT_LT(ev.target(), 0);
}

TEST(KernelEventLocator, AnEventAtTheVeryStartEndsTheStepJustAfterIt) {
  // A control that sits exactly on its threshold at t0 and moves past it
  // (a duty of exactly 0.5 on a symmetric carrier whose crossing falls on a
  // step boundary) switches at t0: the step is cut to end half the
  // tolerance after it, never taken whole in the old configuration.
  EventLocator::Groups g;
  g.push_back(std::make_unique<FakeGroup>(std::vector<double>{}, 0.5, true));
  EventLocator ev;
  ev.start(0.0, 1.0, g);
  const double x0[] = {0.0, 0.0};
  const double nearStart[] = {0.0, 0.5 / 1e-12};
  auto r = ev.check(x0, nearStart, 0.0, 1.0, 1e-11);
  ASSERT_EQ(r.action, EventAction::Cut);
  EXPECT_NEAR(ev.target(), 1e-12 + 0.5e-9, 1e-18);
  const StepPlan p = ev.cut(0.0, StepPlan{1.0, false});
  EXPECT_NEAR(p.h, 1e-12 + 0.5e-9, 1e-18);
}

TEST(KernelEventLocator, ACutOnTheBreakpointLands) {
  EventLocator::Groups g;
  g.push_back(std::make_unique<FakeGroup>(std::vector<double>{2e-5}, 0.5, true));
  EventLocator ev;
  ev.start(0.0, 1e-3, g);
  const double x0[] = {0.0, 0.0}, x1[] = {0.0, 1.0};
  // crossing at 2e-5 - 0.5 tol: the target is the breakpoint itself
  const double t1 = 3e-5, tol = 1e-9 * t1;
  const double tc = 2e-5 - 0.5 * tol;
  const double x1c[] = {0.0, 0.5 / ((tc - 1e-5) / (t1 - 1e-5))};
  auto r = ev.check(x0, x1c, 1e-5, t1, 1e-14);
  ASSERT_EQ(r.action, EventAction::Cut);
  StepPlan p = ev.cut(1e-5, StepPlan{2e-5, false});
  EXPECT_TRUE(p.landing) << "the step ends on the breakpoint (within 1e-9 relative)";
  (void)x1;
  ev.clearTarget();
  p = ev.cut(1e-5, StepPlan{2e-5, false});
  EXPECT_EQ(p.h, 2e-5) << "a cleared target cuts nothing";
}

// SPICE mode: a device may set a breakpoint while a point is accepted (an LTRA
// line, one delay after the previous point); resync() takes it at once, where
// accepted() of a step that did not land keeps the old one. Breakpoints up to
// the time given (ngspice's minimum break after the present time) are skipped.
TEST(KernelEventLocator, ResyncTakesABreakpointSetOnAcceptanceAndSkipsTheMinimumBreak) {
  EventLocator::Groups g;
  auto owned = std::make_unique<FakeGroup>(std::vector<double>{5e-9});
  FakeGroup* line = owned.get();
  g.push_back(std::move(owned));
  EventLocator ev;
  ev.start(0.0, 1e-8, g);
  EXPECT_EQ(ev.nextBreakpoint(), 5e-9);
  line->add(3e-9);
  ev.accepted(1e-9);  // (every accepted step takes the next breakpoint again)
  EXPECT_EQ(ev.nextBreakpoint(), 3e-9);
  ev.resync(1e-9);
  EXPECT_EQ(ev.nextBreakpoint(), 3e-9);
  // one within the minimum break after the present time is dropped
  line->add(3e-9 + 5e-15);
  ev.resync(3e-9 + 1e-14);
  EXPECT_EQ(ev.nextBreakpoint(), 5e-9);
  // tstop is never dropped
  ev.resync(1e-8 - 1e-16);
  EXPECT_EQ(ev.nextBreakpoint(), 1e-8);
}

}  // namespace

// A control that sits on its threshold and jumps past it somewhere inside a step (a
// comparator's output driving a switch whose VT is its low level): its linear crossing
// is always the step's start. The first such step ends a sliver past its start (as for a
// control that moves off its threshold there); when the control is still on its
// threshold after the sliver, the rest of that step is bisected, so the jump is found
// within the tolerance in a few dozen steps, none of them shorter than the tolerance but
// the sliver. (Before: every step across the jump was cut to a sliver and the next one
// grew from it, hundreds of femtosecond steps per edge.)

TEST(KernelEventLocator, AControlThatJumpsInsideTheStepIsFoundByBisection) {
  EventLocator::Groups g;
  g.push_back(std::make_unique<FakeGroup>(std::vector<double>{}, 0.0, true, true));
  EventLocator ev;
  const double tstop = 1e-3, jump = 7.75e-5 + 3.3e-9, hmin = 1e-18;
  ev.start(0.0, tstop, g);
  auto control = [&](double t) { return t >= jump ? 1.0 : 0.0; };
  double t = 7.7e-5;
  const double controller = 1e-7;  // the step the controller keeps asking for
  int attempts = 0, accepted = 0;
  double shortest = 1;
  bool found = false;
  while (!found && attempts < 200) {
    ++attempts;
    const StepPlan p = ev.cut(t, StepPlan{controller, false});
    const double t1 = t + p.h;
    const double x0[] = {0.0, control(t)}, x1[] = {0.0, control(t1)};
    const auto r = ev.check(x0, x1, t, t1, hmin);
    if (r.action == EventAction::Cut) continue;
    shortest = std::min(shortest, p.h);
    ++accepted;
    t = t1;
    ev.accepted(t);
    found = r.action == EventAction::AtEnd;
  }
  ASSERT_TRUE(found) << "after " << attempts << " attempts, at t = " << t;
  const double tol = 1e-9 * t;
  EXPECT_GE(t, jump);
  EXPECT_LE(t - jump, 2 * tol) << "the step ends just past the jump";
  EXPECT_LT(attempts, 80) << "bisection, not a crawl of slivers";
  EXPECT_LT(ev.bracket(), 0) << "the event clears the bracket";
  // the slivers: the one past the first start, and the last piece of the bracket
  EXPECT_GE(shortest, 0.25 * tol);
  EXPECT_LT(accepted, 40);
}

TEST(KernelEventLocator, AControlThatMovesOffItsThresholdAtTheStartStillSwitchesAfterTheSliver) {
  // the case the sliver is for: on the threshold at t0 and moving past it at once
  EventLocator::Groups g;
  g.push_back(std::make_unique<FakeGroup>(std::vector<double>{}, 0.0, true, true));
  EventLocator ev;
  ev.start(0.0, 1.0, g);
  const double x0[] = {0.0, 0.0}, x1[] = {0.0, 1.0};
  auto r = ev.check(x0, x1, 0.5, 0.6, 1e-11);
  ASSERT_EQ(r.action, EventAction::Cut);
  const double tol = 1e-9 * 0.6;
  EXPECT_NEAR(ev.target(), 0.5 + 0.5 * tol, 1e-18);
  const StepPlan p = ev.cut(0.5, StepPlan{0.1, false});
  EXPECT_NEAR(p.h, 0.5 * tol, 1e-6 * tol);
  // the control has moved past the threshold at the sliver's end: the event is there
  const double xs[] = {0.0, 0.5 * tol * 10.0};
  r = ev.check(x0, xs, 0.5, 0.5 + p.h, 1e-11);
  EXPECT_EQ(r.action, EventAction::AtEnd);
  ev.accepted(0.5 + p.h);
  EXPECT_LT(ev.bracket(), 0);
  // a rejection for another reason forgets a bracket too
  r = ev.check(x0, x1, 0.7, 0.8, 1e-11);
  ASSERT_EQ(r.action, EventAction::Cut);
  EXPECT_GT(ev.bracket(), 0);
  ev.clearTarget();
  EXPECT_LT(ev.bracket(), 0);
  EXPECT_EQ(ev.cut(0.7, StepPlan{0.01, false}).h, 0.01);
}
