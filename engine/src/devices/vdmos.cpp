// M with a VDMOS model: the vertical power MOSFET of ngspice 39 (and LTspice),
// `M d g s model` with `.model X VDMOS (pchan|nchan ...)`.
//   channel    vgst = vgs' - VTO (vgd' in reverse), smoothed into weak inversion:
//              vgst -> KSUBTHRES*ln(1 + exp((vgst - SUBSHIFT)/KSUBTHRES))
//              beta' = KP*m*(1 + LAMBDA*vds')/(1 + THETA*vgs'),  vdss = MTRIODE*|vds'|
//              saturation vgst <= vdss: id = beta'/2*vgst^2, else id = beta'*vdss*(vgst - vdss/2)
//              (ngspice 39 takes LAMBDA*vds' and THETA*vgs' with their signs in reverse too)
//   resistors  RD (d-d'), RS (s-s'), RG (g-g'), RDS (d-s, 1e-15 S when not given);
//              quasi-saturation (RQ and VQ given): RD + RQ*vds/(vds + |VQ|) (vds external,
//              forward only), its conductance plus gmin, as ngspice
//   gate       Cgs constant (CGS) g'-s'; Cgd(vgd') = s*tanh(A*vgd')+y above 0, s*atan(A*vgd')+y
//              below, s = (CGDMAX-CGDMIN)/(1+pi/2), y = CGDMAX - s; the charges are integrated
//              from the last accepted point with the mean capacitance (as ngspice)
//   body diode source (through RB, internal node) to drain: IS, N, reverse breakdown BV/IBV/NBV,
//              depletion charge CJO/VJ/M/FC and TT*id (a drain-source capacitance)
//   temperature KP*(T/Tnom)^MU, VTO - TCVTH*(T-Tnom) (n-channel; the sign flips for p),
//              KSUBTHRES*(1 + TKSUBTHRES1*dT + TKSUBTHRES2*dT^2), RD*(T/Tnom)^TEXP0 when
//              TEXP0 is given else RD*(1 + TRD1*dT + TRD2*dT^2); RG, RS, RB likewise
//              (TRG*, TRS*, TRB*); diode IS (EG, XTI), VJ and CJO as SPICE's diode.
//   self-heating (the `thermal` flag and RTHJC given; `M d g s [tj [tc]] model thermal`,
//              internal nodes tj and tc when not given): the nodes tj and tc are the junction
//              and case temperatures in degC; the power dissipated in every resistive current
//              of the device (channel, RD, RS, RG, RB, RDS, body diode) flows from ground into
//              tj, CTHJ from tj to ground, RTHJC from tj to tc, RTHCA from tc to the ambient
//              (the instance temperature); every parameter above follows the junction
//              temperature V(tj) + 273.15 K in each Newton iteration (the Jacobian's temperature
//              column from the model on either side of it, semi::addTemperatureColumn).
// Local terminals: 0 d, 1 g, 2 s, 3 d', 4 g', 5 s', 6 b' (diode anode; each internal one
// is its outer node when its resistance is 0), 7 tj, 8 tc (ground without self-heating),
// 9 ground (the far end of the power source and of CTHJ).
#include <algorithm>
#include <cmath>

#include "devices/common.hpp"
#include "devices/noise.hpp"
#include "devices/self_heating.hpp"

