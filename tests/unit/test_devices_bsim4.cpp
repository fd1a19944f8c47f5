// BSIM4.8 (MOSFET level 14/54): the parameter table and its defaults
// (computed ones, the nmos/pmos ones, the ones that fall back to another
// parameter), binning, the shape of the model, the Jacobian against finite
// differences (the device's, and each model function's AD partials),
// unsupported selectors, and binning and versions in the reader.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <type_traits>
#include <string>
#include <vector>

#include "device_bench.hpp"
#include "devices/bsim4_model.hpp"
#include "devices/descriptor.hpp"
#include "netlist_test_util.hpp"
#include "simcore/ir.hpp"

using namespace simcore;
using namespace simcore::devbench;
using simcore::testutil::contains;

namespace {

using Params = std::vector<std::pair<std::string, double>>;

// A BSIM4 model of `type` with parameters mp and one instance with ip, set up
// at tK (tnom 27 degC).
dev::bsim4::Inst instance(const std::string& type, Params mp, Params ip, std::string* why = nullptr,
                          double tK = 300.15) {
  mp.push_back({"level", 54});
  ir::Circuit c;
  c.models.push_back(model("b4", type, mp));
  c.devices.push_back(device("m1", {"d", "g", "s", "b"}, 0, ip));
  const dev::DeviceKind* k = dev::kindOf(c.devices[0], c.models);
  EXPECT_NE(k, nullptr);
  const dev::ParamValues P(*k, c.devices[0], &c.models[0]);
  dev::bsim4::Inst p;
  const std::string w = dev::bsim4::setup(P, type == "pmos", tK, 300.15, p);
  if (why) *why = w;
  else EXPECT_EQ(w, "");
  return p;
}

// A 45 nm-class card.
const Params kCard = {{"toxe", 1.25e-9}, {"toxp", 1e-9},   {"vth0", 0.466},   {"k1", 0.4},       {"k2", 0.0},
                      {"dvt0", 1},       {"dvt1", 2},      {"dsub", 0.1},     {"minv", 0.05},    {"dvtp0", 1e-10},
                      {"dvtp1", 0.1},    {"xj", 1.4e-8},   {"ngate", 2e20},   {"ndep", 3.4e18},  {"voff", -0.13},
                      {"nfactor", 1.7},  {"eta0", 0.0011}, {"u0", 0.049},     {"ua", 6e-10},     {"ub", 1.2e-18},
                      {"vsat", 1.7e5},   {"keta", 0.04},   {"pclm", 0.02},    {"pdiblc1", 0.001}, {"pdiblc2", 0.001},
                      {"pdits", 0.08},   {"pditsd", 0.23}, {"pditsl", 2.3e6}, {"rdsw", 155},     {"fprout", 0.2},
                      {"alpha0", 0.074}, {"beta0", 30},    {"agidl", 2e-4},   {"bgidl", 2.1e9},  {"cgidl", 2e-4},
                      {"egidl", 0.8},    {"lint", 3.75e-9},   {"wint", 5e-9},    {"lpe0", 0.0},     {"k3", 0.0},
                      {"vfb", -0.55}};
// Gate tunnelling of the 45 nm-class card.
const Params kGate = {{"igcmod", 1},     {"igbmod", 1},      {"toxref", 1.25e-9}, {"aigc", 0.012}, {"bigc", 0.0028},
                      {"cigc", 0.002},   {"aigsd", 0.012},   {"bigsd", 0.0028},   {"cigsd", 0.002}, {"aigbacc", 0.012},
                      {"bigbacc", 0.0028}, {"cigbacc", 0.002}, {"aigbinv", 0.014}, {"bigbinv", 0.004}, {"cigbinv", 0.004},
                      {"nigbinv", 3}};
Params withGate(Params p) {
  p.insert(p.end(), kGate.begin(), kGate.end());
  return p;
}
const Params kSize = {{"l", 45e-9}, {"w", 1e-6}};

TEST(DeviceBsim4, LevelsFourteenAndFiftyFourShareOneKind) {
  ir::Circuit c;
  c.models.push_back(model("a", "nmos", {{"level", 14}}));
  c.models.push_back(model("b", "pmos", {{"level", 54}}));
  c.models.push_back(model("c", "nmos", {{"level", 49}}));
  c.devices.push_back(device("m1", {"d", "g", "s", "b"}, 0));
  c.devices.push_back(device("m2", {"d", "g", "s", "b"}, 1));
  c.devices.push_back(device("m3", {"d", "g", "s", "b"}, 2));
  const dev::DeviceKind* k = dev::kindOf(c.devices[0], c.models);
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k, dev::kindOf(c.devices[1], c.models));
  EXPECT_NE(k, dev::kindOf(c.devices[2], c.models));  // BSIM3
  EXPECT_NE(k, dev::findKind('m'));
  // every BSIM4.8 model parameter: binnable ones with their L, W and P forms
  int modelParams = 0;
  for (const dev::ParamSpec& s : k->params) modelParams += s.scope == dev::ParamScope::Model;
  EXPECT_GE(modelParams, 880);
  for (const char* n : {"vth0", "lvth0", "wvth0", "pvth0", "vtho", "lvtho", "toxe", "toxp", "dtox", "epsrox", "ndep",
                        "lpe0", "dvtp2", "pdits", "pditsl", "fprout", "agisl", "kgidl", "rgisl", "aigsd", "paigs",
                        "waigbacc", "nigbinv", "jtss", "njtsswgd", "xtsswgd", "vtsswgd", "tnjtsd", "cjswgd", "mjswgs",
                        "ijthsfwd", "bvd", "xjbvs", "rbpb", "gbmin", "rnoia", "tnoib", "ntnoi", "em", "lintnoi",
                        "saref", "kvth0", "wpemod", "web", "ku0we", "mtrlmod", "phig", "eot", "vddeot", "tempeot",
                        "ados", "bdos", "ucs", "lucste", "tvoffcv", "voffcvl", "minvcv", "lminvcv", "dmcg", "xgl",
                        "vgs_max", "vbd_max", "lmin", "wmax", "binunit", "gidlmod", "cvchargemod", "version"})
    EXPECT_NE(k->find(dev::ParamScope::Model, n), nullptr) << n;
  for (const char* n : {"l", "w", "m", "nf", "sa", "sb", "sd", "ad", "as", "pd", "ps", "nrd", "nrs", "off", "delvto",
                        "rbdb", "rgatemod", "geomod", "min"})
    EXPECT_NE(k->find(dev::ParamScope::Instance, n), nullptr) << n;
}

