// CIDER's two-dimensional device simulation: the mesh and its regions and
// contacts, set-up at a temperature, the box-method equations on rectangles,
// Newton's method on a sparse LU, terminal currents and their derivatives,
// small-signal admittances (cider2d.hpp, docs/cider.md). The physical models
// and the discretisation are ngspice 39's CIDER (facts from its sources: node
// and element ownership, doping boxes and lateral profiles, per-element
// mobilities, contact and gate boundary values); the code is simcore's.
#include "devices/cider2d.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "devices/cider_physics.hpp"
#include "solver/lu.hpp"
#include "solver/sparse.hpp"

namespace simcore::dev::cider {
namespace {

enum NodeKind : unsigned char { kNone = 0, kSemi = 1, kIns = 2, kContact = 3 };

// the value of a profile's shape at a normalised distance a (0 inside its box)
double shapeValue(Profile::Shape s, double a) {
  switch (s) {
    case Profile::Uniform: return a <= 0 ? 1.0 : 0.0;
    case Profile::Linear: return std::fabs(a) > 1 ? 0.0 : 1.0 - std::fabs(a);
    case Profile::Gaussian: return a * a > 80 ? 0.0 : std::exp(-a * a);
    case Profile::Exponential: return std::fabs(a) > 80 ? 0.0 : std::exp(-std::fabs(a));
    case Profile::Erfc: return std::fabs(a) > 10 ? 0.0 : std::erfc(std::fabs(a));
  }
  return 0.0;
}

// CIDER's two-dimensional doping value of a profile at (x, y) (cm)
double dopingAt(const Profile& pr, double x, double y) {
  const double argY = y < pr.yLow ? pr.yLow - y : y > pr.yHigh ? y - pr.yHigh : 0.0;
  const double argX = x < pr.xLow ? pr.xLow - x : x > pr.xHigh ? x - pr.xHigh : 0.0;
  double argP = pr.xAxis ? argX : argY;
  double argL = (pr.xAxis ? argY : argX) / pr.ratioLat;
  if (pr.rotate) {
    argP = std::hypot(argP, argL);
    argL = 0;
  }
  argP = (argP - pr.location) / pr.charLength;
  argL = (argL - pr.location) / pr.charLength;
  double v = pr.conc * shapeValue(pr.shape, argP);
  if (!pr.rotate) {
    // (CIDER zeroes a lateral erfc by the principal distance: kept)
    if (pr.lateral == Profile::Erfc) v *= argP > 10 ? 0.0 : std::erfc(std::fabs(argL));
    else if (pr.lateral == Profile::Uniform) v *= argL > 0 ? 0.0 : 1.0;
    else v *= shapeValue(pr.lateral, argL);
  }
  return v;
}

}  // namespace

struct Plane::Impl {
  // ---- mesh (node m = j * nx + i; element e = j * (nx - 1) + i)
  int nx = 0, ny = 0;
  std::vector<double> xs, ys;  // normalised positions
  std::vector<unsigned char> kind;
  std::vector<int> contact;       // contact index (0-based) of a contact node, else -1
  std::vector<bool> gate;         // a contact node whose elements are insulators only
  std::vector<int> mat;           // the node's material (its evaluating element's)
  std::vector<double> dop, tot, nie, taun, taup, refPsi, area;  // normalised; area: semiconductor box
  std::vector<double> psiC, nC, pC;  // contact nodes: the zero-bias values
  std::vector<double> netCm3;
  std::vector<int> ub;            // first unknown of a node (psi, n, p), -1: none
  struct Elem {
    bool exists = false, semi = false;
    int mat = 0;
    double dx = 0, dy = 0, eps = 1, mun0 = 0, mup0 = 0;
    int channel = 0;    // surface channel (models surfmob): its number, 0 none
    int direction = 0;  // 0: the channel runs along x (a horizontal interface), 1: along y
    bool surface = false;  // the channel's element on the interface
    int oxSlot = -1;       // transmob: its block of oxPos
  };
  // a surface channel: the insulator element across the interface from its first
  // element, and the side of that element the insulator is on (0 top, 1 right, 2 bottom, 3 left)
  struct Channel {
    int oxide = -1, side = 0;
  };
  std::vector<Channel> channels;
  // transmob: per channel element, the matrix positions of its corners' carrier rows
  // (4 corners x n, p) in the columns of the potentials of its channel's insulator element's
  // four nodes (-1: no such entry), 32 per slot
  std::vector<int> oxPos;
  std::vector<Elem> el;
  int nu = 0, nc = 0;
  std::vector<std::vector<int>> contactNodes;
  // ---- physics
  Norm nm;
  std::vector<MaterialTerms> mats;
  double psiShift = 0, widthCm = 1, devtol = 1e-8, reltol = 1e-3;
  int itlim = 50;
  bool fieldMob = false, srh = false, auger = false, transMob = false;
  bool oneCarrier = false;
  int majority = 0;  // onec: 0 electrons, 1 holes
  // ---- the linear system
  std::unique_ptr<solver::SparsePattern> pat;
  std::unique_ptr<solver::SparseLu<double>> lu;
  std::vector<int> posTab;  // per node: 9 directions (self, -x, +x, -y, +y, then the diagonals) x 3 x 3
  // ---- state
  std::vector<double> x;
  std::array<double, kMaxContacts - 1> bias{};
  bool valid = false;
  std::vector<std::vector<double>> sens;  // dx/dv[j] (normalised v) at the last solution
  std::vector<double> lastDx;             // the Newton update terminals() linearised the currents with
  // the state at the last accepted time point (keepAccepted)
  struct Kept {
    std::vector<double> x;
    std::vector<std::vector<double>> sens;
    std::array<double, kMaxContacts - 1> bias{};
    bool valid = false;
  } kept;
  int lastIters = 0;

  // one assembly
  struct Eval {
    std::vector<double> f, a;  // residual, matrix values (pattern order)
    std::vector<std::vector<double>> colV;  // d f / d v[j]
    std::vector<std::vector<double>> curRow, qRow;  // d cur[k] / d x, d q[k] / d x
    std::array<double, kMaxContacts> cur{}, q{};
    double dCur[kMaxContacts][kMaxContacts] = {}, dQ[kMaxContacts][kMaxContacts] = {};  // d/dv (v normalised)
  };
  std::unique_ptr<Eval> fin;  // the last converged Newton's assembly, factored
  // admittance(): the assembly at the solution it was made at (x, bias), kept across
  // the frequencies of an .ac, and the complex LU (one symbolic analysis, refactored)
  struct AcCache {
    std::vector<double> x;
    std::array<double, kMaxContacts - 1> bias{};
    Eval ev;
    std::unique_ptr<solver::SparseLu<std::complex<double>>> lu;
  };
  mutable std::unique_ptr<AcCache> ac;
  bool finOk = false, finValid = false;

  // The contacts' displacement charges are the field fluxes eps dual/h (psi_c - psi_o)
  // along the edges from a contact's nodes to any node not of that contact (set-up).
  struct ContactEdge {
    int k = 0, c = 0, o = 0;
    double coef = 0;
  };
  std::vector<ContactEdge> qEdges;

  int node(int i, int j) const { return j * nx + i; }
  double psiOf(int m, const std::vector<double>& xv) const {
    const std::size_t u = static_cast<std::size_t>(m);
    if (kind[u] == kContact) return psiC[u] + contactShift(m, bias);
    return xv[static_cast<std::size_t>(ub[u])];
  }
  int rowOf(int m, int c) const { return ub[static_cast<std::size_t>(m)] + c; }
  bool hasCarriers(int m) const { return kind[static_cast<std::size_t>(m)] == kSemi; }
  double contactShift(int m, const std::array<double, kMaxContacts - 1>& v) const {
    const int k = contact[static_cast<std::size_t>(m)];
    return k < nc - 1 ? v[static_cast<std::size_t>(k)] : 0.0;
  }
  int dirOf(int a, int b) const {
    const int d = b - a;
    if (d == 0) return 0;
    if (d == -1) return 1;
    if (d == 1) return 2;
    if (d == -nx) return 3;
    if (d == nx) return 4;
    if (d == -nx - 1) return 5;
    if (d == -nx + 1) return 6;
    if (d == nx - 1) return 7;
    return 8;
  }
  int pos(int rm, int rc, int cm, int cc) const {
    return posTab[static_cast<std::size_t>(((rm * 9 + dirOf(rm, cm)) * 3 + rc) * 3 + cc)];
  }

  // Whether carrier c (1 n, 2 p) of semiconductor nodes follows the potential
  // (equilibrium: the Poisson-only solve; one-carrier: the minority).
  bool derived(int c, bool poisson) const { return poisson || (oneCarrier && c - 1 != majority); }

