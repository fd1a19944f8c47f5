// The JSON circuit model (schema/circuit.schema.json, docs/interop.md): a
// netlist as the ordered list of its cards, structured where the card's form
// is known (elements, .model, .param, .subckt, analyses, .options, .include)
// and kept as written where it is not; comments stay where they were. The web
// app saves it, the server accepts it in place of netlist text, and
// `simcore convert` turns one into the other.
//
// Neither direction elaborates or resolves anything: .include stays a
// reference, parameters stay expressions, values are SPICE text as written.
// A netlist converted to the model and back simulates like the original.
#pragma once

#include <string>
#include <string_view>

#include "simcore/result.hpp"

namespace simcore::model {

inline constexpr const char* kCircuitFormat = "simcore.circuit";
inline constexpr int kCircuitModelVersion = 1;

struct ConvertOptions {
  std::string fileName = "<netlist>";  // for error locations
  int indent = 2;                      // JSON output: spaces per level; < 0: one line
};

// Netlist text (title line first) -> the circuit model as JSON text. Lexical
// and structural errors (an unclosed brace, .ends without .subckt) are
// ErrorCode::Parse at FILE:LINE:COL, as `simcore run` reports them.
Result<std::string> netlistToJson(std::string_view netlist, const ConvertOptions& opts = {});

// The circuit model (JSON text) -> netlist text ending in ".end". A document
// that is not JSON or does not follow the schema is an ErrorCode::Parse error
// whose message begins with the JSON Pointer of the offending value
// ("/cards/3/nodes/0: expected a node name ...").
Result<std::string> jsonToNetlist(std::string_view json, const ConvertOptions& opts = {});

// True when `text` is meant as a circuit model rather than a netlist: its
// first non-blank character is '{' (a netlist's title line never starts a
// JSON object in practice; docs/interop.md).
bool looksLikeCircuitJson(std::string_view text);

}  // namespace simcore::model