TEST(DeviceBsim4, DefaultsFollowBsim4) {
  // nmos and pmos defaults
  const dev::bsim4::Inst n = instance("nmos", {}, {});
  EXPECT_DOUBLE_EQ(n.toxe, 3.0e-9);
  EXPECT_DOUBLE_EQ(n.toxp, 3.0e-9);
  // VTH0 not given: from VFB (-1), the surface potential and K1, as BSIM4
  EXPECT_NEAR(n.vth0, -1.0 + n.phi + n.k1 * n.sqrtPhi, 1e-12);
  EXPECT_NEAR(n.u0temp, 0.067, 1e-12);
  EXPECT_EQ(n.capMod, 2);
  EXPECT_EQ(n.mobMod, 0);
  EXPECT_EQ(n.dioMod, 1);
  EXPECT_DOUBLE_EQ(n.ua, 1.0e-9);
  EXPECT_DOUBLE_EQ(n.aigc, 1.36e-2);
  const dev::bsim4::Inst p = instance("pmos", {}, {});
  EXPECT_NEAR(p.vth0, -(-1.0 + p.phi + p.k1 * p.sqrtPhi), 1e-12);
  EXPECT_DOUBLE_EQ(instance("nmos", {{"vth0", 0.45}}, {}).vth0, 0.45);
  EXPECT_NEAR(p.u0temp, 0.025, 1e-12);
  EXPECT_DOUBLE_EQ(p.aigc, 9.80e-3);
  // MOBMOD 2 changes UA's default, MOBMOD 1 UC's
  EXPECT_DOUBLE_EQ(instance("nmos", {{"mobmod", 2}}, {}).ua, 1.0e-15);
  EXPECT_DOUBLE_EQ(instance("nmos", {{"mobmod", 1}}, {}).uc, -0.0465);
  // ngspice's default VERSION 4.8.2 (and 4.8.1): MOBMOD 6 takes MOBMOD 2's UA, MOBMOD 5
  // MOBMOD 1's UC; VERSION 4.8 (4.8.0) does not (4.8.2 reads as 4.802)
  EXPECT_DOUBLE_EQ(instance("nmos", {{"mobmod", 6}}, {}).ua, 1.0e-15);
  EXPECT_DOUBLE_EQ(instance("nmos", {{"mobmod", 5}}, {}).uc, -0.0465);
  EXPECT_DOUBLE_EQ(instance("nmos", {{"mobmod", 6}, {"version", 4.802}}, {}).ua, 1.0e-15);
  EXPECT_DOUBLE_EQ(instance("nmos", {{"mobmod", 5}, {"version", 4.81}}, {}).uc, -0.0465);
  EXPECT_DOUBLE_EQ(instance("nmos", {{"mobmod", 6}, {"version", 4.8}}, {}).ua, 1.0e-9);
  EXPECT_DOUBLE_EQ(instance("nmos", {{"mobmod", 5}, {"version", 4.8}}, {}).uc, -0.0465e-9);
  // K1, K2 from the doping when neither is given: the body factor of NDEP
  const dev::bsim4::Inst k = instance("nmos", {{"ndep", 3e18}}, {});
  const dev::bsim4::Inst k0 = instance("nmos", {{"ndep", 1e18}}, {});
  EXPECT_GT(k.k1, k0.k1);  // more doping, more body effect
  EXPECT_LT(k.k2, 0.0);
  EXPECT_DOUBLE_EQ(instance("nmos", {{"k1", 0.4}}, {}).k2, -0.0186);
  // TOXE = TOXP + DTOX when only TOXP is given
  EXPECT_NEAR(instance("nmos", {{"toxp", 1e-9}, {"dtox", 0.3e-9}}, {}).toxe, 1.3e-9, 1e-20);
  // the source side falls back to the drain side's partner (AGISL is AGIDL, CJD is CJS)
  const dev::bsim4::Inst g = instance("nmos", {{"agidl", 3e-4}, {"cjs", 1e-3}}, {{"ad", 1e-12}, {"as", 1e-12}});
  EXPECT_DOUBLE_EQ(g.agisl, 3e-4);
  EXPECT_NEAR(g.jd.cz[0], 1e-15, 1e-24);
  EXPECT_NEAR(g.js.cz[0], 1e-15, 1e-24);
  // AIGSD sets both sides unless a side is given
  const dev::bsim4::Inst a = instance("nmos", {{"aigsd", 0.02}}, {});
  EXPECT_DOUBLE_EQ(a.aigs, 0.02);
  EXPECT_DOUBLE_EQ(a.aigd, 0.02);
  const dev::bsim4::Inst a2 = instance("nmos", {{"aigs", 0.03}}, {});
  EXPECT_DOUBLE_EQ(a2.aigs, 0.03);
  EXPECT_DOUBLE_EQ(a2.aigd, 1.36e-2);
  // overlaps from XJ (no DLC): 0.6 XJ Coxe per width, plus the fringe CF
  const dev::bsim4::Inst o = instance("nmos", {{"cf", 0.0}}, {{"w", 1e-6}, {"l", 1e-6}});
  EXPECT_NEAR(o.cgso, 0.6 * 1.5e-7 * o.coxe * o.weffCV, 1e-22);
  // without AS/PS the junction geometry comes from GEOMOD: an isolated
  // diffusion of width Weff and no area (DMCG 0): no saturation current
  EXPECT_DOUBLE_EQ(o.js.isat, 0.0);
  EXPECT_NEAR(o.js.cz[1], 5e-10 * o.weffCJ, 1e-22);
}

