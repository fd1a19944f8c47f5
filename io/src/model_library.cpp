#include "simcore/io/model_library.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

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
    if (p[0] != '/') {
      const std::string f(from);
      const std::string base = (f.empty() || f == "<stdin>" || f == "<netlist>") ? "." : dirOf(f);
      p = base + "/" + p;
    }
    std::string body, err;
    if (readFile(p, body, err)) return ir::ResolvedFile{p, std::move(body)};
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

}  // namespace simcore::io
