// Digital outputs with strengths (XSPICE's d_tristate, d_open_c and d_open_e,
// ngspice 39 semantics). Their outputs are resolved outputs
// (block_digital.hpp): several of them, pull-ups and pull-downs may share a
// node (a bus, wired logic).
//   d_tristate  Aname in enable out model: out follows in after `delay`;
//     its strength is strong while enable is 1, hi-impedance while it is 0,
//     undetermined while it is U (the same delay).
//   d_open_c  Aname in out model: in = 0 drives a strong 0 after fall_delay,
//     in = 1 a hi-impedance 1 after open_delay, U an undetermined U (after
//     open_delay from 0, else fall_delay).
//   d_open_e  Aname in out model: in = 1 drives a strong 1 after rise_delay,
//     in = 0 a hi-impedance 0 after open_delay, U an undetermined U (after
//     rise_delay from 0, else open_delay).
// At the operating point the outputs follow their inputs without delay.
#include "devices/block_digital.hpp"

namespace simcore::dev::block {
namespace {

class Tristate final : public DigitalGroup {
 public:
  using DigitalGroup::DigitalGroup;

 protected:
  Status setupInstance(SetupContext& ctx, std::size_t i, const ir::Model& m) override {
    static constexpr PortShape kShape[] = {
        {"in", false, false, true}, {"enable", false, false, true}, {"out", false, false, true}};
    const ir::Device& d = *inst_[i];
    auto ports = readPorts(ctx, kind_, d, kShape);
    if (!ports) return ports.takeError();
    Inst s;
    s.in = ports.value()[0][0];
    s.enable = ports.value()[1][0];
    addResolvedOutput(ports.value()[2][0]);
    s.delay = values(d, &m).model("delay");
    if (!(s.delay >= 1e-12)) return error(d, "delay must be at least 1e-12 s");
    tri_.push_back(s);
    return {};
  }

  void evaluate(std::size_t i, const double* x, bool dc) override {
    const Inst& s = tri_[i];
    const Logic en = readLogic(x, s.enable);
    const Strength st = en == Logic::One ? Strength::Strong : en == Logic::Zero ? Strength::HiZ : Strength::Undetermined;
    drive(i, 0, readLogic(x, s.in), dc ? 0.0 : s.delay, st);
  }

 private:
  struct Inst {
    PortPair in, enable;
    double delay = 1e-9;
  };
  std::vector<Inst> tri_;
};

// Open collector (Collector) or open emitter.
template <bool Collector>
class OpenOutput final : public DigitalGroup {
 public:
  using DigitalGroup::DigitalGroup;

 protected:
  Status setupInstance(SetupContext& ctx, std::size_t i, const ir::Model& m) override {
    static constexpr PortShape kShape[] = {{"in", false, false, true}, {"out", false, false, true}};
    const ir::Device& d = *inst_[i];
    auto ports = readPorts(ctx, kind_, d, kShape);
    if (!ports) return ports.takeError();
    Inst s;
    s.in = ports.value()[0][0];
    addResolvedOutput(ports.value()[1][0]);
    const ParamValues P = values(d, &m);
    s.open = P.model("open_delay");
    s.drive = P.model(Collector ? "fall_delay" : "rise_delay");
    if (!(s.open >= 1e-12) || !(s.drive >= 1e-12))
      return error(d, std::string("open_delay and ") + (Collector ? "fall_delay" : "rise_delay") +
                          " must be at least 1e-12 s");
    open_.push_back(s);
    return {};
  }

  void evaluate(std::size_t i, const double* x, bool dc) override {
    const Inst& s = open_[i];
    const Logic in = readLogic(x, s.in);
    // the driven level is strong, the other one open (hi-impedance)
    constexpr Logic kDriven = Collector ? Logic::Zero : Logic::One;
    Strength st = Strength::Undetermined;
    double delay = lastDriven(i, 0) == Logic::Zero ? (Collector ? s.open : s.drive) : (Collector ? s.drive : s.open);
    if (in == kDriven) {
      st = Strength::Strong;
      delay = s.drive;
    } else if (in != Logic::Unknown) {
      st = Strength::HiZ;
      delay = s.open;
    }
    drive(i, 0, in, dc ? 0.0 : delay, st);
  }

 private:
  struct Inst {
    PortPair in;
    double open = 1e-9, drive = 1e-9;
  };
  std::vector<Inst> open_;
};

constexpr const char* kTristateTypes[] = {"d_tristate"};
constexpr ParamSpec kTristateParams[] = {
    mparam("delay", 1e-9, "s", "delay of every output change (state or strength)"),
    mparam("input_load", 1e-12, "F", "accepted and ignored"),
    mparam("enable_load", 1e-12, "F", "accepted and ignored"),
};
constexpr const char* kOpenCTypes[] = {"d_open_c"};
constexpr ParamSpec kOpenCParams[] = {
    mparam("open_delay", 1e-9, "s", "delay of a change to the open (hi-impedance) 1"),
    mparam("fall_delay", 1e-9, "s", "delay of a change to the strong 0"),
    mparam("input_load", 1e-12, "F", "accepted and ignored"),
};
constexpr const char* kOpenETypes[] = {"d_open_e"};
constexpr ParamSpec kOpenEParams[] = {
    mparam("rise_delay", 1e-9, "s", "delay of a change to the strong 1"),
    mparam("open_delay", 1e-9, "s", "delay of a change to the open (hi-impedance) 0"),
    mparam("input_load", 1e-12, "F", "accepted and ignored"),
};

}  // namespace
}  // namespace simcore::dev::block

namespace simcore::dev {

extern const DeviceKind kDTristateKind, kDOpenCKind, kDOpenEKind;
constexpr DeviceKind kDTristateKind{
    .letter = 'a', .name = "tristate buffer", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 0, .modelTypes = block::kTristateTypes, .params = block::kTristateParams,
    .modelNoun = "d_tristate", .valueDoc = "Aname in enable out model",
    .create = makeGroup<block::Tristate, kDTristateKind>};
constexpr DeviceKind kDOpenCKind{
    .letter = 'a', .name = "open-collector buffer", .form = CardForm::CodeModel, .minNodes = 0,
    .maxNodes = 1 << 20, .branches = 0, .modelTypes = block::kOpenCTypes, .params = block::kOpenCParams,
    .modelNoun = "d_open_c", .valueDoc = "Aname in out model",
    .create = makeGroup<block::OpenOutput<true>, kDOpenCKind>};
constexpr DeviceKind kDOpenEKind{
    .letter = 'a', .name = "open-emitter buffer", .form = CardForm::CodeModel, .minNodes = 0,
    .maxNodes = 1 << 20, .branches = 0, .modelTypes = block::kOpenETypes, .params = block::kOpenEParams,
    .modelNoun = "d_open_e", .valueDoc = "Aname in out model",
    .create = makeGroup<block::OpenOutput<false>, kDOpenEKind>};

}  // namespace simcore::dev
