// The DeviceGroup of a plugin kind (simcore/device_plugin.h): it owns the
// instances' unknowns, matrix positions, charge states and discrete states,
// and turns the plugin's local f, q, g, c into the engine's stamps:
//   residual  f[idx[r]] += f[r] + (ag0 q[r] + hist)      (charge() per reactive row)
//   matrix    A[pos[e]] += g[e] + ag0 c[e]
//   AC        A[pos[e]] += g[e] + j omega c[e]           (load in SIMCORE_MODE_AC at the op)
// A SWITCHING kind's state follows SwitchGroup's rules: held through a
// transient time point, changed in accept()/settle() after events located on
// the plugin's event_function; at DC it follows next_state between Newton
// iterations, frozen after kMaxFlips changes.
#include <cmath>
#include <complex>

#include "devices/plugin_kind.hpp"
#include "devices/common.hpp"
#include "devices/noise.hpp"
#include "devices/plugin_kinds.hpp"

namespace simcore::dev {
namespace {

class PluginGroup final : public GroupBase {
 public:
  static constexpr int kMaxFlips = 8;

  PluginGroup(const PluginKind& pk, std::vector<const ir::Device*> inst)
      : GroupBase(pk.kind, std::move(inst)), pk_(pk), k_(pk.c), n_(pk.unknowns()), e_(pk.c.num_entries) {
    obj_.assign(inst_.size(), nullptr);
  }
  ~PluginGroup() override {
    for (void* p : obj_)
      if (p) k_.destroy(p);
  }

  bool linear() const override { return !(k_.flags & (SIMCORE_KIND_NONLINEAR | SIMCORE_KIND_SWITCHING)); }
  bool piecewiseLinear() const override { return !(k_.flags & SIMCORE_KIND_NONLINEAR); }

  Status setup(SetupContext& ctx) override {
    const std::size_t count = inst_.size();
    idx_.assign(count * std::size_t(n_), 0);
    state0_.assign(count, 0);
    st_.assign(count, 0);
    init_.assign(count, 0);
    flips_.assign(count, 0);
    pos_.assign(count * std::size_t(e_), 0);
    std::vector<double> vals(pk_.params.size());
    char message[512];
    for (std::size_t i = 0; i < count; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      const ir::Model* m = ctx.model(d);
      if (!m || m->type != k_.model_type)
        return deviceError(d, std::string(k_.name) + " '" + d.name + "' needs a " + k_.model_type + " model");
      if (auto s = checkModel(*m); !s) return s;
      const ParamValues P = values(d, m);
      for (std::size_t p = 0; p < pk_.params.size(); ++p) {
        const ParamSpec& spec = pk_.params[p];
        const bool inst = spec.scope == ParamScope::Instance;
        vals[p] = inst ? P.inst(spec.name) : P.model(spec.name);  // NaN: neither given nor defaulted
      }
      message[0] = 0;
      obj_[i] = k_.create_in_kind ? k_.create_in_kind(k_.kind_data, vals.data(), message, sizeof message)
                                  : k_.create(vals.data(), message, sizeof message);
      if (!obj_[i]) {
        message[sizeof message - 1] = 0;
        return deviceError(d, std::string(k_.name) + " '" + d.name + "': " +
                                  (message[0] ? message : "the plugin refused the parameters"));
      }
      Index* idx = &idx_[i * std::size_t(n_)];
      const int connected = std::min<int>(k_.terminals, int(d.nodes.size()));
      if (connected < k_.terminals) {
        message[0] = 0;
        if (!k_.connect || k_.connect(obj_[i], connected, message, sizeof message) != 0) {
          message[sizeof message - 1] = 0;
          return deviceError(d, std::string(k_.name) + " '" + d.name + "': " +
                                    (message[0] ? message : "the plugin needs all its terminals connected"));
        }
      }
      for (int t = 0; t < connected; ++t) idx[t] = ctx.node(d.nodes[std::size_t(t)]);
      // terminals the card leaves out, then internal nodes: the instance's own nodes
      for (int local = connected; local < k_.terminals + k_.internal_nodes; ++local) {
        const int alias = k_.node_alias ? k_.node_alias(obj_[i], local) : local;
        if (alias >= 0 && alias < local) idx[local] = idx[alias];  // merged with a node before it
        else if (alias == -1) idx[local] = 0;                       // merged with ground
        else if (local < k_.terminals) idx[local] = ctx.addInternalNode(d, "t" + std::to_string(local));
        else idx[local] = ctx.addInternalNode(d, std::to_string(local - k_.terminals));
      }
      for (int t = 0; t < k_.branches; ++t) idx[k_.terminals + k_.internal_nodes + t] = ctx.addBranch(d);
      if (k_.flags & SIMCORE_KIND_REACTIVE) state0_[i] = ctx.addStates(n_);
      if (k_.flags & SIMCORE_KIND_SWITCHING) init_[i] = st_[i] = k_.initial_state ? k_.initial_state(obj_[i]) : 0;
    }
    temp_ = ctx.options().temp;
    gmin_ = ctx.options().gmin;
    x_.resize(std::size_t(n_));
    f_.resize(std::size_t(n_));
    q_.resize(std::size_t(n_));
    g_.resize(std::size_t(e_));
    c_.resize(std::size_t(e_));
    return {};
  }