TEST(DeviceBsim4, BinningParametersScaleWithTheEffectiveSize) {
  const Params size = {{"l", 0.1e-6}, {"w", 2e-6}};
  const dev::bsim4::Inst p = instance("nmos", {{"vth0", 0.4}, {"lvth0", 0.01}, {"wvth0", 0.02}, {"pvth0", 0.003}}, size);
  const double lu = p.leff * 1e6, wu = p.weff * 1e6;
  EXPECT_NEAR(p.vth0, 0.4 + 0.01 / lu + 0.02 / wu + 0.003 / (lu * wu), 1e-12);
  // BINUNIT 0: sizes in metres
  const dev::bsim4::Inst q =
      instance("nmos", {{"vth0", 0.4}, {"lvth0", 1e-8}, {"binunit", 0}}, size);
  EXPECT_NEAR(q.vth0, 0.4 + 1e-8 / q.leff, 1e-12);
  // the size-dependent parameters follow the finger count: W is per finger
  const dev::bsim4::Inst f = instance("nmos", {}, {{"l", 0.1e-6}, {"w", 4e-6}, {"nf", 2}});
  const dev::bsim4::Inst s = instance("nmos", {}, {{"l", 0.1e-6}, {"w", 2e-6}});
  EXPECT_NEAR(f.weff, s.weff, 1e-15);
  EXPECT_NEAR(dev::bsim4::evaluate(f, 1.0, 1.0, 0, 0, false).id, 2.0 * dev::bsim4::evaluate(s, 1.0, 1.0, 0, 0, false).id,
              1e-12);
}

TEST(DeviceBsim4, ShapeOfTheModel) {
  const dev::bsim4::Inst p = instance("nmos", withGate(kCard), kSize);
  auto id = [&](double vgs, double vds, double vbs) { return dev::bsim4::evaluate(p, vgs, vds, vbs, 0.0, false).id; };
  // off below threshold (decades per 100 mV), on above, saturating in vds
  EXPECT_LT(id(0.0, 1.0, 0.0), 1e-6 * id(1.0, 1.0, 0.0));
  EXPECT_GT(id(0.2, 1.0, 0.0) / id(0.1, 1.0, 0.0), 3.0);
  EXPECT_GT(id(1.0, 0.1, 0.0), 0.0);
  EXPECT_GT(id(1.0, 1.0, 0.0), id(1.0, 0.5, 0.0));
  EXPECT_LT(id(1.0, 0.6, 0.0) - id(1.0, 0.5, 0.0), 0.2 * (id(1.0, 0.2, 0.0) - id(1.0, 0.1, 0.0)));
  // reverse body bias raises the threshold; DIBL lowers it
  const auto vth = [&](double vds, double vbs) { return dev::bsim4::evaluate(p, 0.5, vds, vbs, 0.0, false).vth; };
  EXPECT_GT(vth(0.05, -0.5), vth(0.05, 0.0));
  EXPECT_LT(vth(1.0, 0.0), vth(0.05, 0.0));
  // symmetric: swapping drain and source negates the channel current
  const double fwd = id(0.9, 0.6, -0.2);
  const double rev = dev::bsim4::evaluate(p, 0.9 - 0.6, -0.6, -0.2 - 0.6, 0.0, false).id;
  EXPECT_NEAR(rev, -fwd, 1e-9 * std::fabs(fwd));
  // gate tunnelling leaves the gate; GIDL flows from the drain at a low gate voltage
  const dev::bsim4::Point on = dev::bsim4::evaluate(p, 1.0, 0.05, 0.0, 0.0, false);
  EXPECT_GT(on.igs + on.igd, 0.0);
  EXPECT_GT(dev::bsim4::evaluate(p, -0.5, 1.2, 0.0, 0.0, false).igidl, 0.0);
  // charges: more gate charge above threshold; charge conserved by construction
  const dev::bsim4::Point a = dev::bsim4::evaluate(p, 1.0, 0.5, 0.0, 0.0, true);
  EXPECT_GT(a.qg, dev::bsim4::evaluate(p, 0.3, 0.5, 0.0, 0.0, true).qg);
}

