// Memoryless control blocks (A cards):
//   gain        y = out_offset + gain·(u + in_offset)
//   summer      y = out_offset + out_gain·Σ in_gain[k]·(u[k] + in_offset[k])
//   limit       y = gain·(u + in_offset) clamped to [out_lower_limit, out_upper_limit]
//   hyst        XSPICE's hysteresis buffer: a rising and a falling ramp from
//               out_lower_limit to out_upper_limit, each over [in_low, in_high]
//               shifted by +hyst (rising) or −hyst (falling); the rising branch
//               holds until the input reaches its top, the falling one until it
//               reaches its bottom (a Schmitt trigger when in_low = in_high)
//   comparator  out_high while v(in+) − v(in−) is above +hyst/2, out_low below
//               −hyst/2, unchanged in between
// limit, hyst and comparator are piecewise linear: a state per instance picks
// the segment (y = a·w + b of the input quantity w), held through a time
// point and changed in accept()/settle() after a located crossing; at DC it
// follows the solution between Newton iterations (frozen after kMaxFlips).
// The corners are sharp: XSPICE's smoothing parameters (limit_range,
// fraction, input_domain) are accepted for portable netlists and ignored.
#include <cmath>
#include <limits>

#include "devices/block_common.hpp"

namespace simcore::dev::block {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// ---- gain, summer: y = c0 + Σ k[j]·u[j]
class LinearBlock final : public BlockGroup {
 public:
  LinearBlock(const DeviceKind& kind, std::vector<const ir::Device*> inst, bool summer)
      : BlockGroup(kind, std::move(inst)), summer_(summer) {}

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kGain[] = {currentIn({"in"}), currentOut({"out"})};
    static constexpr PortShape kSummer[] = {currentIn({"in", true}), currentOut({"out"})};
    const std::size_t n = inst_.size();
    c0_.resize(n); first_.resize(n + 1);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = summer_ ? readPorts(ctx, kind_, d, kSummer) : readPorts(ctx, kind_, d, kGain);
      if (!ports) return ports.takeError();
      const ParamValues P = values(d, m.value());
      first_[i] = in_.size();
      const std::vector<PortPair>& in = ports.value()[0];
      if (summer_) {
        std::vector<double> g = P.modelVector("in_gain"), off = P.modelVector("in_offset");
        if (g.size() <= 1) g.assign(in.size(), g.empty() ? P.model("in_gain") : g[0]);
        if (off.size() <= 1) off.assign(in.size(), off.empty() ? P.model("in_offset") : off[0]);
        if (g.size() != in.size() || off.size() != in.size())
          return error(d, "in_gain and in_offset need one value per input (" + std::to_string(in.size()) + ")");
        const double og = P.model("out_gain");
        double c = P.model("out_offset");
        for (std::size_t k = 0; k < in.size(); ++k) {
          in_.push_back(in[k]);
          k_.push_back(og * g[k]);
          c += og * g[k] * off[k];
        }
        c0_[i] = c;
      } else {
        const double g = P.model("gain");
        in_.push_back(in[0]);
        k_.push_back(g);
        c0_[i] = P.model("out_offset") + g * P.model("in_offset");
      }
      addOutput(ctx, i, ports.value()[1][0], "out");
    }
    first_[n] = in_.size();
    stamp_.resize(in_.size());
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      outs_[i].bind(b);
      for (std::size_t j = first_[i]; j < first_[i + 1]; ++j) stamp_[j].bind(b, outs_[i].br, in_[j]);
    }
  }

  void loadBlock(LoadContext& c) override {
    if (c.mode == AnalysisMode::TranInit) return;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const Output& o = outs_[i];
      o.load(c);
      c.f[o.br] -= c0_[i];
      for (std::size_t j = first_[i]; j < first_[i + 1]; ++j) stamp_[j].add(c, o.br, in_[j], -k_[j]);
    }
  }

  void acLoadBlock(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      outs_[i].acLoad(c);
      for (std::size_t j = first_[i]; j < first_[i + 1]; ++j) stamp_[j].addAc(c, -k_[j]);
    }
  }

 private:
  bool summer_;
  std::vector<double> c0_;
  std::vector<std::size_t> first_;  // instance i's inputs: [first_[i], first_[i+1])
  std::vector<PortPair> in_;
  std::vector<double> k_;
  std::vector<InputStamp> stamp_;
};

// ---- limit, hyst, comparator
enum class PwlBlock { Limit, Hyst, Comparator };

// States. limit: the segment. hyst: branch and segment. comparator: the level.
enum : std::uint8_t { kLow = 0, kMid = 1, kHigh = 2, kFallMid = 3 };

