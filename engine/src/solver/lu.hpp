// Sparse LU behind a small interface that mirrors how a simulator uses KLU:
//   analyze once per pattern, factor (with pivoting) when needed, refactor
//   (same pivot order, new values) on the Newton hot path, solve in place.
// Implemented in klu_lu.cpp on top of KLU (libsuitesparse-dev natively; the
// same KLU sources compiled with emcc for wasm).
#pragma once

#include <complex>
#include <cstdint>
#include <memory>
#include <vector>

#include "simcore/parallel.hpp"
#include "solver/sparse.hpp"

namespace simcore::solver {

struct LuCounters {
  std::int64_t factorizations = 0;
  std::int64_t refactorizations = 0;
  std::int64_t solves = 0;
  std::int64_t parallelRefactorizations = 0;  // refactorizations split across setParallel's threads
};

enum class LuOutcome { Ok, Singular };

template <class Scalar>
class SparseLu {
 public:
  explicit SparseLu(const SparsePattern& pattern);
  ~SparseLu();
  SparseLu(const SparseLu&) = delete;
  SparseLu& operator=(const SparseLu&) = delete;

  // Values are in pattern order (CSC positions); the bin element is ignored.
  // Refactors when a factorization with good pivots exists, otherwise (or when
  // the refactored pivots turn out poor) factors with pivoting.
  // Several factorizations of matrices with this pattern can be kept at once
  // (slots, sharing one symbolic analysis): slot s in [0, slots()).
  LuOutcome factor(const Scalar* values, int slot = 0);
  // Drop the pivot order of a slot: its next factor() pivots again.
  void invalidate(int slot = 0);
  // Solve A x = b in place with the factors of a slot; b has size() entries,
  // index = unknown - 1.
  void solve(Scalar* b, int slot = 0);
  // Solve A^T x = b (the transpose, not conjugated) in place, likewise: the
  // adjoint system of a noise analysis.
  void solveTransposed(Scalar* b, int slot = 0);
  // Number of slots (1 at construction); growing keeps the existing ones.
  void setSlots(int n);
  int slots() const;
  // Entries of L and U of a factored slot (0 when it holds none).
  std::int64_t factorEntries(int slot = 0) const;

  int size() const;
  // Refactorization on several threads (real matrices): the columns of the
  // fixed pivot order are scheduled once per pivoting factorization in phases
  // of `groups` groups that depend only on earlier phases and on themselves
  // (independent subtrees of the column elimination DAG, BTF blocks), each
  // phase one call of *parallel. Every column is computed with the same
  // arithmetic as on one thread, so the factors are bit-identical. Used when
  // the refactorization has at least minWork multiply-adds and the schedule's
  // longest path is at most 4/5 of them; minWork < 0 (tests): whenever a
  // phase splits. parallel null: one thread.
  void setParallel(const ParallelFor* parallel, std::size_t groups, std::int64_t minWork = 20000);
  // Test hook: the schedule of a factored slot as (phases, work of its
  // longest path, total work); 0 phases when it has none.
  void schedule(int slot, int& phases, std::int64_t& critical, std::int64_t& total) const;
  // Test hook: every value of the factors of a slot (L and U by column, the
  // pivots, the off-diagonal blocks, the row scale factors), planned slots.
  std::vector<double> factorValues(int slot = 0) const;
  // Test hook: refactor and solve with KLU's own klu_refactor and klu_solve
  // instead of the planned ones (which compute the same values bit for bit,
  // without KLU's input checks and permutation look-ups).
  void useKluRoutines(bool on);
  // Test hook: refactor with a column workspace (as klu_refactor) even where
  // the in-place refactorization (flat lists of its updates and pivots) would
  // be taken; the two compute the same values bit for bit.
  void useWorkspaceRefactor(bool on);
  // After LuOutcome::Singular: the unknown (1-based) whose column is singular;
  // after a poorly scaled Ok: the unknown of the smallest pivot.
  int singularUnknown() const { return singularUnknown_; }
  // After LuOutcome::Ok: the pivots span more than 14 decades (KLU's cheap
  // condition estimate below 1e-14), though none is rounding. A caller that
  // knows what its entries mean may still refuse the matrix (a runaway
  // junction conductance swamping its row).
  bool poorlyScaled() const { return poorlyScaled_; }
  const LuCounters& counters() const { return counters_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int singularUnknown_ = 0;
  bool poorlyScaled_ = false;
  LuCounters counters_;
};

extern template class SparseLu<double>;
extern template class SparseLu<std::complex<double>>;

}  // namespace simcore::solver
