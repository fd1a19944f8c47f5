// Time functions of independent sources: PULSE, SIN, EXP, PWL (with repeat
// and delay), SFFM, AM, and the random TRNOISE and TRRANDOM (random_wave.hpp). Defaults that depend on the transient card are resolved
// at construction. value(t) in source units; nextBreakpoint(t) is the first
// corner strictly after t (inf if none), so steps can land on corners.
#pragma once

#include <memory>
#include <vector>

#include "devices/context.hpp"
#include "devices/random_wave.hpp"

namespace simcore::dev {

class SourceFunction {
 public:
  SourceFunction() = default;
  // Validates the argument count; errors point at the waveform.
  static Result<SourceFunction> make(const ir::Waveform& w, const TranHints& hints, std::string_view owner);

  bool present() const { return kind_ != ir::WaveKind::None; }
  // TRNOISE, TRRANDOM: added to the DC value in a transient; the DC analyses
  // and the small-signal ones see only the DC value (as ngspice).
  bool random() const { return random_ != nullptr; }
  double value(double t) const;
  double nextBreakpoint(double t) const;
  // The largest step at which the chords of the waveform stay within about
  // 0.1 % of its range: SIN a fiftieth of its period (and a tenth of its
  // damping time 1/THETA), EXP a tenth of its shorter time constant, SFFM a
  // fiftieth of the period at its highest instantaneous frequency, AM of the
  // period of its highest frequency (FC + MF); inf for
  // the piecewise-linear ones (PULSE, PWL, TRNOISE, TRRANDOM, none), which
  // are exact between their breakpoints, and for a constant.
  double smoothStep() const;

 private:
  ir::WaveKind kind_ = ir::WaveKind::None;
  // PULSE: v1 v2 td tr tf pw per ; SIN: vo va freq td theta phase ;
  // EXP: v1 v2 td1 tau1 td2 tau2 ; SFFM: vo va fc mdi fs phasec phases
  // (radians) ; AM: va vo mf fc td phase (radians)
  double a_[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  std::vector<double> t_, v_;  // PWL
  double repeatFrom_ = -1, delay_ = 0;
  // a PULSE cut by its period: ngspice 39's chain of breakpoints (pulseChainAfter), the last
  // link found and the one after it (a cache: nextBreakpoint asks with rising times)
  mutable double chainAt_ = -1, chainNext_ = -1;
  double pulseChainAfter(double t) const;
  std::shared_ptr<const RandomWave> random_;  // TRNOISE, TRRANDOM (immutable, shared by copies)
};

}  // namespace simcore::dev
