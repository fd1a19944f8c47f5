// Shared helpers for device groups: instance storage, parameter validation.
#pragma once

#include <array>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "devices/context.hpp"

namespace simcore::dev {

// Base with the instance list every group has.
class GroupBase : public DeviceGroup {
 public:
  explicit GroupBase(std::vector<const ir::Device*> inst) : inst_(std::move(inst)) {}
  std::size_t size() const override { return inst_.size(); }
  const ir::Device& device(std::size_t i) const override { return *inst_[i]; }

 protected:
  std::vector<const ir::Device*> inst_;
};

// Error at a device card.
Error deviceError(const ir::Device& d, std::string message, ErrorCode code = ErrorCode::Semantic);
// Error at a parameter.
Error paramError(const ir::Param& p, std::string message);

// Every instance parameter must be one of `allowed`.
Status checkParams(const ir::Device& d, std::initializer_list<std::string_view> allowed, std::string_view what);
// Every model parameter must be one of `allowed` (ignored: level when = 1 is handled by caller).
Status checkModelParams(const ir::Model& m, std::initializer_list<std::string_view> allowed, std::string_view what);

// Instance parameter value or fallback.
double param(const ir::Device& d, std::string_view name, double fallback);
double modelParam(const ir::Model* m, std::string_view name, double fallback);
bool hasParam(const ir::Device& d, std::string_view name);
bool hasModelParam(const ir::Model* m, std::string_view name);

// Require node count; returns error naming the device kind.
Status requireNodes(const ir::Device& d, std::size_t n, std::string_view what);

constexpr double kCelsiusToKelvin = 273.15;

}  // namespace simcore::dev
