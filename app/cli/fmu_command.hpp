// `simcore fmu CIRCUIT.cir -o OUT.fmu [--fmi 2|3] [--input SRC ...] [--output SIG ...] [--param NAME ...]`:
// a Co-Simulation FMU of the netlist's transient (fmu/src/export.hpp, docs/fmu.md).
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace simcore::cli {

struct FmuOptions {
  std::string input;  // netlist path
  std::string output;
  int fmi = 2;
  std::vector<std::string> inputs, outputs, params;  // each may be a comma list
  bool quiet = false;
};

void addFmuOptions(CLI::App& cmd, FmuOptions& o);
// Exit code: 0 ok, 1 cannot write, 2 bad input or usage.
int fmuCommand(const FmuOptions& o, const std::vector<std::string>& extras);

}  // namespace simcore::cli
