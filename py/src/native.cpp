// simcore._native: the thin nanobind adapter over the engine API.
//
//   run(text, file_name, resolver, save, params, max_points, chunk_rows, slice_rows, cancel) -> dict
//   Simulation(...): the same run, resumable: step(max_rows) -> events (see below)
//
// Parses the netlist, creates the Simulation and drives advance() in slices
// with the GIL released, collecting every analysis in columns. Between slices
// the GIL is taken back briefly to check for signals (Ctrl-C) and the optional
// cancel object (anything with is_set(), e.g. threading.Event); either sets the
// engine's cancel flag. Engine errors (values) become simcore.SimulationError
// subclasses built by simcore._errors.from_native; no C++ exception leaves here.
//
// Returned dict:
//   title: str, file: str, warnings: [ {message, file, line, col} ],
//   analyses: [ {type: "tran"|"ac"|"dc"|"op", x_name: str, x: float64[n] | None,
//                signals: [str], kinds: ["voltage"|"current"], values: [float64[n] | complex128[n]],
//                complex: bool} ],
//   stats: {accepted_points, ..., unknowns, nonzeros, op_strategies, wall_seconds}
//
//   write_analysis(format, kind, x_name, complex, signals, kinds, x, re, im, rows, title) -> bytes
//
// One analysis held in columns, as the file `simcore run` writes for it
// (io/: "csv", "json" or "raw"); re/im are float64 arrays per signal (im only
// when complex). A bad argument raises ValueError.
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/map.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <atomic>
#include <chrono>
#include <complex>
#include <optional>
#include <map>
#include <string>
#include <vector>

#include "common/thread_pool.hpp"
#include "plugin_loader.hpp"
#include "simcore/circuit_model.hpp"
#include "simcore/error_codes.hpp"
#include "simcore/io/model_library.hpp"
#include "simcore/io/parquet_layout.hpp"
#include "simcore/io/writers.hpp"
#include "simcore/describe.hpp"
#include "simcore/simulate.hpp"

namespace nb = nanobind;
using namespace simcore;

namespace {

struct Collected {
  AnalysisHeader header;
  std::vector<double> x;
  std::vector<std::vector<double>> re, im;
};

// Keeps every row in memory: the Python Result is the whole run.
class CollectSink final : public SampleSink {
 public:
  std::vector<Collected> analyses;

