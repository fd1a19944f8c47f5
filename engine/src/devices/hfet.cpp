// Z with a model of LEVEL 5 (HFET1) or 6 (HFET2): the heterostructure FET
// models of ngspice 39 (Ytterdal et al.; ngspice's `hfet1` and `hfet2`),
// `Z d g s model [l=] [w=] [m=] [temp=] [dtemp=] [off] [icvds=] [icvgs=]`
// with NHFET or PHFET models (NMF and PMF of those levels are the same, as in
// ngspice; the polarity comes from the model type, or the NHFET / PHFET flags).
//
// Channel (both levels; vgs, vds at the intrinsic g', s', d'; vds < 0: drain
// and source swap), with vt = k T/q at the device temperature T:
//   sigma = SIGMA0/(1 + s), s = exp((vgs - VTO(T) - VSIGMAT)/VSIGMA),
//   vgt = vgs - VTO(T) + sigma vds,
//   vgte = vt (2 + u + sqrt(DELTA^2 + u^2)), u = vgt/(2 vt) - 1,
//   nsm = 2 n0 ln(1 + exp(vgt/(ETA vt))/2), n0 = EPSI ETA vt/(2 q (DI + DELTAD));
//   with both ETA2 and D2 given, nsm is that in series with
//   n02 exp((vgt + VTO(T) - VT2)/(ETA2 vt)), n02 = EPSI ETA2 vt/(2 q D2);
//   ns = nsm/(1 + (nsm/NMAX)^GAMMA)^(1/GAMMA) (level 6: NMAX(T)),
//   gch = gchi/(1 + gchi (RSI + RDI)), gchi = q W MU(T)/L ns,
//   isatm = gchim vgte/(1 + gchim RSI + sqrt(1 + 2 gchim RSI + (vgte/vl)^2)),
//   gchim = q W MU(T)/L nsm, vl = VS L/MU(T),
//   isat = isatm/(1 + (isatm/IMAX)^GAMMA)^(1/GAMMA), IMAX = q NMAX VS W,
//   vsate = isat/gch,
//   id = gch vds (1 + LAMBDA(T) vds)/(1 + (vds/vsate)^M)^(1/M).
// Gate capacitances (from the same quantities):
//   cgc = W L (q dns/dvgs + 1/(D1/EPSI + ETA1 vt exp(-(vgs - VT1)/(ETA1 vt)))),
//   vdse = vds (1 + (vds/vsate)^MC)^(-1/MC), p = P + (1 - P) exp(-vds/vsate),
//   Cgs = CF + 4/3 cgc (1 - ((vsate - vdse)/(2 vsate - vdse))^2)/(1 + p),
//   Cgd = CF + 4/3 p cgc (1 - (vsate/(2 vsate - vdse))^2)/(1 + p)
//   (level 5: CF = EPSI W/2; level 6: the model's CF).
// Gate currents, level 5 GATEMOD = 0: each side a leaky diode pair in series
// with RGS (RGD), ngspice's approximate solution of
//   v = R i + M1 vt ln(i/IS1 + 1) + M2 vt ln(i/IS2 + 1), IS1 = JS1 W L/2, IS2 = JS2 W L/2,
// plus GGR W L/2 v exp(-DEL v/vt). GATEMOD != 0: thermionic emission over
// PHIB, the drain side at an electron temperature raised by TALPHA vdse^2
// (vdse with CK1, CK2, CM1, CM2, MT1, MT2), the source side with M2S, gmin
// included; A1 and A2 add A1 ((1 + A2 vgte vdse) Igd - Igs) to the channel.
// Level 6: JS W L/2 (exp(v/(N vt)) - 1) + GGR W L/2 v exp(-DEL v/vt) per side.
// Charges: qgs (g' to s''), qgd (g' to d'') move as ngspice moves them (over a
// transient step from the accepted point by Cgs (vgs'' - vgs''_accepted), Cgs
// at the new point), level 5 CDS between d' and s'. The Jacobian is exact: the
// model runs on forward-mode dual numbers in (vgs, vds), so the slopes are the
// derivatives of the values, the capacitances' own derivatives included in the
// transient charges.
// In AC, level 5 with KAPPA given and DELF != 0 scales the output conductance
// by 1 + KAPPA (1 + tanh((f - FGDS')/DELF'))/2, FGDS' = FGDS exp(T/TF),
// DELF' = DELF exp(T/TF), as ngspice.
// Temperature (both levels): LAMBDA + KLAMBDA (T - Tnom), MU - KMU (T - Tnom),
// VTO - KVTO (T - Tnom), level 6 NMAX - KNMAX (T - Tnom); vt at T.
// Resistances: RD, RS (both levels), RG, RI (s' to s'', in series with Cgs),
// RF (d' to d'', in series with Cgd) (level 5); RSI, RDI in the channel
// equations. m multiplies the whole device. No noise: ngspice 39 has none for
// these levels.
// Local terminals: D G S, the intrinsic D' G' S', S'' (RI), D'' (RF); a
// terminal without its resistance is the node it would connect to.
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

