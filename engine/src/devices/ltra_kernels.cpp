#include "devices/ltra_kernels.hpp"

#include <algorithm>
#include <cmath>

namespace simcore::dev::ltra {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Abramowitz & Stegun 9.8.1 / 9.8.3 (|x| <= 3.75, in t = (x/3.75)^2) and 9.8.2 / 9.8.4 (in 3.75/x).
double i0Small(double y) {
  return 1.0 + y * (3.5156229 + y * (3.0899424 + y * (1.2067492 + y * (0.2659732 + y * (0.0360768 + y * 0.0045813)))));
}
double i1OverXSmall(double y) {
  return 0.5 + y * (0.87890594 + y * (0.51498869 + y * (0.15084934 + y * (0.02658733 + y * (0.00301532 + y * 0.00032411)))));
}
double i0LargeScaled(double z) {  // sqrt(x) e^{-x} I0(x), z = 3.75/x
  return 0.39894228 +
         z * (0.01328592 +
              z * (0.00225319 +
                   z * (-0.00157565 +
                        z * (0.00916281 + z * (-0.02057706 + z * (0.02635537 + z * (-0.01647633 + z * 0.00392377)))))));
}
double i1LargeScaled(double z) {  // sqrt(x) e^{-x} I1(x)
  return 0.39894228 +
         z * (-0.03988024 +
              z * (-0.00362018 +
                   z * (0.00163801 +
                        z * (-0.01031555 + z * (0.02282967 + z * (-0.02895312 + z * (0.01787654 - z * 0.00420059)))))));
}

// 8-point Gauss-Legendre on [-1, 1].
constexpr double kGx[4] = {0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363};
constexpr double kGw[4] = {0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763};

}  // namespace

double besselI0e(double x) {
  x = std::fabs(x);
  if (x < 3.75) return i0Small((x / 3.75) * (x / 3.75)) * std::exp(-x);
  return i0LargeScaled(3.75 / x) / std::sqrt(x);
}

double besselI1e(double x) {
  const double ax = std::fabs(x);
  double r;
  if (ax < 3.75) r = ax * i1OverXSmall((ax / 3.75) * (ax / 3.75)) * std::exp(-ax);
  else r = i1LargeScaled(3.75 / ax) / std::sqrt(ax);
  return x < 0 ? -r : r;
}

double besselI1OverXe(double x) {
  x = std::fabs(x);
  if (x < 3.75) return i1OverXSmall((x / 3.75) * (x / 3.75)) * std::exp(-x);
  return i1LargeScaled(3.75 / x) / (x * std::sqrt(x));
}

Kernel Kernel::rlc(KernelKind kind, double alpha, double T) {
  Kernel k;
  if (!(alpha > 0)) return k;  // lossless: no convolution
  k.kind_ = kind;
  k.a_ = alpha;
  k.b_ = T;
  const double att = std::exp(-alpha * T);
  k.k1inf_ = kind == KernelKind::RlcY ? -1.0 : kind == KernelKind::RlcP ? 1.0 - att : -att;
  if (kind != KernelKind::RlcY) k.tabulate();
  return k;
}

Kernel Kernel::rc(KernelKind kind, double cbyr, double rclsqr) {
  Kernel k;
  k.kind_ = kind;
  k.a_ = cbyr;
  k.b_ = rclsqr;
  k.k1inf_ = kind == KernelKind::RcP ? 1.0 : 0.0;
  return k;
}

