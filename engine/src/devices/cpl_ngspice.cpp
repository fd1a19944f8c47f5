// P: coupled lines by ngspice 39's CPL method (the default; the modal decomposition
// into exact lines is cpl.cpp's, with the model flag MODAL). Fits: cpl_fit.hpp.
//
// Unknowns: the conductor nodes in_k, out_k (voltages against ground; the reference
// nodes are not connected, as ngspice) and the currents j1_k, j2_k into the line at
// each end (internal unknowns `<name>#i1_k`, `<name>#i2_k`).
//   DC: j1_k + j2_k = 0 and v_in,k - v_out,k - R_kk len j1_k = 0 (R_kk raised to 1e-4).
//   every analysis but AC: 0.1 gmin added at (in,in), (out,out), (in,out), (out,in)
//     of each conductor (ngspice's stamp: it holds an unconnected conductor at 0 V).
//   tran, at a step h from the last accepted time: for end 1, row j1_j,
//     -j1_j + sum_k (h1[j][k].aten + h/2 h1[j][k].sum) v_in,k - ff_j = 0,
//     ff_j = own-end history of h1[j][k] on v_in,k (as TXL's: exact for a voltage linear
//            between the accepted points, and the same slope scaling as ngspice)
//          + sum_k,m (h3[j][k][m] on v_out,k and h2[j][k][m] on j2_k, delayed by T_m:
//            aten y(t2 - T_m) + trapezoidal recursive convolutions),
//     end 2 the same with in and out exchanged. Delayed values, the picosecond clock,
//     the part of a delayed value past the last point taken at the new point (for
//     the matrix, only the last such mode's entries count, as in ngspice), the
//     history before 0 (voltages at the operating point, currents 0) and the
//     starting convolutions are TXL's (txl.cpp).
//   AC: the same fitted functions in s (ngspice 39 has no AC model for CPL).
// Step control: no breakpoints, no step limit; once an accepted step is longer than
// the shortest modal delay T, TMAX is 0.9 T (ngspice's CPLload); the event engine
// keeps the step below T.
#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <deque>
#include <memory>
#include <string>

#include "devices/common.hpp"
#include "devices/cpl_fit.hpp"

