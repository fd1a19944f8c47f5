// .pz IN+ IN- OUT+ OUT- cur|vol pol|zer|pz: poles and zeros of the
// small-signal transfer function at the operating point, as ngspice 39
// defines them.
//
// The circuit is linearised like .ac: the complex matrix the devices load at
// s = j*omega is G + j*omega*C; it is loaded at omega = 1 to separate G
// and checked at omega = 1e3 .. 1e12 (a circuit whose matrix is not of that
// form, a frequency-domain model, is refused; so are transmission lines, as
// in ngspice). Then, as ngspice's pole-zero load:
//   - a V source with an AC value is opened (its branch equation becomes
//     i = 0), one without stays a short; I sources are open;
//   - the roots are those of the determinant of a modified matrix:
//       poles, cur:  det(G + sC)                         (input port open)
//       poles, vol:  Cramer's numerator of V(in)/I(in)   (input port shorted)
//       zeros:       Cramer's numerator of V(out)/I(in)
//     where "Cramer's numerator of V(p,n)/I(a,b)" is the determinant with
//     column n replaced by columns n + p and column p by the unit current
//     into a and out of b. Poles and zeros are found separately: a pole and
//     a zero at the same place are both reported (ngspice does not cancel).
// Roots are the finite generalized eigenvalues of that pencil
// (solver/eigen.hpp), found densely: at most kMaxUnknowns unknowns.
// One row, AnalysisType::Pz: pole(1).. then zero(1).., complex, in rad/s.
#include <cmath>

#include "analysis/session.hpp"
#include "devices/context.hpp"
#include "solver/eigen.hpp"

namespace simcore::an {

namespace {

constexpr int kMaxUnknowns = 400;

class PzStepper final : public AnalysisStepper {
 public:
  PzStepper(Session& s, const ir::Analysis& a, int index) : s_(s), a_(a), index_(index) {}

  Status start(SampleSink&) override {
    const CircuitModel& m = *s_.model;
    const std::string* names[4] = {&a_.inPos, &a_.inNeg, &a_.outPos, &a_.outNeg};
    for (int k = 0; k < 4; ++k) {
      nodes_[k] = m.nodeIndex(*names[k]);
      if (nodes_[k] < 0) return makeError(ErrorCode::Semantic, ".pz node '" + *names[k] + "' is not in the circuit", a_.loc);
    }
    if (nodes_[0] == nodes_[1]) return makeError(ErrorCode::Semantic, ".pz input is shorted (both input nodes are the same)", a_.loc);
    if (nodes_[2] == nodes_[3]) return makeError(ErrorCode::Semantic, ".pz output is shorted (both output nodes are the same)", a_.loc);
    if (!a_.pzCurrent && nodes_[0] == nodes_[2] && nodes_[1] == nodes_[3])
      return makeError(ErrorCode::Semantic, ".pz transfer function is unity (the output is the input port)", a_.loc);
    if (!a_.pzCurrent && nodes_[0] == nodes_[3] && nodes_[1] == nodes_[2])
      return makeError(ErrorCode::Semantic, ".pz transfer function is -1 (the output is the reversed input port)", a_.loc);
    if (m.unknowns() > kMaxUnknowns)
      return makeError(ErrorCode::Limit,
                       ".pz works on dense matrices: the circuit has " + std::to_string(m.unknowns()) +
                           " unknowns, the limit is " + std::to_string(kMaxUnknowns),
                       a_.loc);
    return {};
  }

