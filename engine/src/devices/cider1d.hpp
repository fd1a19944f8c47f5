// CIDER's one-dimensional device simulation (ngspice 39's NUMD and NBJT at
// level 1; docs/cider.md): a semiconductor bar on a 1-D mesh, Poisson's
// equation and the electron and hole continuity equations discretised with
// the box method and Scharfetter-Gummel currents, solved by Newton's method
// in CIDER's normalised units (potential / Vt, densities / NNorm, lengths /
// LNorm). Pure numerics: no I/O, no globals.
//
// The device is solved to convergence at the terminal voltages it is given;
// its carrier contents are charges handed to the circuit's integrator (the
// analysis owns the method: Solve gets ag0 and the history currents), so the
// terminal currents and their derivatives are those of a fully converged bar.
#pragma once

#include <array>
#include <complex>
#include <memory>
#include <string>
#include <vector>

#include "simcore/ir.hpp"
#include "simcore/result.hpp"

namespace simcore::dev::cider {

// ---- the model as its cards describe it (lengths in cm, densities in cm^-3)

struct MobilitySet {
  double muMax = 0, muMin = 0, nRef = 1, exp = 1;
};

struct Material {
  int number = 0;
  enum Kind { Silicon, Polysilicon, GaAs, Insulator } kind = Silicon;
  double eps = 0;        // F/cm
  double affinity = 0;   // eV
  double eg0 = 0;        // band gap at tnom (eV)
  double egAlpha = 0, egBeta = 0;
  double nc0 = 0, nv0 = 0;             // 0: silicon's effective-mass laws
  double bgnDeg[2] = {0, 0}, bgnRef[2] = {1, 1};  // [electron (n-type), hole (p-type)]
  double tau0[2] = {0, 0}, nsrh[2] = {1, 1}, cAug[2] = {0, 0};
  int concModel = 1, fieldModel = 1;  // cider_vocab.hpp MobilityModel
  MobilitySet mu[2][2];               // [electron, hole][majority, minority]
  double vsat[2] = {0, 0}, vwarm[2] = {0, 0};
  double mus[2] = {991, 240};  // surface mobilities (cm^2/Vs; two-dimensional channels)
  // normal-field degradation of surface mobilities (models transmob): 1/(1 + thetaA En + thetaB En^2),
  // thetaA in cm/V, thetaB in cm^2/V^2 (mobility cards' ec.a = 1/thetaA, ec.b = 1/sqrt(thetaB))
  double thetaA[2] = {2.67e-6, 3.07e-6}, thetaB[2] = {4.18e-14, 0.0};
};

struct Profile {
  enum Shape { Uniform, Linear, Gaussian, Exponential, Erfc } shape = Uniform;
  double conc = 0;  // signed: donors positive
  double xLow = 0, xHigh = 0, location = 0, charLength = 1e-4;
  std::vector<int> domains;  // empty: every semiconductor element
  // two dimensions: the box's depth bounds, the principal axis (y unless
  // x.axis), the lateral profile (or the principal one rotated), ratio.lat
  double yLow = 0, yHigh = 0;
  bool xAxis = false, rotate = false;
  Shape lateral = Uniform;
  double ratioLat = 1;
};

// A box of mesh nodes, indices inclusive (two-dimensional devices).
struct NodeBox {
  int ixLo = 0, ixHi = 0, iyLo = 0, iyHi = 0;
};

struct Spec {
  bool bjt = false;
  int level = 1;  // 2: two-dimensional (numd/nbjt level=2, numos)
  bool mos = false;
  // two dimensions: the y mesh (cm, downwards), the regions (card order: a
  // later one overrides an earlier one), the electrodes, contact work functions
  std::vector<double> y;
  struct Region {
    int number = 0, material = 0;  // material: index into materials
    NodeBox box;
  };
  std::vector<Region> regions;
  struct Electrode {
    int number = 0;
    NodeBox box;
    SourceLoc loc;
  };
  std::vector<Electrode> electrodes;
  std::vector<std::pair<int, double>> workfunctions;  // contact number, eV
  // interface cards that make surface channels (models surfmob): the elements
  // of region `domain` in the box, next to region `neighbor` (or to anything
  // else when not given), the layer's width as written (CIDER compares it
  // with the mesh in cm; <= 0: the extrinsic Debye length)
  struct Interface {
    int domain = 0, neighbor = 0;
    bool neighborGiven = false;
    NodeBox box;
    double layerWidth = 0;
  };
  std::vector<Interface> interfaces;
  bool surfMob = false, matchMob = false, transMob = false;
  bool oneCarrier = false;
  double defw = 1e2;  // cm (options defw, m)
  std::vector<double> x;       // mesh node positions (cm), increasing
  std::vector<int> elemMaterial;  // per element: index into materials
  std::vector<int> elemDomain;    // per element: domain number
  std::vector<Material> materials;
  std::vector<Profile> profiles;
  // models card
  bool bgn = false, concMob = false, fieldMob = false, srh = false, concTau = false, auger = false,
       avalanche = false, tempMob = false;
  // options card
  enum DeviceType { Diode, Resistor, Bipolar, Mosfet, Jfet } type = Diode;
  double defa = 1e4;           // cm^2
  double baseArea = 1.0, baseLength = 0, baseDepth = -1;  // cm (< 0: not given)
  double tnomK = -1;           // options tnom (K); < 0: the circuit's
  // method card
  double devtol = 1e-12, dreltol = -1;  // < 0: the circuit's reltol
  int itlim = 20;
  SourceLoc loc;
};

// The model's cards read into a Spec (errors located at the card or parameter).
Result<Spec> readSpec(const ir::Model& m, bool bjt);
// The cards of a two-dimensional model (numd/nbjt level=2: contacts 2 or 3; numos: 4).
Result<Spec> readSpec2(const ir::Model& m, int contacts);

// A material's normalised terms at a temperature (cider_physics.hpp): its
// intrinsic level (normalised potential), Auger and impact-ionisation
// coefficients, saturation velocities, field model.
struct MaterialTerms {
  double refPsi = 0, cn = 0, cp = 0, an = 0, bn = 0, ap = 0, bp = 0;
  double vsatN = 0, vsatP = 0, vwarmN = 0, vwarmP = 0;
  double thetaAN = 0, thetaBN = 0, thetaAP = 0, thetaBP = 0;  // normalised (per field, per field squared)
  int fieldModel = 1;
  bool insulator = false;
};

// ---- the solver

// Terminal biases: NUMD vd = v(n+) - v(n-); NBJT vce = v(c) - v(e), vbe = v(b) - v(e).
struct Bias {
  double v1 = 0;  // vd, or vce
  double v2 = 0;  // vbe (NBJT)
};

// Integration of the carrier charges (owned by the analysis): the current of
// state s is ag0 * q_s + hist[s]; ag0 = 0 and hist = null at DC.
struct TimeTerms {
  double ag0 = 0;
  const double* hist = nullptr;
};

// Terminal currents and their derivatives at a solution. NUMD: i1 into n+
// (out of n-); NBJT: i1 into the collector, i2 into the emitter (the base
// takes -(i1 + i2)). g[a][b] = d i_a / d v_b with v = (v1, v2) of Bias.
struct Terminals {
  double i1 = 0, i2 = 0;
  double g[2][2] = {{0, 0}, {0, 0}};
};

class Bar {
 public:
  // Sets up the bar at temperature tempK (kelvin) and area factor `area`.
  // circuitTnomK, reltol: the circuit's (used where the cards give none).
  Status setup(const Spec& spec, double tempK, double circuitTnomK, double reltol, double area,
               const std::string& deviceName);

