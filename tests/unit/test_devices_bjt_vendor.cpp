// Unit tests of the BJT parameters of vendor models (issue 12, item 1): the
// substrate diode ISS/NS and SUBS (a pnp is lateral by default, as in
// ngspice), NKF, ISE/ISC as multiples of IS, IBE/IBC, Kull's quasi-saturation
// (RCO VO GAMMA QCO), the excess phase PTF (a delay in AC, Weil's filter in a
// transient) and the T*1/T*2 temperature coefficients. Agreement with
// ngspice 39: tests/compat/misc_bjt_*.cir.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <string>
#include <vector>

#include "device_bench.hpp"
#include "test_kernel_support.cpp"
#include "netlist_test_util.hpp"

using namespace simcore;
using namespace simcore::devbench;
using simcore::testing::Collected;
using simcore::testing::runOk;

namespace {

using Params = std::vector<std::pair<std::string, double>>;

Bench qBench(const std::string& type, Params mp, Params ip = {}) {
  Bench b;
  b.setup.circ.models.push_back(model("qm", type, std::move(mp)));
  b.setup.circ.devices.push_back(device("q1", {"c", "b", "e", "s"}, 0, std::move(ip)));
  b.status = b.build();
  return b;
}

const Params kVendor = {
    {"is", 2e-15}, {"bf", 150},   {"br", 4},     {"nf", 1.0},   {"nr", 1.01},   {"vaf", 80},    {"var", 15},
    {"ikf", 0.3},  {"ikr", 0.05}, {"nkf", 0.7},  {"ise", 3e-14}, {"ne", 1.6},   {"isc", 1e-13}, {"nc", 1.7},
    {"rb", 2},     {"rbm", 0.5},  {"irb", 1e-3}, {"rc", 0.1},   {"re", 0.05},   {"cje", 2e-11}, {"mje", 0.35},
    {"cjc", 8e-12}, {"mjc", 0.4}, {"xcjc", 0.8}, {"tf", 4e-10}, {"xtf", 2},     {"vtf", 5},     {"itf", 0.4},
    {"tr", 2e-8},  {"cjs", 3e-12}, {"mjs", 0.3}, {"iss", 1e-14}, {"ns", 1.05}, {"rco", 2},      {"vo", 3},
    {"gamma", 1e-9}, {"qco", 2e-11}};

// Bias points (vbe, vce, v(cx) - v(c')) of the intrinsic device; the substrate
// one volt below the emitter.
struct Bias {
  double vbe, vce, vrci;
};
const std::vector<Bias> kBias = {
    {0.70, 3.0, 0.05},   // forward active, epi current forward
    {0.85, 5.0, 0.4},    // high injection
    {0.78, 0.3, 0.2},    // quasi-saturation: vbc > 0 inside the epi layer
    {0.75, 0.1, -0.02},  // saturation, epi current reversed
    {-0.5, 2.0, 0.01},   // cutoff
    {0.1, -0.65, -0.1},  // reverse active
};

void vendorFd(const std::string& type, Params mp) {
  Bench b = qBench(type, std::move(mp));
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  ASSERT_EQ(b.n(), 8);
  const double s = type == "pnp" ? -1 : 1;
  const int c = b.node("c"), bb = b.node("b"), e = b.node("e"), sub = b.node("s");
  const int cx = b.node("q1#c"), ci = b.node("q1#ci"), bi = b.node("q1#b"), ei = b.node("q1#e");
  for (const Bias& p : kBias) {
    auto x = vec(b.n(), {{bb, s * (p.vbe + 0.002)}, {bi, s * p.vbe}, {e, s * -0.001}, {ei, 0.0},
                         {c, s * (p.vce + p.vrci + 0.003)}, {cx, s * (p.vce + p.vrci)}, {ci, s * p.vce},
                         {sub, s * -1.0}});
    const std::string what = type + " vbe=" + std::to_string(p.vbe) + " vce=" + std::to_string(p.vce);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::DcOp, 0, what), 1.0);
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::Tran, 1e10, what + " tran"), 1.0);
  }
}

TEST(BjtVendor, NpnJacobianMatchesFiniteDifferences) { vendorFd("npn", kVendor); }
TEST(BjtVendor, LateralPnpJacobianMatchesFiniteDifferences) { vendorFd("pnp", kVendor); }
TEST(BjtVendor, VerticalPnpJacobianMatchesFiniteDifferences) {
  auto mp = kVendor;
  mp.push_back({"subs", 1});
  vendorFd("pnp", mp);
}

// Current of the substrate diode (and nothing else) with every other terminal at 0 V.
struct SubstrateCase {
  std::string type;
  double subs;        // 0: the default
  std::string node;   // the node forward-biasing the diode by 0.5 V
  std::string other;  // the node the current leaves by
};

