// Netlist text -> the JSON circuit model (simcore/circuit_model.hpp).
//
//   lex:       the engine's own lexer (lexer.cpp) gives the cards and tokens,
//              so a card reads here exactly as the simulator reads it
//   scan:      a pass over the physical lines finds what the lexer drops:
//              '*' comment lines, trailing ';' / '$' comments, .control blocks
//   merge:     cards, comments and control blocks in line order; .subckt and
//              .thermal blocks nest their cards
//   structure: each card by its form (the device descriptor's CardForm for
//              elements); what has no known form keeps its text
#include <algorithm>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "devices/descriptor.hpp"
#include "netlist/frontend.hpp"
#include "netlist/lexer.hpp"
#include "netlist/model_cards.hpp"
#include "netlist/number.hpp"
#include "netlist/pspice_digital.hpp"
#include "simcore/circuit_model.hpp"

namespace simcore::model {
namespace {

using netlist::Card;
using netlist::ieq;
using netlist::isSourceKeyword;
using netlist::lower;
using netlist::Token;
using netlist::TokKind;
using Json = nlohmann::ordered_json;

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

// A run of tokens [b, e) of one card that forms one value: a word, a quoted
// or braced expression, a word with its parenthesised arguments (PULSE(...),
// v(out), %vd(a b)), a parenthesised group, or a [ ... ] vector.
struct Group {
  const Token* b;
  const Token* e;
};

class CardText {
 public:
  explicit CardText(std::string_view text) : text_(text) {}

  bool inText(const Token& t) const {
    return t.text.data() >= text_.data() && t.text.data() + t.text.size() <= text_.data() + text_.size();
  }

  // The tokens as written: the source between two tokens of one line is kept
  // (blanks, commas), tokens of different lines are joined by one blank.
  std::string of(const Token* b, const Token* e) const {
    std::string out;
    for (const Token* t = b; t != e; ++t) {
      if (t != b) {
        const Token& p = t[-1];
        if (p.line == t->line && p.file == t->file && inText(p) && inText(*t) && p.text.data() + p.text.size() <= t->text.data())
          out.append(p.text.data() + p.text.size(), t->text.data());
        else
          out += ' ';
      }
      out.append(t->text);
    }
    return out;
  }
  std::string of(const Group& g) const { return of(g.b, g.e); }

