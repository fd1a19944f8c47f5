// nutmeg vector expressions: a recursive-descent parser that evaluates as it
// reads. Precedence, lowest first: or, and, not, comparisons, + -, * / %,
// unary -, ^, indexing [i] / [lo,hi]. The built-in functions are in
// vector_functions.cpp; define'd ones are evaluated here.
#include "script/vectors.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "netlist/number.hpp"
#include "script/vector_ops.hpp"

namespace simcore::script {
namespace {

bool nameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '#' || c == '.' || c == ':' || c == '@';
}

std::string lowerStr(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = char(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

// Element-wise combination of a and b (a scalar operand is repeated; otherwise
// the shorter length wins).
template <class F>
Vec combine(const Vec& a, const Vec& b, bool complexOut, F f) {
  Vec r;
  std::size_t n = (a.size() == 1 || b.size() == 1) ? std::max(a.size(), b.size()) : std::min(a.size(), b.size());
  if (a.size() == 0 || b.size() == 0) n = 0;
  r.complex = complexOut;
  r.re.resize(n);
  if (complexOut) r.im.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    cplx x = a.at(a.size() == 1 ? 0 : i), y = b.at(b.size() == 1 ? 0 : i);
    cplx z = f(x, y);
    r.re[i] = z.real();
    if (complexOut) r.im[i] = z.imag();
  }
  const Vec& longer = a.size() >= b.size() ? a : b;
  r.scale = longer.size() > 1 ? longer.scale : (a.scale ? a.scale : b.scale);
  r.plot = a.plot >= 0 ? a.plot : b.plot;
  return r;
}

class Parser {
 public:
  Parser(std::string_view text, const EvalContext& ctx, int depth = 0) : s_(text), ctx_(ctx), depth_(depth) {}

  // The whole text as one expression (a user function's body).
  Vec whole() {
    Vec v = condExpr();
    skip();
    if (p_ < s_.size()) fail("unexpected '" + std::string(s_.substr(p_)) + "' after the expression");
    return v;
  }

  Result<std::vector<Vec>> list() {
    std::vector<Vec> out;
    try {
      skip();
      while (p_ < s_.size()) {
        std::size_t start = p_;
        Vec v = condExpr();
        if (v.name.empty()) v.name = textOf(start, p_);
        out.push_back(std::move(v));
        skip();
        if (p_ < s_.size() && s_[p_] == ',') ++p_, skip();
      }
    } catch (const Error& e) {
      return e;
    }
    return out;
  }

 private:
  std::string_view s_;
  const EvalContext& ctx_;
  int depth_ = 0;  // user-function nesting
  std::size_t p_ = 0;

  [[noreturn]] void fail(const std::string& msg) const { throw makeError(ErrorCode::Semantic, msg); }

  std::string textOf(std::size_t a, std::size_t b) const {
    std::string r;
    for (std::size_t i = a; i < b; ++i)
      if (!std::isspace(static_cast<unsigned char>(s_[i]))) r += char(std::tolower(static_cast<unsigned char>(s_[i])));
    return r;
  }
  void skip() {
    while (p_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[p_]))) ++p_;
  }
  bool peek(std::string_view op) {
    skip();
    return s_.substr(p_, op.size()) == op;
  }
  // A word operator (gt, and, ...) followed by a non-name character.
  bool peekWord(std::string_view w) {
    skip();
    if (s_.size() - p_ < w.size()) return false;
    for (std::size_t i = 0; i < w.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(s_[p_ + i])) != w[i]) return false;
    return p_ + w.size() == s_.size() || !nameChar(s_[p_ + w.size()]);
  }
  bool eat(std::string_view op) {
    if (!peek(op)) return false;
    p_ += op.size();
    return true;
  }
  bool eatWord(std::string_view w) {
    if (!peekWord(w)) return false;
    p_ += w.size();
    return true;
  }

  // cond ? a : b (nutmeg's, the loosest binding): a scalar condition picks
  // one whole vector; both are parsed (and evaluated)
  Vec condExpr() {
    Vec c = orExpr();
    if (!(peek("?") && eat("?"))) return c;
    Vec a = condExpr();
    if (!eat(":")) fail("expected ':' after 'cond ? value' in an expression");
    Vec b = condExpr();
    if (c.size() != 1) fail("the condition of 'cond ? a : b' must be a scalar");
    return truth(c) ? a : b;
  }
  Vec orExpr() {
    Vec a = andExpr();
    while (eatWord("or") || (peek("|") && eat("|"))) {
      Vec b = andExpr();
      a = combine(a, b, false, [](cplx x, cplx y) { return cplx(x != 0.0 || y != 0.0); });
    }
    return a;
  }
  Vec andExpr() {
    Vec a = notExpr();
    while (eatWord("and") || (peek("&") && eat("&"))) {
      Vec b = notExpr();
      a = combine(a, b, false, [](cplx x, cplx y) { return cplx(x != 0.0 && y != 0.0); });
    }
    return a;
  }
  Vec notExpr() {
    if (eatWord("not") || (peek("!") && !peek("!=") && eat("!")) || eat("~")) {
      Vec a = notExpr();
      return mapAll(a, false, [](cplx x) { return cplx(x == 0.0); });
    }
    return compare();
  }
  Vec compare() {
    Vec a = additive();
    while (true) {
      int op;  // 0 eq 1 ne 2 lt 3 le 4 gt 5 ge
      if (eat(">=") || eatWord("ge")) op = 5;
      else if (eat("<=") || eatWord("le")) op = 3;
      else if (eat("<>") || eat("><") || eat("!=") || eatWord("ne")) op = 1;
      else if (eat(">") || eatWord("gt")) op = 4;
      else if (eat("<") || eatWord("lt")) op = 2;
      else if (eat("==") || eat("=") || eatWord("eq")) op = 0;
      else return a;
      Vec b = additive();
      a = combine(a, b, false, [op](cplx x, cplx y) {
        double u = x.real(), v = y.real();
        bool r = op == 0 ? x == y : op == 1 ? x != y : op == 2 ? u < v : op == 3 ? u <= v : op == 4 ? u > v : u >= v;
        return cplx(r);
      });
    }
  }
  Vec additive() {
    Vec a = multiplicative();
    while (true) {
      if (eat("+")) {
        Vec b = multiplicative();
        a = combine(a, b, a.complex || b.complex, [](cplx x, cplx y) { return x + y; });
      } else if (eat("-")) {
        Vec b = multiplicative();
        a = combine(a, b, a.complex || b.complex, [](cplx x, cplx y) { return x - y; });
      } else {
        return a;
      }
    }
  }
  Vec multiplicative() {
    Vec a = unary();
    while (true) {
      if (eat("*")) {
        Vec b = unary();
        a = combine(a, b, a.complex || b.complex, [](cplx x, cplx y) { return x * y; });
      } else if (eat("/")) {
        Vec b = unary();
        a = combine(a, b, a.complex || b.complex, [](cplx x, cplx y) { return x / y; });
      } else if (eat("%")) {
        Vec b = unary();
        a = combine(a, b, false, [](cplx x, cplx y) { return cplx(std::fmod(x.real(), y.real())); });
      } else {
        return a;
      }
    }
  }
  Vec unary() {
    if (eat("-")) {
      Vec a = unary();
      return mapAll(a, a.complex, [](cplx x) { return -x; });
    }
    if (eat("+")) return unary();
    return power();
  }
  Vec power() {
    Vec a = postfix();
    if (eat("^") || eat("**")) {
      Vec b = unary();  // right-associative
      bool c = a.complex || b.complex;
      return combine(a, b, c, [c](cplx x, cplx y) {
        return c ? std::pow(x, y) : cplx(std::pow(x.real(), y.real()));
      });
    }
    return a;
  }
  Vec postfix() {
    Vec a = primary();
    while (peek("[")) {
      ++p_;
      Vec lo = orExpr();
      Vec hi = lo;
      if (eat(",") || eat(":")) hi = orExpr();
      if (!eat("]")) fail("expected ']' in an index");
      if (lo.size() != 1 || hi.size() != 1) fail("an index must be a single number");
      long i = std::lround(lo.re[0]), j = std::lround(hi.re[0]);
      if (i < 0 || j < 0 || std::size_t(std::max(i, j)) >= a.size())
        fail("index out of range: '" + a.name + "' has " + std::to_string(a.size()) + " elements");
      Vec r;
      r.complex = a.complex;
      long step = j >= i ? 1 : -1;
      for (long k = i;; k += step) {
        r.re.push_back(a.re[std::size_t(k)]);
        if (a.complex) r.im.push_back(a.im[std::size_t(k)]);
        if (k == j) break;
      }
      r.plot = a.plot;
      r.scale = nullptr;
      a = std::move(r);
    }
    return a;
  }

  const Vec& need(const std::string& name, const std::string& shown) {
    const Vec* v = ctx_.lookup ? ctx_.lookup(name) : nullptr;
    if (!v) fail("no such vector '" + shown + "'");
    return *v;
  }

  // v(a), v(a,b), vdb(a) ..., i(x): the raw text up to ')'; `plot` is a
  // plot name before it (tran1.v(out)), with its dot.
  Vec probe(const std::string& fn, const std::string& plot = "") {
    std::size_t close = s_.find(')', p_);
    if (close == std::string_view::npos) fail("expected ')' after " + fn + "(");
    std::string inner = textOf(p_, close);
    p_ = close + 1;
    std::string a = inner, b;
    if (auto comma = inner.find(','); comma != std::string::npos) a = inner.substr(0, comma), b = inner.substr(comma + 1);
    if (a.empty()) fail(fn + "() needs a node or device name");
    Vec r;
    if (fn == "i") {
      if (!b.empty()) fail("i() takes one name");
      r = need(plot + a + "#branch", plot + "i(" + a + ")");
      r.name = plot + "i(" + a + ")";
      return r;
    }
    auto node = [&](const std::string& n) -> Vec {
      if (n == "0" || n == "gnd") return scalar(0.0);
      return need(plot + n, plot + "v(" + n + ")");
    };
    r = node(a);
    if (!b.empty()) {
      Vec vb = node(b);
      r = combine(r, vb, r.complex || vb.complex, [](cplx x, cplx y) { return x - y; });
    }
    if (fn == "vdb") r = mapAll(r, false, [](cplx x) { return cplx(20.0 * std::log10(std::abs(x))); });
    else if (fn == "vm") r = mapAll(r, false, [](cplx x) { return cplx(std::abs(x)); });
    else if (fn == "vp") r = mapAll(r, false, [&](cplx x) { return cplx(std::arg(x) * (ctx_.degrees ? 180.0 / std::numbers::pi : 1.0)); });
    else if (fn == "vr") r = mapAll(r, false, [](cplx x) { return cplx(x.real()); });
    else if (fn == "vi") r = mapAll(r, false, [](cplx x) { return cplx(x.imag()); });
    r.name = plot + fn + "(" + inner + ")";
    return r;
  }

  static bool isProbe(const std::string& n) {
    return n == "v" || n == "i" || n == "vdb" || n == "vm" || n == "vp" || n == "vr" || n == "vi";
  }

  Vec primary() {
    skip();
    if (p_ >= s_.size()) fail("expected a value at the end of '" + std::string(s_) + "'");
    char c = s_[p_];
    if (c == '(') {
      ++p_;
      Vec v = condExpr();
      // ngspice's comma operator, `(0, 2)`: a complex number, element-wise
      // re(a) + im(b) + j (im(a) + re(b)) (its cx_comma)
      if (eat(",")) {
        Vec b = condExpr();
        v = combine(v, b, true, [](cplx x, cplx y) { return cplx(x.real() + y.imag(), x.imag() + y.real()); });
      }
      if (!eat(")")) fail("expected ')'");
      v.name.clear();
      return v;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || (c == '.' && p_ + 1 < s_.size() && std::isdigit(static_cast<unsigned char>(s_[p_ + 1])))) {
      double v = 0;
      bool oor = false;
      std::size_t n = netlist::scanNumber(s_.substr(p_), v, oor);
      if (n == 0) fail("bad number");
      p_ += n;
      return scalar(v);
    }
    if (c == '"') {
      // "temp-sweep": a vector whose name is not a word (ngspice's quoted names)
      const std::size_t close = s_.find('"', p_ + 1);
      if (close == std::string_view::npos) fail("'\"' is never closed");
      std::string name = lowerStr(s_.substr(p_ + 1, close - p_ - 1));
      p_ = close + 1;
      Vec r = need(name, name);
      r.name = name;
      return r;
    }
    if (!nameChar(c)) fail(std::string("unexpected '") + c + "'");
    std::size_t b = p_;
    while (p_ < s_.size() && nameChar(s_[p_])) ++p_;
    // @dev[param]: the bracket belongs to the name (a device or model quantity)
    if (c == '@' && p_ < s_.size() && s_[p_] == '[') {
      const std::size_t close = s_.find(']', p_);
      if (close != std::string_view::npos) p_ = close + 1;
    }
    std::string name = lowerStr(s_.substr(b, p_ - b));
    skip();
    if (p_ < s_.size() && s_[p_] == '(') {
      if (isProbe(name)) {
        ++p_;
        return probe(name);
      }
      if (auto dot = name.rfind('.'); dot != std::string::npos && dot > 0 && isProbe(name.substr(dot + 1))) {
        ++p_;
        return probe(name.substr(dot + 1), name.substr(0, dot + 1));
      }
      // a .pz's vectors pole(1), zero(2): names with parentheses, not calls
      if (const std::size_t close = s_.find(')', p_);
          (name == "pole" || name == "zero") && close != std::string_view::npos && ctx_.lookup) {
        std::string inner;
        for (char ch : s_.substr(p_ + 1, close - p_ - 1))
          if (ch != ' ' && ch != '\t') inner += ch;
        const std::string whole = name + "(" + lowerStr(inner) + ")";
        if (inner.find('(') == std::string::npos && !(ctx_.function && ctx_.function(name, 1)) &&
            std::all_of(inner.begin(), inner.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); }))
          if (const Vec* known = ctx_.lookup(whole)) {
            p_ = close + 1;
            Vec r = *known;
            r.name = whole;
            return r;
          }
      }
      ++p_;
      std::vector<Vec> args;
      if (!eat(")")) {
        while (true) {
          args.push_back(condExpr());
          if (eat(")")) break;
          if (!eat(",")) fail("expected ',' or ')' in the arguments of " + name + "()");
        }
      }
      Vec r = call(name, args);
      r.name = textOf(b, p_);
      return r;
    }
    if (const Vec* known = ctx_.lookup ? ctx_.lookup(name) : nullptr) {
      Vec r = *known;
      r.name = name;
      return r;
    }
    // ngspice's constants plot (its predefined vectors), shadowed by a vector of that name
    std::string_view bare = name;
    if (bare.starts_with("const.")) bare.remove_prefix(6);
    else if (bare.starts_with("constants.")) bare.remove_prefix(10);
    if (bare == "i") {
      Vec r = scalar(0.0);
      r.complex = true;
      r.im = {1.0};
      r.name = name;
      return r;
    }
    static const std::pair<const char*, double> kConstants[] = {
        {"pi", std::numbers::pi}, {"e", std::numbers::e}, {"c", 299792458.0},  {"kelvin", -273.15},
        {"echarge", 1.6021766208e-19}, {"boltz", 1.38064852e-23}, {"planck", 6.626070040e-34},
        {"yes", 1}, {"true", 1}, {"no", 0}, {"false", 0}};
    for (const auto& [cname, value] : kConstants)
      if (bare == cname) return scalar(value);
    Vec r = need(name, name);
    r.name = name;
    return r;
  }

  Vec call(const std::string& f, std::vector<Vec>& args) {
    if (const UserFunction* uf = ctx_.function ? ctx_.function(f, args.size()) : nullptr) return callUser(f, *uf, args);
    if (args.size() != 1) fail(f + "() takes one argument, got " + std::to_string(args.size()));
    return builtinFunction(f, args[0], ctx_);
  }

  // A define'd function: its body with the parameters bound to the arguments.
  Vec callUser(const std::string& f, const UserFunction& uf, const std::vector<Vec>& args) {
    if (depth_ > 50) fail("'" + f + "()' calls itself more than 50 deep");
    EvalContext inner = ctx_;
    const Lookup outer = ctx_.lookup;
    const std::vector<std::string>& names = uf.params;
    inner.lookup = [&names, &args, outer](const std::string& n) -> const Vec* {
      for (std::size_t k = 0; k < names.size(); ++k)
        if (names[k] == n) return &args[k];
      return outer ? outer(n) : nullptr;
    };
    Parser p(uf.body, inner, depth_ + 1);
    Vec r = p.whole();
    return r;
  }
};

}  // namespace

