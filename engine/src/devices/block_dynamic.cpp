// Control blocks with memory (A cards). The integrator owns the method: each
// state is an internal unknown z whose derivative comes from
// LoadContext::charge(s, z) (current = dz/dt).
//   int     y = out_ic + gain·∫(u + in_offset) dt, clamped to
//           [out_lower_limit, out_upper_limit] with anti-windup
//   pi      y = kp·(u + in_offset) + z,  dz/dt = ki·(u + in_offset),  z(0) = out_ic,
//           clamped likewise
//   s_xfer  y = gain·N(s)/D(s)·(u + in_offset), N and D in descending powers of
//           s/denormalized_freq (XSPICE's s_xfer), in controllable canonical form
// int and pi share one group (int is pi with kp = 0, ki = gain). Their
// discrete state is the output segment (free, at the lower or at the upper
// limit: y_free = kp·u + z crossing a limit) and the anti-windup freeze: at a
// limit, while the input drives further into it (ki·u > 0 at the upper one),
// z holds the value it had when the freeze began; it integrates again as soon
// as the input turns back, and the output leaves the limit when y_free does.
// At DC z = out_ic (XSPICE's int: its output is out_ic at the operating point).
#include <cmath>
#include <limits>

#include "devices/block_common.hpp"

namespace simcore::dev::block {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

enum : std::uint8_t { kFree = 0, kAtLow = 1, kAtHigh = 2, kFrozen = 4 };

class Integrating final : public BlockGroup {
 public:
  static constexpr int kMaxFlips = 8;
  Integrating(const DeviceKind& kind, std::vector<const ir::Device*> inst, bool pi)
      : BlockGroup(kind, std::move(inst)), pi_(pi) {}

  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return true; }

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kShape[] = {currentIn({"in"}), currentOut({"out"})};
    const std::size_t n = inst_.size();
    in_.resize(n); z_.resize(n); s_.resize(n); p_.resize(n); pos_.resize(n);
    st_.assign(n, kFree); flips_.assign(n, 0); zf_.assign(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, kShape);
      if (!ports) return ports.takeError();
      in_[i] = ports.value()[0][0];
      addOutput(ctx, i, ports.value()[1][0], "out");
      z_[i] = addState(ctx, i, "int");
      s_[i] = ctx.addStates(1);
      const ParamValues P = values(d, m.value());
      Params& p = p_[i];
      p.off = P.model("in_offset");
      p.kp = pi_ ? P.model("kp") : 0.0;
      p.ki = pi_ ? P.model("ki") : P.model("gain");
      p.lo = P.model("out_lower_limit", -kInf);
      p.hi = P.model("out_upper_limit", kInf);
      p.ic = P.model("out_ic");
      if (!std::isfinite(p.kp) || !std::isfinite(p.ki) || !std::isfinite(p.ic) || !std::isfinite(p.off))
        return error(d, "its parameters must be finite");
      if (!(p.hi > p.lo)) return error(d, "out_upper_limit must be above out_lower_limit");
    }
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      outs_[i].bind(b);
      Pos& q = pos_[i].zz;
      q = b.entry(z_[i], z_[i]);
      pos_[i].zIn.bind(b, z_[i], in_[i]);
      pos_[i].yIn.bind(b, outs_[i].br, in_[i]);
      pos_[i].yz = b.entry(outs_[i].br, z_[i]);
    }
  }

  void loadBlock(LoadContext& c) override {
    lastMode_ = c.mode;
    for (std::size_t i = 0, n = inst_.size(); i < n; ++i) {
      const Params& p = p_[i];
      const Index z = z_[i];
      if (c.mode == AnalysisMode::TranInit) {  // charges only; the state changes in accept()
        (void)c.charge(s_[i], c.x[z]);
        continue;
      }
      if (c.mode == AnalysisMode::DcOp) {
        zf_[i] = p.ic;  // a transient starting frozen holds z where the operating point has it
        if (c.initJunctions) {
          st_[i] = kFree;
          flips_[i] = 0;
        } else {
          const std::uint8_t ns = next(i, c.x, st_[i]);
          if (ns != st_[i] && flips_[i] < kMaxFlips) {
            st_[i] = ns;
            ++flips_[i];
            ++c.noncon;
          }
        }
      }
      const double iq = c.charge(s_[i], c.x[z]);
      // state row
      if (c.mode == AnalysisMode::DcOp || (st_[i] & kFrozen)) {
        const double target = c.mode == AnalysisMode::DcOp ? p.ic : zf_[i];
        c.f[z] += c.x[z] - target;
        if (c.stampMatrix) c.A[pos_[i].zz] += 1.0;
      } else {
        c.f[z] += iq;
        if (c.stampMatrix) c.A[pos_[i].zz] += c.ag0;
        pos_[i].zIn.add(c, z, in_[i], -p.ki);
        c.f[z] -= p.ki * p.off;
      }
      // output row: y = kp·(u + off) + z, or a limit
      const Output& o = outs_[i];
      o.load(c);
      const std::uint8_t seg = st_[i] & 3;
      if (seg == kFree) {
        pos_[i].yIn.add(c, o.br, in_[i], -p.kp);
        c.f[o.br] -= p.kp * p.off + c.x[z];
        if (c.stampMatrix) c.A[pos_[i].yz] -= 1.0;
      } else {
        c.f[o.br] -= seg == kAtHigh ? p.hi : p.lo;
      }
    }
  }

  void acLoadBlock(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const Params& p = p_[i];
      if (st_[i] & kFrozen) {
        c.A[pos_[i].zz] += 1.0;
      } else {
        c.A[pos_[i].zz] += std::complex<double>(0.0, c.omega);
        pos_[i].zIn.addAc(c, -p.ki);
      }
      outs_[i].acLoad(c);
      if ((st_[i] & 3) == kFree) {
        pos_[i].yIn.addAc(c, -p.kp);
        c.A[pos_[i].yz] -= 1.0;
      }
    }
  }

  void accept(const double* x, double) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      flips_[i] = 0;
      if (lastMode_ != AnalysisMode::DcOp) change(i, x, next(i, x, st_[i]));
    }
  }

  int settle(const double* x, double) override {
    int changed = 0;
    for (std::size_t i = 0; i < inst_.size(); ++i) changed += change(i, x, next(i, x, st_[i]));
    return changed;
  }

  void configuration(std::vector<std::uint8_t>& key) const override { key.insert(key.end(), st_.begin(), st_.end()); }

  bool findEvent(const double* x0, const double* x1, double t0, double t1, Event& ev) const override {
    bool found = false;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const std::uint8_t s = st_[i], ns = next(i, x1, s);
      if (ns == s) continue;
      const Params& p = p_[i];
      double frac = 1.0;
      const double y0 = yFree(x0, i), y1 = yFree(x1, i);
      if ((ns & 3) != (s & 3)) {
        const double level = (s & 3) == kAtHigh || y1 > p.hi ? p.hi : p.lo;
        frac = std::min(frac, crossingFraction(y0, y1, level));
      }
      if ((ns & kFrozen) != (s & kFrozen) && (ns & 3) == (s & 3))
        frac = std::min(frac, crossingFraction(drive(x0, i), drive(x1, i), 0.0));
      const double t = t0 + frac * (t1 - t0);
      if (!found || t < ev.time) ev.time = t;
      found = true;
    }
    return found;
  }

 private:
  struct Params {
    double off = 0, kp = 0, ki = 1, lo = -kInf, hi = kInf, ic = 0;
  };
  struct Positions {
    Pos zz = 0, yz = 0;
    InputStamp zIn, yIn;
  };

  double u(const double* x, std::size_t i) const { return in_[i].v(x) + p_[i].off; }
  double yFree(const double* x, std::size_t i) const { return p_[i].kp * u(x, i) + x[z_[i]]; }
  double drive(const double* x, std::size_t i) const { return p_[i].ki * u(x, i); }

  // The state at x from s: the segment follows y_free (leaving a limit when
  // y_free comes back inside it), frozen while at a limit and driven into it.
  std::uint8_t next(std::size_t i, const double* x, std::uint8_t s) const {
    const Params& p = p_[i];
    const double y = yFree(x, i);
    std::uint8_t seg = s & 3;
    if (y > p.hi) seg = kAtHigh;
    else if (y < p.lo) seg = kAtLow;
    else if ((seg == kAtHigh && y < p.hi) || (seg == kAtLow && y > p.lo)) seg = kFree;
    const double dr = drive(x, i);
    bool frozen = s & kFrozen;
    if (seg == kFree) frozen = false;
    else if (seg == kAtHigh) frozen = dr > 0 || (frozen && dr == 0);
    else frozen = dr < 0 || (frozen && dr == 0);
    return std::uint8_t(seg | (frozen ? kFrozen : 0));
  }
  // Moves instance i to state ns (a freeze starts from z at x); 1 when it changed.
  int change(std::size_t i, const double* x, std::uint8_t ns) {
    if (ns == st_[i]) return 0;
    if ((ns & kFrozen) && !(st_[i] & kFrozen)) zf_[i] = x[z_[i]];
    st_[i] = ns;
    return 1;
  }

  bool pi_;
  std::vector<PortPair> in_;
  std::vector<Index> z_;
  std::vector<int> s_;
  std::vector<Params> p_;
  std::vector<Positions> pos_;
  std::vector<std::uint8_t> st_;
  std::vector<int> flips_;
  std::vector<double> zf_;
  AnalysisMode lastMode_ = AnalysisMode::DcOp;
};

