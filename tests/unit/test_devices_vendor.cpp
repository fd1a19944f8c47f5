// Unit tests of the device models vendor decks need (issue 12, item 6): VDMOS,
// JFET, PSpice's smooth VSWITCH/ISWITCH, the lossless line T, diode ISR/NR/IKF/IKR,
// MOSFET level 3. Jacobians against finite differences
// of the residual, hand-calculated currents, charge conservation and the
// netlist forms. (Agreement with ngspice: tests/compat/vdmos_*.cir, jfet_*.cir.)
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "device_bench.hpp"
#include "test_kernel_support.cpp"
#include "netlist_test_util.hpp"
#include "simcore/ir.hpp"

using namespace simcore;
using namespace simcore::devbench;
using simcore::testutil::contains;
using simcore::testing::runOk;
using simcore::testing::Collected;

namespace {

using Params = std::vector<std::pair<std::string, double>>;

// ---------------------------------------------------------------- VDMOS

Bench vdmosBench(Params mp, Params ip = {}) {
  Bench b;
  b.setup.circ.models.push_back(model("vm", "vdmos", std::move(mp)));
  b.setup.circ.devices.push_back(device("m1", {"d", "g", "s"}, 0, std::move(ip)));
  b.status = b.build();
  return b;
}

const Params kVdmos = {{"vto", 3.0},   {"kp", 20},       {"lambda", 0.01}, {"theta", 0.05}, {"mtriode", 1.3},
                       {"ksubthres", 0.12}, {"rd", 0.02}, {"rs", 0.01},    {"rg", 2.0},      {"rb", 0.01},
                       {"cgs", 1.5e-9}, {"cgdmax", 1.2e-9}, {"cgdmin", 5e-11}, {"a", 0.5},   {"cjo", 8e-10},
                       {"is", 1e-12},  {"n", 1.1},       {"tt", 5e-8},     {"bv", 100},      {"ibv", 2.5e-4}};

// (vgs, vds) of the intrinsic device, n-channel polarity
const std::vector<std::array<double, 2>> kVdmosBias = {
    {0.0, 10.0},   // off: body diode reverse, weak inversion
    {2.8, 5.0},    // weak inversion
    {3.5, 10.0},   // saturation
    {8.0, 0.3},    // triode
    {6.0, -0.2},   // reverse channel, triode
    {0.0, -0.65},  // body diode forward
    {0.0, -0.8},   // body diode well on
    {0.0, 100.3},  // breakdown
};

void vdmosFd(bool pchan, Params mp) {
  const double s = pchan ? -1 : 1;
  for (auto& [k, v] : mp)
    if (k == "vto") v *= s;
  if (pchan) mp.push_back({"pchan", 1});
  Bench b = vdmosBench(mp);
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  ASSERT_EQ(b.n(), 7);
  const int d = b.node("d"), g = b.node("g"), src = b.node("s");
  const int di = b.node("m1#d"), gi = b.node("m1#g"), si = b.node("m1#s"), bi = b.node("m1#b");
  for (auto v : kVdmosBias) {
    const double vs = 0.1;
    // the external nodes slightly apart from the internal ones (currents in the resistors)
    auto x = vec(7, {{gi, s * (vs + v[0])}, {g, s * (vs + v[0] + 0.01)}, {di, s * (vs + v[1])},
                     {d, s * (vs + v[1] + 0.002)}, {si, s * vs}, {src, s * (vs - 0.001)}, {bi, s * (vs - 0.0005)}});
    const std::string what = std::string(pchan ? "pchan" : "nchan") + " vgs=" + std::to_string(v[0]) +
                             " vds=" + std::to_string(v[1]);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::DcOp, 0, what), 1.0);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::Tran, 1e9, what + " tran"), 1.0);
  }
}

TEST(DeviceVdmos, NchanJacobianMatchesFiniteDifferences) { vdmosFd(false, kVdmos); }
TEST(DeviceVdmos, PchanJacobianMatchesFiniteDifferences) { vdmosFd(true, kVdmos); }
TEST(DeviceVdmos, QuasiSaturationJacobianMatchesFiniteDifferences) {
  auto mp = kVdmos;
  mp.push_back({"rq", 0.5});
  mp.push_back({"vq", 4.0});
  vdmosFd(false, mp);
}

TEST(DeviceVdmos, SaturationAndTriodeCurrentsMatchHandCalculation) {
  // no resistances: the terminal current is the channel's plus the body diode's
  Bench b = vdmosBench({{"vto", 2.0}, {"kp", 10}, {"lambda", 0.02}, {"theta", 0.1}, {"mtriode", 2.0},
                        {"ksubthres", 0.01}, {"is", 1e-14}});
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const int d = b.node("d"), g = b.node("g");
  const double gmin = 1e-12, is = 1e-14;
  residual(b, vec(2, {{d, 10.0}, {g, 5.0}}), dev::AnalysisMode::DcOp, 0);
  double id = 0.5 * 10 * 9.0 * (1 + 0.02 * 10) / (1 + 0.1 * 5);  // vgst = 3 <= vdss = 20
  const double idiode = -is + gmin * -10.0;                        // reverse-biased body diode (source -> drain)
  EXPECT_NEAR(b.f[d], id - idiode + 1e-15 * 10, 1e-9 * id);
  residual(b, vec(2, {{d, 0.5}, {g, 5.0}}), dev::AnalysisMode::DcOp, 0);
  const double vdss = 0.5 * 2.0;  // mtriode scales vds (not in lambda)
  id = 10 * (1 + 0.02 * 0.5) / (1 + 0.1 * 5) * vdss * (3.0 - 0.5 * vdss);
  const double idio2 = is * (std::exp(-0.5 / kVt300) - 1) + gmin * -0.5;
  EXPECT_NEAR(b.f[d], id - idio2 + 1e-15 * 0.5, 1e-9 * id);
}

TEST(DeviceVdmos, WeakInversionFollowsKsubthres) {
  // at vgs = VTO the smoothed overdrive is KSUBTHRES*ln 2; one KSUBTHRES*ln 10 lower
  // the current falls by ~100 (square law of an exponential)
  Bench b = vdmosBench({{"vto", 2.0}, {"kp", 10}, {"ksubthres", 0.1}});
  ASSERT_TRUE(b.status.ok());
  const int d = b.node("d"), g = b.node("g");
  residual(b, vec(2, {{d, 5.0}, {g, 2.0}}), dev::AnalysisMode::DcOp, 0);
  const double vg = 0.1 * std::log(2.0);
  EXPECT_NEAR(b.f[d], 0.5 * 10 * vg * vg, 1e-6);
  residual(b, vec(2, {{d, 5.0}, {g, 2.0 - 0.5}}), dev::AnalysisMode::DcOp, 0);
  const double vl = 0.1 * std::log1p(std::exp(-5.0));
  EXPECT_NEAR(b.f[d], 0.5 * 10 * vl * vl, 1e-9);
}

TEST(DeviceVdmos, BodyDiodeBreakdownCurrentIsIbvAtBv) {
  Bench b = vdmosBench({{"vto", 2.0}, {"kp", 10}, {"bv", 60}, {"ibv", 1e-3}, {"is", 1e-12}});
  ASSERT_TRUE(b.status.ok());
  const int d = b.node("d");
  residual(b, vec(2, {{d, 60.0}}), dev::AnalysisMode::DcOp, 0);
  EXPECT_NEAR(b.f[d], 1e-3, 1e-3 * 1e-2);
}

TEST(DeviceVdmos, GateChargeOfCgsAndCgdIsConservedOverAPeriod) {
  // Cgs is constant; Cgd(vgd) is integrated from the accepted point: over a
  // closed path the charge returns up to the trapezoid error of the path
  Bench b = vdmosBench({{"vto", 3}, {"kp", 5}, {"cgs", 1e-9}, {"cgdmax", 1e-9}, {"cgdmin", 1e-10}, {"a", 0.3},
                        {"cjo", 5e-10}});
  ASSERT_TRUE(b.status.ok());
  auto x0 = vec(3, {{1, 5.0}, {2, 2.0}, {3, 0.0}});
  auto amp = vec(3, {{1, 4.0}, {2, 3.0}, {3, 0.0}});
  auto ph = vec(3, {{1, 0.0}, {2, 1.3}, {3, 0.0}});
  EXPECT_LT(chargeImbalance(b, x0, amp, ph, 2000), 1e-5);
}

TEST(DeviceVdmos, ThermalWithoutRthjcIsNoneAndTakesNegativeResistanceAsNone) {
  // as ngspice 39: the flag alone (no RTHJC) makes no self-heating and no nodes
  Bench t = vdmosBench({{"vto", 3}}, {{"thermal", 1}});
  ASSERT_TRUE(t.status.ok());
  EXPECT_EQ(t.n(), vdmosBench({{"vto", 3}}).n());
  // as ngspice 39 (fitted vendor models have RD=-1.6m; the front end warns): the same as none
  Bench r = vdmosBench({{"vto", 3}, {"rd", -1}});
  ASSERT_TRUE(r.status.ok());
  Bench z = vdmosBench({{"vto", 3}});
  ASSERT_TRUE(z.status.ok());
  EXPECT_EQ(r.n(), z.n());  // no internal drain node
}

TEST(NetlistVdmos, VendorModelCardWithAnnotationsAndChannelWord) {
  auto c = testutil::ok(
      "t\n.model IRFX VDMOS(pchan Rg=3 Rd=34m Vto=-3.5 Kp=9 Cgdmax=1.1n Cgdmin=.2n Cgs=.6n Cjo=.4n Is=22p Rb=40m"
      " mfg=Some_Vendor Vds=-100 Ron=160m Qg=26n)\n"
      ".model N1 VDMOS nchan (vto=2 kp=3)\n"
      "M1 d g s IRFX\nM2 d g 0 N1 m=2\nV1 d 0 1\nV2 g 0 1\nR1 s 0 1\n.op\n.end\n");
  ASSERT_EQ(c.models.size(), 2u);
  const auto& m = c.models[0];
  EXPECT_EQ(m.type, "vdmos");
  bool pchan = false, mfg = false;
  for (const auto& p : m.params) {
    pchan = pchan || p.name == "pchan";
    mfg = mfg || p.name == "mfg" || p.name == "ron";
  }
  EXPECT_TRUE(pchan);
  EXPECT_FALSE(mfg);  // datasheet annotations are dropped, as by ngspice
  ASSERT_EQ(c.devices.size(), 5u);
  EXPECT_EQ(c.devices[0].nodes.size(), 3u);
}