TEST(DeviceBsim4, TemperatureLowersTheMobilityAndTheThreshold) {
  std::string why;
  const dev::bsim4::Inst cold = instance("nmos", kCard, kSize, nullptr, 300.15);
  const dev::bsim4::Inst hot = instance("nmos", kCard, kSize, nullptr, 400.15);
  EXPECT_NEAR(hot.u0temp, cold.u0temp * std::pow(400.15 / 300.15, -1.5), 1e-12);
  EXPECT_LT(dev::bsim4::evaluate(hot, 0.5, 0.1, 0, 0, false).vth, dev::bsim4::evaluate(cold, 0.5, 0.1, 0, 0, false).vth);
  EXPECT_LT(dev::bsim4::evaluate(hot, 1.0, 1.0, 0, 0, false).id, dev::bsim4::evaluate(cold, 1.0, 1.0, 0, 0, false).id);
}

Bench bsim4Bench(const std::string& type, Params mp, Params ip) {
  Bench b;
  mp.push_back({"level", 54});
  mp.push_back({"rsh", 10});
  b.setup.circ.models.push_back(model("b4", type, std::move(mp)));
  ip.push_back({"ad", 1e-13});
  ip.push_back({"as", 1e-13});
  ip.push_back({"pd", 2.2e-6});
  ip.push_back({"ps", 2.2e-6});
  ip.push_back({"nrd", 1});
  ip.push_back({"nrs", 1});
  b.setup.circ.devices.push_back(device("m1", {"d", "g", "s", "b"}, 0, std::move(ip)));
  b.status = b.build();
  return b;
}

void bsim4Fd(const std::string& type, double capmod, double xpart, Params extra = {}) {
  const double s = type == "pmos" ? -1 : 1;
  Params mp = withGate(kCard);
  mp.insert(mp.end(), extra.begin(), extra.end());
  for (auto& [k, v] : mp)
    if (k == "vth0") v *= s;
  mp.push_back({"capmod", capmod});
  mp.push_back({"xpart", xpart});
  Bench b = bsim4Bench(type, mp, kSize);
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const int d = b.node("d"), g = b.node("g"), src = b.node("s"), bk = b.node("b");
  const int di = b.node("m1#d"), si = b.node("m1#s");
  bool body = false;
  for (const auto& [k, v] : extra) body = body || (k == "rbodymod" && v == 1);
  const std::vector<std::array<double, 3>> bias = {{0.2, 1.0, 0.0},  {0.9, 0.05, 0.0}, {1.1, 1.1, -0.5},
                                                   {1.0, -0.6, 0.0}, {0.5, 1.0, -1.0}, {0.8, 0.4, 0.3},
                                                   {-0.4, 1.0, 0.0}};
  for (auto v : bias) {
    // CAPMOD 0 takes the body voltage of its charges from vbs below Vbseff = 0
    // (vbs = 0 within rounding) and from Vbseff above: the slope of the charges
    // jumps there (as ngspice's), and a difference across it is no reference
    if (capmod == 0 && v[2] == 0.0) v[2] = -0.02;
    const double vs = 0.1;
    std::map<int, double> at = {{g, s * (vs + v[0])}, {di, s * (vs + v[1])}, {d, s * (vs + v[1] + 0.001)},
                                {si, s * vs},       {src, s * (vs - 0.001)}, {bk, s * (vs + v[2])}};
    if (body) {  // the intrinsic body and the junctions' body sides a little apart from b
      at[b.node("m1#b")] = s * (vs + v[2] + 0.002);
      at[b.node("m1#db")] = s * (vs + v[2] - 0.003);
      at[b.node("m1#sb")] = s * (vs + v[2] + 0.001);
    }
    auto x = vec(b.n(), at);
    const std::string what = type + " capmod " + std::to_string(int(capmod)) + " vgs=" + std::to_string(v[0]) +
                             " vds=" + std::to_string(v[1]) + " vbs=" + std::to_string(v[2]);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::DcOp, 0, what), 1.0);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::Tran, 1e10, what + " (tran)"), 1.0);
  }
}

TEST(DeviceBsim4, NmosJacobianMatchesFiniteDifferences) { bsim4Fd("nmos", 2, 0); }
TEST(DeviceBsim4, PmosJacobianMatchesFiniteDifferences) { bsim4Fd("pmos", 2, 0.5); }
TEST(DeviceBsim4, BodyNetworkAndBiasDependentResistancesJacobianMatchesFiniteDifferences) {
  bsim4Fd("nmos", 2, 0, {{"rbodymod", 1}, {"rbpb", 50}, {"rbdb", 200}});
  bsim4Fd("pmos", 2, 0, {{"rdsmod", 1}, {"prwg", 0.3}, {"prwb", 0.1}, {"rgatemod", 1}, {"rshg", 20}});
  bsim4Fd("nmos", 1, 0.5, {{"rgatemod", 2}, {"rshg", 20}, {"xrcrg2", 3}});
  bsim4Fd("pmos", 2, 1, {{"rgatemod", 3}, {"rshg", 20}, {"cgdl", 2e-10}, {"cgsl", 2e-10}});
}
TEST(DeviceBsim4, ChargeModelsZeroAndOneJacobianMatchesFiniteDifferences) {
  bsim4Fd("nmos", 0, 1);
  bsim4Fd("nmos", 1, 0);
}

