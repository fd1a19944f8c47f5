// PSpice digital primitives (U devices) and OPTIONAL: sub-circuit pins: the
// XSPICE cards a U card becomes (netlist/pspice_digital.cpp), the devices
// the reader makes of them, and the located errors of malformed cards.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "netlist/lexer.hpp"
#include "netlist/pspice_digital.hpp"
#include "netlist_test_util.hpp"

namespace simcore::testing {
namespace {

using netlist::pspice::TimingModel;
using testutil::contains;
using testutil::err;
using testutil::ok;

// The XSPICE lines of the first card of `text` (no title line), with the
// timing models given.
std::vector<std::string> translated(const std::string& text, const std::map<std::string, TimingModel>& models = {}) {
  netlist::LexedFile f;
  f.name = "u.cir";
  f.owned = text;
  f.text = f.owned;
  netlist::lexFile(f, false);
  EXPECT_FALSE(f.cards.empty());
  return netlist::pspice::translate(f.cards[0], [&](const std::string& n) -> const TimingModel* {
    auto it = models.find(n);
    return it == models.end() ? nullptr : &it->second;
  });
}

const ir::Device* device(const ir::Circuit& c, const std::string& name) {
  for (const ir::Device& d : c.devices)
    if (d.name == name) return &d;
  return nullptr;
}

std::string modelType(const ir::Circuit& c, const ir::Device& d) {
  return d.model >= 0 ? c.models[std::size_t(d.model)].type : std::string();
}

double modelParam(const ir::Circuit& c, const ir::Device& d, const std::string& p) {
  for (const ir::Param& q : c.models[std::size_t(d.model)].params)
    if (q.name == p) return q.value;
  ADD_FAILURE() << "no parameter " << p;
  return -1;
}

// ---------------------------------------------------------------- delays

TEST(PspiceDigital, TypicalEstimateAsNgspice) {
  using netlist::pspice::typicalEstimate;
  EXPECT_EQ(typicalEstimate("1ns", "7.4ns", "14.5ns"), "7.4ns");  // typ when given
  EXPECT_EQ(typicalEstimate("-1", "-1", "25ns"), "25ns");         // max alone
  EXPECT_EQ(typicalEstimate("15ns", "-1", "25ns"), "20.00ns");   // mean of min and max, max's unit
  EXPECT_EQ(typicalEstimate("8ns", "", ""), "8ns");               // min alone
  EXPECT_EQ(typicalEstimate("-1", "-1", "-1"), "");
}

TEST(PspiceDigital, GateWithUgateDelays) {
  TimingModel m{"ugate", {{"tplhty", "7.5ns"}, {"tplhmx", "12.3ns"}, {"tphlmn", "2ns"}, {"tphlmx", "4ns"}}};
  auto lines = translated("U1 and(2) DPWR DGND 1A 1B 1Y DLY IO_STD MNTYMXDLY={MNTYMXDLY} IO_LEVEL=0\n", {{"dly", m}});
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], ".model d_au1_and d_and(rise_delay=7.5ns fall_delay=3.00ns)");
  EXPECT_EQ(lines[1], "au1 [ 1a 1b ] 1y d_au1_and");
}

TEST(PspiceDigital, ZeroDelayDefaultModelAndInverter) {
  auto lines = translated("U2 inv DPWR DGND OEBAR OE D0_GATE IO_LV-A\n");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], ".model d_au2_inv d_inverter(rise_delay=1e-12 fall_delay=1e-12)");
  EXPECT_EQ(lines[1], "au2 oebar oe d_au2_inv");
}

TEST(PspiceDigital, TristateArrayHasGateThenTristate) {
  TimingModel m{"utgate", {{"tplhty", "5ns"}, {"tphlty", "6ns"}}};
  auto lines = translated("U3 inv3a(2) DPWR DGND A B OE Y Z DLY IO\n", {{"dly", m}});
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines[0], ".model d_au3_inv3a d_tristate(delay=6ns)");
  EXPECT_EQ(lines[1], ".model d_au3_inv3a_gate d_inverter(rise_delay=1e-12 fall_delay=1e-12)");
  EXPECT_EQ(lines[2], "au3_0_gate a u3__g0 d_au3_inv3a_gate");
  EXPECT_EQ(lines[3], "au3_0_tri u3__g0 oe y d_au3_inv3a");
  EXPECT_EQ(lines[5], "au3_1_tri u3__g1 oe z d_au3_inv3a");
}

