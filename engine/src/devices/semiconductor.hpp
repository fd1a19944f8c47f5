// Shared pieces of the semiconductor device groups (D, Q, M): SPICE's
// junction voltage limiting, depletion charge with the FC linearisation,
// temperature scaling of junction parameters, the per-instance stamps
// (LocalStamp, filled by a model; Linearisation, stored and scattered into the
// matrix) and SPICE's bypass of model evaluations.
//
// Units: volts, amperes, farads, coulombs, kelvin (temperatures here are
// absolute unless a name says Celsius).
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <complex>
#include <cstdint>
#include <iterator>
#include <string_view>
#include <utility>
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
inline double pnjlim(double vnew, double vold, double vt, double vcrit, bool& limited);
// MOSFET gate-voltage limiting around the threshold von (SPICE's fetlim).
inline double fetlim(double vnew, double vold, double vto);
// MOSFET drain-source voltage limiting (SPICE's limvds).
inline double limvds(double vnew, double vold);
// The two gate junctions of a JFET or MESFET as SPICE limits them: at the
// first iteration (initJunctions) both at 0 V when the device is off, else
// -1 V; otherwise pnjlim and fetlim (around vto) on each. vgs and vgd come in
// as the node voltages and leave limited (exactly as they came when nothing
// was limited); returns whether anything was.
inline bool gateJunctionLimit(double& vgs, double& vgd, double vgsOld, double vgdOld, double vt, double vcrit,
                              double vto, bool initJunctions, bool off);
// The same with each junction's own thermal voltage and critical voltage
// (MESA: the source and drain ends at their own temperatures).
inline bool gateJunctionLimit(double& vgs, double& vgd, double vgsOld, double vgdOld, double vts, double vcrits,
                              double vtd, double vcritd, double vto, bool initJunctions, bool off);

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
// The constants of the FC continuation are computed once per junction;
// m = 0.5 (the default grading) takes 1/sqrt instead of exp/log, as ngspice does.
// at() is forced inline: GCC kept it out of line in the MOSFET evaluation,
// where each call spilled the live floating-point registers (ring9_cmos:
// 2.5 % fewer instructions and CPU inline).
struct ChargeAndCap {
  double q;
  double c;
};
class Depletion {
 public:
  Depletion() = default;  // no capacitance
  Depletion(double cj, double vj, double m, double fc);
  [[gnu::always_inline]] ChargeAndCap at(double v) const {
    if (cj_ == 0.0) return {0.0, 0.0};
    if (v == 0.0 && 0.0 < vfc_) return {unitGrading_ ? -0.0 : 0.0, cj_};  // what the formulas give at 0, exactly
    if (v < vfc_) {
      const double arg = 1.0 - v / vj_;
      if (half_) {
        const double sarg = 1.0 / std::sqrt(arg);  // arg^-m
        return {qk_ * (1.0 - arg * sarg), cj_ * sarg};
      }
      const double larg = std::log(arg);
      const double sarg = std::exp(-m_ * larg);
      if (unitGrading_) return {-cj_ * vj_ * larg, cj_ * sarg};
      return {qk_ * (1.0 - arg * sarg), cj_ * sarg};
    }
    return {q0_ + k_ * (f3_ * (v - vfc_) + mh_ * (v * v - vfc_ * vfc_)), k_ * (f3_ + mv_ * v)};
  }

 private:
  double cj_ = 0, vj_ = 1, m_ = 0.5, vfc_ = 0;
  double qk_ = 0;                                // cj*vj/(1-m)
  double q0_ = 0, k_ = 0, f3_ = 0, mh_ = 0, mv_ = 0;  // FC continuation
  bool half_ = false, unitGrading_ = false;      // m == 0.5, m == 1
};

// ---- FET pieces shared by the MOSFET levels, VDMOS and the JFET

// SPICE's MOSFET limiting of (vgs, vds) against the last evaluation (vgsOld,
// vdsOld; von the threshold): fetlim on the gate voltage of the side that
// acts as the source, then limvds. Returns true when either moved; when
// neither did, vgs and vds keep their exact input values.
inline bool fetLimit(double& vgs, double& vds, double vgsOld, double vdsOld, double von);

// The same plus the bulk junction (pnjlim on vbs, or on vbd in reverse mode)
// of a four-terminal MOSFET; vt and vcrits/vcritd of its bulk junctions.
// When nothing moved, all three keep their exact input values.
struct MosVoltages {
  double vgs, vds, vbs;
};
inline bool mosLimit(MosVoltages& v, const MosVoltages& old, double von, double vt, double vcrits, double vcritd);

// A MOSFET (drain d, gate g, source s, bulk b; internal drain and source dp,
// sp, which may be d and s) started by uic, as ngspice's getic: its local
// voltages W (times the polarity sign) from the external terminals' initial
// values V, with IC=vds,vgs,vbs (physical; NaN: not given) over them.
inline void mosUicVoltages(double* W, const double* V, int d, int g, int s, int b, int dp, int sp, double sign,
                           const std::array<double, 3>& ic) {
  W[dp] = V[d];
  W[sp] = V[s];
  if (!std::isnan(ic[0])) W[dp] = W[sp] + sign * ic[0];
  if (!std::isnan(ic[1])) W[g] = W[sp] + sign * ic[1];
  if (!std::isnan(ic[2])) W[b] = W[sp] + sign * ic[2];
}
// Its internal drain and source in the unknowns x at the same start (the
// drain at the source's plus IC's vds where given), where they are nodes of
// their own; nd: the device's unknowns by terminal.
template <class Nodes>
inline void mosUicNodes(double* x, const Nodes& nd, int d, int s, int dp, int sp, double icvds) {
  if (nd[sp] != nd[s] && nd[sp] > 0) x[nd[sp]] = x[nd[s]];
  if (nd[dp] != nd[d] && nd[dp] > 0) x[nd[dp]] = std::isnan(icvds) ? x[nd[d]] : x[nd[sp]] + icvds;
}

// Current and conductance of a MOSFET bulk junction (emission 1) with gmin
// across it; below -3*vt the diode is its saturation current, a step of
// e^-3 IS at -3*vt (ngspice 39's levels 1, 2 and 6), or with `cubic` the
// smooth -IS (1 + (3 vt / (e v))^3) of its levels 3 and 9 (value and slope
// continuous there).
inline CurrentAndSlope bulkJunction(double v, double isat, double vt, double gmin, bool cubic = false);

// Meyer's intrinsic gate capacitances, half values as ngspice's DEVqmeyer, for
// a device in normal mode (the vgs side is the source); vdsat is floored at
// 25 mV, and in weak inversion (-phi/2 < vgs - von <= 0) the gate-channel
// capacitance is shared between source and drain below vdsat as above
// threshold, as ngspice does.
struct MeyerCaps {
  double cgs, cgd, cgb;
};
inline MeyerCaps meyer(double vgs, double vgd, double von, double vdsat, double phi, double cox);

