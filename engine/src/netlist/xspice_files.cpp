#include "netlist/xspice_files.hpp"

#include <cmath>
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


// table2d / table3d (ngspice 39's layout): lines whose first non-blank
// character is '*' are comments, blank lines are skipped; then one line per
// count (nx, ny, and nz for 3-D), one line per axis with its values (x, y,
// and z), then the data: for each z (one table for 2-D) ny lines of nx
// values, f(x[0..nx-1], y[j]). Tokens are SPICE numbers (suffixes allowed),
// separated by blanks, '=', '(', ')' and ','. Encoded as
// [dims, nx, ny, nz, x..., y..., z..., data...] (nz = 1, z = {0} for 2-D).
void tableRows(const ir::ResolvedFile& f, int dims, std::vector<double>& out) {
  const char* const what = dims == 2 ? " (table2d file)" : " (table3d file)";
  struct Line {
    int no;
    std::vector<std::string_view> toks;
  };
  std::vector<Line> lines;
  std::string_view text = f.text;
  int line = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string_view ln = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line;
    std::size_t k = 0;
    while (k < ln.size() && blank(ln[k])) ++k;
    if (k == ln.size() || ln[k] == '*') continue;
    Line l{line, {}};
    auto sep = [](char c) { return blank(c) || c == '=' || c == '(' || c == ')' || c == ','; };
    while (k < ln.size()) {
      while (k < ln.size() && sep(ln[k])) ++k;
      const std::size_t b = k;
      while (k < ln.size() && !sep(ln[k])) ++k;
      if (k > b) l.toks.push_back(ln.substr(b, k - b));
    }
    if (!l.toks.empty()) lines.push_back(std::move(l));
  }
  std::size_t at = 0;
  const int lastLine = line;
  auto need = [&](const std::string& expected) -> const Line& {
    if (at == lines.size()) failLine(f, lastLine, "the file ends early: expected " + expected + what);
    return lines[at++];
  };
  auto number = [&](const Line& l, std::string_view t, const std::string& expected) {
    double v = 0;
    std::string why;
    if (!parseNumber(t, v, why)) failLine(f, l.no, "expected " + expected + ", found " + quoteTok(t) + what);
    return v;
  };
  static constexpr const char* kAxis[] = {"x", "y", "z"};
  std::size_t n[3] = {1, 1, 1};
  for (int a = 0; a < dims; ++a) {
    const std::string e = std::string("the number of ") + kAxis[a] + " values (a whole number, at least 2)";
    const Line& l = need(e);
    const double v = number(l, l.toks[0], e);
    if (l.toks.size() > 1)
      failLine(f, l.no, "expected only " + e + " on this line, found also " + quoteTok(l.toks[1]) + what);
    if (!(v >= 2) || v != std::floor(v) || v > 1e7)
      failLine(f, l.no, "expected " + e + ", found " + std::string(l.toks[0]) + what);
    n[a] = std::size_t(v);
  }
  out.push_back(dims);
  out.insert(out.end(), {double(n[0]), double(n[1]), double(n[2])});
  for (int a = 0; a < dims; ++a) {
    const std::string e = "the " + std::to_string(n[a]) + " " + kAxis[a] + " values, increasing, on one line";
    const Line& l = need(e);
    if (l.toks.size() != n[a])
      failLine(f, l.no, "expected " + e + ", found " + std::to_string(l.toks.size()) + " values" + what);
    for (std::size_t k = 0; k < n[a]; ++k) {
      const double v = number(l, l.toks[k], std::string(kAxis[a]) + " value " + std::to_string(k + 1));
      if (k > 0 && !(v > out.back()))
        failLine(f, l.no,
                 std::string("the ") + kAxis[a] + " values must increase: " + std::string(l.toks[k]) +
                     " follows " + std::string(l.toks[k - 1]) + what);
      out.push_back(v);
    }
  }
  if (dims == 2) out.push_back(0.0);
  for (std::size_t t = 0; t < n[2]; ++t)
    for (std::size_t r = 0; r < n[1]; ++r) {
      std::string e = "row " + std::to_string(r + 1) + " of " + std::to_string(n[1]) + " (y = " + std::to_string(r + 1) +
                      ")";
      if (dims == 3) e += " of table " + std::to_string(t + 1) + " of " + std::to_string(n[2]);
      e += ": " + std::to_string(n[0]) + " values, one per x";
      const Line& l = need(e);
      if (l.toks.size() != n[0])
        failLine(f, l.no, "expected " + e + ", found " + std::to_string(l.toks.size()) + " values" + what);
      for (std::string_view tk : l.toks) out.push_back(number(l, tk, "a table value"));
    }
  if (at < lines.size())
    failLine(f, lines[at].no,
             "expected the end of the file after the " + std::string(dims == 2 ? "table" : "tables") + ", found " +
                 quoteTok(lines[at].toks[0]) + what);
}

}  // namespace

bool xspiceFileParam(std::string_view type, std::string_view param) {
  return (type == "d_source" && param == "input_file") || (type == "filesource" && param == "file") ||
         (type == "d_state" && param == "state_file") || ((type == "table2d" || type == "table3d") && param == "file");
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
  else if (m.type == "table2d") tableRows(file, 2, p.values);
  else if (m.type == "table3d") tableRows(file, 3, p.values);
  else filesourceRows(file, p.values);
  if (p.values.empty()) failAt(value, ErrorCode::Semantic, what + ": the file '" + file.name + "' holds no data rows");
  p.value = p.values[0];
  return p;
}

}  // namespace simcore::netlist
