// M: BSIM3v3.3 MOSFET (ngspice's level 8 and 49; bsim3_model.hpp has the
// equations). Terminals as the other MOSFET levels: d g s b, with d' and s'
// when RSH*NRD / RSH*NRS give series resistances.
//
// Resistive part: the channel current d'->s', the substrate current from the
// drain of the mode into b, and the junction currents b->s', b->d'. Reactive
// part: three terminal charges (gate, drain, bulk; the source's is minus their
// sum) including overlaps and junction depletion charges, each a charge state
// between its terminal and s'. The derivatives of all of them with respect to
// vgs, vds and vbs come with the values from one evaluation of the model on
// dual numbers (bsim3_model.hpp), so every region and every CAPMOD shares one
// code path and the Jacobian is the derivative of the values stamped.
// m multiplies every current and charge. Limiting as SPICE's MOSFETs.
#include <array>
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "devices/bsim3_model.hpp"
#include "devices/common.hpp"
#include "devices/noise.hpp"
#include "devices/semiconductor.hpp"

namespace simcore::dev {
namespace {

// Q: NQSMOD's charge-deficit node (its value qdef, the deficit charge / 1e-9);
// O: ground, the other end of Q's own terms. Instances with NQSMOD 1 form a
// group of their own (kBsim3NqsKind), so the others keep the six-terminal stamp.
enum : int { D = 0, G = 1, S = 2, B = 3, DP = 4, SP = 5, Q = 6, O = 7 };
struct Layout {
  static constexpr int terminals = 6;
  static constexpr bool mask[terminals][terminals] = {
      // D  G  S  B  D' S'
      {1, 0, 0, 0, 1, 0},  // D   series resistance
      {0, 1, 0, 1, 1, 1},  // G   gate charge
      {0, 0, 1, 0, 0, 1},  // S   series resistance
      {0, 1, 0, 1, 1, 1},  // B   junctions, substrate current, bulk charge
      {1, 1, 0, 1, 1, 1},  // D'
      {0, 1, 1, 1, 1, 1},  // S'
  };
  static constexpr int states = 3;  // qg, qd, qb
  static constexpr int chargeFrom[states] = {G, DP, B};
  static constexpr int chargeTo[states] = {SP, SP, SP};
  static constexpr int series = 2;
};
struct NqsLayout {
  static constexpr int terminals = 8;
  static constexpr bool mask[terminals][terminals] = {
      // D  G  S  B  D' S' Q  O
      {1, 0, 0, 0, 1, 0, 0, 0},  // D   series resistance
      {0, 1, 0, 1, 1, 1, 1, 0},  // G   overlaps; the deficit's relaxation current
      {0, 0, 1, 0, 0, 1, 0, 0},  // S   series resistance
      {0, 1, 0, 1, 1, 1, 0, 0},  // B   junctions, substrate current, overlaps
      {1, 1, 0, 1, 1, 1, 1, 0},  // D'
      {0, 1, 1, 1, 1, 1, 1, 0},  // S'
      {0, 1, 0, 1, 1, 1, 1, 1},  // Q   d(1e-9 qdef)/dt + gtau qdef - dQcheq/dt = 0
      {0, 0, 0, 0, 0, 0, 1, 1},  // O   (ground: dropped)
  };
  static constexpr int states = 5;  // qg, qd, qb; 1e-9 qdef (Q to ground), Qcheq (ground to Q)
  static constexpr int chargeFrom[states] = {G, DP, B, Q, O};
  static constexpr int chargeTo[states] = {SP, SP, SP, O, Q};
  static constexpr int series = 2;
};

// The NQSMOD of an instance: its own parameter, else its model's (0 when neither).
double nqsModOf(const ir::Device& d, const ir::Model& m) {
  for (auto it = d.params.rbegin(); it != d.params.rend(); ++it)
    if (it->name == "nqsmod") return it->value;
  for (auto it = m.params.rbegin(); it != m.params.rend(); ++it)
    if (it->name == "nqsmod") return it->value;
  return 0.0;
}

struct Inst : bsim3::Inst {
  double m = 1;
  bool nqs = false;  // NQSMOD 1
  double gd = 0, gs = 0;    // series conductances (m applied)
  double vcrit = 0, vt0 = 0;  // limiting
};

// The quantities of the last evaluation that @m[...] reports.
struct OpInfo {
  double gm = 0, gds = 0, gmbs = 0, vth = 0, vdsat = 0;
  double cdrain = 0;  // ngspice's @m[id], "Ids": the channel current in the mode's n-type frame
  // as ngspice's BSIM3 reports them (n-type frame, m applied; kChannel from "vbs" on)
  double more[21] = {};
};

template <bool Nqs>
class Bsim3Group final : public semi::LinearisedGroup<Bsim3Group<Nqs>, std::conditional_t<Nqs, NqsLayout, Layout>, Inst> {
  using K = std::conditional_t<Nqs, NqsLayout, Layout>;
  using Base = semi::LinearisedGroup<Bsim3Group<Nqs>, K, Inst>;
  using Stamp = semi::LocalStamp<K>;
  using Lin = semi::Linearisation<K>;
  using Base::inst_;
  using Base::p_;
  using Base::nodes_;
  using Base::st_;
  using Base::off_;
  using Base::resizeInstances;
  using Base::checkInstance;
  using Base::mosModel;
  using Base::values;
  using Base::storeSmallSignal;
 public:
  // threaded loads: one evaluation costs about 14 level-1 MOSFET evaluations (--stats of the bench circuits, docs/performance.md)
  static constexpr std::size_t kLoadWeight = 14;

 private:
  static constexpr int kN = K::terminals, kStates = K::states;

