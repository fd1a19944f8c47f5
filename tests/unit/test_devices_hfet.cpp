// Unit tests of the Z device with HFET models (level 5, HFET1, and level 6,
// HFET2, ngspice 39's `hfet1` and `hfet2`): drain currents against ngspice 39's
// printouts, the reverse quadrant (drain and source swapped: the same device,
// which ngspice 39 gets wrong), Jacobians against finite differences (DC, and
// transient from an accepted point elsewhere, where the capacitances' own
// derivatives enter), charge conservation (the terminal currents of every
// transient evaluation sum to zero), the AC output conductance with KAPPA, and
// the clear errors with their locations. Agreement with ngspice on whole
// circuits: tests/compat/hfet*.cir.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "device_bench.hpp"
#include "netlist_test_util.hpp"
#include "simcore/ir.hpp"
#include "test_kernel_support.cpp"

using namespace simcore;
using namespace simcore::devbench;
using simcore::testutil::contains;

namespace {

using Params = std::vector<std::pair<std::string, double>>;

Bench hfetBench(Params mp, Params ip = {{"l", 1e-6}, {"w", 20e-6}}, const std::string& type = "nhfet") {
  return zBench(std::move(mp), std::move(ip), type);
}

// Current into the drain at V(d) = vd, V(g) = vg, V(s) = 0.
double drainCurrent(Bench& b, double vd, double vg) {
  const int d = b.node("d"), g = b.node("g");
  residual(b, vec(b.n(), {{d, vd}, {g, vg}}), dev::AnalysisMode::DcOp, 0);
  return b.f[d];
}

// ngspice 39 (`.dc` of one device with default parameters but VTO, printed
// with 6 digits): -I(vd) at |vd| = 1 V, the gate currents included.
TEST(DeviceHfet, DrainCurrentsMatchNgspice) {
  struct Case {
    int level;
    const char* type;
    double vg, id;
  };
  const Case cases[] = {
      {5, "nhfet", 0.0, 4.31332e-06},   {5, "nhfet", 0.3, 5.91512e-04},   {5, "nhfet", 0.6, 2.07067e-03},
      {5, "phfet", 0.0, -4.015265e-07}, {5, "phfet", -0.3, -4.888382e-05}, {5, "phfet", -0.6, -2.071977e-04},
      {6, "nhfet", 0.0, 4.31143e-06},   {6, "nhfet", 0.3, 5.91512e-04},   {6, "nhfet", 0.6, 2.07067e-03},
      {6, "phfet", 0.0, -3.996375e-07}, {6, "phfet", -0.3, -4.888298e-05}, {6, "phfet", -0.6, -2.071974e-04},
  };
  for (const Case& c : cases) {
    const double sign = std::string(c.type) == "phfet" ? -1.0 : 1.0;
    Bench b = hfetBench({{"level", double(c.level)}, {"vto", 0.1 * sign}}, {{"l", 1e-6}, {"w", 20e-6}}, c.type);
    ASSERT_TRUE(b.status.ok()) << b.status.error().message;
    const double id = drainCurrent(b, sign, c.vg);
    EXPECT_NEAR(id, c.id, 1e-5 * std::fabs(c.id)) << "level " << c.level << " " << c.type << " vg " << c.vg;
  }
}

// A symmetric device (RD = RS, RDI = RSI) with drain and source swapped is the
// same device: the current reverses exactly, and the gate is measured from the
// terminal that acts as the source. (ngspice 39 keeps vgs as the control voltage
// when it swaps, so its reverse current is the mirror of the forward current at
// the same vgs.)
TEST(DeviceHfet, ReverseQuadrantIsTheSwappedDevice) {
  for (int level : {5, 6}) {
    const Params mp = {{"level", double(level)}, {"vto", 0.1}, {"rd", 20}, {"rs", 20}, {"rdi", 2}, {"rsi", 2}};
    Bench b = hfetBench(mp);
    ASSERT_TRUE(b.status.ok()) << b.status.error().message;
    const int d = b.node("d"), g = b.node("g"), s = b.node("s");
    for (double vds : {0.05, 0.4, 1.5}) {
      for (double vg : {0.2, 0.5}) {
        // forward: s = 0, d = vds; reverse: d = 0, s = vds, gate at the same height above the low terminal
        residual(b, vec(b.n(), {{d, vds}, {g, vg}, {s, 0.0}}), dev::AnalysisMode::DcOp, 0);
        const double fwd = b.f[d], fwdS = b.f[s];
        residual(b, vec(b.n(), {{d, 0.0}, {g, vg}, {s, vds}}), dev::AnalysisMode::DcOp, 0);
        EXPECT_NEAR(b.f[s], fwd, 1e-9 * std::fabs(fwd)) << level << " " << vds << " " << vg;
        EXPECT_NEAR(b.f[d], fwdS, 1e-9 * std::fabs(fwd)) << level << " " << vds << " " << vg;
      }
    }
  }
}

// (vgs, vds) at the intrinsic nodes
const std::vector<std::array<double, 2>> kBias = {
    {-1.0, 2.0},   // subthreshold
    {0.3, 1.5},    // saturation
    {0.5, 0.1},    // linear
    {0.2, -0.3},   // reverse, linear
    {0.6, -1.5},   // reverse, saturation
    {0.9, 0.05},   // gate forward-biased
    {0.1, 0.0},    // vds = 0
};

void hfetFd(const Params& mp, const std::string& what0, const std::string& type = "nhfet") {
  Bench b = hfetBench(mp, {{"l", 1e-6}, {"w", 20e-6}}, type);
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const double sg = type == "phfet" ? -1.0 : 1.0;
  const int n = b.n();
  const int d = b.node("d"), g = b.node("g"), s = b.node("s");
  for (auto v : kBias) {
    std::vector<double> x(n + 1, 0.0);
    // every internal node near its terminal, a little apart (each resistance carries current)
    for (const auto& [name, idx] : b.setup.nodes) {
      if (idx <= 0) continue;
      const bool drainSide = name.find("drain") != std::string::npos || name.find("#gd") != std::string::npos;
      const bool gateSide = name.find("#gate") != std::string::npos;
      x[idx] = sg * (drainSide ? v[1] + 0.002 : gateSide ? v[0] - 0.001 : name.find("#") != std::string::npos ? 0.003 : 0.0);
    }
    x[d] = sg * (v[1] + 0.004);
    x[g] = sg * v[0];
    x[s] = -0.002 * sg;
    const std::string what = what0 + " vgs=" + std::to_string(v[0]) + " vds=" + std::to_string(v[1]);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::DcOp, 0, what), 1.0);
    auto x1 = x;
    x1[g] += 0.13 * sg;
    x1[d] -= 0.21 * sg;
    for (const auto& [name, idx] : b.setup.nodes)
      if (idx > 0 && (name.find("drain") != std::string::npos || name.find("#gd") != std::string::npos))
        x1[idx] -= 0.21 * sg;
    b.load(x1, dev::AnalysisMode::DcOp);
    b.load(x1, dev::AnalysisMode::TranInit);
    b.group->accept(x1.data(), 0.0);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::Tran, 1e9, what + " tran"), 1.0);
    // charge conservation: what leaves one terminal arrives at the others
    residual(b, x, dev::AnalysisMode::Tran, 1e9);
    double sum = 0, scale = 0;
    for (int k = 1; k <= n; ++k) {
      sum += b.f[k];
      scale = std::max(scale, std::fabs(b.f[k]));
    }
    EXPECT_LE(std::fabs(sum), 1e-12 * scale + 1e-18) << what << " tran: the terminal currents do not sum to zero";
  }
}