  double assemble(const std::vector<double>& xv, const TimeTerms& t, bool jac, bool poisson, Eval& ev) const;
  bool newton(const TimeTerms& t, bool poisson, int maxIter);
  // Whether an update from xo to xn is within the tolerances: potentials and
  // quasi-Fermi potentials (DC), the unknowns themselves (transient).
  bool deltaSmall(const std::vector<double>& xo, const std::vector<double>& xn, bool transient, bool poisson) const;
  // Densities an update would more than halve move along it in their logarithm instead.
  void keepPositive(const std::vector<double>& xo, std::vector<double>& xn) const;
  // Moves x along the sensitivities to the bias `want` (normalised), densities kept positive.
  void project(const std::array<double, kMaxContacts - 1>& want);
  void terminals(const TimeTerms& t, PlaneTerminals& out);
  double potentialTol(double o, double n) const {
    return devtol + reltol * std::max(std::fabs(o + psiShift), std::fabs(n + psiShift));
  }
};

// ---- residual and Jacobian

double Plane::Impl::assemble(const std::vector<double>& xv, const TimeTerms& t, bool jac, bool poisson,
                             Eval& ev) const {
  const std::size_t NU = static_cast<std::size_t>(nu);
  ev.f.assign(NU, 0.0);
  if (jac) {
    ev.a.assign(static_cast<std::size_t>(pat->nnz()) + 1, 0.0);
    ev.colV.assign(static_cast<std::size_t>(nc), std::vector<double>(NU, 0.0));
    ev.curRow.assign(static_cast<std::size_t>(nc), std::vector<double>(NU, 0.0));
    ev.qRow.assign(static_cast<std::size_t>(nc), std::vector<double>(NU, 0.0));
  }
  ev.cur.fill(0.0);
  ev.q.fill(0.0);
  for (auto& r : ev.dCur) std::fill(std::begin(r), std::end(r), 0.0);
  for (auto& r : ev.dQ) std::fill(std::begin(r), std::end(r), 0.0);
  const bool derN = derived(1, poisson), derP = derived(2, poisson);

  auto psiAt = [&](int m) { return psiOf(m, xv); };
  auto nAt = [&](int m) {
    const std::size_t u = static_cast<std::size_t>(m);
    if (kind[u] == kContact) return nC[u];
    if (derN) return nie[u] * std::exp(xv[static_cast<std::size_t>(ub[u])] - refPsi[u]);
    return xv[static_cast<std::size_t>(ub[u] + 1)];
  };
  auto pAt = [&](int m) {
    const std::size_t u = static_cast<std::size_t>(m);
    if (kind[u] == kContact) return pC[u];
    if (derP) return nie[u] * std::exp(refPsi[u] - xv[static_cast<std::size_t>(ub[u])]);
    return xv[static_cast<std::size_t>(ub[u] + 2)];
  };
  // d(row rc of node rm) / d(variable cc of node cm) += v
  auto addJ = [&](int rm, int rc, int cm, int cc, double v) {
    if (!jac || v == 0) return;
    const std::size_t cu = static_cast<std::size_t>(cm);
    if (kind[cu] == kContact) {
      if (cc == 0) {
        const int k = contact[cu];
        if (k < nc - 1) ev.colV[static_cast<std::size_t>(k)][static_cast<std::size_t>(rowOf(rm, rc))] += v;
      }
      return;
    }
    if (cc == 1 && derN) {
      v *= nAt(cm);  // dn/dpsi = n
      cc = 0;
    } else if (cc == 2 && derP) {
      v *= -pAt(cm);
      cc = 0;
    }
    ev.a[static_cast<std::size_t>(pos(rm, rc, cm, cc))] += v;
  };
  // a contact's current or charge row: d/d(variable cc of node cm)
  auto addT = [&](std::vector<std::vector<double>>& rows, double (*dv)[kMaxContacts], int k, int cm, int cc, double v) {
    if (!jac || v == 0) return;
    const std::size_t cu = static_cast<std::size_t>(cm);
    if (kind[cu] == kContact) {
      if (cc == 0) {
        const int j = contact[cu];
        if (j < nc - 1) dv[k][j] += v;
      }
      return;
    }
    if (cc == 1 && derN) {
      v *= nAt(cm);
      cc = 0;
    } else if (cc == 2 && derP) {
      v *= -pAt(cm);
      cc = 0;
    }
    rows[static_cast<std::size_t>(k)][static_cast<std::size_t>(rowOf(cm, cc))] += v;
  };
  auto isRow = [&](int m) { return kind[static_cast<std::size_t>(m)] != kContact; };
  auto carrierRow = [&](int m, int c) { return isRow(m) && hasCarriers(m) && !(c == 1 ? derN : derP); };

  const int ex = nx - 1;
  for (int j = 0; j + 1 < ny; ++j)
    for (int i = 0; i < ex; ++i) {
      const Elem& E = el[static_cast<std::size_t>(j * ex + i)];
      if (!E.exists) continue;
      const int tl = node(i, j), tr = node(i + 1, j), br = node(i + 1, j + 1), bl = node(i, j + 1);
      // edges (low, high, length, dual)
      const struct {
        int a, b;
        double h, dual;
        int ia, ib;  // the nodes' places in (tl, tr, br, bl)
      } edges[4] = {{tl, tr, E.dx, 0.5 * E.dy, 0, 1},
                    {bl, br, E.dx, 0.5 * E.dy, 3, 2},
                    {tl, bl, E.dy, 0.5 * E.dx, 0, 3},
                    {tr, br, E.dy, 0.5 * E.dx, 1, 2}};
      const MaterialTerms& mt = mats[static_cast<std::size_t>(E.mat)];
      // a surface channel's element: one mobility per carrier for its four edges,
      // from the field along the channel at its centre (CIDER's surface mobility) and,
      // with transmob, the normal fields (its own across the channel, the interface's
      // from its channel's insulator element); their derivatives by the potentials of
      // its four corners and (transmob) the insulator element's four nodes
      int chNode[8] = {tl, tr, br, bl, -1, -1, -1, -1};
      double chMu[2] = {E.mun0, E.mup0}, chD[2][8] = {};
      const bool channel = E.channel > 0 && E.semi;
      const bool trans = channel && E.oxSlot >= 0;
      if (channel && (fieldMob || trans)) {
        const double pTl = psiAt(tl), pTr = psiAt(tr), pBr = psiAt(br), pBl = psiAt(bl);
        auto lnr = [&](int a, int b) {
          return std::log(nie[static_cast<std::size_t>(b)] / nie[static_cast<std::size_t>(a)]);
        };
        // the centre fields along x and y (electrons, holes) and their d/dpsi of (tl, tr, br, bl)
        const double hx = 2 * E.dx, hy = 2 * E.dy;
        const double exN = -((pTr - pTl + lnr(tl, tr)) + (pBr - pBl + lnr(bl, br))) / hx;
        const double exP = -((pTr - pTl - lnr(tl, tr)) + (pBr - pBl - lnr(bl, br))) / hx;
        const double eyN = -((pBl - pTl + lnr(tl, bl)) + (pBr - pTr + lnr(tr, br))) / hy;
        const double eyP = -((pBl - pTl - lnr(tl, bl)) + (pBr - pTr - lnr(tr, br))) / hy;
        const double dEx[4] = {1 / hx, -1 / hx, -1 / hx, 1 / hx}, dEy[4] = {1 / hy, 1 / hy, -1 / hy, -1 / hy};
        const bool alongX = E.direction == 0;
        const double* dLat = alongX ? dEx : dEy;
        const double* dNor = alongX ? dEy : dEx;
        if (!trans) {
          double dmu[2];
          fieldMobility(mt.fieldModel, true, E.mun0, alongX ? exN : eyN, mt.vsatN, mt.vwarmN, chMu[0], dmu[0]);
          fieldMobility(mt.fieldModel, false, E.mup0, alongX ? exP : eyP, mt.vsatP, mt.vwarmP, chMu[1], dmu[1]);
          for (int c = 0; c < 2; ++c)
            for (int k = 0; k < 4; ++k) chD[c][k] = dmu[c] * dLat[k];
        } else {
          // the interface field on the semiconductor side, eps_ins E_ins / eps_si (as CIDER,
          // silicon's permittivity whatever the semiconductor), signed along the channel's
          // normal axis, from the insulator element's potentials
          const Channel& ch = channels[static_cast<std::size_t>(E.channel - 1)];
          const Elem& O = el[static_cast<std::size_t>(ch.oxide)];
          const int oi = ch.oxide % ex, oj = ch.oxide / ex;
          chNode[4] = node(oi, oj), chNode[5] = node(oi + 1, oj), chNode[6] = node(oi + 1, oj + 1),
          chNode[7] = node(oi, oj + 1);
          const double o0 = psiAt(chNode[4]), o1 = psiAt(chNode[5]), o2 = psiAt(chNode[6]), o3 = psiAt(chNode[7]);
          double eS, dS[4];
          if (ch.side % 2 == 0) {  // a horizontal interface: the field along y
            const double c = O.eps / (2 * O.dy);
            eS = -c * ((o3 - o0) + (o2 - o1));
            dS[0] = c, dS[1] = c, dS[2] = -c, dS[3] = -c;
          } else {
            const double c = O.eps / (2 * O.dx);
            eS = -c * ((o1 - o0) + (o2 - o3));
            dS[0] = c, dS[1] = -c, dS[2] = -c, dS[3] = c;
          }
          for (int c = 0; c < 2; ++c) {
            const bool elec = c == 0;
            const double lat = alongX ? (elec ? exN : exP) : (elec ? eyN : eyP);
            const double nor = alongX ? (elec ? eyN : eyP) : (elec ? exN : exP);
            const SurfaceMobility sm =
                surfaceMobility(mt.fieldModel, elec, fieldMob, elec ? E.mun0 : E.mup0, elec ? mt.vsatN : mt.vsatP,
                                elec ? mt.vwarmN : mt.vwarmP, elec ? mt.thetaAN : mt.thetaAP,
                                elec ? mt.thetaBN : mt.thetaBP, lat, E.surface ? eS : nor, eS);
            chMu[c] = sm.mu;
            // at the interface the element's own normal field is the interface's
            const double dNormal = E.surface ? 0.0 : sm.dNormal;
            const double dSurf = sm.dSurface + (E.surface ? sm.dNormal : 0.0);
            for (int k = 0; k < 4; ++k) {
              chD[c][k] = sm.dLateral * dLat[k] + dNormal * dNor[k];
              chD[c][4 + k] = dSurf * dS[k];
            }
          }
        }
      }
      double oxAcc[4][2][4] = {};  // transmob: d(corner's n, p row) / d psi of the insulator nodes
      for (const auto& ed : edges) {
        const int A = ed.a, B = ed.b;
        const double psiA = psiAt(A), psiB = psiAt(B);
        // Poisson: eps dual/h (psi_k - psi_other)
        const double c = E.eps * ed.dual / ed.h;
        if (isRow(A)) {
          ev.f[static_cast<std::size_t>(rowOf(A, 0))] += c * (psiA - psiB);
          addJ(A, 0, A, 0, c);
          addJ(A, 0, B, 0, -c);
        }
        if (isRow(B)) {
          ev.f[static_cast<std::size_t>(rowOf(B, 0))] += c * (psiB - psiA);
          addJ(B, 0, B, 0, c);
          addJ(B, 0, A, 0, -c);
        }
        if (!E.semi) continue;
        // Scharfetter-Gummel currents, this element's share (dual / h, its mobility)
        const double dNie = std::log(nie[static_cast<std::size_t>(B)] / nie[static_cast<std::size_t>(A)]);
        const double dpsi = psiB - psiA;
        const double xn = dpsi + dNie, xp = dpsi - dNie;
        const double rh = 1.0 / ed.h;
        double mun = E.mun0, mup = E.mup0, dmun = 0, dmup = 0;
        if (channel) {
          mun = chMu[0];
          mup = chMu[1];
        } else if (fieldMob) {
          fieldMobility(mt.fieldModel, true, E.mun0, xn * rh, mt.vsatN, mt.vwarmN, mun, dmun);
          fieldMobility(mt.fieldModel, false, E.mup0, xp * rh, mt.vsatP, mt.vwarmP, mup, dmup);
        }
        const double nA = nAt(A), nB = nAt(B), pA = pAt(A), pB = pAt(B);
        const Bern bn = bernoulli(xn), bp = bernoulli(xp);
        // (one carrier: the minority carries no current, as in CIDER's one-carrier systems)
        const double gn = derN ? 0.0 : ed.dual * rh * mun, gp = derP ? 0.0 : ed.dual * rh * mup;
        if (derN) dmun = 0;
        if (derP) dmup = 0;
        const double brn = bn.bp * nB - bn.bm * nA;
        const double jn = gn * brn;
        const double djn = gn * (bn.dbp * nB - bn.dbm * nA) + ed.dual * dmun * rh * rh * brn;  // d/d psiB
        const double brp = bp.bp * pA - bp.bm * pB;
        const double jp = gp * brp;
        const double djp = gp * (bp.dbp * pA - bp.dbm * pB) + ed.dual * dmup * rh * rh * brp;
        // d jn / d (psiA, psiB, nA, nB); d jp / d (psiA, psiB, pA, pB)
        const double dn[4] = {-djn, djn, -gn * bn.bm, gn * bn.bp};
        const double dp[4] = {-djp, djp, gp * bp.bp, -gp * bp.bm};
        for (int side = 0; side < 2; ++side) {
          const int k = side == 0 ? A : B;
          const double sg = side == 0 ? 1.0 : -1.0;
          if (carrierRow(k, 1)) {
            ev.f[static_cast<std::size_t>(rowOf(k, 1))] += sg * jn;
            addJ(k, 1, A, 0, sg * dn[0]);
            addJ(k, 1, B, 0, sg * dn[1]);
            addJ(k, 1, A, 1, sg * dn[2]);
            addJ(k, 1, B, 1, sg * dn[3]);
          }
          if (carrierRow(k, 2)) {
            ev.f[static_cast<std::size_t>(rowOf(k, 2))] += sg * jp;
            addJ(k, 2, A, 0, sg * dp[0]);
            addJ(k, 2, B, 0, sg * dp[1]);
            addJ(k, 2, A, 2, sg * dp[2]);
            addJ(k, 2, B, 2, sg * dp[3]);
          }
          if (channel) {  // the channel mobility's dependence on the four corners (and the insulator's nodes)
            const double wn = gn > 0 ? ed.dual * rh * brn : 0.0, wp = gp > 0 ? ed.dual * rh * brp : 0.0;
            for (int q = 0; q < 4; ++q) {
              if (carrierRow(k, 1)) addJ(k, 1, chNode[q], 0, sg * wn * chD[0][q]);
              if (carrierRow(k, 2)) addJ(k, 2, chNode[q], 0, sg * wp * chD[1][q]);
            }
            if (trans) {
              const int ik = side == 0 ? ed.ia : ed.ib;
              for (int q = 0; q < 4; ++q) {
                if (carrierRow(k, 1)) oxAcc[ik][0][q] += sg * wn * chD[0][4 + q];
                if (carrierRow(k, 2)) oxAcc[ik][1][q] += sg * wp * chD[1][4 + q];
              }
            }
          }
          const int kc = contact[static_cast<std::size_t>(k)];
          if (kc >= 0) {  // the current into the device at this contact
            ev.cur[static_cast<std::size_t>(kc)] += sg * (jn + jp);
            addT(ev.curRow, ev.dCur, kc, A, 0, sg * (dn[0] + dp[0]));
            addT(ev.curRow, ev.dCur, kc, B, 0, sg * (dn[1] + dp[1]));
            addT(ev.curRow, ev.dCur, kc, A, 1, sg * dn[2]);
            addT(ev.curRow, ev.dCur, kc, B, 1, sg * dn[3]);
            addT(ev.curRow, ev.dCur, kc, A, 2, sg * dp[2]);
            addT(ev.curRow, ev.dCur, kc, B, 2, sg * dp[3]);
            if (channel)
              for (int q = 0; q < (trans ? 8 : 4); ++q)
                addT(ev.curRow, ev.dCur, kc, chNode[q], 0,
                     sg * ed.dual * rh * ((gn > 0 ? brn * chD[0][q] : 0.0) + (gp > 0 ? brp * chD[1][q] : 0.0)));
          }
        }
      }
      if (trans && jac)  // the insulator's nodes: a gate contact's voltage, or unknowns away from the corners
        for (int ik = 0; ik < 4; ++ik)
          for (int c = 0; c < 2; ++c)
            for (int q = 0; q < 4; ++q) {
              const double v = oxAcc[ik][c][q];
              if (v == 0) continue;
              const int m = chNode[4 + q];
              if (kind[static_cast<std::size_t>(m)] == kContact) {
                const int kk = contact[static_cast<std::size_t>(m)];
                if (kk < nc - 1)
                  ev.colV[static_cast<std::size_t>(kk)][static_cast<std::size_t>(rowOf(chNode[ik], c + 1))] += v;
                continue;
              }
              const int at = oxPos[static_cast<std::size_t>(E.oxSlot * 32 + (ik * 2 + c) * 4 + q)];
              if (at >= 0) ev.a[static_cast<std::size_t>(at)] += v;
            }
    }

  // the contacts' displacement charges
  for (const ContactEdge& e : qEdges) {
    ev.q[static_cast<std::size_t>(e.k)] += e.coef * (psiAt(e.c) - psiAt(e.o));
    addT(ev.qRow, ev.dQ, e.k, e.c, 0, e.coef);
    addT(ev.qRow, ev.dQ, e.k, e.o, 0, -e.coef);
  }

  // node terms: space charge, recombination, storage; identity rows of derived carriers
  const double timeScale = t.ag0 * nm.tNorm;
  const double histScale = nm.tNorm / kCarrierCharge;
  int sIdx = 0;  // state index of the node's n (p: +1)
  for (int m = 0; m < nx * ny; ++m) {
    const std::size_t u = static_cast<std::size_t>(m);
    if (kind[u] != kSemi) continue;
    const int rpsi = rowOf(m, 0), rn = rowOf(m, 1), rp = rowOf(m, 2);
    const double n = nAt(m), p = pAt(m), box = area[u];
    ev.f[static_cast<std::size_t>(rpsi)] -= box * (dop[u] + p - n);
    addJ(m, 0, m, 1, box);
    addJ(m, 0, m, 2, -box);
    for (int c = 1; c <= 2; ++c)
      if (c == 1 ? derN : derP) {
        ev.f[static_cast<std::size_t>(c == 1 ? rn : rp)] = 0.0;
        if (jac) ev.a[static_cast<std::size_t>(pos(m, c, m, c))] += 1.0;
      }
    if (!poisson && srh) {
      const MaterialTerms& mt = mats[static_cast<std::size_t>(mat[u])];
      const Recombination r = recombination(n, p, nie[u], taun[u], taup[u], auger, mt.cn, mt.cp);
      const double uu = r.u, dun = r.dn, dup = r.dp;
      if (!derN) {
        ev.f[static_cast<std::size_t>(rn)] -= box * uu;
        addJ(m, 1, m, 1, -box * dun);
        addJ(m, 1, m, 2, -box * dup);
      }
      if (!derP) {
        ev.f[static_cast<std::size_t>(rp)] += box * uu;
        addJ(m, 2, m, 1, box * dun);
        addJ(m, 2, m, 2, box * dup);
      }
    }
    if (!poisson && (t.ag0 != 0 || t.hist)) {
      if (!derN) {
        const double hn = t.hist ? t.hist[sIdx] * histScale : 0.0;
        ev.f[static_cast<std::size_t>(rn)] -= timeScale * box * n + hn;
        addJ(m, 1, m, 1, -timeScale * box);
      }
      if (!derP) {
        const double hp = t.hist ? t.hist[sIdx + 1] * histScale : 0.0;
        ev.f[static_cast<std::size_t>(rp)] += timeScale * box * p + hp;
        addJ(m, 2, m, 2, timeScale * box);
      }
    }
    sIdx += 2;
  }
  return maxAbs(ev.f);
}

// ---- set-up

Plane::Plane() = default;
Plane::~Plane() = default;
Plane::Plane(Plane&&) noexcept = default;
Plane& Plane::operator=(Plane&&) noexcept = default;

Status Plane::setup(const Spec& spec, int contacts, double tempK, double circuitTnomK, double reltol, double scale,
                    const std::string& deviceName) {
  d_ = std::make_unique<Impl>();
  Impl& D = *d_;
  devType_ = spec.type;
  auto fail = [&](const std::string& msg) {
    return makeError(ErrorCode::Semantic, "'" + deviceName + "': " + msg, spec.loc);
  };
  const double T = tempK;
  if (auto st = checkTemperature(T, deviceName); !st) return st;
  D.nm = normalisation(T);
  const Norm& nm = D.nm;
  D.devtol = spec.devtol;
  D.reltol = spec.dreltol > 0 ? spec.dreltol : reltol;
  D.itlim = std::max(spec.itlim, 1);
  D.fieldMob = spec.fieldMob;
  D.srh = spec.srh;
  D.auger = spec.auger;
  D.transMob = spec.transMob && spec.surfMob;
  D.oneCarrier = spec.oneCarrier;
  D.widthCm = (scale > 0 ? scale : 1.0) * spec.defw;
  D.nc = nc_ = contacts;
  const int nx = D.nx = static_cast<int>(spec.x.size());
  const int ny = D.ny = static_cast<int>(spec.y.size());
  if (nx < 2 || ny < 2) return fail("the x.mesh and y.mesh cards need at least 2 nodes each");
  const std::size_t NN = static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny);
  if (NN > 200000) return fail("the mesh has " + std::to_string(NN) + " nodes, more than 200000");
  for (double v : spec.x) D.xs.push_back(v / nm.lNorm);
  for (double v : spec.y) D.ys.push_back(v / nm.lNorm);

