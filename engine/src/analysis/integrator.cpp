#include "analysis/integrator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace simcore::an {

void Integrator::resize(int states, const std::vector<int>& untruncated, const std::vector<MeanBlock>& blocks,
                        const std::vector<std::pair<int, int>>& with) {
  n_ = states;
  skip_.assign(std::size_t(states), 0);
  for (int s : untruncated)
    if (s >= 0 && s < states) skip_[std::size_t(s)] = 1;
  blocks_ = blocks;
  blockOf_.assign(std::size_t(states), -1);
  for (std::size_t b = 0; b < blocks.size(); ++b)
    for (int s = blocks[b].first; s < blocks[b].first + blocks[b].count; ++s)
      if (s >= 0 && s < states && !skip_[std::size_t(s)]) {
        skip_[std::size_t(s)] = 2;
        blockOf_[std::size_t(s)] = static_cast<int>(b);
      }
  with_.assign(std::size_t(states), {});
  for (const auto& [s, into] : with)
    if (s >= 0 && s < states && into >= 0 && into < states && s != into && skip_[std::size_t(s)] == 0 &&
        skip_[std::size_t(into)] == 0) {
      skip_[std::size_t(s)] = 3;
      with_[std::size_t(into)].push_back(s);
    }
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
  // after a restart, order 2 only once its truncation error can be estimated
  // (the candidate and three accepted points)
  if (restarted_ && valid_ < 3) order_ = 1;
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
    dt_[std::size_t(k)] = 0;
  }
  valid_ = 1;
  startHistory_ = false;
}

void Integrator::setStartStep(double dt) {
  if (valid_ != 1 || !(dt > 0)) return;
  for (int k = 1; k < kHistory; ++k) dt_[std::size_t(k)] = dt;
  startHistory_ = true;
}

void Integrator::accept(double h) {
  // slot k+1 <- slot k; the oldest becomes the new current slot, which every
  // load overwrites completely (each device writes all of its states)
  for (std::size_t k = kHistory - 1; k > 0; --k) {  // swaps move three pointers, not the values
    q_[k].swap(q_[k - 1]);
    iq_[k].swap(iq_[k - 1]);
  }
  for (int k = kHistory - 1; k > 1; --k) dt_[std::size_t(k)] = dt_[std::size_t(k - 1)];
  dt_[1] = h;
  valid_ = std::min(valid_ + 1, kHistory);
}

void Integrator::setCharges(const std::vector<double>& q) {
  for (int k = 0; k < kHistory; ++k) {
    q_[std::size_t(k)] = q;
    std::fill(iq_[std::size_t(k)].begin(), iq_[std::size_t(k)].end(), 0.0);
  }
  valid_ = 1;
  startHistory_ = false;
}

void Integrator::restart() {
  restarted_ = true;
  for (int k = 2; k < kHistory; ++k) {
    q_[std::size_t(k)] = q_[1];
    iq_[std::size_t(k)] = iq_[1];
  }
  valid_ = 1;
  startHistory_ = false;
}

