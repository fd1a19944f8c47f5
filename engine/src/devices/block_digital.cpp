// Digital code models (XSPICE's digital library, ngspice 39 semantics): gates,
// flip-flops and latches, the controlled oscillator, pull-ups and pull-downs.
//   d_and d_nand d_or d_nor d_xor d_xnor   Aname [in...] out model
//   d_buffer d_inverter                    Aname in out model
//     an output change is delayed by rise_delay (to 1) or fall_delay (to 0; to
//     U: rise_delay from 0, else fall_delay). AND gives 0 when an input is 0,
//     1 when all are 1, else U; OR dually; XOR is U when an input is U.
//   d_dff  Aname data clk set reset out nout model     (set, reset, out, nout may be NULL)
//   d_jkff Aname j k clk set reset out nout model
//   d_tff  Aname t clk set reset out nout model
//   d_srff Aname s r clk set reset out nout model
//   d_dlatch Aname data enable set reset out nout model
//     a change of set (else of reset) sets (resets) the state after set_delay
//     (reset_delay); both at 1 give U. Otherwise, with set and reset not 1, a
//     clock change to 1 loads the next state after clk_delay (the latch: an
//     enable change to 1 loads data after enable_delay, a data change while
//     enabled after data_delay). Each output adds its rise_delay or
//     fall_delay; nout is the complement (U stays U). At the operating point
//     the state is ic (0, 1, or 2 for U; the latch: data when enabled), set and
//     reset applied.
//   d_osc  Aname cntl out model: phase advances at freq (cntl_array/freq_array,
//     piecewise linear in v(cntl), extrapolated), from init_phase (degrees);
//     within each cycle the output is 0 for the first 1 - duty_cycle of it and
//     1 after; it starts at 0 and rises first at the next such edge.
//   d_pwm  Aname cntl out model: as d_osc at a fixed frequency, with the duty
//     cycle piecewise linear in v(cntl) (cntl_array/dc_array, extrapolated,
//     clamped to [0, 1]).
//   d_pullup / d_pulldown  Aname out model: a constant 1 / 0 of resistive
//     strength (a resolved output: any strong driver on the node wins).
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <span>

#include "devices/block_digital.hpp"

namespace simcore::dev::block {
namespace {

bool allPositive(std::initializer_list<double> delays) {
  for (double v : delays)
    if (!(v > 0) || !std::isfinite(v)) return false;
  return true;
}

bool allNonNegative(std::initializer_list<double> delays) {
  for (double v : delays)
    if (!(v >= 0) || !std::isfinite(v)) return false;
  return true;
}

// ---- gates
enum class GateFn { And, Nand, Or, Nor, Xor, Xnor, Buffer, Inverter };

template <GateFn Fn>
class Gate final : public DigitalGroup {
 public:
  using DigitalGroup::DigitalGroup;

 protected:
  static constexpr bool kSingle = Fn == GateFn::Buffer || Fn == GateFn::Inverter;

  Status setupInstance(SetupContext& ctx, std::size_t i, const ir::Model& m) override {
    static constexpr PortShape kShape[] = {{"in", !kSingle, false, true}, {"out", false, false, true}};
    const ir::Device& d = *inst_[i];
    auto ports = readPorts(ctx, kind_, d, kShape);
    if (!ports) return ports.takeError();
    if (!kSingle && ports.value()[0].size() < 2) return error(d, "needs at least two inputs ([in1 in2 ...])");
    in_.push_back(ports.value()[0]);
    addDigitalOutput(ctx, i, ports.value()[1][0], "out");
    const ParamValues P = values(d, &m);
    Delays del{P.model("rise_delay"), P.model("fall_delay")};
    if (!allPositive({del.rise, del.fall})) return error(d, "rise_delay and fall_delay must be positive");
    delay_.push_back(del);
    return {};
  }

