// XSPICE's multi_input_pwl (the smallest or largest input through a curve)
// and delay (the input sampled on the tstep grid, played back later).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "test_kernel_support.cpp"

namespace simcore::testing {
namespace {

double op(const std::string& net, const std::string& sig) {
  return runOk(net).get(AnalysisType::Op).col(sig)[0];
}

double gate(double a, double b, const char* kind) {
  const std::string net = "t\nva a 0 " + std::to_string(a) + "\nvb b 0 " + std::to_string(b) +
                          "\na1 [a 0 b 0] (o 0) g\nr1 o 0 1k\n.model g multi_input_pwl(x=[0 1 3] y=[0 2 3] model=\"" +
                          kind + "\")\n.op\n.end\n";
  return op(net, "v(o)");
}

TEST(XspiceMultiInputPwl, SmallestOrLargestInputThroughTheCurve) {
  EXPECT_NEAR(gate(0.5, 2, "and"), 1.0, 1e-12);   // the smallest, 0.5, on the first segment
  EXPECT_NEAR(gate(0.5, 2, "or"), 2.5, 1e-12);    // the largest, 2, on the second
  EXPECT_NEAR(gate(0.5, 2, "nand"), 1.0, 1e-12);  // nand is and (ngspice 39)
  EXPECT_NEAR(gate(0.5, 2, "nor"), 2.5, 1e-12);
  EXPECT_NEAR(gate(-1, 2, "and"), 0.0, 1e-12);  // held beyond the ends
  EXPECT_NEAR(gate(0.5, 7, "or"), 3.0, 1e-12);
  // %vd pairs
  EXPECT_NEAR(op("t\nva a 0 2\nvb b 0 1.5\na1 [%vd(a b) %vd(b 0)] %vd(o 0) g\nr1 o 0 1k\n"
                 ".model g multi_input_pwl(x=[0 1 3] y=[0 2 3])\n.op\n.end\n",
                 "v(o)"),
              1.0, 1e-12);
}

TEST(XspiceMultiInputPwl, ChecksPortsAndModel) {
  Error e = runErr("t\nva a 0 1\na1 [a 0 a] (o 0) g\nr1 o 0 1\n.model g multi_input_pwl(x=[0 1] y=[0 1])\n.op\n.end\n");
  EXPECT_NE(e.message.find("even number of nodes"), std::string::npos) << e.message;
  e = runErr("t\nva a 0 1\na1 [a 0 a 0] (o 0) g\nr1 o 0 1\n.model g multi_input_pwl(x=[0 1] y=[0])\n.op\n.end\n");
  EXPECT_NE(e.message.find("x and y need the same number"), std::string::npos) << e.message;
  e = runErr("t\nva a 0 1\na1 [a 0 a 0] (o 0) g\nr1 o 0 1\n.model g multi_input_pwl(x=[0 1] y=[0 1] model=\"xor\")\n"
             ".op\n.end\n");
  EXPECT_NE(e.message.find("xor"), std::string::npos) << e.message;
}

TEST(XspiceDelay, FixedAndControlledDelay) {
  // a ramp of 1 V/ms from 0.2 ms; tstep 1 µs
  const auto r = runOk(
      "t\nvi in 0 pwl(0 0.3 0.2m 0.3 1.2m 1.3)\nvc c 0 0.5\na1 in o1 c d1\n.model d1 delay(delay=100u)\n"
      "a2 in o2 c d2\n.model d2 delay(has_delay_cnt=true delmin=50u delmax=250u)\nr1 o1 0 1k\nr2 o2 0 1k\n"
      ".tran 1u 1.5m\n.end\n");
  const auto& tr = r.get(AnalysisType::Tran);
  const auto& o1 = tr.col("v(o1)");
  const auto& o2 = tr.col("v(o2)");
  auto ramp = [](double t) { return t < 0.2e-3 ? 0.3 : t > 1.2e-3 ? 1.3 : 0.3 + (t - 0.2e-3) * 1e3; };
  for (std::size_t k = 0; k < tr.x.size(); ++k) {
    const double t = tr.x[k];
    // within one tstep of the input 100 µs (and 150 µs) earlier
    if (t > 0.11e-3) EXPECT_NEAR(o1[k], ramp(t - 100e-6), 1.5e-3) << t;
    if (t > 0.16e-3) EXPECT_NEAR(o2[k], ramp(t - 150e-6), 1.5e-3) << t;
    // before the delay: the input's value at 0
    if (t < 0.09e-3) EXPECT_NEAR(o1[k], 0.3, 1e-6) << t;
  }
  // the operating point passes the input through
  EXPECT_NEAR(op("t\nvi in 0 0.7\na1 in o NULL d\n.model d delay(delay=1m)\nr1 o 0 1k\n.op\n.end\n", "v(o)"), 0.7,
              1e-12);
}

}  // namespace
}  // namespace simcore::testing
