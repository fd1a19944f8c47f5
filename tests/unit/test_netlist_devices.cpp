// Device cards, analyses, options and output requests.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "netlist_test_util.hpp"
#include "simcore/describe.hpp"
#include "simcore/ir.hpp"

using namespace simcore;
using namespace simcore::testutil;

namespace {

double param(const ir::Device& d, const std::string& name) {
  for (const auto& p : d.params)
    if (p.name == name) return p.value;
  ADD_FAILURE() << "no param " << name << " on " << d.name;
  return 0;
}

const char* kModels =
    ".model dm d is=1e-14\n.model qn npn bf=100\n.model qp pnp\n.model nm nmos level=1\n.model pm pmos\n"
    ".model sm sw ron=1\n.model wm csw\n.model rm r\n";

}  // namespace

TEST(NetlistDevices, Passives) {
  auto c = ok("t\nR1 a b 1k tc1=0.001 tc2=0 m=2 temp=50\nR2 a b r=2k\nC1 a 0 10u ic=1 m=1\nL1 a 0 1m ic=0.5\n"
              "RBIG a 0 {1+1}\n");
  ASSERT_EQ(c.devices.size(), 5u);
  const auto& r1 = c.devices[0];
  EXPECT_EQ(r1.letter, 'r');
  EXPECT_EQ(r1.nodes, (std::vector<std::string>{"a", "b"}));
  EXPECT_DOUBLE_EQ(*r1.value, 1000);
  EXPECT_EQ(r1.params.size(), 4u);
  EXPECT_DOUBLE_EQ(param(r1, "tc1"), 0.001);
  EXPECT_DOUBLE_EQ(*c.devices[1].value, 2000);
  EXPECT_TRUE(c.devices[1].params.empty());
  EXPECT_DOUBLE_EQ(param(c.devices[2], "ic"), 1);
  EXPECT_DOUBLE_EQ(param(c.devices[3], "ic"), 0.5);
  EXPECT_EQ(c.devices[0].loc.line, 2);
  EXPECT_EQ(c.devices[0].loc.col, 1);
}

TEST(NetlistDevices, PassiveErrors) {
  Error e = err("t\nR1 a b\n");
  EXPECT_EQ(e.code, ErrorCode::Parse);
  EXPECT_TRUE(contains(e.message, "expected 2 nodes and a value for resistor 'r1'")) << e.message;
  e = err("t\nC1 a\n");
  EXPECT_TRUE(contains(e.message, "capacitor 'c1'"));
  e = err("t\nR1 a b 1 foo\n");
  EXPECT_EQ(e.loc.col, 10);
  e = err("t\nR1 a b 1 tc1=\n");
  EXPECT_TRUE(contains(e.message, "missing value"));
}

TEST(NetlistDevices, Coupling) {
  auto c = ok("t\nL1 a 0 1m\nL2 b 0 4m\nK1 L1 L2 0.98\n");
  ASSERT_EQ(c.devices.size(), 3u);
  EXPECT_EQ(c.devices[2].refs, (std::vector<std::string>{"l1", "l2"}));
  EXPECT_DOUBLE_EQ(*c.devices[2].value, 0.98);
  Error e = err("t\nL1 a 0 1m\nK1 L1 L3 0.9\n");
  EXPECT_EQ(e.loc.line, 3);
  EXPECT_EQ(e.loc.col, 7);
  EXPECT_TRUE(contains(e.message, "inductor 'l3'"));
  e = err("t\nL1 a 0 1m\nR3 a 0 1\nK1 L1 R3 0.9\n");
  EXPECT_TRUE(contains(e.message, "not a inductor") || contains(e.message, "not an inductor"));
  // |k| > 1: warned at the coefficient and read as written, as ngspice 39 ("|k1| > 1", "not positive definite")
  auto k = ok("t\nL1 a 0 1m\nL2 a 0 1m\nK1 L1 L2 1.5\n");
  int warned = 0;
  for (const auto& w : k.warnings)
    if (contains(w.message, "outside [-1, 1]")) {
      ++warned;
      EXPECT_EQ(w.loc.line, 4);
      EXPECT_EQ(w.loc.col, 10);
    }
  EXPECT_EQ(warned, 1);
  EXPECT_DOUBLE_EQ(*k.devices[2].value, 1.5);
}

