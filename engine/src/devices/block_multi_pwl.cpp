// A piecewise-linear gate of several inputs (XSPICE's multi_input_pwl,
// ngspice 39 semantics):
//   Aname [in+ in- ...] out+ out- model   (pairs; (a b) and %vd(a b) too)
// The controlling input is the smallest of the inputs (model "and", "nand")
// or the largest ("or", "nor"); the output is the curve through (x, y) at
// it, held at y's first and last values beyond the ends. nand and nor are
// and and or (as XSPICE: the y table gives the inversion). The output is a
// voltage source; its slope on the controlling input goes into Newton's
// equations (XSPICE gives none) and into AC (XSPICE passes 0 there).
#include <algorithm>
#include <cmath>
#include <vector>

#include "devices/block_common.hpp"

namespace simcore::dev::block {
namespace {

class MultiInputPwl final : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return false; }

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kShape[] = {currentIn({"in", true, false, false, false, false, true}, kCurId),
                                           currentOut({"out", false, false, false, false, false, true}, kCurId)};
    first_.assign(inst_.size() + 1, 0);
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, kShape);
      if (!ports) return ports.takeError();
      const Ports& pt = ports.value();
      if (pt[0].size() < 2) return error(d, "needs at least two inputs (pairs) in its [ ] vector");
      first_[i] = in_.size();
      for (const PortPair& e : pt[0]) in_.push_back(e);
      first_[i + 1] = in_.size();
      addOutput(ctx, i, pt[1][0], "out");
      const ParamValues P = values(d, m.value());
      Inst s;
      s.x = P.modelVector("x");
      s.y = P.modelVector("y");
      if (s.x.size() < 2 || s.x.size() != s.y.size())
        return error(d, "x and y need the same number of values, at least two");
      for (std::size_t k = 1; k < s.x.size(); ++k)
        if (!(s.x[k] > s.x[k - 1])) return error(d, "x must increase");
      const double kind = P.model("model");
      s.smallest = kind == 0 || kind == 2;  // and, nand
      s_.push_back(std::move(s));
    }
    stamp_.resize(in_.size());
    g_.assign(in_.size(), 0.0);
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      outs_[i].bind(b);
      for (std::size_t j = first_[i]; j < first_[i + 1]; ++j) stamp_[j].bind(b, outs_[i].br, in_[j]);
    }
  }

  void loadBlock(LoadContext& c) override {
    if (recordsOnly(c.mode)) return;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const Inst& s = s_[i];
      const Output& o = outs_[i];
      o.load(c);
      std::size_t pick = first_[i];
      for (std::size_t j = first_[i] + 1; j < first_[i + 1]; ++j) {
        const double v = in_[j].v(c.x), best = in_[pick].v(c.x);
        if (s.smallest ? v < best : v > best) pick = j;
      }
      double slope;
      const double y = curve(s, in_[pick].v(c.x), slope);
      c.f[o.br] -= y;
      for (std::size_t j = first_[i]; j < first_[i + 1]; ++j) g_[j] = j == pick ? slope : 0.0;
      if (c.stampMatrix && slope != 0) {
        c.A[stamp_[pick].pp] -= slope;
        c.A[stamp_[pick].pm] += slope;
      }
    }
  }

  void acLoadBlock(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      outs_[i].acLoad(c);
      for (std::size_t j = first_[i]; j < first_[i + 1]; ++j)
        if (g_[j] != 0) stamp_[j].addAc(c, -g_[j]);
    }
  }

 private:
  struct Inst {
    std::vector<double> x, y;
    bool smallest = true;
  };

  static double curve(const Inst& s, double u, double& slope) {
    const std::vector<double>& x = s.x;
    const std::vector<double>& y = s.y;
    const std::size_t n = x.size();
    slope = 0;
    if (u <= x[0]) return y[0];
    if (u >= x[n - 1]) return y[n - 1];
    std::size_t k = 1;
    while (k + 1 < n && !(u <= x[k])) ++k;
    slope = (y[k] - y[k - 1]) / (x[k] - x[k - 1]);
    return y[k] + slope * (u - x[k]);
  }

  std::vector<std::size_t> first_;
  std::vector<PortPair> in_;
  std::vector<InputStamp> stamp_;
  std::vector<Inst> s_;
  std::vector<double> g_;  // d(out)/d(input) at the last load
};

constexpr const char* kMultiPwlTypes[] = {"multi_input_pwl"};
constexpr ParamSpec kMultiPwlParams[] = {
    mparam("x", kNoDefault, "V", "input values of the curve, increasing (two or more)").vec().shown("—"),
    mparam("y", kNoDefault, "V", "output values at x").vec().shown("—"),
    mparam("model", 0.0, "", "and, nand: the smallest input controls; or, nor: the largest").words("and or nand nor")
        .shown("and"),
};

}  // namespace
}  // namespace simcore::dev::block

namespace simcore::dev {

extern const DeviceKind kMultiPwlKind;
constexpr DeviceKind kMultiPwlKind{
    .letter = 'a', .name = "multi-input pwl gate", .form = CardForm::CodeModel, .minNodes = 0, .maxNodes = 1 << 20,
    .branches = 1, .modelTypes = block::kMultiPwlTypes, .params = block::kMultiPwlParams,
    .modelNoun = "multi_input_pwl", .valueDoc = "Aname [in1+ in1- in2+ in2- ...] out+ out- model",
    .create = makeGroup<block::MultiInputPwl, kMultiPwlKind>};

}  // namespace simcore::dev
