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