namespace simcore::dev {

namespace cplfit {
namespace {

using Cx = std::complex<double>;
constexpr int kDeg = 7;  // polynomial degree: kDeg + 1 samples
using Poly = std::array<double, kDeg + 1>;

Matrix zeros(int n) { return Matrix(std::size_t(n), std::vector<double>(std::size_t(n), 0.0)); }

Matrix mul(const Matrix& a, const Matrix& b) {
  const std::size_t n = a.size();
  Matrix r = zeros(int(n));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      double s = 0;
      for (std::size_t k = 0; k < n; ++k) s += a[i][k] * b[k][j];
      r[i][j] = s;
    }
  return r;
}

struct Eigen {
  Matrix v;               // columns: the vectors
  std::vector<double> d;  // the values
  bool ok = true;
};

// ngspice's Jacobi iteration on the upper triangle of a symmetric z: scaled by
// 2 / (smallest + largest |entry|), each row's largest off-diagonal (compared in
// units of 1e-7) in a list by size; the largest is rotated away, and the rows of
// the two indices rotated get their entries anew, until the largest is 1e-8.
Eigen jacobi(Matrix z) {
  const int n = int(z.size());
  Eigen e;
  double lo = std::fabs(z[0][0]), hi = lo;
  for (int i = 0; i < n; ++i)
    for (int j = i; j < n; ++j) {
      const double a = std::fabs(z[std::size_t(i)][std::size_t(j)]);
      if (a > hi) hi = a;
      else if (a < lo) lo = a;
    }
  const double scale = 2.0 / (lo + hi);
  for (int i = 0; i < n; ++i)
    for (int j = i; j < n; ++j) z[std::size_t(i)][std::size_t(j)] *= scale;
  e.v = zeros(n);
  for (int i = 0; i < n; ++i) e.v[std::size_t(i)][std::size_t(i)] = 1.0;
  auto Z = [&](int i, int j) -> double& { return z[std::size_t(i)][std::size_t(j)]; };
  struct Entry {
    int row, col;
    double value;
  };
  std::vector<Entry> list;  // largest first; an entry goes after those not smaller
  auto rowMax = [&](int i) {
    int m = i + 1;
    double mv = std::fabs(Z(i, m));
    for (int j = m + 1; j < n; ++j)
      if (static_cast<long long>(std::fabs(Z(i, j)) * 1e7) > static_cast<long long>(1e7 * mv)) {
        mv = std::fabs(Z(i, j));
        m = j;
      }
    return Entry{i, m, mv};
  };
  auto insert = [&](Entry x) {
    auto it = list.begin();
    while (it != list.end() && !(it->value < x.value)) ++it;
    list.insert(it, x);
  };
  auto remove = [&](int row) {
    for (auto it = list.begin(); it != list.end(); ++it)
      if (it->row == row) {
        list.erase(it);
        return;
      }
  };
  for (int i = 0; i + 1 < n; ++i) insert(rowMax(i));
  int rotations = 0;
  while (!list.empty() && list.front().value > 1e-8) {
    if (++rotations > 100000) {
      e.ok = false;
      return e;
    }
    const int p = list.front().row, q = list.front().col;  // p < q
    const double ld = -Z(p, q), mu = 0.5 * (Z(p, p) - Z(q, q));
    const double ve = std::sqrt(ld * ld + mu * mu);
    const double co = std::sqrt((ve + std::fabs(mu)) / (2.0 * ve));
    const double si = std::copysign(1.0, mu) * ld / (2.0 * ve * co);
    std::vector<double> t(std::size_t(n), 0.0);  // row/column p before the rotation
    for (int j = p + 1; j < n; ++j) t[std::size_t(j)] = Z(p, j);
    for (int j = 0; j < p; ++j) t[std::size_t(j)] = Z(j, p);
    for (int j = p + 1; j < n; ++j)
      if (j != q) Z(p, j) = t[std::size_t(j)] * co - (j > q ? Z(q, j) : Z(j, q)) * si;
    for (int j = q + 1; j < n; ++j) Z(q, j) = t[std::size_t(j)] * si + Z(q, j) * co;
    for (int j = 0; j < p; ++j) Z(j, p) = t[std::size_t(j)] * co - Z(j, q) * si;
    for (int j = 0; j < q; ++j)
      if (j != p) Z(j, q) = t[std::size_t(j)] * si + Z(j, q) * co;
    const double zpp = Z(p, p), zqq = Z(q, q), zpq = Z(p, q);
    Z(p, p) = zpp * co * co + zqq * si * si - 2.0 * zpq * si * co;
    Z(q, q) = zpp * si * si + zqq * co * co + 2.0 * zpq * si * co;
    Z(p, q) = 0.0;
    for (int j = 0; j < n; ++j) {
      const double a = e.v[std::size_t(j)][std::size_t(p)], b = e.v[std::size_t(j)][std::size_t(q)];
      e.v[std::size_t(j)][std::size_t(p)] = a * co - b * si;
      e.v[std::size_t(j)][std::size_t(q)] = a * si + b * co;
    }
    remove(p);
    insert(rowMax(p));
    if (q + 1 != n) {
      remove(q);
      insert(rowMax(q));
    }
  }
  e.d.resize(std::size_t(n));
  for (int i = 0; i < n; ++i) e.d[std::size_t(i)] = Z(i, i) / scale;
  return e;
}

// Inverse by Gauss-Jordan with partial pivoting; false when singular.
bool invert(Matrix a, Matrix& out) {
  const int n = int(a.size());
  out = zeros(n);
  for (int i = 0; i < n; ++i) out[std::size_t(i)][std::size_t(i)] = 1.0;
  for (int i = 0; i < n; ++i) {
    int piv = i;
    for (int j = i + 1; j < n; ++j)
      if (std::fabs(a[std::size_t(j)][std::size_t(i)]) > std::fabs(a[std::size_t(piv)][std::size_t(i)])) piv = j;
    if (!(std::fabs(a[std::size_t(piv)][std::size_t(i)]) >= 1e-88)) return false;
    std::swap(a[std::size_t(i)], a[std::size_t(piv)]);
    std::swap(out[std::size_t(i)], out[std::size_t(piv)]);
    const double f = 1.0 / a[std::size_t(i)][std::size_t(i)];
    for (int k = 0; k < n; ++k) {
      a[std::size_t(i)][std::size_t(k)] *= f;
      out[std::size_t(i)][std::size_t(k)] *= f;
    }
    for (int j = 0; j < n; ++j) {
      if (j == i) continue;
      const double g = a[std::size_t(j)][std::size_t(i)];
      for (int k = 0; k < n; ++k) {
        a[std::size_t(j)][std::size_t(k)] -= g * a[std::size_t(i)][std::size_t(k)];
        out[std::size_t(j)][std::size_t(k)] -= g * out[std::size_t(i)][std::size_t(k)];
      }
    }
  }
  return true;
}

// Neville's value at 0 of the polynomial through (x[i], y[i]), i < n.
double nevilleAtZero(const double* x, const double* y, int n) {
  int ns = 0;
  double dif = std::fabs(x[0]);
  std::vector<double> c(y, y + n), d(y, y + n);
  for (int i = 0; i < n; ++i)
    if (std::fabs(x[i]) < dif) {
      ns = i;
      dif = std::fabs(x[i]);
    }
  double v = y[ns--];
  for (int m = 1; m < n; ++m) {
    for (int i = 0; i < n - m; ++i) {
      const double ho = x[i], hp = x[i + m];
      const double w = c[std::size_t(i + 1)] - d[std::size_t(i)];
      const double den = w / (ho - hp);
      d[std::size_t(i)] = hp * den;
      c[std::size_t(i)] = ho * den;
    }
    v += 2 * (ns + 1) < n - m ? c[std::size_t(ns + 1)] : d[std::size_t(ns--)];
  }
  return v;
}

// The coefficients of the polynomial through the samples: each the value at 0 of the
// remaining points' polynomial, then the points divided by x less that value, the
// point nearest 0 dropped.
Poly coefficients(const Poly& xs, const Poly& ys) {
  Poly cof{};
  std::array<double, kDeg + 1> x = xs, y = ys;
  for (int j = 0; j <= kDeg; ++j) {
    const int cnt = kDeg + 1 - j;
    cof[std::size_t(j)] = nevilleAtZero(x.data(), y.data(), cnt);
    double xmin = 1e38;
    int k = -1;
    for (int i = 0; i < cnt; ++i) {
      if (std::fabs(x[std::size_t(i)]) < xmin) {
        xmin = std::fabs(x[std::size_t(i)]);
        k = i;
      }
      if (x[std::size_t(i)] != 0) y[std::size_t(i)] = (y[std::size_t(i)] - cof[std::size_t(j)]) / x[std::size_t(i)];
    }
    for (int i = k + 1; i < cnt; ++i) {
      y[std::size_t(i - 1)] = y[std::size_t(i)];
      x[std::size_t(i - 1)] = x[std::size_t(i)];
    }
  }
  return cof;
}

Poly product(const Poly& a, const Poly& b) {
  Poly r{};
  for (int i = 0; i <= kDeg; ++i)
    for (int k = 0; i + k <= kDeg; ++k) r[std::size_t(i + k)] += a[std::size_t(i)] * b[std::size_t(k)];
  return r;
}

// A mode's W polynomial: its delay (returned), and in place of its first six
// coefficients the series of its propagation times its attenuation.
double modeSeries(Poly& w, double len, double sf) {
  const double w0 = w[0];
  const double a = w[1] / w0, b = w[2] / w0, c = w[3] / w0, d = w[4] / w0, e = w[5] / w0;
  const double y1 = 0.5 * a;
  const double y2 = b - y1 * y1;
  const double y3 = 3.0 * c - 3.0 * y1 * y2;
  const double y4 = 12.0 * d - 3.0 * y2 * y2 - 4.0 * y1 * y3;
  const double y5 = 60.0 * e - 5.0 * y1 * y4 - 10.0 * y2 * y3;
  const double y6 = -10.0 * y3 * y3 - 15.0 * y2 * y4 - 6.0 * y1 * y5;
  const double delay = std::sqrt(w0) * len / sf;
  const double atten = std::exp(-delay * y1);
  const double ak[6] = {0, -delay * y2 / 2.0, -delay * y3 / 6.0, -delay * y4 / 24.0, -delay * y5 / 120.0,
                        -delay * y6 / 720.0};
  double s[6];
  s[0] = 1.0;
  s[1] = ak[1];
  for (int i = 2; i <= 5; ++i) {
    double v = 0;
    for (int j = 1; j <= i; ++j) v += j * ak[j] * s[i - j];
    s[i] = v / i;
  }
  for (int i = 0; i <= 5; ++i) w[std::size_t(i)] = s[i] * atten;
  return delay;
}

// aten (the value at y = 0) and the Pade fit of the normalised polynomial p.
bool rational(const Poly& p, double aten, double dc, Function& f) {
  f.aten = aten;
  const std::array<double, 6> b{1.0, p[1], p[2], p[3], p[4], p[5]};
  txl::Pade pd;
  if (!txl::pade33(b, dc, 1e-28, pd)) return false;
  const txl::Cubic r = txl::cubicRoots(pd.p1, pd.p2, pd.p3, true);
  f.pair = r.pair;
  f.t[0] = {aten * txl::residue(pd, r.first).real(), r.first};
  if (r.pair) {
    const Cx res = txl::residue(pd, Cx(r.r2, r.r3));
    f.t[1] = {aten * res.real(), r.r2};
    f.t[2] = {aten * res.imag(), r.r3};
    f.sum = f.t[0].c + 2.0 * f.t[1].c;
  } else {
    f.t[1] = {aten * txl::residue(pd, r.r2).real(), r.r2};
    f.t[2] = {aten * txl::residue(pd, r.r3).real(), r.r3};
    f.sum = f.t[0].c + f.t[1].c + f.t[2].c;
  }
  for (const auto& t : f.t)
    if (!std::isfinite(t.c) || !std::isfinite(t.x)) return false;
  return true;
}

}  // namespace

Fit fitLines(const Matrix& r0, const Matrix& l, const Matrix& g, const Matrix& c, double len) {
  Fit fit;
  const int n = int(l.size());
  fit.n = n;
  Matrix r = r0;
  for (int i = 0; i < n; ++i)
    for (int j = i; j < n; ++j)
      r[std::size_t(i)][std::size_t(j)] = r[std::size_t(j)][std::size_t(i)] = std::max(r0[std::size_t(i)][std::size_t(j)], 1e-4);
  for (int i = 0; i < n; ++i) fit.rdc.push_back(r[std::size_t(i)][std::size_t(i)] * len);
  auto fail = [&](const std::string& what) {
    fit.error = what;
    return fit;
  };

  double sf = 1.0;
  Matrix sv, sv1;
  std::vector<double> w;
  // one sample: the modes at y (sv, sv1, w)
  auto sample = [&](double y) -> std::string {
    Matrix zy = zeros(n);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        zy[std::size_t(i)][std::size_t(j)] = sf * c[std::size_t(i)][std::size_t(j)] + g[std::size_t(i)][std::size_t(j)] * y;
    Eigen e = jacobi(zy);
    if (!e.ok) return "the Jacobi iteration does not converge";
    double dmin = *std::min_element(e.d.begin(), e.d.end());
    if (dmin < 0) return "the capacitance matrix is not positive definite";
    const double root = std::sqrt(dmin);
    Matrix half = zeros(n), halfInv = zeros(n);
    for (int i = 0; i < n; ++i) {
      const double sd = std::sqrt(e.d[std::size_t(i)]);
      for (int j = 0; j < n; ++j) {
        half[std::size_t(i)][std::size_t(j)] = sd * e.v[std::size_t(j)][std::size_t(i)];
        halfInv[std::size_t(i)][std::size_t(j)] = e.v[std::size_t(j)][std::size_t(i)] / sd;
      }
    }
    half = mul(e.v, half);
    halfInv = mul(e.v, halfInv);
    Matrix zl = zeros(n);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        zl[std::size_t(i)][std::size_t(j)] = sf * l[std::size_t(i)][std::size_t(j)] + r[std::size_t(i)][std::size_t(j)] * y;
    Eigen m = jacobi(mul(half, mul(zl, half)));
    if (!m.ok) return "the Jacobi iteration does not converge";
    sv1 = zeros(n);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        double s = 0;
        for (int k = 0; k < n; ++k) s += m.v[std::size_t(k)][std::size_t(i)] * half[std::size_t(k)][std::size_t(j)];
        sv1[std::size_t(i)][std::size_t(j)] = s / root;
      }
    sv = mul(halfInv, m.v);
    for (auto& row : sv)
      for (double& v : row) v *= root;
    w = m.d;
    return {};
  };
  // Si_1 and Si at y
  Matrix si, si1;
  auto currents = [&](double y) -> bool {
    si1 = zeros(n);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        double s = 0;
        for (int k = 0; k < n; ++k)
          s += sv1[std::size_t(i)][std::size_t(k)] *
               (y * r[std::size_t(k)][std::size_t(j)] + sf * l[std::size_t(k)][std::size_t(j)]);
        si1[std::size_t(i)][std::size_t(j)] = s;
      }
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) si1[std::size_t(i)][std::size_t(j)] /= std::sqrt(w[std::size_t(i)]);
    return invert(si1, si);
  };
  std::vector<Poly> pSi(static_cast<std::size_t>(n * n)), pSi1(std::size_t(n * n)), pSv1(std::size_t(n * n)),
      pSiSv1(std::size_t(n * n)), pW(static_cast<std::size_t>(n));
  auto store = [&](int ind) {
    const Matrix siSv1 = mul(si, sv1);
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < n; ++j) {
        const std::size_t k = std::size_t(i * n + j);
        pSi[k][std::size_t(ind)] = si[std::size_t(i)][std::size_t(j)];
        pSi1[k][std::size_t(ind)] = si1[std::size_t(i)][std::size_t(j)];
        pSv1[k][std::size_t(ind)] = sv1[std::size_t(i)][std::size_t(j)];
        pSiSv1[k][std::size_t(ind)] = siSv1[std::size_t(i)][std::size_t(j)];
      }
      pW[std::size_t(i)][std::size_t(ind)] = w[std::size_t(i)];
    }
  };

  if (auto s = sample(0.0); !s.empty()) return fail(s);
  const double wmin = *std::min_element(w.begin(), w.end());
  if (!(wmin > 0)) return fail("a mode's frequency is not positive");
  const double sf2 = 1.0 / wmin;
  sf = std::sqrt(sf2);
  Poly ys{};
  for (int i = 1; i <= kDeg; ++i) ys[std::size_t(i)] = ys[std::size_t(i - 1)] + 8.0 * len;
  for (double& v : w) v *= sf2;
  if (!currents(0.0)) return fail("the modal current matrix is singular");
  store(0);
  for (int i = 1; i <= kDeg; ++i) {
    if (auto s = sample(ys[std::size_t(i)]); !s.empty()) return fail(s);
    if (!currents(ys[std::size_t(i)])) return fail("the modal current matrix is singular");
    store(i);
  }
  for (auto* set : {&pSi, &pSi1, &pSv1, &pSiSv1})
    for (Poly& p : *set) p = coefficients(ys, p);
  for (int k = 0; k < n; ++k) {
    pW[std::size_t(k)] = coefficients(ys, pW[std::size_t(k)]);
    if (!(pW[std::size_t(k)][0] > 0)) return fail("a mode's delay is not real");
    fit.delay.push_back(modeSeries(pW[std::size_t(k)], len, sf));
  }

  const std::size_t nn = std::size_t(n);
  fit.h1.assign(nn * nn, {});
  fit.h2.assign(nn * nn * nn, {});
  fit.h3.assign(nn * nn * nn, {});
  const std::string zero = "an entry of its fitted line functions is zero (ngspice stops too: "
                           "\"forbidden combination of model parameters\")";
  auto dcOf = [&](int j, int kind) {
    const double gj = g[std::size_t(j)][std::size_t(j)], rj = r[std::size_t(j)][std::size_t(j)];
    if (kind == 1) return std::sqrt(gj / rj);
    if (kind == 2) return std::exp(-std::sqrt(gj * rj) * len);
    return std::sqrt(gj / rj) * std::exp(-std::sqrt(gj * rj) * len);
  };
  for (int j = 0; j < n; ++j)
    for (int k = 0; k < n; ++k) {
      Poly p = pSiSv1[std::size_t(j * n + k)];
      const double c0 = p[0];
      if (c0 == 0) return fail(zero);
      for (double& v : p) v /= c0;
      if (!rational(p, c0, j == k ? dcOf(j, 1) / c0 : 0.0, fit.h1[std::size_t(j * n + k)]))
        return fail("the rational fit of an admittance entry is singular");
      for (int m = 0; m < n; ++m) {
        for (int which = 0; which < 2; ++which) {
          const Poly& right = which == 0 ? pSi1[std::size_t(m * n + k)] : pSv1[std::size_t(m * n + k)];
          Poly q = product(pSi[std::size_t(j * n + m)], product(right, pW[std::size_t(m)]));
          const double q0 = q[0];
          if (q0 == 0) return fail(zero);
          q[0] = 1.0;
          for (int i = 1; i <= kDeg; ++i) q[std::size_t(i)] /= q0;
          const bool diag = j == k && m == j;
          const double dc = diag ? dcOf(j, which == 0 ? 2 : 3) / q0 : 0.0;
          Function& f = (which == 0 ? fit.h2 : fit.h3)[(std::size_t(j * n + k)) * nn + std::size_t(m)];
          if (!rational(q, q0, dc, f)) return fail("the rational fit of a propagation entry is singular");
        }
      }
    }
  return fit;
}

}  // namespace cplfit

