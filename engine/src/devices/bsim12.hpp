// The frame BSIM1 and BSIM2 (ngspice's levels 4 and 5, bsim1 and bsim2)
// share: their loads are the same apart from the channel model. Per instance:
//
//   series resistances RSH*NRD and RSH*NRS (internal nodes d', s');
//   bulk junctions b-s', b-d' with saturation currents JS*AS and JS*AD (at
//   least 1e-15 A), linear below zero bias (Is/vt), exponential above, with
//   2*gmin across (what ngspice's loads converge to),
//   at the fixed thermal voltage of 300.15 K;
//   depletion charges CJ*area + CJSW*perimeter with MJ, MJSW, PB, PBSW (each
//   at least 0.1 V) and no FC rule: the quadratic continuation from zero bias
//   in forward bias;
//   the channel in the frame where the drain is the higher terminal (mode),
//   with the level's own charge model (gate, bulk and drain charges of the
//   mode; the source's is minus their sum);
//   overlap charges CGSO*W*vgs, CGDO*W*vgd, CGBO*(L-DL)*vgb (in .ac, as
//   ngspice, CGSO and CGDO per effective width W-DW, and BSIM1's CGBO per L);
//   m multiplies every current, conductance and charge.
//
// Charge states: the gate's, the drain's (with minus the b-d junction
// charge) and the bulk's (with both junction charges), each between its
// terminal and s', as ngspice integrates them. The derivatives of the
// channel current and of the charges come from one evaluation in forward-mode
// automatic differentiation (Ad: a value and its gradient over the local
// vgs, vds, vbs), so the Jacobian and the small-signal capacitances are the
// exact derivatives of what is evaluated, in every region.
//
// A level supplies:
//   struct Inst : bsim12::Frame { ... };         // its parameters at L and W
//   static bsim12::Channel channel(const Inst&, Ad vds, Ad vbs, Ad vgs);
//   static std::string setupLevel(const ParamValues&, Inst&);   // after setupFrame
//   static constexpr const char* kName;          // "BSIM1"
//   static void limitSmallSignal(double& gm, double& gds, double& gmbs);  // ngspice's limits (.ac)
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "devices/common.hpp"
#include "devices/noise.hpp"
#include "devices/semiconductor.hpp"

// A BSIM1/BSIM2 model parameter X with its length and width dependences LX and WX.
#define SIMCORE_BSIM12_LW(name, def, unit, doc)                                          \
  mparam(name, def, unit, doc), mparam("l" name, 0.0, "", "length dependence of " name), \
      mparam("w" name, 0.0, "", "width dependence of " name)

// The instance rows BSIM1 and BSIM2 share (the uic voltages accepted and
// ignored, as the BJT's: simcore starts every device from the node voltages).
#define SIMCORE_BSIM12_INSTANCE_PARAMS                                                                     \
  iparam("l", 5e-6, "m", "channel length"), iparam("w", 5e-6, "m", "channel width"), kMultParam,          \
      iparam("ad", 0.0, "m²", "drain diffusion area"), iparam("as", 0.0, "m²", "source diffusion area"),  \
      iparam("pd", 0.0, "m", "drain junction perimeter"), iparam("ps", 0.0, "m", "source junction perimeter"), \
      iparam("nrd", 1.0, "", "drain diffusion squares (with RSH)"),                                       \
      iparam("nrs", 1.0, "", "source diffusion squares (with RSH)"),                                      \
      flagParam("off", "start the operating point with the device off"),                                 \
      iparam("vds", kNoDefault, "V", "initial d-s voltage (uic): accepted and ignored").shown("—"),       \
      iparam("vgs", kNoDefault, "V", "initial g-s voltage (uic): accepted and ignored").shown("—"),       \
      iparam("vbs", kNoDefault, "V", "initial b-s voltage (uic): accepted and ignored").shown("—"),       \
      iparam("ic", kNoDefault, "V", "IC=vds,vgs,vbs (uic): accepted and ignored").shown("—").vec(),

