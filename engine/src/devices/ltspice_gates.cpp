// LTspice's special-function A devices (gates, Schmitt triggers, flip-flops):
//   Aname n1 n2 n3 n4 n5 n6 n7 n8 KIND [name=value ...]
// KIND is one of AND OR XOR BUF INV, SCHMITT SCHMTBUF SCHMTINV, DFLOP SRFLOP
// with no .model of that name in scope (the netlist reader then gives the
// card a built-in model of type ltspice@<kind>). Terminals (LTspice's help,
// "A. Special Functions"; the pin roles of the flip-flops and of the Schmitt's
// second input from the vendor models that use them, see docs/devices.md):
//   1-5  inputs; 6 the complementary (inverted) output; 7 the output; 8 common
//   a terminal tied to the common (same node) is unused: left out
//   gates     the function of the used inputs, v(in) - v(8) against Ref
//   Schmitt   v(1) - v(2) against Vt +- Vh (hysteresis on the input state)
//   DFLOP     1 D (unused: 1), 3 CLK (rising edge), 4 PRE, 5 CLR (levels, CLR wins)
//   SRFLOP    1 S, 2 R (levels, R wins)
// The logic is evaluated at accepted time points; input threshold crossings
// are located as events; a change reaches the outputs Td later (inertial: a
// change that reverts within Td is dropped) as a linear ramp of Trise (rising)
// or Tfall (falling) on each output. Each used output is a Thevenin source
// relative to terminal 8: the ramp's voltage behind Rhigh (output high) or
// Rlow (low), with Cout + Tau/Rout from the output to terminal 8. The discrete
// state is the output's logic level (one byte per instance); the group is
// piecewise linear (the event engine runs it).
#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "devices/common.hpp"

namespace simcore::dev {
namespace {

enum class LtFn : std::uint8_t { And, Or, Xor, Buf, Inv, Schmitt, SchmittInv, DFlop, SrFlop };

LtFn fnOf(std::string_view type) {
  // type: "ltspice@and", ...
  const std::string_view k = type.substr(type.find('@') + 1);
  if (k == "and") return LtFn::And;
  if (k == "or") return LtFn::Or;
  if (k == "xor") return LtFn::Xor;
  if (k == "buf") return LtFn::Buf;
  if (k == "inv") return LtFn::Inv;
  if (k == "schmitt" || k == "schmtbuf") return LtFn::Schmitt;
  if (k == "schmtinv") return LtFn::SchmittInv;
  if (k == "dflop") return LtFn::DFlop;
  return LtFn::SrFlop;
}

class LtGates final : public GroupBase {
 public:
  using GroupBase::GroupBase;

  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return true; }

  Status setup(SetupContext& ctx) override {
    g_.resize(inst_.size());
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      if (d.nodes.size() != 8) return error(d, "needs eight nodes, has " + std::to_string(d.nodes.size()));
      const ir::Model* m = ctx.model(d);
      Inst& s = g_[i];
      s.fn = fnOf(m ? m->type : "ltspice@buf");
      const ParamValues P = values(d);
      s.vhigh = P.inst("vhigh");
      s.vlow = P.inst("vlow");
      s.ref = P.inst("ref", 0.5 * (s.vhigh + s.vlow));
      s.trise = P.inst("trise");
      s.tfall = P.inst("tfall", s.trise);
      s.td = P.inst("td");
      const double rout = P.inst("rout");
      s.rhigh = P.inst("rhigh", rout);
      s.rlow = P.inst("rlow", rout);
      const double tau = P.inst("tau");
      s.cout = P.inst("cout");
      if (!(s.td >= 0) || !(s.trise >= 0) || !(s.tfall >= 0) || !(tau >= 0) || !(s.cout >= 0))
        return error(d, "td, trise, tfall, tau and cout must not be negative");
      if (!(rout > 0) || !(s.rhigh > 0) || !(s.rlow > 0)) return error(d, "rout, rhigh and rlow must be > 0");
      s.cout += tau / rout;
      if (schmitt(s)) {
        s.vt = P.inst("vt", s.ref);
        s.vh = P.inst("vh");
        if (!(s.vh >= 0)) return error(d, "vh (half the hysteresis) must not be negative");
      }
      if (flop(s)) {
        const double ic = P.inst("ic");
        if (ic != 0 && ic != 1) return error(d, "ic (the initial output state) must be 0 or 1");
        s.ff = ic != 0;
      }
      s.com = ctx.node(d.nodes[7]);
      for (int k = 0; k < 5; ++k)
        s.in[k] = d.nodes[std::size_t(k)] == d.nodes[7] ? -1 : ctx.node(d.nodes[std::size_t(k)]);
      for (int k = 0; k < 2; ++k) {
        s.out[k] = d.nodes[std::size_t(5 + k)] == d.nodes[7] ? -1 : ctx.node(d.nodes[std::size_t(5 + k)]);
        if (s.out[k] >= 0 && s.cout > 0) s.state[k] = ctx.addStates(1);
      }
      s.q = desiredAtDc(s, nullptr);
      for (int k = 0; k < 2; ++k) s.ramp[k] = Ramp::constant(level(s, k, s.q));
    }
    return {};
  }