enum : int { D = 0, G = 1, S = 2, DP = 3, GP = 4, SP = 5, SPP = 6, DPP = 7 };
struct Layout {
  static constexpr int terminals = 8;
  static constexpr bool mask[terminals][terminals] = {
      // D  G  S  D' G' S' S'' D''
      {1, 0, 0, 1, 0, 0, 0, 0},  // D    RD
      {0, 1, 0, 0, 1, 0, 0, 0},  // G    RG
      {0, 0, 1, 0, 0, 1, 0, 0},  // S    RS
      {1, 0, 0, 1, 1, 1, 1, 1},  // D'   channel, gate-drain current, CDS, RD, RF
      {0, 1, 0, 1, 1, 1, 1, 1},  // G'   gate currents, charges, RG
      {0, 0, 1, 1, 1, 1, 1, 1},  // S'   channel, gate-source current, CDS, RS, RI
      {0, 0, 0, 1, 1, 1, 1, 1},  // S''  qgs, RI
      {0, 0, 0, 1, 1, 1, 1, 1},  // D''  qgd, RF
  };
  static constexpr int states = 3;  // qgs (g' to s''), qgd (g' to d''), qds (d' to s')
  static constexpr int chargeFrom[states] = {GP, GP, DP};
  static constexpr int chargeTo[states] = {SPP, DPP, SP};
  static constexpr int series = 5;  // RD, RS, RG, RI, RF
  static constexpr gatefet::Terminals at = {D, G, S, DP, GP, SP, SPP, DPP};
};
constexpr int kStates = Layout::states;
using Stamp = semi::LocalStamp<Layout>;
using Lin = semi::Linearisation<Layout>;

constexpr double kCtoK = 273.15;
constexpr double kInf = std::numeric_limits<double>::max();

// forward-mode dual numbers in (vgs, vds) at the intrinsic nodes
using Dual = semi::Dual<2>;
constexpr int kVarPairs[2][2] = {{GP, SP}, {DP, SP}};
Dual constant(double v) { return Dual::constant(v); }

struct HfetInst {
  int level = 5;
  double sign = 1, mult = 1;
  double W = 0, L = 0, temp = 0, vt = 0;
  // channel
  double vto = 0, lambda = 0, nmax = 0, imax = 0, gchi0 = 0, vl = 0, n0 = 0, n02 = 0;
  double eta = 0, sigma0 = 0, vsigmat = 0, vsigma = 0, deltaSqr = 0, gamma = 0, m = 0, mc = 0;
  double rsi = 0, rt = 0, vt1 = 0, vt2 = 0, eta1 = 0, eta2 = 0, d1 = 0, epsi = 0, cf = 0, pm = 0;
  bool twoLayers = false;  // ETA2 and D2 given
  // level 5 gate currents
  int gatemod = 0;
  double is1s = 0, is2s = 0, is1d = 0, is2d = 0, m1s = 0, m2s = 0, m1d = 0, m2d = 0, rgs = 0, rgd = 0;
  double iso = 0, phib = 0, talpha = 0, mt1 = 0, mt2 = 0, ck1 = 0, ck2 = 0, cm1 = 0, cm2 = 0, cm3 = 0;
  double a1 = 0, a2 = 0, mv1 = 0;
  // level 6 gate currents
  double jslw = 0, nvt = 0;
  // both levels
  double ggrwl = 0, del = 0, cds = 0;
  double kappa = 0, fgds = 0, delf = 0;
  bool kappaGiven = false;
  double limVt = 0, vcrit = kInf;  // junction limiting (level 6: pnjlim, then fetlim)
  // resistances (conductances, m applied)
  double gd = 0, gs = 0, gg = 0, gi = 0, gf = 0;
};

// ngspice's closed-form approximation of the solution of
// u = ln(i) + i (the Lambert-like function behind its series-resistance diode).
Dual lambertish(const Dual& u) {
  constexpr double u0 = -2.303, a = 2.221, bb = 6.804, c = 1.685;
  const Dual expu = exp(u);
  Dual it;
  if (u.v <= u0) {
    it = expu * (1.0 - expu);
  } else {
    const Dual b = 0.5 * (u - u0);
    it = u + a * exp((u0 - u) / bb) - log(b + sqrt(b * b + 0.25 * c * c));
  }
  const Dual ut = it + log(it);
  const Dual b = u - ut;
  const Dual cc = 1.0 + it;
  return it * (1.0 + b / cc + 0.5 * b * b / cc / cc / cc);
}

// Level 5, GATEMOD = 0: a diode pair (IS1 M1, IS2 M2) in series with R, as
// ngspice approximates it: one correction from an interpolated current.
Dual leak(double gmin, double vt, const Dual& v, double r, double is1, double is2, double m1, double m2) {
  const double vt1 = vt * m1, vt2 = vt * m2;
  if (!(v.v > -10.0 * vt1)) return gmin * v - is1;
  const double vteff = vt1 + vt2;
  const double iseff = is2 * std::pow(is1 / is2, m1 / (m1 + m2));
  Dual i1, i2;
  if (r > 0) {
    i1 = vt1 * lambertish((v + r * is1) / vt1 + std::log(r * is1 / vt1)) / r - is1;
    i2 = vteff * lambertish((v + r * iseff) / vteff + std::log(r * iseff / vteff)) / r - iseff;
  } else {
    i1 = is1 * (exp(v / vt1) - 1.0);
    i2 = iseff * (exp(v / vteff) - 1.0);
  }
  const Dual ia = i1.v * i2.v != 0.0 ? 1.0 / (1.0 / i1 + 1.0 / i2) : 0.5 * (i1 + i2);
  const Dual dvdi0 = r + vt1 / (ia + is1) + vt2 / (ia + is2);
  const Dual v0 = r * ia + vt1 * log(ia / is1 + 1.0) + vt2 * log(ia / is2 + 1.0);
  return max(ia + (v - v0) / dvdi0, -is1) * 0.99999;
}

