// .pss (periodic steady state) and .fra (small-signal frequency response of
// a switching circuit), both on windows of one driven period T of the
// transient (TranStepper::restartFrom).
//
// The period map. A window starts at t0 from the charges q of every state
// (capacitor charges, inductor fluxes) and a switch configuration, settles
// the instant at t0 and integrates to t0 + T: Phi(q) = q(t0 + T). In event
// mode Phi is piecewise affine (exactly affine while the sequence of
// configurations does not change), so Newton on Phi(q) - q = 0 with a
// finite-difference Jacobian (one window per state) converges in a few
// iterations. Converged when every |Phi(q)_j - q_j| <= 1e-9 (|q_j| + the
// range of q_j over the period).
//
// The frequency response at omega (source u perturbed by eps cos / eps sin
// of omega (t - t0)). Over window k the linearised map is
//   dq_{k+1} = M dq_k + B e^{j omega k T},   M = dPhi/dq (the monodromy matrix),
//   B = (Phi_cos - Phi + j (Phi_sin - Phi)) / eps
// so the steady response is dq_k = d e^{j omega k T} with
// (e^{j omega T} I - M) d = B, and the output's component at omega is
//   Y = (1/T) int_0^T (sum_j Y_j(tau) d_j + Y_u(tau)) e^{-j omega tau} dtau
// where Y_j is the response of the output to a unit change of q_j at t0 and
// Y_u the response to the complex input over one window. The integrals are
// taken on each window's own points (trapezoid) and differenced, so no common
// grid is needed; the response is per unit of the source's amplitude (as .ac).
#include <cmath>
#include <algorithm>
#include <complex>
#include <numbers>
#include <string>

#include "analysis/tran.hpp"

namespace simcore::an {

namespace {

using cplx = std::complex<double>;

// Solve A x = b in place (dense, partial pivoting); false when singular.
template <class T>
bool denseSolve(std::vector<T>& A, std::vector<T>& b, int n) {
  for (int k = 0; k < n; ++k) {
    int piv = k;
    double best = std::abs(A[std::size_t(k * n + k)]);
    for (int i = k + 1; i < n; ++i)
      if (std::abs(A[std::size_t(i * n + k)]) > best) {
        best = std::abs(A[std::size_t(i * n + k)]);
        piv = i;
      }
    if (!(best > 0)) return false;
    if (piv != k) {
      for (int j = 0; j < n; ++j) std::swap(A[std::size_t(k * n + j)], A[std::size_t(piv * n + j)]);
      std::swap(b[std::size_t(k)], b[std::size_t(piv)]);
    }
    for (int i = k + 1; i < n; ++i) {
      const T f = A[std::size_t(i * n + k)] / A[std::size_t(k * n + k)];
      if (f == T(0)) continue;
      for (int j = k; j < n; ++j) A[std::size_t(i * n + j)] -= f * A[std::size_t(k * n + j)];
      b[std::size_t(i)] -= f * b[std::size_t(k)];
    }
  }
  for (int k = n - 1; k >= 0; --k) {
    T s = b[std::size_t(k)];
    for (int j = k + 1; j < n; ++j) s -= A[std::size_t(k * n + j)] * b[std::size_t(j)];
    b[std::size_t(k)] = s / A[std::size_t(k * n + k)];
  }
  return true;
}

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

constexpr int kMaxShootingStates = 400;
constexpr int kMaxNewton = 30;

// The shared machinery: warm-up transient, windows, shooting.
class PeriodicRuns {
 public:
  PeriodicRuns(Session& s, const ir::Analysis& a)
      : s_(s), a_(a), synth_(makeSynth(a)), tran_(s, synth_, -1) {}

  Status start() {
    if (!(a_.period > 0)) return makeError(ErrorCode::Semantic, "the period must be > 0", a_.loc);
    for (const auto& o : s_.outputs)
      if (o.deviceQuantity())
        return makeError(ErrorCode::Semantic,
                         "'" + o.info.name + "': device quantities are not recorded by .pss and .fra (save node voltages or branch currents)",
                         a_.loc);
    DiscardSink null;
    if (auto st = tran_.start(null); !st) return st;
    return {};
  }
  // Warm-up transient from the operating point to t0.
  Status warmUp() {
    DiscardSink null;
    tran_.observe([](double, const double*) {});
    while (true) {
      auto r = tran_.step(null, 1u << 30);
      if (!r) return r.takeError();
      if (r.value()) break;
    }
    start_ = tran_.state();
    return {};
  }
  // One window from st (of the period, or of `length` when > 0); rows to
  // the observer; returns the end state.
  Result<TranStepper::State> window(const TranStepper::State& st, const std::function<void(double, const double*)>& obs,
                                    double length = 0) {
    DiscardSink null;
    tran_.observe(obs);
    tran_.restartFrom(st, st.t + (length > 0 ? length : a_.period));
    while (true) {
      auto r = tran_.step(null, 1u << 30);
      if (!r) return r.takeError();
      if (r.value()) break;
    }
    ++windows_;
    return tran_.state();
  }