 public:
  using Base::Base;
  static constexpr semi::TerminalCurrent kCurrents[] = {{"id", D, DP}, {"is", S, SP}, {"ig", G, G}, {"ib", B, B}};

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    resizeInstances(n);
    last_.assign(n, semi::MosVoltages{0, 0, 0});
    ic_.assign(n, {kNoDefault, kNoDefault, kNoDefault});
    von_.assign(n, 0.0);
    op_.assign(n, OpInfo{});
    const ir::Options& o = ctx.options();
    SharedSetups<bsim3::Inst> sized;
    std::set<const ir::Model*> checked;
    std::vector<const ir::Model*> models(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (auto s = checkInstance(*inst_[i]); !s) return s;
      auto found = mosModel(ctx, *inst_[i], checked);
      if (!found) return found.takeError();
      models[i] = *found;
    }
    // VERSION 3.1: ngspice's parameter check raises PD and PS below Weff to Weff for the
    // instance that first has a size (L, W) of a model, in the order it keeps them: the
    // reverse of the netlist's, so the last of that size here; the others keep theirs
    std::map<std::tuple<const ir::Model*, double, double>, std::size_t> checkedOfSize;
    for (std::size_t i = 0; i < n; ++i) {
      const ParamValues P = values(*inst_[i], models[i]);
      if (bsim3::isVersion31(P)) checkedOfSize[{models[i], P.inst("l"), P.inst("w")}] = i;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      const ir::Model* mod = models[i];
      const ParamValues P = values(d, mod);
      const auto bad = [&](const std::string& what) {
        return deviceError(d, "MOSFET '" + d.name + "' (BSIM3 model '" + mod->name + "'): " + what);
      };
      // (3.1 has no ACNQSMOD and no ACM: the card's are ignored, with a warning)
      const bool v31 = bsim3::isVersion31(P) || bsim3::isVersion30(P);
      if (!v31 && (P.inst("acnqsmod") != 0 || P.model("acnqsmod") != 0))
        return bad("the AC non-quasi-static model (ACNQSMOD) is not supported (NQSMOD is)");
      const double nqsMod = nqsModOf(d, *mod);
      if (nqsMod != 0 && nqsMod != 1) return bad("NQSMOD must be 0 or 1");
      if (!v31 && P.model("acm") != 0) return bad("the area calculation methods (ACM > 0) are not supported");
      if (const double v = P.model("version"); !(v >= 3.0 && v < 3.4))
        return bad("VERSION " + std::to_string(v).substr(0, 4) + " is not a BSIM3 version (3.0 to 3.3)");
      Inst& p = p_[i];
      p.m = P.inst("m");
      if (!(p.m > 0)) return bad("m must be positive");
      ic_[i] = mosInitialVoltages(P);
      p.nqs = nqsMod == 1;
      const double T = o.temp + kCelsiusToKelvin, Tnom = semi::nominalTempK(P, o);
      // instances of one model with the same instance parameters share their set-up
      const bool clamp = v31 && checkedOfSize[{mod, P.inst("l"), P.inst("w")}] == i;
      auto sizeUp = [&](bsim3::Inst& q) { return bsim3::setup(P, mod->type == "pmos", T, Tnom, q, clamp); };
      bsim3::Inst& q = p;
      if (auto why = clamp ? sizeUp(q) : sized.apply(mod, d, q, sizeUp); !why.empty()) return bad(why);
      const double rsh = P.model("rsh");
      p.gd = rsh > 0 && P.inst("nrd") > 0 ? p.m / (rsh * P.inst("nrd")) : 0.0;
      p.gs = rsh > 0 && P.inst("nrs") > 0 ? p.m / (rsh * P.inst("nrs")) : 0.0;
      p.vt0 = 8.617087e-5 * (27.0 + kCelsiusToKelvin);
      p.vcrit = p.vt0 * std::log(p.vt0 / (semi::kSqrt2 * 1.0e-14));
      off_[i] = P.hasInst("off");
      auto& nd = nodes_[i];
      nd[D] = ctx.node(d.nodes[0]);
      nd[G] = ctx.node(d.nodes[1]);
      nd[S] = ctx.node(d.nodes[2]);
      nd[B] = ctx.node(d.nodes[3]);
      nd[DP] = p.gd > 0 ? ctx.addInternalNode(d, "d") : nd[D];
      nd[SP] = p.gs > 0 ? ctx.addInternalNode(d, "s") : nd[S];
      if (p.nqs != Nqs) return bad("internal: NQSMOD read differently from the kind's routing");
      if constexpr (Nqs) {
        nd[Q] = ctx.addInternalNode(d, "q");
        nd[O] = 0;
      }
      st_[i] = ctx.addStates(kStates);
      von_[i] = p.type * p.vth0;
    }
    return {};
  }

  double polarity(std::size_t i) const { return p_[i].type; }