double Integrator::truncationStep(double h, int order, const ir::Options& opt) const {
  if (n_ == 0) return std::numeric_limits<double>::infinity();
  // order k needs k+2 points: the candidate and k+1 accepted ones
  if (valid_ < 2) return std::numeric_limits<double>::infinity();
  // (the second step of a run: ngspice's history before the first point holds
  // its charges again, a step TMAX before it; its second divided difference is
  // zero, so the order-2 test there sees the first step's curvature alone)
  if (order == 2 && valid_ < 3 && !(valid_ == 2 && startHistory_)) order = 1;
  double factor;
  if (order == 1) factor = 0.5;
  else factor = method_ == ir::IntegrationMethod::Gear ? 2.0 / 9.0 : 1.0 / 12.0;
  // step sizes back from t_n: h, dt_[1], dt_[2]; divided differences of the
  // charge over t_n, t_{n-1}, ... with the divisions hoisted out of the loop
  const double d0 = h, d1 = dt_[1], d2 = dt_[2];
  const double r0 = 1.0 / d0, r1 = 1.0 / d1, r2 = 1.0 / d2;
  const double r01 = 1.0 / (d0 + d1), r12 = 1.0 / (d1 + d2), r012 = 1.0 / (d0 + d1 + d2);
  const double* q0 = q_[0].data();
  const double* q1 = q_[1].data();
  const double* q2 = q_[2].data();
  const double* q3 = q_[3].data();
  const double* i0 = iq_[0].data();
  const double* i1 = iq_[1].data();
  const double reltol = opt.reltol, abstol = opt.abstol, chgtol = opt.chgtol;
  // the step allowed by state s is trtol * tol_s / err_s; track the largest err/tol
  double worst = 0.0;
  // (blocks: the sums of their states' squared ratios)
  std::vector<double>& sums = blockSums_;
  sums.assign(blocks_.size(), 0.0);
  for (int s = 0; s < n_; ++s) {
    const char skip = skip_[std::size_t(s)];
    if (skip == 1) continue;
    if (skip == 3) continue;  // (counted in another state's)
    double a0 = q0[s], a1 = q1[s], a2 = q2[s], a3 = q3[s], c0 = i0[s], c1 = i1[s];
    for (int m : with_[std::size_t(s)]) {
      a0 += q0[m];
      a1 += q1[m];
      a2 += q2[m];
      a3 += q3[m];
      c0 += i0[m];
      c1 += i1[m];
    }
    const double f01 = (a0 - a1) * r0, f12 = (a1 - a2) * r1;
    double dd = (f01 - f12) * r01;
    if (order == 2) {
      const double f23 = (a2 - a3) * r2;
      dd = (dd - (f12 - f23) * r12) * r012;
    }
    const double rel = skip == 2 ? reltol * blocks_[std::size_t(blockOf_[std::size_t(s)])].relFactor : reltol;
    const double volttol = abstol + rel * std::max(std::fabs(c0), std::fabs(c1));
    const double chargetol = rel * std::max(std::max(std::fabs(a0), std::fabs(a1)), chgtol) * r0;
    const double tol = std::max(volttol, chargetol);
    const double err = std::max(abstol, factor * std::fabs(dd));
    if (skip == 2) {
      const double r = err / tol;
      sums[std::size_t(blockOf_[std::size_t(s)])] += r * r;
    } else {
      worst = std::max(worst, err / tol);
    }
  }
  for (std::size_t b = 0; b < blocks_.size(); ++b)
    if (blocks_[b].count > 0) worst = std::max(worst, std::sqrt(sums[b] / blocks_[b].count));
  if (worst <= 0) return std::numeric_limits<double>::infinity();
  double del = opt.trtol / worst;
  if (order == 2) del = std::sqrt(del);
  return del;
}

RingTest ringTest(double i0, double i1, double i2, double h0, double h1, double floor) {
  RingTest r;
  const double line = (h1 * i0 + h0 * i2) / (h0 + h1);  // the line through (t2, i2) and (t0, i0), at t1
  r.alternating = 0.5 * (line - i1);
  const double a = std::fabs(r.alternating);
  const double smooth = std::fabs(i1 + r.alternating) + std::fabs(i0 - i2) * std::max(h0, h1) / (h0 + h1);
  // the first swing after an edge the step did not resolve: the current
  // reverses (0, I, -g I), the charge hardly moves over the last step and the
  // current's slope over it is well above the one before
  const double d0 = std::fabs(i0 - i1);
  const bool reverses = i0 * i1 < 0 && std::fabs(i0 + i1) < 0.25 * d0 && d0 * h1 > 1.5 * std::fabs(i1 - i2) * h0;
  r.rings = (a > smooth && a > floor) || (reverses && 0.5 * d0 > floor);
  return r;
}

