// Sample-and-hold / zero-order hold (A card, model type sample_hold or zoh).
//   Aname in out model           samples at phase + k·period (k = 0, 1, ...)
//   Aname in out clk model       samples when v(clk) rises through clk_trig
// Between samples the output holds the input's value at the last sample; at
// the operating point it follows the input, and the transient starts holding
// the operating point's input. A sample is taken in accept() with the
// solution at the sampling time (a breakpoint, or just past the located
// clock edge), never in settle(). The held value is not a discrete state, but
// the configuration byte toggles at every sample (bit 0; bit 1 is the clock
// level) so that the engine treats the output step as a switching instant.
// Small-signal: the output is constant.
#include <cmath>

#include "devices/block_common.hpp"

namespace simcore::dev::block {
namespace {

constexpr double kNever = 1e300;

enum : std::uint8_t { kToggle = 1, kClockHigh = 2 };

class SampleHold final : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return true; }

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kShape[] = {{"in"}, {"out"}, {"clk", false, true}};
    const std::size_t n = inst_.size();
    in_.resize(n); clk_.resize(n); clocked_.assign(n, 0); period_.assign(n, 0.0); phase_.assign(n, 0.0);
    trig_.assign(n, 0.5); held_.assign(n, 0.0); st_.assign(n, 0); nextK_.assign(n, 0); stamp_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, kShape);
      if (!ports) return ports.takeError();
      const Ports& pt = ports.value();
      in_[i] = pt[0][0];
      addOutput(ctx, i, pt[1][0], "out");
      const ParamValues P = values(d, m.value());
      if (!pt[2].empty()) {
        clocked_[i] = 1;
        clk_[i] = pt[2][0];
        trig_[i] = P.model("clk_trig");
        if (P.hasModel("period")) return error(d, "give either a clock port or period=, not both");
      } else {
        period_[i] = P.model("period");
        phase_[i] = P.model("phase");
        if (!(period_[i] > 0) || !std::isfinite(period_[i]))
          return error(d, "period must be positive (period= is required without a clock port)");
        if (!(phase_[i] >= 0)) return error(d, "phase must be >= 0");
        // a sample at every period from phase to the end of the run, each a
        // breakpoint: more than 1e12 of them is no run, and beyond that the
        // sample index no longer fits the arithmetic of the instants
        const double tstop = ctx.tranHints().tstop;
        if (tstop > phase_[i] && (tstop - phase_[i]) / period_[i] > 1e12)
          return error(d, "period is too short for the run: more than 1e12 samples from phase to the end of the transient");
      }
    }
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      outs_[i].bind(b);
      stamp_[i].bind(b, outs_[i].br, in_[i]);
    }
  }

  void loadBlock(LoadContext& c) override {
    lastMode_ = c.mode;
    for (std::size_t i = 0, n = inst_.size(); i < n; ++i) {
      if (c.mode == AnalysisMode::TranInit) continue;  // no charges; samples are taken in accept()
      const Output& o = outs_[i];
      o.load(c);
      if (c.mode == AnalysisMode::DcOp) stamp_[i].add(c, o.br, in_[i], -1.0);  // tracks its input
      else c.f[o.br] -= held_[i];
    }
  }

  void acLoadBlock(AcContext& c) override {
    for (const Output& o : outs_) o.acLoad(c);
  }

  void accept(const double* x, double time) override {
    if (lastMode_ == AnalysisMode::DcOp) {
      // the operating point: a transient from it starts holding its input
      for (std::size_t i = 0; i < inst_.size(); ++i) {
        held_[i] = in_[i].v(x);
        st_[i] = clocked_[i] && clk_[i].v(x) > trig_[i] ? kClockHigh : 0;
        nextK_[i] = clocked_[i] ? 0 : firstIndexAfter(i, time);
      }
      return;
    }
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      bool sample = false;
      if (clocked_[i]) {
        const double v = clk_[i].v(x);
        if (!(st_[i] & kClockHigh) && v > trig_[i]) {
          st_[i] |= kClockHigh;
          sample = true;
        } else if ((st_[i] & kClockHigh) && v < trig_[i]) {
          st_[i] &= std::uint8_t(~kClockHigh);
        }
      } else if (time >= instant(i, nextK_[i]) - 1e-9 * period_[i]) {
        sample = true;
        nextK_[i] = firstIndexAfter(i, time);
      }
      if (sample) {
        held_[i] = in_[i].v(x);
        st_[i] ^= kToggle;
      }
    }
  }

  void configuration(std::vector<std::uint8_t>& key) const override { key.insert(key.end(), st_.begin(), st_.end()); }

  double nextBreakpoint(double t) const override {
    double best = kNever;
    for (std::size_t i = 0; i < inst_.size(); ++i)
      if (!clocked_[i]) best = std::min(best, instant(i, firstIndexAfter(i, t)));
    return best;
  }

  bool findEvent(const double* x0, const double* x1, double t0, double t1, Event& ev) const override {
    bool found = false;
    auto consider = [&](double t) {
      if (!found || t < ev.time) ev.time = t;
      found = true;
    };
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      if (clocked_[i]) {
        const double v0 = clk_[i].v(x0), v1 = clk_[i].v(x1);
        const bool high = st_[i] & kClockHigh;
        if ((!high && v1 > trig_[i]) || (high && v1 < trig_[i]))
          consider(t0 + crossingFraction(v0, v1, trig_[i]) * (t1 - t0));
      } else {
        const double due = instant(i, nextK_[i]);
        if (due > t0 && due <= t1) consider(due);
      }
    }
    return found;
  }

 private:
  double instant(std::size_t i, long k) const { return phase_[i] + double(k) * period_[i]; }
  // The first sample index whose instant lies after t (beyond rounding).
  long firstIndexAfter(std::size_t i, double t) const {
    if (t < phase_[i] - 1e-9 * period_[i]) return 0;
    // (more samples than a long counts is no run setup() lets start)
    long k = long(std::min(std::floor((t - phase_[i]) / period_[i]), 4e18)) + 1;
    while (k > 0 && instant(i, k - 1) > t + 1e-9 * period_[i]) --k;
    while (instant(i, k) <= t + 1e-9 * period_[i]) ++k;
    return k;
  }

  std::vector<PortPair> in_, clk_;
  std::vector<char> clocked_;
  std::vector<double> period_, phase_, trig_, held_;
  std::vector<std::uint8_t> st_;
  std::vector<long> nextK_;
  std::vector<InputStamp> stamp_;
  AnalysisMode lastMode_ = AnalysisMode::DcOp;
};

constexpr const char* kShTypes[] = {"sample_hold", "zoh"};
constexpr ParamSpec kShParams[] = {
    mparam("period", kNoDefault, "s", "sampling period (without a clock port: required)"),
    mparam("phase", 0.0, "s", "time of the first sample (samples at phase + k·period)"),
    mparam("clk_trig", 0.5, "V", "with a clock port: a sample at each rise of v(clk) through it"),
};

}  // namespace
}  // namespace simcore::dev::block

namespace simcore::dev {

extern const DeviceKind kSampleHoldKind;
constexpr DeviceKind kSampleHoldKind{
    .letter = 'a', .name = "sample-and-hold", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 1, .modelTypes = block::kShTypes, .params = block::kShParams, .modelNoun = "sample_hold",
    .valueDoc = "Aname in out [clk] model  (.model M sample_hold(...) or zoh(...))",
    .create = makeGroup<block::SampleHold, kSampleHoldKind>};

}  // namespace simcore::dev
