// ngspice's CPL fits (cpl_fit.hpp): sampled modes, polynomials through the samples,
// Pade approximants per entry.
#include "devices/cpl_fit.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <string>
#include <vector>

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

std::string rlgcMatrices(const std::array<const std::vector<double>*, 4>& given, int n, std::array<Matrix, 4>& out) {
  const char names[4] = {'R', 'L', 'G', 'C'};
  const std::size_t want = std::size_t(n * (n + 1) / 2);
  for (std::size_t k = 0; k < 4; ++k) {
    const std::string name(1, names[k]);
    if (!given[k]) return name + " must be given";
    const std::vector<double>& v = *given[k];
    if (v.size() != want)
      return name + " has " + std::to_string(v.size()) + " values; " + std::to_string(n) + " conductors need " +
             std::to_string(want) + " (the upper triangle of the matrix, row by row)";
    for (double x : v)
      if (!std::isfinite(x)) return "matrix entries must be finite";
    out[k] = Matrix(std::size_t(n), std::vector<double>(std::size_t(n), 0.0));
    std::size_t idx = 0;
    for (int a = 0; a < n; ++a)
      for (int b = a; b < n; ++b, ++idx) out[k][std::size_t(a)][std::size_t(b)] = out[k][std::size_t(b)][std::size_t(a)] = v[idx];
  }
  return {};
}

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

}  // namespace simcore::dev
