// LTspice's analog special-function A devices:
//   Aname n1 n2 n3 n4 n5 n6 n7 n8 OTA|MODULATE|MODULATOR|SAMPLEHOLD [name=value ...] [linear]
// with no .model of that name in scope (the netlist reader gives the card a
// built-in model of type ltspice@<kind>). As for the gates, terminal 8 is the
// common and a terminal tied to it is unused. Terminal roles (LTspice's help,
// "A. Special Functions", and the vendor models that use them; docs/devices.md):
//   OTA         1 in-, 2 in+, 7 out; 3-6 unused (LTspice's multiplying inputs:
//               not modelled, a located error). The output is a current source
//               sourcing i into terminal 7 (returning through 8):
//                 u = v(2) - v(1) + ref,  x = g u
//                 linear:  i = x
//                 else:    i = isrc tanh(x / isrc) (x >= 0), isink tanh(x / isink) (x < 0)
//               times a compliance factor: sourcing fades to 0 over the 10 mV
//               below vhigh, sinking over the 10 mV above vlow (a cubic
//               smoothstep; the output voltage v(7) - v(8)); with rout and
//               cout from terminal 7 to 8.
//   MODULATE    1 FM, 2 AM, 7 out; 3-6 unused. A phase p (cycles) integrates
//               f = space + (mark - space) v(1); the output is am sin(2 pi p)
//               (am = v(2), 1 when terminal 2 is unused) behind rout, with cout.
//               p is an internal unknown (<name>#phase, a 1 F capacitor fed by
//               f): the transient's integrator owns it; 0 at the operating point.
//   SAMPLEHOLD  1 in+, 2 in-, 3 CLK (rising edge samples), 4 S/H (tracks while
//               high), 7 out; 5, 6 unused. The output is the held value (the
//               input v(1) - v(2) at the last sample), limited to [vlow, vhigh],
//               behind rout with cout; at the operating point the input.
// All inputs and outputs are relative to terminal 8.
#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <vector>

#include "devices/common.hpp"

namespace simcore::dev {
namespace {

// The Thevenin output MODULATE and SAMPLEHOLD share: gout (v - src) from terminal 7
// to 8 (v its voltage, src the source behind ROUT) and COUT's charge current (none
// at the operating point), stamped with its conductance.
template <class Inst>
void stampTheveninOutput(LoadContext& c, const Inst& s, double v, double src, bool dc) {
  double i = s.gout * (v - src), gt = s.gout;
  if (s.state >= 0) {
    const double iq = c.charge(s.state, s.cout * v);
    if (!dc) {
      i += iq;
      gt += c.ag0 * s.cout;
    }
  }
  c.f[s.out] += i;
  c.f[s.com] -= i;
  c.A[s.quad.aa] += gt;
  c.A[s.quad.bb] += gt;
  c.A[s.quad.ab] -= gt;
  c.A[s.quad.ba] -= gt;
}

constexpr double kTwoPi = 2.0 * std::numbers::pi;
constexpr double kKnee = 10e-3;  // the OTA's compliance knee (V)

// A terminal tied to the common is unused (-1), else its unknown.
Index terminal(SetupContext& ctx, const ir::Device& d, std::size_t k) {
  return d.nodes[k] == d.nodes[7] ? -1 : ctx.node(d.nodes[k]);
}

// Terminals that must be unused for a kind (listed 1-based in `which`).
Status requireUnused(const DeviceKind& kind, const ir::Device& d, std::initializer_list<int> which,
                     const char* why) {
  for (int k : which)
    if (d.nodes[std::size_t(k - 1)] != d.nodes[7])
      return deviceError(d, std::string(kind.name) + " '" + d.name + "': terminal " + std::to_string(k) + " ('" +
                                d.nodes[std::size_t(k - 1)] + "') must be tied to the common (terminal 8): " + why);
  return {};
}

// 0 below 0, 1 above 1, a cubic between (and its derivative).
double smoothstep(double z, double& dz) {
  if (z <= 0) {
    dz = 0;
    return 0;
  }
  if (z >= 1) {
    dz = 0;
    return 1;
  }
  dz = 6 * z * (1 - z);
  return z * z * (3 - 2 * z);
}

// ---------------------------------------------------------------- OTA
class LtOta final : public GroupBase {
 public:
  using GroupBase::GroupBase;
  bool linear() const override { return false; }

