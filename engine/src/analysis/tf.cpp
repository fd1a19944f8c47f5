// .tf OUTVAR SRC: the small-signal DC transfer function from the V or I
// source SRC to OUTVAR (v(a), v(a,b) or i(vx)), the input resistance seen by
// SRC and the output resistance at OUTVAR, as ngspice 39 computes them: two
// solves with the operating point's linearisation (the .ac matrix at f = 0),
//   1. a unit excitation of SRC (1 V in a V source's branch equation, 1 A
//      through an I source from its + to its - node): the transfer function
//      is OUTVAR; the input resistance -1/i(SRC) (1e20 when i(SRC) is below
//      1e-20) for a V source, v(-) - v(+) for an I source;
//   2. 1 A drawn out of a and into b (v(a,b)): the output resistance is
//      v(b) - v(a); for i(vx), 1 V in vx's branch equation: 1/i(vx) (i at
//      least 1e-20); i(SRC) with SRC itself: the input resistance.
// One row, AnalysisType::Tf: transfer_function, SRC#input_impedance and
// output_impedance_at_v(a[,b]) or VX#output_impedance (ngspice's names).
#include <algorithm>
#include <cmath>

#include "analysis/session.hpp"
#include "solver/lu.hpp"

namespace simcore::an {

namespace {

class TfStepper final : public AnalysisStepper {
 public:
  TfStepper(Session& s, const ir::Analysis& a, int index) : s_(s), a_(a), index_(index) {}

  Status start(SampleSink& sink) override {
    const CircuitModel& m = *s_.model;
    const ir::Device* in = sourceDevice(a_.source);
    if (!in || (in->letter != 'v' && in->letter != 'i'))
      return makeError(ErrorCode::Semantic, ".tf input source '" + a_.source + "' is not a V or I source of the circuit", a_.loc);
    inIsV_ = in->letter == 'v';
    if (inIsV_) inBranch_ = m.branchOf(a_.source);
    else {
      inPos_ = m.nodeIndex(in->nodes[0]);
      inNeg_ = m.nodeIndex(in->nodes[1]);
    }
    std::string outName;
    if (!a_.outSource.empty()) {
      const ir::Device* o = sourceDevice(a_.outSource);
      if (!o || o->letter != 'v')
        return makeError(ErrorCode::Semantic, ".tf output current i(" + a_.outSource + ") needs a voltage source of that name", a_.loc);
      outBranch_ = m.branchOf(a_.outSource);
      outName = a_.outSource + "#output_impedance";
    } else {
      outPos_ = m.nodeIndex(a_.outPos);
      outNeg_ = a_.outNeg.empty() ? 0 : m.nodeIndex(a_.outNeg);
      if (outPos_ < 0 || outNeg_ < 0)
        return makeError(ErrorCode::Semantic, ".tf output node '" + (outPos_ < 0 ? a_.outPos : a_.outNeg) + "' is not in the circuit", a_.loc);
      outName = "output_impedance_at_v(" + a_.outPos + (a_.outNeg.empty() ? "" : "," + a_.outNeg) + ")";
    }
    AnalysisHeader h;
    h.type = AnalysisType::Tf;
    h.index = index_;
    h.signals.push_back({"transfer_function", SignalKind::Voltage});
    h.signals.push_back({a_.source + "#input_impedance", SignalKind::Voltage});
    h.signals.push_back({outName, SignalKind::Voltage});
    sink.begin(h);
    return {};
  }

  Result<bool> step(SampleSink& sink, std::size_t) override {
    if (auto st = solveSmallSignalPoint(s_, a_.loc); !st) return st.takeError();
    const int n = s_.model->unknowns();
    solver::SparseLu<std::complex<double>> lu(s_.model->pattern());
    std::vector<std::complex<double>> A(std::size_t(s_.model->pattern().nnz()) + 1, 0.0), b(std::size_t(n) + 1, 0.0);
    dev::AcContext c;
    c.omega = 0;
    c.A = A.data();
    c.b = b.data();
    c.xop = s_.newton.x().data();
    for (auto& g : s_.model->groups()) g->acLoad(c);
    if (lu.factor(A.data()) == solver::LuOutcome::Singular)
      return makeError(ErrorCode::Singular, "singular matrix in the .tf analysis: " + s_.model->describeUnknown(lu.singularUnknown()), a_.loc);
    s_.stats.factorizations++;
    auto at = [&](dev::Index u) { return u > 0 ? b[std::size_t(u)].real() : 0.0; };

    // 1. unit excitation of the input
    std::fill(b.begin(), b.end(), 0.0);
    if (inIsV_) b[std::size_t(inBranch_)] += 1.0;
    else {
      b[std::size_t(inPos_)] -= 1.0;
      b[std::size_t(inNeg_)] += 1.0;
    }
    b[0] = 0.0;
    lu.solve(b.data() + 1);
    b[0] = 0.0;
    double out[3];
    out[0] = a_.outSource.empty() ? at(outPos_) - at(outNeg_) : at(outBranch_);
    if (inIsV_) out[1] = std::fabs(at(inBranch_)) < 1e-20 ? 1e20 : -1.0 / at(inBranch_);
    else out[1] = at(inNeg_) - at(inPos_);

    // 2. unit excitation at the output
    if (!a_.outSource.empty() && a_.outSource == a_.source) {
      out[2] = out[1];
    } else {
      std::fill(b.begin(), b.end(), 0.0);
      if (a_.outSource.empty()) {
        b[std::size_t(outPos_)] -= 1.0;
        b[std::size_t(outNeg_)] += 1.0;
      } else {
        b[std::size_t(outBranch_)] += 1.0;
      }
      b[0] = 0.0;
      lu.solve(b.data() + 1);
      b[0] = 0.0;
      out[2] = a_.outSource.empty() ? at(outNeg_) - at(outPos_) : 1.0 / std::max(1e-20, at(outBranch_));
    }
    s_.stats.solves += 2;
    Chunk ch;
    ch.rows = 1;
    for (const double& v : out) ch.re.emplace_back(&v, 1);
    sink.chunk(ch);
    sink.end(AnalysisSummary{AnalysisType::Tf, 1});
    done_ = true;
    return true;
  }

  double progress() const override { return done_ ? 1.0 : 0.0; }

 private:
  const ir::Device* sourceDevice(const std::string& name) const {
    const DeviceRef r = s_.model->findDevice(name);
    return r.group < 0 ? nullptr : &s_.model->groups()[std::size_t(r.group)]->device(std::size_t(r.index));
  }

  Session& s_;
  const ir::Analysis& a_;
  int index_;
  bool inIsV_ = true, done_ = false;
  dev::Index inBranch_ = 0, inPos_ = 0, inNeg_ = 0, outPos_ = 0, outNeg_ = 0, outBranch_ = 0;
};

}  // namespace

std::unique_ptr<AnalysisStepper> makeTf(Session& s, const ir::Analysis& a, int index) {
  return std::make_unique<TfStepper>(s, a, index);
}

}  // namespace simcore::an