  void evaluate(std::size_t i, const double* x, bool) override {
    const std::vector<PortPair>& in = in_[i];
    Logic y;
    if constexpr (Fn == GateFn::Buffer || Fn == GateFn::Inverter) {
      y = readLogic(x, in[0]);
    } else if constexpr (Fn == GateFn::And || Fn == GateFn::Nand) {
      y = Logic::One;
      for (const PortPair& p : in) {
        const Logic s = readLogic(x, p);
        if (s == Logic::Zero) { y = Logic::Zero; break; }
        if (s == Logic::Unknown) y = Logic::Unknown;
      }
    } else if constexpr (Fn == GateFn::Or || Fn == GateFn::Nor) {
      y = Logic::Zero;
      for (const PortPair& p : in) {
        const Logic s = readLogic(x, p);
        if (s == Logic::One) { y = Logic::One; break; }
        if (s == Logic::Unknown) y = Logic::Unknown;
      }
    } else {
      bool odd = false, unknown = false;
      for (const PortPair& p : in) {
        const Logic s = readLogic(x, p);
        unknown = unknown || s == Logic::Unknown;
        odd = odd != (s == Logic::One);
      }
      y = unknown ? Logic::Unknown : odd ? Logic::One : Logic::Zero;
    }
    if constexpr (Fn == GateFn::Nand || Fn == GateFn::Nor || Fn == GateFn::Xnor || Fn == GateFn::Inverter) y = toggled(y);
    const Logic old = lastDriven(i, 0);
    const Delays& del = delay_[i];
    const double delay = y == Logic::One ? del.rise : y == Logic::Zero ? del.fall : old == Logic::Zero ? del.rise : del.fall;
    drive(i, 0, y, delay);
  }

 private:
  struct Delays {
    double rise = 1e-9, fall = 1e-9;
  };
  std::vector<std::vector<PortPair>> in_;
  std::vector<Delays> delay_;
};

// ---- flip-flops and the latch
enum class FfFn { D, Jk, T, Sr, Latch };

template <FfFn Fn>
class FlipFlop final : public DigitalGroup {
 public:
  using DigitalGroup::DigitalGroup;

 protected:
  static constexpr int kData = Fn == FfFn::Jk || Fn == FfFn::Sr ? 2 : 1;  // data inputs before clk

  Status setupInstance(SetupContext& ctx, std::size_t i, const ir::Model& m) override {
    static constexpr PortShape kD[] = {{"data", false, false, true}, {"clk", false, false, true},
                                       {"set", false, false, true, true}, {"reset", false, false, true, true},
                                       {"out", false, false, true, true}, {"nout", false, false, true, true}};
    static constexpr PortShape kJk[] = {{"j", false, false, true}, {"k", false, false, true},
                                        {"clk", false, false, true}, {"set", false, false, true, true},
                                        {"reset", false, false, true, true}, {"out", false, false, true, true},
                                        {"nout", false, false, true, true}};
    static constexpr PortShape kT[] = {{"t", false, false, true}, {"clk", false, false, true},
                                       {"set", false, false, true, true}, {"reset", false, false, true, true},
                                       {"out", false, false, true, true}, {"nout", false, false, true, true}};
    static constexpr PortShape kSr[] = {{"s", false, false, true}, {"r", false, false, true},
                                        {"clk", false, false, true}, {"set", false, false, true, true},
                                        {"reset", false, false, true, true}, {"out", false, false, true, true},
                                        {"nout", false, false, true, true}};
    static constexpr PortShape kLatch[] = {{"data", false, false, true}, {"enable", false, false, true},
                                           {"set", false, false, true, true}, {"reset", false, false, true, true},
                                           {"out", false, false, true, true}, {"nout", false, false, true, true}};
    std::span<const PortShape> shape = Fn == FfFn::D ? std::span<const PortShape>(kD)
                                       : Fn == FfFn::Jk ? std::span<const PortShape>(kJk)
                                       : Fn == FfFn::T ? std::span<const PortShape>(kT)
                                       : Fn == FfFn::Sr ? std::span<const PortShape>(kSr)
                                                        : std::span<const PortShape>(kLatch);
    const ir::Device& d = *inst_[i];
    auto ports = readPorts(ctx, kind_, d, shape);
    if (!ports) return ports.takeError();
    const Ports& pt = ports.value();
    Inst s;
    s.a = pt[0][0];
    if (kData == 2) s.b = pt[1][0];
    s.clk = pt[kData][0];
    s.set = pt[kData + 1][0];
    s.reset = pt[kData + 2][0];
    addDigitalOutput(ctx, i, pt[kData + 3][0], "out");
    addDigitalOutput(ctx, i, pt[kData + 4][0], "nout");
    const ParamValues P = values(d, &m);
    if constexpr (Fn == FfFn::Latch) {
      s.clkDelay = P.model("enable_delay");
      s.dataDelay = P.model("data_delay");
    } else {
      s.clkDelay = P.model("clk_delay");
    }
    s.setDelay = P.model("set_delay");
    s.resetDelay = P.model("reset_delay");
    s.rise = P.model("rise_delay");
    s.fall = P.model("fall_delay");
    const double ic = P.model("ic");
    if (ic != 0 && ic != 1 && ic != 2) return error(d, "ic must be 0, 1 or 2 (U)");
    s.ic = logicOf(ic);
    // an output changes after the delay of its cause plus rise_delay or
    // fall_delay, so those two must be positive and the others may be 0 (as
    // ngspice runs its delta-sigma example's set_delay = 0)
    if (!allPositive({s.rise, s.fall})) return error(d, "rise_delay and fall_delay must be positive");
    if (!allNonNegative({s.clkDelay, s.dataDelay, s.setDelay, s.resetDelay}))
      return error(d, "its clk, data, set and reset delays must not be negative");
    s.q = s.ic;
    ff_.push_back(s);
    return {};
  }

