// R: linear resistor with temperature coefficients.
//   R(T) = R * (1 + tc1*(T - Tnom) + tc2*(T - Tnom)^2), or R * 1.01^(tce*(T - Tnom))
//   when tce is given (instance or model), m parallel copies.
// R is the instance value, else (with a model) rsh (l - 2 short) / (w - 2 narrow)
// when rsh > 0, else the model's r; a zero effective width leaves it open.
// scale= multiplies it; ac= replaces it in .ac analyses (same factors).
#include <cmath>
#include <limits>

#include "devices/common.hpp"
#include "devices/noise.hpp"

namespace simcore::dev {
namespace {

class Resistors final : public GroupBase {
 public:
  using GroupBase::GroupBase;

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    a_.resize(n); b_.resize(n); g_.resize(n); gac_.resize(n); r_.resize(n); p_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      const ir::Model* mod = ctx.model(d);
      const ParamValues P = values(d, mod);
      // ngspice's order: the instance value, else the sheet resistance over the
      // effective geometry, else the model's r=
      double r = d.value ? *d.value : P.inst("r");
      bool open = false;
      if (std::isnan(r) && mod) {
        const double rsh = P.model("rsh");
        const double l = P.inst("l", P.model("defl")) - 2.0 * P.model("short");
        const double w = P.inst("w", P.model("defw")) - 2.0 * P.model("narrow");
        if (rsh > 0 && l > 0) {
          if (w == 0.0) open = true;  // zero effective width: no conduction
          else r = rsh * l / w;
        } else if (P.hasModel("r")) {
          r = P.model("r");
        }
      }
      if (std::isnan(r) && !open) return deviceError(d, "resistor '" + d.name + "' needs a resistance value");
      double temp = P.inst("temp", ctx.options().temp) + P.inst("dtemp");
      double dt = temp - P.model("tnom", ctx.options().tnom);
      const double tc1 = P.hasInst("tc1") ? P.inst("tc1") : P.model("tc1");
      const double tc2 = P.hasInst("tc2") ? P.inst("tc2") : P.model("tc2");
      double m = P.inst("m");
      if (m <= 0) return deviceError(d, "resistor '" + d.name + "': m must be positive");
      const double tce = P.hasInst("tce") ? P.inst("tce") : P.model("tce");
      const double tfactor =
          P.hasInst("tce") || P.hasModel("tce") ? std::pow(1.01, tce * dt) : 1.0 + tc1 * dt + tc2 * dt * dt;
      const double factor = tfactor * P.inst("scale");
      const double rac = P.inst("ac");
      r_[i] = open ? std::numeric_limits<double>::infinity() : r;  // (@r[r]: before temperature and scale)
      if (open) {
        g_[i] = 0.0;
      } else {
        r *= factor;
        if (r == 0.0 || !std::isfinite(r))
          return deviceError(d, "resistor '" + d.name + "' has resistance " + std::to_string(r) + "; it must be finite and non-zero");
        g_[i] = m / r;
      }
      gac_[i] = g_[i];
      if (!std::isnan(rac)) {
        if (rac * factor == 0.0 || !std::isfinite(rac * factor))
          return deviceError(d, "resistor '" + d.name + "': ac= must be finite and non-zero");
        gac_[i] = m / (rac * factor);
      }
      a_[i] = ctx.node(d.nodes[0]);
      b_[i] = ctx.node(d.nodes[1]);
    }
    return {};
  }

