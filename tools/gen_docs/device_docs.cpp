#include "device_docs.hpp"

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
  if (p.defaultText) return p.defaultText;
  if (std::isnan(p.def)) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", p.def);
  return buf;
}

std::string nameOf(const dev::ParamSpec& p) {
  const bool model = p.scope == dev::ParamScope::Model;
  std::string s = model ? upper(p.name) : std::string(p.name) + (p.flag ? "" : "=");
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

}  // namespace

std::string paramTables(const dev::DeviceKind& kind) {
  std::string out;
  table(out, kind, dev::ParamScope::Instance, "instance");
  table(out, kind, dev::ParamScope::Model, "model");
  return out;
}

Result<std::string> regenerate(std::string_view text) {
  std::string out;
  std::vector<char> seen;
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
    const char letter = text[letterAt];
    const dev::DeviceKind* kind = dev::findKind(letter);
    if (!kind)
      return makeError(ErrorCode::Semantic, std::string("no device kind '") + letter + "'", SourceLoc{"devices.md", bLine, 1});
    const std::string end = std::string(kEnd) + letter + " -->";
    const std::size_t e = text.find(end, bEol);
    if (e == std::string_view::npos)
      return makeError(ErrorCode::Parse, "no '" + end + "' after this marker", SourceLoc{"devices.md", bLine, 1});
    out.append(text.substr(pos, bEol + 1 - pos));
    out += paramTables(*kind);
    out.append(text.substr(e, end.size()));
    pos = e + end.size();
    seen.push_back(letter);
  }
  out.append(text.substr(pos));
  for (const dev::DeviceKind& k : dev::registry()) {
    if (k.params.empty()) continue;
    bool found = false;
    for (char c : seen) found = found || c == k.letter;
    if (!found)
      return makeError(ErrorCode::Semantic, std::string("no generated parameter block for the ") + k.name + " (" +
                                                std::string(kBegin) + k.letter + " -->)");
  }
  return out;
}

}  // namespace simcore::docs
