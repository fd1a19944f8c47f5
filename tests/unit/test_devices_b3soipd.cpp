// BSIMSOI PD (MOSFET level 57): parameter defaults, binning, the shape of the
// model (floating body, body contact), the Jacobian against finite
// differences of currents and charges, the model's forward-mode derivatives
// against differences of its values in every region (and those values against
// the double evaluation's, bit for bit), unsupported selectors, and the cards.
#include <gtest/gtest.h>

#include "fwd_check.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "device_bench.hpp"
#include "devices/b3soipd_model.hpp"
#include "devices/descriptor.hpp"
#include "netlist_test_util.hpp"
#include "simcore/ir.hpp"

using namespace simcore;
using namespace simcore::devbench;
using simcore::testutil::contains;

namespace {

using Params = std::vector<std::pair<std::string, double>>;

// A level-57 model of `type` with parameters mp and one 4-node instance with ip, set up at tK (tnom 27 degC).
dev::b3soipd::Inst instance(const std::string& type, Params mp, Params ip, std::string* why = nullptr,
                            double tK = 300.15) {
  mp.push_back({"level", 57});
  ir::Circuit c;
  c.models.push_back(model("soi", type, mp));
  c.devices.push_back(device("m1", {"d", "g", "s", "e"}, 0, ip));
  const dev::DeviceKind* k = dev::kindOf(c.devices[0], c.models);
  EXPECT_NE(k, nullptr);
  const dev::ParamValues P(*k, c.devices[0], &c.models[0]);
  dev::b3soipd::Inst p;
  const std::string w = dev::b3soipd::setup(P, type == "pmos", tK, 300.15, p);
  if (why) *why = w;
  else EXPECT_EQ(w, "");
  return p;
}

// ngspice's tests/bsim3soipd/nmospd.mod, the parts that shape the model.
const Params kCard = {
    {"tox", 4.5e-9},   {"tsi", 1e-7},     {"tbox", 8e-8},    {"mobmod", 0},     {"capmod", 2},     {"lint", -2e-8},
    {"vth0", 0.42},    {"k1", 0.49},      {"k2", 0.1},       {"k3", 0},         {"k3b", 2.2},      {"nlx", 2e-7},
    {"dvt0", 10},      {"dvt1", 0.55},    {"dvt2", -1.4},    {"nch", 4.7e17},   {"nsub", -1e15},   {"ngate", 1e20},
    {"agidl", 1e-15},  {"bgidl", 1e9},    {"ngidl", 1.1},    {"ndiode", 1.13},  {"ntun", 14},      {"nrecf0", 2.5},
    {"nrecr0", 4},     {"vrec0", 1.2},    {"ntrecf", 0.1},   {"ntrecr", 0.2},   {"isbjt", 1e-4},   {"isdif", 1e-5},
    {"istun", 2e-5},   {"isrec", 4e-2},   {"xbjt", 0.9},     {"xdif", 0.9},     {"xrec", 0.9},     {"xtun", 0.01},
    {"ahli", 1e-9},    {"lbjt0", 0.2e-6}, {"ln", 2e-6},      {"nbjt", 0.8},     {"ndif", -1},      {"aely", 1e8},
    {"vabjt", 0},      {"u0", 352},       {"ua", 1.3e-11},   {"ub", 1.7e-18},   {"uc", -4e-10},    {"w0", 1.16e-6},
    {"ags", 0.25},     {"a1", 0},         {"a2", 1},         {"b0", 0.01},      {"b1", 10},        {"rdsw", 0},
    {"prwb", -0.2},    {"rbody", 1},      {"a0", 1.4},       {"keta", 0.1},     {"ketas", 0.2},    {"vsat", 135000},
    {"alpha0", 1e-8},  {"beta1", 0.05},   {"beta2", 0.07},   {"vdsatii0", 0.8}, {"esatii", 1e7},   {"voff", -0.14},
    {"nfactor", 0.7},  {"cdsc", 2e-5},    {"pclm", 2.9},     {"pvag", 12},      {"pdiblc1", 0.18}, {"pdiblc2", 0.004},
    {"pdiblcb", -0.234}, {"drout", 0.2},  {"delta", 0.01},   {"eta0", 0.05},    {"dsub", 0.2},     {"clc", 1e-7},
    {"cle", 0.6},      {"cf", 1e-20},     {"cgdl", 1e-20},   {"cgsl", 1e-20},   {"kt1", -0.3},     {"cgso", 1e-10},
    {"cgdo", 1e-10},   {"cjswg", 1e-12},  {"tt", 3e-10},     {"asd", 0.3},      {"csdesw", 1e-12}, {"mjswg", 0.5},
    {"pbswg", 1}};
const Params kSize = {{"l", 0.25e-6}, {"w", 10e-6}, {"as", 6e-12}, {"ad", 6e-12}, {"ps", 13e-6}, {"pd", 13e-6}};

TEST(DeviceB3soipd, DefaultsFollowBsimPd) {
  const dev::b3soipd::Inst n = instance("nmos", {}, {});
  // VTH0 not given: from VFB (-1), the surface potential and K1
  EXPECT_NEAR(n.vth0, -1.0 + n.phi + n.k1eff * n.sqrtPhi, 1e-12);
  EXPECT_NEAR(n.u0temp, 0.067, 1e-12);
  EXPECT_EQ(n.capMod, 2);
  EXPECT_EQ(n.mobMod, 1);
  EXPECT_DOUBLE_EQ(n.keta, -0.6);
  EXPECT_DOUBLE_EQ(n.xj, 1e-7);         // XJ is TSI
  EXPECT_DOUBLE_EQ(n.tsi, 1e-7);
  EXPECT_NEAR(n.cbox, 3.453133e-11 / 3e-7, 1e-20);  // TBOX 300 nm
  EXPECT_DOUBLE_EQ(n.nseg, 1.0);
  EXPECT_DOUBLE_EQ(n.tt, 1e-12);
  EXPECT_DOUBLE_EQ(n.pbswg, 0.7);
  EXPECT_DOUBLE_EQ(n.mjswg, 0.5);
  EXPECT_DOUBLE_EQ(n.jbjt, 1e-6);  // ISBJT at TNOM
  EXPECT_DOUBLE_EQ(n.jrec, 1e-5);
  EXPECT_DOUBLE_EQ(n.jdif, 0.0);
  // K1 alone: K2 is -0.0186
  EXPECT_DOUBLE_EQ(instance("nmos", {{"k1", 0.5}}, {}).k2, -0.0186);
  const dev::b3soipd::Inst p = instance("pmos", {}, {});
  EXPECT_NEAR(p.vth0, -(-1.0 + p.phi + p.k1eff * p.sqrtPhi), 1e-12);
  EXPECT_NEAR(p.u0temp, 0.025, 1e-12);
  // MOBMOD 3 changes UC's default
  EXPECT_DOUBLE_EQ(instance("nmos", {{"mobmod", 3}}, {}).uc, -0.0465);
  // U0 above 1 is in cm²/Vs
  EXPECT_NEAR(instance("nmos", {{"u0", 400}}, {}).u0temp, 0.04, 1e-12);
  // overlaps from XJ (no DLC): 0.6 XJ Cox per width, plus CF
  const dev::b3soipd::Inst o = instance("nmos", {{"cf", 0.0}}, {{"w", 1e-6}, {"l", 1e-6}});
  EXPECT_NEAR(o.cgso, 0.6 * 1e-7 * o.cox * o.wdiosCV, 1e-22);
  // body-contact parasitics widen the junctions
  const dev::b3soipd::Inst bc = instance("nmos", {}, {{"w", 1e-6}, {"pdbcp", 0.5e-6}, {"psbcp", 0.25e-6}});
  EXPECT_NEAR(bc.wdiod, bc.weff + 0.5e-6, 1e-15);
  EXPECT_NEAR(bc.wdios, bc.weff + 0.25e-6, 1e-15);
}

TEST(DeviceB3soipd, BinningScalesWithTheEffectiveSize) {
  const dev::b3soipd::Inst a = instance("nmos", {{"vth0", 0.4}, {"lvth0", 0.02}, {"wvth0", 0.01}}, {{"l", 1e-6}, {"w", 2e-6}});
  EXPECT_NEAR(a.vth0, 0.4 + 0.02 / (a.leff * 1e6) + 0.01 / (a.weff * 1e6), 1e-12);
  const dev::b3soipd::Inst b = instance("nmos", {{"isbjt", 1e-6}, {"lisbjt", 1e-7}}, {{"l", 0.5e-6}});
  EXPECT_NEAR(b.jbjt, 1e-6 + 1e-7 / (b.leff * 1e6), 1e-18);
}

TEST(DeviceB3soipd, ShapeOfTheModel) {
  Params card = kCard;
  const dev::b3soipd::Inst p = instance("nmos", card, kSize);
  // off below threshold, on above; the body raises the current (lower threshold)
  const auto at = [&](double vgs, double vds, double vbs) { return dev::b3soipd::evaluate(p, vgs, vds, vbs, 0, 0, true); };
  EXPECT_LT(at(0.0, 1.0, 0.0).ids, 1e-8);
  EXPECT_GT(at(1.5, 1.0, 0.0).ids, 1e-4);
  EXPECT_GT(at(0.6, 1.0, 0.3).ids, at(0.6, 1.0, 0.0).ids);
  EXPECT_LT(at(0.6, 1.0, 0.3).vth, at(0.6, 1.0, 0.0).vth);
  // the currents into the terminals sum to zero; reverse mode mirrors the drain and source
  for (const auto& v : std::vector<std::array<double, 3>>{{1.0, 1.2, 0.4}, {0.3, -0.8, 0.1}, {1.5, 0.05, -0.3}}) {
    const dev::b3soipd::Point q = at(v[0], v[1], v[2]);
    EXPECT_NEAR(q.id + q.ig + q.ib + q.ie + q.ip + q.is, 0.0, 1e-18);
  }
  const dev::b3soipd::Point f = at(1.0, 0.8, 0.0), r = dev::b3soipd::evaluate(p, 0.2, -0.8, -0.8, 0, 0, true);
  EXPECT_NEAR(f.id, r.is, 1e-6 * std::fabs(f.id));
  // a forward-biased body-source junction carries the diode and recombination currents
  EXPECT_GT(at(0.0, 0.0, 0.7).ib, 1e-9);
  // impact ionisation pushes current into the body at a high drain voltage
  EXPECT_GT(at(1.2, 2.5, 0.0).iii, 0.0);
  EXPECT_LT(at(1.2, 2.5, 0.0).ib, 0.0);
  // the charges: the gate charge grows with vgs; the substrate charge with ves
  EXPECT_GT(at(1.5, 0.0, 0.0).qg, at(0.5, 0.0, 0.0).qg);
  EXPECT_GT(dev::b3soipd::evaluate(p, 0.5, 0.5, 0.0, 1.0, 0, true).qe, dev::b3soipd::evaluate(p, 0.5, 0.5, 0.0, 0.0, 0, true).qe);
}

Bench soiBench(const std::string& type, Params mp, Params ip, const std::vector<std::string>& nodes) {
  Bench b;
  mp.push_back({"level", 57});
  mp.push_back({"rsh", 10});
  b.setup.circ.models.push_back(model("soi", type, std::move(mp)));
  ip.push_back({"nrd", 1});
  ip.push_back({"nrs", 1});
  b.setup.circ.devices.push_back(device("m1", nodes, 0, std::move(ip)));
  b.status = b.build();
  return b;
}

void soiFd(const std::string& type, Params extra, int nodeCount) {
  const double s = type == "pmos" ? -1 : 1;
  Params mp = kCard;
  mp.insert(mp.end(), extra.begin(), extra.end());
  for (auto& [k, v] : mp)
    if (k == "vth0") v *= s;
  std::vector<std::string> nodes = {"d", "g", "s", "e"};
  if (nodeCount >= 5) nodes.push_back("p");
  if (nodeCount >= 6) nodes.push_back("b");
  Bench b = soiBench(type, mp, kSize, nodes);
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const int d = b.node("d"), g = b.node("g"), src = b.node("s"), e = b.node("e");
  const int di = b.node("m1#d"), si = b.node("m1#s");
  const int body = nodeCount == 6 ? b.node("b") : b.node("m1#body");
  // vgs, vds, vbs, ves (and the contact 0.05 V from the body)
  const std::vector<std::array<double, 4>> bias = {{0.2, 1.0, 0.0, 0.0},  {0.9, 0.05, 0.3, -1.0}, {1.1, 1.1, -0.3, 1.0},
                                                   {1.0, -0.6, 0.2, 0.0}, {0.5, 2.5, 0.5, 0.0},   {1.8, 0.4, 0.6, 3.0},
                                                   {-0.4, 1.0, -0.5, -2.0}};
  for (auto v : bias) {
    const double vs = 0.1;
    std::map<int, double> at = {{g, s * (vs + v[0])}, {di, s * (vs + v[1])}, {d, s * (vs + v[1] + 0.001)},
                                {si, s * vs},       {src, s * (vs - 0.001)}, {body, s * (vs + v[2])},
                                {e, s * (vs + v[3])}};
    if (nodeCount >= 5) at[b.node("p")] = s * (vs + v[2] + 0.05);
    if (b.setup.nodes.count("m1#temp")) at[b.node("m1#temp")] = 12.0;  // a temperature rise (not polarity-flipped)
    auto x = vec(b.n(), at);
    const std::string what = type + " " + std::to_string(nodeCount) + " nodes vgs=" + std::to_string(v[0]) +
                             " vds=" + std::to_string(v[1]) + " vbs=" + std::to_string(v[2]) + " ves=" + std::to_string(v[3]);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::DcOp, 0, what), 1.0);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::Tran, 1e10, what + " (tran)"), 1.0);
  }
}

