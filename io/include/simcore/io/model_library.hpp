// The model library (the repository's models/ folder, installed as
// <prefix>/share/simcore/models): .lib files, power packs, thermal blocks and
// PLECS loss files a netlist names as "models/...", e.g.
//   .include models/diodes.lib
//   .model q1 pwlmos losses="models/devices/c3m0060065k.xml"
// Front ends that read files resolve a relative path against the including
// file first (a project's own models/ folder wins), then against the library.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "simcore/ir.hpp"

namespace simcore::io {

// The path below the library root when `path` names a library file: relative,
// first segment "models", no "." or ".." segment, no empty segment
// ("models/diodes.lib" -> "diodes.lib"); else nullopt.
std::optional<std::string> modelLibraryPath(std::string_view path);

// The library directory: $SIMCORE_MODELS when set, else the first existing of
// <dir of exe>/../share/simcore/models and the source tree's models/ (a build
// that was not installed); "" when there is none. `exePath` may be "".
std::string findModelLibrary(std::string_view exePath);

// The library file that `path` ("models/...") names, read from libraryDir;
// the ResolvedFile's name is `path` as written (no server directory leaks into
// messages). An error when path is not a library path or cannot be read.
Result<ir::ResolvedFile> readLibraryFile(const std::string& libraryDir, std::string_view path);

// A file reader for .include/.lib and losses=: `~/` is $HOME; absolute paths as
// they are, relative ones against the directory of the including file ("<stdin>"
// and "<netlist>": the working directory), then against the working directory
// (where ngspice 39 looks first), then, for "models/..." paths, against
// `libraryDir` (when not empty).
ir::IncludeResolver fileResolver(std::string libraryDir);

// ngspice's start-up file as it bears on reading a netlist: `set ngbehavior=MODES` (sky130's
// .spiceinit: hsa). Looked for as `.spiceinit` (else `spice.rc`) in the netlist's folder, then
// the working directory, then $HOME; the first that exists counts, as in ngspice. `path` is ""
// when none exists; `ngbehavior` is "" when the file sets none; other lines are ignored.
struct SpiceInit {
  std::string path;
  std::string ngbehavior;
};
SpiceInit findSpiceInit(std::string_view netlistPath);

}  // namespace simcore::io