TEST(NetlistDevices, SourcesDcAcAnyOrder) {
  auto c = ok("t\nV1 a 0 5\nV2 a 0 DC 3 AC\nV3 a 0 AC 2 90 DC 1\nI1 a 0 AC 1 SIN(0 1 1k)\nV4 a 0\n"
              "V5 a 0 PULSE(0 1 1n 1n 1n 5n 10n) DC 2\nV6 a 0 dc=0\n");
  ASSERT_EQ(c.devices.size(), 7u);
  EXPECT_DOUBLE_EQ(c.devices[0].source.dc, 5);
  EXPECT_TRUE(c.devices[0].source.hasDc);
  EXPECT_FALSE(c.devices[0].source.hasAc);
  EXPECT_TRUE(c.devices[1].source.hasAc);
  EXPECT_DOUBLE_EQ(c.devices[1].source.acMag, 1);
  EXPECT_DOUBLE_EQ(c.devices[1].source.acPhaseDeg, 0);
  EXPECT_DOUBLE_EQ(c.devices[2].source.acMag, 2);
  EXPECT_DOUBLE_EQ(c.devices[2].source.acPhaseDeg, 90);
  EXPECT_DOUBLE_EQ(c.devices[2].source.dc, 1);
  EXPECT_EQ(c.devices[3].source.wave.kind, ir::WaveKind::Sin);
  EXPECT_FALSE(c.devices[4].source.hasDc);
  EXPECT_EQ(c.devices[5].source.wave.args.size(), 7u);
  EXPECT_DOUBLE_EQ(c.devices[5].source.dc, 2);
}

TEST(NetlistDevices, Waveforms) {
  auto c = ok("t\nV1 a 0 EXP(0 1 1n 1n 5n 1n)\nV2 a 0 SFFM(0 1 1k 2 10)\n"
              "V3 a 0 PWL(0 0 1m 1 2m 1) r=1m td=0.5m\nV4 a 0 PWL 0 0 1 1 r\nV5 a 0 pwl(0,0, 1m,1)\n"
              "V6 a 0 PWL((0 0) (1m 2))\nV7 a 0 0.0v PWL (0.0ns 5.0v) (1ns 0.0v) (10ns 0.0v) r=0\n");
  EXPECT_EQ(c.devices[0].source.wave.kind, ir::WaveKind::Exp);
  EXPECT_EQ(c.devices[1].source.wave.kind, ir::WaveKind::Sffm);
  const auto& w3 = c.devices[2].source.wave;
  EXPECT_EQ(w3.kind, ir::WaveKind::Pwl);
  EXPECT_EQ(w3.args.size(), 6u);
  EXPECT_DOUBLE_EQ(w3.pwlRepeat, 1e-3);
  EXPECT_DOUBLE_EQ(w3.pwlDelay, 0.5e-3);
  EXPECT_DOUBLE_EQ(c.devices[3].source.wave.pwlRepeat, 0);
  EXPECT_EQ(c.devices[4].source.wave.args, (std::vector<double>{0, 0, 1e-3, 1}));
  EXPECT_EQ(c.devices[5].source.wave.args, (std::vector<double>{0, 0, 1e-3, 2}));
  // parenthesised pairs without an outer group (ngspice's examples/cider/mos/bootinv.cir)
  EXPECT_EQ(c.devices[6].source.wave.args, (std::vector<double>{0, 5, 1e-9, 0, 10e-9, 0}));
  EXPECT_DOUBLE_EQ(c.devices[6].source.dc, 0.0);
  EXPECT_EQ(c.devices[0].source.wave.loc.col, 8);
  // KiCad's AM source (ngspice's AM(...)), a current one too; a bare 'am' stays a value's name
  auto m = ok("t\nV1 a 0 am(0.5 1 10meg 50meg 20n)\nI1 a 0 dc 0 AM(1 0.5)\nR1 a 0 1k\n");
  EXPECT_EQ(m.devices[0].source.wave.kind, ir::WaveKind::Am);
  EXPECT_EQ(m.devices[0].source.wave.args, (std::vector<double>{0.5, 1, 10e6, 50e6, 20e-9}));
  EXPECT_EQ(m.devices[1].source.wave.kind, ir::WaveKind::Am);
  // AM followed by its values without parentheses (as SIN 0 1 1k; ngspice's
  // v-i-sources-am-ffm.cir), up to the next keyword
  auto b = ok("t\nV1 a 0 AM 0.5 2 1.8 1k 100k 1m 0 0\nI1 a 0 am 0 0 1 1k 100k ac 1\nR1 a 0 1k\n");
  EXPECT_EQ(b.devices[0].source.wave.kind, ir::WaveKind::Am);
  EXPECT_EQ(b.devices[0].source.wave.args, (std::vector<double>{0.5, 2, 1.8, 1e3, 100e3, 1e-3, 0}));  // (ngspice 39 takes 7)
  EXPECT_EQ(b.devices[1].source.wave.kind, ir::WaveKind::Am);
  EXPECT_EQ(b.devices[1].source.wave.args.size(), 5u);
  EXPECT_TRUE(b.devices[1].source.hasAc);
  // a bare 'am' before no value stays a parameter's name
  auto p = ok("t\n.param am=2\nV1 a 0 am\nV2 b 0 am ac 1\nR1 a 0 1k\nR2 b 0 1k\n");
  EXPECT_EQ(p.devices[0].source.wave.kind, ir::WaveKind::None);
  EXPECT_DOUBLE_EQ(p.devices[0].source.dc, 2.0);
  EXPECT_DOUBLE_EQ(p.devices[1].source.dc, 2.0);
}

