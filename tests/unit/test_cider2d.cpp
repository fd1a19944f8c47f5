// CIDER's two-dimensional device (devices/cider2d.hpp): a diode extruded
// along y against the one-dimensional device of the same cross-section,
// conductances against finite differences, an MOS capacitor's accumulation
// capacitance against the oxide's eps/tox, and the reader's errors.
#include <gtest/gtest.h>

#include <cmath>

#include "devices/cider1d.hpp"
#include "devices/cider2d.hpp"
#include "devices/cider_physics.hpp"
#include "devices/cider_vocab.hpp"

using namespace simcore;
using namespace simcore::dev::cider;

namespace {

ir::Param P(const char* n, double v) { return ir::Param{n, v, {}, {}}; }
ir::ModelCard card(const char* name, std::vector<ir::Param> ps) { return ir::ModelCard{name, std::move(ps), {}}; }

const std::vector<const char*> kAllModels = {"bgn", "srh", "auger", "conctau", "concmob", "fieldmob"};

// A p+ n diode along x (0 to 3 um), the same in the one- and two-dimensional
// forms: in 2-D it is 2 um deep (y), its electrodes the left and right edges.
ir::Model diode(bool twoD, const std::vector<const char*>& models = kAllModels) {
  ir::Model m;
  m.name = twoD ? "m2" : "m1";
  m.type = "numd";
  // 1-D: area defa = 2 um x 10 um; 2-D: 2 um deep, defw 10 um wide
  m.cards.push_back(card("options", {twoD ? P("defw", 10e-6) : P("defa", 2e-6 * 10e-6)}));
  m.cards.push_back(card("x.mesh", {P("location", 0.0), P("number", 1)}));
  m.cards.push_back(card("x.mesh", {P("location", 3.0), P("number", 121)}));
  if (twoD) {
    m.cards.push_back(card("y.mesh", {P("location", 0.0), P("number", 1)}));
    m.cards.push_back(card("y.mesh", {P("location", 2.0), P("number", 4)}));
    m.cards.push_back(card("electrode", {P("number", 1), P("x.low", 0), P("x.high", 0)}));
    m.cards.push_back(card("electrode", {P("number", 2), P("x.low", 3), P("x.high", 3)}));
  }
  m.cards.push_back(card("domain", {P("number", 1), P("material", 1)}));
  m.cards.push_back(card("material", {P("number", 1), P("silicon", 1), P("tn", 1e-7), P("tp", 1e-7)}));
  // profiles along x: in 2-D the x axis is given (y is the default principal axis)
  auto dop = [&](std::vector<ir::Param> ps) {
    if (twoD) ps.push_back(P("x.axis", 1));
    m.cards.push_back(card("doping", std::move(ps)));
  };
  dop({P("uniform", 1), P("p.type", 1), P("conc", 1e18), P("x.low", 0), P("x.high", 1.0)});
  dop({P("uniform", 1), P("n.type", 1), P("conc", 1e16), P("x.low", 1.0), P("x.high", 3.0)});
  std::vector<ir::Param> mp;
  for (const char* f : models) mp.push_back(P(f, 1));
  m.cards.push_back(card("models", mp));
  return m;
}

// An MOS capacitor: 0.1 um of oxide on 2 um of p silicon (1e16), the gate on
// the oxide's top, the bulk contact on the silicon's bottom, 4 um wide.
ir::Model moscap() {
  ir::Model m;
  m.name = "mc";
  m.type = "numos";
  m.cards.push_back(card("x.mesh", {P("location", 0.0), P("number", 1)}));
  m.cards.push_back(card("x.mesh", {P("location", 4.0), P("number", 9)}));
  m.cards.push_back(card("y.mesh", {P("location", -0.1), P("number", 1)}));
  m.cards.push_back(card("y.mesh", {P("location", 0.0), P("number", 6)}));
  m.cards.push_back(card("y.mesh", {P("location", 0.05), P("number", 16)}));
  m.cards.push_back(card("y.mesh", {P("location", 2.0), P("number", 46)}));
  m.cards.push_back(card("domain", {P("number", 1), P("material", 1), P("y.low", 0.0)}));
  m.cards.push_back(card("material", {P("number", 1), P("silicon", 1)}));
  m.cards.push_back(card("domain", {P("number", 2), P("material", 2), P("y.high", 0.0)}));
  m.cards.push_back(card("material", {P("number", 2), P("oxide", 1)}));
  // drain and source: one node each at the silicon surface's ends (n+), the gate over all
  m.cards.push_back(card("electrode", {P("number", 1), P("x.low", 4.0), P("x.high", 4.0), P("y.low", 0), P("y.high", 0)}));
  m.cards.push_back(card("electrode", {P("number", 2), P("x.low", 0.0), P("x.high", 4.0), P("iy.low", 1), P("iy.high", 1)}));
  m.cards.push_back(card("electrode", {P("number", 3), P("x.low", 0.0), P("x.high", 0.0), P("y.low", 0), P("y.high", 0)}));
  m.cards.push_back(card("electrode", {P("number", 4), P("x.low", 0.0), P("x.high", 4.0), P("y.low", 2.0), P("y.high", 2.0)}));
  m.cards.push_back(card("doping", {P("uniform", 1), P("p.type", 1), P("conc", 1e16), P("x.low", 0), P("x.high", 4),
                                    P("y.low", 0), P("y.high", 2)}));
  m.cards.push_back(card("models", {P("concmob", 1)}));
  return m;
}

// An n-channel MOSFET (the mesh of tests/compat/cider2d_numos.cir), with a
// surface channel under the gate when surf (interface layer.width, surfmob).
ir::Model nmos(bool surf, double mus) {
  ir::Model m;
  m.name = "mn";
  m.type = "numos";
  for (auto [l, n] : std::vector<std::pair<double, double>>{{0.0, 1}, {0.6, 4}, {1.0, 7}, {3.0, 17}, {3.4, 20}, {4.0, 23}})
    m.cards.push_back(card("x.mesh", {P("location", l), P("number", n)}));
  for (auto [l, n] : std::vector<std::pair<double, double>>{{-0.05, 1}, {0.0, 4}, {0.05, 7}, {0.3, 11}, {2.0, 15}})
    m.cards.push_back(card("y.mesh", {P("location", l), P("number", n)}));
  m.cards.push_back(card("domain", {P("number", 1), P("material", 1), P("y.low", 0.0)}));
  m.cards.push_back(card("material", {P("number", 1), P("silicon", 1)}));
  m.cards.push_back(card("mobility", {P("material", 1), P("electron", 1), P("mus", mus)}));
  m.cards.push_back(card("domain", {P("number", 2), P("material", 2), P("y.high", 0.0), P("x.low", 0.6), P("x.high", 3.4)}));
  m.cards.push_back(card("material", {P("number", 2), P("oxide", 1)}));
  if (surf) m.cards.push_back(card("boundary", {P("domain", 1), P("neighbor", 2), P("layer.width", 0.0)}));
  m.cards.push_back(card("electrode", {P("number", 1), P("x.low", 3.4), P("x.high", 4.0), P("y.low", 0), P("y.high", 0)}));
  m.cards.push_back(card("electrode", {P("number", 2), P("x.low", 0.6), P("x.high", 3.4), P("iy.low", 1), P("iy.high", 1)}));
  m.cards.push_back(card("electrode", {P("number", 3), P("x.low", 0.0), P("x.high", 0.6), P("y.low", 0), P("y.high", 0)}));
  m.cards.push_back(card("electrode", {P("number", 4), P("x.low", 0.0), P("x.high", 4.0), P("y.low", 2), P("y.high", 2)}));
  m.cards.push_back(card("doping", {P("uniform", 1), P("p.type", 1), P("conc", 2.5e16), P("x.low", 0), P("x.high", 4),
                                    P("y.low", 0), P("y.high", 2)}));
  m.cards.push_back(card("doping", {P("uniform", 1), P("n.type", 1), P("conc", 1e20), P("x.low", 0), P("x.high", 1),
                                    P("y.low", 0), P("y.high", 0.2)}));
  m.cards.push_back(card("doping", {P("uniform", 1), P("n.type", 1), P("conc", 1e20), P("x.low", 3), P("x.high", 4),
                                    P("y.low", 0), P("y.high", 0.2)}));
  m.cards.push_back(card("models", {P("concmob", 1), P("surfmob", 1)}));
  m.cards.push_back(card("method", {P("onecarrier", 1)}));
  return m;
}

double drainCurrent(const ir::Model& m, double vds, double vgs) {
  auto s = readSpec2(m, 4);
  EXPECT_TRUE(s) << s.error().message;
  if (!s) return 0;
  Plane pl;
  EXPECT_TRUE(pl.setup(*s, 4, 300.15, 300.15, 1e-3, 5e-6, "m1"));
  const double v[3] = {vds, vgs, 0.0};  // (vdb, vgb, vsb)
  EXPECT_TRUE(pl.solve(v, TimeTerms{}));
  return pl.terminals().i[0];
}

// A MOSFET's d id / d vdb and d id / d vgb at (vds, vgs) against central differences (1 mV).
void drainConductancesMatch(Plane& pl, double vds, double vgs) {
  const double v0[3] = {vds, vgs, 0.0};
  const double h = 1e-3;
  for (int j = 0; j < 2; ++j) {
    double i[2];
    for (int k = 0; k < 2; ++k) {
      double v[3] = {v0[0], v0[1], v0[2]};
      v[j] += k == 0 ? -h : h;
      ASSERT_TRUE(pl.solve(v, TimeTerms{}));
      i[k] = pl.terminals().i[0];
    }
    ASSERT_TRUE(pl.solve(v0, TimeTerms{}));
    EXPECT_NEAR(pl.terminals().g[0][j] / ((i[1] - i[0]) / (2 * h)), 1.0, 2e-3) << vds << " " << vgs << " " << j;
  }
}

}  // namespace

