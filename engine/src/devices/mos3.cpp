// M with an nmos/pmos model of LEVEL=3: ngspice 39's semi-empirical MOS3 (the model
// course decks use), in the same frame as level 1 (mosfet.cpp): bulk junctions,
// Meyer gate capacitances with overlaps, series resistances, SPICE limiting.
// Drain current (voltages of the normal-mode frame, drain the higher terminal):
//   Leff = L - 2*LD + XL, Weff = W - 2*WD + XW, beta = KP*m*Weff/Leff
//   fshort (XJ with NSUB's depletion width), fbody = GAMMA*fshort/(4*sqrt(PHI - vbs)) + DELTA-term/Weff
//   vth = VBI - 8.15e-22*ETA/(Cox*Leff^3)*vds + GAMMA*fshort*sqrt(PHI - vbs) + narrow-width term
//   von = vth (+ n*vt with NFS: weak inversion below von), mobility 1/(1 + THETA*(vgs - vth))
//   vdsat = (vgs - vth)/(1 + fbody), with VMAX velocity saturation
//   id = beta*fgate*(vgs - vth - (1 + fbody)/2*vdsx)*vdsx, vdsx = min(vds, vdsat), times
//   the velocity-saturation factor and, beyond vdsat, 1/(1 - dL/Leff) (KAPPA, with NSUB's
//   alpha, or with VMAX the field-dependent form; punch-through limited), as ngspice's
//   mos3load. The derivatives are taken numerically (central differences of that current).
// TOX defaults to 1e-7 m (the Meyer capacitances are always present), KP to U0*Cox.
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
  // level 3
  double leff, weff, coxArea;                      // Cox per area (F/m^2)
  double theta, eta, kappa, vmax, nfs, xj, xd, alpha, narrow, ld;
  double u0;                                       // surface mobility at temperature (cm^2/Vs)
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
  vdsat = std::max(vdsat, 0.025);  // ngspice 39's DEVqmeyer (MAGIC_VDS)
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

