// M: MOSFET level 1 (Shichman-Hodges) as in SPICE3/ngspice.
//   von = vbi + GAMMA*sqrt(PHI - vbs)           (vbs > 0: linearised sqrt, as SPICE)
//   vgst = vgs - von;  cutoff vgst <= 0: id = 0
//   saturation vgst <= vds: id = beta/2*vgst^2*(1+LAMBDA*vds)
//   linear:                 id = beta*vds*(vgst - vds/2)*(1+LAMBDA*vds)
//   beta = KP*W/(L - 2*LD) (times m); source and drain swap when vds < 0.
// Bulk-drain and bulk-source junction diodes (IS or JS*area) with depletion
// charges (CBD/CBS or CJ*area + CJSW*perimeter, FC rule); Meyer gate
// capacitances plus overlap capacitances (CGSO, CGDO, CGBO).
//
// Meyer charges: the Meyer capacitances are not derivatives of one charge
// function, so, as in ngspice, each gate charge is integrated from the last
// accepted time point: q = q_prev + (C(v) + C(v_prev))/2 * (v - v_prev) (with
// the overlap capacitance added). The integrator then sees ordinary charge
// states. At DC and at the initial transient point q = C(v)*v. The junction
// and overlap charges are exact functions of the voltages.
// Local terminals: 0 d, 1 g, 2 s, 3 b, 4 d', 5 s' (d' == d when there is no RD).
#include <algorithm>
#include <cmath>

#include "devices/common.hpp"
#include "devices/noise.hpp"
#include "devices/semiconductor.hpp"

