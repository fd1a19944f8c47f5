// CoSimulation (simcore/cosim.hpp): a transient driven to communication
// points gives the rows of the uninterrupted transient (--interpolate); an
// input change acts like a source step; errors; topLevelParams.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "netlist_test_util.hpp"
#include "simcore/cosim.hpp"
#include "simcore/params.hpp"
#include "simcore/simulate.hpp"

using namespace simcore;

namespace {

const char* kRc = R"(rc
.param r=1k c=100n
VIN in 0 DC 0 PULSE(0 1 50u 1n 1n 1 2)
R1 in out {r}
C1 out 0 {c}
.tran 1u 400u
.end
)";

const char* kRcInput = R"(rc driven by an input
VIN in 0 DC 0
R1 in out 1k
C1 out 0 100n
.tran 1u 400u
.end
)";

// The tran rows of a run, column-wise (time first).
struct Rows final : SampleSink {
  std::vector<std::string> names;
  std::vector<std::vector<double>> cols;
  bool tran = false;
  void begin(const AnalysisHeader& h) override {
    tran = h.type == AnalysisType::Tran;
    if (!tran) return;
    names = {"time"};
    for (const auto& s : h.signals) names.push_back(s.name);
    cols.assign(names.size(), {});
  }
  void chunk(const Chunk& c) override {
    if (!tran) return;
    cols[0].insert(cols[0].end(), c.x.begin(), c.x.end());
    for (std::size_t k = 0; k < c.re.size(); ++k) cols[k + 1].insert(cols[k + 1].end(), c.re[k].begin(), c.re[k].end());
  }
  void end(const AnalysisSummary&) override { tran = false; }
  const std::vector<double>& col(const std::string& n) const {
    for (std::size_t k = 0; k < names.size(); ++k)
      if (names[k] == n) return cols[k];
    static const std::vector<double> none;
    ADD_FAILURE() << "no column " << n;
    return none;
  }
};

Rows interpolated(const std::string& text) {
  SimulationOptions so;
  so.interpolate = true;
  Rows rows;
  auto r = simulate(text, ir::ParseOptions{}, rows, so);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().format());
  return rows;
}

std::unique_ptr<CoSimulation> cosim(const std::string& text, const CoSimSetup& setup) {
  auto c = testutil::ok(text);
  auto cs = CoSimulation::create(std::move(c), setup);
  EXPECT_TRUE(cs.ok()) << (cs.ok() ? "" : cs.error().format());
  return cs.ok() ? std::move(cs).value() : nullptr;
}

std::string readSource(const std::string& rel) {
  std::ifstream in(std::string(SIMCORE_SOURCE_DIR) + "/" + rel);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Drives cs to every `every`-th grid point of ref and compares signal `sig` (output k).
void expectSameAsRun(CoSimulation& cs, const Rows& ref, const std::string& sig, std::size_t k, std::size_t every) {
  ASSERT_TRUE(cs.start().ok());
  std::vector<double> out(cs.outputs().size());
  const auto& t = ref.col("time");
  const auto& v = ref.col(sig);
  for (std::size_t i = 0; i < t.size(); i += every) {
    if (i > 0) {
      auto st = cs.advanceTo(t[i]);
      ASSERT_TRUE(st.ok()) << st.error().format();
    }
    cs.outputValues(out.data());
    // the same dense output: the same numbers
    ASSERT_EQ(out[k], v[i]) << sig << " at t = " << t[i];
  }
}

}  // namespace

TEST(CoSim, RcGivesTheRowsOfTheInterpolatedTransient) {
  const Rows ref = interpolated(kRc);
  CoSimSetup setup;
  setup.outputs = {"v(out)"};
  auto cs = cosim(kRc, setup);
  ASSERT_TRUE(cs);
  EXPECT_TRUE(cs->inputs().empty());
  expectSameAsRun(*cs, ref, "v(out)", 0, 1);
}

