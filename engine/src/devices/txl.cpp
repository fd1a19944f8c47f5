// Y: lossy transmission line as ngspice 39's TXL,
//   Yname in ref1 out ref2 model [len=value]
//   .model model TXL R= L= G= C= LENGTH=        (per-metre values)
// The port voltages are taken against ground 0 and the reference nodes are not
// connected to the line (as ngspice; the reader warns when they are not ground).
// The exact line of the same R L C (with its exact impulse responses) is the
// LTRA `O` line (devices/ltra.cpp); this one computes what ngspice's TXL computes.
//
// Unknowns: in, out, and the currents j1, j2 into the line at each end
// (internal unknowns `<name>#i1`, `<name>#i2` whose rows hold the line's equations).
//   DC: j1 + j2 = 0 and v_in - v_out - R len j1 = 0 (G is not seen at DC, as ngspice).
//   AC: the exact line (ngspice has no AC model of TXL).
//   tran, with the fits of txl_fit.hpp (Y = y0 + sum h1, P = h2aten + sum h2,
//   Y P = h3aten + sum h3, all without the delay T), at a step h from the last
//   accepted time t1 to t2:
//     -j1 + (y0 + h/2 sum c1) v_in(t2) - ff = 0,    -j2 + (y0 + h/2 sum c1) v_out(t2) - gg = 0,
//     ff = -sum_k e_k (w1_k,in + h/2 c1_k v_in(t1))            (e_k = exp(x1_k h))
//          + h3aten v_out(t2-T) + sum w3_k,out + h2aten j2(t2-T) + sum w2_k,out,
//     gg the same with in and out exchanged. w1 (the h1 convolution of the
//     port's own voltage) is advanced at each accepted point exactly for a
//     voltage linear between the points; w3 and w2 (the h3 convolution of the far
//     voltage and the h2 one of the far current, delayed by T) by the trapezoidal
//     rule, w' = e w + h/2 c (e y(t1-T) + y(t2-T)).
//     A lossless line (fit.lossless) has only y0 v - h3aten v(t-T) - j(t-T).
//   Delayed values are linear between the accepted points; before 0 the
//   voltages are their operating-point values and the currents 0, and the
//   convolutions start from their steady state for those (w1, w3 = -c/x v(0),
//   w2 = 0). When the step is longer than the delay (t2 - T > t1) the part of
//   y(t2-T) beyond t1, ratio (t2-T - t1)/h, is taken at t2: a matrix entry
//   -ratio (h3aten + h/2 sum c3) on the far voltage and -ratio (h2aten + h/2 sum c2)
//   on the far current.
// What ngspice does that is not the mathematics above, and is kept here so that
// the results are ngspice's:
//   - time is counted in whole picoseconds (truncated) for the delayed values
//     and the slopes of the exact h1 update; the exponentials use the real step;
//   - in the exact h1 update the slope of term k is scaled by c1_j/x1_j of every
//     term j <= k, not of term k alone (so terms 2 and 3 see almost no slope);
//   - with a complex pair in P, the pair's two stored numbers (real and imaginary
//     parts) enter the ratio matrix entries and the starting values as if they
//     were two real terms.
// Step control (ngspice's TXL): no breakpoints and no step limit; once an
// accepted step is longer than T (a lossy line), TMAX becomes 0.9 T for the rest
// of the run (tmaxCap); the event engine limits the step to T.
#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <deque>
#include <map>
#include <memory>

#include "devices/common.hpp"
#include "devices/txl_fit.hpp"
#include "devices/txl_params.hpp"