// Gate charges of a FET integrated as ngspice does, because Meyer-style
// capacitances are not the derivatives of one charge: in a transient, from
// the last accepted point, q = q_acc + (c + c_acc + overlap)*(v - v_acc), with
// the half capacitances c; at DC and the initial point q = (2c + overlap)*v.
// N charges; `accepted` is committed by the group's accept(), `last` holds the
// last evaluation.
template <int N>
struct GateCharges {
  double v[N] = {}, ch[N] = {}, q[N] = {};
};
struct HalfCap {
  double c;       // half capacitance at v
  double dc = 0;  // its derivative in v (adds dc*(v - v_acc) to the transient capacitance)
};
template <int N>
ChargeAndCap gateCharge(int k, double v, HalfCap half, double overlap, const GateCharges<N>& accepted,
                        GateCharges<N>& last, bool incremental) {
  ChargeAndCap out;
  if (incremental) {
    const double dv = v - accepted.v[k];
    out.q = accepted.q[k] + (half.c + accepted.ch[k] + overlap) * dv;
    out.c = half.c + accepted.ch[k] + overlap + half.dc * dv;
  } else {
    out.c = 2.0 * half.c + overlap;
    out.q = out.c * v;
  }
  last.v[k] = v; last.ch[k] = half.c; last.q[k] = out.q;
  return out;
}

// ---- Local stamps
//
// A semiconductor kind describes its local terminals with a layout type K:
//   static constexpr int terminals;                     N local terminals
//   static constexpr bool mask[N][N];                   entries of G and C the model can fill
//                                                       (row: terminal whose current, column: whose voltage)
//   static constexpr int states;                        charge states; state k lies between
//   static constexpr int chargeFrom[states], chargeTo[states];   these terminals
//   static constexpr int series;                        at most this many linear conductances
// Only the mask's entries are stored, get matrix positions and are scattered.
// The loops over entries and terminals below have compile-time trip counts and
// are unrolled, so that entry rows and columns become constants.

// Whether layout K declares `static constexpr bool diagonalCharges = true`:
// every charge state k depends only on V[chargeFrom[k]] - V[chargeTo[k]], so
// its gradient is one capacitance (LocalStamp::cq) instead of a row over the
// local voltages.
template <class K>
constexpr bool diagonalCharges() {
  if constexpr (requires { K::diagonalCharges; }) return K::diagonalCharges;
  else return false;
}

template <int N>
constexpr int countEntries(const bool (&mask)[N][N]) {
  int e = 0;
  for (int r = 0; r < N; ++r)
    for (int c = 0; c < N; ++c) e += mask[r][c] ? 1 : 0;
  return e;
}

// Entry list of a mask, and the entry of each (row, column): E when the mask
// has none there (the stamp's bin, never read).
template <int N, int E>
struct Entries {
  int row[E];
  int col[E];
  int slot[N][N];
};
template <int E, int N>
constexpr Entries<N, E> listEntries(const bool (&mask)[N][N]) {
  Entries<N, E> out{};
  int e = 0;
  for (int r = 0; r < N; ++r)
    for (int c = 0; c < N; ++c) {
      out.slot[r][c] = mask[r][c] ? e : E;
      if (mask[r][c]) { out.row[e] = r; out.col[e] = c; ++e; }
    }
  return out;
}

// Stamp of one instance, filled by its model at local voltages (already
// multiplied by the device polarity for pnp/pmos). I is the resistive current
// leaving each local terminal; G = dI/dV and C = dQ/dV of the charges (stamped
// as ag0*C) at the mask's entries (the Jacobian tests catch a write outside
// it); dq[k] the gradient of charge state k over the local voltages, or for a
// layout with diagonal charges cq[k], its one capacitance (dq[k] is then
// cq[k] at chargeFrom[k] and -cq[k] at chargeTo[k]). The
// linear conductances (series resistances) are part of I and G and are also
// listed, because the bypass test leaves them out: their linearisation is exact.
template <class K>
struct LocalStamp {
  static constexpr int N = K::terminals, S = K::states, E = countEntries(K::mask);
  static constexpr bool kDiagonal = diagonalCharges<K>();
  static constexpr Entries<N, E> entries = listEntries<E>(K::mask);
  struct Series {
    int a, b;
    double g;
  };
  double I[N] = {};
  double G[E + 1] = {};  // [E]: bin
  double C[E + 1] = {};
  double dq[kDiagonal ? 1 : S][N] = {};  // unused with diagonal charges
  double cq[kDiagonal ? S : 1] = {};      // diagonal charges only
  Series series[K::series] = {};
  int nSeries = 0;

  // Back to the default state before a model fills it again: what the model
  // adds to (I, G, C and the charge gradients) and nSeries, each array
  // cleared on its own (small fixed-size stores instead of one long fill).
  void clear() {
#pragma GCC unroll 16
    for (int k = 0; k < N; ++k) I[k] = 0.0;
#pragma GCC unroll 64
    for (int e = 0; e <= E; ++e) G[e] = 0.0;
#pragma GCC unroll 64
    for (int e = 0; e <= E; ++e) C[e] = 0.0;
    if constexpr (kDiagonal) {
#pragma GCC unroll 16
      for (int k = 0; k < S; ++k) cq[k] = 0.0;
    } else {
      for (auto& row : dq)
#pragma GCC unroll 16
        for (double& v : row) v = 0.0;
    }
    nSeries = 0;
  }
  // Current i flowing from local terminal a to b.
  // (current, slope, capacitance and add are forced inline: their terminals
  // are constants at the call sites, and GCC's choice of which to keep out
  // of line shifted whenever the evaluation around them changed.)
  [[gnu::always_inline]] void current(int a, int b, double i) { I[a] += i; I[b] -= i; }
  // That current depends on V[p] - V[n] with slope g.
  [[gnu::always_inline]] void slope(int a, int b, int p, int n, double g) { add(G, a, b, p, n, g); }
  // Linear conductance g between a and b (at most K::series of them).
  void conductance(int a, int b, double g, const double* V) {
    current(a, b, g * (V[a] - V[b]));
    slope(a, b, a, b, g);
    series[nSeries++] = {a, b, g};
  }
  // Charge state k (between K::chargeFrom[k] and K::chargeTo[k]) depends on
  // V[p] - V[n] with capacitance c (with diagonal charges, p and n are
  // chargeFrom[k] and chargeTo[k]).
  [[gnu::always_inline]] void capacitance(int k, int p, int n, double c) {
    add(C, K::chargeFrom[k], K::chargeTo[k], p, n, c);
    if constexpr (kDiagonal) {
      cq[k] += c;
    } else {
      dq[k][p] += c;
      dq[k][n] -= c;
    }
  }

 private:
  [[gnu::always_inline]] static void add(double* M, int a, int b, int p, int n, double v) {
    const auto& s = entries.slot;
    M[s[a][p]] += v; M[s[a][n]] -= v; M[s[b][p]] -= v; M[s[b][n]] += v;
  }
};

// The linearisation of one instance at the local voltages Vl where its model
// was last evaluated: what load() scatters, and what a bypassed load reuses.
template <class K>
struct Linearisation {
  double Vl[K::terminals] = {};  // local voltages of the evaluation
  LocalStamp<K> s;               // currents, G and C at Vl
  double q[K::states] = {};      // charge of each state at Vl
  // G + ag*C of the last stamp, when aValid: a bypassed load with the same ag
  // adds these again instead of forming them (the same values).
  double a[LocalStamp<K>::E] = {};
  double aAg = 0;
  bool aValid = false;
};

