// The VBIC 1.2 equations (McAndrew et al.), as ngspice 39 evaluates them
// (vbicload.c, vbictemp.c); the derivatives come from forward-mode automatic
// differentiation over the local terminal voltages, so the Jacobian is exact.
//   transport      Itzf = Ifi/qb, Itzr = Iri/qb, Ifi = IS (exp(Vbei/(NF Vt)) - 1), Iri = IS ISRR (exp(Vbci/(NR Vt)) - 1)
//   base charge    q1 = smooth max(1 + qdbe/VER + qdbc/VEF), qb = (q1 + (q1^(1/NKF) + 4 q2)^NKF)/2 (QBM=0)
//                  or q1 (1 + (1 + 4 q2)^NKF)/2 (QBM=1), q2 = Ifi/IKF + Iri/IKR
//   base currents  Ibe (WBE of it at b_i-e_i, the rest at b_x-e_i): IBEI, IBEN diodes and the b-e breakdown
//                  (VBBE); Ibc: IBCI, IBCN diodes less weak avalanche AVC1/AVC2
//   parasitic pnp  Iccp = (Ifp - Irp)/qbp from b_x to s_i, Ibep, Ibcp diodes
//   resistances    RCX, RBX, RE, RS linear; RCI Kull's epi model (VO, GAMM, HRCF); RBI, RBP modulated by qb, qbp
//   charges        depletion (smoothed by AJ, reach-through VRT/ART on b-c), diffusion TF(...)Ifi/qb, TR Iri,
//                  epi QCO Kbci/Kbcx, overlaps CBEO/CBCO, CCSO, thermal CTH
//   self-heating   (RTH > 0 and a fifth node) the dissipated power into the thermal node, RTH and CTH to ground;
//                  every parameter follows the node's temperature rise
#include "devices/vbic_model.hpp"

#include <algorithm>
#include <cmath>

#include "devices/fwd_number.hpp"

