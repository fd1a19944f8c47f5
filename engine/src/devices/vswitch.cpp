// S: voltage-controlled switch (model SW). Conductance 1/RON when on, 1/ROFF
// when off; on above VT+VH, off below VT-VH, unchanged in between (see
// SwitchGroup for when the state may change). Instance flags on / off give the
// state the DC analysis starts from (default off).
#include "devices/semiconductor.hpp"

namespace simcore::dev {
namespace {

class VSwitches final : public semi::SwitchGroup<VSwitches> {
 public:
  using SwitchGroup::SwitchGroup;
  std::string_view kindName() const override { return "voltage-controlled switch"; }

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    resizeSwitches(n);
    cp_.resize(n); cn_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = requireNodes(d, 4, "voltage-controlled switch"); !s) return s;
      if (auto s = checkParams(d, {"on", "off"}, "voltage-controlled switch"); !s) return s;
      const ir::Model* m = ctx.model(d);
      if (!m || m->type != "sw") return deviceError(d, "voltage-controlled switch '" + d.name + "' needs an sw model");
      if (auto s = checkModelParams(*m, {"ron", "roff", "vt", "vh"}, "switch"); !s) return s;
      const double ron = modelParam(m, "ron", 1.0);
      const double roff = modelParam(m, "roff", 1.0 / ctx.options().gmin);
      if (!(ron > 0) || !(roff > 0)) return deviceError(d, "switch '" + d.name + "': RON and ROFF must be positive");
      hyst_[i] = modelParam(m, "vh", 0.0);
      if (hyst_[i] < 0) return deviceError(d, "switch '" + d.name + "': a negative VH is not supported");
      gon_[i] = 1.0 / ron;
      goff_[i] = 1.0 / roff;
      thr_[i] = modelParam(m, "vt", 0.0);
      initOn_[i] = on_[i] = hasParam(d, "on") && !hasParam(d, "off");
      a_[i] = ctx.node(d.nodes[0]);
      b_[i] = ctx.node(d.nodes[1]);
      cp_[i] = ctx.node(d.nodes[2]);
      cn_[i] = ctx.node(d.nodes[3]);
    }
    return {};
  }

  double control(const double* x, std::size_t i) const { return x[cp_[i]] - x[cn_[i]]; }

 private:
  std::vector<Index> cp_, cn_;
};

}  // namespace

std::unique_ptr<DeviceGroup> createVSwitches(std::vector<const ir::Device*> inst) {
  return std::make_unique<VSwitches>(std::move(inst));
}

}  // namespace simcore::dev
