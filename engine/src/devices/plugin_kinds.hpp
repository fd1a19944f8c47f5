// Device kinds from plugins (docs/plugins.md), and the table of every kind a
// circuit may use. A PluginKinds is built once per parse from the plugins the
// front end loaded, is immutable afterwards, and is shared by the circuits
// parsed with it (ir::Circuit::plugins); nothing here is global.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "devices/descriptor.hpp"
#include "simcore/plugin.hpp"

namespace simcore::dev {

// One plugin kind (devices/plugin_kind.hpp, which alone includes the C ABI).
struct PluginKind;

// The kinds a circuit may use: the built-in registry() in its order, then
// the plugin kinds. Lookups follow the rules of descriptor.hpp's free
// functions (which see only the built-in kinds).
class KindTable {
 public:
  explicit KindTable(const PluginKinds* plugins = nullptr);
  const std::vector<const DeviceKind*>& all() const { return all_; }
  // The first kind of a letter (nullptr when none).
  const DeviceKind* find(char letter) const;
  // The kind of a letter whose model types include `modelType` (nullptr when none).
  const DeviceKind* find(char letter, std::string_view modelType) const;
  // The kind of a device: by its model's type, else the letter's first kind.
  const DeviceKind* kindOf(const ir::Device& d, const std::vector<ir::Model>& models) const;
  // The plugin behind k (nullptr for a built-in kind).
  const PluginKind* plugin(const DeviceKind& k) const;
  // The group of k's instances (plugin kinds through plugin_group.cpp).
  std::unique_ptr<DeviceGroup> create(const DeviceKind& k, std::vector<const ir::Device*> instances) const;

 private:
  std::vector<const DeviceKind*> all_;
  const PluginKinds* plugins_;
};

// plugin_group.cpp: the DeviceGroup of a plugin kind's instances.
std::unique_ptr<DeviceGroup> makePluginGroup(const PluginKind& kind, std::vector<const ir::Device*> instances);

}  // namespace simcore::dev

namespace simcore {

class PluginKinds {
 public:
  // Checks every plugin (checkPlugin) and that no kind collides with a
  // built-in letter or model type or with another plugin's model type.
  static Result<std::shared_ptr<const PluginKinds>> make(std::vector<LoadedPlugin> plugins);
  const std::vector<std::unique_ptr<dev::PluginKind>>& kinds() const { return kinds_; }
  const std::vector<LoadedPlugin>& plugins() const { return plugins_; }

 private:
  std::vector<LoadedPlugin> plugins_;
  std::vector<std::unique_ptr<dev::PluginKind>> kinds_;
};

}  // namespace simcore
