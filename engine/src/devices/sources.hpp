// Shared value logic of the independent sources V and I, and their group base.
#pragma once

#include <algorithm>
#include <cmath>
#include <numbers>

#include "devices/common.hpp"
#include "devices/waveform.hpp"

namespace simcore::dev {

struct IndependentSource {
  double dc = 0;
  bool hasDc = false;
  std::complex<double> ac{0.0, 0.0};
  SourceFunction fn;
  // Small-signal perturbation of a transient (.fra): amp cos(omega (t - t0))
  // (or sin), added to the waveform's value.
  double pertAmp = 0, pertOmega = 0, pertT0 = 0;
  bool pertSine = false;

  static Result<IndependentSource> make(const ir::Device& d, const TranHints& h);
  // Value for this load (DC value for .op/.dc unless only a waveform is given).
  double value(const LoadContext& c) const { return valueAt(c.time, c.dcSources) * c.srcFact; }
  double valueAt(double time, bool dcSources) const {
    double v;
    if (fn.random()) v = dcSources ? dc : dc + fn.value(time);  // ngspice: the noise adds to the DC value
    else v = (dcSources && (hasDc || !fn.present())) ? dc : (fn.present() ? fn.value(time) : dc);
    if (pertAmp != 0 && !dcSources) {
      const double ph = pertOmega * (time - pertT0);
      v += pertAmp * (pertSine ? std::sin(ph) : std::cos(ph));
    }
    return v;
  }
};

// Base of the V and I groups: terminals and source values of every instance,
// their breakpoints and the .dc sweep's value override.
class SourceGroup : public GroupBase {
 public:
  using GroupBase::GroupBase;

  // Checks every instance and reads its terminals and source specification.
  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    a_.resize(n); b_.resize(n); src_.resize(n); orig_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      auto src = IndependentSource::make(d, ctx.tranHints());
      if (!src) return src.takeError();
      src_[i] = std::move(src.value());
      orig_[i] = {src_[i].dc, src_[i].hasDc};
      a_[i] = ctx.node(d.nodes[0]);
      b_[i] = ctx.node(d.nodes[1]);
    }
    return {};
  }

  double nextBreakpoint(double t) const override {
    double best = 1e300;
    for (const auto& s : src_) best = std::min(best, s.fn.nextBreakpoint(t));
    return best;
  }
  double smoothStep() const override {
    double best = 1e300;
    for (const auto& s : src_) {
      best = std::min(best, s.fn.smoothStep());
      if (s.pertAmp != 0 && s.pertOmega > 0) best = std::min(best, 2.0 * std::numbers::pi / (50.0 * s.pertOmega));
    }
    return best;
  }
  // @v1[dc], @i1[dc]: the source's DC value (the point of a .dc sweep of it), as
  // ngspice 39 saves it (bugs-2.cir of its regression tests)
  int quantityId(std::size_t, std::string_view param) const override { return param == "dc" ? 0 : -1; }
  double quantity(std::size_t i, int, const QuantityContext&) const override { return src_[i].dc; }
  std::complex<double> acQuantity(std::size_t i, int, const std::complex<double>*, double) const override {
    return src_[i].dc;
  }
  bool setDcValue(std::size_t i, double v) override {
    src_[i].dc = v;
    src_[i].hasDc = true;
    return true;
  }
  bool setPerturbation(std::size_t i, double amp, double omega, double t0, bool sine) override {
    src_[i].pertAmp = amp;
    src_[i].pertOmega = omega;
    src_[i].pertT0 = t0;
    src_[i].pertSine = sine;
    return true;
  }
  void restoreDcValue(std::size_t i) override {
    src_[i].dc = orig_[i].dc;
    src_[i].hasDc = orig_[i].hasDc;
  }

 protected:
  std::vector<Index> a_, b_;  // + and - terminals
  std::vector<IndependentSource> src_;

 private:
  struct DcSetting {
    double dc = 0;
    bool hasDc = false;
  };
  std::vector<DcSetting> orig_;  // as the netlist gave it
};

}  // namespace simcore::dev