// Matrix positions of the mask's entries of one instance, and which of them
// (bit e of live) and of its terminals (bit k of liveNodes) are not ground:
// an entry in a ground row or column goes to the pattern's bin, which nobody
// reads, and every such addition (in every instance) is a read-modify-write of
// that one value: the chain of dependent additions made a grounded instance's
// stamp slow. addStamp() leaves them out.
template <class K>
struct Positions {
  static constexpr int E = LocalStamp<K>::E;
  using Mask = std::uint64_t;
  // a stamp of more than 64 entries (VBIC's 144) adds every entry (live stays kAll)
  static constexpr bool kMasked = E <= 64;
  static_assert(K::terminals < 64);
  static constexpr Mask kAll = E >= 64 ? ~Mask(0) : (Mask(1) << E) - 1;
  static constexpr Mask kAllNodes = (Mask(1) << K::terminals) - 1;
  Pos pos[E] = {};
  Mask live = kAll, liveNodes = kAllNodes;
  // The layout's pair of terminals that are often on one node (K::mergeA and
  // K::mergeB: a MOSFET's source and bulk), both off ground, every other
  // terminal on a node of its own: addStamp() then takes MergedStamp's
  // unrolled additions.
  bool merged = false;
  void bind(PatternBuilder& b, const Index* nodes) {
    constexpr auto& en = LocalStamp<K>::entries;
    if constexpr (kMasked) live = 0;
    liveNodes = 0;
    for (int e = 0; e < E; ++e) {
      pos[e] = b.entry(nodes[en.row[e]], nodes[en.col[e]]);
      if constexpr (kMasked)
        if (nodes[en.row[e]] != 0 && nodes[en.col[e]] != 0) live |= Mask(1) << e;
    }
    for (int k = 0; k < K::terminals; ++k)
      if (nodes[k] != 0) liveNodes |= Mask(1) << k;
    merged = false;
    if constexpr (requires { K::mergeA; }) {
      bool distinct = liveNodes == kAllNodes && live == kAll;
      for (int k = 0; k < K::terminals && distinct; ++k)
        for (int k2 = k + 1; k2 < K::terminals; ++k2)
          if (nodes[k] == nodes[k2] && !(k == K::mergeA && k2 == K::mergeB)) distinct = false;
      merged = distinct && nodes[K::mergeA] == nodes[K::mergeB];
    }
  }
};

// The additions of a stamp whose terminals K::mergeA < K::mergeB are on one
// node (and no others): entries that land in one matrix position are summed
// into that position's value in a register, in entry order, and stored once —
// the same additions in the same order as addStamp()'s one by one, so the
// sums are bit-identical, without the chain of read-modify-writes through
// memory (a pmos with its bulk on its source at vdd: 16 entries into 9
// positions, four of them into (vdd, vdd)). The groups are found at compile
// time and the loops unrolled.
template <class K>
struct MergedStamp {
  static constexpr int N = K::terminals, E = LocalStamp<K>::E;
  static constexpr int node(int k) { return k == K::mergeB ? K::mergeA : k; }
  struct Plan {
    int groups = 0;
    int start[E + 1] = {};  // group g: ord[start[g] .. start[g + 1])
    int ord[E] = {};        // entries, grouped by position, in entry order within a group
  };
  static constexpr Plan plan() {
    constexpr auto& en = LocalStamp<K>::entries;
    Plan p{};
    bool done[E] = {};
    int j = 0;
    for (int e = 0; e < E; ++e) {
      if (done[e]) continue;
      p.start[p.groups++] = j;
      for (int e2 = e; e2 < E; ++e2)
        if (!done[e2] && node(en.row[e2]) == node(en.row[e]) && node(en.col[e2]) == node(en.col[e])) {
          p.ord[j++] = e2;
          done[e2] = true;
        }
    }
    p.start[p.groups] = j;
    return p;
  }
  static constexpr Plan kPlan = plan();

  static void add(LoadContext& c, const Index* nodes, const Pos* pos, const double* a, const double* fi) {
#pragma GCC unroll 64
    for (int g = 0; g < kPlan.groups; ++g) {
      double& dst = c.A[pos[kPlan.ord[kPlan.start[g]]]];
      double t = dst;
#pragma GCC unroll 16
      for (int j = kPlan.start[g]; j < kPlan.start[g + 1]; ++j) t += a[kPlan.ord[j]];
      dst = t;
    }
#pragma GCC unroll 16
    for (int k = 0; k < N; ++k) {
      if (k == K::mergeB) continue;
      double& dst = c.f[nodes[k]];
      double t = dst + fi[k];
      if (k == K::mergeA) t += fi[K::mergeB];
      dst = t;
    }
  }
};

// Writes a linearisation taken at Vl into the matrix and the residual at the
// actual voltages Vx (which differ from Vl after limiting or when bypassing):
// the charges are q(Vl) + dq*(Vx - Vl), recorded through LoadContext::charge
// (for every state on every load, as its contract asks), which gives their
// currents Iq; f gets I(Vl) + G*(Vx - Vl) + Iq and A gets G + ag0*C (ag0 only
// when reactive, i.e. in a transient). sign is +1 (n-type) or -1 (p-type):
// local voltages are sign*node voltages, so currents flip and the Jacobian
// does not.
//
// In two parts: stampValues() computes what the instance adds (a[E] to A at
// p.pos, fi[N] to f at nodes) and records its charges; addStamp() adds them.
// The first touches only the instance's own charge states, so instances may
// compute their values on different threads (LinearisedGroup::loadInSlices);
// the additions stay in instance order.
// With haveA, a already holds G + ag*C of this linearisation (Linearisation::a).
// stampShifted() is its body with the shift dv = Vx - Vl already formed
// (shifted: some dv is not zero), for a caller that formed it anyway.
template <class K>
[[gnu::always_inline]] inline void stampShifted(LoadContext& c, const Linearisation<K>& L, int state0, const double* dv,
                                                bool shifted, double sign, bool reactive, double* a, double* fi,
                                                bool haveA);
template <class K>
void stampValues(LoadContext& c, const Linearisation<K>& L, int state0, const double* Vx, double sign, bool reactive,
                 double* a, double* fi, bool haveA = false) {
  constexpr int N = K::terminals;
  double dv[N];
  bool shifted = false;
#pragma GCC unroll 16
  for (int k = 0; k < N; ++k) {
    dv[k] = Vx[k] - L.Vl[k];
    shifted |= dv[k] != 0.0;
  }
  stampShifted(c, L, state0, dv, shifted, sign, reactive, a, fi, haveA);
}
template <class K>
inline void stampShifted(LoadContext& c, const Linearisation<K>& L, int state0, const double* dv, bool shifted,
                         double sign, bool reactive, double* a, double* fi, bool haveA) {
  constexpr int N = K::terminals, S = K::states, E = LocalStamp<K>::E;
  constexpr auto& en = LocalStamp<K>::entries;
  double i[N];
#pragma GCC unroll 16
  for (int k = 0; k < N; ++k) i[k] = L.s.I[k];
#pragma GCC unroll 16
  for (int k = 0; k < S; ++k) {
    double q = L.q[k];
    if constexpr (LocalStamp<K>::kDiagonal) {
      if (shifted) {  // the row's two terms in the row's order (as the general loop adds them)
        const double c = L.s.cq[k];
        if (K::chargeFrom[k] < K::chargeTo[k]) {
          q += c * dv[K::chargeFrom[k]];
          q += -c * dv[K::chargeTo[k]];
        } else {
          q += -c * dv[K::chargeTo[k]];
          q += c * dv[K::chargeFrom[k]];
        }
      }
    } else if (shifted) {
#pragma GCC unroll 16
      for (int j = 0; j < N; ++j) q += L.s.dq[k][j] * dv[j];
    }
    const double iq = c.charge(state0 + k, q);
    if (!reactive) continue;
    i[K::chargeFrom[k]] += iq;
    i[K::chargeTo[k]] -= iq;
  }
  // At DC (not reactive) neither the charges nor the capacitances enter, as in
  // SPICE, which computes no charges there: a junction whose VJ(T) is not
  // positive has NaN charges, and 0*NaN would poison the matrix.
  if (!haveA) {
    if (reactive) {
#pragma GCC unroll 64
      for (int e = 0; e < E; ++e) a[e] = L.s.G[e] + c.ag0 * L.s.C[e];
    } else {
#pragma GCC unroll 64
      for (int e = 0; e < E; ++e) a[e] = L.s.G[e];
    }
  }
  if (shifted)
#pragma GCC unroll 64
    for (int e = 0; e < E; ++e) i[en.row[e]] += L.s.G[e] * dv[en.col[e]];
#pragma GCC unroll 16
  for (int k = 0; k < N; ++k) fi[k] = sign * i[k];
}