namespace simcore::dev {
namespace {

enum : int { D = 0, G = 1, S = 2, DP = 3, GP = 4, SP = 5, BP = 6, TJ = 7, TC = 8, GN = 9 };
constexpr int kElectrical = 7;  // terminals D..BP
// A group takes the self-heating layout only when one of its instances has the
// `thermal` flag: the others pay nothing for it.
struct PlainLayout {
  static constexpr int terminals = 7;
  static constexpr bool mask[terminals][terminals] = {
      // D  G  S  D' G' S' B'
      {1, 0, 1, 1, 0, 0, 1},  // D   RD (quasi-saturation: also S), RDS, diode
      {0, 1, 0, 0, 1, 0, 0},  // G   RG
      {1, 0, 1, 0, 0, 1, 1},  // S   RS, RDS, RB
      {1, 0, 1, 1, 1, 1, 0},  // D'  channel, RD, Cgd
      {0, 1, 0, 1, 1, 1, 0},  // G'  RG, Cgs, Cgd
      {0, 0, 1, 1, 1, 1, 0},  // S'  channel, RS, Cgs
      {1, 0, 1, 0, 0, 0, 1},  // B'  diode, RB
  };
  static constexpr int states = 3;  // qgs, qgd, diode charge
  static constexpr int chargeFrom[states] = {GP, GP, BP};
  static constexpr int chargeTo[states] = {SP, DP, D};
  static constexpr int series = 5;  // RD (without quasi-saturation), RS, RG, RB, RDS
  static constexpr bool diagonalCharges = true;  // each state between its own two terminals
};
struct ThermalLayout {
  static constexpr int terminals = 10;
  static constexpr bool mask[terminals][terminals] = {
      // D  G  S  D' G' S' B' Tj Tc gnd
      {1, 0, 1, 1, 0, 0, 1, 1, 0, 0},  // D   RD (quasi-saturation: also S), RDS, diode; temperature
      {0, 1, 0, 0, 1, 0, 0, 1, 0, 0},  // G   RG
      {1, 0, 1, 0, 0, 1, 1, 1, 0, 0},  // S   RS, RDS, RB
      {1, 0, 1, 1, 1, 1, 0, 1, 0, 0},  // D'  channel, RD, Cgd
      {0, 1, 0, 1, 1, 1, 0, 1, 0, 0},  // G'  RG, Cgs, Cgd
      {0, 0, 1, 1, 1, 1, 0, 1, 0, 0},  // S'  channel, RS, Cgs
      {1, 0, 1, 0, 0, 0, 1, 1, 0, 0},  // B'  diode, RB
      {1, 1, 1, 1, 1, 1, 1, 1, 1, 0},  // Tj  dissipated power, RTHJC, CTHJ
      {0, 0, 0, 0, 0, 0, 0, 1, 1, 0},  // Tc  RTHJC, RTHCA
      {0, 0, 0, 0, 0, 0, 0, 0, 0, 0},  // ground
  };
  static constexpr int states = 4;  // qgs, qgd, diode charge, CTHJ's charge
  static constexpr int chargeFrom[states] = {GP, GP, BP, TJ};
  static constexpr int chargeTo[states] = {SP, DP, D, GN};
  static constexpr int series = 6;  // RD (without quasi-saturation), RS, RG, RB, RDS, RTHJC
  static constexpr bool diagonalCharges = true;  // each state between its own two terminals
};

struct VdmosInst {
  double sign;
  double beta, von, lambda, theta, mtr, ksub, shift;  // von: threshold times the polarity
  double gd, gs, gg, gb, gds;                         // series conductances (0: none)
  bool qs;                                            // quasi-saturation
  double rd0, rq, vq;                                 // its resistances (at temperature)
  double cgs, cgdmin, cgdmax, a;
  // body diode
  double vt, vte, vtebrk, is, tt, vcrit, bv;
  bool hasBv;
  semi::Depletion depletion;
  double icvds, icvgs;
};

// Self-heating of one instance (thermal and RTHJC given).
struct VdmosThermal {
  bool on = false;
  double rthjc = 1, rthca = 1000, cthj = 1e-5;
  double ambientC = 27;          // degC: RTHCA's far end (the instance temperature)
  const ir::Model* model = nullptr;  // the parameters, mapped to the junction temperature each iteration
  double reltol = 1e-3;
  double tnomK = 300.15;
};

// Half of the gate-drain capacitance at vgd and its derivative (ngspice's DevCapVDMOS).
semi::HalfCap halfCgd(const VdmosInst& p, double vgd) {
  const double s = (p.cgdmax - p.cgdmin) / (1.0 + M_PI / 2.0);
  const double y = p.cgdmax - s;
  if (vgd > 0) {
    const double t = std::tanh(p.a * vgd);
    return {0.5 * (s * t + y), 0.5 * s * p.a * (1.0 - t * t)};
  }
  const double av = p.a * vgd;
  return {0.5 * (s * std::atan(av) + y), 0.5 * s * p.a / (1.0 + av * av)};
}

// Gate charges (gs, gd), integrated as semi::gateCharge.
using GateState = semi::GateCharges<2>;

// ln(1 + e^x) and its derivative, without overflow.
struct Softplus {
  double f, df;
};
Softplus softplus(double x) {
  if (x > 30.0) return {x + std::exp(-x), 1.0 - std::exp(-x)};
  const double e = std::exp(x);
  return {std::log1p(e), e / (1.0 + e)};
}

// Resistive stamp and charges at local voltages V (after limiting). vd: body
// diode voltage to use (b' - d); gate/cand: Meyer-style gate state; incremental:
// transient integration of the gate charges from the accepted point.
template <class Layout>
void evaluate(const VdmosInst& p, const double* V, double gmin, semi::LocalStamp<Layout>& s, double* q,
              const GateState& gate,
              GateState& cand, bool incremental) {
  if (p.gs > 0) s.conductance(S, SP, p.gs, V);
  if (p.gg > 0) s.conductance(G, GP, p.gg, V);
  if (p.gb > 0) s.conductance(S, BP, p.gb, V);
  s.conductance(D, S, p.gds, V);

  // channel, in the frame where the drain is the higher terminal
  const double vgs = V[GP] - V[SP], vds = V[DP] - V[SP];
  const double mode = vds >= 0 ? 1.0 : -1.0;
  const double u = (mode > 0 ? vgs : vgs - vds) - p.von;
  const double dudvds = mode > 0 ? 0.0 : -1.0;
  const double t0 = 1.0 + p.lambda * vds, t1 = 1.0 + p.theta * vgs;
  const double betap = p.beta * t0 / t1;
  const double dbdvgs = -p.beta * p.theta * t0 / (t1 * t1), dbdvds = p.beta * p.lambda / t1;
  const auto sp = softplus((u - p.shift) / p.ksub);
  const double vgst = p.ksub * sp.f, sig = sp.df;
  const double vdss = vds * p.mtr * mode, dvdss = p.mtr * mode;
  double cd, dcdvgs, dcdvds;
  if (vgst <= vdss) {
    cd = 0.5 * betap * vgst * vgst;
    dcdvgs = betap * vgst * sig + 0.5 * dbdvgs * vgst * vgst;
    dcdvds = 0.5 * dbdvds * vgst * vgst + betap * vgst * sig * dudvds;
  } else {
    const double k = vgst - 0.5 * vdss;
    cd = betap * vdss * k;
    dcdvgs = betap * vdss * sig + dbdvgs * vdss * k;
    dcdvds = dbdvds * vdss * k + betap * (dvdss * k + vdss * (sig * dudvds - 0.5 * dvdss));
  }
  s.current(DP, SP, mode * cd);
  s.slope(DP, SP, GP, SP, mode * dcdvgs);
  s.slope(DP, SP, DP, SP, mode * dcdvds);

  // drain resistance, with quasi-saturation when forward
  if (p.gd > 0) {
    if (p.qs && mode > 0) {
      const double vdsn = V[D] - V[S], den = vdsn + p.vq;
      const double rd = p.rd0 + p.rq * vdsn / den;
      if (rd > 0) {
        const double g = 1.0 / rd + gmin, dg = -1.0 / (rd * rd) * p.rq * p.vq / (den * den);
        const double vr = V[D] - V[DP];
        s.current(D, DP, g * vr);
        s.slope(D, DP, D, DP, g);
        s.slope(D, DP, D, S, dg * vr);
      } else {
        s.conductance(D, DP, p.gd, V);
      }
    } else {
      s.conductance(D, DP, p.gd, V);
    }
  }

  // body diode b' -> d
  const double vd = V[BP] - V[D];
  double id, gdio;
  if (vd >= -3.0 * p.vte || !p.hasBv || vd >= -p.bv) {
    const auto j = semi::junctionCurrent(vd, p.is, p.vte);
    id = j.i;
    gdio = j.g;
  } else {
    const double e = std::exp(-(p.bv + vd) / p.vtebrk);
    id = -p.is * e;
    gdio = p.is * e / p.vtebrk;
  }
  s.current(BP, D, id + gmin * vd);
  s.slope(BP, D, BP, D, gdio + gmin);
  auto dq = p.depletion.at(vd);
  q[2] = dq.q + p.tt * id;
  s.capacitance(2, BP, D, dq.c + p.tt * gdio);

  // gate charges: Cgs constant, Cgd(vgd')
  const double vg[2] = {vgs, V[GP] - V[DP]};
  const semi::HalfCap half[2] = {{0.5 * p.cgs, 0.0}, halfCgd(p, vg[1])};
  for (int k = 0; k < 2; ++k) {
    const auto g = semi::gateCharge(k, vg[k], half[k], 0.0, gate, cand, incremental);
    q[k] = g.q;
    s.capacitance(k, Layout::chargeFrom[k], Layout::chargeTo[k], g.c);
  }
}

// ngspice's breakdown matching for the body diode: the knee moves so that the
// current at -BV is IBV (emission NBV).
double matchBreakdown(double bv, double cbv, double is, double vt, double nbv, double reltol) {
  if (cbv < is * bv / vt) return bv;
  const double tol = reltol * cbv;
  double xbv = bv - nbv * vt * std::log(1.0 + cbv / is);
  for (int it = 0; it < 25; ++it) {
    xbv = bv - nbv * vt * std::log(cbv / is + 1.0 - xbv / vt);
    const double xcbv = is * (std::exp((bv - xbv) / (nbv * vt)) - 1.0 + xbv / vt);
    if (std::fabs(xcbv - cbv) <= tol) break;
  }
  return xbv;
}

template <class Layout>
class VdmosesT final : public semi::LinearisedGroup<VdmosesT<Layout>, Layout, VdmosInst> {
  using Base = semi::LinearisedGroup<VdmosesT<Layout>, Layout, VdmosInst>;
  using Lin = semi::Linearisation<Layout>;
  using Stamp = semi::LocalStamp<Layout>;
  static constexpr bool kThermal = Layout::terminals > kElectrical;
  static constexpr int kN = Layout::terminals, kStates = Layout::states, kE = Stamp::E;
  using Base::inst_, Base::nodes_, Base::st_, Base::p_, Base::off_, Base::lin_, Base::opG_, Base::bypass_;
  using Base::checkInstance, Base::checkModel, Base::values, Base::resizeInstances, Base::storeSmallSignal;

