#include "analysis/tran.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <utility>

namespace simcore::an {

namespace {

std::string fmtTime(double t) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.6g s", t);
  return buf;
}

std::string fmtAmps(double a) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.3g A", a);
  return buf;
}

}  // namespace

Status TranStepper::setUp() {
  if (!(a_.tstop > 0) || !(a_.tstep > 0) || a_.tstart < 0 || a_.tstart >= a_.tstop)
    return makeError(ErrorCode::Semantic, ".tran needs tstep > 0, tstop > 0 and 0 <= tstart < tstop", a_.loc);
  tstop_ = a_.tstop;
  pauseAt_ = a_.pauseAt < a_.tstop ? a_.pauseAt : 0;
  paused_ = false;
  const ir::Options& o = s_.opt();
  if (auto st = chooseMode(); !st) return st;
  s_.integrator.setMethod(o.method, o.maxord);
  dampRings_ = o.trapdamp;
  s_.integrator.resize(s_.model->states(), s_.model->untruncated(), s_.model->meanBlocks(), s_.model->truncatedWith());
  grid_ = s_.options.interpolate || o.interp;
  gridK_ = 0;
  lastGridT_ = -1;
  growth_.reset();
  forced_ = {};
  pastRunaway_ = false;
  branches_.clear();
  for (int u = 1; u <= s_.model->unknowns(); ++u)
    if (!s_.model->isNode(dev::Index(u))) branches_.push_back(u);
  if (grid_) gridRow_.assign(s_.newton.x().size(), 0.0);  // interpolate() fills every unknown
  s_.writer.reset(s_.outputs.size(), false, true, chunkCapacity(s_.options, s_.outputs.size()));
  s_.writer.transient(&s_.integrator);
  return {};
}

Status TranStepper::start(SampleSink& sink) {
  if (auto st = setUp(); !st) return st;
  const ir::Options& o = s_.opt();
  if (a_.kind == ir::AnalysisKind::Tran && index_ >= 0 && losses::requested(s_.model->circuit())) {
    const double period = o.lossperiod > 0 ? o.lossperiod : o.steadystop;
    auto m = losses::LossMeter::create(*s_.model, a_.tstop, period);
    if (!m) return m.takeError();
    ownMeter_ = std::move(m.value());
    meter_ = ownMeter_.get();
  }
  AnalysisHeader h;
  h.type = AnalysisType::Tran;
  h.index = index_;
  h.xName = "time";
  for (const auto& out : s_.outputs) h.signals.push_back(out.info);
  sink.begin(h);
  return {};
}

void TranStepper::endPaused(SampleSink& sink) {
  paused_ = false;
  warnForced();
  finish(sink);
}

TranStepper::Pause TranStepper::pause() const {
  Pause p;
  p.state = state();
  p.grid = grid_;
  p.gridK = gridK_;
  p.lastGridT = lastGridT_;
  p.rows = rows_;
  p.tmax = tmax_;
  return p;
}

Status TranStepper::resume(const Pause& p) {
  if (auto st = setUp(); !st) return st;
  const State& st = p.state;
  std::vector<std::uint8_t> config;
  s_.newton.configuration(config);
  if (st.x.size() != s_.newton.x().size() || st.q.size() != std::size_t(s_.model->states()) || st.config.size() != config.size()) {
    char at[48];
    std::snprintf(at, sizeof at, "%.6g s", st.t);
    return makeError(ErrorCode::Semantic,
                     std::string("resume at t = ") + at + ": the altered circuit has " +
                         std::to_string(s_.newton.x().size() - 1) + " unknowns and " +
                         std::to_string(s_.model->states()) + " charge states where the paused run had " +
                         std::to_string(st.x.size() - 1) + " and " + std::to_string(st.q.size()) +
                         " (an alter changed a device's equations, e.g. a model's level): a run cannot go on across "
                         "that; start a new transient after the alter instead of resume",
                     a_.loc);
  }
  grid_ = p.grid;
  gridK_ = p.gridK;
  lastGridT_ = p.lastGridT;
  rows_ = p.rows;
  tmax_ = p.tmax;
  install(st);
  if (pauseAt_ <= t_ * (1 + 1e-12)) pauseAt_ = 0;
  eventSources();
  events_.startAt(st.t, tstop_, s_.model->groups());
  if (pauseAt_ > 0) events_.setStop(pauseAt_);
  // (the circuit changed here: the steps start again as at the run's start, not with the
  // step before the pause, whose history no longer holds)
  control_.start(tmax_, firstStep(t_, tmax_), s_.integrator.maxOrder());
  if (!eventMode_) control_.setStepLimit(deviceMaxStep());
  initDone_ = true;
  restartRow_ = false;
  pendingInstant_ = true;
  return {};
}

Status TranStepper::prologue(SampleSink& sink) {
  if (!initDone_) {
    if (auto st = initialPoint(); !st) return st;
    output(sink, initialRow_.data());
    startRow_.swap(initialRow_);
    initialRow_.clear();
    initDone_ = true;
  }
  if (restartRow_) {
    restartRow_ = false;
    output(sink, s_.newton.x().data());
  }
  if (pendingInstant_) {
    pendingInstant_ = false;
    s_.integrator.accept(0.0);
    if (auto st = switchingInstant(sink, control_.h()); !st) return st;
  }
  if (meter_ && !meterStarted_) {
    meter_->begin(t_, s_.newton.x().data(), keepThermal_);
    meterStarted_ = true;
  }
  return {};
}

Status TranStepper::checkLimits() const {
  if (s_.cancelled()) return makeError(ErrorCode::Cancelled, "cancelled at t = " + fmtTime(t_), a_.loc);
  if (s_.options.maxTimePoints > 0 && s_.stats.acceptedPoints >= s_.options.maxTimePoints)
    return makeError(ErrorCode::Limit, "time-point limit of " + std::to_string(s_.options.maxTimePoints) + " reached at t = " + fmtTime(t_), a_.loc);
  return {};
}