  void pattern(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const Index* idx = &idx_[i * std::size_t(n_)];
      for (int e = 0; e < e_; ++e)
        pos_[i * std::size_t(e_) + std::size_t(e)] = b.entry(idx[k_.entries[e].row], idx[k_.entries[e].col]);
    }
  }

  void load(LoadContext& c) override {
    lastMode_ = c.mode;
    const bool switching = k_.flags & SIMCORE_KIND_SWITCHING;
    const bool reactive = k_.flags & SIMCORE_KIND_REACTIVE;
    for (std::size_t i = 0, count = inst_.size(); i < count; ++i) {
      gather(c.x, i);
      if (switching) updateState(c, i);
      if (recordsOnly(c.mode)) {
        if (reactive) {
          evaluate(i, SIMCORE_MODE_TRAN, c);
          for (int r = 0; r < n_; ++r) c.charge(state0_[i] + r, q_[std::size_t(r)]);
        }
        continue;
      }
      evaluate(i, c.mode == AnalysisMode::DcOp ? SIMCORE_MODE_DC : SIMCORE_MODE_TRAN, c);
      const Index* idx = &idx_[i * std::size_t(n_)];
      for (int r = 0; r < n_; ++r) {
        double fr = f_[std::size_t(r)];
        if (reactive) fr += c.charge(state0_[i] + r, q_[std::size_t(r)]);
        c.f[idx[r]] += fr;
      }
      if (!c.stampMatrix) continue;
      const Pos* pos = &pos_[i * std::size_t(e_)];
      for (int e = 0; e < e_; ++e) c.A[pos[e]] += g_[std::size_t(e)] + (reactive ? c.ag0 * c_[std::size_t(e)] : 0.0);
    }
  }

  void acLoad(AcContext& c) override {
    LoadContext lc;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      gather(c.xop, i);
      evaluate(i, SIMCORE_MODE_AC, lc);
      const Pos* pos = &pos_[i * std::size_t(e_)];
      for (int e = 0; e < e_; ++e)
        c.A[pos[e]] += std::complex<double>(g_[std::size_t(e)], c.omega * c_[std::size_t(e)]);
    }
  }

