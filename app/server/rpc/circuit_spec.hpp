// Turning a session's netlist plus a job's options into an ir::Circuit. The
// server runs this to validate a request (so errors come back as
// INVALID_ARGUMENT with a line and column) and the worker runs the very same
// code on the same inputs before simulating.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "simcore/ir.hpp"

namespace simcore::server {

// Text of an included file by the name written in the netlist; nullopt: unknown.
using IncludeLookup = std::function<std::optional<std::string>(const std::string& name)>;

struct CircuitSpec {
  std::string netlist;
  std::string fileName = "<netlist>";
  std::map<std::string, double> params;     // .param overrides
  std::vector<std::string> analyses;        // replacement analysis cards (".tran 1n 1u")
  std::optional<double> tstop, maxStep;     // .tran overrides
};

// Parses and elaborates. `used` (optional) receives every included file the
// netlist reached, by name, so a worker can be given exactly those.
Result<ir::Circuit> buildCircuit(const CircuitSpec& spec, const IncludeLookup& lookup,
                                 std::map<std::string, std::string>* used = nullptr);

// Device plugins (docs/plugins.md). `simcore serve --plugin-dir DIR` calls
// exportPluginDir(DIR) once at start-up: the directory, made absolute, goes
// into the environment of the processes serve starts (they parse netlists),
// and buildCircuit's `.plugin NAME` then loads NAME from it only. An empty
// DIR removes it (every .plugin card is refused). Returns "" or the error.
std::string exportPluginDir(const std::string& dir);

// "tran tstep=1e-09 tstop=1e-05" for listings.
std::string describeAnalysis(const ir::Analysis& a);

}  // namespace simcore::server
