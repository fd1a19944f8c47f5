// S with LTspice's switch model: a SW .model card that carries a parameter
// only LTspice's switch has (ilimit vser lser level epsilon oneway noiseless);
// netlist/elaborate.cpp gives such a model the type ltspice@sw. Control x is
// v(nc+, nc-), v = v(n1, n2) the voltage across the switch.
//
// Conductance g(x) between ROFF and RON (1/gon, 1/goff):
//   VH >= 0: held on/off state as SW's (SwitchGroup: on above VT+VH, off below
//            VT-VH, unchanged in between; VH = 0 a plain threshold);
//   VH < 0:  no state; ln g is the cubic in x with zero slope at both ends of
//            [VT-|VH|, VT+|VH|] (the smooth switch PSpice documents), goff
//            below the range, gon above it:
//              u = (x - VT + |VH|) / (2|VH|),  ln g = ln goff + ln(gon/goff) (3u^2 - 2u^3).
// Current from n1 to n2 (VSER >= 0, ILIMIT > 0):
//   i = goff v + clamp((g - goff) dz(v), -ILIMIT, ILIMIT),
//   dz(v) = v - VSER above VSER, v + VSER below -VSER, 0 in between:
// the part of the conduction above ROFF sees a drop of VSER in either direction
// and is limited abruptly to ILIMIT; ROFF stays across the terminals. With
// VSER = 0 and no ILIMIT this is i = g v. LSER (series inductance) is an inductor
// the netlist reader puts between the switch and n- (netlist/devices.cpp).
//
// LEVEL=2 (LTspice's advanced switch, "never completely on or off"): the
// conductance its help gives, with no state,
//   g(x) = exp(A atan((x - VT)/|VH|) + B),  A = ln(ROFF/RON)/pi,  B = -ln(ROFF RON)/2
// (ROFF at x -> -inf, RON at +inf, their geometric mean at VT). Its help says the
// current limit is reached gradually but does not give the curve, nor what EPSILON
// and ONEWAY do; simcore's reading: the conduction above ROFF is
// ILIMIT tanh((g - goff) dz / ILIMIT) (slope g - goff at small currents, ILIMIT at
// large), dz's corners at +-VSER rounded by a parabola over EPSILON (1 mV when not
// given; dz continuous with its slope; with VSER = 0 and conduction both ways there is
// no corner, dz = v), and with ONEWAY that conduction only for v > 0.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>

#include "devices/switch_group.hpp"

