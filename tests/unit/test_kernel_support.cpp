// Shared helpers of the kernel tests (test_kernel_*.cpp): a SampleSink that
// keeps every analysis as columns, and run() = parse + create + advance.
//
// This file holds only inline definitions so that it can be compiled on its
// own (tests/unit/*.cpp is globbed; it then emits nothing) and #included by the
// test files that need it. It is a .cpp only because the kernel tests may add
// nothing but test_kernel_*.cpp files to tests/unit.
#ifndef SIMCORE_TESTS_UNIT_TEST_KERNEL_SUPPORT
#define SIMCORE_TESTS_UNIT_TEST_KERNEL_SUPPORT

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <complex>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "simcore/ir.hpp"
#include "simcore/simulate.hpp"

namespace simcore::testing {

// One analysis as columns. x is empty for .op; im is filled for complex (ac).
struct Collected {
  AnalysisHeader header;
  std::vector<double> x;
  std::map<std::string, std::vector<double>> re, im;
  std::vector<std::string> order;  // signal names in header order
  std::size_t rows = 0;
  bool ended = false;
  AnalysisSummary summary;

  bool has(const std::string& name) const { return re.count(name) != 0; }
  // A real column (or the real parts of a complex one). Fails the test when missing.
  const std::vector<double>& col(const std::string& name) const {
    static const std::vector<double> kEmpty;
    auto it = re.find(name);
    if (it == re.end()) {
      ADD_FAILURE() << "no signal '" << name << "' in the " << analysisName(header.type) << " results";
      return kEmpty;
    }
    return it->second;
  }
  std::complex<double> phasor(const std::string& name, std::size_t row) const {
    auto r = re.find(name), i = im.find(name);
    if (r == re.end() || i == im.end() || row >= r->second.size()) {
      ADD_FAILURE() << "no complex sample " << name << "[" << row << "]";
      return {};
    }
    return {r->second[row], i->second[row]};
  }
  // Value of `name` at the row whose x equals t (to rel. 1e-12); NaN if none.
  double at(const std::string& name, double t) const {
    const auto& c = col(name);
    for (std::size_t k = 0; k < x.size() && k < c.size(); ++k)
      if (std::fabs(x[k] - t) <= 1e-12 * std::max(std::fabs(t), 1e-300)) return c[k];
    return NAN;
  }
};

class CollectingSink final : public SampleSink {
 public:
  std::vector<Collected> analyses;
  int chunks = 0;

  void begin(const AnalysisHeader& h) override {
    EXPECT_TRUE(analyses.empty() || analyses.back().ended) << "begin() before the previous end()";
    Collected c;
    c.header = h;
    for (const auto& s : h.signals) {
      c.order.push_back(s.name);
      c.re[s.name];
      if (h.complex) c.im[s.name];
    }
    analyses.push_back(std::move(c));
  }

  void chunk(const Chunk& ch) override {
    ++chunks;
    if (analyses.empty()) {
      ADD_FAILURE() << "chunk() before begin()";
      return;
    }
    Collected& c = analyses.back();
    EXPECT_FALSE(c.ended) << "chunk() after end()";
    EXPECT_EQ(ch.re.size(), c.order.size());
    if (c.header.type != AnalysisType::Op) EXPECT_EQ(ch.x.size(), ch.rows);
    c.x.insert(c.x.end(), ch.x.begin(), ch.x.end());
    for (std::size_t k = 0; k < ch.re.size() && k < c.order.size(); ++k) {
      EXPECT_EQ(ch.re[k].size(), ch.rows);
      auto& dst = c.re[c.order[k]];
      dst.insert(dst.end(), ch.re[k].begin(), ch.re[k].end());
    }
    if (c.header.complex) {
      EXPECT_EQ(ch.im.size(), c.order.size());
      for (std::size_t k = 0; k < ch.im.size() && k < c.order.size(); ++k) {
        auto& dst = c.im[c.order[k]];
        dst.insert(dst.end(), ch.im[k].begin(), ch.im[k].end());
      }
    }
    c.rows += ch.rows;
  }

  void end(const AnalysisSummary& s) override {
    if (analyses.empty()) {
      ADD_FAILURE() << "end() before begin()";
      return;
    }
    analyses.back().ended = true;
    analyses.back().summary = s;
  }
};

struct RunOutput {
  std::vector<Collected> analyses;
  RunStats stats;
  std::vector<ir::Diagnostic> warnings;  // the reader's and the simulation's (Simulation::circuit())

  // The first analysis of a kind (fails the test when there is none).
  const Collected& get(AnalysisType t, int nth = 0) const {
    static const Collected kNone;
    for (const auto& a : analyses)
      if (a.header.type == t && nth-- == 0) return a;
    ADD_FAILURE() << "no " << analysisName(t) << " analysis in the results";
    return kNone;
  }
};

// Parse + create + advance(budget) until done. Every analysis must end.
// Unless the caller sets one, a limit of 2e6 time points keeps a runaway
// transient from hanging the suite (no test here needs more than ~1e5).
inline Result<RunOutput> run(std::string_view netlist, SimulationOptions opts = {},
                             std::size_t budget = std::size_t(1) << 20) {
  if (opts.maxTimePoints == 0) opts.maxTimePoints = 2000000;
  ir::ParseOptions po;
  po.fileName = "test.cir";
  auto c = ir::parseNetlist(netlist, po);
  if (!c) return c.takeError();
  auto sim = Simulation::create(std::move(c.value()), opts);
  if (!sim) return sim.takeError();
  CollectingSink sink;
  for (int guard = 0;; ++guard) {
    if (guard > 100000000) return makeError(ErrorCode::Internal, "advance() never finished");
    auto r = sim.value()->advance(sink, budget);
    if (!r) return r.takeError();
    if (r.value() == StepState::Done) break;
  }
  for (const auto& a : sink.analyses) EXPECT_TRUE(a.ended) << analysisName(a.header.type) << " never ended";
  return RunOutput{std::move(sink.analyses), sim.value()->stats(), sim.value()->circuit().warnings};
}

// The time of the first row at which column `name` satisfies pred (NaN if
// none): where an adc_bridge, which reads its input at the time points as
// ngspice's does, first sees a level.
template <class Pred>
double firstRowWhere(const Collected& c, const std::string& name, Pred pred) {
  const auto& y = c.col(name);
  for (std::size_t k = 0; k < y.size() && k < c.x.size(); ++k)
    if (pred(y[k])) return c.x[k];
  return NAN;
}

// run() that must succeed; on failure the test fails with the error.
inline RunOutput runOk(std::string_view netlist, const SimulationOptions& opts = {}) {
  auto r = run(netlist, opts);
  EXPECT_TRUE(r.ok()) << (r.ok() ? std::string() : r.error().format()) << "\nnetlist:\n" << netlist;
  return r.ok() ? std::move(r).value() : RunOutput{};
}

// run() that must fail; returns the error.
inline Error runErr(std::string_view netlist, const SimulationOptions& opts = {}) {
  auto r = run(netlist, opts);
  EXPECT_FALSE(r.ok()) << "expected the run to fail:\n" << netlist;
  return r.ok() ? Error{} : r.error();
}

}  // namespace simcore::testing

#endif  // SIMCORE_TESTS_UNIT_TEST_KERNEL_SUPPORT
