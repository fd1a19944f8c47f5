// The .meas reader (measure_card.cpp) for the `meas` command of .control
// scripts, run when the command runs on the current plot.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "simcore/ir.hpp"
#include "simcore/result.hpp"

namespace simcore::netlist {

// `text` is the whole command ("meas tran t1 WHEN v(out)=0.5"), its variables
// substituted; a value is a number or what `value` makes of its text (a
// vector of the current plot: `WHEN v(out)=half`; nullopt: an error); PARAM=
// names are measurements (vectors). `at` locates the command: errors point
// into it.
Result<ir::Measure> parseMeasureCommand(const std::string& text, const SourceLoc& at,
                                        const std::function<std::optional<double>(std::string_view)>& value);

}  // namespace simcore::netlist