  void pattern(PatternBuilder& b) override {
    for (Inst& s : g_)
      for (int k = 0; k < 2; ++k)
        if (s.out[k] >= 0) s.quad[k].bind(b, s.out[k], s.com);
  }

  void load(LoadContext& c) override {
    lastMode_ = c.mode;
    const bool dc = c.mode == AnalysisMode::DcOp;
    for (const Inst& s : g_)
      for (int k = 0; k < 2; ++k) {
        const Index o = s.out[k];
        if (o < 0) continue;
        const double v = c.x[o] - c.x[s.com];
        if (recordsOnly(c.mode)) {
          if (s.state[k] >= 0) c.charge(s.state[k], s.cout * v);
          continue;
        }
        const double g = 1.0 / resistance(s, k);
        const double src = dc ? level(s, k, s.q) : s.ramp[k].at(c.time);
        double i = g * (v - src), gt = g;
        if (s.state[k] >= 0) {
          const double iq = c.charge(s.state[k], s.cout * v);
          if (!dc) {
            i += iq;
            gt += c.ag0 * s.cout;
          }
        }
        c.f[o] += i;
        c.f[s.com] -= i;
        c.A[s.quad[k].aa] += gt;
        c.A[s.quad[k].bb] += gt;
        c.A[s.quad[k].ab] -= gt;
        c.A[s.quad[k].ba] -= gt;
      }
  }

