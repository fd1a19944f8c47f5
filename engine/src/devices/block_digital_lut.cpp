// A digital lookup table (XSPICE's d_lut, ngspice 39 semantics):
//   Aname [in0 in1 ...] out model
// table_values is a string of 2^n characters ("0110"), '0' and '1' the
// output for the inputs read as a binary number with in0 the least
// significant bit, any other character U; a shorter string leaves the rest
// U, a longer one is cut. Any U input makes the output U. A change to 1
// comes after rise_delay, to 0 after fall_delay, to U after rise_delay from
// 0 and fall_delay otherwise. The string becomes the parameter's values
// (0, 1, 2 per character) in the netlist reader.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "devices/block_digital.hpp"

namespace simcore::dev::block {
namespace {

class Lut final : public DigitalGroup {
 public:
  using DigitalGroup::DigitalGroup;

 protected:
  Status setupInstance(SetupContext& ctx, std::size_t i, const ir::Model& m) override {
    static constexpr PortShape kShape[] = {{"in", true, false, true}, {"out", false, false, true}};
    const ir::Device& d = *inst_[i];
    auto ports = readPorts(ctx, kind_, d, kShape);
    if (!ports) return ports.takeError();
    const std::size_t n = ports.value()[0].size();
    if (n > 20) return error(d, "has " + std::to_string(n) + " inputs; at most 20");
    in_.push_back(ports.value()[0]);
    addDigitalOutput(ctx, i, ports.value()[1][0], "out");
    const ParamValues P = values(d, &m);
    if (!P.hasModel("table_values")) return error(d, "the model needs table_values (a string of 0 and 1)");
    std::vector<double> codes = P.modelVector("table_values");
    codes.resize(std::size_t(1) << n, 2.0);
    std::vector<Logic> table;
    for (double v : codes) table.push_back(logicOf(v));
    table_.push_back(std::move(table));
    const double rise = P.model("rise_delay"), fall = P.model("fall_delay");
    if (!(rise >= 1e-12) || !(fall >= 1e-12)) return error(d, "rise_delay and fall_delay must be at least 1e-12");
    delay_.push_back({rise, fall});
    return {};
  }

  void evaluate(std::size_t i, const double* x, bool) override {
    std::size_t idx = 0;
    Logic y = Logic::Zero;
    bool unknown = false;
    for (std::size_t k = 0; k < in_[i].size(); ++k) {
      const Logic s = readLogic(x, in_[i][k]);
      if (s == Logic::Unknown) unknown = true;
      else if (s == Logic::One) idx |= std::size_t(1) << k;
    }
    y = unknown ? Logic::Unknown : table_[i][idx];
    const Logic old = lastDriven(i, 0);
    const Delays& del = delay_[i];
    const double delay = y == Logic::One ? del.rise : y == Logic::Zero ? del.fall : old == Logic::Zero ? del.rise : del.fall;
    drive(i, 0, y, delay);
  }

 private:
  struct Delays {
    double rise = 1e-9, fall = 1e-9;
  };
  std::vector<std::vector<PortPair>> in_;
  std::vector<std::vector<Logic>> table_;
  std::vector<Delays> delay_;
};

class GenLut final : public DigitalGroup {
 public:
  using DigitalGroup::DigitalGroup;

 protected:
  Status setupInstance(SetupContext& ctx, std::size_t i, const ir::Model& m) override {
    static constexpr PortShape kShape[] = {{"in", true, false, true}, {"out", true, false, true}};
    const ir::Device& d = *inst_[i];
    auto ports = readPorts(ctx, kind_, d, kShape);
    if (!ports) return ports.takeError();
    const std::size_t n = ports.value()[0].size(), nout = ports.value()[1].size();
    if (n > 20) return error(d, "has " + std::to_string(n) + " inputs; at most 20");
    const ParamValues P = values(d, &m);
    if (!P.hasModel("table_values")) return error(d, "the model needs table_values (a string of 0, 1 and z)");
    std::vector<double> codes = P.modelVector("table_values");
    const std::size_t rows = std::size_t(1) << n;
    codes.resize(rows * nout, 2.0);
    Inst in;
    in.in = ports.value()[0];
    in.rows = rows;
    for (std::size_t k = 0; k < nout; ++k) {
      bool hiz = false;
      for (std::size_t r = 0; r < rows; ++r) hiz = hiz || codes[k * rows + r] == 3.0;
      if (hiz) addResolvedOutput(ports.value()[1][k]);
      else addDigitalOutput(ctx, i, ports.value()[1][k], ("out" + std::to_string(k)).c_str());
    }
    for (double v : codes) in.table.push_back(std::uint8_t(v));
    auto vec = [&](const char* name, double dflt, std::vector<double>& out) -> Status {
      out = P.hasModel(name) ? P.modelVector(name) : std::vector<double>{};
      if (out.empty()) out.push_back(dflt);
      return {};
    };
    (void)vec("rise_delay", 1e-9, in.rise);
    (void)vec("fall_delay", 1e-9, in.fall);
    (void)vec("input_delay", 0.0, in.inDelay);
    for (double v : in.rise)
      if (!(v >= 1e-12)) return error(d, "rise_delay values must be at least 1e-12");
    for (double v : in.fall)
      if (!(v >= 1e-12)) return error(d, "fall_delay values must be at least 1e-12");
    for (double v : in.inDelay)
      if (!(v >= 0)) return error(d, "input_delay values must not be negative");
    in.last.assign(n, Logic::Zero);
    inst.push_back(std::move(in));
    return {};
  }

