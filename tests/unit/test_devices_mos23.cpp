// Unit tests of the MOSFET levels 2 and 3 (mos2.cpp, mos3.cpp): their drain
// current is evaluated once on forward-mode numbers (mos_fwd.hpp), so gm, gds
// and gmbs must be the derivatives of the current computed. The device's DC
// Jacobian against central differences of its residual at biases in every
// region (each bias checked to be in the region it names by the instance's
// von and vdsat), for the model cards' branches: NSUB-derived length
// modulation, VMAX (MOS2: Baum's quartic; MOS3: velocity saturation), NFS weak
// inversion, mobility degradation, short-channel XJ, punch-through, ALPHA = 0,
// nmos and pmos. Agreement with ngspice 39: tests/compat/mos2_*.cir, mos3_*.cir.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "device_bench.hpp"

using namespace simcore;
using namespace simcore::devbench;

namespace {

using Params = std::vector<std::pair<std::string, double>>;

Bench mBench(const std::string& type, Params mp, Params ip) {
  Bench b;
  b.setup.circ.models.push_back(model("mm", type, std::move(mp)));
  ip.insert(ip.end(), {{"ad", 20e-12}, {"as", 20e-12}, {"pd", 24e-6}, {"ps", 24e-6}});
  b.setup.circ.devices.push_back(device("m1", {"d", "g", "s", "b"}, 0, std::move(ip)));
  b.status = b.build();
  return b;
}

// The card with parameter `key` set to v (replaced or appended).
Params with(Params mp, const std::string& key, double v) {
  for (auto& [k, x] : mp)
    if (k == key) {
      x = v;
      return mp;
    }
  mp.push_back({key, v});
  return mp;
}

enum class Region { Cutoff, Weak, Linear, Saturation, VdsZero };
const char* name(Region r) {
  switch (r) {
    case Region::Cutoff: return "cutoff";
    case Region::Weak: return "weak inversion";
    case Region::Linear: return "linear";
    case Region::Saturation: return "saturation";
    default: return "vds = 0";
  }
}

// Terminal voltages of an nmos (a pmos gets them negated) and the region they are in.
struct Bias {
  double vd, vg, vs, vb;
  Region region;
};

// The biases every card is checked at (those in regions the card has):
// forward and reverse mode, bulk junctions reverse and forward biased.
const std::vector<Bias> kBiases = {
    {2.0, 0.0, 0.0, -1.0, Region::Cutoff},     {2.0, 0.45, 0.0, 0.0, Region::Weak},
    {1.5, 0.6, 0.1, -0.5, Region::Weak},       {0.3, 3.0, 0.0, -1.0, Region::Linear},
    {0.2, 2.5, 0.0, 0.3, Region::Linear},      {0.1, 2.0, 0.0, 0.35, Region::Linear},
    {4.0, 1.8, 0.0, -0.5, Region::Saturation}, {3.0, 2.0, 0.0, 0.3, Region::Saturation},
    {5.0, 1.4, 0.0, -2.0, Region::Saturation}, {0.0, 1.5, 3.0, -0.5, Region::Saturation},
    {0.0, 3.0, 0.3, 0.0, Region::Linear},      {1.0, 3.0, 1.0, 0.0, Region::VdsZero},
};

// The DC Jacobian of one M against finite differences at the biases of
// `regions`; each bias must be in its region. vbShift moves every bulk
// voltage (MOS2 with NFS has a kink at vbs = 0: the slope of its
// linearised sqrt(phi - vbs) for vbs > 0 has another curvature, which ngspice
// differentiates on the vbs <= 0 side, and central differences cannot agree).
void mosFd(int level, const std::string& type, Params mp, Params ip, std::vector<Region> regions,
           const std::string& card, double vbShift = 0.0) {
  mp.push_back({"level", double(level)});
  const double s = type == "pmos" ? -1 : 1;
  for (auto& [k, v] : mp)
    if (k == "vto") v *= s;  // the cards are written for nmos
  Bench b = mBench(type, mp, ip);
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const int von = b.group->quantityId(0, "von"), vdsat = b.group->quantityId(0, "vdsat"), gds = b.group->quantityId(0, "gds");
  for (const Bias& p : kBiases) {
    if (std::find(regions.begin(), regions.end(), p.region) == regions.end()) continue;
    const auto x = vec(b.n(), {{b.node("d"), s * p.vd}, {b.node("g"), s * p.vg}, {b.node("s"), s * p.vs},
                               {b.node("b"), s * (p.vb + vbShift)}});
    const std::string what = card + " " + type + " " + name(p.region) + " vd=" + std::to_string(p.vd) +
                             " vg=" + std::to_string(p.vg) + " vs=" + std::to_string(p.vs) + " vb=" + std::to_string(p.vb + vbShift);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::DcOp, 0, what), 1.0);
    residual(b, x, dev::AnalysisMode::DcOp, 0);  // the channel at x itself
    const double vsrc = std::min(p.vd, p.vs), vgs = p.vg - vsrc, vds = std::fabs(p.vd - p.vs);
    const double vonL = s * b.group->quantity(0, von, {}), vdsatL = s * b.group->quantity(0, vdsat, {});
    const double id = b.f[b.node("d")];
    switch (p.region) {
      case Region::Cutoff: EXPECT_LT(std::fabs(id), 1e-9) << what; break;
      case Region::Weak: EXPECT_LT(vgs, vonL) << what; break;
      case Region::Linear: EXPECT_GT(vgs, vonL) << what; EXPECT_LT(vds, vdsatL) << what; break;
      case Region::Saturation: EXPECT_GT(vgs, vonL) << what; EXPECT_GT(vds, vdsatL) << what; break;
      case Region::VdsZero: EXPECT_GT(b.group->quantity(0, gds, {}), 1e-5) << what; break;
    }
  }
}

