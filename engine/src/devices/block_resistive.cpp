// Code models that drive a current through a conductance port (XSPICE %gd),
// ngspice 39 semantics:
//   aswitch  Aname cntl_in out model   (out: two nodes, (a b) or %gd(a b))
//            a resistor between the out nodes whose resistance r follows
//            v(cntl_in): with log, r = r_on·exp(ln(r_off/r_on)·(cntl_on − u)/(cntl_on − cntl_off));
//            otherwise linear in u through (cntl_off, r_off) and (cntl_on, r_on).
//            r_on is at least 1e-3; with limit r stays within [r_on, r_off],
//            otherwise r is at least 1e-9.
//   zener    Aname z model   (z: two nodes, (a b) or %gd(a b))
//            XSPICE's three-region (or two-region) zener: the forward diode
//            i_sat·(exp(v/(n_forward·0.026)) − 1), a straight line of slope
//            i_sat/10 between, and the reverse exponential through
//            (−v_breakdown, −i_breakdown) with dv/di = r_breakdown; plus the
//            leakage conductance i_rev/v_breakdown in parallel.
//   ilimit   Aname in pos_pwr neg_pwr out model: a current-limited follower (below)
// The current of a %gd port flows from its plus node through the model to its
// minus node. All are memoryless: their currents and slopes go into Newton's
// equations, and AC sees the slopes at the operating point.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "devices/block_common.hpp"
#include "devices/semiconductor.hpp"

namespace simcore::dev::block {
namespace {

std::string fmtNum(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// Matrix positions of the rows of a current port (p, m) against the columns
// of a controlling pair (cp, cm).
struct CurrentStamp {
  Pos pp = 0, pm = 0, mp = 0, mm = 0;
  void bind(PatternBuilder& b, const PortPair& out, const PortPair& in) {
    pp = b.entry(out.p, in.p);
    pm = b.entry(out.p, in.m);
    mp = b.entry(out.m, in.p);
    mm = b.entry(out.m, in.m);
  }
  // Adds g = dI/dv(in) to the rows of the current I leaving out.p.
  template <class T>
  void add(T* A, double g) const {
    A[pp] += g;
    A[pm] -= g;
    A[mp] -= g;
    A[mm] += g;
  }
};

// Adds the current i (leaving out.p, entering out.m) to the residual.
inline void addCurrent(double* f, const PortPair& out, double i) {
  f[out.p] += i;
  f[out.m] -= i;
}

// ---- aswitch
class AnalogSwitch final : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return false; }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const Inst& s : s_) out.emplace_back(s.out.p, s.out.m);
    inputPaths(out);
  }

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kShape[] = {
        currentIn({"cntl_in"}),
        {"out", false, false, false, false, /*conductance*/ true, /*pairDefault*/ true, /*singleOk*/ false}};
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, kShape);
      if (!ports) return ports.takeError();
      const ParamValues P = values(d, m.value());
      Inst s;
      s.in = ports.value()[0][0];
      s.out = ports.value()[1][0];
      s.off = P.model("cntl_off");
      s.on = P.model("cntl_on");
      s.rOn = std::max(P.model("r_on"), 1e-3);
      s.rOff = P.model("r_off");
      s.log = P.model("log") != 0;
      s.limit = P.model("limit") != 0;
      if (!(std::fabs(s.on - s.off) >= 1e-12))
        return error(d, "cntl_on and cntl_off must differ by at least 1e-12 (cntl_on " + fmtNum(s.on) +
                            ", cntl_off " + fmtNum(s.off) + ")");
      if (s.log && !(s.rOff > 0)) return error(d, "r_off must be positive with log=true (got " + fmtNum(s.rOff) + ")");
      s_.push_back(s);
    }
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (Inst& s : s_) {
      s.self.bind(b, s.out, s.out);
      s.ctl.bind(b, s.out, s.in);
    }
  }

  void loadBlock(LoadContext& c) override {
    for (Inst& s : s_) {
      const Eval e = eval(s, s.in.v(c.x), s.out.v(c.x));
      addCurrent(c.f, s.out, e.i);
      s.g = e.g;
      s.gc = e.gc;
      if (c.stampMatrix) {
        s.self.add(c.A, e.g);
        s.ctl.add(c.A, e.gc);
      }
    }
  }

  // The small-signal conductances at the operating point (ngspice 39 stamps
  // them with the opposite sign, a negative resistor: see docs/devices.md).
  void acLoadBlock(AcContext& c) override {
    for (const Inst& s : s_) {
      const Eval e = eval(s, s.in.v(c.xop), s.out.v(c.xop));
      s.self.add(c.A, e.g);
      s.ctl.add(c.A, e.gc);
    }
  }

 private:
  struct Inst {
    PortPair in, out;
    double off = 0, on = 1, rOn = 1, rOff = 1e12, g = 0, gc = 0;
    bool log = true, limit = false;
    CurrentStamp self, ctl;
  };
  struct Eval {
    double i, g, gc;  // current, dI/dv(out), dI/dv(cntl_in)
  };

  static Eval eval(const Inst& s, double u, double v) {
    double r, drdu;
    if (s.log) {
      const double k = std::log(s.rOff / s.rOn) / (s.on - s.off);
      r = s.rOn * std::exp(k * (s.on - u));
      drdu = -k * r;
    } else {
      const double k = (s.rOn - s.rOff) / (s.on - s.off);
      r = u * k + (s.rOff * s.on - s.rOn * s.off) / (s.on - s.off);
      drdu = k;
    }
    if (s.limit ? r < s.rOn : r <= 1e-9) {
      r = s.limit ? s.rOn : 1e-9;
      drdu = 0;
    }
    if (s.limit && r > s.rOff) {
      r = s.rOff;
      drdu = 0;
    }
    return Eval{v / r, 1.0 / r, -v * drdu / (r * r)};
  }

  std::vector<Inst> s_;
};

