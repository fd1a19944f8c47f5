// XSPICE's real-valued event nodes and their code models (ngspice 39's
// xtraevt library). A real node is an ordinary node whose voltage is its
// value: the sum of its drivers' values, as XSPICE resolves several drivers
// (each real output injects its value as a current into a shared 1 S to
// ground, block_digital.hpp); 0 with none. Outputs start at 0. Like the digital models, these are evaluated at accepted time
// points and switching instants, never inside Newton (block_digital.hpp).
//   d_to_real  Aname in enable out model  (enable may be NULL: enabled)
//     out = zero, one or (zero + one)/2 for in = 0, 1, U, times 0 while enable
//     is not 1; each change after `delay` (none at the operating point).
//   real_gain  Aname in out model: out = gain·(in + in_offset) + out_offset,
//     after `delay` from each change of in and once from time `delay` (XSPICE
//     wakes the model then); ic at the operating point.
//   real_delay  Aname in clk out model: at each change of clk to 1, out takes
//     the value of in after `delay`; 0 until the first.
//   real_to_v  Aname in out model  (out %v or %vd): a voltage gain·in at the
//     operating point; when in changes, the output ramps over
//     transition_time from the ramp's present (unscaled) value to the new
//     value. As in ngspice 39 gain scales only the ramp's rise inside the
//     ramp (v0 + gain·(v1 - v0)·fraction) and the levels outside it (gain·v).
#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

#include "devices/block_digital.hpp"

namespace simcore::dev::block {
namespace {

// Whether a real node's value changed. It comes out of the Newton solution,
// exact only to its tolerance: a change within 1e-9 relative plus 1e-6
// absolute (SPICE's vntol) is not an event.
bool changed(double now, double before) {
  return std::fabs(now - before) > 1e-9 * std::max(std::fabs(now), std::fabs(before)) + 1e-6;
}

// Base of the kinds with a real output: the number of real outputs on each node.
class RealOutputGroup : public DigitalGroup {
 public:
  using DigitalGroup::DigitalGroup;

 protected:
  // Adds instance i's real output on `at`, sharing its node with the other real outputs there.
  void addShared(SetupContext& ctx, const PortPair& at) {
    if (!counted_) {
      counted_ = true;
      // every real output of the circuit: the last element of a d_to_real, real_gain or real_delay
      const ir::Circuit& c = ctx.circuit();
      for (const ir::Device& d : c.devices) {
        if (d.model < 0 || d.nodes.size() < 2 || d.ports.empty()) continue;  // (code models have ports)
        const std::string& type = c.models[std::size_t(d.model)].type;
        if (type != "d_to_real" && type != "real_gain" && type != "real_delay") continue;
        const std::string& n = d.nodes[d.nodes.size() - 2];
        if (n != "0") ++drivers_[ctx.node(n)];
      }
    }
    auto it = drivers_.find(at.p);
    addRealOutput(at, it == drivers_.end() ? 1 : it->second);
  }

 private:
  bool counted_ = false;
  std::unordered_map<Index, int> drivers_;
};

class DToReal final : public RealOutputGroup {
 public:
  using RealOutputGroup::RealOutputGroup;

 protected:
  Status setupInstance(SetupContext& ctx, std::size_t i, const ir::Model& m) override {
    static constexpr PortShape kShape[] = {
        {"in", false, false, true}, {"enable", false, false, true, true}, {"out", false, false, true}};
    const ir::Device& d = *inst_[i];
    auto ports = readPorts(ctx, kind_, d, kShape);
    if (!ports) return ports.takeError();
    Inst s;
    s.in = ports.value()[0][0];
    s.enable = ports.value()[1][0];
    addShared(ctx, ports.value()[2][0]);
    const ParamValues P = values(d, &m);
    s.zero = P.model("zero");
    s.one = P.model("one");
    s.delay = P.model("delay");
    if (!(s.delay >= 1e-15)) return error(d, "delay must be at least 1e-15 s");
    inst_data_.push_back(s);
    return {};
  }

  void evaluate(std::size_t i, const double* x, bool dc) override {
    const Inst& s = inst_data_[i];
    const Logic in = readLogic(x, s.in);
    const double ena = s.enable.null() || readLogic(x, s.enable) == Logic::One ? 1.0 : 0.0;
    const double v = in == Logic::Zero ? s.zero * ena : in == Logic::Unknown ? (s.zero + s.one) / 2.0 * ena : s.one * ena;
    driveReal(i, 0, v, dc ? 0.0 : s.delay);
  }

 private:
  struct Inst {
    PortPair in, enable{-1, -1};
    double zero = 0, one = 1, delay = 1e-9;
  };
  std::vector<Inst> inst_data_;
};

class RealGain final : public RealOutputGroup {
 public:
  using RealOutputGroup::RealOutputGroup;

