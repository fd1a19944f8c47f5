// BSIM3v3.3 parameters of one instance at its size and temperature: defaults
// that depend on other parameters, binning (every binnable parameter X is
// X + LX/Leff + WX/Weff + PX/(Leff*Weff), lengths in microns with BINUNIT=1),
// doping-derived body-effect coefficients, temperature (mobility, saturation
// velocity, RDSW, junction currents and capacitances), junction sizes.
#include <algorithm>
#include <cmath>
#include <string>

#include "devices/bsim3_constants.hpp"
#include "devices/bsim3_model.hpp"

namespace simcore::dev::bsim3 {
namespace {

// A binnable parameter of size inverses invL, invW, invLW.
struct Binner {
  const ParamValues& P;
  double invL, invW, invLW;
  double operator()(const std::string& n, double base) const {
    return base + P.model("l" + n, 0.0) * invL + P.model("w" + n, 0.0) * invW + P.model("p" + n, 0.0) * invLW;
  }
  double operator()(const std::string& n) const { return (*this)(n, P.model(n)); }
};

}  // namespace

bool isVersion31(const ParamValues& P) {
  const double v = P.model("version");
  return v >= 3.1 - 1e-9 && v < 3.2 - 1e-9;
}

bool isVersion30(const ParamValues& P) {
  const double v = P.model("version");
  return v >= 3.0 - 1e-9 && v < 3.1 - 1e-9;
}

std::string setup(const ParamValues& P, bool pmos, double tK, double tnomK, Inst& p, bool clampPerimeters) {
  const double type = pmos ? -1.0 : 1.0;
  p.type = type;
  // VERSION 3.1: ngspice's BSIM3v1 (see the header); the parameters it does not know
  // (XL, XW, TOXM, VFB, IJTH, ALPHA1, ACDE, MOIN, NOFF, VOFFCV, TCJ..., LLC..., DELVTO,
  // MULU0) are read as their defaults here
  // VERSION 3.0 (ngspice's BSIM3v0) is 3.1's code but for what p.v30 marks
  const bool v30 = isVersion30(P), v31 = v30 || isVersion31(P);
  p.v31 = v31;
  p.v30 = v30;
  // a parameter 3.1 does not have: `def` for a 3.1 card, else the card's (def when not given)
  auto only33 = [&](const char* name, double def) { return v31 ? def : P.model(name, def); };
  p.mobMod = int(P.model("mobmod"));
  p.capMod = v31 && !P.hasModel("capmod") ? (v30 ? 1 : 2) : int(P.model("capmod"));
  p.xpart = P.model("xpart");
  if (p.mobMod < 1 || p.mobMod > 3) p.mobMod = 1;
  if (v30) {
    // 3.0 knows CAPMOD 1; any other value runs its CAPMOD 2
    if (p.capMod != 1) p.capMod = 2;
  } else if (v31) {
    // 3.1 knows CAPMOD 0, 1 and 2; another value computes no intrinsic charge
    if (p.capMod < 0 || p.capMod > 2) p.capMod = -1;
  } else if (p.capMod < 0 || p.capMod > 3) {
    p.capMod = 3;
  }
  const double tox = P.model("tox");
  if (!(tox > 0)) return "TOX must be positive";
  p.tox = tox;
  p.cox = kEpsOx / tox;
  const double toxm = only33("toxm", tox);
  p.factor1 = std::sqrt(kEpsSi / kEpsOx * tox);
  const double Tnom = tnomK, T = tK, TRatio = T / Tnom;
  const double vtm0 = kKboQ * Tnom;
  const double eg0 = 1.16 - 7.02e-4 * Tnom * Tnom / (Tnom + 1108.0);
  const double ni = 1.45e10 * (Tnom / 300.15) * std::sqrt(Tnom / 300.15) * std::exp(21.5565981 - eg0 / (2.0 * vtm0));
  p.vtm = kKboQ * T;
  p.tempRatio = TRatio - 1.0;
  const double eg = 1.16 - 7.02e-4 * T * T / (T + 1108.0);

  // junction saturation currents and capacitances at temperature
  const double nj = P.model("nj"), xti = P.model("xti");
  double jsT = P.model("js"), jswT = P.model("jsw");
  if (T != Tnom) {
    const double t1 = std::exp((eg0 / vtm0 - eg / p.vtm + xti * std::log(T / Tnom)) / nj);
    jsT *= t1;
    jswT *= t1;
  }
  jsT = std::max(jsT, 0.0);
  jswT = std::max(jswT, 0.0);
  const double delT = T - Tnom;
  auto capT = [&](double c, double tc) { return tc * delT >= -1.0 ? c * (1.0 + tc * delT) : 0.0; };
  const double cj = P.model("cj"), cjsw = P.model("cjsw"), cjswg = P.model("cjswg", cjsw);
  const double cjT = capT(cj, only33("tcj", 0.0)), cjswT = capT(cjsw, only33("tcjsw", 0.0)),
               cjswgT = capT(cjswg, only33("tcjswg", 0.0));
  const double pb = std::max(P.model("pb"), 0.1), pbsw = std::max(P.model("pbsw"), 0.1),
               pbswg = std::max(P.model("pbswg", P.model("pbsw")), 0.1);
  p.phiB = std::max(pb - only33("tpb", 0.0) * delT, 0.01);
  p.phiBSW = std::max(pbsw - only33("tpbsw", 0.0) * delT, 0.01);
  p.phiBSWG = std::max(pbswg - only33("tpbswg", 0.0) * delT, 0.01);
  p.mj = P.model("mj");
  p.mjsw = P.model("mjsw");
  p.mjswg = P.model("mjswg", p.mjsw);

  // effective size
  const double L = P.inst("l"), W = P.inst("w");
  const double lln = P.model("lln"), lwn = P.model("lwn"), wln = P.model("wln"), wwn = P.model("wwn");
  const double t0l = std::pow(L, lln), t1w = std::pow(W, lwn);
  const double ll = P.model("ll"), lw = P.model("lw"), lwl = P.model("lwl");
  const double dl = P.model("lint") + ll / t0l + lw / t1w + lwl / (t0l * t1w);
  const double dlc = P.model("dlc", P.model("lint")) + only33("llc", ll) / t0l + only33("lwc", lw) / t1w +
                     only33("lwlc", lwl) / (t0l * t1w);
  const double t2l = std::pow(L, wln), t3w = std::pow(W, wwn);
  const double wl = P.model("wl"), ww = P.model("ww"), wwl = P.model("wwl");
  const double dw = P.model("wint") + wl / t2l + ww / t3w + wwl / (t2l * t3w);
  const double dwc = P.model("dwc", P.model("wint")) + only33("wlc", wl) / t2l + only33("wwc", ww) / t3w +
                     only33("wwlc", wwl) / (t2l * t3w);
  const double xl = only33("xl", 0.0), xw = only33("xw", 0.0);
  p.leff = L + xl - 2.0 * dl;
  p.weff = W + xw - 2.0 * dw;
  p.leffCV = L + xl - 2.0 * dlc;
  p.weffCV = W + xw - 2.0 * dwc;
  if (!(p.leff > 0)) return "effective channel length <= 0";
  if (!(p.weff > 0)) return "effective channel width <= 0";
  if (!(p.leffCV > 0)) return "effective channel length for C-V <= 0";
  if (!(p.weffCV > 0)) return "effective channel width for C-V <= 0";
  const bool micron = P.model("binunit") == 1;
  const Binner bin{P, (micron ? 1e-6 : 1.0) / p.leff, (micron ? 1e-6 : 1.0) / p.weff,
                   (micron ? 1e-12 : 1.0) / (p.leff * p.weff)};

  p.cdsc = bin("cdsc");
  p.cdscb = bin("cdscb");
  p.cdscd = bin("cdscd");
  p.cit = bin("cit");
  p.nfactor = bin("nfactor");
  p.xj = bin("xj");
  const double vsat = bin("vsat"), at = bin("at");
  p.a0 = bin("a0");
  p.ags = bin("ags");
  p.a1 = bin("a1");
  p.a2 = bin("a2");
  p.keta = bin("keta");
  const double nsub = bin("nsub");
  double npeakModel = P.model("nch");
  if (npeakModel > 1e20) npeakModel *= 1e-6;
  double npeak = bin("nch", npeakModel);
  double ngateModel = P.model("ngate");
  if (ngateModel > 1e23) ngateModel *= 1e-6;
  p.ngate = bin("ngate", ngateModel);
  double gamma1 = bin("gamma1", P.model("gamma1", 0.0)), gamma2 = bin("gamma2", P.model("gamma2", 0.0));
  double vbx = bin("vbx", P.model("vbx", 0.0)), vbm = bin("vbm", v30 ? P.model("vbm", -5.0) : P.model("vbm"));
  const double xt = bin("xt");
  double vfb = v31 ? 0.0 : bin("vfb", P.model("vfb", 0.0));
  double k1 = bin("k1", P.model("k1", 0.0)), k2 = bin("k2", P.model("k2", 0.0));
  p.kt1 = bin("kt1");
  p.kt1l = bin("kt1l");
  p.kt2 = bin("kt2");
  p.k3 = bin("k3");
  p.k3b = bin("k3b");
  p.w0 = bin("w0");
  p.nlx = bin("nlx");
  p.dvt0 = bin("dvt0");
  p.dvt1 = bin("dvt1");
  p.dvt2 = bin("dvt2");
  // (3.1 reads LDVT0W as given for LDVT0 and then sets LDVT0W to 0: it has no effect)
  p.dvt0w = v31 ? P.model("dvt0w") + P.model("wdvt0w", 0.0) * bin.invW + P.model("pdvt0w", 0.0) * bin.invLW
                : bin("dvt0w");
  p.dvt1w = bin("dvt1w");
  p.dvt2w = bin("dvt2w");
  const double drout = bin("drout");
  const double dsub = bin("dsub", P.model("dsub", P.model("drout")));
  double vth0 = bin("vth0", P.model("vth0", pmos ? -0.7 : 0.7));
  p.ua = bin("ua");
  const double ua1 = bin("ua1");
  p.ub = bin("ub");
  const double ub1 = bin("ub1");
  const bool mob3 = p.mobMod == 3;
  p.uc = bin("uc", P.model("uc", mob3 ? -0.0465 : -0.0465e-9));
  const double uc1 = bin("uc1", P.model("uc1", mob3 ? -0.056 : -0.056e-9));
  double u0 = bin("u0", P.model("u0", pmos ? 0.025 : 0.067));
  const double ute = bin("ute");
  p.voff = bin("voff");
  p.delta = bin("delta");
  const double rdsw = bin("rdsw");
  p.prwg = bin("prwg");
  p.prwb = bin("prwb");
  const double prt = bin("prt");
  p.eta0 = bin("eta0");
  p.etab = bin("etab");
  p.pclm = bin("pclm");
  const double pdibl1 = bin("pdiblc1"), pdibl2 = bin("pdiblc2");
  p.pdiblb = bin("pdiblcb");
  p.pscbe1 = bin("pscbe1");
  p.pscbe2 = bin("pscbe2");
  p.pvag = bin("pvag");
  const double wr = bin("wr");
  p.dwg = bin("dwg");
  p.dwb = bin("dwb");
  p.b0 = bin("b0");
  p.b1 = bin("b1");
  p.alpha0 = bin("alpha0");
  p.alpha1 = v31 ? 0.0 : bin("alpha1");
  p.beta0 = bin("beta0");
  p.cgsl = bin("cgsl");
  p.cgdl = bin("cgdl");
  p.ckappa = bin("ckappa");
  const double cfModel = P.model("cf", 2.0 * kEpsOx / M_PI * std::log(1.0 + 0.4e-6 / tox));
  const double cf = bin("cf", cfModel);
  const double clc = bin("clc"), cle = bin("cle");
  p.vfbcv = bin("vfbcv");
  p.acde = v31 ? 1.0 : bin("acde");
  p.moin = v31 ? 15.0 : bin("moin");
  p.noff = v31 ? 1.0 : bin("noff");
  p.voffcv = v31 ? 0.0 : bin("voffcv");

  // (3.1: of the channel length of the I-V model)
  p.abulkCVfactor = 1.0 + std::pow(clc / (v31 ? p.leff : p.leffCV), cle);
  const double t0r = TRatio - 1.0;
  p.ua += ua1 * t0r;
  p.ub += ub1 * t0r;
  p.uc += uc1 * t0r;
  if (u0 > 1.0) u0 /= 1.0e4;
  p.u0temp = u0 * std::pow(TRatio, ute) * (v31 ? 1.0 : P.inst("mulu0"));
  p.vsattemp = vsat - at * t0r;
  // NQSMOD: the relaxation rate's drift coefficient (ELM) and diffusion term (BSIM3v3.3's
  // Elmore model; ngspice 39 divides the instance's drift coefficient by a leftover
  // variable instead of Leff_CV^2: docs/devices.md)
  p.tconst = p.u0temp * bin("elm") / (p.cox * p.weffCV * p.leffCV * p.leffCV * p.leffCV);
  p.gtauDiff = 16.0 * p.u0temp * p.vtm / (p.leffCV * p.leffCV) * 1.0e-9;
  p.rds0 = (rdsw + prt * t0r) / std::pow(p.weff * 1e6, wr);

  // overlaps
  const double xjModel = P.model("xj");
  const bool dlcPositive = P.hasModel("dlc") && P.model("dlc") > 0;
  const double cgdoM = P.model("cgdo", dlcPositive ? P.model("dlc") * p.cox - P.model("cgdl") : 0.6 * xjModel * p.cox);
  const double cgsoM = P.model("cgso", dlcPositive ? P.model("dlc") * p.cox - P.model("cgsl") : 0.6 * xjModel * p.cox);
  const double cgboM = P.model("cgbo", v30 ? 0.0 : 2.0 * P.model("dwc", P.model("wint")) * p.cox);
  p.cgdo = (cgdoM + cf) * p.weffCV;
  p.cgso = (cgsoM + cf) * p.weffCV;
  p.cgbo = cgboM * p.leffCV;

  // doping, surface potential, body effect
  if (!P.hasModel("nch") && P.hasModel("gamma1")) {
    const double t = gamma1 * p.cox;
    npeak = 3.021e22 * t * t;
  }
  if (!(npeak > 0)) return "NCH must be positive";
  p.phi = 2.0 * vtm0 * std::log(npeak / ni);
  if (!(p.phi > 0)) return "NCH gives a non-positive surface potential";
  p.sqrtPhi = std::sqrt(p.phi);
  p.phis3 = p.sqrtPhi * p.phi;
  p.xdep0 = std::sqrt(2.0 * kEpsSi / (kQ * npeak * 1.0e6)) * p.sqrtPhi;
  p.litl = std::sqrt(3.0 * p.xj * tox);
  p.vbi = vtm0 * std::log(1.0e20 * npeak / (ni * ni));
  p.cdep0 = std::sqrt(kQ * kEpsSi * npeak * 1.0e6 / 2.0 / p.phi);
  p.ldeb = std::sqrt(kEpsSi * vtm0 / (kQ * npeak * 1.0e6)) / 3.0;
  p.acde *= std::pow(npeak / 2.0e16, -0.25);
  if (P.hasModel("k1") || P.hasModel("k2")) {
    if (!P.hasModel("k1")) k1 = bin("k1", 0.53);
    if (!P.hasModel("k2")) k2 = bin("k2", -0.0186);
  } else {
    if (!P.hasModel("vbx")) vbx = p.phi - 7.7348e-4 * npeak * xt * xt;
    if (vbx > 0) vbx = -vbx;
    if (vbm > 0) vbm = -vbm;
    if (!P.hasModel("gamma1")) gamma1 = 5.753e-12 * std::sqrt(npeak) / p.cox;
    if (!P.hasModel("gamma2")) gamma2 = 5.753e-12 * std::sqrt(nsub) / p.cox;
    const double t0 = gamma1 - gamma2;
    const double t1 = std::sqrt(p.phi - vbx) - p.sqrtPhi;
    const double t2 = std::sqrt(p.phi * (p.phi - vbm)) - p.phi;
    k2 = t0 * t1 / (2.0 * t2 + vbm);
    k1 = gamma2 - 2.0 * k2 * std::sqrt(p.phi - vbm);
  }
  p.k1 = k1;
  p.k2 = k2;
  if (v30) {
    // (3.0: the limit from K1/K2 when K2 > 0, else -10 V; no VBM clamp)
    const double t0 = k2 != 0.0 ? 0.5 * k1 / k2 : 0.0;
    p.vbsc = k2 > 0.0 ? std::clamp(0.9 * (p.phi - t0 * t0), -30.0, -3.0) : -10.0;
  } else if (k2 < 0.0) {
    const double t0 = 0.5 * k1 / k2;
    p.vbsc = std::clamp(0.9 * (p.phi - t0 * t0), -30.0, -3.0);
  } else {
    p.vbsc = -30.0;
  }
  if (!v30 && p.vbsc > vbm) p.vbsc = vbm;
  if (v31 || !P.hasModel("vfb")) vfb = P.hasModel("vth0") ? type * vth0 - p.phi - k1 * p.sqrtPhi : -1.0;
  if (!(P.hasModel("vth0"))) vth0 = type * (vfb + p.phi + k1 * p.sqrtPhi);
  p.k1ox = k1 * tox / toxm;
  p.k2ox = k2 * tox / toxm;
  {
    const double t1 = std::sqrt(kEpsSi / kEpsOx * tox * p.xdep0);
    double t0 = std::exp(-0.5 * dsub * p.leff / t1);
    p.theta0vb0 = t0 + 2.0 * t0 * t0;
    t0 = std::exp(-0.5 * drout * p.leff / t1);
    p.thetaRout = pdibl1 * (t0 + 2.0 * t0 * t0) + pdibl2;
  }
  {
    // vfbzb: the flat band of the C-V model at zero bias
    const double tmp1 = p.vbi - p.phi, tmp2 = p.factor1 * std::sqrt(p.xdep0);
    auto theta = [](double arg) {
      const double t1 = arg > -kExpThreshold ? std::exp(arg) : kMinExp;
      return t1 * (1.0 + 2.0 * t1);
    };
    const double t2 = p.dvt0w * theta(-0.5 * p.dvt1w * p.weff * p.leff / tmp2) * tmp1;
    const double t3 = p.dvt0 * theta(-0.5 * p.dvt1 * p.leff / tmp2) * tmp1;
    const double t4 = tox * p.phi / (p.weff + p.w0);
    const double t0 = std::sqrt(1.0 + p.nlx / p.leff);
    const double t5 = p.k1ox * (t0 - 1.0) * p.sqrtPhi + (p.kt1 + p.kt1l / p.leff) * (TRatio - 1.0);
    const double tmp3 = type * vth0 - t2 - t3 + p.k3 * t4 + t5;
    p.vfbzb = tmp3 - p.phi - k1 * p.sqrtPhi;
  }
  const double delvto = v31 ? 0.0 : P.inst("delvto");
  p.vth0 = vth0 + delvto;
  p.vfb = vfb + type * delvto;
  p.vfbzb += type * delvto;

  // junctions of this instance
  p.nvtm = p.vtm * nj;
  p.ijth = P.model("ijth");
  double as = P.inst("as"), ps = P.inst("ps"), ad = P.inst("ad"), pd = P.inst("pd");
  if (v31) {
    // 3.1: HDIF gives the areas and perimeters an instance leaves out; the junction's
    // forward characteristic turns linear at 0.5 V (3.1 has no IJTH); and its parameter
    // check raises a drain or source perimeter below Weff to Weff (for the instance the
    // caller names: ngspice checks one instance of each size, see bsim3.cpp)
    if (P.hasModel("hdif") && !v30) {
      const double hdif = P.model("hdif");
      if (!P.hasInst("as")) as = 2.0 * W * hdif;
      if (!P.hasInst("ad")) ad = 2.0 * W * hdif;
      if (!P.hasInst("ps")) ps = 2.0 * W + 4.0 * hdif;
      if (!P.hasInst("pd")) pd = 2.0 * W + 4.0 * hdif;
    }
    if (clampPerimeters && !v30 && (cjsw > 0 || cjswg > 0)) {
      pd = std::max(pd, p.weff);
      ps = std::max(ps, p.weff);
    }
    p.ijth = 0.0;
  }
  if (v30) {
    // 3.0: the area's current only, JS at TNOM (no JSW, NJ, XTI), 1e-14 A without an area
    p.iss = as <= 0 ? 1.0e-14 : as * P.model("js");
    p.isd = ad <= 0 ? 1.0e-14 : ad * P.model("js");
  } else {
    p.iss = as <= 0 && ps <= 0 ? 1.0e-14 : as * jsT + ps * jswT;
    p.isd = ad <= 0 && pd <= 0 ? 1.0e-14 : ad * jsT + pd * jswT;
  }
  if (p.iss > 0 && p.ijth > 0) {
    p.vjsm = p.nvtm * std::log(p.ijth / p.iss + 1.0);
    p.isEvjsm = p.iss * std::exp(p.vjsm / p.nvtm);
  }
  if (p.isd > 0 && p.ijth > 0) {
    p.vjdm = p.nvtm * std::log(p.ijth / p.isd + 1.0);
    p.isEvjdm = p.isd * std::exp(p.vjdm / p.nvtm);
  }
  if (v30) p.nvtm = kKboQ * 300.15;  // (3.0's junction: CONSTvt0, whatever the temperature and NJ)
  if (v31) {
    p.vjsm = p.vjdm = 0.5;
    p.isEvjsm = p.iss * std::exp(0.5 / p.nvtm);
    p.isEvjdm = p.isd * std::exp(0.5 / p.nvtm);
  }
  p.czbd = cjT * ad;
  p.czbs = cjT * as;
  if (v30) {
    // 3.0 has no gate-edge sidewall: the whole perimeter at CJSW (PBSW, MJSW)
    p.czbdsw = cjsw * pd;
    p.czbssw = cjsw * ps;
    p.czbdswg = p.czbsswg = 0.0;
  } else if (pd < p.weff) {
    p.czbdswg = cjswgT * pd;
    p.czbdsw = 0.0;
  } else {
    p.czbdsw = cjswT * (pd - p.weff);
    p.czbdswg = cjswgT * p.weff;
  }
  if (v30) {
    // (set above)
  } else if (ps < p.weff) {
    p.czbsswg = cjswgT * ps;
    p.czbssw = 0.0;
  } else {
    p.czbssw = cjswT * (ps - p.weff);
    p.czbsswg = cjswgT * p.weff;
  }
  p.kf = P.model("kf");
  p.af = P.model("af");
  p.ef = P.model("ef");
  return {};
}

}  // namespace simcore::dev::bsim3