TEST(NetlistVdmos, NodeCountIsCheckedAgainstTheModel) {
  // VDMOS: 3 nodes, or 4 and 5 with the temperature nodes tj and tc of self-heating (ngspice 39);
  // the message names the range of every M kind (BSIMSOI PD: up to 7)
  auto e = testutil::err("t\n.model N1 VDMOS(vto=2)\nM1 d g N1\n.end\n");
  EXPECT_TRUE(contains(e.message, "expected 3 to 7 nodes and a model name")) << e.message;
  auto t5 = testutil::ok("t\n.model N1 VDMOS(vto=2 rthjc=1)\nM1 d g s tj tc N1 thermal\nV1 d 0 1\n.end\n");
  EXPECT_EQ(t5.devices[0].nodes.size(), 5u);
  auto e2 = testutil::err("t\n.model N2 NMOS(vto=1)\nM1 d g s N2\n.end\n");
  EXPECT_TRUE(contains(e2.message, "needs 4 nodes")) << e2.message;
  // a model name that looks like a number after the bulk node (2N7000...)
  auto c = testutil::ok("t\n.model 2N7000X NMOS(vto=2)\nM1 d g s 0 2N7000X\nQ1 c b e 0 2N3904X\n"
                        ".model 2N3904X NPN\nV1 d 0 1\n.end\n");
  ASSERT_EQ(c.devices.size(), 3u);
  EXPECT_EQ(c.devices[0].nodes.size(), 4u);
  EXPECT_EQ(c.devices[1].nodes.size(), 4u);
}

// ---------------------------------------------------------------- JFET

Bench jfetBench(const std::string& type, Params mp, Params ip = {}) {
  Bench b;
  b.setup.circ.models.push_back(model("jm", type, std::move(mp)));
  b.setup.circ.devices.push_back(device("j1", {"d", "g", "s"}, 0, std::move(ip)));
  b.status = b.build();
  return b;
}

const Params kJfet = {{"vto", -2.0}, {"beta", 1.3e-3}, {"lambda", 0.02}, {"rd", 5}, {"rs", 3},
                      {"cgs", 3e-12}, {"cgd", 1.5e-12}, {"is", 1e-14}, {"b", 0.8}, {"pb", 0.9}};

// (vgs, vds) intrinsic, n-channel polarity
const std::vector<std::array<double, 2>> kJfetBias = {
    {-3.0, 5.0},   // cutoff
    {-1.0, 5.0},   // saturation
    {-0.5, 0.4},   // linear
    {-1.0, -0.3},  // inverse, linear
    {0.0, -5.0},   // inverse, saturation
    {0.65, 0.1},   // gate forward-biased
};

void jfetFd(const std::string& type, Params mp) {
  const double s = type == "pjf" ? -1 : 1;
  Bench b = jfetBench(type, mp);
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  ASSERT_EQ(b.n(), 5);
  const int d = b.node("d"), g = b.node("g"), src = b.node("s"), di = b.node("j1#d"), si = b.node("j1#s");
  for (auto v : kJfetBias) {
    auto x = vec(5, {{g, s * v[0]}, {di, s * v[1]}, {d, s * (v[1] + 0.003)}, {si, 0.0}, {src, s * -0.002}});
    const std::string what = type + " vgs=" + std::to_string(v[0]) + " vds=" + std::to_string(v[1]);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::DcOp, 0, what), 1.0);
    // a transient's first load at a new time point limits from the accepted point: accept x
    b.load(x, dev::AnalysisMode::TranInit);
    b.group->accept(x.data(), 0.0);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::Tran, 1e9, what + " tran"), 1.0);
  }
}

TEST(DeviceJfet, NjfJacobianMatchesFiniteDifferences) { jfetFd("njf", kJfet); }
TEST(DeviceJfet, PjfJacobianMatchesFiniteDifferences) { jfetFd("pjf", kJfet); }
TEST(DeviceJfet, SquareLawJacobianMatchesFiniteDifferences) {
  auto mp = kJfet;
  mp.push_back({"b", 1.0});  // the last value counts (as the reader keeps it)
  mp.erase(std::find_if(mp.begin(), mp.end(), [](auto& p) { return p.first == "b"; }));
  jfetFd("njf", mp);
}

TEST(DeviceJfet, SquareLawCurrentsMatchHandCalculation) {
  Bench b = jfetBench("njf", {{"vto", -2.0}, {"beta", 1e-3}, {"lambda", 0.01}, {"is", 0}}, {{"area", 2}});
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const int d = b.node("d"), g = b.node("g");
  const double gmin = 1e-12;
  residual(b, vec(2, {{d, 6.0}, {g, -1.0}}), dev::AnalysisMode::DcOp, 0);
  double id = 2e-3 * 1.0 * (1 + 0.01 * 6);  // saturation: beta*area*(vgs - vto)^2*(1 + lambda*vds)
  EXPECT_NEAR(b.f[d], id - gmin * (-1.0 - 6.0), 1e-9 * id);
  residual(b, vec(2, {{d, 0.5}, {g, -1.0}}), dev::AnalysisMode::DcOp, 0);
  id = 2e-3 * 0.5 * (2 * 1.0 - 0.5) * (1 + 0.01 * 0.5);  // linear: beta*vds*(2 vgst - vds)*(1 + lambda vds)
  EXPECT_NEAR(b.f[d], id - gmin * (-1.0 - 0.5), 1e-9 * id);
}

TEST(DeviceJfet, DopingTailLowersTheSaturationCurrent) {
  // B < 1: id = beta*vgst^2*(B + (1-B)/(PB-VTO)*vgst)
  Bench b = jfetBench("njf", {{"vto", -2.0}, {"beta", 1e-3}, {"b", 0.5}, {"pb", 1.0}, {"is", 0}});
  ASSERT_TRUE(b.status.ok());
  const int d = b.node("d"), g = b.node("g");
  residual(b, vec(2, {{d, 6.0}, {g, -1.0}}), dev::AnalysisMode::DcOp, 0);
  const double id = 1e-3 * 1.0 * (0.5 + 0.5 / 3.0 * 1.0);
  EXPECT_NEAR(b.f[d], id + 1e-12 * 7.0, 1e-9 * id);
}

// ngspice 39's JFET has no model M (PSpice's grading coefficient): a model
// card's M changes nothing there (checked: v(d) of a JFET with M=0.5 on its
// model is the same as without), so it is no multiplier here either.
TEST(DeviceJfet, ModelMIsNoMultiplierAsInNgspice) {
  Bench one = jfetBench("njf", {{"vto", -2.0}, {"is", 0}});
  Bench m = jfetBench("njf", {{"vto", -2.0}, {"is", 0}, {"m", 0.36}});
  Bench both = jfetBench("njf", {{"vto", -2.0}, {"is", 0}, {"m", 0.36}}, {{"m", 2}});
  ASSERT_TRUE(one.status.ok() && m.status.ok() && both.status.ok());
  auto x = vec(2, {{1, 5.0}, {2, -1.0}});
  residual(one, x, dev::AnalysisMode::DcOp, 0);
  residual(m, x, dev::AnalysisMode::DcOp, 0);
  residual(both, x, dev::AnalysisMode::DcOp, 0);
  EXPECT_NEAR(m.f[1], one.f[1], 1e-12 * std::fabs(one.f[1]));
  EXPECT_NEAR(both.f[1], 2 * one.f[1], 1e-9 * std::fabs(one.f[1]));
}

TEST(DeviceJfet, ChargeIsConservedOverAPeriod) {
  Bench b = jfetBench("njf", kJfet);
  ASSERT_TRUE(b.status.ok());
  auto x0 = vec(5, {{1, 3.0}, {2, -1.0}, {3, 0.0}, {4, 3.0}, {5, 0.0}});
  auto amp = vec(5, {{1, 2.0}, {2, 0.8}, {3, 0.1}, {4, 2.0}, {5, 0.1}});
  auto ph = vec(5, {{1, 0.3}, {2, 1.1}, {3, 2.0}, {4, 0.3}, {5, 2.0}});
  EXPECT_LT(chargeImbalance(b, x0, amp, ph, 400), 1e-9);
}

TEST(NetlistJfet, PspiceParametersAreIgnoredWithAWarning) {
  auto c = testutil::ok(
      "t\n.model JX NJF(Beta=1.3m Vto=-3 Is=33f Isr=322f N=1 Nr=2 Alpha=311u Vk=243 M=.36 Pb=1)\n"
      "J1 d g 0 JX 2\nVD d 0 10\nVG g 0 -1\n.op\n.end\n");
  int n = 0;
  for (const auto& w : c.warnings) n += contains(w.message, "ignored, as by ngspice 39") ? 1 : 0;
  EXPECT_EQ(n, 6);  // isr n nr alpha vk m
  ASSERT_EQ(c.devices.size(), 3u);
  // a second model of the file with the same parameters: no more warnings (a vendor library has hundreds)
  auto two = testutil::ok(
      "t\n.model JX NJF(Beta=1.3m Vto=-3 Is=33f Isr=322f N=1 Nr=2 Alpha=311u Vk=243 M=.36 Pb=1)\n"
      ".model JY NJF(Beta=1.1m Vto=-2 Is=30f Isr=300f N=1 Nr=2 Alpha=300u Vk=200 M=.36 Pb=1)\n"
      "J1 d g 0 JX 2\nJ2 d g 0 JY\nVD d 0 10\nVG g 0 -1\n.op\n.end\n");
  n = 0;
  for (const auto& w : two.warnings) n += contains(w.message, "ignored, as by ngspice 39") ? 1 : 0;
  EXPECT_EQ(n, 6);
  ASSERT_TRUE(c.devices[0].value.has_value());
  EXPECT_EQ(*c.devices[0].value, 2.0);  // area
}

