// Unit tests of the nonlinear device groups (D, Q, M, S, W): Jacobian against
// central finite differences of the residual, charge conservation over a
// period, a few hand-calculated values, switch hysteresis and event location.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "devices/context.hpp"
#include "devices/device.hpp"
#include "solver/sparse.hpp"

#include "device_bench.hpp"

using namespace simcore;
using namespace simcore::devbench;

namespace {

// ---------------------------------------------------------------- diode

Bench diodeBench(std::vector<std::pair<std::string, double>> mp, std::vector<std::pair<std::string, double>> ip = {}) {
  Bench b;
  b.setup.circ.models.push_back(model("dm", "d", std::move(mp)));
  b.setup.circ.devices.push_back(device("d1", {"a", "k"}, 0, std::move(ip)));
  b.status = b.build();
  return b;
}

TEST(DeviceDiode, ForwardCurrentMatchesHandCalculation) {
  Bench b = diodeBench({{"is", 1e-14}});
  ASSERT_TRUE(b.status.ok());
  const int a = b.node("a");
  auto x = vec(b.n(), {{a, 0.7}});
  residual(b, x, dev::AnalysisMode::DcOp, 0);
  const double id = 1e-14 * (std::exp(0.7 / kVt300) - 1) + 1e-12 * 0.7;
  EXPECT_NEAR(b.f[a], id, 1e-9 * id);
  EXPECT_NEAR(b.J(a, a), 1e-14 * std::exp(0.7 / kVt300) / kVt300 + 1e-12, 1e-9 * b.J(a, a));
}

TEST(DeviceDiode, JacobianMatchesFiniteDifferences) {
  Bench b = diodeBench({{"is", 1e-12}, {"n", 1.5}, {"rs", 5}, {"cjo", 2e-12}, {"vj", 0.7}, {"m", 0.4}, {"tt", 5e-9},
                        {"bv", 10}, {"ibv", 1e-4}});
  ASSERT_TRUE(b.status.ok());
  ASSERT_EQ(b.n(), 3);  // a, k and the internal anode
  const int a = b.node("a"), k = b.node("k"), ai = b.node("d1#a");
  for (double vd : {-12.0, -10.2, -9.9, -5.0, -0.5, 0.0, 0.3, 0.6, 0.75}) {
    auto x = vec(b.n(), {{a, vd + 0.01}, {ai, vd}, {k, 0.0}});
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::DcOp, 0, "dc vd=" + std::to_string(vd)), 1.0);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::Tran, 1e9, "tran vd=" + std::to_string(vd)), 1.0);
  }
}

TEST(DeviceDiode, BreakdownCurrentIsIbvAtBv) {
  Bench b = diodeBench({{"is", 1e-14}, {"bv", 5.1}, {"ibv", 1e-3}});
  ASSERT_TRUE(b.status.ok());
  const int a = b.node("a");
  residual(b, vec(b.n(), {{a, -5.1}}), dev::AnalysisMode::DcOp, 0);
  EXPECT_NEAR(b.f[a], -1e-3, 1e-5);  // matched to reltol
  residual(b, vec(b.n(), {{a, -4.0}}), dev::AnalysisMode::DcOp, 0);
  EXPECT_LT(std::fabs(b.f[a]), 1e-9);
}

TEST(DeviceDiode, IbvZeroOrNegativePutsTheBreakdownAtBv) {
  // ngspice 39: IBV below IS * BV / vt (a fitted vendor model's -0.25 mA) leaves the
  // breakdown voltage at BV itself: i(-BV) = -IS (the breakdown exponential's 1)
  for (double ibv : {0.0, -2.5e-4}) {
    Bench b = diodeBench({{"is", 1e-14}, {"bv", 5.1}, {"ibv", ibv}});
    ASSERT_TRUE(b.status.ok()) << "ibv " << ibv;
    const int a = b.node("a");
    // at BV only IS and the bench's gmin flow (IBV = 1 mA would put -1 mA here)
    residual(b, vec(b.n(), {{a, -5.1}}), dev::AnalysisMode::DcOp, 0);
    EXPECT_LT(std::fabs(b.f[a]), 1e-11) << "ibv " << ibv;
    // ten thermal voltages beyond it, the breakdown exponential: IS e^10 = 2.2e-10 A
    residual(b, vec(b.n(), {{a, -5.1 - 10 * 0.0258646}}), dev::AnalysisMode::DcOp, 0);
    EXPECT_LT(b.f[a], -1e-10) << "ibv " << ibv;
    EXPECT_GT(b.f[a], -1e-9) << "ibv " << ibv;
  }
}

TEST(DeviceDiode, ChargeIsConservedOverAPeriod) {
  Bench b = diodeBench({{"is", 1e-14}, {"rs", 1}, {"cjo", 1e-12}, {"vj", 0.6}, {"m", 0.45}, {"tt", 1e-8}, {"fc", 0.5}});
  ASSERT_TRUE(b.status.ok());
  const int a = b.node("a"), k = b.node("k"), ai = b.node("d1#a");
  auto x0 = vec(b.n(), {{a, 0.1}, {ai, 0.1}});
  auto amp = vec(b.n(), {{a, 0.6}, {ai, 0.55}, {k, 0.05}});
  auto ph = vec(b.n(), {{k, 1.0}});
  EXPECT_LT(chargeImbalance(b, x0, amp, ph, 397), 1e-9);
}

