// The parameter tables of docs/devices.md, generated from the device
// descriptors. Each table sits between two marker lines:
//   <!-- BEGIN GENERATED params:d -->
//   ...
//   <!-- END GENERATED params:d -->
// and every kind with parameters must have its block.
#pragma once

#include <string>
#include <string_view>

#include "devices/descriptor.hpp"
#include "simcore/result.hpp"

namespace simcore::docs {

// The Markdown tables (instance, then model parameters) of one kind.
std::string paramTables(const dev::DeviceKind& kind);

// `text` with every generated block replaced by the current tables. Errors:
// a block without its end marker, a block for an unknown letter, a kind with
// parameters but no block.
Result<std::string> regenerate(std::string_view text);

}  // namespace simcore::docs