  Status setup(SetupContext& ctx) override {
    g_.resize(inst_.size());
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      if (d.nodes.size() != 8) return error(d, "needs eight nodes, has " + std::to_string(d.nodes.size()));
      if (auto s = requireUnused(kind_, d, {3, 4, 5, 6}, "simcore models the OTA with one input pair"); !s) return s;
      Inst& s = g_[i];
      const ParamValues P = values(d);
      s.g = P.inst("g");
      s.ref = P.inst("ref");
      s.linear = P.inst("linear") != 0;
      const double iout = P.inst("iout");
      s.isrc = std::abs(P.inst("isrc", iout));
      s.isink = std::abs(P.inst("isink", iout));
      s.vhigh = P.inst("vhigh");
      s.vlow = P.inst("vlow");
      const double rout = P.inst("rout");
      s.cout = P.inst("cout");
      if (!s.linear && !(s.isrc > 0 && s.isink > 0)) return error(d, "iout, isrc and isink must not be 0");
      if (!(rout >= 0) || !(s.cout >= 0)) return error(d, "rout and cout must not be negative");
      if (!(s.vhigh > s.vlow)) return error(d, "vhigh must be above vlow");
      s.gout = rout > 0 ? 1.0 / rout : 0.0;
      s.in1 = terminal(ctx, d, 0);
      s.in2 = terminal(ctx, d, 1);
      s.com = ctx.node(d.nodes[7]);
      if (s.in1 < 0) s.in1 = s.com;
      if (s.in2 < 0) s.in2 = s.com;
      s.out = terminal(ctx, d, 6);
      // an output tied to the common drives nothing: LTspice's models use such an OTA (g=0) as a
      // source of input noise alone (ADI's AD820: `A2 2 1 0 0 0 0 0 0 OTA g=0 in=.8f ...`),
      // which simcore does not model: the instance is inert
      s.inert = s.out < 0;
      if (s.inert) continue;
      if (s.cout > 0) s.state = ctx.addStates(1);
    }
    return {};
  }

  void pattern(PatternBuilder& b) override {
    for (Inst& s : g_) {
      if (s.inert) continue;
      const Index cols[4] = {s.in1, s.in2, s.out, s.com};
      for (int c = 0; c < 4; ++c) {
        s.pos[0][c] = b.entry(s.out, cols[c]);
        s.pos[1][c] = b.entry(s.com, cols[c]);
      }
    }
  }

  void load(LoadContext& c) override {
    for (const Inst& s : g_) {
      if (s.inert) continue;
      const double v = c.x[s.out] - c.x[s.com];
      if (recordsOnly(c.mode)) {
        if (s.state >= 0) c.charge(s.state, s.cout * v);
        continue;
      }
      const Eval e = eval(s, c.x);
      // current leaving the output node through the device: -isrc + v gout (+ the capacitor)
      double i = -e.i + s.gout * v, gvv = -e.didv + s.gout;
      if (s.state >= 0) {
        const double iq = c.charge(s.state, s.cout * v);
        if (c.mode != AnalysisMode::DcOp) {
          i += iq;
          gvv += c.ag0 * s.cout;
        }
      }
      c.f[s.out] += i;
      c.f[s.com] -= i;
      const double d[4] = {e.didu, -e.didu, 0.0, 0.0};  // d(-e.i)/d(in1, in2) = (+, -) didu
      stamp(c.A, s, d, gvv);
    }
  }

