// S with a VSWITCH model and W with an ISWITCH model: PSpice's smooth switches.
// The resistance moves between RON and ROFF as the control x (the voltage
// nc+ - nc-, or the current of the controlling source) goes from XOFF to XON
// (VOFF/VON, IOFF/ION; either order), with ln R a cubic in x whose slope is 0
// at both ends:
//   x at or beyond XON: R = RON;  at or beyond XOFF: R = ROFF;  between:
//   ln R = ln sqrt(RON*ROFF) + 3*L*(x - xm)/(2*xd) - 2*L*(x - xm)^3/xd^3,
//   L = ln(RON/ROFF), xm = (XON + XOFF)/2, xd = XON - XOFF.
// No hysteresis and no state: an ordinary smooth nonlinear conductance
// (unlike SPICE's SW/CSW switches, which the event engine treats as ideal).
// ngspice 39 reads a VSWITCH model with VON/VOFF only in PSpice compatibility
// mode (ngbehavior ps), as its XSPICE pswitch, whose law this is; simcore
// follows that translation: RON is raised to 1 mOhm at least, ROFF lowered to
// 1 TOhm at most, between the thresholds R is held at RON or above (pswitch's
// minimum resistance limiter: a model with RON above ROFF stays at RON until
// the control passes XOFF), and the control port nc+ nc- draws
// v(nc+, nc-) / 1 TOhm (pswitch's r_cntl_in), so a control node that only a
// switch senses is not left floating.
#include <algorithm>
#include <cmath>

#include "devices/common.hpp"

namespace simcore::dev {
namespace {

// Conductance at control x and its derivative.
struct SwitchModel {
  double ron, roff, xon, xoff;
  bool floorAtRon = false;  // between the thresholds R >= RON (pswitch)
  struct At {
    double g, dg;
  };
  At at(double x) const {
    const double xd = xon - xoff;
    const double f = (x - xoff) / xd;  // 0 at XOFF, 1 at XON
    if (f >= 1.0) return {1.0 / ron, 0.0};
    if (f <= 0.0) return {1.0 / roff, 0.0};
    const double lr = std::log(ron / roff), u = x - 0.5 * (xon + xoff);
    const double lnR = 0.5 * std::log(ron * roff) + 1.5 * lr * u / xd - 2.0 * lr * u * u * u / (xd * xd * xd);
    if (floorAtRon && lnR < std::log(ron)) return {1.0 / ron, 0.0};
    const double dlnR = 1.5 * lr / xd - 6.0 * lr * u * u / (xd * xd * xd);
    const double g = std::exp(-lnR);
    return {g, -g * dlnR};
  }
};

// Derived supplies `double control(const double* x, std::size_t i) const` and
// binds the control columns (ctl_ below) in setup/resolve.
// Derived also supplies `static constexpr bool kConductingControl`: the
// control port nc+ nc- carries the conductance kControlG (VSWITCH only).
template <class Derived>
class SmoothSwitchGroup : public GroupBase {
 protected:
  static constexpr double kControlG = 1e-12;  // 1 / pswitch's r_cntl_in

 public:
  using GroupBase::GroupBase;
  bool linear() const override { return false; }

  void pattern(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      quad_[i].bind(b, a_[i], b_[i]);
      if constexpr (Derived::kConductingControl) ctlQuad_[i].bind(b, ctl_[i][0], ctl_[i][1]);
      for (int k = 0; k < 2; ++k) {
        ctlPos_[i][k][0] = b.entry(a_[i], ctl_[i][k]);
        ctlPos_[i][k][1] = b.entry(b_[i], ctl_[i][k]);
      }
    }
  }

