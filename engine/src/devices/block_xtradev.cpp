// ngspice's "xtradev" code models that are two- and three-terminal elements
// (ngspice 39 semantics):
//   potentiometer  Aname r0 wiper r1 model  (each a node or %g node)
//            a resistor r0–wiper of r_lower and wiper–r1 of r − r_lower, with
//            r_lower = position·r (log: r / 10^(position·log_multiplier));
//            position is taken within [1e-9, 1 − 1e-9].
//   memristor  Aname (a b) model  (also a b or %gd(a b))
//            i = v/R with dR/dt = f(v) = beta·v + (alpha − beta)/2·(|v + vt| − |v − vt|)
//            while R < rmax (f > 0) or R > rmin (f < 0), else 0 (Pershin and
//            Di Ventra's threshold memristor); R = rinit at the operating point.
//   capacitoric  Aname (a b) model  (also a b or %hd(a b)): reads its current
//            and drives its voltage: v = ic at the operating point (a voltage
//            source), C·dv/dt = i in the transient, starting from ic.
//   inductoric  Aname (a b) model  (also a b or %gd(a b)): reads its voltage
//            and drives its current: i = ic at the operating point (a current
//            source), L·di/dt = v in the transient, starting from ic.
//            Both with .options ramptime: in a transient (its operating point
//            included) before ramptime they drive ic·t/ramptime, a source, and
//            integrate from there on (ngspice 39's cm_analog_ramp_factor); the
//            end of the ramp is a breakpoint.
//   sidiode  Aname (a k) model  (also a k or %gd(a k)); and D cards whose
//            model is LTspice's simple diode (netlist/elaborate.cpp)
//            off (v between -vrev and vfwd): i = v/roff; on (v above vfwd):
//            i = vfwd/roff + (v - vfwd)/ron, bent into tanh towards ilimit
//            when it is given, with a quadratic joint of width epsilon;
//            breakdown below -vrev the same with rrev (ron when 0),
//            revilimit and revepsilon (ngspice 39's cm_sidiode, its
//            discontinuities included).
// Currents flow from a port's plus node through the model to its minus node.
// AC: the small-signal conductances, 1/R of the memristor, jωC and 1/(jωL);
// ngspice 39 stamps the potentiometer's conductances with the opposite sign
// and the inductor's admittance as jωL (errors of its code models).
#include <algorithm>
#include <cmath>
#include <complex>
#include <string>

#include "devices/block_common.hpp"

namespace simcore::dev::block {
namespace {

// ---- potentiometer
class Potentiometer final : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const Inst& s : s_) {
      out.emplace_back(s.r0, s.w);
      out.emplace_back(s.w, s.r1);
    }
  }

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kG = {"r0", false, false, false, false, /*conductance*/ true};
    static constexpr PortShape kShape[] = {kG, {"wiper", false, false, false, false, true}, {"r1", false, false, false, false, true}};
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, kShape);
      if (!ports) return ports.takeError();
      for (const auto& p : ports.value())
        if (p[0].m != 0) return error(d, "its ports are single-ended: a node or %g node");
      const ParamValues P = values(d, m.value());
      Inst s;
      s.r0 = ports.value()[0][0].p;
      s.w = ports.value()[1][0].p;
      s.r1 = ports.value()[2][0].p;
      const double r = P.model("r");
      if (!(r > 0)) return error(d, "r must be positive");
      const double pos = std::clamp(P.model("position"), 1e-9, 1.0 - 1e-9);
      const double lower = P.model("log") != 0 ? r / std::pow(10.0, pos * P.model("log_multiplier")) : pos * r;
      const double upper = r - lower;
      if (!(lower > 0) || !(upper > 0))
        return error(d, "the resistances either side of the wiper must be positive (log_multiplier must be positive)");
      s.gl = 1.0 / lower;
      s.gu = 1.0 / upper;
      s_.push_back(s);
    }
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (Inst& s : s_) {
      s.ql.bind(b, s.r0, s.w);
      s.qu.bind(b, s.w, s.r1);
    }
  }

  void loadBlock(LoadContext& c) override {
    if (recordsOnly(c.mode)) return;
    for (const Inst& s : s_) {
      c.conductance(s.ql, s.r0, s.w, s.gl, s.gl * (c.x[s.r0] - c.x[s.w]));
      c.conductance(s.qu, s.w, s.r1, s.gu, s.gu * (c.x[s.w] - c.x[s.r1]));
    }
  }

  void acLoadBlock(AcContext& c) override {
    for (const Inst& s : s_) {
      c.admittance(s.ql, s.gl);
      c.admittance(s.qu, s.gu);
    }
  }

 private:
  struct Inst {
    Index r0 = 0, w = 0, r1 = 0;
    double gl = 0, gu = 0;
    Quad ql, qu;
  };
  std::vector<Inst> s_;
};

