#include "script/card_quantity.hpp"

#include "netlist/frontend.hpp"
#include "simcore/ngspice_names.hpp"

namespace simcore::script {

std::optional<std::vector<double>> cardQuantity(const std::string& name, const std::vector<ir::Device>& devices,
                                   const std::vector<ir::Model>& models) {
  const auto lb = name.find('[');
  if (name.size() < 4 || name[0] != '@' || lb == std::string::npos || name.back() != ']') return std::nullopt;
  const std::string owner = name.substr(1, lb - 1), param = name.substr(lb + 1, name.size() - lb - 2);
  auto named = [&param](const std::vector<ir::Param>& ps) -> std::optional<std::vector<double>> {
    for (const ir::Param& p : ps)
      if (p.name == param) return std::vector<double>{p.value};
    return std::nullopt;
  };
  for (const ir::Device& d : devices) {
    if (d.name != owner) continue;
    const bool source = d.letter == 'v' || d.letter == 'i';
    if (source && param == "dc") return std::vector<double>{d.source.dc};
    if (source && (param == "acmag" || param == "ac")) return std::vector<double>{d.source.acMag};
    if (source && d.source.wave.kind != ir::WaveKind::None && netlist::sourceWaveKind(param) == d.source.wave.kind)
      return d.source.wave.args;
    const bool primary = (d.letter == 'r' && (param == "resistance" || param == "r")) ||
                         (d.letter == 'c' && (param == "capacitance" || param == "c")) ||
                         (d.letter == 'l' && (param == "inductance" || param == "l"));
    if (primary && d.value) return std::vector<double>{*d.value};
    return named(d.params);
  }
  for (const ir::Model& m : models)
    if (m.name == owner) return named(m.params);
  // ngspice's name of a device inside a sub-circuit (@r.x1.r1[r] for x1.r1)
  if (const std::string alt = ir::fromNgspiceDeviceName(owner); !alt.empty())
    return cardQuantity("@" + alt + "[" + param + "]", devices, models);
  return std::nullopt;
}

}  // namespace simcore::script
