// M: BSIM3SOI DD and FD MOSFETs (ngspice's levels 56 and 55;
// b3soidd_model.hpp has the equations). Nodes d g s e [b [t [p]]] as ngspice
// reads them: drain, gate, source, back gate (substrate); without a fifth
// node the body floats (an internal node "<name>#body"); with one it is tied:
// directly when RBODY and RBSH are 0, else through the body resistance to an
// internal body node. The sixth (temperature) and seventh nodes are accepted
// and, as in ngspice, left unused; SHMOD 1 with RTH0 != 0 makes an internal
// temperature node "<name>#temp" (the rise above the circuit temperature, K):
// the channel's power Ids*Vds into it, RTH0*sqrt(TBOX/TSI)/Weff and CTH0*TSI
// to ground, the model at the circuit temperature plus the rise. Series resistances RSH*NRD and RSH*NRS add d', s'.
//
// Resistive part: channel and bipolar current d'->s', impact ionisation and
// GIDL into the body, the body diodes, the body-contact current, ngspice's
// fixed leakage 0.05*Weff*Tsi*max(ISDIF, ISREC) from d' and s' into the body,
// GMIN between g and d' and GMIN*1e-6 between the body and s'. The
// derivatives in vgs, vds, vbs, ves and vps are exact: the model is evaluated
// once on forward-mode numbers (with self-heating, the temperature column is
// a central difference). Limiting as ngspice's B3SOIDD: every node voltage moves at most 3 V
// per iteration, vbs (vbd in reverse) at most 0.2 V, and a floating body
// stays at vbs >= 0 outside transients.
#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "devices/b3soidd_model.hpp"
#include "devices/b3soidd_params.hpp"
#include "devices/common.hpp"
#include "devices/noise.hpp"
#include "devices/semiconductor.hpp"
#include "devices/truncation.hpp"

namespace simcore::dev {
namespace {

// PC: the body contact (ground when the body floats); B: the body (an internal
// node unless ideally tied to the fifth node).
// T: the temperature node of self-heating (its voltage is the rise above the
// circuit temperature, K) and GND the ground it refers to; both ground without
// self-heating.
enum : int { D = 0, G = 1, S = 2, E = 3, PC = 4, B = 5, DP = 6, SP = 7, T = 8, GND = 9 };
struct Layout {
  static constexpr int terminals = 10;
  static constexpr bool mask[terminals][terminals] = {
      // D  G  S  E  P  B  D' S' T  GND
      {1, 0, 0, 0, 0, 0, 1, 0, 0, 0},  // D   series resistance
      {0, 1, 0, 1, 1, 1, 1, 1, 1, 0},  // G   gate charge, gmin
      {0, 0, 1, 0, 0, 0, 0, 1, 0, 0},  // S   series resistance
      {0, 1, 0, 1, 1, 1, 1, 1, 1, 0},  // E   substrate charge
      {0, 1, 0, 1, 1, 1, 1, 1, 1, 0},  // P   body contact current
      {0, 1, 0, 1, 1, 1, 1, 1, 1, 0},  // B   body currents and charge
      {1, 1, 0, 1, 1, 1, 1, 1, 1, 0},  // D'  channel, body diodes
      {0, 1, 1, 1, 1, 1, 1, 1, 1, 0},  // S'  channel, body diodes
      {0, 1, 0, 1, 1, 1, 1, 1, 1, 1},  // T   dissipated power, thermal resistance and capacitance
      {0, 0, 0, 0, 0, 0, 0, 0, 1, 1},  // GND
  };
  // charges of g, d', b, e (the source's is minus their sum); the heat of T
  static constexpr int states = 5;
  static constexpr int chargeFrom[states] = {G, DP, B, E, T};
  static constexpr int chargeTo[states] = {SP, SP, SP, SP, GND};
  static constexpr int series = 4;
};
using Stamp = semi::LocalStamp<Layout>;
using Lin = semi::Linearisation<Layout>;

struct Inst : b3soi::Inst {
  double m = 1;
  double gd = 0, gs = 0;  // series conductances (m applied)
  bool floating = false;
  bool chargeless = false;  // DEBUG=-1: ngspice computes the charges but stamps none
};

// The last evaluation's voltages (limiting): g, d', s', p, e (absolute,
// polarity applied) and vbs, vds.
struct Last {
  double v[5] = {0, 0, 0, 0, 0};
  double vbs = 0, vds = 0, dT = 0;
};

struct OpInfo {
  double gm = 0, gds = 0, gmbs = 0, vth = 0, vdsat = 0, ids = 0, vbs = 0, vgs = 0, vds = 0, ves = 0;
  double vbseff = 0, vbs0eff = 0, abeff = 0, iii = 0, ibs = 0, ibd = 0, ic = 0, igidl = 0;
};

class B3soiGroup final : public semi::LinearisedGroup<B3soiGroup, Layout, Inst> {
  using Base = semi::LinearisedGroup<B3soiGroup, Layout, Inst>;
 public:
  // threaded loads: one evaluation costs about 40 level-1 MOSFET evaluations (--stats of the bench circuits, docs/performance.md)
  static constexpr std::size_t kLoadWeight = 40;

