// `.plugin PATH` cards and ParseOptions::plugins: the device kinds of device
// plugins (docs/plugins.md). The front end loads each file (the engine opens
// none); the kinds are checked once and usable by every card of the netlist.
#include <string>
#include <vector>

#include "devices/plugin_kind.hpp"
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
  // ngspice's `pre_osdi FILE` in a .control block: an OSDI model library
  // (compiled Verilog-A), loaded before the circuit is read; the front end's
  // loader turns it into device kinds (docs/osdi.md).
  for (const auto& u : units_)
    for (const auto& l : u->lex->control) {
      std::string_view text = l.text;
      std::size_t b = text.find_first_not_of(" \t");
      if (b == std::string_view::npos) continue;
      std::size_t e = text.find_first_of(" \t", b);
      if (e == std::string_view::npos || lower(text.substr(b, e - b)) != "pre_osdi") continue;
      const Token head{text.substr(b, e - b), &u->lex->name, l.line, static_cast<std::uint32_t>(b + 1), TokKind::Word};
      std::string_view rest = text.substr(e);
      if (auto sc = rest.find(';'); sc != std::string_view::npos) rest = rest.substr(0, sc);
      const std::size_t pb = rest.find_first_not_of(" \t");
      const std::size_t pe = rest.find_last_not_of(" \t\r");
      if (pb == std::string_view::npos) failAt(head, ErrorCode::Parse, "expected 'pre_osdi FILE' (an OSDI library, .osdi)");
      std::string_view path = rest.substr(pb, pe - pb + 1);
      if (path.size() >= 2 && (path[0] == '"' || path[0] == '\'') && path.back() == path[0])
        path = path.substr(1, path.size() - 2);
      if (!opts_.pluginResolver)
        failAt(head, ErrorCode::Semantic, "'pre_osdi' is not available here (this front end loads no OSDI libraries)");
      Result<LoadedPlugin> r = opts_.pluginResolver(path, u->lex->name);
      if (!r.ok()) {
        std::string why = r.error().message;  // the loader's words for a library it could not open
        if (why.rfind("device plugin '", 0) == 0) why = "OSDI library '" + why.substr(15);
        failAt(head, ErrorCode::Semantic, why);
      }
      if (r.value().plugin && known(r.value().plugin)) continue;
      plugins.push_back(std::move(r.value()));
      at.push_back(nullptr);
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