 public:
  using Base::Base;
  // currents into the terminals, named as the MOSFET's (the body diode's anode
  // b' belongs to the source when RB is 0)
  // (in the n-type frame, as ngspice's VDMOS reports them)
  // (with the thermal terminals, the heat flows into tj and tc, which ngspice's .probe names
  // i(m1:b_tj) and i(m1:tc))
  static constexpr auto kCurrents = [] {
    constexpr semi::TerminalCurrent id{.name = "id", .outer = D, .inner = DP, .nFrame = true};
    constexpr semi::TerminalCurrent is{.name = "is", .outer = S, .inner = SP, .inner2 = BP, .nFrame = true};
    constexpr semi::TerminalCurrent ig{.name = "ig", .outer = G, .inner = GP, .nFrame = true};
    if constexpr (kThermal)
      return std::array{id, is, ig, semi::TerminalCurrent{.name = "tj", .outer = TJ, .inner = TJ, .probeOnly = true},
                        semi::TerminalCurrent{.name = "tc", .outer = TC, .inner = TC, .probeOnly = true}};
    else
      return std::array{id, is, ig};
  }();

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    resizeInstances(n);
    gate_.assign(n, GateState{}); cand_.assign(n, GateState{});
    vgs_.assign(n, 0.0); vds_.assign(n, 0.0); vd_.assign(n, 0.0); tj_.assign(n, 0.0);
    th_.assign(n, VdmosThermal{});
    memo_.clear();
    memo_.resize(n);
    const ir::Options& o = ctx.options();
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      const ir::Model* mod = ctx.model(d);
      if (!mod) return deviceError(d, "VDMOS '" + d.name + "' needs a VDMOS model");
      if (auto s = checkModel(*mod); !s) return s;
      const ParamValues P = values(d, mod);
      const double T = semi::instanceTempK(P, o), Tnom = semi::nominalTempK(P, o);
      if (auto s = setupInstance(d, P, o.reltol, T, Tnom, p_[i]); !s) return s;
      off_[i] = P.hasInst("off");
      VdmosThermal& th = th_[i];
      // as ngspice 39: self-heating with the flag and RTHJC; the other two have defaults
      th.on = kThermal && P.hasInst("thermal") && P.hasModel("rthjc");
      if (th.on) {
        th.rthjc = P.model("rthjc");
        th.rthca = P.model("rthca");
        th.cthj = P.model("cthj");
        if (!(th.rthjc > 0) || !(th.rthca > 0))
          return deviceError(d, "VDMOS '" + d.name + "': RTHJC and RTHCA must be positive");
        if (!(th.cthj >= 0)) return deviceError(d, "VDMOS '" + d.name + "': CTHJ must not be negative");
        th.ambientC = T - kCelsiusToKelvin;
        th.model = mod;
        th.reltol = o.reltol;
        th.tnomK = Tnom;
        tj_[i] = th.ambientC;
      }
      const VdmosInst& p = p_[i];
      auto& nd = nodes_[i];
      nd[D] = ctx.node(d.nodes[0]);
      nd[G] = ctx.node(d.nodes[1]);
      nd[S] = ctx.node(d.nodes[2]);
      // the temperature nodes: given (4th, 5th) or internal; ground without self-heating
      if constexpr (kThermal) {
        nd[TJ] = !th.on ? 0 : d.nodes.size() >= 4 ? ctx.node(d.nodes[3]) : ctx.addInternalNode(d, "tj");
        nd[TC] = !th.on ? 0 : d.nodes.size() >= 5 ? ctx.node(d.nodes[4]) : ctx.addInternalNode(d, "tc");
        nd[GN] = 0;
        if (th.on && (nd[TJ] == 0 || nd[TC] == 0 || nd[TJ] == nd[TC]))
          return deviceError(d, "VDMOS '" + d.name + "': the temperature nodes tj and tc must be two nodes off ground");
      }
      nd[DP] = p.gd > 0 ? ctx.addInternalNode(d, "d") : nd[D];
      nd[GP] = p.gg > 0 ? ctx.addInternalNode(d, "g") : nd[G];
      nd[SP] = p.gs > 0 ? ctx.addInternalNode(d, "s") : nd[S];
      nd[BP] = p.gb > 0 ? ctx.addInternalNode(d, "b") : nd[S];
      st_[i] = ctx.addStates(kStates);
    }
    return {};
  }

