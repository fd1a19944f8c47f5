// The XSPICE port types of code-model (A) cards, one table for the netlist
// reader (spelling, what follows the type), the block set-up (which types a
// port takes, named in its errors) and the docs (docs/netlist.md lists the
// same rows). The types themselves are ir::Device::PortType.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "simcore/ir.hpp"

namespace simcore::dev::block {

using PortType = ir::Device::PortType;

struct PortTypeInfo {
  PortType type;
  const char* spelling;  // "%vd"
  // What the card gives after the type: 1 node, 2 nodes (plus minus), or 0
  // for a device name (%vnam: the voltage source whose current is read).
  int nodes;
  const char* doc;  // one line for the docs and messages
};

inline constexpr PortTypeInfo kPortTypes[] = {
    {PortType::V, "%v", 1, "the voltage of a node (input), or a voltage driven at it (output)"},
    {PortType::Vd, "%vd", 2, "the voltage between two nodes (input), or a voltage driven between them (output)"},
    {PortType::I, "%i", 1,
     "the current into a node through a zero-volt source to ground (input), or a current drawn from the node (output)"},
    {PortType::Id, "%id", 2,
     "the current from plus to minus through a zero-volt source between them (input), or a current the block "
     "draws from plus and returns to minus (output)"},
    {PortType::Vnam, "%vnam", 0, "the current through a named voltage source, plus to minus through it (input)"},
    {PortType::G, "%g", 1, "a current into ground that depends on the node's voltage"},
    {PortType::Gd, "%gd", 2, "a current between two nodes that depends on their voltage"},
    {PortType::H, "%h", 1, "the block reads the current into the node and drives its voltage"},
    {PortType::Hd, "%hd", 2, "the block reads the current through the pair and drives its voltage"},
    {PortType::D, "%d", 1, "a digital node"},
};

// The row of a spelling (case-insensitive); nullptr when XSPICE's other types.
inline const PortTypeInfo* findPortType(std::string_view spelling) {
  for (const PortTypeInfo& p : kPortTypes) {
    const std::string_view s = p.spelling;
    if (s.size() != spelling.size()) continue;
    bool same = true;
    for (std::size_t k = 0; k < s.size() && same; ++k) {
      char c = spelling[k];
      if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
      same = c == s[k];
    }
    if (same) return &p;
  }
  return nullptr;
}

// The row of a type (nullptr for Plain, Pair and Null, which have no spelling).
inline const PortTypeInfo* portTypeInfo(PortType t) {
  for (const PortTypeInfo& p : kPortTypes)
    if (p.type == t) return &p;
  return nullptr;
}

inline std::string portTypeSpelling(PortType t) {
  if (const PortTypeInfo* p = portTypeInfo(t)) return p->spelling;
  return t == PortType::Pair ? "(a b)" : t == PortType::Null ? "NULL" : "a bare node";
}

// "%v, %vd or %i": the spellings of a list of types.
template <std::size_t N>
std::string portTypeList(const PortType (&types)[N]) {
  std::string s;
  for (std::size_t k = 0; k < N; ++k) {
    if (k) s += k + 1 == N ? " or " : ", ";
    s += portTypeSpelling(types[k]);
  }
  return s;
}

}  // namespace simcore::dev::block
