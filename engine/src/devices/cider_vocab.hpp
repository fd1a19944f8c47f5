// The vocabulary of CIDER's model cards (ngspice 39's numerical devices,
// docs/cider.md): every card, its canonical parameter names and aliases, and
// the codes of keyword values. The netlist reader (netlist/cider_cards.cpp)
// matches what a deck writes against it (ngspice's prefix rules) and stores
// canonical names in ir::ModelCard; the devices (devices/cider*.cpp) read
// those names. One table, so the two cannot drift apart.
#pragma once

#include <span>
#include <string_view>

namespace simcore::dev::cider {

enum class ValueKind : unsigned char {
  Real,     // a number (lengths in um, as written: the device converts)
  Integer,  // a number rounded to the nearest integer
  Flag,     // no value: 1, or 0 when written ^name
  Keyword,  // a word from `keywords` (concmodel=sg): its code, 1-based
  IntList,  // numbers until a non-number (doping domains=1 2): Param::values
  Text,     // a file name (infile=, ic.file=): not used by the 1-D devices, accepted
};

struct CardParam {
  const char* name;                      // canonical, lower case
  ValueKind kind;
  std::span<const char* const> aliases;  // other full names (matched by prefix too)
  std::span<const char* const> keywords; // Keyword: the accepted words, code = index + 1
};

struct CardSpec {
  const char* name;  // canonical card name
  std::span<const char* const> aliases;
  std::span<const CardParam> params;
  bool singleton;    // options, models, method, output: a second card adds to the first
  bool used;         // read by the 1-D devices (others are accepted and ignored)
};

// Codes of keyword values.
enum MobilityModel : int { kCT = 1, kAR = 2, kUF = 3, kSG = 4, kGA = 5 };
enum AcMethod : int { kAcDirect = 1, kAcSor = 2 };

// Every card, in ngspice's table order (which decides prefix matches).
std::span<const CardSpec> cards();

}  // namespace simcore::dev::cider
