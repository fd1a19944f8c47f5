// The file source (XSPICE's filesource, ngspice 39 semantics):
//   Aname [out...] model   (outputs %v or %vd, driven like ideal voltage sources)
// file= names a table (read by the netlist reader, netlist/xspice_files.hpp):
// each row is a time and one value per output (further values on a line are
// ignored). Row times become timescale·t + timeoffset (with
// timerelative=true ngspice 39 adds no offset: timescale·t); values
// amplscale[k]·v + amploffset[k] for output k (both required, as in ngspice
// 39; an output past the end of either vector: factor 1, offset 0).
// Between rows the outputs are linear in time (amplstep=true: the value of
// the row at or before t, the next row taking over just after its time).
// Outside the table ngspice 39 reads past the ends of its array; what it
// gives in practice is taken here: after the last row the outputs are 0;
// before the first row (a positive first time) they rise linearly from 0 at
// t = 0 (amplstep: stay 0). The row times are breakpoints. In an AC
// analysis the outputs are 0.
#include <algorithm>
#include <string>
#include <vector>

#include "devices/block_common.hpp"

namespace simcore::dev::block {
namespace {

class FileSource final : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kShape[] = {currentOut({"out", true})};
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, kShape);
      if (!ports) return ports.takeError();
      const std::vector<PortPair>& out = ports.value()[0];
      Inst s;
      s.first = outs_.size();
      s.width = out.size();
      for (std::size_t k = 0; k < out.size(); ++k) {
        const std::string suffix = "out" + std::to_string(k + 1);
        addOutput(ctx, i, out[k], suffix.c_str());
      }
      const ParamValues P = values(d, m.value());
      const std::vector<double> rows = P.modelVector("file");
      if (rows.empty()) return error(d, "needs file=\"name\" (its data file) in its model");
      const std::vector<double> scale = P.modelVector("amplscale"), offset = P.modelVector("amploffset");
      if (scale.empty() || offset.empty())
        return error(d, "needs amplscale= and amploffset= in its model (they have no default in ngspice 39)");
      const double tscale = P.model("timescale"), toffset = P.model("timeoffset");
      const bool relative = P.model("timerelative") != 0;
      s.step = P.model("amplstep") != 0;
      for (std::size_t r = 0; r + 1 < rows.size();) {
        const int line = int(rows[r]);
        const std::size_t count = std::size_t(rows[r + 1]);
        if (r + 2 + count > rows.size() || count == 0) return error(d, "its file data is malformed");
        if (count - 1 < s.width)
          return error(d, "line " + std::to_string(line) + " of its file has " + std::to_string(count - 1) +
                              " values after the time; it drives " + std::to_string(s.width) + " outputs");
        const double t = tscale * rows[r + 2] + (relative ? 0.0 : toffset);
        if (!s.t.empty() && t < s.t.back())
          return error(d, "the times in its file must not decrease (line " + std::to_string(line) + ")");
        s.t.push_back(t);
        for (std::size_t k = 0; k < s.width; ++k) {
          double v = rows[r + 3 + k];
          if (k < scale.size()) v *= scale[k];
          if (k < offset.size()) v += offset[k];
          s.v.push_back(v);
        }
        r += 2 + count;
      }
      src_.push_back(std::move(s));
    }
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (Output& o : outs_) o.bind(b);
  }

  void loadBlock(LoadContext& c) override {
    if (recordsOnly(c.mode)) return;
    for (const Inst& s : src_)
      for (std::size_t k = 0; k < s.width; ++k) {
        const Output& o = outs_[s.first + k];
        o.load(c);
        c.f[o.br] -= value(s, k, c.time);
      }
  }

  void acLoadBlock(AcContext& c) override {
    for (const Output& o : outs_) o.acLoad(c);
  }

  double nextBreakpoint(double t) const override {
    double best = 1e300;
    for (const Inst& s : src_) {
      auto it = std::upper_bound(s.t.begin(), s.t.end(), t);
      if (it != s.t.end()) best = std::min(best, *it);
    }
    return best;
  }

 private:
  struct Inst {
    std::size_t first = 0, width = 0;  // outputs [first, first + width) of outs_
    std::vector<double> t, v;          // row times; values row-major
    bool step = false;
  };
  static double value(const Inst& s, std::size_t k, double t) {
    const std::size_t n = s.t.size();
    if (t > s.t[n - 1]) return 0.0;
    if (t <= s.t[0]) {
      if (t == s.t[0] || !(s.t[0] > 0)) return s.v[k];  // at the first row (or before one at or below 0)
      if (s.step || t <= 0) return 0.0;
      return s.v[k] * t / s.t[0];
    }
    // the row interval [j-1, j] with t in (t[j-1], t[j]] (the earlier one at a row time)
    const std::size_t j = std::size_t(std::lower_bound(s.t.begin(), s.t.end(), t) - s.t.begin());
    const double y0 = s.v[(j - 1) * s.width + k], y1 = s.v[j * s.width + k];
    if (s.step) return y0;
    const double t0 = s.t[j - 1], t1 = s.t[j];
    const double w = (t1 - t) / (t1 - t0);
    return w * y0 + (1 - w) * y1;
  }
  std::vector<Inst> src_;
};

constexpr const char* kFileSourceTypes[] = {"filesource"};
constexpr ParamSpec kFileSourceParams[] = {
    mparam("file", kNoDefault, "", "the data file: rows `time v1 v2 ...`, its name relative to the netlist")
        .vec()
        .shown("required"),
    mparam("timeoffset", 0.0, "s", "added to every row time (not with timerelative=true)"),
    mparam("timescale", 1.0, "", "factor of every row time"),
    mparam("timerelative", 0.0, "", "true: no timeoffset (ngspice 39 reads the times as absolute)").words("false true"),
    mparam("amplstep", 0.0, "", "true: a staircase (each row's value until the next row) instead of linear").words(
        "false true"),
    mparam("amploffset", kNoDefault, "", "added to each output's values (element k for output k)").vec().shown("required"),
    mparam("amplscale", kNoDefault, "", "factor of each output's values (element k for output k)").vec().shown("required"),
};

}  // namespace
}  // namespace simcore::dev::block

namespace simcore::dev {

extern const DeviceKind kFileSourceKind;
constexpr DeviceKind kFileSourceKind{
    .letter = 'a', .name = "file source", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 1, .modelTypes = block::kFileSourceTypes, .params = block::kFileSourceParams,
    .modelNoun = "filesource", .valueDoc = "Aname [out...] model  (file= in the model)",
    .create = makeGroup<block::FileSource, kFileSourceKind>};

}  // namespace simcore::dev
