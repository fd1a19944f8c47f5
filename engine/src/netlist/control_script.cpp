// .control ... .endc scripts (ngspice's nutmeg batch scripts), compiled into
// the IR at parse time:
//
//   op, tran, ac, dc,      an analysis, exactly as the dot card of that name
//   noise, tf
//   run                    the deck's dot-card analyses, at this point of the script
//   save, option(s)        as .save and .options
//   alter, altermod, reset the analyses after them run on a circuit variant
//                          (ir::Circuit::variants) with the changed values;
//                          from an alter whose value reads analysis results
//                          (op1.x, a let of results) to the next reset, the
//                          alters run between the analyses instead (ngspice's
//                          order: the value when the command runs), and the
//                          analyses run on what they made (Variant::liveFrom)
//   set, unset, let, foreach, repeat, while, dowhile, if/else/end, break,
//   continue               carried out here when they depend on script
//                          variables only (so loops may run analyses and alters)
//   print, echo, wrdata, write, fourier, setplot, destroy, linearize, meas,
//   fft, define, undefine, compose, and conditions/loops that read analysis
//   results
//                          ir::Script statements that run between the analyses
//                          (script/runner.cpp), after the analyses before them
//   display commands       ignored with a warning (plot, hardcopy, ...)
//   quit, exit             nothing
//   anything else          an error at the command
//
// A script with no analysis command and no `run` leaves the dot-card analyses
// as they are; otherwise the analyses are the script's, in its order.
// The `.four F0 VECTORS` card is a `fourier` statement after the first .tran.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <random>
#include <set>

#include "netlist/control_alter.hpp"
#include "netlist/control_script.hpp"
#include "netlist/frontend.hpp"
#include "netlist/measure_card.hpp"
#include "netlist/number.hpp"
#include "script/card_quantity.hpp"
#include "script/output.hpp"
#include "script/vectors.hpp"