  int states() const { return nStates_; }  // charge states: n and p per interior node, 2 displacement
  int unknowns() const { return nu_; }
  bool isBjt() const { return bjt_; }
  bool isPn() const { return pn_; }                 // NUMD: node 1 is p-type (forward is v(n+) > v(n-))
  int polarity() const { return type_; }            // NBJT: +1 npn, -1 pnp; NUMD: +1 p at n+
  Spec::DeviceType deviceType() const { return devType_; }
  int baseNode() const { return baseNode_; }

  // The equilibrium solution (zero bias), the start of every operating point.
  bool equilibrium();
  // Solves at `bias` from the last converged solution (projected along the
  // last sensitivities); halves the step up to 10 times when Newton fails.
  // false: no convergence (the last converged solution is kept).
  bool solve(const Bias& bias, const TimeTerms& t);
  // One Newton step towards `bias` from the last iterate (a transient's
  // coupling, as CIDER's: the circuit's iterations converge the device), the
  // currents linearised to the step's end; true: the step was within the
  // tolerances. The full solve() where no step can be taken.
  bool step(const Bias& bias, const TimeTerms& t);
  // The state at an accepted time point, which every attempt at the next one starts from.
  void keepAccepted();
  void restoreAccepted();

  // The last converged solution's terminal currents and derivatives (after solve()).
  const Terminals& terminals() const { return term_; }
  // Charges of every state at the last converged solution (coulombs).
  void charges(double* q) const;
  // Small-signal terminal admittances at angular frequency omega around the
  // last converged DC solution: y[a][b] = d i_a / d v_b.
  void admittance(double omega, std::complex<double> y[2][2]) const;

