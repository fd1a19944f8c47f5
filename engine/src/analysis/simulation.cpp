// Simulation: runs the netlist's analyses in order, each a resumable stepper.
#include <chrono>
#include <map>
#include <optional>

#include "analysis/dc_rebuild.hpp"
#include "analysis/session.hpp"
#include "analysis/tran.hpp"
#include "script/runner.hpp"
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
    case AnalysisType::PssSpectrum: return "pss_spectrum";
    case AnalysisType::Sens: return "sens";
    case AnalysisType::Sp: return "sp";
    case AnalysisType::Tf: return "tf";
    case AnalysisType::Pz: return "pz";
  }
  return "?";
}

namespace {

// Sets the variant label on every header on the way to the caller's sink.
class LabelSink final : public SampleSink {
 public:
  SampleSink* inner = nullptr;
  std::string label;
  void begin(const AnalysisHeader& header) override {
    if (label.empty()) return inner->begin(header);
    AnalysisHeader h = header;
    h.variant = label;
    inner->begin(h);
  }
  void chunk(const Chunk& c) override { inner->chunk(c); }
  void end(const AnalysisSummary& s) override { inner->end(s); }
};

class SimulationImpl final : public Simulation {
 public:
  SimulationImpl(ir::Circuit c, const SimulationOptions& o) : circuit_(std::move(c)), options_(o) {}

  Status init() {
    // a deck whose .control script computes without an analysis (let, echo, print) runs the script only
    const bool scriptOnly = circuit_.analyses.empty() && !circuit_.script.empty();
    if (circuit_.analyses.empty() && !scriptOnly && circuit_.checkOnly) {
      // read and checked: the session's topology checks run, no analysis does
      for (const auto& v : circuit_.variants)
        if (auto st = checkVariant(v); !st) return st;
      return switchTo(-1);
    }
    if (circuit_.analyses.empty() && !scriptOnly)
      return makeError(ErrorCode::Semantic, "the netlist has no analysis card: add .op, .dc, .ac or .tran",
                       SourceLoc{circuit_.fileName, 1, 0});
    if (scriptOnly) {
      if (auto st = switchTo(-1); !st) return st;
      script_ = std::make_unique<script::ScriptSink>(circuit_);
      return {};
    }
    for (const auto& a : circuit_.analyses) {
      if (a.kind == ir::AnalysisKind::Tran && hints_.tstop == 0) hints_ = {a.tstep, a.tstop};
      if ((a.kind == ir::AnalysisKind::Pss || a.kind == ir::AnalysisKind::Fra) && hints_.tstop == 0 && a.period > 0)
        hints_ = {a.period / 200.0, a.period * (a.tsettle >= 0 ? std::ceil(a.tsettle / a.period) + 1 : 11.0)};
      runsAc_ = runsAc_ || a.kind == ir::AnalysisKind::Ac;
      needOp_ = needOp_ || !((a.kind == ir::AnalysisKind::Tran || (a.kind == ir::AnalysisKind::Pss && a.oscillator)) && a.uic);
      // an operating point other than a transient's initial one: .ic does not pin its nodes there
      opWithoutIc_ = opWithoutIc_ || a.kind != ir::AnalysisKind::Tran;
      loopsMayOpen_ = loopsMayOpen_ && (a.kind == ir::AnalysisKind::Tran || a.kind == ir::AnalysisKind::Ac ||
                                        a.kind == ir::AnalysisKind::Noise);
      if (a.variant < -1 || a.variant >= int(circuit_.variants.size()))
        return makeError(ErrorCode::Internal, "an analysis refers to circuit variant " + std::to_string(a.variant) + " of " +
                                                  std::to_string(circuit_.variants.size()), a.loc);
    }
    for (const auto& v : circuit_.variants)
      if (auto st = checkVariant(v); !st) return st;
    // the session of the first analysis's circuit
    if (auto st = switchTo(circuit_.analyses.front().variant); !st) return st;
    if (!circuit_.measures.empty()) {
      for (const auto& a : circuit_.analyses) {
        if (measures_.count(a.variant) || a.resumes >= 0) continue;  // (a resumed run: its first part's)
        measures_[a.variant] = std::make_unique<MeasureSink>(&label_, circuit_.measures);
        measureOrder_.push_back(a.variant);
      }
      session_->stats.measures = measureResults();
    }
    if (!circuit_.script.empty()) script_ = std::make_unique<script::ScriptSink>(circuit_);
    return {};
  }

