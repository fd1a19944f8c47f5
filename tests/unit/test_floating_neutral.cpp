// A node reached only through inductors (the star point of a three-phase RL
// load) in the SPICE-mode transient: the inverter of tests/hard runs through
// every commutation with the right phase current, and Newton converges on such
// a node at steps where the inductor rows' rounding exceeds vntol; and on branch
// currents whose rows' rounding exceeds abstol.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <numbers>
#include <sstream>

#include "simcore/simulate.hpp"

namespace {

struct Wave {
  std::vector<double> t;
  std::map<std::string, std::vector<double>> y;
};

class Collect : public simcore::SampleSink {
 public:
  Wave tran;
  void begin(const simcore::AnalysisHeader& h) override {
    names_.clear();
    for (const auto& s : h.signals) names_.push_back(s.name);
  }
  void chunk(const simcore::Chunk& c) override {
    tran.t.insert(tran.t.end(), c.x.begin(), c.x.end());
    for (std::size_t k = 0; k < names_.size(); ++k) {
      auto& v = tran.y[names_[k]];
      v.insert(v.end(), c.re[k].begin(), c.re[k].end());
    }
  }
  void end(const simcore::AnalysisSummary&) override {}

 private:
  std::vector<std::string> names_;
};

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Fundamental of y over [t0, t1] (a whole number of periods of f) as
// amplitude and phase of amp * sin(2 pi f t + phase), trapezoidal rule on the
// accepted points.
struct Phasor {
  double amp = 0, phaseDeg = 0;
};
Phasor fundamental(const Wave& w, const std::string& sig, double f, double t0, double t1) {
  const auto& y = w.y.at(sig);
  const double om = 2 * std::numbers::pi * f;
  double s = 0, c = 0;
  for (std::size_t i = 1; i < w.t.size(); ++i) {
    const double ta = w.t[i - 1], tb = w.t[i];
    if (ta < t0 || tb > t1) continue;
    const double dt = tb - ta;
    s += 0.5 * dt * (y[i - 1] * std::sin(om * ta) + y[i] * std::sin(om * tb));
    c += 0.5 * dt * (y[i - 1] * std::cos(om * ta) + y[i] * std::cos(om * tb));
  }
  const double T = t1 - t0;
  const double b = 2 * s / T, a = 2 * c / T;  // y ~ b sin + a cos
  return {std::hypot(a, b), std::atan2(a, b) * 180 / std::numbers::pi};
}

double mean(const Wave& w, const std::string& sig, double t0, double t1) {
  const auto& y = w.y.at(sig);
  double s = 0;
  for (std::size_t i = 1; i < w.t.size(); ++i)
    if (w.t[i - 1] >= t0 && w.t[i] <= t1) s += 0.5 * (w.t[i] - w.t[i - 1]) * (y[i - 1] + y[i]);
  return s / (t1 - t0);
}

// Crossings of level by sig, either direction, inside [t0, t1].
int crossings(const Wave& w, const std::string& sig, double level, double t0, double t1) {
  const auto& y = w.y.at(sig);
  int n = 0;
  for (std::size_t i = 1; i < w.t.size(); ++i)
    if (w.t[i] >= t0 && w.t[i] <= t1 && (y[i - 1] - level) * (y[i] - level) < 0) ++n;
  return n;
}

TEST(FloatingNeutral, ThreePhaseInverterRunsWithTheAnalyticPhaseCurrent) {
  const std::string path = std::string(SIMCORE_SOURCE_DIR) + "/tests/hard/vsi3_floating_neutral.cir";
  Collect sink;
  simcore::ir::ParseOptions po;
  po.fileName = path;
  auto r = simcore::simulate(readFile(path), po, sink);
  ASSERT_TRUE(r.ok()) << r.error().format();
  const Wave& w = sink.tran;
  ASSERT_NEAR(w.t.back(), 60e-3, 1e-12);

  // 160 V peak across 10.01 ohm + j*2*pi*50*5 mH
  const double zr = 10.0 + 10e-3, zx = 2 * std::numbers::pi * 50 * 5e-3;
  const double amp = 160.0 / std::hypot(zr, zx);           // 15.79 A
  const double lag = std::atan2(zx, zr) * 180 / std::numbers::pi;  // 8.92 degrees
  const char* phases[] = {"i(la)", "i(lb)", "i(lc)"};
  for (int k = 0; k < 3; ++k) {
    const Phasor p = fundamental(w, phases[k], 50, 40e-3, 60e-3);
    EXPECT_NEAR(p.amp, amp, 0.01 * amp) << phases[k];
    const double want = -lag - 120.0 * k;
    EXPECT_NEAR(std::remainder(p.phaseDeg - want, 360.0), 0.0, 0.5) << phases[k];
  }
  // the star point averages the bus midpoint
  EXPECT_NEAR(mean(w, "v(n)", 40e-3, 60e-3), 200.0, 1.0);
  // every gate edge reached the phase node: two per carrier period per leg
  for (const char* v : {"v(a)", "v(b)", "v(c)"}) EXPECT_EQ(crossings(w, v, 200.0, 40e-3, 60e-3), 400) << v;
}

// Three-phase sines into a star of R + L whose star point only the inductors
// reach, stepped at 0.1 ps (a diode makes the circuit nonlinear, so Newton
// tests convergence): the star point sits near 0 V, and the rounding of the
// inductor rows, eps * (L/h) * |i| ~ 1e-4 V, is far above vntol. Newton
// must converge there and not cut the step to nothing.
TEST(FloatingNeutral, NewtonConvergesOnAStarPointAtTinySteps) {
  const char* netlist = R"(star point reached only through inductors
.model DR D(IS=1e-14)
VA a 0 SIN(0 100 50 0 0 0)
VB b 0 SIN(0 100 50 0 0 -120)
VC c 0 SIN(0 100 50 0 0 120)
D1 0 x DR
RX x a 1k
RA a a1 1
LA a1 n 5m
RB b b1 1
LB b1 n 5m
RC c c1 1
LC c1 n 5m
.save v(n) i(la) i(lb) i(lc)
.tran 1p 2n 0 0.1p
.end
)";
  Collect sink;
  auto r = simcore::simulate(netlist, simcore::ir::ParseOptions{}, sink);
  ASSERT_TRUE(r.ok()) << r.error().format();
  const Wave& w = sink.tran;
  ASSERT_NEAR(w.t.back(), 2e-9, 1e-21);
  EXPECT_EQ(r.value().newtonFailures, 0);
  // currents at t = 0: 0, -86.6 A, +86.6 A, summing to zero at the star point
  const std::size_t last = w.t.size() - 1;
  EXPECT_NEAR(w.y.at("i(la)")[last], 0.0, 1e-3);
  EXPECT_NEAR(w.y.at("i(lb)")[last], -86.6025, 1e-3);
  EXPECT_NEAR(w.y.at("i(lc)")[last], 86.6025, 1e-3);
  // the star point stays at 0 V within the branch rows' tolerance (reltol * 100 V)
  for (double v : w.y.at("v(n)")) ASSERT_LT(std::fabs(v), 0.1);
}

