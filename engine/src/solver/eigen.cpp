#include "solver/eigen.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace simcore::solver {

namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();

struct Dense {
  std::vector<double>& v;
  int n;
  double& operator()(int i, int j) { return v[std::size_t(i) * std::size_t(n) + std::size_t(j)]; }
};

double withSign(double a, double b) { return b >= 0 ? std::fabs(a) : -std::fabs(a); }

// Diagonal similarity by powers of two until every row and column of equal
// index have comparable norms (Parlett and Reinsch).
void balance(Dense a) {
  const int n = a.n;
  bool done = false;
  for (int sweep = 0; !done && sweep < 10000; ++sweep) {
    done = true;
    for (int i = 0; i < n; ++i) {
      double r = 0, c = 0;
      for (int j = 0; j < n; ++j)
        if (j != i) {
          c += std::fabs(a(j, i));
          r += std::fabs(a(i, j));
        }
      if (c == 0 || r == 0) continue;
      const double s = c + r;
      double f = 1, g = r / 2;
      while (c < g) { f *= 2; c *= 4; }
      g = r * 2;
      while (c > g) { f /= 2; c /= 4; }
      if ((c + r) / f < 0.95 * s) {
        done = false;
        for (int j = 0; j < n; ++j) a(i, j) /= f;
        for (int j = 0; j < n; ++j) a(j, i) *= f;
      }
    }
  }
}

// Householder reduction to upper Hessenberg form (similarity).
void hessenberg(Dense a) {
  const int n = a.n;
  std::vector<double> v(std::size_t(std::max(n, 1)));
  for (int k = 0; k + 2 < n; ++k) {
    double norm = 0;
    for (int i = k + 1; i < n; ++i) norm = std::hypot(norm, a(i, k));
    if (norm == 0) continue;
    const double alpha = a(k + 1, k) > 0 ? -norm : norm;
    const int m = n - k - 1;
    for (int i = 0; i < m; ++i) v[std::size_t(i)] = a(k + 1 + i, k);
    v[0] -= alpha;
    double vv = 0;
    for (int i = 0; i < m; ++i) vv += v[std::size_t(i)] * v[std::size_t(i)];
    if (vv == 0) continue;
    for (int j = k; j < n; ++j) {
      double d = 0;
      for (int i = 0; i < m; ++i) d += v[std::size_t(i)] * a(k + 1 + i, j);
      d *= 2 / vv;
      for (int i = 0; i < m; ++i) a(k + 1 + i, j) -= d * v[std::size_t(i)];
    }
    for (int i = 0; i < n; ++i) {
      double d = 0;
      for (int j = 0; j < m; ++j) d += a(i, k + 1 + j) * v[std::size_t(j)];
      d *= 2 / vv;
      for (int j = 0; j < m; ++j) a(i, k + 1 + j) -= d * v[std::size_t(j)];
    }
    a(k + 1, k) = alpha;
    for (int i = k + 2; i < n; ++i) a(i, k) = 0;
  }
}

