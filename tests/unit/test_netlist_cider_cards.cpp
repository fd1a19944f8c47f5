// CIDER numerical device models (.model M numd level=1 with one card per '+'
// line, netlist/cider_cards.cpp): cards and parameters by ngspice 39's
// matching rules, canonical names (devices/cider_vocab.cpp), errors and
// warnings with their place in the deck.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <string>
#include <vector>

#include "netlist_test_util.hpp"
#include "simcore/ir.hpp"

using namespace simcore;
using namespace simcore::testutil;

namespace {

// ngspice's examples/cider/diode/diode.cir, its model
const char* kDiodeModel = R"(
.model M_PN numd level=1
+ ***************************************
+ *** One-Dimensional Numerical Diode ***
+ ***************************************
+ options defa=1p
+ x.mesh loc=0.0 n=1
+ x.mesh loc=1.3 n=201
+ domain   num=1 material=1
+ material num=1 silicon
+ mobility mat=1 concmod=ct fieldmod=ct
+ doping gauss p.type conc=1e20 x.l=0.0  x.h=0.0 char.l=0.100
+ doping unif  n.type conc=1e16 x.l=0.0  x.h=1.3
+ doping gauss n.type conc=5e19 x.l=1.3  x.h=1.3 char.l=0.100
+ models bgn aval srh auger conctau concmob fieldmob
+ method ac=direct
)";

std::string deck(const std::string& model, const std::string& device = "D1 1 0 M_PN AREA=100") {
  return "cider test\nV1 1 0 0.5\n" + device + "\n" + model + "\n.op\n.end\n";
}

const ir::Model& onlyModel(const ir::Circuit& c) {
  EXPECT_EQ(c.models.size(), 1u);
  static const ir::Model none;
  return c.models.empty() ? none : c.models[0];
}

// "name=value" (flags: "name=1"), lists "name=v1,v2", in the order written
std::string paramsOf(const ir::ModelCard& card) {
  std::string s;
  for (const ir::Param& p : card.params) {
    if (!s.empty()) s += ' ';
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", p.value);
    s += p.name + "=" + buf;
    for (std::size_t k = 1; k < p.values.size(); ++k) {
      std::snprintf(buf, sizeof buf, ",%g", p.values[k]);
      s += buf;
    }
  }
  return s;
}

std::vector<std::string> cardLines(const ir::Model& m) {
  std::vector<std::string> out;
  for (const ir::ModelCard& c : m.cards) out.push_back(c.name + ": " + paramsOf(c));
  return out;
}

TEST(NetlistCiderCards, DiodeExampleReadsIntoCanonicalCards) {
  const ir::Circuit c = ok(deck(kDiodeModel));
  const ir::Model& m = onlyModel(c);
  EXPECT_EQ(m.type, "numd");
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0].name, "level");
  EXPECT_EQ(m.params[0].value, 1.0);
  const std::vector<std::string> want = {
      "options: defa=1e-12",
      "x.mesh: location=0 number=1",
      "x.mesh: location=1.3 number=201",
      "domain: number=1 material=1",
      "material: number=1 silicon=1",
      "mobility: material=1 concmodel=1 fieldmodel=1",
      "doping: gaussian=1 p.type=1 conc=1e+20 x.low=0 x.high=0 char.length=0.1",
      "doping: uniform=1 n.type=1 conc=1e+16 x.low=0 x.high=1.3",
      "doping: gaussian=1 n.type=1 conc=5e+19 x.low=1.3 x.high=1.3 char.length=0.1",
      "models: bgn=1 avalanche=1 srh=1 auger=1 conctau=1 concmob=1 fieldmob=1",
      "method: ac.analysis=1",
  };
  EXPECT_EQ(cardLines(m), want);
  EXPECT_EQ(countWarnings(c, "CIDER"), 0);
  // places: a card at its name, a parameter at its name
  ASSERT_EQ(m.cards.size(), want.size());
  EXPECT_EQ(m.cards[1].loc.line, 10);
  EXPECT_EQ(m.cards[1].loc.col, 3);
  EXPECT_EQ(m.cards[1].params[1].loc.line, 10);
  EXPECT_EQ(m.cards[1].params[1].loc.col, 18);
  EXPECT_EQ(m.cards[1].loc.file, "t.cir");
}