// ---- sidiode: a resistive piecewise diode
class SiDiode final : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return false; }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const Inst& s : s_) out.emplace_back(s.port.p, s.port.m);
  }

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kShape[] = {{"ds", false, false, false, false, true, true, false}};
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, kShape);
      if (!ports) return ports.takeError();
      const ParamValues P = values(d, m.value());
      Inst s;
      s.port = ports.value()[0][0];
      const double ron = P.model("ron"), roff = P.model("roff"), rrev = P.model("rrev");
      if (!(ron > 0) || !(roff > 0)) return error(d, "ron and roff must be positive");
      if (rrev < 0) return error(d, "rrev must not be negative");
      const double eps = P.model("epsilon"), reps = P.model("revepsilon");
      if (eps < 0 || reps < 0) return error(d, "epsilon and revepsilon must not be negative");
      s.ilimit = P.model("ilimit");
      s.revilimit = -P.model("revilimit");
      if (!(s.ilimit > 0) || !(s.revilimit < 0)) return error(d, "ilimit and revilimit must be positive");
      s.vrev = -P.model("vrev");
      s.vfwd = P.model("vfwd");
      s.goff = 1.0 / roff;
      s.gon = 1.0 / ron;
      s.grev = rrev == 0 ? s.gon : 1.0 / rrev;
      s.va = s.vrev - reps;
      s.vb = s.vrev;
      s.a2 = s.grev / s.revilimit;
      s.revepsi = reps > 0;
      if (s.revepsi) s.a1 = (s.goff - s.grev) / reps;
      s.vc = s.vfwd;
      s.vd = s.vfwd + eps;
      s.b2 = s.gon / s.ilimit;
      s.epsi = eps > 0;
      if (s.epsi) s.b1 = (s.gon - s.goff) / eps;
      s.ili = s.ilimit < 1e29;
      s.revili = s.revilimit > -1e29;
      s_.push_back(s);
    }
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (Inst& s : s_) s.q.bind(b, s.port.p, s.port.m);
  }

  void loadBlock(LoadContext& c) override {
    if (recordsOnly(c.mode)) return;
    for (const Inst& s : s_) {
      double g = 0;
      const double i = current(s, s.port.v(c.x), g);
      c.conductance(s.q, s.port.p, s.port.m, g, i);
    }
  }

  void acLoadBlock(AcContext& c) override {
    for (const Inst& s : s_) {
      double g = 0;
      (void)current(s, s.port.v(c.xop), g);
      c.admittance(s.q, g);
    }
  }

 private:
  struct Inst {
    PortPair port;
    double vrev = 0, vfwd = 0, ilimit = 0, revilimit = 0;
    double a1 = 0, a2 = 0, b1 = 0, b2 = 0, va = 0, vb = 0, vc = 0, vd = 0, grev = 0, goff = 0, gon = 0;
    bool ili = false, revili = false, epsi = false, revepsi = false;
    Quad q;
  };

  // The current from a to k at v = v(a) - v(k) and its slope g (the regions
  // and their order as ngspice 39's code model).
  static double current(const Inst& s, double v, double& g) {
    if (v < s.va) {
      if (s.revili) {
        const double t = std::tanh(s.a2 * (v - s.va));
        const double ia = s.goff * s.va + 0.5 * (s.va - s.vb) * (s.va - s.vb) * s.a1;
        g = s.grev * (1.0 - t * t);
        return (s.revilimit - ia) * t + ia;
      }
      g = s.grev;
      return s.vrev * s.goff + (v - s.vrev) * s.grev;
    }
    if (s.revepsi && v < s.vb) {
      g = (v - s.vb) * s.a1 + s.goff;
      return 0.5 * (v - s.vb) * (v - s.vb) * s.a1 + v * s.goff;
    }
    if (v >= s.vb && v < s.vc) {
      g = s.goff;
      return v * s.goff;
    }
    if (s.epsi && v >= s.vc && v < s.vd) {
      g = (v - s.vc) * s.b1 + s.goff;
      return 0.5 * (v - s.vc) * (v - s.vc) * s.b1 + v * s.goff;
    }
    if (s.ili) {
      const double t = std::tanh(s.b2 * (v - s.vd));
      const double id = s.goff * s.vd + 0.5 * (s.vd - s.vc) * (s.vd - s.vc) * s.b1;
      g = s.gon * (1.0 - t * t);
      return (s.ilimit - id) * t + id;
    }
    g = s.gon;
    return s.vfwd * s.goff + (v - s.vfwd) * s.gon;
  }
  std::vector<Inst> s_;
};

