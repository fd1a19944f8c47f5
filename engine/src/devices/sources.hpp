// Shared value logic of the independent sources V and I.
#pragma once

#include "devices/waveform.hpp"

namespace simcore::dev {

struct IndependentSource {
  double dc = 0;
  bool hasDc = false;
  std::complex<double> ac{0.0, 0.0};
  SourceFunction fn;

  static Result<IndependentSource> make(const ir::Device& d, const TranHints& h);
  // Value for this load (DC value for .op/.dc unless only a waveform is given).
  double value(const LoadContext& c) const {
    double v = (c.dcSources && (hasDc || !fn.present())) ? dc : (fn.present() ? fn.value(c.time) : dc);
    return v * c.srcFact;
  }
};

}  // namespace simcore::dev