TEST(DeviceDiode, LimitingReportsNonconvergenceAndLinearises) {
  Bench b = diodeBench({{"is", 1e-14}});
  ASSERT_TRUE(b.status.ok());
  const int a = b.node("a");
  EXPECT_EQ(b.load(vec(b.n(), {{a, 0.0}}), dev::AnalysisMode::DcOp, 0, true), 1);  // init: vcrit
  b.load(vec(b.n(), {{a, 0.6}}));
  EXPECT_EQ(b.load(vec(b.n(), {{a, 0.6}})), 0);
  // a jump to 5 V is limited; the residual is the linearisation at the limited voltage
  EXPECT_EQ(b.load(vec(b.n(), {{a, 5.0}})), 1);
  EXPECT_LT(b.f[a], 10.0);  // i(5 V) itself would be astronomically large
  EXPECT_GT(b.J(a, a), 0.0);
}

TEST(DeviceDiode, AcAdmittanceIsConductancePlusCapacitance) {
  Bench b = diodeBench({{"is", 1e-14}, {"cjo", 1e-12}, {"vj", 0.8}, {"m", 0.5}, {"tt", 1e-9}});
  ASSERT_TRUE(b.status.ok());
  const int a = b.node("a");
  residual(b, vec(b.n(), {{a, 0.3}}), dev::AnalysisMode::DcOp, 0);  // below FC*VJ
  const double g = b.J(a, a);
  std::vector<std::complex<double>> Ac(b.A.size());
  dev::AcContext ac;
  ac.omega = 1e6;
  ac.A = Ac.data();
  b.group->acLoad(ac);
  const auto& cp = b.pattern->colPtr();
  const std::complex<double> y = Ac[cp[a - 1]];  // only entry of column a
  const double gd = 1e-14 * std::exp(0.3 / kVt300) / kVt300;
  const double c = 1e-12 / std::sqrt(1 - 0.3 / 0.8) + 1e-9 * gd;
  EXPECT_NEAR(y.real(), g, 1e-12 * g);
  EXPECT_NEAR(y.imag(), 1e6 * c, 1e-6 * 1e6 * c);
}

TEST(DeviceDiode, TemperatureRaisesSaturationCurrent) {
  Bench cold = diodeBench({{"is", 1e-14}});
  Bench hot = diodeBench({{"is", 1e-14}}, {{"temp", 127}});
  ASSERT_TRUE(cold.status.ok() && hot.status.ok());
  auto x = vec(2, {{1, 0.5}});
  residual(cold, x, dev::AnalysisMode::DcOp, 0);
  residual(hot, x, dev::AnalysisMode::DcOp, 0);
  EXPECT_GT(hot.f[1], 100 * cold.f[1]);
}

TEST(DeviceDiode, RejectsUnknownModelParameter) {
  Bench b = diodeBench({{"is", 1e-14}, {"bogus", 1}});
  ASSERT_FALSE(b.status.ok());
  EXPECT_NE(b.status.error().message.find("bogus"), std::string::npos);
}

// ---------------------------------------------------------------- BJT

Bench bjtBench(const std::string& type, std::vector<std::pair<std::string, double>> mp, bool fourNodes = false) {
  Bench b;
  b.setup.circ.models.push_back(model("qm", type, std::move(mp)));
  std::vector<std::string> nodes = {"c", "b", "e"};
  if (fourNodes) nodes.push_back("s");
  b.setup.circ.devices.push_back(device("q1", nodes, 0));
  b.status = b.build();
  return b;
}

const std::vector<std::pair<std::string, double>> kFullGp = {
    {"is", 1e-15}, {"bf", 120},  {"br", 3},    {"nf", 1.01}, {"nr", 1.02}, {"vaf", 60},  {"var", 20},
    {"ikf", 5e-3}, {"ikr", 1e-3}, {"ise", 1e-13}, {"ne", 1.6}, {"isc", 1e-13}, {"nc", 1.8}, {"rb", 100},
    {"irb", 1e-4}, {"rbm", 20},  {"rc", 5},    {"re", 2},    {"cje", 1e-12}, {"vje", 0.7}, {"mje", 0.35},
    {"cjc", 5e-13}, {"vjc", 0.6}, {"mjc", 0.4}, {"xcjc", 0.7}, {"tf", 1e-10}, {"xtf", 3}, {"vtf", 4},
    {"itf", 1e-2}, {"tr", 1e-8}, {"cjs", 2e-13}, {"vjs", 0.6}, {"mjs", 0.3}};

// Bias points (vbe, vce) in every region.
const std::vector<std::pair<double, double>> kBjtBias = {
    {0.70, 3.0},   // forward active
    {0.78, 5.0},   // high injection
    {0.75, 0.1},   // saturation
    {-0.5, 2.0},   // cutoff
    {0.1, -0.65},  // reverse active (vbc = 0.75)
    {0.0, 0.0},
};

void bjtFd(const std::string& type, bool withRbModulation) {
  auto mp = kFullGp;
  if (!withRbModulation) mp.erase(std::remove_if(mp.begin(), mp.end(), [](auto& p) { return p.first == "irb"; }), mp.end());
  Bench b = bjtBench(type, mp, true);
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  ASSERT_EQ(b.n(), 7);
  const double s = type == "pnp" ? -1 : 1;
  const int c = b.node("c"), bb = b.node("b"), e = b.node("e"), sub = b.node("s");
  const int ci = b.node("q1#c"), bi = b.node("q1#b"), ei = b.node("q1#e");
  for (auto [vbe, vce] : kBjtBias) {
    auto x = vec(b.n(), {{bb, s * (vbe + 0.002)}, {bi, s * vbe}, {e, s * -0.001}, {ei, 0.0}, {c, s * (vce + 0.003)},
                         {ci, s * vce}, {sub, s * -1.0}});
    const std::string what = type + " vbe=" + std::to_string(vbe) + " vce=" + std::to_string(vce);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::DcOp, 0, what), 1.0);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::Tran, 1e10, what + " tran"), 1.0);
  }
}

