// Table code models (XSPICE's table2d and table3d, ngspice 39 semantics):
//   Aname inx iny out model          (.model M table2d(file="t.table" ...))
//   Aname inx iny inz out model      (.model M table3d(file="t.table" ...))
// out = offset + gain·f(inx, iny[, inz]), f read from file= (by the netlist
// reader, netlist/xspice_files.cpp) and interpolated as devices/table_interp.hpp
// describes: multilinear values, ENO derivatives of order order= for
// Newton's matrix and for AC (the inputs' small-signal gains). Inputs are
// voltages (%v, %vd) or currents (%i, %id, %vnam); the output a current (a
// bare node or %i: into that node from ground; %id(a b): from a through the
// model to b, as in ngspice's examples) or a voltage (%v, %vd). Outside the table the value stays
// at its edge. verbose= (ngspice's messages about inputs beyond the table)
// is accepted; the engine prints nothing.
#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include "devices/block_common.hpp"
#include "devices/table_interp.hpp"

namespace simcore::dev::block {
namespace {

template <int Dims>
class TableBlock final : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return false; }

  Status setup(SetupContext& ctx) override {
    // (the output's default type is a current, as XSPICE's: a bare node is %i)
    static constexpr PortShape kOut = [] {
      PortShape s = currentOut({"out"});
      s.currentDefault = true;
      return s;
    }();
    static constexpr PortShape k2[] = {currentIn({"inx"}), currentIn({"iny"}), kOut};
    static constexpr PortShape k3[] = {currentIn({"inx"}), currentIn({"iny"}), currentIn({"inz"}), kOut};
    const std::span<const PortShape> shape = Dims == 2 ? std::span<const PortShape>(k2) : std::span<const PortShape>(k3);
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, shape);
      if (!ports) return ports.takeError();
      const Ports& pt = ports.value();
      const ParamValues P = values(d, m.value());
      Inst s;
      const std::vector<double> raw = P.modelVector("file");
      if (raw.empty()) return error(d, "needs file=\"name\" (its table file) in its model");
      const std::string bad = table::decode(raw, s.grid);
      if (!bad.empty() || s.grid.dims != Dims) return error(d, bad.empty() ? "its table has the wrong dimension" : bad);
      // ngspice raises an order below 2 to 2 (with a message)
      s.order = std::max(2, int(P.model("order")));
      const std::string why = table::checkOrder(s.grid, s.order);
      if (!why.empty()) return error(d, why);
      table::prepare(s.grid, s.order);
      s.offset = P.model("offset");
      s.gain = P.model("gain");
      for (int k = 0; k < Dims; ++k) s.in[k] = pt[std::size_t(k)][0];
      addOutput(ctx, i, pt.back()[0], "out");
      inst.push_back(std::move(s));
    }
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst.size(); ++i) {
      outs_[i].bind(b);
      for (int k = 0; k < Dims; ++k) inst[i].stamp[k].bind(b, outs_[i].br, inst[i].in[k]);
    }
  }

  void loadBlock(LoadContext& c) override {
    if (c.mode == AnalysisMode::TranInit) return;
    for (std::size_t i = 0; i < inst.size(); ++i) {
      Inst& s = inst[i];
      const Output& o = outs_[i];
      o.load(c);
      double u[3] = {0, 0, 0};
      for (int k = 0; k < Dims; ++k) u[k] = s.in[k].v(c.x);
      const table::Eval e = table::evaluate(s.grid, s.order, u);
      c.f[o.br] -= s.offset + s.gain * e.value;
      for (int k = 0; k < Dims; ++k) {
        s.g[k] = s.gain * e.d[k];
        if (c.stampMatrix) {
          c.A[s.stamp[k].pp] -= s.g[k];
          c.A[s.stamp[k].pm] += s.g[k];
        }
      }
    }
  }

  void acLoadBlock(AcContext& c) override {
    for (std::size_t i = 0; i < inst.size(); ++i) {
      outs_[i].acLoad(c);
      for (int k = 0; k < Dims; ++k) inst[i].stamp[k].addAc(c, -inst[i].g[k]);
    }
  }

 private:
  struct Inst {
    table::Grid grid;
    int order = 3;
    double offset = 0, gain = 1;
    PortPair in[3];
    InputStamp stamp[3];
    double g[3] = {0, 0, 0};  // d out / d input at the last load (the AC gains)
  };
  std::vector<Inst> inst;
};

constexpr ParamSpec kTableParams[] = {
    mparam("file", kNoDefault, "",
           "the table file, its name relative to the netlist: counts, axes, then the values (docs/netlist.md)")
        .vec()
        .shown("required"),
    mparam("order", 3.0, "", "order of the ENO interpolation that gives the derivatives (at least 2)"),
    mparam("offset", 0.0, "", "added to the output"),
    mparam("gain", 1.0, "", "factor of the table value"),
    mparam("verbose", 0.0, "", "ngspice's messages (1: inputs beyond the table, 2: every evaluation): accepted, "
                               "nothing is printed"),
};
constexpr const char* kTable2Types[] = {"table2d"};
constexpr const char* kTable3Types[] = {"table3d"};

}  // namespace
}  // namespace simcore::dev::block

namespace simcore::dev {

extern const DeviceKind kTable2dKind, kTable3dKind;
constexpr DeviceKind kTable2dKind{
    .letter = 'a', .name = "2-D table", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 1, .modelTypes = block::kTable2Types, .params = block::kTableParams, .modelNoun = "table2d",
    .valueDoc = "Aname inx iny out model  (.model M table2d(file=\"t.table\" ...); out often %id(a b))",
    .create = makeGroup<block::TableBlock<2>, kTable2dKind>};
constexpr DeviceKind kTable3dKind{
    .letter = 'a', .name = "3-D table", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 1, .modelTypes = block::kTable3Types, .params = block::kTableParams, .modelNoun = "table3d",
    .valueDoc = "Aname inx iny inz out model  (.model M table3d(file=\"t.table\" ...); out often %id(a b))",
    .create = makeGroup<block::TableBlock<3>, kTable3dKind>};

}  // namespace simcore::dev