  void evaluate(std::size_t i, const double* x, bool dc) override {
    Inst& s = ff_[i];
    const Logic a = readLogic(x, s.a), b = kData == 2 ? readLogic(x, s.b) : Logic::Zero;
    const Logic clk = readLogic(x, s.clk), set = readLogic(x, s.set), reset = readLogic(x, s.reset);
    const Logic old = s.q;
    Logic q = old;
    double delay = 0;
    if (dc) {
      q = s.ic;
      if (Fn == FfFn::Latch && clk == Logic::One) q = a;
      if (set == Logic::One && reset == Logic::Zero) q = Logic::One;
      if (set == Logic::Zero && reset == Logic::One) q = Logic::Zero;
      if (set == Logic::One && reset == Logic::One) q = Logic::Unknown;
    } else if (set != s.set0) {
      delay = s.setDelay;
      if (set == Logic::One) q = reset == Logic::One ? Logic::Unknown : Logic::One;
      else if (reset == Logic::One) q = Logic::Zero;
    } else if (reset != s.reset0) {
      delay = s.resetDelay;
      if (reset == Logic::One) q = set == Logic::One ? Logic::Unknown : Logic::Zero;
      else if (set == Logic::One) q = Logic::One;
    } else if (set != Logic::One && reset != Logic::One) {
      if constexpr (Fn == FfFn::Latch) {
        if (clk != s.clk0) {
          if (clk == Logic::One) {
            q = a;
            delay = s.clkDelay;
          }
        } else if (a != s.a0 && clk == Logic::One) {
          q = a;
          delay = s.dataDelay;
        }
      } else if (clk != s.clk0 && clk == Logic::One) {
        q = next(a, b, old);
        delay = s.clkDelay;
      }
    }
    s.a0 = a;
    s.b0 = b;
    s.clk0 = clk;
    s.set0 = set;
    s.reset0 = reset;
    if (dc) {
      s.q = q;
      drive(i, 0, q, 0);
      drive(i, 1, toggled(q), 0);
      return;
    }
    if (q == old) return;
    s.q = q;
    const bool rising = q == Logic::One || (q == Logic::Unknown && old == Logic::Zero);
    drive(i, 0, q, delay + (rising ? s.rise : s.fall));
    drive(i, 1, toggled(q), delay + (rising ? s.fall : s.rise));
  }

