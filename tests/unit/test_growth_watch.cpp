// GrowthWatch: does a transient's failure follow a runaway of its currents?
#include <gtest/gtest.h>

#include <cmath>

#include "analysis/growth_watch.hpp"
#include "netlist_test_util.hpp"

namespace {

using simcore::an::GrowthWatch;

TEST(GrowthWatch, SteadyCurrentsAreNoRunaway) {
  GrowthWatch w;
  for (int k = 1; k <= 1000; ++k) w.accepted(k * 1e-6, 16.0 + std::sin(k * 0.1), 3);
  EXPECT_FALSE(w.runaway());
}

TEST(GrowthWatch, InrushFromZeroIsNoRunawayWhenItCameEarly) {
  // a current that rose from 0 to 10 A in the first microsecond, then stays
  GrowthWatch w;
  for (int k = 0; k <= 1000; ++k) w.accepted(k * 1e-8, k < 100 ? 0.1 * k : 10.0, 1);
  EXPECT_FALSE(w.runaway());
}

TEST(GrowthWatch, GrowthLateInTheRunIsTold) {
  // 16 A for 7 us, then an oscillation growing 30 % per step to kiloamps
  GrowthWatch w;
  double t = 0;
  for (int k = 0; k < 700; ++k) w.accepted(t += 1e-8, 16.0 * std::min(1.0, t / 4e-6), 2);
  double i = 16;
  while (i < 4000) {
    i *= 1.3;
    w.accepted(t += 1e-10, i, 5);
  }
  w.accepted(t += 1e-10, 4000, 5);
  const auto g = w.runaway();
  ASSERT_TRUE(g);
  EXPECT_EQ(g->unknown, 5);
  EXPECT_DOUBLE_EQ(g->now, 4000);
  EXPECT_DOUBLE_EQ(g->nowAt, t);
  EXPECT_DOUBLE_EQ(g->beforeAt, 0.5 * t);
  // the peak by half the run (3.5 us: 14 A) within the factor of two of the records
  EXPECT_GE(g->before, 14.0 / 2);
  EXPECT_LE(g->before, 14.0);
  // it passed 4000/20 = 200 A in the last few steps, long after 7 us
  EXPECT_GT(g->since, 7e-6);
  EXPECT_LT(g->since, t);
}

TEST(GrowthWatch, SmallCurrentsAreNotWorthTelling) {
  // microamps growing a thousandfold: below the 1 A floor
  GrowthWatch w;
  for (int k = 1; k <= 100; ++k) w.accepted(k * 1e-6, 1e-6, 1);
  w.accepted(101e-6, 1e-3, 1);
  EXPECT_FALSE(w.runaway());
}

TEST(GrowthWatch, ResetForgets) {
  GrowthWatch w;
  for (int k = 1; k <= 100; ++k) w.accepted(k * 1e-6, 1.0, 1);
  w.accepted(101e-6, 1e3, 1);
  EXPECT_TRUE(w.runaway());
  w.reset();
  EXPECT_FALSE(w.runaway());
}

// The transient's failure message: a tank with a negative conductance grows
// until its values overflow; the error says the currents ran away, in which branch.
TEST(GrowthWatch, TransientFailureAfterARunawaySaysSo) {
  const auto r = simcore::testutil::simulateText(
      "runaway tank\nL1 a 0 1u\nC1 a 0 1u\nG1 a 0 a 0 -0.1\nI1 0 a PULSE(0 1m 0 1n 1n 1u 1)\n.tran 1u 20m\n.end\n");
  ASSERT_FALSE(r.ok());
  const std::string& m = r.error().message;
  EXPECT_NE(m.find("timestep too small"), std::string::npos) << m;
  EXPECT_NE(m.find("the currents ran away"), std::string::npos) << m;
  EXPECT_NE(m.find("branch current of 'l1'"), std::string::npos) << m;
}

}  // namespace
