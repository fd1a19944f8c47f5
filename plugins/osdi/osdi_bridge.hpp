// OSDI model libraries (compiled Verilog-A, `.osdi` files from OpenVAF) as
// simcore device kinds (docs/osdi.md). The front end's plugin loader opens the
// library; the bridge reads its descriptors and makes one device kind per
// module: letter N, the module's name as the .model type, its terminals and
// internal nodes, its real and integer parameters (instance parameters also
// on the .model card, as defaults), every matrix entry the module may load.
// Each instance holds the module's model and instance data; load() evaluates
// the module and hands its residuals and Jacobian to the engine.
#pragma once

#include <memory>
#include <string>

#include "simcore/device_plugin.h"
#include "simcore/plugin.hpp"

namespace simcore::osdi {

// True when the library `handle` (dlopen's) exports OSDI descriptors.
bool isOsdiLibrary(void* handle);

// The device kinds of the OSDI library `handle`, opened from `file` (for
// messages); `library` keeps it loaded and is kept by the result. Errors
// (Semantic) name the file: an OSDI version this bridge does not read, a
// malformed descriptor, a module that cannot be a device kind.
Result<LoadedPlugin> bridge(const std::string& file, void* handle, std::shared_ptr<const void> library);

}  // namespace simcore::osdi
