// LTspice's special-function A devices: gate truth tables with unused
// inputs, complementary outputs, thresholds, levels and output resistance,
// Td and Trise, Schmitt hysteresis, DFLOP edges with PRE and CLR, SRFLOP,
// the operating point, and the reader's errors; in SPICE mode and in the
// event engine.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "test_kernel_support.cpp"

namespace simcore::testing {
namespace {

const char* const kModes[] = {"spice", "event"};

// Linear interpolation of column `name` at t (the later row at a repeated time).
double interp(const Collected& c, const std::string& name, double t) {
  const auto& y = c.col(name);
  for (std::size_t k = 1; k < c.x.size(); ++k)
    if (c.x[k] > t) {
      if (c.x[k] == c.x[k - 1]) return y[k];
      return y[k - 1] + (y[k] - y[k - 1]) * (t - c.x[k - 1]) / (c.x[k] - c.x[k - 1]);
    }
  return y.empty() ? NAN : y.back();
}

// The first time after t0 at which `name` crosses level (NaN when it does not).
double crossing(const Collected& c, const std::string& name, double level, double t0) {
  const auto& y = c.col(name);
  for (std::size_t k = 1; k < c.x.size(); ++k) {
    if (c.x[k] <= t0) continue;
    if ((y[k - 1] - level) * (y[k] - level) <= 0 && y[k] != y[k - 1])
      return c.x[k - 1] + (level - y[k - 1]) * (c.x[k] - c.x[k - 1]) / (y[k] - y[k - 1]);
  }
  return NAN;
}

std::string withMode(const std::string& net, const char* mode) {
  return net + ".options switching=" + mode + "\n.end\n";
}

TEST(LtspiceGates, TruthTablesWithUnusedInputs) {
  // a, b step through 00 01 10 11 (1 us each); c stays high; the gates' commons are ground
  const std::string net = R"(t
va a 0 pwl(0 0 2u 0 2.001u 1)
vb b 0 pwl(0 0 1u 0 1.001u 1 2u 1 2.001u 0 3u 0 3.001u 1)
vc c 0 1
* a 3-input AND whose third input (terminal 3) is tied to the common: a 2-input AND
a1 a b 0 0 0 nand and 0 AND
* OR with only terminal 7 used; XOR with both outputs; a BUF and an INV
a2 a b 0 0 0 0 or 0 OR
a3 a b 0 0 0 xnor xor 0 XOR
a4 a 0 0 0 0 nbuf buf 0 BUF
a5 a 0 0 0 0 0 inv 0 INV
* an AND whose common is c (1 V): its grounded inputs are used and read -1 V (low), levels 1 V and 2 V
a6 a b 0 0 0 0 andc c AND
* a 3-input AND of a, b and c
a7 a b c 0 0 0 and3 0 AND
.tran 10n 4u
)";
  for (const char* mode : kModes) {
    const auto r = runOk(withMode(net, mode));
    const auto& tr = r.get(AnalysisType::Tran);
    const double at[] = {0.5e-6, 1.5e-6, 2.5e-6, 3.5e-6};
    const int A[] = {0, 0, 1, 1}, B[] = {0, 1, 0, 1};
    for (int k = 0; k < 4; ++k) {
      const double t = at[k];
      const std::string where = std::string(mode) + " a=" + std::to_string(A[k]) + " b=" + std::to_string(B[k]);
      EXPECT_NEAR(interp(tr, "v(and)", t), A[k] & B[k], 1e-9) << where;
      EXPECT_NEAR(interp(tr, "v(nand)", t), 1 - (A[k] & B[k]), 1e-9) << where;
      EXPECT_NEAR(interp(tr, "v(or)", t), A[k] | B[k], 1e-9) << where;
      EXPECT_NEAR(interp(tr, "v(xor)", t), A[k] ^ B[k], 1e-9) << where;
      EXPECT_NEAR(interp(tr, "v(xnor)", t), 1 - (A[k] ^ B[k]), 1e-9) << where;
      EXPECT_NEAR(interp(tr, "v(buf)", t), A[k], 1e-9) << where;
      EXPECT_NEAR(interp(tr, "v(nbuf)", t), 1 - A[k], 1e-9) << where;
      EXPECT_NEAR(interp(tr, "v(inv)", t), 1 - A[k], 1e-9) << where;
      EXPECT_NEAR(interp(tr, "v(andc)", t), 1.0, 1e-9) << where;  // low: 1 V above ground
      EXPECT_NEAR(interp(tr, "v(and3)", t), A[k] & B[k], 1e-9) << where;
    }
  }
}

TEST(LtspiceGates, ThresholdLevelsAndOutputResistance) {
  // a ramps 0 -> 1 V over 1 us: Ref=0.3 switches at 0.3 us, the default (vhigh+vlow)/2 = 2.5 V
  // of a 0/5 V gate never; Rhigh 100 and Rlow 50 into 100 ohm to ground and 1 V
  const std::string net = R"(t
va a 0 pwl(0 0 1u 1)
a1 a 0 0 0 0 0 q1 0 BUF vhigh=5 vlow=-1 ref=0.3 rhigh=100 rlow=50
r1 q1 0 100
a2 a 0 0 0 0 0 q2 0 BUF vhigh=5
r2 q2 0 1k
.tran 10n 1u
)";
  for (const char* mode : kModes) {
    const auto r = runOk(withMode(net, mode));
    const auto& tr = r.get(AnalysisType::Tran);
    EXPECT_NEAR(interp(tr, "v(q1)", 0.2e-6), -1.0 * 100.0 / 150.0, 1e-9) << mode;
    EXPECT_NEAR(interp(tr, "v(q1)", 0.4e-6), 5.0 * 100.0 / 200.0, 1e-9) << mode;
    EXPECT_NEAR(crossing(tr, "v(q1)", 0.5, 0.0), 0.3e-6, 1e-12) << mode;
    EXPECT_NEAR(interp(tr, "v(q2)", 0.99e-6), 0.0, 1e-12) << mode;
  }
}