  double polarity(std::size_t i) const { return p_[i].sign; }

  void initialCharges(LoadContext& c, std::size_t i, const double* V) {
    Stamp s;
    double q[kStates] = {};
    if constexpr (kThermal)
      if (th_[i].on) {
        tj_[i] = p_[i].sign * V[TJ];
        mapTemperature(i, tj_[i]);
      }
    evaluate(p_[i], V, c.gmin, s, q, gate_[i], cand_[i], false);
    if constexpr (kThermal) q[3] = th_[i].on ? th_[i].cthj * V[TJ] : 0.0;
    for (int k = 0; k < kStates; ++k) c.charge(st_[i] + k, q[k]);
    vgs_[i] = V[GP] - V[SP]; vds_[i] = V[DP] - V[SP]; vd_[i] = V[BP] - V[D];
  }

  void linearise(LoadContext& c, std::size_t i, const double* V, Lin& L, bool tran) {
    const VdmosInst& p = p_[i];
    double vgs = V[GP] - V[SP], vds = V[DP] - V[SP], vd = V[BP] - V[D];
    const VdmosThermal& th = th_[i];
    double tj = 0.0;  // junction temperature (degC)
    if constexpr (kThermal) tj = th.on ? p.sign * V[TJ] : 0.0;
    bool limited = false;
    if (c.initJunctions) {
      tj = th.ambientC;
      if (off_[i]) {
        vgs = vds = 0.0;
      } else {
        vds = p.sign * p.icvds;
        vgs = p.sign * p.icvgs;
        if (vds == 0.0 && vgs == 0.0) vgs = p.von + 0.1;
      }
      vd = p.vcrit;
      limited = true;
    } else if (!c.resync) {
      limited = limit(i, vgs, vds);
      bool lj = false;
      if (p.hasBv && vd < std::min(0.0, -p.bv + 10.0 * p.vtebrk)) {
        const double vr = semi::pnjlim(-(vd + p.bv), -(vd_[i] + p.bv), p.vtebrk, p.vcrit, lj);
        vd = -(vr + p.bv);
      } else {
        vd = semi::pnjlim(vd, vd_[i], p.vte, p.vcrit, lj);
      }
      bool lt = false;
      if (th.on && !c.holdTemperatures) tj = semi::limitLog(tj, tj_[i], 30.0, lt);  // as ngspice 39's VDMOS: 30 K
      limited = limited || lj || lt;
    }
    if (th.on && c.holdTemperatures) tj = th.ambientC;
    if (limited) c.noncon++;
    vgs_[i] = vgs; vds_[i] = vds; vd_[i] = vd; tj_[i] = tj;
    double* Vl = L.Vl;
    for (int k = 0; k < kN; ++k) Vl[k] = V[k];
    if (limited) {
      Vl[GP] = V[SP] + vgs;
      Vl[DP] = V[SP] + vds;
      Vl[BP] = V[D] + vd;
      if constexpr (kThermal)
        if (th.on) Vl[TJ] = p.sign * tj;
    }
    if constexpr (kThermal) {
      if (th.on) {
        thermalStamp(c, i, tj, L, tran);
        if (!tran) storeSmallSignal(i, L.s.G, L.s.C);
        return;
      }
      L.q[3] = 0.0;
    }
    evaluate(p, Vl, c.gmin, L.s, L.q, gate_[i], cand_[i], tran);
    if (!tran) storeSmallSignal(i, L.s.G, L.s.C);
  }

