// The analog/digital bridges (XSPICE's adc_bridge and dac_bridge, ngspice 39
// semantics).
//   adc_bridge  Aname [in...] [out...] model   (vectors of equal length; a
//     scalar port is a vector of one): out_k is 0 while v(in_k) <= in_low, 1
//     while v(in_k) >= in_high and U between, each change after rise_delay (to
//     1, or to U from 0) or fall_delay. As in ngspice 39 (a hybrid called
//     after each converged analog point), the input is read at the accepted
//     time points (and switching instants), not between them: a change is
//     seen at the first point past a threshold and scheduled at that point
//     plus its delay. At the operating point the outputs follow at once.
//   dac_bridge  Aname [in...] [out...] model: out_k is a voltage source at
//     out_low, out_high or out_undef for an input of 0, 1 or U. When the input
//     changes, the output ramps from where it is to the new level at the slope
//     (out_high - out_low)/t_rise going up, /t_fall going down; the ramp's end
//     is a breakpoint, so the step lands on its corner.
#include <algorithm>
#include <cmath>
#include <string>

#include "devices/block_digital.hpp"

namespace simcore::dev::block {
namespace {

class AdcBridge final : public DigitalGroup {
 public:
  using DigitalGroup::DigitalGroup;

 protected:
  bool analogInput(const ir::Device& d, std::size_t e) const override { return !d.ports.empty() && e < std::size_t(d.ports[0]); }
  Status setupInstance(SetupContext& ctx, std::size_t i, const ir::Model& m) override {
    static constexpr PortShape kShape[] = {currentIn({"in", true}), {"out", true, false, true}};
    const ir::Device& d = *inst_[i];
    auto ports = readPorts(ctx, kind_, d, kShape);
    if (!ports) return ports.takeError();
    const Ports& pt = ports.value();
    if (pt[0].size() != pt[1].size()) return error(d, "needs as many outputs as inputs");
    Inst s;
    s.in = pt[0];
    for (std::size_t k = 0; k < pt[1].size(); ++k) {
      const std::string suffix = "out" + std::to_string(k + 1);  // (the first is the device's own branch)
      addDigitalOutput(ctx, i, pt[1][k], suffix.c_str());
    }
    const ParamValues P = values(d, &m);
    s.lo = P.model("in_low");
    s.hi = P.model("in_high");
    s.rise = P.model("rise_delay");
    s.fall = P.model("fall_delay");
    if (!(s.hi >= s.lo)) return error(d, "in_high must not be below in_low");
    if (!(s.rise > 0) || !(s.fall > 0)) return error(d, "rise_delay and fall_delay must be positive");
    adc_.push_back(std::move(s));
    return {};
  }

  void evaluate(std::size_t i, const double* x, bool) override {
    const Inst& s = adc_[i];
    for (std::size_t k = 0; k < s.in.size(); ++k) {
      const Logic y = state(s, s.in[k].v(x));
      const Logic old = lastDriven(i, k);
      const double delay = y == Logic::One ? s.rise : y == Logic::Zero ? s.fall : old == Logic::Zero ? s.rise : s.fall;
      drive(i, k, y, delay);
    }
  }

