#include "analysis/step_controller.hpp"

#include <algorithm>

namespace simcore::an {

void StepController::start(double tmax, double h0, int maxOrder) {
  tmax_ = tmax;
  hmin_ = 1e-11 * tmax;
  h_ = h0;
  order_ = 1;
  maxOrder_ = maxOrder;
}

StepPlan StepController::plan(double t, double bp) const {
  StepPlan p;
  p.h = std::min(h_, tmax_);
  const double gap = bp - t;
  if (p.h >= gap * (1.0 - 1e-9)) {
    p.h = gap;
    p.landing = true;
  } else if (p.h > 0.5 * gap) {
    p.h = 0.5 * gap;  // two even steps instead of a sliver before the corner
  }
  return p;
}

StepVerdict StepController::newtonFailed(double h) {
  h_ = h / 8.0;
  order_ = 1;
  return h_ < hmin_ ? StepVerdict::Fatal : StepVerdict::Retry;
}

StepVerdict StepController::errorTest(double h, double hLte, bool atEvent) {
  if (!(hLte < 0.9 * h) || atEvent) return StepVerdict::Accept;  // (a NaN estimate does not reject)
  // one last try at the minimum step; if even that is too coarse, stop
  if (h <= hmin_ * (1.0 + 1e-9)) return StepVerdict::Fatal;
  h_ = std::max(hLte, hmin_);
  return StepVerdict::Retry;
}

void StepController::accepted(const StepPlan& p, double hLte, bool atEvent, double gapAfter) {
  const double h = p.h;
  if (p.landing || atEvent) {
    order_ = 1;
    const double next = std::min(hLte, h);
    h_ = std::max(0.1 * std::min(next, gapAfter), hmin_ * 10);
    if (p.landing) h_ = std::max(h_, 0.1 * h);
    h_ = std::min(h_, std::min(next, tmax_));
  } else {
    order_ = maxOrder_;
    h_ = std::min(2.0 * h, hLte);
  }
}

}  // namespace simcore::an
