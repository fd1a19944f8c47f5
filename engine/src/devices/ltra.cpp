// O: lossy transmission line as ngspice's LTRA, `Oname p1+ p1- p2+ p2- model`
// with `.model model LTRA R= L= G= C= LEN= ...` (per-metre values). The cases
// ngspice 39 simulates: LC (lossless), RLC and RC (G = 0), RG (L = C = 0).
//
// Unknowns: the port nodes and two currents j1, j2 (into the + terminals),
// internal unknowns `<name>#i1`, `<name>#i2` whose rows hold the line's equations.
//   DC (LC, RLC, RC): j1 + j2 = 0 and v1 - v2 = R len j1 (a resistor).
//   RG (every analysis): the exact DC two-port, v1 = cosh(th) v2 - Zc sinh(th) j2,
//       j1 = sinh(th)/Zc v2 - cosh(th) j2, th = len sqrt(RG), Zc = sqrt(R/G).
//   AC: the exact line, j1 = Y0 v1 - P (Y0 v2 + j2) (ltra_kernels.hpp).
//   tran: the same in time (ltra_kernels.hpp for the kernels hy, hp, hyp), e.g. LC/RLC
//       j1 = Yinf [v1 + hy*v1] - A [Yinf v2(t-T) + j2(t-T)] - hp*j2 - Yinf hyp*v2,
//       A = exp(-alpha T); RC: j1 = hy*v1 - hp*j2 - hyp*v2.
//     Each convolution assumes the port quantity piecewise linear between the
//     accepted time points and constant (its value at t = 0) before 0; with the
//     kernel's twice integral K2 the convolution of the history is exact:
//       (k*x)(t) = x0 K1inf + sum_j (x_j - x_{j-1}) (K2(t - t_{j-1}) - K2(t - t_j)) / (t_j - t_{j-1}),
//     the last segment (to the unknown x(t)) giving the matrix entry K2(h)/h.
//     The delayed values x(t - T) are interpolated in the history: quadratic
//     (the default, QUADINTERP), linear (LININTERP), or quadratic falling back
//     to linear when it leaves the range of its three points (MIXEDINTERP).
//   Initial state: the operating point, or with .tran ... uic IC=v1,i1,v2,i2
//     (V1= I1= V2= I2=) as ngspice.
// Step control (ngspice's LTRAtrunc and LTRAaccept): the step never exceeds the
// delay T of an LC or RLC line (unless NOSTEPLIMIT), nor, for RLC, the largest
// step over which hp is straight within COMPACTREL/COMPACTABS (unless
// TRUNCDONTCUT); a change of slope of a wave leaving an end sets a breakpoint
// one delay after the previous point (REL, ABS as T's). ngspice's optional LTE
// control (off by default; NOCONTROL, TRUNCNR) is accepted and not applied.
// In SPICE mode the delay and the hp step are spiceMaxStep() (inside the
// truncation-error step, as LTRAtrunc). A CPL mode (kTxlExactKind, below; a `Y`
// card is devices/txl.cpp) follows ngspice's TXL/CPL instead: no step limit, no breakpoints, and
// once a step is longer than T, TMAX is 0.9 T (tmaxCap; not for a line ngspice
// counts as lossless, R/L < 5e5); the event engine limits every line to T.
// Cost: an RLC or RC line convolves its history at every new time (3 kernel
// evaluations a point or block). The history is compressed by age: the newest
// kRecent points and those within 2T of now stay piecewise linear; older segments
// become blocks held by their means (convolved as (K1(t - ts) - K1(t - te)) * mean,
// which keeps every quantity's integral, so a fast waveform long past is not
// aliased), and adjacent blocks merge while the merged span stays below
// 1/kAgeRatio of its age (the kernels vary on the scale of the age there): the
// history grows with the logarithm of the run's length, not with its steps.
// An LC line keeps only the points within T of now.
#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <limits>
#include <map>
#include <memory>
#include <set>

#include "devices/common.hpp"
#include "devices/ltra_kernels.hpp"
#include "devices/txl_params.hpp"