  // Newton shooting from start_; leaves the periodic state in start_ and the
  // monodromy matrix in M_ (row-major, n x n).
  Status shoot() {
    const int n = int(start_.q.size());
    if (n > kMaxShootingStates)
      return makeError(ErrorCode::Limit,
                       "periodic steady state: " + std::to_string(n) + " charge states is more than the " +
                           std::to_string(kMaxShootingStates) + " shooting supports",
                       a_.loc);
    auto none = [](double, const double*) {};
    TranStepper::State s = start_;
    for (int it = 0; it < kMaxNewton; ++it) {
      auto e = window(s, none);
      if (!e) return e.takeError();
      std::vector<double> lo, hi;
      tran_.chargeRange(lo, hi);
      scale_.assign(std::size_t(n), 0.0);
      for (int j = 0; j < n; ++j)
        scale_[std::size_t(j)] = std::fabs(s.q[std::size_t(j)]) + (lo.empty() ? 0.0 : hi[std::size_t(j)] - lo[std::size_t(j)]) + 1e-30;
      residual_ = 0;
      for (int j = 0; j < n; ++j)
        residual_ = std::max(residual_, std::fabs(e.value().q[std::size_t(j)] - s.q[std::size_t(j)]) / scale_[std::size_t(j)]);
      iterations_ = it + 1;
      if (residual_ <= 1e-9) {
        // the converged window's start (its configuration: the one it ends in)
        start_ = s;
        start_.config = e.value().config;
        start_.x = e.value().x;  // the solution at t0 (periodic), not the one an iteration started from
        end_ = e.value();
        return jacobian(start_, end_);
      }
      if (auto st = jacobian(s, e.value()); !st) return st;
      // (M - I) dq = -(Phi(q) - q)
      std::vector<double> A = M_;
      std::vector<double> b(static_cast<std::size_t>(n));
      for (int j = 0; j < n; ++j) {
        A[std::size_t(j * n + j)] -= 1.0;
        b[std::size_t(j)] = -(e.value().q[std::size_t(j)] - s.q[std::size_t(j)]);
      }
      if (!denseSolve(A, b, n)) {
        // a conserved quantity (charge on a floating node): fixed-point step instead
        for (int j = 0; j < n; ++j) b[std::size_t(j)] = e.value().q[std::size_t(j)] - s.q[std::size_t(j)];
      }
      TranStepper::State next = e.value();
      next.t = s.t;
      for (int j = 0; j < n; ++j) next.q[std::size_t(j)] = s.q[std::size_t(j)] + b[std::size_t(j)];
      next.h = s.h;
      s = std::move(next);
    }
    return makeError(ErrorCode::Convergence,
                     "periodic steady state: shooting did not converge in " + std::to_string(kMaxNewton) +
                         " Newton iterations (relative residual " + fmt(residual_) +
                         "); is the circuit driven with period " + fmt(a_.period) + " s?",
                     a_.loc);
  }

  // Columns of dPhi/dq at s (end: Phi(s)), one window per state; with a
  // recorder, the output waveform of each (for .fra).
  Status jacobian(const TranStepper::State& s, const TranStepper::State& end,
                  const std::function<void(int, double, const double*)>& record = nullptr) {
    const int n = int(s.q.size());
    M_.assign(std::size_t(n) * std::size_t(n), 0.0);
    delta_.assign(std::size_t(n), 0.0);
    for (int j = 0; j < n; ++j) {
      TranStepper::State p = s;
      const double d = 1e-7 * scale_[std::size_t(j)];
      delta_[std::size_t(j)] = d;
      p.q[std::size_t(j)] += d;
      auto obs = record ? std::function<void(double, const double*)>(
                              [&record, j](double t, const double* x) { record(j, t, x); })
                        : std::function<void(double, const double*)>([](double, const double*) {});
      auto e = window(p, obs);
      if (!e) return e.takeError();
      for (int i = 0; i < n; ++i)
        M_[std::size_t(i * n + j)] = (e.value().q[std::size_t(i)] - end.q[std::size_t(i)]) / d;
    }
    return {};
  }

  static ir::Analysis makeSynth(const ir::Analysis& a) {
    ir::Analysis t;
    t.kind = ir::AnalysisKind::Tran;
    t.loc = a.loc;
    if (a.oscillator) {
      // the guessed period; the transient runs to TSTAB (the windows that
      // follow find the period itself)
      const double Tg = a.gfreq > 0 ? 1.0 / a.gfreq : 1.0;
      t.tstop = std::max(a.tsettle, Tg);
      // (200 steps a period: the trapezoidal rule's phase error, (w h)^2/12
      // a step, stays below 1e-4 of the frequency)
      t.tstep = Tg / 200.0;
      t.tmax = Tg / 200.0;
      t.uic = a.uic;
      return t;
    }
    const double T = a.period > 0 ? a.period : 1.0;
    const double settle = a.tsettle >= 0 ? a.tsettle : 10 * T;
    // the windows start on a multiple of the period (sources repeat with it)
    const double k = std::max(1.0, std::ceil(settle / T - 1e-9));
    t.tstop = k * T;
    t.tstep = T / 200.0;
    t.tmax = T / 20.0;
    return t;
  }

  Session& s_;
  const ir::Analysis& a_;
  ir::Analysis synth_;
  TranStepper tran_;
  TranStepper::State start_, end_;
  std::vector<double> M_, scale_, delta_;
  double residual_ = 0;
  int iterations_ = 0;
  std::int64_t windows_ = 0;
};

class PssStepper final : public AnalysisStepper {
 public:
  PssStepper(Session& s, const ir::Analysis& a, int index) : s_(s), a_(a), index_(index), runs_(s, a) {}

  Status start(SampleSink& sink) override {
    if (auto st = runs_.start(); !st) return st;
    AnalysisHeader h;
    h.type = AnalysisType::Pss;
    h.index = index_;
    h.xName = "time";
    for (const auto& out : s_.outputs) h.signals.push_back(out.info);
    sink.begin(h);
    return {};
  }

