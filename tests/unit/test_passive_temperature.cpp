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


// The semiconductor capacitor of ngspice 39 and .options scale on R and C geometry
// (agreement with ngspice: tests/compat/cap_geometry.cir).
TEST(PassiveTemperature, CapacitorGeometryAndOptionsScale) {
  const double w = 2 * M_PI * 1e3, tnom = 27;
  auto capOf = [&](const std::string& card) {
    auto out = runOk("t\nV1 a 0 DC 0 AC 1\n" + card + "\n.temp " + std::to_string(tnom) + "\n.ac lin 1 1k 1k\n.end\n");
    return -out.get(AnalysisType::Ac).phasor("i(v1)", 0).imag() / w;
  };
  // C = CJ (W - NARROW)(L - SHORT) + 2 CJSW (L - SHORT + W - NARROW)
  const double c1 = 1e-3 * 19.9e-6 * 29.8e-6 + 2 * 2e-10 * (29.8e-6 + 19.9e-6);
  EXPECT_NEAR(capOf("C1 a 0 cm l=30u w=20u\n.model cm c cj=1e-3 cjsw=2e-10 narrow=0.1u short=0.2u"), c1, 1e-24);
  // an unset L is 0 (ngspice's DEFL is unused); W defaults to DEFW
  EXPECT_NEAR(capOf("C1 a 0 cm\n.model cm c cjsw=1e-10 defw=5u"), 2 * 1e-10 * 5e-6, 1e-24);
  // CJ from DI eps0 / THICK; DEL takes 2 DEL off each dimension
  const double cj = 3.9 * 8.854214871e-12 / 20e-9;
  EXPECT_NEAR(capOf("C1 a 0 cm l=10u w=10u\n.model cm c thick=20n di=3.9 del=0.05u"), cj * 9.9e-6 * 9.9e-6, 1e-24);
  // an instance value wins over the geometry
  EXPECT_NEAR(capOf("C1 a 0 cm 1p l=10u w=10u\n.model cm c cj=1"), 1e-12, 1e-24);
  // .options scale: the instance's L and W (not the model's DEFW or NARROW)
  EXPECT_NEAR(capOf(".options scale=1e-6\nC1 a 0 cm l=30 w=20\n.model cm c cj=1e-3 cjsw=2e-10 narrow=0.1u short=0.2u"), c1,
              1e-24);
  auto out = runOk("t\n.options scale=1e-6\nV1 a 0 1\nR1 a 0 rm l=40 w=2\n.model rm r rsh=50 narrow=0.1u\n.op\n.end\n");
  EXPECT_NEAR(-out.get(AnalysisType::Op).col("i(v1)").at(0), 1.0 / (50 * 40e-6 / (2e-6 - 0.2e-6)), 1e-12);
}

}  // namespace