// LEVEL=1 on a JFET model is ngspice's default model; level 2 (Parker-Skellern) is refused by name
TEST(NetlistJfet, LevelOneIsTheModelAndOtherLevelsAreRefused) {
  const std::string circuit = "J1 d g 0 JX\nVD d 0 10\nVG g 0 -1\n.op\n.end\n";
  auto one = simcore::testing::runOk("t\n.model JX NJF(LEVEL=1 Beta=1.3m Vto=-3)\n" + circuit);
  auto plain = simcore::testing::runOk("t\n.model JX NJF(Beta=1.3m Vto=-3)\n" + circuit);
  EXPECT_EQ(one.get(simcore::AnalysisType::Op).col("i(vd)").at(0), plain.get(simcore::AnalysisType::Op).col("i(vd)").at(0));
  auto e = simcore::testing::runErr("t\n.model JX NJF(LEVEL=2 Beta=1.3m Vto=-3)\n" + circuit);
  EXPECT_TRUE(contains(e.message, "JFET level 2 is not supported")) << e.message;
}

// ---------------------------------------------------------------- PSpice switches

TEST(DeviceSmoothSwitch, ResistanceFollowsThePspiceCubic) {
  Bench b;
  b.setup.circ.models.push_back(model("sm", "vswitch", {{"ron", 1}, {"roff", 1e6}, {"von", 2}, {"voff", 1}}));
  b.setup.circ.devices.push_back(device("s1", {"a", "0", "c", "0"}, 0));
  b.status = b.build();
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const int a = b.node("a"), c = b.node("c");
  auto currentAt = [&](double vc) {
    b.load(vec(2, {{a, 1.0}, {c, vc}}));
    return b.f[a];
  };
  EXPECT_NEAR(currentAt(2.5), 1.0, 1e-12);
  EXPECT_NEAR(currentAt(2.0), 1.0, 1e-12);
  EXPECT_NEAR(currentAt(0.0), 1e-6, 1e-18);
  EXPECT_NEAR(currentAt(1.5), 1.0 / 1e3, 1e-12);  // the geometric mean at the midpoint
  // a quarter of the way: ln R = ln 1e3 + L*(3/2*(-1/4) - 2*(-1/4)^3), L = ln 1e-6
  const double lnR = std::log(1e3) + std::log(1e-6) * (-0.375 + 2.0 / 64);
  EXPECT_NEAR(currentAt(1.25), std::exp(-lnR), 1e-9 * std::exp(-lnR));
  for (double vc : {1.1, 1.5, 1.9})
    EXPECT_LE(checkJacobian(b, vec(2, {{a, 0.7}, {c, vc}}), dev::AnalysisMode::DcOp, 0, "vc=" + std::to_string(vc)),
              1.0);
}

TEST(DeviceSmoothSwitch, InvertedThresholdsOpenAboveVoff) {
  Bench b;
  b.setup.circ.models.push_back(model("sm", "vswitch", {{"ron", 10}, {"roff", 1e4}, {"von", 0}, {"voff", 1}}));
  b.setup.circ.devices.push_back(device("s1", {"a", "0", "c", "0"}, 0));
  b.status = b.build();
  ASSERT_TRUE(b.status.ok());
  b.load(vec(2, {{1, 1.0}, {2, 2.0}}));
  EXPECT_NEAR(b.f[1], 1e-4, 1e-16);
  b.load(vec(2, {{1, 1.0}, {2, -1.0}}));
  EXPECT_NEAR(b.f[1], 0.1, 1e-14);
}



TEST(SmoothSwitch, IswitchInACircuitFollowsItsControlCurrent) {
  // W controlled by the current of the ammeter V2 (5 mA into its + node, above ION): RON = 10 Ohm in series with 990 Ohm;
  // with 1.5 mA (midway) the geometric mean 1 kOhm
  auto on = runOk("t\n.model WM ISWITCH(RON=10 ROFF=100k ION=2m IOFF=1m)\nV1 a 0 1\nR1 a b 990\nW1 b 0 V2 WM\n"
                  "V3 c 0 5\nR2 c x 1k\nV2 x 0 0\n.op\n.end\n");
  EXPECT_NEAR(on.get(AnalysisType::Op).col("v(b)")[0], 10.0 / 1000.0, 1e-9);
  auto mid = runOk("t\n.model WM ISWITCH(RON=10 ROFF=100k ION=2m IOFF=1m)\nV1 a 0 1\nR1 a b 990\nW1 b 0 V2 WM\n"
                   "V3 c 0 1.5\nR2 c x 1k\nV2 x 0 0\n.op\n.end\n");
  EXPECT_NEAR(mid.get(AnalysisType::Op).col("v(b)")[0], 1000.0 / 1990.0, 1e-9);
}

// VSWITCH as ngspice 39 reads it in PSpice mode (its pswitch): the control port
// draws v / 1 TOhm, RON is at least 1 mOhm and ROFF at most 1 TOhm
TEST(DeviceSmoothSwitch, ControlPortDrawsPswitchsInputCurrentAndResistancesAreClamped) {
  Bench b;
  b.setup.circ.models.push_back(model("sm", "vswitch", {{"ron", 1e-6}, {"roff", 1e15}, {"von", 2}, {"voff", 1}}));
  b.setup.circ.devices.push_back(device("s1", {"a", "0", "c", "0"}, 0));
  b.status = b.build();
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const int a = b.node("a"), c = b.node("c");
  b.load(vec(2, {{a, 1.0}, {c, 3.0}}));
  EXPECT_NEAR(b.f[c], 3.0 / 1e12, 1e-24);
  EXPECT_NEAR(b.f[a], 1.0 / 1e-3, 1e-9);
  b.load(vec(2, {{a, 1.0}, {c, 0.5}}));
  EXPECT_NEAR(b.f[a], 1.0 / 1e12, 1e-24);
  EXPECT_LE(checkJacobian(b, vec(2, {{a, 0.7}, {c, 1.4}}), dev::AnalysisMode::DcOp, 0, "mid"), 1.0);
}

// pswitch's minimum resistance limiter: between the thresholds R never falls below
// RON, so a model with RON above ROFF (ADI's ADG multiplexers: SPCM, SMAINP) holds
// RON until the control passes VOFF, where it drops to ROFF
TEST(DeviceSmoothSwitch, ResistanceBetweenTheThresholdsIsAtLeastRon) {
  Bench b;
  b.setup.circ.models.push_back(model("sm", "vswitch", {{"ron", 450e3}, {"roff", 30}, {"von", 41}, {"voff", -6.5}}));
  b.setup.circ.devices.push_back(device("s1", {"a", "0", "c", "0"}, 0));
  b.status = b.build();
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const int a = b.node("a"), c = b.node("c");
  auto currentAt = [&](double vc) {
    b.load(vec(2, {{a, 1.0}, {c, vc}}));
    return b.f[a];
  };
  // at 12.8 V the cubic alone gives 972 Ohm; the limiter holds 450 kOhm
  for (double vc : {41.5, 30.0, 12.8, 0.0, -6.0}) EXPECT_NEAR(currentAt(vc), 1.0 / 450e3, 1e-15) << vc;
  EXPECT_NEAR(currentAt(-7.0), 1.0 / 30, 1e-12);
  EXPECT_LE(checkJacobian(b, vec(2, {{a, 0.7}, {c, 12.8}}), dev::AnalysisMode::DcOp, 0, "held"), 1.0);
  // where the cubic stays above RON (RON below ROFF) it is untouched
  Bench n;
  n.setup.circ.models.push_back(model("sm", "vswitch", {{"ron", 30}, {"roff", 450e3}, {"von", 41}, {"voff", -6.5}}));
  n.setup.circ.devices.push_back(device("s1", {"a", "0", "c", "0"}, 0));
  n.status = n.build();
  ASSERT_TRUE(n.status.ok());
  n.load(vec(2, {{n.node("a"), 1.0}, {n.node("c"), 17.25}}));
  EXPECT_NEAR(n.f[n.node("a")], 1.0 / std::sqrt(30 * 450e3), 1e-12);  // the geometric mean at the midpoint
}

TEST(SmoothSwitch, ControlNodeHeldOnlyByDiodesSettlesBelowItsDriver) {
  // the control node c hangs between two antiparallel diodes (IS = 10 fA) from a 0.39 V source:
  // pswitch's 0.39 pA input current drops delta across them, 2 IS sinh(delta/vt) + 2 gmin delta = v(c) / 1 TOhm
  auto out = runOk("t\n.model SM VSWITCH(RON=1 ROFF=1MEG VON=5 VOFF=1.5)\n.model DD D(IS=1e-14)\nV1 a 0 0.39\n"
                   "D1 a c DD\nD2 c a DD\nS1 o 0 c 0 SM\nR1 o 0 1k\n.op\n.end\n");
  const double vc = out.get(AnalysisType::Op).col("v(c)")[0];
  const double delta = 0.39 - vc, vt = 8.617333262e-5 * 300.15;
  EXPECT_GT(delta, 0.05);
  EXPECT_NEAR(2e-14 * std::sinh(delta / vt) + 2e-12 * delta, vc / 1e12, 1e-16);
}

// PSpice's VSWITCH/ISWITCH with a threshold and hysteresis (VT VH, IT IH): ngspice 39's PSpice
// mode reads them as SW/CSW, with ROFF 1e12 unless given
TEST(SmoothSwitch, ThresholdAndHysteresisFormsAreSpiceSwitches) {
  auto run = [](const std::string& vmodel, const std::string& imodel) {
    auto out = runOk("t\n.model SV " + vmodel + "\n.model SI " + imodel +
                     "\nV1 c 0 PULSE(0 2 0 1m 1m 1u 2.001m)\nS1 o1 0 c 0 SV\nR1 v o1 1e12\nV2 v 0 5\n"
                     "R2 c x 1k\nVs x 0 0\nW1 o2 0 Vs SI\nR4 v o2 1k\n.tran 10u 4m\n.end\n");
    const Collected& tr = out.get(AnalysisType::Tran);
    return std::array<std::vector<double>, 2>{tr.col("v(o1)"), tr.col("v(o2)")};
  };
  const auto ps = run("VSWITCH(VT=1 VH=0.2 RON=10)", "ISWITCH(IT=1m IH=0.2m RON=10 ROFF=1e6)");
  const auto spice = run("SW(VT=1 VH=0.2 RON=10 ROFF=1e12)", "CSW(IT=1m IH=0.2m RON=10 ROFF=1e6)");
  EXPECT_EQ(ps[0], spice[0]);
  EXPECT_EQ(ps[1], spice[1]);
  // off at the start: half of 5 V across the default 1e12 and R1
  ASSERT_FALSE(ps[0].empty());
  EXPECT_NEAR(ps[0].front(), 2.5, 1e-9);
}

