// Behavioural cards and functions:
//   Bname n+ n- V=expr | I=expr                  (expr braced, quoted or bare)
//   Ename n+ n- VALUE={expr} | VOL=expr          (G: VALUE= | CUR=)
//   Ename n+ n- TABLE {expr} = (x1,y1) (x2,y2) ... (G too)
//   Ename n+ n- nc+ nc- table(x1 y1 x2 y2 ...)   (LTspice's; G too)
//   Ename n+ n- POLY(n) c1+ c1- ... cn+ cn- p0 p1 ...   (G too)
//   Fname n+ n- POLY(n) V1 ... Vn p0 p1 ...             (H too)
//   Rname n+ n- {expr} | R={expr}   with v(), i() or time in expr: a
//                                    behavioural current v(n+, n-) / expr
//   .func name(a, b) = {expr}
// and ngspice's random functions of instance values (agauss gauss unif aunif
// limit) with .options seed=N.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <numbers>
#include <optional>
#include <unordered_set>

#include "devices/expr_eval.hpp"
#include "netlist/frontend.hpp"
#include "netlist/number.hpp"

namespace simcore::netlist {
namespace {

// ngspice 39's E/G TABLE: XSPICE's pwl with input_domain=0.1 fraction=true
constexpr double kTableSmoothing = 0.1;

// PSpice's PWR(x, y) is |x|^y, where ngspice's own pwr is sgn(x)|x|^y. ngspice
// 39's PSpice mode (ngbehavior ps, which PSpice's libraries need) defines
// `.func pwr(x, a) {pow(x, a)}`, and its behavioural pow is |x|^y: the
// expressions of PSpice's forms (E/G VALUE= and TABLE) take that meaning.
void pspicePwr(ir::Expression& e) {
  for (ir::ExprNode& n : e.nodes)
    if (n.op == ir::ExprOp::Pwr) n.op = ir::ExprOp::Pow;
}

bool isWordTok(const Card& c, std::size_t i) { return i < c.size() && c[i].kind == TokKind::Word; }
bool isEqTok(const Card& c, std::size_t i) { return i < c.size() && c[i].kind == TokKind::Eq; }

// The frame's parameters and functions; v() and i() names flattened and
// recorded for checkExprRefs.
class BehaviourEnv final : public ParamLookup {
 public:
  BehaviourEnv(Frontend& fe, Frame& f, std::vector<Frontend::ExprRef>& refs) : fe_(fe), f_(f), refs_(refs) {}
  double lookup(std::string_view name, const SourceLoc& at) override { return fe_.lookupParam(f_, name, at); }
  bool defines(std::string_view name) override { return fe_.hasParam(f_, name); }
  const FuncDef* func(std::string_view name) override { return fe_.findFunc(f_, name); }
  const FuncDef* temperFunc(std::string_view name) override { return fe_.temperFunc(f_, name); }
  double random(std::string_view name, const std::vector<double>& args, const SourceLoc& at) override {
    // ngspice 39 writes a random function's value into a B line with %g (six digits)
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", fe_.random(name, args, at));
    return std::strtod(buf, nullptr);
  }
  std::string nodeName(std::string_view name, const SourceLoc& at) override {
    std::string n = fe_.nodeName(f_, name);
    if (n != "0") refs_.push_back(Frontend::ExprRef{ir::ExprVar::Kind::Voltage, n, at});
    return n;
  }
  std::string deviceName(std::string_view name, const SourceLoc& at) override {
    std::string n = f_.prefix + std::string(name);
    refs_.push_back(Frontend::ExprRef{ir::ExprVar::Kind::Current, n, at});
    return n;
  }
  ir::ExprVar timeDerivative(ir::Expression x, const SourceLoc& at) override {
    return fe_.timeDerivative(f_, std::move(x), at);
  }
  ir::ExprVar integral(ir::Expression x, double ic, const SourceLoc& at) override {
    return fe_.integral(f_, std::move(x), ic, at);
  }
  ir::ExprVar delayed(ir::Expression x, double td, const SourceLoc& at) override {
    return fe_.delayed(f_, std::move(x), td, at);
  }