const std::vector<Region> kAll = {Region::Cutoff, Region::Weak, Region::Linear, Region::Saturation,
                                  Region::VdsZero};
const std::vector<Region> kStrong = {Region::Cutoff, Region::Linear, Region::Saturation, Region::VdsZero};

// Level 2: NSUB, UCRIT/UEXP, DELTA, length modulation from NSUB. Without XJ, NFS and VMAX
// ngspice's hand-written derivatives are exact (with them its slopes are its own, copied:
// DeviceMos2.SlopesAsNgspice)
const Params kMos2 = {{"vto", 0.7},   {"kp", 5e-5},  {"gamma", 0.5}, {"phi", 0.65}, {"nsub", 1e16},
                      {"ld", 0.2e-6}, {"ucrit", 1e4}, {"uexp", 0.2},
                      {"delta", 0.5}, {"tox", 4e-8}, {"cj", 2e-4},   {"cjsw", 1e-9}, {"js", 1e-4}};

TEST(DeviceMos2, JacobianInEveryRegionMatchesFiniteDifferences) {
  // (vds = 0: with NSUB and no LAMBDA ngspice's length modulation jumps between vds = 0 and 0+)
  const std::vector<Region> noZero = {Region::Cutoff, Region::Weak, Region::Linear, Region::Saturation};
  for (const char* type : {"nmos", "pmos"}) {
    mosFd(2, type, kMos2, {{"w", 10e-6}, {"l", 2e-6}}, noZero, "nsub", -0.05);
    mosFd(2, type, with(kMos2, "lambda", 0.03), {{"w", 10e-6}, {"l", 2e-6}}, kAll, "lambda", -0.05);
  }
  // no NSUB, no NFS: a real cutoff, Grove-Frohman saturation with LAMBDA
  mosFd(2, "nmos", {{"vto", 0.8}, {"kp", 4e-5}, {"gamma", 0.4}, {"lambda", 0.02}, {"tox", 5e-8}},
        {{"w", 20e-6}, {"l", 4e-6}}, kStrong, "plain");
  // punch-through: a short channel on light doping
  mosFd(2, "nmos", {{"vto", 0.7}, {"kp", 5e-5}, {"nsub", 1e15}, {"ld", 0.2e-6}, {"tox", 4e-8}},
        {{"w", 10e-6}, {"l", 1.5e-6}}, {Region::Linear, Region::Saturation}, "punch-through");
}

