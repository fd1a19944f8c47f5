// Embind glue: one JS class, Simulation, wrapping simcore::Simulation.
//
//   const sim = new Module.Simulation();
//   const err = sim.load(netlistText, fileName, options, resolver);  // null or EngineError
//   while (true) {
//     const s = sim.advance(2000);        // {state: 'running' | 'done' | 'error', progress, error?}
//     for (const ev of sim.takeEvents()) ...  // header / chunk / analysisEnd, shaped as in src/protocol.ts
//     if (s.state !== 'running') break;
//   }
//   sim.stats(); sim.delete();
//
// Result files (io/, in memory; the bytes `simcore run` writes):
//   sim.writeTo('csv' | 'json' | 'raw', stem)  // null or EngineError; before the first
//                                        // advance(); from then on takeEvents() stays empty
//   sim.takeFiles()    // files whose analysis ended: [{name, analysis, rows, partial, variant, bytes: Uint8Array}]
//   sim.finishPartial()  // after an error: close the open analysis's file (partial) for takeFiles()
//   Module.writeAnalysis(format, analysis, title)
//       // one analysis held in columns ({analysis, xName, complex, signals, rows, x, re, im}, the
//       // shapes of HeaderEvent + ChunkEvent) -> {bytes: Uint8Array} | {error: EngineError}
//
// options: a JS object or a JSON string {save?: string[], chunkRows?: number,
// params?: {name: number}, maxTimePoints?: number, phaseTimes?: boolean,
// interpolate?: boolean (transient rows on the .tran tstep grid, the engine's dense output)}. resolver (optional):
// (path, fromFile) => {name, text} | {error: message} | null, called
// synchronously for .include/.lib; it must not throw.
//
// Chunk columns are copied once out of wasm memory into fresh Float64Arrays
// while the engine's spans are valid, so the worker can transfer them. Errors
// are values ({code, message, file, line, col}); no C++ exception reaches JS.
#include <emscripten.h>
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cctype>
#include <chrono>
#include <cmath>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "simcore/error_codes.hpp"
#include "simcore/io/writers.hpp"
#include "simcore/circuit_model.hpp"
#include "simcore/describe.hpp"
#include "simcore/measure.hpp"
#include "simcore/simulate.hpp"
#include "static_plugins.hpp"

using emscripten::val;

namespace {

EM_JS(emscripten::EM_VAL, simcore_parse_json, (const char* text), {
  try {
    return Emval.toHandle(JSON.parse(UTF8ToString(text)));
  } catch (e) {
    return Emval.toHandle(undefined);
  }
});

// EngineError.code of src/protocol.ts: the engine's code name in PascalCase
// ("timestep_too_small" -> "TimestepTooSmall"), the form the web app derives
// from simcore.v1.ErrorCode for remote errors too.
std::string protocolCode(simcore::ErrorCode c) {
  std::string out;
  bool upper = true;
  for (const char* p = simcore::errorCodeName(c); *p; ++p) {
    if (*p == '_') {
      upper = true;
    } else {
      out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(*p))) : *p;
      upper = false;
    }
  }
  return out;
}

val errorToJs(const simcore::Error& e) {
  val o = val::object();
  o.set("code", protocolCode(e.code));
  o.set("message", e.message);
  o.set("file", e.loc.file);
  o.set("line", e.loc.line);
  o.set("col", e.loc.col);
  return o;
}

simcore::Error optionError(std::string msg) {
  return simcore::makeError(simcore::ErrorCode::Parse, "bad run options: " + std::move(msg));
}

val bytesToJs(const std::string& b) {
  // new Uint8Array(view) copies out of wasm memory
  return val::global("Uint8Array").new_(emscripten::typed_memory_view(b.size(), reinterpret_cast<const unsigned char*>(b.data())));
}

simcore::Result<simcore::io::Format> textFormat(const std::string& name) {
  auto f = simcore::io::parseFormat(name);
  if (!f || *f == simcore::io::Format::Hdf5)
    return simcore::makeError(simcore::ErrorCode::Semantic, "unknown format '" + name + "' (expected csv, json or raw)");
  return *f;
}

