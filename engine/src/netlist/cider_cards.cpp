// CIDER numerical device models (.model M numd level=1, then one card per
// '+' line), read as ngspice 39 reads them (spicelib/parser/inpgmod.c):
//
//   the .model line:  only level=N is read (1 or 2; numos is two-dimensional)
//   each '+' line:    one card (x.mesh loc=0 n=1); a line starting '*', '$'
//                     or '#' is a comment card, '++' continues the card before
//   names:            case-insensitive prefixes of a card's or a parameter's
//                     name or alias (devices/cider_vocab.cpp), ngspice's rules
//
// The cards go to ir::Model::cards with canonical names; the devices read them.
#include <algorithm>
#include <cmath>

#include "devices/cider_vocab.hpp"
#include "netlist/frontend.hpp"
#include "netlist/number.hpp"

namespace simcore::netlist {
namespace {

namespace cv = dev::cider;

// typed (lower case, non-empty) is a prefix of full
bool prefixOf(std::string_view typed, std::string_view full) {
  return !typed.empty() && typed.size() <= full.size() && full.compare(0, typed.size(), typed) == 0;
}

bool isSeparator(const Token& t) {
  return t.kind == TokKind::Eq || t.kind == TokKind::LParen || t.kind == TokKind::RParen;
}

struct CardMatch {
  const cv::CardSpec* card = nullptr;
  bool ambiguous = false;
};

// ngspice's INPfindCard: the typed name is a prefix of exactly one card name
// (aliases are names of their own there; none is a prefix of another)
CardMatch findCard(std::string_view typed) {
  CardMatch r;
  int hits = 0;
  for (const cv::CardSpec& c : cv::cards()) {
    int mine = prefixOf(typed, c.name) ? 1 : 0;
    for (const char* a : c.aliases) mine += prefixOf(typed, a) ? 1 : 0;
    if (mine && !r.card) r.card = &c;
    hits += mine;
  }
  if (hits > 1) {
    r.ambiguous = true;
    r.card = nullptr;
  }
  return r;
}

struct ParamMatch {
  const cv::CardParam* param = nullptr;
  bool ambiguous = false;
};

// ngspice's INPfindParm: a name or alias written in full wins; else the
// parameters whose name or alias starts with the typed text must be one
// (aliases of one parameter do not compete)
ParamMatch findParam(const cv::CardSpec& card, std::string_view typed) {
  for (const cv::CardParam& p : card.params) {
    if (typed == p.name) return {&p, false};
    for (const char* a : p.aliases)
      if (typed == a) return {&p, false};
  }
  ParamMatch r;
  for (const cv::CardParam& p : card.params) {
    bool hit = prefixOf(typed, p.name);
    for (const char* a : p.aliases) hit = hit || prefixOf(typed, a);
    if (!hit) continue;
    if (r.param) return {nullptr, true};
    r.param = &p;
  }
  return r;
}

// A keyword value's code (1-based), as ngspice's cinprefix tests it: the word
// is a prefix of the keyword, keywords tried in order; 0 when none takes it.
int keywordCode(const cv::CardParam& p, std::string_view word) {
  for (std::size_t k = 0; k < p.keywords.size(); ++k)
    if (prefixOf(word, p.keywords[k])) return static_cast<int>(k) + 1;
  return 0;
}

std::string keywordList(const cv::CardParam& p) {
  std::string s;
  for (const char* k : p.keywords) {
    if (!*k) continue;
    if (!s.empty()) s += ", ";
    s += k;
  }
  return s;
}

const char* kindText(cv::ValueKind k) {
  switch (k) {
    case cv::ValueKind::Integer: return "an integer";
    case cv::ValueKind::IntList: return "one or more integers";
    case cv::ValueKind::Keyword: return "a word";
    case cv::ValueKind::Text: return "a file name";
    default: return "a number";
  }
}

std::string cardNames() {
  std::string s;
  for (const cv::CardSpec& c : cv::cards()) {
    if (!s.empty()) s += ' ';
    s += c.name;
    for (const char* a : c.aliases) s += std::string(" ") + a;
  }
  return s;
}

std::string keyOf(const char* what, const Token& t) {
  return std::string("cider-") + what + ":" + (t.file ? *t.file : std::string()) + ":" + std::to_string(t.line) + ":" +
         std::to_string(t.col);
}

}  // namespace

bool isCiderModelType(std::string_view type) { return type == "numd" || type == "nbjt" || type == "numos"; }

void Frontend::ciderModel(Frame& f, const Card& c, std::size_t typeAt, const std::string& name, ir::Model& m) {
  const Token& typeTok = c[typeAt];
  const std::string type = lower(typeTok.text);
  auto sameLine = [](const Token& a, const Token& b) { return a.line == b.line && a.file == b.file; };

  // The .model line: level=N, nothing else (ngspice reads no parameters there).
  std::size_t i = typeAt + 1;
  const Token* stray = nullptr;
  for (; i < c.size() && sameLine(c[i], typeTok); ++i) {
    const Token& t = c[i];
    if (isSeparator(t)) continue;
    if (t.kind == TokKind::Word && ieq(t.text, "level")) {
      std::size_t v = i + 1;
      while (v < c.size() && sameLine(c[v], typeTok) && isSeparator(c[v])) ++v;
      double level = 0;
      std::string why;
      if (v >= c.size() || !sameLine(c[v], typeTok) || c[v].kind != TokKind::Word || !parseNumber(c[v].text, level, why))
        failAt(v < c.size() && sameLine(c[v], typeTok) ? c[v] : t, ErrorCode::Parse,
               "'level' of .model '" + name + "' needs a number (level=1)");
      if (type != "numos" && level != 1.0 && level != 2.0)
        failAt(c[v], ErrorCode::Semantic,
               "'level' of CIDER model '" + name + "' is 1 (one-dimensional) or 2 (two-dimensional)");
      std::erase_if(m.params, [](const ir::Param& q) { return q.name == "level"; });
      ir::Param lp;
      lp.name = "level";
      lp.value = level;
      lp.loc = locOf(t);
      m.params.push_back(std::move(lp));
      i = v;
      continue;
    }
    if (!stray) stray = &t;
  }
  if (stray)
    warnOnce(*stray, keyOf("line", *stray),
             "'" + std::string(stray->text) + "' on the .model line of CIDER model '" + name +
                 "' ignored, as by ngspice 39 (only level= is read there; the model's cards follow on '+' lines)");

  // The cards: one per physical line.
  enum class State { None, InCard, Skipped };  // Skipped: an unknown card, whose '++' lines go with it
  State state = State::None;
  std::size_t cur = 0;  // index into m.cards when InCard
  const cv::CardSpec* curSpec = nullptr;
  std::vector<Token> toks;
  while (i < c.size()) {
    const Token& first = c[i];
    std::size_t e = i + 1;
    while (e < c.size() && sameLine(c[e], first)) ++e;
    toks.assign(c.b + i, c.b + e);
    i = e;

    std::size_t k = 0;  // first parameter token in toks
    const std::string_view head = first.text;
    if (first.kind == TokKind::Word && (head[0] == '*' || head[0] == '$' || head[0] == '#')) {
      state = State::None;  // a comment card, which ends the card before it
      continue;
    }
    if (first.kind == TokKind::Word && head[0] == '+') {
      if (state == State::None)
        failAt(first, ErrorCode::Parse,
               "illegal continuation '+' in CIDER model '" + name +
                   "': the line before it is a comment card or starts no card ('++' continues the card of the line "
                   "before)");
      if (state == State::Skipped) continue;
      const std::size_t plus = head.find_first_not_of('+');
      if (plus == std::string_view::npos) {
        k = 1;
      } else {
        toks[0].text = head.substr(plus);
        toks[0].col += static_cast<std::uint32_t>(plus);
      }
    } else {
      const std::string cname = lower(head);
      const CardMatch cm = first.kind == TokKind::Word ? findCard(cname) : CardMatch{};
      if (cm.ambiguous)
        failAt(first, ErrorCode::Parse,
               "ambiguous card name '" + std::string(head) + "' in CIDER model '" + name + "' (cards: " + cardNames() +
                   ")");
      if (!cm.card) {
        state = State::None;
        if (cname.size() >= 3 && (prefixOf(cname, "title") || prefixOf(cname, "comment"))) continue;
        if (cname.size() >= 3 && prefixOf(cname, "end")) return;  // ngspice stops reading the model here
        warnOnce(first, keyOf("card", first),
                 "unknown card '" + std::string(head) + "' in CIDER model '" + name +
                     "' ignored, as by ngspice 39 (cards: " + cardNames() + ")");
        state = State::Skipped;
        continue;
      }
      state = State::InCard;
      curSpec = cm.card;
      auto same = cm.card->singleton ? std::find_if(m.cards.begin(), m.cards.end(),
                                                    [&](const ir::ModelCard& mc) { return mc.name == cm.card->name; })
                                     : m.cards.end();
      if (same != m.cards.end()) {
        cur = static_cast<std::size_t>(same - m.cards.begin());  // options, models, method, output: one card
      } else {
        cur = m.cards.size();
        m.cards.push_back(ir::ModelCard{cm.card->name, {}, locOf(first)});
      }
      k = 1;
    }

    const cv::CardSpec& spec = *curSpec;
    const std::string cardName = spec.name;
    auto nextValue = [&](std::size_t at) {  // the token after separators, or toks.size()
      while (at < toks.size() && isSeparator(toks[at])) ++at;
      return at;
    };
    // A number, a {expression} or a .param name; false when the token is none of them.
    auto number = [&](const Token& t, const std::string& what, double& out) {
      if (t.kind == TokKind::Expr) {
        out = evalValue(t, f);
        return true;
      }
      if (t.kind != TokKind::Word) return false;
      if (looksNumeric(t.text)) {
        std::string why;
        if (!parseNumber(t.text, out, why))
          failAt(t, ErrorCode::Parse, "bad number " + quoteTok(t.text) + " for " + what + ": " + why);
        // (rounded as ngspice rounds it: CIDER compares mesh lines and doping boxes exactly)
        const double ng = ngspiceValue(t.text);
        if (std::isfinite(ng)) out = ng;
        return true;
      }
      if (!hasParam(f, lower(t.text))) return false;
      out = evalValue(t, f);
      return true;
    };
    while (k < toks.size()) {
      const Token* nameTok = &toks[k];
      if (isSeparator(*nameTok)) {
        ++k;
        continue;
      }
      bool negate = false;
      Token stripped = *nameTok;
      if (stripped.kind == TokKind::Word && stripped.text[0] == '^') {
        negate = true;
        stripped.text.remove_prefix(1);
        ++stripped.col;
        if (stripped.text.empty()) {  // "^ aval"
          ++k;
          if (k >= toks.size() || toks[k].kind != TokKind::Word) continue;
          stripped = toks[k];
        }
      }
      nameTok = &stripped;
      ++k;
      const std::string pname = lower(nameTok->text);
      const ParamMatch pm = nameTok->kind == TokKind::Word ? findParam(spec, pname) : ParamMatch{};
      if (!pm.param) {
        warnOnce(*nameTok, keyOf("param", *nameTok),
                 std::string(pm.ambiguous ? "ambiguous" : "unknown") + " parameter '" + std::string(nameTok->text) +
                     "' on the " + cardName + " card of CIDER model '" + name + "' ignored, as by ngspice 39");
        // its value, if it has one, goes with it
        if (k < toks.size() && toks[k].kind == TokKind::Eq) {
          ++k;
          if (k < toks.size() && (toks[k].kind == TokKind::Word || toks[k].kind == TokKind::Expr)) ++k;
        } else if (k < toks.size() &&
                   (toks[k].kind == TokKind::Expr || (toks[k].kind == TokKind::Word && looksNumeric(toks[k].text)))) {
          ++k;
        }
        continue;
      }
      const cv::CardParam& p = *pm.param;
      ir::Param out;
      out.name = p.name;
      out.loc = locOf(*nameTok);
      if (p.kind == cv::ValueKind::Flag) {
        out.value = negate ? 0.0 : 1.0;
        m.cards[cur].params.push_back(std::move(out));
        continue;
      }
      if (negate)
        warnOnce(*nameTok, keyOf("caret", *nameTok),
                 "'^' before '" + std::string(nameTok->text) + "' on the " + cardName + " card of CIDER model '" +
                     name + "' ignored: only a flag can be negated (as ngspice 39 says)");
      std::string what = "'";
      what.append(p.name).append("' on the ").append(cardName).append(" card of CIDER model '").append(name).append("'");
      std::size_t v = nextValue(k);
      auto missing = [&]() {
        failAt(v < toks.size() ? toks[v] : *nameTok, ErrorCode::Parse,
               what + " needs " + kindText(p.kind) +
                   (v < toks.size() ? ", found " + quoteTok(toks[v].text) : std::string(", found nothing")));
      };
      switch (p.kind) {
        case cv::ValueKind::Real:
        case cv::ValueKind::Integer: {
          if (v >= toks.size() || !number(toks[v], what, out.value)) missing();
          if (p.kind == cv::ValueKind::Integer) out.value = std::floor(out.value + 0.5);
          k = v + 1;
          break;
        }
        case cv::ValueKind::IntList: {
          double x = 0;
          while (v < toks.size() && number(toks[v], what, x)) {
            out.values.push_back(std::floor(x + 0.5));
            k = v + 1;
            v = nextValue(k);
          }
          if (out.values.empty()) missing();
          out.value = out.values.front();
          break;
        }
        case cv::ValueKind::Keyword: {
          if (v >= toks.size() || (toks[v].kind != TokKind::Word && toks[v].kind != TokKind::Str)) missing();
          std::string_view word = toks[v].text;
          if (toks[v].kind == TokKind::Str) word = word.substr(1, word.size() - 2);
          k = v + 1;
          const int code = keywordCode(p, lower(word));
          if (code == 0) {
            warnOnce(toks[v], keyOf("keyword", toks[v]),
                     "unknown value '" + std::string(word) + "' of " + what + " ignored, as by ngspice 39 (expected " +
                         keywordList(p) + ")");
            continue;
          }
          out.value = code;
          break;
        }
        case cv::ValueKind::Text: {
          if (v >= toks.size() || (toks[v].kind != TokKind::Word && toks[v].kind != TokKind::Str)) missing();
          k = v + 1;  // a file name: not used by the one-dimensional devices
          break;
        }
        case cv::ValueKind::Flag: break;
      }
      m.cards[cur].params.push_back(std::move(out));
    }
  }
}

}  // namespace simcore::netlist