namespace {

using cplfit::Fit;
using cplfit::Function;
using Cx = std::complex<double>;

std::int64_t picoseconds(double t) { return std::int64_t(t * 1e12); }

struct Sample {
  std::int64_t t = 0;
  std::vector<double> vi, vo, ji, jo;
};

// Convolution states of one function: [term] for the in-port and the out-port quantity.
struct Conv {
  std::array<double, 3> in{}, out{};
};

struct Terms {
  double time = NAN;
  std::size_t points = 0;
  std::vector<double> a;       // [j n + k]: aten + h/2 sum of h1
  std::vector<double> f3, f2;  // [j n + k]: the last delayed-at-the-new-point mode's entries
  std::vector<double> ratio;   // per mode
  std::vector<double> ff, gg;  // per conductor
  std::vector<Conv> w2, w3;    // advanced
  std::vector<std::array<double, 3>> e1;  // per h1 function: exp(x h) (pair: e0, Re, Im)
};

struct Line {
  std::shared_ptr<const Fit> fit;
  int n = 0;
  std::vector<Index> in, out, j1, j2;
  std::vector<Pos> pos;  // see pattern()
  // transient state
  std::deque<Sample> hist;
  std::vector<double> dcIn, dcOut;
  double tAcc = 0;
  std::vector<Conv> w1, w2, w3;
  Terms cache;
};

class NgspiceCpl final : public GroupBase {
 public:
  using GroupBase::GroupBase;
  bool linear() const override { return false; }

