#pragma once
// Runaway growth of a transient's currents, for the message of a failure.
//
// A circuit whose solution itself grows without bound (an undamped LC loop
// excited by a diode that snaps off, positive feedback, a source driving a
// shorted inductor) ends, like a numerical failure, in a Newton failure at a
// tiny step. Users then tune the solver when the circuit is what runs away.
// The watch keeps the largest branch current of every accepted point as a
// short history (a record each time the running peak doubles, so at most ~60
// records whatever the run's length) and, at a failure, tells whether the
// currents grew far beyond anything seen earlier in the run:
//
//   runaway(t)   the last accepted point's largest current is at least kFactor
//                times the peak reached by half of that time, and at least
//                kFloor ampere; the peak then, when it was reached last doubled
//                and the current now (with its unknown) describe the growth.
//
// No devices, no I/O: fed by the transient stepper, unit-tested on its own.

#include <optional>
#include <vector>

namespace simcore::an {

class GrowthWatch {
 public:
  static constexpr double kFactor = 20.0;  // growth that counts as running away
  static constexpr double kFloor = 1.0;    // A: smaller currents are not a runaway worth telling

  struct Growth {
    double before = 0;    // A: the peak reached by half the time
    double beforeAt = 0;  // s: that half time
    double now = 0;       // A: the largest current at the last accepted point
    double nowAt = 0;     // s: that point's time
    double since = 0;     // s: when the peak first passed now/kFactor
    int unknown = -1;     // the unknown carrying it
  };

  void reset() {
    records_.clear();
    last_ = {};
  }
  // One accepted point: its time, its largest branch-current magnitude and that
  // branch's unknown.
  void accepted(double t, double magnitude, int unknown);
  std::optional<Growth> runaway() const;

 private:
  struct Record {
    double t = 0, peak = 0;
  };
  std::vector<Record> records_;  // the running peak each time it doubled (increasing t and peak)
  struct Last {
    double t = -1, magnitude = 0;
    int unknown = -1;
  } last_;
  double peakAt(double t) const;  // the running peak at time t within a factor of 2 (0 before any record)
};

}  // namespace simcore::an
