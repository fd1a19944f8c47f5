// H: current-controlled voltage source, v(out+,out-) = r * i(Vctl).
#include "devices/common.hpp"

namespace simcore::dev {
namespace {

class Ccvs final : public GroupBase {
 public:
  using GroupBase::GroupBase;

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    op_.resize(n); om_.resize(n); bc_.resize(n); br_.resize(n); k_.resize(n); p_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      if (d.refs.size() != 1 || !d.value)
        return deviceError(d, "current-controlled voltage source '" + d.name + "' needs a controlling source name and a transresistance");
      k_[i] = *d.value;
      op_[i] = ctx.node(d.nodes[0]); om_[i] = ctx.node(d.nodes[1]);
      br_[i] = ctx.addBranch(d);
    }
    return {};
  }

  Status resolve(SetupContext& ctx) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      bc_[i] = ctx.branchOf(d.refs[0]);
      if (bc_[i] <= 0)
        return deviceError(d, "current-controlled voltage source '" + d.name + "': controlling source '" + d.refs[0] +
                                  (bc_[i] < 0 ? "' does not exist" : "' carries no branch current (use a voltage source)"));
    }
    return {};
  }

  void pattern(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      Index r = br_[i];
      p_[i] = {b.entry(op_[i], r), b.entry(om_[i], r), b.entry(r, op_[i]), b.entry(r, om_[i]), b.entry(r, bc_[i])};
    }
  }

  void load(LoadContext& c) override {
    if (c.mode == AnalysisMode::TranInit) return;
    const double* x = c.x;
    for (std::size_t i = 0, n = inst_.size(); i < n; ++i) {
      const auto& p = p_[i];
      const Index r = br_[i];
      if (c.stampMatrix) {
        c.A[p[0]] += 1.0; c.A[p[1]] -= 1.0; c.A[p[2]] += 1.0; c.A[p[3]] -= 1.0; c.A[p[4]] -= k_[i];
      }
      c.f[op_[i]] += x[r]; c.f[om_[i]] -= x[r];
      c.f[r] += x[op_[i]] - x[om_[i]] - k_[i] * x[bc_[i]];
    }
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const auto& p = p_[i];
      c.A[p[0]] += 1.0; c.A[p[1]] -= 1.0; c.A[p[2]] += 1.0; c.A[p[3]] -= 1.0; c.A[p[4]] -= k_[i];
    }
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) out.emplace_back(op_[i], om_[i]);
  }
  void voltageEdges(std::vector<std::pair<Index, Index>>& out, std::vector<int>& idx) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) { out.emplace_back(op_[i], om_[i]); idx.push_back(int(i)); }
  }

 private:
  std::vector<Index> op_, om_, bc_, br_;
  std::vector<double> k_;
  std::vector<std::array<Pos, 5>> p_;
};

}  // namespace

extern const DeviceKind kCcvsKind;
constexpr DeviceKind kCcvsKind{
    .letter = 'h', .name = "current-controlled voltage source", .form = CardForm::Controlled,
    .minNodes = 2, .maxNodes = 2, .branches = 1, .refs = 1, .refLetter = 'v',
    .valueDoc = "Hname out+ out- Vcontrol transresistance", .create = makeGroup<Ccvs, kCcvsKind>};

}  // namespace simcore::dev
