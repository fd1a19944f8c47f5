// Integrator: BE / trapezoidal / Gear-2 coefficients (constant and variable
// step), exactness on polynomial charges, and the truncation-error step.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <iterator>
#include <vector>

#include "analysis/integrator.hpp"

using simcore::an::Integrator;
using simcore::ir::IntegrationMethod;
using simcore::ir::Options;

namespace {

// Drives one charge state along q(t) like a device would: after prepare(),
// i_n = ag0 q_n + hist; the integrator then stores q_n and i_n.
struct Walk {
  Integrator in;
  std::function<double(double)> q, dq;
  double t = 0;

  Walk(IntegrationMethod m, std::function<double(double)> qf, std::function<double(double)> dqf, double t0)
      : q(std::move(qf)), dq(std::move(dqf)), t(t0) {
    in.setMethod(m, 2);
    in.resize(1);
    in.q()[0] = q(t0);
    in.iq()[0] = dq(t0);
    in.initHistory();
  }
  // One step of size h at the requested order; returns the method's current.
  // storeExact: keep the exact current as history (checks one step's formula
  // on its own) instead of the method's own value (a real run).
  double step(double h, int order, bool storeExact) {
    in.prepare(h, order);
    const double qn = q(t + h);
    const double i = in.ag0() * qn + in.hist()[0];
    in.q()[0] = qn;
    in.iq()[0] = storeExact ? dq(t + h) : i;
    in.accept(h);
    t += h;
    return i;
  }
};

const double kSteps[] = {1e-3, 2.5e-3, 0.7e-3, 4e-3, 1.3e-3, 1.3e-3, 0.2e-3};

TEST(KernelIntegrator, ConstantStepCoefficients) {
  const double h = 1e-3;
  {
    Integrator in;
    in.setMethod(IntegrationMethod::Euler, 2);
    EXPECT_EQ(in.maxOrder(), 1);
    in.resize(1);
    in.q()[0] = 3.0;
    in.initHistory();
    in.prepare(h, 2);
    EXPECT_EQ(in.order(), 1);
    EXPECT_DOUBLE_EQ(in.ag0(), 1.0 / h);
    EXPECT_DOUBLE_EQ(in.hist()[0], -3.0 / h);
  }
  {
    Integrator in;
    in.setMethod(IntegrationMethod::Trapezoidal, 2);
    in.resize(1);
    in.q()[0] = 3.0;
    in.iq()[0] = 0.5;
    in.initHistory();
    in.prepare(h, 2);
    EXPECT_EQ(in.order(), 1) << "the first step has no history for order 2";
    in.q()[0] = 4.0;
    in.iq()[0] = 7.0;
    in.accept(h);
    in.prepare(h, 2);
    EXPECT_EQ(in.order(), 2);
    EXPECT_DOUBLE_EQ(in.ag0(), 2.0 / h);
    EXPECT_DOUBLE_EQ(in.hist()[0], -2.0 / h * 4.0 - 7.0);
  }
  {
    Integrator in;
    in.setMethod(IntegrationMethod::Gear, 2);
    in.resize(1);
    in.q()[0] = 3.0;
    in.initHistory();
    in.prepare(h, 2);
    in.q()[0] = 4.0;
    in.accept(h);
    in.prepare(h, 2);
    ASSERT_EQ(in.order(), 2);
    // BDF2: i_n = (3 q_n - 4 q_{n-1} + q_{n-2}) / (2h)
    EXPECT_NEAR(in.ag0(), 1.5 / h, 1e-9 / h);
    EXPECT_NEAR(in.hist()[0], (-4.0 * 4.0 + 3.0) / (2 * h), 1e-9 / h);
  }
}

TEST(KernelIntegrator, EveryMethodIsExactForLinearCharge) {
  // q = 2 + 5 t: i = 5 for any step sequence and order, with the methods' own history
  for (auto m : {IntegrationMethod::Euler, IntegrationMethod::Trapezoidal, IntegrationMethod::Gear}) {
    Walk w(m, [](double t) { return 2.0 + 5.0 * t; }, [](double) { return 5.0; }, 0.0);
    int k = 0;
    for (double h : kSteps) {
      double i = w.step(h, k++ == 0 ? 1 : 2, false);
      EXPECT_NEAR(i, 5.0, 1e-9) << "method " << int(m) << " step " << k;
    }
  }
}

TEST(KernelIntegrator, BackwardEulerIsNotExactForQuadraticCharge) {
  // q = t^2: (q_n - q_{n-1}) / h = 2 t_n - h, an error of exactly -h
  Walk w(IntegrationMethod::Euler, [](double t) { return t * t; }, [](double t) { return 2 * t; }, 0.01);
  for (double h : kSteps) {
    double tn = w.t + h;
    double i = w.step(h, 2, true);
    EXPECT_NEAR(i, 2 * tn - h, 1e-12) << "h = " << h;
    EXPECT_GT(std::fabs(i - 2 * tn), 0.5 * h);
  }
}

TEST(KernelIntegrator, TrapezoidalIsExactForQuadraticCharge) {
  // q = 3 t^2 - t + 1: trapezoidal integrates i = 6 t - 1 exactly once history is exact
  Walk w(IntegrationMethod::Trapezoidal, [](double t) { return 3 * t * t - t + 1; },
         [](double t) { return 6 * t - 1; }, 0.01);
  w.step(kSteps[0], 1, true);
  for (std::size_t k = 1; k < std::size(kSteps); ++k) {
    double tn = w.t + kSteps[k];
    double i = w.step(kSteps[k], 2, true);
    ASSERT_EQ(w.in.order(), 2);
    EXPECT_NEAR(i, 6 * tn - 1, 1e-9) << "step " << k;
  }
  // and with its own history from an exact start it stays exact
  Walk own(IntegrationMethod::Trapezoidal, [](double t) { return t * t; }, [](double t) { return 2 * t; }, 0.0);
  own.step(1e-3, 1, true);  // the first step is always backward Euler
  for (double h : kSteps) {
    double tn = own.t + h;
    EXPECT_NEAR(own.step(h, 2, false), 2 * tn, 1e-9) << "h = " << h;
  }
}

TEST(KernelIntegrator, Gear2IsExactForQuadraticChargeWithVariableSteps) {
  // q = t^2 + 4 t: Gear-2's variable-step coefficients give i = 2 t + 4 exactly
  Walk w(IntegrationMethod::Gear, [](double t) { return t * t + 4 * t; }, [](double t) { return 2 * t + 4; }, 0.0);
  w.step(kSteps[0], 1, false);
  for (std::size_t k = 1; k < std::size(kSteps); ++k) {
    double tn = w.t + kSteps[k];
    double i = w.step(kSteps[k], 2, false);
    ASSERT_EQ(w.in.order(), 2);
    EXPECT_NEAR(i, 2 * tn + 4, 1e-9) << "step " << k << " h = " << kSteps[k];
  }
}

TEST(KernelIntegrator, Gear2IsNotExactForCubicCharge) {
  // q = t^3: BDF2's error is -(h^2/3) q''' = -0.02 for h = 0.1, so the exactness above is not vacuous
  Walk w(IntegrationMethod::Gear, [](double t) { return t * t * t; }, [](double t) { return 3 * t * t; }, 0.0);
  w.step(0.1, 1, false);
  w.step(0.1, 2, false);
  double tn = w.t + 0.1;
  double i = w.step(0.1, 2, false);
  double qn = tn * tn * tn, q1 = std::pow(tn - 0.1, 3), q2 = std::pow(tn - 0.2, 3);
  EXPECT_NEAR(i, (3 * qn - 4 * q1 + q2) / 0.2, 1e-9);
  EXPECT_GT(std::fabs(i - 3 * tn * tn), 1e-3);
}

// History for the truncation estimate: charge q(t) at t0, t0+h0, t0+2h0, t0+3h0
// (accepted), then the candidate q(t0+3h0+h) in the current slot.
Integrator lteSetup(IntegrationMethod m, const std::function<double(double)>& q, double i, double t0, double h0,
                    double h) {
  Integrator in;
  in.setMethod(m, 2);
  in.resize(1);
  in.q()[0] = q(t0);
  in.iq()[0] = i;
  in.initHistory();
  double t = t0;
  for (int k = 0; k < 3; ++k) {
    t += h0;
    in.prepare(h0, 2);
    in.q()[0] = q(t);
    in.iq()[0] = i;
    in.accept(h0);
  }
  in.prepare(h, 2);
  in.q()[0] = q(t + h);
  in.iq()[0] = i;
  return in;
}

TEST(KernelIntegrator, TruncationStepForCubicChargeMatchesFormula) {
  // q = t^3 has third divided difference 1 on any grid, so with a current
  // tolerance (abstol + reltol * |i|) the trapezoidal step is
  // sqrt(trtol * tol / (1/12)), and Gear-2's uses 2/9 instead of 1/12.
  Options o;
  auto cube = [](double t) { return t * t * t; };
  const double i = 1e3;  // abstol + reltol * |i| = 1 beats reltol * |q| / h <= 0.13
  const double tol = o.abstol + o.reltol * i;
  for (double h : {0.01, 0.02, 0.05}) {
    Integrator tr = lteSetup(IntegrationMethod::Trapezoidal, cube, i, 1.0, 0.01, h);
    EXPECT_NEAR(tr.truncationStep(h, 2, o), std::sqrt(o.trtol * tol * 12.0), 1e-6 * std::sqrt(o.trtol * tol * 12.0)) << "h = " << h;
    Integrator ge = lteSetup(IntegrationMethod::Gear, cube, i, 1.0, 0.01, h);
    EXPECT_NEAR(ge.truncationStep(h, 2, o), std::sqrt(o.trtol * tol * 4.5), 1e-6 * std::sqrt(o.trtol * tol * 4.5)) << "h = " << h;
  }
  // order 1 uses the second divided difference: for t^3 over t_n, t_{n-1}, t_{n-2}
  // it is t_n + t_{n-1} + t_{n-2}
  const double h = 0.02;
  Integrator be = lteSetup(IntegrationMethod::Trapezoidal, cube, i, 1.0, 0.01, h);
  const double tn = 1.03 + h, dd2 = tn + 1.03 + 1.02;
  EXPECT_NEAR(be.truncationStep(h, 1, o), o.trtol * tol / (0.5 * dd2), 1e-9 * o.trtol * tol / (0.5 * dd2));
}

TEST(KernelIntegrator, TruncationStepShrinksWhenStepGrows) {
  // with no current the charge tolerance reltol * |q| / h dominates, so a
  // larger h gives a smaller allowed step for the same cubic charge
  Options o;
  auto cube = [](double t) { return t * t * t; };
  double prev = INFINITY;
  for (double h : {0.005, 0.01, 0.02, 0.04, 0.08}) {
    Integrator in = lteSetup(IntegrationMethod::Trapezoidal, cube, 0.0, 1.0, 0.01, h);
    double step = in.truncationStep(h, 2, o);
    const double qn = cube(1.03 + h);
    const double expect = std::sqrt(o.trtol * (o.reltol * qn / h) * 12.0);
    EXPECT_NEAR(step, expect, 1e-7 * expect) << "h = " << h;
    EXPECT_LT(step, prev) << "h = " << h;
    prev = step;
  }
  // a linear charge has no truncation error: the step is limited only by abstol
  Integrator lin = lteSetup(IntegrationMethod::Trapezoidal, [](double t) { return 2 * t; }, 0.0, 1.0, 0.01, 0.01);
  EXPECT_GT(lin.truncationStep(0.01, 2, o), 1e3);
}

TEST(KernelIntegrator, NoStatesMeansNoLimit) {
  Integrator in;
  in.setMethod(IntegrationMethod::Trapezoidal, 2);
  in.resize(0);
  EXPECT_TRUE(std::isinf(in.truncationStep(1e-3, 2, Options{})));
}

}  // namespace
