// PSpice digital primitives as XSPICE digital instances (see pspice_digital.hpp).
// The rules follow ngspice 39 (udevices.c, logicexp.c), read for facts:
//  - the power pins (DPWR DGND) and the I/O model are not used: digital nodes
//    are ideal, as in ngspice, and the analog side is reached through bridges;
//  - MNTYMXDLY is not used: the delay is ngspice's "typical estimate" of the
//    timing model's min/typ/max values (typ, else the mean of min and max,
//    else max, else min);
//  - gates (ugate): rise_delay from TPLH, fall_delay from TPHL (1e-12 s each
//    when either is missing); tristate gates (utgate): d_tristate with delay
//    the larger of TPLH and TPHL (1e-12 s when neither), the gate itself
//    (inv3, and3, ...) in front of it with the XSPICE default delays;
//  - flip-flops (ueff): clk_delay the larger of TPCLKQLH and TPCLKQHL,
//    set_delay/reset_delay from TPPCQLH/TPPCQHL, rise_delay and fall_delay
//    1 ns (D0_EFF: XSPICE's defaults); latches (ugff): data_delay/sr_delay from TPDQ,
//    enable_delay from TPGQ, set/reset as above; active-low preset and clear
//    through zero-delay inverters ($D_HI: not connected); JKFF and SRFF clocks
//    as written by PSpice (JKFF's clock is active low: inverted);
//  - LOGICEXP: each LOGIC: statement becomes a network of XSPICE gates with
//    1 ps delays (the timing model's delays when it is not D0_GATE);
//  - PINDLY: each output becomes a d_buffer (or, under TRISTATE:, a
//    d_tristate; ENABLE LO through an inverter) whose delay is the largest
//    typical estimate among the DELAY(min,typ,max) of its expression; the
//    BOOLEAN: section, the enable count's and reference nodes are not used;
//  - CONSTRAINT (timing checks) is left out; $D_HI/$D_LO inputs are driven by
//    a d_pullup/d_pulldown, $D_NC outputs left unconnected.
#include "netlist/pspice_digital.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "netlist/frontend.hpp"
#include "netlist/lexer.hpp"
#include "netlist/number.hpp"

