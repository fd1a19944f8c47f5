// CIDER's one-dimensional device (devices/cider1d.hpp): the Bernoulli-based
// discretisation in equilibrium, a long diode against the ideal-diode law,
// conductances against finite differences, and the card reader's mesh.
#include <gtest/gtest.h>

#include <cmath>

#include "devices/cider1d.hpp"
#include "devices/cider_vocab.hpp"

using namespace simcore;
using namespace simcore::dev::cider;

namespace {

ir::Param P(const char* n, double v) { return ir::Param{n, v, {}, {}}; }

ir::ModelCard card(const char* name, std::vector<ir::Param> ps) { return ir::ModelCard{name, std::move(ps), {}}; }

// A p+ n diode like ngspice's examples/cider/diode/diode.cir.
ir::Model diodeModel(const std::vector<const char*>& models, double pConc = 1e20) {
  ir::Model m;
  m.name = "m_pn";
  m.type = "numd";
  m.cards.push_back(card("options", {P("defa", 1e-12)}));
  m.cards.push_back(card("x.mesh", {P("location", 0.0), P("number", 1)}));
  m.cards.push_back(card("x.mesh", {P("location", 1.3), P("number", 201)}));
  m.cards.push_back(card("domain", {P("number", 1), P("material", 1)}));
  m.cards.push_back(card("material", {P("number", 1), P("silicon", 1)}));
  m.cards.push_back(card("doping", {P("gaussian", 1), P("p.type", 1), P("conc", pConc), P("x.low", 0), P("x.high", 0),
                                    P("char.length", 0.1)}));
  m.cards.push_back(card("doping", {P("uniform", 1), P("n.type", 1), P("conc", 1e16), P("x.low", 0), P("x.high", 1.3)}));
  m.cards.push_back(card("doping", {P("gaussian", 1), P("n.type", 1), P("conc", 5e19), P("x.low", 1.3), P("x.high", 1.3),
                                    P("char.length", 0.1)}));
  std::vector<ir::Param> mp;
  for (const char* f : models) mp.push_back(P(f, 1));
  m.cards.push_back(card("models", mp));
  return m;
}

}  // namespace

TEST(Cider1d, EquilibriumCarriesNoCurrent) {
  for (auto models : std::vector<std::vector<const char*>>{{}, {"bgn", "srh", "auger", "conctau", "concmob", "fieldmob"}}) {
    auto spec = readSpec(diodeModel(models), false);
    ASSERT_TRUE(spec) << spec.error().message;
    Bar bar;
    ASSERT_TRUE(bar.setup(*spec, 300.15, 300.15, 1e-3, 100, "d1"));
    ASSERT_TRUE(bar.equilibrium());
    ASSERT_TRUE(bar.solve(Bias{0, 0}, TimeTerms{}));
    EXPECT_LT(std::fabs(bar.terminals().i1), 1e-16) << models.size();
  }
}

