// Temperature coefficients and scale of R, C and L as ngspice 39 (issue 12,
// item 3): tce (R*1.01^(tce*dT)), PSpice's TC=tc1,tc2, model coefficients of
// C and L with the instance's winning, scale= on C and L. Agreement with
// ngspice: tests/compat/misc_rcl_temp.cir.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <string>

#include "test_kernel_support.cpp"
#include "netlist_test_util.hpp"

using namespace simcore;
using simcore::testing::Collected;
using simcore::testing::runOk;

namespace {

double opCurrent(const std::string& element) {
  auto out = runOk("t\nV1 a 0 1\n" + element + "\n.temp 50\n.op\n.end\n");
  return -out.get(AnalysisType::Op).col("i(v1)").at(0);
}

TEST(PassiveTemperature, ResistorCoefficients) {
  const double dt = 50 - 27;
  EXPECT_NEAR(opCurrent("R1 a 0 1k tc1=0.01 tc2=0.001"), 1.0 / (1e3 * (1 + 0.01 * dt + 0.001 * dt * dt)), 1e-12);
  // PSpice's TC=tc1,tc2 (ngspice's PSpice mode), and tc= alone as tc1
  EXPECT_NEAR(opCurrent("R1 a 0 1k tc=0.01,0.001"), 1.0 / (1e3 * (1 + 0.01 * dt + 0.001 * dt * dt)), 1e-12);
  EXPECT_NEAR(opCurrent("R1 a 0 1k TC = 0.01, 0.001"), 1.0 / (1e3 * (1 + 0.01 * dt + 0.001 * dt * dt)), 1e-12);
  EXPECT_NEAR(opCurrent("R1 a 0 1k tc=0.01"), 1.0 / (1e3 * (1 + 0.01 * dt)), 1e-12);
  // the exponential coefficient replaces tc1/tc2, on the instance or the model
  EXPECT_NEAR(opCurrent("R1 a 0 1k tce=2 tc1=0.5"), 1.0 / (1e3 * std::pow(1.01, 2 * dt)), 1e-12);
  EXPECT_NEAR(opCurrent("R1 a 0 rm 1k\n.model rm r(tce=2 tnom=30)"), 1.0 / (1e3 * std::pow(1.01, 2 * 20.0)), 1e-12);
  // the model's tc1r/tc2r spellings
  EXPECT_NEAR(opCurrent("R1 a 0 rm 1k\n.model rm r(tc1r=0.01)"), 1.0 / (1e3 * (1 + 0.01 * dt)), 1e-12);
}

std::complex<double> acAdmittance(const std::string& element) {
  auto out = runOk("t\nV1 a 0 DC 0 AC 1\n" + element + "\n.temp 50\n.ac lin 1 1k 1k\n.end\n");
  return -out.get(AnalysisType::Ac).phasor("i(v1)", 0);
}

TEST(PassiveTemperature, CapacitorAndInductorModelsAndScale) {
  const double dt = 23, w = 2 * M_PI * 1e3;
  const double fc = 1 + 3e-3 * dt - 1e-5 * dt * dt;
  EXPECT_NEAR(acAdmittance("C1 a 0 cm 10n\n.model cm c(tc1=3e-3 tc2=-1e-5)").imag(), w * 10e-9 * fc, 1e-12);
  EXPECT_NEAR(acAdmittance("C1 a 0 cm 10n scale=0.5 tc1=0\n.model cm c(tc1=3e-3)").imag(), w * 5e-9, 1e-12);
  const double fl = 1 - 2e-3 * (50 - 40);
  EXPECT_NEAR(acAdmittance("L1 a b lm 1m scale=3\nRB b 0 1u\n.model lm l(tc1=-2e-3 tnom=40)").imag(), -1 / (w * 3e-3 * fl), 1e-9);
}

}  // namespace