// Jacobian positions of a current port (p, m) against the unknowns p, m and z.
struct PortZ {
  Pos pp = 0, pm = 0, mp = 0, mm = 0, pz = 0, mz = 0, zp = 0, zm = 0, zz = 0;
  void bind(PatternBuilder& b, const PortPair& o, Index z) {
    pp = b.entry(o.p, o.p); pm = b.entry(o.p, o.m); mp = b.entry(o.m, o.p); mm = b.entry(o.m, o.m);
    pz = b.entry(o.p, z); mz = b.entry(o.m, z); zp = b.entry(z, o.p); zm = b.entry(z, o.m); zz = b.entry(z, z);
  }
};

// ---- memristor: the state z is R
class Memristor final : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return false; }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    BlockGroup::dcPaths(out);
    for (const Inst& s : s_) out.emplace_back(s.port.p, s.port.m);
  }

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kShape[] = {{"memris", false, false, false, false, true, true, false}};
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, kShape);
      if (!ports) return ports.takeError();
      const ParamValues P = values(d, m.value());
      Inst s;
      s.port = ports.value()[0][0];
      s.rmin = P.model("rmin");
      s.rmax = P.model("rmax");
      s.rinit = P.model("rinit");
      s.alpha = P.model("alpha");
      s.beta = P.model("beta");
      s.vt = P.model("vt");
      if (!(s.rmin > 0) || !(s.rmax >= s.rmin)) return error(d, "needs 0 < rmin <= rmax");
      if (!(s.rinit > 0)) return error(d, "rinit must be positive");
      s.z = addState(ctx, i, "r");
      s.state = ctx.addStates(1);
      s_.push_back(s);
    }
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (Inst& s : s_) s.pos.bind(b, s.port, s.z);
  }

  void loadBlock(LoadContext& c) override {
    for (Inst& s : s_) {
      const double r = c.x[s.z];
      if (c.mode == AnalysisMode::TranInit) {
        (void)c.charge(s.state, c.uic ? s.rinit : r);
        continue;
      }
      const double iq = c.charge(s.state, r);
      if (recordsOnly(c.mode)) continue;
      const double v = s.port.v(c.x);
      const double rr = std::max(r, 1e-9 * s.rmin);
      const double i = v / rr, g = 1.0 / rr, gz = r > rr ? 0.0 : -v / (rr * rr);
      c.f[s.port.p] += i;
      c.f[s.port.m] -= i;
      if (c.stampMatrix) {
        c.A[s.pos.pp] += g; c.A[s.pos.pm] -= g; c.A[s.pos.mp] -= g; c.A[s.pos.mm] += g;
        c.A[s.pos.pz] += gz; c.A[s.pos.mz] -= gz;
      }
      if (c.mode == AnalysisMode::DcOp) {
        // R = rinit
        c.f[s.z] += r - s.rinit;
        if (c.stampMatrix) c.A[s.pos.zz] += 1.0;
        continue;
      }
      // dR/dt − f(v) = 0, f gated by the limits
      double fv = s.beta * v + 0.5 * (s.alpha - s.beta) * (std::fabs(v + s.vt) - std::fabs(v - s.vt));
      double df = s.beta + 0.5 * (s.alpha - s.beta) * (sgn(v + s.vt) - sgn(v - s.vt));
      if (!((fv > 0 && r < s.rmax) || (fv < 0 && r > s.rmin))) fv = df = 0;
      c.f[s.z] += iq - fv;
      if (c.stampMatrix) {
        c.A[s.pos.zz] += c.ag0;
        c.A[s.pos.zp] -= df;
        c.A[s.pos.zm] += df;
      }
    }
  }

  void acLoadBlock(AcContext& c) override {
    for (const Inst& s : s_) {
      const double g = 1.0 / std::max(c.xop[s.z], 1e-9 * s.rmin);
      c.A[s.pos.pp] += g; c.A[s.pos.pm] -= g; c.A[s.pos.mp] -= g; c.A[s.pos.mm] += g;
      c.A[s.pos.zz] += 1.0;  // R holds its operating-point value
    }
  }

 private:
  static double sgn(double v) { return v > 0 ? 1.0 : v < 0 ? -1.0 : 0.0; }
  struct Inst {
    PortPair port;
    Index z = 0;
    int state = 0;
    double rmin = 10, rmax = 1e4, rinit = 7e3, alpha = 0, beta = 1, vt = 0;
    PortZ pos;
  };
  std::vector<Inst> s_;
};

