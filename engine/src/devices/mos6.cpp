// M with an nmos/pmos model of LEVEL=6: ngspice 39's MOS6, Sakurai and Newton's
// n-th power law MOSFET, in the frame of every level (mos_frame.hpp): bulk
// junctions, Meyer gate capacitances with overlaps, series resistances, SPICE
// limiting. Drain current (voltages of the normal-mode frame, drain the higher
// terminal):
//   Leff = L - 2*LD, betac = KC*W/Leff (KC at temperature: KC/(T/Tnom)^1.5)
//   s = sqrt(PHI - vbs) for vbs <= 0, else sqrt(PHI) - vbs/(2 sqrt(PHI)) (not below 0)
//   von = VBI + GAMMA*s - GAMMA1*vbs - SIGMA*vds, vgon = vgs - von
//   vgon <= 0: cut off (id = 0, vdsat = 0); else
//   vdsat = KV*vgon^NV, idsat = betac*vgon^NC, lambda = LAMBDA0 - LAMBDA1*vbs
//   id = idsat*(1 + lambda*vds), times (2 - vds/vdsat)*vds/vdsat below vdsat
// with the derivatives in closed form, as ngspice's mos6load. Without TOX there
// are no Meyer capacitances and KC defaults to 5e-5 A/V^NC; with TOX, KC defaults
// to U0*Cox/2. ngspice 39's MOS6 has no noise sources: neither has this one.
#include <algorithm>
#include <cmath>

#include "devices/common.hpp"
#include "devices/mos_frame.hpp"

namespace simcore::dev {
namespace {

struct MosInst : mos::MosFrameInst {
  double betac;          // KC*W/Leff*m at temperature
  double vbi;            // VBI times the polarity
  double gamma, gamma1, sigma, kv, nv, nc, lambda0, lambda1;
  double leff, weff, coxArea;
};

struct Level6 {
  using Inst = MosInst;

  static mos::MosChannel channel(const Inst& p, double vgs, double vds, double vbs) {
    mos::MosChannel ch;
    double s;
    if (vbs <= 0.0) {
      s = std::sqrt(p.phi - vbs);
    } else {
      s = std::sqrt(p.phi);
      s = std::max(0.0, s - vbs / (s + s));
    }
    const double von = p.vbi + p.gamma * s - p.gamma1 * vbs - p.sigma * vds;
    const double vgon = vgs - von;
    ch.von = von;
    if (vgon <= 0.0) return ch;  // cut off
    // d(vgon)/d(vbs)
    double vonbm = 0.0;
    if (s > 0.0) vonbm = p.gamma1 + (vbs <= 0.0 ? p.gamma / (s + s) : p.gamma / (2.0 * std::sqrt(p.phi)));
    const double lg = std::log(vgon);
    const double vdsat = p.kv * std::exp(lg * p.nv);
    const double idsat = p.betac * std::exp(lg * p.nc);
    const double lambda = p.lambda0 - p.lambda1 * vbs;
    double id = idsat * (1.0 + lambda * vds);
    double gm = id * p.nc / vgon;
    double gds = gm * p.sigma + idsat * lambda;
    double gmbs = gm * vonbm - idsat * p.lambda1 * vds;
    if (vdsat > vds) {  // linear region
      const double vdst = vds / vdsat;
      const double vdst2 = (2.0 - vdst) * vdst;
      const double vdstg = -vdst * p.nv / vgon;
      const double ivdst1 = id * (2.0 - vdst - vdst);
      id *= vdst2;
      gm = gm * vdst2 + ivdst1 * vdstg;
      gds = gds * vdst2 + ivdst1 * (1.0 / vdsat + vdstg * p.sigma);
      gmbs = gmbs * vdst2 + ivdst1 * vdstg * vonbm;
    }
    ch.id = id;
    ch.gm = gm;
    ch.gds = gds;
    ch.gmbs = gmbs;
    ch.vdsat = vdsat;
    return ch;
  }

  // ngspice 39's MOS6 has no noise sources: neither this level (the frame's
  // .noise skips it; flickerArea is never used)
  static constexpr bool kNoiseless = true;
  static double flickerArea(const Inst&, const ParamValues&) { return 1.0; }

