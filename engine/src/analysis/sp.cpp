// .sp dec|oct|lin N FSTART FSTOP [DONOISE]: ngspice 39's S-parameter analysis
// over the RF ports (V sources with portnum N and reference impedance z0,
// which sit behind a series resistance z0 in every analysis).
//
// At the operating point, for every frequency f:
//   1. load the .ac matrix once and factor it (the AC values of the sources
//      are not applied);
//   2. for each port j: right-hand side 1 V in port j's source, 0 in the
//      others; solve; for every port i the power waves (Kurokawa, real z0)
//        a_ij = (V_i + z0_i I_i) / (2 sqrt(z0_i)),  b_ij = (V_i - z0_i I_i) / (2 sqrt(z0_i))
//      with V_i the port's voltage (+ node - node) and I_i the current into
//      the circuit at its + node;
//   3. S = B A^-1, Z = F^-1 (I - S)^-1 (S + I) Zr F, Y = F^-1 ((S + I) Zr)^-1 (I - S) F
//      with Zr = diag(z0), F = diag(1 / sqrt(z0)); a matrix that does not
//      exist at f (Z of a series element between ports, where ngspice 39
//      crashes) is written as NaN;
//   4. DONOISE 1: for each port s the adjoint solution y_s (A^T y_s = e_pos -
//      e_neg) gives each noise generator's voltage at the terminated ports,
//      v_s = (y_s[a] - y_s[b]) sqrt(S_white); its short-circuit noise current
//      at port d is i_d = v_d / z0_d + sum_s Y_ds v_s, and the correlation
//      matrix Cy = sum over generators of i i^H (A^2/Hz). Flicker noise is
//      left out, as in ngspice 39. With two ports, from Cy / (4 k T) and Y as
//      ngspice 39 computes them: Rn, Ycor, Gu, Ysopt, Sopt (against port 1's
//      1/z0), NFmin and NF (dB).
// Frequencies as ngspice's .sp: from FSTART, times 10^(1/N) (dec), 2^(1/N)
// (oct) or plus (FSTOP-FSTART)/(N-1) (lin, N > 2; else FSTART alone) while
// <= FSTOP (1 + the step times reltol).
#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>

#include "analysis/session.hpp"
#include "devices/noise.hpp"
#include "solver/lu.hpp"

namespace simcore::an {

namespace {

using cx = std::complex<double>;

// A dense n x n complex matrix, row-major.
struct CMat {
  int n = 0;
  std::vector<cx> v;
  explicit CMat(int size = 0, cx fill = 0.0) : n(size), v(std::size_t(size) * std::size_t(size), fill) {}
  cx& operator()(int r, int c) { return v[std::size_t(r) * std::size_t(n) + std::size_t(c)]; }
  cx operator()(int r, int c) const { return v[std::size_t(r) * std::size_t(n) + std::size_t(c)]; }
};

CMat mul(const CMat& a, const CMat& b) {
  CMat out(a.n);
  for (int r = 0; r < a.n; ++r)
    for (int k = 0; k < a.n; ++k) {
      const cx x = a(r, k);
      if (x == 0.0) continue;
      for (int c = 0; c < a.n; ++c) out(r, c) += x * b(k, c);
    }
  return out;
}

// The inverse by Gauss-Jordan with partial pivoting; nullopt when singular
// (a pivot below 1e-13 of the matrix's largest entry).
std::optional<CMat> inverse(CMat a) {
  const int n = a.n;
  CMat inv(n);
  for (int k = 0; k < n; ++k) inv(k, k) = 1.0;
  double scale = 0;
  for (const cx& x : a.v) scale = std::max(scale, std::abs(x));
  if (!(scale > 0) || !std::isfinite(scale)) return std::nullopt;
  for (int c = 0; c < n; ++c) {
    int p = c;
    for (int r = c + 1; r < n; ++r)
      if (std::abs(a(r, c)) > std::abs(a(p, c))) p = r;
    if (!(std::abs(a(p, c)) > 1e-13 * scale)) return std::nullopt;
    if (p != c)
      for (int k = 0; k < n; ++k) {
        std::swap(a(p, k), a(c, k));
        std::swap(inv(p, k), inv(c, k));
      }
    const cx d = 1.0 / a(c, c);
    for (int k = 0; k < n; ++k) { a(c, k) *= d; inv(c, k) *= d; }
    for (int r = 0; r < n; ++r) {
      if (r == c || a(r, c) == 0.0) continue;
      const cx m = a(r, c);
      for (int k = 0; k < n; ++k) { a(r, k) -= m * a(c, k); inv(r, k) -= m * inv(c, k); }
    }
  }
  return inv;
}

CMat nanMat(int n) { return CMat(n, cx(std::nan(""), std::nan(""))); }

class SpStepper final : public AnalysisStepper {
 public:
  SpStepper(Session& s, const ir::Analysis& a, int index) : s_(s), a_(a), index_(index) {}