// Collects the sink calls of one advance() as JS event objects.
// The parser's .include resolver from a JS function (path, fromFile) ->
// {name, text} | {error} | null; an empty resolver for undefined/null.
simcore::ir::IncludeResolver includeResolver(val resolver) {
  if (resolver.isUndefined() || resolver.isNull()) return {};
  return [resolver](std::string_view path, std::string_view from) -> simcore::Result<simcore::ir::ResolvedFile> {
    std::string p(path);
    val r = resolver(p, std::string(from));
    if (!r.isUndefined() && !r.isNull() && r.typeOf().as<std::string>() == "object") {
      val text = r["text"];
      if (text.isString()) {
        val name = r["name"];
        return simcore::ir::ResolvedFile{name.isString() ? name.as<std::string>() : p, text.as<std::string>()};
      }
      val err = r["error"];
      if (err.isString()) return simcore::makeError(simcore::ErrorCode::Semantic, err.as<std::string>());
    }
    return simcore::makeError(simcore::ErrorCode::Semantic, "cannot read '" + p + "'");
  };
}

class EventSink final : public simcore::SampleSink {
 public:
  EventSink() : events_(val::array()), float64Array_(val::global("Float64Array")) {}

  void begin(const simcore::AnalysisHeader& h) override {
    index_ = h.index;
    val ev = val::object();
    ev.set("type", std::string("header"));
    ev.set("analysis", std::string(simcore::analysisName(h.type)));
    ev.set("index", h.index);
    ev.set("xName", h.xName);
    ev.set("variant", h.variant);
    ev.set("complex", h.complex);
    val sigs = val::array();
    for (const auto& s : h.signals) {
      val si = val::object();
      si.set("name", s.name);
      si.set("kind", std::string(s.kind == simcore::SignalKind::Voltage ? "voltage" : "current"));
      sigs.call<void>("push", si);
    }
    ev.set("signals", sigs);
    events_.call<void>("push", ev);
  }

  void chunk(const simcore::Chunk& c) override {
    val ev = val::object();
    ev.set("type", std::string("chunk"));
    ev.set("index", index_);
    ev.set("rows", double(c.rows));
    ev.set("x", copy(c.x));
    val re = val::array();
    for (const auto& col : c.re) re.call<void>("push", copy(col));
    val im = val::array();
    for (const auto& col : c.im) im.call<void>("push", copy(col));
    ev.set("re", re);
    ev.set("im", im);
    events_.call<void>("push", ev);
  }

  void end(const simcore::AnalysisSummary& s) override {
    val ev = val::object();
    ev.set("type", std::string("analysisEnd"));
    ev.set("index", index_);
    ev.set("rows", double(s.rows));
    events_.call<void>("push", ev);
  }

  val take() {
    val out = events_;
    events_ = val::array();
    return out;
  }

 private:
  val copy(std::span<const double> s) {
    // new Float64Array(view) copies: the result owns its own ArrayBuffer.
    return float64Array_.new_(emscripten::typed_memory_view(s.size(), s.data()));
  }
  val events_;
  val float64Array_;
  int index_ = 0;
};

class Simulation {
 public:
  // null on success, else an error object.
  val load(std::string netlist, std::string fileName, val options, val resolver) {
    try {
      files_.reset();
      sim_.reset();
      done_ = false;
      error_ = val::null();
      auto r = loadImpl(netlist, std::move(fileName), std::move(options), std::move(resolver));
      if (!r) error_ = errorToJs(r.error());
      return error_;
    } catch (const std::bad_alloc&) {
      error_ = errorToJs(simcore::makeError(simcore::ErrorCode::Limit, "out of memory"));
    } catch (...) {
      error_ = errorToJs(simcore::makeError(simcore::ErrorCode::Internal, "unexpected exception while loading"));
    }
    sim_.reset();
    return error_;
  }

  // Runs until about budgetRows rows were produced. {state, progress, error?}
  val advance(double budgetRows) {
    val out = val::object();
    if (!error_.isNull()) return status("error", out);
    if (!sim_) {
      error_ = errorToJs(simcore::makeError(simcore::ErrorCode::Internal, "advance() before a successful load()"));
      return status("error", out);
    }
    if (done_) return status("done", out);
    std::size_t budget = budgetRows >= 1 ? std::size_t(budgetRows) : 1;
    try {
      simcore::SampleSink& target =
          files_ ? static_cast<simcore::SampleSink&>(*files_) : static_cast<simcore::SampleSink&>(sink_);
      auto r = sim_->advance(target, budget);
      if (!r) error_ = errorToJs(r.error());
      else done_ = r.value() == simcore::StepState::Done;
    } catch (const std::bad_alloc&) {
      error_ = errorToJs(simcore::makeError(simcore::ErrorCode::Limit, "out of memory"));
    } catch (...) {
      error_ = errorToJs(simcore::makeError(simcore::ErrorCode::Internal, "unexpected exception in the simulation"));
    }
    if (!error_.isNull()) return status("error", out);
    return status(done_ ? "done" : "running", out);
  }

