// The run-time commands of .control scripts (ScriptSink, runner.hpp): set,
// alter, altermod, let, print, wrdata, write, fourier, setplot, destroy, linearize, define,
// undefine, compose (meas: measure_command.cpp; fft: fft.cpp). Output
// formats follow ngspice 39 (script/output.cpp).
#include <algorithm>
#include <cctype>
#include <cmath>

#include "netlist/control_alter.hpp"
#include "netlist/tokens.hpp"
#include "script/output.hpp"
#include "script/runner.hpp"
#include "script/words.hpp"

namespace simcore::script {

// set x, set x = 5, set x=5 y=2, set x = ( 1 2 3 ), set x = "a b"
void ScriptSink::cmdSet(const ir::ScriptStatement& s, const std::string& args) {
  for (auto& [name, value] : parseSetArgs(args)) vars_[name] = value;
}

// alter / altermod whose values read results (netlist/control_alter.hpp's
// forms), on the circuit the run-time alters make (liveVariant). A value is
// evaluated now; a vector gives its first element (ngspice 39's doset takes
// v_realdata[0] for a parameter that is one number), and all its elements to
// a waveform's list (`alter @v1[pulse] = pv`); a vector that does not
// exist or a complex one changes nothing and is reported, and the script goes
// on (ngspice: "no such vector", "Unable to determine the value").
void ScriptSink::cmdAlter(const ir::ScriptStatement& s, const std::string& args) {
  if (!live_ || liveFrom_ != s.variant) {
    if (s.variant < 0 || std::size_t(s.variant) >= circuit_.variants.size()) {
      fail(s, "no circuit variant to alter (" + std::to_string(s.variant) + ")");
      return;
    }
    live_ = circuit_.variants[std::size_t(s.variant)];
    live_->liveFrom = -1;
    liveFrom_ = s.variant;
  }
  const std::string file = s.loc.file;
  netlist::Token at;
  at.file = &file;
  at.line = std::uint32_t(std::max(s.loc.line, 0));
  at.col = std::uint32_t(std::max(s.loc.col, 0));
  ir::Variant next = *live_;
  std::vector<std::pair<std::string, std::string>> changes;  // (applyAlter's label parts: not used here)
  auto vector = [&](const std::string& text) -> Vec {
    auto v = evaluateOne(text, context());
    auto skip = [&](const std::string& why) {
      netlist::failAt(at, ErrorCode::Semantic, "'" + s.command + "': " + why + "; the circuit is not changed (as ngspice)");
    };
    if (!v) skip("cannot evaluate '" + text + "': " + v.error().message);
    if (v->size() == 0) skip("'" + text + "' has no value");
    if (v->complex) skip("'" + text + "' is complex: a parameter takes a real value");
    return std::move(v.value());
  };
  auto value = [&](const std::string& text) -> std::optional<double> { return vector(text).re[0]; };
  auto list = [&](const std::string& text) -> std::optional<std::vector<double>> { return vector(text).re; };
  try {
    netlist::applyAlter(at, s.command, args, next, changes, value, list);
  } catch (const netlist::NetlistError& e) {
    out_.errors.push_back(e.err.format());
    return;
  }
  *live_ = std::move(next);
  ++liveGeneration_;
}

void ScriptSink::cmdLet(const ir::ScriptStatement& s, const std::string& args) {
  auto eq = args.find('=');
  if (eq == std::string::npos) {
    fail(s, "expected let NAME = EXPRESSION");
    return;
  }
  std::string name = lowerStr(trim(std::string_view(args).substr(0, eq)));
  if (auto lb = name.find('['); lb != std::string::npos && lb > 0 && name.back() == ']') {
    letElement(s, trim(std::string_view(name).substr(0, lb)), name.substr(lb + 1, name.size() - lb - 2),
               std::string_view(args).substr(eq + 1));
    return;
  }
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
  int at = current_;
  // a vector of the constants plot that the current plot does not have is
  // updated where it is (ngspice: `let run = 0` before any analysis, then
  // `let run = run + 1` in a loop of analyses, is one vector)
  if (p != &constants_ && !p->find(name) && constants_.find(name)) {
    p = &constants_;
    at = -1;
  }
  if (r.scale && r.plot != at) r.scale = nullptr;
  r.plot = at;
  if (p != &constants_ && p->analysis < 0) {
    // a plot of the script's own (set curplot = new): its first vector is its scale, and
    // the scale of the vectors after it that have none (ngspice's vec_new), as wrdata writes them
    // (the scale is kept as the plot's scale only, found by its name as any vector)
    if ((!p->scale && p->vecs.empty()) || (p->scale && p->scale->name == name)) {
      if (!p->scale) p->scale = std::make_unique<Vec>();
      *p->scale = std::move(r);
      p->scale->scale = nullptr;
      return;
    }
    if (p->scale && !r.scale) r.scale = p->scale.get();
  }
  p->put(std::move(r));
}

// let v[i] = VALUE: one element of a vector of the current plot, inside its length
void ScriptSink::letElement(const ir::ScriptStatement& s, const std::string& nameIn, const std::string& index,
                            std::string_view value) {
  Plot* p = current();
  std::string name = nameIn;
  // PLOT.name[i]: an element of a vector of another plot (ngspice's vec_get reads the plot's
  // name; the Monte Carlo idiom `let {$scratch}.cutoff[run] = cut` after each analysis)
  if (auto dot = name.find('.'); dot != std::string::npos && dot > 0 && !p->find(name)) {
    const std::string plot = name.substr(0, dot);
    Plot* other = plot == "const" || plot == "constants" ? &constants_ : nullptr;
    for (Plot& q : plots_)
      if (q.typeName == plot) other = &q;
    if (other) {
      p = other;
      name = name.substr(dot + 1);
    }
  } else if (p != &constants_ && !p->find(name) && constants_.find(name)) {
    p = &constants_;  // as cmdLet
  }
  Vec* target = nullptr;
  for (auto& v : p->vecs)
    if (v->name == name) target = v.get();
  if (!target && p->scale && p->scale->name == name) target = p->scale.get();
  if (!target) {
    fail(s, "no vector '" + name + "' in the current plot (" + p->typeName + ")");
    return;
  }
  if (index.find_first_of(",:") != std::string::npos) {
    fail(s, "let " + name + "[...] takes one index (a range is not supported)");
    return;
  }
  auto i = evaluateOne(index, context());
  auto v = evaluateOne(value, context());
  if (!i || !v) {
    fail(s, !i ? i.error().message : v.error().message);
    return;
  }
  if (i->size() != 1) {
    fail(s, "let " + name + "[...] takes one index");
    return;
  }
  const long k = std::lround(i->re[0]);
  if (k < 0 || std::size_t(k) >= target->size()) {
    fail(s, "index " + std::to_string(k) + " is outside '" + name + "' (" + std::to_string(target->size()) + " elements)");
    return;
  }
  if (v->size() != 1) {
    fail(s, "let " + name + "[" + std::to_string(k) + "] needs one value, got " + std::to_string(v->size()));
    return;
  }
  if (v->complex && !target->complex) {
    target->complex = true;
    target->im.assign(target->size(), 0.0);
  }
  target->re[std::size_t(k)] = v->re[0];
  if (target->complex) target->im[std::size_t(k)] = v->complex ? v->im[0] : 0.0;
}

void ScriptSink::cmdPrint(const ir::ScriptStatement& s, const std::string& argsIn) {
  auto [w, rest] = firstWord(argsIn);
  int mode = 0;  // 0 auto, 1 col, 2 line
  std::string args = argsIn;
  if (lowerStr(w) == "col") mode = 1, args = rest;
  else if (lowerStr(w) == "line") mode = 2, args = rest;
  std::vector<Vec> vecs;
  if (!allVectors(lowerStr(trim(args)), vecs)) {
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

// ngspice's all (every vector of the plot), allv (its node voltages), alli (its currents),
// ally (all but the scale: simcore keeps the scale apart, so as all)
bool ScriptSink::allVectors(const std::string& word, std::vector<Vec>& out) {
  if (word != "all" && word != "allv" && word != "alli" && word != "ally") return false;
  const char type = word == "allv" ? 'v' : word == "alli" ? 'i' : 0;
  for (const auto& v : current()->vecs)
    if (!type || v->type == type) out.push_back(*v);
  // ngspice 39 sorts them by name, numbers inside names by value (vectors.c's sortvecs), a
  // node whose name starts with a digit under its vector name V(name)
  auto key = [](const Vec& v) {
    return v.type == 'v' && !v.name.empty() && std::isdigit(static_cast<unsigned char>(v.name[0])) ? "V(" + v.name + ")"
                                                                                                  : v.name;
  };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  auto before = [&](const Vec& a, const Vec& b) {
    const std::string ka = key(a), kb = key(b);
    std::size_t i = 0, j = 0;
    while (true) {
      while (i < ka.size() && j < kb.size() && ka[i] == kb[j] && !digit(ka[i])) ++i, ++j;
      if (i >= ka.size() || j >= kb.size()) return ka.size() - i < kb.size() - j;
      if (ka[i] != kb[j] && (!digit(ka[i]) || !digit(kb[j]))) return ka[i] < kb[j];
      long x = 0, y = 0;
      for (; i < ka.size() && digit(ka[i]); ++i) x = x * 10 + (ka[i] - '0');
      for (; j < kb.size() && digit(kb[j]); ++j) y = y * 10 + (kb[j] - '0');
      if (x != y) return x < y;
    }
  };
  std::stable_sort(out.begin(), out.end(), before);
  // ngspice 39 names a lone vector after the word (`print alli` of a plot with one current
  // prints a column "alli")
  if (out.size() == 1) out[0].name = word;
  return true;
}

void ScriptSink::emitFile(const ir::ScriptStatement& s, const std::string& name, std::string data, int appendTo) {
  if (std::string why = badFileName(name); !why.empty()) {
    fail(s, why);
    return;
  }
  bool append = appendTo < 0 ? boolVar("appendwrite") : appendTo > 0;
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
  std::vector<Vec> all;
  auto l = allVectors(lowerStr(trim(rest)), all) ? Result<std::vector<Vec>>(std::move(all)) : evaluateList(rest, context());
  if (!l) {
    fail(s, l.error().message);
    return;
  }
  if (l->empty()) {
    fail(s, "no vectors to write");
    return;
  }
  // as ngspice, a vector without a scale of its own (a meas result, a let scalar) has its
  // plot's scale: one value then stands on every row of it
  for (Vec& v : l.value()) {
    if (v.plot < 0 || std::size_t(v.plot) >= plots_.size()) continue;
    const Plot& p = plots_[std::size_t(v.plot)];
    if (!v.scale) v.scale = p.scale.get();
    // an analysis plot without a scale (op, tf): ngspice's plot takes its first vector as the
    // scale (an op's first node voltage), so that value stands in the first column
    if (!v.scale && p.analysis >= 0 && !p.vecs.empty()) v.scale = p.vecs.front().get();
    // an ac plot's frequency is a complex vector in ngspice (imaginary part 0): two columns
    if (p.type == AnalysisType::Ac && p.scale && v.name == p.scale->name && !v.complex) {
      v.complex = true;
      v.im.assign(v.re.size(), 0.0);
    }
  }
  emitFile(s, file, wrdataText(l.value(), boolVar("wr_singlescale"), boolVar("wr_vecnames"), intVar("numdgt", 0)));
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
  if (name.empty()) {
    // ngspice lists the plots, newest first (the current one marked), then asks for a name,
    // which a batch run does not give: the current plot stays
    out_.text += "List of plots available:\n\n";
    for (std::size_t k = plots_.size(); k-- > 0;) {
      const Plot& p = plots_[k];
      if (p.typeName.find("(destroyed)") != std::string::npos) continue;
      out_.text += (int(k) == current_ ? "Current " : "\t") + p.typeName + "\t" + p.title + " (" + p.name + ")\n";
    }
    out_.text += std::string(current_ < 0 ? "Current " : "\t") + "const\tConstant values (constants)\n";
    return;
  }
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
  if (name == "new") {
    // an empty plot for the script's own vectors (ngspice's unknownN)
    Plot p;
    p.typeName = newPlotName("unknown");
    p.name = "unknown";
    p.title = circuit_.title;
    addPlot(std::move(p));
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
        // (the plot of a paused transient: its rows after the resume are not kept)
        if (&plots_[i] == building_) std::fill(columns_.begin(), columns_.end(), -1);
        found = true;
        if (int(i) == current_) current_ = afterDestroyed(int(i));
      }
    if (!found) fail(s, "no plot '" + n + "'");
  }
}

// The plot that becomes current when the current plot k is destroyed, as ngspice 39 picks it
// from its list of plots (newest first): the next older live plot when k was the newest
// (else the constants, -1), otherwise the next newer live plot. Scripts that make a plot per
// loop pass and `destroy` it rely on landing back on the plot that holds their loop vectors.
int ScriptSink::afterDestroyed(int k) const {
  auto live = [this](int i) { return plots_[std::size_t(i)].typeName.find("(destroyed)") == std::string::npos; };
  for (int i = k + 1; i < int(plots_.size()); ++i)
    if (live(i)) return i;
  for (int i = k - 1; i >= 0; --i)
    if (live(i)) return i;
  return -1;
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
  const double points = std::floor((t1 - t0) / dt + 1e-9) + 1;
  if (!(points * double(vecs.size() + 1) <= double(kMaxKeptValues - kept_))) {
    status_ = makeError(ErrorCode::Limit, "'linearize' would keep more than " + std::to_string(kMaxKeptValues) +
                                              " values of vectors", s.loc);
    return;
  }
  const auto n = std::size_t(std::max(points, 1.0));
  kept_ += n * (vecs.size() + 1);
  Plot p;
  p.typeName = newPlotName("tran");
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
  addPlot(std::move(p));
}

// define NAME(ARG, ...) EXPRESSION: replaces a function of the same name and
// number of arguments
void ScriptSink::cmdDefine(const ir::ScriptStatement& s, const std::string& args) {
  std::string name, why;
  UserFunction f;
  if (!parseDefine(args, name, f, why)) {
    fail(s, why);
    return;
  }
  auto& list = functions_[name];
  for (UserFunction& g : list)
    if (g.params.size() == f.params.size()) {
      g = std::move(f);
      return;
    }
  list.push_back(std::move(f));
}

// undefine NAME ...: every function of that name; `undefine *` all
void ScriptSink::cmdUndefine(const ir::ScriptStatement& s, const std::string& args) {
  for (const std::string& w : vectorWords(args)) functions_.erase(w);
  if (trim(args) == "*") functions_.clear();
}

// compose NAME ...: a vector of the current plot (composeVector, vectors.cpp)
void ScriptSink::cmdCompose(const ir::ScriptStatement& s, const std::string& args) {
  auto made = composeVector(args, context());
  if (!made) {
    fail(s, made.error().message);
    return;
  }
  Vec r = std::move(made.value());
  if (kept_ + r.size() > kMaxKeptValues) {
    status_ = makeError(ErrorCode::Limit, "'compose' would keep more than " + std::to_string(kMaxKeptValues) +
                                              " values of vectors", s.loc);
    return;
  }
  kept_ += r.size();
  r.plot = current_;
  current()->put(std::move(r));
}

}  // namespace simcore::script