TEST(DeviceHfet, Level5JacobianMatchesFiniteDifferences) {
  hfetFd({{"level", 5}, {"vto", 0.1}, {"rd", 20}, {"rs", 25}, {"rg", 5}, {"ri", 10}, {"rf", 8}, {"rdi", 2}, {"rsi", 3},
          {"js1s", 1e-3}, {"js1d", 1e-3}, {"cds", 2e-15}, {"eta2", 1.8}, {"d2", 0.15e-6}},
         "level 5");
}
TEST(DeviceHfet, Level5WithoutSeriesResistanceOfTheGateDiodes) {
  hfetFd({{"level", 5}, {"vto", 0.1}, {"rgs", 0}, {"rgd", 0}, {"js1s", 1e-3}, {"js1d", 1e-3}, {"rs", 10}}, "level 5 rgs=0");
}
TEST(DeviceHfet, Level5GatemodJacobianMatchesFiniteDifferences) {
  hfetFd({{"level", 5}, {"vto", 0.1}, {"gatemod", 1}, {"a1", 0.02}, {"a2", 0.5}, {"astar", 2e5}, {"ck2", 0.1},
          {"cm2", 0.1}, {"rs", 10}, {"rd", 10}},
         "level 5 gatemod");
}
TEST(DeviceHfet, Level5PTypeJacobianMatchesFiniteDifferences) {
  hfetFd({{"level", 5}, {"vto", -0.2}, {"rd", 20}, {"rs", 20}, {"ri", 5}, {"js1s", 1e-3}, {"js1d", 1e-3}}, "level 5 p",
         "phfet");
}
TEST(DeviceHfet, Level6JacobianMatchesFiniteDifferences) {
  hfetFd({{"level", 6}, {"vto", 0.1}, {"rd", 20}, {"rs", 25}, {"rdi", 2}, {"rsi", 3}, {"js", 1e-2}, {"n", 1.5},
          {"ggr", 30}, {"cf", 1e-15}, {"eta2", 1.7}, {"d2", 0.12e-6}},
         "level 6");
}
TEST(DeviceHfet, Level6PTypeJacobianMatchesFiniteDifferences) {
  hfetFd({{"level", 6}, {"vto", -0.1}, {"rd", 20}, {"rs", 20}, {"js", 1e-2}}, "level 6 p", "phfet");
}

