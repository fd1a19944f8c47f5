// Data files of XSPICE code models, read by the netlist front end (the
// engine's devices open no files): d_source's input_file= (a digital vector
// file) and filesource's file= (columns of numbers). The file is read through
// the include resolver (a name relative to the netlist, as .include) and
// handed to the device as one vector parameter of the same name, row after
// row:
//   [line, count, value_1 .. value_count]
// line is the row's 1-based line in the file (for the device's messages),
// count the number of values that follow. A d_source row is its time (SPICE
// number, suffixes allowed) then one code per output: 0..11 for XSPICE's
// state/strength pairs 0s 1s Us 0r 1r Ur 0z 1z Uz 0u 1u Uu (state + 3·strength).
// A filesource row is its time then the numbers on the line (C numbers,
// separated by blanks or commas). A d_state row (state_file=) is its tokens:
// numbers as such, 0s .. Uu as kStateCodeBase + code, x as kStateDontCare,
// other words (the arrow) as kStateWord (not a whole number). table2d's and
// table3d's file= is one vector [dims, nx, ny, nz, x..., y..., z..., data...]
// (see tableRows in xspice_files.cpp), decoded by devices/table_interp.hpp.
#pragma once

#include <string_view>

#include "netlist/tokens.hpp"
#include "simcore/ir.hpp"

namespace simcore::netlist {

inline constexpr double kStateCodeBase = 1000.0, kStateDontCare = -1000.0, kStateWord = -0.5;

// Whether `param` (lower case) of a model of `type` names a data file.
bool xspiceFileParam(std::string_view type, std::string_view param);

// The file named by `value` (a string or a bare word) for parameter `param`
// of model m, read and turned into the parameter (rows as above). Throws
// NetlistError: no resolver, a file that cannot be read (at the value), a
// malformed line (at the file's line).
ir::Param xspiceFileValue(const Token& nameTok, const Token& value, const ir::Model& m, std::string_view param,
                          const ir::IncludeResolver& resolver);

}  // namespace simcore::netlist
