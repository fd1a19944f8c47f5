// BSIM4.8 model equations at one bias point: threshold with short-channel,
// narrow-width, DIBL, pocket-implant and body effects; poly depletion;
// mobility (MOBMOD 0-6); velocity saturation and overshoot; Vdsat/Vdseff;
// output resistance (CLM, DIBL, DITS, SCBE, PVAG); internal RDS (RDSMOD 0);
// substrate current; GIDL/GISL; gate tunnelling (IGCMOD, IGBMOD); junction
// diodes (DIOMOD 0-2) with trap-assisted tunnelling; charges (CAPMOD 0-2
// with XPART), overlaps and junction capacitances. Size and temperature:
// bsim4_setup.cpp. Each function is a template on its number type: double,
// and semi::Fwd for the device's Jacobian (exact derivatives of the same
// values; branches follow the values).
#include <algorithm>
#include <cmath>

#include "devices/bsim4_constants.hpp"
#include "devices/bsim4_model.hpp"

namespace simcore::dev::bsim4 {
namespace {

// The number types the equations are written on: double, and Fwd<N> whose
// partials follow the value of the branch taken (conditions compare val();
// fwd_number.hpp has Fwd's exp, log, sqrt and a quotient rounded as double's).
using semi::Fwd;
using semi::val;
inline double exp(double x) { return std::exp(x); }
inline double log(double x) { return std::log(x); }
inline double sqrt(double x) { return std::sqrt(x); }

// BSIM4's effective gate overdrive, smooth from subthreshold to strong inversion, for
// the slope factor mstar and offset voffcbn (the I-V model's MINV, VOFFL; CVCHARGEMOD 1's
// MINVCV, VOFFCVL).
template <class R>
R smoothVgst(const Inst& p, const R& n, double Vtm, const R& Vgst, double mstar, double voffcbn) {
  const R t0 = n * Vtm;
  R t1 = mstar * Vgst;
  R t2 = t1 / t0;
  R t10;
  if (val(t2) > kExpThreshold) t10 = t1;
  else if (val(t2) < -kExpThreshold) t10 = Vtm * log(1.0 + kMinExp) * n;
  else t10 = n * Vtm * log(1.0 + exp(t2));
  t1 = voffcbn - (1.0 - mstar) * Vgst;
  t2 = t1 / t0;
  R t9;
  if (val(t2) < -kExpThreshold) t9 = mstar + p.coxe * kMinExp / p.cdep0 * n;
  else if (val(t2) > kExpThreshold) t9 = mstar + p.coxe * kMaxExp / p.cdep0 * n;
  else t9 = mstar + n * p.coxe / p.cdep0 * exp(t2);
  return t10 / t9;
}

// BSIM4 sets Vdseff (VdseffCV) to 0 at Vds = 0 and its slopes in Vgs and Vbs to 0,
// but keeps its slope in Vds (b4ld.c): the channel conductance gds there is the
// linear region's, not 0. The slopes along the variables Vds moves with are kept.
inline double zeroKeepingVdsSlope(double, double) { return 0.0; }
template <int N>
semi::Fwd<N> zeroKeepingVdsSlope(const semi::Fwd<N>& x, const semi::Fwd<N>& vds) {
  semi::Fwd<N> r(0.0);
  for (int k = 0; k < N; ++k) r.d[k] = vds.d[k] != 0.0 ? x.d[k] : 0.0;
  return r;
}

// The variable along which Vbs moves with Vgs and Vds held (found from their own slopes:
// in the reverse mode those of vgd, -vds and vbd); -1 for plain numbers.
inline int vbsVariable(double, double, double) { return -1; }
template <int N>
int vbsVariable(const semi::Fwd<N>& vgs, const semi::Fwd<N>& vds, const semi::Fwd<N>& vbs) {
  for (int k = 0; k < N; ++k)
    if (vbs.d[k] != 0.0 && vgs.d[k] == 0.0 && vds.d[k] == 0.0) return k;
  return -1;
}
// x's partial in Vbs with Vgs and Vds held (for an x of Vbs alone, AbulkCV), and adding s to it
inline double partialInVbs(double, int, double) { return 0.0; }
template <int N>
double partialInVbs(const semi::Fwd<N>& x, int k, const semi::Fwd<N>& vbs) {
  return k < 0 ? 0.0 : x.d[k] / vbs.d[k];
}
inline void addVbsPartial(double&, int, double, double) {}
template <int N>
void addVbsPartial(semi::Fwd<N>& x, int k, const semi::Fwd<N>& vbs, double s) {
  if (k >= 0) x.d[k] += s / vbs.d[k];
}

template <class R>
R dexp(const R& x) {
  if (val(x) > kExpThreshold) return kMaxExp * (1.0 + x - kExpThreshold);
  if (val(x) < -kExpThreshold) return kMinExp;
  return exp(x);
}

// exp(x) clipped to BSIM4's range (no linear continuation).
template <class R>
R clipExp(const R& x) {
  if (val(x) > kExpThreshold) return kMaxExp;
  if (val(x) < -kExpThreshold) return kMinExp;
  return exp(x);
}

// Junction current from b into the diffusion at v (DIOMOD 0-2, TAT).
template <class R>
R junctionCurrent(const Inst& p, const Junction& j, const R& v, double gmin) {
  R i;
  if (j.isat <= 0.0) {
    i = gmin * v;
  } else if (p.dioMod == 0) {
    const R ev = exp(v / j.nvtm);
    const R t1 = j.xjbv * exp(-(j.bv + v) / j.nvtm);
    i = j.isat * (ev + j.xExpBV - t1 - 1.0) + gmin * v;
  } else if (p.dioMod == 1) {
    const R t2 = v / j.nvtm;
    if (val(t2) < -kExpThreshold) i = j.isat * (kMinExp - 1.0) + gmin * v;
    else if (val(v) <= j.vjmFwd) i = j.isat * (exp(t2) - 1.0) + gmin * v;
    else i = j.ivjmFwd - j.isat + j.ivjmFwd / j.nvtm * (v - j.vjmFwd) + gmin * v;
  } else {
    if (val(v) < j.vjmRev) {
      const R t0 = v / j.nvtm;
      const R ev = val(t0) < -kExpThreshold ? R(kMinExp) : exp(t0);
      i = (ev - 1.0) * (j.ivjmRev + j.slpRev * (v - j.vjmRev)) + gmin * v;
    } else if (val(v) <= j.vjmFwd) {
      const R t0 = v / j.nvtm;
      const R ev = val(t0) < -kExpThreshold ? R(kMinExp) : exp(t0);
      const R t1 = (j.bv + v) / j.nvtm;
      const R t2 = val(t1) > kExpThreshold ? R(kMinExp) : exp(-t1);
      i = j.isat * (ev + j.xExpBV - 1.0 - j.xjbv * t2) + gmin * v;
    } else {
      i = j.ivjmFwd + j.slpFwd * (v - j.vjmFwd) + gmin * v;
    }
  }
  // trap-assisted tunnelling and recombination in reverse bias
  for (int k = 0; k < 3; ++k) {
    R x;
    if (j.vts[k] - val(v) < j.vts[k] * 1e-3) x = -v / j.nvtmr[k] * 1.0e3;
    else x = -v / j.nvtmr[k] * j.vts[k] / (j.vts[k] - v);
    i = i - j.revSat[k] * (dexp(x) - 1.0);
  }
  return i;
}

// Depletion charge of one junction at v.
template <class R>
R junctionCharge(const Junction& j, const R& v) {
  if (val(v) == 0.0) return v * (j.cz[0] + j.cz[1] + j.cz[2]);  // zero, with the zero-bias capacitance as slope
  if (val(v) < 0.0) {
    R q = 0.0;
    for (int k = 0; k < 3; ++k) {
      if (j.cz[k] <= 0.0) continue;
      const R arg = 1.0 - v / j.pb[k];
      const R sarg = j.mj[k] == 0.5 ? 1.0 / sqrt(arg) : exp(-j.mj[k] * log(arg));
      q = q + j.pb[k] * j.cz[k] * (1.0 - arg * sarg) / (1.0 - j.mj[k]);
    }
    return q;
  }
  const double t0 = j.cz[0] + j.cz[1] + j.cz[2];
  const R t1 = v * (j.cz[0] * j.mj[0] / j.pb[0] + j.cz[1] * j.mj[1] / j.pb[1] + j.cz[2] * j.mj[2] / j.pb[2]);
  return v * (t0 + 0.5 * t1);
}

template <class R>
R polyDepletion(double phi, double ngate, double epsgate, double coxe, const R& vgs) {
  if (ngate > 1.0e18 && ngate < 1.0e25 && val(vgs) > phi && epsgate != 0) {
    const double t1 = 1.0e6 * kCharge * epsgate * ngate / (coxe * coxe);
    const R t8 = vgs - phi;
    const R t4 = sqrt(1.0 + 2.0 * t8 / t1);
    const R t2 = 2.0 * t8 / (t4 + 1.0);
    const R t3 = 0.5 * t2 * t2 / t1;
    const R t7 = 1.12 - t3 - 0.05;
    const R t6 = sqrt(t7 * t7 + 0.224);
    const R t5 = 1.12 - 0.5 * (t7 + t6);
    return vgs - t5;
  }
  return vgs;
}

// Overlap charge of one side (CAPMOD 0: linear; 1, 2: bias-dependent) at v.
template <class R>
R overlapCharge(const Inst& p, const R& v, double co, double cl, double ckappa) {
  if (p.capMod == 0) return co * v;
  const R t0 = v + kDelta1, t1 = sqrt(t0 * t0 + 4.0 * kDelta1), t2 = 0.5 * (t0 - t1);
  const double t3 = p.weffCV * cl * p.nf;
  const R t4 = sqrt(1.0 - 4.0 * t2 / ckappa);
  return (co + t3) * v - t3 * (t2 + 0.5 * ckappa * (t4 - 1.0));
}

// The GIDL (or GISL) current of one side: vds from the diffusion to the
// other side, vgs_eff the gate over the diffusion, vbd the body to the diffusion.
template <class R>
R gidl(const Inst& p, const R& vds, const R& vgse, const R& vbd, double a, double b, double c, double e, double r,
       double k, double f) {
  const double t0 = p.gidlTox;  // 3 TOXE; MTRLMOD 1: EPSRSUB EOT / 3.9, and the metal gate's flat band
  if (p.gidlMod == 0) {
    const R t1 = (vds - vgse - e + p.gidlVfb) / t0;
    if (a <= 0.0 || b <= 0.0 || val(t1) <= 0.0 || c <= 0.0 || val(vbd) > 0.0) return 0.0;
    const R t2 = b / t1;
    const R i = val(t2) < 100.0 ? a * p.weffCJ * t1 * exp(-t2) : a * p.weffCJ * kMinExpL * t1;
    const R t5 = -vbd * vbd * vbd;
    return i * t5 / (c + t5);
  }
  const R t1 = (vds - r * vgse - e + p.gidlVfb) / t0;
  if (a <= 0.0 || b <= 0.0 || val(t1) <= 0.0 || c < 0.0) return 0.0;
  const R t2 = b / t1;
  const R i = val(t2) < kExpLThreshold ? p.weffCJ * a * t1 * exp(-t2) : p.weffCJ * a * kMinExpL * t1;
  const R t4 = vbd - f;
  const R t5 = val(t4) == 0.0 ? R(kExpLThreshold) : k / t4;
  return i * (val(t5) < kExpLThreshold ? exp(t5) : R(kMaxExpL));
}

// softplus of the gate tunnelling models: t0 ln(1 + exp(v/t0)) with guards.
template <class R>
R vaux(const R& v, double t0) {
  const R x = v / t0;
  if (val(x) > kExpThreshold) return v;
  if (val(x) < -kExpThreshold) return t0 * std::log(1.0 + kMinExp);
  return t0 * log(1.0 + exp(x));
}

}  // namespace

template <class R>
PointT<R> evaluateT(const Inst& p, R vgs, R vds, R vbs, bool charges) {
  PointT<R> out;
  const R vbd = vbs - vds, vgd = vgs - vds;

  out.reverse = val(vds) < 0.0;
  const R Vds = out.reverse ? -vds : vds, Vbs = out.reverse ? vbd : vbs;
  const double toxe = p.toxe, epssub = p.epssub;

  R T0 = Vbs - p.vbsc - 0.001;
  R T1 = sqrt(T0 * T0 - 0.004 * p.vbsc);
  R Vbseff = val(T0) >= 0.0 ? p.vbsc + 0.5 * (T0 + T1) : p.vbsc * (1.0 + (-0.002 / (T1 - T0)));
  {
    const double T9 = 0.95 * p.phi;
    T0 = T9 - Vbseff - 0.001;
    T1 = sqrt(T0 * T0 + 0.004 * T9);
    Vbseff = T9 - 0.5 * (T0 + T1);
  }
  const R Phis = p.phi - Vbseff, sqrtPhis = sqrt(Phis);
  const R Xdep = p.xdep0 * sqrtPhis / p.sqrtPhi;
  const double Leff = p.leff, Vtm = p.vtm;

  // threshold
  const R sqrtXdep = sqrt(Xdep);
  const double V0 = p.vbi - p.phi;
  auto smoothOnePlus = [](const R& t) -> R {
    return val(t) >= -0.5 ? 1.0 + t : (1.0 + 3.0 * t) / (3.0 + 8.0 * t);
  };
  const R lt1 = p.factor1 * sqrtXdep * smoothOnePlus(p.dvt2 * Vbseff);
  const R ltw = p.factor1 * sqrtXdep * smoothOnePlus(p.dvt2w * Vbseff);
  auto rollOff = [](const R& x) -> R {
    if (val(x) < kExpThreshold) {
      const R t1 = exp(x), t2 = t1 - 1.0;
      return t1 / (t2 * t2 + 2.0 * t1 * kMinExp);
    }
    return 1.0 / (kMaxExp - 2.0);
  };
  const R Theta0 = rollOff(p.dvt1 * Leff / lt1);
  const R Delt_vth = p.dvt0 * Theta0 * V0;
  const R T2w = p.dvt0w * rollOff(p.dvt1w * p.weff * Leff / ltw) * V0;
  const double TempRatio = p.tempRatio;
  const double T0c = std::sqrt(1.0 + p.lpe0 / Leff);
  T1 = p.k1ox * (T0c - 1.0) * p.sqrtPhi + (p.kt1 + p.kt1l / Leff + p.kt2 * Vbseff) * TempRatio;
  const double Vth_NarrowW = toxe * p.phi / (p.weff + p.w0);
  R T3 = p.eta0 + p.etab * Vbseff;
  if (val(T3) < 1.0e-4) T3 = (2.0e-4 - T3) / (3.0 - 2.0e4 * T3);
  const R DIBL_Sft = T3 * p.theta0vb0 * Vds;
  const double Lpe_Vb = std::sqrt(1.0 + p.lpeb / Leff);
  R Vth = p.type * p.vth0 + (p.k1ox * sqrtPhis - p.k1 * p.sqrtPhi) * Lpe_Vb - p.k2ox * Vbseff - Delt_vth -
               T2w + (p.k3 + p.k3b * Vbseff) * Vth_NarrowW + T1 - DIBL_Sft;

  // subthreshold swing
  const R tmp1n = epssub / Xdep;
  out.nstar = Vtm / kQ * (p.coxe + tmp1n + p.cit);
  const R tmp2n = p.nfactor * tmp1n;
  const R tmp3n = p.cdsc + p.cdscb * Vbseff + p.cdscd * Vds;
  const R tmp4n = (tmp2n + tmp3n * Theta0 + p.cit) / p.coxe;
  const R n = smoothOnePlus(tmp4n);

  // pocket implant
  if (p.dvtp0 > 0.0) {
    const R e = val(-p.dvtp1 * Vds) < -kExpThreshold ? R(kMinExp) : exp(-p.dvtp1 * Vds);
    const R t3 = Leff + p.dvtp0 * (1.0 + e);
    Vth = Vth - n * (p.tempMod < 2 ? Vtm : p.vtm0) * log(Leff / t3);
  }
  // DITS
  if (p.dvtp4 != 0.0 && p.dvtp2factor != 0.0) {
    const R e = dexp(2.0 * p.dvtp4 * Vds);
    Vth = Vth - p.dvtp2factor * (e - 1.0) / (e + 1.0);
  }

  out.vth = Vth;

  // poly depletion (terminal frame), then the mode's
  const double phiPoly = p.vfb + p.phi;
  const R vgs_eff = polyDepletion(phiPoly, p.ngate, p.epsgate, p.coxe, vgs);
  const R vgd_eff = polyDepletion(phiPoly, p.ngate, p.epsgate, p.coxe, vgd);
  const R Vgs_eff = out.reverse ? vgd_eff : vgs_eff;
  const R Vgst = Vgs_eff - Vth;

  // Vgsteff
  const R Vgsteff = smoothVgst(p, n, Vtm, Vgst, p.mstar, p.voffcbn);
  out.vgsteff = Vgsteff;

  // effective width and Rds
  const R T9s = sqrtPhis - p.sqrtPhi;
  R Weff = p.weff - 2.0 * (p.dwg * Vgsteff + p.dwb * T9s);
  if (val(Weff) < 2.0e-8) Weff = 2.0e-8 * (4.0e-8 - Weff) / (6.0e-8 - 2.0 * Weff);
  R Rds = 0.0;
  if (p.rdsMod == 0) {
    const R t0 = 1.0 + p.prwg * Vgsteff;
    const R t1 = p.prwb * T9s;
    const R t2 = 1.0 / t0 + t1;
    const R t3 = t2 + sqrt(t2 * t2 + 0.01);
    Rds = p.rdswmin + t3 * p.rds0 * 0.5;
  }
  out.rds = Rds;

  // Abulk
  R Abulk, Abulk0;
  {
    const R t9 = 0.5 * p.k1ox * Lpe_Vb / sqrtPhis;
    const R t1 = t9 + p.k2ox - p.k3b * Vth_NarrowW;
    const R t9b = sqrt(p.xj * Xdep);
    const R tmp1 = Leff + 2.0 * t9b;
    const R t5 = Leff / tmp1;
    const R tmp2 = p.a0 * t5;
    const double tmp3 = p.weff + p.b1;
    const double tmp4 = p.b0 / tmp3;
    const R t2 = tmp2 + tmp4;
    const R t7 = t5 * t5 * t5;
    Abulk0 = 1.0 + t1 * t2;
    const R t8 = p.ags * p.a0 * t7;
    const R dAbulk_dVg = -t1 * t8;
    Abulk = Abulk0 + dAbulk_dVg * Vgsteff;
    if (val(Abulk0) < 0.1) Abulk0 = (0.2 - Abulk0) / (3.0 - 20.0 * Abulk0);
    if (val(Abulk) < 0.1) Abulk = (0.2 - Abulk) / (3.0 - 20.0 * Abulk);
    const R t2k = p.keta * Vbseff;
    const R t0k = val(t2k) >= -0.9 ? 1.0 / (1.0 + t2k) : (17.0 + 20.0 * t2k) / (0.8 + t2k);
    Abulk = Abulk * t0k;
    Abulk0 = Abulk0 * t0k;
  }
  out.abulk = Abulk;

  // mobility
  R T5;
  {
    // UD toxe² Vth² / (Vgsteff + 2 sqrt(Vth² + 1e-4))² (BSIM4.5: + 2 Vth)
    const R t10 = toxe * (p.v45 ? 1.0 / (Vgsteff + Vth + Vth) : 1.0 / (Vgsteff + 2 * sqrt(Vth * Vth + 0.0001)));
    const R t6 = p.ud * t10 * t10 * Vth * Vth;
    if (p.mobMod == 0) {
      const R t0 = Vgsteff + Vth + Vth - p.mobT14;
      const R t2 = p.ua + p.uc * Vbseff;
      const R t3 = t0 / toxe;
      T5 = t3 * (t2 + p.ub * t3) + t6;
    } else if (p.mobMod == 1) {
      const R t0 = Vgsteff + Vth + Vth - p.mobT14;
      const R t2 = 1.0 + p.uc * Vbseff;
      const R t3 = t0 / toxe;
      const R t4 = t3 * (p.ua + p.ub * t3);
      T5 = t4 * t2 + t6;
    } else if (p.mobMod == 2) {
      const R t0 = (Vgsteff + p.vtfbphi1) / toxe;
      const R t1 = exp(p.eu * log(t0));
      const R t2 = p.ua + p.uc * Vbseff;
      T5 = t1 * t2 + t6;
    } else if (p.mobMod == 3) {
      // universal mobility with Coulomb scattering (UCS) of high-k stacks
      const R t0 = (Vgsteff + p.vtfbphi1) * 1.0e-8 / toxe / 6.0;
      const R t1 = exp(p.eu * log(t0));
      const R t2 = p.ua + p.uc * Vbseff;
      const R t10 = exp(p.ucs * log(0.5 + 0.5 * Vgsteff / p.vgsteffVth));
      T5 = t1 * t2 + p.ud / t10;
    } else {
      // MOBMOD 4-6: MOBMOD 0-2 with VTFBPHI1 in place of the threshold
      const double vt = p.vtfbphi1;
      const double t12b = std::sqrt(vt * vt + 0.0001);
      const R t10b = toxe / (Vgsteff + 2 * t12b);
      const R t6b = p.ud * t10b * t10b * vt * vt;
      if (p.mobMod == 4) {
        const R t3 = (Vgsteff + vt - p.mobT14) / toxe;
        T5 = t3 * (p.ua + p.uc * Vbseff + p.ub * t3) + t6b;
      } else if (p.mobMod == 5) {
        const R t3 = (Vgsteff + vt - p.mobT14) / toxe;
        T5 = t3 * (p.ua + p.ub * t3) * (1.0 + p.uc * Vbseff) + t6b;
      } else {
        const R t1 = exp(p.eu * log((Vgsteff + vt) / toxe));
        T5 = t1 * (p.ua + p.uc * Vbseff) + t6b;
      }
    }
  }
  const R Denomi = val(T5) >= -0.8 ? 1.0 + T5 : (0.6 + T5) / (7.0 + 10.0 * T5);
  const R ueff = p.u0temp / Denomi;
  out.ueff = ueff;

  // Vdsat
  const R WVCox = Weff * p.vsattemp * p.coxe;
  const R WVCoxRds = WVCox * Rds;
  R Esat = 2.0 * p.vsattemp / ueff;
  R EsatL = Esat * Leff;
  R Lambda;
  if (p.a1 == 0.0) {
    Lambda = p.a2;
  } else if (p.a1 > 0.0) {
    const double t0 = 1.0 - p.a2;
    const R t1 = t0 - p.a1 * Vgsteff - 0.0001;
    const R t2 = sqrt(t1 * t1 + 0.0004 * t0);
    Lambda = p.a2 + t0 - 0.5 * (t1 + t2);
  } else {
    const R t1 = p.a2 + p.a1 * Vgsteff - 0.0001;
    const R t2 = sqrt(t1 * t1 + 0.0004 * p.a2);
    Lambda = 0.5 * (t1 + t2);
  }
  const R Vgst2Vtm = Vgsteff + 2.0 * Vtm;
  R Vdsat;
  if (val(Rds) == 0.0 && val(Lambda) == 1.0) {
    Vdsat = EsatL * Vgst2Vtm / (Abulk * EsatL + Vgst2Vtm);
  } else {
    const R t9 = Abulk * WVCoxRds;
    const R t7 = Vgst2Vtm * t9;
    const R t6 = Vgst2Vtm * WVCoxRds;
    const R t0 = 2.0 * Abulk * (t9 - 1.0 + 1.0 / Lambda);
    const R t1 = Vgst2Vtm * (2.0 / Lambda - 1.0) + Abulk * EsatL + 3.0 * t7;
    const R t2 = Vgst2Vtm * (EsatL + 2.0 * t6);
    const R t3 = sqrt(t1 * t1 - 2.0 * t0 * t2);
    Vdsat = (t1 - t3) / t0;
  }
  out.vdsat = Vdsat;

  // Vdseff
  R Vdseff;
  {
    const R t1 = Vdsat - Vds - p.delta;
    const R t2 = sqrt(t1 * t1 + 4.0 * p.delta * Vdsat);
    if (val(t1) >= 0.0) Vdseff = Vdsat - 0.5 * (t1 + t2);
    else Vdseff = Vdsat * (1.0 - 2.0 * p.delta / (t2 - t1));
    if (val(Vds) == 0.0) Vdseff = zeroKeepingVdsSlope(Vdseff, Vds);
    if (val(Vdseff) > val(Vds)) Vdseff = Vds;
  }
  const R diffVds = Vds - Vdseff;
  out.vdseff = Vdseff;

  // velocity overshoot
  if (p.lambda > 0.0) {
    const R t1 = Leff * ueff;
    const R t2 = p.lambda / t1;
    const R t5 = 1.0 / (Esat * p.litl);
    const R t6 = 1.0 + diffVds * t5;
    const R t7 = 2.0 / (t6 * t6 + 1.0);
    const R t8 = 1.0 - t7;
    const R t10 = 1.0 + t2 * t8;
    EsatL = EsatL * t10;

    Esat = EsatL / Leff;
  }
  out.esatL = EsatL;

  // Vasat
  R Vasat;
  {
    const R tmp4 = 1.0 - 0.5 * Abulk * Vdsat / Vgst2Vtm;
    const R t9 = WVCoxRds * Vgsteff;
    const R t0 = EsatL + Vdsat + 2.0 * t9 * tmp4;
    const R t1 = 2.0 / Lambda - 1.0 + WVCoxRds * Abulk;
    Vasat = t0 / t1;
  }

  // Idl with the charge-centroid oxide capacitance
  R Coxeff, beta, gche, Idl;
  {
    const R t0 = (Vgsteff + p.vtfbphi2) / (2.0e8 * p.toxp);
    const R tmp3 = exp(p.bdos * 0.7 * log(t0));
    const R Tcen = p.ados * 1.9e-9 / (1.0 + tmp3);
    Coxeff = epssub * p.coxp / (epssub + p.coxp * Tcen);
    const R CoxeffWovL = Coxeff * Weff / Leff;
    beta = ueff * CoxeffWovL;
    const R fgche1 = Vgsteff * (1.0 - 0.5 * Vdseff * Abulk / Vgst2Vtm);
    const R fgche2 = 1.0 + Vdseff / EsatL;
    gche = beta * fgche1 / fgche2;
    Idl = gche / (1.0 + gche * Rds);
  }
  out.coxeff = Coxeff;

  // pocket-implant degradation, PVAG
  const R FP = p.fprout <= 0.0 ? R(1.0) : 1.0 / (1.0 + p.fprout * std::sqrt(Leff) / Vgst2Vtm);
  R PvagTerm;
  {
    const R t9 = p.pvag / EsatL * Vgsteff;
    PvagTerm = val(t9) > -0.9 ? 1.0 + t9 : (0.8 + t9) / (17.0 + 20.0 * t9);
  }
  // VACLM
  R VACLM, Cclm;
  if (p.pclm > kMinExp && val(diffVds) > 1.0e-10) {
    const R t0 = 1.0 + Rds * Idl;
    const R t1 = Leff + Vdsat / Esat;
    Cclm = FP * PvagTerm * t0 * t1 / (p.pclm * p.litl);
    VACLM = Cclm * diffVds;
  } else {
    VACLM = Cclm = kMaxExp;
  }
  // VADIBL
  R VADIBL;
  if (p.thetaRout > kMinExp) {
    const R t8 = Abulk * Vdsat;
    const R t0 = Vgst2Vtm * t8;
    const R t1 = Vgst2Vtm + t8;
    VADIBL = (Vgst2Vtm - t0 / t1) / p.thetaRout;
    const R t7 = p.pdiblb * Vbseff;
    VADIBL = VADIBL * (val(t7) >= -0.9 ? 1.0 / (1.0 + t7) : (17.0 + 20.0 * t7) / (0.8 + t7));
    VADIBL = VADIBL * PvagTerm;
  } else {
    VADIBL = kMaxExp;
  }
  const R Va = Vasat + VACLM;
  // VADITS
  R VADITS;
  {
    const R t0 = p.pditsd * Vds;
    const R t1 = val(t0) > kExpThreshold ? R(kMaxExp) : exp(t0);
    if (p.pdits > kMinExp) {
      const double t2 = 1.0 + p.pditsl * Leff;
      VADITS = (1.0 + t2 * t1) / p.pdits * FP;
    } else {
      VADITS = kMaxExp;
    }
  }
  // VASCBE
  R VASCBE;
  if (p.pscbe2 > 0.0 && p.pscbe1 >= 0.0) {
    if (val(diffVds) > p.pscbe1 * p.litl / kExpThreshold) VASCBE = Leff * exp(p.pscbe1 * p.litl / diffVds) / p.pscbe2;
    else VASCBE = kMaxExp * Leff / p.pscbe2;
  } else {
    VASCBE = kMaxExp;
  }
  R Idsa = Idl * (1.0 + diffVds / VADIBL);
  Idsa = Idsa * (1.0 + diffVds / VADITS);
  Idsa = Idsa * (1.0 + log(Va / Vasat) / Cclm);

  // substrate current
  R Isub = 0.0;
  {
    const double tmp = p.alpha0 + p.alpha1 * Leff;
    if (tmp > 0.0 && p.beta0 > 0.0) {
      const double t2 = tmp / Leff;
      R t1;
      if (val(diffVds) > p.beta0 / kExpThreshold) t1 = t2 * diffVds * exp(-p.beta0 / diffVds);
      else t1 = t2 * kMinExp * diffVds;
      Isub = t1 * Idsa * Vdseff;
    }
  }
  const R Ids = Idsa * (1.0 + diffVds / VASCBE);
  R cdrain = Ids * Vdseff;
  out.idovvds = (val(Ids) < 1.0e-9 ? R(1.0e-9) : Ids) * p.nf;

  // RGATEMOD 2: the intrinsic input conductance XRCRG1 (XRCRG2 kT/q beta + Ids/Vdseff)
  if (p.rgateMod >= 2) {
    const R g = p.xrcrg1 * (p.xrcrg2 * Vtm * beta + Ids) * p.nf;
    out.gcrg = p.rgateMod == 2 ? p.grgeltd * g / (p.grgeltd + g) : g;
  }

  // source-end velocity limit
  if (p.vtl > 0.0) {
    const R CoxeffWovL = Coxeff * Weff / Leff;
    const R t12 = 1.0 / Leff / CoxeffWovL;
    const R t11 = t12 / Vgsteff;
    const R vs = cdrain * t11;
    const double t0 = 2 * kSmoothMM;
    const R t1 = vs / (p.vtl * p.tfactor);
    if (val(t1) > 0.0) {
      const R t2 = 1.0 + exp(t0 * log(t1));
      cdrain = cdrain * (1.0 / exp(log(t2) / t0));
    }
  }

  // GIDL (drain) and GISL (source), terminal frame
  out.igidl = gidl(p, vds, vgs_eff, vbd, p.agidl, p.bgidl, p.cgidl, p.egidl, p.rgidl, p.kgidl, p.fgidl);
  out.igisl = gidl(p, -vds, vgd_eff, vbs, p.agisl, p.bgisl, p.cgisl, p.egisl, p.rgisl, p.kgisl, p.fgisl);

  // gate tunnelling
  R Igcs = 0, Igcd = 0, Igs = 0, Igd = 0, Igb = 0;
  if (p.igcMod != 0 || p.igbMod != 0) {
    const double Vfb = p.vfbzb;
    const R V3 = Vfb - Vgs_eff + Vbseff - kDelta3;
    const R t0 = Vfb <= 0.0 ? sqrt(V3 * V3 - 4.0 * kDelta3 * Vfb) : sqrt(V3 * V3 + 4.0 * kDelta3 * Vfb);
    const R Vfbeff = Vfb - 0.5 * (V3 + t0);
    R Voxacc = Vfb - Vfbeff;
    if (val(Voxacc) < 0.0) Voxacc = 0.0;
    const double t0k = 0.5 * p.k1ox;
    const R t3 = Vgs_eff - Vfbeff - Vbseff - Vgsteff;
    R Voxdepinv;
    if (p.k1ox == 0.0) Voxdepinv = 0.0;
    else if (val(t3) < 0.0) Voxdepinv = -t3;
    else Voxdepinv = p.k1ox * (sqrt(t0k * t0k + t3) - t0k);
    Voxdepinv = Voxdepinv + Vgsteff;
    const double vt = p.tempMod < 2 ? Vtm : p.vtm0;
    if (p.igcMod) {
      const double tn = vt * p.nigc;
      const R vx = p.igcMod == 1 ? Vgs_eff - p.type * p.vth0 : Vgs_eff - Vth;
      const R Vaux = vaux(vx, tn);
      const R t2 = Vgs_eff * Vaux;
      const double t3c = p.aigc * p.cigc - p.bigc, t4c = p.bigc * p.cigc;
      const R t5 = p.bechvb * (p.aigc + t3c * Voxdepinv - t4c * Voxdepinv * Voxdepinv);
      const R Igc = p.aechvb * t2 * clipExp(t5);
      R Pigcd;
      if (p.pigcdGiven) {
        Pigcd = p.pigcd;
      } else {
        const double t11 = p.pigcdNum;
        const R t12 = Vgsteff + 1.0e-20;
        const R t13 = t11 / t12 / t12;
        Pigcd = t13 * (1.0 - 0.5 * Vdseff / t12);
      }
      const R t7 = -Pigcd * Vdseff;
      const R t8 = t7 * t7 + 2.0e-4;
      const R t9 = clipExp(t7);
      Igcs = Igc * ((t9 - 1.0 + 1.0e-4) - t7) / t8;
      Igcd = Igc * (t7 * t9 - (t9 - 1.0 - 1.0e-4)) / t8;
      // edge tunnelling, terminal frame
      auto edge = [&](const R& v, double a, double b, double c, double aech) -> R {
        const R t0e = v - (p.vfbsd + p.vfbsdoff);
        const R ve = sqrt(t0e * t0e + 1.0e-4);
        const double t3e = a * c - b, t4e = b * c;
        const R t5e = p.bechvbEdge * (a + t3e * ve - t4e * ve * ve);
        return aech * v * ve * clipExp(t5e);
      };
      Igs = edge(vgs, p.aigs, p.bigs, p.cigs, p.aechvbEdgeS);
      Igd = edge(vgd, p.aigd, p.bigd, p.cigd, p.aechvbEdgeD);
    }
    if (p.igbMod) {
      const double tn = vt * p.nigbacc;
      const R t1 = -Vgs_eff + Vbseff + Vfb;
      R Vaux = vaux(t1, tn);
      R t2 = (Vgs_eff - Vbseff) * Vaux;
      double t11 = 4.97232e-7 * p.weff * p.leff * p.toxRatio;
      double t12 = -7.45669e11 * toxe;
      double t3b = p.aigbacc * p.cigbacc - p.bigbacc, t4b = p.bigbacc * p.cigbacc;
      R t5 = t12 * (p.aigbacc + t3b * Voxacc - t4b * Voxacc * Voxacc);
      const R Igbacc = t11 * t2 * clipExp(t5);
      const double tn2 = vt * p.nigbinv;
      Vaux = vaux(Voxdepinv - p.eigbinv, tn2);
      t2 = (Vgs_eff - Vbseff) * Vaux;
      t11 *= 0.75610;
      t12 *= 1.31724;
      t3b = p.aigbinv * p.cigbinv - p.bigbinv;
      t4b = p.bigbinv * p.cigbinv;
      t5 = t12 * (p.aigbinv + t3b * Voxdepinv - t4b * Voxdepinv * Voxdepinv);
      const R Igbinv = t11 * t2 * clipExp(t5);
      Igb = Igbinv + Igbacc;
    }
  }
  const double nf = p.nf;
  out.id = (out.reverse ? -cdrain : cdrain) * nf;
  out.isub = Isub * nf;
  out.igidl = out.igidl * nf;
  out.igisl = out.igisl * nf;
  // the channel part of the gate current goes to the mode's source and drain
  out.igs = (Igs + (out.reverse ? Igcd : Igcs)) * nf;
  out.igd = (Igd + (out.reverse ? Igcs : Igcd)) * nf;
  out.igb = Igb * nf;
  out.igsEdge = Igs * nf;
  out.igdEdge = Igd * nf;
  out.igcs = Igcs * nf;
  out.igcd = Igcd * nf;

  // inversion charge (thermal noise, TNOIMOD 0)
  {
    const R AbulkN = Abulk0 * p.abulkCVfactor;
    const R VdsatN = Vgsteff / AbulkN;
    const R t0 = VdsatN - Vds - kDelta4;
    const R t1 = sqrt(t0 * t0 + 4.0 * kDelta4 * VdsatN);
    R VdseffN = val(t0) >= 0.0 ? VdsatN - 0.5 * (t0 + t1) : VdsatN * (1.0 - (kDelta4 + kDelta4) / (t1 - t0));
    if (val(Vds) == 0.0) VdseffN = 0.0;
    const R a = AbulkN * VdseffN;
    const R t2 = VdseffN / (12.0 * (Vgsteff - 0.5 * a + 1.0e-20));
    out.qinv = Coxeff * p.weffCV * nf * p.leffCV * (Vgsteff - 0.5 * a + AbulkN * a * t2);
  }

  if (!charges) return out;

  // intrinsic charges in the mode's frame
  R qgate = 0, qbulk = 0, qdrn = 0, qsrc = 0;
  const double CoxWL = p.coxe * p.weffCV * p.leffCV * nf;

  if (p.xpart < 0) {
    // XPART < 0: BSIM4 computes no intrinsic charge (overlaps and junctions only)
  } else if (p.capMod == 0) {
    const R VbseffCV = val(Vbseff) < 0.0 ? Vbs : p.phi - Phis;
    const double Vfb = p.vfbcv;
    const R VthCV = Vfb + p.phi + p.k1ox * sqrtPhis;
    const R VgstCV = Vgs_eff - VthCV;
    const R Arg1 = Vgs_eff - VbseffCV - Vfb;
    if (val(Arg1) <= 0.0) {
      qgate = CoxWL * Arg1;
      qbulk = -qgate;
      qdrn = 0.0;
    } else if (val(VgstCV) <= 0.0) {
      const double t1 = 0.5 * p.k1ox;
      const R t2 = sqrt(t1 * t1 + Arg1);
      qgate = CoxWL * p.k1ox * (t2 - t1);
      qbulk = -qgate;
      qdrn = 0.0;
    } else {
      const double One_Third_CoxWL = CoxWL / 3.0, Two_Third_CoxWL = 2.0 * One_Third_CoxWL;
      const R AbulkCV = Abulk0 * p.abulkCVfactor;
      const R VdsatCV = VgstCV / AbulkCV;
      if (p.xpart > 0.5) {
        if (val(VdsatCV) <= val(Vds)) {
          qgate = CoxWL * (Vgs_eff - Vfb - p.phi - VdsatCV / 3.0);
          qbulk = -(qgate - Two_Third_CoxWL * VgstCV);
          qdrn = 0.0;
        } else {
          const R Alphaz = VgstCV / VdsatCV;
          const R t1 = 2.0 * VdsatCV - Vds, t2 = Vds / (3.0 * t1), t3 = t2 * Vds;
          const double t9 = 0.25 * CoxWL;
          const R t4 = t9 * Alphaz;
          const R t7 = 2.0 * Vds - t1 - 3.0 * t3, t8 = t3 - t1 - 2.0 * Vds;
          qgate = CoxWL * (Vgs_eff - Vfb - p.phi - 0.5 * (Vds - t3));
          const R t10 = t4 * t8;
          qdrn = t4 * t7;
          qbulk = -(qgate + qdrn + t10);
        }
      } else if (p.xpart < 0.5) {
        if (val(Vds) >= val(VdsatCV)) {
          qgate = CoxWL * (Vgs_eff - Vfb - p.phi - VdsatCV / 3.0);
          const R t2 = -Two_Third_CoxWL * VgstCV;
          qbulk = -(qgate + t2);
          qdrn = 0.4 * t2;
        } else {
          const R Alphaz = VgstCV / VdsatCV;
          const R t1 = 2.0 * VdsatCV - Vds, t2 = Vds / (3.0 * t1), t3 = t2 * Vds;
          const double t9 = 0.25 * CoxWL;
          const R t4 = t9 * Alphaz;
          qgate = CoxWL * (Vgs_eff - Vfb - p.phi - 0.5 * (Vds - t3));
          const R t6 = 8.0 * VdsatCV * VdsatCV - 6.0 * VdsatCV * Vds + 1.2 * Vds * Vds;
          const R t8 = t2 / t1;
          const R t7 = Vds - t1 - t8 * t6;
          qdrn = t4 * t7;
          const R t7b = 2.0 * (t1 + t3);
          qbulk = -(qgate - t4 * t7b);
        }
      } else {
        if (val(Vds) >= val(VdsatCV)) {
          qgate = CoxWL * (Vgs_eff - Vfb - p.phi - VdsatCV / 3.0);
          const R t2 = -Two_Third_CoxWL * VgstCV;
          qbulk = -(qgate + t2);
          qdrn = 0.5 * t2;
        } else {
          const R Alphaz = VgstCV / VdsatCV;
          const R t1 = 2.0 * VdsatCV - Vds, t2 = Vds / (3.0 * t1), t3 = t2 * Vds;
          const double t9 = 0.25 * CoxWL;
          const R t4 = t9 * Alphaz;
          qgate = CoxWL * (Vgs_eff - Vfb - p.phi - 0.5 * (Vds - t3));
          const R t7 = t1 + t3;
          qdrn = -t4 * t7;
          qbulk = -(qgate + qdrn + qdrn);
        }
      }
    }
    qsrc = -(qgate + qbulk + qdrn);
  } else {
    const R VbseffCV = val(Vbseff) < 0.0 ? Vbseff : p.phi - Phis;
    // Vgsteff of the C-V model (NOFF, VOFFCV)
    R VgsteffCV;
    if (p.cvchargeMod == 1) {
      // the Vgsteff of the I-V model with MINVCV, VOFFCVL
      VgsteffCV = smoothVgst(p, n, Vtm, Vgst, p.mstarcv, p.voffcbncv);
    } else {
      const R noff = n * p.noff;
      const R t0 = Vtm * noff;
      const R x = (Vgst - p.voffcv) / t0;
      if (val(x) > kExpThreshold) VgsteffCV = Vgst - p.voffcv;
      else if (val(x) < -kExpThreshold) VgsteffCV = t0 * log(1.0 + kMinExp);
      else VgsteffCV = t0 * log(1.0 + exp(x));
    }
    const double Vfb = p.vfbzb;
    const R V3 = Vfb - Vgs_eff + VbseffCV - kDelta3;
    const R t0v = Vfb <= 0.0 ? sqrt(V3 * V3 - 4.0 * kDelta3 * Vfb) : sqrt(V3 * V3 + 4.0 * kDelta3 * Vfb);
    const R Vfbeff = Vfb - 0.5 * (V3 + t0v);
    const R AbulkCV = Abulk0 * p.abulkCVfactor;
    auto vdseffCV = [&](const R& VdsatCV) -> R {
      const R t0 = VdsatCV - Vds - kDelta4;
      const R t1 = sqrt(t0 * t0 + 4.0 * kDelta4 * VdsatCV);
      R v = val(t0) >= 0.0 ? VdsatCV - 0.5 * (t0 + t1) : VdsatCV * (1.0 - (kDelta4 + kDelta4) / (t1 - t0));
      if (p.v45 && val(t0) < 0.0) {
        // BSIM4.5's slope of VdseffCV in Vbs below VdsatCV (b4v5ld.c, capmod 1 and 2):
        // dT0_dVb (1 - T5) where 4.8 has dT0_dVb (T4 - T5), T4 = 1 - T3; dT0_dVb with the
        // gate overdrive held is -VdsatCV dAbulkCV_dVb / AbulkCV. It changes the
        // capacitances (Cgb, Cbb, Csb, and so the AC response), not the charges.
        const double t3 = (kDelta4 + kDelta4) / val(t1 - t0);
        const int k = vbsVariable(out.reverse ? vgd : vgs, Vds, Vbs);
        const double dAbulkDvb = partialInVbs(AbulkCV, k, Vbs);
        addVbsPartial(v, k, Vbs, t3 * (-val(VdsatCV) * dAbulkDvb / val(AbulkCV)));
      }
      if (val(Vds) == 0.0) v = zeroKeepingVdsSlope(v, Vds);
      return v;
    };
    // depletion charge under the gate for a given C (CoxWL or CoxWLcen)
    auto qsub0 = [&](const R& cwl) -> R {
      const double t0 = 0.5 * p.k1ox;
      const R t3 = Vgs_eff - Vfbeff - VbseffCV - VgsteffCV;
      R t1;
      if (p.k1ox == 0.0) t1 = 0.0;
      else if (val(t3) < 0.0) t1 = t0 + t3 / p.k1ox;
      else t1 = sqrt(t0 * t0 + t3);
      return cwl * p.k1ox * (t1 - t0);
    };
    if (p.capMod == 1) {
      const R Qac0 = CoxWL * (Vfbeff - Vfb);
      const R Qsub0 = qsub0(CoxWL);
      const R VdseffCV = vdseffCV(VgsteffCV / AbulkCV);
      const R t0 = AbulkCV * VdseffCV;
      const R t1 = 12.0 * (VgsteffCV - 0.5 * t0 + 1.0e-20);
      const R t2 = VdseffCV / t1;
      const R t3 = t0 * t2;
      qgate = CoxWL * (VgsteffCV - 0.5 * VdseffCV + t3);
      const R t7 = 1.0 - AbulkCV;
      qbulk = CoxWL * t7 * (0.5 * VdseffCV - t3);
      if (p.xpart > 0.5) {
        const R t1b = t1 + t1;
        qsrc = -CoxWL * (0.5 * VgsteffCV + 0.25 * t0 - t0 * t0 / t1b);
      } else if (p.xpart < 0.5) {
        const R t1b = t1 / 12.0;
        const R t2b = 0.5 * CoxWL / (t1b * t1b);
        const R t3b =
            VgsteffCV * (2.0 * t0 * t0 / 3.0 + VgsteffCV * (VgsteffCV - 4.0 * t0 / 3.0)) - 2.0 * t0 * t0 * t0 / 15.0;
        qsrc = -t2b * t3b;
      } else {
        qsrc = -0.5 * (qgate + qbulk);
      }
      qgate = qgate + (Qac0 + Qsub0);
      qbulk = qbulk - (Qac0 + Qsub0);
      qdrn = -(qgate + qbulk + qsrc);
    } else {
      // charge-thickness model
      const double Cox = p.coxp;
      double Tox = 1.0e8 * p.toxp;
      R Tcen;
      {
        const R t0 = (Vgs_eff - VbseffCV - Vfb) / Tox;
        const R tmp = t0 * p.acde;
        if (-kExpThreshold < val(tmp) && val(tmp) < kExpThreshold) Tcen = p.ldeb * exp(tmp);
        else if (val(tmp) <= -kExpThreshold) Tcen = p.ldeb * kMinExp;
        else Tcen = p.ldeb * kMaxExp;
        const double LINK = 1.0e-3 * p.toxp;
        const R v3 = p.ldeb - Tcen - LINK;
        const R v4 = sqrt(v3 * v3 + 4.0 * LINK * p.ldeb);
        Tcen = p.ldeb - 0.5 * (v3 + v4);
      }
      R Ccen = epssub / Tcen;
      R CoxeffC = Cox / (Cox + Ccen) * Ccen;
      R CoxWLcen = CoxWL * CoxeffC / p.coxe;
      const R Qac0 = CoxWLcen * (Vfbeff - Vfb);
      const R Qsub0 = qsub0(CoxWLcen);
      double Denomi2, T0d;
      if (p.k1ox <= 0.0) {
        Denomi2 = 0.25 * p.moin * Vtm;
        T0d = 0.5 * p.sqrtPhi;
      } else {
        Denomi2 = p.moin * Vtm * p.k1ox * p.k1ox;
        T0d = p.k1ox * p.sqrtPhi;
      }
      const R DeltaPhi = Vtm * log(1.0 + (2.0 * T0d + VgsteffCV) * VgsteffCV / Denomi2);
      R VgDP;
      {
        const R t0 = VgsteffCV - DeltaPhi - 0.001;
        const R t1 = sqrt(t0 * t0 + VgsteffCV * 0.004);
        VgDP = 0.5 * (t0 + t1);
      }
      Tox += Tox;
      {
        const R t0 = (VgsteffCV + p.vtfbphi2) / Tox;
        const R tmp = exp(p.bdos * 0.7 * log(t0));
        Tcen = p.ados * 1.9e-9 / (1.0 + tmp);
        Ccen = epssub / Tcen;
        CoxeffC = Cox / (Cox + Ccen) * Ccen;
        CoxWLcen = CoxWL * CoxeffC / p.coxe;
      }
      const R VdseffCV = vdseffCV(VgDP / AbulkCV);
      const R t0 = AbulkCV * VdseffCV;
      const R t1 = VgDP;
      R t2 = 12.0 * (t1 - 0.5 * t0 + 1.0e-20);
      const R t3 = t0 / t2;
      qgate = CoxWLcen * (t1 - t0 * (0.5 - t3));
      const R t7 = 1.0 - AbulkCV;
      qbulk = CoxWLcen * t7 * (0.5 * VdseffCV - t0 * VdseffCV / t2);
      if (p.xpart > 0.5) {
        qsrc = -CoxWLcen * (t1 / 2.0 + t0 / 4.0 - 0.5 * t0 * t0 / t2);
      } else if (p.xpart < 0.5) {
        t2 = t2 / 12.0;
        const R t3b = 0.5 * CoxWLcen / (t2 * t2);
        const R t4 = t1 * (2.0 * t0 * t0 / 3.0 + t1 * (t1 - 4.0 * t0 / 3.0)) - 2.0 * t0 * t0 * t0 / 15.0;
        qsrc = -t3b * t4;
      } else {
        qsrc = -0.5 * qgate;
      }
      qgate = qgate + (Qac0 + Qsub0 - qbulk);
      qbulk = qbulk - (Qac0 + Qsub0);

      qdrn = -(qgate + qbulk + qsrc);
    }
  }
  // to the terminal frame: in reverse mode the mode's drain is the source
  if (out.reverse) std::swap(qdrn, qsrc);
  out.qgi = qgate;
  out.qdi = qdrn;
  out.qbi = qbulk;
  return out;
}

Point evaluate(const Inst& p, double vgs, double vds, double vbs, double gmin, bool charges) {
  Point out = evaluateT<double>(p, vgs, vds, vbs, charges);
  const double vbd = vbs - vds, vgd = vgs - vds;
  out.ibs = junctionCurrent(p, p.js, vbs, gmin);
  out.ibd = junctionCurrent(p, p.jd, vbd, gmin);
  if (!charges) return out;
  // overlaps (terminal frame), junctions
  const Overlaps ov = overlaps(p, vgs, vgd, vgs - vbs);
  out.qg = out.qgi + ov.qgd + ov.qgs + ov.qgb;
  out.qd = out.qdi - ov.qgd;
  out.qb = out.qbi - ov.qgb;
  out.qbs = junctionCharge(p.js, vbs);
  out.qbd = junctionCharge(p.jd, vbd);
  return out;
}

template <class R>
R biasResistance(const Inst& p, bool drain, R vgs, R vbs) {
  const R t0 = vgs - p.vfbsd;
  const R vgsEff = 0.5 * (t0 + sqrt(t0 * t0 + 1.0e-4));
  const R t2 = 1.0 / (1.0 + p.prwg * vgsEff) - p.prwb * vbs;
  const R t3 = t2 + sqrt(t2 * t2 + 0.01);
  return (drain ? p.rdwmin : p.rswmin) + t3 * (drain ? p.rd0 : p.rs0) * 0.5;
}

template <class R>
OverlapsT<R> overlaps(const Inst& p, R vgs, R vgd, R vgb) {
  return {overlapCharge(p, vgs, p.cgso, p.cgsl, p.ckappas), overlapCharge(p, vgd, p.cgdo, p.cgdl, p.ckappad),
          p.cgbo * vgb};
}

template <class R>
JunctionStateT<R> junction(const Inst& p, const Junction& j, R v, double gmin) {
  return {junctionCurrent(p, j, v, gmin), junctionCharge(j, v)};
}

// the number types bsim4.cpp and the tests use
template PointT<double> evaluateT(const Inst&, double, double, double, bool);
template PointT<Fwd<3>> evaluateT(const Inst&, Fwd<3>, Fwd<3>, Fwd<3>, bool);
template double biasResistance(const Inst&, bool, double, double);
template Fwd<2> biasResistance(const Inst&, bool, Fwd<2>, Fwd<2>);
template OverlapsT<double> overlaps(const Inst&, double, double, double);
template OverlapsT<Fwd<3>> overlaps(const Inst&, Fwd<3>, Fwd<3>, Fwd<3>);
template JunctionStateT<double> junction(const Inst&, const Junction&, double, double);
template JunctionStateT<Fwd<1>> junction(const Inst&, const Junction&, Fwd<1>, double);

double polyDepletionVgs(double phi, double ngate, double epsgate, double coxe, double vgs) {
  return polyDepletion(phi, ngate, epsgate, coxe, vgs);
}

}  // namespace simcore::dev::bsim4
