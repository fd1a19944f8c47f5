// @dev[param] and @model[param] as the netlist's cards give them, for the
// .control script (ngspice's `set n1vth0 = @n1[vth0]`, `print @vin[dc]`):
// V/I dc and ac and their waveform's coefficients (@v1[pulse]: all of them, a
// vector), R/C/L resistance capacitance inductance (or r c l), and any parameter
// written on the instance or model card. Model defaults live in the
// device code, not the netlist: a parameter the card does not give is nullopt.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "simcore/ir.hpp"

namespace simcore::script {

std::optional<std::vector<double>> cardQuantity(const std::string& name, const std::vector<ir::Device>& devices,
                                   const std::vector<ir::Model>& models);

}  // namespace simcore::script