 private:
  std::string_view text_;
};

// A word that takes the parenthesised group after it as its arguments:
// written next to it (v(out), %vd(a b), PULSE(...)), or a source function
// with a blank between (PULSE (0 5 ...)). "V1 in 0 (9)" is a node and a value.
bool callLike(const Token& word, const Token& paren) {
  if (word.line == paren.line && word.file == paren.file && word.text.data() + word.text.size() == paren.text.data())
    return true;
  for (const char* f : {"pulse", "sin", "sine", "exp", "pwl", "sffm", "trnoise", "trrandom", "am", "poly"})
    if (ieq(word.text, f)) return true;
  return false;
}

std::vector<Group> groups(const Token* b, const Token* e) {
  std::vector<Group> out;
  const Token* t = b;
  auto closeParen = [&](const Token* open) {
    int depth = 0;
    for (const Token* u = open; u != e; ++u) {
      if (u->kind == TokKind::LParen) ++depth;
      else if (u->kind == TokKind::RParen && --depth == 0) return u + 1;
    }
    return e;
  };
  while (t != e) {
    const Token* start = t;
    if (t->kind == TokKind::Word && !t->text.empty() && t->text.front() == '[') {
      int depth = 0;
      for (; t != e; ++t) {
        for (char ch : t->text) depth += ch == '[' ? 1 : ch == ']' ? -1 : 0;
        if (depth <= 0) break;
      }
      t = t == e ? e : t + 1;
    } else if (t->kind == TokKind::LParen) {
      t = closeParen(t);
    } else if (t->kind == TokKind::Word && t + 1 != e && t[1].kind == TokKind::LParen && callLike(*t, t[1])) {
      t = closeParen(t + 1);
    } else {
      ++t;
    }
    out.push_back(Group{start, t});
  }
  return out;
}

bool isEq(const Group& g) { return g.e - g.b == 1 && g.b->kind == TokKind::Eq; }
bool isName(const Group& g) { return g.e - g.b == 1 && g.b->kind == TokKind::Word; }
// A group that starts `name = ...` at index i.
bool pairAt(const std::vector<Group>& gs, std::size_t i) { return i + 1 < gs.size() && isName(gs[i]) && isEq(gs[i + 1]); }

// Positional groups and the trailing name=value pairs of a card (one value
// group each). A pair before a positional group stays positional, written
// "name=value", so the order of the card is kept.
struct Split {
  std::vector<std::string> positional;
  Json params = Json::object();
  bool ok = true;
};

Split splitPairs(const CardText& ct, const std::vector<Group>& gs, std::size_t from, bool multiValue) {
  Split s;
  // Start of the trailing run of pairs.
  std::size_t run = gs.size();
  for (std::size_t i = from; i < gs.size();) {
    if (pairAt(gs, i)) {
      std::size_t j = i + 2;
      if (j >= gs.size() || isEq(gs[j])) {
        s.ok = false;
        return s;
      }
      ++j;
      if (multiValue)
        while (j < gs.size() && !pairAt(gs, j) && !isEq(gs[j])) ++j;
      if (run == gs.size()) run = i;
      i = j;
      continue;
    }
    run = gs.size();
    ++i;
  }
  for (std::size_t i = from; i < run;) {
    if (pairAt(gs, i) && i + 2 < gs.size()) {
      s.positional.push_back(ct.of(gs[i].b, gs[i + 2].e));
      i += 3;
      continue;
    }
    s.positional.push_back(ct.of(gs[i]));
    ++i;
  }
  for (std::size_t i = run; i < gs.size();) {
    std::size_t j = i + 3;
    if (multiValue)
      while (j < gs.size() && !pairAt(gs, j)) ++j;
    std::string name = lower(gs[i].b->text);
    if (s.params.contains(name)) {  // a repeated name cannot be a key of the object
      s.ok = false;
      return s;
    }
    s.params[name] = ct.of(gs[i + 2].b, gs[j - 1].e);
    i = j;
  }
  return s;
}

bool numericOrExpr(const std::string& s) {
  if (s.empty()) return false;
  return s.front() == '{' || s.front() == '\'' || netlist::looksNumeric(s);
}
bool plainWord(const std::string& s) {
  return !s.empty() && s.find_first_of("=()[]{}'\" ") == std::string::npos && !netlist::looksNumeric(s);
}

Json strings(std::vector<std::string>::const_iterator b, std::vector<std::string>::const_iterator e) {
  Json a = Json::array();
  for (auto it = b; it != e; ++it) a.push_back(*it);
  return a;
}

class Reader {
 public:
  Reader(std::string_view text, const ConvertOptions& opts) : text_(text), opts_(opts), ct_(text) {}

  Json run() {
    lex_.name = opts_.fileName;
    lex_.text = text_;
    netlist::lexFile(lex_, true);
    collectModelNames();
    scanLines();
    ciderLines();
    std::vector<Item> items;
    for (const Card& c : lex_.cards) items.push_back(Item{c.b->line, &c, nullptr});
    for (const Extra& x : extras_) items.push_back(Item{x.line, nullptr, &x});
    std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.line < b.line; });