Result<std::vector<Vec>> evaluateList(std::string_view text, const EvalContext& ctx) {
  Parser p(text, ctx);
  return p.list();
}

Result<Vec> evaluateOne(std::string_view text, const EvalContext& ctx) {
  auto l = evaluateList(text, ctx);
  if (!l) return l.takeError();
  if (l->size() != 1)
    return makeError(ErrorCode::Semantic, "expected one expression, found " + std::to_string(l->size()) + " in '" +
                                              std::string(text) + "'");
  return std::move(l.value()[0]);
}

namespace {

// The expansions of one word (no blanks, no quotes in it).
std::vector<std::string> expandWord(const std::string& w) {
  const std::size_t open = w.find('{');
  if (open == std::string::npos) return {w};
  std::size_t close = open + 1;
  std::vector<std::string> parts(1);
  for (int depth = 1; close < w.size(); ++close) {
    const char ch = w[close];
    if (ch == '{') ++depth;
    else if (ch == '}' && --depth == 0) break;
    if (ch == ',' && depth == 1) parts.emplace_back();
    else parts.back() += ch;
  }
  if (close >= w.size()) return {w};  // never closed: as it is
  const std::string head = w.substr(0, open);
  const std::vector<std::string> tails = expandWord(w.substr(close + 1));
  std::vector<std::string> out;
  for (const std::string& part : parts)
    for (const std::string& inner : expandWord(part))
      for (const std::string& tail : tails) out.push_back(head + inner + tail);
  return out;
}

}  // namespace

