// ngspice-dialect tolerance: warnings recorded once, dot cards that change no
// result simcore computes, and rewrites of card forms ngspice accepts (KiCad's
// grouping parentheses) into the forms the device readers expect.
#include <algorithm>
#include <utility>

#include "netlist/frontend.hpp"

namespace simcore::netlist {

void Frontend::warnOnce(const Token& at, const std::string& key, std::string message) {
  if (!warned_.insert(key).second) return;
  c_.warnings.push_back(ir::Diagnostic{std::move(message), locOf(at)});
}

const char* Frontend::ignoredCard(std::string_view lname) {
  struct Entry {
    const char* name;
    const char* why;
  };
  static constexpr Entry kIgnored[] = {
      {".plot", "plots are drawn by the front ends"},
      {".width", "output width has no meaning here"},
      {".backanno", "back-annotation has no effect"},
      {".sens", "sensitivity analysis is not supported"},
      {".disto", "distortion analysis is not supported"},
  };
  for (const Entry& e : kIgnored)
    if (lname == e.name) return e.why;
  return nullptr;
}

namespace {

bool isGroupable(const Token& t) { return t.kind == TokKind::Word; }

// Index of the ')' closing the '(' at i, or 0 when the parentheses hold
// anything but 1..maxWords words.
std::size_t wordGroup(const Card& c, std::size_t i, std::size_t maxWords) {
  if (i >= c.size() || c[i].kind != TokKind::LParen) return 0;
  std::size_t j = i + 1;
  while (j < c.size() && isGroupable(c[j]) && j - i - 1 < maxWords) ++j;
  if (j == i + 1 || j >= c.size() || c[j].kind != TokKind::RParen) return 0;
  return j;
}

}  // namespace

Card Frontend::normalizeCard(const Card& c) {
  if (c.size() < 2 || c[0].kind != TokKind::Word) return c;
  const char letter = lowerChar(c[0].text[0]);
  std::vector<std::size_t> drop;  // indices of parentheses to remove
  auto nodeGroups = [&](std::size_t wantNodes) {
    std::size_t i = 1, nodes = 0;
    while (nodes < wantNodes && i < c.size()) {
      if (std::size_t close = wordGroup(c, i, wantNodes - nodes)) {
        drop.push_back(i);
        drop.push_back(close);
        nodes += close - i - 1;
        i = close + 1;
      } else if (c[i].kind == TokKind::Word) {
        ++nodes;
        ++i;
      } else {
        break;
      }
    }
    return i;
  };
  switch (letter) {
    case 'e':
    case 'g': nodeGroups(4); break;
    case 'f':
    case 'h': nodeGroups(2); break;
    case 'v':
    case 'i': {
      // V1 a b ( 9 ): a parenthesised DC value right after the nodes
      std::size_t i = nodeGroups(2);
      if (i + 2 < c.size() && c[i].kind == TokKind::LParen && c[i + 2].kind == TokKind::RParen &&
          (c[i + 1].kind == TokKind::Expr || c[i + 1].kind == TokKind::Word) &&
          !(c[i + 1].kind == TokKind::Word && (ieq(c[i + 1].text, "dc") || ieq(c[i + 1].text, "ac")))) {
        drop.push_back(i);
        drop.push_back(i + 2);
      }
      break;
    }
    default: break;
  }
  if (drop.empty()) return c;
  std::vector<Token> toks;
  toks.reserve(c.size() - drop.size());
  for (std::size_t k = 0; k < c.size(); ++k)
    if (std::find(drop.begin(), drop.end(), k) == drop.end()) toks.push_back(c[k]);
  ownedCards_.push_back(std::move(toks));
  const std::vector<Token>& v = ownedCards_.back();
  return Card{v.data(), v.data() + v.size()};
}

}  // namespace simcore::netlist