  // The header / chunk / analysisEnd events produced since the last call.
  val takeEvents() { return sink_.take(); }

  // Results into files in memory (see the top of this file). null or an error object.
  val writeTo(std::string format, std::string stem) {
    if (!sim_) return errorToJs(simcore::makeError(simcore::ErrorCode::Internal, "writeTo() before a successful load()"));
    auto f = textFormat(format);
    if (!f) return errorToJs(f.error());
    files_ = std::make_unique<simcore::io::FileSink>(simcore::io::FileSink::inMemory(std::move(stem), f.value(), sim_->circuit().title));
    return val::null();
  }

  val takeFiles() {
    val out = val::array();
    if (!files_) return out;
    for (auto& f : files_->takeFinished()) {
      val o = val::object();
      o.set("name", f.path);
      o.set("analysis", f.analysis);
      o.set("rows", double(f.rows));
      o.set("partial", f.partial);
      o.set("variant", f.variant);
      o.set("bytes", bytesToJs(f.bytes));
      out.call<void>("push", o);
    }
    return out;
  }

  void finishPartial() {
    if (files_) files_->finishPartial();
  }

  double progress() const { return sim_ ? sim_->progress() : 0.0; }

  val stats() const {
    val o = val::object();
    if (!sim_) return o;
    const simcore::RunStats& s = sim_->stats();
    o.set("acceptedPoints", double(s.acceptedPoints));
    o.set("rejectedSteps", double(s.rejectedSteps));
    o.set("newtonIterations", double(s.newtonIterations));
    o.set("newtonFailures", double(s.newtonFailures));
    o.set("factorizations", double(s.factorizations));
    o.set("refactorizations", double(s.refactorizations));
    o.set("solves", double(s.solves));
    o.set("events", double(s.events));
    o.set("switchingMode", s.switchingMode);
    o.set("configurations", double(s.configurations));
    o.set("factorCacheHits", double(s.factorCacheHits));
    o.set("unknowns", s.unknowns);
    o.set("nonzeros", s.nonzeros);
    o.set("setupSeconds", s.setupSeconds);
    o.set("loadSeconds", s.loadSeconds);
    o.set("factorSeconds", s.factorSeconds);
    o.set("solveSeconds", s.solveSeconds);
    val ops = val::array();
    for (const auto& st : s.opStrategies) ops.call<void>("push", st);
    o.set("opStrategies", ops);
    val losses = val::array();
    for (const auto& l : s.losses) {
      val e = val::object();
      e.set("device", l.device);
      e.set("conductionLoss", l.conductionLoss);
      e.set("switchingLoss", l.switchingLoss);
      e.set("conductionEnergy", l.conductionEnergy);
      e.set("switchingEnergy", l.switchingEnergy);
      e.set("tjMax", l.tjMax);
      e.set("tjAvg", l.tjAvg);
      e.set("switchingEvents", double(l.switchingEvents));
      losses.call<void>("push", e);
    }
    o.set("losses", losses);
    o.set("lossFrom", s.lossFrom);
    o.set("lossTo", s.lossTo);
    o.set("inputPower", s.inputPower);
    o.set("outputPower", s.outputPower);
    o.set("lossPower", s.lossPower);
    o.set("efficiency", s.efficiency);
    o.set("thermalStep", s.thermalStep);
    val measures = val::array();
    for (const auto& m : s.measures) {
      val e = val::object();
      e.set("name", m.name);
      e.set("ok", m.ok);
      e.set("value", m.value);
      e.set("error", m.error);
      e.set("file", m.loc.file);
      e.set("line", double(m.loc.line));
      e.set("col", double(m.loc.col));
      e.set("text", m.ok ? measureLine(m) : std::string());  // as ngspice (and the native CLI) print it
      measures.call<void>("push", e);
    }
    o.set("measures", measures);
    // .control script output (engine/src/script): text, failed commands, files
    o.set("scriptOutput", s.script.text);
    val scriptErrors = val::array();
    for (const auto& e : s.script.errors) scriptErrors.call<void>("push", e);
    o.set("scriptErrors", scriptErrors);
    val scriptFiles = val::array();
    for (const auto& f : s.script.files) {
      val e = val::object();
      e.set("name", f.name);
      e.set("data", bytesToJs(f.data));
      scriptFiles.call<void>("push", e);
    }
    o.set("scriptFiles", scriptFiles);
    return o;
  }