std::string expandBraces(std::string_view text) {
  if (text.find('{') == std::string_view::npos) return std::string(text);
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      out += text[i++];
      continue;
    }
    // a word: up to a blank outside quotes
    std::size_t b = i;
    char quote = 0;
    bool quoted = false;
    for (; i < text.size(); ++i) {
      const char ch = text[i];
      if (quote) {
        if (ch == quote) quote = 0;
      } else if (ch == '"' || ch == '\'') {
        quote = ch;
        quoted = true;
      } else if (std::isspace(static_cast<unsigned char>(ch))) {
        break;
      }
    }
    const std::string word(text.substr(b, i - b));
    if (quoted || word.find('{') == std::string::npos) {
      out += word;
      continue;
    }
    const std::vector<std::string> words = expandWord(word);
    for (std::size_t k = 0; k < words.size(); ++k) out += (k ? " " : "") + words[k];
  }
  return out;
}

Result<Vec> composeVector(std::string_view args, const EvalContext& ctx) {
  std::string spaced;
  for (char ch : args) spaced += ch == '=' ? std::string(" = ") : std::string(1, ch);
  std::vector<std::string> w;
  for (std::size_t i = 0; i < spaced.size();) {
    while (i < spaced.size() && std::isspace(static_cast<unsigned char>(spaced[i]))) ++i;
    std::size_t b = i;
    while (i < spaced.size() && !std::isspace(static_cast<unsigned char>(spaced[i]))) ++i;
    if (i > b) w.push_back(spaced.substr(b, i - b));
  }
  auto bad = [](std::string msg) { return makeError(ErrorCode::Semantic, std::move(msg)); };
  if (w.size() < 2) return bad("expected compose NAME values V1 V2 ... or compose NAME start=A stop=B step=S");
  auto lowered = [](std::string t) {
    for (char& ch : t) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    return t;
  };
  Vec r;
  r.name = lowered(w[0]);
  if (lowered(w[1]) == "values") {
    std::string rest;
    for (std::size_t k = 2; k < w.size(); ++k) rest += w[k] + " ";
    auto l = evaluateList(rest, ctx);
    if (!l) return l.takeError();
    for (const Vec& v : l.value()) r.re.insert(r.re.end(), v.re.begin(), v.re.end());
    return r;
  }
  double start = 0, stop = 0, step = 0, lin = 0;
  bool hasStart = false, hasStop = false, hasStep = false, hasLin = false;
  for (std::size_t k = 1; k < w.size(); k += 3) {
    if (k + 2 >= w.size() || w[k + 1] != "=") return bad("expected PARAM=VALUE in compose, found '" + w[k] + "'");
    const std::string key = lowered(w[k]);
    auto v = evaluateOne(w[k + 2], ctx);
    if (!v) return bad("bad value of '" + key + "' in compose: " + v.error().message);
    if (v->size() != 1) return bad("bad value of '" + key + "' in compose");
    const double x = v->re[0];
    if (key == "start") start = x, hasStart = true;
    else if (key == "stop") stop = x, hasStop = true;
    else if (key == "step") step = x, hasStep = true;
    else if (key == "lin") lin = x, hasLin = true;
    else return bad("compose parameter '" + key + "' is not supported (start, stop, step, lin; values)");
  }
  if (!hasLin) {
    if (!(hasStart && hasStop && hasStep) || step == 0) return bad("compose needs lin=N, or all of start, stop and step");
    if ((stop - start > 0) != (step > 0)) step = -step;
    lin = (stop - start) / step + 1.0;
    hasStep = false;
  }
  if (!(lin >= 1) || lin > 1e8) return bad("the number of points of compose must be positive");
  if (!hasStart) start = hasStop ? (hasStep ? stop - step * (lin - 1) : stop - lin + 1) : 0;
  if (!hasStop) stop = hasStep ? start + step * (lin - 1) : start + lin - 1;
  if (!hasStep) step = lin > 1 ? (stop - start) / (lin - 1) : 0;
  double t = start;
  for (int i = 0; i < int(lin); ++i, t += step) r.re.push_back(t);
  return r;
}

