// A magnetic core (XSPICE's core, ngspice 39 semantics):
//   Aname mc+ mc- model   (mc: two nodes, (a b) or %gd(a b); %g(a) for one)
// The port's voltage is the magnetomotive force (mmf, A·turns) and the
// current through it, from mc+ to mc-, the flux. mode=1 (pwl): the flux is
// area·B(H), H = mmf/length, B the curve through (h_array, b_array) with its
// inner corners rounded by parabolas over ±input_domain (times the shorter
// neighbouring step with fraction=true), the end segments extended. mode=2
// (hyst): the flux follows XSPICE's hysteresis loop of the mmf itself:
// on the rising leg out_lower_limit until in_low + hyst, then slope
// (out_upper_limit − out_lower_limit)/(in_high − in_low) up to
// out_upper_limit at in_high + hyst; the falling leg is the same shifted by
// −2·hyst; corners rounded over ±input_domain (times in_high − in_low with
// fraction=true). The leg changes at an accepted time point beyond the far
// corner; the operating point starts on the rising leg. AC sees the slope.
// With lcouple (below) windings drive the core's mmf and see its flux.
#include <algorithm>
#include <cmath>
#include <complex>
#include <string>

#include "devices/block_common.hpp"

namespace simcore::dev::block {
namespace {

// XSPICE's rounded corner: the parabola over [xc − d, xc + d] tangent to the
// lines of slope ls (left) and us (right) through (xc, yc).
void smoothCorner(double x, double xc, double yc, double d, double ls, double us, double& y, double& dy) {
  const double xu = xc + d, yu = yc + us * d;
  const double a = (us - ls) / (4 * d);
  const double b = us - 2 * a * xu;
  const double c = yu - a * xu * xu - b * xu;
  y = (a * x + b) * x + c;
  dy = 2 * a * x + b;
}

class Core final : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return false; }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const Inst& s : s_) out.emplace_back(s.mc.p, s.mc.m);
  }

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kShape[] = {{"mc", false, false, false, false, true, true, true}};
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, kShape);
      if (!ports) return ports.takeError();
      const ParamValues P = values(d, m.value());
      Inst s;
      s.mc = ports.value()[0][0];
      for (const char* name : {"h_array", "b_array", "area", "length"})
        if (!P.hasModel(name)) return error(d, std::string("the model needs ") + name + " (no default)");
      s.h = P.modelVector("h_array");
      s.b = P.modelVector("b_array");
      if (s.h.size() < 2 || s.h.size() != s.b.size())
        return error(d, "h_array and b_array need the same number of values, at least two");
      for (std::size_t k = 1; k < s.h.size(); ++k)
        if (!(s.h[k] > s.h[k - 1])) return error(d, "h_array must increase");
      s.area = P.model("area");
      s.length = P.model("length");
      if (!(s.length != 0)) return error(d, "length must not be 0");
      s.domain = P.model("input_domain");
      if (!(s.domain > 0)) return error(d, "input_domain must be positive");
      s.fraction = P.model("fraction") != 0;
      const double mode = P.model("mode");
      if (mode != 1 && mode != 2) return error(d, "mode must be 1 (pwl) or 2 (hyst)");
      s.hystMode = mode == 2;
      s.inLow = P.model("in_low");
      s.inHigh = P.model("in_high");
      s.hyst = P.model("hyst");
      s.outLow = P.model("out_lower_limit");
      s.outHigh = P.model("out_upper_limit");
      if (s.hystMode) {
        if (!(s.hyst >= 0)) return error(d, "hyst must not be negative");
        if (!(s.inHigh > s.inLow)) return error(d, "in_high must be above in_low");
        if (s.fraction) s.domain *= s.inHigh - s.inLow;
      } else if (!s.fraction) {
        for (std::size_t k = 0; k + 1 < s.h.size(); ++k)
          if (s.h[k + 1] - s.h[k] < 2 * s.domain)
            return error(d, "with fraction=false, input_domain must be at most half of every h_array step");
      }
      s.rising = 0.0 < s.inHigh + s.hyst + s.domain;
      s_.push_back(std::move(s));
    }
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (Inst& s : s_) s.st.bind(b, s.mc);
  }

  void loadBlock(LoadContext& c) override {
    for (const Inst& s : s_) {
      double g;
      const double flux = eval(s, s.mc.v(c.x), g);
      c.f[s.mc.p] += flux;
      c.f[s.mc.m] -= flux;
      if (c.stampMatrix) s.st.add(c.A, g);
    }
  }

  void acLoadBlock(AcContext& c) override {
    for (const Inst& s : s_) {
      double g;
      (void)eval(s, s.mc.v(c.xop), g);
      s.st.add(c.A, g);
    }
  }

  void accept(const double* x, double) override {
    for (Inst& s : s_) {
      if (!s.hystMode) continue;
      const double in = s.mc.v(x);
      const bool was = s.rising;
      if (s.rising && in > s.inHigh + s.hyst + s.domain) s.rising = false;
      else if (!s.rising && in < s.inLow - s.hyst - s.domain) s.rising = true;
      if (was != s.rising) ++s.gen;
    }
  }

  void configuration(std::vector<std::uint8_t>& key) const override {
    for (const Inst& s : s_) key.push_back(s.gen);
  }

 private:
  struct Stamp {
    Pos pp = 0, pm = 0, mp = 0, mm = 0;
    void bind(PatternBuilder& b, const PortPair& q) {
      pp = b.entry(q.p, q.p);
      pm = b.entry(q.p, q.m);
      mp = b.entry(q.m, q.p);
      mm = b.entry(q.m, q.m);
    }
    template <class T>
    void add(T* A, double g) const {
      A[pp] += g;
      A[pm] -= g;
      A[mp] -= g;
      A[mm] += g;
    }
  };
  struct Inst {
    PortPair mc;
    std::vector<double> h, b;
    double area = 1, length = 1, domain = 0.01, inLow = 0, inHigh = 1, hyst = 0.1, outLow = 0, outHigh = 1;
    bool fraction = true, hystMode = false, rising = true;
    std::uint8_t gen = 0;
    Stamp st;
  };

  // The flux at mmf `in` and d(flux)/d(mmf).
  static double eval(const Inst& s, double in, double& g) {
    if (s.hystMode) return hysteresis(s, in, g);
    const std::vector<double>& H = s.h;
    const std::vector<double>& B = s.b;
    const std::size_t n = H.size();
    const double x = in / s.length;
    double y, dy;
    if (x <= (H[0] + H[1]) / 2) {
      dy = (B[1] - B[0]) / (H[1] - H[0]);
      y = B[0] + (x - H[0]) * dy;
    } else if (x >= (H[n - 2] + H[n - 1]) / 2) {
      dy = (B[n - 1] - B[n - 2]) / (H[n - 1] - H[n - 2]);
      y = B[n - 1] + (x - H[n - 1]) * dy;
    } else {
      std::size_t i = 1;
      while (i + 2 < n && !(x < (H[i] + H[i + 1]) / 2)) ++i;
      const double lower = H[i] - H[i - 1], upper = H[i + 1] - H[i];
      const double d = s.fraction ? s.domain * std::min(lower, upper) : s.domain;
      const double ls = (B[i] - B[i - 1]) / lower, us = (B[i + 1] - B[i]) / upper;
      if (x < H[i] - d) {
        dy = ls;
        y = B[i] + (x - H[i]) * ls;
      } else if (x < H[i] + d) {
        smoothCorner(x, H[i], B[i], d, ls, us, y, dy);
      } else {
        dy = us;
        y = B[i] + (x - H[i]) * us;
      }
    }
    g = dy * s.area / s.length;
    return y * s.area;
  }

  static double hysteresis(const Inst& s, double in, double& g) {
    const double slope = (s.outHigh - s.outLow) / (s.inHigh - s.inLow);
    const double d = s.domain;
    double y;
    if (s.rising) {
      const double lin = s.inLow + s.hyst, zero = s.inHigh + s.hyst;
      if (in <= lin - d) y = s.outLow, g = 0;
      else if (in <= lin + d) smoothCorner(in, lin, s.outLow, d, 0.0, slope, y, g);
      else if (in <= zero - d) y = (in - lin) * slope + s.outLow, g = slope;
      else if (in <= zero + d) smoothCorner(in, zero, s.outHigh, d, slope, 0.0, y, g);
      else y = s.outHigh, g = 0;
    } else {
      const double lin = s.inHigh - s.hyst, zero = s.inLow - s.hyst;
      if (in >= lin + d) y = s.outHigh, g = 0;
      else if (in >= lin - d) smoothCorner(in, lin, s.outHigh, d, slope, 0.0, y, g);
      else if (in >= zero + d) y = (in - zero) * slope + s.outLow, g = slope;
      else if (in >= zero - d) smoothCorner(in, zero, s.outLow, d, 0.0, slope, y, g);
      else y = s.outLow, g = 0;
    }
    return y;
  }

  std::vector<Inst> s_;
};