TEST(DeviceB3soipd, FloatingBodyJacobianMatchesFiniteDifferences) {
  soiFd("nmos", {}, 4);
  soiFd("pmos", {{"xpart", 0.5}, {"mobmod", 2}}, 4);
  soiFd("nmos", {{"xpart", 1}, {"igmod", 1}, {"mobmod", 1}, {"nsub", 1e16}}, 4);
  // CAPMOD 3 (charge thickness), the three partitions, and with self-heating
  soiFd("nmos", {{"capmod", 3}, {"dtoxcv", 2e-10}}, 4);
  soiFd("pmos", {{"capmod", 3}, {"xpart", 1}}, 4);
  soiFd("nmos", {{"capmod", 3}, {"xpart", 0.5}, {"shmod", 1}, {"rth0", 0.02}, {"cth0", 1e-5}}, 4);
}
TEST(DeviceB3soipd, BodyContactJacobianMatchesFiniteDifferences) {
  soiFd("nmos", {{"rbsh", 5}}, 5);
  soiFd("pmos", {}, 6);
}

TEST(DeviceB3soipd, SelfHeatingJacobianMatchesFiniteDifferences) {
  soiFd("nmos", {{"shmod", 1}, {"rth0", 0.02}, {"cth0", 1e-5}}, 4);
  soiFd("pmos", {{"shmod", 1}, {"rth0", 0.02}, {"cth0", 1e-5}, {"rbsh", 5}}, 5);
}

