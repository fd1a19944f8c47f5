// M with an nmos/pmos model of LEVEL=4: BSIM1 as ngspice 39's bsim1, in the
// frame BSIM1 and BSIM2 share (bsim12.hpp). Size dependence: each parameter
// X has LX and WX with X(L, W) = X + LX/Leff + WX/Weff (Leff = L - DL,
// Weff = W - DW in µm); the mobilities (MUZ, MUS and their X2/X3 terms) are in
// cm²/Vs and become beta = mu*Cox*Weff/Leff. Drain current (mode frame, the
// drain the higher terminal):
//   Vth = VFB + PHI + K1 sqrt(PHI - vbs) - K2 (PHI - vbs) - eta vds
//         (eta = ETA + X2E vbs + X3E (vds - VDD), clamped to [0, 1]; vbs >= 0 uses PHI)
//   beta0 a quadratic in vds through beta(0) = MUZ + X2MZ vbs, beta(VDD) = MUS + X2MS vbs
//         with slope X3MS at VDD (linear above VDD), divided by 1 + ugs (vgs - Vth)
//   triode: beta (vgs - Vth - a vds/2) vds / (1 + uds vds); saturation:
//   beta (vgs - Vth)² / (2 a K), K = (1 + vc + sqrt(1 + 2 vc))/2, vc = uds (vgs - Vth)/a
// plus the subthreshold current (unless N0 >= 200). Charges: BSIM1's charge
// model in accumulation, depletion, triode and saturation, drain/source
// partition 40/60, or 0/100 with XPART (as ngspice reads XPART as a flag, any
// XPART selects 0/100). No temperature dependence (as ngspice: TEMP is read,
// unused; the junctions use 27 °C).
#include <algorithm>
#include <cmath>

#include "devices/bsim12.hpp"
#include "devices/common.hpp"

namespace simcore::dev {
namespace {

using bsim12::Ad;

struct B1Inst : bsim12::Frame {
  double vfb, phi, k1, k2, eta, etaB, etaD;
  double betaZero, betaZeroB, betaVdd, betaVddB, betaVddD;
  double ugs, ugsB, uds, udsB, udsD;
  double n0, nB, nD;
  double vdd, leffUm;
  bool part0100 = false;  // XPART given: 0/100 drain/source partition
};

struct Bsim1 {
  using Inst = B1Inst;
  static constexpr const char* kName = "BSIM1";

  // ngspice's bsim1 load: gm, gds, gmbs not below 0 (its .ac small signal)
  static void limitSmallSignal(double& gm, double& gds, double& gmbs) {
    gm = std::max(gm, 0.0);
    gds = std::max(gds, 0.0);
    gmbs = std::max(gmbs, 0.0);
  }