  // The self-heating instance's stamp at the limited voltages L.Vl and the junction at tj (degC).
  void thermalStamp(LoadContext& c, std::size_t i, double tj, Lin& L, bool tran) {
    if constexpr (kThermal) {
      const VdmosThermal& th = th_[i];
      const double sign = p_[i].sign;
      const double* Vl = L.Vl;
      // the model at tj and on either side of it (the temperature column); the
      // gate charges' integration state is advanced by the first alone
      GateState scratch;
      double qs[kStates];
      Stamp plus, minus;
      if (c.holdTemperatures) {  // the power flows, the parameters stay at the instance's
        mapTemperature(i, tj);
        evaluate(p_[i], Vl, c.gmin, L.s, L.q, gate_[i], cand_[i], tran);
        semi::addDissipation(L.s, Vl, kElectrical, TJ, GN, sign);
        thermalNetwork(i, L);
        return;
      }
      mapTemperature(i, tj + semi::kThermalStep);
      scratch = cand_[i];
      evaluate(p_[i], Vl, c.gmin, plus, qs, gate_[i], scratch, tran);
      mapTemperature(i, tj - semi::kThermalStep);
      scratch = cand_[i];
      evaluate(p_[i], Vl, c.gmin, minus, qs, gate_[i], scratch, tran);
      mapTemperature(i, tj);
      evaluate(p_[i], Vl, c.gmin, L.s, L.q, gate_[i], cand_[i], tran);
      semi::addTemperatureColumn(L.s, plus, minus, kElectrical, TJ, sign);
      semi::addDissipation(L.s, Vl, kElectrical, TJ, GN, sign);
      thermalNetwork(i, L);
    }
  }

  // RTHJC, RTHCA to the ambient, CTHJ (local: times the polarity)
  void thermalNetwork(std::size_t i, Lin& L) const {
    if constexpr (kThermal) {
      const VdmosThermal& th = th_[i];
      const double sign = p_[i].sign;
      const double* Vl = L.Vl;
      L.s.conductance(TJ, TC, 1.0 / th.rthjc, Vl);
      L.s.current(TC, GN, (Vl[TC] - sign * th.ambientC) / th.rthca);
      L.s.slope(TC, GN, TC, GN, 1.0 / th.rthca);
      L.q[3] = th.cthj * Vl[TJ];
      L.s.capacitance(3, TJ, GN, th.cthj);
    }
  }

  // Self-heating: the temperature moves with the power of the whole step: no reuse across steps.
  bool stepBypass(std::size_t i) const { return !th_[i].on; }


