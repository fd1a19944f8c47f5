// Nonlinear and differentiating control blocks (A cards, XSPICE's analog
// library with ngspice 39's parameters):
//   mult    y = out_offset + out_gain·Π in_gain[k]·(u[k] + in_offset[k])     Aname [in...] out
//   divide  y = out_offset + out_gain·num'/den', num' = num_gain·(num + num_offset),
//           den' = den_gain·(den + den_offset) held at ±den_lower_limit when smaller
//           in magnitude                                                      Aname num den out
//   pwl     y = the piecewise-linear curve through (x_array, y_array), extended
//           beyond its ends along its first and last segments (flat with
//           limit), corners rounded over input_domain as XSPICE's              Aname in out
//   climit  y = gain·(in + in_offset) clamped to [cntl_lower + lower_delta,
//           cntl_upper − upper_delta] (the middle of the two when they cross)  Aname in up low out
//   slew    y follows u at most rise_slope up and fall_slope down              Aname in out
//   d_dt    y = out_offset + gain·du/dt, clamped to the optional limits; 0 at the
//           operating point (XSPICE's: without out_offset there)             Aname in out
// The first four are memoryless and smooth between corners: their outputs and
// derivatives go into Newton's equations. pwl rounds its corners as XSPICE
// does (xspicePwl); the others' are sharp: their smoothing parameters
// (den_domain, limit_range, fraction) are accepted and ignored.
#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>

#include "devices/block_common.hpp"
#include "devices/expr_eval.hpp"