// Names ngspice 39's PSpice mode predefines: VT = (temper + 273.15) * 8.6173303e-5 (in a
// behavioural expression at the running temperature), GMIN = 1e-12, stp(x) = u(x)
TEST(NetlistPspiceBuiltins, VtGminAndStp) {
  auto out = runOk("t\n.temp 50\nV1 a 0 1\nR1 a 0 {VT*1e3}\nE1 c 0 VALUE={VT*V(a)}\nR2 c 0 1k\n"
                   "E2 d 0 VALUE={stp(V(a)-0.5) + GMIN*1e12}\nR3 d 0 1k\n.op\n.dc temp 0 100 50\n.end\n");
  const double vt50 = (50 + 273.15) * 8.6173303e-5;
  const Collected& op = out.get(AnalysisType::Op);
  EXPECT_NEAR(op.col("i(v1)")[0], -1.0 / (vt50 * 1e3), 1e-12);
  EXPECT_NEAR(op.col("v(c)")[0], vt50, 1e-15);
  EXPECT_NEAR(op.col("v(d)")[0], 2.0, 1e-15);
  const Collected& dc = out.get(AnalysisType::Dc);
  ASSERT_EQ(dc.col("v(c)").size(), 3u);
  for (std::size_t k = 0; k < 3; ++k)
    EXPECT_NEAR(dc.col("v(c)")[k], (50.0 * double(k) + 273.15) * 8.6173303e-5, 1e-15);
}

// PSpice's temperature parameters on a .model card, read as ngspice 39 reads them in PSpice
// mode: T_ABS as TEMP, T_REL_GLOBAL as DTEMP, T_MEASURED as TNOM
TEST(NetlistModelTemperature, PspiceTAbsTRelGlobalAndTMeasuredAreTempDtempAndTnom) {
  auto v = [](const std::string& params) {
    auto out = runOk("t\nI1 0 a 1m\nD1 a 0 DM\n.model DM D(IS=1e-15 N=0.5 " + params + ")\n.op\n.end\n");
    return out.get(AnalysisType::Op).col("v(a)")[0];
  };
  EXPECT_EQ(v("T_ABS=60"), v("TEMP=60"));
  EXPECT_NE(v("T_ABS=60"), v(""));
  EXPECT_EQ(v("T_REL_GLOBAL=20"), v("DTEMP=20"));
  EXPECT_NE(v("T_REL_GLOBAL=20"), v(""));
  EXPECT_EQ(v("T_MEASURED=50"), v("TNOM=50"));
  EXPECT_NE(v("T_MEASURED=50"), v(""));
}

// ---------------------------------------------------------------- lossless line

TEST(TLine, DcConnectsTheEnds) {
  auto out = runOk("t\nV1 a 0 2\nR1 a b 100\nT1 b 0 c 0 Z0=50 TD=1n\nR2 c 0 300\n.op\n.end\n");
  const Collected& op = out.get(AnalysisType::Op);
  EXPECT_NEAR(op.col("v(b)")[0], 2.0 * 300 / 400, 1e-9);
  EXPECT_NEAR(op.col("v(c)")[0], 2.0 * 300 / 400, 1e-9);
}

