// .tran: transient analysis with local-truncation-error step control.
//
//   initial point: operating point with sources at t = 0 (or .ic / uic)
//   loop until tstop:
//     h = min(h, tmax, distance to the next breakpoint)      (land on corners)
//     integrator.prepare(h, order); Newton from a linear predictor
//     Newton failed      -> recoverable: h /= 8, order 1, retry (fatal below hmin)
//     switch event found -> recoverable: retry with the step ending at the event
//     LTE step < 0.9 h   -> recoverable: retry with the LTE step
//     accept: histories shift, devices commit state, row out;
//             after a breakpoint or event: order 1 and a small step,
//             else order = max order and h = min(2h, LTE step)
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "analysis/session.hpp"

namespace simcore::an {

namespace {

std::string fmtTime(double t) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.6g s", t);
  return buf;
}

class TranStepper final : public AnalysisStepper {
 public:
  TranStepper(Session& s, const ir::Analysis& a, int index) : s_(s), a_(a), index_(index) {}

  Status start(SampleSink& sink) override {
    if (!(a_.tstop > 0) || !(a_.tstep > 0) || a_.tstart < 0 || a_.tstart >= a_.tstop)
      return makeError(ErrorCode::Semantic, ".tran needs tstep > 0, tstop > 0 and 0 <= tstart < tstop", a_.loc);
    tstop_ = a_.tstop;
    tmax_ = a_.tmax > 0 ? a_.tmax : std::min(a_.tstep, (a_.tstop - a_.tstart) / 50.0);
    hmin_ = 1e-11 * tmax_;
    const ir::Options& o = s_.opt();
    s_.integrator.setMethod(o.method, o.maxord);
    s_.integrator.resize(s_.model->states());
    AnalysisHeader h;
    h.type = AnalysisType::Tran;
    h.index = index_;
    h.xName = "time";
    for (const auto& out : s_.outputs) h.signals.push_back(out.info);
    sink.begin(h);
    s_.writer.reset(s_.outputs.size(), false, true, chunkCapacity(s_.options, s_.outputs.size()));
    return {};
  }

  Result<bool> step(SampleSink& sink, std::size_t budget) override {
    if (!initDone_) {
      if (auto st = initialPoint(); !st) return st.takeError();
      emit(sink, 0.0, initialRow_.data());
      initialRow_.clear();
      initDone_ = true;
    }
    std::vector<double>& x = s_.newton.x();
    const ir::Options& o = s_.opt();
    std::size_t produced = 0;
    while (t_ < tstop_ * (1.0 - 1e-12)) {
      if (s_.cancelled()) return makeError(ErrorCode::Cancelled, "cancelled at t = " + fmtTime(t_), a_.loc);
      if (s_.options.maxTimePoints > 0 && s_.stats.acceptedPoints >= s_.options.maxTimePoints)
        return makeError(ErrorCode::Limit, "time-point limit of " + std::to_string(s_.options.maxTimePoints) + " reached at t = " + fmtTime(t_), a_.loc);

      // step size: tmax, breakpoints, tstop
      double h = std::min(h_, tmax_);
      const double gap = nextBp_ - t_;
      bool landing = false;
      if (h >= gap * (1.0 - 1e-9)) {
        h = gap;
        landing = true;
      } else if (h > 0.5 * gap) {
        h = 0.5 * gap;  // two even steps instead of a sliver before the corner
      }
      if (eventTarget_ > t_ && eventTarget_ <= t_ + h) {
        h = eventTarget_ - t_;
        landing = gap <= h * (1.0 + 1e-9);
      }

      s_.integrator.prepare(h, order_);
      const double tn = t_ + h;
      // predictor
      if (!s_.model->linear() && havePrev_) {
        const double r = h / hPrev_;
        for (std::size_t i = 1; i < x.size(); ++i) x[i] = xAcc_[i] + r * (xAcc_[i] - xPrev_[i]);
      }
      NewtonRequest req;
      req.mode = dev::AnalysisMode::Tran;
      req.time = tn;
      req.dcSources = false;
      req.useIntegrator = true;
      req.maxIter = o.itl4;
      NewtonResult nr = s_.newton.solve(req);
      if (nr.status != NewtonStatus::Converged) {
        s_.stats.newtonFailures++;
        s_.stats.rejectedSteps++;
        x = xAcc_;
        h_ = h / 8.0;
        order_ = 1;
        eventTarget_ = -1;
        if (h_ < hmin_) return tooSmall(tn, nr, h);
        continue;
      }
      // switching events inside the step: land on the earliest one
      double evTime = std::numeric_limits<double>::infinity();
      for (auto& g : s_.model->groups()) {
        dev::Event ev{};
        if (g->findEvent(xAcc_.data(), x.data(), t_, tn, ev)) evTime = std::min(evTime, ev.time);
      }
      const double evTol = std::max(hmin_, 1e-9 * tn);
      if (evTime < tn - evTol && evTime > t_ + hmin_) {
        s_.stats.rejectedSteps++;
        x = xAcc_;
        eventTarget_ = evTime + 0.5 * evTol;
        continue;
      }
      const bool atEvent = evTime <= tn;  // the state flips on acceptance
      // truncation error
      double hLte = s_.integrator.truncationStep(h, order_, o);
      if (hLte < 0.9 * h && !atEvent) {
        s_.stats.rejectedSteps++;
        x = xAcc_;
        eventTarget_ = -1;
        // one last try at the minimum step; if even that is too coarse, stop
        if (h <= hmin_ * (1.0 + 1e-9)) return tooSmall(tn, nr, h, true);
        h_ = std::max(hLte, hmin_);
        continue;
      }
      // accept
      xPrev_.swap(xAcc_);
      xAcc_ = x;
      havePrev_ = true;
      hPrev_ = h;
      t_ = tn;
      eventTarget_ = -1;
      s_.integrator.accept(h);
      s_.newton.accept(t_);
      if (atEvent) s_.stats.events++;
      emit(sink, t_);
      if (landing || atEvent) {
        if (landing) nextBp_ = nextBreakpoint(t_);
        order_ = 1;
        double next = std::min(hLte, h);
        h_ = std::max(0.1 * std::min(next, nextBp_ - t_), hmin_ * 10);
        if (landing) h_ = std::max(h_, 0.1 * h);
        h_ = std::min(h_, std::min(next, tmax_));
      } else {
        order_ = s_.integrator.maxOrder();
        h_ = std::min(2.0 * h, hLte);
      }
      if (++produced >= budget) {
        if (s_.writer.full()) s_.writer.flush(sink);
        return false;
      }
    }
    s_.writer.flush(sink);
    sink.end(AnalysisSummary{AnalysisType::Tran, rows_});
    return true;
  }