TEST(DeviceBjt, NpnJacobianMatchesFiniteDifferences) { bjtFd("npn", false); }
TEST(DeviceBjt, PnpJacobianMatchesFiniteDifferences) { bjtFd("pnp", false); }
TEST(DeviceBjt, NpnWithIrbJacobianMatchesFiniteDifferences) { bjtFd("npn", true); }
TEST(DeviceBjt, PnpWithIrbJacobianMatchesFiniteDifferences) { bjtFd("pnp", true); }

TEST(DeviceBjt, ForwardActiveCurrentsMatchHandCalculation) {
  Bench b = bjtBench("npn", {{"is", 1e-15}, {"bf", 100}, {"vaf", 50}});
  ASSERT_TRUE(b.status.ok());
  const int c = b.node("c"), bb = b.node("b"), e = b.node("e");
  const double vbe = 0.65, vce = 5;
  residual(b, vec(b.n(), {{c, vce}, {bb, vbe}, {e, 0}}), dev::AnalysisMode::DcOp, 0);
  const double vbc = vbe - vce;
  const double ibf = 1e-15 * (std::exp(vbe / kVt300) - 1), ibr = 1e-15 * (std::exp(vbc / kVt300) - 1);
  const double qb = 1 / (1 - vbc / 50);
  const double gmin = 1e-12;
  const double ic = (ibf - ibr) / qb - ibr / 1.0 - gmin * vbc;
  const double ib = ibf / 100 + gmin * vbe + ibr / 1.0 + gmin * vbc;
  EXPECT_NEAR(b.f[c], ic + gmin * vce, 1e-9 * ic);  // gmin to the grounded substrate
  EXPECT_NEAR(b.f[bb], ib, 1e-9 * ib);
  EXPECT_NEAR(b.f[e], -(ic + ib), 1e-9 * ic);
}

TEST(DeviceBjt, PnpMirrorsNpn) {
  // both vertical (a pnp's substrate junction is lateral by default, as ngspice's)
  auto mp = kFullGp;
  mp.push_back({"subs", 1});
  Bench n = bjtBench("npn", mp, true), p = bjtBench("pnp", mp, true);
  ASSERT_TRUE(n.status.ok() && p.status.ok());
  auto x = vec(7, {{1, 3.0}, {2, 0.7}, {4, -1}, {5, 2.9}, {6, 0.69}, {7, 0.01}});
  auto xm = x;
  for (auto& v : xm) v = -v;
  const auto fn = residual(n, x, dev::AnalysisMode::DcOp, 0);
  const auto fp = residual(p, xm, dev::AnalysisMode::DcOp, 0);
  for (int u = 1; u <= 7; ++u) {
    EXPECT_NEAR(fp[u], -fn[u], 1e-12 * std::fabs(fn[u]) + 1e-20);
    for (int k = 1; k <= 7; ++k) EXPECT_NEAR(p.J(u, k), n.J(u, k), 1e-12 * std::fabs(n.J(u, k)) + 1e-20);
  }
}

TEST(DeviceBjt, ChargeIsConservedOverAPeriod) {
  Bench b = bjtBench("npn", kFullGp, true);
  ASSERT_TRUE(b.status.ok());
  auto x0 = vec(7, {{1, 2.0}, {2, 0.5}, {4, -1}, {5, 1.95}, {6, 0.45}, {7, 0.0}});
  auto amp = vec(7, {{1, 1.5}, {2, 0.3}, {3, 0.05}, {4, 0.5}, {5, 1.4}, {6, 0.3}, {7, 0.04}});
  auto ph = vec(7, {{1, 0.3}, {2, 1.1}, {3, 2.0}, {4, 0.7}, {5, 0.35}, {6, 1.05}, {7, 1.9}});
  EXPECT_LT(chargeImbalance(b, x0, amp, ph, 501), 1e-9);
}

TEST(DeviceBjt, ThreeNodeFormPutsSubstrateAtGround) {
  Bench b = bjtBench("npn", {{"is", 1e-15}});
  ASSERT_TRUE(b.status.ok());
  EXPECT_EQ(b.n(), 3);
  std::vector<std::pair<dev::Index, dev::Index>> paths;
  b.group->dcPaths(paths);
  EXPECT_EQ(paths.size(), 3u);
}

// ---------------------------------------------------------------- MOSFET

Bench mosBench(const std::string& type, std::vector<std::pair<std::string, double>> mp,
               std::vector<std::pair<std::string, double>> ip = {{"w", 10e-6}, {"l", 1e-6}}) {
  Bench b;
  b.setup.circ.models.push_back(model("mm", type, std::move(mp)));
  b.setup.circ.devices.push_back(device("m1", {"d", "g", "s", "b"}, 0, std::move(ip)));
  b.status = b.build();
  return b;
}

const std::vector<std::pair<std::string, double>> kMos = {
    {"level", 1}, {"vto", 0.7}, {"kp", 50e-6}, {"gamma", 0.5}, {"phi", 0.65}, {"lambda", 0.03}, {"rd", 10},
    {"rs", 8},    {"cbd", 5e-15}, {"cbs", 6e-15}, {"pb", 0.8}, {"mj", 0.45}, {"cgso", 1e-10}, {"cgdo", 1.2e-10},
    {"cgbo", 2e-10}, {"is", 1e-14}};

// (vgs, vds, vbs), nmos polarity; vto = 0.7, vth rises with -vbs.
const std::vector<std::array<double, 3>> kMosBias = {
    {0.0, 1.0, 0.0},    // cutoff
    {0.69, 1.0, 0.0},   // just below threshold (id = 0)
    {0.72, 1.0, 0.0},   // just above threshold, saturation
    {2.0, 0.3, 0.0},    // linear
    {2.0, 3.0, 0.0},    // saturation
    {2.0, -0.4, 0.0},   // reverse, linear
    {2.5, -3.0, 0.0},   // reverse, saturation
    {2.0, 0.5, -1.5},   // body effect, linear
    {2.5, 3.0, -2.0},   // body effect, saturation
    {1.5, 1.0, 0.3},    // forward-biased bulk (linearised sqrt)
};

