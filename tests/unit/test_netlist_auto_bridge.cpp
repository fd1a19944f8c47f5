// ngspice 39's automatic bridges (netlist/auto_bridge.cpp): a node that
// analog devices and digital ports share becomes an analog node and a
// digital one joined by an adc_bridge or a dac_bridge whose levels follow
// vcc; digital-only nodes and nodes both read and driven stay as they are.
#include <gtest/gtest.h>

#include <string>

#include "test_kernel_support.cpp"

namespace simcore::testing {
namespace {

const ir::Device* findDevice(const ir::Circuit& c, const std::string& name) {
  for (const ir::Device& d : c.devices)
    if (d.name == name) return &d;
  return nullptr;
}

double param(const ir::Circuit& c, const ir::Device& d, const std::string& p) {
  for (const ir::Param& q : c.models[std::size_t(d.model)].params)
    if (q.name == p) return q.value;
  ADD_FAILURE() << "no parameter " << p;
  return -1;
}

ir::Circuit parsed(const std::string& text) {
  auto c = ir::parseNetlist(text);
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().format());
  return c.ok() ? std::move(c).value() : ir::Circuit{};
}

TEST(AutoBridge, InputsAndOutputsOnAnalogNodesGetBridges) {
  const ir::Circuit c = parsed(
      "t\nv1 a 0 1\nr1 a b 1k\na1 [b n] y g\n.model g d_and\na2 y n inv\n.model inv d_inverter\nrl y 0 1k\n.op\n.end\n");
  // b: read only -> adc_bridge; y: driven by a1, read by a2 -> inout, no bridge; n: digital only
  const ir::Device* a1 = findDevice(c, "a1");
  ASSERT_NE(a1, nullptr);
  EXPECT_EQ(a1->nodes[0], "b#digital");
  EXPECT_EQ(a1->nodes[2], "n");
  EXPECT_EQ(a1->nodes[4], "y");
  int adc = 0, dac = 0;
  for (const ir::Device& d : c.devices) {
    if (d.model < 0 || d.letter != 'a') continue;
    const std::string& type = c.models[std::size_t(d.model)].type;
    if (type == "adc_bridge") {
      ++adc;
      EXPECT_EQ(d.nodes, (std::vector<std::string>{"b", "0", "b#digital", "0"}));
      EXPECT_DOUBLE_EQ(param(c, d, "in_low"), 1.65);
      EXPECT_DOUBLE_EQ(param(c, d, "in_high"), 1.65);
    }
    if (type == "dac_bridge") ++dac;
  }
  EXPECT_EQ(adc, 1);
  EXPECT_EQ(dac, 0);
  bool warned = false;
  for (const ir::Diagnostic& w : c.warnings) warned = warned || w.message.find("node 'y' joins analog") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST(AutoBridge, OutputDrivesVccAndInputSwitchesAtHalfVcc) {
  // 1 V reads 0 through the bridge (1.65 V threshold): the NAND's output is 1, 3.3 V on the load
  const auto r = runOk("t\nv1 a 0 1\nv2 b 0 3\na1 [a b] y g\n.model g d_nand\nrl y 0 1k\n.op\n.end\n");
  const Collected& op = r.get(AnalysisType::Op);
  EXPECT_DOUBLE_EQ(op.col("v(y)")[0], 3.3);
  EXPECT_DOUBLE_EQ(op.col("v(a)")[0], 1.0);
  // with a 2 V input both read 1: output 0
  const auto r2 = runOk("t\nv1 a 0 2\nv2 b 0 3\na1 [a b] y g\n.model g d_nand\nrl y 0 1k\n.op\n.end\n");
  EXPECT_DOUBLE_EQ(r2.get(AnalysisType::Op).col("v(y)")[0], 0.0);
}

TEST(AutoBridge, VccFromTheDeviceScope) {
  const std::string net =
      "t\nv1 a 0 2\nx1 a y inv5\nrl y 0 1k\n.subckt inv5 i o\n.param vcc=5\na1 i o inv\n.model inv d_inverter\n.ends\n"
      ".op\n.end\n";
  const ir::Circuit c = parsed(net);
  for (const ir::Device& d : c.devices) {
    if (d.model < 0 || d.letter != 'a') continue;
    const std::string& type = c.models[std::size_t(d.model)].type;
    if (type == "adc_bridge") EXPECT_DOUBLE_EQ(param(c, d, "in_high"), 2.5);
    if (type == "dac_bridge") EXPECT_DOUBLE_EQ(param(c, d, "out_high"), 5.0);
  }
  // 2 V is below 2.5 V: the inverter drives 5 V
  EXPECT_DOUBLE_EQ(runOk(net).get(AnalysisType::Op).col("v(y)")[0], 5.0);
}

TEST(AutoBridge, AnalogInputKeepsItsValue) {
  // no 1e-12 S tie on the bridge's analog input where a resistor feeds it: 5 V exactly
  const auto r = runOk("t\nv1 s 0 5\nr1 s a 1k\na1 a y inv\n.model inv d_inverter\n.op\n.end\n");
  EXPECT_DOUBLE_EQ(r.get(AnalysisType::Op).col("v(a)")[0], 5.0);
}

TEST(AutoBridge, DigitalOnlyNodesAndExplicitBridgesUntouched) {
  const ir::Circuit c = parsed(
      "t\nv1 a 0 1\na1 [a] [d] adc\n.model adc adc_bridge(in_low=0.3 in_high=0.7)\na2 d e inv\n.model inv "
      "d_inverter\na3 [e] [o] dac\n.model dac dac_bridge\nr1 o 0 1k\n.op\n.end\n");
  for (const ir::Device& d : c.devices) EXPECT_EQ(d.name.rfind("auto_", 0), std::string::npos) << d.name;
  EXPECT_EQ(findDevice(c, "a2")->nodes[0], "d");
}

}  // namespace
}  // namespace simcore::testing
