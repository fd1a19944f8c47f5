// Transient step size and order: the policy of a .tran, with no Newton and no
// devices in it (unit-tested on its own).
//
//   plan(t, next breakpoint)       h = min(h, tmax); land on the breakpoint when
//                                  h reaches it (or leaves less than ngspice's
//                                  minimum break, 1e-10 tmax, XSPICE's 10 delmin
//                                  as Debian's ngspice 39 is built; not SPICE3's
//                                  5e-5 tmax, which stretched a step across two
//                                  corners 0.1 ns apart); event mode: else at
//                                  most half the gap (no sliver)
//   newtonFailed(h)                recoverable: h/8 at order 1 | fatal: below hmin
//   errorTest(h, hLte, atEvent)    accept when hLte >= 0.9 h (or the step ends on an
//                                  event) | recoverable: retry with max(hLte, hmin)
//                                  | fatal: already at hmin
//   accepted(plan, hLte, ...)      after a breakpoint or event: order 1 and a small
//                                  step (a tenth of the gap, at least 10 hmin);
//                                  else the maximum order and h = min(2h, hLte)
//
// SPICE mode (not quantized) places its points as ngspice 39's dctran does, so
// that a deck sampled at TMAX lands on the same grid as ngspice's and sharp
// edges compare point for point: the step after a breakpoint is
// min(2h, hLte, 0.1 min(step wanted before the breakpoint cut it, gap to the
// next breakpoint)); the first step of a run is not grown (ngspice does not
// estimate its error); no half-gap step before a breakpoint; the order rises
// from 1 to 2 only when the order-2 estimate allows more than 1.05 h.
// A device's own step limit (a lossy line's delay, setStepLimit) caps every
// step and the order-2 step of that test, as ngspice's LTRAtrunc does inside
// its truncation-error step, but not hmin nor the minimum break (which follow
// TMAX). The "step wanted before a breakpoint cut it" is ngspice's saveDelta:
// kept from the last step a breakpoint cut (TSTOP/50 before any), so that a
// breakpoint a device sets at the time just reached (an LTRA line one delay
// after the previous point) is followed by a tenth of that older step.
//
// Times and steps in seconds. hmin = 1e-11 tmax.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>

namespace simcore::an {

// The largest step of a .tran that gives no TMAX. SPICE mode: TSTEP, as
// ngspice 39. Event mode: its steps between events are exact for
// piecewise-linear waveforms, so 10 TSTEP when every time function is piecewise
// linear between its breakpoints; a smooth one (SIN, EXP, SFFM) lowers that to
// the step that draws it within about 0.1 % of its range (smoothStep, the
// smallest the devices ask for), but never below TSTEP, where SPICE draws it.
// Both at most (TSTOP - TSTART) / 50.
inline double defaultTmax(bool eventMode, double tstep, double span, double smoothStep) {
  double h = tstep;
  if (eventMode) h = std::clamp(smoothStep, tstep, 10.0 * tstep);
  return std::min(h, span / 50.0);
}

struct StepPlan {
  double h = 0;          // size of the step to try
  bool landing = false;  // the step ends on the next breakpoint
  double wanted = 0;     // the step before a breakpoint cut it (ngspice's saveDelta); 0: h
  // SPICE mode, an order-1 step accepted: the step the order-2 error estimate
  // allows (ngspice raises the order only if that is above 1.05 h); NaN: none
  // given (the order rises)
  double raise = std::numeric_limits<double>::quiet_NaN();
};

// What the driver does after an outcome is reported.
enum class StepVerdict {
  Accept,  // keep the solution
  Retry,   // recoverable: restore the last accepted point and try again with h()
  Fatal,   // the step cannot be made smaller: stop the run (timestep too small)
};

class StepController {
 public:
  // tmax: largest step; h0: first step; maxOrder: the integrator's highest order.
  void start(double tmax, double h0, int maxOrder);

  // The step from t towards the next breakpoint bp (> t).
  StepPlan plan(double t, double bp) const;

  // Newton did not converge on a step of size h.
  StepVerdict newtonFailed(double h);

  // The truncation error allows hLte for the step of size h just solved;
  // atEvent: the step ends on a switching event (accepted whatever the error).
  StepVerdict errorTest(double h, double hLte, bool atEvent);

  // The order-2 (trapezoidal) step of size h just solved passed errorTest but
  // rings (Integrator::ringsAhead): retry it at order 1 with the same h
  // (backward Euler damps the stiff states' mode at once); errorTest accepts
  // that retry whatever its order-1 error (the step's order-2 error passed).
  // Afterwards the order rises again as after any order-1 step.
  StepVerdict ringing(double h) {
    h_ = h;
    order_ = 1;
    damping_ = true;
    return StepVerdict::Retry;
  }

  // The planned step was accepted. gapAfter: distance from the new time to
  // the next breakpoint (already advanced past a landed one).
  void accepted(const StepPlan& p, double hLte, bool atEvent, double gapAfter);

  // After a switching instant (event mode): order 1 and the step h.
  void restart(double h) {
    order_ = 1;
    h_ = quantize(std::clamp(h, hmin_ * 10, tmax_));
  }
  // SPICE mode, after a switching instant: the next step no shorter than the
  // step that crossed the instant (nor TMAX)
  void atLeast(double h) { h_ = std::max(h_, std::min(h, std::min(tmax_, cap_))); }
  // SPICE mode: the devices' own largest step (infinity: none); see the top.
  void setStepLimit(double limit) { limit_ = limit; }
  // SPICE mode: ngspice's saveDelta before any breakpoint cut a step (TSTOP/50).
  void setSaveDelta(double h) { saveDelta_ = h; }
  double stepLimit() const { return limit_; }
  // SPICE mode: a lower TMAX set during the run (ngspice's TXL and CPL lower
  // CKTmaxStep): caps every later step as TMAX does, outside the truncation-error
  // step (not in the order-raise test), and leaves hmin and the minimum break.
  void setTmaxCap(double cap) { cap_ = cap; }
  // Event mode: every step the controller chooses is tmax / 2^k (rounded
  // down), so that the solver's factorization cache sees few distinct steps.
  void setQuantized(bool on) { quantized_ = on; }