void mosFd(const std::string& type, std::vector<std::pair<std::string, double>> mp, bool tran) {
  const double s = type == "pmos" ? -1 : 1;
  for (auto& [k, v] : mp)
    if (k == "vto") v *= s;
  Bench b = mosBench(type, mp);
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  ASSERT_EQ(b.n(), 6);
  const int d = b.node("d"), g = b.node("g"), src = b.node("s"), bk = b.node("b");
  const int di = b.node("m1#d"), si = b.node("m1#s");
  for (auto v : kMosBias) {
    const double vs = 0.2;
    auto x = vec(6, {{g, s * (vs + v[0])}, {di, s * (vs + v[1])}, {d, s * (vs + v[1] + 0.001)}, {si, s * vs},
                     {src, s * (vs - 0.001)}, {bk, s * (vs + v[2])}});
    const std::string what = type + " vgs=" + std::to_string(v[0]) + " vds=" + std::to_string(v[1]) +
                             " vbs=" + std::to_string(v[2]);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::DcOp, 0, what), 1.0);
    if (tran) EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::Tran, 1e10, what + " tran"), 1.0);
  }
}

TEST(DeviceMosfet, NmosJacobianMatchesFiniteDifferences) { mosFd("nmos", kMos, true); }
TEST(DeviceMosfet, PmosJacobianMatchesFiniteDifferences) { mosFd("pmos", kMos, true); }
TEST(DeviceMosfet, MeyerDcJacobianMatchesFiniteDifferences) {
  auto mp = kMos;
  mp.push_back({"tox", 2e-8});
  mosFd("nmos", mp, false);
  mosFd("pmos", mp, false);
}

TEST(DeviceMosfet, SaturationAndLinearCurrentsMatchHandCalculation) {
  Bench b = mosBench("nmos", {{"vto", 1.0}, {"kp", 2e-5}, {"lambda", 0.02}});
  ASSERT_TRUE(b.status.ok());
  const int d = b.node("d"), g = b.node("g");
  const double gmin = 1e-12, iss = 1e-14;
  residual(b, vec(4, {{d, 5.0}, {g, 3.0}}), dev::AnalysisMode::DcOp, 0);
  const double beta = 2e-5 * 10;
  double id = 0.5 * beta * 4.0 * (1 + 0.02 * 5);
  const double ibd = gmin * -5.0 - iss;  // bulk-drain junction, reverse
  EXPECT_NEAR(b.f[d], id - ibd, 1e-12 * id);
  residual(b, vec(4, {{d, 0.5}, {g, 3.0}}), dev::AnalysisMode::DcOp, 0);
  id = beta * 0.5 * (2.0 - 0.25) * (1 + 0.02 * 0.5);
  EXPECT_NEAR(b.f[d], id + iss * (1 - std::exp(-0.5 / kVt300)) + gmin * 0.5, 1e-12 * id);
}

TEST(DeviceMosfet, BodyEffectRaisesThreshold) {
  Bench b = mosBench("nmos", {{"vto", 0.7}, {"kp", 2e-5}, {"gamma", 0.5}, {"phi", 0.6}});
  ASSERT_TRUE(b.status.ok());
  const int d = b.node("d"), g = b.node("g"), bk = b.node("b");
  residual(b, vec(4, {{d, 5.0}, {g, 2.0}, {bk, -2.0}}), dev::AnalysisMode::DcOp, 0);
  const double vth = 0.7 + 0.5 * (std::sqrt(0.6 + 2.0) - std::sqrt(0.6));
  const double id = 0.5 * 2e-4 * (2.0 - vth) * (2.0 - vth);
  EXPECT_NEAR(b.f[d], id, 1e-9 * id + 2e-14 + 7e-12);
}

TEST(DeviceMosfet, KpFromU0AndTox) {
  Bench a = mosBench("nmos", {{"vto", 1.0}, {"tox", 1e-8}, {"u0", 500}});
  Bench k = mosBench("nmos", {{"vto", 1.0}, {"kp", 500e-4 * 3.9 * 8.854214871e-12 / 1e-8}});
  ASSERT_TRUE(a.status.ok() && k.status.ok());
  auto x = vec(4, {{1, 3.0}, {2, 2.0}});
  residual(a, x, dev::AnalysisMode::DcOp, 0);
  residual(k, x, dev::AnalysisMode::DcOp, 0);
  EXPECT_NEAR(a.f[1], k.f[1], 1e-12 * std::fabs(k.f[1]));
}

TEST(DeviceMosfet, ChargeIsConservedOverAPeriod) {
  // junction and overlap charges (state functions), every terminal moving
  Bench b = mosBench("nmos", kMos);
  ASSERT_TRUE(b.status.ok());
  auto x0 = vec(6, {{1, 1.5}, {2, 1.5}, {3, 0.0}, {4, -0.5}, {5, 1.5}, {6, 0.0}});
  auto amp = vec(6, {{1, 2.0}, {2, 1.5}, {3, 0.3}, {4, 0.4}, {5, 1.99}, {6, 0.3}});
  auto ph = vec(6, {{1, 0.5}, {2, 1.3}, {3, 2.0}, {4, 0.1}, {5, 0.5}, {6, 2.0}});
  EXPECT_LT(chargeImbalance(b, x0, amp, ph, 400), 1e-9);
}