// Eigenvalues of an upper Hessenberg matrix by Francis double-shift QR
// (the matrix is destroyed). False when an eigenvalue took 60 iterations.
bool hessenbergQr(Dense a, std::vector<std::complex<double>>& out) {
  const int n = a.n;
  out.assign(std::size_t(n), {});
  double anorm = 0;
  for (int i = 0; i < n; ++i)
    for (int j = std::max(i - 1, 0); j < n; ++j) anorm += std::fabs(a(i, j));
  int hi = n - 1;
  double shiftSum = 0;  // accumulated exceptional shifts
  while (hi >= 0) {
    int its = 0;
    int l = 0;
    for (;;) {
      // the lowest l with a negligible a(l, l-1): the active window is [l, hi]
      for (l = hi; l >= 1; --l) {
        double s = std::fabs(a(l - 1, l - 1)) + std::fabs(a(l, l));
        if (s == 0) s = anorm;
        if (std::fabs(a(l, l - 1)) <= kEps * s) {
          a(l, l - 1) = 0;
          break;
        }
      }
      double x = a(hi, hi);
      if (l == hi) {  // one real root
        out[std::size_t(hi)] = {x + shiftSum, 0.0};
        --hi;
        break;
      }
      double y = a(hi - 1, hi - 1);
      double w = a(hi, hi - 1) * a(hi - 1, hi);
      if (l == hi - 1) {  // a 2x2 block: two real roots or a complex pair
        const double p = 0.5 * (y - x);
        const double q = p * p + w;
        double z = std::sqrt(std::fabs(q));
        x += shiftSum;
        if (q >= 0) {
          z = p + withSign(z, p);
          out[std::size_t(hi - 1)] = {x + z, 0.0};
          out[std::size_t(hi)] = {z != 0 ? x - w / z : x + z, 0.0};
        } else {
          out[std::size_t(hi - 1)] = {x + p, z};
          out[std::size_t(hi)] = {x + p, -z};
        }
        hi -= 2;
        break;
      }
      if (its == 60) return false;
      if (its == 10 || its == 20) {  // exceptional shift
        shiftSum += x;
        for (int i = 0; i <= hi; ++i) a(i, i) -= x;
        const double s = std::fabs(a(hi, hi - 1)) + std::fabs(a(hi - 1, hi - 2));
        x = y = 0.75 * s;
        w = -0.4375 * s * s;
      }
      ++its;
      // start of the bulge: two consecutive small subdiagonal entries
      int m = hi - 2;
      double p = 0, q = 0, r = 0;
      for (; m >= l; --m) {
        const double z = a(m, m);
        const double rr = x - z, ss = y - z;
        p = (rr * ss - w) / a(m + 1, m) + a(m, m + 1);
        q = a(m + 1, m + 1) - z - rr - ss;
        r = a(m + 2, m + 1);
        const double s = std::fabs(p) + std::fabs(q) + std::fabs(r);
        p /= s;
        q /= s;
        r /= s;
        if (m == l) break;
        const double u = std::fabs(a(m, m - 1)) * (std::fabs(q) + std::fabs(r));
        const double v = std::fabs(p) * (std::fabs(a(m - 1, m - 1)) + std::fabs(z) + std::fabs(a(m + 1, m + 1)));
        if (u <= kEps * v) break;
      }
      for (int i = m + 2; i <= hi; ++i) {
        a(i, i - 2) = 0;
        if (i != m + 2) a(i, i - 3) = 0;
      }
      // chase the bulge with 3x3 reflections
      for (int k = m; k <= hi - 1; ++k) {
        if (k != m) {
          p = a(k, k - 1);
          q = a(k + 1, k - 1);
          r = k != hi - 1 ? a(k + 2, k - 1) : 0.0;
          x = std::fabs(p) + std::fabs(q) + std::fabs(r);
          if (x != 0) {
            p /= x;
            q /= x;
            r /= x;
          }
        }
        const double s = withSign(std::sqrt(p * p + q * q + r * r), p);
        if (s == 0) continue;
        if (k == m) {
          if (l != m) a(k, k - 1) = -a(k, k - 1);
        } else {
          a(k, k - 1) = -s * x;
        }
        p += s;
        x = p / s;
        y = q / s;
        const double z = r / s;
        q /= p;
        r /= p;
        for (int j = k; j < n; ++j) {
          double t = a(k, j) + q * a(k + 1, j);
          if (k != hi - 1) {
            t += r * a(k + 2, j);
            a(k + 2, j) -= t * z;
          }
          a(k + 1, j) -= t * y;
          a(k, j) -= t * x;
        }
        const int last = std::min(hi, k + 3);
        for (int i = 0; i <= last; ++i) {
          double t = x * a(i, k) + y * a(i, k + 1);
          if (k != hi - 1) {
            t += z * a(i, k + 2);
            a(i, k + 2) -= t * r;
          }
          a(i, k + 1) -= t * q;
          a(i, k) -= t;
        }
      }
    }
  }
  return true;
}

// x - f*y with terms that cancel to rounding set to exactly zero.
double cancelSub(double x, double f, double y) {
  const double t = f * y;
  const double d = x - t;
  return std::fabs(d) <= 1e-13 * (std::fabs(x) + std::fabs(t)) ? 0.0 : d;
}

