// CIDER's one-dimensional numerical devices (ngspice 39's NUMD and NBJT at
// level 1; docs/cider.md): descriptors and device groups. Each instance is a
// cider::Bar (cider1d.hpp) solved to convergence at its terminal voltages in
// every load; the group stamps its terminal currents and their derivatives,
// hands its carrier and displacement charges to the integrator, and limits
// the terminal voltages between Newton iterations as ngspice's NUMD and NBJT
// do (junction steps), so that circuits converge as they do there.
#include <algorithm>
#include <cmath>
#include <map>

#include "devices/cider1d.hpp"
#include "devices/common.hpp"

namespace simcore::dev {
namespace {

constexpr double kKelvin = 273.15;

// ngspice's limits (polarity applied): a junction's step, the bipolar
// transistor's vbe and vce, and a resistor's. A forward-biased junction rises
// by at most `rise` and falls by at most 0.1 V (to 0 from just above it); a
// reverse-biased one falls by at most `fall` and rises by at most 1 V, not
// past 0.
double limitForward(double vnew, double vold, double rise, double fall) {
  if (vold >= 0) {
    if (vnew > vold) return std::min(vnew, vold + rise);
    if (vnew < 0 && vold > 0 && vold <= 0.05) return 0.0;
    return std::max(vnew, vold - 0.1);
  }
  if (vnew < vold) return std::max(vnew, vold - fall);
  if (vnew < 0) return std::min(vnew, vold + 1.0);
  return vold + 1.0 > 0 ? 0.0 : vold + 1.0;
}
double limitJunction(double vnew, double vold) { return limitForward(vnew, vold, vold > 0.65 ? 0.05 : 0.1, 0.5); }
double limitVbe(double vnew, double vold) {
  return limitForward(vnew, vold, vold > 0.9 ? 0.01 : vold > 0.85 ? 0.025 : vold > 0.65 ? 0.05 : 0.1, 0.1);
}
double limitVce(double vnew, double vold) {
  if (vold >= 0) {
    if (vnew > vold) return vnew - vold > 1.0 ? vold + 1.0 : vnew;
    return vold - vnew > 0.5 ? vold - 0.5 : vnew;
  }
  if (vnew < vold) return vold - vnew > 1.0 ? vold - 1.0 : vnew;
  if (vnew < 0) return vnew - vold > 1.0 ? vold + 1.0 : vnew;
  return vold + 1.0 > 0 ? 0.0 : vold + 1.0;
}
double limitResistor(double vnew, double vold) {
  if (vnew - vold > 0.5) return vold + 0.5;
  if (vnew - vold < -0.5) return vold - 0.5;
  return vnew;
}

template <bool kBjt>
class NumericalDevices final : public GroupBase {
 public:
  using GroupBase::GroupBase;

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    bars_.assign(n, cider::Bar{});
    nodes_.assign(n, {0, 0, 0});
    state_.assign(n, 0);
    vold_.assign(n, {0.0, 0.0});
    off_.assign(n, false);
    pos_.assign(n, {});
    const ir::Options& o = ctx.options();
    std::map<const ir::Model*, cider::Spec> specs;
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      const ir::Model* mod = ctx.model(d);
      if (!mod) return deviceError(d, std::string(kind_.name) + " '" + d.name + "' needs a model");
      if (auto s = checkModel(*mod); !s) return s;
      auto it = specs.find(mod);
      if (it == specs.end()) {
        auto spec = cider::readSpec(*mod, kBjt);
        if (!spec) return spec.error();
        it = specs.emplace(mod, std::move(*spec)).first;
      }
      const ParamValues P = values(d, mod);
      const double tempK = P.inst("temp", o.temp) + kKelvin;
      if (auto s = bars_[i].setup(it->second, tempK, o.tnom + kKelvin, o.reltol, P.inst("area"), d.name); !s) {
        Error e = s.error();
        if (e.loc.line == 0) e.loc = d.loc;
        return e;
      }
      off_[i] = P.hasInst("off") && P.inst("off") != 0;
      for (std::size_t k = 0; k < (kBjt ? 3u : 2u); ++k) nodes_[i][k] = ctx.node(d.nodes[k]);
      state_[i] = ctx.addStates(bars_[i].states());
    }
    return {};
  }

