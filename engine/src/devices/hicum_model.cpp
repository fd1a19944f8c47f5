// The HICUM level 2 (2.4.0) equations as ngspice 39 evaluates them
// (hicumL2.cpp, hicumL2temp.cpp); the derivatives come from forward-mode
// automatic differentiation over the local terminal voltages.
//   transfer current  GICCR: itf = c10 exp(Vbiei/(MCF vt))/Q_pT (1 + itf/ICH), itr = c10 exp(Vbici/vt)/Q_pT,
//                     Q_pT = Q_0 + Qf + Qr solved by Newton (Q_0 from the weighted depletion charges)
//   charges           depletion (QJMODF; punch-through QJMOD where VPT < 100), minority charge
//                     Qf = T_f0 itf + the high-current parts (emitter, base and collector), Qr = TR itr
//   base currents     ibei, irei, ibep, irep, ibci, ijbcx diodes, b-c barrier recombination Q_bf/TBHREC,
//                     b-e tunnelling (IBETS), b-c avalanche (FAVL, QAVL, KAVL)
//   resistances       RCX, RBX, RE, RSU linear; rbi modulated by the charges and emitter current crowding
//   substrate         transfer current ITSS between b_p and s_i, the s-c diode, CJS0, CSCP0, CSU
//   self-heating      (FLSH 1 or 2 with RTH > 0) the dissipated power into the thermal node, RTH and CTH to
//                     ground; every temperature-dependent parameter follows the node's temperature rise
// Where ngspice 39's derivatives leave out a dependence (ibei and Qjci in rbi, the
// capacitances in the tunnelling current, Q_0's slope in the low-current transfer
// current), the same is left out here, so that its small-signal and noise results match.
#include "devices/hicum_model.hpp"

#include <algorithm>
#include <cmath>

#include "devices/fwd_number.hpp"