// ngspice's cm_analog_ramp_factor: t / ramptime in a transient (and its operating
// point, at t = 0) before ramptime, else 1.
double rampFactor(const LoadContext& c, double ramptime) {
  if (!(ramptime > 0) || c.dcSources || c.time >= ramptime) return 1.0;
  return c.time / ramptime;
}

// ---- the code-model capacitor: the port's branch current x[br] (plus to minus through it)
class CmCapacitor final : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kShape[] = {{"cap", false, false, false, false, false, true, false, /*hport*/ true}};
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, kShape);
      if (!ports) return ports.takeError();
      const ParamValues P = values(d, m.value());
      if (!P.hasModel("c")) return error(d, "the model needs c");
      Inst s;
      s.c = P.model("c");
      if (!(s.c > 0)) return error(d, "c must be positive");
      s.ic = P.model("ic");
      addOutput(ctx, i, ports.value()[0][0], "cap");
      ramptime_ = ctx.options().ramptime;
      s.state = ctx.addStates(1);
      s_.push_back(s);
    }
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (std::size_t i = 0; i < s_.size(); ++i) {
      outs_[i].bind(b);
      s_[i].brbr = b.entry(outs_[i].br, outs_[i].br);
    }
  }

  void loadBlock(LoadContext& c) override {
    for (std::size_t i = 0; i < s_.size(); ++i) {
      const Inst& s = s_[i];
      const Output& o = outs_[i];
      const double v = o.port.v(c.x);
      const double ramp = rampFactor(c, ramptime_);
      if (c.mode == AnalysisMode::TranInit) {
        (void)c.charge(s.state, s.c * (c.uic ? s.ic * ramp : v));
        continue;
      }
      const double iq = c.charge(s.state, s.c * v);
      if (recordsOnly(c.mode)) continue;
      c.f[o.port.p] += c.x[o.br];
      c.f[o.port.m] -= c.x[o.br];
      if (c.stampMatrix) {
        c.A[o.q.ar] += 1.0;
        c.A[o.q.br] -= 1.0;
      }
      if (c.mode == AnalysisMode::DcOp || ramp < 1.0) {
        // v = ic (during a ramp: ic·t/ramptime)
        c.f[o.br] += v - s.ic * ramp;
        if (c.stampMatrix) {
          c.A[o.q.ra] += 1.0;
          c.A[o.q.rb] -= 1.0;
        }
        continue;
      }
      // i − C·dv/dt = 0
      c.f[o.br] += c.x[o.br] - iq;
      if (c.stampMatrix) {
        c.A[s.brbr] += 1.0;
        c.A[o.q.ra] -= c.ag0 * s.c;
        c.A[o.q.rb] += c.ag0 * s.c;
      }
    }
  }

  void acLoadBlock(AcContext& c) override {
    for (std::size_t i = 0; i < s_.size(); ++i) {
      const Output& o = outs_[i];
      const std::complex<double> y(0.0, c.omega * s_[i].c);
      c.A[o.q.ar] += 1.0;
      c.A[o.q.br] -= 1.0;
      c.A[s_[i].brbr] += 1.0;
      c.A[o.q.ra] -= y;
      c.A[o.q.rb] += y;
    }
  }

  double nextBreakpoint(double t) const override { return ramptime_ > t * (1 + 1e-12) ? ramptime_ : 1e300; }

 private:
  struct Inst {
    double c = 1, ic = 0;
    int state = 0;
    Pos brbr = 0;
  };
  std::vector<Inst> s_;
  double ramptime_ = 0;
};

