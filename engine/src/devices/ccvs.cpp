// H: current-controlled voltage source, v(out+,out-) = r * i(Vctl).
#include "devices/controlled.hpp"

namespace simcore::dev {
namespace {

class Ccvs final : public ControlledGroup {
 public:
  Ccvs(const DeviceKind& kind, std::vector<const ir::Device*> inst) : ControlledGroup(kind, std::move(inst), "transresistance") {}

  void pattern(PatternBuilder& b) override {
    pq_.resize(inst_.size()); pc_.resize(inst_.size());
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const Index r = br_[i];
      pq_[i].bind(b, op_[i], om_[i], r);
      pc_[i] = b.entry(r, bc_[i]);
    }
  }

  void load(LoadContext& c) override {
    if (recordsOnly(c.mode)) return;
    const double* x = c.x;
    for (std::size_t i = 0, n = inst_.size(); i < n; ++i) {
      const Index r = br_[i];
      if (c.stampMatrix) {
        pq_[i].stamp(c.A);
        c.A[pc_[i]] -= k_[i];
      }
      c.f[op_[i]] += x[r]; c.f[om_[i]] -= x[r];
      c.f[r] += x[op_[i]] - x[om_[i]] - k_[i] * x[bc_[i]];
    }
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      pq_[i].stamp(c.A);
      c.A[pc_[i]] -= k_[i];
    }
  }

 private:
  std::vector<BranchQuad> pq_;  // output branch
  std::vector<Pos> pc_;         // branch row x controlling branch
};

}  // namespace

extern const DeviceKind kCcvsKind;
constexpr DeviceKind kCcvsKind{
    .letter = 'h', .name = "current-controlled voltage source", .form = CardForm::Controlled,
    .minNodes = 2, .maxNodes = 2, .branches = 1, .refs = 1, .refLetter = 'v',
    .valueDoc = "Hname out+ out- Vcontrol transresistance", .create = makeGroup<Ccvs, kCcvsKind>};

}  // namespace simcore::dev
