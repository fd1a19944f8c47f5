// Input that is not a circuit is refused with a located message: NUL bytes
// (binary files, truncated uploads). A netlist with no devices (e.g. only a
// title line) runs its analyses on ground alone, as ngspice, with a warning.
#include <gtest/gtest.h>

#include <string>

#include "simcore/ir.hpp"
#include "simcore/simulate.hpp"

using namespace simcore;

namespace {

ir::ParseOptions opts() {
  ir::ParseOptions po;
  po.fileName = "t.cir";
  po.resolver = [](std::string_view path, std::string_view) -> Result<ir::ResolvedFile> {
    return ir::ResolvedFile{std::string(path), std::string("* part\nR9 a 0 1k\x00\n", 18)};
  };
  return po;
}

}  // namespace

TEST(NetlistRejects, NulByteIsAParseErrorAtItsLineAndColumn) {
  const std::string text("title\nR1 a 0 1k\nC1 a\x00 0 1u\n.op\n.end\n", 36);
  auto c = ir::parseNetlist(text, opts());
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, ErrorCode::Parse);
  EXPECT_EQ(c.error().loc.file, "t.cir");
  EXPECT_EQ(c.error().loc.line, 3);
  EXPECT_EQ(c.error().loc.col, 5);
  EXPECT_NE(c.error().message.find("NUL byte"), std::string::npos);
}

TEST(NetlistRejects, NulByteInAnIncludedFileNamesThatFile) {
  auto c = ir::parseNetlist("title\n.include part.inc\nV1 a 0 1\n.op\n.end\n", opts());
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, ErrorCode::Parse);
  EXPECT_EQ(c.error().loc.file, "part.inc");
  EXPECT_EQ(c.error().loc.line, 2);
  EXPECT_EQ(c.error().loc.col, 10);
}

TEST(NetlistRejects, ANetlistWithoutDevicesRunsWithAWarning) {
  // The first line is the title: a one-device netlist without one has no
  // devices. As ngspice (its regression test empty-1.cir) its analyses run on
  // ground alone, and a warning at line 1 says why there is nothing to see.
  auto c = ir::parseNetlist("R1 a 0 1k\n.op\n.tran 1m 10m\n.end\n", opts());
  ASSERT_TRUE(c) << c.error().format();
  ASSERT_EQ(c.value().warnings.size(), 1u);
  EXPECT_NE(c.value().warnings[0].message.find("no devices"), std::string::npos) << c.value().warnings[0].message;
  EXPECT_NE(c.value().warnings[0].message.find("title"), std::string::npos) << c.value().warnings[0].message;
  EXPECT_EQ(c.value().warnings[0].loc.line, 1);
  auto sim = Simulation::create(std::move(c.value()), {});
  ASSERT_TRUE(sim) << sim.error().format();
  struct Rows : SampleSink {
    std::vector<std::size_t> signals, rows;
    void begin(const AnalysisHeader& h) override {
      signals.push_back(h.signals.size());
      rows.push_back(0);
    }
    void chunk(const Chunk& c) override { rows.back() += c.rows; }
    void end(const AnalysisSummary&) override {}
  } sink;
  for (int k = 0; k < 100; ++k) {
    auto st = sim.value()->advance(sink, 1024);
    ASSERT_TRUE(st) << st.error().format();
    if (st.value() == StepState::Done) break;
  }
  ASSERT_EQ(sink.rows.size(), 2u);
  EXPECT_EQ(sink.signals[0], 0u);
  EXPECT_EQ(sink.rows[0], 1u);   // the operating point: one row of nothing
  EXPECT_EQ(sink.rows[1], 59u);  // as ngspice's 59 rows of time alone
}

TEST(NetlistRejects, ATitleOnlyNetlistNamesTheMissingAnalysis) {
  auto c = ir::parseNetlist("just a title\n", opts());
  ASSERT_TRUE(c) << c.error().format();
  auto sim = Simulation::create(std::move(c.value()), {});
  ASSERT_FALSE(sim);
  EXPECT_EQ(sim.error().code, ErrorCode::Semantic);
  EXPECT_NE(sim.error().message.find("no analysis card"), std::string::npos);
}

TEST(NetlistRejects, AnOverrideOfAnUndeclaredParamNamesTheKnownOnes) {
  ir::ParseOptions po = opts();
  po.paramOverrides = {{"L", 22e-6}};
  auto c = ir::parseNetlist("buck\n.param vin=12 duty=0.45\nV1 a 0 {vin}\nR1 a 0 {duty}\n.op\n.end\n", po);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, ErrorCode::Semantic);
  EXPECT_EQ(c.error().loc.file, "t.cir");
  EXPECT_NE(c.error().message.find("'l'"), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().message.find("duty, vin"), std::string::npos) << c.error().message;
  po.paramOverrides = {{"DUTY", 0.5}};
  EXPECT_TRUE(ir::parseNetlist("buck\n.param vin=12 duty=0.45\nV1 a 0 {vin}\nR1 a 0 {duty}\n.op\n.end\n", po));
}