namespace simcore::dev {
namespace {

using ltra::Kernel;
using ltra::KernelKind;

constexpr std::size_t kRecent = 64;      // the newest points, never merged
constexpr std::size_t kCompactEvery = 256;  // new points between compactions
constexpr double kAgeRatio = 32.0;       // a merged segment stays below age / kAgeRatio

enum class LineCase { Lc, Rlc, Rc, Rg };
enum class Interp { Quadratic, Linear, Mixed };

struct LineModel {
  LineCase kind = LineCase::Lc;
  double r = 0, l = 0, g = 0, c = 0, len = 0;
  double yinf = 0, z0 = 0, td = 0, alpha = 0, atten = 1;  // LC, RLC
  double coshv = 1, zs = 0, ys = 0;                        // RG
  Kernel ky, kp, kyp;
  double rel = 1, abs = 1;
  double maxStep = std::numeric_limits<double>::infinity();
  // ngspice's TXL (and CPL, whose modes run as TXL lines): no step limit and no
  // breakpoints in SPICE mode; once a step is longer than the delay, TMAX becomes
  // 0.9 of it (maxStep keeps the delay for the event engine)
  bool txlSteps = false;  // TXL/CPL: no SPICE-mode step limit nor breakpoints
  bool delayCap = false;  // ... and the 0.9 T rule (not for ngspice's lossless TXL)
  Interp interp = Interp::Quadratic;
};

struct Point {
  double t, v1, v2, j1, j2;
};

// A span of old history by its means (area-preserving: merging keeps each quantity's integral).
struct Block {
  double ts, te;
  Point mean;
};

class LossyLines final : public GroupBase {
 public:
  using GroupBase::GroupBase;
  // Affine in x always; but the matrix of an RLC or RC line depends on the step h
  // itself (K2(h)/h), not only on the integrator's coefficient, which is all the
  // transient's reuse of a factored matrix looks at: such lines are not "linear".
  bool linear() const override {
    for (const LineModel* L : line_)
      if (L && (L->kind == LineCase::Rlc || L->kind == LineCase::Rc)) return false;
    return true;
  }

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    line_.assign(n, nullptr);
    nd_.resize(n); pos_.resize(n); ic_.assign(n, {}); hist_.assign(n, {}); breaks_.assign(n, {});
    x0_.assign(n, {}); cache_.assign(n, {}); compacted_.assign(n, 0); old_.assign(n, {});
    reltol_ = ctx.options().reltol;
    abstol_ = ctx.options().abstol;
    std::map<std::pair<int, double>, std::shared_ptr<const LineModel>> byModel;
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      const ir::Model* m = ctx.model(d);
      if (!m) return deviceError(d, std::string(kind_.name) + " '" + d.name + "' needs a model");
      if (auto s = checkModel(*m); !s) return s;
      const ParamValues P0 = values(d, m);
      auto& lm = byModel[{d.model, P0.hasInst("len") ? P0.inst("len") : -1.0}];  // TXL: len= on the card
      if (!lm) {
        auto made = makeModel(d, *m, ctx.options());
        if (!made) return made.takeError();
        lm = std::move(made).value();
      }
      models_.push_back(lm);
      line_[i] = lm.get();
      const ParamValues P = values(d, m);
      if (auto s = readIc(d, P, ic_[i]); !s) return s;
      auto& u = nd_[i];
      for (int k = 0; k < 4; ++k) u[std::size_t(k)] = ctx.node(d.nodes[std::size_t(k)]);
      u[4] = ctx.addInternalNode(d, "i1");
      u[5] = ctx.addInternalNode(d, "i2");
    }
    return {};
  }

