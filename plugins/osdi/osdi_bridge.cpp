// OSDI libraries as device kinds (osdi_bridge.hpp, docs/osdi.md).
//
// How a module's equations reach the engine. The module writes its
// residuals into dst[node_mapping[node]] and adds its Jacobian values
// through pointers the simulator places in the instance data (one per
// Jacobian entry, and one per reactive entry). The bridge sets node_mapping
// to the instance's local unknowns and the pointers to the engine's g and c
// slots of the kind's matrix entries, so that the module's own loading
// routines fill simcore's f, q, g and c directly.
//
// Collapsed nodes (a module's `V(a, b) <+ 0`, e.g. a zero series
// resistance), chosen per instance when it is set up: as in ngspice, an
// internal node collapses into the other node of its pair (the lower index,
// so into a terminal) or into ground, and terminals never collapse. Its
// residual and Jacobian rows and columns are mapped onto that node, and the
// engine merges the two (node_alias): the collapsed node has no unknown. A
// collapse that only a later set-up makes (another temperature) keeps the
// node's local unknown, pinned to that node's value by the equation
// x_a - x_b = 0 (x_a = 0 for ground). The kind's matrix entries are the union
// over every collapse the module allows, so one pattern serves all instances.
#include "osdi_bridge.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <vector>

#include "osdi_abi.hpp"