    Json doc = Json::object();
    doc["format"] = kCircuitFormat;
    doc["version"] = kCircuitModelVersion;
    doc["title"] = lex_.title;
    struct Open {
      Json* cards;
      const Token* at;
      const char* close;  // ".ends" / ".endthermal"
    };
    Json top = Json::array();
    std::vector<Json> blocks;  // open .subckt / .thermal cards, innermost last
    std::vector<Open> open;
    auto target = [&]() -> Json& { return blocks.empty() ? top : blocks.back()["cards"]; };
    for (const Item& it : items) {
      if (it.extra) {
        target().push_back(it.extra->card);
        continue;
      }
      const Card& c = *it.card;
      const std::string head = lower(c[0].text);
      if (c[0].kind == TokKind::Word && (head == ".subckt" || head == ".thermal")) {
        blocks.push_back(head == ".subckt" ? subckt(c) : thermal(c));
        open.push_back(Open{nullptr, &c[0], head == ".subckt" ? ".ends" : ".endthermal"});
        continue;
      }
      if (c[0].kind == TokKind::Word && (head == ".ends" || head == ".endthermal")) {
        if (open.empty() || head != open.back().close)
          netlist::failAt(c[0], ErrorCode::Parse,
                          "'" + head + "' without a matching '" + (head == ".ends" ? ".subckt" : ".thermal") + "'");
        Json done = std::move(blocks.back());
        blocks.pop_back();
        open.pop_back();
        target().push_back(std::move(done));
        continue;
      }
      target().push_back(card(c));
    }
    if (!open.empty())
      netlist::failAt(*open.back().at, ErrorCode::Parse,
                      "'" + lower(open.back().at->text) + "' has no matching '" + open.back().close + "'");
    doc["cards"] = std::move(top);
    return doc;
  }

 private:
  struct Extra {
    std::uint32_t line;
    Json card;
  };
  struct Item {
    std::uint32_t line;
    const Card* card;
    const Extra* extra;
  };

  void collectModelNames() {
    for (const Card& c : lex_.cards)
      if (c.size() >= 2 && ieq(c[0].text, ".model")) models_.insert(lower(c[1].text));
  }

  // Comment lines, .control blocks and the trailing comments of card lines.
  void scanLines() {
    std::vector<std::string_view> lines;
    for (std::size_t pos = 0; pos <= text_.size();) {
      std::size_t eol = text_.find('\n', pos);
      if (eol == std::string_view::npos) eol = text_.size();
      lines.push_back(text_.substr(pos, eol - pos));
      pos = eol + 1;
    }
    // Last token per physical line (for trailing comments).
    std::vector<const Token*> lastTok(lines.size() + 2, nullptr);
    for (const Token& t : lex_.tokens)
      if (ct_.inText(t) && t.line < lastTok.size()) {
        const Token*& l = lastTok[t.line];
        if (!l || l->text.data() < t.text.data()) l = &t;
      }
    Json* control = nullptr;
    bool afterEnd = false;
    for (std::size_t k = 1; k < lines.size(); ++k) {  // line 1 is the title
      const std::uint32_t lineNo = std::uint32_t(k + 1);
      std::string_view line = lines[k];
      while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      std::string_view body = trimmed(line);
      std::string_view word = body.substr(0, std::min(body.find_first_of(" \t;"), body.size()));
      if (control) {
        // (the lexer's rules: any word beginning ".endc" ends the block, ".end" the deck)
        if (word.size() >= 5 && ieq(word.substr(0, 5), ".endc")) control = nullptr;
        else if (ieq(word, ".end")) break;
        else (*control)["lines"].push_back(std::string(line));
        continue;
      }
      if (body.empty()) continue;
      if (ieq(word, ".end")) {
        afterEnd = true;  // past it only .control blocks are read, as by the lexer
        continue;
      }
      if (afterEnd && !ieq(word, ".control")) continue;
      if (ieq(word, ".control")) {
        Json c = Json::object();
        c["type"] = "control";
        c["lines"] = Json::array();
        extras_.push_back(Extra{lineNo, std::move(c)});
        control = &extras_.back().card;
        continue;
      }
      if (body.front() == '*' || body.front() == ';' || body.front() == '$') {
        Json c = Json::object();
        c["type"] = "comment";
        c["text"] = std::string(body.substr(1));
        extras_.push_back(Extra{lineNo, std::move(c)});
        continue;
      }
      if (const Token* t = lastTok[lineNo]) {
        std::string_view rest = line.substr(std::size_t(t->text.data() + t->text.size() - line.data()));
        std::size_t at = std::string_view::npos;
        for (std::size_t i = 0; i < rest.size(); ++i)
          if (rest[i] == ';' || (rest[i] == '$' && (i == 0 ? true : isSpace(rest[i - 1])))) {
            at = i;
            break;
          }
        if (at != std::string_view::npos) trailing_[lineNo] = std::string(trimmed(rest.substr(at + 1)));
      }
    }
  }