  // materials at T, potentials from the first semiconductor's intrinsic level
  const double tnom = spec.tnomK > 0 ? spec.tnomK : circuitTnomK;
  std::vector<MaterialAtT> mt(spec.materials.size());
  D.mats.assign(spec.materials.size(), MaterialTerms{});
  bool shifted = false;
  for (std::size_t i = 0; i < spec.materials.size(); ++i) {
    materialAt(spec.materials[i], nm, T, tnom, spec.tempMob, mt[i], D.mats[i]);
    if (!shifted && !D.mats[i].insulator) {
      D.psiShift = mt[i].refPsi;
      shifted = true;
    }
  }
  for (auto& m : D.mats) m.refPsi -= D.psiShift;

  // node types from the regions (a later region overrides), then the electrodes
  const int ex = nx - 1, ey = ny - 1;
  std::vector<int> elemRegion(static_cast<std::size_t>(ex * ey), -1);
  D.kind.assign(NN, kNone);
  for (std::size_t r = 0; r < spec.regions.size(); ++r) {
    const auto& rg = spec.regions[r];
    const bool ins = spec.materials[static_cast<std::size_t>(rg.material)].kind == Material::Insulator;
    for (int j = rg.box.iyLo; j <= rg.box.iyHi; ++j)
      for (int i = rg.box.ixLo; i <= rg.box.ixHi; ++i) {
        D.kind[static_cast<std::size_t>(D.node(i, j))] = ins ? kIns : kSemi;
        if (i < rg.box.ixHi && j < rg.box.iyHi) elemRegion[static_cast<std::size_t>(j * ex + i)] = static_cast<int>(r);
      }
  }
  D.contact.assign(NN, -1);
  D.contactNodes.assign(static_cast<std::size_t>(contacts), {});
  for (const auto& e : spec.electrodes) {
    if (e.number < 1 || e.number > contacts) continue;  // (readSpec2 checked the numbering)
    for (int i = e.box.ixLo; i <= e.box.ixHi; ++i)
      for (int j = e.box.iyLo; j <= e.box.iyHi; ++j) {
        const std::size_t u = static_cast<std::size_t>(D.node(i, j));
        if (D.contact[u] >= 0 && D.contact[u] != e.number - 1)
          return makeError(ErrorCode::Semantic,
                           "'" + deviceName + "': electrodes " + std::to_string(D.contact[u] + 1) + " and " +
                               std::to_string(e.number) + " overlap at mesh node (" + std::to_string(i + 1) + ", " +
                               std::to_string(j + 1) + ")",
                           e.loc);
        D.kind[u] = kContact;
        D.contact[u] = e.number - 1;
      }
  }
  // metal inside an electrode (no neighbour but metal or nothing) is not part of the device
  {
    std::vector<unsigned char> k0 = D.kind;
    auto metalOrNone = [&](int i, int j) {
      if (i < 0 || j < 0 || i >= nx || j >= ny) return true;
      const unsigned char k = k0[static_cast<std::size_t>(D.node(i, j))];
      return k == kNone || k == kContact;
    };
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i) {
        const std::size_t u = static_cast<std::size_t>(D.node(i, j));
        if (k0[u] == kContact && metalOrNone(i - 1, j) && metalOrNone(i + 1, j) && metalOrNone(i, j - 1) &&
            metalOrNone(i, j + 1)) {
          D.kind[u] = kNone;
          D.contact[u] = -1;
        }
      }
  }
  // elements: in a region, with all four corners
  D.el.assign(static_cast<std::size_t>(ex * ey), Impl::Elem{});
  for (int j = 0; j < ey; ++j)
    for (int i = 0; i < ex; ++i) {
      const int r = elemRegion[static_cast<std::size_t>(j * ex + i)];
      if (r < 0) continue;
      bool all = true;
      for (int m : {D.node(i, j), D.node(i + 1, j), D.node(i + 1, j + 1), D.node(i, j + 1)})
        if (D.kind[static_cast<std::size_t>(m)] == kNone) all = false;
      if (!all) continue;
      Impl::Elem& E = D.el[static_cast<std::size_t>(j * ex + i)];
      E.exists = true;
      E.mat = spec.regions[static_cast<std::size_t>(r)].material;
      E.semi = !D.mats[static_cast<std::size_t>(E.mat)].insulator;
      E.dx = D.xs[static_cast<std::size_t>(i + 1)] - D.xs[static_cast<std::size_t>(i)];
      E.dy = D.ys[static_cast<std::size_t>(j + 1)] - D.ys[static_cast<std::size_t>(j)];
      if (!(E.dx > 0) || !(E.dy > 0)) return fail("the mesh's node positions must increase");
      E.eps = spec.materials[static_cast<std::size_t>(E.mat)].eps / nm.epsNorm;
    }
  // node ownership: the first semiconductor element (row-major), else the first insulator one
  D.mat.assign(NN, -1);
  std::vector<int> owner(NN, -1);
  D.gate.assign(NN, false);
  for (int pass = 0; pass < 2; ++pass)
    for (int j = 0; j < ey; ++j)
      for (int i = 0; i < ex; ++i) {
        const int e = j * ex + i;
        const Impl::Elem& E = D.el[static_cast<std::size_t>(e)];
        if (!E.exists || E.semi != (pass == 0)) continue;
        for (int m : {D.node(i, j), D.node(i + 1, j), D.node(i + 1, j + 1), D.node(i, j + 1)}) {
          const std::size_t u = static_cast<std::size_t>(m);
          if (owner[u] >= 0) continue;
          owner[u] = e;
          D.mat[u] = E.mat;
          if (D.kind[u] == kContact) D.gate[u] = !E.semi;
          else D.kind[u] = E.semi ? kSemi : kIns;
        }
      }
  for (std::size_t u = 0; u < NN; ++u)
    if (owner[u] < 0) {  // in no element: not part of the device
      D.kind[u] = kNone;
      D.contact[u] = -1;
    }
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      const int m = D.node(i, j);
      const int k = D.contact[static_cast<std::size_t>(m)];
      if (k >= 0) D.contactNodes[static_cast<std::size_t>(k)].push_back(m);
    }
  for (int k = 0; k < contacts; ++k)
    if (D.contactNodes[static_cast<std::size_t>(k)].empty())
      return fail("electrode " + std::to_string(k + 1) + " touches no element of the device's regions");

  // doping at the semiconductor nodes (the profiles of their owner's region)
  D.netCm3.assign(NN, 0.0);
  D.tot.assign(NN, 0.0);
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      const std::size_t u = static_cast<std::size_t>(D.node(i, j));
      if (owner[u] < 0 || !D.el[static_cast<std::size_t>(owner[u])].semi) continue;
      const int dom = spec.regions[static_cast<std::size_t>(elemRegion[static_cast<std::size_t>(owner[u])])].number;
      double net = 0, total = 0;
      for (const Profile& pr : spec.profiles) {
        if (!pr.domains.empty() && std::find(pr.domains.begin(), pr.domains.end(), dom) == pr.domains.end()) continue;
        const double c = dopingAt(pr, spec.x[static_cast<std::size_t>(i)], spec.y[static_cast<std::size_t>(j)]);
        net += c;
        total += std::fabs(c);
      }
      D.netCm3[u] = net;
      D.tot[u] = total;
    }
  // node parameters: band-gap narrowing, intrinsic density, lifetimes, reference level
  D.dop.assign(NN, 0.0);
  D.nie.assign(NN, 1.0);
  D.taun.assign(NN, 1.0);
  D.taup.assign(NN, 1.0);
  D.refPsi.assign(NN, 0.0);
  for (std::size_t u = 0; u < NN; ++u) {
    if (D.mat[u] < 0) continue;
    const std::size_t mi = static_cast<std::size_t>(D.mat[u]);
    D.refPsi[u] = D.mats[mi].refPsi;
    if (D.mats[mi].insulator) continue;
    const Material& mat = spec.materials[mi];
    const MaterialAtT& a = mt[mi];
    const double net = D.netCm3[u];
    double eg = a.eg;
    if (spec.bgn && net != 0) {
      const int c = net > 0 ? 0 : 1;
      const double l = std::log(std::fabs(net) / mat.bgnRef[c]);
      eg -= mat.bgnDeg[c] * (l + std::sqrt(l * l + 0.5));
    }
    D.nie[u] = std::sqrt(a.nc) * std::sqrt(a.nv) * std::exp(-eg / (2.0 * nm.vt)) / nm.nNorm;
    D.dop[u] = net / nm.nNorm;
    double tn = a.taun, tp = a.taup;
    if (spec.concTau) {
      tn /= 1.0 + D.tot[u] / mat.nsrh[0];
      tp /= 1.0 + D.tot[u] / mat.nsrh[1];
    }
    D.taun[u] = tn;
    D.taup[u] = tp;
  }
  // elements' mobilities (the corners' average total doping), nodes' semiconductor areas
  D.area.assign(NN, 0.0);
  for (int j = 0; j < ey; ++j)
    for (int i = 0; i < ex; ++i) {
      Impl::Elem& E = D.el[static_cast<std::size_t>(j * ex + i)];
      if (!E.exists || !E.semi) continue;
      double conc = 0;
      for (int m : {D.node(i, j), D.node(i + 1, j), D.node(i + 1, j + 1), D.node(i, j + 1)}) {
        conc += 0.25 * D.tot[static_cast<std::size_t>(m)];
        D.area[static_cast<std::size_t>(m)] += 0.25 * E.dx * E.dy;
      }
      const Material& mat = spec.materials[static_cast<std::size_t>(E.mat)];
      MobilitySet sn = mat.mu[0][0], sp = mat.mu[1][1];
      if (spec.tempMob) {
        sn = temperatureScaled(sn, T, true);
        sp = temperatureScaled(sp, T, false);
      }
      E.mun0 = spec.concMob ? concMobility(mat.concModel, sn, conc) : sn.muMax;
      E.mup0 = spec.concMob ? concMobility(mat.concModel, sp, conc) : sp.muMax;
    }

  // surface channels (interface cards with layer.width, models surfmob): from
  // each semiconductor element on the interface, the elements within the
  // layer's width of it take the surface mobilities, and their mobility is
  // computed at their centre from the field along the interface
  if (spec.surfMob) {
    int channels = 0;
    auto regionNumber = [&](int e) {
      const int r = elemRegion[static_cast<std::size_t>(e)];
      return r < 0 ? -1 : spec.regions[static_cast<std::size_t>(r)].number;
    };
    for (const auto& f : spec.interfaces)
      for (int j = f.box.iyLo; j < f.box.iyHi; ++j)
        for (int i = f.box.ixLo; i < f.box.ixHi; ++i) {
          const int e = j * ex + i;
          if (!D.el[static_cast<std::size_t>(e)].exists || regionNumber(e) != f.domain) continue;
          // edges 0 top, 1 right, 2 bottom, 3 left: the element across each, its two nodes
          const int across[4] = {j > 0 ? e - ex : -1, i + 1 < ex ? e + 1 : -1, j + 1 < ey ? e + ex : -1,
                                 i > 0 ? e - 1 : -1};
          const int edgeNodes[4][2] = {{D.node(i, j), D.node(i + 1, j)},
                                       {D.node(i + 1, j), D.node(i + 1, j + 1)},
                                       {D.node(i, j + 1), D.node(i + 1, j + 1)},
                                       {D.node(i, j), D.node(i, j + 1)}};
          for (int k = 0; k < 4; ++k) {
            const int o = across[k];
            const bool oExists = o >= 0 && D.el[static_cast<std::size_t>(o)].exists;
            const bool selected = f.neighborGiven ? oExists && regionNumber(o) == f.neighbor
                                                  : !oExists || regionNumber(o) != f.domain;
            if (!selected) continue;
            Impl::Elem& E = D.el[static_cast<std::size_t>(e)];
            if (!E.semi || E.channel != 0 || !oExists || D.el[static_cast<std::size_t>(o)].semi) continue;
            const int a = edgeNodes[k][0], b = edgeNodes[k][1];
            if (D.kind[static_cast<std::size_t>(a)] == kContact || D.kind[static_cast<std::size_t>(b)] == kContact) continue;
            double width = f.layerWidth;  // (as written: CIDER compares it with the mesh in cm)
            if (width <= 0) {  // the extrinsic Debye length
              double na = 0, nd = 0;
              for (int m : {a, b}) {
                const double net = D.netCm3[static_cast<std::size_t>(m)];
                (net < 0 ? na : nd) += 0.5 * std::fabs(net);
              }
              const MaterialAtT& a0 = mt[static_cast<std::size_t>(E.mat)];
              const double ni = std::sqrt(a0.nc * a0.nv) * std::exp(-a0.eg / (2.0 * nm.vt));
              width = std::sqrt(nm.vt * spec.materials[static_cast<std::size_t>(E.mat)].eps /
                                (kQ * std::max({na, nd, ni})));
            }
            ++channels;
            D.channels.push_back({o, k});
            const int dir = k % 2;
            const int step = k == 0 ? ex : k == 1 ? -1 : k == 2 ? -ex : 1;  // away from the interface
            int cur = e;
            double sum = 0;
            while (sum < width && cur >= 0 && D.el[static_cast<std::size_t>(cur)].exists &&
                   D.el[static_cast<std::size_t>(cur)].channel == 0) {
              Impl::Elem& C = D.el[static_cast<std::size_t>(cur)];
              C.channel = channels;
              C.direction = dir;
              C.surface = cur == e;
              if (!spec.matchMob && C.semi) {
                const Material& cm = spec.materials[static_cast<std::size_t>(C.mat)];
                C.mun0 = cm.mus[0];
                C.mup0 = cm.mus[1];
              }
              sum += (dir == 0 ? C.dy : C.dx) * nm.lNorm;
              const int ci = cur % ex, cj = cur / ex;
              const bool inside = step == ex ? cj + 1 < ey : step == -ex ? cj > 0 : step == 1 ? ci + 1 < ex : ci > 0;
              cur = inside ? cur + step : -1;
            }
          }
        }
  }

  // contact values: ohmic (charge neutral) or a gate (the work function)
  std::vector<double> wf(static_cast<std::size_t>(contacts), 4.10);
  for (const auto& [num, w] : spec.workfunctions)
    if (num >= 1 && num <= contacts) wf[static_cast<std::size_t>(num - 1)] = w;
  D.psiC.assign(NN, 0.0);
  D.nC.assign(NN, 0.0);
  D.pC.assign(NN, 0.0);
  for (std::size_t u = 0; u < NN; ++u) {
    if (D.kind[u] == kNone) continue;
    const double rp = D.refPsi[u];
    if (D.kind[u] == kContact && D.gate[u]) {
      D.psiC[u] = -wf[static_cast<std::size_t>(D.contact[u])] / nm.vt - D.psiShift;
      continue;
    }
    if (D.mats[static_cast<std::size_t>(D.mat[u])].insulator) {
      D.psiC[u] = rp;
      continue;
    }
    const double c = D.dop[u] / D.nie[u];
    D.psiC[u] = rp + std::asinh(0.5 * c);
    D.nC[u] = D.nie[u] * std::exp(D.psiC[u] - rp);
    D.pC[u] = D.nie[u] * std::exp(rp - D.psiC[u]);
  }
  {
    const int first = D.contactNodes[0].front();
    type_ = D.dop[static_cast<std::size_t>(first)] < 0 ? -1 : 1;
    D.majority = type_ > 0 ? 0 : 1;
  }

  // the edges that carry the contacts' displacement charges
  for (int j = 0; j < ey; ++j)
    for (int i = 0; i < ex; ++i) {
      const Impl::Elem& E = D.el[static_cast<std::size_t>(j * ex + i)];
      if (!E.exists) continue;
      const int tl = D.node(i, j), tr = D.node(i + 1, j), br = D.node(i + 1, j + 1), bl = D.node(i, j + 1);
      const struct {
        int a, b;
        double coef;
      } edges[4] = {{tl, tr, E.eps * 0.5 * E.dy / E.dx}, {bl, br, E.eps * 0.5 * E.dy / E.dx},
                    {tl, bl, E.eps * 0.5 * E.dx / E.dy}, {tr, br, E.eps * 0.5 * E.dx / E.dy}};
      for (const auto& ed : edges) {
        const int ka = D.contact[static_cast<std::size_t>(ed.a)], kb = D.contact[static_cast<std::size_t>(ed.b)];
        if (ka == kb) continue;
        if (ka >= 0) D.qEdges.push_back({ka, ed.a, ed.b, ed.coef});
        if (kb >= 0) D.qEdges.push_back({kb, ed.b, ed.a, ed.coef});
      }
    }

  // unknowns: (psi, n, p) per semiconductor node, psi per insulator node
  D.ub.assign(NN, -1);
  int nu = 0;
  for (std::size_t u = 0; u < NN; ++u) {
    if (D.kind[u] == kSemi) {
      D.ub[u] = nu;
      nu += 3;
    } else if (D.kind[u] == kIns) {
      D.ub[u] = nu;
      nu += 1;
    }
  }
  if (nu == 0) return fail("the device has no node to solve (every node is a contact)");
  D.nu = nu;
  D.pat = std::make_unique<solver::SparsePattern>(nu);
  auto comps = [&](int m) { return D.kind[static_cast<std::size_t>(m)] == kSemi ? 3 : 1; };
  // a node's diagonal neighbours couple only through a channel element's mobility
  auto channelBetween = [&](int i0, int j0, int i1, int j1) {
    const int i = std::min(i0, i1), j = std::min(j0, j1);
    return i >= 0 && j >= 0 && i < ex && j < ey && D.el[static_cast<std::size_t>(j * ex + i)].channel > 0;
  };
  auto neighbours = [&](int m, int out[9]) {
    const int i = m % nx, j = m / nx;
    out[0] = m;
    out[1] = i > 0 ? m - 1 : -1;
    out[2] = i + 1 < nx ? m + 1 : -1;
    out[3] = j > 0 ? m - nx : -1;
    out[4] = j + 1 < ny ? m + nx : -1;
    out[5] = i > 0 && j > 0 && channelBetween(i, j, i - 1, j - 1) ? m - nx - 1 : -1;
    out[6] = i + 1 < nx && j > 0 && channelBetween(i, j, i + 1, j - 1) ? m - nx + 1 : -1;
    out[7] = i > 0 && j + 1 < ny && channelBetween(i, j, i - 1, j + 1) ? m + nx - 1 : -1;
    out[8] = i + 1 < nx && j + 1 < ny && channelBetween(i, j, i + 1, j + 1) ? m + nx + 1 : -1;
  };
  // transmob: a channel element's mobility follows the interface field, from the potentials of
  // its channel's insulator element
  auto elemNodes = [&](int e, int out[4]) {  // (tl, tr, br, bl)
    const int i = e % ex, j = e / ex;
    out[0] = D.node(i, j), out[1] = D.node(i + 1, j), out[2] = D.node(i + 1, j + 1), out[3] = D.node(i, j + 1);
  };
  int oxSlots = 0;
  if (D.transMob)
    for (auto& E : D.el)
      if (E.channel > 0 && E.semi) E.oxSlot = oxSlots++;
  D.oxPos.assign(static_cast<std::size_t>(oxSlots) * 32, -1);
  auto oxEntries = [&](bool store) {
    for (int e = 0; e < ex * ey; ++e) {
      const Impl::Elem& E = D.el[static_cast<std::size_t>(e)];
      if (E.oxSlot < 0) continue;
      int cn[4], on[4];
      elemNodes(e, cn);
      elemNodes(D.channels[static_cast<std::size_t>(E.channel - 1)].oxide, on);
      for (int q = 0; q < 4; ++q) {
        if (D.kind[static_cast<std::size_t>(cn[q])] != kSemi) continue;
        for (int c = 1; c <= 2; ++c)
          for (int r = 0; r < 4; ++r) {
            const int col = D.ub[static_cast<std::size_t>(on[r])];
            if (col < 0) continue;
            const int p = D.pat->entry(D.ub[static_cast<std::size_t>(cn[q])] + c + 1, col + 1);
            if (store) D.oxPos[static_cast<std::size_t>(E.oxSlot * 32 + (q * 2 + c - 1) * 4 + r)] = p;
          }
      }
    }
  };
  for (int phase = 0; phase < 2; ++phase) {
    if (phase == 1) {
      D.pat->finalize();
      D.posTab.assign(NN * 81, D.pat->bin());
    }
    oxEntries(phase == 1);
    for (int m = 0; m < nx * ny; ++m) {
      if (D.ub[static_cast<std::size_t>(m)] < 0) continue;
      int nb[9];
      neighbours(m, nb);
      for (int dir = 0; dir < 9; ++dir) {
        const int o = nb[dir];
        if (o < 0 || D.ub[static_cast<std::size_t>(o)] < 0) continue;
        for (int rc = 0; rc < comps(m); ++rc)
          for (int cc = 0; cc < comps(o); ++cc) {
            const int p = D.pat->entry(D.ub[static_cast<std::size_t>(m)] + rc + 1, D.ub[static_cast<std::size_t>(o)] + cc + 1);
            if (phase == 1) D.posTab[static_cast<std::size_t>(((m * 9 + dir) * 3 + rc) * 3 + cc)] = p;
          }
      }
    }
  }
  D.lu = std::make_unique<solver::SparseLu<double>>(*D.pat);

  // the neutral guess
  D.x.assign(static_cast<std::size_t>(nu), 0.0);
  for (std::size_t u = 0; u < NN; ++u) {
    if (D.ub[u] < 0) continue;
    const std::size_t b = static_cast<std::size_t>(D.ub[u]);
    D.x[b] = D.psiC[u];
    if (D.kind[u] == kSemi) {
      D.x[b + 1] = D.nC[u];
      D.x[b + 2] = D.pC[u];
    }
  }
  D.bias.fill(0.0);
  D.valid = false;
  D.sens.assign(static_cast<std::size_t>(contacts - 1), std::vector<double>(static_cast<std::size_t>(nu), 0.0));
  return {};
}

