// The random transient sources TRNOISE and TRRANDOM (issue 12, item 2): their
// statistics (mean, rms, the spectral slope of 1/f noise, the telegraph's
// dwell times, each TRRANDOM distribution), the sample-and-hold timing and the
// breakpoints, determinism for a fixed .options seed, and DC/AC values (the
// DC value only, as ngspice). TRRANDOM and the telegraph draw ngspice 39's
// sequence (test_ngrandom.cpp); the white and 1/f samples are simcore's.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <string>
#include <vector>

#include "devices/waveform.hpp"
#include "test_kernel_support.cpp"
#include "netlist_test_util.hpp"

using namespace simcore;
using simcore::testing::Collected;
using simcore::testing::runOk;

namespace {

dev::SourceFunction wave(ir::WaveKind kind, std::vector<double> args, double tstop, std::uint64_t seed = 7) {
  ir::Waveform w;
  w.kind = kind;
  w.args = std::move(args);
  w.seed = seed;
  auto f = dev::SourceFunction::make(w, dev::TranHints{tstop / 1000, tstop}, "v1");
  EXPECT_TRUE(f.ok()) << (f.ok() ? "" : f.error().message);
  return f.ok() ? std::move(f.value()) : dev::SourceFunction{};
}

struct Stats {
  double mean = 0, rms = 0;
};
Stats stats(const std::vector<double>& v) {
  Stats s;
  for (double x : v) s.mean += x;
  s.mean /= double(v.size());
  for (double x : v) s.rms += (x - s.mean) * (x - s.mean);
  s.rms = std::sqrt(s.rms / double(v.size()));
  return s;
}

TEST(TrNoise, WhiteNoiseHasItsRmsAndZeroMeanAtTheSampleTimes) {
  const double ts = 1e-9, na = 0.3;
  const int n = 40000;
  auto f = wave(ir::WaveKind::TrNoise, {na, ts}, n * ts);
  EXPECT_EQ(f.value(0.0), 0.0);  // the first sample is zero, as ngspice's
  std::vector<double> v;
  for (int k = 1; k <= n; ++k) v.push_back(f.value(k * ts));
  const Stats s = stats(v);
  EXPECT_NEAR(s.mean, 0.0, 4 * na / std::sqrt(double(n)));
  EXPECT_NEAR(s.rms, na, 0.02 * na);
  // linear interpolation between the samples
  EXPECT_NEAR(f.value(10.25 * ts), 0.75 * f.value(10 * ts) + 0.25 * f.value(11 * ts), 1e-15);
  // successive samples are independent
  double c = 0;
  for (int k = 1; k < n; ++k) c += v[k] * v[k - 1];
  EXPECT_NEAR(c / (n - 1) / (na * na), 0.0, 0.03);
}

TEST(TrNoise, SamplesAreBreakpoints) {
  const double ts = 2e-9;
  auto f = wave(ir::WaveKind::TrNoise, {0.1, ts}, 1e-6);
  EXPECT_DOUBLE_EQ(f.nextBreakpoint(0.0), ts);
  EXPECT_DOUBLE_EQ(f.nextBreakpoint(ts), 2 * ts);
  EXPECT_DOUBLE_EQ(f.nextBreakpoint(3.5 * ts), 4 * ts);
}

TEST(TrNoise, FlickerNoiseFallsAsOneOverFToTheAlpha) {
  // averaged periodogram of the samples in octave bands: slope -alpha on log-log
  const double ts = 1e-6;
  const int n = 1 << 14;
  for (double alpha : {1.0, 1.5}) {
    auto f = wave(ir::WaveKind::TrNoise, {0.0, ts, alpha, 1.0}, n * ts);
    std::vector<std::complex<double>> x(n);
    for (int k = 0; k < n; ++k) x[k] = f.value((k + 1) * ts);
    // DFT by bands: power at frequencies k/n, k in [lo, 2 lo)
    std::vector<double> lf, lp;
    for (int lo = 8; lo < n / 8; lo *= 2) {
      double p = 0;
      int cnt = 0;
      for (int k = lo; k < 2 * lo; k += std::max(1, lo / 16)) {
        std::complex<double> s = 0;
        for (int j = 0; j < n; ++j) s += x[j] * std::polar(1.0, -2 * std::numbers::pi * double(k) * j / n);
        p += std::norm(s);
        ++cnt;
      }
      lf.push_back(std::log(1.5 * lo));
      lp.push_back(std::log(p / cnt));
    }
    // least-squares slope
    const double mf = stats(lf).mean, mp = stats(lp).mean;
    double sxy = 0, sxx = 0;
    for (std::size_t i = 0; i < lf.size(); ++i) {
      sxy += (lf[i] - mf) * (lp[i] - mp);
      sxx += (lf[i] - mf) * (lf[i] - mf);
    }
    EXPECT_NEAR(sxy / sxx, -alpha, 0.2) << "alpha " << alpha;
  }
}

TEST(TrNoise, TelegraphNoiseDwellsForItsCaptureAndEmissionTimes) {
  const double am = 15e-3, capt = 22e-6, emt = 50e-6, tstop = 0.5;
  auto f = wave(ir::WaveKind::TrNoise, {0, 0, 0, 0, am, capt, emt}, tstop);
  EXPECT_EQ(f.value(0.0), 0.0);
  // walk the switches through the breakpoints
  double t = 0, high = 0, low = 0;
  int switches = 0;
  for (;;) {
    const double next = f.nextBreakpoint(t);
    if (next > tstop) break;
    const double mid = f.value(0.5 * (t + next));
    EXPECT_TRUE(mid == 0.0 || mid == am) << mid;
    (mid == am ? high : low) += next - t;
    t = next;
    ++switches;
  }
  ASSERT_GT(switches, 5000);
  const double cycles = switches / 2.0;
  EXPECT_NEAR(low / cycles, capt, 0.05 * capt);
  EXPECT_NEAR(high / cycles, emt, 0.05 * emt);
}

TEST(TrNoise, TelegraphWithZeroTimesIsCapturedForTheWholeRun) {
  // rtscapt = rtsemt = 0 (or left out): as ngspice 39, high from t = 0 on
  for (const std::vector<double>& args : {std::vector<double>{0, 0, 0, 0, 0.3}, std::vector<double>{0, 0, 0, 0, 0.3, 0, 0}}) {
    auto f = wave(ir::WaveKind::TrNoise, args, 1e-6);
    for (double t : {0.0, 1e-9, 0.5e-6, 1e-6}) EXPECT_EQ(f.value(t), 0.3) << t;
    EXPECT_GT(f.nextBreakpoint(0.0), 1e-6);
  }
  ir::Waveform w;
  w.kind = ir::WaveKind::TrNoise;
  w.args = {0, 0, 0, 0, 0.3, -1e-6, 1e-6};
  EXPECT_FALSE(dev::SourceFunction::make(w, dev::TranHints{1e-9, 1e-6}, "v1").ok());
}

TEST(TrRandom, EveryTypeHasItsDistribution) {
  const int n = 40000;
  const double ts = 1e-6;
  struct Case {
    double type, p1, p2, mean, sd;
  };
  const std::vector<Case> cases = {
      {1, 2.0, 0.5, 0.5, 2.0 / std::sqrt(3.0)},  // uniform in p2 +- p1
      {2, 0.7, -1.0, -1.0, 0.7},                 // Gaussian
      {3, 3.0, 1.0, 4.0, 3.0},                   // exponential (mean p1) + p2
      {4, 4.0, 0.0, 4.0, 2.0},                   // Poisson lambda p1
  };
  for (const Case& c : cases) {
    auto f = wave(ir::WaveKind::TrRandom, {c.type, ts, 0, c.p1, c.p2}, n * ts);
    std::vector<double> v;
    for (int k = 0; k < n; ++k) v.push_back(f.value((k + 0.5) * ts));
    const Stats s = stats(v);
    EXPECT_NEAR(s.mean, c.mean, 5 * c.sd / std::sqrt(double(n))) << "type " << c.type;
    EXPECT_NEAR(s.rms, c.sd, 0.03 * c.sd) << "type " << c.type;
    if (c.type == 1) {
      EXPECT_GE(*std::min_element(v.begin(), v.end()), c.p2 - c.p1);
      EXPECT_LT(*std::max_element(v.begin(), v.end()), c.p2 + c.p1);
    }
    if (c.type == 4)
      for (double x : v) EXPECT_EQ(x, std::round(x));
  }
}

TEST(TrRandom, HoldsEachValueForTsAfterTheDelay) {
  const double ts = 1e-6, td = 2.5e-6;
  auto f = wave(ir::WaveKind::TrRandom, {2, ts, td, 1.0, 3.0}, 1e-4);
  EXPECT_EQ(f.value(0.0), 3.0);  // PARAM2 until TD
  EXPECT_EQ(f.value(td), 3.0);
  const double a = f.value(td + 0.1 * ts);
  EXPECT_NE(a, 3.0);
  EXPECT_EQ(f.value(td + 0.9 * ts), a);
  EXPECT_EQ(f.value(td + ts), a);  // a new value after the accepted point TD + TS, as ngspice
  EXPECT_NE(f.value(td + 1.1 * ts), a);
  EXPECT_DOUBLE_EQ(f.nextBreakpoint(0.0), td);
  EXPECT_DOUBLE_EQ(f.nextBreakpoint(td), td + ts);
  EXPECT_DOUBLE_EQ(f.nextBreakpoint(td + 2.2 * ts), td + 3 * ts);
}

TEST(TrRandom, RejectsAnUnknownTypeAndAZeroStep) {
  ir::Waveform w;
  w.kind = ir::WaveKind::TrRandom;
  w.args = {5, 1e-6};
  EXPECT_FALSE(dev::SourceFunction::make(w, dev::TranHints{1e-6, 1e-3}, "v1").ok());
  w.args = {1, 0};
  EXPECT_FALSE(dev::SourceFunction::make(w, dev::TranHints{1e-6, 1e-3}, "v1").ok());
}

std::vector<double> tranColumn(const std::string& deck, const std::string& name) {
  auto out = runOk(deck);
  return out.get(AnalysisType::Tran).col(name);
}

TEST(RandomSources, ADeckIsDeterministicForItsSeedAndTheNoiseAddsToTheDcValue) {
  const std::string body =
      "VN n 0 DC 1 TRNOISE(0.1 10n 1 0.05)\nR1 n 0 1k\nIR 0 r TRRANDOM(2 20n 0 1m)\nR2 r 0 1k\n"
      ".tran 1n 2u\n.end\n";
  const auto a = tranColumn("t\n.options seed=5\n" + body, "v(n)");
  const auto b = tranColumn("t\n.options seed=5\n" + body, "v(n)");
  const auto c = tranColumn("t\n.options seed=6\n" + body, "v(n)");
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(a.front(), 1.0);  // zero noise at t = 0: the DC value
  const Stats s = stats(a);
  EXPECT_NEAR(s.mean, 1.0, 0.1);
  EXPECT_GT(s.rms, 0.05);
  const auto r = tranColumn("t\n.options seed=5\n" + body, "v(r)");
  EXPECT_GT(stats(r).rms, 0.3);  // 1 mA rms into 1k
}

TEST(RandomSources, DcAndAcSeeTheDcValueOnly) {
  auto out = runOk("t\nVN n 0 DC 2 AC 1 TRNOISE(0.5 1n)\nR1 n m 1k\nIR 0 m TRRANDOM(1 1n 0 1 5)\nR2 m 0 1k\n"
                   ".op\n.ac lin 2 1k 2k\n.end\n");
  const Collected& op = out.get(AnalysisType::Op);
  EXPECT_NEAR(op.col("v(n)")[0], 2.0, 1e-12);
  EXPECT_NEAR(op.col("v(m)")[0], 1.0, 1e-9);  // the current source has no DC value: 0
  const Collected& ac = out.get(AnalysisType::Ac);
  EXPECT_NEAR(std::abs(ac.phasor("v(m)", 0)), 0.5, 1e-9);
}

}  // namespace