  // With uic the internal drain and source start at their terminals' initial
  // values (the drain at the source's plus IC's vds where given): the first
  // step's Newton starts where initialCharges puts the device
  void initialConditions(double* x) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) semi::mosUicNodes(x, nodes_[i], D, S, DP, SP, ic_[i][0]);
  }

  void initialCharges(LoadContext& c, std::size_t i, const double* Vx) {
    // with uic the device's voltages from its external nodes' initial values
    // and its IC=, as ngspice's BSIM3getic (the internal drain and source start
    // there too: initialConditions)
    double W[kN];
    for (int k = 0; k < kN; ++k) W[k] = Vx[k];
    if (c.uic) semi::mosUicVoltages(W, Vx, D, G, S, B, DP, SP, polarity(i), ic_[i]);
    const double* V = W;
    Stamp s;
    double q[kStates];
    evaluate(i, V, c.gmin, s, q);
    for (int k = 0; k < kStates; ++k) c.charge(st_[i] + k, q[k]);
    last_[i] = {V[G] - V[SP], V[DP] - V[SP], V[B] - V[SP]};
  }

  void linearise(LoadContext& c, std::size_t i, const double* V, Lin& L, bool tran) {
    const Inst& p = p_[i];
    semi::MosVoltages v{V[G] - V[SP], V[DP] - V[SP], V[B] - V[SP]};
    bool limited;
    if (c.initJunctions) {
      // as BSIM3: just above threshold with a small vds
      v = off_[i] ? semi::MosVoltages{0, 0, 0} : semi::MosVoltages{p.type * p.vth0 + 0.1, 0.1, 0.0};
      limited = true;
    } else {
      limited = !c.resync && semi::mosLimit(v, last_[i], von_[i], p.vt0, p.vcrit, p.vcrit);
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
    evaluate(i, Vl, c.gmin, L.s, L.q);
    if (!tran) storeSmallSignal(i, L.s.G, L.s.C);
  }

  // Beyond the terminal currents: the channel's gm, gds, gmbs, threshold and
  // saturation voltage of the last evaluation (the drain being the higher
  // terminal; vth and vdsat in the n-type frame, positive for a typical pmos
  // too, as ngspice's BSIM3 reports them); its vbs vgs vds, junction currents,
  // conductances and capacitances, terminal charges and intrinsic
  // transcapacitances (ngspice's list: cgg cgd cgs cdg cdd cds cbg cbd cbs).
  int quantityId(std::size_t i, std::string_view param) const override {
    if (const int id = Base::quantityId(i, param); id >= 0) return id;
    for (int k = 0; k < int(std::size(kChannel)); ++k)
      if (param == kChannel[k]) return kChannelBase + k;
    return -1;
  }
  double quantity(std::size_t i, int id, const QuantityContext& c) const override {
    // @m[id] is ngspice's BSIM3 "Ids": the channel current alone, in the frame of the
    // mode (positive for a conducting pmos or a reversed device); [is] [ig] [ib] terminal currents
    if (id == 0) return op_[i].cdrain;
    if (id < kChannelBase) return Base::quantity(i, id, c);
    const OpInfo& op = op_[i];
    const int k = id - kChannelBase;
    switch (k) {
      case 0: return op.gm;
      case 1: return op.gds;
      case 2: return op.gmbs;
      case 3: return op.vth;
      case 4: return op.vdsat;
      default: return op.more[k - kMoreBase];
    }
  }
  std::complex<double> acQuantity(std::size_t i, int id, const std::complex<double>* x, double omega) const override {
    if (id < kChannelBase) return Base::acQuantity(i, id, x, omega);
    return quantity(i, id, QuantityContext{});
  }

  // .noise (as ngspice's BSIM3): RD and RS thermal; channel thermal and
  // flicker between d' and s'. Thermal: NOIMOD 1, 3: 4kT (2/3)|gm + gds + gmbs|;
  // NOIMOD 2, 4: 4kT ueff|Qinv| / (Leff² + ueff|Qinv| Rds). Flicker: NOIMOD 1, 4:
  // KF |Id|^AF / (f Cox Leff²); NOIMOD 2, 3: the oxide-trap model (NOIA, NOIB,
  // NOIC, EM, LINTNOI). The flicker spectrum is 1/f (EF is taken as 1).
  void noise(NoiseContext& c) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      const Inst& p = p_[i];
      const auto& nd = nodes_[i];
      double V[kN];
      for (int k = 0; k < kN; ++k) V[k] = p.type * c.xop[nd[k]];
      const double vds = V[DP] - V[SP];
      const bsim3::Point pt = bsim3::evaluate(p, V[G] - V[SP], vds, V[B] - V[SP], c.gmin, true);
      const OpInfo& op = op_[i];
      c.thermal(d, "_rd", nd[DP], nd[D], p.gd);
      c.thermal(d, "_rs", nd[SP], nd[S], p.gs);
      const ParamValues P = values(d, c.model(d));
      const int noiMod = int(P.model("noimod"));
      double gth;
      if (noiMod == 2 || noiMod == 4) {
        const double uq = pt.ueff * std::fabs(pt.qinv);
        gth = p.m * uq / (p.leff * p.leff + uq * pt.rds);
      } else {
        gth = 2.0 / 3.0 * std::fabs(op.gm + op.gds + op.gmbs);
      }
      c.thermal(d, "_id", nd[DP], nd[SP], gth);
      double coef;
      if (noiMod == 2 || noiMod == 3) coef = p.m * oxideTrapFlicker(p, P, pt, std::fabs(vds), c.tempK);
      else coef = p.m * NoiseContext::flickerCoef(p.kf, p.af, pt.id) / (p.leff * p.leff * p.cox);
      // (both forms fall as 1/f^EF, as ngspice's b3noi.c)
      c.flicker(d, "_1overf", nd[DP], nd[SP], coef, p.ef);
    }
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const auto& nd : nodes_) {
      out.emplace_back(nd[DP], nd[SP]);
      out.emplace_back(nd[B], nd[DP]);
      out.emplace_back(nd[B], nd[SP]);
      if (nd[D] != nd[DP]) out.emplace_back(nd[D], nd[DP]);
      if (nd[S] != nd[SP]) out.emplace_back(nd[S], nd[SP]);
      if constexpr (Nqs) out.emplace_back(nd[Q], 0);  // gtau to ground
    }
  }

 private:
  static constexpr const char* kChannel[] = {"gm",  "gds", "gmbs", "vth", "vdsat", "vbs", "vgs", "vds",
                                             "ibd", "ibs", "gbd",  "gbs", "qb",    "qg",  "qd",  "cgg",
                                             "cgd", "cgs", "cdg",  "cdd", "cds",   "cbg", "cbd", "cbs",
                                             "capbd", "capbs"};
  static constexpr int kMoreBase = 5;  // the first of OpInfo::more in kChannel
  static constexpr int kChannelBase = 100;
  static_assert(std::size(kChannel) == kMoreBase + std::size(OpInfo{}.more));

  // BSIM3's oxide-trap flicker noise of one device (m not applied) at f = 1 Hz:
  // the strong-inversion and weak-inversion spectra in parallel.
  static double oxideTrapFlicker(const Inst& p, const ParamValues& P, const bsim3::Point& pt, double vds, double T) {
    constexpr double q = NoiseContext::kCharge, kMinLog = NoiseContext::kMinLog;
    const bool pmos = p.type < 0;
    const double noia = P.model("noia", pmos ? 9.9e18 : 1e20), noib = P.model("noib", pmos ? 2.4e3 : 5e4);
    const double noic = P.model("noic", pmos ? 1.4e-12 : -1.4e-12), em = P.model("em");
    const double cd = std::fabs(pt.id);
    const double leff = p.leff - 2.0 * P.model("lintnoi"), leffsq = leff * leff;
    const double esat = 2.0 * p.vsattemp / pt.ueff;
    double delClm = 0.0;
    if (em > 0.0) {
      const double t0 = ((vds - pt.vdseff) / p.litl + em) / esat;
      delClm = std::max(p.litl * std::log(std::max(t0, kMinLog)), 0.0);
    }
    const double t1 = q * q * 8.62e-5 * cd * T * pt.ueff;
    const double t2 = 1.0e8 * pt.abulk * p.cox * leffsq;
    const double n0 = p.cox * pt.vgsteff / q;
    const double nl = p.cox * pt.vgsteff * (1.0 - pt.abulk / (pt.vgsteff + 2.0 * p.vtm) * pt.vdseff) / q;
    const double t3 = noia * std::log(std::max((n0 + 2.0e14) / (nl + 2.0e14), kMinLog));
    const double t4 = noib * (n0 - nl), t5 = noic * 0.5 * (n0 * n0 - nl * nl);
    const double t6 = 8.62e-5 * T * cd * cd, t7 = 1.0e8 * leffsq * p.weff;
    const double t8 = noia + noib * nl + noic * nl * nl, t9 = (nl + 2.0e14) * (nl + 2.0e14);
    const double ssi = t1 / t2 * (t3 + t4 + t5) + t6 / t7 * delClm * t8 / t9;
    const double swi = noia * 8.62e-5 * T / (p.weff * p.leff * 4.0e36) * cd * cd;
    return ssi + swi > 0.0 ? ssi * swi / (ssi + swi) : 0.0;
  }

  // The terminal currents (into d', b; the gate's is zero) and charges (g,
  // d', b), with their partials in vgs, vds, vbs.
  using Slopes = bsim3::Slopes;
  struct Terminal {
    Slopes id, ib, q[3], ch;  // ch: the channel current alone
  };
  static Terminal terminal(const bsim3::PointSlopes& pt, double m) {
    // the impact-ionisation current leaves the mode's drain
    const Slopes isubD = pt.reverse ? Slopes(0.0) : pt.isub;
    const Slopes id = pt.id + isubD - pt.ibd;
    const Slopes ib = pt.ibs + pt.ibd - pt.isub;
    return {m * id, m * ib, {m * pt.qg, m * pt.qd, m * pt.qb}, m * pt.id};
  }

  // Currents, conductances, charges and capacitances at local voltages V.
  void evaluate(std::size_t i, const double* V, double gmin, Stamp& s, double* q) {
    const Inst& p = p_[i];
    if (p.gd > 0) s.conductance(D, DP, p.gd, V);
    if (p.gs > 0) s.conductance(S, SP, p.gs, V);
    const bsim3::PointSlopes pt = bsim3::evaluateSlopes(p, V[G] - V[SP], V[DP] - V[SP], V[B] - V[SP], gmin);
    const Terminal t = terminal(pt, p.m);
    constexpr int ctrl[3] = {G, DP, B};
    s.current(DP, SP, t.id.v);
    s.current(B, SP, t.ib.v);
    for (int k = 0; k < 3; ++k) {
      s.slope(DP, SP, ctrl[k], SP, t.id.d[k]);
      s.slope(B, SP, ctrl[k], SP, t.ib.d[k]);
    }
    if constexpr (!Nqs) {
      for (int st = 0; st < 3; ++st) {
        q[st] = t.q[st].v;
        for (int k = 0; k < 3; ++k) s.capacitance(st, ctrl[k], SP, t.q[st].d[k]);
      }
    } else {
      nqs(p, pt, V, s, q);
    }
    // channel quantities in the frame where the drain is the higher terminal
    OpInfo& op = op_[i];
    const double dIdg = t.ch.d[0], dIdd = t.ch.d[1], dIdb = t.ch.d[2];
    if (!pt.reverse) {
      op.gm = dIdg;
      op.gds = dIdd;
      op.gmbs = dIdb;
    } else {  // in the swapped frame: vgs' = vgd, vds' = -vds, vbs' = vbd
      op.gm = -dIdg;
      op.gmbs = -dIdb;
      op.gds = dIdd + dIdg + dIdb;
    }
    op.vth = pt.vth;
    op.vdsat = pt.vdsat;
    op.cdrain = pt.reverse ? -t.ch.v : t.ch.v;
    {
      // the terminal charges: overlaps and junctions included (with NQSMOD only those, the
      // channel's charge being at node Q), as ngspice's BSIM3 keeps them
      const double m = p.m;
      const double qg = Nqs ? pt.qg.v - pt.qgi.v : pt.qg.v, qd = Nqs ? pt.qd.v - pt.qdi.v : pt.qd.v,
                   qb = Nqs ? pt.qb.v - pt.qbi.v : pt.qb.v;
      // intrinsic transcapacitances cXY = dQX/dVY, rows g d b s, columns g d s b; in the frame of
      // the mode, as ngspice's cggb ... (the drain and source swap places in reverse mode)
      double c[4][4];
      const Slopes* rows[3] = {&pt.qgi, &pt.qdi, &pt.qbi};
      for (int r = 0; r < 4; ++r) {
        double dq[3];
        for (int k = 0; k < 3; ++k) dq[k] = r < 3 ? rows[r]->d[k] : -(pt.qgi.d[k] + pt.qdi.d[k] + pt.qbi.d[k]);
        c[r][0] = m * dq[0];
        c[r][1] = m * dq[1];
        c[r][3] = m * dq[2];
        c[r][2] = -m * (dq[0] + dq[1] + dq[2]);
      }
      if (pt.reverse) {
        for (int k = 0; k < 4; ++k) std::swap(c[1][k], c[3][k]);
        for (int r = 0; r < 4; ++r) std::swap(c[r][1], c[r][2]);
      }
      const double vgs = V[G] - V[SP], vds = V[DP] - V[SP], vbs = V[B] - V[SP];
      const double more[21] = {vbs,          vgs,          vds,          m * pt.ibd.v, m * pt.ibs.v, m * pt.ibd.d[2],
                               m * pt.ibs.d[2], m * qb,    m * qg,       m * qd,       c[0][0],      c[0][1],
                               c[0][2],      c[1][0],      c[1][1],      c[1][2],      c[2][0],      c[2][1],
                               c[2][2],      m * pt.qjd.d[2], m * pt.qjs.d[2]};
      std::copy(std::begin(more), std::end(more), op.more);
    }
    von_[i] = pt.vth;
  }

  // NQSMOD 1 (BSIM3v3.3's charge-deficit model, as ngspice's BSIM3): the channel's
  // charge Qcheq = -(Qg + Qb) (intrinsic) reaches the terminals through the deficit
  // qdef at node Q, d(1e-9 qdef)/dt = dQcheq/dt - gtau qdef with gtau = (gtauDiff +
  // tconst |Qcheq|) 1e-9; the deficit's relaxation current gtau qdef leaves the gate
  // and enters the drain and source split as the quasi-static drain charge's share of
  // Qcheq (XPART's fixed split when Qcheq is below 1e-5 Cox W L). The terminals keep
  // only their overlap and junction charges. m multiplies every term.
  static void nqs(const Inst& p, const bsim3::PointSlopes& pt, const double* V, Stamp& s, double* q) {
    constexpr double kScale = 1.0e-9;  // (ngspice's ScalingFactor)
    constexpr int ctrl[3] = {G, DP, B};
    const double m = p.m;
    const Slopes qg = pt.qg - pt.qgi, qd = pt.qd - pt.qdi, qb = pt.qb - pt.qbi;
    const Slopes qcheq = -(pt.qgi + pt.qbi);
    const Slopes gtau = (p.gtauDiff + p.tconst * kScale * (qcheq.v < 0 ? -qcheq : qcheq));
    Slopes dx;
    const double coxWL = p.cox * p.weffCV * p.leffCV;
    if (std::fabs(qcheq.v) <= 1.0e-5 * coxWL) {
      const double mode = p.xpart < 0.5 ? 0.4 : p.xpart > 0.5 ? 0.0 : 0.5;  // the mode's drain
      dx = Slopes(pt.reverse ? 1.0 - mode : mode);
    } else {
      dx = pt.qdi / qcheq;
    }
    const Slopes charges[3] = {m * qg, m * qd, m * qb};
    for (int st = 0; st < 3; ++st) {
      q[st] = charges[st].v;
      for (int k = 0; k < 3; ++k) s.capacitance(st, ctrl[k], SP, charges[st].d[k]);
    }
    const double qdef = V[Q] - V[O];
    q[3] = m * kScale * qdef;
    s.capacitance(3, Q, O, m * kScale);
    q[4] = m * qcheq.v;
    for (int k = 0; k < 3; ++k) s.capacitance(4, ctrl[k], SP, m * qcheq.d[k]);
    // the relaxation current gtau qdef: out of Q (to ground), and from the drain and
    // source (dx, 1 - dx of it) to the gate
    const Slopes T = gtau * qdef;
    s.current(Q, O, m * T.v);
    s.slope(Q, O, Q, O, m * gtau.v);
    const Slopes iD = dx * T, iS = (1.0 - dx) * T;
    s.current(DP, G, m * iD.v);
    s.current(SP, G, m * iS.v);
    s.slope(DP, G, Q, O, m * dx.v * gtau.v);
    s.slope(SP, G, Q, O, m * (1.0 - dx.v) * gtau.v);
    for (int k = 0; k < 3; ++k) {
      s.slope(Q, O, ctrl[k], SP, m * T.d[k]);
      s.slope(DP, G, ctrl[k], SP, m * iD.d[k]);
      s.slope(SP, G, ctrl[k], SP, m * iS.d[k]);
    }
  }

  std::vector<semi::MosVoltages> last_;  // last evaluation (limiting), polarity applied
  std::vector<std::array<double, 3>> ic_;  // IC=vds,vgs,vbs for uic (NaN: from the nodes)
  std::vector<double> von_;              // threshold of the last evaluation
  std::vector<OpInfo> op_;
};

