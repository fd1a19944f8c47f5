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
  if (p.keywords && !std::isnan(p.def)) {
    // the keyword the default stands for
    std::string_view all = p.keywords;
    for (int k = 0; k < int(p.def) && all.find(' ') != std::string_view::npos; ++k) all.remove_prefix(all.find(' ') + 1);
    return std::string(all.substr(0, all.find(' ')));
  }
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

}  // namespace

std::string paramTables(const dev::DeviceKind& kind) {
  std::string out;
  table(out, kind, dev::ParamScope::Instance, "instance");
  table(out, kind, dev::ParamScope::Model, "model");
  return out;
}

Result<std::string> regenerate(std::string_view text) {
  std::string out;
  std::vector<const dev::DeviceKind*> seen;
  std::vector<char> typedLetters;  // letters with params:<letter>:<type> blocks
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
    // "params:d" (the letter's first kind) or "params:a:pwm" (the kind of that model type)
    const char letter = text[letterAt];
    std::string type;
    if (letterAt + 1 < bEol && text[letterAt + 1] == ':') {
      const std::size_t typeEnd = text.find(' ', letterAt + 2);
      if (typeEnd == std::string_view::npos || typeEnd > bEol)
        return makeError(ErrorCode::Parse, "unterminated marker", SourceLoc{"devices.md", bLine, 1});
      type = std::string(text.substr(letterAt + 2, typeEnd - letterAt - 2));
    }
    const dev::DeviceKind* kind = type.empty() ? dev::findKind(letter) : dev::findKind(letter, type);
    if (!kind)
      return makeError(ErrorCode::Semantic,
                       std::string("no device kind '") + letter + (type.empty() ? "" : ":" + type) + "'",
                       SourceLoc{"devices.md", bLine, 1});
    const std::string end = std::string(kEnd) + letter + (type.empty() ? "" : ":" + type) + " -->";
    const std::size_t e = text.find(end, bEol);
    if (e == std::string_view::npos)
      return makeError(ErrorCode::Parse, "no '" + end + "' after this marker", SourceLoc{"devices.md", bLine, 1});
    out.append(text.substr(pos, bEol + 1 - pos));
    out += paramTables(*kind);
    out.append(text.substr(e, end.size()));
    pos = e + end.size();
    seen.push_back(kind);
    if (!type.empty()) typedLetters.push_back(letter);
  }
  out.append(text.substr(pos));
  // Every kind with parameters needs a block: its own, or for a letter
  // without typed blocks, the letter's (its first kind's).
  for (const dev::DeviceKind& k : dev::registry()) {
    if (k.params.empty()) continue;
    bool found = false, typed = false;
    for (const dev::DeviceKind* s : seen) found = found || s == &k || (s->letter == k.letter);
    for (char c : typedLetters) typed = typed || c == k.letter;
    if (typed) {
      found = false;
      for (const dev::DeviceKind* s : seen) found = found || s == &k;
    }
    if (!found)
      return makeError(ErrorCode::Semantic, std::string("no generated parameter block for the ") + k.name + " (" +
                                                std::string(kBegin) + k.letter +
                                                (typed ? std::string(":") + k.modelTypes[0] : std::string()) + " -->)");
  }
  return out;
}

}  // namespace simcore::docs