Result<bool> TranStepper::step(SampleSink& sink, std::size_t budget) {
  auto r = stepOn(sink, budget);
  if (!r || (r.value() && !paused_)) warnForced();  // the run has ended
  return r;
}

Result<bool> TranStepper::stepOn(SampleSink& sink, std::size_t budget) {
  if (auto st = prologue(sink); !st) return st.takeError();
  std::size_t produced = 0;
  while (t_ < tstop_ * (1.0 - 1e-12)) {
    if (auto st = checkLimits(); !st) return st.takeError();
    auto accepted = attempt(sink);
    if (!accepted) return accepted.takeError();
    if (!accepted.value()) continue;
    if (pauseAt_ > 0 && (a_.pauseAfter ? t_ > pauseAt_ * (1.0 + 1e-12) : t_ >= pauseAt_ * (1.0 - 1e-12))) {
      s_.writer.flush(sink);
      paused_ = true;
      return true;
    }
    if (steadyReached()) {
      s_.stats.steadyStateAt = t_;
      break;
    }
    if (s_.stopFlag && *s_.stopFlag) break;  // .options autostop: every .meas has its result
    if (++produced >= budget) {
      if (s_.writer.full()) s_.writer.flush(sink);
      return false;
    }
  }
  finish(sink);
  return true;
}

void TranStepper::finish(SampleSink& sink) {
  finished_ = true;
  s_.writer.flush(sink);
  sink.end(AnalysisSummary{AnalysisType::Tran, rows_});
  if (meter_) meter_->finish(t_);
  // (an index of its own, after the netlist's analyses: consumers key analyses by index)
  if (ownMeter_) emitLosses(sink, *ownMeter_, int(s_.model->analyses().size()) + index_);
}

Result<bool> TranStepper::advanceTo(SampleSink& sink, double tc) {
  auto r = advanceOn(sink, tc);
  if (!r || r.value()) warnForced();  // the run has ended
  return r;
}

Result<bool> TranStepper::advanceOn(SampleSink& sink, double tc) {
  if (auto st = prologue(sink); !st) return st.takeError();
  while (true) {
    if (held_.on) {
      if (t_ + held_.plan.h > tc * (1 + 1e-12)) return false;  // tc lies inside the held step
      held_.on = false;
      if (auto st = complete(sink, held_.plan, held_.hLte, held_.atEvent); !st) return st.takeError();
      continue;
    }
    if (t_ >= tstop_ * (1.0 - 1e-12)) {
      if (!finished_) finish(sink);
      return true;
    }
    if (t_ >= tc * (1 - 1e-12)) return false;
    if (auto st = checkLimits(); !st) return st.takeError();
    auto accepted = attempt(sink, tc);
    if (!accepted) return accepted.takeError();
  }
}

void TranStepper::valueAt(double t, double* out) const {
  if (t <= 0 && !startRow_.empty()) {
    std::copy(startRow_.begin(), startRow_.end(), out);
  } else if (held_.on) {
    s_.integrator.interpolateAhead(t, t_ + held_.plan.h, s_.newton.x(), out);
  } else {
    s_.integrator.interpolate(t, out);
  }
}

Status TranStepper::jumpAt(SampleSink& sink, double t, const std::function<void()>& change) {
  if (auto st = prologue(sink); !st) return st;
  if (held_.on) {
    held_.on = false;
    s_.newton.x() = s_.integrator.solution();
    events_.clearTarget();
    s_.stats.rejectedSteps++;
  }
  if (t > t_ * (1 + 1e-12)) {
    events_.setStop(t);
    while (t_ < t * (1 - 1e-12)) {
      if (auto st = checkLimits(); !st) return st;
      auto accepted = attempt(sink);
      if (!accepted) return accepted.takeError();
    }
  }
  change();
  startRow_.clear();
  const double hBefore = control_.h();
  if (auto st = switchingInstant(sink, hBefore); !st) return st;
  if (!eventMode_) {
    // (event mode restarts in switchingInstant) not across the jump: no
    // truncation error estimated, order 1 first
    s_.integrator.restart();
    control_.restart(hBefore);
  }
  return {};
}

void TranStepper::emitLosses(SampleSink& sink, losses::LossMeter& m, int index) {
  m.summary(s_.stats);
  const AnalysisHeader h = m.header(index);
  sink.begin(h);
  const std::size_t width = m.width();
  std::vector<OutputSignal> cols(width - 1);
  for (std::size_t k = 0; k + 1 < width; ++k) {
    cols[k].info = h.signals[k];
    cols[k].unknown = dev::Index(k + 1);
  }
  s_.writer.reset(cols.size(), false, true, chunkCapacity(s_.options, cols.size()));
  const std::vector<double>& rows = m.rows();
  std::size_t n = 0;
  for (std::size_t r = 0; r + width <= rows.size(); r += width, ++n) {
    s_.writer.row(rows[r], rows.data() + r, cols);
    if (s_.writer.full()) s_.writer.flush(sink);
  }
  s_.writer.flush(sink);
  sink.end(AnalysisSummary{AnalysisType::Losses, n});
}

