// SPICE numbers: 1e-3, .5, 5., scale suffixes t g meg k m u n p f a mil
// (case-insensitive), trailing unit letters ignored (10uF, 1kOhm, 3V).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace simcore::netlist {

// Scans a number (no sign) at the start of s: mantissa, optional exponent,
// then a run of letters read as scale + unit. Returns the number of characters
// consumed, 0 when s does not start with a number. `outOfRange` is set when
// the mantissa/exponent overflows a double.
std::size_t scanNumber(std::string_view s, double& value, bool& outOfRange);

// The whole text must be one number, optionally signed. On failure returns
// false and sets `why` to a message fragment.
bool parseNumber(std::string_view s, double& value, std::string& why);

// A number (one parseNumber accepted) as ngspice 39's INPevaluate computes
// it: the digits accumulated into a mantissa, times pow(10, exponent), which
// lands some decimals a unit in the last place away from the correctly
// rounded value (1.2 is 12 * 0.1 = 1.2000000000000002). For values ngspice
// compares exactly: CIDER's mesh lines against its doping boxes.
double ngspiceValue(std::string_view s);

// The number at the start of s, optionally signed, as ngspice reads it: the
// characters after the number and its letters are ignored ("1m2" is 1m,
// "4k7" is 4k). False when s does not start with a number.
bool parseNumberPrefix(std::string_view s, double& value);

// True when s looks like it was meant as a number (starts with a digit, or a
// sign or '.' followed by a digit).
bool looksNumeric(std::string_view s);

}  // namespace simcore::netlist