  Result<bool> step(SampleSink& sink, std::size_t) override {
    if (auto st = s_.opt().keepOpInfo ? keepOperatingPoint(s_, sink, index_, a_.loc) : solveSmallSignalPoint(s_, a_.loc);
        !st)
      return st.takeError();
    const int n = s_.model->unknowns();
    std::vector<double> g, c;
    if (auto st = pencil(g, c); !st) return st.takeError();

    std::vector<std::complex<double>> poles, zeros;
    if (a_.pzPoles) {
      std::vector<double> gp = g, cp = c;
      if (!a_.pzCurrent) cramer(gp, cp, n, nodes_[0], nodes_[1], nodes_[0], nodes_[1]);
      auto r = roots(gp, cp, n, "poles");
      if (!r) return r.takeError();
      poles = std::move(*r);
    }
    if (a_.pzZeros) {
      cramer(g, c, n, nodes_[2], nodes_[3], nodes_[0], nodes_[1]);
      auto r = roots(g, c, n, "zeros");
      if (!r) return r.takeError();
      zeros = std::move(*r);
    }

    // the header comes with the row: how many poles and zeros there are is known only now
    AnalysisHeader h;
    h.type = AnalysisType::Pz;
    h.index = index_;
    h.complex = true;
    for (std::size_t k = 0; k < poles.size(); ++k) h.signals.push_back({"pole(" + std::to_string(k + 1) + ")", SignalKind::Voltage});
    for (std::size_t k = 0; k < zeros.size(); ++k) h.signals.push_back({"zero(" + std::to_string(k + 1) + ")", SignalKind::Voltage});
    sink.begin(h);
    std::vector<double> re, im;
    for (const auto* list : {&poles, &zeros})
      for (const auto& v : *list) {
        re.push_back(v.real());
        im.push_back(v.imag());
      }
    Chunk ch;
    ch.rows = 1;
    for (std::size_t k = 0; k < re.size(); ++k) {
      ch.re.emplace_back(&re[k], 1);
      ch.im.emplace_back(&im[k], 1);
    }
    sink.chunk(ch);
    sink.end(AnalysisSummary{AnalysisType::Pz, 1});
    done_ = true;
    return true;
  }

  double progress() const override { return done_ ? 1.0 : 0.0; }

 private:
  // Whether a matrix entry, v1 at omega = 1 and vw at omega, is not g + j omega c.
  static bool notGsC(std::complex<double> v1, std::complex<double> vw, double omega) {
    const double scale = std::abs(v1.real()) + std::abs(vw.real()) + omega * std::abs(v1.imag()) + std::abs(vw.imag());
    return std::abs(vw.real() - v1.real()) > 1e-6 * scale || std::abs(vw.imag() - omega * v1.imag()) > 1e-6 * scale;
  }

  // The device kind whose small-signal stamp at matrix position k is not
  // G + j omega C, and its devices (" (numerical diode 'd1')"); empty when no
  // one kind's alone is (the sum of several).
  std::string owner(int k, double omega) {
    const int n = s_.model->unknowns();
    std::vector<std::complex<double>> a, b(std::size_t(n) + 1, 0.0);
    for (auto& grp : s_.model->groups()) {
      std::complex<double> at[2];
      for (int w = 0; w < 2; ++w) {
        a.assign(std::size_t(s_.model->pattern().nnz()) + 1, 0.0);
        dev::AcContext ctx;
        ctx.omega = w == 0 ? 1.0 : omega;
        ctx.A = a.data();
        ctx.b = b.data();
        ctx.xop = s_.newton.x().data();
        grp->acLoad(ctx);
        at[w] = a[std::size_t(k)];
      }
      if (!notGsC(at[0], at[1], omega)) continue;
      std::string names;
      for (std::size_t i = 0; i < grp->size() && i < 4; ++i) names += std::string(i ? ", '" : "'") + grp->device(i).name + "'";
      if (grp->size() > 4) names += " and " + std::to_string(grp->size() - 4) + " more";
      return " (" + std::string(grp->kindName()) + " " + names + ")";
    }
    return "";
  }