TEST(LtspiceGates, DelayAndRamps) {
  // a rises through 0.5 V at 1 us and falls through it at 3 us: the output starts
  // rising 200 ns later over Trise = 100 ns and falls 200 ns after 3 us over Tfall = 40 ns;
  // a 50 ns pulse (5 us) is shorter than Td: the inertial delay drops it
  const std::string net = R"(t
va a 0 pwl(0 0 0.999u 0 1.001u 1 2.999u 1 3.001u 0 5u 0 5.001u 1 5.05u 1 5.051u 0)
a1 a 0 0 0 0 0 q 0 BUF td=200n trise=100n tfall=40n
.tran 10n 6u
)";
  for (const char* mode : kModes) {
    const auto r = runOk(withMode(net, mode));
    const auto& tr = r.get(AnalysisType::Tran);
    EXPECT_NEAR(crossing(tr, "v(q)", 0.5, 0.0), 1e-6 + 200e-9 + 50e-9, 1e-11) << mode;
    EXPECT_NEAR(crossing(tr, "v(q)", 0.5, 2e-6), 3e-6 + 200e-9 + 20e-9, 1e-11) << mode;
    EXPECT_NEAR(interp(tr, "v(q)", 1.2e-6 + 25e-9), 0.25, 1e-6) << mode;
    double peak = 0;
    for (std::size_t k = 0; k < tr.x.size(); ++k)
      if (tr.x[k] > 4.5e-6) peak = std::max(peak, tr.col("v(q)")[k]);
    EXPECT_LT(peak, 1e-9) << mode;
  }
}

TEST(LtspiceGates, SchmittHysteresisAndDifferentialInput) {
  // a triangle 0 -> 1 -> 0 V over 2 us: trip points 0.6 +- 0.2 switch it high at 0.8 us and
  // low at 1.6 us; a2 reads v(tri) - v(ref) with ref = 0.5 V against vt=0, vh=0.1
  const std::string net = R"(t
vt tri 0 pwl(0 0 1u 1 2u 0)
vr ref 0 0.5
a1 tri 0 0 0 0 ns s 0 SCHMITT vt=0.6 vh=0.2
a2 tri ref 0 0 0 0 si 0 SCHMTINV vt=0 vh=0.1
.tran 10n 2u
)";
  for (const char* mode : kModes) {
    const auto r = runOk(withMode(net, mode));
    const auto& tr = r.get(AnalysisType::Tran);
    EXPECT_NEAR(crossing(tr, "v(s)", 0.5, 0.0), 0.8e-6, 1e-11) << mode;
    EXPECT_NEAR(crossing(tr, "v(s)", 0.5, 0.9e-6), 1.6e-6, 1e-11) << mode;
    EXPECT_NEAR(crossing(tr, "v(ns)", 0.5, 0.0), 0.8e-6, 1e-11) << mode;
    EXPECT_NEAR(crossing(tr, "v(si)", 0.5, 0.0), 0.6e-6, 1e-11) << mode;
    EXPECT_NEAR(crossing(tr, "v(si)", 0.5, 0.7e-6), 1.6e-6, 1e-11) << mode;
  }
}

