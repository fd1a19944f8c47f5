// CIDER's one-dimensional device simulation: set-up at a temperature, the
// discretised equations, Newton's method, terminal currents and their
// derivatives, small-signal admittances (cider1d.hpp, docs/cider.md). The
// physical models and constants are ngspice 39's CIDER (facts from its
// sources: material defaults, mobility laws, band-gap narrowing, SRH, Auger,
// impact ionisation, the normalisation); the code is simcore's.
#include "devices/cider1d.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "devices/cider_physics.hpp"

namespace simcore::dev::cider {
namespace {

template <class T>
class Band {
 public:
  void resize(int n, int kl, int ku) {
    n_ = n;
    kl_ = kl;
    ku_ = ku;
    ld_ = 2 * kl + ku + 1;
    a_.assign(static_cast<std::size_t>(ld_) * static_cast<std::size_t>(std::max(n, 1)), T(0));
    piv_.assign(static_cast<std::size_t>(std::max(n, 1)), 0);
  }
  void zero() { std::fill(a_.begin(), a_.end(), T(0)); }
  T& at(int i, int j) { return a_[static_cast<std::size_t>(kl_ + ku_ + i - j) + static_cast<std::size_t>(ld_) * j]; }
  T at(int i, int j) const { return a_[static_cast<std::size_t>(kl_ + ku_ + i - j) + static_cast<std::size_t>(ld_) * j]; }
  // Adds v at (i, j); j must be within the original band of i.
  void add(int i, int j, T v) { at(i, j) += v; }
  int size() const { return n_; }

  bool factor() {
    int ju = 0;
    for (int j = 0; j < n_; ++j) {
      const int km = std::min(kl_, n_ - 1 - j);
      int p = 0;
      double best = std::abs(at(j, j));
      for (int i = 1; i <= km; ++i) {
        const double v = std::abs(at(j + i, j));
        if (v > best) {
          best = v;
          p = i;
        }
      }
      piv_[static_cast<std::size_t>(j)] = j + p;
      if (!(best > 0) || !std::isfinite(best)) return false;
      ju = std::max(ju, std::min(j + ku_ + p, n_ - 1));
      if (p != 0)
        for (int c = j; c <= ju; ++c) std::swap(at(j, c), at(j + p, c));
      if (km > 0) {
        const T inv = T(1) / at(j, j);
        for (int i = 1; i <= km; ++i) at(j + i, j) *= inv;
        for (int c = j + 1; c <= ju; ++c) {
          const T u = at(j, c);
          if (u == T(0)) continue;
          for (int i = 1; i <= km; ++i) at(j + i, c) -= at(j + i, j) * u;
        }
      }
    }
    return true;
  }
  void solve(std::vector<T>& b) const {
    for (int j = 0; j < n_; ++j) {
      const int p = piv_[static_cast<std::size_t>(j)];
      if (p != j) std::swap(b[static_cast<std::size_t>(j)], b[static_cast<std::size_t>(p)]);
      const int km = std::min(kl_, n_ - 1 - j);
      const T bj = b[static_cast<std::size_t>(j)];
      for (int i = 1; i <= km; ++i) b[static_cast<std::size_t>(j + i)] -= at(j + i, j) * bj;
    }
    for (int j = n_ - 1; j >= 0; --j) {
      b[static_cast<std::size_t>(j)] /= at(j, j);
      const T bj = b[static_cast<std::size_t>(j)];
      for (int i = std::max(0, j - kl_ - ku_); i < j; ++i) b[static_cast<std::size_t>(i)] -= at(i, j) * bj;
    }
  }

