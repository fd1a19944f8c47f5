// Digital code models (A cards with XSPICE's digital models) and the
// bridges: port types and their errors, gate truth tables with U, delays,
// flip-flops (edges, set/reset, ic), the oscillator, and the bridges'
// thresholds and ramps, in the event engine and in SPICE mode.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "test_kernel_support.cpp"

namespace simcore::testing {
namespace {

const char* const kModes[] = {"event", "spice"};

// Times at which column `name` reaches `level` going up (up) or down, read
// off the rows (a digital node jumps between two rows at the same time).
std::vector<double> crossings(const Collected& c, const std::string& name, double level, bool up) {
  std::vector<double> out;
  const auto& y = c.col(name);
  for (std::size_t k = 1; k < y.size(); ++k)
    if (up ? (y[k - 1] < level && y[k] >= level) : (y[k - 1] > level && y[k] <= level)) {
      const double f = (level - y[k - 1]) / (y[k] - y[k - 1]);
      out.push_back(c.x[k - 1] + f * (c.x[k] - c.x[k - 1]));
    }
  return out;
}

void expectTimes(const std::vector<double>& got, const std::vector<double>& want, double tol, const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t k = 0; k < want.size(); ++k) EXPECT_NEAR(got[k], want[k], tol) << what << " #" << k;
}

// ---------------------------------------------------------------- cards and ports

TEST(DigitalCard, PortTypesAreRecorded) {
  auto c = ir::parseNetlist("t\na1 %d [a %d b NULL] y g\na2 [%v x] %d [q] b\n.model g d_and\n.model b adc_bridge\n.end\n");
  ASSERT_TRUE(c.ok()) << c.error().format();
  using PT = ir::Device::PortType;
  const ir::Device& a1 = c.value().devices[0];
  ASSERT_EQ(a1.ports, (std::vector<int>{3, 1}));
  EXPECT_EQ(a1.portTypes, (std::vector<PT>{PT::D, PT::D, PT::Null, PT::Plain}));
  EXPECT_EQ(a1.nodes[4], "0");
  EXPECT_EQ(a1.nodes[5], "0");
  const ir::Device& a2 = c.value().devices[1];
  EXPECT_EQ(a2.portTypes, (std::vector<PT>{PT::V, PT::D}));
}

TEST(DigitalCard, PortTypeErrorsAreLocated) {
  // %d on an analog model
  Error e = runErr("t\nv1 a 0 1\na1 %d a b g\nr1 b 0 1\n.model g gain\n.op\n.end\n");
  EXPECT_EQ(e.loc.line, 3);
  EXPECT_NE(e.message.find("port 'in' of gain block 'a1' (gain) is analog"), std::string::npos) << e.message;
  // %v on a digital port
  e = runErr("t\na9 out hi\n.model hi d_pullup\na1 %v(out) y inv\n.model inv d_inverter\nr1 y 0 1\n.op\n.end\n");
  EXPECT_EQ(e.loc.line, 4);
  EXPECT_NE(e.message.find("port 'in' of digital inverter 'a1' (d_inverter) is digital"), std::string::npos)
      << e.message;
  // a wrong port count names the model
  e = runErr("t\na9 out hi\n.model hi d_pullup\na1 out y z inv\n.model inv d_inverter\nr1 y 0 1\n.op\n.end\n");
  EXPECT_NE(e.message.find("(d_inverter) takes the ports in out"), std::string::npos) << e.message;
  // a gate needs two inputs; NULL only where XSPICE allows it
  e = runErr("t\na9 out hi\n.model hi d_pullup\na1 [out] y g\n.model g d_and\nr1 y 0 1\n.op\n.end\n");
  EXPECT_NE(e.message.find("at least two inputs"), std::string::npos) << e.message;
  e = runErr("t\na9 out hi\n.model hi d_pullup\na1 NULL y inv\n.model inv d_inverter\nr1 y 0 1\n.op\n.end\n");
  EXPECT_NE(e.message.find("must be connected"), std::string::npos) << e.message;
  // a port type XSPICE does not have
  const auto p = ir::parseNetlist("t\na1 %q(a) b g\n.model g gain\n.end\n");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message.find("not supported"), std::string::npos) << p.error().message;
}

