// The .meas reader (measure_card.cpp) for the `meas` command of .control
// scripts, run when the command runs on the current plot.
#pragma once

#include <string>

#include "simcore/ir.hpp"
#include "simcore/result.hpp"

namespace simcore::netlist {

// `text` is the command's words after `meas` ("tran t1 WHEN v(out)=0.5"), its
// variables substituted; values are numbers; PARAM= names are measurements
// (vectors). `at` locates the command: errors point into it.
Result<ir::Measure> parseMeasureCommand(const std::string& text, const SourceLoc& at);

}  // namespace simcore::netlist
