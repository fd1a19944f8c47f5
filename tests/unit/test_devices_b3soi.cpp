// BSIM3SOI DD and FD (MOSFET levels 56 and 55): the kind and its parameters,
// defaults, the FD switch, and the Jacobian of the device group (currents and
// charges) against finite differences of its residual, floating and tied
// bodies, nmos and pmos, both modes; the model's forward-mode derivatives
// against differences of its values in every region, and those values
// against the double evaluation's (bit for bit).
#include <gtest/gtest.h>

#include "fwd_check.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "device_bench.hpp"
#include "devices/b3soidd_model.hpp"
#include "devices/descriptor.hpp"
#include "netlist_test_util.hpp"
#include "simcore/ir.hpp"

using namespace simcore;
using namespace simcore::devbench;

namespace {

using Params = std::vector<std::pair<std::string, double>>;

dev::b3soi::Inst instance(const std::string& type, double level, Params mp, Params ip, std::string* why = nullptr,
                          int bodyMod = 0) {
  mp.push_back({"level", level});
  ir::Circuit c;
  c.models.push_back(model("s1", type, mp));
  c.devices.push_back(device("m1", {"d", "g", "s", "e"}, 0, ip));
  const dev::DeviceKind* k = dev::kindOf(c.devices[0], c.models);
  EXPECT_NE(k, nullptr);
  const dev::ParamValues P(*k, c.devices[0], &c.models[0]);
  dev::b3soi::Inst p;
  const std::string w = dev::b3soi::setup(P, type == "pmos", level == 55, 300.15, 300.15, bodyMod, p);
  if (why) *why = w;
  else EXPECT_EQ(w, "");
  return p;
}

// A 0.25 um-class card (both levels read it).
const Params kCard = {{"tox", 4.5e-9},  {"tsi", 5e-8},      {"tbox", 8e-8},    {"capmod", 3},    {"mobmod", 1},
                      {"lint", -2e-8},  {"vth0", 0.52},     {"k1", 0.39},      {"k2", 0.1},      {"kb1", 0.95},
                      {"k3b", 2.2},     {"nlx", 7.2e-8},    {"dvt0", 0.55},    {"dvt1", 0.28},   {"dvt2", -1.4},
                      {"nch", 3.3e17},  {"nsub", 1e15},     {"ngate", 1e20},   {"dvbd0", 60},    {"dvbd1", 1.1},
                      {"kb3", 2.2},     {"delp", 0.02},     {"abp", 0.9},      {"mxc", 0.9},     {"adice0", 0.93},
                      {"kbjt1", 1e-8},  {"edl", 5e-7},      {"ndiode", 1.13},  {"ntun", 14},     {"isbjt", 2e-6},
                      {"isdif", 1e-6},  {"istun", 1e-8},    {"isrec", 1e-5},   {"u0", 352},      {"ua", 1.3e-11},
                      {"ub", 1.7e-18},  {"uc", -4e-10},     {"w0", 1.16e-6},   {"ags", 0.25},    {"b0", 0.01},
                      {"b1", 10},       {"rdsw", 700},      {"prwb", -0.2},    {"a0", 1.4},      {"keta", -0.67},
                      {"vsat", 1.35e5}, {"alpha1", 1.5},    {"beta0", 20.5},   {"aii", 1.2},     {"bii", 1e-8},
                      {"cii", 0.8},     {"dii", 0.6},       {"voff", -0.14},   {"nfactor", 0.7}, {"cdsc", 2e-5},
                      {"pclm", 2.9},    {"pvag", 12},       {"pdiblc1", 0.18}, {"pdiblc2", 0.004}, {"pdiblcb", -0.234},
                      {"drout", 0.2},   {"delta", 0.01},    {"eta0", 0.01},    {"dsub", 0.3},    {"agidl", 1e-9},
                      {"bgidl", 2e9},   {"ngidl", 0.5},     {"cgso", 1e-10},   {"cgdo", 1e-10},  {"cjswg", 5e-10},
                      {"tt", 3e-10},    {"csdesw", 1e-12},  {"cgeo", 1e-11},   {"cgsl", 1e-11},  {"cgdl", 1e-11}};

TEST(DeviceB3soi, LevelsFiftyFiveAndFiftySixShareOneKind) {
  ir::Circuit c;
  c.models.push_back(model("a", "nmos", {{"level", 56}}));
  c.models.push_back(model("b", "pmos", {{"level", 55}}));
  c.models.push_back(model("c", "nmos", {{"level", 54}}));
  c.devices.push_back(device("m1", {"d", "g", "s", "e"}, 0));
  c.devices.push_back(device("m2", {"d", "g", "s", "e"}, 1));
  c.devices.push_back(device("m3", {"d", "g", "s", "b"}, 2));
  const dev::DeviceKind* k = dev::kindOf(c.devices[0], c.models);
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k, dev::kindOf(c.devices[1], c.models));
  EXPECT_NE(k, dev::kindOf(c.devices[2], c.models));  // BSIM4
  EXPECT_EQ(k->minNodes, 4);
  EXPECT_EQ(k->maxNodes, 7);
  int modelParams = 0;
  for (const dev::ParamSpec& s : k->params) modelParams += s.scope == dev::ParamScope::Model;
  EXPECT_GE(modelParams, 389);
  for (const char* n : {"nch", "lnch", "wnch", "pnch", "vth0", "vtho", "xbjt", "xdif", "kb1", "kb3", "dvbd0", "vbsa",
                        "delp", "abp", "mxc", "adice0", "rbody", "rbsh", "isbjt", "isdif", "isrec", "istun", "edl",
                        "kbjt1", "csdesw", "csdmin", "vsdfb", "vsdth", "asd", "cjswg", "pbswg", "mjswg", "tt", "cgeo",
                        "shmod", "rth0", "cth0", "pvsdth", "wkbjt1", "binunit"})
    EXPECT_NE(k->find(dev::ParamScope::Model, n), nullptr) << n;
  for (const char* n : {"l", "w", "m", "ad", "as", "pd", "ps", "nrd", "nrs", "nrb", "off", "bjtoff", "debug", "rth0"})
    EXPECT_NE(k->find(dev::ParamScope::Instance, n), nullptr) << n;
}