// ---------------------------------------------------------------- gates

// Every gate at the operating point for inputs from pull-ups and pull-downs
// and a U from an adc_bridge between its thresholds.
TEST(DigitalGates, TruthTablesWithUnknown) {
  struct Case {
    const char* type;
    const char* in;  // three inputs from {one zero unk}
    double want;
  };
  const Case cases[] = {
      {"d_and", "one one one", 1},    {"d_and", "one zero unk", 0},   {"d_and", "one one unk", 0.5},
      {"d_nand", "one one one", 0},   {"d_nand", "zero unk unk", 1},  {"d_nand", "one unk one", 0.5},
      {"d_or", "zero zero zero", 0},  {"d_or", "one unk zero", 1},    {"d_or", "zero unk zero", 0.5},
      {"d_nor", "zero zero zero", 1}, {"d_nor", "unk one unk", 0},    {"d_nor", "unk zero zero", 0.5},
      {"d_xor", "one one one", 1},    {"d_xor", "one one zero", 0},   {"d_xor", "one unk zero", 0.5},
      {"d_xnor", "one zero zero", 0}, {"d_xnor", "one one zero", 1},  {"d_xnor", "unk one one", 0.5},
  };
  for (const Case& k : cases) {
    const std::string net = std::string("t\n") +
                            "a1 one up\n.model up d_pullup\n"
                            "a2 zero down\n.model down d_pulldown\n"
                            "v1 mid 0 0.5\na3 [mid] [unk] adc\n.model adc adc_bridge(in_low=0.1 in_high=0.9)\n"
                            "a4 [" + k.in + "] y g\n.model g " + k.type + "\n.op\n.end\n";
    const auto r = runOk(net);
    EXPECT_DOUBLE_EQ(r.get(AnalysisType::Op).col("v(y)")[0], k.want) << k.type << " " << k.in;
  }
  for (const char* t : {"d_buffer", "d_inverter"}) {
    const auto r = runOk(std::string("t\na1 one up\n.model up d_pullup\na2 one y g\n.model g ") + t + "\n.op\n.end\n");
    EXPECT_DOUBLE_EQ(r.get(AnalysisType::Op).col("v(y)")[0], std::string(t) == "d_buffer" ? 1.0 : 0.0) << t;
  }
}