TEST(LtspiceGates, DFlopEdgesPresetAndClear) {
  // a divide-by-two (D from the inverted output); CLR holds Q low 3-6.2 us (edges ignored),
  // PRE forces it high at 8.3 us; clock edges at 0.5, 1.5, ... us
  const std::string net = R"(t
vclk clk 0 pulse(0 1 0.5u 1n 1n 0.5u 1u)
vpre pre 0 pwl(0 0 8.3u 0 8.301u 1 8.6u 1 8.601u 0)
vclr clr 0 pwl(0 0 3u 0 3.001u 1 6.2u 1 6.201u 0)
a1 qb 0 clk pre clr qb q 0 DFLOP td=10n
.tran 10n 10u
)";
  for (const char* mode : kModes) {
    const auto r = runOk(withMode(net, mode));
    const auto& tr = r.get(AnalysisType::Tran);
    EXPECT_NEAR(interp(tr, "v(q)", 0.4e-6), 0.0, 1e-9) << mode;  // ic = 0
    EXPECT_NEAR(interp(tr, "v(q)", 1.0e-6), 1.0, 1e-9) << mode;
    EXPECT_NEAR(interp(tr, "v(q)", 2.0e-6), 0.0, 1e-9) << mode;
    EXPECT_NEAR(interp(tr, "v(q)", 3.0e-6), 1.0, 1e-9) << mode;
    EXPECT_NEAR(crossing(tr, "v(q)", 0.5, 2.9e-6), 3.0005e-6 + 10e-9, 1e-10) << mode;  // CLR
    EXPECT_NEAR(interp(tr, "v(q)", 4.0e-6), 0.0, 1e-9) << mode;
    EXPECT_NEAR(interp(tr, "v(q)", 5.0e-6), 0.0, 1e-9) << mode;
    EXPECT_NEAR(interp(tr, "v(q)", 6.1e-6), 0.0, 1e-9) << mode;
    EXPECT_NEAR(interp(tr, "v(q)", 7.0e-6), 1.0, 1e-9) << mode;  // the edge at 6.5 us
    EXPECT_NEAR(interp(tr, "v(q)", 8.0e-6), 0.0, 1e-9) << mode;
    EXPECT_NEAR(crossing(tr, "v(q)", 0.5, 8.1e-6), 8.3005e-6 + 10e-9, 1e-10) << mode;  // PRE
    EXPECT_NEAR(interp(tr, "v(qb)", 8.45e-6), 0.0, 1e-9) << mode;
  }
}

TEST(LtspiceGates, SrFlopAndUnusedD) {
  // SRFLOP: set at 1 us, reset at 3 us, both at 5 us (reset wins); a DFLOP whose D is tied
  // to the common reads it high (the IR2110 model's input latch) and starts at ic=1 on a2
  const std::string net = R"(t
vs s 0 pwl(0 0 1u 0 1.001u 1 1.5u 1 1.501u 0 5u 0 5.001u 1)
vr r 0 pwl(0 0 3u 0 3.001u 1 3.5u 1 3.501u 0 5u 0 5.001u 1)
vclk clk 0 pwl(0 0 2u 0 2.001u 1)
a1 s r 0 0 0 qb q 0 SRFLOP
a2 0 0 clk 0 r 0 dq 0 DFLOP ic=1
a3 0 0 clk 0 0 0 dq3 0 DFLOP
.tran 10n 6u
)";
  for (const char* mode : kModes) {
    const auto r = runOk(withMode(net, mode));
    const auto& tr = r.get(AnalysisType::Tran);
    EXPECT_NEAR(interp(tr, "v(q)", 0.5e-6), 0.0, 1e-9) << mode;
    EXPECT_NEAR(interp(tr, "v(q)", 2.0e-6), 1.0, 1e-9) << mode;
    EXPECT_NEAR(interp(tr, "v(qb)", 2.0e-6), 0.0, 1e-9) << mode;
    EXPECT_NEAR(interp(tr, "v(q)", 4.0e-6), 0.0, 1e-9) << mode;
    EXPECT_NEAR(interp(tr, "v(q)", 5.5e-6), 0.0, 1e-9) << mode;
    EXPECT_NEAR(interp(tr, "v(dq)", 1.0e-6), 1.0, 1e-9) << mode;   // ic=1
    EXPECT_NEAR(interp(tr, "v(dq)", 3.2e-6), 0.0, 1e-9) << mode;   // CLR (r)
    EXPECT_NEAR(interp(tr, "v(dq3)", 1.0e-6), 0.0, 1e-9) << mode;
    EXPECT_NEAR(interp(tr, "v(dq3)", 2.5e-6), 1.0, 1e-9) << mode;  // D unused: high
  }
}