namespace simcore::dev::vbic {
namespace {

// A number with its derivatives in the local terminal voltages C..SI (ground excluded).
constexpr int kD = GND;
using D = semi::Fwd<kD>;
// exp, continued linearly above 80 (a wild Newton iterate cannot overflow)
inline D exp(const D& a) {
  if (a.v > 80.0) {
    const double e = std::exp(80.0);
    return chain(a, e * (1.0 + a.v - 80.0), e);
  }
  const double e = std::exp(a.v);
  return chain(a, e, e);
}
// (log and pow: fwd_number.hpp's; sqrt with ngspice's slope 0.5/s everywhere)
inline D sqrt(const D& a) {
  const double s = std::sqrt(a.v);
  return chain(a, s, 0.5 / s);
}
inline double exp(double a) { return std::exp(a); }
inline double log(double a) { return std::log(a); }
inline double sqrt(double a) { return std::sqrt(a); }
inline double pow(double a, double x) { return std::pow(a, x); }

// VBIC's Boltzmann constant over the charge (the values of its reference code).
constexpr double kVbicKoverQ = 1.380662e-23 / 1.602189e-19;

// The temperature mappings from Tini to Tdev (K) of the parameters `n` holds at Tini.
template <class R>
TempParamsT<R> mapTemperature(const VbicInst& p, const TempParams& n, double Tini, R Tdev) {
  TempParamsT<R> t;
  const R vtv = kVbicKoverQ * Tdev, rT = Tdev / Tini, dT = Tdev - Tini;
  t.vtv = vtv;
  t.ikf = n.ikf * pow(rT, p.xikf);
  t.rcx = n.rcx * pow(rT, p.xrcx);
  t.rci = n.rci * pow(rT, p.xrci);
  t.rbx = n.rbx * pow(rT, p.xrbx);
  t.rbi = n.rbi * pow(rT, p.xrbi);
  t.re = n.re * pow(rT, p.xre);
  t.rs = n.rs * pow(rT, p.xrs);
  t.rbp = n.rbp * pow(rT, p.xrbp);
  auto sat = [&](double i0, double xexp, double ea, double nn) {
    return i0 * pow(pow(rT, xexp) * exp(-ea * (1.0 - rT) / vtv), 1.0 / nn);
  };
  t.is = sat(n.is, p.xis, p.ea, n.nf);
  t.isrr = sat(n.isrr, p.xisr, p.dear, n.nr);
  t.isp = sat(n.isp, p.xis, p.eap, p.nfp);
  t.ibei = sat(n.ibei, p.xii, p.eaie, p.nei);
  t.iben = sat(n.iben, p.xin, p.eane, p.nen);
  t.ibci = sat(n.ibci, p.xii, p.eaic, p.nci);
  t.ibcn = sat(n.ibcn, p.xin, p.eanc, p.ncn);
  t.ibeip = sat(n.ibeip, p.xii, p.eaic, p.nci);
  t.ibenp = sat(n.ibenp, p.xin, p.eanc, p.ncn);
  t.ibcip = sat(n.ibcip, p.xii, p.eais, p.ncip);
  t.ibcnp = sat(n.ibcnp, p.xin, p.eans, p.ncnp);
  t.nf = n.nf * (1.0 + dT * p.tnf);
  t.nr = n.nr * (1.0 + dT * p.tnf);
  t.avc2 = n.avc2 * (1.0 + dT * p.tavc);
  t.vbbe = n.vbbe * (1.0 + dT * (p.tvbbe1 + dT * p.tvbbe2));
  t.nbbe = n.nbbe * (1.0 + dT * p.tnbbe);
  // built-in potentials through the intrinsic carrier density
  auto potential = [&](double psi, double ea) {
    const R psiio = 2.0 * (vtv / rT) * log(exp(0.5 * psi * rT / vtv) - exp(-0.5 * psi * rT / vtv));
    const R psiin = psiio * rT - 3.0 * vtv * log(rT) - ea * (rT - 1.0);
    return psiin + 2.0 * vtv * log(0.5 * (1.0 + sqrt(1.0 + 4.0 * exp(-psiin / vtv))));
  };
  t.pe = potential(n.pe, p.eaie);
  t.pc = potential(n.pc, p.eaic);
  t.ps = potential(n.ps, p.eais);
  t.cje = n.cje * pow(n.pe / t.pe, p.me);
  t.cjc = n.cjc * pow(n.pc / t.pc, p.mc);
  t.cjep = n.cjep * pow(n.pc / t.pc, p.mc);
  t.cjcp = n.cjcp * pow(n.ps / t.ps, p.ms);
  t.gamm = n.gamm * pow(rT, p.xis) * exp(-p.ea * (1.0 - rT) / vtv);
  t.vo = n.vo * pow(rT, p.xvo);
  t.ebbe = exp(-t.vbbe / (t.nbbe * vtv));
  return t;
}

// Normalised depletion charge of a junction (potential P, grading M,
// smoothing AJ: <= 0 the FC linearisation, > 0 the smooth limit).
D depletion(const D& v, const D& P, double M, double AJ, double FC) {
  const D dv0 = -P * FC;
  if (AJ <= 0) {
    const D dvh = v + dv0;
    if (dvh.v > 0) {
      const double pwq = std::pow(1.0 - FC, -1.0 - M);
      const D qlo = P * (1.0 - pwq * (1.0 - FC) * (1.0 - FC)) / (1.0 - M);
      const D qhi = dvh * (1.0 - FC + 0.5 * M * dvh / P) * pwq;
      return qlo + qhi;
    }
    return P * (1.0 - pow(1.0 - v / P, 1.0 - M)) / (1.0 - M);
  }
  const D mv0 = sqrt(dv0 * dv0 + 4.0 * AJ * AJ);
  const D vl0 = -0.5 * (dv0 + mv0);
  const D q0 = -P * pow(1.0 - vl0 / P, 1.0 - M) / (1.0 - M);
  const D dv = v + dv0;
  const D mv = sqrt(dv * dv + 4.0 * AJ * AJ);
  const D vl = 0.5 * (dv - mv) - dv0;
  const D qlo = -P * pow(1.0 - vl / P, 1.0 - M) / (1.0 - M);
  return qlo + std::pow(1.0 - FC, -M) * (v - vl + vl0) - q0;
}

// The same for the b-c junctions, with the reach-through (VRT, ART).
D depletionBC(const D& v, const D& P, double M, double AJ, double FC, double VRT, double ART) {
  if (AJ <= 0) {
    if ((v - P * FC).v <= 0 && VRT > 0 && v.v < -VRT) {
      const D x3 = pow(1.0 + VRT / P, 1.0 - M);
      return P * (1.0 - x3 * (1.0 - ((1.0 - M) * (v + VRT)) / (P + VRT))) / (1.0 - M);
    }
    return depletion(v, P, M, AJ, FC);
  }
  if (!(VRT > 0 && ART > 0)) return depletion(v, P, M, AJ, FC);
  const D dv0 = -P * FC;
  auto limited = [&](const D& vn) {
    return 2.0 * vn / (sqrt((vn - 1.0) * (vn - 1.0) + 4.0 * AJ * AJ) + sqrt((vn + 1.0) * (vn + 1.0) + 4.0 * ART * ART));
  };
  const D vn0 = (VRT + dv0) / (VRT - dv0);
  const D vnl0 = limited(vn0);
  const D vl0 = 0.5 * (vnl0 * (VRT - dv0) - VRT - dv0);
  const D qlo0 = P * (1.0 - pow(1.0 - vl0 / P, 1.0 - M)) / (1.0 - M);
  const D vn = (2.0 * v + VRT + dv0) / (VRT - dv0);
  const D vnl = limited(vn);
  const D vl = 0.5 * (vnl * (VRT - dv0) - VRT - dv0);
  const D qlo = P * (1.0 - pow(1.0 - vl / P, 1.0 - M)) / (1.0 - M);
  const D sel = 0.5 * (vnl + 1.0);
  const D crt = pow(1.0 + VRT / P, -M);
  const D cmx = pow(1.0 + dv0 / P, -M);
  const D cl = (1.0 - sel) * crt + sel * cmx;
  return (v - vl + vl0) * cl + qlo - qlo0;
}

TempParamsT<D> constants(const TempParams& t) {
  TempParamsT<D> r;
#define SIMCORE_VBIC_COPY(f) r.f = D(t.f);
  SIMCORE_VBIC_COPY(ikf) SIMCORE_VBIC_COPY(rcx) SIMCORE_VBIC_COPY(rci) SIMCORE_VBIC_COPY(rbx)
  SIMCORE_VBIC_COPY(rbi) SIMCORE_VBIC_COPY(re) SIMCORE_VBIC_COPY(rs) SIMCORE_VBIC_COPY(rbp)
  SIMCORE_VBIC_COPY(is) SIMCORE_VBIC_COPY(isrr) SIMCORE_VBIC_COPY(isp) SIMCORE_VBIC_COPY(ibei)
  SIMCORE_VBIC_COPY(iben) SIMCORE_VBIC_COPY(ibci) SIMCORE_VBIC_COPY(ibcn) SIMCORE_VBIC_COPY(ibeip)
  SIMCORE_VBIC_COPY(ibenp) SIMCORE_VBIC_COPY(ibcip) SIMCORE_VBIC_COPY(ibcnp) SIMCORE_VBIC_COPY(nf)
  SIMCORE_VBIC_COPY(nr) SIMCORE_VBIC_COPY(avc2) SIMCORE_VBIC_COPY(vbbe) SIMCORE_VBIC_COPY(nbbe)
  SIMCORE_VBIC_COPY(pe) SIMCORE_VBIC_COPY(pc) SIMCORE_VBIC_COPY(ps) SIMCORE_VBIC_COPY(cje)
  SIMCORE_VBIC_COPY(cjc) SIMCORE_VBIC_COPY(cjep) SIMCORE_VBIC_COPY(cjcp) SIMCORE_VBIC_COPY(gamm)
  SIMCORE_VBIC_COPY(vo) SIMCORE_VBIC_COPY(ebbe) SIMCORE_VBIC_COPY(vtv)
#undef SIMCORE_VBIC_COPY
  return r;
}

// Current i from local terminal a to b, with its derivatives.
void branch(Stamp& s, int a, int b, const D& i) {
  constexpr auto& slot = Stamp::entries.slot;
  s.I[a] += i.v;
  s.I[b] -= i.v;
  for (int k = 0; k < kD; ++k) {
    s.G[slot[a][k]] += i.d[k];
    s.G[slot[b][k]] -= i.d[k];
  }
}

// Charge state k with its gradient.
void charge(Stamp& s, double* q, int k, const D& Q) {
  constexpr auto& slot = Stamp::entries.slot;
  const int a = Layout::chargeFrom[k], b = Layout::chargeTo[k];
  q[k] = Q.v;
  for (int m = 0; m < kD; ++m) {
    s.C[slot[a][m]] += Q.d[m];
    s.C[slot[b][m]] -= Q.d[m];
    s.dq[k][m] += Q.d[m];
  }
}

}  // namespace

Result<VbicInst> instanceAt(const ParamValues& P, const ir::Device& d, const std::string& modelType, double scale,
                            double tempK, double Tnom) {
  VbicInst p;
  auto fail = [&](const std::string& what) { return deviceError(d, "bipolar transistor '" + d.name + "': " + what); };
  p.sign = modelType == "pnp" ? -1.0 : 1.0;
  p.scale = scale;
  auto m = [&](const char* n) { return P.model(n); };
  p.fc = m("fc"); p.cbeo = m("cbeo"); p.me = m("me"); p.aje = m("aje"); p.cbco = m("cbco"); p.qco = m("qco");
  p.mc = m("mc"); p.ajc = m("ajc"); p.ms = m("ms"); p.ajs = m("ajs"); p.wbe = m("wbe"); p.nei = m("nei");
  p.nen = m("nen"); p.nci = m("nci"); p.ncn = m("ncn"); p.avc1 = m("avc1"); p.wsp = m("wsp"); p.nfp = m("nfp");
  p.ncip = m("ncip"); p.ncnp = m("ncnp"); p.vef = m("vef"); p.ver = m("ver"); p.ikr = m("ikr"); p.ikp = m("ikp");
  p.tf = m("tf"); p.qtf = m("qtf"); p.xtf = m("xtf"); p.vtf = m("vtf"); p.itf = m("itf"); p.tr = m("tr");
  p.hrcf = m("hrcf"); p.vrt = m("vrt"); p.art = m("art"); p.ccso = m("ccso"); p.qbm = m("qbm"); p.nkf = m("nkf");
  p.rth = m("rth"); p.cth = m("cth"); p.ibbe = m("ibbe"); p.tvbbe1 = m("tvbbe1"); p.tvbbe2 = m("tvbbe2");
  p.tnbbe = m("tnbbe");
  p.xikf = m("xikf"); p.xre = m("xre"); p.xrs = m("xrs"); p.xrbp = m("xrbp"); p.xis = m("xis");
  p.xisr = m("xisr"); p.xii = m("xii"); p.xin = m("xin"); p.tnf = m("tnf"); p.tavc = m("tavc"); p.xvo = m("xvo");
  // XRB and XRC set the exponents of both their resistances unless those are given
  p.xrbi = P.hasModel("xrbi") || !P.hasModel("xrb") ? m("xrbi") : m("xrb");
  p.xrbx = P.hasModel("xrbx") || !P.hasModel("xrb") ? m("xrbx") : m("xrb");
  p.xrci = P.hasModel("xrci") || !P.hasModel("xrc") ? m("xrci") : m("xrc");
  p.xrcx = P.hasModel("xrcx") || !P.hasModel("xrc") ? m("xrcx") : m("xrc");
  p.ea = m("ea"); p.eaie = m("eaie"); p.eaic = m("eaic"); p.eais = m("eais"); p.eane = m("eane");
  p.eanc = m("eanc"); p.eans = m("eans"); p.eap = m("eap"); p.dear = m("dear");
  if (m("nf") <= 0 || m("nr") <= 0 || p.nei <= 0 || p.nen <= 0 || p.nci <= 0 || p.ncn <= 0 || p.nfp <= 0 ||
      p.ncip <= 0 || p.ncnp <= 0)
    return fail("the emission coefficients (NF, NR, NEI, NEN, NCI, NCN, NFP, NCIP, NCNP) must be positive");
  if (p.fc < 0 || p.fc >= 1) return fail("FC must be in [0, 1)");
  if (p.me >= 1 || p.mc >= 1 || p.ms >= 1) return fail("ME, MC and MS must be below 1");
  if (m("pe") <= 0 || m("pc") <= 0 || m("ps") <= 0) return fail("PE, PC and PS must be positive");
  if (!(p.nkf > 0)) return fail("NKF must be positive");
  if (m("rcx") < 0 || m("rci") < 0 || m("rbx") < 0 || m("rbi") < 0 || m("re") < 0 || m("rs") < 0 || m("rbp") < 0)
    return fail("the resistances must not be negative");
  if (p.wbe < 0 || p.wbe > 1) return fail("WBE must be in [0, 1]");
  p.selfHeat = P.hasModel("rth") && p.rth > 0;
  if (P.hasModel("rth") && p.cth < 1e-12) p.cth = 1e-12;  // as ngspice: a thermal node always has a capacitance

  TempParams n;
  // as ngspice: a given resistance is at least 0.01 ohm (an absent RCX, RBX, RE or RS is none)
  auto res = [&](const char* name) { return P.hasModel(name) ? std::max(m(name), 0.01) : m(name); };
  n.ikf = m("ikf"); n.rcx = res("rcx"); n.rci = res("rci"); n.rbx = res("rbx"); n.rbi = res("rbi"); n.re = res("re");
  n.rs = res("rs"); n.rbp = res("rbp"); n.is = m("is"); n.isrr = m("isrr"); n.isp = m("isp"); n.ibei = m("ibei");
  n.iben = m("iben"); n.ibci = m("ibci"); n.ibcn = m("ibcn"); n.ibeip = m("ibeip"); n.ibenp = m("ibenp");
  n.ibcip = m("ibcip"); n.ibcnp = m("ibcnp"); n.nf = m("nf"); n.nr = m("nr"); n.avc2 = m("avc2");
  n.vbbe = m("vbbe"); n.nbbe = m("nbbe"); n.pe = m("pe"); n.pc = m("pc"); n.ps = m("ps"); n.cje = m("cje");
  n.cjc = m("cjc"); n.cjep = m("cjep"); n.cjcp = m("cjcp"); n.gamm = m("gamm"); n.vo = m("vo");
  // the device temperature: the instance's plus the model's DTEMP
  const double Tdev = tempK + m("dtemp");
  p.t = mapTemperature<double>(p, n, Tnom, Tdev);
  p.tdevK = Tdev;
  p.vt = semi::thermalVoltage(Tdev);
  p.vcrit = p.vt * std::log(p.vt / (semi::kSqrt2 * n.is * scale));
  if (!std::isfinite(p.t.pe) || !std::isfinite(p.t.pc) || !std::isfinite(p.t.ps) || p.t.pe <= 0 || p.t.pc <= 0 ||
      p.t.ps <= 0)
    return fail("the junction potentials (PE, PC, PS) do not map to the temperature");
  return p;
}

void evaluate(const VbicInst& p, const double* V, double gmin, Stamp& s, double* q, Outputs& out) {
  D v[kD];
  for (int k = 0; k < kD; ++k) {
    v[k] = D(V[k]);
    v[k].d[k] = 1.0;
  }
  auto diff = [&](int a, int b) { return v[a] - v[b]; };
  const D Vbei = diff(BI, EI), Vbex = diff(BX, EI), Vbci = diff(BI, CI), Vbcx = diff(BI, CX);
  const D Vbep = diff(BX, BP), Vbcp = diff(SI, BP), Vrcx = diff(C, CX), Vrci = diff(CX, CI);
  const D Vrbx = diff(B, BX), Vrbi = diff(BX, BI), Vre = diff(E, EI), Vrbp = diff(BP, CX), Vrs = diff(S, SI);
  const D Vbe = diff(B, E), Vbc = diff(B, C);
  const D Vcei = Vbei - Vbci, Vcep = Vbep - Vbcp;
  // the temperature rise (the thermal node's voltage, not mirrored for pnp)
  D dT = v[T] * p.sign;
  const TempParamsT<D> a =
      p.selfHeat ? mapTemperature<D>(p, p.t, p.tdevK, p.tdevK + dT) : constants(p.t);
  const TempParams& n = p.t;  // the "given" tests below are on the values at the instance temperature
  const D& Vtv = a.vtv;

  const double IVEF = p.vef > 0 ? 1.0 / p.vef : 0.0, IVER = p.ver > 0 ? 1.0 / p.ver : 0.0;
  const D IIKF = n.ikf > 0 ? 1.0 / a.ikf : D(0.0);
  const double IIKR = p.ikr > 0 ? 1.0 / p.ikr : 0.0, IIKP = p.ikp > 0 ? 1.0 / p.ikp : 0.0;
  const D IVO = n.vo > 0 ? 1.0 / a.vo : D(0.0);
  const double IHRCF = p.hrcf > 0 ? 1.0 / p.hrcf : 0.0, IVTF = p.vtf > 0 ? 1.0 / p.vtf : 0.0;
  const double IITF = p.itf > 0 ? 1.0 / p.itf : 0.0, slTF = p.itf > 0 ? 0.0 : 1.0;

  const D qdbe = depletion(Vbei, a.pe, p.me, p.aje, p.fc);
  const D qdbex = depletion(Vbex, a.pe, p.me, p.aje, p.fc);
  const D qdbc = depletionBC(Vbci, a.pc, p.mc, p.ajc, p.fc, p.vrt, p.art);
  const D qdbep = depletionBC(Vbep, a.pc, p.mc, p.ajc, p.fc, p.vrt, p.art);
  const D qdbcp = n.cjcp > 0 ? depletion(Vbcp, a.ps, p.ms, p.ajs, p.fc) : D(0.0);

  // transport current and the normalised base charge
  const D Ifi = a.is * (exp(Vbei / (a.nf * Vtv)) - 1.0);
  const D Iri = a.is * a.isrr * (exp(Vbci / (a.nr * Vtv)) - 1.0);
  const D q1z = 1.0 + qdbe * IVER + qdbc * IVEF;
  const D q1 = 0.5 * (sqrt((q1z - 1.0e-4) * (q1z - 1.0e-4) + 1.0e-8) + q1z - 1.0e-4) + 1.0e-4;
  const D q2 = Ifi * IIKF + Iri * IIKR;
  // (with both junctions deeply reversed q1 nears 0 and the negative q2 of the
  // reverse saturation currents can make q1^(1/NKF) + 4 q2 negative, where the
  // formula has no value: there the negligible q2 is left out)
  D qb;
  if (p.qbm < 0.5) {
    const D q1n = pow(q1, 1.0 / p.nkf), arg = q1n + 4.0 * q2;
    qb = 0.5 * (q1 + pow(arg.v > 0 ? arg : q1n, p.nkf));
  } else {
    const D arg = 1.0 + 4.0 * q2;
    qb = 0.5 * q1 * (1.0 + pow(arg.v > 0 ? arg : D(1.0), p.nkf));
  }
  const D Itzr = Iri / qb, Itzf = Ifi / qb;

  // parasitic transistor
  D Ifp(0.0), qbp(1.0), Iccp(0.0);
  if (n.isp > 0) {
    Ifp = a.isp * (p.wsp * exp(Vbep / (p.nfp * Vtv)) + (1.0 - p.wsp) * exp(Vbci / (p.nfp * Vtv)) - 1.0);
    qbp = 0.5 * (1.0 + sqrt(1.0 + 4.0 * Ifp * IIKP));
    const D Irp = a.isp * (exp(Vbcp / (p.nfp * Vtv)) - 1.0);
    Iccp = (Ifp - Irp) / qbp;
  }

  // base-emitter currents, WBE of them at the intrinsic base
  auto ibeDiode = [&](const D& vb) {
    D i = a.ibei * (exp(vb / (p.nei * Vtv)) - 1.0) + a.iben * (exp(vb / (p.nen * Vtv)) - 1.0);
    if (n.vbbe > 0) i = i - p.ibbe * (exp((-a.vbbe - vb) / (a.nbbe * Vtv)) - a.ebbe);
    return i;
  };
  D Ibe(0.0), Ibex(0.0);
  if (p.wbe == 1.0) {
    Ibe = ibeDiode(Vbei);
  } else if (p.wbe == 0.0) {
    Ibex = ibeDiode(Vbex);
  } else {
    Ibe = p.wbe * ibeDiode(Vbei);
    Ibex = (1.0 - p.wbe) * ibeDiode(Vbex);
  }
  const D Ibcj = a.ibci * (exp(Vbci / (p.nci * Vtv)) - 1.0) + a.ibcn * (exp(Vbci / (p.ncn * Vtv)) - 1.0);
  D Ibep(0.0);
  if (n.ibeip > 0 || n.ibenp > 0)
    Ibep = a.ibeip * (exp(Vbep / (p.nci * Vtv)) - 1.0) + a.ibenp * (exp(Vbep / (p.ncn * Vtv)) - 1.0);
  // weak avalanche
  D Igc(0.0);
  if (p.avc1 > 0) {
    const D vl = 0.5 * (sqrt((a.pc - Vbci) * (a.pc - Vbci) + 0.01) + (a.pc - Vbci));
    const D avalf = p.avc1 * vl * exp(-a.avc2 * pow(vl, p.mc - 1.0));
    Igc = (Itzf - Itzr - Ibcj) * avalf;
  }
  const D Ibc = Ibcj - Igc;

  // series resistances; RCI: Kull's quasi-saturation model with velocity saturation
  const D Ircx = n.rcx > 0 ? Vrcx / a.rcx : D(0.0);
  const D Kbci = sqrt(1.0 + a.gamm * exp(Vbci / Vtv));
  const D Kbcx = sqrt(1.0 + a.gamm * exp(Vbcx / Vtv));
  D Irci(0.0);
  double irciVrci = 0;  // its partial derivative in Vrci alone (thermal noise)
  if (n.rci > 0) {
    const D rKp1 = (Kbci + 1.0) / (Kbcx + 1.0);
    const D Iohm = (Vrci + Vtv * (Kbci - Kbcx - log(rKp1))) / a.rci;
    const D sq = sqrt(Vrci * Vrci + 0.01);
    const D den = 1.0 + 0.5 * IVO * IHRCF * sq;
    const D derf = IVO * a.rci * Iohm / den;
    Irci = Iohm / sqrt(1.0 + derf * derf);
    const double iohmR = 1.0 / a.rci.v;
    const double derfR =
        IVO.v * a.rci.v * (iohmR / den.v - Iohm.v * 0.5 * IVO.v * IHRCF * Vrci.v / sq.v / (den.v * den.v));
    const double w = 1.0 + derf.v * derf.v;
    irciVrci = iohmR / std::sqrt(w) - Iohm.v * derf.v * derfR / (w * std::sqrt(w));
  }
  const D Irbx = n.rbx > 0 ? Vrbx / a.rbx : D(0.0);
  const D Irbi = n.rbi > 0 ? Vrbi * qb / a.rbi : D(0.0);
  const D Ire = n.re > 0 ? Vre / a.re : D(0.0);
  const D Irbp = n.rbp > 0 ? Vrbp * qbp / a.rbp : D(0.0);
  D Ibcp(0.0);
  if (n.ibcip > 0 || n.ibcnp > 0)
    Ibcp = a.ibcip * (exp(Vbcp / (p.ncip * Vtv)) - 1.0) + a.ibcnp * (exp(Vbcp / (p.ncnp * Vtv)) - 1.0);
  const D Irs = n.rs > 0 ? Vrs / a.rs : D(0.0);

  // charges
  const double sgIf = Ifi.v > 0 ? 1.0 : 0.0;
  const D rIf = Ifi * sgIf * IITF;
  const D mIf = rIf / (rIf + 1.0);
  const D tff = p.tf * (1.0 + p.qtf * q1) * (1.0 + p.xtf * exp(Vbci * IVTF / 1.44) * (slTF + mIf * mIf) * sgIf);
  const D Qbe = a.cje * qdbe * p.wbe + tff * Ifi / qb;
  const D Qbex = a.cje * qdbex * (1.0 - p.wbe);
  const D Qbc = a.cjc * qdbc + p.tr * Iri + p.qco * Kbci;
  const D Qbcx = p.qco * Kbcx;
  const D Qbep = a.cjep * qdbep + p.tr * Ifp;
  const D Qbcp = a.cjcp * qdbcp + p.ccso * Vbcp;
  const D Qbeo = Vbe * p.cbeo, Qbco = Vbc * p.cbco;

  // dissipated power (before gmin, as ngspice)
  const D Ith = -(Ibe * Vbei + Ibc * Vbci + (Itzf - Itzr) * Vcei + Ibex * Vbex + Ibep * Vbep + Irs * Vrs +
                  Ibcp * Vbcp + Iccp * Vcep + Ircx * Vrcx + Irci * Vrci + Irbx * Vrbx + Irbi * Vrbi + Ire * Vre +
                  Irbp * Vrbp);

  const double k = p.scale;
  // gmin across the junctions (and, as ngspice, three times across RCI's branch)
  const D gIbe = k * Ibe + gmin * Vbei, gIbex = k * Ibex + gmin * Vbex, gIbc = k * Ibc + gmin * Vbci;
  const D gIbep = k * Ibep + gmin * Vbep, gIbcp = k * Ibcp + gmin * Vbcp;
  const D gIrci = k * Irci + gmin * Vrci + gmin * Vbci + gmin * Vbcx;
  branch(s, BI, EI, gIbe);
  branch(s, BX, EI, gIbex);
  branch(s, CI, EI, k * (Itzf - Itzr));
  branch(s, BI, CI, gIbc);
  branch(s, BX, BP, gIbep);
  branch(s, C, CX, k * Ircx);
  branch(s, CX, CI, gIrci);
  branch(s, B, BX, k * Irbx);
  branch(s, BX, BI, k * Irbi);
  branch(s, E, EI, k * Ire);
  branch(s, BP, CX, k * Irbp);
  branch(s, SI, BP, gIbcp);
  branch(s, BX, SI, k * Iccp);
  branch(s, S, SI, k * Irs);
  charge(s, q, 0, k * Qbe);
  charge(s, q, 1, k * Qbex);
  charge(s, q, 2, k * Qbc);
  charge(s, q, 3, k * Qbcx);
  charge(s, q, 4, k * Qbep);
  charge(s, q, 5, k * Qbcp);
  charge(s, q, 6, k * Qbeo);
  charge(s, q, 7, k * Qbco);
  if (p.selfHeat) {
    // the power flows into the thermal node; RTH and CTH (scaled as ngspice) to ground.
    // Local currents and charges are the real ones times the polarity.
    branch(s, T, GND, p.sign * k * (Ith + dT / p.rth));
    charge(s, q, 8, p.sign * k * (dT * p.cth));
  } else {
    q[8] = 0;
  }

  // (the junction currents with their gmin, as ngspice's noise reads them)
  out.itzf = k * Itzf.v; out.itzr = k * Itzr.v; out.ibe = gIbe.v; out.ibex = gIbex.v;
  out.ibep = gIbep.v; out.iccp = k * Iccp.v; out.ibc = gIbc.v;
  // (e_i appears only in Vbei and Vbex, c_i only in Vbci and Vrci: the partial derivatives of
  // these, which depend on neither Vbex nor Vrci, in the node voltages)
  out.gm = -k * Itzf.d[EI]; out.go = -k * Itzf.d[CI];
  out.gpi = -gIbe.d[EI]; out.gmu = -gIbc.d[CI];
  out.cbe = -k * Qbe.d[EI]; out.cbc = -k * Qbc.d[CI];
  out.gRcx = n.rcx > 0 ? k / a.rcx.v : 0.0;
  out.gRci = k * irciVrci + gmin;
  out.gRbx = n.rbx > 0 ? k / a.rbx.v : 0.0;
  out.gRbi = n.rbi > 0 ? k * qb.v / a.rbi.v : 0.0;
  out.gRe = n.re > 0 ? k / a.re.v : 0.0;
  out.gRbp = n.rbp > 0 ? k * qbp.v / a.rbp.v : 0.0;
  out.gRs = n.rs > 0 ? k / a.rs.v : 0.0;
  out.power = -k * Ith.v;
}

}  // namespace simcore::dev::vbic