  void acLoad(AcContext& c) override {
    for (const Inst& s : g_) {
      if (s.inert) continue;
      const Eval e = eval(s, c.xop);
      const double gvv = -e.didv + s.gout;
      const std::complex<double> y(gvv, c.omega * s.cout);
      const std::complex<double> d[4] = {e.didu, -e.didu, y, -y};
      for (int k = 0; k < 4; ++k) {
        c.A[s.pos[0][k]] += d[k];
        c.A[s.pos[1][k]] -= d[k];
      }
    }
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const Inst& s : g_)
      if (s.gout > 0 && !s.inert) out.emplace_back(s.out, s.com);
  }

 private:
  struct Inst {
    Index in1 = 0, in2 = 0, out = 0, com = 0;
    double g = 1, ref = 0, isrc = 1e-5, isink = 1e-5, vhigh = 2, vlow = 0, gout = 0, cout = 0;
    bool linear = false, inert = false;
    int state = -1;
    std::array<std::array<Pos, 4>, 2> pos{};  // rows out, com; columns in1, in2, out, com
  };
  // The sourced current i and its derivatives by u (= d/dv(in2)) and by the output voltage.
  struct Eval {
    double i = 0, didu = 0, didv = 0;
  };

  static Eval eval(const Inst& s, const double* x) {
    const double u = x[s.in2] - x[s.in1] + s.ref, xg = s.g * u;
    double i = xg, di = s.g;
    if (!s.linear) {
      const double lim = xg >= 0 ? s.isrc : s.isink;
      const double t = std::tanh(xg / lim);
      i = lim * t;
      di = s.g * (1 - t * t);
    }
    const double v = x[s.out] - x[s.com];
    double dh = 0, h = 1;
    if (i > 0) {
      h = smoothstep((s.vhigh - v) / kKnee, dh);
      dh = -dh / kKnee;
    } else if (i < 0) {
      h = smoothstep((v - s.vlow) / kKnee, dh);
      dh = dh / kKnee;
    }
    return Eval{i * h, di * h, i * dh};
  }

  // Jacobian of the output row (and its negative into the common row): d[k]
  // the derivative by in1, in2, out, com of the current leaving the output,
  // plus gvv on (out, out) and (com, com), -gvv on the cross terms.
  static void stamp(double* A, const Inst& s, const double (&d)[4], double gvv) {
    const double all[4] = {d[0], d[1], d[2] + gvv, d[3] - gvv};
    for (int k = 0; k < 4; ++k) {
      A[s.pos[0][k]] += all[k];
      A[s.pos[1][k]] -= all[k];
    }
  }

  Status error(const ir::Device& d, const std::string& what) const {
    return deviceError(d, std::string(kind_.name) + " '" + d.name + "': " + what);
  }

  std::vector<Inst> g_;
};

// ---------------------------------------------------------------- MODULATE
class LtModulator final : public GroupBase {
 public:
  using GroupBase::GroupBase;
  bool linear() const override { return false; }

