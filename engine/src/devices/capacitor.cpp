// C: linear capacitor. Charge q = C*v is handed to the integrator; at DC it
// carries no current. ic= is used with .tran ... uic.
#include <cmath>
#include <optional>

#include "devices/common.hpp"

namespace simcore::dev {
namespace {

class Capacitors final : public GroupBase {
 public:
  using GroupBase::GroupBase;

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    a_.resize(n); b_.resize(n); c_.resize(n); p_.resize(n); s_.resize(n); ic_.assign(n, NAN);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      const ParamValues P = values(d, ctx.model(d));
      double cap = d.value ? *d.value : P.hasInst("c") ? P.inst("c") : P.model("cap");
      if (std::isnan(cap)) {
        auto geo = fromGeometry(P);
        if (!geo) return deviceError(d, "capacitor '" + d.name + "' needs a capacitance value");
        cap = *geo;
      }
      double temp = P.inst("temp", ctx.options().temp) + P.inst("dtemp");
      double dt = temp - P.model("tnom", ctx.options().tnom);
      const double tc1 = P.hasInst("tc1") ? P.inst("tc1") : P.model("tc1");
      const double tc2 = P.hasInst("tc2") ? P.inst("tc2") : P.model("tc2");
      cap *= (1.0 + tc1 * dt + tc2 * dt * dt) * P.inst("scale") * P.inst("m");
      if (!std::isfinite(cap)) return deviceError(d, "capacitor '" + d.name + "' has a non-finite capacitance");
      c_[i] = cap;
      ic_[i] = P.inst("ic");
      a_[i] = ctx.node(d.nodes[0]);
      b_[i] = ctx.node(d.nodes[1]);
      s_[i] = ctx.addStates(1);
    }
    return {};
  }

  void pattern(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) p_[i].bind(b, a_[i], b_[i]);
  }

  // The semiconductor capacitor of ngspice 39: CJ (or the oxide's eps/THICK)
  // per area and CJSW per length of perimeter, on the instance's W (else the
  // model's DEFW) less NARROW and L less SHORT (DEL: both 2*DEL). An unset L
  // is 0, as ngspice's. Empty when the model describes no geometry.
  static std::optional<double> fromGeometry(const ParamValues& P) {
    constexpr double kEps0 = 8.854214871e-12, kEpsSiO2 = 3.4531479969e-11;  // F/m
    double cj = P.model("cj");
    if (!P.hasModel("cj") && P.model("thick") > 0)
      cj = (P.hasModel("di") ? P.model("di") * kEps0 : kEpsSiO2) / P.model("thick");
    const double cjsw = P.model("cjsw");
    if (!P.hasModel("cj") && !P.hasModel("thick") && !P.hasModel("cjsw")) return std::nullopt;
    const double del = P.model("del");
    const double narrow = P.hasModel("narrow") ? P.model("narrow") : 2.0 * del;
    const double shrt = P.hasModel("short") ? P.model("short") : 2.0 * del;
    const double w = (P.hasInst("w") ? P.inst("w") : P.model("defw")) - narrow;
    const double l = (P.hasInst("l") ? P.inst("l") : 0.0) - shrt;
    return cj * w * l + cjsw * 2.0 * (l + w);
  }

  void load(LoadContext& c) override {
    const double* x = c.x;
    const std::size_t n = inst_.size();
    if (recordsOnly(c.mode)) {
      for (std::size_t i = 0; i < n; ++i) {
        double v = (c.uic && !std::isnan(ic_[i])) ? ic_[i] : x[a_[i]] - x[b_[i]];
        c.charge(s_[i], c_[i] * v);
      }
      return;
    }
    if (c.mode == AnalysisMode::DcOp) {
      for (std::size_t i = 0; i < n; ++i) c.charge(s_[i], c_[i] * (x[a_[i]] - x[b_[i]]));
      return;
    }
    const double ag0 = c.ag0;
    if (!c.stampMatrix) {
      for (std::size_t i = 0; i < n; ++i) {
        const double cur = c.charge(s_[i], c_[i] * (x[a_[i]] - x[b_[i]]));
        c.f[a_[i]] += cur;
        c.f[b_[i]] -= cur;
      }
      return;
    }
    // A capacitor to ground adds only its entry and residual at the other
    // node: the rest goes to the ground bin, which nobody reads, and each such
    // addition would be a read-modify-write of that one value (a chain across
    // every grounded device).
    for (std::size_t i = 0; i < n; ++i) {
      const Index a = a_[i], b = b_[i];
      const double cur = c.charge(s_[i], c_[i] * (x[a] - x[b]));
      const double g = ag0 * c_[i];
      if (a != 0 && b != 0) {
        c.conductance(p_[i], a, b, g, cur);
      } else if (b == 0) {
        c.A[p_[i].aa] += g;
        c.f[a] += cur;
      } else {
        c.A[p_[i].bb] += g;
        c.f[b] -= cur;
      }
    }
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) c.admittance(p_[i], std::complex<double>(0.0, c.omega * c_[i]));
  }

  void dcPaths(std::vector<std::pair<Index, Index>>&) const override {}

  // @c[i]: current from n+ to n- (dq/dt of the integrator, 0 at DC); @c[p]: power (ac: v * conj(i));
  // @c[c], @c[cap], @c[capacitance]: the capacitance in use (temperature, scale and m applied, as
  // ngspice's CAPcapac times m)
  int quantityId(std::size_t, std::string_view param) const override {
    return param == "i" ? 0 : param == "p" ? 1 : param == "c" || param == "cap" || param == "capacitance" ? 2 : -1;
  }
  void currentNames(std::size_t, std::vector<std::string_view>& out) const override { out.emplace_back("i"); }
  double quantity(std::size_t i, int id, const QuantityContext& c) const override {
    if (id == 2) return c_[i];
    const double cur = c.iq ? c.iq[s_[i]] : 0.0;
    return id == 0 ? cur : (c.x[a_[i]] - c.x[b_[i]]) * cur;
  }
  std::complex<double> acQuantity(std::size_t i, int id, const std::complex<double>* x, double omega) const override {
    if (id == 2) return c_[i];
    const std::complex<double> v = x[a_[i]] - x[b_[i]], cur = std::complex<double>(0.0, omega * c_[i]) * v;
    return id == 0 ? cur : v * std::conj(cur);
  }

 private:
  std::vector<Index> a_, b_;
  std::vector<double> c_, ic_;
  std::vector<int> s_;
  std::vector<Quad> p_;
};