TEST(NetlistDevices, WaveformErrors) {
  Error e = err("t\nV1 a 0 PWL(0 0 2m 1 1m 2)\n");
  EXPECT_EQ(e.loc.col, 21);
  EXPECT_TRUE(contains(e.message, "must not decrease"));
  e = err("t\nV1 a 0 PWL(0 0 1m)\n");
  EXPECT_TRUE(contains(e.message, "pairs"));
  e = err("t\nV1 a 0 SIN(0)\n");
  EXPECT_TRUE(contains(e.message, "at least 2"));
  e = err("t\nV1 a 0 SIN(0 1 1k) PULSE(0 1)\n");
  EXPECT_TRUE(contains(e.message, "two transient"));
  e = err("t\nV1 a 0 DC\n");
  EXPECT_TRUE(contains(e.message, "after DC"));
  e = err("t\nV1 a 0 1 2\n");
  EXPECT_EQ(e.loc.col, 10);
}

TEST(NetlistDevices, ControlledSources) {
  auto c = ok("t\nV1 a 0 1\nE1 o 0 a 0 2.5\nG1 0 o a 0 1m\nF1 0 o V1 3\nH1 o 0 v1 2k\n");
  EXPECT_EQ(c.devices[1].nodes.size(), 4u);
  EXPECT_DOUBLE_EQ(*c.devices[1].value, 2.5);
  EXPECT_DOUBLE_EQ(*c.devices[2].value, 1e-3);
  EXPECT_EQ(c.devices[3].nodes.size(), 2u);
  EXPECT_EQ(c.devices[3].refs, (std::vector<std::string>{"v1"}));
  EXPECT_DOUBLE_EQ(*c.devices[4].value, 2000);
  Error e = err("t\nE1 o 0 LAPLACE {v(a)} {1/s}\n");
  EXPECT_TRUE(contains(e.message, "not supported"));
  EXPECT_EQ(e.loc.col, 8);
  e = err("t\nE1 o 0 FREQ {v(a)} (1, 0, 0)\n");
  EXPECT_TRUE(contains(e.message, "not supported"));
  e = err("t\nF1 o 0 VX 2\n");
  EXPECT_TRUE(contains(e.message, "voltage source 'vx'"));
  EXPECT_EQ(e.loc.col, 8);
  e = err("t\nE1 o 0 a 0\n");
  EXPECT_TRUE(contains(e.message, "expected 4 nodes and a gain"));
}

