// Transmission lines (issue 12 item 6): T's initial conditions, the LTRA's
// impulse-response pieces against closed forms, and the cards' errors.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "netlist_test_util.hpp"
#include "test_kernel_support.cpp"

using namespace simcore;
using simcore::testing::Collected;
using simcore::testing::runOk;

namespace {

// The value of column `name` at the first row at or after time t.
double at(const Collected& c, const std::string& name, double t) {
  const auto& col = c.col(name);
  for (std::size_t k = 0; k < c.rows; ++k)
    if (c.x[k] >= t) return col[k];
  return NAN;
}

// A 50 Ohm line between two 50 Ohm resistors: each end sees the wave the
// other end's initial conditions launch, halved by the divider, until TD.
TEST(LineT, UicStartsFromIcNotFromTheNodes) {
  auto out = runOk(
      "t ic\n"
      "RA a 0 50\n"
      "T1 a 0 b 0 Z0=50 TD=10n IC=2,10m,1.5,-4m\n"
      "RB b 0 50\n"
      ".ic v(a)=3 v(b)=3\n"
      ".tran 0.1n 5n uic\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  // into port 1: v2 + Z0 i2 = 1.5 - 0.2 = 1.3; into port 2: v1 + Z0 i1 = 2 + 0.5 = 2.5
  EXPECT_NEAR(at(tr, "v(a)", 2e-9), 0.65, 1e-9);
  EXPECT_NEAR(at(tr, "v(b)", 2e-9), 1.25, 1e-9);
}

TEST(LineT, SingleIcParametersWinOverTheVector) {
  auto out = runOk(
      "t ic\n"
      "RA a 0 50\n"
      "T1 a 0 b 0 Z0=50 TD=10n IC=2,10m V2=1 I2=0 I1=0\n"
      "RB b 0 50\n"
      ".tran 0.1n 5n uic\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  EXPECT_NEAR(at(tr, "v(a)", 2e-9), 0.5, 1e-9);
  EXPECT_NEAR(at(tr, "v(b)", 2e-9), 1.0, 1e-9);
}

TEST(LineT, WithoutUicIcIsIgnored) {
  auto out = runOk(
      "t ic\n"
      "V1 s 0 1\n"
      "RA s a 50\n"
      "T1 a 0 b 0 Z0=50 TD=10n IC=2,10m,1.5,-4m\n"
      "RB b 0 50\n"
      ".tran 0.1n 5n\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  EXPECT_NEAR(at(tr, "v(a)", 2e-9), 0.5, 1e-9);
  EXPECT_NEAR(at(tr, "v(b)", 2e-9), 0.5, 1e-9);
}

TEST(LineT, IcTakesAtMostFourValues) {
  const Error e = simcore::testing::runErr(
      "t ic\n"
      "RA a 0 50\n"
      "T1 a 0 b 0 Z0=50 TD=10n IC=1,2,3,4,5\n"
      "RB b 0 50\n"
      ".tran 0.1n 5n uic\n");
  EXPECT_TRUE(testutil::contains(e.message, "at most 4 values")) << e.message;
  EXPECT_EQ(e.loc.line, 3);
}

}  // namespace
