// What every analysis of one run shares: the compiled circuit, the Newton
// solver, the integrator, statistics, the output signals and a chunk buffer.
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "analysis/circuit.hpp"
#include "analysis/integrator.hpp"
#include "analysis/newton.hpp"
#include "analysis/run_warnings.hpp"

namespace simcore::an {

// Collects rows column-wise and hands full chunks to the sink.
class ChunkWriter {
 public:
  void reset(std::size_t signals, bool complex, bool hasX, std::size_t capacity);
  void row(double x, const double* values, const std::vector<OutputSignal>& sig);
  // ac rows: x is the frequency (Hz), the angular frequency of device quantities
  void rowComplex(double x, const std::complex<double>* values, const std::vector<OutputSignal>& sig);
  // Transient rows: device quantities take the charge-state currents of the
  // integrator's last accepted point (reset() goes back to DC, where they are zero).
  void transient(const Integrator* in) { integrator_ = in; }
  void flush(SampleSink& sink);
  std::size_t pending() const { return rows_; }
  bool full() const { return rows_ >= cap_; }
  std::size_t total() const { return total_; }

 private:
  std::size_t cap_ = 1024, rows_ = 0, total_ = 0;
  bool complex_ = false, hasX_ = true;
  std::vector<double> x_;
  std::vector<std::vector<double>> re_, im_;
  Chunk chunk_;
  const Integrator* integrator_ = nullptr;
};

// Rows per chunk for `signals` outputs (SimulationOptions::chunkRows and chunkValues).
inline std::size_t chunkCapacity(const SimulationOptions& o, std::size_t signals) {
  std::size_t rows = std::max<std::size_t>(o.chunkRows, 1);
  if (o.chunkValues > 0 && signals > 0) rows = std::min(rows, std::max<std::size_t>(16, o.chunkValues / signals));
  return rows;
}

struct Session {
  explicit Session(std::unique_ptr<CircuitModel> m, const SimulationOptions& o)
      : model(std::move(m)), options(o), newton(*model, integrator, stats, o.phaseTimes) {
    integrator.resize(model->states(), model->untruncated(), model->meanBlocks(), model->truncatedWith());
    if (options.parallel && options.parallelTasks > 1)
      newton.setParallel(&options.parallel, options.parallelTasks, options.parallelMinInstances,
                         options.parallelThreads, options.parallelMinLuWork);
  }
  std::unique_ptr<CircuitModel> model;
  SimulationOptions options;
  RunStats stats;
  // what the analyses warn about while they run (carried over to the next
  // variant's session with the statistics: once per run)
  RunWarnings warnings;
  Integrator integrator;
  NewtonSolver newton;
  std::vector<OutputSignal> outputs;  // set with setOutputs
  bool readsDeviceQuantities = false; // an output reads a device quantity (refreshDeviceQuantities)
  ChunkWriter writer;
  bool haveSolution = false;  // x holds a converged solution (a better start than zeros)
  // .options autostop: true once the .meas of the running transient have
  // their results (MeasureSink); the transient then ends
  const bool* stopFlag = nullptr;