// A chain of gates with rise and fall delays behind an oscillator: every
// edge lands exactly at the sum of the delays, in both engines.
TEST(DigitalGates, DelaysAddUpAlongAChain) {
  for (const char* mode : kModes) {
    const std::string net = std::string(R"(chain
a1 0 clk osc
.model osc d_osc(cntl_array=[0 1] freq_array=[10meg 10meg] rise_delay=1n fall_delay=2n)
a2 clk n1 inv
.model inv d_inverter(rise_delay=3n fall_delay=5n)
a3 [n1 clk] n2 nand
.model nand d_nand(rise_delay=7n fall_delay=11n)
a4 [n2 one] n3 and
a5 one up
.model up d_pullup
.model and d_and(rise_delay=13n fall_delay=3n)
a6 n2 n4 buf
.model buf d_buffer(rise_delay=1n fall_delay=5n)
.tran 1n 300n
.options switching=)") + mode + "\n.end\n";
    const auto r = runOk(net);
    const auto& tr = r.get(AnalysisType::Tran);
    // clk: rises at 50n + 1n, falls at 100n + 2n, ...
    expectTimes(crossings(tr, "v(clk)", 0.5, true), {51e-9, 151e-9, 251e-9}, 1e-12, std::string(mode) + " clk up");
    expectTimes(crossings(tr, "v(clk)", 0.5, false), {102e-9, 202e-9}, 1e-12, std::string(mode) + " clk down");
    // n1 = not clk: falls 5n after clk rises, rises 3n after clk falls
    expectTimes(crossings(tr, "v(n1)", 0.5, false), {56e-9, 156e-9, 256e-9}, 1e-12, std::string(mode) + " n1 down");
    expectTimes(crossings(tr, "v(n1)", 0.5, true), {105e-9, 205e-9}, 1e-12, std::string(mode) + " n1 up");
    // n2 = nand(n1, clk): low while both are 1 (51n..56n): a pulse shorter than the delays
    // still passes (transport delay): falls at 51+11, rises at 56+7
    expectTimes(crossings(tr, "v(n2)", 0.5, false), {62e-9, 162e-9, 262e-9}, 1e-12, std::string(mode) + " n2 down");
    expectTimes(crossings(tr, "v(n2)", 0.5, true), {63e-9, 163e-9, 263e-9}, 1e-12, std::string(mode) + " n2 up");
    expectTimes(crossings(tr, "v(n3)", 0.5, false), {65e-9, 165e-9, 265e-9}, 1e-12, std::string(mode) + " n3 down");
    expectTimes(crossings(tr, "v(n3)", 0.5, true), {76e-9, 176e-9, 276e-9}, 1e-12, std::string(mode) + " n3 up");
    // n4 = buffer(n2): the fall scheduled for 62n + 5n is removed by the rise
    // scheduled earlier, for 63n + 1n (XSPICE's output queue): n4 stays 1
    EXPECT_TRUE(crossings(tr, "v(n4)", 0.5, false).empty()) << mode;
    EXPECT_DOUBLE_EQ(tr.col("v(n4)").back(), 1.0) << mode;
  }
}

// inertial_delay (ngspice 40's switch; ngspice's newer examples set it) is read
// and ignored, as ngspice 39 ignores it: a pulse shorter than the delays still
// passes (transport delay); a value other than false or true is an error.
TEST(DigitalGates, InertialDelayIsIgnoredAsByNgspice39) {
  for (const char* mode : kModes) {
    const std::string net = std::string(R"(inertial
a1 0 clk osc
.model osc d_osc(cntl_array=[0 1] freq_array=[10meg 10meg] rise_delay=1n fall_delay=2n)
a2 clk n1 inv
.model inv d_inverter(rise_delay=3n fall_delay=5n inertial_delay=false)
a3 [n1 clk] n2 nand
.model nand d_nand(rise_delay=7n fall_delay=11n inertial_delay=true)
.tran 1n 200n
.options switching=)") + mode + "\n.end\n";
    const auto r = runOk(net);
    const auto& tr = r.get(AnalysisType::Tran);
    expectTimes(crossings(tr, "v(n2)", 0.5, false), {62e-9, 162e-9}, 1e-12, std::string(mode) + " n2 down");
    expectTimes(crossings(tr, "v(n2)", 0.5, true), {63e-9, 163e-9}, 1e-12, std::string(mode) + " n2 up");
  }
  const Error e = runErr("bad\na1 [a b] y g\n.model g d_and(inertial_delay=maybe)\nv1 a 0 0\nv2 b 0 0\n.tran 1n 10n\n");
  EXPECT_NE(e.message.find("inertial_delay"), std::string::npos) << e.message;
}

// ---------------------------------------------------------------- flip-flops

