// Forms ngspice's own example decks write (issue 12): `DC` without a value
// before a waveform, and ngspice's vector name `NAME#branch` of a branch
// current in save requests.
#include <gtest/gtest.h>

#include <string>

#include "test_kernel_support.cpp"
#include "netlist_test_util.hpp"

using namespace simcore;
using simcore::testing::runOk;

namespace {

TEST(NgspiceForms, DcWithoutAValueBeforeAWaveformIsIgnoredWithAWarning) {
  // as ngspice 39: no DC value, so the operating point takes the waveform at t = 0
  auto c = testutil::ok("t\nV1 a 0 DC PWL(0 0.25 1m 1)\nR1 a 0 1k\n.tran 10u 1m\n");
  ASSERT_EQ(c.devices.size(), 2u);
  EXPECT_FALSE(c.devices[0].source.hasDc);
  bool warned = false;
  for (const auto& w : c.warnings) warned = warned || w.message.find("DC without a value before pwl") != std::string::npos;
  EXPECT_TRUE(warned);
  auto out = runOk("t\nV1 a 0 DC PWL(0 0.25 1m 1)\nR1 a 0 1k\n.tran 10u 1m\n");
  const auto& tr = out.get(AnalysisType::Tran);
  const auto& v = tr.col("v(a)");
  ASSERT_GT(v.size(), 10u);
  EXPECT_DOUBLE_EQ(v.front(), 0.25);
  EXPECT_NEAR(v.back(), 1.0, 1e-12);
  // a DC value that is missing for another reason is still an error
  auto bad = ir::parseNetlist("t\nV1 a 0 DC\nR1 a 0 1k\n.op\n", ir::ParseOptions{});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("expected a value after DC"), std::string::npos);
}

TEST(NgspiceForms, BranchVectorNameSavesTheSourceCurrent) {
  auto out = runOk("t\nVCC 10 0 2\nR1 10 0 1k\n.save vcc#branch 10\n.op\n");
  const auto& op = out.get(AnalysisType::Op);
  EXPECT_NEAR(op.col("i(vcc)").at(0), -2e-3, 1e-12);
  EXPECT_NEAR(op.col("v(10)").at(0), 2.0, 1e-12);  // a bare node name, as ngspice's save
  // ngspice's names of devices in sub-circuits, letter first (pll-xspice.cir: save v.xlf.vdd#branch)
  auto sub = runOk("t\n.subckt lf a\nVDD a 0 3\nR1 a 0 1k\n.ends\nXLF n lf\n.save v.xlf.vdd#branch @r.xlf.r1[i]\n.op\n");
  const auto& op2 = sub.get(AnalysisType::Op);
  EXPECT_NEAR(op2.col("i(v.xlf.vdd)").at(0), -3e-3, 1e-12);
  EXPECT_NEAR(op2.col("@r.xlf.r1[i]").at(0), 3e-3, 1e-12);
}

}  // namespace

namespace {

double param(const ir::Device& d, const char* name) {
  for (const auto& p : d.params)
    if (p.name == name) return p.value;
  ADD_FAILURE() << "no parameter " << name;
  return 0;
}

// .options scale as ngspice's MOSFETs: L, W, PD, PS times scale, AD, AS times
// scale^2, whichever card comes first; bins are chosen by the scaled sizes.
TEST(NgspiceForms, OptionsScaleMultipliesMosfetGeometry) {
  auto c = testutil::ok("t\nM1 d g 0 0 nm L=0.5 W=10 AD=20 PD=14\nR1 d 0 1k\n.model nm nmos\n.options scale=1e-6\n.op\n");
  ASSERT_EQ(c.devices.size(), 2u);
  EXPECT_DOUBLE_EQ(param(c.devices[0], "l"), 0.5e-6);
  EXPECT_DOUBLE_EQ(param(c.devices[0], "w"), 10e-6);
  EXPECT_DOUBLE_EQ(param(c.devices[0], "ad"), 20e-12);
  EXPECT_DOUBLE_EQ(param(c.devices[0], "pd"), 14e-6);
  EXPECT_DOUBLE_EQ(*c.devices[1].value, 1e3);  // not a MOSFET: unchanged
  c = testutil::ok("t\n.options scale=1e-6\nM1 d g 0 0 nch L=0.5 W=10\n"
                   ".model nch.1 nmos level=49 lmin=0.1u lmax=0.4u wmin=1u wmax=100u\n"
                   ".model nch.2 nmos level=49 lmin=0.4u lmax=2u wmin=1u wmax=100u\n.op\n");
  EXPECT_EQ(c.models[std::size_t(c.devices[0].model)].name, "nch.2");
  auto bad = ir::parseNetlist("t\nM1 d g 0 0 nm\n.model nm nmos\n.options scale=-1\n.op\n", ir::ParseOptions{});
  EXPECT_FALSE(bad.ok());
}

}  // namespace