  // Local unknowns: 0 p1+, 1 p1-, 2 p2+, 3 p2-, 4 j1, 5 j2.
  void pattern(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const auto& u = nd_[i];
      for (int port = 0; port < 2; ++port) {
        const Index pp = u[2 * port], pm = u[2 * port + 1], j = u[4 + port];
        const Index op = u[2 * (1 - port)], om = u[2 * (1 - port) + 1], oj = u[4 + (1 - port)];
        Pos* q = pos_[i][std::size_t(port)].data();
        q[0] = b.entry(pp, j); q[1] = b.entry(pm, j);
        q[2] = b.entry(j, j); q[3] = b.entry(j, pp); q[4] = b.entry(j, pm);
        q[5] = b.entry(j, op); q[6] = b.entry(j, om); q[7] = b.entry(j, oj);
      }
    }
  }

  void load(LoadContext& c) override {
    if (c.mode == AnalysisMode::DcOp) inTran_ = false;
    if (recordsOnly(c.mode)) {
      if (c.mode == AnalysisMode::TranInit && (!inTran_ || c.uic)) {  // uic: no DC load before it
        for (std::size_t i = 0; i < inst_.size(); ++i) startHistory(i, c.x, c.uic);
        cap_ = 1e300;
      }
      inTran_ = true;
      return;
    }
    inTran_ = inTran_ || c.mode == AnalysisMode::Tran;
    const bool dc = c.mode == AnalysisMode::DcOp;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const LineModel& L = *line_[i];
      const auto& u = nd_[i];
      const double* x = c.x;
      // KCL: j leaves p+ into the line and comes back at p-
      for (int port = 0; port < 2; ++port) {
        const double j = x[u[4 + port]];
        c.f[u[2 * port]] += j;
        c.f[u[2 * port + 1]] -= j;
        if (c.stampMatrix) {
          c.A[pos_[i][std::size_t(port)][0]] += 1.0;
          c.A[pos_[i][std::size_t(port)][1]] -= 1.0;
        }
      }
      if (L.kind == LineCase::Rg) loadRg(c, i, c.options ? c.options->gmin : 1e-12);
      else if (dc) loadDc(c, i);
      else loadTran(c, i);
    }
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const LineModel& L = *line_[i];
      for (int port = 0; port < 2; ++port) {
        const Pos* q = pos_[i][std::size_t(port)].data();
        c.A[q[0]] += 1.0;
        c.A[q[1]] -= 1.0;
      }
      if (L.kind == LineCase::Rg || !(c.omega > 0)) {
        // the DC two-port (RG: ngspice loads its DC stamps in AC)
        for (int port = 0; port < 2; ++port) {
          const std::array<double, 8> row = dcRow(L, port, 1e-12);
          const Pos* q = pos_[i][std::size_t(port)].data();
          for (int k = 2; k < 8; ++k) c.A[q[k]] += row[std::size_t(k)];
        }
        continue;
      }
      using C = std::complex<double>;
      const C s(0.0, c.omega);
      const C zser = s * L.l + L.r, ysh = s * L.c + L.g;
      const C y0 = std::sqrt(ysh / zser);
      const C e = std::exp(-std::sqrt(zser * ysh) * L.len);
      // row of port k: y0 vk - jk - e (y0 vo + jo) = 0
      for (int port = 0; port < 2; ++port) {
        const Pos* q = pos_[i][std::size_t(port)].data();
        c.A[q[2]] -= 1.0;
        c.A[q[3]] += y0; c.A[q[4]] -= y0;
        c.A[q[5]] -= e * y0; c.A[q[6]] += e * y0;
        c.A[q[7]] -= e;
      }
    }
  }

  void accept(const double* x, double time) override {
    if (!inTran_) return;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const LineModel& L = *line_[i];
      if (L.kind == LineCase::Rg) continue;
      auto& h = hist_[i];
      if (h.empty() || !(time > h.back().t)) continue;
      if (L.delayCap && time - h.back().t > L.td) cap_ = std::min(cap_, 0.9 * L.td);
      h.push_back(point(i, x, time));
      if (L.kind == LineCase::Lc) {
        // only the points an interpolation at t - T or later needs (keep three)
        std::size_t k = 2;
        while (k < h.size() && time - L.td > h[k].t) ++k;
        if (k > 2) h.erase(h.begin(), h.begin() + std::ptrdiff_t(k - 2));
      } else if (h.size() >= compacted_[i] + kCompactEvery) {
        compact(i, time);
        compacted_[i] = h.size();
      }
      if ((L.kind == LineCase::Lc || L.kind == LineCase::Rlc) && !L.txlSteps) slopeBreakpoint(i);
      auto& bs = breaks_[i];
      bs.erase(bs.begin(), bs.lower_bound(time));  // (one at this very time marks it a breakpoint)
    }
  }

  double nextBreakpoint(double t) const override {
    double bp = 1e300;
    for (const auto& bs : breaks_) {
      auto it = bs.upper_bound(t);
      if (it != bs.end()) bp = std::min(bp, *it);
    }
    return bp;
  }

  double maxStep() const override {
    double h = 1e300;
    for (const LineModel* L : line_) h = std::min(h, L->maxStep);
    return h;
  }
  double spiceMaxStep() const override {
    double h = 1e300;
    for (const LineModel* L : line_)
      if (!L->txlSteps) h = std::min(h, L->maxStep);
    return h;
  }
  double tmaxCap() const override { return cap_; }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const auto& u : nd_) {
      out.emplace_back(u[0], u[2]);  // at DC the line connects its ends
      out.emplace_back(u[1], u[3]);
      out.emplace_back(u[4], u[1]);  // the current unknowns
      out.emplace_back(u[5], u[3]);
    }
  }

  void initialConditions(double* x) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      x[nd_[i][4]] = ic_[i][1];
      x[nd_[i][5]] = ic_[i][3];
    }
  }

 private:
  struct Coeffs {
    double t = NAN;
    std::size_t n = 0;
    double gy = 0, gyp = 0, cp = 0;  // matrix: j_k = gy v_k - gyp v_o - cp j_o + e_k
    std::array<double, 2> e{};       // the history part of each port's equation
  };

  Result<std::shared_ptr<const LineModel>> makeModel(const ir::Device& d, const ir::Model& m,
                                                    const ir::Options& o) const {
    const bool txl = kind_.letter == 'y';
    auto fail = [&](const std::string& what) {
      return Error(makeError(ErrorCode::Semantic, std::string(txl ? "TXL" : "LTRA") + " model '" + m.name + "': " + what,
                             m.loc));
    };
    const ParamValues P = values(d, &m);
    auto L = std::make_shared<LineModel>();
    L->r = P.model("r");
    L->l = P.model("l");
    L->g = P.model("g");
    L->c = P.model("c");
    if (txl) {
      // TXL: LENGTH= in the model, or len= on the card; a line with L and C, G = 0
      if (!P.hasModel("length") && !P.hasInst("len"))
        return fail("the length must be given (LENGTH= in the model or LEN= on the card)");
      L->len = P.hasInst("len") ? P.inst("len") : P.model("length");
      if (!(L->len > 0)) return fail("the length must be positive");
      if (!(L->l > 0) || !(L->c > 0)) return fail("L and C must be given and positive");
      if (L->g != 0) return fail("a nonzero G is not supported in a TXL line (an LTRA RG line or G = 0)");
    } else {
      if (!P.hasModel("len")) return fail("the length LEN must be given");
      L->len = P.model("len");
      if (!(L->len > 0)) return fail("the length LEN must be positive");
    }
    for (double v : {L->r, L->l, L->g, L->c})
      if (!(v >= 0) || !std::isfinite(v)) return fail("R, L, G and C must be finite and not negative");
    const int nonzero = (L->r != 0) + (L->l != 0) + (L->g != 0) + (L->c != 0);
    if (nonzero <= 1) return fail("at least two of R, L, G, C must be nonzero (as ngspice)");
    if (L->g != 0 && (L->c != 0 || L->l != 0))
      return fail("a nonzero G is supported only in an RG line (L = C = 0), as in ngspice 39");
    if (L->r != 0 && L->l != 0 && L->c == 0) return fail("an RL line (C = 0) is not supported, as in ngspice 39");
    // (a TXL line has LTRA's defaults)
    L->rel = txl ? 1.0 : P.model("rel");
    L->abs = txl ? 1.0 : P.model("abs");
    if (!txl && P.hasModel("lininterp")) L->interp = Interp::Linear;
    if (!txl && P.hasModel("mixedinterp")) L->interp = Interp::Mixed;
    if (!txl && P.hasModel("quadinterp")) L->interp = Interp::Quadratic;
    const bool stepLimit = txl || !P.hasModel("nosteplimit");
    const double stRel = !txl && P.model("compactrel", 0.0) != 0 ? P.model("compactrel", 0.0) : o.reltol;
    const double stAbs = !txl && P.model("compactabs", 0.0) != 0 ? P.model("compactabs", 0.0) : o.abstol;
    if (L->r == 0 && L->g == 0) {
      L->kind = LineCase::Lc;
    } else if (L->g == 0 && L->l != 0) {
      L->kind = LineCase::Rlc;
    } else if (L->g == 0) {
      L->kind = LineCase::Rc;
    } else {
      L->kind = LineCase::Rg;
    }
    switch (L->kind) {
      case LineCase::Lc:
      case LineCase::Rlc:
        L->z0 = std::sqrt(L->l / L->c);
        L->yinf = 1.0 / L->z0;
        L->td = std::sqrt(L->l * L->c) * L->len;
        L->alpha = 0.5 * L->r / L->l;
        L->atten = std::exp(-L->alpha * L->td);
        L->ky = Kernel::rlc(KernelKind::RlcY, L->alpha, L->td);
        L->kp = Kernel::rlc(KernelKind::RlcP, L->alpha, L->td);
        L->kyp = Kernel::rlc(KernelKind::RlcYP, L->alpha, L->td);
        if (stepLimit) L->maxStep = L->td;
        // ngspice's TXL counts a line with R/L < 5e5 as lossless and then never lowers
        // TMAX; a CPL mode (its model named line#modeK by cpl.cpp) always does (CPLload)
        L->txlSteps = txl;
        L->delayCap = txl && (m.name.find('#') != std::string::npos || L->r >= 5e5 * L->l);
        if (L->kind == LineCase::Rlc && (txl || !P.hasModel("truncdontcut")))
          L->maxStep = std::min(L->maxStep, ltra::rlcMaxSafeStep(L->alpha, L->td, stRel, stAbs));
        break;
      case LineCase::Rc: {
        const double cbyr = L->c / L->r, rclsqr = L->r * L->c * L->len * L->len;
        L->ky = Kernel::rc(KernelKind::RcY, cbyr, rclsqr);
        L->kp = Kernel::rc(KernelKind::RcP, cbyr, rclsqr);
        L->kyp = Kernel::rc(KernelKind::RcYP, cbyr, rclsqr);
        break;
      }
      case LineCase::Rg: {
        // ngspice's RG constants (with its limits for a tiny G or R)
        const double th = L->len * std::sqrt(L->r * L->g);
        L->coshv = std::cosh(th);
        L->zs = L->g <= 1e-10 ? L->len * L->r : std::sinh(th) * std::sqrt(L->r / L->g);
        L->ys = L->r <= 1e-10 ? L->len * L->g : std::sinh(th) * std::sqrt(L->g / L->r);
        break;
      }
    }
    return std::shared_ptr<const LineModel>(std::move(L));
  }

  // IC=v1[,i1[,v2[,i2]]] and the single V1= I1= V2= I2= (which win over IC=).
  static Status readIc(const ir::Device& d, const ParamValues& P, std::array<double, 4>& ic) {
    ic = {0, 0, 0, 0};
    for (const auto& p : d.params) {
      if (p.name != "ic") continue;
      const std::vector<double> v = p.values.empty() ? std::vector<double>{p.value} : p.values;
      if (v.size() > 4)
        return makeError(ErrorCode::Semantic,
                         "lossy transmission line '" + d.name +
                             "': IC= takes at most 4 values (v1, i1, v2, i2), not " + std::to_string(v.size()),
                         p.loc);
      for (std::size_t k = 0; k < v.size(); ++k) ic[k] = v[k];
    }
    const char* names[4] = {"v1", "i1", "v2", "i2"};
    for (int k = 0; k < 4; ++k)
      if (P.hasInst(names[k])) ic[std::size_t(k)] = P.inst(names[k]);
    return {};
  }

  // The DC two-port row of port `port` over the entries 2..7 (j, p+, p-, o+, o-, oj).
  static std::array<double, 8> dcRow(const LineModel& L, int port, double gmin) {
    std::array<double, 8> r{};
    if (L.kind == LineCase::Rg) {
      // port 0: v1 - cosh v2 + (1+gmin) zs j2 = 0; port 1: j1 - (1+gmin) ys v2 + cosh j2 = 0 (ngspice's rows)
      if (port == 0) {
        r[3] = 1.0; r[4] = -1.0;
        r[5] = -L.coshv; r[6] = L.coshv;
        r[7] = (1.0 + gmin) * L.zs;
      } else {
        r[7] = 1.0;  // j1 (the other port's current, seen from row 2)
        r[3] = -(1.0 + gmin) * L.ys; r[4] = (1.0 + gmin) * L.ys;
        r[2] = L.coshv;
      }
      return r;
    }
    // port 0: j1 + j2 = 0; port 1: v1 - v2 - R len j1 = 0
    if (port == 0) {
      r[2] = 1.0; r[7] = 1.0;
    } else {
      r[5] = 1.0; r[6] = -1.0;  // v1 (the other port)
      r[3] = -1.0; r[4] = 1.0;  // -v2
      r[7] = -L.r * L.len;      // -R len j1
    }
    return r;
  }

  void stampRows(LoadContext& c, std::size_t i, const std::array<std::array<double, 8>, 2>& rows,
                 const std::array<double, 2>& rhs) {
    const auto& u = nd_[i];
    const double* x = c.x;
    for (int port = 0; port < 2; ++port) {
      const auto& r = rows[std::size_t(port)];
      const Index pp = u[2 * port], pm = u[2 * port + 1], j = u[4 + port];
      const Index op = u[2 * (1 - port)], om = u[2 * (1 - port) + 1], oj = u[4 + (1 - port)];
      c.f[j] += r[2] * x[j] + r[3] * x[pp] + r[4] * x[pm] + r[5] * x[op] + r[6] * x[om] + r[7] * x[oj] -
                rhs[std::size_t(port)];
      if (!c.stampMatrix) continue;
      const Pos* q = pos_[i][std::size_t(port)].data();
      for (int k = 2; k < 8; ++k) c.A[q[k]] += r[std::size_t(k)];
    }
  }

  void loadRg(LoadContext& c, std::size_t i, double gmin) {
    stampRows(c, i, {dcRow(*line_[i], 0, gmin), dcRow(*line_[i], 1, gmin)}, {0.0, 0.0});
  }
  void loadDc(LoadContext& c, std::size_t i) {
    stampRows(c, i, {dcRow(*line_[i], 0, 0), dcRow(*line_[i], 1, 0)}, {0.0, 0.0});
  }

  void loadTran(LoadContext& c, std::size_t i) {
    const Coeffs& k = coeffs(i, c.time);
    std::array<std::array<double, 8>, 2> rows{};
    for (int port = 0; port < 2; ++port) {
      // j_k - (gy v_k - gyp v_o - cp j_o) = e_k
      auto& r = rows[std::size_t(port)];
      r[2] = 1.0;
      r[3] = -k.gy; r[4] = k.gy;
      r[5] = k.gyp; r[6] = -k.gyp;
      r[7] = k.cp;
    }
    stampRows(c, i, rows, k.e);
  }

  Point point(std::size_t i, const double* x, double t) const {
    const auto& u = nd_[i];
    return {t, x[u[0]] - x[u[1]], x[u[2]] - x[u[3]], x[u[4]], x[u[5]]};
  }

  void startHistory(std::size_t i, const double* x, bool uic) {
    Point p = point(i, x, 0.0);
    if (uic) p = {0.0, ic_[i][0], ic_[i][2], ic_[i][1], ic_[i][3]};
    x0_[i] = p;
    hist_[i] = {p};
    old_[i].clear();
    breaks_[i].clear();
    cache_[i] = {};
    compacted_[i] = 0;
  }

  // The matrix coefficients and history terms at time t (cached per time and history).
  const Coeffs& coeffs(std::size_t i, double t) {
    Coeffs& k = cache_[i];
    const auto& h = hist_[i];
    if (k.t == t && k.n == h.size()) return k;
    k = {};
    k.t = t;
    k.n = h.size();
    const LineModel& L = *line_[i];
    const Point& x0 = x0_[i];
    const Point& last = h.back();
    const double step = t - last.t;
    // convolutions: [0] hy on v_k, [1] hp on j_o, [2] hyp on v_o, for port 1 and 2
    double c1[3] = {0, 0, 0};
    std::array<std::array<double, 2>, 3> H{};
    const Kernel* ks[3] = {&L.ky, &L.kp, &L.kyp};
    for (int q = 0; q < 3; ++q) {
      const Kernel& K = *ks[q];
      if (K.zero() || !(step > 0)) continue;
      c1[q] = K.twiceIntegral(step) / step;
      auto sig = [&](const Point& p, int port) {
        if (q == 0) return port == 0 ? p.v1 : p.v2;
        if (q == 1) return port == 0 ? p.j2 : p.j1;
        return port == 0 ? p.v2 : p.v1;
      };
      // before 0: x0 over (t, inf); the blocks: their means over their spans; the
      // recent points: from their first one on, piecewise linear
      const Point& first = h.front();
      const double k1first = K.integral(t - first.t);
      double sum[2];
      for (int port = 0; port < 2; ++port)
        sum[port] = sig(x0, port) * (K.total() - K.integral(t)) + sig(first, port) * k1first - c1[q] * sig(last, port);
      for (const Block& b : old_[i]) {
        const double w = K.integral(t - b.ts) - K.integral(t - b.te);
        sum[0] += sig(b.mean, 0) * w;
        sum[1] += sig(b.mean, 1) * w;
      }
      double k2hi = K.twiceIntegral(t - last.t);
      for (std::size_t j = h.size() - 1; j >= 1; --j) {
        const double k2lo = K.twiceIntegral(t - h[j - 1].t);
        const double w = (k2lo - k2hi) / (h[j].t - h[j - 1].t);
        for (int port = 0; port < 2; ++port) sum[port] += (sig(h[j], port) - sig(h[j - 1], port)) * w;
        k2hi = k2lo;
      }
      H[std::size_t(q)] = {sum[0], sum[1]};
    }
    const bool lossless = L.kind != LineCase::Rc;  // LC, RLC: Yinf v and the delayed impulse
    const double scale = lossless ? L.yinf : 1.0;
    k.gy = scale * ((lossless ? 1.0 : 0.0) + c1[0]);
    k.gyp = scale * c1[2];
    k.cp = c1[1];
    for (int port = 0; port < 2; ++port) {
      double e = scale * H[0][std::size_t(port)] - H[1][std::size_t(port)] - scale * H[2][std::size_t(port)];
      if (lossless) {
        const Point d = delayed(i, t - L.td);
        const double vo = port == 0 ? d.v2 : d.v1, jo = port == 0 ? d.j2 : d.j1;
        e -= L.atten * (L.yinf * vo + jo);
      }
      k.e[std::size_t(port)] = e;
    }
    return k;
  }

  // The port quantities at time s <= the last accepted time (the values at t = 0 before it).
  Point delayed(std::size_t i, double s) const {
    const auto& h = hist_[i];
    if (s <= h.front().t || h.size() == 1) return s <= 0 ? x0_[i] : h.front();
    std::size_t k = std::size_t(std::upper_bound(h.begin(), h.end(), s, [](double v, const Point& p) { return v < p.t; }) -
                                h.begin());  // first point after s
    if (k >= h.size()) k = h.size() - 1;     // a step longer than T: extrapolate from the last points
    const Point &b = h[k - 1], &cpt = h[k];
    auto lin = [&](double vb, double vc) {
      const double f = (s - b.t) / (cpt.t - b.t);
      return vb + f * (vc - vb);
    };
    const LineModel& L = *line_[i];
    const bool quad = k >= 2 && L.interp != Interp::Linear;
    Point r{s, lin(b.v1, cpt.v1), lin(b.v2, cpt.v2), lin(b.j1, cpt.j1), lin(b.j2, cpt.j2)};
    if (!quad) return r;
    const Point& a = h[k - 2];
    const double t1 = a.t, t2 = b.t, t3 = cpt.t;
    const double f1 = (s - t2) * (s - t3) / ((t1 - t2) * (t1 - t3));
    const double f2 = (s - t1) * (s - t3) / ((t2 - t1) * (t2 - t3));
    const double f3 = (s - t1) * (s - t2) / ((t3 - t1) * (t3 - t2));
    auto qv = [&](double va, double vb, double vc, double linear) {
      const double v = f1 * va + f2 * vb + f3 * vc;
      if (L.interp == Interp::Mixed && (v > std::max({va, vb, vc}) || v < std::min({va, vb, vc}))) return linear;
      return v;
    };
    return {s, qv(a.v1, b.v1, cpt.v1, r.v1), qv(a.v2, b.v2, cpt.v2, r.v2), qv(a.j1, b.j1, cpt.j1, r.j1),
            qv(a.j2, b.j2, cpt.j2, r.j2)};
  }

  // ngspice's LTRAaccept: when the slope of the wave (v + Z0 j) * A leaving an end changes
  // and the wave is not steady, a breakpoint one delay after the previous point.
  void slopeBreakpoint(std::size_t i) {
    const LineModel& L = *line_[i];
    const auto& h = hist_[i];
    const std::size_t n = h.size();
    if (n < 2) return;
    const Point& p1 = h[n - 1];
    const Point& p2 = h[n - 2];
    const Point& p3 = n >= 3 ? h[n - 3] : p2;
    auto check = [&](double a, double b, double c) {
      return std::max({a, b, c}) - std::min({a, b, c}) >= std::fabs(50.0 * (reltol_ / 3.0 * (a + b + c) + abstol_));
    };
    bool brk = false;
    for (int port = 0; port < 2; ++port) {
      auto w = [&](const Point& p) { return ((port == 0 ? p.v1 : p.v2) + (port == 0 ? p.j1 : p.j2) * L.z0) * L.atten; };
      const double w1 = w(p1), w2 = w(p2), w3 = n >= 3 ? w(p3) : w2;
      const double d1 = (w1 - w2) / (p1.t - p2.t);
      const double d2 = n >= 3 ? (w2 - w3) / (p2.t - p3.t) : 0.0;
      brk = brk || (std::fabs(d1 - d2) >= L.rel * std::max(std::fabs(d1), std::fabs(d2)) + L.abs && check(w1, w2, w3));
    }
    // (after a step of exactly T the breakpoint is the time just reached: ngspice then
    // treats that point as a breakpoint; a longer step, NOSTEPLIMIT, leaves it behind)
    if (brk && p2.t + L.td >= p1.t) breaks_[i].insert(p2.t + L.td);
  }

  // History compression by age (see the top): the oldest segments of the recent
  // points (not the newest kRecent, nor within 2T of now) become blocks, and
  // adjacent blocks merge while the merged span stays below age / kAgeRatio.
  void compact(std::size_t i, double now) {
    auto& h = hist_[i];
    auto& blocks = old_[i];
    if (h.size() <= kRecent + 2) return;
    const double keepAfter = now - 2.0 * line_[i]->td;
    std::size_t k = 1;
    for (; k + kRecent < h.size() && h[k].t < keepAfter; ++k) {
      const Point& a = h[k - 1];
      const Point& b = h[k];
      Point mean{0.5 * (a.t + b.t), 0.5 * (a.v1 + b.v1), 0.5 * (a.v2 + b.v2), 0.5 * (a.j1 + b.j1), 0.5 * (a.j2 + b.j2)};
      blocks.push_back({a.t, b.t, mean});
    }
    if (k == 1) return;
    h.erase(h.begin(), h.begin() + std::ptrdiff_t(k - 1));  // the last one moved stays as the first recent point
    std::vector<Block> merged;
    merged.reserve(blocks.size());
    for (const Block& b : blocks) {
      if (!merged.empty() && (b.te - merged.back().ts) * kAgeRatio <= now - b.te) {
        Block& m = merged.back();
        const double wa = m.te - m.ts, wb = b.te - b.ts, w = wa + wb;
        auto avg = [&](double x, double y) { return w > 0 ? (x * wa + y * wb) / w : x; };
        m.mean = {0, avg(m.mean.v1, b.mean.v1), avg(m.mean.v2, b.mean.v2), avg(m.mean.j1, b.mean.j1),
                  avg(m.mean.j2, b.mean.j2)};
        m.te = b.te;
      } else {
        merged.push_back(b);
      }
    }
    blocks = std::move(merged);
  }

  std::vector<std::shared_ptr<const LineModel>> models_;
  std::vector<const LineModel*> line_;
  std::vector<std::array<Index, 6>> nd_;
  std::vector<std::array<std::array<Pos, 8>, 2>> pos_;
  std::vector<std::array<double, 4>> ic_;  // v1 i1 v2 i2 (uic)
  std::vector<std::vector<Point>> hist_;  // the recent points (the first at t = 0 until compacted)
  std::vector<std::vector<Block>> old_;   // the history before hist_.front(), oldest first
  std::vector<std::set<double>> breaks_;
  std::vector<Point> x0_;  // the port quantities at t = 0 (before it, by assumption)
  std::vector<Coeffs> cache_;
  std::vector<std::size_t> compacted_;  // history size after the last compaction
  double reltol_ = 1e-3, abstol_ = 1e-12;
  bool inTran_ = false;
  double cap_ = 1e300;  // TXL: 0.9 T once a step was longer than the delay T (see LineModel)  // between a transient's initial point and the next DC load
};