TEST(PspiceDigital, DffWithPresetClearAndNc) {
  TimingModel m{"ueff", {{"tpclkqlhty", "8.3ns"}, {"tpclkqhlty", "9ns"}}};
  auto lines = translated("U1 dff(1) DPWR DGND $D_HI CLRB CLK D Q $D_NC DLY IO\n", {{"dly", m}});
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], ".model d_au1__zinv d_inverter(rise_delay=1e-12 fall_delay=1e-12)");
  EXPECT_EQ(lines[1], "au1__inv1 clrb u1__not_1 d_au1__zinv");
  EXPECT_EQ(lines[2], ".model d_au1_dff d_dff(clk_delay=9ns rise_delay=1ns fall_delay=1ns)");
  EXPECT_EQ(lines[3], "au1_0 d clk null u1__not_1 q null d_au1_dff");
}

TEST(PspiceDigital, JkffClockIsInvertedAndHighInputsPulledUp) {
  auto lines = translated("U1 JKFF(1) $G_DPWR $G_DGND $D_HI $D_HI CLK $D_HI HIGH QA QB D0_EFF IO_STD\n");
  // the clock (active low) through an inverter; J on a pull-up
  EXPECT_TRUE(std::find(lines.begin(), lines.end(), "au1__inv1 clk u1__not_1 d_au1__zinv") != lines.end());
  EXPECT_TRUE(std::find(lines.begin(), lines.end(), "au1__hi u1__hi d_au1__hi") != lines.end());
  EXPECT_EQ(lines.back(), "au1_0 u1__hi high u1__not_1 null null qa qb d_au1_jkff");
}

TEST(PspiceDigital, LogicexpBecomesGates) {
  auto lines = translated(
      "U1 LOGICEXP(3,2) DPWR DGND A B C S Y D0_GATE IO_AC LOGIC:\n"
      "+ S = {A ^ B ^ C}\n"
      "+ Y = {~(A & B) | C}\n");
  // S: one three-input xor; Y: nand as and + inverter, then or
  std::vector<std::string> want = {
      ".model d_au1_xor d_xor(rise_delay=1e-12 fall_delay=1e-12)",
      "as__g [ a b c ] s d_au1_xor",
      ".model d_au1_and d_and(rise_delay=1e-12 fall_delay=1e-12)",
      "au1__t1__g [ a b ] u1__t1 d_au1_and",
      ".model d_au1_inv d_inverter(rise_delay=1e-12 fall_delay=1e-12)",
      "au1__t2__g u1__t1 u1__t2 d_au1_inv",
      ".model d_au1_or d_or(rise_delay=1e-12 fall_delay=1e-12)",
      "ay__g [ u1__t2 c ] y d_au1_or",
  };
  EXPECT_EQ(lines, want);
}

TEST(PspiceDigital, PindlyTakesTheLargestTypicalDelay) {
  auto lines = translated(
      "U2 PINDLY(2,0,1) DPWR DGND S_0 C_OUT CIN S0 COUT IO_AC MNTYMXDLY=0\n"
      "+ BOOLEAN: CARRYIN = {CHANGED(CIN,0)}\n"
      "+ PINDLY: S0 = { CASE(CARRYIN & (TRN_LH | TRN_HL), DELAY(4.5NS,-1,16NS), DELAY(5.7NS,-1,17.5NS))}\n"
      "+ COUT = {DELAY(-1,3NS,-1)}\n");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "au2_0 s_0 s0 d_au2_0");
  EXPECT_EQ(lines[1], ".model d_au2_0 d_buffer(rise_delay=11.60ns fall_delay=11.60ns)");
  EXPECT_EQ(lines[3], ".model d_au2_1 d_buffer(rise_delay=3ns fall_delay=3ns)");
}

TEST(PspiceDigital, PindlyTristateEnableLow) {
  auto lines = translated(
      "U1 PINDLY(1,1,0) DPWR DGND 1A 1OEBAR 1Y IO_HCT TRISTATE: ENABLE LO = 1OEBAR\n"
      "+ 1Y = { CASE( TRN_Z$,DELAY(-1,15NS,28NS), DELAY(-1,16NS,29NS))}\n");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[1], "au1__en1 1oebar u1__en1 d_au1__einv");
  EXPECT_EQ(lines[2], "au1_0 1a u1__en1 1y d_au1_0");
  EXPECT_EQ(lines[3], ".model d_au1_0 d_tristate(delay=16ns)");
}