namespace {

constexpr double kQ = 1.602191770e-19;   // C (ngspice's numconst.h)
constexpr double kK = 1.38062259e-23;    // J/K
constexpr double kT = 300.15;            // K, the circuit's default temperature

ir::Param PL(const char* n, double v, int line) { return ir::Param{n, v, SourceLoc{"m.cir", line, 3}, {}}; }

// An abrupt p+ n diode for the ideal-diode law: 2 um of 1e19 p, 20 um of 1e16 n,
// no band-gap narrowing and no concentration-dependent mobility (so the mobilities are
// the material's maxima), SRH with constant lifetimes of 30 and 10 us (diffusion lengths
// of 1 mm for electrons, 114 um for holes: a short base, whose recombination in the
// depletion layer stays below 1 % of the diffusion current from 0.45 V up).
constexpr double kNa = 1e19, kNd = 1e16, kWp = 2e-4, kWn = 20e-4, kTauN = 3e-5, kTauP = 1e-5;  // cm^-3, cm, s
ir::Model longDiodeModel() {
  ir::Model m;
  m.name = "m_long";
  m.type = "numd";
  m.cards.push_back(card("options", {P("defa", 1e-12)}));
  m.cards.push_back(card("x.mesh", {P("location", 0.0), P("number", 1)}));
  m.cards.push_back(card("x.mesh", {P("location", 1.5), P("number", 16)}));
  m.cards.push_back(card("x.mesh", {P("location", 2.5), P("number", 116)}));
  m.cards.push_back(card("x.mesh", {P("location", 22.0), P("number", 311)}));
  m.cards.push_back(card("domain", {P("number", 1), P("material", 1)}));
  m.cards.push_back(card("material", {P("number", 1), P("silicon", 1), P("tn", kTauN), P("tp", kTauP)}));
  m.cards.push_back(card("doping", {P("uniform", 1), P("p.type", 1), P("conc", kNa), P("x.low", 0), P("x.high", 2.0)}));
  m.cards.push_back(card("doping", {P("uniform", 1), P("n.type", 1), P("conc", kNd), P("x.low", 2.0), P("x.high", 22.0)}));
  m.cards.push_back(card("models", {P("srh", 1)}));
  return m;
}

// An NPN like ngspice's examples/cider/bjt/rtlinv.cir.
ir::Model npnModel() {
  ir::Model m;
  m.name = "qmod";
  m.type = "nbjt";
  m.cards.push_back(card("x.mesh", {P("number", 1), P("location", 0.0)}));
  m.cards.push_back(card("x.mesh", {P("number", 61), P("location", 3.0)}));
  m.cards.push_back(card("domain", {P("number", 1), P("material", 1)}));
  m.cards.push_back(card("material", {P("number", 1), P("silicon", 1), P("eg.nref", 1e17), P("eg.pref", 1e17)}));
  m.cards.push_back(card("mobility", {P("material", 1), P("concmodel", kSG), P("fieldmodel", kSG)}));
  m.cards.push_back(card("doping", {P("uniform", 1), P("n.type", 1), P("conc", 1e17), P("x.low", 0), P("x.high", 1.0)}));
  m.cards.push_back(card("doping", {P("uniform", 1), P("p.type", 1), P("conc", 1e16), P("x.low", 0), P("x.high", 1.5)}));
  m.cards.push_back(card("doping", {P("uniform", 1), P("n.type", 1), P("conc", 1e15), P("x.low", 0), P("x.high", 3.0)}));
  m.cards.push_back(card("models", {P("bgn", 1), P("srh", 1), P("conctau", 1), P("auger", 1), P("concmob", 1), P("fieldmob", 1)}));
  m.cards.push_back(card("options", {P("base.length", 1.0), P("base.depth", 1.25)}));
  return m;
}

}  // namespace

// Low-level forward current of a wide p+ n diode against the ideal-diode law,
// both sides' minority diffusion with an ohmic contact at the end of each neutral
// region: I = q A ni^2 [Dp/(Nd Lp) coth(Wn'/Lp) + Dn/(Na Ln) coth(Wp'/Ln)] (e^(V/Vt) - 1),
// ni, D and L from the model's own parameters (silicon's effective-mass laws, mobilities
// 1340 and 500 cm^2/Vs without concmob, the lifetimes on the material card).
TEST(Cider1d, LongDiodeFollowsTheIdealDiodeLaw) {
  auto spec = readSpec(longDiodeModel(), false);
  ASSERT_TRUE(spec) << spec.error().message;
  Bar bar;
  ASSERT_TRUE(bar.setup(*spec, kT, kT, 1e-6, 100, "d1"));
  ASSERT_TRUE(bar.isPn());
  ASSERT_TRUE(bar.equilibrium());

  const double vt = kK * kT / kQ;
  const double mn = 1.039 + 5.477e-4 * kT - 2.326e-7 * kT * kT, mp = 0.262 * std::log(0.259 * kT);
  const double nc = 2.509e19 * std::pow(mn, 1.5), nv = 2.509e19 * std::pow(mp, 1.5);
  const double ni2 = nc * nv * std::exp(-1.1245 / vt);
  const double dp = 500.0 * vt, dn = 1340.0 * vt;  // cm^2/s
  const double lp = std::sqrt(dp * kTauP), ln = std::sqrt(dn * kTauN);
  const double areaCm2 = 100 * 1e-12 * 1e4;
  const double eps = 11.7 * 8.854e-14;
  for (double v : {0.45, 0.55}) {
    ASSERT_TRUE(bar.solve(Bias{v, 0}, TimeTerms{})) << v;
    // the neutral widths: the abrupt junction's depletion layer taken off each side
    const double vbi = vt * std::log(kNa * kNd / ni2);
    const double w = std::sqrt(2 * eps * (vbi - v) / kQ * (kNa + kNd) / (kNa * kNd));
    const double xn = w * kNa / (kNa + kNd), xp = w * kNd / (kNa + kNd);
    const double js = kQ * ni2 * (dp / (kNd * lp) / std::tanh((kWn - xn) / lp) + dn / (kNa * ln) / std::tanh((kWp - xp) / ln));
    const double expected = areaCm2 * js * std::expm1(v / vt);
    EXPECT_NEAR(bar.terminals().i1 / expected, 1.0, 0.03) << "v=" << v << " i1=" << bar.terminals().i1 << " ideal=" << expected;
  }
}