// Level-3 drain current (>= 0) in the normal-mode frame, with von and vdsat
// (ngspice's mos3load, its derivatives left out).
struct Ids3 {
  double id, von, vdsat;
};
Ids3 ids3(const MosInst& p, double vgs, double vds, double vbs) {
  constexpr double coeff0 = 0.0631353, coeff1 = 0.8013292, coeff2 = -0.01110777;
  const double leff = p.leff, weff = p.weff;
  const double oneoverxl = 1.0 / leff;
  const double eta = p.eta * 8.15e-22 / (p.coxArea * leff * leff * leff);
  double phibs, sqphbs;
  if (vbs <= 0.0) {
    phibs = p.phi - vbs;
    sqphbs = std::sqrt(phibs);
  } else {
    const double sqphis = std::sqrt(p.phi);
    sqphbs = sqphis / (1.0 + vbs / (p.phi + p.phi));
    phibs = sqphbs * sqphbs;
  }
  double fshort = 1.0;
  if (p.xj != 0.0 && p.xd != 0.0) {
    const double wps = p.xd * sqphbs, oneoverxj = 1.0 / p.xj, xjonxl = p.xj * oneoverxl;
    const double djonxj = p.ld * oneoverxj, wponxj = wps * oneoverxj;
    const double wconxj = coeff0 + coeff1 * wponxj + coeff2 * wponxj * wponxj;
    const double arga = wconxj + djonxj, argc = wponxj / (1.0 + wponxj), argb = std::sqrt(1.0 - argc * argc);
    fshort = 1.0 - xjonxl * (arga * argb - djonxj);
  }
  const double gammas = p.gamma * fshort;
  const double fbodys = 0.5 * gammas / (sqphbs + sqphbs);
  const double fbody = fbodys + p.narrow / weff;
  const double onfbdy = 1.0 / (1.0 + fbody);
  const double qbonco = gammas * sqphbs + p.narrow * phibs / weff;
  const double vbix = p.vbi - eta * vds;
  const double vth = vbix + qbonco;
  double von = vth, xn = 1.0;
  if (p.nfs != 0.0) {
    const double csonco = semi::kQ * p.nfs * 1e4 / p.coxArea;  // per unit area: L*W*m cancel
    const double cdonco = qbonco / (phibs + phibs);
    xn = 1.0 + csonco + cdonco;
    von = vth + p.vt * xn;
  } else if (vgs <= von) {
    return {0.0, von, 0.0};
  }
  const double vgsx = std::max(vgs, von);
  const double onfg = 1.0 + p.theta * (vgsx - vth);
  const double fgate = 1.0 / onfg;
  const double us = p.u0 * 1e-4 * fgate;
  double vdsat = (vgsx - vth) * onfbdy, vdsc = 0, onvdsc = 0;
  if (p.vmax > 0.0) {
    vdsc = leff * p.vmax / us;
    onvdsc = 1.0 / vdsc;
    const double arga = (vgsx - vth) * onfbdy;
    const double argb = std::sqrt(arga * arga + vdsc * vdsc);
    vdsat = arga + vdsc - argb;
  }
  const double vdsx = std::min(vds, vdsat);
  if (vdsx == 0.0) return {0.0, von, vdsat};
  const double cdo = vgsx - vth - 0.5 * (1.0 + fbody) * vdsx;
  double cdrain = p.beta * fgate * cdo * vdsx;
  double fdrain = 0.0;
  if (p.vmax > 0.0) {
    fdrain = 1.0 / (1.0 + vdsx * onvdsc);
    cdrain *= fdrain;
  }
  // channel-length modulation beyond vdsat
  double delxl = 0.0;
  bool clm = false;
  if (vds <= vdsat) {
    if (p.vmax <= 0.0 && p.alpha != 0.0) {
      double arga = vds / vdsat;
      delxl = std::sqrt(p.kappa * p.alpha * vdsat / 8);
      arga *= arga;
      arga *= arga;
      delxl *= arga;
      clm = true;
    }
  } else if (p.vmax <= 0.0) {
    delxl = std::sqrt(p.kappa * p.alpha * (vds - vdsat + vdsat / 8));
    clm = true;
  } else if (p.alpha != 0.0) {
    const double cdsat = cdrain;
    const double gdsat = std::max(1.0e-12, cdsat * (1.0 - fdrain) * onvdsc);
    const double emax = p.kappa * cdsat * oneoverxl / gdsat;
    const double arga = 0.5 * emax * p.alpha, argc = p.kappa * p.alpha;
    const double argb = std::sqrt(arga * arga + argc * (vds - vdsat));
    delxl = argb - arga;
    clm = true;
  }
  if (clm) {
    if (delxl > 0.5 * leff) delxl = leff - leff * leff / (4.0 * delxl);  // punch-through
    cdrain /= 1.0 - delxl * oneoverxl;
  }
  if (vgs < von) cdrain *= std::exp((vgs - von) / (xn * p.vt));  // weak inversion (NFS)
  return {cdrain, von, vdsat};
}

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
  const Ids3 op = ids3(p, vgsx, vdsx, vbsx);
  const double von = op.von, vdsat = op.vdsat;
  if (op.id != 0.0 || ids3(p, vgsx + 1e-3, vdsx, vbsx).id != 0.0) {
    // central differences (the current is smooth within a region; at a region
    // boundary the one-sided values agree to first order)
    auto h = [](double v) { return 1e-6 * (1.0 + std::fabs(v)); };
    const double hg = h(vgsx), hd = h(vdsx), hb = h(vbsx);
    const double gm = (ids3(p, vgsx + hg, vdsx, vbsx).id - ids3(p, vgsx - hg, vdsx, vbsx).id) / (2 * hg);
    const double vdl = std::max(vdsx - hd, 0.0);  // stay in this frame
    const double gds = (ids3(p, vgsx, vdsx + hd, vbsx).id - ids3(p, vgsx, vdl, vbsx).id) / (vdsx + hd - vdl);
    const double gmbs = (ids3(p, vgsx, vdsx, vbsx + hb).id - ids3(p, vgsx, vdsx, vbsx - hb).id) / (2 * hb);
    s.current(dn, sn, op.id);
    s.slope(dn, sn, G, sn, gm);
    s.slope(dn, sn, dn, sn, gds);
    s.slope(dn, sn, B, sn, gmbs);
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

class Mos3s final : public semi::LinearisedGroup<Mos3s, Layout, MosInst> {
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
      if (P.model("level") != 3) return deviceError(d, "MOSFET '" + d.name + "': not a level 3 model");
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

  // ---- .noise (as ngspice's level 3): RD and RS thermal, channel thermal
  // 4 k T (2/3) |gm| and flicker KF |Id|^AF / (f Weff Leff Cox^2) between d'
  // and s' (Cox per area).
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
      c.flicker(d, "_1overf", nd[DP], nd[SP],
                NoiseContext::flickerCoef(kf, af, cd) / (p.weff * p.leff * p.coxArea * p.coxArea));
    }
  }

 private:
  static Status setupInstance(const ir::Device& d, const ir::Model& m, const ParamValues& P, const ir::Options& o,
                              MosInst& p) {
    const auto bad = [&](const std::string& what) { return deviceError(d, "MOSFET '" + d.name + "': " + what); };
    const double T = semi::instanceTempK(P, o), Tnom = semi::nominalTempK(P, o);
    const double type = m.type == "pmos" ? -1.0 : 1.0;
    p.sign = type;
    const double mult = P.inst("m");
    const double w = P.inst("w"), l = P.inst("l");
    const double ld = P.model("ld");
    p.ld = ld;
    p.leff = l - 2.0 * ld + P.model("xl");
    p.weff = w - 2.0 * P.model("wd") + P.model("xw");
    if (!(mult > 0)) return bad("m must be positive");
    if (!(p.leff > 0)) return bad("effective channel length L - 2*LD + XL must be positive");
    if (!(p.weff > 0)) return bad("effective channel width W - 2*WD + XW must be positive");
    const double vtnom = semi::thermalVoltage(Tnom);
    const double egfet1 = semi::bandGap(Tnom);
    const double pbfact1 = semi::potentialFactor(Tnom);
    const double fact1 = Tnom / semi::kRefTemp;

    const double tox = P.model("tox");
    if (!(tox > 0)) return bad("TOX must be positive");
    const double coxf = semi::kEpsOx / tox;
    p.coxArea = coxf;
    const double u0 = P.model("u0");
    double kp = P.hasModel("kp") ? P.model("kp") : u0 * coxf * 1e-4;
    double vto = P.model("vto"), gamma = P.model("gamma"), phi = P.model("phi");
    p.alpha = P.model("alpha");
    p.xd = P.model("xd");
    if (P.hasModel("nsub")) {
      const double nsub = P.model("nsub") * 1e6;
      // intrinsic density at tnom (ngspice's level 3)
      const double nifact = (Tnom / 300) * std::sqrt(Tnom / 300) *
                            std::exp(0.5 * egfet1 * (1.0 / 300 - 1.0 / Tnom) / semi::kKoverQ);
      const double ni = 1.45e16 * nifact;
      if (!(nsub > ni)) return bad("NSUB must exceed the intrinsic carrier density");
      if (!P.hasModel("phi")) phi = std::max(0.1, 2.0 * vtnom * std::log(nsub / ni));
      const double fermis = type * 0.5 * phi;
      double wkfng = 3.2;
      const double tpg = P.model("tpg");
      if (tpg != 0) wkfng = 3.25 + 0.5 * egfet1 - type * tpg * 0.5 * egfet1;
      const double wkfngs = wkfng - (3.25 + 0.5 * egfet1 + fermis);
      if (!P.hasModel("gamma")) gamma = std::sqrt(2.0 * semi::kEpsSi * semi::kQ * nsub) / coxf;
      if (!P.hasModel("vto")) {
        const double vfb = wkfngs - P.model("nss") * 1e4 * semi::kQ / coxf;
        vto = vfb + type * (gamma * std::sqrt(phi) + phi);
      }
      p.alpha = (semi::kEpsSi + semi::kEpsSi) / (semi::kQ * nsub);
      p.xd = std::sqrt(p.alpha);
    }
    if (!(phi > 0)) return bad("PHI must be positive");
    p.narrow = P.model("delta") * 0.5 * M_PI * semi::kEpsSi / coxf;
    p.theta = P.model("theta");
    p.eta = P.model("eta");
    p.kappa = P.model("kappa");
    p.vmax = P.model("vmax");
    p.nfs = P.model("nfs");
    p.xj = P.model("xj");

    // temperature
    const double vt = semi::thermalVoltage(T);
    const double ratio = T / Tnom, fact2 = T / semi::kRefTemp;
    const double egfet = semi::bandGap(T);
    const double pbfact = semi::potentialFactor(T);
    const double ratio4 = ratio * std::sqrt(ratio);
    const double phio = (phi - pbfact1) / fact1;
    const double tphi = fact2 * phio + pbfact;
    const double tvbi = P.model("delvto") + vto - type * gamma * std::sqrt(phi) + 0.5 * (egfet1 - egfet) +
                        type * 0.5 * (tphi - phi);
    const double tvto = tvbi + type * gamma * std::sqrt(tphi);
    p.vt = vt;
    p.u0 = u0 / ratio4;
    p.beta = kp / ratio4 * mult * p.weff / p.leff;
    p.lambda = 0;
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
    const double pb = P.model("pb"), mj = P.model("mj"), mjsw = P.model("mjsw"), fc = P.model("fc");
    if (pb <= 0) return bad("PB must be positive");
    if (fc < 0 || fc >= 1) return bad("FC must be in [0, 1)");
    const auto bottom = semi::scaleJunction(pb, 1.0, mj, Tnom, T);
    const auto side = semi::scaleJunction(pb, 1.0, mjsw, Tnom, T);
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
    p.cgso = P.model("cgso") * mult * p.weff;
    p.cgdo = P.model("cgdo") * mult * p.weff;
    p.cgbo = P.model("cgbo") * mult * p.leff;
    p.cox = coxf * p.leff * mult * p.weff;

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
    if (p.gd < 0 || p.gs < 0) return bad("RD, RS and RSH must not be negative");
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

// The model types of this kind: nmos and pmos cards whose LEVEL is 3 are
// routed here by kindOf() (descriptor.cpp); nobody writes these names.
constexpr const char* kTypes[] = {"nmos@3", "pmos@3"};
constexpr const char* kIgnored = "ignored (warned)";  // the reader warns (netlist/elaborate.cpp)
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
    mparam("level", 3.0, "", "model level: 3"),
    mparam("vto", 0.0, "V", "zero-bias threshold (negative for typical pmos)").aka("vt0"),
    mparam("kp", kNoDefault, "A/V²", "transconductance").shown("U0·εox/TOX"),
    mparam("gamma", 0.0, "√V", "body effect (from NSUB when not given)"),
    mparam("phi", 0.6, "V", "surface potential (from NSUB when not given)"),
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
    mparam("mjsw", 0.33, "", "sidewall grading coefficient"),
    kFcParam,
    mparam("cgso", 0.0, "F/m", "gate-source overlap capacitance per width"),
    mparam("cgdo", 0.0, "F/m", "gate-drain overlap capacitance per width"),
    mparam("cgbo", 0.0, "F/m", "gate-bulk overlap capacitance per length"),
    mparam("tox", 1e-7, "m", "oxide thickness"),
    mparam("ld", 0.0, "m", "lateral diffusion (Leff = L - 2·LD + XL)"),
    mparam("xl", 0.0, "m", "length adjustment"),
    mparam("wd", 0.0, "m", "width narrowing (Weff = W - 2·WD + XW)"),
    mparam("xw", 0.0, "m", "width adjustment"),
    mparam("delvto", 0.0, "V", "threshold shift").aka("delvt0"),
    mparam("u0", 600.0, "cm²/Vs", "surface mobility").aka("uo"),
    mparam("nsub", kNoDefault, "1/cm³", "substrate doping: GAMMA, PHI, VTO when not given, and the depletion width (XD, for KAPPA and XJ)").shown("none"),
    mparam("nss", 0.0, "1/cm²", "surface state density (with NSUB)"),
    mparam("tpg", 1.0, "", "gate material type (with NSUB)"),
    mparam("vmax", 0.0, "m/s", "carrier saturation velocity (0: none)"),
    mparam("xj", 0.0, "m", "junction depth (short-channel threshold, with NSUB)"),
    mparam("nfs", 0.0, "1/cm²", "fast surface state density (weak inversion when > 0)"),
    mparam("eta", 0.0, "", "static feedback (drain-induced threshold shift)"),
    mparam("delta", 0.0, "", "width effect on the threshold"),
    mparam("theta", 0.0, "1/V", "mobility modulation by the gate"),
    mparam("kappa", 0.2, "", "saturation field factor (channel-length modulation, with NSUB)"),
    mparam("xd", 0.0, "m/√V", "depletion width coefficient (from NSUB when given)"),
    mparam("alpha", 0.0, "m²/V", "depletion coefficient of the length modulation (from NSUB when given)"),
    mparam("lambda", kNoDefault, "1/V", "level-1 parameter: ignored with a warning, as by ngspice 39").shown(kIgnored),
    kTnomParam,
    kKfNoiseParam, kAfNoiseParam,
};

}  // namespace

extern const DeviceKind kMos3Kind;
constexpr DeviceKind kMos3Kind{
    .letter = 'm', .name = "MOSFET", .form = CardForm::ModelCard, .minNodes = 4, .maxNodes = 4,
    .modelTypes = kTypes, .params = kParams,
    .valueDoc = "Mname d g s b model [w=] [l=] ... (a .model nmos|pmos with LEVEL=3)",
    .create = makeGroup<Mos3s, kMos3Kind>};

}  // namespace simcore::dev