// Two level-5 devices, the first in the reverse quadrant: the second's current
// does not depend on it (ngspice 39 keeps the first's swap for the second).
TEST(NetlistHfet, InstancesDoNotInheritAnotherInstancesSwap) {
  const std::string model = ".model zm nhfet level=5 vto=0.1\n";
  auto both = simcore::testing::runOk("t\nZ1 a g 0 zm\nZ2 b g 0 zm\nVA a 0 -0.5\nVB b 0 1\nVG g 0 0.4\n" + model +
                                      ".op\n.end\n");
  auto alone = simcore::testing::runOk("t\nZ2 b g 0 zm\nVB b 0 1\nVG g 0 0.4\n" + model + ".op\n.end\n");
  const double i2 = both.get(simcore::AnalysisType::Op).col("i(vb)").at(0);
  EXPECT_NEAR(i2, alone.get(simcore::AnalysisType::Op).col("i(vb)").at(0), 1e-15);
  EXPECT_LT(i2, -1e-4);  // conducting from b to ground
}

// AC: with KAPPA given and DELF != 0 the level-5 output conductance is scaled
// by 1 + KAPPA (1 + tanh((f - FGDS')/DELF'))/2, FGDS' = FGDS exp(T/TF) (likewise DELF').
TEST(NetlistHfet, AcOutputConductanceFollowsKappa) {
  const std::string head = "t\nZ1 d g 0 zm l=1u w=10u\nVD d 0 DC 1 AC 1\nVG g 0 0.4\n";
  const std::string base = ".model zm nhfet level=5 vto=0.1 ggr=0 js1d=0 js1s=0";
  auto r = simcore::testing::runOk(head + base + " kappa=0.5 fgds=10 delf=0.1 tf=1e5\n.ac lin 3 1e-6 20\n.end\n");
  auto plain = simcore::testing::runOk(head + base + "\n.ac lin 3 1e-6 20\n.end\n");
  const auto& t = r.get(simcore::AnalysisType::Ac);
  const double e = std::exp(300.15 / (1e5 + 273.15));
  const double g0 = std::abs(plain.get(simcore::AnalysisType::Ac).phasor("i(vd)", 0));
  const double lo = std::abs(t.phasor("i(vd)", 0)), mid = std::abs(t.phasor("i(vd)", 1)), hi = std::abs(t.phasor("i(vd)", 2));
  EXPECT_NEAR(lo, g0, 1e-9 * g0);
  EXPECT_NEAR(hi, 1.5 * g0, 1e-6 * g0);
  const double f1 = t.x.at(1);
  EXPECT_NEAR(mid, g0 * (1 + 0.25 * (1 + std::tanh((f1 - 10 * e) / (0.1 * e)))), 1e-6 * g0);
}