  Result<bool> step(SampleSink& sink, std::size_t) override {
    if (auto st = runs_.warmUp(); !st) return st.takeError();
    if (auto st = runs_.shoot(); !st) return st.takeError();
    s_.stats.shootingIterations += runs_.iterations_;
    s_.stats.shootingResidual = runs_.residual_;
    // one period at steady state, to the sink
    // (its own writer: the windows flush the session's to their null sink)
    ChunkWriter writer;
    writer.reset(s_.outputs.size(), false, true, chunkCapacity(s_.options, s_.outputs.size()));
    std::size_t rows = 0;
    auto e = runs_.window(runs_.start_, [&](double t, const double* x) {
      writer.row(t, x, s_.outputs);
      ++rows;
      if (writer.full()) writer.flush(sink);
    });
    if (!e) return e.takeError();
    writer.flush(sink);
    sink.end(AnalysisSummary{AnalysisType::Pss, rows});
    if (losses::requested(s_.model->circuit()))
      if (auto st = meterPeriod(sink); !st) return st.takeError();
    done_ = true;
    return true;
  }
  double progress() const override { return done_ ? 1.0 : 0.0; }

 private:
  // The losses of the steady-state period (analysis `losses`, one row per
  // thermal step, the summary over the period) with the thermal network at
  // its own steady state: the period is metered, the network set to the
  // steady state of its average losses, and the period metered again at the
  // new junction temperatures until they change by less than 1 mK (at most
  // 20 rounds); the last round is reported.
  Status meterPeriod(SampleSink& sink) {
    auto m = losses::LossMeter::create(*s_.model, a_.period, a_.period);
    if (!m) return m.takeError();
    losses::LossMeter& meter = *m.value();
    auto none = [](double, const double*) {};
    for (int round = 0; round < 20; ++round) {
      runs_.tran_.meterRuns(&meter, round > 0);
      auto e = runs_.window(runs_.start_, none);
      runs_.tran_.meterRuns(nullptr, false);
      if (!e) return e.takeError();
      if (meter.settleThermal() < 1e-3) break;
    }
    runs_.tran_.emitLosses(sink, meter, int(s_.model->analyses().size()) + index_);
    return {};
  }

  Session& s_;
  const ir::Analysis& a_;
  int index_;
  PeriodicRuns runs_;
  bool done_ = false;
};

// ngspice's oscillator .pss GFREQ TSTAB ONAME POINTS HARMS SCITER STEADYCOEFF:
// a free-running circuit whose period T is an unknown.
//
// 1. The transient runs from the operating point (UIC: the initial
//    conditions) to TSTAB.
// 2. The period is estimated from the rising crossings of v(ONAME) through
//    the middle of its range (with a hysteresis of a tenth of the range) in
//    windows of 5 guessed periods, at most 8 of them.
// 3. Newton shooting on (q, T): Phi(q, T) - q = 0 with the phase condition
//    p . (q - q0) = 0 (p: dq/dt at the start of the first iteration, so the
//    orbit cannot slide along itself; q0: the state where shooting starts).
//    The Jacobian is [M - I, dPhi/dT; p, 0] (M by one perturbed window per
//    state, dPhi/dT by one window a little longer), solved in variables
//    scaled by each state's range. Converged when every state comes back
//    within TRTOL * RELTOL * STEADYCOEFF of its range over the period
//    (ngspice's test on node voltages and branch currents, here on charges
//    and fluxes); at most SCITER iterations. A Newton step that does not
//    reduce the residual by a tenth is replaced by one free-running period
//    (a stable orbit attracts), the period estimate kept. Not converged in
//    SCITER: the swing of v(ONAME) over 20 more periods tells what the orbit
//    still does (a ring that dies out over thousands of periods has no
//    steady state near its swing); within 10 times the tolerance the last
//    orbit is the result with a warning saying so (ngspice 39 writes its
//    last iteration silently), beyond it an error.
// 4. The second of two periods run from the converged state, sampled at
//    POINTS + 1 equally spaced instants (the integrator's dense output), is
//    the analysis Pss;
//    the analysis PssSpectrum has HARMS rows at k / T, k = 0 .. HARMS - 1:
//    the mean of the first POINTS samples, then the magnitude
//    2/N |sum_i x_i e^{-2 pi j k i / N}| (ngspice's frequency-domain plot).
constexpr double kOscDelta = 1e-7;  // finite-difference steps of the oscillator's shooting, relative
// A shooting that ends within this factor of its tolerance reports its last
// orbit with a warning (what the orbit still does) instead of an error.
constexpr double kStallFactor = 10;
// A Newton step is kept when it reduces the residual to this share of it.
constexpr double kNewtonGain = 0.9;
// An orbit whose swing of v(ONAME) is below this share of the one after
// TSTAB is the circuit's rest state (a ring that dies out), not its oscillation.
constexpr double kRestShare = 0.01;
// Periods run on from the last orbit to measure how its swing changes.
constexpr int kTrendPeriods = 20;

class OscillatorPssStepper final : public AnalysisStepper {
 public:
  OscillatorPssStepper(Session& s, const ir::Analysis& a, int index) : s_(s), a_(a), index_(index), runs_(s, a) {}

  Status start(SampleSink& sink) override {
    // no ONAME (the reader found none among the circuit's nodes; ngspice 39
    // reads it and never uses it): the node that swings most, chosen in step()
    node_ = a_.oscNode.empty() ? -1 : s_.model->nodeIndex(a_.oscNode);
    if (node_ < 0 && !a_.oscNode.empty())
      return makeError(ErrorCode::Semantic, ".pss: ONAME '" + a_.oscNode + "' is not a node of the circuit", a_.loc);
    nodeName_ = a_.oscNode;
    if (auto st = runs_.start(); !st) return st;
    AnalysisHeader h;
    h.type = AnalysisType::Pss;
    h.index = index_;
    h.xName = "time";
    for (const auto& out : s_.outputs) h.signals.push_back(out.info);
    sink.begin(h);
    return {};
  }

  Result<bool> step(SampleSink& sink, std::size_t) override {
    if (auto st = runs_.warmUp(); !st) return st.takeError();
    if (node_ < 0)
      if (auto st = chooseNode(); !st) return st.takeError();
    auto est = estimatePeriod();
    if (!est) return est.takeError();
    if (auto st = shoot(); !st) return st.takeError();
    s_.stats.shootingIterations += iterations_;
    s_.stats.shootingResidual = residual_;
    return emit(sink);
  }
  double progress() const override { return done_ ? 1.0 : 0.0; }