double Kernel::value(double t) const {
  const double al = a_, T = b_;
  switch (kind_) {
    case KernelKind::Zero: return 0.0;
    case KernelKind::RlcY: return al * (besselI1e(al * t) - besselI0e(al * t));
    case KernelKind::RlcP:
    case KernelKind::RlcYP: {
      if (t < T) return 0.0;
      const double r = std::sqrt(std::max(0.0, (t - T) * (t + T)));
      const double e = std::exp(-al * T * T / (t + r));  // e^{-alpha (t - r)}
      if (kind_ == KernelKind::RlcP) return al * al * T * e * besselI1OverXe(al * r);
      return al * e * (al * t * besselI1OverXe(al * r) - besselI0e(al * r));
    }
    case KernelKind::RcY: return t > 0 ? -0.5 * std::sqrt(a_ / kPi) * std::pow(t, -1.5) : 0.0;
    case KernelKind::RcP: {
      if (!(t > 0)) return 0.0;
      const double a = 0.25 * b_;
      return std::sqrt(a / kPi) * std::pow(t, -1.5) * std::exp(-a / t);
    }
    case KernelKind::RcYP: {
      if (!(t > 0)) return 0.0;
      const double a = 0.25 * b_;
      return std::sqrt(a_ / kPi) * std::exp(-a / t) * (a * std::pow(t, -2.5) - 0.5 * std::pow(t, -1.5));
    }
  }
  return 0.0;
}

double Kernel::integral(double t) const {
  switch (kind_) {
    case KernelKind::Zero: return 0.0;
    case KernelKind::RlcY: return t > 0 ? besselI0e(a_ * t) - 1.0 : 0.0;
    case KernelKind::RlcYP: {
      if (t <= b_) return 0.0;
      const double r = std::sqrt((t - b_) * (t + b_));
      return std::exp(-a_ * b_ * b_ / (t + r)) * besselI0e(a_ * r) - std::exp(-a_ * b_);
    }
    case KernelKind::RlcP: {
      if (t <= b_) return 0.0;
      const double u = t - b_;
      const std::size_t n = u_.size();
      if (u >= u_[n - 1]) {
        const double tl = u_[n - 1] + b_;
        return k1inf_ - (k1inf_ - k1_[n - 1]) * std::sqrt(tl / t);
      }
      std::size_t i = std::size_t(std::upper_bound(u_.begin(), u_.end(), u) - u_.begin()) - 1;
      // K1 is the derivative of the Hermite cubic of K2
      const double h = u_[i + 1] - u_[i], s = (u - u_[i]) / h;
      const double d0 = k2_[i], d1 = k2_[i + 1], m0 = k1_[i] * h, m1 = k1_[i + 1] * h;
      const double dh00 = 6 * s * s - 6 * s, dh10 = 3 * s * s - 4 * s + 1, dh01 = -dh00, dh11 = 3 * s * s - 2 * s;
      return (dh00 * d0 + dh10 * m0 + dh01 * d1 + dh11 * m1) / h;
    }
    case KernelKind::RcY: return t > 0 ? std::sqrt(a_ / (kPi * t)) : 0.0;
    case KernelKind::RcP: return t > 0 ? std::erfc(std::sqrt(0.25 * b_ / t)) : 0.0;
    case KernelKind::RcYP: return t > 0 ? std::sqrt(a_ / (kPi * t)) * std::exp(-0.25 * b_ / t) : 0.0;
  }
  return 0.0;
}

double Kernel::twiceIntegral(double t) const {
  if (!(t > 0)) return 0.0;
  switch (kind_) {
    case KernelKind::Zero: return 0.0;
    case KernelKind::RlcY: {
      const double x = a_ * t;
      return t * (besselI0e(x) + besselI1e(x)) - t;
    }
    case KernelKind::RlcP:
    case KernelKind::RlcYP: return t <= b_ ? 0.0 : tableK2(t - b_);
    case KernelKind::RcY: return std::sqrt(4.0 * a_ * t / kPi);
    case KernelKind::RcP: {
      const double a = 0.25 * b_;
      return (t + 2.0 * a) * std::erfc(std::sqrt(a / t)) - std::sqrt(4.0 * a * t / kPi) * std::exp(-a / t);
    }
    case KernelKind::RcYP: {
      const double a = 0.25 * b_;
      return std::sqrt(a_) * (2.0 * std::sqrt(t / kPi) * std::exp(-a / t) - std::sqrt(b_) * std::erfc(std::sqrt(a / t)));
    }
  }
  return 0.0;
}

