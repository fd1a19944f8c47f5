// Unit tests of the Z device with MESA models (levels 2, 3 and 4, ngspice 39's
// `mesa`): drain currents against ngspice 39's printouts and against the
// level-4 equations written out by hand, the gate diodes by hand, Jacobians
// against finite differences (DC, and transient from an accepted point
// elsewhere, where the capacitances' own derivatives enter), the AC output
// conductance with LAMBDA(f), and the clear errors. Agreement with ngspice on
// whole circuits: tests/compat/mesa_*.cir.
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

Bench mesaBench(Params mp, Params ip = {{"l", 1e-6}, {"w", 20e-6}}, const std::string& type = "nmf") {
  return zBench(std::move(mp), std::move(ip), type);
}

// Current into the drain at V(d) = vd, V(g) = vg, V(s) = 0, less the gate-drain diode's gmin.
double drainCurrent(Bench& b, double vd, double vg) {
  const int d = b.node("d"), g = b.node("g");
  residual(b, vec(b.n(), {{d, vd}, {g, vg}}), dev::AnalysisMode::DcOp, 0);
  return b.f[d] + 1e-12 * (vg - vd);
}

// ngspice 39 (`.dc` of one device, printed with 6 digits): I(vd) at vd = 1 V.
TEST(DeviceMesa, DrainCurrentsMatchNgspice) {
  struct Case {
    int level;
    double vg, id;
  };
  const Case cases[] = {
      {2, -0.3, 1.16457e-04}, {2, 0.3, 1.05406e-03}, {2, 0.6, 1.72750e-03}, {3, -0.3, 7.58417e-04},
      {3, 0.3, 6.06295e-03},  {3, 0.6, 9.25981e-03}, {4, -0.3, 1.72505e-04}, {4, 0.3, 1.17922e-03},
      {4, 0.6, 1.72973e-03},
  };
  for (const Case& c : cases) {
    Bench b = mesaBench({{"level", double(c.level)}, {"vto", -0.5}});
    ASSERT_TRUE(b.status.ok()) << b.status.error().message;
    const double id = drainCurrent(b, 1.0, c.vg);
    EXPECT_NEAR(id, c.id, 1e-5 * c.id) << "level " << c.level << " vg " << c.vg;
  }
}

// Level 4 written out by hand at vgs = 0, vds = 1 V (no resistances, SIGMA0 = 0,
// ALPHA = 0, 27 degC): the equations of the MESA level-4 model.
TEST(DeviceMesa, Level4CurrentByHand) {
  const double L = 1e-6, W = 20e-6, vto = -0.5, eta = 1.73, mu = 0.23, vs = 1.5e5, nmax = 2e16, gamma = 3;
  const double m0 = 2.5, lambda = 0.045, delta = 5, d = 0.12e-6, epsi = 12.244 * 8.85418e-12;
  Bench b = mesaBench({{"level", 4}, {"vto", vto}, {"sigma0", 0}, {"ggr", 0}, {"astar", 0}});
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const double q = 1.6021766208e-19, vt = 1.38064852e-23 / q * 300.15, etavth = eta * vt;
  const double vgt = 0 - vto, vds = 1.0;
  const double n0 = epsi * eta * vt / 2 / q / d;
  const double nsm = 2 * n0 * std::log(1 + 0.5 * std::exp(vgt / etavth));
  const double c = std::pow(nsm / nmax, gamma);
  const double ns = nsm / std::pow(1 + c, 1 / gamma);
  const double gchi0 = q * W / L * mu, gch = gchi0 * ns, gchim = gchi0 * nsm;
  const double u = 0.5 * vgt / vt - 1, vgte = vt * (2 + u + std::sqrt(delta * delta + u * u));
  const double vl = vs / mu * L;
  const double isatm = gchim * vgte / (2 + std::sqrt(1 + vgte * vgte / (vl * vl)) - 1);
  const double imax = q * nmax * vs * W;
  const double isat = isatm / std::pow(1 + std::pow(isatm / imax, gamma), 1 / gamma);
  const double vsate = isat / gch;
  const double id = gch * vds * (1 + lambda * vds) / std::pow(1 + std::pow(vds / vsate, m0), 1 / m0);
  EXPECT_NEAR(drainCurrent(b, vds, 0.0), id, 1e-10 * id);
}

