// The lines of .control ... .endc blocks into commands (comments, '+'
// continuations), compiled by control_script.cpp; the .four cards placed
// after the first transient; the vectors the run-time statements read.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <set>

#include "netlist/control_script.hpp"
#include "script/vectors.hpp"

namespace simcore::netlist {
namespace {

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// A trailing comment of a control line: ngspice's ';' and '$ ' (a '$' followed by a blank,
// also straight after a word: `let v = unitvec(n)$ comment`); '//' as in the netlist.
void stripComment(std::string& s) {
  if (auto sc = s.find(';'); sc != std::string::npos) s.resize(sc);
  if (auto sl = s.find("//"); sl != std::string::npos) s.resize(sl);
  for (std::size_t k = 0; k < s.size(); ++k)
    if (s[k] == '$' && (k + 1 == s.size() || isBlank(s[k + 1]))) {
      s.resize(k);
      break;
    }
}

// The names the run-time statements may read (ir::Script::names, keepAll).
void collectNames(const std::vector<ir::ScriptStatement>& list, std::set<std::string>& names, bool& all) {
  for (const ir::ScriptStatement& s : list) {
    std::vector<std::string> words = script::vectorWords(s.args);
    for (const std::string& w : words) {
      if (w == "all" || w == "allv" || w == "alli" || w == "ally") all = true;
      names.insert(w);
      // PLOT.name (tran1.out, op1.a) reads `name` of that plot
      if (auto dot = w.find('.'); dot != std::string::npos && dot + 1 < w.size()) names.insert(w.substr(dot + 1));
    }
    if (s.command == "write" && words.size() <= 1) all = true;
    if (s.command == "linearize" && words.empty()) all = true;
    if (s.command == "let" || s.command == "set" || s.command == "if" || s.command == "while" ||
        s.command == "dowhile" || s.command == "echo") {
      // $variables may name vectors at run time
      if (s.args.find('$') != std::string::npos) all = true;
    }
    collectNames(s.body, names, all);
    collectNames(s.elseBody, names, all);
  }
}

// ngspice 39 runs a deck's analyses (in batch mode and for `run`) by kind in the order
// of its analysis table (cktdojob.c: AC, DC, OP, TRAN, PZ, TF, DISTO, NOISE, SENS, PSS,
// SP), and the cards of one kind in reverse card order (each card is put in front of the
// job list): `.tran 10u` then `.tran 20u` runs the 20 us one first, and after `.tran`
// then `.op` a script's `print` sees the transient. simcore's .fra (a transient's
// frequency response) comes after TRAN. Decks with .step or .temp points (analyses on
// variants of the circuit) keep their order.
void ngspiceRunOrder(std::vector<ir::Analysis>& dot) {
  for (const ir::Analysis& a : dot)
    if (a.variant >= 0) return;
  auto rank = [](ir::AnalysisKind k) {
    switch (k) {
      case ir::AnalysisKind::Ac: return 0;
      case ir::AnalysisKind::Dc: return 1;
      case ir::AnalysisKind::Op: return 2;
      case ir::AnalysisKind::Tran: return 3;
      case ir::AnalysisKind::Fra: return 4;
      case ir::AnalysisKind::Pz: return 5;
      case ir::AnalysisKind::Tf: return 6;
      case ir::AnalysisKind::Noise: return 7;
      case ir::AnalysisKind::Sens: return 8;
      case ir::AnalysisKind::Pss: return 9;
      case ir::AnalysisKind::Sp: return 10;
    }
    return 11;
  };
  std::reverse(dot.begin(), dot.end());
  std::stable_sort(dot.begin(), dot.end(),
                   [&](const ir::Analysis& a, const ir::Analysis& b) { return rank(a.kind) < rank(b.kind); });
}

// HSPICE's `.noise v(out) SRC [INTER]` (acPoints 0) sweeps the frequencies of
// the deck's .ac card (of its own .step/.temp variant when there is one).
void noiseFromAc(std::vector<ir::Analysis>& dot) {
  for (ir::Analysis& n : dot) {
    if (n.kind != ir::AnalysisKind::Noise || n.acPoints != 0) continue;
    const ir::Analysis* ac = nullptr;
    for (const ir::Analysis& a : dot)
      if (a.kind == ir::AnalysisKind::Ac && (!ac || (a.variant == n.variant && ac->variant != n.variant))) ac = &a;
    if (!ac)
      fail(ErrorCode::Semantic,
           ".noise v(out) SRC [INTER] (HSPICE's form) takes its frequencies from the .ac card, and the deck has none "
           "(or write ngspice's .noise v(out) SRC dec|oct|lin N FSTART FSTOP)",
           n.loc);
    n.acScale = ac->acScale;
    n.acPoints = ac->acPoints;
    n.fstart = ac->fstart;
    n.fstop = ac->fstop;
  }
}

}  // namespace

std::optional<ControlCommand> controlCommand(std::string_view text) {
  std::size_t b = 0;
  while (b < text.size() && isBlank(text[b])) ++b;
  std::size_t e = b;
  while (e < text.size() && !isBlank(text[e]) && text[e] != '(' && text[e] != ';' && text[e] != '=') ++e;
  if (e == b) return std::nullopt;
  ControlCommand c;
  c.cmd = lower(text.substr(b, e - b));
  c.col = b;
  c.args = std::string(text.substr(e));
  stripComment(c.args);
  return c;
}

void Frontend::controlScript(Frame& top) {
  std::vector<ControlNode> lines;
  // a file read by `source FILE` (loadSourcedFiles): its lines follow that command's
  std::function<void(const SourceUnit&)> addLines = [&](const SourceUnit& u) {
    for (const auto& l : u.lex->control) {
      std::optional<ControlCommand> c = controlCommand(l.text);
      if (!c) continue;  // only a comment
      // '+' continues the line before (joined with a blank, as ngspice)
      if (c->cmd[0] == '+' && !lines.empty()) {
        std::string more(std::string_view(l.text).substr(c->col + 1));
        stripComment(more);
        lines.back().args += " " + more;
        continue;
      }
      ControlNode n;
      n.cmd = c->cmd;
      n.args = std::move(c->args);
      n.at = Token{std::string_view(l.text).substr(c->col, c->cmd.size()), &u.lex->name, l.line,
                   static_cast<std::uint32_t>(c->col + 1), TokKind::Word};
      const bool source = n.cmd == "source";
      lines.push_back(std::move(n));
      if (source)
        if (auto it = sourcedAt_.find(u.lex->name + ":" + std::to_string(l.line)); it != sourcedAt_.end())
          addLines(*it->second);
    }
  };
  for (const auto& u : units_)
    if (!u->sourced) addLines(*u);
  std::vector<ir::Analysis> dot = std::move(c_.analyses);
  c_.analyses.clear();
  noiseFromAc(dot);
  ngspiceRunOrder(dot);
  bool scripted = false;
  if (!lines.empty()) {
    // .csparam NAME=VALUE: the value as a vector of the script, before its first line
    std::vector<ControlNode> withParams;
    for (const CsParam& p : csparams_) {
      ControlNode n;
      n.cmd = "let";
      char value[40];
      std::snprintf(value, sizeof value, "%.17g", p.value);
      n.args = " " + p.name + " = " + value;
      n.at = p.at;
      withParams.push_back(std::move(n));
    }
    for (ControlNode& n : lines) withParams.push_back(std::move(n));
    scripted = compileControlScript(*this, top, dot, std::move(withParams));
  }
  if (!scripted) {
    // the dot-card analyses run before the script's statements (ngspice runs them first in batch mode)
    c_.analyses = std::move(dot);
    for (int& a : c_.script.after) a = int(c_.analyses.size());
  }
  // .four: a fourier statement after the first transient
  std::map<int, std::ptrdiff_t> placed;  // .four statements already put after an analysis
  for (const FourCard& f : fourCards_) {
    auto it = std::find_if(c_.analyses.begin(), c_.analyses.end(),
                           [](const ir::Analysis& a) { return a.kind == ir::AnalysisKind::Tran; });
    if (it == c_.analyses.end()) {
      warnOnce(f.at, "four", "'.four' ignored: the netlist has no .tran analysis");
      continue;
    }
    int after = int(it - c_.analyses.begin()) + 1;
    // before the script's statements after that analysis: ngspice prints .four as the analysis ends
    auto pos = std::lower_bound(c_.script.after.begin(), c_.script.after.end(), after);
    std::size_t k = std::size_t(pos - c_.script.after.begin() + placed[after]++);
    ir::ScriptStatement s;
    s.command = "fourier";
    s.args = f.args;
    s.loc = locOf(f.at);
    c_.script.statements.insert(c_.script.statements.begin() + std::ptrdiff_t(k), std::move(s));
    c_.script.after.insert(c_.script.after.begin() + std::ptrdiff_t(k), after);
  }
  std::set<std::string> names;
  bool all = false;
  collectNames(c_.script.statements, names, all);
  c_.script.names.assign(names.begin(), names.end());
  c_.script.keepAll = all;
}

}  // namespace simcore::netlist
