// The impulse responses of a lossy transmission line (LTRA, devices/ltra.cpp)
// and their integrals, as the line's convolution needs them.
//
// A line of length len with R L G C per metre has, with currents j1, j2 into
// its ports and Laplace-domain port voltages V1, V2:
//   J1 = Y0 V1 - P (Y0 V2 + J2),   J2 = Y0 V2 - P (Y0 V1 + J1)
//   Y0 = sqrt((sC + G) / (sL + R)),  P = exp(-len sqrt((sL + R)(sC + G))).
// With G = 0 (the cases ngspice's LTRA simulates in time):
//   LC:  Y0 = Yinf, P = delay by T: a lossless line.
//   RLC: alpha = R / 2L, T = len sqrt(LC), Yinf = sqrt(C/L):
//        Y0 / Yinf = 1 + Hy,  P = exp(-alpha T) e^{-sT} + Hp,
//        P Y0 / Yinf = exp(-alpha T) e^{-sT} + Hyp,
//        with the impulse responses (t > 0, the last two zero before T; r = sqrt(t^2 - T^2))
//          hy(t)  = alpha e^{-alpha t} (I1(alpha t) - I0(alpha t))
//          hp(t)  = alpha^2 T e^{-alpha t} I1(alpha r) / (alpha r)
//          hyp(t) = alpha e^{-alpha t} (alpha t I1(alpha r) / (alpha r) - I0(alpha r))
//   RC:  Y0 = sqrt(sC/R) (hy), P = exp(-sqrt(s R C len^2)) (hp), P Y0 (hyp), no delayed impulse.
// Each kernel k is given by K2(t) = int_0^t int_0^s k, its twice repeated
// integral, and K1inf = int_0^inf k: the convolution of k with a function that
// is piecewise linear between time points (and constant before 0) needs only
// these (ltra.cpp). Closed forms where they exist (hy of RLC, all three of RC);
// hp and hyp of RLC from a table of K1 and K2 over a geometric grid of t - T
// (Gauss-Legendre on each cell from the closed-form k, cubic Hermite between
// nodes; beyond the last node the K1inf - c/sqrt(t) tail).
#pragma once

#include <vector>

namespace simcore::dev::ltra {

// e^{-x} I0(x) and e^{-x} I1(x) for x >= 0, and I1(x)/x * e^{-x}
// (polynomial approximations of Abramowitz & Stegun 9.8.1-4, relative error below 5e-7).
double besselI0e(double x);
double besselI1e(double x);
double besselI1OverXe(double x);

enum class KernelKind { Zero, RlcY, RlcP, RlcYP, RcY, RcP, RcYP };

class Kernel {
 public:
  Kernel() = default;
  // alpha = R/2L and T (RLC); cbyr = C/R and rclsqr = R C len^2 (RC).
  static Kernel rlc(KernelKind kind, double alpha, double T);
  static Kernel rc(KernelKind kind, double cbyr, double rclsqr);

  double twiceIntegral(double t) const;  // K2(t); 0 for t <= delay
  double integral(double t) const;       // K1(t)
  double value(double t) const;          // k(t), t > 0
  double total() const { return k1inf_; }  // K1(inf)
  bool zero() const { return kind_ == KernelKind::Zero; }

 private:
  void tabulate();
  double tableK2(double u) const;

  KernelKind kind_ = KernelKind::Zero;
  double a_ = 0, b_ = 0;  // RLC: alpha, T. RC: cbyr, rclsqr
  double k1inf_ = 0;
  std::vector<double> u_, k1_, k2_, k_;  // the table over u = t - T (RlcP, RlcYP)
};

// ngspice's straight-line test of three points: the area between the chord
// (x1,y1)-(x3,y3) and the two segments is within reltol of the area under them (+ abstol).
bool straightLine(double x1, double y1, double x2, double y2, double x3, double y3, double reltol, double abstol);

// The largest step over which the RLC line's hp is straight enough to be
// convolved piecewise linearly (ngspice's LTRA "max safe step": bisection
// from 10 T towards T until hp at both ends and the middle passes straightLine).
double rlcMaxSafeStep(double alpha, double T, double reltol, double abstol);

}  // namespace simcore::dev::ltra