  Status start(SampleSink& sink) override {
    for (const auto& g : s_.model->groups()) g->rfPorts(ports_);
    std::sort(ports_.begin(), ports_.end(), [](const dev::RfPort& x, const dev::RfPort& y) { return x.number < y.number; });
    if (ports_.empty())
      return makeError(ErrorCode::Semantic, ".sp needs RF ports: V sources with 'portnum N'", a_.loc);
    for (std::size_t k = 0; k < ports_.size(); ++k)
      if (ports_[k].number != int(k) + 1)
        return makeError(ErrorCode::Semantic, "RF ports must be numbered 1.." + std::to_string(ports_.size()), a_.loc);
    const bool lin = a_.acScale == ir::AcScale::Lin;
    if (!(lin ? a_.fstart >= 0 : a_.fstart > 0) || a_.fstop < a_.fstart)
      return makeError(ErrorCode::Semantic, lin ? ".sp lin needs 0 <= fstart <= fstop" : ".sp needs 0 < fstart <= fstop", a_.loc);
    auto freqs = steppedFrequencies(a_, s_.opt().reltol, 3);
    if (!freqs) return freqs.takeError();
    freqs_ = std::move(*freqs);
    const int n = int(ports_.size());
    AnalysisHeader h;
    h.type = AnalysisType::Sp;
    h.index = index_;
    h.xName = "frequency";
    h.complex = true;
    for (const auto& o : s_.outputs) h.signals.push_back(o.info);
    auto matrix = [&](const char* prefix) {
      for (int i = 1; i <= n; ++i)
        for (int j = 1; j <= n; ++j)
          h.signals.push_back({std::string(prefix) + "_" + std::to_string(i) + "_" + std::to_string(j), SignalKind::Voltage});
    };
    matrix("s");
    matrix("y");
    matrix("z");
    if (a_.spNoise) {
      matrix("cy");
      if (n == 2)
        for (const char* name : {"nf", "sopt", "nfmin", "rn"}) h.signals.push_back({name, SignalKind::Voltage});
    }
    re_.assign(h.signals.size(), {});
    im_.assign(h.signals.size(), {});
    capacity_ = chunkCapacity(s_.options, h.signals.size());
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
      if (a_.spNoise) {
        dev::NoiseContext c;
        c.xop = s_.newton.x().data();
        c.circuit = &s_.model->circuit();
        c.tempK = s_.opt().temp + 273.15;
        c.gmin = s_.opt().gmin;
        c.out = &gens_;
        for (auto& g : s_.model->groups()) g->noise(c);
      }
      lu_ = std::make_unique<solver::SparseLu<cx>>(s_.model->pattern());
      A_.assign(std::size_t(s_.model->pattern().nnz()) + 1, 0.0);
      x_.assign(std::size_t(s_.model->unknowns()) + 1, 0.0);
      if (a_.spNoise) adj_.assign(ports_.size(), std::vector<cx>(x_.size(), 0.0));
    }
    std::size_t produced = 0;
    while (k_ < freqs_.size()) {
      if (s_.cancelled()) return makeError(ErrorCode::Cancelled, "cancelled", a_.loc);
      if (auto st = point(freqs_[k_]); !st) return st.takeError();
      if (xs_.size() >= capacity_) flush(sink);
      ++k_;
      if (++produced >= budget) return false;
    }
    flush(sink);
    sink.end(AnalysisSummary{AnalysisType::Sp, freqs_.size()});
    return true;
  }

