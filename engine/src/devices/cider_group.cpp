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
#include <memory>

#include "devices/cider1d.hpp"
#include "devices/cider2d.hpp"
#include "devices/common.hpp"
#include "devices/truncation.hpp"

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
double limitVgb(double vnew, double vold) {
  if (vold >= 0) {
    if (vnew > vold) return std::min(vnew, vold + 1.0);
    return std::max(vnew, vold - 0.2);
  }
  if (vnew < vold) return std::max(vnew, vold - 1.0);
  if (vnew < 0) return std::min(vnew, vold + 1.0);
  return vold + 1.0 > 0 ? 0.0 : vold + 1.0;
}
double limitResistor(double vnew, double vold) {
  if (vnew - vold > 0.5) return vold + 0.5;
  if (vnew - vold < -0.5) return vold - 0.5;
  return vnew;
}

// kTerms: 2 numd, 3 nbjt (level 1 or 2), 4 numos (two-dimensional only)
template <int kTerms>
class NumericalDevices final : public GroupBase {
  static constexpr bool kBjt = kTerms == 3;

 public:
  using GroupBase::GroupBase;

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    bars_.assign(n, cider::Bar{});
    planes_.clear();
    planes_.resize(n);
    stepTime_.assign(n, -1.0);
    nodes_.assign(n, {0, 0, 0, 0});
    state_.assign(n, 0);
    vold_.assign(n, {0.0, 0.0, 0.0});
    off_.assign(n, false);
    pos_.assign(n, {});
    const ir::Options& o = ctx.options();
    std::map<const ir::Model*, cider::Spec> specs;
    std::map<const ir::Model*, cider::Spec> specs2;
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      const ir::Model* mod = ctx.model(d);
      if (!mod) return deviceError(d, std::string(kind_.name) + " '" + d.name + "' needs a model");
      if (auto s = checkModel(*mod); !s) return s;
      const ParamValues P = values(d, mod);
      const double tempK = P.inst("temp", o.temp) + kKelvin;
      off_[i] = P.hasInst("off") && P.inst("off") != 0;
      for (std::size_t k = 0; k < static_cast<std::size_t>(kTerms); ++k) nodes_[i][k] = ctx.node(d.nodes[k]);
      const int level = static_cast<int>(std::lround(P.model("level")));
      if (kTerms == 4 || level == 2) {
        auto it = specs2.find(mod);
        if (it == specs2.end()) {
          auto spec = cider::readSpec2(*mod, kTerms);
          if (!spec) return spec.error();
          it = specs2.emplace(mod, std::move(*spec)).first;
        }
        const double area = P.inst("area") > 0 ? P.inst("area") : 1.0;
        const double w = P.hasInst("w") && P.inst("w") > 0 ? P.inst("w") : 1.0;
        planes_[i] = std::make_unique<cider::Plane>();
        if (auto s = planes_[i]->setup(it->second, kTerms, tempK, o.tnom + kKelvin, o.reltol, area * w, d.name); !s) {
          Error e = s.error();
          if (e.loc.line == 0) e.loc = d.loc;
          return e;
        }
        state_[i] = ctx.addStates(planes_[i]->states());
        ctx.deviceUnknowns(planes_[i]->unknowns());
        // CIDER's truncation over the carrier densities: their root mean square, 10 reltol
        if (auto* t = dynamic_cast<TruncationExemptions*>(&ctx))
          t->truncatedByMean(state_[i], planes_[i]->carrierStates(), 10.0);
        continue;
      }
      auto it = specs.find(mod);
      if (it == specs.end()) {
        auto spec = cider::readSpec(*mod, kBjt);
        if (!spec) return spec.error();
        it = specs.emplace(mod, std::move(*spec)).first;
      }
      if (auto s = bars_[i].setup(it->second, tempK, o.tnom + kKelvin, o.reltol, P.inst("area"), d.name); !s) {
        Error e = s.error();
        if (e.loc.line == 0) e.loc = d.loc;
        return e;
      }
      state_[i] = ctx.addStates(bars_[i].states());
      ctx.deviceUnknowns(bars_[i].unknowns());
      // (the bar's carrier states are truncated one by one: CIDER's RMS over them
      // lost the inverter chain's edges, examples/cider/bjt/invchain.cir)
    }
    return {};
  }

  void pattern(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      // (the one-dimensional stamps index rows by 3)
      const int stride = planes_[i] ? kTerms : 3;
      for (int r = 0; r < kTerms; ++r)
        for (int c = 0; c < kTerms; ++c)
          pos_[i][static_cast<std::size_t>(r * stride + c)] =
              b.entry(nodes_[i][static_cast<std::size_t>(r)], nodes_[i][static_cast<std::size_t>(c)]);
    }
  }

  bool linear() const override { return false; }

  void accept(const double*, double) override {
    for (auto& pl : planes_)
      if (pl) pl->keepAccepted();
    for (std::size_t i = 0; i < bars_.size(); ++i)
      if (!planes_[i]) bars_[i].keepAccepted();
  }

  void load(LoadContext& c) override {
    const std::size_t n = inst_.size();
    std::vector<double>& q = charges_;
    for (std::size_t i = 0; i < n; ++i) {
      if (planes_[i]) {
        loadPlane(i, c);
        continue;
      }
      if constexpr (kTerms == 4) continue;
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
      // a transient: one device step per circuit iteration from the accepted state (loadPlane)
      bool ok;
      if (tran) {
        if (c.time != stepTime_[i]) {
          bar.restoreAccepted();
          stepTime_[i] = c.time;
        }
        ok = bar.step(cider::Bias{l1, l2}, tt);
      } else {
        ok = bar.solve(cider::Bias{l1, l2}, tt);
        if (ok) bar.keepAccepted();
      }
      if (!ok || limited) ++c.noncon;
      vold_[i] = {l1, l2, 0.0};
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
      if (planes_[i]) {
        std::complex<double> y[cider::kMaxContacts][cider::kMaxContacts - 1];
        planes_[i]->admittance(c.omega, y);
        stampPlane(i, y, [&](Pos p, std::complex<double> v) { c.A[p] += v; });
        continue;
      }
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
      if constexpr (kTerms == 4) {  // drain and source through the bulk; the gate is insulated
        out.emplace_back(nd[0], nd[3]);
        out.emplace_back(nd[2], nd[3]);
        continue;
      }
      out.emplace_back(nd[0], nd[1]);
      if (kBjt) out.emplace_back(nd[1], nd[2]);
    }
  }

  // @d[id] (into n+), @q[ic], [ib], [ie] (into each terminal): the last solution's
  int quantityId(std::size_t, std::string_view param) const override {
    if constexpr (kTerms == 4)
      return param == "id" ? 0 : param == "ig" ? 1 : param == "is" ? 2 : param == "ib" ? 3 : -1;
    if (!kBjt) return param == "id" ? 0 : -1;
    return param == "ic" ? 0 : param == "ib" ? 1 : param == "ie" ? 2 : -1;
  }
  void currentNames(std::size_t, std::vector<std::string_view>& out) const override {
    if constexpr (kTerms == 4) {
      for (const char* q : {"id", "ig", "is", "ib"}) out.emplace_back(q);
      return;
    }
    if (!kBjt) out.emplace_back("id");
    else {
      out.emplace_back("ic");
      out.emplace_back("ib");
      out.emplace_back("ie");
    }
  }
  double quantity(std::size_t i, int id, const QuantityContext&) const override {
    if (planes_[i]) {
      const auto cur = planeCurrents(i);
      if constexpr (kTerms == 2) return cur[0];
      else if constexpr (kTerms == 3) return id == 0 ? cur[0] : id == 2 ? cur[2] : cur[1];
      else return cur[static_cast<std::size_t>(id)];
    }
    const cider::Terminals& T = bars_[i].terminals();
    if (!kBjt) return T.i1;
    return id == 0 ? T.i1 : id == 2 ? T.i2 : -(T.i1 + T.i2);
  }

 private:
  // The terminal whose current is the others' negated sum (ngspice's: the
  // numd's second, the nbjt's base, the numos's bulk).
  static constexpr int kRest = kTerms == 4 ? 3 : 1;

  // currents into each terminal at the last solution
  std::array<double, 4> planeCurrents(std::size_t i) const {
    const cider::PlaneTerminals& T = planes_[i]->terminals();
    std::array<double, 4> cur{};
    double sum = 0;
    for (int k = 0; k < kTerms; ++k)
      if (k != kRest) {
        cur[static_cast<std::size_t>(k)] = T.i[static_cast<std::size_t>(k)];
        sum += cur[static_cast<std::size_t>(k)];
      }
    cur[static_cast<std::size_t>(kRest)] = -sum;
    return cur;
  }

  // Stamps y[k][j] = d i_k / d v_j (v_j against the last terminal) over the
  // terminals' rows and columns (the rest's row: the others' negated sum).
  template <class T, class Add>
  void stampPlane(std::size_t i, const T (&y)[cider::kMaxContacts][cider::kMaxContacts - 1], Add add) const {
    const auto& p = pos_[i];
    auto at = [&](int r, int c) { return p[static_cast<std::size_t>(r * kTerms + c)]; };
    T restRow[4] = {};
    for (int k = 0; k < kTerms; ++k) {
      if (k == kRest) continue;
      T sum = T(0);
      for (int j = 0; j < kTerms - 1; ++j) {
        add(at(k, j), y[k][j]);
        restRow[j] -= y[k][j];
        sum += y[k][j];
      }
      add(at(k, kTerms - 1), -sum);
      restRow[kTerms - 1] += sum;
    }
    for (int j = 0; j < kTerms; ++j) add(at(kRest, j), restRow[j]);
  }

  void loadPlane(std::size_t i, LoadContext& c) {
    cider::Plane& pl = *planes_[i];
    std::vector<double>& q = charges_;
    q.resize(static_cast<std::size_t>(pl.states()));
    if (recordsOnly(c.mode)) {
      if (c.uic) pl.equilibrium();
      pl.charges(q.data());
      for (int s = 0; s < pl.states(); ++s) c.charge(state_[i] + s, q[static_cast<std::size_t>(s)]);
      return;
    }
    const auto& nd = nodes_[i];
    const double* x = c.x;
    double v[3] = {0, 0, 0}, l[3] = {0, 0, 0};
    for (int k = 0; k + 1 < kTerms; ++k) v[k] = x[nd[static_cast<std::size_t>(k)]] - x[nd[kTerms - 1]];
    for (int k = 0; k + 1 < kTerms; ++k) l[k] = v[k];
    const int pol = pl.polarity();  // +1: the first contact is n-type
    const auto type = pl.deviceType();
    const auto& o = vold_[i];
    if (c.initJunctions && c.mode == AnalysisMode::DcOp) {
      if (off_[i]) {
        l[0] = l[1] = l[2] = 0;
      } else if constexpr (kTerms == 2) {
        l[0] = type == cider::Spec::Resistor ? 0.0 : 0.5 * -pol;  // forward: the first contact is p-type
      } else if constexpr (kTerms == 3) {
        l[0] = (type == cider::Spec::Jfet ? 0.5 : 1.0) * pol;  // vce
        l[1] = type == cider::Spec::Jfet ? 0.0 : 0.6 * pol;    // vbe
      } else {
        // (vdb, vgb, vsb)
        if (type == cider::Spec::Bipolar) {
          l[0] = 0;
          l[2] = -pol * 1.0;
          l[1] = -pol * 0.4;
        } else {
          l[0] = 0.5 * pol;
          l[2] = 0;
          l[1] = type == cider::Spec::Jfet ? 0.0 : 1.0 * pol;
        }
      }
    } else if constexpr (kTerms == 2) {
      const double t = -pol;
      l[0] = type == cider::Spec::Resistor ? t * limitResistor(t * v[0], t * o[0]) : t * limitJunction(t * v[0], t * o[0]);
    } else if constexpr (kTerms == 3) {
      const double t = pol;
      if (type == cider::Spec::Jfet) {
        // (ngspice: vce = vbe - vbc from the limited vbe and vbc; unchanged when neither moved)
        const double vbe = t * limitJunction(t * v[1], t * o[1]);
        const double vbcRaw = vbe - v[0];
        const double vbc = t * limitJunction(t * vbcRaw, t * (o[1] - o[0]));
        l[1] = vbe;
        l[0] = vbe == v[1] && vbc == vbcRaw ? v[0] : vbe - vbc;
      } else {
        l[1] = t * limitJunction(t * v[1], t * o[1]);
        l[0] = t * limitVce(t * v[0], t * o[0]);
      }
    } else {
      const double t = pol;
      l[0] = -t * limitJunction(-t * v[0], -t * o[0]);
      l[2] = -t * limitJunction(-t * v[2], -t * o[2]);
      l[1] = t * limitVgb(t * v[1], t * o[1]);
    }
    const bool limited = l[0] != v[0] || l[1] != v[1] || l[2] != v[2];
    const bool tran = c.mode == AnalysisMode::Tran;
    cider::TimeTerms tt{tran ? c.ag0 : 0.0, tran ? c.hist + state_[i] : nullptr};
    // A transient takes one device Newton step per circuit iteration (as CIDER:
    // the circuit's iterations converge both; one that does not converge cuts
    // the time step), each attempt at a time point from the state at the last
    // accepted one. DC solves the device through.
    bool ok;
    if (tran) {
      if (c.time != stepTime_[i]) {
        pl.restoreAccepted();
        stepTime_[i] = c.time;
      }
      ok = pl.step(l, tt);
    } else {
      ok = pl.solve(l, tt);
      if (ok) pl.keepAccepted();  // (the transient's first attempts start from the operating point)
    }
    if (!ok || limited) ++c.noncon;
    vold_[i] = {l[0], l[1], l[2]};
    pl.charges(q.data());
    for (int s = 0; s < pl.states(); ++s) c.charge(state_[i] + s, q[static_cast<std::size_t>(s)]);
    const cider::PlaneTerminals& T = pl.terminals();
    double g[cider::kMaxContacts][cider::kMaxContacts - 1] = {};
    for (int k = 0; k < kTerms; ++k)
      for (int j = 0; j + 1 < kTerms; ++j) g[k][j] = T.g[k][j];
    const auto cur0 = planeCurrents(i);
    // the currents at the circuit's voltages (linearised from the limited ones)
    std::array<double, 4> cur{};
    double sum = 0;
    for (int k = 0; k < kTerms; ++k) {
      if (k == kRest) continue;
      double ik = cur0[static_cast<std::size_t>(k)];
      for (int j = 0; j + 1 < kTerms; ++j) ik += g[k][j] * (v[j] - l[j]);
      cur[static_cast<std::size_t>(k)] = ik;
      sum += ik;
    }
    cur[static_cast<std::size_t>(kRest)] = -sum;
    if constexpr (kTerms == 4)  // ngspice's gmin on the gate's derivatives (the Jacobian only)
      for (int j = 0; j < 3; ++j) g[1][j] += c.gmin;
    for (int k = 0; k < kTerms; ++k) c.f[nd[static_cast<std::size_t>(k)]] += cur[static_cast<std::size_t>(k)];
    stampPlane(i, g, [&](Pos p, double val) { c.A[p] += val; });
  }

  std::vector<cider::Bar> bars_;
  std::vector<std::unique_ptr<cider::Plane>> planes_;  // two-dimensional instances
  std::vector<double> stepTime_;  // transient: the time of the attempt the last step belonged to
  std::vector<std::array<Index, 4>> nodes_;
  std::vector<int> state_;
  std::vector<std::array<double, 3>> vold_;
  std::vector<bool> off_;
  std::vector<std::array<Pos, 16>> pos_;
  std::vector<double> charges_;  // one instance's charges in load (kept: no allocation per load)
};

