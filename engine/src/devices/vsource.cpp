// V: independent voltage source; its current is an unknown, i(V) flows from
// the + node through the source to the - node.
#include <cmath>

#include "devices/common.hpp"
#include "devices/sources.hpp"

namespace simcore::dev {
namespace {

class VoltageSources final : public GroupBase {
 public:
  using GroupBase::GroupBase;

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    a_.resize(n); b_.resize(n); br_.resize(n); src_.resize(n); orig_.resize(n);
    pab_.resize(n); pbb_.resize(n); pra_.resize(n); prb_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      auto src = IndependentSource::make(d, ctx.tranHints());
      if (!src) return src.takeError();
      src_[i] = std::move(src.value());
      orig_[i] = {src_[i].dc, src_[i].hasDc};
      a_[i] = ctx.node(d.nodes[0]);
      b_[i] = ctx.node(d.nodes[1]);
      br_[i] = ctx.addBranch(d);
    }
    return {};
  }

  void pattern(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      pab_[i] = b.entry(a_[i], br_[i]);
      pbb_[i] = b.entry(b_[i], br_[i]);
      pra_[i] = b.entry(br_[i], a_[i]);
      prb_[i] = b.entry(br_[i], b_[i]);
    }
  }

  void load(LoadContext& c) override {
    if (c.mode == AnalysisMode::TranInit) return;
    const double* x = c.x;
    double* A = c.A;
    double* f = c.f;
    for (std::size_t i = 0, n = inst_.size(); i < n; ++i) {
      const Index a = a_[i], b = b_[i], r = br_[i];
      if (c.stampMatrix) {
        A[pab_[i]] += 1.0; A[pbb_[i]] -= 1.0;
        A[pra_[i]] += 1.0; A[prb_[i]] -= 1.0;
      }
      f[a] += x[r]; f[b] -= x[r];
      f[r] += x[a] - x[b] - src_[i].value(c);
    }
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      c.A[pab_[i]] += 1.0; c.A[pbb_[i]] -= 1.0;
      c.A[pra_[i]] += 1.0; c.A[prb_[i]] -= 1.0;
      c.b[br_[i]] += src_[i].ac;
    }
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) out.emplace_back(a_[i], b_[i]);
  }
  void voltageEdges(std::vector<std::pair<Index, Index>>& out, std::vector<int>& idx) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) { out.emplace_back(a_[i], b_[i]); idx.push_back(int(i)); }
  }
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
  std::vector<Index> a_, b_, br_;
  std::vector<IndependentSource> src_;
  struct DcSetting {
    double dc = 0;
    bool hasDc = false;
  };
  std::vector<DcSetting> orig_;
  std::vector<Pos> pab_, pbb_, pra_, prb_;
};

}  // namespace

extern const DeviceKind kVoltageSourceKind;
constexpr DeviceKind kVoltageSourceKind{
    .letter = 'v', .name = "voltage source", .form = CardForm::Source, .branches = 1,
    .valueDoc = "Vname n+ n- [[DC] value] [AC [mag [phase]]] [PULSE|SIN|EXP|PWL|SFFM (...)]", .create = makeGroup<VoltageSources, kVoltageSourceKind>};

}  // namespace simcore::dev