// ---- zener
class Zener final : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return false; }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const Inst& s : s_) out.emplace_back(s.z.p, s.z.m);
  }

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kShape[] = {{"z", false, false, false, false, true, true, false}};
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, kShape);
      if (!ports) return ports.takeError();
      const ParamValues P = values(d, m.value());
      Inst s;
      s.z = ports.value()[0][0];
      if (!P.hasModel("v_breakdown")) return error(d, "the model needs v_breakdown (no default)");
      // (ngspice does not enforce the ranges its interface file gives; values that leave the model
      // undefined are errors here)
      struct Positive {
        const char* name;
        double* to;
      };
      const Positive positive[] = {{"v_breakdown", &s.vbd}, {"i_breakdown", &s.ibd}, {"r_breakdown", &s.rbd},
                                   {"i_sat", &s.isat},        {"n_forward", &s.n}};
      for (const Positive& r : positive) {
        const double v = P.model(r.name);
        if (!(v > 0)) return error(d, std::string(r.name) + " must be positive (got " + fmtNum(v) + ")");
        *r.to = v;
      }
      s.irev = P.model("i_rev");
      if (!(s.irev >= 0)) return error(d, "i_rev must not be negative (got " + fmtNum(s.irev) + ")");
      s.limitSwitch = P.model("limit_switch") != 0;
      derive(s);
      s_.push_back(s);
    }
    vold_.assign(s_.size(), 0.0);
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (Inst& s : s_) s.self.bind(b, s.z, s.z);
  }

  void loadBlock(LoadContext& c) override {
    for (std::size_t i = 0; i < s_.size(); ++i) {
      const Inst& s = s_[i];
      const double v = s.z.v(c.x);
      double vl = v;
      bool limited = false;
      if (c.initJunctions) {
        vl = 0.0;
      } else if (s.limitSwitch) {
        // XSPICE's limit_switch: |v| grows by at most 10 % (0.1 V below 1 V) per iteration
        const double old = vold_[i];
        const double inc = std::fabs(old) >= 1.0 ? 0.1 * old : (v < 0 ? -0.1 : 0.1);
        if (std::fabs(v) > std::fabs(old + inc)) {
          vl = old + inc;
          limited = true;
        }
      } else if (v > 0) {
        vl = semi::pnjlim(v, vold_[i], s.vt, s.vcrit, limited);
      } else if (v < s.v23) {
        // the reverse exponential, limited like a junction of voltage 1/k
        const double w = semi::pnjlim(s.v23 - v, s.v23 - vold_[i], 1.0 / s.k, s.vcritRev, limited);
        vl = s.v23 - w;
      }
      if (limited) c.noncon++;
      vold_[i] = vl;
      double g;
      const double cur = current(s, vl, g);
      addCurrent(c.f, s.z, cur + g * (v - vl));
      if (c.stampMatrix) s.self.add(c.A, g);
    }
  }

  void acLoadBlock(AcContext& c) override {
    for (const Inst& s : s_) {
      double g;
      (void)current(s, s.z.v(c.xop), g);
      s.self.add(c.A, g);
    }
  }

 private:
  struct Inst {
    PortPair z;
    double vbd = 1, ibd = 2e-2, rbd = 1, irev = 1e-6, isat = 1e-12, n = 1;
    bool limitSwitch = false;
    // derived
    double vt = 0.026, v12 = 0, k = 1, v23 = 0, i0 = 0, v0 = 0, a = 0, b = 0, cc = 0, slope1 = 0, slope2 = 0,
           vcrit = 0, vcritRev = 0;
    bool three = true;
    CurrentStamp self;
  };

  static void derive(Inst& s) {
    s.vt = s.n * 0.026;
    s.v12 = s.vt * std::log(s.vt / 10.0);
    s.k = 1.0 / s.ibd / s.rbd;
    s.v23 = -s.vbd + std::log(10.0 / s.isat / s.rbd) / s.k;
    s.three = s.v23 < s.v12;
    if (s.three) {
      s.i0 = 1e-6;
      s.v0 = -s.vbd + std::log(s.ibd / s.i0) / s.k;
      const double ord12 = s.isat * (std::exp(s.v12 / s.vt) - 1.0);
      s.a = s.isat / 10.0;
      s.b = ord12 - s.a * s.v12;
      s.cc = s.a * s.v23 + s.b + s.i0 * std::exp(-s.k * (s.v23 - s.v0));
    } else {
      s.v23 = 0;  // the reverse branch starts at 0
      s.i0 = s.ibd / (std::exp(s.k * s.vbd) - 1.0);
      s.slope1 = s.isat / s.vt;
      s.slope2 = s.i0 * s.k;
    }
    s.vcrit = s.vt * std::log(s.vt / (std::sqrt(2.0) * s.isat));
    // the reverse branch as a junction of thermal voltage 1/k in w = v23 - v
    const double isRev = s.three ? s.i0 * std::exp(-s.k * (s.v23 - s.v0)) : s.i0;
    s.vcritRev = std::log(1.0 / (s.k * std::sqrt(2.0) * std::max(isRev, 1e-300))) / s.k;
  }

  // The current at v and its slope g.
  static double current(const Inst& s, double v, double& g) {
    double i;
    if (s.three) {
      if (v >= s.v12) {
        const double e = std::exp(v / s.vt);
        i = s.isat * (e - 1.0);
        g = s.isat / s.vt * e;
      } else if (v >= s.v23) {
        i = s.a * v + s.b;
        g = s.a;
      } else {
        const double e = std::exp(-s.k * (v - s.v0));
        i = -s.i0 * e + s.cc;
        g = s.k * s.i0 * e;
      }
    } else if (v >= 0) {
      const double e = std::exp(v / s.vt);
      i = s.isat * (e - 1.0);
      g = s.isat / s.vt * e;
      const double diff = s.slope2 - s.slope1;
      if (diff > 0) {
        i += diff * v;
        g += diff;
      }
    } else {
      const double e = std::exp(-s.k * v);
      i = -s.i0 * (e - 1.0);
      g = s.k * s.i0 * e;
      const double diff = s.slope1 - s.slope2;
      if (diff > 0) {
        i += diff * v;
        g += diff;
      }
    }
    const double gl = s.irev / s.vbd;
    g += gl;
    return i + gl * v;
  }

  std::vector<Inst> s_;
  std::vector<double> vold_;  // limited voltage of the last load
};

