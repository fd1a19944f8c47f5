// Capacitance and inductance meters (XSPICE's cmeter and lmeter, ngspice 39
// semantics):
//   Aname in out model   (in: a node or %vd; out a node or %vd)
// At set-up the model looks at the netlist: cmeter sums the capacitance of
// every capacitor with a terminal on in's plus node, and of every capacitor
// on the far node of a 0 V DC source (no transient function) connected to it;
// lmeter combines the inductors found the same way in parallel with 1e12 H.
// The output is a voltage source gain·C (or gain·L), constant in time, 0 in
// AC. Only the written value of each capacitor (inductor) counts: its m, a
// model's scaling or temperature coefficients do not (as in ngspice 39).
#include <string>

#include "devices/block_common.hpp"

namespace simcore::dev::block {
namespace {

template <char Letter>
class Meter final : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kShape[] = {{"in"}, currentOut({"out"})};
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, kShape);
      if (!ports) return ports.takeError();
      addOutput(ctx, i, ports.value()[1][0], "out");
      const double gain = values(d, m.value()).model("gain");
      const Index at = ports.value()[0][0].p;
      // the nodes to look at: in's plus node and the far ends of 0 V sources on it
      std::vector<Index> nodes{at};
      const ir::Circuit& circuit = ctx.circuit();
      for (const ir::Device& v : circuit.devices) {
        if (v.letter != 'v' || v.nodes.size() < 2 || v.behaviour) continue;
        if (v.source.dc != 0.0 || v.source.wave.kind != ir::WaveKind::None) continue;
        const Index p = ctx.node(v.nodes[0]), n = ctx.node(v.nodes[1]);
        if (p == at) nodes.push_back(n);
        else if (n == at) nodes.push_back(p);
      }
      double total = Letter == 'c' ? 0.0 : 1e12;
      for (std::size_t k = 0; k < nodes.size(); ++k)
        for (const ir::Device& e : circuit.devices) {
          if (e.letter != Letter || e.nodes.size() < 2 || e.behaviour) continue;
          const double val = elementValue(e);
          if (ctx.node(e.nodes[0]) != nodes[k] && ctx.node(e.nodes[1]) != nodes[k]) continue;
          if (Letter == 'c') total += val;
          else total = 1.0 / (1.0 / total + 1.0 / val);
        }
      value_.push_back(gain * total);
    }
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (Output& o : outs_) o.bind(b);
  }

  void loadBlock(LoadContext& c) override {
    for (std::size_t i = 0; i < outs_.size(); ++i) {
      outs_[i].load(c);
      c.f[outs_[i].br] -= value_[i];
    }
  }

  void acLoadBlock(AcContext& c) override {
    for (const Output& o : outs_) o.acLoad(c);
  }

 private:
  // The written value of a capacitor (inductor): positional, or c= (l=); 0 when neither.
  static double elementValue(const ir::Device& e) {
    if (e.value) return *e.value;
    for (const ir::Param& p : e.params)
      if (p.name.size() == 1 && p.name[0] == Letter) return p.value;
    return 0.0;
  }

  std::vector<double> value_;
};

constexpr const char* kCmeterTypes[] = {"cmeter"};
constexpr const char* kLmeterTypes[] = {"lmeter"};
constexpr ParamSpec kCmeterParams[] = {
    mparam("gain", 1.0, "V/F", "output per farad of capacitance found on the input node"),
};
constexpr ParamSpec kLmeterParams[] = {
    mparam("gain", 1.0, "V/H", "output per henry of inductance found on the input node"),
};

}  // namespace
}  // namespace simcore::dev::block

namespace simcore::dev {

extern const DeviceKind kCmeterKind, kLmeterKind;
constexpr DeviceKind kCmeterKind{
    .letter = 'a', .name = "capacitance meter", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 1, .modelTypes = block::kCmeterTypes, .params = block::kCmeterParams, .modelNoun = "cmeter",
    .valueDoc = "Aname in out model  (out = gain · the capacitance on in)",
    .create = makeGroup<block::Meter<'c'>, kCmeterKind>};
constexpr DeviceKind kLmeterKind{
    .letter = 'a', .name = "inductance meter", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 1, .modelTypes = block::kLmeterTypes, .params = block::kLmeterParams, .modelNoun = "lmeter",
    .valueDoc = "Aname in out model  (out = gain · the inductance on in, in parallel with 1e12 H)",
    .create = makeGroup<block::Meter<'l'>, kLmeterKind>};

}  // namespace simcore::dev
