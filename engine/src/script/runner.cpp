// The run-time interpreter of .control scripts: plots, variables, control
// flow and the commands that read vectors. Output formats follow ngspice 39:
// print (postcoms.c), wrdata, write (raw files), fourier (fourier.c).
#include "script/runner.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "netlist/number.hpp"
#include "script/output.hpp"

namespace simcore::script {
namespace {

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string lowerStr(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The first whitespace-separated word of s (lower case) and the rest.
std::pair<std::string, std::string> firstWord(std::string_view s) {
  std::string t = trim(s);
  std::size_t e = 0;
  while (e < t.size() && !std::isspace(static_cast<unsigned char>(t[e]))) ++e;
  return {t.substr(0, e), trim(std::string_view(t).substr(e))};
}

const char* plotPrefix(AnalysisType t) {
  switch (t) {
    case AnalysisType::Op: return "op";
    case AnalysisType::Dc: return "dc";
    case AnalysisType::Ac: return "ac";
    case AnalysisType::Tran: return "tran";
    case AnalysisType::Pss: return "pss";
    case AnalysisType::Fra: return "fra";
    case AnalysisType::Losses: return "losses";
  }
  return "?";
}

const char* plotLongName(AnalysisType t) {
  switch (t) {
    case AnalysisType::Op: return "Operating Point";
    case AnalysisType::Dc: return "DC transfer characteristic";
    case AnalysisType::Ac: return "AC Analysis";
    case AnalysisType::Tran: return "Transient Analysis";
    case AnalysisType::Pss: return "PSS Analysis";
    case AnalysisType::Fra: return "FRA Analysis";
    case AnalysisType::Losses: return "Losses";
  }
  return "?";
}

std::string fmtG(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

// ngspice's vector name of a simcore signal: v(out) -> out, i(v1) -> v1#branch.
std::string vectorName(const std::string& signal) {
  if (signal.size() > 3 && signal.compare(0, 2, "v(") == 0 && signal.back() == ')' &&
      signal.find(',') == std::string::npos)
    return signal.substr(2, signal.size() - 3);
  if (signal.size() > 3 && signal.compare(0, 2, "i(") == 0 && signal.back() == ')')
    return signal.substr(2, signal.size() - 3) + "#branch";
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
  if (h.type != AnalysisType::Losses && status_.ok()) {
    Plot p;
    const char* prefix = plotPrefix(h.type);
    p.typeName = std::string(prefix) + std::to_string(++typeCounts_[prefix]);
    p.name = plotLongName(h.type);
    p.title = circuit_.title;
    p.type = h.type;
    p.analysis = h.index;
    if (!h.xName.empty()) {
      p.scale = std::make_unique<Vec>();
      std::string xn = h.xName;
      if (h.type == AnalysisType::Dc) xn = (!xn.empty() && xn[0] == 'i') ? "i-sweep" : "v-sweep";
      p.scale->name = xn;
    }
    buildingComplex_ = h.complex;
    columns_.assign(h.signals.size(), -1);
    for (std::size_t k = 0; k < h.signals.size(); ++k) {
      std::string n = vectorName(h.signals[k].name);
      if (!keep(n)) continue;
      auto v = std::make_unique<Vec>();
      v->name = n;
      v->complex = h.complex;
      columns_[k] = int(p.vecs.size());
      p.vecs.push_back(std::move(v));
    }
    plots_.push_back(std::move(p));
    building_ = &plots_.back();
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
  current_ = int(plots_.size()) - 1;
  int ended = building_->analysis + 1;
  building_ = nullptr;
  if (status_.ok()) runPending(ended);
}

void ScriptSink::runPending(int ended) {
  const ir::Script& sc = circuit_.script;
  while (next_ < sc.statements.size() && sc.after[next_] <= ended) {
    const ir::ScriptStatement& st = sc.statements[next_++];
    exec(st);
  }
}

void ScriptSink::fail(const ir::ScriptStatement& s, const std::string& message) {
  Error e = makeError(ErrorCode::Semantic, "'" + s.command + "': " + message, s.loc);
  out_.errors.push_back(e.format());
}

Plot* ScriptSink::current() { return current_ >= 0 ? &plots_[std::size_t(current_)] : &constants_; }

const Vec* ScriptSink::lookup(const std::string& name) const {
  if (current_ >= 0)
    if (const Vec* v = plots_[std::size_t(current_)].find(name)) return v;
  return constants_.find(name);
}

EvalContext ScriptSink::context() {
  EvalContext ctx;
  ctx.lookup = [this](const std::string& n) { return lookup(n); };
  ctx.rng = &rng_;
  return ctx;
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
    if (!status_.ok()) return Flow::Break;
  }
  return Flow::Normal;
}

ScriptSink::Flow ScriptSink::exec(const ir::ScriptStatement& s) {
  constexpr long kMaxIterations = 1000000;
  const std::string& c = s.command;
  if (c == "break") return Flow::Break;
  if (c == "continue") return Flow::Continue;
  bool ok = true;
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
  if (c == "echo") {
    std::string line;
    for (char ch : trim(args))
      if (ch != '"') line += ch;
    out_.text += line + "\n";
  } else if (c == "set") cmdSet(s, args);
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
  else fail(s, "not a run-time command");
  return Flow::Normal;
}

// set x, set x = 5, set x=5 y=2, set x = ( 1 2 3 ), set x = "a b"
void ScriptSink::cmdSet(const ir::ScriptStatement& s, const std::string& args) {
  for (auto& [name, value] : parseSetArgs(args)) vars_[name] = value;
}

void ScriptSink::cmdLet(const ir::ScriptStatement& s, const std::string& args) {
  auto eq = args.find('=');
  if (eq == std::string::npos) {
    fail(s, "expected let NAME = EXPRESSION");
    return;
  }
  std::string name = lowerStr(trim(std::string_view(args).substr(0, eq)));
  if (name.empty() || vectorWords(name).size() != 1 || vectorWords(name)[0] != name) {
    fail(s, "'" + name + "' is not a vector name");
    return;
  }
  auto v = evaluateOne(std::string_view(args).substr(eq + 1), context());
  if (!v) {
    fail(s, v.error().message);
    return;
  }
  Vec r = std::move(v.value());
  r.name = name;
  std::size_t n = r.size() * (r.complex ? 2 : 1);
  if (kept_ + n > kMaxKeptValues) {
    status_ = makeError(ErrorCode::Limit, "'let " + name + "' would keep more than " + std::to_string(kMaxKeptValues) +
                                              " values of vectors", s.loc);
    return;
  }
  kept_ += n;
  Plot* p = current();
  if (r.scale && r.plot != current_) r.scale = nullptr;
  r.plot = current_;
  p->put(std::move(r));
}

void ScriptSink::cmdPrint(const ir::ScriptStatement& s, const std::string& argsIn) {
  auto [w, rest] = firstWord(argsIn);
  int mode = 0;  // 0 auto, 1 col, 2 line
  std::string args = argsIn;
  if (lowerStr(w) == "col") mode = 1, args = rest;
  else if (lowerStr(w) == "line") mode = 2, args = rest;
  std::vector<Vec> vecs;
  if (lowerStr(trim(args)) == "all") {
    Plot* p = current();
    for (const auto& v : p->vecs) vecs.push_back(*v);
  } else {
    auto l = evaluateList(args, context());
    if (!l) {
      fail(s, l.error().message);
      return;
    }
    vecs = std::move(l.value());
  }
  if (vecs.empty()) return;
  PrintSettings ps;
  ps.width = intVar("width", 80);
  ps.height = intVar("height", 60);
  ps.nobreak = boolVar("nobreak");
  ps.noprintscale = boolVar("noprintscale");
  bool col = mode == 1;
  if (mode == 0)
    for (const Vec& v : vecs)
      if (v.size() > 1) {
        col = true;
        break;
      }
  auto plotOf = [&](const Vec& v) -> const Plot& {
    return v.plot >= 0 && std::size_t(v.plot) < plots_.size() ? plots_[std::size_t(v.plot)] : constants_;
  };
  out_.text += col ? printColumns(vecs, plotOf(vecs[0]), ps) : printLines(vecs);
}

void ScriptSink::emitFile(const ir::ScriptStatement& s, const std::string& name, std::string data) {
  if (std::string why = badFileName(name); !why.empty()) {
    fail(s, why);
    return;
  }
  bool append = boolVar("appendwrite");
  for (auto& f : out_.files)
    if (f.name == name) {
      if (append) f.data += data;
      else f.data = std::move(data);
      return;
    }
  out_.files.push_back({name, std::move(data)});
}

void ScriptSink::cmdWrdata(const ir::ScriptStatement& s, const std::string& args) {
  auto [file, rest] = firstWord(args);
  if (file.empty()) {
    fail(s, "expected wrdata FILE VECTORS");
    return;
  }
  auto l = evaluateList(rest, context());
  if (!l) {
    fail(s, l.error().message);
    return;
  }
  if (l->empty()) {
    fail(s, "no vectors to write");
    return;
  }
  emitFile(s, file, wrdataText(l.value(), boolVar("wr_singlescale"), boolVar("wr_vecnames")));
}

void ScriptSink::cmdWrite(const ir::ScriptStatement& s, const std::string& args) {
  auto [file, rest] = firstWord(args);
  if (file.empty()) file = "rawspice.raw";
  std::vector<Vec> vecs;
  const Plot* p = current();
  if (trim(rest).empty() || lowerStr(trim(rest)) == "all") {
    for (const auto& v : p->vecs) vecs.push_back(*v);
  } else {
    auto l = evaluateList(rest, context());
    if (!l) {
      fail(s, l.error().message);
      return;
    }
    vecs = std::move(l.value());
    if (!vecs.empty() && vecs[0].plot >= 0) p = &plots_[std::size_t(vecs[0].plot)];
  }
  auto ft = vars_.find("filetype");
  bool ascii = ft != vars_.end() && !ft->second.empty() && lowerStr(ft->second[0]) == "ascii";
  auto raw = rawText(*p, vecs, ascii);
  if (!raw.empty() && raw[0] == '!') {
    fail(s, raw.substr(1));
    return;
  }
  emitFile(s, file, std::move(raw));
}

void ScriptSink::cmdFourier(const ir::ScriptStatement& s, const std::string& args) {
  auto l = evaluateList(args, context());
  if (!l) {
    fail(s, l.error().message);
    return;
  }
  if (l->size() < 2) {
    fail(s, "expected fourier FUNDAMENTAL VECTORS");
    return;
  }
  const Vec& f0 = (*l)[0];
  if (f0.size() != 1 || !(f0.re[0] > 0)) {
    fail(s, "the fundamental frequency must be one number > 0");
    return;
  }
  FourierSettings fs;
  fs.harmonics = intVar("nfreqs", 10);
  fs.gridSize = intVar("fourgridsize", 200);
  fs.degree = intVar("polydegree", 1);
  if (fs.harmonics < 1) fs.harmonics = 10;
  if (fs.gridSize < 1) fs.gridSize = 200;
  if (fs.degree < 0) fs.degree = 1;
  for (std::size_t k = 1; k < l->size(); ++k) {
    std::string text, why;
    if (!fourierText((*l)[k], f0.re[0], fs, text, why)) {
      fail(s, why);
      return;
    }
    out_.text += text;
  }
}

void ScriptSink::cmdSetplot(const ir::ScriptStatement& s, const std::string& args) {
  std::string name = lowerStr(trim(args));
  if (name == "const" || name == "constants") {
    current_ = -1;
    return;
  }
  if (name == "previous" && current_ > 0) {
    --current_;
    return;
  }
  if (name == "next" && current_ + 1 < int(plots_.size())) {
    ++current_;
    return;
  }
  for (std::size_t i = 0; i < plots_.size(); ++i)
    if (plots_[i].typeName == name) {
      current_ = int(i);
      return;
    }
  fail(s, "no plot '" + name + "'");
}

void ScriptSink::cmdDestroy(const ir::ScriptStatement& s, const std::string& args) {
  std::vector<std::string> names;
  for (const std::string& w : vectorWords(args)) names.push_back(w);
  if (names.empty() && current_ >= 0) names.push_back(plots_[std::size_t(current_)].typeName);
  for (const std::string& n : names) {
    bool all = n == "all";
    bool found = all;
    for (std::size_t i = 0; i < plots_.size(); ++i)
      if (all || plots_[i].typeName == n) {
        for (const auto& v : plots_[i].vecs) kept_ -= std::min(kept_, v->size() * (v->complex ? 2 : 1));
        plots_[i].vecs.clear();
        if (plots_[i].scale) plots_[i].scale->re.clear();
        plots_[i].typeName += "(destroyed)";
        found = true;
      }
    if (!found) fail(s, "no plot '" + n + "'");
  }
}

// linearize [vecs]: a new plot with the current transient's vectors on the
// .tran grid tstart, tstart + tstep, ..., tstop (linear interpolation).
void ScriptSink::cmdLinearize(const ir::ScriptStatement& s, const std::string& args) {
  if (current_ < 0 || plots_[std::size_t(current_)].type != AnalysisType::Tran) {
    fail(s, "the current plot is not a transient");
    return;
  }
  const Plot& src = plots_[std::size_t(current_)];
  if (src.analysis < 0 || std::size_t(src.analysis) >= circuit_.analyses.size() || !src.scale ||
      src.scale->size() < 2) {
    fail(s, "the transient has too few points");
    return;
  }
  const ir::Analysis& a = circuit_.analyses[std::size_t(src.analysis)];
  std::vector<const Vec*> vecs;
  if (trim(args).empty()) {
    for (const auto& v : src.vecs) vecs.push_back(v.get());
  } else {
    for (const std::string& w : vectorWords(args)) {
      const Vec* v = src.find(w);
      if (!v && (w == "v" || w == "i")) continue;
      if (!v) v = src.find(w + "#branch");
      if (!v) {
        fail(s, "no such vector '" + w + "'");
        return;
      }
      vecs.push_back(v);
    }
  }
  const double t0 = a.tstart, t1 = src.scale->re.back(), dt = a.tstep;
  if (!(dt > 0)) {
    fail(s, "the transient has no step");
    return;
  }
  const std::size_t n = std::size_t(std::floor((t1 - t0) / dt + 1e-9)) + 1;
  if (kept_ + n * (vecs.size() + 1) > kMaxKeptValues) {
    status_ = makeError(ErrorCode::Limit, "'linearize' would keep more than " + std::to_string(kMaxKeptValues) +
                                              " values of vectors", s.loc);
    return;
  }
  kept_ += n * (vecs.size() + 1);
  Plot p;
  p.typeName = "tran" + std::to_string(++typeCounts_["tran"]);
  p.name = "Transient Analysis";
  p.title = src.title;
  p.type = AnalysisType::Tran;
  p.analysis = src.analysis;
  p.scale = std::make_unique<Vec>();
  p.scale->name = "time";
  for (std::size_t i = 0; i < n; ++i) p.scale->re.push_back(t0 + double(i) * dt);
  const std::vector<double>& xs = src.scale->re;
  for (const Vec* v : vecs) {
    auto w = std::make_unique<Vec>();
    w->name = v->name;
    for (double t : p.scale->re) w->re.push_back(interpolateLinear(xs, v->re, t));
    p.vecs.push_back(std::move(w));
  }
  plots_.push_back(std::move(p));
  current_ = int(plots_.size()) - 1;
  Plot& np = plots_.back();
  np.scale->plot = current_;
  for (auto& v : np.vecs) v->scale = np.scale.get(), v->plot = current_;
}

}  // namespace simcore::script