namespace simcore::netlist::pspice {
namespace {

const std::set<std::string, std::less<>>& gateTypes() {
  static const std::set<std::string, std::less<>> s = {"and", "nand", "or", "nor", "xor", "nxor", "buf", "inv"};
  return s;
}

// Primitives ngspice 39 does not translate either: named in the error.
const std::set<std::string, std::less<>>& unsupportedTypes() {
  static const std::set<std::string, std::less<>> s = {
      "dlyline", "ram",  "rom",  "stim", "pla", "nandpla", "norpla", "andpla", "orpla", "nandcpla",
      "norcpla", "andcpla", "orcpla", "nxorpla", "xorpla", "dltcha", "jkffa", "dffa", "srffa", "pulldna", "pullupa"};
  return s;
}

std::string xspiceGate(std::string_view g) {
  if (g == "and") return "d_and";
  if (g == "nand") return "d_nand";
  if (g == "or") return "d_or";
  if (g == "nor") return "d_nor";
  if (g == "xor") return "d_xor";
  if (g == "nxor") return "d_xnor";
  if (g == "buf") return "d_buffer";
  return "d_inverter";
}

bool vectorGate(std::string_view g) { return g != "buf" && g != "inv"; }

// The value of a delay as written ("4.7NS"), for comparisons; 0 when none.
double delayValue(const std::string& s) {
  double v = 0;
  if (s.empty() || !parseNumberPrefix(s, v)) return 0;
  return v;
}

std::string larger(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return delayValue(a) >= delayValue(b) ? a : b;
}

struct Header {
  std::string type;
  std::vector<int> args;
  std::size_t next = 0;  // first token after the power pins
};

Header readHeader(const Card& c, std::string_view what) {
  Header h;
  h.type = lower(c[1].text);
  std::size_t i = 2;
  if (i < c.size() && c[i].kind == TokKind::LParen) {
    ++i;
    while (i < c.size() && c[i].kind != TokKind::RParen) {
      const Token& t = c[i];
      char* end = nullptr;
      const std::string s(t.text);
      long v = std::strtol(s.c_str(), &end, 10);
      if (t.kind != TokKind::Word || !end || *end || v < 0 || v > 100000)
        failAt(t, ErrorCode::Parse, "expected a whole number in the (...) of " + std::string(what) + ", found " + quoteTok(t.text));
      h.args.push_back(int(v));
      ++i;
    }
    if (i >= c.size()) failAt(c[1], ErrorCode::Parse, "'(' without ')' after " + quoteTok(c[1].text));
    ++i;
  }
  for (int k = 0; k < 2; ++k, ++i)
    if (i >= c.size() || c[i].kind != TokKind::Word)
      failAt(i < c.size() ? c[i] : c[c.size() - 1], ErrorCode::Parse,
             "expected the power and ground pins (e.g. DPWR DGND) of " + std::string(what));
  h.next = i;
  return h;
}

bool isSectionWord(std::string_view w) {
  return ieq(w, "logic:") || ieq(w, "boolean:") || ieq(w, "pindly:") || ieq(w, "tristate:") ||
         ieq(w, "setup_hold:") || ieq(w, "width:") || ieq(w, "freq:") || ieq(w, "general:");
}

// The words from i up to the parameters (NAME=VALUE) or a section keyword.
std::vector<const Token*> wordsFrom(const Card& c, std::size_t& i) {
  std::vector<const Token*> out;
  while (i < c.size() && c[i].kind == TokKind::Word && !(i + 1 < c.size() && c[i + 1].kind == TokKind::Eq) &&
         !isSectionWord(c[i].text))
    out.push_back(&c[i++]);
  // the parameters (MNTYMXDLY, IO_LEVEL): not used
  while (i + 1 < c.size() && c[i].kind == TokKind::Word && c[i + 1].kind == TokKind::Eq && !isSectionWord(c[i].text))
    i = std::min(i + 3, c.size());
  return out;
}

struct Out {
  std::string u;  // the U card's name, lower case
  std::vector<std::string> lines;
  int hi = 0, lo = 0, zinv = 0;
  std::string node(const Token& t, bool output, int& ncCount) {
    std::string n = lower(t.text);
    if (n == "$d_hi") {
      if (output) failAt(t, ErrorCode::Semantic, "$D_HI is an input-only node");
      if (!hi++) {
        lines.push_back("a" + u + "__hi " + u + "__hi d_a" + u + "__hi");
        lines.push_back(".model d_a" + u + "__hi d_pullup");
      }
      return u + "__hi";
    }
    if (n == "$d_lo") {
      if (output) failAt(t, ErrorCode::Semantic, "$D_LO is an input-only node");
      if (!lo++) {
        lines.push_back("a" + u + "__lo " + u + "__lo d_a" + u + "__lo");
        lines.push_back(".model d_a" + u + "__lo d_pulldown");
      }
      return u + "__lo";
    }
    if (n == "$d_nc") {
      if (!output) failAt(t, ErrorCode::Semantic, "$D_NC (not connected) can only be an output");
      return u + "__nc" + std::to_string(ncCount++);
    }
    if (n == "$d_x") failAt(t, ErrorCode::Semantic, "$D_X (unknown level) inputs are not supported");
    return n;
  }
  // An active-low input as an active-high one: null for $D_HI, else a zero-delay inverter.
  std::string activeLow(const Token& t, int& ncCount) {
    std::string n = lower(t.text);
    if (n == "$d_hi") return "null";
    std::string in = node(t, false, ncCount);
    if (!zinv++) lines.push_back(".model d_a" + u + "__zinv d_inverter(rise_delay=1e-12 fall_delay=1e-12)");
    std::string out = u + "__not_" + std::to_string(zinv);
    lines.push_back("a" + u + "__inv" + std::to_string(zinv) + " " + in + " " + out + " d_a" + u + "__zinv");
    return out;
  }
};

std::string param(const TimingModel* m, const std::string& prefix, const char* which) {
  if (!m) return {};
  auto it = m->params.find(prefix + which);
  return it == m->params.end() ? std::string() : it->second;
}

std::string estimate(const TimingModel* m, const std::string& prefix) {
  return typicalEstimate(param(m, prefix, "mn"), param(m, prefix, "ty"), param(m, prefix, "mx"));
}

std::string gateDelays(const TimingModel* m) {
  std::string r = estimate(m, "tplh"), f = estimate(m, "tphl");
  if (r.empty() || f.empty()) return "(rise_delay=1e-12 fall_delay=1e-12)";
  return "(rise_delay=" + r + " fall_delay=" + f + ")";
}

std::string tristateDelay(const TimingModel* m) {
  std::string d = larger(estimate(m, "tplh"), estimate(m, "tphl"));
  return "(delay=" + (d.empty() ? std::string("1e-12") : d) + ")";
}

std::string setReset(const TimingModel* m) {
  std::string s = estimate(m, "tppcqlh"), r = estimate(m, "tppcqhl");
  if (s.empty()) s = r;
  if (r.empty()) r = s;
  return s.empty() ? std::string() : "set_delay=" + s + " reset_delay=" + r + " ";
}

std::string ffDelays(const TimingModel* m) {
  std::string clk = larger(estimate(m, "tpclkqlh"), estimate(m, "tpclkqhl"));
  return "(" + (clk.empty() ? std::string() : "clk_delay=" + clk + " ") + setReset(m) + "rise_delay=1ns fall_delay=1ns)";
}

std::string latchDelays(const TimingModel* m, const char* dataName) {
  std::string d = larger(estimate(m, "tpdqlh"), estimate(m, "tpdqhl"));
  std::string g = larger(estimate(m, "tpgqlh"), estimate(m, "tpgqhl"));
  std::string s = d.empty() ? std::string() : std::string(dataName) + "=" + d + " ";
  if (!g.empty()) s += "enable_delay=" + g + " ";
  return "(" + s + setReset(m) + "rise_delay=1ns fall_delay=1ns)";
}

// The timing model a primitive names: D0_GATE, D0_EFF, ... (ngspice's
// zero-delay defaults) need no .model card.
const TimingModel* timingModel(const Token& t, const ModelLookup& models, std::string_view want1, std::string_view want2) {
  std::string n = lower(t.text);
  const TimingModel* m = models(n);
  if (!m) {
    if (n.compare(0, 3, "d0_") == 0) return nullptr;
    failAt(t, ErrorCode::Semantic,
           "timing model '" + n + "' not found (expected a .model " + n + " " + std::string(want1) + " card)");
  }
  if (m->type != want1 && m->type != want2)
    failAt(t, ErrorCode::Semantic,
           "timing model '" + n + "' is a " + m->type + " model, expected " + std::string(want1) +
               (want2.empty() ? std::string() : " or " + std::string(want2)));
  return m;
}

void expectCount(const Card& c, const std::vector<const Token*>& w, std::size_t nodes, std::string_view what,
                 std::string_view layout) {
  if (w.size() != nodes + 2) {
    const Token& at = w.empty() ? c[0] : *w[std::min(w.size(), nodes + 2) - 1];
    failAt(at, ErrorCode::Parse,
           std::string(what) + " '" + lower(c[0].text) + "' has " + std::to_string(w.size()) +
               " nodes and model names, expected " + std::to_string(nodes + 2) + " (" + std::string(layout) +
               ", a timing model, an I/O model)");
  }
}

// ---------------------------------------------------------------- LOGICEXP
struct ExprLexer {
  const Token& at;
  std::string_view s;
  std::size_t i = 0;
  std::string tok;  // current: an operator character, "(" ")", a name, or "" at the end
  ExprLexer(const Token& t, std::string_view text) : at(t), s(text) { next(); }
  static bool nameChar(char c) {
    return !(c == '~' || c == '&' || c == '|' || c == '^' || c == '(' || c == ')' || c == ' ' || c == '\t' ||
             c == '{' || c == '}' || c == ',' || c == '\n' || c == '\r');
  }
  void next() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
    if (i >= s.size()) {
      tok.clear();
      return;
    }
    if (!nameChar(s[i])) {
      tok = std::string(1, s[i++]);
      return;
    }
    std::size_t b = i;
    while (i < s.size() && nameChar(s[i])) ++i;
    tok = lower(s.substr(b, i - b));
  }
  [[noreturn]] void error(const std::string& expected) const {
    failAt(at, ErrorCode::Parse,
           "expected " + expected + " in the logic expression " + quoteTok(s) + ", found " +
               (tok.empty() ? std::string("its end") : quoteTok(tok)));
  }
};

struct Gates {
  Out& o;
  const std::string& model;  // model name prefix of this LOGICEXP's gates
  std::set<std::string> usedModels;
  int temps = 0;
  std::string temp() { return o.u + "__t" + std::to_string(++temps); }
  std::string gate(const std::string& type, const std::vector<std::string>& ins, std::string out) {
    if (out.empty()) out = temp();
    const std::string mname = model + "_" + type;
    if (usedModels.insert(type).second) o.lines.push_back(".model " + mname + " " + xspiceGate(type) + "__DELAYS__");
    std::string line = "a" + out + "__g " ;
    if (vectorGate(type)) {
      line += "[";
      for (const auto& n : ins) line += " " + n;
      line += " ]";
    } else {
      line += ins[0];
    }
    o.lines.push_back(line + " " + out + " " + mname);
    return out;
  }
  // The expression as a tree (precedence, tightest first: ~ & ^ |), then
  // one gate per operator (a chain of one operator is one gate)
  struct Node {
    std::string op;  // "" for a name
    std::string name;
    std::vector<Node> kids;
  };
  Node level(ExprLexer& lx, int prec) {
    static const char ops[] = {'|', '^', '&'};
    static const char* names[] = {"or", "xor", "and"};
    if (prec == 3) return factor(lx);
    Node first = level(lx, prec + 1);
    if (!(lx.tok.size() == 1 && lx.tok[0] == ops[prec])) return first;
    Node n{names[prec], {}, {std::move(first)}};
    while (lx.tok.size() == 1 && lx.tok[0] == ops[prec]) {
      lx.next();
      n.kids.push_back(level(lx, prec + 1));
    }
    return n;
  }
  Node factor(ExprLexer& lx) {
    if (lx.tok == "~") {
      lx.next();
      return Node{"inv", {}, {factor(lx)}};
    }
    if (lx.tok == "(") {
      lx.next();
      Node r = level(lx, 0);
      if (lx.tok != ")") lx.error("')' or an operator");
      lx.next();
      return r;
    }
    if (lx.tok.empty() || (lx.tok.size() == 1 && !ExprLexer::nameChar(lx.tok[0]))) lx.error("a name, '~' or '('");
    Node n{"", lx.tok, {}};
    lx.next();
    return n;
  }
  std::string emit(const Node& n, const std::string& out) {
    if (n.op.empty()) return out.empty() ? n.name : gate("buf", {n.name}, out);
    std::vector<std::string> ins;
    for (const Node& k : n.kids) ins.push_back(emit(k, ""));
    return gate(n.op, ins, out);
  }
  void statement(const Token& at, const std::string& target, std::string_view text) {
    ExprLexer lx(at, text);
    Node n = level(lx, 0);
    if (!lx.tok.empty()) lx.error("an operator (~ & ^ |) or the end");
    emit(n, target);
  }
};

std::string stripBraces(std::string_view s) {
  if (s.size() >= 2 && s.front() == '{' && s.back() == '}') return std::string(s.substr(1, s.size() - 2));
  return std::string(s);
}

void logicexp(const Card& c, const Header& h, const ModelLookup& models, Out& o) {
  if (h.args.size() != 2) failAt(c[1], ErrorCode::Parse, "expected LOGICEXP(inputs, outputs)");
  std::size_t i = h.next;
  auto w = wordsFrom(c, i);
  const std::size_t nodes = std::size_t(h.args[0] + h.args[1]);
  expectCount(c, w, nodes, "LOGICEXP", "the inputs, the outputs");
  const TimingModel* tm = timingModel(*w[nodes], models, "ugate", "");
  if (i >= c.size() || !ieq(c[i].text, "logic:"))
    failAt(i < c.size() ? c[i] : c[c.size() - 1], ErrorCode::Parse, "expected 'LOGIC:' and the statements of LOGICEXP");
  ++i;
  const std::string model = "d_a" + o.u;
  Gates g{o, model, {}, 0};
  const std::size_t first = o.lines.size();
  while (i < c.size()) {
    if (i + 2 >= c.size() || c[i].kind != TokKind::Word || c[i + 1].kind != TokKind::Eq ||
        c[i + 2].kind != TokKind::Expr)
      failAt(c[i], ErrorCode::Parse, "expected NAME = {EXPRESSION} in the LOGIC: statements, found " + quoteTok(c[i].text));
    g.statement(c[i + 2], lower(c[i].text), stripBraces(c[i + 2].text));
    i += 3;
  }
  const std::string delays = tm ? gateDelays(tm) : "(rise_delay=1e-12 fall_delay=1e-12)";
  for (std::size_t k = first; k < o.lines.size(); ++k) {
    auto p = o.lines[k].find("__DELAYS__");
    if (p != std::string::npos) o.lines[k].replace(p, 10, delays);
  }
}

// ---------------------------------------------------------------- PINDLY
// The largest typical estimate among the DELAY(min,typ,max) of an expression.
std::string pindlyDelay(const Token& at, std::string_view text) {
  std::string s = lower(text), best;
  std::size_t p = 0;
  while ((p = s.find("delay", p)) != std::string::npos) {
    const bool start = p == 0 || !ExprLexer::nameChar(s[p - 1]);
    std::size_t q = p + 5;
    while (q < s.size() && s[q] == ' ') ++q;
    if (!start || q >= s.size() || s[q] != '(') {
      p += 5;
      continue;
    }
    std::size_t e = s.find(')', q);
    if (e == std::string::npos) failAt(at, ErrorCode::Parse, "DELAY( without ')' in " + quoteTok(text));
    std::vector<std::string> v{""};
    for (std::size_t k = q + 1; k < e; ++k) {
      if (s[k] == ',') v.emplace_back();
      else if (s[k] != ' ') v.back() += s[k];
    }
    if (v.size() != 3) failAt(at, ErrorCode::Parse, "expected DELAY(min, typ, max) in " + quoteTok(text));
    std::string est = typicalEstimate(v[0], v[1], v[2]);
    if (est.empty()) failAt(at, ErrorCode::Parse, "DELAY(" + v[0] + "," + v[1] + "," + v[2] + ") gives no delay (all -1)");
    if (best.empty() || delayValue(est) > delayValue(best)) best = est;
    p = e;
  }
  if (best.empty()) failAt(at, ErrorCode::Parse, "expected a DELAY(min, typ, max) in " + quoteTok(text));
  return best;
}

void pindly(const Card& c, const Header& h, Out& o) {
  if (h.args.size() != 3) failAt(c[1], ErrorCode::Parse, "expected PINDLY(pins, enables, references)");
  const std::size_t n = std::size_t(h.args[0]);
  const std::size_t nodes = 2 * n + std::size_t(h.args[1] + h.args[2]);
  std::size_t i = h.next;
  auto w = wordsFrom(c, i);
  if (w.size() != nodes + 1)
    failAt(w.empty() ? c[0] : *w.back(), ErrorCode::Parse,
           "PINDLY '" + lower(c[0].text) + "' has " + std::to_string(w.size()) + " nodes and model names, expected " +
               std::to_string(nodes + 1) + " (the inputs, the enables, the references, the outputs, an I/O model)");
  struct Pin {
    std::string in, out, delay, enable;
  };
  std::vector<Pin> pins(n);
  int nc = 0;
  for (std::size_t k = 0; k < n; ++k) {
    pins[k].in = o.node(*w[k], false, nc);
    pins[k].out = o.node(*w[n + std::size_t(h.args[1] + h.args[2]) + k], true, nc);
  }
  auto find = [&](const Token& t) -> Pin& {
    std::string name = lower(t.text);
    for (Pin& p : pins)
      if (p.out == name) return p;
    failAt(t, ErrorCode::Semantic, "'" + name + "' is not an output of PINDLY '" + lower(c[0].text) + "'");
  };
  std::string section, enable;
  int invs = 0;
  while (i < c.size()) {
    const Token& t = c[i];
    if (t.kind == TokKind::Word && isSectionWord(t.text)) {
      section = lower(t.text);
      ++i;
      continue;
    }
    if (section == "tristate:" && t.kind == TokKind::Word && ieq(t.text, "enable")) {
      if (i + 3 >= c.size() || !(ieq(c[i + 1].text, "hi") || ieq(c[i + 1].text, "lo")) || c[i + 2].kind != TokKind::Eq ||
          c[i + 3].kind != TokKind::Word)
        failAt(t, ErrorCode::Parse, "expected ENABLE HI = NODE or ENABLE LO = NODE");
      enable = o.node(c[i + 3], false, nc);
      if (ieq(c[i + 1].text, "lo")) {
        if (!invs++) o.lines.push_back(".model d_a" + o.u + "__einv d_inverter(rise_delay=1e-12 fall_delay=1e-12)");
        std::string out = o.u + "__en" + std::to_string(invs);
        o.lines.push_back("a" + o.u + "__en" + std::to_string(invs) + " " + enable + " " + out + " d_a" + o.u + "__einv");
        enable = out;
      }
      i += 4;
      continue;
    }
    // NAME ... = {EXPRESSION}
    std::size_t j = i;
    while (j < c.size() && c[j].kind == TokKind::Word) ++j;
    if (j == i || j + 1 >= c.size() || c[j].kind != TokKind::Eq || c[j + 1].kind != TokKind::Expr)
      failAt(t, ErrorCode::Parse, "expected NAME ... = {EXPRESSION} in PINDLY '" + lower(c[0].text) + "', found " + quoteTok(t.text));
    if (section == "pindly:" || section == "tristate:") {
      if (section == "tristate:" && enable.empty())
        failAt(t, ErrorCode::Parse, "expected ENABLE HI|LO = NODE before the outputs of TRISTATE:");
      const std::string d = pindlyDelay(c[j + 1], c[j + 1].text);
      for (std::size_t k = i; k < j; ++k) {
        Pin& p = find(c[k]);
        p.delay = d;
        if (section == "tristate:") p.enable = enable;
      }
    }
    i = j + 2;
  }
  for (std::size_t k = 0; k < n; ++k) {
    const Pin& p = pins[k];
    if (p.delay.empty())
      failAt(*w[n + std::size_t(h.args[1] + h.args[2]) + k], ErrorCode::Semantic,
             "output '" + p.out + "' of PINDLY '" + lower(c[0].text) + "' has no delay (in PINDLY: or TRISTATE:)");
    const std::string inst = "a" + o.u + "_" + std::to_string(k);
    const std::string model = "d_a" + o.u + "_" + std::to_string(k);
    if (!p.enable.empty()) {
      o.lines.push_back(inst + " " + p.in + " " + p.enable + " " + p.out + " " + model);
      o.lines.push_back(".model " + model + " d_tristate(delay=" + p.delay + ")");
    } else {
      o.lines.push_back(inst + " " + p.in + " " + p.out + " " + model);
      o.lines.push_back(".model " + model + " d_buffer(rise_delay=" + p.delay + " fall_delay=" + p.delay + ")");
    }
  }
}

// ---------------------------------------------------------------- gates
void gates(const Card& c, const Header& h, const ModelLookup& models, Out& o) {
  std::string t = h.type;
  bool tri = false, array = false;
  if (t.size() > 1 && t.back() == 'a') {
    array = true;
    t.pop_back();
  }
  if (t.size() > 1 && t.back() == '3') {
    tri = true;
    t.pop_back();
  }
  const bool fixedWidth = t == "xor" || t == "nxor" || t == "buf" || t == "inv";
  const int fixedIns = (t == "xor" || t == "nxor") ? 2 : 1;
  std::size_t width = 0, count = 1;
  const std::size_t want = (fixedWidth ? 0 : 1) + (array ? 1 : 0);
  if (h.args.size() != want)
    failAt(c[1], ErrorCode::Parse,
           "expected " + h.type +
               (want == 0 ? std::string(" without (...)") : want == 1 ? std::string("(n)") : std::string("(inputs, gates)")));
  if (fixedWidth) {
    width = std::size_t(fixedIns);
    if (array) count = std::size_t(h.args[0]);
  } else {
    width = std::size_t(h.args[0]);
    if (array) count = std::size_t(h.args[1]);
  }
  if (width < 1 || count < 1) failAt(c[1], ErrorCode::Parse, "a gate needs at least one input and one gate");
  std::size_t i = h.next;
  auto w = wordsFrom(c, i);
  if (i < c.size()) failAt(c[i], ErrorCode::Parse, "unexpected " + quoteTok(c[i].text) + " after the parameters of " + h.type);
  const std::size_t nodes = width * count + (tri ? 1 : 0) + count;
  expectCount(c, w, nodes, "gate", tri ? "the inputs, the enable, the outputs" : "the inputs, the outputs");
  const TimingModel* tm = timingModel(*w[nodes], models, tri ? "utgate" : "ugate", "");
  int nc = 0;
  const std::string model = "d_a" + o.u + "_" + h.type;
  std::string enable;
  if (tri) enable = o.node(*w[width * count], false, nc);
  const std::size_t outAt = width * count + (tri ? 1 : 0);
  const bool plainTri = tri && t == "buf";
  if (tri) {
    o.lines.push_back(".model " + model + " d_tristate" + tristateDelay(tm));
    // (ngspice 39: a single gate with XSPICE's default delays, an array's with 1 ps)
    if (!plainTri)
      o.lines.push_back(".model " + model + "_gate " + xspiceGate(t) +
                        (array ? "(rise_delay=1e-12 fall_delay=1e-12)" : ""));
  } else {
    o.lines.push_back(".model " + model + " " + xspiceGate(t) + gateDelays(tm));
  }
  for (std::size_t g = 0; g < count; ++g) {
    std::string ins;
    for (std::size_t k = 0; k < width; ++k) ins += " " + o.node(*w[g * width + k], false, nc);
    if (vectorGate(t)) ins = " [" + ins + " ]";
    const std::string out = o.node(*w[outAt + g], true, nc);
    const std::string inst = "a" + o.u + (count > 1 ? "_" + std::to_string(g) : std::string());
    if (plainTri) {
      o.lines.push_back(inst + ins + " " + enable + " " + out + " " + model);
    } else if (tri) {
      const std::string mid = o.u + "__g" + std::to_string(g);
      o.lines.push_back(inst + "_gate" + ins + " " + mid + " " + model + "_gate");
      o.lines.push_back(inst + "_tri " + mid + " " + enable + " " + out + " " + model);
    } else {
      o.lines.push_back(inst + ins + " " + out + " " + model);
    }
  }
}

// AO AOI OA OAI (inputs per gate, gates): first-level gates into the output gate.
void compound(const Card& c, const Header& h, const ModelLookup& models, Out& o) {
  if (h.args.size() != 2) failAt(c[1], ErrorCode::Parse, "expected " + h.type + "(inputs, gates)");
  const std::size_t width = std::size_t(h.args[0]), count = std::size_t(h.args[1]);
  std::size_t i = h.next;
  auto w = wordsFrom(c, i);
  const std::size_t nodes = width * count + 1;
  expectCount(c, w, nodes, "gate", "the inputs, the output");
  const TimingModel* tm = timingModel(*w[nodes], models, "ugate", "");
  const bool andFirst = h.type == "ao" || h.type == "aoi";
  const std::string outType = h.type == "ao" ? "or" : h.type == "aoi" ? "nor" : h.type == "oa" ? "and" : "nand";
  const std::string model = "d_a" + o.u + "_" + h.type;
  o.lines.push_back(".model " + model + " " + xspiceGate(outType) + gateDelays(tm));
  o.lines.push_back(".model " + model + "_in " + xspiceGate(andFirst ? "and" : "or") + "(rise_delay=1e-12 fall_delay=1e-12)");
  int nc = 0;
  std::string mids;
  for (std::size_t g = 0; g < count; ++g) {
    std::string ins;
    for (std::size_t k = 0; k < width; ++k) ins += " " + o.node(*w[g * width + k], false, nc);
    const std::string mid = o.u + "__c" + std::to_string(g);
    o.lines.push_back("a" + o.u + "_in" + std::to_string(g) + " [" + ins + " ] " + mid + " " + model + "_in");
    mids += " " + mid;
  }
  o.lines.push_back("a" + o.u + " [" + mids + " ] " + o.node(*w[width * count], true, nc) + " " + model);
}

// ---------------------------------------------------------------- flip-flops and latches
void storage(const Card& c, const Header& h, const ModelLookup& models, Out& o) {
  if (h.args.size() != 1) failAt(c[1], ErrorCode::Parse, "expected " + h.type + "(n)");
  const std::size_t n = std::size_t(h.args[0]);
  const bool two = h.type == "jkff" || h.type == "srff";  // two data inputs per bit
  std::size_t i = h.next;
  auto w = wordsFrom(c, i);
  const std::size_t nodes = 3 + n * (two ? 4 : 3);
  const char* layout = h.type == "dff"    ? "preset-bar, clear-bar, clock, the D inputs, the Q outputs, the Q-bar outputs"
                       : h.type == "jkff" ? "preset-bar, clear-bar, clock-bar, the J inputs, the K inputs, the Q outputs, the Q-bar outputs"
                       : h.type == "srff" ? "preset-bar, clear-bar, gate, the S inputs, the R inputs, the Q outputs, the Q-bar outputs"
                                          : "preset-bar, clear-bar, gate, the D inputs, the Q outputs, the Q-bar outputs";
  expectCount(c, w, nodes, "flip-flop", layout);
  const bool latch = h.type == "srff" || h.type == "dltch";
  const TimingModel* tm = timingModel(*w[nodes], models, latch ? "ugff" : "ueff", "");
  int nc = 0;
  const std::string set = o.activeLow(*w[0], nc), reset = o.activeLow(*w[1], nc);
  std::string clk = h.type == "jkff" ? o.activeLow(*w[2], nc) : o.node(*w[2], false, nc);
  if (clk == "null") failAt(*w[2], ErrorCode::Semantic, "the clock of a JKFF cannot be $D_HI");
  const std::string xs = h.type == "dff" ? "d_dff" : h.type == "jkff" ? "d_jkff" : h.type == "srff" ? "d_srlatch" : "d_dlatch";
  const std::string model = "d_a" + o.u + "_" + h.type;
  // (D0_EFF, D0_GFF: XSPICE's default delays, as ngspice 39)
  o.lines.push_back(".model " + model + " " + xs +
                    (!tm      ? std::string()
                     : latch ? latchDelays(tm, h.type == "srff" ? "sr_delay" : "data_delay")
                             : ffDelays(tm)));
  const std::size_t qAt = 3 + n * (two ? 2 : 1);
  auto outNode = [&](const Token& t) {
    return ieq(t.text, "$d_nc") ? std::string("null") : o.node(t, true, nc);
  };
  for (std::size_t b = 0; b < n; ++b) {
    std::string data = o.node(*w[3 + b], false, nc);
    if (two) data += " " + o.node(*w[3 + n + b], false, nc);
    o.lines.push_back("a" + o.u + "_" + std::to_string(b) + " " + data + " " + clk + " " + set + " " + reset + " " +
                      outNode(*w[qAt + b]) + " " + outNode(*w[qAt + n + b]) + " " + model);
  }
}

// and, nand3, xora, inv3a, ...: a gate, tristate or not, single or an array
bool isGateType(std::string base) {
  if (base.size() > 1 && base.back() == 'a' && !gateTypes().count(base)) base.pop_back();
  if (base.size() > 1 && base.back() == '3') base.pop_back();
  return gateTypes().count(base) > 0;
}

}  // namespace