TEST(Cider2d, ASurfaceChannelCarriesTheSurfaceMobility) {
  // linear region: the drain current follows the channel's mobility
  const double bulk = drainCurrent(nmos(false, 500), 0.05, 3.0);
  const double s500 = drainCurrent(nmos(true, 500), 0.05, 3.0);
  const double s250 = drainCurrent(nmos(true, 250), 0.05, 3.0);
  EXPECT_GT(bulk, 0);
  EXPECT_LT(s500, bulk);  // 500 cm^2/Vs below the bulk's concentration-dependent ~1000
  // (the n+ ends and the layer below the channel's elements carry the rest of the resistance)
  EXPECT_NEAR(s500 / s250, 2.0, 0.15) << s500 << " " << s250;
  EXPECT_GT(s500 / s250, 1.7);
}

TEST(Cider2d, ChannelConductancesAreTheCurrentsDerivatives) {
  // field-dependent surface mobility: the channel's Jacobian terms through all four corners
  ir::Model m = nmos(true, 700);
  for (auto& c : m.cards)
    if (c.name == "models") c.params.push_back(P("fieldmob", 1));
  auto s = readSpec2(m, 4);
  ASSERT_TRUE(s) << s.error().message;
  Plane pl;
  ASSERT_TRUE(pl.setup(*s, 4, 300.15, 300.15, 1e-3, 5e-6, "m1"));
  drainConductancesMatch(pl, 2.0, 3.0);
}

