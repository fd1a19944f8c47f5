// .options autostop (ngspice): the transient ends at the first accepted point
// where every .meas of it has its result.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "simcore/measure.hpp"
#include "test_kernel_support.cpp"

using namespace simcore;
using namespace simcore::testing;

namespace {

// An RC charged by a pulse: v(c) crosses 0.5 V rising once per period (1 us).
const char* const kRc =
    "t\n"
    "V1 in 0 pulse(0 1 0 1n 1n 0.5u 1u)\n"
    "R1 in c 100\n"
    "C1 c 0 1n\n"
    ".tran 1n 5u\n"
    ".meas tran tr when v(c)=0.5 rise=2\n"
    ".meas tran tf when v(c)=0.5 fall=LAST\n"
    ".meas tran vat find v(c) at=1.2u\n";

const MeasureResult& measure(const RunOutput& r, const std::string& name) {
  for (const auto& m : r.stats.measures)
    if (m.name == name) return m;
  ADD_FAILURE() << "no measure " << name;
  static MeasureResult none;
  return none;
}

int countWarnings(const ir::Circuit& c, const std::string& sub) {
  int n = 0;
  for (const auto& w : c.warnings) n += w.message.find(sub) != std::string::npos ? 1 : 0;
  return n;
}

TEST(MeasureAutostop, EndsAtThePointWhereTheLastMeasureHasItsResult) {
  const RunOutput full = runOk(kRc);
  const RunOutput stopped = runOk(std::string(kRc) + ".options autostop\n");
  const Collected& a = full.get(AnalysisType::Tran);
  const Collected& b = stopped.get(AnalysisType::Tran);
  ASSERT_TRUE(measure(full, "tr").ok);
  const double tr = measure(full, "tr").value;  // the second rise: ~1.07 us
  EXPECT_GT(tr, 1e-6);
  EXPECT_LT(tr, 1.5e-6);
  // the same points up to the stop, which is the first point past the last result
  // (tr; tf falls at ~0.57 us, vat is known from 1.2 us)
  ASSERT_GT(b.x.size(), 2u);
  ASSERT_LT(b.x.size(), a.x.size() / 2);
  for (std::size_t k = 0; k < b.x.size(); ++k) ASSERT_EQ(b.x[k], a.x[k]) << k;
  const double last = b.x.back(), before = b.x[b.x.size() - 2];
  EXPECT_GE(last, 1.2e-6);
  EXPECT_LT(before, 1.2e-6);  // vat, the last one known, at=1.2u
  EXPECT_EQ(b.rows, b.x.size());
  EXPECT_EQ(b.summary.rows, b.x.size());  // the end() tells the rows passed on
  // the results: tr and vat as over the whole run; tf=LAST is the last fall before the stop, as ngspice's
  EXPECT_DOUBLE_EQ(measure(stopped, "tr").value, tr);
  EXPECT_DOUBLE_EQ(measure(stopped, "vat").value, measure(full, "vat").value);
  EXPECT_LT(measure(stopped, "tf").value, measure(full, "tf").value);
  EXPECT_GT(measure(stopped, "tf").value, 0.5e-6);
  EXPECT_LT(measure(stopped, "tf").value, 0.7e-6);
}

TEST(MeasureAutostop, AMeasureThatNeverHasAResultRunsToTheEnd) {
  const RunOutput r = runOk(std::string(kRc) + ".meas tran never when v(c)=2\n.options autostop\n");
  const Collected& t = r.get(AnalysisType::Tran);
  EXPECT_NEAR(t.x.back(), 5e-6, 1e-15);
  EXPECT_FALSE(measure(r, "never").ok);
}

TEST(MeasureAutostop, IsTurnedOffByWholeRunMeasuresAndWithoutMeasures) {
  auto c = ir::parseNetlist(std::string(kRc) + ".meas tran va avg v(c)\n.options autostop\n", {});
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c.value().options.autostop);
  EXPECT_EQ(countWarnings(c.value(), "option 'autostop' turned off: .meas 'va'"), 1);
  const RunOutput r = runOk(std::string(kRc) + ".meas tran va avg v(c)\n.options autostop\n");
  EXPECT_NEAR(r.get(AnalysisType::Tran).x.back(), 5e-6, 1e-15);

  c = ir::parseNetlist("t\nV1 a 0 1\nR1 a 0 1\n.tran 1n 1u\n.options autostop\n", {});
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c.value().options.autostop);
  EXPECT_EQ(countWarnings(c.value(), "no .meas card"), 1);
  c = ir::parseNetlist(std::string(kRc) + ".options autostop\n", {});
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c.value().options.autostop);
  EXPECT_EQ(countWarnings(c.value(), "autostop"), 0);
}

TEST(MeasureAutostop, SinkPassesOnTheRowsUpToTheStopOnly) {
  // the sink on its own, fed in chunks: the crossing of 0.5 lies between rows 5 and 6 (x = 5, 6)
  auto c = ir::parseNetlist("t\nV1 a 0 1\nR1 a 0 1\n.tran 1 10\n.meas tran w when v(a)=0.5\n", {});
  ASSERT_TRUE(c.ok());
  CollectingSink inner;
  MeasureSink sink(&inner, c.value().measures);
  sink.setAutostop(true);
  AnalysisHeader h;
  h.type = AnalysisType::Tran;
  h.xName = "time";
  h.signals = {{"v(a)", SignalKind::Voltage}};
  sink.begin(h);
  const std::vector<double> x{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, y{0, 0.1, 0.2, 0.3, 0.4, 0.45, 0.6, 0.7, 0.8, 0.9};
  for (std::size_t at = 0; at < x.size(); at += 4) {
    const std::size_t n = std::min<std::size_t>(4, x.size() - at);
    Chunk ch;
    ch.rows = n;
    ch.x = std::span<const double>(x).subspan(at, n);
    ch.re = {std::span<const double>(y).subspan(at, n)};
    sink.chunk(ch);
    EXPECT_EQ(*sink.stopFlag(), at + n >= 7) << at;
  }
  sink.end({AnalysisType::Tran, x.size()});
  const Collected& got = inner.analyses.at(0);
  EXPECT_EQ(got.x, (std::vector<double>{0, 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(got.summary.rows, 7u);
  const auto r = sink.results();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(r[0].ok);
  EXPECT_NEAR(r[0].value, 5.0 + 0.05 / 0.15, 1e-12);
  // the next analysis starts afresh
  sink.begin(h);
  EXPECT_FALSE(*sink.stopFlag());
}

}  // namespace