  void accept(const double*, double) override {
    gate_ = cand_;
    bypass_.accepted();
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const auto& nd : nodes_) {
      out.emplace_back(nd[DP], nd[SP]);
      out.emplace_back(nd[D], nd[S]);  // RDS, body diode (gmin)
      if (nd[D] != nd[DP]) out.emplace_back(nd[D], nd[DP]);
      if (nd[S] != nd[SP]) out.emplace_back(nd[S], nd[SP]);
      if (nd[G] != nd[GP]) out.emplace_back(nd[G], nd[GP]);
      if (nd[S] != nd[BP]) out.emplace_back(nd[S], nd[BP]);
      if constexpr (kThermal)
        if (nd[TJ] != 0) {
          out.emplace_back(nd[TJ], nd[TC]);
          out.emplace_back(nd[TC], 0);
        }
    }
  }

  // ---- .noise (as ngspice 39's VDMOS): RD and RS thermal, channel thermal
  // 4 k T (2/3) |gm| and flicker KF |Id|^AF / (f Cox^2) between d' and s'
  // (Id the channel current; Cox of TOX = 1e-7 m, W = L = 1, as ngspice);
  // no noise from RG or the body diode.
  void noise(NoiseContext& c) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      const auto& nd = nodes_[i];
      // the channel alone: the instance without its resistances
      VdmosInst ch = p_[i];
      ch.gd = ch.gs = ch.gg = ch.gb = ch.gds = 0;
      ch.qs = false;
      double V[kN], q[kStates];
      for (int k = 0; k < kN; ++k) V[k] = ch.sign * c.xop[nd[k]];
      Stamp st;
      GateState cand;
      evaluate(ch, V, c.gmin, st, q, gate_[i], cand, false);
      const double cd = st.I[DP];
      const double gm = std::fabs(opG_[i * kE + Stamp::entries.slot[DP][GP]]);
      c.thermal(d, "_rd", nd[DP], nd[D], p_[i].gd);
      c.thermal(d, "_rs", nd[SP], nd[S], p_[i].gs);
      c.thermal(d, "_id", nd[DP], nd[SP], 2.0 / 3.0 * gm);
      const ParamValues P = values(d, c.model(d));
      const double kf = P.model("kf", 0.0), af = P.model("af", 1.0);
      const double cox = semi::kEpsOx / 1e-7;
      c.flicker(d, "_1overf", nd[DP], nd[SP], NoiseContext::flickerCoef(kf, af, cd) / (cox * cox));
    }
  }

 private:
  // The instance's parameters at the junction temperature tjC (degC), as ngspice 39's VDMOStempUpdate
  // makes them each iteration (every temperature law from TNOM to that temperature).
  void mapTemperature(std::size_t i, double tjC) {
    const ir::Device& d = *inst_[i];
    const VdmosThermal& th = th_[i];
    if (!memo_[i]) memo_[i] = std::make_unique<ParamMemo>(values(d, th.model));
    // (kept when they map; the temperature is kept above 1 K)
    VdmosInst q = p_[i];
    if (setupInstance(d, *memo_[i], th.reltol, std::max(tjC + kCelsiusToKelvin, 1.0), th.tnomK, q)) p_[i] = q;
  }

  // (PV: ParamValues at set-up, the instance's ParamMemo in each iteration)
  template <class PV>
  static Status setupInstance(const ir::Device& d, const PV& P, double reltol, double T, double Tnom, VdmosInst& p) {
    const auto bad = [&](const std::string& what) { return deviceError(d, "VDMOS '" + d.name + "': " + what); };
    if (P.model("pchan") != 0 && P.model("nchan") != 0) return bad("the model is both pchan and nchan");
    const double type = P.model("pchan") != 0 ? -1.0 : 1.0;
    p.sign = type;
    const double mult = P.inst("m");
    if (!(mult > 0)) return bad("m must be positive");
    const double dt = T - Tnom, ratio = T / Tnom;
    if (P.model("phi") <= 0) return bad("PHI must be positive");

    p.beta = P.model("kp") * mult * std::pow(ratio, P.model("mu"));
    p.von = type * (P.model("vto") - type * P.model("tcvth") * dt);
    p.lambda = P.model("lambda");
    p.theta = P.model("theta");
    p.mtr = P.model("mtriode");
    p.shift = P.model("subshift");
    p.ksub = P.model("ksubthres") * (1.0 + P.model("tksubthres1") * dt + P.model("tksubthres2") * dt * dt);
    if (!(p.ksub > 0)) return bad("KSUBTHRES must be positive");

    auto quad = [&](const char* a, const char* b) { return 1.0 + P.model(a) * dt + P.model(b) * dt * dt; };
    const double rd = P.model("rd"), rs = P.model("rs"), rg = P.model("rg"), rb = P.model("rb");
    // a negative value is no resistance, as in ngspice 39 (fitted vendor
    // models have RD=-1.6m; the netlist front end warns)
    p.rd0 = 0;
    if (rd > 0) {
      p.rd0 = rd / mult * (P.hasModel("texp0") ? std::pow(ratio, P.model("texp0")) : quad("trd1", "trd2"));
      p.gd = 1.0 / p.rd0;
    } else {
      p.gd = 0;
    }
    p.gs = rs > 0 ? mult / rs / quad("trs1", "trs2") : 0.0;
    p.gg = rg > 0 ? mult / rg / quad("trg1", "trg2") : 0.0;
    p.gb = rb > 0 ? mult / rb / quad("trb1", "trb2") : 0.0;
    p.gds = P.hasModel("rds") && P.model("rds") > 0 ? mult / P.model("rds") : 1e-15;
    p.qs = P.hasModel("rq") && P.hasModel("vq") && rd > 0;
    p.rq = p.qs ? P.model("rq") / mult * std::pow(ratio, P.model("texp1")) : 0.0;
    p.vq = std::fabs(P.model("vq"));

    p.cgs = P.model("cgs") * mult;
    p.cgdmin = P.model("cgdmin") * mult;
    p.cgdmax = P.model("cgdmax") * mult;
    p.a = P.model("a");

    // body diode
    const double n = P.model("n"), nbv = P.model("nbv");
    if (!(n > 0) || !(nbv > 0)) return bad("N and NBV must be positive");
    double fc = P.model("fc");
    if (fc > 0.95) fc = 0.95;  // ngspice limits FC to 0.95
    if (fc < 0) return bad("FC must not be negative");
    const double vj = P.model("vj");
    if (!(vj > 0)) return bad("VJ must be positive");
    const double eg = std::max(P.model("eg"), 0.1);
    const double is = std::max(P.model("is"), 1e-28);  // ngspice: at least CKTepsmin
    p.vt = semi::thermalVoltage(T);
    p.vte = n * p.vt;
    p.vtebrk = nbv * p.vt;
    p.is = mult * is * std::exp((ratio - 1.0) * eg / p.vte + P.model("xti") / n * std::log(ratio));
    const double mj = P.model("m");
    const auto sj = semi::scaleJunction(vj, P.model("cjo") * mult, mj, Tnom, T);
    p.depletion = semi::Depletion(sj.cj, sj.vj, mj, fc);
    p.tt = P.model("tt");
    p.vcrit = p.vte * std::log(p.vte / (semi::kSqrt2 * p.is));
    p.hasBv = P.hasModel("bv");
    if (p.hasBv) {
      const double bv = std::fabs(P.model("bv"));
      p.bv = matchBreakdown(bv, P.model("ibv"), p.is, p.vt, nbv, reltol);
    } else {
      p.bv = 1e99;
    }
    p.icvds = P.inst("icvds");
    p.icvgs = P.inst("icvgs");
    return {};
  }

  // SPICE's MOSFET limiting of (vgs', vds') against the last evaluation.
  bool limit(std::size_t i, double& vgs, double& vds) const {
    return semi::fetLimit(vgs, vds, vgs_[i], vds_[i], p_[i].von);
  }

  std::vector<GateState> gate_, cand_;  // gate charges: accepted, last evaluation
  std::vector<double> vgs_, vds_, vd_;  // last evaluation (limiting), polarity applied
  std::vector<double> tj_;              // junction temperature (degC) of the last evaluation (limiting)
  std::vector<VdmosThermal> th_;
  std::vector<std::unique_ptr<ParamMemo>> memo_;  // self-heating: the parameters read once (mapTemperature)
};

