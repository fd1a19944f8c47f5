// BSIM3v3.3 (MOSFET level 8/49): parameter defaults and binning parameters,
// the shape of the model, its dual-number slopes and the device's Jacobian
// against finite differences, and model
// binning in the netlist reader (any MOSFET level).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "device_bench.hpp"
#include "devices/bsim3_model.hpp"
#include "devices/descriptor.hpp"
#include "netlist_test_util.hpp"
#include "plot_sink.hpp"
#include "simcore/ir.hpp"

using namespace simcore;
using namespace simcore::devbench;
using simcore::testutil::contains;
using simcore::testutil::Plot;
using simcore::testutil::PlotSink;
using simcore::testutil::runPlots;

namespace {

using Params = std::vector<std::pair<std::string, double>>;

// A BSIM3 model of `type` with parameters mp and one instance with ip,
// set up at 27 degC (tnom 27).
dev::bsim3::Inst instance(const std::string& type, Params mp, Params ip, std::string* why = nullptr) {
  mp.push_back({"level", 49});
  ir::Circuit c;
  c.models.push_back(model("b3", type, mp));
  c.devices.push_back(device("m1", {"d", "g", "s", "b"}, 0, ip));
  const dev::DeviceKind* k = dev::kindOf(c.devices[0], c.models);
  EXPECT_NE(k, nullptr);
  EXPECT_NE(k, dev::findKind('m'));
  const dev::ParamValues P(*k, c.devices[0], &c.models[0]);
  dev::bsim3::Inst p;
  const std::string w = dev::bsim3::setup(P, type == "pmos", 300.15, 300.15, p);
  if (why) *why = w;
  else EXPECT_EQ(w, "");
  return p;
}

// A typical 0.18 um-class card.
const Params kCard = {{"tox", 4.1e-9}, {"nch", 2.3e17},  {"vth0", 0.37},  {"k1", 0.58},     {"k2", 3e-3},
                      {"u0", 262},     {"ua", -1.56e-9}, {"ub", 2.4e-18}, {"uc", 6.2e-11},  {"vsat", 1.04e5},
                      {"a0", 2},       {"ags", 0.44},    {"keta", -0.014}, {"rdsw", 125},   {"prwg", 0.5},
                      {"prwb", -0.2},  {"lint", 1.6e-8}, {"voff", -0.088}, {"nfactor", 2.37}, {"eta0", 2.4e-3},
                      {"etab", 1.9e-4}, {"dsub", 0.0154}, {"pclm", 0.7},   {"pdiblc1", 0.178}, {"pdiblc2", 1.96e-3},
                      {"drout", 0.75}, {"pscbe1", 8e10}, {"pscbe2", 1e-9}};
const Params kSize = {{"l", 0.18e-6}, {"w", 2e-6}};

TEST(DeviceBsim3, LevelsEightAndFortyNineShareOneKind) {
  ir::Circuit c;
  c.models.push_back(model("a", "nmos", {{"level", 8}}));
  c.models.push_back(model("b", "pmos", {{"level", 49}}));
  c.devices.push_back(device("m1", {"d", "g", "s", "b"}, 0));
  c.devices.push_back(device("m2", {"d", "g", "s", "b"}, 1));
  const dev::DeviceKind* k = dev::kindOf(c.devices[0], c.models);
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k, dev::kindOf(c.devices[1], c.models));
  // every binnable parameter comes with its L, W and P forms; foundry-card parameters are accepted
  for (const char* n : {"vth0", "lvth0", "wvth0", "pvth0", "lvtho", "k1", "pk2", "wu0", "lpdiblc2", "pcgsl", "pvoffcv",
                        "wmlt", "hdif", "acm", "binunit", "lmin", "wmax", "noia", "cjswg", "tpbswg"})
    EXPECT_NE(k->find(dev::ParamScope::Model, n), nullptr) << n;
}

TEST(DeviceBsim3, DefaultsFollowBsim3) {
  // nothing given: TOX 150 A, U0 0.067 (nmos) / 0.025 (pmos) m^2/Vs, VTH0 from VFB = -1
  const dev::bsim3::Inst n = instance("nmos", {}, {});
  EXPECT_DOUBLE_EQ(n.tox, 150e-10);
  EXPECT_NEAR(n.u0temp, 0.067, 1e-15);
  EXPECT_EQ(n.capMod, 3);
  EXPECT_EQ(n.mobMod, 1);
  EXPECT_NEAR(n.leff, 5e-6, 1e-18);  // L and W default to 5 um
  EXPECT_NEAR(n.vth0, -1.0 + n.phi + n.k1 * n.sqrtPhi, 1e-12);
  const dev::bsim3::Inst p = instance("pmos", {}, {});
  EXPECT_NEAR(p.u0temp, 0.025, 1e-15);
  EXPECT_NEAR(p.vth0, -(-1.0 + p.phi + p.k1 * p.sqrtPhi), 1e-12);
  // VTH0 given: kept; U0 in cm^2/Vs is read as such
  const dev::bsim3::Inst g = instance("nmos", {{"vth0", 0.45}, {"u0", 400}}, {});
  EXPECT_DOUBLE_EQ(g.vth0, 0.45);
  EXPECT_NEAR(g.u0temp, 0.04, 1e-15);
  // overlap capacitance from XJ when CGDO and DLC are not given, plus the fringing CF
  const double cox = 3.453133e-11 / 150e-10;
  const double cf = 2.0 * 3.453133e-11 / M_PI * std::log(1.0 + 0.4e-6 / 150e-10);
  EXPECT_NEAR(n.cgdo, (0.6 * 0.15e-6 * cox + cf) * 5e-6, 1e-22);
  EXPECT_NEAR(n.cgbo, 0.0, 1e-30);
}

