// Digital sources and the frequency divider (XSPICE's d_source and d_fdiv,
// ngspice 39 semantics).
//   d_source  Aname [out...] model: the outputs follow the rows of the vector
//     file input_file= (read by the netlist reader, netlist/xspice_files.hpp):
//     row k (time t_k, one value per output) takes effect at t_k. The model is
//     woken 0.1 ns before t_k (a breakpoint) and schedules the row with a
//     delay of 0.1 ns, as XSPICE does. At the operating point the outputs are
//     the first row when its time is 0, else U (undetermined). The outputs
//     keep the rows' strengths (the s r z u of 0s, 1r, Uz ...: resolved
//     outputs, block_digital.hpp).
//   d_fdiv  Aname in out model: counts rising edges (a change to 1) of in. The
//     count starts at i_count (0 when outside [0, div_factor)); the output is 1
//     at the operating point when 0 < i_count <= high_cycles, else 0. An edge
//     that brings the count to 1 or to div_factor + 1 sets it to 1 and drives 1
//     after rise_delay; one that brings it to high_cycles + 1 drives 0 after
//     fall_delay.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "devices/block_digital.hpp"

namespace simcore::dev::block {
namespace {

// (XSPICE's d_source: the lead of its wake-up before each row and the delay of the row's outputs)
constexpr double kSourceLead = 1e-10;

Logic stateOfCode(std::uint8_t code) { return Logic(code % 3); }

class DSource final : public DigitalGroup {
 public:
  using DigitalGroup::DigitalGroup;

 protected:
  Status setupInstance(SetupContext& ctx, std::size_t i, const ir::Model& m) override {
    static constexpr PortShape kShape[] = {{"out", true, false, true}};
    const ir::Device& d = *inst_[i];
    auto ports = readPorts(ctx, kind_, d, kShape);
    if (!ports) return ports.takeError();
    const std::vector<PortPair>& out = ports.value()[0];
    for (const PortPair& o : out) addResolvedOutput(o);
    const ParamValues P = values(d, &m);
    const std::vector<double> rows = P.modelVector("input_file");
    if (rows.empty()) return error(d, "needs input_file=\"name\" (its vector file) in its model");
    Inst s;
    s.width = out.size();
    for (std::size_t r = 0; r + 1 < rows.size();) {
      const int line = int(rows[r]);
      const std::size_t count = std::size_t(rows[r + 1]);
      if (r + 2 + count > rows.size() || count == 0) return error(d, "its input_file data is malformed");
      if (count - 1 != s.width)
        return error(d, "line " + std::to_string(line) + " of its input_file has " + std::to_string(count - 1) +
                            " values; the output vector has " + std::to_string(s.width));
      s.t.push_back(rows[r + 2]);
      for (std::size_t k = 0; k < s.width; ++k) s.codes.push_back(std::uint8_t(rows[r + 3 + k]));
      r += 2 + count;
    }
    src_.push_back(std::move(s));
    return {};
  }

  void evaluate(std::size_t i, const double*, bool dc) override {
    Inst& s = src_[i];
    if (dc) {
      s.next = 0;
      if (!s.t.empty() && s.t[0] == 0.0) {
        driveRow(i, 0, 0.0);
        s.next = 1;
      } else {
        for (std::size_t k = 0; k < s.width; ++k) drive(i, k, Logic::Unknown, 0.0, Strength::Undetermined);
      }
      return;
    }
    const double t = now();
    const double tol = 1e-12 * std::max(std::fabs(t), 1e-9);
    while (s.next < s.t.size() && s.t[s.next] - kSourceLead <= t + tol) {
      driveRow(i, s.next, std::max(0.0, s.t[s.next] - t));
      ++s.next;
    }
  }

  double selfBreakpoint(std::size_t i, double t) const override {
    const Inst& s = src_[i];
    if (s.next >= s.t.size()) return kNever;
    const double wake = s.t[s.next] - kSourceLead;
    return wake > t ? wake : s.t[s.next] > t ? s.t[s.next] : kNever;
  }

 private:
  struct Inst {
    std::size_t width = 0;
    std::vector<double> t;             // row times, increasing
    std::vector<std::uint8_t> codes;   // row-major, width per row (state + 3·strength)
    std::size_t next = 0;              // the first row not yet scheduled
  };
  void driveRow(std::size_t i, std::size_t row, double delay) {
    const Inst& s = src_[i];
    for (std::size_t k = 0; k < s.width; ++k) {
      const std::uint8_t code = s.codes[row * s.width + k];
      drive(i, k, stateOfCode(code), delay, Strength(code / 3));
    }
  }
  std::vector<Inst> src_;
};

class FreqDivider final : public DigitalGroup {
 public:
  using DigitalGroup::DigitalGroup;

