// BSIM3SOI DD/FD parameters of one instance at its size and temperature:
// defaults that depend on other parameters, binning, doping-derived
// body-effect coefficients, temperature scaling (mobility, saturation
// velocity, RDSW, diode and bipolar saturation currents), the film and box
// capacitances and the source/drain-to-substrate capacitance coefficients.
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "devices/b3soidd_model.hpp"
#include "devices/b3soidd_params.hpp"

namespace simcore::dev::b3soi {
namespace {

constexpr double kEpsOx = 3.453133e-11, kEpsSi = 1.03594e-10, kQ = 1.60219e-19, kKboQ = 8.617087e-5;

struct Card {
  const ParamValues& P;
  bool pmos;
  int mobMod;
  double operator()(std::string_view n) const {
    if (P.hasModel(n)) return P.model(n);
    if (n == "vth0") return pmos ? -0.7 : 0.7;
    if (n == "u0") return pmos ? 0.025 : 0.067;
    if (n == "uc") return mobMod == 3 ? -0.0465 : -0.0465e-9;
    if (n == "uc1") return mobMod == 3 ? -0.056 : -0.056e-9;
    if (n == "dsub") return (*this)("drout");
    if (n == "xj") return (*this)("tsi");
    if (n == "dwc") return (*this)("wint");
    if (n == "dlc") return (*this)("lint");
    if (n == "cf") return 2.0 * kEpsOx / M_PI * std::log(1.0 + 0.4e-6 / (*this)("tox"));
    return P.model(n);
  }
  bool given(std::string_view n) const { return P.hasModel(n); }
};

// A doping given in 1/m³ (above 1e20) is read in 1/cm³.
double doping(double v) { return v > 1.0e20 ? v * 1.0e-6 : v; }

}  // namespace

std::string setup(const ParamValues& P, bool pmos, bool fd, double T, double Tnom, int bodyMod, Inst& p) {
  p.fd = fd;
  p.type = pmos ? -1.0 : 1.0;
  p.bodyMod = bodyMod;
  p.mobMod = int(P.model("mobmod"));
  p.capMod = int(P.model("capmod"));
  p.shMod = int(P.model("shmod"));
  const Card c{P, pmos, p.mobMod};
  p.bjtoff = P.inst("bjtoff") == 1.0;
  p.xpart = c("xpart");
  p.tox = c("tox");
  p.cox = kEpsOx / p.tox;
  p.tsi = c("tsi");
  p.tbox = c("tbox");
  p.xj = c("xj");
  p.tnom = Tnom;
  const double npeakModel = doping(c("nch"));

  // film and box
  p.cbox = kEpsOx / p.tbox;
  p.csi = kEpsSi / p.tsi;
  const double cboxt = p.cbox * p.csi / (p.cbox + p.csi);
  p.qsi = kQ * npeakModel * 1e6 * p.tsi;
  {
    const double vbsa = c("vbsa");
    const double t1 = 2.0 * kEpsSi * vbsa / kQ / (1e6 * npeakModel);
    if (p.tsi * p.tsi < t1) {  // VBSA too large for this TSI: taken as 0 (as ngspice)
      p.csieff = p.csi;
      p.qsieff = p.qsi;
    } else {
      const double t = std::sqrt(p.tsi * p.tsi - t1);
      p.csieff = kEpsSi / t;
      p.qsieff = kQ * npeakModel * 1e6 * t;
    }
  }
  const double csit = 1.0 / (1.0 / p.cox + 1.0 / p.csieff);
  p.cboxt = 1.0 / (1.0 / p.cbox + 1.0 / p.csieff);
  p.nfbModel = c("kb3") / (1.0 + p.cbox / csit);
  p.adice = c("adice0") / (1.0 + cboxt / p.cox);

  // temperature
  const double tRatio = T / Tnom;
  p.factor1 = std::sqrt(kEpsSi / kEpsOx * p.tox);
  const double eg0 = 1.16 - 7.02e-4 * Tnom * Tnom / (Tnom + 1108.0);
  p.vtm = kKboQ * T;
  const double eg = 1.16 - 7.02e-4 * T * T / (T + 1108.0);
  const double ni = 1.45e10 * (T / 300.15) * std::sqrt(T / 300.15) * std::exp(21.5565981 - eg / (2.0 * p.vtm));
  p.tempRatio = T / Tnom - 1.0;

  // sizes
  const double L = P.inst("l"), W = P.inst("w");
  const double t0l = std::pow(L, c("lln")), t1w = std::pow(W, c("lwn"));
  const double dlTerm = c("ll") / t0l + c("lw") / t1w + c("lwl") / (t0l * t1w);
  const double dl = c("lint") + dlTerm, dlc = c("dlc") + dlTerm;
  const double t2l = std::pow(L, c("wln")), t3w = std::pow(W, c("wwn"));
  const double dwTerm = c("wl") / t2l + c("ww") / t3w + c("wwl") / (t2l * t3w);
  const double dw = c("wint") + dwTerm, dwc = c("dwc") + dwTerm;
  p.leff = L - 2.0 * dl;
  if (!(p.leff > 0)) return "effective channel length <= 0";
  p.weff = W - 2.0 * dw;
  if (!(p.weff > 0)) return "effective channel width <= 0";
  p.leffCV = L - 2.0 * dlc;
  if (!(p.leffCV > 0)) return "effective channel length for C-V <= 0";
  p.weffCV = W - 2.0 * dwc;
  if (!(p.weffCV > 0)) return "effective channel width for C-V <= 0";
  p.abulkCVfactor = std::pow(1.0 + c("clc") / p.leff, c("cle"));
  double invL, invW, invLW;
  if (c("binunit") == 1.0) {
    invL = 1.0e-6 / p.leff;
    invW = 1.0e-6 / p.weff;
    invLW = 1.0e-12 / (p.leff * p.weff);
  } else {
    invL = 1.0 / p.leff;
    invW = 1.0 / p.weff;
    invLW = 1.0 / (p.leff * p.weff);
  }
  auto bin = [&](const char* name) {
    for (const Binned& b : kB3soiBinned)
      if (std::string_view(b.name) == name) {
        double base = c(name);
        if (std::string_view(name) == "nch" || std::string_view(name) == "ngate") base = doping(base);
        return base + c(b.l) * invL + c(b.w) * invW + c(b.p) * invLW;
      }
    return c(name);
  };
  p.npeak = bin("nch");
  p.nsub = bin("nsub");
  p.ngate = bin("ngate");
  double vth0 = bin("vth0");
  double k1 = bin("k1"), k2 = bin("k2");
  p.k3 = bin("k3");
  p.k3b = bin("k3b");
  p.vbsa = bin("vbsa");
  p.delp = bin("delp");
  p.kb1 = bin("kb1");
  p.kb3 = bin("kb3");
  p.dvbd0 = bin("dvbd0");
  p.dvbd1 = bin("dvbd1");
  p.w0 = bin("w0");
  p.nlx = bin("nlx");
  p.dvt0 = bin("dvt0");
  p.dvt1 = bin("dvt1");
  p.dvt2 = bin("dvt2");
  p.dvt0w = bin("dvt0w");
  p.dvt1w = bin("dvt1w");
  p.dvt2w = bin("dvt2w");
  double u0 = bin("u0");
  const double ua = bin("ua"), ub = bin("ub"), uc = bin("uc");
  const double vsat = bin("vsat");
  p.a0 = bin("a0");
  p.ags = bin("ags");
  p.b0 = bin("b0");
  p.b1 = bin("b1");
  p.keta = bin("keta");
  p.abp = bin("abp");
  p.mxc = bin("mxc");
  p.adice0 = bin("adice0");
  p.a1 = bin("a1");
  p.a2 = bin("a2");
  const double rdsw = bin("rdsw");
  p.prwb = bin("prwb");
  p.prwg = bin("prwg");
  const double wr = bin("wr");
  p.nfactor = bin("nfactor");
  p.dwg = bin("dwg");
  p.dwb = bin("dwb");
  p.voff = bin("voff");
  p.eta0 = bin("eta0");
  p.etab = bin("etab");
  const double dsub = bin("dsub");
  p.cit = bin("cit");
  p.cdsc = bin("cdsc");
  p.cdscb = bin("cdscb");
  p.cdscd = bin("cdscd");
  p.pclm = bin("pclm");
  const double pdibl1 = bin("pdiblc1"), pdibl2 = bin("pdiblc2");
  p.pdiblb = bin("pdiblcb");
  const double drout = bin("drout");
  p.pvag = bin("pvag");
  p.delta = bin("delta");
  p.aii = bin("aii");
  p.bii = bin("bii");
  p.cii = bin("cii");
  p.dii = bin("dii");
  p.alpha0 = bin("alpha0");
  p.alpha1 = bin("alpha1");
  p.beta0 = bin("beta0");
  p.agidl = bin("agidl");
  p.bgidl = bin("bgidl");
  p.ngidl = bin("ngidl");
  p.ntun = bin("ntun");
  p.ndiode = bin("ndiode");
  const double isbjt = bin("isbjt"), isdif = bin("isdif"), isrec = bin("isrec"), istun = bin("istun");
  p.edl = bin("edl");
  p.kbjt1 = bin("kbjt1");
  double vsdfb = bin("vsdfb"), vsdth = bin("vsdth");
  p.kt1 = c("kt1");
  p.kt1l = c("kt1l");
  p.kt2 = c("kt2");
  const double ute = c("ute"), at = c("at"), prt = c("prt");

  const double tdiff = tRatio - 1.0;
  p.rbody = c("rbody") * p.weff / p.leff;
  p.rbodyext = P.inst("nrb") * c("rbsh");
  p.ua = ua + c("ua1") * tdiff;
  p.ub = ub + c("ub1") * tdiff;
  p.uc = uc + c("uc1") * tdiff;
  if (u0 > 1.0) u0 /= 1.0e4;
  p.u0temp = u0 * std::pow(tRatio, ute);
  p.vsattemp = vsat - at * tdiff;
  p.rds0 = (rdsw + prt * tdiff) / std::pow(p.weff * 1e6, wr);

  const double cf = c("cf");
  {
    double cgdo, cgso;
    if (c.given("cgdo")) cgdo = c("cgdo");
    else if (c.given("dlc") && c("dlc") > 0.0) cgdo = c("dlc") * p.cox - c("cgdl");
    else cgdo = 0.6 * p.xj * p.cox;
    if (c.given("cgso")) cgso = c("cgso");
    else if (c.given("dlc") && c("dlc") > 0.0) cgso = c("dlc") * p.cox - c("cgsl");
    else cgso = 0.6 * p.xj * p.cox;
    p.cgdo = (cgdo + cf) * p.weffCV;
    p.cgso = (cgso + cf) * p.weffCV;
  }
  p.cgeo = c("cgeo") * p.leffCV;
  p.cgsl = c("cgsl");
  p.cgdl = c("cgdl");
  p.ckappa = c("ckappa");
  p.tt = c("tt");

  if (!c.given("nch") && c.given("gamma1")) {
    const double t = c("gamma1") * p.cox;
    p.npeak = 3.021e22 * t * t;
  }
  {
    const double t0 = std::pow(tRatio, c("xbjt") / p.ndiode);
    const double t1 = std::pow(tRatio, 2.0 / p.ndiode);  // XDIF: the card name sets XBJT (as ngspice); 2 is used
    const double t2 = std::pow(tRatio, c("xrec") / p.ndiode / 2);
    const double t4 = -eg0 / p.ndiode / p.vtm * (1 - tRatio);
    const double t5 = std::exp(t4), t6 = std::sqrt(t5);
    p.jbjt = isbjt * t0 * t5;
    p.jdif = isdif * t1 * t5;
    p.jrec = isrec * t2 * t6;
    p.jtun = istun * std::pow(tRatio, c("xtun") / p.ntun);
  }
  if (p.nsub > 0) p.vfbb = -p.type * p.vtm * std::log(p.npeak / p.nsub);
  else p.vfbb = -p.type * p.vtm * std::log(-p.npeak * p.nsub / ni / ni);
  const soi::SubstrateLevels sub =
      soi::substrateLevels(p.nsub, p.type, p.vtm, ni, p.cbox, vsdfb, c.given("vsdfb"),
                           c.given("vsdth") ? std::optional(vsdth) : std::nullopt,
                           c.given("csdmin") ? std::optional(c("csdmin")) : std::nullopt);
  {
    const double t0 = c("csdesw") * std::log(1 + p.tsi / p.tbox);
    const double ps = P.inst("ps") - p.weff, pd = P.inst("pd") - p.weff;
    p.csesw = ps > 0.0 ? t0 * ps : 0.0;
    p.cdesw = pd > 0.0 ? t0 * pd : 0.0;
  }
  p.phi = 2.0 * p.vtm * std::log(p.npeak / ni);
  p.sqrtPhi = std::sqrt(p.phi);
  p.xdep0 = std::sqrt(2.0 * kEpsSi / (kQ * p.npeak * 1.0e6)) * p.sqrtPhi;
  p.litl = std::sqrt(3.0 * p.xj * p.tox);
  p.vbi = p.vtm * std::log(1.0e20 * p.npeak / (ni * ni));
  p.cdep0 = std::sqrt(kQ * kEpsSi * p.npeak * 1.0e6 / 2.0 / p.phi);
  if (c.given("k1") || c.given("k2")) {
    if (!c.given("k1")) k1 = 0.53;
    if (!c.given("k2")) k2 = -0.0186;
  } else {
    double vbx = c.given("vbx") ? c("vbx") : p.phi - 7.7348e-4 * p.npeak * c("xt") * c("xt");
    if (vbx > 0.0) vbx = -vbx;
    double vbm = c("vbm");
    if (vbm > 0.0) vbm = -vbm;
    const double g1 = c.given("gamma1") ? c("gamma1") : 5.753e-12 * std::sqrt(p.npeak) / p.cox;
    const double g2 = c.given("gamma2") ? c("gamma2") : 5.753e-12 * std::sqrt(p.nsub) / p.cox;
    const double t0 = g1 - g2;
    const double t1 = std::sqrt(p.phi - vbx) - p.sqrtPhi;
    const double t2 = std::sqrt(p.phi * (p.phi - vbm)) - p.phi;
    k2 = t0 * t1 / (2.0 * t2 + vbm);
    k1 = g2 - 2.0 * k2 * std::sqrt(p.phi - vbm);
  }
  p.k1 = k1;
  p.k2 = k2;
  if (c.given("vth0")) {
    p.vfb = p.type * vth0 - p.phi - k1 * p.sqrtPhi;
  } else {
    p.vfb = -1.0;
    vth0 = p.type * (p.vfb + p.phi + k1 * p.sqrtPhi);
  }
  p.vth0 = vth0;
  {
    const double t1 = std::sqrt(kEpsSi / kEpsOx * p.tox * p.xdep0);
    double t0 = std::exp(-0.5 * dsub * p.leff / t1);
    p.theta0vb0 = t0 + 2.0 * t0 * t0;
    t0 = std::exp(-0.5 * drout * p.leff / t1);
    p.thetaRout = pdibl1 * (t0 + 2.0 * t0 * t0) + pdibl2;
  }
  p.minIsub = 5.0e-2 * p.weff * p.tsi * std::max(isdif, isrec);

  // source/drain to substrate capacitance
  p.substrate.setup(sub.vsdfb, sub.vsdth, c("asd"), sub.fromFlatBand, p.cbox, sub.csdmin, P.inst("as"), P.inst("ad"));
  p.cjswg = c("cjswg");
  p.pbswg = std::max(c("pbswg"), 0.1);
  p.mjswg = c("mjswg");
  p.kf = c("kf");
  p.af = c("af");
  // self-heating: what b3soidd_model.cpp recomputes at the device's temperature
  {
    const double rth0 = P.hasInst("rth0") ? P.inst("rth0") : c("rth0");
    const double cth0 = P.hasInst("cth0") ? P.inst("cth0") : c("cth0");
    p.selfheat = p.shMod == 1 && rth0 != 0.0;
    p.rth = rth0 * std::sqrt(p.tbox / p.tsi) / p.weff;
    p.cth = cth0 * p.tsi;
    p.temp = T;
    p.isbjt = isbjt;
    p.isdif = isdif;
    p.isrec = isrec;
    p.istunT = fd ? istun : c("istun");  // (DD's self-heating takes the unbinned ISTUN, as ngspice)
    p.xbjt = c("xbjt");
    p.xrec = c("xrec");
    p.xtun = c("xtun");
    p.u0 = u0;
    p.ute = ute;
    p.vsat = vsat;
    p.at = at;
    p.rdsw = rdsw;
    p.prt = prt;
    p.rds0denom = std::pow(p.weff * 1e6, wr);
    p.ua0 = ua;
    p.ub0 = ub;
    p.uc0 = uc;
    p.ua1 = c("ua1");
    p.ub1 = c("ub1");
    p.uc1 = c("uc1");
  }
  return {};
}

}  // namespace simcore::dev::b3soi
