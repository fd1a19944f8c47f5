#include "analysis/growth_watch.hpp"

#include <cmath>

namespace simcore::an {

void GrowthWatch::accepted(double t, double magnitude, int unknown) {
  if (!std::isfinite(magnitude)) return;
  last_ = Last{t, magnitude, unknown};
  if (magnitude <= 0) return;
  // a record each time the running peak doubles (the records' peaks are the
  // running peak within a factor of two)
  if (records_.empty() || magnitude >= 2 * records_.back().peak) records_.push_back(Record{t, magnitude});
}

double GrowthWatch::peakAt(double t) const {
  double peak = 0;
  for (const Record& r : records_) {
    if (r.t > t) break;
    peak = r.peak;
  }
  return peak;
}

std::optional<GrowthWatch::Growth> GrowthWatch::runaway() const {
  if (last_.t <= 0 || last_.magnitude < kFloor) return std::nullopt;
  const double half = 0.5 * last_.t;
  const double before = peakAt(half);
  if (!(last_.magnitude >= kFactor * before)) return std::nullopt;
  Growth g;
  g.before = before;
  g.beforeAt = half;
  g.now = last_.magnitude;
  g.nowAt = last_.t;
  g.unknown = last_.unknown;
  g.since = last_.t;
  for (const Record& r : records_)
    if (r.peak > last_.magnitude / kFactor) {
      g.since = r.t;
      break;
    }
  return g;
}

}  // namespace simcore::an
