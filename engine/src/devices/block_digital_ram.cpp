// The static RAM (XSPICE's d_ram, ngspice 39 semantics):
//   Aname [data_in...] [data_out...] [address...] write_en [select...] model
// The address is binary with address[0] the least significant line; the chip
// is selected while every select line equals its bit of select_value (bit 0
// for select[0]). Every word starts as ic (0, 1 or 2 for U). Outputs (after
// read_delay):
//   selected, write_en 0 (or U, except at the select edge): the word at the
//     address, strong (U when an address line is U);
//   selected, write_en 1 (or U at the select edge): data_in is stored at the
//     address (an address line U makes every word U) and appears on
//     data_out at hi-impedance;
//   de-selected with write_en 0: U at hi-impedance; otherwise unchanged.
// At the operating point the outputs are ic (strong) when selected with
// write_en 0, else U at hi-impedance. data_out are resolved outputs
// (block_digital.hpp): a bus of RAMs and tristates works.
#include <cmath>
#include <cstdint>
#include <string>

#include "devices/block_digital.hpp"

namespace simcore::dev::block {
namespace {

constexpr std::size_t kMaxAddressLines = 20;

class Ram final : public DigitalGroup {
 public:
  using DigitalGroup::DigitalGroup;

 protected:
  Status setupInstance(SetupContext& ctx, std::size_t i, const ir::Model& m) override {
    static constexpr PortShape kShape[] = {{"data_in", true, false, true},
                                           {"data_out", true, false, true},
                                           {"address", true, false, true},
                                           {"write_en", false, false, true},
                                           {"select", true, false, true}};
    const ir::Device& d = *inst_[i];
    auto ports = readPorts(ctx, kind_, d, kShape);
    if (!ports) return ports.takeError();
    const Ports& pt = ports.value();
    if (pt[0].size() != pt[1].size()) return error(d, "needs as many data_out as data_in lines");
    if (pt[2].size() > kMaxAddressLines)
      return error(d, "has " + std::to_string(pt[2].size()) + " address lines; at most " +
                          std::to_string(kMaxAddressLines) + " are supported");
    if (pt[4].size() > 16) return error(d, "takes at most 16 select lines");
    Inst s;
    s.din = pt[0];
    s.addr = pt[2];
    s.we = pt[3][0];
    s.sel = pt[4];
    for (const PortPair& o : pt[1]) addResolvedOutput(o);
    const ParamValues P = values(d, &m);
    const double sv = P.model("select_value"), ic = P.model("ic");
    if (!(sv >= 0 && sv <= 32767 && sv == std::floor(sv))) return error(d, "select_value must be a whole number in [0, 32767]");
    if (ic != 0 && ic != 1 && ic != 2) return error(d, "ic must be 0, 1 or 2 (U)");
    s.selectValue = unsigned(sv);
    s.ic = logicOf(ic);
    s.readDelay = P.model("read_delay");
    if (!(s.readDelay >= 1e-12)) return error(d, "read_delay must be at least 1e-12 s");
    s.words = std::size_t(1) << s.addr.size();
    ram_.push_back(std::move(s));
    return {};
  }

  void evaluate(std::size_t i, const double* x, bool dc) override {
    Inst& s = ram_[i];
    const std::size_t width = s.din.size();
    bool selected = true;
    for (std::size_t k = 0; k < s.sel.size(); ++k) {
      const Logic want = ((s.selectValue >> k) & 1u) ? Logic::One : Logic::Zero;
      selected = selected && readLogic(x, s.sel[k]) == want;
    }
    const Logic we = readLogic(x, s.we);
    bool unknownAddress = false;
    std::size_t address = 0;
    for (std::size_t k = 0; k < s.addr.size(); ++k) {
      const Logic a = readLogic(x, s.addr[k]);
      unknownAddress = unknownAddress || a == Logic::Unknown;
      if (a == Logic::One) address |= std::size_t(1) << k;
    }
    if (dc) {
      s.mem.assign(s.words * width, s.ic);
      s.selected0 = selected;
      for (std::size_t k = 0; k < width; ++k) {
        if (selected && we == Logic::Zero) drive(i, k, s.ic, 0.0, Strength::Strong);
        else drive(i, k, Logic::Unknown, 0.0, Strength::HiZ);
      }
      return;
    }
    const bool edge = selected != s.selected0;
    s.selected0 = selected;
    auto store = [&]() {
      for (std::size_t k = 0; k < width; ++k) {
        Logic out = Logic::Unknown;
        if (unknownAddress) {
          for (std::size_t w = 0; w < s.words; ++w) s.mem[w * width + k] = Logic::Unknown;
        } else {
          out = readLogic(x, s.din[k]);
          s.mem[address * width + k] = out;
        }
        drive(i, k, out, s.readDelay, Strength::HiZ);
      }
    };
    auto read = [&]() {
      for (std::size_t k = 0; k < width; ++k)
        drive(i, k, unknownAddress ? Logic::Unknown : s.mem[address * width + k], s.readDelay, Strength::Strong);
    };
    if (edge) {
      if (selected) {
        if (we == Logic::Zero) read();
        else store();
      } else if (we == Logic::Zero) {
        for (std::size_t k = 0; k < width; ++k) drive(i, k, Logic::Unknown, s.readDelay, Strength::HiZ);
      }
      return;
    }
    if (!selected) return;
    if (we == Logic::One) store();
    else read();
  }

 private:
  struct Inst {
    std::vector<PortPair> din, addr, sel;
    PortPair we;
    unsigned selectValue = 1;
    Logic ic = Logic::Unknown;
    double readDelay = 100e-9;
    std::size_t words = 1;
    std::vector<Logic> mem;  // word-major: mem[word * width + bit]
    bool selected0 = false;
  };
  std::vector<Inst> ram_;
};

constexpr const char* kRamTypes[] = {"d_ram"};
constexpr ParamSpec kRamParams[] = {
    mparam("select_value", 1, "", "the select lines' value that selects the chip (bit k for select[k])"),
    mparam("ic", 2, "", "every bit at the start: 0, 1 or 2 (U)"),
    mparam("read_delay", 100e-9, "s", "delay of every output change"),
    mparam("data_load", 1e-12, "F", "accepted and ignored"),
    mparam("address_load", 1e-12, "F", "accepted and ignored"),
    mparam("select_load", 1e-12, "F", "accepted and ignored"),
    mparam("enable_load", 1e-12, "F", "accepted and ignored"),
};

}  // namespace
}  // namespace simcore::dev::block

namespace simcore::dev {

extern const DeviceKind kDRamKind;
constexpr DeviceKind kDRamKind{
    .letter = 'a', .name = "RAM", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20, .branches = 0,
    .modelTypes = block::kRamTypes, .params = block::kRamParams, .modelNoun = "d_ram",
    .valueDoc = "Aname [data_in...] [data_out...] [address...] write_en [select...] model",
    .create = makeGroup<block::Ram, kDRamKind>};

}  // namespace simcore::dev