// The normal-field (transmob) surface mobility: its three derivatives against
// central differences, for both carriers, with and without the lateral field
// dependence, both field models CIDER distinguishes, both signs of the fields.
TEST(Cider2d, SurfaceMobilityDerivativesAreTheFunctionsSlopes) {
  const Norm nm = normalisation(300.15);
  for (int model : {kCT, kSG})
    for (bool elec : {true, false})
      for (bool fieldDep : {false, true})
        for (double sgn : {1.0, -1.0}) {
          const double mu0 = elec ? 991 : 240;
          const double vsat = (elec ? 1.0e7 : 0.8e7) / nm.eNorm, vwarm = (elec ? 4.9e6 : 2.9e6) / nm.eNorm;
          const double tA = (elec ? 2.67e-6 : 3.07e-6) * nm.eNorm, tB = (elec ? 4.18e-14 : 1e-14) * nm.eNorm * nm.eNorm;
          // fields of a few 1e4..1e5 V/cm
          const double eL = sgn * 2e4 / nm.eNorm, eN = sgn * 3e5 / nm.eNorm, eS = sgn * 4e5 / nm.eNorm;
          auto f = [&](double a, double b, double c) {
            return surfaceMobility(model, elec, fieldDep, mu0, vsat, vwarm, tA, tB, a, b, c);
          };
          const SurfaceMobility r = f(eL, eN, eS);
          EXPECT_GT(r.mu, 0);
          EXPECT_LT(r.mu, mu0);
          const double h = 1e-4;
          const double dl = (f(eL * (1 + h), eN, eS).mu - f(eL * (1 - h), eN, eS).mu) / (2 * h * eL);
          const double dn = (f(eL, eN * (1 + h), eS).mu - f(eL, eN * (1 - h), eS).mu) / (2 * h * eN);
          const double ds = (f(eL, eN, eS * (1 + h)).mu - f(eL, eN, eS * (1 - h)).mu) / (2 * h * eS);
          const std::string what = std::to_string(model) + (elec ? " n " : " p ") + (fieldDep ? "fd " : "") +
                                   std::to_string(sgn);
          if (fieldDep) EXPECT_NEAR(r.dLateral / dl, 1.0, 1e-6) << what;
          else EXPECT_EQ(r.dLateral, 0.0) << what;
          EXPECT_NEAR(r.dNormal / dn, 1.0, 1e-6) << what;
          EXPECT_NEAR(r.dSurface / ds, 1.0, 1e-6) << what;
        }
  // no degradation (thetaA = thetaB = 0) and no lateral dependence: the low-field mobility
  const SurfaceMobility r0 = surfaceMobility(kCT, true, false, 991, 1, 1, 0, 0, 10, 20, 30);
  EXPECT_EQ(r0.mu, 991);
  EXPECT_EQ(r0.dNormal, 0);
  EXPECT_EQ(r0.dSurface, 0);
}