// ------------------------------------------- the Jacobian by forward-mode AD
//
// The device group takes its derivatives from one evaluation on semi::Fwd
// numbers. Each of the model's functions is checked here on its own: its
// values on Fwd are those of the double instantiation to the bit, and every
// partial agrees with a central difference of those values.
namespace {

// The magnitude of each quantity of f over the points (the largest of its
// group: a quantity formed as a difference of others, as qd = -(qg + qb + qs),
// carries their rounding error): it bounds the rounding error of the values,
// so of their differences (the floor of the comparison below).
template <int N, class F>
std::vector<double> magnitudes(const F& f, const std::vector<std::array<double, N>>& points,
                               const std::vector<int>& groups) {
  std::map<int, double> g;
  for (const auto& x : points) {
    const std::vector<double> v = f(x);
    for (std::size_t i = 0; i < v.size(); ++i) g[groups[i]] = std::max(g[groups[i]], std::fabs(v[i]));
  }
  std::vector<double> m;
  for (int k : groups) m.push_back(g[k]);
  return m;
}

// f(x) on Fwd<N> (x the seeds) against f on doubles: the same values, and
// partials that agree with central differences of the values.
template <int N, class F>
void expectExactPartials(const F& f, const std::array<double, N>& x, const std::vector<std::string>& names,
                         const std::vector<double>& scale, const std::string& what) {
  using Fw = dev::semi::Fwd<N>;
  std::array<Fw, N> xa;
  for (int k = 0; k < N; ++k) {
    xa[k] = Fw(x[k]);
    xa[k].d[k] = 1.0;
  }
  const std::vector<Fw> a = f(xa);
  const std::vector<double> v0 = f(x);
  ASSERT_EQ(a.size(), v0.size());
  ASSERT_EQ(a.size(), names.size());
  for (std::size_t i = 0; i < v0.size(); ++i) EXPECT_EQ(a[i].v, v0[i]) << names[i] << " value " << what;
  // steps from 1e-4 to 1e-7: where the model curves sharply (a softened
  // minimum, a mobility near its limit) only a small step is accurate, where
  // a value is a difference of large terms only a large one; a correct
  // partial agrees with one of them to 1e-5, a wrong one with none
  constexpr double kSteps[] = {1e-4, 1e-5, 1e-6, 1e-7};
  for (int k = 0; k < N; ++k) {
    std::vector<std::vector<double>> fd;
    for (double step : kSteps) {
      const double h = step * (1.0 + std::fabs(x[k]));
      std::array<double, N> up = x, dn = x;
      up[k] += h;
      dn[k] -= h;
      const std::vector<double> fu = f(up), fdn = f(dn);
      std::vector<double> d(v0.size());
      for (std::size_t i = 0; i < v0.size(); ++i) d[i] = (fu[i] - fdn[i]) / (2.0 * h);
      fd.push_back(d);
    }
    for (std::size_t i = 0; i < v0.size(); ++i) {
      bool agrees = false;
      for (std::size_t j = 0; j < fd.size(); ++j)
        agrees = agrees || std::fabs(a[i].d[k] - fd[j][i]) <= 1e-5 * std::fabs(fd[j][i]) + 1e-8 * scale[i] + 1e-30;
      EXPECT_TRUE(agrees) << "d" << names[i] << "/dv" << k << " " << what << ": AD " << a[i].d[k]
                          << ", differences " << fd[0][i] << " " << fd[1][i] << " " << fd[2][i] << " " << fd[3][i];
    }
  }
}

// The intrinsic model (evaluateT) at biases in every region: cutoff,
// accumulation, subthreshold, linear, saturation, reverse and forward body
// bias, reverse mode (vds < 0), for the selectors of `mp`. (Not at vbs = 0
// exactly: CAPMOD 0's charges change their body voltage there, Vbseff = 0,
// with a jump of their slope, as in ngspice.)
void expectModelPartials(const std::string& type, Params mp, const std::string& what) {
  mp.insert(mp.end(), kGate.begin(), kGate.end());
  const double s = type == "pmos" ? -1 : 1;
  for (auto& [k, v] : mp)
    if (k == "vth0") v *= s;
  const dev::bsim4::Inst p = instance(type, mp, kSize);
  const std::vector<std::string> names = {"id",   "isub", "igidl",  "igisl", "igs",     "igd",
                                          "igb",  "qgi",  "qdi",    "qbi",   "gcrg",    "vth",
                                          "vdsat", "vgsteff", "ueff", "qinv", "idovvds", "vdseff"};
  const std::vector<int> groups = {0, 1, 2, 3, 4, 4, 4, 5, 5, 5, 6, 7, 8, 9, 10, 11, 12, 13};
  auto f = [&](const auto& x) {
    using R = std::decay_t<decltype(x[0])>;
    const dev::bsim4::PointT<R> q = dev::bsim4::evaluateT<R>(p, x[0], x[1], x[2], true);
    return std::vector<R>{q.id,  q.isub, q.igidl, q.igisl, q.igs,  q.igd,  q.igb,     q.qgi,   q.qdi,
                          q.qbi, q.gcrg, q.vth,   q.vdsat, q.vgsteff, q.ueff, q.qinv, q.idovvds, q.vdseff};
  };
  const std::vector<std::array<double, 3>> bias = {
      {-0.3, 0.8, -0.1},  // cutoff
      {-1.0, 0.5, 0.1},   // accumulation
      {0.25, 0.8, -0.05}, // subthreshold
      {1.0, 0.05, 0.02},  // linear
      {1.0, 1.0, -0.02},  // saturation
      {0.8, 0.6, -0.7},   // reverse body bias
      {0.6, 0.3, 0.35},   // forward body bias
      {1.4, 0.35, -0.2},  // near vdsat
      {0.2, -0.7, -0.7},  // reverse mode (drain and source swapped), saturated
      {0.9, -0.05, 0.0},  // reverse mode, linear
      {-0.5, 1.2, -0.2}}; // GIDL
  std::vector<std::array<double, 3>> points;
  for (const auto& v : bias) points.push_back({s * v[0], s * v[1], s * v[2]});
  const std::vector<double> scale = magnitudes<3>(f, points, groups);
  for (const auto& v : bias) {
    const std::array<double, 3> x = {s * v[0], s * v[1], s * v[2]};
    expectExactPartials<3>(f, x, names, scale,
                           type + " " + what + " at vgs=" + std::to_string(v[0]) + " vds=" + std::to_string(v[1]) +
                               " vbs=" + std::to_string(v[2]));
  }
}

}  // namespace

