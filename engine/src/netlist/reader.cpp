// Reading: source units, .include / .lib expansion, and the structure pass
// that sorts cards into the sub-circuit definition tree.
#include <algorithm>
#include <optional>

#include "devices/descriptor.hpp"
#include "netlist/frontend.hpp"

namespace simcore::netlist {
namespace {

bool isDot(const Card& c, std::string_view lname) {
  return c.size() > 0 && c[0].kind == TokKind::Word && ieq(c[0].text, lname);
}

std::string unquote(const Token& t) {
  std::string_view s = t.text;
  if ((t.kind == TokKind::Str || t.kind == TokKind::Expr) && s.size() >= 2) s = s.substr(1, s.size() - 2);
  return std::string(s);
}

bool isIdent(std::string_view s) {
  if (s.empty()) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!alpha(s[0])) return false;
  for (char c : s)
    if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
  return true;
}

constexpr const char* kControlCards[] = {".op",    ".dc",    ".ac",      ".tran",  ".options", ".option",
                                         ".opt",   ".temp",  ".ic",      ".nodeset", ".save",  ".print",
                                         ".probe", ".title", ".global", ".step", ".tran/op"};

}  // namespace

SourceUnit& Frontend::addUnit(std::string name, std::string owned, std::string_view text, bool hasTitle,
                              bool library) {
  if (units_.size() >= static_cast<std::size_t>(kMaxIncludedFiles))
    fail(ErrorCode::Limit, "too many included files (more than " + std::to_string(kMaxIncludedFiles) + ")", {});
  auto unit = std::make_unique<SourceUnit>();
  unit->lex = std::make_unique<LexedFile>();
  LexedFile& lex = *unit->lex;
  lex.name = std::move(name);
  if (text.data() == nullptr) {
    lex.owned = std::move(owned);
    lex.text = lex.owned;
  } else {
    lex.text = text;
  }
  // A NUL byte is never netlist text (a binary file, or a truncated upload): say where.
  if (std::size_t nul = lex.text.find('\0'); nul != std::string_view::npos) {
    const std::string_view before = lex.text.substr(0, nul);
    const int line = 1 + int(std::count(before.begin(), before.end(), '\n'));
    const std::size_t lineStart = before.rfind('\n');
    const int col = 1 + int(lineStart == std::string_view::npos ? nul : nul - lineStart - 1);
    fail(ErrorCode::Parse, "a NUL byte in the netlist text (is this a binary file?)", SourceLoc{lex.name, line, col});
  }
  // (a card it cannot read fails where it is read, buildStructure; an included
  // file is read past a '.end', as ngspice reads it)
  lexFile(lex, hasTitle, true, hasTitle);
  for (auto& w : lex.warnings) c_.warnings.push_back(std::move(w));

  // Split the cards into the main flow and `.lib NAME` ... `.endl` sections.
  SourceUnit::Section* cur = nullptr;
  const std::vector<Card>& cards = lex.cards;
  for (std::size_t k = 0; k < cards.size(); ++k) {
    const Card& c = cards[k];
    bool isLib = isDot(c, ".lib");
    bool isEndl = isDot(c, ".endl");
    if (cur) {
      if (isEndl) cur = nullptr;
      else cur->cards.push_back(c);
      continue;
    }
    if (isEndl) failAt(c[0], ErrorCode::Parse, "'.endl' without a '.lib' section");
    if (isLib && c.size() == 2) {
      // In a library file a one-word .lib opens a section. Elsewhere it opens
      // one only when an .endl follows before the next one-word .lib;
      // otherwise it references a section of this file.
      bool definition = library;
      for (std::size_t j = k + 1; !definition && j < cards.size(); ++j) {
        if (isDot(cards[j], ".endl")) definition = true;
        else if (isDot(cards[j], ".lib") && cards[j].size() == 2) break;
      }
      if (definition) {
        std::string sec = lower(unquote(c[1]));
        if (unit->sections.count(sec))
          failAt(c[1], ErrorCode::Semantic, "duplicate .lib section '" + sec + "'");
        cur = &unit->sections[sec];
        cur->at = &c[1];
        continue;
      }
    }
    unit->flow.push_back(c);
  }
  if (cur) failAt(*cur->at, ErrorCode::Parse, "'.lib' section '" + lower(cur->at->text) + "' is never closed: expected '.endl'");
  units_.push_back(std::move(unit));
  return *units_.back();
}

SourceUnit& Frontend::includedUnit(ir::ResolvedFile rf, bool library) {
  const std::string key = (library ? "L:" : "I:") + rf.name;
  if (auto it = includedUnits_.find(key); it != includedUnits_.end()) return *it->second;
  SourceUnit& u = addUnit(rf.name, std::move(rf.text), {}, false, library);
  includedUnits_.emplace(key, &u);
  return u;
}

