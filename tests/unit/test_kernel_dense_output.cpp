// The integrator's predictor and dense output on their own (no Newton), then
// SimulationOptions::interpolate: transient rows on the tstep grid from the
// dense output, against analytic RC and RLC responses and against linear
// interpolation of the accepted points.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "analysis/integrator.hpp"
#include "test_kernel_support.cpp"

using simcore::an::Integrator;
using simcore::ir::IntegrationMethod;
using namespace simcore;
using simcore::testing::Collected;
using simcore::testing::runOk;

namespace {

// Walks a solution vector {0 (ground), f(t)} through accepted steps the way
// the transient does: prepare (which settles the order), accept the charges
// (one dummy state) and the solution.
struct SolutionWalk {
  Integrator in;
  std::function<double(double)> f;
  double t = 0;

  SolutionWalk(IntegrationMethod m, std::function<double(double)> fn) : f(std::move(fn)) {
    in.setMethod(m, 2);
    in.resize(1);
    in.initHistory();
    in.startSolution(0.0, {0.0, f(0.0)});
  }
  void step(double h, int order, bool discontinuity = false) {
    in.prepare(h, order);
    in.accept(h);
    t += h;
    in.acceptSolution(t, h, {0.0, f(t)}, discontinuity);
  }
  double at(double tq) const {
    double out[2] = {-1, -1};
    in.interpolate(tq, out);
    EXPECT_EQ(out[0], 0.0) << "ground stays 0";
    return out[1];
  }
};

double quad(double t) { return 3.0 + 2e3 * t - 5e7 * t * t; }

TEST(KernelDenseOutput, BeforeAnyStepItIsTheInitialPoint) {
  SolutionWalk w(IntegrationMethod::Trapezoidal, quad);
  EXPECT_EQ(w.in.denseOrder(), 0);
  EXPECT_FALSE(w.in.canPredict());
  EXPECT_EQ(w.at(0.0), 3.0);
  EXPECT_EQ(w.in.solution()[1], 3.0);
  EXPECT_EQ(w.in.solutionTime(), 0.0);
}

TEST(KernelDenseOutput, OrderTwoStepsReproduceAParabolaExactly) {
  SolutionWalk w(IntegrationMethod::Trapezoidal, quad);
  const double steps[] = {1e-6, 3e-6, 0.7e-6, 2.2e-6, 5e-6};
  w.step(steps[0], 2);  // the first step is order 1 whatever is asked
  EXPECT_EQ(w.in.denseOrder(), 1);
  for (std::size_t k = 1; k < std::size(steps); ++k) {
    w.step(steps[k], 2);
    ASSERT_EQ(w.in.denseOrder(), 2) << "step " << k;
    const double t0 = w.t - steps[k];
    for (double a : {0.0, 0.1, 0.37, 0.5, 0.9, 1.0}) {
      const double tq = t0 + a * steps[k];
      EXPECT_NEAR(w.at(tq), quad(tq), 1e-13 * std::fabs(quad(tq))) << "a = " << a << " in step " << k;
    }
  }
  // at the accepted point itself: its value, bit for bit
  EXPECT_EQ(w.at(w.t), quad(w.t));
}

TEST(KernelDenseOutput, OrderOneStepsInterpolateLinearly) {
  SolutionWalk w(IntegrationMethod::Trapezoidal, quad);
  w.step(1e-6, 1);
  w.step(2e-6, 1);
  w.step(2e-6, 1);
  EXPECT_EQ(w.in.denseOrder(), 1);
  const double t1 = w.t - 2e-6, t0 = w.t;
  const double mid = 0.5 * (t1 + t0);
  EXPECT_NEAR(w.at(mid), 0.5 * (quad(t1) + quad(t0)), 1e-14 * 3) << "the chord, not the parabola";
  // Euler is order 1 everywhere
  SolutionWalk e(IntegrationMethod::Euler, quad);
  for (int k = 0; k < 4; ++k) e.step(1e-6, 2);
  EXPECT_EQ(e.in.denseOrder(), 1);
}

TEST(KernelDenseOutput, OutsideTheLastStepIsClamped) {
  SolutionWalk w(IntegrationMethod::Gear, quad);
  w.step(1e-6, 2);
  w.step(1e-6, 2);
  w.step(1e-6, 2);
  EXPECT_EQ(w.at(w.t + 1e-6), quad(w.t)) << "past t_n: the value at t_n";
  EXPECT_NEAR(w.at(0.0), quad(w.t - 1e-6), 1e-14 * 3) << "before t_{n-1}: the value at t_{n-1}";
}

TEST(KernelDenseOutput, NoParabolaReachesBackOverADiscontinuity) {
  SolutionWalk w(IntegrationMethod::Trapezoidal, quad);
  w.step(1e-6, 2);
  w.step(1e-6, 2);
  w.step(1e-6, 2, /*discontinuity=*/true);  // a switching event at t = 3 us
  EXPECT_EQ(w.in.denseOrder(), 2) << "the step up to the event is smooth";
  w.step(1e-6, 1);
  EXPECT_EQ(w.in.denseOrder(), 1);
  w.step(1e-6, 2);
  EXPECT_EQ(w.in.denseOrder(), 1) << "the parabola would pass through the left limit at the event";
  w.step(1e-6, 2);
  EXPECT_EQ(w.in.denseOrder(), 2);
}

TEST(KernelDenseOutput, PredictorExtrapolatesTheLastStepLinearly) {
  auto line = [](double t) { return -1.0 + 4e4 * t; };
  SolutionWalk w(IntegrationMethod::Trapezoidal, line);
  w.step(2e-6, 1);
  ASSERT_TRUE(w.in.canPredict());
  w.step(3e-6, 2);
  std::vector<double> x(2, 0.0);
  w.in.predict(5e-6, x);
  EXPECT_EQ(x[0], 0.0) << "ground is not predicted";
  EXPECT_NEAR(x[1], line(w.t + 5e-6), 1e-14);
  // from the last two points only: a parabola is extrapolated as its chord
  SolutionWalk q(IntegrationMethod::Trapezoidal, quad);
  q.step(1e-6, 1);
  q.step(1e-6, 1);
  q.in.predict(1e-6, x);
  EXPECT_NEAR(x[1], quad(2e-6) + (quad(2e-6) - quad(1e-6)), 1e-13);
}

// ---------------------------------------------------------------------------
// The tstep grid from the dense output, in a real run

// Linear interpolation of the accepted points at t (the old --interpolate).
double linearAt(const std::vector<double>& xs, const std::vector<double>& ys, double t) {
  auto it = std::lower_bound(xs.begin(), xs.end(), t);
  if (it == xs.begin()) return ys.front();
  if (it == xs.end()) return ys.back();
  const std::size_t k = std::size_t(it - xs.begin());
  const double a = (t - xs[k - 1]) / (xs[k] - xs[k - 1]);
  return ys[k - 1] + a * (ys[k] - ys[k - 1]);
}

struct GridCheck {
  double denseErr = 0;   // max |dense - analytic| over the grid
  double linearErr = 0;  // max |linear interpolation of the accepted points - analytic|
  double pointErr = 0;   // max |accepted point - analytic| (the integration's own error)
  double denseVsLinear = 0;
};

GridCheck checkGrid(const std::string& netlist, const std::string& signal, double tstart, double tstep, double tstop,
                    const std::function<double(double)>& exact) {
  GridCheck g;
  SimulationOptions grid;
  grid.interpolate = true;
  auto dense = runOk(netlist, grid);
  auto points = runOk(netlist);
  const Collected& d = dense.get(AnalysisType::Tran);
  const Collected& p = points.get(AnalysisType::Tran);
  EXPECT_EQ(dense.stats.acceptedPoints, points.stats.acceptedPoints) << "the grid changes the output, not the steps";
  EXPECT_EQ(dense.stats.rejectedSteps, points.stats.rejectedSteps);
  EXPECT_EQ(dense.stats.newtonIterations, points.stats.newtonIterations);
  const std::size_t n = std::size_t(std::llround((tstop - tstart) / tstep)) + 1;
  EXPECT_EQ(d.rows, n);
  EXPECT_EQ(d.summary.rows, n);
  const auto& dv = d.col(signal);
  const auto& pv = p.col(signal);
  for (std::size_t k = 0; k < d.rows && k < n; ++k) {
    const double t = tstart + double(k) * tstep;
    EXPECT_NEAR(d.x[k], t, 1e-12 * tstep) << "row " << k;
    const double lin = linearAt(p.x, pv, t);
    g.denseErr = std::max(g.denseErr, std::fabs(dv[k] - exact(t)));
    g.linearErr = std::max(g.linearErr, std::fabs(lin - exact(t)));
    g.denseVsLinear = std::max(g.denseVsLinear, std::fabs(dv[k] - lin));
  }
  for (std::size_t k = 0; k < p.rows; ++k) g.pointErr = std::max(g.pointErr, std::fabs(pv[k] - exact(p.x[k])));
  return g;
}

TEST(KernelDenseOutput, GridOfAnRcStepFollowsTheAnalyticResponse) {
  // tau = 1 ms, v(out) = 1 - exp(-t/tau); tmax 0.5 ms lets the steps grow long
  const std::string net =
      "rc\n"
      "V1 in 0 DC 1\n"
      "R1 in out 1k\n"
      "C1 out 0 1u ic=0\n"
      ".tran 20u 5m 0 0.5m uic\n";
  GridCheck g = checkGrid(net, "v(out)", 0.0, 20e-6, 5e-3, [](double t) { return 1.0 - std::exp(-t / 1e-3); });
  // steps grow to tmax = tau/2: the points are off by up to 5e-3 (trapezoidal
  // error); the parabola between them adds about one step's truncation error
  // (h^3 |d3v/dt3| / 12 = 4e-3 at t = tau), the chord more
  EXPECT_LT(g.pointErr, 1e-2);
  EXPECT_LT(g.denseErr, 2 * g.pointErr) << "point error " << g.pointErr;
  EXPECT_LT(g.denseErr, g.linearErr) << "dense " << g.denseErr << " linear " << g.linearErr;
}

TEST(KernelDenseOutput, GridOfAnRlcRingFollowsTheAnalyticResponse) {
  // series R L C discharging from v(c) = 1: alpha = R/2L, wd = sqrt(1/LC - alpha^2)
  const std::string net =
      "rlc\n"
      "C1 c 0 1u ic=1\n"
      "L1 c a 1m\n"
      "R1 a 0 10\n"
      ".tran 5u 1m 0.1m uic\n";
  const double alpha = 10.0 / (2 * 1e-3), wd = std::sqrt(1.0 / (1e-3 * 1e-6) - alpha * alpha);
  auto exact = [=](double t) { return std::exp(-alpha * t) * (std::cos(wd * t) + alpha / wd * std::sin(wd * t)); };
  GridCheck g = checkGrid(net, "v(c)", 0.1e-3, 5e-6, 1e-3, exact);
  // trapezoidal phase error over five periods dominates both interpolations
  EXPECT_LT(g.pointErr, 1e-2);
  EXPECT_LT(g.denseErr, 1.1 * g.pointErr + 1e-6) << "point error " << g.pointErr;
  EXPECT_LT(g.denseVsLinear, 2e-3) << "steps of ~3 us: both interpolants agree to the integration error";
}

TEST(KernelDenseOutput, GridBetweenLongStepsIsOfTheMethodsOrder) {
  // v(in) is algebraic (exact at every accepted point) and the RC barely
  // loads the steps: tmax = 20 us steps over a 1 kHz sine, rows every 1 us.
  // The chord misses by ~(h w)^2/8 = 2e-3, the parabola by ~(h w)^3/27 < 1e-4.
  const std::string net =
      "sine\n"
      "V1 in 0 SIN(0 1 1k)\n"
      "R1 in out 1k\n"
      "C1 out 0 1n\n"
      ".tran 1u 1m 0 20u\n";
  GridCheck g = checkGrid(net, "v(in)", 0.0, 1e-6, 1e-3, [](double t) { return std::sin(2 * M_PI * 1e3 * t); });
  EXPECT_LT(g.pointErr, 1e-12);
  EXPECT_GT(g.linearErr, 1e-3);
  EXPECT_LT(g.denseErr, 1.5e-4) << "linear " << g.linearErr;
}

TEST(KernelDenseOutput, GridLandsOnEveryGridPointAcrossPulseCornersAndChunks) {
  // 2001 rows in 64-row chunks; the pulse corners are breakpoints between grid points
  const std::string net =
      "pulse rc\n"
      "V1 in 0 PULSE(0 1 13u 1u 1u 37u 100u)\n"
      "R1 in out 1k\n"
      "C1 out 0 10n\n"
      ".tran 0.5u 1m\n";
  SimulationOptions o;
  o.interpolate = true;
  o.chunkRows = 64;
  auto out = runOk(net, o);
  const Collected& tr = out.get(AnalysisType::Tran);
  ASSERT_EQ(tr.rows, 2001u);
  for (std::size_t k = 0; k < tr.rows; ++k) ASSERT_NEAR(tr.x[k], double(k) * 0.5e-6, 1e-18) << "row " << k;
  // v(in) is piecewise linear: the dense output gives it exactly between corners
  const auto& vin = tr.col("v(in)");
  for (std::size_t k = 0; k < tr.rows; ++k) {
    const double t = std::fmod(tr.x[k], 100e-6);
    double want = 0;
    if (t >= 13e-6 && t < 14e-6) want = (t - 13e-6) / 1e-6;
    else if (t >= 14e-6 && t < 51e-6) want = 1;
    else if (t >= 51e-6 && t < 52e-6) want = 1 - (t - 51e-6) / 1e-6;
    ASSERT_NEAR(vin[k], want, 1e-6) << "t = " << tr.x[k];
  }
}

// `.options interp` / a script's `option interp` (ngspice's interp, which Qucs-S writes before
// every parameter sweep) gives the rows of --interpolate, and a TSTOP that is no grid point ends
// them (ngspice 39's interpolated output: 0.01 in steps of 5.02513e-05 is 199 grid rows and 0.01)
TEST(KernelDenseOutput, OptionInterpGivesTheTstepGridAndTstop) {
  const std::string rc = "rc\nV1 in 0 PULSE(0 1 1u 1u 1u 1)\nR1 in out 1k\nC1 out 0 1u\n";
  for (const std::string tail : {".options interp\n.tran 5.02513e-05 0.01\n.end\n",
                                 ".control\noption interp\ntran 5.02513e-05 0.01\n.endc\n.end\n"}) {
    auto r = runOk(rc + tail);
    const Collected& t = r.get(AnalysisType::Tran);
    ASSERT_EQ(t.rows, 200u) << tail;
    for (std::size_t k = 0; k + 1 < t.rows; ++k) EXPECT_NEAR(t.x[k], double(k) * 5.02513e-05, 1e-15) << k;
    EXPECT_DOUBLE_EQ(t.x.back(), 0.01);
    const auto& v = t.col("v(out)");
    for (std::size_t k = 4; k < t.rows; ++k) {
      const double want = 1 - std::exp(-(t.x[k] - 2e-6) / 1e-3);  // the pulse's 1 us delay and 1 us rise
      EXPECT_NEAR(v[k], want, 2e-3) << "t = " << t.x[k];
    }
  }
  // a grid that lands on TSTOP gets no second row there
  auto r = runOk(rc + ".options interp\n.tran 1m 10m\n.end\n");
  EXPECT_EQ(r.get(AnalysisType::Tran).rows, 11u);
}

}  // namespace
