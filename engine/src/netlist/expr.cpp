#include "netlist/expr.hpp"

#include <cmath>
#include <cstdio>
#include <numbers>

#include "netlist/number.hpp"
#include "netlist/tokens.hpp"

namespace simcore::netlist {
namespace {

bool isIdStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool isIdChar(char c) { return isIdStart(c) || (c >= '0' && c <= '9'); }

struct Func {
  const char* name;
  int arity;
};

constexpr Func kFuncs[] = {
    {"sqrt", 1}, {"exp", 1},  {"log", 1},   {"ln", 1},    {"log10", 1}, {"sin", 1},  {"cos", 1},
    {"tan", 1},  {"atan", 1}, {"asin", 1},  {"acos", 1},  {"abs", 1},   {"min", 2},  {"max", 2},
    {"pow", 2},  {"sinh", 1}, {"cosh", 1},  {"tanh", 1},  {"floor", 1}, {"ceil", 1}, {"int", 1},
    {"sgn", 1},  {"atan2", 2}};

const Func* findFunc(std::string_view lname) {
  for (const Func& f : kFuncs)
    if (lname == f.name) return &f;
  return nullptr;
}

std::string funcList() {
  std::string r;
  for (const Func& f : kFuncs) {
    if (!r.empty()) r += ' ';
    r += f.name;
  }
  return r;
}

class Parser {
 public:
  Parser(const ExprSrc& s, ParamLookup& env, int& depth) : s_(s), t_(s.text), env_(env), depth_(depth) {}

  double run() {
    ws();
    if (p_ >= t_.size()) fail(ErrorCode::Parse, "empty expression", at(p_));
    double v = ternary();
    ws();
    if (p_ < t_.size()) {
      if (t_[p_] == ')')
        fail(ErrorCode::Parse, "unbalanced parentheses in expression: ')' without '('", at(p_));
      fail(ErrorCode::Parse, "unexpected '" + std::string(1, t_[p_]) + "' in expression", at(p_));
    }
    if (!std::isfinite(v)) fail(ErrorCode::Semantic, "expression value is not a finite number", at(0));
    return v;
  }

 private:
  SourceLoc at(std::size_t k) const {
    return SourceLoc{s_.file ? *s_.file : std::string(), static_cast<int>(s_.line),
                     static_cast<int>(s_.col + k)};
  }
  void ws() {
    while (p_ < t_.size() && (t_[p_] == ' ' || t_[p_] == '\t' || t_[p_] == '\r')) ++p_;
  }
  bool eat(std::string_view op) {
    ws();
    if (t_.substr(p_, op.size()) == op) {
      p_ += op.size();
      return true;
    }
    return false;
  }
  char peek() {
    ws();
    return p_ < t_.size() ? t_[p_] : '\0';
  }
  void enter() {
    if (++depth_ > kMaxExprDepth)
      fail(ErrorCode::Limit, "expressions nested too deeply (more than " + std::to_string(kMaxExprDepth) + " levels, counting referenced parameters)",
           at(p_));
  }