 private:
  Frontend& fe_;
  Frame& f_;
  std::vector<Frontend::ExprRef>& refs_;
};

// The SPICE2 polynomial p0 + p1 x1 + ... + pn xn + p(n+1) x1^2 + x1 x2 ...:
// terms by degree, and within a degree the products x_i1 x_i2 ... x_id with
// i1 <= i2 <= ... <= id in lexicographic order. A POLY(1) with a single
// coefficient is the linear term (as SPICE2 and ngspice read it).
void polynomial(ExprBuilder& b, const std::vector<std::uint32_t>& x, std::vector<double> p) {
  const std::size_t n = x.size();
  if (n == 1 && p.size() == 1) p.insert(p.begin(), 0.0);
  std::vector<std::uint32_t> terms;
  std::size_t next = 0;
  for (std::size_t degree = 0; next < p.size(); ++degree) {
    std::vector<std::size_t> idx(degree, 0);
    for (;;) {
      if (next >= p.size()) break;
      const double coef = p[next++];
      if (coef != 0.0) {
        std::uint32_t t = b.constant(coef);
        for (std::size_t k : idx) t = b.op(ir::ExprOp::Mul, {t, x[k]});
        terms.push_back(t);
      }
      // next nondecreasing tuple
      std::size_t k = degree;
      while (k > 0 && idx[k - 1] == n - 1) --k;
      if (k == 0) break;
      const std::size_t v = idx[k - 1] + 1;
      for (std::size_t j = k - 1; j < degree; ++j) idx[j] = v;
    }
  }
  if (terms.empty()) {
    b.constant(0.0);
    return;
  }
  std::uint32_t sum = terms[0];
  for (std::size_t k = 1; k < terms.size(); ++k) sum = b.op(ir::ExprOp::Add, {sum, terms[k]});
}

}  // namespace

ExprSrc Frontend::exprSource(const Card& c, std::size_t from, std::size_t to) {
  const Token& first = c[from];
  if (to - from == 1 && first.kind == TokKind::Expr)
    return ExprSrc{first.text.substr(1, first.text.size() - 2), first.file, first.line, first.col + 1};
  if (c[to - 1].line == first.line && c[to - 1].file == first.file) {
    const Token& z = c[to - 1];
    return ExprSrc{std::string_view(first.text.data(), static_cast<std::size_t>(z.text.data() + z.text.size() - first.text.data())),
                   first.file, first.line, first.col};
  }
  // Several lines: each line's span, with the commas (separators, not tokens)
  // that end it or start it, so `pwl(x, 0, 0,` + `+ 1, 2)` keeps its commas.
  std::string joined;
  std::size_t k = from;
  while (k < to) {
    std::size_t e = k;
    while (e + 1 < to && c[e + 1].line == c[k].line && c[e + 1].file == c[k].file) ++e;
    const char* b = c[k].text.data();
    const char* z = c[e].text.data() + c[e].text.size();
    if (k > from)
      for (const char* p = b; p > c[k - 1].text.data() + c[k - 1].text.size() && (p[-1] == ',' || p[-1] == ' ' || p[-1] == '\t');)
        if (*--p == ',') b = p;
    if (e + 1 < to)
      for (const char* p = z; *p == ',' || *p == ' ' || *p == '\t'; ++p)
        if (*p == ',') z = p + 1;
    if (!joined.empty()) joined += ' ';
    joined.append(b, static_cast<std::size_t>(z - b));
    k = e + 1;
  }
  ownedText_.push_back(std::move(joined));
  return ExprSrc{ownedText_.back(), first.file, first.line, first.col};
}

namespace {

// E G with two controlling nodes, F H with a controlling source, then two or
// more values and nothing else: SPICE2's polynomial form without POLY(1).
bool implicitPoly(const Card& c, char letter) {
  const std::size_t first = (letter == 'e' || letter == 'g') ? 5 : (letter == 'f' || letter == 'h') ? 4 : 0;
  if (!first || c.size() < first + 2) return false;
  for (std::size_t k = 3; k < first; ++k)
    if (c[k].kind != TokKind::Word) return false;
  for (std::size_t k = first; k < c.size(); ++k)
    if (!(c[k].kind == TokKind::Expr || (c[k].kind == TokKind::Word && looksNumeric(c[k].text)))) return false;
  return true;
}

}  // namespace

// The scale ngspice 39's B source (asrcload.c) puts on its value: the temperature
// factor 1 + TC1 dT + TC2 dT^2 with dT = (TEMP or the circuit's) + DTEMP - 300.15 K
// (300.15 K, not TNOM, as ngspice), its reciprocal with RECIPROCTC=1, times M (divided
// with RECIPROCM=1). The circuit's temperature is `temper`, so .temp and .dc TEMP move it.
// A behavioural resistor's TC1, TC2 and M are its B source's (ngspice 39's inpcom.c
// rewrites `R a b R={expr} tc1=..` as `B a b I=v(a,b)/(expr) tc1=.. reciproctc=1`).
std::size_t Frontend::peelScale(Frame& f, const Card& c, std::size_t minTokens, bool bSource, BSourceScale& scale) {
  std::size_t end = c.size();
  while (end >= minTokens && c[end - 3].kind == TokKind::Word && c[end - 2].kind == TokKind::Eq &&
         (c[end - 1].kind == TokKind::Word || c[end - 1].kind == TokKind::Expr)) {
    const std::string name = lower(c[end - 3].text);
    double* slot = name == "tc1" ? &scale.tc1 : name == "tc2" ? &scale.tc2 : name == "m" ? &scale.m : nullptr;
    if (bSource && !slot)
      slot = name == "temp" ? &scale.temp : name == "dtemp" ? &scale.dtemp : name == "reciproctc" ? &scale.reciproctc
           : name == "reciprocm" ? &scale.reciprocm : nullptr;
    if (!slot) break;
    *slot = evalValue(c[end - 1], f);
    if (name == "temp") scale.tempGiven = true;
    scale.given = true;
    end -= 3;
  }
  return end;
}

namespace {
void scaleBehaviour(ir::Expression& e, const BSourceScale& s) {
  ExprBuilder b(e);
  const std::uint32_t root = static_cast<std::uint32_t>(e.nodes.size() - 1);
  std::uint32_t dT;
  if (s.tempGiven) {  // (ngspice ignores DTEMP beside TEMP)
    dT = b.constant(s.temp + 273.15 - 300.15);
  } else {
    ir::ExprNode t;
    t.op = ir::ExprOp::Temper;
    e.nodes.push_back(t);
    const std::uint32_t temper = static_cast<std::uint32_t>(e.nodes.size() - 1);
    dT = b.op(ir::ExprOp::Add, {temper, b.constant(273.15 + s.dtemp - 300.15)});
  }
  std::uint32_t factor = b.op(
      ir::ExprOp::Add,
      {b.constant(1.0), b.op(ir::ExprOp::Add, {b.op(ir::ExprOp::Mul, {b.constant(s.tc1), dT}),
                                               b.op(ir::ExprOp::Mul, {b.constant(s.tc2), b.op(ir::ExprOp::Mul, {dT, dT})})})});
  if (s.reciproctc == 1) factor = b.op(ir::ExprOp::Div, {b.constant(1.0), factor});
  factor = b.op(s.reciprocm == 1 ? ir::ExprOp::Div : ir::ExprOp::Mul, {factor, b.constant(s.m)});
  b.op(ir::ExprOp::Mul, {factor, root});
}
}  // namespace

bool Frontend::behavioural(Frame& f, const Card& c, ir::Device& d) {
  const char letter = lowerChar(c[0].text[0]);
  std::size_t n = c.size();
  const std::string what = std::string(deviceKindName(kinds_, letter)) + " '" + d.name + "'";
  if (n < 4 || !isWordTok(c, 1) || !isWordTok(c, 2) || !isWordTok(c, 3)) return false;
  // G's multiplier m= after its expression (ngspice 39: m copies in parallel; an
  // instance's m= spreads it over a sub-circuit's G cards): the current times m
  std::optional<double> mult;
  if (letter == 'g' && n >= 7 && isWordTok(c, n - 3) && ieq(c[n - 3].text, "m") && isEqTok(c, n - 2)) {
    const std::string f3 = lower(c[3].text);
    if (f3 == "value" || f3 == "cur" || f3 == "table" || f3.rfind("poly", 0) == 0) {
      mult = evalValue(c[n - 1], f);
      n -= 3;
    }
  }
  const std::string form = lower(c[3].text);
  using Output = ir::Behaviour::Output;
  ir::Behaviour beh;
  beh.output = (letter == 'e' || letter == 'h') ? Output::Voltage : Output::Current;
  BehaviourEnv env(*this, f, exprRefs_);
  // (pspice: PSpice's meaning of PWR, before constant parts are folded)
  auto compile = [&](const ExprSrc& src, bool pspice) {
    if (!pspice) return compileExpr(src, env, exprDepth_);
    const int saved = exprDepth_;
    ir::Expression tree = parseExpr(src, ExprMode::Behaviour, exprDepth_);
    exprDepth_ = saved;
    pspicePwr(tree);
    ir::Expression out = compileTree(tree, src, env, exprDepth_);
    pspicePwr(out);  // (a pwr of a .func body, expanded while folding)
    return out;
  };
  auto expression = [&](std::size_t from, const Token& after, bool pspice) {
    if (from >= n) failAt(after, ErrorCode::Parse, "missing expression after " + quoteTok(after.text) + " in " + what);
    return compile(exprSource(c, from, n), pspice);
  };

  if (letter == 'b') {
    if ((form != "v" && form != "i") || !isEqTok(c, 4)) {
      failAt(c[3], ErrorCode::Parse, "expected V=expression or I=expression after the nodes of " + what);
    }
    beh.output = form == "v" ? Output::Voltage : Output::Current;
    // ngspice 39's instance parameters after the expression: tc1 tc2 temp dtemp
    // reciproctc m reciprocm (its asrc device)
    BSourceScale scale;
    const std::size_t end = peelScale(f, c, 8, true, scale);
    if (end <= 5) failAt(c[4], ErrorCode::Parse, "missing expression after " + quoteTok(c[4].text) + " in " + what);
    beh.expr = compile(exprSource(c, 5, end), false);
    if (scale.given) {
      if (!(scale.m > 0)) failAt(c[0], ErrorCode::Semantic, "m of " + what + " must be positive");
      scaleBehaviour(beh.expr, scale);
    }
  } else if ((letter == 'e' || letter == 'g') && (form == "value" || form == "vol" || form == "cur")) {
    std::size_t from = isEqTok(c, 4) ? 5 : 4;
    beh.expr = expression(from, c[from - 1], form == "value");
  } else if ((letter == 'e' || letter == 'g') && n >= 7 && isWordTok(c, 4) && ieq(c[5].text, "table") &&
             c[6].kind == TokKind::LParen) {
    // LTspice's Ename n+ n- nc+ nc- table(x1 y1 x2 y2 ...) (G too): piecewise
    // linear in v(nc+, nc-), constant beyond the ends
    const std::string src = "v(" + std::string(c[3].text) + "," + std::string(c[4].text) + ")";
    beh.expr = compileExpr(ExprSrc{src, c[3].file, c[3].line, c[3].col}, env, exprDepth_);
    std::vector<double> pts;
    std::vector<const Token*> at;
    std::size_t k = 7;
    for (; k < n && c[k].kind != TokKind::RParen; ++k) {
      if (c[k].kind != TokKind::Word && c[k].kind != TokKind::Expr)
        failAt(c[k], ErrorCode::Parse, "unexpected " + quoteTok(c[k].text) + " in the table() of " + what);
      pts.push_back(evalValue(c[k], f));
      at.push_back(&c[k]);
    }
    if (k >= n) failAt(c[6], ErrorCode::Parse, "missing ')' after the table() of " + what);
    if (k + 1 < n) failAt(c[k + 1], ErrorCode::Parse, "unexpected " + quoteTok(c[k + 1].text) + " after the table() of " + what);
    if (pts.size() < 2 || pts.size() % 2)
      failAt(pts.empty() ? c[5] : *at.back(), ErrorCode::Parse,
             "the table() of " + what + " needs x y pairs: got " + std::to_string(pts.size()) + " value" +
                 (pts.size() == 1 ? "" : "s"));
    for (std::size_t j = 2; j < pts.size(); j += 2)
      if (pts[j] < pts[j - 2]) failAt(*at[j], ErrorCode::Semantic, "table() x values of " + what + " must not decrease");
    ExprBuilder b(beh.expr);
    std::vector<std::uint32_t> kids{static_cast<std::uint32_t>(beh.expr.nodes.size() - 1)};
    for (double v : pts) kids.push_back(b.constant(v));
    b.op(ir::ExprOp::Table, kids);
  } else if ((letter == 'e' || letter == 'g') && form == "table") {
    // TABLE {expr} = (x1, y1) (x2, y2) ... as ngspice 39 reads it: also
    // TABLE = {expr} ..., without the '=' after {expr}, and pairs without
    // parentheses (vendor libraries). An expression without braces runs to
    // the first '=' outside parentheses.
    std::size_t from = isEqTok(c, 4) ? 5 : 4, eq = from;
    if (from < n && c[from].kind == TokKind::Expr) {
      eq = from + 1;
    } else {
      for (int depth = 0; eq < n; ++eq) {
        if (c[eq].kind == TokKind::LParen) ++depth;
        else if (c[eq].kind == TokKind::RParen) --depth;
        else if (c[eq].kind == TokKind::Eq && depth == 0) break;
      }
      if (eq == from) failAt(c[3], ErrorCode::Parse, "missing expression after TABLE in " + what);
      if (eq >= n)
        failAt(c[3], ErrorCode::Parse, "expected TABLE {expression} = (x1,y1) (x2,y2) ... in " + what);
    }
    beh.expr = compile(exprSource(c, from, eq), true);
    std::vector<double> pts;
    std::vector<const Token*> at;
    for (std::size_t k = isEqTok(c, eq) ? eq + 1 : eq; k < n; ++k) {
      if (c[k].kind == TokKind::LParen || c[k].kind == TokKind::RParen) continue;
      if (c[k].kind != TokKind::Word && c[k].kind != TokKind::Expr)
        failAt(c[k], ErrorCode::Parse, "unexpected " + quoteTok(c[k].text) + " in the TABLE of " + what);
      pts.push_back(evalValue(c[k], f));
      at.push_back(&c[k]);
    }
    if (pts.size() < 2 || pts.size() % 2)
      failAt(pts.empty() ? c[3] : *at.back(), ErrorCode::Parse,
             "the TABLE of " + what + " needs (x, y) pairs: got " + std::to_string(pts.size()) + " value" +
                 (pts.size() == 1 ? "" : "s"));
    for (std::size_t k = 2; k < pts.size(); k += 2)
      if (pts[k] < pts[k - 2])
        failAt(*at[k], ErrorCode::Semantic, "TABLE x values of " + what + " must not decrease");
    ExprBuilder b(beh.expr);
    std::vector<std::uint32_t> kids{static_cast<std::uint32_t>(beh.expr.nodes.size() - 1)};
    for (double v : pts) kids.push_back(b.constant(v));
    const std::uint32_t table = b.op(ir::ExprOp::Table, kids);
    // ngspice 39 makes the source an XSPICE pwl (input_domain=0.1
    // fraction=true limit=true): corners rounded over a tenth of the shorter
    // segment beside them, the end ones too
    beh.expr.nodes[table].value = kTableSmoothing;
    codeModelSources_ = true;  // (xspiceTrtol: an A device in ngspice)
  } else if ((form == "poly" && letter != 'b') || implicitPoly(c, letter)) {
    codeModelSources_ = true;  // (ngspice 39 translates it into a spice2poly A device: xspiceTrtol)
    // POLY(n), or SPICE2's one-dimensional form without it (E1 a b c d -1.8 1:
    // the controls, then two or more coefficients), which ngspice 39 reads as POLY(1)
    const bool implicit = form != "poly";
    std::size_t i = 4;
    double dims = 1;
    if (implicit) {
      i = 3;
      warnOnce(c[0], "implicitpoly:" + (c[0].file ? *c[0].file : std::string()),
               what + " has more than one value after its control: read as POLY(1) with these coefficients "
                      "(p0 + p1 x + p2 x^2 ...), as ngspice 39 reads SPICE2's polynomial form (so are the others "
                      "of this file)");
    } else {
      if (i < n && c[i].kind == TokKind::LParen) ++i;
      if (!isWordTok(c, i)) failAt(c[3], ErrorCode::Parse, "expected POLY(n) in " + what);
      dims = evalValue(c[i], f);
      if (!(dims >= 1 && dims <= 20 && dims == std::floor(dims)))
        failAt(c[i], ErrorCode::Semantic, "POLY(n) of " + what + ": n must be a whole number from 1 to 20");
      ++i;
      if (i < n && c[i].kind == TokKind::RParen) ++i;
    }
    const bool byVoltage = letter == 'e' || letter == 'g';
    const std::size_t names = byVoltage ? 2 * std::size_t(dims) : std::size_t(dims);
    std::vector<const Token*> ctl, coef;
    for (; i < n; ++i) {
      if (c[i].kind == TokKind::LParen || c[i].kind == TokKind::RParen) continue;
      if (ctl.size() < names) {
        if (c[i].kind != TokKind::Word)
          failAt(c[i], ErrorCode::Parse, std::string("expected a ") + (byVoltage ? "controlling node" : "controlling source") +
                                             " in the POLY of " + what + ", found " + quoteTok(c[i].text));
        ctl.push_back(&c[i]);
      } else {
        if (c[i].kind != TokKind::Word && c[i].kind != TokKind::Expr)
          failAt(c[i], ErrorCode::Parse, "unexpected " + quoteTok(c[i].text) + " in the POLY coefficients of " + what);
        coef.push_back(&c[i]);
      }
    }
    if (ctl.size() < names)
      failAt(c[0], ErrorCode::Parse, "POLY(" + std::to_string(int(dims)) + ") of " + what + " needs " + std::to_string(names) +
                                         (byVoltage ? " controlling nodes" : " controlling sources") + ", got " +
                                         std::to_string(ctl.size()));
    if (coef.empty()) failAt(c[0], ErrorCode::Parse, "POLY of " + what + " needs at least one coefficient");
    std::vector<double> p;
    for (const Token* t : coef) p.push_back(evalValue(*t, f));
    beh.expr.text = "poly(" + std::to_string(int(dims)) + ")";
    beh.expr.loc = locOf(c[3]);
    ExprBuilder b(beh.expr);
    std::vector<std::uint32_t> x;
    for (std::size_t k = 0; k < std::size_t(dims); ++k) {
      if (!byVoltage) {
        std::string dev = f.prefix + lower(ctl[k]->text);
        exprRefs_.push_back(ExprRef{ir::ExprVar::Kind::Current, dev, locOf(*ctl[k])});
        x.push_back(b.var(ir::ExprVar::Kind::Current, dev));
        continue;
      }
      std::string a = node(f, *ctl[2 * k], what), z = node(f, *ctl[2 * k + 1], what);
      if (a != "0") exprRefs_.push_back(ExprRef{ir::ExprVar::Kind::Voltage, a, locOf(*ctl[2 * k])});
      if (z != "0") exprRefs_.push_back(ExprRef{ir::ExprVar::Kind::Voltage, z, locOf(*ctl[2 * k + 1])});
      if (a == "0" && z == "0") x.push_back(b.constant(0.0));
      else if (z == "0") x.push_back(b.var(ir::ExprVar::Kind::Voltage, a));
      else if (a == "0") x.push_back(b.op(ir::ExprOp::Neg, {b.var(ir::ExprVar::Kind::Voltage, z)}));
      else x.push_back(b.op(ir::ExprOp::Sub, {b.var(ir::ExprVar::Kind::Voltage, a), b.var(ir::ExprVar::Kind::Voltage, z)}));
    }
    polynomial(b, x, std::move(p));
  } else {
    return false;
  }
  if (mult) {
    ExprBuilder b(beh.expr);
    const auto root = static_cast<std::uint32_t>(beh.expr.nodes.size() - 1);
    b.op(ir::ExprOp::Mul, {root, b.constant(*mult)});
  }
  d.nodes = {node(f, c[1], what), node(f, c[2], what)};
  d.behaviour = std::move(beh);
  return true;
}

// The runtime value of an R, C or L card (`R1 a b {expr}` or `R1 a b R={expr}`,
// the expression reading v(), i(), time or hertz): its tree, else nothing.
std::optional<ir::Expression> Frontend::runtimeValue(const Card& c, char letter, ExprSrc& src) {
  const std::size_t n = c.size();
  std::size_t v = 0, to = 0;
  const bool named = n >= 6 && isWordTok(c, 3) && c[3].text.size() == 1 && lowerChar(c[3].text[0]) == letter && isEqTok(c, 4);
  if (n == 4) v = 3;
  else if (n == 6 && named) v = 5;
  // `C1 a b c = (v(a,b) < 5) ? 1u : 2u`, unquoted: the expression is the rest of the card
  // (ngspice 39 reads only its first group "(...)", here a capacitance of 0 or 1 F: warned)
  else if (n > 6 && named && c[5].kind == TokKind::LParen) v = 5, to = n;
  else return std::nullopt;
  if ((!to && c[v].kind != TokKind::Expr) || !isWordTok(c, 1) || !isWordTok(c, 2)) return std::nullopt;
  src = exprSource(c, v, to ? to : v + 1);
  ir::Expression tree;
  try {
    tree = parseExpr(src, ExprMode::Behaviour, exprDepth_);
  } catch (const NetlistError&) {
    return std::nullopt;  // the value reader reports it
  }
  bool runtime = false;
  for (const ir::ExprNode& node : tree.nodes)
    runtime = runtime || node.op == ir::ExprOp::Var || node.op == ir::ExprOp::Time || node.op == ir::ExprOp::Hertz;
  if (!runtime) return std::nullopt;
  if (to)
    warnOnce(c[v], "unquoted-value:" + (c[v].file ? *c[v].file : std::string()) + ":" + std::to_string(c[v].line),
             "unquoted expression after '" + std::string(1, letter) + "=' read to the end of the card; ngspice 39 "
             "reads only its first group '(...)' as the value, so its results differ: quote it ('...') or brace it ({...})");
  return tree;
}

namespace {

std::uint32_t across(ExprBuilder& b, const std::string& a, const std::string& z) {
  if (a == "0" && z == "0") return b.constant(0.0);
  if (z == "0") return b.var(ir::ExprVar::Kind::Voltage, a);
  if (a == "0") return b.op(ir::ExprOp::Neg, {b.var(ir::ExprVar::Kind::Voltage, z)});
  return b.op(ir::ExprOp::Sub, {b.var(ir::ExprVar::Kind::Voltage, a), b.var(ir::ExprVar::Kind::Voltage, z)});
}

}  // namespace

// A model name, geometry or dtemp beside a value that reads v(), i() or time
// (GF180's poly resistors: `rb 11 21 ppolyf_u_body l=r_l w=r_w r='r_n*(r_rsh0+r_vc1*abs(v(11,21)))'`,
// its MOS capacitors: `c_moscap 1 2 c='...tanh(cvar3*v(1,2)+cvar4)' dtemp=dtemp`):
// ngspice 39 rewrites the card into the B source of that expression alone with
// its tc1, tc2 and m; the model, l, w and the rest are not used.
std::vector<Token> Frontend::runtimeValueCard(const Card& c, char letter, const std::string& what) {
  std::vector<Token> reduced;
  if (c.size() <= 6) return reduced;
  std::size_t at = 0;
  for (std::size_t k = 3; k + 2 < c.size(); ++k)
    if (c[k].kind == TokKind::Word && c[k].text.size() == 1 && lowerChar(c[k].text[0]) == letter &&
        c[k + 1].kind == TokKind::Eq && c[k + 2].kind == TokKind::Expr && (k == 3 || c[k - 1].kind != TokKind::Eq))
      at = k;
  if (at < 3) return reduced;
  ExprSrc probe;
  std::vector<Token> head(c.b, c.b + 3);
  head.insert(head.end(), c.b + at, c.b + at + 3);
  if (!runtimeValue(Card{head.data(), head.data() + head.size()}, letter, probe)) return reduced;
  reduced = std::move(head);
  std::string dropped;
  int droppedCount = 0;
  for (std::size_t k = 3; k < c.size(); ++k) {
    if (k == at) {
      k += 2;
      continue;
    }
    const bool pair = k + 2 < c.size() && c[k].kind == TokKind::Word && c[k + 1].kind == TokKind::Eq;
    const std::string name = lower(c[k].text);
    if (pair && (name == "tc1" || name == "tc2" || name == "m")) {
      reduced.insert(reduced.end(), c.b + k, c.b + k + 3);
      k += 2;
      continue;
    }
    dropped += (dropped.empty() ? "" : ", ") + (pair ? name + "=" : "'" + name + "'");
    ++droppedCount;
    if (pair) k += 2;
  }
  if (at == 3 && reduced.size() == c.size()) return {};  // (only tc1, tc2, m beside it: the card itself)
  if (!dropped.empty())
    warnOnce(c[0], std::string("value-expr-extra:") + letter + ":" + (c[0].file ? *c[0].file : std::string()),
             what + ": its value " + std::string(1, letter) + "= reads v(), i() or time, so it is a B source of that "
             "expression and " + dropped + (droppedCount > 1 ? " are" : " is") + " not used (as ngspice 39)");
  return reduced;
}

bool Frontend::behaviouralResistor(Frame& f, const Card& c, ir::Device& d) {
  if (std::vector<Token> reduced = runtimeValueCard(c, 'r', "resistor '" + d.name + "'"); !reduced.empty())
    return behaviouralResistor(f, Card{reduced.data(), reduced.data() + reduced.size()}, d);
  ExprSrc src;
  // (TC1, TC2, M after the value, in any order: its B source's, the resistance times
  // the factor, the current times M (parallel copies; an instance's m= spreads it over
  // a sub-circuit's resistors))
  BSourceScale scale;
  const std::size_t end = peelScale(f, c, 7, false, scale);
  std::optional<ir::Expression> tree = runtimeValue(Card{c.b, c.b + end}, 'r', src);
  if (!tree) return false;
  const std::string what = "resistor '" + d.name + "'";
  BehaviourEnv env(*this, f, exprRefs_);
  ir::Behaviour beh;
  beh.output = ir::Behaviour::Output::Current;
  beh.expr = compileTree(*tree, src, env, exprDepth_);
  d.nodes = {node(f, c[1], what), node(f, c[2], what)};
  // the current v(n+, n-) / R(x) from n+ through the resistor to n-
  ExprBuilder b(beh.expr);
  const std::uint32_t r = static_cast<std::uint32_t>(beh.expr.nodes.size() - 1);
  b.op(ir::ExprOp::Div, {across(b, d.nodes[0], d.nodes[1]), r});
  if (scale.given) {
    if (!(scale.m > 0)) failAt(c[0], ErrorCode::Semantic, "m of " + what + " must be positive");
    scale.reciproctc = 1;
    scaleBehaviour(beh.expr, scale);
  }
  d.behaviour = std::move(beh);
  return true;
}

// C and L values that read v(), i() or time, as ngspice 39 rewrites them
// (the same auxiliary devices and node, so results and names agree):
//   C1 a b {expr}:  EC1 c1_int1 0 b a 1, CC1 c1_int1 0 1n, and C1 the current
//                   i(ec1) / 1n * expr from a to b, i.e. expr * d v(a,b)/dt;
//   L1 a b {expr}:  FL1 l1_int2 0 L1 -1, LL1 l1_int2 0 1, and L1 the voltage
//                   v(b,a) = v(l1_int2) * expr, i.e. v(a,b) = expr * d i(L1)/dt.
// The capacitance (inductance) multiplies the derivative: no charge (flux)
// is conserved when it changes, as in ngspice.
bool Frontend::behaviouralReactive(Frame& f, const Card& c, ir::Device& d, std::vector<ir::Device>& aux) {
  const char letter = d.letter;
  if (letter == 'c' && c.size() > 5 && c[3].kind == TokKind::Word && ieq(c[3].text, "q") &&
      c[4].kind == TokKind::Eq) {
    // LTspice's charge-defined capacitor, C a b Q=expr (GaN Systems' models: the
    // gate charge as a function of v(gate,source)): the current d(expr)/dt from a to
    // b, through ddt() (the integrator differentiates the charge, as every charge).
    // ngspice 39 reads the form with the charge in braces or quotes (q='...': sky130's
    // varactors), not LTspice's unbraced one. LTspice's x (the voltage across) is v(a,b) here.
    const std::string what = "capacitor '" + d.name + "'";
    const std::string a = node(f, c[1], what), z = node(f, c[2], what);
    ExprSrc inner = exprSource(c, 5, c.size());
    std::string text(inner.text);
    if (text.size() >= 2 && (text.front() == '{' || text.front() == '\'')) text = text.substr(1, text.size() - 2);
    if (c[5].kind != TokKind::Expr)  // (an Expr token: {...} or '...')
      warnOnce(c[3], "ltspice-qcap:" + (c[3].file ? *c[3].file : std::string()),
               "LTspice's charge-defined capacitor (C a b Q=expression) is read as the current d(Q)/dt from a to b "
               "(ngspice 39 reads only a charge in braces or quotes: Q={...})");
    // LTspice's x: the voltage across the capacitor
    std::string withX;
    for (std::size_t i = 0; i < text.size();) {
      const bool start = i == 0 || !(std::isalnum(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '_' ||
                                     text[i - 1] == '.');
      const bool end = i + 1 >= text.size() ||
                       !(std::isalnum(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '_' || text[i + 1] == '(');
      if ((text[i] == 'x' || text[i] == 'X') && start && end) {
        withX += "v(" + std::string(c[1].text) + "," + std::string(c[2].text) + ")";
        ++i;
        continue;
      }
      withX += text[i++];
    }
    ownedText_.push_back("ddt(" + withX + ")");
    const ExprSrc src{ownedText_.back(), inner.file, inner.line, inner.col};
    BehaviourEnv env(*this, f, exprRefs_);
    ir::Behaviour beh;
    beh.output = ir::Behaviour::Output::Current;
    beh.expr = compileExpr(src, env, exprDepth_);
    d.nodes = {a, z};
    d.behaviour = std::move(beh);
    return true;
  }
  if (std::vector<Token> reduced =
          runtimeValueCard(c, letter, std::string(letter == 'c' ? "capacitor '" : "inductor '") + d.name + "'");
      !reduced.empty())
    return behaviouralReactive(f, Card{reduced.data(), reduced.data() + reduced.size()}, d, aux);
  ExprSrc src;
  // TC1, TC2, M after the value, as ngspice 39's rewrite (inpcom.c) passes them on: a
  // capacitor's E source has gain M and its current is over the TC factor
  // (RECIPROCTC=1); an inductor's voltage is over M and times the TC factor
  BSourceScale scale;
  const std::size_t end = peelScale(f, c, 7, false, scale);
  std::optional<ir::Expression> tree = runtimeValue(Card{c.b, c.b + end}, letter, src);
  if (!tree) return false;
  const std::string what = std::string(letter == 'c' ? "capacitor '" : "inductor '") + d.name + "'";
  if (scale.given && !(scale.m > 0)) failAt(c[0], ErrorCode::Semantic, "m of " + what + " must be positive");
  const std::string a = node(f, c[1], what), z = node(f, c[2], what);
  const std::string leaf = lower(c[0].text);
  // ngspice 39's auxiliary node names: c1_int1, l1_int2
  const std::string mid = nodeName(f, leaf + (letter == 'c' ? "_int1" : "_int2"));
  auto device = [&](char l, std::string name, std::vector<std::string> nodes, double value) {
    ir::Device x;
    x.name = f.prefix + name;
    x.letter = l;
    x.nodes = std::move(nodes);
    x.value = value;
    x.loc = d.loc;
    return x;
  };
  BehaviourEnv env(*this, f, exprRefs_);
  ir::Behaviour beh;
  beh.expr = compileTree(*tree, src, env, exprDepth_);
  ExprBuilder b(beh.expr);
  const std::uint32_t value = static_cast<std::uint32_t>(beh.expr.nodes.size() - 1);
  if (letter == 'c') {
    // ngspice's auxiliary capacitor is 1 F; 1 nF keeps i(ec1) near the
    // circuit's own currents, so Newton's current tolerance (abstol) is not
    // drowned by rounding of 1 F times dv/dt (the product is the same)
    constexpr double kAux = 1e-9;
    // ngspice 39's orientation and gain: v(c1_int1) = M v(b,a)
    aux.push_back(device('e', "e" + leaf, {mid, "0", z, a}, scale.m));
    aux.push_back(device('c', "c" + leaf, {mid, "0"}, kAux));
    beh.output = ir::Behaviour::Output::Current;
    d.nodes = {a, z};
    b.op(ir::ExprOp::Mul, {b.op(ir::ExprOp::Div, {b.var(ir::ExprVar::Kind::Current, aux[0].name), b.constant(kAux)}), value});
  } else {
    ir::Device fx = device('f', "f" + leaf, {mid, "0"}, -1.0);
    fx.refs = {d.name};
    aux.push_back(std::move(fx));
    aux.push_back(device('l', "l" + leaf, {mid, "0"}, 1.0));
    beh.output = ir::Behaviour::Output::Voltage;
    d.nodes = {z, a};  // ngspice 39's orientation: v(l1_int2) = -d i(L1)/dt
    b.op(ir::ExprOp::Mul, {b.var(ir::ExprVar::Kind::Voltage, mid), value});
  }
  if (scale.given) {
    scale.reciproctc = letter == 'c' ? 1 : 0;
    scale.reciprocm = 1;
    if (letter == 'c') scale.m = 1.0;  // (in the E source's gain)
    scaleBehaviour(beh.expr, scale);
  }
  d.behaviour = std::move(beh);
  return true;
}

// ddt(x) as a quantity of the circuit: a behavioural voltage source
// bddt#N ddt#N 0 V=x across a 1 F capacitor cddt#N ddt#N 0: the quantity
// returned, i(bddt#N), is -dx/dt (the source feeds the capacitor). The integrator differentiates x as it does every
// charge (the same method, step control and breakpoints), and Newton gets
// the derivative's Jacobian; in .op and .dc the capacitor is open and ddt()
// is 0, as in ngspice 39. (ngspice 39's own ddt() is a divided difference of
// the two time points before the present one, a step late and without a
// Jacobian; this one is the derivative at the present point.) The unit
// capacitor sits alone on its node, so its current's size does not meet
// the circuit's own currents in Newton's tolerances.
namespace {
// The auxiliary devices of ddt(), idt() and delay(): an element (with its value, if
// it has one) or a behavioural source of x with output o.
ir::Device auxDevice(std::string name, char letter, std::vector<std::string> nodes,
                     std::optional<double> value = std::nullopt) {
  ir::Device d;
  d.name = std::move(name);
  d.letter = letter;
  d.nodes = std::move(nodes);
  d.value = value;
  return d;
}
ir::Device auxSource(std::string name, std::vector<std::string> nodes, ir::Behaviour::Output o, ir::Expression x) {
  ir::Device d = auxDevice(std::move(name), 'b', std::move(nodes));
  ir::Behaviour beh;
  beh.output = o;
  beh.expr = std::move(x);
  d.behaviour = std::move(beh);
  return d;
}
}  // namespace

ir::ExprVar Frontend::timeDerivative(Frame& f, ir::Expression x, const SourceLoc& at) {
  const std::string tag = "ddt#" + std::to_string(++ddtCount_);
  const std::string mid = f.prefix + tag;
  std::vector<ir::Device> devs;
  devs.push_back(auxSource(f.prefix + "b" + tag, {mid, "0"}, ir::Behaviour::Output::Voltage, std::move(x)));
  devs.push_back(auxDevice(f.prefix + "c" + tag, 'c', {mid, "0"}, 1.0));
  addAuxiliary(devs, at);
  return ir::ExprVar{ir::ExprVar::Kind::Current, f.prefix + "b" + tag};
}

void Frontend::addAuxiliary(std::vector<ir::Device>& devs, const SourceLoc& at) {
  for (ir::Device& d : devs) {
    if (c_.devices.size() >= kMaxDevices)
      fail(ErrorCode::Limit, "circuit too large: more than " + std::to_string(kMaxDevices) + " devices", at);
    d.loc = at;
    deviceIndex_.emplace(d.name, c_.devices.size());
    c_.devices.push_back(std::move(d));
  }
}

// LTspice's idt(x, ic) as a quantity of the circuit: v(idt#N) across a 1 F
// capacitor cidt#N fed by a behavioural current source bidt#N of x, so the
// integrator integrates x as every charge (the same method, step control
// and Jacobian). At time 0 (.op, .dc, the transient's initial point) the
// source is instead the conductance 1 S to ic (ic - v(idt#N)), which holds
// the node at ic; the capacitor's IC= is ic too, for .tran ... uic. .ac
// linearises the source of x (hertz > 0): the integral is x / (j w).
ir::ExprVar Frontend::integral(Frame& f, ir::Expression x, double ic, const SourceLoc& at) {
  const std::string tag = "idt#" + std::to_string(++ddtCount_);
  const std::string mid = f.prefix + tag;
  ExprBuilder b(x);
  const std::uint32_t xr = static_cast<std::uint32_t>(x.nodes.size() - 1);
  auto leaf = [&](ir::ExprOp op) {
    ir::ExprNode n;
    n.op = op;
    n.first = static_cast<std::uint32_t>(x.kids.size());
    x.nodes.push_back(n);
    return static_cast<std::uint32_t>(x.nodes.size() - 1);
  };
  const std::uint32_t running = b.op(ir::ExprOp::Or, {b.op(ir::ExprOp::Gt, {leaf(ir::ExprOp::Time), b.constant(0.0)}),
                                                      b.op(ir::ExprOp::Gt, {leaf(ir::ExprOp::Hertz), b.constant(0.0)})});
  const std::uint32_t hold = b.op(ir::ExprOp::Sub, {b.constant(ic), b.var(ir::ExprVar::Kind::Voltage, mid)});
  b.op(ir::ExprOp::Cond, {running, xr, hold});
  std::vector<ir::Device> devs;
  devs.push_back(auxSource(f.prefix + "b" + tag, {"0", mid}, ir::Behaviour::Output::Current, std::move(x)));
  devs.push_back(auxDevice(f.prefix + "c" + tag, 'c', {mid, "0"}, 1.0));
  devs[1].params.push_back(ir::Param{"ic", ic, at, {}, nullptr});
  addAuxiliary(devs, at);
  return ir::ExprVar{ir::ExprVar::Kind::Voltage, mid};
}

// LTspice's delay(x, td) as a quantity of the circuit: a behavioural voltage
// source bdly#N of x drives a lossless line tdly#N (Z0 = 1 Ohm, TD = td)
// ended in its own impedance rdly#N, so v(dly#N) is x(t - td) without
// reflections (before td: x at the operating point; .ac: x times
// exp(-j w td)). The line keeps the history and sets the breakpoints.
ir::ExprVar Frontend::delayed(Frame& f, ir::Expression x, double td, const SourceLoc& at) {
  const std::string tag = "dly#" + std::to_string(++ddtCount_);
  const std::string in = f.prefix + tag + "in", out = f.prefix + tag;
  std::vector<ir::Device> devs;
  devs.push_back(auxSource(f.prefix + "b" + tag, {in, "0"}, ir::Behaviour::Output::Voltage, std::move(x)));
  devs.push_back(auxDevice(f.prefix + "t" + tag, 't', {in, "0", out, "0"}));
  devs[1].params.push_back(ir::Param{"z0", 1.0, at, {}, nullptr});
  devs[1].params.push_back(ir::Param{"td", td, at, {}, nullptr});
  devs.push_back(auxDevice(f.prefix + "r" + tag, 'r', {out, "0"}, 1.0));
  addAuxiliary(devs, at);
  return ir::ExprVar{ir::ExprVar::Kind::Voltage, out};
}

void Frontend::expressionProbe(Frame& top, const Card& c, std::size_t from, std::size_t to, const std::string& node) {
  ir::Device d;
  d.name = "b" + node;
  d.letter = 'b';
  d.nodes = {node, "0"};
  d.loc = locOf(c[from]);
  BehaviourEnv env(*this, top, exprRefs_);
  ir::Behaviour beh;
  beh.output = ir::Behaviour::Output::Voltage;
  beh.expr = compileExpr(exprSource(c, from, to), env, exprDepth_);
  d.behaviour = std::move(beh);
  addDevice(std::move(d), c[from]);
}

void Frontend::funcCard(SubcktDef& def, const Card& c) {
  const std::size_t n = c.size();
  const std::string usage = "expected .func name(arg, ...) = {expression}";
  if (n < 4 || c[1].kind != TokKind::Word || c[2].kind != TokKind::LParen) failAt(c[0], ErrorCode::Parse, usage);
  FuncDef fd;
  fd.name = lower(c[1].text);
  std::size_t i = 3;
  for (; i < n && c[i].kind == TokKind::Word; ++i) {
    std::string a = lower(c[i].text);
    for (const std::string& b : fd.args)
      if (a == b) failAt(c[i], ErrorCode::Semantic, "argument '" + a + "' of .func '" + fd.name + "' given twice");
    fd.args.push_back(std::move(a));
  }
  if (i >= n || c[i].kind != TokKind::RParen) failAt(i < n ? c[i] : c[0], ErrorCode::Parse, usage);
  ++i;
  if (isEqTok(c, i)) ++i;
  if (i >= n) failAt(c[0], ErrorCode::Parse, "missing body of .func '" + fd.name + "': " + usage);
  // a built-in function's name is taken by the .func (ngspice 39 expands
  // .func calls first), except v() and i(), which are no functions
  if (fd.name == "v" || fd.name == "i")
    failAt(c[1], ErrorCode::Semantic, "'.func " + fd.name + "' would redefine " + fd.name + "(), the circuit's " +
                                          (fd.name == "v" ? "voltages" : "currents"));
  fd.body = parseExpr(exprSource(c, i, n), ExprMode::Behaviour, exprDepth_);
  auto [it, fresh] = def.funcs.try_emplace(fd.name);
  if (!fresh) failAt(c[1], ErrorCode::Semantic, "duplicate .func '" + fd.name + "' in this scope");
  it->second = std::move(fd);
}

// LTspice's soft limits, as ngspice 39's LTspice mode defines them (inpcom.c's
// ltspice_compat): uplim(x, pos, z) follows x up to pos - z and bends
// smoothly (a parabola over 2z) to pos; dnlim likewise down to neg; the _tanh
// forms bend as tanh. Top-level functions a deck's own .func of the name
// replaces (ADI's and Analog Devices' LTspice op-amp models use them).
void Frontend::predefineFunctions() {
  static const std::string kFile = "<LTspice's uplim/dnlim>";
  static constexpr std::pair<const char*, const char*> kFuncs[] = {
      {"uplim", "min(x, pos - z) + (1 - (min(max(0, x - pos + z), 2 * z) / 2 / z - 1)**2)*z"},
      {"dnlim", "max(x, neg + z) - (1 - (min(max(0, -x + neg + z), 2 * z) / 2 / z - 1)**2)*z"},
      {"uplim_tanh", "min(x, pos - z) + tanh(max(0, x - pos + z) / z)*z"},
      {"dnlim_tanh", "max(x, neg + z) - tanh(max(0, neg + z - x) / z)*z"},
  };
  for (const auto& [name, body] : kFuncs) {
    if (top_.funcs.count(name)) continue;
    FuncDef fd;
    fd.name = name;
    fd.args = {"x", std::string(name).rfind("up", 0) == 0 ? "pos" : "neg", "z"};
    int depth = 0;
    fd.body = parseExpr(ExprSrc{body, &kFile, 1, 1}, ExprMode::Behaviour, depth);
    top_.funcs.emplace(name, std::move(fd));
  }
}

const FuncDef* Frontend::findFunc(const Frame& f, std::string_view lname) const {
  const std::string key(lname);
  for (const SubcktDef* d = f.def; d; d = d->parent) {
    auto it = d->funcs.find(key);
    if (it != d->funcs.end()) return &it->second;
  }
  return nullptr;
}

// The last numeric `name=value` of the .options cards, read before the
// devices (the regular .options pass runs after them and checks the value).
std::optional<double> Frontend::earlyOption(std::string_view name) const {
  std::optional<double> out;
  for (const Card& c : controls_) {
    const std::string d = lower(c[0].text);
    if (d != ".options" && d != ".option" && d != ".opt") continue;
    for (std::size_t i = 1; i + 2 < c.size(); ++i) {
      double v = 0;
      std::string why;
      if (ieq(c[i].text, name) && c[i + 1].kind == TokKind::Eq && c[i + 2].kind == TokKind::Word &&
          parseNumber(c[i + 2].text, v, why))
        out = v;
    }
  }
  return out;
}

void Frontend::seedRandom() {
  // a .step point after the first continues the generator where the point before it left it
  if (rngStart_) {
    rng_ = *rngStart_;
    return;
  }
  // ngspice 39 seeds with 1 at start-up and again from the process id (its
  // transient noise set-up), so without .options seed its numbers differ from
  // run to run; simcore keeps 1 (the value of ngspice's rndseed). With
  // .options seed=N (N > 0) both seed with N before the first value is read.
  const std::optional<double> seed = earlyOption("seed");
  rng_.seed(seed && *seed >= 1 && *seed <= 2147483647.0 ? static_cast<unsigned>(*seed) : 1u);
  rngSeeded_ = rng_;
}

void Frontend::handRandomState() {
  // the random sources in the order ngspice's transient visits them when it
  // accepts a point (and draws): the current sources, then the voltage
  // sources, each kind last-read first (its instance lists grow at the head)
  std::vector<ir::Waveform*> sources;
  for (char kind : {'i', 'v'})
    for (auto d = c_.devices.rbegin(); d != c_.devices.rend(); ++d)
      if (d->letter == kind &&
          (d->source.wave.kind == ir::WaveKind::TrNoise || d->source.wave.kind == ir::WaveKind::TrRandom))
        sources.push_back(&d->source.wave);
  auto telegraph = [](const ir::Waveform& w) { return w.kind == ir::WaveKind::TrNoise && w.args.size() > 4 && w.args[4] > 0; };
  // ngspice sets up each telegraph as it reads the device, after every value
  // of the netlist: two exponential draws, unused (in the order read)
  for (const ir::Device& d : c_.devices)
    if ((d.letter == 'v' || d.letter == 'i') && telegraph(d.source.wave)) {
      const std::vector<double>& a = d.source.wave.args;
      rng_.exprand(a.size() > 5 ? a[5] : 0.0);
      rng_.exprand(a.size() > 6 ? a[6] : 0.0);
    }
  // The sources that draw in a transient share ngspice's one stream. Its
  // order is known when they are one family: one telegraph, or TRRANDOMs of
  // one type on one time grid (TS, TD), which draw in turn at each point
  // (up to 8 of them); those get the stream exactly. Otherwise each drawing
  // source gets a stream of its own (the first in ngspice's order ngspice's).
  std::vector<ir::Waveform*> drawing;
  for (ir::Waveform* w : sources)
    if (w->kind == ir::WaveKind::TrRandom || telegraph(*w)) drawing.push_back(w);
  auto arg = [](const ir::Waveform& w, std::size_t i, double def) { return i < w.args.size() ? w.args[i] : def; };
  bool family = drawing.size() > 1 && drawing.size() <= 8;
  for (const ir::Waveform* w : drawing)
    if (w->kind != ir::WaveKind::TrRandom || arg(*w, 0, 0) != arg(*drawing[0], 0, 0) ||
        arg(*w, 1, 0) != arg(*drawing[0], 1, 0) || arg(*w, 2, 0) != arg(*drawing[0], 2, 0))
      family = false;
  std::size_t own = 0;
  for (ir::Waveform* w : sources) {
    const auto k = std::size_t(std::find(drawing.begin(), drawing.end(), w) - drawing.begin());
    unsigned stream = 0;
    if (k < drawing.size() && family) stream = dev::NgRandom::familyStream(unsigned(drawing.size()), unsigned(k));
    else stream = unsigned(std::min<std::size_t>(own++, 127));
    w->seed = rng_.snapshot(stream);
  }
}

void Frontend::readScale() {
  const std::optional<double> scale = earlyOption("scale");
  if (scale && *scale > 0) scale_ = *scale;
}

double Frontend::random(std::string_view name, const std::vector<double>& a, const SourceLoc& at) {
  auto need = [&](std::size_t lo, std::size_t hi) {
    if (a.size() < lo || a.size() > hi)
      fail(ErrorCode::Semantic,
           "function '" + std::string(name) + "' takes " + std::to_string(lo) + (lo == hi ? "" : " or " + std::to_string(hi)) +
               " arguments, got " + std::to_string(a.size()),
           at);
  };
  ++randomDraws_;
  // as ngspice's numparam: gauss1() for the Gaussian ones, drand() in [-1, 1) for the others
  // LTspice's: gauss(sigma) Gaussian about 0, flat(x) uniform in [-x, x), mc(x, tol) uniform in
  // x (1 +- tol) (its Monte-Carlo tolerance), drawn from the same generator
  if (name == "gauss" && a.size() == 1) return a[0] * rng_.gauss1();
  if (name == "flat") {
    need(1, 1);
    return a[0] * rng_.drand();
  }
  if (name == "mc") {
    need(2, 2);
    return a[0] + a[0] * a[1] * rng_.drand();
  }
  if (name == "agauss" || name == "gauss") {
    need(name == "gauss" ? 1 : 2, 3);
    const double sigma = a.size() > 2 ? a[2] : 1.0;
    if (sigma == 0.0) fail(ErrorCode::Semantic, std::string(name) + "(): sigma must not be 0", at);
    const double spread = name == "agauss" ? a[1] / sigma : a[0] * a[1] / sigma;
    return a[0] + spread * rng_.gauss1();
  }
  if (name == "unif") {
    need(2, 2);
    return a[0] + a[0] * a[1] * rng_.drand();
  }
  if (name == "aunif") {
    need(2, 2);
    return a[0] + a[1] * rng_.drand();
  }
  need(2, 2);  // limit(nominal, variation): nominal plus or minus the variation
  return a[0] + (rng_.drand() > 0 ? a[1] : -a[1]);
}

void Frontend::checkExprRefs() {
  if (exprRefs_.empty()) return;
  std::unordered_set<std::string> nodes;
  for (const ir::Device& d : c_.devices)
    for (const std::string& nd : d.nodes)  // (an A device's ~name: an inverted port on node name)
      nodes.insert(d.letter == 'a' && nd.size() > 1 && nd[0] == '~' ? nd.substr(1) : nd);
  // (a probed sub-circuit pin's node: its zero-volt source, added with the saves, joins it)
  for (const auto* probed : {&powerPins_, &alliPins_})
    for (const auto& [inst, pins] : *probed)
      for (const ProbePin& p : pins) nodes.insert(p.inner);
  for (const ExprRef& r : exprRefs_) {
    if (r.kind == ir::ExprVar::Kind::Voltage) {
      if (!nodes.count(r.name)) fail(ErrorCode::Semantic, "unknown node '" + r.name + "' in v(): no device connects to it", r.at);
      continue;
    }
    auto it = deviceIndex_.find(r.name);
    if (it == deviceIndex_.end()) fail(ErrorCode::Semantic, "unknown device '" + r.name + "' in i()", r.at);
    const ir::Device& d = c_.devices[it->second];
    const dev::DeviceKind* k = kinds_.kindOf(d, c_.models);
    if ((!k || k->branches == 0) && !meteredCurrent(d))
      fail(ErrorCode::Semantic,
           "i(" + r.name + "): a " + std::string(k ? k->name : "device") +
               " has no branch current (V, L, E, H and B voltage sources have one; other devices with "
               "terminals get a zero-volt source in series, as in ngspice)",
           r.at);
  }
}

bool Frontend::meteredCurrent(const ir::Device& d) const {
  const dev::DeviceKind* k = kinds_.kindOf(d, c_.models);
  return k && k->branches == 0 && d.letter != 'a' && d.letter != 'k' && d.nodes.size() >= 2;
}

// As ngspice 39 (inp_meas_current): the device's first terminal moves to a node of its own,
// NODE_vmeas_N, joined to NODE by a zero-volt source v_DEV (in the device's scope: x1.v_r2),
// whose branch current, the current into that terminal, the expressions read. The variants
// (copies made before) get the same names in their expressions; resolveSaves carries the
// source and the moved terminal into them.
void Frontend::addCurrentMeters() {
  // ngspice numbers its meters N in the order of the lines that read a current (a .subckt's
  // line once, for all its instances), each reading counting; a device's node takes the number
  // of the first line that reads it
  auto leafOf = [](const std::string& n) {
    const std::size_t dot = n.rfind('.');
    return dot == std::string::npos ? n : n.substr(dot + 1);
  };
  auto before = [&](const SourceLoc& a, const SourceLoc& b) {
    const bool ownA = ownFile(a.file), ownB = ownFile(b.file);
    if (ownA != ownB) return ownA;
    if (a.file != b.file) return a.file < b.file;
    return a.line != b.line ? a.line < b.line : a.col < b.col;
  };
  std::vector<const ExprRef*> reads;
  for (const ExprRef& r : exprRefs_) {
    if (r.kind != ir::ExprVar::Kind::Current) continue;
    auto it = deviceIndex_.find(r.name);
    if (it != deviceIndex_.end() && meteredCurrent(c_.devices[it->second])) reads.push_back(&r);
  }
  if (reads.empty()) return;
  std::stable_sort(reads.begin(), reads.end(), [&](const ExprRef* a, const ExprRef* b) { return before(a->at, b->at); });
  std::map<std::pair<std::string, std::string>, int> lineSerial;  // (line, device leaf) -> N
  std::unordered_map<std::string, int> deviceSerial;              // device -> N of its first reading
  int serial = 0;
  for (const ExprRef* r : reads) {
    const std::string where = r->at.file + ":" + std::to_string(r->at.line) + ":" + std::to_string(r->at.col);
    auto [it, fresh] = lineSerial.emplace(std::make_pair(where, leafOf(r->name)), serial);
    if (fresh) ++serial;
    deviceSerial.emplace(r->name, it->second);
  }
  std::unordered_map<std::string, std::string> meter;  // device -> its source
  for (const ExprRef* r : reads) {
    if (meter.count(r->name)) continue;
    const std::size_t k = deviceIndex_.at(r->name);
    const std::string leaf = leafOf(r->name), prefix = r->name.substr(0, r->name.size() - leaf.size());
    std::string name = prefix + "v_" + leaf;
    while (deviceIndex_.count(name)) name += "_";
    const std::string node1 = c_.devices[k].nodes[0];
    const std::string node = prefix + leafOf(node1) + "_vmeas_" + std::to_string(deviceSerial.at(r->name));
    if (c_.devices.size() >= kMaxDevices)
      fail(ErrorCode::Limit, "too many devices (more than " + std::to_string(kMaxDevices) + ")", r->at);
    c_.devices[k].nodes[0] = node;
    ir::Device v;
    v.name = name;
    v.letter = 'v';
    v.nodes = {node1, node};
    v.loc = c_.devices[k].loc;
    deviceIndex_.emplace(name, c_.devices.size());
    c_.devices.push_back(std::move(v));
    meter.emplace(r->name, name);
  }
  if (meter.empty()) return;
  auto rename = [&](std::vector<ir::Device>& devices) {
    for (ir::Device& d : devices)
      if (d.behaviour)
        for (ir::ExprVar& x : d.behaviour->expr.vars)
          if (x.kind == ir::ExprVar::Kind::Current)
            if (auto m = meter.find(x.name); m != meter.end()) x.name = m->second;
  };
  rename(c_.devices);
  for (ir::Variant& v : c_.variants) rename(v.devices);
}

}  // namespace simcore::netlist
