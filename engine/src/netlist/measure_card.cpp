// .meas / .measure cards (and the .control command meas) into ir::Measure:
//
//   .meas tran|dc|ac NAME TRIG sig VAL=v [RISE|FALL|CROSS=n|LAST] [TD=t] TARG sig VAL=v ...
//                        (TRIG AT=t also)
//   .meas ... NAME FIND sig AT=x
//   .meas ... NAME FIND sig WHEN sig2=v [RISE|FALL|CROSS=n|LAST] [TD=t]
//   .meas ... NAME WHEN sig=v|sig2 [RISE|FALL|CROSS=n|LAST] [TD=t]
//   .meas ... NAME AVG|RMS|MIN|MAX|PP|INTEG|MIN_AT|MAX_AT sig [FROM=x] [TO=x]
//   .meas ... NAME DERIV sig AT=x
//   .meas ... NAME PARAM='expr'   (of .params and other measurements' names)
//
// A TRIG, TARG or WHEN part may add FROM=x TO=x (only crossings inside count).
// sig is v(node), v(a,b), i(vsrc), or for ac vdb/vm/vp/vr/vi(node), or
// par('expr') (a B source on node pa_NN, read as v(pa_NN), as ngspice). Values may
// use parameters of the top level. Anything else is an error at its token.
// The same reader serves the `meas` command of .control scripts at run time
// (parseMeasureCommand), where values are plain numbers.
#include "netlist/measure_card.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <optional>

#include "netlist/expr.hpp"
#include "netlist/frontend.hpp"
#include "netlist/lexer.hpp"
#include "netlist/number.hpp"

namespace simcore::netlist {
namespace {

// The measurement functions a .meas name is followed by: those over a range (FROM, TO) with
// their kind, and the others. One list: the reader's dispatch and the LTspice form without an
// analysis (`.meas NAME FUNC ...`) both read it.
struct RangeFunction {
  std::string_view name;
  ir::MeasureKind kind;
};
constexpr RangeFunction kRangeFunctions[] = {
    {"avg", ir::MeasureKind::Avg},     {"rms", ir::MeasureKind::Rms},        {"min", ir::MeasureKind::Min},
    {"max", ir::MeasureKind::Max},     {"pp", ir::MeasureKind::Pp},          {"integ", ir::MeasureKind::Integ},
    {"integral", ir::MeasureKind::Integ}, {"min_at", ir::MeasureKind::MinAt}, {"max_at", ir::MeasureKind::MaxAt}};
constexpr std::string_view kOtherFunctions[] = {"find", "when", "trig", "param", "deriv", "derivative"};

const RangeFunction* rangeFunction(std::string_view w) {
  for (const RangeFunction& f : kRangeFunctions)
    if (ieq(w, f.name)) return &f;
  return nullptr;
}
bool isMeasureFunction(std::string_view w) {
  return rangeFunction(w) || std::any_of(std::begin(kOtherFunctions), std::end(kOtherFunctions),
                                         [&](std::string_view f) { return ieq(w, f); });
}

// How values are read: a card's through the front end (parameters,
// expressions), a run-time command's as numbers.
struct MeasureValues {
  std::function<double(const Token&)> value;
  // a .param's value for PARAM= expressions; NaN: not a parameter (a measurement)
  std::function<double(const std::string&, const Token&)> param;
  // the meas command: a bare name is a vector of the plot (dbnode2)
  bool vectorNames = false;
  // the token's value as an expression of .params and .funcs (cards only);
  // nullopt where it reads anything else
  std::function<std::optional<double>(const Token&)> constant;
  // a .func of the top level by (lower-case) name; null: none (cards only)
  std::function<const FuncDef*(const std::string&)> func;
  // a warning at a token (cards: once per deck); null: none (the meas command)
  std::function<void(const Token&, const std::string&)> warn;
};

// An unfolded tree with every call of a .func replaced by the function's body,
// its parameters bound to the arguments' trees (as ngspice's numparam expands
// .func calls in the text), so that a PARAM= expression may call a .func on
// other measurements' results: they are read after the run. A call that is no
// .func (a random function) stays. Throws NetlistError on a wrong argument count
// or a .func that calls itself.
class FuncInliner {
 public:
  FuncInliner(const std::function<const FuncDef*(const std::string&)>& func, ir::Expression& out)
      : func_(func), out_(out) {}