// ---- ilimit: a current-limited voltage follower. veq = gain·(v(in) + in_offset)
// clamped to [v(neg_pwr), v(pos_pwr)] (±1e6 V for a NULL supply), the corners
// rounded over ±v_pwr_range; the output sources i = (veq − v(out))/r_out into
// out (r_out_source when veq − v(out) > r_out_domain, r_out_sink below
// −r_out_domain, a parabolic blend between), clamped to [−i_limit_sink,
// i_limit_source] with the corners rounded over i_sink_range (both, as
// XSPICE); the supply on the side of i carries it (pos_pwr gives a sourced
// current, neg_pwr takes a sunk one), rounded to 0 within i_source_range
// (i_sink_range) of 0. The Jacobian is XSPICE's partials.
class CurrentLimiter final : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return false; }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const Inst& s : s_) {
      out.emplace_back(s.out.p, s.out.m);
      if (!s.pos.null()) out.emplace_back(s.pos.p, s.out.p);
      if (!s.neg.null()) out.emplace_back(s.neg.p, s.out.p);
    }
    inputPaths(out);
  }

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kShape[] = {currentIn({"in"}),
                                           {"pos_pwr", false, false, false, true, true},
                                           {"neg_pwr", false, false, false, true, true},
                                           {"out", false, false, false, false, true}};
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
      s.pos = pt[1][0];
      s.neg = pt[2][0];
      s.out = pt[3][0];
      s.offset = P.model("in_offset");
      s.gain = P.model("gain");
      s.rSource = P.model("r_out_source");
      s.rSink = P.model("r_out_sink");
      s.iSource = P.model("i_limit_source");
      s.iSink = P.model("i_limit_sink");
      if (!(s.rSource > 0) || !(s.rSink > 0))
        return error(d, "r_out_source and r_out_sink must be positive (got " + fmtNum(s.rSource) + ", " +
                            fmtNum(s.rSink) + ")");
      s.vRange = P.model("v_pwr_range");
      s.iSourceRange = P.model("i_source_range");
      s.iSinkRange = P.model("i_sink_range");
      s.rDomain = P.model("r_out_domain");
      if (!(s.vRange > 0) || !(s.iSourceRange > 0) || !(s.iSinkRange > 0) || !(s.rDomain > 0))
        return error(d, "v_pwr_range, i_source_range, i_sink_range and r_out_domain must be positive");
      if (!(s.iSource >= 0) || !(s.iSink >= 0))
        return error(d, "i_limit_source and i_limit_sink must not be negative (got " + fmtNum(s.iSource) + ", " +
                            fmtNum(s.iSink) + ")");
      s_.push_back(s);
    }
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (Inst& s : s_) {
      const PortPair* rows[3] = {&s.out, &s.pos, &s.neg};
      const PortPair* cols[4] = {&s.in, &s.out, &s.pos, &s.neg};
      for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 4; ++c)
          if (!rows[r]->null() && !cols[c]->null()) s.st[r][c].bind(b, *rows[r], *cols[c]);
    }
  }

  void loadBlock(LoadContext& c) override {
    for (const Inst& s : s_) {
      const Eval e = eval(s, c.x);
      const PortPair* rows[3] = {&s.out, &s.pos, &s.neg};
      for (int r = 0; r < 3; ++r) {
        if (rows[r]->null()) continue;
        addCurrent(c.f, *rows[r], e.cur[r]);
        if (!c.stampMatrix) continue;
        for (int k = 0; k < 4; ++k)
          if (e.g[r][k] != 0 && !colNull(s, k)) s.st[r][k].add(c.A, e.g[r][k]);
      }
    }
  }

  void acLoadBlock(AcContext& c) override {
    for (const Inst& s : s_) {
      const Eval e = eval(s, c.xop);
      const PortPair* rows[3] = {&s.out, &s.pos, &s.neg};
      for (int r = 0; r < 3; ++r) {
        if (rows[r]->null()) continue;
        for (int k = 0; k < 4; ++k)
          if (e.g[r][k] != 0 && !colNull(s, k)) s.st[r][k].add(c.A, e.g[r][k]);
      }
    }
  }

 private:
  struct Inst {
    PortPair in, pos{-1, -1}, neg{-1, -1}, out;
    double offset = 0, gain = 1, rSource = 1, rSink = 1, iSource = 1e-2, iSink = 1e-2;
    double vRange = 1e-6, iSourceRange = 1e-9, iSinkRange = 1e-9, rDomain = 1e-9;
    CurrentStamp st[3][4];  // rows out, pos, neg; columns in, out, pos, neg
  };
  struct Eval {
    double cur[3];   // currents into the model at out, pos_pwr, neg_pwr
    double g[3][4];  // their derivatives by v(in), v(out), v(pos_pwr), v(neg_pwr)
  };

  static bool colNull(const Inst& s, int k) { return k == 2 ? s.pos.null() : k == 3 ? s.neg.null() : false; }

  // XSPICE's rounded step from yl (x ≤ xl) to yu (x ≥ xu): two parabolas.
  static double smoothStep(double x, double xl, double yl, double xu, double yu, double& dy) {
    const double xc = (xu + xl) / 2, yc = (yu + yl) / 2, slope = 2 * (yu - yl) / (xu - xl);
    dy = 0;
    if (x < xl) return yl;
    if (x >= xu) return yu;
    double a, b, c;
    if (x < xc) {
      a = slope / (xu - xl);
      b = slope - 2 * a * xc;
      c = yc - a * xc * xc - b * xc;
    } else {
      a = -slope / (xu - xl);
      b = -2 * a * xu;
      c = yu - a * xu * xu - b * xu;
    }
    dy = 2 * a * x + b;
    return (a * x + b) * x + c;
  }
  // XSPICE's rounded corner (the tangent parabola over xc ± d).
  static double corner(double x, double xc, double yc, double d, double ls, double us, double& dy) {
    const double xu = xc + d, yu = yc + us * d;
    const double a = (us - ls) / (4 * d);
    const double b = us - 2 * a * xu;
    const double c = yu - a * xu * xu - b * xu;
    dy = 2 * a * x + b;
    return (a * x + b) * x + c;
  }

  static Eval eval(const Inst& s, const double* x) {
    Eval e{};
    const double hi = s.pos.null() ? 1e6 : s.pos.v(x);
    const double lo = s.neg.null() ? -1e6 : s.neg.v(x);
    // veq and its partials by in, pos, neg (XSPICE's climit function)
    double veq, dIn = 0, dPos = 0, dNeg = 0;
    const double lr = s.vRange;
    const double up = hi - lr, low = lo + lr;
    const double w = s.gain * (s.offset + s.in.v(x));
    if (up - low < 0) {
      veq = (hi + lo) / 2;  // (XSPICE reports an error and leaves its outputs)
    } else if (w < low) {
      if (w > lo - lr) {
        double dy, junk;
        veq = corner(w, lo, lo, lr, 0.0, 1.0, dy);
        dIn = s.gain * dy;
        dNeg = smoothStep(w, lo, 1.0, low, 0.0, junk);
      } else {
        veq = lo;
        dNeg = 1;
      }
    } else if (w > up) {
      if (w < hi + lr) {
        double dy, junk;
        veq = corner(w, hi, hi, lr, 1.0, 0.0, dy);
        dIn = s.gain * dy;
        dPos = smoothStep(w, up, 0.0, hi, 1.0, junk);
      } else {
        veq = hi;
        dPos = 1;
      }
    } else {
      veq = w;
      dIn = s.gain;
    }
    const double vout = s.out.v(x);
    double r = s.rSource, dr = 0;
    if (s.rSource != s.rSink) r = smoothStep(veq - vout, -s.rDomain, s.rSink, s.rDomain, s.rSource, dr);
    // i_out (sourced into out) and its partials by in, out, pos, neg, as XSPICE writes them
    double i = (veq - vout) / r;
    double gi[4] = {dIn / r - veq * dr * dIn / (r * r), -1.0 / r - vout * dr / (r * r),
                    dPos / r - veq * dr * dPos / (r * r), dNeg / r - veq * dr * dNeg / (r * r)};
    double iPos = 0, iNeg = 0, gPos[4] = {0, 0, 0, 0}, gNeg[4] = {0, 0, 0, 0};
    if (i < 0) {
      if (i < -s.iSink + s.iSinkRange) {
        if (i < -s.iSink - s.iSinkRange) {
          i = -s.iSink;
          for (double& g : gi) g = 0;
          iNeg = -i;
        } else {
          double k;
          i = corner(i, -s.iSink, -s.iSink, s.iSinkRange, 0.0, 1.0, k);
          for (int j = 0; j < 4; ++j) {
            gi[j] *= k;
            gNeg[j] = -gi[j];
          }
          iNeg = -i;
        }
      } else if (i > -2 * s.iSinkRange) {
        double k;
        iNeg = -corner(i, -s.iSinkRange, 0.0, s.iSinkRange, 1.0, 0.0, k);
        for (int j = 0; j < 4; ++j) gNeg[j] = -gi[j] * k;
      } else {
        iNeg = -i;
        for (int j = 0; j < 4; ++j) gNeg[j] = -gi[j];
      }
    } else {
      if (i > s.iSource - s.iSourceRange) {
        if (i > s.iSource + s.iSourceRange) {
          i = s.iSource;
          for (double& g : gi) g = 0;
          iPos = -i;
        } else {
          double k;
          i = corner(i, s.iSource, s.iSource, s.iSinkRange, 1.0, 0.0, k);
          for (int j = 0; j < 4; ++j) {
            gi[j] *= k;
            gPos[j] = -gi[j];
          }
          iPos = -i;
        }
      } else if (i < 2 * s.iSourceRange) {
        double k;
        iPos = -corner(i, s.iSourceRange, 0.0, s.iSourceRange, 0.0, 1.0, k);
        for (int j = 0; j < 4; ++j) gPos[j] = -gi[j] * k;
      } else {
        iPos = -i;
        for (int j = 0; j < 4; ++j) gPos[j] = -gi[j];
      }
    }
    // currents into the model: out −i_out, pos −i_pos, neg −i_neg
    e.cur[0] = -i;
    e.cur[1] = -iPos;
    e.cur[2] = -iNeg;
    for (int j = 0; j < 4; ++j) {
      e.g[0][j] = -gi[j];
      e.g[1][j] = -gPos[j];
      e.g[2][j] = -gNeg[j];
    }
    return e;
  }

  std::vector<Inst> s_;
};