  Status setup(SetupContext& ctx) override {
    line_.assign(inst_.size(), {});
    gmin_ = ctx.options().gmin;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      const ir::Model* m = ctx.model(d);
      if (!m) return deviceError(d, "coupled lines '" + d.name + "' need a CPL model");
      if (auto s = checkModel(*m); !s) return s;
      auto fail = [&](const std::string& what) {
        return Error(makeError(ErrorCode::Semantic, "CPL model '" + m->name + "' (line '" + d.name + "'): " + what, d.loc));
      };
      if (d.nodes.size() % 2 != 0 || d.nodes.size() < 4)
        return deviceError(d, "coupled lines '" + d.name + "' need 2N+2 nodes (N conductors and a reference at each end), not " +
                                  std::to_string(d.nodes.size()));
      const int n = int(d.nodes.size() / 2) - 1;
      const ParamValues P = values(d, m);
      cplfit::Matrix mats[4];
      const char* names[4] = {"r", "l", "g", "c"};
      const std::size_t want = std::size_t(n * (n + 1) / 2);
      for (int k = 0; k < 4; ++k) {
        if (!P.hasModel(names[k])) return fail(std::string(1, char(names[k][0] - 32)) + " must be given");
        const std::vector<double> v = P.modelVector(names[k]);
        if (v.size() != want)
          return fail(std::string(1, char(names[k][0] - 32)) + " has " + std::to_string(v.size()) + " values; " +
                      std::to_string(n) + " conductors need " + std::to_string(want) +
                      " (the upper triangle of the matrix, row by row)");
        for (double x : v)
          if (!std::isfinite(x)) return fail("matrix entries must be finite");
        mats[k] = cplfit::Matrix(std::size_t(n), std::vector<double>(std::size_t(n), 0.0));
        std::size_t idx = 0;
        for (int a = 0; a < n; ++a)
          for (int b = a; b < n; ++b, ++idx)
            mats[k][std::size_t(a)][std::size_t(b)] = mats[k][std::size_t(b)][std::size_t(a)] = v[idx];
      }
      if (!P.hasModel("length")) return fail("LENGTH must be given (ngspice requires it in the model even with len= on the card)");
      const double len = P.hasInst("len") ? P.inst("len") : P.model("length");
      if (!(len > 0) || !std::isfinite(len)) return fail("the length must be positive");
      Fit made = cplfit::fitLines(mats[0], mats[1], mats[2], mats[3], len);
      if (!made.error.empty()) return fail(made.error);
      Line& ln = line_[i];
      ln.fit = std::make_shared<const Fit>(std::move(made));
      ln.n = n;
      for (int k = 0; k < n; ++k) {
        ln.in.push_back(ctx.node(d.nodes[std::size_t(k)]));
        ln.out.push_back(ctx.node(d.nodes[std::size_t(n + 1 + k)]));
      }
      for (int k = 0; k < n; ++k) {
        ln.j1.push_back(ctx.addInternalNode(d, "i1_" + std::to_string(k)));
        ln.j2.push_back(ctx.addInternalNode(d, "i2_" + std::to_string(k)));
      }
    }
    return {};
  }