  void pattern(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) p_[i].bind(b, a_[i], b_[i]);
  }

  void load(LoadContext& c) override {
    if (recordsOnly(c.mode)) return;
    const double* x = c.x;
    double* f = c.f;
    const std::size_t n = inst_.size();
    if (!c.stampMatrix) {
      for (std::size_t i = 0; i < n; ++i) {
        const double cur = g_[i] * (x[a_[i]] - x[b_[i]]);
        f[a_[i]] += cur;
        f[b_[i]] -= cur;
      }
      return;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const double g = g_[i];
      c.conductance(p_[i], a_[i], b_[i], g, g * (x[a_[i]] - x[b_[i]]));
    }
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) c.admittance(p_[i], gac_[i]);
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) out.emplace_back(a_[i], b_[i]);
  }

  // ---- .noise (as ngspice's): thermal 4 k (T + dtemp) G and flicker
  // m KF |I/m|^AF / (area f^EF) of the DC current, area = (l - 2 short)^LF
  // (w - 2 narrow)^WF when the instance gives l or w, else 1; none with
  // noisy=0. Every generator is reported, zero or not, so that the summary
  // names them all as ngspice.
  void noise(NoiseContext& c) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      const ParamValues P = values(d, c.model(d));
      if (P.inst("noisy") == 0.0 || P.inst("noiseless") != 0.0 || g_[i] == 0.0) continue;
      c.thermal(d, "_thermal", a_[i], b_[i], g_[i], P.inst("dtemp"));
      const double kf = P.model("kf", 0.0), af = P.model("af", 1.0), m = P.inst("m");
      const double cur = g_[i] * (c.xop[a_[i]] - c.xop[b_[i]]);
      double area = 1.0;
      if (P.hasInst("l") || P.hasInst("w")) {
        const double l = P.hasInst("l") ? P.inst("l") : P.model("defl");
        const double w = P.hasInst("w") ? P.inst("w") : P.model("defw");
        area = std::pow(l - 2 * P.model("short"), P.model("lf")) * std::pow(w - 2 * P.model("narrow"), P.model("wf"));
      }
      c.flicker(d, "_1overf", a_[i], b_[i], m * NoiseContext::flickerCoef(kf, af, cur / m) / area, P.model("ef"));
    }
  }

  // @r[i]: current from n+ to n-; @r[p]: power (ac: v * conj(i)); @r[r], @r[resistance]: the
  // resistance as given (or from rsh, l, w, or the model's r), before temperature, scale and m,
  // as ngspice's RESresist
  int quantityId(std::size_t, std::string_view param) const override {
    return param == "i" ? 0 : param == "p" ? 1 : param == "r" || param == "resistance" ? 2 : -1;
  }
  void currentNames(std::size_t, std::vector<std::string_view>& out) const override { out.emplace_back("i"); }
  double quantity(std::size_t i, int id, const QuantityContext& c) const override {
    if (id == 2) return r_[i];
    const double v = c.x[a_[i]] - c.x[b_[i]], cur = g_[i] * v;
    return id == 0 ? cur : v * cur;
  }
  std::complex<double> acQuantity(std::size_t i, int id, const std::complex<double>* x, double) const override {
    if (id == 2) return r_[i];
    const std::complex<double> v = x[a_[i]] - x[b_[i]], cur = gac_[i] * v;
    return id == 0 ? cur : v * std::conj(cur);
  }

 private:
  std::vector<Index> a_, b_;
  std::vector<double> g_, gac_;  // dc/transient and small-signal (ac=) conductances
  std::vector<double> r_;        // the resistance as given (@r[r])
  std::vector<Quad> p_;
};

constexpr const char* kTypes[] = {"r"};
constexpr ParamSpec kParams[] = {
    iparam("r", kNoDefault, "Ω", "resistance (instead of the positional value)").aka("resistance").shown("required"),
    kTc1Param.aka("tc"), kTc2Param,
    iparam("tce", 0.0, "%/°C", "exponential temperature coefficient: R*1.01^(tce (T - Tnom)) when given"),
    kMultParam, kTempParam, kDtempParam,
    iparam("bv_max", kNoDefault, "V", "safe-operating-area limit: accepted and ignored").shown("—"),
    iparam("ac", kNoDefault, "Ω", "resistance in .ac analyses").shown("the resistance"),
    iparam("scale", 1.0, "", "factor on the resistance (and on ac=)"),
    iparam("l", kNoDefault, "m", "length, with the model's rsh").shown("model defl"),
    iparam("w", kNoDefault, "m", "width, with the model's rsh").shown("model defw"),
    iparam("noisy", 1.0, "", "0: no noise in .noise analyses"),
    flagParam("noiseless", "LTspice's flag: no noise in .noise analyses (as noisy=0)"),
    mparam("r", kNoDefault, "Ω", "resistance when the instance gives none and rsh does not apply").aka("res"),
    mparam("rsh", 0.0, "Ω", "sheet resistance: R = rsh (l - 2 short) / (w - 2 narrow); width 0: open"),
    mparam("defw", 1e-5, "m", "default width"),
    mparam("defl", 1e-5, "m", "default length"),
    mparam("narrow", 0.0, "m", "width reduction per side").aka("dw"),
    mparam("short", 0.0, "m", "length reduction per side").aka("dlr"),
    mparam("tc1", 0.0, "1/°C", "first-order temperature coefficient (the instance's wins)").aka("tc1r"),
    mparam("tc2", 0.0, "1/°C²", "second-order temperature coefficient (the instance's wins)").aka("tc2r"),
    mparam("tce", 0.0, "%/°C", "exponential temperature coefficient (the instance's wins)"),
    mparam("bv_max", kNoDefault, "V", "safe-operating-area limit: accepted and ignored").shown("—"),
    kTnomParam,
    kKfNoiseParam, kAfNoiseParam,
    mparam("lf", 1.0, "", "length exponent of the flicker noise area (.noise; with l or w on the instance)"),
    mparam("wf", 1.0, "", "width exponent of the flicker noise area (.noise; with l or w on the instance)"),
    mparam("ef", 1.0, "", "flicker frequency exponent (.noise)"),
};

}  // namespace

extern const DeviceKind kResistorKind;
constexpr DeviceKind kResistorKind{
    .letter = 'r', .name = "resistor", .form = CardForm::TwoTerminal, .modelTypes = kTypes, .params = kParams,
    .valueDoc = "Rname n+ n- [value] [model] [name=value ...]", .create = makeGroup<Resistors, kResistorKind>};

}  // namespace simcore::dev
