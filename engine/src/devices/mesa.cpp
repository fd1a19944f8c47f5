// Z with an NMF model of LEVEL 2, 3 or 4: the MESA GaAs MESFET models of
// ngspice 39 (Ytterdal, Lee, Shur and Fjeldly; ngspice's `mesa`),
// `Z d g s model [l=] [w=] [m=] [ts=] [td=] [dtemp=] [off] [icvds=] [icvgs=]`.
//
// Channel (vgs, vds at the intrinsic nodes g', s', d'; vds < 0: drain and
// source swap), with von = VTO(ts) + KS (V(s') - VSG) (sidegating) and
//   sigma = SIGMA0 / (1 + exp((vgs - von - VSIGMAT)/VSIGMA)),
//   vgt = vgs - von + sigma vds,
//   vgte = vgt smoothed above 0 with DELTA (levels 2, 3: vt (2 + u + sqrt(DELTA^2 + u^2))/2, u = vgt/vt - 1;
//          level 4: vt (2 + u + sqrt(DELTA^2 + u^2)), u = vgt/(2 vt) - 1),
//   a sheet charge ns(vgt, vgte): level 2 uniform doping ND over D with the
//   subthreshold term; level 3 a delta-doped layer (NDELTA, TH) over a
//   uniform one (NDU, DU); level 4 2 n0 ln(1 + exp(vgt/(eta vt))/2)
//   saturating at NMAX with GAMMA;
//   gch = gchi/(1 + gchi (RSI + RDI)), gchi = q W/L mu ns;
//   a saturation current isat (velocity saturation with RSI; TC, level 4 IMAX
//   = q NMAX VS W with GAMMA), vsate = isat/gch;
//   id = gch vds (1 + LAMBDA vds) / (1 + (vds/vsate)^m)^(1/m)
//   (level 2: m = M + ALPHA vgte; levels 3, 4: m = M).
// Gate capacitances (Meyer-like, from the same quantities):
//   Cgs = cf + 2/3 cgc (1 - ((vsate - vdse)/(2 vsate - vdse))^2),
//   Cgd = cf + 2/3 cgc (1 - (vsate/(2 vsate - vdse))^2),
//   vdse = vds (1 + (vds/vsate)^MC)^(-1/MC).
// Gate diodes (each end at its own temperature ts, td):
//   I = csat (exp(v/(N vt)) - 1) + GGR L W exp(XCHI (T - Tnom)) v exp(-DEL v/vt) + gmin v,
//   csat = ASTAR T^2 exp(-PHIB(T)/(k T)) L W / 2,
// and the gate current correction AG (Igs - Igd) from s' to d'.
// The charges move as ngspice moves them: over a transient step from the
// accepted point, qgs grows by Cgs (vgs'' - vgs''_accepted) (likewise qgd),
// Cgs taken at the new point; the initial point holds Cgs vgs''. At DC and
// in AC the capacitances are Cgs and Cgd. The Jacobian is exact: the model
// runs on forward-mode dual numbers in (vgs, vds, von), so the derivatives of
// the current, of the capacitances (in the transient charge) and of the
// sidegating term are those of the values.
// In AC (when DELFO != 0) the slopes take LAMBDA(f) = LAMBDA + (LAMBDAHF -
// LAMBDA) (1 + tanh((f - FL)/DELF))/2, FL = FLO exp(ts/TF), DELF = DELFO
// exp(ts/TF), in the explicit factor (1 + LAMBDA vds) only, as ngspice.
// Resistances: RD, RS, RG (external, with RTC1 and RTC2), RI (s' to s'', in
// series with Cgs), RF (d' to d'', in series with Cgd); RSI and RDI enter the
// channel equations. m multiplies the whole device.
// Local terminals: D G S, the intrinsic D' G' S', S'' (RI), D'' (RF) and
// ground (the reference of the sidegating voltage); a terminal without its
// resistance is the node it would connect to.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <utility>

#include "devices/common.hpp"
#include "devices/dual.hpp"
#include "devices/gate_fet_frame.hpp"
#include "devices/semiconductor.hpp"