// The descriptor rows BSIM1 and BSIM2 share: drain/source diffusions and
// junctions, and flicker noise (ngspice's b1/b2 read the same names).
#define SIMCORE_BSIM12_JUNCTION_PARAMS                                                                     \
  mparam("rsh", 0.0, "Ω", "drain and source diffusion sheet resistance"),                                 \
      mparam("js", 0.0, "A/m²", "junction saturation current density"),                                   \
      mparam("pb", 0.0, "V", "bottom junction potential (at least 0.1)"),                                 \
      mparam("mj", 0.0, "", "bottom junction grading coefficient"),                                       \
      mparam("pbsw", 0.0, "V", "sidewall junction potential (at least 0.1)"),                             \
      mparam("mjsw", 0.0, "", "sidewall junction grading coefficient"),                                   \
      mparam("cj", 0.0, "F/m²", "bottom junction capacitance per area"),                                  \
      mparam("cjsw", 0.0, "F/m", "sidewall junction capacitance per length"),                             \
      mparam("wdf", 0.0, "m", "default width of source/drain diffusions: read, no effect (as ngspice)"),  \
      mparam("dell", 0.0, "m", "length reduction of source/drain diffusions: read, no effect (as ngspice)"), \
      kKfNoiseParam, kAfNoiseParam,