TEST(DeviceBsim4Ad, ChargeModelsAndPartitions) {
  for (double capmod : {0, 1, 2})
    for (double xpart : {0.0, 0.4, 0.5, 1.0})
      expectModelPartials("nmos", {{"capmod", capmod}, {"xpart", xpart}},
                          "capmod " + std::to_string(int(capmod)) + " xpart " + std::to_string(xpart));
  expectModelPartials("nmos", {{"capmod", 2}, {"cvchargemod", 1}}, "cvchargemod 1");
  expectModelPartials("pmos", kCard, "45 nm card");
}

TEST(DeviceBsim4Ad, MobilityAndChannelSelectors) {
  for (double mobmod : {0, 1, 2, 3, 4, 5, 6})
    expectModelPartials("nmos", {{"mobmod", mobmod}, {"ud", 0.1}}, "mobmod " + std::to_string(int(mobmod)));
  Params card = kCard;
  expectModelPartials("nmos", card, "45 nm card");
  card.push_back({"lambda", 0.2});  // velocity overshoot
  card.push_back({"vtl", 2e5});     // source-end velocity limit
  card.push_back({"gidlmod", 1});
  card.push_back({"igcmod", 2});
  expectModelPartials("nmos", card, "overshoot, source-end limit, GIDLMOD 1, IGCMOD 2");
  expectModelPartials("nmos", {{"rdsmod", 1}, {"rgatemod", 2}, {"rshg", 20}, {"xrcrg2", 3}}, "rdsmod 1 rgatemod 2");
  expectModelPartials("pmos", {{"rgatemod", 3}, {"rshg", 20}, {"pigcd", 2.0}}, "rgatemod 3");
  expectModelPartials("nmos", {{"tempmod", 2}, {"dvtp0", 1e-7}, {"dvtp4", 0.3}, {"dvtp2", 0.01}}, "pocket, DITS");
}

TEST(DeviceBsim4Ad, JunctionsOverlapsAndBiasResistance) {
  // junctions of every DIOMOD, with trap-assisted tunnelling and breakdown
  const Params area = {{"l", 45e-9}, {"w", 1e-6}, {"as", 1e-13}, {"ad", 1e-13}, {"ps", 2.2e-6}, {"pd", 2.2e-6}};
  for (double diomod : {0, 1, 2}) {
    const dev::bsim4::Inst p =
        instance("nmos",
                 {{"diomod", diomod}, {"cjs", 1e-3}, {"cjsws", 1e-10}, {"cjswgs", 2e-10}, {"mjs", 0.4},
                  {"mjsws", 0.5}, {"jss", 1e-4}, {"jsws", 1e-10}, {"jtss", 1e-6}, {"jtssws", 1e-12},
                  {"vtss", 5}, {"bvs", 2.5}, {"ijthsfwd", 1e-5}, {"ijthsrev", 1e-5}},
                 area);
    for (const dev::bsim4::Junction* j : {&p.js, &p.jd}) {
      auto f = [&](const auto& x) {
        using R = std::decay_t<decltype(x[0])>;
        const dev::bsim4::JunctionStateT<R> q = dev::bsim4::junction<R>(p, *j, x[0], 1e-12);
        return std::vector<R>{q.i, q.q};
      };
      const std::vector<std::array<double, 1>> points = {{-2.7}, {-1.5}, {-0.3}, {0.0}, {0.2}, {0.55}, {0.9}};
      const std::vector<double> scale = magnitudes<1>(f, points, {0, 1});
      for (const auto& x : points)
        expectExactPartials<1>(f, x, {"i", "q"}, scale,
                               "diomod " + std::to_string(int(diomod)) + " v=" + std::to_string(x[0]));
    }
  }
  // the overlaps (linear; bias-dependent with CGSL, CGDL)
  for (double capmod : {0, 2}) {
    const dev::bsim4::Inst p = instance("nmos", {{"capmod", capmod}, {"cgsl", 2e-10}, {"cgdl", 3e-10}}, kSize);
    auto f = [&](const auto& x) {
      using R = std::decay_t<decltype(x[0])>;
      const dev::bsim4::OverlapsT<R> o = dev::bsim4::overlaps<R>(p, x[0], x[1], x[2]);
      return std::vector<R>{o.qgs, o.qgd, o.qgb};
    };
    const std::vector<std::array<double, 3>> points = {{-1.0, -0.5, 0.2}, {0.1, -0.9, 0.5}, {1.0, 0.3, 1.4}};
    const std::vector<double> scale = magnitudes<3>(f, points, {0, 1, 2});
    for (const auto& x : points)
      expectExactPartials<3>(f, x, {"qgs", "qgd", "qgb"}, scale, "overlaps capmod " + std::to_string(int(capmod)));
  }
  // RDSMOD 1's bias-dependent resistances
  const dev::bsim4::Inst p = instance("nmos", {{"rdsmod", 1}, {"prwg", 0.3}, {"prwb", 0.1}, {"rsw", 100}, {"rdw", 120}},
                                      kSize);
  for (bool drain : {false, true}) {
    auto f = [&](const auto& x) {
      using R = std::decay_t<decltype(x[0])>;
      return std::vector<R>{dev::bsim4::biasResistance<R>(p, drain, x[0], x[1])};
    };
    const std::vector<std::array<double, 2>> points = {{-0.5, 0.0}, {0.4, -0.6}, {1.2, 0.3}};
    const std::vector<double> scale = magnitudes<2>(f, points, {0});
    for (const auto& x : points) expectExactPartials<2>(f, x, {"r"}, scale, drain ? "rd" : "rs");
  }
}