TEST(DeviceB3soi, DefaultsFollowNgspice) {
  const dev::b3soi::Inst n = instance("nmos", 56, {}, {});
  EXPECT_DOUBLE_EQ(n.tox, 1e-8);
  EXPECT_DOUBLE_EQ(n.tsi, 1e-7);
  EXPECT_DOUBLE_EQ(n.tbox, 3e-7);
  EXPECT_DOUBLE_EQ(n.xj, n.tsi);  // XJ defaults to TSI
  EXPECT_EQ(n.capMod, 2);
  EXPECT_EQ(n.mobMod, 1);
  EXPECT_DOUBLE_EQ(n.u0temp, 0.067);
  EXPECT_DOUBLE_EQ(n.uc, -0.0465e-9);
  // VTH0 not given: from VFB = -1
  EXPECT_NEAR(n.vth0, -1.0 + n.phi + n.k1 * n.sqrtPhi, 1e-12);
  EXPECT_DOUBLE_EQ(n.leff, 5e-6);
  EXPECT_DOUBLE_EQ(n.weff, 5e-6);
  const dev::b3soi::Inst p = instance("pmos", 56, {{"vth0", -0.6}, {"mobmod", 3}}, {});
  EXPECT_DOUBLE_EQ(p.u0temp, 0.025);
  EXPECT_DOUBLE_EQ(p.vth0, -0.6);
  EXPECT_DOUBLE_EQ(p.uc, -0.0465);
  EXPECT_DOUBLE_EQ(p.type, -1);
  // U0 above 1 is in cm²/Vs; NCH above 1e20 in 1/m³
  const dev::b3soi::Inst u = instance("nmos", 56, {{"u0", 400}, {"nch", 3e23}}, {});
  EXPECT_DOUBLE_EQ(u.u0temp, 0.04);
  EXPECT_DOUBLE_EQ(u.npeak, 3e17);
  // the binned form adds the L dependence
  // (BINUNIT 1, the default: lengths in microns)
  const dev::b3soi::Inst b = instance("nmos", 56, {{"vth0", 0.5}, {"lvth0", 0.02}}, {{"l", 2e-6}});
  EXPECT_NEAR(b.vth0, 0.5 + 0.02 / 2.0, 1e-12);
  const dev::b3soi::Inst bm = instance("nmos", 56, {{"vth0", 0.5}, {"lvth0", 2e-8}, {"binunit", 0}}, {{"l", 2e-6}});
  EXPECT_NEAR(bm.vth0, 0.5 + 2e-8 / 2e-6, 1e-12);
  std::string why;
  instance("nmos", 56, {{"lint", 3e-6}}, {}, &why);
  EXPECT_NE(why.find("effective channel length"), std::string::npos);
}