namespace simcore::dev::bsim12 {

// A value and its derivatives with respect to the local vgs, vds and vbs.
struct Ad {
  double v = 0;
  double d[3] = {0, 0, 0};
  Ad() = default;
  Ad(double x) : v(x) {}  // NOLINT: constants convert implicitly
  Ad(double x, double dg, double dd, double db) : v(x), d{dg, dd, db} {}
};
inline Ad operator+(const Ad& a, const Ad& b) { return {a.v + b.v, a.d[0] + b.d[0], a.d[1] + b.d[1], a.d[2] + b.d[2]}; }
inline Ad operator-(const Ad& a, const Ad& b) { return {a.v - b.v, a.d[0] - b.d[0], a.d[1] - b.d[1], a.d[2] - b.d[2]}; }
inline Ad operator-(const Ad& a) { return {-a.v, -a.d[0], -a.d[1], -a.d[2]}; }
inline Ad operator*(const Ad& a, const Ad& b) {
  return {a.v * b.v, a.d[0] * b.v + a.v * b.d[0], a.d[1] * b.v + a.v * b.d[1], a.d[2] * b.v + a.v * b.d[2]};
}
inline Ad operator/(const Ad& a, const Ad& b) {
  const double r = a.v / b.v, ib = 1.0 / b.v;
  return {r, (a.d[0] - r * b.d[0]) * ib, (a.d[1] - r * b.d[1]) * ib, (a.d[2] - r * b.d[2]) * ib};
}
inline Ad operator+(const Ad& a, double b) { return {a.v + b, a.d[0], a.d[1], a.d[2]}; }
inline Ad operator+(double a, const Ad& b) { return b + a; }
inline Ad operator-(const Ad& a, double b) { return {a.v - b, a.d[0], a.d[1], a.d[2]}; }
inline Ad operator-(double a, const Ad& b) { return {a - b.v, -b.d[0], -b.d[1], -b.d[2]}; }
inline Ad operator*(const Ad& a, double b) { return {a.v * b, a.d[0] * b, a.d[1] * b, a.d[2] * b}; }
inline Ad operator*(double a, const Ad& b) { return b * a; }
inline Ad operator/(const Ad& a, double b) { return a * (1.0 / b); }
inline Ad operator/(double a, const Ad& b) {
  const double r = a / b.v, k = -r / b.v;
  return {r, k * b.d[0], k * b.d[1], k * b.d[2]};
}
inline Ad& operator+=(Ad& a, const Ad& b) { return a = a + b; }
inline Ad& operator-=(Ad& a, const Ad& b) { return a = a - b; }
inline Ad& operator*=(Ad& a, const Ad& b) { return a = a * b; }
// f(a) with f' = df at a.v
inline Ad chain(const Ad& a, double f, double df) { return {f, df * a.d[0], df * a.d[1], df * a.d[2]}; }
inline Ad sqrt(const Ad& a) {
  const double s = std::sqrt(a.v);
  return chain(a, s, 0.5 / s);
}
inline Ad exp(const Ad& a) {
  const double e = std::exp(a.v);
  return chain(a, e, e);
}
// ngspice's MAX(a, b) and MIN(a, b): the first when it is larger (smaller)
inline Ad max(const Ad& a, double b) { return a.v > b ? a : Ad(b); }
inline Ad min(const Ad& a, double b) { return a.v < b ? a : Ad(b); }

// The channel of a level in its mode (vds >= 0): the current from drain to
// source and the intrinsic gate, bulk and drain charges (per device, m not
// applied), with the threshold and saturation voltage.
struct Channel {
  Ad ids, qg, qb, qd;
  double von = 0, vdsat = 0;
};

// The frame's parameters of an instance.
struct Frame {
  double sign = 1;           // +1 nmos, -1 pmos
  double m = 1;              // parallel copies
  double gd = 0, gs = 0;     // series conductances, m applied
  double isd = 1e-15, iss = 1e-15, vcritd = 1, vcrits = 1;
  double czbd = 0, czbs = 0, czbdsw = 0, czbssw = 0;  // zero-bias junction capacitances
  double pb = 0.1, pbsw = 0.1, mj = 0, mjsw = 0;
  double cgso = 0, cgdo = 0, cgbo = 0;  // overlap capacitances (F) of the transient
  double acCgso = 0, acCgdo = 0, acCgbo = 0;  // and of .ac (see setupFrame)
  double vt0 = 0;            // zero-bias threshold (initial guess, limiting)
  double leff = 0, weff = 0; // effective channel length and width (m)
  double cox = 0;            // oxide capacitance per area, F/cm² (as ngspice)
  double kf = 0, af = 1;     // flicker noise
};

// ngspice's CONSTvt0: the thermal voltage at 27 °C, which BSIM1 and BSIM2
// junctions and limiting use whatever the temperature.
inline double vt0() { return semi::thermalVoltage(semi::kRefTemp); }

// The frame's parameters of an instance with drawn W, L (m) and the model's
// DL, DW (µm) and TOX (µm); an empty string or what is wrong.
inline std::string setupFrame(const ParamValues& P, bool pmos, Frame& f) {
  f.sign = pmos ? -1.0 : 1.0;
  f.m = P.inst("m");
  if (!(f.m > 0)) return "m must be positive";
  const double w = P.inst("w"), l = P.inst("l");
  if (!(w > 0) || !(l > 0)) return "W and L must be positive";
  f.leff = l - P.model("dl") * 1e-6;
  f.weff = w - P.model("dw") * 1e-6;
  if (!(f.leff > 0)) return "the effective channel length L - DL must be positive (DL is in µm)";
  if (!(f.weff > 0)) return "the effective channel width W - DW must be positive (DW is in µm)";
  const double tox = P.model("tox");
  if (!(tox > 0)) return "TOX must be positive (in µm, as ngspice)";
  f.cox = 3.453e-13 / (tox * 1e-4);
  const double js = P.model("js");
  if (js < 0) return "JS must not be negative";
  const double ad = P.inst("ad"), as = P.inst("as");
  f.isd = std::max(ad * js, 1e-15);
  f.iss = std::max(as * js, 1e-15);
  const double vt = vt0();
  f.vcritd = vt * std::log(vt / (semi::kSqrt2 * f.isd));
  f.vcrits = vt * std::log(vt / (semi::kSqrt2 * f.iss));
  const double cj = P.model("cj"), cjsw = P.model("cjsw");
  if (cj < 0 || cjsw < 0) return "CJ and CJSW must not be negative";
  f.czbd = cj * ad;
  f.czbs = cj * as;
  f.czbdsw = cjsw * P.inst("pd");
  f.czbssw = cjsw * P.inst("ps");
  f.pb = std::max(P.model("pb"), 0.1);
  f.pbsw = std::max(P.model("pbsw"), 0.1);
  f.mj = P.model("mj");
  f.mjsw = P.model("mjsw");
  if (!(f.mj >= 0 && f.mj < 1) || !(f.mjsw >= 0 && f.mjsw < 1)) return "MJ and MJSW must be in [0, 1)";
  f.cgso = P.model("cgso") * w;
  f.cgdo = P.model("cgdo") * w;
  f.cgbo = P.model("cgbo") * f.leff;
  // ngspice's .ac takes the overlaps of its set-up, per effective width (the
  // gate-bulk one per drawn length in BSIM1: the level sets acCgbo)
  f.acCgso = P.model("cgso") * f.weff;
  f.acCgdo = P.model("cgdo") * f.weff;
  f.acCgbo = f.cgbo;
  const double rsh = P.model("rsh");
  if (rsh < 0) return "RSH must not be negative";
  const double rd = rsh * P.inst("nrd"), rs = rsh * P.inst("nrs");
  f.gd = rd > 0 ? f.m / rd : 0.0;
  f.gs = rs > 0 ? f.m / rs : 0.0;
  f.kf = P.model("kf");
  f.af = P.model("af");
  return {};
}

// Depletion charge of a junction (bottom and sidewall) at v.
inline Ad junctionCharge(const Ad& v, double cz, double czsw, double pb, double pbsw, double mj, double mjsw) {
  if (v.v < 0) {
    const Ad arg = 1.0 - v / pb, argsw = 1.0 - v / pbsw;
    const double sarg = std::exp(-mj * std::log(arg.v)), sargsw = std::exp(-mjsw * std::log(argsw.v));
    const double q = pb * cz * (1 - arg.v * sarg) / (1 - mj) + pbsw * czsw * (1 - argsw.v * sargsw) / (1 - mjsw);
    return chain(v, q, cz * sarg + czsw * sargsw);
  }
  const double q = v.v * (cz + czsw) + v.v * v.v * (cz * mj * 0.5 / pb + czsw * mjsw * 0.5 / pbsw);
  return chain(v, q, cz + czsw + v.v * (cz * mj / pb + czsw * mjsw / pbsw));
}

enum : int { D = 0, G = 1, S = 2, B = 3, DP = 4, SP = 5 };
struct Layout {
  static constexpr int terminals = 6;
  static constexpr bool mask[terminals][terminals] = {
      // D  G  S  B  D' S'
      {1, 0, 0, 0, 1, 0},  // D   series resistance
      {0, 1, 0, 1, 1, 1},  // G   gate charge
      {0, 0, 1, 0, 0, 1},  // S   series resistance
      {0, 1, 0, 1, 1, 1},  // B   junctions, bulk charge
      {1, 1, 0, 1, 1, 1},  // D'
      {0, 1, 1, 1, 1, 1},  // S'
  };
  static constexpr int states = 3;  // qg, qd, qb
  static constexpr int chargeFrom[states] = {G, DP, B};
  static constexpr int chargeTo[states] = {SP, SP, SP};
  static constexpr int series = 2;
};
using Stamp = semi::LocalStamp<Layout>;
using Lin = semi::Linearisation<Layout>;

// What @m[...] reports of the last evaluation (the mode's frame).
struct OpInfo {
  double gm = 0, gds = 0, gmbs = 0, von = 0, vdsat = 0, ids = 0;
};

template <class Level>
class Group final : public semi::LinearisedGroup<Group<Level>, Layout, typename Level::Inst> {
  using Inst = typename Level::Inst;
  using Base = semi::LinearisedGroup<Group<Level>, Layout, Inst>;
 public:
  // threaded loads: one evaluation costs about 2 level-1 MOSFET evaluations (--stats of the bench circuits, docs/performance.md)
  static constexpr std::size_t kLoadWeight = 2;

