// An analog delay line (XSPICE's delay, ngspice 39 semantics):
//   Aname in out cntrl model   (cntrl may be NULL)
// The input is sampled on the .tran tstep grid: at the first time point at
// or after each k·tstep (XSPICE's buffer). The output is the sample
// delay_step = floor((delay + tstep/2)/tstep) samples before the next one
// (XSPICE's output depends on its Newton iterations within about one
// tstep of this),
// the input's value at time 0 while time < delay, and the input itself when
// the delay is 0 (or below tstep). With has_delay_cnt the delay is
// delmin + (delmax − delmin)·v(cntrl), v(cntrl) clamped to [0, 1], delmax
// defaulting to tstop (both at most tstop). The operating point and AC pass
// the input through. buffer_size is accepted: every sample is kept.
#include <algorithm>
#include <cmath>
#include <vector>

#include "devices/block_common.hpp"

namespace simcore::dev::block {
namespace {

class DelayLine final : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return false; }

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kShape[] = {currentIn({"in"}, kCurVnam), {"out"},
                                           currentIn({"cntrl", false, false, false, true}, kCurI | kCurId)};
    const TranHints& th = ctx.tranHints();
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, kShape);
      if (!ports) return ports.takeError();
      const Ports& pt = ports.value();
      const ParamValues P = values(d, m.value());
      Inst s;
      s.in = pt[0][0];
      s.cntrl = pt[2][0];
      addOutput(ctx, i, pt[1][0], "out");
      if (P.model("buffer_size") < 1) return error(d, "buffer_size must be at least 1");
      s.delay = std::max(0.0, P.model("delay"));
      s.byControl = P.model("has_delay_cnt") != 0;
      s.tstep = th.tstep;
      const double tstop = th.tstop;
      s.delmin = std::min(std::max(0.0, P.model("delmin")), tstop > 0 ? tstop : HUGE_VAL);
      s.delmax = P.hasModel("delmax") ? P.model("delmax") : tstop;
      if (s.delmax < 0) s.delmax = 0;
      if (tstop > 0 && s.delmax > tstop) s.delmax = tstop;
      if (s.delmax < s.delmin) s.delmax = s.delmin;
      if (s.delay < s.tstep) s.delay = 0;
      s_.push_back(s);
    }
    stamp_.resize(inst_.size());
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      outs_[i].bind(b);
      stamp_[i].bind(b, outs_[i].br, s_[i].in);
    }
  }

  void loadBlock(LoadContext& c) override {
    if (recordsOnly(c.mode)) return;
    const bool dc = c.mode == AnalysisMode::DcOp;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const Inst& s = s_[i];
      const Output& o = outs_[i];
      o.load(c);
      const double delay = currentDelay(s, c.x);
      if (dc || delay == 0 || s.samples.empty()) {
        // the input passes through (at the operating point, and with no delay)
        if (dc || delay == 0) {
          stamp_[i].add(c, o.br, s.in, -1.0);
        } else {
          c.f[o.br] -= s.start;
        }
        continue;
      }
      if (c.time < delay) {
        c.f[o.br] -= s.start;
        continue;
      }
      // the sample delay_step grid steps before the next one
      const long have = long(s.samples.size());
      const long step = long((delay + 0.5 * s.tstep) / s.tstep);
      const long idx = have - step;
      c.f[o.br] -= idx >= 0 && idx < have ? s.samples[std::size_t(idx)] : s.start;
    }
  }

  void acLoadBlock(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      outs_[i].acLoad(c);
      stamp_[i].addAc(c, -1.0);
    }
  }

  void accept(const double* x, double time) override {
    for (Inst& s : s_) {
      const double in = s.in.v(x);
      if (!(time > 0)) {
        s.samples.clear();
        s.start = in;
        s.samples.push_back(in);  // the sample at 0·tstep
        continue;
      }
      if (s.tstep > 0 && time >= double(s.samples.size()) * s.tstep) s.samples.push_back(in);
    }
  }

  double maxStep() const override {
    double h = 1e300;
    for (const Inst& s : s_)
      if ((s.delay > 0 || s.byControl) && s.tstep > 0) h = std::min(h, s.tstep);
    return h;
  }

 private:
  struct Inst {
    PortPair in, cntrl{-1, -1};
    double delay = 0, delmin = 0, delmax = 0, tstep = 0, start = 0;
    bool byControl = false;
    std::vector<double> samples;  // the input on the tstep grid
  };

  static double currentDelay(const Inst& s, const double* x) {
    if (!s.byControl) return s.delay;
    double u = s.cntrl.null() ? 0.0 : s.cntrl.v(x);
    u = std::min(1.0, std::max(0.0, u));
    return (s.delmax - s.delmin) * u + s.delmin;
  }

  std::vector<Inst> s_;
  std::vector<InputStamp> stamp_;
};

constexpr const char* kDelayTypes[] = {"delay"};
constexpr ParamSpec kDelayParams[] = {
    mparam("delay", 0.0, "s", "fixed delay (negative counts as 0; below tstep: no delay)"),
    mparam("buffer_size", 1024.0, "", "XSPICE's sample buffer (at least 1): accepted, every sample is kept"),
    mparam("has_delay_cnt", 0.0, "", "true: the delay follows v(cntrl) between delmin and delmax").words("false true"),
    mparam("delmin", 0.0, "s", "has_delay_cnt: the delay at v(cntrl) ≤ 0"),
    mparam("delmax", kNoDefault, "s", "has_delay_cnt: the delay at v(cntrl) ≥ 1").shown("tstop"),
};

}  // namespace
}  // namespace simcore::dev::block

namespace simcore::dev {

extern const DeviceKind kDelayKind;
constexpr DeviceKind kDelayKind{
    .letter = 'a', .name = "analog delay line", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 1, .modelTypes = block::kDelayTypes, .params = block::kDelayParams, .modelNoun = "delay",
    .valueDoc = "Aname in out cntrl model  (cntrl may be NULL)", .create = makeGroup<block::DelayLine, kDelayKind>};

}  // namespace simcore::dev