class PwlStatic final : public BlockGroup {
 public:
  static constexpr int kMaxFlips = 8;
  PwlStatic(const DeviceKind& kind, std::vector<const ir::Device*> inst, PwlBlock k)
      : BlockGroup(kind, std::move(inst)), k_(k) {}

  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return true; }

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kOne[] = {currentIn({"in"}), currentOut({"out"})};
    static constexpr PortShape kCmp[] = {{"in+"}, {"in-", false, true}, {"out"}};
    const std::size_t n = inst_.size();
    in_.resize(n); stamp_.resize(n); p_.resize(n);
    st_.assign(n, 0); flips_.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = k_ == PwlBlock::Comparator ? readPorts(ctx, kind_, d, kCmp) : readPorts(ctx, kind_, d, kOne);
      if (!ports) return ports.takeError();
      const Ports& pt = ports.value();
      in_[i] = pt[0][0];
      if (k_ == PwlBlock::Comparator && !pt[1].empty()) {
        if (pt[0][0].m != 0 || pt[1][0].m != 0)
          return error(d, "give the input as %vd(in+ in-) or as two single-ended nodes in+ in-");
        in_[i].m = pt[1][0].p;
      }
      addOutput(ctx, i, pt.back()[0], "out");
      const ParamValues P = values(d, m.value());
      Params& p = p_[i];
      switch (k_) {
        case PwlBlock::Limit:
          p.kw = P.model("gain");
          p.cw = p.kw * P.model("in_offset");
          p.lo = P.model("out_lower_limit");
          p.hi = P.model("out_upper_limit");
          if (!std::isfinite(p.lo) || !std::isfinite(p.hi))
            return error(d, "out_lower_limit and out_upper_limit are required");
          if (!(p.hi >= p.lo)) return error(d, "out_upper_limit must not be below out_lower_limit");
          break;
        case PwlBlock::Hyst: {
          const double inLow = P.model("in_low"), inHigh = P.model("in_high"), h = P.model("hyst");
          if (!(inHigh >= inLow)) return error(d, "in_high must not be below in_low");
          if (!(h >= 0)) return error(d, "hyst must be >= 0");
          p.kw = 1.0;
          p.cw = 0.0;
          p.lo = P.model("out_lower_limit");
          p.hi = P.model("out_upper_limit");
          p.riseLo = inLow + h; p.riseHi = inHigh + h;
          p.fallLo = inLow - h; p.fallHi = inHigh - h;
          break;
        }
        case PwlBlock::Comparator: {
          const double h = P.model("hyst");
          if (!(h >= 0)) return error(d, "hyst must be >= 0");
          p.kw = 1.0;
          p.cw = 0.0;
          p.lo = P.model("out_low");
          p.hi = P.model("out_high");
          p.riseHi = 0.5 * h;
          p.fallLo = -0.5 * h;
          break;
        }
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
      if (c.mode == AnalysisMode::TranInit) continue;  // no charges; the state changes in accept()
      if (c.mode == AnalysisMode::DcOp) {
        if (c.initJunctions) {
          st_[i] = next(i, 0.0, kLow);
          flips_[i] = 0;
        } else {
          const std::uint8_t ns = next(i, w(c.x, i), st_[i]);
          if (ns != st_[i] && flips_[i] < kMaxFlips) {
            st_[i] = ns;
            ++flips_[i];
            ++c.noncon;
          }
        }
      }
      const Segment s = segment(i, st_[i]);
      const Output& o = outs_[i];
      o.load(c);
      // y = a·w + b with w = kw·u + cw
      c.f[o.br] -= s.a * p_[i].cw + s.b;
      stamp_[i].add(c, o.br, in_[i], -s.a * p_[i].kw);
    }
  }

  void acLoadBlock(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      outs_[i].acLoad(c);
      stamp_[i].addAc(c, -segment(i, st_[i]).a * p_[i].kw);
    }
  }

  void accept(const double* x, double) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      flips_[i] = 0;
      if (lastMode_ != AnalysisMode::DcOp) st_[i] = next(i, w(x, i), st_[i]);
    }
  }

  int settle(const double* x, double) override {
    int changed = 0;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const std::uint8_t ns = next(i, w(x, i), st_[i]);
      changed += ns != st_[i];
      st_[i] = ns;
    }
    return changed;
  }

  void configuration(std::vector<std::uint8_t>& key) const override { key.insert(key.end(), st_.begin(), st_.end()); }

  bool findEvent(const double* x0, const double* x1, double t0, double t1, Event& ev) const override {
    bool found = false;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const double w0 = w(x0, i), w1 = w(x1, i);
      const std::uint8_t s = st_[i];
      double level;
      if (w1 > exitUp(i, s)) level = exitUp(i, s);
      else if (w1 < exitDown(i, s)) level = exitDown(i, s);
      else continue;
      const double t = t0 + crossingFraction(w0, w1, level) * (t1 - t0);
      if (!found || t < ev.time) ev.time = t;
      found = true;
      // (a limiter's corner and a hysteresis buffer's turn are continuous; a comparator's output jumps)
      ev.analog = k_ != PwlBlock::Comparator;
    }
    return found;
  }

 private:
  struct Params {
    double kw = 1, cw = 0;  // w = kw·u + cw
    double lo = 0, hi = 0;  // output levels (limits)
    // hyst: the ramps' input ranges; comparator: riseHi = +hyst/2, fallLo = −hyst/2
    double riseLo = 0, riseHi = 0, fallLo = 0, fallHi = 0;
  };
  struct Segment {
    double a, b;  // y = a·w + b
  };

  double w(const double* x, std::size_t i) const { return p_[i].kw * in_[i].v(x) + p_[i].cw; }

  // w above exitUp(s) (below exitDown(s)) leaves state s.
  double exitUp(std::size_t i, std::uint8_t s) const {
    const Params& p = p_[i];
    switch (k_) {
      case PwlBlock::Limit: return s == kLow ? p.lo : s == kMid ? p.hi : kInf;
      case PwlBlock::Hyst: return s == kLow ? p.riseLo : s == kMid ? p.riseHi : s == kFallMid ? p.fallHi : kInf;
      case PwlBlock::Comparator: return s == kLow ? p.riseHi : kInf;
    }
    return kInf;
  }
  double exitDown(std::size_t i, std::uint8_t s) const {
    const Params& p = p_[i];
    switch (k_) {
      case PwlBlock::Limit: return s == kHigh ? p.hi : s == kMid ? p.lo : -kInf;
      case PwlBlock::Hyst: return s == kHigh ? p.fallHi : s == kFallMid ? p.fallLo : s == kMid ? p.riseLo : -kInf;
      case PwlBlock::Comparator: return s == kHigh ? p.fallLo : -kInf;
    }
    return -kInf;
  }
  std::uint8_t up(std::size_t i, std::uint8_t s) const {
    switch (k_) {
      case PwlBlock::Limit: return s == kLow ? kMid : kHigh;
      case PwlBlock::Hyst:
        if (s == kLow) return p_[i].riseHi > p_[i].riseLo ? kMid : kHigh;
        return kHigh;
      case PwlBlock::Comparator: return kHigh;
    }
    return s;
  }
  std::uint8_t down(std::size_t i, std::uint8_t s) const {
    switch (k_) {
      case PwlBlock::Limit: return s == kHigh ? kMid : kLow;
      case PwlBlock::Hyst:
        if (s == kHigh) return p_[i].fallHi > p_[i].fallLo ? kFallMid : kLow;
        return kLow;
      case PwlBlock::Comparator: return kLow;
    }
    return s;
  }
  // The state instance i takes at input quantity w from state s.
  std::uint8_t next(std::size_t i, double wv, std::uint8_t s) const {
    for (int k = 0; k < 4; ++k) {
      if (wv > exitUp(i, s)) s = up(i, s);
      else if (wv < exitDown(i, s)) s = down(i, s);
      else break;
    }
    return s;
  }
  Segment segment(std::size_t i, std::uint8_t s) const {
    const Params& p = p_[i];
    if (s == kLow) return {0.0, p.lo};
    if (s == kHigh) return {0.0, p.hi};
    if (k_ == PwlBlock::Limit) return {1.0, 0.0};
    // hyst ramps from (lo_in, lo) to (hi_in, hi)
    const double a0 = s == kMid ? p.riseLo : p.fallLo, a1 = s == kMid ? p.riseHi : p.fallHi;
    const double slope = (p.hi - p.lo) / (a1 - a0);
    return {slope, p.lo - slope * a0};
  }

  PwlBlock k_;
  std::vector<PortPair> in_;
  std::vector<InputStamp> stamp_;
  std::vector<Params> p_;
  std::vector<std::uint8_t> st_;
  std::vector<int> flips_;
  AnalysisMode lastMode_ = AnalysisMode::DcOp;
};