// addStamp() for an instance whose terminals off ground are the bits of
// LiveNodes (which terminals are on ground decides which entries are live):
// the live entries' additions unrolled, in entry order, without the mask loop.
template <class K, std::uint64_t LiveNodes>
[[gnu::always_inline]] inline void addLiveStamp(LoadContext& c, const Index* nodes, const Pos* pos, const double* a,
                                                const double* fi) {
  constexpr auto& en = LocalStamp<K>::entries;
#pragma GCC unroll 64
  for (int e = 0; e < LocalStamp<K>::E; ++e)
    if ((LiveNodes >> en.row[e]) & (LiveNodes >> en.col[e]) & 1) c.A[pos[e]] += a[e];
#pragma GCC unroll 16
  for (int k = 0; k < K::terminals; ++k)
    if ((LiveNodes >> k) & 1) c.f[nodes[k]] += fi[k];
}

// The additions into A and f in entry and terminal order; those into the
// ground bins are left out (Positions::live), which changes no value anyone
// reads. With at most 4 terminals, one unrolled form per set of terminals on
// ground (an nmos with its source and bulk on ground adds 4 of its 9 or 16
// entries in straight-line code, not through the mask loop).
template <class K>
void addStamp(LoadContext& c, const Index* nodes, const Positions<K>& p, const double* a, const double* fi) {
  using P = Positions<K>;
  if constexpr (requires { K::mergeA; }) {
    static_assert(K::mergeA < K::mergeB);
    if (p.merged) return MergedStamp<K>::add(c, nodes, p.pos, a, fi);
  }
  if constexpr (P::kMasked && K::terminals <= 4) {
    constexpr std::uint64_t kSets = std::uint64_t(1) << K::terminals;
    if (p.liveNodes == P::kAllNodes) return addLiveStamp<K, P::kAllNodes>(c, nodes, p.pos, a, fi);
    [&]<std::uint64_t... M>(std::integer_sequence<std::uint64_t, M...>) {
      (void)((p.liveNodes == M ? (addLiveStamp<K, M>(c, nodes, p.pos, a, fi), true) : false) || ...);
    }(std::make_integer_sequence<std::uint64_t, kSets - 1>{});
    return;
  }
  if (!P::kMasked || p.live == P::kAll) {
#pragma GCC unroll 64
    for (int e = 0; e < LocalStamp<K>::E; ++e) c.A[p.pos[e]] += a[e];
  } else {
    for (typename P::Mask m = p.live; m != 0; m &= m - 1) {
      const int e = std::countr_zero(m);
      c.A[p.pos[e]] += a[e];
    }
  }
  if (p.liveNodes == P::kAllNodes) {
#pragma GCC unroll 16
    for (int k = 0; k < K::terminals; ++k) c.f[nodes[k]] += fi[k];
  } else {
    for (typename P::Mask m = p.liveNodes; m != 0; m &= m - 1) {
      const int k = std::countr_zero(m);
      c.f[nodes[k]] += fi[k];
    }
  }
}

// Keeps G + ag*C in L.a for the next load of the same linearisation.
template <class K>
void scatter(LoadContext& c, const Index* nodes, const Positions<K>& p, Linearisation<K>& L, int state0,
             const double* Vx, double sign, bool reactive) {
  double fi[K::terminals];
  const double ag = reactive ? c.ag0 : 0.0;
  const bool haveA = L.aValid && L.aAg == ag;
  stampValues(c, L, state0, Vx, sign, reactive, L.a, fi, haveA);
  L.aAg = ag;
  L.aValid = true;
  addStamp(c, nodes, p, L.a, fi);
}

// Small-signal stamp G + j*omega*C from operating-point entries (E each).
template <class K>
void scatterAc(AcContext& c, const Positions<K>& p, const double* G, const double* C) {
  for (int e = 0; e < Positions<K>::E; ++e) c.A[p.pos[e]] += std::complex<double>(G[e], c.omega * C[e]);
}

// ---- Bypass (as SPICE's): a transient load may reuse an instance's stored
// linearisation instead of evaluating its model when nothing it depends on
// moved by more than Newton's own tolerances.

// SPICE's bypass test against the linearisation: every voltage between two of
// the instance's local terminals (its junction and channel voltages: vd, vbe,
// vgs, vds, ...) within reltol*max(|v|, |vl|) + vntol of its value at Vl, and
// on every terminal the change of the nonlinear resistive current that G
// predicts within reltol*max(|i|, |i_new|) + abstol (as SPICE, which tests the
// junction and channel currents, not those of the series resistances). The
// voltages are differences, not node potentials: a diode between two nodes
// near 300 V would otherwise pass with its junction 0.3 V away from Vl (reltol
// of the node voltage), and each new evaluation after such a drift steps its
// charge by C'(v)/2 dv^2, kicks that ring the line inductance against the
// junction capacitance for as long as the drift lasts (docs/performance.md,
// "Bypass"). A pure common-mode move passes: the model sees only differences
// (a layout that depends on potentials has a ground terminal, whose pairs are
// the potentials). A pair joined by a series resistance (L.s.series) is not
// tested: its linearisation is exact, and its voltage follows the terminal
// currents, which the current test covers; but a pair with the layout's
// ground terminal (K::ground, when it has one) is: that difference is a
// potential the model sees, like the temperature rise across RTH0.
// closeEnough() in two parts: the voltage test (small, inlined in the
// instance loop, where most failing tests end), then the current test with
// the shift dv = V - Vl.
template <class K>
bool seriesPair(const Linearisation<K>& L, int j, int k) {
  // a resistance to the layout's ground terminal (a thermal resistance RTH0 from the
  // temperature node) joins a pair the model does see: the potential is tested
  if constexpr (requires { K::ground; })
    if (j == K::ground || k == K::ground) return false;
  for (int r = 0; r < L.s.nSeries; ++r) {
    const auto& sr = L.s.series[r];
    if ((sr.a == j && sr.b == k) || (sr.a == k && sr.b == j)) return true;
  }
  return false;
}
template <class K>
[[gnu::always_inline]] inline bool voltagesClose(const Linearisation<K>& L, const double* V, const ir::Options& o) {
#pragma GCC unroll 16
  for (int k = 1; k < K::terminals; ++k)
#pragma GCC unroll 16
    for (int j = 0; j < k; ++j) {
      const double d = V[k] - V[j], dl = L.Vl[k] - L.Vl[j];
      if (!(std::fabs(d - dl) <= o.reltol * std::max(std::fabs(d), std::fabs(dl)) + o.vntol) && !seriesPair(L, j, k))
        return false;
    }
  return true;
}
template <class K>
[[gnu::always_inline]] inline bool currentsClose(const Linearisation<K>& L, const double* dv, const ir::Options& o) {
  constexpr int N = K::terminals, E = LocalStamp<K>::E;
  constexpr auto& en = LocalStamp<K>::entries;
  bool close = true;
  double i[N], di[N] = {};
#pragma GCC unroll 16
  for (int k = 0; k < N; ++k) i[k] = L.s.I[k];
#pragma GCC unroll 64
  for (int e = 0; e < E; ++e) di[en.row[e]] += L.s.G[e] * dv[en.col[e]];
  for (int r = 0; r < L.s.nSeries; ++r) {  // take the linear conductances out
    const auto& sr = L.s.series[r];
    const double is = sr.g * (L.Vl[sr.a] - L.Vl[sr.b]), dis = sr.g * (dv[sr.a] - dv[sr.b]);
    i[sr.a] -= is; i[sr.b] += is;
    di[sr.a] -= dis; di[sr.b] += dis;
  }
#pragma GCC unroll 16
  for (int k = 0; k < N; ++k)
    close &= std::fabs(di[k]) <= o.reltol * std::max(std::fabs(i[k]), std::fabs(i[k] + di[k])) + o.abstol;
  return close;
}
template <class K>
bool closeEnough(const Linearisation<K>& L, const double* V, const ir::Options& o) {
  if (!voltagesClose(L, V, o)) return false;
  double dv[K::terminals];
#pragma GCC unroll 16
  for (int k = 0; k < K::terminals; ++k) dv[k] = V[k] - L.Vl[k];
  return currentsClose(L, dv, o);
}