  void acLoad(AcContext& c) override {
    for (const Inst& s : g_)
      for (int k = 0; k < 2; ++k)
        if (s.out[k] >= 0)
          c.admittance(s.quad[k], std::complex<double>(1.0 / resistance(s, k), c.omega * s.cout));
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const Inst& s : g_)
      for (int k = 0; k < 2; ++k)
        if (s.out[k] >= 0) out.emplace_back(s.out[k], s.com);
  }

  void configuration(std::vector<std::uint8_t>& key) const override {
    for (const Inst& s : g_) key.push_back(std::uint8_t(s.q));
  }
  void setConfiguration(const std::uint8_t*& p) override {
    for (Inst& s : g_) {
      s.q = *p++ != 0;
      s.pending = false;
      for (int k = 0; k < 2; ++k) s.ramp[k] = Ramp::constant(level(s, k, s.q));
    }
  }

  // Crossings that change an input's logic level (for the Schmitt: of the
  // trip point its input state looks for; DFLOP: CLK, PRE, CLR; D is read at
  // the clock edge).
  bool findEvent(const StepView& sv, Event& ev) const override {
    bool found = false;
    auto consider = [&](double qm1, double q0, double q1, double level) {
      if ((q0 > level) == (q1 > level)) return;
      const double t = sv.crossing(sv.xm1 ? qm1 : q0, q0, q1, level);
      if (!found || t < ev.time) ev.time = t;
      found = true;
    };
    for (const Inst& s : g_) {
      if (schmitt(s)) {
        auto v = [&](const double* x) { return diffIn(s, x); };
        consider(sv.xm1 ? v(sv.xm1) : 0, v(sv.x0), v(sv.x1), s.sstate ? s.vt - s.vh : s.vt + s.vh);
        continue;
      }
      for (int k = 0; k < 5; ++k) {
        if (s.in[k] < 0) continue;
        if (s.fn == LtFn::DFlop && (k == 0 || k == 1)) continue;
        auto v = [&](const double* x) { return x[s.in[k]] - x[s.com]; };
        consider(sv.xm1 ? v(sv.xm1) : 0, v(sv.x0), v(sv.x1), s.ref);
      }
    }
    return found;
  }
  using DeviceGroup::findEvent;

  double nextBreakpoint(double t) const override {
    double best = 1e300;
    for (const Inst& s : g_) {
      if (s.pending && s.pendingT > t) best = std::min(best, s.pendingT);
      for (int k = 0; k < 2; ++k)
        if (s.out[k] >= 0 && s.ramp[k].t1 > t) best = std::min(best, s.ramp[k].t1);
    }
    return best;
  }

  void accept(const double* x, double time) override {
    if (lastMode_ == AnalysisMode::DcOp) {
      // the operating point's states stand (settleDigitalInstance made them
      // consistent); the clock's level is the one an edge starts from
      for (Inst& s : g_) syncInputs(s, x);
      return;
    }
    for (Inst& s : g_) step(s, x, time);
  }

  int settle(const double* x, double time) override {
    int changed = 0;
    for (Inst& s : g_) {
      const bool before = s.q;
      step(s, x, time);
      changed += s.q != before;
    }
    return changed;
  }

  void digitalInstances(std::vector<std::pair<const ir::Device*, std::size_t>>& out) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) out.emplace_back(inst_[i], i);
  }
  int settleDigitalInstance(std::size_t i, double* x) override { return settleAtDc(g_[i], x); }
  int settleDigital(double* x) override {
    int changed = 0;
    for (Inst& s : g_) changed += settleAtDc(s, x);
    return changed;
  }

 private:
  // An output's source voltage: v0 until t0, a line to v1 at t1, v1 after.
  struct Ramp {
    double t0 = -1, v0 = 0, t1 = -1, v1 = 0;
    static Ramp constant(double v) { return Ramp{-1, v, -1, v}; }
    double at(double t) const {
      if (t <= t0) return v0;
      if (t >= t1) return v1;
      return v0 + (v1 - v0) * (t - t0) / (t1 - t0);
    }
  };
  struct Inst {
    LtFn fn = LtFn::Buf;
    std::array<Index, 5> in{-1, -1, -1, -1, -1};
    std::array<Index, 2> out{-1, -1};  // terminal 6 (inverted), 7
    Index com = 0;
    double vhigh = 1, vlow = 0, ref = 0.5, trise = 0, tfall = 0, td = 0, rhigh = 1, rlow = 1, cout = 0;
    double vt = 0.5, vh = 0;
    std::array<int, 2> state{-1, -1};
    std::array<Quad, 2> quad{};
    std::array<Ramp, 2> ramp{};
    bool q = false;        // the logic level at terminal 7 (applied)
    bool ff = false;       // a flip-flop's stored bit
    bool sstate = false;   // a Schmitt trigger's input state
    bool clk = false;      // DFLOP: the clock's level at the last accepted point
    bool pending = false;  // a change on its way (Td)
    bool pendingQ = false;
    double pendingT = 0;
  };

  static bool schmitt(const Inst& s) { return s.fn == LtFn::Schmitt || s.fn == LtFn::SchmittInv; }
  static bool flop(const Inst& s) { return s.fn == LtFn::DFlop || s.fn == LtFn::SrFlop; }
  static double level(const Inst& s, int k, bool q) { return (k == 1) == q ? s.vhigh : s.vlow; }
  // Output k's resistance in the level it is driven to.
  static double resistance(const Inst& s, int k) { return level(s, k, s.q) == s.vhigh ? s.rhigh : s.rlow; }
  static double diffIn(const Inst& s, const double* x) {
    const Index a = s.in[0] < 0 ? s.com : s.in[0], b = s.in[1] < 0 ? s.com : s.in[1];
    return x[a] - x[b];
  }
  bool high(const Inst& s, int k, const double* x) const { return x[s.in[k]] - x[s.com] > s.ref; }

  // Flip-flop inputs: PRE, CLR (DFLOP) or S, R (SRFLOP) as levels.
  void asyncInputs(Inst& s, const double* x) const {
    const int set = s.fn == LtFn::DFlop ? 3 : 0, clr = s.fn == LtFn::DFlop ? 4 : 1;
    if (s.in[clr] >= 0 && high(s, clr, x)) s.ff = false;
    else if (s.in[set] >= 0 && high(s, set, x)) s.ff = true;
  }

  // The level terminal 7 goes to for the inputs at x (updates the Schmitt's
  // input state and a flip-flop's stored bit; `edges`: a DFLOP takes D on a
  // rising clock).
  bool desired(Inst& s, const double* x, bool edges) const {
    switch (s.fn) {
      case LtFn::And:
      case LtFn::Or:
      case LtFn::Xor: {
        bool all = true, any = false, odd = false;
        for (int k = 0; k < 5; ++k) {
          if (s.in[k] < 0) continue;
          const bool h = high(s, k, x);
          all = all && h;
          any = any || h;
          odd = odd != h;
        }
        return s.fn == LtFn::And ? all : s.fn == LtFn::Or ? any : odd;
      }
      case LtFn::Buf:
      case LtFn::Inv: {
        const bool h = s.in[0] >= 0 && high(s, 0, x);
        return s.fn == LtFn::Buf ? h : !h;
      }
      case LtFn::Schmitt:
      case LtFn::SchmittInv: {
        const double v = diffIn(s, x);
        if (!s.sstate && v > s.vt + s.vh) s.sstate = true;
        else if (s.sstate && v < s.vt - s.vh) s.sstate = false;
        return s.fn == LtFn::Schmitt ? s.sstate : !s.sstate;
      }
      case LtFn::DFlop: {
        const bool clk = s.in[2] >= 0 && high(s, 2, x);
        if (edges && clk && !s.clk) s.ff = s.in[0] < 0 || high(s, 0, x);
        s.clk = clk;
        asyncInputs(s, x);
        return s.ff;
      }
      case LtFn::SrFlop: asyncInputs(s, x); return s.ff;
    }
    return false;
  }
  // At set-up (x null: no input read) and at the operating point.
  bool desiredAtDc(Inst& s, const double* x) const {
    if (!x) return flop(s) ? s.ff : false;
    return desired(s, x, false);
  }

  void syncInputs(Inst& s, const double* x) const {
    if (s.fn == LtFn::DFlop) s.clk = s.in[2] >= 0 && high(s, 2, x);
  }

  // Change terminal 7's level to q at time t: each output ramps from where
  // it is (a ramp cut short starts from its present value, and takes the
  // fraction of Trise or Tfall its remaining swing needs).
  void apply(Inst& s, bool q, double t) const {
    const double swing = std::abs(s.vhigh - s.vlow);
    for (int k = 0; k < 2; ++k) {
      const double v0 = s.ramp[k].at(t), v1 = level(s, k, q);
      const double full = v1 > v0 ? s.trise : s.tfall;
      const double dur = swing > 0 ? full * std::abs(v1 - v0) / swing : 0.0;
      s.ramp[k] = Ramp{t, v0, t + dur, v1};
    }
    s.q = q;
    s.pending = false;
  }

  void step(Inst& s, const double* x, double time) const {
    if (s.pending && time >= s.pendingT * (1.0 - 1e-12)) apply(s, s.pendingQ, s.pendingT);
    const bool want = desired(s, x, true);
    if (want == s.q) {
      s.pending = false;  // (inertial: a change that reverted within Td)
      return;
    }
    if (s.pending && s.pendingQ == want) return;
    if (s.td > 0) {
      s.pending = true;
      s.pendingQ = want;
      s.pendingT = time + s.td;
    } else {
      apply(s, want, time);
    }
  }

  int settleAtDc(Inst& s, double* x) const {
    const bool before = s.q;
    s.q = desiredAtDc(s, x);
    s.pending = false;
    for (int k = 0; k < 2; ++k) {
      s.ramp[k] = Ramp::constant(level(s, k, s.q));
      if (s.out[k] > 0) x[s.out[k]] = x[s.com] + level(s, k, s.q);
    }
    syncInputs(s, x);
    return s.q != before;
  }

  Status error(const ir::Device& d, const std::string& what) const {
    return deviceError(d, std::string(kind_.name) + " '" + d.name + "': " + what);
  }

  std::vector<Inst> g_;
  AnalysisMode lastMode_ = AnalysisMode::DcOp;
};