  double h() const { return h_; }  // the step to try next (before plan() limits it)
  int order() const { return order_; }
  double tmax() const { return tmax_; }
  double hmin() const { return hmin_; }

 private:
  double quantize(double h) const {
    if (!quantized_ || !(h > 0) || h >= tmax_) return h;
    int e;
    std::frexp(h / tmax_, &e);  // h / tmax in [2^(e-1), 2^e)
    return std::ldexp(tmax_, e - 1);
  }
  double tmax_ = 0, hmin_ = 0, h_ = 0;
  double limit_ = std::numeric_limits<double>::infinity();
  double cap_ = std::numeric_limits<double>::infinity();
  double saveDelta_ = std::numeric_limits<double>::infinity();
  // the step just rejected (infinity once one is accepted): a retry is not
  // stretched onto a breakpoint beyond it
  double rejected_ = std::numeric_limits<double>::infinity();
  int order_ = 1, maxOrder_ = 1;
  bool quantized_ = false;
  bool first_ = false;  // no step accepted since start()
  bool damping_ = false;  // the step being retried is a ringing step's order-1 retry
};

// Inline: these run once per step attempt.

inline void StepController::start(double tmax, double h0, int maxOrder) {
  tmax_ = tmax;
  hmin_ = 1e-11 * tmax;
  h_ = h0;
  order_ = 1;
  maxOrder_ = maxOrder;
  first_ = true;
  damping_ = false;
  saveDelta_ = std::numeric_limits<double>::infinity();
  cap_ = std::numeric_limits<double>::infinity();
  rejected_ = std::numeric_limits<double>::infinity();
}

inline StepPlan StepController::plan(double t, double bp) const {
  StepPlan p;
  p.h = std::min(std::min(h_, std::min(tmax_, cap_)), limit_);
  p.wanted = p.h;
  const double gap = bp - t;
  // (a step within the minimum break of a breakpoint lands on it, unless a step as
  // long was just rejected: an event inside it would cut it again, for ever)
  if (p.h >= gap * (1.0 - 1e-9) || (!quantized_ && gap - p.h <= 1e-10 * tmax_ && gap < rejected_)) {
    p.h = gap;
    p.landing = true;
  } else if (quantized_ && p.h > 0.5 * gap) {
    p.h = 0.5 * gap;  // two even steps instead of a sliver before the corner
  }
  return p;
}

inline StepVerdict StepController::newtonFailed(double h) {
  damping_ = false;
  rejected_ = h;
  h_ = quantize(h / 8.0);
  order_ = 1;
  return h_ < hmin_ ? StepVerdict::Fatal : StepVerdict::Retry;
}

inline StepVerdict StepController::errorTest(double h, double hLte, bool atEvent) {
  if (damping_) {
    damping_ = false;
    return StepVerdict::Accept;
  }
  if (!(hLte < 0.9 * h) || atEvent) return StepVerdict::Accept;  // (a NaN estimate does not reject)
  // one last try at the minimum step; if even that is too coarse, stop
  if (h <= hmin_ * (1.0 + 1e-9)) return StepVerdict::Fatal;
  rejected_ = h;
  h_ = std::max(quantize(hLte), hmin_);
  return StepVerdict::Retry;
}

inline void StepController::accepted(const StepPlan& p, double hLte, bool atEvent, double gapAfter) {
  const double h = p.h;
  const bool first = first_;
  first_ = false;
  rejected_ = std::numeric_limits<double>::infinity();
  if (!quantized_ && !atEvent) {
    if (p.landing) {
      order_ = 1;
      if (p.wanted > h) saveDelta_ = p.wanted;  // a step the breakpoint cut
      const double wanted = std::isfinite(saveDelta_) ? saveDelta_ : (p.wanted > 0 ? p.wanted : h);
      h_ = std::min(std::min(2.0 * h, std::min(hLte, limit_)), 0.1 * std::min(wanted, gapAfter));
      h_ = std::min(std::max(h_, hmin_ * 10), std::min(tmax_, cap_));
    } else if (!first) {
      if (order_ == 1 && maxOrder_ > 1) {
        // ngspice keeps the order-2 step even when it stays at order 1
        if (!std::isnan(p.raise)) {
          h_ = std::min(std::min(2.0 * h, p.raise), limit_);
          order_ = h_ <= 1.05 * h ? 1 : 2;
        } else {  // no order-2 estimate: raise
          order_ = maxOrder_;
          h_ = std::min(2.0 * h, hLte);
        }
      } else {
        h_ = std::min(2.0 * h, hLte);
      }
    }
    return;
  }
  if (p.landing || atEvent) {
    order_ = 1;
    const double next = std::min(hLte, h);
    h_ = std::max(0.1 * std::min(next, gapAfter), hmin_ * 10);
    if (p.landing) h_ = std::max(h_, 0.1 * h);
    h_ = quantize(std::min(h_, std::min(next, tmax_)));
  } else {
    order_ = maxOrder_;
    h_ = quantize(std::min(2.0 * h, hLte));
  }
}

}  // namespace simcore::an