// The rest of a bypassed load once voltagesClose() passed, in one pass: the
// current test and, when it passes, scatter() of the stored linearisation
// (reactive) at V, with the shift V - Vl formed once. Returns whether the
// test passed; nothing is added when it did not.
template <class K>
bool bypassScatter(LoadContext& c, const Index* nodes, const Positions<K>& p, Linearisation<K>& L, int state0,
                   const double* V, double sign, const ir::Options& o) {
  double dv[K::terminals], fi[K::terminals];
  bool shifted = false;
#pragma GCC unroll 16
  for (int k = 0; k < K::terminals; ++k) {
    dv[k] = V[k] - L.Vl[k];
    shifted |= dv[k] != 0.0;
  }
  if (!currentsClose(L, dv, o)) return false;
  const double ag = c.ag0;
  const bool haveA = L.aValid && L.aAg == ag;
  stampShifted(c, L, state0, dv, shifted, sign, true, L.a, fi, haveA);
  L.aAg = ag;
  L.aValid = true;
  addStamp(c, nodes, p, L.a, fi);
  return true;
}

// Per-group bypass bookkeeping. Bypass is allowed in a transient load that
// is not the first of its Newton solve: the previous load was a transient
// load at the same time point with the same integration coefficient, and no
// point was accepted since. The first load of a solve evaluates every
// instance (after a rejected step, a restart or the initial point), except
// in the solve right after an accepted step, where an instance whose last
// load was itself a bypass (a quiet instance: nothing it depends on moved in
// the last solve) may reuse its linearisation from the accepted step when the
// same tolerances hold. Its charges are still recorded at the new point
// (q(Vl) + dq*(V - Vl)), so the integrator sees them move.
class BypassState {
 public:
  enum class Mode { None, SameSolve, NextStep };
  bool enabled = true;            // on by default; tests switch it off
  std::uint64_t evaluations = 0;  // full model evaluations in transient loads
  std::uint64_t bypassed = 0;     // transient instance loads that reused the linearisation

  // Call once at the start of every load: when instances may bypass.
  Mode begin(const LoadContext& c) {
    const bool tran = c.mode == AnalysisMode::Tran;
    const bool sameSolve = tran && prevTran_ && !accepted_ && c.time == time_ && c.ag0 == ag0_;
    const bool nextStep = tran && prevTran_ && accepted_ && c.time > time_;
    prevTran_ = tran;
    accepted_ = false;
    time_ = c.time;
    ag0_ = c.ag0;
    if (!enabled || c.initJunctions || c.options == nullptr) return Mode::None;
    return sameSolve ? Mode::SameSolve : nextStep ? Mode::NextStep : Mode::None;
  }
  void accepted() { accepted_ = true; }

 private:
  bool prevTran_ = false, accepted_ = false;
  double time_ = 0, ag0_ = 0;
};

// A device group's quantities beyond its terminal currents (@q1[gm], @j1[vgs]): the
// id of `param` in the table `names`, numbered from `first`; -1 when it is not there.
template <class Name, std::size_t N>
int namedQuantityId(const Name (&names)[N], std::string_view param, int first) {
  for (int k = 0; k < int(N); ++k)
    if (param == std::string_view(names[k])) return first + k;
  return -1;
}

// A terminal current a D, Q, M or J kind reports (@q1[ic], ngspice's
// savecurrents names): the current into local terminal `outer` plus, when the
// device has no series resistance there (the internal terminal is the same
// node), into `inner` (and `inner2`); inner == outer for a terminal without one.
// nFrame: ngspice's @-vector of it is in the device's n-type frame (its ask
// function returns the load's state unsigned: MOS levels 1-6, VDMOS, JFET, a
// bipolar's substrate), so it is the real current times the polarity
// (positive for a conducting pmos); ngspice's .probe vector of the terminal
// (i(m1:d), DeviceGroup::terminalCurrent) is the real current always. The
// name but its first letter is the terminal's in ngspice's .probe names (d of
// id, c of ic). probeOnly: a terminal ngspice's .probe names that has no
// @-vector (a VDMOS's thermal tj, tc: the name is the terminal's).
struct TerminalCurrent {
  const char* name;
  int outer, inner;
  int inner2 = -1;
  bool nFrame = false;
  bool probeOnly = false;
  std::string_view terminal() const { return probeOnly ? std::string_view(name) : std::string_view(name).substr(1); }
};

// Base of the D, Q and M groups.
class SemiconductorGroup : public GroupBase {
 public:
  using GroupBase::GroupBase;
  bool linear() const override { return false; }
  virtual BypassState& bypassState() { return bypass_; }

 protected:
  BypassState bypass_;
};

// The instance loop every D, Q and M group shares. Per instance: the local
// voltages (node voltages times the polarity); in TranInit only the charges;
// when the bypass test passes, the stored linearisation again; otherwise the
// model's new linearisation, scattered. Small-signal G and C are kept from
// the last DC load for acLoad().
// Derived supplies:
//   double polarity(std::size_t i) const;    +1, or -1 for pnp / pmos
//   void initialCharges(LoadContext& c, std::size_t i, const double* V);
//        TranInit: record the charges (c.charge) and the limiting history
//   void linearise(LoadContext& c, std::size_t i, const double* V, Linearisation<K>& L, bool tran);
//        limit (counting c.noncon), evaluate at the limited voltages into L
//        (Vl, s, q; L.s is cleared before), and at DC call storeSmallSignal()
// and may supply
//   bool stepBypass(std::size_t i) const;    false: no bypass across steps (state that moves with time)
//   static constexpr std::size_t kLoadWeight; the cost of one evaluation in
//        level-1 MOSFET evaluations (default 1), for the threaded loads' threshold
template <class Derived, class K, class Inst>
class LinearisedGroup : public SemiconductorGroup {
 public:
  using SemiconductorGroup::SemiconductorGroup;
  static constexpr int kN = K::terminals, kE = LocalStamp<K>::E;
  using Lin = Linearisation<K>;

