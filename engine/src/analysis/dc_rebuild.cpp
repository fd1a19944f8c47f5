#include "analysis/dc_rebuild.hpp"
#include "analysis/sweep_axis.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <utility>

namespace simcore::an {

bool needsRebuild(const ir::Analysis& a) {
  if (a.kind != ir::AnalysisKind::Dc) return false;
  for (const auto& sw : a.sweeps) {
    if (sw.source == "temp") return true;
    // a resistor: the leaf name's letter ("r1", "x1.r2")
    const std::size_t dot = sw.source.rfind('.');
    const std::size_t leaf = dot == std::string::npos ? 0 : dot + 1;
    if (leaf < sw.source.size() && sw.source[leaf] == 'r') return true;
  }
  return false;
}

namespace {

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

class RebuildDcStepper final : public AnalysisStepper {
 public:
  RebuildDcStepper(Session& s, const ir::Analysis& a, int index) : s_(s), a_(a), index_(index) {}

  Status start(SampleSink& sink) override {
    const ir::Circuit& c = s_.model->circuit();
    for (const auto& sw : a_.sweeps) {
      Axis ax;
      ax.name = sw.source;
      if (sw.source == "temp") {
        ax.kind = Axis::Kind::Temp;
      } else {
        auto it = std::find_if(c.devices.begin(), c.devices.end(), [&](const ir::Device& d) { return d.name == sw.source; });
        if (it == c.devices.end())
          return makeError(ErrorCode::Semantic, ".dc sweeps '" + sw.source + "', which is not a device of this circuit", a_.loc);
        if (it->letter == 'r') {
          ax.kind = Axis::Kind::Resistor;
          ax.device = std::size_t(it - c.devices.begin());
        } else {
          ax.kind = Axis::Kind::Source;
          ax.ref = s_.model->findDevice(sw.source);
        }
      }
      if (sw.step == 0 || (sw.stop - sw.start) / sw.step < -1e-9)
        return makeError(ErrorCode::Semantic, ".dc step must be non-zero and go from start towards stop", a_.loc);
      ax.start = sw.start;
      ax.step = sw.step;
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
      const long idx[2] = {k_ % axes_[0].count, k_ / axes_[0].count};
      // the outer value changed: the points built for the previous one are done
      if (axes_.size() > 1 && idx[0] == 0 && axes_[1].kind != Axis::Kind::Source) points_.clear();
      auto point = pointFor(idx);
      if (!point) return point.takeError();
      Point& p = *point.value();
      for (std::size_t d = 0; d < axes_.size(); ++d)
        if (axes_[d].kind == Axis::Kind::Source) {
          const DeviceRef r = p.session->model->findDevice(axes_[d].name);
          p.session->model->groups()[std::size_t(r.group)]->setDcValue(std::size_t(r.index), axes_[d].value(idx[d]));
        }
      Session& q = *p.session;
      NewtonRequest r;
      r.mode = dev::AnalysisMode::DcOp;
      r.dcSources = true;
      r.maxIter = ir::Options::newtonLimit(q.opt().itl1);
      r.initJunctions = !q.haveSolution;
      NewtonResult nr = q.newton.solve(r);
      if (nr.status != NewtonStatus::Converged) {
        q.stats.newtonFailures++;
        q.haveSolution = false;
        if (auto st = solveOperatingPoint(q, OpSettings{}, a_.loc); !st) {
          Error e = st.takeError();
          e.message = "at " + axes_[0].name + " = " + fmt(axes_[0].value(idx[0])) + ": " + e.message;
          return e;
        }
      }
      q.haveSolution = true;
      refreshDeviceQuantities(q);
      q.newton.accept(0.0);
      s_.writer.row(axes_[0].value(idx[0]), q.newton.x().data(), q.outputs);
      if (s_.writer.full()) s_.writer.flush(sink);
      ++k_;
      if (++produced >= budget) return false;
    }
    s_.writer.flush(sink);
    points_.clear();
    sink.end(AnalysisSummary{AnalysisType::Dc, std::size_t(total_)});
    return true;
  }

  double progress() const override { return total_ ? double(k_) / double(total_) : 1.0; }

 private:
  struct Axis : SweepValues {
    enum class Kind { Source, Temp, Resistor };
    Kind kind = Kind::Source;
    std::string name;
    DeviceRef ref;
    std::size_t device = 0;  // Resistor: index in the circuit's devices
  };
  // A circuit model with the rebuilt axes at their values; the circuit it
  // was built from lives as long as it.
  struct Point {
    std::unique_ptr<ir::Circuit> circuit;
    std::unique_ptr<Session> session;
    ~Point() {
      if (session && stats) {
        const RunStats& s = session->stats;
        stats->newtonIterations += s.newtonIterations;
        stats->newtonFailures += s.newtonFailures;
        stats->factorizations += s.factorizations;
        stats->refactorizations += s.refactorizations;
        stats->solves += s.solves;
        stats->parallelLoads += s.parallelLoads;
        stats->parallelRefactorizations += s.parallelRefactorizations;
        stats->loadSeconds += s.loadSeconds;
        stats->factorSeconds += s.factorSeconds;
        stats->solveSeconds += s.solveSeconds;
        stats->setupSeconds += s.setupSeconds;
        for (const auto& how : s.opStrategies) stats->opStrategies.push_back(how);
      }
    }
    RunStats* stats = nullptr;  // where its counts go when it is dropped
  };

  Result<Point*> pointFor(const long idx[2]) {
    std::pair<long, long> key{-1, -1};
    if (axes_[0].kind != Axis::Kind::Source) key.first = idx[0];
    if (axes_.size() > 1 && axes_[1].kind != Axis::Kind::Source) key.second = idx[1];
    auto it = points_.find(key);
    if (it != points_.end()) return it->second.get();
    auto t0 = std::chrono::steady_clock::now();
    auto p = std::make_unique<Point>();
    p->circuit = std::make_unique<ir::Circuit>(s_.model->circuit());
    p->circuit->variants.clear();
    std::string where;
    for (std::size_t d = 0; d < axes_.size(); ++d) {
      const Axis& ax = axes_[d];
      const double v = ax.value(idx[d]);
      if (ax.kind == Axis::Kind::Temp) p->circuit->options.temp = v;
      else if (ax.kind == Axis::Kind::Resistor) {
        p->circuit->devices[ax.device].value = v;
        p->circuit->devices[ax.device].valueTemper.reset();  // (the swept value replaces a temper expression)
      }
      else continue;
      where += (where.empty() ? "" : ", ") + ax.name + " = " + fmt(v);
    }
    auto model = CircuitModel::build(*p->circuit, dev::TranHints{}, &s_.model->analyses());
    if (!model) {
      Error e = model.takeError();
      e.message = "at " + where + ": " + e.message;
      return e;
    }
    p->session = std::make_unique<Session>(std::move(model.value()), s_.options);
    auto outs = p->session->model->outputs(s_.options.save);
    if (!outs) return outs.takeError();
    p->session->setOutputs(std::move(outs.value()));
    p->session->stats.setupSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    p->stats = &s_.stats;
    Point* raw = p.get();
    points_[key] = std::move(p);
    return raw;
  }

  Session& s_;
  const ir::Analysis& a_;
  int index_;
  std::vector<Axis> axes_;
  std::map<std::pair<long, long>, std::unique_ptr<Point>> points_;
  long total_ = 0, k_ = 0;
};

}  // namespace

std::unique_ptr<AnalysisStepper> makeRebuildDc(Session& s, const ir::Analysis& a, int index) {
  return std::make_unique<RebuildDcStepper>(s, a, index);
}

}  // namespace simcore::an
