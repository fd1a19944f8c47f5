// The SR latch (XSPICE's d_srlatch, ngspice 39 semantics):
//   Aname s r enable set reset out nout model   (set, reset, out, nout may be NULL)
// The state q follows, in this order of priority, at each evaluation:
//   set changed:    to 1: q = 1 (U while reset is 1); to 0 or U: q = 0 while
//                   reset is 1, else with enable 1 the s/r rule below; set_delay
//   reset changed:  to 1: q = 0 (U while set is 1); to 0 or U: q = 1 while
//                   set is 1, else with enable 1 the s/r rule; reset_delay
//   enable changed to 1 (set and reset not 1): the s/r rule; enable_delay
//   s or r changed (set and reset not 1, enable 1): the s/r rule; sr_delay
// The s/r rule: s = 1, r = 0 gives 1; s = 0, r = 1 gives 0; s = r = 0 keeps
// q; anything else is U. A change of q adds rise_delay or fall_delay (to U:
// rise from 0, else fall) to its delay on out, the other one on nout (the
// complement). At the operating point q is ic, then s/r with enable 1, then
// set and reset (both 1: U), without delay.
#include <cmath>

#include "devices/block_digital.hpp"

namespace simcore::dev::block {
namespace {

class SrLatch final : public DigitalGroup {
 public:
  using DigitalGroup::DigitalGroup;

 protected:
  Status setupInstance(SetupContext& ctx, std::size_t i, const ir::Model& m) override {
    static constexpr PortShape kShape[] = {{"s", false, false, true},
                                           {"r", false, false, true},
                                           {"enable", false, false, true},
                                           {"set", false, false, true, true},
                                           {"reset", false, false, true, true},
                                           {"out", false, false, true, true},
                                           {"nout", false, false, true, true}};
    const ir::Device& d = *inst_[i];
    auto ports = readPorts(ctx, kind_, d, kShape);
    if (!ports) return ports.takeError();
    const Ports& pt = ports.value();
    Inst s;
    s.s = pt[0][0];
    s.r = pt[1][0];
    s.enable = pt[2][0];
    s.set = pt[3][0];
    s.reset = pt[4][0];
    addDigitalOutput(ctx, i, pt[5][0], "out");
    addDigitalOutput(ctx, i, pt[6][0], "nout");
    const ParamValues P = values(d, &m);
    s.srDelay = P.model("sr_delay");
    s.enableDelay = P.model("enable_delay");
    s.setDelay = P.model("set_delay");
    s.resetDelay = P.model("reset_delay");
    s.rise = P.model("rise_delay");
    s.fall = P.model("fall_delay");
    for (double v : {s.srDelay, s.enableDelay, s.setDelay, s.resetDelay, s.rise, s.fall})
      if (!(v >= 1e-12)) return error(d, "its delays must be at least 1e-12 s");
    const double ic = P.model("ic");
    if (ic != 0 && ic != 1 && ic != 2) return error(d, "ic must be 0, 1 or 2 (U)");
    s.ic = logicOf(ic);
    latch_.push_back(s);
    return {};
  }