 protected:
  Status setupInstance(SetupContext& ctx, std::size_t i, const ir::Model& m) override {
    static constexpr PortShape kShape[] = {{"in", false, false, true}, {"out", false, false, true}};
    const ir::Device& d = *inst_[i];
    auto ports = readPorts(ctx, kind_, d, kShape);
    if (!ports) return ports.takeError();
    Inst s;
    s.in = ports.value()[0][0];
    addShared(ctx, ports.value()[1][0]);
    const ParamValues P = values(d, &m);
    s.inOffset = P.model("in_offset");
    s.gain = P.model("gain");
    s.outOffset = P.model("out_offset");
    s.delay = P.model("delay");
    s.ic = P.model("ic");
    if (!(s.delay > 0)) return error(d, "delay must be positive");
    gain_.push_back(s);
    return {};
  }

  void evaluate(std::size_t i, const double* x, bool dc) override {
    Inst& s = gain_[i];
    const double in = s.in.v(x);
    if (dc) {
      s.seen = in;
      s.woken = false;
      driveReal(i, 0, s.ic, 0.0);
      return;
    }
    bool call = changed(in, s.seen);
    if (call) s.seen = in;
    if (!s.woken && now() >= s.delay * (1 - 1e-9)) {
      s.woken = true;
      call = true;
    }
    if (call) driveReal(i, 0, s.gain * (in + s.inOffset) + s.outOffset, s.delay);
  }

  double selfBreakpoint(std::size_t i, double t) const override {
    const Inst& s = gain_[i];
    return !s.woken && s.delay > t ? s.delay : kNever;
  }

 private:
  struct Inst {
    PortPair in;
    double inOffset = 0, gain = 1, outOffset = 0, delay = 1e-9, ic = 0;
    double seen = 0;      // the input at the last evaluation
    bool woken = false;   // the wake-up at time `delay` is done
  };
  std::vector<Inst> gain_;
};

class RealDelay final : public RealOutputGroup {
 public:
  using RealOutputGroup::RealOutputGroup;

 protected:
  Status setupInstance(SetupContext& ctx, std::size_t i, const ir::Model& m) override {
    static constexpr PortShape kShape[] = {
        {"in", false, false, true}, {"clk", false, false, true}, {"out", false, false, true}};
    const ir::Device& d = *inst_[i];
    auto ports = readPorts(ctx, kind_, d, kShape);
    if (!ports) return ports.takeError();
    Inst s;
    s.in = ports.value()[0][0];
    s.clk = ports.value()[1][0];
    addShared(ctx, ports.value()[2][0]);
    s.delay = values(d, &m).model("delay");
    if (!(s.delay >= 1e-15)) return error(d, "delay must be at least 1e-15 s");
    delay_.push_back(s);
    return {};
  }

  void evaluate(std::size_t i, const double* x, bool dc) override {
    Inst& s = delay_[i];
    const Logic clk = readLogic(x, s.clk);
    const bool edge = !dc && clk != s.clk0 && clk == Logic::One;
    s.clk0 = clk;
    if (edge) driveReal(i, 0, s.in.v(x), s.delay);
  }

