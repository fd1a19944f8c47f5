// Device plugins on the engine side (docs/plugins.md). The engine opens no
// files: a front end loads a plugin (dlopen, or a descriptor linked in at
// build time for WebAssembly) and hands the engine its descriptor as a
// LoadedPlugin. The engine checks the descriptor (ABI version, fields,
// matrix entries) and makes its kinds usable by one parse, through
// ParseOptions; the parsed Circuit keeps them (and the library) alive.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "simcore/result.hpp"

// The C ABI's descriptor (simcore/device_plugin.h). Declared here, not
// included, so that appending to the ABI recompiles only the plugin code.
struct simcore_plugin;

namespace simcore {

// The checked kinds of a parse's plugins (engine-internal; ir::Circuit holds one).
class PluginKinds;

// One plugin as a front end found it.
struct LoadedPlugin {
  std::string file;                        // where it came from, as messages name it
  const simcore_plugin* plugin = nullptr;  // what simcore_plugin_entry() returned
  // Keeps the code behind `plugin` loaded (the front end's library handle;
  // null for descriptors linked into the program). Released when the last
  // circuit using the plugin is gone.
  std::shared_ptr<const void> library;
};

// Called for a `.plugin PATH` card: path as written, fromFile the file that
// holds the card (paths are relative to it). Returns the plugin or an Error
// whose message the parser reports at the card.
using PluginResolver = std::function<Result<LoadedPlugin>(std::string_view path, std::string_view fromFile)>;

// The descriptor checks alone (what loading a plugin checks before any
// netlist uses it): ABI version, sizes, names, counts, entries, callbacks.
// The error is Semantic and its message starts with the plugin's file.
Status checkPlugin(const LoadedPlugin& plugin);

}  // namespace simcore