 protected:
  Status setupInstance(SetupContext& ctx, std::size_t i, const ir::Model& m) override {
    static constexpr PortShape kShape[] = {{"freq_in", false, false, true}, {"freq_out", false, false, true}};
    const ir::Device& d = *inst_[i];
    auto ports = readPorts(ctx, kind_, d, kShape);
    if (!ports) return ports.takeError();
    Inst s;
    s.in = ports.value()[0][0];
    addDigitalOutput(ctx, i, ports.value()[1][0], "out");
    const ParamValues P = values(d, &m);
    const double div = P.model("div_factor"), high = P.model("high_cycles"), ic = P.model("i_count");
    auto whole = [](double v) { return std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e9; };
    if (!whole(div) || div < 1) return error(d, "div_factor must be a whole number, at least 1");
    if (!whole(high) || high < 1) return error(d, "high_cycles must be a whole number, at least 1");
    if (!whole(ic) || ic < 0) return error(d, "i_count must be a whole number, at least 0");
    s.div = long(div);
    s.high = long(high);
    s.icount = long(ic);
    s.rise = P.model("rise_delay");
    s.fall = P.model("fall_delay");
    if (!(s.rise >= 1e-12) || !(s.fall >= 1e-12)) return error(d, "rise_delay and fall_delay must be at least 1e-12 s");
    fdiv_.push_back(s);
    return {};
  }

  void evaluate(std::size_t i, const double* x, bool dc) override {
    Inst& s = fdiv_[i];
    const Logic in = readLogic(x, s.in);
    if (dc) {
      s.count = s.icount;
      Logic out = Logic::Zero;
      if (s.count >= s.div || s.count < 0) s.count = 0;
      if (s.count > 0 && s.count <= s.high) out = Logic::One;
      s.in0 = in;
      drive(i, 0, out, 0.0);
      return;
    }
    const bool edge = in != s.in0 && in == Logic::One;
    s.in0 = in;
    if (!edge) return;
    ++s.count;
    if (s.count == s.div + 1 || s.count == 1) {
      s.count = 1;
      drive(i, 0, Logic::One, s.rise);
    } else if (s.count == s.high + 1) {
      drive(i, 0, Logic::Zero, s.fall);
    }
  }

 private:
  struct Inst {
    PortPair in;
    long div = 2, high = 1, icount = 0, count = 0;
    double rise = 1e-9, fall = 1e-9;
    Logic in0 = Logic::Zero;
  };
  std::vector<Inst> fdiv_;
};

constexpr const char* kSourceTypes[] = {"d_source"};
constexpr ParamSpec kSourceParams[] = {
    mparam("input_file", kNoDefault, "",
           "the vector file: rows `time v1 v2 ...` (values 0s 1s Us 0r ... Uu), its name relative to the netlist")
        .vec()
        .shown("required"),
    mparam("input_load", 1e-12, "F", "accepted and ignored"),
};
constexpr const char* kFdivTypes[] = {"d_fdiv"};
constexpr ParamSpec kFdivParams[] = {
    mparam("div_factor", 2, "", "rising input edges per output cycle"),
    mparam("high_cycles", 1, "", "input cycles the output stays 1 in each output cycle"),
    mparam("i_count", 0, "", "the count at the operating point"),
    mparam("rise_delay", 1e-9, "s", "delay of an output change to 1"),
    mparam("fall_delay", 1e-9, "s", "delay of an output change to 0"),
    mparam("freq_in_load", 1e-12, "F", "accepted and ignored"),
};

}  // namespace
}  // namespace simcore::dev::block

namespace simcore::dev {

extern const DeviceKind kDSourceKind, kDFdivKind;
constexpr DeviceKind kDSourceKind{
    .letter = 'a', .name = "digital vector source", .form = CardForm::CodeModel, .minNodes = 0,
    .maxNodes = 1 << 20, .branches = 0, .modelTypes = block::kSourceTypes, .params = block::kSourceParams,
    .modelNoun = "d_source", .valueDoc = "Aname [out...] model  (input_file= in the model)",
    .create = makeGroup<block::DSource, kDSourceKind>};
constexpr DeviceKind kDFdivKind{
    .letter = 'a', .name = "digital frequency divider", .form = CardForm::CodeModel, .minNodes = 0,
    .maxNodes = 1 << 20, .branches = 1, .modelTypes = block::kFdivTypes, .params = block::kFdivParams,
    .modelNoun = "d_fdiv", .valueDoc = "Aname in out model",
    .create = makeGroup<block::FreqDivider, kDFdivKind>};

}  // namespace simcore::dev
