// Q: the Gummel-Poon bipolar transistor of ngspice 39 (level 1): its local
// terminals, its parameters at temperature (BjtInst, from the model card) and
// its evaluation at local voltages (bjt_model.cpp). The device group is in bjt.cpp.
#pragma once

#include "devices/common.hpp"
#include "devices/semiconductor.hpp"

namespace simcore::dev::bjt {

// Local terminals: c, b, e, substrate, c' (behind RCO, the quasi-saturation
// resistance; the same node as cx without it), b' (behind RB), e' (behind RE),
// cx (behind RC).
enum : int { C = 0, B = 1, E = 2, S = 3, CP = 4, BP = 5, EP = 6, CX = 7 };
struct Layout {
  static constexpr int terminals = 8;
  static constexpr bool mask[terminals][terminals] = {
      // C  B  E  S  C' B' E' CX
      {1, 0, 0, 0, 0, 0, 0, 1},  // C   series RC
      {0, 1, 0, 0, 1, 1, 1, 0},  // B   base resistance (modulated), qbx
      {0, 0, 1, 0, 0, 0, 1, 0},  // E   series RE
      {0, 0, 0, 1, 1, 1, 0, 0},  // S   substrate junction to c' (vertical) or b' (lateral)
      {0, 1, 0, 1, 1, 1, 1, 1},  // C'  transport, b'-c' junction, substrate, qbx, RCO current
      {0, 1, 0, 1, 1, 1, 1, 1},  // B'  junctions, base resistance, charges, lateral substrate, qbcx
      {0, 0, 1, 0, 1, 1, 1, 0},  // E'  transport, b'-e' junction, RE, qbe
      {1, 0, 0, 0, 1, 1, 0, 1},  // CX  RC, RCO current, qbcx
  };
  // qbe, qbc, qbx, substrate (vertical: s to c'), substrate (lateral: b' to s), qbcx (epi charge)
  static constexpr int states = 6;
  static constexpr int chargeFrom[states] = {BP, BP, B, S, BP, BP};
  static constexpr int chargeTo[states] = {EP, CP, CP, CP, S, CX};
  static constexpr int series = 2;  // RC, RE (RB depends on the bias)
};
using Stamp = semi::LocalStamp<Layout>;

// One transistor's parameters at its temperature, area and multiplier.
struct BjtInst {
  double sign = 1;    // +1 npn, -1 pnp
  double subs = 1;    // +1 vertical (substrate junction at c'), -1 lateral (at b')
  double vt = 0;
  double csat = 0;    // IS at temperature times area: junction limiting (vcrit)
  double csatBE = 0, csatBC = 0;  // saturation currents of the b-e and b-c transport diodes
  double betaF = 0, betaR = 0, nf = 1, nr = 1;
  double c2 = 0, vte = 0, c4 = 0, vtc = 0;  // leakage (ISE, ISC) and their n*vt
  double ova = 0, ovb = 0, oik = 0, oikr = 0;
  double nkf = 0.5;   // exponent of the high-injection term (0.5: the square root)
  double rbpr = 0, rbpi = 0, xjrb = 0, gc = 0, ge = 0;
  semi::Depletion be, bc, bx;  // b'-e', b'-c' and b-c' depletion charges
  double czcs = 0, ps = 0.75, xms = 0;  // substrate depletion
  double iss = 0, vts = 0, vcritSub = 0;  // substrate diode current (ISS, NS)
  double tf = 0, tr = 0, xtf = 0, ovtf = 0, xjtf = 0;
  double td = 0;      // excess phase delay PTF*TF (s), 0: none
  bool quasi = false; // RCO given: Kull's quasi-saturation between cx and c'
  double rci = 0, vo = 0, gammaEpi = 0, qco = 0;
  double vcrit = 0;
  bool hasRb = false;
};

// The parameters of a transistor at temperature T (K, with the nominal
// temperature Tnom) from its instance and model values, as ngspice 39's
// bjttemp.c: TLEV 0, 1, 3 and TLEVC 0, 1, the T*1/T*2 coefficients, AREAB and
// AREAC by SUBS. `area` and `m` come from the instance. Errors name the device.
Result<BjtInst> instanceAt(const ParamValues& P, const ir::Device& d, const std::string& modelType, double area,
                           double m, double T, double Tnom);

// Weil's approximation of the excess phase as ngspice integrates it (backward
// Euler of a second-order filter of the forward transport current): the
// transport current is hist + arg3*ibf/qb instead of ibf/qb.
struct ExcessPhase {
  double arg3 = 1.0;
  double hist = 0.0;
};

// What an evaluation reports besides the stamp.
struct Outputs {
  double y = 0;     // the forward transport current after the excess-phase filter (ibf/qb without one)
  double gmgo = 0;  // its total derivative in vbe: the transconductance the excess phase delays in AC
  double isub = 0;  // substrate diode current (with gmin), s to c' (vertical) or b' to s (lateral)
  // ngspice's small-signal quantities (@q[gm] ...): the transconductance and the output
  // conductance of the transport current, the b'-e' and b'-c' junction conductances and capacitances,
  // the external b-c' (cbx) and the substrate junction's (csub) capacitances
  double gm = 0, go = 0, gpi = 0, gmu = 0, cpi = 0, cmu = 0, cbx = 0, csub = 0;
};

// Evaluates one transistor at local voltages V; fills the resistive stamp and
// the capacitances, the charges q (Layout::states). rbSlopes (optional)
// receives the parts of the stamp that ngspice's small-signal model leaves
// out: the bias dependence of the base resistance and the substrate diode's
// conductance.
void evaluate(const BjtInst& p, const double* V, double gmin, const ExcessPhase& xp, Stamp& s, double* q,
              Outputs& out, Stamp* rbSlopes = nullptr);

}  // namespace simcore::dev::bjt