namespace simcore::dev {
namespace {

enum : int { D = 0, G = 1, S = 2, B = 3, DP = 4, SP = 5 };
struct Layout {
  static constexpr int terminals = 6;
  static constexpr bool mask[terminals][terminals] = {
      // D  G  S  B  D' S'
      {1, 0, 0, 0, 1, 0},  // D   series RD
      {0, 1, 0, 1, 1, 1},  // G   gate capacitances
      {0, 0, 1, 0, 0, 1},  // S   series RS
      {0, 1, 0, 1, 1, 1},  // B   bulk junctions, gate-bulk capacitance
      {1, 1, 0, 1, 1, 1},  // D'  channel, junction, RD, capacitances
      {0, 1, 1, 1, 1, 1},  // S'  channel, junction, RS, capacitances
  };
  static constexpr int states = 5;  // qgs, qgd, qgb, qbd, qbs
  static constexpr int chargeFrom[states] = {G, G, G, B, B};
  static constexpr int chargeTo[states] = {SP, DP, B, DP, SP};
  static constexpr int series = 2;  // RD, RS
};
constexpr int kN = Layout::terminals;
constexpr int kStates = Layout::states;
using Stamp = semi::LocalStamp<Layout>;
using Lin = semi::Linearisation<Layout>;
constexpr int kE = Stamp::E;

struct MosInst {
  double sign;
  double vt, beta, lambda, gamma, phi, vbi, vto;  // vbi, vto already times the polarity
  double isd, iss, vcritd, vcrits;
  semi::Depletion bd, bdsw, bs, bssw;  // bulk-drain / bulk-source junctions: bottom, sidewall
  double cgso, cgdo, cgbo, cox;
  double gd, gs;
};

// Meyer's capacitances (half values, as SPICE's DEVqmeyer) for a device in
// normal mode (vgs side is the source).
struct Meyer {
  double cgs, cgd, cgb;
};
Meyer meyer(double vgs, double vgd, double von, double vdsat, double phi, double cox) {
  const double vgst = vgs - von;
  if (vgst <= -phi) return {0, 0, cox / 2};
  if (vgst <= -phi / 2) return {0, 0, -vgst * cox / (2 * phi)};
  if (vgst <= 0) return {vgst * cox / (1.5 * phi) + cox / 3, 0, -vgst * cox / (2 * phi)};
  const double vds = vgs - vgd;
  if (vdsat <= vds) return {cox / 3, 0, 0};
  const double vddif = 2.0 * vdsat - vds, vddif1 = vdsat - vds, vddif2 = vddif * vddif;
  return {cox * (1.0 - vddif1 * vddif1 / vddif2) / 3, cox * (1.0 - vdsat * vdsat / vddif2) / 3, 0};
}

// Meyer state of one instance: gate voltages, half capacitances and charges
// (gs, gd, gb) at the last accepted point and at the last load.
struct GateState {
  double v[3] = {0, 0, 0}, ch[3] = {0, 0, 0}, q[3] = {0, 0, 0};
};

struct EvalOut {
  double von, vdsat;
};

// Resistive part and junction/Meyer capacitances at local voltages V.
// Returns the charges in q[5]. gate: committed Meyer state; cand: receives the
// new Meyer state; incremental: transient Meyer integration.
EvalOut evaluate(const MosInst& p, const double* V, double gmin, Stamp& s, double* q,
                 const GateState& gate, GateState& cand, bool incremental) {
  if (p.gd > 0) s.conductance(D, DP, p.gd, V);
  if (p.gs > 0) s.conductance(S, SP, p.gs, V);
  const double vbs = V[B] - V[SP], vbd = V[B] - V[DP];
  // bulk junctions
  auto bulk = [&](double v, double isat, int a) {
    double i, g;
    if (v <= -3.0 * p.vt) {
      g = gmin;
      i = gmin * v - isat;
    } else if (v == 0.0) {  // bulk tied to source or drain: exp(0) == 1 exactly
      g = isat / p.vt + gmin;
      i = 0.0;
    } else {
      double de = 0;
      const double e = semi::safeExp(v / p.vt, &de);
      g = isat * de / p.vt + gmin;
      i = isat * (e - 1.0) + gmin * v;
    }
    s.current(B, a, i);
    s.slope(B, a, B, a, g);
  };
  bulk(vbs, p.iss, SP);
  bulk(vbd, p.isd, DP);

  // drain current in the frame where the drain is the higher terminal
  const bool fwd = V[DP] - V[SP] >= 0;
  const int dn = fwd ? DP : SP, sn = fwd ? SP : DP;
  const double vgsx = V[G] - V[sn], vdsx = V[dn] - V[sn], vbsx = V[B] - V[sn];
  double sarg, dsarg;
  if (vbsx <= 0) {
    sarg = std::sqrt(p.phi - vbsx);
    dsarg = -0.5 / sarg;
  } else {
    const double sp = std::sqrt(p.phi);
    sarg = sp - vbsx / (sp + sp);
    dsarg = -0.5 / sp;
    if (sarg < 0) { sarg = 0; dsarg = 0; }
  }
  const double von = p.vbi + p.gamma * sarg;
  const double vgst = vgsx - von;
  const double vdsat = std::max(vgst, 0.0);
  if (vgst > 0) {
    const double betap = p.beta * (1.0 + p.lambda * vdsx);
    double id, gm, gds;
    if (vgst <= vdsx) {
      id = betap * vgst * vgst * 0.5;
      gm = betap * vgst;
      gds = p.lambda * p.beta * vgst * vgst * 0.5;
    } else {
      id = betap * vdsx * (vgst - 0.5 * vdsx);
      gm = betap * vdsx;
      gds = betap * (vgst - vdsx) + p.lambda * p.beta * vdsx * (vgst - 0.5 * vdsx);
    }
    const double gmbs = -gm * p.gamma * dsarg;
    // one instantiation per orientation, so that the stamp's entries are constants
    auto stamp = [&]<int Dn, int Sn>() {
      s.current(Dn, Sn, id);
      s.slope(Dn, Sn, G, Sn, gm);
      s.slope(Dn, Sn, Dn, Sn, gds);
      s.slope(Dn, Sn, B, Sn, gmbs);
    };
    if (fwd) stamp.template operator()<DP, SP>();
    else stamp.template operator()<SP, DP>();
  }

  // junction charges
  const auto qd = p.bd.at(vbd), qdsw = p.bdsw.at(vbd);
  const auto qs = p.bs.at(vbs), qssw = p.bssw.at(vbs);
  q[3] = qd.q + qdsw.q;
  s.capacitance(3, B, DP, qd.c + qdsw.c);
  q[4] = qs.q + qssw.q;
  s.capacitance(4, B, SP, qs.c + qssw.c);

  // Meyer gate charges
  const double vg[3] = {V[G] - V[SP], V[G] - V[DP], V[G] - V[B]};
  Meyer m{0, 0, 0};  // no oxide capacitance without TOX
  if (p.cox != 0) {
    m = fwd ? meyer(vg[0], vg[1], von, vdsat, p.phi, p.cox) : meyer(vg[1], vg[0], von, vdsat, p.phi, p.cox);
    if (!fwd) std::swap(m.cgs, m.cgd);
  }
  const double ch[3] = {m.cgs, m.cgd, m.cgb};
  const double ov[3] = {p.cgso, p.cgdo, p.cgbo};
  for (int k = 0; k < 3; ++k) {
    double cap, qk;
    if (incremental) {
      cap = ch[k] + gate.ch[k] + ov[k];
      qk = gate.q[k] + cap * (vg[k] - gate.v[k]);
    } else {
      cap = 2.0 * ch[k] + ov[k];
      qk = cap * vg[k];
    }
    q[k] = qk;
    cand.v[k] = vg[k]; cand.ch[k] = ch[k]; cand.q[k] = qk;
    s.capacitance(k, Layout::chargeFrom[k], Layout::chargeTo[k], cap);
  }
  return {von, vdsat};
}

class Mosfets final : public semi::LinearisedGroup<Mosfets, Layout, MosInst> {
 public:
  using LinearisedGroup::LinearisedGroup;

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    resizeInstances(n);
    gate_.assign(n, GateState{}); cand_.assign(n, GateState{});
    vgs_.assign(n, 0.0); vds_.assign(n, 0.0); vbs_.assign(n, 0.0); von_.assign(n, 0.0);
    const ir::Options& o = ctx.options();
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      const ir::Model* mod = ctx.model(d);
      if (!mod || (mod->type != "nmos" && mod->type != "pmos"))
        return deviceError(d, "MOSFET '" + d.name + "' needs an nmos or pmos model");
      const ParamValues P = values(d, mod);
      if (const double lv = P.model("level"); lv != 1)
        return deviceError(d, "MOSFET level " + (lv == std::floor(lv) ? std::to_string(int(lv)) : std::to_string(lv)) +
                                  " is not supported; use level 1");
      if (auto s = checkModelParams(kind_, *mod); !s) return s;
      if (auto s = setupInstance(d, *mod, P, o, p_[i]); !s) return s;
      off_[i] = P.hasInst("off");
      auto& nd = nodes_[i];
      nd[D] = ctx.node(d.nodes[0]);
      nd[G] = ctx.node(d.nodes[1]);
      nd[S] = ctx.node(d.nodes[2]);
      nd[B] = ctx.node(d.nodes[3]);
      nd[DP] = p_[i].gd > 0 ? ctx.addInternalNode(d, "d") : nd[D];
      nd[SP] = p_[i].gs > 0 ? ctx.addInternalNode(d, "s") : nd[S];
      st_[i] = ctx.addStates(kStates);
      von_[i] = p_[i].vto;
    }
    return {};
  }

