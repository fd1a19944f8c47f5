// CoSimulation: the netlist's first .tran driven to communication points
// (simcore/cosim.hpp). Rows of the transient are not kept: a sink that drops
// them stands in for the front end's.
#include "simcore/cosim.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "analysis/session.hpp"
#include "analysis/tran.hpp"
#include "devices/waveform.hpp"

namespace simcore {

namespace {

class DropSink final : public SampleSink {
 public:
  void begin(const AnalysisHeader&) override {}
  void chunk(const Chunk&) override {}
  void end(const AnalysisSummary&) override {}
};

std::string lowerCase(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string fmtTime(double t) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.9g s", t);
  return buf;
}

class CoSimulationImpl final : public CoSimulation {
 public:
  CoSimulationImpl(ir::Circuit c, const SimulationOptions& o) : circuit_(std::move(c)), options_(o) {}

  Status init(const CoSimSetup& setup) {
    const SourceLoc top{circuit_.fileName, 1, 0};
    auto tran = std::find_if(circuit_.analyses.begin(), circuit_.analyses.end(),
                             [](const ir::Analysis& a) { return a.kind == ir::AnalysisKind::Tran; });
    if (tran == circuit_.analyses.end())
      return makeError(ErrorCode::Semantic, "the netlist has no .tran card: co-simulation runs its transient", top);
    analysis_ = *tran;
    if (setup.tstop > 0) {
      analysis_.tstop = setup.tstop;
      if (analysis_.tstart >= analysis_.tstop) analysis_.tstart = 0;
    }
    if (!(analysis_.tstop > 0) || !(analysis_.tstep > 0))
      return makeError(ErrorCode::Semantic, ".tran needs tstep > 0 and tstop > 0", analysis_.loc);
    if (circuit_.devices.empty()) return makeError(ErrorCode::Semantic, "the netlist has no devices", top);
    const dev::TranHints hints{analysis_.tstep, analysis_.tstop};
    // inputs: the source's value at t = 0 replaces its time function
    for (const auto& name : setup.inputs) {
      const std::string key = lowerCase(name);
      auto d = std::find_if(circuit_.devices.begin(), circuit_.devices.end(),
                            [&](const ir::Device& x) { return x.name == key; });
      if (d == circuit_.devices.end() || (d->letter != 'v' && d->letter != 'i'))
        return makeError(ErrorCode::Semantic,
                         "input '" + name + "' is not an independent V or I source of the circuit", top);
      if (std::any_of(inputs_.begin(), inputs_.end(), [&](const CoSimInput& in) { return in.source == key; }))
        return makeError(ErrorCode::Semantic, "input '" + name + "' is named twice", top);
      double start = d->source.hasDc ? d->source.dc : d->value.value_or(0.0);
      if (d->source.wave.kind != ir::WaveKind::None) {
        auto fn = dev::SourceFunction::make(d->source.wave, hints, d->name);
        if (!fn) return fn.takeError();
        start = fn.value().value(0.0);
        d->source.wave = ir::Waveform{};
      }
      d->source.dc = start;
      d->source.hasDc = true;
      inputs_.push_back(CoSimInput{key, d->letter == 'v' ? SignalKind::Voltage : SignalKind::Current, start});
      values_.push_back(start);
    }
    auto model = an::CircuitModel::build(circuit_, hints);
    if (!model) return model.takeError();
    if (auto st = model.value()->checkUnknownLimit(options_.maxUnknowns); !st) return st;
    if (!analysis_.uic) {
      // floating groups tied to ground through gmin, warned, as in a simulation
      std::vector<an::CircuitModel::FloatingGroup> floating;
      if (auto st = model.value()->checkTopology(/*icPins=*/true, &floating); !st) return st;
      if (!floating.empty()) {
        model.value()->tieFloating(floating, circuit_, &circuit_.warnings);
        model = an::CircuitModel::build(circuit_, hints);
        if (!model) return model.takeError();
        if (auto st = model.value()->checkTopology(/*icPins=*/true); !st) return st;
      }
    }
    session_ = std::make_unique<an::Session>(std::move(model.value()), options_);
    auto outs = session_->model->outputs(setup.outputs);
    if (!outs) return outs.takeError();
    session_->setOutputs(std::move(outs.value()));
    for (const auto& o : session_->outputs)
      if (o.deviceQuantity())
        return makeError(ErrorCode::Semantic, "'" + o.info.name + "': device quantities are not available as co-simulation outputs");
    for (const auto& o : session_->outputs) outputs_.push_back(o.info);
    session_->stats.unknowns = session_->model->unknowns();
    session_->stats.nonzeros = session_->model->pattern().nnz();
    for (const auto& in : inputs_) refs_.push_back(session_->model->findDevice(in.source));
    row_.assign(std::size_t(session_->model->unknowns()) + 1, 0.0);
    // index -1: no steady-state stop and no loss meter (a run the importer ends)
    tran_ = std::make_unique<an::TranStepper>(*session_, analysis_, -1);
    return {};
  }