  // A CIDER model (.model M numd level=1, then one card per '+' line; netlist/
  // cider_cards.cpp): the lines are the cards, so each '+' line is kept as
  // written, a raw card of its own at its line (the .model line: card()).
  static bool isCiderModel(const Card& c) {
    return c.size() >= 3 && c[0].kind == TokKind::Word && ieq(c[0].text, ".model") && c[2].kind == TokKind::Word &&
           netlist::isCiderModelType(lower(c[2].text));
  }
  void ciderLines() {
    std::vector<std::string_view> lines{std::string_view{}};  // 1-based
    for (std::size_t pos = 0; pos <= text_.size();) {
      std::size_t eol = text_.find('\n', pos);
      if (eol == std::string_view::npos) eol = text_.size();
      lines.push_back(text_.substr(pos, eol - pos));
      pos = eol + 1;
    }
    for (const Card& c : lex_.cards) {
      if (!isCiderModel(c)) continue;
      std::uint32_t last = c[0].line;
      for (const Token* t = c.b; t != c.e; ++t)
        if (ct_.inText(*t)) last = std::max(last, t->line);
      for (std::uint32_t l = c[0].line + 1; l <= last && l < lines.size(); ++l) {
        std::string_view body = trimmed(lines[l]);
        if (body.empty() || body.front() != '+') continue;
        Json j = Json::object();
        j["type"] = "raw";
        j["text"] = std::string(body);
        extras_.push_back(Extra{l, std::move(j)});
      }
    }
  }

  // The trailing comments of a card's lines, joined.
  void addComment(Json& j, const Card& c) const {
    std::string text;
    std::uint32_t last = 0;
    for (const Token* t = c.b; t != c.e; ++t) {
      if (t->line == last) continue;
      last = t->line;
      auto it = trailing_.find(t->line);
      if (it == trailing_.end()) continue;
      if (!text.empty()) text += ' ';
      text += it->second;
    }
    if (!text.empty()) j["comment"] = text;
  }

  Json raw(const Card& c, const char* type = "raw") const {
    Json j = Json::object();
    j["type"] = type;
    j["text"] = ct_.of(c.b, c.e);
    addComment(j, c);
    return j;
  }

  Json card(const Card& c) {
    if (c[0].kind != TokKind::Word) return raw(c);
    const std::string head = lower(c[0].text);
    if (head[0] != '.') return element(c);
    Json j;
    if (isCiderModel(c)) {
      const Token* e = c.b;
      while (e != c.e && e->line == c[0].line) ++e;
      return raw(Card{c.b, e});
    }
    if (head == ".model") j = modelCard(c);
    else if (head == ".param") j = paramCard(c);
    else if (head == ".include" || head == ".inc" || (head == ".lib" && c.size() == 3)) j = includeCard(c);
    else if (head == ".options" || head == ".option" || head == ".opt") j = optionsCard(c);
    else if (isAnalysis(head)) j = analysisCard(c, head.substr(1));
    else j = dotCard(c, head);
    if (j.is_null()) return raw(c);
    addComment(j, c);
    return j;
  }

  static bool isAnalysis(const std::string& h) {
    for (const char* a : {".op", ".dc", ".ac", ".tran", ".pss", ".fra", ".noise", ".tf", ".sens", ".disto", ".pz"})
      if (h == a) return true;
    return false;
  }

  Json dotCard(const Card& c, const std::string& head) const {
    Json j = Json::object();
    j["type"] = "dot";
    j["name"] = head;
    if (c.size() > 1) j["text"] = ct_.of(c.b + 1, c.e);
    return j;
  }

  Json includeCard(const Card& c) const {
    if (c.size() < 2) return nullptr;
    Json j = Json::object();
    j["type"] = "include";
    std::string path(c[1].text);
    if (c[1].kind == TokKind::Str || (c[1].kind == TokKind::Expr && path.front() == '\'')) path = path.substr(1, path.size() - 2);
    else if (c[1].kind != TokKind::Word) return nullptr;
    if (c.size() > (ieq(c[0].text, ".lib") ? 3u : 2u)) return nullptr;
    j["path"] = path;
    if (c.size() == 3) j["section"] = std::string(c[2].text);
    return j;
  }

