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
#include <complex>
#include <numbers>
#include <string>

#include "analysis/tran.hpp"

namespace simcore::an {

namespace {

using cplx = std::complex<double>;

// Discards everything (the windows' own header and summary).
class NullSink final : public SampleSink {
 public:
  void begin(const AnalysisHeader&) override {}
  void chunk(const Chunk&) override {}
  void end(const AnalysisSummary&) override {}
};

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
    NullSink null;
    if (auto st = tran_.start(null); !st) return st;
    return {};
  }
  // Warm-up transient from the operating point to t0.
  Status warmUp() {
    NullSink null;
    tran_.observe([](double, const double*) {});
    while (true) {
      auto r = tran_.step(null, 1u << 30);
      if (!r) return r.takeError();
      if (r.value()) break;
    }
    start_ = tran_.state();
    return {};
  }
  // One window from st; rows to the observer; returns the end state.
  Result<TranStepper::State> window(const TranStepper::State& st, const std::function<void(double, const double*)>& obs) {
    NullSink null;
    tran_.observe(obs);
    tran_.restartFrom(st, st.t + a_.period);
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
    runs_.tran_.emitLosses(sink, meter, int(s_.model->circuit().analyses.size()) + index_);
    return {};
  }

  Session& s_;
  const ir::Analysis& a_;
  int index_;
  PeriodicRuns runs_;
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
    freqs_ = sweepFrequencies(a_);
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
  return std::make_unique<PssStepper>(s, a, index);
}
std::unique_ptr<AnalysisStepper> makeFra(Session& s, const ir::Analysis& a, int index) {
  return std::make_unique<FraStepper>(s, a, index);
}

}  // namespace simcore::an
