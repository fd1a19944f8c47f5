// M with an nmos/pmos model of LEVEL=3: ngspice 39's semi-empirical MOS3 (the model
// course decks use), in the frame of every level (mos_frame.hpp): bulk junctions,
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
//   mos3load, evaluated once on forward-mode numbers (mos_fwd.hpp): gm, gds and gmbs are
//   the derivatives of that current but past vdsat and in the channel shortening, where they
//   are ngspice's own slopes (see the channel-length modulation below).
// TOX defaults to 1e-7 m (the Meyer capacitances are always present), KP to U0*Cox.
#include <algorithm>
#include <cmath>

#include "devices/common.hpp"
#include "devices/mos_frame.hpp"
#include "devices/mos_fwd.hpp"

namespace simcore::dev {
namespace {

using D = mos::Fwd3;
using namespace mos::fwd;

struct MosInst : mos::MosFrameInst {
  double beta, gamma, vbi;                         // vbi times the polarity
  double leff, weff, coxArea;                      // Cox per area (F/m^2)
  double theta, eta, kappa, vmax, nfs, xj, xd, alpha, narrow, ld;
  double u0;                                       // surface mobility at temperature (cm^2/Vs)
};

// Level-3 drain current (>= 0) in the normal-mode frame, with von and vdsat
// (ngspice's mos3load, its derivatives the number type's but past vdsat and in the channel
// shortening, where they are ngspice's). Where vds is
// 0 the current is 0 and its vds slope that of the linear region at 0, as
// ngspice gives it.
struct Ids3 {
  D id;
  double von, vdsat;
};
Ids3 ids3(const MosInst& p, const D& vgs, const D& vds, const D& vbs) {
  constexpr double coeff0 = 0.0631353, coeff1 = 0.8013292, coeff2 = -0.01110777;
  const double leff = p.leff, weff = p.weff;
  const double oneoverxl = 1.0 / leff;
  const double eta = p.eta * 8.15e-22 / (p.coxArea * leff * leff * leff);
  D phibs, sqphbs;
  if (vbs.v <= 0.0) {
    phibs = p.phi - vbs;
    sqphbs = sqrt(phibs);
  } else {
    const double sqphis = std::sqrt(p.phi);
    sqphbs = sqphis / (1.0 + vbs / (p.phi + p.phi));
    phibs = sqphbs * sqphbs;
  }
  D fshort = 1.0;
  if (p.xj != 0.0 && p.xd != 0.0) {
    const D wps = p.xd * sqphbs;
    const double oneoverxj = 1.0 / p.xj, xjonxl = p.xj * oneoverxl;
    const double djonxj = p.ld * oneoverxj;
    const D wponxj = wps * oneoverxj;
    const D wconxj = coeff0 + coeff1 * wponxj + coeff2 * wponxj * wponxj;
    const D arga = wconxj + djonxj, argc = wponxj / (1.0 + wponxj), argb = sqrt(1.0 - argc * argc);
    fshort = 1.0 - xjonxl * (arga * argb - djonxj);
  }
  const D gammas = p.gamma * fshort;
  const D fbodys = 0.5 * gammas / (sqphbs + sqphbs);
  const D fbody = fbodys + p.narrow / weff;
  const D onfbdy = 1.0 / (1.0 + fbody);
  const D qbonco = gammas * sqphbs + p.narrow * phibs / weff;
  const D vbix = p.vbi - eta * vds;
  const D vth = vbix + qbonco;
  D von = vth, xn = 1.0;
  if (p.nfs != 0.0) {
    const double csonco = semi::kQ * p.nfs * 1e4 / p.coxArea;  // per unit area: L*W*m cancel
    const D cdonco = qbonco / (phibs + phibs);
    xn = 1.0 + csonco + cdonco;
    von = vth + p.vt * xn;
  } else if (vgs.v <= von.v) {
    return {0.0, von.v, 0.0};
  }
  const D vgsx = max(vgs, von);
  const D onfg = 1.0 + p.theta * (vgsx - vth);
  const D fgate = 1.0 / onfg;
  const D us = p.u0 * 1e-4 * fgate;
  D vdsat = (vgsx - vth) * onfbdy, vdsc = 0.0, onvdsc = 0.0;
  if (p.vmax > 0.0) {
    vdsc = leff * p.vmax / us;
    onvdsc = 1.0 / vdsc;
    const D arga = (vgsx - vth) * onfbdy;
    const D argb = sqrt(arga * arga + vdsc * vdsc);
    vdsat = arga + vdsc - argb;
  }
  // (past vdsat ngspice's slopes hold vdsx = vdsat fixed; its dependence enters through the
  // channel shortening alone, below)
  const bool sat = vds.v > vdsat.v;
  const D vdsx = sat ? D(vdsat.v) : vds;
  if (vdsx.v == 0.0) {
    D id = 0.0;
    id.d[mos::kVds] = p.beta * fgate.v * (vgsx.v - vth.v);
    if (p.nfs != 0.0 && vgs.v < von.v) id.d[mos::kVds] *= std::exp((vgs.v - von.v) / (xn.v * p.vt));
    return {id, von.v, vdsat.v};
  }
  const D cdo = vgsx - vth - 0.5 * (1.0 + fbody) * vdsx;
  D cdrain = p.beta * fgate * cdo * vdsx;
  D fdrain = 0.0;
  if (p.vmax > 0.0) {
    fdrain = 1.0 / (1.0 + vdsx * onvdsc);
    cdrain = cdrain * fdrain;
  }
  // channel-length modulation beyond vdsat. Its slopes as ngspice's mos3load takes them: the
  // partials with vdsat held fixed (and with VMAX the field's own vds partial left out), plus
  // the shortening's partial in vdsat, taken as ddldvd (with VMAX dldem*demdvd - dldvd, else
  // -dldvd), times vdsat's slopes; not the exact derivative (a level-3 gm up to a few percent
  // apart), so that gm, gds, gmbs and .ac gains are ngspice's
  const D vdsatc = vdsat.v;  // (vdsat held fixed)
  D delxl = 0.0;
  double ddldsat = 0.0;  // ngspice's ddldvd
  bool clm = false;
  if (!sat) {
    if (p.vmax <= 0.0 && p.alpha != 0.0) {
      D arga = vds / vdsatc;
      delxl = sqrt(p.kappa * p.alpha * vdsatc / 8);
      arga = arga * arga;
      arga = arga * arga;
      delxl = delxl * arga;
      ddldsat = -delxl.d[mos::kVds];
      clm = true;
    }
  } else if (p.vmax <= 0.0) {
    delxl = sqrt(p.kappa * p.alpha * (vds - vdsatc + vdsatc / 8));
    ddldsat = -delxl.d[mos::kVds];
    clm = true;
  } else if (p.alpha != 0.0) {
    const D& cdsat = cdrain;
    const D gdsat = max(1.0e-12, cdsat * (1.0 - fdrain) * onvdsc);
    D emax = p.kappa * cdsat * oneoverxl / gdsat;
    const double demdvd = emax.d[mos::kVds];
    emax.d[mos::kVds] = 0.0;
    const D arga = 0.5 * emax * p.alpha;
    const double argc = p.kappa * p.alpha;
    const D argb = sqrt(arga * arga + argc * (vds - vdsatc));
    delxl = argb - arga;
    const double dldem = argb.v != 0.0 ? 0.5 * (arga.v / argb.v - 1.0) * p.alpha : 0.0;
    ddldsat = dldem * demdvd - (argb.v != 0.0 ? argc / (argb.v + argb.v) : 0.0);
    clm = true;
  }
  if (clm) {
    for (int k = 0; k < 3; ++k) delxl.d[k] += ddldsat * vdsat.d[k];
    if (delxl.v > 0.5 * leff) delxl = leff - leff * leff / (4.0 * delxl);  // punch-through
    cdrain = cdrain / (1.0 - delxl * oneoverxl);
  }
  if (vgs.v < von.v) cdrain = cdrain * exp((vgs - von) / (xn * p.vt));  // weak inversion (NFS)
  return {cdrain, von.v, vdsat.v};
}

struct Level3 {
  using Inst = MosInst;
  // threaded loads: one evaluation costs about 4 level-1 MOSFET evaluations (--stats of the bench circuits, docs/performance.md)
  static constexpr std::size_t kLoadWeight = 4;