bool isTimingModelType(std::string_view type) {
  return ieq(type, "ugate") || ieq(type, "utgate") || ieq(type, "ueff") || ieq(type, "ugff") || ieq(type, "uio") ||
         ieq(type, "udly") || ieq(type, "ubtg") || ieq(type, "upld") || ieq(type, "urom") || ieq(type, "uram");
}

std::string primitiveOf(const Card& c) {
  if (c.size() < 2 || c[1].kind != TokKind::Word) return {};
  std::string t = lower(c[1].text);
  if (isGateType(t)) return t;
  static const std::set<std::string, std::less<>> others = {"ao", "aoi", "oa", "oai", "dff", "jkff", "srff", "dltch",
                                                            "pullup", "pulldn", "logicexp", "pindly", "constraint"};
  if (others.count(t) || unsupportedTypes().count(t)) return t;
  return {};
}

bool readTimingModel(const Card& c, std::string& name, TimingModel& m) {
  if (c.size() < 3 || !isTimingModelType(c[2].text)) return false;
  name = lower(c[1].text);
  m.type = lower(c[2].text);
  m.params.clear();
  for (std::size_t i = 3; i < c.size(); ++i)
    if (c[i].kind == TokKind::Word && i + 2 < c.size() && c[i + 1].kind == TokKind::Eq)
      m.params[lower(c[i].text)] = lower(c[i + 2].text);
  return true;
}

