// The loss meter: an observer of a transient that never changes its
// electrical solution (docs/power.md, "Losses").
//
// The transient calls, in time order:
//   begin(t, x)     the initial point, configuration settled
//   advance(t, x)   each accepted point, the devices still in the step's
//                   configuration: conduction energy over the step
//   settled(t, x)   after the configuration changed at a switching instant
//                   (x: the solution just after it): the switching energies,
//                   from the probes just before (the last advance) and after
//   finish(t)       the end of the run
// Conduction: ∫ v_on(|i|, Tj)·|i| dt over each step with i linear between the
// two accepted points (3-point Gauss per piece, split where i changes sign:
// exact for the inline v_on = vloss + rloss·|i|). Switching, per element:
//   turn-on     E_on (i after, v before, Tj)
//   turn-off    E_off(i before, v after, Tj)   (a diode: reverse recovery E_rr)
// so a blocking voltage is always read where the element blocks, never at the
// commutation instant itself.
// Thermal: the losses are averaged over each thermal step (windows ending at
// multiples of the thermal step, split exactly inside a time step); the
// network then advances over the window and the junction temperatures at its
// end are used for the next window's losses. Each window is one row of the
// `losses` analysis.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analysis/circuit.hpp"
#include "losses/thermal_network.hpp"

namespace simcore::losses {

// True when the run meters losses: a .thermal block, a model with loss data
// (losses=, or an inline loss parameter) or .options thermalstep/lossperiod.
bool requested(const ir::Circuit& c);

class LossMeter {
 public:
  // period: the summary's period (0: none); span: the run's length (default thermal step).
  static Result<std::unique_ptr<LossMeter>> create(an::CircuitModel& model, double span, double period);

  AnalysisHeader header(int index) const;
  // keepThermal: start from the thermal network's present state (a periodic
  // steady state's repeated window) instead of its initial one.
  void begin(double t, const double* x, bool keepThermal = false);
  // Periodic steady state: set the thermal network to the steady state of the
  // last run's average junction heat flows; returns the largest change of a
  // junction temperature [K].
  double settleThermal();
  void advance(double t, const double* x);
  void settled(double t, const double* x);
  void finish(double t);
  // Completed rows (time, then the header's signals), row-major.
  const std::vector<double>& rows() const { return rows_; }
  std::size_t width() const { return 1 + 5 * dev_.size() + thermal_.nodeNames().size(); }
  void summary(RunStats& stats) const;
  double thermalStep() const { return dt_; }

 private:
  struct Device {
    dev::DeviceGroup* group;
    std::size_t index;
    std::string name;
    dev::LossSpec spec;
    int junction = -1;  // index among the thermal junctions, -1: at ambient
    dev::LossProbe prev, cur;
    double tj = 0;
    // accumulators: window, run, and at the last two period marks
    double eCondWin = 0, eSwWin = 0, eCond = 0, eSw = 0, eEl = 0;
    std::int64_t events = 0;
    double tjMax = -1e300, tjInt = 0;
  };
  struct Mark {
    double t = 0;
    std::vector<double> e;  // per device eCond, eSw, eEl; then per source delivered energy
  };
  LossMeter(ThermalNetwork net) : thermal_(std::move(net)) {}
  // Conduction energy of device d between fractions s0 and s1 of the step (prev -> cur).
  double conduction(const Device& d, double h, double s0, double s1) const;
  double switching(const Device& d, const dev::LossProbe& before, const dev::LossProbe& after) const;
  void accumulate(double h, double s0, double s1, const double* x1);
  void closeWindow(double t);
  Mark mark(double t) const;

  std::vector<Device> dev_;
  ThermalNetwork thermal_;
  double ambient_ = 27;
  double dt_ = 0, period_ = 0;
  double t0_ = 0, tPrev_ = 0, winStart_ = 0, nextWin_ = 0, nextMark_ = 0;
  // independent V sources: (+, −, branch) unknowns, delivered energy
  struct Source {
    dev::Index p, n, branch;
    double e = 0;
  };
  std::vector<Source> src_;
  std::vector<double> xPrev_;
  std::vector<double> pWin_;
  std::vector<Mark> marks_;  // the last two period marks
  std::vector<double> rows_;
  double tEnd_ = 0;
  bool started_ = false;
  std::vector<double> tjStart_;
};

}  // namespace simcore::losses
