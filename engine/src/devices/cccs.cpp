// F: current-controlled current source; gain * i(Vctl) flows from out+ through
// the source to out-. The controlling device must carry a branch current
// (V, L, E, H).
#include "devices/common.hpp"

namespace simcore::dev {
namespace {

class Cccs final : public GroupBase {
 public:
  using GroupBase::GroupBase;

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    op_.resize(n); om_.resize(n); bc_.resize(n); k_.resize(n); p_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      if (d.refs.size() != 1 || !d.value)
        return deviceError(d, "current-controlled current source '" + d.name + "' needs a controlling source name and a gain");
      k_[i] = *d.value * values(d).inst("m");
      op_[i] = ctx.node(d.nodes[0]); om_[i] = ctx.node(d.nodes[1]);
    }
    return {};
  }

  Status resolve(SetupContext& ctx) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      bc_[i] = ctx.branchOf(d.refs[0]);
      if (bc_[i] <= 0)
        return deviceError(d, "current-controlled current source '" + d.name + "': controlling source '" + d.refs[0] +
                                  (bc_[i] < 0 ? "' does not exist" : "' carries no branch current (use a voltage source)"));
    }
    return {};
  }

  void pattern(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) p_[i] = {b.entry(op_[i], bc_[i]), b.entry(om_[i], bc_[i])};
  }

  void load(LoadContext& c) override {
    if (c.mode == AnalysisMode::TranInit) return;
    for (std::size_t i = 0, n = inst_.size(); i < n; ++i) {
      const double cur = k_[i] * c.x[bc_[i]];
      if (c.stampMatrix) { c.A[p_[i][0]] += k_[i]; c.A[p_[i][1]] -= k_[i]; }
      c.f[op_[i]] += cur; c.f[om_[i]] -= cur;
    }
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) { c.A[p_[i][0]] += k_[i]; c.A[p_[i][1]] -= k_[i]; }
  }

  void dcPaths(std::vector<std::pair<Index, Index>>&) const override {}

 private:
  std::vector<Index> op_, om_, bc_;
  std::vector<double> k_;
  std::vector<std::array<Pos, 2>> p_;
};

constexpr ParamSpec kParams[] = {kMultParam};

}  // namespace

extern const DeviceKind kCccsKind;
constexpr DeviceKind kCccsKind{
    .letter = 'f', .name = "current-controlled current source", .form = CardForm::Controlled,
    .minNodes = 2, .maxNodes = 2, .refs = 1, .refLetter = 'v', .params = kParams,
    .valueDoc = "Fname out+ out- Vcontrol gain [m=M]", .create = makeGroup<Cccs, kCccsKind>};

}  // namespace simcore::dev