int Plane::carrierStates() const {
  int n = 0;
  for (unsigned char k : d_->kind)
    if (k == kSemi) n += 2;
  return n;
}
int Plane::states() const { return carrierStates() + nc_; }

int Plane::meshNodes() const { return d_->nx * d_->ny; }
int Plane::unknowns() const { return d_->nu; }
int Plane::lastIterations() const { return d_->lastIters; }

// ---- solutions

bool Plane::Impl::deltaSmall(const std::vector<double>& xv, const std::vector<double>& xn, bool transient,
                             bool poisson) const {
  const bool derN = derived(1, poisson), derP = derived(2, poisson);
  for (int m = 0; m < nx * ny; ++m) {
    const std::size_t u = static_cast<std::size_t>(m);
    if (ub[u] < 0) continue;
    const std::size_t b = static_cast<std::size_t>(ub[u]);
    if (std::fabs(xn[b] - xv[b]) > potentialTol(xv[b], xn[b])) return false;
    if (kind[u] != kSemi) continue;
    for (int c = 1; c <= 2; ++c) {
      if (c == 1 ? derN : derP) continue;
      const double o = xv[b + static_cast<std::size_t>(c)], nw = xn[b + static_cast<std::size_t>(c)];
      // (a density at or near zero: the change itself, within the absolute tolerance;
      // keepPositive() then keeps it from going negative)
      if (!std::isfinite(nw)) return false;
      if (transient || !(o > 0) || !(nw > 0)) {
        if (std::fabs(nw - o) > devtol + reltol * std::max(std::fabs(o), std::fabs(nw))) return false;
      } else {
        const double sg = c == 1 ? -1.0 : 1.0;
        const double qo = xv[b] + sg * std::log(o / nie[u]), qn = xn[b] + sg * std::log(nw / nie[u]);
        if (std::fabs(qn - qo) > potentialTol(qo, qn)) return false;
      }
    }
  }
  return true;
}

