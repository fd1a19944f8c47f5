// A piecewise-linear function of time with rounded corners (XSPICE's pwlts,
// ngspice 39 semantics):
//   Aname out model   (out a node or %vd)
// The points (x_array = times, y_array = values) are extended by one point
// at each end, one segment further: along the end segments, or level with the
// end values when limit=true. Each inner corner x[i] is rounded over
// [x[i] - d, x[i] + d] by a parabola tangent to both segments, with
// d = input_domain times the shorter neighbouring segment (fraction=true) or
// input_domain itself; beyond the first and last midpoints the end segments
// continue. The output is a voltage source; its value at time 0 at the
// operating point, 0 in AC. The ends of the rounded spans are breakpoints.
#include <algorithm>
#include <string>

#include "devices/block_common.hpp"

namespace simcore::dev::block {
namespace {

class PwlTime final : public BlockGroup {
 public:
  using BlockGroup::BlockGroup;

  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return false; }

  Status setup(SetupContext& ctx) override {
    static constexpr PortShape kShape[] = {currentOut({"out"})};
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      auto m = blockModel(ctx, kind_, d);
      if (!m) return m.takeError();
      auto ports = readPorts(ctx, kind_, d, kShape);
      if (!ports) return ports.takeError();
      addOutput(ctx, i, ports.value()[0][0], "out");
      const ParamValues P = values(d, m.value());
      const std::vector<double> xa = P.modelVector("x_array"), ya = P.modelVector("y_array");
      if (xa.size() < 2 || xa.size() != ya.size())
        return error(d, "x_array and y_array need the same number of values, at least two");
      for (std::size_t k = 1; k < xa.size(); ++k)
        if (!(xa[k] > xa[k - 1])) return error(d, "x_array must increase");
      Inst s;
      s.domain = P.model("input_domain");
      if (!(s.domain > 0)) return error(d, "input_domain must be positive");
      s.fraction = P.model("fraction") != 0;
      const bool limit = P.model("limit") != 0;
      const std::size_t n = xa.size() + 2;
      s.x.assign(n, 0.0);
      s.y.assign(n, 0.0);
      for (std::size_t k = 1; k + 1 < n; ++k) {
        s.x[k] = xa[k - 1];
        s.y[k] = ya[k - 1];
      }
      s.x[0] = 2 * s.x[1] - s.x[2];
      s.x[n - 1] = 2 * s.x[n - 2] - s.x[n - 3];
      s.y[0] = limit ? s.y[1] : 2 * s.y[1] - s.y[2];
      s.y[n - 1] = limit ? s.y[n - 2] : 2 * s.y[n - 2] - s.y[n - 3];
      for (std::size_t k = 1; k + 1 < n; ++k) {
        const double h = halfWidth(s, k);
        s.corners.push_back(s.x[k] - h);
        s.corners.push_back(s.x[k] + h);
      }
      std::sort(s.corners.begin(), s.corners.end());
      s_.push_back(std::move(s));
    }
    return {};
  }

  void patternBlock(PatternBuilder& b) override {
    for (Output& o : outs_) o.bind(b);
  }

  void loadBlock(LoadContext& c) override {
    for (std::size_t i = 0; i < outs_.size(); ++i) {
      outs_[i].load(c);
      c.f[outs_[i].br] -= value(s_[i], c.dcSources ? 0.0 : c.time);
    }
  }

  void acLoadBlock(AcContext& c) override {
    for (const Output& o : outs_) o.acLoad(c);
  }

  double nextBreakpoint(double t) const override {
    double best = 1e300;
    for (const Inst& s : s_) {
      auto it = std::upper_bound(s.corners.begin(), s.corners.end(), t);
      if (it != s.corners.end()) best = std::min(best, *it);
    }
    return best;
  }

 private:
  struct Inst {
    std::vector<double> x, y, corners;
    double domain = 0.01;
    bool fraction = true;
  };

  static double halfWidth(const Inst& s, std::size_t i) {
    if (!s.fraction) return s.domain;
    return s.domain * std::min(s.x[i] - s.x[i - 1], s.x[i + 1] - s.x[i]);
  }

  static double value(const Inst& s, double t) {
    const std::vector<double>& x = s.x;
    const std::vector<double>& y = s.y;
    const std::size_t n = x.size();
    if (t <= (x[0] + x[1]) / 2) return y[0] + (t - x[0]) * (y[1] - y[0]) / (x[1] - x[0]);
    if (t >= (x[n - 2] + x[n - 1]) / 2) return y[n - 1] + (t - x[n - 1]) * (y[n - 1] - y[n - 2]) / (x[n - 1] - x[n - 2]);
    std::size_t i = 1;
    while (i + 2 < n && !(t < (x[i] + x[i + 1]) / 2)) ++i;
    const double lower = x[i] - x[i - 1], upper = x[i + 1] - x[i];
    const double d = halfWidth(s, i);
    const double ls = (y[i] - y[i - 1]) / lower, us = (y[i + 1] - y[i]) / upper;
    if (t < x[i] - d) return y[i] + (t - x[i]) * ls;
    if (t >= x[i] + d) return y[i] + (t - x[i]) * us;
    // the parabola tangent to both segments at x[i] ∓ d
    const double xu = x[i] + d, yu = y[i] + us * d;
    const double a = (us - ls) / (4 * d);
    const double b = us - 2 * a * xu;
    const double c = yu - a * xu * xu - b * xu;
    return (a * t + b) * t + c;
  }

  std::vector<Inst> s_;
};

constexpr const char* kPwltsTypes[] = {"pwlts"};
constexpr ParamSpec kPwltsParams[] = {
    mparam("x_array", kNoDefault, "s", "times of the points, increasing (two or more)").vec().shown("—"),
    mparam("y_array", kNoDefault, "V", "values at x_array").vec().shown("—"),
    mparam("input_domain", 0.01, "", "half-width of the rounding about each corner: a fraction of the shorter "
                                     "neighbouring step (fraction=true) or seconds, positive"),
    mparam("fraction", 1.0, "", "true: input_domain is relative to the steps; false: absolute").words("false true")
        .shown("true"),
    mparam("limit", 0.0, "", "true: constant beyond the ends; false: the end segments continue").words("false true"),
};

}  // namespace
}  // namespace simcore::dev::block

namespace simcore::dev {

extern const DeviceKind kPwltsKind;
constexpr DeviceKind kPwltsKind{
    .letter = 'a', .name = "piecewise-linear time source", .form = CardForm::CodeModel, .minNodes = 0,
    .maxNodes = 1 << 20, .branches = 1, .modelTypes = block::kPwltsTypes, .params = block::kPwltsParams,
    .modelNoun = "pwlts", .valueDoc = "Aname out model  (out a node or %vd)",
    .create = makeGroup<block::PwlTime, kPwltsKind>};

}  // namespace simcore::dev