namespace simcore::dev::block {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

enum class Fn { Mult, Divide, Pwl, Climit };

template <Fn F>
class Nonlinear final : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return false; }

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kMult[] = {currentIn({"in", true}), currentOut({"out"})};
    static constexpr PortShape kDivide[] = {currentIn({"num"}), currentIn({"den"}), currentOut({"out"})};
    static constexpr PortShape kOne[] = {currentIn({"in"}), currentOut({"out"})};
    static constexpr PortShape kClimit[] = {currentIn({"in"}), currentIn({"cntl_upper"}), currentIn({"cntl_lower"}),
                                             currentOut({"out"})};
    std::span<const PortShape> shape = F == Fn::Mult     ? std::span<const PortShape>(kMult)
                                       : F == Fn::Divide ? std::span<const PortShape>(kDivide)
                                       : F == Fn::Pwl    ? std::span<const PortShape>(kOne)
                                                         : std::span<const PortShape>(kClimit);
    const std::size_t n = inst_.size();
    first_.assign(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, shape);
      if (!ports) return ports.takeError();
      const Ports& pt = ports.value();
      const ParamValues P = values(d, m.value());
      Params p;
      first_[i] = in_.size();
      for (std::size_t k = 0; k + 1 < pt.size(); ++k)
        for (const PortPair& e : pt[k]) in_.push_back(e);
      first_[i + 1] = in_.size();
      const std::size_t nin = first_[i + 1] - first_[i];
      if constexpr (F == Fn::Mult) {
        std::vector<double> g = P.modelVector("in_gain"), off = P.modelVector("in_offset");
        if (g.size() <= 1) g.assign(nin, g.empty() ? 1.0 : g[0]);
        if (off.size() <= 1) off.assign(nin, off.empty() ? 0.0 : off[0]);
        if (g.size() != nin || off.size() != nin)
          return error(d, "in_gain and in_offset need one value per input (" + std::to_string(nin) + ")");
        p.gains = g;
        p.offsets = off;
        p.outGain = P.model("out_gain");
        p.outOffset = P.model("out_offset");
      } else if constexpr (F == Fn::Divide) {
        p.gains = {P.model("num_gain"), P.model("den_gain")};
        p.offsets = {P.model("num_offset"), P.model("den_offset")};
        p.lo = P.model("den_lower_limit");
        if (!(p.lo >= 1e-10)) return error(d, "den_lower_limit must be at least 1e-10");
        p.outGain = P.model("out_gain");
        p.outOffset = P.model("out_offset");
      } else if constexpr (F == Fn::Pwl) {
        p.gains = P.modelVector("x_array");
        p.offsets = P.modelVector("y_array");
        if (p.gains.size() < 2 || p.gains.size() != p.offsets.size())
          return error(d, "x_array and y_array need the same number of values, at least two");
        for (std::size_t k = 1; k < p.gains.size(); ++k)
          if (!(p.gains[k] > p.gains[k - 1])) return error(d, "x_array must increase");
        p.domain = P.model("input_domain");
        if (!(p.domain >= 1e-12 && p.domain <= 0.5)) return error(d, "input_domain must be from 1e-12 to 0.5");
        p.fraction = P.model("fraction") != 0;
        p.limit = P.model("limit") != 0;
      } else {
        p.gains = {P.model("gain")};
        p.offsets = {P.model("in_offset")};
        p.lo = P.model("lower_delta");
        p.hi = P.model("upper_delta");
      }
      p_.push_back(std::move(p));
      addOutput(ctx, i, pt.back()[0], "out");
    }
    stamp_.resize(in_.size());
    g_.assign(in_.size(), 0.0);
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      outs_[i].bind(b);
      for (std::size_t j = first_[i]; j < first_[i + 1]; ++j) stamp_[j].bind(b, outs_[i].br, in_[j]);
    }
  }

  void loadBlock(LoadContext& c) override {
    if (c.mode == AnalysisMode::TranInit) return;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const Output& o = outs_[i];
      o.load(c);
      const std::size_t f = first_[i];
      double u[4] = {0, 0, 0, 0};
      std::vector<double>& g = g_;
      double y;
      if constexpr (F == Fn::Mult) {
        y = mult(i, c.x, &g[f]);
      } else {
        for (std::size_t k = f; k < first_[i + 1]; ++k) u[k - f] = in_[k].v(c.x);
        y = eval(p_[i], u, &g[f]);
      }
      c.f[o.br] -= y;
      if (c.stampMatrix)
        for (std::size_t j = f; j < first_[i + 1]; ++j) {
          c.A[stamp_[j].pp] -= g[j];
          c.A[stamp_[j].pm] += g[j];
        }
    }
  }

  void acLoadBlock(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      outs_[i].acLoad(c);
      for (std::size_t j = first_[i]; j < first_[i + 1]; ++j) stamp_[j].addAc(c, -g_[j]);
    }
  }

 private:
  struct Params {
    std::vector<double> gains, offsets;  // pwl: x_array, y_array
    double outGain = 1, outOffset = 0, lo = 0, hi = 0;
    double domain = 0;                   // pwl: input_domain
    bool fraction = true, limit = false; // pwl
  };

  double mult(std::size_t i, const double* x, double* g) const {
    const Params& p = p_[i];
    const std::size_t f = first_[i], n = first_[i + 1] - f;
    std::vector<double>& v = scratch_;
    v.resize(n);
    double prod = 1;
    for (std::size_t k = 0; k < n; ++k) {
      v[k] = p.gains[k] * (in_[f + k].v(x) + p.offsets[k]);
      prod *= v[k];
    }
    for (std::size_t k = 0; k < n; ++k) {
      double others = 1;
      for (std::size_t j = 0; j < n; ++j)
        if (j != k) others *= v[j];
      g[k] = p.outGain * p.gains[k] * others;
    }
    return p.outOffset + p.outGain * prod;
  }

  // y at the inputs u, and dy/du into g.
  static double eval(const Params& p, const double* u, double* g) {
    if constexpr (F == Fn::Divide) {
      const double num = p.gains[0] * (u[0] + p.offsets[0]);
      double den = p.gains[1] * (u[1] + p.offsets[1]);
      bool held = false;
      if (std::fabs(den) < p.lo) {
        den = den < 0 ? -p.lo : p.lo;
        held = true;
      }
      g[0] = p.outGain * p.gains[0] / den;
      g[1] = held ? 0.0 : -p.outGain * num * p.gains[1] / (den * den);
      return p.outOffset + p.outGain * num / den;
    } else if constexpr (F == Fn::Pwl) {
      return xspicePwl(p.gains.data(), p.offsets.data(), 1, p.gains.size(), u[0], p.domain, p.fraction, p.limit, &g[0]);
    } else {  // climit: in, upper, lower
      const double w = p.gains[0] * (u[0] + p.offsets[0]);
      const double hi = u[1] - p.hi, lo = u[2] + p.lo;
      g[0] = g[1] = g[2] = 0;
      if (lo > hi) {
        g[1] = g[2] = 0.5;
        return 0.5 * (lo + hi);
      }
      if (w > hi) {
        g[1] = 1;
        return hi;
      }
      if (w < lo) {
        g[2] = 1;
        return lo;
      }
      g[0] = p.gains[0];
      return w;
    }
  }

  std::vector<std::size_t> first_;
  std::vector<PortPair> in_;
  std::vector<InputStamp> stamp_;
  std::vector<Params> p_;
  std::vector<double> g_;  // dy/du of each input at the last load
  mutable std::vector<double> scratch_;
};