// Step 1 of pencilEigenvalues: the reduced pencil (h, e) of size m.
// False when the pencil is singular (a constraint row or column is all zero).
bool eliminateAlgebraic(std::vector<double>& g, std::vector<double>& c, int n, std::vector<double>& h,
                        std::vector<double>& e, int& m) {
  Dense G{g, n}, C{c, n};
  std::vector<int> rows(static_cast<std::size_t>(n)), cols(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) rows[std::size_t(i)] = cols[std::size_t(i)] = i;
  for (;;) {
    bool progress = false;
    // a row without s: x_k = -(sum of the row's other terms) / G(r, k), by column operations
    for (std::size_t ri = 0; ri < rows.size() && !progress; ++ri) {
      const int r = rows[ri];
      bool hasC = false;
      for (int j : cols) hasC = hasC || C(r, j) != 0;
      if (hasC) continue;
      int k = -1;
      double best = 0;
      for (int j : cols)
        if (std::fabs(G(r, j)) > best) { best = std::fabs(G(r, j)); k = j; }
      if (k < 0) return false;
      for (int j : cols) {
        if (j == k || G(r, j) == 0) continue;
        const double f = G(r, j) / G(r, k);
        for (int i : rows) {
          G(i, j) = cancelSub(G(i, j), f, G(i, k));
          C(i, j) = cancelSub(C(i, j), f, C(i, k));
        }
      }
      rows.erase(rows.begin() + std::ptrdiff_t(ri));
      cols.erase(std::find(cols.begin(), cols.end(), k));
      progress = true;
    }
    if (progress) continue;
    // a column without s: eliminate its unknown from the other rows by row operations
    for (std::size_t ci = 0; ci < cols.size() && !progress; ++ci) {
      const int k = cols[ci];
      bool hasC = false;
      for (int i : rows) hasC = hasC || C(i, k) != 0;
      if (hasC) continue;
      int r = -1;
      double best = 0;
      for (int i : rows)
        if (std::fabs(G(i, k)) > best) { best = std::fabs(G(i, k)); r = i; }
      if (r < 0) return false;
      for (int i : rows) {
        if (i == r || G(i, k) == 0) continue;
        const double f = G(i, k) / G(r, k);
        for (int j : cols) {
          G(i, j) = cancelSub(G(i, j), f, G(r, j));
          C(i, j) = cancelSub(C(i, j), f, C(r, j));
        }
      }
      rows.erase(std::find(rows.begin(), rows.end(), r));
      cols.erase(cols.begin() + std::ptrdiff_t(ci));
      progress = true;
    }
    if (progress) continue;
    // every row and column has s: Gaussian elimination with complete pivoting
    // on C's rows (the same row operations on G) turns the rows that C's
    // rank lacks into rows without s, which the first rule then eliminates
    std::vector<int> open = rows;
    while (!open.empty()) {
      int pr = -1, pc = -1;
      double best = 0;
      for (int i : open)
        for (int j : cols)
          if (std::fabs(C(i, j)) > best) {
            best = std::fabs(C(i, j));
            pr = i;
            pc = j;
          }
      if (pr < 0) {
        progress = true;  // the rows left in `open` have no s now
        break;
      }
      open.erase(std::find(open.begin(), open.end(), pr));
      for (int i : open) {
        if (C(i, pc) == 0) continue;
        const double f = C(i, pc) / C(pr, pc);
        for (int j : cols) {
          G(i, j) = cancelSub(G(i, j), f, G(pr, j));
          C(i, j) = j == pc ? 0.0 : cancelSub(C(i, j), f, C(pr, j));
        }
      }
    }
    if (!progress) break;
  }
  m = int(rows.size());
  h.assign(std::size_t(m) * std::size_t(m), 0.0);
  e.assign(std::size_t(m) * std::size_t(m), 0.0);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < m; ++j) {
      h[std::size_t(i * m + j)] = G(rows[std::size_t(i)], cols[std::size_t(j)]);
      e[std::size_t(i * m + j)] = C(rows[std::size_t(i)], cols[std::size_t(j)]);
    }
  return true;
}