  void pattern(PatternBuilder& b) override {
    const int t = kBjt ? 3 : 2;
    for (std::size_t i = 0; i < inst_.size(); ++i)
      for (int r = 0; r < t; ++r)
        for (int c = 0; c < t; ++c) pos_[i][static_cast<std::size_t>(r * 3 + c)] = b.entry(nodes_[i][static_cast<std::size_t>(r)], nodes_[i][static_cast<std::size_t>(c)]);
  }

  bool linear() const override { return false; }

  void load(LoadContext& c) override {
    const std::size_t n = inst_.size();
    std::vector<double>& q = charges_;
    for (std::size_t i = 0; i < n; ++i) {
      cider::Bar& bar = bars_[i];
      q.resize(static_cast<std::size_t>(bar.states()));
      if (recordsOnly(c.mode)) {
        if (c.uic) bar.equilibrium();  // as ngspice: the device starts from zero bias with uic
        bar.charges(q.data());
        for (int s = 0; s < bar.states(); ++s) c.charge(state_[i] + s, q[static_cast<std::size_t>(s)]);
        continue;
      }
      const auto& nd = nodes_[i];
      const double* x = c.x;
      // the biases: NUMD vd; NBJT vce, vbe
      double v1, v2 = 0;
      if (kBjt) {
        v1 = x[nd[0]] - x[nd[2]];
        v2 = x[nd[1]] - x[nd[2]];
      } else {
        v1 = x[nd[0]] - x[nd[1]];
      }
      double l1 = v1, l2 = v2;
      bool limited = false;
      const int type = bar.polarity();
      if (c.initJunctions && c.mode == AnalysisMode::DcOp) {
        if (off_[i]) {
          l1 = l2 = 0;
        } else if (kBjt) {
          l2 = 0.6 * type;
          l1 = 1.0 * type;
        } else {
          l1 = bar.deviceType() == cider::Spec::Resistor ? 0.0 : 0.5 * type;
        }
        limited = true;
      } else {
        const double o1 = vold_[i][0], o2 = vold_[i][1];
        if (kBjt) {
          l1 = type * limitVce(type * v1, type * o1);
          l2 = type * limitVbe(type * v2, type * o2);
        } else if (bar.deviceType() == cider::Spec::Resistor) {
          l1 = limitResistor(v1, o1);
        } else {
          l1 = type * limitJunction(type * v1, type * o1);
        }
        limited = l1 != v1 || l2 != v2;
      }
      const bool tran = c.mode == AnalysisMode::Tran;
      cider::TimeTerms tt{tran ? c.ag0 : 0.0, tran ? c.hist + state_[i] : nullptr};
      const bool ok = bar.solve(cider::Bias{l1, l2}, tt);
      if (!ok || limited) ++c.noncon;
      vold_[i] = {l1, l2};
      bar.charges(q.data());
      for (int s = 0; s < bar.states(); ++s) c.charge(state_[i] + s, q[static_cast<std::size_t>(s)]);
      const cider::Terminals& T = bar.terminals();
      const auto& p = pos_[i];
      if (!kBjt) {
        const double g = T.g[0][0];
        const double cur = T.i1 + g * (v1 - l1);
        c.f[nd[0]] += cur;
        c.f[nd[1]] -= cur;
        c.A[p[0]] += g;
        c.A[p[1]] -= g;
        c.A[p[3]] -= g;
        c.A[p[4]] += g;
        continue;
      }
      // currents into the collector and the emitter; ngspice's gmin terms
      const double gm = c.gmin;
      double g[2][2] = {{T.g[0][0] + 2 * gm, T.g[0][1] - gm}, {T.g[1][0] - gm, T.g[1][1] - gm}};
      const double d1 = v1 - l1, d2 = v2 - l2;
      const double ic = T.i1 + gm * (2 * l1 - l2) + g[0][0] * d1 + g[0][1] * d2;
      const double ie = T.i2 - gm * (l1 + l2) + g[1][0] * d1 + g[1][1] * d2;
      // rows C, B, E over columns C, B, E (vce = vc - ve, vbe = vb - ve)
      const double rowC[3] = {g[0][0], g[0][1], -(g[0][0] + g[0][1])};
      const double rowE[3] = {g[1][0], g[1][1], -(g[1][0] + g[1][1])};
      c.f[nd[0]] += ic;
      c.f[nd[2]] += ie;
      c.f[nd[1]] -= ic + ie;
      for (int k = 0; k < 3; ++k) {
        c.A[p[static_cast<std::size_t>(k)]] += rowC[k];
        c.A[p[static_cast<std::size_t>(6 + k)]] += rowE[k];
        c.A[p[static_cast<std::size_t>(3 + k)]] -= rowC[k] + rowE[k];
      }
    }
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      std::complex<double> y[2][2];
      bars_[i].admittance(c.omega, y);
      const auto& p = pos_[i];
      if (!kBjt) {
        c.A[p[0]] += y[0][0];
        c.A[p[1]] -= y[0][0];
        c.A[p[3]] -= y[0][0];
        c.A[p[4]] += y[0][0];
        continue;
      }
      const std::complex<double> rowC[3] = {y[0][0], y[0][1], -(y[0][0] + y[0][1])};
      const std::complex<double> rowE[3] = {y[1][0], y[1][1], -(y[1][0] + y[1][1])};
      for (int k = 0; k < 3; ++k) {
        c.A[p[static_cast<std::size_t>(k)]] += rowC[k];
        c.A[p[static_cast<std::size_t>(6 + k)]] += rowE[k];
        c.A[p[static_cast<std::size_t>(3 + k)]] -= rowC[k] + rowE[k];
      }
    }
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const auto& nd : nodes_) {
      out.emplace_back(nd[0], nd[1]);
      if (kBjt) out.emplace_back(nd[1], nd[2]);
    }
  }

  // @d[id] (into n+), @q[ic], [ib], [ie] (into each terminal): the last solution's
  int quantityId(std::size_t, std::string_view param) const override {
    if (!kBjt) return param == "id" ? 0 : -1;
    return param == "ic" ? 0 : param == "ib" ? 1 : param == "ie" ? 2 : -1;
  }
  void currentNames(std::size_t, std::vector<std::string_view>& out) const override {
    if (!kBjt) out.emplace_back("id");
    else {
      out.emplace_back("ic");
      out.emplace_back("ib");
      out.emplace_back("ie");
    }
  }
  double quantity(std::size_t i, int id, const QuantityContext&) const override {
    const cider::Terminals& T = bars_[i].terminals();
    if (!kBjt) return T.i1;
    return id == 0 ? T.i1 : id == 2 ? T.i2 : -(T.i1 + T.i2);
  }

 private:
  std::vector<cider::Bar> bars_;
  std::vector<std::array<Index, 3>> nodes_;
  std::vector<int> state_;
  std::vector<std::array<double, 2>> vold_;
  std::vector<bool> off_;
  std::vector<std::array<Pos, 9>> pos_;
  std::vector<double> charges_;  // one instance's charges in load (kept: no allocation per load)
};

