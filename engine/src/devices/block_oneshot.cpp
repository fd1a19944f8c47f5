// The monostable (XSPICE's analog oneshot, ngspice 39 semantics):
//   Aname clk cntl_in clear out model   (cntl_in and clear may be NULL)
// At each accepted transient time point (as XSPICE, which samples its
// inputs there) the model looks for a trigger: with pos_edge_trig, v(clk)
// above clk_trig and above its value at the previous point (the first point
// compares with 0), once per crossing (re-armed when v(clk) falls below
// clk_trig). A trigger while the output is at out_low starts a pulse: rising
// rise_delay later over rise_time, high for pw + fall_delay, falling over
// fall_time; pw is piecewise linear in v(cntl_in) through (cntl_array,
// pw_array), extended along the end segments (not below 0 at the low end).
// Unless retrig, triggers are ignored until the pulse has ended; with retrig
// a trigger during the pulse moves its end to pw + rise_delay + fall_delay +
// rise_time after it. v(clear) above clk_trig ends any pulse (the output
// goes to out_low at the located crossing, a switching instant). The corners
// are breakpoints; the output is a voltage source, out_low at the operating
// point and 0 in AC.
#include <algorithm>
#include <cmath>
#include <vector>

#include "devices/block_common.hpp"

namespace simcore::dev::block {
namespace {

class OneShot final : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return true; }

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kShape[] = {
        currentIn({"clk"}), currentIn({"cntl_in", false, false, false, true}),
        currentIn({"clear", false, false, false, true}), currentOut({"out"})};
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, kShape);
      if (!ports) return ports.takeError();
      const Ports& pt = ports.value();
      Inst s;
      s.clk = pt[0][0];
      s.cntl = pt[1][0];
      s.clear = pt[2][0];
      addOutput(ctx, i, pt[3][0], "out");
      const ParamValues P = values(d, m.value());
      s.x = P.modelVector("cntl_array");
      s.y = P.modelVector("pw_array");
      if (s.x.size() != s.y.size() || s.x.size() < 2)
        return error(d, "cntl_array and pw_array need the same number of values, at least two");
      for (std::size_t k = 1; k < s.x.size(); ++k)
        if (!(s.x[k] > s.x[k - 1])) return error(d, "cntl_array must increase");
      s.trig = P.model("clk_trig");
      s.posEdge = P.model("pos_edge_trig") != 0;
      s.low = P.model("out_low");
      s.high = P.model("out_high");
      s.riseTime = std::max(P.model("rise_time"), 1e-12);
      s.fallTime = std::max(P.model("fall_time"), 1e-12);
      s.riseDelay = P.model("rise_delay");
      s.fallDelay = P.model("fall_delay");
      s.retrig = P.model("retrig") != 0;
      if (!(s.riseDelay >= 0) || !(s.fallDelay >= 0)) return error(d, "rise_delay and fall_delay must not be negative");
      shot_.push_back(s);
    }
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (Output& o : outs_) o.bind(b);
  }

  void loadBlock(LoadContext& c) override {
    lastMode_ = c.mode;
    if (recordsOnly(c.mode)) return;
    const bool dc = c.mode == AnalysisMode::DcOp;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      Inst& s = shot_[i];
      if (dc) reset(s);
      const Output& o = outs_[i];
      o.load(c);
      c.f[o.br] -= dc ? s.low : value(s, c.time);
    }
  }

  void acLoadBlock(AcContext& c) override {
    for (const Output& o : outs_) o.acLoad(c);
  }

  void accept(const double* x, double time) override {
    if (lastMode_ == AnalysisMode::DcOp || !(time > 0)) {
      for (Inst& s : shot_) {
        reset(s);
        s.started = false;
      }
      return;
    }
    for (Inst& s : shot_) step(s, x, time);
  }

  void configuration(std::vector<std::uint8_t>& key) const override {
    for (const Inst& s : shot_) key.push_back(s.gen);
  }

  // The step lands just after clk crosses clk_trig in the trigger's direction
  // (while armed) and after clear rises through it, so the pulse starts (and
  // ends) at the crossing rather than at the next time point.
  bool findEvent(const StepView& sv, Event& ev) const override {
    bool found = false;
    for (const Inst& s : shot_) {
      if (!s.started) continue;
      const double c0 = s.clk.v(sv.x0) - s.trig, c1 = s.clk.v(sv.x1) - s.trig;
      const bool edge = s.posEdge ? (c0 <= 0 && c1 > 0) : (c0 >= 0 && c1 < 0);
      if (edge && !s.armed) {
        const double cm1 = sv.xm1 ? s.clk.v(sv.xm1) - s.trig : c0;
        const double t = sv.crossing(cm1, c0, c1, 0.0);
        if (!found || t < ev.time) ev.time = t;
        found = true;
      }
      if (!s.clear.null()) {
        const double k0 = s.clear.v(sv.x0) - s.trig, k1 = s.clear.v(sv.x1) - s.trig;
        if (k0 <= 0 && k1 > 0) {
          const double km1 = sv.xm1 ? s.clear.v(sv.xm1) - s.trig : k0;
          const double t = sv.crossing(km1, k0, k1, 0.0);
          if (!found || t < ev.time) ev.time = t;
          found = true;
        }
      }
    }
    return found;
  }
  using DeviceGroup::findEvent;

  double nextBreakpoint(double t) const override {
    double best = 1e300;
    for (const Inst& s : shot_)
      for (double c : {s.t1, s.t2, s.t3, s.t4})
        if (c > t) best = std::min(best, c);
    return best;
  }

 private:
  struct Inst {
    PortPair clk, cntl{-1, -1}, clear{-1, -1};
    std::vector<double> x, y;
    double trig = 0.5, low = 0, high = 1, riseTime = 1e-9, fallTime = 1e-9, riseDelay = 1e-9, fallDelay = 1e-9;
    bool posEdge = true, retrig = false;
    // the state after the last accepted point
    double t1 = -1, t2 = -1, t3 = -1, t4 = -1, out = 0, clock = 0;
    bool armed = false, locked = false, started = false;  // armed: XSPICE's set (a trigger seen, not re-armed)
    std::uint8_t gen = 0;
  };

  static void reset(Inst& s) {
    s.t1 = s.t2 = s.t3 = s.t4 = -1;
    s.armed = s.locked = false;
    s.out = s.low;
  }

  double pulseWidth(const Inst& s, double u) const {
    const std::vector<double>& x = s.x;
    const std::vector<double>& y = s.y;
    const std::size_t n = x.size();
    if (u <= x[0]) return std::max(0.0, y[0] + (u - x[0]) * (y[1] - y[0]) / (x[1] - x[0]));
    if (u >= x[n - 1]) return y[n - 1] + (u - x[n - 1]) * (y[n - 1] - y[n - 2]) / (x[n - 1] - x[n - 2]);
    std::size_t k = 0;
    while (k + 2 < n && u >= x[k + 1]) ++k;
    return (u - x[k]) / (x[k + 1] - x[k]) * (y[k + 1] - y[k]) + y[k];
  }

  void step(Inst& s, const double* x, double time) {
    if (!s.started) {
      s.started = true;
      s.clock = 0.0;  // (XSPICE compares the first transient point with 0)
    }
    const double clock = s.clk.v(x);
    const double old = s.clock;
    s.clock = clock;
    if (!s.clear.null() && s.clear.v(x) > s.trig) {
      if (s.t1 >= 0) ++s.gen;
      reset(s);
      return;
    }
    bool trig = false;
    if (s.posEdge) {
      if (!s.armed && clock > old && clock > s.trig) trig = s.armed = true;
      else if (s.armed && clock < old && clock < s.trig) s.armed = false;
    } else {
      if (!s.armed && clock < old && clock < s.trig) trig = s.armed = true;
      else if (s.armed && clock > old && clock > s.trig) s.armed = false;
    }
    if (trig && !s.locked) {
      const double pw = pulseWidth(s, s.cntl.null() ? 0.0 : s.cntl.v(x));
      if (s.out - s.low < 1e-20) {
        s.t1 = time + s.riseDelay;
        s.t2 = s.t1 + s.riseTime;
        s.t3 = s.t2 + pw + s.fallDelay;
        s.t4 = s.t3 + s.fallTime;
        if (!s.retrig) s.locked = true;
        ++s.gen;
      } else if (s.out - s.high < 1e-20) {
        s.t3 = time + pw + s.riseDelay + s.fallDelay + s.riseTime;
        s.t4 = s.t3 + s.fallTime;
        ++s.gen;
      }
    }
    s.out = value(s, time);
    if (!(time < s.t4) && !s.retrig) s.locked = false;
  }

  static double value(const Inst& s, double t) {
    if (t < s.t1) return s.low;
    if (t < s.t2) return s.low + (t - s.t1) / (s.t2 - s.t1) * (s.high - s.low);
    if (t < s.t3) return s.high;
    if (t < s.t4) return s.high + (t - s.t3) / (s.t4 - s.t3) * (s.low - s.high);
    return s.low;
  }

  std::vector<Inst> shot_;
  AnalysisMode lastMode_ = AnalysisMode::DcOp;
};