std::string typicalEstimate(const std::string& mn, const std::string& ty, const std::string& mx) {
  auto given = [](const std::string& s) { return !s.empty() && s[0] != '-'; };
  if (given(ty)) return ty;
  if (given(mn) && given(mx)) {
    // ngspice writes the mean of the numbers as written, in max's unit, with two decimals
    char* u1 = nullptr;
    char* u2 = nullptr;
    const float a = std::strtof(mn.c_str(), &u1), b = std::strtof(mx.c_str(), &u2);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", double((a + b) / 2.0f));
    return std::string(buf) + u2;
  }
  if (given(mx)) return mx;
  if (given(mn)) return mn;
  return {};
}

std::vector<std::string> translate(const Card& c, const ModelLookup& models) {
  Header h = readHeader(c, "U device " + quoteTok(c[0].text));
  Out o;
  o.u = lower(c[0].text);
  if (isGateType(h.type)) {
    gates(c, h, models, o);
  } else if (h.type == "ao" || h.type == "aoi" || h.type == "oa" || h.type == "oai") {
    compound(c, h, models, o);
  } else if (h.type == "dff" || h.type == "jkff" || h.type == "srff" || h.type == "dltch") {
    storage(c, h, models, o);
  } else if (h.type == "logicexp") {
    logicexp(c, h, models, o);
  } else if (h.type == "pindly") {
    pindly(c, h, o);
  } else if (h.type == "constraint") {
    // timing checks (setup, hold, width): not simulated, as in ngspice 39
  } else if (h.type == "pullup" || h.type == "pulldn") {
    if (h.args.size() != 1) failAt(c[1], ErrorCode::Parse, "expected " + h.type + "(n)");
    std::size_t i = h.next;
    auto w = wordsFrom(c, i);
    if (w.size() < std::size_t(h.args[0]))
      failAt(c[0], ErrorCode::Parse, "expected " + std::to_string(h.args[0]) + " outputs for " + h.type);
    const std::string model = "d_a" + o.u + "_" + h.type;
    o.lines.push_back(".model " + model + (h.type == "pullup" ? " d_pullup" : " d_pulldown"));
    int nc = 0;
    for (int k = 0; k < h.args[0]; ++k)
      o.lines.push_back("a" + o.u + "_" + std::to_string(k) + " " + o.node(*w[std::size_t(k)], true, nc) + " " + model);
  } else {
    failAt(c[1], ErrorCode::Semantic,
           "PSpice digital primitive '" + h.type +
               "' is not supported (supported: gates and their arrays, tristate gates, AO AOI OA OAI, DFF JKFF SRFF "
               "DLTCH, PULLUP PULLDN, LOGICEXP, PINDLY, CONSTRAINT; ngspice 39 does not translate it either)");
  }
  return o.lines;
}

}  // namespace simcore::netlist::pspice