  double ternary() {
    enter();
    double c = orExpr();
    if (peek() == '?') {
      ++p_;
      bool saved = live_;
      live_ = saved && c != 0.0;
      double a = ternary();
      live_ = saved;
      if (!eat(":")) fail(ErrorCode::Parse, "expected ':' in conditional expression", at(p_));
      live_ = saved && c == 0.0;
      double b = ternary();
      live_ = saved;
      c = (c != 0.0) ? a : b;
    }
    --depth_;
    return c;
  }
  double orExpr() {
    double v = andExpr();
    while (eat("||")) {
      double r = andExpr();
      v = (v != 0.0 || r != 0.0) ? 1.0 : 0.0;
    }
    return v;
  }
  double andExpr() {
    double v = cmp();
    while (eat("&&")) {
      double r = cmp();
      v = (v != 0.0 && r != 0.0) ? 1.0 : 0.0;
    }
    return v;
  }
  double cmp() {
    double v = add();
    for (;;) {
      if (eat("==")) v = (v == add()) ? 1.0 : 0.0;
      else if (eat("!=")) v = (v != add()) ? 1.0 : 0.0;
      else if (eat("<=")) v = (v <= add()) ? 1.0 : 0.0;
      else if (eat(">=")) v = (v >= add()) ? 1.0 : 0.0;
      else if (eat("<")) v = (v < add()) ? 1.0 : 0.0;
      else if (eat(">")) v = (v > add()) ? 1.0 : 0.0;
      else return v;
    }
  }
  double add() {
    double v = mul();
    for (;;) {
      char c = peek();
      if (c == '+') { ++p_; v += mul(); }
      else if (c == '-') { ++p_; v -= mul(); }
      else return v;
    }
  }
  double mul() {
    double v = unary();
    for (;;) {
      char c = peek();
      if (c == '*' && !(p_ + 1 < t_.size() && t_[p_ + 1] == '*')) {
        ++p_;
        v *= unary();
      } else if (c == '/') {
        std::size_t opAt = p_++;
        double d = unary();
        if (d == 0.0) {
          if (live_) fail(ErrorCode::Semantic, "division by zero", at(opAt));
          v = 0.0;
        } else {
          v /= d;
        }
      } else if (c == '%') {
        std::size_t opAt = p_++;
        double d = unary();
        if (d == 0.0) {
          if (live_) fail(ErrorCode::Semantic, "division by zero (in '%')", at(opAt));
          v = 0.0;
        } else {
          v = std::fmod(v, d);
        }
      } else {
        return v;
      }
    }
  }
  double unary() {
    enter();
    double v;
    char c = peek();
    if (c == '-') { ++p_; v = -unary(); }
    else if (c == '+') { ++p_; v = unary(); }
    else if (c == '!' && !(p_ + 1 < t_.size() && t_[p_ + 1] == '=')) { ++p_; v = (unary() == 0.0) ? 1.0 : 0.0; }
    else v = power();
    --depth_;
    return v;
  }
  double power() {
    double base = primary();
    std::size_t opAt = p_;
    if (eat("**") || eat("^")) {
      double e = unary();
      double r = std::pow(base, e);
      if (live_ && !std::isfinite(r))
        fail(ErrorCode::Semantic, "power " + num(base) + "^" + num(e) + " is not a finite real number", at(opAt));
      return r;
    }
    return base;
  }
  static std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
  }
  double primary() {
    enter();
    ws();
    if (p_ >= t_.size()) fail(ErrorCode::Parse, "expression ends where a value was expected", at(p_));
    char c = t_[p_];
    double v = 0.0;
    if (c == '(') {
      std::size_t openAt = p_++;
      v = ternary();
      if (!eat(")"))
        fail(ErrorCode::Parse, "unbalanced parentheses in expression: '(' is never closed", at(openAt));
    } else if ((c >= '0' && c <= '9') || c == '.') {
      bool oor = false;
      std::size_t used = scanNumber(t_.substr(p_), v, oor);
      if (used == 0) fail(ErrorCode::Parse, "bad number in expression", at(p_));
      if (oor) fail(ErrorCode::Parse, "number out of range", at(p_));
      p_ += used;
      if (p_ < t_.size() && (isIdChar(t_[p_]) || t_[p_] == '.'))
        fail(ErrorCode::Parse, "bad number in expression: unexpected '" + std::string(1, t_[p_]) + "'", at(p_));
    } else if (isIdStart(c)) {
      std::size_t b = p_;
      while (p_ < t_.size() && isIdChar(t_[p_])) ++p_;
      std::string name = lower(t_.substr(b, p_ - b));
      if (peek() == '(') {
        v = call(name, b);
      } else if (name == "pi") {
        v = std::numbers::pi;
      } else {
        v = env_.lookup(name, at(b));
      }
    } else {
      fail(ErrorCode::Parse, "unexpected '" + std::string(1, c) + "' in expression: expected a number, a name or '('",
           at(p_));
    }
    --depth_;
    return v;
  }
  double call(const std::string& name, std::size_t nameAt) {
    const Func* f = findFunc(name);
    if (!f) fail(ErrorCode::Semantic, "unknown function '" + name + "' (known: " + funcList() + ")", at(nameAt));
    std::size_t openAt = p_++;  // '('
    double a[2] = {0, 0};
    int n = 0;
    if (peek() != ')') {
      for (;;) {
        double v = ternary();
        if (n < 2) a[n] = v;
        ++n;
        if (peek() == ',') { ++p_; continue; }
        break;
      }
    }
    if (!eat(")")) fail(ErrorCode::Parse, "unbalanced parentheses in call of '" + name + "': '(' is never closed", at(openAt));
    if (n != f->arity)
      fail(ErrorCode::Semantic,
           "function '" + name + "' takes " + std::to_string(f->arity) + " argument" + (f->arity == 1 ? "" : "s") +
               ", got " + std::to_string(n),
           at(nameAt));
    double x = a[0], y = a[1];
    auto domain = [&](bool ok) {
      if (!ok && live_) fail(ErrorCode::Semantic, "argument of " + name + "() out of its domain: " + num(x), at(nameAt));
    };
    if (name == "sqrt") { domain(x >= 0); return std::sqrt(x); }
    if (name == "exp") return std::exp(x);
    if (name == "log" || name == "ln") { domain(x > 0); return std::log(x); }
    if (name == "log10") { domain(x > 0); return std::log10(x); }
    if (name == "sin") return std::sin(x);
    if (name == "cos") return std::cos(x);
    if (name == "tan") return std::tan(x);
    if (name == "atan") return std::atan(x);
    if (name == "asin") { domain(x >= -1 && x <= 1); return std::asin(x); }
    if (name == "acos") { domain(x >= -1 && x <= 1); return std::acos(x); }
    if (name == "abs") return std::fabs(x);
    if (name == "min") return std::fmin(x, y);
    if (name == "max") return std::fmax(x, y);
    if (name == "pow") {
      double r = std::pow(x, y);
      if (live_ && !std::isfinite(r)) fail(ErrorCode::Semantic, "pow(" + num(x) + ", " + num(y) + ") is not a finite real number", at(nameAt));
      return r;
    }
    if (name == "sinh") return std::sinh(x);
    if (name == "cosh") return std::cosh(x);
    if (name == "tanh") return std::tanh(x);
    if (name == "floor") return std::floor(x);
    if (name == "ceil") return std::ceil(x);
    if (name == "int") return std::trunc(x);
    if (name == "sgn") return x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0);
    if (name == "atan2") return std::atan2(x, y);
    return 0.0;
  }

  const ExprSrc& s_;
  std::string_view t_;
  ParamLookup& env_;
  std::size_t p_ = 0;
  int& depth_;
  bool live_ = true;  // false inside the branch a conditional does not take
};

}  // namespace

double evalExpr(const ExprSrc& src, ParamLookup& env, int& depth) {
  int saved = depth;
  double v = Parser(src, env, depth).run();
  depth = saved;
  return v;
}

}  // namespace simcore::netlist
