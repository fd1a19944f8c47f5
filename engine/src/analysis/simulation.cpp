// Simulation: runs the netlist's analyses in order, each a resumable stepper.
#include <chrono>

#include "analysis/session.hpp"
#include "simcore/measure.hpp"

namespace simcore {

const char* analysisName(AnalysisType t) {
  switch (t) {
    case AnalysisType::Op: return "op";
    case AnalysisType::Dc: return "dc";
    case AnalysisType::Ac: return "ac";
    case AnalysisType::Tran: return "tran";
    case AnalysisType::Pss: return "pss";
    case AnalysisType::Fra: return "fra";
    case AnalysisType::Losses: return "losses";
    case AnalysisType::Noise: return "noise";
    case AnalysisType::NoiseTotal: return "noise_total";
    case AnalysisType::Tf: return "tf";
  }
  return "?";
}

namespace {

class SimulationImpl final : public Simulation {
 public:
  SimulationImpl(ir::Circuit c, const SimulationOptions& o) : circuit_(std::move(c)), options_(o) {}

  Status init() {
    auto t0 = std::chrono::steady_clock::now();
    if (circuit_.analyses.empty())
      return makeError(ErrorCode::Semantic, "the netlist has no analysis card: add .op, .dc, .ac or .tran",
                       SourceLoc{circuit_.fileName, 1, 0});
    if (circuit_.devices.empty())
      return makeError(ErrorCode::Semantic,
                       "the netlist has no devices (the first line is its title, never a device; "
                       "is a line missing above the first one?)",
                       SourceLoc{circuit_.fileName, 1, 0});
    dev::TranHints hints;
    bool needOp = false;
    for (const auto& a : circuit_.analyses) {
      if (a.kind == ir::AnalysisKind::Tran && hints.tstop == 0) hints = {a.tstep, a.tstop};
      if ((a.kind == ir::AnalysisKind::Pss || a.kind == ir::AnalysisKind::Fra) && hints.tstop == 0 && a.period > 0)
        hints = {a.period / 200.0, a.period * (a.tsettle >= 0 ? std::ceil(a.tsettle / a.period) + 1 : 11.0)};
      needOp = needOp || !(a.kind == ir::AnalysisKind::Tran && a.uic);
    }
    auto model = an::CircuitModel::build(circuit_, hints);
    if (!model) return model.takeError();
    if (options_.maxUnknowns > 0 && model.value()->unknowns() > options_.maxUnknowns)
      return makeError(ErrorCode::Limit, "the circuit has " + std::to_string(model.value()->unknowns()) +
                                             " unknowns, more than the limit of " + std::to_string(options_.maxUnknowns));
    if (needOp)
      if (auto st = model.value()->checkTopology(); !st) return st.takeError();
    session_ = std::make_unique<an::Session>(std::move(model.value()), options_);
    auto outs = session_->model->outputs(options_.save);
    if (!outs) return outs.takeError();
    session_->outputs = std::move(outs.value());
    session_->stats.unknowns = session_->model->unknowns();
    session_->stats.nonzeros = session_->model->pattern().nnz();
    session_->stats.setupSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!circuit_.measures.empty()) {
      measures_ = std::make_unique<MeasureSink>(nullptr, circuit_.measures);
      session_->stats.measures = measures_->results();
    }
    return {};
  }

  Result<StepState> advance(SampleSink& caller, std::size_t budget) override {
    if (failed_) return makeError(ErrorCode::Internal, "advance() called after a failure");
    // .meas: the measure sink keeps the columns its measures read on the way to the caller's sink
    if (measures_) measures_->setInner(&caller);
    SampleSink& sink = measures_ ? static_cast<SampleSink&>(*measures_) : caller;
    while (current_ < circuit_.analyses.size()) {
      const ir::Analysis& a = circuit_.analyses[current_];
      if (!stepper_) {
        int idx = int(current_);
        switch (a.kind) {
          case ir::AnalysisKind::Op: stepper_ = an::makeOp(*session_, a, idx); break;
          case ir::AnalysisKind::Dc: stepper_ = an::makeDc(*session_, a, idx); break;
          case ir::AnalysisKind::Ac: stepper_ = an::makeAc(*session_, a, idx); break;
          case ir::AnalysisKind::Tran: stepper_ = an::makeTran(*session_, a, idx); break;
          case ir::AnalysisKind::Pss: stepper_ = an::makePss(*session_, a, idx); break;
          case ir::AnalysisKind::Fra: stepper_ = an::makeFra(*session_, a, idx); break;
          case ir::AnalysisKind::Noise: stepper_ = an::makeNoise(*session_, a, idx); break;
          case ir::AnalysisKind::Tf: stepper_ = an::makeTf(*session_, a, idx); break;
        }
        if (auto st = stepper_->start(sink); !st) { failed_ = true; return st.takeError(); }
      }
      auto r = stepper_->step(sink, budget);
      if (!r) {
        failed_ = true;
        session_->writer.flush(sink);  // rows computed before the failure are not lost
        Error e = r.takeError();
        if (e.loc.file.empty()) e.loc = a.loc;
        return e;
      }
      if (!r.value()) return StepState::Running;
      stepper_.reset();
      ++current_;
      if (measures_) session_->stats.measures = measures_->results();
      if (current_ < circuit_.analyses.size()) return StepState::Running;
    }
    return StepState::Done;
  }

  double progress() const override {
    const double n = double(circuit_.analyses.size());
    if (n == 0) return 1.0;
    double p = double(current_);
    if (stepper_) p += stepper_->progress();
    return std::min(1.0, p / n);
  }

  const RunStats& stats() const override { return session_->stats; }
  const ir::Circuit& circuit() const override { return circuit_; }

 private:
  ir::Circuit circuit_;
  SimulationOptions options_;
  std::unique_ptr<an::Session> session_;
  std::size_t current_ = 0;
  std::unique_ptr<an::AnalysisStepper> stepper_;
  std::unique_ptr<MeasureSink> measures_;  // null without .meas
  bool failed_ = false;
};

}  // namespace

Result<std::unique_ptr<Simulation>> Simulation::create(ir::Circuit circuit, const SimulationOptions& options) {
  auto sim = std::make_unique<SimulationImpl>(std::move(circuit), options);
  if (auto st = sim->init(); !st) return st.takeError();
  return std::unique_ptr<Simulation>(std::move(sim));
}

Result<RunStats> simulate(std::string_view netlist, const ir::ParseOptions& parse, SampleSink& sink,
                          const SimulationOptions& options) {
  auto c = ir::parseNetlist(netlist, parse);
  if (!c) return c.takeError();
  auto sim = Simulation::create(std::move(c.value()), options);
  if (!sim) return sim.takeError();
  while (true) {
    auto r = sim.value()->advance(sink, 1 << 16);
    if (!r) return r.takeError();
    if (r.value() == StepState::Done) break;
  }
  return sim.value()->stats();
}

}  // namespace simcore
