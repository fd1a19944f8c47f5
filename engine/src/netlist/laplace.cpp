// Laplace transfer functions on E and G cards, as LTspice and PSpice write
// them:
//   E1 out 0 in 0 Laplace=(RL+s*L2)/(1+s**2*L2*C6+s*RL*C6)   (LTspice)
//   G1 out 0 in ref laplace={1/(1+s*tau)} [window= nfft= mtol=]
//   E1 out 0 LAPLACE {V(in)} = {1/(1+.001*s)}                 (PSpice)
// A rational function of s is the XSPICE s_xfer block it stands for: the
// input v(nc+, nc-) (PSpice: the expression, made a node by a behavioural
// source), the output a voltage across n+ n- (E) or a current from n+
// through the source to n- (G). The expression is reduced to numerator and
// denominator polynomials here, with .params, numbers and functions of them
// folded to their values; a function of s that is not rational (exp(-s*T),
// sqrt(s)), which LTspice evaluates through an impulse response, is an error
// naming it. ngspice 39 has neither form.
#include <algorithm>
#include <cmath>

#include "devices/expr_eval.hpp"
#include "netlist/frontend.hpp"

namespace simcore::netlist {

namespace {

using ir::ExprOp;

// Polynomials in s, ascending powers.
using Poly = std::vector<double>;

Poly add(const Poly& a, const Poly& b, double sb = 1.0) {
  Poly r(std::max(a.size(), b.size()), 0.0);
  for (std::size_t k = 0; k < a.size(); ++k) r[k] += a[k];
  for (std::size_t k = 0; k < b.size(); ++k) r[k] += sb * b[k];
  return r;
}

Poly mul(const Poly& a, const Poly& b) {
  Poly r(a.size() + b.size() - 1, 0.0);
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < b.size(); ++j) r[i + j] += a[i] * b[j];
  return r;
}

void trim(Poly& p) {
  while (p.size() > 1 && p.back() == 0.0) p.pop_back();
}

struct Rational {
  Poly n{0.0}, d{1.0};
  bool constant() const { return n.size() == 1 && d.size() == 1; }
  double value() const { return n[0] / d[0]; }
};

constexpr int kMaxDegree = 40;

class RationalOf {
 public:
  RationalOf(Frontend& fe, Frame& f, const ir::Expression& e, const Token& at) : fe_(fe), f_(f), e_(e), at_(at) {}

  Rational of(std::uint32_t k) {
    const ir::ExprNode& n = e_.nodes[k];
    const std::uint32_t* kid = e_.kids.data() + n.first;
    switch (n.op) {
      case ExprOp::Const: return {{n.value}, {1.0}};
      case ExprOp::Param: {
        const std::string& name = e_.names[n.index];
        if (name == "s") return {{0.0, 1.0}, {1.0}};
        return {{fe_.lookupParam(f_, name, e_.loc)}, {1.0}};
      }
      case ExprOp::Add:
      case ExprOp::Sub: {
        const Rational a = of(kid[0]), b = of(kid[1]);
        return checked({add(mul(a.n, b.d), mul(b.n, a.d), n.op == ExprOp::Sub ? -1.0 : 1.0), mul(a.d, b.d)});
      }
      case ExprOp::Mul: {
        const Rational a = of(kid[0]), b = of(kid[1]);
        return checked({mul(a.n, b.n), mul(a.d, b.d)});
      }
      case ExprOp::Div: {
        const Rational a = of(kid[0]), b = of(kid[1]);
        Poly bn = b.n;
        trim(bn);
        if (bn.size() == 1 && bn[0] == 0.0) bad("division by zero");
        return checked({mul(a.n, b.d), mul(a.d, b.n)});
      }
      case ExprOp::Neg: {
        Rational a = of(kid[0]);
        for (double& c : a.n) c = -c;
        return a;
      }
      case ExprOp::Pow: {
        const Rational base = of(kid[0]), ex = of(kid[1]);
        if (!ex.constant()) bad("a power whose exponent holds s is no rational function of s");
        const double p = ex.value();
        if (base.constant()) return {{std::pow(base.value(), p)}, {1.0}};
        if (p != std::floor(p) || std::fabs(p) > kMaxDegree)
          bad("s raised to " + std::to_string(p) + ": only whole powers make a rational function of s");
        Rational r;
        r.n = {1.0};
        r.d = {1.0};
        for (int i = 0; i < int(std::fabs(p)); ++i) r = checked({mul(r.n, base.n), mul(r.d, base.d)});
        if (p < 0) std::swap(r.n, r.d);
        return r;
      }
      default: break;
    }
    if (n.op == ExprOp::Var || n.op == ExprOp::UserFunc || n.op == ExprOp::Time || n.op == ExprOp::Temper ||
        n.op == ExprOp::Hertz)
      bad("only numbers, .params, s and functions of numbers may appear in a transfer function");
    // a function (or an operator other than + - * / **) of s-free arguments: its value
    std::vector<double> args;
    for (std::uint32_t a = 0; a < n.count; ++a) {
      const Rational r = of(kid[a]);
      if (!r.constant()) bad("a function of s other than + - * / and whole powers is no rational function of s");
      args.push_back(r.value());
    }
    return {{dev::applyExprOp(n.op, args.data(), args.size(), nullptr)}, {1.0}};
  }

 private:
  Rational checked(Rational r) {
    trim(r.n);
    trim(r.d);
    if (int(r.n.size()) > kMaxDegree + 1 || int(r.d.size()) > kMaxDegree + 1)
      bad("the transfer function's degree exceeds " + std::to_string(kMaxDegree));
    return r;
  }
  [[noreturn]] void bad(const std::string& why) {
    failAt(at_, ErrorCode::Semantic, "Laplace transfer function '" + e_.text + "': " + why);
  }