TEST(NetlistDevices, Semiconductors) {
  auto c = ok(std::string("t\n") + kModels +
              "D1 a k dm\nD2 a k dm 2 off ic=0.6 m=2 area=3 temp=30\nQ1 c b e qn\nQ2 c b e s qp 2 off\n"
              "Q3 c b e sub qn\nM1 d g s b nm w=2u l=1u ad=1p as=1p pd=1u ps=1u nrd=1 nrs=1 m=2 off\n"
              "S1 a b c d sm on\nV1 c 0 0\nW1 a b V1 wm off\nR1 a b 1k rm\n");
  auto find = [&](const std::string& n) -> const ir::Device& {
    for (const auto& d : c.devices)
      if (d.name == n) return d;
    static ir::Device none;
    ADD_FAILURE() << n;
    return none;
  };
  EXPECT_EQ(c.models[static_cast<std::size_t>(find("d1").model)].type, "d");
  EXPECT_FALSE(find("d1").value.has_value());
  EXPECT_DOUBLE_EQ(*find("d2").value, 2);
  EXPECT_DOUBLE_EQ(param(find("d2"), "off"), 1);
  EXPECT_DOUBLE_EQ(param(find("d2"), "area"), 3);
  EXPECT_EQ(find("q1").nodes.size(), 3u);
  EXPECT_EQ(find("q2").nodes.size(), 4u);
  EXPECT_DOUBLE_EQ(*find("q2").value, 2);
  EXPECT_EQ(find("q3").nodes.size(), 4u);
  EXPECT_EQ(find("m1").nodes.size(), 4u);
  EXPECT_EQ(find("m1").params.size(), 10u);
  EXPECT_DOUBLE_EQ(param(find("s1"), "on"), 1);
  EXPECT_EQ(find("w1").refs, (std::vector<std::string>{"v1"}));
  EXPECT_EQ(c.models[static_cast<std::size_t>(find("r1").model)].type, "r");
  EXPECT_EQ(c.models[0].params[0].name, "is");
}

TEST(NetlistDevices, ModelsDefinedLaterAreVisible) {
  auto c = ok("t\nQ1 c b e qn\n.model qn npn\n");
  EXPECT_EQ(c.devices[0].nodes.size(), 3u);
  EXPECT_EQ(c.devices[0].model, 0);
}

TEST(NetlistDevices, ModelErrors) {
  Error e = err(std::string("t\n") + kModels + "Q1 c b e dm\n");
  EXPECT_TRUE(contains(e.message, "model 'dm' is a d model, Q needs npn or pnp")) << e.message;
  EXPECT_EQ(e.loc.col, 10);
  e = err("t\nQ1 c b e qx\n");
  EXPECT_TRUE(contains(e.message, "unknown model 'qx'"));
  e = err("t\nD1 a b nothere\n");
  EXPECT_TRUE(contains(e.message, "unknown model 'nothere'"));
  // a node missing: the model stands where a node belongs and a parameter where the model does
  e = err("t\nQ1 c c qn area=2\n.model qn npn\n");
  EXPECT_TRUE(contains(e.message, "'qn' names a model but stands where bipolar transistor 'q1' expects a node")) << e.message;
  EXPECT_EQ(e.loc.col, 8);
  e = err("t\nQ1 c b e area=2\n");
  EXPECT_TRUE(contains(e.message, "expected a model name for bipolar transistor 'q1', found the parameter 'area='")) << e.message;
  e = err("t\n.model j1 gasfet\n");  // PSpice's GaAsFET type (ngspice's is Z with nmf)
  EXPECT_TRUE(contains(e.message, "unknown model type 'gasfet'"));
  EXPECT_EQ(e.loc.col, 11);
  e = err(std::string("t\n") + kModels + "M1 d g s b qn\n");
  EXPECT_TRUE(contains(e.message, "nmos or pmos"));
  e = err(std::string("t\n") + kModels + "S1 a b c d dm\n");
  EXPECT_TRUE(contains(e.message, "S needs sw"));
  e = err(std::string("t\n") + kModels + "M1 d g s b nm foo\n");
  EXPECT_EQ(e.loc.col, 15);
}