// gm, gds and gmbs of one device of a card at a bias, against the values ngspice 39 prints
// (relative tolerances tolGm, tolGds, tolBs)
struct SlopeCase {
  const char* type;
  Params card, inst;
  double vd, vg, vb, gm, gds, gmbs;
};
void expectSlopes(int level, std::span<const SlopeCase> cases, double tolGm, double tolGds, double tolBs) {
  for (const SlopeCase& k : cases) {
    Params card = k.card;
    card.push_back({"level", double(level)});
    Bench b = mBench(k.type, card, k.inst);
    ASSERT_TRUE(b.status.ok()) << b.status.error().message;
    residual(b, vec(b.n(), {{b.node("d"), k.vd}, {b.node("g"), k.vg}, {b.node("s"), 0.0}, {b.node("b"), k.vb}}),
             dev::AnalysisMode::DcOp, 0);
    auto q = [&](const char* n) { return b.group->quantity(0, b.group->quantityId(0, n), {}); };
    const std::string what = std::string(k.type) + " level " + std::to_string(level) + " vd=" + std::to_string(k.vd) +
                             " vg=" + std::to_string(k.vg);
    EXPECT_NEAR(q("gm"), k.gm, tolGm * k.gm) << what;
    EXPECT_NEAR(q("gds"), k.gds, tolGds * k.gds) << what;
    EXPECT_NEAR(q("gmbs"), k.gmbs, tolBs * k.gmbs) << what;
  }
}

// ngspice's mos2load takes its own slopes, copied so that @m quantities and .ac gains are
// ngspice's: with XJ (the body factor, so von and vdsat, depend on vds) gds leaves out vdsat's
// and the degraded mobility's vds slopes (dudvds = 0); with VMAX vdsat's slopes are its implicit
// derivative with the mobility fixed (dsdvgs, dsdvbs; also where Baum's quartic has no root),
// and below vdsat the shortening's slopes are those of its unclamped form; with NFS von's slope
// through xn is its dxndvb, dxndvd (with its own second derivatives), and below von the slopes
// are its weak-inversion formulas. gm, gds, gmbs here are ngspice 39's for these cards and
// biases, printed by it. The current is the same either way.
TEST(DeviceMos2, SlopesAsNgspice) {
  const Params a = {{"vto", 0.829}, {"uo", 605.2}, {"tox", 3.75e-8}, {"nsub", 2.788e16}, {"xj", 4.752e-7},
                    {"ld", 1.356e-7}, {"delta", 1.621}, {"vmax", 61220}, {"nfs", 7.107e12}, {"ucrit", 164400},
                    {"uexp", 0.3855}, {"neff", 0.6787}, {"tpg", 1}};
  const Params a0 = {{"vto", 0.829}, {"uo", 605.2}, {"tox", 3.75e-8}, {"nsub", 2.788e16}, {"xj", 4.752e-7},
                     {"ld", 1.356e-7}, {"delta", 1.621}, {"vmax", 61220}, {"nfs", 7.107e12}, {"uexp", 0.3855},
                     {"neff", 0.6787}, {"tpg", 1}};
  const Params pb = {{"vto", -0.844}, {"uo", 199.5}, {"tox", 3.75e-8}, {"nsub", 4.371e15}, {"xj", 3.05e-7},
                     {"ld", 1.033e-7}, {"delta", 1.35}, {"vmax", 235900}, {"nfs", 8.289e11}, {"ucrit", 116400},
                     {"uexp", 0.1855}, {"neff", 0.6639}, {"tpg", -1}};
  const Params c = {{"vto", 0.7}, {"kp", 5e-5}, {"gamma", 0.5}, {"nsub", 1e16}, {"xj", 0.3e-6}, {"ld", 0.2e-6},
                    {"nfs", 1e11}, {"ucrit", 1e4}, {"uexp", 0.2}, {"delta", 0.5}, {"tox", 4e-8}};
  const Params w20l4 = {{"w", 20e-6}, {"l", 4e-6}}, w10l2 = {{"w", 10e-6}, {"l", 2e-6}};
  const SlopeCase cases[] = {
      {"nmos", a0, {{"w", 150e-6}, {"l", 5e-6}}, 3.0, 1.5, 0.0, 3.575354e-04, 5.912610e-06, 1.573292e-04},
      {"nmos", a, w20l4, 3.0, 1.8, -0.5, 1.823447e-04, 2.671832e-06, 7.039121e-05},   // saturation, VMAX
      {"nmos", a, w20l4, 0.3, 1.8, -0.5, 8.156093e-05, 1.144899e-04, 3.315337e-05},   // linear, VMAX
      {"pmos", pb, w20l4, -3.0, -2.0, 0.0, 1.007775e-04, 1.615610e-06, 1.700134e-05},
      {"nmos", c, w10l2, 3.0, 1.8, -0.5, 2.333804e-04, 8.378127e-06, 3.031111e-05},   // no VMAX
      {"nmos", c, w10l2, 0.3, 1.8, -0.5, 6.188735e-05, 1.848169e-04, 9.373637e-06},
      {"nmos", a, w20l4, 3.0, 0.75, 0.0, 1.409447e-05, 2.831613e-07, 6.941662e-06},   // weak inversion
      {"nmos", c, w10l2, 3.0, 0.75, -0.5, 6.631121e-06, 1.335698e-07, 1.042424e-06},  // weak, no VMAX
  };
  expectSlopes(2, cases, 2e-6, 2e-6, 2e-6);
  // the first card's drain current and its exact slope in vds (finite differences), not gds
  Params card = a0;
  card.push_back({"level", 2});
  Bench b = mBench("nmos", card, {{"w", 150e-6}, {"l", 5e-6}});
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  auto idAt = [&](double vd) {
    residual(b, vec(b.n(), {{b.node("d"), vd}, {b.node("g"), 1.5}, {b.node("s"), 0.0}, {b.node("b"), 0.0}}),
             dev::AnalysisMode::DcOp, 0);
    return b.f[b.node("d")];
  };
  EXPECT_NEAR(idAt(3.0), 2.062236e-4, 1e-9);  // ngspice 39: 2.062236e-04
  EXPECT_NEAR((idAt(3.001) - idAt(2.999)) / 0.002, 5.2433e-6, 1e-9);
}

