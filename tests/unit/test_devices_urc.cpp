// U uniform RC lines (URC): ngspice's lump count and segment values, the
// ladder's topology and names, the DC resistance, the step response of a
// nearly uniform many-lump line against the diffusion equation, and the
// card's errors.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <numbers>
#include <string>
#include <vector>

#include "devices/urc.hpp"
#include "netlist_test_util.hpp"
#include "test_kernel_support.cpp"

using namespace simcore;
using simcore::testing::Collected;
using simcore::testing::runOk;

namespace {

// ngspice's URCsetup, written out from its description: the lump count from
// fmax, then the first segment's R and C so that the geometric series sum to
// r0 and c0 (two resistor chains of N terms; capacitors: two chains of N-1
// terms and the middle one).
struct Expected {
  int lumps;
  double r1, c1;
};
Expected expected(double k, double fmax, double r0, double c0, int n = 0) {
  Expected e{};
  if (n > 0) {
    e.lumps = n;
  } else {
    const double w = 2 * std::numbers::pi * fmax * r0 * c0;
    const double frac = std::log(w * std::pow((k - 1) / k, 2)) / std::log(k);
    e.lumps = w < 35 ? 3 : static_cast<int>(std::floor(std::max(3.0, frac)));
  }
  const double N = e.lumps;
  double rs = 0, cs = 0;  // the series with a unit first term
  for (int i = 0; i < e.lumps; ++i) rs += 2 * std::pow(k, i);
  for (int i = 0; i < e.lumps - 1; ++i) cs += 2 * std::pow(k, i);
  cs += std::pow(k, N - 1);
  e.r1 = r0 / rs;
  e.c1 = c0 / cs;
  return e;
}

struct LumpCase {
  double k, fmax, rperl, cperl, l;
};
const LumpCase kLumpCases[] = {
    {1.5, 1e9, 1000, 1e-12, 1},     // the model's defaults: w = 6.3 < 35, 3 lumps
    {1.6, 1e7, 1e4, 1e-9, 1},       // w = 628: 9 lumps
    {1.2, 1e8, 1e3, 1e-10, 1},      // w = 63 but log term small: 3
    {1.1, 1e10, 1e4, 1e-9, 1},      // a fine ladder: 89 lumps
    {3.0, 1e9, 1e6, 1e-9, 2e-3},    // w = 25 000: 8
    {0.7, 1e9, 1e6, 1e-9, 1e-3},    // K < 1 (segments shrinking inwards): the log ratio is negative, 3
};

TEST(Urc, LumpCountIsNgspicesFormula) {
  for (const LumpCase& c : kLumpCases) {
    const double r0 = c.rperl * c.l, c0 = c.cperl * c.l;
    EXPECT_EQ(dev::urcLumpCount(c.k, c.fmax, r0, c0), expected(c.k, c.fmax, r0, c0).lumps) << "k=" << c.k;
  }
  EXPECT_EQ(dev::urcLumpCount(1.6, 1e7, 1e4, 1e-9), 9);
  EXPECT_EQ(dev::urcLumpCount(1.1, 1e10, 1e4, 1e-9), 89);
}

std::map<std::string, const ir::Device*> byName(const ir::Circuit& c) {
  std::map<std::string, const ir::Device*> m;
  for (const ir::Device& d : c.devices) m[d.name] = &d;
  return m;
}

std::string numberText(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// The ladder of one line: every segment's R and C, their sums, the
// connections from n1 through lo1 .. lo(N-1), hiN, hi(N-1) .. hi1 to n2.
void expectLadder(const LumpCase& lc, int n = 0) {
  const std::string text = "urc\nV1 a 0 1\nU1 a b g line l=" + numberText(lc.l) + (n ? " n=" + std::to_string(n) : "") +
                           "\nR2 b 0 1k\nRg g 0 1\n.model line urc k=" + numberText(lc.k) + " fmax=" + numberText(lc.fmax) +
                           " rperl=" + numberText(lc.rperl) + " cperl=" + numberText(lc.cperl) + "\n.op\n.end\n";
  const ir::Circuit c = testutil::ok(text);
  const double r0 = lc.rperl * lc.l, c0 = lc.cperl * lc.l;
  const Expected e = expected(lc.k, lc.fmax, r0, c0, n);
  const auto dev = byName(c);
  // V1 R2 Rg, 2N resistors, 2N-1 capacitors
  ASSERT_EQ(c.devices.size(), std::size_t(3 + 4 * e.lumps - 1)) << text;
  double rSum = 0, cSum = 0;
  std::string left = "a", right = "b";
  for (int i = 1; i <= e.lumps; ++i) {
    const std::string s = std::to_string(i);
    const double scale = std::pow(lc.k, i - 1);
    const std::string lo = i == e.lumps ? "u1#hi" + s : "u1#lo" + s, hi = "u1#hi" + s;
    for (const char* side : {"lo", "hi"}) {
      const auto it = dev.find("u1#r" + std::string(side) + s);
      ASSERT_NE(it, dev.end()) << "u1#r" << side << s;
      EXPECT_EQ(it->second->letter, 'r');
      EXPECT_NEAR(*it->second->value, e.r1 * scale, 1e-12 * e.r1 * scale);
      rSum += *it->second->value;
    }
    EXPECT_EQ(dev.at("u1#rlo" + s)->nodes, (std::vector<std::string>{left, lo}));
    EXPECT_EQ(dev.at("u1#rhi" + s)->nodes, (std::vector<std::string>{hi, right}));
    const auto clo = dev.find("u1#clo" + s);
    ASSERT_NE(clo, dev.end());
    EXPECT_EQ(clo->second->nodes, (std::vector<std::string>{lo, "g"}));
    EXPECT_NEAR(*clo->second->value, e.c1 * scale, 1e-12 * e.c1 * scale);
    cSum += *clo->second->value;
    const auto chi = dev.find("u1#chi" + s);
    if (i == e.lumps) {
      EXPECT_EQ(chi, dev.end()) << "the middle node has one capacitor";
    } else {
      ASSERT_NE(chi, dev.end());
      EXPECT_EQ(chi->second->nodes, (std::vector<std::string>{hi, "g"}));
      EXPECT_NEAR(*chi->second->value, e.c1 * scale, 1e-12 * e.c1 * scale);
      cSum += *chi->second->value;
    }
    left = lo;
    right = hi;
  }
  EXPECT_NEAR(rSum, r0, 1e-9 * r0);
  EXPECT_NEAR(cSum, c0, 1e-9 * c0);
}

TEST(Urc, SegmentValuesFromFmax) {
  for (const LumpCase& c : kLumpCases) expectLadder(c);
}

TEST(Urc, SegmentValuesWithNGiven) {
  expectLadder({1.5, 1e9, 1000, 1e-12, 1}, 1);
  expectLadder({1.5, 1e9, 1000, 1e-12, 1}, 6);
  expectLadder({2.5, 1e3, 50, 3e-12, 0.25}, 12);
}

TEST(Urc, NIsRoundedAsAnIntegerParameter) {
  const ir::Circuit c = testutil::ok("urc\nU1 a b 0 m l=1 n=4.6\nV1 a 0 1\n.model m urc\n.op\n.end\n");
  EXPECT_EQ(byName(c).count("u1#hi5"), 0u);
  EXPECT_EQ(byName(c).count("u1#rhi5"), 1u);
  EXPECT_EQ(byName(c).count("u1#rhi6"), 0u);
}

TEST(Urc, DiodesWithIsperl) {
  const ir::Circuit c = testutil::ok(
      "urc\nV1 a 0 1\nU1 a b s dl l=2 n=5\nR2 b 0 1k\nVs s 0 0\n"
      ".model dl urc k=2 rperl=10 cperl=3p isperl=1f rsperl=7\n.op\n.end\n");
  const auto dev = byName(c);
  const Expected e = expected(2, 1e9, 20, 6e-12, 5);
  EXPECT_EQ(dev.count("u1#clo1"), 0u);
  ASSERT_EQ(dev.count("u1#dlo1"), 1u);
  ASSERT_EQ(dev.count("u1#dhi4"), 1u);
  EXPECT_EQ(dev.count("u1#dhi5"), 0u);
  const ir::Device& d3 = *dev.at("u1#dlo3");
  EXPECT_EQ(d3.letter, 'd');
  EXPECT_EQ(d3.nodes, (std::vector<std::string>{"u1#lo3", "s"}));
  EXPECT_DOUBLE_EQ(*d3.value, 4.0);  // area k^(i-1)
  ASSERT_GE(d3.model, 0);
  const ir::Model& m = c.models[std::size_t(d3.model)];
  EXPECT_EQ(m.type, "d");
  std::map<std::string, double> p;
  for (const ir::Param& q : m.params) p[q.name] = q.value;
  EXPECT_NEAR(p["cjo"], e.c1, 1e-12 * e.c1);
  EXPECT_NEAR(p["is"], 2e-15 * e.c1 / 6e-12, 1e-27);  // the same series as the capacitance
  EXPECT_DOUBLE_EQ(p["rs"], 2 * 5 * 7.0);            // l · N · rsperl, as ngspice
}

TEST(Urc, DcResistanceIsRperlTimesLength) {
  for (const char* model : {"k=1.5 rperl=2k cperl=1p", "k=3 fmax=1g rperl=123 cperl=1n", "k=1.05 fmax=10g rperl=1meg cperl=1n"}) {
    const double rperl = std::string(model).find("2k") != std::string::npos ? 2e3
                         : std::string(model).find("123") != std::string::npos ? 123.0 : 1e6;
    auto out = runOk(std::string("urc dc\nV1 a 0 1\nU1 a b c line l=0.37\nVb b 0 0\nRc c 0 1\n.model line urc ") + model +
                     "\n.op\n.end\n");
    const Collected& op = out.get(AnalysisType::Op);
    const double i = -op.col("i(v1)")[0];
    EXPECT_NEAR(1.0 / i, rperl * 0.37, 1e-6 * rperl * 0.37) << model;
    EXPECT_NEAR(op.col("i(vb)")[0], i, 1e-12) << model;
  }
}

// Far-end voltage of an open RC line (total R, C) after a unit step at its
// near end: 1 - 4/π Σ (-1)^m/(2m+1) exp(-(2m+1)² π² t / (4RC)).
double diffusionFarEnd(double t, double R, double C) {
  double s = 0;
  for (int m = 0; m < 200; ++m) {
    const double a = 2 * m + 1;
    s += (m % 2 ? -1.0 : 1.0) / a * std::exp(-a * a * std::numbers::pi * std::numbers::pi * t / (4 * R * C));
  }
  return 1 - 4 / std::numbers::pi * s;
}

TEST(Urc, StepResponseApproachesTheDiffusionLine) {
  // R = 10 kΩ, C = 1 nF (RC = 10 µs); K close to 1 and 150 lumps make the
  // ladder nearly uniform. The far end is open (a 1 TΩ load).
  const double R = 1e4, C = 1e-9;
  auto out = runOk(
      "urc step\nV1 a 0 PULSE(0 1 0 1n 1n 1 2)\nU1 a b 0 line l=1 n=150\nRl b 0 1t\n"
      ".model line urc k=1.005 rperl=10k cperl=1n\n"
      ".tran 20n 40u 0 20n\n.end\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  const auto& t = tr.x;
  const auto& v = tr.col("v(b)");
  ASSERT_GT(t.size(), 100u);
  int checked = 0;
  double worst = 0;
  for (std::size_t k = 0; k < t.size(); ++k) {
    if (t[k] < 1e-6) continue;  // the first microsecond: the far end is still ~0
    const double ref = diffusionFarEnd(t[k], R, C);
    worst = std::max(worst, std::fabs(v[k] - ref));
    ++checked;
  }
  EXPECT_GT(checked, 50);
  // (measured 1e-4; a 10-lump ladder with K = 1.5 is off by 3.6e-3)
  EXPECT_LT(worst, 5e-4) << "largest deviation from the distributed line";
  // and the far end rises through half its final value at t ≈ 0.38 RC
  EXPECT_NEAR(diffusionFarEnd(0.3818 * R * C, R, C), 0.5, 5e-3);
}

TEST(Urc, InsideASubcircuit) {
  const ir::Circuit c = testutil::ok(
      "urc\nV1 a 0 1\nX1 a b sub\nR2 b 0 1k\n.subckt sub p q\nU7 p q 0 m l=1 n=2\n.model m urc\n.ends\n.op\n.end\n");
  const auto dev = byName(c);
  ASSERT_EQ(dev.count("x1.u7#rlo1"), 1u);
  EXPECT_EQ(dev.at("x1.u7#rlo1")->nodes, (std::vector<std::string>{"a", "x1.u7#lo1"}));
  EXPECT_EQ(dev.at("x1.u7#rhi2")->nodes, (std::vector<std::string>{"x1.u7#hi2", "x1.u7#hi1"}));
  EXPECT_EQ(dev.at("x1.u7#rhi1")->nodes, (std::vector<std::string>{"x1.u7#hi1", "b"}));
}

void expectError(const std::string& text, const std::string& what, int line) {
  const Error e = testutil::err(text);
  EXPECT_TRUE(testutil::contains(e.message, what)) << e.message;
  EXPECT_EQ(e.loc.file, "t.cir") << e.message;
  EXPECT_EQ(int(e.loc.line), line) << e.message;
  EXPECT_GT(int(e.loc.col), 0) << e.message;
}

TEST(Urc, Errors) {
  const std::string head = "urc\nV1 a 0 1\n";
  expectError(head + "U1 a b 0 m\n.model m urc\n.end\n", "needs its length l=", 3);
  expectError(head + "U1 a b 0 m l=-1\n.model m urc\n.end\n", "length l must be positive", 3);
  expectError(head + "U1 a b 0 m l=1 n=0\n.model m urc\n.end\n", "lump count n", 3);
  expectError(head + "U1 a b 0 m l=1 w=2\n.model m urc\n.end\n", "unknown parameter 'w'", 3);
  expectError(head + "U1 a b 0 m l=1\n.model m urc k=1\n.end\n", "k must be positive and not 1", 4);
  expectError(head + "U1 a b 0 m l=1\n.model m urc rperl=0\n.end\n", "rperl must be positive", 4);
  expectError(head + "U1 a b 0 m l=1\n.model m urc foo=1\n.end\n", "foo", 4);
  expectError(head + "U1 a b 0 m l=1\n.model m d\n.end\n", "needs urc", 3);
  expectError(head + "U1 a b 0 0 m l=1\n.model m urc\n.end\n", "unknown model '0'", 3);
  // the unknown-letter message lists U among the known letters
  const Error e = testutil::err(head + "N1 a 0 1\n.end\n");
  EXPECT_TRUE(testutil::contains(e.message, " Z O Y P U A ")) << e.message;
}

TEST(Urc, ModelFlagUrcIsAccepted) {
  testutil::ok("urc\nV1 a 0 1\nU1 a b 0 m l=1\nR1 b 0 1\n.model m urc urc k=2\n.op\n.end\n");
}

}  // namespace
