// Resolved digital outputs (XSPICE's d_tristate, d_open_c, d_open_e and the
// resistive d_pullup / d_pulldown): several drivers on one digital node
// resolve by strength (strong over resistive over hi-impedance, equal
// strengths that disagree: U, an undetermined U against anything that
// disagrees: U), the strength each model gives its output, and the delays of
// state and strength changes, in the event engine and in SPICE mode.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_kernel_support.cpp"

namespace simcore::testing {
namespace {

const char* const kModes[] = {"event", "spice"};

// The logic state a digital input reads from a node voltage.
double logicOf(double v) { return v > 0.75 ? 1.0 : v < 0.25 ? 0.0 : 0.5; }

// one, zero and unk are constant digital nodes: a pull-up, a pull-down and a
// U from an adc_bridge between its thresholds.
const std::string kLevels =
    "a91 one up\n.model up d_pullup\n"
    "a92 zero down\n.model down d_pulldown\n"
    "v91 mid 0 0.5\na93 [mid] [unk] adc\n.model adc adc_bridge(in_low=0.1 in_high=0.9)\n"
    ".model tri d_tristate\n.model oc d_open_c\n.model oe d_open_e\n";

double opState(const std::string& drivers) {
  const auto r = runOk("t\n" + kLevels + drivers + ".op\n.end\n");
  return logicOf(r.get(AnalysisType::Op).col("v(bus)")[0]);
}

TEST(XspiceResolved, TristateBus) {
  // enabled (strong) over disabled (hi-impedance), whatever the disabled one's state
  EXPECT_EQ(opState("a1 one one bus tri\na2 zero zero bus tri\n"), 1.0);
  EXPECT_EQ(opState("a1 zero one bus tri\na2 one zero bus tri\n"), 0.0);
  // two enabled that disagree: U; that agree: their state
  EXPECT_EQ(opState("a1 one one bus tri\na2 zero one bus tri\n"), 0.5);
  EXPECT_EQ(opState("a1 zero one bus tri\na2 zero one bus tri\n"), 0.0);
  // a lone disabled driver still gives its state; two disagreeing: U
  EXPECT_EQ(opState("a1 one zero bus tri\n"), 1.0);
  EXPECT_EQ(opState("a1 one zero bus tri\na2 zero zero bus tri\n"), 0.5);
  // resistive over hi-impedance, strong over resistive
  EXPECT_EQ(opState("a1 zero zero bus tri\na2 bus up\n"), 1.0);
  EXPECT_EQ(opState("a1 zero one bus tri\na2 bus up\n"), 0.0);
  // an undetermined enable (strength u) against a strong driver that disagrees: U
  EXPECT_EQ(opState("a1 one unk bus tri\na2 zero one bus tri\n"), 0.5);
  EXPECT_EQ(opState("a1 zero unk bus tri\na2 zero one bus tri\n"), 0.0);
  // a strong U wins against up to three strong drivers that disagree
  EXPECT_EQ(opState("a1 unk one bus tri\na2 one one bus tri\na3 one one bus tri\na4 one one bus tri\n"), 0.5);
}

TEST(XspiceResolved, WiredAndOr) {
  // open collector: 0 strong, 1 open; with a pull-up, any 0 wins
  EXPECT_EQ(opState("a1 one bus oc\na2 one bus oc\na3 bus up\n"), 1.0);
  EXPECT_EQ(opState("a1 one bus oc\na2 zero bus oc\na3 bus up\n"), 0.0);
  // an undetermined U (input U) beside it: U; beside a strong 0: U (it might be strong)
  EXPECT_EQ(opState("a1 one bus oc\na2 unk bus oc\na3 bus up\n"), 0.5);
  EXPECT_EQ(opState("a1 zero bus oc\na2 unk bus oc\na3 bus up\n"), 0.5);
  // open emitter: 1 strong, 0 open; with a pull-down, any 1 wins
  EXPECT_EQ(opState("a1 zero bus oe\na2 zero bus oe\na3 bus down\n"), 0.0);
  EXPECT_EQ(opState("a1 zero bus oe\na2 one bus oe\na3 bus down\n"), 1.0);
  // a pull-up against a pull-down: U
  EXPECT_EQ(opState("a1 bus up\na2 bus down\n"), 0.5);
}

TEST(XspiceResolved, IdealOutputBesideResolvedOnes) {
  // a gate (an ideal strong output) with a pull-down on its node: the gate's level exactly
  const auto r = runOk("t\n" + kLevels + "a1 zero bus inv\n.model inv d_inverter\na2 bus down\n.op\n.end\n");
  EXPECT_DOUBLE_EQ(r.get(AnalysisType::Op).col("v(bus)")[0], 1.0);
  // a lone resolved driver gives its level exactly
  const auto p = runOk("t\n" + kLevels + "a1 one one bus tri\n.op\n.end\n");
  EXPECT_DOUBLE_EQ(p.get(AnalysisType::Op).col("v(bus)")[0], 1.0);
}

// The first time after t0 at which the column reads `state`.
double firstState(const Collected& c, const std::string& name, double t0, double state) {
  const auto& y = c.col(name);
  for (std::size_t k = 0; k < c.x.size(); ++k)
    if (c.x[k] > t0 && logicOf(y[k]) == state) return c.x[k];
  return -1;
}

TEST(XspiceResolved, DelaysOfStateAndStrength) {
  for (const char* mode : kModes) {
    // en: 1 until 100n, then 0; d: 0 until 50n, then 1. A pull-down on the bus.
    // tristate: 1 at 50n + 3n (strong), then at 100n + 3n hi-impedance: the pull-down's 0.
    // open collector on d: 0 (strong) until 50n + open_delay 4n, then open: the pull-up's 1;
    // back to 0 at 150n + fall_delay 2n.
    const std::string net = std::string("t\n") + kLevels +
                            "ven ven 0 pwl(0 1 100n 1 100.01n 0)\nvd vd 0 pwl(0 0 50n 0 50.01n 1 150n 1 150.01n 0)\n"
                            "a1 [ven vd] [en d] adc2\n.model adc2 adc_bridge(in_low=0.5 in_high=0.5 rise_delay=1e-12 "
                            "fall_delay=1e-12)\n"
                            "a2 d en bus tri3\n.model tri3 d_tristate(delay=3n)\na3 bus down\n"
                            "a4 d wand oc2\n.model oc2 d_open_c(open_delay=4n fall_delay=2n)\na5 wand up\n"
                            "a6 d wor oe2\n.model oe2 d_open_e(rise_delay=5n open_delay=7n)\na7 wor down\n"
                            ".tran 1n 200n\n.options switching=" + mode + "\n.end\n";
    const auto r = runOk(net);
    const auto& tr = r.get(AnalysisType::Tran);
    const double tol = 0.02e-9;
    EXPECT_EQ(logicOf(tr.col("v(bus)")[0]), 0.0) << mode;
    EXPECT_NEAR(firstState(tr, "v(bus)", 0, 1.0), 53e-9, tol) << mode;
    EXPECT_NEAR(firstState(tr, "v(bus)", 60e-9, 0.0), 103e-9, tol) << mode;
    EXPECT_EQ(logicOf(tr.col("v(wand)")[0]), 0.0) << mode;
    EXPECT_NEAR(firstState(tr, "v(wand)", 0, 1.0), 54e-9, tol) << mode;
    EXPECT_NEAR(firstState(tr, "v(wand)", 60e-9, 0.0), 152e-9, tol) << mode;
    EXPECT_EQ(logicOf(tr.col("v(wor)")[0]), 0.0) << mode;
    EXPECT_NEAR(firstState(tr, "v(wor)", 0, 1.0), 55e-9, tol) << mode;
    EXPECT_NEAR(firstState(tr, "v(wor)", 60e-9, 0.0), 157e-9, tol) << mode;
  }
}

// Ordinary (strong) outputs wired together, as XSPICE resolves them
// (ngspice's count-latch-dac.cir drives one node from two flip-flops):
// strong 0 with strong 1 is U, a strong U beside anything is U, equal
// values agree, and a strong output still wins over a resistive one.
TEST(XspiceResolved, StrongOutputsOnOneNode) {
  const std::string gates = ".model inv d_inverter\n.model buf d_buffer\n";
  // agree: their state
  EXPECT_EQ(opState(gates + "a1 zero bus inv\na2 zero bus inv\n"), 1.0);
  EXPECT_EQ(opState(gates + "a1 zero bus buf\na2 one bus inv\n"), 0.0);
  // strong 0 against strong 1: U (whatever the kinds of the two)
  EXPECT_EQ(opState(gates + "a1 zero bus inv\na2 zero bus buf\n"), 0.5);
  EXPECT_EQ(opState(gates + "a1 zero bus inv\na2 zero one NULL NULL bus NULL ff\n"
                            ".model ff d_dff(ic=0)\n"), 0.5);
  // a strong U against strong 0s or 1s: U (up to three of them)
  EXPECT_EQ(opState(gates + "a1 unk bus buf\na2 one bus buf\n"), 0.5);
  EXPECT_EQ(opState(gates + "a1 unk bus buf\na2 one bus buf\na3 one bus buf\na4 zero bus buf\n"), 0.5);
  // three that agree, with a resistive pull-down that disagrees: their state
  EXPECT_EQ(opState(gates + "a1 one bus buf\na2 one bus buf\na3 zero bus inv\na4 bus down\n"), 1.0);
  // two strong outputs and an enabled tristate that disagrees: U
  EXPECT_EQ(opState(gates + "a1 one bus buf\na2 one bus buf\na3 zero one bus tri\n"), 0.5);
  // a lone driver that agrees still gives its level exactly
  const auto r = runOk("t\n" + kLevels + gates + "a1 zero bus inv\na2 zero bus inv\n.op\n.end\n");
  EXPECT_DOUBLE_EQ(r.get(AnalysisType::Op).col("v(bus)")[0], 1.0);
}

TEST(XspiceResolved, StrongOutputsOnOneNodeInTime) {
  for (const char* mode : kModes) {
    // d rises at 50n and falls at 150n; a fast buffer (2n) and a slow one
    // (10n) drive wire: U while they disagree (52n..60n and 152n..160n).
    const std::string net = std::string("t\n") +
                            "vd vd 0 pwl(0 0 50n 0 50.01n 1 150n 1 150.01n 0)\n"
                            "a1 [vd] [d] adc\n.model adc adc_bridge(in_low=0.5 in_high=0.5 rise_delay=1e-12 "
                            "fall_delay=1e-12)\n"
                            "a2 d wire fast\n.model fast d_buffer(rise_delay=2n fall_delay=2n)\n"
                            "a3 d wire slow\n.model slow d_buffer(rise_delay=10n fall_delay=10n)\n"
                            ".tran 1n 200n\n.options switching=" + mode + "\n.end\n";
    const auto r = runOk(net);
    const auto& tr = r.get(AnalysisType::Tran);
    const double tol = 0.02e-9;
    EXPECT_EQ(logicOf(tr.col("v(wire)")[0]), 0.0) << mode;
    EXPECT_NEAR(firstState(tr, "v(wire)", 0, 0.5), 52e-9, tol) << mode;
    EXPECT_NEAR(firstState(tr, "v(wire)", 0, 1.0), 60e-9, tol) << mode;
    EXPECT_NEAR(firstState(tr, "v(wire)", 100e-9, 0.5), 152e-9, tol) << mode;
    EXPECT_NEAR(firstState(tr, "v(wire)", 100e-9, 0.0), 160e-9, tol) << mode;
  }
}

TEST(XspiceResolved, ParametersAreChecked) {
  Error e = runErr("t\n" + kLevels + "a1 one one bus t0\n.model t0 d_tristate(delay=0)\n.op\n.end\n");
  EXPECT_NE(e.message.find("delay must be at least 1e-12"), std::string::npos) << e.message;
  e = runErr("t\n" + kLevels + "a1 one bus o0\n.model o0 d_open_c(open_delay=-1n)\n.op\n.end\n");
  EXPECT_NE(e.message.find("open_delay and fall_delay"), std::string::npos) << e.message;
  e = runErr("t\n" + kLevels + "a1 one bus tri\n.op\n.end\n");
  EXPECT_NE(e.message.find("takes the ports in enable out"), std::string::npos) << e.message;
}

}  // namespace
}  // namespace simcore::testing