  Json paramCard(const Card& c) const {
    std::vector<Group> gs = groups(c.b + 1, c.e);
    Split s = splitPairs(ct_, gs, 0, true);
    if (!s.ok || !s.positional.empty() || s.params.empty()) return nullptr;
    Json j = Json::object();
    j["type"] = "param";
    j["params"] = std::move(s.params);
    return j;
  }

  Json optionsCard(const Card& c) const {
    std::vector<Group> gs = groups(c.b + 1, c.e);
    Json params = Json::object();
    Json flags = Json::array();
    for (std::size_t i = 0; i < gs.size();) {
      if (pairAt(gs, i) && i + 2 < gs.size() && !isEq(gs[i + 2])) {
        std::string name = lower(gs[i].b->text);
        if (params.contains(name)) return nullptr;
        params[name] = ct_.of(gs[i + 2]);
        i += 3;
        continue;
      }
      if (!isName(gs[i])) return nullptr;
      flags.push_back(ct_.of(gs[i]));
      ++i;
    }
    Json j = Json::object();
    j["type"] = "options";
    if (!flags.empty()) j["flags"] = std::move(flags);
    j["params"] = std::move(params);
    return j;
  }

  Json analysisCard(const Card& c, const std::string& kind) const {
    std::vector<Group> gs = groups(c.b + 1, c.e);
    Split s = splitPairs(ct_, gs, 0, false);
    if (!s.ok) return nullptr;
    Json j = Json::object();
    j["type"] = "analysis";
    j["kind"] = kind;
    if (!s.positional.empty()) j["args"] = strings(s.positional.begin(), s.positional.end());
    if (!s.params.empty()) j["params"] = std::move(s.params);
    return j;
  }

  Json modelCard(const Card& c) const {
    if (c.size() < 3 || c[1].kind != TokKind::Word || c[2].kind != TokKind::Word) return nullptr;
    // (PSpice's .model NAME AKO:BASE TYPE (...) is kept as written)
    if (c[2].text.size() > 4 && ieq(c[2].text.substr(0, 4), "ako:")) return nullptr;
    const Token* b = c.b + 3;
    const Token* e = c.e;
    // TYPE(params) or TYPE (params): the outer parentheses are not kept.
    if (b != e && b->kind == TokKind::LParen) {
      int depth = 0;
      const Token* close = nullptr;
      for (const Token* t = b; t != e; ++t) {
        if (t->kind == TokKind::LParen) ++depth;
        else if (t->kind == TokKind::RParen && --depth == 0) {
          close = t;
          break;
        }
      }
      if (close == e - 1) {
        ++b;
        --e;
      } else if (!close) {
        ++b;  // a '(' never closed (ngspice reads the card to its end): the parameters follow it
      }
    }
    std::vector<Group> gs = groups(b, e);
    Split s = splitPairs(ct_, gs, 0, true);
    if (!s.ok) return nullptr;
    Json j = Json::object();
    j["type"] = "model";
    j["name"] = std::string(c[1].text);
    j["modelType"] = std::string(c[2].text);
    if (!s.positional.empty()) j["args"] = strings(s.positional.begin(), s.positional.end());
    j["params"] = std::move(s.params);
    return j;
  }

