// M: BSIMSOI partially depleted (BSIMPD 2.2, ngspice's level 57 B3SOIPD;
// b3soipd_model.hpp has the equations). Cards, in the BSIMSOI manual's order:
//   M d g s e [p] [b] [t] model ... [tnodeout]
// four nodes: floating body (an internal body node); five: the body contact p,
// behind the body resistance (RBODY, RBSH*NRB) to an internal body node, or
// tied to it when both are zero; six: the body node b given too; seven, or
// the last node with TNODEOUT: the temperature node of self-heating (SHMOD 1
// with RTH0 > 0; without it an internal one, Mname#temp), its voltage the
// temperature rise in kelvin.
//
// Local terminals d g s e p b d' s'. Resistive part: the currents into d', g,
// b and p (s' takes the rest); reactive part: four terminal charges (gate,
// drain, body, substrate; the source's is minus their sum), each a charge
// state between its terminal and s'. Derivatives: the model evaluated once on
// forward-mode numbers in vgs, vds, vbs, ves and vps (exact; vps only with a
// body contact through RBODY/RBSH, BODYMOD 1: nothing else depends on it;
// values bit-identical to the double evaluation). As ngspice: gmin from
// g to d' and gmin*1e-6 from b to s'; its limiting (every node voltage moves
// by at most 3 V and vbs by at most 0.2 V per iteration); DEBUG < 0 leaves
// the device without charges. m multiplies every current and charge.
// Self-heating (SHMOD 1, RTH0 > 0): local terminal t, the internal temperature
// node (its voltage the temperature rise, not polarity-flipped: the local
// frame's t is the rise times the polarity), with the dissipation, RTH and CTH
// to local terminal z, ground; the rise is a sixth control of the derivatives
// (a central difference of two more double evaluations).
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "devices/b3soipd_model.hpp"
#include "devices/common.hpp"
#include "devices/noise.hpp"
#include "devices/semiconductor.hpp"

namespace simcore::dev {
namespace {

// PC: the body contact p; T: the temperature node (self-heating), Z: ground
enum : int { D = 0, G = 1, S = 2, E = 3, PC = 4, B = 5, DP = 6, SP = 7, T = 8, Z = 9 };
struct SoiLayout {
  static constexpr int terminals = 10;
  static constexpr bool mask[terminals][terminals] = {
      // D  G  S  E  P  B  D' S' T  Z
      {1, 0, 0, 0, 0, 0, 1, 0, 0, 0},  // D   series resistance
      {0, 1, 0, 1, 1, 1, 1, 1, 1, 1},  // G
      {0, 0, 1, 0, 0, 0, 0, 1, 0, 0},  // S   series resistance
      {0, 1, 0, 1, 1, 1, 1, 1, 1, 1},  // E
      {0, 1, 0, 1, 1, 1, 1, 1, 1, 1},  // P
      {0, 1, 0, 1, 1, 1, 1, 1, 1, 1},  // B
      {1, 1, 0, 1, 1, 1, 1, 1, 1, 1},  // D'
      {0, 1, 1, 1, 1, 1, 1, 1, 1, 1},  // S'
      {0, 1, 0, 1, 1, 1, 1, 1, 1, 1},  // T   dissipation, thermal resistance and capacitance
      {0, 0, 0, 0, 0, 0, 0, 0, 0, 0},  // Z   ground: nothing stamped
  };
  static constexpr int states = 5;  // qg, qd, qb, qe, qth
  static constexpr int chargeFrom[states] = {G, DP, B, E, T};
  static constexpr int chargeTo[states] = {SP, SP, SP, SP, Z};
  static constexpr int series = 2;
};
using Stamp = semi::LocalStamp<SoiLayout>;
using Lin = semi::Linearisation<SoiLayout>;

struct Inst : b3soipd::Inst {
  double m = 1;
  double gd = 0, gs = 0;  // series conductances (m applied)
  bool noCharges = false; // DEBUG < 0
};

// The limiting history of one instance (local frame): ngspice's state0.
struct History {
  double vg = 0, vd = 0, vs = 0, vp = 0, ve = 0;
  double vbs = 0, vbd = 0, vds = 0;
  double dT = 0;  // the device's temperature rise (self-heating)
};

// The quantities of the last evaluation that @m[...] reports.
struct OpInfo {
  double ids = 0, gm = 0, gds = 0, gmbs = 0, vth = 0, vdsat = 0, vbs = 0, vgs = 0, vds = 0, ves = 0, vps = 0;
  double ic = 0, iii = 0, igidl = 0, ibs = 0, ibd = 0, ig = 0, ibp = 0;
  // for .noise: the mode's body-source junction current and the channel's state
  double ibsMode = 0, ueff = 0, qinv = 0, rds = 0, vgsteff = 0, vdseff = 0, abovVgst2Vtm = 0;
  double dT = 0;  // the temperature rise (self-heating)
};

double soiLimit(double vnew, double vold, double limit, bool& check) {
  if (std::isnan(vnew) || std::isnan(vold)) {
    check = true;
    return 0.0;
  }
  const double d = vnew - vold;
  if (std::fabs(d) > limit) {
    check = true;
    return d > 0 ? vold + limit : vold - limit;
  }
  return vnew;
}

class B3soipdGroup final : public semi::LinearisedGroup<B3soipdGroup, SoiLayout, Inst> {
  using Base = semi::LinearisedGroup<B3soipdGroup, SoiLayout, Inst>;
 public:
  // threaded loads: one evaluation costs about 25 level-1 MOSFET evaluations (--stats of the bench circuits, docs/performance.md)
  static constexpr std::size_t kLoadWeight = 25;

 private:
  static constexpr int kN = SoiLayout::terminals, kStates = SoiLayout::states;

