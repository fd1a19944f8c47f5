// The state machine (XSPICE's d_state, ngspice 39 semantics):
//   Aname [in...] clk reset [out...] model   (in and reset may be NULL)
// state_file= (read by the netlist reader, netlist/xspice_files.hpp) lists the
// machine: a header line `state out_1 .. out_n in_1 .. in_m -> next` (outputs
// 0s .. Uu, inputs 0, 1 or x for "any") and continuation lines
// `in_1 .. in_m -> next` that add transitions to the state above. A state's
// lines must be contiguous; its outputs are those of its header line.
// At the operating point the state is reset_state (outputs without delay; a
// state not in the file acts as the first line: its outputs, its transition). In the transient a
// change of reset to 1 sets reset_state after reset_delay; otherwise, while
// reset is not 1, a change of clk to 1 takes the first transition of the
// present state whose inputs match (an input U matches only x) and drives
// the next state's outputs after clk_delay; none matching: no change. The
// outputs keep their strengths (resolved outputs, block_digital.hpp).
#include <cmath>
#include <cstdint>
#include <string>

#include "devices/block_digital.hpp"

namespace simcore::dev::block {
namespace {

// The token encoding of netlist/xspice_files.hpp.
constexpr double kCodeBase = 1000.0, kDontCare = -1000.0;

class StateMachine final : public DigitalGroup {
 public:
  using DigitalGroup::DigitalGroup;

 protected:
  Status setupInstance(SetupContext& ctx, std::size_t i, const ir::Model& m) override {
    static constexpr PortShape kShape[] = {{"in", true, false, true, true},
                                           {"clk", false, false, true},
                                           {"reset", false, false, true, true},
                                           {"out", true, false, true}};
    const ir::Device& d = *inst_[i];
    auto ports = readPorts(ctx, kind_, d, kShape);
    if (!ports) return ports.takeError();
    const Ports& pt = ports.value();
    Inst s;
    s.in = pt[0];
    s.clk = pt[1][0];
    s.reset = pt[2][0];
    for (const PortPair& o : pt[3]) addResolvedOutput(o);
    const std::size_t nin = s.in.size(), nout = pt[3].size();
    s.nout = nout;
    const ParamValues P = values(d, &m);
    s.clkDelay = P.model("clk_delay");
    s.resetDelay = P.model("reset_delay");
    if (!(s.clkDelay > 0) || !(s.resetDelay > 0)) return error(d, "clk_delay and reset_delay must be positive");
    const double rs = P.model("reset_state");
    if (!(rs == std::floor(rs)) || std::fabs(rs) > 1e9) return error(d, "reset_state must be a whole number");
    s.resetState = long(rs);
    const std::vector<double> rows = P.modelVector("state_file");
    if (rows.empty()) return error(d, "needs state_file=\"name\" (its state table) in its model");
    auto bad = [&](int line, const std::string& what) {
      return error(d, "line " + std::to_string(line) + " of its state_file: " + what);
    };
    auto whole = [](double v) { return std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e9; };
    for (std::size_t r = 0; r + 1 < rows.size();) {
      const int line = int(rows[r]);
      const std::size_t count = std::size_t(rows[r + 1]);
      if (r + 2 + count > rows.size()) return error(d, "its state_file data is malformed");
      const double* t = &rows[r + 2];
      r += 2 + count;
      Row row;
      std::size_t k = 0;
      if (count == 3 + nin + nout) {
        if (!whole(t[0])) return bad(line, "expected a state number first");
        row.state = long(t[0]);
        row.out = std::uint32_t(s.codes.size());
        for (k = 1; k <= nout; ++k) {
          if (!(t[k] >= kCodeBase && t[k] < kCodeBase + 12)) return bad(line, "expected an output value (0s 1s Us 0r ... Uu)");
          s.codes.push_back(std::uint8_t(t[k] - kCodeBase));
        }
      } else if (count == 2 + nin) {
        if (s.rows.empty()) return bad(line, "a continuation line before any state");
        row.state = s.rows.back().state;
        row.out = s.rows.back().out;
      } else {
        return bad(line, std::to_string(count) + " fields; a header line has " + std::to_string(3 + nin + nout) +
                             " (state, " + std::to_string(nout) + " outputs, " + std::to_string(nin) +
                             " inputs, ->, next), a continuation line " + std::to_string(2 + nin));
      }
      row.in = std::uint32_t(s.inputs.size());
      for (std::size_t j = 0; j < nin; ++j, ++k) {
        const double v = t[k];
        if (v != 0 && v != 1 && v != kDontCare) return bad(line, "expected an input value (0, 1 or x)");
        s.inputs.push_back(v == kDontCare ? Logic::Unknown : logicOf(v));
      }
      if (!whole(t[count - 1])) return bad(line, "expected the next state's number last");
      row.next = long(t[count - 1]);
      if (!s.rows.empty() && s.rows.back().state != row.state)
        for (const Row& q : s.rows)
          if (q.state == row.state) return bad(line, "the lines of state " + std::to_string(row.state) + " must be together");
      s.rows.push_back(row);
    }
    machine_.push_back(std::move(s));
    return {};
  }