// ---- d_dt: XSPICE's backward difference gain·(u − u_prev)/(t − t_prev)
// over the step from the last accepted time point, whatever the analysis'
// integration method
class Differentiator final : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return false; }

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kShape[] = {currentIn({"in"}), currentOut({"out"})};
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, kShape);
      if (!ports) return ports.takeError();
      in_.push_back(ports.value()[0][0]);
      addOutput(ctx, i, ports.value()[1][0], "out");
      const ParamValues P = values(d, m.value());
      Params p;
      p.gain = P.model("gain");
      p.off = P.model("out_offset");
      p.lo = P.model("out_lower_limit", -kInf);
      p.hi = P.model("out_upper_limit", kInf);
      if (!(p.hi > p.lo)) return error(d, "out_upper_limit must be above out_lower_limit");
      p_.push_back(p);
    }
    stamp_.resize(inst_.size());
    uPrev_.assign(inst_.size(), 0.0);
    tPrev_ = 0;
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      outs_[i].bind(b);
      stamp_[i].bind(b, outs_[i].br, in_[i]);
    }
  }

  void loadBlock(LoadContext& c) override {
    if (recordsOnly(c.mode)) return;
    const bool dc = c.mode == AnalysisMode::DcOp;
    const double h = c.time - tPrev_;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const Params& p = p_[i];
      const Output& o = outs_[i];
      o.load(c);
      double y = 0, g = 0;  // (0 at the operating point: no offset there, as XSPICE's)
      if (!dc && h > 0) {
        y = p.off + p.gain * (in_[i].v(c.x) - uPrev_[i]) / h;
        g = p.gain / h;
      }
      if (y > p.hi) { y = p.hi; g = 0; }
      else if (y < p.lo) { y = p.lo; g = 0; }
      c.f[o.br] -= y;
      if (c.stampMatrix) {
        c.A[stamp_[i].pp] -= g;
        c.A[stamp_[i].pm] += g;
      }
    }
  }

  void acLoadBlock(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      outs_[i].acLoad(c);
      const Params& p = p_[i];
      if (0.0 > p.hi || 0.0 < p.lo) continue;  // held at a limit
      const std::complex<double> k(0.0, -c.omega * p.gain);
      c.A[stamp_[i].pp] += k;
      c.A[stamp_[i].pm] -= k;
    }
  }

  void accept(const double* x, double time) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) uPrev_[i] = in_[i].v(x);
    tPrev_ = time;
  }

 private:
  struct Params {
    double gain = 1, off = 0, lo = -kInf, hi = kInf;
  };
  std::vector<PortPair> in_;
  std::vector<Params> p_;
  std::vector<InputStamp> stamp_;
  std::vector<double> uPrev_;  // the input at the last accepted time point
  double tPrev_ = 0;
};