  static mos::MosChannel channel(const Inst& p, double vgs, double vds, double vbs) {
    const Ids3 op = ids3(p, mos::variable(vgs, mos::kVgs), mos::variable(vds, mos::kVds), mos::variable(vbs, mos::kVbs));
    return mos::channelOf(op.id, op.von, op.vdsat);
  }

  // .noise flicker area as ngspice's MOS3: Weff Leff Cox^2 (Cox per area)
  static double flickerArea(const Inst& p, const ParamValues&) { return p.weff * p.leff * p.coxArea * p.coxArea; }

  static Status checkLevel(const ir::Device& d, const ParamValues& P) {
    if (P.model("level") != 3) return deviceError(d, "MOSFET '" + d.name + "': not a level 3 model");
    return {};
  }

  static Status setup(const ir::Device& d, const ir::Model& m, const ParamValues& P, const ir::Options& o, Inst& p) {
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
    p.gamma = gamma;
    p.phi = tphi;
    p.vbi = type * tvbi;
    p.vto = type * tvto;
    p.cox = coxf * p.leff * mult * p.weff;
    if (auto why = mos::setupMosBulk(P, mult, p.weff, p.leff, Tnom, T, p); !why.empty()) return bad(why);
    p.cubicReverse = true;  // (ngspice's mos3load: the smooth reverse junction, unlike levels 1, 2 and 6)
    return {};
  }
};

using Mos3s = mos::MosGroup<Level3>;

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
    kIcVdsParam, kIcVgsParam, kIcVbsParam,
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
