// ngspice-dialect tolerance: warnings recorded once, dot cards that change no
// result simcore computes, and rewrites of card forms ngspice accepts (KiCad's
// grouping parentheses) into the forms the device readers expect.
#include <algorithm>
#include <cmath>
#include <utility>

#include "netlist/expr.hpp"
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
      // LTspice's cards that write files
      {".wave", "LTspice's .wav output is not written here (save the signal and convert the result)"},
      {".savebias", "LTspice's bias-point file is not written here"},
      {".loadbias", "LTspice's bias-point file is not read here: the operating point is solved from scratch"},
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
  // NAME=fn(...) without braces on an element's parameters (r=agauss(1k, 0.1, 3),
  // w=max(1u, 2u)): ngspice evaluates the call; read as one expression when the
  // call is on one line and the '(' follows the function's name at once
  if (std::string_view("rclmqdjzxsw").find(letter) != std::string_view::npos) {
    std::vector<Token> toks;
    bool merged = false;
    for (std::size_t k = 0; k < c.size(); ++k) {
      const Token& t = c[k];
      if (k >= 2 && c[k - 1].kind == TokKind::Eq && t.kind == TokKind::Word && k + 1 < c.size() &&
          c[k + 1].kind == TokKind::LParen && c[k + 1].line == t.line && c[k + 1].file == t.file &&
          c[k + 1].col == t.col + t.text.size()) {
        // the call, and what is written against it (pwr(2, 3)*1u, max(a,b)+min(c,d))
        auto sameLine = [&](std::size_t j) { return j < c.size() && c[j].line == t.line && c[j].file == t.file; };
        auto adjacent = [&](std::size_t j) { return sameLine(j) && c[j].col == c[j - 1].col + c[j - 1].text.size(); };
        std::size_t e = k;
        bool ok = true;
        while (ok && adjacent(e + 1) && c[e + 1].kind != TokKind::Eq) {
          if (c[e + 1].kind == TokKind::LParen) {
            int depth = 0;
            std::size_t j = e + 1;
            for (; sameLine(j); ++j) {
              if (c[j].kind == TokKind::LParen) ++depth;
              else if (c[j].kind == TokKind::RParen && --depth == 0) break;
            }
            if (!sameLine(j)) ok = false;
            else e = j;
          } else if (c[e + 1].kind == TokKind::Word) {
            ++e;
          } else {
            break;
          }
        }
        if (ok && e > k) {
          Token call = t;
          call.text = std::string_view(t.text.data(), std::size_t(c[e].text.data() + c[e].text.size() - t.text.data()));
          toks.push_back(call);
          merged = true;
          k = e;
          continue;
        }
      }
      toks.push_back(t);
    }
    if (!merged) return c;
    ownedCards_.push_back(std::move(toks));
    const std::vector<Token>& v = ownedCards_.back();
    return Card{v.data(), v.data() + v.size()};
  }
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
      // AC ( 5 ), AC ( 5 ) ( 30 ), AC ( 5 30 ), DC ( 2 ): KiCad writes them;
      // ngspice reads the parentheses as separators there
      auto valueTok = [&](std::size_t k) {
        return k < c.size() && (c[k].kind == TokKind::Expr ||
                                (c[k].kind == TokKind::Word && !ieq(c[k].text, "dc") && !ieq(c[k].text, "ac")));
      };
      for (std::size_t k = i; k < c.size(); ++k) {
        if (c[k].kind != TokKind::Word || !(ieq(c[k].text, "dc") || ieq(c[k].text, "ac"))) continue;
        const std::size_t want = ieq(c[k].text, "ac") ? 2 : 1;
        std::size_t j = k + 1, got = 0;
        if (j < c.size() && c[j].kind == TokKind::Eq) ++j;
        while (got < want && j < c.size() && c[j].kind == TokKind::LParen) {
          std::size_t e = j + 1;
          while (e < c.size() && valueTok(e) && e - j - 1 < want - got) ++e;
          if (e == j + 1 || e >= c.size() || c[e].kind != TokKind::RParen) break;
          drop.push_back(j);
          drop.push_back(e);
          got += e - j - 1;
          j = e + 1;
        }
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

// LTspice writes a capacitor's or inductor's parasitics on its card (vendor
// libraries: Wuerth transformers, EPCOS varistors, ST thyristors), and a
// behavioural source's parallel R and C; ngspice 39 rejects them. Read as the
// elements they stand for, with a warning once per file:
//   C a b val Rser= Lser= RLshunt= Rpar= Cpar=   a -C- #1 -Rser- #2 -Lser- b,
//                                                RLshunt across Lser
//   L a b val Rser= Rpar= Cpar=                  a -L- #1 -Rser- b
//   B a b I=|V=... Rpar= Cpar=   (tripdv= tripdt= ic=: ignored)
//   V a b ... Rser= Cpar=                        a -V- #1 -Rser- b
// with Rpar and Cpar from a to b. A series resistance below 1 nOhm (LTspice
// decks write Rser=1e-99 for "none") is left out, as is any value <= 0.
Card Frontend::takeParasitics(Frame& f, const Card& c, Parasitics& p) {
  const std::size_t n = c.size();
  const char letter = lowerChar(c[0].text[0]);
  if (n < 5 || c[1].kind != TokKind::Word || c[2].kind != TokKind::Word) return c;
  std::vector<char> drop(n, 0);
  bool found = false;
  const std::size_t first = letter == 'b' ? 6 : 3;
  for (std::size_t k = first; k < n; ++k) {
    // LTspice's `noiseless` on a C or L card (ADI's models: `C11 3 1 .7p Rpar=40T noiseless`):
    // the parasitic resistors it comes with make no noise
    if ((letter == 'c' || letter == 'l') && c[k].kind == TokKind::Word && ieq(c[k].text, "noiseless") &&
        !(k + 1 < n && c[k + 1].kind == TokKind::Eq) && c[k - 1].kind != TokKind::Eq) {
      drop[k] = 1;
      found = true;
      p.noiseless = true;
      continue;
    }
    if (k + 2 >= n || c[k].kind != TokKind::Word || c[k + 1].kind != TokKind::Eq) continue;
    const std::string name = lower(c[k].text);
    // LTspice's part description on a C, L or R card from its component database
    // (V= Irms= Ipk= mfg="KEMET" pn="..." type="X7R"; a resistor's tol=1% pwr=0.1): it
    // changes no result
    static constexpr std::string_view kPart[] = {"v", "irms", "ipk", "mfg", "pn", "type"};
    static constexpr std::string_view kResistorPart[] = {"tol", "pwr", "mfg", "pn", "type"};
    const bool part = ((letter == 'c' || letter == 'l') &&
                       std::find(std::begin(kPart), std::end(kPart), name) != std::end(kPart)) ||
                      (letter == 'r' && std::find(std::begin(kResistorPart), std::end(kResistorPart), name) !=
                                            std::end(kResistorPart));
    if (part && (c[k + 2].kind == TokKind::Str || c[k + 2].kind == TokKind::Word)) {
      drop[k] = drop[k + 1] = drop[k + 2] = 1;
      found = true;
      k += 2;
      continue;
    }
    if (letter == 'r' || (c[k + 2].kind != TokKind::Word && c[k + 2].kind != TokKind::Expr)) continue;
    double* slot = nullptr;
    double ignored = 0;
    // LTspice's step-rejection limits of a B source (tripdv, tripdt): no
    // effect on the solution it converges to, ignored with the warning below
    // (and ic=, LTspice's initial value of a B source's output, which its
    // regulator models write as ic=0 on a V= source: no effect on a solution)
    if (letter == 'b' && (name == "tripdv" || name == "tripdt" || name == "ic")) slot = &ignored;
    else if (name == "rpar" && letter != 'v') slot = &p.rpar;
    else if (name == "cpar") slot = &p.cpar;
    else if (letter != 'b' && name == "rser") slot = &p.rser;  // (a V source's too)
    else if (letter == 'c' && name == "lser") slot = &p.lser;
    else if (letter == 'c' && name == "rlshunt") slot = &p.rlshunt;
    if (!slot) continue;
    *slot = evalValue(c[k + 2], f);
    drop[k] = drop[k + 1] = drop[k + 2] = 1;
    found = true;
    k += 2;
  }
  if (!found) return c;
  warnOnce(c[0], "ltspice-parasitics:" + (c[0].file ? *c[0].file : std::string()),
           "LTspice's parasitics on a capacitor, inductor or B source (Rser, Lser, Rpar, Cpar) and a voltage source (Rser, Cpar) are read as the series "
           "and parallel elements they stand for, a B source's tripdv, tripdt (step rejection) and ic, a C or L "
           "card's part description (V, Irms, Ipk, mfg, pn, type), a resistor's (tol, pwr) and the flag noiseless "
           "(the parasitic resistors make no noise) are ignored (ngspice 39 rejects them)");
  if (p.rser < 1e-9) p.rser = 0;
  if (p.lser < 0) p.lser = 0;
  if (!(p.rpar > 0) || std::isinf(p.rpar)) p.rpar = 0;
  if (p.cpar < 0) p.cpar = 0;
  if (!(p.rlshunt > 0) || p.lser == 0) p.rlshunt = 0;
  p.a = node(f, c[1], "'" + lower(c[0].text) + "'");
  p.b = node(f, c[2], "'" + lower(c[0].text) + "'");
  std::vector<Token> toks;
  toks.reserve(n);
  for (std::size_t k = 0; k < n; ++k)
    if (!drop[k]) toks.push_back(c[k]);
  if (p.series()) {
    // the element ends at the chain's first internal node
    ownedText_.push_back(lower(c[0].text) + "#1");
    toks[2].text = ownedText_.back();
  }
  ownedCards_.push_back(std::move(toks));
  const std::vector<Token>& v = ownedCards_.back();
  return Card{v.data(), v.data() + v.size()};
}

void Frontend::addParasitics(Frame& f, const Card& c, const Parasitics& p) {
  const std::string leaf = lower(c[0].text);
  const SourceLoc loc = locOf(c[0]);
  auto add = [&](char l, const char* role, std::string a, std::string b, double value) {
    ir::Device x;
    x.name = f.prefix + std::string(1, l) + leaf + "#" + role;
    x.letter = l;
    x.nodes = {std::move(a), std::move(b)};
    x.value = value;
    x.loc = loc;
    if (l == 'r' && p.noiseless) x.params.push_back(ir::Param{"noisy", 0.0, loc, {}});
    addDevice(std::move(x), c[0]);
  };
  if (p.series()) {
    std::string at = nodeName(f, leaf + "#1");
    if (p.rser > 0) {
      const std::string next = p.lser > 0 ? nodeName(f, leaf + "#2") : p.b;
      add('r', "ser", at, next, p.rser);
      at = next;
    }
    if (p.lser > 0) {
      add('l', "ser", at, p.b, p.lser);
      if (p.rlshunt > 0) add('r', "shunt", at, p.b, p.rlshunt);
    }
  }
  if (p.rpar > 0) add('r', "par", p.a, p.b, p.rpar);
  if (p.cpar > 0) add('c', "par", p.a, p.b, p.cpar);
}

// LTspice's I source flagged `load` (Ixxx n+ n- value|waveform [AC=...] load):
// a dissipative load that draws nothing once the voltage across it reaches 0.
// LTspice documents that the current leaves its value below 0.5 V and ends
// as a resistance of 0.25 Ohm A / I; read here as
//   i = I * f(v),  v = v(n+, n-),  f = 1 (v >= 0.5), 4 v (1 - v) (0 <= v < 0.5), 4 v (v < 0)
// (continuous with its slope; 0.25 / I Ohm at and below 0), and i = I when I <= 0
// (LTspice ignores the flag for a negative current). The source's value and
// waveform (AC too) are kept on a current source i#wave into a 1 Ohm
// resistor; the card's name is the behavioural source that draws i.
Card Frontend::takeLoadFlag(const Card& c, bool& load) {
  int depth = 0;
  std::size_t at = 0;
  for (std::size_t k = 3; k < c.size(); ++k) {
    if (c[k].kind == TokKind::LParen) ++depth;
    else if (c[k].kind == TokKind::RParen) --depth;
    else if (depth == 0 && c[k].kind == TokKind::Word && ieq(c[k].text, "load") &&
             !(k + 1 < c.size() && c[k + 1].kind == TokKind::Eq) && c[k - 1].kind != TokKind::Eq)
      at = k;
  }
  if (at == 0) return c;
  load = true;
  std::vector<Token> toks;
  for (std::size_t k = 0; k < c.size(); ++k)
    if (k != at) toks.push_back(c[k]);
  ownedCards_.push_back(std::move(toks));
  const std::vector<Token>& v = ownedCards_.back();
  return Card{v.data(), v.data() + v.size()};
}

void Frontend::addCurrentLoad(Frame& f, const Card& c, ir::Device d) {
  const std::string leaf = lower(c[0].text);
  const std::string a = d.nodes.at(0), b = d.nodes.at(1);
  const std::string wave = nodeName(f, leaf + "#wave");
  ir::Device load;
  load.name = d.name;
  load.letter = 'b';
  load.nodes = {a, b};
  load.loc = d.loc;
  ir::Behaviour beh;
  beh.output = ir::Behaviour::Output::Current;
  {
    using ir::ExprOp;
    ExprBuilder e(beh.expr);
    auto v = [&] {
      return e.op(ExprOp::Sub, {e.var(ir::ExprVar::Kind::Voltage, a), e.var(ir::ExprVar::Kind::Voltage, b)});
    };
    const std::uint32_t w = e.var(ir::ExprVar::Kind::Voltage, wave);
    const std::uint32_t inner =
        e.op(ExprOp::Cond, {e.op(ExprOp::Ge, {v(), e.constant(0.0)}),
                            e.op(ExprOp::Mul, {e.constant(4.0), e.op(ExprOp::Mul, {v(), e.op(ExprOp::Sub, {e.constant(1.0), v()})})}),
                            e.op(ExprOp::Mul, {e.constant(4.0), v()})});
    const std::uint32_t shape = e.op(ExprOp::Cond, {e.op(ExprOp::Ge, {v(), e.constant(0.5)}), e.constant(1.0), inner});
    const std::uint32_t factor = e.op(ExprOp::Cond, {e.op(ExprOp::Gt, {w, e.constant(0.0)}), shape, e.constant(1.0)});
    e.op(ExprOp::Mul, {w, factor});
  }
  beh.expr.text = leaf + " load";
  beh.expr.loc = d.loc;
  load.behaviour = std::move(beh);
  d.name = f.prefix + leaf + "#wave";
  d.nodes = {"0", wave};
  ir::Device r;
  r.name = f.prefix + "r" + leaf + "#wave";
  r.letter = 'r';
  r.nodes = {wave, "0"};
  r.value = 1.0;
  r.loc = d.loc;
  addDevice(std::move(load), c[0]);
  addDevice(std::move(d), c[0]);
  addDevice(std::move(r), c[0]);
}

}  // namespace simcore::netlist
