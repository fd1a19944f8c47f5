// Loading device plugins from shared libraries for the native front ends
// (simcore run, the server's workers): dlopen, the entry point, the engine's
// descriptor checks. The engine itself opens no files (simcore/plugin.hpp).
#pragma once

#include <string>

#include "simcore/device_plugin.h"
#include "simcore/plugin.hpp"

namespace simcore::plugins {

// The plugin in the shared library at `path` (as given; dlopen's search
// rules apply to a bare name without '/'). Errors (Semantic) name the file:
// it is missing or not a loadable library, it has no simcore_plugin_entry,
// its ABI version differs, its descriptor is malformed.
Result<LoadedPlugin> loadPlugin(const std::string& path);

// For `.plugin PATH` cards of netlists read from files: PATH relative to the
// directory of the file holding the card (or as given when absolute).
PluginResolver fileResolver();

// For the server: `.plugin NAME` loads only files inside `dir` (an absolute
// directory the administrator configured): NAME is relative to it, and a
// name that leaves it (absolute, "..", a symbolic link out) is refused with
// a message saying so. An empty `dir` refuses every .plugin card.
PluginResolver directoryResolver(std::string dir);

}  // namespace simcore::plugins
