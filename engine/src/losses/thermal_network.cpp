#include "losses/thermal_network.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace simcore::losses {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// In-place Cholesky of the m x m row-major matrix a (lower triangle); false
// when it is not positive definite.
bool cholesky(std::vector<double>& a, std::size_t m) {
  for (std::size_t j = 0; j < m; ++j) {
    double d = a[j * m + j];
    for (std::size_t k = 0; k < j; ++k) d -= a[j * m + k] * a[j * m + k];
    if (!(d > 0)) return false;
    d = std::sqrt(d);
    a[j * m + j] = d;
    for (std::size_t i = j + 1; i < m; ++i) {
      double s = a[i * m + j];
      for (std::size_t k = 0; k < j; ++k) s -= a[i * m + k] * a[j * m + k];
      a[i * m + j] = s / d;
    }
    for (std::size_t k = j + 1; k < m; ++k) a[j * m + k] = 0;
  }
  return true;
}

// Cyclic Jacobi: a (symmetric, m x m) -> eigenvalues on its diagonal, v the eigenvectors (columns).
void jacobi(std::vector<double>& a, std::vector<double>& v, std::size_t m) {
  v.assign(m * m, 0.0);
  for (std::size_t i = 0; i < m; ++i) v[i * m + i] = 1;
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0, diag = 0;
    for (std::size_t i = 0; i < m; ++i) {
      diag += a[i * m + i] * a[i * m + i];
      for (std::size_t j = i + 1; j < m; ++j) off += a[i * m + j] * a[i * m + j];
    }
    if (off <= 1e-32 * diag || off == 0) break;
    for (std::size_t p = 0; p < m; ++p)
      for (std::size_t q = p + 1; q < m; ++q) {
        const double apq = a[p * m + q];
        if (apq == 0) continue;
        const double theta = (a[q * m + q] - a[p * m + p]) / (2 * apq);
        const double t = (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (std::size_t k = 0; k < m; ++k) {
          const double akp = a[k * m + p], akq = a[k * m + q];
          a[k * m + p] = c * akp - s * akq;
          a[k * m + q] = s * akp + c * akq;
        }
        for (std::size_t k = 0; k < m; ++k) {
          const double apk = a[p * m + k], aqk = a[q * m + k];
          a[p * m + k] = c * apk - s * aqk;
          a[q * m + k] = s * apk + c * aqk;
        }
        for (std::size_t k = 0; k < m; ++k) {
          const double vkp = v[k * m + p], vkq = v[k * m + q];
          v[k * m + p] = c * vkp - s * vkq;
          v[k * m + q] = s * vkp + c * vkq;
        }
      }
  }
}

}  // namespace

int ThermalNetwork::nodeOf(const std::string& name) {
  for (std::size_t k = 0; k < allNames_.size(); ++k)
    if (allNames_[k] == name) return int(k);
  allNames_.push_back(name);
  fixed_.push_back(kNaN);
  heat_.push_back(0.0);
  nodeLoc_.emplace_back();
  return int(allNames_.size()) - 1;
}

