// Q with a level 8 npn/pnp model: the HICUM level 2 bipolar transistor
// (version 2.4.0 as ngspice 39's hicum2 implements it). Its local terminals,
// its parameters at temperature and its evaluation at local voltages
// (hicum_model.cpp); the device group and the descriptor are in hicum.cpp.
#pragma once

#include "devices/common.hpp"
#include "devices/semiconductor.hpp"

namespace simcore::dev::hicum {

// Local terminals: c, b, e, substrate, the thermal node t (its voltage is the
// temperature rise in kelvin; ground without self-heating), ci (behind RCX),
// bp (behind RBX), ei (behind RE), si (behind RSU), bi (behind the modulated
// internal base resistance), and ground (the thermal resistance and
// capacitance's other end).
enum : int { C = 0, B = 1, E = 2, S = 3, T = 4, CI = 5, BP = 6, EI = 7, SI = 8, BI = 9, GND = 10 };
struct Layout {
  static constexpr int terminals = 11;
  // every non-ground terminal's current may depend on every non-ground terminal's voltage
  // (the temperature rise reaches every branch, the dissipated power every voltage)
  static constexpr bool mask[terminals][terminals] = {
#define SIMCORE_HICUM_ROW {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0}
      SIMCORE_HICUM_ROW, SIMCORE_HICUM_ROW, SIMCORE_HICUM_ROW, SIMCORE_HICUM_ROW, SIMCORE_HICUM_ROW,
      SIMCORE_HICUM_ROW, SIMCORE_HICUM_ROW, SIMCORE_HICUM_ROW, SIMCORE_HICUM_ROW, SIMCORE_HICUM_ROW,
      {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
#undef SIMCORE_HICUM_ROW
  };
  // qbiei (Qjei + Qf), qbici (Qjci + Qr), qbpei (Qjep), qbci (Qjcx_i + Cbcpar1), qbpci (Qjcx_ii +
  // Qdsu + Cbcpar2), qsici (Qjs), qsc (Qscp), qbe (Cbepar1), qbpe (Cbepar2), qsis (CSU), qbpbi
  // (Qrbi), qcth (thermal)
  static constexpr int states = 12;
  static constexpr int chargeFrom[states] = {BI, BI, BP, B, BP, SI, S, B, BP, SI, BP, T};
  static constexpr int chargeTo[states] = {EI, CI, EI, CI, CI, CI, C, E, E, S, BI, GND};
  static constexpr int series = 1;
};
using Stamp = semi::LocalStamp<Layout>;

// The model parameters (ngspice's names), as given or defaulted.
#define SIMCORE_HICUM_MODEL_PARAMS(X)                                                                               \
  X(c10) X(qp0) X(ich) X(hf0) X(hfe) X(hfc) X(hjei) X(ahjei) X(rhjei) X(hjci) X(ibeis) X(mbei) X(ireis) X(mrei)    \
  X(ibeps) X(mbep) X(ireps) X(mrep) X(mcf) X(tbhrec) X(ibcis) X(mbci) X(ibcxs) X(mbcx) X(ibets) X(abet) X(tunode) \
  X(favl) X(qavl) X(kavl) X(alfav) X(alqav) X(alkav) X(rbi0) X(rbx) X(fgeo) X(fdqr0) X(fcrbi) X(fqi) X(re) X(rcx) \
  X(itss) X(msf) X(iscs) X(msc) X(tsf) X(rsu) X(csu) X(cjei0) X(vdei) X(zei) X(ajei) X(cjep0) X(vdep) X(zep)      \
  X(ajep) X(cjci0) X(vdci) X(zci) X(vptci) X(cjcx0) X(vdcx) X(zcx) X(vptcx) X(fbcpar) X(fbepar) X(cjs0) X(vds)    \
  X(zs) X(vpts) X(cscp0) X(vdsp) X(zsp) X(vptsp) X(t0) X(dt0h) X(tbvl) X(tef0) X(gtfe) X(thcs) X(ahc) X(fthc)     \
  X(rci0) X(vlim) X(vces) X(vpt) X(aick) X(delck) X(tr) X(vcbar) X(icbar) X(acbar) X(cbepar) X(cbcpar) X(alqf)    \
  X(alit) X(flnqs) X(kf) X(af) X(cfbe) X(flcono) X(kfre) X(afre) X(latb) X(latl) X(vgb) X(alt0) X(kt0) X(zetaci)  \
  X(alvs) X(alces) X(zetarbi) X(zetarbx) X(zetarcx) X(zetare) X(zetacx) X(vge) X(vgc) X(vgs) X(f1vg) X(f2vg)      \
  X(zetact) X(zetabet) X(alb) X(dvgbe) X(zetahjei) X(zetavgbe) X(flsh) X(rth) X(zetarth) X(alrth) X(cth) X(flcomp)
struct ModelParams {
#define SIMCORE_HICUM_FIELD(n) double n = 0;
  SIMCORE_HICUM_MODEL_PARAMS(SIMCORE_HICUM_FIELD)
#undef SIMCORE_HICUM_FIELD
};

// The parameters that follow the device temperature (ngspice 39's
// hicum_thermal_update), each already scaled by area and m as ngspice scales
// it. R: double, or the evaluation's number with derivatives (self-heating).
template <class R>
struct TempParamsT {
  R vt;  // k Tdev / q
  R ibeis, ireis, ibeps, ireps, ibcis, ibcxs, itss, iscs, qp0, vlim, tef0, c10, rci0, vces;
  R cjei0, vdei, ajei, cjci0, vdci, vptci, t0, thcs, favl, qavl, kavl, rbi0;
  R cjep0, vdep, ajep, ibets, abet, cjcx01, cjcx02, vdcx, vptcx, rcx, rbx, re, tsf;
  R cjs0, vds, vpts, cscp0, vdsp, vptsp, ahjei, hjei0, hf0, hfe, hfc, rth;
};
using TempParams = TempParamsT<double>;

// One transistor: the model, its scaled values, its parameters at the
// instance temperature and what the evaluation needs.
struct HicumInst {
  ModelParams m;
  double sign = 1;      // +1 npn, -1 pnp
  double mult = 1;      // M
  double areaM = 1;     // AREA * M
  double tempK = 300.15;  // device temperature (K) without self-heating (instance + dt, clipped as ngspice)
  double tnomK = 300.15;
  double vt = 0, vcrit = 0;  // at tempK (junction limiting)
  bool selfHeat = false;
  bool favlGiven = false;  // (the avalanche limiting of Vbici)
  bool rcxOn = false, rbxOn = false, reOn = false, rsuOn = false;  // the series resistances present
  // scaled by area and m (ngspice's *_scaled), at the nominal temperature
  double qp0, c10, icbar, rth, cth, cjei0, ibeis, ireis, ibeps, ireps, cjep0, cbepar, ibets, ibcis, cjci0, cjcx0;
  double cbcpar, ibcxs, qavl, re, rci0, rbx, rcx, rbi0, kf, kfre;
  TempParams t{};  // at tempK
};

// The parameters of a transistor at temperature tempK (K, before ngspice's
// clipping) from nominal tnomK (K); area and m as given. Errors name the device.
Result<HicumInst> instanceAt(const ParamValues& P, const ir::Device& d, const std::string& modelType, double area,
                             double m, double tempK, double tnomK);

// The device temperature as ngspice clips it (smoothly into -100 .. 326.85 degC), K.
double clipTemperature(double tK);
// The temperature-dependent parameters at device temperature tK (K).
TempParams temperatureParams(const HicumInst& p, double tK);

// What an evaluation reports besides the stamp, in local polarity (the
// currents ngspice's noise reads, with their gmin), and the small-signal values.
struct Outputs {
  double it = 0, ibiei = 0, ibici = 0, ibpei = 0, ibpci = 0, isici = 0, ibpsi = 0, iavl = 0, ieie = 0;
  double rbi = 0;                   // the modulated internal base resistance (0: none)
  double gRcx = 0, gRbx = 0, gRe = 0, gRsu = 0;  // series conductances
  double tempK = 0, power = 0;      // device temperature (K) and the self-heating power (W)
  double betadc = 0, tf = 0, ick = 0;  // betadc: ngspice's IC/IB of the internal branch currents
  // d it / d Vbiei, d Ibiei / d Vbiei, d Ibici / d Vbici, -d it / d Vbici (ngspice's gmi, 1/rpii, 1/rmui, 1/roi)
  double gmi = 0, gpi = 0, gmu = 0, go = 0;
  double cpii = 0, cmui = 0;  // d Qbiei / d Vbiei, d Qbici / d Vbici
};

// Evaluates one transistor at local voltages V (V[T] the temperature rise
// times the polarity): the resistive stamp, the charges q (Layout::states)
// with their gradients, gmin across each junction as ngspice.
void evaluate(const HicumInst& p, const double* V, double gmin, Stamp& s, double* q, Outputs& out);

}  // namespace simcore::dev::hicum