  double polarity(std::size_t i) const { return p_[i].sign; }

  void initialCharges(LoadContext& c, std::size_t i, const double* V) {
    Stamp s;
    double q[kStates];
    const auto e = evaluate(p_[i], V, c.gmin, s, q, gate_[i], cand_[i], false);
    for (int k = 0; k < kStates; ++k) c.charge(st_[i] + k, q[k]);
    vgs_[i] = V[G] - V[SP]; vds_[i] = V[DP] - V[SP]; vbs_[i] = V[B] - V[SP]; von_[i] = e.von;
  }

  void linearise(LoadContext& c, std::size_t i, const double* V, Lin& L, bool tran) {
    const MosInst& p = p_[i];
    double vgs = V[G] - V[SP], vds = V[DP] - V[SP], vbs = V[B] - V[SP];
    bool limited = false;
    if (c.initJunctions) {
      if (off_[i]) { vgs = vds = vbs = 0; }
      else { vbs = -1.0; vgs = p.vto; vds = 0.0; }
      limited = true;
    } else {
      limited = limit(i, vgs, vds, vbs);
    }
    if (limited) c.noncon++;
    vgs_[i] = vgs; vds_[i] = vds; vbs_[i] = vbs;
    double* Vl = L.Vl;
    for (int k = 0; k < kN; ++k) Vl[k] = V[k];
    if (limited) {
      Vl[G] = V[SP] + vgs;
      Vl[DP] = V[SP] + vds;
      Vl[B] = V[SP] + vbs;
    }
    const auto e = evaluate(p, Vl, c.gmin, L.s, L.q, gate_[i], cand_[i], tran);
    von_[i] = e.von;
    if (!tran) storeSmallSignal(i, L.s.G, L.s.C);
  }

