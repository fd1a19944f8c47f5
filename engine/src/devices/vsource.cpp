// V: independent voltage source; its current is an unknown, i(V) flows from
// the + node through the source to the - node. An RF port (portnum N, .sp)
// has a series resistance z0 between its + node and an internal node
// "<name>#res", and the source between that node and its - node.
#include "devices/sources.hpp"

namespace simcore::dev {
namespace {

class VoltageSources final : public SourceGroup {
 public:
  using SourceGroup::SourceGroup;

  // The source values (SourceGroup), then a branch current per instance and
  // a port's internal node.
  Status setup(SetupContext& ctx) override {
    if (auto s = SourceGroup::setup(ctx); !s) return s;
    const std::size_t n = inst_.size();
    br_.resize(n); pq_.resize(n); hi_.resize(n); g_.assign(n, 0.0); gq_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      br_[i] = ctx.addBranch(*inst_[i]);
      hi_[i] = a_[i];
      const ir::SourceSpec& sp = inst_[i]->source;
      if (sp.port > 0) {
        hi_[i] = ctx.addInternalNode(*inst_[i], "res");
        g_[i] = 1.0 / sp.z0;
      }
    }
    return {};
  }

  void pattern(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      pq_[i].bind(b, hi_[i], b_[i], br_[i]);
      if (g_[i] != 0) gq_[i].bind(b, a_[i], hi_[i]);
    }
  }

  void load(LoadContext& c) override {
    if (recordsOnly(c.mode)) return;
    const double* x = c.x;
    double* A = c.A;
    double* f = c.f;
    for (std::size_t i = 0, n = inst_.size(); i < n; ++i) {
      const Index a = hi_[i], b = b_[i], r = br_[i];
      if (c.stampMatrix) {
        pq_[i].stamp(A);
        if (g_[i] != 0) stampG(A, gq_[i], g_[i]);
      }
      f[a] += x[r]; f[b] -= x[r];
      f[r] += x[a] - x[b] - src_[i].value(c);
      if (g_[i] != 0) {
        const double cur = g_[i] * (x[a_[i]] - x[a]);
        f[a_[i]] += cur; f[a] -= cur;
      }
    }
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      pq_[i].stamp(c.A);
      if (g_[i] != 0) stampG(c.A, gq_[i], g_[i]);
      c.b[br_[i]] += src_[i].ac;
    }
  }

  void rfPorts(std::vector<RfPort>& out) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i)
      if (g_[i] != 0) out.push_back({inst_[i]->source.port, a_[i], b_[i], br_[i], inst_[i]->source.z0, inst_[i]});
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      out.emplace_back(hi_[i], b_[i]);
      if (g_[i] != 0) out.emplace_back(a_[i], hi_[i]);
    }
  }
  void voltageEdges(std::vector<std::pair<Index, Index>>& out, std::vector<int>& idx) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) { out.emplace_back(hi_[i], b_[i]); idx.push_back(int(i)); }
  }

 private:
  template <class T>
  static void stampG(T* A, const Quad& q, double g) {
    A[q.aa] += g; A[q.bb] += g; A[q.ab] -= g; A[q.ba] -= g;
  }

  std::vector<Index> br_;
  std::vector<Index> hi_;    // the source's + side: the + node, a port's internal node
  std::vector<double> g_;    // 1 / z0 of a port, 0 otherwise
  std::vector<BranchQuad> pq_;
  std::vector<Quad> gq_;
};

}  // namespace

extern const DeviceKind kVoltageSourceKind;
constexpr DeviceKind kVoltageSourceKind{
    .letter = 'v', .name = "voltage source", .form = CardForm::Source, .branches = 1,
    .valueDoc = "Vname n+ n- [[DC] value] [AC [mag [phase]]] [PULSE|SIN|EXP|PWL|SFFM|AM|TRNOISE|TRRANDOM (...)] "
                "[portnum N [z0 Z] [pwr P] [freq F] [phase D]]",
    .create = makeGroup<VoltageSources, kVoltageSourceKind>};

}  // namespace simcore::dev