// g = d i1 / d vd against a central difference of two solves, for the NUMD of
// diode.cir forward biased; and the four d i_a / d v_b of an NPN in its active region.
TEST(Cider1d, ConductancesMatchFiniteDifferences) {
  {
    auto spec = readSpec(diodeModel({"bgn", "srh", "auger", "conctau", "concmob", "fieldmob", "avalanche"}), false);
    ASSERT_TRUE(spec) << spec.error().message;
    Bar bar;
    ASSERT_TRUE(bar.setup(*spec, kT, kT, 1e-6, 100, "d1"));
    ASSERT_TRUE(bar.equilibrium());
    for (double v : {0.55, 0.75}) {
      const double dv = 1e-5;
      ASSERT_TRUE(bar.solve(Bias{v + dv, 0}, TimeTerms{}));
      const double ip = bar.terminals().i1;
      ASSERT_TRUE(bar.solve(Bias{v - dv, 0}, TimeTerms{}));
      const double im = bar.terminals().i1;
      ASSERT_TRUE(bar.solve(Bias{v, 0}, TimeTerms{}));
      const double g = bar.terminals().g[0][0], fd = (ip - im) / (2 * dv);
      EXPECT_GT(g, 0) << v;
      EXPECT_NEAR(g / fd, 1.0, 1e-4) << "v=" << v << " g=" << g << " fd=" << fd;
    }
  }
  {
    auto spec = readSpec(npnModel(), true);
    ASSERT_TRUE(spec) << spec.error().message;
    Bar bar;
    ASSERT_TRUE(bar.setup(*spec, kT, kT, 1e-6, 100e-12, "q1"));  // area=100p of the default defa: 1e-6 cm^2
    ASSERT_TRUE(bar.isBjt());
    ASSERT_EQ(bar.polarity(), 1);
    ASSERT_TRUE(bar.equilibrium());
    const Bias at{2.0, 0.7};
    const double dv = 1e-5;
    double fd[2][2];
    for (int b = 0; b < 2; ++b) {
      Bias hi = at, lo = at;
      (b == 0 ? hi.v1 : hi.v2) += dv;
      (b == 0 ? lo.v1 : lo.v2) -= dv;
      ASSERT_TRUE(bar.solve(hi, TimeTerms{}));
      const Terminals th = bar.terminals();
      ASSERT_TRUE(bar.solve(lo, TimeTerms{}));
      const Terminals tl = bar.terminals();
      fd[0][b] = (th.i1 - tl.i1) / (2 * dv);
      fd[1][b] = (th.i2 - tl.i2) / (2 * dv);
    }
    ASSERT_TRUE(bar.solve(at, TimeTerms{}));
    const Terminals& t = bar.terminals();
    EXPECT_GT(t.i1, 0);  // into the collector
    EXPECT_LT(t.i2, 0);  // out of the emitter
    for (int a = 0; a < 2; ++a)
      for (int b = 0; b < 2; ++b)
        EXPECT_NEAR(t.g[a][b], fd[a][b], 1e-4 * std::fabs(fd[a][b])) << "g[" << a << "][" << b << "]";
  }
}

// ngspice's mesh arithmetic: the interior nodes of a uniform interval are found by
// adding the spacing in um and converting to cm, so 0..3 um in 60 spaces puts node 21
// just past 1 um (which decides whether it is inside a doping window ending at 1 um).
TEST(Cider1d, MeshAccumulatesLikeNgspice) {
  ir::Model m = npnModel();
  auto spec = readSpec(m, true);
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(spec->x.size(), 61u);
  EXPECT_EQ(spec->x[0], 0.0);
  EXPECT_EQ(spec->x[20], 1.0000000000000003e-4);
  EXPECT_EQ(spec->x[60], 3.0 * 1e-4);  // the last location as written, converted
  Bar bar;
  ASSERT_TRUE(bar.setup(*spec, kT, kT, 1e-3, 1, "q1"));
  EXPECT_EQ(bar.meshNodes(), 61);
  EXPECT_DOUBLE_EQ(bar.netDoping(19), 1e17 - 1e16 + 1e15);  // node 20, inside the emitter
  EXPECT_DOUBLE_EQ(bar.netDoping(20), -1e16 + 1e15);        // node 21, just outside it
}

