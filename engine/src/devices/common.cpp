#include "devices/common.hpp"

namespace simcore::dev {

Error deviceError(const ir::Device& d, std::string message, ErrorCode code) {
  return makeError(code, std::move(message), d.loc);
}

const ParamIndex& GroupBase::paramIndex() const {
  if (!index_) index_ = std::make_unique<ParamIndex>(kind_);
  return *index_;
}

Result<Index> GroupBase::controllingBranch(const SetupContext& ctx, const ir::Device& d) const {
  const Index b = ctx.branchOf(d.refs[0]);
  if (b > 0) return b;
  return deviceError(d, std::string(kind_.name) + " '" + d.name + "': controlling source '" + d.refs[0] +
                            (b < 0 ? "' does not exist" : "' carries no branch current (use a voltage source)"));
}

Result<const ir::Model*> GroupBase::mosModel(const SetupContext& ctx, const ir::Device& d,
                                             std::set<const ir::Model*>& checked) const {
  const ir::Model* mod = ctx.model(d);
  if (!mod || (mod->type != "nmos" && mod->type != "pmos"))
    return deviceError(d, "MOSFET '" + d.name + "' needs an nmos or pmos model");
  if (checked.insert(mod).second)
    if (auto s = checkModel(*mod); !s) return s.error();
  return mod;
}

}  // namespace simcore::dev