TEST(CoSim, CommunicationStepsSmallerThanTheEnginesChangeNothing) {
  // 10 ns communication steps on a 1 us grid: the engine's steps are its own
  const Rows ref = interpolated(kRc);
  CoSimSetup setup;
  setup.outputs = {"v(out)"};
  auto cs = cosim(kRc, setup);
  ASSERT_TRUE(cs && cs->start().ok());
  const auto& t = ref.col("time");
  const auto& v = ref.col("v(out)");
  double out = 0;
  for (std::size_t i = 1; i < 120; ++i) {
    for (int j = 1; j <= 100; ++j) ASSERT_TRUE(cs->advanceTo(t[i - 1] + (t[i] - t[i - 1]) * j / 100.0).ok());
    cs->outputValues(&out);
    EXPECT_NEAR(out, v[i], 1e-12 * std::max(1.0, std::fabs(v[i])));
  }
  EXPECT_LT(cs->stats().acceptedPoints, 1000);  // far fewer engine steps than communication points
}

TEST(CoSim, BuckGivesTheRowsOfTheInterpolatedTransient) {
  std::string text = readSource("examples/buck_converter.cir");
  const auto pos = text.find(".tran 50n 2m");
  ASSERT_NE(pos, std::string::npos);
  text.replace(pos, 12, ".tran 50n 0.3m");
  const Rows ref = interpolated(text);
  CoSimSetup setup;
  setup.inputs = {"VIN"};
  setup.outputs = {"v(out)", "i(vil)"};
  auto cs = cosim(text, setup);
  ASSERT_TRUE(cs);
  ASSERT_EQ(cs->inputs().size(), 1u);
  EXPECT_EQ(cs->inputs()[0].start, 12.0);
  ASSERT_TRUE(cs->setInput(0, 12.0).ok());  // the same value: no change
  expectSameAsRun(*cs, ref, "i(vil)", 1, 20);
}

TEST(CoSim, AnInputStepActsLikeASourceStep) {
  std::string pwl = kRcInput;
  pwl.replace(pwl.find("VIN in 0 DC 0"), 13, "VIN in 0 PWL(0 0 100u 0 100.000001u 1)");
  const Rows ref = interpolated(pwl);
  CoSimSetup setup;
  setup.inputs = {"vin"};
  setup.outputs = {"v(out)", "v(in)"};
  auto cs = cosim(kRcInput, setup);
  ASSERT_TRUE(cs && cs->start().ok());
  const auto& t = ref.col("time");
  const auto& v = ref.col("v(out)");
  double out[2];
  double worst = 0;
  for (std::size_t i = 1; i < t.size(); ++i) {
    if (std::fabs(t[i - 1] - 100e-6) < 1e-12) {
      ASSERT_TRUE(cs->setInput(0, 1.0).ok());
    }
    ASSERT_TRUE(cs->advanceTo(t[i]).ok());
    cs->outputValues(out);
    worst = std::max(worst, std::fabs(out[0] - v[i]));
    if (t[i] < 100e-6 - 1e-12) {
      EXPECT_LT(std::fabs(out[0]), 1e-6);
    }
    if (t[i] > 100.5e-6) {
      EXPECT_NEAR(out[1], 1.0, 1e-12) << "the source's node right after the step";
    }
  }
  EXPECT_LT(worst, 1e-5);  // (the reference ramps over 1 ps; an FMU step lands on 100 us)
  EXPECT_NEAR(cs->input(0), 1.0, 0);
}

TEST(CoSim, AnInputOnASourceWithAWaveformReplacesIt) {
  CoSimSetup setup;
  setup.inputs = {"vin"};
  setup.outputs = {"v(in)"};
  auto cs = cosim(kRc, setup);
  ASSERT_TRUE(cs && cs->start().ok());
  EXPECT_EQ(cs->inputs()[0].start, 0.0);  // the PULSE's value at t = 0
  ASSERT_TRUE(cs->advanceTo(100e-6).ok());
  double v = -1;
  cs->outputValues(&v);
  EXPECT_NEAR(v, 0.0, 1e-12) << "the pulse at 50 us no longer acts";
}