TEST(NetlistDevices, UnknownLetter) {
  Error e = err("t\nN1 a b 1\n");
  EXPECT_EQ(e.loc.line, 2);
  EXPECT_EQ(e.loc.col, 1);
  EXPECT_TRUE(contains(e.message, "unknown device type 'n'"));
  EXPECT_TRUE(contains(e.message, "R C L"));
}

TEST(NetlistAnalyses, AllKinds) {
  auto c = ok("t\nV1 a 0 1\nI1 a 0 1\nR1 a 0 1\n.op\n.dc V1 0 1 0.1\n.dc lin v1 1 0 -0.1 I1 0 1m 0.5m\n"
              ".ac dec 10 1 1meg\n.ac oct 5 10 1k\n.ac lin 100 0 1k\n.tran 1n 1u\n.tran 1n 1u 0.5u 2n uic\n");
  ASSERT_EQ(c.analyses.size(), 8u);
  // (they run in ngspice's order, by kind: here in card order again)
  std::stable_sort(c.analyses.begin(), c.analyses.end(),
                   [](const ir::Analysis& x, const ir::Analysis& y) { return x.loc.line < y.loc.line; });
  EXPECT_EQ(c.analyses[0].kind, ir::AnalysisKind::Op);
  EXPECT_EQ(c.analyses[1].sweeps[0].source, "v1");
  EXPECT_DOUBLE_EQ(c.analyses[1].sweeps[0].step, 0.1);
  ASSERT_EQ(c.analyses[2].sweeps.size(), 2u);
  EXPECT_EQ(c.analyses[2].sweeps[1].source, "i1");
  EXPECT_DOUBLE_EQ(c.analyses[2].sweeps[0].step, -0.1);
  EXPECT_EQ(c.analyses[3].acScale, ir::AcScale::Dec);
  EXPECT_EQ(c.analyses[3].acPoints, 10);
  EXPECT_DOUBLE_EQ(c.analyses[3].fstop, 1e6);
  EXPECT_EQ(c.analyses[4].acScale, ir::AcScale::Oct);
  EXPECT_EQ(c.analyses[5].acScale, ir::AcScale::Lin);
  EXPECT_DOUBLE_EQ(c.analyses[6].tstop, 1e-6);
  EXPECT_FALSE(c.analyses[6].uic);
  EXPECT_TRUE(c.analyses[7].uic);
  EXPECT_DOUBLE_EQ(c.analyses[7].tstart, 0.5e-6);
  EXPECT_DOUBLE_EQ(c.analyses[7].tmax, 2e-9);
}

TEST(NetlistAnalyses, RunInNgspicesOrderByKindAndOneKindsCardsLastFirst) {
  // ngspice 39 (cktdojob.c): AC, DC, OP, TRAN, ..., and each kind's cards in reverse order
  auto c = ok("t\nV1 a 0 1\nR1 a 0 1\n.tran 1n 1u\n.op\n.tran 1n 2u\n.dc V1 0 1 0.5\n.ac dec 2 1 10\n"
              ".tran 1n 3u\n");
  ASSERT_EQ(c.analyses.size(), 6u);
  EXPECT_EQ(c.analyses[0].kind, ir::AnalysisKind::Ac);
  EXPECT_EQ(c.analyses[1].kind, ir::AnalysisKind::Dc);
  EXPECT_EQ(c.analyses[2].kind, ir::AnalysisKind::Op);
  ASSERT_EQ(c.analyses[3].kind, ir::AnalysisKind::Tran);
  EXPECT_DOUBLE_EQ(c.analyses[3].tstop, 3e-6);
  EXPECT_DOUBLE_EQ(c.analyses[4].tstop, 2e-6);
  EXPECT_DOUBLE_EQ(c.analyses[5].tstop, 1e-6);
  // a client's list (a server job's analyses) keeps its own order
  ASSERT_TRUE(replaceAnalyses(c, {".tran 1n 1u", ".op", ".tran 1n 2u"}).ok());
  ASSERT_EQ(c.analyses.size(), 3u);
  EXPECT_DOUBLE_EQ(c.analyses[0].tstop, 1e-6);
  EXPECT_EQ(c.analyses[1].kind, ir::AnalysisKind::Op);
  EXPECT_DOUBLE_EQ(c.analyses[2].tstop, 2e-6);
}

