// R: linear resistor with temperature coefficients.
//   R(T) = R * (1 + tc1*(T - Tnom) + tc2*(T - Tnom)^2), m parallel copies.
#include <cmath>

#include "devices/common.hpp"

namespace simcore::dev {
namespace {

class Resistors final : public GroupBase {
 public:
  using GroupBase::GroupBase;
  std::string_view kindName() const override { return "resistor"; }

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    a_.resize(n); b_.resize(n); g_.resize(n); p_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = requireNodes(d, 2, "resistor"); !s) return s;
      if (auto s = checkParams(d, {"r", "tc1", "tc2", "m", "temp", "dtemp"}, "resistor"); !s) return s;
      double r = d.value ? *d.value : param(d, "r", NAN);
      if (std::isnan(r)) return deviceError(d, "resistor '" + d.name + "' needs a resistance value");
      double temp = param(d, "temp", ctx.options().temp) + param(d, "dtemp", 0.0);
      double dt = temp - ctx.options().tnom;
      r *= 1.0 + param(d, "tc1", 0.0) * dt + param(d, "tc2", 0.0) * dt * dt;
      double m = param(d, "m", 1.0);
      if (r == 0.0 || !std::isfinite(r))
        return deviceError(d, "resistor '" + d.name + "' has resistance " + std::to_string(r) + "; it must be finite and non-zero");
      if (m <= 0) return deviceError(d, "resistor '" + d.name + "': m must be positive");
      g_[i] = m / r;
      a_[i] = ctx.node(d.nodes[0]);
      b_[i] = ctx.node(d.nodes[1]);
    }
    return {};
  }

  void pattern(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) p_[i].bind(b, a_[i], b_[i]);
  }

  void load(LoadContext& c) override {
    if (c.mode == AnalysisMode::TranInit) return;
    const double* x = c.x;
    double* f = c.f;
    const std::size_t n = inst_.size();
    if (!c.stampMatrix) {
      for (std::size_t i = 0; i < n; ++i) {
        const double cur = g_[i] * (x[a_[i]] - x[b_[i]]);
        f[a_[i]] += cur;
        f[b_[i]] -= cur;
      }
      return;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const double g = g_[i];
      c.conductance(p_[i], a_[i], b_[i], g, g * (x[a_[i]] - x[b_[i]]));
    }
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) c.admittance(p_[i], g_[i]);
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) out.emplace_back(a_[i], b_[i]);
  }

 private:
  std::vector<Index> a_, b_;
  std::vector<double> g_;
  std::vector<Quad> p_;
};

}  // namespace

std::unique_ptr<DeviceGroup> createResistors(std::vector<const ir::Device*> inst) {
  return std::make_unique<Resistors>(std::move(inst));
}

}  // namespace simcore::dev
