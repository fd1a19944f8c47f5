// W: current-controlled switch (model CSW), controlled by the branch current
// of a voltage source (i(V) from its + node through the source). Conductance
// 1/RON when on, 1/ROFF when off; on above IT+IH, off below IT-IH (see
// SwitchGroup). Instance flags on / off give the initial DC state (default off).
#include "devices/switch_group.hpp"

namespace simcore::dev {
namespace {

class CSwitches final : public semi::SwitchGroup<CSwitches> {
 public:
  using SwitchGroup::SwitchGroup;

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    resizeSwitches(n);
    br_.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (d.refs.size() != 1)
        return deviceError(d, "current-controlled switch '" + d.name + "' needs a controlling voltage source");
      if (auto s = setupSwitch(ctx, i, "it", "ih"); !s) return s;
    }
    return {};
  }

  Status resolve(SetupContext& ctx) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      auto b = controllingBranch(ctx, *inst_[i]);
      if (!b) return b.takeError();
      br_[i] = b.value();
    }
    return {};
  }

  double control(const double* x, std::size_t i) const { return x[br_[i]]; }

 private:
  std::vector<Index> br_;
};

constexpr const char* kTypes[] = {"csw"};
constexpr ParamSpec kParams[] = {
    kSwitchOnParam, kSwitchOffParam, kSwitchRonParam, kSwitchRoffParam,
    mparam("it", 0.0, "A", "threshold current"),
    mparam("ih", 0.0, "A", "hysteresis half-width; zero or negative: ngspice's negative hysteresis (the band flips the state it is entered with)"),
};

}  // namespace

extern const DeviceKind kCSwitchKind;
constexpr DeviceKind kCSwitchKind{
    .letter = 'w', .name = "current-controlled switch", .form = CardForm::ModelCard, .refs = 1, .refLetter = 'v',
    .modelTypes = kTypes, .params = kParams, .modelNoun = "current switch",
    .valueDoc = "Wname n+ n- Vcontrol model [on|off]", .create = makeGroup<CSwitches, kCSwitchKind>};

}  // namespace simcore::dev