 private:
  struct Inst {
    PortPair in, clk;
    double delay = 1e-9;
    Logic clk0 = Logic::Zero;
  };
  std::vector<Inst> delay_;
};

class RealToV final : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return true; }

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kShape[] = {{"in", false, false, true}, currentOut({"out"})};
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, kShape);
      if (!ports) return ports.takeError();
      Inst s;
      s.in = ports.value()[0][0];
      addOutput(ctx, i, ports.value()[1][0], "out");
      const ParamValues P = values(d, m.value());
      s.gain = P.model("gain");
      s.tt = P.model("transition_time");
      if (!(s.tt >= 1e-15)) return error(d, "transition_time must be at least 1e-15 s");
      conv_.push_back(s);
    }
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      outs_[i].bind(b);
      conv_[i].stamp.bind(b, outs_[i].br, conv_[i].in);
    }
  }

  void loadBlock(LoadContext& c) override {
    lastMode_ = c.mode;
    if (recordsOnly(c.mode)) return;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      Inst& s = conv_[i];
      const Output& o = outs_[i];
      o.load(c);
      if (c.mode == AnalysisMode::DcOp) {
        // gain·in, with its derivative (the input is a real node's voltage)
        dcSeen_ = true;
        s.v0 = s.v1 = s.seen = s.in.v(c.x);
        s.t0 = -2;
        s.t1 = -1;
        s.stamp.add(c, o.br, s.in, -s.gain);
        continue;
      }
      c.f[o.br] -= value(s, c.time);
    }
  }

  void acLoadBlock(AcContext& c) override {
    for (const Output& o : outs_) o.acLoad(c);  // (no small-signal part, as in XSPICE)
  }

  void accept(const double* x, double time) override {
    observe(x, time, !dcSeen_ || lastMode_ == AnalysisMode::DcOp);
    dcSeen_ = true;
  }
  int settle(const double* x, double time) override {
    const int started = observe(x, changedAt(time), !dcSeen_);
    dcSeen_ = true;
    // a ramp started at the instant, before this solution's time: solved again with the
    // output the ramp has reached (the output does not jump)
    return changedAt(time) < time ? started : 0;
  }

  void configuration(std::vector<std::uint8_t>& key) const override {
    for (const Inst& s : conv_) key.push_back(s.gen);
  }

  double nextBreakpoint(double t) const override {
    double best = 1e300;
    for (const Inst& s : conv_)
      if (s.t1 > t) best = std::min(best, s.t1);
    return best;
  }

 private:
  struct Inst {
    PortPair in;
    double gain = 1, tt = 1e-9;
    InputStamp stamp;
    double t0 = -2, t1 = -1, v0 = 0, v1 = 0;  // the ramp from v0 at t0 to v1 at t1 (unscaled)
    double seen = 0;                           // the input at the last observation
    std::uint8_t gen = 0;
  };

  // The ramps the inputs start at `time`; how many started.
  int observe(const double* x, double time, bool initial) {
    int started = 0;
    for (Inst& s : conv_) {
      const double in = s.in.v(x);
      if (initial) {
        s.v0 = s.v1 = s.seen = in;
        s.t0 = -2;
        s.t1 = -1;
        continue;
      }
      if (!changed(in, s.seen)) continue;
      ++started;
      s.seen = in;
      ++s.gen;
      if (time < s.t1) s.v0 = s.v0 + (s.v1 - s.v0) * (time - s.t0) / (s.t1 - s.t0);
      else s.v0 = s.v1;
      s.v1 = in;
      s.t0 = time;
      s.t1 = time + s.tt;
    }
    return started;
  }
  static double value(const Inst& s, double t) {
    if (t <= s.t0) return s.v0 * s.gain;
    if (t >= s.t1) return s.v1 * s.gain;
    return s.v0 + (s.v1 - s.v0) * (t - s.t0) / (s.t1 - s.t0) * s.gain;
  }

  std::vector<Inst> conv_;
  AnalysisMode lastMode_ = AnalysisMode::DcOp;
  bool dcSeen_ = false;
};

constexpr const char* kDToRealTypes[] = {"d_to_real"};
constexpr ParamSpec kDToRealParams[] = {
    mparam("zero", 0.0, "", "the value for a 0"),
    mparam("one", 1.0, "", "the value for a 1 (a U: halfway)"),
    mparam("delay", 1e-9, "s", "delay of each change"),
};
constexpr const char* kRealGainTypes[] = {"real_gain"};
constexpr ParamSpec kRealGainParams[] = {
    mparam("in_offset", 0.0, "", "added to the input"),
    mparam("gain", 1.0, "", "gain"),
    mparam("out_offset", 0.0, "", "added to the output"),
    mparam("delay", 1e-9, "s", "delay of each change"),
    mparam("ic", 0.0, "", "the output at the operating point"),
};
constexpr const char* kRealDelayTypes[] = {"real_delay"};
constexpr ParamSpec kRealDelayParams[] = {
    mparam("delay", 1e-9, "s", "delay from the clock's rising edge"),
};
constexpr const char* kRealToVTypes[] = {"real_to_v"};
constexpr ParamSpec kRealToVParams[] = {
    mparam("gain", 1.0, "", "volts per unit of the input"),
    mparam("transition_time", 1e-9, "s", "time of the ramp to a new input value"),
};

}  // namespace
}  // namespace simcore::dev::block

namespace simcore::dev {

#define SIMCORE_REAL_KIND(VAR, NAME, TYPES, PARAMS, NOUN, DOC, GROUP, BRANCHES)                              \
  extern const DeviceKind VAR;                                                                                 \
  constexpr DeviceKind VAR {                                                                                   \
    .letter = 'a', .name = NAME, .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,              \
    .branches = BRANCHES,                                                                                      \
    .modelTypes = block::TYPES, .params = block::PARAMS, .modelNoun = NOUN, .valueDoc = DOC,                  \
    .create = makeGroup<GROUP, VAR>                                                                            \
  }

SIMCORE_REAL_KIND(kDToRealKind, "digital-to-real bridge", kDToRealTypes, kDToRealParams, "d_to_real",
                  "Aname in enable out model  (enable may be NULL; out a real node)", block::DToReal, 0);
SIMCORE_REAL_KIND(kRealGainKind, "real gain", kRealGainTypes, kRealGainParams, "real_gain",
                  "Aname in out model  (real nodes)", block::RealGain, 0);
SIMCORE_REAL_KIND(kRealDelayKind, "real delay", kRealDelayTypes, kRealDelayParams, "real_delay",
                  "Aname in clk out model  (in, out real nodes; clk digital)", block::RealDelay, 0);
SIMCORE_REAL_KIND(kRealToVKind, "real-to-voltage bridge", kRealToVTypes, kRealToVParams, "real_to_v",
                  "Aname in out model  (in a real node; out %v or %vd)", block::RealToV, 1);

#undef SIMCORE_REAL_KIND

}  // namespace simcore::dev