 private:
  int n_ = 0, kl_ = 0, ku_ = 0, ld_ = 1;
  std::vector<T> a_;
  std::vector<int> piv_;
};

constexpr int kBand = 5;  // (psi, n, p) per node, neighbours: unknowns within +-5

}  // namespace

// ---- residual and Jacobian

struct Bar::Eval {
  std::vector<double> f;
  Band<double> J;
  std::vector<double> colFirst, colLast, colBase;  // dF / d psi(contact 0), d psi(contact N-1), d vb
  // per edge: current densities and derivatives d/d(psiL, psiR, nL, nR) and d/d(psiL, psiR, pL, pR)
  struct EdgeJ {
    double jn = 0, jp = 0;
    double dn[4] = {0, 0, 0, 0};
    double dp[4] = {0, 0, 0, 0};
  };
  std::vector<EdgeJ> ej;
};

double Bar::vbNorm() const { return bias_.v2 / vt_ + refPsiBase_; }

double Bar::assemble(const std::vector<double>& x, const TimeTerms& t, bool jac, Eval& ev) const {
  const int N = nNodes_;
  const int nu = nu_;
  ev.f.assign(static_cast<std::size_t>(nu), 0.0);
  if (jac) {
    if (ev.J.size() != nu) ev.J.resize(nu, kBand, kBand);
    else ev.J.zero();
    ev.colFirst.assign(static_cast<std::size_t>(nu), 0.0);
    ev.colLast.assign(static_cast<std::size_t>(nu), 0.0);
    ev.colBase.assign(static_cast<std::size_t>(nu), 0.0);
  }
  ev.ej.resize(static_cast<std::size_t>(N - 1));
  const double lastShift = lastContactShift();
  auto psiAt = [&](int m) {
    if (m == 0) return psi0_[0];
    if (m == N - 1) return psi0_[static_cast<std::size_t>(N - 1)] + lastShift;
    return x[static_cast<std::size_t>(3 * (m - 1))];
  };
  auto nAt = [&](int m) {
    if (m == 0 || m == N - 1) return n0_[static_cast<std::size_t>(m)];
    return x[static_cast<std::size_t>(3 * (m - 1) + 1)];
  };
  auto pAt = [&](int m) {
    if (m == 0 || m == N - 1) return p0_[static_cast<std::size_t>(m)];
    return x[static_cast<std::size_t>(3 * (m - 1) + 2)];
  };
  auto row = [](int m, int c) { return 3 * (m - 1) + c; };
  // d F(row r) / d (variable c of mesh node m): the band, or a contact column
  auto addJ = [&](int r, int m, int c, double v) {
    if (!jac || v == 0) return;
    if (m == 0) {
      if (c == 0) ev.colFirst[static_cast<std::size_t>(r)] += v;
      return;
    }
    if (m == N - 1) {
      if (c == 0) ev.colLast[static_cast<std::size_t>(r)] += v;
      return;
    }
    ev.J.add(r, row(m, c), v);
  };
  auto interior = [&](int m) { return m > 0 && m < N - 1; };

  for (int e = 0; e < N - 1; ++e) {
    const Edge& ed = edges_[static_cast<std::size_t>(e)];
    const int L = e, R = e + 1;
    const double psiL = psiAt(L), psiR = psiAt(R);
    const double nL = nAt(L), nR = nAt(R), pL = pAt(L), pR = pAt(R);
    const double dpsi = psiR - psiL;
    const double xn = dpsi + ed.dcb, xp = dpsi - ed.dvb;
    const double rh = 1.0 / ed.h;
    double mun = ed.mun0, mup = ed.mup0, dmun = 0, dmup = 0;
    if (fieldMob_) {
      const MaterialTerms& mt = mats_[static_cast<std::size_t>(ed.mat)];
      fieldMobility(mt.fieldModel, true, ed.mun0, xn * rh, mt.vsatN, mt.vwarmN, mun, dmun);
      fieldMobility(mt.fieldModel, false, ed.mup0, xp * rh, mt.vsatP, mt.vwarmP, mup, dmup);
    }
    const Bern bn = bernoulli(xn), bpp = bernoulli(xp);
    auto& J = ev.ej[static_cast<std::size_t>(e)];
    const double brn = bn.bp * nR - bn.bm * nL;
    J.jn = mun * rh * brn;
    const double djn = mun * rh * (bn.dbp * nR - bn.dbm * nL) + dmun * rh * rh * brn;
    J.dn[0] = -djn;
    J.dn[1] = djn;
    J.dn[2] = -mun * rh * bn.bm;
    J.dn[3] = mun * rh * bn.bp;
    const double brp = bpp.bp * pL - bpp.bm * pR;
    J.jp = mup * rh * brp;
    const double djp = mup * rh * (bpp.dbp * pL - bpp.dbm * pR) + dmup * rh * rh * brp;
    J.dp[0] = -djp;
    J.dp[1] = djp;
    J.dp[2] = mup * rh * bpp.bp;
    J.dp[3] = -mup * rh * bpp.bm;
    // Poisson: eps/h (psi_k - psi_other) per side (the charge is added per node below)
    for (int side = 0; side < 2; ++side) {
      const int k = side == 0 ? L : R, o = side == 0 ? R : L;
      if (!interior(k)) continue;
      const int r = row(k, 0);
      ev.f[static_cast<std::size_t>(r)] += ed.eps * rh * (psiAt(k) - psiAt(o));
      addJ(r, k, 0, ed.eps * rh);
      addJ(r, o, 0, -ed.eps * rh);
    }
    // continuity: +j into the left node's row, -j into the right node's
    for (int side = 0; side < 2; ++side) {
      const int k = side == 0 ? L : R;
      if (!interior(k)) continue;
      const double sg = side == 0 ? 1.0 : -1.0;
      const int rn = row(k, 1), rp = row(k, 2);
      ev.f[static_cast<std::size_t>(rn)] += sg * J.jn;
      ev.f[static_cast<std::size_t>(rp)] += sg * J.jp;
      addJ(rn, L, 0, sg * J.dn[0]);
      addJ(rn, R, 0, sg * J.dn[1]);
      addJ(rn, L, 1, sg * J.dn[2]);
      addJ(rn, R, 1, sg * J.dn[3]);
      addJ(rp, L, 0, sg * J.dp[0]);
      addJ(rp, R, 0, sg * J.dp[1]);
      addJ(rp, L, 2, sg * J.dp[2]);
      addJ(rp, R, 2, sg * J.dp[3]);
    }
  }

  const double timeScale = t.ag0 * tNorm_;            // d(box n)/dt^ per unit (box n)
  const double histScale = tNorm_ / kCarrierCharge;  // history "currents" -> normalised
  for (int m = 1; m < N - 1; ++m) {
    const std::size_t mm = static_cast<std::size_t>(m);
    const int rpsi = row(m, 0), rn = row(m, 1), rp = row(m, 2);
    const double n = nAt(m), p = pAt(m), box = box_[mm];
    // Poisson's charge
    ev.f[static_cast<std::size_t>(rpsi)] -= box * (dop_[mm] + p - n);
    addJ(rpsi, m, 1, box);
    addJ(rpsi, m, 2, -box);
    // recombination (SRH, Auger): only with srh, as in CIDER
    if (srh_) {
      const MaterialTerms& mt = mats_[static_cast<std::size_t>(nodeMat_[mm])];
      const Recombination r = recombination(n, p, nie_[mm], taun_[mm], taup_[mm], auger_, mt.cn, mt.cp);
      const double u = r.u, dun = r.dn, dup = r.dp;
      ev.f[static_cast<std::size_t>(rn)] -= box * u;
      ev.f[static_cast<std::size_t>(rp)] += box * u;
      addJ(rn, m, 1, -box * dun);
      addJ(rn, m, 2, -box * dup);
      addJ(rp, m, 1, box * dun);
      addJ(rp, m, 2, box * dup);
    }
    // carrier storage: the analysis's integration of the charges box*n, box*p
    if (t.ag0 != 0 || t.hist) {
      const double hn = t.hist ? t.hist[2 * (m - 1)] * histScale : 0.0;
      const double hp = t.hist ? t.hist[2 * (m - 1) + 1] * histScale : 0.0;
      ev.f[static_cast<std::size_t>(rn)] -= timeScale * box * n + hn;
      ev.f[static_cast<std::size_t>(rp)] += timeScale * box * p + hp;
      addJ(rn, m, 1, -timeScale * box);
      addJ(rp, m, 2, timeScale * box);
    }
  }

  // impact ionisation, from the edge currents and the node's field
  if (aval_) {
    for (int m = 1; m < N - 1; ++m) {
      const Edge& eL = edges_[static_cast<std::size_t>(m - 1)];
      const Edge& eR = edges_[static_cast<std::size_t>(m)];
      const MaterialTerms& mt = mats_[static_cast<std::size_t>(nodeMat_[static_cast<std::size_t>(m)])];
      const double hL = eL.h, hR = eR.h;
      const double wR = hL / (hL + hR), wL = hR / (hL + hR);
      const double dL = psiAt(m) - psiAt(m - 1), dR = psiAt(m + 1) - psiAt(m);
      const double E = -(wR * dR / hR + wL * dL / hL);
      if (E == 0) continue;
      const auto& jl = ev.ej[static_cast<std::size_t>(m - 1)];
      const auto& jr = ev.ej[static_cast<std::size_t>(m)];
      const double Jn = wR * jr.jn + wL * jl.jn, Jp = wR * jr.jp + wL * jl.jp;
      const double aE = std::fabs(E), sE = E > 0 ? 1.0 : -1.0;
      double an = 0, ap = 0;
      if (Jn * E > 0 && mt.bn / aE <= 80.0) an = mt.an * std::exp(-mt.bn / aE);
      if (Jp * E > 0 && mt.bp / aE <= 80.0) ap = mt.ap * std::exp(-mt.bp / aE);
      if (an == 0 && ap == 0) continue;
      const double half = 0.5 * (hL + hR);
      const double g = (an * std::fabs(Jn) + ap * std::fabs(Jp)) * half;
      const int rn = row(m, 1), rp = row(m, 2);
      ev.f[static_cast<std::size_t>(rn)] += g;
      ev.f[static_cast<std::size_t>(rp)] -= g;
      if (!jac) continue;
      // dG via the field (psi at m-1, m, m+1) and via the currents of both edges
      const double dan = an > 0 ? an * mt.bn * sE / (E * E) : 0.0;
      const double dap = ap > 0 ? ap * mt.bp * sE / (E * E) : 0.0;
      const double dgdE = (dan * std::fabs(Jn) + dap * std::fabs(Jp)) * half;
      const double dE[3] = {wL / hL, wR / hR - wL / hL, -wR / hR};  // d E / d psi(m-1, m, m+1)
      for (int k = 0; k < 3; ++k) {
        addJ(rn, m - 1 + k, 0, dgdE * dE[k]);
        addJ(rp, m - 1 + k, 0, -dgdE * dE[k]);
      }
      const double cn = an * (Jn >= 0 ? 1.0 : -1.0) * half, cp = ap * (Jp >= 0 ? 1.0 : -1.0) * half;
      // edge (m-1, m) with weight wL, edge (m, m+1) with weight wR
      for (int side = 0; side < 2; ++side) {
        const auto& je = side == 0 ? jl : jr;
        const double w = side == 0 ? wL : wR;
        const int a = side == 0 ? m - 1 : m, b = a + 1;
        const double gpsiA = w * (cn * je.dn[0] + cp * je.dp[0]);
        const double gpsiB = w * (cn * je.dn[1] + cp * je.dp[1]);
        addJ(rn, a, 0, gpsiA);
        addJ(rp, a, 0, -gpsiA);
        addJ(rn, b, 0, gpsiB);
        addJ(rp, b, 0, -gpsiB);
        addJ(rn, a, 1, w * cn * je.dn[2]);
        addJ(rp, a, 1, -w * cn * je.dn[2]);
        addJ(rn, b, 1, w * cn * je.dn[3]);
        addJ(rp, b, 1, -w * cn * je.dn[3]);
        addJ(rn, a, 2, w * cp * je.dp[2]);
        addJ(rp, a, 2, -w * cp * je.dp[2]);
        addJ(rn, b, 2, w * cp * je.dp[3]);
        addJ(rp, b, 2, -w * cp * je.dp[3]);
      }
    }
  }

  // the base contact: the majority carriers' quasi-Fermi potential pulled to v(b)
  if (bjt_ && baseNode_ > 0) {
    const int m = baseNode_;
    const std::size_t mm = static_cast<std::size_t>(m);
    const double vb = vbNorm();
    const double psi = psiAt(m);
    if (type_ > 0) {  // npn: holes
      double p = pAt(m);
      if (!(p > 0)) p = std::max(-dop_[mm], 1e-30);
      const double arg = vb - psi - std::log(p / nie_[mm]);
      const int r = row(m, 2);
      ev.f[static_cast<std::size_t>(r)] -= gb_ * p * arg;
      addJ(r, m, 0, gb_ * p);
      addJ(r, m, 2, -gb_ * (arg - 1.0));
      if (jac) ev.colBase[static_cast<std::size_t>(r)] = -gb_ * p;
    } else {  // pnp: electrons
      double n = nAt(m);
      if (!(n > 0)) n = std::max(dop_[mm], 1e-30);
      const double arg = vb - psi + std::log(n / nie_[mm]);
      const int r = row(m, 1);
      ev.f[static_cast<std::size_t>(r)] -= gb_ * n * arg;
      addJ(r, m, 0, gb_ * n);
      addJ(r, m, 1, -gb_ * (arg + 1.0));
      if (jac) ev.colBase[static_cast<std::size_t>(r)] = -gb_ * n;
    }
  }
  return maxAbs(ev.f);
}

// ---- set-up

Status Bar::setup(const Spec& spec, double tempK, double circuitTnomK, double reltol, double area,
                  const std::string& deviceName) {
  bjt_ = spec.bjt;
  devType_ = spec.type;
  const int N = static_cast<int>(spec.x.size());
  if (N < 3)
    return makeError(ErrorCode::Semantic, "'" + deviceName + "': the mesh needs at least 3 nodes", spec.loc);
  nNodes_ = N;
  nu_ = 3 * (N - 2);
  nStates_ = 2 * (N - 2) + 2;
  devtol_ = spec.devtol;
  reltol_ = spec.dreltol > 0 ? spec.dreltol : reltol;
  itlim_ = std::max(spec.itlim, 1);
  bgn_ = spec.bgn;
  concMob_ = spec.concMob;
  fieldMob_ = spec.fieldMob;
  srh_ = spec.srh;
  auger_ = spec.auger;
  aval_ = spec.avalanche;
  areaCm2_ = spec.defa * (area > 0 ? area : 1.0);

  // normalisation: silicon's at the device temperature
  const double T = tempK;
  if (auto st = checkTemperature(T, deviceName); !st) return st;
  const Norm nm = normalisation(T);
  vt_ = nm.vt;
  epsNorm_ = nm.epsNorm;
  nNorm_ = nm.nNorm;
  lNorm_ = nm.lNorm;
  tNorm_ = nm.tNorm;
  jNorm_ = nm.jNorm;
  eNorm_ = nm.eNorm;

  // materials at T
  const double tnom = spec.tnomK > 0 ? spec.tnomK : circuitTnomK;
  std::vector<MaterialAtT> mt(spec.materials.size());
  // Potentials are stored relative to the first material's intrinsic level
  // rather than to the vacuum level (CIDER's): a constant shift the equations
  // do not see, which keeps |psi| near 20 instead of 200 and so ten times
  // finer rounding of the potentials that the majority currents resolve.
  // (psiShift_: the tolerances measure potentials from the vacuum level)
  mats_.assign(spec.materials.size(), MaterialTerms{});
  for (std::size_t i = 0; i < spec.materials.size(); ++i) {
    materialAt(spec.materials[i], nm, T, tnom, spec.tempMob, mt[i], mats_[i]);
    if (i == 0) psiShift_ = mt[i].refPsi;
    mats_[i].refPsi -= psiShift_;
  }
  // nodes: doping, band-gap narrowing, intrinsic density, lifetimes
  netN_.assign(static_cast<std::size_t>(N), 0.0);
  std::vector<double> tot(static_cast<std::size_t>(N), 0.0);
  nodeMat_.assign(static_cast<std::size_t>(N), 0);
  // a node takes the material of its left element (the first for node 0)
  for (int m = 0; m < N; ++m) nodeMat_[static_cast<std::size_t>(m)] = spec.elemMaterial[static_cast<std::size_t>(m == 0 ? 0 : m - 1)];
  for (int m = 0; m < N; ++m) {
    const double x = spec.x[static_cast<std::size_t>(m)];
    double net = 0, total = 0;
    for (const Profile& pr : spec.profiles) {
      // the profile applies when one of the node's elements is in its domains
      if (!pr.domains.empty()) {
        bool in = false;
        for (int e : {m - 1, m})
          if (e >= 0 && e < N - 1 &&
              std::find(pr.domains.begin(), pr.domains.end(), spec.elemDomain[static_cast<std::size_t>(e)]) != pr.domains.end())
            in = true;
        if (!in) continue;
      }
      double argX = 0;
      if (x < pr.xLow) argX = pr.xLow - x;
      else if (x > pr.xHigh) argX = x - pr.xHigh;
      const double a = (argX - pr.location) / pr.charLength;
      double c = 0;
      switch (pr.shape) {
        case Profile::Uniform: c = a <= 0 ? pr.conc : 0.0; break;
        case Profile::Linear: c = std::fabs(a) > 1 ? 0.0 : pr.conc * (1.0 - std::fabs(a)); break;
        case Profile::Gaussian: c = a * a > 80 ? 0.0 : pr.conc * std::exp(-a * a); break;
        case Profile::Exponential: c = std::fabs(a) > 80 ? 0.0 : pr.conc * std::exp(-std::fabs(a)); break;
        case Profile::Erfc: c = std::fabs(a) > 10 ? 0.0 : pr.conc * std::erfc(std::fabs(a)); break;
      }
      net += c;
      total += std::fabs(c);
    }
    netN_[static_cast<std::size_t>(m)] = net;
    tot[static_cast<std::size_t>(m)] = total;
  }
  dop_.assign(static_cast<std::size_t>(N), 0.0);
  nie_.assign(static_cast<std::size_t>(N), 0.0);
  taun_.assign(static_cast<std::size_t>(N), 0.0);
  taup_.assign(static_cast<std::size_t>(N), 0.0);
  for (int m = 0; m < N; ++m) {
    const std::size_t mm = static_cast<std::size_t>(m);
    const std::size_t mi = static_cast<std::size_t>(nodeMat_[mm]);
    const Material& mat = spec.materials[mi];
    const MaterialAtT& a = mt[mi];
    const double net = netN_[mm];
    double eg = a.eg;
    if (bgn_ && net != 0) {
      const int c = net > 0 ? 0 : 1;
      const double l = std::log(std::fabs(net) / mat.bgnRef[c]);
      eg -= mat.bgnDeg[c] * (l + std::sqrt(l * l + 0.5));
    }
    nie_[mm] = std::sqrt(a.nc) * std::sqrt(a.nv) * std::exp(-eg / (2.0 * vt_)) / nNorm_;
    dop_[mm] = net / nNorm_;
    double tn = a.taun, tp = a.taup;
    if (spec.concTau) {
      tn /= 1.0 + tot[mm] / mat.nsrh[0];
      tp /= 1.0 + tot[mm] / mat.nsrh[1];
    }
    taun_[mm] = tn;
    taup_[mm] = tp;
  }

  // edges: length, permittivity, band terms, concentration-dependent mobilities
  edges_.assign(static_cast<std::size_t>(N - 1), Edge{});
  box_.assign(static_cast<std::size_t>(N), 0.0);
  for (int e = 0; e < N - 1; ++e) {
    Edge& ed = edges_[static_cast<std::size_t>(e)];
    const std::size_t mi = static_cast<std::size_t>(spec.elemMaterial[static_cast<std::size_t>(e)]);
    const Material& mat = spec.materials[mi];
    ed.mat = static_cast<int>(mi);
    ed.h = (spec.x[static_cast<std::size_t>(e + 1)] - spec.x[static_cast<std::size_t>(e)]) / lNorm_;
    if (!(ed.h > 0))
      return makeError(ErrorCode::Semantic, "'" + deviceName + "': the mesh's node positions must increase", spec.loc);
    ed.eps = mat.eps / epsNorm_;
    const double dNie = std::log(nie_[static_cast<std::size_t>(e + 1)] / nie_[static_cast<std::size_t>(e)]);
    const double dBand = mats_[static_cast<std::size_t>(nodeMat_[static_cast<std::size_t>(e + 1)])].refPsi -
                         mats_[static_cast<std::size_t>(nodeMat_[static_cast<std::size_t>(e)])].refPsi;
    ed.dcb = dNie + dBand;
    ed.dvb = dNie - dBand;
    // total doping decides the mobility: electrons take the majority set and
    // holes the minority set (CIDER's 1-D devices do so on both sides of a junction)
    const double conc = 0.5 * (tot[static_cast<std::size_t>(e)] + tot[static_cast<std::size_t>(e + 1)]);
    MobilitySet sn = mat.mu[0][0], sp = mat.mu[1][1];
    if (spec.tempMob) {
      sn = temperatureScaled(sn, T, true);
      sp = temperatureScaled(sp, T, false);
    }
    ed.mun0 = concMob_ ? concMobility(mat.concModel, sn, conc) : sn.muMax;
    ed.mup0 = concMob_ ? concMobility(mat.concModel, sp, conc) : sp.muMax;
    box_[static_cast<std::size_t>(e)] += 0.5 * ed.h;
    box_[static_cast<std::size_t>(e + 1)] += 0.5 * ed.h;
  }

  // the neutral guess: contacts keep it for good
  psi0_.assign(static_cast<std::size_t>(N), 0.0);
  n0_.assign(static_cast<std::size_t>(N), 0.0);
  p0_.assign(static_cast<std::size_t>(N), 0.0);
  for (int m = 0; m < N; ++m) {
    const std::size_t mm = static_cast<std::size_t>(m);
    const double rp = mats_[static_cast<std::size_t>(nodeMat_[mm])].refPsi;
    const double c = dop_[mm] / nie_[mm];
    psi0_[mm] = rp + std::asinh(0.5 * c);
    n0_[mm] = nie_[mm] * std::exp(psi0_[mm] - rp);
    p0_[mm] = nie_[mm] * std::exp(rp - psi0_[mm]);
  }
  type_ = dop_[0] < 0 ? -1 : 1;
  pn_ = dop_[0] < 0;
  if (!bjt_) type_ = pn_ ? 1 : -1;

  // the base contact
  baseNode_ = -1;
  if (bjt_) {
    if (spec.baseDepth >= 0) {
      // the nearest node (the left one at a midpoint)
      int b = N - 1;
      for (int m = 0; m + 1 < N; ++m) {
        const double xl = spec.x[static_cast<std::size_t>(m)], xr = spec.x[static_cast<std::size_t>(m + 1)];
        if (spec.baseDepth <= xr) {
          b = spec.baseDepth <= 0.5 * (xl + xr) ? m : m + 1;
          break;
        }
      }
      baseNode_ = b;
    } else {
      int eb = -1, bc = -1;
      for (int e = 0; e < N - 1; ++e)
        if (dop_[static_cast<std::size_t>(e)] * dop_[static_cast<std::size_t>(e + 1)] < 0) {
          if (eb < 0) eb = e;
          else if (bc < 0) bc = e;
        }
      if (bc < 0)
        return makeError(ErrorCode::Semantic,
                         "'" + deviceName + "': the doping has fewer than two junctions, so the base cannot be found "
                                            "(give options base.depth=)",
                         spec.loc);
      baseNode_ = (eb + bc) / 2;
      // then the node of the largest equilibrium majority density between the junctions (below)
    }
    if (baseNode_ <= 0 || baseNode_ >= N - 1)
      return makeError(ErrorCode::Semantic, "'" + deviceName + "': the base (options base.depth) lies on a contact", spec.loc);
  }

  x_.assign(static_cast<std::size_t>(nu_), 0.0);
  for (int m = 1; m < N - 1; ++m) {
    x_[static_cast<std::size_t>(3 * (m - 1))] = psi0_[static_cast<std::size_t>(m)];
    x_[static_cast<std::size_t>(3 * (m - 1) + 1)] = n0_[static_cast<std::size_t>(m)];
    x_[static_cast<std::size_t>(3 * (m - 1) + 2)] = p0_[static_cast<std::size_t>(m)];
  }
  bias_ = Bias{};
  valid_ = false;
  sens1_.assign(static_cast<std::size_t>(nu_), 0.0);
  sens2_.assign(static_cast<std::size_t>(nu_), 0.0);

  if (bjt_) {
    if (spec.baseDepth < 0) {
      if (!poissonOnly())
        return makeError(ErrorCode::Convergence, "'" + deviceName + "': the equilibrium solution did not converge", spec.loc);
      // the node of the largest majority density between the junctions
      int eb = -1, bc = -1;
      for (int e = 0; e < N - 1; ++e)
        if (dop_[static_cast<std::size_t>(e)] * dop_[static_cast<std::size_t>(e + 1)] < 0) {
          if (eb < 0) eb = e;
          else if (bc < 0) bc = e;
        }
      const int c = type_ > 0 ? 2 : 1;
      int best = baseNode_;
      double bestV = x_[static_cast<std::size_t>(3 * (baseNode_ - 1) + c)];
      for (int e = eb; e < bc; ++e)
        for (int m : {e, e + 1}) {
          if (m <= 0 || m >= N - 1) continue;
          const double v = x_[static_cast<std::size_t>(3 * (m - 1) + c)];
          if (v > bestV) {
            bestV = v;
            best = e;  // CIDER takes the element's index as the node
          }
        }
      baseNode_ = std::clamp(best, 1, N - 2);
    }
    const Edge& left = edges_[static_cast<std::size_t>(baseNode_ - 1)];
    const double mu = type_ > 0 ? left.mup0 : left.mun0;
    const double invL = spec.baseLength > 0 ? lNorm_ / spec.baseLength : 1.0 / left.h;
    gb_ = mu * invL * spec.baseArea;
    refPsiBase_ = mats_[static_cast<std::size_t>(nodeMat_[static_cast<std::size_t>(baseNode_)])].refPsi;
  }
  return {};
}

// ---- solutions

// CIDER's tolerance on a potential's change, relative to its value from the
// vacuum level (the unknowns are stored from the first material's intrinsic
// level, cider1d.hpp): reltol * ~180 at room temperature, as in ngspice.
double Bar::potentialTol(double oldV, double newV) const {
  return devtol_ + reltol_ * std::max(std::fabs(oldV + psiShift_), std::fabs(newV + psiShift_));
}

bool Bar::poissonOnly() {
  const int N = nNodes_;
  const int n = N - 2;
  std::vector<double> psi(static_cast<std::size_t>(n));
  for (int k = 0; k < n; ++k) psi[static_cast<std::size_t>(k)] = x_[static_cast<std::size_t>(3 * k)];
  Band<double> J;
  J.resize(n, 1, 1);
  std::vector<double> f(static_cast<std::size_t>(n));
  auto psiAt = [&](int m) {
    if (m == 0 || m == N - 1) return psi0_[static_cast<std::size_t>(m)];
    return psi[static_cast<std::size_t>(m - 1)];
  };
  bool ok = false;
  int deltaOk = 0;
  for (int it = 0; it <= 100; ++it) {
    J.zero();
    std::fill(f.begin(), f.end(), 0.0);
    for (int e = 0; e < N - 1; ++e) {
      const Edge& ed = edges_[static_cast<std::size_t>(e)];
      const double g = ed.eps / ed.h;
      for (int side = 0; side < 2; ++side) {
        const int k = side == 0 ? e : e + 1, o = side == 0 ? e + 1 : e;
        if (k == 0 || k == N - 1) continue;
        f[static_cast<std::size_t>(k - 1)] += g * (psiAt(k) - psiAt(o));
        J.add(k - 1, k - 1, g);
        if (o != 0 && o != N - 1) J.add(k - 1, o - 1, -g);
      }
    }
    for (int m = 1; m < N - 1; ++m) {
      const std::size_t mm = static_cast<std::size_t>(m);
      const double rp = mats_[static_cast<std::size_t>(nodeMat_[mm])].refPsi;
      const double nn = nie_[mm] * std::exp(psiAt(m) - rp), pp = nie_[mm] * std::exp(rp - psiAt(m));
      f[mm - 1] -= box_[mm] * (dop_[mm] + pp - nn);
      J.add(m - 1, m - 1, box_[mm] * (nn + pp));
    }
    const double norm = maxAbs(f);
    if (!std::isfinite(norm)) return false;
    if (deltaOk > 0 && norm <= devtol_) {
      ok = true;
      break;
    }
    if (!J.factor()) return false;
    std::vector<double> d(f);
    for (double& v : d) v = -v;
    J.solve(d);
    bool small = true;
    for (int k = 0; k < n; ++k) {
      const double o = psi[static_cast<std::size_t>(k)], nw = o + d[static_cast<std::size_t>(k)];
      if (std::fabs(d[static_cast<std::size_t>(k)]) > potentialTol(o, nw)) small = false;
      psi[static_cast<std::size_t>(k)] = nw;
    }
    if (it > 0 && small) {
      if (++deltaOk >= 5) {
        ok = true;
        break;
      }
    }
  }
  if (!ok) return false;
  for (int m = 1; m < N - 1; ++m) {
    const std::size_t mm = static_cast<std::size_t>(m);
    const double rp = mats_[static_cast<std::size_t>(nodeMat_[mm])].refPsi;
    const double ps = psi[mm - 1];
    x_[static_cast<std::size_t>(3 * (m - 1))] = ps;
    x_[static_cast<std::size_t>(3 * (m - 1) + 1)] = nie_[mm] * std::exp(ps - rp);
    x_[static_cast<std::size_t>(3 * (m - 1) + 2)] = nie_[mm] * std::exp(rp - ps);
  }
  return true;
}

bool Bar::newton(const TimeTerms& t, bool damp, int maxIter) {
  Eval ev;
  std::vector<double> x = x_;
  double norm = assemble(x, t, true, ev);
  if (!std::isfinite(norm)) return false;
  int deltaOk = 0;
  lastIters_ = 0;
  double best = norm;
  int stalled = 0;  // iterations since the residual last halved
  std::vector<double> d, xn(x.size());
  Eval trial;  // the line search's assemblies (no Jacobian)
  for (int it = 0; it < maxIter; ++it) {
    ++lastIters_;
    if (!ev.J.factor()) return false;
    d = ev.f;
    for (double& v : d) v = -v;
    ev.J.solve(d);
    // damping: the full step, else Fibonacci fractions of it, while it lowers the residual
    double lambda = 1.0, newNorm = 0;
    double fa = 1, fb = 1;  // Fibonacci numbers
    for (int k = 0;; ++k) {
      for (std::size_t i = 0; i < x.size(); ++i) xn[i] = x[i] + lambda * d[i];
      if (!damp || norm <= 1e-6) break;  // no line search near the solution
      newNorm = assemble(xn, t, false, trial);
      if (newNorm < norm) break;
      if (k >= 10) return false;
      const double fc = fa + fb;
      lambda *= fb / fc;
      fa = fb;
      fb = fc;
    }
    // convergence: the potential and both quasi-Fermi potentials moved by little;
    // in a transient step the unknowns themselves (CIDER's tests: a quasi-Fermi
    // potential of a density near zero moves with the solve's rounding, and a
    // time step's densities always have the integrator's charge beside them)
    bool small = lambda == 1.0;
    const bool rawTest = t.ag0 != 0;
    for (int k = 0; small && rawTest && k < nu_; ++k) {
      const std::size_t u = static_cast<std::size_t>(k);
      const double tol = k % 3 == 0 ? potentialTol(x[u], xn[u])
                                    : devtol_ + reltol_ * std::max(std::fabs(x[u]), std::fabs(xn[u]));
      if (std::fabs(xn[u] - x[u]) > tol) small = false;
      if (k % 3 != 0 && !(xn[u] >= 0)) small = false;
    }
    for (int k = 0; small && !rawTest && k < nu_ / 3; ++k) {
      const std::size_t b = static_cast<std::size_t>(3 * k);
      const std::size_t m = static_cast<std::size_t>(k + 1);
      auto close = [&](double o, double nw) {
        return std::fabs(nw - o) <= potentialTol(o, nw);
      };
      if (!close(x[b], xn[b])) small = false;
      if (!(xn[b + 1] > 0) || !(xn[b + 2] > 0)) {
        small = false;
        break;
      }
      if (x[b + 1] > 0 && x[b + 2] > 0) {
        const double lnie = std::log(nie_[m]);
        if (!close(x[b] - std::log(x[b + 1]) + lnie, xn[b] - std::log(xn[b + 1]) + lnie)) small = false;
        if (!close(x[b] + std::log(x[b + 2]) - lnie, xn[b] + std::log(xn[b + 2]) - lnie)) small = false;
      } else {
        small = false;
      }
    }
    // a density the step would more than halve moves along the step in its
    // logarithm instead, n exp(dn / n): it stays positive and falls by decades
    // per iteration where the solution is depleted (CIDER sets a negative one
    // to zero, from where a node whose step overshoots each time stays stuck)
    for (int k = 0; k < nu_ / 3; ++k)
      for (int c = 1; c <= 2; ++c) {
        const std::size_t u = static_cast<std::size_t>(3 * k + c);
        const double old = x[u];
        if (old > 0 && xn[u] < 0.5 * old) xn[u] = old * std::exp(std::max((xn[u] - old) / old, -700.0));
        else if (!(xn[u] > 0)) xn[u] = 0.0;
      }
    x.swap(xn);
    norm = assemble(x, t, true, ev);
    if (!std::isfinite(norm)) return false;

    if (small) {
      ++deltaOk;
      if (norm <= devtol_ || (deltaOk >= 2 && norm < 1e3 * devtol_) || deltaOk >= 4) {
        // the Jacobian at the solution, factored once for the terminals (computeTerminals)
        x_ = x;
        if (!final_) final_ = std::make_shared<Eval>();
        std::swap(*final_, ev);
        finalOk_ = final_->J.factor();
        finalValid_ = true;
        return true;
      }
    }
    // a residual that stopped falling without the updates settling: no solution
    // from here (a time step whose integrated charge would need a negative
    // density); the caller halves the step, the analysis shortens its time step
    if (norm < 0.5 * best) {
      best = norm;
      stalled = 0;
    } else if (++stalled >= 6) {
      return false;
    }
  }
  return false;
}

bool Bar::equilibrium() {
  bias_ = Bias{};
  if (!poissonOnly()) return false;
  if (!newton(TimeTerms{}, true, std::max(itlim_, 50))) return false;
  valid_ = true;
  computeTerminals(TimeTerms{});
  return true;
}

void Bar::restore(const Snapshot& s) {
  if (!s.valid) return;
  x_ = s.x;
  finalValid_ = false;
  bias_ = s.bias;
  valid_ = true;
}

bool Bar::solve(const Bias& target, const TimeTerms& t) {
  if (!valid_ && !equilibrium()) return false;
  const std::vector<double> x0 = x_;
  const Bias b0 = bias_;
  // from the last solution towards the target, halving a step that fails
  double done = 0, step = 1.0;
  const bool transient = t.ag0 != 0;
  for (int tries = 0; tries < 64 && done < 1.0; ++tries) {
    const double to = std::min(1.0, done + step);
    Bias want{b0.v1 + to * (target.v1 - b0.v1), b0.v2 + to * (target.v2 - b0.v2)};
    const std::vector<double> xs = x_;
    const Bias bs = bias_;
    project(want);  // the guess: the last solution moved along its sensitivities
    if (newton(t, true, std::max(itlim_, transient ? 30 : 50))) {
      done = to;
      computeTerminals(t);
      step = std::min(1.0 - done, 2.0 * step);
      if (step <= 0) break;
    } else {
      x_ = xs;
      bias_ = bs;
      step *= 0.5;
      if (step < 1.0 / 1024.0) break;
    }
  }
  if (done < 1.0) {
    x_ = x0;
    bias_ = b0;
    computeTerminals(t);
    return false;
  }
  return true;
}

void Bar::project(const Bias& want) {
  const double d1 = want.v1 - bias_.v1, d2 = want.v2 - bias_.v2;
  for (std::size_t i = 0; i < x_.size(); ++i) {
    double g = x_[i] + sens1_[i] * d1 + sens2_[i] * d2;
    if (i % 3 != 0 && !(g > 0)) {  // a density kept positive: a fraction of its move
      double lambda = 0.5;
      while (lambda > 1e-6 && !(x_[i] + lambda * (g - x_[i]) > 0)) lambda *= 0.5;
      g = x_[i] + lambda * (g - x_[i]);
      if (!(g > 0)) g = x_[i];
    }
    x_[i] = g;
  }
  bias_ = want;
}

void Bar::keepAccepted() {
  if (valid_) kept_ = {x_, bias_, true, sens1_, sens2_};
}

void Bar::restoreAccepted() {
  if (!kept_.valid) return;
  x_ = kept_.x;
  bias_ = kept_.bias;
  sens1_ = kept_.sens1;
  sens2_ = kept_.sens2;
  finalValid_ = false;
}

bool Bar::step(const Bias& target, const TimeTerms& t) {
  if (!valid_) return solve(target, t);
  const std::vector<double> x0 = x_;
  const Bias b0 = bias_;
  if (target.v1 != bias_.v1 || target.v2 != bias_.v2) project(target);  // the last iterate moved along its sensitivities
  if (!final_) final_ = std::make_shared<Eval>();
  const double norm = assemble(x_, t, true, *final_);
  finalOk_ = std::isfinite(norm) && final_->J.factor();
  if (!finalOk_) {  // no step from here: the full solve from the last state
    x_ = x0;
    bias_ = b0;
    finalValid_ = false;
    return solve(target, t);
  }
  finalValid_ = true;
  computeTerminals(t);  // the currents linearised to the step's end
  bool small = true;
  std::vector<double> xn(x_.size());
  for (std::size_t u = 0; u < x_.size(); ++u) {
    xn[u] = x_[u] + lastDx_[u];
    const double tol = u % 3 == 0 ? potentialTol(x_[u], xn[u])
                                  : devtol_ + reltol_ * std::max(std::fabs(x_[u]), std::fabs(xn[u]));
    if (!(std::fabs(xn[u] - x_[u]) <= tol)) small = false;
  }
  for (std::size_t u = 0; u < x_.size(); ++u) {
    if (u % 3 == 0) continue;
    const double old = x_[u];
    if (old > 0 && xn[u] < 0.5 * old) xn[u] = old * std::exp(std::max((xn[u] - old) / old, -700.0));
    else if (!(xn[u] > 0)) xn[u] = 0.0;
  }
  x_.swap(xn);
  lastIters_ = 1;
  return small && norm < 1e3 * devtol_;
}

double Bar::lastContactShift() const { return bjt_ ? bias_.v1 / vt_ : -bias_.v1 / vt_; }

double Bar::displacementCoefficient(bool last) const {
  const Edge& e = last ? edges_.back() : edges_.front();
  return e.eps * epsNorm_ * areaCm2_ * vt_ / (e.h * lNorm_);
}

template <class T>
void Bar::sensitivityRhs(const Eval& ev, std::vector<T>& s1, std::vector<T>& s2) const {
  const double dLast = bjt_ ? 1.0 / vt_ : -1.0 / vt_;  // d psi(last contact) / d v1
  s1.assign(static_cast<std::size_t>(nu_), T(0));
  s2.assign(static_cast<std::size_t>(nu_), T(0));
  for (std::size_t i = 0; i < s1.size(); ++i) s1[i] = -ev.colLast[i] * dLast;
  if (bjt_)
    for (std::size_t i = 0; i < s2.size(); ++i) s2[i] = -ev.colBase[i] / vt_;
}

namespace {
// d j / d x of the first edge (its right node: interior unknowns 0..2) and of
// the last edge (its left node: unknowns lb..lb+2) along s
template <class E, class T>
T firstEdgeAlong(const E& f0, const std::vector<T>& s) {
  return f0.dn[1] * s[0] + f0.dn[3] * s[1] + f0.dp[1] * s[0] + f0.dp[3] * s[2];
}
template <class E, class T>
T lastEdgeAlong(const E& fl, const std::vector<T>& s, std::size_t lb) {
  return fl.dn[0] * s[lb] + fl.dn[2] * s[lb + 1] + fl.dp[0] * s[lb] + fl.dp[2] * s[lb + 2];
}
}  // namespace

template <class T>
void Bar::terminalDerivatives(const Eval& ev, const std::vector<T>& s1, const std::vector<T>& s2, T c, T g[2][2]) const {
  const double ja = jNorm_ * areaCm2_;
  const auto& f0 = ev.ej.front();
  const auto& fl = ev.ej.back();
  const std::size_t lb = static_cast<std::size_t>(3 * (nNodes_ - 3));
  const double cf = displacementCoefficient(false), cl = displacementCoefficient(true);
  if (!bjt_) {
    g[0][0] = ja * firstEdgeAlong(f0, s1) + c * (-cf * s1[0]);
    return;
  }
  // into the collector (the last edge's current flows in -x), which v1 moves directly too
  const double dLastContact = fl.dn[1] + fl.dp[1];  // d j / d psi(last contact)
  g[0][0] = -(ja * (lastEdgeAlong(fl, s1, lb) + dLastContact / vt_) + c * (cl * s1[lb] - cl / vt_));
  g[0][1] = -(ja * lastEdgeAlong(fl, s2, lb) + c * cl * s2[lb]);
  // into the emitter (the first edge's current flows in +x)
  g[1][0] = ja * firstEdgeAlong(f0, s1) + c * (-cf * s1[0]);
  g[1][1] = ja * firstEdgeAlong(f0, s2) + c * (-cf * s2[0]);
}

void Bar::computeTerminals(const TimeTerms& t) {
  // the factored Jacobian newton() left at x_, else a new one
  if (!final_) final_ = std::make_shared<Eval>();
  if (!finalValid_) {
    assemble(x_, t, true, *final_);
    finalOk_ = final_->J.factor();
  }
  finalValid_ = false;
  Eval& ev = *final_;
  const bool ok = finalOk_;
  // sensitivities: J s = -dF/dv
  sensitivityRhs(ev, sens1_, sens2_);
  if (ok) {
    ev.J.solve(sens1_);
    if (bjt_) ev.J.solve(sens2_);
  } else {
    std::fill(sens1_.begin(), sens1_.end(), 0.0);
    std::fill(sens2_.begin(), sens2_.end(), 0.0);
  }
  // the last Newton update, not applied: the currents are those of the solution
  // the stored potentials round (ngspice's linearised terminal currents)
  std::vector<double>& dx = lastDx_;
  dx = ev.f;
  for (double& v : dx) v = ok ? -v : 0.0;
  if (ok) ev.J.solve(dx);
  const double ja = jNorm_ * areaCm2_;
  const auto& f0 = ev.ej.front();
  const auto& fl = ev.ej.back();
  const std::size_t lb = static_cast<std::size_t>(3 * (nNodes_ - 3));
  const double jFirst = f0.jn + f0.jp + firstEdgeAlong(f0, dx);
  const double jLast = fl.jn + fl.jp + lastEdgeAlong(fl, dx, lb);
  // the end elements' displacement currents, through the integrator's coefficients
  double q[2];
  endCharges(q);
  const int sdF = 2 * (nNodes_ - 2), sdL = sdF + 1;
  const double iqF = t.ag0 * q[0] + (t.hist ? t.hist[sdF] : 0.0);
  const double iqL = t.ag0 * q[1] + (t.hist ? t.hist[sdL] : 0.0);
  Terminals r;
  if (!bjt_) {
    r.i1 = ja * jFirst + iqF;
  } else {
    r.i1 = -(ja * jLast + iqL);  // into the collector
    r.i2 = ja * jFirst + iqF;    // into the emitter
  }
  terminalDerivatives(ev, sens1_, sens2_, t.ag0, r.g);
  term_ = r;
}

void Bar::endCharges(double q[2]) const {
  const std::size_t lb = static_cast<std::size_t>(3 * (nNodes_ - 3));
  const double psiLast = psi0_[static_cast<std::size_t>(nNodes_ - 1)] + lastContactShift();
  q[0] = -displacementCoefficient(false) * (x_[0] - psi0_[0]);
  q[1] = -displacementCoefficient(true) * (psiLast - x_[lb]);
}

void Bar::charges(double* q) const {
  const int N = nNodes_;
  for (int m = 1; m < N - 1; ++m) {
    const std::size_t b = static_cast<std::size_t>(3 * (m - 1));
    q[2 * (m - 1)] = kCarrierCharge * box_[static_cast<std::size_t>(m)] * x_[b + 1];
    q[2 * (m - 1) + 1] = kCarrierCharge * box_[static_cast<std::size_t>(m)] * x_[b + 2];
  }
  endCharges(q + 2 * (N - 2));
}

void Bar::admittance(double omega, std::complex<double> y[2][2]) const {
  using C = std::complex<double>;
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 2; ++b) y[a][b] = 0.0;
  Eval ev;
  assemble(x_, TimeTerms{}, true, ev);
  const int N = nNodes_;
  Band<C> A;
  A.resize(nu_, kBand, kBand);
  for (int i = 0; i < nu_; ++i)
    for (int j = std::max(0, i - kBand); j <= std::min(nu_ - 1, i + kBand); ++j) A.at(i, j) = ev.J.at(i, j);
  const C jw(0.0, omega * tNorm_);
  for (int m = 1; m < N - 1; ++m) {
    const double box = box_[static_cast<std::size_t>(m)];
    A.add(3 * (m - 1) + 1, 3 * (m - 1) + 1, -jw * box);
    A.add(3 * (m - 1) + 2, 3 * (m - 1) + 2, jw * box);
  }
  if (!A.factor()) return;
  std::vector<C> s1, s2;
  sensitivityRhs(ev, s1, s2);
  A.solve(s1);
  if (bjt_) A.solve(s2);
  terminalDerivatives(ev, s1, s2, C(0.0, omega), y);
}

double Bar::psi(int node) const {
  if (node == 0) return psi0_[0] * vt_;
  if (node == nNodes_ - 1) return (psi0_[static_cast<std::size_t>(node)] + lastContactShift()) * vt_;
  return x_[static_cast<std::size_t>(3 * (node - 1))] * vt_;
}
double Bar::electrons(int node) const {
  if (node == 0 || node == nNodes_ - 1) return n0_[static_cast<std::size_t>(node)] * nNorm_;
  return x_[static_cast<std::size_t>(3 * (node - 1) + 1)] * nNorm_;
}
double Bar::holes(int node) const {
  if (node == 0 || node == nNodes_ - 1) return p0_[static_cast<std::size_t>(node)] * nNorm_;
  return x_[static_cast<std::size_t>(3 * (node - 1) + 2)] * nNorm_;
}

}  // namespace simcore::dev::cider
