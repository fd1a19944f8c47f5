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