 private:
  struct Inst {
    std::vector<PortPair> in;
    double lo = 0.1, hi = 0.9, rise = 1e-9, fall = 1e-9;
  };
  static Logic state(const Inst& s, double v) {
    return v <= s.lo ? Logic::Zero : v >= s.hi ? Logic::One : Logic::Unknown;
  }
  std::vector<Inst> adc_;
};

class DacBridge final : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return true; }

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kShape[] = {{"in", true, false, true}, currentOut({"out", true})};
    const std::size_t n = inst_.size();
    first_.assign(n + 1, 0);
    gen_.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, kShape);
      if (!ports) return ports.takeError();
      const Ports& pt = ports.value();
      if (pt[0].size() != pt[1].size()) return error(d, "needs as many outputs as inputs");
      const ParamValues P = values(d, m.value());
      Params p;
      p.low = P.model("out_low");
      p.high = P.model("out_high");
      p.undef = P.model("out_undef");
      const double tr = P.model("t_rise"), tf = P.model("t_fall");
      if (!(tr > 0) || !(tf > 0)) return error(d, "t_rise and t_fall must be positive");
      if (!(p.high > p.low)) return error(d, "out_high must be above out_low");
      p.up = (p.high - p.low) / tr;
      p.down = (p.high - p.low) / tf;
      p_.push_back(p);
      first_[i] = el_.size();
      for (std::size_t k = 0; k < pt[0].size(); ++k) {
        Element e;
        e.in = pt[0][k];
        const std::string suffix = "out" + std::to_string(k + 1);
        e.out = int(addOutput(ctx, i, pt[1][k], suffix.c_str()));
        el_.push_back(e);
      }
      first_[i + 1] = el_.size();
    }
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (Output& o : outs_) o.bind(b);
  }

  void loadBlock(LoadContext& c) override {
    lastMode_ = c.mode;
    if (c.mode == AnalysisMode::TranInit) return;
    const bool dc = c.mode == AnalysisMode::DcOp;
    dcSeen_ = dcSeen_ || dc;
    for (std::size_t i = 0; i < inst_.size(); ++i)
      for (std::size_t k = first_[i]; k < first_[i + 1]; ++k) {
        Element& e = el_[k];
        if (dc) start(i, e, readLogic(c.x, e.in), c.time, true);
        const Output& o = outs_[std::size_t(e.out)];
        o.load(c);
        c.f[o.br] -= value(e, c.time);
      }
  }

  void acLoadBlock(AcContext& c) override {
    for (const Output& o : outs_) o.acLoad(c);
  }

  void accept(const double* x, double time) override {
    (void)observe(x, time, !dcSeen_ || lastMode_ == AnalysisMode::DcOp);
    dcSeen_ = true;
  }
  // uic: the outputs start at the levels of their inputs, without a ramp
  int settleDigital(double* x) override {
    dcSeen_ = true;
    int changed = 0;
    for (std::size_t i = 0; i < inst_.size(); ++i)
      for (std::size_t k = first_[i]; k < first_[i + 1]; ++k) {
        Element& e = el_[k];
        start(i, e, readLogic(x, e.in), 0.0, true);
        const PortPair& pt = outs_[std::size_t(e.out)].port;
        if (pt.current || pt.p <= 0) continue;
        const double v = (pt.m > 0 ? x[std::size_t(pt.m)] : 0.0) + value(e, 0.0);
        if (x[std::size_t(pt.p)] != v) {
          x[std::size_t(pt.p)] = v;
          ++changed;
        }
      }
    return changed;
  }
  int settle(const double* x, double time) override {
    // (without an operating point (uic): the levels of the inputs there)
    const bool initial = !dcSeen_;
    const int started = observe(x, changedAt(time), initial);
    dcSeen_ = true;
    // a ramp started at the instant, before this solution's time: solved again with the
    // output the ramp has reached (the output does not jump)
    return changedAt(time) < time && !initial ? started : 0;
  }

  void configuration(std::vector<std::uint8_t>& key) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      StateDigest s;
      for (std::size_t k = first_[i]; k < first_[i + 1]; ++k) s.add(el_[k].level);
      key.push_back(s.byte(false, gen_[i]));
    }
  }

  // (the levels come back exactly for up to three elements, without a ramp in progress)
  void setConfiguration(const std::uint8_t*& p) override {
    for (std::size_t i = 0; i < inst_.size(); ++i, ++p) {
      const std::size_t n = first_[i + 1] - first_[i];
      for (std::size_t k = first_[i]; k < first_[i + 1]; ++k) {
        const Logic s = n <= 3 ? Logic((*p >> (2 * (k - first_[i]))) & 3) : el_[k].level;
        start(i, el_[k], s, el_[k].t0, true);
      }
    }
  }

  double nextBreakpoint(double t) const override {
    double best = 1e300;
    for (const Element& e : el_)
      if (e.end > t) best = std::min(best, e.end);
    return best;
  }

 private:
  struct Params {
    double low = 0, high = 1, undef = 0.5, up = 1e9, down = 1e9;
  };
  struct Element {
    PortPair in;
    int out = -1;
    Logic level = Logic::Zero;
    double t0 = 0, y0 = 0, target = 0, slope = 0, end = -1;  // the ramp: from y0 at t0 towards target
  };

  int observe(const double* x, double time, bool dc) {
    int changed = 0;
    for (std::size_t i = 0; i < inst_.size(); ++i)
      for (std::size_t k = first_[i]; k < first_[i + 1]; ++k) {
        Element& e = el_[k];
        const Logic s = readLogic(x, e.in);
        if (s == e.level && !dc) continue;
        start(i, e, s, time, dc);
        ++changed;
      }
    return changed;
  }
  // Input of e changes to s at time t: a new ramp from the present output (at DC: no ramp).
  void start(std::size_t i, Element& e, Logic s, double t, bool dc) {
    const Params& p = p_[i];
    const double target = s == Logic::One ? p.high : s == Logic::Zero ? p.low : p.undef;
    if (s != e.level) ++gen_[i];
    e.level = s;
    if (dc) {
      e.y0 = e.target = target;
      e.t0 = t;
      e.slope = 0;
      e.end = -1;
      return;
    }
    const double y = value(e, t);
    e.y0 = y;
    e.t0 = t;
    e.target = target;
    e.slope = target > y ? p.up : p.down;
    e.end = target == y ? -1 : t + std::fabs(target - y) / e.slope;
  }
  static double value(const Element& e, double t) {
    if (e.end < 0 || t >= e.end) return e.target;
    if (t <= e.t0) return e.y0;
    const double d = e.slope * (t - e.t0);
    return e.target > e.y0 ? std::min(e.target, e.y0 + d) : std::max(e.target, e.y0 - d);
  }

  std::vector<Params> p_;
  std::vector<Element> el_;
  std::vector<std::size_t> first_;
  std::vector<std::uint8_t> gen_;
  AnalysisMode lastMode_ = AnalysisMode::DcOp;
  bool dcSeen_ = false;  // the levels were set at an operating point (else at the first accept)
};

