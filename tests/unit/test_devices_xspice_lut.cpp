// XSPICE's d_lut: the table indexed by the inputs (in0 the least significant
// bit), U entries and U inputs, a short string, the string with and without
// '=', delays, and the checks.
#include <gtest/gtest.h>

#include <string>

#include "test_kernel_support.cpp"

namespace simcore::testing {
namespace {

// The inputs through an adc_bridge reading 0 below 0.25 V, 1 above 0.75 V, U between.
const char* const kInputs = "ab [a b] [ad bd] adc\n.model adc adc_bridge(in_low=0.25 in_high=0.75 rise_delay=1e-12 fall_delay=1e-12)\n";

double lutOp(double a, double b, const std::string& model) {
  const std::string net = "t\nva a 0 " + std::to_string(a) + "\nvb b 0 " + std::to_string(b) + "\n" + kInputs +
                          "a1 [ad bd] y lut\n" + model + ".op\n.end\n";
  return runOk(net).get(AnalysisType::Op).col("v(y)")[0];
}

TEST(XspiceLut, TableIndexedByTheInputs) {
  const std::string m = ".model lut d_lut(table_values=\"01x0\")\n";
  EXPECT_NEAR(lutOp(0, 0, m), 0.0, 1e-12);
  EXPECT_NEAR(lutOp(1, 0, m), 1.0, 1e-12);  // index 1: in0 is the low bit
  EXPECT_NEAR(lutOp(0, 1, m), 0.5, 1e-12);  // 'x': U
  EXPECT_NEAR(lutOp(1, 1, m), 0.0, 1e-12);
  EXPECT_NEAR(lutOp(0.5, 1, m), 0.5, 1e-12);  // a U input
  // a short string: the rest is U; no '=' (ngspice's examples)
  EXPECT_NEAR(lutOp(1, 1, ".model lut d_lut(table_values \"1\")\n"), 0.5, 1e-12);
  EXPECT_NEAR(lutOp(0, 0, ".model lut d_lut table_values \"1\"\n"), 1.0, 1e-12);
}

TEST(XspiceLut, DelaysInATransient) {
  const auto r = runOk(
      "t\nva a 0 pwl(0 0 10n 0 10.001n 1)\nvb b 0 0\n" + std::string(kInputs) + "a1 [ad bd] y lut\n"
      ".model lut d_lut(rise_delay=7n fall_delay=3n table_values=\"0100\")\n.tran 0.1n 40n\n.end\n");
  const auto& tr = r.get(AnalysisType::Tran);
  const auto& y = tr.col("v(y)");
  for (std::size_t k = 0; k < tr.x.size(); ++k) {
    if (tr.x[k] < 16.9e-9) EXPECT_NEAR(y[k], 0.0, 1e-12) << tr.x[k];
    if (tr.x[k] > 17.1e-9) EXPECT_NEAR(y[k], 1.0, 1e-12) << tr.x[k];
  }
}

TEST(XspiceLut, ModelIsChecked) {
  Error e = runErr("t\nva a 0 0\na1 [a] y lut\n.model lut d_lut(rise_delay=1n)\n.op\n.end\n");
  EXPECT_NE(e.message.find("needs table_values"), std::string::npos) << e.message;
  e = runErr("t\nva a 0 0\na1 [a] y lut\n.model lut d_lut(fall_delay=0 table_values=\"01\")\n.op\n.end\n");
  EXPECT_NE(e.message.find("at least 1e-12"), std::string::npos) << e.message;
  e = runErr("t\nva a 0 0\na1 [%v(a)] y lut\n.model lut d_lut(table_values=\"01\")\n.op\n.end\n");
  EXPECT_NE(e.message.find("is digital"), std::string::npos) << e.message;
}

}  // namespace
}  // namespace simcore::testing