  void begin(const AnalysisHeader& h) override {
    auto& a = analyses.emplace_back();
    a.header = h;
    a.re.resize(h.signals.size());
    if (h.complex) a.im.resize(h.signals.size());
  }
  void chunk(const Chunk& c) override {
    auto& a = analyses.back();
    a.x.insert(a.x.end(), c.x.begin(), c.x.end());
    for (std::size_t k = 0; k < c.re.size() && k < a.re.size(); ++k)
      a.re[k].insert(a.re[k].end(), c.re[k].begin(), c.re[k].end());
    for (std::size_t k = 0; k < c.im.size() && k < a.im.size(); ++k)
      a.im[k].insert(a.im[k].end(), c.im[k].begin(), c.im[k].end());
  }
  void end(const AnalysisSummary&) override {}
};

// A 1-D numpy array that owns the vector's storage (no copy).
template <class T>
nb::object toNumpy(std::vector<T>&& v) {
  auto* owned = new std::vector<T>(std::move(v));
  nb::capsule owner(owned, [](void* p) noexcept { delete static_cast<std::vector<T>*>(p); });
  std::size_t shape[1] = {owned->size()};
  return nb::cast(nb::ndarray<nb::numpy, T, nb::ndim<1>>(owned->data(), 1, shape, owner));
}

// Sets the Python error from an engine Error and throws nb::python_error.
[[noreturn]] void raiseError(const Error& e) {
  nb::object make = nb::module_::import_("simcore._errors").attr("from_native");
  nb::object exc = make(errorCodeName(e.code), e.message, e.loc.file, e.loc.line, e.loc.col, e.format());
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
  throw nb::python_error();
}

// Calls the Python resolver (path, from_file) -> str | (name, str) with the GIL
// held; any Python exception becomes an engine Error (reported at the card).
Result<ir::ResolvedFile> callResolver(PyObject* resolver, std::string_view path, std::string_view from) {
  nb::gil_scoped_acquire gil;
  try {
    nb::handle fn(resolver);
    nb::object r = fn(nb::str(path.data(), path.size()), nb::str(from.data(), from.size()));
    if (nb::isinstance<nb::str>(r)) return ir::ResolvedFile{std::string(path), nb::cast<std::string>(r)};
    auto pair = nb::cast<std::pair<std::string, std::string>>(r);
    return ir::ResolvedFile{std::move(pair.first), std::move(pair.second)};
  } catch (nb::python_error& e) {
    std::string msg = "cannot include '" + std::string(path) + "': " +
                      nb::cast<std::string>(nb::str(e.value()));
    return makeError(ErrorCode::Semantic, std::move(msg));
  } catch (const std::exception& e) {
    return makeError(ErrorCode::Semantic,
                     "cannot include '" + std::string(path) + "': the resolver must return str or (name, str)");
  }
}

nb::dict statsDict(const RunStats& s, double wall) {
  nb::dict d;
  d["accepted_points"] = s.acceptedPoints;
  d["rejected_steps"] = s.rejectedSteps;
  d["newton_iterations"] = s.newtonIterations;
  d["newton_failures"] = s.newtonFailures;
  d["damped_rings"] = s.dampedRings;
  d["factorizations"] = s.factorizations;
  d["refactorizations"] = s.refactorizations;
  d["solves"] = s.solves;
  d["events"] = s.events;
  d["switching_mode"] = s.switchingMode;
  d["configurations"] = s.configurations;
  d["factor_cache_hits"] = s.factorCacheHits;
  d["parallel_loads"] = s.parallelLoads;
  d["parallel_refactorizations"] = s.parallelRefactorizations;
  d["load_seconds"] = s.loadSeconds;
  d["factor_seconds"] = s.factorSeconds;
  d["solve_seconds"] = s.solveSeconds;
  d["setup_seconds"] = s.setupSeconds;
  d["unknowns"] = s.unknowns;
  d["nonzeros"] = s.nonzeros;
  d["op_strategies"] = nb::cast(s.opStrategies);
  nb::list losses;
  for (const auto& l : s.losses) {
    nb::dict e;
    e["device"] = l.device;
    e["conduction_loss"] = l.conductionLoss;
    e["switching_loss"] = l.switchingLoss;
    e["conduction_energy"] = l.conductionEnergy;
    e["switching_energy"] = l.switchingEnergy;
    e["tj_max"] = l.tjMax;
    e["tj_avg"] = l.tjAvg;
    e["switching_events"] = l.switchingEvents;
    losses.append(e);
  }
  d["losses"] = losses;
  d["loss_from"] = s.lossFrom;
  d["loss_to"] = s.lossTo;
  d["input_power"] = s.inputPower;
  d["output_power"] = s.outputPower;
  d["loss_power"] = s.lossPower;
  d["efficiency"] = s.efficiency;
  d["thermal_step"] = s.thermalStep;
  nb::list measures;
  for (const auto& m : s.measures) {
    nb::dict e;
    e["name"] = m.name;
    e["ok"] = m.ok;
    e["value"] = m.value;
    e["error"] = m.error;
    e["file"] = m.loc.file;
    e["line"] = m.loc.line;
    e["col"] = m.loc.col;
    measures.append(e);
  }
  d["measures"] = measures;
  // .control script output (engine/src/script): text, files (name -> bytes), failed commands
  d["script_output"] = s.script.text;
  nb::dict files;
  for (const auto& f : s.script.files) files[nb::str(f.name.c_str())] = nb::bytes(f.data.data(), f.data.size());
  d["script_files"] = files;
  nb::list scriptErrors;
  for (const auto& e : s.script.errors) scriptErrors.append(e);
  d["script_errors"] = scriptErrors;
  d["wall_seconds"] = wall;
  return d;
}

bool cancelRequested(nb::handle cancel) {
  if (cancel.is_none()) return false;
  return nb::cast<bool>(cancel.attr("is_set")());
}

// Parses the netlist and creates its Simulation with the GIL released; engine
// errors raise. `resolver` (None or a callable) is only called during this call,
// so the caller's reference keeps it alive (no refcounting without the GIL).
// Parse options for a netlist named fileName, with .param overrides and the
// Python resolver (None or a callable; the caller keeps it alive).
ir::ParseOptions parseOptions(const std::string& fileName, nb::handle resolver,
                              std::vector<std::pair<std::string, double>> params) {
  ir::ParseOptions po;
  po.fileName = fileName;
  po.paramOverrides = std::move(params);
  // a netlist file: ngspice's .spiceinit beside it (as `simcore run` reads it; sky130's
  // set ngbehavior=hsa: binned MOSFET models by finger width W/NF)
  if (fileName != "<netlist>" && fileName != "<stdin>") po.ngbehavior = io::findSpiceInit(fileName).ngbehavior;
  if (!resolver.is_none()) {
    PyObject* fn = resolver.ptr();
    po.resolver = [fn](std::string_view path, std::string_view from) { return callResolver(fn, path, from); };
  }
  // `.plugin FILE` and `pre_osdi FILE` (device plugins, compiled Verilog-A): loaded as
  // `simcore run` loads them, relative to the netlist's file (the working directory for a string)
  po.pluginResolver = plugins::fileResolver();
  return po;
}

std::unique_ptr<Simulation> createRun(const std::string& text, const std::string& fileName, nb::handle resolver,
                                      std::vector<std::pair<std::string, double>> params,
                                      std::vector<std::string> save, std::int64_t maxPoints, std::size_t chunkRows,
                                      std::atomic<bool>* cancel, const RunOverrides& overrides,
                                      bool interpolate, std::size_t threads,
                                      std::unique_ptr<app::ThreadPool>& pool) {
  ir::ParseOptions po = parseOptions(fileName, resolver, std::move(params));
  SimulationOptions so;
  if (threads > 1) {  // the pool outlives the Simulation (the caller declares it first)
    pool = std::make_unique<app::ThreadPool>(threads);
    so.parallel = pool->parallelFor();
    so.parallelTasks = threads * 4;  // slices claimed by whichever thread is free
    so.parallelThreads = threads;
  }
  so.interpolate = interpolate;
  so.save = std::move(save);
  so.chunkRows = chunkRows ? chunkRows : 1024;
  so.maxTimePoints = maxPoints;
  so.cancel = cancel;
  std::optional<Result<ir::Circuit>> circuit;
  std::optional<Result<std::unique_ptr<Simulation>>> sim;
  {
    nb::gil_scoped_release release;
    circuit.emplace(ir::parseNetlist(text, po));
    if (circuit->ok())
      if (auto st = applyOverrides(circuit->value(), overrides); !st) circuit.emplace(st.takeError());
    if (circuit->ok()) sim.emplace(Simulation::create(std::move(circuit->value()), so));
  }
  if (!circuit->ok()) raiseError(circuit->error());
  if (!sim->ok()) raiseError(sim->error());
  return std::move(sim->value());
}

// One signal's values as a numpy array: float64, or complex128 from re and im.
nb::object columnArray(std::vector<double>&& re, const std::vector<double>* im) {
  if (!im) return toNumpy(std::move(re));
  std::vector<std::complex<double>> z(re.size());
  for (std::size_t i = 0; i < z.size(); ++i) z[i] = {re[i], i < im->size() ? (*im)[i] : 0.0};
  return toNumpy(std::move(z));
}

nb::dict run(const std::string& text, const std::string& fileName, nb::object resolver,
             std::vector<std::string> save, std::vector<std::pair<std::string, double>> params,
             std::int64_t maxPoints, std::size_t chunkRows, std::size_t sliceRows, nb::object cancel,
             const std::vector<std::string>& analysisCards, std::optional<double> tstop,
             std::optional<double> maxStep, bool interpolate, std::size_t threads) {
  auto t0 = std::chrono::steady_clock::now();
  std::atomic<bool> cancelFlag{false};
  std::unique_ptr<app::ThreadPool> pool;
  std::unique_ptr<Simulation> sim = createRun(text, fileName, resolver, std::move(params), std::move(save), maxPoints,
                                              chunkRows, &cancelFlag, RunOverrides{analysisCards, tstop, maxStep},
                                              interpolate, threads, pool);
  Simulation& s = *sim;

  CollectSink sink;
  const std::size_t slice = sliceRows ? sliceRows : 256;
  while (true) {
    std::optional<Result<StepState>> r;
    {
      nb::gil_scoped_release release;
      r.emplace(s.advance(sink, slice));
    }
    if (!r->ok()) raiseError(r->error());
    if (r->value() == StepState::Done) break;
    if (PyErr_CheckSignals() != 0) {  // KeyboardInterrupt (or a handler's exception) is pending
      cancelFlag = true;
      throw nb::python_error();
    }
    if (cancelRequested(cancel)) cancelFlag = true;  // the next advance() reports Cancelled
  }
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  nb::list analyses;
  for (auto& a : sink.analyses) {
    nb::dict d;
    d["type"] = analysisName(a.header.type);
    d["x_name"] = a.header.xName;
    d["variant"] = a.header.variant;
    d["complex"] = a.header.complex;
    nb::list names, kinds, values;
    for (std::size_t k = 0; k < a.header.signals.size(); ++k) {
      const auto& sig = a.header.signals[k];
      names.append(sig.name);
      kinds.append(sig.kind == SignalKind::Voltage ? "voltage" : "current");
      values.append(columnArray(std::move(a.re[k]), a.header.complex ? &a.im[k] : nullptr));
    }
    d["x"] = a.header.xName.empty() ? nb::none() : toNumpy(std::move(a.x));
    d["signals"] = names;
    d["kinds"] = kinds;
    d["values"] = values;
    analyses.append(d);
  }

  const ir::Circuit& c = s.circuit();
  nb::list warnings;
  for (const auto& w : c.warnings) {
    nb::dict d;
    d["message"] = w.message;
    d["file"] = w.loc.file;
    d["line"] = w.loc.line;
    d["col"] = w.loc.col;
    warnings.append(d);
  }
  nb::dict out;
  out["title"] = c.title;
  out["file"] = fileName;
  out["analyses"] = analyses;
  out["warnings"] = warnings;
  out["stats"] = statsDict(s.stats(), wall);
  return out;
}

// ---------------------------------------------------------------- resumable runs
// Simulation(text, file_name, resolver, save, params, max_points, chunk_rows):
// parses the netlist and creates the run (engine errors raise at once).
// step(max_rows) advances it by about max_rows rows with the GIL released and
// returns what that produced, in order, as event dicts:
//   {"type": "header", "index", "analysis": "op"|"dc"|"ac"|"tran", "x_name", "complex",
//    "signals": [str], "kinds": ["voltage"|"current"]}
//   {"type": "chunk", "index", "x": float64[n] (empty for op), "values": [float64[n] | complex128[n]]}
//   {"type": "end", "index"}
// An engine error raises from the step after the one that returned the rows
// computed before it; cancel() (any thread) makes the next step raise
// SimulationCancelled. done: the run finished; progress 0..1; stats() as run()'s.
struct StreamEvent {
  enum class Kind { Header, Chunk, End };
  Kind kind;
  int index = 0;
  AnalysisHeader header;  // Header
  std::vector<double> x;  // Chunk: rows sweep values (empty for op)
  std::vector<std::vector<double>> re, im;
};

class EventSink final : public SampleSink {
 public:
  std::vector<StreamEvent> events;