  void evaluate(std::size_t i, const double* x, bool dc) override {
    Inst& l = latch_[i];
    const Logic s = readLogic(x, l.s), r = readLogic(x, l.r), en = readLogic(x, l.enable);
    const Logic set = l.set.null() ? Logic::Zero : readLogic(x, l.set);
    const Logic reset = l.reset.null() ? Logic::Zero : readLogic(x, l.reset);
    const Logic old = l.q;
    Logic q = old;
    double delay = 0;
    if (dc) {
      q = l.ic;
      if (en == Logic::One && s == Logic::One && r == Logic::Zero) q = Logic::One;
      if (en == Logic::One && s == Logic::Zero && r == Logic::One) q = Logic::Zero;
      if (set == Logic::One && reset == Logic::Zero) q = Logic::One;
      if (set == Logic::Zero && reset == Logic::One) q = Logic::Zero;
      if (set == Logic::One && reset == Logic::One) q = Logic::Unknown;
    } else if (set != l.set0) {
      delay = l.setDelay;
      if (set == Logic::One) q = reset == Logic::One ? Logic::Unknown : Logic::One;
      else if (reset == Logic::One) q = Logic::Zero;
      else if (en == Logic::One) q = rule(s, r, old);
    } else if (reset != l.reset0) {
      delay = l.resetDelay;
      if (reset == Logic::One) q = set == Logic::One ? Logic::Unknown : Logic::Zero;
      else if (set == Logic::One) q = Logic::One;
      else if (en == Logic::One) q = rule(s, r, old);
    } else if (en != l.en0 && reset != Logic::One && set != Logic::One) {
      delay = l.enableDelay;
      if (en == Logic::One) q = rule(s, r, old);
    } else if ((s != l.s0 || r != l.r0) && reset != Logic::One && set != Logic::One && en == Logic::One) {
      delay = l.srDelay;
      q = rule(s, r, old);
    }
    l.s0 = s;
    l.r0 = r;
    l.en0 = en;
    l.set0 = set;
    l.reset0 = reset;
    l.q = q;
    if (dc) {
      drive(i, 0, q, 0);
      drive(i, 1, toggled(q), 0);
      return;
    }
    if (q == old) return;
    const bool rising = q == Logic::One || (q == Logic::Unknown && old == Logic::Zero);
    drive(i, 0, q, delay + (rising ? l.rise : l.fall));
    drive(i, 1, toggled(q), delay + (rising ? l.fall : l.rise));
  }

 private:
  struct Inst {
    PortPair s, r, enable, set{-1, -1}, reset{-1, -1};
    double srDelay = 1e-9, enableDelay = 1e-9, setDelay = 1e-9, resetDelay = 1e-9, rise = 1e-9, fall = 1e-9;
    Logic ic = Logic::Zero, q = Logic::Zero;
    Logic s0 = Logic::Zero, r0 = Logic::Zero, en0 = Logic::Zero, set0 = Logic::Zero, reset0 = Logic::Zero;
  };
  static Logic rule(Logic s, Logic r, Logic q) {
    if (s == Logic::Zero) return r == Logic::Zero ? q : r == Logic::One ? Logic::Zero : Logic::Unknown;
    if (s == Logic::One) return r == Logic::Zero ? Logic::One : Logic::Unknown;
    return Logic::Unknown;
  }
  std::vector<Inst> latch_;
};

constexpr const char* kSrLatchTypes[] = {"d_srlatch"};
constexpr ParamSpec kSrLatchParams[] = {
    mparam("sr_delay", 1e-9, "s", "delay from an s or r change while enabled (plus rise/fall_delay)"),
    mparam("enable_delay", 1e-9, "s", "delay from enable rising (plus rise/fall_delay)"),
    mparam("set_delay", 1e-9, "s", "delay from a set change (plus rise/fall_delay)"),
    mparam("reset_delay", 1e-9, "s", "delay from a reset change (plus rise/fall_delay)"),
    mparam("ic", 0.0, "", "state at the operating point: 0, 1 or 2 (U)"),
    mparam("rise_delay", 1e-9, "s", "added to the delay of an output changing to 1"),
    mparam("fall_delay", 1e-9, "s", "added to the delay of an output changing to 0"),
    mparam("sr_load", 1e-12, "F", "accepted and ignored"),
    mparam("enable_load", 1e-12, "F", "accepted and ignored"),
    mparam("set_load", 1e-12, "F", "accepted and ignored"),
    mparam("reset_load", 1e-12, "F", "accepted and ignored"),
};

}  // namespace
}  // namespace simcore::dev::block

namespace simcore::dev {

extern const DeviceKind kDSrLatchKind;
constexpr DeviceKind kDSrLatchKind{
    .letter = 'a', .name = "SR latch", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 1, .modelTypes = block::kSrLatchTypes, .params = block::kSrLatchParams, .modelNoun = "d_srlatch",
    .valueDoc = "Aname s r enable set reset out nout model  (NULL for an unused set, reset, out, nout)",
    .create = makeGroup<block::SrLatch, kDSrLatchKind>};

}  // namespace simcore::dev