  // The loaded netlist: {title, devices, warnings: [{code, message, file, line, col}],
  // analyses: [{type, tstep, tstop, tstart, tmax}]} (in netlist order).
  val info() const {
    val o = val::object();
    if (!sim_) return o;
    const auto& c = sim_->circuit();
    o.set("title", c.title);
    o.set("devices", double(c.devices.size()));
    val w = val::array();
    for (const auto& d : c.warnings) w.call<void>("push", errorToJs(simcore::Error{simcore::ErrorCode::Parse, d.message, d.loc}));
    o.set("warnings", w);
    val an = val::array();
    for (const auto& a : c.analyses) {
      static const char* const kKinds[] = {"op", "dc", "ac", "tran"};
      val ai = val::object();
      ai.set("type", std::string(kKinds[int(a.kind)]));
      ai.set("tstep", a.tstep);
      ai.set("tstop", a.tstop);
      ai.set("tstart", a.tstart);
      ai.set("tmax", a.tmax);
      an.call<void>("push", ai);
    }
    o.set("analyses", an);
    return o;
  }

 private:
  val status(const char* state, val& out) {
    out.set("state", std::string(state));
    out.set("progress", progress());
    if (!error_.isNull()) out.set("error", error_);
    return out;
  }

  simcore::Status loadImpl(const std::string& netlist, std::string fileName, val options, val resolver) {
    simcore::ir::ParseOptions po;
    po.fileName = fileName.empty() ? "<netlist>" : std::move(fileName);
    // Device plugins linked in at build time (SIMCORE_WASM_PLUGINS; docs/plugins.md).
    po.plugins = simcore::plugins::staticPlugins();
    po.pluginResolver = simcore::plugins::staticResolver();
    simcore::SimulationOptions so;

    if (options.isString()) {
      options = val::take_ownership(simcore_parse_json(options.as<std::string>().c_str()));
      if (options.isUndefined()) return optionError("not valid JSON");
    }
    if (!options.isUndefined() && !options.isNull()) {
      if (options.typeOf().as<std::string>() != "object") return optionError("expected an object or a JSON string");
      val save = options["save"];
      if (!save.isUndefined() && !save.isNull()) {
        if (!val::global("Array").call<bool>("isArray", save)) return optionError("save must be an array of strings");
        const unsigned n = save["length"].as<unsigned>();
        for (unsigned i = 0; i < n; ++i) {
          val s = save[i];
          if (!s.isString()) return optionError("save must be an array of strings");
          so.save.push_back(s.as<std::string>());
        }
      }
      val rows = options["chunkRows"];
      if (!rows.isUndefined() && !rows.isNull()) {
        if (!rows.isNumber() || !(rows.as<double>() >= 1)) return optionError("chunkRows must be a number >= 1");
        so.chunkRows = std::size_t(rows.as<double>());
      }
      val maxTp = options["maxTimePoints"];
      if (!maxTp.isUndefined() && !maxTp.isNull()) {
        if (!maxTp.isNumber() || !(maxTp.as<double>() >= 0)) return optionError("maxTimePoints must be a number >= 0");
        so.maxTimePoints = std::int64_t(maxTp.as<double>());
      }
      val phase = options["phaseTimes"];
      if (!phase.isUndefined() && !phase.isNull()) {
        if (!phase.isTrue() && !phase.isFalse()) return optionError("phaseTimes must be true or false");
        so.phaseTimes = phase.isTrue();
      }
      val interp = options["interpolate"];
      if (!interp.isUndefined() && !interp.isNull()) {
        if (!interp.isTrue() && !interp.isFalse()) return optionError("interpolate must be true or false");
        so.interpolate = interp.isTrue();
      }
      val params = options["params"];
      if (!params.isUndefined() && !params.isNull()) {
        if (params.typeOf().as<std::string>() != "object") return optionError("params must be an object {name: number}");
        val keys = val::global("Object").call<val>("keys", params);
        const unsigned n = keys["length"].as<unsigned>();
        for (unsigned i = 0; i < n; ++i) {
          std::string k = keys[i].as<std::string>();
          val v = params[k];
          if (!v.isNumber()) return optionError("param '" + k + "' must be a number");
          po.paramOverrides.emplace_back(k, v.as<double>());
        }
      }
    }
    po.resolver = includeResolver(resolver);

    auto circuit = simcore::ir::parseNetlist(netlist, po);
    if (!circuit) return circuit.takeError();
    auto sim = simcore::Simulation::create(std::move(circuit.value()), so);
    if (!sim) return sim.takeError();
    sim_ = std::move(sim.value());
    return simcore::Status::success();
  }