// ---- the code-model inductor: its current is the state z
class CmInductor final : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kShape[] = {{"ind", false, false, false, false, true, true, false}};
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, kShape);
      if (!ports) return ports.takeError();
      const ParamValues P = values(d, m.value());
      if (!P.hasModel("l")) return error(d, "the model needs l");
      Inst s;
      s.port = ports.value()[0][0];
      s.l = P.model("l");
      if (!(s.l > 0)) return error(d, "l must be positive");
      s.ic = P.model("ic");
      s.z = addState(ctx, i, "i");
      ramptime_ = ctx.options().ramptime;
      s.state = ctx.addStates(1);
      s_.push_back(s);
    }
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (Inst& s : s_) s.pos.bind(b, s.port, s.z);
  }

  void loadBlock(LoadContext& c) override {
    for (const Inst& s : s_) {
      const double i = c.x[s.z];
      const double ramp = rampFactor(c, ramptime_);
      if (c.mode == AnalysisMode::TranInit) {
        (void)c.charge(s.state, s.l * (c.uic ? s.ic * ramp : i));
        continue;
      }
      const double iq = c.charge(s.state, s.l * i);
      if (recordsOnly(c.mode)) continue;
      c.f[s.port.p] += i;
      c.f[s.port.m] -= i;
      if (c.stampMatrix) {
        c.A[s.pos.pz] += 1.0;
        c.A[s.pos.mz] -= 1.0;
      }
      if (c.mode == AnalysisMode::DcOp || ramp < 1.0) {
        // i = ic (during a ramp: ic·t/ramptime)
        c.f[s.z] += i - s.ic * ramp;
        if (c.stampMatrix) c.A[s.pos.zz] += 1.0;
        continue;
      }
      // L·di/dt − v = 0
      c.f[s.z] += iq - s.port.v(c.x);
      if (c.stampMatrix) {
        c.A[s.pos.zz] += c.ag0 * s.l;
        c.A[s.pos.zp] -= 1.0;
        c.A[s.pos.zm] += 1.0;
      }
    }
  }

  void acLoadBlock(AcContext& c) override {
    for (const Inst& s : s_) {
      c.A[s.pos.pz] += 1.0;
      c.A[s.pos.mz] -= 1.0;
      c.A[s.pos.zz] += std::complex<double>(0.0, c.omega * s.l);
      c.A[s.pos.zp] -= 1.0;
      c.A[s.pos.zm] += 1.0;
    }
  }

  double nextBreakpoint(double t) const override { return ramptime_ > t * (1 + 1e-12) ? ramptime_ : 1e300; }

 private:
  struct Inst {
    PortPair port;
    Index z = 0;
    int state = 0;
    double l = 1, ic = 0;
    PortZ pos;
  };
  std::vector<Inst> s_;
  double ramptime_ = 0;
};