TEST(DeviceB3soipd, SelfHeatingWarmsTheDevice) {
  // the temperature rise is the dissipation times RTH0·NSEG/(Weff + WTH0); hotter: less current
  Params sh = kCard;
  sh.push_back({"shmod", 1});
  sh.push_back({"rth0", 0.02});
  const dev::b3soipd::Inst p = instance("nmos", sh, kSize);
  EXPECT_TRUE(p.selfHeat);
  EXPECT_NEAR(p.rth, 0.02 / p.weff, 1e-9);
  const dev::b3soipd::Point cold = dev::b3soipd::evaluate(p, 1.5, 1.5, 0, 0, 0, false, 0.0);
  const dev::b3soipd::Point hot = dev::b3soipd::evaluate(p, 1.5, 1.5, 0, 0, 0, false, 50.0);
  EXPECT_LT(hot.ids, cold.ids);
  EXPECT_NEAR(cold.power, cold.ids * 1.5, 1e-15);
  // without RTH0 the device is isothermal
  Params iso = kCard;
  iso.push_back({"shmod", 1});
  EXPECT_FALSE(instance("nmos", iso, kSize).selfHeat);
}

TEST(DeviceB3soipd, BodyTies) {
  // five nodes with RBODY and RBSH zero: the contact is the body (no internal node)
  Params ideal = kCard;
  for (auto& [k, v] : ideal)
    if (k == "rbody") v = 0;
  Bench t = soiBench("nmos", ideal, kSize, {"d", "g", "s", "e", "p"});
  ASSERT_TRUE(t.status.ok()) << t.status.error().message;
  EXPECT_EQ(t.setup.nodes.count("m1#body"), 0u);
  // with a body resistance: an internal body node behind it
  Bench r = soiBench("nmos", kCard, kSize, {"d", "g", "s", "e", "p"});
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.setup.nodes.count("m1#body"), 1u);
  // DEBUG < 0 (as ngspice): no charges, so a transient load equals the DC load
  Bench nq = soiBench("nmos", kCard, {{"l", 0.25e-6}, {"w", 10e-6}, {"debug", -1}}, {"d", "g", "s", "e"});
  ASSERT_TRUE(nq.status.ok());
  std::map<int, double> at = {{nq.node("g"), 1.0}, {nq.node("m1#d"), 1.0}, {nq.node("d"), 1.0}, {nq.node("m1#body"), 0.2}};
  const auto x = vec(nq.n(), at);
  const auto f0 = residual(nq, x, dev::AnalysisMode::DcOp, 0);
  const auto f1 = residual(nq, x, dev::AnalysisMode::Tran, 1e10);
  for (int k = 1; k <= nq.n(); ++k) EXPECT_NEAR(f0[k], f1[k], 1e-15) << k;
  EXPECT_LE(checkJacobian(nq, x, dev::AnalysisMode::Tran, 1e10, "debug -1"), 1.0);
}

