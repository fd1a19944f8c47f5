// The parameter tables of docs/devices.md, generated from the device
// descriptors. Each table sits between two marker lines:
//   <!-- BEGIN GENERATED params:d -->
//   ...
//   <!-- END GENERATED params:d -->
// A letter with several kinds (by model type) may give each its own block,
// "params:a:pwm" ... "params:a:pwm"; once a letter has such a typed block,
// every kind of it with parameters needs its own (the plain "params:<letter>"
// block stands for the letter's first kind). Otherwise every letter whose
// kinds have parameters needs its block.
#pragma once

#include <string>
#include <string_view>

#include "devices/descriptor.hpp"
#include "simcore/result.hpp"

namespace simcore::docs {

// The Markdown tables (instance, then model parameters) of one kind.
std::string paramTables(const dev::DeviceKind& kind);

// The table of XSPICE port types (devices/port_types.hpp): spelling, what
// follows it, meaning. Its block in the text is
//   <!-- BEGIN GENERATED port-types --> ... <!-- END GENERATED port-types -->
std::string portTypeTable();

// `text` with every generated block replaced by the current tables (the
// port-type block too, where the text has one). Errors:
// a block without its end marker, a block for an unknown letter or model
// type, a kind with parameters but no block.
Result<std::string> regenerate(std::string_view text);

}  // namespace simcore::docs