 private:
  std::string nodeLabel() const { return "v(" + nodeName_ + ")"; }

  // The node voltage with the largest range over 5 guessed periods after
  // TSTAB (those periods are then part of the run, as if TSTAB were longer).
  Status chooseNode() {
    const auto& nodes = s_.model->nodeUnknowns();
    std::vector<double> lo(nodes.size(), 1e300), hi(nodes.size(), -1e300);
    auto e = runs_.window(runs_.start_, [&](double, const double* x) {
      for (std::size_t k = 0; k < nodes.size(); ++k) {
        const double v = x[std::size_t(nodes[k])];
        lo[k] = std::min(lo[k], v);
        hi[k] = std::max(hi[k], v);
      }
    }, 5.0 / a_.gfreq);
    if (!e) return e.takeError();
    runs_.start_ = e.value();
    std::size_t best = nodes.size();
    for (std::size_t k = 0; k < nodes.size(); ++k)
      if (hi[k] >= lo[k] && (best == nodes.size() || hi[k] - lo[k] > hi[best] - lo[best])) best = k;
    if (best == nodes.size()) return makeError(ErrorCode::Semantic, "oscillator .pss: the circuit has no node to observe", a_.loc);
    node_ = nodes[best];
    nodeName_ = s_.model->unknownName(node_);
    return {};
  }

  // Windows of 5 guessed periods until v(ONAME) has crossed the middle of
  // its range upwards 3 times; T_ from the crossings, state_ the end state.
  Status estimatePeriod() {
    const double Tg = 1.0 / a_.gfreq;
    std::vector<double> tt, vv;
    state_ = runs_.start_;
    const std::size_t u = std::size_t(node_);
    double lo = 0, hi = 0;
    for (int chunk = 0; chunk < 8; ++chunk) {
      auto e = runs_.window(state_, [&](double t, const double* x) {
        tt.push_back(t);
        vv.push_back(x[u]);
      }, 5 * Tg);
      if (!e) return e.takeError();
      state_ = e.value();
      // the range of the latest 5 guessed periods (the amplitude may still grow)
      const double from = state_.t - 5 * Tg;
      lo = 1e300;
      hi = -1e300;
      for (std::size_t i = 0; i < tt.size(); ++i)
        if (tt[i] >= from) {
          lo = std::min(lo, vv[i]);
          hi = std::max(hi, vv[i]);
        }
      const double amp = hi - lo;
      if (!(amp > 100 * s_.opt().vntol + 1e-6 * std::fabs(hi + lo) / 2)) continue;
      const double mid = (hi + lo) / 2, arm = mid - 0.1 * amp;
      std::vector<double> up;
      bool armed = false;
      const double first = tt.empty() ? 0 : state_.t - 5 * Tg * std::min(chunk + 1, 4);
      for (std::size_t i = 1; i < tt.size(); ++i) {
        if (tt[i] < first) continue;
        if (vv[i - 1] < arm) armed = true;
        if (armed && vv[i - 1] < mid && vv[i] >= mid) {
          const double f = (mid - vv[i - 1]) / (vv[i] - vv[i - 1]);
          up.push_back(tt[i - 1] + f * (tt[i] - tt[i - 1]));
          armed = false;
        }
      }
      if (up.size() >= 3) {
        T_ = (up.back() - up.front()) / double(up.size() - 1);
        estimate_ = T_;
        estimateSwing_ = amp;
        return {};
      }
    }
    return makeError(ErrorCode::Convergence,
                     "oscillator .pss: " + nodeLabel() + " does not oscillate: from TSTAB = " + fmt(a_.tsettle) +
                         " s to " + fmt(state_.t) + " s (40 periods of GFREQ = " + fmt(a_.gfreq) + " Hz) it moved between " +
                         fmt(lo) + " and " + fmt(hi) + " V without crossing the middle of that range 3 times upwards; "
                         "is ONAME a node of the oscillating loop, GFREQ within a factor of 10 of its frequency and "
                         "TSTAB long enough for the oscillation to start?",
                     a_.loc);
  }

  // One window of length T from s: the end state, each state's range and
  // the swing of v(ONAME).
  Result<TranStepper::State> periodWindow(const TranStepper::State& s, double T, double& swing) {
    const std::size_t u = std::size_t(node_);
    double lo = 1e300, hi = -1e300;
    // (not the row at the start: the solution installed with the charges, which
    // an iteration takes from the previous window's end)
    auto e = runs_.window(s, [&](double t, const double* x) {
      if (t <= s.t) return;
      lo = std::min(lo, x[u]);
      hi = std::max(hi, x[u]);
    }, T);
    if (!e) return e.takeError();
    runs_.tran_.chargeRange(lo_, hi_);
    swing = hi >= lo ? hi - lo : 0.0;
    return e;
  }

  // A converged orbit, unless it is the circuit's rest state: a ring that
  // dies out has none but that one, which shooting finds when its Jacobian
  // resolves the decay (a linear tank's in one Newton step); its swing is then
  // a small part of the one the transient had after TSTAB.
  Status accept(const TranStepper::State& s, const TranStepper::State& end, double swing) {
    if (swing < kRestShare * estimateSwing_) {
      auto trend = amplitudeTrend(state_);
      if (!trend) return trend.takeError();
      return makeError(ErrorCode::Convergence,
                       "oscillator .pss: the shooting ended on the circuit's rest state: " + nodeLabel() + " swings " +
                           fmt(swing) + " V over the orbit found, where it swung " + fmt(estimateSwing_) +
                           " V after TSTAB; from there " + trendText(trend.value()) +
                           ". The circuit has no periodic steady state with a swing (a .tran shows the ring)",
                       a_.loc);
    }
    converged(s, end);
    return {};
  }