  Json subckt(const Card& c) const {
    std::vector<Group> gs = groups(c.b + 1, c.e);
    if (gs.empty() || !isName(gs[0]))
      netlist::failAt(c[0], ErrorCode::Parse, "'.subckt' needs a name and pins");
    Json j = Json::object();
    j["type"] = "subckt";
    j["name"] = std::string(gs[0].b->text);
    Json pins = Json::array();
    std::size_t i = 1;
    for (; i < gs.size(); ++i) {
      if (isName(gs[i]) && ieq(gs[i].b->text, "params:")) {
        ++i;
        break;
      }
      if (pairAt(gs, i)) break;
      if (!isName(gs[i])) netlist::failAt(*gs[i].b, ErrorCode::Parse, "expected a pin name in .subckt");
      pins.push_back(std::string(gs[i].b->text));
    }
    j["pins"] = std::move(pins);
    // params: between the defaults is dropped (it is optional in every place)
    std::vector<Group> rest;
    for (std::size_t k = i; k < gs.size(); ++k)
      if (!(isName(gs[k]) && ieq(gs[k].b->text, "params:"))) rest.push_back(gs[k]);
    Split s = splitPairs(ct_, rest, 0, true);
    if (!s.ok || !s.positional.empty())
      netlist::failAt(c[0], ErrorCode::Parse, "expected name=value defaults after the pins of .subckt");
    if (!s.params.empty()) j["params"] = std::move(s.params);
    addComment(j, c);
    j["cards"] = Json::array();
    return j;
  }

  Json thermal(const Card& c) const {
    Json j = Json::object();
    j["type"] = "thermal";
    addComment(j, c);
    j["cards"] = Json::array();
    return j;
  }

