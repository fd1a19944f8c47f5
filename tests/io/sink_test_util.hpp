// Helpers shared by the io/ sink tests.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "simcore/simulate.hpp"

namespace simcore::io::test {

inline AnalysisHeader header(AnalysisType t, const std::string& x, bool cx, std::vector<SignalInfo> sigs) {
  AnalysisHeader h;
  h.type = t;
  h.xName = x;
  h.complex = cx;
  h.signals = std::move(sigs);
  return h;
}

}  // namespace simcore::io::test
