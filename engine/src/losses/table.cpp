#include "losses/table.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace simcore::losses {
namespace {

// Position of x on axis a: the segment's lower index and the weight of its
// upper point (outside: extrapolated weight, or clamped when clamp is set).
struct Pos {
  std::size_t k = 0;
  double w = 0;
};

Pos locate(const std::vector<double>& a, double x, bool clamp) {
  const std::size_t n = a.size();
  if (n < 2) return {0, 0.0};
  std::size_t k;
  if (x <= a[0]) k = 0;
  else if (x >= a[n - 1]) k = n - 2;
  else k = std::size_t(std::upper_bound(a.begin(), a.end(), x) - a.begin()) - 1;
  double w = (x - a[k]) / (a[k + 1] - a[k]);
  if (clamp) w = std::clamp(w, 0.0, 1.0);
  return {k, w};
}

std::string axisProblem(const std::vector<double>& a, const char* name) {
  if (a.empty()) return std::string("the ") + name + " axis is empty";
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (!std::isfinite(a[k])) return std::string("the ") + name + " axis has a value that is not finite";
    if (k > 0 && !(a[k] > a[k - 1])) return std::string("the ") + name + " axis is not strictly ascending";
  }
  return {};
}

}  // namespace

std::string checkTable(const ir::LossTable& t) {
  if (auto p = axisProblem(t.current, "current"); !p.empty()) return p;
  if (auto p = axisProblem(t.voltage, "voltage"); !p.empty()) return p;
  if (auto p = axisProblem(t.temperature, "temperature"); !p.empty()) return p;
  const std::size_t n = t.current.size() * t.voltage.size() * t.temperature.size();
  if (t.values.size() != n)
    return "the table has " + std::to_string(t.values.size()) + " values, but its axes (" +
           std::to_string(t.current.size()) + " x " + std::to_string(t.voltage.size()) + " x " +
           std::to_string(t.temperature.size()) + ") need " + std::to_string(n);
  for (double v : t.values)
    if (!std::isfinite(v)) return "the table has a value that is not finite";
  return {};
}

double evaluate(const ir::LossTable& t, double current, double voltage, double temperature) {
  if (t.values.empty()) return 0.0;
  const std::size_t ni = t.current.size(), nv = t.voltage.size();
  const Pos pi = locate(t.current, current, false);
  const Pos pv = locate(t.voltage, voltage, false);
  const Pos pt = locate(t.temperature, temperature, true);
  auto at = [&](std::size_t it, std::size_t iv, std::size_t ii) { return t.values[(it * nv + iv) * ni + ii]; };
  const bool hi = ni > 1, hv = nv > 1, ht = t.temperature.size() > 1;
  double sum = 0;
  for (int dt = 0; dt <= (ht ? 1 : 0); ++dt) {
    const double wt = ht ? (dt ? pt.w : 1.0 - pt.w) : 1.0;
    for (int dv = 0; dv <= (hv ? 1 : 0); ++dv) {
      const double wv = hv ? (dv ? pv.w : 1.0 - pv.w) : 1.0;
      for (int di = 0; di <= (hi ? 1 : 0); ++di) {
        const double wi = hi ? (di ? pi.w : 1.0 - pi.w) : 1.0;
        sum += wt * wv * wi * at(pt.k + std::size_t(dt), pv.k + std::size_t(dv), pi.k + std::size_t(di));
      }
    }
  }
  return sum;
}

}  // namespace simcore::losses