 public:
  using Base::Base;
  static constexpr semi::TerminalCurrent kCurrents[] = {
      {"id", D, DP}, {"is", S, SP}, {"ig", G, G}, {"ie", E, E}, {"ip", PC, PC}};

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    resizeInstances(n);
    hist_.assign(n, History{});
    op_.assign(n, OpInfo{});
    gmin_.assign(n, 0.0);
    const ir::Options& o = ctx.options();
    SharedSetups<b3soipd::Inst> sized;
    std::set<const ir::Model*> checked;
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      auto found = mosModel(ctx, d, checked);
      if (!found) return found.takeError();
      const ir::Model* mod = *found;
      const ParamValues P = values(d, mod);
      const auto bad = [&](const std::string& what) {
        return deviceError(d, "MOSFET '" + d.name + "' (BSIMSOI PD model '" + mod->name + "'): " + what);
      };
      // the temperature node: the last of the card with TNODEOUT, else the seventh
      const bool tnodeout = P.hasInst("tnodeout");
      if (tnodeout && d.nodes.size() < 5)
        return bad("TNODEOUT needs a temperature node after the four terminals");
      const bool hasT = tnodeout || d.nodes.size() == 7;
      const std::size_t bodyNodes = hasT ? d.nodes.size() - 1 : d.nodes.size();
      if (const double cm = P.model("capmod"); cm != 2 && cm != 3)
        return bad("CAPMOD must be 2 or 3 (ngspice's B3SOIPD computes no intrinsic charges for 0 and 1)");
      if (const int mm = int(P.model("mobmod")); mm < 1 || mm > 3) {
        // ngspice computes MOBMOD 0 as its third branch (MOBMOD 3)
        if (mm != 0) return bad("MOBMOD must be 0 to 3");
      }
      if (P.hasInst("vbsusr")) return bad("VBSUSR is not supported");
      Inst& p = p_[i];
      p.m = P.inst("m");
      if (!(p.m > 0)) return bad("m must be positive");
      if (!(P.inst("nseg") > 0)) return bad("NSEG must be positive");
      const double tK = o.temp + kCelsiusToKelvin, Tnom = semi::nominalTempK(P, o);
      // instances of one model with the same instance parameters share their set-up
      if (auto why = sized.apply(mod, d, static_cast<b3soipd::Inst&>(p),
                                 [&](b3soipd::Inst& q) { return b3soipd::setup(P, mod->type == "pmos", tK, Tnom, q); });
          !why.empty())
        return bad(why);
      if (p.mobMod == 0) p.mobMod = 3;
      const double rsh = P.model("rsh");
      p.gd = rsh > 0 && P.inst("nrd") > 0 ? p.m / (rsh * P.inst("nrd")) : 0.0;
      p.gs = rsh > 0 && P.inst("nrs") > 0 ? p.m / (rsh * P.inst("nrs")) : 0.0;
      p.noCharges = P.inst("debug") < 0;
      off_[i] = P.hasInst("off");
      auto& nd = nodes_[i];
      nd[D] = ctx.node(d.nodes[0]);
      nd[G] = ctx.node(d.nodes[1]);
      nd[S] = ctx.node(d.nodes[2]);
      nd[E] = ctx.node(d.nodes[3]);
      nd[DP] = p.gd > 0 ? ctx.addInternalNode(d, "d") : nd[D];
      nd[SP] = p.gs > 0 ? ctx.addInternalNode(d, "s") : nd[S];
      const bool idealTie = P.model("rbody") == 0.0 && P.model("rbsh") == 0.0;
      if (bodyNodes == 4) {
        // floating body: an internal body node; p is unused (ground, as ngspice)
        p.bodyMod = 0;
        nd[PC] = ctx.node("0");
        nd[B] = ctx.addInternalNode(d, "body");
      } else if (bodyNodes == 5) {
        nd[PC] = ctx.node(d.nodes[4]);
        if (idealTie) {
          p.bodyMod = 2;
          nd[B] = nd[PC];
        } else {
          p.bodyMod = 1;
          nd[B] = ctx.addInternalNode(d, "body");
        }
      } else {
        // six nodes: the body node given; a zero body resistance is 1 ohm (ngspice warns)
        nd[PC] = ctx.node(d.nodes[4]);
        nd[B] = ctx.node(d.nodes[5]);
        p.bodyMod = 1;
        if (idealTie) p.rbody = 1.0;
      }
      nd[Z] = ctx.node("0");
      if (p.selfHeat) {
        if (!(p.rth > 0)) return bad("RTH0 must be positive with SHMOD 1 (the thermal resistance)");
        nd[T] = hasT ? ctx.node(d.nodes.back()) : ctx.addInternalNode(d, "temp");
      } else {
        nd[T] = nd[Z];  // an isothermal device leaves a temperature node unconnected, as ngspice
      }
      st_[i] = ctx.addStates(kStates);
    }
    return {};
  }

  double polarity(std::size_t i) const { return p_[i].type; }

  void initialCharges(LoadContext& c, std::size_t i, const double* V) {
    Stamp s;
    double q[kStates];
    const double sign = p_[i].type;
    double v[6] = {V[G] - V[SP], V[DP] - V[SP], V[B] - V[SP], V[E] - V[SP], V[PC] - V[SP], sign * (V[T] - V[Z])};
    evaluate(i, V, v, c.gmin, s, q);
    for (int k = 0; k < kStates; ++k) c.charge(st_[i] + k, q[k]);
    History& h = hist_[i];
    h = {V[G], V[DP], V[SP], V[PC], V[E], v[2], v[2] - v[1], v[1], v[5]};
  }

  void linearise(LoadContext& c, std::size_t i, const double* V, Lin& L, bool tran) {
    Inst& p = p_[i];
    History& h = hist_[i];
    double vg, vd, vs, vp, ve, vbs, dT = p.type * (V[T] - V[Z]);
    bool check = false;
    if (c.initJunctions) {
      vg = vd = vs = vp = ve = 0.0;
      vs = V[SP];
      if (off_[i]) {
        vbs = 0.0;
        vg = vd = vp = ve = vs;
      } else {
        vbs = 0.0;
        vg = vs + p.type * p.vth0 + 0.1;
        vd = vp = ve = vs;
      }
      h = {0, 0, 0, 0, 0, 0, 0, 0, 0};
      dT = 0.0;
      p_[i].phiHeat = 0.0;  // ngspice's initial iteration: the ambient surface potential
    } else if (c.resync) {
      vg = V[G];
      vd = V[DP];
      vs = V[SP];
      vp = V[PC];
      ve = V[E];
      vbs = V[B] - V[SP];
    } else {
      vg = soiLimit(V[G], h.vg, 3.0, check);
      vd = soiLimit(V[DP], h.vd, 3.0, check);
      vs = soiLimit(V[SP], h.vs, 3.0, check);
      vp = soiLimit(V[PC], h.vp, 3.0, check);
      ve = soiLimit(V[E], h.ve, 3.0, check);
      vbs = V[B] - V[SP];
      const double vds = vd - vs;
      const double old = h.vds >= 0.0 ? h.vbs : h.vbd;
      if (vds >= 0.0) {
        vbs = soiLimit(vbs, old, 0.2, check);
      } else {
        const double vbd = soiLimit(vbs - vds, old, 0.2, check);
        vbs = vbd + vds;
      }
      if (p.selfHeat) dT = soiLimit(dT, h.dT, 5.0, check);
    }
    if (check) c.noncon++;
    double* Vl = L.Vl;
    for (int k = 0; k < kN; ++k) Vl[k] = V[k];
    Vl[G] = vg;
    Vl[DP] = vd;
    Vl[SP] = vs;
    Vl[E] = ve;
    Vl[B] = vs + vbs;
    if (nodes_[i][PC] != nodes_[i][B]) Vl[PC] = vp;
    else Vl[PC] = Vl[B];
    if (nodes_[i][DP] == nodes_[i][D]) Vl[D] = Vl[DP];
    if (nodes_[i][SP] == nodes_[i][S]) Vl[S] = Vl[SP];
    Vl[T] = Vl[Z] + p.type * dT;
    double v[6] = {vg - vs, vd - vs, vbs, ve - vs, Vl[PC] - vs, dT};
    if (!c.initJunctions) h = {vg, vd, vs, Vl[PC], ve, vbs, vbs - (vd - vs), vd - vs, dT};
    else h = {0, 0, 0, 0, 0, v[2], v[2] - v[1], v[1], 0};
    evaluate(i, Vl, v, c.gmin, L.s, L.q);
    if (!tran) storeSmallSignal(i, L.s.G, L.s.C);
  }