void Plane::Impl::keepPositive(const std::vector<double>& xv, std::vector<double>& xn) const {
  for (int m = 0; m < nx * ny; ++m) {
    const std::size_t u = static_cast<std::size_t>(m);
    if (kind[u] != kSemi) continue;
    for (int c = 1; c <= 2; ++c) {
      const std::size_t k = static_cast<std::size_t>(ub[u] + c);
      const double old = xv[k];
      if (old > 0 && xn[k] < 0.5 * old) xn[k] = old * std::exp(std::max((xn[k] - old) / old, -700.0));
      else if (!(xn[k] > 0)) xn[k] = 0.0;
    }
  }
}

void Plane::Impl::project(const std::array<double, kMaxContacts - 1>& want) {
  const std::vector<double> xs = x;
  for (std::size_t i = 0; i < x.size(); ++i) {
    double g = x[i];
    for (int j = 0; j < nc - 1; ++j)
      g += sens[static_cast<std::size_t>(j)][i] * (want[static_cast<std::size_t>(j)] - bias[static_cast<std::size_t>(j)]);
    x[i] = g;
  }
  for (int m = 0; m < nx * ny; ++m) {
    const std::size_t u = static_cast<std::size_t>(m);
    if (kind[u] != kSemi) continue;
    for (int c = 1; c <= 2; ++c) {
      const std::size_t k = static_cast<std::size_t>(ub[u] + c);
      if (x[k] > 0) continue;
      double lambda = 0.5;
      while (lambda > 1e-6 && !(xs[k] + lambda * (x[k] - xs[k]) > 0)) lambda *= 0.5;
      const double g = xs[k] + lambda * (x[k] - xs[k]);
      x[k] = g > 0 ? g : xs[k];
    }
  }
  bias = want;
}

