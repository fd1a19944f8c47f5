// PSpice digital primitives (U devices: gates, tristate gates, flip-flops,
// latches, LOGICEXP, PINDLY) as XSPICE digital instances and models, as
// ngspice 39 translates them (its udevices.c and logicexp.c, read for the
// rules: which primitives, which delays, typical delays estimated from the
// timing models' min/typ/max). Pure text to text: the front end lexes the
// result in place of the U card (pspice_digital.cpp, Frontend::translatePspiceDigital).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "netlist/tokens.hpp"

namespace simcore::netlist::pspice {

// A PSpice timing model (.model NAME ugate|utgate|ueff|ugff|uio|udly (...)):
// its parameters by lower-case name, values as written ("7.4ns", "-1").
struct TimingModel {
  std::string type;
  std::map<std::string, std::string> params;
};

// Whether `type` is a PSpice digital timing or I/O model type.
bool isTimingModelType(std::string_view type);

// The primitive a U card names (its second word, lower case, without the
// "(n,m)"), or "" when the card is not a PSpice digital primitive (then it is
// a uniform RC line).
std::string primitiveOf(const Card& c);

// Reads a .model card of a timing model type; false (m untouched) when the
// card is not one.
bool readTimingModel(const Card& c, std::string& name, TimingModel& m);

using ModelLookup = std::function<const TimingModel*(const std::string& lname)>;

// The XSPICE cards (one line each: instances "a... ports model" and
// ".model NAME d_xxx(...)") for one U card; the names it makes start with
// the U card's name, so they are unique in its scope. Throws
// NetlistError at the card's token for a malformed card, an unknown timing
// model or an unsupported primitive.
std::vector<std::string> translate(const Card& c, const ModelLookup& models);

// The typical delay ngspice 39 estimates from PSpice min/typ/max values as
// written (typ when given and not negative, else the mean of min and max, else
// max, else min): the text, "" when none is given.
std::string typicalEstimate(const std::string& mn, const std::string& ty, const std::string& mx);

}  // namespace simcore::netlist::pspice
