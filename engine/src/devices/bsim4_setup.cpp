// BSIM4.8 parameters of one instance at its size and temperature: defaults
// that depend on other parameters, binning (every binnable parameter X is
// X + LX/Leff + WX/Weff + PX/(Leff*Weff), lengths in microns with BINUNIT=1),
// doping-derived body-effect coefficients, temperature (TEMPMOD 0: mobility,
// saturation velocity, RDSW, leakage, junction currents and capacitances),
// layout stress (SA, SB, SD) and well proximity (WPEMOD), junction geometry
// (GEOMOD) and diode linearisation (DIOMOD).
#include <algorithm>
#include <cmath>
#include <string>

#include "devices/bsim4_constants.hpp"
#include "devices/bsim4_model.hpp"
#include "devices/bsim4_params.hpp"

namespace simcore::dev::bsim4 {
namespace {

// Model parameters with BSIM4's defaults resolved: given, else the type's
// default, else the parameter it falls back to, else the descriptor's.
struct Card {
  const ParamValues& P;
  bool pmos;
  int mobMod;
  // ngspice's defaults of VERSION 4.8.1 and 4.8.2 (its default version: a card without
  // VERSION) for UA under MOBMOD 6 and UC, UC1 under MOBMOD 5 (those of MOBMOD 2 and 1)
  bool v481 = true;
  // VERSION 4.0 to 4.5 (ngspice's bsim4v5): UD's default is 1e14, not 0
  bool v45 = false;
  double operator()(std::string_view n) const {
    if (P.hasModel(n)) return P.model(n);
    for (const TypeDefault& t : kBsim4TypeDefault)
      if (n == t.name) return pmos ? t.pmos : t.nmos;
    for (const Fallback& f : kBsim4Fallback)
      if (n == f.name) return (*this)(f.from);
    const bool m2 = mobMod == 2 || (v481 && mobMod == 6), m1 = mobMod == 1 || (v481 && mobMod == 5);
    if (n == "ua") return m2 ? 1.0e-15 : 1.0e-9;
    if (n == "uc") return m1 ? -0.0465 : -0.0465e-9;
    if (n == "uc1") return m1 ? -0.056 : -0.056e-9;
    if (n == "ud" && v45) return 1.0e14;
    return P.model(n);
  }
  bool given(std::string_view n) const { return P.hasModel(n); }
};

// A doping given in 1/m³ (above `limit`) is read in 1/cm³, as BSIM4 does.
double doping(double v, double limit) { return v > limit ? v * 1.0e-6 : v; }

struct Binner {
  const Card& c;
  double invL, invW, invLW;
  double operator()(const std::string& n, double base) const {
    return base + c("l" + n) * invL + c("w" + n) * invW + c("p" + n) * invLW;
  }
  double operator()(const std::string& n) const { return (*this)(n, c(n)); }
};

// exp(x)/(exp(x)-1)² with BSIM4's guards (the short-channel roll-off shape).
double rollOff(double x) {
  if (x < kExpThreshold) {
    const double t1 = std::exp(x), t2 = t1 - 1.0;
    return t1 / (t2 * t2 + 2.0 * t1 * kMinExp);
  }
  return 1.0 / (kMaxExp - 2.0);
}

// The forward knee voltage where the diode current reaches ijth.
double ijthVoltage(double nvtm, double ijth, double isb, double xExpBV) {
  const double tb = 1.0 + ijth / isb - xExpBV;
  return nvtm * std::log(0.5 * (tb + std::sqrt(tb * tb + 4.0 * xExpBV)));
}

// Perimeters and areas of the diffusions from the layout (GEOMOD, NF, MIN).
struct Geometry {
  double ps = 0, pd = 0, as = 0, ad = 0;
};
// BSIM4's NumFingerDiff: the interior and end diffusions of the drain and
// source of NF fingers (MIN = 1: the drain gets the end diffusions of an even NF).
struct Fingers {
  double intD = 0, endD = 0, intS = 0, endS = 0;
};
Fingers fingerCounts(double nf, int minSD) {
  Fingers f;
  const int n = int(nf);
  if (n % 2 != 0) {
    f.endD = f.endS = 1.0;
    f.intD = f.intS = 2.0 * std::max((nf - 1.0) / 2.0, 0.0);
  } else if (minSD == 1) {
    f.endD = 2.0;
    f.intD = 2.0 * std::max(nf / 2.0 - 1.0, 0.0);
    f.endS = 0.0;
    f.intS = nf;
  } else {
    f.endD = 0.0;
    f.intD = nf;
    f.endS = 2.0;
    f.intS = 2.0 * std::max(nf / 2.0 - 1.0, 0.0);
  }
  return f;
}

// BSIM4's RdseffGeo with RGEOMOD 1 (the only value BSIM4 keeps: an instance's
// other values take the model's, a model's become 1): the source's
// (source = true) or the drain's diffusion resistance (Ohm; 0: none) of the
// layout, the interior diffusions (RSH·DMCG over each) beside the end ones,
// which GEOMOD makes isolated, shared (RSH·DMCG/(Weffcj·ends): the same with
// RGEOMOD 1) or merged (RSH·DMDG/Weffcj); GEOMOD 9 and 10 have wide contacts.
double diffusionResistance(double nf, int geo, int minSD, double weffcj, double rsh, double dmcg, double dmdg,
                           bool source) {
  double rint = 0.0, rend = 0.0;
  const Fingers f = geo < 9 ? fingerCounts(nf, minSD) : Fingers{};
  const double nuInt = source ? f.intS : f.intD, nuEnd = source ? f.endS : f.endD;
  if (geo < 9 && nuInt != 0.0) rint = rsh * dmcg / (weffcj * nuInt);
  const double contact = nuEnd == 0.0 ? 0.0 : rsh * dmcg / (weffcj * nuEnd);
  switch (geo) {
    case 0: case 1: case 2: case 3: rend = contact; break;
    case 4: rend = source ? contact : rsh * dmdg / weffcj; break;
    case 5: rend = source ? contact : rsh * dmdg / (weffcj * f.endD); break;
    case 6: rend = source ? rsh * dmdg / weffcj : contact; break;
    case 7: rend = source ? rsh * dmdg / (weffcj * f.endS) : contact; break;
    case 8: rend = rsh * dmdg / weffcj; break;
    case 9:
    case 10: {
      const bool halfEnd = (geo == 9) == source;  // GEOMOD 9: the source's ends are half contacts
      rend = halfEnd ? 0.5 * rsh * dmcg / weffcj : 0.0;
      rint = halfEnd ? (nf == 2.0 ? 0.0 : rsh * dmcg / (weffcj * (nf - 2.0))) : rsh * dmcg / (weffcj * nf);
      break;
    }
    default: break;
  }
  if (rint <= 0.0) return rend;
  if (rend <= 0.0) return rint;
  return rint * rend / (rint + rend);
}

Geometry layoutGeometry(double nf, int geo, int minSD, double weffcj, double dmcg, double dmci, double dmdg) {
  double nuIntD = 0, nuEndD = 0, nuIntS = 0, nuEndS = 0;
  if (geo < 9) {
    const Fingers f = fingerCounts(nf, minSD);
    nuIntD = f.intD;
    nuEndD = f.endD;
    nuIntS = f.intS;
    nuEndS = f.endS;
  }
  const double t0 = dmcg + dmci;
  const double pIso = t0 + t0 + weffcj, pSha = dmcg + dmcg, pMer = dmdg + dmdg;
  const double aIso = t0 * weffcj, aSha = dmcg * weffcj, aMer = dmdg * weffcj;
  // per side: 0 isolated, 1 shared, 2 merged
  auto side = [&](int kind, double nuEnd, double nuInt, double& P, double& A) {
    if (kind == 1) {
      P = (nuEnd + nuInt) * pSha;
      A = (nuEnd + nuInt) * aSha;
    } else {
      P = nuEnd * (kind == 0 ? pIso : pMer) + nuInt * pSha;
      A = nuEnd * (kind == 0 ? aIso : aMer) + nuInt * aSha;
    }
  };
  static constexpr int kS[9] = {0, 0, 1, 1, 0, 1, 2, 2, 2};
  static constexpr int kD[9] = {0, 1, 0, 1, 2, 2, 0, 1, 2};
  Geometry g;
  if (geo >= 0 && geo < 9) {
    side(kS[geo], nuEndS, nuIntS, g.ps, g.as);
    side(kD[geo], nuEndD, nuIntD, g.pd, g.ad);
  } else if (geo == 9) {
    g.ps = pIso + (nf - 1.0) * pSha;
    g.pd = nf * pSha;
    g.as = aIso + (nf - 1.0) * aSha;
    g.ad = nf * aSha;
  } else if (geo == 10) {
    g.ps = nf * pSha;
    g.pd = pIso + (nf - 1.0) * pSha;
    g.as = nf * aSha;
    g.ad = aIso + (nf - 1.0) * aSha;
  }
  return g;
}

}  // namespace

std::string setup(const ParamValues& P, bool pmos, double tK, double tnomK, Inst& p) {
  const double type = pmos ? -1.0 : 1.0;
  p.type = type;
  int mobMod = P.hasModel("mobmod") ? int(P.model("mobmod")) : 0;
  // (4.8.1 reads as 4.801: see modelVersion in the netlist reader; "4.81", "4.82" as ngspice's prefixes)
  const double version = P.model("version");
  const bool v481 = !P.hasModel("version") || (version > 4.8005 && version < 4.8025) || (version >= 4.81 && version < 4.83);
  const bool v45 = P.hasModel("version") && version < 4.6 - 1e-9;
  const Card c{P, pmos, mobMod, v481, v45};
  p.v45 = v45;
  // selectors: what is not supported is an error naming the parameter
  auto sel = [&](const char* n) { return int(c(n)); };
  if (mobMod < 0 || mobMod > 6) mobMod = 0;  // BSIM4 warns and uses 0
  p.mobMod = mobMod;
  p.capMod = sel("capmod");
  if (p.capMod < 0 || p.capMod > 2) p.capMod = 2;
  p.igcMod = sel("igcmod");
  p.igbMod = sel("igbmod");
  p.gidlMod = sel("gidlmod");
  p.dioMod = sel("diomod");
  if (p.dioMod < 0 || p.dioMod > 2) p.dioMod = 1;
  p.tempMod = sel("tempmod");
  p.cvchargeMod = sel("cvchargemod");
  p.fnoiMod = sel("fnoimod");
  p.tnoiMod = sel("tnoimod");
  p.rdsMod = sel("rdsmod");
  if (p.rdsMod < 0 || p.rdsMod > 1) p.rdsMod = 0;
  const int rgateMod = int(P.inst("rgatemod", c("rgatemod")));
  if (rgateMod < 0 || rgateMod > 3) return "RGATEMOD " + std::to_string(rgateMod) + " is not supported (0-3)";
  p.rgate = rgateMod != 0;
  p.rgateMod = rgateMod;
  const int rbodyMod = int(P.inst("rbodymod", c("rbodymod")));
  if (rbodyMod < 0 || rbodyMod > 2) return "RBODYMOD " + std::to_string(rbodyMod) + " is not supported (0, 1, 2)";
  p.rbody = rbodyMod != 0;
  p.rbodyMod = rbodyMod;
  if (int(P.inst("trnqsmod", c("trnqsmod"))) != 0 || int(P.inst("acnqsmod", c("acnqsmod"))) != 0)
    return "the non-quasi-static models (TRNQSMOD, ACNQSMOD) are not supported";
  // RGEOMOD 0 or 1 (BSIM4 takes any other model value as 1, and an instance's as the model's)
  const int rgeoModel = c("rgeomod") == 0.0 ? 0 : 1;
  const double rgeoInst = P.hasInst("rgeomod") ? P.inst("rgeomod") : double(rgeoModel);
  const bool rgeo = rgeoInst == 0.0 || rgeoInst == 1.0 ? rgeoInst == 1.0 : rgeoModel == 1;
  // MTRLMOD 0 or 1 (BSIM4 takes any other value as 0, with a warning), MTRLCOMPATMOD likewise
  const bool mtrl = sel("mtrlmod") == 1;
  const bool mtrlCompat = mtrl && c("mtrlcompatmod") == 1.0;
  if (p.tempMod < 0 || p.tempMod > 3) return "TEMPMOD " + std::to_string(p.tempMod) + " is not supported (0-3)";
  if (p.cvchargeMod < 0 || p.cvchargeMod > 1) p.cvchargeMod = 0;
  if (p.igcMod < 0 || p.igcMod > 2) return "IGCMOD " + std::to_string(p.igcMod) + " is not supported (0, 1, 2)";
  if (p.igbMod < 0 || p.igbMod > 1) return "IGBMOD " + std::to_string(p.igbMod) + " is not supported (0, 1)";
  if (p.fnoiMod < 0 || p.fnoiMod > 1) p.fnoiMod = 1;
  if (p.tnoiMod < 0 || p.tnoiMod > 1) return "TNOIMOD " + std::to_string(p.tnoiMod) + " is not supported (0, 1)";
  p.xpart = c("xpart");
  const double nf = P.inst("nf");
  if (!(nf >= 1.0 && nf <= 1e6) || nf != std::floor(nf)) return "NF must be a whole number from 1 to 1e6";
  p.nf = nf;

  // oxide: with MTRLMOD 1 the electrical thickness is EOT at SiO2's permittivity, the substrate's
  // permittivity EPSRSUB, and TOXP comes from EOT (below: per instance; MTRLCOMPATMOD 1: EOT - DTOX)
  const double epsroxModel = c("epsrox");
  const double toxeModel = c("toxe");
  double toxe = toxeModel, toxp = c("toxp"), toxm = c.given("toxm") ? c("toxm") : toxeModel;
  const double dtox = c("dtox");
  double eot = c("eot");
  if (!mtrl) {
    if (c.given("toxe") && !c.given("toxp")) toxp = toxe - dtox;
    else if (!c.given("toxe") && c.given("toxp")) {
      toxe = toxp + dtox;
      // (before 4.7, ngspice 39's bsim4v5 and bsim4v6, TOXM keeps TOXE's default)
      if (!c.given("toxm") && !(P.hasModel("version") && version < 4.7 - 1e-9)) toxm = toxe;
    } else if (!c.given("toxe") && !c.given("toxp")) toxp = toxe;
  } else {
    if (!c.given("toxp")) toxp = toxeModel;
    if (mtrlCompat) {
      const double r = epsroxModel / 3.9;
      if (c.given("eot") && !c.given("toxp")) toxp = r * eot - dtox;
      else if (!c.given("eot") && c.given("toxp")) {
        eot = (toxp + dtox) / r;
        if (!c.given("toxm")) toxm = eot;
      }
    }
    toxe = eot;
  }
  const double epsrox = mtrl ? 3.9 : epsroxModel;
  const double epsrsub = c("epsrsub");
  if (!(toxe > 0)) return mtrl ? "EOT must be positive" : "TOXE must be positive";
  if (!(toxp > 0)) return "TOXP must be positive";
  if (!(toxm > 0)) return "TOXM must be positive";
  if (mtrl && !(epsrsub > 0)) return "EPSRSUB must be positive";
  p.toxe = toxe;
  p.toxp = toxp;
  p.epssub = mtrl ? kEps0 * epsrsub : kEpsSi;
  p.coxe = epsrox * kEps0 / toxe;
  p.coxp = epsroxModel * kEps0 / toxp;
  p.factor1 = std::sqrt(p.epssub / (epsrox * kEps0) * toxe);
  p.epsgate = mtrl ? c("epsrgate") * kEps0 : kEpsSi;
  p.gidlTox = mtrl ? epsrsub * toxe / epsrox : 3.0 * toxe;
  p.ados = c("ados");
  p.bdos = c("bdos");

  const double Tnom = tnomK, T = tK, TRatio = T / Tnom, delTemp = T - Tnom;
  const double vtm0 = kKboQ * Tnom;
  p.vtm0 = vtm0;
  // band gap and intrinsic density: silicon's, or with MTRLMOD 1 the substrate's (BG0SUB, TBGASUB,
  // TBGBSUB, NI0SUB)
  const double bg0 = mtrl ? c("bg0sub") : 1.16, tbga = mtrl ? c("tbgasub") : 7.02e-4, tbgb = mtrl ? c("tbgbsub") : 1108.0;
  const double eg0 = bg0 - tbga * Tnom * Tnom / (Tnom + tbgb);
  const double ni = mtrl ? c("ni0sub") * (Tnom / 300.15) * std::sqrt(Tnom / 300.15) *
                               std::exp((bg0 - tbga * 90090.0225 / (300.15 + tbgb) - eg0) / (2.0 * vtm0))
                         : 1.45e10 * (Tnom / 300.15) * std::sqrt(Tnom / 300.15) * std::exp(21.5565981 - eg0 / (2.0 * vtm0));
  p.vtm = kKboQ * T;
  p.tempRatio = TRatio - 1.0;
  const double eg = bg0 - tbga * T * T / (T + tbgb);
  p.mobT14 = mtrl && !mtrlCompat ? 2.0 * type * (c("phig") - c("easub") - 0.5 * eg0 + 0.45) : 0.0;

  // effective size
  const double L = P.inst("l"), W = P.inst("w");
  const double Lnew = L + c("xl"), Wnew = W / nf + c("xw");
  {
    const double t0 = std::pow(Lnew, c("lln")), t1 = std::pow(Wnew, c("lwn"));
    const double dl = c("lint") + c("ll") / t0 + c("lw") / t1 + c("lwl") / (t0 * t1);
    const double dlc = c("dlc") + c("llc") / t0 + c("lwc") / t1 + c("lwlc") / (t0 * t1);
    const double t2 = std::pow(Lnew, c("wln")), t3 = std::pow(Wnew, c("wwn"));
    const double dw = c("wint") + c("wl") / t2 + c("ww") / t3 + c("wwl") / (t2 * t3);
    const double tmp2 = c("wlc") / t2 + c("wwc") / t3 + c("wwlc") / (t2 * t3);
    const double dwc = c("dwc") + tmp2, dwj = c("dwj") + tmp2;
    p.leff = Lnew - 2.0 * dl;
    p.weff = Wnew - 2.0 * dw;
    p.leffCV = Lnew - 2.0 * dlc;
    p.weffCV = Wnew - 2.0 * dwc;
    p.weffCJ = Wnew - 2.0 * dwj;
  }
  if (!(p.leff > 0)) return "effective channel length <= 0";
  if (!(p.weff > 0)) return "effective channel width <= 0";
  if (!(p.leffCV > 0)) return "effective channel length for C-V <= 0";
  if (!(p.weffCV > 0)) return "effective channel width for C-V <= 0";
  if (!(p.weffCJ > 0)) return "effective channel width for the junctions <= 0";
  const bool micron = c("binunit") == 1;
  const Binner bin{c, (micron ? 1e-6 : 1.0) / p.leff, (micron ? 1e-6 : 1.0) / p.weff,
                   (micron ? 1e-12 : 1.0) / (p.leff * p.weff)};

  p.cdsc = bin("cdsc");
  p.cdscb = bin("cdscb");
  p.cdscd = bin("cdscd");
  p.cit = bin("cit");
  p.nfactor = bin("nfactor");
  const double tnfactor = bin("tnfactor");
  p.xj = bin("xj");
  const double vsat = bin("vsat"), at = bin("at");
  p.a0 = bin("a0");
  p.ags = bin("ags");
  p.a1 = bin("a1");
  p.a2 = bin("a2");
  p.keta = bin("keta");
  const double nsub = bin("nsub");
  double ndep = bin("ndep", doping(c("ndep"), 1e20));
  const double nsd = bin("nsd", doping(c("nsd"), 1e23));
  const double phin = bin("phin");
  p.ngate = bin("ngate", doping(c("ngate"), 1e23));
  double gamma1 = bin("gamma1", c.given("gamma1") ? c("gamma1") : 0.0);
  double gamma2 = bin("gamma2", c.given("gamma2") ? c("gamma2") : 0.0);
  double vbx = bin("vbx", c.given("vbx") ? c("vbx") : 0.0), vbm = bin("vbm");
  const double xt = bin("xt");
  double vfb = bin("vfb", c.given("vfb") ? c("vfb") : 0.0);
  double k1 = bin("k1", c.given("k1") ? c("k1") : 0.0), k2 = bin("k2", c.given("k2") ? c("k2") : 0.0);
  p.kt1 = bin("kt1");
  p.kt1l = bin("kt1l");
  p.kt2 = bin("kt2");
  p.k3 = bin("k3");
  p.k3b = bin("k3b");
  p.w0 = bin("w0");
  p.lpe0 = bin("lpe0");
  p.lpeb = bin("lpeb");
  p.dvtp0 = bin("dvtp0");
  p.dvtp1 = bin("dvtp1");
  const double dvtp2 = bin("dvtp2"), dvtp3 = bin("dvtp3");
  p.dvtp4 = bin("dvtp4");
  const double dvtp5 = bin("dvtp5");
  p.dvt0 = bin("dvt0");
  p.dvt1 = bin("dvt1");
  p.dvt2 = bin("dvt2");
  p.dvt0w = bin("dvt0w");
  p.dvt1w = bin("dvt1w");
  p.dvt2w = bin("dvt2w");
  const double drout = bin("drout"), dsub = bin("dsub");
  double vth0 = bin("vth0");
  p.ua = bin("ua");
  const double ua1 = bin("ua1");
  p.ub = bin("ub");
  const double ub1 = bin("ub1");
  p.uc = bin("uc");
  const double uc1 = bin("uc1");
  p.ud = bin("ud");
  const double ud1 = bin("ud1"), up = bin("up"), lp = bin("lp");
  p.eu = bin("eu");
  p.ucs = bin("ucs");
  const double ucste = bin("ucste");
  double u0 = bin("u0");
  const double ute = bin("ute");
  const double voff = bin("voff"), tvoff = bin("tvoff"), minv = bin("minv"), minvcv = bin("minvcv");
  p.fprout = bin("fprout");
  p.pdits = bin("pdits");
  p.pditsd = bin("pditsd");
  p.pditsl = c("pditsl");
  p.delta = bin("delta");
  const double rdsw = bin("rdsw");
  p.prwg = bin("prwg");
  p.prwb = bin("prwb");
  const double prt = bin("prt");
  p.eta0 = bin("eta0");
  const double teta0 = bin("teta0");
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
  p.alpha1 = bin("alpha1");
  p.beta0 = bin("beta0");
  p.agidl = bin("agidl");
  p.bgidl = bin("bgidl");
  p.cgidl = bin("cgidl");
  p.egidl = bin("egidl");
  p.rgidl = bin("rgidl");
  p.kgidl = bin("kgidl");
  p.fgidl = bin("fgidl");
  p.agisl = bin("agisl");
  p.bgisl = bin("bgisl");
  p.cgisl = bin("cgisl");
  p.egisl = bin("egisl");
  p.rgisl = bin("rgisl");
  p.kgisl = bin("kgisl");
  p.fgisl = bin("fgisl");
  p.aigc = bin("aigc");
  p.bigc = bin("bigc");
  p.cigc = bin("cigc");
  // AIGS/AIGD (and B, C): one value AIGSD for both sides unless a side is given
  auto sidePair = [&](const std::string& s, const std::string& d, const std::string& sd, double& vs, double& vd) {
    const bool split = !c.given(sd) && (c.given(s) || c.given(d));
    double bs = c.given(sd) ? c(sd) : c(s), bd = c.given(sd) ? c(sd) : c(d);
    double ls, ws, pp, ld, wd, pd;
    if (split) {
      ls = c("l" + s), ws = c("w" + s), pp = c("p" + s);
      ld = c("l" + d), wd = c("w" + d), pd = c("p" + d);
    } else {
      ls = ld = c("l" + sd);
      ws = wd = c("w" + sd);
      pp = pd = c("p" + sd);
    }
    vs = bs + ls * bin.invL + ws * bin.invW + pp * bin.invLW;
    vd = bd + ld * bin.invL + wd * bin.invW + pd * bin.invLW;
  };
  sidePair("aigs", "aigd", "aigsd", p.aigs, p.aigd);
  sidePair("bigs", "bigd", "bigsd", p.bigs, p.bigd);
  sidePair("cigs", "cigd", "cigsd", p.cigs, p.cigd);
  p.aigbacc = bin("aigbacc");
  p.bigbacc = bin("bigbacc");
  p.cigbacc = bin("cigbacc");
  p.aigbinv = bin("aigbinv");
  p.bigbinv = bin("bigbinv");
  p.cigbinv = bin("cigbinv");
  p.nigc = bin("nigc");
  p.nigbacc = bin("nigbacc");
  p.nigbinv = bin("nigbinv");
  const double ntox = bin("ntox");
  p.eigbinv = bin("eigbinv");
  p.pigcd = bin("pigcd");
  p.pigcdGiven = c.given("pigcd");
  p.xrcrg1 = bin("xrcrg1");
  p.xrcrg2 = bin("xrcrg2");
  const double poxedge = bin("poxedge");
  p.lambda = c.given("lambda") ? bin("lambda") : 0.0;
  const double vtl = bin("vtl"), xn = bin("xn");
  p.vfbsdoff = bin("vfbsdoff");
  const double tvfbsdoff = bin("tvfbsdoff");
  p.cgsl = bin("cgsl");
  p.cgdl = bin("cgdl");
  p.ckappas = bin("ckappas");
  p.ckappad = bin("ckappad");
  // (with MTRLMOD 1 a CF not given is 0: ngspice 39 computes its default only for MTRLMOD 0)
  // CF's default from TOXE as derived from TOXP + DTOX since 4.8.2; before (ngspice 39's bsim4v5,
  // v6, v7) from the card's TOXE or its default, when the model is set up
  const double cfToxe = P.hasModel("version") && version < 4.8 - 1e-9 ? toxeModel : toxe;
  const double cfModel = c.given("cf") ? c("cf") : mtrl ? 0.0 : 2.0 * epsrox * kEps0 / kPi * std::log(1.0 + 0.4e-6 / cfToxe);
  const double cf = bin("cf", cfModel);
  const double clc = bin("clc"), cle = bin("cle");
  p.vfbcv = bin("vfbcv");
  p.acde = bin("acde");
  p.moin = bin("moin");
  p.noff = bin("noff");
  p.voffcv = bin("voffcv");
  const double tvoffcv = bin("tvoffcv");

  p.abulkCVfactor = 1.0 + std::pow(clc / p.leffCV, cle);

  // temperature: TEMPMOD 0 linear in T/TNOM - 1; 1, 2 relative to T - TNOM;
  // 3 powers of T/TNOM for the mobility degradation
  const double t0r = TRatio - 1.0;
  const double powWeffWr = std::pow(p.weffCJ * 1.0e6, wr) * nf;
  double rd = 0, rdmin = 0, rs = 0, rsmin = 0;
  const double rdw = p.rdsMod ? bin("rdw") : 0.0, rsw = p.rdsMod ? bin("rsw") : 0.0;
  if (p.tempMod == 0) {
    p.ua += ua1 * t0r;
    p.ub += ub1 * t0r;
    p.uc += uc1 * t0r;
    p.ud += ud1 * t0r;
    p.vsattemp = vsat - at * t0r;
    const double t10 = prt * t0r;
    rd = rdw + t10;
    rdmin = c("rdwmin") + t10;
    rs = rsw + t10;
    rsmin = c("rswmin") + t10;
    p.rds0 = (rdsw + t10) * nf / powWeffWr;
    p.rdswmin = (c("rdswmin") + t10) * nf / powWeffWr;
  } else {
    if (p.tempMod == 3) {
      p.ua *= std::pow(TRatio, ua1);
      p.ub *= std::pow(TRatio, ub1);
      p.uc *= std::pow(TRatio, uc1);
      p.ud *= std::pow(TRatio, ud1);
    } else {
      p.ua *= 1.0 + ua1 * delTemp;
      p.ub *= 1.0 + ub1 * delTemp;
      p.uc *= 1.0 + uc1 * delTemp;
      p.ud *= 1.0 + ud1 * delTemp;
    }
    p.vsattemp = vsat * (1.0 - at * delTemp);
    const double t10 = 1.0 + prt * delTemp;
    rd = rdw * t10;
    rdmin = c("rdwmin") * t10;
    rs = rsw * t10;
    rsmin = c("rswmin") * t10;
    p.rds0 = rdsw * t10 * nf / powWeffWr;
    p.rdswmin = c("rdswmin") * t10 * nf / powWeffWr;
  }
  if (p.rdsMod) {
    p.rd0 = std::max(rd, 0.0) / powWeffWr;
    p.rdwmin = std::max(rdmin, 0.0) / powWeffWr;
    p.rs0 = std::max(rs, 0.0) / powWeffWr;
    p.rswmin = std::max(rsmin, 0.0) / powWeffWr;
  }
  p.ucs = std::max(p.ucs * std::pow(TRatio, ucste), 0.0);
  if (u0 > 1.0) u0 /= 1.0e4;
  p.u0temp = u0 * (1.0 - up * std::exp(-p.leff / lp)) * std::pow(TRatio, ute);
  if (p.eu < 0.0) p.eu = 0.0;
  p.vfbsdoff *= 1.0 + tvfbsdoff * delTemp;
  const double voffT = voff * (1.0 + tvoff * delTemp);
  p.nfactor += tnfactor * delTemp / Tnom;
  p.voffcv *= 1.0 + tvoffcv * delTemp;
  p.eta0 += teta0 * delTemp / Tnom;
  if (c.given("vtl") && c("vtl") > 0.0) {
    const double lc = std::max(c("lc"), 0.0);
    const double t0 = p.leff / (xn * p.leff + lc);
    p.tfactor = (1.0 - t0) / (1.0 + t0);
    p.vtl = vtl;
  }
  // overlaps (per unit width and length -> F)
  {
    const double dlcM = c("dlc");
    const double cgdoM = c.given("cgdo") ? c("cgdo")
                         : (c.given("dlc") && dlcM > 0.0) ? dlcM * p.coxe - c("cgdl")
                                                          : 0.6 * c("xj") * p.coxe;
    const double cgsoM = c.given("cgso") ? c("cgso")
                         : (c.given("dlc") && dlcM > 0.0) ? dlcM * p.coxe - c("cgsl")
                                                          : 0.6 * c("xj") * p.coxe;
    const double cgboM = c.given("cgbo") ? c("cgbo") : 2.0 * c("dwc") * p.coxe;
    p.cgdo = (cgdoM + cf) * p.weffCV * nf;
    p.cgso = (cgsoM + cf) * p.weffCV * nf;
    p.cgbo = cgboM * p.leffCV * nf;
  }

  // doping, surface potential, body effect
  if (!c.given("ndep") && c.given("gamma1")) {
    const double t = gamma1 * p.coxe;
    ndep = 3.01248e22 * t * t;
  }
  if (!(ndep > 0)) return "NDEP must be positive";
  p.phi = vtm0 * std::log(ndep / ni) + phin + 0.4;
  if (!(p.phi > 0)) return "NDEP and PHIN give a non-positive surface potential";
  p.sqrtPhi = std::sqrt(p.phi);
  p.xdep0 = std::sqrt(2.0 * p.epssub / (kQ * ndep * 1.0e6)) * p.sqrtPhi;
  p.litl = std::sqrt((mtrl ? epsrsub : 3.0 * 3.9) / epsrox * p.xj * toxe);
  p.vbi = vtm0 * std::log(nsd * ndep / (ni * ni));
  if (!mtrl) {
    p.vfbsd = p.ngate > 0.0 ? vtm0 * std::log(p.ngate / nsd) : 0.0;
  } else {  // the metal gate's work function against the source/drain's Fermi level
    const double t1 = 0.5 * eg0, t0 = std::min(vtm0 * std::log(nsd / ni), t1);
    p.vfbsd = c("phig") - (c("easub") + t1 - type * t0);
  }
  p.gidlVfb = mtrl ? p.vfbsd : 0.0;
  p.cdep0 = std::sqrt(kQ * p.epssub * ndep * 1.0e6 / 2.0 / p.phi);
  p.toxRatio = std::exp(ntox * std::log(c("toxref") / toxe)) / toxe / toxe;
  const double toxRatioEdge =
      std::exp(ntox * std::log(c("toxref") / (toxe * poxedge))) / toxe / toxe / poxedge / poxedge;
  p.aechvb = pmos ? 3.42537e-7 : 4.97232e-7;
  p.bechvb = pmos ? 1.16645e12 : 7.45669e11;
  p.aechvbEdgeS = p.aechvb * p.weff * c("dlcig") * toxRatioEdge;
  p.aechvbEdgeD = p.aechvb * p.weff * c("dlcigd") * toxRatioEdge;
  p.bechvbEdge = -p.bechvb * toxe * poxedge;
  p.aechvb *= p.weff * p.leff * p.toxRatio;
  p.bechvb *= -toxe;
  // the default PIGCD's numerator: -Bechvb from BSIM4.7 on; Bechvb·TOXE before (ngspice 39's
  // bsim4v5 and bsim4v6, a gate current orders of magnitude smaller under IGCMOD)
  p.pigcdNum = P.hasModel("version") && version < 4.7 - 1e-9 ? p.bechvb * toxe : -p.bechvb;
  p.mstar = 0.5 + std::atan(minv) / kPi;
  p.mstarcv = 0.5 + std::atan(minvcv) / kPi;
  p.voffcbn = voffT + c("voffl") / p.leff;
  p.voffcbncv = p.voffcv + c("voffcvl") / p.leff;
  p.ldeb = std::sqrt(p.epssub * vtm0 / (kQ * ndep * 1.0e6)) / 3.0;
  if (p.mobMod == 3) {
    // Vgsteff at threshold (Vbs = Vds = 0) for the Coulomb scattering term
    const double theta0 = rollOff(p.dvt1 * p.leff / (p.factor1 * std::sqrt(p.xdep0)));
    const double tmp3 = (p.nfactor * p.epssub / p.xdep0 + p.cdsc * theta0 + p.cit) / p.coxe;
    const double n0 = tmp3 >= -0.5 ? 1.0 + tmp3 : (1.0 + 3.0 * tmp3) / (3.0 + 8.0 * tmp3);
    const double t0 = n0 * p.vtm, t2 = p.voffcbn / t0;
    const double e = t2 < -kExpThreshold ? kMinExp : t2 > kExpThreshold ? kMaxExp : std::exp(t2);
    p.vgsteffVth = t0 * std::log(2.0) / (p.mstar + e * p.coxe / p.cdep0 * n0);
  }
  p.acde *= std::pow(ndep / 2.0e16, -0.25);
  if (c.given("k1") || c.given("k2")) {
    if (!c.given("k1")) k1 = 0.53;
    if (!c.given("k2")) k2 = -0.0186;
  } else {
    if (!c.given("vbx")) vbx = p.phi - 7.7348e-4 * ndep * xt * xt;
    if (vbx > 0) vbx = -vbx;
    if (vbm > 0) vbm = -vbm;
    if (!c.given("gamma1")) gamma1 = 5.753e-12 * std::sqrt(ndep) / p.coxe;
    if (!c.given("gamma2")) gamma2 = 5.753e-12 * std::sqrt(nsub) / p.coxe;
    const double t0 = gamma1 - gamma2;
    const double t1 = std::sqrt(p.phi - vbx) - p.sqrtPhi;
    const double t2 = std::sqrt(p.phi * (p.phi - vbm)) - p.phi;
    k2 = t0 * t1 / (2.0 * t2 + vbm);
    k1 = gamma2 - 2.0 * k2 * std::sqrt(p.phi - vbm);
  }
  if (!c.given("vfb")) {
    if (c.given("vth0")) {
      vfb = type * vth0 - p.phi - k1 * p.sqrtPhi;
    } else if (mtrl && c.given("phig") && c.given("nsub")) {  // the gate's work function against the substrate's
      const double t1 = 0.5 * eg0, t0 = std::min(vtm0 * std::log(nsub / ni), t1);
      vfb = c("phig") - (c("easub") + t1 + type * t0);
    } else {
      vfb = -1.0;
    }
  }
  if (!c.given("vth0")) vth0 = type * (vfb + p.phi + k1 * p.sqrtPhi);
  p.k1 = k1;
  p.k1ox = k1 * toxe / toxm;
  {
    const double tmp = std::sqrt(p.epssub / (epsrox * kEps0) * toxe * p.xdep0);
    double t0 = dsub * p.leff / tmp;
    p.theta0vb0 = t0 < kExpThreshold ? rollOff(t0) : 1.0 / (kMaxExp - 2.0);
    t0 = drout * p.leff / tmp;
    p.thetaRout = pdibl1 * (t0 < kExpThreshold ? rollOff(t0) : 1.0 / (kMaxExp - 2.0)) + pdibl2;
  }
  double vfbzbFactor;
  {
    const double tmp1 = p.vbi - p.phi, tmp2 = p.factor1 * std::sqrt(p.xdep0);
    const double t8 = p.dvt0w * rollOff(p.dvt1w * p.weff * p.leff / tmp2) * tmp1;
    const double t9 = p.dvt0 * rollOff(p.dvt1 * p.leff / tmp2) * tmp1;
    const double t4 = toxe * p.phi / (p.weff + p.w0);
    const double t0 = std::sqrt(1.0 + p.lpe0 / p.leff);
    const double t3 = p.tempMod < 2 ? (p.kt1 + p.kt1l / p.leff) * (TRatio - 1.0) : -p.kt1 * (TRatio - 1.0);
    const double t5 = p.k1ox * (t0 - 1.0) * p.sqrtPhi + t3;
    vfbzbFactor = -t8 - t9 + p.k3 * t4 + t5 - p.phi - k1 * p.sqrtPhi;
  }
  {
    const double x = -dvtp3 * std::log(p.leff);
    const double e = x > kExpThreshold ? kMaxExp * (1.0 + x - kExpThreshold) : x < -kExpThreshold ? kMinExp : std::exp(x);
    p.dvtp2factor = dvtp5 + dvtp2 * e;
  }
  // instance: stress from the diffusion lengths (SA, SB, SD), well proximity
  // (SC, SCA, SCB, SCC), delvto, flat bands, body-bias limit
  double vth0i = vth0, k2i = k2;
  {
    const double Ldrn = L;
    const double wlod = std::max(c("wlod"), 0.0), wTmp = Wnew + wlod;
    double t0 = std::pow(Lnew, c("llodku0")), t1 = std::pow(wTmp, c("wlodku0"));
    const double ku0 = 1.0 + c("lku0") / t0 + c("wku0") / t1 + c("pku0") / (t0 * t1);
    t0 = std::pow(Lnew, c("llodvth"));
    t1 = std::pow(wTmp, c("wlodvth"));
    double kvth0 = 1.0 + c("lkvth0") / t0 + c("wkvth0") / t1 + c("pkvth0") / (t0 * t1);
    kvth0 = std::sqrt(kvth0 * kvth0 + 1.0e-9);
    const double ku0temp = ku0 * (1.0 + c("tku0") * t0r) + 1.0e-9;
    const double invOdRef = 1.0 / (c("saref") + 0.5 * Ldrn) + 1.0 / (c("sbref") + 0.5 * Ldrn);
    const double rhoRef = c("ku0") / ku0temp * invOdRef;
    const double sa = P.inst("sa"), sb = P.inst("sb");
    const double sd = P.hasInst("sd") ? P.inst("sd") : 2.0 * c("dmcg");
    if (sa > 0.0 && sb > 0.0 && (nf == 1.0 || (nf > 1.0 && sd > 0.0))) {
      const double kvsat = std::clamp(c("kvsat"), -1.0, 1.0);
      double invSa = 0.0, invSb = 0.0;
      for (int i = 0; i < int(nf); ++i) {
        invSa += 1.0 / nf / (sa + 0.5 * Ldrn + i * (sd + Ldrn));
        invSb += 1.0 / nf / (sb + 0.5 * Ldrn + i * (sd + Ldrn));
      }
      const double invOd = invSa + invSb;
      const double rho = c("ku0") / ku0temp * invOd;
      // BSIM4.8 also scales the mobility by (1 + rho)/(1 + rhoRef); ngspice 39's
      // drain current does not change with KU0 (measured: KU0 acts only through
      // KVSAT's velocity factor), so neither does this one.
      p.vsattemp *= (1.0 + kvsat * rho) / (1.0 + kvsat * rhoRef);
      const double odOffset = invOd - invOdRef;
      vth0i += c("kvth0") / kvth0 * odOffset;
      k2i += c("stk2") / std::pow(kvth0, c("lodk2")) * odOffset;
      p.eta0 += c("steta0") / std::pow(kvth0, c("lodeta0")) * odOffset;
    }
    if (c("wpemod") != 0.0) {
      double sca = P.inst("sca"), scb = P.inst("scb"), scc = P.inst("scc"), sc = P.inst("sc");
      if (!P.hasInst("sca") && !P.hasInst("scb") && !P.hasInst("scc") && P.hasInst("sc") && sc > 0.0) {
        const double Wdrn = W / nf, scref = c("scref");
        const double t1s = sc + Wdrn, t2s = 1.0 / scref;
        sca = scref * scref / (sc * t1s);
        scb = ((0.1 * sc + 0.01 * scref) * std::exp(-10.0 * sc * t2s) -
               (0.1 * t1s + 0.01 * scref) * std::exp(-10.0 * t1s * t2s)) / Wdrn;
        scc = ((0.05 * sc + 0.0025 * scref) * std::exp(-20.0 * sc * t2s) -
               (0.05 * t1s + 0.0025 * scref) * std::exp(-20.0 * t1s * t2s)) / Wdrn;
      }
      sca = std::max(sca, 0.0);
      scb = std::max(scb, 0.0);
      scc = std::max(scc, 0.0);
      const double sceff = sca + c("web") * scb + c("wec") * scc;
      vth0i += bin("kvth0we") * sceff;
      k2i += bin("k2we") * sceff;
      // (KU0WE's factor on the mobility: ngspice 39 overwrites it with U0 times MULU0 below)
    }
  }
  const double delvto = P.inst("delvto");
  // the low-field mobility times the instance's MULU0 (ngspice 39's b4temp.c sets it from the
  // size-dependent U0 here, after the well-proximity factor, which it so leaves out)
  p.u0temp *= P.inst("mulu0");
  p.vth0 = vth0i + delvto;
  p.vfb = vfb + type * delvto;
  {
    const double t3 = type * p.vth0 - p.vfb - p.phi;
    p.vtfbphi1 = std::max(pmos ? 2.5 * t3 : 2.0 * t3, 0.0);
    p.vtfbphi2 = std::max(4.0 * t3, 0.0);
  }
  // MTRLMOD 1 (not MTRLCOMPATMOD): TOXP from EOT, through the threshold and Vgsteff of a device of
  // LEFFEOT x WEFFEOT at VDDEOT and TEMPEOT (the charge centroid's distance, iterated as BSIM4 does)
  if (mtrl && !mtrlCompat) {
    const double vtm0eot = kKboQ * c("tempeot");
    const double vbieot = vtm0eot * std::log(nsd * ndep / (ni * ni));
    const double phieot = vtm0eot * std::log(ndep / ni) + phin + 0.4;
    const double vddeot = type * c("vddeot");
    const double leffeot = c("leffeot"), weffeot = c("weffeot");
    const double vgsEff = polyDepletionVgs(p.vfb + phieot, p.ngate, p.epsgate, p.coxe, vddeot);
    const double v0 = vbieot - phieot;
    const double lt1 = p.factor1 * std::sqrt(p.xdep0);
    const double theta0 = rollOff(p.dvt1 * leffeot / lt1);
    const double deltVth = p.dvt0 * theta0 * v0;
    const double t2w = p.dvt0w * rollOff(p.dvt1w * weffeot * leffeot / lt1) * v0;
    const double tempRatioEot = c("tempeot") / Tnom - 1.0;
    const double t1 = p.k1ox * (std::sqrt(1.0 + p.lpe0 / leffeot) - 1.0) * std::sqrt(phieot) +
                      (p.kt1 + p.kt1l / leffeot) * tempRatioEot;
    const double vthNarrowW = toxe * phieot / (weffeot + p.w0);
    const double lpeVb = std::sqrt(1.0 + p.lpeb / leffeot);
    double vth = type * p.vth0 + (p.k1ox - p.k1) * std::sqrt(phieot) * lpeVb - deltVth - t2w + p.k3 * vthNarrowW + t1;
    const double tmp3 = (p.nfactor * p.epssub / p.xdep0 + p.cdsc * theta0 + p.cit) / p.coxe;
    const double n = tmp3 >= -0.5 ? 1.0 + tmp3 : (1.0 + 3.0 * tmp3) / (3.0 + 8.0 * tmp3);
    if (p.dvtp0 > 0.0) vth -= n * vtm0eot * std::log(leffeot / (leffeot + 2.0 * p.dvtp0));
    const double vgsteff = vgsEff - vth;
    const double vtfbphi2eot = std::max(4.0 * (type * p.vth0 - p.vfb - phieot), 0.0);
    double toxpf = toxe, toxpi;
    int niter = 0;
    do {
      toxpi = toxpf;
      const double t0 = (vgsteff + vtfbphi2eot) / (2.0e8 * toxpf);
      const double tcen = p.ados * 1.9e-9 / (1.0 + std::exp(p.bdos * 0.7 * std::log(t0)));
      toxpf = toxe - epsrox / epsrsub * tcen;
      ++niter;
    } while (niter <= 4 && std::fabs(toxpf - toxpi) > 1e-12);
    if (!(toxpf > 0)) return "TOXP computed from EOT is not positive (EOT, VDDEOT, ADOS, BDOS)";
    p.toxp = toxpf;
    p.coxp = epsrox * kEps0 / toxpf;
  }
  p.k2 = k2i;
  if (k2i < 0.0) {
    const double t0 = 0.5 * k1 / k2i;
    p.vbsc = std::clamp(0.9 * (p.phi - t0 * t0), -30.0, -3.0);
  } else {
    p.vbsc = -30.0;
  }
  if (p.vbsc > vbm) p.vbsc = vbm;
  p.k2ox = k2i * toxe / toxm;
  p.vfbzb = vfbzbFactor + type * p.vth0;

  // body resistances: RBODYMOD 1 as given; 2 scaled with the size (RBPBX0 ...)
  if (p.rbody) {
    double rbdb = P.inst("rbdb", c("rbdb")), rbsb = P.inst("rbsb", c("rbsb")), rbpb = P.inst("rbpb", c("rbpb"));
    double rbps = P.inst("rbps", c("rbps")), rbpd = P.inst("rbpd", c("rbpd"));
    int bodyMode = 5;
    if (rbodyMod == 2) {
      if (!c.given("rbps0") || !c.given("rbpd0")) bodyMode = 1;
      else if ((!c.given("rbsbx0") && !c.given("rbsby0")) || (!c.given("rbdbx0") && !c.given("rbdby0"))) bodyMode = 3;
      const double lnl = std::log(p.leff * 1.0e6), lnw = std::log(p.weff * 1.0e6), lnnf = std::log(nf);
      auto scaled = [&](const char* r0, const char* l, const char* w, const char* f) {
        return c(r0) * std::exp(c(l) * lnl + c(w) * lnw + c(f) * lnnf);
      };
      auto parallel = [](double a, double b) { return a * b / (a + b); };
      if (bodyMode == 5) {
        rbsb = parallel(scaled("rbsbx0", "rbsdbxl", "rbsdbxw", "rbsdbxnf"),
                        scaled("rbsby0", "rbsdbyl", "rbsdbyw", "rbsdbynf"));
        rbdb = parallel(scaled("rbdbx0", "rbsdbxl", "rbsdbxw", "rbsdbxnf"),
                        scaled("rbdby0", "rbsdbyl", "rbsdbyw", "rbsdbynf"));
      }
      if (bodyMode == 3 || bodyMode == 5) {
        rbps = scaled("rbps0", "rbpsl", "rbpsw", "rbpsnf");
        rbpd = scaled("rbpd0", "rbpdl", "rbpdw", "rbpdnf");
      }
      rbpb = parallel(scaled("rbpbx0", "rbpbxl", "rbpbxw", "rbpbxnf"), scaled("rbpby0", "rbpbyl", "rbpbyw", "rbpbynf"));
    }
    const double gbmin = c("gbmin");
    auto g = [&](double r) { return r < 1.0e-3 ? 1.0e3 : gbmin + 1.0 / r; };
    p.bodyMode = bodyMode;
    p.grbpb = g(rbpb);
    if (bodyMode == 5) {
      p.grbdb = g(rbdb);
      p.grbps = g(rbps);
      p.grbsb = g(rbsb);
      p.grbpd = g(rbpd);
    } else {
      p.grbdb = p.grbsb = gbmin;
      p.grbps = bodyMode == 3 ? g(rbps) : 1.0e3;
      p.grbpd = bodyMode == 3 ? g(rbpd) : 1.0e3;
    }
  }

  // gate electrode resistance (RGATEMOD 1)
  if (p.rgate) {
    const double ngcon = P.inst("ngcon", c("ngcon")), xgw = P.inst("xgw", c("xgw"));
    const double r = c("rshg") * (xgw + p.weffCJ / 3.0 / ngcon) / (ngcon * nf * (Lnew - c("xgl")));
    p.grgeltd = r > 0.0 ? 1.0 / r : 1.0e3;
  }

  // junction geometry
  const double dmcg = c("dmcg"), dmcgt = c("dmcgt"), dmci = c("dmci"), dmdg = c("dmdg");
  const int geoMod = int(P.inst("geomod", c("geomod")));
  const Geometry g =
      layoutGeometry(nf, geoMod, int(P.inst("min")), p.weffCJ, dmcg - dmcgt, dmci, dmdg - dmcgt);
  // the diffusion resistances of RGEOMOD 1 (bsim4.cpp uses them where NRS, NRD are not given);
  // BSIM4 makes their internal nodes when its own estimate on W and NF·M is positive
  const double rsh = c("rsh");
  if (rgeo && rsh > 0.0) {
    const int minSD = int(P.inst("min"));
    p.rsGeo = diffusionResistance(nf, geoMod, minSD, p.weffCJ, rsh, dmcg - dmcgt, dmdg - dmcgt, true);
    p.rdGeo = diffusionResistance(nf, geoMod, minSD, p.weffCJ, rsh, dmcg - dmcgt, dmdg - dmcgt, false);
    const double nfm = nf * P.inst("m"), w = P.inst("w");
    p.rsGeoNode = diffusionResistance(nfm, geoMod, minSD, w, rsh, dmcg - dmcgt, dmdg - dmcgt, true) > 0.0;
    p.rdGeoNode = diffusionResistance(nfm, geoMod, minSD, w, rsh, dmcg - dmcgt, dmdg - dmcgt, false) > 0.0;
  }
  const int perMod = int(c("permod"));
  auto perimeter = [&](const char* n, double fromLayout) {
    if (!P.hasInst(n)) return std::max(fromLayout, 0.0);
    const double v = P.inst(n);
    if (v <= 0.0) return 0.0;
    return std::max(perMod == 0 ? v : v - p.weffCJ * nf, 0.0);
  };
  const double Pseff = perimeter("ps", g.ps), Pdeff = perimeter("pd", g.pd);
  const double Aseff = std::max(P.hasInst("as") ? P.inst("as") : g.as, 0.0);
  const double Adeff = std::max(P.hasInst("ad") ? P.inst("ad") : g.ad, 0.0);
  // before BSIM4.6 (ngspice 39's bsim4v5) a given perimeter less the gate edge may be negative
  // (PS < W*NF with PERMOD 1) and counts so in the saturation current; the capacitances, which
  // skip a charge of a negative zero-bias capacitance, keep the clamped value
  const bool before46 = P.hasModel("version") && version < 4.6 - 1e-9;
  auto satPerimeter = [&](const char* n, double clamped) {
    if (!before46 || !P.hasInst(n)) return clamped;
    return perMod == 0 ? P.inst(n) : P.inst(n) - p.weffCJ * nf;
  };
  const double PseffSat = satPerimeter("ps", Pseff), PdeffSat = satPerimeter("pd", Pdeff);

  // junction currents and capacitances at temperature, per side
  auto junction = [&](bool drain, Junction& j, double A, double Pe, double PeSat) {
    const std::string s = drain ? "d" : "s";
    const double jss = c("js" + s), jsws = c("jsw" + s), jswgs = c("jswg" + s);
    const double njs = c("nj" + s), xtis = c("xti" + s);
    double sT = jss, swT = jsws, swgT = jswgs;
    if (T != Tnom) {
      const double t0 = eg0 / vtm0 - eg / p.vtm, t1 = std::log(T / Tnom);
      const double t3 = std::exp((t0 + xtis * t1) / njs);
      sT *= t3;
      swT *= t3;
      swgT *= t3;
    }
    sT = std::max(sT, 0.0);
    swT = std::max(swT, 0.0);
    swgT = std::max(swgT, 0.0);
    j.nvtm = p.vtm * njs;
    // a junction of no area and no perimeter (sky130's device sub-circuits pass ad=0 as=0
    // pd=0 ps=0 by default): BSIM4.5 and earlier give it 1e-14 A, BSIM4.6 on nothing (ngspice
    // 39's bsim4v5 and bsim4 codes; sky130's models are VERSION 4.5)
    j.isat = (A <= 0.0 && PeSat <= 0.0) ? (before46 ? 1.0e-14 : 0.0) : A * sT + PeSat * swT + p.weffCJ * nf * swgT;
    if (j.isat < 0.0) j.isat = 0.0;  // (a negative perimeter's: no diode current, as BSIM4.5's gmin alone)
    double xjbv = c("xjbv" + s), bv = c("bv" + s);
    if (xjbv < 0.0 || (xjbv <= 0.0 && p.dioMod == 2)) xjbv = 0.0;
    if (bv <= 0.0) bv = 0.0;
    j.xjbv = xjbv;
    j.bv = bv;
    const double ijthFwd = std::max(c(drain ? "ijthdfwd" : "ijthsfwd"), 0.0);
    const double ijthRev = std::max(c(drain ? "ijthdrev" : "ijthsrev"), 0.0);
    if (j.isat > 0.0) {
      if (p.dioMod == 0) {
        j.xExpBV = bv / j.nvtm > kExpThreshold ? xjbv * kMinExp : xjbv * std::exp(-bv / j.nvtm);
      } else if (p.dioMod == 1) {
        j.vjmFwd = ijthVoltage(j.nvtm, ijthFwd, j.isat, 0.0);
        j.ivjmFwd = j.isat * std::exp(j.vjmFwd / j.nvtm);
      } else {
        j.xExpBV = bv / j.nvtm > kExpThreshold ? xjbv * kMinExp : std::exp(-bv / j.nvtm) * xjbv;
        j.vjmFwd = ijthVoltage(j.nvtm, ijthFwd, j.isat, j.xExpBV);
        const double t0 = std::exp(j.vjmFwd / j.nvtm);
        j.ivjmFwd = j.isat * (t0 - j.xExpBV / t0 + j.xExpBV - 1.0);
        j.slpFwd = j.isat * (t0 + j.xExpBV / t0) / j.nvtm;
        double t2 = ijthRev / j.isat;
        if (t2 < 1.0) t2 = 10.0;
        j.vjmRev = -bv - j.nvtm * std::log((t2 - 1.0) / xjbv);
        const double t1 = xjbv * std::exp(-(bv + j.vjmRev) / j.nvtm);
        j.ivjmRev = j.isat * (1.0 + t1);
        j.slpRev = -j.isat * t1 / j.nvtm;
      }
    }
    // trap-assisted tunnelling (reverse bias)
    const double t7 = eg0 / p.vtm * t0r;
    auto dexp = [](double x) {
      return x > kExpThreshold ? kMaxExp * (1.0 + x - kExpThreshold) : x < -kExpThreshold ? kMinExp : std::exp(x);
    };
    const double jtweff = std::max(c("jtweff"), 0.0);
    const double t11 = std::sqrt(jtweff / p.weffCJ) + 1.0, t10 = p.weffCJ * nf;
    const char* names[3] = {"", "sw", "swg"};
    for (int k = 0; k < 3; ++k) {
      const std::string n = names[k];
      const double xts = c("xts" + n + s), jts = c("jts" + n + s);
      const double size = k == 0 ? A : k == 1 ? Pe : t10 * t11;
      j.revSat[k] = dexp(xts * t7) * size * jts;
      j.vts[k] = c("vts" + n + s);
      const std::string ds = drain ? "d" : "";  // the source's names have no suffix
      const double njts = c("njts" + n + ds) * (1.0 + c("tnjts" + n + ds) * t0r);
      j.nvtmr[k] = vtm0 * njts;
    }
    // depletion capacitances
    const double cjs = c("cj" + s), cjsws = std::max(c("cjsw" + s), 0.0), cjswgs = c("cjswg" + s);
    auto capT = [&](double cz, double tc) { return tc * delTemp >= -1.0 ? cz * (1.0 + tc * delTemp) : 0.0; };
    j.cz[0] = capT(cjs, c("tcj")) * A;
    j.cz[1] = capT(cjsws, c("tcjsw")) * Pe;
    j.cz[2] = capT(cjswgs, c("tcjswg")) * p.weffCJ * nf;
    const double pb = std::max(c("pb" + s), 0.1), pbsw = std::max(c("pbsw" + s), 0.1),
                 pbswg = std::max(c("pbswg" + s), 0.1);
    j.pb[0] = std::max(pb - c("tpb") * delTemp, 0.01);
    j.pb[1] = std::max(pbsw - c("tpbsw") * delTemp, 0.01);
    j.pb[2] = std::max(pbswg - c("tpbswg") * delTemp, 0.01);
    j.mj[0] = c("mj" + s);
    j.mj[1] = c("mjsw" + s);
    j.mj[2] = c("mjswg" + s);
  };
  junction(false, p.js, Aseff, Pseff, PseffSat);
  junction(true, p.jd, Adeff, Pdeff, PdeffSat);

  // noise
  p.kf = c("kf");
  p.af = c("af");
  p.ef = c("ef");
  p.noia = c("noia");
  p.noib = c("noib");
  p.noic = c("noic");
  p.em = c("em");
  p.lintnoi = c("lintnoi");
  return {};
}

}  // namespace simcore::dev::bsim4
