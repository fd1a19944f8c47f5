#include "netlist/expr.hpp"

#include <cmath>
#include <cstdio>
#include <numbers>

#include "devices/expr_eval.hpp"
#include "netlist/number.hpp"
#include "netlist/tokens.hpp"

namespace simcore::netlist {

using ir::ExprNode;
using ir::ExprOp;

namespace {

bool isIdStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool isIdChar(char c) { return isIdStart(c) || (c >= '0' && c <= '9'); }

// Functions evaluated once, while the netlist is read (ngspice's instance-value random functions,
// and LTspice's mc(x, tol), flat(x) and one-argument gauss(sigma)).
bool isRandomFunction(std::string_view n, std::size_t args) {
  return n == "agauss" || n == "gauss" || n == "unif" || n == "aunif" || (n == "limit" && args == 2) ||
         (n == "mc" && args == 2) || (n == "flat" && args == 1);
}

std::string funcList() {
  std::string r;
  for (const dev::ExprFunction& f : dev::exprFunctions()) {
    if (!r.empty()) r += ' ';
    r += f.name;
  }
  return r + " sqr agauss gauss unif aunif mc flat";
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string argCount(int lo, int hi) {
  if (hi < 0) return "at least " + std::to_string(lo) + " arguments";
  if (lo == hi) return std::to_string(lo) + " argument" + (lo == 1 ? "" : "s");
  return std::to_string(lo) + " to " + std::to_string(hi) + " arguments";
}

// ---- parsing: text -> unfolded tree

class Parser {
 public:
  Parser(const ExprSrc& s, ExprMode mode, int& depth) : s_(s), t_(s.text), mode_(mode), depth_(depth) {
    e_.text = std::string(s.text);
    e_.loc = at(0);
  }

  ir::Expression run() {
    ws();
    if (p_ >= t_.size()) fail(ErrorCode::Parse, "empty expression", at(p_));
    ternary();
    ws();
    if (p_ < t_.size()) {
      if (t_[p_] == ')' || t_[p_] == '}')
        fail(ErrorCode::Parse, "unbalanced parentheses in expression: ')' without '('", at(p_));
      fail(ErrorCode::Parse, "unexpected '" + std::string(1, t_[p_]) + "' in expression", at(p_));
    }
    return std::move(e_);
  }

 private:
  SourceLoc at(std::size_t k) const {
    return SourceLoc{s_.file ? *s_.file : std::string(), static_cast<int>(s_.line), static_cast<int>(s_.col + k)};
  }
  void ws() {
    while (p_ < t_.size() && (t_[p_] == ' ' || t_[p_] == '\t' || t_[p_] == '\r' || t_[p_] == '\n')) ++p_;
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
  bool open() {
    char c = peek();
    if (c == '(' || c == '{') { ++p_; return true; }
    return false;
  }
  // A '(' at openAt not closed where the parser stands: at the end of the
  // text, or at a character that cannot go on the expression.
  [[noreturn]] void notClosed(std::size_t openAt, const std::string& what) {
    if (peek() == '\0') fail(ErrorCode::Parse, "unbalanced parentheses in " + what + ": '(' is never closed", at(openAt));
    const char c = t_[p_];
    fail(ErrorCode::Parse, "unexpected '" + std::string(1, c) + "' in " + what + ": expected ')'", at(p_));
  }
  bool close() {
    char c = peek();
    if (c == ')' || c == '}') { ++p_; return true; }
    return false;
  }
  void enter() {
    if (++depth_ > kMaxExprDepth)
      fail(ErrorCode::Limit,
           "expressions nested too deeply (more than " + std::to_string(kMaxExprDepth) +
               " levels, counting referenced parameters)",
           at(p_));
  }

  std::uint32_t node(ExprOp op, std::size_t col, std::initializer_list<std::uint32_t> kids, std::uint32_t index = 0) {
    return node(op, col, std::vector<std::uint32_t>(kids), index);
  }
  std::uint32_t node(ExprOp op, std::size_t col, const std::vector<std::uint32_t>& kids, std::uint32_t index = 0) {
    ExprNode n;
    n.op = op;
    n.col = static_cast<std::uint32_t>(col);
    n.index = index;
    n.first = static_cast<std::uint32_t>(e_.kids.size());
    n.count = static_cast<std::uint32_t>(kids.size());
    e_.kids.insert(e_.kids.end(), kids.begin(), kids.end());
    e_.nodes.push_back(n);
    return static_cast<std::uint32_t>(e_.nodes.size() - 1);
  }
  std::uint32_t constant(double v, std::size_t col) {
    std::uint32_t k = node(ExprOp::Const, col, {});
    e_.nodes[k].value = v;
    return k;
  }
  std::uint32_t nameIndex(const std::string& n) {
    for (std::size_t k = 0; k < e_.names.size(); ++k)
      if (e_.names[k] == n) return static_cast<std::uint32_t>(k);
    e_.names.push_back(n);
    return static_cast<std::uint32_t>(e_.names.size() - 1);
  }
  std::uint32_t var(ir::ExprVar::Kind kind, const std::string& name, std::size_t col) {
    std::uint32_t k = 0;
    for (; k < e_.vars.size(); ++k)
      if (e_.vars[k].kind == kind && e_.vars[k].name == name) break;
    if (k == e_.vars.size()) e_.vars.push_back(ir::ExprVar{kind, name});
    return node(ExprOp::Var, col, {}, k);
  }

  std::uint32_t ternary() {
    enter();
    std::size_t col = p_;
    std::uint32_t c = orExpr();
    if (peek() == '?') {
      col = p_++;
      std::uint32_t a = ternary();
      if (!eat(":")) fail(ErrorCode::Parse, "expected ':' in conditional expression", at(p_));
      std::uint32_t b = ternary();
      c = node(ExprOp::Cond, col, {c, a, b});
    }
    --depth_;
    return c;
  }
  std::uint32_t orExpr() {
    std::uint32_t v = andExpr();
    for (;;) {
      ws();
      std::size_t col = p_;
      // a single | is PSpice's and LTspice's or (vendor libraries; ngspice 39 rejects it)
      if (!eat("||") && !eat("|")) return v;
      v = node(ExprOp::Or, col, {v, andExpr()});
    }
  }
  std::uint32_t andExpr() {
    std::uint32_t v = cmp();
    for (;;) {
      ws();
      std::size_t col = p_;
      if (!eat("&&") && !eat("&")) return v;  // (& as |)
      v = node(ExprOp::And, col, {v, cmp()});
    }
  }
  std::uint32_t cmp() {
    std::uint32_t v = add();
    for (;;) {
      ws();
      std::size_t col = p_;
      ExprOp op;
      if (eat("==")) op = ExprOp::Eq;
      else if (eat("!=")) op = ExprOp::Ne;
      // ngspice's numparam (.param, {...}, .if) also reads a single = as == and <> as !=
      else if (mode_ == ExprMode::Value && eat("<>")) op = ExprOp::Ne;
      else if (mode_ == ExprMode::Value && peek() == '=') { ++p_; op = ExprOp::Eq; }
      else if (eat("<=")) op = ExprOp::Le;
      else if (eat(">=")) op = ExprOp::Ge;
      else if (eat("<")) op = ExprOp::Lt;
      else if (eat(">")) op = ExprOp::Gt;
      else return v;
      v = node(op, col, {v, add()});
    }
  }
  std::uint32_t add() {
    std::uint32_t v = mul();
    for (;;) {
      char c = peek();
      std::size_t col = p_;
      if (c == '+') { ++p_; v = node(ExprOp::Add, col, {v, mul()}); }
      else if (c == '-') { ++p_; v = node(ExprOp::Sub, col, {v, mul()}); }
      else return v;
    }
  }
  std::uint32_t mul() {
    std::uint32_t v = unary();
    for (;;) {
      char c = peek();
      std::size_t col = p_;
      if (c == '*' && !(p_ + 1 < t_.size() && t_[p_ + 1] == '*')) { ++p_; v = node(ExprOp::Mul, col, {v, unary()}); }
      else if (c == '/') { ++p_; v = node(ExprOp::Div, col, {v, unary()}); }
      else if (c == '%') { ++p_; v = node(ExprOp::Mod, col, {v, unary()}); }
      else return v;
    }
  }
  std::uint32_t unary() {
    enter();
    std::uint32_t v;
    char c = peek();
    std::size_t col = p_;
    if (c == '-') { ++p_; v = node(ExprOp::Neg, col, {unary()}); }
    else if (c == '+') { ++p_; v = unary(); }
    else if (c == '!' && !(p_ + 1 < t_.size() && t_[p_ + 1] == '=')) { ++p_; v = node(ExprOp::Not, col, {unary()}); }
    // '~': PSpice's logical not (ngspice's PSpice mode reads it as '!')
    else if (c == '~') { ++p_; v = node(ExprOp::Not, col, {unary()}); }
    else v = power();
    --depth_;
    return v;
  }
  std::uint32_t power() {
    std::uint32_t base = primary();
    ws();
    std::size_t col = p_;
    if (eat("**") || eat("^")) return node(ExprOp::Pow, col, {base, unary()});
    return base;
  }
  std::uint32_t primary() {
    enter();
    ws();
    if (p_ >= t_.size()) fail(ErrorCode::Parse, "expression ends where a value was expected", at(p_));
    char c = t_[p_];
    std::uint32_t v = 0;
    if (c == '(' || c == '{') {
      std::size_t openAt = p_++;
      v = ternary();
      if (!close()) notClosed(openAt, "expression");
    } else if (c == '\'') {
      // ngspice: a single-quoted sub-expression groups like parentheses
      std::size_t openAt = p_++;
      v = ternary();
      if (peek() != '\'') fail(ErrorCode::Parse, "unbalanced quotes in expression: this ' is never closed", at(openAt));
      ++p_;
    } else if ((c >= '0' && c <= '9') || c == '.') {
      double x = 0;
      bool oor = false;
      std::size_t used = scanNumber(t_.substr(p_), x, oor);
      if (used == 0) fail(ErrorCode::Parse, "bad number in expression", at(p_));
      if (oor) fail(ErrorCode::Parse, "number out of range", at(p_));
      v = constant(x, p_);
      p_ += used;
      if (p_ < t_.size() && (isIdChar(t_[p_]) || t_[p_] == '.'))
        fail(ErrorCode::Parse, "bad number in expression: unexpected '" + std::string(1, t_[p_]) + "'", at(p_));
    } else if (isIdStart(c)) {
      std::size_t b = p_;
      while (p_ < t_.size() && isIdChar(t_[p_])) ++p_;
      std::string name = lower(t_.substr(b, p_ - b));
      char next = peek();
      if ((next == '(') && (name == "v" || name == "i")) {
        v = probe(name, b);
      } else if (next == '(') {
        v = call(name, b);
      } else if (name == "pi") {
        v = constant(std::numbers::pi, b);
      } else if (mode_ == ExprMode::Behaviour && name == "time") {
        v = node(ExprOp::Time, b, {});
      } else if (mode_ == ExprMode::Behaviour && name == "temper") {
        v = node(ExprOp::Temper, b, {});
      } else if (mode_ == ExprMode::Behaviour && name == "hertz") {
        v = node(ExprOp::Hertz, b, {});
      } else {
        v = node(ExprOp::Param, b, {}, nameIndex(name));
      }
    } else {
      fail(ErrorCode::Parse, "unexpected '" + std::string(1, c) + "' in expression: expected a number, a name or '('",
           at(p_));
    }
    --depth_;
    return v;
  }
  // v(node), v(a, b), i(device): the names are read as written up to ',' or ')'.
  std::uint32_t probe(const std::string& fn, std::size_t nameAt) {
    if (mode_ == ExprMode::Value)
      fail(ErrorCode::Semantic,
           fn + "() is a quantity of the running analysis: it may appear only in B sources and E/F/G/H "
                "VALUE=, TABLE and POLY forms and the braced value of an R, C or L (R1 a b {expr} or R1 a b R={expr})",
           at(nameAt));
    std::size_t openAt = p_++;
    std::vector<std::pair<std::string, std::size_t>> names;
    for (;;) {
      ws();
      std::size_t b = p_;
      while (p_ < t_.size() && t_[p_] != ',' && t_[p_] != ')' && t_[p_] != ' ' && t_[p_] != '\t') ++p_;
      if (p_ == b) fail(ErrorCode::Parse, "expected a " + std::string(fn == "v" ? "node" : "device") + " name in " + fn + "()", at(p_));
      names.emplace_back(lower(t_.substr(b, p_ - b)), b);
      ws();
      if (p_ < t_.size() && t_[p_] == ',') { ++p_; continue; }
      break;
    }
    if (p_ >= t_.size() || t_[p_] != ')')
      fail(ErrorCode::Parse, "unbalanced parentheses in " + fn + "(): '(' is never closed", at(openAt));
    ++p_;
    if (fn == "i") {
      if (names.size() != 1) fail(ErrorCode::Parse, "i() takes one device name, got " + std::to_string(names.size()), at(nameAt));
      return var(ir::ExprVar::Kind::Current, names[0].first, names[0].second);
    }
    if (names.size() > 2) fail(ErrorCode::Parse, "v() takes one or two node names, got " + std::to_string(names.size()), at(nameAt));
    std::uint32_t a = var(ir::ExprVar::Kind::Voltage, names[0].first, names[0].second);
    if (names.size() == 1) return a;
    std::uint32_t b = var(ir::ExprVar::Kind::Voltage, names[1].first, names[1].second);
    return node(ExprOp::Sub, nameAt, {a, b});
  }
  std::uint32_t call(const std::string& name, std::size_t nameAt) {
    std::size_t openAt = p_++;  // '('
    std::vector<std::uint32_t> args;
    if (peek() != ')') {
      for (;;) {
        args.push_back(ternary());
        if (peek() == ',') { ++p_; continue; }
        break;
      }
    }
    if (!eat(")")) notClosed(openAt, "call of '" + name + "'");
    if (name == "sqr") {  // ngspice numparam: the square
      if (args.size() != 1)
        fail(ErrorCode::Semantic, "function 'sqr' takes 1 argument, got " + std::to_string(args.size()), at(nameAt));
      return node(ExprOp::Mul, nameAt, {args[0], args[0]});
    }
    if ((name == "max" || name == "min") && args.size() == 1)  // ngspice numparam: the missing first argument is 1
      args.insert(args.begin(), constant(1.0, nameAt));
    const dev::ExprFunction* f = dev::findExprFunction(name);
    const int n = static_cast<int>(args.size());
    // a call the built-in cannot take (its arity) is left to a .func of that
    // name, resolved when folded (which reports the arity when there is none)
    if (!f || f->yieldsToFunc || isRandomFunction(name, args.size()) || n < f->minArgs ||
        (f->maxArgs >= 0 && n > f->maxArgs))
      return node(ExprOp::UserFunc, nameAt, args, nameIndex(name));
    if ((f->op == ExprOp::Pwl || f->op == ExprOp::Table) && n % 2 == 0)
      fail(ErrorCode::Semantic, "function '" + name + "' takes x and then x, y pairs: got an odd number of point values",
           at(nameAt));
    const auto index = static_cast<std::uint32_t>(f - dev::exprFunctions().data()) + 1;
    return node(f->op, nameAt, args, index);
  }

  const ExprSrc& s_;
  std::string_view t_;
  ExprMode mode_;
  std::size_t p_ = 0;
  int& depth_;
  ir::Expression e_;
};

// ---- folding: unfolded tree -> number (Value) or folded tree (Behaviour)

struct Folded {
  bool isConst = true;
  double value = 0;
  std::uint32_t node = 0;  // output node when !isConst
};

class Folder {
 public:
  Folder(ParamLookup& env, ExprMode mode, int& depth, ir::Expression* out)
      : env_(env), mode_(mode), depth_(depth), out_(out) {}

  Folded fold(const ir::Expression& t, std::uint32_t k, const std::vector<Folded>* args) {
    enter(t, k);
    Folded r = foldNode(t, k, args);
    --depth_;
    return r;
  }

  // The output node of r (a Const node for a constant).
  std::uint32_t emit(const Folded& r) {
    if (!r.isConst) return r.node;
    ExprBuilder b(*out_);
    return b.constant(r.value);
  }

 private:
  SourceLoc at(const ir::Expression& t, std::uint32_t k) const {
    SourceLoc l = t.loc;
    l.col += static_cast<int>(t.nodes[k].col);
    return l;
  }
  void enter(const ir::Expression& t, std::uint32_t k) {
    if (++depth_ > kMaxExprDepth)
      fail(ErrorCode::Limit,
           "expressions nested too deeply (more than " + std::to_string(kMaxExprDepth) +
               " levels, counting referenced parameters)",
           at(t, k));
  }
  static std::string fname(const ExprNode& n) {
    if (n.index == 0) return "";
    return dev::exprFunctions()[n.index - 1].name;
  }

  Folded foldNode(const ir::Expression& t, std::uint32_t k, const std::vector<Folded>* args) {
    const ExprNode& n = t.nodes[k];
    const std::uint32_t* kid = t.kids.data() + n.first;
    // a .func of a built-in's name (and the call's arity) replaces the built-in, in every
    // expression (ngspice 39 expands .func calls in the text before anything reads it:
    // the compatibility header `.func LIMIT(x,a,b) {min(max(x,a),b)}` that
    // PSpice models are given, Qucs-S's `.func stp(x) {u(x)}`)
    if (n.index > 0 && n.op != ExprOp::Param && n.op != ExprOp::Var && n.op != ExprOp::UserFunc &&
        n.op != ExprOp::Const)
      if (const FuncDef* f = env_.func(fname(n)); f && f->args.size() == n.count) return callFunc(t, k, *f, args);
    switch (n.op) {
      case ExprOp::Const: return Folded{true, n.value, 0};
      case ExprOp::Param: {
        const std::string& name = t.names[n.index];
        if (args && bound_)
          for (std::size_t a = 0; a < bound_->args.size(); ++a)
            if (bound_->args[a] == name) return (*args)[a];
        // PSpice's and LTspice's TEMP: in a behavioural expression the running
        // analysis's temperature (ngspice's temper) unless a .param defines it
        if (mode_ == ExprMode::Behaviour && name == "temp" && !env_.defines(name)) {
          (void)env_.lookup(name, at(t, k));  // (its warning)
          ExprBuilder b(*out_);
          return Folded{false, 0, b.op(ExprOp::Temper, {})};
        }
        // ngspice's PSpice mode's VT, the thermal voltage (temper + 273.15) k/q, at the
        // running analysis's temperature unless a .param defines it
        if (mode_ == ExprMode::Behaviour && name == "vt" && !env_.defines(name)) {
          (void)env_.lookup(name, at(t, k));  // (its warning)
          ExprBuilder b(*out_);
          const std::uint32_t kelvin = b.op(ExprOp::Add, {b.op(ExprOp::Temper, {}), b.constant(273.15)});
          return Folded{false, 0, b.op(ExprOp::Mul, {kelvin, b.constant(kPspiceVtPerKelvin)})};
        }
        if (mode_ == ExprMode::Behaviour)
          if (const FuncDef* tf = env_.temperFunc(name)) {
            for (const FuncDef* active : active_)
              if (active == tf) fail(ErrorCode::Semantic, "parameter cycle through '" + name + "'", at(t, k));
            active_.push_back(tf);
            const FuncDef* savedBound = bound_;
            bound_ = tf;
            const std::vector<Folded> none;
            Folded r = fold(tf->body, static_cast<std::uint32_t>(tf->body.nodes.size() - 1), &none);
            bound_ = savedBound;
            active_.pop_back();
            return r;
          }
        if (mode_ == ExprMode::Value && (name == "time" || name == "hertz")) {
          try {
            return Folded{true, env_.lookup(name, at(t, k)), 0};
          } catch (const NetlistError&) {
            fail(ErrorCode::Semantic,
                 "'" + name + "' is a quantity of the running analysis: it may appear only in B sources and "
                     "E/F/G/H VALUE= and TABLE forms and the braced value of an R, C or L (R1 a b {expr} or R1 a b R={expr})",
                 at(t, k));
          }
        }
        return Folded{true, env_.lookup(name, at(t, k)), 0};
      }
      case ExprOp::Var: {
        const ir::ExprVar& v = t.vars[n.index];
        if (mode_ == ExprMode::Value)
          fail(ErrorCode::Semantic,
               std::string(v.kind == ir::ExprVar::Kind::Voltage ? "v()" : "i()") +
                   " is a quantity of the running analysis: not available in a value",
               at(t, k));
        std::string name = v.kind == ir::ExprVar::Kind::Voltage ? env_.nodeName(v.name, at(t, k))
                                                                : env_.deviceName(v.name, at(t, k));
        if (v.kind == ir::ExprVar::Kind::Voltage && name == "0") return Folded{true, 0.0, 0};
        ExprBuilder b(*out_);
        return Folded{false, 0, b.var(v.kind, name)};
      }
      case ExprOp::Time:
      case ExprOp::Temper:
      case ExprOp::Hertz: {
        if (mode_ == ExprMode::Value)
          fail(ErrorCode::Semantic, "time, temper and hertz are quantities of the running analysis: not available in a value",
               at(t, k));
        ExprBuilder b(*out_);
        return Folded{false, 0, b.op(n.op, {})};
      }
      case ExprOp::Cond: {
        Folded c = fold(t, kid[0], args);
        if (c.isConst) {
          // the branch not taken is checked (names, with its errors muted as
          // for a value) first, and its run-time nodes dropped from the output
          const bool saved = live_;
          const std::uint32_t taken = c.value != 0.0 ? kid[1] : kid[2], other = c.value != 0.0 ? kid[2] : kid[1];
          const std::size_t nodes = out_ ? out_->nodes.size() : 0, kids = out_ ? out_->kids.size() : 0,
                            vars = out_ ? out_->vars.size() : 0;
          live_ = false;
          (void)fold(t, other, args);
          if (out_) {
            out_->nodes.resize(nodes);
            out_->kids.resize(kids);
            out_->vars.resize(vars);
          }
          live_ = saved;
          return fold(t, taken, args);
        }
        Folded a = fold(t, kid[1], args);
        Folded b = fold(t, kid[2], args);
        return combine(t, k, {c, a, b});
      }
      case ExprOp::UserFunc: return userFunc(t, k, args);
      default: break;
    }
    std::vector<Folded> ops;
    ops.reserve(n.count);
    for (std::uint32_t a = 0; a < n.count; ++a) ops.push_back(fold(t, kid[a], args));
    return combine(t, k, ops);
  }

  Folded combine(const ir::Expression& t, std::uint32_t k, const std::vector<Folded>& ops) {
    const ExprNode& n = t.nodes[k];
    bool allConst = true;
    for (const Folded& f : ops) allConst = allConst && f.isConst;
    if ((n.op == ExprOp::Div || n.op == ExprOp::Mod) && live_ && ops[1].isConst && ops[1].value == 0.0)
      fail(ErrorCode::Semantic, n.op == ExprOp::Div ? "division by zero" : "division by zero (in '%')", at(t, k));
    if ((n.op == ExprOp::Pwl || n.op == ExprOp::Table)) {
      for (std::size_t a = 1; a < ops.size(); ++a)
        if (!ops[a].isConst)
          fail(ErrorCode::Semantic, "the points of " + fname(n) + "() must be constants", at(t, t.kids[n.first + a]));
      std::vector<double> v;
      for (const Folded& f : ops) v.push_back(f.value);
      int bad = dev::badBreakpoints(v.data(), v.size());
      if (bad >= 0)
        fail(ErrorCode::Semantic,
             "the x values of " + fname(n) + "() must not decrease: " + num(v[bad]) + " follows " + num(v[bad - 2]),
             at(t, t.kids[n.first + bad]));
    }
    if (allConst) {
      std::vector<double> v;
      for (const Folded& f : ops) v.push_back(f.value);
      return Folded{true, constOp(t, k, v), 0};
    }
    std::vector<std::uint32_t> kids;
    for (const Folded& f : ops) kids.push_back(emit(f));
    ExprBuilder b(*out_);
    return Folded{false, 0, b.op(n.op, kids)};
  }

  // A constant operation, with the checks of a value: division by zero,
  // domain errors and non-finite powers (not in the branch a conditional
  // does not take).
  double constOp(const ir::Expression& t, std::uint32_t k, const std::vector<double>& v) {
    const ExprNode& n = t.nodes[k];
    const double x = v.empty() ? 0.0 : v[0], y = v.size() > 1 ? v[1] : 0.0;
    const std::string name = fname(n);
    auto domain = [&](bool ok) {
      if (!ok && live_) fail(ErrorCode::Semantic, "argument of " + name + "() out of its domain: " + num(x), at(t, k));
    };
    switch (n.op) {
      case ExprOp::Div:
        if (y == 0.0) {
          if (live_) fail(ErrorCode::Semantic, "division by zero", at(t, k));
          return 0.0;
        }
        return x / y;
      case ExprOp::Mod:
        if (y == 0.0) {
          if (live_) fail(ErrorCode::Semantic, "division by zero (in '%')", at(t, k));
          return 0.0;
        }
        return std::fmod(x, y);
      case ExprOp::Pow: {
        // values: C's pow (ngspice's .param); behavioural: |x|^y as ngspice's B sources
        double r = mode_ == ExprMode::Value ? std::pow(x, y) : dev::applyExprOp(n.op, v.data(), v.size(), nullptr);
        if (live_ && !std::isfinite(r)) {
          if (n.index) fail(ErrorCode::Semantic, "pow(" + num(x) + ", " + num(y) + ") is not a finite real number", at(t, k));
          fail(ErrorCode::Semantic, "power " + num(x) + "^" + num(y) + " is not a finite real number", at(t, k));
        }
        return r;
      }
      case ExprOp::Pwr:
        // values: |x|^y (ngspice's .param); behavioural: sgn(x) |x|^y
        if (mode_ == ExprMode::Value) return std::pow(std::fabs(x), y);
        break;
      case ExprOp::Sqrt: domain(x >= 0); break;
      case ExprOp::Ln: domain(x > 0); break;
      case ExprOp::Log10: domain(x > 0); break;
      case ExprOp::Asin:
      case ExprOp::Acos: domain(x >= -1 && x <= 1); break;
      case ExprOp::Acosh: domain(x >= 1); break;
      case ExprOp::Atanh: domain(x > -1 && x < 1); break;
      default: break;
    }
    double r = dev::applyExprOp(n.op, v.data(), v.size(), nullptr);
    if (live_ && mode_ == ExprMode::Behaviour && !std::isfinite(r))
      fail(ErrorCode::Semantic, "constant part of the expression is not a finite number", at(t, k));
    return r;
  }

  Folded userFunc(const ir::Expression& t, std::uint32_t k, const std::vector<Folded>* args) {
    const ExprNode& n = t.nodes[k];
    const std::string& name = t.names[n.index];
    const std::uint32_t* kid = t.kids.data() + n.first;
    if (name == "ddt" && !env_.func(name)) return timeDerivative(t, k);
    if ((name == "idt" || name == "sdt" || name == "idtmod" || name == "delay" || name == "absdelay") && !env_.func(name))
      return stateful(t, k, name);
    // (a .func of another arity leaves numparam's random limit(nom, avar) and a built-in's
    // calls to them)
    const FuncDef* f = env_.func(name);
    if (f && (f->args.size() == n.count || (!isRandomFunction(name, n.count) && !dev::findExprFunction(name))))
      return callFunc(t, k, *f, args);
    if (isRandomFunction(name, n.count)) {
      std::vector<double> v;
      for (std::uint32_t a = 0; a < n.count; ++a) {
        const Folded arg = fold(t, kid[a], args);
        if (!arg.isConst) fail(ErrorCode::Semantic, "the arguments of " + name + "() must be constants", at(t, kid[a]));
        v.push_back(arg.value);
      }
      return Folded{true, env_.random(name, v, at(t, k)), 0};
    }
    if (const dev::ExprFunction* b = dev::findExprFunction(name)) {
      // a built-in no .func replaces (an LTspice spelling, or a call of the
      // wrong arity): the built-in, as the parser makes it
      if (int(n.count) < b->minArgs || (b->maxArgs >= 0 && int(n.count) > b->maxArgs))
        fail(ErrorCode::Semantic,
             "function '" + name + "' takes " + argCount(b->minArgs, b->maxArgs) + ", got " + std::to_string(n.count),
             at(t, k));
      ir::Expression builtin = t;
      builtin.nodes[k].op = b->op;
      builtin.nodes[k].index = static_cast<std::uint32_t>(b - dev::exprFunctions().data()) + 1;
      return fold(builtin, k, args);
    }
    fail(ErrorCode::Semantic, "unknown function '" + name + "' (known: " + funcList() + ", and .func definitions)", at(t, k));
  }

  // The call at node k of the .func f: its arguments folded, then its body
  // with them bound.
  Folded callFunc(const ir::Expression& t, std::uint32_t k, const FuncDef& f, const std::vector<Folded>* args) {
    const ExprNode& n = t.nodes[k];
    const std::uint32_t* kid = t.kids.data() + n.first;
    const std::string& name = f.name;
    if (f.args.size() != n.count)
      fail(ErrorCode::Semantic,
           "function '" + name + "' takes " + argCount(int(f.args.size()), int(f.args.size())) + ", got " +
               std::to_string(n.count),
           at(t, k));
    for (const FuncDef* active : active_)
      if (active == &f) fail(ErrorCode::Semantic, ".func '" + name + "' calls itself", at(t, k));
    std::vector<Folded> vals;
    for (std::uint32_t a = 0; a < n.count; ++a) vals.push_back(fold(t, kid[a], args));
    active_.push_back(&f);
    const FuncDef* savedBound = bound_;
    bound_ = &f;
    Folded r = fold(f.body, static_cast<std::uint32_t>(f.body.nodes.size() - 1), &vals);
    bound_ = savedBound;
    active_.pop_back();
    return r;
  }

  // ngspice's ddt(x), the time derivative of x: x is compiled on its own and
  // handed to the environment, which makes it a quantity of the circuit (the
  // current of a unit capacitor driven by x, behavioural.cpp); 0 for a constant x.
  Folded timeDerivative(const ir::Expression& t, std::uint32_t k) {
    const ExprNode& n = t.nodes[k];
    if (n.count != 1) fail(ErrorCode::Semantic, "ddt() takes one argument, got " + std::to_string(n.count), at(t, k));
    if (mode_ == ExprMode::Value)
      fail(ErrorCode::Semantic,
           "ddt() is the time derivative of a quantity of the running analysis: it may appear only in B sources and "
           "E/G VALUE= forms",
           at(t, k));
    if (bound_)
      fail(ErrorCode::Semantic,
           "ddt() inside the body of .func '" + bound_->name + "' is not supported: write it in the expression that "
               "calls the function",
           at(t, k));
    ir::Expression arg;
    Folder inner(env_, mode_, depth_, &arg);
    inner.live_ = live_;
    const Folded r = inner.fold(t, t.kids[n.first], nullptr);
    if (r.isConst || !live_) return Folded{true, 0.0, 0};
    const std::uint32_t root = inner.emit(r);
    if (root + 1 != arg.nodes.size()) arg.nodes.push_back(arg.nodes[root]);
    arg.text = t.text;
    arg.loc = at(t, k);
    const ir::ExprVar q = env_.timeDerivative(std::move(arg), at(t, k));
    ExprBuilder b(*out_);
    return Folded{false, 0, b.op(ExprOp::Neg, {b.var(q.kind, q.name)})};
  }

  // LTspice's idt(x[, ic]) (sdt the same), idtmod(x[, ic[, m[, o]]]) and
  // delay(x, td[, tmax]) (absdelay the same): x compiled on its own as for
  // ddt(), ic, m, o and td constants, made a quantity of the circuit by the
  // environment (behavioural.cpp). idtmod is the integral I (from ic)
  // reduced modulo m and offset by o, as LTspice's help gives it ("reset on
  // reaching modulus m, offset output by o"): o + m (u - floor(u)), u = I / m
  // (m 1, o 0 when not given: simcore's defaults); m and o may be
  // expressions, exact while m stays constant in time (a varying m rescales
  // the whole wrapped integral, where LTspice resets it at the crossing). tmax (the largest delay of a
  // varying td) has no use with a constant td.
  Folded stateful(const ir::Expression& t, std::uint32_t k, const std::string& name) {
    const ExprNode& n = t.nodes[k];
    const bool modulo = name == "idtmod";
    const bool integral = name == "idt" || name == "sdt" || modulo;
    // (idt's third argument is counted here and rejected below with its own message)
    const int lo = integral ? 1 : 2;
    const unsigned hi = modulo ? 4 : 3;
    if (int(n.count) < lo || n.count > hi)
      fail(ErrorCode::Semantic,
           name + "() takes " + argCount(lo, modulo ? 4 : integral ? 2 : 3) + ", got " + std::to_string(n.count), at(t, k));
    const std::uint32_t* kid = t.kids.data() + n.first;
    Folded mod{true, 1.0, 0}, offset{true, 0.0, 0};
    for (std::uint32_t a = 2; modulo && a < n.count; ++a) (a == 2 ? mod : offset) = fold(t, kid[a], nullptr);
    if (modulo && live_ && mod.isConst && !(mod.value > 0))
      fail(ErrorCode::Semantic, "the modulus of idtmod() must be > 0, got " + num(mod.value), at(t, kid[2]));
    if (integral && !modulo && n.count == 3)
      fail(ErrorCode::Semantic,
           name + "()'s third argument (reset the integrator while it is true) is not supported: write idt(x) or "
                  "idt(x, ic)",
           at(t, kid[2]));
    if (mode_ == ExprMode::Value)
      fail(ErrorCode::Semantic,
           name + "() is a quantity of the running analysis: it may appear only in B sources and E/G VALUE= forms",
           at(t, k));
    if (bound_)
      fail(ErrorCode::Semantic,
           name + "() inside the body of .func '" + bound_->name +
               "' is not supported: write it in the expression that calls the function",
           at(t, k));
    double c1 = 0;
    if (n.count >= 2) {
      const Folded a = fold(t, kid[1], nullptr);
      if (!a.isConst)
        fail(ErrorCode::Semantic,
             std::string("the ") + (integral ? "initial condition" : "delay") + " of " + name +
                 "() must be a constant (a varying delay is not supported)",
             at(t, kid[1]));
      c1 = a.value;
    }
    if (!integral && live_ && !(c1 > 0))
      fail(ErrorCode::Semantic, "the delay of " + name + "() must be > 0, got " + num(c1), at(t, kid[1]));
    ir::Expression arg;
    Folder inner(env_, mode_, depth_, &arg);
    inner.live_ = live_;
    const Folded r = inner.fold(t, kid[0], nullptr);
    if (!live_) return Folded{true, 0.0, 0};
    if (r.isConst && !integral) return r;
    const std::uint32_t root = inner.emit(r);
    if (root + 1 != arg.nodes.size()) arg.nodes.push_back(arg.nodes[root]);
    arg.text = t.text;
    arg.loc = at(t, k);
    const ir::ExprVar q =
        integral ? env_.integral(std::move(arg), c1, at(t, k)) : env_.delayed(std::move(arg), c1, at(t, k));
    ExprBuilder b(*out_);
    if (!modulo) return Folded{false, 0, b.var(q.kind, q.name)};
    const std::uint32_t m = emit(mod), o = emit(offset);
    const std::uint32_t u = b.op(ExprOp::Div, {b.var(q.kind, q.name), m});
    const std::uint32_t frac = b.op(ExprOp::Sub, {u, b.op(ExprOp::Floor, {u})});
    return Folded{false, 0, b.op(ExprOp::Add, {o, b.op(ExprOp::Mul, {m, frac})})};
  }

  ParamLookup& env_;
  ExprMode mode_;
  int& depth_;
  ir::Expression* out_;
  bool live_ = true;  // false inside the branch a constant conditional does not take
  const FuncDef* bound_ = nullptr;     // the .func whose arguments `args` are
  std::vector<const FuncDef*> active_;  // .func bodies being expanded
};

}  // namespace

double ParamLookup::random(std::string_view name, const std::vector<double>&, const SourceLoc& at) {
  fail(ErrorCode::Semantic, std::string(name) + "() is not available here", at);
}

ir::ExprVar ParamLookup::timeDerivative(ir::Expression, const SourceLoc& at) {
  fail(ErrorCode::Semantic, "ddt() is not available here", at);
}

ir::ExprVar ParamLookup::integral(ir::Expression, double, const SourceLoc& at) {
  fail(ErrorCode::Semantic, "idt() is not available here", at);
}

ir::ExprVar ParamLookup::delayed(ir::Expression, double, const SourceLoc& at) {
  fail(ErrorCode::Semantic, "delay() is not available here", at);
}

std::uint32_t ExprBuilder::constant(double v) {
  ExprNode n;
  n.op = ExprOp::Const;
  n.value = v;
  n.first = static_cast<std::uint32_t>(e_.kids.size());
  e_.nodes.push_back(n);
  return static_cast<std::uint32_t>(e_.nodes.size() - 1);
}

std::uint32_t ExprBuilder::var(ir::ExprVar::Kind kind, const std::string& name) {
  std::uint32_t k = 0;
  for (; k < e_.vars.size(); ++k)
    if (e_.vars[k].kind == kind && e_.vars[k].name == name) break;
  if (k == e_.vars.size()) e_.vars.push_back(ir::ExprVar{kind, name});
  ExprNode n;
  n.op = ExprOp::Var;
  n.index = k;
  n.first = static_cast<std::uint32_t>(e_.kids.size());
  e_.nodes.push_back(n);
  return static_cast<std::uint32_t>(e_.nodes.size() - 1);
}

std::uint32_t ExprBuilder::op(ExprOp op, const std::vector<std::uint32_t>& kids) {
  ExprNode n;
  n.op = op;
  n.first = static_cast<std::uint32_t>(e_.kids.size());
  n.count = static_cast<std::uint32_t>(kids.size());
  e_.kids.insert(e_.kids.end(), kids.begin(), kids.end());
  e_.nodes.push_back(n);
  return static_cast<std::uint32_t>(e_.nodes.size() - 1);
}

ir::Expression parseExpr(const ExprSrc& src, ExprMode mode, int& depth) {
  int saved = depth;
  ir::Expression e = Parser(src, mode, depth).run();
  depth = saved;
  return e;
}

double evalExpr(const ExprSrc& given, ParamLookup& env, int& depth) {
  // a value that is one quoted expression ({"-tol_nw/2"}: sky130's resistor models) is that
  // expression, as ngspice 39 reads it
  ExprSrc src = given;
  {
    std::string_view t = src.text;
    std::size_t a = t.find_first_not_of(" \t"), b = t.find_last_not_of(" \t");
    if (a != std::string_view::npos && b > a && t[a] == '"' && t[b] == '"' &&
        t.substr(a + 1, b - a - 1).find('"') == std::string_view::npos) {
      src.text = t.substr(a + 1, b - a - 1);
      src.col += static_cast<std::uint32_t>(a + 1);
    }
  }
  int saved = depth;
  ir::Expression tree = parseExpr(src, ExprMode::Value, depth);
  Folder f(env, ExprMode::Value, depth, nullptr);
  Folded r = f.fold(tree, static_cast<std::uint32_t>(tree.nodes.size() - 1), nullptr);
  depth = saved;
  if (!std::isfinite(r.value)) fail(ErrorCode::Semantic, "expression value is not a finite number", tree.loc);
  return r.value;
}

ir::Expression compileTree(const ir::Expression& tree, const ExprSrc& src, ParamLookup& env, int& depth) {
  int saved = depth;
  ir::Expression out;
  Folder f(env, ExprMode::Behaviour, depth, &out);
  Folded r = f.fold(tree, static_cast<std::uint32_t>(tree.nodes.size() - 1), nullptr);
  depth = saved;
  std::uint32_t root = f.emit(r);
  // the value is the last node: append a copy of the root when it is not
  if (root + 1 != out.nodes.size()) {
    ExprNode n = out.nodes[root];
    out.nodes.push_back(n);
  }
  out.text = std::string(src.text);
  out.loc = tree.loc;
  return out;
}

ir::Expression compileExpr(const ExprSrc& src, ParamLookup& env, int& depth) {
  int saved = depth;
  ir::Expression tree = parseExpr(src, ExprMode::Behaviour, depth);
  depth = saved;
  return compileTree(tree, src, env, depth);
}

}  // namespace simcore::netlist
