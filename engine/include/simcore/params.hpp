// The top-level .param values of a netlist: what a front end may override
// (ir::ParseOptions::paramOverrides), e.g. the parameters of an FMU.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "simcore/ir.hpp"
#include "simcore/result.hpp"

namespace simcore {

struct ParamValue {
  std::string name;  // lower case
  double value = 0;  // after elaboration, with the overrides of the parse options applied
  SourceLoc loc;     // the .param card that declares it
};

// Once per name, in declaration order. Errors: those of ir::parseNetlist.
Result<std::vector<ParamValue>> topLevelParams(std::string_view netlist, const ir::ParseOptions& opts = {});

}  // namespace simcore