  static bsim12::Channel channel(const Inst& p, const Ad& vds, const Ad& vbs, const Ad& vgs) {
    bsim12::Channel ch;
    const double vt = bsim12::vt0(), vdd = p.vdd;
    Ad ugs = p.ugs + p.ugsB * vbs;
    if (ugs.v <= 0) ugs = 0.0;
    Ad uds = p.uds + p.udsB * vbs + p.udsD * (vds - vdd);
    if (uds.v <= 0) uds = 0.0;
    else uds = uds / p.leffUm;
    Ad eta = p.eta + p.etaB * vbs + p.etaD * (vds - vdd);
    if (eta.v <= 0) eta = 0.0;
    else if (eta.v > 1) eta = 1.0;
    // (at vbs = 0 the derivatives of the reverse-bias side, as ngspice's small signal)
    const Ad vpb = vbs.v <= 0 ? p.phi - vbs : Ad(p.phi);
    const Ad sqrtVpb = sqrt(vpb);
    const Ad von = p.vfb + p.phi + p.k1 * sqrtVpb - p.k2 * vpb - eta * vds;
    ch.von = von.v;
    const Ad vgst = vgs - von;
    const Ad g = 1.0 - 1.0 / (1.744 + 0.8364 * vpb);
    const Ad a = max(1.0 + 0.5 * g * p.k1 / sqrtVpb, 1.0);

    Ad id = 0.0;
    if (vgst.v >= 0) {
      // beta at vgs = Vth: quadratic in vds below VDD through its values at 0 and VDD
      const Ad betaVds0 = p.betaZero + p.betaZeroB * vbs;
      const Ad betaVdd = p.betaVdd + p.betaVddB * vbs;
      const double dBetaVdd = std::max(p.betaVddD, 0.0);
      Ad beta0;
      if (vds.v > vdd) {
        beta0 = betaVdd + dBetaVdd * (vds - vdd);
      } else {
        const Ad c1 = (betaVds0 - betaVdd + dBetaVdd * vdd) / (vdd * vdd);
        const Ad c2 = 2.0 * (betaVdd - betaVds0) / vdd - dBetaVdd;
        beta0 = (c1 * vds + c2) * vds + betaVds0;
      }
      const Ad beta = beta0 / max(1.0 + ugs * vgst, 1.0);
      Ad vc = uds * vgst / a;
      if (vc.v < 0) vc = 0.0;
      const Ad k = 0.5 * (1.0 + vc + sqrt(1.0 + 2.0 * vc));
      const Ad vdsat = max(vgst / (a * sqrt(k)), 0.0);
      ch.vdsat = vdsat.v;
      if (vds.v < vdsat.v) id = beta * (vgst - 0.5 * a * vds) * vds / max(1.0 + uds * vds, 1.0);
      else id = 0.5 * beta * vgst * vgst / (a * k);
    }
    if (p.n0 < 200) {  // subthreshold current, always added
      Ad n = p.n0 + p.nB * vbs + p.nD * vds;
      if (n.v < 0.5) n = 0.5;
      const Ad wds = 1.0 - exp(-vds / vt);
      const Ad wgs = exp(vgst / (n * vt));
      const double warg2 = 6.04965 * vt * vt * p.betaZero, ilimit = 4.5 * vt * vt * p.betaZero;
      const Ad iexp = warg2 * wgs * wds;
      id += ilimit * iexp / (ilimit + iexp);
    }
    if (id.v < 0) id = 0.0;
    ch.ids = id;

    // charges (ngspice's B1evaluate: from the threshold without eta and K2)
    const double wlcox = p.cox * p.leff * p.weff * 1e4;
    const double phi = std::max(0.1, p.phi);
    const Ad vth0 = p.vfb + phi + p.k1 * sqrtVpb;
    const Ad vg = vgs - vth0;
    const Ad arg1 = a * vds;
    const Ad arg3 = vds - arg1;
    const Ad ent = max(vg - 0.5 * arg1, 1e-8);
    const Ad vgbVfb = vgs - vbs - p.vfb;
    if (vgbVfb.v < 0) {  // accumulation
      ch.qg = wlcox * vgbVfb;
      ch.qb = -ch.qg;
    } else if (vgs.v < vth0.v) {  // depletion
      ch.qg = p.k1 > 0 ? 0.5 * wlcox * p.k1 * p.k1 * (sqrt(1.0 + 4.0 * vgbVfb / (p.k1 * p.k1)) - 1.0) : Ad(0.0);
      ch.qb = -ch.qg;
    } else if (vds.v < std::max(vg.v / a.v, 0.0)) {  // triode
      const bool tiny = !(ent.v > 1e-8);
      const Ad argl5 = tiny ? Ad(2.0) : arg1 / ent;
      const Ad argl7 = argl5 / 12.0;
      ch.qg = wlcox * (vgs - p.vfb - phi - 0.5 * vds + vds * argl7);
      ch.qb = wlcox * (p.vfb + phi - vth0 + 0.5 * arg3 - arg3 * argl7);
      if (p.part0100) {
        ch.qd = -wlcox * (0.5 * vg - 0.75 * arg1 + 0.125 * arg1 * argl5);
      } else {
        const Ad vcom = vg * vg / 6.0 - 0.125 * arg1 * vg + 0.025 * arg1 * arg1;
        const Ad argl6 = tiny ? Ad(4.0 / 15.0) : vcom / (ent * ent);
        ch.qd = -wlcox * (0.5 * (vg - arg1) + arg1 * argl6);
      }
    } else {  // saturation
      const Ad args1 = 1.0 / (3.0 * a);
      ch.qg = wlcox * (vgs - p.vfb - phi - vg * args1);
      ch.qb = wlcox * (p.vfb + phi - vth0 + (1.0 - a) * vg * args1);
      ch.qd = p.part0100 ? Ad(0.0) : -4.0 / 15.0 * wlcox * vg;
    }
    return ch;
  }

  // X + LX/Leff + WX/Weff (Leff, Weff in µm)
  static double sized(const ParamValues& P, const char* x, double leffUm, double weffUm) {
    const std::string n(x);
    return P.model(n) + P.model("l" + n) / leffUm + P.model("w" + n) / weffUm;
  }

