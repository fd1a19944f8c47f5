// G: voltage-controlled current source; gm * v(ctl+,ctl-) flows from out+
// through the source to out-.
#include "devices/controlled.hpp"

namespace simcore::dev {
namespace {

class Vccs final : public ControlledGroup {
 public:
  Vccs(const DeviceKind& kind, std::vector<const ir::Device*> inst) : ControlledGroup(kind, std::move(inst), "transconductance") {}

  void pattern(PatternBuilder& b) override {
    p_.resize(inst_.size());
    for (std::size_t i = 0; i < inst_.size(); ++i)
      p_[i] = {b.entry(op_[i], cp_[i]), b.entry(op_[i], cm_[i]), b.entry(om_[i], cp_[i]), b.entry(om_[i], cm_[i])};
  }

  void load(LoadContext& c) override {
    if (recordsOnly(c.mode)) return;
    const double* x = c.x;
    for (std::size_t i = 0, n = inst_.size(); i < n; ++i) {
      const auto& p = p_[i];
      const double g = k_[i], cur = g * (x[cp_[i]] - x[cm_[i]]);
      if (c.stampMatrix) { c.A[p[0]] += g; c.A[p[1]] -= g; c.A[p[2]] -= g; c.A[p[3]] += g; }
      c.f[op_[i]] += cur; c.f[om_[i]] -= cur;
    }
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const auto& p = p_[i];
      c.A[p[0]] += k_[i]; c.A[p[1]] -= k_[i]; c.A[p[2]] -= k_[i]; c.A[p[3]] += k_[i];
    }
  }

 private:
  std::vector<std::array<Pos, 4>> p_;
};

constexpr ParamSpec kParams[] = {kMultParam};

}  // namespace

extern const DeviceKind kVccsKind;
constexpr DeviceKind kVccsKind{
    .letter = 'g', .name = "voltage-controlled current source", .form = CardForm::Controlled,
    .minNodes = 4, .maxNodes = 4, .params = kParams,
    .valueDoc = "Gname out+ out- ctl+ ctl- transconductance [m=M]", .create = makeGroup<Vccs, kVccsKind>};

}  // namespace simcore::dev
