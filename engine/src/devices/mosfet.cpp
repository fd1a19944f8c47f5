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
// The frame (junctions, Meyer charges, series resistances, limiting) is
// mos_frame.hpp's; this file is the level-1 channel and its parameters.
#include <algorithm>
#include <cmath>

#include "devices/common.hpp"
#include "devices/mos_frame.hpp"

namespace simcore::dev {
namespace {

struct Level1 {
  struct Inst : mos::MosFrameInst {
    double beta = 0, lambda = 0, gamma = 0, vbi = 0;  // vbi times the polarity
    double sqrtPhi = 0, dsarg0 = 0;                   // sqrt(phi) and -0.5 / sqrt(phi), once per instance
  };

  [[gnu::always_inline]] static mos::MosChannel channel(const Inst& p, double vgs, double vds, double vbs) {
    double sarg, dsarg;
    if (vbs == 0) {  // bulk on the source: sqrt(phi - 0) and -0.5 / sqrt(phi), the same values kept from setup
      sarg = p.sqrtPhi;
      dsarg = p.dsarg0;
    } else if (vbs < 0) {
      sarg = std::sqrt(p.phi - vbs);
      dsarg = -0.5 / sarg;
    } else {
      const double sp = p.sqrtPhi;
      sarg = sp - vbs / (sp + sp);
      dsarg = p.dsarg0;
      if (sarg < 0) { sarg = 0; dsarg = 0; }
    }
    mos::MosChannel ch;
    ch.von = p.vbi + p.gamma * sarg;
    const double vgst = vgs - ch.von;
    ch.vdsat = std::max(vgst, 0.0);
    if (vgst <= 0) return ch;
    const double betap = p.beta * (1.0 + p.lambda * vds);
    if (vgst <= vds) {
      ch.id = betap * vgst * vgst * 0.5;
      ch.gm = betap * vgst;
      ch.gds = p.lambda * p.beta * vgst * vgst * 0.5;
    } else {
      ch.id = betap * vds * (vgst - 0.5 * vds);
      ch.gm = betap * vds;
      ch.gds = betap * (vgst - vds) + p.lambda * p.beta * vds * (vgst - 0.5 * vds);
    }
    ch.gmbs = -ch.gm * p.gamma * dsarg;
    return ch;
  }

  // .noise flicker area as ngspice's MOS1: W m (L - 2 LD) Cox^2, Cox of TOX (1e-7 m when not given)
  static double flickerArea(const Inst&, const ParamValues& P) {
    const double tox = P.model("tox");
    const double coxf = P.hasModel("tox") && tox != 0 ? semi::kEpsOx / tox : semi::kEpsOx / 1e-7;
    return P.inst("w") * P.inst("m") * (P.inst("l") - 2.0 * P.model("ld")) * coxf * coxf;
  }

  static Status checkLevel(const ir::Device& d, const ParamValues& P) {
    if (const double lv = P.model("level"); lv != 1)
      return deviceError(d, "MOSFET level " + valueText(lv) +
                                " is not supported (MOSFET levels: 1, 2, 3, 4 (BSIM1), 5 (BSIM2), 6, 8 or 49 (BSIM3), 14 or 54 (BSIM4), 55 (BSIM3SOI FD), 56 (BSIM3SOI DD), 57 (BSIMSOI PD); "
                                "power MOSFETs: a vdmos model)");
    return {};
  }

  static Status setup(const ir::Device& d, const ir::Model& m, const ParamValues& P, const ir::Options& o, Inst& p) {
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
    p.sqrtPhi = std::sqrt(tphi);
    p.dsarg0 = -0.5 / p.sqrtPhi;
    p.vbi = type * tvbi;
    p.vto = type * tvto;
    p.cox = coxf * leff * mult * w;
    if (auto bad = mos::setupMosBulk(P, mult, w, leff, Tnom, T, p); !bad.empty())
      return deviceError(d, "MOSFET '" + d.name + "': " + bad);
    return {};
  }
};

using Mosfets = mos::MosGroup<Level1>;

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
    kIcVdsParam, kIcVgsParam, kIcVbsParam,
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