TEST(DeviceMosfet, MeyerChargeIsConservedOnAGateSweep) {
  // Meyer charges integrate the capacitance along the path: a gate sweep that
  // retraces itself returns every terminal charge to its start.
  auto mp = kMos;
  mp.push_back({"tox", 2e-8});
  Bench b = mosBench("nmos", mp);
  ASSERT_TRUE(b.status.ok());
  const int g = b.node("g"), d = b.node("d"), di = b.node("m1#d");
  auto x0 = vec(6, {{g, 1.0}, {d, 1.0}, {di, 1.0}});
  auto amp = vec(6, {{g, 2.5}});
  auto ph = vec(6, {});
  EXPECT_LT(chargeImbalance(b, x0, amp, ph, 400), 1e-9);
}

TEST(DeviceMosfet, MeyerChargeDriftOnALoopIsAModelProperty) {
  // A loop in (vgs, vds) does not return the Meyer charges to their start: the
  // Meyer capacitances are not derivatives of one charge, so the charge picked
  // up is the loop integral of C dv (ngspice behaves the same). The integration
  // itself adds nothing: the drift does not depend on the step.
  auto mp = kMos;
  mp.push_back({"tox", 2e-8});
  Bench b = mosBench("nmos", mp);
  ASSERT_TRUE(b.status.ok());
  auto x0 = vec(6, {{1, 1.5}, {2, 1.5}, {4, 0.0}, {5, 1.5}});
  auto amp = vec(6, {{1, 1.5}, {2, 1.5}, {5, 1.5}});
  auto ph = vec(6, {{2, 1.5}});
  const double coarse = chargeImbalance(b, x0, amp, ph, 100);
  const double fine = chargeImbalance(b, x0, amp, ph, 1000);
  EXPECT_GT(fine, 0.01);
  EXPECT_NEAR(fine, coarse, 0.03 * fine);
}

TEST(DeviceMosfet, PmosMirrorsNmos) {
  auto mpn = kMos, mpp = kMos;
  mpn.push_back({"tox", 2e-8});
  mpp.push_back({"tox", 2e-8});
  for (auto& [k, v] : mpp)
    if (k == "vto") v = -v;
  Bench n = mosBench("nmos", mpn), p = mosBench("pmos", mpp);
  ASSERT_TRUE(n.status.ok() && p.status.ok());
  for (auto v : kMosBias) {
    auto x = vec(6, {{2, v[0]}, {5, v[1]}, {1, v[1] + 0.001}, {4, v[2]}});
    auto xm = x;
    for (auto& e : xm) e = -e;
    const auto fn = residual(n, x, dev::AnalysisMode::DcOp, 0);
    const auto fp = residual(p, xm, dev::AnalysisMode::DcOp, 0);
    for (int u = 1; u <= 6; ++u) {
      EXPECT_NEAR(fp[u], -fn[u], 1e-12 * std::fabs(fn[u]) + 1e-20);
      for (int k = 1; k <= 6; ++k) EXPECT_NEAR(p.J(u, k), n.J(u, k), 1e-12 * std::fabs(n.J(u, k)) + 1e-20);
    }
  }
}

TEST(DeviceMosfet, RejectsOtherLevels) {
  // the level-1 group itself (the simulator gives level 3 to its own kind)
  Bench b;
  b.kind = dev::findKind('m');
  b.setup.circ.models.push_back(model("mm", "nmos", {{"level", 3}, {"vto", 1}}));
  b.setup.circ.devices.push_back(device("m1", {"d", "g", "s", "b"}, 0, {{"w", 10e-6}, {"l", 1e-6}}));
  b.status = b.build();
  ASSERT_FALSE(b.status.ok());
  EXPECT_NE(b.status.error().message.find("MOSFET level 3 is not supported (MOSFET levels: 1, 2, 3, 4 (BSIM1), 5 (BSIM2), 6, 8 or 49"),
            std::string::npos)
      << b.status.error().message;
}

TEST(DeviceMosfet, AnOutOfRangeLevelIsNamedNotCast) {
  // LEVEL=1tabl reads as 1e12 (the t suffix): the message writes it, with no
  // out-of-range cast to int (found by fuzz_simulate under UBSan)
  Bench b;
  b.kind = dev::findKind('m');
  b.setup.circ.models.push_back(model("mm", "nmos", {{"level", 1e12}}));
  b.setup.circ.devices.push_back(device("m1", {"d", "g", "s", "b"}, 0, {{"w", 10e-6}, {"l", 1e-6}}));
  b.status = b.build();
  ASSERT_FALSE(b.status.ok());
  EXPECT_NE(b.status.error().message.find("MOSFET level 1e+12 is not supported"), std::string::npos)
      << b.status.error().message;
}

TEST(DeviceMosfet, LimitingIsReportedAndInitialGuessUsesVto) {
  Bench b = mosBench("nmos", {{"vto", 1.0}, {"kp", 2e-5}});
  ASSERT_TRUE(b.status.ok());
  // first iteration: vgs = vto, vds = 0, vbs = -1 whatever x is
  EXPECT_GE(b.load(vec(4, {}), dev::AnalysisMode::DcOp, 0, true), 1);
  b.load(vec(4, {{1, 0.1}, {2, 1.2}}));
  EXPECT_EQ(b.load(vec(4, {{1, 0.1}, {2, 1.2}})), 0);
  EXPECT_EQ(b.load(vec(4, {{1, 20.0}, {2, 1.2}})), 1);  // limvds: vds clamped at 4
}

// ---------------------------------------------------------------- switches