Result<bool> TranStepper::attempt(SampleSink& sink, double holdAfter) {
  std::vector<double>& x = s_.newton.x();
  Integrator& in = s_.integrator;
  const StepPlan plan = events_.cut(t_, control_.plan(t_, events_.nextBreakpoint()));
  const double h = plan.h;
  const double tn = t_ + h;

  in.prepare(h, control_.order());
  // Newton starts from the solution extrapolated to tn, except on the retry after a
  // failure, which starts from the last accepted solution, as SPICE (ngspice 39 predicts
  // no node voltages) starts every step: an extrapolation carries the rounding of the
  // last two points along directions the circuit barely fixes (a floating secondary held
  // by 100 Mohm beside C/h of 1e9 S), and there it failed again at every shorter step
  // (a full bridge's "timestep too small" at 162 us; ngspice runs it)
  if (!retryAfterFailure_ && !s_.model->linear() && !eventMode_ && in.canPredict()) in.predict(h, x);
  NewtonRequest req;
  req.mode = dev::AnalysisMode::Tran;
  req.time = a_.frozenTime ? 0.0 : tn;
  req.srcFact = sourceFactor(tn);
  req.dcSources = false;
  req.useIntegrator = true;
  req.maxIter = ir::Options::newtonLimit(s_.opt().itl4);
  req.resync = retryAfterFailure_;
  const NewtonResult nr = s_.newton.solve(req);
  retryAfterFailure_ = nr.status != NewtonStatus::Converged;
  if (nr.status == NewtonStatus::Converged) {
    firstFailureAt_ = -1;
    pastRunaway_ = nr.pastRunaway;
  } else if (firstFailureAt_ < 0) {
    firstFailure_ = nr;
    firstFailureAt_ = tn;
  }
  if (nr.status != NewtonStatus::Converged) {
    s_.stats.newtonFailures++;
    s_.stats.rejectedSteps++;
    x = in.solution();
    events_.clearTarget();
    if (control_.newtonFailed(h) == StepVerdict::Fatal) return tooSmall(tn, &nr);
    return false;
  }

  double tm1 = 0;
  const double* xm1 = in.previousSmooth(tm1);
  const EventCheck ev = events_.check(in.solution().data(), x.data(), t_, tn, control_.hmin(), xm1, tm1);
  if (ev.action == EventAction::Cut && !eventMode_ && a_.uic && t_ == 0.0) {
    // SPICE mode, the first step from UIC's initial values (event mode settles at t = 0
    // on its own): a switch or block whose control "crosses" in the first step saw the
    // initial values (0 V on every node the .ic leaves out), not a move: a comparator's
    // output is 1 V at once, a summer's 1.5 V, a switch's control across a source 1 V
    // (interpolated, a crossing at 0.55 of every shorter step: the locator cut the step
    // down to "timestep too small at t = 0", where ngspice runs a GaN half-bridge).
    // The states follow the first step's solution, as ngspice 39's switches change state
    // within its first step's iterations, and t = 0 is a switching instant (a sliver of
    // 5e-19 s instead left a matrix singular to rounding: "timestep too small at t = 0").
    int changed = 0;
    for (auto& g : s_.model->groups()) changed += g->settle(x.data(), tn);
    if (changed > 0) {
      s_.newton.configurationChanged();
      s_.stats.rejectedSteps++;
      events_.clearTarget();
      x = in.solution();
      in.accept(0.0);
      // (across it a tenth of the first step, SPICE's first step after a switch)
      if (auto st = switchingInstant(sink, control_.h(), h); !st) return st.takeError();
      return true;
    }
  }
  // (the step that first crossed an instant SPICE steps across: a control that jumped,
  // being bisected, or an analog element's state change; see switchingInstant)
  if (ev.action != EventAction::None && !(hApproach_ > 0) && (events_.bracket() > t_ || ev.analog))
    hApproach_ = h;
  if (ev.action == EventAction::Cut) {
    s_.stats.rejectedSteps++;
    x = in.solution();
    return false;
  }
  const bool atEvent = ev.action == EventAction::AtEnd;

  const double hLte = in.truncationStep(h, control_.order(), s_.opt());
  const StepVerdict verdict = control_.errorTest(h, hLte, atEvent);
  if (verdict != StepVerdict::Accept) {
    s_.stats.rejectedSteps++;
    x = in.solution();
    events_.clearTarget();
    if (verdict == StepVerdict::Fatal) return tooSmall(tn, nullptr);
    return false;
  }
  // SPICE mode: a trapezoidal step that rings is taken again with backward Euler
  if (dampRings_ && !eventMode_ && !atEvent && in.ringsAhead(s_.opt()) > 0) {
    s_.stats.rejectedSteps++;
    s_.stats.dampedRings++;
    x = in.solution();
    control_.ringing(h);
    return false;
  }
  StepPlan done = plan;
  if (!eventMode_ && !atEvent && !plan.landing && control_.order() == 1 && in.maxOrder() > 1)
    done.raise = in.truncationStep(h, 2, s_.opt());
  if (tn > holdAfter * (1 + 1e-12)) {
    held_ = HeldStep{true, done, hLte, atEvent};
    return true;
  }
  if (auto st = complete(sink, done, hLte, atEvent); !st) return st.takeError();
  return true;
}