namespace simcore::netlist {
namespace {

using TimingModels = std::unordered_map<std::string, pspice::TimingModel>;

void translateScope(Frontend& fe, SubcktDef& def, std::vector<const TimingModels*> chain) {
  // the timing and I/O models of this scope: read here, not by the model reader
  TimingModels own;
  {
    std::vector<Card> models;
    std::vector<Guard> guards;
    for (std::size_t i = 0; i < def.models.size(); ++i) {
      std::string name;
      pspice::TimingModel m;
      if (pspice::readTimingModel(def.models[i], name, m)) {
        own[name] = std::move(m);
        continue;
      }
      models.push_back(def.models[i]);
      guards.push_back(i < def.modelGuards.size() ? def.modelGuards[i] : Guard{});
    }
    def.models = std::move(models);
    def.modelGuards = std::move(guards);
  }
  chain.push_back(&own);
  const pspice::ModelLookup lookup = [&chain](const std::string& n) -> const pspice::TimingModel* {
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      auto m = (*it)->find(n);
      if (m != (*it)->end()) return &m->second;
    }
    return nullptr;
  };
  std::vector<Card> elements;
  std::vector<Guard> guards;
  for (std::size_t i = 0; i < def.elements.size(); ++i) {
    const Card& c = def.elements[i];
    const Guard g = i < def.elementGuards.size() ? def.elementGuards[i] : Guard{};
    if (lowerChar(c[0].text[0]) != 'u' || pspice::primitiveOf(c).empty()) {
      elements.push_back(c);
      guards.push_back(g);
      continue;
    }
    std::vector<std::string> lines = pspice::translate(c, lookup);
    fe.digitalLex_.emplace_back();
    LexedFile& lex = fe.digitalLex_.back();
    lex.name = c[0].file ? *c[0].file : std::string();
    for (const std::string& l : lines) lex.owned += l + "\n";
    lex.text = lex.owned;
    lexFile(lex, false);
    // every generated card is located at the U card it comes from
    for (Token& t : lex.tokens) {
      t.file = c[0].file;
      t.line = c[0].line;
      t.col = c[0].col;
    }
    for (const Card& n : lex.cards) {
      if (ieq(n[0].text, ".model")) {
        def.models.push_back(n);
        def.modelGuards.push_back(g);
      } else {
        elements.push_back(n);
        guards.push_back(g);
      }
    }
  }
  def.elements = std::move(elements);
  def.elementGuards = std::move(guards);
  for (auto& [name, child] : def.children) translateScope(fe, *child, chain);
}

}  // namespace

void Frontend::translatePspiceDigital() { translateScope(*this, top_, {}); }

}  // namespace simcore::netlist
