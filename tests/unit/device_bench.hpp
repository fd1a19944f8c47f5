// A bench for unit tests of one device group: a hand-made circuit of one
// kind (chosen like the simulator does, by the model's type), its own matrix
// and state arrays, loads in any mode, the Jacobian against central finite
// differences and charge conservation over a period.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "devices/context.hpp"
#include "devices/device.hpp"
#include "solver/sparse.hpp"

namespace simcore::devbench {

inline constexpr double kVt300 = 1.38064852e-23 / 1.6021766208e-19 * 300.15;  // ngspice's vt at 27 degC

// A SetupContext over a hand-made circuit.
struct TestSetup : dev::SetupContext {
  ir::Circuit circ;
  dev::TranHints hints;
  std::map<std::string, dev::Index> nodes;
  std::map<std::string, dev::Index> branches;
  int unknowns = 0;
  int states = 0;

  const ir::Circuit& circuit() const override { return circ; }
  const ir::Options& options() const override { return circ.options; }
  const dev::TranHints& tranHints() const override { return hints; }
  dev::Index node(std::string_view name) override {
    if (name == "0") return 0;
    auto it = nodes.find(std::string(name));
    if (it != nodes.end()) return it->second;
    return nodes[std::string(name)] = ++unknowns;
  }
  dev::Index addBranch(const ir::Device& owner) override { return branches[owner.name] = ++unknowns; }
  dev::Index addInternalNode(const ir::Device& owner, std::string_view suffix) override {
    return nodes[owner.name + "#" + std::string(suffix)] = ++unknowns;
  }
  int addStates(int count) override {
    int s = states;
    states += count;
    return s;
  }
  dev::Index branchOf(std::string_view name) const override {
    auto it = branches.find(std::string(name));
    if (it != branches.end()) return it->second;
    return findDevice(name) ? 0 : -1;
  }
  const ir::Device* findDevice(std::string_view name) const override {
    for (const auto& d : circ.devices)
      if (d.name == name) return &d;
    return nullptr;
  }
};

inline ir::Model model(std::string name, std::string type, std::vector<std::pair<std::string, double>> ps) {
  ir::Model m;
  m.name = std::move(name);
  m.type = std::move(type);
  for (auto& [k, v] : ps) m.params.push_back(ir::Param{k, v, {}});
  return m;
}

inline ir::Device device(std::string name, std::vector<std::string> nodes, int modelIdx,
                  std::vector<std::pair<std::string, double>> ps = {}) {
  ir::Device d;
  d.name = name;
  d.letter = name[0];
  d.nodes = std::move(nodes);
  d.model = modelIdx;
  for (auto& [k, v] : ps) d.params.push_back(ir::Param{k, v, {}});
  return d;
}

// One device group over a circuit of that kind, with its own matrix and state arrays.
struct Bench {
  TestSetup setup;
  std::unique_ptr<dev::DeviceGroup> group;
  std::unique_ptr<solver::SparsePattern> pattern;
  std::vector<double> A, f, q, iq, hist;
  Status status;
  // The group's kind; null: chosen as the simulator chooses (dev::kindOf, by the model's type and level).
  const dev::DeviceKind* kind = nullptr;

  // Devices must all be of one kind; `extraBranches` are V sources owning a branch (for W).
  Status build(std::vector<std::string> extraBranches = {}) {
    for (const auto& name : extraBranches) {
      ir::Device v;
      v.name = name;
      v.letter = 'v';
      setup.addBranch(v);
    }
    std::vector<const ir::Device*> ptrs;
    for (const auto& d : setup.circ.devices) ptrs.push_back(&d);
    if (!kind) kind = dev::kindOf(*ptrs.front(), setup.circ.models);
    if (!kind) return makeError(ErrorCode::Internal, "no kind");
    group = kind->create(ptrs);
    if (auto s = group->setup(setup); !s) return s;
    if (auto s = group->resolve(setup); !s) return s;
    pattern = std::make_unique<solver::SparsePattern>(setup.unknowns);
    dev::PatternBuilder pb(*pattern);
    group->pattern(pb);
    pattern->finalize();
    group->pattern(pb);
    A.assign(pattern->nnz() + 1, 0.0);
    f.assign(setup.unknowns + 1, 0.0);
    q.assign(std::max(setup.states, 1), 0.0);
    iq = q;
    hist.assign(q.size(), 0.0);
    return {};
  }
  int n() const { return setup.unknowns; }
  dev::Index node(const std::string& name) { return setup.nodes.at(name); }

