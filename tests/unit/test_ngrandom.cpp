// ngspice 39's random numbers (devices/ngrandom.hpp) against numbers ngspice 39
// itself printed (Debian's ngspice 39, `ngspice -b DECK`), to its printed
// precision (7 significant digits, 6 of a negative number), and glibc's rand() against its documented
// first values. The decks are given with each test.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "devices/ngrandom.hpp"
#include "devices/random_wave.hpp"
#include "netlist_test_util.hpp"

using simcore::dev::NgRandom;

namespace {

// ngspice prints 7 significant digits, 6 of a negative number
void near7(double got, double want) { EXPECT_NEAR(got, want, 5e-6 * std::abs(want) + 1e-12) << "want " << want; }

}  // namespace

TEST(NgRandom, GlibcRandOfSeedOneIsTheDocumentedSequence) {
  NgRandom g;
  g.srand(1);
  EXPECT_EQ(g.rand(), 1804289383);
  EXPECT_EQ(g.rand(), 846930886);
  EXPECT_EQ(g.rand(), 1681692777);
  g.srand(0);  // glibc takes 0 as 1
  EXPECT_EQ(g.rand(), 1804289383);
}

// .options seed=5, V1 1 0 dc 0 trrandom(1 1n 0 1 0), .tran 1n 6n, print v(1):
// the held values from 0+, 1n+, 2n+, ... are drand() in a row
TEST(NgRandom, DrandAfterSeedFiveIsNgspicesTrrandomSequence) {
  NgRandom g(5);
  for (double want : {3.786768e-01, -1.47242e-01, 7.234320e-01, 2.013005e-01, 5.335652e-01, -1.24884e-01})
    near7(g.drand(), want);
  EXPECT_EQ(g.draws(), 6u);
}

// .options seed=7, .param a = agauss(1, 0.1, 1), b = gauss(2, 0.1, 3),
// c = unif(5, 0.2), d = aunif(5, 0.2), e = limit(1, 0.5) on R1..R5 in that
// order, print @r1[resistance] ...: 0.9068280 1.937103 4.021089 4.959400 0.5
TEST(NgRandom, NumparamFunctionsAfterSeedSevenAreNgspicesValues) {
  NgRandom g(7);
  near7(1 + 0.1 * g.gauss1(), 9.068280e-01);
  near7(2 + 2 * 0.1 / 3 * g.gauss1(), 1.937103e+00);
  near7(5 + 5 * 0.2 * g.drand(), 4.021089e+00);
  near7(5 + 0.2 * g.drand(), 4.959400e+00);
  EXPECT_EQ(1 + (g.drand() > 0 ? 0.5 : -0.5), 0.5);
}

// .options seed=3 and a .control script: let x = sgauss(0), y = sunif(0),
// r = rnd(1000) print -1.60772 0.5859711 801; setseed 42, sgauss(0):
// -0.0701997; set rndseed = 9, sgauss(0), exponential(2), poisson(3):
// 0.05625111 0.6977890 3
TEST(NgRandom, VectorFunctionsFollowCheckseedAndSetseedAsNgspice) {
  NgRandom g(3);           // .options seed=3 while the netlist is read
  g.checkSeed(3);          // the first vector function reseeds (rndseed 3)
  near7(g.gauss1(), -1.60772);
  g.checkSeed(3);          // no change: no reseed
  near7(g.drand(), 5.859711e-01);
  EXPECT_EQ(g.rand() % 1000, 801);
  g.seed(42);              // setseed 42
  g.checkSeed(42);
  near7(g.gauss1(), -7.01997e-02);
  g.checkSeed(9);          // set rndseed = 9, then a vector function
  near7(g.gauss1(), 5.625111e-02);
  near7(g.exprand(2), 6.977890e-01);
  EXPECT_EQ(g.poisson(3), 3);
}

// gauss0 gives both values of a pair: v2*fac, then v1*fac without a draw
TEST(NgRandom, GaussZeroHoldsTheSecondValueOfItsPair) {
  NgRandom a(11), b(11);
  const double first = a.gauss0();
  const std::uint64_t used = a.draws();
  const double second = a.gauss0();
  EXPECT_EQ(a.draws(), used);
  EXPECT_EQ(first, b.gauss1());
  EXPECT_NE(first, second);
}