struct ChannelOut {
  Dual id, capgs, capgd;
  Dual vsate = constant(0.0), vgte = constant(0.0), sigma = constant(0.0);
};

// The channel in normal mode at (vg, vd), vd >= 0, as duals in the global (vgs, vds).
ChannelOut channel(const HfetInst& p, const Dual& vg, const Dual& vd) {
  ChannelOut out;
  const double vt = p.vt, etavth = p.eta * vt;
  const Dual vgt0 = vg - p.vto;
  const Dual s = exp((vgt0 - p.vsigmat) / p.vsigma);
  const Dual sigma = p.sigma0 / (1.0 + s);
  const Dual vgt = vgt0 + sigma * vd;
  const Dual u = 0.5 * vgt / vt - 1.0;
  const Dual t = sqrt(p.deltaSqr + u * u);
  const Dual vgte = vt * (2.0 + u + t);
  const Dual b = exp(vgt / etavth);
  out.vgte = vgte;
  out.sigma = sigma;
  const Dual nsn = 2.0 * p.n0 * log(1.0 + 0.5 * b);
  Dual nsm = nsn, nsc;
  if (p.twoLayers) {
    nsc = p.n02 * exp((vgt + p.vto - p.vt2) / (p.eta2 * vt));
    nsm = nsn * nsc / (nsn + nsc);
  }
  if (nsm.v < 1e-38) {
    out.id = constant(0.0);
    out.capgs = out.capgd = constant(p.cf);
    return out;
  }
  const Dual c = pow(nsm / p.nmax, p.gamma);
  const Dual ns = nsm / pow(1.0 + c, 1.0 / p.gamma);
  const Dual gchi = p.gchi0 * ns;
  const Dual gch = gchi / (1.0 + gchi * p.rt);
  const Dual gchim = p.gchi0 * nsm;
  const Dual h = sqrt(1.0 + 2.0 * gchim * p.rsi + vgte * vgte / (p.vl * p.vl));
  const Dual isatm = gchim * vgte / (1.0 + gchim * p.rsi + h);
  const Dual g = pow(isatm / p.imax, p.gamma);
  const Dual isat = isatm / pow(1.0 + g, 1.0 / p.gamma);
  const Dual vsate = isat / gch;
  out.vsate = vsate;
  out.id = gch * vd * (1.0 + p.lambda * vd) / pow(1.0 + pow(vd / vsate, p.m), 1.0 / p.m);
  // dns/dvgs at fixed vds, written out as ngspice writes it (its own slope is
  // then part of the capacitances' derivatives)
  const Dual dnsdnsm = ns / nsm * (1.0 - c / (1.0 + c));
  Dual dnsmdvgt = p.n0 / etavth / (1.0 / b + 0.5);
  if (p.twoLayers) dnsmdvgt = nsc * (nsc * dnsmdvgt + nsn * nsn / (p.eta2 * vt)) / ((nsc + nsn) * (nsc + nsn));
  const Dual dvgtdvgs = 1.0 - vd * p.sigma0 / p.vsigma * s / ((1.0 + s) * (1.0 + s));
  const double e1vt = p.eta1 * vt;
  const Dual cg1 = 1.0 / (p.d1 / p.epsi + e1vt * exp(-(vg - p.vt1) / e1vt));
  const Dual cgc = p.W * p.L * (semi::kQ * dnsdnsm * dnsmdvgt * dvgtdvgs + cg1);
  const Dual vdse = vd * pow(1.0 + pow(vd / vsate, p.mc), -1.0 / p.mc);
  const Dual den = 2.0 * vsate - vdse;
  const Dual a = (vsate - vdse) / den, a2 = vsate / den;
  const Dual pp = p.pm + (1.0 - p.pm) * exp(-vd / vsate);
  out.capgs = p.cf + 4.0 / 3.0 * cgc * (1.0 - a * a) / (1.0 + pp);
  out.capgd = p.cf + 4.0 / 3.0 * pp * cgc * (1.0 - a2 * a2) / (1.0 + pp);
  return out;
}

// vds/(1 + (vds/vmax)^k)^(1/k)
Dual saturated(const Dual& vd, const Dual& vmax, double k) { return vd / pow(1.0 + pow(vd / vmax, k), 1.0 / k); }

struct Currents {
  Dual id, igs, igd;  // d' -> s', g' -> s', g' -> d'
  Dual capgs, capgd;
};

