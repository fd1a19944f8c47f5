// .tran: the resumable driver of a transient. Each policy is a unit of its own
// (tested without Newton); the driver only sequences them:
//   StepController  step size, order, error test, failure handling, breakpoint landing
//   EventLocator    breakpoints and switching events: where a step must end
//   Integrator      method coefficients, predictor, truncation error, dense output
//
//   start:  header out
//   first step(): initial point (operating point at t = 0, or .ic / uic);
//                 history <- x(0); row at t = 0
//   while t < tstop (at most `budget` accepted points per call):
//     plan = events.cut(t, control.plan(t, events.nextBreakpoint()))
//     integrator.prepare(h, control.order()); x = integrator.predict(h)   (nonlinear)
//     Newton at t + h
//       not converged                 -> control.newtonFailed: retry smaller at order 1
//                                        (recoverable) | timestep too small (fatal)
//     events.check(x(t), x, t, t + h)  -> Cut: retry ending just past the event (recoverable)
//     control.errorTest(h, LTE step)   -> Retry with the LTE step (recoverable) | Fatal
//     complete: integrator and devices accept, events.accepted, control.accepted;
//               rows out: the accepted point, or with SimulationOptions::interpolate
//               the tstep grid points in (t, t + h] from the integrator's dense output
//   end: flush, summary; then the loss meter's rows as the analysis `losses`
//        when losses are metered (the meter observes every accepted point
//        and switching instant, see losses/meter.hpp)
// A retry restores x to the last accepted solution; counts go to RunStats.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "analysis/event_locator.hpp"
#include "analysis/growth_watch.hpp"
#include "analysis/session.hpp"
#include "analysis/step_controller.hpp"
#include "losses/meter.hpp"

namespace simcore::an {

class TranStepper final : public AnalysisStepper {
 public:
  TranStepper(Session& s, const ir::Analysis& a, int index) : s_(s), a_(a), index_(index) {}

  Status start(SampleSink& sink) override;
  // Fraction of their value the independent sources have at time t: 1, or
  // LTspice's startup ramp t / startupRamp before its end.
  double sourceFactor(double t) const {
    return a_.startupRamp > 0 && t < a_.startupRamp ? t / a_.startupRamp : 1.0;
  }
  Result<bool> step(SampleSink& sink, std::size_t budget) override;
  double progress() const override { return tstop_ > 0 ? std::min(1.0, t_ / tstop_) : 0.0; }

  // Windows of a transient (periodic steady state, frequency response): the
  // state at the last accepted point, and a run from such a state to tstop
  // (the devices take its configuration, the integrator its charges; the
  // instant at its start is settled as a switching instant).
  struct State {
    double t = 0;
    std::vector<double> x, q;
    std::vector<std::uint8_t> config;
    double h = 0;
  };
  State state() const;
  void restartFrom(const State& s, double tstop);
  // Rows of the following runs go to this callback instead of the sink (null: the sink).
  void observe(std::function<void(double, const double*)> f) { observer_ = std::move(f); }
  // Periodic steady state: meter the following runs' losses with m (their
  // thermal network continuing from its present state when keepThermal), or
  // stop metering (null); the meter is the caller's.
  void meterRuns(losses::LossMeter* m, bool keepThermal) {
    runMeter_ = m;
    keepThermal_ = keepThermal;
  }
  // Emits a meter's rows as the analysis `losses` with this index.
  void emitLosses(SampleSink& sink, losses::LossMeter& m, int index);
  // Smallest and largest charge of each state over the runs since the last call.
  void chargeRange(std::vector<double>& lo, std::vector<double>& hi);

  // ngspice's stop and resume (ir::Analysis::pauseAt, resumes). A run whose
  // analysis has a pauseAt returns from step() as done once it has accepted
  // the point there, without ending its analysis (no summary): paused().
  // Then either endPaused() ends it there, or pause() hands its state to the
  // stepper of the analysis that resumes it, which starts with resume()
  // instead of start(): no header (the rows continue the same analysis); the
  // devices take the state and configuration, the integrator the charges,
  // and the instant is settled as a switching instant (the integration
  // restarts there, as after any change of the circuit).
  struct Pause {
    State state;
    bool grid = false;
    long gridK = 0;
    double lastGridT = -1;
    std::size_t rows = 0;
    double tmax = 0;
  };
  bool paused() const { return paused_; }
  void endPaused(SampleSink& sink);
  Pause pause() const;
  Status resume(const Pause& p);

  // Co-simulation (CoSimulation, cosim.cpp). advanceTo runs the transient's
  // own steps towards tc: a step ending at or before tc is accepted as step()
  // accepts it; the step that would cross tc is solved and tested but held,
  // not accepted, so that a source change at tc can still act there. Returns
  // true once tstop is reached (then end() has been called).
  Result<bool> advanceTo(SampleSink& sink, double tc);
  // The solution at t in [last accepted step's start, held step's end]: the
  // dense output (the initial point as reported before any step).
  void valueAt(double t, double* out) const;
  // Independent sources change at t (from the last accepted time to the
  // held step's end): the held step is dropped, the steps land on t,
  // change() sets the new values, and the solution just after the jump is
  // taken as at a switching instant (the integration restarts there).
  Status jumpAt(SampleSink& sink, double t, const std::function<void()>& change);
  double time() const { return t_; }

