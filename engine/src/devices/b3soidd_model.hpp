// BSIM3SOI DD and FD (UC Berkeley's BSIMDD2.1 and BSIMFD2.1, ngspice's MOSFET
// levels 56 and 55): the size- and temperature-dependent parameters of one
// instance, and the model's currents and charges at one bias point (on doubles,
// or on forward-mode numbers for the derivatives). Pure functions; the device
// group (b3soidd.cpp) stamps.
//
// The two models share their parameters, their temperature set-up and most of
// their equations; `fd` switches to the fully depleted variant where the
// equations differ. Voltages are local: polarity applied (a pmos is evaluated
// as an nmos with every voltage and current negated), relative to the
// internal source s'. The back gate (substrate) is e, the body b, the body
// contact p.
#pragma once

#include <string>

#include "devices/descriptor.hpp"
#include "devices/fwd_number.hpp"
#include "devices/soi_substrate.hpp"

namespace simcore::dev::b3soi {

// One instance at its size and temperature (m not applied).
struct Inst {
  bool fd = false;  // level 55 (fully depleted) instead of 56 (dynamic depletion)
  double type = 1;  // +1 nmos, -1 pmos
  int mobMod = 1, capMod = 2, shMod = 0;
  bool bjtoff = false;
  int bodyMod = 0;  // 0 floating body, 1 body contact through a resistance, 2 ideal body contact
  double xpart = 0;
  double tox = 0, cox = 0, tsi = 0, tbox = 0, xj = 0, cbox = 0, csi = 0, qsi = 0, csieff = 0, qsieff = 0;
  double adice = 0, nfbModel = 0, cboxt = 0;
  double factor1 = 0, vtm = 0, tnom = 0, tempRatio = 0;  // tempRatio: T/Tnom - 1
  double leff = 0, weff = 0, leffCV = 0, weffCV = 0;
  // binned, at temperature
  double npeak = 0, nsub = 0, ngate = 0, vth0 = 0, k1 = 0, k2 = 0, k3 = 0, k3b = 0, vbsa = 0, delp = 0;
  double kb1 = 0, kb3 = 0, dvbd0 = 0, dvbd1 = 0, w0 = 0, nlx = 0;
  double dvt0 = 0, dvt1 = 0, dvt2 = 0, dvt0w = 0, dvt1w = 0, dvt2w = 0;
  double u0temp = 0, ua = 0, ub = 0, uc = 0, vsattemp = 0, a0 = 0, ags = 0, b0 = 0, b1 = 0, keta = 0;
  double abp = 0, mxc = 0, adice0 = 0, a1 = 0, a2 = 0, rds0 = 0, prwb = 0, prwg = 0;
  double nfactor = 0, dwg = 0, dwb = 0, voff = 0, eta0 = 0, etab = 0, cit = 0, cdsc = 0, cdscb = 0, cdscd = 0;
  double pclm = 0, pdiblb = 0, pvag = 0, delta = 0;
  double aii = 0, bii = 0, cii = 0, dii = 0, alpha0 = 0, alpha1 = 0, beta0 = 0, agidl = 0, bgidl = 0, ngidl = 0;
  double ntun = 0, ndiode = 0, edl = 0, kbjt1 = 0;
  double kt1 = 0, kt1l = 0, kt2 = 0;
  double jbjt = 0, jdif = 0, jrec = 0, jtun = 0;
  double vfbb = 0, phi = 0, sqrtPhi = 0, xdep0 = 0, litl = 0, vbi = 0, cdep0 = 0, vfb = 0;
  double theta0vb0 = 0, thetaRout = 0, abulkCVfactor = 1;
  double rbody = 0, rbodyext = 0, minIsub = 0;
  // capacitances
  double cgso = 0, cgdo = 0, cgeo = 0, cgsl = 0, cgdl = 0, ckappa = 0, tt = 0;
  double csesw = 0, cdesw = 0;
  soi::SubstrateCharge substrate;  // the source's and drain's bottom against the substrate
  double cjswg = 0, pbswg = 0, mjswg = 0;
  // noise
  double kf = 0, af = 1;
  // self-heating (SHMOD 1 with RTH0 != 0): the temperature node's resistance and
  // capacitance, and what the temperature-dependent parameters are computed from
  bool selfheat = false;
  double rth = 0, cth = 0, temp = 300.15;
  double isbjt = 0, isdif = 0, isrec = 0, istunT = 0, xbjt = 2, xrec = 20, xtun = 0;
  double u0 = 0, ute = 0, vsat = 0, at = 0, rdsw = 0, prt = 0, rds0denom = 1;
  double ua0 = 0, ub0 = 0, uc0 = 0, ua1 = 0, ub1 = 0, uc1 = 0;
};

// Currents (mode frame: the drain is the higher of d', s'; `reverse` when
// that is s') and charges (terminal frame) at one bias point, on the number
// type T: double (values), Fwd5 (values and their partials in the local
// vgs, vds, vbs, ves, vps) or Fwd4 (without vps).
template <class T>
struct PointT {
  bool reverse = false;
  T ids = 0, ic = 0;        // channel and bipolar currents drain -> source of the mode
  T iii = 0;                // impact ionisation: drain of the mode -> body
  T igidl = 0, isgidl = 0;  // GIDL: drain -> body, source -> body (mode frame)
  T ibs = 0, ibd = 0;       // body -> source, body -> drain of the mode
  T ibp = 0;                // body -> body contact (BODYMOD 1)
  // charges on g, d', s', b, e (terminal frame; they sum to zero)
  T qg = 0, qd = 0, qs = 0, qb = 0, qe = 0;
  T vth = 0, vdsat = 0, vbseff = 0, vbs0eff = 0, vbsdio = 0, abeff = 0, ueff = 0, qinv = 0;
};
using Fwd5 = semi::Fwd<5>;
using Fwd4 = semi::Fwd<4>;  // vgs, vds, vbs, ves: without a body contact (BODYMOD 1) nothing depends on vps
using Point = PointT<double>;
using PointAd = PointT<Fwd5>;

// Size, temperature and binning of model P for the instance card; fd for
// level 55. Returns an empty string, or what is wrong.
std::string setup(const ParamValues& P, bool pmos, bool fd, double tK, double tnomK, int bodyMod, Inst& p);

// Currents and charges at the local voltages (relative to s'): vgs, vds, vbs,
// ves, vps; charges when `charges`. With self-heating the device is at the
// circuit temperature plus delTemp (K).
Point evaluate(const Inst& p, double vgs, double vds, double vbs, double ves, double vps, bool charges,
               double delTemp = 0.0);
// The same on forward-mode numbers: one evaluation gives the values (bit-identical
// to the double ones) and their exact derivatives in the five voltages.
PointAd evaluate(const Inst& p, const Fwd5& vgs, const Fwd5& vds, const Fwd5& vbs, const Fwd5& ves, const Fwd5& vps,
                 bool charges, double delTemp = 0.0);
// The same without the partials in vps (exact where BODYMOD is not 1).
PointT<Fwd4> evaluate(const Inst& p, const Fwd4& vgs, const Fwd4& vds, const Fwd4& vbs, const Fwd4& ves, double vps,
                      bool charges, double delTemp = 0.0);

// The power the channel dissipates at a point (W, m not applied): Ids * Vds of the mode.
template <class T>
T channelPower(const PointT<T>& pt, const T& vds);

}  // namespace simcore::dev::b3soi
