// What a netlist asks for, without simulating it: the size of its system
// (unknowns = nodes + branch currents), its devices by kind, and the number of
// points each analysis is expected to produce. Parsing and elaboration only:
// no matrix, no operating point. Front ends use it to decide where a run goes
// (the web app's local/remote policy) and to show a circuit's size.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "simcore/ir.hpp"
#include "simcore/result.hpp"
#include "simcore/simulate.hpp"

namespace simcore {

struct DeviceCount {
  char letter = 0;   // lower case: 'r', 'q', ...
  std::string kind;  // "resistor", "bipolar transistor", ...
  std::int64_t count = 0;
};

struct AnalysisEstimate {
  AnalysisType type = AnalysisType::Op;
  // Expected rows: .op 1; .tran tstop/h + 1 with h = tmax when 0 < tmax < tstep,
  // else tstep (accepted steps vary; this is the grid the card asks for);
  // .ac from the sweep (dec: n per decade + 1); .dc the product of the sweeps'
  // point counts. At most 1e9; 1000 when the numbers do not give a count.
  std::int64_t points = 0;
};

struct CircuitDescription {
  std::string title;
  std::int64_t nodes = 0;     // distinct non-ground nodes of the elaborated circuit
  std::int64_t branches = 0;  // branch-current unknowns (V, L, E, H: one each)
  // nodes + branches. Internal nodes that some devices add behind series
  // resistances (RS of a diode, ...) are not counted.
  std::int64_t unknowns = 0;
  std::vector<DeviceCount> devices;        // kinds present, in registry order
  std::vector<AnalysisEstimate> analyses;  // in run order (ngspice's: by kind, see the netlist docs)
  std::int64_t points = 0;                 // sum over the analyses (at least 1)
};

// What a run may change in the netlist's analyses (a server job's
// SimulationOptions, Python's simulate(analyses=, tstop=, max_step=)).
struct DescribeOptions {
  // Analysis cards replacing the netlist's (".tran 1n 10u"), as a server run's
  // SimulationOptions.analyses does.
  std::vector<std::string> analyses;
  // Replaces tstop of every .tran (must exceed its tstart).
  std::optional<double> tstop;
  // Replaces tmax (the largest step) of every .tran (must be positive).
  std::optional<double> maxStep;
};
using RunOverrides = DescribeOptions;

CircuitDescription describe(const ir::Circuit& circuit);

// Replaces the circuit's analyses by `cards` (".tran 1n 10u", ".op"), in that order, as a
// run's options may ask. Errors: a card that does not parse (reported in the
// file "<analyses>", line 2 onwards), a card that is not an analysis card.
Status replaceAnalyses(ir::Circuit& circuit, const std::vector<std::string>& cards);
// replaceAnalyses (when cards are given), then the tstop / maxStep overrides on
// every .tran; a bad value is a Semantic error naming the option.
Status applyOverrides(ir::Circuit& circuit, const RunOverrides& overrides);
// Parse errors come back as the Error parseNetlist gives (file, line, col).
Result<CircuitDescription> describe(std::string_view netlist, const ir::ParseOptions& parse = {},
                                    const DescribeOptions& options = {});

}  // namespace simcore