  void begin(const AnalysisHeader& h) override {
    ++index_;
    events.push_back({StreamEvent::Kind::Header, index_, h, {}, {}, {}});
  }
  void chunk(const Chunk& c) override {
    StreamEvent e{StreamEvent::Kind::Chunk, index_, {}, {c.x.begin(), c.x.end()}, {}, {}};
    for (const auto& col : c.re) e.re.emplace_back(col.begin(), col.end());
    for (const auto& col : c.im) e.im.emplace_back(col.begin(), col.end());
    events.push_back(std::move(e));
  }
  void end(const AnalysisSummary&) override { events.push_back({StreamEvent::Kind::End, index_, {}, {}, {}, {}}); }

 private:
  int index_ = -1;
};

class StreamingRun {
 public:
  StreamingRun(const std::string& text, const std::string& fileName, nb::object resolver,
               std::vector<std::string> save, std::vector<std::pair<std::string, double>> params,
               std::int64_t maxPoints, std::size_t chunkRows, std::vector<std::string> analyses,
               std::optional<double> tstop, std::optional<double> maxStep, bool interpolate, std::size_t threads)
      : t0_(std::chrono::steady_clock::now()),
        sim_(createRun(text, fileName, resolver, std::move(params), std::move(save), maxPoints, chunkRows, &cancel_,
                       RunOverrides{std::move(analyses), tstop, maxStep}, interpolate, threads, pool_)) {}

