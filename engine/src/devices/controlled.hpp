// Base of the linear controlled sources: E and G are controlled by the
// voltage between two nodes, F and H by the branch current of a named device
// (V, L, E, H); E and H own a branch current for their output. The kind's
// descriptor says which (refs, branches); the derived group stamps.
#pragma once

#include <vector>

#include "devices/common.hpp"

namespace simcore::dev {

class ControlledGroup : public GroupBase {
 public:
  // gainNoun: what the card's number is, for messages ("gain", "transconductance").
  ControlledGroup(const DeviceKind& kind, std::vector<const ir::Device*> inst, const char* gainNoun)
      : GroupBase(kind, std::move(inst)), gainNoun_(gainNoun) {}

  // Output nodes, gain (times m= where the kind has it), control nodes, output branch.
  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    const bool byCurrent = kind_.refs > 0;
    const bool hasM = kind_.find(ParamScope::Instance, "m") != nullptr;
    op_.resize(n); om_.resize(n); k_.resize(n);
    (byCurrent ? bc_ : cp_).resize(n);
    if (!byCurrent) cm_.resize(n);
    if (kind_.branches) br_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      if (!d.value || (byCurrent && d.refs.size() != 1))
        return deviceError(d, std::string(kind_.name) + " '" + d.name + "' needs " +
                                  (byCurrent ? "a controlling source name and a " : "a ") + gainNoun_);
      k_[i] = hasM ? *d.value * values(d).inst("m") : *d.value;
      op_[i] = ctx.node(d.nodes[0]); om_[i] = ctx.node(d.nodes[1]);
      if (!byCurrent) { cp_[i] = ctx.node(d.nodes[2]); cm_[i] = ctx.node(d.nodes[3]); }
      if (kind_.branches) br_[i] = ctx.addBranch(d);
    }
    return {};
  }

  // F, H: the controlling branch, once every device has set up.
  Status resolve(SetupContext& ctx) override {
    if (kind_.refs == 0) return {};
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      auto b = controllingBranch(ctx, *inst_[i]);
      if (!b) return b.takeError();
      bc_[i] = b.value();
    }
    return {};
  }

  // E, H force v(out+, out-) through their branch; F, G are current sources.
  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    if (kind_.branches)
      for (std::size_t i = 0; i < inst_.size(); ++i) out.emplace_back(op_[i], om_[i]);
  }
  void voltageEdges(std::vector<std::pair<Index, Index>>& out, std::vector<int>& idx) const override {
    if (!kind_.branches) return;
    for (std::size_t i = 0; i < inst_.size(); ++i) { out.emplace_back(op_[i], om_[i]); idx.push_back(int(i)); }
  }

  // F, G: @g1[i], the current from out+ through the source to out- (ngspice's savecurrents
  // vector); E, H have their branch current i(e1) instead
  int quantityId(std::size_t, std::string_view param) const override { return !kind_.branches && param == "i" ? 0 : -1; }
  void currentNames(std::size_t, std::vector<std::string_view>& out) const override {
    if (!kind_.branches) out.emplace_back("i");
  }
  double quantity(std::size_t i, int, const QuantityContext& c) const override {
    return k_[i] * (kind_.refs > 0 ? c.x[bc_[i]] : c.x[cp_[i]] - c.x[cm_[i]]);
  }
  std::complex<double> acQuantity(std::size_t i, int, const std::complex<double>* x, double) const override {
    return k_[i] * (kind_.refs > 0 ? x[bc_[i]] : x[cp_[i]] - x[cm_[i]]);
  }

 protected:
  std::vector<Index> op_, om_;  // output +, -
  std::vector<Index> cp_, cm_;  // E G: control +, -
  std::vector<Index> bc_;       // F H: controlling branch
  std::vector<Index> br_;       // E H: output branch
  std::vector<double> k_;       // gain

 private:
  const char* gainNoun_;
};

}  // namespace simcore::dev