 private:
  static constexpr int kN = Layout::terminals, kStates = Layout::states;

 public:
  using Base::Base;
  static constexpr semi::TerminalCurrent kCurrents[] = {
      {"id", D, DP}, {"ig", G, G}, {"is", S, SP}, {"ie", E, E}, {"ib", B, B}, {"ip", PC, PC}};

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    resizeInstances(n);
    last_.assign(n, Last{});
    op_.assign(n, OpInfo{});
    const ir::Options& o = ctx.options();
    std::set<const ir::Model*> checked;
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      auto found = mosModel(ctx, d, checked);
      if (!found) return found.takeError();
      const ir::Model* mod = *found;
      const ParamValues P = values(d, mod);
      const bool fd = P.model("level") == 55.0;
      const auto bad = [&](const std::string& what) {
        return deviceError(d, "MOSFET '" + d.name + "' (BSIM3SOI " + std::string(fd ? "FD" : "DD") + " model '" +
                                  mod->name + "'): " + what);
      };
      if (const double cm = P.model("capmod"); cm != 2.0 && cm != 3.0)
        return bad("CAPMOD " + valueText(cm) + " is not supported (BSIM3SOI has CAPMOD 2 and 3)");
      Inst& p = p_[i];
      p.m = P.inst("m");
      if (!(p.m > 0)) return bad("m must be positive");
      const bool tied = d.nodes.size() >= 5;
      const int bodyMod = !tied ? 0 : (P.model("rbody") == 0.0 && P.model("rbsh") == 0.0) ? 2 : 1;
      const double tempK = o.temp + kCelsiusToKelvin, Tnom = semi::nominalTempK(P, o);
      if (auto why = b3soi::setup(P, mod->type == "pmos", fd, tempK, Tnom, bodyMod, p); !why.empty()) return bad(why);
      p.floating = bodyMod == 0 && !fd;
      p.chargeless = P.inst("debug") == -1.0;
      const double rsh = P.model("rsh");
      p.gd = rsh > 0 && P.inst("nrd") > 0 ? p.m / (rsh * P.inst("nrd")) : 0.0;
      p.gs = rsh > 0 && P.inst("nrs") > 0 ? p.m / (rsh * P.inst("nrs")) : 0.0;
      off_[i] = P.hasInst("off");
      auto& nd = nodes_[i];
      nd[D] = ctx.node(d.nodes[0]);
      nd[G] = ctx.node(d.nodes[1]);
      nd[S] = ctx.node(d.nodes[2]);
      nd[E] = ctx.node(d.nodes[3]);
      nd[DP] = p.gd > 0 ? ctx.addInternalNode(d, "drain") : nd[D];
      nd[SP] = p.gs > 0 ? ctx.addInternalNode(d, "source") : nd[S];
      if (bodyMod == 0) {
        // FD: no body node (ngspice ties the body to ground; the model does not use it)
        nd[B] = fd ? ctx.node("0") : ctx.addInternalNode(d, "body");
        nd[PC] = ctx.node("0");
      } else if (bodyMod == 2) {
        nd[B] = ctx.node(d.nodes[4]);
        nd[PC] = nd[B];
      } else {
        nd[PC] = ctx.node(d.nodes[4]);
        nd[B] = ctx.addInternalNode(d, "body");
      }
      nd[GND] = ctx.node("0");
      nd[T] = p.selfheat ? ctx.addInternalNode(d, "temp") : nd[GND];
      st_[i] = ctx.addStates(kStates);
      if (auto* t = dynamic_cast<TruncationExemptions*>(&ctx)) t->untruncated(st_[i] + 3);  // as ngspice: qb, qg, qd limit the step, not the back gate's charge
    }
    return {};
  }