  void load(LoadContext& c) override {
    if (recordsOnly(c.mode)) return;
    const auto& self = static_cast<const Derived&>(*this);
    for (std::size_t i = 0, n = inst_.size(); i < n; ++i) {
      const auto s = model_[i].at(self.control(c.x, i));
      const double v = c.x[a_[i]] - c.x[b_[i]];
      c.conductance(quad_[i], a_[i], b_[i], s.g, s.g * v);
      // d(i)/d(control) = dg*v; control = x[ctl0] - x[ctl1] (ctl1 is ground for W)
      const double k = s.dg * v;
      c.A[ctlPos_[i][0][0]] += k; c.A[ctlPos_[i][0][1]] -= k;
      c.A[ctlPos_[i][1][0]] -= k; c.A[ctlPos_[i][1][1]] += k;
      if constexpr (Derived::kConductingControl) {
        const double vc = c.x[ctl_[i][0]] - c.x[ctl_[i][1]];
        c.conductance(ctlQuad_[i], ctl_[i][0], ctl_[i][1], kControlG, kControlG * vc);
      }
      g_[i] = s.g;
      dg_[i] = s.dg;
      v_[i] = v;
    }
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      c.admittance(quad_[i], g_[i]);
      if constexpr (Derived::kConductingControl) c.admittance(ctlQuad_[i], kControlG);
      const double k = dg_[i] * v_[i];
      c.A[ctlPos_[i][0][0]] += k; c.A[ctlPos_[i][0][1]] -= k;
      c.A[ctlPos_[i][1][0]] -= k; c.A[ctlPos_[i][1][1]] += k;
    }
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      out.emplace_back(a_[i], b_[i]);
      if constexpr (Derived::kConductingControl) out.emplace_back(ctl_[i][0], ctl_[i][1]);
    }
  }

  // @s1[i] (ngspice's savecurrents vector; i(s1) its .probe vector): the current from n+ through
  // the switch to n- at the solution (in .ac its linearisation at the operating point)
  int quantityId(std::size_t, std::string_view param) const override { return param == "i" ? 0 : -1; }
  void currentNames(std::size_t, std::vector<std::string_view>& out) const override { out.emplace_back("i"); }
  double quantity(std::size_t i, int, const QuantityContext& c) const override {
    const auto& self = static_cast<const Derived&>(*this);
    return model_[i].at(self.control(c.x, i)).g * (c.x[a_[i]] - c.x[b_[i]]);
  }
  std::complex<double> acQuantity(std::size_t i, int, const std::complex<double>* x, double) const override {
    return g_[i] * (x[a_[i]] - x[b_[i]]) + dg_[i] * v_[i] * (x[ctl_[i][0]] - x[ctl_[i][1]]);
  }

 protected:
  Status setupSwitch(SetupContext& ctx, std::size_t i, const char* on, const char* off, double onDefault,
                     double offDefault) {
    const ir::Device& d = *inst_[i];
    if (auto s = checkInstance(d); !s) return s;
    const ir::Model* mod = ctx.model(d);
    if (!mod) return deviceError(d, std::string(kind_.name) + " '" + d.name + "' needs a model");
    if (auto s = checkModel(*mod); !s) return s;
    const ParamValues P = values(d, mod);
    SwitchModel& m = model_[i];
    m.ron = P.model("ron");
    m.roff = P.model("roff");
    m.xon = P.model(on, onDefault);
    m.xoff = P.model(off, offDefault);
    if (!(m.ron > 0) || !(m.roff > 0))
      return deviceError(d, std::string(kind_.name) + " '" + d.name + "': RON and ROFF must be positive");
    if constexpr (Derived::kConductingControl) {
      m.ron = std::max(m.ron, 1e-3);
      m.roff = std::min(m.roff, 1e12);
      m.floorAtRon = true;
    }
    if (m.xon == m.xoff)
      return deviceError(d, std::string(kind_.name) + " '" + d.name + "': the on and off thresholds must differ");
    a_[i] = ctx.node(d.nodes[0]);
    b_[i] = ctx.node(d.nodes[1]);
    return {};
  }
  void resizeSwitches(std::size_t n) {
    model_.resize(n); a_.resize(n); b_.resize(n); quad_.resize(n); ctlQuad_.resize(n);
    ctl_.assign(n, {0, 0}); ctlPos_.resize(n);
    g_.assign(n, 0.0); dg_.assign(n, 0.0); v_.assign(n, 0.0);
  }

  std::vector<SwitchModel> model_;
  std::vector<Index> a_, b_;
  std::vector<Quad> quad_, ctlQuad_;  // ctlQuad_: the control port's conductance
  std::vector<std::array<Index, 2>> ctl_;                  // control: x[ctl0] - x[ctl1]
  std::vector<std::array<std::array<Pos, 2>, 2>> ctlPos_;  // (a|b row) x (ctl0|ctl1 column)
  std::vector<double> g_, dg_, v_;                         // at the last load (AC)
};