  double progress() const override { return tstop_ > 0 ? std::min(1.0, t_ / tstop_) : 0.0; }

 private:
  Status initialPoint() {
    std::vector<double>& x = s_.newton.x();
    if (a_.uic) {
      std::fill(x.begin(), x.end(), 0.0);
      for (const auto& v : s_.model->circuit().ic) {
        dev::Index u = s_.model->nodeIndex(v.node);
        if (u > 0) x[std::size_t(u)] = v.value;
      }
      for (auto& g : s_.model->groups()) g->initialConditions(x.data());
      s_.stats.opStrategies.emplace_back("uic (no operating point)");
    } else {
      OpSettings set;
      set.dcSources = false;
      set.useIc = true;
      if (auto st = solveOperatingPoint(s_, set, a_.loc); !st) {
        Error e = st.takeError();
        e.message = "initial operating point of the transient: " + e.message;
        return e;
      }
      initialRow_ = x;  // reported as computed; the seed below only starts the integration
      seedPerturbation(x);
    }
    if (initialRow_.empty()) initialRow_ = x;
    s_.newton.loadOnly(dev::AnalysisMode::TranInit, 0.0, a_.uic);
    s_.integrator.initHistory();
    s_.newton.accept(0.0);
    xAcc_ = x;
    xPrev_ = x;
    t_ = 0;
    order_ = 1;
    nextBp_ = nextBreakpoint(0.0);
    h_ = std::min(tstop_ / 100.0, a_.tstep) / 10.0;
    h_ = std::min(h_, 0.1 * nextBp_);
    return {};
  }

  // A real circuit starts from noise, never from an exactly symmetric state.
  // Identical stages (ring oscillators, latches) give a bit-identical operating
  // point that integration would preserve forever; a deterministic nanovolt
  // seed on the node voltages (far below vntol, decaying in any stable
  // circuit) lets the unstable mode grow as it does on the bench.
  void seedPerturbation(std::vector<double>& x) const {
    const double amp = 1e-3 * s_.opt().vntol;
    std::uint32_t h = 0x9e3779b9u;
    for (dev::Index u : s_.model->nodeUnknowns()) {
      bool pinned = false;
      for (const auto& v : s_.model->circuit().ic) pinned = pinned || s_.model->nodeIndex(v.node) == u;
      h ^= std::uint32_t(u) * 0x85ebca6bu;
      h ^= h >> 13;
      h *= 0xc2b2ae35u;
      h ^= h >> 16;
      if (!pinned) x[std::size_t(u)] += amp * (double(h & 0xffff) / 32767.5 - 1.0);
    }
  }

  double nextBreakpoint(double t) const {
    double bp = tstop_;
    for (const auto& g : s_.model->groups()) bp = std::min(bp, g->nextBreakpoint(t));
    if (a_.tstart > t * (1 + 1e-12) && a_.tstart < bp) bp = a_.tstart;
    return bp;
  }

  void emit(SampleSink& sink, double t, const double* values = nullptr) {
    s_.stats.acceptedPoints++;
    if (t < a_.tstart * (1 - 1e-12)) return;
    s_.writer.row(t, values ? values : s_.newton.x().data(), s_.outputs);
    ++rows_;
    if (s_.writer.full()) s_.writer.flush(sink);
  }

  Error tooSmall(double tn, const NewtonResult& nr, double h, bool lte = false) {
    std::string msg = "timestep too small at t = " + fmtTime(t_) + ": ";
    if (lte) {
      msg += "the local truncation error is still above tolerance at the minimum step " + fmtTime(hmin_) +
             " (a waveform changes faster than the time resolution allows; try a smaller .tran tmax or looser reltol/trtol)";
    } else {
      msg += "Newton did not converge in " + std::to_string(s_.opt().itl4) + " iterations at t = " + fmtTime(tn) +
             " (worst: " + describeFailure(s_, nr) + ")";
      msg += "; tried cutting the step by 8 down to the minimum " + fmtTime(hmin_) + " with backward Euler";
    }
    return makeError(ErrorCode::TimestepTooSmall, msg, a_.loc);
  }

  Session& s_;
  const ir::Analysis& a_;
  int index_;
  double tstop_ = 0, tmax_ = 0, hmin_ = 0;
  double t_ = 0, h_ = 0, hPrev_ = 0, nextBp_ = 0, eventTarget_ = -1;
  int order_ = 1;
  bool initDone_ = false, havePrev_ = false;
  std::vector<double> xAcc_, xPrev_, initialRow_;
  std::size_t rows_ = 0;
};

}  // namespace

std::unique_ptr<AnalysisStepper> makeTran(Session& s, const ir::Analysis& a, int index) {
  return std::make_unique<TranStepper>(s, a, index);
}

}  // namespace simcore::an
