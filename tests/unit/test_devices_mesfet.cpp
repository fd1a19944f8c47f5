// Unit tests of the Z device (GaAs MESFET, level 1 = Statz as ngspice 39's
// `mes`): hand-calculated channel currents in every region, the Statz gate
// charge at a hand-computed bias, Jacobians against finite differences (DC and
// transient, NMF and PMF), the gate's charge conservation and the netlist
// forms (levels refused by name, area, m, @z[cd]). Agreement with ngspice:
// tests/compat/mesfet_*.cir.
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

Bench mesBench(const std::string& type, Params mp, Params ip = {}) {
  Bench b;
  b.setup.circ.models.push_back(model("zm", type, std::move(mp)));
  b.setup.circ.devices.push_back(device("z1", {"d", "g", "s"}, 0, std::move(ip)));
  b.status = b.build();
  return b;
}

// The ngspice regression deck's device (tests/mes/subth.cir) without its resistances.
const Params kPlain = {{"vto", -1.3}, {"beta", 1.4e-3}, {"alpha", 3}, {"lambda", 0.03}, {"b", 0.3}, {"is", 0}};

// (m: the instance multiplier, which multiplies gmin too, as ngspice's)
double drainCurrent(Bench& b, double vd, double vg, double m = 1) {
  const int d = b.node("d"), g = b.node("g");
  residual(b, vec(2, {{d, vd}, {g, vg}}), dev::AnalysisMode::DcOp, 0);
  // f[d]: the current leaving node d into the device, less gmin across the gate-drain diode
  return b.f[d] + m * 1e-12 * (vg - vd);
}

TEST(DeviceMesfet, SaturationCurrentMatchesHandCalculation) {
  Bench b = mesBench("nmf", kPlain);
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  // vgst = 0.8, vds = 2 >= 3/alpha = 1: beta (1 + lambda vds) vgst^2 / (1 + b vgst)
  const double id = 1.4e-3 * (1 + 0.03 * 2) * 0.64 / (1 + 0.3 * 0.8);
  EXPECT_NEAR(drainCurrent(b, 2.0, -0.5), id, 1e-12 * id);
  EXPECT_NEAR(id, 7.659355e-4, 1e-9);  // ngspice 39 prints @z1[cd] = 7.659355e-04 here
}

TEST(DeviceMesfet, LinearRegionTakesTheCubicFactor) {
  Bench b = mesBench("nmf", kPlain);
  ASSERT_TRUE(b.status.ok());
  // vds = 0.5 < 1: times 1 - (1 - alpha vds/3)^3 = 1 - 0.5^3 = 0.875
  const double id = 1.4e-3 * (1 + 0.03 * 0.5) * 0.64 / 1.24 * 0.875;
  EXPECT_NEAR(drainCurrent(b, 0.5, -0.5), id, 1e-12 * id);
}

TEST(DeviceMesfet, InverseModeSwapsDrainAndSource) {
  Bench b = mesBench("nmf", kPlain);
  ASSERT_TRUE(b.status.ok());
  // vds = -0.5, gate at -1.0: the drain is the source, vgd = -0.5 -> vgst 0.8,
  // current from s to d of the linear-region size with lambda*|vds|
  const double id = 1.4e-3 * (1 + 0.03 * 0.5) * 0.64 / 1.24 * 0.875;
  EXPECT_NEAR(drainCurrent(b, -0.5, -1.0), -id, 1e-12 * id);
}

TEST(DeviceMesfet, CutoffBelowVto) {
  Bench b = mesBench("nmf", kPlain);
  ASSERT_TRUE(b.status.ok());
  EXPECT_EQ(drainCurrent(b, 2.0, -1.5), 0.0);
}

TEST(DeviceMesfet, PmfMirrorsNmf) {
  Bench n = mesBench("nmf", kPlain), p = mesBench("pmf", kPlain);
  ASSERT_TRUE(n.status.ok() && p.status.ok());
  EXPECT_NEAR(drainCurrent(p, -2.0, 0.5), -drainCurrent(n, 2.0, -0.5), 1e-15);
}