TEST(DeviceBsim3, BinningParametersScaleWithTheEffectiveSize) {
  // X + LX/Leff + WX/Weff + PX/(Leff Weff), sizes in um (BINUNIT=1) or m
  Params mp = {{"vth0", 0.4}, {"lvth0", 0.02}, {"wvth0", -0.01}, {"pvth0", 0.003}, {"lint", 1e-8}, {"wint", 2e-8}};
  const dev::bsim3::Inst p = instance("nmos", mp, {{"l", 0.5e-6}, {"w", 2e-6}});
  const double leff = 0.5e-6 - 2e-8, weff = 2e-6 - 4e-8;
  EXPECT_NEAR(p.leff, leff, 1e-20);
  EXPECT_NEAR(p.weff, weff, 1e-20);
  EXPECT_NEAR(p.vth0, 0.4 + 0.02e-6 / leff - 0.01e-6 / weff + 0.003e-12 / (leff * weff), 1e-12);
  mp.push_back({"binunit", 0});
  const dev::bsim3::Inst q = instance("nmos", mp, {{"l", 0.5e-6}, {"w", 2e-6}});
  EXPECT_NEAR(q.vth0, 0.4 + 0.02 / leff - 0.01 / weff + 0.003 / (leff * weff), 1e-6);
  // a size the offsets eat is an error
  std::string why;
  instance("nmos", {{"lint", 1e-6}}, {{"l", 1e-6}}, &why);
  EXPECT_TRUE(contains(why, "effective channel length")) << why;
}

TEST(DeviceBsim3, ShapeOfTheModel) {
  const dev::bsim3::Inst p = instance("nmos", kCard, kSize);
  auto id = [&](double vgs, double vds, double vbs = 0.0) {
    return dev::bsim3::evaluate(p, vgs, vds, vbs, 0.0, false).id;
  };
  // on/off, monotonic in vgs and vds, no current at vds = 0
  EXPECT_GT(id(1.8, 1.8), 1e-4);
  EXPECT_LT(id(0.0, 1.8), 1e-9);
  EXPECT_EQ(id(1.2, 0.0), 0.0);
  for (double vg = 0.1; vg < 1.8; vg += 0.1) EXPECT_LT(id(vg, 1.0), id(vg + 0.1, 1.0)) << vg;
  for (double vd = 0.1; vd < 1.8; vd += 0.1) EXPECT_LT(id(1.2, vd), id(1.2, vd + 0.1)) << vd;
  // saturation: the output conductance beyond vdsat is far below the linear region's
  const double glin = (id(1.2, 0.06) - id(1.2, 0.04)) / 0.02, gsat = (id(1.2, 1.61) - id(1.2, 1.59)) / 0.02;
  EXPECT_LT(gsat, 0.1 * glin);
  EXPECT_GT(gsat, 0.0);
  // subthreshold: exponential, a swing between 60 and 150 mV/decade
  const double swing = 0.1 / std::log10(id(0.15, 1.0) / id(0.05, 1.0));
  EXPECT_GT(swing, 0.06);
  EXPECT_LT(swing, 0.15);
  // body effect raises the threshold; DIBL lowers it with vds
  const auto at = [&](double vds, double vbs) { return dev::bsim3::evaluate(p, 0.5, vds, vbs, 0.0, false).vth; };
  EXPECT_GT(at(0.1, -1.0), at(0.1, 0.0));
  EXPECT_LT(at(1.8, 0.0), at(0.1, 0.0));
  // reverse mode: the same device with drain and source exchanged
  const double fwd = id(1.5, 0.7, -0.2);
  const double rev = dev::bsim3::evaluate(p, 1.5 - 0.7, -0.7, -0.2 - 0.7, 0.0, false).id;
  EXPECT_NEAR(rev, -fwd, 1e-12 * std::fabs(fwd));
  // terminal charges: the gate charge grows with vgs; charges sum to zero with the source's
  const auto pt = dev::bsim3::evaluate(p, 1.2, 0.5, 0.0, 0.0, true);
  EXPECT_GT(pt.qg, dev::bsim3::evaluate(p, 0.6, 0.5, 0.0, 0.0, true).qg);
  EXPECT_LT(pt.qb + pt.qd, 0.0);
}

TEST(DeviceBsim3, TemperatureLowersTheMobilityAndTheThreshold) {
  ir::Circuit c;
  Params mp = kCard;
  mp.push_back({"level", 49});
  c.models.push_back(model("b3", "nmos", mp));
  c.devices.push_back(device("m1", {"d", "g", "s", "b"}, 0, kSize));
  const dev::DeviceKind* k = dev::kindOf(c.devices[0], c.models);
  const dev::ParamValues P(*k, c.devices[0], &c.models[0]);
  dev::bsim3::Inst cold, hot;
  ASSERT_EQ(dev::bsim3::setup(P, false, 300.15, 300.15, cold), "");
  ASSERT_EQ(dev::bsim3::setup(P, false, 400.15, 300.15, hot), "");
  EXPECT_NEAR(hot.u0temp, cold.u0temp * std::pow(400.15 / 300.15, -1.5), 1e-12);
  EXPECT_LT(dev::bsim3::evaluate(hot, 0.5, 0.1, 0, 0, false).vth, dev::bsim3::evaluate(cold, 0.5, 0.1, 0, 0, false).vth);
  EXPECT_LT(dev::bsim3::evaluate(hot, 1.8, 1.8, 0, 0, false).id, dev::bsim3::evaluate(cold, 1.8, 1.8, 0, 0, false).id);
}