void Frontend::expand(SourceUnit& unit, const std::vector<Card>& cards, std::vector<Card>& out, int depth) {
  for (const Card& c : cards) {
    if (isDot(c, ".include") || isDot(c, ".inc") || isDot(c, ".lib")) {
      includeCard(unit, c, out, depth);
    } else if (c.size() == 2 && (isDot(c, "include") || isDot(c, "inc")) && c[1].kind == TokKind::Str) {
      // `include "FILE"` without its dot (SkyWater's sky130 nfet_05v0_nvt model file has one):
      // ngspice 39 reads a current source named include (no value: 0 A) between junk nodes, so
      // the file is never read; simcore leaves the card out and says so
      warnOnce(c[0], "dotless-include:" + (c[0].file ? *c[0].file : std::string()) + ":" + std::to_string(c[0].line),
               "'" + std::string(c[0].text) + " " + std::string(c[1].text) +
                   "' ignored: without its leading dot it is not an include (ngspice 39 reads a current source of "
                   "0 A named '" + lower(c[0].text) + "' and does not read the file either); write '." +
                   lower(c[0].text) + "' to include it");
    } else {
      out.push_back(c);
    }
  }
}

void Frontend::includeCard(SourceUnit& unit, const Card& c, std::vector<Card>& out, int depth) {
  if (c.error) throw NetlistError{*c.error};
  const bool isLib = isDot(c, ".lib");
  const std::string card = isLib ? ".lib" : ".include";
  if (depth >= kMaxIncludeDepth)
    failAt(c[0], ErrorCode::Limit, card + " nested too deeply (more than " + std::to_string(kMaxIncludeDepth) + " levels)");
  auto enter = [&](const std::string& key, const Token& at) {
    if (std::find(includeStack_.begin(), includeStack_.end(), key) != includeStack_.end()) {
      std::string chain;
      for (const auto& k : includeStack_) chain += k + " -> ";
      failAt(at, ErrorCode::Semantic, "include cycle: " + chain + key);
    }
    includeStack_.push_back(key);
  };
  if (isLib && c.size() == 2) {  // section of the current file
    std::string sec = lower(unquote(c[1]));
    auto it = unit.sections.find(sec);
    if (it != unit.sections.end()) {
      enter(unit.lex->name + "#" + sec, c[1]);
      expand(unit, it->second.cards, out, depth + 1);
      includeStack_.pop_back();
      return;
    }
    // LTspice's .lib FILE (the whole file, as .include); its own standard.*
    // libraries ship with LTspice and are never on disk here
    const std::string name = unquote(c[1]);
    std::string base = lower(name);
    if (auto slash = base.find_last_of("/\\"); slash != std::string::npos) base = base.substr(slash + 1);
    if (base.rfind("standard.", 0) == 0)
      failAt(c[1], ErrorCode::Semantic,
             "'" + name + "' is one of LTspice's built-in libraries (installed with LTspice, in its lib/cmp folder), "
             "not a file here: copy the .model cards the circuit uses from it into the netlist, or .include a copy "
             "of the file");
    Result<ir::ResolvedFile> r = opts_.resolver ? opts_.resolver(name, *c[0].file)
                                                : Result<ir::ResolvedFile>(makeError(ErrorCode::Semantic, "no resolver"));
    if (!r.ok()) failAt(c[1], ErrorCode::Semantic, "no '.lib " + sec + "' section in " + unit.lex->name);
    ir::ResolvedFile rf = std::move(r.value());
    enter(rf.name, c[1]);
    SourceUnit& u = includedUnit(std::move(rf), false);
    expand(u, u.flow, out, depth + 1);
    includeStack_.pop_back();
    return;
  }
  if (c.size() < 2) failAt(c[0], ErrorCode::Parse, card + " needs a file name");
  if (isLib && c.size() != 3)
    failAt(c[0], ErrorCode::Parse, "expected '.lib FILE SECTION' (or '.lib SECTION' for a section of this file)");
  if (!isLib && c.size() != 2) failAt(c[2], ErrorCode::Parse, "unexpected " + quoteTok(c[2].text) + " after the .include file name");
  if (c[1].kind == TokKind::Eq || c[1].kind == TokKind::LParen || c[1].kind == TokKind::RParen)
    failAt(c[1], ErrorCode::Parse, card + " needs a file name, found " + quoteTok(c[1].text));
  std::string path = unquote(c[1]);
  if (!opts_.resolver) failAt(c[0], ErrorCode::Semantic, card + " needs a file resolver (none was given to the parser)");
  Result<ir::ResolvedFile> r = opts_.resolver(path, *c[0].file);
  if (!r.ok()) failAt(c[1], ErrorCode::Semantic, "cannot read '" + path + "': " + r.error().message);
  ir::ResolvedFile rf = std::move(r.value());
  std::string sec = isLib ? lower(unquote(c[2])) : std::string();
  enter(isLib ? rf.name + "#" + sec : rf.name, c[1]);
  SourceUnit& u = includedUnit(std::move(rf), isLib);
  if (isLib) {
    auto it = u.sections.find(sec);
    if (it == u.sections.end()) failAt(c[2], ErrorCode::Semantic, "library '" + path + "' has no section '" + sec + "'");
    expand(u, it->second.cards, out, depth + 1);
  } else {
    expand(u, u.flow, out, depth + 1);
  }
  includeStack_.pop_back();
}