  // The last converged solution and its bias (to restore after a failed step).
  struct Snapshot {
    std::vector<double> x;
    Bias bias;
    bool valid = false;
  };
  Snapshot snapshot() const { return {x_, bias_, valid_}; }
  void restore(const Snapshot& s);

  // Diagnostics for messages and tests.
  double psi(int node) const;          // electrostatic potential (V) at a mesh node
  double electrons(int node) const;    // cm^-3
  double holes(int node) const;        // cm^-3
  double netDoping(int node) const { return netN_[static_cast<std::size_t>(node)]; }
  int meshNodes() const { return nNodes_; }
  int lastIterations() const { return lastIters_; }

 private:
  struct Edge {
    double h = 0;                    // normalised length
    double eps = 1;                  // relative to silicon
    double mun0 = 0, mup0 = 0;       // concentration-dependent mobilities (cm^2/Vs)
    double dcb = 0, dvb = 0;         // band terms (BGN)
    int mat = 0;
  };
  struct Eval;  // residual/Jacobian assembly (cider1d.cpp)

  // F(x) and, when jac, the banded Jacobian plus the contact and base columns.
  double assemble(const std::vector<double>& x, const TimeTerms& t, bool jac, Eval& ev) const;
  bool newton(const TimeTerms& t, bool damp, int maxIter);
  // Moves x_ along the sensitivities to `want` (densities kept positive) and sets the bias.
  void project(const Bias& want);
  bool poissonOnly();
  void computeTerminals(const TimeTerms& t);
  // The right-hand sides -dF/dv1, -dF/dv2 of the sensitivity solves (of ev's assembly).
  template <class T>
  void sensitivityRhs(const Eval& ev, std::vector<T>& s1, std::vector<T>& s2) const;
  // d i_a / d v_b from the sensitivities s1, s2 (dx/dv1, dx/dv2) and the factor c of
  // the displacement charges (ag0 in a time step, j omega in AC).
  template <class T>
  void terminalDerivatives(const Eval& ev, const std::vector<T>& s1, const std::vector<T>& s2, T c, T g[2][2]) const;
  double lastContactShift() const;  // psi(last contact) - its equilibrium value, normalised
  void endCharges(double q[2]) const;  // the first and last elements' displacement charges (C)
  double displacementCoefficient(bool last) const;  // end element's charge per unit of normalised potential (C)
  double vbNorm() const;  // base quasi-Fermi potential, normalised
  double potentialTol(double oldV, double newV) const;

  bool bjt_ = false;
  Spec::DeviceType devType_ = Spec::Diode;
  int type_ = 1;
  bool pn_ = true;
  int nNodes_ = 0, nu_ = 0, nStates_ = 0;
  int baseNode_ = -1;
  double gb_ = 0;          // base contact coefficient (normalised)
  double refPsiBase_ = 0;  // refPsi of the base node's material
  // normalisation
  double vt_ = 0, nNorm_ = 0, lNorm_ = 0, tNorm_ = 0, jNorm_ = 0, eNorm_ = 0, epsNorm_ = 0;
  double areaCm2_ = 0;
  double psiShift_ = 0;  // the stored potentials' zero, from the vacuum level (normalised)
  double devtol_ = 1e-12, reltol_ = 1e-3;
  int itlim_ = 20;
  bool bgn_ = false, concMob_ = false, fieldMob_ = false, srh_ = false, auger_ = false, aval_ = false;
  // per node (normalised)
  std::vector<double> netN_;            // cm^-3 (for diagnostics)
  std::vector<double> dop_, nie_, taun_, taup_, box_;
  std::vector<double> psi0_, n0_, p0_;  // contact values and equilibrium potential
  std::vector<int> nodeMat_;
  std::vector<Edge> edges_;
  // per material (normalised)
  std::vector<MaterialTerms> mats_;
  // state
  std::vector<double> x_;   // interior unknowns (psi, n, p per node)
  Bias bias_;
  bool valid_ = false;
  std::vector<double> sens1_, sens2_;  // dx/dv1, dx/dv2 at the last solution
  std::vector<double> lastDx_;         // the Newton update the terminal currents were linearised with
  struct Kept {
    std::vector<double> x;
    Bias bias;
    bool valid = false;
    std::vector<double> sens1, sens2;
  } kept_;
  Terminals term_;
  int lastIters_ = 0;
  // the last converged Newton's assembly at x_, factored (for computeTerminals);
  // shared_ptr only because Eval is defined in the .cpp (a Bar is not shared)
  std::shared_ptr<Eval> final_;
  bool finalOk_ = false, finalValid_ = false;
};

}  // namespace simcore::dev::cider