TEST(NgRandom, ASnapshotRestoresTheStateWithAHeldGaussValue) {
  NgRandom g(17);
  for (int k = 0; k < 25; ++k) g.drand();
  (void)g.gauss0();
  NgRandom h = NgRandom::restore(g.snapshot());
  EXPECT_EQ(h.gauss0(), g.gauss0());
  for (int k = 0; k < 5; ++k) EXPECT_EQ(h.uniform(), g.uniform());
  // another stream: other numbers, the same for the same snapshot
  NgRandom o1 = NgRandom::restore(g.snapshot(3)), o2 = NgRandom::restore(g.snapshot(3));
  const double x = o1.uniform();
  EXPECT_EQ(x, o2.uniform());
  EXPECT_NE(x, NgRandom::restore(g.snapshot()).uniform());
  EXPECT_EQ(NgRandom::familyOf(g.snapshot(NgRandom::familyStream(4, 2))), std::make_pair(4u, 2u));
  EXPECT_EQ(NgRandom::familyOf(g.snapshot(5)), std::make_pair(1u, 0u));
}

// .options seed=5, V1 1 0 trrandom(2 1n 0 1 0), I2 2 0 trrandom(2 1n 0 2 0),
// V3 3 0 trrandom(2 1n 0 3 1), 1k loads, .tran 0.5n 8n, print v(1) v(2) v(3):
// on (0, 1n] 0.2869562 1375.733 6.307146, on (1n, 2n] v(1) = 1.510320.
// ngspice draws I2, V3, V1 at each point (current sources first, last read
// first), gauss0 handing out both values of a pair: I2 is member 0, V1 member 2.
TEST(NgRandom, TrrandomFamilyDrawsInTurn) {
  auto member = [&](unsigned k, double p1, double p2) {
    simcore::ir::Waveform w;
    w.kind = simcore::ir::WaveKind::TrRandom;
    w.args = {2, 1e-9, 0, p1, p2};
    w.seed = NgRandom(5).snapshot(NgRandom::familyStream(3, k));
    auto r = simcore::dev::RandomWave::make(w, simcore::dev::TranHints{1e-10, 3e-9}, "v");
    EXPECT_TRUE(r.ok());
    return r.value();
  };
  const auto i2 = member(0, 2, 0), v3 = member(1, 3, 1), v1 = member(2, 1, 0);
  near7(-1000 * i2->value(0.5e-9), 1.375733e+03);
  near7(v3->value(0.5e-9), 6.307146e+00);
  near7(v1->value(0.5e-9), 2.869562e-01);
  near7(v1->value(1.5e-9), 1.510320e+00);
  near7(v1->value(0.0), 0.0);  // param2 until the first point's draw
}

namespace {

// The value of device `name` among `devices` (a circuit's or a .step point's).
double valueOf(const std::vector<simcore::ir::Device>& devices, const std::string& name) {
  for (const simcore::ir::Device& d : devices)
    if (d.name == name) return d.value.value_or(-1);
  ADD_FAILURE() << "no device " << name;
  return -1;
}
double resistance(const simcore::ir::Circuit& c, const std::string& name) { return valueOf(c.devices, name); }
double variantValue(const simcore::ir::Variant& v, const std::string& name) { return valueOf(v.devices, name); }

}  // namespace

// tests/compat/rand_param_seed.cir's first lines, .options seed=11: ngspice 39
// prints 1/i(v1) .. 1/i(v4) = -1.08770 -1.03538 -2.06971 -2.06971 (R1, R2 use
// a, R3, R4 use c = 2*a; `unused` draws nothing; R5 = b = unif(2, 0.1) =
// 2.01334 is drawn first: c's definition draws a once, then R1 and R2 anew)
TEST(NgRandom, AParamNamingARandomFunctionDrawsAtEachUse) {
  const simcore::ir::Circuit c = simcore::testutil::ok(
      "t\n.options seed=11\n.param a = agauss(1, 0.1, 1)\n.param unused = agauss(1, 0.1, 1)\n"
      ".param b = unif(2, 0.1)\n.param c = 2*a\nR5 5 0 {b}\nR1 1 0 {a}\nR2 2 0 {a}\nR3 3 0 {c}\nR4 4 0 {c}\n.op\n.end\n");
  near7(resistance(c, "r1"), 1.08770);
  near7(resistance(c, "r2"), 1.03538);
  near7(resistance(c, "r3"), 2.06971);
  EXPECT_EQ(resistance(c, "r3"), resistance(c, "r4"));
  near7(resistance(c, "r5"), 2.01334);
}

