// BSIM3v3.3 model equations at one bias point: threshold with short-channel,
// narrow-width, DIBL and body effects; mobility (MOBMOD 1-3); velocity
// saturation; Vdsat/Vdseff; output resistance (CLM, DIBL, SCBE, PVAG);
// subthreshold (VOFF, NFACTOR); RDS (RDSW, PRWG, PRWB); substrate current;
// junction diodes with IJTH; charges (CAPMOD 0-3 with XPART) and overlaps.
// The constants are BSIM3's own (so that results match its reference
// implementation to rounding). Size and temperature: bsim3_setup.cpp.
#include "devices/bsim3_model.hpp"

#include <algorithm>
#include <cmath>

#include "devices/bsim3_constants.hpp"

namespace simcore::dev::bsim3 {
namespace {

// The elementary functions on both number types: a plain double, or Slopes
// (semi::Fwd: its exp, log, sqrt, comparisons of values and val()).
using F = Slopes;
using semi::val;
using std::exp;
using std::log;
using std::sqrt;
// At the join of two branches of equal value, the mean of their slopes (the
// symmetric derivative).
inline double midSlope(double a, double) { return a; }
inline F midSlope(const F& a, const F& b) {
  F r(a.v);
  for (int k = 0; k < 3; ++k) r.d[k] = 0.5 * (a.d[k] + b.d[k]);
  return r;
}
// Vdseff (and its C-V twin) at vds = 0: zero, the rounding of the formula's
// value near zero, with the formula's slope in vds kept (as ngspice): the
// slope of the channel current at vds = 0 from either side.
inline void zeroAtZeroVds(double& x) { x = 0.0; }
inline void zeroAtZeroVds(F& x) {
  x.v = 0.0;
  x.d[0] = 0.0;
  x.d[2] = 0.0;
}

// The depletion charge of one junction component of zero-bias capacitance
// cz, potential pb, grading m at reverse bias v < 0.
template <class T>
T depletion(const T& v, double cz, double pb, double m) {
  if (cz <= 0) return T(0.0);
  const T arg = 1.0 - v / pb;
  const T sarg = m == 0.5 ? 1.0 / sqrt(arg) : exp(-m * log(arg));
  return pb * cz * (1.0 - arg * sarg) / (1.0 - m);
}

// Junction charge (bottom, sidewall, gate-edge sidewall) at v.
template <class T>
T junctionCharge(const T& v, double cz, double czsw, double czswg, const Inst& p) {
  if (v < 0.0)
    return depletion(v, cz, p.phiB, p.mj) + depletion(v, czsw, p.phiBSW, p.mjsw) +
           depletion(v, czswg, p.phiBSWG, p.mjswg);
  const double t0 = cz + czsw + czswg;
  const T t1 = v * (cz * p.mj / p.phiB + czsw * p.mjsw / p.phiBSW + czswg * p.mjswg / p.phiBSWG);
  return v * (t0 + 0.5 * t1);
}

// Junction current from b into the diffusion at v, saturation current is.
template <class T>
T junctionCurrent(const T& v, double is, double vjm, double isEvjm, const Inst& p, double gmin) {
  if (is <= 0) return gmin * v;
  if (p.v30) {
    // 3.0: -Is below -0.5 V, the exponential up to 0.5 V, then held (its current, not its
    // slope: ngspice's BSIM3v0 stamps the exponential's conductance there); gmin v beside
    // (its companion model's second gmin: the caller's 2 gmin holds both)
    const T g = 0.5 * gmin * v;
    if (v <= -0.5) return -is + g + g;
    if (v < 0.5) return is * (exp(v / p.nvtm) - 1.0) + g + g;
    return T(is * (std::exp(0.5 / p.nvtm) - 1.0) + 0.25 * gmin) + g;
  }
  if ((p.ijth == 0.0 && !p.v31) || v < vjm) return is * (exp(v / p.nvtm) - 1.0) + gmin * v;
  return isEvjm - is + isEvjm / p.nvtm * (v - vjm) + gmin * v;
}

// Overlap charge of one side (capMod 0, 1, 2/3) at gate-diffusion voltage v.
template <class T>
T overlapCharge(const Inst& p, const T& v, double co, double cl) {
  const double t3 = p.weffCV * cl;
  if (p.capMod == 0) return co * v;
  if (p.capMod == 1) {
    if (v < 0.0) {
      const T t1 = sqrt(1.0 - 4.0 * v / p.ckappa);
      return co * v - t3 * 0.5 * p.ckappa * (t1 - 1.0);
    }
    return (t3 + co) * v;
  }
  const T t0 = v + kDelta1, t1 = sqrt(t0 * t0 + 4.0 * kDelta1), t2 = 0.5 * (t0 - t1);
  const T t4 = sqrt(1.0 - 4.0 * t2 / p.ckappa);
  return (co + t3) * v - t3 * (t2 + 0.5 * p.ckappa * (t4 - 1.0));
}

template <class T>
BasicPoint<T> evaluateAt(const Inst& p, const T& vgs, const T& vds, const T& vbs, double gmin, bool charges) {
  BasicPoint<T> out;
  const T vbd = vbs - vds, vgd = vgs - vds, vgb = vgs - vbs;
  // (3.1: twice gmin, as its companion model's right-hand side leaves it in once more)
  const double gminJ = p.v31 ? 2.0 * gmin : gmin;
  out.ibs = junctionCurrent(vbs, p.iss, p.vjsm, p.isEvjsm, p, gminJ);
  out.ibd = junctionCurrent(vbd, p.isd, p.vjdm, p.isEvjdm, p, gminJ);

  out.reverse = vds < 0.0;
  const T Vds = out.reverse ? -vds : vds, Vgs = out.reverse ? vgd : vgs, Vbs = out.reverse ? vbd : vbs;

  T T0 = Vbs - p.vbsc - 0.001;
  T T1 = sqrt(T0 * T0 - 0.004 * p.vbsc);
  T Vbseff = p.vbsc + 0.5 * (T0 + T1);
  if (Vbseff < Vbs) Vbseff = Vbs;
  else if (Vbseff == Vbs) Vbseff = midSlope(Vbseff, Vbs);  // the join (vbs = 0 for the usual VBSC)
  T Phis, sqrtPhis;
  if (Vbseff > 0.0) {
    Phis = p.phi * p.phi / (p.phi + Vbseff);
    sqrtPhis = p.phis3 / (p.phi + 0.5 * Vbseff);
  } else {
    Phis = p.phi - Vbseff;
    sqrtPhis = sqrt(Phis);
  }
  const T Xdep = p.xdep0 * sqrtPhis / p.sqrtPhi;
  const double Leff = p.leff, Vtm = p.vtm;

  // threshold
  const T T3 = sqrt(Xdep);
  const double V0 = p.vbi - p.phi;
  auto smoothOnePlus = [](const T& t) -> T { return t >= -0.5 ? 1.0 + t : (1.0 + 3.0 * t) / (3.0 + 8.0 * t); };
  const T lt1 = p.factor1 * T3 * smoothOnePlus(p.dvt2 * Vbseff);
  const T ltw = p.factor1 * T3 * smoothOnePlus(p.dvt2w * Vbseff);
  auto theta = [](const T& arg) -> T {
    const T t1 = arg > -kExpThreshold ? exp(arg) : T(kMinExp);
    return t1 * (1.0 + 2.0 * t1);
  };
  const T Theta0 = theta(-0.5 * p.dvt1 * Leff / lt1);
  const T thetavth = p.dvt0 * Theta0;
  const T Delt_vth = thetavth * V0;
  const T T2w = p.dvt0w * theta(-0.5 * p.dvt1w * p.weff * Leff / ltw) * V0;
  const double TempRatio = p.tempRatio;
  const double sqrtNlx = std::sqrt(1.0 + p.nlx / Leff);
  T1 = p.k1ox * (sqrtNlx - 1.0) * p.sqrtPhi + (p.kt1 + p.kt1l / Leff + p.kt2 * Vbseff) * TempRatio;
  double tmp2 = p.tox * p.phi / (p.weff + p.w0);
  T T3e = p.eta0 + p.etab * Vbseff;
  if (T3e < 1.0e-4) T3e = (2.0e-4 - T3e) / (3.0 - 2.0e4 * T3e);
  const T DIBL_Sft = T3e * p.theta0vb0 * Vds;
  const T Vth = p.type * p.vth0 - p.k1 * p.sqrtPhi + p.k1ox * sqrtPhis - p.k2ox * Vbseff - Delt_vth - T2w +
                     (p.k3 + p.k3b * Vbseff) * tmp2 + T1 - DIBL_Sft;
  out.vth = val(Vth);

  // subthreshold swing
  const T tmp2s = p.nfactor * kEpsSi / Xdep;
  const T tmp3 = p.cdsc + p.cdscb * Vbseff + p.cdscd * Vds;
  const T tmp4 = (tmp2s + tmp3 * Theta0 + p.cit) / p.cox;
  const T n = tmp4 >= -0.5 ? 1.0 + tmp4 : (1.0 + 3.0 * tmp4) / (3.0 + 8.0 * tmp4);

  // poly depletion
  T Vgs_eff = Vgs;
  const double vfbPhi = p.vfb + p.phi;
  if (p.ngate > 1.e18 && p.ngate < 1.e25 && Vgs > vfbPhi) {
    const double t1 = 1.0e6 * kQ * kEpsSi * p.ngate / (p.cox * p.cox);
    const T T4 = sqrt(1.0 + 2.0 * (Vgs - vfbPhi) / t1);
    const T T2 = t1 * (T4 - 1.0);
    const T Vpoly = 0.5 * T2 * T2 / t1;
    const T T7 = 1.12 - Vpoly - 0.05;
    const T T6 = sqrt(T7 * T7 + 0.224);
    Vgs_eff = Vgs - (1.12 - 0.5 * (T7 + T6));
  }
  const T Vgst = Vgs_eff - Vth;

  // effective gate overdrive
  const T T10 = 2.0 * n * Vtm;
  const T VgstNVt = Vgst / T10;
  const T ExpArg = (2.0 * p.voff - Vgst) / T10;
  T Vgsteff;
  if (VgstNVt > kExpThreshold) {
    Vgsteff = Vgst;
  } else if (ExpArg > kExpThreshold) {
    Vgsteff = Vtm * p.cdep0 / p.cox * exp((Vgst - p.voff) / (n * Vtm));
  } else {
    const T ExpVgst = exp(VgstNVt);
    T1 = T10 * log(1.0 + ExpVgst);
    const T T2 = 1.0 + T10 * p.cox / (Vtm * p.cdep0) * exp(ExpArg);
    Vgsteff = T1 / T2;
  }
  out.vgsteff = val(Vgsteff);

  // effective width, series resistance
  const T T9s = sqrtPhis - p.sqrtPhi;
  T Weff = p.weff - 2.0 * (p.dwg * Vgsteff + p.dwb * T9s);
  if (Weff < 2.0e-8) Weff = 2.0e-8 * (4.0e-8 - Weff) / (6.0e-8 - 2.0 * Weff);
  T0 = p.prwg * Vgsteff + p.prwb * T9s;
  const T Rds = T0 >= -0.9 ? p.rds0 * (1.0 + T0) : p.rds0 * (0.8 + T0) / (17.0 + 20.0 * T0);
  out.rds = val(Rds);

  // bulk charge factor
  T1 = 0.5 * p.k1ox / sqrtPhis;
  const T T9 = sqrt(p.xj * Xdep);
  const T T5 = Leff / (Leff + 2.0 * T9);
  const T T2 = p.a0 * T5 + p.b0 / (p.weff + p.b1);
  const T T7 = T5 * T5 * T5;
  T Abulk0 = 1.0 + T1 * T2;
  const T T8 = p.ags * p.a0 * T7;
  T Abulk = Abulk0 - T1 * T8 * Vgsteff;
  if (Abulk0 < 0.1) Abulk0 = (0.2 - Abulk0) / (3.0 - 20.0 * Abulk0);
  if (Abulk < 0.1) Abulk = (0.2 - Abulk) / (3.0 - 20.0 * Abulk);
  T0 = p.keta * Vbseff;
  const T ketaF = T0 >= -0.9 ? 1.0 / (1.0 + T0) : (17.0 + 20.0 * T0) / (0.8 + T0);
  Abulk *= ketaF;
  Abulk0 *= ketaF;
  out.abulk = val(Abulk);

  // mobility
  T T5m;
  if (p.mobMod == 1) {
    const T t3 = (Vgsteff + Vth + Vth) / p.tox;
    T5m = t3 * (p.ua + p.uc * Vbseff + p.ub * t3);
  } else if (p.mobMod == 2) {
    T5m = Vgsteff / p.tox * (p.ua + p.uc * Vbseff + p.ub * Vgsteff / p.tox);
  } else {
    const T t3 = (Vgsteff + Vth + Vth) / p.tox;
    T5m = t3 * (p.ua + p.ub * t3) * (1.0 + p.uc * Vbseff);
  }
  const T Denomi = T5m >= -0.8 ? 1.0 + T5m : (0.6 + T5m) / (7.0 + 10.0 * T5m);
  const T ueff = p.u0temp / Denomi;
  out.ueff = val(ueff);

  // saturation voltage
  const T WVCox = Weff * p.vsattemp * p.cox;
  const T WVCoxRds = WVCox * Rds;
  const T Esat = 2.0 * p.vsattemp / ueff;
  const T EsatL = Esat * Leff;
  T Lambda;
  if (p.a1 == 0.0) {
    Lambda = p.a2;
  } else if (p.a1 > 0.0) {
    const double t0 = 1.0 - p.a2;
    const T t1 = t0 - p.a1 * Vgsteff - 0.0001;
    Lambda = p.a2 + t0 - 0.5 * (t1 + sqrt(t1 * t1 + 0.0004 * t0));
  } else {
    const T t1 = p.a2 + p.a1 * Vgsteff - 0.0001;
    Lambda = 0.5 * (t1 + sqrt(t1 * t1 + 0.0004 * p.a2));
  }
  const T Vgst2Vtm = Vgsteff + 2.0 * Vtm;
  T Vdsat;
  if (Rds == 0.0 && Lambda == 1.0) {
    Vdsat = EsatL * Vgst2Vtm / (Abulk * EsatL + Vgst2Vtm);
  } else {
    const T t9 = Abulk * WVCoxRds, t7 = Vgst2Vtm * t9, t6 = Vgst2Vtm * WVCoxRds;
    const T t0 = 2.0 * Abulk * (t9 - 1.0 + 1.0 / Lambda);
    const T t1 = Vgst2Vtm * (2.0 / Lambda - 1.0) + Abulk * EsatL + 3.0 * t7;
    const T t2 = Vgst2Vtm * (EsatL + 2.0 * t6);
    Vdsat = (t1 - sqrt(t1 * t1 - 2.0 * t0 * t2)) / t0;
  }
  out.vdsat = val(Vdsat);

  // effective drain voltage
  T1 = Vdsat - Vds - p.delta;
  T Vdseff = Vdsat - 0.5 * (T1 + sqrt(T1 * T1 + 4.0 * p.delta * Vdsat));
  if (Vds == 0.0 && !p.v31) zeroAtZeroVds(Vdseff);

  // early voltages
  const T tmp4s = 1.0 - 0.5 * Abulk * Vdsat / Vgst2Vtm;
  T0 = EsatL + Vdsat + 2.0 * WVCoxRds * Vgsteff * tmp4s;
  T1 = 2.0 / Lambda - 1.0 + WVCoxRds * Abulk;
  const T Vasat = T0 / T1;
  if (Vdseff > Vds) Vdseff = Vds;
  const T diffVds = Vds - Vdseff;
  out.vdseff = val(Vdseff);
  T VACLM = kMaxExp;
  if (p.pclm > 0.0 && diffVds > 1.0e-10)
    VACLM = Leff * (Abulk + Vgsteff / EsatL) / (p.pclm * Abulk * p.litl) * diffVds;
  T VADIBL = kMaxExp;
  if (p.thetaRout > 0.0) {
    const T t8 = Abulk * Vdsat;
    VADIBL = (Vgst2Vtm - Vgst2Vtm * t8 / (Vgst2Vtm + t8)) / p.thetaRout;
    const T t7 = p.pdiblb * Vbseff;
    VADIBL *= t7 >= -0.9 ? 1.0 / (1.0 + t7) : (17.0 + 20.0 * t7) / (0.8 + t7);
  }
  const T T9v = p.pvag / EsatL * Vgsteff;
  const T pvagF = T9v > -0.9 ? 1.0 + T9v : (0.8 + T9v) / (17.0 + 20.0 * T9v);
  const T Va = Vasat + pvagF * VACLM * VADIBL / (VACLM + VADIBL);
  T VASCBE = kMaxExp;
  if (p.pscbe2 > 0.0)
    VASCBE = diffVds > p.pscbe1 * p.litl / kExpThreshold ? Leff * exp(p.pscbe1 * p.litl / diffVds) / p.pscbe2
                                                          : T(kMaxExp * Leff / p.pscbe2);

  // drain current
  const T beta = ueff * p.cox * Weff / Leff;
  const T fgche1 = Vgsteff * (1.0 - 0.5 * Abulk * Vdseff / Vgst2Vtm);
  const T fgche2 = 1.0 + Vdseff / EsatL;
  const T gche = beta * fgche1 / fgche2;
  const T Idl = gche * Vdseff / (1.0 + gche * Rds);
  const T Idsa = Idl * (1.0 + diffVds / Va);
  const T Ids = Idsa * (1.0 + diffVds / VASCBE);
  T Isub = 0.0;
  const double tmpa = p.alpha0 + p.alpha1 * Leff;
  if (tmpa > 0.0 && p.beta0 > 0.0) {
    const double t2 = tmpa / Leff;
    Isub = (diffVds > p.beta0 / kExpThreshold ? t2 * diffVds * exp(-p.beta0 / diffVds) : t2 * kMinExp * diffVds) *
           Idsa;
  }
  out.id = out.reverse ? -Ids : Ids;
  out.isub = Isub;
  if (!charges) return out;

  // intrinsic charges in the frame of the mode
  T qgate = 0, qbulk = 0, qdrn = 0, qsrc = 0;
  const double CoxWL = p.cox * p.weffCV * p.leffCV;
  if (p.capMod == 0) {
    // at Vbseff = Vbs = 0 both branches are zero and the slope is Vbs's on either side
    const T VbseffC = Vbseff < 0.0 || (Vbseff == 0.0 && Vbs == 0.0) ? Vbs : p.phi - Phis;
    const double Vfb = p.vfbcv;
    const T VthC = Vfb + p.phi + p.k1ox * sqrtPhis;
    const T VgstC = Vgs_eff - VthC;
    const T Arg1 = Vgs_eff - VbseffC - Vfb;
    if (Arg1 <= 0.0) {
      qgate = CoxWL * Arg1;
      qbulk = -qgate;
      qdrn = 0.0;
    } else if (VgstC <= 0.0) {
      const double t1 = 0.5 * p.k1ox;
      const T t2 = sqrt(t1 * t1 + Arg1);
      qgate = CoxWL * p.k1ox * (t2 - t1);
      qbulk = -qgate;
      qdrn = 0.0;
    } else {
      const T AbulkCV = Abulk0 * p.abulkCVfactor;
      const T VdsatC = VgstC / AbulkCV;
      const double two3 = 2.0 * CoxWL / 3.0;
      if (VdsatC <= Vds) {  // saturation
        qgate = CoxWL * (Vgs_eff - Vfb - p.phi - VdsatC / 3.0);
        const T t2 = -two3 * VgstC;
        qbulk = -(qgate + t2);
        qdrn = p.xpart > 0.5 ? 0.0 : p.xpart < 0.5 ? 0.4 * t2 : 0.5 * t2;
      } else {  // linear
        const T Alphaz = VgstC / VdsatC;
        const T t1 = 2.0 * VdsatC - Vds, t2 = Vds / (3.0 * t1), t3 = t2 * Vds;
        const double t9 = 0.25 * CoxWL;
        const T t4 = t9 * Alphaz;
        qgate = CoxWL * (Vgs_eff - Vfb - p.phi - 0.5 * (Vds - t3));
        if (p.xpart > 0.5) {
          const T t7 = 2.0 * Vds - t1 - 3.0 * t3, t8 = t3 - t1 - 2.0 * Vds;
          qdrn = t4 * t7;
          qbulk = -(qgate + qdrn + t4 * t8);
        } else if (p.xpart < 0.5) {
          const T t6 = 8.0 * VdsatC * VdsatC - 6.0 * VdsatC * Vds + 1.2 * Vds * Vds;
          const T t8 = t2 / t1;
          qdrn = t4 * (Vds - t1 - t8 * t6);
          qbulk = -(qgate - t4 * 2.0 * (t1 + t3));
        } else {
          qdrn = -t4 * (t1 + t3);
          qbulk = -(qgate + qdrn + qdrn);
        }
      }
    }
    qsrc = -(qgate + qbulk + qdrn);
    out.qinv = Arg1 > 0.0 && VgstC > 0.0 ? -val(qgate + qbulk) : 0.0;
  } else {
    const T VbseffCV = Vbseff < 0.0 ? Vbseff : p.phi - Phis;
    const T noff = n * p.noff;
    const T t0n = Vtm * noff;
    const T vgstNVt = (Vgst - p.voffcv) / t0n;
    T VgsteffCV = vgstNVt > kExpThreshold    ? Vgst - p.voffcv
                  : vgstNVt < -kExpThreshold ? t0n * std::log(1.0 + kMinExp)
                                             : t0n * log(1.0 + exp(vgstNVt));
    // 3.1: the smoothing where the I-V model's Vgst/(2 n Vtm) is within +-34, else Vgsteff
    if (p.v31 && !(VgstNVt > -kExpThreshold && VgstNVt < kExpThreshold)) VgsteffCV = Vgsteff;
    // the flat band: 3.3's at zero bias; 3.1's follows the threshold (DIBL, body effect)
    const T vfbzb = p.v31 ? Vth - p.phi - p.k1 * sqrtPhis : T(p.vfbzb);
    T V3 = vfbzb - Vgs_eff + VbseffCV - kDelta3;
    const T t0 = vfbzb <= 0.0 ? sqrt(V3 * V3 - 4.0 * kDelta3 * vfbzb) : sqrt(V3 * V3 + 4.0 * kDelta3 * vfbzb);
    const T Vfbeff = vfbzb - 0.5 * (V3 + t0);
    const T AbulkCV = Abulk0 * p.abulkCVfactor;
    if (p.capMod == -1) {
      // (a 3.1 card's CAPMOD 3: no intrinsic charge, as ngspice 39's BSIM3v1)
    } else if (p.capMod == 1) {
      // (3.0 tests the region before taking VgsteffCV off)
      const T Arg1 = Vgs_eff - VbseffCV - vfbzb - VgsteffCV;
      if (p.v30 ? Arg1 + VgsteffCV <= 0.0 : Arg1 <= 0.0) {
        qgate = CoxWL * Arg1;
      } else {
        const double h = 0.5 * p.k1ox;
        qgate = CoxWL * p.k1ox * (sqrt(h * h + Arg1) - h);
      }
      qbulk = -qgate;
      const T VdsatCV = VgsteffCV / AbulkCV;
      if (VdsatCV < Vds) {  // saturation
        qgate += CoxWL * (VgsteffCV - VdsatCV / 3.0);
        qbulk += CoxWL / 3.0 * (VdsatCV - VgsteffCV);
        const double share = p.xpart > 0.5 ? -2.0 * CoxWL / 3.0 : p.xpart < 0.5 ? -0.4 * CoxWL : -CoxWL / 3.0;
        qsrc = share * VgsteffCV;
      } else {
        const T T0c = AbulkCV * Vds;
        const T T1c = 12.0 * (VgsteffCV - 0.5 * T0c + 1.e-20);
        const T T3c = T0c * Vds / T1c;
        qgate += CoxWL * (VgsteffCV - 0.5 * Vds + T3c);
        qbulk += CoxWL * (1.0 - AbulkCV) * (0.5 * Vds - T3c);
        if (p.xpart > 0.5) {
          qsrc = -CoxWL * (0.5 * VgsteffCV + 0.25 * T0c - T0c * T0c / (T1c + T1c));
        } else if (p.xpart < 0.5) {
          const T t1x = T1c / 12.0;
          const T t2x = 0.5 * CoxWL / (t1x * t1x);
          qsrc = -t2x * (VgsteffCV * (2.0 * T0c * T0c / 3.0 + VgsteffCV * (VgsteffCV - 4.0 * T0c / 3.0)) -
                         2.0 * T0c * T0c * T0c / 15.0);
        } else {
          qsrc = -0.5 * (qgate + qbulk);
        }
      }
      qdrn = -(qgate + qbulk + qsrc);
      out.qinv = -val(qgate + qbulk);
    } else if (p.capMod == 2) {
      const T Qac0 = CoxWL * (Vfbeff - vfbzb);
      const double h = 0.5 * p.k1ox;
      const T t3 = Vgs_eff - Vfbeff - VbseffCV - VgsteffCV;
      const T t1 = p.k1ox == 0.0 ? T(0.0) : t3 < 0.0 ? h + t3 / p.k1ox : sqrt(h * h + t3);
      const T Qsub0 = CoxWL * p.k1ox * (t1 - h);
      const T VdsatCV = VgsteffCV / AbulkCV;
      const T V4 = VdsatCV - Vds - kDelta4;
      T VdseffCV = VdsatCV - 0.5 * (V4 + sqrt(V4 * V4 + 4.0 * kDelta4 * VdsatCV));
      if (Vds == 0.0 && !p.v31) zeroAtZeroVds(VdseffCV);
      const T T0c = AbulkCV * VdseffCV;
      const T T1c = 12.0 * (VgsteffCV - 0.5 * T0c + 1e-20);
      const T T3c = T0c * VdseffCV / T1c;
      qgate = CoxWL * (VgsteffCV - 0.5 * VdseffCV + T3c);
      qbulk = CoxWL * (1.0 - AbulkCV) * (0.5 * VdseffCV - T3c);
      out.qinv = -CoxWL * val(VgsteffCV - 0.5 * T0c + AbulkCV * T3c);
      if (p.xpart > 0.5) {
        const T t1x = T1c + T1c;
        qsrc = -CoxWL * (0.5 * VgsteffCV + 0.25 * T0c - T0c * T0c / t1x);
      } else if (p.xpart < 0.5) {
        const T t1x = T1c / 12.0;
        const T t2x = 0.5 * CoxWL / (t1x * t1x);
        const T t3x = VgsteffCV * (2.0 * T0c * T0c / 3.0 + VgsteffCV * (VgsteffCV - 4.0 * T0c / 3.0)) -
                           2.0 * T0c * T0c * T0c / 15.0;
        qsrc = -t2x * t3x;
      } else {
        qsrc = -0.5 * (qgate + qbulk);
      }
      qgate += Qac0 + Qsub0;
      qbulk -= Qac0 + Qsub0;
      qdrn = -(qgate + qbulk + qsrc);
    } else {  // charge thickness model
      const double Cox = p.cox;
      double Tox = 1.0e8 * p.tox;
      const T tmp = (Vgs_eff - VbseffCV - vfbzb) / Tox * p.acde;
      T Tcen = tmp <= -kExpThreshold ? T(p.ldeb * kMinExp)
               : tmp >= kExpThreshold ? T(p.ldeb * kMaxExp)
                                      : p.ldeb * exp(tmp);
      const double LINK = 1.0e-3 * p.tox;
      V3 = p.ldeb - Tcen - LINK;
      const T V4 = sqrt(V3 * V3 + 4.0 * LINK * p.ldeb);
      Tcen = p.ldeb - 0.5 * (V3 + V4);
      T Ccen = kEpsSi / Tcen;
      T Coxeff = Cox / (Cox + Ccen) * Ccen;
      T CoxWLcen = CoxWL * Coxeff / Cox;
      const T Qac0 = CoxWLcen * (Vfbeff - vfbzb);
      const double h = 0.5 * p.k1ox;
      const T t3 = Vgs_eff - Vfbeff - VbseffCV - VgsteffCV;
      const T t1 = p.k1ox == 0.0 ? T(0.0) : t3 < 0.0 ? h + t3 / p.k1ox : sqrt(h * h + t3);
      const T Qsub0 = CoxWLcen * p.k1ox * (t1 - h);
      double Denom, tdp;
      if (p.k1ox <= 0.0) {
        Denom = 0.25 * p.moin * Vtm;
        tdp = 0.5 * p.sqrtPhi;
      } else {
        Denom = p.moin * Vtm * p.k1ox * p.k1ox;
        tdp = p.k1ox * p.sqrtPhi;
      }
      const T DeltaPhi = Vtm * log(1.0 + (2.0 * tdp + VgsteffCV) * VgsteffCV / Denom);
      const T tv = VgsteffCV - DeltaPhi - 0.001;
      const T VgDP = 0.5 * (tv + sqrt(tv * tv + VgsteffCV * 0.004));
      const T t3v = 4.0 * (Vth - vfbzb - p.phi);
      Tox += Tox;
      const T t0v = t3v >= 0.0 ? (VgsteffCV + t3v) / Tox : (VgsteffCV + 1.0e-20) / Tox;
      Tcen = 1.9e-9 / (1.0 + exp(0.7 * log(t0v)));
      Ccen = kEpsSi / Tcen;
      Coxeff = Cox / (Cox + Ccen) * Ccen;
      CoxWLcen = CoxWL * Coxeff / Cox;
      const T VdsatCV = VgDP / AbulkCV;
      const T a0 = VdsatCV - Vds - kDelta4;
      const T a1 = sqrt(a0 * a0 + 4.0 * kDelta4 * VdsatCV);
      T VdseffCV = a0 >= 0.0 ? VdsatCV - 0.5 * (a0 + a1) : VdsatCV * (1.0 - (kDelta4 + kDelta4) / (a1 - a0));
      if (Vds == 0.0) zeroAtZeroVds(VdseffCV);
      const T T0c = AbulkCV * VdseffCV, T1c = VgDP;
      const T T2c = 12.0 * (T1c - 0.5 * T0c + 1.0e-20);
      const T T3c = T0c / T2c;
      qgate = CoxWLcen * (T1c - T0c * (0.5 - T3c));
      out.qinv = -val(qgate);
      qbulk = CoxWLcen * (1.0 - AbulkCV) * (0.5 * VdseffCV - T0c * VdseffCV / T2c);
      if (p.xpart > 0.5) {
        qsrc = -CoxWLcen * (T1c / 2.0 + T0c / 4.0 - 0.5 * T0c * T0c / T2c);
      } else if (p.xpart < 0.5) {
        const T t2x = T2c / 12.0;
        const T t3x = 0.5 * CoxWLcen / (t2x * t2x);
        const T t4x = T1c * (2.0 * T0c * T0c / 3.0 + T1c * (T1c - 4.0 * T0c / 3.0)) - 2.0 * T0c * T0c * T0c / 15.0;
        qsrc = -t3x * t4x;
      } else {
        qsrc = -0.5 * qgate;
      }
      qgate += Qac0 + Qsub0 - qbulk;
      qbulk -= Qac0 + Qsub0;
      qdrn = -(qgate + qbulk + qsrc);
    }
  }
  if (out.reverse) std::swap(qdrn, qsrc);  // the mode's drain is the source

  // overlaps and junctions, in the device's own frame
  const T qgdo = overlapCharge(p, vgd, p.cgdo, p.cgdl), qgso = overlapCharge(p, vgs, p.cgso, p.cgsl);
  const T qgbo = p.cgbo * vgb;
  const T qjd = junctionCharge(vbd, p.czbd, p.czbdsw, p.czbdswg, p);
  const T qjs = junctionCharge(vbs, p.czbs, p.czbssw, p.czbsswg, p);
  out.qjd = qjd;
  out.qjs = qjs;
  out.qgi = qgate;
  out.qdi = qdrn;
  out.qbi = qbulk;
  out.qg = qgate + qgdo + qgso + qgbo;
  out.qb = qbulk - qgbo + qjd + qjs;
  out.qd = qdrn - qgdo - qjd;
  (void)qsrc;
  return out;
}

}  // namespace

Point evaluate(const Inst& p, double vgs, double vds, double vbs, double gmin, bool charges) {
  return evaluateAt<double>(p, vgs, vds, vbs, gmin, charges);
}

PointSlopes evaluateSlopes(const Inst& p, double vgs, double vds, double vbs, double gmin) {
  F g(vgs), d(vds), b(vbs);
  g.d[0] = d.d[1] = b.d[2] = 1.0;
  return evaluateAt<F>(p, g, d, b, gmin, true);
}

}  // namespace simcore::dev::bsim3