TEST(TLine, MatchedLineDelaysThePulse) {
  // source and load matched: the far end sees half the source, TD later, and nothing comes back
  auto out = runOk("t\nV1 s 0 PULSE(0 2 1n 0.1n 0.1n 4n 100n)\nR1 s a 50\nT1 a 0 b 0 Z0=50 TD=5n\nR2 b 0 50\n"
                   ".tran 0.02n 20n\n.end\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  const auto& va = tr.col("v(a)");
  const auto& vb = tr.col("v(b)");
  auto at = [&](const std::vector<double>& v, double t) {
    auto it = std::lower_bound(tr.x.begin(), tr.x.end(), t);
    const std::size_t k = std::size_t(it - tr.x.begin());
    if (k == 0) return v[0];
    return v[k - 1] + (v[k] - v[k - 1]) * (t - tr.x[k - 1]) / (tr.x[k] - tr.x[k - 1]);
  };
  EXPECT_NEAR(at(va, 3e-9), 1.0, 1e-3);
  EXPECT_NEAR(at(vb, 3e-9), 0.0, 1e-3);   // not arrived yet
  EXPECT_NEAR(at(vb, 8e-9), 1.0, 1e-3);   // arrived 5 ns later
  EXPECT_NEAR(at(va, 12e-9), 0.0, 1e-3);  // the pulse has left the near end, no reflection
  EXPECT_NEAR(at(vb, 12e-9), 0.0, 1e-3);
}

TEST(TLine, OpenEndDoublesTheWaveAndAcShowsTheQuarterWave) {
  // an open far end doubles the incident wave; a quarter-wave line open at the end is a
  // short at its input (at F = 1/(4 TD)), where |v(a)| has a minimum
  auto out = runOk("t\nV1 s 0 DC 0 AC 1 PULSE(0 1 0 0.1n 0.1n 50n 100n)\nR1 s a 50\nT1 a 0 b 0 Z0=50 TD=2.5n\n"
                   "R2 b 0 1G\n.ac lin 101 50Meg 150Meg\n.tran 0.02n 9n\n.end\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  const auto& vb = tr.col("v(b)");
  EXPECT_NEAR(vb.back(), 1.0, 2e-3);  // 0.5 incident + 0.5 reflected (after 2.5 ns, within 9 ns)
  const Collected& ac = out.get(AnalysisType::Ac);
  std::size_t best = 0;
  for (std::size_t k = 0; k < ac.rows; ++k)
    if (std::abs(ac.phasor("v(a)", k)) < std::abs(ac.phasor("v(a)", best))) best = k;
  EXPECT_NEAR(ac.x[best], 100e6, 1.5e6);
  EXPECT_LT(std::abs(ac.phasor("v(a)", best)), 1e-3);
}

TEST(TLine, RequiresZ0AndADelay) {
  auto e = simcore::testing::runErr("t\nV1 a 0 1\nT1 a 0 b 0 TD=1n\nR1 b 0 1\n.op\n.end\n");
  EXPECT_TRUE(contains(e.message, "Z0 must be given")) << e.message;
}

// ---------------------------------------------------------------- diode vendor parameters

Bench diodeBench(Params mp) {
  Bench b;
  b.setup.circ.models.push_back(model("dm", "d", std::move(mp)));
  b.setup.circ.devices.push_back(device("d1", {"a", "0"}, 0));
  b.status = b.build();
  return b;
}

TEST(DeviceDiode, RecombinationCurrentWithItsGenerationFactor) {
  Bench b = diodeBench({{"is", 1e-14}, {"isr", 1e-10}, {"nr", 2}, {"vj", 0.7}, {"m", 0.4}});
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const double v = 0.3;
  residual(b, vec(1, {{1, v}}), dev::AnalysisMode::DcOp, 0);
  const double gen = std::pow((1 - v / 0.7) * (1 - v / 0.7) + 0.005, 0.2);
  const double i = 1e-14 * std::expm1(v / kVt300) + 1e-10 * std::expm1(v / (2 * kVt300)) * gen + 1e-12 * v;
  EXPECT_NEAR(b.f[1], i, 1e-9 * i);
  for (double vd : {0.2, 0.5, 0.75, -0.05})
    EXPECT_LE(checkJacobian(b, vec(1, {{1, vd}}), dev::AnalysisMode::DcOp, 0, "vd=" + std::to_string(vd)), 1.0);
}

TEST(DeviceDiode, KneeCurrentsBendTheForwardAndReverseCurrent) {
  Bench b = diodeBench({{"is", 1e-12}, {"ikf", 0.01}, {"ikr", 1e-3}, {"bv", 20}, {"ibv", 1e-4}});
  ASSERT_TRUE(b.status.ok());
  const double v = 0.8;
  residual(b, vec(1, {{1, v}}), dev::AnalysisMode::DcOp, 0);
  const double id = 1e-12 * std::expm1(v / kVt300);
  EXPECT_NEAR(b.f[1], id / (1 + std::sqrt(id / 0.01)) + 1e-12 * v, 1e-9 * id);
  for (double vd : {0.6, 0.8, -5.0, -20.5})
    EXPECT_LE(checkJacobian(b, vec(1, {{1, vd}}), dev::AnalysisMode::DcOp, 0, "vd=" + std::to_string(vd)), 1.0);
}


// ---------------------------------------------------------------- diode: ngspice 39's sidewall, tunnelling,
// temperature and LEVEL=3 parameters (agreement with ngspice: tests/compat/diode_*.cir)

Bench diodeBenchAt(Params mp, Params ip) {
  Bench b;
  b.setup.circ.models.push_back(model("dm", "d", std::move(mp)));
  b.setup.circ.devices.push_back(device("d1", {"a", "0"}, 0, std::move(ip)));
  b.status = b.build();
  return b;
}

// the junction's small-signal capacitance at vd: (transient Jacobian - DC Jacobian) / ag0
double diodeCap(Bench& b, double vd) {
  const double ag0 = 1e10;
  residual(b, vec(1, {{1, vd}}), dev::AnalysisMode::DcOp, 0);
  const double g = b.J(1, 1);
  residual(b, vec(1, {{1, vd}}), dev::AnalysisMode::Tran, ag0);
  return (b.J(1, 1) - g) / ag0;
}

TEST(DeviceDiode, SidewallCurrentHasItsOwnExponentialOnlyWithNs) {
  const double v = 0.45, pj = 4.0;
  Bench own = diodeBenchAt({{"is", 1e-14}, {"jsw", 2e-15}, {"ns", 1.5}}, {{"pj", pj}});
  ASSERT_TRUE(own.status.ok()) << own.status.error().message;
  residual(own, vec(1, {{1, v}}), dev::AnalysisMode::DcOp, 0);
  double i = 1e-14 * std::expm1(v / kVt300) + 2e-15 * pj * std::expm1(v / (1.5 * kVt300)) + 1e-12 * v;
  EXPECT_NEAR(own.f[1], i, 1e-9 * i);
  // without NS: JSW*PJ joins IS in the area's exponential (ngspice 39)
  Bench merged = diodeBenchAt({{"is", 1e-14}, {"jsw", 2e-15}}, {{"pj", pj}});
  ASSERT_TRUE(merged.status.ok());
  residual(merged, vec(1, {{1, v}}), dev::AnalysisMode::DcOp, 0);
  i = (1e-14 + 2e-15 * pj) * std::expm1(v / kVt300) + 1e-12 * v;
  EXPECT_NEAR(merged.f[1], i, 1e-9 * i);
  // the model's AREA and PJ are the instance's defaults; W or L on a level-1 instance makes them 1 and 0
  Bench model = diodeBenchAt({{"is", 1e-14}, {"jsw", 2e-15}, {"area", 3}, {"pj", 5}}, {});
  ASSERT_TRUE(model.status.ok());
  residual(model, vec(1, {{1, v}}), dev::AnalysisMode::DcOp, 0);
  i = (3e-14 + 1e-14) * std::expm1(v / kVt300) + 1e-12 * v;
  EXPECT_NEAR(model.f[1], i, 1e-9 * i);
  Bench wl = diodeBenchAt({{"is", 1e-14}, {"jsw", 2e-15}, {"area", 3}, {"pj", 5}}, {{"w", 2e-6}});
  ASSERT_TRUE(wl.status.ok());
  residual(wl, vec(1, {{1, v}}), dev::AnalysisMode::DcOp, 0);
  i = 1e-14 * std::expm1(v / kVt300) + 1e-12 * v;
  EXPECT_NEAR(wl.f[1], i, 1e-9 * i);
}

TEST(DeviceDiode, TunnellingCurrentFlowsInReverse) {
  const double v = -2.0, ntun = 20;
  Bench b = diodeBenchAt({{"is", 1e-15}, {"jtun", 1e-12}, {"jtunsw", 1e-13}, {"ntun", ntun}}, {{"area", 2}, {"pj", 3}});
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  residual(b, vec(1, {{1, v}}), dev::AnalysisMode::DcOp, 0);
  const double a = std::pow(3 * kVt300 / (v * M_E), 3);
  const double i = -2e-15 * (1 + a) - (2e-12 + 3e-13) * std::expm1(-v / (ntun * kVt300)) + 1e-12 * v;
  EXPECT_NEAR(b.f[1], i, 1e-9 * std::fabs(i));
}

// every new current and charge together, in every region: forward, between the
// junctions' FC points, reverse, tunnelling and breakdown; DC and transient
TEST(DeviceDiode, SidewallTunnelAndLevel3JacobianMatchesFiniteDifferences) {
  const Params mp = {{"is", 1e-14}, {"n", 1.05}, {"jsw", 1e-15}, {"ns", 1.3}, {"isr", 1e-12}, {"nr", 2},
                     {"jtun", 1e-14}, {"jtunsw", 2e-15}, {"ntun", 10}, {"ikf", 0.05}, {"ikr", 1e-4},
                     {"bv", 8}, {"ibv", 1e-3}, {"nbv", 2}, {"cjo", 5e-12}, {"m", 0.4}, {"vj", 0.7},
                     {"cjp", 1e-12}, {"mjsw", 0.3}, {"php", 0.6}, {"fcs", 0.6}, {"tt", 5e-9},
                     {"tm1", 1e-3}, {"ttt1", 2e-3}, {"tcv", 1e-3}, {"tnom", 20}};
  for (int level : {1, 3}) {
    Params m = mp;
    m.push_back({"level", double(level)});
    m.push_back({"lm", 1e-5});
    m.push_back({"wm", 2e-5});
    Bench b = diodeBenchAt(m, {{"pj", 3}, {"area", 2}});
    ASSERT_TRUE(b.status.ok()) << b.status.error().message;
    for (double vd : {0.75, 0.3, 0.1, -0.05, -2.0, -6.0, -8.5}) {
      const std::string what = "level " + std::to_string(level) + " vd=" + std::to_string(vd);
      EXPECT_LE(checkJacobian(b, vec(1, {{1, vd}}), dev::AnalysisMode::DcOp, 0, what), 1.0);
      EXPECT_LE(checkJacobian(b, vec(1, {{1, vd}}), dev::AnalysisMode::Tran, 1e10, what + " tran"), 1.0);
    }
  }
}

TEST(DeviceDiode, TemperatureCoefficientsOfTtMAndCapacitances) {
  // TM1 at 127 degC makes M 0.5*(1 + 0.01*100) = 1: limited to 0.9, as ngspice 39
  Bench hot = diodeBenchAt({{"cjo", 1e-12}, {"vj", 1.0}, {"m", 0.5}, {"tm1", 0.01}, {"tlevc", 1}}, {{"temp", 127}});
  ASSERT_TRUE(hot.status.ok()) << hot.status.error().message;
  EXPECT_NEAR(diodeCap(hot, -1.0), 1e-12 * std::pow(2.0, -0.9), 1e-6 * 1e-12);
  // TLEVC=1: VJ - TPB (T - 27 degC), CJO (1 + CTA (T - 27 degC)), whatever TNOM
  Bench lin = diodeBenchAt({{"cjo", 1e-12}, {"vj", 0.8}, {"m", 0.5}, {"tlevc", 1}, {"cta", 2e-3}, {"tpb", 1e-3},
                            {"tnom", 50}},
                           {{"temp", 77}});
  ASSERT_TRUE(lin.status.ok());
  EXPECT_NEAR(diodeCap(lin, -1.0), 1e-12 * 1.1 / std::sqrt(1 + 1 / 0.75), 1e-6 * 1e-12);
  // TTT1, TTT2: the diffusion capacitance TT(T) gd
  Bench tt = diodeBenchAt({{"tt", 1e-8}, {"ttt1", 1e-2}, {"ttt2", 1e-4}}, {{"temp", 37}});
  ASSERT_TRUE(tt.status.ok());
  residual(tt, vec(1, {{1, 0.6}}), dev::AnalysisMode::DcOp, 0);
  const double gd = tt.J(1, 1) - 1e-12;
  EXPECT_NEAR(diodeCap(tt, 0.6), 1e-8 * (1 + 0.1 + 0.01) * gd, 1e-6 * 1e-8 * gd);
}

TEST(DeviceDiode, BreakdownVoltageFollowsTcvAsTlevSays) {
  // TLEV=0: BV - TCV dT; TLEV=1: BV (1 - TCV dT). With IBV tiny the knee is BV itself.
  for (int tlev : {0, 1}) {
    const double tcv = tlev == 0 ? 0.01 : 1e-3;
    Bench b = diodeBenchAt({{"is", 1e-14}, {"bv", 10}, {"ibv", 1e-10}, {"tcv", tcv}, {"tlev", double(tlev)}},
                           {{"temp", 127}});
    ASSERT_TRUE(b.status.ok()) << b.status.error().message;
    const double bvT = tlev == 0 ? 10 - tcv * 100 : 10 * (1 - tcv * 100);
    const double vt = kVt300 * 400.15 / 300.15;
    const double isT = 1e-14 * std::exp((400.15 / 300.15 - 1) * 1.11 / vt + 3 * std::log(400.15 / 300.15));
    const double v = -bvT - 0.1;
    residual(b, vec(1, {{1, v}}), dev::AnalysisMode::DcOp, 0);
    EXPECT_NEAR(b.f[1], -isT * std::exp(0.1 / vt) + 1e-12 * v, 1e-6 * isT * std::exp(0.1 / vt)) << tlev;
  }
}

// ngspice 39's charges step at FCS*PHP (the sidewall's continuation starts from the area's F1) and at
// FC*VJ when VJ is limited to 1/FC; simcore's are continuous, and a current driving the diode across
// FCS*PHP (where ngspice 39 stops with "timestep too small") runs through
TEST(DeviceDiode, DepletionChargesAreContinuousAtTheirFcPoints) {
  Bench b = diodeBenchAt({{"is", 1e-20}, {"cjo", 2e-12}, {"vj", 3.0}, {"m", 0.4}, {"cjp", 1e-10}, {"php", 0.5},
                          {"mjsw", 0.5}, {"fcs", 0.5}},
                         {{"pj", 1}});
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  auto charge = [&](double v) {
    // the transient residual minus the DC residual is ag0 (q - q_old) with q_old = 0
    residual(b, vec(1, {{1, v}}), dev::AnalysisMode::DcOp, 0);
    const double dc = b.f[1];
    residual(b, vec(1, {{1, v}}), dev::AnalysisMode::Tran, 1.0);
    return b.f[1] - dc;
  };
  // (the charge is there: about CJP*v + CJO*v at small v)
  EXPECT_NEAR(charge(0.01), 1.02e-10 * 0.01, 0.05 * 1.02e-12);
  for (double v : {0.25, 1.0}) {  // FCS*PHP, and FC*VJ with VJ limited to 1/FC = 2
    const double below = charge(v - 1e-9), above = charge(v + 1e-9);
    EXPECT_NEAR(above, below, 1e-9 * 1e-9) << v;
  }
  auto r = runOk("t\nI1 0 a pwl(0 0 10n 40m)\nD1 a 0 dsw pj=1\nR1 a 0 10\n"
                 ".model dsw D(is=1e-20 cjp=100p php=0.5 mjsw=0.5 fcs=0.5)\n.tran 0.01n 10n\n.end\n");
  const auto& v = r.get(simcore::AnalysisType::Tran).col("v(a)");
  EXPECT_GT(v.back(), 0.3);
}

TEST(NetlistDiode, ParameterErrorsNameFileLineAndColumn) {
  const std::string circuit = "V1 a 0 1\nD1 a 0 dm\n.op\n.end\n";
  auto e = simcore::testing::runErr("t\n.model dm D(is=1n tlevc=2)\n" + circuit);
  EXPECT_TRUE(contains(e.message, "TLEVC must be 0 or 1")) << e.message;
  EXPECT_EQ(e.loc.line, 2);
  EXPECT_EQ(e.loc.col, 19);
  e = simcore::testing::runErr("t\n.model dm D(level=2 is=1n)\n" + circuit);
  EXPECT_TRUE(contains(e.message, "diode level 2 is not supported; use level 1 or 3")) << e.message;
  EXPECT_EQ(e.loc.line, 2);
  EXPECT_EQ(e.loc.col, 13);
  e = simcore::testing::runErr("t\n.model dm D(is=1n fcs=1)\n" + circuit);
  EXPECT_TRUE(contains(e.message, "FCS must be in [0, 1)")) << e.message;
  EXPECT_EQ(e.loc.col, 19);
  e = simcore::testing::runErr("t\n.model dm D(is=1n bv=5 tcv=0.1)\nV1 a 0 1\nD1 a 0 dm temp=100\n.op\n.end\n");
  EXPECT_TRUE(contains(e.message, "TCV makes BV negative")) << e.message;
  EXPECT_EQ(e.loc.col, 24);
  // a model named where the third node stands (its own card) and a fourth word: the model is missing
  e = simcore::testing::runErr("t\n.model dm D(is=1n rth0=10)\nV1 a 0 1\nD1 a 0 tj tk dm thermal\n.op\n.end\n");
  EXPECT_EQ(e.loc.line, 4);
}

TEST(NetlistDiode, LimitsOfNgspice39AreWarnedWhereTheModelIsRead) {
  auto c = testutil::ok("t\n.model dm D(is=1n m=0.95 vj=2.5 tlev=2)\nD1 a 0 dm\nV1 a 0 1\n");
  int n = 0;
  for (const auto& w : c.warnings)
    n += contains(w.message, "grading coefficient m=0.95 is limited to 0.9") +
         contains(w.message, "VJ=2.5 is limited to 1/FC=2") + contains(w.message, "TLEV=2 only selects TCV's form");
  EXPECT_EQ(n, 3);
  // and they are made: M 0.9, VJ 2 (0.4 V: below FC*VJ = 1 V)
  Bench b = diodeBenchAt({{"cjo", 1e-12}, {"m", 0.95}, {"vj", 2.5}}, {});
  ASSERT_TRUE(b.status.ok());
  EXPECT_NEAR(diodeCap(b, 0.4), 1e-12 * std::pow(1 - 0.4 / 2.0, -0.9), 1e-18);
}

TEST(NetlistDiode, PspiceLowLevelBreakdownAndSoaLimitsAreAccepted) {
  // NBVL/IBVL (PSpice, not in ngspice 39): one warning per file and name; the SOA limits: silently
  auto c = testutil::ok(
      "t\n.model dz D(Is=1n Bv=5.1 Ibv=1m Nbvl=3 Ibvl=1u fv_max=1 bv_max=6 id_max=1 pd_max=0.5 te_max=150)\n"
      ".model dz2 D(Is=1n Bv=6.2 Nbvl=2 Ibvl=2u)\nD1 a 0 dz\nD2 a 0 dz2\nV1 a 0 -1\n");
  int n = 0;
  for (const auto& w : c.warnings) n += contains(w.message, "ignored, as by ngspice 39") ? 1 : 0;
  EXPECT_EQ(n, 2);
  for (const auto& w : c.warnings) EXPECT_FALSE(contains(w.message, "_max")) << w.message;
  // ngspice checks them only with .options warn=1: simcore says it makes no check
  c = testutil::ok("t\n.options warn=1 maxwarns=10\n.model dz D(Is=1n id_max=1)\nD1 a 0 dz\nV1 a 0 1\n");
  n = 0;
  for (const auto& w : c.warnings) n += contains(w.message, "no SOA check is made") ? 1 : 0;
  EXPECT_EQ(n, 2);
  // and the aliases of ngspice 39: JS PB MJ IK IB CJSW CTC TVJ TREF
  auto a = runOk("t\n.model da D(js=1e-14 pb=0.8 mj=0.4 ik=0.1 ib=2m bv=5 cjsw=1p ctc=1e-3 tvj=1e-3 tref=30 tlevc=1)\n"
                 "D1 a 0 da pj=2\nV1 a 0 0.6\n.op\n.end\n");
  auto b = runOk("t\n.model db D(is=1e-14 vj=0.8 m=0.4 ikf=0.1 ibv=2m bv=5 cjp=1p cta=1e-3 tpb=1e-3 tnom=30 tlevc=1)\n"
                 "D1 a 0 db pj=2\nV1 a 0 0.6\n.op\n.end\n");
  EXPECT_EQ(a.get(simcore::AnalysisType::Op).col("i(v1)").at(0), b.get(simcore::AnalysisType::Op).col("i(v1)").at(0));
}

// ---------------------------------------------------------------- MOSFET levels 2, 3 and 6

// One MOSFET m1 (d g s b) of an nmos/pmos model of the given LEVEL.
Bench mosLevelBench(int level, const std::string& type, Params mp, Params ip = {{"w", 10e-6}, {"l", 1e-6}}) {
  Bench b;
  mp.push_back({"level", double(level)});
  b.setup.circ.models.push_back(model("m" + std::to_string(level), type, std::move(mp)));
  b.setup.circ.devices.push_back(device("m1", {"d", "g", "s", "b"}, 0, std::move(ip)));
  b.status = b.build();
  return b;
}

// The Jacobian of a level against finite differences over bias points of
// every region (normal and reverse mode, body bias, forward bulk junction),
// with series resistances (internal nodes m1#d, m1#s); pmos mirrors VTO.
// vbsShift moves every point's vbs (BSIM1/2 have a kink at vbs = 0, where
// their derivatives are one-sided, as ngspice's, and central differences
// cannot agree).
void mosLevelFd(int level, const std::string& type, Params mp, double vbsShift = 0.0) {
  const double s = type == "pmos" ? -1 : 1;
  for (auto& [k, v] : mp)
    if (k == "vto") v *= s;
  Bench b = mosLevelBench(level, type, mp);
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const int d = b.node("d"), g = b.node("g"), src = b.node("s"), bk = b.node("b");
  const int di = b.node("m1#d"), si = b.node("m1#s");
  const std::vector<std::array<double, 3>> bias = {
      {0.3, 1.0, 0.0}, {0.9, 1.0, 0.0}, {2.0, 0.3, 0.0}, {2.0, 3.0, 0.0}, {2.0, -0.4, 0.0},
      {2.5, -3.0, 0.0}, {2.0, 0.5, -1.5}, {2.5, 3.0, -2.0}, {1.5, 1.0, 0.3}};
  for (auto v : bias) {
    v[2] += vbsShift;
    const double vs = 0.2;
    auto x = vec(6, {{g, s * (vs + v[0])}, {di, s * (vs + v[1])}, {d, s * (vs + v[1] + 0.001)}, {si, s * vs},
                     {src, s * (vs - 0.001)}, {bk, s * (vs + v[2])}});
    const std::string what = type + " level " + std::to_string(level) + " vgs=" + std::to_string(v[0]) +
                             " vds=" + std::to_string(v[1]) + " vbs=" + std::to_string(v[2]);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::DcOp, 0, what), 1.0);
  }
}