TEST(DeviceB3soi, FullyDepletedFilmIgnoresTheBodyNode) {
  const dev::b3soi::Inst dd = instance("nmos", 56, kCard, {{"l", 0.25e-6}, {"w", 10e-6}});
  const dev::b3soi::Inst fd = instance("nmos", 55, kCard, {{"l", 0.25e-6}, {"w", 10e-6}});
  // DD: a forward-biased body raises the current and drives the body diodes
  const auto d0 = dev::b3soi::evaluate(dd, 1.0, 1.0, 0.0, 0.0, 0.0, false);
  const auto d1 = dev::b3soi::evaluate(dd, 1.0, 1.0, 0.3, 0.0, 0.0, false);
  EXPECT_GT(d1.ids, d0.ids);
  EXPECT_GT(d1.ibs, d0.ibs);
  EXPECT_GT(d0.iii, 0.0);
  // FD: the body sits at Vbs0eff whatever vbs is; no body currents
  const auto f0 = dev::b3soi::evaluate(fd, 1.0, 1.0, 0.0, 0.0, 0.0, true);
  const auto f1 = dev::b3soi::evaluate(fd, 1.0, 1.0, 0.3, 0.0, 0.0, true);
  EXPECT_DOUBLE_EQ(f0.ids, f1.ids);
  EXPECT_DOUBLE_EQ(f0.qg, f1.qg);
  EXPECT_EQ(f0.iii, 0.0);
  EXPECT_EQ(f0.ibs + f0.ibd + f0.ic + f0.igidl, 0.0);
  // the back gate moves the FD threshold
  const auto fe = dev::b3soi::evaluate(fd, 1.0, 1.0, 0.0, 2.0, 0.0, false);
  EXPECT_LT(fe.vth, f0.vth);
  // charges sum to zero
  EXPECT_NEAR(f0.qg + f0.qd + f0.qs + f0.qb + f0.qe, 0.0, 1e-25);
  const auto dq = dev::b3soi::evaluate(dd, 1.0, 1.0, 0.1, 0.0, 0.0, true);
  EXPECT_NEAR(dq.qg + dq.qd + dq.qs + dq.qb + dq.qe, 0.0, 1e-25);
  EXPECT_GT(dq.qg, 0.0);
}

// base with the entries of extra replacing (or added to) its own.
Params with(Params base, const Params& extra) {
  for (const auto& [k, v] : extra) {
    bool found = false;
    for (auto& [bk, bv] : base)
      if (bk == k) bv = v, found = true;
    if (!found) base.push_back({k, v});
  }
  return base;
}

// The device on its own nodes: d g s e [b] (body contact b when tied).
Bench soiBench(const std::string& type, double level, Params mp, bool tied, Params ip) {
  Bench b;
  mp.push_back({"level", level});
  b.setup.circ.models.push_back(model("s1", type, std::move(mp)));
  ip.push_back({"l", 0.25e-6});
  ip.push_back({"w", 10e-6});
  ip.push_back({"as", 6e-12});
  ip.push_back({"ad", 6e-12});
  ip.push_back({"ps", 12e-6});
  ip.push_back({"pd", 12e-6});
  std::vector<std::string> nodes = {"d", "g", "s", "e"};
  if (tied) nodes.push_back("b");
  b.setup.circ.devices.push_back(device("m1", nodes, 0, std::move(ip)));
  b.status = b.build();
  return b;
}