namespace simcore::dev {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kLevel2Epsilon = 1e-3;  // V: LEVEL=2's corner rounding when EPSILON is not given

class LtSwitches final : public semi::SwitchGroup<LtSwitches> {
 public:
  using SwitchGroup::SwitchGroup;
  bool piecewiseLinear() const override { return false; }

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    resizeSwitches(n);
    cp_.resize(n); cn_.resize(n); ctlPos_.resize(n);
    smooth_.assign(n, 0); lo_.assign(n, 0); hi_.assign(n, 0); vser_.assign(n, 0); ilimit_.assign(n, kInf);
    level2_.assign(n, 0); width_.assign(n, 1); vt_.assign(n, 0); eps_.assign(n, 0); oneway_.assign(n, 0);
    gd_.assign(n, 0); gx_.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = setupSwitch(ctx, i, "vt", "vh"); !s) return s;
      cp_[i] = ctx.node(d.nodes[2]);
      cn_[i] = ctx.node(d.nodes[3]);
      const ParamValues P = values(d, ctx.model(d));
      const std::string what = "switch '" + d.name + "' (LTspice's SW model)";
      const double level = P.model("level");
      if (level != 1.0 && level != 2.0) {
        char v[32];
        std::snprintf(v, sizeof v, "%g", level);
        return deviceError(d, what + ": LEVEL=" + v + " is not one of LTspice's (1 or 2)");
      }
      vser_[i] = P.model("vser");
      if (!(vser_[i] >= 0)) return deviceError(d, what + ": VSER must not be negative");
      if (P.hasModel("ilimit")) {
        ilimit_[i] = P.model("ilimit");
        if (!(ilimit_[i] > 0)) return deviceError(d, what + ": ILIMIT must be positive");
      }
      if (level == 2.0) {
        // no state: the held state pinned on (as the smooth level 1's); g from the control
        level2_[i] = 1;
        if (!(hyst_[i] != 0)) return deviceError(d, what + ": a LEVEL=2 switch needs VH != 0 (its transition width)");
        width_[i] = std::fabs(hyst_[i]);
        vt_[i] = thr_[i];
        // (without EPSILON the corners are still rounded, over 1 mV: a kink there
        // with a current limit of a few microamps stalls Newton, BP5131D's regulator)
        eps_[i] = P.hasModel("epsilon") ? std::max(0.0, P.model("epsilon")) : kLevel2Epsilon;
        oneway_[i] = P.hasModel("oneway") && P.model("oneway") != 0;
        thr_[i] = -kInf;
        hyst_[i] = 1.0;
        on_[i] = initOn_[i] = 1;
        continue;
      }
      if (hyst_[i] < 0) {
        // smooth: the held state is pinned on (threshold -inf) and never
        // changes; the conductance comes from the control (law above)
        smooth_[i] = 1;
        lo_[i] = thr_[i] + hyst_[i];
        hi_[i] = thr_[i] - hyst_[i];
        thr_[i] = -kInf;
        hyst_[i] = 1.0;
        on_[i] = initOn_[i] = 1;
      }
    }
    return {};
  }

  void pattern(PatternBuilder& b) override {
    SwitchGroup::pattern(b);
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      ctlPos_[i][0][0] = b.entry(a_[i], cp_[i]);
      ctlPos_[i][0][1] = b.entry(a_[i], cn_[i]);
      ctlPos_[i][1][0] = b.entry(b_[i], cp_[i]);
      ctlPos_[i][1][1] = b.entry(b_[i], cn_[i]);
    }
  }

  double control(const double* x, std::size_t i) const { return x[cp_[i]] - x[cn_[i]]; }

  // Current, d(current)/dv and d(current)/dx of instance i at control x and voltage v.
  struct Point {
    double i, gd, gx;
  };
  Point at(std::size_t i, double x, double v) const { return at(i, x, v, on_[i]); }
  Point at(std::size_t i, double x, double v, bool on) const {
    if (level2_[i]) return atLevel2(i, x, v);
    double g = on ? gon_[i] : goff_[i], dg = 0;
    if (smooth_[i]) {
      const double w = hi_[i] - lo_[i], u = (x - lo_[i]) / w;
      if (u >= 1) {
        g = gon_[i];
      } else if (u <= 0) {
        g = goff_[i];
      } else {
        const double lr = std::log(gon_[i] / goff_[i]);
        g = goff_[i] * std::exp(lr * u * u * (3 - 2 * u));
        dg = g * lr * 6 * u * (1 - u) / w;
      }
    }
    double dz = 0, ddz = 0;
    if (v > vser_[i]) dz = v - vser_[i], ddz = 1;
    else if (v < -vser_[i]) dz = v + vser_[i], ddz = 1;
    const double gx = g - goff_[i];
    const double ion = gx * dz;
    if (std::fabs(ion) > ilimit_[i]) return {goff_[i] * v + std::copysign(ilimit_[i], ion), goff_[i], 0.0};
    return {goff_[i] * v + ion, goff_[i] + gx * ddz, dg * dz};
  }

  // LEVEL=2 (the law at the top of the file).
  Point atLevel2(std::size_t i, double x, double v) const {
    const double lr = std::log(gon_[i] / goff_[i]);  // ln(ROFF/RON)
    const double A = lr / std::numbers::pi, B = 0.5 * std::log(gon_[i] * goff_[i]);
    const double s = (x - vt_[i]) / width_[i];
    const double g = std::exp(A * std::atan(s) + B);
    const double dg = g * A / (width_[i] * (1 + s * s));
    // dz(v): 0 within +-VSER, v -+ VSER beyond, corners rounded over EPSILON
    const double vs = vser_[i], e = eps_[i];
    auto ramp = [&](double u, double& d) {  // u = |v| - VSER >= 0
      if (e > 0 && u < e) {
        d = u / e;
        return 0.5 * u * u / e;
      }
      d = 1;
      return u - 0.5 * e;
    };
    double dz = 0, ddz = 0;
    if (vs == 0 && !oneway_[i]) dz = v, ddz = 1;  // (no corner to round)
    else if (v > vs) dz = ramp(v - vs, ddz);
    else if (v < -vs && !oneway_[i]) dz = -ramp(-v - vs, ddz);
    const double gx = g - goff_[i];
    const double lin = gx * dz;
    if (!std::isfinite(ilimit_[i])) return {goff_[i] * v + lin, goff_[i] + gx * ddz, dg * dz};
    const double t = std::tanh(lin / ilimit_[i]), sech2 = 1 - t * t;
    return {goff_[i] * v + ilimit_[i] * t, goff_[i] + sech2 * gx * ddz, sech2 * dg * dz};
  }

  // (SwitchGroup's quantity: the current by this law in state `on`; in .ac its linearisation)
  double switchCurrent(const double* x, std::size_t i, bool on) const {
    return at(i, control(x, i), x[a_[i]] - x[b_[i]], on).i;
  }
  std::complex<double> acQuantity(std::size_t i, int, const std::complex<double>* x, double) const override {
    return gd_[i] * (x[a_[i]] - x[b_[i]]) + gx_[i] * (x[cp_[i]] - x[cn_[i]]);
  }

  void stampSwitch(LoadContext& c, std::size_t i) {
    const double v = c.x[a_[i]] - c.x[b_[i]];
    const Point p = at(i, control(c.x, i), v);
    gd_[i] = p.gd;
    gx_[i] = p.gx;
    c.conductance(quad_[i], a_[i], b_[i], p.gd, p.i);
    c.A[ctlPos_[i][0][0]] += p.gx; c.A[ctlPos_[i][0][1]] -= p.gx;
    c.A[ctlPos_[i][1][0]] -= p.gx; c.A[ctlPos_[i][1][1]] += p.gx;
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      c.admittance(quad_[i], gd_[i]);
      c.A[ctlPos_[i][0][0]] += gx_[i]; c.A[ctlPos_[i][0][1]] -= gx_[i];
      c.A[ctlPos_[i][1][0]] -= gx_[i]; c.A[ctlPos_[i][1][1]] += gx_[i];
    }
  }

 private:
  std::vector<Index> cp_, cn_;
  std::vector<std::array<std::array<Pos, 2>, 2>> ctlPos_;  // (n1|n2 row) x (nc+|nc- column)
  std::vector<char> smooth_, level2_, oneway_;
  std::vector<double> width_, vt_, eps_;  // LEVEL=2: |VH|, VT, EPSILON
  std::vector<double> lo_, hi_, vser_, ilimit_;
  std::vector<double> gd_, gx_;  // at the last load (AC)
};

