// ngspice's random transient source functions of V and I:
//   TRNOISE(NA TS [NALPHA NAMP [RTSAM RTSCAPT RTSEMT]])
//     samples every TS, linearly interpolated, the first (t = 0) zero: white
//     Gaussian noise of rms NA plus 1/f^NALPHA noise (Kasdin's fractional
//     integration of white noise of rms NAMP, 0 < NALPHA <= 2) plus random
//     telegraph noise: RTSAM while a trap is filled, captured after an
//     exponential time of mean RTSCAPT, emitted after one of mean RTSEMT
//   TRRANDOM(TYPE TS [TD [PARAM1 [PARAM2]]])
//     sample and hold: PARAM2 until TD, then a new draw every TS: TYPE 1
//     uniform in PARAM2 +- PARAM1, 2 Gaussian (sigma PARAM1, mean PARAM2),
//     3 exponential (mean PARAM1) + PARAM2, 4 Poisson (lambda PARAM1) + PARAM2
// TRRANDOM's draws and the telegraph's times come from ngspice 39's generator
// (ngrandom.hpp) in the state the waveform's seed holds (the netlist reader
// hands over its own: the sequence ngspice's transient draws for a circuit's
// one random source). The white and 1/f samples are a counter-based hash of
// the seed: ngspice 39 takes these from a pool it fills from the process id,
// different in every run. All are made at set-up: a pure function of time.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "devices/context.hpp"
#include "devices/ngrandom.hpp"

namespace simcore::dev {

class RandomWave {
 public:
  // Validates the arguments; the 1/f samples and the telegraph's switching
  // times are generated here, up to the transient's stop time (hints.tstop;
  // none without a transient, and the last value holds beyond it).
  static Result<std::shared_ptr<const RandomWave>> make(const ir::Waveform& w, const TranHints& hints,
                                                        std::string_view owner);
  double value(double t) const;
  // The next sample time (TS grid) or telegraph switch strictly after t.
  double nextBreakpoint(double t) const;

 private:
  double sample(std::int64_t n) const;  // TRNOISE: white + 1/f sample n (n*TS)
  double draw(std::int64_t n) const;    // TRRANDOM: value from TD + n*TS

  bool noise_ = true;  // TRNOISE, else TRRANDOM
  std::uint64_t seed_ = 0;
  double ts_ = 0;
  // TRNOISE
  double na_ = 0, rtsam_ = 0;
  std::vector<double> flicker_;  // 1/f samples (empty: none)
  std::vector<double> rts_;      // telegraph: capture times at even, emission times at odd indices
  // TRRANDOM
  int type_ = 1;
  double td_ = 0, p1_ = 1, p2_ = 0;
  std::vector<double> draws_;  // the values from TD + n*TS, n = 0, 1, ... (up to tstop)
};

}  // namespace simcore::dev
