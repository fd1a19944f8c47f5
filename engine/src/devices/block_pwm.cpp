// PWM generator (A card, model type pwm): carrier comparison.
//   Aname ref out [outn] model
// The carrier c(t) runs between cmin and cmax at freq, advanced by phase
// (degrees: at t = 0 it is phase/360 of a period into its cycle): a triangle
// (cmin at the start of a period, cmax at its middle) or a sawtooth (cmin to
// cmax over the period, then back to cmin).
// The comparison is high while v(ref) > c(t); out is vhigh while it is high
// and outn (the complementary output) while it is low, each else vlow. A dead
// time delays every rising edge of both outputs; falling edges are immediate,
// so out and outn are never high together.
//
// Events: the carrier is linear between its corners, which are breakpoints,
// so within a step v(ref) − c(t) is interpolated between its exact values at
// both ends; a constant reference gives exact edge times. A comparison edge
// is taken in accept() with the carrier just after the accepted time (at a
// sawtooth's reset that is cmin); a delayed edge is a breakpoint (and an
// event, for SPICE mode) at edge + deadtime, taken in the accept at that time.
// The configuration byte holds the comparison and both outputs.
#include <cmath>
#include <limits>

#include "devices/block_common.hpp"

namespace simcore::dev::block {
namespace {

constexpr double kNever = 1e300;

enum : std::uint8_t { kCmp = 1, kOut = 2, kOutN = 4 };

class Pwm final : public BlockGroup {
 public:
  static constexpr int kMaxFlips = 8;
  using BlockGroup::BlockGroup;

  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return true; }

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kShape[] = {{"ref"}, {"out"}, {"outn", false, true}};
    const std::size_t n = inst_.size();
    ref_.resize(n); p_.resize(n); out_.resize(n); outn_.assign(n, -1);
    st_.assign(n, 0); flips_.assign(n, 0); edge_.assign(n, 0.0); prevT_.assign(n, 0.0); prevD_.assign(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, kShape);
      if (!ports) return ports.takeError();
      const Ports& pt = ports.value();
      ref_[i] = pt[0][0];
      out_[i] = int(addOutput(ctx, i, pt[1][0], "out"));
      if (!pt[2].empty()) outn_[i] = int(addOutput(ctx, i, pt[2][0], "outn"));
      const ParamValues P = values(d, m.value());
      Params& p = p_[i];
      const double f = P.model("freq");
      if (!(f > 0) || !std::isfinite(f)) return error(d, "freq must be positive (freq= is required)");
      p.period = 1.0 / f;
      const double carrier = P.model("carrier");
      if (carrier != 0.0 && carrier != 1.0) return error(d, "carrier must be triangle or sawtooth");
      p.sawtooth = carrier == 1.0;
      p.phase = P.model("phase") / 360.0;
      p.phase -= std::floor(p.phase);
      p.vlow = P.model("vlow");
      p.vhigh = P.model("vhigh");
      p.dead = P.model("deadtime");
      p.cmin = P.model("cmin");
      p.cmax = P.model("cmax");
      if (!(p.cmax > p.cmin)) return error(d, "cmax must be above cmin");
      if (!(p.dead >= 0) || !(p.dead < p.period)) return error(d, "deadtime must be >= 0 and shorter than a period");
    }
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (Output& o : outs_) o.bind(b);
  }

  void loadBlock(LoadContext& c) override {
    lastMode_ = c.mode;
    for (std::size_t i = 0, n = inst_.size(); i < n; ++i) {
      if (c.mode == AnalysisMode::TranInit) continue;  // no charges; the state changes in accept()
      if (c.mode == AnalysisMode::DcOp) {
        // at the operating point (t = 0) the outputs follow the comparison, without dead time
        const double d = diff(i, c.x, c.time, true);
        if (c.initJunctions) {
          st_[i] = steady(decide(i, c.x, c.time));
          flips_[i] = 0;
        } else {
          const bool cmp = decide(i, c.x, c.time);
          if (cmp != bool(st_[i] & kCmp) && flips_[i] < kMaxFlips) {
            st_[i] = steady(cmp);
            ++flips_[i];
            ++c.noncon;
          }
        }
        edge_[i] = -kNever;
        prevT_[i] = c.time;
        prevD_[i] = d;
      }
      const Output& o = outs_[std::size_t(out_[i])];
      o.load(c);
      c.f[o.br] -= (st_[i] & kOut) ? p_[i].vhigh : p_[i].vlow;
      if (outn_[i] >= 0) {
        const Output& on = outs_[std::size_t(outn_[i])];
        on.load(c);
        c.f[on.br] -= (st_[i] & kOutN) ? p_[i].vhigh : p_[i].vlow;
      }
    }
  }

  void acLoadBlock(AcContext& c) override {
    for (const Output& o : outs_) o.acLoad(c);
  }

  void accept(const double* x, double time) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      flips_[i] = 0;
      if (lastMode_ == AnalysisMode::DcOp) continue;
      const double d = diff(i, x, time, true);
      const bool cmp = decide(i, x, time);
      if (cmp != bool(st_[i] & kCmp)) {
        // where the comparison crossed inside the step; at a carrier jump, the jump
        const double dLeft = diff(i, x, time, false);
        double at = time;
        if ((prevD_[i] > 0) != (dLeft > 0) && prevD_[i] != dLeft && time > prevT_[i])
          at = prevT_[i] + crossingFraction(prevD_[i], dLeft, 0.0) * (time - prevT_[i]);
        edge(i, cmp, at);
      }
      delayed(i, time);
      prevT_[i] = time;
      prevD_[i] = d;
    }
  }

  int settle(const double* x, double time) override {
    int changed = 0;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const std::uint8_t before = st_[i];
      const bool cmp = decide(i, x, time);
      if (cmp != bool(st_[i] & kCmp)) edge(i, cmp, time);
      delayed(i, time);
      changed += st_[i] != before;
    }
    return changed;
  }

  void configuration(std::vector<std::uint8_t>& key) const override { key.insert(key.end(), st_.begin(), st_.end()); }

  double nextBreakpoint(double t) const override {
    double best = kNever;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const Params& p = p_[i];
      // corners at u = t/T + phase integral (and half-integral for a triangle)
      const double step = p.sawtooth ? 1.0 : 0.5;
      const double u = t / p.period + p.phase;
      double k = std::floor(u / step) * step;
      double tc = (k - p.phase) * p.period;
      while (tc <= t + 1e-9 * p.period) {
        k += step;
        tc = (k - p.phase) * p.period;
      }
      best = std::min(best, tc);
      const double due = pendingDue(i);
      if (due > t) best = std::min(best, due);
    }
    return best;
  }

  bool findEvent(const double* x0, const double* x1, double t0, double t1, Event& ev) const override {
    bool found = false;
    auto consider = [&](double t) {
      if (!found || t < ev.time) ev.time = t;
      found = true;
    };
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      if (decide(i, x1, t1) != bool(st_[i] & kCmp)) {
        const double d0 = diff(i, x0, t0, true), d1 = diff(i, x1, t1, false);
        // no crossing inside the step: the change is the carrier's jump at t1 (a sawtooth reset)
        if ((d0 > 0) == (d1 > 0)) consider(t1);
        else consider(t0 + crossingFraction(d0, d1, 0.0) * (t1 - t0));
      }
      const double due = pendingDue(i);
      if (due > t0 && due <= t1) consider(due);
    }
    return found;
  }

 private:
  struct Params {
    double period = 1, phase = 0, vlow = 0, vhigh = 1, dead = 0, cmin = 0, cmax = 1;
    bool sawtooth = false;
  };

  // v(ref) − c(t); at a carrier jump `after` picks the value just after t.
  double diff(std::size_t i, const double* x, double t, bool after) const {
    return ref_[i].v(x) - carrier(p_[i], t, after);
  }
  static double carrier(const Params& p, double t, bool after) {
    const double u = t / p.period + p.phase;
    double tau = u - std::floor(u);
    const double nearest = std::round(u);
    const bool atStart = std::fabs(u - nearest) <= 1e-9;
    if (atStart) tau = (p.sawtooth && !after) ? 1.0 : 0.0;
    double shape;
    if (p.sawtooth) shape = tau;
    else shape = tau < 0.5 ? 2.0 * tau : 2.0 - 2.0 * tau;
    return p.cmin + (p.cmax - p.cmin) * shape;
  }
  // The comparison just after t: v(ref) > c(t+); within rounding of equality
  // (1e-9 of the carrier's span), where v(ref) − c goes next.
  bool decide(std::size_t i, const double* x, double t) const {
    const Params& p = p_[i];
    const double d = diff(i, x, t, true), eps = 1e-9 * (p.cmax - p.cmin);
    if (d > eps) return true;
    if (d < -eps) return false;
    const double slope = carrierSlope(p, t, true);
    return slope < 0 ? true : slope > 0 ? false : bool(st_[i] & kCmp);
  }
  // dc/dt just after (after) or just before t.
  static double carrierSlope(const Params& p, double t, bool after) {
    const double span = p.cmax - p.cmin;
    if (p.sawtooth) return span / p.period;
    const double v = 2.0 * (t / p.period + p.phase);  // corners at integers: even a valley, odd a peak
    double n = std::floor(v);
    if (std::fabs(v - std::round(v)) <= 2e-9) n = after ? std::round(v) : std::round(v) - 1;
    const bool rising = std::fmod(n, 2.0) == 0.0;
    return (rising ? 2.0 : -2.0) * span / p.period;
  }
  static std::uint8_t steady(bool cmp) { return cmp ? std::uint8_t(kCmp | kOut) : std::uint8_t(kOutN); }

  // The comparison of instance i changed at time `at`: falling edges now,
  // rising edges after the dead time.
  void edge(std::size_t i, bool cmp, double at) {
    edge_[i] = at;
    std::uint8_t s = cmp ? kCmp : 0;
    if (p_[i].dead == 0) s |= cmp ? kOut : kOutN;
    st_[i] = s;
  }
  // A delayed rising edge whose time has come (at `time`, within rounding).
  void delayed(std::size_t i, double time) {
    const double due = pendingDue(i);
    if (due >= kNever || time < due - 1e-9 * p_[i].period) return;
    st_[i] |= (st_[i] & kCmp) ? kOut : kOutN;
  }
  // The time of instance i's pending delayed edge (kNever when none).
  double pendingDue(std::size_t i) const {
    const bool cmp = st_[i] & kCmp;
    const bool waiting = cmp ? !(st_[i] & kOut) : !(st_[i] & kOutN);
    return waiting ? edge_[i] + p_[i].dead : kNever;
  }

  std::vector<PortPair> ref_;
  std::vector<Params> p_;
  std::vector<int> out_, outn_;  // indices in outs_ (outn_: -1 when absent)
  std::vector<std::uint8_t> st_;
  std::vector<int> flips_;
  std::vector<double> edge_;          // time of the last comparison edge
  std::vector<double> prevT_, prevD_; // last accepted time and v(ref) − c just after it
  AnalysisMode lastMode_ = AnalysisMode::DcOp;
};