Result<ThermalNetwork> ThermalNetwork::build(const std::vector<ir::ThermalElement>& elements,
                                             const std::vector<Junction>& junctions, double ambient) {
  using K = ir::ThermalElement::Kind;
  ThermalNetwork N;
  N.nodeOf("0");
  N.fixed_[0] = ambient;
  std::unordered_map<std::string, int> index;
  auto node = [&](const std::string& name, const SourceLoc& loc, bool named) {
    auto it = index.find(name);
    if (it != index.end()) return it->second;
    const int k = N.nodeOf(name);
    index.emplace(name, k);
    N.nodeLoc_[std::size_t(k)] = loc;
    if (named && name != "0") {
      N.names_.push_back(name);
      N.namedNode_.push_back(k);
    }
    return k;
  };
  index.emplace("0", 0);
  // a chain from a to b: Foster cells R||C in series; Cauer: series R with C (tau/R) from each node before an R to node 0
  auto chain = [&](const ir::ThermalChain& ch, int a, int b, const std::string& prefix, const SourceLoc& loc) {
    int from = a;
    for (std::size_t k = 0; k < ch.r.size(); ++k) {
      const int to = k + 1 == ch.r.size() ? b : node(prefix + "#" + std::to_string(k + 1), loc, false);
      N.g_.push_back({from, to, 1.0 / ch.r[k]});
      if (ch.tau[k] > 0) {
        if (ch.kind == ir::ThermalChain::Kind::Foster) N.c_.push_back({from, to, ch.tau[k] / ch.r[k]});
        else N.c_.push_back({from, 0, ch.tau[k] / ch.r[k]});
      }
      from = to;
    }
  };
  for (const ir::ThermalElement& e : elements) {
    if (e.kind == K::Junction) continue;
    const int a = node(e.a, e.loc, true), b = node(e.b, e.loc, true);
    switch (e.kind) {
      case K::Resistance: N.g_.push_back({a, b, 1.0 / e.value}); break;
      case K::Capacitance: N.c_.push_back({a, b, e.value}); break;
      case K::HeatFlow:
        N.heat_[std::size_t(a)] += e.value;
        N.heat_[std::size_t(b)] -= e.value;
        break;
      case K::Temperature:
        if (a == 0) return makeError(ErrorCode::Semantic, "thermal element '" + e.name + "': node 0 is the ambient, held at .temp", e.loc);
        if (!std::isnan(N.fixed_[std::size_t(a)]))
          return makeError(ErrorCode::Semantic, "thermal element '" + e.name + "': node '" + e.a + "' is already held at a temperature", e.loc);
        N.fixed_[std::size_t(a)] = e.value;
        break;
      case K::Chain: chain(e.chain, a, b, e.name, e.loc); break;
      case K::Junction: break;
    }
  }
  for (const Junction& j : junctions) {
    const int b = node(j.node, j.loc, true);
    if (j.chain.empty()) {
      N.junctionNode_.push_back(b);
      continue;
    }
    const int jn = node(j.device + "#j", j.loc, false);
    N.junctionNode_.push_back(jn);
    chain(j.chain, jn, b, j.device + "#j", j.loc);
  }
  // free nodes
  N.free_.assign(N.allNames_.size(), -1);
  for (std::size_t k = 0; k < N.allNames_.size(); ++k)
    if (std::isnan(N.fixed_[k])) N.free_[k] = int(N.m_++);
  const std::size_t m = N.m_;
  std::vector<double> G(m * m, 0.0), C(m * m, 0.0);
  auto stamp = [&](std::vector<double>& M, const Stamp& s) {
    const int fa = N.free_[std::size_t(s.a)], fb = N.free_[std::size_t(s.b)];
    if (fa >= 0) M[std::size_t(fa) * m + std::size_t(fa)] += s.v;
    if (fb >= 0) M[std::size_t(fb) * m + std::size_t(fb)] += s.v;
    if (fa >= 0 && fb >= 0) {
      M[std::size_t(fa) * m + std::size_t(fb)] -= s.v;
      M[std::size_t(fb) * m + std::size_t(fa)] -= s.v;
    }
  };
  for (const Stamp& s : N.g_) stamp(G, s);
  for (const Stamp& s : N.c_) stamp(C, s);
  std::vector<double> L = G;
  if (!cholesky(L, m)) {
    // a free node with no resistive path to a held one: name the first such node
    std::vector<char> reach(N.allNames_.size(), 0);
    for (std::size_t k = 0; k < reach.size(); ++k) reach[k] = N.free_[k] < 0;
    for (bool grew = true; grew;) {
      grew = false;
      for (const Stamp& s : N.g_) {
        if (reach[std::size_t(s.a)] != reach[std::size_t(s.b)]) {
          reach[std::size_t(s.a)] = reach[std::size_t(s.b)] = 1;
          grew = true;
        }
      }
    }
    for (std::size_t k = 0; k < reach.size(); ++k)
      if (!reach[k])
        return makeError(ErrorCode::Semantic,
                         "thermal node '" + N.allNames_[k] +
                             "' has no path through thermal resistances (R, Z or a junction chain) to the ambient (node 0) "
                             "or a fixed temperature (T), so its temperature is undefined",
                         N.nodeLoc_[k]);
    return makeError(ErrorCode::Semantic, "the thermal network's conductance matrix is singular", SourceLoc{});
  }
  // Linv = L⁻¹ (lower triangular), M = Linv C Linvᵀ
  std::vector<double> Linv(m * m, 0.0);
  for (std::size_t c = 0; c < m; ++c) {
    for (std::size_t i = 0; i < m; ++i) {
      double s = i == c ? 1.0 : 0.0;
      for (std::size_t k = 0; k < i; ++k) s -= L[i * m + k] * Linv[k * m + c];
      Linv[i * m + c] = s / L[i * m + i];
    }
  }
  std::vector<double> T1(m * m, 0.0), M(m * m, 0.0);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < m; ++j) {
      double s = 0;
      for (std::size_t k = 0; k < m; ++k) s += Linv[i * m + k] * C[k * m + j];
      T1[i * m + j] = s;
    }
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < m; ++j) {
      double s = 0;
      for (std::size_t k = 0; k < m; ++k) s += T1[i * m + k] * Linv[j * m + k];
      M[i * m + j] = s;
    }
  std::vector<double> Q;
  jacobi(M, Q, m);
  N.lambda_.resize(m);
  double lmax = 0;
  for (std::size_t i = 0; i < m; ++i) lmax = std::max(lmax, M[i * m + i]);
  for (std::size_t i = 0; i < m; ++i) {
    const double l = M[i * m + i];
    N.lambda_[i] = l > 1e-13 * lmax ? l : 0.0;
  }
  // load = Qᵀ Linv (heat flows -> mode targets), fromModes = Linvᵀ Q (modes -> temperatures)
  N.load_.assign(m * m, 0.0);
  N.fromModes_.assign(m * m, 0.0);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < m; ++j) {
      double a = 0, b = 0;
      for (std::size_t k = 0; k < m; ++k) {
        a += Q[k * m + i] * Linv[k * m + j];
        b += Linv[k * m + i] * Q[k * m + j];
      }
      N.load_[i * m + j] = a;
      N.fromModes_[i * m + j] = b;
    }
  N.x_.assign(m, ambient);
  N.z_.assign(m, 0.0);
  N.w_.assign(m, 0.0);
  N.reset();
  return N;
}