TEST(DigitalFlipFlops, DffTogglesOnRisingEdgesAndResets) {
  for (const char* mode : kModes) {
    const std::string net = std::string(R"(dff
a1 0 clk osc
.model osc d_osc(cntl_array=[0 1] freq_array=[10meg 10meg] rise_delay=1n fall_delay=1n)
a2 qn clk NULL rst q qn dff
.model dff d_dff(clk_delay=2n reset_delay=4n rise_delay=1n fall_delay=3n ic=1)
vr r 0 pwl(0 0 400n 0 400.1n 1 500n 1 500.1n 0)
a3 [r] [rst] adc
.model adc adc_bridge(in_low=0.5 in_high=0.5 rise_delay=1n fall_delay=1n)
.tran 1n 800n
.options switching=)") + mode + "\n.end\n";
    const auto r = runOk(net);
    const auto& tr = r.get(AnalysisType::Tran);
    EXPECT_DOUBLE_EQ(tr.col("v(q)")[0], 1.0) << mode;  // ic
    EXPECT_DOUBLE_EQ(tr.col("v(qn)")[0], 0.0) << mode;
    // clock edges at 51n, 151n, 251n, 351n; q toggles 2n + 3n (fall) / 2n + 1n (rise) later
    // reset rises 1n after the adc's first time point past 0.5 V (r crosses it at 400.05n) while
    // q is 1 (after 351 + 3): q falls 4n + 3n later; the clock edge at 451n is ignored while
    // reset is 1; 551n, 651n, 751n toggle again
    const double seen = firstRowWhere(tr, "v(r)", [](double v) { return v >= 0.5; });
    EXPECT_GT(seen, 400.05e-9) << mode;
    EXPECT_LE(seen, 400.1e-9 * (1 + 1e-12)) << mode;  // (the ramp's end is a breakpoint)
    const auto up = crossings(tr, "v(q)", 0.5, true);
    expectTimes(up, {154e-9, 354e-9, 554e-9, 754e-9}, 1e-12, std::string(mode) + " q up");
    expectTimes(crossings(tr, "v(q)", 0.5, false), {56e-9, 256e-9, seen + 1e-9 + 7e-9, 656e-9}, 1e-11,
                std::string(mode) + " q down");
  }
}

// reset_delay = 0 (ngspice's delta-sigma example): the output follows after
// fall_delay alone; rise/fall delays of 0 stay an error
TEST(DigitalFlipFlops, ZeroResetDelayAddsOnlyTheFallDelay) {
  const std::string net = R"(dff0
a1 0 clk osc
.model osc d_osc(cntl_array=[0 1] freq_array=[10meg 10meg] rise_delay=1n fall_delay=1n)
a2 qn clk NULL rst q qn dff
.model dff d_dff(clk_delay=2n reset_delay=0 rise_delay=1n fall_delay=3n ic=1)
vr r 0 pwl(0 0 400n 0 400.1n 1 500n 1 500.1n 0)
a3 [r] [rst] adc
.model adc adc_bridge(in_low=0.5 in_high=0.5 rise_delay=1n fall_delay=1n)
.tran 1n 800n
.end
)";
  const auto r = runOk(net);
  const auto& tr = r.get(AnalysisType::Tran);
  // (reset rises 1n after the adc's first time point at or above 0.5 V)
  const double seen = firstRowWhere(tr, "v(r)", [](double v) { return v >= 0.5; });
  expectTimes(crossings(tr, "v(q)", 0.5, false), {56e-9, 256e-9, seen + 1e-9 + 3e-9, 656e-9}, 1e-11, "q down");
  std::string bad = net;
  bad.replace(bad.find("rise_delay=1n fall_delay=3n"), 27, "rise_delay=0 fall_delay=3n");
  const Error e = runErr(bad);
  EXPECT_NE(e.message.find("rise_delay and fall_delay must be positive"), std::string::npos) << e.message;
}

