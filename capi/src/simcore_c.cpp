// libsimcore: the C API (capi/include/simcore.h) over the engine's
// Simulation. A thin adapter: no state outside the objects it hands out.
#include "simcore.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "simcore/error_codes.hpp"
#include "simcore/ir.hpp"
#include "simcore/describe.hpp"
#include "simcore/simulate.hpp"

struct simcore_config {
  std::vector<std::pair<std::string, double>> params;
  std::vector<std::string> save;
  std::vector<std::string> analyses;
  simcore_resolver resolver = nullptr;
  void* resolverUser = nullptr;
  std::int64_t maxUnknowns = 0;
  std::int64_t maxTimePoints = 0;
  bool interpolate = false;
  std::size_t chunkRows = 1024;
};

struct simcore_resolved {
  bool set = false;
  std::string name, text, reason;
};

struct simcore_sim {
  std::atomic<bool> cancel{false};
  std::unique_ptr<simcore::Simulation> sim;
  bool failed = false;
  bool done = false;
};

namespace {

using simcore::Error;
using simcore::ErrorCode;

simcore_status statusOf(ErrorCode c) {
  // the engine's table order: value = position + 1 (as simcore.v1.ErrorCode)
  for (std::size_t i = 0; i < std::size(simcore::kErrorCodes); ++i)
    if (simcore::kErrorCodes[i] == c) return static_cast<simcore_status>(i + 1);
  return SIMCORE_ERROR_INTERNAL;
}

void copyCut(char* dst, std::size_t cap, const std::string& s) {
  std::size_t n = std::min(s.size(), cap - 1);
  // do not cut a UTF-8 sequence in two
  while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  std::memcpy(dst, s.data(), n);
  dst[n] = '\0';
}

simcore_status fill(simcore_error* err, const Error& e) {
  const simcore_status s = statusOf(e.code);
  if (err) {
    err->code = s;
    err->line = e.loc.line;
    err->column = e.loc.col;
    copyCut(err->file, sizeof err->file, e.loc.file);
    copyCut(err->message, sizeof err->message, e.message);
    copyCut(err->formatted, sizeof err->formatted, e.format());
  }
  return s;
}

simcore_status badArgument(simcore_error* err, const char* what) {
  if (err) {
    std::memset(err, 0, sizeof *err);
    err->code = SIMCORE_ERROR_BAD_ARGUMENT;
    copyCut(err->message, sizeof err->message, what);
    copyCut(err->formatted, sizeof err->formatted, std::string("error: ") + what);
  }
  return SIMCORE_ERROR_BAD_ARGUMENT;
}

// Forwards the engine's columnar chunks to the C callbacks.
class CSink final : public simcore::SampleSink {
 public:
  explicit CSink(const simcore_sink* s) : s_(s) {}

  void begin(const simcore::AnalysisHeader& h) override {
    index_ = h.index;
    names_.clear();
    ptrs_.clear();
    current_.clear();
    for (const auto& sig : h.signals) {
      names_.push_back(sig.name);
      current_.push_back(sig.kind == simcore::SignalKind::Current ? 1 : 0);
    }
    for (const auto& n : names_) ptrs_.push_back(n.c_str());
    if (!s_ || !s_->begin) return;
    simcore_header ch{};
    static_assert(int(simcore::AnalysisType::Sp) + 1 == SIMCORE_ANALYSIS_SP &&
                      int(simcore::AnalysisType::Sens) + 1 == SIMCORE_ANALYSIS_SENS &&
                      int(simcore::AnalysisType::Losses) + 1 == SIMCORE_ANALYSIS_LOSSES,
                  "simcore_analysis_type follows simcore::AnalysisType");
    ch.type = static_cast<simcore_analysis_type>(static_cast<int>(h.type) + 1);
    ch.index = h.index;
    ch.name = simcore::analysisName(h.type);
    ch.x_name = h.xName.c_str();
    ch.is_complex = h.complex ? 1 : 0;
    ch.signal_count = names_.size();
    ch.signal_names = ptrs_.data();
    ch.signal_is_current = current_.data();
    s_->begin(s_->user, &ch);
  }