  Status shoot() {
    const int n = int(state_.q.size());
    if (n > kMaxShootingStates)
      return makeError(ErrorCode::Limit,
                       "periodic steady state: " + std::to_string(n) + " charge states is more than the " +
                           std::to_string(kMaxShootingStates) + " shooting supports",
                       a_.loc);
    const auto& o = s_.opt();
    const double coeff = o.trtol * o.reltol * a_.steadyCoeff;
    TranStepper::State s = state_;
    s.h = 0;
    const std::vector<double> q0 = s.q;
    // the phase condition p . (q - q0) / pscale = 0: its normal and scale fixed at the first iteration
    std::vector<double> p, pscale;
    runs_.tran_.chargeRange(lo_, hi_);  // (forget the ranges of the estimate's windows)
    double eSwing = 0, swing = 0;
    auto e = periodWindow(s, T_, eSwing);
    if (!e) return e.takeError();
    std::vector<double> scale(static_cast<std::size_t>(n));
    auto measure = [&](const TranStepper::State& from, const TranStepper::State& to) {
      double worst = 0;
      for (int j = 0; j < n; ++j) {
        const std::size_t J = std::size_t(j);
        const double range = lo_.empty() ? 0.0 : hi_[J] - lo_[J];
        scale[J] = range + 1e-3 * std::fabs(from.q[J]) + 1e-30;
        worst = std::max(worst, std::fabs(to.q[J] - from.q[J]) / scale[J]);
      }
      return worst;
    };
    residual_ = measure(s, e.value());
    for (int it = 0; it < a_.shootIterations; ++it) {
      iterations_ = it + 1;
      if (s_.cancelled()) return makeError(ErrorCode::Cancelled, "cancelled in oscillator .pss shooting", a_.loc);
      if (residual_ <= coeff) return accept(s, e.value(), eSwing);
      // columns of dPhi/dq and dPhi/dT at (s, T)
      const TranStepper::State end = e.value();
      std::vector<double> M(std::size_t(n) * std::size_t(n)), c(static_cast<std::size_t>(n));
      for (int j = 0; j < n; ++j) {
        TranStepper::State pj = s;
        // (large against the map's own noise: the step sequence of a window
        // moves with its start)
        const double d = kOscDelta * scale[std::size_t(j)];
        pj.q[std::size_t(j)] += d;
        auto ej = runs_.window(pj, [](double, const double*) {}, T_);
        if (!ej) return ej.takeError();
        for (int i = 0; i < n; ++i) M[std::size_t(i * n + j)] = (ej.value().q[std::size_t(i)] - end.q[std::size_t(i)]) / d;
      }
      const double dT = kOscDelta * T_;
      auto eT = runs_.window(s, [](double, const double*) {}, T_ + dT);
      if (!eT) return eT.takeError();
      for (int i = 0; i < n; ++i) c[std::size_t(i)] = (eT.value().q[std::size_t(i)] - end.q[std::size_t(i)]) / dT;
      if (p.empty()) {
        p.assign(std::size_t(n), 0.0);
        double norm = 0;
        for (int j = 0; j < n; ++j) {
          p[std::size_t(j)] = c[std::size_t(j)] * T_ / scale[std::size_t(j)];
          norm += p[std::size_t(j)] * p[std::size_t(j)];
        }
        norm = std::sqrt(norm);
        if (!(norm > 0))
          return makeError(ErrorCode::Convergence,
                           "oscillator .pss: no state changes along the orbit of " + nodeLabel() + " (period " + fmt(T_) + " s)",
                           a_.loc);
        for (auto& v : p) v /= norm;
        pscale = scale;
      }
      // scaled: y = q / scale, tau = T / T_
      const int m = n + 1;
      std::vector<double> A(std::size_t(m) * std::size_t(m), 0.0), b(static_cast<std::size_t>(m), 0.0);
      double g = 0;
      for (int i = 0; i < n; ++i) {
        const double si = scale[std::size_t(i)];
        for (int j = 0; j < n; ++j)
          A[std::size_t(i * m + j)] = (M[std::size_t(i * n + j)] - (i == j ? 1.0 : 0.0)) * scale[std::size_t(j)] / si;
        A[std::size_t(i * m + n)] = c[std::size_t(i)] * T_ / si;
        b[std::size_t(i)] = -(end.q[std::size_t(i)] - s.q[std::size_t(i)]) / si;
        A[std::size_t(n * m + i)] = p[std::size_t(i)] * si / pscale[std::size_t(i)];
        g += p[std::size_t(i)] * (s.q[std::size_t(i)] - q0[std::size_t(i)]) / pscale[std::size_t(i)];
      }
      b[std::size_t(n)] = -g;
      TranStepper::State next = end;
      next.t = s.t;
      next.h = s.h;
      double Tn = T_;
      if (denseSolve(A, b, m)) {
        const double dtau = std::clamp(b[std::size_t(n)], -0.2, 0.2);
        for (int j = 0; j < n; ++j) next.q[std::size_t(j)] = s.q[std::size_t(j)] + b[std::size_t(j)] * scale[std::size_t(j)];
        Tn = T_ * (1 + dtau);
        auto en = periodWindow(next, Tn, swing);
        if (en) {
          const double r = measure(next, en.value());
          // (kept when it gains a tenth at least: a step along a near-neutral
          // direction, a slowly dying ring's amplitude, which the finite
          // differences cannot resolve, moves the orbit without reducing the
          // residual, and the orbit reported would be no trajectory of the circuit)
          if (r < kNewtonGain * residual_) {
            s = next;
            T_ = Tn;
            e = std::move(en);
            eSwing = swing;
            residual_ = r;
            ++newtonSteps_;
            continue;
          }
        }
      }
      // the Newton step did not help: one free-running period instead
      next = end;
      next.t = s.t;
      next.h = s.h;
      s = next;
      e = periodWindow(s, T_, eSwing);
      if (!e) return e.takeError();
      residual_ = measure(s, e.value());
      ++freeRuns_;
    }
    if (residual_ <= coeff) return accept(s, e.value(), eSwing);
    // Not converged. What the orbit still does: its swing a period on.
    auto trend = amplitudeTrend(s);
    if (!trend) return trend.takeError();
    const std::string drift = trendText(trend.value());
    const std::string tried = " after SCITER = " + std::to_string(a_.shootIterations) + " shooting iterations (" +
                              std::to_string(newtonSteps_) + " Newton steps on the states and the period, " +
                              std::to_string(freeRuns_) +
                              " free-running periods where a Newton step did not reduce the residual by a tenth) from t = " +
                              fmt(state_.t) + " s: the states return within " + fmt(residual_) +
                              " of their range over a period, STEADYCOEFF * TRTOL * RELTOL asks for " + fmt(coeff);
    if (residual_ <= kStallFactor * coeff) {
      // Close to periodic: a ring that decays (or grows) over thousands of
      // periods has no steady state near its present swing, and no Newton
      // step finds one; its orbit is reported with what it still does.
      s_.warnings.raise("osc-pss-stalled", ir::Diagnostic{"oscillator .pss: " + nodeLabel() + " is not periodic" + tried +
                                                              "; " + drift + ". The last orbit (period " + fmt(T_) +
                                                              " s) is reported",
                                                          a_.loc});
      return accept(s, e.value(), eSwing);
    }
    return makeError(ErrorCode::Convergence,
                     "oscillator .pss did not converge on " + nodeLabel() + tried + "; period " + fmt(T_) +
                         " s (estimated " + fmt(estimate_) + " s from the crossings of " + nodeLabel() + "); " + drift +
                         "; try a longer TSTAB or more SCITER",
                     a_.loc);
  }