  double progress() const override { return freqs_.empty() ? 1.0 : double(k_) / double(freqs_.size()); }

 private:
  Status point(double f) {
    const int n = int(ports_.size());
    std::fill(A_.begin(), A_.end(), 0.0);
    std::fill(x_.begin(), x_.end(), 0.0);
    dev::AcContext c;
    c.omega = 2.0 * std::numbers::pi * f;
    c.A = A_.data();
    c.b = x_.data();  // the sources' AC values: not used
    c.xop = s_.newton.x().data();
    for (auto& g : s_.model->groups()) g->acLoad(c);
    const auto before = lu_->counters();
    if (lu_->factor(A_.data()) == solver::LuOutcome::Singular)
      return makeError(ErrorCode::Singular, "singular matrix in S-parameter analysis at f = " + std::to_string(f) + " Hz: " +
                                                s_.model->describeUnknown(lu_->singularUnknown()), a_.loc);
    s_.stats.factorizations += lu_->counters().factorizations - before.factorizations;
    s_.stats.refactorizations += lu_->counters().refactorizations - before.refactorizations;
    // waves: column j with port j driven
    CMat A(n), B(n);
    for (int j = 0; j < n; ++j) {
      std::fill(x_.begin(), x_.end(), 0.0);
      x_[std::size_t(ports_[std::size_t(j)].branch)] = 1.0;
      lu_->solve(x_.data() + 1);
      x_[0] = 0.0;
      s_.stats.solves++;
      for (int i = 0; i < n; ++i) {
        const dev::RfPort& p = ports_[std::size_t(i)];
        const cx v = x_[std::size_t(p.pos)] - x_[std::size_t(p.neg)];
        const cx cur = -x_[std::size_t(p.branch)];
        const double ki = 0.5 / std::sqrt(p.z0);
        A(i, j) = ki * (v + p.z0 * cur);
        B(i, j) = ki * (v - p.z0 * cur);
      }
    }
    // (the node values of the row: the last port driven, as ngspice's plot)
    CMat S = nanMat(n), Y = nanMat(n), Z = nanMat(n);
    if (auto ai = inverse(A)) S = mul(B, *ai);
    CMat iMinusS(n), sPlusIZr(n);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        iMinusS(i, j) = (i == j ? 1.0 : 0.0) - S(i, j);
        sPlusIZr(i, j) = (S(i, j) + (i == j ? 1.0 : 0.0)) * ports_[std::size_t(j)].z0;
      }
    // F^-1 M F: row i times sqrt(z0_i), column j over sqrt(z0_j)
    auto similar = [&](CMat m) {
      for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) m(i, j) *= std::sqrt(ports_[std::size_t(i)].z0) / std::sqrt(ports_[std::size_t(j)].z0);
      return m;
    };
    if (auto inv = inverse(iMinusS)) Z = similar(mul(*inv, sPlusIZr));
    if (auto inv = inverse(sPlusIZr)) Y = similar(mul(*inv, iMinusS));

