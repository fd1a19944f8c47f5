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
// as ngspice's mos2load; the derivatives are taken numerically (central differences
// of that current, as level 3).
#include <algorithm>
#include <cmath>

#include "devices/common.hpp"
#include "devices/mos_frame.hpp"

namespace simcore::dev {
namespace {

struct Mos2Inst : mos::MosFrameInst {
  double beta = 0, gamma = 0, vbi = 0;  // vbi times the polarity
  double leff = 0, w = 0, mult = 1, oxideCap = 0, coxf = 0;
  double xd = 0, xj = 0, nfs = 0, delta = 0, ucrit = 0, uexp = 0, u0 = 0, vmax = 0, neff = 1, lambda = 0;
  double bulkPot = 0.8;  // PB at temperature
  bool nsub = false;
};

struct Ids2 {
  double id, von, vdsat;
};

// Bulk-charge square root sqrt(phi - v), linearised for v > 0 as SPICE does.
double rootPhi(double phi, double v) {
  if (v <= 0) return std::sqrt(phi - v);
  const double sphi = std::sqrt(phi);
  return sphi / (1.0 + 0.5 * v / phi);
}

// Smallest positive root of Baum's quartic x^4 + a1 x^3 + b1 x^2 + c1 x + d1
// whose residual is below 1e-6 (ngspice's Ferrari solution); false when none.
bool baumRoot(double a1, double b1, double c1, double d1, double& xvalid) {
  const double a = -b1, b = a1 * c1 - 4.0 * d1, c = -d1 * (a1 * a1 - 4.0 * b1) - c1 * c1;
  const double r = -a * a / 3.0 + b, s = 2.0 * a * a * a / 27.0 - a * b / 3.0 + c;
  const double p = s * s / 4.0 + r * r * r / 27.0, p0 = std::fabs(p), p2 = std::sqrt(p0);
  double y3;
  if (p < 0) {
    const double ro = std::exp(std::log(std::sqrt(s * s / 4.0 + p0)) / 3.0);
    const double fi = std::atan(-2.0 * p2 / s);
    y3 = 2.0 * ro * std::cos(fi / 3.0) - a / 3.0;
  } else {
    const double p3 = std::exp(std::log(std::fabs(-s / 2.0 + p2)) / 3.0);
    const double p4 = std::exp(std::log(std::fabs(-s / 2.0 - p2)) / 3.0);
    y3 = p3 + p4 - a / 3.0;
  }
  const double a3 = std::sqrt(a1 * a1 / 4.0 - b1 + y3), b3 = std::sqrt(y3 * y3 / 4.0 - d1);
  constexpr double sig1[4] = {1.0, -1.0, 1.0, -1.0}, sig2[4] = {1.0, 1.0, -1.0, -1.0};
  bool found = false;
  for (int i = 0; i < 4; ++i) {
    const double a4 = a1 / 2.0 + sig1[i] * a3, b4 = y3 / 2.0 + sig2[i] * b3;
    const double delta4 = a4 * a4 / 4.0 - b4;
    if (delta4 < 0) continue;
    const double t = std::sqrt(delta4);
    for (double x : {-a4 / 2.0 + t, -a4 / 2.0 - t}) {
      if (x <= 0) continue;
      const double poly = x * x * x * x + a1 * x * x * x + b1 * x * x + c1 * x + d1;
      if (std::fabs(poly) > 1.0e-6) continue;
      if (!found || x < xvalid) xvalid = x;
      found = true;
    }
  }
  return found;
}

// Level-2 drain current (>= 0) in the normal-mode frame, with von and vdsat
// (ngspice's mos2load, its derivatives left out).
Ids2 ids2(const Mos2Inst& p, double vgs, double vds, double vbs) {
  const double phiMinVbs = p.phi - vbs;
  const double sarg = rootPhi(p.phi, vbs);
  const double barg = rootPhi(p.phi, vbs - vds);
  const double leff = p.leff;
  const double factor = 0.125 * p.delta * 2.0 * M_PI * semi::kEpsSi / p.oxideCap * leff;
  const double eta = 1.0 + factor;
  const double vbin = p.vbi + factor * phiMinVbs;
  double gamasd = p.gamma;
  if (p.gamma > 0.0 || p.nsub) {
    const double xwd = p.xd * barg, xws = p.xd * sarg;
    double argss = 0.0, argsd = 0.0;
    if (p.xj > 0) {
      const double t = 2.0 / p.xj;
      const double args = std::sqrt(1.0 + xws * t), argd = std::sqrt(1.0 + xwd * t);
      const double h = 0.5 * p.xj / leff;
      argss = h * (args - 1.0);
      argsd = h * (argd - 1.0);
    }
    gamasd = p.gamma * (1.0 - argss - argsd);
  }
  double von = vbin + gamasd * sarg;
  double vdsat = 0.0, xn = 1.0, argg = 0.0;
  const bool weak = p.nfs != 0.0 && p.oxideCap != 0.0;
  if (weak) {
    const double cfs = semi::kQ * p.nfs * 1e4;
    // d(von)/d(vbs) terms of ngspice's xn: -(gamasd*dsarg/dvbs + dgamma/dvbs*sarg) + factor
    const double dsrgdb = vbs <= 0 ? -0.5 / sarg : -0.5 * sarg * sarg / (p.phi * std::sqrt(p.phi));
    double dgddvb = 0.0;
    if ((p.gamma > 0.0 || p.nsub) && p.xj > 0) {
      const double dbrgdb = (vbs - vds) <= 0 ? -0.5 / barg : -0.5 * barg * barg / (p.phi * std::sqrt(p.phi));
      const double t = 2.0 / p.xj;
      const double args = std::sqrt(1.0 + p.xd * sarg * t), argd = std::sqrt(1.0 + p.xd * barg * t);
      const double h = 0.5 / leff;
      dgddvb = -p.gamma * (h * p.xd * dsrgdb / args + h * p.xd * dbrgdb / argd);
    }
    const double cdonco = -(gamasd * dsrgdb + dgddvb * sarg) + factor;
    xn = 1.0 + cfs / p.oxideCap * p.mult * p.w * leff + cdonco;
    const double t = p.vt * xn;
    von += t;
    argg = 1.0 / t;
  } else if (vgs <= vbin) {
    return {0.0, von, 0.0};  // cutoff
  }
  const double sarg3 = sarg * sarg * sarg;
  const double body = barg * barg * barg - sarg3;
  // effective mobility
  double ufact = 1.0;
  double ueff = p.u0 * 1e-4;
  if (p.oxideCap > 0.0) {
    const double udenom = vgs - von;
    const double tmp = p.ucrit * 100 * semi::kEpsSi / p.coxf;
    if (udenom > tmp) {
      ufact = std::exp(p.uexp * std::log(tmp / udenom));
      ueff = p.u0 * 1e-4 * ufact;
    }
  }
  // saturation voltage (Grove-Frohman)
  const double vgsx = weak ? std::max(vgs, von) : vgs;
  const double gammad = gamasd / eta;
  if (gammad > 0) {
    const double gammd2 = gammad * gammad;
    const double argv = (vgsx - vbin) / eta + phiMinVbs;
    if (argv > 0.0) {
      const double arg = std::sqrt(1.0 + 4.0 * argv / gammd2);
      vdsat = std::max((vgsx - vbin) / eta + gammd2 * (1.0 - arg) / 2.0, 0.0);
    }
  } else {
    vdsat = std::max((vgsx - vbin) / eta, 0.0);
  }
  if (p.vmax > 0) {  // Baum's scattering-limited velocity
    const double v1 = (vgsx - vbin) / eta + phiMinVbs, v2 = phiMinVbs;
    const double xv = p.vmax * leff / ueff;
    const double a1 = gammad / 0.75, b1 = -2.0 * (v1 + xv), c1 = -2.0 * gammad * xv;
    const double d1 = 2.0 * v1 * (v2 + xv) - v2 * v2 - 4.0 / 3.0 * gammad * sarg3;
    double xvalid = 0.0;
    if (baumRoot(a1, b1, c1, d1, xvalid)) vdsat = xvalid * xvalid - phiMinVbs;
  }
  // effective channel length
  double xlamda = p.lambda;
  const double bsarg = rootPhi(p.phi, vbs - vdsat);
  const double bodys = bsarg * bsarg * bsarg - sarg3;
  if (vds != 0.0 && p.nsub && !(xlamda > 0.0)) {
    if (p.vmax <= 0) {
      const double argv = (vds - vdsat) / 4.0, sargv = std::sqrt(1.0 + argv * argv);
      xlamda = p.xd / (leff * vds) * std::sqrt(argv + sargv);
    } else {
      const double xdv = p.xd / std::sqrt(p.neff), xlv = p.vmax * xdv / (2.0 * ueff);
      const double xls = std::sqrt(xlv * xlv + std::max(vds - vdsat, 0.0));
      xlamda = xdv / (leff * vds) * (xls - xlv);
    }
  }
  // punch-through limits the shortening
  double xwb = p.xd * std::sqrt(p.bulkPot);
  const double xld = leff - xwb;
  double clfact = 1.0 - xlamda * vds;
  double xleff = leff * clfact;
  const double deltal = xlamda * vds * leff;
  if (!p.nsub) xwb = 0.25e-6;
  if (xleff < xwb) {
    xleff = xwb / (1.0 + (deltal - xld) / xwb);
    clfact = xleff / leff;
  }
  const double beta1 = p.beta * ufact / clfact;
  if (vds <= 1.0e-10) return {0.0, von, vdsat};
  if (weak ? vgs <= von : vgs <= vbin) {
    if (!weak) return {0.0, von, vdsat};
    // weak inversion: the current at von times exp((vgs - von)/(n vt))
    if (vdsat <= 0) return {0.0, von, vdsat};
    const double vdson = std::min(vdsat, vds);
    const double bodyOn = vds > vdsat ? bodys : body;
    const double cdson = beta1 * ((von - vbin - eta * vdson * 0.5) * vdson - gamasd * bodyOn / 1.5);
    return {cdson * std::exp(argg * (vgs - von)), von, vdsat};
  }
  if (vds <= vdsat) return {beta1 * ((vgs - vbin - eta * vds / 2.0) * vds - gamasd * body / 1.5), von, vdsat};
  return {beta1 * ((vgs - vbin - eta * vdsat / 2.0) * vdsat - gamasd * bodys / 1.5), von, vdsat};
}

struct Level2 {
  using Inst = Mos2Inst;

  static mos::MosChannel channel(const Inst& p, double vgs, double vds, double vbs) {
    const Ids2 op = ids2(p, vgs, vds, vbs);
    mos::MosChannel ch;
    ch.id = op.id;
    ch.von = op.von;
    ch.vdsat = op.vdsat;
    if (op.id == 0.0 && ids2(p, vgs + 1e-3, vds, vbs).id == 0.0 && ids2(p, vgs, vds + 1e-3, vbs).id == 0.0) return ch;
    auto h = [](double v) { return 1e-6 * (1.0 + std::fabs(v)); };
    const double hg = h(vgs), hd = h(vds), hb = h(vbs);
    ch.gm = (ids2(p, vgs + hg, vds, vbs).id - ids2(p, vgs - hg, vds, vbs).id) / (2 * hg);
    const double vdl = std::max(vds - hd, 0.0);  // stay in this frame
    ch.gds = (ids2(p, vgs, vds + hd, vbs).id - ids2(p, vgs, vdl, vbs).id) / (vds + hd - vdl);
    ch.gmbs = (ids2(p, vgs, vds, vbs + hb).id - ids2(p, vgs, vds, vbs - hb).id) / (2 * hb);
    return ch;
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
