// Evaluation of an ir::LossTable (energies E(i, v, Tj), on-state drops v(i, Tj)).
//
// Inside the table's range the value is multilinear in (current, voltage,
// temperature). Outside it:
//   current, voltage  extrapolated linearly from the last segment of the axis
//                     (switching energies scale about linearly with both);
//                     an axis with one point is constant along it
//   temperature       clamped to the first/last point (loss tables are
//                     measured over the device's rated range; extrapolating
//                     a curvature-free fit beyond it invents data)
// evaluate() returns the interpolated value as is; the loss meter counts an
// energy that extrapolates below zero as zero.
#pragma once

#include "simcore/losses.hpp"

namespace simcore::losses {

// Checks the shape: axes non-empty and strictly ascending, values.size() the
// product of the axis sizes. Returns an empty string when valid, else what is wrong.
std::string checkTable(const ir::LossTable& t);

// The table at (current, voltage, temperature). An empty table gives 0.
double evaluate(const ir::LossTable& t, double current, double voltage, double temperature);

}  // namespace simcore::losses