void soiFd(const std::string& type, double level, bool tied, Params extra = {}) {
  const double s = type == "pmos" ? -1 : 1;
  Params mp = with(kCard, extra);
  for (auto& [k, v] : mp)
    if (k == "vth0") v *= s;
  Bench b = soiBench(type, level, mp, tied, {});
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const int d = b.node("d"), g = b.node("g"), src = b.node("s"), e = b.node("e");
  bool contact = false;
  for (const auto& [k, v] : extra) contact = contact || ((k == "rbody" || k == "rbsh") && v > 0);
  const int body = !tied ? (level == 56 ? b.node("m1#body") : -1) : contact ? b.node("m1#body") : b.node("b");
  // vgs, vds, vbs (>= 0: a floating body is held there at DC), ves; away from the
  // charges' clamps (VdsCV below VdsatCV in weak inversion), where differences
  // of either side disagree
  const std::vector<std::array<double, 4>> bias = {
      {1.0, 1.0, 0.1, 0.0}, {0.7, 0.2, 0.05, 0.5}, {1.5, 2.0, 0.35, -1.0}, {1.2, -0.8, 0.15, 0.0}, {0.6, 0.4, 0.0, 2.0}};
  for (auto v : bias) {
    const double vs = 0.1;
    std::map<int, double> at = {{g, s * (vs + v[0])}, {d, s * (vs + v[1])}, {src, s * vs}, {e, s * (vs + v[3])}};
    if (body >= 0) at[body] = s * (vs + v[2] + (v[1] < 0 ? v[1] : 0.0));
    if (tied && contact) at[b.node("b")] = s * (vs + v[2] + 0.01);
    auto x = vec(b.n(), at);
    const std::string what = type + " level " + std::to_string(int(level)) + (tied ? " tied" : " floating") +
                             " vgs=" + std::to_string(v[0]) + " vds=" + std::to_string(v[1]);
    // settle the limiting (the device limits against its last evaluation)
    for (int k = 0; k < 3; ++k) residual(b, x, dev::AnalysisMode::DcOp, 0);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::DcOp, 0, what), 1.0);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::Tran, 1e10, what + " (tran)"), 1.0);
  }
}

TEST(DeviceB3soi, DdNmosFloatingJacobianMatchesFiniteDifferences) { soiFd("nmos", 56, false); }
TEST(DeviceB3soi, DdPmosTiedJacobianMatchesFiniteDifferences) {
  soiFd("pmos", 56, true, {{"capmod", 2}, {"mobmod", 2}});
}
TEST(DeviceB3soi, DdBodyResistanceJacobianMatchesFiniteDifferences) {
  soiFd("nmos", 56, true, {{"rbody", 1e3}, {"rbsh", 50}, {"xpart", 0.4}});
}
TEST(DeviceB3soi, FdJacobianMatchesFiniteDifferences) {
  soiFd("nmos", 55, false);
  soiFd("pmos", 55, true, {{"capmod", 2}, {"xpart", 1}});
}

// The model's currents and charges.
template <class T>
std::array<T, 13> outputs(const dev::b3soi::PointT<T>& pt) {
  return {pt.ids, pt.ic, pt.iii, pt.igidl, pt.isgidl, pt.ibs, pt.ibd, pt.ibp, pt.qg, pt.qd, pt.qs, pt.qb, pt.qe};
}

enum class Region { Cutoff, Subthreshold, Linear, Saturation, Reverse, ForwardBody };

// One evaluation on forward-mode numbers at v (vgs, vds, vbs, ves, vps): its
// values equal the double evaluation's bit for bit (and so do the values and
// partials of the 4-partial evaluation without a body contact), the bias is in `region`
// (nmos, by the model's vth and vdsat), and every partial of every current
// and charge agrees with a central difference of the double values.
void adAgrees(const dev::b3soi::Inst& p, std::array<double, 5> v, Region region, const std::string& what) {
  using dev::b3soi::Fwd5;
  Fwd5 u[5];
  for (int k = 0; k < 5; ++k) {
    u[k] = Fwd5(v[k]);
    u[k].d[k] = 1.0;
  }
  const auto ad = dev::b3soi::evaluate(p, u[0], u[1], u[2], u[3], u[4], true);
  const auto pv = dev::b3soi::evaluate(p, v[0], v[1], v[2], v[3], v[4], true);
  const auto a = outputs(ad);
  const auto d = outputs(pv);
  for (int j = 0; j < 13; ++j) EXPECT_EQ(a[j].v, d[j]) << what << " output " << j;
  if (p.bodyMod != 1) {  // the evaluation without vps partials (what the device uses there) is the same
    dev::b3soi::Fwd4 w[4];
    for (int k = 0; k < 4; ++k) {
      w[k] = dev::b3soi::Fwd4(v[k]);
      w[k].d[k] = 1.0;
    }
    const auto a4 = outputs(dev::b3soi::evaluate(p, w[0], w[1], w[2], w[3], v[4], true));
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
    case Region::ForwardBody: EXPECT_GT(pv.ibs, 1e3 * std::fabs(p.weff * p.tsi * p.jdif)) << what; break;
  }
  // fourth-order differences with a step well above the values' rounding (log(1 + x) of a
  // small x, charges that are differences of much larger terms: at h = 1e-6 their
  // differences are off by 1e-3 in weak inversion, while these converge to the forward mode's)
  testutil::expectFourthOrderPartials(
      a, v, [&](const std::array<double, 5>& w) { return outputs(dev::b3soi::evaluate(p, w[0], w[1], w[2], w[3], w[4], true)); }, what);
}

