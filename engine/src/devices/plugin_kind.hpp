// One plugin kind: the engine's descriptor of it and the plugin's C
// descriptor. Apart from plugin_kinds.hpp so that the C ABI header
// (simcore/device_plugin.h) reaches only the code that reads its fields.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "devices/descriptor.hpp"
#include "simcore/device_plugin.h"

namespace simcore::dev {

// The engine's descriptor of a plugin kind (a DeviceKind that the
// reader, validation, describe() and messages use like a built-in one) and
// the plugin's C descriptor, copied with absent trailing fields zeroed.
struct PluginKind {
  DeviceKind kind;
  simcore_device_kind c{};
  std::string file;  // the plugin's file, for messages
  std::array<const char*, 1> modelTypes{};
  std::vector<ParamSpec> params;
  int unknowns() const { return c.terminals + c.internal_nodes + c.branches; }
};

}  // namespace simcore::dev