// ---- slew: the output follows the input at most rise_slope going up and
// fall_slope going down: over the step from the last accepted time point it
// is the input clamped to [y_prev − fall_slope·h, y_prev + rise_slope·h]
// (XSPICE's rule); the input itself at the operating point and in .ac.
class Slew final : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return false; }

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kShape[] = {currentIn({"in"}), currentOut({"out"})};
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, kShape);
      if (!ports) return ports.takeError();
      in_.push_back(ports.value()[0][0]);
      addOutput(ctx, i, ports.value()[1][0], "out");
      const ParamValues P = values(d, m.value());
      const double rise = P.model("rise_slope"), fall = P.model("fall_slope");
      if (!(rise > 0) || !(fall > 0)) return error(d, "rise_slope and fall_slope must be positive");
      rise_.push_back(rise);
      fall_.push_back(fall);
    }
    stamp_.resize(inst_.size());
    yPrev_.assign(inst_.size(), 0.0);
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      outs_[i].bind(b);
      stamp_[i].bind(b, outs_[i].br, in_[i]);
    }
  }

  void loadBlock(LoadContext& c) override {
    if (recordsOnly(c.mode)) return;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const Output& o = outs_[i];
      o.load(c);
      double g = 1;
      const double y = value(i, c.x, c.mode == AnalysisMode::DcOp ? -1.0 : c.time - tPrev_, g);
      c.f[o.br] -= y;
      if (c.stampMatrix) {
        c.A[stamp_[i].pp] -= g;
        c.A[stamp_[i].pm] += g;
      }
    }
  }

  void acLoadBlock(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      outs_[i].acLoad(c);
      stamp_[i].addAc(c, -1.0);
    }
  }

  void accept(const double* x, double time) override {
    const double h = time > tPrev_ ? time - tPrev_ : -1.0;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      double g = 1;
      yPrev_[i] = value(i, x, h, g);
    }
    tPrev_ = time;
  }

 private:
  // The output at x over a step of h from the last accepted point (h < 0: the input).
  double value(std::size_t i, const double* x, double h, double& g) const {
    const double u = in_[i].v(x);
    g = 1;
    if (h < 0) return u;
    const double hi = yPrev_[i] + rise_[i] * h, lo = yPrev_[i] - fall_[i] * h;
    if (u > hi) { g = 0; return hi; }
    if (u < lo) { g = 0; return lo; }
    return u;
  }

  std::vector<PortPair> in_;
  std::vector<double> rise_, fall_, yPrev_;
  std::vector<InputStamp> stamp_;
  double tPrev_ = 0;
};

constexpr const char* kMultTypes[] = {"mult"};
constexpr ParamSpec kMultParams[] = {
    mparam("in_offset", 0.0, "V", "added to each input (a vector: one per input)").vec(),
    mparam("in_gain", 1.0, "", "gain of each input (a vector: one per input)").vec(),
    mparam("out_gain", 1.0, "", "gain of the product"),
    mparam("out_offset", 0.0, "V", "added to the output"),
};
constexpr const char* kDivideTypes[] = {"divide"};
constexpr ParamSpec kDivideParams[] = {
    mparam("num_offset", 0.0, "V", "added to the numerator input"),
    mparam("num_gain", 1.0, "", "numerator gain"),
    mparam("den_offset", 0.0, "V", "added to the denominator input"),
    mparam("den_gain", 1.0, "", "denominator gain"),
    mparam("den_lower_limit", 1e-10, "", "smallest denominator magnitude (held there, sign kept)"),
    mparam("den_domain", 1e-16, "", "XSPICE's smoothing range: accepted and ignored"),
    mparam("fraction", 0.0, "", "XSPICE's smoothing flag: accepted and ignored").words("false true"),
    mparam("out_gain", 1.0, "", "gain of the quotient"),
    mparam("out_offset", 0.0, "V", "added to the output"),
};
constexpr const char* kPwlTypes[] = {"pwl"};
constexpr ParamSpec kPwlParams[] = {
    mparam("x_array", kNoDefault, "V", "input breakpoints, increasing (required)").vec(),
    mparam("y_array", kNoDefault, "V", "output at each breakpoint (required)").vec(),
    mparam("input_domain", 0.01, "", "corners rounded by parabolas over ±input_domain around them (times the shorter "
                                     "segment beside them with fraction=true), as XSPICE"),
    mparam("fraction", 1.0, "", "true: input_domain is a fraction of the segments; false: in volts")
        .words("false true")
        .shown("true"),
    mparam("limit", 0.0, "", "true: the output is held flat beyond the ends; false: the end segments go on")
        .words("false true"),
};
constexpr const char* kClimitTypes[] = {"climit"};
constexpr ParamSpec kClimitParams[] = {
    mparam("in_offset", 0.0, "V", "added to the input"),
    mparam("gain", 1.0, "", "gain"),
    mparam("upper_delta", 0.0, "V", "the upper limit is cntl_upper minus this"),
    mparam("lower_delta", 0.0, "V", "the lower limit is cntl_lower plus this"),
    mparam("limit_range", 1e-6, "V", "XSPICE's smoothing range: accepted and ignored (sharp limits)"),
    mparam("fraction", 0.0, "", "XSPICE's smoothing flag: accepted and ignored").words("false true"),
};
constexpr const char* kDdtTypes[] = {"d_dt"};
constexpr ParamSpec kDdtParams[] = {
    mparam("out_offset", 0.0, "V", "added to the output"),
    mparam("gain", 1.0, "s", "gain of the derivative"),
    mparam("out_lower_limit", kNoDefault, "V", "lowest output").shown("−∞"),
    mparam("out_upper_limit", kNoDefault, "V", "highest output").shown("∞"),
    mparam("limit_range", 1e-6, "V", "XSPICE's smoothing range: accepted and ignored (sharp limits)"),
};