  double polarity(std::size_t i) const { return p_[i].type; }

  void initialCharges(LoadContext& c, std::size_t i, const double* V) {
    Stamp s;
    double q[kStates];
    evaluate(i, V, c.gmin, s, q);
    for (int k = 0; k < kStates; ++k) c.charge(st_[i] + k, q[k]);
    Last& l = last_[i];
    const int abs[5] = {G, DP, SP, PC, E};
    for (int k = 0; k < 5; ++k) l.v[k] = V[abs[k]];
    l.vbs = V[B] - V[SP];
    l.vds = V[DP] - V[SP];
    l.dT = V[T];
  }

  void linearise(LoadContext& c, std::size_t i, const double* V, Lin& L, bool tran) {
    const Inst& p = p_[i];
    double* Vl = L.Vl;
    for (int k = 0; k < kN; ++k) Vl[k] = V[k];
    Last& l = last_[i];
    constexpr int abs[5] = {G, DP, SP, PC, E};
    bool limited = false;
    if (c.initJunctions) {
      // as ngspice: every node at 0 V, vgs just above threshold unless OFF
      const double vgs = off_[i] ? 0.0 : p.type * 0.1 + p.vth0;
      for (int k = 0; k < kN; ++k) Vl[k] = 0.0;
      Vl[G] = vgs;
      l.dT = 0.0;
      for (int k = 0; k < 5; ++k) l.v[k] = 0.0;
      l.vbs = 0.0;
      l.vds = 0.0;
      limited = true;
    } else if (!c.resync) {
      for (int k = 0; k < 5; ++k) {
        const double d = V[abs[k]] - l.v[k];
        if (std::fabs(d) > 3.0) {
          Vl[abs[k]] = l.v[k] + (d > 0 ? 3.0 : -3.0);
          limited = true;
        }
      }
      // the body against the (limited) source or drain
      const double vds = Vl[DP] - Vl[SP];
      const double vbsNew = V[B] - Vl[SP];
      const double old = l.vds >= 0.0 ? l.vbs : l.vbs - l.vds;
      const bool dc = c.mode != AnalysisMode::Tran;
      if (vds >= 0.0) {
        double vbs = vbsNew;
        if (std::fabs(vbs - old) > 0.2) vbs = old + (vbs > old ? 0.2 : -0.2), limited = true;
        if (p.floating && dc && vbs < 0.0) vbs = 0.0;
        Vl[B] = Vl[SP] + vbs;
      } else {
        double vbd = V[B] - Vl[DP];
        if (std::fabs(vbd - old) > 0.2) vbd = old + (vbd > old ? 0.2 : -0.2), limited = true;
        if (p.floating && dc && vbd < 0.0) vbd = 0.0;
        Vl[B] = Vl[DP] + vbd;
      }
      if (Vl[B] != V[B] && p.floating) {
        // (the clamp alone does not count as limiting, as in ngspice)
      }
      if (p.bodyMod == 2) Vl[PC] = Vl[B];
      if (nodes_[i][D] == nodes_[i][DP]) Vl[D] = Vl[DP];
      if (nodes_[i][S] == nodes_[i][SP]) Vl[S] = Vl[SP];
    }
    if (p.selfheat && !c.initJunctions && !c.resync) {
      // the temperature rise moves at most 5 K per iteration (as ngspice)
      const double d = V[T] - l.dT;
      if (std::fabs(d) > 5.0) Vl[T] = l.dT + (d > 0 ? 5.0 : -5.0), limited = true;
    }
    if (limited) c.noncon++;
    l.dT = Vl[T];
    for (int k = 0; k < 5; ++k) l.v[k] = Vl[abs[k]];
    l.vbs = Vl[B] - Vl[SP];
    l.vds = Vl[DP] - Vl[SP];
    evaluate(i, Vl, c.gmin, L.s, L.q);
    if (!tran) storeSmallSignal(i, L.s.G, L.s.C);
  }