#define LT_OUTPUT_PARAMS                                                                                            \
  iparam("vhigh", 1.0, "V", "output high level (relative to terminal 8)"),                                          \
      iparam("vlow", 0.0, "V", "output low level (relative to terminal 8)"),                                        \
      iparam("ref", kNoDefault, "V", "input logic threshold (relative to terminal 8)").shown("(vhigh+vlow)/2"),     \
      iparam("trise", 0.0, "s", "rise time of an output (a linear ramp)"),                                          \
      iparam("tfall", kNoDefault, "s", "fall time of an output").shown("trise"),                                    \
      iparam("td", 0.0, "s", "propagation delay (inertial: a change that reverts within td is dropped)"),           \
      iparam("tau", 0.0, "s", "output RC time constant: adds tau/rout to cout"),                                    \
      iparam("cout", 0.0, "F", "output capacitance (to terminal 8)"),                                               \
      iparam("rout", 1.0, "Ω", "output resistance"),                                                                \
      iparam("rhigh", kNoDefault, "Ω", "output resistance at the high level").shown("rout"),                        \
      iparam("rlow", kNoDefault, "Ω", "output resistance at the low level").shown("rout"),                          \
      iparam("tripdt", 0.0, "s", "LTspice's time-step control near a transition: accepted and ignored").shown("—"), \
      iparam("tripdv", 0.0, "V", "LTspice's voltage-step control near a transition: accepted and ignored").shown("—")