constexpr const char* kTypes[] = {"c"};
constexpr ParamSpec kParams[] = {
    iparam("c", kNoDefault, "F", "capacitance (instead of the positional value)").aka("capacitance", "cap").shown("required"),
    mparam("cap", kNoDefault, "F", "capacitance when the instance gives none"),
    mparam("cj", 0.0, "F/m²", "bottom capacitance per area (geometry: when neither instance nor model gives C)")
        .aka("cox").shown("eps/THICK"),
    mparam("cjsw", 0.0, "F/m", "sidewall capacitance per length of perimeter").aka("capsw"),
    mparam("defw", 10e-6, "m", "width when the instance gives none").aka("w"),
    mparam("defl", 0.0, "m", "default length: accepted and unused, as ngspice's (an unset L is 0)").aka("l"),
    mparam("narrow", 0.0, "m", "width reduction").shown("2 DEL"),
    mparam("short", 0.0, "m", "length reduction").shown("2 DEL"),
    mparam("del", 0.0, "m", "width and length reduction on each side"),
    mparam("di", kNoDefault, "", "relative dielectric constant (CJ = DI eps0 / THICK)").shown("SiO2"),
    mparam("thick", 0.0, "m", "insulator thickness (CJ from it when CJ is not given)"),
    iparam("ic", kNoDefault, "V", "initial voltage, used with .tran ... uic").shown("none"),
    iparam("l", kNoDefault, "m", "length, with the model's CJ and CJSW (times .options scale)").shown("0"),
    iparam("w", kNoDefault, "m", "width, with the model's CJ and CJSW (times .options scale)").shown("model DEFW"),
    kMultParam,
    kTc1Param, kTc2Param,
    kTempParam, kDtempParam,
    iparam("scale", 1.0, "", "factor on the capacitance"),
    iparam("bv_max", kNoDefault, "V", "safe-operating-area limit: accepted and ignored").shown("—"),
    mparam("tc1", 0.0, "1/°C", "first-order temperature coefficient (the instance's wins)"),
    mparam("tc2", 0.0, "1/°C²", "second-order temperature coefficient (the instance's wins)"),
    kTnomParam,
    mparam("bv_max", kNoDefault, "V", "safe-operating-area limit: accepted and ignored").shown("—"),
};

}  // namespace

extern const DeviceKind kCapacitorKind;
constexpr DeviceKind kCapacitorKind{
    .letter = 'c', .name = "capacitor", .form = CardForm::TwoTerminal, .modelTypes = kTypes, .params = kParams,
    .valueDoc = "Cname n+ n- [value] [model] [name=value ...]", .create = makeGroup<Capacitors, kCapacitorKind>};

}  // namespace simcore::dev