  Status setup(SetupContext& ctx) override {
    g_.resize(inst_.size());
    fmax_ = 0;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      if (d.nodes.size() != 8) return error(d, "needs eight nodes, has " + std::to_string(d.nodes.size()));
      if (auto s = requireUnused(kind_, d, {3, 4, 5, 6}, "simcore models MODULATE's FM and AM inputs and terminal 7");
          !s)
        return s;
      Inst& s = g_[i];
      const ParamValues P = values(d);
      s.mark = P.inst("mark");
      s.space = P.inst("space");
      if (std::isnan(s.mark) || std::isnan(s.space)) return error(d, "needs mark= and space= (frequencies, Hz)");
      const double rout = P.inst("rout");
      s.cout = P.inst("cout");
      if (!(rout > 0)) return error(d, "rout must be > 0");
      if (!(s.cout >= 0)) return error(d, "cout must not be negative");
      s.gout = 1.0 / rout;
      s.fm = terminal(ctx, d, 0);
      s.am = terminal(ctx, d, 1);
      s.com = ctx.node(d.nodes[7]);
      s.out = terminal(ctx, d, 6);
      if (s.out < 0) return error(d, "terminal 7 (the output) is tied to the common");
      s.phase = ctx.addInternalNode(d, "phase");
      s.phaseState = ctx.addStates(1);
      if (s.cout > 0) s.state = ctx.addStates(1);
      fmax_ = std::max({fmax_, std::abs(s.mark), std::abs(s.space), std::abs(2 * s.mark - s.space)});
    }
    return {};
  }

  void pattern(PatternBuilder& b) override {
    for (Inst& s : g_) {
      s.quad.bind(b, s.out, s.com);
      s.outPhase = b.entry(s.out, s.phase);
      s.comPhase = b.entry(s.com, s.phase);
      s.pp = b.entry(s.phase, s.phase);
      if (s.am >= 0) {
        s.outAm = b.entry(s.out, s.am);
        s.comAm = b.entry(s.com, s.am);
      }
      if (s.fm >= 0) {
        s.phaseFm = b.entry(s.phase, s.fm);
        s.phaseCom = b.entry(s.phase, s.com);
      }
    }
  }

  void load(LoadContext& c) override {
    const bool dc = c.mode == AnalysisMode::DcOp;
    for (const Inst& s : g_) {
      const double v = c.x[s.out] - c.x[s.com];
      if (recordsOnly(c.mode)) {
        c.charge(s.phaseState, c.x[s.phase]);
        if (s.state >= 0) c.charge(s.state, s.cout * v);
        continue;
      }
      // the phase row: p = 0 at the operating point, dp/dt = f in a transient
      const double p = c.x[s.phase];
      const double ip = c.charge(s.phaseState, p);
      if (dc) {
        c.f[s.phase] += p;
        c.A[s.pp] += 1.0;
      } else {
        const double vfm = s.fm >= 0 ? c.x[s.fm] - c.x[s.com] : 0.0;
        c.f[s.phase] += ip - (s.space + (s.mark - s.space) * vfm);
        c.A[s.pp] += c.ag0;
        if (s.fm >= 0) {
          c.A[s.phaseFm] -= s.mark - s.space;
          c.A[s.phaseCom] += s.mark - s.space;
        }
      }
      // the output: (v - am sin(2 pi p)) gout from terminal 7 to 8
      const double am = s.am >= 0 ? c.x[s.am] - c.x[s.com] : 1.0;
      const double sn = std::sin(kTwoPi * p), cs = std::cos(kTwoPi * p);
      stampTheveninOutput(c, s, v, am * sn, dc);
      const double dp = -s.gout * am * kTwoPi * cs;
      c.A[s.outPhase] += dp;
      c.A[s.comPhase] -= dp;
      if (s.am >= 0) {
        // am = x[am] - x[com]: d i / d x[am] = -gout sin, d i / d x[com] gets +gout sin
        const double da = -s.gout * sn;
        c.A[s.outAm] += da;
        c.A[s.comAm] -= da;
        c.A[s.quad.ab] -= da;
        c.A[s.quad.bb] += da;
      }
    }
  }

  // Small signal: the output's rout and cout to the common; the phase held at 0.
  void acLoad(AcContext& c) override {
    for (const Inst& s : g_) {
      c.admittance(s.quad, std::complex<double>(s.gout, c.omega * s.cout));
      c.A[s.pp] += 1.0;
    }
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const Inst& s : g_) {
      out.emplace_back(s.out, s.com);
      out.emplace_back(s.phase, 0);
    }
  }

  // 20 steps per cycle of the highest frequency at an FM input of 0 to 2 V.
  double maxStep() const override { return fmax_ > 0 ? 1.0 / (20.0 * fmax_) : 1e300; }
  double smoothStep() const override { return maxStep(); }

 private:
  struct Inst {
    Index fm = -1, am = -1, out = 0, com = 0, phase = 0;
    double mark = 0, space = 0, gout = 1, cout = 0;
    int phaseState = -1, state = -1;
    Quad quad{};
    Pos outPhase = 0, comPhase = 0, pp = 0, outAm = 0, comAm = 0, phaseFm = 0, phaseCom = 0;
  };

  Status error(const ir::Device& d, const std::string& what) const {
    return deviceError(d, std::string(kind_.name) + " '" + d.name + "': " + what);
  }

  std::vector<Inst> g_;
  double fmax_ = 0;
};