Status TranStepper::complete(SampleSink& sink, const StepPlan& plan, double hLte, bool atEvent) {
  const std::vector<double>& x = s_.newton.x();
  const double hBefore = control_.h();
  t_ += plan.h;
  s_.integrator.accept(plan.h);
  s_.newton.configuration(configBefore_);
  if (meterStarted_) meter_->advance(t_, x.data());  // (before the devices take their new states)
  s_.newton.accept(t_);  // devices commit their state (a switch flips at its event)
  s_.newton.configuration(configAfter_);
  const bool switched = configAfter_ != configBefore_;
  // a switching instant is a jump; in event mode a source corner counts as one
  // too (neither interpolation nor event location looks across it)
  s_.integrator.acceptSolution(t_, plan.h, x, switched || atEvent || (eventMode_ && plan.landing));
  if (atEvent || switched) s_.stats.events++;
  events_.accepted(t_);  // the next breakpoint again, every step (an oscillator's next edge moves)
  // (the approach ends with this step unless a jump is still being bisected)
  double hCrossing = std::exchange(hApproach_, events_.bracket() > t_ ? hApproach_ : 0.0);
  // (a state that changed on accepting an ordinary step, no event located: a control that
  // jumped onto its threshold exactly, VT = VH = 0; SPICE switches it within that step)
  if (!(hCrossing > 0) && !atEvent && !eventMode_ && configAfter_ != configBefore_) hCrossing = plan.h;
  StepPlan done = plan;
  if (!eventMode_) {
    // SPICE mode: a breakpoint a device set on accepting this point counts at
    // once (ngspice's CKTsetBreak); one at the time just reached (within
    // 100 ulps or hmin: an LTRA line's, one delay after the previous point,
    // after a step of exactly that delay) makes it a breakpoint: order 1 and
    // a small step, as one landed on. Breakpoints within ngspice's minimum
    // break after it are dropped, as its XSPICE dctran does; with XSPICE (ngspice
    // 39 as built by Debian and most) that break is 10 delmin = 1e-10 TMAX, not
    // SPICE3's 5e-5 TMAX (which lost a PULSE's 1 us rise end after its start
    // under a TMAX of 24 ms: a course deck's step to 25 V)
    const double minBreak = 1e-10 * tmax_;
    if (!plan.landing && events_.breakpointAfter(t_ * (1.0 - 2e-14)) <= t_ + control_.hmin()) done.landing = true;
    events_.resync(t_ + minBreak);
    // a TMAX a device lowered (ngspice's TXL, CPL: 0.9 of the delay once a step was longer)
    double cap = std::numeric_limits<double>::infinity();
    for (auto& g : s_.model->groups()) cap = std::min(cap, g->tmaxCap());
    control_.setTmaxCap(cap);
  }
  control_.accepted(done, hLte, atEvent, events_.nextBreakpoint() - t_);
  {
    double largest = 0;
    int which = -1;
    for (int u : branches_)
      if (std::fabs(x[std::size_t(u)]) > largest) largest = std::fabs(x[std::size_t(u)]), which = u;
    growth_.accepted(t_, largest, which);
    followForced(largest, which);
  }
  output(sink, x.data());
  if (switched) {
    // a device that switches may schedule its next change (a delayed edge)
    events_.refresh(t_);
    return switchingInstant(sink, hBefore, hCrossing);
  }
  if (eventMode_ && plan.landing) {
    // a source corner: restart the integration there (no truncation error
    // estimated across the kink) and keep the step the controller had
    s_.integrator.restart();
    control_.restart(hBefore);
  }
  return {};
}