TEST(DeviceBsim4, UnsupportedSelectorsAreErrorsNamingTheParameter) {
  const std::vector<std::pair<Params, std::string>> cases = {
      {{{"rgatemod", 4}}, "RGATEMOD"}, {{{"rbodymod", 3}}, "RBODYMOD"},
      {{{"tempmod", 4}}, "TEMPMOD"},   {{{"trnqsmod", 1}}, "TRNQSMOD"},
      {{{"version", 5.0}}, "VERSION"},
      {{{"igcmod", 3}}, "IGCMOD"}};
  for (const auto& [mp, what] : cases) {
    Bench b = bsim4Bench("nmos", mp, kSize);
    ASSERT_FALSE(b.status.ok()) << what;
    EXPECT_TRUE(contains(b.status.error().message, what)) << b.status.error().message;
  }
  Bench nf = bsim4Bench("nmos", {}, {{"l", 45e-9}, {"w", 1e-6}, {"nf", 1.5}});
  ASSERT_FALSE(nf.status.ok());
  EXPECT_TRUE(contains(nf.status.error().message, "NF")) << nf.status.error().message;
}

TEST(DeviceBsim4, MaterialModelTakesEotTheSubstrateAndTheGateWorkFunction) {
  // MTRLMOD 1: the electrical oxide is EOT at SiO2's 3.9 (not TOXE at EPSROX), the substrate's
  // permittivity EPSRSUB, the gate's EPSRGATE; TOXP from EOT by the charge centroid (below EOT)
  const auto sz = std::vector<std::pair<std::string, double>>{{"l", 0.1e-6}, {"w", 1e-6}};
  const dev::bsim4::Inst si = instance("nmos", {{"toxe", 3e-9}, {"epsrox", 22}}, sz);
  const double eps0 = si.coxe * 3e-9 / 22;
  const dev::bsim4::Inst m = instance(
      "nmos", {{"mtrlmod", 1}, {"eot", 1.2e-9}, {"toxe", 3e-9}, {"epsrox", 22}, {"epsrsub", 12.9}, {"epsrgate", 0}}, sz);
  EXPECT_NEAR(m.coxe, 3.9 * eps0 / 1.2e-9, 1e-9 * m.coxe);
  EXPECT_NEAR(m.epssub, 12.9 * eps0, 1e-9 * m.epssub);
  EXPECT_EQ(m.epsgate, 0.0);
  EXPECT_GT(m.toxp, 0.5e-9);
  EXPECT_LT(m.toxp, 1.2e-9);
  EXPECT_NEAR(m.coxp, 3.9 * eps0 / m.toxp, 1e-9 * m.coxp);
  // MTRLCOMPATMOD 1: TOXP = EOT EPSROX / 3.9 - DTOX, at EPSROX
  const dev::bsim4::Inst c = instance(
      "nmos", {{"mtrlmod", 1}, {"mtrlcompatmod", 1}, {"eot", 1.2e-9}, {"epsrox", 22}, {"dtox", 0.3e-9}}, sz);
  EXPECT_NEAR(c.toxp, 22 / 3.9 * 1.2e-9 - 0.3e-9, 1e-18);
  EXPECT_NEAR(c.coxp, 22 * eps0 / c.toxp, 1e-9 * c.coxp);
  // without VTH0, the flat band is PHIG less the substrate's EASUB + Eg/2 + its Fermi level: a
  // work function 0.1 V higher raises the flat band and the threshold by 0.1 V
  const auto wf = [&](double phig) {
    return instance("nmos", {{"mtrlmod", 1}, {"phig", phig}, {"nsub", 6e17}, {"easub", 4.0}}, sz);
  };
  const dev::bsim4::Inst a = wf(4.1), b = wf(4.2);
  EXPECT_NEAR(b.vfb - a.vfb, 0.1, 1e-12);
  EXPECT_NEAR(b.vth0 - a.vth0, 0.1, 1e-12);
  // and with MTRLMOD 0 PHIG does nothing
  EXPECT_DOUBLE_EQ(instance("nmos", {{"phig", 4.1}, {"nsub", 6e17}}, sz).vth0,
                   instance("nmos", {{"phig", 4.2}, {"nsub", 6e17}}, sz).vth0);
}

