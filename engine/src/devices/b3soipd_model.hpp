// BSIMSOI partially depleted (BSIMPD 2.2, ngspice's B3SOIPD, MOSFET level 57):
// the size- and temperature-dependent parameters of one instance, and its
// currents and charges at one bias point (on doubles, or on forward-mode
// numbers for the derivatives). Pure functions; the device group (b3soipd.cpp)
// stamps.
//
// Voltages are local: polarity applied (a pmos is evaluated as an nmos with
// every voltage and current negated), relative to the internal source s'.
// Terminals: drain d', gate g, source s', substrate (back gate) e, body b and
// body contact p.
#pragma once

#include <string>

#include "devices/descriptor.hpp"
#include "devices/fwd_number.hpp"
#include "devices/soi_substrate.hpp"

namespace simcore::dev::b3soipd {

// One instance at its size and temperature (m not applied).
struct Inst {
  double type = 1;  // +1 nmos, -1 pmos
  int mobMod = 1, capMod = 2, igMod = 0, bodyMod = 0;  // bodyMod: 0 floating, 1 resistive tie, 2 ideal tie
  bool bjtOff = false;
  double xpart = 0, nseg = 1, nbc = 0;
  double tox = 0, cox = 0, cbox = 0, tsi = 0, xj = 0, factor1 = 0, vtm = 0, tempRatio = 1, tempRatioMinus1 = 0;
  double leff = 0, weff = 0, weffCV = 0, leffCV = 0, leffCVb = 0, leffCVbg = 0;
  double wdios = 0, wdiod = 0, wdiosCV = 0, wdiodCV = 0;
  double agbcp = 0, aebcp = 0, fbody = 1;
  // threshold
  double vth0 = 0, k1eff = 0, k2 = 0, k3 = 0, k3b = 0, w0 = 0, nlx = 0, kb1 = 1;
  double dvt0 = 0, dvt1 = 0, dvt2 = 0, dvt0w = 0, dvt1w = 0, dvt2w = 0;
  double eta0 = 0, etab = 0, theta0vb0 = 0, thetaRout = 0, kt1 = 0, kt1l = 0, kt2 = 0;
  double phi = 0, sqrtPhi = 0, xdep0 = 0, vbi = 0, vfbb = 0, cdep0 = 0, litl = 0, vfb = 0, ngate = 0;
  double nfactor = 0, cdsc = 0, cdscb = 0, cdscd = 0, cit = 0, voff = 0;
  // mobility and saturation
  double u0temp = 0, ua = 0, ub = 0, uc = 0, vsattemp = 0, rds0 = 0, prwg = 0, prwb = 0, dwg = 0, dwb = 0;
  double a0 = 0, ags = 0, b0 = 0, b1 = 0, keta = 0, ketas = 0, a1 = 0, a2 = 0, delta = 0;
  double pclm = 0, pdiblb = 0, pvag = 0;
  // GIDL, impact ionisation
  double agidl = 0, bgidl = 0, ngidl = 0;
  double alpha0 = 0, fbjtii = 0, beta0 = 0, beta1 = 0, beta2 = 0, vdsatii0 = 0, tii = 0, lii = 0, esatii = 0;
  double sii0 = 0, sii1 = 0, sii2 = 0, siid = 0;
  // body diodes and the parasitic bipolar
  double ndiode = 1, ntun = 10, nrecf0 = 2, nrecr0 = 10, ntrecf = 0, ntrecr = 0, vrec0 = 0, vtun0 = 0;
  double jbjt = 0, jdif = 0, jrec = 0, jtun = 0, ahli = 0, arfabjt = 0, lratio = 0, lratiodif = 0, vearly = 1;
  // body contact
  double rbody = 0, rbodyext = 0;
  // gate-to-body tunnelling (IGMOD 1)
  double oxideRatio = 0, toxqm = 0, voxh = 5, deltavox = 0.005, ebg = 1.2, vevb = 0.075, vecb = 0.026;
  double alphaGB1 = 0.35, betaGB1 = 0.03, vgb1 = 300, alphaGB2 = 0.43, betaGB2 = 0.05, vgb2 = 17;
  // charges
  double delvt = 0, abulkCVfactor = 1, cgso = 0, cgdo = 0, cgeo = 0, cgsl = 0, cgdl = 0, ckappa = 0.6;
  double tt = 0, pbswg = 0.7, mjswg = 0.5, cjswg = 0, tcjswg = 0, tpbswg = 0, tempMinusTnom = 0;
  double nsub = 0, csdmin = 0, csesw = 0, cdesw = 0;
  soi::SubstrateCharge substrate;  // the source's and drain's bottom against the substrate
  // self-heating (SHMOD 1, RTH0 > 0): the thermal network and what the bias point
  // recomputes at the device temperature from the values at TNOM
  bool selfHeat = false;
  double rth = 0, cth = 0, tAmbient = 300.15, tnom = 300.15;
  double u0 = 0, ute = 0, vsat = 0, at = 0, rdsw = 0, prt = 0, rds0denom = 1, ua0 = 0, ub0 = 0, uc0 = 0;
  double ua1 = 0, ub1 = 0, uc1 = 0, isbjt = 0, isdif = 0, isrec = 0, istun = 0, ahli0 = 0;
  double xbjt = 1, xdif = 1, xrec = 1, xtun = 0, npeak = 0;
  // the surface potential at TNOM's set-up (ambient), and the one the bias point
  // uses with self-heating: as ngspice, the device temperature of the previous
  // operating, sweep or time point (0: the ambient one)
  double phiAmbient = 0, phiHeat = 0;
  // CAPMOD 3 (charge thickness)
  double dtoxcv = 0, vfbzb = 0, ldeb = 0, acde = 1, moin = 15;
};
// The surface potential at the temperature rise delTemp (self-heating).
double phiAt(const Inst& p, double delTemp);

// The model at one bias point, in the local frame, on the number type T:
// double (values), Fwd5 (values and their partials in vgs, vds, vbs, ves, vps)
// or Fwd4 (without vps). Currents enter the device at each terminal (their
// sum is zero); charges are the terminal charges with overlaps, junctions and
// the substrate (qs = -(qg + qd + qb + qe)).
template <class T>
struct PointT {
  T id = 0, ig = 0, ib = 0, ie = 0, ip = 0, is = 0;
  T qg = 0, qd = 0, qb = 0, qe = 0;
  bool reverse = false;
  T ids = 0;  // channel current of the mode (d -> s of the mode)
  T ic = 0, iii = 0, igidl = 0, ibs = 0, ibd = 0, igb = 0, ibp = 0;  // physical frame
  T ibsMode = 0;  // the body-source junction current of the mode
  T vth = 0, vdsat = 0, vgsteff = 0, vdseff = 0, ueff = 0, abulk = 0, rds = 0, qinv = 0;
  T power = 0;  // the channel's dissipation Ids·Vds (self-heating)
};
using Fwd5 = semi::Fwd<5>;
using Fwd4 = semi::Fwd<4>;  // vgs, vds, vbs, ves: without a body contact through RBODY (BODYMOD 1) nothing depends on vps
using Point = PointT<double>;

// Size, temperature and binning of instance parameters of model P at circuit
// temperature tK (model nominal tnomK). Returns an empty string, or what is wrong.
std::string setup(const ParamValues& P, bool pmos, double tK, double tnomK, Inst& p);

// Currents (always) and charges (when `charges`) at the local voltages.
// delTemp: the device's temperature above the circuit's (self-heating), else 0.
Point evaluate(const Inst& p, double vgs, double vds, double vbs, double ves, double vps, bool charges,
               double delTemp = 0.0);
// The same on forward-mode numbers: one evaluation gives the values (bit-identical
// to the double ones) and their exact derivatives in the local voltages.
PointT<Fwd5> evaluate(const Inst& p, const Fwd5& vgs, const Fwd5& vds, const Fwd5& vbs, const Fwd5& ves,
                      const Fwd5& vps, bool charges, double delTemp = 0.0);
// Without the partials in vps (exact where BODYMOD is not 1).
PointT<Fwd4> evaluate(const Inst& p, const Fwd4& vgs, const Fwd4& vds, const Fwd4& vbs, const Fwd4& ves, double vps,
                      bool charges, double delTemp = 0.0);

}  // namespace simcore::dev::b3soipd