namespace simcore::dev {
namespace {

enum : int { D = 0, G = 1, S = 2, DP = 3, GP = 4, SP = 5, SPP = 6, DPP = 7, GND = 8 };
struct Layout {
  static constexpr int terminals = 9;
  static constexpr bool mask[terminals][terminals] = {
      // D  G  S  D' G' S' S'' D'' 0
      {1, 0, 0, 1, 0, 0, 0, 0, 0},  // D    RD
      {0, 1, 0, 0, 1, 0, 0, 0, 0},  // G    RG
      {0, 0, 1, 0, 0, 1, 0, 0, 0},  // S    RS
      {1, 0, 0, 1, 1, 1, 1, 1, 1},  // D'   channel, gate-drain diode, AG, RD, RF
      {0, 1, 0, 1, 1, 1, 1, 1, 1},  // G'   diodes, charges, RG
      {0, 0, 1, 1, 1, 1, 1, 1, 1},  // S'   channel, gate-source diode, AG, RS, RI
      {0, 0, 0, 1, 1, 1, 1, 1, 1},  // S''  qgs, RI
      {0, 0, 0, 1, 1, 1, 1, 1, 1},  // D''  qgd, RF
      {0, 0, 0, 0, 0, 0, 0, 0, 0},  // ground
  };
  static constexpr int states = 2;  // qgs (g' to s''), qgd (g' to d'')
  static constexpr int chargeFrom[states] = {GP, GP};
  static constexpr int chargeTo[states] = {SPP, DPP};
  static constexpr int series = 5;  // RD, RS, RG, RI, RF
  static constexpr gatefet::Terminals at = {D, G, S, DP, GP, SP, SPP, DPP, GND};
};
constexpr int kStates = Layout::states;
using Stamp = semi::LocalStamp<Layout>;
using Lin = semi::Linearisation<Layout>;

constexpr double kEpsGaAs = 12.244 * 8.85418e-12;  // F/m, as ngspice's MESA
constexpr double kCtoK = 273.15;

// forward-mode dual numbers in (vgs, vds, von)
using Dual = semi::Dual<3>;
Dual constant(double v) { return Dual::constant(v); }

struct MesaInst {
  int level = 2;
  double mult = 1;
  double W = 0, L = 0;
  double vts = 0, vtd = 0;   // thermal voltages at ts, td
  double vtes = 0, vted = 0;  // times N
  double vto = 0;             // VTO at ts
  double ks = 0, vsg = 0;
  // channel
  double eta = 0, mu = 0, theta = 0, lambda = 0, lambdahf = 0, fl = 0, delf = 0;
  double rsi = 0, rdi = 0, rsiModel = 0;
  double sigma0 = 0, vsigmat = 0, vsigma = 0, deltaSqr = 0;
  double vpo = 0, vpou = 0, vpod = 0;
  double nd = 0, d = 0, du = 0, ndu = 0, th = 0, ndelta = 0;
  double tc = 0, m0 = 0, mc = 0, alpha = 0;
  double nmax = 0, gamma = 0, epsi = 0, cas = 0, cbs = 0, vs = 0;
  double betaInst = 0, betaModel = 0;
  double n0 = 0, nsb0 = 0, isatb0 = 0, gchi0 = 0, imax = 0, cf = 0;
  // gate diodes
  double csatfs = 0, csatfd = 0, ggrwl = 0, del = 0, vcrits = 0, vcritd = 0, ag = 0;
  // resistances (conductances, m applied)
  double gd = 0, gs = 0, gg = 0, gi = 0, gf = 0;
};

struct ChannelOut {
  Dual id, capgs, capgd;
  // id = gch vds/h (1 + LAMBDA vds): gch and h, for AC's LAMBDA(f)
  Dual gch = constant(0.0);
  double h = 1.0;
};

ChannelOut cutoff(const MesaInst& p) { return {constant(0.0), constant(p.cf), constant(p.cf), constant(0.0), 1.0}; }

// The Meyer-like split of the channel capacitance cgc by vsate and vdse.
void gateCaps(const MesaInst& p, const Dual& cgc, const Dual& vsate, const Dual& vds, ChannelOut& out) {
  const Dual vdse = vds * pow(1.0 + pow(vds / vsate, p.mc), -1.0 / p.mc);
  const Dual den = 2.0 * vsate - vdse;
  const Dual a = (vsate - vdse) / den, b = vsate / den;
  out.capgs = p.cf + 2.0 / 3.0 * cgc * (1.0 - a * a);
  out.capgd = p.cf + 2.0 / 3.0 * cgc * (1.0 - b * b);
}

// Saturation of two currents in series: x y / (x + y).
Dual harmonic(const Dual& x, const Dual& y) { return x * y / (x + y); }

// Level 2: uniform doping.
ChannelOut level2(const MesaInst& p, const Dual& vgt, const Dual& vds, double lambda) {
  const double vt = p.vts, etavth = p.eta * vt, rt = p.rsi + p.rdi;
  const Dual mu = p.mu + p.theta * vgt;
  const Dual vl = p.vs / mu * p.L;
  const Dual beta = p.betaInst / (p.vpo + 3.0 * vl);
  const Dual u = vgt / vt - 1.0;
  const Dual vgte = 0.5 * vt * (2.0 + u + sqrt(p.deltaSqr + u * u));
  const Dual a = 2.0 * beta * vgte;
  const Dual b = exp(-vgt / etavth);
  const Dual sqrt1 = vgte.v > p.vpo ? constant(0.0) : sqrt(1.0 - vgte / p.vpo);
  const Dual ns = 1.0 / (1.0 / (p.nd * p.d * (1.0 - sqrt1)) + b / p.n0);
  if (ns.v < 1e-38) return cutoff(p);
  const Dual gchi = p.gchi0 * mu * ns;
  const Dual gch = gchi / (1.0 + gchi * rt);
  const Dual f = sqrt(1.0 + 2.0 * a * p.rsi);
  const Dual dd = 1.0 + a * p.rsi + f;
  const Dual e = 1.0 + p.tc * vgte;
  const Dual isata = a * vgte / (dd * e);
  const Dual isatb = p.isatb0 * mu * exp(vgt / etavth);
  const Dual vsate = harmonic(isata, isatb) / gch;
  const Dual m = p.m0 + p.alpha * vgte;
  const Dual h = pow(1.0 + pow(vds / vsate, m), 1.0 / m);
  ChannelOut out;
  out.id = gch * vds / h * (1.0 + lambda * vds);
  out.gch = gch;
  out.h = h.v;
  const Dual sq = vgt.v > p.vpo ? constant(0.0) : sqrt(1.0 - vgt / p.vpo);
  const Dual cgc = p.W * p.L * kEpsGaAs / (sq + b) / p.d;
  gateCaps(p, cgc, vsate, vds, out);
  return out;
}

// Level 3: a delta-doped layer over a uniformly doped one.
ChannelOut level3(const MesaInst& p, const Dual& vgt, const Dual& vds, double lambda) {
  const double vt = p.vts, etavth = p.eta * vt, rt = p.rsi + p.rdi;
  const Dual t = vgt / vt - 1.0;
  const Dual vgte = 0.5 * vt * (2.0 + t + sqrt(p.deltaSqr + t * t));
  const Dual a = 2.0 * p.betaModel * vgte;
  Dual nsa, ca;
  if (vgt.v > p.vpod) {
    if (vgte.v > p.vpo) {
      nsa = constant(p.ndelta * p.th + p.ndu * p.du);
      ca = constant(kEpsGaAs / p.du);
    } else {
      const Dual r = sqrt((p.vpo - vgte) / p.vpou);
      nsa = p.ndelta * p.th + p.ndu * p.du * (1.0 - r);
      ca = kEpsGaAs / p.du / r;
    }
  } else if (p.vpod - vgte.v < 0) {
    nsa = constant(p.ndelta * p.th * (1.0 - p.du / p.th));
    ca = constant(kEpsGaAs / p.du);
  } else {
    const Dual r = sqrt(1.0 + p.ndu / p.ndelta * (p.vpod - vgte) / p.vpou);
    nsa = p.ndelta * p.th * (1.0 - p.du / p.th * (r - 1.0));
    ca = kEpsGaAs / p.du / r;
  }
  const Dual b = exp(vgt / etavth);
  const Dual cb = kEpsGaAs / (p.du + p.th) * b;
  const Dual nsb = p.nsb0 * b;
  const Dual ns = harmonic(nsa, nsb);
  if (ns.v < 1e-38) return cutoff(p);
  const Dual gchi = p.gchi0 * ns;
  const Dual gch = gchi / (1.0 + gchi * rt);
  const Dual f = sqrt(1.0 + 2.0 * a * p.rsi);
  const Dual dd = 1.0 + a * p.rsi + f;
  const Dual e = 1.0 + p.tc * vgte;
  const Dual isata = a * vgte / dd / e;
  const Dual isatb = p.isatb0 * b;
  const Dual vsate = harmonic(isata, isatb) / gch;
  const Dual h = pow(1.0 + pow(vds / vsate, p.m0), 1.0 / p.m0);
  ChannelOut out;
  out.id = gch * vds / h * (1.0 + lambda * vds);
  out.gch = gch;
  out.h = h.v;
  gateCaps(p, p.W * p.L * ca * cb / (ca + cb), vsate, vds, out);
  return out;
}

// Level 4: the sheet charge saturating at NMAX, the current at IMAX.
ChannelOut level4(const MesaInst& p, const Dual& vgt, const Dual& vds, double lambda) {
  const double vt = p.vts, etavth = p.eta * vt, rt = p.rsi + p.rdi;
  const double vl = p.vs / p.mu * p.L;
  const Dual u = 0.5 * vgt / vt - 1.0;
  const Dual vgte = vt * (2.0 + u + sqrt(p.deltaSqr + u * u));
  const Dual b = exp(vgt / etavth);
  const Dual nsm = 2.0 * p.n0 * log(1.0 + 0.5 * b);
  if (nsm.v < 1e-38) return cutoff(p);
  const Dual c = pow(nsm / p.nmax, p.gamma);
  const Dual ns = nsm / pow(1.0 + c, 1.0 / p.gamma);
  const Dual gchi = p.gchi0 * ns;
  const Dual gch = gchi / (1.0 + gchi * rt);
  const Dual gchim = p.gchi0 * nsm;
  // ngspice takes RSI at the model value here and at temperature below
  const Dual h = sqrt(1.0 + 2.0 * gchim * p.rsiModel + vgte * vgte / (vl * vl));
  const Dual isatm = gchim * vgte / (1.0 + gchim * p.rsi + h);
  const Dual isat = isatm / pow(1.0 + pow(isatm / p.imax, p.gamma), 1.0 / p.gamma);
  const Dual vsate = isat / gch;
  const Dual e = pow(1.0 + pow(vds / vsate, p.m0), 1.0 / p.m0);
  ChannelOut out;
  out.id = gch * vds * (1.0 + lambda * vds) / e;
  out.gch = gch;
  out.h = e.v;
  const Dual cgcm = 1.0 / (p.d / (p.cas * p.epsi) + etavth / (p.cbs * semi::kQ * p.n0) * exp(-vgt / etavth));
  gateCaps(p, p.W * p.L * cgcm / pow(1.0 + c, 1.0 + 1.0 / p.gamma), vsate, vds, out);
  return out;
}

// The channel at the intrinsic voltages: current d' -> s' and the two
// capacitances, as duals in (vgs, vds, von); vds < 0 swaps drain and source.
ChannelOut channel(const MesaInst& p, double vgs, double vds, double von, double lambda) {
  const Dual Vgs{vgs, {1, 0, 0}}, Vds{vds, {0, 1, 0}}, Von{von, {0, 0, 1}};
  const bool inverse = vds < 0;
  const Dual vg = inverse ? Vgs - Vds : Vgs, vd = inverse ? -Vds : Vds;
  const Dual vgt0 = vg - Von;
  const Dual sigma = p.sigma0 / (1.0 + exp((vgt0 - p.vsigmat) / p.vsigma));
  const Dual vgt = vgt0 + sigma * vd;
  ChannelOut out = p.level == 2   ? level2(p, vgt, vd, lambda)
                   : p.level == 3 ? level3(p, vgt, vd, lambda)
                                  : level4(p, vgt, vd, lambda);
  if (inverse) {
    out.id = -out.id;
    std::swap(out.capgs, out.capgd);
  }
  return out;
}

// One gate diode: current and conductance at v (gmin included).
struct Junction {
  double i, g;
};
Junction gateDiode(double v, double csat, double vte, double vt, double ggrwl, double del, double gmin) {
  double de = 0.0;
  const double ev = semi::safeExp(v / vte, &de);
  const double arg = -v * del / vt, earg = std::exp(arg);
  // (ngspice 39 loads GGR's slope as earg (1 - arg), which is not the derivative)
  return {csat * (ev - 1.0) + ggrwl * v * earg + gmin * v, csat * de / vte + ggrwl * earg * (1.0 + arg) + gmin};
}

// The gate state a transient moves from: the two gate charges.
struct GateState {
  semi::MovedCharge gs, gd;
};

// Everything at local voltages V into s and q. With `from` (a transient step
// from an accepted point) q = q_acc + C (v - v_acc) with C at V; without,
// q = C v with C as the capacitance (DC, AC, the initial point).
// dLambda: AC's LAMBDA(f) - LAMBDA, which (as in ngspice) moves only the
// explicit factor (1 + LAMBDA vds) in the slopes: gm by dLambda vds^2/h
// dgch/dvgs, gds by 2 dLambda vds gch/h (normal mode). Returns the gate state at V.
GateState evaluate(const MesaInst& p, const double* V, double gmin, Stamp& s, double* q, const GateState* from,
                   double dLambda = 0.0) {
  if (p.gd > 0) s.conductance(D, DP, p.gd, V);
  if (p.gs > 0) s.conductance(S, SP, p.gs, V);
  if (p.gg > 0) s.conductance(G, GP, p.gg, V);
  if (p.gi > 0) s.conductance(SP, SPP, p.gi, V);
  if (p.gf > 0) s.conductance(DP, DPP, p.gf, V);
  const double m = p.mult;
  const double vgs = V[GP] - V[SP], vgd = V[GP] - V[DP], vds = vgs - vgd;
  const Junction js = gateDiode(vgs, p.csatfs, p.vtes, p.vts, p.ggrwl, p.del, gmin);
  const Junction jd = gateDiode(vgd, p.csatfd, p.vted, p.vtd, p.ggrwl, p.del, gmin);
  s.current(GP, SP, m * js.i);
  s.slope(GP, SP, GP, SP, m * js.g);
  s.current(GP, DP, m * jd.i);
  s.slope(GP, DP, GP, DP, m * jd.g);
  if (p.ag != 0) {  // the gate current correction, from s' to d'
    s.current(SP, DP, m * p.ag * (js.i - jd.i));
    s.slope(SP, DP, GP, SP, m * p.ag * js.g);
    s.slope(SP, DP, GP, DP, -m * p.ag * jd.g);
  }
  const double von = p.vto + p.ks * (V[SP] - V[GND] - p.vsg);
  const ChannelOut ch = channel(p, vgs, vds, von, p.lambda);
  s.current(DP, SP, m * ch.id.v);
  s.slope(DP, SP, GP, SP, m * ch.id.d[0]);
  s.slope(DP, SP, DP, SP, m * ch.id.d[1]);
  if (dLambda != 0 && vds > 0) {
    s.slope(DP, SP, GP, SP, m * dLambda * vds * vds / ch.h * ch.gch.d[0]);
    s.slope(DP, SP, DP, SP, m * dLambda * 2.0 * vds * ch.gch.v / ch.h);
  }
  if (p.ks != 0) s.slope(DP, SP, SP, GND, m * p.ks * ch.id.d[2]);
  // the charges' variables: vgs, vds and (through von) V(s') - V(ground)
  static constexpr int kVarPairs[3][2] = {{GP, SP}, {DP, SP}, {SP, GND}};
  const auto scaled = [&](const Dual& c) {
    Dual r = m * c;
    r.d[2] *= p.ks;
    return r;
  };
  GateState out;
  out.gs = semi::movedCharge(s, 0, GP, SPP, V, scaled(ch.capgs), kVarPairs, from ? &from->gs : nullptr);
  out.gd = semi::movedCharge(s, 1, GP, DPP, V, scaled(ch.capgd), kVarPairs, from ? &from->gd : nullptr);
  q[0] = out.gs.q;
  q[1] = out.gd.q;
  return out;
}

class Mesas final : public gatefet::Frame<Mesas, Layout, MesaInst, GateState> {
 public:
  // threaded loads: one evaluation costs about 7 level-1 MOSFET evaluations (--stats of the bench circuits, docs/performance.md)
  static constexpr std::size_t kLoadWeight = 7;
  using Frame::Frame;
  // currents into the drain, gate and source terminals
  static constexpr semi::TerminalCurrent kCurrents[] = {{"cd", D, DP, DPP}, {"cg", G, GP}, {"is", S, SP, SPP}};
  static constexpr const char* kInternalNodes[] = {"drain", "source", "gate", "gs", "gd"};