// A digital output on a node a voltage source drives (two digital outputs
// on one node resolve: test_devices_xspice_resolved.cpp): the output reaches
// the analog node through an automatic dac_bridge (netlist/auto_bridge.cpp),
// and the error names the bridge, the node and the digital output's card
TEST(DigitalGates, OutputOnASourcesNodeIsNamed) {
  const Error e = runErr("t\na1 0 clk osc\n.model osc d_osc(cntl_array=[0 1] freq_array=[10meg 10meg])\n"
                         "v3 y 0 1\na3 clk y inv\n.model inv d_inverter\n.tran 1n 100n\n.end\n");
  EXPECT_EQ(e.code, ErrorCode::Topology);
  EXPECT_NE(e.message.find("the automatic dac_bridge 'auto_dac1' of the digital outputs on it drives node 'y', which "
                           "another output or source already drives"),
            std::string::npos)
      << e.message;
  EXPECT_EQ(e.loc.line, 5);
  // and on a node that two digital outputs drive (one bridge for both, at the first one's card)
  const Error w = runErr("t\na1 0 clk osc\n.model osc d_osc(cntl_array=[0 1] freq_array=[10meg 10meg])\n"
                         "a2 clk y inv\na3 clk y inv\nv3 y 0 1\n.model inv d_inverter\n.tran 1n 100n\n.end\n");
  EXPECT_EQ(w.code, ErrorCode::Topology) << w.message;
  EXPECT_NE(w.message.find("'auto_dac1' of the digital outputs on it drives node 'y'"), std::string::npos)
      << w.message;
  EXPECT_EQ(w.loc.line, 4);
}

TEST(DigitalFlipFlops, JkTSrAndLatchNextStates) {
  // one clock edge at 51n; outputs read at 100n
  struct Case {
    const char* card;  // the flip-flop on inputs one/zero, clock clk, out q
    double ic, want;
  };
  const Case cases[] = {
      {"a9 one one clk NULL NULL q NULL ff\n.model ff d_jkff", 0, 1},   // toggle
      {"a9 one one clk NULL NULL q NULL ff\n.model ff d_jkff", 1, 0},
      {"a9 zero zero clk NULL NULL q NULL ff\n.model ff d_jkff", 1, 1},  // hold
      {"a9 zero one clk NULL NULL q NULL ff\n.model ff d_jkff", 1, 0},   // k resets
      {"a9 one zero clk NULL NULL q NULL ff\n.model ff d_jkff", 0, 1},   // j sets
      {"a9 one clk NULL NULL q NULL ff\n.model ff d_tff", 1, 0},
      {"a9 zero clk NULL NULL q NULL ff\n.model ff d_tff", 1, 1},
      {"a9 one zero clk NULL NULL q NULL ff\n.model ff d_srff", 0, 1},
      {"a9 zero one clk NULL NULL q NULL ff\n.model ff d_srff", 1, 0},
      {"a9 one one clk NULL NULL q NULL ff\n.model ff d_srff", 0, 0.5},
      {"a9 zero zero clk NULL NULL q NULL ff\n.model ff d_srff", 2, 0.5},
      {"a9 one clk NULL NULL q NULL ff\n.model ff d_dlatch", 0, 1},  // enabled by the clock
      {"a9 one zero NULL NULL q NULL ff\n.model ff d_dlatch", 0, 0},  // never enabled
      {"a9 zero one NULL zero q NULL ff\n.model ff d_dlatch", 1, 0},  // transparent from the start
  };
  for (const Case& k : cases) {
    const std::string net = std::string("t\na1 one up\n.model up d_pullup\na2 zero down\n.model down d_pulldown\n") +
                            "a3 0 clk osc\n.model osc d_osc(cntl_array=[0 1] freq_array=[10meg 10meg])\n" + k.card +
                            "(ic=" + std::to_string(int(k.ic)) + ")\n.tran 1n 100n\n.end\n";
    const auto r = runOk(net);
    const auto& tr = r.get(AnalysisType::Tran);
    EXPECT_DOUBLE_EQ(tr.col("v(q)").back(), k.want) << k.card << " ic=" << k.ic;
  }
}