  // Element cards: nodes, references, model, value and positional arguments
  // by the card form of the letter's first kind (devices/descriptor.hpp).
  Json element(const Card& c) const {
    const char letter = netlist::lowerChar(c[0].text[0]);
    // a PSpice digital primitive (U1 AND(2) DPWR DGND ...): kept as written
    if (letter == 'u' && !netlist::pspice::primitiveOf(c).empty()) return raw(c);
    std::vector<Group> gs = groups(c.b + 1, c.e);
    if (letter == 'x')  // params: before the instance parameters is optional
      std::erase_if(gs, [](const Group& g) { return isName(g) && ieq(g.b->text, "params:"); });
    Split s = splitPairs(ct_, gs, 0, false);
    if (!s.ok) return raw(c);
        const std::vector<std::string>& p = s.positional;
    Json j = Json::object();
    j["type"] = "element";
    j["name"] = std::string(c[0].text);
    j["kind"] = std::string(1, letter);
    std::size_t i = 0;
    // n node names from the front; a parenthesised pair (E1 (a b) (c d) 2, KiCad's
    // form) gives its words
    auto nodes = [&](std::size_t n) {
      Json out = Json::array();
      while (out.size() < n && i < p.size()) {
        const std::string& v = p[i];
        if (v.size() >= 2 && v.front() == '(' && v.back() == ')' && v.find_first_of("(){}'\"=", 1) == v.size() - 1) {
          std::string word;
          for (char ch : v.substr(1, v.size() - 2) + " ") {
            if (ch == ' ' || ch == '\t' || ch == ',') {
              if (!word.empty()) out.push_back(std::move(word));
              word.clear();
            } else {
              word += ch;
            }
          }
        } else {
          out.push_back(v);
        }
        ++i;
      }
      j["nodes"] = std::move(out);
    };
    auto take = [&](const char* key) { j[key] = p[i++]; };
    const dev::DeviceKind* k = letter == 'x' ? nullptr : dev::findKind(letter);
    const CardLayout layout = cardLayout(letter);
    switch (layout) {
      case CardLayout::Subckt: {
        if (p.empty()) return raw(c);
        nodes(p.size() - 1);
        take("model");
        break;
      }
      case CardLayout::TwoTerminal: {
        nodes(2);
        if (i < p.size() && numericOrExpr(p[i])) {
          take("value");
          if (i < p.size() && plainWord(p[i])) take("model");
        } else if (i < p.size() && plainWord(p[i])) {
          // R1 a b MODEL 2k: kept as value, model (the order it is written back in)
          std::string model = p[i++];
          if (i < p.size() && numericOrExpr(p[i])) take("value");
          j["model"] = std::move(model);
        }
        break;
      }
      case CardLayout::Source: {
        nodes(2);
        if (i + 1 < p.size() && ieq(p[i], "dc") && numericOrExpr(p[i + 1])) {
          ++i;
          take("value");
        } else if (i < p.size() && !isSourceKeyword(p[i]) && p[i].find('=') == std::string::npos &&
                   p[i].find('(') == std::string::npos) {
          take("value");
        }
        break;
      }
      case CardLayout::Controlled: {
        // behavioural forms (E G with POLY/VALUE/TABLE/VOL/CUR/LAPLACE, F H with POLY): the two
        // output nodes, then everything else as written
        // (TABLE = {expr}, ngspice's compatibility form, is one piece)
        const bool table = p.size() > 2 && ieq(p[2].substr(0, std::min<std::size_t>(5, p[2].size())), "table") &&
                           (p[2].size() == 5 || p[2][5] == ' ' || p[2][5] == '=' || p[2][5] == '{');
        if (p.size() > 2 && (ieq(p[2].substr(0, std::min<std::size_t>(4, p[2].size())), "poly") || ieq(p[2], "value") ||
                             table || ieq(p[2], "vol") || ieq(p[2], "cur") || ieq(p[2], "laplace"))) {
          nodes(2);
          break;
        }
        const bool voltage = k && k->refs == 0;
        nodes(voltage ? 4 : 2);
        if (!voltage && i < p.size()) j["refs"] = Json::array({p[i++]});
        if (i < p.size() && numericOrExpr(p[i])) take("value");
        break;
      }
      case CardLayout::Coupling: {
        j["nodes"] = Json::array();
        Json refs = Json::array();
        while (i < p.size() && i < 2) refs.push_back(p[i++]);
        j["refs"] = std::move(refs);
        if (i < p.size() && numericOrExpr(p[i])) take("value");
        break;
      }
      case CardLayout::ModelCard: {
        std::size_t lo = std::size_t(k->minNodes), hi = std::size_t(k->maxNodes), n = lo;
        if (hi > lo && p.size() > lo + 1) {
          bool fewer = models_.count(lower(p[lo])) > 0 || !plainWord(p[lo + 1]) || ieq(p[lo + 1], "off");
          // one more node, or two (Q with a VBIC model: substrate and thermal) when the model follows them
          const bool two = hi >= lo + 2 && p.size() > lo + 2 && models_.count(lower(p[lo + 1])) == 0 &&
                           models_.count(lower(p[lo + 2])) > 0;
          n = fewer ? lo : two ? lo + 2 : lo + 1;
        }
        nodes(n);
        if (k->refs && i < p.size()) j["refs"] = Json::array({p[i++]});
        if (i < p.size() && plainWord(p[i])) take("model");
        if (k->positional && j.contains("model") && i < p.size() && numericOrExpr(p[i])) take("value");
        break;
      }
      case CardLayout::CodeModel: {
        j["nodes"] = Json::array();
        if (p.empty() || !plainWord(p.back())) return raw(c);
        j["ports"] = strings(p.begin(), p.end() - 1);
        j["model"] = p.back();
        i = p.size();
        break;
      }
      case CardLayout::Generic: {
        if (k && k->minNodes == k->maxNodes) nodes(std::size_t(k->minNodes));
        else j["nodes"] = Json::array();
        break;
      }
    }
    if (i < p.size()) j["args"] = strings(p.begin() + std::ptrdiff_t(i), p.end());
    if (!s.params.empty()) j["params"] = std::move(s.params);
    addComment(j, c);
    return j;
  }

  std::string_view text_;
  const ConvertOptions& opts_;
  CardText ct_;
  netlist::LexedFile lex_;
  std::unordered_set<std::string> models_;
  std::deque<Extra> extras_;
  std::unordered_map<std::uint32_t, std::string> trailing_;
};

}  // namespace

Result<std::string> netlistToJson(std::string_view netlist, const ConvertOptions& opts) {
  if (trimmed(netlist).empty())
    return makeError(ErrorCode::Parse, "empty netlist: expected a title line and cards", SourceLoc{opts.fileName, 1, 0});
  try {
    Reader r(netlist, opts);
    Json doc = r.run();
    return doc.dump(opts.indent, ' ', false, Json::error_handler_t::replace);
  } catch (const netlist::NetlistError& e) {
    return e.err;
  }
}

bool looksLikeCircuitJson(std::string_view text) {
  for (char c : text) {
    if (isSpace(c) || c == '\n') continue;
    return c == '{';
  }
  return false;
}

}  // namespace simcore::model