TEST(CoSim, Errors) {
  auto c = testutil::ok(kRc);
  CoSimSetup bad;
  bad.inputs = {"r1"};
  auto r = CoSimulation::create(c, bad);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(testutil::contains(r.error().message, "'r1' is not an independent V or I source"));
  CoSimSetup unknown;
  unknown.outputs = {"v(nowhere)"};
  r = CoSimulation::create(c, unknown);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(testutil::contains(r.error().message, "nowhere")) << r.error().message;
  auto op = testutil::ok("op\nR1 a 0 1k\nI1 0 a 1m\n.op\n.end\n");
  r = CoSimulation::create(op, CoSimSetup{});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(testutil::contains(r.error().message, ".tran"));
  auto cs = cosim(kRc, CoSimSetup{});
  ASSERT_TRUE(cs && cs->start().ok());
  EXPECT_FALSE(cs->advanceTo(1).ok()) << "past the stop time";
  EXPECT_TRUE(cs->advanceTo(10e-6).ok()) << "an error of the caller does not end the run";
  EXPECT_FALSE(cs->advanceTo(5e-6).ok()) << "backwards";
}

TEST(CoSim, AFloatingGroupIsTiedAndWarnedAsInASimulation) {
  // mid only reaches the circuit through capacitors: tied to ground through
  // gmin at its first node, with the simulation's warning; the run gives the
  // simulation's numbers
  const std::string text =
      "floating\nV1 in 0 PULSE(0 1 1u 1u 1u 10u 20u)\nC1 in mid 1n\nC2 mid out 1n\nR1 out 0 1k\n"
      ".tran 0.1u 30u\n.end\n";
  const Rows ref = interpolated(text);
  CoSimSetup setup;
  setup.outputs = {"v(out)"};
  auto cs = cosim(text, setup);
  ASSERT_TRUE(cs);
  ASSERT_EQ(cs->warnings().size(), 1u);
  EXPECT_TRUE(testutil::contains(cs->warnings()[0].message, "node 'mid' has no DC path to ground"))
      << cs->warnings()[0].message;
  EXPECT_TRUE(testutil::contains(cs->warnings()[0].message, "tied to ground through gmin"));
  EXPECT_EQ(cs->warnings()[0].loc.line, 3);
  expectSameAsRun(*cs, ref, "v(out)", 0, 1);
  // with uic there is no operating point to make singular: no tie, no warning
  CoSimSetup mid;
  mid.outputs = {"v(mid)"};
  auto uic = cosim("floating\nI1 0 mid 1m\nC1 mid 0 1n\nR1 mid2 0 1k\nC2 mid mid2 1n\n.tran 0.1u 3u uic\n.end\n",
                   mid);
  ASSERT_TRUE(uic);
  EXPECT_TRUE(uic->warnings().empty());
}

TEST(CoSim, StopTimeOverride) {
  CoSimSetup setup;
  setup.tstop = 1e-3;
  auto cs = cosim(kRc, setup);
  ASSERT_TRUE(cs && cs->start().ok());
  EXPECT_EQ(cs->stopTime(), 1e-3);
  EXPECT_TRUE(cs->advanceTo(0.9e-3).ok());
}

TEST(CoSim, TopLevelParams) {
  const std::string text = "p\n.param a=2 b={a*3}\n.param c=1k\nR1 x 0 {c}\nV1 x 0 {b}\n.op\n.end\n";
  auto p = topLevelParams(text);
  ASSERT_TRUE(p.ok()) << p.error().format();
  ASSERT_EQ(p.value().size(), 3u);
  EXPECT_EQ(p.value()[0].name, "a");
  EXPECT_EQ(p.value()[1].value, 6.0);
  EXPECT_EQ(p.value()[2].value, 1000.0);
  ir::ParseOptions o;
  o.paramOverrides = {{"A", 5}};
  p = topLevelParams(text, o);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.value()[0].value, 5.0);
  EXPECT_EQ(p.value()[1].value, 15.0) << "derived from the override";
  EXPECT_FALSE(topLevelParams("p\nR1 x 0 {nope}\n.op\n.end\n").ok());
}