  // One load; returns noncon.
  int load(const std::vector<double>& x, dev::AnalysisMode mode = dev::AnalysisMode::DcOp, double ag0 = 0,
           bool initJ = false, bool uic = false) {
    std::fill(A.begin(), A.end(), 0.0);
    std::fill(f.begin(), f.end(), 0.0);
    dev::LoadContext c;
    c.mode = mode;
    c.x = x.data();
    c.A = A.data();
    c.f = f.data();
    c.ag0 = ag0;
    c.hist = hist.data();
    c.q = q.data();
    c.iq = iq.data();
    c.gmin = setup.circ.options.gmin;
    c.options = &setup.circ.options;
    c.initJunctions = initJ;
    c.uic = uic;
    group->load(c);
    return c.noncon;
  }
  // Dense Jacobian entry (row, col) of the last load (unknowns 1..n).
  double J(int r, int c) const {
    const auto& cp = pattern->colPtr();
    const auto& ri = pattern->rowIdx();
    for (int k = cp[c - 1]; k < cp[c]; ++k)
      if (ri[k] + 1 == r) return A[k];
    return 0.0;
  }
};

// Residual at x after loads that walk the limiting history to x (limiting
// moves the junction voltage a bounded amount per load), so that the last load
// is not limited.
inline std::vector<double> residual(Bench& b, const std::vector<double>& x, dev::AnalysisMode mode, double ag0) {
  for (int k = 0; k < 200 && b.load(x, dev::AnalysisMode::DcOp) != 0; ++k) {
  }
  int noncon = b.load(x, mode, ag0);
  EXPECT_EQ(noncon, 0);
  return b.f;
}

// Compares the Jacobian at x with central differences of f. Returns the worst
// error relative to the tolerance (<= 1 passes).
inline double checkJacobian(Bench& b, const std::vector<double>& x, dev::AnalysisMode mode = dev::AnalysisMode::DcOp,
                     double ag0 = 0, const std::string& what = "") {
  const int n = b.n();
  residual(b, x, mode, ag0);
  std::vector<std::vector<double>> Jd(n + 1, std::vector<double>(n + 1));
  double jmax = 0;
  for (int r = 1; r <= n; ++r)
    for (int c = 1; c <= n; ++c) { Jd[r][c] = b.J(r, c); jmax = std::max(jmax, std::fabs(Jd[r][c])); }
  double worst = 0;
  for (int c = 1; c <= n; ++c) {
    const double h = 1e-6 * std::max(1.0, std::fabs(x[c]));
    auto xp = x, xm = x;
    xp[c] += h;
    xm[c] -= h;
    const auto fp = residual(b, xp, mode, ag0);
    const auto fm = residual(b, xm, mode, ag0);
    for (int r = 1; r <= n; ++r) {
      const double fd = (fp[r] - fm[r]) / (2 * h);
      const double tol = 1e-5 * std::max(std::fabs(fd), std::fabs(Jd[r][c])) + 1e-9 * jmax + 1e-13;
      const double ratio = std::fabs(fd - Jd[r][c]) / tol;
      if (ratio > 1)
        ADD_FAILURE() << what << ": dF" << r << "/dx" << c << " analytic " << Jd[r][c] << " finite-difference " << fd;
      worst = std::max(worst, ratio);
    }
  }
  return worst;
}

// Drives every unknown with x(t) = x0 + amp*sin(2 pi t/T + phase) over one period
// with backward Euler; returns max over nodes of |sum i*h| / sum |i|*h of the
// charge currents (transient residual minus DC residual).
inline double chargeImbalance(Bench& b, const std::vector<double>& x0, const std::vector<double>& amp,
                       const std::vector<double>& phase, int steps) {
  const int n = b.n();
  const double T = 1e-6, h = T / steps;
  auto at = [&](int k) {
    std::vector<double> x(n + 1, 0.0);
    for (int u = 1; u <= n; ++u) x[u] = x0[u] + amp[u] * std::sin(2 * M_PI * k / steps + phase[u]);
    return x;
  };
  // initial point
  auto x = at(0);
  b.load(x, dev::AnalysisMode::DcOp);
  b.load(x, dev::AnalysisMode::TranInit);
  b.group->accept(x.data(), 0.0);
  std::vector<double> qprev = b.q, sum(n + 1, 0.0), sumAbs(n + 1, 0.0);
  for (int k = 1; k <= steps; ++k) {
    x = at(k);
    std::fill(b.hist.begin(), b.hist.end(), 0.0);  // DC: no charge currents
    b.load(x, dev::AnalysisMode::DcOp);             // resistive part (also sets the limiting history)
    const auto fdc = b.f;
    for (std::size_t s = 0; s < b.hist.size(); ++s) b.hist[s] = -qprev[s] / h;  // backward Euler
    EXPECT_EQ(b.load(x, dev::AnalysisMode::Tran, 1.0 / h), 0);
    for (int u = 1; u <= n; ++u) {
      const double i = b.f[u] - fdc[u];
      sum[u] += i * h;
      sumAbs[u] += std::fabs(i) * h;
    }
    qprev = b.q;
    b.group->accept(x.data(), k * h);
  }
  double worst = 0;
  for (int u = 1; u <= n; ++u)
    if (sumAbs[u] > 0) worst = std::max(worst, std::fabs(sum[u]) / sumAbs[u]);
  return worst;
}

// One Z device z1 (nodes d g s) of model zm of this type: MESA (nmf) and HFET
// (nhfet, phfet) benches; l and w 1 um x 20 um unless given.
inline Bench zBench(std::vector<std::pair<std::string, double>> mp, std::vector<std::pair<std::string, double>> ip,
                    const std::string& type) {
  Bench b;
  b.setup.circ.models.push_back(model("zm", type, std::move(mp)));
  b.setup.circ.devices.push_back(device("z1", {"d", "g", "s"}, 0, std::move(ip)));
  b.status = b.build();
  return b;
}

inline std::vector<double> vec(int n, std::map<int, double> vals) {
  std::vector<double> x(n + 1, 0.0);
  for (auto [k, v] : vals) x[k] = v;
  return x;
}

}  // namespace simcore::devbench