// The dual: a branch current known only to the rounding of the rows it is solved
// from. An E source takes the difference of a 396 V node and a -380 V source into a
// 6.5 nF capacitor (an Infineon MOSFET model's capacitance network); at 10 ps steps
// the capacitor's row holds C/h * v = 1e4 A, whose rounding (1e-11 A) is above
// abstol, and the E and V currents in series inherit it. Newton must converge there
// (it cut the step to 1e-20 s and failed at t = 0) with the voltages unchanged.
TEST(FloatingNeutral, NewtonConvergesOnBranchCurrentsAtTheRoundingOfTheirRows) {
  const char* netlist = R"(branch currents at their rows' rounding
V1 s 0 400
R1 s a 10
D1 a k dd
R3 k 0 1k
.model dd d is=1e-14 n=1
E1 x y a 0 1
V2 y 0 -380
C1 x 0 6.5n
.tran 1n 100n
.end
)";
  Collect sink;
  auto r = simcore::simulate(netlist, simcore::ir::ParseOptions{}, sink);
  ASSERT_TRUE(r.ok()) << r.error().format();
  const Wave& w = sink.tran;
  ASSERT_NEAR(w.t.back(), 1e-7, 1e-20);
  EXPECT_EQ(r.value().newtonFailures, 0);
  const double x0 = w.y.at("v(x)").front();
  EXPECT_NEAR(x0, w.y.at("v(a)").front() - 380.0, 1e-9);
  for (std::size_t k = 0; k < w.t.size(); ++k) {
    EXPECT_NEAR(w.y.at("v(x)")[k], x0, 1e-9) << w.t[k];
    EXPECT_LT(std::fabs(w.y.at("i(v2)")[k]), 1e-9) << w.t[k];
  }
}

// A current source with no solution after 2 us (it jumps past every balance): the step
// is cut down to the minimum, where a 10 uF capacitor's C/h (1e15 S) is far above the
// junction runaway test of a DC solve; in a transient the test allows capacitors' C/h,
// so the error names the Newton failure, not a singular matrix the cuts made.
TEST(FloatingNeutral, StepCutsDownToTheMinimumAreNotASingularMatrix) {
  const char* netlist = R"(no solution after 2 us
V1 s 0 PULSE(0 2 1u 1u)
R1 s a 1k
B1 a 0 I=if(time > 2u, if(v(a)>1, 2m, -2m), 0)
Vdc b 0 5
Cbus b 0 10u
Rb b 0 1k
.tran 10n 5u
.end
)";
  Collect sink;
  auto r = simcore::simulate(netlist, simcore::ir::ParseOptions{}, sink);
  ASSERT_FALSE(r.ok());
  const std::string m = r.error().message;
  EXPECT_NE(m.find("Newton did not converge in 100 iterations at t = 2e-06 s"), std::string::npos) << m;
  EXPECT_EQ(m.find("the circuit matrix is singular"), std::string::npos) << m;
}

// ddt() runs through a 1 F capacitor: at 0.1 ps steps its C/h (1e13 S) is no runaway
// junction (the test refused it as a singular matrix at t = 0); here 1e-9 ddt(v(a)) of a
// 1 GHz sine, 2*pi*cos(2*pi*f*t), at every point
TEST(FloatingNeutral, UnitCapacitorsOfDdtAtSubPicosecondSteps) {
  const char* netlist = R"(ddt at sub-picosecond steps
V1 a 0 SIN(0 1 1G)
R1 a 0 1k
B1 y 0 V=ddt(v(a))*1e-9
Ry y 0 1k
D1 a d dd
Rd d 0 1k
.model dd d is=1e-14
.tran 1e-13 2e-11
.end
)";
  Collect sink;
  auto r = simcore::simulate(netlist, simcore::ir::ParseOptions{}, sink);
  ASSERT_TRUE(r.ok()) << r.error().format();
  const Wave& w = sink.tran;
  ASSERT_NEAR(w.t.back(), 2e-11, 1e-24);
  for (std::size_t k = 1; k < w.t.size(); ++k)
    EXPECT_NEAR(w.y.at("v(y)")[k], 2 * std::numbers::pi * std::cos(2 * std::numbers::pi * 1e9 * w.t[k]), 2e-3) << w.t[k];
}

}  // namespace