TEST(DeviceBsim4, StressAndWellProximityShiftTheThreshold) {
  // the threshold moves by KVTH0 times the change of 1/(SA + L/2) + 1/(SB + L/2)
  // from the reference diffusion lengths SAREF, SBREF (no size dependence of KVTH0 here)
  const Params lod = {{"kvth0", 2e-8}, {"ku0", 4e-8}, {"saref", 1e-6}, {"sbref", 1e-6}};
  const double L = 0.1e-6;
  const dev::bsim4::Inst ref = instance("nmos", lod, {{"l", L}, {"w", 1e-6}});
  const dev::bsim4::Inst near = instance("nmos", lod, {{"l", L}, {"w", 1e-6}, {"sa", 0.2e-6}, {"sb", 0.3e-6}});
  const double odRef = 2.0 / (1e-6 + 0.5 * L), od = 1.0 / (0.2e-6 + 0.5 * L) + 1.0 / (0.3e-6 + 0.5 * L);
  EXPECT_NEAR(near.vth0 - ref.vth0, 2e-8 / std::sqrt(1.0 + 1e-9) * (od - odRef), 1e-9);
  // KU0 acts through KVSAT's velocity factor (as ngspice 39, whose mobility does not move)
  EXPECT_DOUBLE_EQ(near.u0temp, ref.u0temp);
  EXPECT_DOUBLE_EQ(near.vsattemp, ref.vsattemp);
  const Params lodv = {{"kvth0", 2e-8}, {"ku0", 4e-8}, {"kvsat", 0.5}};
  const double rho = 4e-8 / (1.0 + 1e-9), vs = instance("nmos", lodv, {{"l", L}, {"w", 1e-6}}).vsattemp;
  EXPECT_NEAR(instance("nmos", lodv, {{"l", L}, {"w", 1e-6}, {"sa", 0.2e-6}, {"sb", 0.3e-6}}).vsattemp,
              vs * (1.0 + 0.5 * rho * od) / (1.0 + 0.5 * rho * odRef), 1e-6 * vs);
  // SA alone does nothing (both are needed)
  EXPECT_DOUBLE_EQ(instance("nmos", lod, {{"l", L}, {"w", 1e-6}, {"sa", 0.2e-6}}).vth0, ref.vth0);
  // well proximity: the threshold moves by KVTH0WE times SCA (+ WEB SCB + WEC SCC)
  const Params wpe = {{"wpemod", 1}, {"kvth0we", 0.05}};
  const dev::bsim4::Inst w0 = instance("nmos", wpe, {{"l", L}, {"w", 1e-6}});
  const dev::bsim4::Inst w1 = instance("nmos", wpe, {{"l", L}, {"w", 1e-6}, {"sca", 2.0}});
  EXPECT_NEAR(w1.vth0 - w0.vth0, 0.1, 1e-12);
  // SC alone gives SCA = SCREF² / (SC (SC + W))
  const dev::bsim4::Inst w2 = instance("nmos", wpe, {{"l", L}, {"w", 1e-6}, {"sc", 1e-6}});
  EXPECT_NEAR(w2.vth0 - w0.vth0, 0.05 * 1e-12 / (1e-6 * 2e-6), 1e-12);
}

// ---------------------------------------------------------------- reader

TEST(DeviceBsim4Netlist, BinsAndVersions) {
  const ir::Circuit c = simcore::testutil::ok(
      "binned\n"
      ".model nch.1 nmos level=54 version=4.8.0 lmin=40n lmax=100n wmin=0.2u wmax=10u vth0=0.4\n"
      ".model nch.2 nmos level=54 version=4.8 lmin=100n lmax=10u wmin=0.2u wmax=10u vth0=0.5\n"
      "V1 d 0 1\n"
      "M1 d d 0 0 nch L=45n W=1u\n"
      "M2 d d 0 0 nch L=1u W=1u\n"
      "M3 d d 0 0 nch L=100n W=1u\n"
      ".op\n.end\n");
  auto bin = [&](const std::string& dev) {
    for (const auto& d : c.devices)
      if (d.name == dev) return c.models[std::size_t(d.model)].name;
    return std::string();
  };
  EXPECT_EQ(bin("m1"), "nch.1");
  EXPECT_EQ(bin("m2"), "nch.2");
  EXPECT_EQ(bin("m3"), "nch.1");  // on the shared boundary: the bin defined first
  EXPECT_TRUE(c.warnings.empty());
  for (const ir::Param& p : c.models[0].params)
    if (p.name == "version") EXPECT_DOUBLE_EQ(p.value, 4.8);
  // 4.7 is computed with the 4.8 equations, with a warning; 4.6.5 computes as 4.8 (ngspice's
  // bsim4v6 does for a card without IGCMOD): no warning
  const ir::Circuit old = simcore::testutil::ok(
      "old\n.model n1 nmos level=14 version=4.7 vth0=0.4\nV1 d 0 1\nM1 d d 0 0 n1\n.op\n.end\n");
  ASSERT_EQ(old.warnings.size(), 1u);
  EXPECT_TRUE(contains(old.warnings[0].message, "BSIM4.8")) << old.warnings[0].message;
  const ir::Circuit v46 = simcore::testutil::ok(
      "old\n.model n1 nmos level=14 version=4.6.5 vth0=0.4\nV1 d 0 1\nM1 d d 0 0 n1\n.op\n.end\n");
  EXPECT_TRUE(v46.warnings.empty());
}

}  // namespace
