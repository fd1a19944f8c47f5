// The TXL model's parameters: of a `Y` line (txl.cpp, ngspice's method) and
// of the exact lines that carry a CPL line's modes (ltra.cpp, kTxlExactKind).
#pragma once

#include "devices/descriptor.hpp"

namespace simcore::dev {

inline constexpr const char* kTxlModelTypes[] = {"txl"};

inline constexpr ParamSpec kTxlParams[] = {
    iparam("len", kNoDefault, "m", "length (instead of the model's LENGTH)").shown("LENGTH"),
    mparam("r", 0.0, "Ω/m", "series resistance per metre"),
    mparam("l", kNoDefault, "H/m", "series inductance per metre (required)").shown("required"),
    mparam("g", 0.0, "S/m", "shunt conductance per metre (not seen at DC, as ngspice)"),
    mparam("c", kNoDefault, "F/m", "shunt capacitance per metre (required)").shown("required"),
    mparam("length", kNoDefault, "m", "length (required unless len= is on the card)").shown("required"),
};

}  // namespace simcore::dev