  void accept(const double*, double) override {
    gate_ = cand_;
    bypass_.accepted();
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const auto& nd : nodes_) {
      out.emplace_back(nd[DP], nd[SP]);
      out.emplace_back(nd[B], nd[DP]);  // bulk junctions (gmin)
      out.emplace_back(nd[B], nd[SP]);
      if (nd[D] != nd[DP]) out.emplace_back(nd[D], nd[DP]);
      if (nd[S] != nd[SP]) out.emplace_back(nd[S], nd[SP]);
    }
  }

  // ---- .noise (as ngspice's level 1): RD and RS thermal, channel thermal
  // 4 k T (2/3) |gm| and flicker KF |Id|^AF / (f W m Leff Cox^2) between d'
  // and s' (Cox per area; TOX = 1e-7 m when not given).
  void noise(NoiseContext& c) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      const MosInst& p = p_[i];
      const auto& nd = nodes_[i];
      double V[kN], q[kStates];
      for (int k = 0; k < kN; ++k) V[k] = p.sign * c.xop[nd[k]];
      Stamp st;
      GateState cand;
      evaluate(p, V, c.gmin, st, q, gate_[i], cand, false);
      const double cd = st.I[D] + st.I[DP];  // the drain terminal's current (RD's cancels)
      const double gm = std::fabs(opG_[i * kE + Stamp::entries.slot[DP][G]]);
      c.thermal(d, "_rd", nd[DP], nd[D], p.gd);
      c.thermal(d, "_rs", nd[SP], nd[S], p.gs);
      c.thermal(d, "_id", nd[DP], nd[SP], 2.0 / 3.0 * gm);
      const ParamValues P = values(d, c.model(d));
      const double kf = P.model("kf", 0.0), af = P.model("af", 1.0);
      const double tox = P.model("tox");
      const double coxf = P.hasModel("tox") && tox != 0 ? semi::kEpsOx / tox : semi::kEpsOx / 1e-7;
      const double leff = P.inst("l") - 2.0 * P.model("ld");
      c.flicker(d, "_1overf", nd[DP], nd[SP],
                NoiseContext::flickerCoef(kf, af, cd) / (P.inst("w") * P.inst("m") * leff * coxf * coxf));
    }
  }

 private:
  static Status setupInstance(const ir::Device& d, const ir::Model& m, const ParamValues& P, const ir::Options& o,
                              MosInst& p) {
    const double T = semi::instanceTempK(P, o), Tnom = semi::nominalTempK(P, o);
    const double type = m.type == "pmos" ? -1.0 : 1.0;
    p.sign = type;
    const double mult = P.inst("m");
    const double w = P.inst("w"), l = P.inst("l");
    const double ld = P.model("ld");
    const double leff = l - 2.0 * ld;
    if (!(w > 0) || !(leff > 0) || !(mult > 0))
      return deviceError(d, "MOSFET '" + d.name + "': W, L - 2*LD and m must be positive");
    const double vtnom = semi::thermalVoltage(Tnom);
    const double egfet1 = semi::bandGap(Tnom);
    const double pbfact1 = semi::potentialFactor(Tnom);
    const double fact1 = Tnom / semi::kRefTemp;

    // process parameters (ngspice: only when TOX is given)
    double vto = P.model("vto");
    double kp = P.model("kp");
    double gamma = P.model("gamma");
    double phi = P.model("phi");
    double coxf = 0;
    const double tox = P.model("tox");
    if (P.hasModel("tox") && tox != 0) {
      if (tox < 0) return deviceError(d, "MOSFET '" + d.name + "': TOX must be positive");
      coxf = semi::kEpsOx / tox;
      const double u0 = P.model("u0");
      if (!P.hasModel("kp")) kp = u0 * coxf * 1e-4;
      if (P.hasModel("nsub")) {
        const double nsub = P.model("nsub") * 1e6;
        if (nsub <= 1.45e16)
          return deviceError(d, "MOSFET '" + d.name + "': NSUB must exceed the intrinsic carrier density 1.45e10 cm^-3");
        if (!P.hasModel("phi")) phi = std::max(0.1, 2.0 * vtnom * std::log(nsub / 1.45e16));
        const double fermis = type * 0.5 * phi;
        double wkfng = 3.2;
        const double tpg = P.model("tpg");
        if (tpg != 0) {
          const double fermig = type * tpg * 0.5 * egfet1;
          wkfng = 3.25 + 0.5 * egfet1 - fermig;
        }
        const double wkfngs = wkfng - (3.25 + 0.5 * egfet1 + fermis);
        if (!P.hasModel("gamma")) gamma = std::sqrt(2.0 * semi::kEpsSi * semi::kQ * nsub) / coxf;
        if (!P.hasModel("vto")) {
          const double nss = P.model("nss");
          const double vfb = wkfngs - nss * 1e4 * semi::kQ / coxf;
          vto = vfb + type * (gamma * std::sqrt(phi) + phi);
        }
      }
    }
    if (phi <= 0) return deviceError(d, "MOSFET '" + d.name + "': PHI must be positive");

    // temperature
    const double vt = semi::thermalVoltage(T);
    const double ratio = T / Tnom, fact2 = T / semi::kRefTemp;
    const double egfet = semi::bandGap(T);
    const double pbfact = semi::potentialFactor(T);
    const double ratio4 = ratio * std::sqrt(ratio);
    const double phio = (phi - pbfact1) / fact1;
    const double tphi = fact2 * phio + pbfact;
    const double tvbi = vto - type * gamma * std::sqrt(phi) + 0.5 * (egfet1 - egfet) + type * 0.5 * (tphi - phi);
    const double tvto = tvbi + type * gamma * std::sqrt(tphi);
    p.vt = vt;
    p.beta = kp / ratio4 * mult * w / leff;
    p.lambda = P.model("lambda");
    p.gamma = gamma;
    p.phi = tphi;
    p.vbi = type * tvbi;
    p.vto = type * tvto;
    const double isf = std::exp(-egfet / vt + egfet1 / vtnom);
    const double tis = P.model("is") * isf, tjs = P.model("js") * isf;
    const double ad = P.inst("ad"), as = P.inst("as");
    if (tjs == 0 || ad == 0 || as == 0) {
      p.isd = p.iss = mult * tis;
    } else {
      p.isd = mult * tjs * ad;
      p.iss = mult * tjs * as;
    }
    p.vcritd = p.isd > 0 ? vt * std::log(vt / (semi::kSqrt2 * p.isd)) : 1.0;
    p.vcrits = p.iss > 0 ? vt * std::log(vt / (semi::kSqrt2 * p.iss)) : 1.0;

    // junction capacitances at temperature
    const double pb = P.model("pb");
    const double mj = P.model("mj");
    const double mjsw = P.model("mjsw");
    const double fc = P.model("fc");
    if (pb <= 0) return deviceError(d, "MOSFET '" + d.name + "': PB must be positive");
    if (fc < 0 || fc >= 1) return deviceError(d, "MOSFET '" + d.name + "': FC must be in [0, 1)");
    const auto bottom = semi::scaleJunction(pb, 1.0, mj, Tnom, T);  // factor for CBD, CBS, CJ
    const auto side = semi::scaleJunction(pb, 1.0, mjsw, Tnom, T);  // factor for CJSW
    const double tpb = bottom.vj;
    double czbd, czbs;
    if (P.hasModel("cbd")) czbd = P.model("cbd") * bottom.cj * mult;
    else czbd = P.hasModel("cj") ? P.model("cj") * bottom.cj * ad * mult : 0.0;
    if (P.hasModel("cbs")) czbs = P.model("cbs") * bottom.cj * mult;
    else czbs = P.hasModel("cj") ? P.model("cj") * bottom.cj * as * mult : 0.0;
    const double cjsw = P.model("cjsw") * side.cj * mult;
    p.bd = semi::Depletion(czbd, tpb, mj, fc);
    p.bs = semi::Depletion(czbs, tpb, mj, fc);
    p.bdsw = semi::Depletion(cjsw * P.inst("pd"), tpb, mjsw, fc);
    p.bssw = semi::Depletion(cjsw * P.inst("ps"), tpb, mjsw, fc);

    // gate capacitances
    p.cgso = P.model("cgso") * mult * w;
    p.cgdo = P.model("cgdo") * mult * w;
    p.cgbo = P.model("cgbo") * mult * leff;
    p.cox = coxf * leff * mult * w;

    // series resistances
    auto seriesG = [&](const char* r, const char* nsq) {
      if (P.hasModel(r)) {
        const double rv = P.model(r);
        return rv != 0 ? mult / rv : 0.0;
      }
      const double rsh = P.model("rsh"), sq = P.inst(nsq);
      return rsh != 0 && sq != 0 ? mult / (rsh * sq) : 0.0;
    };
    p.gd = seriesG("rd", "nrd");
    p.gs = seriesG("rs", "nrs");
    if (p.gd < 0 || p.gs < 0) return deviceError(d, "MOSFET '" + d.name + "': RD, RS and RSH must not be negative");
    return {};
  }

  // SPICE's MOSFET limiting on (vgs, vds, vbs) against the last load.
  bool limit(std::size_t i, double& vgs, double& vds, double& vbs) const {
    const MosInst& p = p_[i];
    const double vgs0 = vgs, vds0 = vds, vbs0 = vbs;
    double vgd = vgs - vds;
    bool lim = false;
    if (vds_[i] >= 0) {
      const double g = semi::fetlim(vgs, vgs_[i], von_[i]);
      lim = g != vgs;
      vgs = g;
      vds = vgs - vgd;
      const double dl = semi::limvds(vds, vds_[i]);
      lim = lim || dl != vds;
      vds = dl;
    } else {
      const double g = semi::fetlim(vgd, vgs_[i] - vds_[i], von_[i]);
      lim = g != vgd;
      vgd = g;
      vds = vgs - vgd;
      const double dl = -semi::limvds(-vds, -vds_[i]);
      lim = lim || dl != vds;
      vds = dl;
      vgs = vgd + vds;
    }
    bool lj = false;
    if (vds >= 0) {
      vbs = semi::pnjlim(vbs, vbs_[i], p.vt, p.vcrits, lj);
    } else {
      const double vbd = semi::pnjlim(vbs - vds, vbs_[i] - vds_[i], p.vt, p.vcritd, lj);
      vbs = vbd + vds;
    }
    if (!lim && !lj) {  // nothing limited: keep the exact voltages (no rounding from the reshuffle)
      vgs = vgs0; vds = vds0; vbs = vbs0;
      return false;
    }
    return true;
  }

  std::vector<GateState> gate_, cand_;             // Meyer state: accepted, last evaluation
  std::vector<double> vgs_, vds_, vbs_, von_;      // last evaluation (limiting), polarity applied
};

