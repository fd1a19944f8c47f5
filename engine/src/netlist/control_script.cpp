// .control ... .endc scripts (ngspice's batch commands), read into the IR:
//
//   op, tran, ac, dc,     an analysis, exactly as the dot card of that name
//   noise, tf
//   run                   the deck's dot-card analyses, at this point of the script
//   save, option(s), meas as .save, .options and .meas
//   display-only and output commands (plot, print, wrdata, write, echo, set,
//   let, ...)             ignored with a warning: simcore's front ends write and
//                         plot the results (--out/--format, the web app, Python)
//   quit, exit            nothing
//   anything else         an error at the command (alter, foreach, ... are not supported)
//
// A script with no analysis command and no `run` leaves the dot-card analyses
// as they are; otherwise the analyses are the script's, in its order.
#include <algorithm>

#include "netlist/frontend.hpp"

namespace simcore::netlist {
namespace {

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

bool oneOf(std::string_view w, std::initializer_list<const char*> list) {
  return std::any_of(list.begin(), list.end(), [&](const char* s) { return w == s; });
}

}  // namespace

void Frontend::controlScript(Frame& top) {
  struct Line {
    const LexedFile* file;
    const LexedFile::ControlLine* line;
  };
  std::vector<Line> lines;
  for (const auto& u : units_)
    for (const auto& l : u->lex->control) lines.push_back({u->lex.get(), &l});
  if (lines.empty()) return;

  std::vector<ir::Analysis> dot = std::move(c_.analyses);
  c_.analyses.clear();
  bool scripted = false;
  for (const Line& ln : lines) {
    std::string_view text = ln.line->text;
    std::size_t b = 0;
    while (b < text.size() && isBlank(text[b])) ++b;
    std::size_t e = b;
    while (e < text.size() && !isBlank(text[e]) && text[e] != '(' && text[e] != ';') ++e;
    if (e == b) continue;  // only a comment
    const std::string cmd = lower(text.substr(b, e - b));
    Token at{text.substr(b, e - b), &ln.file->name, ln.line->line, static_cast<std::uint32_t>(b + 1), TokKind::Word};

    // The line as a card whose head reads as the dot card `dotName`.
    auto asCard = [&](const char* dotName) {
      controlLex_.emplace_back();
      LexedFile& lex = controlLex_.back();
      lex.name = ln.file->name;
      lex.text = text;
      lexFile(lex, false);
      for (Token& t : lex.tokens) t.line = ln.line->line;
      if (lex.cards.empty()) return;
      lex.tokens.front().text = dotName;
      control(top, lex.cards.front());
    };

    if (cmd == "op" || cmd == "tran" || cmd == "ac" || cmd == "dc") {
      asCard(cmd == "op" ? ".op" : cmd == "tran" ? ".tran" : cmd == "ac" ? ".ac" : ".dc");
      scripted = true;
    } else if (cmd == "noise" || cmd == "tf") {
      asCard(cmd == "noise" ? ".noise" : ".tf");
      scripted = true;
    } else if (cmd == "run") {
      for (const ir::Analysis& a : dot) c_.analyses.push_back(a);
      scripted = true;
    } else if (cmd == "meas" || cmd == "measure") {
      asCard(".meas");
    } else if (cmd == "save") {
      asCard(".save");
    } else if (cmd == "option" || cmd == "options" || cmd == "opt") {
      asCard(".options");
    } else if (cmd == "quit" || cmd == "exit") {
      // the end of a batch script
    } else if (oneOf(cmd, {"sens", "pz", "disto", "fourier", "four", "sp", "pss"})) {
      warnOnce(at, "control:" + cmd, "'.control' command '" + cmd + "' ignored: this analysis is not supported here");
    } else if (oneOf(cmd, {"plot", "gnuplot", "asciiplot", "iplot", "display", "setplot", "setscale", "hardcopy",
                           "print", "wrdata", "write", "wrs2p"})) {
      warnOnce(at, "control:" + cmd,
               "'.control' command '" + cmd + "' ignored: simcore's front ends write and plot the results");
    } else if (oneOf(cmd, {"echo", "set", "unset", "setcs", "let", "unlet", "compose", "linearize", "listing", "show",
                           "showmod", "status", "version", "rusage", "destroy", "remcirc", "cutout", "spec",
                           "define", "undefine", "alias", "unalias", "history", "codemodel", "cd", "devhelp",
                           "inventory", "mdump", "rspice", "settype", "snsave", "strcmp", "transpose", "where"})) {
      warnOnce(at, "control:" + cmd,
               "'.control' command '" + cmd + "' ignored: script variables and vectors are not evaluated here");
    } else {
      failAt(at, ErrorCode::Semantic,
             "'.control' command '" + cmd +
                 "' is not supported (supported: op tran ac dc noise tf run save option; output and display commands are "
                 "ignored with a warning)");
    }
  }
  if (!scripted) c_.analyses = std::move(dot);
}

}  // namespace simcore::netlist