  nb::list step(std::size_t maxRows) {
    if (pending_) {
      Error e = std::move(*pending_);
      pending_.reset();
      failed_ = true;
      raiseError(e);
    }
    nb::list out;
    if (done_ || failed_) return out;
    sink_.events.clear();
    std::optional<Result<StepState>> r;
    {
      nb::gil_scoped_release release;
      r.emplace(sim_->advance(sink_, maxRows ? maxRows : 1));
    }
    if (!r->ok()) pending_ = r->takeError();
    else done_ = r->value() == StepState::Done;
    for (auto& e : sink_.events) out.append(toPython(e));
    sink_.events.clear();
    return out;
  }

  void cancel() { cancel_ = true; }
  bool done() const { return done_; }
  double progress() const { return sim_->progress(); }
  nb::dict stats() const {
    return statsDict(sim_->stats(), std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count());
  }

 private:
  static nb::dict toPython(StreamEvent& e) {
    nb::dict d;
    d["index"] = e.index;
    switch (e.kind) {
      case StreamEvent::Kind::Header: {
        d["type"] = "header";
        d["analysis"] = analysisName(e.header.type);
        d["x_name"] = e.header.xName;
        d["variant"] = e.header.variant;
        d["complex"] = e.header.complex;
        nb::list names, kinds;
        for (const auto& sig : e.header.signals) {
          names.append(sig.name);
          kinds.append(sig.kind == SignalKind::Voltage ? "voltage" : "current");
        }
        d["signals"] = names;
        d["kinds"] = kinds;
        break;
      }
      case StreamEvent::Kind::Chunk: {
        d["type"] = "chunk";
        const bool complex = !e.im.empty();
        d["x"] = toNumpy(std::move(e.x));
        nb::list values;
        for (std::size_t k = 0; k < e.re.size(); ++k)
          values.append(columnArray(std::move(e.re[k]), complex && k < e.im.size() ? &e.im[k] : nullptr));
        d["values"] = values;
        break;
      }
      case StreamEvent::Kind::End: d["type"] = "end"; break;
    }
    return d;
  }

