// M with an nmos/pmos model of LEVEL=2: ngspice 39's MOS2 (Grove-Frohman), in the
// frame of every level (mos_frame.hpp). Drain current in the normal-mode frame:
//   Leff = L - 2*LD, beta = KP*m*W/Leff (KP from U0*Cox when not given, TOX 1e-7 m)
//   narrow channel: factor = DELTA*pi*eps_si/(4*Cox*W*m) (Cox the total W*L*m oxide
//   capacitance, times Leff), eta = 1 + factor, vbin = VBI + factor*(PHI - vbs)
//   short channel (XJ, with NSUB's depletion width XD): gammas = GAMMA*(1 - argss - argsd)
//   von = vbin + gammas*sqrt(PHI - vbs) (+ n*vt with NFS: weak inversion below von)
//   mobility U0*(UCRIT*eps_si/Cox'/(vgs - von))^UEXP when that is below 1
//   vdsat by Grove-Frohman with GAMMA/eta, or with VMAX by Baum's scattering-limited
//   quartic; channel-length modulation LAMBDA, else from NSUB (and VMAX with NEFF),
//   limited at punch-through
//   id = beta'*((vgs - vbin - eta*vdsx/2)*vdsx - 2/3*gammas*((PHI - vbs + vdsx)^1.5 -
//   (PHI - vbs)^1.5)), vdsx = min(vds, vdsat), beta' = beta*ufact/(1 - lambda*vds)
// as ngspice's mos2load, evaluated once on forward-mode numbers (mos_fwd.hpp): gm,
// gds and gmbs are ngspice's slopes, which are the current's derivatives but where its
// hand-written ones take others (with XJ, VMAX, NFS and below von: marked below).
#include <algorithm>
#include <cmath>

#include "devices/common.hpp"
#include "devices/mos_frame.hpp"
#include "devices/mos_fwd.hpp"