// The model types of this kind: nmos and pmos cards whose LEVEL is 8 or 49 are
// routed here by kindOf() (descriptor.cpp); nobody writes these names.
constexpr const char* kTypes[] = {"nmos@8", "pmos@8", "nmos@49", "pmos@49"};
// (kBsim3NqsKind's: never on a card; kindOf reaches it through nqsVariant)
constexpr const char* kNqsTypes[] = {"nmos@8+nqs", "pmos@8+nqs"};

const DeviceKind* nqsVariant(const ir::Device& d, const ir::Model& m) {
  return nqsModOf(d, m) == 1 ? findKind('m', kNqsTypes[0]) : nullptr;
}

// A binnable parameter X and its length, width and area dependences LX, WX, PX
// (X + LX/Leff + WX/Weff + PX/(Leff·Weff), sizes in µm with BINUNIT=1).
#define B3BIN(name, def, unit, doc)                                            \
  mparam(name, def, unit, doc), mparam("l" name, 0.0, "", "length dependence of " name), \
      mparam("w" name, 0.0, "", "width dependence of " name), mparam("p" name, 0.0, "", "area dependence of " name)
#define B3BIN_CTX(name, text, unit, doc)                                                 \
  mparam(name, kNoDefault, unit, doc).shown(text), mparam("l" name, 0.0, "", "length dependence of " name), \
      mparam("w" name, 0.0, "", "width dependence of " name), mparam("p" name, 0.0, "", "area dependence of " name)