// Event mode. The states changed at t_ (x: the solution just before, in the
// old configuration). Make the configuration consistent and take the
// solution just after the instant: a backward-Euler step of hInstant_ (a
// billionth of the run, so charges and fluxes stay put while the algebraic
// unknowns jump); when devices change state at its solution (a diode takes
// the current of a switch that opened), they switch and the step is taken
// again, until no device changes. A configuration seen before at this
// instant is chattering: an error naming the devices that keep switching.
Status TranStepper::switchingInstant(SampleSink& sink, double hBefore, double hCrossing) {
  std::vector<double>& x = s_.newton.x();
  Integrator& in = s_.integrator;
  // (the configurations of this instant; kept between instants so that a run does not allocate per event)
  std::vector<std::vector<std::uint8_t>>& seen = instantSeen_;
  s_.newton.configuration(configAfter_);
  std::size_t nSeen = 0;
  auto remember = [&](const std::vector<std::uint8_t>& c) {
    if (nSeen == seen.size()) seen.emplace_back();
    seen[nSeen++].assign(c.begin(), c.end());
  };
  remember(configAfter_);
  const int maxRounds = 16 + 2 * int(configAfter_.size());
  // The step across the instant: a billionth of the run, unless Newton fails there. A node
  // that only tiny conductances reach over so short a step (an inductor's h/L and an off
  // diode's gmin: 100 mH over 30 fs is 3e-13 S) has a matrix singular to rounding; its
  // solution comes over a longer step, a thousand times longer each time, up to the step
  // before the instant or TMAX (the step SPICE takes across a switching edge).
  double h = hInstant_;
  // (not past the next breakpoint: a source's corner stays a time point)
  const double hLongest = std::max(hInstant_, std::min(std::max(hBefore, tmax_), events_.nextBreakpoint() - t_));
  // SPICE mode, an analog element (a switch S or W, a piecewise-linear XSPICE block's
  // segment) that changed state at a located crossing, or a control that jumped (a
  // comparator's output: found by bisection, or landed exactly on its threshold and
  // switched on accepting the step): SPICE, which locates no events, takes an ordinary
  // step across the change, and its first step after one is a tenth of the step before.
  // So here: a tenth of the step that first crossed it (the one the locator first cut,
  // or the step itself). A billionth of the run over a floating winding (100 Mohm beside
  // a core's C/h of 1e8 S) leaves a matrix singular to rounding, and the steps after it
  // failed or crawled (a full bridge whose PWM comes from XSPICE limiters: 3.5 M steps of
  // 1e-11 s in its first 0.11 ms, where ngspice takes 536 k over the run). Digital gates'
  // and comparator blocks' events keep the instant (their outputs jump)
  const bool spiceStep = !eventMode_ && hCrossing > 0;
  if (spiceStep) h = std::clamp(0.1 * hCrossing, hInstant_, hLongest);
  // What a true instant starts (a DAC's ramp) is timed from t_, not from its solution's
  // time t_ + h. Not after SPICE's ordinary step across a change: a digital change that
  // falls due within that step (an adc_bridge's delay after the point past its threshold)
  // happens at its own time, the step's end as far as the devices can tell.
  struct Instant {
    const std::vector<std::unique_ptr<dev::DeviceGroup>>& groups;
    Instant(const std::vector<std::unique_ptr<dev::DeviceGroup>>& g, double t) : groups(g) {
      for (auto& d : groups) d->instantBegins(t);
    }
    ~Instant() {
      for (auto& d : groups) d->instantBegins(std::numeric_limits<double>::quiet_NaN());
    }
  } instant(s_.model->groups(), spiceStep ? std::numeric_limits<double>::quiet_NaN() : t_);
  for (int round = 0;; ++round) {
    in.prepare(h, 1);
    NewtonRequest req;
    req.mode = dev::AnalysisMode::Tran;
    req.time = a_.frozenTime ? 0.0 : t_ + h;
    req.srcFact = sourceFactor(t_ + h);
    req.dcSources = false;
    req.useIntegrator = true;
    const NewtonResult nr = s_.newton.solve(req);
    if (nr.status != NewtonStatus::Converged && h < hLongest) {
      h = std::min(1e3 * h, hLongest);
      x = in.solution();
      continue;
    }
    // (built on failure only: an instant allocates nothing)
    auto tried = [&] { return "; tried backward-Euler steps across it from " + fmtTime(hInstant_) + " to " + fmtTime(h); };
    if (nr.status == NewtonStatus::NotConverged)
      return makeError(ErrorCode::Convergence,
                       "at the switching instant t = " + fmtTime(t_) + " Newton did not converge in the new switch "
                       "configuration (worst: " + describeFailure(s_, nr) + ")" + tried(), a_.loc);
    if (nr.status != NewtonStatus::Converged)
      return makeError(ErrorCode::Singular,
                       "at the switching instant t = " + fmtTime(t_) + " the circuit has no solution in its new switch "
                       "configuration (worst: " + describeFailure(s_, nr) + ")" + tried(), a_.loc);
    int changed = 0;
    for (auto& g : s_.model->groups()) changed += g->settle(x.data(), t_ + h);
    if (changed == 0) break;
    s_.newton.configurationChanged();
    s_.stats.rejectedSteps++;
    x = in.solution();
    s_.newton.configuration(configAfter_);
    const bool cycle = std::find(seen.begin(), seen.begin() + std::ptrdiff_t(nSeen), configAfter_) != seen.begin() + std::ptrdiff_t(nSeen);
    if (cycle || round >= maxRounds) {
      seen.resize(nSeen);
      return chatter(seen);
    }
    remember(configAfter_);
  }
  // accept the solution just after the instant
  t_ += h;
  in.accept(h);
  in.acceptSolution(t_, h, x, false);
  s_.newton.accept(t_);
  if (eventMode_) {
    // restart the integration after the jump, at half the step before it (the
    // first step is backward Euler, and its error is not estimated)
    in.restart();
    control_.restart(std::max(0.5 * hBefore, 1e3 * h));
  } else {
    // SPICE mode keeps SPICE's policy, order 1 and a small step after an event, but
    // not shorter than the step across the instant: the located step that ended on
    // the event is a sliver (1e-9 t), and a tenth of it leaves femtosecond steps
    // where a node reached only through 100 Mohm beside C/h of 1e10 S (a gyrator
    // transformer's floating winding) is singular to rounding and Newton diverges
    control_.atLeast(h);
  }
  if (meterStarted_) meter_->settled(t_, x.data());
  output(sink, x.data());
  // the breakpoints after the instant, from scratch: devices may have
  // scheduled a change while it settled (a digital gate whose input just
  // changed), and one taken within the instant is behind us
  events_.accepted(t_);
  return {};
}

// The devices whose state differs among the configurations of one instant.
Error TranStepper::chatter(const std::vector<std::vector<std::uint8_t>>& seen) const {
  std::string names;
  int count = 0;
  std::size_t offset = 0;
  std::vector<std::uint8_t> part;
  for (const auto& g : s_.model->groups()) {
    part.clear();
    g->configuration(part);
    for (std::size_t i = 0; i < part.size(); ++i) {
      bool differs = false;
      for (const auto& c : seen) differs = differs || c[offset + i] != seen.front()[offset + i];
      if (differs && i < g->size()) {
        if (count < 8) names += (names.empty() ? "'" : ", '") + g->device(i).name + "'";
        ++count;
      }
    }
    offset += part.size();
  }
  if (count > 8) names += " and " + std::to_string(count - 8) + " more";
  return makeError(ErrorCode::TimestepTooSmall,
                   "switching chatters at t = " + fmtTime(t_) + ": " + names +
                       " keep changing state at this instant (their configurations form a cycle with no consistent "
                       "one); an ideal switch or diode is probably in a loop or cut-set of ideal switches only -- add "
                       "a resistance, an inductance or a capacitance, or use switching=spice",
                   a_.loc);
}

// .options switching: event mode when every element is piecewise linear
// (auto, and at least one has switch states), SPICE's Newton otherwise.
Status TranStepper::chooseMode() {
  const ir::SwitchingMode want = s_.opt().switching;
  const dev::DeviceGroup* notPwl = nullptr;
  bool states = false;
  std::vector<std::uint8_t> key;
  for (const auto& g : s_.model->groups()) {
    if (!g->piecewiseLinear() && !notPwl) notPwl = g.get();
    key.clear();
    g->configuration(key);
    states = states || !key.empty();
  }
  if (want == ir::SwitchingMode::Event && notPwl) {
    const ir::Device& d = notPwl->device(0);
    return makeError(ErrorCode::Semantic,
                     "switching=event needs piecewise-linear elements only, but " + std::string(notPwl->kindName()) +
                         " '" + d.name + "' is not (use an ideal model: PWLDIODE for D, PWLMOS/PWLIGBT/THYRISTOR on "
                         "an S card; or switching=auto|spice)",
                     d.loc);
  }
  eventMode_ = !notPwl && (want == ir::SwitchingMode::Event || (want == ir::SwitchingMode::Auto && states));
  s_.stats.switchingMode = eventMode_ ? "event" : (s_.model->linear() ? "linear" : "spice");
  s_.newton.setEventMode(eventMode_);
  control_.setQuantized(eventMode_);
  hInstant_ = 1e-9 * tstop_;
  return {};
}