TEST(DeviceB3soipd, UnsupportedSelectorsAreErrorsNamingTheParameter) {
  const std::vector<std::pair<Params, std::string>> cases = {
      {{{"capmod", 1}}, "CAPMOD"}, {{{"mobmod", 5}}, "MOBMOD"}};
  for (const auto& [mp, what] : cases) {
    Bench b = soiBench("nmos", mp, kSize, {"d", "g", "s", "e"});
    ASSERT_FALSE(b.status.ok()) << what;
    EXPECT_TRUE(contains(b.status.error().message, what)) << b.status.error().message;
  }
  // SHMOD 1 without a thermal resistance is isothermal, as ngspice
  Bench iso = soiBench("nmos", {{"shmod", 1}}, kSize, {"d", "g", "s", "e"});
  EXPECT_TRUE(iso.status.ok());
}

// The model's currents and charges (local frame) and the dissipation.
template <class T>
std::array<T, 13> outputs(const dev::b3soipd::PointT<T>& pt) {
  return {pt.id, pt.ig, pt.ib, pt.ip, pt.is, pt.ids, pt.ic, pt.iii, pt.qg, pt.qd, pt.qb, pt.qe, pt.power};
}

enum class Region { Cutoff, Subthreshold, Linear, Saturation, Reverse, ForwardBody };