TEST(PspiceDigital, ConstraintIsLeftOut) {
  EXPECT_TRUE(translated("U5 CONSTRAINT(2) DPWR DGND A B IO SETUP_HOLD: CLOCK LH = A DATA(1) = B SETUPTIME = 2NS\n").empty());
}

// ---------------------------------------------------------------- in a netlist

const char* kAdder =
    "t\n"
    ".subckt fa a b cin s cout optional: dpwr=$G_DPWR dgnd=$G_DGND params: mntymxdly=0\n"
    "U1 xor dpwr dgnd a b t1 dly io_std mntymxdly={mntymxdly}\n"
    "U2 LOGICEXP(3,1) DPWR DGND a b cin cout D0_GATE IO_STD\n"
    "+ LOGIC: cout = {(a & b) | (cin & (a ^ b))}\n"
    "U3 xor dpwr dgnd t1 cin s dly io_std\n"
    ".model dly ugate (tplhty=2ns tphlty=3ns)\n"
    ".model io_std uio (drvh=96.4 drvl=104)\n"
    ".ends\n"
    "x1 da db dc s co fa\n"
    "x2 da db dc s2 co2 vdd 0 fa\nvdd vdd 0 5\n"
    "va a 0 pulse(0 1 10n 1n 1n 50n 100n)\nvb b 0 0\nvc c 0 1\n"
    "a1 [a b c] [da db dc] adc\n"
    ".model adc adc_bridge\n"
    ".end\n";

TEST(PspiceDigital, SubcircuitWithOptionalPinsAndGates) {
  ir::Circuit c = ok(kAdder);
  const ir::Device* g = device(c, "x1.au1");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(modelType(c, *g), "d_xor");
  EXPECT_DOUBLE_EQ(modelParam(c, *g, "rise_delay"), 2e-9);
  EXPECT_DOUBLE_EQ(modelParam(c, *g, "fall_delay"), 3e-9);
  ASSERT_NE(device(c, "x1.acout__g"), nullptr);
  EXPECT_EQ(modelType(c, *device(c, "x1.acout__g")), "d_or");
  // the timing and I/O models are read by the translation, not kept as models
  for (const ir::Model& m : c.models) EXPECT_TRUE(m.type != "ugate" && m.type != "uio") << m.type;
}

TEST(PspiceDigital, OptionalPinsDefaultToTheirGlobalNode) {
  ir::Circuit c = ok(
      "t\n.subckt s a optional: p=$G_DPWR\nr1 a p 1k\n.ends\n"
      "x1 n1 s\nx2 n2 vdd s\nv1 n1 0 1\nv2 n2 0 1\nv3 vdd 0 5\n.op\n.end\n");
  EXPECT_EQ(device(c, "x1.r1")->nodes[1], "$g_dpwr");
  EXPECT_EQ(device(c, "x2.r1")->nodes[1], "vdd");
}

TEST(PspiceDigital, OptionalPinCountError) {
  Error e = err("t\n.subckt s a optional: p=$G_DPWR\nr1 a p 1k\n.ends\nx1 n1 n2 n3 s\n.end\n");
  EXPECT_EQ(e.loc.line, 5);
  EXPECT_TRUE(contains(e.message, "expects 1 to 2 (a optional: p=$g_dpwr)")) << e.message;
  e = err("t\n.subckt s a optional: p\nr1 a p 1k\n.ends\n.end\n");
  EXPECT_EQ(e.loc.line, 2);
  EXPECT_EQ(e.loc.col, 23);
  EXPECT_TRUE(contains(e.message, "expected NAME=DEFAULT_NODE after 'optional:'")) << e.message;
}

TEST(PspiceDigital, MissingTimingModelIsLocated) {
  Error e = err("t\n.subckt s a y\nU1 inv dpwr dgnd a y nosuch io\n.ends\nx1 a y s\n.end\n");
  EXPECT_EQ(e.loc.line, 3);
  EXPECT_EQ(e.loc.col, 22);
  EXPECT_TRUE(contains(e.message, "timing model 'nosuch' not found (expected a .model nosuch ugate card)")) << e.message;
}

TEST(PspiceDigital, WrongNodeCountIsLocated) {
  Error e = err("t\nU1 and(3) dpwr dgnd a b y d0_gate io\n.end\n");
  EXPECT_EQ(e.loc.line, 2);
  EXPECT_TRUE(contains(e.message, "gate 'u1' has 5 nodes and model names, expected 6 (the inputs, the outputs")) << e.message;
}