Bench switchBench(std::vector<std::pair<std::string, double>> mp, std::vector<std::pair<std::string, double>> ip = {}) {
  Bench b;
  b.setup.circ.models.push_back(model("sm", "sw", std::move(mp)));
  b.setup.circ.devices.push_back(device("s1", {"a", "0", "c", "0"}, 0, std::move(ip)));
  b.status = b.build();
  return b;
}

TEST(DeviceSwitch, HysteresisAtDc) {
  Bench b = switchBench({{"ron", 2}, {"roff", 1e6}, {"vt", 1.0}, {"vh", 0.5}});
  ASSERT_TRUE(b.status.ok());
  const int a = b.node("a"), c = b.node("c");
  auto g = [&] { return b.J(a, a); };
  auto at = [&](double vc) { return vec(2, {{a, 1.0}, {c, vc}}); };
  EXPECT_EQ(b.load(at(2.0), dev::AnalysisMode::DcOp, 0, true), 0);  // starts off, whatever the control
  EXPECT_DOUBLE_EQ(g(), 1e-6);
  EXPECT_EQ(b.load(at(1.2)), 0);  // inside the band: stays off
  EXPECT_DOUBLE_EQ(g(), 1e-6);
  EXPECT_EQ(b.load(at(1.6)), 1);  // above vt+vh: on
  EXPECT_DOUBLE_EQ(g(), 0.5);
  EXPECT_DOUBLE_EQ(b.f[a], 0.5);
  EXPECT_EQ(b.load(at(0.7)), 0);  // inside the band: stays on
  EXPECT_DOUBLE_EQ(g(), 0.5);
  EXPECT_EQ(b.load(at(0.4)), 1);  // below vt-vh: off
  EXPECT_DOUBLE_EQ(g(), 1e-6);
}

TEST(DeviceSwitch, InitiallyOnAndFreezesAfterRepeatedFlips) {
  Bench b = switchBench({{"vt", 1.0}}, {{"on", 1}});
  ASSERT_TRUE(b.status.ok());
  const int a = b.node("a"), c = b.node("c");
  b.load(vec(2, {{a, 1}, {c, 0}}), dev::AnalysisMode::DcOp, 0, true);
  EXPECT_DOUBLE_EQ(b.J(a, a), 1.0);  // RON default 1
  int flips = 0;
  for (int k = 0; k < 40; ++k) flips += b.load(vec(2, {{a, 1}, {c, k % 2 ? 2.0 : 0.0}}));
  EXPECT_GT(flips, 2);
  EXPECT_LT(flips, 20);
  EXPECT_EQ(b.load(vec(2, {{a, 1}, {c, 2.0}})) + b.load(vec(2, {{a, 1}, {c, 0.0}})), 0);
}

TEST(DeviceSwitch, StateIsHeldDuringTransientIterationsAndEventIsInterpolated) {
  Bench b = switchBench({{"ron", 1}, {"roff", 1e3}, {"vt", 2.5}, {"vh", 0.1}});
  ASSERT_TRUE(b.status.ok());
  const int a = b.node("a"), c = b.node("c");
  auto x0 = vec(2, {{a, 1}, {c, 0.0}});
  b.load(x0, dev::AnalysisMode::DcOp, 0, true);
  b.group->accept(x0.data(), 0.0);
  b.load(x0, dev::AnalysisMode::TranInit);
  b.group->accept(x0.data(), 0.0);
  auto x1 = vec(2, {{a, 1}, {c, 5.2}});
  EXPECT_EQ(b.load(x1, dev::AnalysisMode::Tran, 1e9), 0);
  EXPECT_DOUBLE_EQ(b.J(a, a), 1e-3);  // still off within the time point
  dev::Event ev{};
  ASSERT_TRUE(b.group->findEvent(x0.data(), x1.data(), 1e-6, 2e-6, ev));
  EXPECT_NEAR(ev.time, 1e-6 + 2.6 / 5.2 * 1e-6, 1e-18);
  auto x2 = vec(2, {{a, 1}, {c, 2.5}});  // not past vt+vh: no event
  EXPECT_FALSE(b.group->findEvent(x0.data(), x2.data(), 1e-6, 2e-6, ev));
  b.group->accept(x1.data(), 2e-6);
  b.load(x1, dev::AnalysisMode::Tran, 1e9);
  EXPECT_DOUBLE_EQ(b.J(a, a), 1.0);  // on after acceptance
  auto x3 = vec(2, {{a, 1}, {c, 2.0}});  // falling: off below 2.4
  ASSERT_TRUE(b.group->findEvent(x1.data(), x3.data(), 2e-6, 3e-6, ev));
  EXPECT_NEAR(ev.time, 2e-6 + (5.2 - 2.4) / 3.2 * 1e-6, 1e-18);
}