  std::chrono::steady_clock::time_point t0_;
  std::atomic<bool> cancel_{false};
  std::unique_ptr<app::ThreadPool> pool_;  // before sim_: outlives it
  std::unique_ptr<Simulation> sim_;
  EventSink sink_;  // numbers the analyses across steps
  std::optional<Error> pending_;
  bool done_ = false;
  bool failed_ = false;
};

using Column = nb::ndarray<const double, nb::ndim<1>, nb::c_contig, nb::device::cpu>;

nb::bytes writeAnalysis(const std::string& format, const std::string& kind, const std::string& xName, bool complex,
                        const std::vector<std::string>& signals, const std::vector<std::string>& kinds, Column x,
                        std::vector<Column> re, std::vector<Column> im, std::size_t rows, const std::string& title) {
  auto fmt = io::parseFormat(format);
  if (!fmt || *fmt == io::Format::Hdf5)
    throw nb::value_error(("unknown format '" + format + "' (expected csv, json or raw)").c_str());
  io::AnalysisColumns a;
  bool known = false;
  for (auto t : {AnalysisType::Op, AnalysisType::Dc, AnalysisType::Ac, AnalysisType::Tran, AnalysisType::Pss, AnalysisType::Fra, AnalysisType::Losses, AnalysisType::Noise, AnalysisType::NoiseTotal, AnalysisType::Tf, AnalysisType::Pz, AnalysisType::PssSpectrum, AnalysisType::Sens, AnalysisType::Sp})
    if (kind == analysisName(t)) a.header.type = t, known = true;
  if (!known) throw nb::value_error(("unknown analysis kind '" + kind + "'").c_str());
  if (kinds.size() != signals.size()) throw nb::value_error("one kind per signal expected");
  a.header.xName = xName;
  a.header.complex = complex;
  for (std::size_t k = 0; k < signals.size(); ++k)
    a.header.signals.push_back({signals[k], kinds[k] == "current" ? SignalKind::Current : SignalKind::Voltage});
  a.rows = rows;
  a.x = {x.data(), x.shape(0)};
  for (auto& c : re) a.re.emplace_back(c.data(), c.shape(0));
  for (auto& c : im) a.im.emplace_back(c.data(), c.shape(0));
  Result<std::string> out = [&] {
    nb::gil_scoped_release release;
    return io::writeAnalysis(*fmt, a, title);
  }();
  if (!out) throw nb::value_error(out.error().message.c_str());
  return nb::bytes(out.value().data(), out.value().size());
}

// parquet_layout(kind, x_name, complex, signals, kinds, info, start_time, end_time, rows, partial)
//   -> ([(column, kind, unit)], [(key, value)]): the columns and key-value metadata of the Parquet
// file of one analysis (simcore/io/parquet_layout.hpp), for Result.to_parquet (pyarrow writes it).
nb::tuple parquetLayout(const std::string& kind, const std::string& xName, bool complex,
                        const std::vector<std::string>& signals, const std::vector<std::string>& kinds,
                        const std::map<std::string, std::string>& info, const std::string& startTime,
                        const std::string& endTime, std::size_t rows, bool partial) {
  AnalysisHeader h;
  bool known = false;
  for (auto t : {AnalysisType::Op, AnalysisType::Dc, AnalysisType::Ac, AnalysisType::Tran, AnalysisType::Pss, AnalysisType::Fra, AnalysisType::Losses, AnalysisType::Noise, AnalysisType::NoiseTotal, AnalysisType::Tf, AnalysisType::Pz, AnalysisType::PssSpectrum, AnalysisType::Sens, AnalysisType::Sp})
    if (kind == analysisName(t)) h.type = t, known = true;
  if (!known) throw nb::value_error(("unknown analysis kind '" + kind + "'").c_str());
  if (kinds.size() != signals.size()) throw nb::value_error("one kind per signal expected");
  h.xName = xName;
  h.complex = complex;
  for (std::size_t k = 0; k < signals.size(); ++k)
    h.signals.push_back({signals[k], kinds[k] == "current" ? SignalKind::Current : SignalKind::Voltage});
  io::RunInfo ri;
  auto get = [&](const char* k, std::string& dst) {
    if (auto it = info.find(k); it != info.end()) dst = it->second;
  };
  get("title", ri.title);
  get("netlist_sha256", ri.netlistSha256);
  get("parameters", ri.parametersJson);
  get("options", ri.optionsJson);
  get("seed", ri.seed);
  get("job_id", ri.jobId);
  nb::list cols, meta;
  for (const auto& c : io::parquetColumns(h)) cols.append(nb::make_tuple(c.name, c.quantity.kind, c.quantity.unit));
  for (const auto& [k, v] : io::parquetMetadata(h, ri, startTime, endTime, rows, partial)) meta.append(nb::make_tuple(k, v));
  return nb::make_tuple(cols, meta);
}

// describe(text, file_name, resolver, params) -> {title, nodes, branches, unknowns, points,
// devices: [{letter, kind, count}], analyses: [{type, points}]}: the netlist's size without
// running it (simcore/describe.hpp); parse errors raise like run().
nb::dict describeNetlist(const std::string& text, const std::string& fileName, nb::object resolver,
                         std::vector<std::pair<std::string, double>> params) {
  auto r = describe(text, parseOptions(fileName, resolver, std::move(params)));
  if (!r.ok()) raiseError(r.error());
  const CircuitDescription& d = r.value();
  nb::list devices, analyses;
  for (const auto& k : d.devices) {
    nb::dict o;
    o["letter"] = std::string(1, k.letter);
    o["kind"] = k.kind;
    o["count"] = k.count;
    devices.append(o);
  }
  for (const auto& a : d.analyses) {
    nb::dict o;
    o["type"] = analysisName(a.type);
    o["points"] = a.points;
    analyses.append(o);
  }
  nb::dict out;
  out["title"] = d.title;
  out["nodes"] = d.nodes;
  out["branches"] = d.branches;
  out["unknowns"] = d.unknowns;
  out["points"] = d.points;
  out["devices"] = devices;
  out["analyses"] = analyses;
  return out;
}

std::string netlistToJson(const std::string& text, const std::string& fileName, int indent) {
  auto r = model::netlistToJson(text, {fileName, indent});
  if (!r.ok()) raiseError(r.error());
  return std::move(r.value());
}

std::string jsonToNetlist(const std::string& text, const std::string& fileName) {
  auto r = model::jsonToNetlist(text, {fileName});
  if (!r.ok()) raiseError(r.error());
  return std::move(r.value());
}

}  // namespace

