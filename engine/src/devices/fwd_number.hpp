// A number with its first derivatives in N variables (forward-mode automatic
// differentiation) that mixes freely with plain doubles: a double converts to
// a constant. The bipolar models written after ngspice's hand-derived or
// dual-number code (VBIC, HICUM) evaluate their currents and charges on it, so
// that the Jacobian is the derivative of exactly the values computed; the
// MOSFET models (levels 2, 3, BSIM3, BSIM4, BSIM3SOI DD/FD) are templates on
// the number type, instantiated on double and on Fwd. The plain elementary
// functions are below; a model whose reference clamps or linearises one writes
// its own with chain().
// (semi::Dual in dual.hpp is the aggregate form MESA and HFET use.)
#pragma once

#include <cmath>

namespace simcore::dev::semi {

template <int N>
struct Fwd {
  double v = 0;
  double d[N] = {};
  Fwd() = default;
  Fwd(double x) : v(x) {}  // NOLINT: constants mix freely
};

template <int N>
inline Fwd<N> operator+(const Fwd<N>& a, const Fwd<N>& b) {
  Fwd<N> r(a.v + b.v);
  for (int k = 0; k < N; ++k) r.d[k] = a.d[k] + b.d[k];
  return r;
}
template <int N>
inline Fwd<N> operator-(const Fwd<N>& a, const Fwd<N>& b) {
  Fwd<N> r(a.v - b.v);
  for (int k = 0; k < N; ++k) r.d[k] = a.d[k] - b.d[k];
  return r;
}
template <int N>
inline Fwd<N> operator-(const Fwd<N>& a) {
  Fwd<N> r(-a.v);
  for (int k = 0; k < N; ++k) r.d[k] = -a.d[k];
  return r;
}
template <int N>
inline Fwd<N> operator*(const Fwd<N>& a, const Fwd<N>& b) {
  Fwd<N> r(a.v * b.v);
  for (int k = 0; k < N; ++k) r.d[k] = a.d[k] * b.v + a.v * b.d[k];
  return r;
}
template <int N>
inline Fwd<N> operator/(const Fwd<N>& a, const Fwd<N>& b) {
  Fwd<N> r(a.v / b.v);
  const double ib = 1.0 / b.v;
  for (int k = 0; k < N; ++k) r.d[k] = (a.d[k] - r.v * b.d[k]) * ib;
  return r;
}
template <int N>
inline Fwd<N> operator+(const Fwd<N>& a, double b) {
  Fwd<N> r = a;
  r.v += b;
  return r;
}
template <int N>
inline Fwd<N> operator+(double b, const Fwd<N>& a) {
  return a + b;
}
template <int N>
inline Fwd<N> operator-(const Fwd<N>& a, double b) {
  Fwd<N> r = a;
  r.v -= b;
  return r;
}
template <int N>
inline Fwd<N> operator-(double b, const Fwd<N>& a) {
  return -a + b;
}
template <int N>
inline Fwd<N> operator*(const Fwd<N>& a, double b) {
  Fwd<N> r(a.v * b);
  for (int k = 0; k < N; ++k) r.d[k] = a.d[k] * b;
  return r;
}
template <int N>
inline Fwd<N> operator*(double b, const Fwd<N>& a) {
  return a * b;
}
// (the value rounded as the plain quotient: models written on a template of the number
// type give the same values to the bit in both instantiations)
template <int N>
inline Fwd<N> operator/(const Fwd<N>& a, double b) {
  Fwd<N> r(a.v / b);
  for (int k = 0; k < N; ++k) r.d[k] = a.d[k] / b;
  return r;
}
template <int N>
inline Fwd<N> operator/(double a, const Fwd<N>& b) {
  return Fwd<N>(a) / b;
}
template <int N>
inline Fwd<N>& operator+=(Fwd<N>& a, const Fwd<N>& b) {
  return a = a + b;
}
template <int N>
inline Fwd<N>& operator-=(Fwd<N>& a, const Fwd<N>& b) {
  return a = a - b;
}
template <int N>
inline Fwd<N>& operator*=(Fwd<N>& a, const Fwd<N>& b) {
  return a = a * b;
}
template <int N>
inline Fwd<N>& operator+=(Fwd<N>& a, double b) {
  return a = a + b;
}
template <int N>
inline Fwd<N>& operator-=(Fwd<N>& a, double b) {
  return a = a - b;
}
template <int N>
inline Fwd<N>& operator*=(Fwd<N>& a, double b) {
  return a = a * b;
}

// Comparisons compare values (a branch of a model takes the derivative of the branch taken).
#define SIMCORE_FWD_COMPARE(OP)                                                          \
  template <int N>                                                                       \
  inline bool operator OP(const Fwd<N>& a, const Fwd<N>& b) { return a.v OP b.v; }       \
  template <int N>                                                                       \
  inline bool operator OP(const Fwd<N>& a, double b) { return a.v OP b; }                \
  template <int N>                                                                       \
  inline bool operator OP(double a, const Fwd<N>& b) { return a OP b.v; }
SIMCORE_FWD_COMPARE(<)
SIMCORE_FWD_COMPARE(>)
SIMCORE_FWD_COMPARE(<=)
SIMCORE_FWD_COMPARE(>=)
SIMCORE_FWD_COMPARE(==)
#undef SIMCORE_FWD_COMPARE

// The value of either number type (models written on a template of it).
inline double val(double x) { return x; }
template <int N>
inline double val(const Fwd<N>& x) {
  return x.v;
}

// f(a) from f's value and slope at a.v
template <int N>
inline Fwd<N> chain(const Fwd<N>& a, double f, double df) {
  Fwd<N> r(f);
  for (int k = 0; k < N; ++k) r.d[k] = df * a.d[k];
  return r;
}

// The plain elementary functions (a model whose reference clamps or linearises them
// writes its own; chosen by overload resolution over these templates).
template <int N>
inline Fwd<N> exp(const Fwd<N>& a) {
  const double e = std::exp(a.v);
  return chain(a, e, e);
}
template <int N>
inline Fwd<N> log(const Fwd<N>& a) {
  return chain(a, std::log(a.v), 1.0 / a.v);
}
// (slope 0 at 0, where the models' terms vanish, instead of an infinite one)
template <int N>
inline Fwd<N> sqrt(const Fwd<N>& a) {
  const double s = std::sqrt(a.v);
  return chain(a, s, s > 0 ? 0.5 / s : 0.0);
}
template <int N>
inline Fwd<N> pow(const Fwd<N>& a, double x) {
  const double p = std::pow(a.v, x);
  return chain(a, p, a.v != 0 ? x * p / a.v : 0.0);
}
template <int N>
inline Fwd<N> fabs(const Fwd<N>& a) {
  return a.v < 0 ? -a : a;
}

}  // namespace simcore::dev::semi