bool Plane::Impl::newton(const TimeTerms& t, bool poisson, int maxIter) {
  Eval ev;
  std::vector<double> xv = x;
  double norm = assemble(xv, t, true, poisson, ev);
  if (!std::isfinite(norm)) return false;
  int deltaOk = 0;
  lastIters = 0;
  double best = norm;
  int stalled = 0;
  const bool transient = t.ag0 != 0;
  std::vector<double> d, xn(xv.size());
  Eval trial;
  for (int it = 0; it < maxIter; ++it) {
    ++lastIters;
    if (lu->factor(ev.a.data()) != solver::LuOutcome::Ok) return false;
    d = ev.f;
    for (double& v : d) v = -v;
    lu->solve(d.data());
    // damping: the full step, else Fibonacci fractions of it, while it lowers the residual
    double lambda = 1.0;
    double fa = 1, fb = 1;
    for (int k = 0;; ++k) {
      for (std::size_t i = 0; i < xv.size(); ++i) xn[i] = xv[i] + lambda * d[i];
      if (norm <= 1e-6) break;  // no line search near the solution
      const double nn = assemble(xn, t, false, poisson, trial);
      if (nn < norm) break;
      if (k >= 10) return false;
      const double fc = fa + fb;
      lambda *= fb / fc;
      fa = fb;
      fb = fc;
    }
    // convergence: potentials and quasi-Fermi potentials (DC), the unknowns (transient)
    const bool small = lambda == 1.0 && deltaSmall(xv, xn, transient, poisson);
    keepPositive(xv, xn);
    xv.swap(xn);
    norm = assemble(xv, t, true, poisson, ev);
    if (!std::isfinite(norm)) return false;
    if (small) {
      ++deltaOk;
      if (norm <= devtol || (deltaOk >= 2 && norm < 1e3 * devtol) || deltaOk >= 4) {
        x = xv;
        if (poisson) {
          for (int m = 0; m < nx * ny; ++m) {
            const std::size_t u = static_cast<std::size_t>(m);
            if (kind[u] != kSemi) continue;
            const std::size_t b = static_cast<std::size_t>(ub[u]);
            x[b + 1] = nie[u] * std::exp(x[b] - refPsi[u]);
            x[b + 2] = nie[u] * std::exp(refPsi[u] - x[b]);
          }
          return true;
        }
        if (!fin) fin = std::make_unique<Eval>();
        std::swap(*fin, ev);
        finOk = lu->factor(fin->a.data()) == solver::LuOutcome::Ok;
        finValid = true;
        return true;
      }
    }
    if (norm < 0.5 * best) {
      best = norm;
      stalled = 0;
    } else if (++stalled >= 8) {
      return false;
    }
  }
  return false;
}

