// Base of the switches S and W: a conductance that depends only on a held
// state (see SwitchGroup).
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "devices/common.hpp"
#include "devices/context.hpp"

namespace simcore::dev::semi {

// The state changes with hysteresis: ON when the control exceeds thr + |hyst|,
// OFF below thr - |hyst|. In between, with hyst > 0 the state is unchanged;
// with hyst <= 0 (ngspice's negative hysteresis, which includes hyst = 0 at a
// control exactly equal to thr) the state the band is entered from flips: a
// switch coming from above turns off, one coming from below turns on, and it
// keeps that state while the control stays in the band. So the states are
// four, as in ngspice's swload.c: on or off, each outside or inside the band;
// in the band the rule looks at the last accepted state (ngspice's state1;
// before the first DC solution "off, outside"). In a transient the state is held
// through the Newton iterations of a time point (the circuit stays piecewise
// linear) and changes only in accept(); findEvent() reports where the control
// crossed the level that flips the state. At DC the state follows the control
// at the start of every Newton iteration, as SPICE does, but freezes after
// kMaxFlips flips so that a switch cannot make Newton oscillate.
// Derived supplies `double control(const double* x, std::size_t i) const`.
template <class Derived>
class SwitchGroup : public GroupBase {
 public:
  using GroupBase::GroupBase;
  static constexpr int kMaxFlips = 8;
  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return true; }
  void configuration(std::vector<std::uint8_t>& key) const override {
    for (std::size_t i = 0; i < on_.size(); ++i) key.push_back(std::uint8_t(on_[i] | (band_[i] << 1)));
  }
  void setConfiguration(const std::uint8_t*& p) override {
    for (std::size_t i = 0; i < on_.size(); ++i, ++p) {
      preOn_[i] = on_[i] = char(*p & 1);
      preBand_[i] = band_[i] = char((*p >> 1) & 1);
    }
  }
  int settle(const double* x, double) override {
    int changed = 0;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      // With VH <= 0 a control inside the band at an instant takes ngspice's band rule
      // against the state before the instant, not the one the event's point just gave:
      // a steep limiter's output undershoots its 0 V limit by a millivolt at the located
      // point (the step ends just past its corner), the switch turned off there, and the
      // exact 0 V after the instant then entered the band "from below" and turned it on
      // again for good (ngspice, whose limiter never undershoots, turns it off)
      const double ctl = self().control(x, i);
      const bool inBand = !(hyst_[i] > 0) && std::fabs(ctl - thr_[i]) <= std::fabs(hyst_[i]);
      const State ns = next(i, ctl, inBand ? State{bool(preOn_[i]), bool(preBand_[i])} : state(i));
      if (ns.on != bool(on_[i])) ++changed;
      set(i, ns);
    }
    return changed;
  }

  void pattern(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) quad_[i].bind(b, a_[i], b_[i]);
  }

  void load(LoadContext& c) override {
    lastMode_ = c.mode;
    if (c.mode == AnalysisMode::TranInit) initFromOp_ = !c.uic;
    for (std::size_t i = 0, n = inst_.size(); i < n; ++i) {
      if (recordsOnly(c.mode)) {
        // (after an operating point its own state stands: the transient's start-up
        // seed moves a control that sits exactly on a threshold by 1e-10, which
        // must not flip a switch ngspice keeps; with UIC the initial values decide)
        if (c.mode == AnalysisMode::TranInit && c.uic) set(i, uicStart(i, self().control(c.x, i)));
        continue;
      }
      if (c.mode == AnalysisMode::DcOp) {
        if (c.initJunctions) {
          on_[i] = initOn_[i];
          band_[i] = 0;
          flips_[i] = 0;
        } else {
          // with hyst > 0 the band keeps this iteration's state, with hyst <= 0
          // the rule looks at the last accepted one (as ngspice's INITFLOAT)
          const State ns = next(i, self().control(c.x, i), hyst_[i] > 0 ? state(i) : State{bool(accOn_[i]), bool(accBand_[i])});
          if (ns.on != bool(on_[i])) {
            if (flips_[i] < kMaxFlips) {
              set(i, ns);
              ++flips_[i];
              ++c.noncon;
            }
          } else {
            band_[i] = char(ns.band);
          }
        }
      }
      static_cast<Derived&>(*this).stampSwitch(c, i);
    }
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) c.admittance(quad_[i], on_[i] ? gon_[i] : goff_[i]);
  }

  void accept(const double* x, double) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      flips_[i] = 0;
      preOn_[i] = on_[i];
      preBand_[i] = band_[i];
      if (lastMode_ != AnalysisMode::DcOp && !(lastMode_ == AnalysisMode::TranInit && initFromOp_))
        set(i, next(i, self().control(x, i), state(i)));
      accOn_[i] = on_[i];
      accBand_[i] = band_[i];
    }
    initFromOp_ = false;
  }

  bool findEvent(const double* x0, const double* x1, double t0, double t1, Event& ev) const override {
    return findEvent(StepView{nullptr, x0, x1, t0, t0, t1}, ev);
  }
  bool findEvent(const StepView& s, Event& ev) const override {
    bool found = false;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const double c1 = self().control(s.x1, i);
      const double h = std::fabs(hyst_[i]);
      // the level whose crossing changes on/off: for hyst > 0 the far edge of
      // the band; for hyst <= 0 the near edge from outside, the far one from inside
      const bool far = hyst_[i] > 0 || band_[i];
      double level;
      if (!on_[i] && c1 > (far ? thr_[i] + h : thr_[i] - h)) level = far ? thr_[i] + h : thr_[i] - h;
      else if (on_[i] && c1 < (far ? thr_[i] - h : thr_[i] + h)) level = far ? thr_[i] - h : thr_[i] + h;
      else continue;
      const double t =
          s.crossing(s.xm1 ? self().control(s.xm1, i) : 0.0, self().control(s.x0, i), c1, level);
      if (!found || t < ev.time) ev.time = t;
      found = true;
      ev.analog = true;
    }
    return found;
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) out.emplace_back(a_[i], b_[i]);
  }

  // The loss meter: conduction v·i while on (RON·i²), no switching energies.
  bool lossSpec(std::size_t i, LossSpec& spec) const override {
    spec = LossSpec{};
    spec.main.rloss = 1.0 / gon_[i];
    return true;
  }
  void lossProbe(std::size_t i, const double* x, LossProbe& p) const override {
    p = LossProbe{};
    p.v = x[a_[i]] - x[b_[i]];
    p.mainOn = on_[i];
    p.iMain = on_[i] ? p.v * gon_[i] : 0.0;
  }

  // State of instance i (true = on); for tests and diagnostics.
  bool isOn(std::size_t i) const { return on_[i]; }

  // @s1[i] (ngspice's savecurrents vector; i(s1) its .probe vector): the current from n+
  // through the switch to n-, at the conductance of the state the solution was found with
  // (in a transient accept() has moved on_ to the next step's; preOn_ holds this one's)
  int quantityId(std::size_t, std::string_view param) const override { return param == "i" ? 0 : -1; }
  void currentNames(std::size_t, std::vector<std::string_view>& out) const override { out.emplace_back("i"); }
  double quantity(std::size_t i, int, const QuantityContext& c) const override {
    return self().switchCurrent(c.x, i, c.transient ? bool(preOn_[i]) : bool(on_[i]));
  }
  std::complex<double> acQuantity(std::size_t i, int, const std::complex<double>* x, double) const override {
    return (on_[i] ? gon_[i] : goff_[i]) * (x[a_[i]] - x[b_[i]]);
  }
  // The current at solution x in state `on` (Derived may hide it with its law).
  double switchCurrent(const double* x, std::size_t i, bool on) const {
    return (on ? gon_[i] : goff_[i]) * (x[a_[i]] - x[b_[i]]);
  }

 protected:
  void resizeSwitches(std::size_t n) {
    a_.resize(n); b_.resize(n); quad_.resize(n);
    gon_.resize(n); goff_.resize(n); thr_.resize(n); hyst_.resize(n);
    on_.assign(n, 0); initOn_.assign(n, 0); band_.assign(n, 0); accOn_.assign(n, 0); accBand_.assign(n, 0);
    preOn_.assign(n, 0); preBand_.assign(n, 0);
    flips_.assign(n, 0);
  }
  // Instance i: its model (of the kind's type, parameters checked), RON, ROFF
  // (default 1/gmin), the threshold and hysteresis (model parameters thr and
  // hyst, e.g. "vt" and "vh"), the on/off flags and the switched terminals.
  Status setupSwitch(SetupContext& ctx, std::size_t i, const char* thr, const char* hyst) {
    const ir::Device& d = *inst_[i];
    if (auto s = checkInstance(d); !s) return s;
    const ir::Model* m = ctx.model(d);
    if (!m || m->type != kind_.modelTypes[0])
      return deviceError(d, std::string(kind_.name) + " '" + d.name + "' needs a " + kind_.modelTypes[0] + " model");
    if (auto s = checkModel(*m); !s) return s;
    const ParamValues P = values(d, m);
    const double ron = P.model("ron");
    const double roff = P.model("roff", 1.0 / ctx.options().gmin);
    if (!(ron > 0) || !(roff > 0)) return deviceError(d, "switch '" + d.name + "': RON and ROFF must be positive");
    hyst_[i] = P.model(hyst);
    gon_[i] = 1.0 / ron;
    goff_[i] = 1.0 / roff;
    thr_[i] = P.model(thr);
    initOn_[i] = on_[i] = P.hasInst("on") && !P.hasInst("off");
    a_[i] = ctx.node(d.nodes[0]);
    b_[i] = ctx.node(d.nodes[1]);
    return {};
  }
  struct State {
    bool on;
    bool band;  // reached inside the band (ngspice's HYST_ON / HYST_OFF)
  };
  State state(std::size_t i) const { return {bool(on_[i]), bool(band_[i])}; }
  void set(std::size_t i, State s) {
    on_[i] = char(s.on);
    band_[i] = char(s.band);
  }
  // The state a UIC start gives (ngspice 39 loads its switches once in MODEINITJCT): on
  // or off by the control outside the band, else as the instance says (ON, default
  // off) and flagged inside the band (HYST_ON / HYST_OFF), so that a control sitting
  // exactly on VT with VH = 0 (a gate held at 0 V) keeps it, where next() from a
  // state outside the band would flip it
  State uicStart(std::size_t i, double ctl) const {
    const double h = std::fabs(hyst_[i]);
    if (ctl > thr_[i] + h) return {true, false};
    if (ctl < thr_[i] - h) return {false, false};
    return {bool(initOn_[i]), true};
  }
  // The state at control ctl after prev (see the class comment).
  State next(std::size_t i, double ctl, State prev) const {
    const double h = std::fabs(hyst_[i]);
    if (ctl > thr_[i] + h) return {true, false};
    if (ctl < thr_[i] - h) return {false, false};
    if (hyst_[i] > 0 || prev.band) return prev;
    return {!prev.on, true};
  }
  const Derived& self() const { return static_cast<const Derived&>(*this); }
  // The switch's current and conductance at the held state (Derived may hide
  // it with a law of its own).
  void stampSwitch(LoadContext& c, std::size_t i) {
    const double g = on_[i] ? gon_[i] : goff_[i];
    const double cur = g * (c.x[a_[i]] - c.x[b_[i]]);
    if (c.stampMatrix) {
      c.conductance(quad_[i], a_[i], b_[i], g, cur);
    } else {
      c.f[a_[i]] += cur;
      c.f[b_[i]] -= cur;
    }
  }

  std::vector<Index> a_, b_;
  std::vector<Quad> quad_;
  std::vector<double> gon_, goff_, thr_, hyst_;
  std::vector<char> on_, initOn_;
  std::vector<char> band_;            // the state was reached inside the band
  std::vector<char> accOn_, accBand_;  // the last accepted state
  std::vector<char> preOn_, preBand_;  // the state before the last accept (see settle)
  std::vector<int> flips_;
  AnalysisMode lastMode_ = AnalysisMode::DcOp;
  bool initFromOp_ = false;  // the transient starts from an operating point (not UIC)
};

}  // namespace simcore::dev::semi