namespace simcore::dev {
namespace {

using D = mos::Fwd3;
using namespace mos::fwd;

struct Mos2Inst : mos::MosFrameInst {
  double beta = 0, gamma = 0, vbi = 0;  // vbi times the polarity
  double leff = 0, w = 0, mult = 1, oxideCap = 0, coxf = 0;
  double xd = 0, xj = 0, nfs = 0, delta = 0, ucrit = 0, uexp = 0, u0 = 0, vmax = 0, neff = 1, lambda = 0;
  double bulkPot = 0.8;  // PB at temperature
  bool nsub = false;
};

// Bulk-charge square root sqrt(phi - v), linearised for v > 0 as SPICE does.
D rootPhi(double phi, const D& v) {
  if (v.v <= 0) return sqrt(phi - v);
  const double sphi = std::sqrt(phi);
  return sphi / (1.0 + 0.5 * v / phi);
}

// Smallest positive root of Baum's quartic x^4 + a1 x^3 + b1 x^2 + c1 x + d1
// whose residual is below 1e-6 (ngspice's Ferrari solution); false when none.
bool baumRoot(const D& a1, const D& b1, const D& c1, const D& d1, D& xvalid) {
  const D a = -b1, b = a1 * c1 - 4.0 * d1, c = -d1 * (a1 * a1 - 4.0 * b1) - c1 * c1;
  const D r = -a * a / 3.0 + b, s = 2.0 * a * a * a / 27.0 - a * b / 3.0 + c;
  const D p = s * s / 4.0 + r * r * r / 27.0, p0 = fabs(p), p2 = sqrt(p0);
  D y3;
  if (p.v < 0) {
    const D ro = exp(log(sqrt(s * s / 4.0 + p0)) / 3.0);
    const D fi = atan(-2.0 * p2 / s);
    y3 = 2.0 * ro * cos(fi / 3.0) - a / 3.0;
  } else {
    const D p3 = exp(log(fabs(-s / 2.0 + p2)) / 3.0);
    const D p4 = exp(log(fabs(-s / 2.0 - p2)) / 3.0);
    y3 = p3 + p4 - a / 3.0;
  }
  const D a3 = sqrt(a1 * a1 / 4.0 - b1 + y3), b3 = sqrt(y3 * y3 / 4.0 - d1);
  constexpr double sig1[4] = {1.0, -1.0, 1.0, -1.0}, sig2[4] = {1.0, 1.0, -1.0, -1.0};
  bool found = false;
  for (int i = 0; i < 4; ++i) {
    const D a4 = a1 / 2.0 + sig1[i] * a3, b4 = y3 / 2.0 + sig2[i] * b3;
    const D delta4 = a4 * a4 / 4.0 - b4;
    if (delta4.v < 0) continue;
    const D t = sqrt(delta4);
    for (const D& x : {-a4 / 2.0 + t, -a4 / 2.0 - t}) {
      if (x.v <= 0) continue;
      const double xv = x.v;
      const double poly = xv * xv * xv * xv + a1.v * xv * xv * xv + b1.v * xv * xv + c1.v * xv + d1.v;
      if (std::fabs(poly) > 1.0e-6) continue;
      if (!found || xv < xvalid.v) xvalid = x;
      found = true;
    }
  }
  return found;
}

struct Ids2 {
  D id;
  double von, vdsat;
};

// Level-2 drain current (>= 0) in the normal-mode frame, with von and vdsat
// (ngspice's mos2load, its derivatives the number type's where ngspice's are exact, its
// own elsewhere). At vds <=
// 1e-10 the current is 0 and its vds slope that of the linear region at 0,
// as ngspice gives it.
Ids2 ids2(const Mos2Inst& p, const D& vgs, const D& vds, const D& vbs) {
  const D phiMinVbs = p.phi - vbs;
  const D sarg = rootPhi(p.phi, vbs);
  const D barg = rootPhi(p.phi, vbs - vds);
  const double leff = p.leff;
  const double factor = 0.125 * p.delta * 2.0 * M_PI * semi::kEpsSi / p.oxideCap * leff;
  const double eta = 1.0 + factor;
  const D vbin = p.vbi + factor * phiMinVbs;
  D gamasd = p.gamma;
  if (p.gamma > 0.0 || p.nsub) {
    const D xwd = p.xd * barg, xws = p.xd * sarg;
    D argss = 0.0, argsd = 0.0;
    if (p.xj > 0) {
      const double t = 2.0 / p.xj;
      const D args = sqrt(1.0 + xws * t), argd = sqrt(1.0 + xwd * t);
      const double h = 0.5 * p.xj / leff;
      argss = h * (args - 1.0);
      argsd = h * (argd - 1.0);
    }
    gamasd = p.gamma * (1.0 - argss - argsd);
  }
  D von = vbin + gamasd * sarg;
  D vdsat = 0.0, argg = 0.0;
  // ngspice's xn (NFS) with its slopes dxndvd, dxndvb, and its slopes of vdsat (dsdvgs,
  // dsdvbs): the weak-inversion slopes below are made of them
  struct {
    double v = 1, dvd = 0, dvb = 0;
  } xnNg;
  double dsdvgs = 0.0, dsdvbs = 0.0;
  const bool weak = p.nfs != 0.0 && p.oxideCap != 0.0;
  if (weak) {
    const double cfs = semi::kQ * p.nfs * 1e4;
    // d(von)/d(vbs) terms of ngspice's xn: -(gamasd*dsarg/dvbs + dgamma/dvbs*sarg) + factor
    const D dsrgdb = vbs.v <= 0 ? -0.5 / sarg : -0.5 * sarg * sarg / (p.phi * std::sqrt(p.phi));
    D dgddvb = 0.0;
    if ((p.gamma > 0.0 || p.nsub) && p.xj > 0) {
      const D dbrgdb = (vbs - vds).v <= 0 ? -0.5 / barg : -0.5 * barg * barg / (p.phi * std::sqrt(p.phi));
      const double t = 2.0 / p.xj;
      const D args = sqrt(1.0 + p.xd * sarg * t), argd = sqrt(1.0 + p.xd * barg * t);
      const double h = 0.5 / leff;
      dgddvb = -p.gamma * (h * p.xd * dsrgdb / args + h * p.xd * dbrgdb / argd);
    }
    const D cdonco = -(gamasd * dsrgdb + dgddvb * sarg) + factor;
    const D xn = 1.0 + cfs / p.oxideCap * p.mult * p.w * leff + cdonco;
    D t = p.vt * xn;
    // xn's slopes as ngspice's mos2load takes them in von's: dxndvb = 2 dgddvb dsrgdb +
    // gamasd d2sdb2 + dgddb2 sarg (about the exact slope's negative, with its own second
    // derivatives), dxndvd = dgdvds dsrgdb; with NFS its gmbs and weak-inversion slopes follow
    // them (gmbs 3 % apart with the exact ones)
    struct Root {
      double s, d1, d2;  // sqrt(phi - v) (or its continuation above 0) and its two slopes in v
    };
    auto root = [&](double v) {
      Root r;
      if (v <= 0.0) {
        r.s = std::sqrt(p.phi - v);
        r.d1 = -0.5 / r.s;
        r.d2 = 0.5 * r.d1 / (p.phi - v);
      } else {
        const double sphi = std::sqrt(p.phi), tmp = 1.0 / (p.phi * sphi);
        r.s = sphi / (1.0 + 0.5 * v / p.phi);
        r.d1 = -0.5 * r.s * r.s * tmp;
        r.d2 = -r.d1 * r.s * tmp;
      }
      return r;
    };
    const Root rs = root(vbs.v), rb = root(vbs.v - vds.v);
    double dgdb = 0.0, dgdb2 = 0.0, dgdvd = 0.0;
    if ((p.gamma > 0.0 || p.nsub) && p.xj > 0) {
      const double argxs = 1.0 + p.xd * rs.s * 2.0 / p.xj, argxd = 1.0 + p.xd * rb.s * 2.0 / p.xj;
      const double args = std::sqrt(argxs), argd = std::sqrt(argxd);
      const double dasdb2 = -p.xd * (rs.d2 + rs.d1 * rs.d1 * p.xd / (p.xj * argxs)) / (leff * args);
      const double daddb2 = -p.xd * (rb.d2 + rb.d1 * rb.d1 * p.xd / (p.xj * argxd)) / (leff * argd);
      dgdb2 = -0.5 * p.gamma * (dasdb2 + daddb2);
      dgdb = -p.gamma * (0.5 / leff * p.xd * rs.d1 / args + 0.5 / leff * p.xd * rb.d1 / argd);
      dgdvd = p.gamma * 0.5 * p.xd * rb.d1 / (leff * argd);
    }
    t.d[mos::kVbs] = p.vt * (2.0 * dgdb * rs.d1 + gamasd.v * rs.d2 + dgdb2 * rs.s);
    t.d[mos::kVds] = p.vt * dgdvd * rs.d1;
    xnNg = {xn.v, t.d[mos::kVds] / p.vt, t.d[mos::kVbs] / p.vt};
    von = von + t;
    argg = 1.0 / t;
  } else if (vgs.v <= vbin.v) {
    return {0.0, von.v, 0.0};  // cutoff
  }
  const D sarg3 = sarg * sarg * sarg;
  const D body = barg * barg * barg - sarg3;
  // effective mobility
  D ufact = 1.0;
  D ueff = p.u0 * 1e-4;
  if (p.oxideCap > 0.0) {
    const D udenom = vgs - von;
    const double tmp = p.ucrit * 100 * semi::kEpsSi / p.coxf;
    if (udenom.v > tmp) {
      ufact = exp(p.uexp * log(tmp / udenom));
      // ngspice's derivatives of the degraded mobility leave out its vds dependence
      // (mos2load.c: dudvds = 0, though von moves with vds through the short-channel
      // gamma): gds and the .ac gain follow ngspice's (a level-2 folded cascode's gain
      // 198 with the exact slope, 205.9 in ngspice); the current itself is the same
      ufact.d[mos::kVds] = 0.0;
      ueff = p.u0 * 1e-4 * ufact;
    }
  }
  // saturation voltage (Grove-Frohman)
  const D vgsx = weak ? max(vgs, von) : vgs;
  const D gammad = gamasd / eta;
  if (gammad.v > 0) {
    const D gammd2 = gammad * gammad;
    const D argv = (vgsx - vbin) / eta + phiMinVbs;
    if (argv.v > 0.0) {
      const D arg = sqrt(1.0 + 4.0 * argv / gammd2);
      vdsat = max((vgsx - vbin) / eta + gammd2 * (1.0 - arg) / 2.0, 0.0);
      const double a1 = arg.v;
      dsdvgs = (1.0 - 1.0 / a1) / eta;
      dsdvbs = (gammad.v * (1.0 - a1) + 2.0 * argv.v / (gammad.v * a1)) / eta * gamasd.d[mos::kVbs] + 1.0 / a1 +
               factor * dsdvgs;
    }
  } else {
    vdsat = max((vgsx - vbin) / eta, 0.0);
    dsdvgs = 1.0;  // (ngspice's, not 1/eta)
  }
  if (p.vmax > 0) {  // Baum's scattering-limited velocity
    const D v1 = (vgsx - vbin) / eta + phiMinVbs, v2 = phiMinVbs;
    const D xv = p.vmax * leff / ueff;
    const D a1 = gammad / 0.75, b1 = -2.0 * (v1 + xv), c1 = -2.0 * gammad * xv;
    const D d1 = 2.0 * v1 * (v2 + xv) - v2 * v2 - 4.0 / 3.0 * gammad * sarg3;
    D xvalid = 0.0;
    if (baumRoot(a1, b1, c1, d1, xvalid)) vdsat = xvalid * xvalid - phiMinVbs;
    {
      // vdsat's slopes as ngspice's mos2load takes them (dsdvgs, dsdvbs: the implicit
      // derivative of its own velocity-saturation relation, the mobility held fixed),
      // not the quartic root's, also where the quartic has no root and vdsat is
      // Grove-Frohman's; with them gm and gmbs are ngspice's (an exact gm is up to 0.6 %
      // lower, a folded cascode's nodes 1 % apart)
      const D bs = rootPhi(p.phi, mos::variable(vbs.v - vdsat.v, mos::kVbs));
      const double bsarg = bs.v, dbsrdb = bs.d[mos::kVbs];
      const double gd = gamasd.v, dsrgdb = sarg.d[mos::kVbs];
      const double bodys = bsarg * bsarg * bsarg - sarg.v * sarg.v * sarg.v;
      const double gdbdvs = 2.0 * gd * (bsarg * bsarg * dbsrdb - sarg.v * sarg.v * dsrgdb);
      const double vqchan = (vgsx.v - vbin.v) / eta - vdsat.v - gd * bsarg;
      const double dqdsat = -1.0 + gd * dbsrdb, vl = p.vmax * leff;
      const double dfunds = vl * dqdsat - ueff.v * vqchan;
      const double dfundg = (vl - ueff.v * vdsat.v) / eta;
      const double dfundb = -vl * (1.0 + dqdsat - factor / eta) + ueff.v * (gdbdvs - gamasd.d[mos::kVbs] * bodys / 1.5) / eta;
      if (dfunds != 0.0) {
        dsdvgs = -dfundg / dfunds;
        dsdvbs = -dfundb / dfunds;
        vdsat.d[mos::kVgs] = dsdvgs * vgsx.d[mos::kVgs];
        vdsat.d[mos::kVbs] = dsdvbs;
      }
    }
  }
  // (ngspice's hand-written derivatives treat vdsat as independent of vds, and below von,
  // where vgsx is von, take its slopes as above vdsat's: the shortening's slopes follow them)
  vdsat.d[mos::kVds] = 0.0;
  if (weak && vgs.v <= von.v) {
    vdsat.d[mos::kVgs] = dsdvgs;
    vdsat.d[mos::kVbs] = dsdvbs;
  }
  // effective channel length
  D xlamda = p.lambda;
  const D bsarg = rootPhi(p.phi, vbs - vdsat);
  const D bodys = bsarg * bsarg * bsarg - sarg3;
  if (vds.v != 0.0 && p.nsub && !(p.lambda > 0.0)) {
    if (p.vmax <= 0) {
      const D argv = (vds - vdsat) / 4.0, sargv = sqrt(1.0 + argv * argv);
      xlamda = p.xd / (leff * vds) * sqrt(argv + sargv);
    } else {
      const double xdv = p.xd / std::sqrt(p.neff);
      const D xlv = p.vmax * xdv / (2.0 * D(ueff.v));  // (ngspice's slopes hold it fixed)
      // (below vdsat the shortening is 0, but ngspice's slopes of it are those of the
      // unclamped form there, dldsat = xdv/(2 xls Leff): a linear-region gm 10 % apart)
      D argv = vds - vdsat;
      argv.v = std::max(argv.v, 0.0);
      const D xls = sqrt(xlv * xlv + argv);
      xlamda = xdv / (leff * vds) * (xls - xlv);
    }
  }
  // punch-through limits the shortening
  double xwb = p.xd * std::sqrt(p.bulkPot);
  const double xld = leff - xwb;
  D clfact = 1.0 - xlamda * vds;
  D xleff = leff * clfact;
  const D deltal = xlamda * vds * leff;
  if (!p.nsub) xwb = 0.25e-6;
  if (xleff.v < xwb) {
    xleff = xwb / (1.0 + (deltal - xld) / xwb);
    clfact = xleff / leff;
  }
  const D beta1 = p.beta * ufact / clfact;
  if (vds.v <= 1.0e-10) {
    D id = 0.0;
    if (vgs.v > von.v) id.d[mos::kVds] = beta1.v * (vgs.v - vbin.v - gamasd.v * sarg.v);
    else if (weak) id.d[mos::kVds] = beta1.v * (von.v - vbin.v - gamasd.v * sarg.v) * std::exp(argg.v * (vgs.v - von.v));
    return {id, von.v, vdsat.v};
  }
  if (weak ? vgs.v <= von.v : vgs.v <= vbin.v) {
    if (!weak) return {0.0, von.v, vdsat.v};
    // weak inversion: the current at von times exp((vgs - von)/(n vt)), with ngspice's own
    // slopes (mos2load below von: of cdson at a fixed vdson, its slope in vdsat taken with
    // dsdvgs, dsdvbs, and von's and xn's slopes; gds up to 2.5 times the exact one)
    if (vdsat.v <= 0) return {0.0, von.v, vdsat.v};
    const bool past = vds.v > vdsat.v;
    const double vdson = std::min(vdsat.v, vds.v);
    const D bArg = past ? rootPhi(p.phi, mos::variable(vbs.v - vdsat.v, mos::kVbs))
                        : rootPhi(p.phi, mos::variable(vbs.v - vds.v, mos::kVbs));
    const double bodyOn = bArg.v * bArg.v * bArg.v - sarg3.v;
    const double gdbdv = 2.0 * gamasd.v * (bArg.v * bArg.v * bArg.d[mos::kVbs] - sarg.v * sarg.v * sarg.d[mos::kVbs]);
    const double b1 = beta1.v, cl = clfact.v, g = gamasd.v;
    const double cdson = b1 * ((von.v - vbin.v - eta * vdson * 0.5) * vdson - g * bodyOn / 1.5);
    const double didvds = b1 * (von.v - vbin.v - eta * vdson - g * bArg.v);
    double gdson = -cdson * clfact.d[mos::kVds] / cl - b1 * gamasd.d[mos::kVds] * bodyOn / 1.5;
    if (!past) gdson += didvds;
    double gbson = -cdson * clfact.d[mos::kVbs] / cl +
                   b1 * (von.d[mos::kVbs] * vdson + factor * vdson - gamasd.d[mos::kVbs] * bodyOn / 1.5 - gdbdv);
    if (past) gbson += didvds * dsdvbs;
    const double expg = std::exp(argg.v * (vgs.v - von.v));
    D id = cdson * expg;
    const double gmw = id.v * argg.v;
    const double gm = past ? gmw + didvds * dsdvgs * expg : gmw;
    const double tmp = gmw * (vgs.v - von.v) / xnNg.v;
    id.d[mos::kVgs] = gm;
    id.d[mos::kVds] = gdson * expg - gm * von.d[mos::kVds] - tmp * xnNg.dvd;
    id.d[mos::kVbs] = gbson * expg - gm * von.d[mos::kVbs] - tmp * xnNg.dvb;
    return {id, von.v, vdsat.v};
  }
  if (vds.v <= vdsat.v) return {beta1 * ((vgs - vbin - eta * vds / 2.0) * vds - gamasd * body / 1.5), von.v, vdsat.v};
  return {beta1 * ((vgs - vbin - eta * vdsat / 2.0) * vdsat - gamasd * bodys / 1.5), von.v, vdsat.v};
}

struct Level2 {
  using Inst = Mos2Inst;
  // threaded loads: one evaluation costs about 7 level-1 MOSFET evaluations (--stats of the bench circuits, docs/performance.md)
  static constexpr std::size_t kLoadWeight = 7;