 private:
  struct Inst {
    PortPair a, b, clk, set{-1, -1}, reset{-1, -1};
    double clkDelay = 1e-9, dataDelay = 1e-9, setDelay = 1e-9, resetDelay = 1e-9, rise = 1e-9, fall = 1e-9;
    Logic ic = Logic::Zero, q = Logic::Zero;
    Logic a0 = Logic::Zero, b0 = Logic::Zero, clk0 = Logic::Zero, set0 = Logic::Zero, reset0 = Logic::Zero;
  };
  // The state a clock edge loads.
  static Logic next(Logic a, Logic b, Logic q) {
    if constexpr (Fn == FfFn::D) {
      return a;
    } else if constexpr (Fn == FfFn::T) {
      return a == Logic::One ? toggled(q) : a == Logic::Zero ? q : Logic::Unknown;
    } else if constexpr (Fn == FfFn::Jk) {
      if (a == Logic::Unknown || b == Logic::Unknown) return Logic::Unknown;
      if (a == Logic::Zero) return b == Logic::Zero ? q : Logic::Zero;
      return b == Logic::Zero ? Logic::One : toggled(q);
    } else {  // SR
      if (a == Logic::Unknown || b == Logic::Unknown) return Logic::Unknown;
      if (a == Logic::Zero) return b == Logic::Zero ? q : Logic::Zero;
      return b == Logic::Zero ? Logic::One : Logic::Unknown;
    }
  }
  std::vector<Inst> ff_;
};

// ---- the controlled oscillator (d_osc) and pulse-width modulator (d_pwm)
template <bool Pwm>
class Osc final : public DigitalGroup {
 public:
  using DigitalGroup::DigitalGroup;

 protected:
  Status setupInstance(SetupContext& ctx, std::size_t i, const ir::Model& m) override {
    static constexpr PortShape kShape[] = {currentIn({"cntl_in"}, kCurI | kCurId), {"out", false, false, true}};
    const ir::Device& d = *inst_[i];
    auto ports = readPorts(ctx, kind_, d, kShape);
    if (!ports) return ports.takeError();
    Inst s;
    s.cntl = ports.value()[0][0];
    addDigitalOutput(ctx, i, ports.value()[1][0], "out");
    const ParamValues P = values(d, &m);
    const char* yName = Pwm ? "dc_array" : "freq_array";
    s.x = P.modelVector("cntl_array");
    s.y = P.modelVector(yName);
    if (s.x.size() != s.y.size() || s.x.size() < 2)
      return error(d, std::string("cntl_array and ") + yName + " need the same number of values, at least two");
    for (std::size_t k = 1; k < s.x.size(); ++k)
      if (!(s.x[k] > s.x[k - 1])) return error(d, "cntl_array must increase");
    if (Pwm) {
      for (double v : s.y)
        if (!(v >= 0 && v <= 1)) return error(d, "dc_array values must be within [0, 1]");
      s.fixedF = P.model("frequency");
      if (!(s.fixedF >= 1e-6)) return error(d, "frequency must be at least 1e-6 Hz");
    } else {
      s.duty = P.model("duty_cycle");
      if (!(s.duty >= 1e-6 && s.duty <= 0.999999)) return error(d, "duty_cycle must be within [1e-6, 0.999999]");
    }
    double ph = P.model("init_phase");
    if (!(ph >= -180 && ph <= 360)) return error(d, "init_phase must be within [-180, 360] degrees");
    if (ph < 0) ph += 360;
    s.phase0 = ph / 360.0;
    s.rise = P.model("rise_delay");
    s.fall = P.model("fall_delay");
    if (!(s.rise >= 0) || !(s.fall >= 0)) return error(d, "rise_delay and fall_delay must not be negative");
    osc_.push_back(s);
    return {};
  }