  static std::string setupLevel(const ParamValues& P, Inst& p) {
    const double lu = p.leff * 1e6, wu = p.weff * 1e6;
    p.leffUm = lu;
    p.vdd = P.model("vdd");
    if (!(p.vdd > 0)) return "VDD must be positive (the supply at which MUS is given)";
    p.vfb = sized(P, "vfb", lu, wu);
    p.phi = std::max(sized(P, "phi", lu, wu), 0.1);
    p.k1 = std::max(sized(P, "k1", lu, wu), 0.0);
    p.k2 = std::max(sized(P, "k2", lu, wu), 0.0);
    p.eta = sized(P, "eta", lu, wu);
    p.etaB = sized(P, "x2e", lu, wu);
    p.etaD = sized(P, "x3e", lu, wu);
    const double coxWL = p.cox * wu / lu;
    p.betaZero = P.model("muz") * coxWL;
    p.betaZeroB = sized(P, "x2mz", lu, wu) * coxWL;
    p.betaVdd = sized(P, "mus", lu, wu) * coxWL;
    p.betaVddB = sized(P, "x2ms", lu, wu) * coxWL;
    p.betaVddD = std::max(sized(P, "x3ms", lu, wu) * coxWL, 0.0);
    p.ugs = sized(P, "u0", lu, wu);
    p.ugsB = sized(P, "x2u0", lu, wu);
    p.uds = sized(P, "u1", lu, wu);
    p.udsB = sized(P, "x2u1", lu, wu);
    p.udsD = sized(P, "x3u1", lu, wu);
    p.n0 = sized(P, "n0", lu, wu);
    p.nB = sized(P, "nb", lu, wu);
    p.nD = sized(P, "nd", lu, wu);
    // the initial guess vgs = type*vt0 of the local (polarity-applied) frame, as ngspice
    p.vt0 = p.sign * (p.vfb + p.phi + p.k1 * std::sqrt(p.phi) - p.k2 * p.phi);
    p.part0100 = P.hasModel("xpart");
    p.acCgbo = P.model("cgbo") * P.inst("l");  // ngspice's .ac: per drawn length
    return {};
  }
};

using Bsim1Group = bsim12::Group<Bsim1>;

constexpr const char* kTypes[] = {"nmos@4", "pmos@4"};
// XPART: a flag in ngspice's bsim1 (a bare word, or with a value that does not matter)
constexpr ParamSpec xpartParam() {
  ParamSpec p = mparam("xpart", kNoDefault, "", "given (bare, or with any value: ngspice reads a flag): 0/100 charge partition")
                    .shown("40/60");
  p.flag = true;
  return p;
}
constexpr ParamSpec kParams[] = {
    SIMCORE_BSIM12_INSTANCE_PARAMS
    mparam("level", 4.0, "", "model level: 4"),
    SIMCORE_BSIM12_LW("vfb", 0.0, "V", "flat-band voltage"),
    SIMCORE_BSIM12_LW("phi", 0.0, "V", "surface inversion potential (at least 0.1)"),
    SIMCORE_BSIM12_LW("k1", 0.0, "√V", "body effect coefficient"),
    SIMCORE_BSIM12_LW("k2", 0.0, "", "charge sharing coefficient"),
    SIMCORE_BSIM12_LW("eta", 0.0, "", "drain-induced barrier lowering at vds = VDD"),
    SIMCORE_BSIM12_LW("x2e", 0.0, "1/V", "vbs dependence of ETA"),
    SIMCORE_BSIM12_LW("x3e", 0.0, "1/V", "vds dependence of ETA"),
    mparam("dl", 0.0, "µm", "channel length reduction"),
    mparam("dw", 0.0, "µm", "channel width reduction"),
    mparam("muz", 0.0, "cm²/Vs", "mobility at vds = 0, vgs = Vth"),
    SIMCORE_BSIM12_LW("x2mz", 0.0, "cm²/V²s", "vbs dependence of MUZ"),
    SIMCORE_BSIM12_LW("mus", 0.0, "cm²/Vs", "mobility at vds = VDD, vgs = Vth"),
    SIMCORE_BSIM12_LW("x2ms", 0.0, "cm²/V²s", "vbs dependence of MUS"),
    SIMCORE_BSIM12_LW("x3ms", 0.0, "cm²/V²s", "vds dependence of MUS"),
    SIMCORE_BSIM12_LW("u0", 0.0, "1/V", "gate-field mobility degradation"),
    SIMCORE_BSIM12_LW("x2u0", 0.0, "1/V²", "vbs dependence of U0"),
    SIMCORE_BSIM12_LW("u1", 0.0, "µm/V", "velocity saturation"),
    SIMCORE_BSIM12_LW("x2u1", 0.0, "µm/V²", "vbs dependence of U1"),
    SIMCORE_BSIM12_LW("x3u1", 0.0, "µm/V²", "vds dependence of U1"),
    SIMCORE_BSIM12_LW("n0", 0.0, "", "subthreshold slope (200 or more: no subthreshold current)"),
    SIMCORE_BSIM12_LW("nb", 0.0, "1/V", "vbs dependence of the subthreshold slope"),
    SIMCORE_BSIM12_LW("nd", 0.0, "1/V", "vds dependence of the subthreshold slope"),
    mparam("tox", 0.0, "µm", "gate oxide thickness (required)"),
    mparam("temp", 0.0, "°C", "temperature of the extraction: read, no effect (as ngspice)"),
    mparam("vdd", 0.0, "V", "supply voltage at which MUS is given (required)"),
    mparam("cgso", 0.0, "F/m", "gate-source overlap capacitance per width"),
    mparam("cgdo", 0.0, "F/m", "gate-drain overlap capacitance per width"),
    mparam("cgbo", 0.0, "F/m", "gate-bulk overlap capacitance per length"),
    xpartParam(),
    SIMCORE_BSIM12_JUNCTION_PARAMS
};

}  // namespace

extern const DeviceKind kBsim1Kind;
constexpr DeviceKind kBsim1Kind{
    .letter = 'm', .name = "MOSFET", .form = CardForm::ModelCard, .minNodes = 4, .maxNodes = 4,
    .modelTypes = kTypes, .params = kParams,
    .valueDoc = "Mname d g s b model [l=] [w=] [ad=] [as=] [pd=] [ps=] ... (a .model nmos|pmos with LEVEL=4)",
    .create = makeGroup<Bsim1Group, kBsim1Kind>};

}  // namespace simcore::dev