constexpr const char* kOneShotTypes[] = {"oneshot"};
constexpr ParamSpec kOneShotParams[] = {
    mparam("cntl_array", 0.0, "V", "control values of the pulse-width curve, increasing (two or more)").vec(),
    mparam("pw_array", 1e-6, "s", "pulse widths at cntl_array: piecewise linear, extended along the end segments").vec(),
    mparam("clk_trig", 0.5, "V", "trigger level of clk (and of clear)"),
    mparam("pos_edge_trig", 1.0, "", "true: trigger on clk rising through clk_trig; false: falling").words("false true").shown("true"),
    mparam("out_low", 0.0, "V", "output between pulses"),
    mparam("out_high", 1.0, "V", "output during a pulse"),
    mparam("rise_time", 1e-9, "s", "time of the rising ramp (at least 1e-12)"),
    mparam("rise_delay", 1e-9, "s", "delay from the trigger to the rising ramp"),
    mparam("fall_delay", 1e-9, "s", "added to the pulse width before the falling ramp"),
    mparam("fall_time", 1e-9, "s", "time of the falling ramp (at least 1e-12)"),
    mparam("retrig", 0.0, "", "true: a trigger during a pulse extends it").words("false true"),
};

}  // namespace
}  // namespace simcore::dev::block

namespace simcore::dev {

extern const DeviceKind kOneShotKind;
constexpr DeviceKind kOneShotKind{
    .letter = 'a', .name = "monostable (one-shot)", .form = CardForm::CodeModel, .minNodes = 0,
    .maxNodes = 1 << 20, .branches = 1, .modelTypes = block::kOneShotTypes, .params = block::kOneShotParams,
    .modelNoun = "oneshot", .valueDoc = "Aname clk cntl_in clear out model  (cntl_in, clear may be NULL)",
    .create = makeGroup<block::OneShot, kOneShotKind>};

}  // namespace simcore::dev