constexpr const char* kGateTypes[] = {"ltspice@and", "ltspice@or", "ltspice@xor", "ltspice@buf", "ltspice@inv"};
constexpr ParamSpec kGateParams[] = {LT_OUTPUT_PARAMS};
constexpr const char* kSchmittTypes[] = {"ltspice@schmitt", "ltspice@schmtbuf", "ltspice@schmtinv"};
constexpr ParamSpec kSchmittParams[] = {
    LT_OUTPUT_PARAMS,
    iparam("vt", kNoDefault, "V", "trip point: the input (v(1) - v(2)) switches at vt ± vh").shown("ref"),
    iparam("vh", 0.0, "V", "half the hysteresis: rising trip vt + vh, falling vt - vh")};
constexpr const char* kFlopTypes[] = {"ltspice@dflop", "ltspice@srflop"};
constexpr ParamSpec kFlopParams[] = {LT_OUTPUT_PARAMS,
                                     iparam("ic", 0.0, "", "stored bit (terminal 7's level) before the operating point: 0 or 1")};

#undef LT_OUTPUT_PARAMS

}  // namespace

extern const DeviceKind kLtGateKind, kLtSchmittKind, kLtFlopKind;
constexpr DeviceKind kLtGateKind{
    .letter = 'a', .name = "LTspice gate", .form = CardForm::CodeModel, .minNodes = 0,
    .maxNodes = 1 << 20,  // (as every A kind: the reader gives these cards their eight nodes)
    .modelTypes = kGateTypes, .params = kGateParams,
    .valueDoc = "Aname in1 in2 in3 in4 in5 out- out+ com AND|OR|XOR|BUF|INV [name=value ...]",
    .create = makeGroup<LtGates, kLtGateKind>};
constexpr DeviceKind kLtSchmittKind{
    .letter = 'a', .name = "LTspice Schmitt trigger", .form = CardForm::CodeModel, .minNodes = 0,
    .maxNodes = 1 << 20,  // (as every A kind: the reader gives these cards their eight nodes)
    .modelTypes = kSchmittTypes, .params = kSchmittParams,
    .valueDoc = "Aname in+ in- n3 n4 n5 out- out+ com SCHMITT|SCHMTBUF|SCHMTINV [name=value ...]",
    .create = makeGroup<LtGates, kLtSchmittKind>};
constexpr DeviceKind kLtFlopKind{
    .letter = 'a', .name = "LTspice flip-flop", .form = CardForm::CodeModel, .minNodes = 0,
    .maxNodes = 1 << 20,  // (as every A kind: the reader gives these cards their eight nodes)
    .modelTypes = kFlopTypes, .params = kFlopParams,
    .valueDoc = "Aname d n2 clk pre clr qbar q com DFLOP | Aname s r n3 n4 n5 qbar q com SRFLOP [name=value ...]",
    .create = makeGroup<LtGates, kLtFlopKind>};

}  // namespace simcore::dev