constexpr ParamSpec kParams[] = {
    iparam("l", 5e-6, "m", "channel length"),
    iparam("w", 5e-6, "m", "channel width"),
    kMultParam,
    iparam("ad", 0.0, "m²", "drain diffusion area"),
    iparam("as", 0.0, "m²", "source diffusion area"),
    iparam("pd", 0.0, "m", "drain junction perimeter"),
    iparam("ps", 0.0, "m", "source junction perimeter"),
    iparam("nrd", 1.0, "", "drain diffusion squares (with RSH)"),
    iparam("nrs", 1.0, "", "source diffusion squares (with RSH)"),
    flagParam("off", "start the operating point with the device off"),
    kIcVdsParam, kIcVgsParam, kIcVbsParam,
    iparam("nqsmod", 0.0, "", "non-quasi-static model: 1 the charge-deficit node (over the model's)"),
    iparam("acnqsmod", 0.0, "", "AC non-quasi-static model: 0 only"),
    iparam("geo", 0.0, "", "ACM diffusion sharing: accepted, unused (ACM 0)"),
    iparam("delvto", 0.0, "V", "threshold shift").aka("delvt0"),
    iparam("mulu0", 1.0, "", "low-field mobility multiplier"),
    // selectors and process
    mparam("level", 49.0, "", "model level: 8 or 49 (BSIM3v3.3)"),
    mparam("version", 3.3, "", "BSIM3 version, 3.0 to 3.3 (text such as 3.2.4 too): 3.0 and 3.1 as ngspice's BSIM3v0 and BSIM3v1, else the 3.3 equations"),
    mparam("capmod", 3.0, "", "charge model: 0, 1, 2, 3 (charge thickness); VERSION 3.1: 2 by default, 3 none; 3.0: 1 by default, else 2").shown("3 (3.1: 2; 3.0: 1)"),
    mparam("mobmod", 1.0, "", "mobility model: 1, 2, 3"),
    mparam("noimod", 1.0, "", "noise model: 1-4 (.noise; see the device notes)"),
    mparam("nqsmod", 0.0, "", "non-quasi-static model: 1 the charge-deficit node"),
    mparam("acnqsmod", 0.0, "", "AC non-quasi-static model: 0 only"),
    mparam("acm", 0.0, "", "area calculation method: 0 only"),
    mparam("calcacm", 0.0, "", "ACM=12 area calculation: accepted, unused"),
    mparam("paramchk", 0.0, "", "parameter checking: accepted, unused"),
    mparam("binunit", 1.0, "", "1: binning sizes in µm, else in m"),
    mparam("tox", 150e-10, "m", "gate oxide thickness"),
    mparam("toxm", kNoDefault, "m", "oxide thickness of the extraction").shown("TOX"),
    mparam("xpart", 0.0, "", "charge partition, drain share: 0 (40/60), 0.5 (50/50), 1 (0/100)"),
    mparam("tnom", kNoDefault, "°C", "nominal temperature of the parameters").shown(".options tnom"),
    // geometry
    mparam("lint", 0.0, "m", "length offset (Leff = L + XL - 2·dL)"),
    mparam("ll", 0.0, "m^LLN", "length dependence of dL"),
    mparam("lln", 1.0, "", "power of L in dL"),
    mparam("lw", 0.0, "m^LWN", "width dependence of dL"),
    mparam("lwn", 1.0, "", "power of W in dL"),
    mparam("lwl", 0.0, "", "area dependence of dL"),
    mparam("llc", kNoDefault, "", "LL for the C-V length").shown("LL"),
    mparam("lwc", kNoDefault, "", "LW for the C-V length").shown("LW"),
    mparam("lwlc", kNoDefault, "", "LWL for the C-V length").shown("LWL"),
    mparam("wint", 0.0, "m", "width offset (Weff = W + XW - 2·dW)"),
    mparam("wl", 0.0, "m^WLN", "length dependence of dW"),
    mparam("wln", 1.0, "", "power of L in dW"),
    mparam("ww", 0.0, "m^WWN", "width dependence of dW"),
    mparam("wwn", 1.0, "", "power of W in dW"),
    mparam("wwl", 0.0, "", "area dependence of dW"),
    mparam("wlc", kNoDefault, "", "WL for the C-V width").shown("WL"),
    mparam("wwc", kNoDefault, "", "WW for the C-V width").shown("WW"),
    mparam("wwlc", kNoDefault, "", "WWL for the C-V width").shown("WWL"),
    mparam("dlc", kNoDefault, "m", "length offset of the C-V model").shown("LINT"),
    mparam("dwc", kNoDefault, "m", "width offset of the C-V model").shown("WINT"),
    mparam("xl", 0.0, "m", "length change from masking and etching"),
    mparam("xw", 0.0, "m", "width change from masking and etching"),
    mparam("lmin", 0.0, "m", "smallest L of this bin (model binning)"),
    mparam("lmax", 1.0, "m", "L of this bin is below this (model binning)"),
    mparam("wmin", 0.0, "m", "smallest W of this bin (model binning)"),
    mparam("wmax", 1.0, "m", "W of this bin is below this (model binning)"),
    // threshold
    mparam("vth0", kNoDefault, "V", "long-channel threshold at zero body bias").shown("0.7 (nmos), -0.7 (pmos), or from VFB").aka("vtho"),
    mparam("lvth0", 0.0, "", "length dependence of vth0").aka("lvtho"),
    mparam("wvth0", 0.0, "", "width dependence of vth0").aka("wvtho"),
    mparam("pvth0", 0.0, "", "area dependence of vth0").aka("pvtho"),
    B3BIN("nch", 1.7e17, "1/cm³", "channel doping"),
    B3BIN("nsub", 6e16, "1/cm³", "substrate doping"),
    B3BIN("ngate", 0.0, "1/cm³", "poly gate doping (poly depletion when 1e18..1e25)"),
    B3BIN_CTX("gamma1", "from NCH", "√V", "body effect near the surface"),
    B3BIN_CTX("gamma2", "from NSUB", "√V", "body effect in the bulk"),
    B3BIN_CTX("vbx", "from XT", "V", "body bias where the depletion reaches XT"),
    B3BIN("vbm", -3.0, "V", "largest body bias of the threshold model"),
    B3BIN("xt", 1.55e-7, "m", "doping depth"),
    B3BIN_CTX("vfb", "-1, or from VTH0", "V", "flat-band voltage"),
    B3BIN_CTX("k1", "from GAMMA1, GAMMA2", "√V", "first-order body effect"),
    B3BIN_CTX("k2", "from GAMMA1, GAMMA2", "", "second-order body effect"),
    B3BIN("k3", 80.0, "", "narrow-width coefficient"),
    B3BIN("k3b", 0.0, "1/V", "body effect of K3"),
    B3BIN("w0", 2.5e-6, "m", "narrow-width parameter"),
    B3BIN("nlx", 1.74e-7, "m", "lateral non-uniform doping"),
    B3BIN("dvt0", 2.2, "", "short-channel effect, first coefficient"),
    B3BIN("dvt1", 0.53, "", "short-channel effect, second coefficient"),
    B3BIN("dvt2", -0.032, "1/V", "body bias of the short-channel effect"),
    B3BIN("dvt0w", 0.0, "1/m", "narrow-width short-channel effect, first coefficient"),
    B3BIN("dvt1w", 5.3e6, "1/m", "narrow-width short-channel effect, second coefficient"),
    B3BIN("dvt2w", -0.032, "1/V", "body bias of the narrow-width short-channel effect"),
    B3BIN("eta0", 0.08, "", "subthreshold DIBL coefficient"),
    B3BIN("etab", -0.07, "1/V", "body bias of the subthreshold DIBL"),
    B3BIN_CTX("dsub", "DROUT", "", "DIBL length exponent"),
    // mobility and saturation
    B3BIN_CTX("u0", "0.067 (nmos), 0.025 (pmos)", "m²/Vs", "low-field mobility (values > 1 are read as cm²/Vs)"),
    B3BIN("ua", 2.25e-9, "m/V", "first-order mobility degradation"),
    B3BIN("ub", 5.87e-19, "(m/V)²", "second-order mobility degradation"),
    B3BIN_CTX("uc", "-0.0465e-9 (MOBMOD 3: -0.0465)", "m/V²", "body effect of the mobility degradation"),
    B3BIN("vsat", 8e4, "m/s", "saturation velocity"),
    B3BIN("a0", 1.0, "", "bulk charge effect of the channel length"),
    B3BIN("ags", 0.0, "1/V", "gate bias of the bulk charge effect"),
    B3BIN("b0", 0.0, "m", "bulk charge effect of the width"),
    B3BIN("b1", 0.0, "m", "width offset of the bulk charge effect"),
    B3BIN("keta", -0.047, "1/V", "body bias of the bulk charge effect"),
    B3BIN("a1", 0.0, "1/V", "first non-saturation factor"),
    B3BIN("a2", 1.0, "", "second non-saturation factor"),
    B3BIN("rdsw", 0.0, "Ω·µm^WR", "source-drain resistance per width"),
    B3BIN("prwg", 0.0, "1/V", "gate bias of RDSW"),
    B3BIN("prwb", 0.0, "1/√V", "body bias of RDSW"),
    B3BIN("wr", 1.0, "", "width exponent of RDSW"),
    B3BIN("dwg", 0.0, "m/V", "gate bias of the width"),
    B3BIN("dwb", 0.0, "m/√V", "body bias of the width"),
    B3BIN("voff", -0.08, "V", "subthreshold offset"),
    B3BIN("nfactor", 1.0, "", "subthreshold swing factor"),
    B3BIN("cit", 0.0, "F/m²", "interface trap capacitance"),
    B3BIN("cdsc", 2.4e-4, "F/m²", "drain/source to channel coupling"),
    B3BIN("cdscb", 0.0, "F/Vm²", "body bias of CDSC"),
    B3BIN("cdscd", 0.0, "F/Vm²", "drain bias of CDSC"),
    B3BIN("delta", 0.01, "V", "Vdseff smoothing"),
    B3BIN("xj", 1.5e-7, "m", "junction depth"),
    // output resistance
    B3BIN("pclm", 1.3, "", "channel-length modulation"),
    B3BIN("pdiblc1", 0.39, "", "first output-resistance DIBL coefficient"),
    B3BIN("pdiblc2", 0.0086, "", "second output-resistance DIBL coefficient"),
    B3BIN("pdiblcb", 0.0, "1/V", "body bias of the output-resistance DIBL"),
    B3BIN("drout", 0.56, "", "length dependence of the output-resistance DIBL"),
    B3BIN("pscbe1", 4.24e8, "V/m", "substrate current body effect, exponent"),
    B3BIN("pscbe2", 1e-5, "m/V", "substrate current body effect, factor"),
    B3BIN("pvag", 0.0, "", "gate bias of the Early voltage"),
    // substrate current
    B3BIN("alpha0", 0.0, "m/V", "impact ionisation, first coefficient"),
    B3BIN("alpha1", 0.0, "1/V", "impact ionisation, length coefficient"),
    B3BIN("beta0", 30.0, "V", "impact ionisation exponent"),
    // temperature
    B3BIN("kt1", -0.11, "V", "threshold temperature coefficient"),
    B3BIN("kt1l", 0.0, "V·m", "length dependence of KT1"),
    B3BIN("kt2", 0.022, "", "body bias of KT1"),
    B3BIN("ute", -1.5, "", "mobility temperature exponent"),
    B3BIN("ua1", 4.31e-9, "m/V", "temperature coefficient of UA"),
    B3BIN("ub1", -7.61e-18, "(m/V)²", "temperature coefficient of UB"),
    B3BIN_CTX("uc1", "-0.056e-9 (MOBMOD 3: -0.056)", "m/V²", "temperature coefficient of UC"),
    B3BIN("at", 3.3e4, "m/s", "temperature coefficient of VSAT"),
    B3BIN("prt", 0.0, "Ω·µm", "temperature coefficient of RDSW"),
    // capacitances
    mparam("cgso", kNoDefault, "F/m", "gate-source overlap per width").shown("from DLC or XJ"),
    mparam("cgdo", kNoDefault, "F/m", "gate-drain overlap per width").shown("from DLC or XJ"),
    mparam("cgbo", kNoDefault, "F/m", "gate-bulk overlap per length").shown("2·DWC·Cox"),
    B3BIN("cgsl", 0.0, "F/m", "bias-dependent gate-source overlap"),
    B3BIN("cgdl", 0.0, "F/m", "bias-dependent gate-drain overlap"),
    B3BIN("ckappa", 0.6, "V", "overlap fringing coefficient"),
    B3BIN_CTX("cf", "from TOX", "F/m", "fringing capacitance"),
    B3BIN("clc", 1e-7, "m", "short-channel C-V, constant term"),
    B3BIN("cle", 0.6, "", "short-channel C-V, exponent"),
    B3BIN("vfbcv", -1.0, "V", "flat band of CAPMOD 0"),
    B3BIN("acde", 1.0, "m/V", "charge-thickness exponent"),
    B3BIN("moin", 15.0, "", "surface potential of the charge-thickness model"),
    B3BIN("noff", 1.0, "", "C-V subthreshold swing factor"),
    B3BIN("voffcv", 0.0, "V", "C-V subthreshold offset"),
    B3BIN("elm", 5.0, "", "Elmore constant of NQSMOD's drift term"),
    // junctions and series resistances
    mparam("rsh", 0.0, "Ω", "diffusion sheet resistance (with NRD, NRS)"),
    mparam("js", 1e-4, "A/m²", "junction saturation current per area"),
    mparam("jsw", 0.0, "A/m", "junction saturation current per perimeter"),
    mparam("ijth", 0.1, "A", "junction current where the diode becomes linear"),
    mparam("nj", 1.0, "", "junction emission coefficient"),
    mparam("xti", 3.0, "", "junction current temperature exponent"),
    mparam("cj", 5e-4, "F/m²", "bottom junction capacitance per area"),
    mparam("mj", 0.5, "", "bottom junction grading"),
    mparam("pb", 1.0, "V", "bottom junction potential"),
    mparam("cjsw", 5e-10, "F/m", "sidewall junction capacitance per length"),
    mparam("mjsw", 0.33, "", "sidewall junction grading"),
    mparam("pbsw", 1.0, "V", "sidewall junction potential"),
    mparam("cjswg", kNoDefault, "F/m", "gate-edge sidewall capacitance per length").shown("CJSW"),
    mparam("mjswg", kNoDefault, "", "gate-edge sidewall grading").shown("MJSW"),
    mparam("pbswg", kNoDefault, "V", "gate-edge sidewall potential").shown("PBSW"),
    mparam("tcj", 0.0, "1/K", "temperature coefficient of CJ"),
    mparam("tcjsw", 0.0, "1/K", "temperature coefficient of CJSW"),
    mparam("tcjswg", 0.0, "1/K", "temperature coefficient of CJSWG"),
    mparam("tpb", 0.0, "V/K", "temperature coefficient of PB"),
    mparam("tpbsw", 0.0, "V/K", "temperature coefficient of PBSW"),
    mparam("tpbswg", 0.0, "V/K", "temperature coefficient of PBSWG"),
    // area calculation method (ACM > 0 is not supported; ACM 0 ignores these)
    mparam("hdif", 0.0, "m", "ACM: heavily doped diffusion length"),
    mparam("ldif", 0.0, "m", "ACM: lightly doped diffusion length"),
    mparam("ld", 0.0, "m", "ACM: lateral diffusion"),
    mparam("rd", 0.0, "Ω", "ACM: drain resistance"),
    mparam("rs", 0.0, "Ω", "ACM: source resistance"),
    mparam("rdc", 0.0, "Ω", "ACM: drain contact resistance"),
    mparam("rsc", 0.0, "Ω", "ACM: source contact resistance"),
    mparam("wmlt", 1.0, "", "ACM: width shrink factor"),
    // noise
    mparam("kf", 0.0, "", "flicker noise coefficient (.noise)"),
    mparam("af", 1.0, "", "flicker noise current exponent (.noise)"),
    mparam("ef", 1.0, "", "flicker noise frequency exponent: the spectrum falls as 1/f^EF"),
    mparam("noia", kNoDefault, "", "oxide-trap noise, first coefficient: accepted, unused").shown("1e20 / 9.9e18"),
    mparam("noib", kNoDefault, "", "oxide-trap noise, second coefficient: accepted, unused").shown("5e4 / 2.4e3"),
    mparam("noic", kNoDefault, "", "oxide-trap noise, third coefficient: accepted, unused").shown("-1.4e-12 / 1.4e-12"),
    mparam("em", 4.1e7, "V/m", "saturation field of the oxide-trap noise: accepted, unused"),
    mparam("lintnoi", 0.0, "m", "length offset of the oxide-trap noise: accepted, unused"),
    // safe operating area checks (ngspice warns; accepted here, unused)
    mparam("vgs_max", 1e99, "V", "SOA check: accepted, unused"),
    mparam("vgd_max", 1e99, "V", "SOA check: accepted, unused"),
    mparam("vgb_max", 1e99, "V", "SOA check: accepted, unused"),
    mparam("vds_max", 1e99, "V", "SOA check: accepted, unused"),
    mparam("vbs_max", 1e99, "V", "SOA check: accepted, unused"),
    mparam("vbd_max", 1e99, "V", "SOA check: accepted, unused"),
};

