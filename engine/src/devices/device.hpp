// The device interface. One DeviceGroup object holds every instance of one
// device kind in a circuit (structure of arrays), so the analyses make one
// virtual call per kind per Newton iteration, not one per instance.
//
// Life of a group (fixed phases, each one method):
//   setup()     create branch unknowns / internal nodes, charge states, read models
//   resolve()   look up other devices' branch unknowns (F, H, W, K) once all exist
//   pattern()   declare matrix entries; called twice: collect, then bind positions
//   load()      evaluate at x: add currents to the residual f and dI/dx to the
//               matrix; charges go through LoadContext::charge(), which applies the
//               integration method the analysis owns (devices never see it)
//   acLoad()    small-signal stamps at the operating point (complex)
//   accept()    an accepted solution (time point, dc point): commit internal state
//   events      switches report threshold crossings so the transient can land on them
//
// Unknown numbering: 0 is ground (x[0] == 0 always, its row and column are a
// bin); nodes and branch currents are 1..n. Residual convention: f[row] is the
// sum of currents leaving a node through devices (KCL: f == 0 at a solution);
// branch rows hold their constraint equation (e.g. v+ - v- - E = 0).
#pragma once

#include <complex>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "devices/descriptor.hpp"
#include "devices/loss_probe.hpp"
#include "simcore/ir.hpp"
#include "simcore/result.hpp"

namespace simcore::dev {

using Index = int;  // unknown index, 0 = ground
using Pos = int;    // position in the matrix value array

enum class AnalysisMode {
  DcOp,      // operating point or dc sweep point
  TranInit,  // record charges only (initial point of a transient, or the solution of a
             // linear step): call charge(), stamp nothing that matters
  Tran,      // a transient time point
  TranCharges,  // event mode: record the charges of a solution just computed (like
                // TranInit, with the step's integration coefficients; no state changes)
};

// TranInit and TranCharges: devices only record charges (c.charge), stamp nothing.
constexpr bool recordsOnly(AnalysisMode m) { return m == AnalysisMode::TranInit || m == AnalysisMode::TranCharges; }

struct SetupContext;
struct LoadContext;
struct AcContext;
struct NoiseContext;
class PatternBuilder;

// One switching event detected inside the last step (threshold crossing).
struct Event {
  double time;  // estimated crossing time
  // The state change of an analog element: a switch (S, W) or a segment of a
  // piecewise-linear XSPICE block (limit, hyst, ...). SPICE mode takes a step across
  // it as SPICE does across any point, not an instant (TranStepper::switchingInstant);
  // outputs that jump (digital gates) keep the instant
  bool analog = false;
};

// A step being checked for events: the accepted solution x0 at t0, the
// candidate x1 at t1, and when the solution is smooth through t0 the
// accepted point before it (xm1 at tm1; null otherwise).
struct StepView {
  const double* xm1 = nullptr;
  const double* x0 = nullptr;
  const double* x1 = nullptr;
  double tm1 = 0, t0 = 0, t1 = 0;
  // Time in [t0, t1] where a quantity with the values qm1, q0, q1 (at tm1,
  // t0, t1) reaches level: on the parabola through the three points when
  // xm1 is given (a sine crossing a carrier lands within ~1e-12 of a 10 us
  // step), else on the line through the last two.
  double crossing(double qm1, double q0, double q1, double level) const {
    double f = q1 != q0 ? (level - q0) / (q1 - q0) : 0.0;
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    const double h = t1 - t0;
    double t = t0 + f * h;
    if (!xm1 || !(t0 > tm1) || !(h > 0)) return t;
    const double d1 = (q1 - q0) / h;
    const double d2 = (d1 - (q0 - qm1) / (t0 - tm1)) / (t1 - tm1);
    for (int k = 0; k < 4; ++k) {
      const double g = q0 + d1 * (t - t0) + d2 * (t - t0) * (t - t1) - level;
      const double dg = d1 + d2 * (2.0 * t - t0 - t1);
      if (!(dg != 0)) break;
      const double tn = t - g / dg;
      if (!(tn >= t0 && tn <= t1)) break;
      t = tn;
    }
    return t;
  }
};

// What a device quantity is evaluated at (an output row of op, dc or tran):
// the unknowns x and the currents of the charge states at that solution
// (null at DC, where they are zero).
struct QuantityContext {
  const double* x = nullptr;
  const double* iq = nullptr;
  // In a transient, the integrator's d(charge current)/d(charge) of the last
  // step (a charge's companion conductance is ag0 times its capacitance); 0 else.
  double ag0 = 0;
  // The solution's time in a transient (transient false: an operating point or a
  // dc sweep, whose sources take their DC values).
  double time = 0;
  bool transient = false;
};

// A vector ngspice's plot holds for a device beside the node voltages and
// the V, L, E, H currents: XSPICE's a1#branch_1_0 (the current of an analog
// voltage or h-type port element: port 1, element 0) and a1#ibranch_0_0 (the
// zero-volt source of a %i input, which ngspice types as a voltage).
struct PlotVector {
  std::string name;  // ngspice's vector name
  Index unknown = 0;
  bool current = true;
};

// An RF port of .sp (a V source with portnum): its terminals, the branch
// unknown of its source (which sits behind the series resistance z0), and z0.
struct RfPort {
  int number = 0;  // portnum, 1..ports
  Index pos = 0, neg = 0, branch = 0;
  double z0 = 50.0;
  const ir::Device* device = nullptr;
};

class DeviceGroup {
 public:
  virtual ~DeviceGroup() = default;
  virtual std::string_view kindName() const = 0;
  virtual std::size_t size() const = 0;

