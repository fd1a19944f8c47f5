// resources/simcore-fmu.txt: what the FMU runtime reads at instantiation,
// written by `simcore fmu` next to the netlist and its included files.
//
//   simcore-fmu<TAB>1
//   token<TAB>{GUID / instantiation token}
//   netlist<TAB>STORED<TAB>NAME          the netlist (resources/STORED), NAME in messages
//   file<TAB>FROM<TAB>PATH<TAB>NAME<TAB>STORED
//                                        .include PATH in the file named FROM reads
//                                        resources/STORED, named NAME in messages
//   input<TAB>VR<TAB>VARIABLE<TAB>SOURCE<TAB>START<TAB>UNIT
//   output<TAB>VR<TAB>VARIABLE<TAB>SIGNAL<TAB>UNIT
//   parameter<TAB>VR<TAB>VARIABLE<TAB>PARAM<TAB>START
//   experiment<TAB>STOP<TAB>STEP<TAB>TOLERANCE
// Numbers are written with 17 significant digits (they read back exactly).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "simcore/result.hpp"

namespace simcore::fmu {

enum class VarKind { Input, Output, Parameter };

struct Variable {
  VarKind kind = VarKind::Output;
  std::uint32_t vr = 0;
  std::string name;    // the FMI variable name ("VIN", "v(out)", "duty")
  std::string target;  // source, signal or .param name in the circuit
  double start = 0;    // inputs and parameters
  std::string unit;    // "V", "A" or ""
};

struct IncludedFile {
  std::string from;    // name of the including file, as the parser gives it
  std::string path;    // as written in the .include card
  std::string name;    // the included file's name in messages
  std::string stored;  // file below resources/
};

struct Manifest {
  std::string token;
  std::string netlist;      // file below resources/
  std::string netlistName;  // its name in messages
  std::vector<IncludedFile> files;
  std::vector<Variable> variables;
  double stopTime = 0, stepSize = 0, tolerance = 0;

  std::string text() const;
  static Result<Manifest> parse(std::string_view text);
};

inline constexpr const char* kManifestFile = "simcore-fmu.txt";

}  // namespace simcore::fmu