TEST(DeviceMesfet, AreaAndMScaleTheChannel) {
  Bench one = mesBench("nmf", kPlain), area = mesBench("nmf", kPlain, {{"area", 2}}),
        both = mesBench("nmf", kPlain, {{"area", 2}, {"m", 3}});
  ASSERT_TRUE(one.status.ok() && area.status.ok() && both.status.ok());
  const double i1 = drainCurrent(one, 2.0, -0.5);
  EXPECT_NEAR(drainCurrent(area, 2.0, -0.5), 2 * i1, 1e-12 * i1);
  EXPECT_NEAR(drainCurrent(both, 2.0, -0.5, 3), 6 * i1, 1e-12 * i1);
}

TEST(DeviceMesfet, GateDiodesFollowIsAtTheFixedThermalVoltage) {
  Bench b = mesBench("nmf", {{"vto", -1.3}, {"is", 1e-12}}, {{"temp", 0}});
  // level 1 has no temperature parameters (ngspice 39's mes has none)
  EXPECT_FALSE(b.status.ok());
  Bench c = mesBench("nmf", {{"vto", -1.3}, {"is", 1e-12}});
  ASSERT_TRUE(c.status.ok()) << c.status.error().message;
  const int d = c.node("d"), g = c.node("g");
  residual(c, vec(2, {{d, 0.0}, {g, 0.4}}), dev::AnalysisMode::DcOp, 0);
  // vds = 0: no channel current; each diode carries IS (exp(0.4/vt0) - 1) + gmin 0.4
  const double id = 1e-12 * (std::exp(0.4 / kVt300) - 1) + 1e-12 * 0.4;
  EXPECT_NEAR(c.f[g], 2 * id, 1e-12 * id);
}

// The Statz charge at vgs = vgd = 0 with VTO = -2, ALPHA = 2, PB = 1:
// Veff1 = +Vcap/2 = 0.25, Veff2 = -0.25, Vnew = (0.25 - 2 + sqrt(2.25^2 + 0.2^2))/2.
TEST(DeviceMesfet, StatzChargeAtZeroBias) {
  const double cgs = 2e-12, cgd = 0.5e-12;
  Bench b = mesBench("nmf", {{"vto", -2}, {"alpha", 2}, {"pb", 1}, {"cgs", cgs}, {"cgd", cgd}, {"is", 0}});
  ASSERT_TRUE(b.status.ok());
  const auto x = vec(2, {{1, 0.0}, {2, 0.0}});
  b.load(x, dev::AnalysisMode::DcOp);
  b.load(x, dev::AnalysisMode::TranInit);
  const double vnew = 0.5 * (0.25 - 2 + std::sqrt(2.25 * 2.25 + 0.04));
  const double q = cgs * 2 * (1 - std::sqrt(1 - vnew)) + cgd * -0.25;
  EXPECT_NEAR(b.q[0], q, 1e-25);  // both states start at Qg (as ngspice)
  EXPECT_NEAR(b.q[1], q, 1e-25);
  // the small-signal capacitances there (vgs = vgd: each side gets half the derivative):
  // dQ/dvgs = cgs/sqrt(1 - Vnew) dVnew/dVeff1 / 2 + cgd / 2, likewise dQ/dvgd
  const double dnew = 0.5 * (1 + 2.25 / std::sqrt(2.25 * 2.25 + 0.04));
  const double c = cgs / std::sqrt(1 - vnew) * dnew * 0.5 + cgd * 0.5;
  // a transient load right after the initial point: A = G + ag0*C, C diagonal there
  b.group->accept(x.data(), 0.0);
  b.load(x, dev::AnalysisMode::DcOp);
  const auto g0 = b.A;
  b.load(x, dev::AnalysisMode::Tran, 1.0);
  const int gg = 2;
  double gdc = 0;
  {
    const auto& cp = b.pattern->colPtr();
    const auto& ri = b.pattern->rowIdx();
    for (int k = cp[gg - 1]; k < cp[gg]; ++k)
      if (ri[k] + 1 == gg) gdc = g0[k];
  }
  EXPECT_NEAR(b.J(gg, gg) - gdc, 2 * c, 1e-9 * c);
}

// (vgs, vds) intrinsic, n-channel polarity
const std::vector<std::array<double, 2>> kBias = {
    {-2.0, 3.0},   // cutoff
    {-0.5, 3.0},   // saturation
    {-0.5, 0.4},   // linear
    {-1.0, -0.3},  // inverse, linear
    {0.0, -3.0},   // inverse, saturation
    {0.6, 0.1},    // gate forward-biased
    {0.7, 2.0},    // Vnew beyond Vmax in the charge
};