TEST(NetlistCiderCards, UpperCaseDeckReadsTheSame) {
  std::string upper = kDiodeModel;
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  const ir::Circuit lowerCase = ok(deck(kDiodeModel));
  const ir::Circuit upperCase = ok(deck(upper, "D1 1 0 M_PN AREA=100"));
  EXPECT_EQ(cardLines(onlyModel(upperCase)), cardLines(onlyModel(lowerCase)));
  EXPECT_EQ(onlyModel(upperCase).cards.size(), 11u);
}

TEST(NetlistCiderCards, NegatedFlagAndKeywords) {
  const ir::Circuit c = ok(deck(".model M_PN numd level=1\n"
                                "+ models bgn ^aval\n"
                                "+ mobility mat=1 concmod=SG fieldmod=g\n"
                                "+ method ac=sor\n"));
  EXPECT_EQ(cardLines(onlyModel(c)),
            (std::vector<std::string>{"models: bgn=1 avalanche=0", "mobility: material=1 concmodel=4 fieldmodel=5",
                                      "method: ac.analysis=2"}));
}

TEST(NetlistCiderCards, PrefixesAndAliases) {
  const ir::Circuit c = ok(deck(".model Q1M nbjt level=1\n"
                                "+ x.mesh node=1 loc=0.0 h1=0.1 h.m=0.2\n"
                                "+ region num=1 material=1\n"
                                "+ physics num=1 silicon nbgnn=1e17 nbgnp=1e17 epsilon=11.7 taun0=1u\n"
                                "+ mobility material=1 elec major\n"
                                "+ mobility mat=1 hole minor init\n"
                                "+ doping gauss donor peak.conc=1e18 char.len=0.1 range=0.2\n"
                                "+ doping unif acceptor domains=1 2 conc=1e15\n"
                                "+ options bjt base.length=1.0 base.depth=1.25\n",
                                "Q1 1 0 0 Q1M AREA=1"));
  EXPECT_EQ(cardLines(onlyModel(c)),
            (std::vector<std::string>{
                "x.mesh: number=1 location=0 h.start=0.1 h.max=0.2",
                "domain: number=1 material=1",
                "material: number=1 silicon=1 eg.nref=1e+17 eg.pref=1e+17 permittivity=11.7 tn=1e-06",
                "mobility: material=1 electron=1 majority=1",
                "mobility: material=1 hole=1 minority=1 init=1",
                "doping: gaussian=1 n.type=1 conc=1e+18 char.length=0.1 location=0.2",
                "doping: uniform=1 p.type=1 domains=1,2 conc=1e+15",
                "options: bipolar=1 base.length=1 base.depth=1.25",
            }));
  EXPECT_EQ(onlyModel(c).type, "nbjt");
  EXPECT_EQ(countWarnings(c, "CIDER"), 0);
}

TEST(NetlistCiderCards, ContinuationAndSingletonCards) {
  const ir::Circuit c = ok(deck(".model M_PN numd level=1\n"
                                "+ models bgn srh\n"
                                "++ auger\n"
                                "+ doping unif n.type\n"
                                "+ +conc=1e16\n"
                                "* a comment line between cards is no card\n"
                                "+ models concmob\n"
                                "+ options defa=1p\n"
                                "+ options resistor\n"));
  EXPECT_EQ(cardLines(onlyModel(c)), (std::vector<std::string>{"models: bgn=1 srh=1 auger=1 concmob=1",
                                                                "doping: uniform=1 n.type=1 conc=1e+16",
                                                                "options: defa=1e-12 resistor=1"}));
}

TEST(NetlistCiderCards, CommentCardEndsTheCard) {
  const Error e = err(deck(".model M_PN numd level=1\n"
                           "+ models bgn\n"
                           "+ *** a comment card\n"
                           "++ srh\n"));
  EXPECT_EQ(e.code, ErrorCode::Parse);
  EXPECT_TRUE(contains(e.message, "illegal continuation")) << e.message;
  EXPECT_EQ(e.loc.line, 7);
  EXPECT_EQ(e.loc.col, 2);
}

TEST(NetlistCiderCards, TitleIgnoredAndEndStops) {
  const ir::Circuit c = ok(deck(".model M_PN numd level=1\n"
                                "+ title One-Dimensional Numerical Diode\n"
                                "+ models bgn\n"
                                "+ end\n"
                                "+ models srh\n"
                                "+ nonsense\n"));
  EXPECT_EQ(cardLines(onlyModel(c)), (std::vector<std::string>{"models: bgn=1"}));
  EXPECT_EQ(countWarnings(c, "nonsense"), 0);
}