  std::uint32_t copy(const ir::Expression& t, std::uint32_t k, const std::vector<std::uint32_t>* args,
                     const FuncDef* bound, std::uint32_t col) {
    if (++depth_ > 200) fail(ErrorCode::Limit, ".func calls nested more than 200 deep", t.loc);
    const ir::ExprNode& n = t.nodes[k];
    const std::uint32_t at = bound ? col : n.col;
    std::uint32_t r = 0;
    if (n.op == ir::ExprOp::Param && bound) {
      const std::string& name = t.names[n.index];
      for (std::size_t a = 0; a < bound->args.size(); ++a)
        if (bound->args[a] == name) {
          --depth_;
          return (*args)[a];
        }
    }
    const FuncDef* f = n.op == ir::ExprOp::UserFunc && func_ ? func_(t.names[n.index]) : nullptr;
    std::vector<std::uint32_t> kids;
    for (std::uint32_t a = 0; a < n.count; ++a) kids.push_back(copy(t, t.kids[n.first + a], args, bound, at));
    if (f) {
      if (f->args.size() != n.count) {
        SourceLoc l = t.loc;
        l.col += static_cast<int>(n.col);
        fail(ErrorCode::Semantic,
             "function '" + f->name + "' takes " + std::to_string(f->args.size()) + " argument" +
                 (f->args.size() == 1 ? "" : "s") + ", got " + std::to_string(n.count),
             l);
      }
      for (const FuncDef* active : active_)
        if (active == f) fail(ErrorCode::Semantic, ".func '" + f->name + "' calls itself", t.loc);
      active_.push_back(f);
      r = copy(f->body, static_cast<std::uint32_t>(f->body.nodes.size() - 1), &kids, f, at);
      active_.pop_back();
    } else {
      ir::ExprNode m = n;
      m.col = at;
      if (n.op == ir::ExprOp::Param || n.op == ir::ExprOp::UserFunc) m.index = nameIndex(t.names[n.index]);
      if (n.op == ir::ExprOp::Var) {
        m.index = static_cast<std::uint32_t>(out_.vars.size());
        out_.vars.push_back(t.vars[n.index]);
      }
      m.first = static_cast<std::uint32_t>(out_.kids.size());
      out_.kids.insert(out_.kids.end(), kids.begin(), kids.end());
      r = static_cast<std::uint32_t>(out_.nodes.size());
      out_.nodes.push_back(m);
    }
    --depth_;
    return r;
  }

 private:
  std::uint32_t nameIndex(const std::string& name) {
    for (std::size_t i = 0; i < out_.names.size(); ++i)
      if (out_.names[i] == name) return static_cast<std::uint32_t>(i);
    out_.names.push_back(name);
    return static_cast<std::uint32_t>(out_.names.size() - 1);
  }
  const std::function<const FuncDef*(const std::string&)>& func_;
  ir::Expression& out_;
  std::vector<const FuncDef*> active_;
  int depth_ = 0;
};

class MeasureReader {
 public:
  MeasureReader(const MeasureValues& v, const Card& c) : v_(v), c_(c), n_(c.size()) {}