namespace simcore::dev::hicum {
namespace {

// A number with its derivatives in the local terminal voltages C..BI (ground excluded).
constexpr int kD = GND;
using D = semi::Fwd<kD>;
// (exp, log, pow, fabs and val: fwd_number.hpp's; sqrt with ngspice's slope 0.5/s everywhere)
using semi::val;
inline D sqrt(const D& a) {
  const double s = std::sqrt(a.v);
  return chain(a, s, 0.5 / s);
}
// the value alone (ngspice's slopes leave out this dependence)
inline D frozen(const D& a) { return D(a.v); }
using std::exp;
using std::pow;
using std::log;
using std::sqrt;

constexpr double kKoverQ = semi::kKoverQ;
constexpr double kCtoK = 273.15;
constexpr double kDexpLim = 80.0, kCexpLim = 80.0, kFa = 1.921812, kRtolC = 1.0e-5, kMinR = 0.001;
constexpr int kItMax = 100;
constexpr double kVptThresh = 100.0;

// ---- temperature ----

template <class R>
R clipT(const R& T) {
  constexpr double lo = -100.0 + kCtoK, hi = 326.85 + kCtoK;
  if (val(T) < lo + 1.0) return lo + exp(T - lo - 1.0);
  if (val(T) > hi - 1.0) return hi - exp(hi - T - 1.0);
  return T;
}

// A junction's capacitance, built-in voltage and third parameter (AJ scaled with
// the built-in voltage when scaleW, else unchanged) at temperature (TMPHICJ).
template <class R>
struct JunctionT {
  R c, vd, w;
};
template <class R>
JunctionT<R> junctionAt(const R& vt, double vt0, const R& qtt0, const R& lnq, double mg, double c, double vd0,
                        double z, double w, bool scaleW, double vgeff) {
  if (!(c > 0)) return {R(c), R(vd0), R(w)};
  const double vdj0 = 2 * vt0 * std::log(std::exp(vd0 * 0.5 / vt0) - std::exp(-0.5 * vd0 / vt0));
  const R vdjt = vdj0 * qtt0 + vgeff * (1.0 - qtt0) - mg * vt * lnq;
  const R vdt = vdjt + 2.0 * vt * log(0.5 * (1.0 + sqrt(1.0 + 4.0 * exp(-vdjt / vt))));
  return {c * exp(z * log(vd0 / vdt)), vdt, scaleW ? w * vdt / vd0 : R(w)};
}

template <class R>
TempParamsT<R> mapTemperature(const HicumInst& p, const R& temp) {
  const ModelParams& m = p.m;
  TempParamsT<R> t;
  const double Tnom = p.tnomK;
  const double k10 = m.f1vg * Tnom * std::log(Tnom), k20 = m.f2vg * Tnom, avs = m.alvs * Tnom;
  const double vgb_t0 = m.vgb + k10 + k20, vge_t0 = m.vge + k10 + k20, vgbe_t0 = (vgb_t0 + vge_t0) / 2;
  const double vgbe0 = (m.vgb + m.vge) / 2, vgbc0 = (m.vgb + m.vgc) / 2, vgsc0 = (m.vgs + m.vgc) / 2;
  const double mg = 3 - m.f1vg / kKoverQ;
  const double zetabci = mg + 1 - m.zetaci, zetabcxt = mg + 1 - m.zetacx, zetasct = mg - 1.5;
  const R vt = temp * kKoverQ;
  const double vt0 = Tnom * kKoverQ;
  const R dT = temp - Tnom, qtt0 = temp / Tnom, lnq = log(qtt0);
  const R k1 = m.f1vg * temp * log(temp), k2 = m.f2vg * temp;
  const R vgbe_t = ((m.vgb + k1 + k2) + (m.vge + k1 + k2)) / 2.0;
  t.vt = vt;
  auto je = junctionAt<R>(vt, vt0, qtt0, lnq, mg, p.cjei0, m.vdei, m.zei, m.ajei, true, vgbe0);
  t.cjei0 = je.c, t.vdei = je.vd, t.ajei = je.w;
  if (m.flcomp < 2.3) {
    const R V_gT = 3.0 * vt * lnq + m.vgb * (qtt0 - 1.0);
    const R r = V_gT / vt;
    t.ibeis = p.ibeis * exp(m.mcf * r / m.mbei - m.alb * dT);
    t.ireis = p.ireis * exp(m.mcf * r / m.mrei - m.alb * dT);
    t.ibeps = p.ibeps * exp(m.mcf * r / m.mbep - m.alb * dT);
    t.ireps = p.ireps * exp(m.mcf * r / m.mrep - m.alb * dT);
    t.ibcis = p.ibcis * exp(r / m.mbci);
    t.ibcxs = p.ibcxs * exp(r / m.mbcx);
    t.itss = m.itss * exp(r / m.msf);
    t.iscs = m.iscs * exp(r / m.msc);
    t.qp0 = p.qp0 * (1.0 + 0.5 * m.zei * (1.0 - t.vdei / m.vdei));
    R a = m.vlim * (1.0 - m.alvs * dT) * exp(m.zetaci * lnq);
    const R k = (a - vt) / vt;
    if (val(k) < 11.0) a = vt + vt * log(1.0 + exp(k));
    t.vlim = a;
    const R b = 1.0 + m.alb * dT;
    t.tef0 = m.tef0 * qtt0 / (0.5 * (b + sqrt(b * b + 0.01)));
  } else {
    t.ibeis = p.ibeis * exp(m.zetabet * lnq + m.vge / vt * (qtt0 - 1.0));
    t.ireis = p.ireis * exp(mg / m.mrei * lnq + vgbe0 / (m.mrei * vt) * (qtt0 - 1.0));
    t.ibeps = p.ibeps * exp(m.zetabet * lnq + m.vge / vt * (qtt0 - 1.0));
    t.ireps = p.ireps * exp(mg / m.mrep * lnq + vgbe0 / (m.mrep * vt) * (qtt0 - 1.0));
    t.ibcis = p.ibcis * exp(zetabci * lnq + m.vgc / vt * (qtt0 - 1.0));
    t.ibcxs = p.ibcxs * exp(zetabcxt * lnq + m.vgc / vt * (qtt0 - 1.0));
    t.itss = m.itss * exp(zetasct * lnq + m.vgc / vt * (qtt0 - 1.0));
    t.iscs = m.iscs * exp(zetasct * lnq + m.vgs / vt * (qtt0 - 1.0));
    t.qp0 = p.qp0 * (2.0 - exp(m.zei * log(t.vdei / m.vdei)));
    t.vlim = m.vlim * exp((m.zetaci - avs) * lnq);
    t.tef0 = R(m.tef0);
  }
  t.c10 = p.c10 * exp(m.zetact * lnq + m.vgb / vt * (qtt0 - 1.0));
  t.rci0 = p.rci0 * exp(m.zetaci * lnq);
  t.vces = m.vces * (1.0 + m.alces * dT);
  auto jc = junctionAt<R>(vt, vt0, qtt0, lnq, mg, p.cjci0, m.vdci, m.zci, m.vptci, false, vgbc0);
  t.cjci0 = jc.c, t.vdci = jc.vd, t.vptci = jc.w;
  t.t0 = m.t0 * (1.0 + m.alt0 * dT + m.kt0 * dT * dT);
  t.thcs = m.thcs * exp((m.zetaci - 1.0) * lnq);
  t.favl = m.favl * exp(m.alfav * dT);
  t.qavl = p.qavl * exp(m.alqav * dT);
  t.kavl = m.kavl * exp(m.alkav * dT);
  t.rbi0 = p.rbi0 * exp(m.zetarbi * lnq);
  auto jp = junctionAt<R>(vt, vt0, qtt0, lnq, mg, p.cjep0, m.vdep, m.zep, m.ajep, true, vgbe0);
  t.cjep0 = jp.c, t.vdep = jp.vd, t.ajep = jp.w;
  if (p.ibets > 0) {
    R ab = 1.0, aa = 1.0;
    const R a_eg = vgbe_t0 / vgbe_t;
    if (m.tunode == 1 && p.cjep0 > 0 && m.vdep > 0) {
      ab = (t.cjep0 / p.cjep0) * sqrt(a_eg) * t.vdep * t.vdep / (m.vdep * m.vdep);
      aa = (m.vdep / t.vdep) * (p.cjep0 / t.cjep0) * pow(a_eg, -1.5);
    } else if (m.tunode == 0 && p.cjei0 > 0 && m.vdei > 0) {
      ab = (t.cjei0 / p.cjei0) * sqrt(a_eg) * t.vdei * t.vdei / (m.vdei * m.vdei);
      aa = (m.vdei / t.vdei) * (p.cjei0 / t.cjei0) * pow(a_eg, -1.5);
    }
    t.ibets = p.ibets * ab;
    t.abet = m.abet * aa;
  } else {
    t.ibets = 0.0;
    t.abet = 1.0;
  }
  // the external b-c capacitance split between b and b_p (the parasitic one takes its part first)
  const double C_1 = (1.0 - m.fbcpar) * (p.cjcx0 + p.cbcpar);
  const double cjcx01 = C_1 >= p.cbcpar ? C_1 - p.cbcpar : 0.0;
  const double cjcx02 = p.cjcx0 - cjcx01;
  auto jx = junctionAt<R>(vt, vt0, qtt0, lnq, mg, 1.0, m.vdcx, m.zcx, m.vptcx, false, vgbc0);
  t.cjcx01 = jx.c * cjcx01, t.cjcx02 = jx.c * cjcx02, t.vdcx = jx.vd, t.vptcx = jx.w;
  t.rcx = p.rcx * exp(m.zetarcx * lnq);
  t.rbx = p.rbx * exp(m.zetarbx * lnq);
  t.re = p.re * exp(m.zetare * lnq);
  t.tsf = m.tsf * exp((m.zetacx - 1.0) * lnq);
  auto js = junctionAt<R>(vt, vt0, qtt0, lnq, mg, m.cjs0, m.vds, m.zs, m.vpts, false, vgsc0);
  t.cjs0 = js.c, t.vds = js.vd, t.vpts = js.w;
  if (m.vdsp > 0) {
    auto jsp = junctionAt<R>(vt, vt0, qtt0, lnq, mg, m.cscp0, m.vdsp, m.zsp, m.vptsp, false, vgsc0);
    t.cscp0 = jsp.c, t.vdsp = jsp.vd, t.vptsp = jsp.w;
  } else {
    t.cscp0 = m.cscp0, t.vdsp = m.vdsp, t.vptsp = m.vptsp;
  }
  t.ahjei = m.ahjei * exp(m.zetahjei * lnq);
  t.hjei0 = m.hjei * exp(m.dvgbe / vt * (exp(m.zetavgbe * log(qtt0)) - 1.0));
  t.hf0 = m.hf0 * exp(m.dvgbe / vt * (qtt0 - 1.0));
  if (m.flcomp >= 2.3) {
    t.hfe = m.hfe * exp((m.vgb - m.vge) / vt * (qtt0 - 1.0));
    t.hfc = m.hfc * exp((m.vgb - m.vgc) / vt * (qtt0 - 1.0));
  } else {
    t.hfe = m.hfe, t.hfc = m.hfc;
  }
  t.rth = p.rth * exp(m.zetarth * lnq) * (1.0 + m.alrth * dT);
  return t;
}

TempParamsT<D> constants(const TempParams& t) {
  TempParamsT<D> r;
#define SIMCORE_HICUM_COPY(f) r.f = D(t.f);
  SIMCORE_HICUM_COPY(vt) SIMCORE_HICUM_COPY(ibeis) SIMCORE_HICUM_COPY(ireis) SIMCORE_HICUM_COPY(ibeps)
  SIMCORE_HICUM_COPY(ireps) SIMCORE_HICUM_COPY(ibcis) SIMCORE_HICUM_COPY(ibcxs) SIMCORE_HICUM_COPY(itss)
  SIMCORE_HICUM_COPY(iscs) SIMCORE_HICUM_COPY(qp0) SIMCORE_HICUM_COPY(vlim) SIMCORE_HICUM_COPY(tef0)
  SIMCORE_HICUM_COPY(c10) SIMCORE_HICUM_COPY(rci0) SIMCORE_HICUM_COPY(vces) SIMCORE_HICUM_COPY(cjei0)
  SIMCORE_HICUM_COPY(vdei) SIMCORE_HICUM_COPY(ajei) SIMCORE_HICUM_COPY(cjci0) SIMCORE_HICUM_COPY(vdci)
  SIMCORE_HICUM_COPY(vptci) SIMCORE_HICUM_COPY(t0) SIMCORE_HICUM_COPY(thcs) SIMCORE_HICUM_COPY(favl)
  SIMCORE_HICUM_COPY(qavl) SIMCORE_HICUM_COPY(kavl) SIMCORE_HICUM_COPY(rbi0) SIMCORE_HICUM_COPY(cjep0)
  SIMCORE_HICUM_COPY(vdep) SIMCORE_HICUM_COPY(ajep) SIMCORE_HICUM_COPY(ibets) SIMCORE_HICUM_COPY(abet)
  SIMCORE_HICUM_COPY(cjcx01) SIMCORE_HICUM_COPY(cjcx02) SIMCORE_HICUM_COPY(vdcx) SIMCORE_HICUM_COPY(vptcx)
  SIMCORE_HICUM_COPY(rcx) SIMCORE_HICUM_COPY(rbx) SIMCORE_HICUM_COPY(re) SIMCORE_HICUM_COPY(tsf)
  SIMCORE_HICUM_COPY(cjs0) SIMCORE_HICUM_COPY(vds) SIMCORE_HICUM_COPY(vpts) SIMCORE_HICUM_COPY(cscp0)
  SIMCORE_HICUM_COPY(vdsp) SIMCORE_HICUM_COPY(vptsp) SIMCORE_HICUM_COPY(ahjei) SIMCORE_HICUM_COPY(hjei0)
  SIMCORE_HICUM_COPY(hf0) SIMCORE_HICUM_COPY(hfe) SIMCORE_HICUM_COPY(hfc) SIMCORE_HICUM_COPY(rth)
#undef SIMCORE_HICUM_COPY
  return r;
}

// ---- the building blocks of the load ----

// Ideal diode IS (exp(U/(M vt)) - 1), continued linearly above 80 and -IS below -14 (HICDIO).
D diode(const D& vt, const D& IS, double M, const D& U) {
  if (!(IS.v > 0)) return D(0.0);
  const D y = U / (M * vt);
  if (y.v > kDexpLim) return IS * ((1.0 + (y - kDexpLim)) * std::exp(kDexpLim) - 1.0);
  if (y.v <= -14.0) return -IS;
  return IS * (exp(y) - 1.0);
}

struct ChargeCap {
  D Q, C;
};
// Depletion charge with hyperbolic smoothing towards the forward peak A_J c_0 (QJMODF).
ChargeCap qjmodf(const D& vt, const D& c0, const D& ud, double z, const D& aj, const D& U) {
  if (!(c0.v > 0)) return {D(0.0), D(0.0)};
  const D Vf = ud * (1.0 - exp(-log(aj) / z));
  const D ve = (Vf - U) / vt;
  const D sq = sqrt(ve * ve + kFa);
  const D sq2 = (ve + sq) * 0.5;
  const D vj = Vf - vt * sq2;
  const D dvj = sq2 / sq;
  const D b = log(1.0 - vj / ud);
  const D C = c0 * exp(-z * b) * dvj + aj * c0 * (1.0 - dvj);
  const D Q = c0 * ud * (1.0 - exp(b * (1.0 - z))) / (1.0 - z) + aj * c0 * (U - vj);
  return {Q, C};
}
// The same with the reverse-bias punch-through at v_pt (QJMOD).
ChargeCap qjmod(const D& vt, const D& c0, const D& ud, double z, double aj, const D& vpt, const D& U) {
  if (!(c0.v > 0)) return {D(0.0), D(0.0)};
  const double zr = z / 4.0;
  const D vp = vpt - ud;
  const D Vf = ud * (1.0 - std::exp(-std::log(aj) / z));
  const D Cmax = aj * c0;
  const D Cc = c0 * exp((zr - z) * log(vpt / ud));
  const D ve = (Vf - U) / vt;
  D e1, vj1;
  if (ve.v < kCexpLim) {
    const D e = exp(ve);
    e1 = e / (1.0 + e);
    vj1 = Vf - vt * log(1.0 + e);
  } else {
    e1 = 1.0;
    vj1 = U;
  }
  const D da = 0.1 * vp + 4.0 * vt;
  const D vr = (vp + vj1) / da;
  D e2, vj2;
  if (vr.v < kCexpLim) {
    const D e = exp(vr);
    e2 = e / (1.0 + e);
    vj2 = -vp + da * (log(1.0 + e) - exp(-(vp + Vf) / da));
  } else {
    e2 = 1.0;
    vj2 = vj1;
  }
  const D vj4 = U - vj1;
  const D ln1 = log(1.0 - vj1 / ud), ln2 = log(1.0 - vj2 / ud);
  const double z1 = 1.0 - z, zr1 = 1.0 - zr;
  const D C = c0 * exp(ln2 * (-z)) * e1 * e2 + Cc * exp(ln1 * (-zr)) * (1.0 - e2) + Cmax * (1.0 - e1);
  const D Q1 = c0 * (1.0 - exp(ln2 * z1)) / z1, Q2 = Cc * (1.0 - exp(ln1 * zr1)) / zr1,
          Q3 = Cc * (1.0 - exp(ln2 * zr1)) / zr1;
  return {(Q1 + Q2 - Q3) * ud + Cmax * vj4, C};
}
// b-c and s-c junctions: punch-through below VPT_thresh (HICJQ), A_J = 2.4.
ChargeCap hicjq(const D& vt, const D& c0, const D& ud, double z, const D& vpt, const D& U) {
  if (vpt.v < kVptThresh) return qjmod(vt, c0, ud, z, 2.4, vpt, U);
  return qjmodf(vt, c0, ud, z, D(2.4), U);
}

}  // namespace

double clipTemperature(double tK) { return clipT<double>(tK); }

TempParams temperatureParams(const HicumInst& p, double tK) { return mapTemperature<double>(p, tK); }

Result<HicumInst> instanceAt(const ParamValues& P, const ir::Device& d, const std::string& modelType, double area,
                             double mult, double tempK, double tnomK) {
  HicumInst p;
  auto fail = [&](const std::string& what) { return deviceError(d, "bipolar transistor '" + d.name + "': " + what); };
  ModelParams& m = p.m;
#define SIMCORE_HICUM_READ(n) m.n = P.model(#n);
  SIMCORE_HICUM_MODEL_PARAMS(SIMCORE_HICUM_READ)
#undef SIMCORE_HICUM_READ
  p.sign = modelType == "pnp" ? -1.0 : 1.0;
  p.mult = mult;
  const double am = area * mult;
  p.areaM = am;
  // what ngspice 39 evaluates differently or not at all
  const bool nqs = (m.flnqs != 0 || m.flcomp < 2.3) && P.hasModel("t0") && m.t0 > 0 && (m.alit > 0 || m.alqf > 0);
  if (nqs)
    return fail("the vertical non-quasi-static network (FLNQS, or FLCOMP < 2.3 with T0 > 0 and ALIT or ALQF) "
                "is not supported; set FLNQS=0 and FLCOMP=2.3 (or ALIT=ALQF=0)");
  if (m.latb > 0 || m.latl > 0)
    return fail("the lateral collector current spreading (LATB, LATL > 0) is not supported");
  if (m.flsh != 0 && m.flsh != 1 && m.flsh != 2) return fail("FLSH must be 0, 1 or 2");
  if (m.mbei <= 0 || m.mrei <= 0 || m.mbep <= 0 || m.mrep <= 0 || m.mbci <= 0 || m.mbcx <= 0 || m.mcf <= 0 ||
      m.msf <= 0 || m.msc <= 0)
    return fail("the ideality factors (MBEI, MREI, MBEP, MREP, MBCI, MBCX, MCF, MSF, MSC) must be positive");
  if (m.zei <= 0 || m.zei >= 1 || m.zep <= 0 || m.zep >= 1 || m.zci <= 0 || m.zci >= 1 || m.zcx <= 0 ||
      m.zcx >= 1 || m.zs <= 0 || m.zs >= 1 || m.zsp <= 0 || m.zsp >= 1)
    return fail("the grading coefficients (ZEI, ZEP, ZCI, ZCX, ZS, ZSP) must be in (0, 1)");
  if (m.vdei <= 0 || m.vdep <= 0 || m.vdci <= 0 || m.vdcx <= 0 || m.vds <= 0)
    return fail("the built-in voltages (VDEI, VDEP, VDCI, VDCX, VDS) must be positive");
  if (m.ajei <= 1 || m.ajep <= 1) return fail("AJEI and AJEP must be above 1");
  if (m.rci0 <= 0) return fail("RCI0 must be positive");
  if (m.qp0 <= 0) return fail("QP0 must be positive");
  if (m.vpt <= 0 || m.delck <= 0) return fail("VPT and DELCK must be positive");
  if (m.rbi0 < 0 || m.rbx < 0 || m.re < 0 || m.rcx < 0 || m.rsu < 0 || m.rth < 0)
    return fail("the resistances must not be negative");

  // scaling with area and m as ngspice 39's hicum2setup.c
  p.qp0 = m.qp0 * am;
  p.c10 = m.c10 * am * am;
  p.icbar = m.icbar * am;
  p.rth = m.rth / am;
  p.cth = m.cth;
  if (P.hasModel("rth") && p.cth < 1e-12) p.cth = 1e-12;  // a thermal node always has a capacitance
  p.cth *= am;
  p.cjei0 = m.cjei0 * am;
  p.ibeis = m.ibeis * am;
  p.ireis = m.ireis * am;
  p.ibeps = m.ibeps * mult;
  p.ireps = m.ireps * mult;
  p.cjep0 = m.cjep0 * mult;
  p.cbepar = m.cbepar * mult;
  p.ibets = m.ibets * am;
  p.ibcis = m.ibcis * am;
  p.cjci0 = m.cjci0 * am;
  p.cjcx0 = m.cjcx0 * mult;
  p.cbcpar = m.cbcpar * mult;
  p.ibcxs = m.ibcxs * mult;
  p.qavl = m.qavl * am;
  p.re = m.re / am;
  p.rci0 = m.rci0 / am;
  p.rbx = m.rbx / am;
  p.rcx = m.rcx / am;
  p.rbi0 = m.rbi0 / am;
  p.kf = m.kf * std::pow(mult, 1 - m.af);
  p.kfre = m.kfre * std::pow(mult, 1 - m.afre);
  p.rcxOn = P.hasModel("rcx") && m.rcx != 0;
  p.rbxOn = P.hasModel("rbx") && m.rbx != 0;
  p.reOn = P.hasModel("re") && m.re != 0;
  p.rsuOn = P.hasModel("rsu") && m.rsu != 0;
  p.selfHeat = (m.flsh == 1 || m.flsh == 2) && P.hasModel("rth") && m.rth > 0;
  p.favlGiven = P.hasModel("favl");
  p.tnomK = tnomK;
  p.tempK = clipT<double>(tempK);
  p.t = mapTemperature<double>(p, p.tempK);
  p.vt = p.t.vt;
  p.vcrit = p.vt * std::log(p.vt / (semi::kSqrt2 * p.ibeis));
  if (!std::isfinite(p.t.vdei) || !std::isfinite(p.t.vdci) || !std::isfinite(p.t.vdep) || !std::isfinite(p.t.vdcx) ||
      p.t.vdei <= 0 || p.t.vdci <= 0 || p.t.vdep <= 0 || p.t.vdcx <= 0)
    return fail("the built-in voltages do not map to the temperature");
  if (!(p.ibeis > 0)) p.vcrit = 0.7;  // (no b-e current: any start)
  return p;
}

void evaluate(const HicumInst& p, const double* V, double gmin, Stamp& s, double* q, Outputs& out) {
  const ModelParams& m = p.m;
  D v[kD];
  for (int k = 0; k < kD; ++k) {
    v[k] = D(V[k]);
    v[k].d[k] = 1.0;
  }
  auto diff = [&](int a, int b) { return v[a] - v[b]; };
  const D Vbiei = diff(BI, EI), Vbici = diff(BI, CI), Vciei = Vbiei - Vbici, Vbpei = diff(BP, EI);
  const D Vbpci = diff(BP, CI), Vsici = diff(SI, CI), Vbpbi = diff(BP, BI), Vbci = diff(B, CI), Vsc = diff(S, C);
  const D Vbe = diff(B, E), Vbpe = diff(BP, E), Vcic = diff(CI, C), Vbbp = diff(B, BP), Veie = diff(EI, E);
  const D Vsis = diff(SI, S);
  // the temperature rise (the thermal node's voltage, not mirrored for pnp)
  const D dT = v[T] * p.sign;
  const D Temp = p.selfHeat ? clipT<D>(p.tempK + dT) : D(p.tempK);
  const TempParamsT<D> a = p.selfHeat ? mapTemperature<D>(p, Temp) : constants(p.t);
  const D& VT = a.vt;
  const double Oich = m.ich != 0 ? 1.0 / m.ich : 0.0;
  const double Otbhrec = m.tbhrec != 0 ? 1.0 / m.tbhrec : 0.0;
  const bool useAval = m.favl > 0 && m.cjci0 > 0;
  const double Tr = m.tr;

  // internal b-e junction
  const D ibei = diode(VT, a.ibeis, m.mbei, Vbiei);
  const D irei = diode(VT, a.ireis, m.mrei, Vbiei);
  const ChargeCap jei = qjmodf(VT, a.cjei0, a.vdei, m.zei, a.ajei, Vbiei);
  D hjei_vbe;
  if (m.ahjei == 0.0) {
    hjei_vbe = m.hjei;
  } else {
    D vj = (a.vdei - Vbiei) / (m.rhjei * VT);
    vj = a.vdei - m.rhjei * VT * (vj + sqrt(vj * vj + kFa)) * 0.5;
    vj = (vj - VT) / VT;
    vj = VT * (1.0 + (vj + sqrt(vj * vj + kFa)) * 0.5);
    const D vj_z = (1.0 - exp(m.zei * log(1.0 - vj / a.vdei))) * a.ahjei;
    hjei_vbe = a.hjei0 * (exp(vj_z) - 1.0) / vj_z;
  }
  // internal b-c junction
  const ChargeCap jci = hicjq(VT, a.cjci0, a.vdci, m.zci, a.vptci, Vbici);
  // hole charge at low bias
  D Q_0;
  {
    const D Q0 = a.qp0 + hjei_vbe * jei.Q + m.hjci * jci.Q;
    const D Q_bpt = 0.05 * a.qp0;
    const D b_q = Q0 / Q_bpt - 1.0;
    Q_0 = Q_bpt * (1.0 + (b_q + sqrt(b_q * b_q + kFa)) / 2.0);
  }
  // transit time at low current density
  D T_f0;
  {
    D Cjcit(0.0);
    if (a.cjci0.v > 0.0) {
      const D V_f = a.vdci * (1.0 - std::exp(-std::log(2.4) / m.zci));
      const D ve = (V_f - Vbici) / VT;
      const D sq = sqrt(ve * ve + kFa);
      const D sq2 = (ve + sq) * 0.5;
      const D vj = V_f - VT * sq2;
      const D dvj = sq2 / sq;
      Cjcit = a.cjci0 * exp(-m.zci * log(1.0 - vj / a.vdci)) * dvj + 2.4 * a.cjci0 * (1.0 - dvj);
    }
    const D cc = Cjcit.v > 0.0 ? a.cjci0 / Cjcit : D(1.0);
    T_f0 = a.t0 + m.dt0h * (cc - 1.0) + m.tbvl * (1.0 / cc - 1.0);
  }
  // critical current
  D ick;
  {
    const D vc = Vciei - a.vces;
    const D d1 = vc / VT - 1.0;
    const D vceff = (1.0 + ((d1 + sqrt(d1 * d1 + kFa)) / 2.0)) * VT;
    const D a1 = vceff / a.vlim;
    const D a11 = vceff / a.rci0;
    const D ick1 = exp(log(1.0 + exp(m.delck * log(a1))) / m.delck);
    const D ICKa = (vceff - a.vlim) / m.vpt;
    ick = a11 / ick1 * (1.0 + 0.5 * (ICKa + sqrt(ICKa * ICKa + m.aick)));
  }

  // minority charge and transit time at the forward transfer current itf (HICQFF);
  // Tf, Qf hold the low-current values on entry; T_fT, Q_fT: the ICCR ones; Q_bf: the excess b-c charge
  auto hicqff = [&](const D& itf, D& Tf, D& Qf, D& T_fT, D& Q_fT, D& Q_bf) {
    if (itf.v < 1.0e-6 * ick.v) {
      Q_fT = Qf;
      T_fT = Tf;
      Q_bf = 0.0;
      return;
    }
    const D itf_ick = itf / ick;
    const D dTef = a.tef0 * exp(m.gtfe * log(itf_ick));
    const D dQef = dTef * itf / (1.0 + m.gtfe);
    D dVc(0.0), dVc_ditf(0.0);
    if (!(p.icbar < 0.05 * (m.vlim / p.rci0))) {
      D ib = (itf - ick) / p.icbar;
      if (ib.v < -1.0e10) ib = -1.0e10;
      const D fcbar = (ib + sqrt(ib * ib + m.acbar)) / 2.0;
      const D dib_ditf = fcbar / sqrt(ib * ib + m.acbar) / p.icbar;
      dVc = m.vcbar * exp(-1.0 / fcbar);
      dVc_ditf = dVc / (fcbar * fcbar) * dib_ditf;
    }
    const D dQbfb = (1.0 - m.fthc) * a.thcs * itf * (exp(dVc / VT) - 1.0);
    const D dTbfb = dQbfb / itf + (1.0 - m.fthc) * a.thcs * itf * exp(dVc / VT) / VT * dVc_ditf;
    const D ic = 1.0 - 1.0 / itf_ick;
    const D w = (ic + sqrt(ic * ic + m.ahc)) / (1.0 + std::sqrt(1.0 + m.ahc));
    const D dQfhc = a.thcs * itf * w * w * exp((dVc - m.vcbar) / VT);
    const D dTfhc =
        dQfhc * (1.0 / itf * (1.0 + 2.0 / (itf_ick * sqrt(ic * ic + m.ahc))) + 1.0 / VT * dVc_ditf);
    // (LATB and LATL are 0: the collector charge without current spreading)
    const D dQcfc = m.fthc * dQfhc, dTcfc = m.fthc * dTfhc;
    const D dQbfc = (1.0 - m.fthc) * dQfhc, dTbfc = (1.0 - m.fthc) * dTfhc;
    Q_fT = a.hf0 * Qf + dQbfb + dQbfc + a.hfe * dQef + a.hfc * dQcfc;
    T_fT = a.hf0 * Tf + dTbfb + dTbfc + a.hfe * dTef + a.hfc * dTcfc;
    Qf = Qf + (dQbfb + dQbfc) + dQef + dQcfc;
    Tf = Tf + (dTbfb + dTbfc) + dTef + dTcfc;
    Q_bf = dQbfb + dQbfc;
  };

  const D i_0f = a.c10 * exp(Vbiei / (m.mcf * VT));
  const D i_0r = a.c10 * exp(Vbici / VT);
  // the transfer current, charges and transit time at total hole charge Q_p
  D itf, itr, Qf, Qr, Q_bf, Tf, a_h, T_fT, Q_fT;
  auto atCharge = [&](const D& Q_p) {
    const D I_Tf1 = i_0f / Q_p;
    a_h = Oich * I_Tf1;
    itf = I_Tf1 * (1.0 + a_h);
    itr = i_0r / Q_p;
    Tf = T_f0;
    Qf = T_f0 * itf;
    hicqff(itf, Tf, Qf, T_fT, Q_fT, Q_bf);
    Qr = Tr * itr;
    return I_Tf1;
  };
  // initial formulation
  D Q_p = Q_0;
  if (T_f0.v > 0.0 || Tr > 0.0) {
    const D A = 0.5 * Q_0;
    Q_p = A + sqrt(A * A + T_f0 * i_0f + Tr * i_0r);
  }
  atCharge(Q_p);
  if (Qf.v > kRtolC * Q_p.v || a_h.v > kRtolC) {
    // Newton iteration for the total hole charge Q_pT (five extra rounds settle the derivatives)
    Qf = sqrt(T_f0 * itf * Q_fT);
    D Q_pT = Q_0 + Qf + Qr;
    D d_Q = Q_pT;
    int l_it = 0, extra = 1;
    while ((std::fabs(d_Q.v) >= kRtolC * std::fabs(Q_pT.v) && l_it <= kItMax) || extra < 5) {
      const D I_Tf1 = atCharge(Q_pT);
      D aa = Oich == 0.0 ? 1.0 + (T_fT * itf + Qr) / Q_pT : 1.0 + (T_fT * I_Tf1 * (1.0 + 2.0 * a_h) + Qr) / Q_pT;
      d_Q = -(Q_pT - (Q_0 + Q_fT + Qr)) / aa;
      aa = fabs(0.3 * Q_pT);
      if (std::fabs(d_Q.v) > aa.v) d_Q = d_Q.v >= 0 ? aa : -aa;
      Q_pT = Q_pT + d_Q;
      ++l_it;
      if (!(std::fabs(d_Q.v) >= kRtolC * std::fabs(Q_pT.v))) ++extra;
    }
    atCharge(Q_pT);
  } else {
    // ngspice 39 takes the slope in Vbiei of this low-current formulation with Q_0 * Vbiei in place of
    // Q_0's own slope: the same here (the values are not affected)
    D Q0b = Q_0;
    const double dQ0 = -Q_0.d[EI];  // EI enters Q_0 only through Vbiei
    const double delta = Q_0.v * Vbiei.v - dQ0;
    Q0b.d[BI] += delta;
    Q0b.d[EI] -= delta;
    Q_p = Q0b;
    if (T_f0.v > 0.0 || Tr > 0.0) {
      const D A = 0.5 * Q0b;
      Q_p = A + sqrt(A * A + T_f0 * i_0f + Tr * i_0r);
    }
    atCharge(Q_p);
  }
  const D it = itf - itr;

  // internal b-c currents: diode and avalanche
  const D ibci = diode(VT, a.ibcis, m.mbci, Vbici);
  D iavl(0.0);
  if (useAval) {
    const D v_bord = a.vdci - Vbici;
    if (v_bord.v > 0) {
      const D v_q = a.qavl / jci.C;
      const D U0 = a.qavl / a.cjci0;
      D avl;
      if (v_bord.v > U0.v) {
        const D av = a.favl * exp(-v_q / U0);
        avl = av * (U0 + (1.0 + v_q / U0) * (v_bord - U0));
      } else {
        avl = a.favl * v_bord * exp(-v_q / v_bord);
      }
      if (m.kavl > 0) {
        const D den = 1.0 - a.kavl * avl;
        const D hl = 0.5 * (den + sqrt(den * den + 0.01));
        iavl = itf * avl / hl;
      } else {
        iavl = itf * avl;
      }
    }
  }
  const D ibh_rec = Q_bf * Otbhrec;

  // internal base resistance (conductivity modulation, emitter current crowding, peripheral charge)
  D rbi(0.0);
  if (a.rbi0.v > 0.0) {
    const D f_QR = (1.0 + m.fdqr0) * a.qp0;
    const D Qz_nom = 1.0 + (jei.Q + frozen(jci.Q) + Qf) / f_QR;
    const D fQz = 0.5 * (Qz_nom + sqrt(Qz_nom * Qz_nom + 0.01));
    rbi = a.rbi0 / fQz;
    if (ibei.v > 0.0) {
      const D ETA = rbi * ibei.v * m.fgeo / VT;
      rbi = ETA.v < 1.0e-6 ? rbi * (1.0 - 0.5 * ETA) : rbi * log(1.0 + ETA) / ETA;
    }
    if (Qf.v > 0.0) rbi = rbi * (jei.Q + Qf * m.fqi) / (jei.Q + Qf);
  }

  // peripheral b-e junction, tunnelling
  const D ibep = diode(VT, a.ibeps, m.mbep, Vbpei);
  const D irep = diode(VT, a.ireps, m.mrep, Vbpei);
  const ChargeCap jep = qjmodf(VT, a.cjep0, a.vdep, m.zep, a.ajep, Vbpei);
  D ibet(0.0);
  if (p.ibets > 0 && (Vbpei.v < 0.0 || Vbiei.v < 0.0)) {
    if (m.tunode == 1 && a.cjep0.v > 0.0 && a.vdep.v > 0.0) {
      const D pocce = exp((1.0 - 1.0 / m.zep) * log(frozen(jep.C) / a.cjep0));
      ibet = -(Vbpei / a.vdep) * a.ibets * pocce * exp(-a.abet / pocce);
    } else if (m.tunode == 0 && a.cjei0.v > 0.0 && a.vdei.v > 0.0) {
      const D pocce = exp((1.0 - 1.0 / m.zei) * log(frozen(jei.C) / a.cjei0));
      ibet = -(Vbiei / a.vdei) * a.ibets * pocce * exp(-a.abet / pocce);
    }
  }
  // external b-c junction, substrate
  const D ijbcx = diode(VT, a.ibcxs, m.mbcx, Vbpci);
  const ChargeCap jcx_i = hicjq(VT, a.cjcx01, a.vdcx, m.zcx, a.vptcx, Vbci);
  const ChargeCap jcx_ii = hicjq(VT, a.cjcx02, a.vdcx, m.zcx, a.vptcx, Vbpci);
  const ChargeCap js = hicjq(VT, a.cjs0, a.vds, m.zs, a.vpts, Vsici);
  D Qscp;
  if (m.vdsp > 0) Qscp = hicjq(VT, a.cscp0, a.vdsp, m.zsp, a.vptsp, Vsc).Q;
  else Qscp = m.cscp0 * Vsc;
  D HSI_Tsu(0.0), Qdsu(0.0);
  if (m.itss > 0.0) {
    const D HSUM = m.msf * VT;
    const D HSa = exp(Vbpci / HSUM), HSb = exp(Vsici / HSUM);
    HSI_Tsu = a.itss * (HSa - HSb);
    if (m.tsf > 0.0) Qdsu = a.tsf * a.itss * HSa;
  }
  const D ijsc = diode(VT, a.iscs, m.msc, Vsici);

  // self-heating power
  D pterm(0.0);
  if (p.selfHeat && p.rth >= kMinR) {
    pterm = Vciei * it + (a.vdci - Vbici) * iavl;
    if (m.flsh == 2) {
      pterm = pterm + ibei * Vbiei + ibci * Vbici + ibep * Vbpei + ijbcx * Vbpci + ijsc * Vsici;
      if (rbi.v > 0.0) pterm = pterm + Vbpbi * Vbpbi / rbi;
      if (a.re.v >= kMinR) pterm = pterm + Veie * Veie / a.re;
      if (a.rcx.v >= kMinR) pterm = pterm + Vcic * Vcic / a.rcx;
      if (a.rbx.v >= kMinR) pterm = pterm + Vbbp * Vbbp / a.rbx;
    }
  }

  // branch currents (gmin across each junction, as ngspice)
  D Ibiei = ibei + irei + ibh_rec + gmin * Vbiei;
  D Ibpei = ibep + irep + gmin * Vbpei;
  if (m.tunode == 1) Ibpei = Ibpei - ibet;
  else Ibiei = Ibiei - ibet;
  const D Ibici = ibci - iavl + gmin * Vbici;
  const D Ibpci = ijbcx + gmin * Vbpci;
  const D Isici = ijsc + gmin * Vsici;
  const D Ibpbi = rbi.v > 0.0 ? Vbpbi / rbi : D(0.0);
  auto branch = [&](int from, int to, const D& i) {
    constexpr auto& slot = Stamp::entries.slot;
    s.I[from] += i.v;
    s.I[to] -= i.v;
    for (int k = 0; k < kD; ++k) {
      s.G[slot[from][k]] += i.d[k];
      s.G[slot[to][k]] -= i.d[k];
    }
  };
  branch(BI, EI, Ibiei);
  branch(BP, EI, Ibpei);
  branch(BI, CI, Ibici);
  branch(BP, CI, Ibpci);
  branch(CI, EI, it);
  branch(BP, SI, HSI_Tsu);
  branch(SI, CI, Isici);
  branch(BP, BI, Ibpbi);
  if (p.rcxOn) branch(CI, C, Vcic / a.rcx);
  if (p.rbxOn) branch(B, BP, Vbbp / a.rbx);
  if (p.reOn) branch(EI, E, Veie / a.re);
  if (p.rsuOn) branch(SI, S, Vsis * (p.mult / m.rsu));

  // charges
  const D Qrbi = m.fcrbi != 0 ? m.fcrbi * (jei.C + jci.C + T_f0 * itf / VT + Tr * itr / VT) * Vbpbi : D(0.0);
  const double C_1 = (1.0 - m.fbcpar) * (p.cjcx0 + p.cbcpar);
  const double cbcpar1 = C_1 >= p.cbcpar ? p.cbcpar : C_1, cbcpar2 = p.cbcpar - cbcpar1;
  const double cbepar2 = m.fbepar * p.cbepar, cbepar1 = p.cbepar - cbepar2;
  auto charge = [&](int k, const D& Q) {
    constexpr auto& slot = Stamp::entries.slot;
    const int from = Layout::chargeFrom[k], to = Layout::chargeTo[k];
    q[k] = Q.v;
    for (int j = 0; j < kD; ++j) {
      s.C[slot[from][j]] += Q.d[j];
      s.C[slot[to][j]] -= Q.d[j];
      s.dq[k][j] += Q.d[j];
    }
  };
  const D Qbiei = jei.Q + Qf, Qbici = jci.Q + Qr;
  charge(0, Qbiei);
  charge(1, Qbici);
  charge(2, jep.Q);
  charge(3, jcx_i.Q + cbcpar1 * Vbci);
  charge(4, jcx_ii.Q + Qdsu + cbcpar2 * Vbpci);
  charge(5, js.Q);
  charge(6, Qscp);
  charge(7, cbepar1 * Vbe);
  charge(8, cbepar2 * Vbpe);
  charge(9, m.csu * Vsis);
  charge(10, Qrbi);
  if (p.selfHeat) {
    // the power flows from ground into the thermal node, RTH and CTH to ground (local currents
    // and charges are the real ones times the polarity)
    branch(T, GND, p.sign * (dT / a.rth - pterm));
    charge(11, p.sign * (dT * p.cth));
  } else {
    q[11] = 0;
  }

  out.it = it.v;
  out.ibiei = Ibiei.v;
  out.ibici = Ibici.v;
  out.ibpei = Ibpei.v;
  out.ibpci = Ibpci.v;
  out.isici = Isici.v;
  out.ibpsi = HSI_Tsu.v;
  out.iavl = iavl.v;
  out.ieie = a.re.v >= kMinR ? Veie.v / a.re.v : 0.0;
  out.rbi = rbi.v;
  out.gRcx = p.rcxOn ? 1.0 / a.rcx.v : 0.0;
  out.gRbx = p.rbxOn ? 1.0 / a.rbx.v : 0.0;
  out.gRe = p.reOn ? 1.0 / a.re.v : 0.0;
  out.gRsu = p.rsuOn ? p.mult / m.rsu : 0.0;
  out.tempK = Temp.v;
  out.power = pterm.v;
  {
    const double IC = it.v - Ibici.v - Ibpci.v - Isici.v, IB = Ibiei.v + Ibici.v + Ibpci.v + HSI_Tsu.v;
    out.betadc = IB != 0.0 ? IC / IB : 0.0;
  }
  out.tf = Tf.v;
  out.ick = ick.v;
  // (e_i enters Vbiei alone among the intrinsic branches' voltages, c_i Vbici)
  out.gmi = -it.d[EI];
  out.go = -it.d[CI];
  out.gpi = -Ibiei.d[EI];
  out.gmu = -Ibici.d[CI];
  out.cpii = -Qbiei.d[EI];
  out.cmui = -Qbici.d[CI];
}

}  // namespace simcore::dev::hicum