  // The amplitude of v(ONAME)'s fundamental in each of kTrendPeriods
  // periods run on from s (piecewise linear between the integrator's points,
  // split at the period boundaries), and its relative change a period: the
  // least-squares slope of log(amplitude) over the periods.
  Result<double> amplitudeTrend(const TranStepper::State& s) {
    const std::size_t u = std::size_t(node_);
    const double T = T_, w = 2.0 * std::numbers::pi / T, t0 = s.t;
    std::vector<cplx> sum(std::size_t(kTrendPeriods), 0.0);
    double tp = t0, vp = 0;
    bool first = true;
    // int of (va + (v - va) (t - ta) / h) e^{-jwt} over [a, b] within one period
    auto piece = [&](double ta, double va, double tb, double vb) {
      const double h = tb - ta;
      if (!(h > 0)) return;
      const int k = std::min(kTrendPeriods - 1, std::max(0, int(std::floor(((ta + tb) / 2 - t0) / T))));
      const cplx jw(0.0, w), ea = std::polar(1.0, -w * (ta - t0)), E = std::polar(1.0, -w * h);
      const double slope = (vb - va) / h;
      const cplx i0 = (1.0 - E) / jw, i1 = (1.0 - E) / (jw * jw) - h * E / jw;
      sum[std::size_t(k)] += ea * (va * i0 + slope * i1);
    };
    auto e = runs_.window(s, [&](double t, const double* x) {
      const double v = x[u];
      if (first) {
        first = false;
      } else {
        // split the segment at each period boundary inside it
        double ta = tp, va = vp;
        for (double b = t0 + T * std::ceil((ta - t0) / T * (1 + 1e-12)); b < t; b += T) {
          const double vb = va + (v - va) * (b - ta) / (t - ta);
          piece(ta, va, b, vb);
          ta = b;
          va = vb;
        }
        piece(ta, va, t, v);
      }
      tp = t;
      vp = v;
    }, kTrendPeriods * T);
    if (!e) return e.takeError();
    // log amplitude against the period's index
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int n = 0;
    for (int k = 0; k < kTrendPeriods; ++k) {
      const double a = std::abs(sum[std::size_t(k)]);
      if (!(a > 0)) continue;
      const double y = std::log(a);
      sx += k;
      sy += y;
      sxx += double(k) * k;
      sxy += k * y;
      ++n;
    }
    if (n < 2) return 0.0;
    const double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    return std::expm1(slope);
  }

  // The trend in words: the change of the swing a period and its time constant.
  std::string trendText(double r) const {
    const std::string who = "the swing of " + nodeLabel();
    if (!(std::fabs(r) > 1e-7)) return who + " keeps its size from period to period";
    const std::string rate = fmt(std::fabs(r) * 100) + " % a period (a time constant of " + fmt(T_ / std::fabs(r)) + " s, " +
                             fmt(1 / std::fabs(r)) + " periods)";
    if (r < 0) return who + " shrinks by " + rate + ": the oscillation is dying out, not self-sustained";
    return who + " grows by " + rate + ": the oscillation is still building up";
  }

  void converged(const TranStepper::State& s, const TranStepper::State& end) {
    state_ = s;
    state_.config = end.config;
    state_.x = end.x;  // the solution at the window's start (periodic)
  }

