#include "analysis/integrator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace simcore::an {

void Integrator::resize(int states) {
  n_ = states;
  for (auto& v : q_) v.assign(std::size_t(states), 0.0);
  for (auto& v : iq_) v.assign(std::size_t(states), 0.0);
  hist_.assign(std::size_t(states), 0.0);
  zeros_.assign(std::size_t(states), 0.0);
  valid_ = 0;
}

void Integrator::setMethod(ir::IntegrationMethod m, int maxOrder) {
  method_ = m;
  maxOrder_ = m == ir::IntegrationMethod::Euler ? 1 : std::clamp(maxOrder, 1, 2);
}

void Integrator::prepare(double h, int order) {
  order_ = std::min(order, maxOrder_);
  if (valid_ < 2) order_ = 1;  // Gear-2 needs q_{n-2}; trapezoidal needs i_{n-1} only but starts with BE
  h_ = h;
  dt_[0] = h;
  const std::vector<double>& q1 = q_[1];
  const std::vector<double>& i1 = iq_[1];
  if (order_ == 1) {
    ag0_ = 1.0 / h;
    for (int s = 0; s < n_; ++s) hist_[std::size_t(s)] = -q1[std::size_t(s)] / h;
  } else if (method_ == ir::IntegrationMethod::Trapezoidal) {
    ag0_ = 2.0 / h;
    for (int s = 0; s < n_; ++s) hist_[std::size_t(s)] = -ag0_ * q1[std::size_t(s)] - i1[std::size_t(s)];
  } else {  // Gear-2, variable step
    const double r = h / dt_[1];
    const double a0 = (1.0 + 2.0 * r) / ((1.0 + r) * h);
    const double a1 = -(1.0 + r) / h;
    const double a2 = r * r / ((1.0 + r) * h);
    ag0_ = a0;
    const std::vector<double>& q2 = q_[2];
    for (int s = 0; s < n_; ++s) hist_[std::size_t(s)] = a1 * q1[std::size_t(s)] + a2 * q2[std::size_t(s)];
  }
}

void Integrator::initHistory() {
  for (int k = 1; k < kHistory; ++k) {
    q_[std::size_t(k)] = q_[0];
    iq_[std::size_t(k)] = iq_[0];
  }
  valid_ = 1;
}

void Integrator::accept(double h) {
  // rotate: slot k+1 <- slot k; the new current slot starts as a copy of the accepted one
  std::rotate(q_.rbegin(), q_.rbegin() + 1, q_.rend());
  std::rotate(iq_.rbegin(), iq_.rbegin() + 1, iq_.rend());
  q_[0] = q_[1];
  iq_[0] = iq_[1];
  for (int k = kHistory - 1; k > 1; --k) dt_[std::size_t(k)] = dt_[std::size_t(k - 1)];
  dt_[1] = h;
  valid_ = std::min(valid_ + 1, kHistory);
}

double Integrator::truncationStep(double h, int order, const ir::Options& opt) const {
  if (n_ == 0) return std::numeric_limits<double>::infinity();
  // order k needs k+2 points: the candidate and k+1 accepted ones
  if (valid_ < 2) return std::numeric_limits<double>::infinity();
  if (order == 2 && valid_ < 3) order = 1;
  double factor;
  if (order == 1) factor = 0.5;
  else factor = method_ == ir::IntegrationMethod::Gear ? 2.0 / 9.0 : 1.0 / 12.0;
  // step sizes back from t_n: h, dt_[1], dt_[2]
  const double d0 = h, d1 = dt_[1], d2 = dt_[2];
  double best = std::numeric_limits<double>::infinity();
  for (int s = 0; s < n_; ++s) {
    const std::size_t k = std::size_t(s);
    const double q0 = q_[0][k], q1 = q_[1][k], q2 = q_[2][k];
    const double i0 = iq_[0][k], i1 = iq_[1][k];
    // divided differences of the charge over t_n, t_{n-1}, ...
    double f01 = (q0 - q1) / d0, f12 = (q1 - q2) / d1;
    double dd = (f01 - f12) / (d0 + d1);
    if (order == 2) {
      const double q3 = q_[3][k];
      double f23 = (q2 - q3) / d2;
      double dd2b = (f12 - f23) / (d1 + d2);
      dd = (dd - dd2b) / (d0 + d1 + d2);
    }
    const double volttol = opt.abstol + opt.reltol * std::max(std::fabs(i0), std::fabs(i1));
    const double chargetol = opt.reltol * std::max({std::fabs(q0), std::fabs(q1), opt.chgtol}) / h;
    const double tol = std::max(volttol, chargetol);
    double del = opt.trtol * tol / std::max(opt.abstol, factor * std::fabs(dd));
    if (order == 2) del = std::sqrt(del);
    best = std::min(best, del);
  }
  return best;
}

}  // namespace simcore::an
