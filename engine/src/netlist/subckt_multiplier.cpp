// The multiplier m= of a sub-circuit instance (X1 a b amp m=4: four amps in
// parallel), read as ngspice 39 reads it. A .subckt that some instance gives
// m= and that declares no parameter m gets one (default 1), and every element
// of its body that has a multiplier (all but B, E, H, V and the kinds
// ngspice leaves alone: A, K, N, O, P, S, T, U, W, Y) gets m={m}, replacing
// an m= it gives itself (in ngspice's HSPICE mode, ngbehavior hs: m={m*(own)});
// X instances of the body pass it on to their own
// sub-circuits the same way. The multiplier is the sub-circuit's, not the
// instance's: its other instances run with m=1.
#include <vector>

#include "netlist/frontend.hpp"

namespace simcore::netlist {

namespace {

// The index of the sub-circuit name of an X card (the last word before the
// first name=value or params:), or 0 when there is none.
std::size_t subcktNameIndex(const Card& c) {
  const std::size_t n = c.size();
  std::size_t i = 1;
  while (i < n && c[i].kind == TokKind::Word && !ieq(c[i].text, "params:") &&
         !(i + 1 < n && c[i + 1].kind == TokKind::Eq))
    ++i;
  return i >= 2 ? i - 1 : 0;
}

// Where the assignment `m = value` of c starts (at or after `from`), or 0.
// Its value runs to the next name= at parenthesis depth 0.
struct Span {
  std::size_t b = 0, e = 0;
};
Span multiplierAssignment(const Card& c, std::size_t from) {
  const std::size_t n = c.size();
  for (std::size_t i = from; i + 1 < n; ++i) {
    if (!(c[i].kind == TokKind::Word && ieq(c[i].text, "m") && c[i + 1].kind == TokKind::Eq)) continue;
    std::size_t j = i + 2;
    int depth = 0;
    while (j < n) {
      const Token& u = c[j];
      if (depth == 0 && j > i + 2 && u.kind == TokKind::Word && j + 1 < n && c[j + 1].kind == TokKind::Eq) break;
      if (u.kind == TokKind::LParen) ++depth;
      else if (u.kind == TokKind::RParen) --depth;
      ++j;
    }
    return Span{i, j};
  }
  return Span{};
}

bool takesMultiplier(const Card& c) {
  if (c.size() < 2 || c[0].kind != TokKind::Word || c[0].text.empty()) return false;
  const char letter = lowerChar(c[0].text[0]);
  return letter >= 'a' && letter <= 'z' && std::string_view("bvehaknopstuwy").find(letter) == std::string_view::npos;
}

void collectScopes(SubcktDef& d, std::vector<SubcktDef*>& out) {
  out.push_back(&d);
  for (auto& [name, child] : d.children) collectScopes(*child, out);
}

}  // namespace

// The tokens m, =, VALUE of `text` ("m=1", "m={m}"), at `at`'s place: views
// into one owned string, and with a file name of their own (the same text):
// code that spans the tokens of one line of one file (an expression's source)
// never spans from the card's own text into them.
std::vector<Token> Frontend::synthesized(const Token& at, std::string_view text, TokKind valueKind) {
  ownedText_.emplace_back(text);
  const std::string& t = ownedText_.back();
  ownedText_.emplace_back(at.file ? *at.file : std::string());
  const std::string* file = &ownedText_.back();
  std::vector<Token> out(3, at);
  out[0].text = std::string_view(t).substr(0, 1);
  out[0].kind = TokKind::Word;
  out[1].text = std::string_view(t).substr(1, 1);
  out[1].kind = TokKind::Eq;
  out[2].text = std::string_view(t).substr(2);
  out[2].kind = valueKind;
  for (Token& k : out) k.file = file;
  return out;
}

void Frontend::subcktMultipliers() {
  std::vector<SubcktDef*> scopes;
  collectScopes(top_, scopes);
  bool changed = true;
  while (changed) {
    changed = false;
    for (SubcktDef* scope : scopes)
      for (const Card& c : scope->elements) {
        if (c.size() < 3 || c[0].kind != TokKind::Word || lowerChar(c[0].text[0]) != 'x') continue;
        const std::size_t at = subcktNameIndex(c);
        if (!at) continue;
        const Span given = multiplierAssignment(c, at + 1);
        if (!given.e) continue;
        SubcktDef* def = const_cast<SubcktDef*>(findDef(scope, lower(c[at].text)));
        if (!def || def->paramNames.count("m") || def->unreadable) continue;
        changed = true;
        // params: m=1 on the .subckt line
        const Token& anchor = def->nameTok ? *def->nameTok : c[at];
        std::vector<Token> head = synthesized(anchor, "m=1", TokKind::Word);
        ownedCards_.push_back(std::move(head));
        const std::vector<Token>& hv = ownedCards_.back();
        for (ParamSrc& p : parseAssignments(Card{hv.data(), hv.data() + hv.size()}, 0, ".subckt parameters"))
          def->defaults.push_back(std::move(p));
        def->paramNames.insert("m");
        for (Card& el : def->elements) {
          if (!takesMultiplier(el)) continue;
          std::vector<Token> toks(el.b, el.e);
          const std::size_t from = lowerChar(el[0].text[0]) == 'x' ? subcktNameIndex(el) + 1 : 1;
          std::string multiplier = "m={m}";
          if (const Span own = multiplierAssignment(el, from); own.e) {
            if (ngbehaviorHas("hs")) {
              // ngspice's HSPICE mode (ngbehavior hs, sky130's .spiceinit): the element's own m
              // times the sub-circuit's (sky130's poly resistors: parasitic caps with m=0.5)
              std::string own_;
              for (std::size_t k = own.b + 2; k < own.e; ++k) {
                std::string_view t = el[k].text;
                if (el[k].kind == TokKind::Expr && t.size() >= 2) t = t.substr(1, t.size() - 2);
                own_ += (own_.empty() ? "" : " ") + std::string(t);
              }
              multiplier = "m={m*(" + own_ + ")}";
            } else {
              warnOnce(el[own.b], "subckt-m:" + *el[0].file + ":" + std::to_string(el[0].line),
                       "'" + lower(el[0].text) + "' gives m=, which the multiplier of .subckt '" + def->name +
                           "' replaces (an instance gives it m=, line " + std::to_string(c[0].line) +
                           "): as in ngspice 39, its m= has no effect (in ngspice's HSPICE mode, ngbehavior hs, "
                           "the two multiply)");
            }
            toks.erase(toks.begin() + static_cast<std::ptrdiff_t>(own.b),
                       toks.begin() + static_cast<std::ptrdiff_t>(own.e));
          }
          for (const Token& t : synthesized(el.e[-1], multiplier, TokKind::Expr)) toks.push_back(t);
          ownedCards_.push_back(std::move(toks));
          const std::vector<Token>& v = ownedCards_.back();
          el = Card{v.data(), v.data() + v.size(), el.error};
        }
      }
  }
}

}  // namespace simcore::netlist