// NHFET and PHFET of both levels run from a netlist; m= scales; NMF/PMF of these levels are the same models.
TEST(NetlistHfet, LevelsFiveAndSixRunAndMultiplierScales) {
  for (int level : {5, 6}) {
    for (const char* type : {"nhfet", "nmf"}) {
      const std::string model = ".model zm " + std::string(type) + " level=" + std::to_string(level) + " vto=0.1\n";
      const std::string tail = "VD d 0 1\nVG g 0 0.4\n.op\n.end\n";
      auto one = simcore::testing::runOk("t\nZ1 d g 0 zm l=1u w=20u\n" + model + tail);
      auto two = simcore::testing::runOk("t\nZ1 d g 0 zm l=1u w=20u m=2\n" + model + tail);
      const double i1 = one.get(simcore::AnalysisType::Op).col("i(vd)").at(0);
      EXPECT_LT(i1, -1e-4) << level << type;
      EXPECT_NEAR(two.get(simcore::AnalysisType::Op).col("i(vd)").at(0), 2 * i1, 1e-9 * std::fabs(i1)) << level;
    }
    auto p = simcore::testing::runOk("t\nZ1 d g 0 zm\n.model zm phfet level=" + std::to_string(level) +
                                     "\nVD d 0 -1\nVG g 0 -0.4\n.op\n.end\n");
    EXPECT_GT(p.get(simcore::AnalysisType::Op).col("i(vd)").at(0), 1e-6) << level;
  }
}

// The polarity from the model type or from the NHFET / PHFET flags, as a bare
// word or name=1 (ngspice 39: 8.840763e-05 A for each of these cards).
TEST(NetlistHfet, PolarityFlagsOverrideTheModelType) {
  const std::string tail = "VD d 0 -1\nVG g 0 -0.4\n.op\n.end\n";
  for (const char* card : {"phfet level=5 vto=-0.1", "nhfet level=5 phfet vto=-0.1", "nhfet level=5 phfet=1 vto=-0.1"}) {
    auto r = simcore::testing::runOk("t\nZ1 d g 0 zm\n.model zm " + std::string(card) + "\n" + tail);
    EXPECT_NEAR(r.get(simcore::AnalysisType::Op).col("i(vd)").at(0), 8.840763e-05, 1e-5 * 8.840763e-05) << card;
  }
  auto n = simcore::testing::runOk("t\nZ1 d g 0 zm\n.model zm phfet level=6 nhfet vto=0.1\nVD d 0 1\nVG g 0 0.4\n.op\n.end\n");
  EXPECT_LT(n.get(simcore::AnalysisType::Op).col("i(vd)").at(0), -1e-4);
}

// @z1[cd], @z1[cg], @z1[cs]: the currents into the drain, gate and source
// (with RG, RI, RF and the gate conducting), as for the other Z levels.
TEST(NetlistHfet, DeviceQuantitiesAreTheTerminalCurrents) {
  for (const char* model : {"nhfet level=5 vto=0.1 rd=10 rs=10 rg=5 ri=10 rf=10 js1s=1e-3 js1d=1e-3 cds=2f",
                            "phfet level=6 vto=-0.1 rd=10 rs=10 js=1e-2"}) {
    const double s = std::string(model).substr(0, 1) == "p" ? -1.0 : 1.0;
    auto r = simcore::testing::runOk("t\nZ1 d g 0 zm\n.model zm " + std::string(model) + "\nVD d 0 " +
                                     std::to_string(s) + "\nVG g 0 " + std::to_string(0.8 * s) +
                                     "\n.save @z1[cd] @z1[cg] @z1[cs] i(vd) i(vg)\n.op\n.end\n");
    const auto& op = r.get(simcore::AnalysisType::Op);
    const double cd = op.col("@z1[cd]").at(0), cg = op.col("@z1[cg]").at(0), is = op.col("@z1[cs]").at(0);
    EXPECT_NEAR(cd, -op.col("i(vd)").at(0), 1e-12 * std::fabs(cd)) << model;
    EXPECT_NEAR(cg, -op.col("i(vg)").at(0), 1e-9 * std::fabs(cg) + 1e-18) << model;
    EXPECT_NEAR(cd + cg + is, 0.0, 1e-12 * std::fabs(cd)) << model;
    EXPECT_GT(s * cd, 1e-4) << model;
  }
}

