// Dense eigenvalues (solver/eigen.hpp): Hessenberg QR against matrices with
// known spectra, and the pencil roots of det(G + sC) with infinite,
// defective and complex eigenvalues.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <vector>

#include "solver/eigen.hpp"

using namespace simcore::solver;
using cd = std::complex<double>;

namespace {

// Companion matrix of the monic polynomial with the given roots.
std::vector<double> companion(const std::vector<cd>& roots) {
  std::vector<cd> p{1.0};  // coefficients, highest first
  for (const cd& r : roots) {
    std::vector<cd> q(p.size() + 1, 0.0);
    for (std::size_t k = 0; k < p.size(); ++k) {
      q[k] += p[k];
      q[k + 1] -= r * p[k];
    }
    p = q;
  }
  const int n = int(roots.size());
  std::vector<double> a(std::size_t(n * n), 0.0);
  for (int j = 0; j < n; ++j) a[std::size_t(j)] = -p[std::size_t(j + 1)].real();
  for (int i = 1; i < n; ++i) a[std::size_t(i * n + i - 1)] = 1.0;
  return a;
}

// Every expected value matched to a distinct computed one within tol * |expected| + abs.
void expectSameSet(std::vector<cd> got, const std::vector<cd>& want, double tol, double abs = 1e-12) {
  ASSERT_EQ(got.size(), want.size());
  for (const cd& w : want) {
    auto it = std::min_element(got.begin(), got.end(), [&](const cd& a, const cd& b) { return std::abs(a - w) < std::abs(b - w); });
    ASSERT_NE(it, got.end());
    EXPECT_LE(std::abs(*it - w), tol * std::abs(w) + abs) << "expected " << w << ", nearest " << *it;
    got.erase(it);
  }
}

TEST(KernelEigen, CompanionRealRoots) {
  const std::vector<cd> roots{-1, -2, -3, -4, -5, -6};
  auto r = eigenvalues(companion(roots), 6);
  ASSERT_EQ(r.outcome, EigenOutcome::Ok);
  expectSameSet(r.values, roots, 1e-9);
}

TEST(KernelEigen, CompanionComplexRoots) {
  const std::vector<cd> roots{{-1, 2}, {-1, -2}, -3, {0, 1}, {0, -1}, {0.5, 7}, {0.5, -7}};
  auto r = eigenvalues(companion(roots), 7);
  ASSERT_EQ(r.outcome, EigenOutcome::Ok);
  expectSameSet(r.values, roots, 1e-9);
  for (const cd& v : r.values)
    if (v.imag() != 0) {  // conjugate pairs are exact
      bool found = false;
      for (const cd& u : r.values) found = found || u == std::conj(v);
      EXPECT_TRUE(found) << v;
    }
}

TEST(KernelEigen, NonsymmetricTridiagonal) {
  // tridiag(a, b, c): b + 2 sqrt(a c) cos(k pi / (n + 1)); a c < 0 gives complex pairs
  for (double a : {1.0, -1.0}) {
    // (a / c)^(n / 2) ~ 30 is how far from normal it is: eigenvalues good to ~1e-13
    const int n = 30;
    const double b = -3, c = 0.8;
    std::vector<double> m(std::size_t(n * n), 0.0);
    for (int i = 0; i < n; ++i) {
      m[std::size_t(i * n + i)] = b;
      if (i > 0) m[std::size_t(i * n + i - 1)] = a;
      if (i + 1 < n) m[std::size_t(i * n + i + 1)] = c;
    }
    std::vector<cd> want;
    for (int k = 1; k <= n; ++k) want.push_back(b + 2.0 * std::sqrt(cd(a * c)) * std::cos(k * std::numbers::pi / (n + 1)));
    auto r = eigenvalues(m, n);
    ASSERT_EQ(r.outcome, EigenOutcome::Ok);
    expectSameSet(r.values, want, 1e-9);
  }
}

TEST(KernelEigen, DefectiveQuadrupleRootSplitsByTheFourthRootOfEps) {
  // (s + 1)^4 as a companion matrix: QR returns a small circle around -1 (radius ~ eps^(1/4)),
  // whose mean is -1 to rounding
  auto r = eigenvalues(companion({-1, -1, -1, -1}), 4);
  ASSERT_EQ(r.outcome, EigenOutcome::Ok);
  ASSERT_EQ(r.values.size(), 4u);
  cd mean = 0;
  for (const cd& v : r.values) {
    EXPECT_LE(std::abs(v + 1.0), 1e-3) << v;
    mean += v / 4.0;
  }
  EXPECT_LE(std::abs(mean + 1.0), 1e-12);
}

TEST(KernelEigen, PencilRepeatedComplexPair) {
  // (s^2 + 2 s + 5)^2: the pair -1 +- 2j twice, merged from their split copies, in ngspice's order
  const std::vector<cd> roots{{-1, 2}, {-1, -2}, {-1, 2}, {-1, -2}};
  auto g = companion(roots);
  for (double& v : g) v = -v;  // det(sI - A) = det(-A + sI)
  std::vector<double> c(16, 0.0);
  for (int i = 0; i < 4; ++i) c[std::size_t(i * 5)] = 1.0;
  auto r = pencilEigenvalues(g, c, 4);
  ASSERT_EQ(r.outcome, EigenOutcome::Ok);
  ASSERT_EQ(r.values.size(), 4u);
  for (int k = 0; k < 4; ++k) expectSameSet({r.values[std::size_t(k)]}, {k % 2 == 0 ? cd(-1, 2) : cd(-1, -2)}, 1e-6);
}

TEST(KernelEigen, ZeroAndEmptyMatrices) {
  auto r = eigenvalues(std::vector<double>(9, 0.0), 3);
  ASSERT_EQ(r.outcome, EigenOutcome::Ok);
  expectSameSet(r.values, {0, 0, 0}, 0, 0);
  EXPECT_TRUE(eigenvalues({}, 0).values.empty());
}

TEST(KernelEigen, PencilWithIdentityCIsMinusEigenvalues) {
  // det(G + sI) = 0  <=>  s = -eig(G)
  const std::vector<cd> roots{-2, {1, 3}, {1, -3}, 5};
  auto g = companion(roots);
  std::vector<double> c(16, 0.0);
  for (int i = 0; i < 4; ++i) c[std::size_t(i * 5)] = 1.0;
  auto r = pencilEigenvalues(g, c, 4);
  ASSERT_EQ(r.outcome, EigenOutcome::Ok);
  ASSERT_EQ(r.values.size(), 4u);
  // ngspice's order: real part ascending, a pair as (+im, -im)
  EXPECT_NEAR(r.values[0].real(), -5, 1e-9);
  EXPECT_NEAR(r.values[1].real(), -1, 1e-9);
  EXPECT_NEAR(r.values[1].imag(), 3, 1e-9);
  EXPECT_EQ(r.values[2], std::conj(r.values[1]));
  EXPECT_NEAR(r.values[3].real(), 2, 1e-9);
  EXPECT_EQ(r.values[3].imag(), 0.0);
}

TEST(KernelEigen, PencilDefectiveTripleRootIsMerged) {
  // G + sC with C = I and G a Jordan block at 20: det = (s + 20)^3
  std::vector<double> g{20, 1, 0, 0, 20, 1, 0, 0, 20}, c{1, 0, 0, 0, 1, 0, 0, 0, 1};
  auto r = pencilEigenvalues(g, c, 3);
  ASSERT_EQ(r.outcome, EigenOutcome::Ok);
  ASSERT_EQ(r.values.size(), 3u);
  for (const cd& v : r.values) {
    EXPECT_NEAR(v.real(), -20, 1e-9);
    EXPECT_EQ(v.imag(), 0.0);
  }
}

TEST(KernelEigen, PencilInfiniteEigenvaluesDropped) {
  // RC low-pass driven by a V source (MNA: v1, v2, i): G + sC, det ~ (1 + s R C)
  const double R = 1e3, C = 1e-9;
  std::vector<double> g{1 / R, -1 / R, 1, -1 / R, 1 / R, 0, 1, 0, 0};
  std::vector<double> c{0, 0, 0, 0, C, 0, 0, 0, 0};
  auto r = pencilEigenvalues(g, c, 3);
  ASSERT_EQ(r.outcome, EigenOutcome::Ok);
  ASSERT_EQ(r.values.size(), 1u);
  EXPECT_NEAR(r.values[0].real(), -1 / (R * C), 1e-9 / (R * C));
  EXPECT_LE(r.reducedSize, 1);
}

TEST(KernelEigen, PencilCapacitorAcrossSourceIsIndexTwo) {
  // a capacitor straight across a V source (v1, i): [[sC, 1], [1, 0]]: no finite root;
  // with a resistor to a second capacitor: one pole -1/(R C2)
  {
    std::vector<double> g{0, 1, 1, 0}, c{1e-6, 0, 0, 0};
    auto r = pencilEigenvalues(g, c, 2);
    ASSERT_EQ(r.outcome, EigenOutcome::Ok);
    EXPECT_TRUE(r.values.empty());
  }
  const double R = 50, C1 = 1e-6, C2 = 2e-9;
  // unknowns v1, v2, i
  std::vector<double> g{1 / R, -1 / R, 1, -1 / R, 1 / R, 0, 1, 0, 0};
  std::vector<double> c{C1, 0, 0, 0, C2, 0, 0, 0, 0};
  auto r = pencilEigenvalues(g, c, 3);
  ASSERT_EQ(r.outcome, EigenOutcome::Ok);
  ASSERT_EQ(r.values.size(), 1u);
  EXPECT_NEAR(r.values[0].real(), -1 / (R * C2), 1e-9 / (R * C2));
}

TEST(KernelEigen, PencilWideSpreadOfPoles) {
  // diagonal pencil with poles from -1 to -1e12
  const int n = 13;
  std::vector<double> g(std::size_t(n * n), 0.0), c(std::size_t(n * n), 0.0);
  std::vector<cd> want;
  for (int i = 0; i < n; ++i) {
    g[std::size_t(i * n + i)] = std::pow(10.0, i);
    c[std::size_t(i * n + i)] = 1.0;
    want.push_back(-std::pow(10.0, i));
  }
  auto r = pencilEigenvalues(g, c, n);
  ASSERT_EQ(r.outcome, EigenOutcome::Ok);
  expectSameSet(r.values, want, 1e-9);
}

TEST(KernelEigen, SingularPencil) {
  // a row of zeros in G and C: det(G + sC) = 0 for every s
  std::vector<double> g{1, 0, 0, 0}, c{1, 0, 0, 0};
  EXPECT_EQ(pencilEigenvalues(g, c, 2).outcome, EigenOutcome::SingularPencil);
  // two identical rows
  std::vector<double> g2{1, 2, 1, 2}, c2{1, 1, 1, 1};
  EXPECT_EQ(pencilEigenvalues(g2, c2, 2).outcome, EigenOutcome::SingularPencil);
}

TEST(KernelEigen, DenseSolve) {
  std::vector<double> a{0, 2, 1, 1}, b{4, 3};
  ASSERT_TRUE(denseSolve(a, b, 2));
  EXPECT_NEAR(b[0], 1, 1e-15);
  EXPECT_NEAR(b[1], 2, 1e-15);
  std::vector<double> s{1, 2, 2, 4}, t{1, 1};
  EXPECT_FALSE(denseSolve(s, t, 2));
}

}  // namespace