  // Per conductor m: KCL (in_m, j1_m), (out_m, j2_m); gmin (in,in) (out,out) (out,in) (in,out);
  // then per (m, p): rows j1_m and j2_m over in_p, out_p, j1_p, j2_p.
  void pattern(PatternBuilder& b) override {
    for (Line& ln : line_) {
      ln.pos.clear();
      for (int m = 0; m < ln.n; ++m) {
        const std::size_t um = std::size_t(m);
        ln.pos.push_back(b.entry(ln.in[um], ln.j1[um]));
        ln.pos.push_back(b.entry(ln.out[um], ln.j2[um]));
        ln.pos.push_back(b.entry(ln.in[um], ln.in[um]));
        ln.pos.push_back(b.entry(ln.out[um], ln.out[um]));
        ln.pos.push_back(b.entry(ln.out[um], ln.in[um]));
        ln.pos.push_back(b.entry(ln.in[um], ln.out[um]));
      }
      for (int m = 0; m < ln.n; ++m)
        for (int p = 0; p < ln.n; ++p)
          for (int r = 0; r < 2; ++r) {
            const Index row = r == 0 ? ln.j1[std::size_t(m)] : ln.j2[std::size_t(m)];
            ln.pos.push_back(b.entry(row, ln.in[std::size_t(p)]));
            ln.pos.push_back(b.entry(row, ln.out[std::size_t(p)]));
            ln.pos.push_back(b.entry(row, ln.j1[std::size_t(p)]));
            ln.pos.push_back(b.entry(row, ln.j2[std::size_t(p)]));
          }
    }
  }

  void load(LoadContext& c) override {
    if (c.mode == AnalysisMode::DcOp) inTran_ = false;
    if (recordsOnly(c.mode)) {
      if (c.mode == AnalysisMode::TranInit && !inTran_) {
        for (Line& ln : line_) start(ln, c.x, c.time);
        cap_ = 1e300;
      }
      inTran_ = true;
      return;
    }
    inTran_ = inTran_ || c.mode == AnalysisMode::Tran;
    const bool dc = c.mode == AnalysisMode::DcOp;
    const double g = 0.1 * gmin_;
    const double* x = c.x;
    for (Line& ln : line_) {
      const int n = ln.n;
      for (int m = 0; m < n; ++m) {
        const std::size_t um = std::size_t(m);
        const Pos* q = &ln.pos[um * 6];
        c.f[ln.in[um]] += x[ln.j1[um]] + g * (x[ln.in[um]] + x[ln.out[um]]);
        c.f[ln.out[um]] += x[ln.j2[um]] + g * (x[ln.in[um]] + x[ln.out[um]]);
        if (c.stampMatrix) {
          c.A[q[0]] += 1.0;
          c.A[q[1]] += 1.0;
          for (int k = 2; k < 6; ++k) c.A[q[k]] += g;
        }
      }
      const Terms* k = dc ? nullptr : &terms(ln, c.time);
      for (int m = 0; m < n; ++m)
        for (int p = 0; p < n; ++p)
          for (int r = 0; r < 2; ++r) {
            // row r of conductor m over (in_p, out_p, j1_p, j2_p)
            std::array<double, 4> row{};
            const std::size_t mp = std::size_t(m * n + p);
            if (dc) {
              if (p == m) {
                if (r == 0) row = {0.0, 0.0, 1.0, 1.0};
                else row = {1.0, -1.0, -ln.fit->rdc[std::size_t(m)], 0.0};
              }
            } else {
              const double self = p == m ? -1.0 : 0.0;
              if (r == 0) row = {k->a[mp], -k->f3[mp], self, -k->f2[mp]};
              else row = {-k->f3[mp], k->a[mp], -k->f2[mp], self};
            }
            const Index rowIdx = r == 0 ? ln.j1[std::size_t(m)] : ln.j2[std::size_t(m)];
            const std::size_t up = std::size_t(p);
            c.f[rowIdx] += row[0] * x[ln.in[up]] + row[1] * x[ln.out[up]] + row[2] * x[ln.j1[up]] + row[3] * x[ln.j2[up]];
            if (c.stampMatrix) {
              const Pos* q = &ln.pos[std::size_t(n) * 6 + (mp * 2 + std::size_t(r)) * 4];
              for (int e = 0; e < 4; ++e) c.A[q[e]] += row[std::size_t(e)];
            }
          }
      if (!dc)
        for (int m = 0; m < n; ++m) {
          c.f[ln.j1[std::size_t(m)]] -= k->ff[std::size_t(m)];
          c.f[ln.j2[std::size_t(m)]] -= k->gg[std::size_t(m)];
        }
    }
  }