 private:
  static constexpr int kN = Layout::terminals, kStates = Layout::states;

 public:
  using Base::Base;
  static constexpr semi::TerminalCurrent kCurrents[] = {{"id", D, DP}, {"is", S, SP}, {"ig", G, G}, {"ib", B, B}};

  Status setup(SetupContext& ctx) override {
    const std::size_t n = this->inst_.size();
    this->resizeInstances(n);
    last_.assign(n, semi::MosVoltages{0, 0, 0});
    von_.assign(n, 0.0);
    op_.assign(n, OpInfo{});
    std::set<const ir::Model*> checked;
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *this->inst_[i];
      if (auto s = this->checkInstance(d); !s) return s;
      auto found = this->mosModel(ctx, d, checked);
      if (!found) return found.takeError();
      const ir::Model* mod = *found;
      const ParamValues P = this->values(d, mod);
      Inst& p = this->p_[i];
      std::string why = setupFrame(P, mod->type == "pmos", p);
      if (why.empty()) why = Level::setupLevel(P, p);
      if (!why.empty())
        return deviceError(d, "MOSFET '" + d.name + "' (" + Level::kName + " model '" + mod->name + "'): " + why);
      this->off_[i] = P.hasInst("off");
      auto& nd = this->nodes_[i];
      nd[D] = ctx.node(d.nodes[0]);
      nd[G] = ctx.node(d.nodes[1]);
      nd[S] = ctx.node(d.nodes[2]);
      nd[B] = ctx.node(d.nodes[3]);
      nd[DP] = p.gd > 0 ? ctx.addInternalNode(d, "d") : nd[D];
      nd[SP] = p.gs > 0 ? ctx.addInternalNode(d, "s") : nd[S];
      this->st_[i] = ctx.addStates(kStates);
      von_[i] = p.vt0;
    }
    return {};
  }