TEST(LtspiceGates, Astable555Frequency) {
  // a 555 astable from LTspice's parts: two comparators (Schmitt triggers on differential
  // inputs against 2/3 and 1/3 of 5 V), an SR flip-flop and a discharge switch; its period is
  // ln 2 (Ra + 2 Rb) C (1.44 / ((Ra + 2 Rb) C) in frequency): 145.6 us for 1k, 10k, 10 nF
  const std::string net = R"(t
vcc vcc 0 5
r1 vcc hi 10k
r2 hi lo 10k
r3 lo 0 10k
ra vcc dis 1k
rb dis c 10k
c1 c 0 10n
a1 c hi 0 0 0 0 rst 0 SCHMITT vt=0 vh=0
a2 lo c 0 0 0 0 set 0 SCHMITT vt=0 vh=0
a3 set rst 0 0 0 qb q 0 SRFLOP vhigh=5 ref=0.5
s1 dis 0 qb 0 sdis
.model sdis sw(vt=2.5 vh=0.1 ron=1m roff=1g)
.tran 1u 2m
)";
  for (const char* mode : kModes) {
    const auto r = runOk(withMode(net, mode));
    const auto& tr = r.get(AnalysisType::Tran);
    std::vector<double> edges;  // (rising and falling alternate: every other one is a period)
    for (double t = 0.3e-3;;) {
      const double u = crossing(tr, "v(q)", 2.5, t);
      if (std::isnan(u)) break;
      edges.push_back(u);
      t = u + 10e-6;
    }
    ASSERT_GE(edges.size(), 16u) << mode;
    const std::size_t j = (edges.size() - 1) / 2;
    const double period = (edges[2 * j] - edges[0]) / double(j);
    EXPECT_NEAR(period, std::log(2.0) * 21e3 * 10e-9, 1e-3 * period) << mode;
    EXPECT_NEAR(1.0 / period, 1.44 / (21e3 * 10e-9), 0.01 / period) << mode;
  }
}

TEST(LtspiceGates, OperatingPointFollowsTheInputs) {
  // an SR latch of two NORs (ORs from terminal 6) settles; a gate chain's DC levels
  const auto r = runOk(R"(t
vs s 0 1
va a 0 2
a1 s qb 0 0 0 q 0 0 OR
a2 0 q 0 0 0 qb 0 0 OR
a3 a 0 0 0 0 n1 0 0 BUF vhigh=3
a4 n1 0 0 0 0 0 n2 0 BUF vhigh=3
r1 n2 0 1
.op
.end
)");
  const auto& op = r.get(AnalysisType::Op);
  EXPECT_NEAR(op.col("v(q)")[0], 0.0, 1e-9);
  EXPECT_NEAR(op.col("v(qb)")[0], 1.0, 1e-9);
  EXPECT_NEAR(op.col("v(n1)")[0], 0.0, 1e-9);
  EXPECT_NEAR(op.col("v(n2)")[0], 0.0, 1e-9);
}

TEST(LtspiceGates, ModelOfThatNameWinsAndErrors) {
  // a .model named 'and' makes the card an XSPICE card (here of the wrong shape: its error)
  Error e = runErr("t\nv1 a 0 1\na1 a a 0 0 0 0 y 0 and\n.model and d_and\n.op\n.end\n");
  EXPECT_EQ(e.message.find("LTspice"), std::string::npos) << e.message;
  // an unknown parameter, located
  e = runErr("t\nv1 a 0 1\na1 a 0 0 0 0 0 y 0 AND vhi=5\n.op\n.end\n");
  EXPECT_NE(e.message.find("vhi"), std::string::npos) << e.message;
  EXPECT_EQ(e.loc.line, 3);
  // a Schmitt parameter on a gate
  e = runErr("t\nv1 a 0 1\na1 a 0 0 0 0 0 y 0 AND vt=1\n.op\n.end\n");
  EXPECT_NE(e.message.find("vt"), std::string::npos) << e.message;
  // LTspice's special functions simcore does not model
  e = runErr("t\nv1 a 0 1\na1 a 0 0 0 0 0 y 0 COUNTER cycles=2\n.op\n.end\n");
  EXPECT_NE(e.message.find("COUNTER"), std::string::npos) << e.message;
  EXPECT_EQ(e.loc.line, 3);
  // seven nodes: not the special-function form (the name is read as an XSPICE model)
  e = runErr("t\nv1 a 0 1\na1 a 0 0 0 0 y 0 AND\n.op\n.end\n");
  EXPECT_EQ(e.loc.line, 3) << e.message;
  // bad values
  e = runErr("t\nv1 a 0 1\na1 a 0 0 0 0 0 y 0 SCHMITT vh=-0.1\n.op\n.end\n");
  EXPECT_NE(e.message.find("vh"), std::string::npos) << e.message;
  e = runErr("t\nv1 a 0 1\na1 a 0 0 0 0 0 y 0 BUF rout=0\n.op\n.end\n");
  EXPECT_NE(e.message.find("rout"), std::string::npos) << e.message;
}

}  // namespace
}  // namespace simcore::testing