// One evaluation on forward-mode numbers at v (vgs, vds, vbs, ves, vps) and the
// temperature rise dT: its values equal the double evaluation's bit for bit
// (and so do the values and partials of the 4-partial evaluation where the
// body has no contact through RBODY), the bias is in `region` (nmos, by the
// model's vth and vdsat), and every partial of every current and charge
// agrees with fourth-order central differences of the double values.
void adAgrees(const dev::b3soipd::Inst& p, std::array<double, 5> v, Region region, const std::string& what,
              double dT = 0.0) {
  using dev::b3soipd::Fwd5;
  Fwd5 u[5];
  for (int k = 0; k < 5; ++k) {
    u[k] = Fwd5(v[k]);
    u[k].d[k] = 1.0;
  }
  const auto ad = dev::b3soipd::evaluate(p, u[0], u[1], u[2], u[3], u[4], true, dT);
  const auto pv = dev::b3soipd::evaluate(p, v[0], v[1], v[2], v[3], v[4], true, dT);
  const auto a = outputs(ad);
  const auto d = outputs(pv);
  for (int j = 0; j < 13; ++j) EXPECT_EQ(a[j].v, d[j]) << what << " output " << j;
  EXPECT_EQ(ad.vth.v, pv.vth) << what;
  EXPECT_EQ(ad.reverse, pv.reverse) << what;
  if (p.bodyMod != 1) {  // the evaluation without vps partials (what the device uses there) is the same
    dev::b3soipd::Fwd4 w[4];
    for (int k = 0; k < 4; ++k) {
      w[k] = dev::b3soipd::Fwd4(v[k]);
      w[k].d[k] = 1.0;
    }
    const auto a4 = outputs(dev::b3soipd::evaluate(p, w[0], w[1], w[2], w[3], v[4], true, dT));
    for (int j = 0; j < 13; ++j) {
      EXPECT_EQ(a4[j].v, d[j]) << what << " output " << j;
      for (int k = 0; k < 4; ++k) EXPECT_EQ(a4[j].d[k], a[j].d[k]) << what << " output " << j << " partial " << k;
      EXPECT_EQ(a[j].d[4], 0.0) << what << " output " << j << ": a vps partial without a body contact";
    }
  }
  const double vgs = pv.reverse ? v[0] - v[1] : v[0], vds = std::fabs(v[1]), vth = pv.vth, vdsat = pv.vdsat;
  switch (region) {
    case Region::Cutoff: EXPECT_LT(vgs, vth - 0.3) << what; break;
    case Region::Subthreshold: EXPECT_LT(vgs, vth) << what; EXPECT_GT(vgs, vth - 0.3) << what; break;
    case Region::Linear: EXPECT_GT(vgs, vth) << what; EXPECT_LT(vds, vdsat) << what; break;
    case Region::Saturation: EXPECT_GT(vgs, vth) << what; EXPECT_GT(vds, vdsat) << what; break;
    case Region::Reverse: EXPECT_TRUE(pv.reverse) << what; break;
    case Region::ForwardBody: EXPECT_GT(pv.ibsMode, 1e3 * std::fabs(dev::b3soipd::evaluate(p, v[0], v[1], 0.0, v[3], v[4] - v[2], true, dT).ibsMode)) << what; break;
  }
  testutil::expectFourthOrderPartials(
      a, v, [&](const std::array<double, 5>& w) { return outputs(dev::b3soipd::evaluate(p, w[0], w[1], w[2], w[3], w[4], true, dT)); }, what);
}