Bench bsim3Bench(const std::string& type, Params mp, Params ip) {
  Bench b;
  mp.push_back({"level", 49});
  mp.push_back({"rsh", 10});
  b.setup.circ.models.push_back(model("b3", type, std::move(mp)));
  ip.push_back({"ad", 1e-12});
  ip.push_back({"as", 1e-12});
  ip.push_back({"pd", 3e-6});
  ip.push_back({"ps", 3e-6});
  b.setup.circ.devices.push_back(device("m1", {"d", "g", "s", "b"}, 0, std::move(ip)));
  b.status = b.build();
  return b;
}

void bsim3Fd(const std::string& type, double capmod) {
  const double s = type == "pmos" ? -1 : 1;
  Params mp = kCard;
  for (auto& [k, v] : mp)
    if (k == "vth0") v *= s;
  mp.push_back({"capmod", capmod});
  Bench b = bsim3Bench(type, mp, kSize);
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const int d = b.node("d"), g = b.node("g"), src = b.node("s"), bk = b.node("b");
  const int di = b.node("m1#d"), si = b.node("m1#s");
  const std::vector<std::array<double, 3>> bias = {{0.2, 1.0, 0.0},  {0.9, 0.05, 0.0}, {1.8, 1.8, -0.5},
                                                   {1.2, -0.6, 0.0}, {0.5, 1.2, -1.0}, {1.0, 0.4, 0.3}};
  for (auto v : bias) {
    const double vs = 0.1;
    auto x = vec(6, {{g, s * (vs + v[0])}, {di, s * (vs + v[1])}, {d, s * (vs + v[1] + 0.001)}, {si, s * vs},
                     {src, s * (vs - 0.001)}, {bk, s * (vs + v[2])}});
    const std::string what = type + " capmod " + std::to_string(int(capmod)) + " vgs=" + std::to_string(v[0]) +
                             " vds=" + std::to_string(v[1]) + " vbs=" + std::to_string(v[2]);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::DcOp, 0, what), 1.0);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::Tran, 1e10, what + " (tran)"), 1.0);
  }
}

TEST(DeviceBsim3, NmosJacobianMatchesFiniteDifferences) { bsim3Fd("nmos", 3); }

// NQSMOD 1: the Jacobian of the charge-deficit node's equation and of the
// relaxation current in the terminals, with a deficit present (qdef != 0, so
// the drift term's and the partition's slopes count), both polarities, both
// modes (vds > 0 and < 0), and the fixed split below 1e-5 Cox W L (off).
TEST(DeviceBsim3, NqsJacobianMatchesFiniteDifferences) {
  for (const std::string type : {"nmos", "pmos"}) {
    const double s = type == "pmos" ? -1 : 1;
    Params mp = kCard;
    for (auto& [k, v] : mp)
      if (k == "vth0") v *= s;
    mp.push_back({"nqsmod", 1});
    mp.push_back({"elm", 5});
    mp.push_back({"xpart", 0.4});
    Bench b = bsim3Bench(type, mp, {{"l", 1e-6}, {"w", 4e-6}});
    ASSERT_TRUE(b.status.ok()) << b.status.error().message;
    const int d = b.node("d"), g = b.node("g"), src = b.node("s"), bk = b.node("b");
    const int di = b.node("m1#d"), si = b.node("m1#s"), q = b.node("m1#q");
    const std::vector<std::array<double, 4>> bias = {
        {1.2, 0.5, 0.0, 2e-5}, {1.8, -0.9, -0.3, -3e-5}, {0.9, 1.5, 0.0, 1e-5}, {-0.5, 0.3, 0.0, 1e-7}};
    for (auto v : bias) {
      const double vs = 0.1;
      auto x = vec(7, {{g, s * (vs + v[0])}, {di, s * (vs + v[1])}, {d, s * (vs + v[1] + 0.001)}, {si, s * vs},
                       {src, s * (vs - 0.001)}, {bk, s * (vs + v[2])}, {q, s * v[3]}});
      const std::string what = type + " nqs vgs=" + std::to_string(v[0]) + " vds=" + std::to_string(v[1]);
      EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::DcOp, 0, what), 1.0);
      EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::Tran, 1e10, what + " (tran)"), 1.0);
    }
  }
}

