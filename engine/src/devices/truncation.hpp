// A capability of the circuit builder's SetupContext, kept out of context.hpp:
// charge states whose truncation error does not limit the transient step
// (ngspice's DEVtrunc of some models leaves a charge out: BSIM3SOI's back-gate
// charge). A device asks for it with dynamic_cast; a context without it
// (tests' benches) truncates every state.
#pragma once

namespace simcore::dev {

struct TruncationExemptions {
  virtual ~TruncationExemptions() = default;
  virtual void untruncated(int state) = 0;
  // count states from first whose truncation errors limit the step together,
  // as their root mean square against relFactor times the relative tolerance
  // (CIDER's truncation over a numerical device's carrier densities: RMS, 10x)
  virtual void truncatedByMean(int first, int count, double relFactor) {}
  // state's charge (and current) counts in state into's for the truncation
  // error, as one charge (ngspice's BSIM4 gate charge holds the overlaps that
  // simcore keeps at another node's state); state itself limits nothing alone
  virtual void truncatedWith(int state, int into) {}
};

}  // namespace simcore::dev
