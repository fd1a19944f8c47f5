// Fixed sparsity pattern, built in two phases:
//   1. collect: devices call entry(r, c) for every matrix entry they will touch;
//   2. finalize(): the pattern is sorted into compressed-column form (CSC, as KLU
//      wants it), then devices call entry(r, c) again and keep the returned
//      position into the value array.
// Unknown 0 is ground: any entry in row or column 0 maps to the bin position
// nnz(), one extra element past the real values, which nobody reads.
// Diagonal entries of every unknown are always present.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace simcore::solver {

class SparsePattern {
 public:
  // n: number of unknowns excluding ground (indices 1..n).
  explicit SparsePattern(int n);

  // Phase 1 returns -1; after finalize() returns the value position.
  int entry(int row, int col);
  void finalize();
  bool finalized() const { return finalized_; }

  int size() const { return n_; }
  int nnz() const { return static_cast<int>(rowIdx_.size()); }
  int bin() const { return nnz(); }
  int diag(int unknown) const { return unknown == 0 ? bin() : diag_[unknown - 1]; }

  // CSC arrays over 0-based indices (unknown u -> u-1).
  const std::vector<int>& colPtr() const { return colPtr_; }
  const std::vector<int>& rowIdx() const { return rowIdx_; }

  // Unknown (1-based) of row/column k of the CSC matrix.
  static int unknownOf(int k) { return k + 1; }

 private:
  static std::uint64_t key(int r, int c) { return (std::uint64_t(std::uint32_t(r)) << 32) | std::uint32_t(c); }
  int n_;
  bool finalized_ = false;
  std::vector<std::uint64_t> pending_;  // collected (col-major keys) before finalize
  std::unordered_map<std::uint64_t, int> pos_;
  std::vector<int> colPtr_, rowIdx_, diag_;
};

}  // namespace simcore::solver
