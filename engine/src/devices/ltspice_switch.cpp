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
// VSER = 0 and no ILIMIT this is i = g v. A LEVEL=2 model never gets here:
// netlist/elaborate.cpp reads it as ngspice's SW. LSER (series inductance) is an inductor the netlist reader puts
// between the switch and n- (netlist/devices.cpp).
#include <cmath>
#include <limits>

#include "devices/switch_group.hpp"

namespace simcore::dev {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

class LtSwitches final : public semi::SwitchGroup<LtSwitches> {
 public:
  using SwitchGroup::SwitchGroup;
  bool piecewiseLinear() const override { return false; }

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    resizeSwitches(n);
    cp_.resize(n); cn_.resize(n); ctlPos_.resize(n);
    smooth_.assign(n, 0); lo_.assign(n, 0); hi_.assign(n, 0); vser_.assign(n, 0); ilimit_.assign(n, kInf);
    gd_.assign(n, 0); gx_.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = setupSwitch(ctx, i, "vt", "vh"); !s) return s;
      cp_[i] = ctx.node(d.nodes[2]);
      cn_[i] = ctx.node(d.nodes[3]);
      const ParamValues P = values(d, ctx.model(d));
      const std::string what = "switch '" + d.name + "' (LTspice's SW model)";
      if (P.model("level") != 1.0)
        return deviceError(d, what + ": LEVEL=" + std::to_string(int(P.model("level"))) +
                                  " is not supported (LTspice's level 1 switch is)");
      vser_[i] = P.model("vser");
      if (!(vser_[i] >= 0)) return deviceError(d, what + ": VSER must not be negative");
      if (P.hasModel("ilimit")) {
        ilimit_[i] = P.model("ilimit");
        if (!(ilimit_[i] > 0)) return deviceError(d, what + ": ILIMIT must be positive");
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
  Point at(std::size_t i, double x, double v) const {
    double g = on_[i] ? gon_[i] : goff_[i], dg = 0;
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
  std::vector<char> smooth_;
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
    mparam("level", 1.0, "", "LTspice's switch level: only 1 is supported"),
    mparam("epsilon", 0.0, "V", "LTspice's level 2 parameter: accepted and ignored"),
    modelFlag("oneway", "LTspice's level 2 flag: accepted and ignored"),
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