  double polarity(std::size_t i) const { return this->p_[i].sign; }

  void initialCharges(LoadContext& c, std::size_t i, const double* V) {
    Stamp s;
    double q[kStates];
    op_[i] = evaluate(this->p_[i], V, c.gmin, s, q, false);
    von_[i] = op_[i].von;
    for (int k = 0; k < kStates; ++k) c.charge(this->st_[i] + k, q[k]);
    last_[i] = {V[G] - V[SP], V[DP] - V[SP], V[B] - V[SP]};
  }

  void linearise(LoadContext& c, std::size_t i, const double* V, Lin& L, bool tran) {
    const Inst& p = this->p_[i];
    semi::MosVoltages v{V[G] - V[SP], V[DP] - V[SP], V[B] - V[SP]};
    bool limited;
    if (c.initJunctions) {
      v = this->off_[i] ? semi::MosVoltages{0, 0, 0} : semi::MosVoltages{p.vt0, 0.0, -1.0};
      limited = true;
    } else {
      limited = !c.resync && semi::mosLimit(v, last_[i], von_[i], vt0(), p.vcrits, p.vcritd);
    }
    if (limited) c.noncon++;
    last_[i] = v;
    double* Vl = L.Vl;
    for (int k = 0; k < kN; ++k) Vl[k] = V[k];
    if (limited) {
      Vl[G] = V[SP] + v.vgs;
      Vl[DP] = V[SP] + v.vds;
      Vl[B] = V[SP] + v.vbs;
    }
    op_[i] = evaluate(p, Vl, c.gmin, L.s, L.q, false);
    von_[i] = op_[i].von;
    if (!tran) {  // the small signal of .ac, as ngspice's (see evaluate)
      Stamp ac;
      double qac[kStates];
      evaluate(p, Vl, c.gmin, ac, qac, true);
      this->storeSmallSignal(i, ac.G, ac.C);
    }
  }