constexpr const char* kTypes[] = {"ltspice@sw"};
constexpr ParamSpec kParams[] = {
    kSwitchOnParam, kSwitchOffParam, kSwitchRonParam, kSwitchRoffParam,
    mparam("vt", 0.0, "V", "threshold"),
    mparam("vh", 0.0, "V",
           "hysteresis half-width; negative: LTspice's smooth transition, ln g a cubic from ROFF at VT+VH to RON "
           "at VT-VH"),
    mparam("ilimit", kNoDefault, "A", "current limit (abrupt) of the conduction above ROFF").shown("none"),
    mparam("vser", 0.0, "V", "series voltage: the conduction above ROFF sees a drop of VSER in either direction"),
    mparam("lser", 0.0, "H", "series inductance (an inductor from an internal node to n-, named lNAME#ser)"),
    mparam("level", 1.0, "", "LTspice's switch level: 1, or 2 (g = exp(A atan((x - VT)/|VH|) + B), never fully on or off)"),
    mparam("epsilon", 0.0, "V", "level 2: the width over which the conduction's corners at +-VSER are rounded (1 mV when not given)"),
    modelFlag("oneway", "level 2: the conduction above ROFF only for v(n1, n2) > 0"),
    modelFlag("noiseless", "LTspice's flag (no noise): accepted; the switch has no noise in simcore"),
};

}  // namespace

extern const DeviceKind kLtSwitchKind;
constexpr DeviceKind kLtSwitchKind{
    .letter = 's', .name = "voltage-controlled switch", .form = CardForm::ModelCard, .minNodes = 4, .maxNodes = 4,
    .modelTypes = kTypes, .params = kParams, .modelNoun = "switch",
    .valueDoc = "Sname n+ n- nc+ nc- model [on|off]   (.model X SW (... ILIMIT, VSER, ...): LTspice's switch)",
    .create = makeGroup<LtSwitches, kLtSwitchKind>};

}  // namespace simcore::dev