// ---- lcouple: a winding of num_turns on a magnetic circuit. Both ports read
// the current through them (a branch each): the mmf port's voltage is
// num_turns·i(l); the winding's voltage is num_turns·dΦ/dt with Φ = −i(mmf)
// (the flux entering the core), XSPICE's backward difference over the step
// from the last accepted time point whatever the integration method; 0 at the
// operating point (a short) and at time 0. AC: jω·num_turns·Φ.
class Winding final : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return false; }

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kShape[] = {
        {"l", false, false, false, false, false, true, true, /*hport*/ true},
        {"mmf_out", false, false, false, false, false, true, false, true}};
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, kShape);
      if (!ports) return ports.takeError();
      addOutput(ctx, i, ports.value()[0][0], "l");
      addOutput(ctx, i, ports.value()[1][0], "mmf");
      turns_.push_back(values(d, m.value()).model("num_turns"));
    }
    stamps_.resize(inst_.size());
    fluxPrev_.assign(inst_.size(), 0.0);
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const Output& l = outs_[2 * i];
      const Output& m = outs_[2 * i + 1];
      outs_[2 * i].bind(b);
      outs_[2 * i + 1].bind(b);
      stamps_[i].lm = b.entry(l.br, m.br);
      stamps_[i].ml = b.entry(m.br, l.br);
    }
  }

  void loadBlock(LoadContext& c) override {
    if (recordsOnly(c.mode)) return;
    const bool dc = c.mode == AnalysisMode::DcOp;
    const double h = c.time - tPrev_;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const Output& l = outs_[2 * i];
      const Output& m = outs_[2 * i + 1];
      l.load(c);
      m.load(c);
      const double n = turns_[i];
      c.f[m.br] -= n * c.x[l.br];
      if (c.stampMatrix) c.A[stamps_[i].ml] -= n;
      if (!dc && h > 0 && c.time > 0) {
        const double flux = -c.x[m.br];
        c.f[l.br] -= n * (flux - fluxPrev_[i]) / h;
        if (c.stampMatrix) c.A[stamps_[i].lm] += n / h;
      }
    }
  }

  void acLoadBlock(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      outs_[2 * i].acLoad(c);
      outs_[2 * i + 1].acLoad(c);
      const double n = turns_[i];
      c.A[stamps_[i].ml] -= n;
      c.A[stamps_[i].lm] += std::complex<double>(0.0, c.omega * n);
    }
  }

  void accept(const double* x, double time) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) fluxPrev_[i] = -x[outs_[2 * i + 1].br];
    tPrev_ = time;
  }

 private:
  struct Stamps {
    Pos lm = 0, ml = 0;
  };
  std::vector<double> turns_;
  std::vector<Stamps> stamps_;
  std::vector<double> fluxPrev_;  // Φ at the last accepted time point
  double tPrev_ = 0;
};