  // Beyond the terminal currents: gm, gds, gmbs, von and vdsat of the last
  // evaluation (in the mode's frame; von and vdsat with the polarity, as
  // ngspice's @m1[von]).
  int quantityId(std::size_t i, std::string_view param) const override {
    if (const int id = Base::quantityId(i, param); id >= 0) return id;
    return semi::namedQuantityId(kChannel, param, kChannelBase);
  }
  double quantity(std::size_t i, int id, const QuantityContext& c) const override {
    if (id < kChannelBase) return Base::quantity(i, id, c);
    const OpInfo& op = op_[i];
    const double sign = this->p_[i].sign, m = this->p_[i].m;
    switch (id - kChannelBase) {
      case 0: return m * op.gm;
      case 1: return m * op.gds;
      case 2: return m * op.gmbs;
      case 3: return sign * op.von;
      default: return sign * op.vdsat;
    }
  }
  std::complex<double> acQuantity(std::size_t i, int id, const std::complex<double>* x, double omega) const override {
    if (id < kChannelBase) return Base::acQuantity(i, id, x, omega);
    return quantity(i, id, QuantityContext{});
  }

  // .noise, the sources ngspice's bsim1/bsim2 noise code declares: RD and RS
  // thermal, channel thermal 4kT (2/3)|gm| m and flicker
  // KF m |Id|^AF / (f Weff Leff Cox²) (Cox in F/cm², as ngspice) between d'
  // and s'. (ngspice 39 evaluates the last two with state-vector offsets in
  // place of gm and Id, which is a bug; these use the operating point's.)
  void noise(NoiseContext& c) const override {
    for (std::size_t i = 0; i < this->inst_.size(); ++i) {
      const ir::Device& d = *this->inst_[i];
      const Inst& p = this->p_[i];
      const auto& nd = this->nodes_[i];
      double V[kN], q[kStates];
      for (int k = 0; k < kN; ++k) V[k] = p.sign * c.xop[nd[k]];
      Stamp st;
      const OpInfo op = evaluate(p, V, c.gmin, st, q, true);
      c.thermal(d, "_rd", nd[DP], nd[D], p.gd);
      c.thermal(d, "_rs", nd[SP], nd[S], p.gs);
      c.thermal(d, "_id", nd[DP], nd[SP], 2.0 / 3.0 * std::fabs(op.gm) * p.m);
      c.flicker(d, "_1overf", nd[DP], nd[SP],
                p.m * NoiseContext::flickerCoef(p.kf, p.af, op.ids) / (p.weff * p.leff * p.cox * p.cox));
    }
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const auto& nd : this->nodes_) {
      out.emplace_back(nd[DP], nd[SP]);
      out.emplace_back(nd[B], nd[DP]);
      out.emplace_back(nd[B], nd[SP]);
      if (nd[D] != nd[DP]) out.emplace_back(nd[D], nd[DP]);
      if (nd[S] != nd[SP]) out.emplace_back(nd[S], nd[SP]);
    }
  }

  // Currents, conductances, charges and capacitances at local voltages V
  // (the polarity applied); the channel's operating point. With ac, the
  // small signal ngspice's .ac uses: its overlaps, gmin once across the
  // junctions, and the channel's gm, gds,
  // gmbs limited as the level's load limits them (Level::limitSmallSignal:
  // BSIM1 none below 0, BSIM2 gds at least 1e-20), where the exact
  // derivatives (Newton's) may be negative.
  static OpInfo evaluate(const Inst& p, const double* V, double gmin, Stamp& s, double* q, bool ac) {
    if (p.gd > 0) s.conductance(D, DP, p.gd, V);
    if (p.gs > 0) s.conductance(S, SP, p.gs, V);
    const double m = p.m, vt = vt0();
    const double vgs = V[G] - V[SP], vds = V[DP] - V[SP], vbs = V[B] - V[SP];
    const double vbd = vbs - vds, vgd = vgs - vds;
    // bulk junctions: linear in reverse bias, as ngspice's bsim1/bsim2, and
    // with gmin twice across them (their loads add gmin to a junction current
    // that already holds it: the solution they converge to); their .ac takes
    // the junction conductance with gmin once
    const double gj = ac ? gmin : 2 * gmin;
    auto junction = [&](double v, double isat, int node) {
      double g, i;
      if (v <= 0) {
        g = isat / vt + gj;
        i = g * v;
      } else {
        const double e = std::exp(v / vt);
        g = isat * e / vt + gj;
        i = isat * (e - 1) + gj * v;
      }
      s.current(B, node, m * i);
      s.slope(B, node, B, node, m * g);
    };
    junction(vbs, p.iss, SP);
    junction(vbd, p.isd, DP);

    // the channel in its mode, seeded with the derivatives of its voltages
    // over the local vgs, vds, vbs
    const bool fwd = vds >= 0;
    const Channel ch = fwd ? Level::channel(p, Ad(vds, 0, 1, 0), Ad(vbs, 0, 0, 1), Ad(vgs, 1, 0, 0))
                           : Level::channel(p, Ad(-vds, 0, -1, 0), Ad(vbd, 0, -1, 1), Ad(vgd, 1, -1, 0));
    Ad I = ch.ids;  // in the mode's frame: gm, gds, gmbs from its derivatives
    if (ac) {
      double gm = I.d[0], gmbs = I.d[2], gds = fwd ? I.d[1] : -(I.d[1] + I.d[0] + I.d[2]);
      Level::limitSmallSignal(gm, gds, gmbs);
      I = fwd ? Ad(I.v, gm, gds, gmbs) : Ad(I.v, gm, -(gds + gm + gmbs), gmbs);
    }
    const Ad idp = fwd ? I : -I;  // d' -> s'
    constexpr int ctrl[3] = {G, DP, B};
    s.current(DP, SP, m * idp.v);
    for (int k = 0; k < 3; ++k) s.slope(DP, SP, ctrl[k], SP, m * idp.d[k]);

    // terminal charges: intrinsic, overlaps, junctions
    const Ad Vgs(vgs, 1, 0, 0), Vgd(vgd, 1, -1, 0), Vgb(vgs - vbs, 1, 0, -1);
    const Ad Vbs(vbs, 0, 0, 1), Vbd(vbd, 0, -1, 1);
    Ad qg = ch.qg, qb = ch.qb;
    Ad qd = fwd ? ch.qd : -(ch.qg + ch.qb + ch.qd);
    const double cgdo = ac ? p.acCgdo : p.cgdo, cgso = ac ? p.acCgso : p.cgso, cgbo = ac ? p.acCgbo : p.cgbo;
    qg += cgdo * Vgd + cgso * Vgs + cgbo * Vgb;
    qb -= cgbo * Vgb;
    qd -= cgdo * Vgd;
    const Ad qbd = junctionCharge(Vbd, p.czbd, p.czbdsw, p.pb, p.pbsw, p.mj, p.mjsw);
    const Ad qbs = junctionCharge(Vbs, p.czbs, p.czbssw, p.pb, p.pbsw, p.mj, p.mjsw);
    const Ad Q[kStates] = {qg, qd - qbd, qb + qbd + qbs};
    for (int st = 0; st < kStates; ++st) {
      q[st] = m * Q[st].v;
      for (int k = 0; k < 3; ++k) s.capacitance(st, ctrl[k], SP, m * Q[st].d[k]);
    }

    // the operating point as ngspice reports it (@m1[gds]: after the level's limits)
    OpInfo op;
    op.gm = ch.ids.d[0];
    op.gmbs = ch.ids.d[2];
    op.gds = fwd ? ch.ids.d[1] : -(ch.ids.d[1] + ch.ids.d[0] + ch.ids.d[2]);
    Level::limitSmallSignal(op.gm, op.gds, op.gmbs);
    op.von = ch.von;
    op.vdsat = ch.vdsat;
    op.ids = ch.ids.v;
    return op;
  }

 private:
  static constexpr const char* kChannel[] = {"gm", "gds", "gmbs", "von", "vdsat"};
  static constexpr int kChannelBase = 100;

  std::vector<semi::MosVoltages> last_;  // last evaluation (limiting), polarity applied
  std::vector<double> von_;              // threshold of the last evaluation
  std::vector<OpInfo> op_;
};

}  // namespace simcore::dev::bsim12
