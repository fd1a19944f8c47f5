// W: current-controlled switch (model CSW), controlled by the branch current
// of a voltage source (i(V) from its + node through the source). Conductance
// 1/RON when on, 1/ROFF when off; on above IT+IH, off below IT-IH (see
// SwitchGroup). Instance flags on / off give the initial DC state (default off).
#include "devices/semiconductor.hpp"

namespace simcore::dev {
namespace {

class CSwitches final : public semi::SwitchGroup<CSwitches> {
 public:
  using SwitchGroup::SwitchGroup;
  std::string_view kindName() const override { return "current-controlled switch"; }

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    resizeSwitches(n);
    br_.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = requireNodes(d, 2, "current-controlled switch"); !s) return s;
      if (auto s = checkParams(d, {"on", "off"}, "current-controlled switch"); !s) return s;
      if (d.refs.size() != 1)
        return deviceError(d, "current-controlled switch '" + d.name + "' needs a controlling voltage source");
      const ir::Model* m = ctx.model(d);
      if (!m || m->type != "csw") return deviceError(d, "current-controlled switch '" + d.name + "' needs a csw model");
      if (auto s = checkModelParams(*m, {"ron", "roff", "it", "ih"}, "current switch"); !s) return s;
      const double ron = modelParam(m, "ron", 1.0);
      const double roff = modelParam(m, "roff", 1.0 / ctx.options().gmin);
      if (!(ron > 0) || !(roff > 0)) return deviceError(d, "switch '" + d.name + "': RON and ROFF must be positive");
      hyst_[i] = modelParam(m, "ih", 0.0);
      if (hyst_[i] < 0) return deviceError(d, "switch '" + d.name + "': a negative IH is not supported");
      gon_[i] = 1.0 / ron;
      goff_[i] = 1.0 / roff;
      thr_[i] = modelParam(m, "it", 0.0);
      initOn_[i] = on_[i] = hasParam(d, "on") && !hasParam(d, "off");
      a_[i] = ctx.node(d.nodes[0]);
      b_[i] = ctx.node(d.nodes[1]);
    }
    return {};
  }

  Status resolve(SetupContext& ctx) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      br_[i] = ctx.branchOf(d.refs[0]);
      if (br_[i] <= 0)
        return deviceError(d, "current-controlled switch '" + d.name + "': controlling source '" + d.refs[0] +
                                  (br_[i] < 0 ? "' does not exist" : "' carries no branch current (use a voltage source)"));
    }
    return {};
  }

  double control(const double* x, std::size_t i) const { return x[br_[i]]; }

 private:
  std::vector<Index> br_;
};

}  // namespace

std::unique_ptr<DeviceGroup> createCSwitches(std::vector<const ir::Device*> inst) {
  return std::make_unique<CSwitches>(std::move(inst));
}

}  // namespace simcore::dev