// NQSMOD 1 with ELM = 0 relaxes with the diffusion time constant alone,
// tau = Leff_CV^2 / (16 u0 vt): after a gate step at vds = 0 the drain current
// (the deficit's share, once the 50 ps ramp is over) decays as exp(-t/tau); the
// channel charge reaching drain and source over the run is the quasi-static
// model's, and the operating point is the quasi-static one.
TEST(DeviceBsim3, NqsRelaxesWithTheDiffusionTimeConstant) {
  auto deck = [](int nqs) {
    std::string card = ".model n nmos level=49";
    for (const auto& [k, v] : kCard) {
      char num[32];
      std::snprintf(num, sizeof num, "%.17g", v);
      card += " " + k + "=" + num;
    }
    return "nqs step\n" + card + " nqsmod=" + std::to_string(nqs) +
           " elm=0\nVD d 0 0\nVS s 0 0\nVG g 0 PULSE(0.5 1.8 0.1n 50p 50p 1 2)\nM1 d g s 0 n L=2u W=10u\n"
           ".tran 1p 4n 0 2p\n.end\n";
  };
  const PlotSink nqs = runPlots(deck(1)), qs = runPlots(deck(0));
  const Plot& t = nqs.get(AnalysisType::Tran);
  const double leffCV = 2e-6 - 2 * 1.6e-8, u0 = 262e-4, vt = 8.617087e-5 * 300.15;
  const double tau = leffCV * leffCV / (16 * u0 * vt);  // 357 ps
  auto at = [&](const Plot& p, const std::string& sig, double time) {
    std::size_t k = 1;
    while (k + 1 < p.x.size() && p.x[k] < time) ++k;
    const double a = p.at(sig, k - 1).real(), b = p.at(sig, k).real();
    return a + (b - a) * (time - p.x[k - 1]) / (p.x[k] - p.x[k - 1]);
  };
  const double i1 = at(t, "i(vd)", 0.6e-9), i2 = at(t, "i(vd)", 1.6e-9);
  ASSERT_NE(i1, 0.0);
  EXPECT_NEAR(i2 / i1, std::exp(-1e-9 / tau), 2e-3 * std::exp(-1e-9 / tau)) << tau;
  // the quasi-static drain current is over with the step
  const Plot& tq = qs.get(AnalysisType::Tran);
  EXPECT_LT(std::fabs(at(tq, "i(vd)", 0.6e-9)), 1e-3 * std::fabs(i1));
  // the charge through drain and source, the time integrals of their currents
  auto charge = [&](const Plot& p) {
    double sum = 0;
    for (std::size_t k = 1; k < p.x.size(); ++k)
      sum += 0.5 * (p.x[k] - p.x[k - 1]) *
             (p.at("i(vd)", k).real() + p.at("i(vs)", k).real() + p.at("i(vd)", k - 1).real() +
              p.at("i(vs)", k - 1).real());
    return sum;
  };
  const double qn = charge(t), qq = charge(tq);
  EXPECT_GT(std::fabs(qq), 1e-14);
  EXPECT_NEAR(qn, qq, 2e-3 * std::fabs(qq));
  EXPECT_NEAR(nqs.get(AnalysisType::Tran).at("i(vd)", 0).real(), qs.get(AnalysisType::Tran).at("i(vd)", 0).real(),
              1e-15);
}
TEST(DeviceBsim3, PmosJacobianMatchesFiniteDifferences) { bsim3Fd("pmos", 2); }
TEST(DeviceBsim3, ChargeModelZeroJacobianMatchesFiniteDifferences) { bsim3Fd("nmos", 0); }

// The model's own slopes (dual numbers) against differences of its values,
// quantity by quantity, and the values against the plain evaluation
// (identical to the last bit).
using Slopes = dev::bsim3::Slopes;
std::array<Slopes, 7> outputs(const dev::bsim3::PointSlopes& pt) {
  return {pt.id, pt.isub, pt.ibs, pt.ibd, pt.qg, pt.qd, pt.qb};
}
std::array<double, 7> outputs(const dev::bsim3::Point& pt) {
  return {pt.id, pt.isub, pt.ibs, pt.ibd, pt.qg, pt.qd, pt.qb};
}
// ps with the values of changes (replaced or added)
Params with(Params ps, const Params& changes) {
  for (const auto& [name, value] : changes) {
    auto it = std::find_if(ps.begin(), ps.end(), [&](const auto& q) { return q.first == name; });
    if (it != ps.end()) it->second = value;
    else ps.push_back({name, value});
  }
  return ps;
}
constexpr const char* kOutputs[] = {"id", "isub", "ibs", "ibd", "qg", "qd", "qb"};

