// Time integration of charge states: the only place that knows the methods.
//
// Every reactive quantity of a device is a charge state s (charge of a
// capacitor, flux of an inductor). For a step of size h to t_n the device
// asks for its current as i_n = ag0 * q_n + hist[s]:
//   backward Euler  i_n = (q_n - q_{n-1}) / h
//   trapezoidal     i_n = 2 (q_n - q_{n-1}) / h - i_{n-1}
//   Gear-2 (BDF2)   i_n = a0 q_n + a1 q_{n-1} + a2 q_{n-2}, variable-step coefficients
// The local truncation error is estimated from the divided difference of
// order (k+1) of each state's charge history (k = order), SPICE-style:
//   h_new = (trtol * tol / (C_k * |DD_{k+1}|))^(1/k),
//   tol = max(abstol + reltol*max|i|, reltol*max(|q|, chgtol)/h)
// with C_1 = 1/2, C_2 = 1/12 (trapezoidal) or 2/9 (Gear-2).
//
// It also keeps the solution vector x at the last three accepted points, for
//   the predictor     x_pred(t_n + h) = x_n + h/h_n (x_n - x_{n-1})  (linear)
//   dense output      x(t) for t in [t_{n-1}, t_n], the polynomial of the last
//                     step's order: the line through x_{n-1}, x_n after an
//                     order-1 step, the parabola through x_{n-2}, x_{n-1}, x_n
//                     after an order-2 step (like IDAGetDky at derivative 0).
// A point accepted at a discontinuity (a switching event: x there is the left
// limit) is never used to interpolate beyond itself.
//
// Trapezoidal ringing (ringsAhead, .options trapdamp). For a state whose time
// constant tau is far below the step h the trapezoidal rule's amplification
// factor is -(1 - h/2tau)/(1 + h/2tau), near -1: an error in its current
// alternates in sign from point to point and hardly decays, while its charge
// hardly moves (i_n + i_{n-1} = 2 (q_n - q_{n-1}) / h), so the truncation-error
// test, which looks at the charges, passes it. ringsAhead tests the step just
// solved (its current and those of the last two accepted points, ringTest);
// the driver then takes that step again at order 1 (StepController::ringing),
// whose amplification factor for such a state is tau / (tau + h), near 0.
#pragma once

#include <array>
#include <utility>
#include <vector>

#include "simcore/ir.hpp"

namespace simcore::an {

// Three accepted currents of a state, i0 (newest), i1, i2, at steps
// h0 = t0 - t1 and h1 = t1 - t2, split exactly into a straight line s(t) and
// an alternating part +a, -a, +a:
//   a = ((h1 i0 + h0 i2) / (h0 + h1) - i1) / 2   (so s(t0) = i0 - a).
// They ring when that part is larger than the line's size at t1 plus its
// change over the longer step, and larger than floor:
//   |a| > |s(t1)| + |i0 - i2| max(h0, h1) / (h0 + h1)   and   |a| > floor.
// A smooth waveform sampled at h w <= 1 (w its angular frequency) gives |a| at
// most about h w / 4 of the right side; a decaying exponential, however fast
// against h, at most 1/3; a ring of factor -g (g = (h/2tau - 1)/(h/2tau + 1)
// at a uniform step) is caught for g > 0.42, that is h > 4.9 tau.
// They also ring at the first swing after an edge the steps did not resolve
// (0, I, -g I): the current reverses sign, |i0 + i1| < |i0 - i1| / 4 (the
// charge hardly moves over the last step) and its slope |i0 - i1| / h0 is
// more than 1.5 times the one before (a sine's, from h w of about 0.7 up),
// when |i0 - i1| / 2 > floor.
struct RingTest {
  double alternating = 0;  // a, signed as at i0
  bool rings = false;
};
RingTest ringTest(double i0, double i1, double i2, double h0, double h1, double floor);

class Integrator {
 public:
  static constexpr int kHistory = 4;  // q at t_n, t_{n-1}, t_{n-2}, t_{n-3}

  // untruncated: states whose truncation error does not limit the step;
  // blocks: states whose errors limit it together, as their root mean square
  // against relFactor times reltol (first, count, relFactor); with: (state,
  // into) pairs, state's charge and current added to into's for the error
  struct MeanBlock {
    int first = 0, count = 0;
    double relFactor = 1;
  };
  void resize(int states, const std::vector<int>& untruncated = {}, const std::vector<MeanBlock>& blocks = {},
              const std::vector<std::pair<int, int>>& with = {});
  void setMethod(ir::IntegrationMethod m, int maxOrder);

  // Prepare coefficients for a step of size h at the given order (1 or 2).
  void prepare(double h, int order);
  double ag0() const { return ag0_; }
  double h() const { return h_; }  // the step prepare() was given
  const double* hist() const { return hist_.data(); }
  const double* zeros() const { return zeros_.data(); }
  double* q() { return q_[0].data(); }
  double* iq() { return iq_[0].data(); }