TEST(NetlistAnalyses, Errors) {
  const std::string pre = "t\nV1 a 0 1\nR1 a 0 1\n";
  Error e = err(pre + ".tran 1n 0\n");
  EXPECT_EQ(e.loc.col, 10);
  EXPECT_TRUE(contains(e.message, "TSTOP"));
  e = err(pre + ".tran -1n 1u\n");
  EXPECT_EQ(e.loc.col, 7);
  e = err(pre + ".tran\n");
  EXPECT_TRUE(contains(e.message, "expected .tran"));
  e = err(pre + ".ac dec 10 0 1k\n");
  EXPECT_EQ(e.loc.col, 12);
  e = err(pre + ".ac decade 10 1 1k\n");
  EXPECT_EQ(e.loc.col, 5);
  e = err(pre + ".ac dec 2.5 1 1k\n");  // (fewer than one point is one, as in ngspice 39)
  EXPECT_TRUE(contains(e.message, "points"));
  e = err(pre + ".ac dec 10 1k 1\n");
  EXPECT_TRUE(contains(e.message, "below FSTART"));
  e = err(pre + ".dc V1 0 1 0\n");
  EXPECT_TRUE(contains(e.message, "zero"));
  EXPECT_EQ(e.loc.col, 12);
  e = err(pre + ".dc V1 0 1 -0.1\n");
  EXPECT_TRUE(contains(e.message, "goes away"));
  e = err(pre + ".dc VX 0 1 0.1\n");
  EXPECT_TRUE(contains(e.message, "unknown source 'vx'"));
  // a resistor can be swept (as in ngspice), a capacitor cannot
  e = err(pre + "C1 a 0 1n\n.dc C1 0 1 0.1\n");
  EXPECT_TRUE(contains(e.message, "not a V or I source, a resistor or TEMP"));
  e = err(pre + ".dc V1 0 1\n");
  EXPECT_TRUE(contains(e.message, "expected .dc"));
  // words after .op: ignored with a warning at them, as ngspice 39 ignores them
  const ir::Circuit op = ok(pre + ".op now\n");
  ASSERT_EQ(countWarnings(op, "'now' after op ignored"), 1);
  for (const auto& w : op.warnings)
    if (contains(w.message, "after op")) EXPECT_EQ(w.loc.col, 5);
}

TEST(NetlistOptions, AcceptedOptions) {
  auto c = ok("t\n.options reltol=1e-4 abstol=1p vntol=1u chgtol=1e-15 trtol=5 gmin=1e-13 itl1=200 itl4=20\n"
              ".option method=gear maxord=3 temp=50 tnom=25\n.opt klu numdgt=8\n");
  EXPECT_DOUBLE_EQ(c.options.reltol, 1e-4);
  EXPECT_DOUBLE_EQ(c.options.abstol, 1e-12);
  EXPECT_DOUBLE_EQ(c.options.gmin, 1e-13);
  EXPECT_EQ(c.options.itl1, 200);
  EXPECT_EQ(c.options.itl4, 20);
  EXPECT_EQ(c.options.method, ir::IntegrationMethod::Gear);
  EXPECT_EQ(c.options.maxord, 3);
  EXPECT_DOUBLE_EQ(c.options.temp, 50);
  EXPECT_DOUBLE_EQ(c.options.tnom, 25);
  EXPECT_EQ(c.warnings.size(), 2u);
  c = ok("t\n.options method=trapezoidal\n.temp 85\n");
  EXPECT_EQ(c.options.method, ir::IntegrationMethod::Trapezoidal);
  EXPECT_DOUBLE_EQ(c.options.temp, 85);
  c = ok("t\n.options METHOD=Euler\n");
  EXPECT_EQ(c.options.method, ir::IntegrationMethod::Euler);
  EXPECT_FALSE(c.options.trapdamp) << "the trapezoidal ringing control is off by default (as ngspice)";
  c = ok("t\n.options trapdamp\n");
  EXPECT_TRUE(c.options.trapdamp);
  c = ok("t\n.options trapdamp trapdamp=0\n");
  EXPECT_FALSE(c.options.trapdamp);
}