TEST(NetlistCiderCards, UnknownCardWarnsWithItsPlace) {
  const ir::Circuit c = ok(deck(".model M_PN numd level=1\n"
                                "+ models bgn\n"
                                "+   flux capacitor=1\n"
                                "++ more=2\n"
                                "+ models srh\n"));
  EXPECT_EQ(cardLines(onlyModel(c)), (std::vector<std::string>{"models: bgn=1 srh=1"}));
  ASSERT_EQ(countWarnings(c, "unknown card 'flux'"), 1);
  for (const auto& w : c.warnings)
    if (contains(w.message, "unknown card 'flux'")) {
      EXPECT_EQ(w.loc.file, "t.cir");
      EXPECT_EQ(w.loc.line, 6);
      EXPECT_EQ(w.loc.col, 5);
    }
}

TEST(NetlistCiderCards, UnknownOrAmbiguousParameterWarnsAndIsSkipped) {
  const ir::Circuit c = ok(deck(".model M_PN numd level=1\n"
                                "+ material num=1 deg.d=0.1 silicon bogus=3 eg=1.1\n"
                                "+ mobility mat=1 mu=100 concmod=um\n"
                                "+ options ^defa=1p\n"));
  EXPECT_EQ(cardLines(onlyModel(c)), (std::vector<std::string>{"material: number=1 silicon=1 eg=1.1",
                                                                "mobility: material=1", "options: defa=1e-12"}));
  EXPECT_EQ(countWarnings(c, "ambiguous parameter 'deg.d'"), 1);
  EXPECT_EQ(countWarnings(c, "unknown parameter 'bogus'"), 1);
  EXPECT_EQ(countWarnings(c, "ambiguous parameter 'mu'"), 1);
  EXPECT_EQ(countWarnings(c, "unknown value 'um'"), 1);
  EXPECT_EQ(countWarnings(c, "only a flag can be negated"), 1);
}

TEST(NetlistCiderCards, AmbiguousCardNameIsAnError) {
  const Error e = err(deck(".model M_PN numd level=1\n+ do num=1 material=1\n"));
  EXPECT_EQ(e.code, ErrorCode::Parse);
  EXPECT_TRUE(contains(e.message, "ambiguous card name 'do'")) << e.message;
  EXPECT_EQ(e.loc.line, 5);
}

TEST(NetlistCiderCards, BadNumberIsAnErrorWithItsPlace) {
  const Error e = err(deck(".model M_PN numd level=1\n"
                           "+ x.mesh loc=0.0 n=1\n"
                           "+ doping unif n.type conc=lots\n"));
  EXPECT_EQ(e.code, ErrorCode::Parse);
  EXPECT_TRUE(contains(e.message, "'conc' on the doping card")) << e.message;
  EXPECT_TRUE(contains(e.message, "needs a number")) << e.message;
  EXPECT_EQ(e.loc.file, "t.cir");
  EXPECT_EQ(e.loc.line, 6);
  EXPECT_EQ(e.loc.col, 27);
  const Error missing = err(deck(".model M_PN numd level=1\n+ x.mesh loc=0.0 n\n"));
  EXPECT_TRUE(contains(missing.message, "'number' on the x.mesh card")) << missing.message;
  EXPECT_TRUE(contains(missing.message, "an integer")) << missing.message;
}

TEST(NetlistCiderCards, ParamValuesAndModelLine) {
  const ir::Circuit c = ok("t\n.param w=1.3\nV1 1 0 0.5\nD1 1 0 M_PN\n"
                           ".model M_PN numd level=1 foo=2\n"
                           "+ x.mesh loc={w} n=201.4\n.op\n.end\n");
  EXPECT_EQ(cardLines(onlyModel(c)), (std::vector<std::string>{"x.mesh: location=1.3 number=201"}));
  EXPECT_EQ(countWarnings(c, "'foo' on the .model line"), 1);
}

TEST(NetlistCiderCards, LevelsOtherThanOneAndTwoAreRejected) {
  // level 2 (and numos) are the two-dimensional devices: read like level 1
  const Error level3 = err(deck(".model M_PN numd level=3\n+ options defa=1p\n"));
  EXPECT_EQ(level3.code, ErrorCode::Semantic);
  EXPECT_TRUE(contains(level3.message, "is 1 (one-dimensional) or 2 (two-dimensional)")) << level3.message;
  EXPECT_EQ(level3.loc.line, 4);
  EXPECT_EQ(level3.loc.col, 24);
}

}  // namespace