  Result<StepState> advance(SampleSink& caller, std::size_t budget) override {
    if (failed_) return makeError(ErrorCode::Internal, "advance() called after a failure");
    label_.inner = &caller;
    if (circuit_.analyses.empty()) {
      if (script_) {
        script_->runWithoutAnalyses();
        session_->stats.script = script_->output();
      }
      return StepState::Done;
    }
    while (current_ < circuit_.analyses.size()) {
      const ir::Analysis& a = circuit_.analyses[current_];
      // (a transient that `resume` continues: the analysis its first part began)
      const std::size_t part1 = firstPart(current_);
      const int measureVariant = circuit_.analyses[part1].variant;
      // .meas: the measure sink (of the analysis's variant) keeps the columns
      // its measures read on the way to the caller's sink
      SampleSink& measured = measures_.empty() ? static_cast<SampleSink&>(label_) : *measures_.at(measureVariant);
      // .control statements between analyses (script/runner.cpp) see every chunk first,
      // but for .options autostop, which ends the transient at a row the measures find
      const bool autostop = !measures_.empty() && a.kind == ir::AnalysisKind::Tran && session_->opt().autostop;
      SampleSink* first = &measured;
      if (script_ && autostop) {
        script_->setInner(&label_);
        measures_.at(measureVariant)->setInner(script_.get());
      } else {
        if (!measures_.empty()) measures_.at(measureVariant)->setInner(&label_);
        if (script_) script_->setInner(&measured);
        if (script_) first = script_.get();
      }
      if (!measures_.empty()) measures_.at(measureVariant)->setAutostop(autostop);
      SampleSink& sink = *first;
      if (!stepper_) {
        // a variant the script's run-time alters make: the statements before the analysis have run
        const bool live = a.variant >= 0 && circuit_.variants[std::size_t(a.variant)].liveFrom >= 0 && script_;
        if (live) script_->start();
        if (a.variant != sessionVariant_ || (live && script_->liveGeneration() != sessionGeneration_))
          if (auto st = switchTo(a.variant); !st) {
            failed_ = true;
            return st.takeError();
          }
        const int fv = circuit_.analyses[part1].variant;
        label_.label = fv >= 0 ? circuit_.variants[std::size_t(fv)].label : std::string();
        int idx = int(current_);
        if (a.resumes >= 0) {
          // `resume`: the paused transient goes on (one analysis: no new header)
          if (!pause_ || a.kind != ir::AnalysisKind::Tran) {
            failed_ = true;
            return makeError(ErrorCode::Internal, "resume without a paused transient", a.loc);
          }
          auto tran = std::make_unique<an::TranStepper>(*session_, a, int(part1));
          session_->stopFlag = autostop ? measures_.at(measureVariant)->stopFlag() : nullptr;
          auto resumed = tran->resume(*pause_);
          pause_.reset();
          session_->warnings.moveTo(circuit_.warnings);
          if (!resumed) { failed_ = true; return resumed.takeError(); }
          if (script_) script_->resumed(int(current_));
          stepper_ = std::move(tran);
        }
        if (!stepper_) switch (a.kind) {
          case ir::AnalysisKind::Op: stepper_ = an::makeOp(*session_, a, idx); break;
          case ir::AnalysisKind::Dc:
            stepper_ = an::needsRebuild(a) ? an::makeRebuildDc(*session_, a, idx) : an::makeDc(*session_, a, idx);
            break;
          case ir::AnalysisKind::Ac: stepper_ = an::makeAc(*session_, a, idx); break;
          case ir::AnalysisKind::Tran: stepper_ = an::makeTran(*session_, a, idx); break;
          case ir::AnalysisKind::Pss: stepper_ = an::makePss(*session_, a, idx); break;
          case ir::AnalysisKind::Fra: stepper_ = an::makeFra(*session_, a, idx); break;
          case ir::AnalysisKind::Noise: stepper_ = an::makeNoise(*session_, a, idx); break;
          case ir::AnalysisKind::Tf: stepper_ = an::makeTf(*session_, a, idx); break;
          case ir::AnalysisKind::Pz: stepper_ = an::makePz(*session_, a, idx); break;
          case ir::AnalysisKind::Sens: stepper_ = an::makeSens(*session_, a, idx); break;
          case ir::AnalysisKind::Sp: stepper_ = an::makeSp(*session_, a, idx); break;
        }
        if (a.resumes < 0) {
          session_->stopFlag = autostop ? measures_.at(measureVariant)->stopFlag() : nullptr;
          auto started = stepper_->start(sink);
          session_->warnings.moveTo(circuit_.warnings);
          if (!started) { failed_ = true; return started.takeError(); }
        }
      }
      auto r = stepper_->step(sink, budget);
      session_->warnings.moveTo(circuit_.warnings);
      if (!r) {
        failed_ = true;
        session_->writer.flush(sink);  // rows computed before the failure are not lost
        Error e = r.takeError();
        if (e.loc.file.empty()) e.loc = a.loc;
        if (!label_.label.empty()) e.message += " (circuit variant " + label_.label + ")";
        return e;
      }
      if (!r.value()) {
        // the script's limit reached in the middle of an analysis (it keeps more values than it
        // may): the run stops now, not after the rest of the analysis (a 120 ms converter deck
        // ran 4.6 minutes more to say so)
        if (script_ && !script_->status().ok()) {
          failed_ = true;
          session_->writer.flush(sink);
          session_->stats.script = script_->output();
          return Error(script_->status().error());
        }
        return StepState::Running;
      }
      if (auto* tran = dynamic_cast<an::TranStepper*>(stepper_.get()); tran && tran->paused()) {
        // `stop when time = T`: the statements up to `resume` run now; the next analysis
        // continues the run, or (none resumes it) it ends here
        const bool resumedNext = current_ + 1 < circuit_.analyses.size() &&
                                 circuit_.analyses[current_ + 1].resumes == int(current_);
        if (resumedNext) {
          pause_ = tran->pause();
          if (script_) script_->paused(int(current_));
        } else {
          tran->endPaused(sink);
        }
        session_->warnings.moveTo(circuit_.warnings);
      }
      stepper_.reset();
      ++current_;
      if (!measures_.empty()) session_->stats.measures = measureResults();
      if (script_) {
        session_->stats.script = script_->output();
        if (!script_->status().ok()) { failed_ = true; return Error(script_->status().error()); }
      }
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
  // A variant changes values only: the circuit's devices with the same nodes.
  Status checkVariant(const ir::Variant& v) const {
    if (v.devices.size() != circuit_.devices.size())
      return makeError(ErrorCode::Semantic, "circuit variant " + v.label + " has " + std::to_string(v.devices.size()) +
                                                " devices, the circuit " + std::to_string(circuit_.devices.size()) +
                                                ": a variant may change values only", v.loc);
    for (std::size_t i = 0; i < v.devices.size(); ++i) {
      const ir::Device& a = circuit_.devices[i];
      const ir::Device& b = v.devices[i];
      if (a.name != b.name || a.nodes != b.nodes)
        return makeError(ErrorCode::Semantic, "circuit variant " + v.label + " changes device '" + a.name +
                                                  "' (its name or nodes): a variant may change values only", v.loc);
    }
    return {};
  }

  // A copy of the circuit for one session, without what a session never reads: the variants
  // (a session runs one), the .control script, the measures and the warnings. A script that
  // alters and runs in a loop makes a variant and an analysis per pass, and a `.step` of N
  // points N of each; copying the script, the variants and the analyses each time made such
  // runs quadratic (2,000 `alter` + `dc` passes: 5.7 s). The model reads the analyses from
  // the circuit itself (CircuitModel::build's third argument).
  // With devices and models also left out when the caller puts a variant's in.
  std::unique_ptr<ir::Circuit> sessionCopy(bool withDevices) {
    ir::Circuit shell;
    auto swapOut = [&] {
      std::swap(shell.variants, circuit_.variants);
      std::swap(shell.script, circuit_.script);
      std::swap(shell.measures, circuit_.measures);
      std::swap(shell.warnings, circuit_.warnings);
      std::swap(shell.analyses, circuit_.analyses);
      if (!withDevices) {
        std::swap(shell.devices, circuit_.devices);
        std::swap(shell.models, circuit_.models);
      }
    };
    swapOut();
    auto out = std::make_unique<ir::Circuit>(circuit_);
    swapOut();
    return out;
  }

  // A copy of the circuit to add floating-node shunts to.
  std::unique_ptr<ir::Circuit> copyForShunts() { return sessionCopy(true); }

  // The session of circuit variant v (-1: the circuit itself). Statistics carry over.
  Status switchTo(int v) {
    auto t0 = std::chrono::steady_clock::now();
    std::unique_ptr<ir::Circuit> own;
    const ir::Circuit* c = &circuit_;
    if (v >= 0) {
      const ir::Variant* pick = &circuit_.variants[std::size_t(v)];
      if (pick->liveFrom >= 0 && script_)
        if (const ir::Variant* l = script_->liveVariant(pick->liveFrom)) pick = l;
      const ir::Variant& var = *pick;
      // the circuit's other parts (saves, thermal network, ...) with the variant's values
      own = sessionCopy(false);
      own->devices = var.devices;
      own->models = var.models;
      own->options = var.options;
      own->ic = var.ic;
      own->nodeset = var.nodeset;
      c = own.get();
    }
    auto where = [&](Error e) {
      if (v >= 0) {
        e.message = "circuit variant " + circuit_.variants[std::size_t(v)].label + ": " + e.message;
        if (e.loc.file.empty()) e.loc = circuit_.variants[std::size_t(v)].loc;
      }
      return e;
    };
    auto model = an::CircuitModel::build(*c, hints_, &circuit_.analyses);
    if (!model) return where(model.takeError());
    if (auto st = model.value()->checkUnknownLimit(options_.maxUnknowns); !st) return where(st.takeError());
    if (needOp_) {
      std::vector<an::CircuitModel::FloatingGroup> floating;
      // inductors that close loops of voltage sources: open at the operating point of
      // a transient (the circuit switched on at t = 0), an .ac or a .noise (whose small
      // signals see the inductor's jwL, whatever its DC current), each round opening at
      // least one; a loop of sources alone is the error. .op, .dc, .tf, .sens and .pz
      // report or use a DC solution, which such a loop has not: the error stays there.
      bool anyOpened = false;
      for (int round = 0;; ++round) {
        std::vector<const ir::Device*> opened;
        const bool mayOpen = loopsMayOpen_ && round < 64;
        if (auto st = model.value()->checkTopology(!opWithoutIc_, &floating, mayOpen ? &opened : nullptr); !st)
          return where(st.takeError());
        if (opened.empty()) break;
        if (!own) own = copyForShunts();
        model.value()->openAtDc(opened, *own, loopsWarned_ ? nullptr : &circuit_.warnings);
        anyOpened = true;
        c = own.get();
        model = an::CircuitModel::build(*c, hints_, &circuit_.analyses);
        if (!model) return where(model.takeError());
        floating.clear();
      }
      loopsWarned_ = loopsWarned_ || anyOpened;
      if (!floating.empty()) {
        for (const auto& g : floating)
          if (!g.capacitive && g.acDriven && runsAc_) return where(model.value()->floatingAcError(g));
        if (!own) own = copyForShunts();
        model.value()->tieFloating(floating, *own, floatingWarned_ ? nullptr : &circuit_.warnings);
        floatingWarned_ = true;
        c = own.get();
        model = an::CircuitModel::build(*c, hints_, &circuit_.analyses);
        if (!model) return where(model.takeError());
        // (a node the shunts cannot reach, a device's internal node, still floats: an error)
        if (auto st = model.value()->checkTopology(!opWithoutIc_); !st) return where(st.takeError());
      }
    }
    auto session = std::make_unique<an::Session>(std::move(model.value()), options_);
    auto outs = session->model->outputs(options_.save);
    if (!outs) return where(outs.takeError());
    session->setOutputs(std::move(outs.value()));
    if (session_) {
      // every variant has the first one's output signals (the results' columns)
      bool same = session->outputs.size() == session_->outputs.size();
      for (std::size_t k = 0; same && k < session->outputs.size(); ++k)
        same = session->outputs[k].info.name == session_->outputs[k].info.name;
      if (!same)
        return where(makeError(ErrorCode::Semantic, "its output signals differ from the circuit's (" +
                                                        std::to_string(session->outputs.size()) + " instead of " +
                                                        std::to_string(session_->outputs.size()) + ")"));
      session->stats = std::move(session_->stats);
      session->warnings = std::move(session_->warnings);
    }
    session->stats.unknowns = std::max(session->stats.unknowns, session->model->unknowns());
    session->stats.nonzeros = std::max(session->stats.nonzeros, session->model->pattern().nnz());
    session->stats.setupSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    stepper_.reset();
    session_ = std::move(session);
    sessionCircuit_ = std::move(own);
    sessionVariant_ = v;
    sessionGeneration_ = script_ ? script_->liveGeneration() : 0;
    return {};
  }

  // Each variant's measures, in the order the variants first run; a
  // variant's results are named "name[label]".
  std::vector<MeasureResult> measureResults() const {
    std::vector<MeasureResult> out;
    for (int v : measureOrder_) {
      for (MeasureResult r : measures_.at(v)->results()) {
        if (v >= 0 && !circuit_.variants[std::size_t(v)].label.empty())
          r.name += "[" + circuit_.variants[std::size_t(v)].label + "]";
        out.push_back(std::move(r));
      }
    }
    return out;
  }

  // The analysis whose run analysis k continues (k itself unless it resumes one).
  std::size_t firstPart(std::size_t k) const {
    while (k < circuit_.analyses.size() && circuit_.analyses[k].resumes >= 0 &&
           std::size_t(circuit_.analyses[k].resumes) < k)
      k = std::size_t(circuit_.analyses[k].resumes);
    return k;
  }

  ir::Circuit circuit_;
  SimulationOptions options_;
  std::optional<an::TranStepper::Pause> pause_;  // a paused transient's state, for the analysis that resumes it
  dev::TranHints hints_;
  bool loopsMayOpen_ = true;  // every analysis is a .tran, .ac or .noise (CircuitModel::openAtDc)
  bool loopsWarned_ = false;  // the inductors opened at DC were warned about (once for all variants, as floatingWarned_)
  bool needOp_ = false;
  bool opWithoutIc_ = false;  // an analysis whose operating point .ic does not pin (not a transient's)
  bool runsAc_ = false;          // the deck has an .ac analysis
  bool floatingWarned_ = false;  // the floating groups' warnings are in circuit_.warnings (once for all variants)
  // the session of the current variant, and the circuit it runs (null for the circuit itself)
  std::unique_ptr<an::Session> session_;
  std::unique_ptr<ir::Circuit> sessionCircuit_;
  int sessionVariant_ = -1;
  std::uint64_t sessionGeneration_ = 0;  // the script's liveGeneration() when the session was made
  std::size_t current_ = 0;
  std::unique_ptr<an::AnalysisStepper> stepper_;
  LabelSink label_;
  std::map<int, std::unique_ptr<MeasureSink>> measures_;  // by variant; empty without .meas
  std::vector<int> measureOrder_;
  std::unique_ptr<script::ScriptSink> script_;  // null without .control statements or .four
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