// ---------------------------------------------------------------- MOSFET level 3

Bench mos3Bench(const std::string& type, Params mp, Params ip = {{"w", 10e-6}, {"l", 1e-6}}) {
  return mosLevelBench(3, type, std::move(mp), std::move(ip));
}

TEST(DeviceMos3, LevelThreeModelsGetTheirOwnKind) {
  Bench b = mos3Bench("nmos", {{"vto", 0.7}});
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const dev::DeviceKind* k = dev::kindOf(b.setup.circ.devices[0], b.setup.circ.models);
  ASSERT_NE(k, nullptr);
  EXPECT_NE(k, dev::findKind('m'));
  EXPECT_NE(k->find(dev::ParamScope::Model, "kappa"), nullptr);
  // level 7 stays with the level-1 kind, which rejects it
  ir::Circuit c;
  c.models.push_back(model("m7", "nmos", {{"level", 7}}));
  c.devices.push_back(device("m1", {"d", "g", "s", "b"}, 0));
  EXPECT_EQ(dev::kindOf(c.devices[0], c.models), dev::findKind('m'));
}

TEST(DeviceMos3, WithoutSecondOrderTermsItIsTheSquareLaw) {
  // no GAMMA, THETA, ETA, VMAX, NSUB (no length modulation): id = beta*(vgst - vds/2)*vds, saturating at vgst
  Bench b = mos3Bench("nmos", {{"vto", 1.0}, {"kp", 2e-5}, {"is", 0}});
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const int d = b.node("d"), g = b.node("g");
  const double beta = 2e-5 * 10;
  residual(b, vec(4, {{d, 5.0}, {g, 3.0}}), dev::AnalysisMode::DcOp, 0);
  EXPECT_NEAR(b.f[d], 0.5 * beta * 4.0 + 1e-12 * 5.0, 1e-9 * beta);
  residual(b, vec(4, {{d, 0.5}, {g, 3.0}}), dev::AnalysisMode::DcOp, 0);
  EXPECT_NEAR(b.f[d], beta * (2.0 - 0.25) * 0.5 + 1e-12 * 0.5, 1e-9 * beta);
}

// (no NSUB: with its channel shortening the slopes are ngspice's, not the current's,
// DeviceMos3.SlopesAsNgspiceWithLengthModulation; so are they past vdsat with VMAX)
const Params kMos3 = {{"vto", 0.7},  {"kp", 1e-4},  {"gamma", 0.45}, {"phi", 0.7},   {"tox", 2e-8},
                      {"theta", 0.08}, {"eta", 0.04}, {"kappa", 0.3}, {"xj", 2e-7},
                      {"ld", 6e-8},  {"delta", 0.6}, {"rd", 10},      {"rs", 8},      {"nfs", 5e11}};

TEST(DeviceMos3, NmosJacobianMatchesFiniteDifferences) { mosLevelFd(3, "nmos", kMos3); }
TEST(DeviceMos3, PmosJacobianMatchesFiniteDifferences) { mosLevelFd(3, "pmos", kMos3); }

// ---------------------------------------------------------------- MOSFET level 6

Bench mos6Bench(const std::string& type, Params mp, Params ip = {{"w", 10e-6}, {"l", 1e-6}}) {
  return mosLevelBench(6, type, std::move(mp), std::move(ip));
}