  ir::Measure read() {
    const char* usage = ".meas tran|dc|ac NAME TRIG/TARG, FIND, WHEN, AVG, RMS, MIN, MAX, MIN_AT, MAX_AT, PP, INTEG or DERIV ...";
    ir::Measure m;
    m.loc = locOf(c_[0]);
    if (n_ < 4) failAt(c_[0], ErrorCode::Parse, std::string("expected ") + usage);
    const std::string an = word(1, "the analysis (tran, dc or ac)");
    if (an == "tran") m.analysis = ir::AnalysisKind::Tran;
    else if (an == "dc") m.analysis = ir::AnalysisKind::Dc;
    // sp: a spectrum (the script's fft plot), measured like ac over its
    // frequency scale; a .meas sp card never gets here (Frontend::measureCard)
    else if (an == "ac" || an == "sp") m.analysis = ir::AnalysisKind::Ac;
    else failAt(c_[1], ErrorCode::Semantic, "'.meas " + an + "' is not supported: expected tran, dc or ac");
    m.name = word(2, "a measurement name");
    i_ = 3;
    // PARAM=expr, or LTspice's PARAM expr
    const bool eqParam = i_ + 2 < n_ && c_[i_ + 1].kind == TokKind::Eq;
    if (i_ + 1 < n_ && ieq(c_[i_].text, "param") && c_[i_ + 1].kind != TokKind::Eq) {
      // LTspice's PARAM expr: the rest of the line, unbraced, as one expression
      const Token& first = c_[i_ + 1];
      const Token& last = c_[n_ - 1];
      Token whole = first;
      if (last.file == first.file && last.line == first.line && last.text.data() >= first.text.data())
        whole.text = std::string_view(first.text.data(),
                                      std::size_t(last.text.data() + last.text.size() - first.text.data()));
      if (whole.text.size() != first.text.size() || first.kind != TokKind::Expr) whole.kind = TokKind::Word;
      m.kind = ir::MeasureKind::Param;
      paramExpr(m, whole);
      i_ = whole.text.size() == first.text.size() ? i_ + 2 : n_;
      if (i_ < n_) failAt(c_[i_], ErrorCode::Parse, "unexpected " + quoteTok(c_[i_].text) + " at the end of .meas '" + m.name + "'");
      return m;
    }
    if (eqParam && ieq(c_[i_].text, "param")) {
      m.kind = ir::MeasureKind::Param;
      paramExpr(m, c_[i_ + 2]);
      i_ += 3;
      // (HSPICE's optimisation words after it, `goal = 0`: ngspice 39 reads the value
      // after PARAM= and nothing else; so does simcore, with a warning)
      if (i_ < n_) {
        if (!v_.warn) failAt(c_[i_], ErrorCode::Parse, "unexpected " + quoteTok(c_[i_].text) + " at the end of .meas '" + m.name + "'");
        v_.warn(c_[i_], "'" + std::string(c_[i_].text) + "' after .meas '" + m.name +
                            "' PARAM= ignored, as ngspice 39 reads only the value after PARAM= (HSPICE's GOAL, "
                            "MINVAL and WEIGHT are optimisation settings)");
      }
      return m;
    }
    const std::string k = word(i_++, "TRIG, FIND, WHEN, AVG, RMS, MIN, MAX, MIN_AT, MAX_AT, PP, INTEG or DERIV");
    const Token& kt = c_[i_ - 1];
    if (k == "trig") {
      m.kind = ir::MeasureKind::TrigTarg;
      m.trig = point(false);
      if (i_ >= n_ || !ieq(c_[i_].text, "targ")) failAt(i_ < n_ ? c_[i_] : c_[n_ - 1], ErrorCode::Parse, "expected TARG after the TRIG part of .meas '" + m.name + "'");
      ++i_;
      m.targ = point(false);
    } else if (k == "find") {
      m.signal = signal();
      if (i_ < n_ && ieq(c_[i_].text, "when")) {
        ++i_;
        m.kind = ir::MeasureKind::FindWhen;
        m.trig = point(true);
      } else {
        m.kind = ir::MeasureKind::FindAt;
        m.at = keyed("at");
      }
    } else if (k == "when") {
      m.kind = ir::MeasureKind::When;
      m.trig = point(true);
    } else if (const RangeFunction* f = rangeFunction(k)) {
      m.kind = f->kind;
      m.signal = signal();
      while (i_ < n_) {
        const std::string key = keyName();
        if (key == "from") m.from = keyValue();
        else if (key == "to") m.to = keyValue();
        else failAt(c_[i_ - 1], ErrorCode::Parse, "unexpected '" + key + "' in .meas '" + m.name + "': expected FROM= or TO= (or FROM x TO y)");
      }
      if (m.to < m.from) failAt(c_[0], ErrorCode::Semantic, ".meas '" + m.name + "': TO is before FROM");
    } else if (k == "deriv" || k == "derivative") {
      m.kind = ir::MeasureKind::DerivAt;
      m.signal = signal();
      m.at = keyed("at");
    } else {
      failAt(kt, ErrorCode::Semantic, "'.meas' form '" + k + "' is not supported (" + usage + ")");
    }
    if (i_ < n_) failAt(c_[i_], ErrorCode::Parse, "unexpected " + quoteTok(c_[i_].text) + " at the end of .meas '" + m.name + "'");
    return m;
  }

