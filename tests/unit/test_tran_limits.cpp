// A transient whose truncation-error tolerance cannot be met even at the
// minimum step must stop with TimestepTooSmall (not retry forever), keep the
// rows computed so far, and say what to change.
#include <gtest/gtest.h>

#include "simcore/simulate.hpp"

namespace {

class CountSink : public simcore::SampleSink {
 public:
  std::size_t rows = 0;
  void begin(const simcore::AnalysisHeader&) override {}
  void chunk(const simcore::Chunk& c) override { rows += c.rows; }
  void end(const simcore::AnalysisSummary&) override {}
};

TEST(KernelTranLimits, UnreachableTruncationToleranceStopsWithAClearError) {
  CountSink sink;
  auto r = simcore::simulate(
      "lte impossible\nV1 a 0 SIN(0 1 1k)\nR1 a b 1k\nC1 b 0 1u\n.options trtol=1e-20 reltol=1e-9\n.tran 1u 1m\n", {}, sink);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, simcore::ErrorCode::TimestepTooSmall);
  EXPECT_NE(r.error().message.find("truncation error"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("minimum step"), std::string::npos);
  EXPECT_EQ(r.error().loc.line, 6);
  EXPECT_GE(sink.rows, 1u);  // at least the initial point was delivered before the error
}

}  // namespace