// A parameter of the other level's table: ngspice 39 does not know it there
// ("unrecognized parameter ... ignored"); simcore warns and ignores it too.
TEST(NetlistHfet, TheOtherLevelsParametersAreWarnedAndIgnored) {
  const std::string tail = "VD d 0 1\nVG g 0 0.4\n.op\n.end\n";
  for (const auto& [extra, plain] : std::vector<std::pair<std::string, std::string>>{
           {"level=6 vto=0.1 rg=5 cds=1f", "level=6 vto=0.1"}, {"level=5 vto=0.1 cf=1f js=1", "level=5 vto=0.1"}}) {
    const auto c = simcore::testutil::ok("t\nZ1 d g 0 zm\n.model zm nhfet " + extra + "\n" + tail);
    int n = 0;
    for (const auto& w : c.warnings) n += contains(w.message, "ignored, as by ngspice 39") ? 1 : 0;
    EXPECT_EQ(n, 2) << extra;
    auto a = simcore::testing::runOk("t\nZ1 d g 0 zm\n.model zm nhfet " + extra + "\n" + tail);
    auto b = simcore::testing::runOk("t\nZ1 d g 0 zm\n.model zm nhfet " + plain + "\n" + tail);
    EXPECT_EQ(a.get(simcore::AnalysisType::Op).col("i(vd)").at(0), b.get(simcore::AnalysisType::Op).col("i(vd)").at(0))
        << extra;
  }
}

TEST(NetlistHfet, ParameterErrorsNameTheDeviceAndLine) {
  const std::string tail = "VD d 0 1\nVG g 0 0.4\n.op\n.end\n";
  const Error l = simcore::testing::runErr("t\nVX x 0 1\nZ1 d g 0 zm l=0\n.model zm nhfet level=5\n" + tail);
  EXPECT_EQ(l.loc.line, 3u);
  EXPECT_TRUE(contains(l.message, "HFET1 'z1': L and W must be positive")) << l.message;
  const Error mu = simcore::testing::runErr("t\nZ1 d g 0 zm\n.model zm nhfet level=6 mu=0\n" + tail);
  EXPECT_EQ(mu.loc.line, 2u);
  EXPECT_TRUE(contains(mu.message, "HFET2 'z1'")) << mu.message;
  EXPECT_TRUE(contains(mu.message, "MU")) << mu.message;
  const Error r = simcore::testing::runErr("t\nZ1 d g 0 zm\n.model zm nhfet level=5 rd=-1\n" + tail);
  EXPECT_TRUE(contains(r.message, "must not be negative")) << r.message;
  // a name neither table has lists what HFET accepts, at the parameter
  const Error u = simcore::testing::runErr("t\nZ1 d g 0 zm\n.model zm nhfet level=5 beta=1\n" + tail);
  EXPECT_EQ(u.loc.line, 3u);
  EXPECT_TRUE(contains(u.message, "beta")) << u.message;
  EXPECT_TRUE(contains(u.message, "gatemod")) << u.message;
  const Error i = simcore::testing::runErr("t\nZ1 d g 0 zm area=2\n.model zm nhfet level=5\n" + tail);
  EXPECT_EQ(i.loc.line, 2u);
  EXPECT_TRUE(contains(i.message, "area")) << i.message;
}

}  // namespace
