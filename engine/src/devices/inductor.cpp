// L: linear inductor with its current as an unknown (branch row:
// v+ - v- - dphi/dt = 0, phi = L*i). The flux goes through the integrator.
// dcopen=1: at an operating point or dc sweep point the branch row is i = 0
// instead of the short (an inductor closing a loop of voltage sources, whose
// DC current is undetermined: CircuitModel::openAtDc sets it).
#include <cmath>

#include "devices/common.hpp"

namespace simcore::dev {
namespace {

class Inductors final : public GroupBase {
 public:
  using GroupBase::GroupBase;

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    a_.resize(n); b_.resize(n); br_.resize(n); l_.resize(n); lOne_.resize(n); s_.resize(n); ic_.assign(n, NAN);
    pq_.resize(n); prr_.resize(n); open_.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      const ParamValues P = values(d, ctx.model(d));
      double l = d.value ? *d.value : P.hasInst("l") ? P.inst("l") : P.model("ind");
      if (std::isnan(l)) return deviceError(d, "inductor '" + d.name + "' needs an inductance value");
      double temp = P.inst("temp", ctx.options().temp) + P.inst("dtemp");
      double dt = temp - P.model("tnom", ctx.options().tnom);
      const double tc1 = P.hasInst("tc1") ? P.inst("tc1") : P.model("tc1");
      const double tc2 = P.hasInst("tc2") ? P.inst("tc2") : P.model("tc2");
      l *= (1.0 + tc1 * dt + tc2 * dt * dt) * P.inst("scale");
      lOne_[i] = l;  // (@l[inductance]: one inductor, as ngspice's INDinduct)
      l /= P.inst("m");
      if (!std::isfinite(l)) return deviceError(d, "inductor '" + d.name + "' has a non-finite inductance");
      l_[i] = l;
      ic_[i] = P.inst("ic");
      open_[i] = P.inst("dcopen") != 0.0;
      a_[i] = ctx.node(d.nodes[0]);
      b_[i] = ctx.node(d.nodes[1]);
      br_[i] = ctx.addBranch(d);
      s_[i] = ctx.addStates(1);
    }
    return {};
  }

  void pattern(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      pq_[i].bind(b, a_[i], b_[i], br_[i]);
      prr_[i] = b.entry(br_[i], br_[i]);
    }
  }

  void load(LoadContext& c) override {
    const double* x = c.x;
    const std::size_t n = inst_.size();
    if (recordsOnly(c.mode)) {
      for (std::size_t i = 0; i < n; ++i) {
        double cur = (c.uic && !std::isnan(ic_[i])) ? ic_[i] : x[br_[i]];
        c.charge(s_[i], l_[i] * cur);
      }
      return;
    }
    double* A = c.A;
    double* f = c.f;
    const bool stamp = c.stampMatrix;
    const bool dc = c.mode == AnalysisMode::DcOp;
    for (std::size_t i = 0; i < n; ++i) {
      const Index a = a_[i], b = b_[i], r = br_[i];
      const double ib = x[r];
      f[a] += ib; f[b] -= ib;
      if (dc && open_[i]) {  // open at DC: i = 0
        f[r] += ib;
        if (stamp) {
          A[pq_[i].ar] += 1.0;
          A[pq_[i].br] -= 1.0;
          A[prr_[i]] += 1.0;
        }
        continue;
      }
      double vl = c.charge(s_[i], l_[i] * ib);  // dphi/dt (0 at DC: a short)
      f[r] += x[a] - x[b] - vl;
      if (stamp) {
        pq_[i].stamp(A);
        A[prr_[i]] -= c.ag0 * l_[i];
      }
    }
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      pq_[i].stamp(c.A);
      c.A[prr_[i]] -= std::complex<double>(0.0, c.omega * l_[i]);
    }
  }

  // @l[i]: the branch current (i(l) too); @l[p]: power (ac: v * conj(i)); @l[inductance]: the
  // inductance of one (temperature and scale applied, not m, as ngspice's INDinduct; ngspice 39
  // has no short name for it)
  int quantityId(std::size_t, std::string_view param) const override {
    return param == "i" ? 0 : param == "p" ? 1 : param == "inductance" ? 2 : -1;
  }
  void currentNames(std::size_t, std::vector<std::string_view>& out) const override { out.emplace_back("i"); }
  double quantity(std::size_t i, int id, const QuantityContext& c) const override {
    if (id == 2) return lOne_[i];
    const double cur = c.x[br_[i]];
    return id == 0 ? cur : (c.x[a_[i]] - c.x[b_[i]]) * cur;
  }
  std::complex<double> acQuantity(std::size_t i, int id, const std::complex<double>* x, double) const override {
    if (id == 2) return lOne_[i];
    const std::complex<double> cur = x[br_[i]];
    return id == 0 ? cur : (x[a_[i]] - x[b_[i]]) * std::conj(cur);
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i)
      if (!open_[i]) out.emplace_back(a_[i], b_[i]);
  }
  void voltageEdges(std::vector<std::pair<Index, Index>>& out, std::vector<int>& idx) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i)
      if (!open_[i]) { out.emplace_back(a_[i], b_[i]); idx.push_back(int(i)); }
  }
  void initialConditions(double* x) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i)
      if (!std::isnan(ic_[i])) x[br_[i]] = ic_[i];
  }

 private:
  std::vector<Index> a_, b_, br_;
  std::vector<double> l_, lOne_, ic_;  // (lOne_: @l[inductance], one of m)
  std::vector<char> open_;  // dcopen
  std::vector<int> s_;
  std::vector<BranchQuad> pq_;
  std::vector<Pos> prr_;
};

constexpr const char* kTypes[] = {"l"};
constexpr ParamSpec kParams[] = {
    iparam("l", kNoDefault, "H", "inductance (instead of the positional value)").aka("inductance").shown("required"),
    mparam("ind", kNoDefault, "H", "inductance when the instance gives none"),
    iparam("ic", kNoDefault, "A", "initial current, used with .tran ... uic").shown("none"),
    kMultParam,
    kTc1Param, kTc2Param,
    kTempParam, kDtempParam,
    iparam("scale", 1.0, "", "factor on the inductance"),
    iparam("dcopen", 0.0, "",
           "1: open at an operating point (0 A) instead of a short; set with a warning on an inductor that closes a "
           "loop of voltage sources and inductors (its DC current undetermined)"),
    mparam("tc1", 0.0, "1/°C", "first-order temperature coefficient (the instance's wins)"),
    mparam("tc2", 0.0, "1/°C²", "second-order temperature coefficient (the instance's wins)"),
    kTnomParam,
};

}  // namespace

extern const DeviceKind kInductorKind;
constexpr DeviceKind kInductorKind{
    .letter = 'l', .name = "inductor", .form = CardForm::TwoTerminal, .branches = 1, .modelTypes = kTypes,
    .params = kParams, .valueDoc = "Lname n+ n- [value] [model] [name=value ...]", .create = makeGroup<Inductors, kInductorKind>};

}  // namespace simcore::dev