void slopesMatchValues(const dev::bsim3::Inst& p, const std::string& what) {
  // vgs, vds, vbs: cutoff, subthreshold, linear, saturation, reverse mode,
  // strong body bias, forward-biased source and drain junctions (beyond IJTH's
  // knee too), and a gate far below flat band
  const std::vector<std::array<double, 3>> bias = {
      {0.0, 1.0, 0.0},    {0.25, 0.8, 0.0},  {0.3, 0.05, -0.3}, {1.2, 0.05, 0.0}, {0.9, 0.3, -0.2},
      {1.8, 1.6, 0.0},    {1.5, 1.8, -1.5},  {1.2, -0.6, 0.0},  {0.4, -1.2, -0.5}, {1.0, 0.4, 0.35},
      {1.0, -0.5, 0.2},   {0.8, 0.02, 0.95}, {-1.5, 0.5, 0.0},  {-0.5, -0.3, 0.5}, {2.5, 0.7, -0.7}};
  for (const auto& v : bias) {
    const std::string at = what + " vgs=" + std::to_string(v[0]) + " vds=" + std::to_string(v[1]) +
                           " vbs=" + std::to_string(v[2]);
    const auto ad = outputs(dev::bsim3::evaluateSlopes(p, v[0], v[1], v[2], 1e-12));
    const auto plain = outputs(dev::bsim3::evaluate(p, v[0], v[1], v[2], 1e-12, true));
    for (int o = 0; o < 7; ++o) EXPECT_EQ(ad[o].v, plain[o]) << kOutputs[o] << " value at " << at;
    // central differences, and one-sided ones of second order on each side for
    // the joins of two branches with equal slopes (vbs = 0: Phis and its root)
    for (int k = 0; k < 3; ++k) {
      const double h = 1e-6 * (1.0 + std::fabs(v[k]));
      const auto shifted = [&](double dv) {
        std::array<double, 3> w = v;
        w[k] += dv;
        return outputs(dev::bsim3::evaluate(p, w[0], w[1], w[2], 1e-12, true));
      };
      const auto f0 = shifted(0), up = shifted(h), up2 = shifted(2 * h), dn = shifted(-h), dn2 = shifted(-2 * h);
      for (int o = 0; o < 7; ++o) {
        const double fd[3] = {(up[o] - dn[o]) / (2.0 * h), (-3.0 * f0[o] + 4.0 * up[o] - up2[o]) / (2.0 * h),
                              (3.0 * f0[o] - 4.0 * dn[o] + dn2[o]) / (2.0 * h)};
        double scale = 0;  // the quantity's largest partial
        for (int j = 0; j < 3; ++j) scale = std::max(scale, std::fabs(ad[o].d[j]));
        int best = 0;
        for (int e = 1; e < 3; ++e)
          if (std::fabs(ad[o].d[k] - fd[e]) < std::fabs(ad[o].d[k] - fd[best])) best = e;
        EXPECT_NEAR(ad[o].d[k], fd[best], 1e-5 * std::fabs(fd[best]) + 1e-7 * scale + 1e-22)
            << "d" << kOutputs[o] << "/d" << (k == 0 ? "vgs" : k == 1 ? "vds" : "vbs") << " at " << at;
      }
    }
  }
}

// Variants of the card that reach the other branches: poly depletion, the
// substrate current, both signs of A1, a negative body effect of the
// mobility, and a pmos.
TEST(DeviceBsim3, SlopesAreTheDerivativesOfTheValuesInEveryChargeModel) {
  for (double capmod : {0, 1, 2, 3}) {
    for (double mobmod : {1, 2, 3}) {
      Params mp = with(kCard, {{"capmod", capmod}, {"mobmod", mobmod}, {"cgsl", 2e-10}, {"cgdl", 2e-10},
                               {"js", 1e-2}, {"ijth", 1e-4}});
      if (mobmod == 3) mp = with(mp, {{"uc", -0.04}});
      const Params ip = with(kSize, {{"as", 1e-12}, {"ad", 1e-12}, {"ps", 3e-6}, {"pd", 3e-6}});
      slopesMatchValues(instance("nmos", mp, ip),
                        "capmod " + std::to_string(int(capmod)) + " mobmod " + std::to_string(int(mobmod)));
    }
  }
  const Params mp = with(kCard, {{"vth0", -0.37}, {"ngate", 5e19}, {"alpha0", 1e-6}, {"beta0", 20}, {"a1", 0.2},
                                 {"a2", 0.8}, {"xpart", 1}});
  slopesMatchValues(instance("pmos", mp, kSize), "pmos, ngate, alpha0, a1 > 0, xpart 1");
  slopesMatchValues(instance("pmos", with(mp, {{"xpart", 0.5}, {"capmod", 2}, {"a1", -0.1}}), kSize),
                    "pmos, a1 < 0, xpart 0.5, capmod 2");
  // VERSION 3.1: the C-V flat band follows the threshold (its DIBL and body effect), the
  // junctions' knee at 0.5 V
  for (double capmod : {0, 1, 2})
    slopesMatchValues(instance("nmos", with(kCard, {{"version", 3.1}, {"capmod", capmod}, {"etab", -0.05}, {"js", 1e-2}}),
                               with(kSize, {{"as", 1e-12}, {"ad", 1e-12}, {"ps", 3e-6}, {"pd", 3e-6}})),
                      "version 3.1 capmod " + std::to_string(int(capmod)));
}

// At vds = 0 the effective drain voltage is zero with the slope in vds kept
// (as ngspice's BSIM3): the channel conductance is that of the linear region.
TEST(DeviceBsim3, AtZeroVdsTheChannelKeepsItsConductance) {
  const dev::bsim3::Inst p = instance("nmos", kCard, kSize);
  const Slopes id = dev::bsim3::evaluateSlopes(p, 1.2, 0.0, 0.0, 0.0).id;
  EXPECT_EQ(id.v, 0.0);
  EXPECT_EQ(id.d[0], 0.0);
  EXPECT_EQ(id.d[2], 0.0);
  const double h = 1e-7;
  const double fd = (dev::bsim3::evaluate(p, 1.2, h, 0.0, 0.0, false).id -
                     dev::bsim3::evaluate(p, 1.2, -h, 0.0, 0.0, false).id) / (2.0 * h);
  EXPECT_GT(id.d[1], 1e-4);
  EXPECT_NEAR(id.d[1], fd, 1e-3 * fd);
}

