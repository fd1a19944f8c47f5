// ngspice's TXL fits (txl_fit.hpp): Pade approximants of the line's admittance and
// propagation as partial fractions.
#include "devices/txl_fit.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>

namespace simcore::dev {

namespace txl {

using Cx = std::complex<double>;

Cubic cubicRoots(double a1, double a2, double a3, bool horner) {
  const double q = (a1 * a1 - 3.0 * a2) / 9.0;
  const double p = (2.0 * a1 * a1 * a1 - 9.0 * a1 * a2 + 27.0 * a3) / 54.0;
  const double d = q * q * q - p * p;
  double x;
  if (d >= 0.0) {
    x = -2.0 * std::sqrt(q) * std::cos(std::acos(p / (q * std::sqrt(q))) / 3.0) - a1 / 3.0;
  } else if (p > 0.0) {
    const double w = std::cbrt(std::sqrt(-d) + p);
    x = -(w + q / w) - a1 / 3.0;
  } else if (p == 0.0) {
    x = -a1 / 3.0;
  } else {
    const double w = std::cbrt(std::sqrt(-d) - p);
    x = (w + q / w) - a1 / 3.0;
  }
  const double x0 = x;
  for (int it = 0;; ++it) {
    const double nx = horner ? x - (x * (x * (x + a1) + a2) + a3) / (x * (2.0 * a1 + 3.0 * x) + a2)
                             : x - (x * x * x + a1 * x * x + a2 * x + a3) / (3.0 * x * x + 2.0 * a1 * x + a2);
    if (!(std::fabs(nx - x) > 5e-4)) break;
    if (it + 1 == 32) {
      x = x0;
      break;
    }
    x = nx;
  }
  Cubic r;
  r.first = x;
  const double b1 = a1 + x, b2 = -a3 / x;  // the quadratic left: s^2 + b1 s + b2
  const double disc = b1 * b1 - 4.0 * b2;
  if (disc < 0.0) {
    r.pair = true;
    r.r2 = -0.5 * b1;
    r.r3 = 0.5 * std::sqrt(-disc);
  } else {
    const double s = std::sqrt(disc);
    r.r2 = b1 >= 0.0 ? -0.5 * (b1 + s) : -0.5 * (b1 - s);
    r.r3 = b2 / r.r2;
  }
  return r;
}

bool pade33(const std::array<double, 6>& b, double dc, double minPivot, Pade& out) {
  // unknowns (p3, p2, p1): the u^3 coefficient with q3 = dc p3, and the u^4, u^5 ones
  double m[3][4] = {{1.0 - dc, b[1], b[2], -b[3]}, {b[1], b[2], b[3], -b[4]}, {b[2], b[3], b[4], -b[5]}};
  for (int i = 0; i < 3; ++i) {
    int piv = i;
    for (int j = i + 1; j < 3; ++j)
      if (std::fabs(m[j][i]) > std::fabs(m[piv][i])) piv = j;
    if (!(std::fabs(m[piv][i]) >= minPivot)) return false;
    if (piv != i)
      for (int k = 0; k < 4; ++k) std::swap(m[i][k], m[piv][k]);
    const double f = 1.0 / m[i][i];
    for (int k = i; k < 4; ++k) m[i][k] *= f;
    for (int j = 0; j < 3; ++j) {
      if (j == i) continue;
      const double g = m[j][i];
      for (int k = i; k < 4; ++k) m[j][k] -= g * m[i][k];
    }
  }
  out.p3 = m[0][3];
  out.p2 = m[1][3];
  out.p1 = m[2][3];
  out.q1 = out.p1 + b[1];
  out.q2 = b[1] * out.p1 + out.p2 + b[2];
  out.q3 = out.p3 * dc;
  return true;
}

Cx residue(const Pade& f, Cx x) {
  return ((f.q1 - f.p1) * x * x + (f.q2 - f.p2) * x + (f.q3 - f.p3)) / (3.0 * x * x + 2.0 * f.p1 * x + f.p2);
}

namespace {

// Pade in u = 1/(s tau) as the same function of s (tau = 1 leaves it).
Pade inS(Pade f, double tau) {
  const double t2 = tau * tau, t3 = t2 * tau;
  f.p1 /= tau; f.p2 /= t2; f.p3 /= t3;
  f.q1 /= tau; f.q2 /= t2; f.q3 /= t3;
  return f;
}

bool finite(const Fit& f) {
  auto ok = [](double v) { return std::isfinite(v); };
  bool good = ok(f.y0) && ok(f.delay) && ok(f.h1sum) && ok(f.h2aten) && ok(f.h3aten);
  for (const Pole& p : f.h1) good = good && ok(p.c) && ok(p.x);
  for (const Pole& p : f.h2) good = good && ok(p.c) && ok(p.x);
  for (const Pole& p : f.h3) good = good && ok(p.c) && ok(p.x);
  return good;
}

}  // namespace

FitResult fitLine(double r, double l, double g, double c, double len) {
  FitResult res;
  Fit& f = res.fit;
  l = std::max(l, 1e-12);
  f.y0 = std::sqrt(c / l);
  const double tau = std::sqrt(l * c);
  f.delay = tau * len;
  f.rdc = r * len;
  if (r / l < 5e5 && g < 1e-2) {
    f.lossless = true;
    f.h2aten = 1.0;
    f.h3aten = f.y0;
    return res;
  }
  const double rl = r / l, gc = g / c;

  // Y / y0 = sqrt((1 + gc z) / (1 + rl z)), z = 1/s: its series (Cauchy product of the binomial ones)
  std::array<double, 6> ya{}, yb{}, yb5{};
  ya[0] = yb[0] = 1.0;
  for (int k = 1; k < 6; ++k) {
    ya[std::size_t(k)] = ya[std::size_t(k - 1)] * (0.5 - (k - 1)) / k * gc;
    yb[std::size_t(k)] = yb[std::size_t(k - 1)] * (-0.5 - (k - 1)) / k * rl;
  }
  for (int k = 0; k < 6; ++k)
    for (int j = 0; j <= k; ++j) yb5[std::size_t(k)] += ya[std::size_t(j)] * yb[std::size_t(k - j)];
  Pade py;
  if (!pade33(yb5, std::sqrt(gc / rl), 1e-16, py)) {
    res.error = "the rational fit of the characteristic admittance is singular";
    return res;
  }
  const Cubic ry = cubicRoots(py.p1, py.p2, py.p3);
  if (ry.pair) {
    res.error = "the rational fit of the characteristic admittance has complex poles";
    return res;
  }
  const double xy[3] = {ry.first, ry.r2, ry.r3};
  for (int k = 0; k < 3; ++k) f.h1[std::size_t(k)] = {residue(py, xy[k]).real(), xy[k]};

  // gamma len = s T + len tau sum_{k>=1} e_k s^(1-k), with sum e_k z^k = sqrt(1 + (rl + gc) z + rl gc z^2)
  std::array<double, 7> e{};
  e[0] = 1.0;
  const double poly[3] = {1.0, rl + gc, rl * gc};
  for (int k = 1; k < 7; ++k) {
    double s = k < 3 ? poly[k] : 0.0;
    for (int j = 1; j < k; ++j) s -= e[std::size_t(j)] * e[std::size_t(k - j)];
    e[std::size_t(k)] = 0.5 * s;
  }
  // in u = 1/(s tau): gamma len = s T + a0 + sum_{k=1..5} a_k u^k, a_k = len tau^(k+1) e_(k+1)
  std::array<double, 6> a{};
  double tp = tau;
  for (int k = 0; k < 6; ++k) {
    a[std::size_t(k)] = len * tp * e[std::size_t(k + 1)];
    tp *= tau;
  }
  // exp(-sum_{k>=1} a_k u^k) as a series
  std::array<double, 6> eb{};
  eb[0] = 1.0;
  for (int i = 1; i < 6; ++i) {
    double s = 0;
    for (int j = 1; j <= i; ++j) s += j * -a[std::size_t(j)] * eb[std::size_t(i - j)];
    eb[std::size_t(i)] = s / i;
  }
  Pade pe;
  if (!pade33(eb, std::exp(a[0] - len * std::sqrt(r * g)), 1e-28, pe)) {
    res.error = "the rational fit of the propagation function is singular";
    return res;
  }
  pe = inS(pe, tau);
  const Cubic rp = cubicRoots(pe.p1, pe.p2, pe.p3);
  f.pair = rp.pair;
  f.h2aten = std::exp(-a[0]);
  f.h2[0] = {residue(pe, rp.first).real(), rp.first};
  Cx pairPole(rp.r2, rp.r3), pairRes;
  if (rp.pair) {
    pairRes = residue(pe, pairPole);
    f.h2[1] = {pairRes.real(), rp.r2};
    f.h2[2] = {pairRes.imag(), rp.r3};
  } else {
    f.h2[1] = {residue(pe, rp.r2).real(), rp.r2};
    f.h2[2] = {residue(pe, rp.r3).real(), rp.r3};
  }

  // Y P (unscaled residues; each pole's residue times the other factor there)
  for (int i = 0; i < 3; ++i) {
    const Pole& y = f.h1[std::size_t(i)];
    Cx other = 1.0;
    if (rp.pair) {
      other += f.h2[0].c / (y.x - f.h2[0].x);
      other += 2.0 * (pairRes / (Cx(y.x) - pairPole)).real();
    } else {
      for (const Pole& p : f.h2) other += p.c / (y.x - p.x);
    }
    f.h3[std::size_t(i)] = {y.c * other.real(), y.x};
  }
  auto yAt = [&](Cx s) {
    Cx v = 1.0;
    for (const Pole& y : f.h1) v += y.c / (s - y.x);
    return v;
  };
  if (rp.pair) {
    f.h3[3] = {f.h2[0].c * yAt(f.h2[0].x).real(), f.h2[0].x};
    const Cx r3 = pairRes * yAt(pairPole);
    f.h3[4] = {r3.real(), rp.r2};
    f.h3[5] = {r3.imag(), rp.r3};
  } else {
    for (int j = 0; j < 3; ++j)
      f.h3[std::size_t(3 + j)] = {f.h2[std::size_t(j)].c * yAt(f.h2[std::size_t(j)].x).real(), f.h2[std::size_t(j)].x};
  }

  f.h1sum = 0;
  for (Pole& p : f.h1) {
    p.c *= f.y0;
    f.h1sum += p.c;
  }
  for (Pole& p : f.h2) p.c *= f.h2aten;
  f.h3aten = f.h2aten * f.y0;
  for (Pole& p : f.h3) p.c *= f.h3aten;
  if (!finite(f)) res.error = "the rational fits are not finite for these values";
  return res;
}

namespace {
// aten + the terms, the slots from `pairAt` on being a complex pair when `pair`.
template <std::size_t N>
Cx sumTerms(double aten, const std::array<Pole, N>& t, bool pair, std::size_t pairAt, Cx s) {
  Cx v = aten;
  for (std::size_t k = 0; k < N; ++k) {
    if (pair && k == pairAt) {
      const Cx r(t[k].c, t[k + 1].c), p(t[k].x, t[k + 1].x);
      v += r / (s - p) + std::conj(r) / (s - std::conj(p));
      ++k;
    } else {
      v += t[k].c / (s - t[k].x);
    }
  }
  return v;
}
}  // namespace

Cx fittedAdmittance(const Fit& f, Cx s) { return sumTerms(f.y0, f.h1, false, 0, s); }
Cx fittedPropagation(const Fit& f, Cx s) { return sumTerms(f.h2aten, f.h2, f.pair, 1, s); }
Cx fittedProduct(const Fit& f, Cx s) { return sumTerms(f.h3aten, f.h3, f.pair, 4, s); }

}  // namespace txl

}  // namespace simcore::dev
