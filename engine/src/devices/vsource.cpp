// V: independent voltage source; its current is an unknown, i(V) flows from
// the + node through the source to the - node.
#include "devices/sources.hpp"

namespace simcore::dev {
namespace {

class VoltageSources final : public SourceGroup {
 public:
  using SourceGroup::SourceGroup;

  // The source values (SourceGroup), then a branch current per instance.
  Status setup(SetupContext& ctx) override {
    if (auto s = SourceGroup::setup(ctx); !s) return s;
    const std::size_t n = inst_.size();
    br_.resize(n); pq_.resize(n);
    for (std::size_t i = 0; i < n; ++i) br_[i] = ctx.addBranch(*inst_[i]);
    return {};
  }

  void pattern(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      pq_[i].bind(b, a_[i], b_[i], br_[i]);
    }
  }

  void load(LoadContext& c) override {
    if (recordsOnly(c.mode)) return;
    const double* x = c.x;
    double* A = c.A;
    double* f = c.f;
    for (std::size_t i = 0, n = inst_.size(); i < n; ++i) {
      const Index a = a_[i], b = b_[i], r = br_[i];
      if (c.stampMatrix) {
        pq_[i].stamp(A);
      }
      f[a] += x[r]; f[b] -= x[r];
      f[r] += x[a] - x[b] - src_[i].value(c);
    }
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      pq_[i].stamp(c.A);
      c.b[br_[i]] += src_[i].ac;
    }
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) out.emplace_back(a_[i], b_[i]);
  }
  void voltageEdges(std::vector<std::pair<Index, Index>>& out, std::vector<int>& idx) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) { out.emplace_back(a_[i], b_[i]); idx.push_back(int(i)); }
  }

 private:
  std::vector<Index> br_;
  std::vector<BranchQuad> pq_;
};

}  // namespace

extern const DeviceKind kVoltageSourceKind;
constexpr DeviceKind kVoltageSourceKind{
    .letter = 'v', .name = "voltage source", .form = CardForm::Source, .branches = 1,
    .valueDoc = "Vname n+ n- [[DC] value] [AC [mag [phase]]] [PULSE|SIN|EXP|PWL|SFFM|AM|TRNOISE|TRRANDOM (...)]", .create = makeGroup<VoltageSources, kVoltageSourceKind>};

}  // namespace simcore::dev