// ---- s_xfer. In the normalised variable s' = s/denormalized_freq (wd), with
// D normalised to a_n = 1 and states z_1..z_n in normalised time (so a
// normalised filter has states of the size of its signals):
//   z_k'/wd = z_{k+1} (k < n),  z_n'/wd = u − Σ_{k<n} a_k z_{k+1},
//   y = gain·(Σ_{k<n} (b_k − b_n a_k) z_{k+1} + b_n u)
// The charge of state k is z_k/wd. At DC the derivatives vanish: z_1 = u/a_0,
// the others 0 (z_1 = 0 when a_0 = 0: a pure integrator starts from zero).
class SXfer final : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kShape[] = {currentIn({"in"}), currentOut({"out"})};
    const std::size_t n = inst_.size();
    in_.resize(n); off_.resize(n); first_.assign(n + 1, 0); dIn_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, kShape);
      if (!ports) return ports.takeError();
      in_[i] = ports.value()[0][0];
      addOutput(ctx, i, ports.value()[1][0], "out");
      const ParamValues P = values(d, m.value());
      std::vector<double> num = P.modelVector("num_coeff"), den = P.modelVector("den_coeff");
      if (num.empty() || den.empty()) return error(d, "num_coeff and den_coeff are required");
      if (num.size() > den.size()) return error(d, "the numerator's degree must not exceed the denominator's");
      const double wd = P.model("denormalized_freq"), gain = P.model("gain");
      if (!(wd > 0)) return error(d, "denormalized_freq must be positive");
      off_[i] = P.model("in_offset");
      // ascending powers of s'
      const std::size_t order = den.size() - 1;
      std::vector<double> a(order + 1, 0.0), b(order + 1, 0.0);
      for (std::size_t k = 0; k <= order; ++k) a[k] = den[den.size() - 1 - k];
      for (std::size_t k = 0; k < num.size(); ++k) b[k] = num[num.size() - 1 - k];
      wd_.push_back(wd);
      const double an = a[order];
      if (an == 0) return error(d, "the leading den_coeff must not be zero");
      for (double& v : a) v /= an;
      for (double& v : b) v /= an;
      // int_ic: ngspice's integrator outputs x_j (int_ic[0] the first integrator's, x_{n-1}; the last
      // element the output-side x_0), x_j = gain/a_n · wd^j · z_{j+1}
      const std::vector<double> ic = P.hasModel("int_ic") ? P.modelVector("int_ic") : std::vector<double>{};
      held_.push_back(P.hasModel("int_ic"));
      // (more values than integrators: ngspice 39 reads the first ones, int_ic[0..order-1],
      // and ignores the rest, as here: a first-order filter's int_ic = [0 0])
      if (held_.back() && ic.size() < order)
        return error(d, "int_ic takes " + std::to_string(order) + " value" + (order == 1 ? "" : "s") +
                            " (one per integrator: the denominator's degree), got " + std::to_string(ic.size()));
      if (held_.back() && gain == 0) return error(d, "int_ic needs a nonzero gain");
      first_[i] = z_.size();
      for (std::size_t k = 0; k < order; ++k) {
        std::string suffix = "x";
        suffix += std::to_string(k + 1);
        z_.push_back(addState(ctx, i, suffix));
        s_.push_back(ctx.addStates(1));
        a_.push_back(a[k]);
        c_.push_back(gain * (b[k] - b[order] * a[k]));
        ic_.push_back(held_.back() ? ic[order - 1 - k] * an / (gain * std::pow(wd, double(k))) : 0.0);
      }
      dIn_[i] = gain * b[order];
    }
    first_[n] = z_.size();
    pz_.resize(z_.size());
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    yIn_.resize(inst_.size());
    zIn_.resize(inst_.size());
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const Output& o = outs_[i];
      outs_[i].bind(b);
      yIn_[i].bind(b, o.br, in_[i]);
      const std::size_t f = first_[i], e = first_[i + 1];
      for (std::size_t k = f; k < e; ++k) {
        Positions& q = pz_[k];
        q.self = b.entry(z_[k], z_[k]);
        q.nextZ = k + 1 < e ? b.entry(z_[k], z_[k + 1]) : 0;
        q.out = b.entry(o.br, z_[k]);
        q.last = b.entry(z_[e - 1], z_[k]);
      }
      if (e > f) zIn_[i].bind(b, z_[e - 1], in_[i]);
    }
  }

  void loadBlock(LoadContext& c) override {
    const bool dc = c.mode == AnalysisMode::DcOp;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const std::size_t f = first_[i], e = first_[i + 1];
      if (c.mode == AnalysisMode::TranInit) {
        for (std::size_t k = f; k < e; ++k) (void)c.charge(s_[k], c.x[z_[k]] / wd_[i]);
        continue;
      }
      const Output& o = outs_[i];
      const double* x = c.x;
      const double inv = 1.0 / wd_[i];
      if (dc && held_[i]) {
        // int_ic given: the operating point holds the integrators at it (as ngspice 39)
        for (std::size_t k = f; k < e; ++k) {
          (void)c.charge(s_[k], x[z_[k]] * inv);
          c.f[z_[k]] += x[z_[k]] - ic_[k];
          if (c.stampMatrix) c.A[pz_[k].self] += 1.0;
        }
      }
      for (std::size_t k = f; k < e && !(dc && held_[i]); ++k) {
        const double iq = c.charge(s_[k], x[z_[k]] * inv);
        const Index r = z_[k];
        if (!dc) {
          c.f[r] += iq;
          if (c.stampMatrix) c.A[pz_[k].self] += c.ag0 * inv;
        }
        if (k + 1 < e) {
          c.f[r] -= x[z_[k + 1]];
          if (c.stampMatrix) c.A[pz_[k].nextZ] -= 1.0;
        }
      }
      if (e > f && !(dc && held_[i])) {
        // last row: z_n' + Σ a_k z_{k+1} − u = 0 (at DC with a_0 = 0: z_1 = 0)
        const Index r = z_[e - 1];
        const bool pinned = dc && a_[f] == 0;
        if (pinned) {
          c.f[r] += x[z_[f]];
          if (c.stampMatrix) c.A[pz_[f].last] += 1.0;
        } else {
          for (std::size_t k = f; k < e; ++k) {
            c.f[r] += a_[k] * x[z_[k]];
            if (c.stampMatrix) c.A[pz_[k].last] += a_[k];
          }
          zIn_[i].add(c, r, in_[i], -1.0);
          c.f[r] -= off_[i];
        }
      }
      o.load(c);
      for (std::size_t k = f; k < e; ++k) {
        c.f[o.br] -= c_[k] * x[z_[k]];
        if (c.stampMatrix) c.A[pz_[k].out] -= c_[k];
      }
      yIn_[i].add(c, o.br, in_[i], -dIn_[i]);
      c.f[o.br] -= dIn_[i] * off_[i];
    }
  }

  void acLoadBlock(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const std::complex<double> jw(0.0, c.omega / wd_[i]);
      const std::size_t f = first_[i], e = first_[i + 1];
      for (std::size_t k = f; k < e; ++k) {
        c.A[pz_[k].self] += jw;
        if (k + 1 < e) c.A[pz_[k].nextZ] -= 1.0;
        c.A[pz_[k].last] += a_[k];
        c.A[pz_[k].out] -= c_[k];
      }
      if (e > f) zIn_[i].addAc(c, -1.0);
      outs_[i].acLoad(c);
      yIn_[i].addAc(c, -dIn_[i]);
    }
  }

 private:
  struct Positions {
    Pos self = 0, nextZ = 0, out = 0, last = 0;
  };
  std::vector<PortPair> in_;
  std::vector<double> off_, dIn_, wd_;
  std::vector<std::size_t> first_;  // instance i's states: [first_[i], first_[i+1])
  std::vector<Index> z_;
  std::vector<int> s_;
  std::vector<double> a_, c_, ic_;  // per state; ic_: its value at the operating point when held
  std::vector<char> held_;           // per instance: int_ic given
  std::vector<Positions> pz_;
  std::vector<InputStamp> yIn_, zIn_;
};