template <class G, const DeviceKind& Kind, auto Arg>
std::unique_ptr<DeviceGroup> make(std::vector<const ir::Device*> inst) {
  return std::make_unique<G>(Kind, std::move(inst), Arg);
}

constexpr ParamSpec kInOffset = mparam("in_offset", 0.0, "V", "added to the input");
constexpr ParamSpec kOutOffset = mparam("out_offset", 0.0, "V", "added to the output");
constexpr ParamSpec kGain = mparam("gain", 1.0, "", "gain");
constexpr ParamSpec kLimitRange =
    mparam("limit_range", 1e-6, "V", "XSPICE's smoothing range: accepted and ignored (sharp corners)");
constexpr ParamSpec kFraction =
    mparam("fraction", 0.0, "", "XSPICE's smoothing switch: accepted and ignored").words("false true");

constexpr const char* kGainTypes[] = {"gain"};
constexpr ParamSpec kGainParams[] = {kInOffset, kGain, kOutOffset};
constexpr const char* kSummerTypes[] = {"summer"};
constexpr ParamSpec kSummerParams[] = {
    mparam("in_offset", 0.0, "V", "added to each input (one per input, or one for all)").vec(),
    mparam("in_gain", 1.0, "", "gain of each input (one per input, or one for all)").vec(),
    mparam("out_gain", 1.0, "", "gain of the sum"),
    kOutOffset,
};
constexpr const char* kLimitTypes[] = {"limit"};
constexpr ParamSpec kLimitParams[] = {
    kInOffset, kGain,
    mparam("out_lower_limit", kNoDefault, "V", "lowest output (required)"),
    mparam("out_upper_limit", kNoDefault, "V", "highest output (required)"),
    kLimitRange, kFraction,
};
constexpr const char* kHystTypes[] = {"hyst"};
constexpr ParamSpec kHystParams[] = {
    mparam("in_low", 0.0, "V", "input where the ramps start (before the hysteresis shift)"),
    mparam("in_high", 1.0, "V", "input where the ramps end (before the hysteresis shift)"),
    mparam("hyst", 0.1, "V", "shift of the rising ramp up and of the falling ramp down"),
    mparam("out_lower_limit", 0.0, "V", "output below the ramps"),
    mparam("out_upper_limit", 1.0, "V", "output above the ramps"),
    mparam("input_domain", 0.01, "", "XSPICE's smoothing domain: accepted and ignored (sharp corners)"),
    mparam("fraction", 1.0, "", "XSPICE's smoothing switch: accepted and ignored").words("false true"),
};
constexpr const char* kCmpTypes[] = {"comparator"};
constexpr ParamSpec kCmpParams[] = {
    mparam("out_low", 0.0, "V", "output while the input difference is low"),
    mparam("out_high", 1.0, "V", "output while the input difference is high"),
    mparam("hyst", 0.0, "V", "hysteresis width: high above +hyst/2, low below −hyst/2"),
};

}  // namespace

}  // namespace simcore::dev::block