TEST(DeviceSwitch, NegativeHysteresisFlipsTheStateTheBandIsEnteredWith) {
  // ngspice's rule for VH <= 0: the band |vc - vt| <= |vh| turns a switch
  // coming from below on and one coming from above off, judged from the last
  // accepted state (before the first, "off outside the band")
  Bench b = switchBench({{"ron", 1}, {"roff", 1e3}, {"vt", 1.0}, {"vh", -0.2}});
  ASSERT_TRUE(b.status.ok());
  const int a = b.node("a"), c = b.node("c");
  auto at = [&](double vc) { return vec(2, {{a, 1.0}, {c, vc}}); };
  auto dcPoint = [&](double vc) {
    auto x = at(vc);
    b.load(x);
    b.load(x);
    b.group->accept(x.data(), 0.0);
    return b.J(a, a);
  };
  b.load(at(0.0), dev::AnalysisMode::DcOp, 0, true);
  EXPECT_DOUBLE_EQ(dcPoint(0.0), 1e-3);
  EXPECT_DOUBLE_EQ(dcPoint(0.85), 1.0);  // into the band from below: on
  EXPECT_DOUBLE_EQ(dcPoint(1.15), 1.0);  // stays on in the band
  EXPECT_DOUBLE_EQ(dcPoint(0.85), 1.0);
  EXPECT_DOUBLE_EQ(dcPoint(0.7), 1e-3);  // below: off
  EXPECT_DOUBLE_EQ(dcPoint(1.3), 1.0);   // above: on
  EXPECT_DOUBLE_EQ(dcPoint(1.1), 1e-3);  // into the band from above: off
  EXPECT_DOUBLE_EQ(dcPoint(0.9), 1e-3);
  EXPECT_DOUBLE_EQ(dcPoint(1.25), 1.0);

  // VH = 0: the band is the threshold itself
  Bench z = switchBench({{"ron", 1}, {"roff", 1e3}, {"vt", 0.5}});
  ASSERT_TRUE(z.status.ok());
  const int za = z.node("a"), zc = z.node("c");
  auto zx = vec(2, {{za, 1.0}, {zc, 0.5}});
  z.load(zx, dev::AnalysisMode::DcOp, 0, true);
  z.load(zx);
  z.load(zx);
  EXPECT_DOUBLE_EQ(z.J(za, za), 1.0) << "exactly at VT from off: on, as ngspice";

  // transient: the levels whose crossing is an event
  Bench t = switchBench({{"ron", 1}, {"roff", 1e3}, {"vt", 1.0}, {"vh", -0.2}});
  ASSERT_TRUE(t.status.ok());
  const int ta = t.node("a"), tc = t.node("c");
  auto tx = [&](double vc) { return vec(2, {{ta, 1.0}, {tc, vc}}); };
  auto x0 = tx(0.0);
  t.load(x0, dev::AnalysisMode::DcOp, 0, true);
  t.group->accept(x0.data(), 0.0);
  t.load(x0, dev::AnalysisMode::TranInit);
  t.group->accept(x0.data(), 0.0);
  dev::Event ev{};
  auto x1 = tx(1.0);  // rising: on where the band begins, at 0.8
  ASSERT_TRUE(t.group->findEvent(x0.data(), x1.data(), 0.0, 1e-6, ev));
  EXPECT_NEAR(ev.time, 0.8e-6, 1e-18);
  t.group->accept(x1.data(), 1e-6);
  t.load(x1, dev::AnalysisMode::Tran, 1e9);
  EXPECT_DOUBLE_EQ(t.J(ta, ta), 1.0);
  auto x2 = tx(0.85);  // still in the band: no event
  EXPECT_FALSE(t.group->findEvent(x1.data(), x2.data(), 1e-6, 2e-6, ev));
  auto x3 = tx(0.6);  // leaving it downwards: off at 0.8
  ASSERT_TRUE(t.group->findEvent(x1.data(), x3.data(), 1e-6, 2e-6, ev));
  EXPECT_NEAR(ev.time, 1e-6 + 0.2 / 0.4 * 1e-6, 1e-18);
  auto x4 = tx(1.4);
  t.group->accept(x4.data(), 2e-6);  // above the band: on outside it
  auto x5 = tx(1.0);  // falling into the band: off at 1.2
  ASSERT_TRUE(t.group->findEvent(x4.data(), x5.data(), 2e-6, 3e-6, ev));
  EXPECT_NEAR(ev.time, 2e-6 + 0.2 / 0.4 * 1e-6, 1e-18);
}

TEST(DeviceSwitch, TransientStartsInTheOperatingPointsState) {
  // VH = 0 and the control exactly at VT: the operating point turns the switch on
  // (into the band from below). The transient's start-up seed moves the control by
  // about 1e-10; after an operating point the switch keeps its state through the
  // start (TranInit and the accept at t = 0), as ngspice does; with UIC there is
  // no operating point and the initial values decide.
  Bench b = switchBench({{"ron", 1}, {"roff", 1e3}, {"vt", 0.5}});
  ASSERT_TRUE(b.status.ok());
  const int a = b.node("a"), c = b.node("c");
  auto at = [&](double vc) { return vec(2, {{a, 1.0}, {c, vc}}); };
  auto op = at(0.5), seeded = at(0.5 - 1e-10);
  b.load(op, dev::AnalysisMode::DcOp, 0, true);
  b.load(op);
  b.load(op);
  b.group->accept(op.data(), 0.0);
  ASSERT_DOUBLE_EQ(b.J(a, a), 1.0);
  b.load(seeded, dev::AnalysisMode::TranInit);
  b.group->accept(seeded.data(), 0.0);
  b.load(seeded, dev::AnalysisMode::Tran, 1e9);
  EXPECT_DOUBLE_EQ(b.J(a, a), 1.0) << "the seed must not turn the switch off";
  b.group->accept(op.data(), 1e-9);  // the first step's solution: back on the threshold, still on
  b.load(op, dev::AnalysisMode::Tran, 1e9);
  EXPECT_DOUBLE_EQ(b.J(a, a), 1.0);

  Bench u = switchBench({{"ron", 1}, {"roff", 1e3}, {"vt", 0.5}}, {{"on", 1}});
  ASSERT_TRUE(u.status.ok());
  const int ua = u.node("a"), uc = u.node("c");
  auto below = vec(2, {{ua, 1.0}, {uc, 0.2}});
  u.load(below, dev::AnalysisMode::TranInit, 0, false, true);  // UIC: the control at 0.2 decides
  u.group->accept(below.data(), 0.0);
  u.load(below, dev::AnalysisMode::Tran, 1e9);
  EXPECT_DOUBLE_EQ(u.J(ua, ua), 1e-3);
}

