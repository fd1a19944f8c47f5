// H: current-controlled voltage source, v(out+,out-) = r * i(Vctl).
#include "devices/controlled.hpp"

namespace simcore::dev {
namespace {

class Ccvs final : public ControlledGroup {
 public:
  Ccvs(const DeviceKind& kind, std::vector<const ir::Device*> inst) : ControlledGroup(kind, std::move(inst), "transresistance") {}

  void pattern(PatternBuilder& b) override {
    p_.resize(inst_.size());
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

 private:
  std::vector<std::array<Pos, 5>> p_;
};

}  // namespace

extern const DeviceKind kCcvsKind;
constexpr DeviceKind kCcvsKind{
    .letter = 'h', .name = "current-controlled voltage source", .form = CardForm::Controlled,
    .minNodes = 2, .maxNodes = 2, .branches = 1, .refs = 1, .refLetter = 'v',
    .valueDoc = "Hname out+ out- Vcontrol transresistance", .create = makeGroup<Ccvs, kCcvsKind>};

}  // namespace simcore::dev