// ---- pswitch: aswitch's resistance law, smoothed, with a conducting control.
// With log the resistance runs from r_off at cntl_off to r_on at cntl_on along
// exp(ln√(r_on·r_off) + 1.5·L·m − 2·L·m³), L = ln(r_on/r_off), m the control's
// position between them minus 1/2 (so dr/du is 0 at both ends), held at
// r_on and r_off beyond them; without log it is linear between them, held
// beyond. r_on is at least 1e-3, r_off at most 1e12; cntl_on and cntl_off
// closer than 1e-12 are moved 1 mV apart. The control port draws
// v(cntl)/r_cntl_in.
class ProtectedSwitch final : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return false; }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const Inst& s : s_) {
      out.emplace_back(s.out.p, s.out.m);
      out.emplace_back(s.in.p, s.in.m);
    }
  }

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kShape[] = {{"cntl_in", false, false, false, false, true, true, true},
                                           {"out", false, false, false, false, true, true, false}};
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, kShape);
      if (!ports) return ports.takeError();
      const ParamValues P = values(d, m.value());
      Inst s;
      s.in = ports.value()[0][0];
      s.out = ports.value()[1][0];
      s.rOn = std::max(P.model("r_on"), 1e-3);
      s.rOff = std::min(P.model("r_off"), 1e12);
      s.rIn = P.model("r_cntl_in");
      if (!(s.rIn > 0)) return error(d, "r_cntl_in must be positive (got " + fmtNum(s.rIn) + ")");
      if (!(s.rOff > 0)) return error(d, "r_off must be positive (got " + fmtNum(s.rOff) + ")");
      s.on = P.model("cntl_on");
      s.off = P.model("cntl_off");
      if (std::fabs(s.on - s.off) < 1e-12) {
        s.on += 0.001;
        s.off -= 0.001;
      }
      s.log = P.model("log") != 0;
      s_.push_back(s);
    }
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (Inst& s : s_) {
      s.self.bind(b, s.out, s.out);
      s.ctl.bind(b, s.out, s.in);
      s.inSelf.bind(b, s.in, s.in);
    }
  }

  void loadBlock(LoadContext& c) override {
    for (const Inst& s : s_) {
      double drdu;
      const double u = s.in.v(c.x), v = s.out.v(c.x);
      const double r = resistance(s, u, drdu);
      addCurrent(c.f, s.out, v / r);
      addCurrent(c.f, s.in, u / s.rIn);
      if (c.stampMatrix) {
        s.self.add(c.A, 1.0 / r);
        s.ctl.add(c.A, -v * drdu / (r * r));
        s.inSelf.add(c.A, 1.0 / s.rIn);
      }
    }
  }

  // (ngspice 39 stamps the switch's conductances with the opposite sign in .ac, as for aswitch)
  void acLoadBlock(AcContext& c) override {
    for (const Inst& s : s_) {
      double drdu;
      const double u = s.in.v(c.xop), v = s.out.v(c.xop);
      const double r = resistance(s, u, drdu);
      s.self.add(c.A, 1.0 / r);
      s.ctl.add(c.A, -v * drdu / (r * r));
      s.inSelf.add(c.A, 1.0 / s.rIn);
    }
  }

 private:
  struct Inst {
    PortPair in, out;
    double on = 1, off = 0, rOn = 1, rOff = 1e12, rIn = 1e12;
    bool log = true;
    CurrentStamp self, ctl, inSelf;
  };

  static double resistance(const Inst& s, double u, double& drdu) {
    drdu = 0;
    const bool rising = s.on > s.off;  // the resistance falls as u goes from off to on
    const bool pastOn = rising ? u > s.on : u < s.on;
    const bool pastOff = rising ? u < s.off : u > s.off;
    if (s.log) {
      if (pastOn) return s.rOn;
      if (pastOff) return s.rOff;
      const double L = std::log(s.rOn / s.rOff), dir = rising ? 1.0 : -1.0;
      const double m = (rising ? (u - s.off) : (s.on - u)) / (s.on - s.off) - 0.5;
      const double dm = (rising ? 1.0 : -1.0) / (s.on - s.off);
      // (XSPICE's c1 = 1.5 L/d, c3 = 2 L/d³ with d = ±1)
      const double c1 = 1.5 * L / dir, c3 = 2 * L / (dir * dir * dir);
      double r = std::exp(0.5 * std::log(s.rOn * s.rOff) + c1 * m - c3 * m * m * m);
      drdu = r * (c1 - 3 * c3 * m * m) * dm;
      if (r < s.rOn) {
        r = s.rOn;
        drdu = 0;
      }
      return r;
    }
    double r;
    if (pastOff) r = s.rOff;
    else if (pastOn) r = s.rOn;
    else {
      const double k = (s.rOn - s.rOff) / (s.on - s.off);
      r = u * k + (s.rOff * s.on - s.rOn * s.off) / (s.on - s.off);
      drdu = k;
    }
    if (r <= 1e-9) {
      r = 1e-9;
      drdu = 0;
    }
    return r;
  }

  std::vector<Inst> s_;
};