NB_MODULE(_native, m) {
  m.doc() = "simcore engine binding (use simcore.simulate)";
  m.def("run", &run, nb::arg("text"), nb::arg("file_name") = "<netlist>", nb::arg("resolver") = nb::none(),
        nb::arg("save") = std::vector<std::string>{}, nb::arg("params") = std::vector<std::pair<std::string, double>>{},
        nb::arg("max_points") = 0, nb::arg("chunk_rows") = 1024, nb::arg("slice_rows") = 256,
        nb::arg("cancel") = nb::none(), nb::arg("analyses") = std::vector<std::string>{},
        nb::arg("tstop") = nb::none(), nb::arg("max_step") = nb::none(), nb::arg("interpolate") = false,
        nb::arg("threads") = 1,
        "Run every analysis of a netlist; returns columns per analysis (see simcore.simulate).");
  nb::class_<StreamingRun>(m, "Simulation", "A resumable run of a netlist (see simcore.stream).")
      .def(nb::init<const std::string&, const std::string&, nb::object, std::vector<std::string>,
                    std::vector<std::pair<std::string, double>>, std::int64_t, std::size_t, std::vector<std::string>,
                    std::optional<double>, std::optional<double>, bool, std::size_t>(),
           nb::arg("text"), nb::arg("file_name") = "<netlist>", nb::arg("resolver") = nb::none(),
           nb::arg("save") = std::vector<std::string>{},
           nb::arg("params") = std::vector<std::pair<std::string, double>>{}, nb::arg("max_points") = 0,
           nb::arg("chunk_rows") = 1024, nb::arg("analyses") = std::vector<std::string>{},
           nb::arg("tstop") = nb::none(), nb::arg("max_step") = nb::none(), nb::arg("interpolate") = false,
           nb::arg("threads") = 1)
      .def("step", &StreamingRun::step, nb::arg("max_rows"),
           "Advance by about max_rows rows; the header/chunk/end events produced, as dicts.")
      .def("cancel", &StreamingRun::cancel, "Make the next step() raise SimulationCancelled (any thread).")
      .def_prop_ro("done", &StreamingRun::done)
      .def_prop_ro("progress", &StreamingRun::progress)
      .def("stats", &StreamingRun::stats);
  m.def("write_analysis", &writeAnalysis, nb::arg("format"), nb::arg("kind"), nb::arg("x_name"), nb::arg("complex"),
        nb::arg("signals"), nb::arg("kinds"), nb::arg("x"), nb::arg("re"), nb::arg("im"), nb::arg("rows"),
        nb::arg("title") = "",
        "One analysis in columns as the file `simcore run` writes (csv, json or raw), as bytes.");
  m.def("parquet_layout", &parquetLayout, nb::arg("kind"), nb::arg("x_name"), nb::arg("complex"), nb::arg("signals"),
        nb::arg("kinds"), nb::arg("info"), nb::arg("start_time"), nb::arg("end_time"), nb::arg("rows"),
        nb::arg("partial") = false,
        "Columns [(name, kind, unit)] and key-value metadata [(key, value)] of one analysis's Parquet file.");
  m.def("iso_time_now", &io::isoTimeNow, "Now as ISO-8601 UTC with milliseconds, as result files record it.");
  m.def("describe", &describeNetlist, nb::arg("text"), nb::arg("file_name") = "<netlist>",
        nb::arg("resolver") = nb::none(), nb::arg("params") = std::vector<std::pair<std::string, double>>{},
        "The size of a netlist without running it (see simcore.describe).");
  m.def("netlist_to_json", &netlistToJson, nb::arg("text"), nb::arg("file_name") = "<netlist>", nb::arg("indent") = 2,
        "A netlist as the JSON circuit model (see simcore.convert).");
  m.def("json_to_netlist", &jsonToNetlist, nb::arg("text"), nb::arg("file_name") = "<netlist>",
        "The netlist a JSON circuit model stands for (see simcore.convert).");
  m.def("looks_like_circuit_json", [](const std::string& t) { return model::looksLikeCircuitJson(t); }, nb::arg("text"));
  m.attr("engine_version") = SIMCORE_VERSION;
  nb::list codes;  // the engine's error codes in order (simcore::kErrorCodes), by name
  for (ErrorCode c : kErrorCodes) codes.append(errorCodeName(c));
  m.attr("error_codes") = codes;
}