// Everything of the intrinsic device at vgs, vds (global orientation).
Currents intrinsic(const HfetInst& p, double vgsv, double vdsv, double gmin) {
  const Dual vgs = Dual::variable(vgsv, 0), vds = Dual::variable(vdsv, 1);
  const Dual vgd = vgs - vds;
  const double vt = p.vt;
  Currents r;
  if (p.level == 6) {
    const auto side = [&](const Dual& v) {
      const Dual arg = -v * p.del / vt;
      return p.jslw * (exp(v / p.nvt) - 1.0) + p.ggrwl * v * exp(arg);
    };
    r.igs = side(vgs);
    r.igd = side(vgd);
  } else if (p.gatemod == 0) {
    const auto side = [&](const Dual& v, double rr, double is1, double is2, double m1, double m2) {
      Dual i = (is1 == 0 || is2 == 0) ? constant(0.0) : leak(gmin, vt, v, rr, is1, is2, m1, m2);
      return i + p.ggrwl * v * exp(-v * p.del / vt);
    };
    r.igs = side(vgs, p.rgs, p.is1s, p.is2s, p.m1s, p.m2s);
    r.igd = side(vgd, p.rgd, p.is1d, p.is2d, p.m1d, p.m2d);
  }
  const bool inverse = vdsv < 0;
  const Dual vg = inverse ? vgd : vgs, vd = inverse ? -vds : vds;
  const ChannelOut ch = channel(p, vg, vd);
  Dual id = ch.id;
  if (p.level == 5 && p.gatemod != 0) {
    // gate-drain current: thermionic at the electron temperature td
    const double kT = semi::kBoltz * p.temp;
    const double csat = p.iso * p.temp * p.temp * std::exp(-p.phib / kT);
    Dual vdse = constant(0.0), td = constant(p.temp);
    const Dual vkneet = p.ck1 * ch.vsate + p.ck2, vmax = p.cm1 * ch.vsate + p.cm2;
    if (vmax.v != 0 && vd.v != 0) {
      vdse = saturated(vd, vmax, p.mt2);
      const Dual c = pow(vdse / vkneet, p.mt1);
      td = p.temp + p.talpha * vdse * vdse / pow(1.0 + c, 1.0 / p.mt1);
    }
    const Dual e = semi::kKoverQ * td * p.m2d;
    r.igd = p.iso * td * td * exp(-p.phib / (semi::kBoltz * td)) * exp((vg - vdse) / e) - csat;
    // gate-source current
    const double vtn = vt * p.m2s;
    if (vg.v <= -5.0 * vt)
      r.igs = gmin * vg - csat;  // (ngspice loads -csat/vgs + gmin as its slope)
    else
      r.igs = csat * (exp(vg / vtn) - 1.0) + gmin * vg;
    if (p.a1 != 0 || p.a2 != 0) {
      const Dual vdse3 = saturated(vd, p.cm3 * ch.vsate, p.mv1);
      id = id + p.a1 * ((1.0 + p.a2 * ch.vgte * vdse3) * r.igd - r.igs);
    }
  }
  r.id = inverse ? -id : id;
  r.capgs = inverse ? ch.capgd : ch.capgs;
  r.capgd = inverse ? ch.capgs : ch.capgd;
  return r;
}

// The gate state a transient moves from.
struct GateState {
  semi::MovedCharge gs, gd, ds;
};

void stampDual(Stamp& s, int a, int b, const Dual& i, double m) {
  s.current(a, b, m * i.v);
  if (i.d[0] != 0) s.slope(a, b, GP, SP, m * i.d[0]);
  if (i.d[1] != 0) s.slope(a, b, DP, SP, m * i.d[1]);
}

// Everything at local voltages V into s and q (with `from`, a transient step
// from an accepted point; without, q = C v). gdsScale: AC's KAPPA factor on
// the output conductance. Returns the gate state at V.
GateState evaluate(const HfetInst& p, const double* V, double gmin, Stamp& s, double* q, const GateState* from,
                   double gdsScale = 1.0) {
  if (p.gd > 0) s.conductance(D, DP, p.gd, V);
  if (p.gs > 0) s.conductance(S, SP, p.gs, V);
  if (p.gg > 0) s.conductance(G, GP, p.gg, V);
  if (p.gi > 0) s.conductance(SP, SPP, p.gi, V);
  if (p.gf > 0) s.conductance(DP, DPP, p.gf, V);
  const double m = p.mult;
  const double vgs = V[GP] - V[SP], vds = V[DP] - V[SP];
  Currents c = intrinsic(p, vgs, vds, gmin);
  c.id.d[1] *= gdsScale;
  stampDual(s, DP, SP, c.id, m);
  stampDual(s, GP, SP, c.igs, m);
  stampDual(s, GP, DP, c.igd, m);
  GateState out;
  out.gs = semi::movedCharge(s, 0, GP, SPP, V, m * c.capgs, kVarPairs, from ? &from->gs : nullptr);
  out.gd = semi::movedCharge(s, 1, GP, DPP, V, m * c.capgd, kVarPairs, from ? &from->gd : nullptr);
  out.ds = semi::movedCharge(s, 2, DP, SP, V, constant(m * p.cds), kVarPairs, from ? &from->ds : nullptr);
  q[0] = out.gs.q;
  q[1] = out.gd.q;
  q[2] = out.ds.q;
  return out;
}