TEST(DeviceB3soi, ForwardModeDerivativesInEveryRegion) {
  struct Bias {
    std::array<double, 5> v;  // vgs, vds, vbs, ves, vps
    Region region;
  };
  const std::vector<Bias> biases = {
      {{-0.4, 1.0, 0.1, 0.0, 0.1}, Region::Cutoff},       {{0.4, 1.0, 0.1, 0.0, 0.1}, Region::Subthreshold},
      {{1.5, 0.1, 0.1, 0.0, 0.1}, Region::Linear},        {{1.2, 1.5, 0.2, -1.0, 0.2}, Region::Saturation},
      {{1.0, -1.0, 0.1, 0.0, 0.1}, Region::Reverse},      {{1.0, 1.0, 0.65, 0.0, 0.6}, Region::ForwardBody},
      {{0.8, 0.5, 0.05, 2.0, 0.05}, Region::Saturation}};
  const Params size = {{"l", 0.25e-6}, {"w", 10e-6}};
  for (double level : {56.0, 55.0}) {
    for (double capmod : {2.0, 3.0}) {
      const dev::b3soi::Inst p = instance("nmos", level, with(kCard, {{"capmod", capmod}}), size);
      for (const Bias& b : biases) {
        if (level == 55 && b.region == Region::ForwardBody) continue;  // (FD: the body sits at Vbs0eff)
        adAgrees(p, b.v, b.region,
                 "level " + std::to_string(int(level)) + " capmod " + std::to_string(int(capmod)) + " region " +
                     std::to_string(int(b.region)));
      }
    }
  }
  // DD with a body contact through RBODY (BODYMOD 1: the body-contact current in vps), mobmod 2, xpart 0.4
  const dev::b3soi::Inst rb = instance("nmos", 56, with(kCard, {{"rbody", 1e3}, {"mobmod", 2}, {"xpart", 0.4}}), size,
                                       nullptr, 1);
  for (const Bias& b : biases) {
    auto v = b.v;
    v[4] -= 0.03;
    adAgrees(rb, v, b.region, "body contact region " + std::to_string(int(b.region)));
  }
}

TEST(DeviceB3soi, UnsupportedSelectorsAreErrors) {
  const Params mp = with(kCard, {{"capmod", 1}});
  Bench b = soiBench("nmos", 56, mp, false, {});
  ASSERT_FALSE(b.status.ok());
  EXPECT_NE(b.status.error().message.find("CAPMOD 1"), std::string::npos) << b.status.error().message;
  const Params x = with(kCard, {{"xpart", 0.4}, {"capmod", 0}});
  Bench c = soiBench("nmos", 55, x, false, {});
  ASSERT_FALSE(c.status.ok());
  EXPECT_NE(c.status.error().message.find("CAPMOD 0"), std::string::npos) << c.status.error().message;
}