  const std::vector<ir::Diagnostic>& warnings() const override { return circuit_.warnings; }
  const std::vector<CoSimInput>& inputs() const override { return inputs_; }
  const std::vector<SignalInfo>& outputs() const override { return outputs_; }

  Status setInput(std::size_t k, double value) override {
    if (k >= inputs_.size()) return makeError(ErrorCode::Internal, "no input " + std::to_string(k));
    if (!std::isfinite(value))
      return makeError(ErrorCode::Semantic, "input '" + inputs_[k].source + "' set to a value that is not finite");
    if (value == values_[k]) return {};
    values_[k] = value;
    if (!started_) apply();
    else changed_ = true;
    return {};
  }
  double input(std::size_t k) const override { return k < values_.size() ? values_[k] : 0.0; }

  Status start() override {
    if (started_) return {};
    if (auto st = usable(); !st) return st;
    if (auto st = tran_->start(sink_); !st) return fail(st.takeError());
    started_ = true;
    auto r = tran_->advanceTo(sink_, 0.0);
    if (!r) return fail(r.takeError());
    session_->warnings.moveTo(circuit_.warnings);
    return {};
  }

  Status advanceTo(double t) override {
    if (!started_)
      if (auto st = start(); !st) return st;
    if (auto st = usable(); !st) return st;
    const double tstop = analysis_.tstop;
    if (!(t >= time_) || t > tstop * (1 + 1e-12))
      return makeError(ErrorCode::Semantic, "cannot advance from t = " + fmtTime(time_) + " to t = " + fmtTime(t) +
                                                " (the run ends at " + fmtTime(tstop) + ")");
    if (changed_) {
      changed_ = false;
      if (auto st = tran_->jumpAt(sink_, time_, [this] { apply(); }); !st) return fail(st.takeError());
    }
    auto r = tran_->advanceTo(sink_, std::min(t, tstop));
    if (!r) return fail(r.takeError());
    session_->warnings.moveTo(circuit_.warnings);
    time_ = t;
    return {};
  }

  double time() const override { return time_; }
  double stopTime() const override { return analysis_.tstop; }

  void outputValues(double* out) const override {
    tran_->valueAt(time_, row_.data());
    for (std::size_t k = 0; k < session_->outputs.size(); ++k) out[k] = row_[std::size_t(session_->outputs[k].unknown)];
  }
  const RunStats& stats() const override { return session_->stats; }

 private:
  void apply() {
    for (std::size_t k = 0; k < refs_.size(); ++k)
      session_->model->groups()[std::size_t(refs_[k].group)]->setDcValue(std::size_t(refs_[k].index), values_[k]);
  }
  Status usable() const {
    if (failed_) return makeError(failure_.code, "the simulation failed earlier: " + failure_.message, failure_.loc);
    return {};
  }
  Error fail(Error e) {
    session_->warnings.moveTo(circuit_.warnings);
    if (e.loc.file.empty()) e.loc = analysis_.loc;
    failed_ = true;
    failure_ = e;
    return e;
  }

  ir::Circuit circuit_;  // (the model points into it)
  SimulationOptions options_;
  ir::Analysis analysis_;
  std::unique_ptr<an::Session> session_;
  std::unique_ptr<an::TranStepper> tran_;
  DropSink sink_;
  std::vector<CoSimInput> inputs_;
  std::vector<an::DeviceRef> refs_;
  std::vector<double> values_;
  std::vector<SignalInfo> outputs_;
  mutable std::vector<double> row_;
  double time_ = 0;
  bool started_ = false, changed_ = false, failed_ = false;
  Error failure_;
};

}  // namespace

Result<std::unique_ptr<CoSimulation>> CoSimulation::create(ir::Circuit circuit, const CoSimSetup& setup,
                                                           const SimulationOptions& options) {
  auto cs = std::make_unique<CoSimulationImpl>(std::move(circuit), options);
  if (auto st = cs->init(setup); !st) return st.takeError();
  return std::unique_ptr<CoSimulation>(std::move(cs));
}

}  // namespace simcore