  // Self-heating: the next point's surface potential from this one's device
  // temperature (ngspice recomputes it once per sweep or time point, from the
  // temperature of the last load).
  void accept(const double* x, double) override {
    for (std::size_t i = 0; i < inst_.size(); ++i)
      if (p_[i].selfHeat) p_[i].phiHeat = b3soipd::phiAt(p_[i], x[nodes_[i][T]]);
  }

  int quantityId(std::size_t i, std::string_view param) const override {
    if (const int id = Base::quantityId(i, param); id >= 0) return id;
    for (int k = 0; k < int(std::size(kOp)); ++k)
      if (param == kOp[k]) return kOpBase + k;
    if (param == "ib") return kIb;
    return -1;
  }
  double quantity(std::size_t i, int id, const QuantityContext& c) const override {
    if (id == kIb) {  // the body: the internal node's current when floating, else the contact's
      return localCurrentSum(i, c);
    }
    if (id < kOpBase) return Base::quantity(i, id, c);
    const OpInfo& op = op_[i];
    const double values[] = {op.ids, op.gm, op.gds, op.gmbs, op.vth, op.vdsat, op.vbs, op.vgs,
                             op.vds, op.ves, op.vps, op.ic,  op.iii, op.igidl, op.ibs, op.ibd,
                             op.ig,  op.ibp, op.dT};
    return values[id - kOpBase];
  }
  std::complex<double> acQuantity(std::size_t i, int id, const std::complex<double>* x, double omega) const override {
    if (id < kOpBase && id != kIb) return Base::acQuantity(i, id, x, omega);
    return quantity(i, id, QuantityContext{});
  }