TEST(DeviceBsim3, UnsupportedOptionsAreErrors) {
  const std::vector<std::pair<Params, std::string>> cases = {{{{"acm", 2}}, "ACM"},
                                                             {{{"version", 4.5}}, "VERSION"},
                                                             {{{"acnqsmod", 1}}, "ACNQSMOD"},
                                                             {{{"nqsmod", 2}}, "NQSMOD must be 0 or 1"}};
  for (const auto& [params, expected] : cases) {
    Bench b = bsim3Bench("nmos", params, kSize);
    ASSERT_FALSE(b.status.ok()) << expected;
    EXPECT_TRUE(contains(b.status.error().message, expected)) << b.status.error().message;
  }
}

// ---------------------------------------------------------------- model binning (netlist)

const char* kBins =
    "binned\n"
    ".model nch.1 nmos level=49 lmin=0.18u lmax=0.5u wmin=0.5u wmax=10u vth0=0.4\n"
    ".model nch.2 nmos level=49 lmin=0.5u lmax=10u wmin=0.5u wmax=10u vth0=0.5\n"
    ".model nch.3 nmos level=49 lmin=0.18u lmax=10u wmin=10u wmax=100u vth0=0.6\n"
    "V1 d 0 1\n";

int binOf(const ir::Circuit& c, const std::string& dev) {
  for (const auto& d : c.devices)
    if (d.name == dev) return d.model;
  return -2;
}

std::string modelName(const ir::Circuit& c, const std::string& dev) {
  const int m = binOf(c, dev);
  return m >= 0 ? c.models[std::size_t(m)].name : "";
}

TEST(ModelBinning, TheBinHoldingLAndWIsChosen) {
  const ir::Circuit c = simcore::testutil::ok(std::string(kBins) +
                                              "M1 d d 0 0 nch L=0.18u W=1u\n"
                                              "M2 d d 0 0 nch L=2u W=1u\n"
                                              "M3 d d 0 0 nch W=20u L=1u\n"
                                              "M4 d d 0 0 nch L=0.5u W=1u\n"         // on the shared boundary: the first defined
                                              "M5 d d 0 0 nch L=0.5005u W=1u\n"      // within 1 nm of it, as ngspice
                                              "M6 d d 0 0 nch L=0.502u W=1u\n"       // beyond
                                              "M7 d d 0 0 nch L={0.2u*2} W=1u\n"     // an expression
                                              ".op\n.end\n");
  EXPECT_EQ(modelName(c, "m1"), "nch.1");
  EXPECT_EQ(modelName(c, "m2"), "nch.2");
  EXPECT_EQ(modelName(c, "m3"), "nch.3");
  EXPECT_EQ(modelName(c, "m4"), "nch.1");
  EXPECT_EQ(modelName(c, "m5"), "nch.1");
  EXPECT_EQ(modelName(c, "m6"), "nch.2");
  EXPECT_EQ(modelName(c, "m7"), "nch.1");
}

TEST(ModelBinning, NoFittingBinNamesTheInstanceSizeAndBins) {
  const Error e = simcore::testutil::err(std::string(kBins) + "M9 d d 0 0 nch L=20u W=1u\n.op\n.end\n");
  EXPECT_EQ(e.loc.line, 6u);
  EXPECT_TRUE(contains(e.message, "'m9'")) << e.message;
  EXPECT_TRUE(contains(e.message, "L=2e-05")) << e.message;
  EXPECT_TRUE(contains(e.message, "W=1e-06")) << e.message;
  EXPECT_TRUE(contains(e.message, "nch.2: L in [5e-07, 1e-05]")) << e.message;
  // a name that is neither a model nor binned stays an unknown model
  const Error u = simcore::testutil::err(std::string(kBins) + "M9 d d 0 0 pch L=1u W=1u\n.op\n.end\n");
  EXPECT_TRUE(contains(u.message, "unknown model 'pch'")) << u.message;
}

TEST(ModelBinning, AnExactNameWinsAndEveryLevelBins) {
  const ir::Circuit c = simcore::testutil::ok(std::string(kBins) +
                                              ".model nch nmos level=49 vth0=0.7\n"
                                              ".model lv1.1 nmos lmin=1u lmax=5u wmin=1u wmax=50u vto=0.8\n"
                                              ".model lv1.2 nmos lmin=5u lmax=50u wmin=1u wmax=50u vto=0.9\n"
                                              "M1 d d 0 0 nch L=0.18u W=1u\n"
                                              "M2 d d 0 0 lv1 L=10u W=10u\n"
                                              "M3 d d 0 0 lv1 L=2u W=10u\n"
                                              ".op\n.end\n");
  EXPECT_EQ(modelName(c, "m1"), "nch");
  EXPECT_EQ(modelName(c, "m2"), "lv1.2");
  EXPECT_EQ(modelName(c, "m3"), "lv1.1");
  // a level-1 instance without L and W takes the kind's defaults (100 um)
  const Error e = simcore::testutil::err(std::string(kBins) +
                                         ".model lv1.1 nmos lmin=1u lmax=5u wmin=1u wmax=50u\n"
                                         "M1 d d 0 0 lv1\n.op\n.end\n");
  EXPECT_TRUE(contains(e.message, "L=0.0001")) << e.message;
}