TEST(DigitalFlipFlops, SetAndResetAtTheOperatingPoint) {
  const auto r = runOk(R"(t
a1 one up
.model up d_pullup
a2 zero down
.model down d_pulldown
a3 zero zero one zero q1 n1 ff
a4 zero zero zero one q2 n2 ff
a5 zero zero one one q3 n3 ff
.model ff d_dff(ic=0)
.op
.end
)");
  const auto& op = r.get(AnalysisType::Op);
  EXPECT_DOUBLE_EQ(op.col("v(q1)")[0], 1.0);
  EXPECT_DOUBLE_EQ(op.col("v(n1)")[0], 0.0);
  EXPECT_DOUBLE_EQ(op.col("v(q2)")[0], 0.0);
  EXPECT_DOUBLE_EQ(op.col("v(q3)")[0], 0.5);
  EXPECT_DOUBLE_EQ(op.col("v(n3)")[0], 0.5);
}

TEST(DigitalFlipFlops, UicStartsFromIcAndTheInitialInputs) {
  // no operating point: the flip-flop starts at ic, the inverter from its
  // input's node at t = 0, the dac at the level of its input
  const auto r = runOk(R"(t
a1 zero zero NULL NULL q qn ff
.model ff d_dff(ic=1)
a2 zero pd
.model pd d_pulldown
a4 q nq inv
.model inv d_inverter
a5 [nq] [out] dac
.model dac dac_bridge(out_low=-2 out_high=2)
r1 out 0 1k
.tran 1n 20n uic
.end
)");
  const auto& tr = r.get(AnalysisType::Tran);
  EXPECT_DOUBLE_EQ(tr.col("v(q)").back(), 1.0);
  EXPECT_DOUBLE_EQ(tr.col("v(qn)").back(), 0.0);
  EXPECT_DOUBLE_EQ(tr.col("v(nq)").back(), 0.0);
  EXPECT_DOUBLE_EQ(tr.col("v(out)").back(), -2.0);
}

// ---------------------------------------------------------------- oscillator

TEST(DigitalOsc, DutyPhaseAndControlledFrequency) {
  // 25 % duty at init_phase 270: low until the phase's fraction reaches 0.75
  // of the next cycle (t = 1/f), high 0.25/f; frequency 1 MHz + 1 MHz/V at 2 V: 3 MHz
  const auto r = runOk(R"(t
v1 c 0 2
a1 c out osc
.model osc d_osc(cntl_array=[0 1] freq_array=[1meg 2meg] duty_cycle=0.25 init_phase=270 rise_delay=0 fall_delay=0)
.tran 1n 1.2u
.end
)");
  const auto& tr = r.get(AnalysisType::Tran);
  const double T = 1.0 / 3e6;
  expectTimes(crossings(tr, "v(out)", 0.5, true), {T, 2 * T, 3 * T}, 1e-12, "up");
  expectTimes(crossings(tr, "v(out)", 0.5, false), {1.25 * T, 2.25 * T, 3.25 * T}, 1e-12, "down");
  EXPECT_DOUBLE_EQ(tr.col("v(out)")[0], 0.0);
}

// ---------------------------------------------------------------- bridges

