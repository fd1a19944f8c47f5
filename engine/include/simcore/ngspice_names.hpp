// ngspice's names of devices inside sub-circuits, for the requests that read
// them (.save, .probe, @dev[param], i(dev)): ngspice puts the device letter
// first (v.xlf.vdd, r.x1.r1), simcore names them xlf.vdd, x1.r1.
#pragma once

#include <string>
#include <string_view>

namespace simcore::ir {

// The simcore name `name` stands for in ngspice's form (letter, '.', the
// flattened name whose leaf starts with that letter); empty otherwise. The
// caller checks that a device of that name exists.
inline std::string fromNgspiceDeviceName(std::string_view name) {
  if (name.size() < 3 || name[1] != '.') return {};
  const std::string_view rest = name.substr(2);
  const std::size_t dot = rest.rfind('.');
  const std::string_view leaf = dot == std::string_view::npos ? rest : rest.substr(dot + 1);
  if (leaf.empty() || leaf[0] != name[0]) return {};
  return std::string(rest);
}

}  // namespace simcore::ir
