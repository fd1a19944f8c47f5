#include "devices/table_interp.hpp"

#include <algorithm>
#include <cmath>

namespace simcore::dev::table {
namespace {

constexpr double kRampWidth = 0.125;  // of the last spacing: where a partial derivative falls to 0 outside

// Start of the `ng` rows around cell j of an axis of n points (ENO's window
// in its second and third dimensions).
int window(int j, int n, int order) {
  const int ng = 2 * order - 2;
  if (j - order + 2 < 0) return 0;
  if (j + order - 1 > n - 1) return n - ng;
  return j - order + 2;
}

// eno1 along a row whose differences are precomputed: d[k·n + j] = Δ^k c[j].
void enoRow(const double* d, int n, int order, int i, double t, double& f, double& df) {
  const int i2 = std::max(0, std::min(i, n - order));
  const int i1 = std::min(i2, std::max(0, i - order + 2));
  const double* top = d + std::size_t(order - 1) * std::size_t(n);
  double w = std::fabs(top[i1]);
  for (int j = i1 + 1; j <= i2; ++j) w = std::min(w, std::fabs(top[j]));
  double g = 0, g1 = 0;
  int used = 0;
  for (int j = i1; j <= i2; ++j) {
    if (std::fabs(top[j]) > w) continue;
    ++used;
    const double y = t + i - j;
    double s = 1, s1 = 0;
    for (int k = 0; k < order; ++k) {
      const double dk = d[std::size_t(k) * std::size_t(n) + std::size_t(j)];
      g1 += s1 * dk;
      g += s * dk;
      s1 = (s + s1 * (y - k)) / (k + 1.0);
      s *= (y - k) / (k + 1.0);
    }
  }
  f = g / used;
  df = g1 / used;
}

// ENO along x of row r (z·ny + y) of g.
void enoX(const Grid& g, int order, std::size_t r, int i, double t, double& f, double& df) {
  const std::size_t nx = g.x.size();
  if (g.order == order) return enoRow(g.diff.data() + r * std::size_t(order) * nx, int(nx), order, i, t, f, df);
  eno1(g.data.data() + r * nx, int(nx), order, i, t, f, df);
}

// Two-dimensional ENO over rows r(0..n2-1), each of n1 samples: value, d/dx
// (along a row) and d/dy (across rows), in index units.
template <class Row>
void eno2(Row r, int n1, int n2, int order, int i, int j, double x, double y, double& f, double& fx, double& fy) {
  const int ng = 2 * order - 2;
  const int b = window(j, n2, order);
  double v[16] = {}, dv[16] = {};  // ng <= 16 (order <= 9), checked by checkOrder
  for (int k = 0; k < ng; ++k) eno1(r(b + k), n1, order, i, x, v[k], dv[k]);
  eno1(v, ng, order, j - b, y, f, fy);
  double unused = 0;
  eno1(dv, ng, order, j - b, y, fx, unused);
}

// Index of the cell of axis a that holds u: the last point at or below u (0 below all).
int cell(const std::vector<double>& a, double u) {
  const auto it = std::upper_bound(a.begin(), a.end(), u);
  return it == a.begin() ? 0 : int(it - a.begin()) - 1;
}

// Spacing around point i of axis a: centred inside, one-sided at the ends.
double spacing(const std::vector<double>& a, int i) {
  const int n = int(a.size());
  if (i >= n - 1) return a[n - 1] - a[n - 2];
  if (i <= 0) return a[1] - a[0];
  return 0.5 * (a[i + 1] - a[i - 1]);
}

struct Axis {
  int ind = 0;         // cell index (may be the last point)
  double off = 0;      // input minus the cell's point
  double ramp = 1;     // derivative factor (< 1 outside the range)
  double h = 1;        // local spacing for the derivative
  int lin = 0;         // cell of the multilinear interpolation (never the last point)
  double frac = 0;     // position in that cell, 0..1
};

Axis locate(const std::vector<double>& a, double u) {
  Axis s;
  const int n = int(a.size());
  if (u < a[0]) {
    s.ramp = std::max(0.0, 1 - (a[0] - u) / (kRampWidth * (a[1] - a[0])));
    u = a[0];
  } else if (u > a[n - 1]) {
    s.ramp = std::max(0.0, 1 - (u - a[n - 1]) / (kRampWidth * (a[n - 1] - a[n - 2])));
    u = a[n - 1];
  }
  s.ind = cell(a, u);
  s.off = u - a[s.ind];
  s.h = spacing(a, s.ind);
  s.lin = s.ind;
  double off = s.off;
  if (s.lin == n - 1) {
    --s.lin;
    off += a[s.lin + 1] - a[s.lin];
  }
  s.frac = off / (a[s.lin + 1] - a[s.lin]);
  return s;
}

}  // namespace

void eno1(const double* c, int n, int order, int i, double t, double& f, double& df) {
  const int i2 = std::max(0, std::min(i, n - order));
  const int i1 = std::min(i2, std::max(0, i - order + 2));
  // Newton's forward differences Δ^k c[j] (k < order) of each candidate
  // stencil j in [i1, i2] (at most order - 1 of them; order <= 16)
  double D[16][16];
  double w = 0;
  for (int j = i1; j <= i2; ++j) {
    double* dj = D[j - i1];
    double tmp[16] = {};
    for (int m = 0; m < order; ++m) tmp[m] = c[j + m];
    dj[0] = tmp[0];
    for (int k = 1; k < order; ++k) {
      for (int m = 0; m + k < order; ++m) tmp[m] = tmp[m + 1] - tmp[m];
      dj[k] = tmp[0];
    }
    const double top = std::fabs(dj[order - 1]);
    if (j == i1 || top < w) w = top;
  }
  double g = 0, g1 = 0;
  int used = 0;
  for (int j = i1; j <= i2; ++j) {
    const double* dj = D[j - i1];
    if (std::fabs(dj[order - 1]) > w) continue;  // the smoothest stencils (ties averaged)
    ++used;
    // Σ Δ^k c[j] · binom(y, k) and its derivative, y the position from j
    const double y = t + i - j;
    double s = 1, s1 = 0;  // binom(y, k) and d/dy
    for (int k = 0; k < order; ++k) {
      g1 += s1 * dj[k];
      g += s * dj[k];
      s1 = (s + s1 * (y - k)) / (k + 1.0);
      s *= (y - k) / (k + 1.0);
    }
  }
  f = g / used;
  df = g1 / used;
}

std::string decode(const std::vector<double>& v, Grid& g) {
  if (v.size() < 4) return "the table data is malformed";
  g.dims = int(v[0]);
  const std::size_t nx = std::size_t(v[1]), ny = std::size_t(v[2]), nz = std::size_t(v[3]);
  if ((g.dims != 2 && g.dims != 3) || nx < 2 || ny < 2 || nz < 1 || v.size() != 4 + nx + ny + nz + nx * ny * nz)
    return "the table data is malformed";
  auto at = v.begin() + 4;
  g.x.assign(at, at + std::ptrdiff_t(nx));
  at += std::ptrdiff_t(nx);
  g.y.assign(at, at + std::ptrdiff_t(ny));
  at += std::ptrdiff_t(ny);
  g.z.assign(at, at + std::ptrdiff_t(nz));
  at += std::ptrdiff_t(nz);
  g.data.assign(at, v.end());
  if (g.dims == 3 && nz < 2) return "the table data is malformed";
  return {};
}

std::string checkOrder(const Grid& g, int order) {
  const int ng = 2 * order - 2;
  if (order > 9) return "order=" + std::to_string(order) + " is above the largest supported, 9";
  if (int(g.x.size()) < order)
    return "order=" + std::to_string(order) + " needs at least " + std::to_string(order) + " x values; the table has " +
           std::to_string(g.x.size());
  if (int(g.y.size()) < ng)
    return "order=" + std::to_string(order) + " needs at least 2*order-2 = " + std::to_string(ng) +
           " y values; the table has " + std::to_string(g.y.size());
  if (g.dims == 3 && int(g.z.size()) < ng)
    return "order=" + std::to_string(order) + " needs at least 2*order-2 = " + std::to_string(ng) +
           " z values; the table has " + std::to_string(g.z.size());
  return {};
}

void prepare(Grid& g, int order) {
  const std::size_t nx = g.x.size(), rows = g.data.size() / nx;
  g.diff.assign(rows * std::size_t(order) * nx, 0.0);
  for (std::size_t r = 0; r < rows; ++r) {
    double* d = g.diff.data() + r * std::size_t(order) * nx;
    for (std::size_t j = 0; j < nx; ++j) d[j] = g.data[r * nx + j];
    for (int k = 1; k < order; ++k)
      for (std::size_t j = 0; j + std::size_t(k) < nx; ++j)
        d[std::size_t(k) * nx + j] = d[std::size_t(k - 1) * nx + j + 1] - d[std::size_t(k - 1) * nx + j];
  }
  g.order = order;
}

Eval evaluate(const Grid& g, int order, const double* u) {
  Eval e;
  const int ny = int(g.y.size());
  const Axis ax = locate(g.x, u[0]), ay = locate(g.y, u[1]);
  double f = 0, fx = 0, fy = 0, fz = 0;
  if (g.dims == 2) {
    const int ng = 2 * order - 2;
    const int by = window(ay.ind, ny, order);
    double v[16] = {}, dv[16] = {};
    for (int j = 0; j < ng; ++j) enoX(g, order, std::size_t(by + j), ax.ind, ax.off, v[j], dv[j]);
    eno1(v, ng, order, ay.ind - by, ay.off, f, fy);
    double unused = 0;
    eno1(dv, ng, order, ay.ind - by, ay.off, fx, unused);
    const double x = ax.frac, y = ay.frac;
    const std::size_t i = std::size_t(ax.lin), j = std::size_t(ay.lin);
    e.value = g.at(i, j) * (1 - x) * (1 - y) + g.at(i + 1, j) * x * (1 - y) + g.at(i, j + 1) * (1 - x) * y +
              g.at(i + 1, j + 1) * x * y;
  } else {
    const int nz = int(g.z.size());
    const Axis az = locate(g.z, u[2]);
    // along x first, over the ng x ng rows around (y, z); then 2-D over those
    const int ng = 2 * order - 2;
    const int by = window(ay.ind, ny, order), bz = window(az.ind, nz, order);
    double v[16 * 16], dv[16 * 16];
    for (int k = 0; k < ng; ++k)
      for (int j = 0; j < ng; ++j)
        enoX(g, order, std::size_t(bz + k) * std::size_t(ny) + std::size_t(by + j), ax.ind, ax.off, v[k * ng + j],
             dv[k * ng + j]);
    eno2([&](int k) { return v + k * ng; }, ng, ng, order, ay.ind - by, az.ind - bz, ay.off, az.off, f, fy, fz);
    double u1 = 0, u2 = 0;
    eno2([&](int k) { return dv + k * ng; }, ng, ng, order, ay.ind - by, az.ind - bz, ay.off, az.off, fx, u1, u2);
    const double x = ax.frac, y = ay.frac, z = az.frac;
    const std::size_t i = std::size_t(ax.lin), j = std::size_t(ay.lin), k = std::size_t(az.lin);
    e.value = g.at(i, j, k) * (1 - x) * (1 - y) * (1 - z) + g.at(i + 1, j, k) * x * (1 - y) * (1 - z) +
              g.at(i, j + 1, k) * (1 - x) * y * (1 - z) + g.at(i, j, k + 1) * (1 - x) * (1 - y) * z +
              g.at(i + 1, j, k + 1) * x * (1 - y) * z + g.at(i, j + 1, k + 1) * (1 - x) * y * z +
              g.at(i + 1, j + 1, k) * x * y * (1 - z) + g.at(i + 1, j + 1, k + 1) * x * y * z;
    e.d[2] = az.ramp * fz / az.h;
  }
  e.d[0] = ax.ramp * fx / ax.h;
  e.d[1] = ay.ramp * fy / ay.h;
  return e;
}

}  // namespace simcore::dev::table