  void evaluate(std::size_t i, const double* x, bool dc) override {
    Inst& s = machine_[i];
    const Logic clk = readLogic(x, s.clk);
    const Logic reset = s.reset.null() ? Logic::Zero : readLogic(x, s.reset);
    if (dc) {
      s.clk0 = clk;
      s.reset0 = reset;
      s.state = s.resetState;
      output(i, 0.0);
      return;
    }
    const bool clkChanged = clk != s.clk0, resetChanged = reset != s.reset0;
    s.clk0 = clk;
    s.reset0 = reset;
    if (resetChanged) {
      if (reset == Logic::One) {
        s.state = s.resetState;
        output(i, s.resetDelay);
      }
      return;
    }
    if (reset == Logic::One || !clkChanged || clk != Logic::One) return;
    const std::size_t nin = s.in.size();
    const std::size_t from = first(s);
    const bool known = from < s.rows.size();  // (a state not in the file: the first line's transition, as XSPICE)
    for (std::size_t r = known ? from : 0; r < s.rows.size() && (known ? s.rows[r].state == s.state : r == 0); ++r) {
      bool match = true;
      for (std::size_t j = 0; j < nin && match; ++j) {
        const Logic want = s.inputs[s.rows[r].in + j];
        match = want == Logic::Unknown || want == readLogic(x, s.in[j]);
      }
      if (!match) continue;
      s.state = s.rows[r].next;
      output(i, s.clkDelay);
      return;
    }
  }

 private:
  struct Row {
    long state = 0, next = 0;
    std::uint32_t out = 0, in = 0;  // offsets into codes and inputs
  };
  struct Inst {
    std::vector<PortPair> in;
    PortPair clk, reset{-1, -1};
    std::size_t nout = 0;
    double clkDelay = 1e-9, resetDelay = 1e-9;
    long resetState = 0, state = 0;
    std::vector<Row> rows;
    std::vector<std::uint8_t> codes;  // outputs of the header lines (state + 3·strength)
    std::vector<Logic> inputs;        // per row and input: 0, 1 or U for x
    Logic clk0 = Logic::Zero, reset0 = Logic::Zero;
  };
  // The first line of the present state (0 when it has none, as XSPICE).
  static std::size_t first(const Inst& s) {
    for (std::size_t r = 0; r < s.rows.size(); ++r)
      if (s.rows[r].state == s.state) return r;
    return s.rows.size();
  }
  void output(std::size_t i, double delay) {
    const Inst& s = machine_[i];
    std::size_t r = first(s);
    if (r >= s.rows.size()) r = 0;
    for (std::size_t k = 0; k < s.nout; ++k) {
      const std::uint8_t code = s.codes[s.rows[r].out + k];
      drive(i, k, Logic(code % 3), delay, Strength(code / 3));
    }
  }
  std::vector<Inst> machine_;
};

constexpr const char* kStateTypes[] = {"d_state"};
constexpr ParamSpec kStateParams[] = {
    mparam("clk_delay", 1e-9, "s", "delay from the clock edge"),
    mparam("reset_delay", 1e-9, "s", "delay from reset rising"),
    mparam("state_file", kNoDefault, "",
           "the state table: `state outputs inputs -> next` lines, its name relative to the netlist")
        .vec()
        .shown("required"),
    mparam("reset_state", 0, "", "the state at the operating point and after a reset"),
    mparam("input_load", 1e-12, "F", "accepted and ignored"),
    mparam("clk_load", 1e-12, "F", "accepted and ignored"),
    mparam("reset_load", 1e-12, "F", "accepted and ignored"),
};

}  // namespace
}  // namespace simcore::dev::block

namespace simcore::dev {

extern const DeviceKind kDStateKind;
constexpr DeviceKind kDStateKind{
    .letter = 'a', .name = "state machine", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 0, .modelTypes = block::kStateTypes, .params = block::kStateParams, .modelNoun = "d_state",
    .valueDoc = "Aname [in...] clk reset [out...] model  (state_file= in the model)",
    .create = makeGroup<block::StateMachine, kDStateKind>};

}  // namespace simcore::dev
