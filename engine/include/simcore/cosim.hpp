// Co-simulation of a netlist's transient: an importer advances the circuit
// to communication points and sets independent sources between them (the
// FMU runtime in fmu/, docs/fmu.md).
//
//   auto cs = CoSimulation::create(std::move(circuit), {.inputs = {"vin"}});
//   cs->setInput(0, 12.0);          // before start(): the source's initial value
//   cs->start();                    // the transient's initial point at t = 0
//   cs->advanceTo(1e-6);            // the engine's own steps and events up to t
//   cs->setInput(0, 10.0);          // the source steps to 10 at t = 1e-6
//   cs->advanceTo(2e-6);
//   cs->outputValues(v);            // the outputs at time() = 2e-6
//
// The engine chooses its steps and locates switching events as in a plain
// transient; a communication point never shortens a step. Outputs at a
// communication point come from the dense output of the step that spans it
// (the polynomial `simcore run --interpolate` evaluates), so a run whose
// inputs do not change gives the rows of the uninterrupted transient. When
// an input changes at t, the step spanning t (solved, not yet accepted) is
// dropped, the transient lands on t and restarts there with the new value,
// like a source with a step at t.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "simcore/ir.hpp"
#include "simcore/result.hpp"
#include "simcore/simulate.hpp"

namespace simcore {

struct CoSimSetup {
  // Independent V or I sources whose value the importer sets (names as in
  // the netlist, case-insensitive; "x1.vin" inside a sub-circuit). A
  // source's time function (PULSE, ...) is replaced by its value.
  std::vector<std::string> inputs;
  // Signals ("v(out)", "i(vin)"); empty: the netlist's .save, else every
  // node voltage and the currents of V, L, E and H devices.
  std::vector<std::string> outputs;
  // End of the run [s]; 0: the tstop of the netlist's first .tran.
  double tstop = 0;
};

struct CoSimInput {
  std::string source;  // lower case, as in the circuit
  SignalKind kind = SignalKind::Voltage;  // Voltage: a V source, Current: an I source
  double start = 0;    // the source's value at t = 0 in the netlist
};

class CoSimulation {
 public:
  // Errors: no .tran in the netlist, an input that is not an independent
  // source, an unknown output signal, and what Simulation::create reports.
  static Result<std::unique_ptr<CoSimulation>> create(ir::Circuit circuit, const CoSimSetup& setup,
                                                      const SimulationOptions& options = {});
  virtual ~CoSimulation() = default;

  // The netlist reader's warnings and the co-simulation's own (floating
  // groups tied to ground; what the transient warns about as it runs, added
  // by start() and advanceTo()), each with its place in the netlist.
  virtual const std::vector<ir::Diagnostic>& warnings() const = 0;
  virtual const std::vector<CoSimInput>& inputs() const = 0;
  virtual const std::vector<SignalInfo>& outputs() const = 0;
  // Before start(): the initial value. After: the value from the present
  // communication point on (it acts when the next advanceTo starts).
  virtual Status setInput(std::size_t k, double value) = 0;
  virtual double input(std::size_t k) const = 0;
  // The transient's initial point (operating point, or .ic with uic) at t = 0.
  virtual Status start() = 0;
  // Runs to t (time() < t <= stopTime() within 1e-12 relative).
  virtual Status advanceTo(double t) = 0;
  virtual double time() const = 0;  // the communication point reached
  virtual double stopTime() const = 0;
  // The outputs at time(), in outputs() order.
  virtual void outputValues(double* out) const = 0;
  virtual const RunStats& stats() const = 0;
};

}  // namespace simcore