Status TranStepper::initialPoint() {
  std::vector<double>& x = s_.newton.x();
  if (a_.uic) {
    std::fill(x.begin(), x.end(), 0.0);
    // (the transient operating point starts as ngspice's: the .ic node
    // values without a ramp, all zero with one; never the devices' IC=)
    if (!a_.frozenTime || !(a_.startupRamp > 0))
      for (const auto& v : s_.model->circuit().ic) {
        dev::Index u = s_.model->nodeIndex(v.node);
        if (u > 0) x[std::size_t(u)] = v.value;
      }
    if (!a_.frozenTime)
      for (auto& g : s_.model->groups()) g->initialConditions(x.data());
    // digital parts settle at t = 0 as at an operating point, until the levels
    // they drive stop changing (a bounded number of passes: a ring of
    // inverters never settles and keeps its last pass)
    // first one instance after another in card order, as ngspice (a latch of
    // gates evaluated together would flip in step), then every group until
    // the levels stop changing (the bridges follow)
    settleDigitalInCardOrder(s_, x.data());
    for (int pass = 0; pass < 64; ++pass) {
      int changed = 0;
      for (auto& g : s_.model->groups()) changed += g->settleDigital(x.data());
      if (changed == 0) break;
    }
    s_.stats.opStrategies.emplace_back("uic (no operating point)");
  } else {
    OpSettings set;
    set.dcSources = false;
    set.useIc = true;
    set.srcScale = a_.startupRamp > 0 ? 0.0 : 1.0;
    if (auto st = solveOperatingPoint(s_, set, a_.loc); !st) {
      Error e = st.takeError();
      e.message = "initial operating point of the transient: " + e.message;
      return e;
    }
    initialRow_ = x;  // reported as computed; the seed below only starts the integration
    seedPerturbation(x);
  }
  if (initialRow_.empty()) initialRow_ = x;
  s_.newton.loadOnly(dev::AnalysisMode::TranInit, 0.0, a_.uic && !a_.frozenTime);
  s_.integrator.initHistory();
  s_.integrator.startSolution(0.0, x);
  s_.newton.accept(0.0);
  t_ = 0;
  eventSources();
  events_.start(a_.tstart, tstop_, s_.model->groups());
  if (pauseAt_ > 0) events_.setStop(pauseAt_);
  if (eventMode_) {
    // the operating point may leave a state inconsistent (a DC flip limit): settle at t = 0
    int changed = 0;
    for (auto& g : s_.model->groups()) changed += g->settle(x.data(), 0.0);
    pendingInstant_ = changed > 0;
    s_.newton.configurationChanged();
  }
  // TMAX when given, else the rule of defaultTmax (step_controller.hpp): TSTEP
  // in SPICE mode; up to 10 TSTEP in the event engine, less where a smooth
  // source (SIN, EXP, SFFM) needs shorter chords
  double smooth = std::numeric_limits<double>::infinity();
  if (eventMode_)
    for (auto& g : s_.model->groups()) smooth = std::min(smooth, g->smoothStep());
  double tmax = a_.tmax > 0 ? a_.tmax : defaultTmax(eventMode_, a_.tstep, a_.tstop - a_.tstart, smooth);
  // the devices' own largest step (a lossy line's delay): in the event engine
  // part of TMAX; in SPICE mode, as in ngspice (LTRAtrunc), a limit of the
  // step alone, while hmin, the minimum break and the first step follow TMAX
  const double deviceMax = deviceMaxStep();
  if (eventMode_) tmax = std::min(tmax, deviceMax);
  tmax_ = tmax;
  control_.start(tmax, firstStep(0.0, tmax), s_.integrator.maxOrder());
  if (!eventMode_) {
    control_.setStepLimit(deviceMax);
    control_.setSaveDelta(tstop_ / 50.0);  // ngspice's saveDelta before the first cut
    s_.integrator.setStartStep(tmax);      // (ngspice's CKTdeltaOld before the first point)
  }
  return {};
}

double TranStepper::firstStep(double t, double tmax) const {
  double h0 = std::min(tstop_ / 100.0, a_.tstep) / 10.0;
  const double toBreak = events_.nextBreakpoint() - t;
  // ngspice 39's first step (dctran), in SPICE mode: a tenth of min(TSTOP/50, the
  // first breakpoint), and a tenth again for the initial time point
  if (eventMode_) return std::min(h0, 0.1 * toBreak);
  return std::min(std::min(h0, tmax), 0.1 * std::min(tstop_ / 50.0, toBreak)) / 10.0;
}

double TranStepper::deviceMaxStep() const {
  double m = std::numeric_limits<double>::infinity();
  for (auto& g : s_.model->groups()) m = std::min(m, eventMode_ ? g->maxStep() : g->spiceMaxStep());
  return m;
}