// transmob: the channel's mobility falls with the gate's field (the drain
// current's ratio to that without it falls with vgs), it is the surface mobility
// again when the mobility cards' critical fields are made huge (ec.a, ec.b), and
// the conductances, through the gate's field across the oxide, are the currents'
// derivatives.
TEST(Cider2d, TransverseFieldDegradesTheChannelMobility) {
  auto withModels = [](ir::Model m, std::vector<const char*> extra) {
    for (auto& c : m.cards)
      if (c.name == "models")
        for (const char* e : extra) c.params.push_back(P(e, 1));
    return m;
  };
  const ir::Model plain = nmos(true, 700), trans = withModels(nmos(true, 700), {"transmob"});
  const double r2 = drainCurrent(trans, 0.05, 2.0) / drainCurrent(plain, 0.05, 2.0);
  const double r5 = drainCurrent(trans, 0.05, 5.0) / drainCurrent(plain, 0.05, 5.0);
  EXPECT_LT(r2, 0.99);
  EXPECT_LT(r5, r2 - 0.02) << r2 << " " << r5;
  EXPECT_GT(r5, 0.3);
  ir::Model off = trans;
  off.cards.push_back(card("mobility", {P("material", 1), P("electron", 1), P("ec.a", 1e30), P("ec.b", 1e30)}));
  EXPECT_NEAR(drainCurrent(off, 0.05, 5.0) / drainCurrent(plain, 0.05, 5.0), 1.0, 1e-9);

  // conductances, with the lateral field dependence too; the oxide is three elements thick,
  // so the channel's mobility reads insulator unknowns as well as the gate's voltage
  const ir::Model m = withModels(nmos(true, 700), {"transmob", "fieldmob"});
  auto s = readSpec2(m, 4);
  ASSERT_TRUE(s) << s.error().message;
  Plane pl;
  ASSERT_TRUE(pl.setup(*s, 4, 300.15, 300.15, 1e-3, 5e-6, "m1"));
  for (double vd : {0.1, 2.0}) drainConductancesMatch(pl, vd, 3.0);
}

TEST(Cider2d, ADiodeExtrudedAlongYIsTheOneDimensionalDiode) {
  auto s1 = readSpec(diode(false), false);
  auto s2 = readSpec2(diode(true), 2);
  ASSERT_TRUE(s1) << s1.error().message;
  ASSERT_TRUE(s2) << s2.error().message;
  Bar bar;
  Plane pl;
  ASSERT_TRUE(bar.setup(*s1, 300.15, 300.15, 1e-3, 1.0, "d1"));
  ASSERT_TRUE(pl.setup(*s2, 2, 300.15, 300.15, 1e-3, 1.0, "d2"));
  EXPECT_EQ(pl.polarity(), -1);  // the first contact is p-type
  for (double v : {0.0, 0.3, 0.6, 0.75, -2.0}) {
    ASSERT_TRUE(bar.solve(Bias{v, 0}, TimeTerms{})) << v;
    ASSERT_TRUE(pl.solve(&v, TimeTerms{})) << v;
    const double i1 = bar.terminals().i1, i2 = pl.terminals().i[0];
    const double g1 = bar.terminals().g[0][0], g2 = pl.terminals().g[0][0];
    if (v == 0.0) {
      EXPECT_LT(std::fabs(i2), 1e-15);
      continue;
    }
    EXPECT_NEAR(i2 / i1, 1.0, 1e-6) << "v=" << v << " 1-D " << i1 << " 2-D " << i2;
    // (the one-dimensional device's reverse conductance carries ~1e-16 S of rounding)
    EXPECT_NEAR(g2, g1, 1e-5 * std::fabs(g1) + 1e-15) << "v=" << v;
    // the current into the second contact is the negated first
    EXPECT_NEAR(pl.terminals().i[1] / i2, -1.0, 1e-6);
  }
}