void Plane::Impl::terminals(const TimeTerms& t, PlaneTerminals& out) {
  if (!fin) fin = std::make_unique<Eval>();
  if (!finValid) {
    assemble(x, t, true, false, *fin);
    finOk = lu->factor(fin->a.data()) == solver::LuOutcome::Ok;
  }
  finValid = false;
  Eval& ev = *fin;
  const std::size_t NU = static_cast<std::size_t>(nu);
  for (int j = 0; j < nc - 1; ++j) {
    auto& s = sens[static_cast<std::size_t>(j)];
    for (std::size_t i = 0; i < NU; ++i) s[i] = finOk ? -ev.colV[static_cast<std::size_t>(j)][i] : 0.0;
    if (finOk) lu->solve(s.data());
  }
  // the last Newton update, not applied (ngspice's linearised terminal currents)
  std::vector<double>& dx = lastDx;
  dx = ev.f;
  for (double& v : dx) v = finOk ? -v : 0.0;
  if (finOk) lu->solve(dx.data());
  const double sI = nm.jNorm * nm.lNorm * widthCm;          // A per normalised current
  const double sQ = nm.epsNorm * nm.vt * widthCm;            // C per normalised charge
  int carrierStates = 0;
  for (unsigned char k : kind)
    if (k == kSemi) carrierStates += 2;
  PlaneTerminals r;
  for (int k = 0; k < nc; ++k) {
    const auto& cr = ev.curRow[static_cast<std::size_t>(k)];
    const auto& qr = ev.qRow[static_cast<std::size_t>(k)];
    double lin = 0;
    for (std::size_t i = 0; i < NU; ++i) lin += cr[i] * dx[i];
    const double hq = t.hist ? t.hist[carrierStates + k] : 0.0;
    r.i[static_cast<std::size_t>(k)] = sI * (ev.cur[static_cast<std::size_t>(k)] + lin) + t.ag0 * sQ * ev.q[static_cast<std::size_t>(k)] + hq;
    for (int j = 0; j < nc - 1; ++j) {
      const auto& s = sens[static_cast<std::size_t>(j)];
      double dc = ev.dCur[k][j], dq = ev.dQ[k][j];
      for (std::size_t i = 0; i < NU; ++i) {
        dc += cr[i] * s[i];
        dq += qr[i] * s[i];
      }
      r.g[k][j] = (sI * dc + t.ag0 * sQ * dq) / nm.vt;
    }
  }
  // At DC the currents sum to zero: a contact's derivative by its own voltage
  // is the others' negated sum, which has no direct term to cancel (measured
  // at the moving contact, the direct term and the interior's response cancel
  // to a few 1e-14 S of rounding in a reverse-biased junction).
  if (t.ag0 == 0 && !t.hist)
    for (int j = 0; j < nc - 1; ++j) {
      double sum = 0;
      for (int k = 0; k < nc; ++k)
        if (k != j) sum += r.g[k][j];
      r.g[j][j] = -sum;
    }
  out = r;
}

bool Plane::equilibrium() {
  Impl& D = *d_;
  D.bias.fill(0.0);
  if (!D.newton(TimeTerms{}, true, 100)) return false;
  if (!D.newton(TimeTerms{}, false, std::max(D.itlim, 50))) return false;
  D.valid = true;
  D.terminals(TimeTerms{}, term_);
  return true;
}