TEST(NetlistOptions, Errors) {
  Error e = err("t\n.options reltol=-1\n");
  EXPECT_TRUE(contains(e.message, "bad value"));
  EXPECT_EQ(e.loc.col, 17);
  e = err("t\n.options method=rk4\n");
  EXPECT_TRUE(contains(e.message, "method"));
  e = err("t\n.options trapdamp=2\n");
  EXPECT_TRUE(contains(e.message, "trapdamp")) << e.message;
  EXPECT_EQ(e.loc.col, 19);
  e = err("t\n.options itl1=2.5\n");
  EXPECT_TRUE(contains(e.message, "whole number"));
  e = err("t\n.options reltol\n");
  EXPECT_TRUE(contains(e.message, "needs a value"));
}

TEST(NetlistControl, IcNodesetSavesTitle) {
  auto c = ok("t\n.subckt s a\nR1 a b 1\n.ends\nX1 n s\nR2 out a 1\nR3 b c 1\n.ic v(n)=0 V(X1.B)=1.2\n.nodeset v(out)=2\n"
              ".save v(out) i(Vin) all\n.print tran V( a , b ) v(c)\n.probe ac vdb(out)\n.title New title (here)\n");
  ASSERT_EQ(c.ic.size(), 2u);
  EXPECT_EQ(c.ic[1].node, "x1.b");
  EXPECT_DOUBLE_EQ(c.ic[1].value, 1.2);
  ASSERT_EQ(c.nodeset.size(), 1u);
  std::vector<std::string> saves;
  for (const auto& s : c.saves) saves.push_back(s.signal);
  // v(a,b) reads as both nodes, vdb(out) as the vector it is computed from (probes.cpp)
  EXPECT_EQ(saves, (std::vector<std::string>{"v(out)", "i(vin)", "all", "v(out)", "v(a)", "v(b)", "v(c)"}));
  EXPECT_EQ(c.title, "New title (here)");
  Error e = err("t\n.ic n=0\n");
  EXPECT_TRUE(contains(e.message, "v(NODE)=VALUE"));
  e = err("t\n.foo 1\n");
  EXPECT_TRUE(contains(e.message, "unknown control card '.foo'"));
}

// PySpice prints `.ic` with no entries (its ngspice-interpreter example): ngspice 39 reads
// an empty .ic or .nodeset as setting nothing; simcore warns.
TEST(NetlistControl, EmptyIcAndNodesetSetNothing) {
  auto c = ok("t\nV1 a 0 1\nR1 a 0 1\n.ic\n.nodeset\n.op\n");
  EXPECT_TRUE(c.ic.empty());
  EXPECT_TRUE(c.nodeset.empty());
  int warned = 0;
  for (const auto& w : c.warnings) warned += contains(w.message, "without v(NODE)=VALUE sets nothing");
  EXPECT_EQ(warned, 2);
}

TEST(NetlistControl, FuncDefinesAFunction) {
  auto c = ok("t\n.func f(x) {x*2}\nR1 a 0 {f(3)}\n");
  EXPECT_DOUBLE_EQ(*c.devices[0].value, 6);
  Error e = err("t\n.func f x\n");
  EXPECT_TRUE(contains(e.message, "expected .func name(arg, ...) = {expression}"));
}