  void evaluate(std::size_t i, const double* x, bool dc) override {
    Inst& s = osc_[i];
    const double u = s.cntl.v(x);
    double f;
    const double dutyBefore = s.duty;
    if (Pwm) {
      // the duty cycle follows the control at once (clamped to [0, 1]; 0 and 1 themselves are taken as
      // 1e-9 and 1 - 1e-9, a pulse of 1e-9 of the period)
      f = s.fixedF;
      s.duty = std::clamp(pwl(s, u), 1e-9, 1.0 - 1e-9);
    } else {
      f = pwl(s, u);
      if (!(f > 0)) f = 1e-16;
    }
    if (dc) {
      s.phase = s.phase0;
      s.t = now();
      s.f = f;
      s.rate = 0;
      s.high = false;
      s.edge = edgeAfter(s);
      drive(i, 0, Logic::Zero, 0);
      return;
    }
    const double t = now();
    if (!(t > s.t)) return;
    const double tol = std::max(1e-12 * std::fabs(t), 1e-9 * (t - s.t));
    if (Pwm && !s.high && t < s.edge - tol) {
      // the duty cycle grew since the edge was predicted: a phase already past the rise point of
      // its cycle rises now
      const double ph = s.phase + s.f * (t - s.t), cyc = std::floor(s.phase);
      if (ph >= cyc + 1.0 - s.duty && ph < cyc + 1.0) {
        s.edge = t;
        s.edgePhase = ph;
      }
    }
    if (t >= s.edge - tol) {
      // an edge: the phase is the edge's own, exactly
      s.phase = s.edgePhase;
      s.high = !s.high;
      drive(i, 0, s.high ? Logic::One : Logic::Zero, s.high ? s.rise : s.fall);
      s.phase += s.f * (t - s.edge);
    } else {
      s.phase += s.f * (t - s.t);
    }
    // the duty cycle's rate over the last step, extrapolated to predict the next rise
    if (Pwm) s.rate = (s.duty - dutyBefore) / (t - s.t);
    // only the phase within its cycle matters: kept in [0, 1), so that its
    // rounding stays far below the tolerances of edgeAfter (a phase of
    // thousands of cycles, a few microseconds of a GHz oscillator, rounds
    // by more than 1e-12 and put an edge a few 1e-21 s after the last one)
    s.phase -= std::floor(s.phase);
    s.t = t;
    s.f = f;
    s.edge = edgeAfter(s);
  }

  double selfBreakpoint(std::size_t i, double t) const override {
    const Inst& s = osc_[i];
    return s.edge > t ? s.edge : kNever;
  }

 private:
  struct Inst {
    PortPair cntl;
    std::vector<double> x, y;
    double duty = 0.5, phase0 = 0, rise = 1e-9, fall = 1e-9, fixedF = 0;
    double phase = 0, t = 0, f = 1e6, edge = kNever, edgePhase = 0;  // phase in cycles at time t
    double rate = 0;  // d_pwm: the duty cycle's rate of change (1/s) over the last step
    bool high = false;
  };
  // The piecewise-linear curve y(cntl_array), extrapolated past its ends.
  static double pwl(const Inst& s, double u) {
    const std::vector<double>& x = s.x;
    const std::vector<double>& y = s.y;
    const std::size_t n = x.size();
    std::size_t k = 0;
    if (u >= x[n - 1]) k = n - 2;
    else
      while (k + 2 < n && u >= x[k + 1]) ++k;
    return y[k] + (u - x[k]) * (y[k + 1] - y[k]) / (x[k + 1] - x[k]);
  }
  // The next edge at the present frequency: a rise where the phase's
  // fraction reaches 1 - duty, a fall at a whole cycle.
  double edgeAfter(Inst& s) const {
    const double cyc = std::floor(s.phase);
    double target = s.high ? cyc + 1.0 : cyc + (1.0 - s.duty);
    if (!s.high && target <= s.phase + 1e-12) target += 1.0;
    if (s.high && target <= s.phase + 1e-12) target += 1.0;
    // a rise meets the rise point moving at -rate (d_pwm): phase + f·Δ = target − rate·Δ
    const double speed = !s.high && s.f + s.rate > 0.1 * s.f ? s.f + s.rate : s.f;
    const double dt = (target - s.phase) / speed;
    s.edgePhase = s.phase + s.f * dt;
    return s.t + dt;
  }
  std::vector<Inst> osc_;
};

// ---- pull-ups and pull-downs: a constant output
template <bool Up>
class Pull final : public DigitalGroup {
 public:
  using DigitalGroup::DigitalGroup;

