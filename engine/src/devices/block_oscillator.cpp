// Controlled oscillators (A cards, XSPICE's sine, triangle and square):
//   Aname cntl out model
// The frequency is piecewise linear in v(cntl) through (cntl_array,
// freq_array), extended along the end segments (at least 1e-16 Hz). The
// phase, in cycles, starts at 0; over each step it advances at the frequency
// of the control at the step's end (XSPICE's rule), so the output depends on
// v(cntl) through Newton's equations:
//   sine      center + amplitude·sin(2π·phase)
//   triangle  out_low at each cycle's start, out_high at duty_cycle of it,
//             straight lines between
//   square    out_low until 1 − duty_cycle of the cycle, a ramp of rise_time
//             to out_high, out_high to the cycle's end, a ramp of fall_time
//             down
// The corners of triangle and square are breakpoints (at the frequency of the
// last accepted time point).
#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "devices/block_common.hpp"

namespace simcore::dev::block {
namespace {

enum class Wave { Sine, Triangle, Square };

template <Wave W>
class ControlledOsc final : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return false; }

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kShape[] = {currentIn({"cntl_in"}), currentOut({"out"})};
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, kShape);
      if (!ports) return ports.takeError();
      const ParamValues P = values(d, m.value());
      Inst s;
      s.cntl = ports.value()[0][0];
      addOutput(ctx, i, ports.value()[1][0], "out");
      s.x = P.modelVector("cntl_array");
      s.y = P.modelVector("freq_array");
      if (s.x.size() != s.y.size() || s.x.size() < 2)
        return error(d, "cntl_array and freq_array need the same number of values, at least two");
      for (std::size_t k = 1; k < s.x.size(); ++k)
        if (!(s.x[k] > s.x[k - 1])) return error(d, "cntl_array must increase");
      s.lo = P.model("out_low");
      s.hi = P.model("out_high");
      if constexpr (W != Wave::Sine) {
        s.duty = P.model("duty_cycle");
        if (!(s.duty >= 1e-6 && s.duty <= 0.999999)) return error(d, "duty_cycle must be within [1e-6, 0.999999]");
      }
      if constexpr (W == Wave::Square) {
        s.rise = P.model("rise_time");
        s.fall = P.model("fall_time");
        if (!(s.rise > 0) || !(s.fall > 0)) return error(d, "rise_time and fall_time must be positive");
      }
      osc_.push_back(s);
    }
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      outs_[i].bind(b);
      osc_[i].stamp.bind(b, outs_[i].br, osc_[i].cntl);
    }
  }

  void loadBlock(LoadContext& c) override {
    if (recordsOnly(c.mode)) return;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      Inst& s = osc_[i];
      const Output& o = outs_[i];
      o.load(c);
      double slope = 0;
      const double f = freq(s, s.cntl.v(c.x), &slope);
      if (c.mode == AnalysisMode::DcOp) {
        s.phase = 0;
        s.t = c.time;
        s.f = f;
      }
      const double dt = c.mode == AnalysisMode::DcOp ? 0.0 : c.time - s.t;
      double dydphi = 0;
      const double y = shape(s, s.phase + f * dt, &dydphi);
      c.f[o.br] -= y;
      const double g = dydphi * slope * dt;  // dy/dv(cntl)
      if (c.stampMatrix && g != 0) {
        c.A[s.stamp.pp] -= g;
        c.A[s.stamp.pm] += g;
      }
    }
  }

  void acLoadBlock(AcContext& c) override {
    for (const Output& o : outs_) o.acLoad(c);
  }

  void accept(const double* x, double time) override {
    for (Inst& s : osc_) {
      s.f = freq(s, s.cntl.v(x));
      if (time > s.t) s.phase += s.f * (time - s.t);
      s.t = time;
    }
  }

  double nextBreakpoint(double t) const override {
    if constexpr (W == Wave::Sine) {
      return 1e300;
    } else {
      double best = 1e300;
      for (const Inst& s : osc_) {
        // the corners of the cycle containing the phase at t, and of the next
        const double ph = s.phase + s.f * (t - s.t);
        const double cyc = std::floor(ph);
        for (double k = cyc; k <= cyc + 1; k += 1.0)
          for (double frac : corners(s)) {
            const double tc = s.t + (k + frac - s.phase) / s.f;
            if (tc > t * (1 + 1e-12) + 1e-21) best = std::min(best, tc);
          }
      }
      return best;
    }
  }

 private:
  struct Inst {
    PortPair cntl;
    std::vector<double> x, y;
    double lo = -1, hi = 1, duty = 0.5, rise = 1e-9, fall = 1e-9;
    double phase = 0, t = 0, f = 1e3;  // phase (cycles) at the accepted time t, and the frequency there
    InputStamp stamp;                   // row of the output against cntl
  };
  // The frequency at control u, and its slope df/du.
  static double freq(const Inst& s, double u, double* slope = nullptr) {
    const std::size_t n = s.x.size();
    std::size_t k = 0;
    if (u >= s.x[n - 1]) k = n - 2;
    else
      while (k + 2 < n && u >= s.x[k + 1]) ++k;
    const double df = (s.y[k + 1] - s.y[k]) / (s.x[k + 1] - s.x[k]);
    const double f = s.y[k] + (u - s.x[k]) * df;
    if (slope) *slope = f > 1e-16 ? df : 0.0;
    return f > 1e-16 ? f : 1e-16;
  }
  // The corners within a cycle, as fractions of it (square: its ramps take
  // rise/fall times at the present frequency).
  std::vector<double> corners(const Inst& s) const {
    if constexpr (W == Wave::Triangle) return {0.0, s.duty};
    const double r = std::min(s.rise * s.f, s.duty), fl = std::min(s.fall * s.f, 1.0 - s.duty);
    return {0.0, fl, 1.0 - s.duty, 1.0 - s.duty + r};  // (the fall starts at a cycle's beginning)
  }
  // The output at `phase` and its derivative by the phase.
  double shape(const Inst& s, double phase, double* dphi) const {
    const double d = phase - std::floor(phase);
    const double span = s.hi - s.lo;
    if constexpr (W == Wave::Sine) {
      *dphi = 0.5 * span * 2.0 * std::numbers::pi * std::cos(2.0 * std::numbers::pi * d);
      return 0.5 * (s.hi + s.lo) + 0.5 * span * std::sin(2.0 * std::numbers::pi * d);
    } else if constexpr (W == Wave::Triangle) {
      if (d < s.duty) {
        *dphi = span / s.duty;
        return s.lo + span * d / s.duty;
      }
      *dphi = -span / (1.0 - s.duty);
      return s.hi - span * (d - s.duty) / (1.0 - s.duty);
    } else {
      const double r = std::min(s.rise * s.f, s.duty), fl = std::min(s.fall * s.f, 1.0 - s.duty);
      const double up = 1.0 - s.duty;
      *dphi = 0;
      // a cycle's fall (from the previous cycle's high) starts at its beginning,
      // except in the first cycle, which starts low
      if (d < fl && phase >= 1.0) {
        *dphi = -span / fl;
        return s.hi - span * d / fl;
      }
      if (d < up) return s.lo;
      if (d < up + r) {
        *dphi = span / r;
        return s.lo + span * (d - up) / r;
      }
      return s.hi;
    }
  }

  std::vector<Inst> osc_;
};

