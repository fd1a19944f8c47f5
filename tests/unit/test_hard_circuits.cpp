// Hard circuits that must simulate without "timestep too small" and show the
// right behaviour: inrush into a big capacitor, a hysteretic switch oscillator,
// a BJT astable multivibrator, a ring oscillator started without .ic.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "simcore/simulate.hpp"

namespace {

struct Wave {
  std::vector<double> x;
  std::map<std::string, std::vector<double>> y;
};

class CollectTran : public simcore::SampleSink {
 public:
  std::map<std::string, Wave> byAnalysis;
  void begin(const simcore::AnalysisHeader& h) override {
    cur_ = &byAnalysis[simcore::analysisName(h.type)];
    names_.clear();
    for (const auto& s : h.signals) names_.push_back(s.name);
  }
  void chunk(const simcore::Chunk& c) override {
    cur_->x.insert(cur_->x.end(), c.x.begin(), c.x.end());
    for (std::size_t k = 0; k < names_.size(); ++k) {
      auto& v = cur_->y[names_[k]];
      v.insert(v.end(), c.re[k].begin(), c.re[k].end());
    }
  }
  void end(const simcore::AnalysisSummary&) override {}

 private:
  Wave* cur_ = nullptr;
  std::vector<std::string> names_;
};

struct Outcome {
  CollectTran sink;
  simcore::RunStats stats;
};

std::unique_ptr<Outcome> runFile(const std::string& name) {
  std::string path = std::string(SIMCORE_SOURCE_DIR) + "/tests/hard/" + name;
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream ss;
  ss << in.rdbuf();
  auto out = std::make_unique<Outcome>();
  simcore::ir::ParseOptions po;
  po.fileName = path;
  auto r = simcore::simulate(ss.str(), po, out->sink);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().format());
  if (r.ok()) out->stats = r.value();
  return out;
}

// Rising crossings of the mid level inside [t0, t1].
std::vector<double> risingCrossings(const Wave& w, const std::string& sig, double level, double t0, double t1) {
  std::vector<double> out;
  const auto& v = w.y.at(sig);
  for (std::size_t i = 1; i < w.x.size(); ++i)
    if (w.x[i] >= t0 && w.x[i] <= t1 && v[i - 1] < level && v[i] >= level)
      out.push_back(w.x[i - 1] + (level - v[i - 1]) / (v[i] - v[i - 1]) * (w.x[i] - w.x[i - 1]));
  return out;
}

double meanPeriod(const std::vector<double>& c) {
  return c.size() < 2 ? NAN : (c.back() - c.front()) / double(c.size() - 1);
}

TEST(HardCircuits, BridgeInrushIntoBigCapacitor) {
  auto o = runFile("bridge_inrush_2200u.cir");
  const Wave& w = o->sink.byAnalysis["tran"];
  ASSERT_GT(w.x.size(), 100u);
  EXPECT_NEAR(w.x.back(), 0.1, 1e-12);
  // the capacitor charges to near the crest within the first cycles
  const auto& vp = w.y.at("v(p)");
  EXPECT_GT(vp.back(), 290.0);
  EXPECT_LT(vp.back(), 326.0);
  // inrush: the source current peaks far above the load current (325 V / 100 ohm = 3.25 A)
  const auto& iv = w.y.at("i(vac)");
  double peak = 0;
  for (double i : iv) peak = std::max(peak, std::fabs(i));
  EXPECT_GT(peak, 30.0);
}

TEST(HardCircuits, SchmittSwitchRelaxationOscillator) {
  auto o = runFile("schmitt_switch_relax.cir");
  const Wave& w = o->sink.byAnalysis["tran"];
  // charging from 1.5 V to 3.5 V through 10k/100n from 5 V: tau*ln(3.5/1.5) = 0.847 ms,
  // plus about 9 us of discharge through the 100 ohm switch
  auto c = risingCrossings(w, "v(c)", 2.5, 1e-3, 10e-3);
  ASSERT_GE(c.size(), 5u);
  EXPECT_NEAR(meanPeriod(c), 0.856e-3, 0.02e-3);
  // the switch thresholds are honoured: the voltage stays within the hysteresis band (+ a step)
  double lo = 1e9, hi = -1e9;
  for (std::size_t i = 0; i < w.x.size(); ++i)
    if (w.x[i] > 2e-3) { lo = std::min(lo, w.y.at("v(c)")[i]); hi = std::max(hi, w.y.at("v(c)")[i]); }
  EXPECT_NEAR(lo, 1.5, 0.02);
  EXPECT_NEAR(hi, 3.5, 0.02);
  EXPECT_GT(o->stats.events, 8);
}

TEST(HardCircuits, BjtAstableMultivibrator) {
  auto o = runFile("bjt_astable.cir");
  const Wave& w = o->sink.byAnalysis["tran"];
  auto c = risingCrossings(w, "v(c1)", 2.5, 1e-3, 5e-3);
  ASSERT_GE(c.size(), 3u);
  // 0.69*47k*(10n + 12n) = 0.713 ms, give or take the transistors' drops
  EXPECT_NEAR(meanPeriod(c), 0.72e-3, 0.1e-3);
}

TEST(HardCircuits, RingOscillatorStartsWithoutIc) {
  auto o = runFile("cmos_ring5_noic.cir");
  const Wave& w = o->sink.byAnalysis["tran"];
  auto c = risingCrossings(w, "v(n1)", 1.65, 20e-9, 60e-9);
  ASSERT_GE(c.size(), 3u) << "the ring oscillator stayed at its metastable point";
  const auto& v = w.y.at("v(n1)");
  double lo = 1e9, hi = -1e9;
  for (std::size_t i = 0; i < w.x.size(); ++i)
    if (w.x[i] > 20e-9) { lo = std::min(lo, v[i]); hi = std::max(hi, v[i]); }
  EXPECT_GT(hi - lo, 3.0);  // rail to rail
}

}  // namespace