  Result<bool> emit(SampleSink& sink) {
    const int N = a_.pssPoints;
    const double t0 = state_.t, T = T_;
    const std::size_t nu = s_.newton.x().size();
    std::vector<std::vector<double>> samples;  // N + 1 rows of every unknown
    std::vector<double> buf(nu);
    // two periods in one window, the second one sampled: the start of a
    // window is a restart (its first steps are the integrator's, not the orbit's)
    auto e = runs_.window(state_, [&](double t, const double* x) {
      while (int(samples.size()) <= N) {
        const double tg = t0 + T + T * double(samples.size()) / double(N);
        if (tg > t + 1e-9 * T) break;
        if (std::fabs(tg - t) <= 1e-9 * T) {
          samples.emplace_back(x, x + nu);
        } else {
          s_.integrator.interpolate(tg, buf.data());
          samples.push_back(buf);
        }
      }
    }, 2 * T);
    if (!e) return e.takeError();
    while (int(samples.size()) <= N) samples.emplace_back(e.value().x);  // rounding at the end
    const auto& outs = s_.outputs;
    ChunkWriter writer;  // (the windows flush the session's to their null sink)
    writer.reset(outs.size(), false, true, chunkCapacity(s_.options, outs.size()));
    for (int k = 0; k <= N; ++k) {
      writer.row(t0 + T + T * double(k) / double(N), samples[std::size_t(k)].data(), outs);
      if (writer.full()) writer.flush(sink);
    }
    writer.flush(sink);
    sink.end(AnalysisSummary{AnalysisType::Pss, std::size_t(N) + 1});
    // the harmonics
    AnalysisHeader h;
    h.type = AnalysisType::PssSpectrum;
    h.index = int(s_.model->analyses().size()) + index_;  // (as the losses': its own)
    h.xName = "frequency";
    for (const auto& out : outs) h.signals.push_back(out.info);
    sink.begin(h);
    writer.reset(outs.size(), false, true, chunkCapacity(s_.options, outs.size()));
    std::vector<double> row(nu, 0.0);
    for (int k = 0; k < a_.harmonics; ++k) {
      for (const auto& out : outs) {
        const std::size_t u = std::size_t(out.unknown);
        double re = 0, im = 0;
        for (int i = 0; i < N; ++i) {
          const double v = samples[std::size_t(i)][u], ph = 2.0 * std::numbers::pi * double(k) * double(i) / double(N);
          re += v * std::cos(ph);
          im -= v * std::sin(ph);
        }
        row[u] = k == 0 ? re / N : 2.0 * std::hypot(re, im) / N;
      }
      writer.row(double(k) / T, row.data(), outs);
      if (writer.full()) writer.flush(sink);
    }
    writer.flush(sink);
    sink.end(AnalysisSummary{AnalysisType::PssSpectrum, std::size_t(a_.harmonics)});
    done_ = true;
    return true;
  }

  Session& s_;
  const ir::Analysis& a_;
  int index_;
  PeriodicRuns runs_;
  dev::Index node_ = -1;
  std::string nodeName_;  // ONAME, or the node chosen for it
  TranStepper::State state_;
  double T_ = 0, estimate_ = 0, residual_ = 0;
  double estimateSwing_ = 0;  // v(ONAME)'s swing over the estimate's last 5 guessed periods
  std::vector<double> lo_, hi_;
  int iterations_ = 0, newtonSteps_ = 0, freeRuns_ = 0;
  bool done_ = false;
};

// Per output signal: the trapezoid integral of y(t) e^{-j omega (t - t0)} over a window.
struct Waveform {
  std::vector<double> t;
  std::vector<std::vector<double>> y;  // per output
  void add(double time, const double* x, const std::vector<OutputSignal>& outs) {
    t.push_back(time);
    if (y.size() != outs.size()) y.resize(outs.size());
    for (std::size_t k = 0; k < outs.size(); ++k) y[k].push_back(x[outs[k].unknown]);
  }
  // Exact for y linear between the points: over [a, a + h] with y = ya + s (t - a),
  // int y e^{-jwt} = e^{-jwa} [ya (1 - E)/(jw) + s ((1 - E)/(jw)^2 - h E/(jw))],
  // E = e^{-jwh} (series for small wh).
  cplx fourier(std::size_t k, double omega, double t0) const {
    cplx sum = 0;
    const cplx jw(0.0, omega);
    for (std::size_t i = 1; i < t.size(); ++i) {
      const double h = t[i] - t[i - 1];
      if (!(h > 0)) continue;
      const double ya = y[k][i - 1], slope = (y[k][i] - ya) / h;
      const cplx ea = std::polar(1.0, -omega * (t[i - 1] - t0));
      const double x = omega * h;
      cplx i0, i1;  // int_0^h e^{-jwu} du, int_0^h u e^{-jwu} du
      if (x < 1e-3) {
        const cplx mjx(0.0, -x);
        i0 = h * (1.0 + mjx / 2.0 + mjx * mjx / 6.0);
        i1 = h * h * (0.5 + mjx / 3.0 + mjx * mjx / 8.0);
      } else {
        const cplx E = std::polar(1.0, -x);
        i0 = (1.0 - E) / jw;
        i1 = (1.0 - E) / (jw * jw) - h * E / jw;
      }
      sum += ea * (ya * i0 + slope * i1);
    }
    return sum;
  }
};

class FraStepper final : public AnalysisStepper {
 public:
  FraStepper(Session& s, const ir::Analysis& a, int index) : s_(s), a_(a), index_(index), runs_(s, a) {}

  Status start(SampleSink& sink) override {
    const double f0 = a_.fstart, f1 = a_.fstop;
    if (!(f0 > 0) || f1 < f0) return makeError(ErrorCode::Semantic, ".fra needs 0 < fstart <= fstop", a_.loc);
    if (a_.acPoints < 1) return makeError(ErrorCode::Semantic, ".fra needs at least one point", a_.loc);
    auto freqs = sweepFrequencies(a_);
    if (!freqs) return freqs.takeError();
    freqs_ = std::move(*freqs);
    const DeviceRef ref = s_.model->findDevice(a_.source);
    if (ref.group < 0) return makeError(ErrorCode::Semantic, ".fra: no source named '" + a_.source + "'", a_.loc);
    group_ = s_.model->groups()[std::size_t(ref.group)].get();
    inst_ = std::size_t(ref.index);
    if (!group_->setPerturbation(inst_, 0.0, 0.0, 0.0, false))
      return makeError(ErrorCode::Semantic, ".fra: '" + a_.source + "' is not an independent V or I source", a_.loc);
    if (auto st = runs_.start(); !st) return st;
    AnalysisHeader h;
    h.type = AnalysisType::Fra;
    h.index = index_;
    h.xName = "frequency";
    h.complex = true;
    for (const auto& o : s_.outputs) h.signals.push_back(o.info);
    sink.begin(h);
    return {};
  }

