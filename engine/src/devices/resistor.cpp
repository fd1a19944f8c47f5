// R: linear resistor with temperature coefficients.
//   R(T) = R * (1 + tc1*(T - Tnom) + tc2*(T - Tnom)^2), m parallel copies.
#include <cmath>

#include "devices/common.hpp"

namespace simcore::dev {
namespace {

class Resistors final : public GroupBase {
 public:
  using GroupBase::GroupBase;

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    a_.resize(n); b_.resize(n); g_.resize(n); p_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      const ParamValues P = values(d);
      double r = d.value ? *d.value : P.inst("r");
      if (std::isnan(r)) return deviceError(d, "resistor '" + d.name + "' needs a resistance value");
      double temp = P.inst("temp", ctx.options().temp) + P.inst("dtemp");
      double dt = temp - ctx.options().tnom;
      r *= 1.0 + P.inst("tc1") * dt + P.inst("tc2") * dt * dt;
      double m = P.inst("m");
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
    if (recordsOnly(c.mode)) return;
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

constexpr const char* kTypes[] = {"r"};
constexpr ParamSpec kParams[] = {
    iparam("r", kNoDefault, "Ω", "resistance (instead of the positional value)").shown("required"),
    kTc1Param, kTc2Param,
    kMultParam, kTempParam, kDtempParam,
};

}  // namespace

extern const DeviceKind kResistorKind;
constexpr DeviceKind kResistorKind{
    .letter = 'r', .name = "resistor", .form = CardForm::TwoTerminal, .modelTypes = kTypes, .params = kParams,
    .valueDoc = "Rname n+ n- [value] [model] [name=value ...]", .create = makeGroup<Resistors, kResistorKind>};

}  // namespace simcore::dev