constexpr const char* kAswitchTypes[] = {"aswitch"};
constexpr ParamSpec kAswitchParams[] = {
    mparam("cntl_off", 0.0, "V", "control value at which the resistance is r_off"),
    mparam("cntl_on", 1.0, "V", "control value at which the resistance is r_on (differs from cntl_off)"),
    mparam("log", 1.0, "", "true: log r varies linearly with the control; false: r does").words("false true").shown("true"),
    mparam("r_off", 1e12, "Ω", "off resistance"),
    mparam("r_on", 1.0, "Ω", "on resistance (at least 1e-3)"),
    mparam("limit", 0.0, "", "true: r stays within [r_on, r_off]; false: r is at least 1e-9").words("false true"),
};

constexpr const char* kZenerTypes[] = {"zener"};
constexpr ParamSpec kZenerParams[] = {
    mparam("v_breakdown", kNoDefault, "V", "breakdown voltage, positive (required)").shown("—"),
    mparam("i_breakdown", 2e-2, "A", "current at -v_breakdown (positive)"),
    mparam("r_breakdown", 1.0, "Ω", "slope dv/di in breakdown (positive)"),
    mparam("i_rev", 1e-6, "A", "leakage: a conductance i_rev/v_breakdown in parallel (not negative)"),
    mparam("i_sat", 1e-12, "A", "forward saturation current (positive)"),
    mparam("n_forward", 1.0, "", "forward emission coefficient (positive)"),
    mparam("limit_switch", 0.0, "", "true: XSPICE's step limiting (|v| grows at most 10 % per iteration)")
        .words("false true"),
};

