// .ac: small-signal analysis around the operating point. The complex matrix
// uses the same pattern as the real one; every frequency is a complex LU
// (refactored while the pivot order stays good) and one solve.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <numbers>

#include "analysis/session.hpp"
#include "analysis/sweep_axis.hpp"
#include "solver/lu.hpp"

namespace simcore::an {

namespace {

class AcStepper final : public AnalysisStepper {
 public:
  AcStepper(Session& s, const ir::Analysis& a, int index) : s_(s), a_(a), index_(index) {}

  Status start(SampleSink& sink) override {
    // frequencies
    const double f0 = a_.fstart, f1 = a_.fstop;
    // (a linear sweep may start at 0 Hz, the small-signal DC gain, as in ngspice 39)
    const bool lin = a_.acScale == ir::AcScale::Lin;
    if (!(lin ? f0 >= 0 : f0 > 0) || f1 < f0)
      return makeError(ErrorCode::Semantic, lin ? ".ac lin needs 0 <= fstart <= fstop" : ".ac needs 0 < fstart <= fstop", a_.loc);
    if (a_.acPoints < 1) return makeError(ErrorCode::Semantic, ".ac needs at least one point", a_.loc);
    auto freqs = sweepFrequencies(a_, s_.opt().reltol);
    if (!freqs) return freqs.takeError();
    freqs_ = std::move(*freqs);
    AnalysisHeader h;
    h.type = AnalysisType::Ac;
    h.index = index_;
    h.xName = "frequency";
    h.complex = true;
    for (const auto& o : s_.outputs) h.signals.push_back(o.info);
    if (s_.opt().keepOpInfo) {
      if (auto st = keepOperatingPoint(s_, sink, index_, a_.loc); !st) return st;
      opSolved_ = true;
    }
    sink.begin(h);
    return {};
  }

  Result<bool> step(SampleSink& sink, std::size_t budget) override {
    if (!opDone_) {
      if (!opSolved_)
        if (auto st = solveSmallSignalPoint(s_, a_.loc); !st) return st.takeError();
      opDone_ = true;
      lu_ = std::make_unique<solver::SparseLu<std::complex<double>>>(s_.model->pattern());
      const int n = s_.model->unknowns();
      A_.assign(std::size_t(s_.model->pattern().nnz()) + 1, 0.0);
      b_.assign(std::size_t(n) + 1, 0.0);
      s_.writer.reset(s_.outputs.size(), true, true, chunkCapacity(s_.options, s_.outputs.size()));
    }
    const int n = s_.model->unknowns();
    std::size_t produced = 0;
    while (k_ < freqs_.size()) {
      if (s_.cancelled()) return makeError(ErrorCode::Cancelled, "cancelled", a_.loc);
      const double f = freqs_[k_];
      auto t0 = std::chrono::steady_clock::now();
      std::fill(A_.begin(), A_.end(), 0.0);
      std::fill(b_.begin(), b_.end(), 0.0);
      dev::AcContext c;
      c.omega = 2.0 * std::numbers::pi * f;
      c.A = A_.data();
      c.b = b_.data();
      c.xop = s_.newton.x().data();
      for (auto& g : s_.model->groups()) g->acLoad(c);
      auto t1 = std::chrono::steady_clock::now();
      s_.stats.loadSeconds += std::chrono::duration<double>(t1 - t0).count();
      auto before = lu_->counters();
      if (lu_->factor(A_.data()) == solver::LuOutcome::Singular) {
        dev::Index u = lu_->singularUnknown();
        return makeError(ErrorCode::Singular, "singular matrix in AC analysis at f = " + std::to_string(f) + " Hz: " + s_.model->describeUnknown(u), a_.loc);
      }
      s_.stats.factorizations += lu_->counters().factorizations - before.factorizations;
      s_.stats.refactorizations += lu_->counters().refactorizations - before.refactorizations;
      auto t2 = std::chrono::steady_clock::now();
      s_.stats.factorSeconds += std::chrono::duration<double>(t2 - t1).count();
      // solve in place on b[1..n]
      lu_->solve(b_.data() + 1);
      s_.stats.solves++;
      s_.stats.solveSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t2).count();
      b_[0] = 0.0;
      (void)n;
      s_.writer.rowComplex(f, b_.data(), s_.outputs);
      if (s_.writer.full()) s_.writer.flush(sink);
      ++k_;
      if (++produced >= budget) return false;
    }
    s_.writer.flush(sink);
    sink.end(AnalysisSummary{AnalysisType::Ac, freqs_.size()});
    return true;
  }

  double progress() const override { return freqs_.empty() ? 1.0 : double(k_) / double(freqs_.size()); }

 private:
  Session& s_;
  const ir::Analysis& a_;
  int index_;
  std::vector<double> freqs_;
  std::size_t k_ = 0;
  bool opDone_ = false;
  bool opSolved_ = false;  // (keepopinfo: start() solved and wrote it)
  std::unique_ptr<solver::SparseLu<std::complex<double>>> lu_;
  std::vector<std::complex<double>> A_, b_;
};

}  // namespace