  void acLoad(AcContext& c) override {
    for (Line& ln : line_) {
      const int n = ln.n;
      const Fit& F = *ln.fit;
      const Cx s(0.0, c.omega);
      auto value = [&](const Function& f) {
        Cx v = f.aten;
        if (f.pair) {
          const Cx r(f.t[1].c, f.t[2].c), p(f.t[1].x, f.t[2].x);
          v += f.t[0].c / (s - f.t[0].x) + r / (s - p) + std::conj(r) / (s - std::conj(p));
        } else {
          for (const auto& t : f.t) v += t.c / (s - t.x);
        }
        return v;
      };
      for (int m = 0; m < n; ++m) {
        const Pos* q = &ln.pos[std::size_t(m) * 6];
        c.A[q[0]] += 1.0;
        c.A[q[1]] += 1.0;
      }
      const bool dc = !(c.omega > 0);
      for (int m = 0; m < n; ++m)
        for (int p = 0; p < n; ++p) {
          const std::size_t mp = std::size_t(m * n + p);
          std::array<std::array<Cx, 4>, 2> rows{};
          if (dc) {
            if (p == m) {
              rows[0] = {0.0, 0.0, 1.0, 1.0};
              rows[1] = {1.0, -1.0, -F.rdc[std::size_t(m)], 0.0};
            }
          } else {
            Cx y3 = 0.0, y2 = 0.0;
            for (int l = 0; l < n; ++l) {
              const Cx delay = std::exp(-s * F.delay[std::size_t(l)]);
              y3 += value(F.h3[mp * std::size_t(n) + std::size_t(l)]) * delay;
              y2 += value(F.h2[mp * std::size_t(n) + std::size_t(l)]) * delay;
            }
            const Cx self = p == m ? -1.0 : 0.0;
            const Cx y1 = value(F.h1[mp]);
            rows[0] = {y1, -y3, self, -y2};
            rows[1] = {-y3, y1, -y2, self};
          }
          for (int r = 0; r < 2; ++r) {
            const Pos* q = &ln.pos[std::size_t(n) * 6 + (mp * 2 + std::size_t(r)) * 4];
            for (int e = 0; e < 4; ++e) c.A[q[e]] += rows[std::size_t(r)][std::size_t(e)];
          }
        }
    }
  }

  void accept(const double* x, double time) override {
    if (!inTran_) return;
    for (Line& ln : line_) {
      if (ln.hist.empty() || !(time > ln.tAcc)) continue;
      const Fit& F = *ln.fit;
      const int n = ln.n;
      const double tmin = *std::min_element(F.delay.begin(), F.delay.end());
      if (time - ln.tAcc > tmin) cap_ = std::min(cap_, 0.9 * tmin);
      const std::int64_t T = picoseconds(time);
      if (T <= ln.hist.back().t) {
        ln.tAcc = time;
        continue;
      }
      const Terms k = terms(ln, time);
      const Sample prev = ln.hist.back();
      Sample now;
      now.t = T;
      for (int m = 0; m < n; ++m) {
        now.vi.push_back(x[ln.in[std::size_t(m)]]);
        now.vo.push_back(x[ln.out[std::size_t(m)]]);
        now.ji.push_back(x[ln.j1[std::size_t(m)]]);
        now.jo.push_back(x[ln.j2[std::size_t(m)]]);
      }
      ln.w2 = k.w2;
      ln.w3 = k.w3;
      ln.hist.push_back(now);
      ln.tAcc = time;
      ln.cache = {};
      const double delta = double(T - prev.t);
      for (int j = 0; j < n; ++j)
        for (int kk = 0; kk < n; ++kk) {
          const std::size_t jk = std::size_t(j * n + kk);
          const Function& f = F.h1[jk];
          Conv& w = ln.w1[jk];
          const auto& e = k.e1[jk];
          for (int port = 0; port < 2; ++port) {
            const double a = port == 0 ? now.vi[std::size_t(kk)] : now.vo[std::size_t(kk)];
            const double a0 = port == 0 ? prev.vi[std::size_t(kk)] : prev.vo[std::size_t(kk)];
            double b = (a - a0) / delta;
            auto& cv = port == 0 ? w.in : w.out;
            if (f.pair) {
              // the pair by the trapezoidal rule from the previous value, then term 0 as below
              const Cx E(e[1], e[2]), r(f.t[1].c, f.t[2].c);
              const double hh = 0.5e-12 * delta;
              const Cx v = Cx(cv[1], cv[2]) * E + hh * (r * E * (a - b * delta) + r * a);
              cv[1] = v.real();
              cv[2] = v.imag();
              const double t = f.t[0].c / f.t[0].x;
              b *= t;
              cv[0] = (cv[0] - b * delta) * e[0] + (e[0] - 1.0) * (a * t + 1e12 * b / f.t[0].x);
            } else {
              for (int i = 0; i < 3; ++i) {
                const double t = f.t[std::size_t(i)].c / f.t[std::size_t(i)].x;
                b *= t;
                cv[std::size_t(i)] = (cv[std::size_t(i)] - b * delta) * e[std::size_t(i)] +
                                     (e[std::size_t(i)] - 1.0) * (a * t + 1e12 * b / f.t[std::size_t(i)].x);
              }
            }
          }
        }
      // the part of the delayed values taken at the new point
      const double hh = 0.5e-12 * delta;
      for (int m = 0; m < n; ++m) {
        const double ratio = k.ratio[std::size_t(m)];
        if (!(ratio > 0)) continue;
        for (int j = 0; j < n; ++j)
          for (int kk = 0; kk < n; ++kk) {
            const std::size_t idx = std::size_t((j * n + kk) * n + m);
            const double vi = hh * ratio * now.vi[std::size_t(kk)], vo = hh * ratio * now.vo[std::size_t(kk)];
            const double ji = hh * ratio * now.ji[std::size_t(kk)], jo = hh * ratio * now.jo[std::size_t(kk)];
            for (int i = 0; i < 3; ++i) {
              ln.w3[idx].in[std::size_t(i)] += vi * F.h3[idx].t[std::size_t(i)].c;
              ln.w3[idx].out[std::size_t(i)] += vo * F.h3[idx].t[std::size_t(i)].c;
              ln.w2[idx].in[std::size_t(i)] += ji * F.h2[idx].t[std::size_t(i)].c;
              ln.w2[idx].out[std::size_t(i)] += jo * F.h2[idx].t[std::size_t(i)].c;
            }
          }
      }
      // drop the points no delayed value needs again
      const double tmax = *std::max_element(F.delay.begin(), F.delay.end());
      const double ta = double(T) - tmax * 1e12;
      while (ln.hist.size() > 2 && double(ln.hist[1].t) < ta) ln.hist.pop_front();
    }
  }