constexpr const char* kPwmTypes[] = {"pwm"};
constexpr ParamSpec kPwmParams[] = {
    mparam("freq", kNoDefault, "Hz", "carrier frequency (required)"),
    mparam("carrier", 0.0, "", "carrier shape: triangle or sawtooth").words("triangle sawtooth").shown("triangle"),
    mparam("phase", 0.0, "°", "where in its period the carrier is at t = 0 (advance, in degrees)"),
    mparam("vlow", 0.0, "V", "output low level"),
    mparam("vhigh", 1.0, "V", "output high level"),
    mparam("deadtime", 0.0, "s", "delay of every rising edge of out and outn"),
    mparam("cmin", 0.0, "V", "carrier minimum"),
    mparam("cmax", 1.0, "V", "carrier maximum"),
};

}  // namespace
}  // namespace simcore::dev::block

namespace simcore::dev {

extern const DeviceKind kPwmKind;
constexpr DeviceKind kPwmKind{
    .letter = 'a', .name = "PWM generator", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 1, .modelTypes = block::kPwmTypes, .params = block::kPwmParams, .modelNoun = "pwm",
    .valueDoc = "Aname ref out [outn] model  (.model M pwm(freq=...))",
    .create = makeGroup<block::Pwm, kPwmKind>};

}  // namespace simcore::dev
