// The values of a .dc sweep axis as ngspice 39 steps them: each one the
// previous plus the step (dctrcurv.c: value += step), not start + k * step.
// The two differ in the last bits (0.1 added five times is
// 0.5000000000000001), which decides a threshold that sits on a sweep point:
// a switch with VT=0.5 swept from 0 in steps of 0.1 turns on at the sixth
// point in ngspice, and so it does here.
#pragma once

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "simcore/result.hpp"

namespace simcore::an {

// The most points one sweep may have: a .dc axis, or the frequencies of an
// .ac, .noise, .sp or .fra (which are held in memory, 8 bytes each). More is
// no real deck's sweep but a typo in a step or a frequency (`.ac lin 1e9`, a
// .dc step of 1n over volts), answered with a clear error (a netlist error,
// as a bad step is) before anything is allocated or run.
inline constexpr double kMaxSweepPoints = 1e7;

// The error for a sweep of `points` points (a count or an estimate, possibly
// infinite), or none when it is within kMaxSweepPoints.
inline Status checkSweepPoints(double points, const char* what, const SourceLoc& loc) {
  if (points <= kMaxSweepPoints) return {};
  char n[32];
  std::snprintf(n, sizeof n, "%.3g", points);
  return makeError(ErrorCode::Semantic,
                   std::string(what) + " has " + (std::isfinite(points) ? std::string(n) + " points, more" : "more points") +
                       " than simcore runs in one sweep (10 million): check its step and limits",
                   loc);
}

// The number of points of an axis from start to stop as ngspice 39 counts
// them: it adds the step until the value passes stop by more than 1e3 double
// epsilons (dctrcurv.c), so 0 to 60 in steps of 0.1 has 600 points (the sum
// of the steps ends 3.6e-12 above 60), not 601. (The step's sign must point
// from start to stop, and sweepPointEstimate within kMaxSweepPoints.)
inline double sweepPointEstimate(double start, double stop, double step) {
  return std::floor((stop - start) / step + 1e-9) + 1.0;
}
inline long ngspiceSweepCount(double start, double stop, double step) {
  const double sign = step > 0 ? 1.0 : -1.0, tol = std::numeric_limits<double>::epsilon() * 1e3;
  long n = 0;
  for (double v = start; sign * (v - stop) <= tol; v += step) ++n;
  return n;
}

struct SweepValues {
  double start = 0, step = 0;
  long count = 0;
  // Value of point k (0 <= k < count): O(1) when k follows the last one
  // asked for (the sweeps walk their points in order), else counted out.
  double value(long k) const {
    if (k == last_) return v_;
    if (k == last_ + 1 && last_ >= 0) {
      v_ += step;
    } else {
      v_ = start;
      for (long i = 0; i < k; ++i) v_ += step;
    }
    last_ = k;
    return v_;
  }

 private:
  mutable long last_ = -1;
  mutable double v_ = 0;
};

}  // namespace simcore::an