class Hfets final : public gatefet::Frame<Hfets, Layout, HfetInst, GateState> {
 public:
  // threaded loads: one evaluation costs about 11 level-1 MOSFET evaluations (--stats of the bench circuits, docs/performance.md)
  static constexpr std::size_t kLoadWeight = 11;
  using Frame::Frame;
  // currents into the drain, gate and source terminals (ngspice's HFET names: cs, not MESA's is)
  static constexpr semi::TerminalCurrent kCurrents[] = {{"cd", D, DP, DPP}, {"cg", G, GP}, {"cs", S, SP, SPP}};
  static constexpr const char* kInternalNodes[] = {"drain", "source", "gate", "gs", "gd"};

  Status setupInstance(SetupContext& ctx, const ir::Device& d, std::size_t i) {
    const ir::Options& o = ctx.options();
    gmin_ = o.gmin;
    const ir::Model* mod = ctx.model(d);
    if (!mod) return deviceError(d, "HFET '" + d.name + "' needs an nhfet or phfet model");
    if (auto s = checkInstance(d); !s) return s;
    if (auto s = checkModel(*mod); !s) return s;
    const ParamValues P = values(d, mod);
    if (auto s = setupParams(d, *mod, P, o, p_[i]); !s) return s;
    off_[i] = P.hasInst("off");
    return {};
  }

  double polarity(std::size_t i) const { return p_[i].sign; }

  static GateState model(const HfetInst& p, const double* V, double gmin, Stamp& s, double* q, const GateState* from) {
    return evaluate(p, V, gmin, s, q, from);
  }
  // level 5: fetlim only (vcrit infinite); level 6: pnjlim at 27 degC's vt, then fetlim
  static bool limitGate(const HfetInst& p, double& vgs, double& vgd, double vgsOld, double vgdOld, bool init, bool off) {
    return semi::gateJunctionLimit(vgs, vgd, vgsOld, vgdOld, p.limVt, p.vcrit, p.vto, init, off);
  }

  // the gate currents conduct at DC
  bool gatePaths(std::size_t i) const {
    const HfetInst& p = p_[i];
    return p.level == 5 ? (p.gatemod != 0 || p.ggrwl != 0 || (p.is1s != 0 && p.is2s != 0) || (p.is1d != 0 && p.is2d != 0))
                        : (p.jslw != 0 || p.ggrwl != 0);
  }