  double maxStep() const override {
    double h = 1e300;
    for (const Line& ln : line_)
      for (double t : ln.fit->delay) h = std::min(h, t);
    return h;
  }
  double spiceMaxStep() const override { return 1e300; }
  double tmaxCap() const override { return cap_; }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const Line& ln : line_)
      for (int m = 0; m < ln.n; ++m) {
        const std::size_t um = std::size_t(m);
        out.emplace_back(ln.in[um], 0);  // 0.1 gmin (in + out) to ground, and the line joins the ends
        out.emplace_back(ln.in[um], ln.out[um]);
        out.emplace_back(ln.j1[um], ln.in[um]);
        out.emplace_back(ln.j2[um], ln.out[um]);
      }
  }

 private:
  void start(Line& ln, const double* x, double time) {
    const int n = ln.n;
    const Fit& F = *ln.fit;
    ln.dcIn.assign(std::size_t(n), 0.0);
    ln.dcOut.assign(std::size_t(n), 0.0);
    Sample s0;
    for (int m = 0; m < n; ++m) {
      ln.dcIn[std::size_t(m)] = x[ln.in[std::size_t(m)]];
      ln.dcOut[std::size_t(m)] = x[ln.out[std::size_t(m)]];
    }
    s0.vi = ln.dcIn;
    s0.vo = ln.dcOut;
    s0.ji.assign(std::size_t(n), 0.0);  // (ngspice starts CPL's currents at 0)
    s0.jo.assign(std::size_t(n), 0.0);
    ln.hist.clear();
    ln.hist.push_back(s0);
    ln.tAcc = time;
    ln.cache = {};
    const std::size_t nn = std::size_t(n);
    ln.w1.assign(nn * nn, {});
    ln.w2.assign(nn * nn * nn, {});
    ln.w3.assign(nn * nn * nn, {});
    auto steady = [&](const Function& f, Conv& w, double vin, double vout) {
      // the convolution of a constant from -infinity: -v c / x (a pair: complex)
      w.in[0] = -vin * f.t[0].c / f.t[0].x;
      w.out[0] = -vout * f.t[0].c / f.t[0].x;
      if (f.pair) {
        const Cx q = Cx(f.t[1].c, f.t[2].c) / Cx(f.t[1].x, f.t[2].x);
        w.in[1] = -vin * q.real();
        w.in[2] = -vin * q.imag();
        w.out[1] = -vout * q.real();
        w.out[2] = -vout * q.imag();
      } else {
        for (int i = 1; i < 3; ++i) {
          w.in[std::size_t(i)] = -vin * f.t[std::size_t(i)].c / f.t[std::size_t(i)].x;
          w.out[std::size_t(i)] = -vout * f.t[std::size_t(i)].c / f.t[std::size_t(i)].x;
        }
      }
    };
    for (int j = 0; j < n; ++j)
      for (int k = 0; k < n; ++k) {
        const std::size_t jk = std::size_t(j * n + k);
        steady(F.h1[jk], ln.w1[jk], ln.dcIn[std::size_t(k)], ln.dcOut[std::size_t(k)]);
        for (int m = 0; m < n; ++m) {
          const std::size_t idx = jk * nn + std::size_t(m);
          steady(F.h3[idx], ln.w3[idx], ln.dcIn[std::size_t(k)], ln.dcOut[std::size_t(k)]);
        }
      }
  }

  struct Delayed {
    // [mode][conductor]: values at ta (1) and tb (2)
    std::vector<std::vector<double>> v1i, v2i, j1i, j2i, v1o, v2o, j1o, j2o;
    std::vector<double> ratio;
  };
  Delayed delayed(const Line& ln, std::int64_t t1, std::int64_t t2) const {
    const int n = ln.n;
    const std::size_t nn = std::size_t(n);
    Delayed d;
    auto blank = [&](std::vector<std::vector<double>>& v) { v.assign(nn, std::vector<double>(nn, 0.0)); };
    for (auto* v : {&d.v1i, &d.v2i, &d.j1i, &d.j2i, &d.v1o, &d.v2o, &d.j1o, &d.j2o}) blank(*v);
    d.ratio.assign(nn, 0.0);
    const auto& h = ln.hist;
    auto at = [&](double t, std::size_t mode, bool second) {
      std::size_t k = 1;
      while (k + 1 < h.size() && double(h[k].t) < t) ++k;
      const Sample &a = h[k - 1], &b = h[k];
      const double f = (t - double(a.t)) / double(b.t - a.t);
      for (std::size_t j = 0; j < nn; ++j) {
        (second ? d.v2i : d.v1i)[mode][j] = a.vi[j] + f * (b.vi[j] - a.vi[j]);
        (second ? d.v2o : d.v1o)[mode][j] = a.vo[j] + f * (b.vo[j] - a.vo[j]);
        (second ? d.j2i : d.j1i)[mode][j] = a.ji[j] + f * (b.ji[j] - a.ji[j]);
        (second ? d.j2o : d.j1o)[mode][j] = a.jo[j] + f * (b.jo[j] - a.jo[j]);
      }
    };
    for (std::size_t i = 0; i < nn; ++i) {
      const double tau = ln.fit->delay[i] * 1e12;
      const double ta = double(t1) - tau, tb = double(t2) - tau;
      if (tb <= 0) {
        d.v1i[i] = d.v2i[i] = ln.dcIn;
        d.v1o[i] = d.v2o[i] = ln.dcOut;
        continue;
      }
      if (ta <= 0) {
        d.v1i[i] = ln.dcIn;
        d.v1o[i] = ln.dcOut;
      } else {
        at(ta, i, false);
      }
      if (tb > double(t1)) {
        d.ratio[i] = (tb - double(t1)) / double(t2 - t1);
        const Sample& b = h.back();
        const double f = 1.0 - d.ratio[i];
        for (std::size_t j = 0; j < nn; ++j) {
          d.v2i[i][j] = b.vi[j] * f;
          d.v2o[i][j] = b.vo[j] * f;
          d.j2i[i][j] = b.ji[j] * f;
          d.j2o[i][j] = b.jo[j] * f;
        }
      } else {
        at(tb, i, true);
      }
    }
    return d;
  }

  // w' = E w + h/2 c (E y1 + y2) per term (a pair in complex arithmetic)
  static void advance(std::array<double, 3>& w, const Function& f, double h, double y1, double y2) {
    const double hh = 0.5 * h;
    if (f.pair) {
      const Cx E = std::exp(Cx(f.t[1].x, f.t[2].x) * h), r(f.t[1].c, f.t[2].c);
      const Cx v = Cx(w[1], w[2]) * E + hh * r * (y1 * E + y2);
      w[1] = v.real();
      w[2] = v.imag();
      const double e = std::exp(f.t[0].x * h);
      w[0] = w[0] * e + hh * f.t[0].c * (y1 * e + y2);
      return;
    }
    for (std::size_t i = 0; i < 3; ++i) {
      const double e = std::exp(f.t[i].x * h);
      w[i] = w[i] * e + hh * f.t[i].c * (y1 * e + y2);
    }
  }
  static double total(const std::array<double, 3>& w, const Function& f) {
    return f.pair ? w[0] + 2.0 * w[1] : w[0] + w[1] + w[2];
  }

  const Terms& terms(Line& ln, double t) {
    Terms& k = ln.cache;
    if (k.time == t && k.points == ln.hist.size()) return k;
    k = {};
    k.time = t;
    k.points = ln.hist.size();
    const Fit& F = *ln.fit;
    const int n = ln.n;
    const std::size_t nn = std::size_t(n);
    const double h = t - ln.tAcc, hh = 0.5 * h;
    const std::int64_t t1 = std::max(picoseconds(ln.tAcc), ln.hist.back().t), t2 = picoseconds(t);
    const Sample& last = ln.hist.back();
    k.a.assign(nn * nn, 0.0);
    k.f3.assign(nn * nn, 0.0);
    k.f2.assign(nn * nn, 0.0);
    k.ff.assign(nn, 0.0);
    k.gg.assign(nn, 0.0);
    k.e1.assign(nn * nn, {});
    for (int j = 0; j < n; ++j)
      for (int kk = 0; kk < n; ++kk) {
        const std::size_t jk = std::size_t(j * n + kk);
        const Function& f = F.h1[jk];
        const auto& w = ln.w1[jk];
        k.a[jk] = f.aten + hh * f.sum;
        const double vi = last.vi[std::size_t(kk)], vo = last.vo[std::size_t(kk)];
        if (f.pair) {
          const double e0 = std::exp(f.t[0].x * h);
          const Cx E = std::exp(Cx(f.t[1].x, f.t[2].x) * h), r(f.t[1].c, f.t[2].c);
          k.e1[jk] = {e0, E.real(), E.imag()};
          const double c0 = f.t[0].c * e0 * hh;
          const double rE = (r * E).real();
          k.ff[std::size_t(j)] -= w.in[0] * e0 + c0 * vi + 2.0 * (rE * hh * vi + (Cx(w.in[1], w.in[2]) * E).real());
          k.gg[std::size_t(j)] -= w.out[0] * e0 + c0 * vo + 2.0 * (rE * hh * vo + (Cx(w.out[1], w.out[2]) * E).real());
        } else {
          double cs = 0;
          for (std::size_t i = 0; i < 3; ++i) {
            const double e = std::exp(f.t[i].x * h);
            k.e1[jk][i] = e;
            cs -= f.t[i].c * e;
            k.ff[std::size_t(j)] -= w.in[i] * e;
            k.gg[std::size_t(j)] -= w.out[i] * e;
          }
          k.ff[std::size_t(j)] += cs * hh * vi;
          k.gg[std::size_t(j)] += cs * hh * vo;
        }
      }
    const Delayed d = delayed(ln, t1, t2);
    k.ratio = d.ratio;
    k.w2 = ln.w2;
    k.w3 = ln.w3;
    for (int j = 0; j < n; ++j)
      for (int kk = 0; kk < n; ++kk)
        for (int l = 0; l < n; ++l) {
          const std::size_t idx = std::size_t((j * n + kk) * n + l);
          const std::size_t ul = std::size_t(l), uk = std::size_t(kk);
          const Function& f3 = F.h3[idx];
          advance(k.w3[idx].in, f3, h, d.v1i[ul][uk], d.v2i[ul][uk]);
          advance(k.w3[idx].out, f3, h, d.v1o[ul][uk], d.v2o[ul][uk]);
          k.ff[std::size_t(j)] += f3.aten * d.v2o[ul][uk] + total(k.w3[idx].out, f3);
          k.gg[std::size_t(j)] += f3.aten * d.v2i[ul][uk] + total(k.w3[idx].in, f3);
          const Function& f2 = F.h2[idx];
          advance(k.w2[idx].in, f2, h, d.j1i[ul][uk], d.j2i[ul][uk]);
          advance(k.w2[idx].out, f2, h, d.j1o[ul][uk], d.j2o[ul][uk]);
          k.ff[std::size_t(j)] += f2.aten * d.j2o[ul][uk] + total(k.w2[idx].out, f2);
          k.gg[std::size_t(j)] += f2.aten * d.j2i[ul][uk] + total(k.w2[idx].in, f2);
        }
    // (ngspice assigns these entries mode after mode: the last mode past the last point counts)
    for (int l = 0; l < n; ++l) {
      const double ratio = d.ratio[std::size_t(l)];
      if (!(ratio > 0)) continue;
      for (int m = 0; m < n; ++m)
        for (int p = 0; p < n; ++p) {
          const std::size_t mp = std::size_t(m * n + p), idx = mp * nn + std::size_t(l);
          k.f3[mp] = ratio * (hh * F.h3[idx].sum + F.h3[idx].aten);
          k.f2[mp] = ratio * (hh * F.h2[idx].sum + F.h2[idx].aten);
        }
    }
    return k;
  }

  std::vector<Line> line_;
  double gmin_ = 1e-12;
  bool inTran_ = false;
  double cap_ = 1e300;
};

}  // namespace

std::unique_ptr<DeviceGroup> makeNgspiceCpl(const DeviceKind& kind, std::vector<const ir::Device*> inst) {
  return std::make_unique<NgspiceCpl>(kind, std::move(inst));
}

}  // namespace simcore::dev