  // .noise (as ngspice's B3SOIPD): RD and RS thermal; the channel's thermal
  // noise between d' and s' (NOIMOD 1, 3: 4kT (2/3)|gm + gds + gmbs|; 2, 4:
  // 4kT ueff|Qinv| / (Leff² + ueff|Qinv| Rds)); flicker between d' and s'
  // (NOIMOD 1, 4: KF |Id|^AF / (f^EF Cox Leff²); 2, 3: the oxide-trap model,
  // NOIA, NOIB, NOIC, EM, in weak inversion in parallel with its weak-inversion
  // spectrum); the floating-body shot noise 2q·2·NOIF·|Ibs| between s' and b
  // (Ibs of the mode's source, as ngspice).
  void noise(NoiseContext& c) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      const Inst& p = p_[i];
      const auto& nd = nodes_[i];
      const OpInfo& op = op_[i];
      const ParamValues P = values(d, c.model(d));
      c.thermal(d, "_rd", nd[DP], nd[D], p.gd);
      c.thermal(d, "_rs", nd[SP], nd[S], p.gs);
      const int noiMod = int(P.model("noimod"));
      double gth;
      if (noiMod == 2 || noiMod == 4) {
        const double uq = op.ueff * std::fabs(op.qinv * p.m);
        gth = uq / (p.leff * p.leff + uq * op.rds / p.m);
      } else {
        gth = 2.0 / 3.0 * std::fabs(op.gm + op.gds + op.gmbs);
      }
      c.thermal(d, "_id", nd[DP], nd[SP], gth);
      const double ef = P.model("ef");
      double coef;
      if (noiMod == 2 || noiMod == 3) {
        coef = oxideTrapFlicker(p, P, op, c.tempK);
      } else {
        coef = NoiseContext::flickerCoef(P.model("kf"), P.model("af"), op.ids) / (p.leff * p.leff * p.cox);
      }
      c.flicker(d, "_1overf", nd[DP], nd[SP], coef, ef);
      c.shot(d, "_fb", nd[SP], nd[B], 2.0 * P.model("noif") * op.ibsMode);
    }
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const auto& nd : nodes_) {
      out.emplace_back(nd[DP], nd[SP]);
      out.emplace_back(nd[B], nd[SP]);
      out.emplace_back(nd[G], nd[DP]);
      if (nd[PC] != nd[B]) out.emplace_back(nd[PC], nd[B]);
      if (nd[T] != nd[Z]) out.emplace_back(nd[T], nd[Z]);
      if (nd[D] != nd[DP]) out.emplace_back(nd[D], nd[DP]);
      if (nd[S] != nd[SP]) out.emplace_back(nd[S], nd[SP]);
    }
  }

 private:
  static constexpr const char* kOp[] = {"ids", "gm", "gds", "gmbs", "vth", "vdsat", "vbs", "vgs", "vds",
                                        "ves", "vps", "ic", "iii", "igidl", "ibs", "ibd", "igb", "ibp", "dtemp"};
  static constexpr int kOpBase = 100, kIb = 99;

  // The oxide-trap flicker noise of BSIMPD at f = 1 (times f^EF), m applied:
  // the strong-inversion spectrum, below Vth + 0.1 in parallel with the
  // weak-inversion one.
  static double oxideTrapFlicker(const Inst& p, const ParamValues& P, const OpInfo& op, double tK) {
    constexpr double q = NoiseContext::kCharge, kMinLog = NoiseContext::kMinLog;
    const bool pmos = p.type < 0;
    const double noia = P.model("noia", pmos ? 9.9e18 : 1e20), noib = P.model("noib", pmos ? 2.4e3 : 5e4);
    const double noic = P.model("noic", pmos ? 1.4e-12 : -1.4e-12), em = P.model("em");
    const double cd = std::fabs(op.ids);
    double vds = op.vds, vgs = op.vgs;
    if (vds < 0.0) {
      vds = -vds;
      vgs = vgs + vds;
    }
    double delClm = 0.0;
    if (em > 0.0) {
      const double esat = 2.0 * p.vsattemp / op.ueff;
      const double t0 = ((vds - op.vdseff) / p.litl + em) / esat;
      delClm = p.litl * std::log(std::max(t0, kMinLog));
    }
    const double t1 = q * q * 8.62e-5 * cd * tK * op.ueff;
    const double t2 = 1.0e8 * p.cox * p.leff * p.leff;
    const double n0 = p.cox * op.vgsteff / q;
    const double nl = p.cox * op.vgsteff * (1.0 - op.abovVgst2Vtm * op.vdseff) / q;
    const double t3 = noia * std::log(std::max((n0 + 2.0e14) / (nl + 2.0e14), kMinLog));
    const double t4 = noib * (n0 - nl), t5 = noic * 0.5 * (n0 * n0 - nl * nl);
    const double t6 = 8.62e-5 * tK * cd * cd, t7 = 1.0e8 * p.leff * p.leff * p.weff * p.m;
    const double t8 = noia + noib * nl + noic * nl * nl, t9 = (nl + 2.0e14) * (nl + 2.0e14);
    const double ssi = t1 / t2 * (t3 + t4 + t5) + t6 / t7 * delClm * t8 / t9;
    if (vgs >= op.vth + 0.1) return ssi;
    const double swi = noia * 8.62e-5 * tK / (p.weff * p.m * p.leff * 4.0e36) * cd * cd;
    return swi + ssi > 0.0 ? ssi * swi / (swi + ssi) : 0.0;
  }

  double localCurrentSum(std::size_t i, const QuantityContext& c) const {
    // current into the device at b (and p when tied): minus the rest
    double sum = 0.0;
    for (int k = 0; k < int(std::size(kCurrents)); ++k) sum += Base::quantity(i, k, c);
    return -sum;
  }

  // The terminal currents (into d', g, b, p; the dissipation leaving t) and
  // charges (g, d', b, e), m applied, in the local frame; ch: ngspice's channel
  // current of gm, gds, gmbs (the channel and the bipolar's collector current,
  // d' -> s'). R: double, or forward-mode numbers with the partials.
  template <class R>
  struct TerminalT {
    R i[5], q[4], ch;
  };
  template <class R>
  static TerminalT<R> terminal(const b3soipd::PointT<R>& pt, double m, double sign) {
    return {{m * pt.id, m * pt.ig, m * pt.ib, m * pt.ip, -sign * m * pt.power},
            {m * pt.qg, m * pt.qd, m * pt.qb, m * pt.qe},
            (pt.reverse ? -1.0 : 1.0) * (pt.ids + pt.ic)};
  }

  // v: vgs, vds, vbs, ves, vps (local) and the temperature rise (true sign).
  // The model once on forward-mode numbers in the five local voltages (the
  // partials in vps only with a body contact through RBODY, BODYMOD 1: nothing
  // else depends on it); with self-heating the temperature column by central
  // differences of two more evaluations.
  void evaluate(std::size_t i, const double* V, const double* v, double gmin, Stamp& s, double* q) {
    const Inst& p = p_[i];
    if (p.gd > 0) s.conductance(D, DP, p.gd, V);
    if (p.gs > 0) s.conductance(S, SP, p.gs, V);
    const bool charges = !p.noCharges;
    constexpr int ctrl[6] = {G, DP, B, E, PC, T};
    constexpr int ref[6] = {SP, SP, SP, SP, SP, Z};
    constexpr int term[5] = {DP, G, B, PC, T};
    constexpr int termTo[5] = {SP, SP, SP, SP, Z};
    TerminalT<double> t0{}, dt[6]{};
    double dIds[6] = {0, 0, 0, 0, 0, 0};
    b3soipd::Point pt;  // the values (bit-identical to the double evaluation)
    auto ad = [&]<class F, int N>() {
      F u[5];
      for (int k = 0; k < N; ++k) {
        u[k] = F(v[k]);
        u[k].d[k] = 1.0;
      }
      const auto pf = [&] {
        if constexpr (N == 5) return b3soipd::evaluate(p, u[0], u[1], u[2], u[3], u[4], charges, v[5]);
        else return b3soipd::evaluate(p, u[0], u[1], u[2], u[3], v[4], charges, v[5]);
      }();
      const TerminalT<F> tf = terminal(pf, p.m, p.type);
      for (int j = 0; j < 5; ++j) {
        t0.i[j] = tf.i[j].v;
        for (int k = 0; k < N; ++k) dt[k].i[j] = tf.i[j].d[k];
      }
      for (int j = 0; j < 4; ++j) {
        t0.q[j] = tf.q[j].v;
        for (int k = 0; k < N; ++k) dt[k].q[j] = tf.q[j].d[k];
      }
      for (int k = 0; k < N; ++k) dIds[k] = tf.ch.d[k];
      pt.reverse = pf.reverse;
      pt.id = pf.id.v;
      pt.is = pf.is.v;
      pt.ic = pf.ic.v;
      pt.iii = pf.iii.v;
      pt.igidl = pf.igidl.v;
      pt.ibs = pf.ibs.v;
      pt.ibd = pf.ibd.v;
      pt.igb = pf.igb.v;
      pt.ibp = pf.ibp.v;
      pt.ibsMode = pf.ibsMode.v;
      pt.vth = pf.vth.v;
      pt.vdsat = pf.vdsat.v;
      pt.ueff = pf.ueff.v;
      pt.qinv = pf.qinv.v;
      pt.rds = pf.rds.v;
      pt.vgsteff = pf.vgsteff.v;
      pt.vdseff = pf.vdseff.v;
      pt.abulk = pf.abulk.v;
    };
    if (p.bodyMod == 1) ad.template operator()<b3soipd::Fwd5, 5>();
    else ad.template operator()<b3soipd::Fwd4, 4>();
    if (p.selfHeat) {
      const double h = 1e-4 * (1.0 + std::fabs(v[5]));
      auto at = [&](double rise) {
        return terminal(b3soipd::evaluate(p, v[0], v[1], v[2], v[3], v[4], charges, rise), p.m, p.type);
      };
      const TerminalT<double> a = at(v[5] + h), b = at(v[5] - h);
      // the temperature node's voltage is the rise times the polarity (local frame)
      const double inv = p.type / (2.0 * h);
      for (int j = 0; j < 5; ++j) dt[5].i[j] = (a.i[j] - b.i[j]) * inv;
      for (int j = 0; j < 4; ++j) dt[5].q[j] = (a.q[j] - b.q[j]) * inv;
      dIds[5] = (a.ch - b.ch) / (2.0 * h);
    }
    const int nk = p.selfHeat ? 6 : 5;
    for (int j = 0; j < 5; ++j) {
      if (j == 3 && p.bodyMod != 1) continue;  // p carries no current
      if (j == 4 && !p.selfHeat) continue;
      s.current(term[j], termTo[j], t0.i[j]);
      for (int k = 0; k < nk; ++k) s.slope(term[j], termTo[j], ctrl[k], ref[k], dt[k].i[j]);
    }
    if (p.selfHeat) {  // the thermal resistance and capacitance to ground
      const double gth = p.m / p.rth;
      s.current(T, Z, gth * (V[T] - V[Z]));
      s.slope(T, Z, T, Z, gth);
    }
    // ngspice's gmin from g to d' and gmin*1e-6 from b to s'
    const double gg = gmin * p.m, gb = gmin * 1e-6 * p.m;
    s.current(G, DP, gg * (V[G] - V[DP]));
    s.slope(G, DP, G, DP, gg);
    s.current(B, SP, gb * (V[B] - V[SP]));
    s.slope(B, SP, B, SP, gb);
    for (int st = 0; st < 4; ++st) {
      q[st] = charges ? t0.q[st] : 0.0;
      if (charges)
        for (int k = 0; k < nk; ++k) s.capacitance(st, ctrl[k], ref[k], dt[k].q[st]);
    }
    q[4] = 0.0;
    if (p.selfHeat && charges) {
      q[4] = p.m * p.cth * (V[T] - V[Z]);
      s.capacitance(4, T, Z, p.m * p.cth);
    }
    OpInfo& op = op_[i];
    op.ids = p.m * (pt.reverse ? pt.is : pt.id);  // ngspice's cd: the drain current of the mode
    if (!pt.reverse) {
      op.gm = p.m * dIds[0];
      op.gds = p.m * dIds[1];
      op.gmbs = p.m * dIds[2];
    } else {
      op.gm = -p.m * dIds[0];
      op.gmbs = -p.m * dIds[2];
      op.gds = p.m * (dIds[1] + dIds[0] + dIds[2]);
    }
    op.vth = pt.vth;
    op.vdsat = pt.vdsat;
    op.vgs = v[0];
    op.vds = v[1];
    op.vbs = v[2];
    op.ves = v[3];
    op.vps = v[4];
    op.dT = v[5];
    op.ic = p.m * pt.ic;
    op.iii = p.m * pt.iii;
    op.igidl = p.m * pt.igidl;
    op.ibs = p.m * pt.ibs;
    op.ibd = p.m * pt.ibd;
    op.ig = p.m * pt.igb;
    op.ibp = p.m * pt.ibp;
    op.ibsMode = p.m * pt.ibsMode;
    op.ueff = pt.ueff;
    op.qinv = pt.qinv;
    op.rds = pt.rds;
    op.vgsteff = pt.vgsteff;
    op.vdseff = pt.vdseff;
    op.abovVgst2Vtm = pt.abulk / (pt.vgsteff + 2.0 * p.vtm);
  }

  std::vector<History> hist_;
  std::vector<OpInfo> op_;
  std::vector<double> gmin_;
};

