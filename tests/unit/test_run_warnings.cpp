// Warnings analyses raise while they run: RunWarnings (once per key, in order)
// and the transient's warning for a junction a source forces far forward,
// reported through Simulation::circuit().warnings after the reader's.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "analysis/run_warnings.hpp"
#include "simcore/simulate.hpp"

namespace {

using simcore::an::RunWarnings;

TEST(RunWarnings, EachKeyIsRaisedOnceWithItsLocation) {
  RunWarnings w;
  EXPECT_TRUE(w.raise("a", {"first", {"deck.cir", 3, 1}}));
  EXPECT_FALSE(w.raise("a", {"again", {"deck.cir", 9, 1}}));
  EXPECT_TRUE(w.raise("b", {"second", {"deck.cir", 5, 2}}));
  EXPECT_TRUE(w.raised("a"));
  EXPECT_FALSE(w.raised("c"));
  auto got = w.take();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].message, "first");
  EXPECT_EQ(got[0].loc.line, 3);
  EXPECT_EQ(got[1].message, "second");
  EXPECT_EQ(got[1].loc.file, "deck.cir");
  EXPECT_EQ(got[1].loc.col, 2);
  // taken once; the keys stay raised
  EXPECT_TRUE(w.take().empty());
  EXPECT_FALSE(w.raise("a", {"later", {}}));
  std::vector<simcore::ir::Diagnostic> out{{"reader's", {}}};
  EXPECT_TRUE(w.raise("d", {"third", {}}));
  w.moveTo(out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].message, "third");
  EXPECT_TRUE(w.take().empty());
}

class NullSink : public simcore::SampleSink {
 public:
  void begin(const simcore::AnalysisHeader&) override {}
  void chunk(const simcore::Chunk&) override {}
  void end(const simcore::AnalysisSummary&) override {}
};

// Runs the netlist to its end; the circuit's warnings afterwards.
std::vector<simcore::ir::Diagnostic> runWarnings(const std::string& text, std::size_t* readerWarnings = nullptr) {
  simcore::ir::ParseOptions po;
  po.fileName = "deck.cir";
  auto c = simcore::ir::parseNetlist(text, po);
  EXPECT_TRUE(c.ok()) << c.error().format();
  if (!c.ok()) return {};
  if (readerWarnings) *readerWarnings = c.value().warnings.size();
  auto sim = simcore::Simulation::create(std::move(c.value()));
  EXPECT_TRUE(sim.ok()) << sim.error().format();
  if (!sim.ok()) return {};
  NullSink sink;
  for (;;) {
    auto r = sim.value()->advance(sink, 64);  // many slices: a warning raised in one is not raised again in the next
    EXPECT_TRUE(r.ok()) << r.error().format();
    if (!r.ok() || r.value() == simcore::StepState::Done) break;
  }
  return sim.value()->circuit().warnings;
}

int count(const std::vector<simcore::ir::Diagnostic>& ws, const std::string& part) {
  int n = 0;
  for (const auto& w : ws) n += w.message.find(part) != std::string::npos;
  return n;
}

// The forced junction of KernelTranLimits.JunctionForcedBySourceRunsToTheEnd:
// the run goes on past 1e20 A and says so once, at the source's card.
TEST(RunWarnings, JunctionForcedBySourceWarnsOnceAtTheSource) {
  const auto ws = runWarnings("runaway\nV1 a 0 PWL(0 0 1n 0 2n 15)\nD1 a 0 DX\n.model DX D(IS=1e-14)\n.tran 0.01n 3n\n");
  ASSERT_EQ(count(ws, "the currents are not physical"), 1);
  for (const auto& w : ws) {
    if (w.message.find("not physical") == std::string::npos) continue;
    EXPECT_EQ(w.message.rfind("the branch current of 'v1' reached ", 0), 0u) << w.message;
    EXPECT_NE(w.message.find(" at t = "), std::string::npos) << w.message;
    EXPECT_EQ(w.loc.file, "deck.cir");
    EXPECT_EQ(w.loc.line, 2);
    // its peak, past 1e20 A (KernelTranLimits: the current at the end), on the
    // ramp (the junction is off before 1 ns); then where it passed the runaway test
    const std::string reached = "reached ";
    EXPECT_GT(std::stod(w.message.substr(w.message.find(reached) + reached.size())), 1e20) << w.message;
    const auto at = w.message.find(" at t = ");
    EXPECT_GT(std::stod(w.message.substr(at + 8)), 1e-9) << w.message;
    EXPECT_NE(w.message.find(" (from "), std::string::npos) << w.message;
  }
  // two transients of the same run: still once
  const auto twice = runWarnings(
      "runaway\nV1 a 0 PWL(0 0 1n 0 2n 15)\nD1 a 0 DX\n.model DX D(IS=1e-14)\n.tran 0.01n 3n\n.tran 0.02n 3n\n");
  EXPECT_EQ(count(twice, "the currents are not physical"), 1);
}

// A diode with a series resistance, driven as hard: no warning.
TEST(RunWarnings, DiodeThroughAResistorDoesNotWarn) {
  std::size_t reader = 0;
  const auto ws = runWarnings(
      "limited\nV1 a 0 PWL(0 0 1n 0 2n 15)\nR1 a b 10\nD1 b 0 DX\n.model DX D(IS=1e-14)\n.tran 0.01n 3n\n", &reader);
  EXPECT_EQ(ws.size(), reader);
  EXPECT_EQ(count(ws, "not physical"), 0);
}

}  // namespace