constexpr const char* kAdcTypes[] = {"adc_bridge"};
constexpr ParamSpec kAdcParams[] = {
    mparam("in_low", 0.1, "V", "an input at or below it reads 0"),
    mparam("in_high", 0.9, "V", "an input at or above it reads 1 (between: U)"),
    mparam("rise_delay", 1e-9, "s", "delay of an output change to 1 (or from 0 to U)"),
    mparam("fall_delay", 1e-9, "s", "delay of an output change to 0 (or from 1 to U)"),
};
constexpr const char* kDacTypes[] = {"dac_bridge"};
constexpr ParamSpec kDacParams[] = {
    mparam("out_low", 0.0, "V", "output for a 0"),
    mparam("out_high", 1.0, "V", "output for a 1"),
    mparam("out_undef", 0.5, "V", "output for a U"),
    mparam("input_load", 1e-12, "F", "accepted and ignored"),
    mparam("t_rise", 1e-9, "s", "time of a full rising ramp (out_low to out_high)"),
    mparam("t_fall", 1e-9, "s", "time of a full falling ramp"),
};

}  // namespace
}  // namespace simcore::dev::block

namespace simcore::dev {

extern const DeviceKind kAdcBridgeKind, kDacBridgeKind;
constexpr DeviceKind kAdcBridgeKind{
    .letter = 'a', .name = "analog-to-digital bridge", .form = CardForm::CodeModel, .minNodes = 0,
    .maxNodes = 1 << 20, .branches = 1, .modelTypes = block::kAdcTypes, .params = block::kAdcParams,
    .modelNoun = "adc_bridge", .valueDoc = "Aname [in...] [out...] model  (out digital)",
    .create = makeGroup<block::AdcBridge, kAdcBridgeKind>};
constexpr DeviceKind kDacBridgeKind{
    .letter = 'a', .name = "digital-to-analog bridge", .form = CardForm::CodeModel, .minNodes = 0,
    .maxNodes = 1 << 20, .branches = 1, .modelTypes = block::kDacTypes, .params = block::kDacParams,
    .modelNoun = "dac_bridge", .valueDoc = "Aname [in...] [out...] model  (in digital)",
    .create = makeGroup<block::DacBridge, kDacBridgeKind>};

}  // namespace simcore::dev
