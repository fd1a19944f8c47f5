// K: mutual inductance between two inductors, M = k*sqrt(L1*L2).
// Adds -d(M*i2)/dt to L1's branch row and -d(M*i1)/dt to L2's. Each coupling
// flux is its own charge state; integration rules are linear, so integrating
// the parts separately equals integrating the total flux.
#include <cmath>

#include "devices/common.hpp"

namespace simcore::dev {
namespace {

class Mutuals final : public GroupBase {
 public:
  using GroupBase::GroupBase;

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    m_.resize(n); s_.resize(n); p12_.resize(n); p21_.resize(n); b1_.resize(n); b2_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (d.refs.size() != 2) return deviceError(d, "mutual inductance '" + d.name + "' needs two inductor names and a coupling factor");
      if (auto s = checkInstanceParams(kind_, d); !s) return s;
      if (!d.value) return deviceError(d, "mutual inductance '" + d.name + "' needs a coupling factor k");
      // any finite k, as ngspice 39 (the netlist warns outside [-1, 1]; k = 0 couples nothing)
      double k = *d.value;
      if (!std::isfinite(k))
        return deviceError(d, "mutual inductance '" + d.name + "': coupling factor is not a finite number");
      double l[2];
      for (int j = 0; j < 2; ++j) {
        const ir::Device* ld = ctx.findDevice(d.refs[j]);
        if (!ld || ld->letter != 'l')
          return deviceError(d, "mutual inductance '" + d.name + "' refers to '" + d.refs[j] + "', which is not an inductor in this circuit");
        const ParamValues L(*findKind('l'), *ld, nullptr);
        double lv = ld->value ? *ld->value : L.inst("l");
        lv /= L.inst("m");
        l[j] = lv;
      }
      m_[i] = k * std::sqrt(std::fabs(l[0] * l[1]));
      s_[i] = ctx.addStates(2);
    }
    return {};
  }

  Status resolve(SetupContext& ctx) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      b1_[i] = ctx.branchOf(inst_[i]->refs[0]);
      b2_[i] = ctx.branchOf(inst_[i]->refs[1]);
      if (b1_[i] <= 0 || b2_[i] <= 0) return deviceError(*inst_[i], "mutual inductance '" + inst_[i]->name + "': inductor branch not found");
    }
    return {};
  }

  void pattern(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      p12_[i] = b.entry(b1_[i], b2_[i]);
      p21_[i] = b.entry(b2_[i], b1_[i]);
    }
  }

  void load(LoadContext& c) override {
    const double* x = c.x;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const double m = m_[i];
      double v1 = c.charge(s_[i], m * x[b2_[i]]);
      double v2 = c.charge(s_[i] + 1, m * x[b1_[i]]);
      if (recordsOnly(c.mode)) continue;
      c.f[b1_[i]] -= v1;
      c.f[b2_[i]] -= v2;
      if (!c.stampMatrix) continue;
      c.A[p12_[i]] -= c.ag0 * m;
      c.A[p21_[i]] -= c.ag0 * m;
    }
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      std::complex<double> z(0.0, c.omega * m_[i]);
      c.A[p12_[i]] -= z;
      c.A[p21_[i]] -= z;
    }
  }

  void dcPaths(std::vector<std::pair<Index, Index>>&) const override {}

 private:
  std::vector<double> m_;
  std::vector<int> s_;
  std::vector<Index> b1_, b2_;
  std::vector<Pos> p12_, p21_;
};

}  // namespace

extern const DeviceKind kMutualKind;
constexpr DeviceKind kMutualKind{
    .letter = 'k', .name = "mutual inductance", .form = CardForm::Coupling, .minNodes = 0, .maxNodes = 0,
    .refs = 2, .refLetter = 'l', .valueDoc = "Kname Lname1 Lname2 k", .create = makeGroup<Mutuals, kMutualKind>};

}  // namespace simcore::dev
