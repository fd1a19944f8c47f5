// SparsePattern (two-phase CSC pattern with a ground bin) and the KLU wrapper.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <atomic>
#include <cstring>
#include <functional>
#include <random>
#include <thread>
#include <vector>

#include "solver/lu.hpp"
#include "solver/sparse.hpp"

using namespace simcore::solver;

namespace {

// ---------------------------------------------------------------------------
// SparsePattern

TEST(KernelSparsePattern, CollectReturnsMinusOneThenPositions) {
  SparsePattern p(3);
  EXPECT_FALSE(p.finalized());
  EXPECT_EQ(p.entry(1, 2), -1);
  EXPECT_EQ(p.entry(3, 1), -1);
  EXPECT_EQ(p.entry(0, 2), -1);  // ground
  p.finalize();
  EXPECT_TRUE(p.finalized());
  // 3 diagonals + (1,2) + (3,1)
  EXPECT_EQ(p.nnz(), 5);
  EXPECT_EQ(p.bin(), 5);
  int a = p.entry(1, 2), b = p.entry(3, 1);
  EXPECT_GE(a, 0);
  EXPECT_LT(a, p.nnz());
  EXPECT_GE(b, 0);
  EXPECT_LT(b, p.nnz());
  EXPECT_NE(a, b);
  // repeated lookups are stable
  EXPECT_EQ(p.entry(1, 2), a);
}

TEST(KernelSparsePattern, GroundRowAndColumnMapToTheBin) {
  SparsePattern p(2);
  p.entry(0, 1);
  p.entry(2, 0);
  p.entry(0, 0);
  p.finalize();
  EXPECT_EQ(p.nnz(), 2) << "ground entries must not enter the matrix";
  EXPECT_EQ(p.entry(0, 1), p.bin());
  EXPECT_EQ(p.entry(1, 0), p.bin());
  EXPECT_EQ(p.entry(0, 0), p.bin());
  EXPECT_EQ(p.diag(0), p.bin());
}

TEST(KernelSparsePattern, CscOrderingAndDiagonals) {
  // 4 unknowns; entries given in a scrambled order
  SparsePattern p(4);
  const int ent[][2] = {{4, 1}, {2, 3}, {1, 4}, {3, 2}, {1, 2}, {4, 3}};
  for (auto& e : ent) p.entry(e[0], e[1]);
  p.finalize();
  ASSERT_EQ(p.nnz(), 4 + 6);
  const auto& cp = p.colPtr();
  const auto& ri = p.rowIdx();
  ASSERT_EQ(cp.size(), 5u);
  EXPECT_EQ(cp.front(), 0);
  EXPECT_EQ(cp.back(), p.nnz());
  // column c (0-based) holds rows sorted ascending
  const std::vector<std::vector<int>> want = {{0, 3}, {0, 1, 2}, {1, 2, 3}, {0, 3}};
  for (int c = 0; c < 4; ++c) {
    std::vector<int> rows(ri.begin() + cp[c], ri.begin() + cp[c + 1]);
    EXPECT_EQ(rows, want[std::size_t(c)]) << "column " << c;
  }
  // positions agree with the arrays
  for (auto& e : ent) {
    int pos = p.entry(e[0], e[1]);
    int c = e[1] - 1;
    EXPECT_GE(pos, cp[c]);
    EXPECT_LT(pos, cp[c + 1]);
    EXPECT_EQ(ri[std::size_t(pos)], e[0] - 1);
  }
  for (int u = 1; u <= 4; ++u) {
    int d = p.diag(u);
    EXPECT_EQ(d, p.entry(u, u));
    EXPECT_EQ(ri[std::size_t(d)], u - 1);
    EXPECT_GE(d, cp[u - 1]);
    EXPECT_LT(d, cp[u]);
  }
  EXPECT_EQ(SparsePattern::unknownOf(0), 1);
}

TEST(KernelSparsePattern, DuplicatesAreMerged) {
  SparsePattern p(2);
  for (int k = 0; k < 5; ++k) {
    p.entry(1, 2);
    p.entry(2, 2);
  }
  p.finalize();
  EXPECT_EQ(p.nnz(), 3);  // (1,1), (2,2), (1,2)
  EXPECT_EQ(p.colPtr(), (std::vector<int>{0, 1, 3}));
}

// ---------------------------------------------------------------------------
// SparseLu

// Dense n x n (row-major, 1-based unknowns) -> pattern of its nonzeros + values.
struct Dense {
  int n;
  SparsePattern pattern;
  explicit Dense(int size, const std::vector<std::pair<int, int>>& nz) : n(size), pattern(size) {
    for (auto [r, c] : nz) pattern.entry(r, c);
    pattern.finalize();
  }
  template <class T>
  std::vector<T> values(const std::vector<std::vector<T>>& a) {
    std::vector<T> v(std::size_t(pattern.nnz()) + 1, T(0));
    for (int r = 1; r <= n; ++r)
      for (int c = 1; c <= n; ++c) {
        T x = a[std::size_t(r - 1)][std::size_t(c - 1)];
        if (x == T(0)) continue;
        int pos = pattern.entry(r, c);
        EXPECT_NE(pos, pattern.bin()) << "entry (" << r << "," << c << ") not in the pattern";
        v[std::size_t(pos)] += x;
      }
    return v;
  }
};

std::vector<std::pair<int, int>> full(int n) {
  std::vector<std::pair<int, int>> nz;
  for (int r = 1; r <= n; ++r)
    for (int c = 1; c <= n; ++c) nz.emplace_back(r, c);
  return nz;
}

template <class T>
std::vector<T> mul(const std::vector<std::vector<T>>& a, const std::vector<T>& x) {
  std::vector<T> b(x.size(), T(0));
  for (std::size_t r = 0; r < a.size(); ++r)
    for (std::size_t c = 0; c < x.size(); ++c) b[r] += a[r][c] * x[c];
  return b;
}

TEST(KernelLu, SolvesRealSystem) {
  Dense d(3, {{1, 2}, {2, 1}, {2, 3}, {3, 2}});
  const std::vector<std::vector<double>> A = {{4, 1, 0}, {1, 3, 1}, {0, 1, 2}};
  const std::vector<double> x = {1, -2, 3};
  auto b = mul(A, x);  // {2, -2, 4}
  SparseLu<double> lu(d.pattern);
  EXPECT_EQ(lu.size(), 3);
  auto v = d.values(A);
  v.back() = 1e300;  // the bin is ignored
  ASSERT_EQ(lu.factor(v.data()), LuOutcome::Ok);
  lu.solve(b.data());
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(b[std::size_t(k)], x[std::size_t(k)], 1e-12);
  EXPECT_EQ(lu.counters().factorizations, 1);
  EXPECT_EQ(lu.counters().refactorizations, 0);
  EXPECT_EQ(lu.counters().solves, 1);
}

TEST(KernelLu, SolvesComplexSystem) {
  using C = std::complex<double>;
  Dense d(2, full(2));
  const std::vector<std::vector<C>> A = {{C(1, 1), C(2, 0)}, {C(0, -1), C(3, -1)}};
  const std::vector<C> x = {C(1, -2), C(2, 1)};
  auto b = mul(A, x);
  SparseLu<C> lu(d.pattern);
  auto v = d.values(A);
  ASSERT_EQ(lu.factor(v.data()), LuOutcome::Ok);
  lu.solve(b.data());
  EXPECT_NEAR(std::abs(b[0] - x[0]), 0.0, 1e-12);
  EXPECT_NEAR(std::abs(b[1] - x[1]), 0.0, 1e-12);
}

TEST(KernelLu, SecondFactorRefactors) {
  Dense d(3, full(3));
  SparseLu<double> lu(d.pattern);
  const std::vector<std::vector<double>> A1 = {{4, 1, 0.5}, {1, 3, 1}, {0.5, 1, 2}};
  const std::vector<std::vector<double>> A2 = {{5, 1, 0.2}, {0.5, 4, 1}, {0.1, 1, 3}};
  auto v1 = d.values(A1), v2 = d.values(A2);
  ASSERT_EQ(lu.factor(v1.data()), LuOutcome::Ok);
  ASSERT_EQ(lu.factor(v2.data()), LuOutcome::Ok);
  EXPECT_EQ(lu.counters().factorizations, 1);
  EXPECT_EQ(lu.counters().refactorizations, 1);
  const std::vector<double> x = {-1, 0.5, 2};
  auto b = mul(A2, x);
  lu.solve(b.data());
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(b[std::size_t(k)], x[std::size_t(k)], 1e-12) << "the refactored values are used";
  // invalidate() forces pivoting again
  lu.invalidate();
  ASSERT_EQ(lu.factor(v1.data()), LuOutcome::Ok);
  EXPECT_EQ(lu.counters().factorizations, 2);
  EXPECT_EQ(lu.counters().refactorizations, 1);
}

// The planned refactorization and solve (which multiply by reciprocals of
// the row scale factors and pivots where KLU divides) compute KLU's factors
// and solutions to rounding: on a pattern with singleton blocks, coupled
// blocks and off-diagonal entries (KLU's block triangular form), rows of very
// different scale, and new values on every call, every factor value agrees
// with klu_refactor's and every solution with klu_solve's to a few units in
// the last place of the largest.
TEST(KernelLu, PlannedRefactorAndSolveAgreeWithKlus) {
  const int n = 40;
  std::vector<std::pair<int, int>> nz;
  for (int i = 1; i <= n; ++i) {
    nz.emplace_back(i, i);
    if (i < n) nz.emplace_back(i, i + 1);                   // feeds forward
    if (i < n && i % 5 != 0 && i % 7 != 3) nz.emplace_back(i + 1, i);  // and back: a coupled block
    if (i + 7 <= n) nz.emplace_back(i, i + 7);
  }
  Dense d(n, nz);
  SparseLu<double> planned(d.pattern), klu(d.pattern);
  klu.useKluRoutines(true);
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  int refactored = 0, differs = 0;
  for (int round = 0; round < 30; ++round) {
    std::vector<std::vector<double>> A(std::size_t(n), std::vector<double>(std::size_t(n), 0.0));
    for (auto [r, c] : nz) A[std::size_t(r - 1)][std::size_t(c - 1)] = r == c ? 3.0 + u(rng) : u(rng);
    for (int r = 0; r < n; r += 6)
      for (double& a : A[std::size_t(r)]) a *= 1e4;  // rows of another scale
    auto v = d.values(A);
    ASSERT_EQ(planned.factor(v.data()), klu.factor(v.data()));
    std::vector<double> b1(static_cast<std::size_t>(n)), b2;
    for (double& x : b1) x = u(rng);
    b2 = b1;
    klu.useKluRoutines(false);  // to read its factors
    const std::vector<double> fp = planned.factorValues(), fk = klu.factorValues();
    klu.useKluRoutines(true);
    ASSERT_FALSE(fp.empty());
    ASSERT_EQ(fp.size(), fk.size());
    double fscale = 0;
    for (double x : fk) fscale = std::max(fscale, std::fabs(x));
    for (std::size_t q = 0; q < fk.size(); ++q) {
      ASSERT_NEAR(fp[q], fk[q], 1e-13 * fscale) << "round " << round << " factor value " << q;
    }
    planned.solve(b1.data());
    klu.solve(b2.data());
    double scale = 0;
    for (double x : b2) scale = std::max(scale, std::fabs(x));
    for (int k = 0; k < n; ++k) {
      ASSERT_NEAR(b1[std::size_t(k)], b2[std::size_t(k)], 1e-13 * scale) << "round " << round << " unknown " << k + 1;
    }
    // the solution agrees to rounding, but it is not always KLU's to the bit
    for (int k = 0; k < n; ++k) differs += b1[std::size_t(k)] != b2[std::size_t(k)] ? 1 : 0;
    refactored = int(planned.counters().refactorizations);
  }
  EXPECT_EQ(planned.counters().factorizations, klu.counters().factorizations);
  EXPECT_EQ(planned.counters().refactorizations, klu.counters().refactorizations);
  EXPECT_GT(refactored, 20) << "the rounds should mostly refactor";
  EXPECT_GT(differs, 0) << "the planned solve should be the one with reciprocals";
}

// The in-place refactorization (flat lists of its updates and pivots, the
// condition estimate found in its pivot loop) against the column-workspace
// one, which is klu_refactor's order of operations: the same factor values
// and solutions bit for bit, and the same verdicts on every matrix (refactored,
// pivoted again because a pivot collapsed or became zero, singular), on a
// pattern with singleton and coupled blocks, off-diagonal entries and rows of
// very different scale.
TEST(KernelLu, InPlaceRefactorIsBitIdenticalToTheWorkspaceOne) {
  const int n = 40;
  std::vector<std::pair<int, int>> nz;
  for (int i = 1; i <= n; ++i) {
    nz.emplace_back(i, i);
    if (i < n) nz.emplace_back(i, i + 1);
    if (i < n && i % 5 != 0 && i % 7 != 3) nz.emplace_back(i + 1, i);
    if (i + 7 <= n) nz.emplace_back(i, i + 7);
  }
  Dense d(n, nz);
  SparseLu<double> flat(d.pattern), workspace(d.pattern);
  workspace.useWorkspaceRefactor(true);
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::uniform_int_distribution<int> pick(0, n - 1);
  int collapsed = 0, singular = 0, compared = 0;
  for (int round = 0; round < 60; ++round) {
    std::vector<std::vector<double>> A(std::size_t(n), std::vector<double>(std::size_t(n), 0.0));
    for (auto [r, c] : nz) A[std::size_t(r - 1)][std::size_t(c - 1)] = r == c ? 3.0 + u(rng) : u(rng);
    for (int r = round % 6; r < n; r += 6)
      for (double& a : A[std::size_t(r)]) a *= 1e4;
    const std::size_t k = std::size_t(pick(rng));
    if (round % 10 == 7) A[k][k] *= 1e-12, ++collapsed;  // a pivot (nearly) collapses: pivot again
    if (round % 10 == 9) A[k][k] = 0.0;                   // a zero diagonal: zero pivot, or pivot again
    auto v = d.values(A);
    const LuOutcome o1 = flat.factor(v.data()), o2 = workspace.factor(v.data());
    ASSERT_EQ(o1, o2) << "round " << round;
    EXPECT_EQ(flat.counters().factorizations, workspace.counters().factorizations) << "round " << round;
    EXPECT_EQ(flat.counters().refactorizations, workspace.counters().refactorizations) << "round " << round;
    if (o1 != LuOutcome::Ok) {
      ++singular;
      continue;
    }
    const std::vector<double> f1 = flat.factorValues(), f2 = workspace.factorValues();
    ASSERT_FALSE(f1.empty());
    ASSERT_EQ(f1.size(), f2.size());
    for (std::size_t q = 0; q < f1.size(); ++q)
      ASSERT_EQ(std::memcmp(&f1[q], &f2[q], sizeof(double)), 0)
          << "round " << round << ", factor value " << q << ": " << f1[q] << " vs " << f2[q];
    std::vector<double> b1(static_cast<std::size_t>(n)), b2;
    for (double& x : b1) x = u(rng);
    b2 = b1;
    flat.solve(b1.data());
    workspace.solve(b2.data());
    ASSERT_EQ(std::memcmp(b1.data(), b2.data(), b1.size() * sizeof(double)), 0) << "round " << round;
    ++compared;
  }
  EXPECT_GT(compared, 40);
  EXPECT_GT(flat.counters().refactorizations, 30) << "the rounds should mostly refactor";
  EXPECT_GT(flat.counters().factorizations, 3) << "collapsed and zero pivots should pivot again";
  EXPECT_GT(collapsed, 0);
  (void)singular;
}

// A 2-D grid (a power grid's pattern) with unsymmetric extras, a feed-forward
// chain of 1x1 blocks and a second coupled block: the refactorization split
// across threads gives the one-thread factors bit for bit, for several group
// counts, round after round of new values.
TEST(KernelLu, ThreadedRefactorIsBitIdenticalToOneThread) {
  const int side = 22, grid = side * side, chain = 30, ring = 40, n = grid + chain + ring;
  std::vector<std::pair<int, int>> nz;
  auto node = [&](int r, int c) { return 1 + r * side + c; };
  for (int r = 0; r < side; ++r)
    for (int c = 0; c < side; ++c) {
      const int a = node(r, c);
      nz.emplace_back(a, a);
      if (c + 1 < side) nz.emplace_back(a, node(r, c + 1)), nz.emplace_back(node(r, c + 1), a);
      if (r + 1 < side) nz.emplace_back(a, node(r + 1, c)), nz.emplace_back(node(r + 1, c), a);
      if ((r * 7 + c) % 11 == 0 && r + 1 < side && c + 1 < side) nz.emplace_back(a, node(r + 1, c + 1));
    }
  for (int k = 0; k < chain; ++k) {  // each entry feeds the next only: 1x1 blocks
    const int a = grid + 1 + k;
    nz.emplace_back(a, a);
    nz.emplace_back(a, k == 0 ? 1 : a - 1);
  }
  for (int k = 0; k < ring; ++k) {  // a ring: one coupled block of its own
    const int a = grid + chain + 1 + k, b = grid + chain + 1 + (k + 1) % ring;
    nz.emplace_back(a, a);
    nz.emplace_back(a, b);
    nz.emplace_back(b, a);
    nz.emplace_back(a, grid);
  }
  Dense d(n, nz);
  std::atomic<int> calls{0};
  const simcore::ParallelFor spawn = [&](std::size_t tasks, const std::function<void(std::size_t)>& f) {
    ++calls;
    std::vector<std::thread> th;
    for (std::size_t t = 1; t < tasks; ++t) th.emplace_back([&f, t] { f(t); });
    f(0);
    for (auto& x : th) x.join();
  };
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<std::vector<double>> rounds;
  for (int round = 0; round < 12; ++round) {
    std::vector<std::vector<double>> A(std::size_t(n), std::vector<double>(std::size_t(n), 0.0));
    for (auto [r, c] : nz) A[std::size_t(r - 1)][std::size_t(c - 1)] = r == c ? 6.0 + u(rng) : u(rng);
    for (int r = 0; r < n; r += 9)
      for (double& a : A[std::size_t(r)]) a *= 1e3;  // rows of another scale
    rounds.push_back(d.values(A));
  }
  for (std::size_t groups : {2u, 3u, 5u}) {
    SparseLu<double> one(d.pattern), many(d.pattern);
    many.setParallel(&spawn, groups, -1);
    calls = 0;
    for (std::size_t round = 0; round < rounds.size(); ++round) {
      const auto& v = rounds[round];
      ASSERT_EQ(one.factor(v.data()), LuOutcome::Ok);
      ASSERT_EQ(many.factor(v.data()), LuOutcome::Ok);
      const std::vector<double> f1 = one.factorValues(), f2 = many.factorValues();
      ASSERT_FALSE(f1.empty());
      ASSERT_EQ(f1.size(), f2.size());
      for (std::size_t k = 0; k < f1.size(); ++k)
        ASSERT_EQ(std::memcmp(&f1[k], &f2[k], sizeof(double)), 0)
            << groups << " groups, round " << round << ", factor value " << k << ": " << f1[k] << " vs " << f2[k];
      std::vector<double> b1(static_cast<std::size_t>(n)), b2;
      for (double& x : b1) x = u(rng);
      b2 = b1;
      one.solve(b1.data());
      many.solve(b2.data());
      ASSERT_EQ(std::memcmp(b1.data(), b2.data(), b1.size() * sizeof(double)), 0) << groups << " groups, round " << round;
    }
    int phases = 0;
    std::int64_t critical = 0, total = 0;
    many.schedule(0, phases, critical, total);
    EXPECT_EQ(many.counters().refactorizations, one.counters().refactorizations);
    EXPECT_EQ(one.counters().parallelRefactorizations, 0);
    if (groups == 3) continue;  // this grid's subtrees do not pack into 3 groups: one thread (still the same bits)
    EXPECT_GE(phases, 2) << groups << " groups";
    EXPECT_LT(critical, total) << groups << " groups";
    EXPECT_EQ(many.counters().refactorizations, one.counters().refactorizations);
    EXPECT_EQ(many.counters().parallelRefactorizations, many.counters().refactorizations) << groups << " groups";
    EXPECT_GT(many.counters().parallelRefactorizations, 8) << groups << " groups";
    EXPECT_GT(calls.load(), 8) << groups << " groups: the threads were not used";
    EXPECT_EQ(one.counters().parallelRefactorizations, 0);
  }
}

// A zero pivot met on a thread sends the matrix back to a pivoting
// factorization, as on one thread, and the next refactorization is threaded
// again with the same factors.
TEST(KernelLu, ThreadedRefactorFallsBackOnAZeroPivot) {
  const int side = 16, n = side * side;
  std::vector<std::pair<int, int>> nz;
  for (int r = 0; r < side; ++r)
    for (int c = 0; c < side; ++c) {
      const int a = 1 + r * side + c;
      nz.emplace_back(a, a);
      if (c + 1 < side) nz.emplace_back(a, a + 1), nz.emplace_back(a + 1, a);
      if (r + 1 < side) nz.emplace_back(a, a + side), nz.emplace_back(a + side, a);
    }
  Dense d(n, nz);
  const simcore::ParallelFor spawn = [](std::size_t tasks, const std::function<void(std::size_t)>& f) {
    std::vector<std::thread> th;
    for (std::size_t t = 1; t < tasks; ++t) th.emplace_back([&f, t] { f(t); });
    f(0);
    for (auto& x : th) x.join();
  };
  SparseLu<double> one(d.pattern), many(d.pattern);
  many.setParallel(&spawn, 2, -1);
  auto matrix = [&](double diag, int zeroAt) {
    std::vector<std::vector<double>> A(std::size_t(n), std::vector<double>(std::size_t(n), 0.0));
    for (auto [r, c] : nz) A[std::size_t(r - 1)][std::size_t(c - 1)] = r == c ? diag : -1.0;
    if (zeroAt > 0) {
      for (int c = 1; c <= n; ++c) A[std::size_t(zeroAt - 1)][std::size_t(c - 1)] = 0.0;  // a zero row: singular
      A[std::size_t(zeroAt - 1)][std::size_t(zeroAt - 1)] = 0.0;
    }
    return d.values(A);
  };
  for (int round = 0; round < 4; ++round) {
    const auto v = matrix(4.5 + round, round == 2 ? 37 : 0);
    const LuOutcome a = one.factor(v.data()), b = many.factor(v.data());
    ASSERT_EQ(a, b) << "round " << round;
    EXPECT_EQ(one.singularUnknown(), many.singularUnknown()) << "round " << round;
    if (a == LuOutcome::Ok) {
      const auto f1 = one.factorValues(), f2 = many.factorValues();
      ASSERT_EQ(f1.size(), f2.size());
      EXPECT_EQ(std::memcmp(f1.data(), f2.data(), f1.size() * sizeof(double)), 0) << "round " << round;
    }
  }
  EXPECT_EQ(one.counters().factorizations, many.counters().factorizations);
  EXPECT_GT(many.counters().parallelRefactorizations, 0);
}

TEST(KernelLu, RefactorWithBadPivotsFallsBackToFactor) {
  Dense d(2, full(2));
  SparseLu<double> lu(d.pattern);
  const std::vector<std::vector<double>> A1 = {{2, 1}, {1, 2}};
  const std::vector<std::vector<double>> A2 = {{0, 1}, {1, 0}};  // the old pivot (1,1) is now zero
  auto v1 = d.values(A1), v2 = d.values(A2);
  ASSERT_EQ(lu.factor(v1.data()), LuOutcome::Ok);
  ASSERT_EQ(lu.factor(v2.data()), LuOutcome::Ok);
  EXPECT_EQ(lu.counters().factorizations, 2);
  EXPECT_EQ(lu.counters().refactorizations, 0);
  std::vector<double> b = {3, 5};  // x = {5, 3}
  lu.solve(b.data());
  EXPECT_NEAR(b[0], 5.0, 1e-12);
  EXPECT_NEAR(b[1], 3.0, 1e-12);
}

TEST(KernelLu, SingularMatrixNamesTheUnknown) {
  // unknown 2's column is all zero (its entries are in the pattern)
  Dense d(3, full(3));
  {
    SparseLu<double> lu(d.pattern);
    const std::vector<std::vector<double>> A = {{1, 0, 1}, {0, 0, 2}, {1, 0, 3}};
    auto v = d.values(A);
    EXPECT_EQ(lu.factor(v.data()), LuOutcome::Singular);
    EXPECT_EQ(lu.singularUnknown(), 2);
  }
  {
    SparseLu<double> lu(d.pattern);
    const std::vector<std::vector<double>> A = {{1, 2, 0}, {3, 1, 0}, {1, 1, 0}};
    auto v = d.values(A);
    EXPECT_EQ(lu.factor(v.data()), LuOutcome::Singular);
    EXPECT_EQ(lu.singularUnknown(), 3);
    // it recovers with good values
    const std::vector<std::vector<double>> B = {{1, 2, 0}, {3, 1, 0}, {1, 1, 4}};
    auto w = d.values(B);
    EXPECT_EQ(lu.factor(w.data()), LuOutcome::Ok);
    EXPECT_EQ(lu.singularUnknown(), 0);
    std::vector<double> b = mul(B, std::vector<double>{1, 1, 1});
    lu.solve(b.data());
    for (double x : b) EXPECT_NEAR(x, 1.0, 1e-12);
  }
  {
    // singular after a good factorization: refactor must not hide it
    SparseLu<double> lu(d.pattern);
    const std::vector<std::vector<double>> good = {{2, 0, 0}, {0, 2, 0}, {0, 0, 2}};
    const std::vector<std::vector<double>> bad = {{2, 0, 0}, {0, 2, 0}, {0, 0, 0}};
    auto g = d.values(good), s = d.values(bad);
    ASSERT_EQ(lu.factor(g.data()), LuOutcome::Ok);
    EXPECT_EQ(lu.factor(s.data()), LuOutcome::Singular);
    EXPECT_EQ(lu.singularUnknown(), 3);
  }
}

// The MNA matrix of a high-gain VCVS (E 2 0 1 0 1e6, its input node 1 held by
// a source V 1 0 and 1 kohm) driving a resistor R1 (1 ohm, 2-3) paralleled by a
// capacitor at a small step (40 nF at 0.1 ps: g = 4e5 S), into a 1 microohm resistor
// R2 (3-0). Unknowns: v1, v2, v3, i(V), i(E). The row of E, scaled by its
// gain, and the microohm loop leave a pivot far below the largest one (KLU's
// cheap condition estimate under 1e-14), yet the matrix is nowhere near
// singular: no pivot comes from cancellation.
TEST(KernelLu, MicroohmLoopOfAHighGainSourceIsNotSingular) {
  Dense d(5, full(5));
  const double g = 1 + 4e5, r2 = 1e6;
  const std::vector<std::vector<double>> A = {
      {1e-3, 0, 0, 1, 0},
      {0, g, -g, 0, 1},
      {0, -g, g + r2, 0, 0},
      {1, 0, 0, 0, 0},
      {-1e6, 1, 0, 0, 0},
  };
  const std::vector<double> x = {1e-6, 1, 1e-6, -1e-9, -1};
  SparseLu<double> lu(d.pattern);
  auto v = d.values(A);
  ASSERT_EQ(lu.factor(v.data()), LuOutcome::Ok);
  std::vector<double> b = mul(A, x);
  lu.solve(b.data());
  for (std::size_t k = 0; k < x.size(); ++k) EXPECT_NEAR(b[k], x[k], 1e-9 * std::fabs(x[k])) << k;
  // a refactor with the same pivots keeps it
  ASSERT_EQ(lu.factor(v.data()), LuOutcome::Ok);
}

// The same high-gain matrix (its condition estimate under the floor, so each
// pivot is judged on its own) beside two nodes joined by 2 ohm and tied to
// ground only by gmin (1e-12 S each): the tail of a differential pair whose
// transistors are off, in National's LMV981 macromodel (PySpice's KiCad
// example), which ngspice 39 solves. Its last pivot, about 2e-12 against
// products of 0.5, is a small conductance, not rounding (that leaves a few
// eps, as in PivotCancelledToRoundingIsSingular below).
// The high-gain matrix above beside a pair joined by conductance gp, tied to ground by gmin alone.
std::vector<std::vector<double>> highGainBesideGminPair(double gp) {
  const double g = 1 + 4e5, r2 = 1e6, gmin = 1e-12;
  return {
      {1e-3, 0, 0, 1, 0, 0, 0},
      {0, g, -g, 0, 1, 0, 0},
      {0, -g, g + r2, 0, 0, 0, 0},
      {1, 0, 0, 0, 0, 0, 0},
      {-1e6, 1, 0, 0, 0, 0, 0},
      {0, 0, 0, 0, 0, gp + gmin, -gp},
      {0, 0, 0, 0, 0, -gp, gp + gmin},
  };
}

// Factors A (it must not be singular) and solves A b = A x: b, the high-gain part checked.
std::vector<double> solvedHighGain(const std::vector<std::vector<double>>& A, const std::vector<double>& x) {
  Dense d(7, full(7));
  SparseLu<double> lu(d.pattern);
  auto v = d.values(A);
  EXPECT_EQ(lu.factor(v.data()), LuOutcome::Ok);
  std::vector<double> b = mul(A, x);
  lu.solve(b.data());
  for (std::size_t k = 0; k < 5; ++k) EXPECT_NEAR(b[k], x[k], 1e-9 * std::fabs(x[k])) << k;
  return b;
}

TEST(KernelLu, GminTiedPairBesideAHighGainSourceIsNotSingular) {
  const std::vector<double> x = {1e-6, 1, 1e-6, -1e-9, -1, 0.25, 0.2};
  const std::vector<double> b = solvedHighGain(highGainBesideGminPair(0.5), x);
  // the pair's common mode is conditioned as 0.5 / 1e-12: rounding moves it by about 1e-16 * 1e12
  EXPECT_NEAR(b[5], x[5], 1e-4 * x[5]);
  EXPECT_NEAR(b[6], x[6], 1e-4 * x[6]);
  EXPECT_NEAR(b[5] - b[6], x[5] - x[6], 1e-9);
}

// The same with the pair joined by 1 mohm (1e3 S): its last pivot, 2e-12
// against products of 1e3, is below the relative test (2e-15) but above
// ngspice 39's absolute pivot floor (1e-13), and ngspice solves it (a vendor
// library's text line read as a resistor card, `Recopilated by Robertugo`,
// whose nodes float). Not singular: the difference is solved to rounding.
TEST(KernelLu, GminTiedPairJoinedByMilliohmsIsNotSingular) {
  const std::vector<double> x = {1e-6, 1, 1e-6, -1e-9, -1, 1e-3, 0.5e-3};
  const std::vector<double> b = solvedHighGain(highGainBesideGminPair(1e3), x);
  EXPECT_NEAR(b[5] - b[6], x[5] - x[6], 1e-9);
}

// Rows that are dependent but for rounding (0.3 / 0.1 is not exactly 3): a
// pivot formed by cancellation down to a few eps is zero.
TEST(KernelLu, PivotCancelledToRoundingIsSingular) {
  Dense d(3, full(3));
  SparseLu<double> lu(d.pattern);
  const std::vector<std::vector<double>> A = {{0.1, 0.3, 0}, {0.3, 0.9, 0}, {0, 0, 1}};
  auto v = d.values(A);
  EXPECT_EQ(lu.factor(v.data()), LuOutcome::Singular);
  EXPECT_GE(lu.singularUnknown(), 1);
  EXPECT_LE(lu.singularUnknown(), 2);
}

TEST(KernelLu, ComplexSingularMatrix) {
  using C = std::complex<double>;
  Dense d(2, full(2));
  SparseLu<C> lu(d.pattern);
  const std::vector<std::vector<C>> A = {{C(1, 1), C(2, 2)}, {C(1, 0), C(2, 0)}};  // column 2 = 2 * column 1
  auto v = d.values(A);
  EXPECT_EQ(lu.factor(v.data()), LuOutcome::Singular);
  EXPECT_GE(lu.singularUnknown(), 1);
  EXPECT_LE(lu.singularUnknown(), 2);
}

}  // namespace