  virtual Status setup(SetupContext& ctx) = 0;
  virtual Status resolve(SetupContext& ctx) { return {}; }
  virtual void pattern(PatternBuilder& b) = 0;
  virtual void load(LoadContext& ctx) = 0;
  virtual void acLoad(AcContext& ctx) = 0;

  // Terminal pairs that conduct at DC (for the floating-node check) and pairs
  // that force a voltage (for the voltage-source-loop check). Indices are unknowns.
  virtual void dcPaths(std::vector<std::pair<Index, Index>>& out) const = 0;
  virtual void voltageEdges(std::vector<std::pair<Index, Index>>& out, std::vector<int>& deviceIdx) const {}
  virtual const ir::Device& device(std::size_t i) const = 0;

  // True when load() is linear in x and independent of Newton history.
  virtual bool linear() const { return true; }
  // Event mode (.options switching): true when load() is affine in x for a
  // fixed discrete state (its configuration) and the state changes only in
  // accept() and settle() -- never inside a Tran load. The matrix values such
  // a group stamps in a Tran load depend only on its configuration and the
  // integration coefficient, so the transient solves each step once and
  // reuses one factorization per (configuration, step).
  virtual bool piecewiseLinear() const { return linear(); }
  // Event mode: append the discrete state, exactly one byte per instance in
  // instance order, or nothing when the group has no discrete state.
  virtual void configuration(std::vector<std::uint8_t>& key) const {}
  // Event mode, at a switching instant: set every instance's discrete state
  // from the solution x (a solution just after the instant, same time) and
  // return how many changed. Used to make a configuration consistent
  // (commutation chains: a switch opens, a diode takes the current).
  virtual int settle(const double* x, double time) { return 0; }
  // The switching instant whose settle() calls follow (NaN: none, after it). The
  // solutions settle() reads are just after it (a short step later); a ramp the
  // instant starts (dac_bridge, real_to_v: GroupBase::changedAt) is timed from the
  // instant itself, as an event-driven simulator times it (a 1 ns DAC ramp started
  // 50 ps late after a billionth of a 50 ms run). Digital gates' delays still count
  // from the solution's time.
  virtual void instantBegins(double t) {}
  // Time-dependent sources: earliest breakpoint strictly after t (inf if none).
  virtual double nextBreakpoint(double t) const { return 1e300; }
  // The largest transient step the group allows (fixed for a run; lines: their delay).
  virtual double maxStep() const { return 1e300; }
  // Event mode without TMAX: the largest step at which straight lines between
  // time points follow the group's time functions that are not piecewise
  // linear in time (SIN, EXP, SFFM) within about 0.1 % of their range, for
  // the step rule of the transient (step_controller.hpp, eventTmax); inf when
  // every time function is piecewise linear between its breakpoints (DC,
  // PULSE, PWL, sampled noise, digital events). Fixed for a run.
  virtual double smoothStep() const { return 1e300; }
  // SPICE mode (ngspice's own rules): the largest step inside the truncation-error
  // step (ngspice's DEVtrunc: an LTRA line's delay), by default maxStep(); and a
  // TMAX the group lowered during the run (ngspice's TXL and CPL set CKTmaxStep to
  // 0.9 of their delay once a step was longer), read after every accepted point.
  virtual double spiceMaxStep() const { return maxStep(); }
  virtual double tmaxCap() const { return 1e300; }
  // Called with the accepted solution. For a transient, time is the new time.
  virtual void accept(const double* x, double time) {}
  // Event location: after a converged step from t0 to t1 (solutions x0, x1),
  // return the earliest event in (t0, t1] if any state would change.
  virtual bool findEvent(const double* x0, const double* x1, double t0, double t1, Event& ev) const { return false; }
  // The same with the point before the step (for a curved crossing); groups
  // that can use it override this one.
  virtual bool findEvent(const StepView& s, Event& ev) const { return findEvent(s.x0, s.x1, s.t0, s.t1, ev); }
  // .dc sweeps: set the DC value of instance i (independent sources only),
  // and afterwards restore the value the netlist gave it.
  virtual bool setDcValue(std::size_t i, double value) { return false; }
  virtual void restoreDcValue(std::size_t i) {}
  // .fra: add amp cos(omega (t - t0)) (sine: sin) to the transient value of
  // instance i (independent sources only); amp 0 removes it.
  virtual bool setPerturbation(std::size_t i, double amp, double omega, double t0, bool sine) { return false; }
  // Restore a configuration this group wrote with configuration() (its bytes
  // start at p; advances p). Periodic steady state restarts runs from one.
  virtual void setConfiguration(const std::uint8_t*& p) {}
  // Before a transient with uic: write device initial conditions into x
  // (e.g. inductor branch currents from ic=).
  virtual void initialConditions(double* x) const {}
  // Before a transient with uic, after initialConditions: set the group's
  // digital states from x as at an operating point (no delays) and write the
  // levels its outputs drive into x; returns how many values of x changed.
  // The transient repeats it over every group until none changes, so that a
  // digital network starts consistent at t = 0 (ngspice settles its
  // event-driven nodes at t = 0 also with uic) and sees no edge there.
  virtual int settleDigital(double* x) { return 0; }
  // The operating point's digital instances one at a time, as ngspice's
  // EVTop/EVTiter evaluate them: in card order, each seeing at once the
  // outputs of those evaluated before it (so a latch whose two gates would
  // flip together settles, the first gate winning). digitalInstances lists
  // the group's instances (their devices order them); settleDigitalInstance
  // evaluates instance i on x at the operating point and writes the levels
  // its outputs drive into x; returns how many outputs changed.
  virtual void digitalInstances(std::vector<std::pair<const ir::Device*, std::size_t>>& out) const {}
  virtual int settleDigitalInstance(std::size_t i, double* x) { return 0; }
  // Power semiconductors: the loss description of instance i (false: the
  // instance has none, the loss meter skips it) and its probe at solution x
  // in its present state (see loss_probe.hpp).
  virtual bool lossSpec(std::size_t i, LossSpec& spec) const { return false; }
  virtual void lossProbe(std::size_t i, const double* x, LossProbe& p) const {}
  // .sp: append the group's RF ports (V sources with portnum).
  virtual void rfPorts(std::vector<RfPort>& out) const {}
  // .noise: append every instance's noise generators at the operating point
  // ctx.xop (devices/noise.hpp); groups without noise add none.
  virtual void noise(NoiseContext& ctx) const {}
  // Device quantities (ngspice's @device[param] vectors; terminal currents
  // positive into the terminal, a two-terminal current from n+ to n- through
  // the device). quantityId: the id of quantity `param` (lower case) of
  // instance i, -1 when it has none by that name. currentNames: the terminal
  // currents ngspice's savecurrents records for the instance, in its order.
  virtual int quantityId(std::size_t i, std::string_view param) const { return -1; }
  virtual void currentNames(std::size_t i, std::vector<std::string_view>& out) const {}
  // ngspice's .probe currents (i(m1:d), i(q1:c); i(d1) of a diode): the real
  // current into terminal `name` of instance i (ngspice's terminal letter, or
  // its number from 1), whatever frame the device's own quantity of that
  // terminal is in. terminalCurrentId: -1 when the instance records none there.
  virtual int terminalCurrentId(std::size_t i, std::string_view name) const { return -1; }
  virtual double terminalCurrent(std::size_t i, int id, const QuantityContext& c) const { return 0.0; }
  virtual std::complex<double> acTerminalCurrent(std::size_t i, int id, const std::complex<double>* x,
                                                 double omega) const {
    return 0.0;
  }
  // The group's PlotVectors, in setup order (listed by `all`).
  virtual void plotVectors(std::vector<PlotVector>& out) const {}
  // Value at an op, dc or transient solution, and the small-signal value at
  // an ac solution x (complex unknowns) and angular frequency omega.
  virtual double quantity(std::size_t i, int id, const QuantityContext& c) const { return 0.0; }
  virtual std::complex<double> acQuantity(std::size_t i, int id, const std::complex<double>* x, double omega) const {
    return 0.0;
  }
};

}  // namespace simcore::dev