// ---------------------------------------------------------------- SAMPLEHOLD
class LtSampleHold final : public GroupBase {
 public:
  using GroupBase::GroupBase;
  bool linear() const override { return false; }

  Status setup(SetupContext& ctx) override {
    g_.resize(inst_.size());
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      if (d.nodes.size() != 8) return error(d, "needs eight nodes, has " + std::to_string(d.nodes.size()));
      if (auto s = requireUnused(kind_, d, {5, 6}, "simcore models SAMPLEHOLD's inputs, CLK, S/H and terminal 7"); !s)
        return s;
      Inst& s = g_[i];
      const ParamValues P = values(d);
      s.ref = P.inst("ref");
      s.vhigh = P.inst("vhigh");
      s.vlow = P.inst("vlow");
      const double rout = P.inst("rout");
      s.cout = P.inst("cout");
      s.trise = P.inst("trise");
      if (!(rout > 0)) return error(d, "rout must be > 0");
      if (!(s.cout >= 0) || !(s.trise > 0)) return error(d, "cout must not be negative, trise must be > 0");
      if (!(s.vhigh >= s.vlow)) return error(d, "vhigh must not be below vlow");
      s.gout = 1.0 / rout;
      s.com = ctx.node(d.nodes[7]);
      s.inp = terminal(ctx, d, 0);
      s.inn = terminal(ctx, d, 1);
      if (s.inp < 0) s.inp = s.com;
      if (s.inn < 0) s.inn = s.com;
      s.clk = terminal(ctx, d, 2);
      s.sh = terminal(ctx, d, 3);
      s.out = terminal(ctx, d, 6);
      if (s.out < 0) return error(d, "terminal 7 (the output) is tied to the common");
      if (s.clk < 0 && s.sh < 0) return error(d, "terminal 3 (CLK) and terminal 4 (S/H) are both unused: it never samples");
      if (s.cout > 0) s.state = ctx.addStates(1);
    }
    return {};
  }

  void pattern(PatternBuilder& b) override {
    for (Inst& s : g_) {
      s.quad.bind(b, s.out, s.com);
      s.outIn[0] = b.entry(s.out, s.inp);
      s.outIn[1] = b.entry(s.out, s.inn);
      s.comIn[0] = b.entry(s.com, s.inp);
      s.comIn[1] = b.entry(s.com, s.inn);
    }
  }

  void load(LoadContext& c) override {
    lastMode_ = c.mode;
    const bool dc = c.mode == AnalysisMode::DcOp;
    for (const Inst& s : g_) {
      const double v = c.x[s.out] - c.x[s.com];
      if (recordsOnly(c.mode)) {
        if (s.state >= 0) c.charge(s.state, s.cout * v);
        continue;
      }
      // tracking: at the operating point and while S/H is high
      const bool track = dc || (s.sh >= 0 && c.x[s.sh] - c.x[s.com] > s.ref);
      double src = s.at(c.time), dsrc = 0;
      if (track) {
        const double vin = c.x[s.inp] - c.x[s.inn];
        src = std::clamp(vin, s.vlow, s.vhigh);
        dsrc = vin > s.vlow && vin < s.vhigh ? 1.0 : 0.0;
      }
      stampTheveninOutput(c, s, v, src, dc);
      const double d = -s.gout * dsrc;  // d i / d x[inp]; -d by x[inn]
      c.A[s.outIn[0]] += d;
      c.A[s.outIn[1]] -= d;
      c.A[s.comIn[0]] -= d;
      c.A[s.comIn[1]] += d;
    }
  }

  void acLoad(AcContext& c) override {
    for (const Inst& s : g_) c.admittance(s.quad, std::complex<double>(s.gout, c.omega * s.cout));
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const Inst& s : g_) out.emplace_back(s.out, s.com);
  }

  // CLK crossing ref (either way: the level at each accepted point decides
  // the next edge) and S/H crossing ref.
  bool findEvent(const StepView& sv, Event& ev) const override {
    bool found = false;
    auto consider = [&](Index n, Index com, double level) {
      auto v = [&](const double* x) { return x[n] - x[com]; };
      const double q0 = v(sv.x0), q1 = v(sv.x1);
      if ((q0 > level) == (q1 > level)) return;
      const double t = sv.crossing(sv.xm1 ? v(sv.xm1) : q0, q0, q1, level);
      if (!found || t < ev.time) ev.time = t;
      found = true;
    };
    for (const Inst& s : g_) {
      if (s.clk >= 0) consider(s.clk, s.com, s.ref);
      if (s.sh >= 0) consider(s.sh, s.com, s.ref);
    }
    return found;
  }
  using DeviceGroup::findEvent;

  double nextBreakpoint(double t) const override {
    double best = 1e300;
    for (const Inst& s : g_)
      if (s.t1 > t) best = std::min(best, s.t1);
    return best;
  }

  void accept(const double* x, double time) override {
    for (Inst& s : g_) {
      const double vin = std::clamp(x[s.inp] - x[s.inn], s.vlow, s.vhigh);
      const bool clk = s.clk >= 0 && x[s.clk] - x[s.com] > s.ref;
      const bool track = s.sh >= 0 && x[s.sh] - x[s.com] > s.ref;
      // (the operating point: a transient's is accepted after its charges were recorded)
      const bool op = lastMode_ == AnalysisMode::DcOp || lastMode_ == AnalysisMode::TranInit;
      if (op || track) {
        s.t0 = s.t1 = -1;
        s.v0 = s.held = vin;
      } else if (clk && !s.clkHigh) {
        // a sample: the output moves to it over trise
        s.v0 = s.at(time);
        s.t0 = time;
        s.t1 = time + s.trise;
        s.held = vin;
      }
      s.clkHigh = clk;
    }
  }

 private:
  struct Inst {
    Index inp = 0, inn = 0, clk = -1, sh = -1, out = 0, com = 0;
    double ref = 0.5, vhigh = 1e308, vlow = -1e308, gout = 1, cout = 0;
    int state = -1;
    Quad quad{};
    std::array<Pos, 2> outIn{}, comIn{};
    double trise = 1e-9;
    double held = 0;        // the last sample
    double t0 = -1, v0 = 0, t1 = -1;  // the output's ramp from v0 (t0) to held (t1)
    bool clkHigh = false;
    double at(double t) const {
      if (t <= t0) return v0;
      if (t >= t1) return held;
      return v0 + (held - v0) * (t - t0) / (t1 - t0);
    }
  };

  Status error(const ir::Device& d, const std::string& what) const {
    return deviceError(d, std::string(kind_.name) + " '" + d.name + "': " + what);
  }

  std::vector<Inst> g_;
  AnalysisMode lastMode_ = AnalysisMode::DcOp;
};

