// Helpers the analysis unit tests share: run a netlist given as text and keep
// every analysis it writes (x and each signal's real and imaginary columns),
// or expect it to fail and take the error.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <string>
#include <vector>

#include "simcore/simulate.hpp"

namespace simcore::testutil {

struct Plot {
  AnalysisHeader header;
  std::vector<double> x;
  std::vector<std::vector<double>> re, im;
  bool has(const std::string& name) const {
    for (const auto& s : header.signals)
      if (s.name == name) return true;
    return false;
  }
  // the signal's value at a row (imaginary part 0 for a real signal); a test failure when absent
  std::complex<double> at(const std::string& name, std::size_t row = 0) const {
    for (std::size_t k = 0; k < header.signals.size(); ++k)
      if (header.signals[k].name == name) return {re[k].at(row), im[k].empty() ? 0.0 : im[k].at(row)};
    ADD_FAILURE() << "no signal " << name;
    return NAN;
  }
};

struct PlotSink final : SampleSink {
  std::vector<Plot> out;
  void begin(const AnalysisHeader& h) override {
    out.push_back({h, {}, std::vector<std::vector<double>>(h.signals.size()), std::vector<std::vector<double>>(h.signals.size())});
  }
  void chunk(const Chunk& c) override {
    Plot& p = out.back();
    for (std::size_t r = 0; r < c.rows && !c.x.empty(); ++r) p.x.push_back(c.x[r]);
    for (std::size_t k = 0; k < c.re.size(); ++k) p.re[k].insert(p.re[k].end(), c.re[k].begin(), c.re[k].end());
    for (std::size_t k = 0; k < c.im.size(); ++k) p.im[k].insert(p.im[k].end(), c.im[k].begin(), c.im[k].end());
  }
  void end(const AnalysisSummary&) override {}
  // the first analysis of type t; a test failure when there is none
  const Plot& get(AnalysisType t) const {
    for (const auto& a : out)
      if (a.header.type == t) return a;
    static Plot none;
    ADD_FAILURE() << "no analysis " << analysisName(t);
    return none;
  }
};

// Every analysis of the netlist; a test failure (with the error) when it does not run.
inline PlotSink runPlots(const std::string& netlist) {
  PlotSink s;
  ir::ParseOptions po;
  auto r = simulate(netlist, po, s);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().format());
  return s;
}

// The error; a test failure when the netlist runs.
inline Error runFailure(const std::string& netlist) {
  PlotSink s;
  ir::ParseOptions po;
  auto r = simulate(netlist, po, s);
  EXPECT_FALSE(r.ok());
  return r.ok() ? Error{} : r.error();
}

}  // namespace simcore::testutil
