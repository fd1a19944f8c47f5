#include "static_plugins.hpp"

#include <string>

namespace simcore::plugins {
namespace {

LoadedPlugin loaded(const StaticPlugin& p) {
  return LoadedPlugin{"<built-in " + std::string(p.name) + ">", p.entry(), nullptr};
}

}  // namespace

std::vector<LoadedPlugin> staticPlugins() {
  std::vector<LoadedPlugin> out;
  for (const StaticPlugin& p : staticPluginTable()) out.push_back(loaded(p));
  return out;
}

PluginResolver staticResolver() {
  return [](std::string_view path, std::string_view) -> Result<LoadedPlugin> {
    std::string_view stem = path;
    if (const std::size_t slash = stem.rfind('/'); slash != std::string_view::npos) stem.remove_prefix(slash + 1);
    if (const std::size_t dot = stem.find('.'); dot != std::string_view::npos) stem = stem.substr(0, dot);
    std::string have;
    for (const StaticPlugin& p : staticPluginTable()) {
      if (stem == p.name) return loaded(p);
      have += (have.empty() ? "" : ", ") + std::string(p.name);
    }
    return makeError(ErrorCode::Semantic,
                     "device plugin '" + std::string(path) + "': not built into this program (plugins are linked in "
                     "at build time here; built in: " + (have.empty() ? std::string("none") : have) + ")");
  };
}

}  // namespace simcore::plugins