TEST(BjtVendor, SubstrateDiodeSitsAtTheCollectorOrTheBaseBySubs) {
  const double iss = 1e-14, vt = 1.38064852e-23 / 1.6021766208e-19 * 300.15;  // kT/q at 27 degC, as ngspice
  const std::vector<SubstrateCase> cases = {
      {"npn", 0, "s", "c"},   // vertical npn: p substrate, n collector
      {"pnp", 0, "s", "b"},   // lateral pnp (the default): p substrate... n base
      {"pnp", 1, "c", "s"},   // vertical pnp: n substrate, p collector
      {"npn", -1, "b", "s"},  // lateral npn: n substrate, p base
  };
  for (const auto& k : cases) {
    Params mp = {{"is", 1e-30}, {"iss", iss}, {"ns", 1}};
    if (k.subs != 0) mp.push_back({"subs", k.subs});
    Bench b = qBench(k.type, mp);
    ASSERT_TRUE(b.status.ok()) << b.status.error().message;
    auto x = vec(b.n(), {{b.node(k.node), 0.5}});
    const auto f = residual(b, x, dev::AnalysisMode::DcOp, 0);
    const double isub = iss * (std::exp(0.5 / vt) - 1.0);
    const std::string what = k.type + " subs=" + std::to_string(k.subs);
    EXPECT_NEAR(f[b.node(k.node)], isub, 1e-6 * isub) << what;
    EXPECT_NEAR(f[b.node(k.other)], -isub, 1e-6 * isub) << what;
  }
}

TEST(BjtVendor, NkfIsTheExponentOfTheHighInjectionTerm) {
  const double is = 1e-15, ikf = 1e-3, nkf = 0.8, vbe = 0.75, vt = 1.38064852e-23 / 1.6021766208e-19 * 300.15;
  Bench b = qBench("npn", {{"is", is}, {"bf", 100}, {"ikf", ikf}, {"nkf", nkf}});
  ASSERT_TRUE(b.status.ok());
  const auto f = residual(b, vec(b.n(), {{b.node("b"), vbe}, {b.node("c"), vbe}}), dev::AnalysisMode::DcOp, 0);
  const double ibf = is * (std::exp(vbe / vt) - 1.0);
  const double qb = (1.0 + std::pow(1.0 + 4.0 * ibf / ikf, nkf)) / 2.0;
  EXPECT_NEAR(f[b.node("c")], ibf / qb + 1e-12 * vbe, 1e-9 * ibf / qb);  // gmin to the substrate
  // above 1 it is limited to 1, as ngspice
  Bench b1 = qBench("npn", {{"is", is}, {"bf", 100}, {"ikf", ikf}, {"nkf", 3}});
  const auto f1 = residual(b1, vec(b1.n(), {{b1.node("b"), vbe}, {b1.node("c"), vbe}}), dev::AnalysisMode::DcOp, 0);
  EXPECT_NEAR(f1[b1.node("c")], ibf / ((1.0 + 1.0 + 4.0 * ibf / ikf) / 2.0), 1e-9 * ibf);
}

TEST(BjtVendor, LeakageAbove1e4IsAMultipleOfIs) {
  // ngspice: ISE or ISC > 1e-4 means ISE*IS
  Bench a = qBench("npn", {{"is", 2e-15}, {"ise", 50}, {"isc", 20}});
  Bench b = qBench("npn", {{"is", 2e-15}, {"ise", 1e-13}, {"isc", 4e-14}});
  ASSERT_TRUE(a.status.ok() && b.status.ok());
  auto x = vec(a.n(), {{a.node("b"), 0.6}, {a.node("c"), -0.2}});
  const auto fa = residual(a, x, dev::AnalysisMode::DcOp, 0);
  const auto fb = residual(b, x, dev::AnalysisMode::DcOp, 0);
  for (int u = 1; u <= a.n(); ++u) EXPECT_NEAR(fa[u], fb[u], 1e-12 * std::fabs(fb[u]) + 1e-24);
}

TEST(BjtVendor, IbeAndIbcReplaceIsInTheTransportCurrent) {
  const double vt = 1.38064852e-23 / 1.6021766208e-19 * 300.15, vbe = 0.7;
  Bench b = qBench("npn", {{"is", 1e-15}, {"ibe", 3e-15}, {"ibc", 5e-15}, {"bf", 50}, {"br", 2}});
  ASSERT_TRUE(b.status.ok());
  // vbc = 0.1: both diodes conduct
  const auto f = residual(b, vec(b.n(), {{b.node("b"), vbe}, {b.node("c"), vbe - 0.1}}), dev::AnalysisMode::DcOp, 0);
  const double ibf = 3e-15 * (std::exp(vbe / vt) - 1.0), ibr = 5e-15 * (std::exp(0.1 / vt) - 1.0);
  const double gmin = 1e-12;
  EXPECT_NEAR(f[b.node("b")], ibf / 50 + ibr / 2 + gmin * (vbe + 0.1), 1e-9 * ibf);
  EXPECT_NEAR(f[b.node("c")], (ibf - ibr) - ibr / 2 - gmin * 0.1 + gmin * (vbe - 0.1), 1e-9 * ibf);
}