constexpr const char* kTypes[] = {"nmos@57", "pmos@57"};

// A binnable parameter X and its length, width and area dependences.
#define SOIBIN(name, def, doc)                                                                   \
  mparam(name, def, "", doc), mparam("l" name, 0.0, "", "length dependence of " name),          \
      mparam("w" name, 0.0, "", "width dependence of " name), mparam("p" name, 0.0, "", "area dependence of " name)
#define SOIBIN_CTX(name, text, doc)                                                            \
  mparam(name, kNoDefault, "", doc).shown(text), mparam("l" name, 0.0, "", "length dependence of " name), \
      mparam("w" name, 0.0, "", "width dependence of " name), mparam("p" name, 0.0, "", "area dependence of " name)

constexpr ParamSpec kParams[] = {
    iparam("l", 5e-6, "m", "channel length"),
    iparam("w", 5e-6, "m", "channel width"),
    kMultParam,
    iparam("ad", 0.0, "m²", "drain diffusion area (drain-substrate capacitance)"),
    iparam("as", 0.0, "m²", "source diffusion area (source-substrate capacitance)"),
    iparam("pd", 0.0, "m", "drain perimeter (sidewall fringing to the substrate)"),
    iparam("ps", 0.0, "m", "source perimeter (sidewall fringing to the substrate)"),
    iparam("nrd", 1.0, "", "drain diffusion squares (with RSH)"),
    iparam("nrs", 1.0, "", "source diffusion squares (with RSH)"),
    iparam("nrb", 1.0, "", "body squares (with RBSH)"),
    flagParam("off", "start the operating point with the device off"),
    iparam("bjtoff", 0.0, "", "1: the parasitic bipolar's collector current off"),
    iparam("debug", 0.0, "", "ngspice's debug flag: < 0 leaves the device without charges (as ngspice)"),
    iparam("rth0", kNoDefault, "K·m/W", "thermal resistance per width (SHMOD 1)").shown("RTH0 of the model"),
    iparam("cth0", kNoDefault, "W·s/(K·m)", "thermal capacitance per width (SHMOD 1)").shown("CTH0 of the model"),
    iparam("frbody", 1.0, "", "layout factor of the body resistance"),
    iparam("nbc", 0.0, "", "body-contact isolation edges"),
    iparam("nseg", 1.0, "", "segments of the width"),
    iparam("pdbcp", 0.0, "m", "drain-side perimeter of the body-contact parasitics"),
    iparam("psbcp", 0.0, "m", "source-side perimeter of the body-contact parasitics"),
    iparam("agbcp", 0.0, "m²", "gate-body overlap area of the body contact"),
    iparam("aebcp", 0.0, "m²", "substrate-body overlap area of the body contact"),
    iparam("vbsusr", kNoDefault, "V", "user vbs (transient): not supported").shown("—"),
    flagParam("tnodeout", "the card's last node is the temperature node (5 to 7 nodes)"),
    mparam("level", 57.0, "", "model level: 57 (BSIMSOI PD)"),
    mparam("capmod", 2.0, "", "charge model: 2, or 3 (charge centroid)"),
    mparam("mobmod", 1.0, "", "mobility degradation form: 1, 2, 3 (0 as 3)"),
    mparam("noimod", 1.0, "", "noise model 1-4 (.noise)"),
    mparam("paramchk", 0.0, "", "ngspice's parameter checks: accepted, unused"),
    mparam("binunit", 1.0, "", "1: binning sizes in µm, else in m"),
    mparam("version", 2.0, "", "model version: accepted, unused"),
    mparam("tox", 1e-08, "m", "gate oxide thickness"),
    mparam("dtoxcv", 0.0, "m", "oxide thickness reduction of the CAPMOD 3 charges"),
    SOIBIN("cdsc", 0.00024, "source/drain-channel coupling of the subthreshold swing"),
    SOIBIN("cdscb", 0.0, "body-bias dependence of CDSC"),
    SOIBIN("cdscd", 0.0, "drain-bias dependence of CDSC"),
    SOIBIN("cit", 0.0, "interface-trap capacitance"),
    SOIBIN("nfactor", 1.0, "subthreshold swing factor"),
    SOIBIN("vsat", 80000.0, "saturation velocity at TNOM"),
    mparam("at", 33000.0, "m/s", "temperature coefficient of VSAT"),
    SOIBIN("a0", 1.0, "bulk-charge (Abulk) length coefficient"),
    SOIBIN("ags", 0.0, "gate-bias coefficient of Abulk"),
    SOIBIN("a1", 0.0, "first non-saturation factor"),
    SOIBIN("a2", 1.0, "second non-saturation factor"),
    SOIBIN("keta", -0.6, "body-bias coefficient of Abulk"),
    SOIBIN("nsub", 6e+16, "substrate doping, negative for the opposite type"),
    SOIBIN("nch", 1.7e+17, "channel doping"),
    SOIBIN("ngate", 0.0, "poly gate doping (depletion between 1e18 and 1e25)"),
    mparam("gamma1", kNoDefault, "√V", "body factor near the surface").shown("from NCH"),
    mparam("gamma2", kNoDefault, "√V", "body factor in the bulk").shown("from NSUB"),
    mparam("vbx", kNoDefault, "V", "body bias where the depletion reaches XT").shown("from XT"),
    mparam("vbm", -3.0, "V", "largest body bias of the threshold fit"),
    mparam("xt", 1.55e-07, "m", "doping depth"),
    SOIBIN_CTX("k1", "from GAMMA1, GAMMA2", "first-order body effect"),
    mparam("kt1", -0.11, "V", "threshold temperature coefficient"),
    mparam("kt1l", 0.0, "V·m", "length dependence of KT1"),
    mparam("kt2", 0.022, "", "body-bias dependence of KT1"),
    SOIBIN_CTX("k2", "from GAMMA1, GAMMA2", "second-order body effect"),
    SOIBIN("k3", 0.0, "narrow-width threshold coefficient"),
    SOIBIN("k3b", 0.0, "body-bias dependence of K3"),
    SOIBIN("w0", 2.5e-06, "narrow-width width offset"),
    SOIBIN("nlx", 1.74e-07, "lateral non-uniform doping"),
    SOIBIN("dvt0", 2.2, "short-channel threshold, first coefficient"),
    SOIBIN("dvt1", 0.53, "short-channel threshold, second coefficient"),
    SOIBIN("dvt2", -0.032, "body bias of the short-channel effect"),
    SOIBIN("dvt0w", 0.0, "narrow-width short-channel effect, first coefficient"),
    SOIBIN("dvt1w", 5300000.0, "narrow-width short-channel effect, second coefficient"),
    SOIBIN("dvt2w", -0.032, "body bias of the narrow-width short-channel effect"),
    SOIBIN("drout", 0.56, "length dependence of the output-resistance DIBL"),
    SOIBIN_CTX("dsub", "DROUT", "length exponent of the subthreshold DIBL"),
    mparam("vth0", kNoDefault, "V", "threshold voltage at zero body bias").shown("0.7 (nmos), -0.7 (pmos), or from VFB").aka("vtho"),
    mparam("lvth0", 0.0, "", "length dependence of vth0"), mparam("wvth0", 0.0, "", "width dependence of vth0"), mparam("pvth0", 0.0, "", "area dependence of vth0"),
    SOIBIN("ua", 2.25e-09, "first-order mobility degradation"),
    mparam("ua1", 4.31e-09, "m/V", "temperature coefficient of UA"),
    SOIBIN("ub", 5.87e-19, "second-order mobility degradation"),
    mparam("ub1", -7.61e-18, "(m/V)²", "temperature coefficient of UB"),
    SOIBIN_CTX("uc", "-0.0465e-9 (MOBMOD 3: -0.0465)", "body-bias dependence of the mobility degradation"),
    mparam("uc1", kNoDefault, "m/V²", "temperature coefficient of UC").shown("-0.056e-9 (MOBMOD 3: -0.056)"),
    SOIBIN_CTX("u0", "0.067 (nmos), 0.025 (pmos)", "low-field mobility (above 1: cm²/Vs)"),
    mparam("ute", -1.5, "", "mobility temperature exponent"),
    SOIBIN("voff", -0.08, "subthreshold offset"),
    mparam("cgso", kNoDefault, "F/m", "gate-source overlap per width").shown("from DLC or XJ"),
    mparam("cgdo", kNoDefault, "F/m", "gate-drain overlap per width").shown("from DLC or XJ"),
    mparam("xpart", 0.0, "", "drain share of the channel charge: 0 (40/60), 0.5, 1 (0/100); < 0 none"),
    SOIBIN("delta", 0.01, "smoothing of Vdseff"),
    mparam("rsh", 0.0, "Ω", "diffusion sheet resistance (with NRD, NRS)"),
    SOIBIN("rdsw", 100.0, "source-drain resistance per width"),
    SOIBIN("prwg", 0.0, "gate bias of RDSW"),
    SOIBIN("prwb", 0.0, "body bias of RDSW"),
    mparam("prt", 0.0, "Ω·µm", "temperature coefficient of RDSW"),
    SOIBIN("eta0", 0.08, "subthreshold DIBL coefficient"),
    SOIBIN("etab", -0.07, "body bias of ETA0"),
    SOIBIN("pclm", 1.3, "channel-length modulation"),
    SOIBIN("pdiblc1", 0.39, "first output-resistance DIBL coefficient"),
    SOIBIN("pdiblc2", 0.0086, "second output-resistance DIBL coefficient"),
    SOIBIN("pdiblcb", 0.0, "body bias of the output-resistance DIBL"),
    SOIBIN("pvag", 0.0, "gate bias of the Early voltage"),
    mparam("shmod", 0.0, "", "self-heating: 1 with RTH0 > 0 (an internal temperature node)"),
    mparam("ddmod", 0.0, "", "dynamic depletion selector (BSIMDD): accepted, unused"),
    mparam("tbox", 3e-07, "m", "buried oxide thickness"),
    mparam("tsi", 1e-07, "m", "silicon film thickness"),
    mparam("xj", kNoDefault, "m", "junction depth").shown("TSI"),
    mparam("rth0", 0.0, "K·m/W", "thermal resistance per width (SHMOD 1): Rth = RTH0·NSEG/(Weff + WTH0)"),
    mparam("cth0", 0.0, "W·s/(K·m)", "thermal capacitance per width (SHMOD 1): Cth = CTH0·(Weff + WTH0)/NSEG"),
    SOIBIN("ngidl", 1.2, "GIDL voltage offset"),
    SOIBIN("agidl", 0.0, "GIDL prefactor"),
    SOIBIN("bgidl", 0.0, "GIDL exponential field"),
    SOIBIN("ndiode", 1.0, "body diode emission coefficient"),
    mparam("xbjt", 1.0, "", "temperature exponent of ISBJT"),
    mparam("xdif", kNoDefault, "", "temperature exponent of ISDIF").shown("XBJT"),
    mparam("xrec", 1.0, "", "temperature exponent of ISREC"),
    mparam("xtun", 0.0, "", "temperature coefficient of ISTUN"),
    mparam("pbswg", 0.7, "V", "built-in potential of the gate-edge body junctions"),
    mparam("mjswg", 0.5, "", "grading of the gate-edge body junctions"),
    mparam("cjswg", 1e-10, "F/m²", "gate-edge body junction capacitance (per width and 100 nm of TSI)"),
    mparam("lint", 0.0, "m", "length offset per side"),
    mparam("ll", 0.0, "m^LLN", "length dependence of the length offset"),
    mparam("llc", 0.0, "m^LLN", "LL of the C-V length"),
    mparam("lln", 1.0, "", "power of L in the length offset"),
    mparam("lw", 0.0, "m^LWN", "width dependence of the length offset"),
    mparam("lwc", 0.0, "m^LWN", "LW of the C-V length"),
    mparam("lwn", 1.0, "", "power of W in the length offset"),
    mparam("lwl", 0.0, "", "area dependence of the length offset"),
    mparam("lwlc", 0.0, "", "LWL of the C-V length"),
    SOIBIN("wr", 1.0, "width exponent of RDSW"),
    mparam("wint", 0.0, "m", "width offset per side"),
    SOIBIN("dwg", 0.0, "gate bias of the width"),
    SOIBIN("dwb", 0.0, "body bias of the width"),
    mparam("wl", 0.0, "m^WLN", "length dependence of the width offset"),
    mparam("wlc", 0.0, "m^WLN", "WL of the C-V width"),
    mparam("wln", 1.0, "", "power of L in the width offset"),
    mparam("ww", 0.0, "m^WWN", "width dependence of the width offset"),
    mparam("wwc", 0.0, "m^WWN", "WW of the C-V width"),
    mparam("wwn", 1.0, "", "power of W in the width offset"),
    mparam("wwl", 0.0, "", "area dependence of the width offset"),
    mparam("wwlc", 0.0, "", "WWL of the C-V width"),
    SOIBIN("b0", 0.0, "width coefficient of Abulk"),
    SOIBIN("b1", 0.0, "width offset of B0"),
    mparam("cgsl", 0.0, "F/m", "bias-dependent gate-source overlap"),
    mparam("cgdl", 0.0, "F/m", "bias-dependent gate-drain overlap"),
    mparam("ckappa", 0.6, "V", "overlap fringing coefficient"),
    mparam("cf", kNoDefault, "F/m", "fringing capacitance").shown("from TOX"),
    mparam("clc", 1e-08, "m", "length constant of the C-V Abulk"),
    mparam("cle", 0.0, "", "exponent of the C-V Abulk"),
    mparam("dwc", kNoDefault, "m", "width offset of the C-V model").shown("WINT"),
    mparam("dlc", kNoDefault, "m", "length offset of the C-V model").shown("LINT"),
    SOIBIN("alpha0", 0.0, "impact ionisation prefactor"),
    mparam("noia", kNoDefault, "", "oxide-trap flicker noise, first coefficient (.noise)").shown("1e20 / 9.9e18"),
    mparam("noib", kNoDefault, "", "oxide-trap flicker noise, second coefficient (.noise)").shown("5e4 / 2.4e3"),
    mparam("noic", kNoDefault, "", "oxide-trap flicker noise, third coefficient (.noise)").shown("-1.4e-12 / 1.4e-12"),
    mparam("em", 41000000.0, "V/m", "saturation field of the oxide-trap noise (.noise)"),
    mparam("ef", 1.0, "", "flicker frequency exponent (.noise)"),
    mparam("af", 1.0, "", "flicker current exponent (.noise)"),
    mparam("kf", 0.0, "", "flicker coefficient (.noise)"),
    mparam("noif", 1.0, "", "floating-body shot-noise factor (.noise)"),
    SOIBIN("k1w1", 0.0, "width dependence of K1, first coefficient"),
    SOIBIN("k1w2", 0.0, "width dependence of K1, second coefficient"),
    SOIBIN("ketas", 0.0, "surface-potential offset of Abulk"),
    mparam("dwbc", 0.0, "m", "width lost per body-contact isolation edge"),
    SOIBIN("beta0", 0.0, "impact ionisation: quadratic drain term"),
    SOIBIN("beta1", 0.0, "impact ionisation: linear drain term"),
    SOIBIN("beta2", 0.1, "impact ionisation: constant term"),
    SOIBIN("vdsatii0", 0.9, "impact ionisation: saturation voltage at threshold"),
    mparam("tii", 0.0, "", "impact ionisation: temperature coefficient"),
    SOIBIN("lii", 0.0, "impact ionisation: length dependence of VDSATII0"),
    SOIBIN("sii0", 0.5, "impact ionisation: first gate coefficient"),
    SOIBIN("sii1", 0.1, "impact ionisation: second gate coefficient"),
    SOIBIN("sii2", 0.0, "impact ionisation: third gate coefficient"),
    SOIBIN("siid", 0.0, "impact ionisation: drain dependence of the saturation voltage"),
    SOIBIN("fbjtii", 0.0, "share of the bipolar current that ionises"),
    SOIBIN("esatii", 10000000.0, "impact ionisation: saturation field"),
    SOIBIN("ntun", 10.0, "emission coefficient of the reverse tunnelling"),
    SOIBIN("nrecf0", 2.0, "emission coefficient of the forward recombination"),
    SOIBIN("nrecr0", 10.0, "emission coefficient of the reverse recombination"),
    SOIBIN("isbjt", 1e-06, "saturation current of the bipolar injection"),
    SOIBIN("isdif", 0.0, "saturation current of the body diffusion diodes"),
    SOIBIN("isrec", 1e-05, "saturation current of the depletion recombination"),
    SOIBIN("istun", 0.0, "saturation current of the reverse tunnelling"),
    mparam("ln", 2e-06, "m", "minority carrier diffusion length"),
    SOIBIN("vrec0", 0.0, "voltage scale of the reverse recombination"),
    SOIBIN("vtun0", 0.0, "voltage scale of the tunnelling"),
    SOIBIN("nbjt", 1.0, "length exponent of the bipolar current"),
    SOIBIN("lbjt0", 2e-07, "reference length of the bipolar current"),
    mparam("ldif0", 1.0, "", "length coefficient of the diffusion charge"),
    SOIBIN("vabjt", 10.0, "Early voltage of the bipolar"),
    SOIBIN("aely", 0.0, "length dependence of the Early voltage"),
    SOIBIN("ahli", 0.0, "high-injection coefficient of the bipolar"),
    mparam("rbody", 0.0, "Ω/sq", "intrinsic body sheet resistance (body contact)"),
    mparam("rbsh", 0.0, "Ω/sq", "extrinsic body sheet resistance (with NRB)"),
    mparam("cgeo", 0.0, "F/m", "gate-substrate overlap per length"),
    mparam("tt", 1e-12, "s", "transit time of the body diffusion charge"),
    mparam("ndif", -1.0, "", "length exponent of the diffusion charge"),
    SOIBIN_CTX("vsdfb", "from NSUB", "flat band of the source/drain-substrate capacitance"),
    SOIBIN_CTX("vsdth", "from NSUB, VSDFB", "threshold of the source/drain-substrate capacitance"),
    mparam("csdmin", kNoDefault, "F/m²", "smallest source/drain-substrate capacitance").shown("from NSUB, TBOX"),
    mparam("asd", 0.3, "", "smoothing of the source/drain-substrate capacitance"),
    mparam("csdesw", 0.0, "F/m", "source/drain sidewall fringing to the substrate per length"),
    mparam("ntrecf", 0.0, "", "temperature coefficient of NRECF0"),
    mparam("ntrecr", 0.0, "", "temperature coefficient of NRECR0"),
    mparam("dlcb", 0.0, "m", "length offset of the body charge"),
    mparam("fbody", 1.0, "", "scale of the body charge"),
    mparam("tcjswg", 0.0, "1/K", "temperature coefficient of CJSWG"),
    mparam("tpbswg", 0.0, "V/K", "temperature coefficient of PBSWG"),
    SOIBIN("acde", 1.0, "charge-centroid exponent of CAPMOD 3 (accumulation, depletion)"),
    SOIBIN("moin", 15.0, "surface-potential coefficient of CAPMOD 3"),
    SOIBIN("delvt", 0.0, "threshold shift of the charges"),
    SOIBIN("kb1", 1.0, "scale of the back-gate charge"),
    mparam("dlbg", 0.0, "m", "length offset of the back-gate charge"),
    mparam("igmod", 0.0, "", "gate-to-body tunnelling: 1 on"),
    mparam("toxqm", kNoDefault, "m", "oxide thickness of the tunnelling (quantum-corrected)").shown("TOX"),
    mparam("wth0", 0.0, "m", "width offset of the thermal network"),
    mparam("rhalo", 1000000000000000.0, "Ω/sq", "halo sheet resistance of the body"),
    mparam("ntox", 1.0, "", "oxide-thickness exponent of the tunnelling"),
    mparam("toxref", 2.5e-09, "m", "reference oxide thickness of the tunnelling"),
    mparam("ebg", 1.2, "V", "band gap of the tunnelling"),
    mparam("vevb", 0.075, "V", "valence-band tunnelling voltage scale"),
    mparam("alphagb1", 0.35, "1/V", "inversion tunnelling, first coefficient"),
    mparam("betagb1", 0.03, "1/V²", "inversion tunnelling, second coefficient"),
    mparam("vgb1", 300.0, "V", "inversion tunnelling, oxide voltage scale"),
    mparam("vecb", 0.026, "V", "conduction-band tunnelling voltage scale"),
    mparam("alphagb2", 0.43, "1/V", "accumulation tunnelling, first coefficient"),
    mparam("betagb2", 0.05, "1/V²", "accumulation tunnelling, second coefficient"),
    mparam("vgb2", 17.0, "V", "accumulation tunnelling, oxide voltage scale"),
    mparam("voxh", 5.0, "V", "largest oxide voltage of the tunnelling"),
    mparam("deltavox", 0.005, "V", "smoothing of VOXH"),
    mparam("lmin", 0.0, "m", "binning range (model binning)"),
    mparam("lmax", 1.0, "m", "binning range (model binning)"),
    mparam("wmin", 0.0, "m", "binning range (model binning)"),
    mparam("wmax", 1.0, "m", "binning range (model binning)"),
    kTnomParam,
};

#undef SOIBIN
#undef SOIBIN_CTX

}  // namespace

extern const DeviceKind kB3soipdKind;
constexpr DeviceKind kB3soipdKind{
    .letter = 'm', .name = "MOSFET", .form = CardForm::ModelCard, .minNodes = 4, .maxNodes = 7,
    .modelTypes = kTypes, .params = kParams,
    .valueDoc = "Mname d g s e [p] [b] [t] model [l=] [w=] [as=] [ad=] [nrb=] [bjtoff=] ... (a .model nmos|pmos with LEVEL=57)",
    .create = makeGroup<B3soipdGroup, kB3soipdKind>};

}  // namespace simcore::dev
