// S: voltage-controlled switch (model SW). Conductance 1/RON when on, 1/ROFF
// when off; on above VT+|VH|, off below VT-|VH|; in between see
// SwitchGroup (also for when the state may change). Instance flags on / off give the
// state the DC analysis starts from (default off).
#include "devices/switch_group.hpp"

namespace simcore::dev {
namespace {

class VSwitches final : public semi::SwitchGroup<VSwitches> {
 public:
  using SwitchGroup::SwitchGroup;

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    resizeSwitches(n);
    cp_.resize(n); cn_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (auto s = setupSwitch(ctx, i, "vt", "vh"); !s) return s;
      cp_[i] = ctx.node(inst_[i]->nodes[2]);
      cn_[i] = ctx.node(inst_[i]->nodes[3]);
    }
    return {};
  }

  double control(const double* x, std::size_t i) const { return x[cp_[i]] - x[cn_[i]]; }

 private:
  std::vector<Index> cp_, cn_;
};

constexpr const char* kTypes[] = {"sw"};
constexpr ParamSpec kParams[] = {
    kSwitchOnParam, kSwitchOffParam, kSwitchRonParam, kSwitchRoffParam,
    mparam("vt", 0.0, "V", "threshold"),
    mparam("vh", 0.0, "V", "hysteresis half-width; zero or negative: ngspice's negative hysteresis (the band flips the state it is entered with)"),
};

}  // namespace

extern const DeviceKind kVSwitchKind;
constexpr DeviceKind kVSwitchKind{
    .letter = 's', .name = "voltage-controlled switch", .form = CardForm::ModelCard, .minNodes = 4, .maxNodes = 4,
    .modelTypes = kTypes, .params = kParams, .modelNoun = "switch",
    .valueDoc = "Sname n+ n- nc+ nc- model [on|off]", .create = makeGroup<VSwitches, kVSwitchKind>};

}  // namespace simcore::dev