// A real circuit starts from noise, never from an exactly symmetric state.
// Identical stages (ring oscillators, latches) give a bit-identical operating
// point that integration would preserve forever; a deterministic 0.1 nV
// seed on the circuit's node voltages (far below vntol, decaying in any
// stable circuit) lets the unstable mode grow as it does on the bench. Not on
// devices' internal unknowns: some are not voltages (an XSPICE winding's flux
// is a few nanowebers, and a nanovolt-sized seed on it is a flux step that
// the first time step turns into a spike). Nor on the terminals of a source
// that sets a voltage (V, E, H, B V=): there the first step puts the voltage
// back, and a capacitor at such a node takes the seed as a current impulse
// C seed / h, which a high-gain path that senses that current (a macro-model's
// PSRR capacitor read by an F source of gain 1e8) turns into a jolt.
void TranStepper::seedPerturbation(std::vector<double>& x) const {
  const double amp = 1e-4 * s_.opt().vntol;
  std::vector<char> sourced(x.size(), 0);
  for (const ir::Device& d : s_.model->circuit().devices) {
    const bool setsVoltage = d.letter == 'v' || d.letter == 'e' || d.letter == 'h' ||
                             (d.behaviour && d.behaviour->output == ir::Behaviour::Output::Voltage);
    if (!setsVoltage) continue;
    for (std::size_t k = 0; k < 2 && k < d.nodes.size(); ++k) {
      const dev::Index u = s_.model->nodeIndex(d.nodes[k]);
      if (u > 0) sourced[std::size_t(u)] = 1;
    }
  }
  std::uint32_t h = 0x9e3779b9u;
  for (dev::Index u : s_.model->nodeUnknowns()) {
    // (the hash below still runs for a node left out: the others keep their seeds)
    bool pinned = s_.model->ownerOf(u) != nullptr || sourced[std::size_t(u)] != 0;
    for (const auto& v : s_.model->circuit().ic) pinned = pinned || s_.model->nodeIndex(v.node) == u;
    h ^= std::uint32_t(u) * 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    if (!pinned) x[std::size_t(u)] += amp * (double(h & 0xffff) / 32767.5 - 1.0);
  }
}

// .options steadystop=T: at each multiple of T (a breakpoint), compare the
// charges with those one period earlier; steady when every one moved by at
// most steadytol of its range over that period.
bool TranStepper::steadyReached() {
  const double T = s_.opt().steadystop;
  if (!(T > 0) || index_ < 0) return false;
  const std::vector<double>& q = s_.integrator.acceptedCharges();
  if (steadyLo_.size() != q.size()) {
    steadyLo_ = q;
    steadyHi_ = q;
  }
  for (std::size_t k = 0; k < q.size(); ++k) {
    steadyLo_[k] = std::min(steadyLo_[k], q[k]);
    steadyHi_[k] = std::max(steadyHi_[k], q[k]);
  }
  const double k = std::round(t_ / T);
  if (!(k >= 1) || std::fabs(t_ - k * T) > 1e-9 * t_) return false;
  bool steady = !steadyPrev_.empty() && q.size() == steadyPrev_.size();
  for (std::size_t j = 0; steady && j < q.size(); ++j)
    steady = std::fabs(q[j] - steadyPrev_[j]) <= s_.opt().steadytol * (steadyHi_[j] - steadyLo_[j]) + 1e-300;
  steadyPrev_ = q;
  steadyLo_ = q;
  steadyHi_ = q;
  return steady && t_ >= a_.tstart;
}

TranStepper::State TranStepper::state() const {
  State st;
  st.t = t_;
  st.x = s_.newton.x();
  st.q = s_.integrator.acceptedCharges();
  s_.newton.configuration(st.config);
  st.h = control_.h();
  return st;
}

void TranStepper::install(const State& st) {
  t_ = st.t;
  s_.newton.x() = st.x;
  s_.integrator.setCharges(st.q);
  s_.integrator.startSolution(st.t, st.x);
  const std::uint8_t* p = st.config.data();
  for (auto& g : s_.model->groups()) g->setConfiguration(p);
  s_.newton.configurationChanged();
}

void TranStepper::eventSources() {
  if (a_.kind == ir::AnalysisKind::Tran && index_ >= 0) events_.setPeriod(s_.opt().steadystop);
  if (a_.startupRamp > 0) events_.setCorner(a_.startupRamp);
  // SPICE mode with uic: TSTEP is a breakpoint, as ngspice 39 sets at its
  // first time point "to reduce ringing of current in devices"
  if (!eventMode_ && a_.uic && a_.kind == ir::AnalysisKind::Tran && a_.tstep > 0) events_.setCorner(a_.tstep, 1);
  events_.deviceBreakpoints(!a_.frozenTime);
}

void TranStepper::restartFrom(const State& st, double tstop) {
  meter_ = runMeter_;
  meterStarted_ = false;
  tstop_ = tstop;
  install(st);
  events_.startAt(st.t, tstop, s_.model->groups());
  control_.start(tmax_, st.h > 0 ? st.h : tmax_ / 8, s_.integrator.maxOrder());
  grid_ = false;
  initDone_ = true;
  restartRow_ = true;
  pendingInstant_ = true;
}

void TranStepper::chargeRange(std::vector<double>& lo, std::vector<double>& hi) {
  lo = qlo_;
  hi = qhi_;
  qlo_.clear();
  qhi_.clear();
}