  Frontend& fe_;
  Frame& f_;
  const ir::Expression& e_;
  const Token& at_;
};

}  // namespace

bool Frontend::laplaceSource(Frame& f, const Card& c, ir::Device& d) {
  const char letter = lowerChar(c[0].text[0]);
  if (letter != 'e' && letter != 'g') return false;
  const std::size_t n = c.size();
  auto isWord = [&](std::size_t i, const char* w) { return i < n && c[i].kind == TokKind::Word && ieq(c[i].text, w); };
  auto isEq = [&](std::size_t i) { return i < n && c[i].kind == TokKind::Eq; };
  const std::string what = std::string(letter == 'e' ? "voltage" : "current") + " source '" + lower(c[0].text) + "'";
  std::size_t from = 0, to = n;
  std::string inP, inM;
  if (isWord(5, "laplace") && isEq(6)) {
    // LTspice: 4 nodes, Laplace=expr, then its FFT settings (window= nfft= mtol=), which a
    // rational function does not need
    from = 7;
    for (std::size_t k = 7; k + 1 < n; ++k)
      if (c[k].kind == TokKind::Word && isEq(k + 1) &&
          (ieq(c[k].text, "window") || ieq(c[k].text, "nfft") || ieq(c[k].text, "mtol"))) {
        if (to == n) to = k;
        warnOnce(c[k], "laplace-fft:" + lower(c[k].text),
                 "'" + lower(c[k].text) + "=' of a Laplace source ignored: simcore takes rational functions of s "
                 "exactly (LTspice's impulse-response settings are not needed)");
      }
    if (from >= to) failAt(c[6], ErrorCode::Parse, "missing transfer function after 'laplace=' of " + what);
    inP = node(f, c[3], "'" + lower(c[0].text) + "'");
    inM = node(f, c[4], "'" + lower(c[0].text) + "'");
  } else if (isWord(3, "laplace") && n > 6 && isEq(5)) {
    // PSpice: LAPLACE {input} = {transfer function}; the input, an expression of the circuit's
    // quantities, drives a node of its own
    from = 6;
    inP = nodeName(f, lower(c[0].text) + "#laplace_in");
    inM = "0";
    expressionProbe(f, c, 4, 5, inP);
  } else {
    return false;
  }
  d.nodes = {node(f, c[1], "'" + lower(c[0].text) + "'"), node(f, c[2], "'" + lower(c[0].text) + "'")};
  int depth = 0;
  const ExprSrc src = exprSource(c, from, to);
  const ir::Expression h = parseExpr(src, ExprMode::Value, depth);
  if (h.nodes.empty()) failAt(c[from], ErrorCode::Parse, "missing transfer function of " + what);
  const Rational r = RationalOf(*this, f, h, c[from]).of(std::uint32_t(h.nodes.size() - 1));
  Poly num = r.n, den = r.d;
  trim(num);
  trim(den);
  if (num.size() > den.size())
    failAt(c[from], ErrorCode::Semantic,
           "Laplace transfer function '" + h.text + "' of " + what +
               ": the numerator's degree exceeds the denominator's (an ideal differentiator has no finite "
               "response at high frequencies; add a pole)");
  // the normalised variable s' = s/wd with wd the poles' geometric mean (|a0/an|^(1/n)), so
  // that the block's states are of the size of its signals (L C = 2e-14 s^2 would be 1e-14)
  const std::size_t order = den.size() - 1;
  double wd = 1.0;
  if (order > 0 && den[0] != 0.0) wd = std::pow(std::fabs(den[0] / den[order]), 1.0 / double(order));
  if (!(wd > 0) || !std::isfinite(wd)) wd = 1.0;
  // (descending powers of s', s_xfer's order)
  std::vector<double> numS, denS;
  for (std::size_t k = num.size(); k-- > 0;) numS.push_back(num[k] * std::pow(wd, double(k)));
  for (std::size_t k = den.size(); k-- > 0;) denS.push_back(den[k] * std::pow(wd, double(k)));
  for (double v : numS)
    if (!std::isfinite(v)) failAt(c[from], ErrorCode::Semantic, "Laplace transfer function of " + what + " is not finite");
  for (double v : denS)
    if (!std::isfinite(v)) failAt(c[from], ErrorCode::Semantic, "Laplace transfer function of " + what + " is not finite");
  ir::Model m;
  m.name = f.prefix + lower(c[0].text) + "#laplace";
  m.type = "s_xfer";
  m.loc = locOf(c[from]);
  auto param = [&](const char* name, std::vector<double> values) {
    ir::Param p;
    p.name = name;
    p.value = values.front();
    if (values.size() > 1 || std::string_view(name).find("coeff") != std::string_view::npos) p.values = std::move(values);
    p.loc = m.loc;
    m.params.push_back(std::move(p));
  };
  param("num_coeff", numS);
  param("den_coeff", denS);
  param("denormalized_freq", {wd});
  param("gain", {1.0});
  param("in_offset", {0.0});
  d.model = int(c_.models.size());
  c_.models.push_back(std::move(m));
  d.letter = 'a';
  d.value.reset();
  d.ports = {1, 1};
  // (a G's current leaves n+ through the source into n-, as an %id output's)
  d.nodes = {inP, inM, d.nodes[0], d.nodes[1]};
  d.portTypes = {ir::Device::PortType::Vd, letter == 'e' ? ir::Device::PortType::Vd : ir::Device::PortType::Id};
  const ir::Device::PortAt at{int(c[1].line), int(c[1].col)};
  d.portAt = {at, at};
  return true;
}

}  // namespace simcore::netlist