constexpr const char* kCoreTypes[] = {"core"};
constexpr ParamSpec kCoreParams[] = {
    mparam("h_array", kNoDefault, "A/m", "mode 1: field strengths of the B-H curve, increasing (required)").vec().shown("—"),
    mparam("b_array", kNoDefault, "T", "mode 1: flux densities at h_array (required)").vec().shown("—"),
    mparam("area", kNoDefault, "m²", "cross-section: flux = area·B (required)").shown("—"),
    mparam("length", kNoDefault, "m", "magnetic path length: H = mmf/length (required)").shown("—"),
    mparam("input_domain", 0.01, "", "half-width of the corner rounding, positive (relative with fraction)"),
    mparam("fraction", 1.0, "", "true: input_domain relative to the neighbouring steps (mode 2: to in_high − in_low)")
        .words("false true").shown("true"),
    mparam("mode", 1.0, "", "1: pwl B-H curve; 2: hysteresis loop of the mmf"),
    mparam("in_low", 0.0, "A", "mode 2: mmf where the loop's rising leg leaves out_lower_limit (minus hyst)"),
    mparam("in_high", 1.0, "A", "mode 2: mmf where it reaches out_upper_limit (minus hyst)"),
    mparam("hyst", 0.1, "A", "mode 2: half the width of the loop (not negative)"),
    mparam("out_lower_limit", 0.0, "Wb", "mode 2: lowest flux"),
    mparam("out_upper_limit", 1.0, "Wb", "mode 2: highest flux"),
};

constexpr const char* kLcoupleTypes[] = {"lcouple"};
constexpr ParamSpec kLcoupleParams[] = {
    mparam("num_turns", 1.0, "", "turns of the winding: mmf = num_turns·i, v = num_turns·dΦ/dt"),
};

}  // namespace
}  // namespace simcore::dev::block

namespace simcore::dev {

extern const DeviceKind kCoreKind;
constexpr DeviceKind kCoreKind{
    .letter = 'a', .name = "magnetic core", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 0, .modelTypes = block::kCoreTypes, .params = block::kCoreParams, .modelNoun = "core",
    .valueDoc = "Aname mc+ mc- model  (also (mc+ mc-), %gd(mc+ mc-) or %g(mc)): mmf in, flux out",
    .create = makeGroup<block::Core, kCoreKind>};

}  // namespace simcore::dev

namespace simcore::dev {

extern const DeviceKind kLcoupleKind;
constexpr DeviceKind kLcoupleKind{
    .letter = 'a', .name = "magnetic winding", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 1, .modelTypes = block::kLcoupleTypes, .params = block::kLcoupleParams, .modelNoun = "lcouple",
    .valueDoc = "Aname l+ l- mmf+ mmf- model  (pairs also (a b) or %hd(a b); l also %h(a))",
    .create = makeGroup<block::Winding, kLcoupleKind>};

}  // namespace simcore::dev
