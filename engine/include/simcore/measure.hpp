// .meas results: evaluating ir::Measure on an analysis's columns, and a
// SampleSink that forwards every chunk to another sink while keeping the
// columns the circuit's measures need. Front ends wrap their sink in a
// MeasureSink and report results() after the run (the CLI prints them).
// Pure: no I/O.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "simcore/ir.hpp"
#include "simcore/simulate.hpp"

namespace simcore {

// The measure on sweep x (time, swept value or frequency) with the real
// columns `column(name)` returns (null: not recorded). Crossings and points
// between samples are interpolated linearly; RMS and INTEG integrate as ngspice
// 39 (Simpson's rules over equal steps, else the trapezoid; see measure.cpp);
// AVG, MIN, MAX, PP, MIN_AT and MAX_AT read the samples inside [FROM, TO] as
// ngspice 39 does (AVG: their trapezoidal integral over their own span).
MeasureResult evaluateMeasure(const ir::Measure& m, std::span<const double> x,
                              const std::function<const std::vector<double>*(const std::string&)>& column);

// A result as ngspice prints it: "name                =  1.234560e-03" and the
// numbers it adds (" at=  ..." of MIN/MAX, " targ=  ... trig=  ..." of TRIG/TARG, ...).
// A .meas card's (card) or the `meas` command's: ngspice prints a card's WHEN, RMS and
// INTEG with five digits after "=   ", the command's RMS and INTEG with five after "=  ".
std::string measureLine(const MeasureResult& r, bool card = true);

// A PARAM= measure: its expression over .param values and `result(name)`, the
// value of another measurement (nullopt: none, or it failed).
MeasureResult evaluateParamMeasure(const ir::Measure& m,
                                   const std::function<std::optional<double>(const std::string&)>& result);

class MeasureSink final : public SampleSink {
 public:
  // Keeps the columns of the first analysis of each kind some measure reads.
  // For ac, v(x)/i(x) are the real parts (as ngspice measures them); vm vdb
  // vp (radians) vr vi of each are kept too.
  MeasureSink(SampleSink* inner, std::vector<ir::Measure> measures);
  // .options autostop (ngspice): the transient this sink keeps stops at the
  // first row where every tran measure (but PARAM=) has its result; rows after
  // it are not passed on, and stopped() turns true for the stepper to end.
  void setAutostop(bool on) { autostop_ = on; }
  const bool* stopFlag() const { return &stopped_; }
  // The sink rows go on to (Simulation: the caller's sink of each advance()).
  void setInner(SampleSink* inner) { inner_ = inner; }
  void begin(const AnalysisHeader& header) override;
  void chunk(const Chunk& chunk) override;
  void end(const AnalysisSummary& summary) override;
  // One result per measure, in order, from the analyses that have ended; a
  // measure whose analysis did not run (yet) fails.
  std::vector<MeasureResult> results() const;

 private:
  struct Kept {
    bool done = false;
    std::vector<double> x;
    std::map<std::string, std::vector<double>> cols;  // "v(out)", and for ac vm/vdb/vp/vr/vi(...)
  };
  // Autostop: whether measure m has its result on the first n rows kept.
  bool completeAt(const ir::Measure& m, std::size_t n) const;
  void keep(const Chunk& c);  // the needed columns of the chunk
  void autostopCheck(const Chunk& c);

  SampleSink* inner_;
  std::vector<ir::Measure> measures_;
  bool autostop_ = false, stopped_ = false;
  std::size_t passed_ = 0;       // rows of this analysis passed on
  std::vector<std::size_t> doneAt_;  // rows on which each measure first had its result (0: not yet)
  std::set<std::string> needed_;  // the columns the measures read
  std::map<int, Kept> kept_;  // by ir::AnalysisKind
  Kept* cur_ = nullptr;
  AnalysisHeader header_;
};

}  // namespace simcore
