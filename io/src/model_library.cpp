#include "simcore/io/model_library.hpp"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <vector>

namespace simcore::io {
namespace {

bool isDir(const std::string& p) {
  struct stat st{};
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool readFile(const std::string& path, std::string& out, std::string& err) {
  struct stat st{};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    err = "is a directory";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err = std::strerror(errno);
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

std::string dirOf(std::string_view path) {
  const std::size_t p = path.rfind('/');
  return p == std::string_view::npos ? "." : (p == 0 ? "/" : std::string(path.substr(0, p)));
}

}  // namespace

std::optional<std::string> modelLibraryPath(std::string_view path) {
  if (path.empty() || path[0] == '/') return std::nullopt;
  std::string_view rest = path;
  bool first = true;
  std::string below;
  while (true) {
    const std::size_t slash = rest.find('/');
    const std::string_view seg = rest.substr(0, slash);
    if (seg.empty() || seg == "." || seg == "..") return std::nullopt;
    if (first) {
      if (seg != "models") return std::nullopt;
      first = false;
    } else {
      below += (below.empty() ? "" : "/") + std::string(seg);
    }
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  if (below.empty()) return std::nullopt;
  return below;
}

std::string findModelLibrary(std::string_view exePath) {
  if (const char* env = std::getenv("SIMCORE_MODELS"); env && *env) return env;
  if (!exePath.empty()) {
    const std::string installed = dirOf(exePath) + "/../share/simcore/models";
    if (isDir(installed)) return installed;
  }
#ifdef SIMCORE_SOURCE_MODELS_DIR
  if (isDir(SIMCORE_SOURCE_MODELS_DIR)) return SIMCORE_SOURCE_MODELS_DIR;
#endif
  return "";
}

Result<ir::ResolvedFile> readLibraryFile(const std::string& libraryDir, std::string_view path) {
  const std::optional<std::string> below = modelLibraryPath(path);
  if (!below) return makeError(ErrorCode::Semantic, "'" + std::string(path) + "' is not a model library path (models/...)");
  if (libraryDir.empty()) return makeError(ErrorCode::Semantic, "no model library is installed");
  std::string body, err;
  if (!readFile(libraryDir + "/" + *below, body, err))
    return makeError(ErrorCode::Semantic, "no file '" + std::string(path) + "' in the model library");
  return ir::ResolvedFile{std::string(path), std::move(body)};
}

ir::IncludeResolver fileResolver(std::string libraryDir) {
  return [lib = std::move(libraryDir)](std::string_view path, std::string_view from) -> Result<ir::ResolvedFile> {
    std::string p(path);
    if (p.empty()) return makeError(ErrorCode::Semantic, "empty file name");
    // `~/...` is the user's home directory, as ngspice's path resolution expands it
    if (p.size() >= 2 && p[0] == '~' && p[1] == '/')
      if (const char* home = std::getenv("HOME"); home && *home) p = std::string(home) + p.substr(1);
    std::string body, err;
    if (p[0] != '/') {
      const std::string f(from);
      const std::string base = (f.empty() || f == "<stdin>" || f == "<netlist>") ? "." : dirOf(f);
      const std::string near = base + "/" + p;
      if (readFile(near, body, err)) return ir::ResolvedFile{near, std::move(body)};
      // then the working directory, where ngspice looks first (a deck run from its project's
      // top folder naming "models/x.lib" from a netlist in a sub-folder)
      std::string cwdErr;
      if (base != "." && readFile(p, body, cwdErr)) return ir::ResolvedFile{p, std::move(body)};
      p = near;
    } else if (readFile(p, body, err)) {
      return ir::ResolvedFile{p, std::move(body)};
    }
    if (!lib.empty())
      if (auto below = modelLibraryPath(path)) {
        const std::string q = lib + "/" + *below;
        std::string e2;
        if (readFile(q, body, e2)) return ir::ResolvedFile{q, std::move(body)};
        return makeError(ErrorCode::Semantic, p + ": " + err + "; not in the model library either (" + q + ": " + e2 + ")");
      }
    return makeError(ErrorCode::Semantic, p + ": " + err);
  };
}

SpiceInit findSpiceInit(std::string_view netlistPath) {
  SpiceInit out;
  std::string dir = ".";
  if (netlistPath != "<stdin>" && netlistPath != "<netlist>" && netlistPath != "-") {
    const std::size_t slash = netlistPath.find_last_of('/');
    dir = slash == std::string_view::npos ? "." : slash == 0 ? "/" : std::string(netlistPath.substr(0, slash));
  }
  std::vector<std::string> dirs{dir};
  if (dir != ".") dirs.push_back(".");
  if (const char* home = std::getenv("HOME"); home && *home) dirs.push_back(home);
  for (const std::string& d : dirs)
    for (const char* name : {".spiceinit", "spice.rc"}) {
      std::ifstream f(d + "/" + name);
      if (!f) continue;
      out.path = d + "/" + name;
      std::string line;
      while (std::getline(f, line)) {
        // `set ngbehavior=hsa`, `set ngbehavior = hs` (a '*' line is a comment)
        std::istringstream words(line);
        std::string set, rest, word;
        if (!(words >> set) || set != "set") continue;
        while (words >> word) rest += word;
        const std::size_t eq = rest.find('=');
        if (eq == std::string::npos || rest.substr(0, eq) != "ngbehavior") continue;
        out.ngbehavior = rest.substr(eq + 1);
        for (char& c : out.ngbehavior) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      return out;
    }
  return out;
}

}  // namespace simcore::io