constexpr const char* kIlimitTypes[] = {"ilimit"};
constexpr ParamSpec kIlimitParams[] = {
    mparam("in_offset", 0.0, "V", "added to v(in) before the gain"),
    mparam("gain", 1.0, "", "gain from v(in) + in_offset to the open-circuit output voltage"),
    mparam("r_out_source", 1.0, "Ω", "output resistance while sourcing (positive)"),
    mparam("r_out_sink", 1.0, "Ω", "output resistance while sinking (positive)"),
    mparam("i_limit_source", 10e-3, "A", "largest sourced current (not negative)"),
    mparam("i_limit_sink", 10e-3, "A", "largest sunk current (not negative)"),
    mparam("v_pwr_range", 1e-6, "V", "rounding of the supply clamp's corners (positive)"),
    mparam("i_source_range", 1e-9, "A", "rounding of the positive supply's current near 0 (positive)"),
    mparam("i_sink_range", 1e-9, "A", "rounding of both current limits and of the negative supply's current near 0"),
    mparam("r_out_domain", 1e-9, "V", "blend between r_out_sink and r_out_source over ±r_out_domain (positive)"),
};

constexpr const char* kPswitchTypes[] = {"pswitch"};
constexpr ParamSpec kPswitchParams[] = {
    mparam("cntl_off", 0.0, "V", "control value at which the resistance is r_off"),
    mparam("cntl_on", 1.0, "V", "control value at which the resistance is r_on (closer than 1e-12: 1 mV apart)"),
    mparam("log", 1.0, "", "true: XSPICE's smoothed log law; false: linear").words("false true").shown("true"),
    mparam("r_off", 1e12, "Ω", "off resistance (at most 1e12)"),
    mparam("r_on", 1.0, "Ω", "on resistance (at least 1e-3)"),
    mparam("r_cntl_in", 1e12, "Ω", "resistance of the control port"),
};

}  // namespace
}  // namespace simcore::dev::block