constexpr const char* kTypes[] = {"vdmos"};
constexpr ParamSpec kParams[] = {
    kMultParam,
    flagParam("off", "start the operating point with the device off"),
    flagParam("thermal", "self-heating (with RTHJC): nodes tj and tc, 4th and 5th or internal"),
    iparam("icvds", 0.0, "V", "initial drain-source voltage of the operating point iteration"),
    iparam("icvgs", 0.0, "V", "initial gate-source voltage (0 and 0: VTO + 0.1)"),
    kTempParam, kDtempParam,
    mparam("pchan", 0.0, "", "p-channel: a bare word on the .model card"),
    mparam("nchan", 0.0, "", "n-channel (the default): a bare word on the .model card"),
    mparam("vto", 0.0, "V", "threshold voltage (negative for pchan)").aka("vth0"),
    mparam("kp", 1.0, "A/V²", "transconductance"),
    mparam("phi", 0.6, "V", "surface potential (checked, otherwise unused)"),
    mparam("lambda", 0.0, "1/V", "channel-length modulation"),
    mparam("theta", 0.0, "1/V", "mobility reduction with vgs"),
    mparam("mtriode", 1.0, "", "conductance multiplier in the triode region"),
    mparam("ksubthres", 0.1, "V", "weak-inversion slope"),
    mparam("subshift", 0.0, "V", "weak-inversion shift along vgs"),
    mparam("rd", 0.0, "Ω", "drain resistance (an internal node when > 0)"),
    mparam("rs", 0.0, "Ω", "source resistance (an internal node when > 0)"),
    mparam("rg", 0.0, "Ω", "gate resistance (an internal node when > 0)"),
    mparam("rds", kNoDefault, "Ω", "drain-source shunt resistance").shown("1e15"),
    mparam("rq", 0.0, "Ω", "quasi-saturation resistance (with VQ and RD > 0)"),
    mparam("vq", 0.0, "V", "quasi-saturation voltage (with RQ)"),
    mparam("cgs", 0.0, "F", "gate-source capacitance"),
    mparam("cgdmin", 0.0, "F", "gate-drain capacitance at large negative vgd"),
    mparam("cgdmax", 0.0, "F", "gate-drain capacitance at large positive vgd"),
    mparam("a", 1.0, "1/V", "gate-drain capacitance shape"),
    mparam("is", 1e-14, "A", "body diode saturation current"),
    mparam("n", 1.0, "", "body diode emission coefficient"),
    mparam("rb", 0.0, "Ω", "body diode series resistance (an internal node when > 0)"),
    mparam("cjo", 0.0, "F", "body diode zero-bias capacitance (drain-source)").aka("cj0"),
    mparam("vj", 0.8, "V", "body diode junction potential"),
    mparam("m", 0.5, "", "body diode grading coefficient"),
    mparam("fc", 0.5, "", "forward-bias depletion capacitance coefficient (at most 0.95)"),
    mparam("tt", 0.0, "s", "body diode transit time"),
    mparam("bv", kNoDefault, "V", "drain-source breakdown voltage (breakdown only when given)").shown("∞"),
    mparam("ibv", 1e-10, "A", "current at BV"),
    mparam("nbv", 1.0, "", "breakdown emission coefficient"),
    mparam("eg", 1.11, "eV", "body diode band gap for IS(T)"),
    mparam("xti", 3.0, "", "body diode IS temperature exponent"),
    mparam("mu", -1.5, "", "KP temperature exponent").aka("bex"),
    mparam("tcvth", 0.0, "V/°C", "VTO temperature coefficient").aka("vtotc"),
    mparam("texp0", kNoDefault, "", "RD temperature exponent (instead of TRD1/TRD2)").shown("none"),
    mparam("texp1", 0.3, "", "RQ temperature exponent"),
    mparam("trd1", 0.0, "1/°C", "RD linear temperature coefficient"),
    mparam("trd2", 0.0, "1/°C²", "RD quadratic temperature coefficient"),
    mparam("trg1", 0.0, "1/°C", "RG linear temperature coefficient"),
    mparam("trg2", 0.0, "1/°C²", "RG quadratic temperature coefficient"),
    mparam("trs1", 0.0, "1/°C", "RS linear temperature coefficient"),
    mparam("trs2", 0.0, "1/°C²", "RS quadratic temperature coefficient"),
    mparam("trb1", 0.0, "1/°C", "RB linear temperature coefficient"),
    mparam("trb2", 0.0, "1/°C²", "RB quadratic temperature coefficient"),
    mparam("tksubthres1", 0.0, "1/°C", "KSUBTHRES linear temperature coefficient"),
    mparam("tksubthres2", 0.0, "1/°C²", "KSUBTHRES quadratic temperature coefficient"),
    kTnomParam,
    kKfNoiseParam, kAfNoiseParam,
    mparam("rthjc", 1.0, "K/W", "thermal resistance junction-case (self-heating only when given, with `thermal`)"),
    mparam("rthca", 1000.0, "K/W", "thermal resistance case-ambient (self-heating)"),
    mparam("cthj", 1e-5, "J/K", "thermal capacitance junction-ground (self-heating)"),
    // accepted and ignored, as in ngspice without a safe-operating-area check
    mparam("vgs_max", kNoDefault, "V", "safe-operating-area limit: accepted and ignored").shown("—"),
    mparam("vgd_max", kNoDefault, "V", "safe-operating-area limit: accepted and ignored").shown("—"),
    mparam("vds_max", kNoDefault, "V", "safe-operating-area limit: accepted and ignored").shown("—"),
    mparam("vgsr_max", kNoDefault, "V", "safe-operating-area limit: accepted and ignored").shown("—"),
    mparam("vgdr_max", kNoDefault, "V", "safe-operating-area limit: accepted and ignored").shown("—"),
    mparam("pd_max", kNoDefault, "W", "safe-operating-area limit: accepted and ignored").shown("—"),
    mparam("id_max", kNoDefault, "A", "safe-operating-area limit: accepted and ignored").shown("—"),
    mparam("idr_max", kNoDefault, "A", "safe-operating-area limit: accepted and ignored").shown("—"),
    mparam("te_max", kNoDefault, "°C", "safe-operating-area limit: accepted and ignored").shown("—"),
    mparam("rth_ext", kNoDefault, "K/W", "safe-operating-area thermal resistance: accepted and ignored").shown("—"),
    mparam("derating", kNoDefault, "W/K", "safe-operating-area derating: accepted and ignored").shown("—"),
};

}  // namespace

extern const DeviceKind kVdmosKind;

namespace {
// The self-heating layout for a group with a `thermal` instance, else the plain one.
std::unique_ptr<DeviceGroup> makeVdmoses(std::vector<const ir::Device*> inst) {
  if (semi::anySelfHeating(inst)) return makeGroup<VdmosesT<ThermalLayout>, kVdmosKind>(std::move(inst));
  return makeGroup<VdmosesT<PlainLayout>, kVdmosKind>(std::move(inst));
}
}  // namespace

constexpr DeviceKind kVdmosKind{
    .letter = 'm', .name = "VDMOS", .form = CardForm::ModelCard, .minNodes = 3, .maxNodes = 5,
    .modelTypes = kTypes, .params = kParams,
    .valueDoc = "Mname d g s [tj [tc]] model [m=value] [off] [thermal]   (.model X VDMOS (pchan|nchan name=value ...))",
    .create = makeVdmoses};

}  // namespace simcore::dev