  // Small signal: the operating point's G and C, except that a level-5
  // instance with KAPPA given and DELF != 0 scales its output conductance.
  void acLoad(AcContext& c) override {
    const double f = c.omega / (2.0 * std::numbers::pi);
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const HfetInst& p = p_[i];
      if (!p.kappaGiven || p.delf == 0) {
        semi::scatterAc(c, pat_[i], &opG_[i * kE], &opC_[i * kE]);
        continue;
      }
      const double scale = 1.0 + 0.5 * p.kappa * (1.0 + std::tanh((f - p.fgds) / p.delf));
      double V[kN], q[kStates];
      for (int k = 0; k < kN; ++k) V[k] = p.sign * c.xop[nodes_[i][k]];
      Stamp s;
      evaluate(p, V, gmin_, s, q, nullptr, scale);
      semi::scatterAc(c, pat_[i], s.G, s.C);
    }
  }

 private:
  static Status setupParams(const ir::Device& d, const ir::Model& m, const ParamValues& P, const ir::Options& o,
                            HfetInst& p) {
    const std::string what = P.model("level") == 6 ? "HFET2" : "HFET1";
    const auto bad = [&](const std::string& msg) { return deviceError(d, what + " '" + d.name + "': " + msg); };
    p.level = int(P.model("level"));
    const bool level5 = p.level == 5;
    // the polarity: the model type, or the NHFET / PHFET flags
    int type = (m.type == "phfet" || m.type == "pmf") ? -1 : 1;
    if (P.hasModel("nhfet") && P.model("nhfet") != 0) type = 1;
    if (P.hasModel("phfet") && P.model("phfet") != 0) type = -1;
    p.sign = type;
    const bool nType = type > 0;
    p.mult = P.inst("m");
    p.L = P.inst("l");
    p.W = P.inst("w");
    if (!(p.mult > 0)) return bad("m must be positive");
    if (!(p.L > 0) || !(p.W > 0)) return bad("L and W must be positive");
    const double tnom = o.tnom + kCtoK;
    p.temp = P.hasInst("temp") ? P.inst("temp") + kCtoK : o.temp + kCtoK + P.inst("dtemp");
    if (!(p.temp > 0)) return bad("the device temperature must be above absolute zero");
    const double dt = p.temp - tnom;
    p.vt = semi::thermalVoltage(p.temp);
    const auto typed = [&](const char* name, double n, double pv) { return P.hasModel(name) ? P.model(name) : nType ? n : pv; };
    const double vto = P.hasModel("vto") ? P.model("vto") : nType ? 0.15 : -0.15;
    const double vtoTyped = level5 ? vto * type : vto;  // HFET1 keeps VTO times the type; HFET2 its own VTO
    p.eta = typed("eta", 1.28, 1.4);
    const double mu = typed("mu", 0.4, 0.03), vs = typed("vs", 1.5e5, 0.8e5);
    p.lambda = P.model("lambda") + P.model("klambda") * dt;
    const double tmu = mu - P.model("kmu") * dt;
    p.vto = type * vto - P.model("kvto") * dt;
    const double nmax = P.model("nmax");
    p.nmax = level5 ? nmax : nmax - P.model("knmax") * dt;
    p.epsi = P.model("epsi");
    const double di = P.model("di"), deltad = P.model("deltad");
    p.sigma0 = P.model("sigma0");
    p.vsigmat = P.model("vsigmat");
    p.vsigma = P.model("vsigma");
    p.deltaSqr = P.model("delta") * P.model("delta");
    p.gamma = P.model("gamma");
    p.m = P.model("m");
    p.mc = P.model("mc");
    p.pm = P.model("p");
    p.eta1 = P.model("eta1");
    p.eta2 = P.model("eta2");
    p.d1 = P.model("d1");
    const double d2 = P.model("d2");
    p.twoLayers = P.hasModel("eta2") && P.hasModel("d2");
    p.vt1 = P.hasModel("vt1") ? P.model("vt1") : vtoTyped + semi::kQ * nmax * di / p.epsi;
    p.vt2 = P.hasModel("vt2") ? P.model("vt2") : vtoTyped;
    if (!(p.epsi > 0)) return bad("EPSI must be positive");
    if (!(di + deltad > 0)) return bad("DI + DELTAD must be positive");
    if (!(p.eta > 0)) return bad("ETA must be positive");
    if (!(tmu > 0)) return bad("the mobility MU (at the device temperature, with KMU) must be positive");
    if (!(vs > 0)) return bad("VS must be positive");
    if (!(p.nmax > 0)) return bad("NMAX (at the device temperature, with KNMAX) must be positive");
    if (!(p.gamma > 0) || !(p.m > 0) || !(p.mc > 0)) return bad("GAMMA, M and MC must be positive");
    if (p.vsigma == 0) return bad("VSIGMA must not be zero");
    if (p.eta1 == 0 || p.d1 == 0) return bad("ETA1 and D1 must not be zero");
    if (p.twoLayers && (!(p.eta2 > 0) || !(d2 > 0))) return bad("ETA2 and D2 must be positive");
    p.n0 = p.epsi * p.eta * p.vt / 2.0 / semi::kQ / (di + deltad);
    p.n02 = p.twoLayers ? p.epsi * p.eta2 * p.vt / 2.0 / semi::kQ / d2 : 0.0;
    p.gchi0 = semi::kQ * p.W * tmu / p.L;
    p.imax = semi::kQ * p.nmax * vs * p.W;
    p.vl = vs / tmu * p.L;
    const double rsi = P.model("rsi"), rdi = P.model("rdi");
    if (rsi < 0 || rdi < 0) return bad("RSI and RDI must not be negative");
    p.rsi = rsi;
    p.rt = rsi + rdi;
    p.del = P.model("del");
    const double ggr = P.hasModel("ggr") ? P.model("ggr") : level5 ? 40.0 : 0.0;
    p.ggrwl = ggr * p.L * p.W / 2.0;
    const double wl2 = p.W * p.L / 2.0;
    if (level5) {
      p.cf = 0.5 * p.epsi * p.W;
      p.gatemod = int(P.model("gatemod"));
      p.is1s = P.model("js1s") * wl2;
      p.is2s = P.model("js2s") * wl2;
      p.is1d = P.model("js1d") * wl2;
      p.is2d = P.model("js2d") * wl2;
      p.m1s = P.model("m1s");
      p.m2s = P.model("m2s");
      p.m1d = P.model("m1d");
      p.m2d = P.model("m2d");
      p.rgs = P.model("rgs");
      p.rgd = P.model("rgd");
      if (p.gatemod == 0) {
        if (p.is1s < 0 || p.is2s < 0 || p.is1d < 0 || p.is2d < 0) return bad("JS1S, JS2S, JS1D and JS2D must not be negative");
        if (!(p.m1s > 0) || !(p.m2s > 0) || !(p.m1d > 0) || !(p.m2d > 0)) return bad("M1S, M2S, M1D and M2D must be positive");
        if (p.rgs < 0 || p.rgd < 0) return bad("RGS and RGD must not be negative");
      } else if (!(p.m2s > 0) || !(p.m2d > 0)) {
        return bad("M2S and M2D must be positive");
      }
      p.iso = P.model("astar") * wl2;
      p.phib = P.model("phib") * semi::kQ;
      p.talpha = P.model("talpha");
      p.mt1 = P.model("mt1");
      p.mt2 = P.model("mt2");
      p.ck1 = P.model("ck1");
      p.ck2 = P.model("ck2");
      p.cm1 = P.model("cm1");
      p.cm2 = P.model("cm2");
      p.cm3 = P.model("cm3");
      p.a1 = P.model("a1");
      p.a2 = P.model("a2");
      p.mv1 = P.model("mv1");
      if (p.gatemod != 0 && (!(p.mt1 > 0) || !(p.mt2 > 0) || !(p.mv1 > 0)))
        return bad("MT1, MT2 and MV1 must be positive");
      p.cds = P.model("cds");
      p.kappaGiven = P.hasModel("kappa");
      p.kappa = P.model("kappa");
      const double tf = P.hasModel("tf") ? P.model("tf") + kCtoK : o.temp + kCtoK;
      p.fgds = P.model("fgds") * std::exp(p.temp / tf);
      p.delf = P.model("delf") * std::exp(p.temp / tf);
      p.limVt = p.vt;  // fetlim only: no junction limit
      p.vcrit = kInf;
    } else {
      p.cf = P.model("cf");
      p.jslw = P.model("js") * wl2;
      const double n = P.model("n");
      if (!(n > 0)) return bad("N must be positive");
      p.nvt = n * p.vt;
      p.limVt = semi::thermalVoltage(semi::kRefTemp);
      p.vcrit = p.vt * std::log(p.vt / (semi::kSqrt2 * 1e-11));
    }
    const double rd = P.model("rd"), rs = P.model("rs"), rg = level5 ? P.model("rg") : 0.0;
    const double ri = level5 ? P.model("ri") : 0.0, rf = level5 ? P.model("rf") : 0.0;
    if (rd < 0 || rs < 0 || rg < 0 || ri < 0 || rf < 0) return bad("RD, RS, RG, RI and RF must not be negative");
    const auto cond = [&](double r) { return r != 0 ? p.mult / r : 0.0; };
    p.gd = cond(rd);
    p.gs = cond(rs);
    p.gg = cond(rg);
    p.gi = cond(ri);
    p.gf = cond(rf);
    return {};
  }

  double gmin_ = 1e-12;  // for the AC re-evaluation with KAPPA
};