// Without NFS, between vbin and von (an off device with a large body bias:
// m7 of ngspice's tests/general/mosamp.cir at 0.22 us) vdsat is clamped to 0
// and the current is 0. ngspice's mos2load keeps the unclamped vdsat's slope
// in gm and gmbs there (-3.95 mS and -0.169 mS at this bias), which fails its
// transient Newton on longer steps; simcore's are the derivatives: 0.
TEST(DeviceMos2, OffBetweenVbinAndVonHasNoTransconductance) {
  Bench b = mBench("nmos",
                   {{"level", 2}, {"nsub", 2.2e15}, {"uo", 575}, {"ucrit", 49e3}, {"uexp", 0.1}, {"tox", 0.11e-6},
                    {"xj", 2.95e-6}, {"cbd", 4.5e-15}, {"cbs", 4.5e-15}, {"ld", 2.4485e-6}, {"nss", 3.2e10},
                    {"kp", 2e-5}, {"phi", 0.6}},
                   {{"w", 482.6e-6}, {"l", 12.7e-6}});
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const auto x = vec(b.n(), {{b.node("d"), 9.5152367}, {b.node("g"), -0.3996329}, {b.node("s"), 0.0},
                             {b.node("b"), -22.2878654}});
  EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::DcOp, 0, "mosamp m7"), 1.0);
  residual(b, x, dev::AnalysisMode::DcOp, 0);
  auto q = [&](const char* n) { return b.group->quantity(0, b.group->quantityId(0, n), {}); };
  EXPECT_NEAR(q("von"), 2.2519, 1e-3);  // ngspice 39: 2.251907
  EXPECT_LT(-0.3996329, q("von"));
  EXPECT_EQ(q("vdsat"), 0.0);
  EXPECT_EQ(q("gm"), 0.0);
  EXPECT_EQ(q("gmbs"), 0.0);
  EXPECT_EQ(q("gds"), 0.0);
  // the drain current is the bulk-drain junction's reverse current and gmin's alone
  EXPECT_LT(std::fabs(b.f[b.node("d")]), 1e-10);
}