 private:
  // PARAM='expr' / {expr} / expr: parsed unfolded; each name is a .param of
  // the top level (its value now) or a measurement (looked up after the run).
  void paramExpr(ir::Measure& m, const Token& t) {
    if (t.kind != TokKind::Expr && t.kind != TokKind::Word)
      failAt(t, ErrorCode::Parse, "expected PARAM='expression' in .meas '" + m.name + "'");
    const bool delimited = t.kind == TokKind::Expr;
    const ExprSrc src{delimited ? t.text.substr(1, t.text.size() - 2) : std::string_view(t.text), t.file, t.line,
                      t.col + (delimited ? 1u : 0u)};
    int depth = 0;
    m.expr = parseExpr(src, ExprMode::Value, depth);
    if (v_.func && !m.expr.nodes.empty()) {
      ir::Expression inlined;
      inlined.text = m.expr.text;
      inlined.loc = m.expr.loc;
      FuncInliner(v_.func, inlined).copy(m.expr, static_cast<std::uint32_t>(m.expr.nodes.size() - 1), nullptr, nullptr, 0);
      m.expr = std::move(inlined);
    }
    for (const ir::ExprNode& nd : m.expr.nodes) {
      if (nd.op != ir::ExprOp::UserFunc) continue;
      // a call of no .func (a random function): over .params only, the value now
      std::optional<double> value = v_.constant ? v_.constant(t) : std::nullopt;
      if (!value)
        failAt(t, ErrorCode::Semantic,
               ".meas '" + m.name + "': '" + m.expr.names[nd.index] + "()' in PARAM= may read .params only, not other "
               "measurements");
      m.expr = ir::Expression{};
      ExprBuilder(m.expr).constant(*value);
      return;
    }
    for (const std::string& name : m.expr.names) m.paramValues.push_back(v_.param(name, t));
  }

  std::string word(std::size_t i, const char* what) {
    if (i >= n_ || c_[i].kind != TokKind::Word) failAt(i < n_ ? c_[i] : c_[0], ErrorCode::Parse, std::string("expected ") + what + " in .meas");
    return lower(c_[i].text);
  }

  // v(a) / v(a,b) / i(v1) / vdb(out) ...: the name and its parenthesised nodes;
  // or a device quantity @device[param].
  std::string signal() {
    std::string s = word(i_, "a signal like v(out)");
    if (s.size() > 3 && s[0] == '@' && s.back() == ']' && s.find('[') != std::string::npos) {
      ++i_;
      return s;
    }
    const Token& at = c_[i_];
    ++i_;
    if (v_.vectorNames && (i_ >= n_ || c_[i_].kind != TokKind::LParen)) return s;
    if (i_ >= n_ || c_[i_].kind != TokKind::LParen) failAt(at, ErrorCode::Parse, "expected a signal like v(out) in .meas, found " + quoteTok(at.text));
    s += '(';
    ++i_;
    bool first = true;
    while (i_ < n_ && c_[i_].kind == TokKind::Word) {
      if (!first) s += ',';
      s += lower(c_[i_].text);
      first = false;
      ++i_;
    }
    if (first || i_ >= n_ || c_[i_].kind != TokKind::RParen) failAt(at, ErrorCode::Parse, "expected a signal like v(out) in .meas");
    ++i_;
    return s + ')';
  }