constexpr const char* kTypes[] = {"nhfet@5", "nhfet@6", "phfet@5", "phfet@6", "nmf@5", "nmf@6", "pmf@5", "pmf@6"};
constexpr ParamSpec kParams[] = {
    iparam("l", 1e-6, "m", "gate length"),
    iparam("w", 20e-6, "m", "gate width"),
    iparam("m", 1.0, "", "parallel copies"),
    flagParam("off", "start the operating point with the device off"),
    iparam("icvds", kNoDefault, "V", "initial d-s voltage (uic): accepted and ignored").shown("—"),
    iparam("icvgs", kNoDefault, "V", "initial g-s voltage (uic): accepted and ignored").shown("—"),
    iparam("temp", kNoDefault, "°C", "device temperature").shown(".options temp + dtemp"),
    kDtempParam,
    mparam("level", 5.0, "", "5 (HFET1) or 6 (HFET2)"),
    mparam("vto", kNoDefault, "V", "threshold voltage").aka("vt0").shown("0.15 (n), -0.15 (p)"),
    mparam("lambda", 0.15, "1/V", "output conductance parameter"),
    mparam("klambda", 0.0, "1/V°C", "LAMBDA temperature coefficient (LAMBDA + KLAMBDA·(T - tnom))"),
    mparam("kmu", 0.0, "m²/Vs°C", "MU temperature coefficient (MU - KMU·(T - tnom))"),
    mparam("kvto", 0.0, "V/°C", "VTO temperature coefficient (VTO - KVTO·(T - tnom))"),
    mparam("knmax", 0.0, "1/m²°C", "level 6: NMAX temperature coefficient (NMAX - KNMAX·(T - tnom))").onlyLevel(6),
    mparam("rd", 0.0, "Ω", "drain resistance (an internal node when > 0)"),
    mparam("rs", 0.0, "Ω", "source resistance (an internal node when > 0)"),
    mparam("rg", 0.0, "Ω", "level 5: gate resistance (an internal node when > 0)").onlyLevel(5),
    mparam("rdi", 0.0, "Ω", "intrinsic drain resistance (in the channel equations)"),
    mparam("rsi", 0.0, "Ω", "intrinsic source resistance (in the channel equations)"),
    mparam("rgs", 90.0, "Ω", "level 5: series resistance of the gate-source leakage diodes").onlyLevel(5),
    mparam("rgd", 90.0, "Ω", "level 5: series resistance of the gate-drain leakage diodes").onlyLevel(5),
    mparam("ri", 0.0, "Ω", "level 5: resistance in series with the gate-source charge").onlyLevel(5),
    mparam("rf", 0.0, "Ω", "level 5: resistance in series with the gate-drain charge").onlyLevel(5),
    mparam("eta", kNoDefault, "", "subthreshold ideality factor").shown("1.28 (n), 1.4 (p)"),
    mparam("m", 3.0, "", "knee shape parameter"),
    mparam("mc", 3.0, "", "knee shape parameter of the capacitances"),
    mparam("gamma", 3.0, "", "saturation exponent of the sheet charge and current"),
    mparam("sigma0", 0.057, "", "drain-induced threshold shift"),
    mparam("vsigmat", 0.3, "V", "gate voltage where SIGMA0 halves"),
    mparam("vsigma", 0.1, "V", "width of that transition"),
    mparam("mu", kNoDefault, "m²/Vs", "low-field mobility").shown("0.4 (n), 0.03 (p)"),
    mparam("di", 0.04e-6, "m", "depth of the barrier"),
    mparam("delta", 3.0, "", "smoothing of the effective gate voltage"),
    mparam("vs", kNoDefault, "m/s", "saturation velocity").shown("1.5e5 (n), 0.8e5 (p)"),
    mparam("nmax", 2e16, "1/m²", "maximum sheet charge"),
    mparam("deltad", 4.5e-9, "m", "thickness correction of the channel"),
    mparam("epsi", 12.244 * 8.85418e-12, "F/m", "permittivity of the barrier"),
    mparam("p", 1.0, "", "split of the channel capacitance between source and drain"),
    mparam("eta1", 2.0, "", "ideality factor of the second (gate) charge layer"),
    mparam("d1", 0.03e-6, "m", "depth of the second charge layer"),
    mparam("vt1", kNoDefault, "V", "threshold of the second charge layer").shown("VTO + q·NMAX·DI/EPSI"),
    mparam("eta2", 2.0, "", "ideality factor of the third layer (in the sheet charge when ETA2 and D2 are given)"),
    mparam("d2", 0.2e-6, "m", "depth of the third layer"),
    mparam("vt2", kNoDefault, "V", "threshold of the third layer").shown("VTO"),
    mparam("ggr", kNoDefault, "S/m²", "reverse gate conductance per area").shown("40 (level 5), 0 (level 6)"),
    mparam("del", 0.04, "", "reverse gate conductance voltage factor"),
    mparam("gatemod", 0.0, "", "level 5: 0 leaky diode pairs, otherwise thermionic gate currents").onlyLevel(5),
    mparam("js1d", 1.0, "A/m²", "level 5: gate-drain saturation current density of the first diode").onlyLevel(5),
    mparam("js2d", 1.15e6, "A/m²", "level 5: gate-drain saturation current density of the second diode").onlyLevel(5),
    mparam("js1s", 1.0, "A/m²", "level 5: gate-source saturation current density of the first diode").onlyLevel(5),
    mparam("js2s", 1.15e6, "A/m²", "level 5: gate-source saturation current density of the second diode").onlyLevel(5),
    mparam("m1d", 1.32, "", "level 5: ideality factor of the first gate-drain diode").onlyLevel(5),
    mparam("m2d", 6.9, "", "level 5: ideality factor of the second gate-drain diode (GATEMOD: of the drain side)").onlyLevel(5),
    mparam("m1s", 1.32, "", "level 5: ideality factor of the first gate-source diode").onlyLevel(5),
    mparam("m2s", 6.9, "", "level 5: ideality factor of the second gate-source diode (GATEMOD: of the source side)").onlyLevel(5),
    mparam("astar", 4e4, "A/m²K²", "level 5, GATEMOD: effective Richardson constant").onlyLevel(5),
    mparam("phib", 0.5, "eV", "level 5, GATEMOD: barrier height").onlyLevel(5),
    mparam("talpha", 1200.0, "K/V²", "level 5, GATEMOD: electron heating by vdse²").onlyLevel(5),
    mparam("mt1", 3.5, "", "level 5, GATEMOD: knee shape of the electron temperature").onlyLevel(5),
    mparam("mt2", 9.9, "", "level 5, GATEMOD: knee shape of vdse").onlyLevel(5),
    mparam("ck1", 1.0, "", "level 5, GATEMOD: knee voltage per vsate").onlyLevel(5),
    mparam("ck2", 0.0, "V", "level 5, GATEMOD: knee voltage offset").onlyLevel(5),
    mparam("cm1", 3.0, "", "level 5, GATEMOD: vdse limit per vsate").onlyLevel(5),
    mparam("cm2", 0.0, "V", "level 5, GATEMOD: vdse limit offset").onlyLevel(5),
    mparam("cm3", 0.17, "", "level 5, GATEMOD: vdse limit per vsate of the correction current").onlyLevel(5),
    mparam("a1", 0.0, "", "level 5, GATEMOD: correction current factor").onlyLevel(5),
    mparam("a2", 0.0, "1/V²", "level 5, GATEMOD: correction current bias factor").onlyLevel(5),
    mparam("mv1", 3.0, "", "level 5, GATEMOD: knee shape of the correction current").onlyLevel(5),
    mparam("cds", 0.0, "F", "level 5: drain-source capacitance").onlyLevel(5),
    mparam("kappa", 0.0, "", "level 5, AC: output conductance increase at high frequency (with DELF)").onlyLevel(5),
    mparam("delf", 0.0, "Hz", "level 5, AC: width of that transition (0: none)").onlyLevel(5),
    mparam("fgds", 0.0, "Hz", "level 5, AC: centre frequency of that transition").onlyLevel(5),
    mparam("tf", kNoDefault, "°C", "level 5: characteristic temperature of FGDS and DELF").shown(".options temp").onlyLevel(5),
    mparam("cf", 0.0, "F", "level 6: fringing capacitance (level 5: EPSI·W/2)").onlyLevel(6),
    mparam("js", 0.0, "A/m²", "level 6: gate saturation current density").onlyLevel(6),
    mparam("n", 5.0, "", "level 6: gate diode emission coefficient").onlyLevel(6),
    modelFlag("nhfet", "n-type, whatever the model type (a bare word, or nhfet=1)"),
    modelFlag("phfet", "p-type, whatever the model type (a bare word, or phfet=1; with both, p-type)"),
};

}  // namespace

extern const DeviceKind kHfetKind;
constexpr DeviceKind kHfetKind{
    .letter = 'z', .name = "HFET", .form = CardForm::ModelCard, .minNodes = 3, .maxNodes = 3,
    .modelTypes = kTypes, .params = kParams,
    .valueDoc = "Zname d g s model [l=] [w=] [m=] [temp=] [dtemp=] [off] (a .model nhfet or phfet with LEVEL=5 or 6)",
    .create = makeGroup<Hfets, kHfetKind>};

}  // namespace simcore::dev