// The card reader's errors name the model and the card, located at the card's
// parameter when one is at fault, else at the model.
TEST(Cider1d, SpecErrorsNameTheCard) {
  auto base = [] {
    ir::Model m;
    m.name = "mbad";
    m.type = "numd";
    m.loc = SourceLoc{"m.cir", 4, 1};
    m.cards.push_back(card("x.mesh", {P("location", 0.0), P("number", 1)}));
    m.cards.push_back(card("x.mesh", {P("location", 1.0), P("number", 11)}));
    m.cards.push_back(card("material", {P("number", 1), P("silicon", 1)}));
    m.cards.push_back(card("doping", {P("uniform", 1), P("n.type", 1), P("conc", 1e16)}));
    return m;
  };
  {  // no domain card
    auto r = readSpec(base(), false);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("CIDER model 'mbad'"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("in no domain"), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().loc.line, 4);
  }
  {  // a domain naming an unknown material
    ir::Model m = base();
    m.cards.push_back(ir::ModelCard{"domain", {PL("number", 1, 7), PL("material", 2, 7)}, SourceLoc{"m.cir", 7, 1}});
    m.cards.back().params[1].loc.col = 19;
    auto r = readSpec(m, false);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("domain card"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("no material 2"), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().loc.line, 7);
    EXPECT_EQ(r.error().loc.col, 19);
  }
  {  // graded spacing: h.max needs exactly one of h.start and h.end (ngspice: fatal)
    ir::Model m = base();
    m.cards.push_back(card("domain", {P("number", 1), P("material", 1)}));
    m.cards[1] = ir::ModelCard{"x.mesh", {PL("location", 1.0, 6), PL("h.max", 0.01, 6)}, SourceLoc{"m.cir", 6, 1}};
    m.cards[1].params[1].loc.col = 22;
    auto r = readSpec(m, false);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("x.mesh card"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("h.max"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("h.start"), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().loc.line, 6);
    EXPECT_EQ(r.error().loc.col, 22);
  }
}

// At a very low frequency the admittance is the DC conductance plus j omega C: reverse
// biased, C is the depletion capacitance of the junction into the 1e16 base (one-sided,
// abrupt: eps A / W, W = sqrt(2 eps (Vbi - V) / (q Nd)), Vbi about 0.9 V); forward biased,
// the diffusion capacitance of the stored holes adds to it, far larger at 0.7 V.
TEST(Cider1d, LowFrequencyAdmittanceIsConductancePlusCapacitance) {
  auto spec = readSpec(diodeModel({"bgn", "srh", "auger", "conctau", "concmob", "fieldmob"}), false);
  ASSERT_TRUE(spec) << spec.error().message;
  Bar bar;
  ASSERT_TRUE(bar.setup(*spec, kT, kT, 1e-6, 100, "d1"));
  ASSERT_TRUE(bar.equilibrium());
  const double omega = 2 * M_PI * 1.0;  // 1 Hz
  std::complex<double> y[2][2];

  ASSERT_TRUE(bar.solve(Bias{-1.0, 0}, TimeTerms{}));
  bar.admittance(omega, y);
  const double cRev = y[0][0].imag() / omega;
  const double eps = 11.7 * 8.854e-14, areaCm2 = 100 * 1e-12 * 1e4;
  const double w = std::sqrt(2 * eps * (0.9 + 1.0) / (kQ * 1e16));
  EXPECT_NEAR(cRev, eps * areaCm2 / w, 0.1 * eps * areaCm2 / w);
  // (the real part reverse biased is a few fS, the rounding of the device's solution)

  ASSERT_TRUE(bar.solve(Bias{0.7, 0}, TimeTerms{}));
  bar.admittance(omega, y);
  const double g = bar.terminals().g[0][0];
  EXPECT_GT(g, 0);
  EXPECT_NEAR(y[0][0].real(), g, 1e-6 * g);
  const double cFwd = y[0][0].imag() / omega;
  EXPECT_GT(cFwd, 10 * cRev);
  EXPECT_LT(cFwd, 1e-9);
}