constexpr const char* kOtaTypes[] = {"ltspice@ota"};
constexpr ParamSpec kOtaParams[] = {
    iparam("g", 1.0, "S", "transconductance"),
    iparam("ref", 0.0, "V", "input offset: added to v(in+) - v(in-)"),
    flagParam("linear", "no current limit: i = g u"),
    iparam("iout", 10e-6, "A", "current limit (tanh), both directions"),
    iparam("isrc", kNoDefault, "A", "sourcing current limit").shown("iout"),
    iparam("isink", kNoDefault, "A", "sinking current limit (its magnitude)").shown("iout"),
    iparam("vhigh", 2.0, "V", "compliance: sourcing stops at this output voltage (relative to terminal 8)"),
    iparam("vlow", 0.0, "V", "compliance: sinking stops at this output voltage (relative to terminal 8)"),
    iparam("rout", 0.0, "Ω", "output resistance to terminal 8 (0: none)").shown("∞"),
    iparam("cout", 0.0, "F", "output capacitance to terminal 8"),
    iparam("en", 0.0, "V/√Hz", "input voltage noise: accepted and ignored"),
    iparam("enk", 0.0, "Hz", "its 1/f corner: accepted and ignored"),
    iparam("in", 0.0, "A/√Hz", "input current noise: accepted and ignored"),
    iparam("ink", 0.0, "Hz", "its 1/f corner: accepted and ignored"),
    iparam("incm", 0.0, "A/√Hz", "common-mode input current noise: accepted and ignored"),
    iparam("incmk", 0.0, "Hz", "its 1/f corner: accepted and ignored")};