 private:
  // Before the steps of step() and advanceTo(): the initial point and what
  // a restart left pending.
  Status prologue(SampleSink& sink);
  // After the last step: flush, end(), the loss meter's rows.
  void finish(SampleSink& sink);
  // What start() and resume() both set up: the mode, the method, the state
  // vectors' sizes, the output.
  Status setUp();
  // The devices' own largest step (a lossy line's delay).
  double deviceMaxStep() const;
  // The first step of a run from t (the initial point, a resumed run).
  double firstStep(double t, double tmax) const;
  // A state at the devices, the integrator and Newton (a window's start, a resumed run).
  void install(const State& st);
  // What besides the devices ends steps: the steady-state period, the startup ramp's end
  // (and whether the devices' breakpoints count).
  void eventSources();
  // One step attempt from t_: true when accepted (or held: a step ending
  // past holdAfter is kept in held_ instead), false when it is to be retried.
  Result<bool> attempt(SampleSink& sink, double holdAfter = 1e300);
  Status checkLimits() const;
  Status complete(SampleSink& sink, const StepPlan& plan, double hLte, bool atEvent);
  Status chooseMode();
  bool steadyReached();
  Status switchingInstant(SampleSink& sink, double hBefore, double hCrossing = 0);
  Error chatter(const std::vector<std::vector<std::uint8_t>>& seen) const;
  Status initialPoint();
  void seedPerturbation(std::vector<double>& x) const;
  // An accepted point at t_ (values: its solution): counted, and written as a
  // row, or as the grid rows up to t_.
  void output(SampleSink& sink, const double* values);
  void emit(SampleSink& sink, double t, const double* values);
  Error tooSmall(double tn, const NewtonResult* nr) const;

  Session& s_;
  const ir::Analysis& a_;
  int index_;
  StepController control_;
  EventLocator events_;
  double tstop_ = 0;
  double t_ = 0;
  double pauseAt_ = 0;  // 0: no pause ahead
  bool paused_ = false;
  bool initDone_ = false;
  std::vector<double> initialRow_;
  std::size_t rows_ = 0;
  // output on the tstep grid: the next grid index and a row buffer
  bool grid_ = false;
  long gridK_ = 0;
  double lastGridT_ = -1;  // the time of the last grid row written
  std::vector<double> gridRow_;
  // event mode (see switchingInstant)
  bool eventMode_ = false;
  bool pendingInstant_ = false;
  double hInstant_ = 0;
  // SPICE mode: the step the event locator first cut on the way to a control that jumps
  // (bisected; the step SPICE would have taken across it); 0: none
  double hApproach_ = 0;
  std::vector<std::uint8_t> configBefore_, configAfter_;
  std::vector<std::vector<std::uint8_t>> instantSeen_;
  double tmax_ = 0;
  bool restartRow_ = false;
  bool dampRings_ = false;  // .options trapdamp (SPICE mode)
  bool retryAfterFailure_ = false;  // the last attempt's Newton failed (NewtonRequest::resync)
  // The first Newton failure of the current run of failures and its time: when the
  // cut steps end on a matrix made singular by the cuts themselves (C/h of a bus
  // capacitor above the runaway test at h = 1e-17 s), the error tells this one.
  NewtonResult firstFailure_{};
  double firstFailureAt_ = -1;
  // The largest branch current along the accepted points: a failure after the
  // currents ran away says so (the circuit, not the solver).
  GrowthWatch growth_;
  std::vector<int> branches_;  // the unknowns that are not node voltages
  // The last converged solve accepted a matrix past the runaway test
  // (NewtonResult::pastRunaway). From the first accepted point that did, the
  // largest branch current is followed; when the transient ends (or fails) one
  // warning names its peak, where and when (Session::warnings, once per run).
  bool pastRunaway_ = false;
  struct Forced {
    bool on = false;
    double since = 0, sinceAmps = 0;  // s, A: the first such point and its largest current
    double peak = 0, peakAt = 0;      // A, s: the largest current from then on
    int unknown = -1;                 // the peak's unknown
  } forced_;
  void followForced(double largest, int unknown);
  void warnForced();
  Result<bool> stepOn(SampleSink& sink, std::size_t budget);
  Result<bool> advanceOn(SampleSink& sink, double tc);
  std::function<void(double, const double*)> observer_;
  // co-simulation: a step solved and tested but not accepted (see advanceTo)
  struct HeldStep {
    bool on = false;
    StepPlan plan;
    double hLte = 0;
    bool atEvent = false;
  } held_;
  std::vector<double> startRow_;  // the initial point as reported (valueAt before any step)
  bool finished_ = false;
  std::vector<double> qlo_, qhi_;
  std::vector<double> steadyPrev_, steadyLo_, steadyHi_;
  // losses (a .tran of the netlist whose circuit has loss data or a .thermal block)
  std::unique_ptr<losses::LossMeter> ownMeter_;
  losses::LossMeter* meter_ = nullptr;  // ownMeter_, or runMeter_ during windows
  losses::LossMeter* runMeter_ = nullptr;
  bool keepThermal_ = false;
  bool meterStarted_ = false;
};

}  // namespace simcore::an
