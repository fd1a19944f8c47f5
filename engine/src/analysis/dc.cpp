// .dc: sweep one or two independent sources; each point starts Newton from
// the previous point's solution and falls back to the full operating-point
// strategy when that fails.
#include <cmath>

#include "analysis/session.hpp"
#include "analysis/sweep_axis.hpp"

namespace simcore::an {

namespace {

struct SweepAxis : SweepValues {
  DeviceRef ref;
};

class DcStepper final : public AnalysisStepper {
 public:
  DcStepper(Session& s, const ir::Analysis& a, int index) : s_(s), a_(a), index_(index) {}

  Status start(SampleSink& sink) override {
    for (const auto& sw : a_.sweeps) {
      SweepAxis ax;
      ax.ref = s_.model->findDevice(sw.source);
      if (ax.ref.group < 0)
        return makeError(ErrorCode::Semantic, ".dc sweeps '" + sw.source + "', which is not a device of this circuit", a_.loc);
      const ir::Device& d = s_.model->groups()[std::size_t(ax.ref.group)]->device(std::size_t(ax.ref.index));
      if (d.letter != 'v' && d.letter != 'i')
        return makeError(ErrorCode::Semantic, ".dc can sweep independent V or I sources; '" + sw.source + "' is not one", a_.loc);
      ax.start = sw.start;
      ax.step = sw.step;
      if (sw.step == 0 || (sw.stop - sw.start) / sw.step < -1e-9)
        return makeError(ErrorCode::Semantic, ".dc step must be non-zero and go from start towards stop", a_.loc);
      if (Status st = checkSweepPoints(sweepPointEstimate(sw.start, sw.stop, sw.step), ".dc", a_.loc); !st) return st;
      ax.count = ngspiceSweepCount(sw.start, sw.stop, sw.step);
      axes_.push_back(ax);
    }
    total_ = axes_[0].count * (axes_.size() > 1 ? axes_[1].count : 1);
    AnalysisHeader h;
    h.type = AnalysisType::Dc;
    h.index = index_;
    h.xName = a_.sweeps[0].source;
    for (const auto& o : s_.outputs) h.signals.push_back(o.info);
    sink.begin(h);
    s_.writer.reset(s_.outputs.size(), false, true, chunkCapacity(s_.options, s_.outputs.size()));
    return {};
  }

  Result<bool> step(SampleSink& sink, std::size_t budget) override {
    std::size_t produced = 0;
    while (k_ < total_) {
      if (s_.cancelled()) return makeError(ErrorCode::Cancelled, "cancelled", a_.loc);
      long inner = k_ % axes_[0].count, outer = k_ / axes_[0].count;
      set(axes_[0], axes_[0].value(inner));
      if (axes_.size() > 1) set(axes_[1], axes_[1].value(outer));
      NewtonRequest r;
      r.mode = dev::AnalysisMode::DcOp;
      r.dcSources = true;
      r.maxIter = ir::Options::newtonLimit(s_.opt().itl1);
      r.initJunctions = !s_.haveSolution;
      NewtonResult nr = s_.newton.solve(r);
      if (nr.status != NewtonStatus::Converged) {
        s_.stats.newtonFailures++;
        s_.haveSolution = false;
        if (auto st = solveOperatingPoint(s_, OpSettings{}, a_.loc); !st) {
          Error e = st.takeError();
          e.message = "at " + a_.sweeps[0].source + " = " + fmt(axes_[0].value(inner)) + ": " + e.message;
          return e;
        }
      }
      s_.haveSolution = true;
      refreshDeviceQuantities(s_);
      s_.newton.accept(0.0);
      s_.writer.row(axes_[0].value(inner), s_.newton.x().data(), s_.outputs);
      if (s_.writer.full()) s_.writer.flush(sink);
      ++k_;
      if (++produced >= budget) return false;
    }
    s_.writer.flush(sink);
    for (auto& ax : axes_) s_.model->groups()[std::size_t(ax.ref.group)]->restoreDcValue(std::size_t(ax.ref.index));
    sink.end(AnalysisSummary{AnalysisType::Dc, std::size_t(total_)});
    return true;
  }

  double progress() const override { return total_ ? double(k_) / double(total_) : 1.0; }

 private:
  void set(const SweepAxis& ax, double v) {
    s_.model->groups()[std::size_t(ax.ref.group)]->setDcValue(std::size_t(ax.ref.index), v);
  }
  static std::string fmt(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
  }
  Session& s_;
  const ir::Analysis& a_;
  int index_;
  std::vector<SweepAxis> axes_;
  long total_ = 0, k_ = 0;
};

}  // namespace

std::unique_ptr<AnalysisStepper> makeDc(Session& s, const ir::Analysis& a, int index) {
  return std::make_unique<DcStepper>(s, a, index);
}

}  // namespace simcore::an