  // name=value; LTspice also writes FROM, TO, AT and TD without the '='
  std::string keyName() {
    if (i_ + 1 < n_ && c_[i_].kind == TokKind::Word && c_[i_ + 1].kind != TokKind::Eq &&
        (ieq(c_[i_].text, "from") || ieq(c_[i_].text, "to") || ieq(c_[i_].text, "at") || ieq(c_[i_].text, "td")))
      return lower(c_[i_++].text);
    if (i_ + 1 >= n_ || c_[i_].kind != TokKind::Word || c_[i_ + 1].kind != TokKind::Eq)
      failAt(c_[i_ < n_ ? i_ : n_ - 1], ErrorCode::Parse, "expected name=value in .meas, found " + quoteTok(c_[i_ < n_ ? i_ : n_ - 1].text));
    std::string k = lower(c_[i_].text);
    i_ += 2;
    return k;
  }
  double keyValue() {
    if (i_ >= n_) failAt(c_[n_ - 1], ErrorCode::Parse, "missing value in .meas");
    return v_.value(c_[i_++]);
  }
  double keyed(const char* name) {
    if (i_ >= n_) failAt(c_[n_ - 1], ErrorCode::Parse, std::string("expected ") + name + "= in .meas");
    const Token& t = c_[i_];
    if (keyName() != name) failAt(t, ErrorCode::Parse, std::string("expected ") + name + "= in .meas, found " + quoteTok(t.text));
    return keyValue();
  }

  // TRIG/TARG (VAL= after the signal) or WHEN (sig=value); then RISE/FALL/CROSS/TD.
  ir::MeasurePoint point(bool when) {
    ir::MeasurePoint p;
    if (!when && i_ + 1 < n_ && ieq(c_[i_].text, "at") &&
        (c_[i_ + 1].kind == TokKind::Eq || c_[i_ + 1].kind != TokKind::LParen)) {
      i_ += c_[i_ + 1].kind == TokKind::Eq ? 2 : 1;
      p.at = keyValue();
      return p;
    }
    p.signal = signal();
    if (when) {
      if (i_ >= n_ || c_[i_].kind != TokKind::Eq) failAt(c_[i_ < n_ ? i_ : n_ - 1], ErrorCode::Parse, "expected sig=value after WHEN in .meas");
      ++i_;
      // (WHEN v(a)==v(b): ngspice 39 reads the doubled '=' as one; its examples/measure/buggy-meas-tran.sp)
      if (i_ < n_ && c_[i_].kind == TokKind::Eq) ++i_;
      // WHEN v(a)=v(b): where the two signals cross
      if (i_ + 1 < n_ && c_[i_].kind == TokKind::Word && c_[i_ + 1].kind == TokKind::LParen) {
        p.signal2 = signal();
      } else if (v_.vectorNames && i_ < n_ && c_[i_].kind == TokKind::Word && !looksNumeric(c_[i_].text)) {
        // a script's meas: a vector of one value is the level, a longer one (let target =
        // peak - 3 + 0*vdb) a second signal whose crossing with the first is measured, as ngspice 39
        const std::size_t at = i_;
        try {
          p.value = keyValue();
        } catch (const NetlistError&) {
          i_ = at;
          p.signal2 = signal();
        }
      } else {
        p.value = keyValue();
      }
    } else if (i_ < n_ && c_[i_].kind == TokKind::Eq) {
      // LTspice's TRIG v(a)=value (VAL= left out)
      ++i_;
      p.value = keyValue();
    } else {
      p.value = keyed("val");
    }
    while (i_ < n_ && c_[i_].kind == TokKind::Word && !ieq(c_[i_].text, "targ")) {
      const Token& kt = c_[i_];
      const std::string key = keyName();
      if (key == "td") {
        p.td = keyValue();
        continue;
      }
      if (key == "from" || key == "to") {
        // a window: only crossings inside it count (as ngspice 39)
        (key == "from" ? p.from : p.to) = keyValue();
        continue;
      }
      if (key != "rise" && key != "fall" && key != "cross")
        failAt(kt, ErrorCode::Parse, "unexpected '" + key + "' in .meas: expected RISE=, FALL=, CROSS= or TD=");
      p.edge = key == "rise" ? 1 : key == "fall" ? -1 : 0;
      if (i_ < n_ && c_[i_].kind == TokKind::Word && ieq(c_[i_].text, "last")) {
        p.count = -1;
        ++i_;
      } else {
        const Token& vt = c_[i_ < n_ ? i_ : n_ - 1];
        const double v = keyValue();
        if (!(v >= 1 && v <= 1e9) || v != std::floor(v)) failAt(vt, ErrorCode::Semantic, key + "= in .meas must be a whole number >= 1 or LAST");
        p.count = static_cast<int>(v);
      }
    }
    return p;
  }

