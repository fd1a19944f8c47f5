// Device plugins linked into the program at build time (the WebAssembly
// module, which cannot dlopen; tests). cmake/static_plugins.cmake compiles
// each plugin source under its own entry name and generates the table;
// everything else goes through the same ABI and checks as a loaded plugin.
#pragma once

#include <span>
#include <vector>

#include "simcore/device_plugin.h"
#include "simcore/plugin.hpp"

namespace simcore::plugins {

struct StaticPlugin {
  const char* name;  // the source file's stem: "memristor"
  simcore_plugin_entry_fn entry;
};

// The plugins linked in (generated; empty when none).
std::span<const StaticPlugin> staticPluginTable();

// Every linked-in plugin, for ParseOptions::plugins (file "<built-in NAME>").
std::vector<LoadedPlugin> staticPlugins();

// `.plugin PATH` in a program with linked-in plugins: the plugin whose name
// is PATH's file stem (lib/memristor.so -> memristor), so that a netlist
// written for the native build runs unchanged; any other name is refused
// with the list of what is linked in.
PluginResolver staticResolver();

}  // namespace simcore::plugins
