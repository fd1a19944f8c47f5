// Transient rows on the .tran tstep grid (simcore run --interpolate).
#pragma once

#include <vector>

#include "simcore/simulate.hpp"

namespace simcore::io {

// Resamples transient rows onto a uniform grid (tstart, tstart+tstep, ...,
// tstop) by linear interpolation of the accepted points, then forwards.
class InterpolatingSink final : public SampleSink {
 public:
  InterpolatingSink(SampleSink& next, const ir::Circuit& c) : next_(next), circuit_(c) {}
  void begin(const AnalysisHeader& h) override;
  void chunk(const Chunk& c) override;
  void end(const AnalysisSummary& s) override;

 private:
  void emitRow(double t, const std::vector<double>& v);
  SampleSink& next_;
  const ir::Circuit& circuit_;
  bool active_ = false;
  double step_ = 0, tstart_ = 0, tstop_ = 0;
  long k_ = 0;
  std::size_t n_ = 0, rows_ = 0;
  bool havePrev_ = false;
  double tPrev_ = 0;
  std::vector<double> prev_, cur_;
  std::vector<double> bx_;
  std::vector<std::vector<double>> bv_;
};

}  // namespace simcore::io