std::vector<double> ThermalNetwork::sources(const std::vector<double>* p) const {
  std::vector<double> u(m_, 0.0);
  for (std::size_t k = 0; k < allNames_.size(); ++k)
    if (free_[k] >= 0) u[std::size_t(free_[k])] += heat_[k];
  for (const Stamp& s : g_) {
    const int fa = free_[std::size_t(s.a)], fb = free_[std::size_t(s.b)];
    if (fa >= 0 && fb < 0) u[std::size_t(fa)] += s.v * fixed_[std::size_t(s.b)];
    if (fb >= 0 && fa < 0) u[std::size_t(fb)] += s.v * fixed_[std::size_t(s.a)];
  }
  if (p)
    for (std::size_t j = 0; j < junctionNode_.size() && j < p->size(); ++j) {
      const int f = free_[std::size_t(junctionNode_[j])];
      if (f >= 0) u[std::size_t(f)] += (*p)[j];
    }
  return u;
}

void ThermalNetwork::reset() {
  const std::vector<double> u = sources(nullptr);
  const std::size_t m = m_;
  for (std::size_t i = 0; i < m; ++i) {
    double s = 0;
    for (std::size_t k = 0; k < m; ++k) s += load_[i * m + k] * u[k];
    z_[i] = s;
  }
  for (std::size_t i = 0; i < m; ++i) {
    double s = 0;
    for (std::size_t k = 0; k < m; ++k) s += fromModes_[i * m + k] * z_[k];
    x_[i] = s;
  }
}

void ThermalNetwork::settle(const std::vector<double>& p) { step(1e300, p); }

void ThermalNetwork::step(double h, const std::vector<double>& p) {
  const std::vector<double> u = sources(&p);
  const std::size_t m = m_;
  for (std::size_t i = 0; i < m; ++i) {
    double s = 0;
    for (std::size_t k = 0; k < m; ++k) s += load_[i * m + k] * u[k];
    w_[i] = s;
  }
  for (std::size_t i = 0; i < m; ++i)
    z_[i] = lambda_[i] > 0 ? w_[i] + (z_[i] - w_[i]) * std::exp(-h / lambda_[i]) : w_[i];
  for (std::size_t i = 0; i < m; ++i) {
    double s = 0;
    for (std::size_t k = 0; k < m; ++k) s += fromModes_[i * m + k] * z_[k];
    x_[i] = s;
  }
}

double ThermalNetwork::slowest() const {
  double l = 0;
  for (double v : lambda_) l = std::max(l, v);
  return l;
}

double ThermalNetwork::fastest() const {
  double l = 0;
  for (double v : lambda_)
    if (v > 0) l = l > 0 ? std::min(l, v) : v;
  return l;
}

}  // namespace simcore::losses