  void chunk(const simcore::Chunk& c) override {
    if (!s_ || !s_->chunk) return;
    re_.clear();
    im_.clear();
    for (const auto& r : c.re) re_.push_back(r.data());
    for (const auto& i : c.im) im_.push_back(i.data());
    simcore_chunk cc{};
    cc.index = index_;
    cc.rows = c.rows;
    cc.x = c.x.empty() ? nullptr : c.x.data();
    cc.re = re_.data();
    cc.im = im_.empty() ? nullptr : im_.data();
    s_->chunk(s_->user, &cc);
  }

  void end(const simcore::AnalysisSummary& s) override {
    if (s_ && s_->end) s_->end(s_->user, index_, s.rows);
  }

 private:
  const simcore_sink* s_;
  int index_ = 0;
  std::vector<std::string> names_;
  std::vector<const char*> ptrs_;
  std::vector<int> current_;
  std::vector<const double*> re_, im_;
};

}  // namespace

extern "C" {

uint32_t simcore_abi_version(void) { return SIMCORE_ABI_VERSION; }
const char* simcore_version(void) { return SIMCORE_VERSION; }

const char* simcore_status_name(simcore_status s) {
  if (s == SIMCORE_OK) return "ok";
  if (s == SIMCORE_ERROR_BAD_ARGUMENT) return "bad_argument";
  const int i = static_cast<int>(s) - 1;
  if (i >= 0 && i < static_cast<int>(std::size(simcore::kErrorCodes)))
    return simcore::errorCodeName(simcore::kErrorCodes[i]);
  return "unknown";
}

void simcore_resolved_set(simcore_resolved* out, const char* name, const char* text, size_t length) {
  if (!out) return;
  out->set = true;
  out->name = name ? name : "";
  out->text.assign(text ? text : "", text ? length : 0);
}

void simcore_resolved_fail(simcore_resolved* out, const char* reason) {
  if (out && reason) out->reason = reason;
}

simcore_config* simcore_config_new(void) { return new (std::nothrow) simcore_config(); }
void simcore_config_free(simcore_config* cfg) { delete cfg; }

simcore_status simcore_config_set_param(simcore_config* cfg, const char* name, double value) {
  if (!cfg || !name || !*name) return SIMCORE_ERROR_BAD_ARGUMENT;
  std::string n(name);
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
  for (auto& [k, v] : cfg->params)
    if (k == n) {
      v = value;
      return SIMCORE_OK;
    }
  cfg->params.emplace_back(std::move(n), value);
  return SIMCORE_OK;
}

simcore_status simcore_config_add_save(simcore_config* cfg, const char* signal) {
  if (!cfg || !signal || !*signal) return SIMCORE_ERROR_BAD_ARGUMENT;
  cfg->save.emplace_back(signal);
  return SIMCORE_OK;
}

simcore_status simcore_config_add_analysis(simcore_config* cfg, const char* card) {
  if (!cfg || !card || !*card) return SIMCORE_ERROR_BAD_ARGUMENT;
  cfg->analyses.emplace_back(card);
  return SIMCORE_OK;
}

simcore_status simcore_config_set_resolver(simcore_config* cfg, simcore_resolver fn, void* user) {
  if (!cfg) return SIMCORE_ERROR_BAD_ARGUMENT;
  cfg->resolver = fn;
  cfg->resolverUser = user;
  return SIMCORE_OK;
}

simcore_status simcore_config_set_limits(simcore_config* cfg, int64_t maxUnknowns, int64_t maxTimePoints) {
  if (!cfg || maxUnknowns < 0 || maxTimePoints < 0) return SIMCORE_ERROR_BAD_ARGUMENT;
  cfg->maxUnknowns = maxUnknowns;
  cfg->maxTimePoints = maxTimePoints;
  return SIMCORE_OK;
}

simcore_status simcore_config_set_interpolate(simcore_config* cfg, int on) {
  if (!cfg) return SIMCORE_ERROR_BAD_ARGUMENT;
  cfg->interpolate = on != 0;
  return SIMCORE_OK;
}

simcore_status simcore_config_set_chunk_rows(simcore_config* cfg, size_t rows) {
  if (!cfg || rows == 0) return SIMCORE_ERROR_BAD_ARGUMENT;
  cfg->chunkRows = rows;
  return SIMCORE_OK;
}

simcore_sim* simcore_create(const char* netlist, size_t length, const char* fileName, const simcore_config* cfg,
                            simcore_error* err) {
  if (err) std::memset(err, 0, sizeof *err);
  if (!netlist) {
    badArgument(err, "netlist is NULL");
    return nullptr;
  }
  const simcore_config defaults;
  const simcore_config& c = cfg ? *cfg : defaults;
  simcore::ir::ParseOptions po;
  po.fileName = fileName ? fileName : "<netlist>";
  po.paramOverrides = c.params;
  if (c.resolver) {
    po.resolver = [&c](std::string_view path, std::string_view from) -> simcore::Result<simcore::ir::ResolvedFile> {
      simcore_resolved out;
      const std::string p(path), f(from);
      const int rc = c.resolver(c.resolverUser, p.c_str(), f.c_str(), &out);
      if (rc != 0 || !out.set)
        return simcore::makeError(ErrorCode::Semantic,
                                  "cannot include '" + p + "'" + (out.reason.empty() ? "" : ": " + out.reason));
      return simcore::ir::ResolvedFile{out.name.empty() ? p : out.name, std::move(out.text)};
    };
  }
  auto circuit = simcore::ir::parseNetlist(std::string_view(netlist, length), po);
  if (!circuit) {
    fill(err, circuit.error());
    return nullptr;
  }
  if (auto s = simcore::applyOverrides(circuit.value(), simcore::RunOverrides{c.analyses, {}, {}}); !s) {
    fill(err, s.error());
    return nullptr;
  }
  auto out = std::make_unique<simcore_sim>();
  simcore::SimulationOptions so;
  so.save = c.save;
  so.chunkRows = c.chunkRows;
  so.maxUnknowns = c.maxUnknowns;
  so.maxTimePoints = c.maxTimePoints;
  so.interpolate = c.interpolate;
  so.cancel = &out->cancel;
  auto sim = simcore::Simulation::create(std::move(circuit.value()), so);
  if (!sim) {
    fill(err, sim.error());
    return nullptr;
  }
  out->sim = std::move(sim.value());
  return out.release();
}

void simcore_destroy(simcore_sim* sim) { delete sim; }

simcore_status simcore_advance(simcore_sim* sim, const simcore_sink* sink, size_t budgetRows, int* done,
                               simcore_error* err) {
  if (err) std::memset(err, 0, sizeof *err);
  if (done) *done = 0;
  if (!sim) return badArgument(err, "simulation is NULL");
  if (sim->failed) return badArgument(err, "the simulation failed earlier; create a new one");
  if (sim->done) {
    if (done) *done = 1;
    return SIMCORE_OK;
  }
  CSink s(sink);
  auto r = sim->sim->advance(s, budgetRows ? budgetRows : 1);
  if (!r) {
    sim->failed = true;
    return fill(err, r.error());
  }
  sim->done = r.value() == simcore::StepState::Done;
  if (done) *done = sim->done ? 1 : 0;
  return SIMCORE_OK;
}

double simcore_progress(const simcore_sim* sim) { return sim && sim->sim ? sim->sim->progress() : 0.0; }

void simcore_cancel(simcore_sim* sim) {
  if (sim) sim->cancel.store(true);
}

simcore_status simcore_get_stats(const simcore_sim* sim, simcore_stats* out) {
  if (!sim || !out || out->size < offsetof(simcore_stats, switching_mode)) return SIMCORE_ERROR_BAD_ARGUMENT;
  const simcore::RunStats& st = sim->sim->stats();
  const std::size_t size = out->size;
  simcore_stats v{};
  v.size = sizeof v;
  v.accepted_points = st.acceptedPoints;
  v.rejected_steps = st.rejectedSteps;
  v.newton_iterations = st.newtonIterations;
  v.factorizations = st.factorizations;
  v.solves = st.solves;
  v.events = st.events;
  v.configurations = st.configurations;
  v.factor_cache_hits = st.factorCacheHits;
  v.unknowns = st.unknowns;
  v.nonzeros = st.nonzeros;
  copyCut(v.switching_mode, sizeof v.switching_mode, st.switchingMode);
  std::memcpy(out, &v, std::min(size, sizeof v));
  out->size = std::min(size, sizeof v);
  return SIMCORE_OK;
}

}  // extern "C"