namespace simcore::osdi {
namespace {

constexpr double kCtoK = 273.15;

Error fail(const std::string& file, const std::string& what) {
  return makeError(ErrorCode::Semantic, "OSDI library '" + file + "': " + what);
}

std::string lowered(const char* s) {
  std::string r = s ? s : "";
  for (char& c : r) c = char(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

bool plainName(const std::string& s) {
  if (s.empty() || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

// Where a kind's parameter goes in the module.
struct ParamRef {
  std::uint32_t id = 0;
  std::uint32_t type = kTypeReal;
  bool instance = false;  // set on the instance (else on the model: a model parameter, or an
                          // instance parameter's default given on the .model card)
};

struct Module {
  const Descriptor* d = nullptr;
  std::string file, name, doc;
  std::uint32_t nodes = 0, terminals = 0;
  std::deque<std::string> text;  // names, units and docs the descriptors point into
  std::vector<simcore_param_desc> params;
  std::vector<ParamRef> refs;
  std::vector<simcore_matrix_entry> entries;
  std::map<std::pair<std::uint32_t, std::uint32_t>, int> entryIndex;
  std::vector<int> dcPaths;
  std::vector<const char*> noiseNames;  // "_" + the module's noise source names
  std::vector<const char*> outputNames;  // operating-point outputs (opvars; their aliases too)
  std::vector<std::uint32_t> outputIds;  // each one's id in param_opvar
  simcore_device_kind kind{};

  int entry(std::uint32_t r, std::uint32_t c) const {
    auto it = entryIndex.find({r, c});
    return it == entryIndex.end() ? -1 : it->second;
  }
};

struct Bundle {
  std::shared_ptr<const void> library;
  std::string name;
  std::vector<std::unique_ptr<Module>> modules;
  std::vector<const simcore_device_kind*> kinds;
  simcore_plugin plugin{};
};

// $simparam values: gdev, gmin, tnom (in °C, as the Verilog-A standard and
// VACASK give it; ngspice 39 passes kelvin), the simulator's version, the
// source stepping factor.
char kGdev[] = "gdev", kGmin[] = "gmin", kTnom[] = "tnom", kVersion[] = "simulatorVersion",
     kSourceScale[] = "sourceScaleFactor";
char* kSimParamNames[] = {kGdev, kGmin, kTnom, kVersion, kSourceScale, nullptr};
char* kNoStrings[] = {nullptr};

struct SimParamValues {
  double v[5];
  SimParas paras() { return SimParas{kSimParamNames, v, kNoStrings, nullptr}; }
};

SimParamValues simParams(double gmin) { return SimParamValues{{gmin, gmin, 27.0, 39.0, 1.0}}; }

struct Pin {
  int node = 0;   // the collapsed node
  int to = -1;    // the node it collapsed into; -1: ground
  int diag = -1;  // entry (node, node)
  int off = -1;   // entry (node, to)
};

struct Instance {
  const Module* m = nullptr;
  std::vector<double> given;  // per kind parameter; NaN: not given
  void* model = nullptr;
  void* inst = nullptr;
  bool modelReady = false;
  std::uint32_t connected = 0;      // terminals the card connects (the module's rest are its own nodes)
  double setupTemp = std::nan("");  // °C of the last setup_instance
  std::vector<std::uint32_t> map;   // per module node: the node it is folded into (itself), kNone: ground
  std::vector<bool> merged;         // per module node: the engine merged it (node_alias), so no pin
  std::vector<int> slot;            // per module Jacobian entry: the kind's entry, -1: ground
  std::vector<Pin> pins;
  std::vector<double> solve, resid, prevState, nextState;
  double trash = 0;
  std::deque<std::string> strings;  // values of string parameters (the module keeps pointers to them)
  std::string log;  // error and warning messages of the module since the last setup
  std::mutex mu;

  ~Instance() {
    std::free(model);
    std::free(inst);
  }
};

void logMessage(void* handle, char* msg, std::uint32_t level) {
  auto* in = static_cast<Instance*>(handle);
  if (!in || (level & kLogLevelMask) < kLogWarn) return;
  std::string text = (level & kLogFormatError) ? std::string("(a message the model could not format)")
                                               : std::string(msg ? msg : "");
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.empty() || in->log.size() > 4096) return;
  if (!in->log.empty()) in->log += "; ";
  in->log += text;
}

// $limit functions, for libraries that import them: simcore evaluates
// modules without limiting (ENABLE_LIM is never set), so each returns its
// new value unchanged.
double limitPass2(bool, bool* check, double vnew, double) {
  if (check) *check = false;
  return vnew;
}
double limitPass3(bool, bool* check, double vnew, double, double) {
  if (check) *check = false;
  return vnew;
}
double limitPass4(bool, bool* check, double vnew, double, double, double) {
  if (check) *check = false;
  return vnew;
}

struct LimFunction {
  char* name;
  std::uint32_t num_args;
  void* func_ptr;
};

void* zeroed(std::size_t n) {
  n = (std::max<std::size_t>(n, 1) + 63) / 64 * 64;
  void* p = std::aligned_alloc(64, n);
  if (p) std::memset(p, 0, n);
  return p;
}

std::string paramName(const Module& m, std::uint32_t id) {
  const ParamOpvar& p = m.d->param_opvar[id];
  return p.name && p.name[0] ? lowered(p.name[0]) : "#" + std::to_string(id);
}

bool takeErrors(const Module& m, InitInfo& r, std::string& why) {
  bool bad = false;
  for (std::uint32_t k = 0; k < r.num_errors && r.errors; ++k) {
    if (!why.empty()) why += "; ";
    why += r.errors[k].code == kInitOutOfBounds
               ? "parameter '" + paramName(m, r.errors[k].parameter_id) + "' is out of its allowed range"
               : "set-up error " + std::to_string(r.errors[k].code);
    bad = true;
  }
  std::free(r.errors);
  r.errors = nullptr;
  return !bad;
}

// The given parameters into the module's model (model parameters and instance
// parameters' defaults) or instance data.
bool writeParams(Instance& in, bool instance, std::string& why) {
  const Module& m = *in.m;
  for (std::size_t p = 0; p < m.refs.size(); ++p) {
    if (std::isnan(in.given[p]) || m.refs[p].instance != instance) continue;
    const ParamRef& r = m.refs[p];
    void* at = m.d->access(in.inst, in.model, r.id, kAccessSet | (instance ? kAccessInstance : 0));
    if (!at) {
      why = "parameter '" + std::string(m.params[p].name) + "' cannot be set";
      return false;
    }
    if (r.type == kTypeStr) {
      char text[32];
      std::snprintf(text, sizeof text, "%.15g", in.given[p]);
      in.strings.emplace_back(text);
      *static_cast<char**>(at) = in.strings.back().data();
    } else if (r.type == kTypeInt) {
      const double v = in.given[p];
      if (!(std::fabs(v) < 2147483647.0) || v != std::nearbyint(v)) {
        why = "parameter '" + std::string(m.params[p].name) + "' takes an integer";
        return false;
      }
      *static_cast<std::int32_t*>(at) = static_cast<std::int32_t>(v);
    } else {
      *static_cast<double*>(at) = in.given[p];
    }
  }
  return true;
}

// setup_model (once) and setup_instance at tempC, then the node collapse.
bool setUp(Instance& in, double tempC, std::string& why) {
  const Module& m = *in.m;
  const Descriptor& d = *m.d;
  SimParamValues sv = simParams(1e-12);
  SimParas sp = sv.paras();
  in.log.clear();
  if (!in.modelReady) {
    if (!writeParams(in, false, why)) return false;
    InitInfo r{};
    d.setup_model(&in, in.model, &sp, &r);
    if (!takeErrors(m, r, why)) return false;
    if (!writeParams(in, true, why)) return false;
    in.modelReady = true;
  }
  InitInfo r{};
  d.setup_instance(&in, in.inst, in.model, tempC + kCtoK, in.connected, &sp, &r);
  if (!takeErrors(m, r, why)) return false;
  in.setupTemp = tempC;

  // the collapse (ngspice's rules): classes by their lowest node, kNone: ground
  const std::uint32_t N = m.nodes, T = in.connected;  // a terminal left unconnected folds as an internal node
  std::vector<std::uint32_t> map(N);
  for (std::uint32_t i = 0; i < N; ++i) map[i] = i;
  const bool* collapsed = reinterpret_cast<const bool*>(static_cast<const char*>(in.inst) + d.collapsed_offset);
  for (std::uint32_t k = 0; k < d.num_collapsible; ++k) {
    if (!collapsed[k]) continue;
    const std::uint32_t a = d.collapsible[k].node_1, b = d.collapsible[k].node_2;
    if (a >= N || (b != kNone && b >= N)) continue;
    const std::uint32_t ma = map[a], mb = b == kNone ? kNone : map[b];
    if (ma == mb) continue;
    const auto terminal = [&](std::uint32_t x) { return x != kNone && x < T; };
    if (terminal(ma) && (mb == kNone || terminal(mb))) continue;  // terminals never collapse
    if (ma == kNone && terminal(mb)) continue;
    std::uint32_t keep, drop;
    if (ma == kNone || mb == kNone) {
      keep = kNone;
      drop = ma == kNone ? mb : ma;
    } else {
      keep = std::min(ma, mb);
      drop = std::max(ma, mb);
    }
    for (auto& x : map)
      if (x == drop) x = keep;
  }
  in.map = map;
  auto* mapping = reinterpret_cast<std::uint32_t*>(static_cast<char*>(in.inst) + d.node_mapping_offset);
  for (std::uint32_t i = 0; i < N; ++i) mapping[i] = map[i] == kNone ? N : map[i];  // N: the ground slot
  auto* stateIdx = reinterpret_cast<std::uint32_t*>(static_cast<char*>(in.inst) + d.state_idx_off);
  for (std::uint32_t s = 0; s < d.num_states; ++s) stateIdx[s] = s;
  in.slot.assign(d.num_jacobian_entries, -1);
  for (std::uint32_t e = 0; e < d.num_jacobian_entries; ++e) {
    const std::uint32_t r = map[d.jacobian_entries[e].nodes.node_1], c = map[d.jacobian_entries[e].nodes.node_2];
    if (r != kNone && c != kNone) in.slot[e] = m.entry(r, c);
  }
  in.pins.clear();
  for (std::uint32_t i = T; i < N; ++i) {
    if (map[i] == i || (i < in.merged.size() && in.merged[i])) continue;
    Pin p;
    p.node = int(i);
    p.to = map[i] == kNone ? -1 : int(map[i]);
    p.diag = m.entry(i, i);
    if (p.to >= 0) p.off = m.entry(i, map[i]);
    in.pins.push_back(p);
  }
  return true;
}

void destroyInstance(void* obj) { delete static_cast<Instance*>(obj); }

// node_alias: the engine merges a node folded at creation into the node it is folded into, so
// that it needs no unknown (and no pin) of its own. A fold a later set-up (another temperature)
// makes is pinned instead; a merged node that a later set-up leaves unfolded stays merged.
int aliasNode(const void* obj, int local) {
  auto* in = const_cast<Instance*>(static_cast<const Instance*>(obj));
  std::lock_guard<std::mutex> lock(in->mu);
  const std::uint32_t N = in->m->nodes, T = in->connected;
  if (local < int(T) || local >= int(N)) return local;
  const std::uint32_t to = in->map[std::size_t(local)];
  if (to == std::uint32_t(local)) return local;
  in->merged.resize(N, false);
  in->merged[std::size_t(local)] = true;
  in->pins.erase(std::remove_if(in->pins.begin(), in->pins.end(), [&](const Pin& p) { return p.node == local; }),
                 in->pins.end());
  return to == kNone ? -1 : int(to);
}

// A card with fewer nodes than the module's terminals (ngspice's rule for OSDI devices): the
// module is set up again with that count; the others are the instance's own nodes.
int connectInstance(void* obj, int connected, char* error, std::size_t size) {
  auto* in = static_cast<Instance*>(obj);
  std::lock_guard<std::mutex> lock(in->mu);
  in->connected = std::uint32_t(std::max(connected, 1));
  std::string why;
  if (!setUp(*in, std::isnan(in->setupTemp) ? 27.0 : in->setupTemp, why)) {
    if (!in->log.empty()) why += " (" + in->log + ")";
    std::snprintf(error, size, "%s", why.c_str());
    return 1;
  }
  return 0;
}

void* createInstance(void* kindData, const double* params, char* error, std::size_t size) {
  const Module& m = *static_cast<const Module*>(kindData);
  auto in = std::make_unique<Instance>();
  in->m = &m;
  in->connected = m.terminals;
  in->given.assign(params, params + m.params.size());
  in->model = zeroed(m.d->model_size);
  in->inst = zeroed(m.d->instance_size);
  const std::size_t n = m.nodes + 1;
  in->solve.assign(n, 0.0);
  in->resid.assign(n, 0.0);
  in->prevState.assign(std::max<std::size_t>(m.d->num_states, 1), 0.0);
  in->nextState.assign(std::max<std::size_t>(m.d->num_states, 1), 0.0);
  std::string why;
  if (!in->model || !in->inst) why = "out of memory";
  else if (!setUp(*in, 27.0, why) && why.empty()) why = "the model refused its parameters";
  if (why.empty() && !in->log.empty()) {
    // messages of the set-up (a model's $warning): kept as its message only when it failed
    in->log.clear();
  }
  if (!why.empty()) {
    if (!in->log.empty()) why += " (" + in->log + ")";
    std::snprintf(error, size, "%s", why.c_str());
    return nullptr;
  }
  return in.release();
}

void poison(const Module& m, simcore_load_args* a) {
  for (std::uint32_t k = 0; k < m.nodes; ++k) a->f[k] = std::nan("");
}

// The module evaluated at the local solution x (set up again first when the
// temperature changed); false when the set-up or the evaluation fails.
bool evaluate(Instance& in, const double* x, double temp, double gmin, double time, std::uint32_t flags) {
  if (!(in.setupTemp == temp)) {
    std::string why;
    if (!setUp(in, temp, why)) return false;
  }
  const std::uint32_t N = in.m->nodes;
  for (std::uint32_t k = 0; k < N; ++k) in.solve[k] = x[k];
  in.solve[N] = 0;  // the ground slot
  SimParamValues sv = simParams(gmin);
  SimInfo info{sv.paras(), time, in.solve.data(), in.prevState.data(), in.nextState.data(), flags};
  return !(in.m->d->eval(&in, in.inst, in.model, &info) & kEvalFatal);
}

void loadInstance(const void* obj, simcore_load_args* a) {
  auto* in = const_cast<Instance*>(static_cast<const Instance*>(obj));
  std::lock_guard<std::mutex> lock(in->mu);
  const Module& m = *in->m;
  const Descriptor& d = *m.d;
  const std::uint32_t N = m.nodes;
  std::uint32_t flags = kCalcResistJacobian | kCalcReactJacobian;
  if (a->mode == SIMCORE_MODE_AC)
    flags |= kAnalysisAc;  // the Jacobians at the operating point
  else
    flags |= kCalcResistResidual | kCalcReactResidual |
             (a->mode == SIMCORE_MODE_DC ? (kAnalysisDc | kAnalysisStatic) : kAnalysisTran);
  if (!evaluate(*in, a->x, a->temp, a->gmin, a->time, flags)) return poison(m, a);
  if (a->mode != SIMCORE_MODE_AC) {
    std::fill(in->resid.begin(), in->resid.end(), 0.0);
    d.load_residual_resist(in->inst, in->model, in->resid.data());
    for (std::uint32_t k = 0; k < N; ++k) a->f[k] = in->resid[k];
    std::fill(in->resid.begin(), in->resid.end(), 0.0);
    d.load_residual_react(in->inst, in->model, in->resid.data());
    for (std::uint32_t k = 0; k < N; ++k) a->q[k] = in->resid[k];
  }
  char* base = static_cast<char*>(in->inst);
  auto** resist = reinterpret_cast<double**>(base + d.jacobian_ptr_resist_offset);
  for (std::uint32_t e = 0; e < d.num_jacobian_entries; ++e) {
    const int s = in->slot[e];
    resist[e] = s >= 0 ? &a->g[s] : &in->trash;
    if (const std::uint32_t off = d.jacobian_entries[e].react_ptr_off; off != kNone)
      *reinterpret_cast<double**>(base + off) = s >= 0 ? &a->c[s] : &in->trash;
  }
  d.load_jacobian_resist(in->inst, in->model);
  d.load_jacobian_react(in->inst, in->model, 1.0);
  for (const Pin& p : in->pins) {
    a->f[p.node] = a->x[p.node] - (p.to >= 0 ? a->x[p.to] : 0.0);
    a->q[p.node] = 0;
    if (p.diag >= 0) a->g[p.diag] += 1.0;
    if (p.off >= 0) a->g[p.off] -= 1.0;
  }
}

// .noise: the module evaluated for noise at the operating point x; each noise
// source's density at 1, 10 and 100 Hz split into white + flicker / f^fexp (a
// Verilog-A white_noise, flicker_noise or their sum: exact for those).
void noiseInstance(const void* obj, const double* x, double temp, int* nodes, double* white, double* flicker,
                   double* fexp) {
  auto* in = const_cast<Instance*>(static_cast<const Instance*>(obj));
  std::lock_guard<std::mutex> lock(in->mu);
  const Module& m = *in->m;
  const Descriptor& d = *m.d;
  const std::uint32_t N = m.nodes, n = d.num_noise_src;
  if (!d.load_noise || n == 0) return;
  if (!evaluate(*in, x, temp, 1e-12, 0.0,
                kCalcResistJacobian | kCalcReactJacobian | kCalcNoise | kAnalysisAc | kAnalysisNoise))
    return;
  std::vector<double> s1(n), s10(n), s100(n), scratch(n);
  d.load_noise(in->inst, in->model, 1.0, s1.data(), scratch.data());
  d.load_noise(in->inst, in->model, 10.0, s10.data(), scratch.data());
  d.load_noise(in->inst, in->model, 100.0, s100.data(), scratch.data());
  for (std::uint32_t g = 0; g < n; ++g) {
    const NodePair p = d.noise_sources[g].nodes;
    auto local = [&](std::uint32_t node) {
      if (node >= N) return -1;
      const std::uint32_t to = in->map[node];
      return to == kNone ? -1 : int(to);
    };
    nodes[2 * g] = local(p.node_1);
    nodes[2 * g + 1] = local(p.node_2);
    const double d1 = s1[g], d10 = s10[g], d100 = s100[g];
    const double scale = std::max({std::fabs(d1), std::fabs(d10), std::fabs(d100)});
    if (std::fabs(d1 - d10) <= 1e-12 * scale) {  // white
      white[g] = d1;
      flicker[g] = 0;
      continue;
    }
    const double r = (d10 - d100) / (d1 - d10);  // 10^-fexp
    if (!(r > 0 && r < 1)) {  // not of the form white + c / f^e (a table): its value at 1 Hz as white
      white[g] = d1;
      flicker[g] = 0;
      continue;
    }
    const double c = (d1 - d10) / (1 - r);
    fexp[g] = -std::log10(r);
    flicker[g] = c;
    white[g] = std::max(d1 - c, 0.0);
  }
}

// @device[name]: the module's output variable `id` evaluated at x.
double outputInstance(const void* obj, const double* x, double temp, int id) {
  auto* in = const_cast<Instance*>(static_cast<const Instance*>(obj));
  std::lock_guard<std::mutex> lock(in->mu);
  const Module& m = *in->m;
  const Descriptor& d = *m.d;
  if (id < 0 || std::size_t(id) >= m.outputIds.size()) return std::nan("");
  if (!evaluate(*in, x, temp, 1e-12, 0.0,
                kCalcResistResidual | kCalcReactResidual | kCalcResistJacobian | kCalcReactJacobian | kCalcOp |
                    kAnalysisDc | kAnalysisStatic))
    return std::nan("");
  const std::uint32_t pid = m.outputIds[std::size_t(id)];
  const void* at = d.access(in->inst, in->model, pid, 0);
  if (!at) return std::nan("");
  const std::uint32_t type = d.param_opvar[pid].flags & kTypeMask;
  if (type == kTypeInt) return double(*static_cast<const std::int32_t*>(at));
  if (type == kTypeReal) return *static_cast<const double*>(at);
  return std::nan("");
}

// The kind of one module; an empty string when it has one, else why not.
std::string makeKind(Module& m) {
  const Descriptor& d = *m.d;
  m.name = lowered(d.name);
  if (!plainName(m.name)) return "module '" + m.name + "': its name is not usable as a .model type";
  if (d.num_terminals < 1 || d.num_terminals > d.num_nodes || d.num_nodes > 256)
    return "module '" + m.name + "': " + std::to_string(d.num_terminals) + " terminals and " +
           std::to_string(d.num_nodes) + " nodes are not supported";
  m.nodes = d.num_nodes;
  m.terminals = d.num_terminals;
  if (!d.access || !d.setup_model || !d.setup_instance || !d.eval || !d.load_residual_resist ||
      !d.load_residual_react || !d.load_jacobian_resist || !d.load_jacobian_react)
    return "module '" + m.name + "': a required function is missing";

  // parameters: model parameters, instance parameters (also as .model defaults);
  // a string parameter takes a number's text (BSIM4's version=4.8); array
  // parameters are not settable here
  std::set<std::pair<int, std::string>> seen;
  auto add = [&](const std::string& name, int scope, const ParamOpvar& p, ParamRef r) {
    if (!seen.insert({scope, name}).second) return;
    m.text.push_back(name);
    const char* n = m.text.back().c_str();
    m.text.push_back(p.units ? p.units : "");
    const char* u = m.text.back().c_str();
    m.text.push_back(p.description ? p.description : "");
    const char* doc = m.text.back().c_str();
    m.params.push_back(simcore_param_desc{n, scope, std::nan(""), u, doc});
    m.refs.push_back(r);
  };
  for (int pass = 0; pass < 2; ++pass)
    for (std::uint32_t id = 0; id < d.num_params; ++id) {
      const ParamOpvar& p = d.param_opvar[id];
      const std::uint32_t kind = p.flags & kKindMask, type = p.flags & kTypeMask;
      if (kind == kKindOpvar || p.len > 0 || !p.name) continue;
      const bool inst = kind == kKindInstance;
      for (std::uint32_t a = 0; a <= p.num_alias; ++a) {
        std::string name = lowered(p.name[a]);
        if (name == "$mfactor") name = "m";
        if (!plainName(name)) continue;
        if (pass == 0 && !inst) add(name, SIMCORE_PARAM_MODEL, p, ParamRef{id, type, false});
        if (pass == 0 && inst) add(name, SIMCORE_PARAM_INSTANCE, p, ParamRef{id, type, true});
        if (pass == 1 && inst && name != "m") add(name, SIMCORE_PARAM_MODEL, p, ParamRef{id, type, false});
      }
    }

  // matrix entries: every entry, under every collapse the module allows
  std::vector<std::vector<std::uint32_t>> group(m.nodes);
  {
    std::vector<std::uint32_t> root(m.nodes);
    for (std::uint32_t i = 0; i < m.nodes; ++i) root[i] = i;
    auto find = [&](std::uint32_t x) {
      while (root[x] != x) x = root[x] = root[root[x]];
      return x;
    };
    for (std::uint32_t k = 0; k < d.num_collapsible; ++k) {
      const std::uint32_t a = d.collapsible[k].node_1, b = d.collapsible[k].node_2;
      if (a < m.nodes && b < m.nodes) root[find(a)] = find(b);
    }
    for (std::uint32_t i = 0; i < m.nodes; ++i)
      for (std::uint32_t j = 0; j < m.nodes; ++j)
        if (find(i) == find(j)) group[i].push_back(j);
  }
  auto addEntry = [&](std::uint32_t r, std::uint32_t c) {
    if (m.entryIndex.emplace(std::make_pair(r, c), int(m.entries.size())).second)
      m.entries.push_back(simcore_matrix_entry{int(r), int(c)});
  };
  for (std::uint32_t e = 0; e < d.num_jacobian_entries; ++e) {
    const NodePair n = d.jacobian_entries[e].nodes;
    if (n.node_1 >= m.nodes || n.node_2 >= m.nodes)
      return "module '" + m.name + "': a Jacobian entry names a node that does not exist";
    for (std::uint32_t r : group[n.node_1])
      for (std::uint32_t c : group[n.node_2]) addEntry(r, c);
  }
  for (std::uint32_t i = 0; i < m.nodes; ++i)  // (terminals too: one the card leaves out folds as a node)
    for (std::uint32_t j : group[i]) addEntry(i, j);  // a collapsed node's pin (j = i: the diagonal)

  // DC paths for the floating-node check: resistive entries between two
  // nodes and collapsible pairs; an internal node with neither reaches
  // terminal 0 (the module's own business)
  std::set<std::pair<int, int>> paths;
  for (std::uint32_t e = 0; e < d.num_jacobian_entries; ++e) {
    const NodePair n = d.jacobian_entries[e].nodes;
    if (n.node_1 != n.node_2 && (d.jacobian_entries[e].flags & kEntryResist))
      paths.insert({int(std::min(n.node_1, n.node_2)), int(std::max(n.node_1, n.node_2))});
  }
  for (std::uint32_t k = 0; k < d.num_collapsible; ++k) {
    const std::uint32_t a = d.collapsible[k].node_1, b = d.collapsible[k].node_2;
    if (a < m.nodes && b < m.nodes && a != b) paths.insert({int(std::min(a, b)), int(std::max(a, b))});
  }
  std::vector<bool> grounded(m.nodes, false);  // a resistive diagonal entry: a conductance to ground
  for (std::uint32_t e = 0; e < d.num_jacobian_entries; ++e) {
    const NodePair n = d.jacobian_entries[e].nodes;
    if (n.node_1 == n.node_2 && (d.jacobian_entries[e].flags & kEntryResist)) grounded[n.node_1] = true;
  }
  for (std::uint32_t i = 1; i < m.nodes; ++i) {
    bool linked = false;
    for (const auto& p : paths) linked = linked || p.first == int(i) || p.second == int(i);
    // a terminal a card may leave out (BSIM-BULK's thermal node, with its own resistance to ground)
    if (!linked && (i >= m.terminals || grounded[i])) paths.insert({0, int(i)});
  }
  for (const auto& p : paths) {
    m.dcPaths.push_back(p.first);
    m.dcPaths.push_back(p.second);
  }

  // operating-point outputs: the module's output variables (opvars), real or integer
  std::set<std::string> outSeen;
  for (std::uint32_t id = d.num_params; id < d.num_params + d.num_opvars; ++id) {
    const ParamOpvar& p = d.param_opvar[id];
    const std::uint32_t type = p.flags & kTypeMask;
    if (!p.name || p.len > 0 || (type != kTypeReal && type != kTypeInt)) continue;
    for (std::uint32_t a = 0; a <= p.num_alias; ++a) {
      const std::string name = lowered(p.name[a]);
      if (name.empty() || !outSeen.insert(name).second) continue;
      m.text.push_back(name);
      m.outputNames.push_back(m.text.back().c_str());
      m.outputIds.push_back(id);
    }
  }
  for (std::uint32_t g = 0; g < d.num_noise_src && d.noise_sources; ++g) {
    m.text.push_back("_" + lowered(d.noise_sources[g].name));
    m.noiseNames.push_back(m.text.back().c_str());
  }

  m.doc = "Verilog-A module '" + m.name + "' of the OSDI library " + m.file + ": " +
          std::to_string(m.terminals) + " terminals, " + std::to_string(m.nodes - m.terminals) + " internal nodes.";
  simcore_device_kind& k = m.kind;
  k.struct_size = sizeof k;
  k.name = m.name.c_str();
  k.letter = 'n';
  k.model_type = m.name.c_str();
  k.terminals = int(m.terminals);
  k.internal_nodes = int(m.nodes - m.terminals);
  k.branches = 0;
  k.flags = SIMCORE_KIND_NONLINEAR | SIMCORE_KIND_REACTIVE;
  k.params = m.params.data();
  k.num_params = int(m.params.size());
  k.entries = m.entries.data();
  k.num_entries = int(m.entries.size());
  k.dc_paths = m.dcPaths.data();
  k.num_dc_paths = int(m.dcPaths.size() / 2);
  k.destroy = destroyInstance;
  k.load = loadInstance;
  k.doc = m.doc.c_str();
  k.kind_data = &m;
  k.create_in_kind = createInstance;
  k.node_alias = aliasNode;
  k.min_terminals = 1;  // as ngspice: a card may leave trailing terminals out (a warning says so)
  k.connect = connectInstance;
  if (!m.outputNames.empty()) {
    k.num_outputs = int(m.outputNames.size());
    k.output_names = m.outputNames.data();
    k.output = outputInstance;
  }
  if (!m.noiseNames.empty() && d.load_noise) {
    k.num_noise = int(m.noiseNames.size());
    k.noise_names = m.noiseNames.data();
    k.noise = noiseInstance;
  }
  return {};
}

template <class T>
const T* symbol(void* handle, const char* name) {
  return static_cast<const T*>(::dlsym(handle, name));
}

}  // namespace

bool isOsdiLibrary(void* handle) { return handle && ::dlsym(handle, "OSDI_DESCRIPTORS"); }

Result<LoadedPlugin> bridge(const std::string& file, void* handle, std::shared_ptr<const void> library) {
  const auto* major = symbol<std::uint32_t>(handle, "OSDI_VERSION_MAJOR");
  const auto* minor = symbol<std::uint32_t>(handle, "OSDI_VERSION_MINOR");
  const auto* count = symbol<std::uint32_t>(handle, "OSDI_NUM_DESCRIPTORS");
  const auto* first = symbol<char>(handle, "OSDI_DESCRIPTORS");
  if (!major || !minor || !count || !first) return fail(file, "not an OSDI library (OSDI_VERSION_*, OSDI_NUM_DESCRIPTORS missing)");
  if (*major != 0 || *minor < 3)
    return fail(file, "OSDI version " + std::to_string(*major) + "." + std::to_string(*minor) +
                          " (simcore reads versions 0.3 to 0.5 and later 0.x; compile it with a recent OpenVAF)");
  // 0.3 exports no stride: its descriptors are exactly the 0.3 struct
  std::size_t stride = sizeof(Descriptor);
  if (const auto* size = symbol<std::uint32_t>(handle, "OSDI_DESCRIPTOR_SIZE")) stride = *size;
  if (stride < sizeof(Descriptor)) return fail(file, "its OSDI_DESCRIPTOR_SIZE is smaller than version 0.3's descriptor");
  if (*count < 1 || *count > 1000) return fail(file, "it declares " + std::to_string(*count) + " modules");
  if (auto* log = const_cast<LogFn*>(symbol<LogFn>(handle, "osdi_log"))) *log = &logMessage;
  if (const auto* limLen = symbol<std::uint32_t>(handle, "OSDI_LIM_TABLE_LEN")) {
    auto* table = const_cast<LimFunction*>(symbol<LimFunction>(handle, "OSDI_LIM_TABLE"));
    for (std::uint32_t i = 0; table && i < *limLen; ++i) {
      const std::string name = lowered(table[i].name);
      const std::uint32_t args = table[i].num_args;
      if (name == "pnjlim" && args == 2) table[i].func_ptr = reinterpret_cast<void*>(&limitPass4);
      else if (name == "limvds" && args == 0) table[i].func_ptr = reinterpret_cast<void*>(&limitPass2);
      else if (name == "fetlim" && args == 1) table[i].func_ptr = reinterpret_cast<void*>(&limitPass3);
      else if (name == "limitlog" && args == 1) table[i].func_ptr = reinterpret_cast<void*>(&limitPass3);
      else return fail(file, "its models use the limiting function '" + name + "', which simcore does not provide");
    }
  }
  auto bundle = std::make_shared<Bundle>();
  bundle->library = std::move(library);
  bundle->name = "osdi:" + file;
  for (std::uint32_t i = 0; i < *count; ++i) {
    auto m = std::make_unique<Module>();
    m->d = reinterpret_cast<const Descriptor*>(first + std::size_t(i) * stride);
    m->file = file;
    if (std::string why = makeKind(*m); !why.empty()) return fail(file, why);
    bundle->modules.push_back(std::move(m));
  }
  for (const auto& m : bundle->modules) bundle->kinds.push_back(&m->kind);
  simcore_plugin& p = bundle->plugin;
  p.abi_version = SIMCORE_PLUGIN_ABI_VERSION;
  p.struct_size = sizeof p;
  p.name = bundle->name.c_str();
  p.version = "OSDI";
  p.kinds = bundle->kinds.data();
  p.num_kinds = int(bundle->kinds.size());
  LoadedPlugin out{file, &bundle->plugin, nullptr};
  out.library = std::shared_ptr<const void>(bundle, &bundle->plugin);
  return out;
}

}  // namespace simcore::osdi
