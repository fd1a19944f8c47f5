// I: independent current source; the current flows from the + node through
// the source to the - node.
#include "devices/sources.hpp"

namespace simcore::dev {
namespace {

class CurrentSources final : public SourceGroup {
 public:
  using SourceGroup::SourceGroup;

  void pattern(PatternBuilder&) override {}

  void load(LoadContext& c) override {
    if (recordsOnly(c.mode)) return;
    for (std::size_t i = 0, n = inst_.size(); i < n; ++i) {
      double v = src_[i].value(c);
      c.f[a_[i]] += v;
      c.f[b_[i]] -= v;
    }
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      c.b[a_[i]] -= src_[i].ac;
      c.b[b_[i]] += src_[i].ac;
    }
  }

  void dcPaths(std::vector<std::pair<Index, Index>>&) const override {}
};

}  // namespace

extern const DeviceKind kCurrentSourceKind;
constexpr DeviceKind kCurrentSourceKind{
    .letter = 'i', .name = "current source", .form = CardForm::Source,
    .valueDoc = "Iname n+ n- [[DC] value] [AC [mag [phase]]] [PULSE|SIN|EXP|PWL|SFFM|AM|TRNOISE|TRRANDOM (...)]", .create = makeGroup<CurrentSources, kCurrentSourceKind>};

}  // namespace simcore::dev