// The adc_bridge reads its input at the time points, as ngspice 39's (a
// hybrid called after each converged analog point): an output changes its
// delay after the first point past a threshold, not after the crossing
// itself. With TSTEP 10n the points lie up to 10n (SPICE mode) or 20n (event
// mode) apart, so the first point past a threshold is well after it.
TEST(DigitalBridges, AdcReadsAtTimePointsAndDacRamps) {
  for (const char* mode : kModes) {
    // a ramp 0..1 V over 1 us: crosses 0.2 at 200 ns and 0.7 at 700 ns;
    // out: U 5n (rise_delay from 0) after the first point above 0.2, 1 5n after the first at or above 0.7
    const std::string net = std::string(R"(t
v1 in 0 pwl(0 0 1u 1)
a1 [in] [d] adc
.model adc adc_bridge(in_low=0.2 in_high=0.7 rise_delay=5n fall_delay=9n)
a2 [d] [out] dac
.model dac dac_bridge(out_low=-1 out_high=3 out_undef=2 t_rise=40n t_fall=80n)
r1 out 0 1k
.tran 10n 1u
.options switching=)") + mode + "\n.end\n";
    const auto r = runOk(net);
    const auto& tr = r.get(AnalysisType::Tran);
    EXPECT_DOUBLE_EQ(tr.col("v(out)")[0], -1.0) << mode;
    const double toU = firstRowWhere(tr, "v(in)", [](double v) { return v > 0.2; });
    const double to1 = firstRowWhere(tr, "v(in)", [](double v) { return v >= 0.7; });
    // (a point past the crossing, not at it: the located crossing would switch at 205n and 705n)
    EXPECT_GT(toU, 200e-9 + 1e-10) << mode;
    EXPECT_GT(to1, 700e-9 + 1e-10) << mode;
    EXPECT_LE(toU, 220e-9) << mode;
    EXPECT_LE(to1, 720e-9) << mode;
    expectTimes(crossings(tr, "v(d)", 0.25, true), {toU + 5e-9}, 1e-11, std::string(mode) + " d to U");
    expectTimes(crossings(tr, "v(d)", 0.75, true), {to1 + 5e-9}, 1e-11, std::string(mode) + " d to 1");
    // the dac ramps up at 4 V / 40 ns: -1 to 2 takes 30 ns, 2 to 3 takes 10 ns
    expectTimes(crossings(tr, "v(out)", 0.5, true), {toU + 5e-9 + 15e-9}, 1e-11, std::string(mode) + " ramp");
    expectTimes(crossings(tr, "v(out)", 2.5, true), {to1 + 5e-9 + 5e-9}, 1e-11, std::string(mode) + " ramp 2");
    EXPECT_NEAR(tr.col("v(out)").back(), 3.0, 1e-12) << mode;
  }
}

// uic: no operating point, but the digital states still start consistent at
// t = 0 (as ngspice's event-driven network does): the divider's initial 1
// is no rising clock edge for the flip-flop it drives (Q keeps its unknown
// ic until the divider's next rise at 5 input periods), and the dac starts
// at the levels instead of ramping from 0 V.
TEST(DigitalBridges, UicStartsTheDigitalStatesConsistent) {
  for (const char* mode : kModes) {
    const std::string net = std::string(R"(t
v1 in 0 pulse(0 1 10n 1n 1n 9n 20n)
a1 [in] [ck] adc
.model adc adc_bridge(in_low=0.5 in_high=0.5)
a2 ck div fdiv
.model fdiv d_fdiv(div_factor=6 high_cycles=3 i_count=2)
a3 one p
.model p d_pullup
a4 zero n
.model n d_pulldown
a5 one div zero zero q qn ff
.model ff d_dff(ic=2)
a6 [div q] [adiv aq] dac
.model dac dac_bridge(out_low=0 out_high=1 out_undef=0.5)
r1 aq 0 1k
r2 adiv 0 1k
.tran 1n 200n uic
.options switching=)") + mode + "\n.end\n";
    const auto r = runOk(net);
    const auto& tr = r.get(AnalysisType::Tran);
    EXPECT_DOUBLE_EQ(tr.col("v(adiv)")[0], 1.0) << mode;
    // clock edges at 11.5, 31.5, ... ns: the count goes 2 -> 3 -> 4 (the
    // divider falls at 31.5 ns + 1 ns) and reaches 7 = div_factor + 1 at the
    // fifth (it rises at 92.5 ns); Q stays U (0.5 V) until then
    for (std::size_t k = 0; k < tr.rows; ++k)
      if (tr.x[k] < 92e-9) EXPECT_DOUBLE_EQ(tr.col("v(aq)")[k], 0.5) << mode << " t=" << tr.x[k];
    EXPECT_NEAR(tr.col("v(aq)").back(), 1.0, 1e-9) << mode;
  }
}