#undef B3BIN
#undef B3BIN_CTX

}  // namespace

extern const DeviceKind kBsim3Kind;
constexpr DeviceKind kBsim3Kind{
    .letter = 'm', .name = "MOSFET", .form = CardForm::ModelCard, .minNodes = 4, .maxNodes = 4,
    .modelTypes = kTypes, .params = kParams,
    .valueDoc = "Mname d g s b model [l=] [w=] [ad=] [as=] [pd=] [ps=] ... (a .model nmos|pmos with LEVEL=8 or 49)",
    .create = makeGroup<Bsim3Group<false>, kBsim3Kind>, .variant = nqsVariant};

// BSIM3 instances with NQSMOD 1 (the charge-deficit node): a group of their own,
// reached through kBsim3Kind's variant (its docs are kBsim3Kind's).
extern const DeviceKind kBsim3NqsKind;
constexpr DeviceKind kBsim3NqsKind{
    .letter = 'm', .name = "MOSFET", .form = CardForm::ModelCard, .minNodes = 4, .maxNodes = 4,
    .modelTypes = kNqsTypes, .params = kParams,
    .valueDoc = "Mname d g s b model ... nqsmod=1 (a BSIM3 model, LEVEL=8 or 49)",
    .create = makeGroup<Bsim3Group<true>, kBsim3NqsKind>, .variantOf = &kBsim3Kind};

}  // namespace simcore::dev