  void pattern(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) pat_[i].bind(b, nodes_[i].data());
    parts_.clear();
  }

  void load(LoadContext& c) override {
    const double* x = c.x;
    const bool tran = c.mode == AnalysisMode::Tran;
    const BypassState::Mode bypassMode = bypass_.begin(c);
    Derived& self = static_cast<Derived&>(*this);
    if (c.parallel && c.parallelTasks > 1 && c.mode != AnalysisMode::TranInit && inst_.size() >= 2 &&
        inst_.size() * loadWeight() >= c.parallelMinInstances)
      return loadInSlices(c, tran, bypassMode);
    for (std::size_t i = 0, n = inst_.size(); i < n; ++i) {
      const auto& nd = nodes_[i];
      const double sign = self.polarity(i);
      double V[kN];
      for (int k = 0; k < kN; ++k) V[k] = sign * x[nd[k]];
      if (c.mode == AnalysisMode::TranInit) {
        self.initialCharges(c, i, V);
        continue;
      }
      Lin& L = lin_[i];
      if (mayBypass(bypassMode, i) && voltagesClose(L, V, *c.options) &&
          bypassScatter(c, nd.data(), pat_[i], L, st_[i], V, sign, *c.options)) {
        ++bypass_.bypassed;
        quiet_[i] = 1;
        continue;
      }
      quiet_[i] = 0;
      L.s.clear();
      L.aValid = false;
      self.linearise(c, i, V, L, tran);
      if (tran) ++bypass_.evaluations;
      scatter(c, nd.data(), pat_[i], L, st_[i], V, sign, tran);
    }
  }

  void accept(const double*, double) override { bypass_.accepted(); }

  // One instance's evaluation in level-1 MOSFET evaluations: a group splits
  // its loads across threads when instances x weight reaches
  // parallelMinInstances, so 50 BSIM4 instances split as 1,000 level-1 ones.
  static constexpr std::size_t loadWeight() {
    if constexpr (requires { Derived::kLoadWeight; })
      return Derived::kLoadWeight;
    else
      return 1;
  }

  // The loop above in two passes: the bypass tests, model evaluations and
  // stamp values (stampValues, which also records the instance's charges) in
  // c.parallelTasks slices of instances (through c.parallel, each slice with
  // its own counters), then the additions into A and f in c.parallelTasks
  // parts of the positions and rows, each in instance order (addInParts).
  // Each instance computes exactly what the loop computes and A and f receive
  // the same additions in the same order, so the results are bit-identical.
  void loadInSlices(LoadContext& c, bool tran, BypassState::Mode bypassMode) {
    Derived& self = static_cast<Derived&>(*this);
    const std::size_t n = inst_.size(), tasks = std::min(c.parallelTasks, n);
    a_.resize(n * kE);
    fi_.resize(n * kN);
    slices_.assign(tasks, SliceCounts{});
    ++c.parallelLoads;
    (*c.parallel)(tasks, [&](std::size_t t) {
      LoadContext lc = c;
      lc.noncon = 0;
      SliceCounts& k = slices_[t];
      for (std::size_t i = n * t / tasks, e = n * (t + 1) / tasks; i < e; ++i) {
        const auto& nd = nodes_[i];
        const double sign = self.polarity(i);
        double V[kN];
        for (int m = 0; m < kN; ++m) V[m] = sign * c.x[nd[m]];
        Lin& L = lin_[i];
        bool reactive = true;
        quiet_[i] = mayBypass(bypassMode, i) && closeEnough(L, V, *c.options);
        if (quiet_[i]) {
          ++k.bypassed;
        } else {
          L.s.clear();
          L.aValid = false;
          self.linearise(lc, i, V, L, tran);
          if (tran) ++k.evaluations;
          reactive = tran;
        }
        stampValues(lc, L, st_[i], V, sign, reactive, &a_[i * kE], &fi_[i * kN]);
      }
      k.noncon = lc.noncon;
    });
    for (const SliceCounts& k : slices_) {
      c.noncon += k.noncon;
      bypass_.bypassed += k.bypassed;
      bypass_.evaluations += k.evaluations;
    }
    addInParts(c, tasks);
  }

  // The additions of every instance's a_ and fi_ into A and f, in parts of
  // the matrix positions and of the rows of f (each part on one thread, all
  // at once): every position and row receives its additions in instance
  // order, as addStamp() makes them on one thread.
  void addInParts(LoadContext& c, std::size_t tasks) {
    if (parts_.size() != tasks) planParts(tasks);
    (*c.parallel)(tasks, [&](std::size_t t) {
      const Part& part = parts_[t];
      double* A = c.A;
      double* f = c.f;
      const double* a = a_.data();
      const double* fi = fi_.data();
      for (std::size_t q = 0, e = part.aSrc.size(); q < e; ++q) A[part.aDst[q]] += a[part.aSrc[q]];
      for (std::size_t q = 0, e = part.fSrc.size(); q < e; ++q) f[part.fDst[q]] += fi[part.fSrc[q]];
    });
  }
  // Parts of about equal numbers of additions: positions and rows split
  // into contiguous ranges.
  void planParts(std::size_t tasks) {
    const std::size_t n = inst_.size();
    parts_.assign(tasks, Part{});
    auto split = [&](auto dest, std::size_t per, auto add) {
      int most = 0;
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t e = 0; e < per; ++e) most = std::max(most, int(dest(i, e)));
      std::vector<std::size_t> count(std::size_t(most) + 2, 0);
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t e = 0; e < per; ++e) count[std::size_t(dest(i, e)) + 1]++;
      for (std::size_t k = 1; k < count.size(); ++k) count[k] += count[k - 1];  // additions to positions below k
      const std::size_t total = n * per;
      std::vector<std::size_t> partOf(std::size_t(most) + 1);
      for (std::size_t d = 0; d <= std::size_t(most); ++d) partOf[d] = std::min(tasks - 1, count[d] * tasks / std::max<std::size_t>(total, 1));
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t e = 0; e < per; ++e) add(parts_[partOf[std::size_t(dest(i, e))]], std::uint32_t(i * per + e), dest(i, e));
    };
    split([&](std::size_t i, std::size_t e) { return pat_[i].pos[e]; }, std::size_t(kE),
          [](Part& p, std::uint32_t src, Pos d) { p.aSrc.push_back(src); p.aDst.push_back(d); });
    split([&](std::size_t i, std::size_t k) { return nodes_[i][k]; }, std::size_t(kN),
          [](Part& p, std::uint32_t src, Index d) { p.fSrc.push_back(src); p.fDst.push_back(d); });
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) scatterAc(c, pat_[i], &opG_[i * kE], &opC_[i * kE]);
  }

  // Device quantities: the terminal currents of Derived::kCurrents (a table of
  // TerminalCurrent), positive into the device (in the n-type frame where the
  // row says nFrame, as ngspice's vectors).
  int quantityId(std::size_t, std::string_view param) const override {
    const auto& t = Derived::kCurrents;
    for (int k = 0; k < int(std::size(t)); ++k)
      if (!t[k].probeOnly && param == t[k].name) return k;
    return -1;
  }
  void currentNames(std::size_t, std::vector<std::string_view>& out) const override {
    for (const auto& t : Derived::kCurrents)
      if (!t.probeOnly) out.emplace_back(t.name);
  }
  double quantity(std::size_t i, int id, const QuantityContext& c) const override {
    return askSign(i, id) * terminalCurrent(i, id, c);
  }
  std::complex<double> acQuantity(std::size_t i, int id, const std::complex<double>* x, double omega) const override {
    return askSign(i, id) * acTerminalCurrent(i, id, x, omega);
  }
  // ngspice's .probe terminals: by name (TerminalCurrent::terminal; ngspice's b_tj,
  // its name of a MOSFET's fourth terminal, is the bulk or a VDMOS's tj) or by
  // number (1: the first terminal of the card)
  int terminalCurrentId(std::size_t, std::string_view name) const override {
    const auto& t = Derived::kCurrents;
    if (name.empty()) return -1;
    if (name[0] >= '1' && name[0] <= '9' && name.size() == 1) {
      for (int k = 0; k < int(std::size(t)); ++k)
        if (t[k].outer == name[0] - '1') return k;
      return -1;
    }
    for (std::string_view want : {name == "b_tj" ? std::string_view("b") : name, name == "b_tj" ? std::string_view("tj") : name})
      for (int k = 0; k < int(std::size(t)); ++k)
        if (t[k].terminal() == want) return k;
    return -1;
  }
  double terminalCurrent(std::size_t i, int id, const QuantityContext& c) const override {
    const auto& t = Derived::kCurrents[id];
    double v = localCurrent(i, t.outer, c);
    if (t.inner != t.outer && nodes_[i][t.inner] == nodes_[i][t.outer]) v += localCurrent(i, t.inner, c);
    if (t.inner2 >= 0 && nodes_[i][t.inner2] == nodes_[i][t.outer]) v += localCurrent(i, t.inner2, c);
    return v;
  }
  std::complex<double> acTerminalCurrent(std::size_t i, int id, const std::complex<double>* x, double omega) const override {
    const auto& t = Derived::kCurrents[id];
    std::complex<double> v = localAcCurrent(i, t.outer, x, omega);
    if (t.inner != t.outer && nodes_[i][t.inner] == nodes_[i][t.outer]) v += localAcCurrent(i, t.inner, x, omega);
    if (t.inner2 >= 0 && nodes_[i][t.inner2] == nodes_[i][t.outer]) v += localAcCurrent(i, t.inner2, x, omega);
    return v;
  }

 protected:
  // Whether instance i may try the bypass test in a load of this mode.
  bool mayBypass(BypassState::Mode m, std::size_t i) const {
    return m == BypassState::Mode::SameSolve ||
           (m == BypassState::Mode::NextStep && quiet_[i] && static_cast<const Derived&>(*this).stepBypass(i));
  }
  // Derived hides this when an instance's model depends on time through
  // state of its own (not only on its voltages and charges): such an
  // instance evaluates in the first load of every solve.
  bool stepBypass(std::size_t) const { return true; }
  // Sizes the per-instance storage for n instances (at the start of setup).
  void resizeInstances(std::size_t n) {
    nodes_.resize(n); pat_.resize(n); st_.resize(n); p_.resize(n); lin_.assign(n, Lin{});
    off_.assign(n, false);
    quiet_.assign(n, 0);
    opG_.assign(n * kE, 0.0); opC_.assign(n * kE, 0.0);
  }
  // The factor from row id's real current to ngspice's vector of it.
  double askSign(std::size_t i, int id) const {
    return Derived::kCurrents[id].nFrame ? static_cast<const Derived&>(*this).polarity(i) : 1.0;
  }
  // Current into instance i at local terminal k at a solution: the stored
  // linearisation moved to the solution (as scatter() does) plus the currents
  // of the charge states at k.
  double localCurrent(std::size_t i, int k, const QuantityContext& c) const {
    constexpr auto& en = LocalStamp<K>::entries;
    const Lin& L = lin_[i];
    const auto& nd = nodes_[i];
    const double sign = static_cast<const Derived&>(*this).polarity(i);
    double cur = L.s.I[k];
    for (int e = 0; e < kE; ++e)
      if (en.row[e] == k) cur += L.s.G[e] * (sign * c.x[nd[en.col[e]]] - L.Vl[en.col[e]]);
    if (c.iq)
      for (int s = 0; s < K::states; ++s) {
        if (K::chargeFrom[s] == k) cur += c.iq[st_[i] + s];
        if (K::chargeTo[s] == k) cur -= c.iq[st_[i] + s];
      }
    return sign * cur;
  }
  // The small-signal current into local terminal k: (G + j omega C) of the
  // operating point times the ac node voltages.
  std::complex<double> localAcCurrent(std::size_t i, int k, const std::complex<double>* x, double omega) const {
    constexpr auto& en = LocalStamp<K>::entries;
    const auto& nd = nodes_[i];
    std::complex<double> cur = 0.0;
    for (int e = 0; e < kE; ++e)
      if (en.row[e] == k) cur += std::complex<double>(opG_[i * kE + e], omega * opC_[i * kE + e]) * x[nd[en.col[e]]];
    return cur;
  }
  // The small-signal entries of instance i (kE each), from a DC load.
  void storeSmallSignal(std::size_t i, const double* G, const double* C) {
    std::copy_n(G, kE, &opG_[i * kE]);
    std::copy_n(C, kE, &opC_[i * kE]);
  }

  std::vector<std::array<Index, kN>> nodes_;  // local terminal -> unknown
  std::vector<Positions<K>> pat_;
  std::vector<int> st_;                       // first charge state
  std::vector<Inst> p_;                       // model parameters at temperature, per instance
  std::vector<Lin> lin_;                      // linearisation of the last evaluation (reused when bypassing)
  std::vector<bool> off_;                     // instance flag `off`
  std::vector<double> opG_, opC_;             // small-signal G and C entries (kE each) at the last DC load
  std::vector<std::uint8_t> quiet_;           // the instance's last load was a bypass (BypassState)

 private:
  struct SliceCounts {
    int noncon = 0;
    std::uint64_t bypassed = 0, evaluations = 0;
  };
  std::vector<double> a_, fi_;  // loadInSlices: each instance's additions to A (kE) and f (kN)
  std::vector<SliceCounts> slices_;
  // addInParts: per part, the additions it makes (a_ or fi_ index, A position
  // or f row) in instance order; planned for one pattern and task count.
  struct Part {
    std::vector<std::uint32_t> aSrc, fSrc;
    std::vector<Pos> aDst;
    std::vector<Index> fDst;
  };
  std::vector<Part> parts_;
};