constexpr const char* kModTypes[] = {"ltspice@modulate", "ltspice@modulator"};
constexpr ParamSpec kModParams[] = {
    iparam("mark", kNoDefault, "Hz", "frequency at an FM input of 1 V (required)").shown("—"),
    iparam("space", kNoDefault, "Hz", "frequency at an FM input of 0 V (required)").shown("—"),
    iparam("rout", 1.0, "Ω", "output resistance"), iparam("cout", 0.0, "F", "output capacitance (to terminal 8)")};
constexpr const char* kShTypes[] = {"ltspice@samplehold"};
constexpr ParamSpec kShParams[] = {
    iparam("ref", 0.5, "V", "CLK and S/H logic threshold (relative to terminal 8)"),
    iparam("vhigh", 1e308, "V", "upper limit of the output").shown("none"),
    iparam("vlow", -1e308, "V", "lower limit of the output").shown("none"),
    iparam("trise", 1e-9, "s", "the output moves to a new sample over trise (a linear ramp; simcore's)"),
    iparam("rout", 1.0, "Ω", "output resistance"), iparam("cout", 0.0, "F", "output capacitance (to terminal 8)")};

}  // namespace

extern const DeviceKind kLtOtaKind, kLtModulatorKind, kLtSampleHoldKind;
constexpr DeviceKind kLtOtaKind{
    .letter = 'a', .name = "LTspice OTA", .form = CardForm::CodeModel, .minNodes = 0,
    .maxNodes = 1 << 20,  // (as every A kind: the reader gives these cards their eight nodes)
    .modelTypes = kOtaTypes, .params = kOtaParams,
    .valueDoc = "Aname in- in+ com com com com out com OTA [name=value ...] [linear]",
    .create = makeGroup<LtOta, kLtOtaKind>};
constexpr DeviceKind kLtModulatorKind{
    .letter = 'a', .name = "LTspice modulator", .form = CardForm::CodeModel, .minNodes = 0,
    .maxNodes = 1 << 20,  // (as every A kind: the reader gives these cards their eight nodes)
    .modelTypes = kModTypes, .params = kModParams,
    .valueDoc = "Aname fm am com com com com out com MODULATE|MODULATOR mark=F1 space=F0 [name=value ...]",
    .create = makeGroup<LtModulator, kLtModulatorKind>};
constexpr DeviceKind kLtSampleHoldKind{
    .letter = 'a', .name = "LTspice sample and hold", .form = CardForm::CodeModel, .minNodes = 0,
    .maxNodes = 1 << 20,  // (as every A kind: the reader gives these cards their eight nodes)
    .modelTypes = kShTypes, .params = kShParams,
    .valueDoc = "Aname in+ in- clk s/h com com out com SAMPLEHOLD [name=value ...]",
    .create = makeGroup<LtSampleHold, kLtSampleHoldKind>};

}  // namespace simcore::dev