namespace {
// ln(f1 / f0), also where f1 / f0 overflows (f0 = 1e-300, f1 = 1e300).
double logSpan(double f0, double f1) {
  const double r = f1 / f0;
  return std::isfinite(r) ? std::log(r) : std::log(f1) - std::log(f0);
}

const char* kindName(const ir::Analysis& a) {
  switch (a.kind) {
    case ir::AnalysisKind::Noise: return ".noise";
    case ir::AnalysisKind::Sp: return ".sp";
    case ir::AnalysisKind::Fra: return ".fra";
    case ir::AnalysisKind::Sens: return ".sens ac";
    default: return ".ac";
  }
}
}  // namespace

Result<std::vector<double>> steppedFrequencies(const ir::Analysis& a, double reltol, int linMinPoints) {
  std::vector<double> out;
  const double f0 = a.fstart, f1 = a.fstop;
  const int n = a.acPoints;
  if (a.acScale == ir::AcScale::Lin) {
    const double delta = n >= linMinPoints ? (f1 - f0) / (n - 1) : 0.0;
    if (!(delta > 0)) return std::vector<double>{f0};
    if (Status st = checkSweepPoints(double(n), kindName(a), a.loc); !st) return st.takeError();
    const double tol = delta * reltol;
    for (double f = f0; f <= f1 + tol && double(out.size()) <= kMaxSweepPoints; f += delta) out.push_back(f);
    return out;
  }
  const double delta = std::exp(std::log(a.acScale == ir::AcScale::Dec ? 10.0 : 2.0) / n);
  if (Status st = checkSweepPoints(std::floor(logSpan(f0, f1) / std::log(delta)) + 1.0, kindName(a), a.loc); !st)
    return st.takeError();
  const double tol = delta * f1 * reltol;
  for (double f = f0; f <= f1 + tol && double(out.size()) <= kMaxSweepPoints; f *= delta) out.push_back(f);
  return out;
}

Result<std::vector<double>> sweepFrequencies(const ir::Analysis& a, double reltol) {
  std::vector<double> out;
  const double f0 = a.fstart, f1 = a.fstop;
  if (a.acScale == ir::AcScale::Lin) {
    const int n = a.acPoints;
    if (Status st = checkSweepPoints(double(n), kindName(a), a.loc); !st) return st.takeError();
    for (int k = 0; k < n; ++k) out.push_back(n == 1 ? f0 : f0 + (f1 - f0) * k / (n - 1));
    return out;
  }
  // Each frequency is the one before times the ratio, as ngspice 39's acan.c
  // steps them (f *= delta): the same doubles, which a transmission line's
  // phase w td of 1e10 radians at GHz tells apart from f0 ratio^k.
  if (a.acScale == ir::AcScale::Dec && a.kind == ir::AnalysisKind::Ac) {
    // ngspice 39: floor(N * decades) equal steps in log frequency from fstart
    // to fstop inclusive (at least one step when fstop > fstart; ngspice
    // itself loops forever on a span under one step)
    if (!(f1 > f0)) return std::vector<double>{f0};
    const double steps = std::max(1.0, std::floor(a.acPoints * std::log10(f1 / f0) + 1e-9));
    if (Status st = checkSweepPoints(steps + 1.0, kindName(a), a.loc); !st) return st.takeError();
    const long n = long(steps);
    const double delta = std::exp(logSpan(f0, f1) / double(n));
    double f = f0;
    for (long k = 0; k <= n; ++k, f *= delta) out.push_back(f);
    // and on while within fstop + delta fstop reltol, ngspice's end test: points past fstop
    // when the step is finer than reltol allows (.ac dec 10000 10 1000: 4 more, to 1000.92 Hz)
    for (; f <= f1 + delta * f1 * reltol && double(out.size()) <= kMaxSweepPoints; f *= delta) out.push_back(f);
    return out;
  }
  // oct (and .fra dec): N points per octave (decade) from fstart while within
  // fstop (1 + ratio reltol), as ngspice 39's acan.c (.ac oct 100 1 100k ends
  // at 100024.9 Hz)
  const double ratio = std::exp(std::log(a.acScale == ir::AcScale::Dec ? 10.0 : 2.0) / a.acPoints);
  const double points = std::floor((logSpan(f0, f1) + std::log1p(ratio * reltol)) / std::log(ratio) + 1e-9) + 1.0;
  if (Status st = checkSweepPoints(points, kindName(a), a.loc); !st) return st.takeError();
  const long n = long(points);
  double f = f0;
  for (long k = 0; k < n; ++k, f *= ratio) out.push_back(f);
  return out;
}

std::unique_ptr<AnalysisStepper> makeAc(Session& s, const ir::Analysis& a, int index) {
  return std::make_unique<AcStepper>(s, a, index);
}

}  // namespace simcore::an