// LU with partial pivoting in place; the smallest |pivot| relative to the
// largest (0 when singular). perm receives the row order.
double luFactor(std::vector<double>& a, int n, std::vector<int>& perm) {
  Dense A{a, n};
  perm.resize(std::size_t(n));
  for (int i = 0; i < n; ++i) perm[std::size_t(i)] = i;
  double pmin = std::numeric_limits<double>::infinity(), pmax = 0;
  for (int k = 0; k < n; ++k) {
    int p = k;
    for (int i = k + 1; i < n; ++i)
      if (std::fabs(A(i, k)) > std::fabs(A(p, k))) p = i;
    if (p != k) {
      for (int j = 0; j < n; ++j) std::swap(A(k, j), A(p, j));
      std::swap(perm[std::size_t(k)], perm[std::size_t(p)]);
    }
    const double piv = A(k, k);
    pmin = std::min(pmin, std::fabs(piv));
    pmax = std::max(pmax, std::fabs(piv));
    if (piv == 0) return 0;
    for (int i = k + 1; i < n; ++i) {
      const double f = A(i, k) / piv;
      A(i, k) = f;
      if (f != 0)
        for (int j = k + 1; j < n; ++j) A(i, j) -= f * A(k, j);
    }
  }
  return n == 0 ? 1.0 : pmin / pmax;
}

// Solve with the factors of luFactor for `columns` right-hand sides stored
// row-major in b (n x columns).
void luSolve(std::vector<double>& lu, int n, const std::vector<int>& perm, std::vector<double>& b, int columns) {
  Dense A{lu, n};
  std::vector<double> x(b.size());
  for (int i = 0; i < n; ++i)
    for (int c = 0; c < columns; ++c) x[std::size_t(i * columns + c)] = b[std::size_t(perm[std::size_t(i)] * columns + c)];
  for (int c = 0; c < columns; ++c) {
    for (int i = 0; i < n; ++i) {
      double s = x[std::size_t(i * columns + c)];
      for (int j = 0; j < i; ++j) s -= A(i, j) * x[std::size_t(j * columns + c)];
      x[std::size_t(i * columns + c)] = s;
    }
    for (int i = n - 1; i >= 0; --i) {
      double s = x[std::size_t(i * columns + c)];
      for (int j = i + 1; j < n; ++j) s -= A(i, j) * x[std::size_t(j * columns + c)];
      x[std::size_t(i * columns + c)] = s / A(i, i);
    }
  }
  b = std::move(x);
}

double normOne(const std::vector<double>& a, int n) {
  double best = 0;
  for (int j = 0; j < n; ++j) {
    double s = 0;
    for (int i = 0; i < n; ++i) s += std::fabs(a[std::size_t(i * n + j)]);
    best = std::max(best, s);
  }
  return best;
}

struct ShiftRun {
  EigenOutcome outcome = EigenOutcome::Ok;
  double shift = 0;
  std::vector<std::complex<double>> roots;  // finite, unordered
};

// The finite roots of det(H + sE) from the eigenvalues of (H + s0 E)^-1 E,
// with s0 the first of a few multiples of `scale` (both signs) where
// H + s0 E is well conditioned.
ShiftRun shiftInvert(const std::vector<double>& h, const std::vector<double>& e, int m, double scale) {
  static constexpr double kFactors[] = {-0.6180339887, 0.4142135624, -2.7182818285, 1.7320508076,
                                        -0.1234567891, 8.3144626181, -31.415926536, 0.0271828183};
  ShiftRun out;
  std::vector<double> lu, bestLu;
  std::vector<int> perm, bestPerm;
  double bestRatio = 0;
  for (double f : kFactors) {
    const double s = f * scale;
    lu = h;
    for (std::size_t k = 0; k < lu.size(); ++k) lu[k] += s * e[k];
    const double ratio = luFactor(lu, m, perm);
    if (ratio > bestRatio) {
      bestRatio = ratio;
      bestLu = lu;
      bestPerm = perm;
      out.shift = s;
    }
    if (ratio > 1e-6) break;
  }
  if (bestRatio == 0) {
    out.outcome = EigenOutcome::SingularPencil;
    return out;
  }
  std::vector<double> mm = e;  // M = (H + s0 E)^-1 E
  luSolve(bestLu, m, bestPerm, mm, m);
  EigenResult mu = eigenvalues(std::move(mm), m);
  if (mu.outcome != EigenOutcome::Ok) {
    out.outcome = mu.outcome;
    return out;
  }
  double muMax = 0;
  for (const auto& v : mu.values) muMax = std::max(muMax, std::abs(v));
  for (const auto& v : mu.values)
    if (std::abs(v) > 1e-13 * muMax && v != 0.0) out.roots.push_back(out.shift - 1.0 / v);  // else infinite
  return out;
}