  std::unique_ptr<simcore::Simulation> sim_;
  EventSink sink_;
  std::unique_ptr<simcore::io::FileSink> files_;  // after writeTo()
  bool done_ = false;
  val error_ = val::null();
};

std::string version() { return SIMCORE_VERSION; }

// Every EngineError.code the engine gives, in the engine's order (simcore::kErrorCodes).
val errorCodes() {
  val out = val::array();
  for (simcore::ErrorCode c : simcore::kErrorCodes) out.call<void>("push", protocolCode(c));
  return out;
}

// Module.writeAnalysis(format, analysis, title): see the top of this file.
val writeAnalysis(std::string format, val a, std::string title) {
  val out = val::object();
  try {
    auto f = textFormat(format);
    if (!f) {
      out.set("error", errorToJs(f.error()));
      return out;
    }
    simcore::io::AnalysisColumns cols;
    const std::string kind = a["analysis"].as<std::string>();
    for (auto t : {simcore::AnalysisType::Op, simcore::AnalysisType::Dc, simcore::AnalysisType::Ac, simcore::AnalysisType::Tran, simcore::AnalysisType::Pss, simcore::AnalysisType::Fra, simcore::AnalysisType::Losses, simcore::AnalysisType::Noise, simcore::AnalysisType::NoiseTotal, simcore::AnalysisType::Tf, simcore::AnalysisType::Pz, simcore::AnalysisType::PssSpectrum, simcore::AnalysisType::Sens, simcore::AnalysisType::Sp})
      if (kind == simcore::analysisName(t)) cols.header.type = t;
    cols.header.xName = a["xName"].isString() ? a["xName"].as<std::string>() : "";
    cols.header.complex = a["complex"].isTrue();
    val sigs = a["signals"];
    const unsigned n = sigs["length"].as<unsigned>();
    for (unsigned k = 0; k < n; ++k)
      cols.header.signals.push_back({sigs[k]["name"].as<std::string>(), sigs[k]["kind"].as<std::string>() == "current"
                                                                            ? simcore::SignalKind::Current
                                                                            : simcore::SignalKind::Voltage});
    cols.rows = std::size_t(a["rows"].as<double>());
    std::vector<double> x = cols.header.xName.empty() ? std::vector<double>{}
                                                      : emscripten::convertJSArrayToNumberVector<double>(a["x"]);
    std::vector<std::vector<double>> re, im;
    for (unsigned k = 0; k < n; ++k) {
      re.push_back(emscripten::convertJSArrayToNumberVector<double>(a["re"][k]));
      if (cols.header.complex) im.push_back(emscripten::convertJSArrayToNumberVector<double>(a["im"][k]));
    }
    cols.x = x;
    for (auto& v : re) cols.re.emplace_back(v);
    for (auto& v : im) cols.im.emplace_back(v);
    auto bytes = simcore::io::writeAnalysis(f.value(), cols, title);
    if (!bytes) out.set("error", errorToJs(bytes.error()));
    else out.set("bytes", bytesToJs(bytes.value()));
  } catch (const std::bad_alloc&) {
    out.set("error", errorToJs(simcore::makeError(simcore::ErrorCode::Limit, "out of memory")));
  } catch (...) {
    out.set("error", errorToJs(simcore::makeError(simcore::ErrorCode::Internal, "bad analysis object for writeAnalysis")));
  }
  return out;
}