  const MeasureValues& v_;
  const Card& c_;
  std::size_t n_;
  std::size_t i_ = 0;
};

}  // namespace

Result<ir::Measure> parseMeasureCommand(const std::string& text, const SourceLoc& at,
                                        const std::function<std::optional<double>(std::string_view)>& value) {
  LexedFile lex;
  lex.name = at.file;
  lex.owned = std::string(at.col > 1 ? std::size_t(at.col - 1) : 0, ' ') + text;
  lex.text = lex.owned;
  try {
    lexFile(lex, false);
    for (Token& t : lex.tokens) t.line = std::uint32_t(at.line);
    if (lex.cards.empty()) return makeError(ErrorCode::Parse, "expected meas tran|dc|ac NAME ...", at);
    MeasureValues v;
    v.value = [&value](const Token& t) {
      double x = 0;
      std::string why;
      std::string_view s = t.text;
      if (t.kind == TokKind::Expr && s.size() >= 2) s = s.substr(1, s.size() - 2);
      if (parseNumber(s, x, why)) return x;
      std::optional<double> r = value ? value(s) : std::nullopt;
      if (!r) failAt(t, ErrorCode::Parse, "expected a number or a vector of one value in meas, found " + quoteTok(t.text));
      return *r;
    };
    v.param = [](const std::string&, const Token&) { return std::nan(""); };
    v.vectorNames = true;
    return MeasureReader(v, lex.cards.front()).read();
  } catch (const NetlistError& e) {
    return e.err;
  }
}

void Frontend::measureFailed(const Card& c, const Error& why) {
  std::string name = c.size() > 2 && c[2].kind == TokKind::Word ? lower(c[2].text) : std::string();
  // (located where the card went wrong, as the error was)
  c_.warnings.push_back(ir::Diagnostic{"'" + lower(c[0].text) + (name.empty() ? "" : " " + name) + "' left out: " +
                                           why.message +
                                           "; ngspice 39 fails this measurement alone and runs the deck, and so "
                                           "does simcore",
                                       why.loc.line > 0 ? why.loc : locOf(c[0])});
}

void Frontend::measureCard(Frame& top, const Card& c) {
  try {
    measureCardOrThrow(top, c);
  } catch (const NetlistError& e) {
    if (e.err.code == ErrorCode::Limit) throw;
    measureFailed(c, e.err);
  }
}

void Frontend::measureCardOrThrow(Frame& top, const Card& c) {
  // .meas over ngspice's S-parameter plot (.sp): not measured, warned
  if (c.size() > 1 && c[1].kind == TokKind::Word && ieq(c[1].text, "sp")) {
    warnOnce(c[1], "meas:" + lower(c[1].text),
             "'.meas " + lower(c[1].text) + "' ignored: simcore measures tran, dc and ac results");
    return;
  }
  // par('expr') in place of a signal: a B source drives node pa_NN with the
  // expression and the card reads v(pa_NN), as ngspice rewrites it
  std::vector<Token> rewritten;
  std::deque<std::string> names;
  Card card = c;
  // LTspice's .meas without an analysis (`.meas Vo_RMS RMS V(a,b)`: the name, then the
  // measurement) measures the deck's analysis: taken as the one .tran, .ac or .dc card's
  // kind when the deck has only one kind (ngspice 39 fails the measurement)
  if (c.size() > 3 && c[1].kind == TokKind::Word && c[2].kind == TokKind::Word &&
      !(ieq(c[1].text, "tran") || ieq(c[1].text, "ac") || ieq(c[1].text, "dc") || ieq(c[1].text, "op") ||
        ieq(c[1].text, "noise") || ieq(c[1].text, "tf")) &&
      isMeasureFunction(c[2].text)) {
    std::string kind;
    bool several = false;
    for (const Card& k : controls_)
      for (const char* a : {"tran", "ac", "dc"})
        if (ieq(k[0].text, std::string(".") + a)) {
          if (!kind.empty() && kind != a) several = true;
          kind = a;
        }
    if (!kind.empty() && !several) {
      ownedText_.push_back(kind);
      rewritten.assign(c.b, c.e);
      Token t = c[1];
      t.text = ownedText_.back();
      rewritten.insert(rewritten.begin() + 1, t);
      card = Card{rewritten.data(), rewritten.data() + rewritten.size()};
      warnOnce(c[1], "meas-noanalysis:" + (c[0].file ? *c[0].file : std::string()),
               "'.meas " + lower(c[1].text) + "' names no analysis: taken as the deck's ." + kind +
                   " (LTspice's form; ngspice 39 fails it; so the other such .meas cards of this file)");
    }
  }
  for (std::size_t i = 3; i + 2 < c.size(); ++i) {
    if (c[i].kind != TokKind::Word || !ieq(c[i].text, "par") || c[i + 1].kind != TokKind::LParen) continue;
    if (i >= 5 && ieq(c[i - 2].text, "param")) continue;  // PARAM=par(...) is not a signal
    std::size_t close = i + 2;
    for (int depth = 1; close < c.size(); ++close) {
      if (c[close].kind == TokKind::LParen) ++depth;
      else if (c[close].kind == TokKind::RParen && --depth == 0) break;
    }
    if (close >= c.size()) failAt(c[i + 1], ErrorCode::Parse, "unbalanced parentheses in par(): '(' is never closed");
    if (close == i + 2) failAt(c[i], ErrorCode::Parse, "par() needs an expression: par('v(a)*i(v1)')");
    if (parProbes_ >= 100) failAt(c[i], ErrorCode::Limit, "more than 100 par() expressions in .meas cards");
    char buf[16];
    std::snprintf(buf, sizeof buf, "pa_%02d", parProbes_++);
    names.emplace_back(buf);
    expressionProbe(top, c, i + 2, close, names.back());
    if (rewritten.empty()) rewritten.assign(c.b, c.e);
    // the tokens of this card after earlier rewrites: find par at the same place
    std::size_t at = 0;
    while (at < rewritten.size() && rewritten[at].text.data() != c[i].text.data()) ++at;
    Token vt = c[i], open = c[i + 1], name = c[i], shut = c[close];
    vt.text = "v";
    name.text = names.back();
    rewritten.erase(rewritten.begin() + std::ptrdiff_t(at), rewritten.begin() + std::ptrdiff_t(at + (close - i) + 1));
    rewritten.insert(rewritten.begin() + std::ptrdiff_t(at), {vt, open, name, shut});
    i = close;
  }
  if (!rewritten.empty()) card = Card{rewritten.data(), rewritten.data() + rewritten.size()};
  MeasureValues v;
  v.value = [this, &top](const Token& t) { return evalValue(t, top); };
  v.constant = [this, &top](const Token& t) -> std::optional<double> {
    try {
      return evalValue(t, top);
    } catch (const NetlistError&) {
      return std::nullopt;
    }
  };
  v.func = [this, &top](const std::string& name) { return findFunc(top, name); };
  v.param = [this, &top](const std::string& name, const Token& t) {
    try {
      return lookupParam(top, name, locOf(t));
    } catch (const NetlistError&) {
      return std::nan("");
    }
  };
  v.warn = [this](const Token& t, const std::string& msg) { warnOnce(t, "meas-param-rest", msg); };
  ir::Measure m = MeasureReader(v, card).read();
  // a name given twice: both are measured and printed; a PARAM= reads the last (ngspice)
  c_.measures.push_back(std::move(m));
}

}  // namespace simcore::netlist
