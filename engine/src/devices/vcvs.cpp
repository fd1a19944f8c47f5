// E: voltage-controlled voltage source, v(out+,out-) = gain * v(ctl+,ctl-).
#include "devices/controlled.hpp"

namespace simcore::dev {
namespace {

class Vcvs final : public ControlledGroup {
 public:
  Vcvs(const DeviceKind& kind, std::vector<const ir::Device*> inst) : ControlledGroup(kind, std::move(inst), "gain") {}

  void pattern(PatternBuilder& b) override {
    pq_.resize(inst_.size()); pc_.resize(inst_.size());
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const Index r = br_[i];
      pq_[i].bind(b, op_[i], om_[i], r);
      pc_[i] = {b.entry(r, cp_[i]), b.entry(r, cm_[i])};
    }
  }

  void load(LoadContext& c) override {
    if (recordsOnly(c.mode)) return;
    const double* x = c.x;
    for (std::size_t i = 0, n = inst_.size(); i < n; ++i) {
      const Index r = br_[i];
      if (c.stampMatrix) {
        pq_[i].stamp(c.A);
        c.A[pc_[i][0]] -= k_[i]; c.A[pc_[i][1]] += k_[i];
      }
      c.f[op_[i]] += x[r]; c.f[om_[i]] -= x[r];
      c.f[r] += x[op_[i]] - x[om_[i]] - k_[i] * (x[cp_[i]] - x[cm_[i]]);
    }
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      pq_[i].stamp(c.A);
      c.A[pc_[i][0]] -= k_[i]; c.A[pc_[i][1]] += k_[i];
    }
  }

 private:
  std::vector<BranchQuad> pq_;           // output branch
  std::vector<std::array<Pos, 2>> pc_;  // branch row x control nodes
};

}  // namespace

extern const DeviceKind kVcvsKind;
constexpr DeviceKind kVcvsKind{
    .letter = 'e', .name = "voltage-controlled voltage source", .form = CardForm::Controlled,
    .minNodes = 4, .maxNodes = 4, .branches = 1,
    .valueDoc = "Ename out+ out- ctl+ ctl- gain", .create = makeGroup<Vcvs, kVcvsKind>};

}  // namespace simcore::dev