constexpr const char* kNumdTypes[] = {"numd"};
constexpr const char* kNbjtTypes[] = {"nbjt"};
constexpr ParamSpec kParams[] = {
    iparam("area", 1.0, "", "area factor: the device's area is area times the options card's defa"),
    kTempParam,
    flagParam("off", "the operating point starts from zero bias"),
    flagParam("print", "ngspice's printing of internal states: accepted and ignored"),
    flagParam("save", "ngspice's saving of internal solutions: accepted and ignored"),
    mparam("level", 1.0, "", "1: one-dimensional (the only level simcore has)"),
};

}  // namespace

extern const DeviceKind kNumdKind, kNbjtKind;

constexpr DeviceKind kNumdKind{
    .letter = 'd', .name = "numerical diode", .form = CardForm::ModelCard, .minNodes = 2, .maxNodes = 2,
    .modelTypes = kNumdTypes, .params = kParams, .positional = "area",
    .valueDoc = "Dname n+ n- model [area] [temp=value] [off]   (.model X NUMD level=1, then one card per '+' line)",
    .create = makeGroup<NumericalDevices<false>, kNumdKind>};

constexpr DeviceKind kNbjtKind{
    .letter = 'q', .name = "numerical bipolar transistor", .form = CardForm::ModelCard, .minNodes = 3, .maxNodes = 3,
    .modelTypes = kNbjtTypes, .params = kParams, .positional = "area",
    .valueDoc = "Qname c b e model [area] [temp=value] [off]   (.model X NBJT level=1, then one card per '+' line)",
    .create = makeGroup<NumericalDevices<true>, kNbjtKind>};

}  // namespace simcore::dev
