// The run-time interpreter of .control scripts: plots kept from the analyses,
// variables, substitution and control flow; the commands are in commands.cpp.
#include "script/runner.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "netlist/number.hpp"
#include "script/card_quantity.hpp"
#include "simcore/ngspice_names.hpp"
#include "script/output.hpp"
#include "script/words.hpp"

namespace simcore::script {
namespace {

// The plot name before its number, as ngspice's: the analysis name, and
// "noise" for both of a .noise's plots (noise1 spectra, noise2 totals).
const char* plotPrefix(AnalysisType t) { return t == AnalysisType::NoiseTotal ? "noise" : analysisName(t); }

const char* plotLongName(AnalysisType t) {
  switch (t) {
    case AnalysisType::Op: return "Operating Point";
    case AnalysisType::Dc: return "DC transfer characteristic";
    case AnalysisType::Ac: return "AC Analysis";
    case AnalysisType::Tran: return "Transient Analysis";
    case AnalysisType::Pss: return "PSS Analysis";
    case AnalysisType::Fra: return "FRA Analysis";
    case AnalysisType::Losses: return "Losses";
    case AnalysisType::Pz: return "Pole-Zero Analysis";
    // ngspice's names of its noise and transfer-function plots
    case AnalysisType::Noise: return "Noise Spectral Density Curves";
    case AnalysisType::NoiseTotal: return "Integrated Noise";
    case AnalysisType::PssSpectrum: return "Frequency Domain Periodic Steady State Analysis";
    case AnalysisType::Sens: return "Sensitivity Analysis";
    case AnalysisType::Sp: return "SP Analysis";
    case AnalysisType::Tf: return "Transfer Function";
  }
  return "?";
}

// A vector's value in $&name, as ngspice 39 prints a real variable: %G (1E-07, not 1e-07;
// tables written by `echo $&vec >> file` then match ngspice's byte for byte).
std::string fmtG(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%G", v);
  return buf;
}

}  // namespace

// ngspice's vector name of a simcore signal: v(out) -> out, i(v1) -> v1#branch.
std::string vectorName(const std::string& signal) {
  if (signal.size() > 3 && signal.compare(0, 2, "v(") == 0 && signal.back() == ')' &&
      signal.find(',') == std::string::npos)
    return signal.substr(2, signal.size() - 3);
  if (signal.size() > 3 && signal.compare(0, 2, "i(") == 0 && signal.back() == ')') {
    // (XSPICE's i(a1#branch_1_0) is the vector a1#branch_1_0)
    std::string inner = signal.substr(2, signal.size() - 3);
    return inner.find('#') == std::string::npos ? inner + "#branch" : inner;
  }
  return signal;
}

const Vec* Plot::find(const std::string& n) const {
  if (scale && scale->name == n) return scale.get();
  for (const auto& v : vecs)
    if (v->name == n) return v.get();
  return nullptr;
}

void Plot::put(Vec v) {
  for (auto& w : vecs)
    if (w->name == v.name) {
      *w = std::move(v);
      return;
    }
  vecs.push_back(std::make_unique<Vec>(std::move(v)));
}

ScriptSink::ScriptSink(const ir::Circuit& circuit) : circuit_(circuit) {
  vars_["inputdir"] = {circuit_.script.inputDir};
  constants_.typeName = "const";
  constants_.name = "constants";
  constants_.title = "Constant values";
}

bool ScriptSink::keep(const std::string& vecName) const {
  const ir::Script& sc = circuit_.script;
  if (sc.keepAll) return true;
  auto has = [&](const std::string& w) { return std::find(sc.names.begin(), sc.names.end(), w) != sc.names.end(); };
  if (has(vecName)) return true;
  if (auto h = vecName.find('#'); h != std::string::npos && has(vecName.substr(0, h))) return true;
  for (const std::string& w : vectorWords(vecName))
    if (w != "v" && w != "i" && has(w)) return true;
  return false;
}

void ScriptSink::begin(const AnalysisHeader& h) {
  if (!started_) {
    started_ = true;
    runPending(0);
  }
  building_ = nullptr;
  simulated_ = true;
  if (h.type != AnalysisType::Losses && status_.ok()) {
    Plot p;
    const char* prefix = plotPrefix(h.type);
    p.typeName = newPlotName(prefix);
    p.name = plotLongName(h.type);
    p.title = circuit_.title;
    p.type = h.type;
    // a .noise's totals (an index of their own, after the netlist's analyses): the .noise's
    p.analysis = h.type == AnalysisType::NoiseTotal ? lastNoise_ : h.index;
    if (h.type == AnalysisType::Noise) lastNoise_ = h.index;
    if (!h.xName.empty()) {
      p.scale = std::make_unique<Vec>();
      std::string xn = h.xName;
      if (h.type == AnalysisType::Dc) {
        // ngspice's names of the sweep's scale: by what the first axis sets
        const std::size_t dot = xn.rfind('.');
        const char leaf = xn.empty() ? 'v' : xn[dot == std::string::npos ? 0 : dot + 1];
        xn = xn == "temp" ? "temp-sweep" : leaf == 'r' ? "res-sweep" : leaf == 'i' ? "i-sweep" : "v-sweep";
      }
      p.scale->name = xn;
    }
    buildingComplex_ = h.complex;
    columns_.assign(h.signals.size(), -1);
    for (std::size_t k = 0; k < h.signals.size(); ++k) {
      std::string n = vectorName(h.signals[k].name);
      // (a plot without a scale keeps its first vector: ngspice's op plot takes it as its scale,
      // the first column wrdata writes)
      if (!keep(n) && !(h.xName.empty() && k == 0)) continue;
      auto v = std::make_unique<Vec>();
      v->name = n;
      v->complex = h.complex;
      const std::string& sig = h.signals[k].name;
      if (sig.size() > 2 && sig[1] == '(') v->type = sig[0] == 'v' ? 'v' : sig[0] == 'i' ? 'i' : 0;
      columns_[k] = int(p.vecs.size());
      p.vecs.push_back(std::move(v));
    }
    plots_.push_back(std::move(p));
    building_ = &plots_.back();
    buildingIndex_ = int(plots_.size()) - 1;
    for (auto& v : building_->vecs) {
      v->scale = building_->scale.get();
      v->plot = int(plots_.size()) - 1;
    }
    if (building_->scale) building_->scale->plot = int(plots_.size()) - 1;
  }
  if (inner_) inner_->begin(h);
}

void ScriptSink::chunk(const Chunk& c) {
  if (building_ && status_.ok()) {
    std::size_t add = c.rows * (building_->scale ? 1 : 0);
    for (std::size_t k = 0; k < columns_.size(); ++k)
      if (columns_[k] >= 0) add += c.rows * (buildingComplex_ ? 2 : 1);
    if (kept_ + add > kMaxKeptValues) {
      status_ = makeError(ErrorCode::Limit,
                          "the .control script would keep more than " + std::to_string(kMaxKeptValues) +
                              " values of the results (" + building_->typeName +
                              "): name fewer vectors in its commands, or shorten the analysis");
      building_ = nullptr;
    } else {
      kept_ += add;
      if (building_->scale) building_->scale->re.insert(building_->scale->re.end(), c.x.begin(), c.x.begin() + c.rows);
      for (std::size_t k = 0; k < columns_.size() && k < c.re.size(); ++k) {
        if (columns_[k] < 0) continue;
        Vec& v = *building_->vecs[std::size_t(columns_[k])];
        v.re.insert(v.re.end(), c.re[k].begin(), c.re[k].begin() + c.rows);
        if (buildingComplex_) v.im.insert(v.im.end(), c.im[k].begin(), c.im[k].begin() + c.rows);
      }
    }
  }
  if (inner_) inner_->chunk(c);
}

void ScriptSink::end(const AnalysisSummary& s) {
  if (inner_) inner_->end(s);
  if (s.type == AnalysisType::Losses || !building_) return;
  current_ = buildingIndex_;  // (statements run during a pause may have made plots after it)
  const int ended = (resumedAs_ >= 0 ? resumedAs_ : building_->analysis) + 1;
  resumedAs_ = -1;
  building_ = nullptr;
  // the statements after a .noise wait for its totals too (ngspice's noise2 plot)
  if (s.type == AnalysisType::Noise && ended >= 1 && std::size_t(ended) <= circuit_.analyses.size()) {
    const ir::Analysis& a = circuit_.analyses[std::size_t(ended - 1)];
    if (a.fstart != a.fstop) return;
  }
  if (status_.ok()) runPending(ended);
}

void ScriptSink::paused(int index) {
  if (!building_ || !status_.ok()) return;
  current_ = buildingIndex_;
  runPending(index + 1);
}

void ScriptSink::runPending(int ended) {
  const ir::Script& sc = circuit_.script;
  while (!quit_ && next_ < sc.statements.size() && sc.after[next_] <= ended) {
    const ir::ScriptStatement& st = sc.statements[next_++];
    exec(st);
  }
}

// strcmp VAR S1 S2: VAR = the difference of the first bytes where S1 and S2
// differ (0 when equal), as ngspice's C strcmp gives it; quotes are dropped.
void ScriptSink::cmdStrcmp(const ir::ScriptStatement& s, const std::string& args) {
  std::vector<std::string> w;
  for (std::size_t i = 0; i < args.size();) {
    while (i < args.size() && std::isspace(static_cast<unsigned char>(args[i]))) ++i;
    if (i >= args.size()) break;
    std::string word;
    if (args[i] == '"') {
      const std::size_t e = args.find('"', i + 1);
      word = args.substr(i + 1, (e == std::string::npos ? args.size() : e) - i - 1);
      i = e == std::string::npos ? args.size() : e + 1;
    } else {
      while (i < args.size() && !std::isspace(static_cast<unsigned char>(args[i]))) word += args[i++];
    }
    w.push_back(std::move(word));
  }
  if (w.size() != 3) {
    fail(s, "expected strcmp VARIABLE STRING1 STRING2");
    return;
  }
  int r = 0;
  for (std::size_t k = 0;; ++k) {
    const int a = k < w[1].size() ? static_cast<unsigned char>(w[1][k]) : 0;
    const int b = k < w[2].size() ? static_cast<unsigned char>(w[2][k]) : 0;
    if (a != b || a == 0) {
      r = a - b;
      break;
    }
  }
  vars_[lowerStr(w[0])] = {std::to_string(r)};
}

void ScriptSink::fail(const ir::ScriptStatement& s, const std::string& message) {
  Error e = makeError(ErrorCode::Semantic, "'" + s.command + "': " + message, s.loc);
  out_.errors.push_back(e.format());
}

Plot* ScriptSink::current() { return current_ >= 0 ? &plots_[std::size_t(current_)] : &constants_; }

const Vec* ScriptSink::lookup(const std::string& name) const {
  // PLOT.name: a vector of another plot (tran1.out, const.pi)
  if (auto dot = name.find('.'); dot != std::string::npos && dot > 0) {
    const std::string plot = name.substr(0, dot), rest = name.substr(dot + 1);
    if (plot == "const" || plot == "constants") return constants_.find(rest);
    for (const Plot& p : plots_)
      if (p.typeName == plot) return p.find(rest);
  }
  if (current_ >= 0)
    if (const Vec* v = plots_[std::size_t(current_)].find(name)) return stateRead(name, v);
  if (const Vec* v = constants_.find(name)) return v;
  // ngspice's name of the current of a source inside a sub-circuit (i(v.x1.v1), the
  // vector v.x1.v1#branch): simcore's (x1.v1#branch)
  if (name.size() > 7 && name.compare(name.size() - 7, 7, "#branch") == 0) {
    const std::string alt = ir::fromNgspiceDeviceName(std::string_view(name).substr(0, name.size() - 7));
    if (!alt.empty()) return lookup(alt + "#branch");
  }
  if (!name.empty() && name[0] == '@') {
    // ngspice's name of a device inside a sub-circuit (@r.x1.r1[i]): simcore's (@x1.r1[i])
    if (const auto lb = name.find('['); lb != std::string::npos && lb > 1) {
      const std::string alt = ir::fromNgspiceDeviceName(std::string_view(name).substr(1, lb - 1));
      if (!alt.empty())
        if (const Vec* v = lookup("@" + alt + name.substr(lb))) return stateRead(name, v);
    }
    // @dev[param]: from the cards of the circuit (variant) the current plot ran on; after
    // run-time alters, of the circuit they made (ngspice reads the circuit as it is now)
    const ir::Variant* variant = live_ ? &*live_ : nullptr;
    const auto& variants = circuit_.variants;
    if (!variant && cardsFrom_ >= 0 && std::size_t(cardsFrom_) < variants.size())
      variant = &variants[std::size_t(cardsFrom_)];
    if (current_ >= 0 && !variant && cardsFrom_ != ir::ScriptStatement::kDeckCards) {
      const int a = plots_[std::size_t(current_)].analysis;
      if (a >= 0 && std::size_t(a) < circuit_.analyses.size()) {
        const int vi = circuit_.analyses[std::size_t(a)].variant;
        if (vi >= 0 && std::size_t(vi) < circuit_.variants.size()) variant = &circuit_.variants[std::size_t(vi)];
      }
    }
    if (std::optional<std::vector<double>> q = cardQuantity(name, variant ? variant->devices : circuit_.devices,
                                                            variant ? variant->models : circuit_.models)) {
      Vec& v = quantities_[name];
      v = Vec{};
      v.name = name;
      v.re = std::move(*q);
      v.plot = current_;  // a value of the current plot's circuit (wrdata repeats it along its scale)
      return &v;
    }
  }
  return nullptr;
}

// A device quantity saved only for the script (ir::Script::stateReads): ngspice
// reads the device's present state, i.e. after a transient or a dc sweep the
// last point's value. An AC plot's complex vector is left whole.
const Vec* ScriptSink::stateRead(const std::string& name, const Vec* v) const {
  const auto& reads = circuit_.script.stateReads;
  if (v->re.size() <= 1 || !v->im.empty() || std::find(reads.begin(), reads.end(), name) == reads.end()) return v;
  Vec& last = quantities_[name];
  last = Vec{};
  last.name = v->name;
  last.re = {v->re.back()};
  last.plot = v->plot;  // (wrdata repeats it along its plot's scale, as ngspice)
  return &last;
}

EvalContext ScriptSink::context() {
  EvalContext ctx;
  ctx.lookup = [this](const std::string& n) { return lookup(n); };
  ctx.rng = &rng_;
  ctx.rndseed = rndseedOf(vars_, 1);
  if (auto u = vars_.find("units"); u != vars_.end() && !u->second.empty() && !u->second[0].empty())
    ctx.degrees = u->second[0][0] == 'd' || u->second[0][0] == 'D';  // (ngspice tests the first letter)
  ctx.function = [this](const std::string& n, std::size_t arity) -> const UserFunction* {
    auto it = functions_.find(n);
    if (it == functions_.end()) return nullptr;
    for (const UserFunction& f : it->second)
      if (f.params.size() == arity) return &f;
    return nullptr;
  };
  return ctx;
}

// ngspice's variables of the plots: curplot (tran1), curplotname (Transient
// Analysis), curplottitle (the circuit's title), plots (every plot's name).
bool ScriptSink::plotVar(const std::string& name, std::vector<std::string>& value) const {
  const Plot& p = current_ >= 0 ? plots_[std::size_t(current_)] : constants_;
  if (name == "curplot") value = {p.typeName};
  else if (name == "curplotname") value = {p.name};
  else if (name == "curplottitle") value = {p.title};
  else if (name == "plots") {
    value.clear();
    for (const Plot& q : plots_)
      if (q.typeName.find("(destroyed)") == std::string::npos) value.push_back(q.typeName);
    value.push_back(constants_.typeName);
  } else if (name == "sim_status" && simulated_) {
    // ngspice's status of the last analysis: 0, or 1 when it was aborted (a simcore run
    // stops at an analysis that fails, so a script that goes on saw a success)
    value = {"0"};
  } else {
    return false;
  }
  return true;
}

// PREFIX + the plot number, as ngspice names plots: the number is raised
// while the name is taken (tran1, then linearize's tran2, then fft's sp2).
std::string ScriptSink::newPlotName(const std::string& prefix) {
  while (true) {
    const std::string name = prefix + std::to_string(plotNum_);
    bool taken = false;
    for (const Plot& q : plots_) taken = taken || q.typeName == name;
    if (!taken) return name;
    ++plotNum_;
  }
}

int ScriptSink::addPlot(Plot p) {
  plots_.push_back(std::move(p));
  current_ = int(plots_.size()) - 1;
  Plot& np = plots_.back();
  if (np.scale) np.scale->plot = current_;
  for (auto& v : np.vecs) v->scale = np.scale.get(), v->plot = current_;
  return current_;
}

int ScriptSink::intVar(const std::string& name, int dflt) const {
  auto it = vars_.find(name);
  if (it == vars_.end() || it->second.empty()) return dflt;
  double v = 0;
  std::string why;
  if (!netlist::parseNumber(it->second[0], v, why)) return dflt;
  return int(v);
}

// $name, $&vector, $?name, $#name.
std::string ScriptSink::substitute(const ir::ScriptStatement& s, std::string_view t, bool& ok) {
  std::string out;
  ok = true;
  for (std::size_t i = 0; i < t.size();) {
    // {$name}: the variable, the braces only delimit it (vout{$run}, {$dt}.v(out))
    if (t[i] == '{' && i + 1 < t.size() && t[i + 1] == '$') {
      const std::size_t close = t.find('}', i);
      if (close != std::string_view::npos) {
        out += substitute(s, t.substr(i + 1, close - i - 1), ok);
        if (!ok) return out;
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
    std::string name = lowerStr(std::string(t.substr(b, j - b)));
    if (name.empty()) {
      out += t[i++];
      continue;
    }
    i = j;
    auto it = vars_.find(name);
    std::vector<std::string> special;
    if (it == vars_.end() && mode != '&' && plotVar(name, special)) {
      if (mode == '?') out += "1";
      else if (mode == '#') out += std::to_string(special.size());
      else
        for (std::size_t k = 0; k < special.size(); ++k) out += (k ? " " : "") + special[k];
      continue;
    }
    if (mode == '?') {
      out += it != vars_.end() ? "1" : "0";
    } else if (mode == '#') {
      out += std::to_string(it != vars_.end() ? it->second.size() : 0);
    } else if (mode == '&') {
      auto v = evaluateOne(name, context());
      if (!v) {
        fail(s, v.error().message);
        ok = false;
        return out;
      }
      for (std::size_t k = 0; k < v->size(); ++k) {
        if (k) out += ' ';
        out += fmtG(v->re[k]);
        if (v->complex) out += "," + fmtG(v->im[k]);
      }
    } else if (it != vars_.end()) {
      for (std::size_t k = 0; k < it->second.size(); ++k) out += (k ? " " : "") + it->second[k];
    } else {
      fail(s, "no such variable '" + name + "'");
      ok = false;
      return out;
    }
  }
  return out;
}

bool ScriptSink::condition(const ir::ScriptStatement& s, bool& ok) {
  cardsFrom_ = s.variant;  // (again after a loop's body)
  std::string text = substitute(s, s.args, ok);
  if (!ok) return false;
  auto v = evaluateOne(text, context());
  if (!v) {
    fail(s, v.error().message);
    ok = false;
    return false;
  }
  return truth(v.value());
}

ScriptSink::Flow ScriptSink::run(const std::vector<ir::ScriptStatement>& list) {
  for (const auto& s : list) {
    Flow f = exec(s);
    if (f != Flow::Normal) return f;
    if (!status_.ok() || quit_) return Flow::Break;
  }
  return Flow::Normal;
}

ScriptSink::Flow ScriptSink::exec(const ir::ScriptStatement& s) {
  constexpr long kMaxIterations = 1000000;
  const std::string& c = s.command;
  if (c == "break") return Flow::Break;
  if (c == "continue") return Flow::Continue;
  // quit/exit where it runs (a branch: ngspice's self-checking decks) ends the script
  if (c == "quit" || c == "exit") {
    quit_ = true;
    return Flow::Break;
  }
  bool ok = true;
  cardsFrom_ = c == "alter" || c == "altermod" ? -1 : s.variant;
  if (c == "if") {
    bool t = condition(s, ok);
    if (!ok) return Flow::Normal;
    return run(t ? s.body : s.elseBody);
  }
  if (c == "while" || c == "dowhile") {
    for (long n = 0;; ++n) {
      if (n == kMaxIterations) {
        fail(s, "the loop did not end after " + std::to_string(kMaxIterations) + " iterations");
        return Flow::Normal;
      }
      if (c == "while" || n > 0) {
        bool t = condition(s, ok);
        if (!ok || !t) return Flow::Normal;
      }
      if (run(s.body) == Flow::Break) return Flow::Normal;
    }
  }
  if (c == "repeat") {
    std::string text = trim(substitute(s, s.args, ok));
    if (!ok) return Flow::Normal;
    long count = kMaxIterations;
    if (!text.empty()) {
      auto v = evaluateOne(text, context());
      if (!v || v->size() != 1) {
        fail(s, v ? "the count must be one number" : v.error().message);
        return Flow::Normal;
      }
      count = std::lround(v->re[0]);
    }
    for (long n = 0; n < count; ++n)
      if (run(s.body) == Flow::Break) break;
    return Flow::Normal;
  }
  if (c == "foreach") {
    std::vector<std::string> words;
    {
      std::string t = substitute(s, s.args, ok);
      if (!ok) return Flow::Normal;
      std::size_t i = 0;
      while (i < t.size()) {
        while (i < t.size() && std::isspace(static_cast<unsigned char>(t[i]))) ++i;
        std::size_t b = i;
        while (i < t.size() && !std::isspace(static_cast<unsigned char>(t[i]))) ++i;
        if (i > b) words.push_back(t.substr(b, i - b));
      }
    }
    if (words.empty()) {
      fail(s, "expected foreach VARIABLE VALUE ...");
      return Flow::Normal;
    }
    const std::string var = lowerStr(words[0]);
    for (std::size_t k = 1; k < words.size(); ++k) {
      vars_[var] = {words[k]};
      if (run(s.body) == Flow::Break) break;
    }
    return Flow::Normal;
  }
  std::string args = substitute(s, s.args, ok);
  if (!ok) return Flow::Normal;
  // ngspice's brace expansion of the words ({x} is x: `print {(t1+t2)/2}`); a .meas
  // value in braces (VAL={0.5*vdd}) stays the expression simcore evaluates
  if (c != "meas" && c != "measure") args = expandBraces(args);
  // `> FILE` / `>> FILE` after a command that prints (ngspice's output redirection):
  // its text goes to FILE (appended with >>) instead of the output
  std::string redirect;
  bool appendTo = false;
  const std::size_t textBefore = out_.text.size();
  if (c == "echo" || c == "print" || c == "fourier") {
    if (!splitRedirect(args, redirect, appendTo)) {
      fail(s, "expected a file name after '>'");
      return Flow::Normal;
    }
  }
  if (c == "echo") {
    // as ngspice: the words one blank apart, quotes (" and ') taken away, blanks
    // inside quotes kept (echo a  $&i',' 'x  y' prints "a 3, x  y")
    std::string line;
    char quote = 0;
    bool gap = false;
    for (char ch : trim(args)) {
      if (quote) {
        if (ch == quote) quote = 0;
        else line += ch;
      } else if (ch == '"' || ch == '\'') {
        if (gap) line += ' ';
        gap = false;
        quote = ch;
      } else if (ch == ' ' || ch == '\t') {
        gap = true;
      } else {
        if (gap) line += ' ';
        gap = false;
        line += ch;
      }
    }
    out_.text += line + "\n";
  } else if (c == "set") {
    cmdSet(s, args);
    // set temp = T: the temperature of the analyses that follow (the compiler put it in the variants;
    // the circuit the run-time alters make takes it here)
    if (live_)
      for (auto& [name, value] : parseSetArgs(args)) {
        double t = 0;
        std::string why;
        if (name == "temp" && value.size() == 1 && netlist::parseNumber(value[0], t, why)) {
          live_->options.temp = t;
          ++liveGeneration_;
        }
      }
  } else if (c == "alter" || c == "altermod") cmdAlter(s, args);
  else if (c == "reset") {
    live_.reset();
    liveFrom_ = -1;
    ++liveGeneration_;
  }
  else if (c == "unset") {
    for (const std::string& w : vectorWords(args)) vars_.erase(w);
  } else if (c == "let") cmdLet(s, args);
  else if (c == "print") cmdPrint(s, args);
  else if (c == "wrdata") cmdWrdata(s, args);
  else if (c == "write") cmdWrite(s, args);
  else if (c == "fourier") cmdFourier(s, args);
  else if (c == "setplot") cmdSetplot(s, args);
  else if (c == "destroy") cmdDestroy(s, args);
  else if (c == "linearize") cmdLinearize(s, args);
  else if (c == "meas" || c == "measure") cmdMeas(s, args);
  else if (c == "fft") cmdFft(s, args);
  else if (c == "define") cmdDefine(s, args);
  else if (c == "undefine") cmdUndefine(s, args);
  else if (c == "compose") cmdCompose(s, args);
  else if (c == "strcmp") cmdStrcmp(s, args);
  else if (c == "setseed") {
    std::string why;
    if (!setSeed(rng_, vars_, args, why)) out_.text += why + "\n";
  } else fail(s, "not a run-time command");
  if (!redirect.empty()) {
    std::string text = out_.text.substr(textBefore);
    out_.text.resize(textBefore);
    emitFile(s, redirect, std::move(text), appendTo ? 1 : 0);
  }
  return Flow::Normal;
}

bool splitRedirect(std::string& args, std::string& file, bool& append) {
  // the first '>' outside quotes; the file name is the word after it ('>' or '>>')
  char quote = 0;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const char ch = args[i];
    if (quote) {
      if (ch == quote) quote = 0;
      continue;
    }
    if (ch == '"' || ch == '\'') {
      quote = ch;
      continue;
    }
    if (ch != '>') continue;
    std::size_t j = i + 1;
    append = j < args.size() && args[j] == '>';
    if (append) ++j;
    while (j < args.size() && std::isspace(static_cast<unsigned char>(args[j]))) ++j;
    std::size_t b = j;
    while (j < args.size() && !std::isspace(static_cast<unsigned char>(args[j]))) ++j;
    file = args.substr(b, j - b);
    if (file.empty()) return false;
    args = args.substr(0, i) + args.substr(j);
    return true;
  }
  return true;
}

}  // namespace simcore::script
