#include "netlist/xspice_files.hpp"

#include <cstdlib>
#include <string>
#include <vector>

#include "netlist/number.hpp"

namespace simcore::netlist {
namespace {

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

[[noreturn]] void failLine(const ir::ResolvedFile& f, int line, const std::string& msg) {
  fail(ErrorCode::Parse, msg, SourceLoc{f.name, line, 1});
}

// d_source: lines whose first character is '*' are comments; tokens are
// separated by blanks, '=', '(', ')' and ','.
void dsourceRows(const ir::ResolvedFile& f, std::vector<double>& out) {
  static constexpr const char* kCodes[] = {"0s", "1s", "Us", "0r", "1r", "Ur", "0z", "1z", "Uz", "0u", "1u", "Uu"};
  std::string_view text = f.text;
  int line = 0;
  bool first = true;
  double prev = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string_view ln = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line;
    if (!ln.empty() && ln[0] == '*') continue;
    std::vector<std::string_view> toks;
    for (std::size_t k = 0; k < ln.size();) {
      auto sep = [&](char c) { return blank(c) || c == '=' || c == '(' || c == ')' || c == ','; };
      while (k < ln.size() && sep(ln[k])) ++k;
      const std::size_t b = k;
      while (k < ln.size() && !sep(ln[k])) ++k;
      if (k > b) toks.push_back(ln.substr(b, k - b));
    }
    if (toks.empty()) continue;
    double t = 0;
    std::string why;
    if (!parseNumber(toks[0], t, why))
      failLine(f, line, "expected a time at the start of the line, found " + quoteTok(toks[0]) + " (d_source vector file)");
    if (!first && !(t > prev))
      failLine(f, line, "times must increase: " + std::string(toks[0]) + " follows a later or equal time (d_source vector file)");
    first = false;
    prev = t;
    out.push_back(line);
    out.push_back(double(toks.size()));
    out.push_back(t);
    for (std::size_t k = 1; k < toks.size(); ++k) {
      int code = -1;
      for (int c = 0; c < 12; ++c)
        if (toks[k] == kCodes[c]) code = c;
      if (code < 0)
        failLine(f, line,
                 "unknown digital value " + quoteTok(toks[k]) +
                     " (d_source vector file: 0s 1s Us 0r 1r Ur 0z 1z Uz 0u 1u Uu)");
      out.push_back(code);
    }
  }
}

// d_state: tokens as d_source's; each is encoded for the device, which
// tells header and continuation lines apart by their length: a number as its
// value, a digital value 0s .. Uu as kCodeBase + its code, x or X (an input
// that does not matter) as kStateDontCare, anything else (the arrow) as
// kStateWord.
void dstateRows(const ir::ResolvedFile& f, std::vector<double>& out) {
  static constexpr const char* kCodes[] = {"0s", "1s", "Us", "0r", "1r", "Ur", "0z", "1z", "Uz", "0u", "1u", "Uu"};
  std::string_view text = f.text;
  int line = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string_view ln = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line;
    if (!ln.empty() && ln[0] == '*') continue;
    std::vector<double> toks;
    for (std::size_t k = 0; k < ln.size();) {
      auto sep = [&](char c) { return blank(c) || c == '=' || c == '(' || c == ')' || c == ','; };
      while (k < ln.size() && sep(ln[k])) ++k;
      const std::size_t b = k;
      while (k < ln.size() && !sep(ln[k])) ++k;
      if (k == b) continue;
      const std::string_view t = ln.substr(b, k - b);
      double v = kStateWord;
      bool known = false;
      std::string why;
      for (int c = 0; c < 12; ++c)
        if (t == kCodes[c]) {
          v = kStateCodeBase + c;
          known = true;
        }
      if (t == "x" || t == "X") v = kStateDontCare;
      else if (!known && !parseNumber(t, v, why)) v = kStateWord;
      toks.push_back(v);
    }
    if (toks.empty()) continue;
    out.push_back(line);
    out.push_back(double(toks.size()));
    out.insert(out.end(), toks.begin(), toks.end());
  }
}

// filesource: leading blanks skipped; '*', '#' and ';' start a comment line;
// a line that does not start with a number is skipped; the numbers after the
// time are separated by blanks or commas (up to the first that is not one).
void filesourceRows(const ir::ResolvedFile& f, std::vector<double>& out) {
  std::string_view text = f.text;
  int line = 0;
  std::string buf;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    buf.assign(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line;
    const char* p = buf.c_str();
    while (*p && blank(*p)) ++p;
    if (*p == '*' || *p == '#' || *p == ';') continue;
    char* end = nullptr;
    const double t = std::strtod(p, &end);
    if (end == p) continue;
    const std::size_t at = out.size();
    out.push_back(line);
    out.push_back(1);
    out.push_back(t);
    p = end;
    for (;;) {
      while (*p && (blank(*p) || *p == ',')) ++p;
      const double v = std::strtod(p, &end);
      if (end == p) break;
      out.push_back(v);
      out[at + 1] += 1;
      p = end;
    }
  }
}

}  // namespace

bool xspiceFileParam(std::string_view type, std::string_view param) {
  return (type == "d_source" && param == "input_file") || (type == "filesource" && param == "file") ||
         (type == "d_state" && param == "state_file");
}

ir::Param xspiceFileValue(const Token& nameTok, const Token& value, const ir::Model& m, std::string_view param,
                          const ir::IncludeResolver& resolver) {
  const std::string what = "'" + std::string(param) + "=' in .model '" + m.name + "'";
  if (value.kind != TokKind::Str && value.kind != TokKind::Word)
    failAt(value, ErrorCode::Parse, what + " needs a file name (\"file.txt\"), found " + quoteTok(value.text));
  std::string_view path = value.text;
  if (value.kind == TokKind::Str) path = path.substr(1, path.size() - 2);
  if (path.empty()) failAt(value, ErrorCode::Parse, what + ": empty file name");
  if (!resolver) failAt(value, ErrorCode::Semantic, what + " needs a file resolver (none was given to the parser)");
  const std::string from = value.file ? *value.file : std::string();
  Result<ir::ResolvedFile> r = resolver(path, from);
  if (!r.ok()) failAt(value, ErrorCode::Semantic, what + ": cannot read '" + std::string(path) + "': " + r.error().message);
  const ir::ResolvedFile& file = r.value();
  ir::Param p{std::string(param), 0.0, locOf(nameTok), {}};
  if (m.type == "d_source") dsourceRows(file, p.values);
  else if (m.type == "d_state") dstateRows(file, p.values);
  else filesourceRows(file, p.values);
  if (p.values.empty()) failAt(value, ErrorCode::Semantic, what + ": the file '" + file.name + "' holds no data rows");
  p.value = p.values[0];
  return p;
}

}  // namespace simcore::netlist