// The gate diode by hand at vgs = vgd = 0.3 V (vds = 0, no channel current):
// csat (exp(v/(N vt)) - 1) + GGR L W v exp(-DEL v/vt) + gmin v on each side.
TEST(DeviceMesa, GateDiodesByHand) {
  Bench b = mesaBench({{"level", 2}, {"n", 1.2}, {"phib", 0.6}, {"astar", 5e4}, {"ggr", 60}, {"del", 0.05}});
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const int d = b.node("d"), g = b.node("g");
  residual(b, vec(b.n(), {{d, 0.0}, {g, 0.3}}), dev::AnalysisMode::DcOp, 0);
  const double q = 1.6021766208e-19, k = 1.38064852e-23, T = 300.15, vt = k / q * T, v = 0.3;
  const double csat = 0.5 * 5e4 * T * T * std::exp(-0.6 * q / (k * T)) * 1e-6 * 20e-6;
  const double i = csat * (std::exp(v / (1.2 * vt)) - 1) + 60 * 1e-6 * 20e-6 * v * std::exp(-0.05 * v / vt) + 1e-12 * v;
  EXPECT_NEAR(b.f[g], 2 * i, 1e-10 * i);
}

// (vgs, vds) at the intrinsic nodes
const std::vector<std::array<double, 2>> kBias = {
    {-2.0, 5.0},   // deep subthreshold
    {-0.5, 3.0},   // saturation
    {-0.3, 0.2},   // linear
    {-1.0, -0.3},  // inverse, linear
    {0.0, -2.0},   // inverse, saturation
    {0.6, 0.1},    // gate forward-biased
    {0.2, 1.5},
};

void mesaFd(const Params& mp, const std::string& what0) {
  Bench b = mesaBench(mp);
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const int n = b.n();
  const int d = b.node("d"), g = b.node("g"), s = b.node("s");
  for (auto v : kBias) {
    std::vector<double> x(n + 1, 0.0);
    // every internal node near its terminal, a little apart (each resistance carries current)
    for (const auto& [name, idx] : b.setup.nodes) {
      if (idx <= 0) continue;
      const bool drainSide = name.find("drain") != std::string::npos || name.find("#gd") != std::string::npos;
      const bool gateSide = name.find("#gate") != std::string::npos;
      x[idx] = drainSide ? v[1] + 0.002 : gateSide ? v[0] - 0.001 : name.find("#") != std::string::npos ? 0.003 : 0.0;
    }
    x[d] = v[1] + 0.004;
    x[g] = v[0];
    x[s] = -0.002;
    const std::string what = what0 + " vgs=" + std::to_string(v[0]) + " vds=" + std::to_string(v[1]);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::DcOp, 0, what), 1.0);
    auto x1 = x;
    x1[g] += 0.13;
    x1[d] -= 0.21;
    for (const auto& [name, idx] : b.setup.nodes)
      if (idx > 0 && (name.find("drain") != std::string::npos || name.find("#gd") != std::string::npos)) x1[idx] -= 0.21;
    b.load(x1, dev::AnalysisMode::DcOp);
    b.load(x1, dev::AnalysisMode::TranInit);
    b.group->accept(x1.data(), 0.0);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::Tran, 1e9, what + " tran"), 1.0);
  }
}

TEST(DeviceMesa, Level2JacobianMatchesFiniteDifferences) {
  mesaFd({{"level", 2}, {"rd", 20}, {"rs", 25}, {"rg", 5}, {"ri", 10}, {"rf", 8}, {"alpha", 0.3}, {"theta", 0.02},
          {"tc", 0.1}, {"ks", 0.05}, {"vsg", -0.5}, {"ag", 0.02}, {"rdi", 2}, {"rsi", 3}},
         "level 2");
}
TEST(DeviceMesa, Level3JacobianMatchesFiniteDifferences) {
  mesaFd({{"level", 3}, {"vto", -1.5}, {"rdi", 2.7}, {"rsi", 2.7}, {"rs", 10}, {"ri", 5}, {"tc", 0.001},
          {"sigma0", 0.02}, {"ks", 0.1}},
         "level 3");
}
TEST(DeviceMesa, Level4JacobianMatchesFiniteDifferences) {
  mesaFd({{"level", 4}, {"vto", -0.6}, {"rd", 5}, {"rs", 10}, {"rf", 5}, {"rsi", 3}, {"rdi", 2}, {"nmax", 1e16},
          {"gamma", 2.5}, {"ks", 0.05}},
         "level 4");
}