constexpr const char* kTypes[] = {"nmos", "pmos"};
constexpr ParamSpec kParams[] = {
    iparam("w", 100e-6, "m", "channel width (ngspice's DEFW)"),
    iparam("l", 100e-6, "m", "channel length (ngspice's DEFL)"),
    iparam("ad", 0.0, "m²", "drain diffusion area"),
    iparam("as", 0.0, "m²", "source diffusion area"),
    iparam("pd", 0.0, "m", "drain junction perimeter"),
    iparam("ps", 0.0, "m", "source junction perimeter"),
    iparam("nrd", 1.0, "", "drain diffusion squares (with RSH)"),
    iparam("nrs", 1.0, "", "source diffusion squares (with RSH)"),
    kMultParam,
    flagParam("off", "start the operating point with the device off"),
    kTempParam, kDtempParam,
    mparam("level", 1.0, "", "model level: only 1"),
    mparam("vto", 0.0, "V", "zero-bias threshold (negative for typical pmos)").aka("vt0"),
    mparam("kp", 2e-5, "A/V²", "transconductance; from U0·εox/TOX when TOX is given and KP is not"),
    mparam("gamma", 0.0, "√V", "body effect (from NSUB when TOX and NSUB are given)"),
    mparam("phi", 0.6, "V", "surface potential (from NSUB likewise)"),
    mparam("lambda", 0.0, "1/V", "channel-length modulation"),
    mparam("rd", 0.0, "Ω", "drain resistance (an internal node when > 0)"),
    mparam("rs", 0.0, "Ω", "source resistance (an internal node when > 0)"),
    mparam("rsh", 0.0, "Ω", "sheet resistance, used with NRD/NRS when RD/RS are not given"),
    mparam("cbd", 0.0, "F", "zero-bias bulk-drain capacitance"),
    mparam("cbs", 0.0, "F", "zero-bias bulk-source capacitance"),
    mparam("is", 1e-14, "A", "bulk junction saturation current"),
    mparam("js", 0.0, "A/m²", "bulk junction saturation current density (with AD/AS)"),
    mparam("pb", 0.8, "V", "bulk junction potential"),
    mparam("mj", 0.5, "", "bottom junction grading coefficient"),
    mparam("cj", 0.0, "F/m²", "bottom junction capacitance per area (with AD/AS)"),
    mparam("cjsw", 0.0, "F/m", "sidewall capacitance per length (with PD/PS)"),
    mparam("mjsw", 0.5, "", "sidewall grading coefficient"),
    kFcParam,
    mparam("cgso", 0.0, "F/m", "gate-source overlap capacitance per width"),
    mparam("cgdo", 0.0, "F/m", "gate-drain overlap capacitance per width"),
    mparam("cgbo", 0.0, "F/m", "gate-bulk overlap capacitance per length"),
    mparam("tox", 0.0, "m", "oxide thickness; without it there are no intrinsic (Meyer) capacitances").shown("none"),
    mparam("ld", 0.0, "m", "lateral diffusion (Leff = L - 2·LD)"),
    mparam("u0", 600.0, "cm²/Vs", "mobility, used only for KP").aka("uo"),
    mparam("nsub", 0.0, "1/cm³", "substrate doping: with TOX gives GAMMA, PHI, VTO when not given").shown("none"),
    mparam("nss", 0.0, "1/cm²", "surface state density (with NSUB)"),
    mparam("tpg", 1.0, "", "gate material type (with NSUB)"),
    kTnomParam,
    kKfNoiseParam, kAfNoiseParam,
};

}  // namespace

extern const DeviceKind kMosfetKind;
constexpr DeviceKind kMosfetKind{
    .letter = 'm', .name = "MOSFET", .form = CardForm::ModelCard, .minNodes = 4, .maxNodes = 4,
    .modelTypes = kTypes, .params = kParams,
    .valueDoc = "Mname d g s b model [name=value ...] [off]", .create = makeGroup<Mosfets, kMosfetKind>};

}  // namespace simcore::dev
