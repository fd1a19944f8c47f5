// I: independent current source; the current flows from the + node through
// the source to the - node.
#include "devices/sources.hpp"

namespace simcore::dev {
namespace {

class CurrentSources final : public SourceGroup {
 public:
  using SourceGroup::SourceGroup;

  // The terminals and values of SourceGroup, and each instance's multiplier m=.
  Status setup(SetupContext& ctx) override {
    if (auto s = SourceGroup::setup(ctx); !s) return s;
    m_.resize(inst_.size());
    for (std::size_t i = 0; i < inst_.size(); ++i) m_[i] = values(*inst_[i]).inst("m");
    return {};
  }

  void pattern(PatternBuilder&) override {}

  void load(LoadContext& c) override {
    if (recordsOnly(c.mode)) return;
    for (std::size_t i = 0, n = inst_.size(); i < n; ++i) {
      const double v = m_[i] * src_[i].value(c);
      c.f[a_[i]] += v;
      c.f[b_[i]] -= v;
    }
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      c.b[a_[i]] -= m_[i] * src_[i].ac;
      c.b[b_[i]] += m_[i] * src_[i].ac;
    }
  }

  void dcPaths(std::vector<std::pair<Index, Index>>&) const override {}

  // @i1[current] (ngspice's savecurrents vector) and i(i1) (its .probe vector): the current
  // from + through the source to -, at the solution's time (its AC value in .ac); @i1[dc]
  int quantityId(std::size_t i, std::string_view param) const override {
    return param == "current" || param == "i" ? 1 : SourceGroup::quantityId(i, param);
  }
  void currentNames(std::size_t, std::vector<std::string_view>& out) const override { out.emplace_back("current"); }
  double quantity(std::size_t i, int id, const QuantityContext& c) const override {
    return id == 1 ? m_[i] * src_[i].valueAt(c.time, !c.transient) : SourceGroup::quantity(i, id, c);
  }
  std::complex<double> acQuantity(std::size_t i, int id, const std::complex<double>* x, double omega) const override {
    return id == 1 ? m_[i] * src_[i].ac : SourceGroup::acQuantity(i, id, x, omega);
  }

 private:
  std::vector<double> m_;  // parallel copies: the current is m times the source's value
};

constexpr ParamSpec kParams[] = {kMultParam};

}  // namespace

extern const DeviceKind kCurrentSourceKind;
constexpr DeviceKind kCurrentSourceKind{
    .letter = 'i', .name = "current source", .form = CardForm::Source, .params = kParams,
    .valueDoc = "Iname n+ n- [[DC] value] [AC [mag [phase]]] [PULSE|SIN|EXP|PWL|SFFM|AM|TRNOISE|TRRANDOM (...)] [m=M]", .create = makeGroup<CurrentSources, kCurrentSourceKind>};

}  // namespace simcore::dev
