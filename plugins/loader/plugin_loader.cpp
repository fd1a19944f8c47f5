#include "plugin_loader.hpp"

#include "osdi_bridge.hpp"

#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <memory>
#include <string_view>

namespace simcore::plugins {
namespace {

Error fail(const std::string& path, const std::string& what) {
  return makeError(ErrorCode::Semantic, "device plugin '" + path + "': " + what);
}

std::string directoryOf(std::string_view file) {
  const std::size_t slash = file.rfind('/');
  return slash == std::string_view::npos ? std::string(".") : std::string(file.substr(0, slash == 0 ? 1 : slash));
}

// dlopen needs a '/' to take a relative path as a file rather than a library name.
std::string asFilePath(std::string path) {
  if (path.find('/') == std::string::npos) path = "./" + path;
  return path;
}

}  // namespace

Result<LoadedPlugin> loadPlugin(const std::string& path) {
  struct stat st {};
  if (path.find('/') != std::string::npos && ::stat(path.c_str(), &st) != 0)
    return fail(path, "no such file");
  ::dlerror();
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = ::dlerror();
    return fail(path, std::string("not a loadable shared library (") + (why ? why : "dlopen failed") + ")");
  }
  std::shared_ptr<const void> library(handle, [](const void* h) { ::dlclose(const_cast<void*>(h)); });
  void* sym = ::dlsym(handle, "simcore_plugin_entry");
  if (!sym && osdi::isOsdiLibrary(handle)) return osdi::bridge(path, handle, std::move(library));
  if (!sym) return fail(path, "no simcore_plugin_entry function (neither a simcore device plugin nor an OSDI library)");
  auto entry = reinterpret_cast<simcore_plugin_entry_fn>(sym);
  LoadedPlugin p{path, entry(), std::move(library)};
  if (auto s = checkPlugin(p); !s) return s.takeError();
  return p;
}

PluginResolver fileResolver() {
  return [](std::string_view path, std::string_view fromFile) -> Result<LoadedPlugin> {
    std::string p(path);
    if (p.empty()) return fail(p, "empty file name");
    if (p[0] != '/') p = directoryOf(fromFile) + "/" + p;
    return loadPlugin(asFilePath(p));
  };
}

PluginResolver directoryResolver(std::string dir) {
  return [dir = std::move(dir)](std::string_view path, std::string_view) -> Result<LoadedPlugin> {
    const std::string name(path);
    if (dir.empty())
      return fail(name, "this server loads no device plugins (its administrator has not set a plugin directory)");
    char root[PATH_MAX], real[PATH_MAX];
    if (!::realpath(dir.c_str(), root)) return fail(name, "the server's plugin directory is missing");
    const std::string outside = "is outside the server's plugin directory (only plugins installed there are loaded)";
    if (name.empty() || name[0] == '/') return fail(name, outside);
    const std::string full = std::string(root) + "/" + name;
    if (!::realpath(full.c_str(), real)) return fail(name, "no such plugin in the server's plugin directory");
    const std::string r(real), base = std::string(root) + "/";
    if (r.compare(0, base.size(), base) != 0) return fail(name, outside);
    auto p = loadPlugin(r);
    if (!p) return p;
    p.value().file = name;  // messages name it as the request did, not the server's path
    return p;
  };
}

}  // namespace simcore::plugins