  Status setupInstance(SetupContext& ctx, const ir::Device& d, std::size_t i) {
    const ir::Options& o = ctx.options();
    gmin_ = o.gmin;
    const ir::Model* mod = ctx.model(d);
    if (!mod) return deviceError(d, "MESA '" + d.name + "' needs an nmf model");
    if (auto s = checkInstance(d); !s) return s;
    if (auto s = checkModel(*mod); !s) return s;
    const ParamValues P = values(d, mod);
    if (auto s = setupParams(d, *mod, P, o, p_[i]); !s) return s;
    off_[i] = P.hasInst("off");
    return {};
  }

  double polarity(std::size_t) const { return 1.0; }

  static GateState model(const MesaInst& p, const double* V, double gmin, Stamp& s, double* q, const GateState* from) {
    return evaluate(p, V, gmin, s, q, from);
  }
  // each end with its own N vt and critical voltage
  static bool limitGate(const MesaInst& p, double& vgs, double& vgd, double vgsOld, double vgdOld, bool init, bool off) {
    return semi::gateJunctionLimit(vgs, vgd, vgsOld, vgdOld, p.vtes, p.vcrits, p.vted, p.vcritd, p.vto, init, off);
  }

  // Small signal: the operating point's G and C, except that an instance with
  // DELFO != 0 takes its output conductance with LAMBDA(f).
  void acLoad(AcContext& c) override {
    const double f = c.omega / (2.0 * std::numbers::pi);
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const MesaInst& p = p_[i];
      if (p.delf == 0) {
        semi::scatterAc(c, pat_[i], &opG_[i * kE], &opC_[i * kE]);
        continue;
      }
      const double lambda = p.lambda + 0.5 * (p.lambdahf - p.lambda) * (1.0 + std::tanh((f - p.fl) / p.delf));
      double V[kN], q[kStates];
      for (int k = 0; k < kN; ++k) V[k] = c.xop[nodes_[i][k]];
      Stamp s;
      evaluate(p, V, gmin_, s, q, nullptr, lambda - p.lambda);
      semi::scatterAc(c, pat_[i], s.G, s.C);
    }
  }