TEST(PspiceDigital, UnsupportedPrimitiveIsNamed) {
  Error e = err("t\nU1 STIM(1,1) dpwr dgnd a io_std 0s 1\n.end\n");
  EXPECT_EQ(e.loc.line, 2);
  EXPECT_EQ(e.loc.col, 4);
  EXPECT_TRUE(contains(e.message, "PSpice digital primitive 'stim' is not supported")) << e.message;
}

TEST(PspiceDigital, LogicexpSyntaxErrorIsLocated) {
  Error e = err("t\nU1 LOGICEXP(2,1) DPWR DGND a b y D0_GATE IO LOGIC:\n+ y = {a & & b}\n.end\n");
  EXPECT_EQ(e.loc.line, 3);
  EXPECT_EQ(e.loc.col, 7);
  EXPECT_TRUE(contains(e.message, "expected a name, '~' or '(' in the logic expression 'a & & b', found '&'")) << e.message;
}

TEST(PspiceDigital, PindlyOutputWithoutDelay) {
  Error e = err("t\nU1 PINDLY(1,0,0) DPWR DGND a y IO BOOLEAN: c = {CHANGED(a,0)}\n.end\n");
  EXPECT_EQ(e.loc.line, 2);
  EXPECT_TRUE(contains(e.message, "output 'y' of PINDLY 'u1' has no delay")) << e.message;
}

TEST(PspiceDigital, UniformRcLineStaysAUDevice) {
  // a U card whose second word is not a primitive: ngspice's uniform RC line
  ir::Circuit c = ok("t\nu1 1 2 0 urcm l=1u\n.model urcm urc(rperl=1 cperl=1p)\nv1 1 0 1\nr1 2 0 1k\n.op\n.end\n");
  EXPECT_FALSE(c.devices.empty());
}

TEST(PspiceDigital, TildeIsLogicalNotInExpressions) {
  ir::Circuit c = ok("t\nv9 9 0 0\nv8 8 0 1\nb1 1 0 v=~(~v(9)&v(8)) + 0.5\n.op\n.end\n");
  EXPECT_NE(device(c, "b1"), nullptr);
}

// ---------------------------------------------------------------- the example decks' scripts

TEST(PspiceDigital, BareRunWithoutAnalysisCardsRunsNothing) {
  // ngspice's counter.cir: `TRAN ...` then `run`, no analysis cards: one transient, as ngspice 39
  // ("no simulations run": tran2 does not exist after it), with a warning
  ir::Circuit c = ok("t\nv1 1 0 1\nr1 1 0 1\n.control\ntran 1n 10n\nrun\n.endc\n.end\n");
  ASSERT_EQ(c.analyses.size(), 1u);
  EXPECT_EQ(c.analyses[0].kind, ir::AnalysisKind::Tran);
  ASSERT_FALSE(c.warnings.empty());
  EXPECT_NE(c.warnings.back().message.find("nothing runs"), std::string::npos);
  // with an analysis card, run runs the cards only
  c = ok("t\nv1 1 0 1\nr1 1 0 1\n.op\n.control\ntran 1n 10n\nrun\n.endc\n.end\n");
  EXPECT_EQ(c.analyses.size(), 2u);
}

TEST(PspiceDigital, ScriptKnowsOscompiledAndInputdir) {
  ir::Circuit c = ok(
      "t\nv1 1 0 1\nr1 1 0 1\n.control\nif $oscompiled = 1 | $oscompiled = 8\nop\nelse\ncd $inputdir\n"
      "tran 1n 10n\nend\n.endc\n.end\n");
  ASSERT_EQ(c.analyses.size(), 1u);
  EXPECT_EQ(c.analyses[0].kind, ir::AnalysisKind::Tran);
}

TEST(PspiceDigital, DollarGlobalNodesAreNotComments) {
  // ' $' starts a comment, but not before PSpice's $G_ and $D_ names
  ir::Circuit c = ok("t\nv1 $G_DPWR 0 5 $ a comment\nr1 $G_DPWR 0 1k\n.op\n.end\n");
  ASSERT_NE(device(c, "r1"), nullptr);
  EXPECT_EQ(device(c, "r1")->nodes[0], "$g_dpwr");
}

}  // namespace
}  // namespace simcore::testing