  // After the initial point: copy the current charges into every history slot.
  void initHistory();
  // After initHistory, SPICE mode: the step ngspice's history puts before a
  // run's first point (its TMAX); the second step's order-2 test then runs on
  // that history (the first point's charges again), as ngspice's does.
  void setStartStep(double dt);
  // After an accepted step of size h: shift histories.
  void accept(double h);
  // The charges of the last accepted point (after accept()).
  const std::vector<double>& acceptedCharges() const { return q_[1]; }
  const std::vector<double>& acceptedCurrents() const { return iq_[1]; }  // of the charge states
  // Start from these charges (every history slot; currents zero): the next
  // step must be order 1 (after a restart()).
  void setCharges(const std::vector<double>& q);
  // After accept(): forget the points before the one just accepted (a
  // switching instant: the charges' derivatives jump there), so the next
  // step is order 1 and the truncation error is not estimated across it.
  void restart();
  // Largest step the truncation error allows for the solution just computed
  // (current slot) with step h and order; +inf when there are no states.
  double truncationStep(double h, int order, const ir::Options& opt) const;
  int pointsInHistory() const { return valid_; }
  // Before accept(): how many states ring over the trapezoidal step just
  // solved (order 2; else 0): ringTest on the currents of the last two
  // accepted points and of the solution in the current slot, with floor
  // trtol times the state's truncation-error tolerance (truncationStep).
  int ringsAhead(const ir::Options& opt) const;

  int order() const { return order_; }
  ir::IntegrationMethod method() const { return method_; }
  int maxOrder() const { return maxOrder_; }

  // Solution history. startSolution: x (n unknowns) at the initial time t.
  void startSolution(double t, const std::vector<double>& x);
  // After an accepted step of size h to t with solution x (same size), taken
  // at order() (the order prepare() settled on). discontinuity: x is the left
  // limit of a jump at t (a switching event).
  void acceptSolution(double t, double h, const std::vector<double>& x, bool discontinuity);
  const std::vector<double>& solution() const { return x_[0]; }  // x at the last accepted point
  double solutionTime() const { return tx_[0]; }
  // False until a step has been accepted after startSolution().
  bool canPredict() const { return xValid_ >= 2; }
  // The accepted point before the last one when the solution is smooth
  // through the last one (neither is a jump's left limit), else null.
  const double* previousSmooth(double& t) const {
    if (xValid_ < 2 || kink_[0] || kink_[1]) return nullptr;
    t = tx_[1];
    return x_[1].data();
  }
  // Linear extrapolation to t_n + h into x (requires canPredict()).
  void predict(double h, std::vector<double>& x) const;
  // x(t) for t in [t_{n-1}, t_n] into out (solution().size() values); t
  // outside is clamped to the step. Before any step: the initial x.
  void interpolate(double t, double* out) const;
  // Order of the polynomial interpolate() uses (0 before any step).
  int denseOrder() const;
  // interpolate() as it would be after acceptSolution(tNew, ., xNew, .) of
  // the step just prepared (a step solved but not yet accepted): x(t) for t
  // in [t_n, tNew], the same arithmetic, nothing changed.
  void interpolateAhead(double t, double tNew, const std::vector<double>& xNew, double* out) const;

 private:
  int n_ = 0;
  std::vector<char> skip_;  // per state: left out of truncationStep (1), or in a block (2)
  std::vector<MeanBlock> blocks_;
  std::vector<int> blockOf_;  // per state: its block, -1 none
  std::vector<std::vector<int>> with_;  // per state: the states whose charges count in its error (skip_ 3 on those)
  mutable std::vector<double> blockSums_;  // truncationStep's scratch
  ir::IntegrationMethod method_ = ir::IntegrationMethod::Trapezoidal;
  int maxOrder_ = 2;
  int order_ = 1;
  double ag0_ = 0, h_ = 0;
  std::array<std::vector<double>, kHistory> q_, iq_;
  std::array<double, kHistory> dt_{};  // dt_[k] = t_{n-k} - t_{n-k-1} (dt_[0] is the current step)
  bool startHistory_ = false;  // the history behind the first point is initHistory's
  std::vector<double> hist_, zeros_;
  int valid_ = 0;  // accepted points available in history (including the current base)
  bool restarted_ = false;  // restart() was used (event mode)

  static constexpr int kSolutionHistory = 3;  // x at t_n, t_{n-1}, t_{n-2}
  std::array<std::vector<double>, kSolutionHistory> x_;
  std::array<double, kSolutionHistory> tx_{};
  double hx_ = 0;              // size of the last accepted step (t_n - t_{n-1} as taken)
  int xValid_ = 0;             // accepted points in x_
  int xOrder_ = 0;             // order of the last accepted step
  std::array<bool, kSolutionHistory> kink_{};  // x_k is the left limit of a jump
};

}  // namespace simcore::an