 protected:
  Status setupInstance(SetupContext& ctx, std::size_t i, const ir::Model&) override {
    static constexpr PortShape kShape[] = {{"out", false, false, true}};
    auto ports = readPorts(ctx, kind_, *inst_[i], kShape);
    if (!ports) return ports.takeError();
    addResolvedOutput(ports.value()[0][0]);
    return {};
  }
  void evaluate(std::size_t i, const double*, bool) override {
    drive(i, 0, Up ? Logic::One : Logic::Zero, 0, Strength::Resistive);
  }
};

constexpr ParamSpec kRise = mparam("rise_delay", 1e-9, "s", "delay of a change to 1");
constexpr ParamSpec kFall = mparam("fall_delay", 1e-9, "s", "delay of a change to 0");
constexpr ParamSpec kInputLoad = mparam("input_load", 1e-12, "F", "XSPICE's input load: accepted and ignored");

// ngspice 40's inertial delay switch of the gates (ngspice's newer examples set it):
// ngspice 39 does not have it and ignores it ("unrecognized parameter"), so does simcore
constexpr ParamSpec kInertial =
    mparam("inertial_delay", 0.0, "", "ngspice 40's inertial delay switch (false/true): ngspice 39 ignores it, so does simcore")
        .words("false true");

constexpr ParamSpec kGateParams[] = {kRise, kFall, kInputLoad, kInertial};

constexpr ParamSpec kClkDelay = mparam("clk_delay", 1e-9, "s", "delay from the clock edge (added to rise/fall_delay)");
constexpr ParamSpec kSetDelay = mparam("set_delay", 1e-9, "s", "delay from a set change (added to rise/fall_delay)");
constexpr ParamSpec kResetDelay =
    mparam("reset_delay", 1e-9, "s", "delay from a reset change (added to rise/fall_delay)");
constexpr ParamSpec kIc = mparam("ic", 0.0, "", "state at the operating point: 0, 1 or 2 (U)");
constexpr ParamSpec kFfRise = mparam("rise_delay", 1e-9, "s", "added to the delay of an output changing to 1");
constexpr ParamSpec kFfFall = mparam("fall_delay", 1e-9, "s", "added to the delay of an output changing to 0");
constexpr ParamSpec kSetLoad = mparam("set_load", 1e-12, "F", "accepted and ignored");
constexpr ParamSpec kResetLoad = mparam("reset_load", 1e-12, "F", "accepted and ignored");
constexpr ParamSpec kClkLoad = mparam("clk_load", 1e-12, "F", "accepted and ignored");

constexpr ParamSpec kDffParams[] = {kClkDelay, kSetDelay, kResetDelay, kIc, kFfRise, kFfFall,
                                    mparam("data_load", 1e-12, "F", "accepted and ignored"), kClkLoad, kSetLoad, kResetLoad};
constexpr ParamSpec kJkffParams[] = {kClkDelay, kSetDelay, kResetDelay, kIc, kFfRise, kFfFall,
                                     mparam("jk_load", 1e-12, "F", "accepted and ignored"), kClkLoad, kSetLoad, kResetLoad};
constexpr ParamSpec kTffParams[] = {kClkDelay, kSetDelay, kResetDelay, kIc, kFfRise, kFfFall,
                                    mparam("t_load", 1e-12, "F", "accepted and ignored"), kClkLoad, kSetLoad, kResetLoad};
constexpr ParamSpec kSrffParams[] = {kClkDelay, kSetDelay, kResetDelay, kIc, kFfRise, kFfFall,
                                     mparam("sr_load", 1e-12, "F", "accepted and ignored"), kClkLoad, kSetLoad, kResetLoad};
constexpr ParamSpec kDlatchParams[] = {
    mparam("data_delay", 1e-9, "s", "delay from a data change while enabled (added to rise/fall_delay)"),
    mparam("enable_delay", 1e-9, "s", "delay from enable rising (added to rise/fall_delay)"),
    kSetDelay, kResetDelay, kIc, kFfRise, kFfFall,
    mparam("data_load", 1e-12, "F", "accepted and ignored"),
    mparam("enable_load", 1e-12, "F", "accepted and ignored"), kSetLoad, kResetLoad};
constexpr ParamSpec kOscParams[] = {
    mparam("cntl_array", kNoDefault, "V", "control voltages of the frequency curve, increasing (required, two or more)").vec(),
    mparam("freq_array", kNoDefault, "Hz", "frequencies at cntl_array: piecewise linear, extrapolated (required)").vec(),
    mparam("duty_cycle", 0.5, "", "fraction of each cycle the output is 1"),
    mparam("init_phase", 0.0, "°", "phase at t = 0 (-180 to 360)"),
    mparam("rise_delay", 1e-9, "s", "delay of a rising edge"),
    mparam("fall_delay", 1e-9, "s", "delay of a falling edge"),
};
constexpr ParamSpec kPwmParams[] = {
    mparam("cntl_array", kNoDefault, "V", "control voltages of the duty-cycle curve, increasing (required, two or "
                                          "more)")
        .vec(),
    mparam("dc_array", kNoDefault, "", "duty cycles at cntl_array (0 to 1): piecewise linear, extrapolated, "
                                       "clamped to [0, 1] (required)")
        .vec(),
    mparam("frequency", 1e6, "Hz", "frequency (at least 1e-6)"),
    mparam("init_phase", 0.0, "°", "phase at t = 0 (-180 to 360)"),
    mparam("rise_delay", 1e-9, "s", "delay of a rising edge"),
    mparam("fall_delay", 1e-9, "s", "delay of a falling edge"),
};
constexpr ParamSpec kPullParams[] = {mparam("load", 1e-12, "F", "accepted and ignored")};

constexpr const char* kAndTypes[] = {"d_and"};
constexpr const char* kNandTypes[] = {"d_nand"};
constexpr const char* kOrTypes[] = {"d_or"};
constexpr const char* kNorTypes[] = {"d_nor"};
constexpr const char* kXorTypes[] = {"d_xor"};
constexpr const char* kXnorTypes[] = {"d_xnor"};
constexpr const char* kBufferTypes[] = {"d_buffer"};
constexpr const char* kInverterTypes[] = {"d_inverter"};
constexpr const char* kDffTypes[] = {"d_dff"};
constexpr const char* kJkffTypes[] = {"d_jkff"};
constexpr const char* kTffTypes[] = {"d_tff"};
constexpr const char* kSrffTypes[] = {"d_srff"};
constexpr const char* kDlatchTypes[] = {"d_dlatch"};
constexpr const char* kOscTypes[] = {"d_osc"};
constexpr const char* kPwmTypes[] = {"d_pwm"};
constexpr const char* kPullupTypes[] = {"d_pullup"};
constexpr const char* kPulldownTypes[] = {"d_pulldown"};

}  // namespace
}  // namespace simcore::dev::block

