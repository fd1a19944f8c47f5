// M with an nmos/pmos model of LEVEL=5: BSIM2 as ngspice 39's bsim2, in the
// frame BSIM1 and BSIM2 share (bsim12.hpp). Size dependence: each parameter X
// has LX and WX with X(L, W) = X + LX/Leff + WX/Weff (Leff = L - DL,
// Weff = W - DW in µm); the mobilities MU0, MUS0, MU3x, MU4x (cm²/Vs) become
// beta = mu*Cox*Weff/Leff (MU2x is dimensionless). Drain current (mode
// frame): the threshold VFB + PHI + K1 sqrt(PHI - vbs) - K2 (PHI - vbs) -
// ETA vds; an effective gate drive that is the gate overdrive above VGHIGH,
// the subthreshold exponential below VGLOW and a cubic between them; beta
// with its tanh saturation in vds (MU2x) and linear and quadratic vds terms
// (MU3x, MU4x); vertical-field (UA, UB) and velocity-saturation (U1) mobility
// degradation; the output-resistance factor 1 + AI exp(-BI/(vds - vdsat)).
// Voltages are clamped to 2 VDD, 2 VGG and 2 VBB as ngspice does. Charges:
// BSIM2's charge model with the 40/60 partition (XPART is read, no effect,
// as ngspice). No temperature dependence beyond the model's TEMP (the
// thermal voltage of the subthreshold current), as ngspice.
#include <algorithm>
#include <cmath>

#include "devices/bsim12.hpp"
#include "devices/common.hpp"

namespace simcore::dev {
namespace {

using bsim12::Ad;

struct B2Inst : bsim12::Frame {
  double vfb, phi, k1, k2, eta0, etaB;
  double beta0, beta0B, betas0, betasB, beta20, beta2B, beta2G, beta30, beta3B, beta3G, beta40, beta4B, beta4G;
  double ua0, uaB, ub0, ubB, u10, u1B, u1D;
  double n0, nB, nD, vof0, vofB, vofD, ai0, aiB, bi0, biB, vghigh, vglow;
  double vdd, vdd2, vgg2, vbb2, vtm, phis3, coxWL;
};

struct Bsim2 {
  using Inst = B2Inst;
  static constexpr const char* kName = "BSIM2";

  // ngspice's bsim2 load: gds at least 1e-20 (its .ac small signal)
  static void limitSmallSignal(double&, double& gds, double&) { gds = std::max(gds, 1e-20); }