TEST(NgRandom, SeedRandomWarnsAndSeedsWithOne) {
  const std::string body = ".param a = agauss(1, 0.1, 1)\nR1 1 0 {a}\nV1 1 0 1\n.op\n.end\n";
  const simcore::ir::Circuit r = simcore::testutil::ok("t\n.options seed=random\n" + body);
  const simcore::ir::Circuit one = simcore::testutil::ok("t\n.options seed=1\n" + body);
  EXPECT_EQ(resistance(r, "r1"), resistance(one, "r1"));
  bool warned = false;
  for (const auto& w : r.warnings) warned = warned || simcore::testutil::contains(w.message, "seed=random");
  EXPECT_TRUE(warned);
}

// LTspice's Monte-Carlo idiom: .step param run 1 N 1 with mc(x, tol), flat(x) and gauss(sigma):
// every run draws anew (the first run is the netlist's own draws), the same way each time
TEST(NgRandom, LtspiceMonteCarloRunsDrawAnewAtEachStepPoint) {
  const std::string deck =
      "mc\n.param rv = mc(1k, 0.1)\nR1 a 0 {rv}\nR2 a 0 {1k + flat(50)}\nR3 a 0 {1k + gauss(20)}\nV1 a 0 1\n"
      ".step param run 1 400 1\n.op\n.end\n";
  const simcore::ir::Circuit c = simcore::testutil::ok(deck);
  ASSERT_EQ(c.variants.size(), 400u);
  const auto stats = [&](const char* name, double& lo, double& hi, double& mean, double& sd) {
    lo = 1e300, hi = -1e300;
    double s = 0, s2 = 0;
    for (const auto& v : c.variants) {
      const double x = variantValue(v, name);
      lo = std::min(lo, x), hi = std::max(hi, x), s += x, s2 += x * x;
    }
    mean = s / 400, sd = std::sqrt(s2 / 400 - mean * mean);
  };
  double lo, hi, mean, sd;
  stats("r1", lo, hi, mean, sd);  // uniform in 1k (1 +- 0.1): sd 100/sqrt(3)
  EXPECT_GE(lo, 900.0);
  EXPECT_LT(hi, 1100.0);
  EXPECT_NEAR(mean, 1000.0, 3 * 57.7 / 20);
  EXPECT_NEAR(sd, 57.7, 0.15 * 57.7);
  stats("r2", lo, hi, mean, sd);  // uniform in 1k +- 50
  EXPECT_GE(lo, 950.0);
  EXPECT_LT(hi, 1050.0);
  EXPECT_NEAR(sd, 50 / std::sqrt(3.0), 0.15 * 50 / std::sqrt(3.0));
  stats("r3", lo, hi, mean, sd);  // Gaussian, sigma 20
  EXPECT_NEAR(mean, 1000.0, 3 * 20.0 / 20);
  EXPECT_NEAR(sd, 20.0, 0.15 * 20.0);
  // the first run is what the deck without .step draws; the same deck draws the same runs
  const simcore::ir::Circuit once = simcore::testutil::ok(
      "mc\n.param rv = mc(1k, 0.1)\nR1 a 0 {rv}\nR2 a 0 {1k + flat(50)}\nR3 a 0 {1k + gauss(20)}\nV1 a 0 1\n.op\n.end\n");
  EXPECT_EQ(variantValue(c.variants[0], "r1"), resistance(once, "r1"));
  EXPECT_EQ(variantValue(c.variants[0], "r3"), resistance(once, "r3"));
  const simcore::ir::Circuit again = simcore::testutil::ok(deck);
  for (std::size_t k = 0; k < c.variants.size(); k += 37)
    EXPECT_EQ(variantValue(again.variants[k], "r1"), variantValue(c.variants[k], "r1")) << k;
  // .options seed gives another sequence
  const simcore::ir::Circuit seeded = simcore::testutil::ok("mc\n.options seed=5\n" + deck.substr(3));
  EXPECT_NE(variantValue(seeded.variants[1], "r1"), variantValue(c.variants[1], "r1"));
  // several .temp values alone keep the values (the netlist is read once, as ngspice does)
  const simcore::ir::Circuit temps =
      simcore::testutil::ok("t\n.param rv = mc(1k, 0.1)\nR1 a 0 {rv}\nV1 a 0 1\n.temp 0 27 50\n.op\n.end\n");
  ASSERT_EQ(temps.variants.size(), 3u);
  EXPECT_EQ(variantValue(temps.variants[2], "r1"), variantValue(temps.variants[0], "r1"));
}

