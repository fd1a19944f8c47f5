// Operating-point fallbacks: when plain Newton runs out of iterations the
// continuation methods take over, the statistics say which one succeeded, and
// the answer is the same as with plain Newton given enough iterations.
#include <gtest/gtest.h>

#include <cmath>

#include "simcore/simulate.hpp"

namespace {

class OpSink : public simcore::SampleSink {
 public:
  std::vector<std::string> names;
  std::vector<double> values;
  void begin(const simcore::AnalysisHeader& h) override {
    for (const auto& s : h.signals) names.push_back(s.name);
  }
  void chunk(const simcore::Chunk& c) override {
    for (const auto& col : c.re) values.push_back(col[0]);
  }
  void end(const simcore::AnalysisSummary&) override {}
  double get(const std::string& n) const {
    for (std::size_t k = 0; k < names.size(); ++k)
      if (names[k] == n) return values[k];
    return NAN;
  }
};

const char* kDiodeString =
    "diode string\n"
    ".model DD D(IS=1e-15 N=1)\n"
    "V1 a 0 DC 20\nR1 a b 10\nD1 b c DD\nD2 c d DD\nD3 d 0 DD\n";

TEST(KernelOpFallbacks, GminSteppingTakesOverWhenNewtonRunsOut) {
  OpSink easy, hard;
  auto r1 = simcore::simulate(std::string(kDiodeString) + ".op\n", {}, easy);
  auto r2 = simcore::simulate(std::string(kDiodeString) + ".options itl1=2\n.op\n", {}, hard);
  ASSERT_TRUE(r1.ok() && r2.ok());
  ASSERT_EQ(r1.value().opStrategies.size(), 1u);
  EXPECT_EQ(r1.value().opStrategies[0], "newton");
  ASSERT_EQ(r2.value().opStrategies.size(), 1u);
  EXPECT_NE(r2.value().opStrategies[0], "newton");
  EXPECT_GT(r2.value().newtonFailures, 0);
  for (const char* n : {"v(b)", "v(c)", "v(d)", "i(v1)"})
    EXPECT_NEAR(hard.get(n), easy.get(n), 1e-6 * std::fabs(easy.get(n)) + 1e-9) << n;
  // three forward drops share 20 V - 10 ohm * I: about 0.9 V each
  EXPECT_NEAR(easy.get("v(d)"), 0.9, 0.05);
}

}  // namespace
