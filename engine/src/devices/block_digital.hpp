// Digital code models (A cards with XSPICE's digital models: gates,
// flip-flops, the oscillator, pull-ups, the bridges): the pieces they share.
//
// A digital node is an ordinary node of the circuit whose voltage is its
// logic state: 0 for 0, 1 for 1 and 0.5 for unknown (U). Most digital outputs
// (gates, flip-flops, the bridges, d_source) are strong and drive their node
// like an ideal voltage source when they are its only strong driver. A node
// with several strong digital outputs (a wired connection, which XSPICE
// resolves) has them all drive it as resolved outputs of strong strength
// instead (their branch current is then 0): two that disagree give U, as in
// XSPICE's resolution table (strong 0 with strong 1 is U; a U beside a
// strong 0 or 1 is U; equal values agree). The outputs that XSPICE gives
// other strengths (d_tristate, d_open_c, d_open_e, d_pullup, d_pulldown) are
// resolved outputs: a conductance from the node to its level (strengthG:
// by strength and state), so several of them on one node resolve
// by superposition: a stronger driver wins, equal strengths that disagree
// give a level between (U when neither side outnumbers the other three to
// one), and a strong ideal output beside them wins outright. A digital node
// has no analog load (XSPICE allows none), so a lone driver gives its level
// exactly. A digital input reads its node as 1 above 0.75 V, 0 below 0.25 V
// and U between.
//
// Evaluation is event driven inside the transient, never inside Newton: a
// model reads its inputs when a time point is accepted (accept) or at a
// switching instant (settle), and schedules each output change at t + delay.
// Scheduled changes are breakpoints, so the analog step lands on them; the
// change takes effect in the accept at that time, which makes it a switching
// instant (the solution just before and just after it are both output). At
// the operating point outputs follow their inputs without delay (flip-flops
// take their ic), iterated with the Newton loop like the other blocks' states.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "devices/block_common.hpp"

namespace simcore::dev::block {

enum class Logic : std::uint8_t { Zero = 0, One = 1, Unknown = 2 };
// XSPICE's strengths, in its order (a code state + 3·strength is XSPICE's 0s 1s Us 0r ... Uu).
enum class Strength : std::uint8_t { Strong = 0, Resistive = 1, HiZ = 2, Undetermined = 3 };

// Conductance of a resolved output driving v with strength s. Undetermined
// (XSPICE's u: strong or open) counts as strong, so it makes a node U
// against a strong driver that disagrees, as in XSPICE; a U drives with four
// times its strength's conductance, so it holds the node between the
// thresholds against up to three disagreeing drivers of that strength (as
// XSPICE's U wins within its strength). Where this differs from XSPICE's
// table: a 0u or 1u beside a disagreeing resistive or hi-impedance driver
// wins here (XSPICE: U), and four or more equal drivers outvote one that
// disagrees (XSPICE: U).
inline constexpr double kStrongG = 1.0, kResistiveG = 1e-4, kHiZG = 1e-8;
inline double strengthG(Logic v, Strength s) {
  const double g = s == Strength::Resistive ? kResistiveG : s == Strength::HiZ ? kHiZG : kStrongG;
  return v == Logic::Unknown ? 4 * g : g;
}

inline double logicVolts(Logic s) { return s == Logic::One ? 1.0 : s == Logic::Zero ? 0.0 : 0.5; }
inline Logic readLogic(const double* x, const PortPair& p) {
  if (p.null()) return Logic::Zero;
  const double v = p.v(x);
  return v > 0.75 ? Logic::One : v < 0.25 ? Logic::Zero : Logic::Unknown;
}
inline Logic toggled(Logic s) {
  return s == Logic::One ? Logic::Zero : s == Logic::Zero ? Logic::One : Logic::Unknown;
}
// A logic parameter given as a number (ic = 0, 1 or 2 for U).
inline Logic logicOf(double v) { return v == 1.0 ? Logic::One : v == 0.0 ? Logic::Zero : Logic::Unknown; }

// A one-byte digest of a few logic states (exact for up to three): the
// configuration byte of an instance. A change of any state changes it.
class StateDigest {
 public:
  void add(Logic s) {
    if (n_ < 3) exact_ = std::uint8_t(exact_ | (std::uint8_t(s) << (2 * n_)));
    ++n_;
  }
  // gen: a counter the instance advances at every change (used past three states).
  std::uint8_t byte(bool pending, std::uint8_t gen) const {
    const std::uint8_t low = n_ <= 3 ? exact_ : std::uint8_t(gen & 0x3f);
    return std::uint8_t(low | (pending ? 0x80 : 0));
  }