double opCurrent(const std::string& netlist, const std::string& name) {
  auto out = runOk(netlist);
  return out.get(AnalysisType::Op).col(name).at(0);
}

TEST(BjtVendor, RcoWithoutEpiEffectsIsASeriesCollectorResistance) {
  // GAMMA -> 0 and QCO = 0: K = 1, no epi correction; VO huge: no velocity
  // saturation. What is left is RCO in series with the collector.
  const std::string head = "q\nVB b 0 0.72\nVC c 0 0.4\n";
  const double a = opCurrent(head + "Q1 c b 0 qm\n.model qm npn(is=1e-15 bf=100 rco=300 gamma=1e-30 vo=1e9)\n.op\n.end\n",
                             "i(vc)");
  const double b = opCurrent(head + "Q1 c b 0 qm\n.model qm npn(is=1e-15 bf=100 rc=300)\n.op\n.end\n", "i(vc)");
  EXPECT_NEAR(a, b, 1e-6 * std::fabs(b));
  // VO limits the current through the epi layer: less collector current
  const double c = opCurrent(head + "Q1 c b 0 qm\n.model qm npn(is=1e-15 bf=100 rco=300 gamma=1e-30 vo=0.05)\n.op\n.end\n",
                             "i(vc)");
  EXPECT_LT(std::fabs(c), 0.9 * std::fabs(b));
}

TEST(BjtVendor, TemperatureCoefficientsScaleBetaAndResistances) {
  // at 77 degC with TNOM 27: BF*(1 + TBF1*50 + TBF2*50^2)
  const std::string deck =
      "q\nVB b 0 0.65\nVC c 0 2\nQ1 c b 0 qm\n.model qm npn(is=1e-15 bf=100 tbf1=4e-3 tbf2=1e-5 xti=0 eg=0.1)\n"
      ".temp 77\n.op\n.end\n";
  auto out = runOk(deck);
  const Collected& op = out.get(AnalysisType::Op);
  const double ic = -op.col("i(vc)")[0], ib = -op.col("i(vb)")[0];
  EXPECT_NEAR(ic / ib, 100 * (1 + 4e-3 * 50 + 1e-5 * 2500), 1e-2);  // (gmin in the base current)
}

TEST(BjtVendor, ExcessPhaseDelaysTheTransconductanceInAc) {
  // ideal sources at base and collector, no capacitance but TF's diffusion
  // charge (base side): the collector current is gm*vbe, delayed by PTF*TF
  const std::string deck = "q\nVB b 0 DC 0.7 AC 1\nVC c 0 3\nQ1 c b 0 qm\n"
                           ".model qm npn(is=1e-15 bf=100 tf=1n ptf=%P)\n.ac lin 5 10Meg 200Meg\n.end\n";
  auto with = [&](const char* ptf) {
    std::string d = deck;
    d.replace(d.find("%P"), 2, ptf);
    return runOk(d);
  };
  auto b = with("0");
  const Collected& cb = b.get(AnalysisType::Ac);
  // a negative PTF (Philips' RF models, PTF=-100) is a phase lead, as ngspice computes it
  for (double ptf : {30.0, -100.0}) {
    auto a = with(std::to_string(ptf).c_str());
    const Collected& ca = a.get(AnalysisType::Ac);
    const double td = ptf / (180.0 / M_PI) * 1e-9;
    ASSERT_EQ(ca.rows, 5u);
    for (std::size_t k = 0; k < ca.rows; ++k) {
      const std::complex<double> r = ca.phasor("i(vc)", k) / cb.phasor("i(vc)", k);
      const std::complex<double> want = std::polar(1.0, -2 * M_PI * ca.x[k] * td);
      EXPECT_NEAR(std::abs(r - want), 0.0, 1e-6) << ptf << " " << ca.x[k];
    }
  }
}