TEST(ModelBinning, VersionStringsReachTheModel) {
  const ir::Circuit c = simcore::testutil::ok(
      "v\n.model a nmos level=49 version=3.2.4\n.model b nmos level=8 version=3.1\n"
      ".model c nmos level=3 version=3.3.0\nM1 d d 0 0 a\nM2 d d 0 0 b\nM3 d d 0 0 c\nV1 d 0 1\n.op\n.end\n");
  auto version = [&](std::size_t m) {
    for (const auto& p : c.models[m].params)
      if (p.name == "version") return p.value;
    return -1.0;
  };
  EXPECT_DOUBLE_EQ(version(0), 3.204);  // (the patch level in thousandths: BSIM4's 4.8.2 defaults)
  EXPECT_DOUBLE_EQ(version(1), 3.1);
  EXPECT_EQ(version(2), -1.0);  // level 3 has no VERSION: the text is ignored
  // 3.1 is ngspice's BSIM3v1: no warning but for what that model does not read
  for (const auto& w : c.warnings) EXPECT_FALSE(contains(w.message, "BSIM3 version")) << w.message;
  const ir::Circuit x = simcore::testutil::ok(
      "v\n.model b nmos level=8 version=3.1 xl=-2e-8 toxm=4e-9 capmod=3\n.model c nmos level=8 version=3.0 cjswg=1e-10\n"
      "M1 d d 0 0 b\nM2 d d 0 0 c\nV1 d 0 1\n.op\n.end\n");
  int v31 = 0, v30 = 0;
  for (const auto& w : x.warnings) {
    if (contains(w.message, "version 3.1")) {
      ++v31;
      EXPECT_TRUE(contains(w.message, "has no XL, TOXM (ignored)")) << w.message;
      EXPECT_TRUE(contains(w.message, "no CAPMOD 3: no intrinsic charges")) << w.message;
    }
    v30 += contains(w.message, "BSIM3 version 3.0") ? 1 : 0;
  }
  EXPECT_EQ(v31, 1);
  EXPECT_EQ(v30, 1);
}

// ---------------------------------------------------------------- VERSION 3.1 (ngspice's BSIM3v1)

// ngspice 39's operating point of this card at vgs 0.9, vds 0.72, vbs -0.3 (`print @m1[id] ...`):
// as 3.3 it reads XL (Leff 20 nm shorter); as 3.1 (BSIM3v1) it has no XL and ignores it
TEST(DeviceBsim3, Version31IsNgspicesBsim3v1) {
  const Params mp = with(kCard, {{"xl", -2e-8}, {"capmod", 2}, {"xpart", 0.5}});
  struct Case {
    double version, id, gm, gds, gmbs, vth;
  };
  for (const Case& c : {Case{3.3, 1.625437e-04, 8.514664e-04, 3.988612e-05, 1.526199e-04, 6.025732e-01},
                        Case{3.1, 1.348666e-04, 7.552783e-04, 2.886990e-05, 1.411134e-04, 6.113231e-01}}) {
    const dev::bsim3::Inst p = instance("nmos", with(mp, {{"version", c.version}}), kSize);
    const dev::bsim3::PointSlopes pt = dev::bsim3::evaluateSlopes(p, 0.9, 0.72, -0.3, 1e-12);
    const std::string at = "version " + std::to_string(c.version);
    EXPECT_NEAR(pt.id.v, c.id, 1e-6 * c.id) << at;
    EXPECT_NEAR(pt.id.d[0], c.gm, 1e-6 * c.gm) << at;
    EXPECT_NEAR(pt.id.d[1], c.gds, 1e-6 * c.gds) << at;
    EXPECT_NEAR(pt.id.d[2], c.gmbs, 1e-6 * c.gmbs) << at;
    EXPECT_NEAR(pt.vth, c.vth, 1e-6 * c.vth) << at;
  }
}

// 3.1 has no IJTH: a junction turns linear at 0.5 V; and its companion model leaves
// gmin in the right-hand side once more, so the current carries 2 gmin v
TEST(DeviceBsim3, Version31JunctionsTurnLinearAtHalfAVoltAndCarryTwoGmin) {
  const Params ip = with(kSize, {{"as", 1e-12}, {"ad", 1e-12}});
  const dev::bsim3::Inst p = instance("nmos", with(kCard, {{"version", 3.1}, {"js", 1e-4}}), ip);
  const double is = 1e-16, nvt = 8.617087e-5 * 300.15, gmin = 1e-12;
  ASSERT_NEAR(p.iss, is, 1e-30);
  ASSERT_NEAR(p.nvtm, nvt, 1e-4 * nvt);
  for (double v : {-1.0, 0.3, 0.5, 0.8}) {
    const double e = v < 0.5 ? is * (std::exp(v / p.nvtm) - 1.0)
                             : is * (std::exp(0.5 / p.nvtm) - 1.0) + is * std::exp(0.5 / p.nvtm) / p.nvtm * (v - 0.5);
    const dev::bsim3::Point pt = dev::bsim3::evaluate(p, 0.0, 0.0, v, gmin, false);
    EXPECT_NEAR(pt.ibs, e + 2.0 * gmin * v, 1e-12 * std::fabs(e) + 1e-24) << "vbs " << v;
  }
  // 3.3: the exponential up to IJTH's knee (0.1 A: far beyond 0.8 V here), gmin once
  const dev::bsim3::Inst q = instance("nmos", with(kCard, {{"js", 1e-4}}), ip);
  EXPECT_NEAR(dev::bsim3::evaluate(q, 0.0, 0.0, 0.8, gmin, false).ibs,
              is * (std::exp(0.8 / q.nvtm) - 1.0) + gmin * 0.8, 1e-12 * is * std::exp(0.8 / q.nvtm));
}