bool Plane::solve(const double* v, const TimeTerms& t) {
  Impl& D = *d_;
  if (!D.valid && !equilibrium()) return false;
  const std::vector<double> x0 = D.x;
  const auto b0 = D.bias;
  std::array<double, kMaxContacts - 1> target{};
  for (int j = 0; j < nc_ - 1; ++j) target[static_cast<std::size_t>(j)] = v[j] / D.nm.vt;
  double done = 0, step = 1.0;
  const bool transient = t.ag0 != 0;
  for (int tries = 0; tries < 64 && done < 1.0; ++tries) {
    const double to = std::min(1.0, done + step);
    std::array<double, kMaxContacts - 1> want{};
    for (int j = 0; j < nc_ - 1; ++j) {
      const std::size_t k = static_cast<std::size_t>(j);
      want[k] = b0[k] + to * (target[k] - b0[k]);
    }
    const std::vector<double> xs = D.x;
    const auto bs = D.bias;
    D.project(want);  // the guess: the last solution moved along its sensitivities
    if (D.newton(t, false, std::max(D.itlim, transient ? 30 : 50))) {
      done = to;
      D.terminals(t, term_);
      step = std::min(1.0 - done, 2.0 * step);
      if (step <= 0) break;
    } else {
      D.x = xs;
      D.bias = bs;
      D.finValid = false;
      step *= 0.5;
      if (step < 1.0 / 1024.0) break;
    }
  }
  if (done < 1.0) {
    D.x = x0;
    D.bias = b0;
    D.finValid = false;
    D.terminals(t, term_);
    return false;
  }
  return true;
}

void Plane::keepAccepted() {
  Impl& D = *d_;
  if (!D.valid) return;
  D.kept.x = D.x;
  D.kept.sens = D.sens;
  D.kept.bias = D.bias;
  D.kept.valid = true;
}

void Plane::restoreAccepted() {
  Impl& D = *d_;
  if (!D.kept.valid) return;
  D.x = D.kept.x;
  D.sens = D.kept.sens;
  D.bias = D.kept.bias;
  D.finValid = false;
}

bool Plane::step(const double* v, const TimeTerms& t) {
  Impl& D = *d_;
  if (!D.valid) return solve(v, t);
  std::array<double, kMaxContacts - 1> want{};
  for (int j = 0; j < nc_ - 1; ++j) want[static_cast<std::size_t>(j)] = v[j] / D.nm.vt;
  const std::vector<double> x0 = D.x;
  const auto b0 = D.bias;
  if (want != D.bias) D.project(want);
  if (!D.fin) D.fin = std::make_unique<Impl::Eval>();
  const double norm = D.assemble(D.x, t, true, false, *D.fin);
  D.finOk = std::isfinite(norm) && D.lu->factor(D.fin->a.data()) == solver::LuOutcome::Ok;
  if (!D.finOk) {  // a step from here cannot be taken: the full solve from the last state
    D.x = x0;
    D.bias = b0;
    D.finValid = false;
    return solve(v, t);
  }
  D.finValid = true;
  // the currents linearised to the step's end (terminals() solves for the step)
  D.terminals(t, term_);
  std::vector<double> xn(D.x.size());
  for (std::size_t i = 0; i < xn.size(); ++i) xn[i] = D.x[i] + D.lastDx[i];
  const bool small = D.deltaSmall(D.x, xn, true, false);
  D.keepPositive(D.x, xn);
  D.x.swap(xn);
  D.lastIters = 1;
  return small && norm < 1e3 * D.devtol;
}

void Plane::charges(double* q) const {
  const Impl& D = *d_;
  int s = 0;
  for (int m = 0; m < D.nx * D.ny; ++m) {
    const std::size_t u = static_cast<std::size_t>(m);
    if (D.kind[u] != kSemi) continue;
    const std::size_t b = static_cast<std::size_t>(D.ub[u]);
    const double n = D.derived(1, false) ? D.nie[u] * std::exp(D.x[b] - D.refPsi[u]) : D.x[b + 1];
    const double p = D.derived(2, false) ? D.nie[u] * std::exp(D.refPsi[u] - D.x[b]) : D.x[b + 2];
    q[s++] = kCarrierCharge * D.area[u] * n;
    q[s++] = kCarrierCharge * D.area[u] * p;
  }
  // the contacts' displacement charges (the fields at their nodes)
  std::array<double, kMaxContacts> qc{};
  for (const auto& e : D.qEdges)
    qc[static_cast<std::size_t>(e.k)] += e.coef * (D.psiOf(e.c, D.x) - D.psiOf(e.o, D.x));
  const double sQ = D.nm.epsNorm * D.nm.vt * D.widthCm;
  for (int k = 0; k < nc_; ++k) q[s++] = sQ * qc[static_cast<std::size_t>(k)];
}

void Plane::admittance(double omega, std::complex<double> y[kMaxContacts][kMaxContacts - 1]) const {
  using C = std::complex<double>;
  const Impl& D = *d_;
  for (int a = 0; a < kMaxContacts; ++a)
    for (int b = 0; b < kMaxContacts - 1; ++b) y[a][b] = 0.0;
  if (!D.ac) D.ac = std::make_unique<Impl::AcCache>();
  Impl::AcCache& cache = *D.ac;
  if (!cache.lu || cache.x != D.x || cache.bias != D.bias) {
    D.assemble(D.x, TimeTerms{}, true, false, cache.ev);
    cache.x = D.x;
    cache.bias = D.bias;
    if (!cache.lu) cache.lu = std::make_unique<solver::SparseLu<C>>(*D.pat);
  }
  const Impl::Eval& ev = cache.ev;
  std::vector<C> a(ev.a.begin(), ev.a.end());
  const C jw(0.0, omega * D.nm.tNorm);
  for (int m = 0; m < D.nx * D.ny; ++m) {
    const std::size_t u = static_cast<std::size_t>(m);
    if (D.kind[u] != kSemi) continue;
    if (!D.derived(1, false)) a[static_cast<std::size_t>(D.pos(m, 1, m, 1))] -= jw * D.area[u];
    if (!D.derived(2, false)) a[static_cast<std::size_t>(D.pos(m, 2, m, 2))] += jw * D.area[u];
  }
  solver::SparseLu<C>& lu = *cache.lu;
  if (lu.factor(a.data()) != solver::LuOutcome::Ok) {
    lu.invalidate();  // (pivots again next time)
    return;
  }
  const std::size_t NU = static_cast<std::size_t>(D.nu);
  const double sI = D.nm.jNorm * D.nm.lNorm * D.widthCm, sQ = D.nm.epsNorm * D.nm.vt * D.widthCm;
  for (int j = 0; j < nc_ - 1; ++j) {
    std::vector<C> s(NU);
    for (std::size_t i = 0; i < NU; ++i) s[i] = -ev.colV[static_cast<std::size_t>(j)][i];
    lu.solve(s.data());
    for (int k = 0; k < nc_; ++k) {
      C dc = ev.dCur[k][j], dq = ev.dQ[k][j];
      const auto& cr = ev.curRow[static_cast<std::size_t>(k)];
      const auto& qr = ev.qRow[static_cast<std::size_t>(k)];
      for (std::size_t i = 0; i < NU; ++i) {
        dc += cr[i] * s[i];
        dq += qr[i] * s[i];
      }
      y[k][j] = (sI * dc + C(0.0, omega) * sQ * dq) / D.nm.vt;
    }
  }
}

double Plane::psi(int ix, int iy) const {
  const Impl& D = *d_;
  if (ix < 0 || iy < 0 || ix >= D.nx || iy >= D.ny) return std::numeric_limits<double>::quiet_NaN();
  const int m = D.node(ix, iy);
  const std::size_t u = static_cast<std::size_t>(m);
  if (D.kind[u] == kNone) return std::numeric_limits<double>::quiet_NaN();
  const double p = D.kind[u] == kContact ? D.psiC[u] + D.contactShift(m, D.bias) : D.x[static_cast<std::size_t>(D.ub[u])];
  return (p + D.psiShift) * D.nm.vt;
}
double Plane::electrons(int ix, int iy) const {
  const Impl& D = *d_;
  const int m = D.node(ix, iy);
  const std::size_t u = static_cast<std::size_t>(m);
  if (D.kind[u] == kContact) return D.nC[u] * D.nm.nNorm;
  if (D.kind[u] != kSemi) return 0.0;
  const std::size_t b = static_cast<std::size_t>(D.ub[u]);
  return (D.derived(1, false) ? D.nie[u] * std::exp(D.x[b] - D.refPsi[u]) : D.x[b + 1]) * D.nm.nNorm;
}
double Plane::holes(int ix, int iy) const {
  const Impl& D = *d_;
  const int m = D.node(ix, iy);
  const std::size_t u = static_cast<std::size_t>(m);
  if (D.kind[u] == kContact) return D.pC[u] * D.nm.nNorm;
  if (D.kind[u] != kSemi) return 0.0;
  const std::size_t b = static_cast<std::size_t>(D.ub[u]);
  return (D.derived(2, false) ? D.nie[u] * std::exp(D.refPsi[u] - D.x[b]) : D.x[b + 2]) * D.nm.nNorm;
}

}  // namespace simcore::dev::cider