TEST(DeviceSwitch, UicStartInsideTheBandKeepsTheInstancesState) {
  // VT = VH = 0 and the gate at exactly 0 V at a UIC start: ngspice 39's MODEINITJCT load
  // leaves the switch off (HYST_OFF), and a control still at 0 V keeps it off; ON gives
  // on. Outside the band the control decides.
  Bench b = switchBench({{"ron", 1}, {"roff", 1e3}});
  ASSERT_TRUE(b.status.ok());
  const int a = b.node("a"), c = b.node("c");
  auto at = [&](double vc) { return vec(2, {{a, 1.0}, {c, vc}}); };
  auto zero = at(0.0);
  b.load(zero, dev::AnalysisMode::TranInit, 0, false, true);
  b.group->accept(zero.data(), 0.0);
  b.load(zero, dev::AnalysisMode::Tran, 1e9);
  EXPECT_DOUBLE_EQ(b.J(a, a), 1e-3) << "off: a gate held at exactly VT does not turn it on";
  b.group->accept(zero.data(), 1e-9);
  b.load(zero, dev::AnalysisMode::Tran, 1e9);
  EXPECT_DOUBLE_EQ(b.J(a, a), 1e-3);
  auto high = at(1.0);
  b.group->accept(high.data(), 2e-9);
  b.load(high, dev::AnalysisMode::Tran, 1e9);
  EXPECT_DOUBLE_EQ(b.J(a, a), 1.0);

  Bench u = switchBench({{"ron", 1}, {"roff", 1e3}}, {{"on", 1}});
  ASSERT_TRUE(u.status.ok());
  auto uz = vec(2, {{u.node("a"), 1.0}, {u.node("c"), 0.0}});
  u.load(uz, dev::AnalysisMode::TranInit, 0, false, true);
  u.group->accept(uz.data(), 0.0);
  u.load(uz, dev::AnalysisMode::Tran, 1e9);
  EXPECT_DOUBLE_EQ(u.J(u.node("a"), u.node("a")), 1.0) << "ON: on inside the band";

  Bench v = switchBench({{"ron", 1}, {"roff", 1e3}});
  ASSERT_TRUE(v.status.ok());
  auto vh = vec(2, {{v.node("a"), 1.0}, {v.node("c"), 0.3}});
  v.load(vh, dev::AnalysisMode::TranInit, 0, false, true);
  v.group->accept(vh.data(), 0.0);
  v.load(vh, dev::AnalysisMode::Tran, 1e9);
  EXPECT_DOUBLE_EQ(v.J(v.node("a"), v.node("a")), 1.0) << "above the band: on";
}

TEST(DeviceSwitch, AnInstantInsideTheBandJudgesAgainstTheStateBeforeIt) {
  // VH = 0: the control falls from 1 V, undershoots to -1 mV at the located point (the
  // switch turns off there) and settles at exactly 0 V just after the instant. Against the
  // state before the instant (on) the band turns it off and keeps it off; against the
  // state the located point gave (off), it would enter the band from below and turn on.
  Bench b = switchBench({{"ron", 1}, {"roff", 1e3}});
  ASSERT_TRUE(b.status.ok());
  const int a = b.node("a"), c = b.node("c");
  auto at = [&](double vc) { return vec(2, {{a, 1.0}, {c, vc}}); };
  auto one = at(1.0), under = at(-1e-3), zero = at(0.0);
  b.load(one, dev::AnalysisMode::TranInit, 0, false, true);
  b.group->accept(one.data(), 0.0);
  b.group->accept(one.data(), 1e-6);
  b.group->accept(under.data(), 2e-6);  // the located point: off
  b.load(under, dev::AnalysisMode::Tran, 1e9);
  ASSERT_DOUBLE_EQ(b.J(a, a), 1e-3);
  EXPECT_EQ(b.group->settle(zero.data(), 2e-6), 0) << "stays off at the instant";
  b.load(zero, dev::AnalysisMode::Tran, 1e9);
  EXPECT_DOUBLE_EQ(b.J(a, a), 1e-3);
  b.group->accept(zero.data(), 3e-6);
  b.load(zero, dev::AnalysisMode::Tran, 1e9);
  EXPECT_DOUBLE_EQ(b.J(a, a), 1e-3) << "and after it";
}

TEST(DeviceSwitch, CurrentControlledUsesBranchCurrent) {
  Bench b;
  b.setup.circ.models.push_back(model("wm", "csw", {{"it", 1e-3}, {"ih", 0.2e-3}, {"ron", 10}, {"roff", 1e4}}));
  ir::Device w = device("w1", {"a", "0"}, 0);
  w.refs = {"vctl"};
  b.setup.circ.devices.push_back(w);
  b.status = b.build({"vctl"});
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const int a = b.node("a"), br = b.setup.branches.at("vctl");
  b.load(vec(b.n(), {{a, 1}}), dev::AnalysisMode::DcOp, 0, true);
  EXPECT_DOUBLE_EQ(b.J(a, a), 1e-4);
  EXPECT_EQ(b.load(vec(b.n(), {{a, 1}, {br, 1.1e-3}})), 0);
  EXPECT_EQ(b.load(vec(b.n(), {{a, 1}, {br, 1.3e-3}})), 1);
  EXPECT_DOUBLE_EQ(b.J(a, a), 0.1);
}

TEST(DeviceSwitch, CurrentControlledRejectsMissingSource) {
  Bench b;
  b.setup.circ.models.push_back(model("wm", "csw", {}));
  ir::Device w = device("w1", {"a", "0"}, 0);
  w.refs = {"vnope"};
  b.setup.circ.devices.push_back(w);
  b.status = b.build();
  ASSERT_FALSE(b.status.ok());
  EXPECT_NE(b.status.error().message.find("does not exist"), std::string::npos);
}

}  // namespace
