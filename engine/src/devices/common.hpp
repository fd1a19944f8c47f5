// Shared helpers for device groups: the kind and instance storage, errors.
#pragma once

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "devices/context.hpp"

namespace simcore::dev {

// Base with the kind's descriptor and the instance list every group has.
class GroupBase : public DeviceGroup {
 public:
  GroupBase(const DeviceKind& kind, std::vector<const ir::Device*> inst) : kind_(kind), inst_(std::move(inst)) {}
  std::string_view kindName() const override { return kind_.name; }
  std::size_t size() const override { return inst_.size(); }
  const ir::Device& device(std::size_t i) const override { return *inst_[i]; }
  void instantBegins(double t) override { instant_ = t; }

 protected:
  // When a change seen at `time` (a settle() solution's time) began: the switching
  // instant's time when settling one at or before `time`, else `time`.
  double changedAt(double time) const { return instant_ <= time ? instant_ : time; }
  // Node count and instance parameter names against the descriptor.
  Status checkInstance(const ir::Device& d) const {
    if (auto s = checkNodes(kind_, d); !s) return s;
    return paramIndex().checkInstance(d);
  }
  // The model's parameter names against the descriptor (checkModelParams), once per model.
  Status checkModel(const ir::Model& m) const { return paramIndex().checkModel(m); }
  // Parameter values of d (and its model) with the descriptor's defaults.
  ParamValues values(const ir::Device& d, const ir::Model* m = nullptr) const {
    return ParamValues(paramIndex(), d, m);
  }
  // The kind's look-ups shared by every instance of the group (built on first use, at set-up).
  const ParamIndex& paramIndex() const;
  // The branch unknown of the device d.refs[0] names (F, H, W); the error names
  // d and the reference when that device is missing or carries no branch current.
  Result<Index> controllingBranch(const SetupContext& ctx, const ir::Device& d) const;
  // The nmos or pmos model of the MOSFET card d, its parameter names checked
  // once per model (`checked` holds the models already checked).
  Result<const ir::Model*> mosModel(const SetupContext& ctx, const ir::Device& d,
                                    std::set<const ir::Model*>& checked) const;

  const DeviceKind& kind_;
  std::vector<const ir::Device*> inst_;
  double instant_ = std::numeric_limits<double>::quiet_NaN();  // (instantBegins)

 private:
  mutable std::unique_ptr<ParamIndex> index_;
};

// DeviceKind::create of a group class for the kind Kind.
template <class Group, const DeviceKind& Kind>
std::unique_ptr<DeviceGroup> makeGroup(std::vector<const ir::Device*> inst) {
  return std::make_unique<Group>(Kind, std::move(inst));
}

// Instances of one model with the same instance parameters share their
// size- and temperature-dependent set-up (the BSIM families): computed once per
// (model, instance parameters) and copied for the others.
template <class Sized>
class SharedSetups {
 public:
  // Fills `out` from an earlier instance with the same model and instance
  // parameters, else with setup(out) (which returns an error text, empty when
  // it succeeded) and keeps the result for the next ones.
  template <class Setup>
  std::string apply(const ir::Model* model, const ir::Device& d, Sized& out, Setup&& setup) {
    Key key{model, {}};
    for (const ir::Param& p : d.params) key.params.emplace_back(p.name, p.value);
    std::sort(key.params.begin(), key.params.end());
    if (auto hit = done_.find(key); hit != done_.end()) {
      out = hit->second;
      return {};
    }
    std::string why = setup(out);
    if (why.empty()) done_.emplace(std::move(key), out);
    return why;
  }

 private:
  struct Key {
    const ir::Model* model;
    std::vector<std::pair<std::string, double>> params;
    bool operator<(const Key& k) const { return model != k.model ? model < k.model : params < k.params; }
  };
  std::map<Key, Sized> done_;
};

// Error at a device card.
Error deviceError(const ir::Device& d, std::string message, ErrorCode code = ErrorCode::Semantic);

constexpr double kCelsiusToKelvin = 273.15;

}  // namespace simcore::dev