// K1 and K2 at u = t - T on a geometric grid from 1e-6 of the shorter of T and
// 1/alpha to 1e5 of the longer, 80 nodes a decade.
void Kernel::tabulate() {
  const double T = b_, tau = 1.0 / a_;
  const double first = 1e-6 * std::min(T, tau), last = 1e5 * std::max(T, tau);
  const double q = std::pow(10.0, 1.0 / 80.0);
  u_ = {0.0};
  for (double u = first; u < last * q; u *= q) u_.push_back(u);
  const std::size_t n = u_.size();
  k_.assign(n, 0.0);
  k1_.assign(n, 0.0);
  k2_.assign(n, 0.0);
  k_[0] = value(T);
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const double lo = u_[i], hi = u_[i + 1], half = 0.5 * (hi - lo), mid = 0.5 * (hi + lo);
    double i1 = 0, i2 = 0;
    for (int g = 0; g < 4; ++g)
      for (int sgn = -1; sgn <= 1; sgn += 2) {
        const double tau2 = mid + sgn * kGx[g] * half;
        const double kv = value(T + tau2);
        i1 += kGw[g] * kv;
        i2 += kGw[g] * (hi - tau2) * kv;
      }
    i1 *= half;
    i2 *= half;
    k1_[i + 1] = k1_[i] + i1;
    k2_[i + 1] = k2_[i] + (hi - lo) * k1_[i] + i2;
    k_[i + 1] = value(T + hi);
  }
  if (kind_ == KernelKind::RlcYP)
    for (std::size_t i = 1; i < n; ++i) k1_[i] = integral(T + u_[i]);  // the closed form
}

double Kernel::tableK2(double u) const {
  const std::size_t n = u_.size();
  if (u >= u_[n - 1]) {
    // K1 -> K1inf - c / sqrt(t): K2 grows by K1inf (t - tl) - 2c (sqrt(t) - sqrt(tl))
    const double tl = u_[n - 1] + b_, t = u + b_;
    const double c = (k1inf_ - k1_[n - 1]) * std::sqrt(tl);
    return k2_[n - 1] + k1inf_ * (t - tl) - 2.0 * c * (std::sqrt(t) - std::sqrt(tl));
  }
  const std::size_t i = std::size_t(std::upper_bound(u_.begin(), u_.end(), u) - u_.begin()) - 1;
  const double h = u_[i + 1] - u_[i], s = (u - u_[i]) / h;
  const double h00 = (1 + 2 * s) * (1 - s) * (1 - s), h10 = s * (1 - s) * (1 - s), h01 = s * s * (3 - 2 * s),
               h11 = s * s * (s - 1);
  return h00 * k2_[i] + h10 * h * k1_[i] + h01 * k2_[i + 1] + h11 * h * k1_[i + 1];
}

bool straightLine(double x1, double y1, double x2, double y2, double x3, double y3, double reltol, double abstol) {
  const double q1 = (std::fabs(y2) + std::fabs(y1)) * 0.5 * std::fabs(x2 - x1);
  const double q2 = (std::fabs(y3) + std::fabs(y2)) * 0.5 * std::fabs(x3 - x2);
  const double q3 = (std::fabs(y3) + std::fabs(y1)) * 0.5 * std::fabs(x3 - x1);
  return (q1 + q2) * reltol + abstol > std::fabs(q3 - q1 - q2);
}

double rlcMaxSafeStep(double alpha, double T, double reltol, double abstol) {
  const Kernel hp = Kernel::rlc(KernelKind::RlcP, alpha, T);
  double big = 10.0 * T, small = T, mid = 0.5 * (big + small);
  const double ysmall = hp.value(small);
  for (int iter = 1;; ++iter) {
    if (straightLine(big, hp.value(big), mid, hp.value(mid), small, ysmall, reltol, abstol) || iter > 50) break;
    big = mid;
    mid = 0.5 * (big + small);
  }
  return big - T;
}

}  // namespace simcore::dev::ltra
