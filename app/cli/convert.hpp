// `simcore convert`: netlist <-> JSON circuit model (docs/interop.md).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace simcore::cli {

struct ConvertCommandOptions {
  std::string input;   // path, "-" for stdin
  std::string to;      // "json" or "spice"; empty: the other format of the input's
  std::string output;  // path; empty or "-": stdout
};

void addConvertOptions(CLI::App& cmd, ConvertCommandOptions& o);

// Returns the exit code: 0 written, 2 bad input or usage (the error on stderr,
// FILE:LINE:COL for a netlist, the JSON Pointer for a model).
int convertCommand(const ConvertCommandOptions& o);

}  // namespace simcore::cli