  static Status checkLevel(const ir::Device& d, const ParamValues& P) {
    if (P.model("level") != 6) return deviceError(d, "MOSFET '" + d.name + "': not a level 6 model");
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
    p.weff = w;
    if (!(mult > 0)) return bad("m must be positive");
    if (!(p.leff > 0)) return bad("effective channel length L - 2*LD must be positive");
    if (!(w > 0)) return bad("W must be positive");
    const double vtnom = semi::thermalVoltage(Tnom);
    const double egfet1 = semi::bandGap(Tnom);
    const double pbfact1 = semi::potentialFactor(Tnom);
    const double fact1 = Tnom / semi::kRefTemp;

    double phi = P.model("phi"), gamma = P.model("gamma"), vto = P.model("vto");
    if (!(phi > 0)) return bad("PHI must be positive");
    double kc = P.model("kc");
    double coxf = 0.0;
    if (P.hasModel("tox") && P.model("tox") != 0.0) {
      if (!(P.model("tox") > 0)) return bad("TOX must be positive");
      coxf = semi::kEpsOx / P.model("tox");
      if (!P.hasModel("kc")) kc = 0.5 * P.model("u0") * coxf * 1e-4;
      if (P.hasModel("nsub")) {
        const double nsub = P.model("nsub") * 1e6;
        if (!(nsub > 1.45e16)) return bad("NSUB must exceed the intrinsic carrier density (1.45e10/cm³)");
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
      }
    }
    p.coxArea = coxf;
    p.gamma = gamma;
    p.gamma1 = P.model("gamma1");
    p.sigma = P.model("sigma");
    p.kv = P.model("kv");
    p.nv = P.model("nv");
    p.nc = P.model("nc");
    // LAMBDA is LAMBDA0 when LAMBDA0 is not given
    p.lambda0 = P.hasModel("lambda0") ? P.model("lambda0") : P.model("lambda");
    p.lambda1 = P.model("lambda1");

    // temperature (ngspice's mos6temp)
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
    p.betac = kc / ratio4 * mult * w / p.leff;
    p.phi = tphi;
    p.vbi = type * tvbi;
    p.vto = type * tvto;
    p.cox = coxf * p.leff * mult * w;
    if (auto why = mos::setupMosBulk(P, mult, w, p.leff, Tnom, T, p); !why.empty()) return bad(why);
    return {};
  }
};

using Mos6s = mos::MosGroup<Level6>;

// The model types of this kind: nmos and pmos cards whose LEVEL is 6 are
// routed here by kindOf() (descriptor.cpp); nobody writes these names.
constexpr const char* kTypes[] = {"nmos@6", "pmos@6"};
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
    mparam("level", 6.0, "", "model level: 6"),
    mparam("vto", 0.0, "V", "zero-bias threshold (negative for typical pmos)").aka("vt0"),
    mparam("kv", 2.0, "V", "saturation voltage factor: vdsat = KV·(vgs − von)^NV"),
    mparam("nv", 0.5, "", "saturation voltage exponent"),
    mparam("kc", 5e-5, "A/V^NC", "saturation current factor: idsat = KC·W/Leff·(vgs − von)^NC (U0·Cox/2 with TOX)"),
    mparam("nc", 1.0, "", "saturation current exponent"),
    mparam("nvth", 0.5, "", "read, no effect (as in ngspice 39)"),
    mparam("ps", 0.0, "", "read, no effect (as in ngspice 39)"),
    mparam("gamma", 0.0, "√V", "body effect (from NSUB when not given)"),
    mparam("gamma1", 0.0, "", "linear body effect on the threshold"),
    mparam("sigma", 0.0, "", "drain-induced threshold shift (static feedback)"),
    mparam("phi", 0.6, "V", "surface potential (from NSUB when not given)"),
    mparam("lambda", 0.0, "1/V", "channel-length modulation (LAMBDA0 when that is not given)"),
    mparam("lambda0", kNoDefault, "1/V", "channel-length modulation at vbs = 0").shown("LAMBDA"),
    mparam("lambda1", 0.0, "1/V²", "its decrease with vbs (lambda = LAMBDA0 − LAMBDA1·vbs)"),
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
    mparam("mjsw", 0.5, "", "sidewall grading coefficient (0.5 in MOS6)"),
    kFcParam,
    mparam("cgso", 0.0, "F/m", "gate-source overlap capacitance per width"),
    mparam("cgdo", 0.0, "F/m", "gate-drain overlap capacitance per width"),
    mparam("cgbo", 0.0, "F/m", "gate-bulk overlap capacitance per length"),
    mparam("tox", kNoDefault, "m", "oxide thickness (none: no Meyer capacitances)").shown("none"),
    mparam("ld", 0.0, "m", "lateral diffusion (Leff = L - 2·LD)"),
    mparam("u0", 600.0, "cm²/Vs", "surface mobility (KC's default with TOX)").aka("uo"),
    mparam("nsub", kNoDefault, "1/cm³", "substrate doping: GAMMA, PHI, VTO when not given (with TOX)").shown("none"),
    mparam("nss", 0.0, "1/cm²", "surface state density (with NSUB)"),
    mparam("tpg", 1.0, "", "gate material type (with NSUB)"),
    mparam("xj", kNoDefault, "m", "not a MOS6 parameter: ignored with a warning, as by ngspice 39").shown(kIgnored),
    kTnomParam,
};

}  // namespace

extern const DeviceKind kMos6Kind;
constexpr DeviceKind kMos6Kind{
    .letter = 'm', .name = "MOSFET", .form = CardForm::ModelCard, .minNodes = 4, .maxNodes = 4,
    .modelTypes = kTypes, .params = kParams,
    .valueDoc = "Mname d g s b model [w=] [l=] ... (a .model nmos|pmos with LEVEL=6)",
    .create = makeGroup<Mos6s, kMos6Kind>};

}  // namespace simcore::dev
