// Input that is not a circuit is refused with a located message, never run as
// an empty circuit: NUL bytes (binary files, truncated uploads) and netlists
// with no devices (e.g. only a title line).
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

TEST(NetlistRejects, ANetlistWithoutDevicesDoesNotRun) {
  // The first line is the title: a one-device netlist without one runs nothing.
  auto c = ir::parseNetlist("R1 a 0 1k\n.op\n.end\n", opts());
  ASSERT_TRUE(c) << c.error().format();
  auto sim = Simulation::create(std::move(c.value()), {});
  ASSERT_FALSE(sim);
  EXPECT_EQ(sim.error().code, ErrorCode::Semantic);
  EXPECT_NE(sim.error().message.find("no devices"), std::string::npos) << sim.error().message;
  EXPECT_EQ(sim.error().loc.line, 1);
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