constexpr ParamSpec kCntl =
    mparam("cntl_array", kNoDefault, "V", "control voltages of the frequency curve, increasing (required)").vec();
constexpr ParamSpec kFreq =
    mparam("freq_array", kNoDefault, "Hz", "frequencies at cntl_array: piecewise linear, extrapolated (required)").vec();
constexpr ParamSpec kLow = mparam("out_low", -1.0, "V", "lowest output");
constexpr ParamSpec kHigh = mparam("out_high", 1.0, "V", "highest output");
constexpr ParamSpec kDuty = mparam("duty_cycle", 0.5, "", "fraction of a cycle spent rising (triangle) or high (square)");

constexpr const char* kSineTypes[] = {"sine"};
constexpr ParamSpec kSineParams[] = {kCntl, kFreq, kLow, kHigh};
constexpr const char* kTriangleTypes[] = {"triangle"};
constexpr ParamSpec kTriangleParams[] = {kCntl, kFreq, kLow, kHigh, kDuty};
constexpr const char* kSquareTypes[] = {"square"};
constexpr ParamSpec kSquareParams[] = {kCntl, kFreq, kLow, kHigh, kDuty,
                                       mparam("rise_time", 1e-9, "s", "time of the rising ramp"),
                                       mparam("fall_time", 1e-9, "s", "time of the falling ramp")};

}  // namespace
}  // namespace simcore::dev::block

namespace simcore::dev {

extern const DeviceKind kSineBlockKind, kTriangleBlockKind, kSquareBlockKind;
constexpr DeviceKind kSineBlockKind{
    .letter = 'a', .name = "controlled sine oscillator", .form = CardForm::CodeModel, .minNodes = 0,
    .maxNodes = 1 << 20, .branches = 1, .modelTypes = block::kSineTypes, .params = block::kSineParams,
    .modelNoun = "sine", .valueDoc = "Aname cntl out model  (.model M sine(cntl_array=[...] freq_array=[...]))",
    .create = makeGroup<block::ControlledOsc<block::Wave::Sine>, kSineBlockKind>};
constexpr DeviceKind kTriangleBlockKind{
    .letter = 'a', .name = "controlled triangle oscillator", .form = CardForm::CodeModel, .minNodes = 0,
    .maxNodes = 1 << 20, .branches = 1, .modelTypes = block::kTriangleTypes, .params = block::kTriangleParams,
    .modelNoun = "triangle", .valueDoc = "Aname cntl out model",
    .create = makeGroup<block::ControlledOsc<block::Wave::Triangle>, kTriangleBlockKind>};
constexpr DeviceKind kSquareBlockKind{
    .letter = 'a', .name = "controlled square oscillator", .form = CardForm::CodeModel, .minNodes = 0,
    .maxNodes = 1 << 20, .branches = 1, .modelTypes = block::kSquareTypes, .params = block::kSquareParams,
    .modelNoun = "square", .valueDoc = "Aname cntl out model",
    .create = makeGroup<block::ControlledOsc<block::Wave::Square>, kSquareBlockKind>};

}  // namespace simcore::dev