TEST(DeviceB3soipd, ForwardModeDerivativesInEveryRegion) {
  struct Bias {
    std::array<double, 5> v;  // vgs, vds, vbs, ves, vps
    Region region;
  };
  const std::vector<Bias> biases = {
      {{-0.4, 1.0, 0.1, 0.0, 0.1}, Region::Cutoff},       {{0.25, 1.0, 0.0, 0.0, 0.0}, Region::Subthreshold},
      {{1.5, 0.1, 0.1, 0.0, 0.1}, Region::Linear},        {{1.2, 1.5, 0.2, -1.0, 0.2}, Region::Saturation},
      {{1.0, -1.0, 0.1, 0.0, 0.1}, Region::Reverse},      {{1.0, 1.0, 0.7, 0.0, 0.7}, Region::ForwardBody},
      {{0.8, 0.5, 0.05, 2.0, 0.05}, Region::Saturation},  {{1.8, 2.5, -0.4, 1.0, -0.4}, Region::Saturation}};
  // CAPMOD 2 and 3, the three charge partitions, the mobility forms, gate-to-body tunnelling
  const std::vector<std::pair<std::string, Params>> cards = {
      {"capmod 2", {}},
      {"capmod 3", {{"capmod", 3}, {"dtoxcv", 2e-10}}},
      {"capmod 2 xpart 0.5 mobmod 2 igmod 1", {{"xpart", 0.5}, {"mobmod", 2}, {"igmod", 1}}},
      {"capmod 3 xpart 1 mobmod 1 nsub > 0", {{"capmod", 3}, {"xpart", 1}, {"mobmod", 1}, {"nsub", 1e16}}},
      {"capmod 2 a1 > 0 rdsw ngate off", {{"a1", 0.02}, {"a2", 0.8}, {"rdsw", 300}, {"prwg", 0.1}, {"ngate", 0}}},
  };
  for (const auto& [name, extra] : cards) {
    Params mp = kCard;
    mp.insert(mp.end(), extra.begin(), extra.end());
    const dev::b3soipd::Inst p = instance("nmos", mp, kSize);
    for (const Bias& b : biases) adAgrees(p, b.v, b.region, name + " region " + std::to_string(int(b.region)));
  }
  // a body contact through RBODY (BODYMOD 1: the body-contact current in vps),
  // and tied directly (BODYMOD 2: vps = vbs)
  for (int bodyMod : {1, 2}) {
    dev::b3soipd::Inst p = instance("nmos", kCard, kSize);
    p.bodyMod = bodyMod;
    for (const Bias& b : biases) {
      auto v = b.v;
      if (bodyMod == 1) v[4] -= 0.03;
      adAgrees(p, v, b.region, "body mod " + std::to_string(bodyMod) + " region " + std::to_string(int(b.region)));
    }
  }
  // self-heating: at a temperature rise, with the surface potential of the last point's
  for (int capmod : {2, 3}) {
    Params mp = kCard;
    mp.insert(mp.end(), {{"capmod", capmod}, {"shmod", 1}, {"rth0", 0.02}, {"cth0", 1e-5}});
    dev::b3soipd::Inst p = instance("nmos", mp, kSize);
    ASSERT_TRUE(p.selfHeat);
    p.phiHeat = dev::b3soipd::phiAt(p, 20.0);
    for (const Bias& b : biases)
      if (b.region != Region::Subthreshold)  // (the threshold moves with the temperature)
        adAgrees(p, b.v, b.region, "self-heating capmod " + std::to_string(capmod) + " region " +
                                       std::to_string(int(b.region)), 25.0);
  }
}