const Params kFull = {{"vto", -1.3}, {"beta", 1.4e-3}, {"alpha", 3}, {"lambda", 0.03}, {"b", 0.3}, {"rd", 5},
                      {"rs", 3},     {"cgs", 1e-12},   {"cgd", 0.2e-12}, {"pb", 0.8}, {"is", 1e-14}};

void mesFd(const std::string& type) {
  const double s = type == "pmf" ? -1 : 1;
  Bench b = mesBench(type, kFull);
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  ASSERT_EQ(b.n(), 5);
  const int d = b.node("d"), g = b.node("g"), src = b.node("s"), di = b.node("z1#drain"), si = b.node("z1#source");
  for (auto v : kBias) {
    auto x = vec(5, {{g, s * v[0]}, {di, s * v[1]}, {d, s * (v[1] + 0.003)}, {si, 0.0}, {src, s * -0.002}});
    const std::string what = type + " vgs=" + std::to_string(v[0]) + " vds=" + std::to_string(v[1]);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::DcOp, 0, what), 1.0);
    // a transient from an accepted point elsewhere: the split charges depend on both voltages
    auto x1 = x;
    x1[g] += s * 0.13;
    x1[di] -= s * 0.21;
    b.load(x1, dev::AnalysisMode::DcOp);
    b.load(x1, dev::AnalysisMode::TranInit);
    b.group->accept(x1.data(), 0.0);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::Tran, 1e9, what + " tran"), 1.0);
  }
}

TEST(DeviceMesfet, NmfJacobianMatchesFiniteDifferences) { mesFd("nmf"); }
TEST(DeviceMesfet, PmfJacobianMatchesFiniteDifferences) { mesFd("pmf"); }

// ngspice's split of Qg is path dependent between source and drain, but the
// gate's charge is Qg itself: over a period the gate current integrates to zero.
TEST(DeviceMesfet, GateChargeIsConservedOverAPeriod) {
  Bench b = mesBench("nmf", kFull);
  ASSERT_TRUE(b.status.ok());
  const int g = b.node("g");
  const int n = b.n(), steps = 400;
  const double T = 1e-6, h = T / steps;
  auto at = [&](int k) {
    const double w = 2 * M_PI * k / steps;
    auto x = vec(n, {{b.node("d"), 2.0 + 1.5 * std::sin(w)}, {b.node("z1#drain"), 2.0 + 1.5 * std::sin(w)},
                     {g, -0.5 + 0.6 * std::sin(w + 1.1)}});
    return x;
  };
  auto x = at(0);
  b.load(x, dev::AnalysisMode::DcOp);
  b.load(x, dev::AnalysisMode::TranInit);
  b.group->accept(x.data(), 0.0);
  std::vector<double> qprev = b.q;
  double sum = 0, sumAbs = 0;
  for (int k = 1; k <= steps; ++k) {
    x = at(k);
    std::fill(b.hist.begin(), b.hist.end(), 0.0);
    b.load(x, dev::AnalysisMode::DcOp);
    const double fdc = b.f[g];
    for (std::size_t s = 0; s < b.hist.size(); ++s) b.hist[s] = -qprev[s] / h;
    b.load(x, dev::AnalysisMode::Tran, 1.0 / h);
    sum += (b.f[g] - fdc) * h;
    sumAbs += std::fabs(b.f[g] - fdc) * h;
    // the two states move together by exactly Qg's change
    qprev = b.q;
    b.group->accept(x.data(), k * h);
  }
  ASSERT_GT(sumAbs, 0);
  EXPECT_LT(std::fabs(sum) / sumAbs, 1e-9);
}

TEST(DeviceMesfet, RejectsBadParameters) {
  EXPECT_FALSE(mesBench("nmf", {{"alpha", 0}}).status.ok());
  EXPECT_FALSE(mesBench("nmf", {{"rd", -1}}).status.ok());
  EXPECT_FALSE(mesBench("nmf", {{"cgs", 1e-12}, {"pb", 0.4}}).status.ok());
  Bench a = mesBench("nmf", {}, {{"area", 0}});
  ASSERT_FALSE(a.status.ok());
  EXPECT_TRUE(contains(a.status.error().message, "area and m must be positive")) << a.status.error().message;
}

