// simcore._native: the thin nanobind adapter over the engine API.
//
//   run(text, file_name, resolver, save, params, max_points, chunk_rows, slice_rows, cancel) -> dict
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
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <atomic>
#include <chrono>
#include <complex>
#include <optional>
#include <string>
#include <vector>

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
  d["factorizations"] = s.factorizations;
  d["refactorizations"] = s.refactorizations;
  d["solves"] = s.solves;
  d["events"] = s.events;
  d["load_seconds"] = s.loadSeconds;
  d["factor_seconds"] = s.factorSeconds;
  d["solve_seconds"] = s.solveSeconds;
  d["setup_seconds"] = s.setupSeconds;
  d["unknowns"] = s.unknowns;
  d["nonzeros"] = s.nonzeros;
  d["op_strategies"] = nb::cast(s.opStrategies);
  d["wall_seconds"] = wall;
  return d;
}

bool cancelRequested(nb::handle cancel) {
  if (cancel.is_none()) return false;
  return nb::cast<bool>(cancel.attr("is_set")());
}

nb::dict run(const std::string& text, const std::string& fileName, nb::object resolver,
             std::vector<std::string> save, std::vector<std::pair<std::string, double>> params,
             std::int64_t maxPoints, std::size_t chunkRows, std::size_t sliceRows, nb::object cancel) {
  auto t0 = std::chrono::steady_clock::now();
  ir::ParseOptions po;
  po.fileName = fileName;
  po.paramOverrides = std::move(params);
  if (!resolver.is_none()) {
    PyObject* fn = resolver.ptr();  // kept alive by the caller's frame; no refcounting without the GIL
    po.resolver = [fn](std::string_view path, std::string_view from) { return callResolver(fn, path, from); };
  }

  std::atomic<bool> cancelFlag{false};
  SimulationOptions so;
  so.save = std::move(save);
  so.chunkRows = chunkRows ? chunkRows : 1024;
  so.maxTimePoints = maxPoints;
  so.cancel = &cancelFlag;

  std::optional<Result<ir::Circuit>> circuit;
  std::optional<Result<std::unique_ptr<Simulation>>> sim;
  {
    nb::gil_scoped_release release;
    circuit.emplace(ir::parseNetlist(text, po));
    if (circuit->ok()) sim.emplace(Simulation::create(std::move(circuit->value()), so));
  }
  if (!circuit->ok()) raiseError(circuit->error());
  if (!sim->ok()) raiseError(sim->error());
  Simulation& s = *sim->value();

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
    d["complex"] = a.header.complex;
    nb::list names, kinds, values;
    for (std::size_t k = 0; k < a.header.signals.size(); ++k) {
      const auto& sig = a.header.signals[k];
      names.append(sig.name);
      kinds.append(sig.kind == SignalKind::Voltage ? "voltage" : "current");
      if (a.header.complex) {
        std::vector<std::complex<double>> z(a.re[k].size());
        for (std::size_t i = 0; i < z.size(); ++i) z[i] = {a.re[k][i], i < a.im[k].size() ? a.im[k][i] : 0.0};
        values.append(toNumpy(std::move(z)));
      } else {
        values.append(toNumpy(std::move(a.re[k])));
      }
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

// describe(text, file_name, resolver, params) -> {title, nodes, branches, unknowns, points,
// devices: [{letter, kind, count}], analyses: [{type, points}]}: the netlist's size without
// running it (simcore/describe.hpp); parse errors raise like run().
nb::dict describeNetlist(const std::string& text, const std::string& fileName, nb::object resolver,
                         std::vector<std::pair<std::string, double>> params) {
  ir::ParseOptions po;
  po.fileName = fileName;
  po.paramOverrides = std::move(params);
  if (!resolver.is_none()) {
    PyObject* fn = resolver.ptr();
    po.resolver = [fn](std::string_view path, std::string_view from) { return callResolver(fn, path, from); };
  }
  auto r = describe(text, po);
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

}  // namespace

NB_MODULE(_native, m) {
  m.doc() = "simcore engine binding (use simcore.simulate)";
  m.def("run", &run, nb::arg("text"), nb::arg("file_name") = "<netlist>", nb::arg("resolver") = nb::none(),
        nb::arg("save") = std::vector<std::string>{}, nb::arg("params") = std::vector<std::pair<std::string, double>>{},
        nb::arg("max_points") = 0, nb::arg("chunk_rows") = 1024, nb::arg("slice_rows") = 256,
        nb::arg("cancel") = nb::none(),
        "Run every analysis of a netlist; returns columns per analysis (see simcore.simulate).");
  m.def("describe", &describeNetlist, nb::arg("text"), nb::arg("file_name") = "<netlist>",
        nb::arg("resolver") = nb::none(), nb::arg("params") = std::vector<std::pair<std::string, double>>{},
        "The size of a netlist without running it (see simcore.describe).");
  m.attr("engine_version") = SIMCORE_VERSION;
}
