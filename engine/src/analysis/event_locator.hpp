// Where a transient step must end: breakpoints (corners of time-dependent
// sources, tstart, tstop) and switching events (threshold crossings the
// device groups find between two solutions). No Newton in here.
//
//   start(tstart, tstop, groups)   the first breakpoint after t = 0
//   cut(t, plan)                   end the planned step on a pending event target
//   check(x0, x1, t0, t1, hmin)    after a converged step: the earliest event of
//                                  every group in (t0, t1]
//                                    well inside the step (or at its very start) -> Cut
//                                      (target = just past it; recoverable: retry)
//                                    at the end (or at the very start) -> AtEnd
//                                    none -> None
//                                  a control on its threshold at t0 that is still on it
//                                  after the sliver past t0 jumped later in the step:
//                                  cut() then bisects the rest of that step
//   accepted(t, landed)            after a step on a breakpoint: the next breakpoint
//
// An event counts as "at the end" within max(hmin, 1e-9 t1); the retry target
// lies half that tolerance past the crossing, so the next step ends just after
// it and the state flips on acceptance.
#pragma once

#include <array>
#include <algorithm>
#include <memory>
#include <vector>

#include "analysis/step_controller.hpp"
#include "devices/device.hpp"

namespace simcore::an {

enum class EventAction {
  None,   // no event in the step
  Cut,    // an event lies inside the step: retry ending at target()
  AtEnd,  // the step ends on an event: accept it; states flip on acceptance
};

struct EventCheck {
  EventAction action = EventAction::None;
  double time = 0;  // the earliest crossing (Cut, AtEnd)
  bool analog = false;  // every event at that time is an analog element's (dev::Event::analog)
};

class EventLocator {
 public:
  using Groups = std::vector<std::unique_ptr<dev::DeviceGroup>>;

  // groups must outlive the locator. tstart > 0 is itself a breakpoint.
  void start(double tstart, double tstop, const Groups& groups);

  // The same for a window of a transient that starts at t.
  void startAt(double t, double tstop, const Groups& groups) {
    groups_ = &groups;
    tstart_ = 0;
    tstop_ = tstop;
    target_ = -1;
    bracket_ = -1;
    nextBp_ = breakpointAfter(t);
  }
  // Every multiple of period is a breakpoint too (0: none); set before start().
  void setPeriod(double period) { period_ = period; }
  // Co-simulation: t (after the present time) is a breakpoint too, the
  // communication point where a source changes.
  void setStop(double t) {
    stop_ = t;
    nextBp_ = std::min(nextBp_, t);
  }
  // Fixed breakpoints: slot 0 the end of LTspice's startup ramp, slot 1 TSTEP of
  // a run with uic (ngspice's breakpoint against the first steps' ringing); set
  // before start().
  void setCorner(double t, int slot = 0) { corners_[std::size_t(slot)] = t; }
  // Whether the groups' breakpoints count (not in a run whose devices all see
  // time zero, the transient operating point); set before start().
  void deviceBreakpoints(bool on) { deviceBps_ = on; }
  // Earliest breakpoint after the last landed one (tstop at most).
  double nextBreakpoint() const { return nextBp_; }
  // Earliest breakpoint strictly after t: the groups', tstart, tstop.
  double breakpointAfter(double t) const;

  // The planned step from t, shortened to end on a pending event target.
  StepPlan cut(double t, StepPlan plan) const;

  // Events between the accepted solution x0 at t0 and the candidate x1 at t1.
  // A Cut sets the target that the next cut() ends the step on.
  // xm1: the accepted point before x0 (at tm1) when the solution is smooth
  // through t0, else null (see dev::StepView).
  EventCheck check(const double* x0, const double* x1, double t0, double t1, double hmin,
                   const double* xm1 = nullptr, double tm1 = 0);

  // Forget a pending target and bracket (the step was rejected for another reason).
  void clearTarget() {
    target_ = -1;
    bracket_ = -1;
  }
  // The end of the bracket being bisected (see check()); negative: none.
  double bracket() const { return bracket_; }
  double target() const { return target_; }

  // A step to t was accepted: the earliest breakpoint after it again, every
  // step (a device's next breakpoint may move between landings: an
  // oscillator's next edge follows its control, and a step landing on the
  // stale one ends a sliver before the edge, which then takes a step of
  // 1e-17 s and leaves the integration restarting from it).
  void accepted(double t);
  // Devices changed state at t and may have scheduled a change (a delayed
  // edge): take the earliest breakpoint after t again.
  void refresh(double t) { nextBp_ = std::min(nextBp_, breakpointAfter(t)); }
  // SPICE mode, after each accepted point: the earliest breakpoint after t
  // again (a device may have set one on accepting the point).
  void resync(double t) { nextBp_ = breakpointAfter(t); }

 private:
  const Groups* groups_ = nullptr;
  double tstart_ = 0, tstop_ = 0, nextBp_ = 0, target_ = -1, period_ = 0, stop_ = -1;
  std::array<double, 2> corners_{-1, -1};
  // A control that sat on its threshold at a step's start and was past it at the
  // end, but still on it after a sliver past the start, jumped somewhere in
  // between (a comparator's output): its crossing lies in (t, bracket_], found by
  // bisection within bracketTol_
  double bracket_ = -1, bracketTol_ = 0;
  bool deviceBps_ = true;
};

// Inline: these run once per step attempt.

inline StepPlan EventLocator::cut(double t, StepPlan plan) const {
  if (target_ > t && target_ <= t + plan.h) {
    plan.h = target_ - t;
    plan.landing = nextBp_ - t <= plan.h * (1.0 + 1e-9);
  } else if (target_ <= t && bracket_ > t) {
    // bisect the bracket (the step before the jump was taken once already, so
    // longer than the controller's present step is fine), its last piece whole
    const double rest = std::min(bracket_, nextBp_) - t;
    plan.h = rest <= bracketTol_ ? rest : 0.5 * rest;
    plan.landing = nextBp_ - t <= plan.h * (1.0 + 1e-9);
  }
  return plan;
}

inline void EventLocator::accepted(double t) {
  target_ = -1;
  if (bracket_ <= t * (1.0 + 1e-15)) bracket_ = -1;
  nextBp_ = breakpointAfter(t);
}

}  // namespace simcore::an
