// `simcore fmu`: a netlist into a Co-Simulation FMU (FMI 2.0 or 3.0):
//   modelDescription.xml
//   binaries/linux64/<id>.so           the runtime (fmi2.cpp over the engine; FMI 3:
//                                      binaries/x86_64-linux/<id>.so, fmi3.cpp)
//   resources/simcore-fmu.txt          the manifest the runtime reads (manifest.hpp)
//   resources/<netlist>                the netlist as given
//   resources/include/<n>-<file>       every file it included (.include, .lib, losses=)
// docs/fmu.md describes the choices (default inputs and outputs, names, limits).
#pragma once

#include <string>
#include <vector>

#include "simcore/ir.hpp"
#include "simcore/result.hpp"

namespace simcore::fmu {

struct ExportOptions {
  std::string netlistPath;  // as given (names the netlist in messages)
  std::string netlistText;
  ir::IncludeResolver resolver;  // how `simcore run` reads included files
  std::string output;             // the .fmu to write
  int fmiVersion = 2;             // 2 or 3
  std::vector<std::string> inputs;   // sources; empty: the default (constant, non-zero sources)
  bool noInputs = false;             // --input none
  std::vector<std::string> outputs;  // signals; empty: .save, else every node voltage and V-source current
  std::vector<std::string> params;   // .param names; empty: every top-level .param
  bool noParams = false;             // --param none
  std::string runtimeDir;            // holds libsimcore_fmi2.so and libsimcore_fmi3.so
  std::string generator;             // "simcore 0.4.0"
};

struct ExportSummary {
  std::string modelIdentifier;
  std::vector<std::string> inputs, outputs, params;  // FMI variable names
  std::size_t bytes = 0;
};

Result<ExportSummary> exportFmu(const ExportOptions& o);

// The runtime libraries' folder: $SIMCORE_FMU_RUNTIME when set, else
// <dir of exe>/../lib/simcore-fmu; "" when neither holds them.
std::string findRuntimeDir(const std::string& exePath);

}  // namespace simcore::fmu
