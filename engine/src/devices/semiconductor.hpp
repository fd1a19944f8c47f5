// Shared pieces of the semiconductor device groups (D, Q, M): SPICE's
// junction voltage limiting, depletion charge with the FC linearisation,
// temperature scaling of junction parameters, and a small dense per-instance
// stamp (LocalStamp) that the groups fill and then scatter into the matrix.
//
// Units: volts, amperes, farads, coulombs, kelvin (temperatures here are
// absolute unless a name says Celsius).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "devices/common.hpp"
#include "devices/context.hpp"

namespace simcore::dev::semi {

// Physical constants as ngspice uses them (const.h), so thermal voltages match
// the reference simulator to the last digit.
constexpr double kQ = 1.6021766208e-19;
constexpr double kBoltz = 1.38064852e-23;
constexpr double kKoverQ = kBoltz / kQ;
constexpr double kRefTemp = 300.15;  // K, 27 degC
constexpr double kEps0 = 8.854214871e-12;
constexpr double kEpsOx = 3.9 * kEps0;
constexpr double kEpsSi = 11.7 * kEps0;
constexpr double kSqrt2 = 1.4142135623730951;

inline double thermalVoltage(double tempK) { return kKoverQ * tempK; }

// Silicon band gap (eV) at tempK.
inline double bandGap(double tempK) { return 1.16 - 7.02e-4 * tempK * tempK / (tempK + 1108.0); }

// SPICE's "pbfact": temperature shift of a junction potential (V).
double potentialFactor(double tempK);

// Junction potential and zero-bias capacitance moved from tnom to temp
// (SPICE3 formula; cj may be 0).
struct ScaledJunction {
  double vj;
  double cj;
};
ScaledJunction scaleJunction(double vj, double cj, double m, double tnomK, double tempK);

// Saturation current moved from tnom to temp: is*exp((T/Tnom-1)*eg/(n*vt) + xti/n*ln(T/Tnom)).
double scaleSatCurrent(double is, double n, double eg, double xti, double tnomK, double tempK);

// pn-junction limiting (SPICE's pnjlim). Returns the limited voltage and sets
// limited when it differs from vnew.
double pnjlim(double vnew, double vold, double vt, double vcrit, bool& limited);
// MOSFET gate-voltage limiting around the threshold von (SPICE's fetlim).
double fetlim(double vnew, double vold, double vto);
// MOSFET drain-source voltage limiting (SPICE's limvds).
double limvds(double vnew, double vold);

// Current and conductance of an ideal junction i = is*(exp(v/vte)-1), with
// SPICE's reverse extension below -3*vte: i = -is*(1 + (3*vte/(e*v))^3).
struct CurrentAndSlope {
  double i;
  double g;
};
CurrentAndSlope junctionCurrent(double v, double is, double vte);

// exp(a), continued linearly above a = 80 so that a wild Newton iterate cannot
// overflow; value and derivative stay consistent.
inline double safeExp(double a, double* deriv = nullptr) {
  constexpr double kMax = 80.0;
  if (a <= kMax) {
    double e = std::exp(a);
    if (deriv) *deriv = e;
    return e;
  }
  const double e = std::exp(kMax);
  if (deriv) *deriv = e;
  return e * (1.0 + a - kMax);
}

// Depletion charge of a junction with zero-bias capacitance cj, potential vj,
// grading m: q = cj*vj*(1-(1-v/vj)^(1-m))/(1-m) below fc*vj, continued above
// fc*vj by the quadratic whose capacitance is linear in v (SPICE's FC rule).
struct ChargeAndCap {
  double q;
  double c;
};
ChargeAndCap depletionCharge(double v, double cj, double vj, double m, double fc);

// Dense stamp of one instance over N local terminals. Voltages are local
// (already multiplied by the device polarity for pnp/pmos). I is the current
// leaving each local terminal, G = dI/dV; C = dQ/dV of the charges (stamped
// as ag0*C); Iq the charge currents leaving each terminal.
template <int N>
struct LocalStamp {
  double I[N] = {};
  double Iq[N] = {};
  double G[N][N] = {};
  double C[N][N] = {};