TEST(Cider2d, ConductancesAreTheCurrentsDerivatives) {
  auto s2 = readSpec2(diode(true), 2);
  ASSERT_TRUE(s2);
  Plane pl;
  ASSERT_TRUE(pl.setup(*s2, 2, 300.15, 300.15, 1e-3, 1.0, "d2"));
  // forward, and reverse (a generation current of 7e-14 A, its conductance 2.4e-14 S)
  for (double v0 : {0.65, -2.0}) {
    const double h = 1e-3;
    double i[3];
    for (int k : {0, 2, 1}) {
      double v = v0 + (k - 1) * h;
      ASSERT_TRUE(pl.solve(&v, TimeTerms{}));
      i[k] = pl.terminals().i[0];
    }
    EXPECT_NEAR(pl.terminals().g[0][0] / ((i[2] - i[0]) / (2 * h)), 1.0, 1e-3) << v0;
    // the low-frequency admittance is the conductance
    std::complex<double> y[kMaxContacts][kMaxContacts - 1];
    pl.admittance(2 * M_PI * 1.0, y);
    if (v0 > 0) EXPECT_NEAR(y[0][0].real() / pl.terminals().g[0][0], 1.0, 1e-6);
  }
}

TEST(Cider2d, AnMosCapacitorInAccumulationHasTheOxideCapacitance) {
  auto s = readSpec2(moscap(), 4);
  ASSERT_TRUE(s) << s.error().message;
  Plane pl;
  // 4 um deep (w = 4e-6 m of defw's 1 m)
  ASSERT_TRUE(pl.setup(*s, 4, 300.15, 300.15, 1e-3, 4e-6, "m1"));
  EXPECT_EQ(pl.polarity(), -1);  // p-type at the drain node (no n+ regions here)
  // (vdb, vgb, vsb): strong accumulation
  const double v[3] = {0.0, -4.0, 0.0};
  ASSERT_TRUE(pl.solve(v, TimeTerms{}));
  EXPECT_LT(std::fabs(pl.terminals().i[1]), 1e-15);  // no gate current
  std::complex<double> y[kMaxContacts][kMaxContacts - 1];
  const double w = 2 * M_PI * 1e3;
  pl.admittance(w, y);
  const double cgg = y[1][1].imag() / w;
  const double cox = 3.9 * 8.854e-14 / 0.1e-4 * (4e-4 * 4e-4);  // F: eps/tox x (4 um x 4 um)
  // the accumulation layer's own capacitance is in series: a few per cent below Cox
  EXPECT_LT(cgg, cox);
  EXPECT_GT(cgg, 0.9 * cox) << cgg << " vs " << cox;
  // depletion: smaller (the depletion layer in series)
  const double vd[3] = {0.0, 0.5, 0.0};
  ASSERT_TRUE(pl.solve(vd, TimeTerms{}));
  pl.admittance(w, y);
  EXPECT_LT(y[1][1].imag() / w, 0.8 * cgg);
}

TEST(Cider2d, TheReaderNamesWhatIsMissingOrUnsupported) {
  ir::Model m = diode(true);
  std::erase_if(m.cards, [](const ir::ModelCard& c) { return c.name == "electrode"; });
  auto r = readSpec2(m, 2);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("no electrode 1"), std::string::npos) << r.error().message;

  m = diode(true);
  m.cards.push_back(card("electrode", {P("number", 5), P("x.low", 1), P("x.high", 1)}));
  r = readSpec2(m, 2);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("electrode 5 does not exist"), std::string::npos) << r.error().message;

  m = diode(true);
  m.cards.push_back(card("boundary", {P("domain", 1), P("nss", 1e11)}));
  r = readSpec2(m, 2);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("interface charge"), std::string::npos) << r.error().message;

  m = diode(true);
  std::erase_if(m.cards, [](const ir::ModelCard& c) { return c.name == "y.mesh"; });
  r = readSpec2(m, 2);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("no y.mesh card"), std::string::npos) << r.error().message;

  m = diode(true);
  for (auto& c : m.cards)
    if (c.name == "models") c.params.push_back(P("avalanche", 1));
  r = readSpec2(m, 2);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("avalanche"), std::string::npos) << r.error().message;

  // overlapping electrodes: at set-up, naming the node
  m = diode(true);
  m.cards.push_back(card("electrode", {P("number", 2), P("x.low", 0), P("x.high", 0)}));
  auto s = readSpec2(m, 2);
  ASSERT_TRUE(s);
  Plane pl;
  auto st = pl.setup(*s, 2, 300.15, 300.15, 1e-3, 1.0, "d2");
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("overlap"), std::string::npos) << st.error().message;
}