namespace simcore::dev {

namespace {

using txl::Fit;
using Cx = std::complex<double>;

// ngspice's clock: whole picoseconds, truncated
std::int64_t picoseconds(double t) { return std::int64_t(t * 1e12); }

// One accepted point: time (ps), the port voltages and the currents into the line.
struct Sample {
  std::int64_t t = 0;
  double vi = 0, vo = 0, ji = 0, jo = 0;
};

// Convolution states per port: [0] of the in-port quantities, [1] of the out-port ones.
struct Conv {
  std::array<std::array<double, 3>, 2> w1{};  // h1 on the port's own voltage
  std::array<std::array<double, 3>, 2> w2{};  // h2 on the delayed current
  std::array<std::array<double, 6>, 2> w3{};  // h3 on the delayed voltage
};

// The terms of one trial time.
struct StepTerms {
  double time = NAN;
  std::size_t points = 0;
  double gy = 0;      // the diagonal: y0 + h/2 sum c1
  double r3 = 0, r2 = 0;  // the ratio entries (far voltage, far current), 0 unless the step is longer than T
  double ratio = 0;
  std::array<double, 2> rhs{};  // ff (row of j1), gg (row of j2)
  Conv conv;                    // w2, w3 advanced to this time
  std::array<double, 3> e1{};   // exp(x1_k h)
};

class TxlLines final : public GroupBase {
 public:
  using GroupBase::GroupBase;
  bool linear() const override { return false; }  // the matrix depends on the step

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    fit_.assign(n, nullptr);
    nd_.assign(n, {});
    st_.assign(n, {});
    line_.assign(n, {});
    std::map<std::pair<int, double>, std::shared_ptr<const Fit>> byModel;
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      const ir::Model* m = ctx.model(d);
      if (!m) return deviceError(d, std::string(kind_.name) + " '" + d.name + "' needs a model");
      if (auto s = checkModel(*m); !s) return s;
      const ParamValues P = values(d, m);
      auto& fit = byModel[{d.model, P.hasInst("len") ? P.inst("len") : -1.0}];
      if (!fit) {
        auto fail = [&](const std::string& what) {
          return makeError(ErrorCode::Semantic, "TXL model '" + m->name + "': " + what, m->loc);
        };
        if (!P.hasModel("length") && !P.hasInst("len"))
          return fail("the length must be given (LENGTH= in the model or LEN= on the card)");
        const double len = P.hasInst("len") ? P.inst("len") : P.model("length");
        if (!(len > 0) || !std::isfinite(len)) return fail("the length must be positive");
        const double r = P.model("r"), l = P.model("l"), g = P.model("g"), c = P.model("c");
        if (!(l > 0) || !(c > 0)) return fail("L and C must be given and positive");
        for (double v : {r, l, g, c})
          if (!(v >= 0) || !std::isfinite(v)) return fail("R, L, G and C must be finite and not negative");
        txl::FitResult made = txl::fitLine(r, l, g, c, len);
        if (!made.error.empty()) return fail(made.error);
        fit = std::make_shared<const Fit>(made.fit);
      }
      fits_.push_back(fit);
      fit_[i] = fit.get();
      line_[i] = {P.model("r"), std::max(P.model("l"), 1e-12), P.model("g"), P.model("c"),
                  P.hasInst("len") ? P.inst("len") : P.model("length")};
      auto& u = nd_[i];
      u[0] = ctx.node(d.nodes[0]);
      u[1] = ctx.node(d.nodes[2]);
      u[2] = ctx.addInternalNode(d, "i1");
      u[3] = ctx.addInternalNode(d, "i2");
    }
    return {};
  }

