// `.plugin PATH` cards and ParseOptions::plugins: the device kinds of device
// plugins (docs/plugins.md). The front end loads each file (the engine opens
// none); the kinds are checked once and usable by every card of the netlist.
#include <string>
#include <vector>

#include "netlist/frontend.hpp"

namespace simcore::netlist {

void Frontend::loadPlugins(const std::vector<Card>& cards) {
  std::vector<LoadedPlugin> plugins;
  std::vector<const Token*> at;  // the card of each plugin (null: from the caller)
  // A plugin named twice (--plugin and a .plugin card, two files including one
  // library) counts once: the same descriptor.
  auto known = [&](const simcore_plugin* p) {
    for (const LoadedPlugin& q : plugins)
      if (q.plugin == p) return true;
    return false;
  };
  for (const LoadedPlugin& p : opts_.plugins) {
    if (p.plugin && known(p.plugin)) continue;
    plugins.push_back(p);
    at.push_back(nullptr);
  }
  for (const Card& c : cards) {
    const Token& head = c[0];
    if (head.kind != TokKind::Word || !ieq(head.text, ".plugin")) continue;
    if (c.error) throw NetlistError{*c.error};
    if (c.size() != 2 || (c[1].kind != TokKind::Word && c[1].kind != TokKind::Str))
      failAt(head, ErrorCode::Parse, "expected '.plugin FILE' (a device plugin's shared library)");
    std::string_view path = c[1].text;
    if (c[1].kind == TokKind::Str && path.size() >= 2) path = path.substr(1, path.size() - 2);
    if (!opts_.pluginResolver)
      failAt(head, ErrorCode::Semantic, "'.plugin' is not available here (this front end loads no device plugins)");
    Result<LoadedPlugin> r = opts_.pluginResolver(path, *head.file);
    if (!r.ok()) failAt(c[1], ErrorCode::Semantic, r.error().message);
    if (r.value().plugin && known(r.value().plugin)) continue;
    plugins.push_back(std::move(r.value()));
    at.push_back(&c[1]);
  }
  if (plugins.empty()) return;
  for (std::size_t i = 0; i < plugins.size(); ++i) {
    // Each plugin alone first, so that an error points at its card.
    if (auto s = checkPlugin(plugins[i]); !s) {
      if (at[i]) failAt(*at[i], s.error().code, s.error().message);
      throw NetlistError{s.error()};
    }
  }
  auto kinds = PluginKinds::make(std::move(plugins));
  if (!kinds) throw NetlistError{kinds.takeError()};
  c_.plugins = std::move(kinds.value());
  kinds_ = dev::KindTable(c_.plugins.get());
}

}  // namespace simcore::netlist