TEST(DeviceB3soi, SelfHeatingJacobianMatchesFiniteDifferences) {
  // SHMOD 1 with RTH0: a temperature node; its rise lowers the current
  const Params sh = with(kCard, {{"shmod", 1}, {"rth0", 0.006}, {"cth0", 1e-5}});
  Bench b = soiBench("nmos", 56, sh, true, {});
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const int tn = b.node("m1#temp");
  ASSERT_GT(tn, 0);
  for (double rise : {0.0, 3.0, 40.0}) {
    std::map<int, double> at = {{b.node("g"), 1.6}, {b.node("d"), 1.4}, {b.node("s"), 0.1},
                                {b.node("e"), 0.0}, {b.node("b"), 0.2}, {tn, rise}};
    auto x = vec(b.n(), at);
    for (int k = 0; k < 3; ++k) residual(b, x, dev::AnalysisMode::DcOp, 0);
    const std::string what = "self-heating, rise " + std::to_string(rise) + " K";
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::DcOp, 0, what), 1.0);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::Tran, 1e10, what + " (tran)"), 1.0);
  }
  const dev::b3soi::Inst p = instance("nmos", 56, with(kCard, {{"shmod", 1}, {"rth0", 0.006}}), {{"l", 0.25e-6}, {"w", 10e-6}});
  ASSERT_TRUE(p.selfheat);
  const auto cold = dev::b3soi::evaluate(p, 1.5, 1.5, 0.0, 0.0, 0.0, false, 0.0);
  const auto hot = dev::b3soi::evaluate(p, 1.5, 1.5, 0.0, 0.0, 0.0, false, 50.0);
  EXPECT_LT(hot.ids, cold.ids);
  EXPECT_NEAR(p.rth, 0.006 * std::sqrt(8e-8 / 5e-8) / p.weff, 1e-9);
}


// ---------------------------------------------------------------- reader

TEST(DeviceB3soiNetlist, FourToSevenNodes) {
  const ir::Circuit c = simcore::testutil::ok(
      "soi\n"
      ".model n1 nmos level=56 vth0=0.5\n"
      ".model f1 nmos level=55 vth0=0.5\n"
      "V1 d 0 1\n"
      "M1 d d 0 e n1 w=1u l=0.2u\n"
      "M2 d d 0 e b n1 w=1u l=0.2u\n"
      "M3 d d 0 e b t f1 w=1u l=0.2u\n"
      "M4 d d 0 e b t p n1 w=1u l=0.2u\n"
      ".op\n.end\n");
  std::map<std::string, std::size_t> nodes;
  for (const auto& d : c.devices) nodes[d.name] = d.nodes.size();
  EXPECT_EQ(nodes["m1"], 4u);
  EXPECT_EQ(nodes["m2"], 5u);
  EXPECT_EQ(nodes["m3"], 6u);
  EXPECT_EQ(nodes["m4"], 7u);
  // a BSIM4 card still takes four nodes and its bins
  const ir::Circuit b = simcore::testutil::ok(
      "b4\n.model nch.1 nmos level=54 lmin=0 lmax=1 wmin=0 wmax=1\nV1 d 0 1\nM1 d d 0 0 nch L=45n W=1u\n.op\n.end\n");
  ASSERT_EQ(b.devices.size(), 2u);
  EXPECT_EQ(b.devices[1].nodes.size(), 4u);
  // eight nodes are too many
  const Error e = simcore::testutil::err(
      "soi\n.model n1 nmos level=56\nM1 d g s e b t p q n1\n.op\n.end\n");
  EXPECT_FALSE(e.message.empty());
}

TEST(DeviceB3soiNetlist, ParameterWithoutEqualsAndAStrayValue) {
  // ngspice's own FD card: "RTH0 94 = .006" reads rth0=94 and skips "= .006"
  const ir::Circuit c = simcore::testutil::ok(
      "fd\n.model n1 nmos level=55 tox=4.5e-9 rth0 94 = .006 cgso=1e-10\nM1 d g 0 e n1\nV1 d 0 1\nV2 g 0 1\n"
      "V3 e 0 0\n.op\n.end\n");
  double rth0 = 0, cgso = 0;
  for (const ir::Param& p : c.models[0].params) {
    if (p.name == "rth0") rth0 = p.value;
    if (p.name == "cgso") cgso = p.value;
  }
  EXPECT_DOUBLE_EQ(rth0, 94.0);
  EXPECT_DOUBLE_EQ(cgso, 1e-10);
  ASSERT_EQ(c.warnings.size(), 2u);
  EXPECT_NE(c.warnings[0].message.find("rth0=94"), std::string::npos) << c.warnings[0].message;
  EXPECT_NE(c.warnings[1].message.find("stray"), std::string::npos) << c.warnings[1].message;
  // a word that names no parameter still needs its '='
  EXPECT_FALSE(simcore::testutil::err("x\n.model n1 nmos level=55 bogus 94\nM1 d g 0 e n1\n.op\n.end\n").message.empty());
}

}  // namespace