  // Current i flowing from local terminal a to b.
  void current(int a, int b, double i) { I[a] += i; I[b] -= i; }
  // That current depends on V[p] - V[n] with slope g.
  void slope(int a, int b, int p, int n, double g) {
    G[a][p] += g; G[a][n] -= g; G[b][p] -= g; G[b][n] += g;
  }
  // Linear conductance g between a and b.
  void conductance(int a, int b, double g, const double* V) {
    current(a, b, g * (V[a] - V[b]));
    slope(a, b, a, b, g);
  }
  // Charge current i (from LoadContext::charge) from a to b.
  void chargeCurrent(int a, int b, double i) { Iq[a] += i; Iq[b] -= i; }
  // The charge between a and b depends on V[p] - V[n] with capacitance c.
  void capacitance(int a, int b, int p, int n, double c) {
    C[a][p] += c; C[a][n] -= c; C[b][p] -= c; C[b][n] += c;
  }
};

// Matrix positions of a dense N x N block over the local terminals.
template <int N>
struct LocalPattern {
  std::array<Pos, N * N> pos{};
  void bind(PatternBuilder& b, const Index* nodes) {
    for (int r = 0; r < N; ++r)
      for (int c = 0; c < N; ++c) pos[r * N + c] = b.entry(nodes[r], nodes[c]);
  }
};

// Writes a LocalStamp evaluated at the limited voltages Vl into the matrix and
// the residual. The residual is the linearisation at the actual voltages Vx:
// I(Vl) + (G + ag0*C)*(Vx - Vl). sign is +1 (n-type) or -1 (p-type): local
// voltages are sign*node voltages, so currents flip and the Jacobian does not.
// stampReactive: add ag0*C to the matrix (transient only).
template <int N>
void scatter(LoadContext& c, const Index* nodes, const LocalPattern<N>& p, const LocalStamp<N>& s, const double* Vx,
             const double* Vl, double sign, bool stampReactive) {
  const double ag = stampReactive ? c.ag0 : 0.0;
  for (int r = 0; r < N; ++r) {
    double i = s.I[r] + s.Iq[r];
    for (int k = 0; k < N; ++k) {
      const double g = s.G[r][k] + ag * s.C[r][k];
      c.A[p.pos[r * N + k]] += g;
      i += g * (Vx[k] - Vl[k]);
    }
    c.f[nodes[r]] += sign * i;
  }
}

// Small-signal stamp G + j*omega*C from stored operating-point matrices.
template <int N>
void scatterAc(AcContext& c, const LocalPattern<N>& p, const double* G, const double* C) {
  for (int k = 0; k < N * N; ++k) c.A[p.pos[k]] += std::complex<double>(G[k], c.omega * C[k]);
}

// Keeps G and C of one instance for the AC analysis.
template <int N>
void storeOp(const LocalStamp<N>& s, double* G, double* C) {
  for (int r = 0; r < N; ++r)
    for (int k = 0; k < N; ++k) { G[r * N + k] = s.G[r][k]; C[r * N + k] = s.C[r][k]; }
}

// Temperature of an instance in kelvin from options, temp= and dtemp= (degC).
double instanceTempK(const ir::Device& d, const ir::Options& o);
// Nominal temperature in kelvin: model TNOM (degC) or options tnom.
double nominalTempK(const ir::Model* m, const ir::Options& o);

// ---- Switches (S, W): a conductance that depends only on a held state.
//
// The state changes with hysteresis: ON when the control exceeds thr + hyst,
// OFF below thr - hyst, unchanged in between. In a transient the state is held
// through the Newton iterations of a time point (the circuit stays piecewise
// linear) and changes only in accept(); findEvent() reports where the control
// crossed the level that flips the state. At DC the state follows the control
// at the start of every Newton iteration, as SPICE does, but freezes after
// kMaxFlips flips so that a switch cannot make Newton oscillate.
// Derived supplies `double control(const double* x, std::size_t i) const`.
template <class Derived>
class SwitchGroup : public GroupBase {
 public:
  using GroupBase::GroupBase;
  static constexpr int kMaxFlips = 8;
  bool linear() const override { return false; }

  void pattern(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) quad_[i].bind(b, a_[i], b_[i]);
  }

  void load(LoadContext& c) override {
    lastMode_ = c.mode;
    for (std::size_t i = 0, n = inst_.size(); i < n; ++i) {
      if (c.mode == AnalysisMode::TranInit) {
        on_[i] = next(i, self().control(c.x, i));
        continue;
      }
      if (c.mode == AnalysisMode::DcOp) {
        if (c.initJunctions) {
          on_[i] = initOn_[i];
          flips_[i] = 0;
        } else {
          const bool ns = next(i, self().control(c.x, i));
          if (ns != bool(on_[i]) && flips_[i] < kMaxFlips) {
            on_[i] = ns;
            ++flips_[i];
            ++c.noncon;
          }
        }
      }
      const double g = on_[i] ? gon_[i] : goff_[i];
      c.conductance(quad_[i], a_[i], b_[i], g, g * (c.x[a_[i]] - c.x[b_[i]]));
    }
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) c.admittance(quad_[i], on_[i] ? gon_[i] : goff_[i]);
  }

  void accept(const double* x, double) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      flips_[i] = 0;
      if (lastMode_ != AnalysisMode::DcOp) on_[i] = next(i, self().control(x, i));
    }
  }

  bool findEvent(const double* x0, const double* x1, double t0, double t1, Event& ev) const override {
    bool found = false;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const double c0 = self().control(x0, i), c1 = self().control(x1, i);
      double level;
      if (!on_[i] && c1 > thr_[i] + hyst_[i]) level = thr_[i] + hyst_[i];
      else if (on_[i] && c1 < thr_[i] - hyst_[i]) level = thr_[i] - hyst_[i];
      else continue;
      double frac = c1 != c0 ? (level - c0) / (c1 - c0) : 0.0;
      frac = std::clamp(frac, 0.0, 1.0);
      const double t = t0 + frac * (t1 - t0);
      if (!found || t < ev.time) ev.time = t;
      found = true;
    }
    return found;
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) out.emplace_back(a_[i], b_[i]);
  }

  // State of instance i (true = on); for tests and diagnostics.
  bool isOn(std::size_t i) const { return on_[i]; }

 protected:
  void resizeSwitches(std::size_t n) {
    a_.resize(n); b_.resize(n); quad_.resize(n);
    gon_.resize(n); goff_.resize(n); thr_.resize(n); hyst_.resize(n);
    on_.assign(n, 0); initOn_.assign(n, 0); flips_.assign(n, 0);
  }
  bool next(std::size_t i, double ctl) const {
    if (ctl > thr_[i] + hyst_[i]) return true;
    if (ctl < thr_[i] - hyst_[i]) return false;
    return on_[i];
  }
  const Derived& self() const { return static_cast<const Derived&>(*this); }

  std::vector<Index> a_, b_;
  std::vector<Quad> quad_;
  std::vector<double> gon_, goff_, thr_, hyst_;
  std::vector<char> on_, initOn_;
  std::vector<int> flips_;
  AnalysisMode lastMode_ = AnalysisMode::DcOp;
};

}  // namespace simcore::dev::semi