// ---- Definitions of the limiting and FET helpers declared above (inline:
// they run in every instance load).

inline double pnjlim(double vnew, double vold, double vt, double vcrit, bool& limited) {
  const double vin = vnew;
  if (vnew > vcrit && std::fabs(vnew - vold) > vt + vt) {
    if (vold > 0) {
      const double arg = 1.0 + (vnew - vold) / vt;
      vnew = arg > 0 ? vold + vt * std::log(arg) : vcrit;
    } else {
      vnew = vt * std::log(vnew / vt);
    }
  } else if (vnew < 0) {
    // reverse direction: do not jump more than about one volt past the old value
    const double floor = vold > 0 ? -vold - 1.0 : 2.0 * vold - 1.0;
    if (vnew < floor) vnew = floor;
  }
  limited = vnew != vin;
  return vnew;
}

inline double fetlim(double vnew, double vold, double vto) {
  const double vtsthi = std::fabs(2.0 * (vold - vto)) + 2.0;
  const double vtstlo = std::fabs(vold - vto) + 1.0;
  const double vtox = vto + 3.5;
  const double delv = vnew - vold;
  if (vold >= vto) {
    if (vold >= vtox) {
      if (delv <= 0) {  // going off
        if (vnew >= vtox) {
          if (-delv > vtstlo) vnew = vold - vtstlo;
        } else {
          vnew = std::max(vnew, vto + 2.0);
        }
      } else if (delv >= vtsthi) {  // staying on
        vnew = vold + vtsthi;
      }
    } else {  // middle region
      vnew = delv <= 0 ? std::max(vnew, vto - 0.5) : std::min(vnew, vto + 4.0);
    }
  } else {  // off
    if (delv <= 0) {
      if (-delv > vtsthi) vnew = vold - vtsthi;
    } else {
      const double vtemp = vto + 0.5;
      if (vnew <= vtemp) {
        if (delv > vtstlo) vnew = vold + vtstlo;
      } else {
        vnew = vtemp;
      }
    }
  }
  return vnew;
}

