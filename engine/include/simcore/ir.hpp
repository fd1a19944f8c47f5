// The flat circuit description that the netlist front end produces and the
// analyses consume. Everything is already elaborated: sub-circuits are
// expanded, parameters and brace expressions evaluated to numbers, names
// lower-cased. Nothing here refers back to the text except SourceLoc.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "simcore/expression.hpp"
#include "simcore/losses.hpp"
#include "simcore/plugin.hpp"
#include "simcore/result.hpp"

namespace simcore::ir {

// A named numeric parameter: instance parameter (w=2u), model parameter
// (is=1e-14) or a flag (off -> value 1). name is lower case. A vector value
// (in_gain=[1 -1], code-model parameters) keeps its elements in `values` and
// its first element in `value`; `values` is empty for a scalar.
struct Param {
  std::string name;
  double value = 0.0;
  SourceLoc loc;
  std::vector<double> values;
  // A value whose expression reads temper (ngspice's circuit temperature,
  // is={temper > 25 ? 1e-10 : 2e-10}): the expression, folded but for
  // temper; `value` holds it at the reader's temperature and the circuit
  // model build evaluates it again at Options::temp. Null: a plain number.
  std::shared_ptr<const Expression> temper;
};

enum class WaveKind { None, Pulse, Sin, Exp, Pwl, Sffm, TrNoise, TrRandom, Am };

// A transient source function with the arguments exactly as given (count ==
// number written); defaults that depend on the .tran card are filled in by the
// source device. PWL args are t0 v0 t1 v1 ...
struct Waveform {
  WaveKind kind = WaveKind::None;
  std::vector<double> args;
  double pwlRepeat = -1.0;  // PWL r=: time the repetition starts from; < 0: none
  double pwlDelay = 0.0;    // PWL td=
  // TRNOISE, TRRANDOM: the source's own random stream, drawn by the netlist
  // reader from .options seed (the same deck gives the same numbers)
  std::uint64_t seed = 0;
  SourceLoc loc;
};

// Independent-source specification (V, I).
struct SourceSpec {
  double dc = 0.0;
  bool hasDc = false;
  double acMag = 0.0;
  double acPhaseDeg = 0.0;
  bool hasAc = false;
  Waveform wave;
  // V only: an RF port (ngspice's `portnum N [z0 Z] [pwr P] [freq F] [phase D]`),
  // port > 0. The source then sits behind a series resistance z0 (ohm) in every
  // analysis; .sp excites the ports one at a time. With pwr (W) or freq (Hz)
  // given, the transient value is sqrt(4 pwr z0) cos(2 pi freq t) instead of
  // any transient function (defaults 1 mW, 1 GHz); phase (degrees) is read and,
  // as in ngspice 39, has no effect.
  int port = 0;
  double z0 = 50.0;
  double portPower = 1e-3, portFreq = 1e9, portPhaseDeg = 0.0;
  bool portWave = false;  // pwr or freq given
  SourceLoc portLoc;      // the portnum keyword
};

// What a behavioural device forces (B sources; E, G with VALUE= or TABLE;
// E, F, G, H with POLY): a voltage between its two nodes (through a branch
// current, like V) or a current from its first node through it to the second.
struct Behaviour {
  enum class Output { Voltage, Current };
  Output output = Output::Voltage;
  Expression expr;
};

struct Device {
  std::string name;                // lower case, hierarchical: "r1", "x1.r2", "x1.x3.m1"
  char letter = 0;                 // lower-case first letter of the leaf name: 'r', 'c', ...
  std::vector<std::string> nodes;  // flattened node names; "0" is ground
  std::vector<std::string> refs;   // F/H/W: controlling V source; K: the two inductors; A: %vnam sources (flattened names)
  std::optional<double> value;     // primary positional value (R, C, L, gain, k, area for D/Q)
  std::shared_ptr<const Expression> valueTemper;  // `value`'s expression when it reads temper (as Param::temper)
  int model = -1;                  // index into Circuit::models, -1 when none
  std::vector<Param> params;       // named instance parameters and flags
  SourceSpec source;               // V and I only
  SourceLoc loc;                   // where the card starts
  // A (code-model) devices: the number of elements of each port in card
  // order (1 for a scalar port, k for a [ ... ] vector of k). `nodes` then
  // holds two names per element, plus and minus; the minus of a
  // single-ended port (%v or a plain node) is "0".
  std::vector<int> ports;
  // The port type each element was written with, one per element (empty
  // when every element is Plain): a bare node (the model's default type),
  // %v, %vd, %d (a digital node), or NULL (an unconnected optional port,
  // whose two nodes are "0").
  // Plain: a bare node; Pair: a bare parenthesised pair (a b) (a differential
  // port of the model's default type); G, Gd: %g, %gd (the model drives a
  // current that depends on the port's voltage); H, Hd: %h, %hd (the model
  // reads the current through the port and drives its voltage); I, Id: %i,
  // %id (an input reads the current through a zero-volt source between the
  // nodes, an output drives a current between them); Vnam: %vnam (an input
  // reading the current through the voltage source named in `refs`, in the
  // order of the Vnam elements; its two nodes are "0"). Spellings, shapes
  // and descriptions: devices/port_types.hpp.
  enum class PortType : std::uint8_t { Plain, V, Vd, D, Null, G, Gd, Pair, H, Hd, I, Id, Vnam };
  std::vector<PortType> portTypes;
  // Where each element starts on the card (its type or first node; in loc.file),
  // one per element like portTypes, so a port error points at the port.
  struct PortAt {
    int line = 0, col = 0;
  };
  std::vector<PortAt> portAt;
  // Behavioural devices only: the kind is then the behavioural source of
  // that output, whatever the letter (E1 VALUE= stays e1: i(e1), x1.e1).
  std::optional<Behaviour> behaviour;
};

// One card of a model written as a list of cards: CIDER's numerical devices
// (`.model M numd level=1`, then one card per '+' line: x.mesh, doping,
// material, ...; docs/cider.md). Names are canonical (aliases and prefixes
// resolved by the reader), lower case; a flag is 1, or 0 when negated with
// '^'; a keyword value (concmodel=sg) is its code (devices/cider_vocab.hpp).
struct ModelCard {
  std::string name;
  std::vector<Param> params;  // in the order written
  SourceLoc loc;
};

struct Model {
  std::string name;  // lower case, as written (unique within its scope)
  std::string type;  // lower case: d, npn, pnp, nmos, pmos, sw, csw, r, c, l
  std::vector<Param> params;
  SourceLoc loc;
  // Index into Circuit::semiconductors of the loss/thermal data the model
  // refers to (losses="file.xml"); -1: none (inline loss parameters, if any,
  // stay in params).
  int semiconductor = -1;
  // CIDER models (numd, nbjt): the cards after the .model line, in order;
  // `params` then holds only level.
  std::vector<ModelCard> cards;
};

enum class AnalysisKind { Op, Dc, Ac, Tran, Pss, Fra, Noise, Tf, Pz, Sens, Sp };
enum class AcScale { Dec, Oct, Lin };

struct DcSweep {
  std::string source;  // lower-case name of a V or I source (flattened)
  double start = 0, stop = 0, step = 0;
};

struct Analysis {
  AnalysisKind kind = AnalysisKind::Op;
  SourceLoc loc;
  // .dc: one or two sweeps; sweeps[0] is the inner (fast) one.
  std::vector<DcSweep> sweeps;
  // .ac
  AcScale acScale = AcScale::Dec;
  int acPoints = 0;
  double fstart = 0, fstop = 0;
  // .tran tstep tstop [tstart [tmax]] [uic]
  double tstep = 0, tstop = 0, tstart = 0, tmax = 0;
  bool uic = false;
  // ngspice's `stop when time = T` before a transient (.control): it pauses at
  // pauseAt (> 0; a time point lands there). An analysis with resumes >= 0
  // (`resume`) continues the paused transient of that index from its state, on
  // its own circuit variant (the alters made during the pause), as one analysis:
  // the same rows, header and plot. A paused transient that no analysis
  // resumes ends at pauseAt.
  double pauseAt = 0;
  bool pauseAfter = false;  // `stop when time > T`: at the first time point after pauseAt
  int resumes = -1;
  // LTspice's startup: > 0 solves the initial point with the independent
  // sources off and ramps them linearly to full value over this time (s)
  double startupRamp = 0;
  // The transient operating point's run (OpTran): every device sees time zero
  // (sources at their time-zero values, no breakpoints of theirs).
  bool frozenTime = false;
  // .pss period [tsettle]; .fra (acScale, acPoints, fstart, fstop) period=
  // source= [settle=] [amplitude=]: the driven period, the transient before
  // shooting, the perturbed source (flattened name) and its amplitude (0: auto)
  double period = 0, tsettle = -1, amplitude = 0;
  std::string source;
  // ngspice's oscillator .pss GFREQ TSTAB ONAME POINTS HARMS SCITER
  // STEADYCOEFF [UIC] (oscillator set): the guessed frequency, the observed
  // node (flattened name), the time points of the reported period, the
  // harmonics reported, the shooting iteration limit and the convergence
  // coefficient; TSTAB is tsettle, UIC uic.
  bool oscillator = false;
  double gfreq = 0, steadyCoeff = 0;
  int pssPoints = 0, harmonics = 0, shootIterations = 0;
  std::string oscNode;
  // .noise v(outPos[,outNeg]) SRC ... / .tf OUTVAR SRC: the
  // output is a voltage v(outPos, outNeg) (outNeg empty: ground) or, when
  // outSource is set, the current of that voltage source; `source` is the
  // input source (.noise, .tf); .noise's frequencies are acScale, acPoints,
  // fstart, fstop and ptsPerSummary its points per summary (0: none).
  std::string outPos, outNeg, outSource;
  int ptsPerSummary = 0;
  // .pz IN+ IN- OUT+ OUT- cur|vol pol|zer|pz: the input port (inPos, inNeg;
  // "0" for ground), the output port in outPos, outNeg ("0" for ground), a
  // current input (cur: V(out)/I(in)) or a voltage one (vol:
  // V(out)/V(in)), and which roots to find.
  std::string inPos, inNeg;
  bool pzCurrent = false, pzPoles = true, pzZeros = true;
  // .sens OUTVAR [ac dec|oct|lin N fstart fstop]: the output as .tf's
  // (outPos, outNeg or outSource); sensAc: the AC form, whose frequencies are
  // acScale, acPoints, fstart, fstop.
  bool sensAc = false;
  // .sp dec|oct|lin N FSTART FSTOP [DONOISE]: frequencies as acScale,
  // acPoints, fstart, fstop; spNoise: DONOISE was 1 (noise correlation Cy).
  bool spNoise = false;
  // The circuit it runs on: an index into Circuit::variants (a .step point,
  // a .temp value, the circuit after `.control` alter commands); -1: the
  // circuit itself.
  int variant = -1;
};

enum class IntegrationMethod { Trapezoidal, Gear, Euler };
// How a transient treats switching circuits (.options switching=...):
//   Auto   event mode when every element is piecewise linear, else spice
//   Event  event mode; an element that is not piecewise linear is an error
//   Spice  Newton at every time point (switch states still flip at located events)
enum class SwitchingMode { Auto, Event, Spice };

// ngspice's transient operating point (the .control command `optran
// NOOPITER GMINSTEPS SRCSTEPS TSTEP TSTOP TRAMP`). When given, an operating
// point tries plain Newton (newton), gmin stepping (gminSteps > 0) and source
// stepping (srcSteps > 0), and when these fail and step > 0, a transient of
// the circuit from all zero to `stop` in steps of at most `step` (s), every
// device seeing time zero (sources at their time-zero values, ramped from 0
// over `ramp` when > 0); its end state is the operating point. Not given:
// simcore's own fallbacks (newton, gmin and source stepping, pseudo-transient).
// .options noopiter, gminsteps=0 and srcsteps=0 set the three flags alone (given
// stays false: the pseudo-transient fallback stays).
struct OpTran {
  bool given = false;
  bool newton = true;
  int gminSteps = 1, srcSteps = 1;
  double step = 0, stop = 0, ramp = 0;
};

// .options and .temp. Defaults are SPICE's.
struct Options {
  double reltol = 1e-3;
  double abstol = 1e-12;
  double vntol = 1e-6;
  double chgtol = 1e-14;
  double trtol = 7.0;
  double gmin = 1e-12;
  int itl1 = 100;  // dc iteration limit
  int itl4 = 10;   // transient iteration limit per time point
  // The Newton iteration limit a solve uses for a limit `itl`: never below 100, as ngspice
  // 39's NIiter raises every limit (itl1, itl2, itl4) to 100; its default itl4 of 10 is
  // never what a transient step gets there
  static int newtonLimit(int itl) { return itl < 100 ? 100 : itl; }
  IntegrationMethod method = IntegrationMethod::Trapezoidal;
  int maxord = 2;
  double temp = 27.0;  // circuit temperature, degC
  double tnom = 27.0;  // nominal model temperature, degC
  SwitchingMode switching = SwitchingMode::Auto;
  // .tran stops at the first multiple of this period (> 0) where every charge
  // state changed by at most steadytol of its range over the last period.
  double steadystop = 0;
  double steadytol = 1e-6;
  // ngspice's XSPICE option ramptime (s, > 0): during a transient's first
  // ramptime the code-model capacitor and inductor (capacitoric, inductoric)
  // drive their ic scaled by time / ramptime (0 at its operating point), and
  // ramptime is a breakpoint. Independent sources are not ramped: ngspice 39
  // ramps them only when built with XSPICE_EXP, which its builds are not.
  double ramptime = 0;
  // Losses and thermal network (docs/power.md): the thermal step (0: derived
  // from the run), the period the loss summary averages over (0: .pss period,
  // steadystop, else the whole run).
  double thermalstep = 0;
  double lossperiod = 0;
  // .options keepopinfo (ngspice): each .ac, .pz and .sp writes its operating
  // point first, as an op result of its own
  bool keepOpInfo = false;
  // .options autostop (ngspice): the transient ends at the first accepted
  // point where every .meas of it has its result (simcore/measure.hpp)
  bool autostop = false;
  // .options trapdamp: a SPICE-mode transient takes a trapezoidal step whose
  // stiff states ring point to point again with backward Euler (see
  // analysis/integrator.hpp). Off by default: ngspice rings.
  bool trapdamp = false;
  // .options interp (ngspice's `interp`): a transient's rows on its TSTEP
  // grid, interpolated from the computed points, and TSTOP last (as
  // SimulationOptions::interpolate)
  bool interp = false;
  OpTran optran;
};

// One element of the thermal network (.thermal ... .endthermal, docs/power.md).
// Temperatures in degC, node "0" is the ambient (.temp). Names and nodes are
// flattened like electrical ones ("x1.hs").
struct ThermalElement {
  enum class Kind {
    Resistance,   // R a b value [K/W]
    Capacitance,  // C a b value [J/K]
    Temperature,  // T a b value: a is held at value [degC] (b must be 0)
    HeatFlow,     // P a b value: constant heat flow [W] into a (out of b)
    Chain,        // Z a b foster|cauer R1 tau1 R2 tau2 ...: chain from a to b
    Junction,     // J device b: the losses of `device` heat its junction node, which
                  // reaches b through the device's junction-case chain (or directly)
  };
  Kind kind = Kind::Resistance;
  std::string name;
  std::string a, b;
  double value = 0;
  ThermalChain chain;
  std::string device;  // Junction: the flattened device name
  SourceLoc loc;
};

// .ic / .nodeset entry: v(node)=value
struct NodeValue {
  std::string node;
  double value = 0.0;
  SourceLoc loc;
};

// Output request from .save / .print: "v(out)", "v(a,b)" is not supported,
// "i(vin)". Stored normalised: lower case, no blanks.
struct SaveRequest {
  std::string signal;
  SourceLoc loc;
};

// .meas / .measure (and the .control command meas): one scalar measured on
// the result of the first analysis of its kind.
// MinAt/MaxAt: where the minimum/maximum is (its x value).
enum class MeasureKind { TrigTarg, FindAt, FindWhen, When, Avg, Rms, Min, Max, Pp, Integ, DerivAt, Param, MinAt, MaxAt };

// A point of the sweep: the count-th crossing of `value` by `signal` (edge
// 0 either way, 1 rising, -1 falling; count -1 the last) at or after td; or,
// when signal is empty, the fixed point `at` (TRIG AT=). With signal2 (WHEN
// v(a)=v(b)) the crossing is of signal - signal2 through zero; value unused.
struct MeasurePoint {
  std::string signal;  // "v(out)", "i(v1)", "vdb(out)", ... lower case, no blanks
  std::string signal2;
  double value = 0;
  int edge = 0;
  int count = 1;
  double td = 0;
  double at = 0;
  double from = -1e300, to = 1e300;  // FROM= TO=: only crossings inside count
};

struct Measure {
  std::string name;  // lower case
  AnalysisKind analysis = AnalysisKind::Tran;
  MeasureKind kind = MeasureKind::Avg;
  std::string signal;           // FIND, AVG ... INTEG, DERIV
  double at = 0;                // FIND/DERIV ... AT=
  MeasurePoint trig, targ;      // TRIG/TARG; WHEN reads trig
  double from = -1e300, to = 1e300;  // FROM= TO= window of AVG ... INTEG
  // PARAM='expr': an unfolded tree whose names are .params (their values in
  // paramValues, parallel to expr.names) or, where paramValues is NaN, other
  // measurements (evaluated after every other one, as ngspice)
  Expression expr;
  std::vector<double> paramValues;
  SourceLoc loc;
};

struct Diagnostic {
  std::string message;
  SourceLoc loc;
};

// An alternative of the circuit that analyses can run on (Analysis::variant):
// a .step point, one of several .temp values, the circuit after `.control`
// alter/altermod commands. The analysis reads its devices, models, options,
// .ic and .nodeset from the variant; the saves and measures stay the
// circuit's, so a variant has the circuit's node names (its own devices may
// differ in values only).
struct Variant {
  // What changed, for the results: "r1=2k", "temp=50", "vdd=1.8 rl=10k".
  std::string label;
  std::vector<Device> devices;
  std::vector<Model> models;
  Options options;
  std::vector<NodeValue> ic;
  std::vector<NodeValue> nodeset;
  SourceLoc loc;  // the card or command that made it
  // >= 0: a `.control` alter after this point read analysis results, so the
  // values are those the script's run-time alters have made when the analysis
  // starts (script::ScriptSink::liveVariant), beginning from variant liveFrom;
  // devices, models and options here are liveFrom's (what runs when none of
  // those alters ran).
  int liveFrom = -1;
};

// A statement of a `.control` script that runs between the analyses
// (print, echo, let, wrdata, write, fourier, setplot, destroy, linearize, set,
// unset, and if/while/dowhile/repeat blocks whose condition reads analysis
// results; alter, altermod and reset once an alter's value reads results).
// Analysis commands, the other alters and the control flow that depends only
// on script variables were carried out at parse time; what they left for the
// run is this list (docs/netlist.md, "Control scripts").
struct ScriptStatement {
  std::string command;  // lower case: "print", "if", "while", "dowhile", "repeat", ...
  std::string args;     // the rest of the line as written ($variables are substituted when it runs)
  SourceLoc loc;
  std::vector<ScriptStatement> body;      // if (then), while, dowhile, repeat
  std::vector<ScriptStatement> elseBody;  // if
  // alter, altermod: the circuit variant (Circuit::variants) their changes
  // start from when no run-time alter has run since the last reset.
  // Another statement that reads @dev[param]: the circuit as the script has
  // left it there (a variant, kDeckCards: the netlist's own cards; -1: the
  // circuit of the plot it reads), unless run-time alters changed it since.
  int variant = -1;
  static constexpr int kDeckCards = -2;
};

struct Script {
  // statements[k] runs once the first `after[k]` analyses of Circuit::analyses
  // have ended (0: before the first one starts).
  std::vector<ScriptStatement> statements;
  std::vector<int> after;
  // The result vectors the statements may read: lower-case words of their
  // text ("out", "v1", "v1#branch", "time"); keepAll: every vector.
  std::vector<std::string> names;
  bool keepAll = false;
  // Device quantities (@r1[i]) saved only because a statement reads them:
  // ngspice reads the device's present state, so after a transient or a dc
  // sweep a statement sees their last value, not the waveform.
  std::vector<std::string> stateReads;
  // ngspice's $inputdir at run time: the folder of the netlist file ("." for text)
  std::string inputDir = ".";
  bool empty() const { return statements.empty(); }
};

struct Circuit {
  std::string title;
  std::string fileName;
  std::vector<Device> devices;
  std::vector<Model> models;
  std::vector<Analysis> analyses;  // in netlist order
  std::vector<Variant> variants;   // what Analysis::variant refers to
  Options options;
  std::vector<NodeValue> ic;
  std::vector<NodeValue> nodeset;
  std::vector<SaveRequest> saves;
  std::vector<Measure> measures;   // .meas cards and meas commands, in order
  Script script;                   // what a .control script (and .four) does between analyses
  std::vector<Diagnostic> warnings;  // things accepted but not acted on (e.g. .control blocks)
  std::vector<SemiconductorData> semiconductors;  // loss/thermal data files read for models
  std::vector<ThermalElement> thermal;            // .thermal blocks, flattened
  bool hasThermal = false;                        // a .thermal block was given (even empty)
  // No analysis and no script, but devices, models or sub-circuits: the deck is
  // read and checked and nothing is simulated (ngspice: "no simulations run").
  bool checkOnly = false;
  // Device kinds from plugins (ParseOptions::plugins and .plugin cards), null
  // when none; shared by copies of the circuit, keeps the plugins loaded.
  std::shared_ptr<const PluginKinds> plugins;
};

// A file the caller read for the engine (the engine opens no files).
struct ResolvedFile {
  std::string name;  // as it should appear in error messages
  std::string text;
};

// Called for .include / .lib. path is as written in the netlist; fromFile is the
// name of the including file. Returns the text or an Error (its message is
// reported at the .include card's location).
using IncludeResolver = std::function<Result<ResolvedFile>(std::string_view path, std::string_view fromFile)>;

struct ParseOptions {
  std::string fileName = "<netlist>";
  IncludeResolver resolver;  // empty: .include/.lib are errors
  // Top-level .param values replaced by the caller (sweeps, sliders); name lower case.
  std::vector<std::pair<std::string, double>> paramOverrides;
  // Device plugins (docs/plugins.md) the caller loaded (simcore run --plugin),
  // usable by every card of the netlist.
  std::vector<LoadedPlugin> plugins;
  // Loads the plugin of a `.plugin PATH` card; empty: .plugin is an error.
  PluginResolver pluginResolver;
  // ngspice's compatibility modes as a .spiceinit sets them (`set ngbehavior=hsa`): with "hs"
  // or "spe" among them a binned MOSFET model's bin is chosen by its finger width W/NF
  // (ngspice's wnflag; `.options wnflag=` and an instance's `wnflag=` decide over it).
  std::string ngbehavior;
};

// Parse and elaborate a whole netlist (title line first).
Result<Circuit> parseNetlist(std::string_view text, const ParseOptions& opts = {});

}  // namespace simcore::ir
