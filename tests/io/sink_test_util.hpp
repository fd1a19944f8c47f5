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

// Signal k at row r.
inline double valueOf(std::size_t k, std::size_t r) { return double(k) * 1000.0 + 0.5 * double(r); }

// Feeds rows [r0, r0 + n) with x = r * 1e-6, re = valueOf, im = -valueOf.
inline void feed(SampleSink& s, std::size_t nsig, std::size_t r0, std::size_t n, bool cx, bool hasX = true) {
  std::vector<double> x(n);
  std::vector<std::vector<double>> re(nsig, std::vector<double>(n)), im(nsig, std::vector<double>(n));
  for (std::size_t r = 0; r < n; ++r) {
    x[r] = double(r0 + r) * 1e-6;
    for (std::size_t k = 0; k < nsig; ++k) {
      re[k][r] = valueOf(k, r0 + r);
      im[k][r] = -valueOf(k, r0 + r);
    }
  }
  Chunk c;
  c.rows = n;
  if (hasX) c.x = x;
  for (std::size_t k = 0; k < nsig; ++k) {
    c.re.emplace_back(re[k]);
    if (cx) c.im.emplace_back(im[k]);
  }
  s.chunk(c);
}

}  // namespace simcore::io::test