constexpr const char* kPotTypes[] = {"potentiometer"};
constexpr ParamSpec kPotParams[] = {
    mparam("position", 0.5, "", "wiper position from r0 (0) to r1 (1)"),
    mparam("log", 0.0, "", "true: r0–wiper is r / 10^(position·log_multiplier)").words("false true").shown("false"),
    mparam("log_multiplier", 1.0, "", "decades of the logarithmic taper"),
    mparam("r", 1e5, "Ω", "total resistance"),
};
constexpr const char* kMemristorTypes[] = {"memristor"};
constexpr ParamSpec kMemristorParams[] = {
    mparam("rmin", 10.0, "Ω", "lowest resistance"),
    mparam("rmax", 1e4, "Ω", "highest resistance"),
    mparam("rinit", 7e3, "Ω", "resistance at the operating point"),
    mparam("alpha", 0.0, "Ω/(V·s)", "dR/dt per volt within ±vt"),
    mparam("beta", 1.0, "Ω/(V·s)", "dR/dt per volt beyond ±vt"),
    mparam("vt", 0.0, "V", "threshold voltage"),
};
constexpr const char* kSiDiodeTypes[] = {"sidiode"};
constexpr ParamSpec kSiDiodeParams[] = {
    mparam("ron", 1.0, "Ω", "resistance on (above vfwd)"),
    mparam("roff", 1.0, "Ω", "resistance off (between -vrev and vfwd)"),
    mparam("rrev", 0.0, "Ω", "resistance in breakdown (below -vrev); 0: ron"),
    mparam("vfwd", 0.0, "V", "forward voltage"),
    mparam("vrev", 1e30, "V", "reverse breakdown voltage (positive)"),
    mparam("ilimit", 1e30, "A", "limit of the on current (tanh); 1e29 and above: none"),
    mparam("revilimit", 1e30, "A", "limit of the breakdown current (tanh); 1e29 and above: none"),
    mparam("epsilon", 0.0, "V", "width of the quadratic joint above vfwd"),
    mparam("revepsilon", 0.0, "V", "width of the quadratic joint below -vrev"),
};
constexpr const char* kCmCapTypes[] = {"capacitoric"};
constexpr ParamSpec kCmCapParams[] = {
    mparam("c", kNoDefault, "F", "capacitance (required)").shown("—"),
    mparam("ic", 0.0, "V", "voltage at the operating point and at t = 0"),
};
constexpr const char* kCmIndTypes[] = {"inductoric"};
constexpr ParamSpec kCmIndParams[] = {
    mparam("l", kNoDefault, "H", "inductance (required)").shown("—"),
    mparam("ic", 0.0, "A", "current at the operating point and at t = 0"),
};

}  // namespace
}  // namespace simcore::dev::block

namespace simcore::dev {

extern const DeviceKind kPotentiometerKind, kMemristorKind, kCmCapacitorKind, kCmInductorKind, kSiDiodeKind;
constexpr DeviceKind kSiDiodeKind{
    .letter = 'a', .name = "simple diode", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 0, .modelTypes = block::kSiDiodeTypes, .params = block::kSiDiodeParams, .modelNoun = "sidiode",
    .valueDoc = "Aname (a k) model  (also a k or %gd(a k)); D cards with LTspice's simple-diode model (ron, roff, vfwd, ...)",
    .create = makeGroup<block::SiDiode, kSiDiodeKind>};
constexpr DeviceKind kPotentiometerKind{
    .letter = 'a', .name = "potentiometer", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 0, .modelTypes = block::kPotTypes, .params = block::kPotParams, .modelNoun = "potentiometer",
    .valueDoc = "Aname r0 wiper r1 model  (.model M potentiometer(r=10k position=0.3))",
    .create = makeGroup<block::Potentiometer, kPotentiometerKind>};
constexpr DeviceKind kMemristorKind{
    .letter = 'a', .name = "memristor", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 0, .modelTypes = block::kMemristorTypes, .params = block::kMemristorParams,
    .modelNoun = "memristor", .valueDoc = "Aname (a b) model  (also a b or %gd(a b))",
    .create = makeGroup<block::Memristor, kMemristorKind>};
constexpr DeviceKind kCmCapacitorKind{
    .letter = 'a', .name = "code-model capacitor", .form = CardForm::CodeModel, .minNodes = 0,
    .maxNodes = 1 << 20, .branches = 1, .modelTypes = block::kCmCapTypes, .params = block::kCmCapParams,
    .modelNoun = "capacitoric", .valueDoc = "Aname (a b) model  (also a b or %hd(a b))",
    .create = makeGroup<block::CmCapacitor, kCmCapacitorKind>};
constexpr DeviceKind kCmInductorKind{
    .letter = 'a', .name = "code-model inductor", .form = CardForm::CodeModel, .minNodes = 0,
    .maxNodes = 1 << 20, .branches = 0, .modelTypes = block::kCmIndTypes, .params = block::kCmIndParams,
    .modelNoun = "inductoric", .valueDoc = "Aname (a b) model  (also a b or %gd(a b))",
    .create = makeGroup<block::CmInductor, kCmInductorKind>};

}  // namespace simcore::dev