  static bsim12::Channel channel(const Inst& p, Ad vds, Ad vbs, Ad vgs) {
    bsim12::Channel ch;
    if (vbs.v < p.vbb2) vbs = p.vbb2;
    if (vgs.v > p.vgg2) vgs = p.vgg2;
    if (vds.v > p.vdd2) vds = p.vdd2;
    const double vtm = p.vtm;
    Ad phisb, t1s;
    if (vbs.v <= 0) {
      phisb = p.phi - vbs;
      t1s = sqrt(phisb);
    } else {
      phisb = p.phi * p.phi / (p.phi + vbs);
      t1s = p.phis3 / (p.phi + 0.5 * vbs);
    }
    const Ad eta = p.eta0 + p.etaB * vbs;
    const Ad ua = p.ua0 + p.uaB * vbs, ub = p.ub0 + p.ubB * vbs, u1s = p.u10 + p.u1B * vbs;
    const Ad vth = p.vfb + p.phi + p.k1 * t1s - p.k2 * phisb - eta * vds;
    ch.von = vth.v;
    const Ad vgst = vgs - vth;
    const Ad gg = 1.0 - 1.0 / (1.744 + 0.8364 * phisb);
    const Ad aa = 1.0 + 0.5 * gg / t1s * p.k1;

    // effective gate drive
    const double vghigh = p.vghigh, vglow = p.vglow;
    Ad vgeff, exp0 = 0.0, exp1 = 0.0, n = 0.0;
    if (vgst.v >= vghigh || p.n0 == 0.0) {
      vgeff = vgst;
    } else {
      const Ad vof = p.vof0 + p.vofB * vbs + p.vofD * vds;
      n = p.n0 + p.nB / t1s + p.nD * vds;
      const Ad tmp = 0.5 / (n * vtm);
      exp1 = exp(max(-vds / vtm, -30.0));
      const Ad tmp1 = max(1.0 - exp1, 1.0e-18);
      if (vgst.v <= vglow) {
        exp0 = exp(0.5 * vof + max(vgst * tmp, -30.0));
        vgeff = sqrt(2.0 * aa * tmp1) * vtm * exp0;
      } else {
        // a cubic in vgst joining the exponential at VGLOW to vgst at VGHIGH
        exp0 = exp(0.5 * vof + max(vglow * tmp, -30.0));
        const Ad con3 = sqrt(2.0 * aa * (1.0 - exp1)) * vtm * exp0;
        const Ad con4 = con3 * tmp;
        const double sqh = vghigh * vghigh, sql = vglow * vglow;
        const double t0 = 2.0 * vghigh, t1 = 2.0 * vglow, t2 = 3.0 * sqh, t3 = 3.0 * sql;
        const double t4 = vghigh - vglow, t5 = sqh - sql, t6 = vghigh * sqh - vglow * sql;
        const Ad t7 = vghigh - con3;
        const double delta = 1.0 / ((t1 - t0) * t6 + (t2 - t3) * t5 + (t0 * t3 - t1 * t2) * t4);
        const Ad cb = (t1 - con4 * t0) * t6 + (con4 * t2 - t3) * t5 + (t0 * t3 - t1 * t2) * t7;
        const Ad cc = (con4 - 1.0) * t6 + (t2 - t3) * t7 + (t3 - con4 * t2) * t4;
        const Ad cd = (t1 - t0) * t7 + (1.0 - con4) * t5 + (con4 * t0 - t1) * t4;
        const Ad ca = sqh * (cc + cd * t0);
        vgeff = (ca + vgst * (cb + vgst * (cc + vgst * cd))) * delta;
      }
    }

    Ad ids = 0.0;
    Ad vdsat = 0.0;
    if (vgeff.v > 0) {
      const Ad uvert = max(1.0 + vgeff * (ua + vgeff * ub), 0.2);
      const Ad vc = u1s / aa / uvert * vgeff;
      const Ad kk = 0.5 * (1.0 + vc + sqrt(1.0 + 2.0 * vc));
      vdsat = max(vgeff / (aa * sqrt(kk)), 1.0e-18);
      const Ad beta0 = p.beta0 + p.beta0B * vbs;
      const Ad betas = p.betas0 + p.betasB * vbs;
      const Ad beta2 = p.beta20 + p.beta2B * vbs + p.beta2G * vgs;
      const Ad beta3 = p.beta30 + p.beta3B * vbs + p.beta3G * vgs;
      const Ad beta4 = p.beta40 + p.beta4B * vbs + p.beta4G * vgs;
      const Ad beta1 = betas - (beta0 + p.vdd * (beta3 - p.vdd * beta4));
      const Ad e2 = exp(2.0 * min(vds * beta2 / vdsat, 30.0));
      const Ad tanh = (e2 - 1.0) / (e2 + 1.0);
      const Ad beta = beta0 + beta1 * tanh + vds * (beta3 - beta4 * vds);
      // 1 + AI exp(-BI/(vds - vdsat)) in saturation
      auto fr = [&]() -> Ad {
        const Ad ai = p.ai0 + p.aiB * vbs, bi = p.bi0 + p.biB * vbs;
        return 1.0 + ai * exp(-min(bi / (vds - vdsat), 30.0));
      };
      if (vgst.v > vglow) {
        if (vds.v <= vdsat.v) {  // triode
          const Ad t4 = vds / vdsat - 1.0;
          const Ad u1 = u1s * (1.0 - p.u1D * t4 * t4);
          const Ad utot = max(uvert + u1 * vds, 0.5);
          ids = beta / utot * (vgeff - 0.5 * aa * vds) * vds;
        } else {  // saturation
          ids = beta / uvert * (0.5 * vgeff * vgeff / (aa * kk));
          if (p.ai0 != 0.0) ids = ids * fr();
        }
      } else {  // subthreshold
        ids = beta * vtm * vtm * exp0 * exp0 * (1.0 - exp1);
        if (vds.v > vdsat.v && p.ai0 != 0.0) ids = ids * fr();
      }
    }
    if (!(ids.v >= 1e-50)) ids = 1e-50;  // ngspice's floor
    ch.ids = ids;
    ch.vdsat = vdsat.v;

    // charges
    const double coxWL = p.coxWL;
    const Ad vbseff = vbs.v < 0 ? vbs : p.phi - phisb;
    const Ad arg1 = vgs - vbseff - p.vfb;
    const Ad arg2 = arg1 - vgst;
    const Ad qbulk = coxWL / 3.0 * arg2;
    if (arg1.v <= 0) {  // accumulation
      ch.qg = coxWL * arg1;
      ch.qb = -ch.qg;
    } else if (vgst.v <= 0) {  // depletion
      const Ad t2 = arg1 / arg2;
      ch.qg = coxWL * arg1 * (1.0 - t2 * (1.0 - t2 / 3.0));
      ch.qb = -ch.qg;
    } else {
      Ad vds0 = vdsat;  // the saturation voltage of the charges
      if (vgst.v < vghigh) {
        const Ad uvert = max(1.0 + vgst * (ua + vgst * ub), 0.2);
        const Ad vc = u1s / aa / uvert * vgst;
        const Ad kk = 0.5 * (1.0 + vc + sqrt(1.0 + 2.0 * vc));
        vds0 = vgst / (aa * sqrt(kk));
      }
      const double two3 = 2.0 / 3.0 * coxWL, one3 = coxWL / 3.0;
      if (vds.v >= vds0.v) {  // saturation
        ch.qb = -qbulk;
        ch.qg = two3 * vgst + qbulk;
        ch.qd = -0.4 * two3 * vgst;
      } else {  // linear
        const Ad vgdt = vgst * (1.0 - vds / vds0);
        const Ad t0 = vgst / (vgst + vgdt), t1 = vgdt / (vgst + vgdt);
        const Ad t5 = t0 * t1;
        ch.qg = two3 * (vgst + vgdt - vgdt * t0) + qbulk;
        ch.qb = -qbulk;
        ch.qd = -one3 * (0.2 * vgdt + 0.8 * vgst + vgdt * t1 + 0.2 * t5 * (vgdt - vgst));
      }
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
    p.vdd = P.model("vdd");
    p.vdd2 = 2.0 * p.vdd;
    p.vgg2 = 2.0 * P.model("vgg");
    p.vbb2 = 2.0 * P.model("vbb");
    p.vtm = 8.625e-5 * (P.model("temp") + 273.0);
    if (!(p.vtm > 0)) return "TEMP must be above -273 °C";
    p.vfb = sized(P, "vfb", lu, wu);
    p.phi = sized(P, "phi", lu, wu);
    if (!(p.phi > 0)) return "PHI (with LPHI, WPHI) must be positive";
    p.k1 = sized(P, "k1", lu, wu);
    p.k2 = sized(P, "k2", lu, wu);
    p.eta0 = sized(P, "eta0", lu, wu);
    p.etaB = sized(P, "etab", lu, wu);
    const double beta0 = P.model("mu0");
    p.beta0B = sized(P, "mu0b", lu, wu);
    p.betas0 = std::max(sized(P, "mus0", lu, wu), 1.01 * beta0);
    p.betasB = sized(P, "musb", lu, wu);
    const double vbb = P.model("vbb");
    const double room = p.betas0 - beta0 - p.beta0B * vbb;
    if (vbb != 0 && -p.betasB * vbb > room) p.betasB = -room / vbb;
    p.beta20 = sized(P, "mu20", lu, wu);
    p.beta2B = sized(P, "mu2b", lu, wu);
    p.beta2G = sized(P, "mu2g", lu, wu);
    p.beta30 = sized(P, "mu30", lu, wu);
    p.beta3B = sized(P, "mu3b", lu, wu);
    p.beta3G = sized(P, "mu3g", lu, wu);
    p.beta40 = sized(P, "mu40", lu, wu);
    p.beta4B = sized(P, "mu4b", lu, wu);
    p.beta4G = sized(P, "mu4g", lu, wu);
    const double coxWL = p.cox * wu / lu;
    p.beta0 = beta0 * coxWL;
    for (double* b : {&p.beta0B, &p.betas0, &p.betasB, &p.beta30, &p.beta3B, &p.beta3G, &p.beta40, &p.beta4B,
                      &p.beta4G})
      *b *= coxWL;
    p.ua0 = sized(P, "ua0", lu, wu);
    p.uaB = sized(P, "uab", lu, wu);
    p.ub0 = sized(P, "ub0", lu, wu);
    p.ubB = sized(P, "ubb", lu, wu);
    p.u10 = sized(P, "u10", lu, wu);
    p.u1B = sized(P, "u1b", lu, wu);
    p.u1D = sized(P, "u1d", lu, wu);
    p.n0 = std::max(sized(P, "n0", lu, wu), 0.0);
    p.nB = sized(P, "nb", lu, wu);
    p.nD = sized(P, "nd", lu, wu);
    p.vof0 = sized(P, "vof0", lu, wu);
    p.vofB = sized(P, "vofb", lu, wu);
    p.vofD = sized(P, "vofd", lu, wu);
    p.ai0 = sized(P, "ai0", lu, wu);
    p.aiB = sized(P, "aib", lu, wu);
    p.bi0 = sized(P, "bi0", lu, wu);
    p.biB = sized(P, "bib", lu, wu);
    p.vghigh = sized(P, "vghigh", lu, wu);
    p.vglow = sized(P, "vglow", lu, wu);
    if (p.n0 != 0 && !(p.vghigh > p.vglow)) return "VGHIGH must exceed VGLOW (with their L and W terms)";
    p.coxWL = p.cox * p.leff * p.weff * 1e4;
    p.phis3 = std::sqrt(p.phi) * p.phi;
    // the initial guess vgs = type*vt0 of the local (polarity-applied) frame, as ngspice
    p.vt0 = p.sign * (p.vfb + p.phi + p.k1 * std::sqrt(p.phi) - p.k2 * p.phi);
    return {};
  }
};

using Bsim2Group = bsim12::Group<Bsim2>;

constexpr const char* kTypes[] = {"nmos@5", "pmos@5"};
constexpr ParamSpec kParams[] = {
    SIMCORE_BSIM12_INSTANCE_PARAMS
    mparam("level", 5.0, "", "model level: 5"),
    SIMCORE_BSIM12_LW("vfb", -1.0, "V", "flat-band voltage"),
    SIMCORE_BSIM12_LW("phi", 0.75, "V", "surface inversion potential"),
    SIMCORE_BSIM12_LW("k1", 0.8, "√V", "body effect coefficient"),
    SIMCORE_BSIM12_LW("k2", 0.0, "", "charge sharing coefficient"),
    SIMCORE_BSIM12_LW("eta0", 0.0, "", "drain-induced barrier lowering at vbs = 0"),
    SIMCORE_BSIM12_LW("etab", 0.0, "1/V", "vbs dependence of ETA"),
    mparam("dl", 0.0, "µm", "channel length reduction"),
    mparam("dw", 0.0, "µm", "channel width reduction"),
    mparam("mu0", 400.0, "cm²/Vs", "low-field mobility at vbs = 0"),
    SIMCORE_BSIM12_LW("mu0b", 0.0, "cm²/V²s", "vbs dependence of MU0"),
    SIMCORE_BSIM12_LW("mus0", 500.0, "cm²/Vs", "mobility at vds = VDD (at least 1.01 MU0)"),
    SIMCORE_BSIM12_LW("musb", 0.0, "cm²/V²s", "vbs dependence of MUS"),
    SIMCORE_BSIM12_LW("mu20", 1.5, "", "vds dependence of the saturation (tanh) term"),
    SIMCORE_BSIM12_LW("mu2b", 0.0, "1/V", "vbs dependence of MU2"),
    SIMCORE_BSIM12_LW("mu2g", 0.0, "1/V", "vgs dependence of MU2"),
    SIMCORE_BSIM12_LW("mu30", 10.0, "cm²/V²s", "linear vds dependence of mobility"),
    SIMCORE_BSIM12_LW("mu3b", 0.0, "cm²/V³s", "vbs dependence of MU3"),
    SIMCORE_BSIM12_LW("mu3g", 0.0, "cm²/V³s", "vgs dependence of MU3"),
    SIMCORE_BSIM12_LW("mu40", 0.0, "cm²/V³s", "quadratic vds dependence of mobility"),
    SIMCORE_BSIM12_LW("mu4b", 0.0, "cm²/V⁴s", "vbs dependence of MU4"),
    SIMCORE_BSIM12_LW("mu4g", 0.0, "cm²/V⁴s", "vgs dependence of MU4"),
    SIMCORE_BSIM12_LW("ua0", 0.2, "1/V", "linear vertical-field mobility degradation"),
    SIMCORE_BSIM12_LW("uab", 0.0, "1/V²", "vbs dependence of UA"),
    SIMCORE_BSIM12_LW("ub0", 0.0, "1/V²", "quadratic vertical-field mobility degradation"),
    SIMCORE_BSIM12_LW("ubb", 0.0, "1/V³", "vbs dependence of UB"),
    SIMCORE_BSIM12_LW("u10", 0.1, "1/V", "velocity saturation"),
    SIMCORE_BSIM12_LW("u1b", 0.0, "1/V²", "vbs dependence of U1"),
    SIMCORE_BSIM12_LW("u1d", 0.0, "", "vds dependence of U1"),
    SIMCORE_BSIM12_LW("n0", 1.4, "", "subthreshold slope (0: no subthreshold region)"),
    SIMCORE_BSIM12_LW("nb", 0.5, "√V", "vbs dependence of the subthreshold slope"),
    SIMCORE_BSIM12_LW("nd", 0.0, "1/V", "vds dependence of the subthreshold slope"),
    SIMCORE_BSIM12_LW("vof0", 1.8, "", "subthreshold offset"),
    SIMCORE_BSIM12_LW("vofb", 0.0, "1/V", "vbs dependence of VOF"),
    SIMCORE_BSIM12_LW("vofd", 0.0, "1/V", "vds dependence of VOF"),
    SIMCORE_BSIM12_LW("ai0", 0.0, "", "output-resistance (impact ionisation) factor"),
    SIMCORE_BSIM12_LW("aib", 0.0, "1/V", "vbs dependence of AI"),
    SIMCORE_BSIM12_LW("bi0", 0.0, "V", "output-resistance (impact ionisation) exponent"),
    SIMCORE_BSIM12_LW("bib", 0.0, "", "vbs dependence of BI"),
    SIMCORE_BSIM12_LW("vghigh", 0.2, "V", "upper bound of the transition region"),
    SIMCORE_BSIM12_LW("vglow", -0.15, "V", "lower bound of the transition region"),
    mparam("tox", 0.03, "µm", "gate oxide thickness"),
    mparam("temp", 27.0, "°C", "temperature of the subthreshold thermal voltage"),
    mparam("vdd", 5.0, "V", "maximum vds (vds is clamped to 2·VDD)"),
    mparam("vgg", 5.0, "V", "maximum vgs (vgs is clamped to 2·VGG)"),
    mparam("vbb", 5.0, "V", "maximum body bias (vbs is clamped to at least 2·VBB: give a negative VBB, as ngspice)"),
    mparam("cgso", 0.0, "F/m", "gate-source overlap capacitance per width"),
    mparam("cgdo", 0.0, "F/m", "gate-drain overlap capacitance per width"),
    mparam("cgbo", 0.0, "F/m", "gate-bulk overlap capacitance per length"),
    mparam("xpart", 0.0, "", "charge partition: read, no effect (40/60, as ngspice)"),
    SIMCORE_BSIM12_JUNCTION_PARAMS
};

}  // namespace

extern const DeviceKind kBsim2Kind;
constexpr DeviceKind kBsim2Kind{
    .letter = 'm', .name = "MOSFET", .form = CardForm::ModelCard, .minNodes = 4, .maxNodes = 4,
    .modelTypes = kTypes, .params = kParams,
    .valueDoc = "Mname d g s b model [l=] [w=] [ad=] [as=] [pd=] [ps=] ... (a .model nmos|pmos with LEVEL=5)",
    .create = makeGroup<Bsim2Group, kBsim2Kind>};

}  // namespace simcore::dev
