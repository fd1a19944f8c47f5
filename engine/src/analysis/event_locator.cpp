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
  nextBp_ = breakpointAfter(0.0);
}

double EventLocator::breakpointAfter(double t) const {
  double bp = tstop_;
  if (deviceBps_)
    for (const auto& g : *groups_) bp = std::min(bp, g->nextBreakpoint(t));
  if (tstart_ > t * (1 + 1e-12) && tstart_ < bp) bp = tstart_;
  if (stop_ > t * (1 + 1e-12) && stop_ < bp) bp = stop_;
  if (corner_ > t * (1 + 1e-12) && corner_ < bp) bp = corner_;
  if (period_ > 0) {
    const double k = std::floor(t / period_ * (1 + 1e-12)) + 1;
    bp = std::min(bp, k * period_);
  }
  return bp;
}

EventCheck EventLocator::check(const double* x0, const double* x1, double t0, double t1, double hmin,
                                const double* xm1, double tm1) {
  double first = std::numeric_limits<double>::infinity();
  const dev::StepView view{xm1, x0, x1, xm1 ? tm1 : t0, t0, t1};
  for (const auto& g : *groups_) {
    dev::Event ev{};
    if (g->findEvent(view, ev)) first = std::min(first, ev.time);
  }
  EventCheck r;
  r.time = first;
  const double tol = std::max(hmin, 1e-9 * t1);
  if (first < t1 - tol) {
    // (a control exactly at its threshold at t0 that moves past it: the
    // crossing is at t0, and the step ends just after it)
    r.action = EventAction::Cut;
    target_ = std::max(first, t0) + 0.5 * tol;
  } else if (first <= t1) {
    r.action = EventAction::AtEnd;
  }
  return r;
}

}  // namespace simcore::an
