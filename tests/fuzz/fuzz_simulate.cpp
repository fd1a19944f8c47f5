// libFuzzer target for the whole path from netlist text to a finished run:
// parse, elaborate, build the matrix, run every analysis. Any input must end
// in Done or an Error (with a message), never a crash, hang or unbounded
// allocation. Runs are kept small by limits (unknowns, time points) and a row
// budget, so the fuzzer explores circuits rather than long transients.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "simcore/ir.hpp"
#include "simcore/simulate.hpp"

namespace {

class NullSink final : public simcore::SampleSink {
 public:
  void begin(const simcore::AnalysisHeader&) override {}
  void chunk(const simcore::Chunk& c) override { rows += c.rows; }
  void end(const simcore::AnalysisSummary&) override {}
  std::size_t rows = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;  // a circuit, not a corpus of them: keeps each run short
  std::string_view text(reinterpret_cast<const char*>(data), size);
  simcore::ir::ParseOptions po;
  po.fileName = "fuzz.cir";
  auto circuit = simcore::ir::parseNetlist(text, po);
  if (!circuit.ok()) {
    if (circuit.error().message.empty()) __builtin_trap();
    return 0;
  }
  simcore::SimulationOptions so;
  so.maxUnknowns = 64;
  so.maxTimePoints = 2000;
  so.phaseTimes = false;
  auto sim = simcore::Simulation::create(std::move(circuit.value()), so);
  if (!sim.ok()) {
    if (sim.error().message.empty()) __builtin_trap();
    return 0;
  }
  NullSink sink;
  // Every analysis together may produce at most a few thousand rows (the time
  // point limit bounds a transient; .dc/.ac sweeps are bounded by the budget).
  for (int round = 0; round < 64; ++round) {
    auto r = sim.value()->advance(sink, 256);
    if (!r.ok()) {
      if (r.error().message.empty()) __builtin_trap();
      return 0;
    }
    if (r.value() == simcore::StepState::Done) return 0;
  }
  return 0;
}
