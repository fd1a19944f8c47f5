// BSIM4 (UC Berkeley's BSIM4.8, as ngspice's level 14 and 54): the size- and
// temperature-dependent parameters of one instance, and the model's currents
// and charges at one bias point. Pure functions, templates on the number type
// (double; semi::Fwd for the derivatives); the device group (bsim4.cpp)
// stamps.
//
// Voltages are local: polarity applied (a pmos is evaluated as an nmos with
// every voltage and current negated), relative to the internal source s'.
#pragma once

#include <string>

#include "devices/descriptor.hpp"
#include "devices/fwd_number.hpp"

namespace simcore::dev::bsim4 {

// One junction (source or drain side) at temperature, sizes of the instance.
struct Junction {
  double isat = 0;                      // saturation current (A)
  double nvtm = 0;                      // emission coefficient times kT/q
  double xExpBV = 0;                    // breakdown term (DIOMOD 0, 2)
  double vjmFwd = 0, ivjmFwd = 0, slpFwd = 0;  // forward linearisation (DIOMOD 1, 2)
  double vjmRev = 0, ivjmRev = 0, slpRev = 0;  // reverse linearisation (DIOMOD 2)
  double xjbv = 0, bv = 0;
  // trap-assisted tunnelling: bottom, sidewall, gate-edge sidewall
  double revSat[3] = {0, 0, 0}, vts[3] = {0, 0, 0}, nvtmr[3] = {1, 1, 1};
  // depletion capacitance components (bottom, sidewall, gate-edge) and their grading
  double cz[3] = {0, 0, 0}, pb[3] = {1, 1, 1}, mj[3] = {0.5, 0.33, 0.33};
};

// One instance at its size and temperature (m not applied; nf applied as
// BSIM4 does).
struct Inst {
  double type = 1;  // +1 nmos, -1 pmos
  double nf = 1;
  int mobMod = 0, capMod = 2, igcMod = 0, igbMod = 0, gidlMod = 0, dioMod = 1, tempMod = 0;
  int cvchargeMod = 0, fnoiMod = 1, tnoiMod = 0, rdsMod = 0;
  // a card of VERSION 4.0 to 4.5: ngspice 39 computes it with its BSIM4.5 model (bsim4v5),
  // whose mobility UD term and capmod 1/2 bulk slope of VdseffCV differ from 4.8's
  bool v45 = false;
  double xpart = 0;
  double toxe = 0, coxe = 0, toxp = 0, coxp = 0, epssub = 0, factor1 = 0;
  // MTRLMOD 1 (EOT, metal gate, substrate material): the gate's permittivity in the poly depletion,
  // the mobility's effective-field offset (BSIM4's T14), and GIDL/GISL's oxide length and flat band
  double epsgate = 0, mobT14 = 0, gidlTox = 0, gidlVfb = 0;
  double vtm = 0, vtm0 = 0, tempRatio = 0;  // tempRatio: T/Tnom - 1
  double leff = 0, weff = 0, leffCV = 0, weffCV = 0, weffCJ = 0;
  // size-dependent, at temperature
  double cdsc = 0, cdscb = 0, cdscd = 0, cit = 0, nfactor = 0, xj = 0, vsattemp = 0;
  double a0 = 0, ags = 0, a1 = 0, a2 = 0, keta = 0, ngate = 0;
  double k1 = 0, k2 = 0, k1ox = 0, k2ox = 0, k3 = 0, k3b = 0, w0 = 0, lpe0 = 0, lpeb = 0;
  double dvtp0 = 0, dvtp1 = 0, dvtp4 = 0, dvtp2factor = 0;
  double dvt0 = 0, dvt1 = 0, dvt2 = 0, dvt0w = 0, dvt1w = 0, dvt2w = 0;
  double eta0 = 0, etab = 0, theta0vb0 = 0, thetaRout = 0;
  double pclm = 0, pdiblb = 0, pscbe1 = 0, pscbe2 = 0, pvag = 0, delta = 0, fprout = 0, pdits = 0, pditsd = 0,
         pditsl = 0;
  double rs0 = 0, rd0 = 0, rswmin = 0, rdwmin = 0;  // RDSMOD 1: external bias-dependent RS, RD
  double rds0 = 0, rdswmin = 0, prwg = 0, prwb = 0, dwg = 0, dwb = 0, b0 = 0, b1 = 0;
  double alpha0 = 0, alpha1 = 0, beta0 = 0;
  double ucs = 0, vgsteffVth = 1;  // MOBMOD 3: Coulomb scattering, Vgsteff at threshold
  double ua = 0, ub = 0, uc = 0, ud = 0, eu = 0, u0temp = 0, kt1 = 0, kt1l = 0, kt2 = 0;
  double voffcbn = 0, mstar = 0, voffcv = 0, voffcbncv = 0, mstarcv = 0, noff = 0;
  double phi = 0, sqrtPhi = 0, xdep0 = 0, litl = 0, vbi = 0, cdep0 = 0, ldeb = 0;
  double acde = 0, moin = 0, vfbcv = 0, abulkCVfactor = 1, ados = 1, bdos = 1;
  double lambda = 0, vtl = 0, tfactor = 0;  // velocity overshoot (lambda > 0), source-end limit (vtl > 0)
  double vth0 = 0, vfb = 0, vfbzb = 0, vtfbphi1 = 0, vtfbphi2 = 0, vbsc = 0;  // with the instance's delvto
  // GIDL / GISL
  double agidl = 0, bgidl = 0, cgidl = 0, egidl = 0, rgidl = 0, kgidl = 0, fgidl = 0;
  double agisl = 0, bgisl = 0, cgisl = 0, egisl = 0, rgisl = 0, kgisl = 0, fgisl = 0;
  // gate tunnelling
  double aigc = 0, bigc = 0, cigc = 0, aigs = 0, bigs = 0, cigs = 0, aigd = 0, bigd = 0, cigd = 0;
  double aigbacc = 0, bigbacc = 0, cigbacc = 0, aigbinv = 0, bigbinv = 0, cigbinv = 0;
  double nigc = 0, nigbacc = 0, nigbinv = 0, eigbinv = 0, pigcd = 0;
  bool pigcdGiven = false;
  double pigcdNum = 0;  // the numerator of PIGCD's default (version dependent, bsim4_setup.cpp)
  double toxRatio = 0, aechvb = 0, bechvb = 0, aechvbEdgeS = 0, aechvbEdgeD = 0, bechvbEdge = 0;
  double vfbsd = 0, vfbsdoff = 0;
  // overlap capacitances (F, nf applied) and their bias-dependent parts
  double cgso = 0, cgdo = 0, cgbo = 0, cgsl = 0, cgdl = 0, ckappas = 0.6, ckappad = 0.6;
  // junctions
  Junction js, jd;
  // body resistance network (RBODYMOD 1): conductances (S, m not applied)
  bool rbody = false;
  int rbodyMod = 0, bodyMode = 5;  // RBODYMOD 2: 5 all resistors, 3 no RBDB/RBSB, 1 only RBPB
  bool rgate = false;       // RGATEMOD 1-3: the gate electrode's resistance
  int rgateMod = 0;
  double grgeltd = 0;       // its conductance (S, m not applied)
  // RGEOMOD 1 with RSH > 0: the source and drain diffusion resistances from the layout (Ohm,
  // BSIM4's RdseffGeo; 0: none), used where NRS / NRD are not given, and whether BSIM4 makes the
  // internal node for them (its own test, on W and NF·M)
  double rsGeo = 0, rdGeo = 0;
  bool rsGeoNode = false, rdGeoNode = false;
  double xrcrg1 = 12, xrcrg2 = 1;  // RGATEMOD 2: the intrinsic input resistance
  double grbpb = 0, grbpd = 0, grbps = 0, grbdb = 0, grbsb = 0;
  // noise
  double kf = 0, af = 1, ef = 1, noia = 0, noib = 0, noic = 0, em = 0, lintnoi = 0;
};

// The model at one bias point, currents and charges in the device's local
// frame (drain current from d' to s' > 0 for an nmos in normal mode). R is
// double, or a forward-mode number (semi::Fwd) whose partials are the exact
// derivatives of the values (bsim4.cpp's Jacobian).
template <class R>
struct PointT {
  R id = 0;    // channel current d' -> s' (negative in reverse mode), nf applied
  R isub = 0;  // impact-ionisation current from the drain of the mode to b
  R igidl = 0, igisl = 0;  // d' -> b and s' -> b
  R igs = 0, igd = 0;      // gate to s', d' (edge tunnelling plus the channel part)
  R igb = 0;               // gate to b
  R igsEdge = 0, igdEdge = 0, igcs = 0, igcd = 0;  // the parts: edge (terminal frame), channel (mode frame)
  bool reverse = false;
  R ibs = 0, ibd = 0;       // junction currents b -> s', b -> d' (gmin included; evaluate() only)
  R qbs = 0, qbd = 0;       // junction depletion charges (b side; evaluate() only)
  R qg = 0, qd = 0, qb = 0;  // terminal charges with overlaps, without junctions (qs = -(qg+qd+qb); evaluate() only)
  R qgi = 0, qdi = 0, qbi = 0;  // the intrinsic charges alone (terminal frame)
  R vth = 0, vdsat = 0, vgsteff = 0, ueff = 0, abulk = 0, rds = 0, vdseff = 0, coxeff = 0, esatL = 0;
  R qinv = 0;   // inversion charge (noise)
  R nstar = 0;  // kT/q (Coxe + eps/Xdep + Cit) / q (flicker noise)
  R gcrg = 0;  // RGATEMOD 2: the intrinsic input conductance in series with the electrode's; 3: alone (S, nf applied)
  R idovvds = 0;  // Ids/Vdseff of the channel (at least 1e-9 per finger), nf applied (noise)
};
using Point = PointT<double>;

// Size, temperature and binning: the instance of model P for the instance
// card's w, l (m), at circuit temperature tK (model nominal tnomK). Returns an
// empty string, or what is wrong (or not supported).
std::string setup(const ParamValues& P, bool pmos, double tK, double tnomK, Inst& p);

// Currents and charges at vgs, vds, vbs (local); gmin across each junction;
// charges are computed when `charges`. The junctions are evaluated at vbs and
// vbd = vbs - vds (without a body resistance network).
Point evaluate(const Inst& p, double vgs, double vds, double vbs, double gmin, bool charges);

// The equations evaluate() shares, on R = double or semi::Fwd<3> (partials in
// vgs, vds, vbs): the channel, substrate, GIDL and gate currents and the
// intrinsic charges, not the junctions and overlaps (ibs, ibd, qbs, qbd, qg,
// qd, qb stay zero: junction(), overlaps() below).
template <class R>
PointT<R> evaluateT(const Inst& p, R vgs, R vds, R vbs, bool charges);

// The current (from the body side into the diffusion, gmin included) and the
// depletion charge of one junction at v.
template <class R>
struct JunctionStateT {
  R i = 0, q = 0;
};
using JunctionState = JunctionStateT<double>;
template <class R>
JunctionStateT<R> junction(const Inst& p, const Junction& j, R v, double gmin);

// The overlap charges of the gate (at vgs, vgd, vgb of the node that holds
// them: the intrinsic gate, or the middle node of RGATEMOD 3), nf applied.
template <class R>
struct OverlapsT {
  R qgs = 0, qgd = 0, qgb = 0;
};
using Overlaps = OverlapsT<double>;
template <class R>
OverlapsT<R> overlaps(const Inst& p, R vgs, R vgd, R vgb);

// RDSMOD 1: the bias-dependent source (or drain) resistance at vgs, vbs (vgd,
// vbd for the drain) of the internal node, in ohms (nf applied).
template <class R>
R biasResistance(const Inst& p, bool drain, R vgs, R vbs);

// The gate's Vgs_eff after its poly (or EPSRGATE) depletion at vgs (BSIM4's BSIM4polyDepletion).
double polyDepletionVgs(double phi, double ngate, double epsgate, double coxe, double vgs);

}  // namespace simcore::dev::bsim4