// AC: with DELFO the output conductance follows LAMBDA(f): LAMBDA far below
// FLO, half-way at FLO (tanh(0) = 0), and above it the increment of the
// explicit (1 + LAMBDA vds) factor, 2 (LAMBDAHF - LAMBDA) vds gch/h, which the
// gate does not see (VG has no AC).
TEST(DeviceMesa, AcOutputConductanceFollowsLambdaOfFrequency) {
  const std::string head = "t\nZ1 d g 0 zm l=1u w=10u\nVD d 0 DC 2 AC 1\nVG g 0 0.3\n";
  auto r = simcore::testing::runOk(head + ".model zm nmf level=2 vto=0.1 lambda=0.05 lambdahf=0.5 flo=10 delfo=0.1 tf=1e5\n"
                                          ".ac lin 3 1e-6 20\n.end\n");
  const auto& t = r.get(simcore::AnalysisType::Ac);
  // FL = FLO exp(ts/TF), DELF = DELFO exp(ts/TF)
  const double fl = 10 * std::exp(300.15 / (1e5 + 273.15));
  const double f1 = t.x.at(1);
  const double lo = std::abs(t.phasor("i(vd)", 0)), mid = std::abs(t.phasor("i(vd)", 1)),
               hi = std::abs(t.phasor("i(vd)", 2));
  auto plain = simcore::testing::runOk(head + ".model zm nmf level=2 vto=0.1 lambda=0.05\n.ac lin 3 1e-6 20\n.end\n");
  const double gLow = std::abs(plain.get(simcore::AnalysisType::Ac).phasor("i(vd)", 0));
  EXPECT_NEAR(lo, gLow, 1e-9 * gLow);
  EXPECT_GT(hi, 1.5 * lo);
  const double half = 0.5 * (1 + std::tanh((f1 - fl) / (0.1 * std::exp(300.15 / (1e5 + 273.15)))));
  EXPECT_NEAR(mid - lo, half * (hi - lo), 1e-6 * (hi - lo));
}

TEST(DeviceMesa, RejectsBadParameters) {
  const auto msg = [](Bench b) { return b.status.ok() ? std::string() : b.status.error().message; };
  EXPECT_TRUE(contains(msg(mesaBench({{"level", 2}}, {{"l", 0}})), "L and W must be positive"));
  EXPECT_TRUE(contains(msg(mesaBench({{"level", 2}, {"rd", -1}})), "must not be negative"));
  EXPECT_TRUE(contains(msg(mesaBench({{"level", 2}, {"vs", 0}})), "VS must be positive"));
  EXPECT_TRUE(contains(msg(mesaBench({{"level", 3}, {"ndelta", 0}})), "NDU and NDELTA"));
  EXPECT_TRUE(contains(msg(mesaBench({{"level", 4}, {"nmax", 0}})), "NMAX"));
  EXPECT_TRUE(contains(msg(mesaBench({{"level", 2}}, {{"m", 0}})), "m must be positive"));
  EXPECT_TRUE(contains(msg(mesaBench({{"level", 2}}, {{"l", 1e-6}}, "pmf")), "nmf"));
  // a level-1 parameter on a MESA card names what MESA accepts
  EXPECT_TRUE(contains(msg(mesaBench({{"level", 2}, {"b", 0.3}})), "lambdahf"));
}

// ---- netlist forms

TEST(NetlistMesa, LevelsTwoToFourRunAndMultiplierScales) {
  const std::string tail = "VD d 0 1\nVG g 0 0.3\n.op\n.end\n";
  for (int level : {2, 3, 4}) {
    const std::string model = ".model zm nmf level=" + std::to_string(level) + " vto=-0.5\n";
    auto one = simcore::testing::runOk("t\nZ1 d g 0 zm l=1u w=20u\n" + model + tail);
    auto two = simcore::testing::runOk("t\nZ1 d g 0 zm l=1u w=20u m=2\n" + model + tail);
    const double i1 = one.get(simcore::AnalysisType::Op).col("i(vd)").at(0);
    const double i2 = two.get(simcore::AnalysisType::Op).col("i(vd)").at(0);
    EXPECT_LT(i1, 0) << level;
    EXPECT_NEAR(i2, 2 * i1, 1e-9 * std::fabs(i1)) << level;
  }
  auto e = simcore::testing::runErr("t\nZ1 d g 0 zm l=1u w=20u area=2\n.model zm nmf level=2\n" + tail);
  EXPECT_TRUE(contains(e.message, "area")) << e.message;
}

}  // namespace