constexpr const char* kModelTypes[] = {"ltra"};

constexpr ParamSpec kParams[] = {
    iparam("ic", 0.0, "V, A", "initial conditions v1, i1, v2, i2 (comma-separated), used with .tran ... uic").vec(),
    iparam("v1", 0.0, "V", "initial voltage at port 1 (uic)"),
    iparam("i1", 0.0, "A", "initial current into port 1 (uic)"),
    iparam("v2", 0.0, "V", "initial voltage at port 2 (uic)"),
    iparam("i2", 0.0, "A", "initial current into port 2 (uic)"),
    mparam("r", 0.0, "Ω/m", "series resistance per metre"),
    mparam("l", 0.0, "H/m", "series inductance per metre"),
    mparam("g", 0.0, "S/m", "shunt conductance per metre (nonzero only with L = C = 0)"),
    mparam("c", 0.0, "F/m", "shunt capacitance per metre"),
    mparam("len", kNoDefault, "m", "length (required)").shown("required"),
    mparam("rel", 1.0, "", "relative slope change of a wave that sets a breakpoint one delay later"),
    mparam("abs", 1.0, "", "absolute slope change that sets a breakpoint"),
    mparam("compactrel", kNoDefault, "", "relative tolerance of the straight-line test of hp (RLC step limit)")
        .shown(".options reltol"),
    mparam("compactabs", kNoDefault, "", "absolute tolerance of that test").shown(".options abstol"),
    modelFlag("nosteplimit", "do not limit the step to the delay (LC, RLC)"),
    modelFlag("steplimit", "limit the step to the delay (the default)"),
    modelFlag("lininterp", "delayed values by linear interpolation"),
    modelFlag("quadinterp", "delayed values by quadratic interpolation (the default)"),
    modelFlag("mixedinterp", "quadratic, linear where the quadratic leaves the range of its points"),
    modelFlag("truncdontcut", "do not limit the step to the straight-line step of hp (RLC)"),
    modelFlag("truncnr", "ngspice's Newton step estimate of its LTE control: accepted, no effect"),
    modelFlag("nocontrol", "no LTE step control (the default; the control itself is not implemented)"),
    modelFlag("print", "accepted and ignored (ngspice 39 warns)"),
    modelFlag("noprint", "accepted and ignored (ngspice 39 warns)"),
};


}  // namespace

// The exact line with ngspice's TXL step rule (the modes of a CPL line, cpl.cpp):
// not in the registry; a `Y` card is devices/txl.cpp, ngspice's TXL method.
extern const DeviceKind kTxlExactKind;
constexpr DeviceKind kTxlExactKind{
    .letter = 'y', .name = "lossy transmission line (CPL mode)", .form = CardForm::ModelCard, .minNodes = 4,
    .maxNodes = 4, .modelTypes = kTxlModelTypes, .params = kTxlParams, .modelNoun = "TXL",
    .valueDoc = "internal: one mode of a P line",
    .create = makeGroup<LossyLines, kTxlExactKind>};

extern const DeviceKind kLtraKind;
constexpr DeviceKind kLtraKind{
    .letter = 'o', .name = "lossy transmission line", .form = CardForm::ModelCard, .minNodes = 4, .maxNodes = 4,
    .modelTypes = kModelTypes, .params = kParams, .modelNoun = "LTRA",
    .valueDoc = "Oname p1+ p1- p2+ p2- model [IC=v1,i1,v2,i2]; .model model LTRA R= L= G= C= LEN=",
    .create = makeGroup<LossyLines, kLtraKind>};

}  // namespace simcore::dev