inline void TranStepper::output(SampleSink& sink, const double* values) {
  s_.stats.acceptedPoints++;
  if (observer_) {
    const std::vector<double>& q = s_.integrator.acceptedCharges();
    if (qlo_.size() != q.size()) {
      qlo_ = q;
      qhi_ = q;
    }
    for (std::size_t k = 0; k < q.size(); ++k) {
      qlo_[k] = std::min(qlo_[k], q[k]);
      qhi_[k] = std::max(qhi_[k], q[k]);
    }
    observer_(t_, values);
    return;
  }
  // with UIC there is no operating point: the state at t = 0 is the initial
  // conditions alone (a capacitor's ic= is its charge, not yet a node
  // voltage), so, as ngspice, no row is written there; an interpolated grid
  // takes its t = 0 row from the first computed point
  const bool initial = !initDone_;
  if (initial && a_.uic) return;
  if (!grid_) {
    if (t_ >= a_.tstart * (1 - 1e-12)) emit(sink, t_, values);
    return;
  }
  // grid points up to t_ (within 1e-12 relative); the last one may round a
  // hair past tstop and then takes the value at tstop
  while (true) {
    const double tg = a_.tstart + double(gridK_) * a_.tstep;
    if (tg > tstop_ * (1 + 1e-12)) break;
    if (tg > t_ * (1 + 1e-12) + 1e-300) break;
    if (initial || (a_.uic && tg <= 0)) {
      emit(sink, tg, values);
    } else {
      s_.integrator.interpolate(tg, gridRow_.data());
      emit(sink, tg, gridRow_.data());
    }
    lastGridT_ = tg;
    ++gridK_;
  }
  // a TSTOP that is no grid point (0.01 in steps of 5.02513e-05) ends the
  // rows, as ngspice 39's interpolated output does
  if (!initial && t_ >= tstop_ * (1 - 1e-12) && lastGridT_ < tstop_ * (1 - 1e-12)) {
    emit(sink, tstop_, values);
    lastGridT_ = tstop_;
  }
}

inline void TranStepper::emit(SampleSink& sink, double t, const double* values) {
  s_.writer.row(t, values, s_.outputs);
  ++rows_;
  if (s_.writer.full()) s_.writer.flush(sink);
}

// nr: the failed Newton solve; null when the truncation error is what failed.
Error TranStepper::tooSmall(double tn, const NewtonResult* nr) const {
  const double hmin = control_.hmin();
  std::string msg = "timestep too small at t = " + fmtTime(t_) + ": ";
  if (!nr) {
    msg += "the local truncation error is still above tolerance at the minimum step " + fmtTime(hmin) +
           " (a waveform changes faster than the time resolution allows; try a smaller .tran tmax or looser reltol/trtol)";
  } else if (nr->status == NewtonStatus::Singular && nr->maxDiag > kRunawayG && firstFailureAt_ >= 0 &&
             firstFailure_.status == NewtonStatus::NotConverged) {
    // the cuts made the matrix singular (C/h of a large capacitor past the runaway
    // test): the failure that started the cuts is the one to tell
    msg += "Newton did not converge in " + std::to_string(ir::Options::newtonLimit(s_.opt().itl4)) + " iterations at t = " +
           fmtTime(firstFailureAt_) + " (worst: " + describeFailure(s_, firstFailure_) + ")";
    msg += "; tried cutting the step by 8 until the matrix became too poorly scaled to solve at t = " + fmtTime(tn) +
           " (worst: " + describeFailure(s_, *nr) + "), with backward Euler";
  } else if (nr->status == NewtonStatus::Singular) {
    msg += "the circuit matrix is singular at t = " + fmtTime(tn) + " (worst: " + describeFailure(s_, *nr) + ")";
    msg += "; tried cutting the step by 8 down to the minimum " + fmtTime(hmin) + " with backward Euler";
  } else {
    msg += "Newton did not converge in " + std::to_string(ir::Options::newtonLimit(s_.opt().itl4)) + " iterations at t = " + fmtTime(tn) +
           " (worst: " + describeFailure(s_, *nr) + ")";
    msg += "; tried cutting the step by 8 down to the minimum " + fmtTime(hmin) + " with backward Euler";
  }
  if (nr) {
    if (const auto g = growth_.runaway()) {
      msg += ". Before it the currents ran away: the largest grew from about " + fmtAmps(g->before) + " (the peak up to t = " +
             fmtTime(g->beforeAt) + ") to " + fmtAmps(g->now) + " in " + s_.model->describeUnknown(dev::Index(g->unknown)) +
             " at t = " + fmtTime(g->nowAt) + ", passing " + fmtAmps(g->now / GrowthWatch::kFactor) + " at t = " +
             fmtTime(g->since) +
             ": the circuit itself is likely oscillating or running away (an undamped LC loop rung by a diode that "
             "snaps off, positive feedback, a source across an inductor), which tolerances will not cure; a snubber, "
             "damping or a series resistance will";
    }
  }
  return makeError(ErrorCode::TimestepTooSmall, msg, a_.loc);
}

void TranStepper::followForced(double largest, int unknown) {
  if (!forced_.on && !pastRunaway_) return;
  if (!forced_.on) forced_ = Forced{true, t_, largest, 0, 0, -1};
  if (largest > forced_.peak) forced_.peak = largest, forced_.peakAt = t_, forced_.unknown = unknown;
}

void TranStepper::warnForced() {
  if (!forced_.on) return;
  forced_.on = false;
  SourceLoc loc = a_.loc;
  const dev::Index u = dev::Index(forced_.unknown);
  if (u > 0)
    for (const auto& d : s_.model->circuit().devices)
      if (d.name == s_.model->unknownName(u)) {
        loc = d.loc;
        break;
      }
  s_.warnings.raise("tran: junction forced by a source",
                    {(u > 0 ? s_.model->describeUnknown(u) : std::string("the largest branch current")) + " reached " +
                         fmtAmps(forced_.peak) + " at t = " + fmtTime(forced_.peakAt) + " (from " +
                         fmtAmps(forced_.sinceAmps) + " at t = " + fmtTime(forced_.since) +
                         "): a junction that a voltage source forces forward with no resistance in series (the "
                         "node voltages follow the source; the currents are not physical)",
                     loc});
}

std::unique_ptr<AnalysisStepper> makeTran(Session& s, const ir::Analysis& a, int index) {
  return std::make_unique<TranStepper>(s, a, index);
}

}  // namespace simcore::an