  // Local unknowns: 0 in, 1 out, 2 j1, 3 j2. Rows j1, j2 over all four; KCL (in, j1), (out, j2).
  void pattern(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const auto& u = nd_[i];
      auto& q = st_[i].pos;
      q.kcl[0] = b.entry(u[0], u[2]);
      q.kcl[1] = b.entry(u[1], u[3]);
      for (int r = 0; r < 2; ++r)
        for (int k = 0; k < 4; ++k) q.row[std::size_t(r)][std::size_t(k)] = b.entry(u[2 + r], u[std::size_t(k)]);
    }
  }

  void load(LoadContext& c) override {
    if (c.mode == AnalysisMode::DcOp) inTran_ = false;
    if (recordsOnly(c.mode)) {
      if (c.mode == AnalysisMode::TranInit && (!inTran_ || c.uic)) {  // uic: no DC load before it
        for (std::size_t i = 0; i < inst_.size(); ++i) start(i, c.x, c.time);
        cap_ = 1e300;
      }
      inTran_ = true;
      return;
    }
    inTran_ = inTran_ || c.mode == AnalysisMode::Tran;
    const bool dc = c.mode == AnalysisMode::DcOp;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const Fit& F = *fit_[i];
      const auto& u = nd_[i];
      const auto& q = st_[i].pos;
      const double* x = c.x;
      c.f[u[0]] += x[u[2]];
      c.f[u[1]] += x[u[3]];
      if (c.stampMatrix) {
        c.A[q.kcl[0]] += 1.0;
        c.A[q.kcl[1]] += 1.0;
      }
      // rows[r] over (in, out, j1, j2) and the right-hand side
      std::array<std::array<double, 4>, 2> rows{};
      std::array<double, 2> rhs{};
      if (dc) {
        rows[0] = {0.0, 0.0, 1.0, 1.0};
        rows[1] = {1.0, -1.0, -F.rdc, 0.0};
      } else {
        const StepTerms& k = terms(i, c.time);
        rows[0] = {k.gy, -k.r3, -1.0, -k.r2};
        rows[1] = {-k.r3, k.gy, -k.r2, -1.0};
        rhs = k.rhs;
      }
      for (int r = 0; r < 2; ++r) {
        double fr = -rhs[std::size_t(r)];
        for (int k = 0; k < 4; ++k) fr += rows[std::size_t(r)][std::size_t(k)] * x[u[std::size_t(k)]];
        c.f[u[2 + r]] += fr;
        if (c.stampMatrix)
          for (int k = 0; k < 4; ++k) c.A[q.row[std::size_t(r)][std::size_t(k)]] += rows[std::size_t(r)][std::size_t(k)];
      }
    }
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const auto& q = st_[i].pos;
      c.A[q.kcl[0]] += 1.0;
      c.A[q.kcl[1]] += 1.0;
      const Fit& F = *fit_[i];
      if (!(c.omega > 0)) {
        c.A[q.row[0][2]] += 1.0; c.A[q.row[0][3]] += 1.0;
        c.A[q.row[1][0]] += 1.0; c.A[q.row[1][1]] -= 1.0; c.A[q.row[1][2]] -= F.rdc;
        continue;
      }
      const Line& L = line_[i];
      const Cx s(0.0, c.omega);
      const Cx zser = s * L.l + L.r, ysh = s * L.c + L.g;
      const Cx y0 = std::sqrt(ysh / zser);
      const Cx e = std::exp(-std::sqrt(zser * ysh) * L.len);
      // row of end k: y0 v_k - j_k - e (y0 v_o + j_o) = 0
      for (int r = 0; r < 2; ++r) {
        c.A[q.row[std::size_t(r)][std::size_t(r)]] += y0;
        c.A[q.row[std::size_t(r)][std::size_t(1 - r)]] -= e * y0;
        c.A[q.row[std::size_t(r)][std::size_t(2 + r)]] -= 1.0;
        c.A[q.row[std::size_t(r)][std::size_t(3 - r)]] -= e;
      }
    }
  }

  void accept(const double* x, double time) override {
    if (!inTran_) return;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      State& s = st_[i];
      if (s.hist.empty() || !(time > s.tAcc)) continue;
      const Fit& F = *fit_[i];
      if (!F.lossless && time - s.tAcc > F.delay) cap_ = std::min(cap_, 0.9 * F.delay);
      const std::int64_t T = picoseconds(time);
      if (T <= s.hist.back().t) {
        // (ngspice: a step inside one picosecond adds no point and keeps the states)
        s.tAcc = time;
        continue;
      }
      const StepTerms k = terms(i, time);  // (a copy: the cache is reset below)
      const Sample prev = s.hist.back();
      const auto& u = nd_[i];
      const Sample now{T, x[u[0]], x[u[1]], x[u[2]], x[u[3]]};
      s.conv.w2 = k.conv.w2;
      s.conv.w3 = k.conv.w3;
      s.hist.push_back(now);
      s.tAcc = time;
      s.cache = {};
      if (!F.lossless) {
        // w1 exactly for a voltage linear from prev to now (slopes per ps; see the top)
        const double delta = double(T - prev.t);
        for (int p = 0; p < 2; ++p) {
          const double a = p == 0 ? now.vi : now.vo;
          double b = (a - (p == 0 ? prev.vi : prev.vo)) / delta;
          for (int j = 0; j < 3; ++j) {
            const txl::Pole& h = F.h1[std::size_t(j)];
            const double e = k.e1[std::size_t(j)], t = h.c / h.x;
            b *= t;
            double& w = s.conv.w1[std::size_t(p)][std::size_t(j)];
            w = (w - b * delta) * e + (e - 1.0) * (a * t + 1e12 * b / h.x);
          }
        }
        if (k.ratio > 0) {
          // the part of the delayed values taken at the new point
          const double f = 0.5e-12 * delta * k.ratio;
          for (int p = 0; p < 2; ++p) {
            const double v = p == 0 ? now.vi : now.vo, j = p == 0 ? now.ji : now.jo;
            for (int m = 0; m < 6; ++m) s.conv.w3[std::size_t(p)][std::size_t(m)] += f * v * F.h3[std::size_t(m)].c;
            for (int m = 0; m < 3; ++m) s.conv.w2[std::size_t(p)][std::size_t(m)] += f * j * F.h2[std::size_t(m)].c;
          }
        }
      }
      // drop the points no delayed value will need again
      const double ta = double(T) - F.delay * 1e12;
      while (s.hist.size() > 2 && double(s.hist[1].t) < ta) s.hist.pop_front();
    }
  }

  double maxStep() const override {
    double h = 1e300;
    for (const Fit* F : fit_) h = std::min(h, F->delay);
    return h;
  }
  double spiceMaxStep() const override { return 1e300; }
  double tmaxCap() const override { return cap_; }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const auto& u : nd_) {
      out.emplace_back(u[0], u[1]);  // at DC the line joins its ends
      out.emplace_back(u[2], u[0]);  // the current unknowns
      out.emplace_back(u[3], u[1]);
    }
  }

 private:
  struct Positions {
    std::array<Pos, 2> kcl{};
    std::array<std::array<Pos, 4>, 2> row{};
  };
  struct State {
    Positions pos;
    std::deque<Sample> hist;  // accepted points (the first at t = 0 until no longer needed)
    double dcIn = 0, dcOut = 0;  // the voltages before 0
    double tAcc = 0;             // the last accepted time, s
    Conv conv;                   // the convolutions at tAcc
    StepTerms cache;
  };
  struct Line {
    double r = 0, l = 0, g = 0, c = 0, len = 0;
  };

  void start(std::size_t i, const double* x, double time) {
    const Fit& F = *fit_[i];
    const auto& u = nd_[i];
    State& s = st_[i];
    s.dcIn = x[u[0]];
    s.dcOut = x[u[1]];
    s.hist.clear();
    s.hist.push_back({0, s.dcIn, s.dcOut, x[u[2]], x[u[3]]});
    s.tAcc = time;
    s.conv = {};
    s.cache = {};
    if (F.lossless) return;
    for (int j = 0; j < 3; ++j) {
      const txl::Pole& h = F.h1[std::size_t(j)];
      s.conv.w1[0][std::size_t(j)] = -s.dcIn * h.c / h.x;
      s.conv.w1[1][std::size_t(j)] = -s.dcOut * h.c / h.x;
    }
    for (int j = 0; j < 6; ++j) {
      const txl::Pole& h = F.h3[std::size_t(j)];
      s.conv.w3[0][std::size_t(j)] = -s.dcIn * h.c / h.x;
      s.conv.w3[1][std::size_t(j)] = -s.dcOut * h.c / h.x;
    }
  }

  // The port quantities at times ta and tb (ps) before now: linear between the points.
  struct Delayed {
    std::array<double, 2> v1{}, v2{}, j1{}, j2{};  // [in, out] at ta (1) and tb (2)
    double ratio = 0;                            // > 0: tb is past the last point
  };
  Delayed delayed(const State& s, std::int64_t t1, std::int64_t t2, double delayPs) const {
    Delayed d;
    const double ta = double(t1) - delayPs, tb = double(t2) - delayPs;
    const auto& h = s.hist;
    auto at = [&](double t, std::array<double, 2>& v, std::array<double, 2>& j) {
      std::size_t k = 1;
      while (k + 1 < h.size() && double(h[k].t) < t) ++k;
      const Sample &a = h[k - 1], &b = h[k];
      const double f = (t - double(a.t)) / double(b.t - a.t);
      v = {a.vi + f * (b.vi - a.vi), a.vo + f * (b.vo - a.vo)};
      j = {a.ji + f * (b.ji - a.ji), a.jo + f * (b.jo - a.jo)};
    };
    if (tb <= 0) {
      d.v1 = d.v2 = {s.dcIn, s.dcOut};
      return d;
    }
    if (ta <= 0) d.v1 = {s.dcIn, s.dcOut};
    else at(ta, d.v1, d.j1);
    if (tb > double(t1)) {
      d.ratio = (tb - double(t1)) / double(t2 - t1);
      const Sample& b = h.back();
      const double f = 1.0 - d.ratio;
      d.v2 = {b.vi * f, b.vo * f};
      d.j2 = {b.ji * f, b.jo * f};
    } else {
      at(tb, d.v2, d.j2);
    }
    return d;
  }

  // The step terms at trial time t (from the last accepted time), cached.
  const StepTerms& terms(std::size_t i, double t) {
    State& s = st_[i];
    StepTerms& k = s.cache;
    if (k.time == t && k.points == s.hist.size()) return k;
    k = {};
    k.time = t;
    k.points = s.hist.size();
    const Fit& F = *fit_[i];
    const double h = t - s.tAcc, hh = 0.5 * h;
    const std::int64_t t1 = std::max(picoseconds(s.tAcc), s.hist.back().t);
    const std::int64_t t2 = picoseconds(t);
    const Delayed d = delayed(s, t1, t2, F.delay * 1e12);
    const Sample& last = s.hist.back();
    k.ratio = d.ratio;
    k.conv = s.conv;
    if (F.lossless) {
      k.gy = F.y0;
      k.rhs[0] = F.h3aten * d.v2[1] + F.h2aten * d.j2[1];
      k.rhs[1] = F.h3aten * d.v2[0] + F.h2aten * d.j2[0];
      k.r3 = d.ratio * F.h3aten;
      k.r2 = d.ratio * F.h2aten;
      return k;
    }
    k.gy = F.y0 + hh * F.h1sum;
    // own-voltage part: rhs[0] from the in port, rhs[1] from the out port
    double cSum = 0;
    for (int j = 0; j < 3; ++j) {
      const double e = std::exp(F.h1[std::size_t(j)].x * h);
      k.e1[std::size_t(j)] = e;
      cSum -= F.h1[std::size_t(j)].c * e;
      k.rhs[0] -= s.conv.w1[0][std::size_t(j)] * e;
      k.rhs[1] -= s.conv.w1[1][std::size_t(j)] * e;
    }
    k.rhs[0] += cSum * hh * last.vi;
    k.rhs[1] += cSum * hh * last.vo;
    // the delayed far quantities: w3[p], w2[p] convolve port p's values; row 0 uses port 1's
    for (int p = 0; p < 2; ++p) {
      auto& w3 = k.conv.w3[std::size_t(p)];
      auto& w2 = k.conv.w2[std::size_t(p)];
      const double v1 = d.v1[std::size_t(p)], v2 = d.v2[std::size_t(p)];
      const double j1 = d.j1[std::size_t(p)], j2 = d.j2[std::size_t(p)];
      advance(w3, F.h3, F.pair, 4, h, v1, v2);
      advance(w2, F.h2, F.pair, 1, h, j1, j2);
      double sum = F.h3aten * v2 + F.h2aten * j2;
      for (int m = 0; m < 6; ++m)
        if (!(F.pair && m == 5)) sum += (F.pair && m == 4 ? 2.0 : 1.0) * w3[std::size_t(m)];
      for (int m = 0; m < 3; ++m)
        if (!(F.pair && m == 2)) sum += (F.pair && m == 1 ? 2.0 : 1.0) * w2[std::size_t(m)];
      k.rhs[std::size_t(1 - p)] += sum;
    }
    if (d.ratio > 0) {
      double c3 = 0, c2 = 0;
      for (const txl::Pole& p : F.h3) c3 += p.c;
      for (const txl::Pole& p : F.h2) c2 += p.c;
      k.r3 = d.ratio * (hh * c3 + F.h3aten);
      k.r2 = d.ratio * (hh * c2 + F.h2aten);
    }
    return k;
  }

  // w' = E w + h/2 c (E y1 + y2) for each term (the pair from slot `pairAt` in complex arithmetic).
  template <std::size_t N>
  static void advance(std::array<double, N>& w, const std::array<txl::Pole, N>& t, bool pair, std::size_t pairAt,
                      double h, double y1, double y2) {
    const double hh = 0.5 * h;
    for (std::size_t m = 0; m < N; ++m) {
      if (pair && m == pairAt) {
        const Cx E = std::exp(Cx(t[m].x, t[m + 1].x) * h);
        const Cx r(t[m].c, t[m + 1].c);
        const Cx v = Cx(w[m], w[m + 1]) * E + hh * r * (y1 * E + y2);
        w[m] = v.real();
        w[m + 1] = v.imag();
        ++m;
        continue;
      }
      const double E = std::exp(t[m].x * h);
      w[m] = w[m] * E + hh * t[m].c * (y1 * E + y2);
    }
  }

  std::vector<std::shared_ptr<const Fit>> fits_;
  std::vector<const Fit*> fit_;
  std::vector<Line> line_;  // R L G C len of each instance (AC)
  std::vector<std::array<Index, 4>> nd_;
  std::vector<State> st_;
  bool inTran_ = false;
  double cap_ = 1e300;  // 0.9 T once a lossy line's step was longer than its delay T
};


}  // namespace

// Y with a TXL model: ngspice's single lossy line by ngspice's TXL method (above).
extern const DeviceKind kTxlKind;
constexpr DeviceKind kTxlKind{
    .letter = 'y', .name = "lossy transmission line (TXL)", .form = CardForm::ModelCard, .minNodes = 4,
    .maxNodes = 4, .modelTypes = kTxlModelTypes, .params = kTxlParams, .modelNoun = "TXL",
    .valueDoc = "Yname in ref1 out ref2 model [len=value]; .model model TXL R= L= G= C= LENGTH=",
    .create = makeGroup<TxlLines, kTxlKind>};

}  // namespace simcore::dev