TEST(DeviceMos6, TheNthPowerLawInSaturationAndBelowVdsat) {
  // KC*W/L*(vgs - vto)^NC, saturating at vdsat = KV*(vgs - vto)^NV; below vdsat
  // the current times (2 - vds/vdsat)*vds/vdsat; LAMBDA0 on both
  const double kc = 4e-5, nc = 1.2, kv = 0.9, nv = 0.8, lam = 0.02;
  Bench b = mos6Bench("nmos", {{"vto", 0.7}, {"kc", kc}, {"nc", nc}, {"kv", kv}, {"nv", nv}, {"lambda0", lam}, {"is", 0}});
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const int d = b.node("d"), g = b.node("g");
  const double vgon = 2.0 - 0.7, idsat = kc * 10 * std::pow(vgon, nc), vdsat = kv * std::pow(vgon, nv);
  residual(b, vec(4, {{d, 3.0}, {g, 2.0}}), dev::AnalysisMode::DcOp, 0);
  EXPECT_NEAR(b.f[d], idsat * (1 + lam * 3.0) + 1e-12 * 3.0, 1e-9 * idsat);
  const double vds = 0.4 * vdsat, r = vds / vdsat;
  residual(b, vec(4, {{d, vds}, {g, 2.0}}), dev::AnalysisMode::DcOp, 0);
  EXPECT_NEAR(b.f[d], idsat * (1 + lam * vds) * (2 - r) * r + 1e-12 * vds, 1e-9 * idsat);
  // cut off below von
  residual(b, vec(4, {{d, 3.0}, {g, 0.6}}), dev::AnalysisMode::DcOp, 0);
  EXPECT_NEAR(b.f[d], 1e-12 * 3.0, 1e-15);
  // LAMBDA stands for LAMBDA0 when that is not given; level 6 has a kind of its own
  Bench l = mos6Bench("nmos", {{"vto", 0.7}, {"kc", kc}, {"nc", nc}, {"kv", kv}, {"nv", nv}, {"lambda", lam}, {"is", 0}});
  ASSERT_TRUE(l.status.ok());
  residual(l, vec(4, {{d, 3.0}, {g, 2.0}}), dev::AnalysisMode::DcOp, 0);
  EXPECT_NEAR(l.f[d], idsat * (1 + lam * 3.0) + 1e-12 * 3.0, 1e-9 * idsat);
  const dev::DeviceKind* k = dev::kindOf(b.setup.circ.devices[0], b.setup.circ.models);
  ASSERT_NE(k, nullptr);
  EXPECT_NE(k->find(dev::ParamScope::Model, "lambda1"), nullptr);
}

// the level-6 NMOS of ngspice's tests/mos6, with series resistances
const Params kMos6 = {{"vto", 0.69486}, {"kc", 3.8921e-05}, {"nc", 1.1739}, {"kv", 0.91602}, {"nv", 0.87225},
                      {"lambda0", 0.013333}, {"lambda1", 0.0046901}, {"gamma", 0.60309}, {"gamma1", 0.02},
                      {"sigma", 0.01}, {"phi", 1.0}, {"tox", 1.98e-8}, {"ld", 1e-7}, {"rd", 10}, {"rs", 8}};

TEST(DeviceMos6, NmosJacobianMatchesFiniteDifferences) { mosLevelFd(6, "nmos", kMos6); }
TEST(DeviceMos6, PmosJacobianMatchesFiniteDifferences) { mosLevelFd(6, "pmos", kMos6); }

// ---------------------------------------------------------------- MOSFET level 2

Bench mos2Bench(const std::string& type, Params mp, Params ip = {{"w", 10e-6}, {"l", 1e-6}}) {
  return mosLevelBench(2, type, std::move(mp), std::move(ip));
}

TEST(DeviceMos2, LevelTwoModelsGetTheirOwnKind) {
  Bench b = mos2Bench("nmos", {{"vto", 0.7}});
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const dev::DeviceKind* k = dev::kindOf(b.setup.circ.devices[0], b.setup.circ.models);
  ASSERT_NE(k, nullptr);
  EXPECT_NE(k, dev::findKind('m'));
  EXPECT_NE(k->find(dev::ParamScope::Model, "ucrit"), nullptr);
  EXPECT_NE(k->find(dev::ParamScope::Model, "neff"), nullptr);
}

TEST(DeviceMos2, WithoutSecondOrderTermsItIsTheSquareLaw) {
  // no GAMMA, DELTA, UEXP, VMAX, NSUB, LAMBDA: id = beta*(vgst - vds/2)*vds, saturating at vgst
  Bench b = mos2Bench("nmos", {{"vto", 1.0}, {"kp", 2e-5}, {"is", 0}});
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const int d = b.node("d"), g = b.node("g");
  const double beta = 2e-5 * 10;
  residual(b, vec(4, {{d, 5.0}, {g, 3.0}}), dev::AnalysisMode::DcOp, 0);
  EXPECT_NEAR(b.f[d], 0.5 * beta * 4.0 + 1e-12 * 5.0, 1e-9 * beta);
  residual(b, vec(4, {{d, 0.5}, {g, 3.0}}), dev::AnalysisMode::DcOp, 0);
  EXPECT_NEAR(b.f[d], beta * (2.0 - 0.25) * 0.5 + 1e-12 * 0.5, 1e-9 * beta);
  // LAMBDA shortens the channel beyond vdsat: id / (1 - lambda*vds)
  Bench l = mos2Bench("nmos", {{"vto", 1.0}, {"kp", 2e-5}, {"is", 0}, {"lambda", 0.05}});
  ASSERT_TRUE(l.status.ok()) << l.status.error().message;
  residual(l, vec(4, {{d, 5.0}, {g, 3.0}}), dev::AnalysisMode::DcOp, 0);
  EXPECT_NEAR(l.f[d], 0.5 * beta * 4.0 / (1 - 0.05 * 5.0) + 1e-12 * 5.0, 1e-9 * beta);
}

// (no XJ, NFS or VMAX: with them ngspice's slopes, which simcore's copy, are not the current's
// exact ones, DeviceMos2.SlopesAsNgspice)
const Params kMos2 = {{"vto", 0.7},  {"kp", 1e-4},  {"gamma", 0.45}, {"phi", 0.7},  {"tox", 2e-8},
                      {"nsub", 1e16}, {"ucrit", 1e4}, {"uexp", 0.15}, {"ld", 6e-8},
                      {"delta", 0.6}, {"rd", 10},     {"rs", 8}};

// (vbs shifted off 0: with NFS, MOS2's threshold has a kink there, see test_devices_mos23.cpp)
TEST(DeviceMos2, NmosJacobianMatchesFiniteDifferences) { mosLevelFd(2, "nmos", kMos2, -0.05); }
TEST(DeviceMos2, PmosJacobianMatchesFiniteDifferences) { mosLevelFd(2, "pmos", kMos2, -0.05); }


// ---------------------------------------------------------------- MOSFET levels 4 and 5 (BSIM1, BSIM2)

// Cox (F/cm²) of TOX in µm, as ngspice's bsim1/bsim2
double bsimCox(double toxUm) { return 3.453e-13 / (toxUm * 1e-4); }

TEST(DeviceBsim1, SquareLawWhenTheSecondOrderTermsAreOff) {
  // K2 = ETA = U0 = U1 = 0, MUS = MUZ (beta constant), N0 = 200 (no subthreshold current):
  // Vth = VFB + PHI + K1 sqrt(PHI - vbs); triode beta (vgst - a vds/2) vds, saturation beta vgst²/(2a)
  const double vfb = -0.9, phi = 0.8, k1 = 0.5, mu = 500, tox = 0.02, dl = 0.2, dw = 0.5;
  Bench b = mosLevelBench(4, "nmos", {{"vfb", vfb}, {"phi", phi}, {"k1", k1}, {"muz", mu}, {"mus", mu}, {"n0", 200},
                                      {"tox", tox}, {"vdd", 5}, {"dl", dl}, {"dw", dw}},
                          {{"w", 10e-6}, {"l", 2e-6}});
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const int d = b.node("d"), g = b.node("g"), bk = b.node("b");
  const double beta = mu * bsimCox(tox) * (10 - dw) / (2 - dl);
  const double gJ = 1e-15 / kVt300 + 2e-12;  // drain junction (reverse: linear, IS = 1e-15) and 2 gmin (as ngspice)
  for (double vbs : {0.0, -2.0}) {
    const double vpb = phi - vbs, vth = vfb + phi + k1 * std::sqrt(vpb);
    const double G = 1 - 1 / (1.744 + 0.8364 * vpb), a = 1 + 0.5 * G * k1 / std::sqrt(vpb);
    const double vgst = 3.0 - vth;
    residual(b, vec(4, {{d, 4.0}, {g, 3.0}, {bk, vbs}}), dev::AnalysisMode::DcOp, 0);
    const double isat = 0.5 * beta * vgst * vgst / a;
    EXPECT_NEAR(b.f[d], isat + gJ * (4.0 - vbs), 1e-9 * isat) << "vbs=" << vbs;
    const double vds = 0.3;
    residual(b, vec(4, {{d, vds}, {g, 3.0}, {bk, vbs}}), dev::AnalysisMode::DcOp, 0);
    const double ilin = beta * (vgst - 0.5 * a * vds) * vds;
    EXPECT_NEAR(b.f[d], ilin + gJ * (vds - vbs), 1e-9 * ilin) << "vbs=" << vbs;
  }
  // L and W dependence: VFB + LVFB/Leff + WVFB/Weff (µm) moves the threshold
  Bench s = mosLevelBench(4, "nmos", {{"vfb", vfb}, {"lvfb", 0.36}, {"wvfb", -0.95}, {"phi", phi}, {"k1", k1},
                                      {"muz", mu}, {"mus", mu}, {"n0", 200}, {"tox", tox}, {"vdd", 5},
                                      {"dl", dl}, {"dw", dw}},
                          {{"w", 10e-6}, {"l", 2e-6}});
  ASSERT_TRUE(s.status.ok()) << s.status.error().message;
  const double vfbS = vfb + 0.36 / 1.8 - 0.95 / 9.5;
  const double G0 = 1 - 1 / (1.744 + 0.8364 * phi), a0 = 1 + 0.5 * G0 * k1 / std::sqrt(phi);
  const double vgst = 3.0 - (vfbS + phi + k1 * std::sqrt(phi));
  residual(s, vec(4, {{d, 4.0}, {g, 3.0}}), dev::AnalysisMode::DcOp, 0);
  EXPECT_NEAR(s.f[d], 0.5 * beta * vgst * vgst / a0 + gJ * 4.0, 1e-9 * beta);
  const dev::DeviceKind* k = dev::kindOf(b.setup.circ.devices[0], b.setup.circ.models);
  ASSERT_NE(k, nullptr);
  EXPECT_NE(k, dev::findKind('m'));
  EXPECT_NE(k->find(dev::ParamScope::Model, "wx3u1"), nullptr);
}