namespace simcore::dev {

extern const DeviceKind kAswitchKind;
constexpr DeviceKind kAswitchKind{
    .letter = 'a', .name = "analog switch", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 0, .modelTypes = block::kAswitchTypes, .params = block::kAswitchParams, .modelNoun = "aswitch",
    .valueDoc = "Aname cntl_in out+ out- model  (out also (out+ out-) or %gd(out+ out-); cntl_in a node or %vd(a b))",
    .create = makeGroup<block::AnalogSwitch, kAswitchKind>};

extern const DeviceKind kZenerKind;
constexpr DeviceKind kZenerKind{
    .letter = 'a', .name = "zener diode", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 0, .modelTypes = block::kZenerTypes, .params = block::kZenerParams, .modelNoun = "zener",
    .valueDoc = "Aname z+ z- model  (also (z+ z-) or %gd(z+ z-)); current flows from z+ to z-",
    .create = makeGroup<block::Zener, kZenerKind>};

}  // namespace simcore::dev
namespace simcore::dev {

extern const DeviceKind kIlimitKind;
constexpr DeviceKind kIlimitKind{
    .letter = 'a', .name = "current limiter", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 0, .modelTypes = block::kIlimitTypes, .params = block::kIlimitParams, .modelNoun = "ilimit",
    .valueDoc = "Aname in pos_pwr neg_pwr out model  (pos_pwr, neg_pwr may be NULL; %g or %gd; in a node or %vd)",
    .create = makeGroup<block::CurrentLimiter, kIlimitKind>};

}  // namespace simcore::dev

namespace simcore::dev {

extern const DeviceKind kPswitchKind;
constexpr DeviceKind kPswitchKind{
    .letter = 'a', .name = "smoothed analog switch", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 0, .modelTypes = block::kPswitchTypes, .params = block::kPswitchParams, .modelNoun = "pswitch",
    .valueDoc = "Aname cntl+ cntl- out+ out- model  (pairs also (a b) or %gd(a b); cntl also %g(a))",
    .create = makeGroup<block::ProtectedSwitch, kPswitchKind>};

}  // namespace simcore::dev