bool rootLess(const std::complex<double>& a, const std::complex<double>& b) {
  if (a.real() != b.real()) return a.real() < b.real();
  return a.imag() < b.imag();
}

}  // namespace

bool denseSolve(std::vector<double>& a, std::vector<double>& b, int n, int columns) {
  std::vector<int> perm;
  if (luFactor(a, n, perm) == 0) return false;
  luSolve(a, n, perm, b, columns);
  return true;
}

EigenResult eigenvalues(std::vector<double> a, int n) {
  EigenResult r;
  if (n == 0) return r;
  Dense A{a, n};
  balance(A);
  hessenberg(A);
  if (!hessenbergQr(A, r.values)) r.outcome = EigenOutcome::NoConvergence;
  return r;
}

EigenResult pencilEigenvalues(std::vector<double> g, std::vector<double> c, int n) {
  EigenResult out;
  std::vector<double> h, e;
  int m = 0;
  if (!eliminateAlgebraic(g, c, n, h, e, m)) {
    out.outcome = EigenOutcome::SingularPencil;
    return out;
  }
  out.reducedSize = m;
  if (m == 0) return out;
  // first the pencil's own scale as the shift, then the geometric mean of the
  // roots found: a root s comes out with a relative error near
  // eps * max(|s0| / |s|, |s| / |s0|), so the mean serves the whole spread
  const double nh = normOne(h, m), ne = normOne(e, m);
  ShiftRun run = shiftInvert(h, e, m, nh > 0 && ne > 0 ? nh / ne : 1.0);
  if (run.outcome != EigenOutcome::Ok) {
    out.outcome = run.outcome;
    return out;
  }
  double lo = std::numeric_limits<double>::infinity(), hi = 0;
  for (const auto& v : run.roots)
    if (std::abs(v) > 1e-9 * std::fabs(run.shift)) {
      lo = std::min(lo, std::abs(v));
      hi = std::max(hi, std::abs(v));
    }
  if (hi > 0) {
    const double mean = std::sqrt(lo * hi);
    if (mean < 1e-2 * std::fabs(run.shift) || mean > 1e2 * std::fabs(run.shift)) {
      ShiftRun again = shiftInvert(h, e, m, mean);
      if (again.outcome == EigenOutcome::Ok && again.roots.size() == run.roots.size()) run = std::move(again);
    }
  }
  out.shift = run.shift;
  std::vector<std::complex<double>> s;
  for (std::complex<double> root : run.roots) {
    if (std::fabs(root.imag()) <= 1e-9 * std::abs(root)) root.imag(0);
    if (std::abs(root) <= 1e-11 * std::fabs(run.shift)) root = 0;
    s.push_back(root);
  }
  // defective multiple roots: clusters within 1e-5 |s| become their mean
  std::vector<bool> done(s.size(), false);
  std::vector<std::complex<double>> merged;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (done[i]) continue;
    std::vector<std::size_t> cluster{i};
    done[i] = true;
    for (std::size_t grow = 0; grow < cluster.size(); ++grow)
      for (std::size_t j = 0; j < s.size(); ++j) {
        if (done[j]) continue;
        const auto a = s[cluster[grow]], b = s[j];
        if (std::abs(a - b) <= 1e-5 * std::max(std::abs(a), std::abs(b))) {
          done[j] = true;
          cluster.push_back(j);
        }
      }
    if (cluster.size() == 1) {
      merged.push_back(s[i]);
      continue;
    }
    std::complex<double> mean = 0;
    for (std::size_t k : cluster) mean += s[k];
    mean /= double(cluster.size());
    // a symmetric cluster (its conjugates inside it) stays real
    double imagSum = 0;
    for (std::size_t k : cluster) imagSum += s[k].imag();
    if (std::fabs(imagSum) <= 1e-9 * std::abs(mean) * double(cluster.size())) mean.imag(0);
    for (std::size_t k = 0; k < cluster.size(); ++k) merged.push_back(mean);
  }
  // each complex root once (imaginary part > 0), followed by its conjugate
  std::vector<std::complex<double>> upper;
  for (const auto& v : merged)
    if (v.imag() >= 0) upper.push_back(v);
  std::sort(upper.begin(), upper.end(), rootLess);
  for (const auto& v : upper) {
    out.values.push_back(v);
    if (v.imag() > 0) out.values.push_back(std::conj(v));
  }
  return out;
}

}  // namespace simcore::solver