// ---------------------------------------------------------------- reader

TEST(DeviceB3soipdNetlist, CardsOfFourToSixNodes) {
  const ir::Circuit c = simcore::testutil::ok(
      "soi cards\n"
      ".model n1 nmos level=57 rbody=1\n"
      ".model p1 pmos level=57\n"
      "V1 d 0 1\n"
      "M1 d d 0 0 n1 w=10u l=0.25u\n"
      "M2 d d 0 0 b n1 w=10u l=0.25u\n"
      "M3 d n1 0 0 b n1\n"   // a gate node named like the model
      "M4 d d 0 0 p1\n"
      ".op\n.end\n");
  std::map<std::string, std::size_t> nodes;
  for (const auto& d : c.devices) nodes[d.name] = d.nodes.size();
  EXPECT_EQ(nodes["m1"], 4u);
  EXPECT_EQ(nodes["m2"], 5u);
  EXPECT_EQ(nodes["m3"], 5u);
  EXPECT_EQ(nodes["m4"], 4u);
  // the temperature node: the seventh, or the last with TNODEOUT
  const ir::Circuit t = simcore::testutil::ok(
      "soi t\n.model n1 nmos level=57 shmod=1 rth0=0.01 rbody=1\nV1 d 0 1\n"
      "M1 d d 0 0 p b t n1\nM2 d d 0 0 t2 n1 tnodeout\nR1 t 0 1k\nR2 t2 0 1k\nR3 p 0 1\nR4 b 0 1k\n.op\n.end\n");
  ASSERT_EQ(t.devices.size(), 7u);
  EXPECT_EQ(t.devices[1].nodes.size(), 7u);
  EXPECT_EQ(t.devices[2].nodes.size(), 5u);
  // model binning by L and W (ngspice 39 has no bins for this level)
  const ir::Circuit b = simcore::testutil::ok(
      "soi bins\n.model nb.1 nmos level=57 lmin=0.1u lmax=0.5u wmin=1u wmax=100u\n"
      ".model nb.2 nmos level=57 lmin=0.5u lmax=10u wmin=1u wmax=100u\nV1 d 0 1\n"
      "M1 d d 0 0 nb w=10u l=0.25u\nM2 d d 0 0 nb w=10u l=1u\n.op\n.end\n");
  EXPECT_EQ(b.models[std::size_t(b.devices[1].model)].name, "nb.1");
  EXPECT_EQ(b.models[std::size_t(b.devices[2].model)].name, "nb.2");
  for (const auto& d : c.devices)
    if (d.name == "m3") EXPECT_EQ(c.models[std::size_t(d.model)].name, "n1");
}

}  // namespace