    // the row
    xs_.push_back(f);
    std::size_t col = 0;
    for (const auto& o : s_.outputs) {
      const cx v = o.acValue(x_.data(), c.omega);
      put(col++, v);
    }
    for (const CMat* m : {&S, &Y, &Z})
      for (const cx& v : m->v) put(col++, v);
    if (a_.spNoise) noise(Y, col);
    return {};
  }

  void noise(const CMat& Y, std::size_t col) {
    const int n = int(ports_.size());
    for (int s = 0; s < n; ++s) {
      std::vector<cx>& y = adj_[std::size_t(s)];
      std::fill(y.begin(), y.end(), 0.0);
      const dev::RfPort& p = ports_[std::size_t(s)];
      if (p.pos > 0) y[std::size_t(p.pos)] += 1.0;
      if (p.neg > 0) y[std::size_t(p.neg)] -= 1.0;
      lu_->solveTransposed(y.data() + 1);
      y[0] = 0.0;
      s_.stats.solves++;
    }
    CMat cy(n);
    std::vector<cx> v(static_cast<std::size_t>(n)), in(static_cast<std::size_t>(n));
    for (const dev::NoiseGenerator& g : gens_) {
      const double amp = std::sqrt(std::max(g.white, 0.0));
      if (amp == 0) continue;
      for (int s = 0; s < n; ++s) {
        const std::vector<cx>& y = adj_[std::size_t(s)];
        v[std::size_t(s)] = (y[std::size_t(g.a)] - y[std::size_t(g.b)]) * amp;
      }
      for (int d = 0; d < n; ++d) {
        cx i = v[std::size_t(d)] / ports_[std::size_t(d)].z0;
        for (int s = 0; s < n; ++s) i += Y(d, s) * v[std::size_t(s)];
        in[std::size_t(d)] = i;
      }
      for (int d = 0; d < n; ++d)
        for (int s = 0; s < n; ++s) cy(d, s) += in[std::size_t(d)] * std::conj(in[std::size_t(s)]);
    }
    for (const cx& x : cy.v) put(col++, x);
    if (n != 2) return;
    // two ports: as ngspice 39 derives them from Cy / (4 k T) and Y
    const double kt4 = 4.0 * dev::NoiseContext::kBoltz * (s_.opt().temp + 273.15);
    CMat c(n);
    for (std::size_t k = 0; k < c.v.size(); ++k) c.v[k] = cy.v[k] / kt4;
    const double rn = c(1, 1).real() / std::norm(Y(1, 0));
    const cx ycor = Y(0, 0) - (c(0, 1) / c(1, 1)) * c(1, 0);
    const double gu = c(0, 0).real() - rn * std::norm(Y(0, 0) - ycor);
    const cx ysopt(std::sqrt(ycor.real() * ycor.real() + gu / rn), -ycor.imag());
    const cx y0 = 1.0 / ports_[0].z0;
    const cx sopt = (y0 - ysopt) / (y0 + ysopt);
    const double fmin = 1.0 + 2.0 * rn * (ycor.real() + ysopt.real());
    const double nf = fmin + (rn / ysopt.real()) * std::norm(y0 - ysopt);
    put(col++, 10.0 * std::log10(nf));
    put(col++, sopt);
    put(col++, 10.0 * std::log10(fmin));
    put(col++, rn);
  }

  void put(std::size_t col, cx v) {
    re_[col].push_back(v.real());
    im_[col].push_back(v.imag());
  }

  void flush(SampleSink& sink) {
    if (xs_.empty()) return;
    Chunk ch;
    ch.rows = xs_.size();
    ch.x = xs_;
    for (const auto& c : re_) ch.re.emplace_back(c);
    for (const auto& c : im_) ch.im.emplace_back(c);
    sink.chunk(ch);
    xs_.clear();
    for (auto& c : re_) c.clear();
    for (auto& c : im_) c.clear();
  }

  Session& s_;
  const ir::Analysis& a_;
  int index_;
  std::vector<dev::RfPort> ports_;
  std::vector<double> freqs_;
  std::size_t k_ = 0;
  bool opDone_ = false;
  bool opSolved_ = false;  // (keepopinfo: start() solved and wrote it)
  std::vector<dev::NoiseGenerator> gens_;
  std::unique_ptr<solver::SparseLu<cx>> lu_;
  std::vector<cx> A_, x_;
  std::vector<std::vector<cx>> adj_;  // per port: the adjoint solution
  std::vector<double> xs_;
  std::vector<std::vector<double>> re_, im_;
  std::size_t capacity_ = 1024;
};

}  // namespace

std::unique_ptr<AnalysisStepper> makeSp(Session& s, const ir::Analysis& a, int index) {
  return std::make_unique<SpStepper>(s, a, index);
}

}  // namespace simcore::an