namespace simcore::dev {

extern const DeviceKind kGainBlockKind, kSummerBlockKind, kLimitBlockKind, kHystBlockKind, kComparatorKind;
constexpr DeviceKind kGainBlockKind{
    .letter = 'a', .name = "gain block", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 1, .modelTypes = block::kGainTypes, .params = block::kGainParams, .modelNoun = "gain",
    .valueDoc = "Aname in out model  (.model M gain(...))",
    .create = block::make<block::LinearBlock, kGainBlockKind, false>};
constexpr DeviceKind kSummerBlockKind{
    .letter = 'a', .name = "summer", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 1, .modelTypes = block::kSummerTypes, .params = block::kSummerParams, .modelNoun = "summer",
    .valueDoc = "Aname [in1 in2 ...] out model  (.model M summer(...))",
    .create = block::make<block::LinearBlock, kSummerBlockKind, true>};
constexpr DeviceKind kLimitBlockKind{
    .letter = 'a', .name = "limiter", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 1, .modelTypes = block::kLimitTypes, .params = block::kLimitParams, .modelNoun = "limit",
    .valueDoc = "Aname in out model  (.model M limit(...))",
    .create = block::make<block::PwlStatic, kLimitBlockKind, block::PwlBlock::Limit>};
constexpr DeviceKind kHystBlockKind{
    .letter = 'a', .name = "hysteresis block", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 1, .modelTypes = block::kHystTypes, .params = block::kHystParams, .modelNoun = "hyst",
    .valueDoc = "Aname in out model  (.model M hyst(...))",
    .create = block::make<block::PwlStatic, kHystBlockKind, block::PwlBlock::Hyst>};
constexpr DeviceKind kComparatorKind{
    .letter = 'a', .name = "comparator", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 1, .modelTypes = block::kCmpTypes, .params = block::kCmpParams, .modelNoun = "comparator",
    .valueDoc = "Aname in+ in- out model  or  Aname %vd(in+ in-) out model  (.model M comparator(...))",
    .create = block::make<block::PwlStatic, kComparatorKind, block::PwlBlock::Comparator>};

}  // namespace simcore::dev
