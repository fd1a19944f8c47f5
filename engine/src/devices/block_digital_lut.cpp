// A digital lookup table (XSPICE's d_lut, ngspice 39 semantics):
//   Aname [in0 in1 ...] out model
// table_values is a string of 2^n characters ("0110"), '0' and '1' the
// output for the inputs read as a binary number with in0 the least
// significant bit, any other character U; a shorter string leaves the rest
// U, a longer one is cut. Any U input makes the output U. A change to 1
// comes after rise_delay, to 0 after fall_delay, to U after rise_delay from
// 0 and fall_delay otherwise. The string becomes the parameter's values
// (0, 1, 2 per character) in the netlist reader.
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
