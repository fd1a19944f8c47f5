// C: linear capacitor. Charge q = C*v is handed to the integrator; at DC it
// carries no current. ic= is used with .tran ... uic.
#include <cmath>

#include "devices/common.hpp"

namespace simcore::dev {
namespace {

class Capacitors final : public GroupBase {
 public:
  using GroupBase::GroupBase;
  std::string_view kindName() const override { return "capacitor"; }

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    a_.resize(n); b_.resize(n); c_.resize(n); p_.resize(n); s_.resize(n); ic_.assign(n, NAN);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = requireNodes(d, 2, "capacitor"); !s) return s;
      if (auto s = checkParams(d, {"c", "ic", "m", "tc1", "tc2", "temp", "dtemp"}, "capacitor"); !s) return s;
      double cap = d.value ? *d.value : param(d, "c", NAN);
      if (std::isnan(cap)) return deviceError(d, "capacitor '" + d.name + "' needs a capacitance value");
      double temp = param(d, "temp", ctx.options().temp) + param(d, "dtemp", 0.0);
      double dt = temp - ctx.options().tnom;
      cap *= (1.0 + param(d, "tc1", 0.0) * dt + param(d, "tc2", 0.0) * dt * dt) * param(d, "m", 1.0);
      if (!std::isfinite(cap)) return deviceError(d, "capacitor '" + d.name + "' has a non-finite capacitance");
      c_[i] = cap;
      if (hasParam(d, "ic")) ic_[i] = param(d, "ic", 0.0);
      a_[i] = ctx.node(d.nodes[0]);
      b_[i] = ctx.node(d.nodes[1]);
      s_[i] = ctx.addStates(1);
    }
    return {};
  }

  void pattern(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) p_[i].bind(b, a_[i], b_[i]);
  }

  void load(LoadContext& c) override {
    const double* x = c.x;
    const std::size_t n = inst_.size();
    if (c.mode == AnalysisMode::TranInit) {
      for (std::size_t i = 0; i < n; ++i) {
        double v = (c.uic && !std::isnan(ic_[i])) ? ic_[i] : x[a_[i]] - x[b_[i]];
        c.charge(s_[i], c_[i] * v);
      }
      return;
    }
    if (c.mode == AnalysisMode::DcOp) {
      for (std::size_t i = 0; i < n; ++i) c.charge(s_[i], c_[i] * (x[a_[i]] - x[b_[i]]));
      return;
    }
    const double ag0 = c.ag0;
    if (!c.stampMatrix) {
      for (std::size_t i = 0; i < n; ++i) {
        const double cur = c.charge(s_[i], c_[i] * (x[a_[i]] - x[b_[i]]));
        c.f[a_[i]] += cur;
        c.f[b_[i]] -= cur;
      }
      return;
    }
    for (std::size_t i = 0; i < n; ++i) {
      double cur = c.charge(s_[i], c_[i] * (x[a_[i]] - x[b_[i]]));
      c.conductance(p_[i], a_[i], b_[i], ag0 * c_[i], cur);
    }
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) c.admittance(p_[i], std::complex<double>(0.0, c.omega * c_[i]));
  }

  void dcPaths(std::vector<std::pair<Index, Index>>&) const override {}

 private:
  std::vector<Index> a_, b_;
  std::vector<double> c_, ic_;
  std::vector<int> s_;
  std::vector<Quad> p_;
};

}  // namespace

std::unique_ptr<DeviceGroup> createCapacitors(std::vector<const ir::Device*> inst) {
  return std::make_unique<Capacitors>(std::move(inst));
}

}  // namespace simcore::dev