int Integrator::ringsAhead(const ir::Options& opt) const {
  if (method_ != ir::IntegrationMethod::Trapezoidal || order_ != 2 || valid_ < 2) return 0;
  const double h0 = dt_[0], h1 = dt_[1];
  const double* i0 = iq_[0].data();
  const double* i1 = iq_[1].data();
  const double* i2 = iq_[2].data();
  const double* q0 = q_[0].data();
  const double* q1 = q_[1].data();
  int ringing = 0;
  for (int s = 0; s < n_; ++s) {
    if (skip_[std::size_t(s)]) continue;
    const double volttol = opt.abstol + opt.reltol * std::max(std::fabs(i0[s]), std::fabs(i1[s]));
    const double chargetol = opt.reltol * std::max(std::max(std::fabs(q0[s]), std::fabs(q1[s])), opt.chgtol) / h0;
    ringing += ringTest(i0[s], i1[s], i2[s], h0, h1, opt.trtol * std::max(volttol, chargetol)).rings;
  }
  return ringing;
}

}  // namespace simcore::an

namespace simcore::an {

void Integrator::startSolution(double t, const std::vector<double>& x) {
  for (auto& v : x_) v = x;
  tx_.fill(t);
  kink_.fill(false);
  hx_ = 0;
  xValid_ = 1;
  xOrder_ = 0;
}

void Integrator::acceptSolution(double t, double h, const std::vector<double>& x, bool discontinuity) {
  // slot k+1 <- slot k (the vectors swap, nothing is allocated); the oldest is overwritten
  for (std::size_t k = kSolutionHistory - 1; k > 0; --k) {
    x_[k].swap(x_[k - 1]);
    tx_[k] = tx_[k - 1];
    kink_[k] = kink_[k - 1];
  }
  std::copy(x.begin(), x.end(), x_[0].begin());
  tx_[0] = t;
  kink_[0] = discontinuity;
  hx_ = h;
  xValid_ = std::min(xValid_ + 1, kSolutionHistory);
  xOrder_ = order_;
}

void Integrator::predict(double h, std::vector<double>& x) const {
  const double r = h / hx_;
  const double* x0 = x_[0].data();
  const double* x1 = x_[1].data();
  double* out = x.data();
  const std::size_t n = x.size();
  for (std::size_t i = 1; i < n; ++i) out[i] = x0[i] + r * (x0[i] - x1[i]);
}

int Integrator::denseOrder() const {
  if (xValid_ < 2) return 0;
  if (xOrder_ >= 2 && xValid_ >= 3 && !kink_[2]) return 2;
  return 1;
}

namespace {

// The dense-output polynomial of order k (0: the newest point) through
// (t0, x0), (t1, x1) and, for k = 2, (t2, x2), at t (clamped to [t1, t0]).
void denseValue(int k, double t, double t0, double t1, double t2, const double* x0, const double* x1,
                const double* x2, std::size_t n, double* out) {
  if (k == 0 || t >= t0) {
    std::copy(x0, x0 + n, out);
    return;
  }
  t = std::max(t, t1);
  if (k == 1) {
    const double a = (t - t1) / (t0 - t1);
    for (std::size_t i = 0; i < n; ++i) out[i] = x1[i] + a * (x0[i] - x1[i]);
    return;
  }
  // Lagrange form of the parabola through (t_{n-2}, x2), (t_{n-1}, x1), (t_n, x0)
  const double w0 = (t - t1) * (t - t2) / ((t0 - t1) * (t0 - t2));
  const double w1 = (t - t0) * (t - t2) / ((t1 - t0) * (t1 - t2));
  const double w2 = (t - t0) * (t - t1) / ((t2 - t0) * (t2 - t1));
  for (std::size_t i = 0; i < n; ++i) out[i] = w0 * x0[i] + w1 * x1[i] + w2 * x2[i];
}

}  // namespace

void Integrator::interpolate(double t, double* out) const {
  denseValue(denseOrder(), t, tx_[0], tx_[1], tx_[2], x_[0].data(), x_[1].data(), x_[2].data(), x_[0].size(), out);
}

void Integrator::interpolateAhead(double t, double tNew, const std::vector<double>& xNew, double* out) const {
  // after acceptSolution: xValid_ + 1 points, order order_, the old newest point second
  const int valid = std::min(xValid_ + 1, kSolutionHistory);
  const int k = valid < 2 ? 0 : (order_ >= 2 && valid >= 3 && !kink_[1]) ? 2 : 1;
  denseValue(k, t, tNew, tx_[0], tx_[1], xNew.data(), x_[0].data(), x_[1].data(), xNew.size(), out);
}

}  // namespace simcore::an