  int quantityId(std::size_t i, std::string_view param) const override {
    if (const int id = Base::quantityId(i, param); id >= 0) return id;
    for (int k = 0; k < int(std::size(kChannel)); ++k)
      if (param == kChannel[k]) return kChannelBase + k;
    return -1;
  }
  double quantity(std::size_t i, int id, const QuantityContext& c) const override {
    if (id < kChannelBase) return Base::quantity(i, id, c);
    const OpInfo& op = op_[i];
    const double v[] = {op.gm,    op.gds,     op.gmbs,  op.vth, op.vdsat, op.ids, op.vbs, op.vgs, op.vds,
                        op.ves,   op.vbseff,  op.vbs0eff, op.abeff, op.iii, op.ibs, op.ibd, op.ic, op.igidl};
    return v[id - kChannelBase];
  }
  std::complex<double> acQuantity(std::size_t i, int id, const std::complex<double>* x, double omega) const override {
    if (id < kChannelBase) return Base::acQuantity(i, id, x, omega);
    return quantity(i, id, QuantityContext{});
  }

  // .noise (as ngspice's B3SOIDD/FD): RD, RS thermal; the channel's thermal noise
  // between d' and s' (NOIMOD 1, 3: 2/3 |gm + gds + gmbs|; 2, 4: ueff |Qinv| / Leff²);
  // flicker between d' and s' (NOIMOD 1, 4: KF |Id|^AF / (f^EF Leff² Cox); 2, 3: the
  // oxide-trap model with NOIA, NOIB, NOIC, EM); shot noise of 2 NOIF Ibs between s'
  // and the body.
  void noise(NoiseContext& c) const override {
    constexpr double q = NoiseContext::kCharge, kMinLog = NoiseContext::kMinLog;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      const Inst& p = p_[i];
      const auto& nd = nodes_[i];
      const ParamValues P = values(d, c.model(d));
      double V[kN];
      for (int k = 0; k < kN; ++k) V[k] = p.type * c.xop[nd[k]];
      const double vgs = V[G] - V[SP], vds = V[DP] - V[SP];
      const b3soi::Point pt =
          b3soi::evaluate(p, vgs, vds, V[B] - V[SP], V[E] - V[SP], V[PC] - V[SP], true, p.type * V[T]);
      const OpInfo& op = op_[i];
      const double m = p.m;
      const int noiMod = int(P.model("noimod"));
      const double ef = P.model("ef"), em = P.model("em"), noif = P.model("noif");
      const bool pmos = p.type < 0;
      const double noia = P.hasModel("noia") ? P.model("noia") : pmos ? 9.9e18 : 1e20;
      const double noib = P.hasModel("noib") ? P.model("noib") : pmos ? 2.4e3 : 5e4;
      const double noic = P.hasModel("noic") ? P.model("noic") : pmos ? 1.4e-12 : -1.4e-12;
      c.thermal(d, "_rd", nd[DP], nd[D], p.gd);
      c.thermal(d, "_rs", nd[SP], nd[S], p.gs);
      const double gth = (noiMod == 2 || noiMod == 4) ? pt.ueff * std::fabs(pt.qinv * m) / (p.leff * p.leff)
                                                      : 2.0 / 3.0 * std::fabs(op.gm + op.gds + op.gmbs);
      c.thermal(d, "_id", nd[DP], nd[SP], gth);
      // the mode's drain current as ngspice's noise takes it
      const double cd = pt.ids + pt.ic - pt.ibd + pt.iii + pt.igidl;
      double coef;
      if (noiMod == 2 || noiMod == 3) {
        const double tK = c.tempK;
        double vg = vgs, vd = vds;
        if (vd < 0.0) {
          vd = -vd;
          vg = vg + vd;
        }
        auto strong = [&](double vgsE) {
          const double cdm = std::fabs(cd) * m;
          double delClm = 0.0;
          if (vd > pt.vdsat) {
            const double esat = 2.0 * p.vsattemp / pt.ueff;
            const double t0 = ((vd - pt.vdsat) / p.litl + em) / esat;
            delClm = p.litl * std::log(std::max(t0, kMinLog));
          }
          const double t1 = q * q * 8.62e-5 * cdm * tK * pt.ueff;
          const double t2 = 1.0e8 * p.cox * p.leff * p.leff;
          const double vgst = vgsE - pt.vth;
          const double n0 = std::max(p.cox * vgst / q, 0.0);
          const double nl = std::max(p.cox * (vgst - std::min(vd, pt.vdsat)) / q, 0.0);
          const double t3 = noia * std::log(std::max((n0 + 2.0e14) / (nl + 2.0e14), kMinLog));
          const double t4 = noib * (n0 - nl), t5 = noic * 0.5 * (n0 * n0 - nl * nl);
          const double t6 = 8.62e-5 * tK * cdm * cdm;
          const double t7 = 1.0e8 * p.leff * p.leff * p.weff * m;
          const double t8 = noia + noib * nl + noic * nl * nl;
          const double t9 = (nl + 2.0e14) * (nl + 2.0e14);
          return t1 / t2 * (t3 + t4 + t5) + t6 / t7 * delClm * t8 / t9;
        };
        if (vg >= pt.vth + 0.1) {
          coef = strong(vg);
        } else {
          const double t10 = noia * 8.62e-5 * tK;
          const double t11 = p.weff * m * p.leff * 4.0e36;
          const double swi = t10 / t11 * cd * m * cd * m;
          const double slimit = strong(pt.vth + 0.1);
          coef = swi + slimit > 0.0 ? slimit * swi / (swi + slimit) : 0.0;
        }
      } else {
        coef = NoiseContext::flickerCoef(p.kf, p.af, cd * m) / (p.leff * p.leff * p.cox);
      }
      c.flicker(d, "_1overf", nd[DP], nd[SP], coef, ef);
      c.shot(d, "_fb", nd[SP], nd[B], 2.0 * noif * pt.ibs * m);
    }
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const auto& nd : nodes_) {
      out.emplace_back(nd[DP], nd[SP]);
      out.emplace_back(nd[B], nd[SP]);
      out.emplace_back(nd[B], nd[DP]);
      if (nd[PC] != nd[B]) out.emplace_back(nd[PC], nd[B]);
      if (nd[D] != nd[DP]) out.emplace_back(nd[D], nd[DP]);
      if (nd[S] != nd[SP]) out.emplace_back(nd[S], nd[SP]);
      if (nd[T] != nd[GND]) out.emplace_back(nd[T], nd[GND]);
    }
  }

 private:
  static constexpr const char* kChannel[] = {"gm",  "gds",    "gmbs",    "vth",   "vdsat", "ids",
                                             "vbs", "vgs",    "vds",     "ves",   "vbseff", "vbs0eff",
                                             "abeff", "iii",  "ibs",     "ibd",   "ic",    "igidl"};
  static constexpr int kChannelBase = 100;
  template <class R>
  struct TerminalT;
  using Terminal = TerminalT<double>;
  // The operating-point values of an evaluation (@m1[vth] ...; cd: ngspice's drain current of the mode).
  struct PointValues {
    double vth, vdsat, cd, vbseff, vbs0eff, abeff, iii, ibs, ibd, ic, igidl;
  };

  // Currents into the device at d', b, p (s' takes minus their sum), charges
  // of g, d', b, e; m applied. R: double, or b3soi::Fwd5 with the partials.
  template <class R>
  struct TerminalT {
    R in[4], q[5], ch;  // in[3]: into the device at T (minus the dissipated power)
  };
  template <class R>
  static TerminalT<R> terminal(const Inst& p, const b3soi::PointT<R>& pt, const R& vds, double dT) {
    const double m = p.m;
    const double half = 0.5 * p.minIsub;
    const R inMd = pt.ids + pt.ic + pt.iii + pt.igidl - pt.ibd + half;
    const R inMs = -(pt.ids + pt.ic) + pt.isgidl - pt.ibs + half;
    const R inB = -pt.iii - pt.igidl - pt.isgidl + pt.ibs + pt.ibd + pt.ibp - p.minIsub;
    const R inD = pt.reverse ? inMs : inMd;
    const double mq = p.chargeless ? 0.0 : m;
    const R heat = p.selfheat ? -p.type * m * b3soi::channelPower(pt, vds) : R(0.0);
    const double qth = p.selfheat && !p.chargeless ? m * p.cth * dT : 0.0;
    return {{m * inD, m * inB, -m * pt.ibp, heat},
            {mq * pt.qg, mq * pt.qd, mq * pt.qb, mq * pt.qe, R(qth)},
            m * (pt.ids + pt.ic)};
  }

  // The model once on forward-mode numbers in the local voltages (the
  // currents, charges and their exact derivatives); with self-heating the
  // temperature column by central differences of two more evaluations.
  void evaluate(std::size_t i, const double* V, double gmin, Stamp& s, double* q) {
    const Inst& p = p_[i];
    if (p.gd > 0) s.conductance(D, DP, p.gd, V);
    if (p.gs > 0) s.conductance(S, SP, p.gs, V);
    s.conductance(G, DP, gmin, V);
    s.conductance(B, SP, gmin * 1e-6, V);
    if (p.selfheat) s.conductance(T, GND, p.m / p.rth, V);
    constexpr int ctrl[5] = {G, DP, B, E, PC};
    // v[5]: the temperature rise (local T against ground: the type applied twice)
    const double v[6] = {V[G] - V[SP], V[DP] - V[SP], V[B] - V[SP], V[E] - V[SP], V[PC] - V[SP], V[T] - V[GND]};
    constexpr int from[4] = {DP, B, PC, T};
    constexpr int to[4] = {SP, SP, SP, GND};
    const int rows = p.selfheat ? 4 : 3;
    // one evaluation on N-partial numbers; the partials in vps only with a body
    // contact through RBODY (BODYMOD 1): nothing else depends on it
    double dch[5] = {0, 0, 0, 0, 0};  // the channel current's partials
    bool reverse = false;
    PointValues pv{};
    auto adStamp = [&]<class F, int N>() {
      F u[5];
      for (int k = 0; k < N; ++k) {
        u[k] = F(v[k]);
        u[k].d[k] = 1.0;
      }
      const auto pt = [&] {
        if constexpr (N == 5) return b3soi::evaluate(p, u[0], u[1], u[2], u[3], u[4], true, p.type * v[5]);
        else return b3soi::evaluate(p, u[0], u[1], u[2], u[3], v[4], true, p.type * v[5]);
      }();
      const TerminalT<F> t0 = terminal(p, pt, u[1], v[5]);
      for (int r = 0; r < rows; ++r) s.current(from[r], to[r], t0.in[r].v);
      for (int st = 0; st < kStates; ++st) q[st] = t0.q[st].v;
      for (int k = 0; k < N; ++k) {
        for (int r = 0; r < rows; ++r) s.slope(from[r], to[r], ctrl[k], SP, t0.in[r].d[k]);
        for (int st = 0; st < kStates; ++st) s.capacitance(st, ctrl[k], SP, t0.q[st].d[k]);
        dch[k] = t0.ch.d[k];
      }
      reverse = pt.reverse;
      pv = {pt.vth.v, pt.vdsat.v, (pt.ids + pt.ic - pt.ibd + pt.iii + pt.igidl).v, pt.vbseff.v, pt.vbs0eff.v,
            pt.abeff.v, pt.iii.v, pt.ibs.v, pt.ibd.v, pt.ic.v, pt.igidl.v};
    };
    if (p.bodyMod == 1) adStamp.template operator()<b3soi::Fwd5, 5>();
    else adStamp.template operator()<b3soi::Fwd4, 4>();
    if (p.selfheat) {
      const double h = 1e-6 * (1.0 + std::fabs(v[5]));
      auto at = [&](double rise) {
        const b3soi::Point pd = b3soi::evaluate(p, v[0], v[1], v[2], v[3], v[4], true, p.type * rise);
        return terminal(p, pd, v[1], rise);
      };
      const Terminal a = at(v[5] + h), b = at(v[5] - h);
      const double inv = 1.0 / (2.0 * h);
      for (int r = 0; r < rows; ++r) s.slope(from[r], to[r], T, GND, (a.in[r] - b.in[r]) * inv);
      for (int st = 0; st < kStates; ++st) s.capacitance(st, T, GND, (a.q[st] - b.q[st]) * inv);
    }
    OpInfo& op = op_[i];
    if (!reverse) {
      op.gm = dch[0];
      op.gds = dch[1];
      op.gmbs = dch[2];
    } else {
      // in the mode's frame: vgs' = vgd, vds' = -vds, vbs' = vbd, ...
      op.gm = dch[0];
      op.gmbs = dch[2];
      op.gds = -(dch[0] + dch[1] + dch[2] + dch[3] + dch[4]);
    }
    op.vth = pv.vth;
    op.vdsat = pv.vdsat;
    op.ids = p.m * pv.cd;  // ngspice's cd: the mode's drain current
    op.vbs = v[2];
    op.vgs = v[0];
    op.vds = v[1];
    op.ves = v[3];
    op.vbseff = pv.vbseff;
    op.vbs0eff = pv.vbs0eff;
    op.abeff = pv.abeff;
    op.iii = p.m * pv.iii;
    op.ibs = p.m * pv.ibs;
    op.ibd = p.m * pv.ibd;
    op.ic = p.m * pv.ic;
    op.igidl = p.m * pv.igidl;
  }

  std::vector<Last> last_;
  std::vector<OpInfo> op_;
};

// nmos and pmos cards whose LEVEL is 55 or 56 are routed here by kindOf().
constexpr const char* kTypes[] = {"nmos@56", "pmos@56", "nmos@55", "pmos@55"};

}  // namespace

extern const DeviceKind kB3soiKind;
constexpr DeviceKind kB3soiKind{
    .letter = 'm', .name = "MOSFET", .form = CardForm::ModelCard, .minNodes = 4, .maxNodes = 7,
    .modelTypes = kTypes, .params = b3soi::kB3soiParams,
    .valueDoc = "Mname d g s e [b [t [p]]] model [l=] [w=] [ad=] [as=] [pd=] [ps=] [nrd=] [nrs=] [nrb=] ... "
                "(a .model nmos|pmos with LEVEL=56 or 55)",
    .create = makeGroup<B3soiGroup, kB3soiKind>};

}  // namespace simcore::dev