TEST(DigitalBridges, VectorsMustMatch) {
  const Error e = runErr("t\nv1 a 0 1\na1 [a a] [d] adc\n.model adc adc_bridge\n.op\n.end\n");
  EXPECT_NE(e.message.find("as many outputs as inputs"), std::string::npos) << e.message;
}

TEST(DigitalBridges, FallingRampAndReversal) {
  // the input falls at 100n (dac ramps down at 4 V/80 ns) and rises again at
  // 120n before the ramp ends: the new ramp starts where the output is
  const auto r = runOk(R"(t
v1 in 0 pwl(0 1 100n 1 100.001n 0 120n 0 120.001n 1)
a1 [in] [d] adc
.model adc adc_bridge(in_low=0.5 in_high=0.5 rise_delay=1e-12 fall_delay=1e-12)
a2 [d] [out] dac
.model dac dac_bridge(out_low=-1 out_high=3 t_rise=40n t_fall=80n)
r1 out 0 1k
.tran 1n 300n
.end
)");
  const auto& tr = r.get(AnalysisType::Tran);
  // down 20 ns at 0.05 V/ns: 3 -> 2; then up at 0.1 V/ns: back at 3 after 10 ns
  EXPECT_TRUE(crossings(tr, "v(out)", 1.9, false).empty());  // it turns at 2 V
  expectTimes(crossings(tr, "v(out)", 2.5, false), {110.0005e-9 + 1e-12}, 2e-12, "down");
  expectTimes(crossings(tr, "v(out)", 2.5, true), {125.0005e-9 + 1e-12}, 2e-12, "up");
}

// ngspice 39 evaluates the digital instances of the operating point in card
// order, each seeing at once the outputs of those before it (EVTop): of a
// NOR latch with both inputs low the gate on the earlier card goes high (the
// two gates evaluated together would flip in step for ever). Values from
// ngspice 39 on these decks; the transient then holds the state (no ring).
TEST(DigitalGates, LatchOfGatesSettlesInCardOrder) {
  auto deck = [](bool qFirst, const char* modelQ, bool uic) {
    std::string q = std::string("a1 [r qn] q ") + modelQ + "\n", qn = "a2 [s q] qn nor1\n";
    return std::string("latch\n") + (qFirst ? q + qn : qn + q) +
           ".model nor1 d_nor(rise_delay=1n fall_delay=1n)\n.model nor2 d_nor(rise_delay=2n fall_delay=2n)\n"
           "v1 vs 0 0\nv2 vr 0 0\na3 [vs vr] [s r] adc1\n.model adc1 adc_bridge(in_low=1 in_high=2)\n"
           "a4 [q qn] [vq vqn] dac1\n.model dac1 dac_bridge(out_low=0 out_high=5)\nr1 vq 0 1k\nr2 vqn 0 1k\n" +
           std::string(uic ? ".tran 1n 50n uic\n.end\n" : ".tran 1n 50n\n.end\n");
  };
  // (the order is the cards', whatever the models; with uic too, as ngspice 39)
  for (bool uic : {false, true})
  for (const char* model : {"nor1", "nor2"})
    for (bool qFirst : {true, false}) {
      const auto r = runOk(deck(qFirst, model, uic));
      const auto& tr = r.get(AnalysisType::Tran);
      const double q = qFirst ? 5.0 : 0.0;
      EXPECT_NEAR(tr.col("v(vq)").front(), q, 1e-9) << model << qFirst << uic;
      EXPECT_NEAR(tr.col("v(vqn)").front(), 5.0 - q, 1e-9) << model << qFirst << uic;
      EXPECT_NEAR(tr.col("v(vq)").back(), q, 1e-9) << model << qFirst << uic;
      EXPECT_LT(tr.rows, 200u) << "the latch rings";
    }
}

}  // namespace
}  // namespace simcore::testing
