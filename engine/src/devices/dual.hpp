// Forward-mode dual numbers: a value and its partial derivatives in N
// independent variables (the controlling voltages of a device model). Models
// whose ngspice code writes the slopes by hand (MESA, HFET) evaluate their
// currents and capacitances on these, so that the Jacobian is the derivative
// of exactly the values computed.
//
// MovedCharge: a charge that moves as ngspice's MESA and HFET models move it
// over a transient step from the accepted point, q = q_acc + C(V) (v - v_acc)
// with the capacitance C taken at the new point (q = C v at the initial point;
// DC and AC see C). Its Jacobian includes C's own derivatives times the step.
#pragma once

#include <cmath>

namespace simcore::dev::semi {

template <int N>
struct Dual {
  double v = 0;
  double d[N] = {};
  static Dual constant(double x) { return Dual{x, {}}; }
  // the k-th independent variable at value x
  static Dual variable(double x, int k) {
    Dual r{x, {}};
    r.d[k] = 1.0;
    return r;
  }
};

template <int N>
Dual<N> operator+(const Dual<N>& a, const Dual<N>& b) {
  Dual<N> r{a.v + b.v};
  for (int k = 0; k < N; ++k) r.d[k] = a.d[k] + b.d[k];
  return r;
}
template <int N>
Dual<N> operator-(const Dual<N>& a, const Dual<N>& b) {
  Dual<N> r{a.v - b.v};
  for (int k = 0; k < N; ++k) r.d[k] = a.d[k] - b.d[k];
  return r;
}
template <int N>
Dual<N> operator-(const Dual<N>& a) {
  Dual<N> r{-a.v};
  for (int k = 0; k < N; ++k) r.d[k] = -a.d[k];
  return r;
}
template <int N>
Dual<N> operator*(const Dual<N>& a, const Dual<N>& b) {
  Dual<N> r{a.v * b.v};
  for (int k = 0; k < N; ++k) r.d[k] = a.d[k] * b.v + a.v * b.d[k];
  return r;
}
template <int N>
Dual<N> operator/(const Dual<N>& a, const Dual<N>& b) {
  Dual<N> r{a.v / b.v};
  for (int k = 0; k < N; ++k) r.d[k] = (a.d[k] - r.v * b.d[k]) / b.v;
  return r;
}
template <int N>
Dual<N> operator+(const Dual<N>& a, double b) {
  Dual<N> r = a;
  r.v += b;
  return r;
}
template <int N>
Dual<N> operator+(double a, const Dual<N>& b) {
  return b + a;
}
template <int N>
Dual<N> operator-(const Dual<N>& a, double b) {
  return a + (-b);
}
template <int N>
Dual<N> operator-(double a, const Dual<N>& b) {
  return -b + a;
}
template <int N>
Dual<N> operator*(const Dual<N>& a, double b) {
  Dual<N> r{a.v * b};
  for (int k = 0; k < N; ++k) r.d[k] = a.d[k] * b;
  return r;
}
template <int N>
Dual<N> operator*(double a, const Dual<N>& b) {
  return b * a;
}
template <int N>
Dual<N> operator/(const Dual<N>& a, double b) {
  return a * (1.0 / b);
}
template <int N>
Dual<N> operator/(double a, const Dual<N>& b) {
  return Dual<N>::constant(a) / b;
}
// f(a.v) with slope df
template <int N>
Dual<N> chain(const Dual<N>& a, double f, double df) {
  Dual<N> r{f};
  for (int k = 0; k < N; ++k) r.d[k] = df * a.d[k];
  return r;
}
template <int N>
Dual<N> exp(const Dual<N>& a) {
  const double e = std::exp(a.v);
  return chain(a, e, e);
}
template <int N>
Dual<N> log(const Dual<N>& a) {
  return chain(a, std::log(a.v), 1.0 / a.v);
}
template <int N>
Dual<N> sqrt(const Dual<N>& a) {
  const double s = std::sqrt(a.v);
  return chain(a, s, 0.5 / s);
}
template <int N>
Dual<N> tanh(const Dual<N>& a) {
  const double t = std::tanh(a.v);
  return chain(a, t, 1.0 - t * t);
}
// a^p for a >= 0 (p > 1 where a may be 0: value and slope 0 there)
template <int N>
Dual<N> pow(const Dual<N>& a, double p) {
  if (a.v == 0) return Dual<N>::constant(0.0);
  const double f = std::pow(a.v, p);
  return chain(a, f, p * f / a.v);
}
// a^p with a variable exponent (a >= 0; p > 1 where a may be 0)
template <int N>
Dual<N> pow(const Dual<N>& a, const Dual<N>& p) {
  if (a.v == 0) return Dual<N>::constant(0.0);
  return exp(p * log(a));
}
// the larger of a and a constant (the constant's slope is 0)
template <int N>
Dual<N> max(const Dual<N>& a, double b) {
  return a.v >= b ? a : Dual<N>::constant(b);
}

// A charge between two local terminals moved from the accepted point.
struct MovedCharge {
  double v = 0;  // the voltage across it
  double q = 0;  // the charge
};

// Charge state k of `s` (a semi::LocalStamp) across v = V[from] - V[to] with
// capacitance c (a dual in the model's variables; vars[j] = {p, n}: variable j
// is V[p] - V[n]). With `acc` (a transient step from the accepted point) q =
// acc->q + c (v - acc->v) and its slopes include dc/dvar (v - acc->v);
// without, q = c v. The stamp's capacitance is c either way (DC and AC).
template <class Stamp, int N>
MovedCharge movedCharge(Stamp& s, int k, int from, int to, const double* V, const Dual<N>& c, const int (&vars)[N][2],
                        const MovedCharge* acc) {
  const double v = V[from] - V[to];
  s.capacitance(k, from, to, c.v);
  if (!acc) return {v, c.v * v};
  const double dv = v - acc->v;
  for (int j = 0; j < N; ++j)
    if (c.d[j] != 0) s.capacitance(k, vars[j][0], vars[j][1], dv * c.d[j]);
  return {v, acc->q + c.v * dv};
}

}  // namespace simcore::dev::semi
