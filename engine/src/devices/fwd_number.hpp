// A number with its first derivatives in N variables (forward-mode automatic
// differentiation) that mixes freely with plain doubles: a double converts to
// a constant. The bipolar models written after ngspice's hand-derived or
// dual-number code (VBIC, HICUM) evaluate their currents and charges on it, so
// that the Jacobian is the derivative of exactly the values computed. The
// elementary functions (exp with or without a clamp, log, sqrt, ...) stay with
// each model, which chooses them as its reference does; chain() builds them.
// (semi::Dual in dual.hpp is the aggregate form MESA and HFET use.)
#pragma once

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
template <int N>
inline Fwd<N> operator/(const Fwd<N>& a, double b) {
  return a * (1.0 / b);
}
template <int N>
inline Fwd<N> operator/(double a, const Fwd<N>& b) {
  return Fwd<N>(a) / b;
}
// f(a) from f's value and slope at a.v
template <int N>
inline Fwd<N> chain(const Fwd<N>& a, double f, double df) {
  Fwd<N> r(f);
  for (int k = 0; k < N; ++k) r.d[k] = df * a.d[k];
  return r;
}

}  // namespace simcore::dev::semi
