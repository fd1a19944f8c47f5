// The engine API: parse a netlist, then drive its analyses with a resumable
// stepper that pushes columnar chunks of samples into a SampleSink.
//
//   auto sim = Simulation::create(std::move(circuit), options);   // checks topology, builds matrix
//   while (true) {
//     auto r = sim->advance(sink, 4096);     // at most ~4096 new rows, then returns
//     if (!r) { report r.error(); break; }
//     if (*r == StepState::Done) break;      // every analysis of the netlist has run
//   }
//
// The CLI, the wasm worker and the server all drive this same loop. The engine
// does no I/O, starts no threads and keeps no global state; one Simulation per
// thread is safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "simcore/ir.hpp"
#include "simcore/parallel.hpp"
#include "simcore/result.hpp"

namespace simcore {

// Pss: one period of a periodic steady state (columns like Tran);
// Fra: a switching circuit's small-signal frequency response (columns like Ac).
// Losses: the loss meter's table after the transient it belongs to (x = time
// at the thermal-step ends; p_cond(dev), p_sw(dev), e_cond(dev), e_sw(dev),
// tj(dev) per power semiconductor, t(node) per named thermal node); its
// AnalysisHeader::index is the number of the netlist's analyses plus the
// index of its transient.
// Noise: .noise's spectral densities over frequency (onoise_spectrum,
// inoise_spectrum in V/sqrt(Hz) or A/sqrt(Hz), as ngspice); NoiseTotal: its
// integrated noise, one row without x (onoise_total, inoise_total in V or A;
// its index, like the losses', is the number of analyses plus the .noise's);
// Tf: .tf's one row (transfer_function, SRC#input_impedance,
// output_impedance_at_OUT).
// Pz: .pz's one row without x, complex (AnalysisHeader::complex): the poles
// pole(1), pole(2), ... then the zeros zero(1), ... in rad/s, as ngspice
// lists them (real part ascending, a complex pair as +im then -im).
// PssSpectrum: an oscillator .pss's harmonics (x = frequency: 0, f, 2f, ...
// with f the oscillation frequency found; each signal's DC value, then the
// magnitude of each harmonic, as ngspice's frequency-domain PSS plot); it
// follows that .pss's Pss period and, like the losses', its index is the
// number of the netlist's analyses plus the .pss's.
// Sens: .sens's sensitivities d OUTVAR / d parameter, one signal per device
// parameter, named as ngspice's plot names them (R1 for a principal value,
// R1_m for another instance parameter, Q1:bf for a model parameter, sorted);
// DC: one row without x; AC: x = frequency, complex.
// Sp: .sp's S-parameters over frequency, complex: the node voltages and branch
// currents with the last port driven (as ngspice's plot holds them), then
// s_i_j, y_i_j, z_i_j (i, j = 1..ports, row-major) and with DONOISE cy_i_j
// (A^2/Hz) and, for two ports, nf, sopt, nfmin, rn (as ngspice names them).
enum class AnalysisType { Op, Dc, Ac, Tran, Pss, Fra, Losses, Noise, NoiseTotal, Tf, Pz, PssSpectrum, Sens, Sp };
constexpr std::size_t kAnalysisTypes = std::size_t(AnalysisType::Sp) + 1;
// "op", "dc", "ac", "tran", "pss", "fra", "losses", "noise", "noise_total", "tf", "pz", "pss_spectrum", "sens", "sp"
const char* analysisName(AnalysisType t);

enum class SignalKind { Voltage, Current };

struct SignalInfo {
  std::string name;  // "v(out)", "i(vin)" (lower case, as in the reference CSVs)
  SignalKind kind = SignalKind::Voltage;
};

struct AnalysisHeader {
  AnalysisType type = AnalysisType::Op;
  int index = 0;                 // position among the netlist's analyses
  std::string xName;             // "time", "frequency", swept source name ("vin"); empty for op
  bool complex = false;          // ac: values are complex (re, im)
  std::vector<SignalInfo> signals;
  // The circuit variant it ran on (ir::Variant::label: "r1=2k", "temp=50"),
  // empty for the circuit itself.
  std::string variant;
};

// Columnar block of rows. x has `rows` entries (empty for op); re[k] (and
// im[k] for complex analyses) has `rows` entries for signal k. The spans are
// valid only during the call.
struct Chunk {
  std::size_t rows = 0;
  std::span<const double> x;
  std::vector<std::span<const double>> re;
  std::vector<std::span<const double>> im;
};

// One power semiconductor's losses in a run (docs/power.md, "Losses"). The
// averages are over the summary window of RunStats (the last period when one
// is known, else the whole transient); energies and counts over the run.
struct DeviceLossStats {
  std::string device;            // flattened name ("s1", "x1.d2")
  double conductionLoss = 0;     // [W] average conduction loss over the window
  double switchingLoss = 0;      // [W] average switching loss (turn-on, turn-off, reverse recovery)
  double conductionEnergy = 0;   // [J] over the run
  double switchingEnergy = 0;    // [J] over the run
  double tjMax = 0, tjAvg = 0;   // [degC] junction temperature over the run (thermal-step ends; time average)
  std::int64_t switchingEvents = 0;  // element turn-ons and turn-offs over the run
};

// One .meas result (simcore/measure.hpp evaluates them).
struct MeasureResult {
  std::string name;
  bool ok = false;
  double value = 0;
  std::string error;  // why it failed (no such crossing, signal not saved, ...)
  SourceLoc loc;
  // what ngspice prints after the value, in order: at (MIN, MAX), with (MIN_AT, MAX_AT),
  // from and to (AVG, RMS, INTEG, PP), targ and trig (TRIG/TARG)
  std::vector<std::pair<std::string, double>> detail;
  // ngspice's five-digit print (%.5e) of a WHEN result on a .meas card and of RMS and INTEG
  enum class Print { Plain, When, Integral } print = Print::Plain;
};

// A file a .control script wrote (wrdata, write): its name as written in the
// script (relative, no "..") and its whole contents.
struct ScriptFile {
  std::string name;
  std::string data;
};

// What a .control script (and .four) produced, in order: text as ngspice
// prints it on stdout (print, echo, fourier), the files it wrote, and the
// commands that failed (ngspice reports them and goes on), as
// "FILE:LINE:COL: message".
struct ScriptOutput {
  std::string text;
  std::vector<ScriptFile> files;
  std::vector<std::string> errors;
};

struct RunStats {
  std::int64_t acceptedPoints = 0;    // transient accepted time points (incl. t = 0)
  std::int64_t rejectedSteps = 0;     // transient steps rejected (LTE, Newton failure, events)
  std::int64_t newtonIterations = 0;
  std::int64_t newtonFailures = 0;    // Newton solves that did not converge (then recovered)
  std::int64_t factorizations = 0;    // LU with pivoting
  std::int64_t refactorizations = 0;  // LU reusing the pivot order
  std::int64_t solves = 0;
  std::int64_t events = 0;            // switching events located in time
  std::int64_t dampedRings = 0;       // transient: trapezoidal steps that rang, taken again with backward Euler (in rejectedSteps too)
  std::int64_t parallelLoads = 0;     // device-group loads split across SimulationOptions::parallel's threads
  std::int64_t parallelRefactorizations = 0;  // LU refactorizations split across those threads
  // The transient's switching mode: "event" (piecewise-linear event engine),
  // "spice" (Newton at every time point) or "linear" (no switching element);
  // empty when no transient ran.
  std::string switchingMode;
  std::int64_t configurations = 0;    // event mode: distinct switch configurations visited
  std::int64_t factorCacheHits = 0;   // event mode: solves that reused a cached factorization
  std::int64_t shootingIterations = 0;  // .pss/.fra: Newton iterations of the shooting
  double shootingResidual = 0;          // .pss/.fra: its final relative residual
  double steadyStateAt = 0;             // .options steadystop: when the transient stopped (0: it did not)
  double loadSeconds = 0, factorSeconds = 0, solveSeconds = 0, setupSeconds = 0;
  int unknowns = 0;
  int nonzeros = 0;
  std::vector<std::string> opStrategies;  // how each operating point was found: "newton", "gmin stepping", ...
  // Losses (when the netlist has loss data or a .thermal block): per device,
  // the window [lossFrom, lossTo] the averages are over, and the converter's
  // efficiency = outputPower / (outputPower + lossPower) where inputPower is
  // the average power the independent V sources deliver (those with a net
  // delivery), outputPower = inputPower − the semiconductors' electrical
  // dissipation, lossPower = the metered losses; efficiency 0 when no source
  // delivers power.
  std::vector<DeviceLossStats> losses;
  double lossFrom = 0, lossTo = 0;
  double inputPower = 0, outputPower = 0, lossPower = 0, efficiency = 0;
  double thermalStep = 0;  // [s] the thermal network's step (0: no losses metered)
  // The netlist's .meas cards (and `meas` commands), in order, evaluated when
  // their analysis ends; one that cannot be (its analysis has not ended, no
  // crossing, a signal not saved) has ok = false and says why.
  std::vector<MeasureResult> measures;
  // The .control script's output, so far (empty without a script or .four).
  ScriptOutput script;
};

struct AnalysisSummary {
  AnalysisType type = AnalysisType::Op;
  std::size_t rows = 0;
};

class SampleSink {
 public:
  virtual ~SampleSink() = default;
  virtual void begin(const AnalysisHeader& header) = 0;
  virtual void chunk(const Chunk& chunk) = 0;
  virtual void end(const AnalysisSummary& summary) = 0;
};

struct SimulationOptions {
  // Restrict the output to these signals ("v(out)", "i(vin)"); empty: the
  // netlist's .save cards, or every node voltage and the currents of V, L, E, H.
  std::vector<std::string> save;
  std::size_t chunkRows = 1024;
  // A chunk also holds at most about this many values (rows x signals, but at
  // least 16 rows), so that a wide result (a 2 500-node grid) still arrives in
  // several chunks as the run goes instead of one at the end.
  std::size_t chunkValues = std::size_t(1) << 16;
  // Limits (0 = none): enforced with ErrorCode::Limit.
  std::int64_t maxUnknowns = 0;
  std::int64_t maxTimePoints = 0;
  // Set to true by another thread to stop at the next step (ErrorCode::Cancelled).
  const std::atomic<bool>* cancel = nullptr;
  // Measure the time spent in load / factor / solve (RunStats::*Seconds). A
  // clock read per phase and Newton iteration: free natively, about 20 % of a
  // small circuit's run in WebAssembly, where the clock is a call into JS.
  bool phaseTimes = true;
  // Transient rows on the .tran grid tstart, tstart + tstep, ..., tstop,
  // evaluated from the integrator's dense output (the polynomial of each
  // step's order), instead of one row per accepted time point.
  bool interpolate = false;
  // Device evaluation on several threads: a semiconductor group (every
  // MOSFET, every BJT, ...) of at least parallelMinInstances instances,
  // counted in level-1 MOSFET evaluations (a BSIM4 instance counts 20, see
  // LinearisedGroup::loadWeight), evaluates its models in `parallelTasks` slices through `parallel`, then
  // stamps the matrix in instance order on the calling thread. The results
  // are bit-identical to a run without it, whatever the number of threads.
  // The LU refactorization (above parallelMinLuWork multiply-adds, when its
  // columns split well; < 0: whenever they split at all) runs in parallelThreads groups per phase through
  // `parallel`, each column computed as on one thread (bit-identical factors).
  ParallelFor parallel;
  std::size_t parallelTasks = 2;
  std::size_t parallelMinInstances = 512;
  std::size_t parallelThreads = 2;
  std::int64_t parallelMinLuWork = 20000;
};

enum class StepState { Running, Done };

class Simulation {
 public:
  static Result<std::unique_ptr<Simulation>> create(ir::Circuit circuit, const SimulationOptions& options = {});
  virtual ~Simulation() = default;

  // Runs until about `budgetRows` rows were produced (or the run ends). On an
  // error, the rows computed before it have been delivered to the sink (end()
  // is not called for the failed analysis).
  virtual Result<StepState> advance(SampleSink& sink, std::size_t budgetRows) = 0;
  // 0..1 over all analyses, for progress bars.
  virtual double progress() const = 0;
  virtual const RunStats& stats() const = 0;
  // The circuit run. Its warnings: the netlist reader's, then the simulation's
  // own: floating nodes tied to ground (by create()), then what the analyses
  // warn about while they run (each once per run; appended by advance(), also
  // by one that fails), so a front end reports those past the ones it has shown.
  virtual const ir::Circuit& circuit() const = 0;
};

// Convenience: parse + create + advance until done.
Result<RunStats> simulate(std::string_view netlist, const ir::ParseOptions& parse, SampleSink& sink,
                          const SimulationOptions& options = {});

}  // namespace simcore