  void evaluate(std::size_t i, const double* x, bool dc) override {
    Inst& g = inst[i];
    std::size_t idx = 0;
    bool unknown = false;
    double inDelay = 0;
    for (std::size_t k = 0; k < g.in.size(); ++k) {
      const Logic s = readLogic(x, g.in[k]);
      if (s != g.last[k]) inDelay = std::max(inDelay, pick(g.inDelay, k));
      g.last[k] = s;
      if (s == Logic::Unknown) unknown = true;
      else if (s == Logic::One) idx |= std::size_t(1) << k;
    }
    const std::size_t nout = g.table.size() / g.rows;
    for (std::size_t k = 0; k < nout; ++k) {
      const std::uint8_t code = unknown ? 2 : g.table[k * g.rows + idx];
      const Logic y = code == 0 ? Logic::Zero : code == 1 ? Logic::One : Logic::Unknown;
      const Strength st = code <= 1 ? Strength::Strong : code == 3 ? Strength::HiZ : Strength::Undetermined;
      const Logic old = lastDriven(i, k);
      double delay;
      if (y != old)
        delay = y == Logic::One ? pick(g.rise, k) : y == Logic::Zero ? pick(g.fall, k)
                : old == Logic::Zero ? pick(g.rise, k) : pick(g.fall, k);
      else  // a change of strength alone
        delay = (st == Strength::Strong) == (old == Logic::Zero) ? pick(g.fall, k) : pick(g.rise, k);
      drive(i, k, y, dc ? 0.0 : delay + inDelay, st);
    }
  }

 private:
  static double pick(const std::vector<double>& v, std::size_t k) { return v[std::min(k, v.size() - 1)]; }
  struct Inst {
    std::vector<PortPair> in;
    std::size_t rows = 1;
    std::vector<std::uint8_t> table;  // output k's column at [k·rows, (k+1)·rows): 0, 1, 2 (U), 3 (z)
    std::vector<double> rise, fall, inDelay;
    std::vector<Logic> last;  // the inputs at the last evaluation
  };
  std::vector<Inst> inst;
};

constexpr const char* kLutTypes[] = {"d_lut"};
constexpr ParamSpec kLutParams[] = {
    mparam("rise_delay", 1e-9, "s", "delay of a change to 1 (at least 1e-12)"),
    mparam("fall_delay", 1e-9, "s", "delay of a change to 0 (at least 1e-12)"),
    mparam("input_load", 1e-12, "F", "XSPICE's input load: accepted and ignored"),
    mparam("table_values", kNoDefault, "", "the outputs, one character per input combination (in0 the least "
                                           "significant bit): 0, 1, anything else U (required)")
        .vec()
        .shown("—"),
};

constexpr const char* kGenLutTypes[] = {"d_genlut"};
constexpr ParamSpec kGenLutParams[] = {
    mparam("rise_delay", 1e-9, "s", "delay of a change to 1, per output (the last for the outputs past it; at "
                                    "least 1e-12)")
        .vec(),
    mparam("fall_delay", 1e-9, "s", "delay of a change to 0, per output (as rise_delay)").vec(),
    mparam("input_load", 1e-12, "F", "XSPICE's input load: accepted and ignored").vec(),
    mparam("input_delay", 0.0, "s", "added to the output delay when this input changed, per input (the largest "
                                    "of the changed inputs)")
        .vec(),
    mparam("table_values", kNoDefault, "", "each output's column of 2^n characters in turn (in0 the least "
                                           "significant bit): 0, 1, z (hi-impedance), anything else U (required)")
        .vec()
        .shown("—"),
};

}  // namespace
}  // namespace simcore::dev::block

namespace simcore::dev {

extern const DeviceKind kDLutKind;
constexpr DeviceKind kDLutKind{
    .letter = 'a', .name = "lookup table", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 1, .modelTypes = block::kLutTypes, .params = block::kLutParams, .modelNoun = "d_lut",
    .valueDoc = "Aname [in0 in1 ...] out model  (.model M d_lut(table_values=\"0110\"))",
    .create = makeGroup<block::Lut, kDLutKind>};

}  // namespace simcore::dev

namespace simcore::dev {

extern const DeviceKind kDGenLutKind;
constexpr DeviceKind kDGenLutKind{
    .letter = 'a', .name = "general lookup table", .form = CardForm::CodeModel, .minNodes = 0,
    .maxNodes = 1 << 20, .branches = 1, .modelTypes = block::kGenLutTypes, .params = block::kGenLutParams,
    .modelNoun = "d_genlut",
    .valueDoc = "Aname [in0 in1 ...] [out0 out1 ...] model  (.model M d_genlut(table_values=\"0110\"))",
    .create = makeGroup<block::GenLut, kDGenLutKind>};

}  // namespace simcore::dev
