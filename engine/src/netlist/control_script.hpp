// .control scripts: the lines read from the deck (control_lines.cpp) and the
// compiler that carries them out at parse time (control_script.cpp).
#pragma once

#include <string>
#include <vector>

#include "netlist/frontend.hpp"

namespace simcore::netlist {

// One command line of the script, or a block (foreach/repeat/while/dowhile/if).
struct ControlNode {
  std::string cmd;   // lower case
  std::string args;  // the rest of the line, as written ('+' lines joined)
  Token at;          // the command word (its location)
  std::vector<ControlNode> body, elseBody;
  bool inElse = false;
};

// Carries out the script's lines (in order, not yet nested into blocks):
// analyses into Circuit::analyses, run-time statements into Circuit::script.
// `dot` are the deck's dot-card analyses (what `run` runs). True when the
// script ran an analysis command or `run` (then the analyses are the
// script's). Throws NetlistError.
bool compileControlScript(Frontend& fe, Frame& top, std::vector<ir::Analysis> dot, std::vector<ControlNode> lines);

}  // namespace simcore::netlist
