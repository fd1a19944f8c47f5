#include "solver/sparse.hpp"

#include <algorithm>

namespace simcore::solver {

SparsePattern::SparsePattern(int n) : n_(n) {
  pending_.reserve(static_cast<std::size_t>(n) * 5);
  for (int u = 1; u <= n; ++u) pending_.push_back(key(u - 1, u - 1));
}

int SparsePattern::entry(int row, int col) {
  if (row == 0 || col == 0) return finalized_ ? bin() : -1;
  if (!finalized_) {
    // column-major key so that sorting gives CSC order
    pending_.push_back(key(col - 1, row - 1));
    return -1;
  }
  auto it = pos_.find(key(col - 1, row - 1));
  return it == pos_.end() ? bin() : it->second;
}

void SparsePattern::finalize() {
  // the diagonal keys were pushed as (u,u) which is symmetric, so col-major is fine
  std::sort(pending_.begin(), pending_.end());
  pending_.erase(std::unique(pending_.begin(), pending_.end()), pending_.end());
  colPtr_.assign(n_ + 1, 0);
  rowIdx_.resize(pending_.size());
  diag_.assign(n_, -1);
  pos_.reserve(pending_.size() * 2);
  for (std::size_t k = 0; k < pending_.size(); ++k) {
    int c = int(pending_[k] >> 32), r = int(pending_[k] & 0xffffffffu);
    rowIdx_[k] = r;
    colPtr_[c + 1]++;
    pos_.emplace(pending_[k], int(k));
    if (r == c) diag_[r] = int(k);
  }
  for (int c = 0; c < n_; ++c) colPtr_[c + 1] += colPtr_[c];
  pending_.clear();
  pending_.shrink_to_fit();
  finalized_ = true;
}

}  // namespace simcore::solver