constexpr const char* kSlewTypes[] = {"slew"};
constexpr ParamSpec kSlewParams[] = {
    mparam("rise_slope", 1e-9, "V/s", "fastest rise of the output (XSPICE's default)"),
    mparam("fall_slope", 1e-9, "V/s", "fastest fall of the output (XSPICE's default)"),
};

}  // namespace
}  // namespace simcore::dev::block

namespace simcore::dev {

extern const DeviceKind kMultBlockKind, kDivideBlockKind, kPwlBlockKind, kClimitBlockKind, kDdtBlockKind, kSlewBlockKind;
constexpr DeviceKind kMultBlockKind{
    .letter = 'a', .name = "multiplier", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 1, .modelTypes = block::kMultTypes, .params = block::kMultParams, .modelNoun = "mult",
    .valueDoc = "Aname [in1 in2 ...] out model  (.model M mult(...))",
    .create = makeGroup<block::Nonlinear<block::Fn::Mult>, kMultBlockKind>};
constexpr DeviceKind kDivideBlockKind{
    .letter = 'a', .name = "divider", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 1, .modelTypes = block::kDivideTypes, .params = block::kDivideParams, .modelNoun = "divide",
    .valueDoc = "Aname num den out model  (.model M divide(...))",
    .create = makeGroup<block::Nonlinear<block::Fn::Divide>, kDivideBlockKind>};
constexpr DeviceKind kPwlBlockKind{
    .letter = 'a', .name = "piecewise-linear block", .form = CardForm::CodeModel, .minNodes = 0,
    .maxNodes = 1 << 20, .branches = 1, .modelTypes = block::kPwlTypes, .params = block::kPwlParams,
    .modelNoun = "pwl", .valueDoc = "Aname in out model  (.model M pwl(x_array=[...] y_array=[...]))",
    .create = makeGroup<block::Nonlinear<block::Fn::Pwl>, kPwlBlockKind>};
constexpr DeviceKind kClimitBlockKind{
    .letter = 'a', .name = "controlled limiter", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 1, .modelTypes = block::kClimitTypes, .params = block::kClimitParams, .modelNoun = "climit",
    .valueDoc = "Aname in cntl_upper cntl_lower out model  (.model M climit(...))",
    .create = makeGroup<block::Nonlinear<block::Fn::Climit>, kClimitBlockKind>};
constexpr DeviceKind kDdtBlockKind{
    .letter = 'a', .name = "differentiator", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 1, .modelTypes = block::kDdtTypes, .params = block::kDdtParams, .modelNoun = "d_dt",
    .valueDoc = "Aname in out model  (.model M d_dt(...))",
    .create = makeGroup<block::Differentiator, kDdtBlockKind>};

constexpr DeviceKind kSlewBlockKind{
    .letter = 'a', .name = "slew-rate limiter", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 1, .modelTypes = block::kSlewTypes, .params = block::kSlewParams, .modelNoun = "slew",
    .valueDoc = "Aname in out model  (.model M slew(rise_slope=... fall_slope=...))",
    .create = makeGroup<block::Slew, kSlewBlockKind>};

}  // namespace simcore::dev
