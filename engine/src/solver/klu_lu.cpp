#include <klu.h>

#include <cmath>
#include <vector>

#include "solver/lu.hpp"

namespace simcore::solver {

namespace {
// Refactored pivots are accepted while the cheap reciprocal condition estimate
// stays within this factor of the one seen at the last pivoting factorization.
constexpr double kRcondDrop = 1e-3;
constexpr double kRcondFloor = 1e-14;
}  // namespace

template <class Scalar>
struct SparseLu<Scalar>::Impl {
  static constexpr bool kComplex = !std::is_same_v<Scalar, double>;
  struct Slot {
    klu_numeric* numeric = nullptr;
    double rcondAtFactor = 0;
  };
  int n = 0;
  std::vector<int> ap, ai;
  klu_common common{};
  klu_symbolic* symbolic = nullptr;
  std::vector<Slot> slots = std::vector<Slot>(1);

  ~Impl() {
    for (Slot& s : slots) freeNumeric(s);
    if (symbolic) klu_free_symbolic(&symbolic, &common);
  }
  void freeNumeric(Slot& s) {
    if (!s.numeric) return;
    if constexpr (kComplex) klu_z_free_numeric(&s.numeric, &common);
    else klu_free_numeric(&s.numeric, &common);
  }
  double* raw(const Scalar* v) { return const_cast<double*>(reinterpret_cast<const double*>(v)); }

  bool doFactor(Slot& s, const Scalar* v) {
    freeNumeric(s);
    if constexpr (kComplex) s.numeric = klu_z_factor(ap.data(), ai.data(), raw(v), symbolic, &common);
    else s.numeric = klu_factor(ap.data(), ai.data(), raw(v), symbolic, &common);
    if (!s.numeric || common.status == KLU_SINGULAR) return false;
    s.rcondAtFactor = rcond(s);
    return s.rcondAtFactor > kRcondFloor;
  }
  double rcond(Slot& s) {
    if constexpr (kComplex) klu_z_rcond(symbolic, s.numeric, &common);
    else klu_rcond(symbolic, s.numeric, &common);
    return common.rcond;
  }
};

template <class Scalar>
SparseLu<Scalar>::SparseLu(const SparsePattern& p) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.n = p.size();
  m.ap = p.colPtr();
  m.ai = p.rowIdx();
  klu_defaults(&m.common);
  m.common.halt_if_singular = 1;
  if (m.n > 0) m.symbolic = klu_analyze(m.n, m.ap.data(), m.ai.data(), &m.common);
}

template <class Scalar>
SparseLu<Scalar>::~SparseLu() = default;

template <class Scalar>
int SparseLu<Scalar>::size() const { return impl_->n; }

template <class Scalar>
void SparseLu<Scalar>::setSlots(int n) {
  if (n > int(impl_->slots.size())) impl_->slots.resize(std::size_t(n));
}

template <class Scalar>
int SparseLu<Scalar>::slots() const { return int(impl_->slots.size()); }

template <class Scalar>
std::int64_t SparseLu<Scalar>::factorEntries(int slot) const {
  const klu_numeric* num = impl_->slots[std::size_t(slot)].numeric;
  return num ? std::int64_t(num->lnz) + std::int64_t(num->unz) : 0;
}

template <class Scalar>
void SparseLu<Scalar>::invalidate(int slot) {
  impl_->freeNumeric(impl_->slots[std::size_t(slot)]);
}

template <class Scalar>
LuOutcome SparseLu<Scalar>::factor(const Scalar* values, int slot) {
  Impl& m = *impl_;
  typename Impl::Slot& sl = m.slots[std::size_t(slot)];
  singularUnknown_ = 0;
  if (m.n == 0) return LuOutcome::Ok;
  if (!m.symbolic) { singularUnknown_ = 1; return LuOutcome::Singular; }
  if (sl.numeric) {
    int ok;
    if constexpr (Impl::kComplex) ok = klu_z_refactor(m.ap.data(), m.ai.data(), m.raw(values), m.symbolic, sl.numeric, &m.common);
    else ok = klu_refactor(m.ap.data(), m.ai.data(), m.raw(values), m.symbolic, sl.numeric, &m.common);
    if (ok && m.common.status == KLU_OK) {
      double rc = m.rcond(sl);
      if (std::isfinite(rc) && rc > kRcondFloor && rc > kRcondDrop * sl.rcondAtFactor) {
        counters_.refactorizations++;
        return LuOutcome::Ok;
      }
    }
  }
  counters_.factorizations++;
  if (!m.doFactor(sl, values)) {
    int col = m.common.singular_col;
    singularUnknown_ = (col >= 0 && col < m.n) ? col + 1 : 1;
    if (sl.numeric && m.common.status != KLU_SINGULAR) {
      // factored but numerically near-singular: name the column of the smallest pivot
      const double* ud = reinterpret_cast<const double*>(sl.numeric->Udiag);
      int stride = Impl::kComplex ? 2 : 1, best = 0;
      double bestMag = INFINITY;
      for (int k = 0; k < m.n; ++k) {
        double mag = std::abs(ud[k * stride]) + (Impl::kComplex ? std::abs(ud[k * stride + 1]) : 0.0);
        if (mag < bestMag) { bestMag = mag; best = k; }
      }
      singularUnknown_ = m.symbolic->Q[best] + 1;
    }
    invalidate(slot);
    return LuOutcome::Singular;
  }
  return LuOutcome::Ok;
}

template <class Scalar>
void SparseLu<Scalar>::solve(Scalar* b, int slot) {
  Impl& m = *impl_;
  if (m.n == 0) return;
  counters_.solves++;
  klu_numeric* num = m.slots[std::size_t(slot)].numeric;
  if constexpr (Impl::kComplex) klu_z_solve(m.symbolic, num, m.n, 1, reinterpret_cast<double*>(b), &m.common);
  else klu_solve(m.symbolic, num, m.n, 1, b, &m.common);
}

template <class Scalar>
void SparseLu<Scalar>::solveTransposed(Scalar* b, int slot) {
  Impl& m = *impl_;
  if (m.n == 0) return;
  counters_.solves++;
  klu_numeric* num = m.slots[std::size_t(slot)].numeric;
  if constexpr (Impl::kComplex) klu_z_tsolve(m.symbolic, num, m.n, 1, reinterpret_cast<double*>(b), 0, &m.common);
  else klu_tsolve(m.symbolic, num, m.n, 1, b, &m.common);
}

template class SparseLu<double>;
template class SparseLu<std::complex<double>>;

}  // namespace simcore::solver
