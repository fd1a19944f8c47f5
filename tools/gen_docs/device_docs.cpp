#include "device_docs.hpp"

#include "devices/port_types.hpp"

#include <cmath>
#include <cstdio>
#include <vector>

namespace simcore::docs {

namespace {

constexpr std::string_view kBegin = "<!-- BEGIN GENERATED params:";
constexpr std::string_view kEnd = "<!-- END GENERATED params:";

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = char(c - 32);
  return out;
}

std::string defaultOf(const dev::ParamSpec& p) {
  if (p.flag) return "off";
  if (p.keywords && !std::isnan(p.def)) {
    // the keyword the default stands for
    std::string_view all = p.keywords;
    for (int k = 0; k < int(p.def) && all.find(' ') != std::string_view::npos; ++k) all.remove_prefix(all.find(' ') + 1);
    return std::string(all.substr(0, all.find(' ')));
  }
  if (p.defaultText) return p.defaultText;
  if (std::isnan(p.def)) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", p.def);
  return buf;
}

std::string nameOf(const dev::ParamSpec& p) {
  const bool model = p.scope == dev::ParamScope::Model;
  std::string s = model ? upper(p.name) : std::string(p.name) + (p.flag ? "" : "=");
  if (p.vector) s += " [ ]";
  std::string aka;
  for (const char* a : p.aliases)
    if (a) aka += (aka.empty() ? "" : ", ") + (model ? upper(a) : std::string(a));
  return aka.empty() ? s : s + " (" + aka + ")";
}

void table(std::string& out, const dev::DeviceKind& kind, dev::ParamScope scope, const char* heading) {
  bool any = false;
  for (const dev::ParamSpec& p : kind.params) {
    if (p.scope != scope) continue;
    if (!any) {
      if (!out.empty()) out += "\n";
      out += std::string("| ") + heading + " | default | unit | meaning |\n| --- | --- | --- | --- |\n";
      any = true;
    }
    out += "| " + nameOf(p) + " | " + defaultOf(p) + " | " + p.unit + " | " + p.doc + " |\n";
  }
}

constexpr std::string_view kPortsBegin = "<!-- BEGIN GENERATED port-types -->";
constexpr std::string_view kPortsEnd = "<!-- END GENERATED port-types -->";

}  // namespace

std::string portTypeTable() {
  std::string out = "| type | then | meaning |\n| --- | --- | --- |\n";
  for (const dev::block::PortTypeInfo& t : dev::block::kPortTypes) {
    const char* then = t.nodes == 0 ? "a voltage source's name" : t.nodes == 2 ? "two nodes (plus minus)" : "a node";
    out += std::string("| `") + t.spelling + "` | " + then + " | " + t.doc + " |\n";
  }
  return out;
}

std::string paramTables(const dev::DeviceKind& kind) {
  std::string out;
  table(out, kind, dev::ParamScope::Instance, "instance");
  table(out, kind, dev::ParamScope::Model, "model");
  return out;
}

Result<std::string> regenerate(std::string_view text) {
  std::string out;
  std::vector<const dev::DeviceKind*> seen;
  std::size_t pos = 0;
  int line = 1;
  std::size_t counted = 0;  // text[0, counted) has `line - 1` newlines
  auto lineAt = [&](std::size_t at) {
    for (; counted < at; ++counted) line += text[counted] == '\n';
    return line;
  };
  for (;;) {
    const std::size_t b = text.find(kBegin, pos);
    if (b == std::string_view::npos) break;
    const std::size_t bEol = text.find('\n', b);
    const std::size_t letterAt = b + kBegin.size();
    const int bLine = lineAt(b);
    if (bEol == std::string_view::npos || letterAt >= text.size())
      return makeError(ErrorCode::Parse, "unterminated marker", SourceLoc{"devices.md", bLine, 1});
    // "d" (the letter's first kind) or "d/pwldiode" (the kind of that model type)
    const std::size_t keyEnd = text.find(" -->", letterAt);
    if (keyEnd == std::string_view::npos || keyEnd > bEol)
      return makeError(ErrorCode::Parse, "unterminated marker", SourceLoc{"devices.md", bLine, 1});
    const std::string key(text.substr(letterAt, keyEnd - letterAt));
    const char letter = key[0];
    const dev::DeviceKind* kind = key.size() > 2 && key[1] == '/' ? dev::findKind(letter, key.substr(2)) : dev::findKind(letter);
    if (!kind || (key.size() > 1 && key[1] != '/'))
      return makeError(ErrorCode::Semantic, "no device kind '" + key + "'", SourceLoc{"devices.md", bLine, 1});
    const std::string end = std::string(kEnd) + key + " -->";
    const std::size_t e = text.find(end, bEol);
    if (e == std::string_view::npos)
      return makeError(ErrorCode::Parse, "no '" + end + "' after this marker", SourceLoc{"devices.md", bLine, 1});
    out.append(text.substr(pos, bEol + 1 - pos));
    out += paramTables(*kind);
    out.append(text.substr(e, end.size()));
    pos = e + end.size();
    seen.push_back(kind);
  }
  out.append(text.substr(pos));
  if (const std::size_t b = out.find(kPortsBegin); b != std::string::npos) {
    const std::size_t bEol = out.find('\n', b);
    const std::size_t e = out.find(kPortsEnd, b);
    if (bEol == std::string::npos || e == std::string::npos || e < bEol)
      return makeError(ErrorCode::Parse, "no '" + std::string(kPortsEnd) + "' after the port-type marker",
                       SourceLoc{"devices.md", 0, 1});
    out.replace(bEol + 1, e - (bEol + 1), portTypeTable());
  }
  for (const dev::DeviceKind& k : dev::registry()) {
    if (k.params.empty() || k.variantOf) continue;
    bool found = false;
    for (const dev::DeviceKind* c : seen) found = found || c == &k;
    const std::string key = std::string(1, k.letter) + (dev::findKind(k.letter) == &k ? "" : std::string("/") + k.modelTypes[0]);
    if (!found)
      return makeError(ErrorCode::Semantic, std::string("no generated parameter block for the ") + k.name + " (" +
                                                std::string(kBegin) + key + " -->)");
  }
  return out;
}

}  // namespace simcore::docs