template <class G, const DeviceKind& Kind, bool Pi>
std::unique_ptr<DeviceGroup> makeInt(std::vector<const ir::Device*> inst) {
  return std::make_unique<G>(Kind, std::move(inst), Pi);
}

constexpr ParamSpec kInOffset = mparam("in_offset", 0.0, "V", "added to the input");
constexpr ParamSpec kLower =
    mparam("out_lower_limit", kNoDefault, "V", "lowest output (anti-windup below it)").shown("−∞");
constexpr ParamSpec kUpper =
    mparam("out_upper_limit", kNoDefault, "V", "highest output (anti-windup above it)").shown("∞");

constexpr const char* kIntTypes[] = {"int"};
constexpr ParamSpec kIntParams[] = {
    kInOffset,
    mparam("gain", 1.0, "1/s", "integration gain"),
    kLower, kUpper,
    mparam("limit_range", 1e-6, "V", "XSPICE's smoothing range: accepted and ignored (sharp limits)"),
    mparam("out_ic", 0.0, "V", "output at the operating point and at t = 0"),
};
constexpr const char* kPiTypes[] = {"pi"};
constexpr ParamSpec kPiParams[] = {
    kInOffset,
    mparam("kp", 1.0, "", "proportional gain"),
    mparam("ki", 1.0, "1/s", "integral gain"),
    kLower, kUpper,
    mparam("out_ic", 0.0, "V", "integral part at the operating point and at t = 0"),
};
constexpr const char* kSxferTypes[] = {"s_xfer"};
constexpr ParamSpec kSxferParams[] = {
    kInOffset,
    mparam("gain", 1.0, "", "gain"),
    mparam("num_coeff", kNoDefault, "", "numerator coefficients, highest power of s first (required)").vec(),
    mparam("den_coeff", kNoDefault, "", "denominator coefficients, highest power of s first (required)").vec(),
    mparam("denormalized_freq", 1.0, "rad/s", "s in the polynomials stands for s/denormalized_freq"),
    mparam("int_ic", kNoDefault, "", "the integrators' outputs at the operating point, the first integrator's "
                                     "first (one per degree of den_coeff; absent: the steady state)")
        .vec()
        .shown("—"),
};

}  // namespace
}  // namespace simcore::dev::block

namespace simcore::dev {

extern const DeviceKind kIntBlockKind, kPiBlockKind, kSxferBlockKind;
constexpr DeviceKind kIntBlockKind{
    .letter = 'a', .name = "integrator", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 1, .modelTypes = block::kIntTypes, .params = block::kIntParams, .modelNoun = "int",
    .valueDoc = "Aname in out model  (.model M int(...))",
    .create = block::makeInt<block::Integrating, kIntBlockKind, false>};
constexpr DeviceKind kPiBlockKind{
    .letter = 'a', .name = "PI controller", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 1, .modelTypes = block::kPiTypes, .params = block::kPiParams, .modelNoun = "pi",
    .valueDoc = "Aname in out model  (.model M pi(...))",
    .create = block::makeInt<block::Integrating, kPiBlockKind, true>};
constexpr DeviceKind kSxferBlockKind{
    .letter = 'a', .name = "transfer function", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 1, .modelTypes = block::kSxferTypes, .params = block::kSxferParams, .modelNoun = "s_xfer",
    .valueDoc = "Aname in out model  (.model M s_xfer(...))",
    .create = makeGroup<block::SXfer, kSxferBlockKind>};

}  // namespace simcore::dev
