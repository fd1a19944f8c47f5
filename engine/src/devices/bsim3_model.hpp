// BSIM3v3.3 (UC Berkeley's BSIM3 version 3.3.0, as ngspice's level 8 and 49):
// the size- and temperature-dependent parameters of one instance, and the
// model's currents and charges at one bias point, as plain values or with
// their derivatives in vgs, vds, vbs (forward-mode dual numbers: one code path,
// so the Jacobian is the derivative of exactly the values computed). Pure
// functions; the device group (bsim3.cpp) stamps.
//
// Voltages are local: polarity applied (a pmos is evaluated as an nmos with
// every voltage and current negated), relative to the internal source s'.
#pragma once

#include <string>

#include "devices/descriptor.hpp"
#include "devices/fwd_number.hpp"

namespace simcore::dev::bsim3 {

// One instance at its size and temperature (m not applied).
struct Inst {
  double type = 1;  // +1 nmos, -1 pmos
  // VERSION 3.1, computed as ngspice 39's BSIM3v1 computes it (docs/devices.md): the
  // C-V flat band follows the threshold (CAPMOD 1, 2), the junctions turn linear at
  // 0.5 V and carry 2 gmin (its companion model counts gmin twice), VgsteffCV outside
  // the smoothing's range is Vgsteff, no Vds = 0 special case
  bool v31 = false;
  // VERSION 3.0 (ngspice's BSIM3v0: 3.1's code where v31 is set too) where it differs: the
  // junction current frozen at 0.5 V forward and -Is below -0.5 V, CAPMOD 1's region test
  bool v30 = false;
  int mobMod = 1, capMod = 3;  // (capMod -1: none, a 3.1 card's CAPMOD 3)
  double xpart = 0;
  double tox = 0, cox = 0, factor1 = 0, vtm = 0, tempRatio = 0;
  double leff = 0, weff = 0, leffCV = 0, weffCV = 0;
  // size-dependent, at temperature
  double cdsc = 0, cdscb = 0, cdscd = 0, cit = 0, nfactor = 0, xj = 0, vsattemp = 0;
  double a0 = 0, ags = 0, a1 = 0, a2 = 0, keta = 0, ngate = 0;
  double k1 = 0, k2 = 0, k1ox = 0, k2ox = 0, k3 = 0, k3b = 0, w0 = 0, nlx = 0;
  double dvt0 = 0, dvt1 = 0, dvt2 = 0, dvt0w = 0, dvt1w = 0, dvt2w = 0;
  double eta0 = 0, etab = 0, theta0vb0 = 0, thetaRout = 0;
  double pclm = 0, pdiblb = 0, pscbe1 = 0, pscbe2 = 0, pvag = 0, delta = 0;
  double rds0 = 0, prwg = 0, prwb = 0, dwg = 0, dwb = 0, b0 = 0, b1 = 0;
  double alpha0 = 0, alpha1 = 0, beta0 = 0;
  double ua = 0, ub = 0, uc = 0, u0temp = 0, voff = 0, kt1 = 0, kt1l = 0, kt2 = 0;
  double phi = 0, sqrtPhi = 0, phis3 = 0, xdep0 = 0, litl = 0, vbi = 0, cdep0 = 0, ldeb = 0;
  double acde = 0, moin = 0, noff = 0, voffcv = 0, vbsc = 0, vfbcv = 0, abulkCVfactor = 1;
  double vth0 = 0, vfb = 0, vfbzb = 0;  // with the instance's delvto
  // overlap capacitances (F) and their bias-dependent parts
  double cgso = 0, cgdo = 0, cgbo = 0, cgsl = 0, cgdl = 0, ckappa = 0.6;
  // junctions
  double nvtm = 0, ijth = 0, iss = 0, isd = 0;
  double vjsm = 0, isEvjsm = 0, vjdm = 0, isEvjdm = 0;
  double czbs = 0, czbssw = 0, czbsswg = 0, czbd = 0, czbdsw = 0, czbdswg = 0;
  double phiB = 1, phiBSW = 1, phiBSWG = 1, mj = 0.5, mjsw = 0.33, mjswg = 0.33;
  // flicker noise (.noise)
  double kf = 0, af = 1, ef = 1;
  // the non-quasi-static model (NQSMOD 1): the channel charge's relaxation rate is
  // (gtauDiff + tconst |Qcheq|) * 1e-9 (ELM's Elmore drift term and the diffusion term)
  double tconst = 0, gtauDiff = 0;
};

// The model at one bias point, currents and charges in the device's local
// frame (drain current from d' to s' > 0 for an nmos in normal mode). T is
// double, or Slopes (the value and its partials in vgs, vds, vbs) for the
// currents and charges; the operating-point quantities are values either way.
template <class T>
struct BasicPoint {
  T id = 0;    // channel current d' -> s' (negative in reverse mode)
  T isub = 0;  // impact-ionisation current from the drain (of the mode) to b
  bool reverse = false;
  T ibs = 0, ibd = 0;         // junction currents b -> s', b -> d' (gmin included)
  T qg = 0, qd = 0, qb = 0;   // terminal charges, overlaps and junctions included (qs = -(qg+qd+qb))
  T qgi = 0, qdi = 0, qbi = 0;  // their intrinsic parts (the channel's: no overlaps, no junctions)
  T qjd = 0, qjs = 0;           // the junctions' depletion charges (b side), at vbd and vbs
  double vth = 0, vdsat = 0, vgsteff = 0, ueff = 0, abulk = 0, rds = 0, vdseff = 0;
  double qinv = 0;            // inversion charge (noise)
};
// d[0], d[1], d[2]: the partials in vgs, vds, vbs
using Slopes = semi::Fwd<3>;
using Point = BasicPoint<double>;
using PointSlopes = BasicPoint<Slopes>;

// Size, temperature and binning: the instance of model P for the instance
// card's w, l (m), at circuit temperature tK (model nominal tnomK). Returns an
// empty string, or what is wrong.
// clampPerimeters: VERSION 3.1's parameter check raising PD and PS below Weff to Weff
// (ngspice runs it for one instance of each size: bsim3.cpp picks it).
std::string setup(const ParamValues& P, bool pmos, double tK, double tnomK, Inst& p, bool clampPerimeters = false);
// Whether the card is VERSION 3.1 (3.1 <= VERSION < 3.2: ngspice's BSIM3v1), 3.0 (BSIM3v0).
bool isVersion31(const ParamValues& P);
bool isVersion30(const ParamValues& P);

// Currents and charges at vgs, vds, vbs (local); gmin across each junction;
// charges are computed when `charges`.
Point evaluate(const Inst& p, double vgs, double vds, double vbs, double gmin, bool charges);
// The same values with their partials in vgs, vds, vbs (always with charges).
// Where the model is not differentiable the partials are those of the branch
// taken (at the join of Vbseff's smoothing with Vbs, vbs = 0 for the usual
// VBSC, the mean of the two slopes); at vds = 0, where Vdseff is set to zero,
// its slope in vds is kept, as ngspice's BSIM3 does (the channel conductance
// of the linear region, as on either side).
PointSlopes evaluateSlopes(const Inst& p, double vgs, double vds, double vbs, double gmin);

}  // namespace simcore::dev::bsim3