  void accept(const double* x, double) override {
    if (!(k_.flags & SIMCORE_KIND_SWITCHING)) return;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      flips_[i] = 0;
      if (lastMode_ != AnalysisMode::DcOp) st_[i] = next(x, i);
    }
  }

  int settle(const double* x, double) override {
    if (!(k_.flags & SIMCORE_KIND_SWITCHING)) return 0;
    int changed = 0;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const std::uint8_t ns = next(x, i);
      if (ns != st_[i]) {
        st_[i] = ns;
        ++changed;
      }
    }
    return changed;
  }

  void configuration(std::vector<std::uint8_t>& key) const override {
    if (k_.flags & SIMCORE_KIND_SWITCHING) key.insert(key.end(), st_.begin(), st_.end());
  }
  void setConfiguration(const std::uint8_t*& p) override {
    if (k_.flags & SIMCORE_KIND_SWITCHING)
      for (auto& s : st_) s = *p++;
  }

  bool findEvent(const double* x0, const double* x1, double t0, double t1, Event& ev) const override {
    return findEvent(StepView{nullptr, x0, x1, t0, t0, t1}, ev);
  }
  bool findEvent(const StepView& s, Event& ev) const override {
    if (!(k_.flags & SIMCORE_KIND_SWITCHING)) return false;
    bool found = false;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      if (next(s.x1, i) == st_[i]) continue;
      const double g0 = eventValue(s.x0, i), g1 = eventValue(s.x1, i);
      const double gm = s.xm1 ? eventValue(s.xm1, i) : 0.0;
      const double t = s.crossing(gm, g0, g1, 0.0);
      if (!found || t < ev.time) ev.time = t;
      found = true;
      ev.analog = true;  // (a switching kind changes its stamps, as a switch S does)
    }
    return found;
  }

  // .noise: the plugin's generators at the operating point
  void noise(NoiseContext& c) const override {
    const int ng = k_.num_noise;
    if (ng <= 0 || !k_.noise) return;
    const auto count = static_cast<std::size_t>(ng);
    std::vector<double> xl(static_cast<std::size_t>(n_)), white(count), flicker(count), fexp(count);
    std::vector<int> nodes(2 * count);
    const int locals = k_.terminals + k_.internal_nodes;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const Index* idx = &idx_[i * std::size_t(n_)];
      for (int r = 0; r < n_; ++r) xl[std::size_t(r)] = c.xop[idx[r]];
      std::fill(nodes.begin(), nodes.end(), -1);
      std::fill(white.begin(), white.end(), 0.0);
      std::fill(flicker.begin(), flicker.end(), 0.0);
      std::fill(fexp.begin(), fexp.end(), 1.0);
      k_.noise(obj_[i], xl.data(), c.tempK - 273.15, nodes.data(), white.data(), flicker.data(), fexp.data());
      auto at = [&](int local) { return local >= 0 && local < locals ? idx[local] : Index(0); };
      for (int g = 0; g < ng; ++g) {
        const Index a = at(nodes[2 * std::size_t(g)]), b = at(nodes[2 * std::size_t(g) + 1]);
        const double w = std::isfinite(white[std::size_t(g)]) ? std::max(white[std::size_t(g)], 0.0) : 0.0;
        const double f = std::isfinite(flicker[std::size_t(g)]) ? std::max(flicker[std::size_t(g)], 0.0) : 0.0;
        if (a == b || (w == 0 && f == 0)) continue;
        c.out->push_back({a, b, w, f, inst_[i]->name, k_.noise_names[g],
                          std::isfinite(fexp[std::size_t(g)]) ? fexp[std::size_t(g)] : 1.0});
      }
    }
  }

  // @device[name]: the plugin's operating-point outputs
  int quantityId(std::size_t, std::string_view param) const override {
    for (int o = 0; o < k_.num_outputs; ++o)
      if (param == k_.output_names[o]) return o;
    return -1;
  }
  double quantity(std::size_t i, int id, const QuantityContext& c) const override {
    if (id < 0 || id >= k_.num_outputs || !k_.output) return 0.0;
    std::vector<double> xl(static_cast<std::size_t>(n_));
    const Index* idx = &idx_[i * std::size_t(n_)];
    for (int r = 0; r < n_; ++r) xl[std::size_t(r)] = c.x[idx[r]];
    return k_.output(obj_[i], xl.data(), temp_, id);
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const Index* idx = &idx_[i * std::size_t(n_)];
      if (k_.dc_paths) {
        for (int p = 0; p < k_.num_dc_paths; ++p) out.emplace_back(idx[k_.dc_paths[2 * p]], idx[k_.dc_paths[2 * p + 1]]);
      } else {
        for (int t = 1; t < k_.terminals + k_.internal_nodes; ++t) out.emplace_back(idx[0], idx[t]);
      }
    }
  }

 private:
  void gather(const double* x, std::size_t i) {
    const Index* idx = &idx_[i * std::size_t(n_)];
    for (int r = 0; r < n_; ++r) x_[std::size_t(r)] = x[idx[r]];
  }
  // The plugin's load at x_ for instance i; results in f_, q_, g_, c_.
  void evaluate(std::size_t i, int mode, const LoadContext& c) {
    std::fill(f_.begin(), f_.end(), 0.0);
    std::fill(q_.begin(), q_.end(), 0.0);
    std::fill(g_.begin(), g_.end(), 0.0);
    std::fill(c_.begin(), c_.end(), 0.0);
    simcore_load_args a{};
    a.x = x_.data();
    a.time = c.time;
    a.mode = mode;
    a.gmin = mode == SIMCORE_MODE_AC ? gmin_ : c.gmin;
    a.temp = temp_;
    a.state = st_[i];
    a.f = f_.data();
    a.q = q_.data();
    a.g = g_.data();
    a.c = c_.data();
    k_.load(obj_[i], &a);
  }
  // SwitchGroup's state rules for one instance, at the gathered x_.
  void updateState(LoadContext& c, std::size_t i) {
    if (c.mode == AnalysisMode::TranInit) {
      st_[i] = k_.next_state(obj_[i], x_.data(), st_[i]);
    } else if (c.mode == AnalysisMode::DcOp) {
      if (c.initJunctions) {
        st_[i] = init_[i];
        flips_[i] = 0;
      } else {
        const std::uint8_t ns = k_.next_state(obj_[i], x_.data(), st_[i]);
        if (ns != st_[i] && flips_[i] < kMaxFlips) {
          st_[i] = ns;
          ++flips_[i];
          ++c.noncon;
        }
      }
    }
  }
  std::uint8_t next(const double* x, std::size_t i) const {
    std::vector<double> xl(static_cast<std::size_t>(n_));
    const Index* idx = &idx_[i * std::size_t(n_)];
    for (int r = 0; r < n_; ++r) xl[std::size_t(r)] = x[idx[r]];
    return k_.next_state(obj_[i], xl.data(), st_[i]);
  }
  double eventValue(const double* x, std::size_t i) const {
    std::vector<double> xl(static_cast<std::size_t>(n_));
    const Index* idx = &idx_[i * std::size_t(n_)];
    for (int r = 0; r < n_; ++r) xl[std::size_t(r)] = x[idx[r]];
    return k_.event_function(obj_[i], xl.data(), st_[i]);
  }

  const PluginKind& pk_;
  const simcore_device_kind& k_;
  const int n_, e_;
  std::vector<void*> obj_;
  std::vector<Index> idx_;  // n_ per instance
  std::vector<Pos> pos_;    // e_ per instance
  std::vector<int> state0_;
  std::vector<std::uint8_t> st_, init_;
  std::vector<int> flips_;
  AnalysisMode lastMode_ = AnalysisMode::DcOp;
  double temp_ = 27.0, gmin_ = 1e-12;  // the circuit's .options temp and gmin
  std::vector<double> x_, f_, q_, g_, c_;  // scratch for one instance
};

}  // namespace

std::unique_ptr<DeviceGroup> makePluginGroup(const PluginKind& kind, std::vector<const ir::Device*> instances) {
  return std::make_unique<PluginGroup>(kind, std::move(instances));
}

}  // namespace simcore::dev