inline double limvds(double vnew, double vold) {
  if (vold >= 3.5) {
    if (vnew > vold) vnew = std::min(vnew, 3.0 * vold + 2.0);
    else if (vnew < 3.5) vnew = std::max(vnew, 2.0);
  } else {
    vnew = vnew > vold ? std::min(vnew, 4.0) : std::max(vnew, -0.5);
  }
  return vnew;
}

inline bool gateJunctionLimit(double& vgs, double& vgd, double vgsOld, double vgdOld, double vt, double vcrit,
                              double vto, bool initJunctions, bool off) {
  return gateJunctionLimit(vgs, vgd, vgsOld, vgdOld, vt, vcrit, vt, vcrit, vto, initJunctions, off);
}

inline bool gateJunctionLimit(double& vgs, double& vgd, double vgsOld, double vgdOld, double vts, double vcrits,
                              double vtd, double vcritd, double vto, bool initJunctions, bool off) {
  if (initJunctions) {
    vgs = vgd = off ? 0.0 : -1.0;
    return true;
  }
  bool l1 = false, l2 = false;
  const double ps = pnjlim(vgs, vgsOld, vts, vcrits, l1), pd = pnjlim(vgd, vgdOld, vtd, vcritd, l2);
  const double fs = fetlim(ps, vgsOld, vto), fd = fetlim(pd, vgdOld, vto);
  if (!(l1 || l2 || fs != ps || fd != pd)) return false;  // vgs, vgd unchanged
  vgs = fs;
  vgd = fd;
  return true;
}

inline bool fetLimit(double& vgs, double& vds, double vgsOld, double vdsOld, double von) {
  const double vgs0 = vgs, vds0 = vds;
  double vgd = vgs - vds;
  bool lim = false;
  if (vdsOld >= 0) {
    const double g = fetlim(vgs, vgsOld, von);
    lim = g != vgs;
    vgs = g;
    vds = vgs - vgd;
    const double dl = limvds(vds, vdsOld);
    lim = lim || dl != vds;
    vds = dl;
  } else {
    const double g = fetlim(vgd, vgsOld - vdsOld, von);
    lim = g != vgd;
    vgd = g;
    vds = vgs - vgd;
    const double dl = -limvds(-vds, -vdsOld);
    lim = lim || dl != vds;
    vds = dl;
    vgs = vgd + vds;
  }
  if (!lim) {  // keep the exact voltages (no rounding from the reshuffle)
    vgs = vgs0;
    vds = vds0;
  }
  return lim;
}

inline bool mosLimit(MosVoltages& v, const MosVoltages& old, double von, double vt, double vcrits, double vcritd) {
  const MosVoltages in = v;
  const bool lim = fetLimit(v.vgs, v.vds, old.vgs, old.vds, von);
  bool lj = false;
  if (v.vds >= 0) {
    v.vbs = pnjlim(v.vbs, old.vbs, vt, vcrits, lj);
  } else {
    const double vbd = pnjlim(v.vbs - v.vds, old.vbs - old.vds, vt, vcritd, lj);
    v.vbs = vbd + v.vds;
  }
  if (!lim && !lj) {
    v = in;
    return false;
  }
  return true;
}

inline CurrentAndSlope bulkJunction(double v, double isat, double vt, double gmin, bool cubic) {
  if (v <= -3.0 * vt) {
    if (!cubic) return {gmin * v - isat, gmin};
    double a = 3.0 * vt / (v * M_E);
    a = a * a * a;
    return {-isat * (1.0 + a) + gmin * v, isat * 3.0 * a / v + gmin};
  }
  if (v == 0.0) return {0.0, isat / vt + gmin};  // bulk tied to source or drain: exp(0) == 1 exactly
  double de = 0;
  const double e = safeExp(v / vt, &de);
  return {isat * (e - 1.0) + gmin * v, isat * de / vt + gmin};
}

inline MeyerCaps meyer(double vgs, double vgd, double von, double vdsat, double phi, double cox) {
  const double vgst = vgs - von;
  vdsat = std::max(vdsat, 0.025);
  if (vgst <= -phi) return {0, 0, cox / 2};
  if (vgst <= -phi / 2) return {0, 0, -vgst * cox / (2 * phi)};
  const double vds = vgs - vgd;
  if (vgst <= 0) {
    // weak inversion: the linear part shared between source and drain below vdsat
    const double cgs = vgst * cox / (1.5 * phi) + cox / 3, cgb = -vgst * cox / (2 * phi);
    if (vds >= vdsat) return {cgs, 0, cgb};
    const double vddif = 2.0 * vdsat - vds, vddif1 = vdsat - vds, vddif2 = vddif * vddif;
    return {cgs * (1.0 - vddif1 * vddif1 / vddif2), cgs * (1.0 - vdsat * vdsat / vddif2), cgb};
  }
  if (vdsat <= vds) return {cox / 3, 0, 0};
  const double vddif = 2.0 * vdsat - vds, vddif1 = vdsat - vds, vddif2 = vddif * vddif;
  return {cox * (1.0 - vddif1 * vddif1 / vddif2) / 3, cox * (1.0 - vdsat * vdsat / vddif2) / 3, 0};
}

// Test hook: the bypass state of a D, Q or M group (nullptr for other kinds).
BypassState* bypassState(DeviceGroup& g);

// Temperature of an instance in kelvin from options, temp= and dtemp= (degC).
double instanceTempK(const ParamValues& p, const ir::Options& o);
// Nominal temperature in kelvin: model TNOM (degC) or options tnom. (PV: ParamValues or ParamMemo.)
template <class PV>
double nominalTempK(const PV& p, const ir::Options& o) {
  return p.model("tnom", o.tnom) + kCelsiusToKelvin;
}

}  // namespace simcore::dev::semi
