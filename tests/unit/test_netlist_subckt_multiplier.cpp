// m= on sub-circuit instances (ngspice 39's reading: the sub-circuit gets a
// parameter m that every element of its body but B E H V ... takes as its
// multiplier) and the multiplier of G, F and I sources.
#include <gtest/gtest.h>

#include <complex>
#include <string>

#include "test_kernel_support.cpp"

namespace {

using simcore::AnalysisType;
using simcore::testing::RunOutput;
using simcore::testing::runErr;
using simcore::testing::runOk;

double opValue(const RunOutput& r, const std::string& name) { return r.get(AnalysisType::Op).col(name)[0]; }

bool warnedAbout(const RunOutput& r, const std::string& text) {
  for (const auto& w : r.warnings)
    if (w.message.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST(SubcktMultiplier, InstanceMultiplierPutsCopiesInParallel) {
  // 8 ohm inside, m=4: 2 ohm from a 4 V source
  const auto r = runOk("t\nv1 in 0 4\nx1 in 0 sub m=4\n.subckt sub a b\nr1 a b 8\n.ends\n.op\n.end\n");
  EXPECT_NEAR(opValue(r, "i(v1)"), -2.0, 1e-12);
}

TEST(SubcktMultiplier, ReplacesTheBodysOwnMultiplierInEveryInstance) {
  // ngspice 39 appends m={m} to the body's elements: r1's own m=5 is lost,
  // in the instance without m= too (where m is the default 1)
  const std::string net =
      "t\nv1 in 0 10\nx1 in o1 cell m=2\nr1 o1 0 1\nx2 in o2 cell\nr2 o2 0 1\n"
      ".subckt cell a b params: r=9\nr1 a b {r} m=5\n.ends\n.op\n.end\n";
  const auto r = runOk(net);
  EXPECT_NEAR(opValue(r, "v(o1)"), 10.0 * 1.0 / (1.0 + 4.5), 1e-9);
  EXPECT_NEAR(opValue(r, "v(o2)"), 10.0 * 1.0 / (1.0 + 9.0), 1e-9);
  EXPECT_TRUE(warnedAbout(r, "'r1' gives m=, which the multiplier of .subckt 'cell' replaces"));
}

TEST(SubcktMultiplier, PassedOnThroughNestedInstances) {
  const std::string net =
      "t\nv1 in 0 6\nx1 in 0 outer m=3\n.subckt outer p q\nx1 p q inner\n.ends\n"
      ".subckt inner a b\nr1 a b 6\n.ends\n.op\n.end\n";
  EXPECT_NEAR(opValue(runOk(net), "i(v1)"), -3.0, 1e-12);
}

TEST(SubcktMultiplier, LeavesVoltageSourcesAndEAlone) {
  // v and e take no multiplier: the 1 V source stays 1 V, the 2 mA source doubles
  const std::string net =
      "t\nx1 o 0 s m=2\nrl o 0 1k\n.subckt s a b\nvs a c 1\ni1 b c 1m\nrs c b 1meg\n.ends\n.op\n.end\n";
  const auto r = runOk(net);
  // at c: 2 mA in = v(c) / 0.5 Mohm + (v(c) + 1 V) / 1 kohm
  EXPECT_NEAR(opValue(r, "v(x1.c)"), 1e-3 / (2e-6 + 1e-3), 1e-9);
}

TEST(SubcktMultiplier, ASubcktsOwnParameterMIsItsOwn) {
  // a sub-circuit that declares m uses it as it likes: r1 keeps m=5
  const std::string net =
      "t\nv1 in 0 10\nx1 in 0 cell m=2\n.subckt cell a b params: m=1\nr1 a b {10*m} m=5\n.ends\n.op\n.end\n";
  EXPECT_NEAR(opValue(runOk(net), "i(v1)"), -10.0 / (20.0 / 5.0), 1e-12);
}

TEST(SourceMultiplier, GFAndITakeM) {
  const auto r = runOk(
      "t\nv1 in 0 1\nr0 in 0 1k\n"
      "g1 1 0 in 0 1m m=2\nr1 1 0 1k\n"
      "f1 2 0 v1 2m m=3\nr2 2 0 1k\n"
      "i1 0 3 dc 1m m=4\nr3 3 0 1k\n"
      ".op\n.end\n");
  EXPECT_NEAR(opValue(r, "v(1)"), -2.0, 1e-12);
  EXPECT_NEAR(opValue(r, "v(2)"), 2e-3 * 3 * 1e-3 * 1e3, 1e-12);  // i(v1) = -1 mA
  EXPECT_NEAR(opValue(r, "v(3)"), 4.0, 1e-12);
}

TEST(SourceMultiplier, BehaviouralGTakesM) {
  // G VALUE=/CUR= m=2: twice the current (ngspice 39), also spread by an instance's m=
  const auto r = runOk("t\nv1 in 0 1\nr0 in a 1k\ng1 a 0 value={v(a)*1m} m=2\n.op\n.end\n");
  EXPECT_NEAR(opValue(r, "v(a)"), 1.0 / 3.0, 1e-12);
  const auto s = runOk("t\nv1 in 0 1\nr0 in a 1k\nx1 a sub m=2\n.subckt sub a\ng1 a 0 cur={v(a)*1m}\n.ends\n.op\n.end\n");
  EXPECT_NEAR(opValue(s, "v(a)"), 1.0 / 3.0, 1e-12);
}

TEST(SourceMultiplier, BehaviouralResistorTakesM) {
  // R={expr of v()} m=2: twice the current (ngspice 39)
  const auto r = runOk("t\nv1 in 0 1\nr0 in a 1k\nr1 a 0 r={1k+v(a)} m=2\n.op\n.end\n");
  const double a = opValue(r, "v(a)");
  EXPECT_NEAR((1.0 - a) / 1e3, 2.0 * a / (1e3 + a), 1e-12);  // through r0 = through both copies
}

TEST(SourceMultiplier, CurrentSourceMultiplierScalesAc) {
  const auto r = runOk("t\ni1 0 1 dc 0 ac 1m m=5\nr1 1 0 1k\n.ac lin 1 1k 1k\n.end\n");
  const auto& c = r.get(AnalysisType::Ac);
  EXPECT_NEAR(std::abs(c.phasor("v(1)", 0)), 5.0, 1e-12);
}

TEST(SourceMultiplier, ENoMultiplierAndNothingButNamesAfterTheGain) {
  auto e = runErr("t\nv1 in 0 1\ne1 1 0 in 0 2 m=2\nr1 1 0 1\n.op\n.end\n");
  EXPECT_NE(e.message.find("unknown parameter 'm'"), std::string::npos) << e.message;
  e = runErr("t\nv1 in 0 1\ng1 1 0 in 0 1m (2)\nr1 1 0 1\n.op\n.end\n");
  EXPECT_NE(e.message.find("after the gain of"), std::string::npos) << e.message;
  e = runErr("t\ni1 0 1 1m m=\nr1 1 0 1\n.op\n.end\n");
  EXPECT_NE(e.message.find("missing value after 'm='"), std::string::npos) << e.message;
}