constexpr const char* kNumdTypes[] = {"numd"};
constexpr const char* kNbjtTypes[] = {"nbjt"};
constexpr const char* kNumosTypes[] = {"numos"};
constexpr ParamSpec kParams[] = {
    iparam("area", 1.0, "", "area factor: one dimension: the area is area times the options card's defa; two: the depth is area times w times defw"),
    iparam("w", 1.0, "m", "two dimensions: width factor (the depth is area times w times the options card's defw, 1 m by default)"),
    iparam("l", 0.0, "m", "numos: accepted and not used, as by ngspice 39"),
    kTempParam,
    flagParam("off", "the operating point starts from zero bias"),
    flagParam("print", "ngspice's printing of internal states: accepted and ignored"),
    flagParam("save", "ngspice's saving of internal solutions: accepted and ignored"),
    mparam("level", 1.0, "", "1: one-dimensional; 2: two-dimensional (numos is always two-dimensional)"),
};

}  // namespace

extern const DeviceKind kNumdKind, kNbjtKind, kNumosKind;

constexpr DeviceKind kNumdKind{
    .letter = 'd', .name = "numerical diode", .form = CardForm::ModelCard, .minNodes = 2, .maxNodes = 2,
    .modelTypes = kNumdTypes, .params = kParams, .positional = "area",
    .valueDoc = "Dname n+ n- model [area] [w=value] [temp=value] [off]   (.model X NUMD level=1 or 2, then one card per '+' line)",
    .create = makeGroup<NumericalDevices<2>, kNumdKind>};

constexpr DeviceKind kNbjtKind{
    .letter = 'q', .name = "numerical bipolar transistor", .form = CardForm::ModelCard, .minNodes = 3, .maxNodes = 3,
    .modelTypes = kNbjtTypes, .params = kParams, .positional = "area",
    .valueDoc = "Qname c b e model [area] [w=value] [temp=value] [off]   (.model X NBJT level=1 or 2, then one card per '+' line)",
    .create = makeGroup<NumericalDevices<3>, kNbjtKind>};

constexpr DeviceKind kNumosKind{
    .letter = 'm', .name = "numerical MOSFET", .form = CardForm::ModelCard, .minNodes = 4, .maxNodes = 4,
    .modelTypes = kNumosTypes, .params = kParams, .positional = "area",
    .valueDoc = "Mname d g s b model [area] [w=value] [temp=value] [off]   (.model X NUMOS, then one card per '+' line)",
    .create = makeGroup<NumericalDevices<4>, kNumosKind>};

}  // namespace simcore::dev