  void setOutputs(std::vector<OutputSignal> o) {
    outputs = std::move(o);
    readsDeviceQuantities =
        std::any_of(outputs.begin(), outputs.end(), [](const OutputSignal& s) { return s.deviceQuantity(); });
  }
  const ir::Options& opt() const { return model->circuit().options; }
  bool cancelled() const { return options.cancel && options.cancel->load(std::memory_order_relaxed); }
};

struct OpSettings {
  bool dcSources = true;   // false for the initial point of a transient (sources at t = 0)
  bool useIc = false;      // clamp .ic nodes (transient initial point)
  double srcScale = 1.0;   // independent sources at this fraction (0: LTspice's .tran startup)
};

// Operating point with fallbacks (Newton, gmin stepping, source stepping,
// pseudo-transient). Leaves the solution in session.newton.x().
Status solveOperatingPoint(Session& s, const OpSettings& settings, SourceLoc where);

// The operating point of a small-signal analysis (.ac, .noise, .pz, .sp, .tf): as
// solveOperatingPoint, accepted, and the devices loaded once more at the solution
// itself, so that their small-signal values are the solution's and not those of
// Newton's last iterate before it (ngspice's MODEINITSMSIG load). A junction's
// voltage within Newton's tolerance of the solution (0.65 mV at reltol 1e-3) is a
// few percent of its current: an .ac run alone had 0.24 dB more gain than after an .op.
Status solveSmallSignalPoint(Session& s, SourceLoc where);

// A converged .op or .dc point whose outputs read device quantities (@m1[id], @m1[gm], a
// terminal current), before it is accepted: one more Newton iteration, so that the devices'
// last evaluation is at the solution (a subthreshold MOSFET's @m[id] was 4 % below the current
// its own node voltages give, where ngspice's device convergence tests keep its last
// evaluation closer). Nothing otherwise.
void refreshDeviceQuantities(Session& s);

// .options keepopinfo: solveSmallSignalPoint, and the operating point written as an op
// result of its own (ngspice's "AC Operating Point") before the analysis's (index: its).
Status keepOperatingPoint(Session& s, SampleSink& sink, int index, SourceLoc where);

// A sink that discards everything: the rows of the transients an analysis runs
// for itself (a .pss's windows, the transient operating point).
class DiscardSink final : public SampleSink {
 public:
  void begin(const AnalysisHeader&) override {}
  void chunk(const Chunk&) override {}
  void end(const AnalysisSummary&) override {}
};

// ngspice's transient operating point (ir::OpTran, op_tran.cpp): a transient
// of the circuit from all zero with every device at time zero; its end state
// is left in session.newton.x(). A failure carries the transient's error
// (time, node) after what was run.
Status transientOperatingPoint(Session& s, const ir::OpTran& o, SourceLoc where);
// "a transient of 40 s in steps of at most 0.01 s from zero, ..." (messages)
std::string describeOpTran(const ir::OpTran& o);

// The digital instances evaluated one after another in card order on x, each
// seeing at once the levels written by those before it (ngspice's EVTop and
// EVTiter at DC), until none changes (64 passes at most); returns how many
// outputs changed. x holds the levels the strong outputs drive afterwards.
int settleDigitalInCardOrder(Session& s, double* x);

// Message for a Newton failure: "... at node 'x'".
std::string describeFailure(const Session& s, const NewtonResult& r);

// The analyses, as resumable steppers.
class AnalysisStepper {
 public:
  virtual ~AnalysisStepper() = default;
  // Emits the header. May do the up-front work (operating point).
  virtual Status start(SampleSink& sink) = 0;
  // Produces up to about `budget` rows. Returns true when finished (after end()).
  virtual Result<bool> step(SampleSink& sink, std::size_t budget) = 0;
  virtual double progress() const = 0;
};

// The frequencies of an .ac or .fra sweep. .ac DEC as ngspice 39 places them:
// floor(N * decades) equal log steps from fstart to fstop inclusive; .fra DEC
// and OCT: N per decade/octave from fstart while <= fstop (1 + ratio reltol),
// ngspice's OCT (.ac passes the circuit's reltol, .fra none);
// LIN: N evenly from fstart to fstop.
Result<std::vector<double>> sweepFrequencies(const ir::Analysis& a, double reltol = 0);

// The frequencies of a .noise or .sp sweep as ngspice 39 steps them: DEC and
// OCT multiply fstart by 10^(1/N) or 2^(1/N), LIN adds (fstop - fstart)/(N - 1),
// while within fstop plus reltol of one step. LIN with fewer than linMinPoints
// points gives fstart alone (.noise: 2, .sp: 3, as ngspice's loops).
// Both fail (ErrorCode::Semantic) above kMaxSweepPoints (sweep_axis.hpp).
Result<std::vector<double>> steppedFrequencies(const ir::Analysis& a, double reltol, int linMinPoints);

std::unique_ptr<AnalysisStepper> makeOp(Session& s, const ir::Analysis& a, int index);
std::unique_ptr<AnalysisStepper> makeDc(Session& s, const ir::Analysis& a, int index);
std::unique_ptr<AnalysisStepper> makeAc(Session& s, const ir::Analysis& a, int index);
std::unique_ptr<AnalysisStepper> makeTran(Session& s, const ir::Analysis& a, int index);
std::unique_ptr<AnalysisStepper> makePss(Session& s, const ir::Analysis& a, int index);
std::unique_ptr<AnalysisStepper> makeFra(Session& s, const ir::Analysis& a, int index);
std::unique_ptr<AnalysisStepper> makeNoise(Session& s, const ir::Analysis& a, int index);
std::unique_ptr<AnalysisStepper> makeTf(Session& s, const ir::Analysis& a, int index);
std::unique_ptr<AnalysisStepper> makePz(Session& s, const ir::Analysis& a, int index);
std::unique_ptr<AnalysisStepper> makeSens(Session& s, const ir::Analysis& a, int index);
std::unique_ptr<AnalysisStepper> makeSp(Session& s, const ir::Analysis& a, int index);

}  // namespace simcore::an