// VERSION 3.0 (ngspice's BSIM3v0): 3.1's code with the whole perimeter at CJSW (no gate-edge
// sidewall), the area's saturation current only, -Is below -0.5 V and the current held above
// 0.5 V (at CONSTvt0), CAPMOD 1 by default; its DC is 3.1's
TEST(DeviceBsim3, Version30IsNgspicesBsim3v0) {
  const Params mp = with(kCard, {{"xl", -2e-8}, {"cjsw", 3e-10}, {"cjswg", 1e-10}, {"js", 1e-4}, {"jsw", 1e-9}});
  const Params ip = with(kSize, {{"as", 1e-12}, {"ad", 1e-12}, {"ps", 5e-6}, {"pd", 5e-6}});
  const dev::bsim3::Inst v30 = instance("nmos", with(mp, {{"version", 3.0}}), ip);
  const dev::bsim3::Inst v31 = instance("nmos", with(mp, {{"version", 3.1}}), ip);
  EXPECT_EQ(v30.capMod, 1);
  EXPECT_EQ(v31.capMod, 2);
  EXPECT_NEAR(v30.czbssw, 3e-10 * 5e-6, 1e-24);
  EXPECT_EQ(v30.czbsswg, 0.0);
  EXPECT_NEAR(v31.czbsswg, 1e-10 * v31.weff, 1e-24);
  EXPECT_NEAR(v30.iss, 1e-16, 1e-30);             // AS JS: no PS JSW
  EXPECT_NEAR(v31.iss, 1e-16 + 5e-15, 1e-28);     // (3.1: + PS JSW)
  const double vt = 8.617087e-5 * 300.15, gmin = 1e-12, is = 1e-16;
  auto ibs = [&](double v) { return dev::bsim3::evaluate(v30, 0.0, 0.0, v, gmin, false).ibs; };
  EXPECT_NEAR(ibs(-1.0), -is - 2.0 * gmin, 1e-24);
  EXPECT_NEAR(ibs(0.3), is * (std::exp(0.3 / vt) - 1.0) + 2.0 * gmin * 0.3, 1e-9 * is * std::exp(0.3 / vt));
  const double held = is * (std::exp(0.5 / vt) - 1.0);
  EXPECT_NEAR(ibs(0.7), held + gmin * 0.5 + gmin * 0.7, 1e-9 * held);
  // the same drain current as 3.1 (ngspice's BSIM3v0 and v1 agree in DC on such a card)
  EXPECT_EQ(dev::bsim3::evaluate(v30, 0.9, 0.72, -0.3, gmin, false).id,
            dev::bsim3::evaluate(v31, 0.9, 0.72, -0.3, gmin, false).id);
}

// 3.1's parameter check raises a perimeter below Weff to Weff for one instance of each
// size of a model: the last in the netlist (ngspice keeps its instances newest first).
// An instance without AS and PS then has CJSWG's sidewall, and no saturation current
// (AS JS + Weff JSW with JSW 0) where the others have 1e-14 A
TEST(DeviceBsim3, Version31ChecksThePerimetersOfOneInstanceOfEachSize) {
  const std::string deck =
      "check\n.model n nmos level=49 version=3.1 tox=7.8e-9 cjsw=3.6e-10 cjswg=1.8e-10 cj=1e-3 js=1e-4\n"
      "VD d 0 1\nVG g 0 0\nVB b 0 0.2\n"
      "M1 d g 0 b n L=0.35u W=1u\nM2 d g 0 b n L=0.35u W=1u\nM3 d g 0 b n L=0.35u W=2u PS=0.5u\n"
      ".save @m1[ibs] @m2[ibs] @m3[ibs] @m1[capbs] @m2[capbs] @m3[capbs]\n.op\n.end\n";
  const PlotSink s = runPlots(deck);
  ASSERT_FALSE(s.out.empty());
  const Plot& op = s.out[0];
  const double vt = 8.617087e-5 * 300.15, gmin = 1e-12;
  const double weff1 = 1e-6, weff2 = 2e-6;  // (no WINT)
  // M1: AS and PS 0, not checked: 1e-14 A and no capacitance
  EXPECT_NEAR(op.at("@m1[ibs]").real(), 1e-14 * (std::exp(0.2 / vt) - 1.0) + 2.0 * gmin * 0.2, 1e-6 * 1e-14 * std::exp(0.2 / vt));
  EXPECT_NEAR(op.at("@m1[capbs]").real(), 0.0, 1e-22);
  // M2, the last of its size: PS = Weff, so no saturation current, the gate-edge sidewall
  EXPECT_NEAR(op.at("@m2[ibs]").real(), 2.0 * gmin * 0.2, 1e-6 * gmin);
  EXPECT_GT(op.at("@m2[capbs]").real(), 1.8e-10 * weff1);
  // M3, alone of its size, PS = 0.5u raised to Weff: the same for its width
  EXPECT_NEAR(op.at("@m3[ibs]").real(), 2.0 * gmin * 0.2, 1e-6 * gmin);
  EXPECT_NEAR(op.at("@m3[capbs]").real() / op.at("@m2[capbs]").real(), weff2 / weff1, 1e-9);
}

}  // namespace