bool parseDefine(std::string_view args, std::string& name, UserFunction& f, std::string& why) {
  std::size_t i = 0;
  auto blank = [&] {
    while (i < args.size() && std::isspace(static_cast<unsigned char>(args[i]))) ++i;
  };
  blank();
  std::size_t b = i;
  while (i < args.size() && (std::isalnum(static_cast<unsigned char>(args[i])) || args[i] == '_')) ++i;
  name = lowerStr(args.substr(b, i - b));
  blank();
  if (name.empty() || i >= args.size() || args[i] != '(') {
    why = "expected define NAME(ARG, ...) EXPRESSION";
    return false;
  }
  ++i;
  f.params.clear();
  while (true) {
    blank();
    std::size_t pb = i;
    while (i < args.size() && (std::isalnum(static_cast<unsigned char>(args[i])) || args[i] == '_')) ++i;
    if (i > pb) f.params.push_back(lowerStr(args.substr(pb, i - pb)));
    blank();
    if (i < args.size() && args[i] == ',' && i > pb) {
      ++i;
      continue;
    }
    if (i < args.size() && args[i] == ')') break;
    why = "expected define NAME(ARG, ...) EXPRESSION";
    return false;
  }
  ++i;
  blank();
  f.body = std::string(args.substr(i));
  while (!f.body.empty() && std::isspace(static_cast<unsigned char>(f.body.back()))) f.body.pop_back();
  if (f.body.empty()) {
    why = "define " + name + "() has no expression";
    return false;
  }
  return true;
}

bool truth(const Vec& v) {
  for (std::size_t i = 0; i < v.size(); ++i)
    if (v.at(i) != 0.0) return true;
  return false;
}

std::vector<std::string> vectorWords(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!nameChar(text[i])) {
      ++i;
      continue;
    }
    std::size_t b = i;
    while (i < text.size() && nameChar(text[i])) ++i;
    out.push_back(lowerStr(text.substr(b, i - b)));
  }
  return out;
}

std::string printNumber(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, v < 0 ? "%.5e" : "%.6e", v);
  return buf;
}

}  // namespace simcore::script
