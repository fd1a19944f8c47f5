// .dc sweeps that change what devices compute at setup: TEMP (the circuit
// temperature: every temperature dependence is evaluated when the circuit
// model is built) and a resistor's value. Each point of such an axis runs on
// its own circuit model, built from the analysis's circuit with that value;
// a V or I source axis is set on it as in a plain .dc.
#pragma once

#include <memory>

#include "analysis/session.hpp"

namespace simcore::an {

// The analysis is a .dc with a TEMP or resistor axis.
bool needsRebuild(const ir::Analysis& a);

std::unique_ptr<AnalysisStepper> makeRebuildDc(Session& s, const ir::Analysis& a, int index);

}  // namespace simcore::an
