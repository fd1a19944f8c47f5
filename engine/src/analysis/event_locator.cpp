#include "analysis/event_locator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace simcore::an {

void EventLocator::start(double tstart, double tstop, const Groups& groups) {
  groups_ = &groups;
  tstart_ = tstart;
  tstop_ = tstop;
  target_ = -1;
  bracket_ = -1;
  nextBp_ = breakpointAfter(0.0);
}

double EventLocator::breakpointAfter(double t) const {
  double bp = tstop_;
  if (deviceBps_)
    for (const auto& g : *groups_) bp = std::min(bp, g->nextBreakpoint(t));
  if (tstart_ > t * (1 + 1e-12) && tstart_ < bp) bp = tstart_;
  if (stop_ > t * (1 + 1e-12) && stop_ < bp) bp = stop_;
  for (double c : corners_)
    if (c > t * (1 + 1e-12) && c < bp) bp = c;
  if (period_ > 0) {
    const double k = std::floor(t / period_ * (1 + 1e-12)) + 1;
    bp = std::min(bp, k * period_);
  }
  return bp;
}

EventCheck EventLocator::check(const double* x0, const double* x1, double t0, double t1, double hmin,
                                const double* xm1, double tm1) {
  double first = std::numeric_limits<double>::infinity();
  bool analog = false;
  const dev::StepView view{xm1, x0, x1, xm1 ? tm1 : t0, t0, t1};
  for (const auto& g : *groups_) {
    dev::Event ev{};
    if (!g->findEvent(view, ev) || ev.time > first) continue;
    analog = ev.analog && (ev.time < first || analog);
    first = ev.time;
  }
  EventCheck r;
  r.time = first;
  r.analog = analog;
  // (while a bracket is bisected, its tolerance: its last piece, taken whole, is at the
  // end however short; near t = 0 a sliver's own 1e-9 t1 would be shorter still)
  const double tol = std::max(std::max(hmin, 1e-9 * t1), bracket_ > t0 ? bracketTol_ : 0.0);
  if (first < t1 - tol) {
    r.action = EventAction::Cut;
    if (first > t0) {
      target_ = first + 0.5 * tol;
    } else if (bracket_ > t0) {
      // on the threshold at t0 again after the sliver (or a bisection step) past
      // the first such start: not a control that moves off its threshold there but
      // one that jumps later (a comparator's output: its linear crossing is always
      // t0), so bisect (t0, t1]
      target_ = -1;
      bracket_ = t1;
    } else {
      // (a control exactly at its threshold at t0 that moves past it: the
      // crossing is at t0, and the step ends just after it; should the control
      // still be on the threshold there, the rest of this step is bisected)
      target_ = t0 + 0.5 * tol;
      bracket_ = t1;
      bracketTol_ = tol;
    }
  } else if (first <= t1) {
    r.action = EventAction::AtEnd;
    bracket_ = -1;
  }
  return r;
}

}  // namespace simcore::an