class VSwitchesSmooth final : public SmoothSwitchGroup<VSwitchesSmooth> {
 public:
  using SmoothSwitchGroup::SmoothSwitchGroup;
  static constexpr bool kConductingControl = true;
  Status setup(SetupContext& ctx) override {
    resizeSwitches(inst_.size());
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      if (auto s = setupSwitch(ctx, i, "von", "voff", 1.0, 0.0); !s) return s;
      ctl_[i] = {ctx.node(inst_[i]->nodes[2]), ctx.node(inst_[i]->nodes[3])};
    }
    return {};
  }
  double control(const double* x, std::size_t i) const { return x[ctl_[i][0]] - x[ctl_[i][1]]; }
};

class ISwitchesSmooth final : public SmoothSwitchGroup<ISwitchesSmooth> {
 public:
  using SmoothSwitchGroup::SmoothSwitchGroup;
  static constexpr bool kConductingControl = false;
  Status setup(SetupContext& ctx) override {
    resizeSwitches(inst_.size());
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      if (d.refs.size() != 1) return deviceError(d, "switch '" + d.name + "' needs a controlling voltage source");
      if (auto s = setupSwitch(ctx, i, "ion", "ioff", 1e-3, 0.0); !s) return s;
    }
    return {};
  }
  Status resolve(SetupContext& ctx) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      auto b = controllingBranch(ctx, *inst_[i]);
      if (!b) return b.takeError();
      ctl_[i] = {b.value(), 0};
    }
    return {};
  }
  double control(const double* x, std::size_t i) const { return x[ctl_[i][0]]; }
};

constexpr const char* kVTypes[] = {"vswitch"};
constexpr ParamSpec kVParams[] = {
    mparam("ron", 1.0, "Ω", "on resistance"),
    mparam("roff", 1e6, "Ω", "off resistance"),
    mparam("von", 1.0, "V", "control voltage where the resistance reaches RON"),
    mparam("voff", 0.0, "V", "control voltage where the resistance reaches ROFF"),
};
constexpr const char* kITypes[] = {"iswitch"};
constexpr ParamSpec kIParams[] = {
    mparam("ron", 1.0, "Ω", "on resistance"),
    mparam("roff", 1e6, "Ω", "off resistance"),
    mparam("ion", 1e-3, "A", "control current where the resistance reaches RON"),
    mparam("ioff", 0.0, "A", "control current where the resistance reaches ROFF"),
};

}  // namespace

extern const DeviceKind kVSwitchSmoothKind, kISwitchSmoothKind;
constexpr DeviceKind kVSwitchSmoothKind{
    .letter = 's', .name = "voltage-controlled switch", .form = CardForm::ModelCard, .minNodes = 4, .maxNodes = 4,
    .modelTypes = kVTypes, .params = kVParams, .modelNoun = "switch",
    .valueDoc = "Sname n+ n- nc+ nc- model   (.model X VSWITCH (RON ROFF VON VOFF): PSpice's smooth switch)",
    .create = makeGroup<VSwitchesSmooth, kVSwitchSmoothKind>};
constexpr DeviceKind kISwitchSmoothKind{
    .letter = 'w', .name = "current-controlled switch", .form = CardForm::ModelCard, .refs = 1, .refLetter = 'v',
    .modelTypes = kITypes, .params = kIParams, .modelNoun = "current switch",
    .valueDoc = "Wname n+ n- Vcontrol model   (.model X ISWITCH (RON ROFF ION IOFF): PSpice's smooth switch)",
    .create = makeGroup<ISwitchesSmooth, kISwitchSmoothKind>};

}  // namespace simcore::dev