// Level 3: NSUB (ALPHA, XD), XJ, THETA, ETA, KAPPA, DELTA, NFS
const Params kMos3 = {{"vto", 0.7},   {"kp", 5e-5},   {"gamma", 0.5}, {"phi", 0.7},   {"nsub", 1e16},
                      {"xj", 0.3e-6}, {"ld", 0.1e-6}, {"theta", 0.06}, {"eta", 0.1},  {"kappa", 0.4},
                      {"delta", 0.4}, {"nfs", 1e11},  {"tox", 3e-8},  {"cj", 2e-4},   {"cjsw", 1e-9}, {"js", 1e-4}};

// The slopes are the current's where ngspice's mos3load takes exact ones: without the channel
// shortening (no NSUB: ALPHA = 0) and without VMAX (past vdsat ngspice holds vdsx = vdsat)
TEST(DeviceMos3, JacobianWithoutLengthModulationMatchesFiniteDifferences) {
  Params noNsub;
  for (const auto& kv : kMos3)
    if (kv.first != "nsub") noNsub.push_back(kv);
  for (const char* type : {"nmos", "pmos"}) mosFd(3, type, noNsub, {{"w", 10e-6}, {"l", 2e-6}}, kAll, "nfs");
  // no NFS either: a real cutoff
  mosFd(3, "nmos", {{"vto", 0.8}, {"kp", 4e-5}, {"gamma", 0.4}, {"theta", 0.05}, {"eta", 0.05}, {"tox", 5e-8}},
        {{"w", 20e-6}, {"l", 4e-6}}, kStrong, "alpha=0");
}

// With the channel shortening (KAPPA with NSUB's ALPHA, or VMAX's field form) ngspice's slopes
// are its own: the partials with vdsat held fixed, plus the shortening's partial in vdsat taken
// as its ddldvd times vdsat's slopes (simcore's exact slopes were up to 8 % off: a level-3
// amplifier's .ac gain with them). gm, gds, gmbs here are ngspice 39's, printed by it for these
// cards and biases (the drain current is the same either way).
TEST(DeviceMos3, SlopesAsNgspiceWithLengthModulation) {
  const Params a = {{"vto", 0.7}, {"kp", 5e-5}, {"gamma", 0.5}, {"nsub", 1e16}, {"xj", 0.3e-6}, {"ld", 0.2e-6},
                    {"uo", 600}, {"theta", 0.1}, {"eta", 0.05}, {"kappa", 0.2}, {"delta", 0.5}, {"tox", 4e-8}};
  const Params pb = {{"vto", -0.8}, {"kp", 2e-5}, {"gamma", 0.6}, {"nsub", 5e15}, {"xj", 0.2e-6}, {"ld", 0.1e-6},
                     {"uo", 250}, {"theta", 0.05}, {"eta", 0.1}, {"kappa", 1}, {"vmax", 2e5}, {"tox", 3e-8}};
  const Params c = {{"vto", 0.5}, {"kp", 8e-5}, {"gamma", 0.4}, {"nsub", 1e15}, {"ld", 0.3e-6},
                    {"uo", 500}, {"theta", 0.2}, {"kappa", 3}, {"tox", 5e-8}};
  const Params w10l2 = {{"w", 10e-6}, {"l", 2e-6}}, w20l1 = {{"w", 20e-6}, {"l", 1e-6}}, w10l12 = {{"w", 10e-6}, {"l", 1.2e-6}};
  const SlopeCase cases[] = {
      {"nmos", a, w10l2, 3.0, 1.8, -0.5, 2.992567e-04, 1.037735e-05, 4.750485e-05},    // saturation, KAPPA
      {"nmos", a, w10l2, 0.3, 1.8, -0.5, 7.786691e-05, 2.024243e-04, 1.357016e-05},    // linear, KAPPA
      {"pmos", pb, w20l1, -3.0, -1.8, 0.0, 4.792114e-04, 7.625532e-05, 5.828892e-05},  // VMAX's field form
      {"nmos", c, w10l12, 3.0, 1.8, -0.5, 1.695283e-02, 3.181635e-03, 2.876466e-03},   // punch-through
      {"nmos", c, w10l12, 0.3, 1.8, 0.0, 2.372710e-04, 1.050295e-03, 6.031253e-05},
  };
  expectSlopes(3, cases, 2e-6, 2e-6, 2e-6);
}

}  // namespace