 private:
  std::uint8_t exact_ = 0;
  int n_ = 0;
};

// Base of the groups with digital outputs. The kind reads its ports in
// setupInstance (calling addDigitalOutput for each output, in order) and
// computes its outputs in evaluate.
class DigitalGroup : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return true; }

  Status setup(SetupContext& ctx) override;
  // (once every group is set up: the strong outputs that share their node become resolved ones)
  Status resolve(SetupContext& ctx) override;
  void voltageEdges(std::vector<std::pair<Index, Index>>& out, std::vector<int>& idx) const override;
  void patternBlock(PatternBuilder& b) override;
  void loadBlock(LoadContext& c) override;
  void acLoadBlock(AcContext& c) override;
  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override;
  void accept(const double* x, double time) override;
  int settleDigital(double* x) override;
  void digitalInstances(std::vector<std::pair<const ir::Device*, std::size_t>>& out) const override;
  int settleDigitalInstance(std::size_t i, double* x) override;
  int settle(const double* x, double time) override;
  void configuration(std::vector<std::uint8_t>& key) const override;
  // (the output states come back exactly for up to three outputs; pending changes are dropped)
  void setConfiguration(const std::uint8_t*& p) override;
  double nextBreakpoint(double t) const override;
  bool findEvent(const StepView& s, Event& ev) const override;
  using DeviceGroup::findEvent;

 protected:
  // Reads instance i's ports and parameters (model m); adds its digital
  // outputs with addDigitalOutput in order (NULL ones too).
  virtual Status setupInstance(SetupContext& ctx, std::size_t i, const ir::Model& m) = 0;
  // Whether element e of d is an analog input (an adc_bridge's in): setup()
  // ties it to ground only when no other device uses its node (an analog
  // node elsewhere keeps its value, as in ngspice, which adds no load there).
  virtual bool analogInput(const ir::Device&, std::size_t) const { return false; }
  // Reads instance i's inputs at x and calls drive() for its outputs. At the
  // operating point (dc) outputs take their value at once and delays are
  // ignored; flip-flops start from ic. Models with memory remember the
  // inputs they saw here.
  virtual void evaluate(std::size_t i, const double* x, bool dc) = 0;
  // Earliest time after t at which instance i changes by itself (the
  // oscillator's edges); kNever when it does not.
  virtual double selfBreakpoint(std::size_t i, double t) const { return kNever; }

  // A new digital output of instance i on `at` (NULL: a placeholder that drives nothing).
  void addDigitalOutput(SetupContext& ctx, std::size_t i, const PortPair& at, const char* suffix);
  // A new resolved output of instance i on `at` (a conductance to its level, by strength).
  void addResolvedOutput(const PortPair& at);
  // A new real-valued output on `at` (XSPICE's real node: its voltage is the
  // value). The node's drivers sum, as in XSPICE: each of the node's
  // `drivers` real outputs stamps a conductance 1/drivers to ground and
  // injects its value as a current.
  void addRealOutput(const PortPair& at, int drivers);
  // Drives output k (0-based, of the instance being evaluated) to v after
  // `delay` (XSPICE's transport delay: changes already scheduled at or after
  // the new one are dropped). A value equal to the last one scheduled is no
  // change. The strength matters for resolved outputs only.
  void drive(std::size_t i, std::size_t k, Logic v, double delay, Strength s = Strength::Strong);
  // drive() for a real-valued output.
  void driveReal(std::size_t i, std::size_t k, double v, double delay);
  // The value output k of instance i was last given (its present value when nothing is pending).
  Logic lastDriven(std::size_t i, std::size_t k) const {
    const DigitalOut& o = dout_[first_[i] + k];
    return o.inv ? toggled(o.last) : o.last;
  }
  // The time of the accept or settle being evaluated.
  double now() const { return now_; }

  static constexpr double kNever = 1e300;

 private:
  struct Change {
    double at;
    Logic v;
    Strength s;
    double level;  // a real output's value
  };
  struct DigitalOut {
    int out = -1;     // index in outs_ (-1: NULL or resolved)
    Index node = -1;  // a resolved output: its node (-1: none)
    Pos pos = 0;      // its diagonal entry
    Logic now = Logic::Zero, last = Logic::Zero;
    Strength snow = Strength::Strong, slast = Strength::Strong;
    bool real = false;               // a real-valued output: lnow, llast (node, pos: where it injects)
    bool inv = false;                // an inverted port (~node): drive() gives it the opposite level
    const int* strongOnNode = nullptr;  // a strong output: the number of strong digital outputs on its node
    Pos brPos = 0;                   // a strong output made resolved (out >= 0, node >= 0): its branch's diagonal
    double share = 1.0;              // its conductance: 1 / the node's real drivers
    double lnow = 0.0, llast = 0.0;  // (XSPICE's real nodes start at 0)
    std::vector<Change> pending;  // increasing times
    bool resolved() const { return node >= 0 && !real; }
    bool wired() const { return out >= 0 && node >= 0; }  // a strong output sharing its node
  };
  // Schedules change c of output o (transport delay; see drive()).
  void schedule(std::size_t i, DigitalOut& o, const Change& c, double delay);
  static bool same(const DigitalOut& o, const Change& a, Logic v, Strength s, double level) {
    return o.real ? a.level == level : a.v == v && a.s == s;
  }
  // Fires the changes of instance i due at `time`; returns how many outputs changed.
  int fire(std::size_t i, double time);
  bool pendingAny(std::size_t i) const;
  // The states at the start of a transient without an operating point (uic).
  void initialize(const double* x);

  // The load of a digital input on a node the group does not drive (see setup()).
  static constexpr double kInputG = 1e-12;
  struct Tie {
    Index node;
    Pos pos;
  };
  std::vector<Tie> tie_;
  std::vector<char> wiredOut_;  // by index in outs_: the output of a wired() digital output
  static constexpr int kMaxFlips = 8;
  std::vector<DigitalOut> dout_;
  std::vector<std::size_t> first_;  // instance i's outputs: [first_[i], first_[i+1])
  std::vector<int> flips_;
  std::vector<std::uint8_t> gen_;
  double now_ = 0, prevTime_ = 0;
  bool dc_ = false;
  bool dcSeen_ = false;  // an operating point (or initialize) has set the states
  int dcFlipped_ = 0;  // drives that changed an output in the present dc evaluation
  AnalysisMode lastMode_ = AnalysisMode::DcOp;
};

}  // namespace simcore::dev::block
