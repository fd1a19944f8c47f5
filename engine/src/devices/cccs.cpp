// F: current-controlled current source; gain * i(Vctl) flows from out+ through
// the source to out-. The controlling device must carry a branch current
// (V, L, E, H).
#include "devices/controlled.hpp"

namespace simcore::dev {
namespace {

class Cccs final : public ControlledGroup {
 public:
  Cccs(const DeviceKind& kind, std::vector<const ir::Device*> inst) : ControlledGroup(kind, std::move(inst), "gain") {}

  void pattern(PatternBuilder& b) override {
    p_.resize(inst_.size());
    for (std::size_t i = 0; i < inst_.size(); ++i) p_[i] = {b.entry(op_[i], bc_[i]), b.entry(om_[i], bc_[i])};
  }

  void load(LoadContext& c) override {
    if (recordsOnly(c.mode)) return;
    for (std::size_t i = 0, n = inst_.size(); i < n; ++i) {
      const double cur = k_[i] * c.x[bc_[i]];
      if (c.stampMatrix) { c.A[p_[i][0]] += k_[i]; c.A[p_[i][1]] -= k_[i]; }
      c.f[op_[i]] += cur; c.f[om_[i]] -= cur;
    }
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) { c.A[p_[i][0]] += k_[i]; c.A[p_[i][1]] -= k_[i]; }
  }

 private:
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