 private:
  static Status setupParams(const ir::Device& d, const ir::Model& m, const ParamValues& P, const ir::Options& o,
                            MesaInst& p) {
    const auto bad = [&](const std::string& what) { return deviceError(d, "MESA '" + d.name + "': " + what); };
    if (m.type != "nmf")
      return bad("MESA (Z levels 2-4) is n-channel only: use an nmf model (ngspice 39 reads pmf as nmf)");
    p.level = int(P.model("level"));
    p.mult = P.inst("m");
    p.L = P.inst("l");
    p.W = P.inst("w");
    if (!(p.mult > 0)) return bad("m must be positive");
    if (!(p.L > 0) || !(p.W > 0)) return bad("L and W must be positive");
    const double tnom = o.tnom + kCtoK, tckt = o.temp + kCtoK + P.inst("dtemp");
    const double ts = P.hasInst("ts") ? P.inst("ts") + kCtoK : tckt;
    const double td = P.hasInst("td") ? P.inst("td") + kCtoK : tckt;
    if (!(ts > 0) || !(td > 0)) return bad("TS and TD must be above absolute zero");
    p.vts = semi::thermalVoltage(ts);
    p.vtd = semi::thermalVoltage(td);
    const double n = P.model("n");
    if (!(n > 0)) return bad("N must be positive");
    p.vtes = n * p.vts;
    p.vted = n * p.vtd;
    p.vto = P.model("vto") - P.model("tvto") * (ts - tnom);
    p.ks = P.model("ks");
    p.vsg = P.model("vsg");
    // model quantities
    p.d = P.model("d");
    p.du = P.model("du");
    p.nd = P.model("nd");
    p.ndu = P.model("ndu");
    p.th = P.model("th");
    p.ndelta = P.model("ndelta");
    p.vs = P.model("vs");
    p.epsi = P.model("epsi");
    p.cas = P.model("cas");
    p.cbs = P.model("cbs");
    p.nmax = P.model("nmax");
    p.gamma = P.model("gamma");
    p.m0 = P.model("m");
    p.mc = P.model("mc");
    p.alpha = P.model("alpha");
    p.tc = P.model("tc");
    p.theta = P.model("theta");
    p.sigma0 = P.model("sigma0");
    p.vsigmat = P.model("vsigmat");
    p.vsigma = P.model("vsigma");
    p.deltaSqr = P.model("delta") * P.model("delta");
    p.betaModel = P.model("beta");
    if (!(p.d > 0) || !(p.du > 0) || !(p.th > 0)) return bad("D, DU and TH must be positive");
    if (!(p.vs > 0)) return bad("VS must be positive");
    if (p.vsigma == 0) return bad("VSIGMA must not be zero");
    if (!(p.mc > 0) || !(p.m0 > 0)) return bad("M and MC must be positive");
    if (p.level == 2 && !(p.nd > 0)) return bad("ND must be positive");
    if (p.level == 3 && (!(p.ndu > 0) || !(p.ndelta > 0))) return bad("NDU and NDELTA must be positive");
    if (p.level == 4 && (!(p.nmax > 0) || !(p.gamma > 0) || !(p.epsi > 0) || p.cas == 0 || p.cbs == 0))
      return bad("NMAX, GAMMA and EPSI must be positive, CAS and CBS not zero");
    if (p.level == 2) {
      p.vpo = semi::kQ * p.nd * p.d * p.d / 2.0 / kEpsGaAs;
    } else {
      p.vpou = semi::kQ * p.ndu * p.du * p.du / 2.0 / kEpsGaAs;
      p.vpod = semi::kQ * p.ndelta * p.th * (2.0 * p.du + p.th) / 2.0 / kEpsGaAs;
      p.vpo = p.vpou + p.vpod;
    }
    // temperature
    const double mu = P.model("mu"), tmu = P.model("tmu") + kCtoK;
    const double muimp = mu * std::pow(ts / tmu, P.model("xtm0"));
    const double mu1 = P.model("mu1"), mu2 = P.model("mu2");
    if (mu1 == 0 && mu2 == 0) {
      p.mu = muimp;
    } else {
      const double mupo = mu1 * std::pow(tmu / ts, P.model("xtm1")) + mu2 * std::pow(tmu / ts, P.model("xtm2"));
      p.mu = 1.0 / (1.0 / muimp + 1.0 / mupo);
    }
    if (!(p.mu > 0)) return bad("the mobility MU (at TS) must be positive");
    const double kInf = std::numeric_limits<double>::max();
    const double tlambda = P.hasModel("tlambda") ? P.model("tlambda") + kCtoK : kInf;
    const double teta0 = P.hasModel("teta0") ? P.model("teta0") + kCtoK : kInf;
    const double teta1 = P.hasModel("teta1") ? P.model("teta1") + kCtoK : 0.0;  // (ngspice adds 273.15 here too)
    p.eta = P.model("eta") * (1.0 + ts / teta0) + teta1 / ts;
    if (!(p.eta > 0)) return bad("ETA (at TS) must be positive");
    const double lambda = P.model("lambda");
    const double lambdahf = P.hasModel("lambdahf") ? P.model("lambdahf") : lambda;
    p.lambda = lambda * (1.0 - ts / tlambda);
    p.lambdahf = lambdahf * (1.0 - ts / tlambda);
    const double tf = P.hasModel("tf") ? P.model("tf") + kCtoK : o.temp + kCtoK;
    p.fl = P.model("flo") * std::exp(ts / tf);
    p.delf = P.model("delfo") * std::exp(ts / tf);
    p.imax = semi::kQ * p.nmax * p.vs * p.W;
    p.gchi0 = semi::kQ * p.W / p.L * (p.level == 2 ? 1.0 : p.mu);
    p.betaInst = 2.0 * kEpsGaAs * p.vs * P.model("zeta") * p.W / p.d;
    const double dd = p.level == 3 ? p.du : p.d;
    p.n0 = p.level == 4 ? p.epsi * p.eta * p.vts / 2.0 / semi::kQ / dd : kEpsGaAs * p.eta * p.vts / semi::kQ / dd;
    p.nsb0 = kEpsGaAs * p.eta * p.vts / semi::kQ / (p.du + p.th);
    p.isatb0 = semi::kQ * p.n0 * p.vts * p.W / p.L;
    p.cf = 0.5 * (p.level == 4 ? p.epsi : kEpsGaAs) * p.W;
    const double phib = (P.model("phib") - P.model("phib1") * (ts - tnom)) * semi::kQ;
    const double astar = P.model("astar");
    p.csatfs = 0.5 * astar * ts * ts * std::exp(-phib / (semi::kBoltz * ts)) * p.L * p.W;
    p.csatfd = 0.5 * astar * td * td * std::exp(-phib / (semi::kBoltz * td)) * p.L * p.W;
    p.ggrwl = P.model("ggr") * p.L * p.W * std::exp(P.model("xchi") * (ts - tnom));
    p.del = P.model("del");
    p.vcrits = p.csatfs > 0 ? p.vts * std::log(p.vts / (semi::kSqrt2 * p.csatfs)) : kInf;
    p.vcritd = p.csatfd > 0 ? p.vtd * std::log(p.vtd / (semi::kSqrt2 * p.csatfd)) : kInf;
    p.ag = P.model("ag");
    const double tc1 = P.model("rtc1"), tc2 = P.model("rtc2");
    const auto atTemp = [&](double r, double t) { return r * (1.0 + tc1 * (t - tnom) + tc2 * (t - tnom) * (t - tnom)); };
    p.rsiModel = P.model("rsi");
    p.rdi = atTemp(P.model("rdi"), td);
    p.rsi = atTemp(p.rsiModel, ts);
    const double rd = atTemp(P.model("rd"), td), rs = atTemp(P.model("rs"), ts), rg = atTemp(P.model("rg"), ts);
    const double ri = atTemp(P.model("ri"), ts), rf = atTemp(P.model("rf"), td);
    for (double r : {P.model("rd"), P.model("rs"), P.model("rg"), P.model("ri"), P.model("rf"), P.model("rdi"),
                     P.model("rsi")})
      if (r < 0) return bad("RD, RS, RG, RI, RF, RDI and RSI must not be negative");
    const auto cond = [&](double r) { return r != 0 ? p.mult / r : 0.0; };
    if ((P.model("rd") != 0 && !(rd > 0)) || (P.model("rs") != 0 && !(rs > 0)) || (P.model("rg") != 0 && !(rg > 0)) ||
        (P.model("ri") != 0 && !(ri > 0)) || (P.model("rf") != 0 && !(rf > 0)))
      return bad("a resistance is not positive at the device temperature (RTC1, RTC2)");
    p.gd = cond(rd);
    p.gs = cond(rs);
    p.gg = cond(rg);
    p.gi = cond(ri);
    p.gf = cond(rf);
    return {};
  }