  static mos::MosChannel channel(const Inst& p, double vgs, double vds, double vbs) {
    const Ids2 op = ids2(p, mos::variable(vgs, mos::kVgs), mos::variable(vds, mos::kVds), mos::variable(vbs, mos::kVbs));
    return mos::channelOf(op.id, op.von, op.vdsat);
  }

  // .noise flicker area as ngspice's MOS2: W m (L - 2 LD) Cox^2
  static double flickerArea(const Inst&, const ParamValues& P) {
    const double coxf = semi::kEpsOx / P.model("tox");
    return P.inst("w") * P.inst("m") * (P.inst("l") - 2.0 * P.model("ld")) * coxf * coxf;
  }

  static Status checkLevel(const ir::Device& d, const ParamValues& P) {
    if (P.model("level") != 2) return deviceError(d, "MOSFET '" + d.name + "': not a level 2 model");
    return {};
  }

  static Status setup(const ir::Device& d, const ir::Model& m, const ParamValues& P, const ir::Options& o, Inst& p) {
    const auto bad = [&](const std::string& what) { return deviceError(d, "MOSFET '" + d.name + "': " + what); };
    const double T = semi::instanceTempK(P, o), Tnom = semi::nominalTempK(P, o);
    const double type = m.type == "pmos" ? -1.0 : 1.0;
    p.sign = type;
    const double mult = P.inst("m");
    const double w = P.inst("w"), l = P.inst("l");
    p.leff = l - 2.0 * P.model("ld");
    p.mult = mult;
    p.w = w;
    if (!(mult > 0)) return bad("m must be positive");
    if (!(w > 0)) return bad("W must be positive");
    if (!(p.leff > 0)) return bad("effective channel length L - 2*LD must be positive");
    const double vtnom = semi::thermalVoltage(Tnom);
    const double egfet1 = semi::bandGap(Tnom);
    const double pbfact1 = semi::potentialFactor(Tnom);
    const double fact1 = Tnom / semi::kRefTemp;

    const double tox = P.model("tox");
    if (!(tox > 0)) return bad("TOX must be positive");
    const double coxf = semi::kEpsOx / tox;
    p.coxf = coxf;
    const double u0 = P.model("u0");
    const double kp = P.hasModel("kp") ? P.model("kp") : u0 * coxf * 1e-4;
    double vto = P.model("vto"), gamma = P.model("gamma"), phi = P.model("phi");
    if (!(phi > 0)) return bad("PHI must be positive");
    p.nsub = P.hasModel("nsub");
    p.xd = 0.0;
    if (p.nsub) {
      const double nsub = P.model("nsub") * 1e6;
      if (!(nsub > 1.45e16)) return bad("NSUB must exceed the intrinsic carrier density 1.45e10 cm^-3");
      if (!P.hasModel("phi")) phi = std::max(0.1, 2.0 * vtnom * std::log(nsub / 1.45e16));
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
      p.xd = std::sqrt((semi::kEpsSi + semi::kEpsSi) / (semi::kQ * nsub));
    }
    p.delta = P.model("delta");
    p.ucrit = P.model("ucrit");
    p.uexp = P.model("uexp");
    p.u0 = u0;
    p.vmax = P.model("vmax");
    p.neff = P.model("neff");
    p.xj = P.model("xj");
    p.nfs = P.model("nfs");
    p.lambda = P.model("lambda");
    if (p.vmax > 0 && !(p.neff > 0)) return bad("NEFF must be positive with VMAX");

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
    p.beta = kp / ratio4 * mult * w / p.leff;
    p.gamma = gamma;
    p.phi = tphi;
    p.vbi = type * tvbi;
    p.vto = type * tvto;
    p.oxideCap = coxf * p.leff * mult * w;
    p.cox = p.oxideCap;
    const double pb = P.model("pb");
    if (pb <= 0) return bad("PB must be positive");
    p.bulkPot = semi::scaleJunction(pb, 1.0, 0.5, Tnom, T).vj;
    if (auto why = mos::setupMosBulk(P, mult, w, p.leff, Tnom, T, p); !why.empty()) return bad(why);
    return {};
  }
};

using Mos2s = mos::MosGroup<Level2>;

// The model types of this kind: nmos and pmos cards whose LEVEL is 2 are
// routed here by kindOf() (descriptor.cpp); nobody writes these names.
constexpr const char* kTypes[] = {"nmos@2", "pmos@2"};
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
    kIcVdsParam, kIcVgsParam, kIcVbsParam,
    kTempParam, kDtempParam,
    mparam("level", 2.0, "", "model level: 2"),
    mparam("vto", 0.0, "V", "zero-bias threshold (negative for typical pmos)").aka("vt0"),
    mparam("kp", kNoDefault, "A/V²", "transconductance").shown("U0·εox/TOX"),
    mparam("gamma", 0.0, "√V", "body effect (from NSUB when not given)"),
    mparam("phi", 0.6, "V", "surface potential (from NSUB when not given)"),
    mparam("lambda", 0.0, "1/V", "channel-length modulation (0: from NSUB)"),
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
    mparam("ld", 0.0, "m", "lateral diffusion (Leff = L - 2·LD)"),
    mparam("u0", 600.0, "cm²/Vs", "surface mobility").aka("uo"),
    mparam("ucrit", 1e4, "V/cm", "critical field for mobility degradation"),
    mparam("uexp", 0.0, "", "critical field exponent (0: no degradation)"),
    mparam("utra", 0.0, "", "transverse field coefficient: accepted and unused, as by ngspice 39"),
    mparam("nsub", kNoDefault, "1/cm³", "substrate doping: GAMMA, PHI, VTO when not given, the depletion width (short channel, length modulation)").shown("none"),
    mparam("nss", 0.0, "1/cm²", "surface state density (with NSUB)"),
    mparam("tpg", 1.0, "", "gate material type (with NSUB)"),
    mparam("nfs", 0.0, "1/cm²", "fast surface state density (weak inversion when > 0)"),
    mparam("delta", 0.0, "", "width effect on the threshold"),
    mparam("vmax", 0.0, "m/s", "carrier saturation velocity (0: none)"),
    mparam("xj", 0.0, "m", "junction depth (short-channel threshold, with NSUB)"),
    mparam("neff", 1.0, "", "total channel charge coefficient (length modulation with VMAX)"),
    kTnomParam,
    kKfNoiseParam, kAfNoiseParam,
};

}  // namespace

extern const DeviceKind kMos2Kind;
constexpr DeviceKind kMos2Kind{
    .letter = 'm', .name = "MOSFET", .form = CardForm::ModelCard, .minNodes = 4, .maxNodes = 4,
    .modelTypes = kTypes, .params = kParams,
    .valueDoc = "Mname d g s b model [w=] [l=] ... (a .model nmos|pmos with LEVEL=2)",
    .create = makeGroup<Mos2s, kMos2Kind>};

}  // namespace simcore::dev