  // G and C (dense, row-major over unknowns 1..n) of the linearisation, with
  // the V sources that have an AC value opened.
  Status pencil(std::vector<double>& g, std::vector<double>& c) {
    const int n = s_.model->unknowns();
    const auto& pat = s_.model->pattern();
    const ir::Circuit& circ = s_.model->circuit();
    for (const ir::Device& d : circ.devices) {
      if (!d.behaviour && (d.letter == 't' || d.letter == 'o' || d.letter == 'p'))
        return makeError(ErrorCode::Semantic,
                         ".pz: transmission lines are not supported (" + d.name + "; as in ngspice)", a_.loc);
    }
    // the matrix at omega = 1 gives G and C; at 1e3 .. 1e12 it must be G + j omega C
    static constexpr double kOmegas[] = {1.0, 1e3, 1e6, 1e9, 1e12};
    std::vector<std::complex<double>> a1, aw, b(std::size_t(n) + 1, 0.0);
    auto load = [&](double omega, std::vector<std::complex<double>>& a) {
      a.assign(std::size_t(pat.nnz()) + 1, 0.0);
      dev::AcContext ctx;
      ctx.omega = omega;
      ctx.A = a.data();
      ctx.b = b.data();
      ctx.xop = s_.newton.x().data();
      for (auto& grp : s_.model->groups()) grp->acLoad(ctx);
    };
    load(1.0, a1);
    g.assign(std::size_t(n) * std::size_t(n), 0.0);
    c = g;
    const auto& colPtr = pat.colPtr();
    const auto& rowIdx = pat.rowIdx();
    for (double omega : kOmegas) {
      if (omega != 1.0) load(omega, aw);
      for (int col = 0; col < n; ++col)
        for (int k = colPtr[std::size_t(col)]; k < colPtr[std::size_t(col) + 1]; ++k) {
          const int row = rowIdx[std::size_t(k)];
          const std::complex<double> v1 = a1[std::size_t(k)];
          if (omega == 1.0) {
            g[std::size_t(row) * std::size_t(n) + std::size_t(col)] = v1.real();
            c[std::size_t(row) * std::size_t(n) + std::size_t(col)] = v1.imag();
            continue;
          }
          if (notGsC(v1, aw[std::size_t(k)], omega))
            return makeError(ErrorCode::Semantic,
                             ".pz needs a small-signal matrix of the form G + sC; the entry at " +
                                 s_.model->describeUnknown(row + 1) + " and " + s_.model->describeUnknown(col + 1) +
                                 owner(k, omega) + " depends on frequency otherwise (numerical CIDER devices and frequency-domain "
                                 "models are not supported; .ac runs them)",
                             a_.loc);
        }
    }
    for (const ir::Device& d : s_.model->circuit().devices) {
      if (d.letter != 'v' || !d.source.hasAc || d.behaviour) continue;
      const dev::Index br = s_.model->branchOf(d.name);
      if (br <= 0) continue;
      const std::size_t r = std::size_t(br - 1);
      for (int j = 0; j < n; ++j) g[r * std::size_t(n) + std::size_t(j)] = c[r * std::size_t(n) + std::size_t(j)] = 0;
      g[r * std::size_t(n) + r] = 1;
    }
    return {};
  }

  // Cramer's numerator of V(p, q) / I(a, b) (unknowns, 0 = ground): column q
  // += column p, column p = the unit current into a and out of b.
  static void cramer(std::vector<double>& g, std::vector<double>& c, int n, int p, int q, int a, int b) {
    if (p == 0) {  // V(0, q) = -V(q): same roots, drive reversed
      p = q;
      q = 0;
      std::swap(a, b);
    }
    auto at = [n](std::vector<double>& m, int row, int col) -> double& {
      return m[std::size_t(row - 1) * std::size_t(n) + std::size_t(col - 1)];
    };
    for (int i = 1; i <= n; ++i) {
      if (q) {
        at(g, i, q) += at(g, i, p);
        at(c, i, q) += at(c, i, p);
      }
      at(g, i, p) = 0;
      at(c, i, p) = 0;
    }
    if (a) at(g, a, p) = 1;
    if (b) at(g, b, p) = -1;
  }

  Result<std::vector<std::complex<double>>> roots(std::vector<double>& g, std::vector<double>& c, int n, const char* what) {
    solver::EigenResult r = solver::pencilEigenvalues(std::move(g), std::move(c), n);
    s_.stats.factorizations++;
    if (r.outcome == solver::EigenOutcome::SingularPencil)
      return makeError(ErrorCode::Singular,
                       std::string(".pz: the determinant whose roots are the ") + what +
                           " vanishes for every s (the input signal is shorted on the way to the output, or a port floats in the small-signal circuit)",
                       a_.loc);
    if (r.outcome == solver::EigenOutcome::NoConvergence)
      return makeError(ErrorCode::Convergence, std::string(".pz: the QR iteration for the ") + what + " did not converge", a_.loc);
    return std::move(r.values);
  }

  Session& s_;
  const ir::Analysis& a_;
  int index_;
  dev::Index nodes_[4] = {0, 0, 0, 0};
  bool done_ = false;
};

}  // namespace

std::unique_ptr<AnalysisStepper> makePz(Session& s, const ir::Analysis& a, int index) {
  return std::make_unique<PzStepper>(s, a, index);
}

}  // namespace simcore::an