  double gmin_ = 1e-12;  // for the AC re-evaluation with LAMBDA(f)
};

constexpr const char* kTypes[] = {"nmf@2", "nmf@3", "nmf@4", "pmf@2", "pmf@3", "pmf@4"};
constexpr ParamSpec kParams[] = {
    iparam("l", 1e-6, "m", "gate length"),
    iparam("w", 20e-6, "m", "gate width"),
    iparam("m", 1.0, "", "parallel copies"),
    flagParam("off", "start the operating point with the device off"),
    iparam("icvds", kNoDefault, "V", "initial d-s voltage (uic): accepted and ignored").shown("—"),
    iparam("icvgs", kNoDefault, "V", "initial g-s voltage (uic): accepted and ignored").shown("—"),
    iparam("ts", kNoDefault, "°C", "source-end temperature").shown(".options temp + dtemp"),
    iparam("td", kNoDefault, "°C", "drain-end temperature").shown(".options temp + dtemp"),
    kDtempParam,
    mparam("level", 2.0, "", "2 (uniform doping), 3 (delta-doped layer), 4 (saturating sheet charge)"),
    mparam("vto", -1.26, "V", "threshold voltage").aka("vt0"),
    mparam("tvto", 0.0, "V/°C", "VTO temperature coefficient (VTO - TVTO·(ts - tnom))").aka("alphat"),
    mparam("lambda", 0.045, "1/V", "output conductance parameter"),
    mparam("lambdahf", kNoDefault, "1/V", "output conductance at high frequency (AC, with DELFO)").shown("LAMBDA"),
    mparam("tlambda", kNoDefault, "°C", "LAMBDA temperature scale (LAMBDA·(1 - ts/TLAMBDA))").shown("∞"),
    mparam("beta", 0.0085, "", "level 3: saturation current parameter"),
    mparam("vs", 1.5e5, "m/s", "saturation velocity"),
    mparam("mu", 0.23, "m²/Vs", "low-field mobility"),
    mparam("theta", 0.0, "m²/V²s", "level 2: mobility variation with vgt"),
    mparam("mu1", 0.0, "m²/Vs", "second mobility parameter (with MU2: Matthiessen's rule)"),
    mparam("mu2", 0.0, "m²/Vs", "third mobility parameter"),
    mparam("tmu", 27.0, "°C", "reference temperature of the mobilities"),
    mparam("xtm0", 0.0, "", "MU temperature exponent"),
    mparam("xtm1", 0.0, "", "MU1 temperature exponent"),
    mparam("xtm2", 0.0, "", "MU2 temperature exponent"),
    mparam("d", 0.12e-6, "m", "depth of the channel layer (levels 2, 4)"),
    mparam("nd", 2e23, "1/m³", "level 2: channel doping"),
    mparam("du", 0.035e-6, "m", "level 3: depth of the uniformly doped layer"),
    mparam("ndu", 1e22, "1/m³", "level 3: doping of the uniform layer"),
    mparam("th", 0.01e-6, "m", "level 3: thickness of the delta-doped layer"),
    mparam("ndelta", 6e24, "1/m³", "level 3: doping of the delta-doped layer"),
    mparam("delta", 5.0, "", "smoothing of the effective gate voltage"),
    mparam("tc", 0.0, "1/V", "levels 2, 3: transconductance compression"),
    mparam("eta", 1.73, "", "subthreshold ideality factor"),
    mparam("teta0", kNoDefault, "°C", "first ETA temperature parameter (ETA·(1 + ts/TETA0))").shown("∞"),
    mparam("teta1", kNoDefault, "°C", "second ETA temperature parameter (+ TETA1/ts; ngspice adds 273.15)").shown("0"),
    mparam("m", 2.5, "", "knee shape parameter"),
    mparam("mc", 3.0, "", "knee shape parameter of the capacitances"),
    mparam("alpha", 0.0, "", "level 2: knee shape variation with vgte"),
    mparam("sigma0", 0.081, "", "drain-induced threshold shift"),
    mparam("vsigmat", 1.01, "V", "gate voltage where SIGMA0 halves"),
    mparam("vsigma", 0.1, "V", "width of that transition"),
    mparam("zeta", 1.0, "", "level 2: saturation current factor"),
    mparam("nmax", 2e16, "1/m²", "level 4: maximum sheet charge"),
    mparam("gamma", 3.0, "", "level 4: saturation exponent of the sheet charge and current"),
    mparam("epsi", 12.244 * 8.85418e-12, "F/m", "level 4: permittivity of the barrier"),
    mparam("cas", 1.0, "", "level 4: capacitance factor of the barrier"),
    mparam("cbs", 1.0, "", "level 4: capacitance factor of the channel"),
    mparam("rd", 0.0, "Ω", "drain resistance (an internal node when > 0)"),
    mparam("rs", 0.0, "Ω", "source resistance (an internal node when > 0)"),
    mparam("rg", 0.0, "Ω", "gate resistance (an internal node when > 0)"),
    mparam("ri", 0.0, "Ω", "resistance in series with the gate-source charge"),
    mparam("rf", 0.0, "Ω", "resistance in series with the gate-drain charge"),
    mparam("rdi", 0.0, "Ω", "intrinsic drain resistance (in the channel equations)"),
    mparam("rsi", 0.0, "Ω", "intrinsic source resistance (in the channel equations)"),
    mparam("rtc1", 0.0, "1/°C", "first-order temperature coefficient of the resistances"),
    mparam("rtc2", 0.0, "1/°C²", "second-order temperature coefficient of the resistances"),
    mparam("phib", 0.5, "eV", "Schottky barrier height"),
    mparam("phib1", 0.0, "eV/°C", "PHIB temperature coefficient").aka("tphib"),
    mparam("astar", 4e4, "A/m²K²", "effective Richardson constant (0: no forward gate current)"),
    mparam("ggr", 40.0, "S/m²", "reverse gate conductance per area"),
    mparam("del", 0.04, "", "reverse gate conductance voltage factor"),
    mparam("xchi", 0.033, "1/°C", "GGR temperature coefficient").aka("tggr"),
    mparam("n", 1.0, "", "gate diode emission coefficient"),
    mparam("ks", 0.0, "", "sidegating coefficient (von + KS·(V(s') - VSG))"),
    mparam("vsg", 0.0, "V", "sidegating voltage"),
    mparam("tf", kNoDefault, "°C", "characteristic temperature of the traps (FL, DELF)").shown(".options temp"),
    mparam("flo", 0.0, "Hz", "AC: centre frequency of the LAMBDA transition"),
    mparam("delfo", 0.0, "Hz", "AC: width of the LAMBDA transition (0: LAMBDA at every frequency)"),
    mparam("ag", 0.0, "", "gate current correction from source to drain, AG·(Igs - Igd)"),
};

}  // namespace

extern const DeviceKind kMesaKind;
constexpr DeviceKind kMesaKind{
    .letter = 'z', .name = "MESA", .form = CardForm::ModelCard, .minNodes = 3, .maxNodes = 3,
    .modelTypes = kTypes, .params = kParams,
    .valueDoc = "Zname d g s model [l=] [w=] [m=] [ts=] [td=] [dtemp=] [off] (a .model nmf with LEVEL=2, 3 or 4)",
    .create = makeGroup<Mesas, kMesaKind>};

}  // namespace simcore::dev