// ---- netlist forms

const std::string kCircuit = "VD d 0 2\nVG g 0 -0.5\n.op\n.end\n";

TEST(NetlistMesfet, LevelOneIsTheStatzModelAndOtherLevelsAreRefusedByName) {
  const std::string model = ".model zm nmf vto=-1.3 beta=1.4m alpha=3 lambda=0.03 b=0.3\n";
  auto plain = simcore::testing::runOk("t\nZ1 d g 0 zm\n" + model + kCircuit);
  auto one = simcore::testing::runOk("t\nZ1 d g 0 zm\n.model zm nmf level=1 vto=-1.3 beta=1.4m alpha=3 lambda=0.03 b=0.3\n" + kCircuit);
  const double i = plain.get(simcore::AnalysisType::Op).col("i(vd)").at(0);
  EXPECT_EQ(one.get(simcore::AnalysisType::Op).col("i(vd)").at(0), i);
  EXPECT_NEAR(-i, 7.659355e-4, 1e-9);
  // 2-4: MESA (test_devices_mesa.cpp), 5-6: HFET (test_devices_hfet.cpp); others are refused by name
  auto e = simcore::testing::runErr("t\nZ1 d g 0 zm l=1u w=10u\n.model zm nmf level=7 vto=-1\n" + kCircuit);
  EXPECT_TRUE(contains(e.message, "Z level 7")) << e.message;
  EXPECT_TRUE(contains(e.message, "not supported")) << e.message;
  auto h = simcore::testing::runErr("t\nZ1 d g 0 hm l=1u w=10u\n.model hm nhfet vto=0.1\n" + kCircuit);
  EXPECT_TRUE(contains(h.message, "LEVEL=5 (HFET1) or 6 (HFET2)")) << h.message;
}

TEST(NetlistMesfet, PositionalAreaNamedAreaAndMultiplier) {
  const std::string model = ".model zm nmf vto=-1.3 beta=1.4m alpha=3 lambda=0.03 b=0.3\n";
  auto one = simcore::testing::runOk("t\nZ1 d g 0 zm\n" + model + kCircuit);
  auto pos = simcore::testing::runOk("t\nZ1 d g 0 zm 2\n" + model + kCircuit);
  auto named = simcore::testing::runOk("t\nZ1 d g 0 zm area=2\n" + model + kCircuit);
  auto m = simcore::testing::runOk("t\nZ1 d g 0 zm m=2 off ic=2,-0.5\n" + model + kCircuit);
  const double i1 = one.get(simcore::AnalysisType::Op).col("i(vd)").at(0);
  // the area does not scale gmin across the gate-drain diode (2.5 V): 2.5e-12 A apart
  EXPECT_NEAR(pos.get(simcore::AnalysisType::Op).col("i(vd)").at(0), 2 * i1, 3e-12);
  EXPECT_NEAR(named.get(simcore::AnalysisType::Op).col("i(vd)").at(0), 2 * i1, 3e-12);
  EXPECT_NEAR(m.get(simcore::AnalysisType::Op).col("i(vd)").at(0), 2 * i1, 1e-12);
}

TEST(NetlistMesfet, DeviceQuantitiesAreNgspices) {
  auto r = simcore::testing::runOk(
      "t\nZ1 d g 0 zm\n.model zm nmf vto=-1.3 beta=1.4m alpha=3 lambda=0.03 b=0.3 rd=10 rs=10\n"
      ".save @z1[cd] @z1[cg] @z1[is] i(vd)\n" + kCircuit);
  const auto& op = r.get(simcore::AnalysisType::Op);
  const double cd = op.col("@z1[cd]").at(0), cg = op.col("@z1[cg]").at(0), is = op.col("@z1[is]").at(0);
  EXPECT_NEAR(cd, -op.col("i(vd)").at(0), 1e-15);
  EXPECT_NEAR(cd + cg + is, 0.0, 1e-15);
  EXPECT_GT(cd, 5e-4);
}

TEST(NetlistMesfet, ModelTypeMessageListsTheZTypes) {
  auto e = simcore::testing::runErr("t\nZ1 d g 0 qm\n.model qm npn\n" + kCircuit);
  EXPECT_TRUE(contains(e.message, "Z needs nmf or pmf or nhfet or phfet")) << e.message;
}

}  // namespace
