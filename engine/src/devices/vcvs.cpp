// E: voltage-controlled voltage source, v(out+,out-) = gain * v(ctl+,ctl-).
#include "devices/controlled.hpp"

namespace simcore::dev {
namespace {

class Vcvs final : public ControlledGroup {
 public:
  Vcvs(const DeviceKind& kind, std::vector<const ir::Device*> inst) : ControlledGroup(kind, std::move(inst), "gain") {}

  void pattern(PatternBuilder& b) override {
    p_.resize(inst_.size());
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      Index r = br_[i];
      p_[i] = {b.entry(op_[i], r), b.entry(om_[i], r), b.entry(r, op_[i]), b.entry(r, om_[i]),
               b.entry(r, cp_[i]), b.entry(r, cm_[i])};
    }
  }

  void load(LoadContext& c) override {
    if (c.mode == AnalysisMode::TranInit) return;
    const double* x = c.x;
    for (std::size_t i = 0, n = inst_.size(); i < n; ++i) {
      const auto& p = p_[i];
      const Index r = br_[i];
      if (c.stampMatrix) {
        c.A[p[0]] += 1.0; c.A[p[1]] -= 1.0; c.A[p[2]] += 1.0; c.A[p[3]] -= 1.0;
        c.A[p[4]] -= k_[i]; c.A[p[5]] += k_[i];
      }
      c.f[op_[i]] += x[r]; c.f[om_[i]] -= x[r];
      c.f[r] += x[op_[i]] - x[om_[i]] - k_[i] * (x[cp_[i]] - x[cm_[i]]);
    }
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const auto& p = p_[i];
      c.A[p[0]] += 1.0; c.A[p[1]] -= 1.0; c.A[p[2]] += 1.0; c.A[p[3]] -= 1.0;
      c.A[p[4]] -= k_[i]; c.A[p[5]] += k_[i];
    }
  }

 private:
  std::vector<std::array<Pos, 6>> p_;
};

}  // namespace

extern const DeviceKind kVcvsKind;
constexpr DeviceKind kVcvsKind{
    .letter = 'e', .name = "voltage-controlled voltage source", .form = CardForm::Controlled,
    .minNodes = 4, .maxNodes = 4, .branches = 1,
    .valueDoc = "Ename out+ out- ctl+ ctl- gain", .create = makeGroup<Vcvs, kVcvsKind>};

}  // namespace simcore::dev