namespace simcore::dev {

#define SIMCORE_DIGITAL_KIND_B(VAR, NAME, TYPES, PARAMS, NOUN, DOC, GROUP, BRANCHES)                         \
  extern const DeviceKind VAR;                                                                                 \
  constexpr DeviceKind VAR {                                                                                   \
    .letter = 'a', .name = NAME, .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,              \
    .branches = BRANCHES,                                                                                      \
    .modelTypes = block::TYPES, .params = block::PARAMS, .modelNoun = NOUN, .valueDoc = DOC,                  \
    .create = makeGroup<GROUP, VAR>                                                                            \
  }
// (the strong outputs are voltage sources: one branch each; the resolved pull-ups have none)
#define SIMCORE_DIGITAL_KIND(VAR, NAME, TYPES, PARAMS, NOUN, DOC, GROUP) \
  SIMCORE_DIGITAL_KIND_B(VAR, NAME, TYPES, PARAMS, NOUN, DOC, GROUP, 1)

SIMCORE_DIGITAL_KIND(kDAndKind, "AND gate", kAndTypes, kGateParams, "d_and", "Aname [in1 in2 ...] out model",
                     block::Gate<block::GateFn::And>);
SIMCORE_DIGITAL_KIND(kDNandKind, "NAND gate", kNandTypes, kGateParams, "d_nand", "Aname [in1 in2 ...] out model",
                     block::Gate<block::GateFn::Nand>);
SIMCORE_DIGITAL_KIND(kDOrKind, "OR gate", kOrTypes, kGateParams, "d_or", "Aname [in1 in2 ...] out model",
                     block::Gate<block::GateFn::Or>);
SIMCORE_DIGITAL_KIND(kDNorKind, "NOR gate", kNorTypes, kGateParams, "d_nor", "Aname [in1 in2 ...] out model",
                     block::Gate<block::GateFn::Nor>);
SIMCORE_DIGITAL_KIND(kDXorKind, "XOR gate", kXorTypes, kGateParams, "d_xor", "Aname [in1 in2 ...] out model",
                     block::Gate<block::GateFn::Xor>);
SIMCORE_DIGITAL_KIND(kDXnorKind, "XNOR gate", kXnorTypes, kGateParams, "d_xnor", "Aname [in1 in2 ...] out model",
                     block::Gate<block::GateFn::Xnor>);
SIMCORE_DIGITAL_KIND(kDBufferKind, "digital buffer", kBufferTypes, kGateParams, "d_buffer", "Aname in out model",
                     block::Gate<block::GateFn::Buffer>);
SIMCORE_DIGITAL_KIND(kDInverterKind, "digital inverter", kInverterTypes, kGateParams, "d_inverter",
                     "Aname in out model", block::Gate<block::GateFn::Inverter>);
SIMCORE_DIGITAL_KIND(kDDffKind, "D flip-flop", kDffTypes, kDffParams, "d_dff",
                     "Aname data clk set reset out nout model  (NULL for an unused set, reset, out, nout)",
                     block::FlipFlop<block::FfFn::D>);
SIMCORE_DIGITAL_KIND(kDJkffKind, "JK flip-flop", kJkffTypes, kJkffParams, "d_jkff",
                     "Aname j k clk set reset out nout model", block::FlipFlop<block::FfFn::Jk>);
SIMCORE_DIGITAL_KIND(kDTffKind, "T flip-flop", kTffTypes, kTffParams, "d_tff",
                     "Aname t clk set reset out nout model", block::FlipFlop<block::FfFn::T>);
SIMCORE_DIGITAL_KIND(kDSrffKind, "SR flip-flop", kSrffTypes, kSrffParams, "d_srff",
                     "Aname s r clk set reset out nout model", block::FlipFlop<block::FfFn::Sr>);
SIMCORE_DIGITAL_KIND(kDDlatchKind, "D latch", kDlatchTypes, kDlatchParams, "d_dlatch",
                     "Aname data enable set reset out nout model", block::FlipFlop<block::FfFn::Latch>);
SIMCORE_DIGITAL_KIND(kDOscKind, "digital oscillator", kOscTypes, kOscParams, "d_osc", "Aname cntl out model",
                     block::Osc<false>);
SIMCORE_DIGITAL_KIND(kDPwmKind, "digital pulse-width modulator", kPwmTypes, kPwmParams, "d_pwm",
                     "Aname cntl out model", block::Osc<true>);
SIMCORE_DIGITAL_KIND_B(kDPullupKind, "digital pull-up", kPullupTypes, kPullParams, "d_pullup", "Aname out model",
                       block::Pull<true>, 0);
SIMCORE_DIGITAL_KIND_B(kDPulldownKind, "digital pull-down", kPulldownTypes, kPullParams, "d_pulldown",
                       "Aname out model", block::Pull<false>, 0);

#undef SIMCORE_DIGITAL_KIND
#undef SIMCORE_DIGITAL_KIND_B

}  // namespace simcore::dev