namespace simcore::netlist {
namespace {

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

bool oneOf(std::string_view w, std::initializer_list<const char*> list) {
  return std::any_of(list.begin(), list.end(), [&](const char* s) { return w == s; });
}

std::string trimStr(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && isBlank(s[b])) ++b;
  while (e > b && isBlank(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

std::string fmtG(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

constexpr int kMaxIterations = 100000;          // parse-time loops
constexpr std::size_t kMaxStatements = 1000000;  // statements emitted for the run
constexpr std::size_t kMaxVariants = 10000;

const std::set<std::string, std::less<>> kAnalysisCmds = {"op",    "tran",  "ac",       "dc",         "noise", "tf", "pz",
                                                          "sens",  "sp",    "run",   "alter",    "altermod",   "alterparam", "reset", "mc_source",
                                                          "stop",  "resume", "delete"};
const std::set<std::string, std::less<>> kRuntimeCmds = {"print", "echo", "wrdata", "write", "fourier", "setplot",
                                                         "destroy", "linearize", "let", "set", "unset", "fft",
                                                         "define", "undefine", "compose"};

// ngspice's variables of the current plot and of the last run: known only at run time
bool isPlotVar(const std::string& n) {
  return n == "curplot" || n == "curplotname" || n == "curplottitle" || n == "plots" || n == "sim_status";
}

// An analysis command, reset or alterparam: what a run-time block cannot hold (alter and altermod it may).
bool hasFixedAnalysis(const std::vector<ControlNode>& list) {
  for (const ControlNode& n : list)
    if ((kAnalysisCmds.count(n.cmd) && n.cmd != "alter" && n.cmd != "altermod") || hasFixedAnalysis(n.body) ||
        hasFixedAnalysis(n.elseBody))
      return true;
  return false;
}

bool hasCommand(const std::vector<ControlNode>& list, std::string_view cmd) {
  for (const ControlNode& n : list)
    if (n.cmd == cmd || hasCommand(n.body, cmd) || hasCommand(n.elseBody, cmd)) return true;
  return false;
}

bool hasAlter(const std::vector<ControlNode>& list) {
  for (const ControlNode& n : list)
    if (n.cmd == "alter" || n.cmd == "altermod" || hasAlter(n.body) || hasAlter(n.elseBody)) return true;
  return false;
}

// Thrown by an alter's value at parse time when it reads a vector known only at run time.
struct NeedsRun {};

class ScriptCompiler {
 public:
  ScriptCompiler(Frontend& fe, Frame& top, std::vector<ir::Analysis> dot) : fe_(fe), top_(top), dot_(std::move(dot)) {
    // variables ngspice sets at start-up that decks test, beside script::presetVariables
    // ($oscompiled): the folder of the input file
    const std::string& file = fe_.opts_.fileName;
    const std::size_t slash = file.find_last_of('/');
    vars_["inputdir"] = {slash == std::string::npos ? std::string(".") : file.substr(0, slash == 0 ? 1 : slash)};
    fe_.c_.script.inputDir = vars_["inputdir"].front();
    // a circuit the script loads (source FILE) draws its random values when the script reads it:
    // the generator as the deck's reading found it
    if (fe_.sourcedCircuit_) fe_.rng_ = fe_.rngSeeded_;
  }

  // Builds the block tree of the lines and carries it out.
  void compile(std::vector<ControlNode> lines) {
    std::vector<ControlNode> roots;
    std::vector<ControlNode*> stack;
    auto target = [&]() -> std::vector<ControlNode>& {
      if (stack.empty()) return roots;
      ControlNode* b = stack.back();
      return b->inElse ? b->elseBody : b->body;
    };
    for (ControlNode& n : lines) {
      // ngspice's built-in aliases: endif, endwhile, endforeach, endrepeat and
      // enddowhile are 'end'; begin is 'if 1'
      if (oneOf(n.cmd, {"endif", "endwhile", "endforeach", "endrepeat", "enddowhile"})) n.cmd = "end";
      if (n.cmd == "begin") {
        n.cmd = "if";
        n.args = "1";
      }
      if (n.cmd == "end") {
        if (stack.empty()) failAt(n.at, ErrorCode::Parse, "'end' without a foreach, repeat, while, dowhile or if");
        stack.pop_back();
        continue;
      }
      if (n.cmd == "else") {
        if (stack.empty() || stack.back()->cmd != "if" || stack.back()->inElse)
          failAt(n.at, ErrorCode::Parse, "'else' without an 'if'");
        stack.back()->inElse = true;
        continue;
      }
      std::vector<ControlNode>& t = target();
      bool block = oneOf(n.cmd, {"foreach", "repeat", "while", "dowhile", "if"});
      t.push_back(std::move(n));
      if (block) stack.push_back(&t.back());
    }
    if (!stack.empty())
      failAt(stack.back()->at, ErrorCode::Parse, "'" + stack.back()->cmd + "' has no 'end' before '.endc'");
    const std::size_t savesBefore = fe_.c_.saves.size();
    std::vector<std::string> reads = saveReadQuantities(roots);
    const std::size_t added = fe_.c_.saves.size() - savesBefore;
    reloads_ = fe_.sourcedCircuit_ || hasCommand(roots, "mc_source");
    execList(roots, 0);
    settleStateReads(savesBefore, added, reads);
  }

  bool scripted() const { return scripted_; }

  // ngspice's `print @m1[gm]` after `op` reads the device's state without a
  // save; simcore records what it prints: every @dev[param] the script's
  // run-time commands read that no card gives is saved (beside all, when the
  // deck saves nothing itself), and the statements see its last value (the
  // state ngspice reads). Returns the quantities saved so.
  std::vector<std::string> saveReadQuantities(const std::vector<ControlNode>& list) {
    std::vector<std::pair<std::string, const ControlNode*>> found;
    std::function<void(const std::vector<ControlNode>&)> scan = [&](const std::vector<ControlNode>& l) {
      for (const ControlNode& n : l) {
        scan(n.body);
        scan(n.elseBody);
        if (!oneOf(n.cmd, {"print", "let", "echo", "meas", "measure", "wrdata", "if", "while", "dowhile"})) continue;
        const std::string& t = n.args;
        for (std::size_t at = t.find('@'); at != std::string::npos; at = t.find('@', at + 1)) {
          const std::size_t lb = t.find('[', at), rb = t.find(']', at);
          if (lb == std::string::npos || rb == std::string::npos || rb < lb || lb == at + 1) continue;
          bool plain = true;  // @name[param] with nothing substituted in it
          for (std::size_t k = at + 1; k < rb; ++k)
            if (k != lb && !(std::isalnum(static_cast<unsigned char>(t[k])) || t[k] == '_' || t[k] == '.' || t[k] == '#'))
              plain = false;
          if (!plain) continue;
          const std::string q = lower(t.substr(at, rb - at + 1));
          if (cardQuantity(q)) continue;
          if (std::none_of(found.begin(), found.end(), [&](const auto& f) { return f.first == q; })) found.emplace_back(q, &n);
        }
      }
    };
    scan(list);
    std::vector<std::string> reads;
    if (found.empty()) return reads;
    auto& saves = fe_.c_.saves;
    auto has = [&](const std::string& sig) {
      return std::any_of(saves.begin(), saves.end(), [&](const ir::SaveRequest& r) { return r.signal == sig; });
    };
    if (saves.empty()) saves.push_back(ir::SaveRequest{"all", locOf(found.front().second->at)});
    for (const auto& [q, n] : found)
      if (!has(q)) {
        saves.push_back(ir::SaveRequest{q, locOf(n->at)});
        reads.push_back(q);
      }
    return reads;
  }

  // After the script's own `save` commands are known: a quantity one of them
  // names is the user's waveform (ngspice keeps it as a vector), and the
  // `all` added beside the state reads goes when the script saves something.
  void settleStateReads(std::size_t at, std::size_t added, const std::vector<std::string>& reads) {
    auto& saves = fe_.c_.saves;
    if (added == 0) return;
    std::vector<ir::SaveRequest> ours(saves.begin() + std::ptrdiff_t(at), saves.begin() + std::ptrdiff_t(at + added));
    std::vector<ir::SaveRequest> rest(saves.begin(), saves.begin() + std::ptrdiff_t(at));
    rest.insert(rest.end(), saves.begin() + std::ptrdiff_t(at + added), saves.end());
    const bool scriptSaves = rest.size() > at;
    auto userSaves = [&](const std::string& sig) {
      return std::any_of(rest.begin(), rest.end(), [&](const ir::SaveRequest& r) { return r.signal == sig; });
    };
    std::vector<ir::SaveRequest> keep;
    for (ir::SaveRequest& r : ours) {
      if (r.signal == "all" && std::find(reads.begin(), reads.end(), r.signal) == reads.end()) {
        if (!scriptSaves) keep.push_back(std::move(r));
        continue;
      }
      if (userSaves(r.signal)) continue;
      fe_.c_.script.stateReads.push_back(r.signal);
      keep.push_back(std::move(r));
    }
    rest.insert(rest.begin() + std::ptrdiff_t(at), keep.begin(), keep.end());
    saves = std::move(rest);
  }

 private:
  enum class Flow { Normal, Break, Continue };

  Frontend& fe_;
  Frame& top_;
  std::vector<ir::Analysis> dot_;
  bool scripted_ = false;
  std::map<std::string, std::vector<std::string>> vars_ = script::presetVariables();
  // stop when time = T (> T): the breakpoints (numbered as ngspice's, from 1) at which transients pause
  struct Stop {
    int number = 0;
    double time = 0;
    bool after = false;  // time > T: the first point after T
  };
  std::vector<Stop> stops_;
  int stopNumber_ = 0;
  int pausedIndex_ = -1;  // the analysis that pauses at its last stop, for `resume` to continue
  std::set<std::string> dynamicVars_;  // set inside a run-time block: unknown here
  std::map<std::string, script::Vec> vecs_;  // let values known here (scalars and constants)
  // sunif()/sgauss() in values known here (alter c1 = unif(...) in a Monte-Carlo
  // loop): drawn as the script is unrolled, from the netlist reader's generator
  // (ngspice's: the script goes on where reading the netlist left it)
  int defaultRndseed() const {
    // ngspice sets rndseed to 1 at start-up and to N by .options seed=N
    const std::optional<double> seed = fe_.earlyOption("seed");
    return seed && *seed >= 1 && *seed <= 2147483647.0 ? int(*seed) : 1;
  }
  std::map<std::string, std::vector<script::UserFunction>> functions_;  // define'd so far
  // Alterations: the current circuit state when altered since the last reset.
  bool altered_ = false, dirty_ = false;
  int variant_ = -1;
  ir::Variant state_;
  std::vector<std::pair<std::string, std::string>> changes_;  // label parts, in order
  int redraws_ = 0;  // reset, mc_source and source commands that drew the random values anew
  bool reloads_ = false;  // the script reads its circuit again (source FILE, mc_source)
  // (`set temp = T` and `option` hold until the next reset, which reads the deck's options again, as
  // in ngspice 39)
  // Since an alter whose value reads results (until the next reset): every alter runs at run time,
  // starting from variant liveBase_ (the state before that alter).
  bool live_ = false;
  int liveBase_ = -1;
  std::vector<std::pair<std::string, double>> params_;        // alterparam values, in order
  std::vector<Frontend::SubcktParam> subcktParams_;            // alterparam SUBCKT PARAM = VALUE, in order

  [[noreturn]] void bad(const ControlNode& n, const std::string& msg) { failAt(n.at, ErrorCode::Semantic, msg); }

  void emit(const ControlNode& n) {
    if (fe_.c_.script.statements.size() >= kMaxStatements)
      bad(n, "the .control script makes more than " + std::to_string(kMaxStatements) + " statements for the run");
    fe_.c_.script.statements.push_back(toStatement(n));
    fe_.c_.script.after.push_back(int(fe_.c_.analyses.size()));
  }
  void emitText(const ControlNode& n, const std::string& cmd, const std::string& args) {
    ControlNode m;
    m.cmd = cmd;
    m.args = args;
    m.at = n.at;
    emit(m);
  }

  ir::ScriptStatement toStatement(const ControlNode& n) {
    ir::ScriptStatement s;
    s.command = n.cmd;
    s.args = n.args;
    s.loc = locOf(n.at);
    if (live_ && (n.cmd == "alter" || n.cmd == "altermod")) s.variant = liveBase_;
    // (ngspice reads a device's parameter from the circuit as it is now: after an alter, the new value)
    else if (!live_ && n.cmd != "alter" && n.cmd != "altermod" && n.args.find('@') != std::string::npos)
      s.variant = altered_ ? currentVariant(n) : ir::ScriptStatement::kDeckCards;
    for (const ControlNode& c : n.body) s.body.push_back(toStatement(c));
    for (const ControlNode& c : n.elseBody) s.elseBody.push_back(toStatement(c));
    return s;
  }

  // $name, $?name, $#name, $&vector with the values known here; `dynamic` is
  // set when something is known only at run time.
  // what made the last substitution depend on results ("$x", "$&v"), for the message
  std::string dynamicWhat_;
  std::string dependsOnResults(const ControlNode& n) const {
    return "'" + n.cmd + "' depends on analysis results here (" + (dynamicWhat_.empty() ? "a result vector" : dynamicWhat_) +
           " is known only after an analysis has run); its values must be known before the run";
  }
  std::string substitute(const ControlNode& n, std::string_view t, bool& dynamic) {
    dynamicWhat_.clear();
    std::string out;
    for (std::size_t i = 0; i < t.size();) {
      // {$name}: the variable, the braces only delimit it (vout{$run}, {$dt}.v(out))
      if (t[i] == '{' && i + 1 < t.size() && t[i + 1] == '$') {
        const std::size_t close = t.find('}', i);
        if (close != std::string_view::npos) {
          const std::string what = dynamicWhat_;
          out += substitute(n, t.substr(i + 1, close - i - 1), dynamic);
          if (!what.empty()) dynamicWhat_ = what;
          i = close + 1;
          continue;
        }
      }
      if (t[i] != '$' || i + 1 >= t.size()) {
        out += t[i++];
        continue;
      }
      std::size_t j = i + 1;
      char mode = 0;
      if (t[j] == '&' || t[j] == '?' || t[j] == '#') mode = t[j++];
      std::size_t b = j;
      while (j < t.size() && (std::isalnum(static_cast<unsigned char>(t[j])) || t[j] == '_' ||
                              (mode == '&' && (t[j] == '#' || t[j] == '.' || t[j] == '(' || t[j] == ')'))))
        ++j;
      std::string name = lower(t.substr(b, j - b));
      if (name.empty()) {
        out += t[i++];
        continue;
      }
      i = j;
      if ((dynamicVars_.count(name) || (isPlotVar(name) && !vars_.count(name))) && mode != '&') {
        dynamic = true;
        if (dynamicWhat_.empty()) dynamicWhat_ = "$" + name;
        continue;
      }
      auto it = vars_.find(name);
      if (mode == '?') out += it != vars_.end() ? "1" : "0";
      else if (mode == '#') out += std::to_string(it != vars_.end() ? it->second.size() : 0);
      else if (mode == '&') {
        bool missing = false;
        auto v = script::evaluateOne(name, context(missing));
        if (missing || !v) {
          dynamic = true;
          if (dynamicWhat_.empty()) dynamicWhat_ = "$&" + name;
          continue;
        }
        for (std::size_t k = 0; k < v->size(); ++k) out += (k ? " " : "") + fmtG(v->re[k]);
      } else if (it != vars_.end()) {
        for (std::size_t k = 0; k < it->second.size(); ++k) out += (k ? " " : "") + it->second[k];
      } else {
        bad(n, "no such variable '" + name + "' (set it with 'set " + name + " = VALUE')");
      }
    }
    return out;
  }

  // @dev[param] / @model[param] as the cards give them after the alters so far
  // (after a run-time alter: known at run time only)
  std::optional<std::vector<double>> cardQuantity(const std::string& name) const {
    if (live_) return std::nullopt;
    // a quantity saved as a waveform that simcore records (`save @v1[dc]`) is, after
    // an analysis, that analysis's vector (ngspice looks in the plot first): known at run time
    if (scripted_ && fe_.recordedQuantity(name) &&
        std::any_of(fe_.c_.saves.begin(), fe_.c_.saves.end(),
                    [&](const ir::SaveRequest& r) { return lower(r.signal) == name; }))
      return std::nullopt;
    return script::cardQuantity(name, altered_ ? state_.devices : fe_.c_.devices,
                                altered_ ? state_.models : fe_.c_.models);
  }
  std::map<std::string, script::Vec> quantities_;  // cardQuantity values handed to the evaluator

  script::EvalContext context(bool& missing) {
    script::EvalContext ctx;
    ctx.rng = &fe_.rng_;
    ctx.rndseed = script::rndseedOf(vars_, defaultRndseed());
    ctx.lookup = [this, &missing](const std::string& name) -> const script::Vec* {
      auto it = vecs_.find(name);
      if (it != vecs_.end()) return &it->second;
      if (std::optional<std::vector<double>> q = cardQuantity(name)) {
        script::Vec& v = quantities_[name];
        v = script::Vec{};
        v.name = name;
        v.re = std::move(*q);
        return &v;
      }
      missing = true;
      return nullptr;
    };
    ctx.function = [this](const std::string& n, std::size_t arity) -> const script::UserFunction* {
      auto it = functions_.find(n);
      if (it == functions_.end()) return nullptr;
      for (const script::UserFunction& f : it->second)
        if (f.params.size() == arity) return &f;
      return nullptr;
    };
    return ctx;
  }

  // The value of a condition or count known here; nullopt: it reads results.
  std::optional<script::Vec> staticValue(const ControlNode& n, const std::string& text) {
    bool dynamic = false;
    // (ngspice's brace expansion of the words, as at run time: let x = {a*2})
    std::string t = script::expandBraces(substitute(n, text, dynamic));
    if (dynamic) return std::nullopt;
    bool missing = false;
    auto v = script::evaluateOne(t, context(missing));
    if (missing) return std::nullopt;
    if (!v) bad(n, "in '" + n.cmd + "': " + v.error().message);
    return std::move(v.value());
  }

  // A block whose condition reads analysis results runs at run time; it may
  // not contain analyses (the analyses are fixed here). Its alters run there
  // too, and the analyses after it run on what they made.
  void emitRuntimeBlock(const ControlNode& n) {
    if (hasFixedAnalysis(n.body) || hasFixedAnalysis(n.elseBody))
      bad(n, "'" + n.cmd + " " + trimStr(n.args) +
                 "' reads analysis results, so it runs after the analyses before it: it cannot run analyses, reset "
                 "or alterparam itself (use a condition on script variables; alter and altermod it may)");
    const bool alters = hasAlter(n.body) || hasAlter(n.elseBody);
    if (alters) goLive(n);
    markDynamic(n.body);
    markDynamic(n.elseBody);
    emit(n);
    if (alters) dirty_ = true;
  }
  void markDynamic(const std::vector<ControlNode>& list) {
    for (const ControlNode& c : list) {
      if (c.cmd == "let") {
        auto eq = c.args.find('=');
        std::string name = lower(trimStr(std::string_view(c.args).substr(0, eq)));
        vecs_.erase(name.substr(0, name.find('[')));
      } else if (c.cmd == "meas" || c.cmd == "measure" || c.cmd == "compose") {
        // the vector it makes: meas tran NAME ..., compose NAME ...
        auto w = script::vectorWords(c.args);
        const std::size_t k = c.cmd == "compose" ? 0 : 1;
        if (w.size() > k) vecs_.erase(w[k]);
      } else if (c.cmd == "strcmp") {
        auto w = script::vectorWords(c.args);
        if (!w.empty()) dynamicVars_.insert(w[0]), vars_.erase(w[0]);
      } else if (c.cmd == "set" || c.cmd == "foreach") {
        if (c.cmd == "foreach") {
          auto w = trimStr(c.args);
          dynamicVars_.insert(lower(w.substr(0, w.find_first_of(" \t"))));
        } else {
          for (auto& [name, v] : script::parseSetArgs(c.args)) dynamicVars_.insert(name), vars_.erase(name);
        }
      }
      markDynamic(c.body);
      markDynamic(c.elseBody);
    }
  }

  Flow execList(const std::vector<ControlNode>& list, int depth) {
    for (const ControlNode& n : list) {
      Flow f = exec(n, depth);
      if (f != Flow::Normal) return f;
    }
    return Flow::Normal;
  }

  Flow loopBody(const ControlNode& n, int depth, int& count) {
    if (++count > kMaxIterations) bad(n, "the loop did not end after " + std::to_string(kMaxIterations) + " iterations");
    return execList(n.body, depth + 1);
  }

  Flow exec(const ControlNode& n, int depth) {
    const std::string& cmd = n.cmd;
    if (cmd == "break") {
      if (depth == 0) bad(n, "'break' outside a loop");
      return Flow::Break;
    }
    if (cmd == "continue") {
      if (depth == 0) bad(n, "'continue' outside a loop");
      return Flow::Continue;
    }
    if (cmd == "if") {
      auto v = staticValue(n, n.args);
      if (!v) {
        emitRuntimeBlock(n);
        return Flow::Normal;
      }
      return execList(script::truth(*v) ? n.body : n.elseBody, depth);
    }
    if (cmd == "while" || cmd == "dowhile") {
      int count = 0;
      bool first = true;
      while (true) {
        if (cmd == "while" || !first) {
          auto v = staticValue(n, n.args);
          if (!v) {
            if (!first) bad(n, "the condition of '" + cmd + "' became one that reads analysis results inside the loop");
            emitRuntimeBlock(n);
            return Flow::Normal;
          }
          if (!script::truth(*v)) break;
        }
        first = false;
        if (loopBody(n, depth, count) == Flow::Break) break;
      }
      return Flow::Normal;
    }
    if (cmd == "repeat") {
      long times = kMaxIterations;
      if (!trimStr(n.args).empty()) {
        auto v = staticValue(n, n.args);
        if (!v) {
          emitRuntimeBlock(n);
          return Flow::Normal;
        }
        if (v->size() != 1) bad(n, "the count of 'repeat' must be one number");
        times = std::lround(v->re[0]);
      }
      int count = 0;
      for (long k = 0; k < times; ++k)
        if (loopBody(n, depth, count) == Flow::Break) break;
      return Flow::Normal;
    }
    if (cmd == "foreach") {
      bool dynamic = false;
      std::string t = trimStr(substitute(n, n.args, dynamic));
      if (dynamic) {
        emitRuntimeBlock(n);
        return Flow::Normal;
      }
      std::vector<std::string> words;
      for (std::size_t i = 0; i < t.size();) {
        while (i < t.size() && isBlank(t[i])) ++i;
        std::size_t b = i;
        while (i < t.size() && !isBlank(t[i])) ++i;
        if (i > b) words.push_back(t.substr(b, i - b));
      }
      if (words.empty()) bad(n, "expected foreach VARIABLE VALUE ...");
      const std::string var = lower(words[0]);
      int count = 0;
      for (std::size_t k = 1; k < words.size(); ++k) {
        vars_[var] = {words[k]};
        dynamicVars_.erase(var);
        emitText(n, "set", var + " = \"" + words[k] + "\"");
        if (loopBody(n, depth, count) == Flow::Break) break;
      }
      return Flow::Normal;
    }
    if (cmd == "set") {
      bool dynamic = false;
      std::string t = substitute(n, n.args, dynamic);
      if (dynamic) {
        // a value read at run time: the variables it sets are unknown here
        for (auto& [name, v] : script::parseSetArgs(n.args)) dynamicVars_.insert(name), vars_.erase(name);
        emit(n);
        return Flow::Normal;
      }
      const auto assigns = script::parseSetArgs(t);
      if (assigns.size() == 1 && assigns[0].first == "curplot" && assigns[0].second.size() == 1) {
        // ngspice: set curplot = new makes a new current plot (setplot new); $curplot then names it
        emitText(n, "setplot", assigns[0].second[0]);
        return Flow::Normal;
      }
      std::string quoted;
      for (auto& [name, values] : assigns) {
        // set temp = T: ngspice's circuit temperature for the analyses that follow
        if (name == "temp" && values.size() == 1) {
          double tv = 0.0;
          std::string why;
          if (!parseNumber(values[0], tv, why)) bad(n, "set temp: '" + values[0] + "' is not a temperature");
          applySetTemp(tv);
        }
        quoted += setVariable(name, values);
      }
      emitText(n, "set", quoted);
      return Flow::Normal;
    }
    if (cmd == "strcmp") {
      // strcmp VAR S1 S2: VAR is set at run time ($curplot and other run-time values are its usual strings)
      auto w = script::vectorWords(n.args);
      if (!w.empty()) dynamicVars_.insert(w[0]), vars_.erase(w[0]);
      emit(n);
      return Flow::Normal;
    }
    if (cmd == "setseed") {
      bool dynamic = false;
      std::string t = substitute(n, n.args, dynamic);
      if (!dynamic) {
        if (!vars_.count("rndseed")) vars_["rndseed"] = {std::to_string(defaultRndseed())};
        std::string why;
        if (!script::setSeed(fe_.rng_, vars_, t, why)) {
          fe_.warnOnce(n.at, "control:setseed:" + std::to_string(n.at.line), why);
          return Flow::Normal;
        }
      }
      // the run-time script seeds its own generator alike
      if (dynamic || !trimStr(t).empty()) emit(n);
      else emitText(n, "setseed", std::to_string(script::rndseedOf(vars_, 1)));
      return Flow::Normal;
    }
    if (cmd == "unset") {
      for (const std::string& w : script::vectorWords(n.args)) vars_.erase(w), dynamicVars_.erase(w);
      emit(n);
      return Flow::Normal;
    }
    if (cmd == "let") {
      auto eq = n.args.find('=');
      if (eq == std::string::npos) bad(n, "expected let NAME = EXPRESSION");
      std::string name = lower(trimStr(std::string_view(n.args).substr(0, eq)));
      if (name.find('$') != std::string::npos) {
        // a name made of variables (let vout{$run} = ...): known at run time only
        emit(n);
        return Flow::Normal;
      }
      if (auto lb = name.find('['); lb != std::string::npos) {
        // an element: the vector's value is known at run time only
        vecs_.erase(trimStr(std::string_view(name).substr(0, lb)));
        emit(n);
        return Flow::Normal;
      }
      std::optional<script::Vec> v;
      const std::uint64_t uses = fe_.rng_.uses();
      try {
        v = staticValue(n, n.args.substr(eq + 1));
      } catch (const NetlistError& e) {
        // an expression simcore cannot read: the vector stays undefined (a later use of it is
        // a located run-time error) and the rest of the script runs, as in ngspice's batch mode
        fe_.warnOnce(n.at, "control:let:" + std::to_string(n.at.line),
                     "'let " + name + "' skipped: " + e.err.message);
        vecs_.erase(name);
        return Flow::Normal;
      }
      if (v) {
        v->name = name;
        const bool cardValue = n.args.find('@', eq) != std::string::npos && v->size() == 1 && !v->complex;
        vecs_[name] = std::move(*v);
        if (fe_.rng_.uses() != uses && !vecs_[name].complex && vecs_[name].size() >= 1) {
          // random numbers drawn here: the run-time let gets them, not new ones
          const script::Vec& x = vecs_[name];
          std::string values;
          char buf[40];
          for (double d : x.re) {
            std::snprintf(buf, sizeof buf, "%.17g", d);
            values += std::string(values.empty() ? "(" : " (") + buf + ")";
          }
          if (x.size() == 1) emitText(n, "let", name + " = " + values);
          else emitText(n, "compose", name + " values " + values);
          return Flow::Normal;
        }
        if (cardValue) {
          // @dev[param] is read from the cards here (after the alters so far):
          // the run-time let gets the number
          char buf[40];
          std::snprintf(buf, sizeof buf, "%.17g", vecs_[name].re[0]);
          emitText(n, "let", name + " = " + buf);
          return Flow::Normal;
        }
      } else {
        vecs_.erase(name);
      }
      emit(n);
      return Flow::Normal;
    }
    if (oneOf(cmd, {"op", "tran", "ac", "dc", "noise", "tf", "pz", "sens", "sp"})) {
      analysisCommand(n, cmd == "op"      ? ".op"
                         : cmd == "tran"  ? ".tran"
                         : cmd == "ac"    ? ".ac"
                         : cmd == "dc"    ? ".dc"
                         : cmd == "noise" ? ".noise"
                         : cmd == "pz"    ? ".pz"
                         : cmd == "sens"  ? ".sens"
                         : cmd == "sp"    ? ".sp"
                                          : ".tf");
      return Flow::Normal;
    }
    if (cmd == "run" || (cmd == "resume" && pausedIndex_ < 0)) {
      // (resume with nothing paused: ngspice's "Note: run starting")
      const std::size_t before = fe_.c_.analyses.size();
      for (ir::Analysis a : dot_) addAnalysis(std::move(a), n);
      // a deck without analysis cards: nothing runs, as in ngspice 39 ("no simulations
      // run"; `tran ...` then `run` is one transient)
      if (dot_.empty())
        fe_.warnOnce(n.at, "control:run-nothing",
                     "'" + n.cmd + "': the netlist has no analysis cards (.tran, .ac, ...): nothing runs, as in ngspice 39");
      pauses(before);
      scripted_ = true;
      return Flow::Normal;
    }
    if (cmd == "resume") {
      // the paused transient goes on, on the circuit as the alters since have left it
      ir::Analysis a = fe_.c_.analyses[std::size_t(pausedIndex_)];
      a.resumes = pausedIndex_;
      const Stop next = nextStop(a.pauseAt, a.tstop);
      a.pauseAt = next.time;
      a.pauseAfter = next.after;
      addAnalysis(std::move(a), n);
      pausedIndex_ = fe_.c_.analyses.back().pauseAt > 0 ? int(fe_.c_.analyses.size()) - 1 : -1;
      return Flow::Normal;
    }
    if (cmd == "stop") {
      stopCommand(n);
      return Flow::Normal;
    }
    if (cmd == "delete") {
      // delete [all | NUMBER ...]: breakpoints (simcore's are the stops)
      bool dynamic = false;
      const std::vector<std::string> w = script::vectorWords(substitute(n, n.args, dynamic));
      if (dynamic) bad(n, dependsOnResults(n));
      if (w.empty() || std::find(w.begin(), w.end(), "all") != w.end()) stops_.clear();
      for (const std::string& x : w)
        std::erase_if(stops_, [&](const Stop& st) { return std::to_string(st.number) == x; });
      return Flow::Normal;
    }
    if (cmd == "alter" || cmd == "altermod") {
      alter(n);
      return Flow::Normal;
    }
    if (cmd == "alterparam") {
      alterParam(n);
      return Flow::Normal;
    }
    // source FILE that loaded the circuit (Frontend::loadSourcedFiles): its cards are read here as
    // ngspice reads them, as mc_source; a file of script lines only: its lines follow (controlScript)
    bool sourcing = false;
    if (cmd == "source") {
      auto it = fe_.sourcedAt_.find(*n.at.file + ":" + std::to_string(n.at.line));
      if (it != fe_.sourcedAt_.end()) {
        if (it->second != fe_.sourcedCircuit_) return Flow::Normal;
        sourcing = true;
      }
    }
    // remcirc before the next source or mc_source of the circuit (ngspice's Monte Carlo loops):
    // those read it anew, here as there
    if (cmd == "remcirc" && reloads_) return Flow::Normal;
    // reset and mc_source: ngspice 39 makes a new circuit from the deck as read (with the
    // alterparam values), drawing the random functions of its values anew
    if (cmd == "reset" || cmd == "mc_source" || sourcing) {
      if (live_) emitText(n, "reset", "");  // the run-time alters' circuit goes
      pausedIndex_ = -1;  // (a paused transient ends where it paused)
      live_ = false;
      liveBase_ = -1;
      altered_ = dirty_ = false;
      variant_ = -1;
      changes_.clear();
      const bool redraw = fe_.randomDraws_ > 0;
      if (redraw || !params_.empty() || !subcktParams_.empty()) reelaborate(n, redraw);
      return Flow::Normal;
    }
    if (cmd == "meas" || cmd == "measure") {
      // runs on the current plot when it comes; its syntax is checked here when its text is known
      bool dynamic = false;
      std::string t = substitute(n, n.args, dynamic);
      if (!dynamic) {
        // a value that is a vector is known at run time only; then so is whether the values fit
        bool vectors = false;
        auto m = parseMeasureCommand(n.cmd + " " + t, locOf(n.at), [&vectors](std::string_view) {
          vectors = true;
          return std::optional<double>(0.0);
        });
        // one ngspice 39 cannot read fails when it runs (reported, the script goes on), as there
        if (m) vecs_.erase(m->name);  // its value comes with the run
      }
      emit(n);
      return Flow::Normal;
    }
    if (cmd == "define" || cmd == "undefine") {
      if (cmd == "define") {
        std::string name, why;
        script::UserFunction f;
        if (!script::parseDefine(n.args, name, f, why)) bad(n, why);
        auto& list = functions_[name];
        std::erase_if(list, [&](const script::UserFunction& g) { return g.params.size() == f.params.size(); });
        list.push_back(std::move(f));
      } else {
        for (const std::string& w : script::vectorWords(n.args)) functions_.erase(w);
        if (trimStr(n.args) == "*") functions_.clear();
      }
      emit(n);
      return Flow::Normal;
    }
    if (cmd == "save") {
      asCard(n, n.cmd + " " + n.args, ".save");
      return Flow::Normal;
    }
    if (cmd == "option" || cmd == "options" || cmd == "opt") {
      optionCommand(n);
      return Flow::Normal;
    }
    if (cmd == "compose") {
      // a vector of values known here (compose v start=0 stop=-3.3 step=-0.825) is known to the
      // loops and alters after it (while k < length(v), alter vbs = v[k]); the run makes it too
      auto w = script::vectorWords(n.args);
      if (!w.empty()) vecs_.erase(w[0]);
      bool dynamic = false, missing = false;
      const std::string t = script::expandBraces(substitute(n, n.args, dynamic));
      if (!dynamic) {
        auto v = script::composeVector(t, context(missing));
        if (v && !missing) vecs_[v->name] = std::move(v.value());
      }
    }
    if (kRuntimeCmds.count(cmd) || cmd == "four") {
      ControlNode m = n;
      if (cmd == "four") m.cmd = "fourier";
      emit(m);
      return Flow::Normal;
    }
    if (cmd == "quit" || cmd == "exit") return Flow::Normal;
    if (cmd == "pre_osdi") return Flow::Normal;  // loaded before the circuit was read (plugins.cpp)
    if (cmd == "optran") {
      optran(n);
      return Flow::Normal;
    }
    if (oneOf(cmd, {"disto", "pss"})) {
      fe_.warnOnce(n.at, "control:" + cmd, "'.control' command '" + cmd + "' ignored: this analysis is not supported here");
      return Flow::Normal;
    }
    if (cmd == "source") {
      // (one the deck's reading loaded returned above)
      fe_.warnOnce(n.at, "control:source",
                   "'.control' command 'source' ignored: a file it names is read with the deck (source FILE, "
                   "source $inputdir/FILE), and this name is made when the script runs");
      return Flow::Normal;
    }
    // (a script reads no other files at run time, runs no programs and keeps its one circuit)
    if (oneOf(cmd, {"load", "codemodel", "shell", "cd", "remcirc", "rspice", "snsave", "save_ic"})) {
      fe_.warnOnce(n.at, "control:" + cmd,
                   "'.control' command '" + cmd +
                       "' ignored: a script here reads no files while it runs, runs no programs and keeps its one "
                       "circuit (load, codemodel, shell, cd, remcirc, rspice, snsave, save_ic); put the circuit in "
                       "the deck, or sweep it with .step or the Python package");
      return Flow::Normal;
    }
    if (oneOf(cmd, {"plot", "gnuplot", "asciiplot", "iplot", "display", "setscale", "hardcopy", "wrs2p", "show",
                    "showmod", "listing", "status", "version", "rusage", "setcs", "unlet",
                    "cutout", "spec", "alias", "unalias", "history",
                    "devhelp", "inventory", "mdump", "settype", "transpose", "where", "edit"})) {
      fe_.warnOnce(n.at, "control:" + cmd,
                   "'.control' command '" + cmd + "' ignored: it displays or edits what simcore's front ends show");
      return Flow::Normal;
    }
    // ngspice's batch mode reports a command it cannot run and goes on; so does simcore
    fe_.warnOnce(n.at, "control:" + cmd,
                 "'.control' command '" + cmd +
                     "' ignored: not supported (supported: op tran ac dc noise tf pz sens sp run save option meas alter altermod "
                     "alterparam reset mc_source set unset let define undefine compose print echo wrdata write fourier fft setplot strcmp "
                     "destroy linearize stop resume delete foreach repeat while dowhile if break continue; display commands are ignored)");
    return Flow::Normal;
  }

  // optran NOOPITER GMINSTEPS SRCSTEPS TSTEP TSTOP TRAMP (ngspice 39's
  // com_optran): the operating points of the analyses try plain Newton
  // (NOOPITER not 0), gmin stepping (GMINSTEPS > 0), source stepping
  // (SRCSTEPS > 0) and then, when TSTEP > 0, the transient operating point
  // (ir::OpTran). A bad line is warned and ignored, as ngspice's "Error in
  // command 'optran'". Like `option`, it holds for the whole run.
  void optran(const ControlNode& n) {
    bool dynamic = false;
    const std::string t = substitute(n, n.args, dynamic);
    std::vector<std::string> w = script::vectorWords(t);
    auto badArgs = [&](const std::string& why) {
      fe_.warnOnce(n.at, "control:optran:bad", "'optran " + trimStr(t) + "' ignored: " + why +
                                                   " (optran NOOPITER GMINSTEPS SRCSTEPS TSTEP TSTOP TRAMP, as ngspice 39)");
    };
    if (dynamic) return badArgs("its values depend on results");
    if (w.size() != 6) return badArgs("expected 6 values, found " + std::to_string(w.size()));
    int flags[3];
    for (int k = 0; k < 3; ++k) {
      // (whole numbers, as ngspice reads them)
      char* end = nullptr;
      errno = 0;
      const long v = std::strtol(w[k].c_str(), &end, 10);
      if (w[k].empty() || *end != '\0' || errno == ERANGE || v < INT_MIN || v > INT_MAX)
        return badArgs("'" + w[k] + "' is not a whole number");
      flags[k] = int(v);
    }
    double v[3];
    for (int k = 0; k < 3; ++k) {
      std::string why;
      if (!parseNumber(w[3 + k], v[k], why)) return badArgs("bad number '" + w[3 + k] + "'");
    }
    if (!(v[0] >= 0) || !(v[1] >= 0) || !(v[2] >= 0)) return badArgs("the times must not be negative");
    if (v[0] > v[1]) return badArgs("the step " + w[3] + " is larger than the final time " + w[4]);
    if (v[2] > v[1]) return badArgs("the ramp time " + w[5] + " is larger than the final time " + w[4]);
    ir::OpTran o;
    o.given = true;
    o.newton = flags[0] != 0;
    o.gminSteps = flags[1];
    o.srcSteps = flags[2];
    o.step = v[0];  // (0: no transient; the three flags still hold)
    o.stop = v[1];
    o.ramp = v[2];
    fe_.c_.options.optran = o;
    state_.options.optran = o;
    for (ir::Variant& var : fe_.c_.variants) var.options.optran = o;
  }

  // The line (with variables substituted) read as the dot card `dotName`.
  void asCard(const ControlNode& n, const std::string& text, const char* dotName) {
    bool dynamic = false;
    std::string t = substitute(n, text, dynamic);
    if (dynamic) bad(n, dependsOnResults(n));
    fe_.controlLex_.emplace_back();
    LexedFile& lex = fe_.controlLex_.back();
    lex.name = *n.at.file;
    lex.owned = std::string(n.at.col > 1 ? std::size_t(n.at.col - 1) : 0, ' ') + t;
    lex.text = lex.owned;
    lexFile(lex, false);
    for (Token& tok : lex.tokens) tok.line = n.at.line, tok.file = n.at.file;
    if (lex.cards.empty()) return;
    lex.tokens.front().text = dotName;
    const std::size_t before = fe_.c_.analyses.size();
    fe_.control(top_, lex.cards.front());
    for (std::size_t i = before; i < fe_.c_.analyses.size(); ++i) fe_.c_.analyses[i].variant = currentVariant(n);
  }

  void analysisCommand(const ControlNode& n, const char* dotName) {
    const std::size_t before = fe_.c_.analyses.size();
    asCard(n, n.cmd + " " + n.args, dotName);
    // (HSPICE's .noise v(out) SRC [INTER] is a card's form: the script's command
    // names its sweep, as ngspice's)
    for (std::size_t k = before; k < fe_.c_.analyses.size(); ++k)
      if (fe_.c_.analyses[k].kind == ir::AnalysisKind::Noise && fe_.c_.analyses[k].acPoints == 0)
        bad(n, "noise: expected noise v(out[,ref]) SRC dec|oct|lin N FSTART FSTOP [PTS_PER_SUMMARY]");
    pauses(before);
    scripted_ = true;
  }

  // stop when time = T (also eq, >=, ge): the transients that follow pause at T
  // (ngspice's breakpoint there); time > T (gt): at the first time point after T.
  // `resume` continues them. Other conditions are an error.
  void stopCommand(const ControlNode& n) {
    bool dynamic = false;
    std::string t = trimStr(substitute(n, n.args, dynamic));
    if (dynamic) bad(n, dependsOnResults(n));
    // (time=1ms in one word, as ngspice splits it)
    std::string spaced;
    for (char c : t) {
      if (c == '=' && !spaced.empty() && spaced.back() != '>' && spaced.back() != '<') spaced += " = ";
      else spaced += c;
    }
    std::vector<std::string> w;
    for (std::size_t i = 0; i < spaced.size();) {
      while (i < spaced.size() && isBlank(spaced[i])) ++i;
      const std::size_t from = i;
      while (i < spaced.size() && !isBlank(spaced[i])) ++i;
      if (i > from) w.push_back(lower(spaced.substr(from, i - from)));
    }
    auto unsupported = [&] {
      bad(n, "stop: simcore pauses a transient at a time: stop when time = T (or time >= T, time > T), found 'stop " +
                 t + "'");
    };
    if (w.size() != 4 || w[0] != "when" || w[1] != "time") unsupported();
    const bool after = w[2] == ">" || w[2] == "gt";
    if (w[2] != "=" && w[2] != "eq" && w[2] != ">=" && w[2] != "ge" && !after) unsupported();
    double at = 0;
    std::string why;
    if (!parseNumber(w[3], at, why)) bad(n, "stop: '" + w[3] + "' is not a time: " + why);
    if (at > 0) stops_.push_back(Stop{++stopNumber_, at, after});
  }

  // The first stop after `after` and before tstop; time 0: none.
  Stop nextStop(double after, double tstop) const {
    Stop best;
    for (const Stop& st : stops_)
      if (st.time > after * (1 + 1e-12) && st.time < tstop * (1 - 1e-12) && (best.time == 0 || st.time < best.time))
        best = st;
    return best;
  }

  // The analyses from `before` on: a transient pauses at the first stop; the
  // last one is what `resume` continues (nothing when it does not pause).
  void pauses(std::size_t before) {
    for (std::size_t i = before; i < fe_.c_.analyses.size(); ++i) {
      ir::Analysis& a = fe_.c_.analyses[i];
      if (a.kind == ir::AnalysisKind::Tran) {
        const Stop first = nextStop(0, a.tstop);
        a.pauseAt = first.time;
        a.pauseAfter = first.after;
      }
      pausedIndex_ = a.kind == ir::AnalysisKind::Tran && a.pauseAt > 0 ? int(i) : -1;
    }
  }

  void addAnalysis(ir::Analysis a, const ControlNode& n) {
    a.variant = currentVariant(n);
    fe_.c_.analyses.push_back(std::move(a));
  }

  int currentVariant(const ControlNode& n) {
    if (!altered_) return -1;
    if (dirty_) {
      if (fe_.c_.variants.size() >= kMaxVariants)
        bad(n, "the .control script makes more than " + std::to_string(kMaxVariants) + " circuit variants");
      std::string label;
      for (const auto& [k, v] : changes_) label += (label.empty() ? "" : " ") + k + "=" + v;
      state_.label = label;
      state_.loc = locOf(n.at);
      state_.liveFrom = live_ ? liveBase_ : -1;
      fe_.c_.variants.push_back(state_);
      variant_ = int(fe_.c_.variants.size()) - 1;
      dirty_ = false;
    }
    return variant_;
  }

  // A variable `set` (or `option`) gives a value known here: kept for the substitutions after
  // it, and its words quoted for the run-time `set` statement ("name = ( "a" "b" ) ")
  std::string setVariable(const std::string& name, const std::vector<std::string>& values) {
    vars_[name] = values;
    dynamicVars_.erase(name);
    std::string quoted = name;
    if (!values.empty()) {
      quoted += " = ( ";
      for (const auto& v : values) quoted += "\"" + v + "\" ";
      quoted += ")";
    }
    return quoted + " ";
  }

  // option NAME=VALUE ...: before the script's first analysis, the circuit's
  // own options (as a .options card); after it, as ngspice 39's com_option,
  // the options of the analyses that follow until the next reset (a variant of
  // the circuit): Qucs-S's temperature sweeps (`foreach t -20 20 60 100` /
  // `option temp = $t` / `tran ...`), a tolerance tightened for one analysis
  void optionCommand(const ControlNode& n) {
    // ngspice's option sets each name as `set` does (com_option: cp_vset): the script's
    // own variables (appendwrite, wr_singlescale, numdgt, ...) for the commands after it,
    // the circuit's options for the analyses after it; `$name` reads either
    bool dynamic = false;
    const std::string t = substitute(n, n.args, dynamic);
    if (dynamic) bad(n, dependsOnResults(n));
    std::string quoted, circuit;
    for (auto& [name, values] : script::parseSetArgs(t)) {
      quoted += setVariable(name, values);
      if (script::isScriptVariable(name)) continue;
      circuit += " " + name;
      if (!values.empty()) circuit += "=" + values[0];
    }
    if (!quoted.empty()) emitText(n, "set", quoted);
    if (circuit.empty()) return;
    ControlNode m = n;
    m.args = circuit;
    optionCard(m);
  }
  // The circuit options of an `option` command (optionCommand)
  void optionCard(const ControlNode& n) {
    const std::string text = n.cmd + " " + n.args;
    if (!scripted_ && !altered_) {
      asCard(n, text, ".options");
      return;
    }
    bool dynamic = false;
    const std::string t = trimStr(substitute(n, n.args, dynamic));
    if (dynamic) bad(n, dependsOnResults(n));
    beginAlter();
    const ir::Options circuit = fe_.c_.options;
    const double temp = state_.options.temp;
    fe_.c_.options = state_.options;
    asCard(n, text, ".options");
    state_.options = fe_.c_.options;
    fe_.c_.options = circuit;
    if (state_.options.temp != temp) {
      applySetTemp(state_.options.temp);  // labelled as `set temp`, the same option in ngspice
    } else {
      changes_.emplace_back("option", t);
    }
  }

  void applySetTemp(double temp) {
    beginAlter();
    state_.options.temp = temp;
    std::erase_if(changes_, [](const auto& ch) { return ch.first == "temp"; });
    changes_.emplace_back("temp", fmtG(temp));
  }

  void beginAlter() {
    if (!altered_) {
      state_ = ir::Variant{};
      state_.devices = fe_.c_.devices;
      state_.models = fe_.c_.models;
      state_.options = fe_.c_.options;
      state_.ic = fe_.c_.ic;
      state_.nodeset = fe_.c_.nodeset;
      changes_.clear();
      altered_ = true;
    }
    dirty_ = true;
  }

  // alterparam NAME = VALUE: a top-level .param's new value, which the circuit takes at the
  // next reset (ngspice re-reads the netlist then; its emulation of .step); it stays for
  // every later reset
  void alterParam(const ControlNode& n) {
    bool dynamic = false;
    std::string t = trimStr(substitute(n, n.args, dynamic));
    if (dynamic) bad(n, dependsOnResults(n));
    const std::size_t eq = t.find('=');
    std::string name = lower(trimStr(t.substr(0, eq == std::string::npos ? 0 : eq)));
    const std::string value = eq == std::string::npos ? std::string() : trimStr(t.substr(eq + 1));
    // alterparam SUBCKT PARAM = VALUE: the sub-circuit's parameter in every instance of it
    std::string subckt;
    if (const std::size_t sp = name.find_first_of(" \t"); sp != std::string::npos) {
      subckt = name.substr(0, sp);
      name = trimStr(name.substr(sp));
    }
    if (name.empty() || value.empty() || name.find_first_of(" \t") != std::string::npos)
      bad(n, "expected alterparam NAME = VALUE (a top-level .param) or alterparam SUBCKT NAME = VALUE (a "
             "sub-circuit's parameter)");
    if (!subckt.empty()) {
      const SubcktDef* def = findSubckt(subckt);
      if (!def) bad(n, "alterparam: no sub-circuit named '" + subckt + "'");
      if (!def->paramNames.count(name)) bad(n, "alterparam: sub-circuit '" + subckt + "' has no parameter '" + name + "'");
    } else if (!fe_.top_.paramNames.count(name)) {
      bad(n, "alterparam: no top-level .param named '" + name + "'");
    }
    bool missing = false;
    auto v = script::evaluateOne(value, context(missing));
    if (missing) {
      // the netlist is read again with the value at the next reset, before the run
      dynamicWhat_ = "'" + value + "'";
      bad(n, dependsOnResults(n) + " (alterparam's value is read into the netlist before the run; alter and "
                                   "altermod take values of results)");
    }
    if (!v || v->size() != 1 || v->complex) bad(n, "alterparam: '" + value + "' is not a number");
    if (!subckt.empty()) {
      for (auto& a : subcktParams_)
        if (a.subckt == subckt && a.name == name) {
          a.value = v->re[0];
          return;
        }
      subcktParams_.push_back(Frontend::SubcktParam{subckt, name, v->re[0]});
      return;
    }
    for (auto& [k, x] : params_)
      if (k == name) {
        x = v->re[0];
        return;
      }
    params_.emplace_back(name, v->re[0]);
  }

  // A sub-circuit definition of that name at any depth (ngspice matches the name alone).
  const SubcktDef* findSubckt(const std::string& name) const {
    std::function<const SubcktDef*(const SubcktDef&)> find = [&](const SubcktDef& d) -> const SubcktDef* {
      if (auto it = d.children.find(name); it != d.children.end()) return it->second.get();
      for (const auto& [k, c] : d.children)
        if (const SubcktDef* r = find(*c)) return r;
      return nullptr;
    };
    return find(fe_.top_);
  }

  // reset after alterparam, mc_source and source: the netlist elaborated again with the
  // parameters set; with redraw, its random functions drawn anew from the script's generator as
  // it is now (after setseed), unless the netlist seeds it itself (.options seed=N: ngspice
  // reads that card again too); the script's generator goes on from there
  void reelaborate(const ControlNode& n, bool redraw = false) {
    Frontend fe(fe_.opts_);
    fe.nested_ = fe.reelaboration_ = true;
    fe.stepParams_ = params_;
    fe.subcktParams_ = subcktParams_;
    if (redraw && !fe_.earlyOption("seed")) fe.rngStart_ = fe_.rng_;
    ir::Circuit vc;
    try {
      vc = fe.run(fe_.text_);
    } catch (NetlistError& e) {
      e.err.message = (redraw ? "after " + n.cmd + ": " : std::string("after alterparam: ")) + e.err.message;
      throw;
    }
    if (redraw) fe_.rng_ = fe.rng_;
    bool same = vc.devices.size() == fe_.c_.devices.size();
    for (std::size_t i = 0; same && i < vc.devices.size(); ++i) same = vc.devices[i].name == fe_.c_.devices[i].name;
    if (!same)
      bad(n, "the parameters alterparam set change which devices the circuit has (an .if on one?): alterparam "
             "may change values only");
    state_ = ir::Variant{};
    live_ = false;
    liveBase_ = -1;
    state_.devices = std::move(vc.devices);
    state_.models = std::move(vc.models);
    state_.options = vc.options;
    state_.ic = std::move(vc.ic);
    state_.nodeset = std::move(vc.nodeset);
    if (redraw) changes_.emplace_back("draw", std::to_string(++redraws_));
    for (const auto& [k, x] : params_) changes_.emplace_back(k, fmtG(x));
    for (const auto& a : subcktParams_) changes_.emplace_back(a.subckt + "." + a.name, fmtG(a.value));
    altered_ = dirty_ = true;
  }

  // alter DEV VALUE | alter DEV = VALUE | alter DEV PARAM = VALUE | alter @DEV[PARAM] = VALUE
  // altermod MODEL PARAM = VALUE [PARAM = VALUE ...] | altermod @MODEL[PARAM] = VALUE
  // Applied here when its values are known here; otherwise (a vector of an
  // earlier analysis, a variable set at run time) it runs at run time, as
  // every alter after it until the next reset (their order is kept).
  void alter(const ControlNode& n) {
    bool dynamic = false;
    std::string t = trimStr(substitute(n, n.args, dynamic));
    // alter V1 PULSE(...): a source's waveform as on its card, which ngspice 39 cannot
    // alter either ("Cannot alter parameters"): it reports it and goes on without it
    if (n.cmd == "alter") {
      const std::size_t b = t.find_first_of(" \t");
      const std::string rest = b == std::string::npos ? std::string() : lower(trimStr(t.substr(b)));
      const std::size_t open = rest.find('(');
      if (open != std::string::npos && open > 0 &&
          netlist::sourceWaveKind(trimStr(rest.substr(0, open))) != ir::WaveKind::None) {
        fe_.warnOnce(n.at, "alter-wave:" + t,
                     "'alter " + t + "' ignored: a waveform is altered as alter @" + lower(t.substr(0, b)) + "[" +
                         trimStr(rest.substr(0, open)) + "] = [ VALUES ] (ngspice 39 cannot alter it this way either)");
        return;
      }
    }
    // several PARAM = VALUE pairs: simcore sets each; ngspice 39 only the first (its com_alter_common
    // reads the words after the first '=' as one expression) -- said, for who compares the two
    if (std::count(t.begin(), t.end(), '=') > 1 && t.find('[') == std::string::npos)
      fe_.warnOnce(n.at, "alter-pairs:" + std::to_string(n.at.line),
                   "'" + n.cmd + " " + t + "': every PARAM = VALUE pair is set; ngspice 39 sets only the first (write one " +
                       n.cmd + " per parameter to compare with it)");
    if (!live_ && !dynamic) {
      beginAlter();
      // a value's vector here; NeedsRun when it reads one known at run time only
      auto value = [this, &n](const std::string& text) -> std::optional<script::Vec> {
        bool missing = false;
        auto v = script::evaluateOne(text, context(missing));
        if (missing) {
          // an @dev[param] the cards do not give (simcore has no model defaults here)
          for (std::size_t at = text.find('@'); at != std::string::npos; at = text.find('@', at + 1)) {
            const std::size_t close = text.find(']', at);
            if (close == std::string::npos) break;
            const std::string q = lower(text.substr(at, close - at + 1));
            if (!cardQuantity(q))
              bad(n, "'" + n.cmd + "': " + q + " is not given on a card (simcore reads @device[param] and @model[param] "
                     "from what the netlist's cards say, before the run)");
          }
          throw NeedsRun{};
        }
        if (!v || v->size() == 0 || v->complex) return std::nullopt;
        return std::move(v.value());
      };
      try {
        // a vector of several values gives its first, as ngspice 39's doset
        applyAlter(
            n.at, n.cmd, t, state_, changes_,
            [&](const std::string& text) -> std::optional<double> {
              auto v = value(text);
              return v ? std::optional<double>(v->re[0]) : std::nullopt;
            },
            [&](const std::string& text) -> std::optional<std::vector<double>> {
              auto v = value(text);
              return v ? std::optional<std::vector<double>>(v->re) : std::nullopt;
            });
        return;
      } catch (const NeedsRun&) {
        // (what it changed before the value that needs the run is changed again there)
      }
    }
    goLive(n);
    liveChange(dynamic ? trimStr(n.args) : t);
    dirty_ = true;
    emitText(n, n.cmd, dynamic ? n.args : t);
  }

  // From here to the next reset the alters run at run time, from the circuit as it is now.
  void goLive(const ControlNode& n) {
    if (live_) return;
    beginAlter();
    currentVariant(n);
    liveBase_ = variant_;
    live_ = true;
  }

  // The label part of a run-time alter: what it changes and the value as written.
  void liveChange(const std::string& t) {
    std::string lhs, rhs;
    if (const std::size_t eq = t.find('='); eq != std::string::npos) {
      lhs = trimStr(t.substr(0, eq));
      rhs = trimStr(t.substr(eq + 1));
    } else {
      const std::size_t sp = t.find_last_of(" \t");
      lhs = trimStr(t.substr(0, sp == std::string::npos ? 0 : sp));
      rhs = trimStr(t.substr(sp == std::string::npos ? 0 : sp + 1));
    }
    std::string key;
    for (char c : lower(lhs)) {
      if (c == '@' || c == ']') continue;
      key += (c == '[' || isBlank(c)) ? '.' : c;
      if (key.size() > 1 && key.back() == '.' && key[key.size() - 2] == '.') key.pop_back();
    }
    std::erase_if(changes_, [&](const auto& ch) { return ch.first == key; });
    changes_.emplace_back(key, rhs);
  }
};

}  // namespace

bool compileControlScript(Frontend& fe, Frame& top, std::vector<ir::Analysis> dot, std::vector<ControlNode> lines) {
  ScriptCompiler sc(fe, top, std::move(dot));
  sc.compile(std::move(lines));
  return sc.scripted();
}

}  // namespace simcore::netlist