TEST(BjtVendor, ExcessPhaseFiltersTheTransientCollectorCurrent) {
  // a step of vbe at 1 ns: with PTF the collector current follows Weil's
  // filter 3/((s td)^2 + 3 s td + 3); at t = td after the step it is at
  // 1 - exp(-1.5)*(cos(sqrt(3)/2) + sqrt(3)*sin(sqrt(3)/2)) = 0.5611 of its swing
  const double td = 1e-9;
  const std::string deck = "q\nVB b 0 PULSE(0.65 0.70 1n 1p 1p 1 2)\nVC c 0 3\nQ1 c b 0 qm\n"
                           ".model qm npn(is=1e-15 bf=100 tf=1n ptf=57.29577951308232)\n"
                           ".tran 2p 8n 0 2p\n.end\n";
  auto out = runOk(deck);
  const Collected& tr = out.get(AnalysisType::Tran);
  const auto& ic = tr.col("i(vc)");
  auto at = [&](double t) {
    auto it = std::lower_bound(tr.x.begin(), tr.x.end(), t);
    const std::size_t k = std::size_t(it - tr.x.begin());
    return ic[k - 1] + (ic[k] - ic[k - 1]) * (t - tr.x[k - 1]) / (tr.x[k] - tr.x[k - 1]);
  };
  const double i0 = at(0.9e-9), i1 = ic.back();
  const double s = std::sqrt(3.0) / 2.0;
  const double want = 1.0 - std::exp(-1.5) * (std::cos(s) + std::sqrt(3.0) * std::sin(s));
  EXPECT_NEAR((at(1e-9 + td) - i0) / (i1 - i0), want, 0.02);
  EXPECT_NEAR((at(1e-9 + 0.2 * td) - i0) / (i1 - i0), 0.0, 0.1);  // a delay, not an instant step
  // settled: the DC value of the new bias
  const double dc = opCurrent("q\nVB b 0 0.70\nVC c 0 3\nQ1 c b 0 qm\n.model qm npn(is=1e-15 bf=100 tf=1n)\n.op\n.end\n",
                              "i(vc)");
  EXPECT_NEAR(i1, dc, 1e-4 * std::fabs(dc));
}

TEST(BjtVendor, EveryNgspiceModelParameterIsAccepted) {
  // ngspice 39's BJT model parameters (bjt.c), each given once
  const std::string names =
      "subs=1 tnom=27 is=1e-15 ibe=1e-15 ibc=1e-15 bf=100 nf=1 vaf=50 ikf=0.1 nkf=0.5 ise=0 ne=1.5 br=1 nr=1 var=10 "
      "ikr=0.1 isc=0 nc=2 rb=1 irb=0.1 rbm=1 re=0.1 rc=0.1 cje=1p vje=0.75 mje=0.33 tf=1n xtf=0 vtf=1 itf=0 ptf=0 "
      "cjc=1p vjc=0.75 mjc=0.33 xcjc=1 tr=0 cjs=0 vjs=0.75 mjs=0 xtb=0 eg=1.11 xti=3 fc=0.5 kf=0 af=1 iss=0 ns=1 "
      "rco=1 vo=10 gamma=1e-11 qco=0 quasimod=0 vg=1.206 cn=2.42 d=0.87 tlev=0 tlevc=0 tbf1=0 tbf2=0 tbr1=0 tbr2=0 "
      "tikf1=0 tikf2=0 tikr1=0 tikr2=0 tirb1=0 tirb2=0 tnc1=0 tnc2=0 tne1=0 tne2=0 tnf1=0 tnf2=0 tnr1=0 tnr2=0 "
      "trb1=0 trb2=0 trc1=0 trc2=0 tre1=0 tre2=0 trm1=0 trm2=0 tvaf1=0 tvaf2=0 tvar1=0 tvar2=0 ctc=0 cte=0 cts=0 "
      "tvjc=0 tvje=0 tvjs=0 titf1=0 titf2=0 ttf1=0 ttf2=0 ttr1=0 ttr2=0 tmje1=0 tmje2=0 tmjc1=0 tmjc2=0 tmjs1=0 "
      "tmjs2=0 tns1=0 tns2=0 tis1=0 tis2=0 tise1=0 tise2=0 tisc1=0 tisc2=0 tiss1=0 tiss2=0 vbe_max=5 vbc_max=50 "
      "vce_max=50 pd_max=1 ic_max=1 ib_max=0.1 te_max=150 rth0=100 level=1";
  const std::string aliases = "tref=27 va=50 ik=0.1 nk=0.5 c2=0 c4=0 vb=10 pe=0.75 me=0.33 pc=0.75 mc=0.33 csub=0 "
                              "ps=0.75 ms=0 trb=0 trc=0 tre=0";
  runOk("q\nVB b 0 0.7\nVC c 0 3\nQ1 c b 0 s qm 1 areab=1 areac=1 m=1\nRS s 0 1k\n.model qm npn(" + names +
        ")\n.op\n.end\n");
  runOk("q\nVB b 0 -0.7\nVC c 0 -3\nQ1 c b 0 qm\n.model qm pnp(" + aliases + ")\n.op\n.end\n");
  // the instance's initial conditions, also as ngspice's IC=vbe,vce
  runOk("q\nVB b 0 0.7\nVC c 0 3\nQ1 c b 0 qm icvbe=0.7 icvce=3\nQ2 c b 0 qm IC=0.7, 3\n.model qm npn\n.op\n.end\n");
}

}  // namespace