// describe(netlist, fileName, options, resolver?) -> {description} | {error}:
// the size of a netlist without running it (simcore/describe.hpp), shaped as
// CircuitDescription in src/protocol.ts. options: {params?: {name: number},
// analyses?: string[], tstop?: number} or null; resolver as for load().
val describeNetlist(std::string netlist, std::string fileName, val options, val resolver) {
  val out = val::object();
  try {
    simcore::ir::ParseOptions po;
    po.fileName = fileName.empty() ? "<netlist>" : std::move(fileName);
    po.resolver = includeResolver(resolver);
    po.plugins = simcore::plugins::staticPlugins();
    po.pluginResolver = simcore::plugins::staticResolver();
    simcore::DescribeOptions dopts;
    if (!options.isUndefined() && !options.isNull()) {
      val params = options["params"];
      if (!params.isUndefined() && !params.isNull()) {
        val keys = val::global("Object").call<val>("keys", params);
        for (unsigned i = 0, n = keys["length"].as<unsigned>(); i < n; ++i) {
          std::string k = keys[i].as<std::string>();
          if (!params[k].isNumber()) {
            out.set("error", errorToJs(optionError("param '" + k + "' must be a number")));
            return out;
          }
          po.paramOverrides.emplace_back(k, params[k].as<double>());
        }
      }
      val cards = options["analyses"];
      if (!cards.isUndefined() && !cards.isNull())
        for (unsigned i = 0, n = cards["length"].as<unsigned>(); i < n; ++i)
          dopts.analyses.push_back(cards[i].as<std::string>());
      val tstop = options["tstop"];
      if (tstop.isNumber()) dopts.tstop = tstop.as<double>();
    }
    auto r = simcore::describe(netlist, po, dopts);
    if (!r) {
      out.set("error", errorToJs(r.error()));
      return out;
    }
    const simcore::CircuitDescription& d = r.value();
    val desc = val::object();
    desc.set("title", d.title);
    desc.set("nodes", double(d.nodes));
    desc.set("branches", double(d.branches));
    desc.set("unknowns", double(d.unknowns));
    desc.set("points", double(d.points));
    val devices = val::array();
    for (const auto& k : d.devices) {
      val o = val::object();
      o.set("letter", std::string(1, k.letter));
      o.set("kind", k.kind);
      o.set("count", double(k.count));
      devices.call<void>("push", o);
    }
    desc.set("devices", devices);
    val analyses = val::array();
    for (const auto& a : d.analyses) {
      val o = val::object();
      o.set("type", std::string(simcore::analysisName(a.type)));
      o.set("points", double(a.points));
      analyses.call<void>("push", o);
    }
    desc.set("analyses", analyses);
    out.set("description", desc);
  } catch (const std::bad_alloc&) {
    out.set("error", errorToJs(simcore::makeError(simcore::ErrorCode::Limit, "out of memory")));
  } catch (...) {
    out.set("error", errorToJs(simcore::makeError(simcore::ErrorCode::Internal, "unexpected exception in describe")));
  }
  return out;
}

// convert(text, to, fileName) -> {text} | {error}: a netlist to the JSON
// circuit model (to "json") or a model to its netlist (to "spice")
// (simcore/circuit_model.hpp; errors: netlist line/column, or the model's
// JSON Pointer at the start of the message).
val convertCircuit(std::string text, std::string to, std::string fileName) {
  val out = val::object();
  try {
    simcore::model::ConvertOptions co;
    co.fileName = fileName.empty() ? "<netlist>" : std::move(fileName);
    co.indent = -1;
    auto r = to == "json" ? simcore::model::netlistToJson(text, co) : simcore::model::jsonToNetlist(text, co);
    if (!r) out.set("error", errorToJs(r.error()));
    else out.set("text", r.value());
  } catch (const std::bad_alloc&) {
    out.set("error", errorToJs(simcore::makeError(simcore::ErrorCode::Limit, "out of memory")));
  } catch (...) {
    out.set("error", errorToJs(simcore::makeError(simcore::ErrorCode::Internal, "unexpected exception in convert")));
  }
  return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(simcore) {
  emscripten::function("version", &version);
  emscripten::function("errorCodes", &errorCodes);
  emscripten::function("writeAnalysis", &writeAnalysis);
  emscripten::function("describe", &describeNetlist);
  emscripten::function("convert", &convertCircuit);
  emscripten::class_<Simulation>("Simulation")
      .constructor<>()
      .function("load", &Simulation::load)
      .function("advance", &Simulation::advance)
      .function("takeEvents", &Simulation::takeEvents)
      .function("writeTo", &Simulation::writeTo)
      .function("takeFiles", &Simulation::takeFiles)
      .function("finishPartial", &Simulation::finishPartial)
      .function("progress", &Simulation::progress)
      .function("stats", &Simulation::stats)
      .function("info", &Simulation::info);
}
