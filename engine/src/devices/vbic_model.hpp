// Q with a level 4 or 9 npn/pnp model: the VBIC bipolar transistor (VBIC
// 1.2 as ngspice 39 implements it, 4-terminal electrical model with the
// optional thermal node). Its local terminals, its parameters at temperature
// and its evaluation at local voltages (vbic_model.cpp); the device group and
// the descriptor are in vbic.cpp.
#pragma once

#include "devices/common.hpp"
#include "devices/semiconductor.hpp"

namespace simcore::dev::vbic {

// Local terminals: c, b, e, substrate, the thermal node t (its voltage is the
// temperature rise in kelvin; ground without self-heating), cx (behind RCX),
// ci (behind RCI), bx (behind RBX), bi (behind RBI), ei (behind RE), bp
// (behind RBP), si (behind RS), and ground (the thermal resistance and
// capacitance's other end).
enum : int { C = 0, B = 1, E = 2, S = 3, T = 4, CX = 5, CI = 6, BX = 7, BI = 8, EI = 9, BP = 10, SI = 11, GND = 12 };
struct Layout {
  static constexpr int terminals = 13;
  // every non-ground terminal's current may depend on every non-ground terminal's voltage
  // (the temperature rise reaches every branch, the dissipated power every voltage)
  static constexpr bool mask[terminals][terminals] = {
#define SIMCORE_VBIC_ROW {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0}
      SIMCORE_VBIC_ROW, SIMCORE_VBIC_ROW, SIMCORE_VBIC_ROW, SIMCORE_VBIC_ROW, SIMCORE_VBIC_ROW,
      SIMCORE_VBIC_ROW, SIMCORE_VBIC_ROW, SIMCORE_VBIC_ROW, SIMCORE_VBIC_ROW, SIMCORE_VBIC_ROW,
      SIMCORE_VBIC_ROW, SIMCORE_VBIC_ROW, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
#undef SIMCORE_VBIC_ROW
  };
  // qbe, qbex, qbc, qbcx, qbep, qbcp, qbeo (overlap), qbco (overlap), qcth (thermal)
  static constexpr int states = 9;
  static constexpr int chargeFrom[states] = {BI, BX, BI, BI, BX, SI, B, B, T};
  static constexpr int chargeTo[states] = {EI, EI, CI, CX, BP, BP, E, C, GND};
  static constexpr int series = 1;
};
using Stamp = semi::LocalStamp<Layout>;

// The model parameters that follow the temperature (VBIC 1.2's mappings).
// R: double, or the evaluation's number with derivatives (self-heating).
template <class R>
struct TempParamsT {
  R ikf, rcx, rci, rbx, rbi, re, rs, rbp, is, isrr, isp, ibei, iben, ibci, ibcn, ibeip, ibenp, ibcip, ibcnp;
  R nf, nr, avc2, vbbe, nbbe, pe, pc, ps, cje, cjc, cjep, cjcp, gamm, vo, ebbe, vtv;
};
using TempParams = TempParamsT<double>;

// One transistor: its model values (the temperature-dependent ones already at
// the instance temperature), area*m, and what the evaluation needs.
struct VbicInst {
  double sign = 1;  // +1 npn, -1 pnp
  double scale = 1; // AREA * M
  double vcrit = 0; // junction limiting (from IS*AREA*M at the instance temperature)
  double vt = 0;    // k T / q of the instance (limiting)
  double tdevK = 300.15;  // the device temperature (K): the self-heating mapping starts from it
  bool selfHeat = false;
  TempParams t{};   // at the instance temperature
  // the temperature-independent parameters
  double fc, cbeo, me, aje, cbco, qco, mc, ajc, ms, ajs, wbe, nei, nen, nci, ncn, avc1, wsp, nfp, ncip, ncnp;
  double vef, ver, ikr, ikp, tf, qtf, xtf, vtf, itf, tr, hrcf, vrt, art, ccso, qbm, nkf, rth, cth;
  double ibbe, tvbbe1, tvbbe2, tnbbe;
  // temperature exponents and activation energies (self-heating maps from tdevK again)
  double xikf, xrcx, xrci, xrbx, xrbi, xre, xrs, xrbp, xis, xisr, xii, xin, tnf, tavc, xvo;
  double ea, eaie, eaic, eais, eane, eanc, eans, eap, dear;
};

// The parameters of a transistor at temperature tempK (K) from nominal Tnom (K)
// as ngspice 39's vbictemp.c; `scale` is AREA*M. Errors name the device.
Result<VbicInst> instanceAt(const ParamValues& P, const ir::Device& d, const std::string& modelType, double scale,
                            double tempK, double Tnom);

// What an evaluation reports besides the stamp (ngspice's names, in local
// polarity): the transport and junction currents (these with gmin) for noise.
struct Outputs {
  double itzf = 0, itzr = 0, ibe = 0, ibex = 0, ibep = 0, iccp = 0, ibc = 0;
  double gRcx = 0, gRci = 0, gRbx = 0, gRbi = 0, gRe = 0, gRbp = 0, gRs = 0;  // d(current)/d(its own voltage)
  double power = 0;  // dissipated power (W)
  // ngspice's small-signal quantities (@q[gm] ...): d Itzf/d Vbei and d Itzf/d Vbci (the forward
  // transport current's), d Ibe/d Vbei and d Ibc/d Vbci (with gmin), d Qbe/d Vbei, d Qbc/d Vbci
  double gm = 0, go = 0, gpi = 0, gmu = 0, cbe = 0, cbc = 0;
};

// Evaluates one transistor at local voltages V (V[T] the temperature rise
// times the polarity): the resistive stamp, the charges q (Layout::states)
// with their gradients, gmin across each junction as ngspice.
void evaluate(const VbicInst& p, const double* V, double gmin, Stamp& s, double* q, Outputs& out);

}  // namespace simcore::dev::vbic
