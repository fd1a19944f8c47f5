// alter / altermod of .control scripts: a change to the circuit variant the
// analyses after the command run on (ir::Circuit::variants).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "netlist/tokens.hpp"
#include "simcore/ir.hpp"

namespace simcore::netlist {

// Applies `alter` (devices) or `altermod` (models) with the arguments `args`
// (variables substituted) to `state`:
//   alter DEV VALUE | DEV = VALUE | DEV PARAM = VALUE | @DEV[PARAM] = VALUE
//   altermod MODEL PARAM = VALUE [PARAM = VALUE ...] | @MODEL[PARAM] = VALUE
// The primary value of R, C, L (resistance, capacitance, inductance) and the
// dc value of V and I are the device's value; `ac`, and `pulse` `sin` `exp`
// `pwl` `sffm` with a [ ... ] list, change a source; other names set an
// instance or model parameter. `changes` gets the label parts ("r1", "2k"),
// a repeated key keeps its place with the new value. `eval` gives a number
// of a value text (nullopt: not a number); `evalList` all the values of a
// waveform's list given as one word (`alter @v1[pulse] = pv`, a vector).
// Errors throw at `at`.
void applyAlter(const Token& at, const std::string& cmd, const std::string& args, ir::Variant& state,
                std::vector<std::pair<std::string, std::string>>& changes,
                const std::function<std::optional<double>(const std::string&)>& eval,
                const std::function<std::optional<std::vector<double>>(const std::string&)>& evalList);

}  // namespace simcore::netlist