// ngspice's `source FILE` in a .control block reads FILE as a deck (a title line, cards,
// .control blocks) and makes its circuit the current one; `mc_source` reads it again
// (drawing its random functions anew, control_script.cpp). Here the file is read with the
// deck, when the command names it plainly (or after $inputdir): its cards are the circuit's
// when the deck has no elements of its own (a script deck, `*ng_script`, as ngspice's Monte
// Carlo examples), and its .control lines are the script's where the command stands
// (controlScript). One circuit per deck: a second circuit file (ngspice's setcirc switches
// between them) or a circuit file beside the deck's own circuit is an error. A name made at
// run time ($var) is left to the script compiler's warning.
void Frontend::loadSourcedFiles(SourceUnit& unit, std::vector<Card>& cards, int depth) {
  auto blank = [](char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v'; };
  const std::string file = unit.lex->name;
  for (const LexedFile::ControlLine& l : unit.lex->control) {
    std::optional<ControlCommand> c = controlCommand(l.text);
    if (!c || c->cmd != "source") continue;
    std::string& arg = c->args;
    std::size_t ab = 0, ae = arg.size();
    while (ab < ae && blank(arg[ab])) ++ab;
    while (ae > ab && blank(arg[ae - 1])) --ae;
    const std::size_t argCol = c->col + c->cmd.size() + ab;  // 0-based, in the line
    arg = arg.substr(ab, ae - ab);
    if (arg.size() >= 2 && (arg.front() == '"' || arg.front() == '\'') && arg.back() == arg.front())
      arg = arg.substr(1, arg.size() - 2);
    if (ieq(std::string_view(arg).substr(0, std::min<std::size_t>(arg.size(), 9)), "$inputdir")) {
      const std::string& top = opts_.fileName;
      const std::size_t slash = top.find_last_of('/');
      arg = (slash == std::string::npos ? std::string(".") : top.substr(0, slash == 0 ? 1 : slash)) + arg.substr(9);
    }
    if (arg.empty() || arg.find('$') != std::string::npos || arg.find_first_of(" \t") != std::string::npos) continue;
    const SourceLoc at{file, int(l.line), int(argCol + 1)};
    if (depth >= kMaxIncludeDepth)
      fail(ErrorCode::Limit, "'source' nested too deeply (more than " + std::to_string(kMaxIncludeDepth) + " levels)", at);
    if (!opts_.resolver) fail(ErrorCode::Semantic, "'source " + arg + "' needs a file resolver (none was given to the parser)", at);
    Result<ir::ResolvedFile> r = opts_.resolver(arg, file);
    if (!r.ok()) fail(ErrorCode::Semantic, "cannot read '" + arg + "' (the .control script's source): " + r.error().message, at);
    ir::ResolvedFile rf = std::move(r.value());
    if (std::find(includeStack_.begin(), includeStack_.end(), rf.name) != includeStack_.end())
      fail(ErrorCode::Semantic, "'source " + arg + "' reads a file that is being read (" + rf.name + ")", at);
    SourceUnit* u = nullptr;
    const std::string key = "S:" + rf.name;
    if (auto it = includedUnits_.find(key); it != includedUnits_.end()) {
      u = it->second;
    } else {
      const std::string name = rf.name;
      u = &addUnit(name, std::move(rf.text), {}, true, false);
      u->sourced = true;
      includedUnits_.emplace(key, u);
      if (!u->flow.empty()) {
        // its circuit: the deck's when the deck has none
        if (sourcedCircuit_)
          fail(ErrorCode::Semantic,
               "'source " + arg + "' loads a second circuit (after " + sourcedCircuit_->lex->name +
                   "; ngspice's setcirc switches between them): simcore runs one circuit per deck; run each circuit "
                   "as a deck of its own",
               at);
        for (const Card& c : cards)
          if (c.size() > 0 && c[0].kind == TokKind::Word && !c[0].text.empty() && c[0].text[0] != '.')
            fail(ErrorCode::Semantic,
                 "'source " + arg + "' loads a circuit, and the deck has one of its own (" + std::string(c[0].text) +
                     " at line " + std::to_string(c[0].line) +
                     "): simcore runs one circuit per deck; put the script in the circuit's file, or leave the "
                     "deck's elements out",
                 at);
        sourcedCircuit_ = u;
        c_.title = u->lex->title;
        includeStack_.push_back(name);
        expand(*u, u->flow, cards, depth + 1);
        includeStack_.pop_back();
      }
      includeStack_.push_back(name);
      loadSourcedFiles(*u, cards, depth + 1);
      includeStack_.pop_back();
    }
    sourcedAt_[file + ":" + std::to_string(l.line)] = u;
  }
}

std::vector<ParamSrc> Frontend::parseAssignments(const Card& c, std::size_t i, const char* what) {
  std::vector<ParamSrc> out;
  const std::size_t n = c.size();
  while (i < n) {
    const Token& t = c[i];
    if (t.kind == TokKind::Word && ieq(t.text, "params:")) {
      ++i;
      continue;
    }
    if (t.kind != TokKind::Word) failAt(t, ErrorCode::Parse, std::string("expected name=value in ") + what + ", found " + quoteTok(t.text));
    // a statistical annotation after a value (`.param czero = 'carea' dev/gauss='0.01*carea'`,
    // sky130's capacitor files): its value is read past and dropped, as ngspice 39 ignores it
    const bool annotation = i + 2 < n && c[i + 1].kind == TokKind::Eq && t.text.size() > 4 &&
                            (ieq(t.text.substr(0, 4), "dev/") || ieq(t.text.substr(0, 4), "lot/"));
    if (annotation)
      warnOnce(t, "devgauss:" + (t.file ? *t.file : std::string()),
               "'" + lower(t.text) + "=...' ignored: a statistical variation (dev/ or lot/) is not modelled (as in "
               "ngspice 39; so in the rest of this file)");
    if (i + 1 >= n || c[i + 1].kind != TokKind::Eq)
      failAt(t, ErrorCode::Parse, std::string("expected '=' after ") + quoteTok(t.text) + " in " + what);
    // a .param whose name no expression can read (`.param tor-ctrl=1`, an LTspice user's label):
    // left out, as ngspice 39 runs such a deck without a word
    const bool unusable = !annotation && !isIdent(t.text) && std::string_view(what) == ".param" &&
                          isIdent(t.text.substr(0, 1));
    if (unusable)
      warnOnce(t, "badparam:" + lower(t.text),
               "'.param " + lower(t.text) + "=...' left out: '" + lower(t.text) +
                   "' is no parameter name an expression could read (ngspice 39 ignores it too)");
    else if (!annotation && !isIdent(t.text))
      failAt(t, ErrorCode::Parse, "bad parameter name " + quoteTok(t.text));
    if (i + 2 >= n) failAt(c[i + 1], ErrorCode::Parse, "missing value after '" + lower(t.text) + "=' in " + what);
    std::size_t start = i + 2, j = start;
    int depth = 0;
    while (j < n) {
      const Token& u = c[j];
      if (depth == 0 && j > start && u.kind == TokKind::Word && j + 1 < n && c[j + 1].kind == TokKind::Eq) break;
      if (depth == 0 && j > start && u.kind == TokKind::Word && ieq(u.text, "params:")) break;
      if (u.kind == TokKind::LParen) ++depth;
      else if (u.kind == TokKind::RParen) --depth;
      else if (u.kind == TokKind::Eq && depth == 0) failAt(u, ErrorCode::Parse, std::string("unexpected '=' in ") + what);
      ++j;
    }
    if (annotation || unusable) {
      i = j;
      continue;
    }
    ParamSrc p;
    p.name = lower(t.text);
    p.nameTok = &t;
    const Token& first = c[start];
    const Token& last = c[j - 1];
    for (std::size_t k = start; k < j; ++k) {
      p.valueToks.push_back(&c[k]);
      if (c[k].kind == TokKind::Str) p.quoted = true;
    }
    if (p.quoted) {
      // a string value ("0110", or"..."{name}): read as one when it is used (stringExpr)
      for (const Token* v : p.valueToks)
        if (v->kind != TokKind::Str && v->kind != TokKind::Word && v->kind != TokKind::Expr)
          failAt(*v, ErrorCode::Parse,
                 "unexpected " + quoteTok(v->text) + " in the string value of '" + p.name +
                     "' (quoted strings and string parameters' names, side by side)");
      p.tok = &first;
    } else if (j - start == 1 && (first.kind == TokKind::Word || first.kind == TokKind::Expr)) {
      p.tok = &first;
    } else {
      bool sameLine = true;
      for (std::size_t k = start; k < j; ++k) {
        if (c[k].line != first.line || c[k].file != first.file) sameLine = false;
      }
      std::string_view text;
      if (sameLine) {
        text = std::string_view(first.text.data(), static_cast<std::size_t>(last.text.data() + last.text.size() - first.text.data()));
      } else {
        std::string joined;
        for (std::size_t k = start; k < j; ++k) {
          if (k > start) joined += ' ';
          joined += c[k].text;
        }
        ownedText_.push_back(std::move(joined));
        text = ownedText_.back();
      }
      p.expr = ExprSrc{text, first.file, first.line, first.col};
    }
    out.push_back(std::move(p));
    i = j;
  }
  return out;
}

void Frontend::parseSubcktHeader(const Card& c, SubcktDef& def) {
  if (c.size() < 2 || c[1].kind != TokKind::Word) failAt(c[0], ErrorCode::Parse, "'.subckt' needs a name and pins");
  def.name = lower(c[1].text);
  def.nameTok = &c[1];
  std::size_t i = 2;
  const std::size_t n = c.size();
  std::unordered_set<std::string> seen;
  while (i < n) {
    const Token& t = c[i];
    if (t.kind == TokKind::Word && ieq(t.text, "params:")) break;
    if (t.kind == TokKind::Word && ieq(t.text, "optional:")) {
      // OPTIONAL: DPWR=$G_DPWR DGND=$G_DGND (PSpice)
      ++i;
      while (i + 2 < n && c[i].kind == TokKind::Word && !ieq(c[i].text, "params:") && c[i + 1].kind == TokKind::Eq) {
        if (c[i + 2].kind != TokKind::Word)
          failAt(c[i + 2], ErrorCode::Parse,
                 "expected a default node after '" + lower(c[i].text) + "=' in the OPTIONAL: pins of .subckt '" +
                     def.name + "', found " + quoteTok(c[i + 2].text));
        std::string pin = lower(c[i].text);
        if (!seen.insert(pin).second)
          failAt(c[i], ErrorCode::Semantic, "optional pin '" + pin + "' of .subckt '" + def.name + "' is already a pin");
        def.optionalPins.emplace_back(std::move(pin), lower(c[i + 2].text));
        i += 3;
      }
      if (def.optionalPins.empty())
        failAt(i < n ? c[i] : t, ErrorCode::Parse,
               "expected NAME=DEFAULT_NODE after 'optional:' in .subckt '" + def.name + "'");
      if (i < n && !(c[i].kind == TokKind::Word && ieq(c[i].text, "params:")))
        failAt(c[i], ErrorCode::Parse,
               "expected NAME=DEFAULT_NODE or 'params:' after the OPTIONAL: pins of .subckt '" + def.name +
                   "', found " + quoteTok(c[i].text));
      break;
    }
    if (t.kind == TokKind::Word && i + 1 < n && c[i + 1].kind == TokKind::Eq) break;
    if (t.kind == TokKind::Expr && t.text.front() == '{' && t.text.find('=') != std::string_view::npos) {
      // ".SUBCKT QWLAS12 P N PF {NE=1E12 N=2 ...}" (a laser-diode library): the
      // parameters in braces, as ngspice reads them (its parameter list starts at the
      // first token holding '=')
      if (i + 1 < n)
        failAt(c[i + 1], ErrorCode::Parse,
               "unexpected " + quoteTok(c[i + 1].text) + " after the {name=value ...} parameters of .subckt '" +
                   def.name + "'");
      warnOnce(t, "subckt-braces:" + *t.file,
               "the parameters of .subckt '" + def.name + "' are in braces ({name=value ...}): read as after 'params:', as ngspice reads them");
      headerLex_.emplace_back();
      LexedFile& lex = headerLex_.back();
      lex.name = *t.file;
      // the inner text at its own column, so that errors point into the braces
      lex.owned = std::string(std::max<std::size_t>(t.col, 3), ' ') + std::string(t.text.substr(1, t.text.size() - 2));
      lex.owned[0] = '.';
      lex.owned[1] = 'p';
      lex.text = lex.owned;
      lexFile(lex, false);
      for (Token& tok : lex.tokens) tok.line = t.line, tok.file = t.file;
      if (!lex.cards.empty()) def.defaults = parseAssignments(lex.cards.front(), 1, ".subckt parameters");
      for (const ParamSrc& p : def.defaults) def.paramNames.insert(p.name);
      return;
    }
    if (t.kind != TokKind::Word)
      failAt(t, ErrorCode::Parse, "expected a pin name in .subckt '" + def.name + "', found " + quoteTok(t.text));
    std::string pin = lower(t.text);
    // a ground pin (0, gnd): as in ngspice the body's ground stays the global
    // ground and the instance's node on that pin is not connected to it (elaborate.cpp warns)
    // a pin listed twice (vendor TTL models' TTLIN): as in ngspice the body's
    // node is the instance's node on the first one; the node on the other is
    // not connected inside (elaborate.cpp)
    if (!seen.insert(pin).second)
      warnOnce(t, "pin:" + *t.file + ":" + std::to_string(t.line) + ":" + pin,
               "pin '" + pin + "' listed twice in .subckt '" + def.name +
                   "': the instance's node on the first is the body's '" + pin +
                   "', the node on the other is not connected inside (as in ngspice)");
    def.pins.push_back(std::move(pin));
    ++i;
  }
  def.defaults = parseAssignments(c, i, ".subckt parameters");
  for (const ParamSrc& p : def.defaults) def.paramNames.insert(p.name);
}

namespace {
// "R C L ... X": the registry's letters and sub-circuit instances.
std::string knownLetters(const dev::KindTable& kinds) {
  std::string s;
  for (const dev::DeviceKind* k : kinds.all()) {
    if (kinds.find(k->letter) != k) continue;  // a letter once, at its first kind
    s += static_cast<char>(k->letter - 32);
    s += ' ';
  }
  return s + "X";
}
}  // namespace

void Frontend::buildStructure(const std::vector<Card>& cards) {
  SubcktDef* cur = &top_;
  std::vector<const Token*> openAt;
  std::optional<Error> pending;
  const Token* thermalAt = nullptr;  // an open .thermal block
  // Open .if blocks, innermost last: the scope, its chain, the .if card.
  struct OpenIf {
    SubcktDef* def;
    int chain;
    const Token* at;
    bool sawElse = false;
  };
  std::vector<OpenIf> ifs;
  auto guard = [&]() {
    if (ifs.empty() || ifs.back().def != cur) return Guard{};
    const OpenIf& o = ifs.back();
    return Guard{o.chain, int(cur->ifs[std::size_t(o.chain)].conds.size()) - 1};
  };
  // A sub-circuit of an included file (a vendor library) whose body holds a
  // card that cannot be read is left out with a warning, as ngspice reads only
  // the sub-circuits a netlist instantiates; an instance of it fails with the
  // reason (elaborate.cpp). The netlist's own sub-circuits are read at once.
  auto leaveOut = [&](SubcktDef& def, Error& err) -> bool {
    if (&def == &top_ || !def.nameTok || ownFile(def.nameTok->file)) return false;
    if (!def.unreadable) {
      warnOnce(*def.nameTok, "badsubckt:" + *def.nameTok->file,
               ".subckt '" + def.name + "' left out: " + err.message +
                   " (so is every other .subckt of this file that cannot be read; an instance of one fails with "
                   "the reason)");
      def.unreadable = std::move(err);
    }
    return true;
  };
  auto scan = [&](const Card& c) {
    const Token& head = c[0];
    // a card the lexer could not read (a .subckt line is left out below; a
    // .meas card fails alone, as in ngspice 39, which runs the deck)
    if (c.error && head.kind == TokKind::Word && (ieq(head.text, ".meas") || ieq(head.text, ".measure"))) {
      measureFailed(c, *c.error);
      return;
    }
    if (c.error && !(head.kind == TokKind::Word && ieq(head.text, ".subckt"))) throw NetlistError{*c.error};
    if (!thermalAt && head.kind == TokKind::Word &&
        (ieq(head.text, ".if") || ieq(head.text, ".elseif") || ieq(head.text, ".else") || ieq(head.text, ".endif"))) {
      const std::string d = lower(head.text);
      const bool open = !ifs.empty() && ifs.back().def == cur;
      if (d == ".if") {
        if (c.size() < 2) failAt(head, ErrorCode::Parse, "expected .if (CONDITION)");
        if (ifs.size() >= static_cast<std::size_t>(kMaxIfDepth))
          failAt(head, ErrorCode::Limit, ".if blocks nested more than " + std::to_string(kMaxIfDepth) + " deep");
        IfChain chain;
        chain.parent = guard();
        chain.conds.push_back(c);
        cur->ifs.push_back(std::move(chain));
        ifs.push_back(OpenIf{cur, int(cur->ifs.size()) - 1, &head});
        return;
      }
      if (!open) failAt(head, ErrorCode::Parse, "'" + d + "' without a matching '.if'");
      OpenIf& o = ifs.back();
      IfChain& chain = cur->ifs[std::size_t(o.chain)];
      if (d == ".endif") {
        if (c.size() > 1) failAt(c[1], ErrorCode::Parse, "unexpected " + quoteTok(c[1].text) + " after '.endif'");
        ifs.pop_back();
      } else if (o.sawElse) {
        failAt(head, ErrorCode::Parse, "'" + d + "' after the '.else' of the '.if' at line " + std::to_string(o.at->line));
      } else if (d == ".else") {
        if (c.size() > 1) failAt(c[1], ErrorCode::Parse, "unexpected " + quoteTok(c[1].text) + " after '.else'");
        o.sawElse = true;
        chain.conds.push_back(Card{});
      } else {
        if (c.size() < 2) failAt(head, ErrorCode::Parse, "expected .elseif (CONDITION)");
        chain.conds.push_back(c);
      }
      return;
    }
    if (!ifs.empty() && ifs.back().def == cur && head.kind == TokKind::Word &&
        (ieq(head.text, ".subckt") || ieq(head.text, ".ends") || ieq(head.text, ".func") || ieq(head.text, ".global") ||
         ieq(head.text, ".thermal")))
      failAt(head, ErrorCode::Semantic,
             "'" + lower(head.text) + "' inside an .if block (opened at line " + std::to_string(ifs.back().at->line) +
                 ") is not supported: only devices, .model, .param and control cards can be conditional");
    if (head.kind == TokKind::Word && ieq(head.text, ".endthermal")) {
      if (!thermalAt) failAt(head, ErrorCode::Parse, "'.endthermal' without a matching '.thermal'");
      if (c.size() > 1) failAt(c[1], ErrorCode::Parse, "unexpected " + quoteTok(c[1].text) + " after '.endthermal'");
      thermalAt = nullptr;
      return;
    }
    if (thermalAt) {
      if (head.kind == TokKind::Word && (ieq(head.text, ".thermal") || ieq(head.text, ".subckt") || ieq(head.text, ".ends")))
        failAt(head, ErrorCode::Parse, "'.thermal' block (opened at line " + std::to_string(thermalAt->line) +
                                           ") is not closed: expected '.endthermal' before " + quoteTok(head.text));
      cur->thermal.push_back(c);
      cur->thermalGuards.push_back(guard());
      return;
    }
    if (head.kind == TokKind::Word && ieq(head.text, ".thermal")) {
      if (c.size() > 1) failAt(c[1], ErrorCode::Parse, "unexpected " + quoteTok(c[1].text) + " after '.thermal'");
      thermalAt = &head;
      cur->hasThermal = true;
      return;
    }
    if (head.kind != TokKind::Word)
      failAt(head, ErrorCode::Parse, "expected a device name or a dot card, found " + quoteTok(head.text));
    if (head.text[0] != '.') {
      char letter = lowerChar(head.text[0]);
      if (!deviceKindName(kinds_, letter))
        failAt(head, ErrorCode::Parse,
               "unknown device type '" +
                   (static_cast<unsigned char>(letter) < 0x80 ? std::string(1, letter)
                                                              : std::string(firstChar(head.text))) +
                   "' in " + quoteTok(head.text) + " (known: " + knownLetters(kinds_) + ")");
      cur->elements.push_back(c);
      cur->elementGuards.push_back(guard());
      return;
    }
    std::string d = lower(head.text);
    // ".ENDS*////////" (a comment glued on, in vendor libraries), ".ENDSVA1 36 19 0V"
    // (National's LMC6681B: an element glued on): ngspice recognises .ends by its prefix
    bool endsGlued = false;
    if (d.size() > 5 && d.compare(0, 5, ".ends") == 0) {
      endsGlued = true;
      if (d[5] != '*')
        warnOnce(head, "ends-glued:" + *head.file + ":" + std::to_string(head.line),
                 quoteTok(head.text) + " read as '.ends', as ngspice reads a card that starts with '.ends' (the rest of the line is ignored)");
      d = ".ends";
    }
    // ".params dT=1m ..." (a signal-processing library): ngspice's parameter pass
    // recognises .param by its prefix, so any card starting with it is one
    if (d.size() > 6 && d.compare(0, 6, ".param") == 0) {
      warnOnce(head, "params:" + *head.file, "'" + d + "' read as '.param', as ngspice reads it");
      d = ".param";
    }
    if (d == ".subckt") {
      if (openAt.size() >= static_cast<std::size_t>(kMaxSubcktDepth))
        failAt(head, ErrorCode::Limit, ".subckt definitions nested too deeply");
      auto def = std::make_unique<SubcktDef>();
      try {
        if (c.error) throw NetlistError{*c.error};
        parseSubcktHeader(c, *def);
      } catch (NetlistError& e) {
        // a header that cannot be read (a name with parentheses, S861(C1)_5000):
        // the sub-circuit, under the name's first word, is left out as above
        if (c.size() < 2 || c[1].kind != TokKind::Word) throw;
        def->name = lower(c[1].text);
        def->nameTok = &c[1];
        if (!leaveOut(*def, e.err)) throw;
      }
      def->parent = cur;
      auto [it, fresh] = cur->children.try_emplace(def->name);
      if (!fresh) {
        // ngspice 39 keeps the first definition ("redefinition of .subckt, ignored")
        // (the same lines read twice, a library section .lib'd twice, are not two definitions)
        const Token& prev = *it->second->nameTok;
        const bool same = prev.file && def->nameTok->file && *prev.file == *def->nameTok->file &&
                          prev.line == def->nameTok->line;
        if (!same)
          warnOnce(*def->nameTok, "subckt:" + *def->nameTok->file + ":" + std::to_string(def->nameTok->line),
                   "duplicate definition of .subckt '" + def->name + "' ignored: the first (" + *prev.file + ":" +
                       std::to_string(prev.line) + ") is used, as in ngspice");
        redefined_.push_back(std::move(def));
        cur = redefined_.back().get();
      } else {
        it->second = std::move(def);
        cur = it->second.get();
      }
      openAt.push_back(&head);
    } else if (d == ".ends") {
      if (cur == &top_) failAt(head, ErrorCode::Parse, "'.ends' without a matching '.subckt'");
      // ngspice closes the innermost open .subckt whatever name .ends gives
      if (!endsGlued && c.size() >= 2 && !ieq(c[1].text, cur->name))
        warnOnce(c[1], "ends:" + *c[1].file + ":" + std::to_string(c[1].line),
                 "'.ends " + lower(c[1].text) + "' closes the open '.subckt " + cur->name +
                     "' (the name after .ends is not checked, as in ngspice)");
      cur = cur->parent;
      openAt.pop_back();
    } else if (d == ".param") {
      if (c.size() < 2) {  // nothing to define: ngspice ignores it (vendor libraries have them)
        warnOnce(head, "param:" + *head.file + ":" + std::to_string(head.line), "'.param' without name=value ignored");
        return;
      }
      const Card* card = &c;
      Card spaced;
      if (c.size() >= 3 && c[1].kind == TokKind::Word && c[2].kind != TokKind::Eq &&
          std::none_of(c.b + 2, c.e, [](const Token& t) { return t.kind == TokKind::Eq; })) {
        // LTspice's ".param X table(phimargin, 29.4, 3.5, ...)": a name and its value
        // without '=' (ngspice 39 rejects it), read as X=value, warned once per file
        warnOnce(c[1], "param-spaced:" + *c[1].file,
                 "'.param " + lower(c[1].text) + " ...' without '=' read as '.param " + lower(c[1].text) +
                     "=...', as LTspice reads it (ngspice 39 rejects it)");
        std::vector<Token> toks(c.b, c.e);
        static const std::string kEq = "=";
        Token eq = c[1];
        eq.text = kEq;
        eq.kind = TokKind::Eq;
        toks.insert(toks.begin() + 2, eq);
        ownedCards_.push_back(std::move(toks));
        const std::vector<Token>& v = ownedCards_.back();
        spaced = Card{v.data(), v.data() + v.size()};
        card = &spaced;
      }
      for (auto& p : parseAssignments(*card, 1, ".param")) {
        p.guard = guard();
        cur->paramNames.insert(p.name);
        cur->params.push_back(std::move(p));
      }
    } else if (d == ".model") {
      cur->models.push_back(c);
      cur->modelGuards.push_back(guard());
    } else if (d == ".global") {
      if (cur != &top_) failAt(head, ErrorCode::Semantic, "'.global' is only allowed at the top level");
      for (std::size_t i = 1; i < c.size(); ++i) {
        if (c[i].kind != TokKind::Word) failAt(c[i], ErrorCode::Parse, "expected a node name in .global");
        std::string g = lower(c[i].text);
        if (g != "0" && g != "gnd") globals_.insert(g);
      }
    } else if (d == ".plugin") {
      // read by loadPlugins before this scan
    } else if (d == ".func") {
      funcCard(*cur, c);
    } else if (d == ".endc") {
      failAt(head, ErrorCode::Parse, "'.endc' without a matching '.control'");
    } else if ((d == ".ic" || d == ".nodeset") && cur != &top_) {
      cur->initial.push_back(c);
      cur->initialGuards.push_back(guard());
    } else if (const char* why = ignoredCard(d)) {
      warnOnce(head, "card:" + d, "'" + d + "' ignored: " + why);
    } else if (d == ".title") {
      // a title line anywhere, an included sub-circuit file's too (eSim's .sub files):
      // the last one read is the title, as in ngspice 39 (inpcom.c)
      controls_.push_back(c);
      controlGuards_.push_back(guard());
    } else if ((d == ".four" || d == ".fourier") && cur != &top_) {
      warnOnce(head, "card:" + d, "'" + d + "' ignored: it is read at the top level only");
    } else if (cur != &top_) {
      bool known = std::find_if(std::begin(kControlCards), std::end(kControlCards),
                                [&](const char* k) { return d == k; }) != std::end(kControlCards);
      // Reported after the scan: a missing .ends is the likelier mistake.
      Error err = known ? makeError(ErrorCode::Semantic, "'" + d + "' is not allowed inside .subckt '" + cur->name + "'",
                                    locOf(head))
                        : makeError(ErrorCode::Parse, "unknown control card '" + d + "'", locOf(head));
      if (!leaveOut(*cur, err) && !pending) pending = std::move(err);
    } else {
      controls_.push_back(c);
      controlGuards_.push_back(guard());
    }
  };
  for (const Card& c : cards) {
    const Token& head = c[0];
    const bool structural =
        head.kind == TokKind::Word &&
        (ieq(head.text, ".if") || ieq(head.text, ".elseif") || ieq(head.text, ".else") || ieq(head.text, ".endif") ||
         ieq(head.text, ".subckt") || ieq(head.text, ".ends") || (head.text.size() > 5 && ieq(head.text.substr(0, 6), ".ends*")) ||
         ieq(head.text, ".thermal") || ieq(head.text, ".endthermal"));
    try {
      scan(c);
    } catch (NetlistError& e) {
      if (structural || !leaveOut(*cur, e.err)) throw;
    }
  }
  if (!ifs.empty()) failAt(*ifs.back().at, ErrorCode::Parse, "'.if' has no matching '.endif'");
  if (thermalAt) failAt(*thermalAt, ErrorCode::Parse, "'.thermal' block has no matching '.endthermal'");
  if (cur != &top_) failAt(*openAt.back(), ErrorCode::Parse, "'.subckt " + cur->name + "' has no matching '.ends'");
  if (pending) throw NetlistError{std::move(*pending)};
}

bool Frontend::guardHolds(Frame& f, Guard g) {
  if (g.chain < 0) return true;
  const IfChain& chain = f.def->ifs[std::size_t(g.chain)];
  if (!guardHolds(f, chain.parent)) return false;
  auto [it, fresh] = f.ifTaken.try_emplace(g.chain, -1);
  if (fresh) {
    for (std::size_t b = 0; b < chain.conds.size(); ++b) {
      const Card& c = chain.conds[b];
      if (c.size() == 0) {  // .else
        it->second = int(b);
        break;
      }
      if (evalCondition(f, c) != 0.0) {
        it->second = int(b);
        break;
      }
    }
  }
  return it->second == g.branch;
}

}  // namespace simcore::netlist