TEST(DeviceBsim2, SquareLawWhenTheSecondOrderTermsAreOff) {
  // N0 = 0 (no subthreshold), UA0 = UB0 = U10 = 0, MU20 = MU30 = MU40 = 0, AI0 = 0:
  // beta = MU0 Cox Weff/Leff, vdsat = vgst/a, triode beta (vgst - a vds/2) vds, saturation beta vgst²/(2a)
  const double vfb = -0.8, phi = 0.8, k1 = 0.6, mu = 450, tox = 0.015, dl = 0.15;
  const Params mp = {{"vfb", vfb}, {"phi", phi}, {"k1", k1}, {"k2", 0}, {"mu0", mu}, {"mu20", 0}, {"mu30", 0},
                     {"ua0", 0}, {"u10", 0}, {"n0", 0}, {"tox", tox}, {"dl", dl}, {"vbb", -5}};
  Bench b = mosLevelBench(5, "nmos", mp, {{"w", 10e-6}, {"l", 2e-6}});
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const int d = b.node("d"), g = b.node("g");
  const double beta = mu * bsimCox(tox) * 10 / (2 - dl);
  const double G = 1 - 1 / (1.744 + 0.8364 * phi), a = 1 + 0.5 * G * k1 / std::sqrt(phi);
  const double vgst = 2.5 - (vfb + phi + k1 * std::sqrt(phi));
  const double gJ = 1e-15 / kVt300 + 2e-12;
  residual(b, vec(4, {{d, 4.0}, {g, 2.5}}), dev::AnalysisMode::DcOp, 0);
  const double isat = 0.5 * beta * vgst * vgst / a;
  EXPECT_NEAR(b.f[d], isat + gJ * 4.0, 1e-9 * isat);
  const double vds = 0.4;
  residual(b, vec(4, {{d, vds}, {g, 2.5}}), dev::AnalysisMode::DcOp, 0);
  const double ilin = beta * (vgst - 0.5 * a * vds) * vds;
  EXPECT_NEAR(b.f[d], ilin + gJ * vds, 1e-9 * ilin);
  // vds is clamped to 2 VDD, as ngspice: no more current beyond 10 V
  residual(b, vec(4, {{d, 12.0}, {g, 2.5}}), dev::AnalysisMode::DcOp, 0);
  EXPECT_NEAR(b.f[d], isat + gJ * 12.0, 1e-9 * isat);
}

// the tests/bsim1 model of ngspice (shorter DL for L = 1 µm), with diffusion resistances
const Params kBsim1 = {{"tox", 0.03}, {"vdd", 5}, {"dl", 0.2}, {"dw", 0.4}, {"vfb", -1.0087}, {"lvfb", -0.214},
                       {"phi", 0.7964}, {"k1", 1.3119}, {"lk1", 0.3234}, {"k2", 0.1466}, {"lk2", 0.1686},
                       {"eta", -1.0e-3}, {"leta", -9.5e-3}, {"x2e", -7.7e-4}, {"x3e", 7.9e-4}, {"muz", 534},
                       {"x2mz", 8.25}, {"mus", 540}, {"lmus", 100}, {"x2ms", -13}, {"x3ms", -9.4}, {"u0", 0.0438},
                       {"x2u0", 1.07e-3}, {"u1", -0.0573}, {"lu1", 0.5}, {"x2u1", -0.0192}, {"x3u1", 7.8e-3},
                       {"n0", 1.55}, {"nb", 0.09}, {"rsh", 20}, {"js", 1e-8}, {"cj", 2.75e-4}, {"cgso", 2.7e-10}};
// the tests/bsim2 model of ngspice, with diffusion resistances
const Params kBsim2 = {{"vfb", -0.7919}, {"phi", 0.8039}, {"k1", 0.7286}, {"k2", -0.0506}, {"lk2", 0.0786},
                       {"mu0", 453.3}, {"dl", 0.1553}, {"mu0b", -5.49}, {"mus0", 781.7}, {"musb", 25.6},
                       {"mu20", 0.939}, {"mu2b", 0.0753}, {"mu2g", 0.1804}, {"mu30", 44.97}, {"mu3b", 0.587},
                       {"mu3g", -11.67}, {"mu40", 0.268}, {"mu4b", -0.318}, {"mu4g", -0.265}, {"ua0", 0.0441},
                       {"lua0", 0.2283}, {"uab", -0.0045}, {"ub0", 0.0125}, {"ubb", -0.0015}, {"u10", 0.1262},
                       {"lu10", 0.5563}, {"u1d", -0.2967}, {"u1b", 0.096}, {"eta0", -0.0373}, {"etab", 4e-4},
                       {"n0", 0.8032}, {"nd", 0.0105}, {"nb", 0.5978}, {"vof0", 1.4977}, {"vofd", 0.1795},
                       {"vofb", 0.8368}, {"ai0", 32.0}, {"aib", -19.5}, {"bi0", 37.6}, {"bib", -2.51},
                       {"vghigh", 0.2342}, {"vglow", -0.1023}, {"tox", 0.015}, {"vbb", -3}, {"rsh", 20}, {"js", 5e-5}};

TEST(DeviceBsim1, NmosJacobianMatchesFiniteDifferences) { mosLevelFd(4, "nmos", kBsim1, -0.1); }
TEST(DeviceBsim1, PmosJacobianMatchesFiniteDifferences) { mosLevelFd(4, "pmos", kBsim1, -0.1); }
TEST(DeviceBsim1, ZeroToHundredPartitionJacobianMatchesFiniteDifferences) {
  auto mp = kBsim1;
  mp.push_back({"xpart", 1});
  mosLevelFd(4, "nmos", mp, -0.1);
}
TEST(DeviceBsim2, NmosJacobianMatchesFiniteDifferences) { mosLevelFd(5, "nmos", kBsim2, -0.1); }
TEST(DeviceBsim2, PmosJacobianMatchesFiniteDifferences) { mosLevelFd(5, "pmos", kBsim2, -0.1); }

TEST(DeviceBsim12, ChargeCapacitancesAreTheDerivativesOfTheCharges) {
  // the transient Jacobian (conductances plus ag0 times the capacitances of the
  // charge model, junctions and overlaps) against finite differences
  for (int level : {4, 5}) {
    auto mp = level == 4 ? kBsim1 : kBsim2;
    mp.push_back({"cgdo", 3e-10});
    mp.push_back({"cgbo", 1e-10});
    mp.push_back({"cjsw", 2e-10});
    Bench b = mosLevelBench(level, "nmos", mp, {{"w", 10e-6}, {"l", 1e-6}, {"ad", 20e-12}, {"as", 20e-12},
                                                  {"pd", 24e-6}, {"ps", 24e-6}});
    ASSERT_TRUE(b.status.ok()) << b.status.error().message;
    const int d = b.node("d"), g = b.node("g"), src = b.node("s"), bk = b.node("b");
    const int di = b.node("m1#d"), si = b.node("m1#s");
    // (vbs away from 0, where the body derivatives are one-sided)
    for (auto v : std::vector<std::array<double, 3>>{{-2.0, 1.0, -0.1}, {0.5, 2.0, -1.0}, {2.0, 0.4, -0.2},
                                                     {2.5, 3.0, -2.0}, {2.0, -0.5, -0.3}}) {
      auto x = vec(6, {{g, v[0]}, {di, v[1]}, {d, v[1] + 0.001}, {si, 0.0}, {src, -0.001}, {bk, v[2]}});
      EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::Tran, 1e10,
                              "level " + std::to_string(level) + " vgs=" + std::to_string(v[0]) +
                                  " vds=" + std::to_string(v[1])),
                1.0);
    }
  }
}

TEST(DeviceBsim12, BadParametersNameTheDevice) {
  auto e = simcore::testing::runErr("t\nM1 d g 0 0 nb1 l=1u w=10u\n.model nb1 nmos level=4 vdd=5\n"
                                    "Vd d 0 1\nVg g 0 1\n.op\n.end\n");
  EXPECT_TRUE(contains(e.message, "TOX must be positive")) << e.message;
  EXPECT_TRUE(contains(e.message, "M1")) << e.message;
  e = simcore::testing::runErr("t\nM1 d g 0 0 nb1 l=1u w=10u\n.model nb1 nmos level=4 tox=0.02\n"
                               "Vd d 0 1\nVg g 0 1\n.op\n.end\n");
  EXPECT_TRUE(contains(e.message, "VDD must be positive")) << e.message;
  e = simcore::testing::runErr("t\nM1 d g 0 0 nb2 l=1u w=10u\n.model nb2 nmos level=5 dl=2\n"
                               "Vd d 0 1\nVg g 0 1\n.op\n.end\n");
  EXPECT_TRUE(contains(e.message, "effective channel length")) << e.message;
  e = simcore::testing::runErr("t\nM1 d g 0 0 nb2 l=1u w=10u\n.model nb2 nmos level=5 mj=1\n"
                               "Vd d 0 1\nVg g 0 1\n.op\n.end\n");
  EXPECT_TRUE(contains(e.message, "MJ and MJSW")) << e.message;
  e = simcore::testing::runErr("t\nM1 d g 0 0 nb2 l=1u w=10u\n.model nb2 nmos level=5 vto=1\n"
                               "Vd d 0 1\nVg g 0 1\n.op\n.end\n");
  EXPECT_TRUE(contains(e.message, "vto")) << e.message;
}

TEST(DeviceBsim1, BareXpartSelectsTheZeroToHundredPartition) {
  // ngspice reads BSIM1's XPART as a flag: a bare word on the card is accepted
  auto r = simcore::testing::runOk("t\nM1 d g 0 0 nb1 l=2u w=10u\n.model nb1 nmos level=4 tox=0.02 vdd=5 vfb=-0.9\n"
                                   "+ phi=0.8 k1=0.5 muz=500 mus=500 xpart\nVd d 0 1\nVg g 0 2\n.op\n.end\n");
  EXPECT_LT(r.get(simcore::AnalysisType::Op).col("i(vd)").at(0), 0.0);
}


}  // namespace
