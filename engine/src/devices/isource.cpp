// I: independent current source; the current flows from the + node through
// the source to the - node.
#include <cmath>

#include "devices/common.hpp"
#include "devices/sources.hpp"

namespace simcore::dev {
namespace {

class CurrentSources final : public GroupBase {
 public:
  using GroupBase::GroupBase;

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    a_.resize(n); b_.resize(n); src_.resize(n); orig_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      auto src = IndependentSource::make(d, ctx.tranHints());
      if (!src) return src.takeError();
      src_[i] = std::move(src.value());
      orig_[i] = {src_[i].dc, src_[i].hasDc};
      a_[i] = ctx.node(d.nodes[0]);
      b_[i] = ctx.node(d.nodes[1]);
    }
    return {};
  }

  void pattern(PatternBuilder&) override {}

  void load(LoadContext& c) override {
    if (c.mode == AnalysisMode::TranInit) return;
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
  double nextBreakpoint(double t) const override {
    double best = 1e300;
    for (const auto& s : src_) best = std::min(best, s.fn.nextBreakpoint(t));
    return best;
  }
  bool setDcValue(std::size_t i, double v) override {
    src_[i].dc = v;
    src_[i].hasDc = true;
    return true;
  }
  void restoreDcValue(std::size_t i) override {
    src_[i].dc = orig_[i].dc;
    src_[i].hasDc = orig_[i].hasDc;
  }

 private:
  std::vector<Index> a_, b_;
  std::vector<IndependentSource> src_;
  struct DcSetting {
    double dc = 0;
    bool hasDc = false;
  };
  std::vector<DcSetting> orig_;
};

}  // namespace

extern const DeviceKind kCurrentSourceKind;
constexpr DeviceKind kCurrentSourceKind{
    .letter = 'i', .name = "current source", .form = CardForm::Source,
    .valueDoc = "Iname n+ n- [[DC] value] [AC [mag [phase]]] [PULSE|SIN|EXP|PWL|SFFM (...)]", .create = makeGroup<CurrentSources, kCurrentSourceKind>};

}  // namespace simcore::dev