  Result<bool> step(SampleSink& sink, std::size_t) override {
    if (auto st = runs_.warmUp(); !st) return st.takeError();
    if (auto st = runs_.shoot(); !st) return st.takeError();
    s_.stats.shootingIterations += runs_.iterations_;
    s_.stats.shootingResidual = runs_.residual_;
    const auto& outs = s_.outputs;
    const int n = int(runs_.start_.q.size());
    const double t0 = runs_.start_.t, T = a_.period;
    // the nominal window (its end: Phi(q*)); M is the monodromy matrix at q*
    Waveform nominal;
    auto e = runs_.window(runs_.start_, [&](double t, const double* x) { nominal.add(t, x, outs); });
    if (!e) return e.takeError();
    const TranStepper::State end = e.value();
    // perturbation amplitude (in the source's unit): small enough that the
    // sequence of configurations keeps its order, large against round-off
    const double amp = a_.amplitude > 0 ? a_.amplitude : 1e-4;
    ChunkWriter writer;  // (the windows flush the session's to their null sink)
    writer.reset(outs.size(), true, true, chunkCapacity(s_.options, outs.size()));
    std::vector<cplx> row(std::size_t(s_.model->unknowns()) + 1, 0.0);
    std::size_t rows = 0;
    for (double f : freqs_) {
      if (s_.cancelled()) return makeError(ErrorCode::Cancelled, "cancelled at " + fmt(f) + " Hz", a_.loc);
      const double w = 2.0 * std::numbers::pi * f;
      // a window from q* + amp dq with the source perturbed by amp cos (or sin)
      auto run = [&](const std::vector<double>* dq, bool sine, Waveform* wf) -> Result<TranStepper::State> {
        TranStepper::State st = runs_.start_;
        if (dq)
          for (int j = 0; j < n; ++j) st.q[std::size_t(j)] += amp * (*dq)[std::size_t(j)];
        group_->setPerturbation(inst_, amp, w, t0, sine);
        auto r = runs_.window(st, [&](double t, const double* x) {
          if (wf) wf->add(t, x, outs);
        });
        group_->setPerturbation(inst_, 0.0, 0.0, 0.0, false);
        return r;
      };
      auto ec = run(nullptr, false, nullptr);
      if (!ec) return ec.takeError();
      auto es = run(nullptr, true, nullptr);
      if (!es) return es.takeError();
      // the steady perturbation at the window's start: (e^{j w T} I - M) d = B
      std::vector<cplx> A(static_cast<std::size_t>(n * n));
      std::vector<cplx> d(static_cast<std::size_t>(n));
      const cplx z = std::polar(1.0, w * T);
      for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) A[std::size_t(i * n + j)] = -runs_.M_[std::size_t(i * n + j)];
        A[std::size_t(i * n + i)] += z;
        d[std::size_t(i)] = cplx(ec.value().q[std::size_t(i)] - end.q[std::size_t(i)],
                                 es.value().q[std::size_t(i)] - end.q[std::size_t(i)]) / amp;
      }
      if (n > 0 && !denseSolve(A, d, n))
        return makeError(ErrorCode::Singular, ".fra: the periodic orbit has a Floquet multiplier on the unit circle at " + fmt(f) + " Hz", a_.loc);
      // the complex response = (start Re d, cos) + j (start Im d, sin)
      std::vector<double> dre(static_cast<std::size_t>(n)), dim(static_cast<std::size_t>(n));
      for (int j = 0; j < n; ++j) {
        dre[std::size_t(j)] = d[std::size_t(j)].real();
        dim[std::size_t(j)] = d[std::size_t(j)].imag();
      }
      Waveform wa, wb;
      if (auto r = run(&dre, false, &wa); !r) return r.takeError();
      if (auto r = run(&dim, true, &wb); !r) return r.takeError();
      for (std::size_t k = 0; k < outs.size(); ++k) {
        const cplx base = nominal.fourier(k, w, t0);
        const cplx v = (wa.fourier(k, w, t0) - base + cplx(0, 1) * (wb.fourier(k, w, t0) - base)) / amp;
        row[std::size_t(outs[k].unknown)] = v / T;
      }
      writer.rowComplex(f, row.data(), outs);
      ++rows;
      if (writer.full()) writer.flush(sink);
    }
    writer.flush(sink);
    sink.end(AnalysisSummary{AnalysisType::Fra, rows});
    done_ = true;
    return true;
  }
  double progress() const override { return done_ ? 1.0 : 0.0; }

 private:
  Session& s_;
  const ir::Analysis& a_;
  int index_;
  PeriodicRuns runs_;
  std::vector<double> freqs_;
  dev::DeviceGroup* group_ = nullptr;
  std::size_t inst_ = 0;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<AnalysisStepper> makePss(Session& s, const ir::Analysis& a, int index) {
  if (a.oscillator) return std::make_unique<OscillatorPssStepper>(s, a, index);
  return std::make_unique<PssStepper>(s, a, index);
}
std::unique_ptr<AnalysisStepper> makeFra(Session& s, const ir::Analysis& a, int index) {
  return std::make_unique<FraStepper>(s, a, index);
}

}  // namespace simcore::an
