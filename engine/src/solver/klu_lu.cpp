#include <klu.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>
#include <vector>

#include "solver/lu.hpp"

namespace simcore::solver {

namespace {
// Refactored pivots are accepted while the cheap reciprocal condition estimate
// stays within this factor of the one seen at the last pivoting factorization.
constexpr double kRcondDrop = 1e-3;
// KLU's estimate (smallest over largest pivot of the row-scaled matrix) is a
// ratio across unknowns of different units: a microohm loop driven by a
// high-gain controlled source (its row scaled by the gain) sits far below
// the largest pivot without being near singular. Below this floor each pivot
// is judged on its own (see weakestPivot).
constexpr double kRcondFloor = 1e-14;
// A pivot is zero when it is this small beside the products that formed it,
// (|L||U|)_kk: cancellation down to rounding (an exactly singular matrix
// leaves a few eps of them), not a small element of the circuit: two nodes
// joined by 2 ohm and tied elsewhere by gmin alone leave 1e-12 of 0.5 (the
// tail of an off differential pair, National's LMV981 macromodel), which
// ngspice 39 solves (its pivot floor is an absolute 1e-13).
constexpr double kPivotCancel = 1e-13;
// ... unless the pivot itself, in the matrix's own units (before KLU's row
// scaling), is at least ngspice 39's absolute pivot floor: a vendor template's
// 1e-12 ohm resistors beside 1 kohm (a pivot of 2e-3 S formed from 3e12 S), a
// floating pair joined by 1 mohm and tied to ground by gmin alone (a pivot of
// 1e-12 S beside 1e3 S) are solvable, to the precision the numbers carry, and
// ngspice solves them.
constexpr double kPivotFloor = 1e-13;
// The in-place refactorization keeps a pointer per multiply-add of its
// updates; above this many it would leave the cache (refactorWorkspace).
constexpr std::int64_t kInPlaceMaxUpdates = 8192;
}  // namespace

template <class Scalar>
struct SparseLu<Scalar>::Impl {
  static constexpr bool kComplex = !std::is_same_v<Scalar, double>;
  struct Slot {
    klu_numeric* numeric = nullptr;
    double rcondAtFactor = 0;
    // refactor(): for each entry p of A (CSC order), where KLU's refactor puts
    // it under this slot's pivot order: >= 0 its row within its diagonal
    // block, < 0 position -1 - dest in the off-diagonal entries (Offx).
    std::vector<int> dest;
    // the columns of L and U of each pivot (inside KLU's factors; unused for
    // a 1x1 block)
    struct Column {
      const int* i = nullptr;
      double* x = nullptr;
      int len = 0;
    };
    std::vector<Column> lcol, ucol;
    // refactor(), in place: where each entry of A is stored (scaled) in the
    // factors (its U, diagonal or L value, or its off-diagonal value).
    std::vector<double*> at;
    std::vector<double*> fill;  // the factor values no entry of A sets (zeroed before the scatter)
    // The in-place refactorization as flat lists, in refactor order: every
    // multiply-add of the updates (the factor value it updates, column k's own
    // value of row i for L(i, j) * U(j, k), and the L and U values it
    // multiplies: *t -= *l * *u), and every pivot with the end of its updates
    // in that list and its L column, so that the loop has no
    // per-column or per-U-entry look-ups (of the columns' lengths and
    // addresses) and one inner loop per column instead of one per U entry.
    struct Update {
      double* t;
      const double* l;
      const double* u;
    };
    struct Pivot {
      int k;         // pivot position
      int end;       // its updates (and those of the pivots before it): updates[0 .. end)
      double* lx;    // its L column (the values)
      int llen;      // its length
      bool coupled;  // in a block of more than one column (a 1x1 block's pivot is not checked for zero)
    };
    std::vector<Update> updates;
    std::vector<Pivot> pivots;
    // The parallel refactorization's schedule under this pivot order:
    // phase f runs groups phaseStart[f] .. phaseStart[f + 1] - 1 at the same
    // time; group g refactors columns cols[groupStart[g] .. groupStart[g + 1])
    // in that (increasing) order. Empty: refactor on one thread.
    std::vector<int> cols, groupStart, phaseStart;
    std::int64_t critical = 0, total = 0;  // multiply-adds: longest path, all
    // solve(): the reciprocals of the pivots (Udiag) and of the row scale
    // factors (Rs, pivot order) of the current factors, formed by the first
    // solve after each factorization (invValid), so that a solve multiplies
    // instead of dividing on its dependency chain.
    std::vector<double> uinv, rsinv;
    bool invValid = false;
    // refactor(), in place: klu_rcond's estimate of the new factors (the
    // smallest over the largest pivot magnitude; 0 when a pivot is zero or
    // not a number), found in the pivot loop; rcondValid until the next
    // factorization.
    double rcond = 0;
    bool rcondValid = false;
  };
  int n = 0;
  std::vector<int> ap, ai;
  klu_common common{};
  klu_symbolic* symbolic = nullptr;
  std::vector<Slot> slots = std::vector<Slot>(1);
  int weakest = -1;  // after a failed doFactor: the pivot position judged zero, or -1
  bool kluRoutines = false;       // test hook: klu_refactor and klu_solve instead of refactor() and solve()
  bool workspaceOnly = false;     // test hook: refactorWorkspace() where refactor() would work in place
  std::vector<double> rs, rinv, xwork;  // refactor(): row scale factors and their reciprocals, column workspace
  std::vector<int> rowStart, rowEntry;  // the entries of A (CSC positions) by row: row r's are rowEntry[rowStart[r] ..)
  std::vector<int> blockStart;    // first pivot position of the BTF block of each pivot position
  const ParallelFor* parallel = nullptr;
  std::size_t groups = 1;
  std::int64_t minWork = 0;
  std::vector<double> xgroups;  // parallel refactor: one zeroed workspace per group
  std::vector<int> failedAt;    // parallel refactor: per group, the zero pivot it met, or -1

  ~Impl() {
    for (Slot& s : slots) freeNumeric(s);
    if (symbolic) klu_free_symbolic(&symbolic, &common);
  }
  void freeNumeric(Slot& s) {
    s.invValid = false;
    s.rcondValid = false;
    if (!s.numeric) return;
    if constexpr (kComplex) klu_z_free_numeric(&s.numeric, &common);
    else klu_free_numeric(&s.numeric, &common);
  }
  double* raw(const Scalar* v) { return const_cast<double*>(reinterpret_cast<const double*>(v)); }

  bool doFactor(Slot& s, const Scalar* v) {
    freeNumeric(s);
    if constexpr (kComplex) s.numeric = klu_z_factor(ap.data(), ai.data(), raw(v), symbolic, &common);
    else s.numeric = klu_factor(ap.data(), ai.data(), raw(v), symbolic, &common);
    weakest = -1;
    if (!s.numeric || common.status == KLU_SINGULAR) return false;
    s.rcondAtFactor = rcond(s);
    if (std::isnan(s.rcondAtFactor)) return false;  // non-finite entries
    if constexpr (!kComplex) planRefactor(s);
    return s.rcondAtFactor > kRcondFloor || pivotsSound(s);
  }
  // Every pivot well above the rounding of the products that formed it
  // (sets weakest when one is not).
  bool pivotsSound(Slot& s) {
    double ratio = 0;
    const int k = weakestPivot(s, ratio);
    if (ratio > kPivotCancel) return true;
    weakest = k;
    return false;
  }
  // The position (in KLU's pivot order) of the pivot smallest beside the
  // products it was formed from, U_kk / (|L||U|)_kk, and that ratio, among
  // the pivots below kPivotFloor in the matrix's own units (none: ratio is
  // infinite). Used only when the cheap estimate is below its floor: it
  // copies the factors.
  int weakestPivot(Slot& s, double& ratio) {
    const klu_numeric* num = s.numeric;
    const std::size_t lnz = std::size_t(num->lnz), unz = std::size_t(num->unz);
    std::vector<int> lp(std::size_t(n) + 1), li(lnz), up(std::size_t(n) + 1), ui(unz), perm(static_cast<std::size_t>(n));
    std::vector<double> lx(lnz), ux(unz), lz, uz, rs(std::size_t(n), 1.0);
    double* rsOut = num->Rs ? rs.data() : nullptr;
    int ok;
    if constexpr (kComplex) {
      lz.resize(lnz);
      uz.resize(unz);
      ok = klu_z_extract(s.numeric, symbolic, lp.data(), li.data(), lx.data(), lz.data(), up.data(), ui.data(), ux.data(),
                         uz.data(), nullptr, nullptr, nullptr, nullptr, perm.data(), nullptr, rsOut, nullptr, &common);
    } else {
      ok = klu_extract(s.numeric, symbolic, lp.data(), li.data(), lx.data(), up.data(), ui.data(), ux.data(), nullptr,
                       nullptr, nullptr, perm.data(), nullptr, rsOut, nullptr, &common);
    }
    if (!ok) {
      ratio = 0;  // (out of memory) no verdict: call it singular
      return 0;
    }
    auto mag = [&](const std::vector<double>& re, const std::vector<double>& im, std::size_t p) {
      return kComplex ? std::hypot(re[p], im[p]) : std::abs(re[p]);
    };
    // L by rows: |L_kj| for j < k
    std::vector<int> rp(std::size_t(n) + 1, 0), rj(lnz);
    std::vector<double> rx(lnz);
    for (std::size_t p = 0; p < lnz; ++p) rp[std::size_t(li[p]) + 1]++;
    for (int k = 0; k < n; ++k) rp[std::size_t(k) + 1] += rp[std::size_t(k)];
    std::vector<int> fill(rp.begin(), rp.end() - 1);
    for (int j = 0; j < n; ++j)
      for (int p = lp[std::size_t(j)]; p < lp[std::size_t(j) + 1]; ++p) {
        const std::size_t q = std::size_t(fill[std::size_t(li[std::size_t(p)])]++);
        rj[q] = j;
        rx[q] = mag(lx, lz, std::size_t(p));
      }
    std::vector<double> row(std::size_t(n), 0.0);
    int worst = 0;
    ratio = INFINITY;
    for (int k = 0; k < n; ++k) {
      for (int q = rp[std::size_t(k)]; q < rp[std::size_t(k) + 1]; ++q)
        if (rj[std::size_t(q)] != k) row[std::size_t(rj[std::size_t(q)])] = rx[std::size_t(q)];
      double pivot = 0, formed = 0;
      for (int p = up[std::size_t(k)]; p < up[std::size_t(k) + 1]; ++p) {
        const int j = ui[std::size_t(p)];
        const double u = mag(ux, uz, std::size_t(p));
        if (j == k) pivot = u;
        else formed += row[std::size_t(j)] * u;
      }
      for (int q = rp[std::size_t(k)]; q < rp[std::size_t(k) + 1]; ++q) row[std::size_t(rj[std::size_t(q)])] = 0.0;
      formed += pivot;
      const double r = formed > 0 ? pivot / formed : 0.0;
      // (KLU's scaled rows are A's divided by rs: the pivot in A's units)
      if (pivot * rs[std::size_t(perm[std::size_t(k)])] >= kPivotFloor) continue;
      if (r < ratio) {
        ratio = r;
        worst = k;
      }
    }
    return worst;
  }
  // The unknown (1-based) of the smallest pivot in magnitude.
  int smallestPivotUnknown(const Slot& s) const {
    const double* ud = reinterpret_cast<const double*>(s.numeric->Udiag);
    const int stride = kComplex ? 2 : 1;
    int best = 0;
    double bestMag = INFINITY;
    for (int k = 0; k < n; ++k) {
      const double mag = std::abs(ud[k * stride]) + (kComplex ? std::abs(ud[k * stride + 1]) : 0.0);
      if (mag < bestMag) {
        bestMag = mag;
        best = k;
      }
    }
    return symbolic->Q[best] + 1;
  }
  // Where each entry of A goes in refactor() under the pivot order of s (as
  // klu_refactor finds it through Pinv on every call).
  void planRefactor(Slot& s) {
    const klu_numeric* num = s.numeric;
    s.dest.assign(std::size_t(ap[std::size_t(n)]), 0);
    int poff = 0;
    for (int block = 0; block < symbolic->nblocks; ++block) {
      const int k1 = symbolic->R[block], k2 = symbolic->R[block + 1];
      for (int k = k1; k < k2; ++k) {
        const int col = symbolic->Q[k];
        for (int p = ap[std::size_t(col)]; p < ap[std::size_t(col) + 1]; ++p) {
          const int newrow = num->Pinv[ai[std::size_t(p)]] - k1;
          s.dest[std::size_t(p)] = newrow < 0 && poff < symbolic->nzoff ? -1 - poff++ : newrow;
        }
      }
    }
    // KLU's GET_POINTER: a column's row indices (ints) padded to whole
    // doubles, then its values
    s.lcol.assign(std::size_t(n), {});
    s.ucol.assign(std::size_t(n), {});
    auto units = [](int len) { return (std::size_t(len) * sizeof(int) + sizeof(double) - 1) / sizeof(double); };
    for (int block = 0; block < symbolic->nblocks; ++block) {
      const int k1 = symbolic->R[block], k2 = symbolic->R[block + 1];
      if (k2 - k1 == 1) continue;
      double* lu = static_cast<double*>(num->LUbx[block]);
      for (int k = k1; k < k2; ++k) {
        double* l = lu + num->Lip[k];
        double* u = lu + num->Uip[k];
        s.lcol[std::size_t(k)] = {reinterpret_cast<const int*>(l), l + units(num->Llen[k]), num->Llen[k]};
        s.ucol[std::size_t(k)] = {reinterpret_cast<const int*>(u), u + units(num->Ulen[k]), num->Ulen[k]};
      }
    }
    planInPlace(s);
    planSchedule(s);
  }
  // Slot::at, Slot::updates and Slot::pivots under the pivot order of s.
  void planInPlace(Slot& s) {
    const klu_numeric* num = s.numeric;
    double* offx = static_cast<double*>(num->Offx);
    double* udiag = static_cast<double*>(num->Udiag);
    s.at.clear();
    s.updates.clear();
    s.pivots.clear();
    s.fill.clear();
    std::int64_t updates = 0;
    for (int block = 0; block < symbolic->nblocks; ++block) {
      const int k1 = symbolic->R[block], k2 = symbolic->R[block + 1];
      if (k2 - k1 > 1)
        for (int k = k1; k < k2; ++k)
          for (int up = 0; up < s.ucol[std::size_t(k)].len; ++up)
            updates += s.lcol[std::size_t(k1 + s.ucol[std::size_t(k)].i[up])].len;
    }
    if (updates > kInPlaceMaxUpdates) return;  // refactorWorkspace
    s.at.assign(s.dest.size(), nullptr);
    s.updates.reserve(std::size_t(updates));
    s.pivots.reserve(std::size_t(n));
    std::vector<double*> row(std::size_t(symbolic->maxblock));  // column k's value of each row of its block
    for (int block = 0; block < symbolic->nblocks; ++block) {
      const int k1 = symbolic->R[block], k2 = symbolic->R[block + 1];
      for (int k = k1; k < k2; ++k) {
        const int kk = k - k1;
        const auto& uk = s.ucol[std::size_t(k)];
        const auto& lk = s.lcol[std::size_t(k)];
        if (k2 - k1 > 1) {
          for (int up = 0; up < uk.len; ++up) row[std::size_t(uk.i[up])] = uk.x + up;
          for (int p = 0; p < lk.len; ++p) row[std::size_t(lk.i[p])] = lk.x + p;
        }
        row[std::size_t(kk)] = udiag + k;
        const int col = symbolic->Q[k];
        for (int p = ap[std::size_t(col)]; p < ap[std::size_t(col) + 1]; ++p) {
          const int d = s.dest[std::size_t(p)];
          s.at[std::size_t(p)] = d < 0 ? offx + (-1 - d) : row[std::size_t(d)];
        }
        if (k2 - k1 == 1) {
          s.pivots.push_back({k, int(s.updates.size()), nullptr, 0, false});
          continue;
        }
        for (int up = 0; up < uk.len; ++up) {
          const auto& lj = s.lcol[std::size_t(k1 + uk.i[up])];
          for (int p = 0; p < lj.len; ++p) s.updates.push_back({row[std::size_t(lj.i[p])], lj.x + p, uk.x + up});
        }
        s.pivots.push_back({k, int(s.updates.size()), lk.x, lk.len, true});
      }
    }
    // fill-in: every factor value (U, diagonal, L) that is not the place of an entry of A
    std::vector<double*> all;
    for (int k = 0; k < n; ++k) {
      all.push_back(udiag + k);
      for (const auto* c : {&s.ucol[std::size_t(k)], &s.lcol[std::size_t(k)]})
        for (int p = 0; p < c->len; ++p) all.push_back(c->x + p);
    }
    std::vector<double*> set(s.at.begin(), s.at.end());
    std::sort(set.begin(), set.end());
    s.fill.clear();
    for (double* v : all)
      if (!std::binary_search(set.begin(), set.end(), v)) s.fill.push_back(v);
  }
  // The parallel refactorization's schedule for s (see Slot::cols). Column k
  // of a coupled block needs the columns j of its block with U(j, k) != 0.
  // Each column's parent is the first column that needs it; subtrees of
  // that forest are independent when the pattern is symmetric, as in the
  // elimination tree of a Cholesky factor (every column found needing a
  // column outside its group is moved to the last, one-thread phase). A
  // phase takes subtrees of the columns not yet scheduled, found by
  // splitting the heaviest subtree at its root until they pack into `groups`
  // groups of about equal work; the roots split off are scheduled by the
  // next phases the same way.
  void planSchedule(Slot& s) {
    s.cols.clear();
    s.groupStart.clear();
    s.phaseStart.clear();
    s.critical = s.total = 0;
    if (!parallel || groups < 2 || n < 16) return;
    const std::size_t nn = std::size_t(n);
    if (blockStart.size() != nn) {
      blockStart.assign(nn, 0);
      for (int block = 0; block < symbolic->nblocks; ++block)
        for (int k = symbolic->R[block]; k < symbolic->R[block + 1]; ++k) blockStart[std::size_t(k)] = symbolic->R[block];
    }
    // work of each column: its entries of A, the multiply-adds of its updates, its L column
    std::vector<std::int64_t> w(nn);
    std::int64_t total = 0;
    for (int k = 0; k < n; ++k) {
      const int col = symbolic->Q[k];
      std::int64_t wk = 1 + ap[std::size_t(col) + 1] - ap[std::size_t(col)];
      const auto& uk = s.ucol[std::size_t(k)];
      const int k1 = blockStart[std::size_t(k)];
      for (int up = 0; up < uk.len; ++up) wk += 1 + s.lcol[std::size_t(k1 + uk.i[up])].len;
      wk += s.lcol[std::size_t(k)].len;
      w[std::size_t(k)] = wk;
      total += wk;
    }
    s.total = total;
    if (total < minWork) return;
    auto forDeps = [&](int k, auto&& f) {
      const auto& uk = s.ucol[std::size_t(k)];
      const int k1 = blockStart[std::size_t(k)];
      for (int up = 0; up < uk.len; ++up) f(k1 + uk.i[up]);
    };
    constexpr int kFinal = 1 << 30;
    std::vector<int> phase(nn, kFinal), group(nn, 0);
    std::vector<char> rem(nn, 1);
    std::vector<int> parent(nn), childStart(nn + 1), child(nn), stack;
    std::vector<std::int64_t> sw(nn);
    int phases = 0, groupCount = 0;
    const std::size_t P = groups;
    for (int round = 0; round < 16; ++round) {
      // the forest of the columns not yet scheduled
      std::int64_t remTotal = 0;
      for (int k = 0; k < n; ++k) parent[std::size_t(k)] = -1, sw[std::size_t(k)] = 0;
      for (int k = 0; k < n; ++k) {
        if (!rem[std::size_t(k)]) continue;
        forDeps(k, [&](int j) {
          if (rem[std::size_t(j)] && parent[std::size_t(j)] < 0) parent[std::size_t(j)] = k;
        });
      }
      std::fill(childStart.begin(), childStart.end(), 0);
      for (int k = 0; k < n; ++k) {
        if (!rem[std::size_t(k)]) continue;
        remTotal += w[std::size_t(k)];
        sw[std::size_t(k)] += w[std::size_t(k)];
        const int p = parent[std::size_t(k)];
        if (p >= 0) {
          sw[std::size_t(p)] += sw[std::size_t(k)];
          childStart[std::size_t(p) + 1]++;
        }
      }
      if (remTotal < minWork / 4) break;
      for (std::size_t k = 0; k < nn; ++k) childStart[k + 1] += childStart[k];
      {
        std::vector<int> fill(childStart.begin(), childStart.end() - 1);
        for (int k = 0; k < n; ++k)
          if (rem[std::size_t(k)] && parent[std::size_t(k)] >= 0) child[std::size_t(fill[std::size_t(parent[std::size_t(k)])]++)] = k;
      }
      // split the heaviest subtree at its root until the subtrees pack well
      using Item = std::pair<std::int64_t, int>;
      std::priority_queue<Item> cand;
      std::int64_t candTotal = 0;
      for (int k = 0; k < n; ++k)
        if (rem[std::size_t(k)] && parent[std::size_t(k)] < 0) cand.push({sw[std::size_t(k)], k}), candTotal += sw[std::size_t(k)];
      std::vector<Item> items;
      std::vector<std::int64_t> bins(P);
      std::vector<std::vector<int>> binRoots(P);
      bool packed = false;
      int checks = 0;
      while (!cand.empty() && 4 * candTotal >= remTotal) {
        if (cand.top().first * std::int64_t(P) <= candTotal * 11 / 10 && checks < 200) {
          ++checks;
          // largest first into the lightest group
          items.clear();
          auto copy = cand;
          while (!copy.empty()) items.push_back(copy.top()), copy.pop();
          std::fill(bins.begin(), bins.end(), 0);
          for (auto& r : binRoots) r.clear();
          for (const Item& it : items) {
            const std::size_t b = std::size_t(std::min_element(bins.begin(), bins.end()) - bins.begin());
            bins[b] += it.first;
            binRoots[b].push_back(it.second);
          }
          const std::int64_t most = *std::max_element(bins.begin(), bins.end());
          if (most * std::int64_t(P) <= candTotal * 11 / 10) {
            packed = true;
            break;
          }
        }
        const int c = cand.top().second;
        cand.pop();
        candTotal -= w[std::size_t(c)];
        for (int q = childStart[std::size_t(c)]; q < childStart[std::size_t(c) + 1]; ++q)
          cand.push({sw[std::size_t(child[std::size_t(q)])], child[std::size_t(q)]});
      }
      if (!packed) break;
      int used = 0;
      for (std::size_t b = 0; b < P; ++b) {
        if (binRoots[b].empty()) continue;
        for (int root : binRoots[b]) {
          stack.assign(1, root);
          while (!stack.empty()) {
            const int k = stack.back();
            stack.pop_back();
            phase[std::size_t(k)] = phases;
            group[std::size_t(k)] = groupCount + used;
            rem[std::size_t(k)] = 0;
            for (int q = childStart[std::size_t(k)]; q < childStart[std::size_t(k) + 1]; ++q) stack.push_back(child[std::size_t(q)]);
          }
        }
        ++used;
      }
      ++phases;
      groupCount += used;
    }
    if (phases == 0) return;
    // a column that needs one outside its group and earlier phases goes last
    for (int k = 0; k < n; ++k) {
      if (phase[std::size_t(k)] == kFinal) continue;
      bool ok = true;
      forDeps(k, [&](int j) {
        ok = ok && (phase[std::size_t(j)] < phase[std::size_t(k)] ||
                    (phase[std::size_t(j)] == phase[std::size_t(k)] && group[std::size_t(j)] == group[std::size_t(k)]));
      });
      if (!ok) phase[std::size_t(k)] = kFinal, group[std::size_t(k)] = 0;
    }
    // groups in order, columns increasing within each
    std::vector<int> count(std::size_t(groupCount) + 1, 0), phaseOf(std::size_t(groupCount) + 1, phases);
    std::vector<std::int64_t> gw(std::size_t(groupCount) + 1, 0);
    auto gid = [&](int k) { return phase[std::size_t(k)] == kFinal ? groupCount : group[std::size_t(k)]; };
    for (int k = 0; k < n; ++k) {
      const int g = gid(k);
      count[std::size_t(g)]++;
      gw[std::size_t(g)] += w[std::size_t(k)];
      if (g < groupCount) phaseOf[std::size_t(g)] = phase[std::size_t(k)];
    }
    s.groupStart.assign(std::size_t(groupCount) + 2, 0);
    for (int g = 0; g <= groupCount; ++g) s.groupStart[std::size_t(g) + 1] = s.groupStart[std::size_t(g)] + count[std::size_t(g)];
    s.cols.assign(nn, 0);
    {
      std::vector<int> fill(s.groupStart.begin(), s.groupStart.end() - 1);
      for (int k = 0; k < n; ++k) s.cols[std::size_t(fill[std::size_t(gid(k))]++)] = k;
    }
    // phases: groups are numbered phase by phase; the last phase is the one-thread rest
    s.phaseStart.clear();
    std::int64_t critical = 0;
    for (int g = 0; g < groupCount; ++g) {
      if (g == 0 || phaseOf[std::size_t(g)] != phaseOf[std::size_t(g) - 1]) s.phaseStart.push_back(g);
    }
    // longest path: per phase its heaviest group
    critical = 0;
    for (std::size_t f = 0; f < s.phaseStart.size(); ++f) {
      const int g0 = s.phaseStart[f], g1 = f + 1 < s.phaseStart.size() ? s.phaseStart[f + 1] : groupCount;
      std::int64_t most = 0;
      for (int g = g0; g < g1; ++g) most = std::max(most, gw[std::size_t(g)]);
      critical += most;
    }
    s.phaseStart.push_back(groupCount);
    s.phaseStart.push_back(groupCount + 1);  // the rest, on one thread (possibly no columns)
    critical += gw[std::size_t(groupCount)];
    s.critical = critical;
    if (minWork >= 0 && 5 * critical > 4 * total) {
      s.cols.clear();
      s.groupStart.clear();
      s.phaseStart.clear();
    }
  }
  // Column k (pivot position) of the refactorization of s from the values ax
  // (times the reciprocals rinv of their row scale factors): refactorWorkspace's
  // arithmetic for that column. X holds zeros (maxblock of them) and is left so. False on a
  // zero pivot (then X is left dirty).
  bool column(Slot& s, const double* ax, int k, double* X) const {
    const klu_numeric* num = s.numeric;
    double* offx = static_cast<double*>(num->Offx);
    double* udiag = static_cast<double*>(num->Udiag);
    const int* dest = s.dest.data();
    const int col = symbolic->Q[k];
    const int k1 = blockStart[std::size_t(k)];
    if (s.lcol[std::size_t(k)].i == nullptr) {  // a 1x1 block
      double sv = 0.0;
      for (int p = ap[std::size_t(col)]; p < ap[std::size_t(col) + 1]; ++p) {
        const double v = ax[p] * rinv[std::size_t(ai[std::size_t(p)])];
        if (dest[p] < 0) offx[-1 - dest[p]] = v;
        else sv = v;
      }
      udiag[k] = sv;
      return true;
    }
    for (int p = ap[std::size_t(col)]; p < ap[std::size_t(col) + 1]; ++p) {
      const double v = ax[p] * rinv[std::size_t(ai[std::size_t(p)])];
      if (dest[p] < 0) offx[-1 - dest[p]] = v;
      else X[dest[p]] = v;
    }
    const auto* lcol = s.lcol.data() + k1;
    const auto& uk = s.ucol[std::size_t(k)];
    for (int up = 0; up < uk.len; ++up) {
      const int j = uk.i[up];
      const double ujk = X[j];
      X[j] = 0.0;
      uk.x[up] = ujk;
      const auto& lj = lcol[j];
      for (int p = 0; p < lj.len; ++p) X[lj.i[p]] -= lj.x[p] * ujk;
    }
    const int kk = k - k1;
    const double ukk = X[kk];
    X[kk] = 0.0;
    if (ukk == 0.0) return false;
    udiag[k] = ukk;
    const double inv = 1.0 / ukk;
    const auto& lk = lcol[kk];
    for (int p = 0; p < lk.len; ++p) {
      const int i = lk.i[p];
      lk.x[p] = X[i] * inv;
      X[i] = 0.0;
    }
    return true;
  }
  // refactor() with the columns of s's schedule on *parallel's threads.
  bool refactorParallel(Slot& s, const double* ax) {
    klu_numeric* num = s.numeric;
    common.status = KLU_OK;
    common.numerical_rank = -1;
    common.singular_col = -1;
    const std::size_t nn = std::size_t(n), nnz = std::size_t(ap[nn]);
    rs.assign(nn, 0.0);
    for (std::size_t p = 0; p < nnz; ++p) {
      const double a = std::fabs(ax[p]);
      double& r = rs[std::size_t(ai[p])];
      r = r > a ? r : a;
    }
    rinv.resize(nn);
    for (std::size_t i = 0; i < nn; ++i) {
      if (rs[i] == 0.0) rs[i] = 1.0;
      rinv[i] = 1.0 / rs[i];
    }
    const std::size_t mb = std::size_t(symbolic->maxblock), ng = s.groupStart.size() - 1;
    if (xgroups.size() != ng * mb) xgroups.assign(ng * mb, 0.0);
    failedAt.assign(ng, -1);
    std::function<void(std::size_t)> run;
    std::size_t g0 = 0;
    run = [&](std::size_t t) {
      const std::size_t g = g0 + t;
      double* X = xgroups.data() + g * mb;
      for (int q = s.groupStart[g]; q < s.groupStart[g + 1]; ++q) {
        if (!column(s, ax, s.cols[std::size_t(q)], X)) {
          failedAt[g] = s.cols[std::size_t(q)];
          return;
        }
      }
    };
    bool ok = true;
    for (std::size_t f = 0; f + 1 < s.phaseStart.size() && ok; ++f) {
      g0 = std::size_t(s.phaseStart[f]);
      const std::size_t tasks = std::size_t(s.phaseStart[f + 1]) - g0;
      if (tasks == 1) run(0);
      else (*parallel)(tasks, run);
      for (std::size_t g = g0; g < g0 + tasks; ++g)
        if (failedAt[g] >= 0) {
          if (ok || failedAt[g] < common.numerical_rank) {
            common.numerical_rank = failedAt[g];
            common.singular_col = symbolic->Q[failedAt[g]];
          }
          ok = false;
        }
    }
    if (!ok) {
      common.status = KLU_SINGULAR;
      std::fill(xgroups.begin(), xgroups.end(), 0.0);
      return false;
    }
    for (std::size_t k = 0; k < nn; ++k) num->Rs[k] = rs[std::size_t(num->Pnum[k])];
    return true;
  }
  // klu_refactor with KLU's default row scaling (common.scale == 2), the same
  // operations in the same order except that each division (of an entry by
  // its row's scale factor, of an L column by its pivot) is a multiplication
  // by the reciprocal, formed once (as Sparse 1.3 in ngspice; factors equal to
  // KLU's to rounding, and bit-identical across refactorWorkspace(),
  // refactor() and refactorParallel()), without its input checks and Pinv
  // look-ups: new values into the factors of s under their pivot order.
  // False, with common.status KLU_SINGULAR, on a zero pivot.
  // With a column workspace, as KLU (refactor() below works in place when
  // the updates are few enough for their plan to stay in cache).
  bool refactorWorkspace(Slot& s, const double* ax) {
    klu_numeric* num = s.numeric;
    common.status = KLU_OK;
    common.numerical_rank = -1;
    common.singular_col = -1;
    const std::size_t nn = std::size_t(n), nnz = std::size_t(ap[nn]);
    // row scale factors: the largest magnitude of each row, 1 for an empty row
    rs.assign(nn, 0.0);
    for (std::size_t p = 0; p < nnz; ++p) {
      const double a = std::fabs(ax[p]);
      double& r = rs[std::size_t(ai[p])];
      r = r > a ? r : a;
    }
    rinv.resize(nn);
    for (std::size_t i = 0; i < nn; ++i) {
      if (rs[i] == 0.0) rs[i] = 1.0;
      rinv[i] = 1.0 / rs[i];
    }
    xwork.assign(std::size_t(symbolic->maxblock), 0.0);
    double* X = xwork.data();
    double* offx = static_cast<double*>(num->Offx);
    double* udiag = static_cast<double*>(num->Udiag);
    const int* dest = s.dest.data();
    for (int block = 0; block < symbolic->nblocks; ++block) {
      const int k1 = symbolic->R[block], k2 = symbolic->R[block + 1], nk = k2 - k1;
      if (nk == 1) {
        const int col = symbolic->Q[k1];
        double sv = 0.0;
        for (int p = ap[std::size_t(col)]; p < ap[std::size_t(col) + 1]; ++p) {
          const double v = ax[p] * rinv[std::size_t(ai[std::size_t(p)])];
          if (dest[p] < 0) offx[-1 - dest[p]] = v;
          else sv = v;
        }
        udiag[k1] = sv;
        continue;
      }
      const auto* lcol = s.lcol.data() + k1;
      const auto* ucol = s.ucol.data() + k1;
      for (int k = 0; k < nk; ++k) {
        const int col = symbolic->Q[k + k1];
        for (int p = ap[std::size_t(col)]; p < ap[std::size_t(col) + 1]; ++p) {
          const double v = ax[p] * rinv[std::size_t(ai[std::size_t(p)])];
          if (dest[p] < 0) offx[-1 - dest[p]] = v;
          else X[dest[p]] = v;
        }
        // column k of U, and the update of column k by the columns of L it uses
        const auto& uk = ucol[k];
        for (int up = 0; up < uk.len; ++up) {
          const int j = uk.i[up];
          const double ujk = X[j];
          X[j] = 0.0;
          uk.x[up] = ujk;
          const auto& lj = lcol[j];
          for (int p = 0; p < lj.len; ++p) X[lj.i[p]] -= lj.x[p] * ujk;
        }
        const double ukk = X[k];
        X[k] = 0.0;
        if (ukk == 0.0) {
          common.status = KLU_SINGULAR;
          common.numerical_rank = k + k1;
          common.singular_col = symbolic->Q[k + k1];
          return false;
        }
        udiag[k + k1] = ukk;
        // column k of L
        const double inv = 1.0 / ukk;
        const auto& lk = lcol[k];
        for (int p = 0; p < lk.len; ++p) {
          const int i = lk.i[p];
          lk.x[p] = X[i] * inv;
          X[i] = 0.0;
        }
      }
    }
    for (std::size_t k = 0; k < nn; ++k) num->Rs[k] = rs[std::size_t(num->Pnum[k])];  // in pivot order
    return true;
  }
  // refactorWorkspace's arithmetic in place (Slot::at, Slot::updates, Slot::pivots), for
  // small matrices: no workspace, no index look-ups in the updates. Where
  // KLU divides, this multiplies by a reciprocal formed once: each entry of A
  // by that of its row's scale factor, each column of L by that of its pivot
  // (as Sparse 1.3 in ngspice does), so the factors agree with klu_refactor's
  // to rounding (not to the bit); the reciprocals are kept for solve().
  bool refactor(Slot& s, const double* ax) {
    if ((s.at.empty() || workspaceOnly) && !s.dest.empty()) return refactorWorkspace(s, ax);
    klu_numeric* num = s.numeric;
    common.status = KLU_OK;
    common.numerical_rank = -1;
    common.singular_col = -1;
    s.invValid = false;
    s.rcondValid = false;
    const std::size_t nn = std::size_t(n);
    // The factors' values are klu_refactor's column workspace, in place: zero
    // (fill-in stays so until updated), then each scaled entry of A where its
    // column's elimination reads it, then each column's updates in KLU's
    // order, into the same values.
    double* udiag = static_cast<double*>(num->Udiag);
    s.uinv.resize(nn);
    s.rsinv.resize(nn);
    rs.resize(nn);
    rinv.resize(nn);
    double* uinv = s.uinv.data();
    for (double* v : s.fill) *v = 0.0;
    double* const* at = s.at.data();
    // row by row: the row scale factor (the largest magnitude, 1 for an empty
    // row; in a register, where a pass in column order updates it in memory
    // entry by entry) and the row's entries scaled by its reciprocal
    const int* rowEntry = this->rowEntry.data();
    for (std::size_t r = 0; r < nn; ++r) {
      const int j0 = rowStart[r], j1 = rowStart[r + 1];
      double m = 0.0;
      for (int j = j0; j < j1; ++j) {
        const double a = std::fabs(ax[rowEntry[j]]);
        m = m > a ? m : a;
      }
      if (m == 0.0) m = 1.0;
      const double inv = 1.0 / m;
      rs[r] = m;
      rinv[r] = inv;
      for (int j = j0; j < j1; ++j) *at[rowEntry[j]] = ax[rowEntry[j]] * inv;
    }
    // column by column: the updates of column k by the columns of L its U
    // entries use (each U value final before it is read: the updates of a
    // column run in the order of its U entries), then its pivot and L column
    // (and klu_rcond's extremes of the pivots' magnitudes on the way)
    const typename Slot::Update* const updates = s.updates.data();
    const typename Slot::Update* up = updates;
    double umin = INFINITY, umax = 0.0;
    bool unsound = false;  // a pivot zero or not a number
    for (const typename Slot::Pivot& pv : s.pivots) {
      for (const typename Slot::Update* e = updates + pv.end; up != e; ++up) *up->t -= *up->l * *up->u;
      const int k = pv.k;
      const double ukk = udiag[k];
      if (pv.coupled && ukk == 0.0) {
        common.status = KLU_SINGULAR;
        common.numerical_rank = k;
        common.singular_col = symbolic->Q[k];
        return false;
      }
      const double mag = std::fabs(ukk);
      unsound |= !(mag > 0.0);
      umin = std::min(umin, mag);
      umax = std::max(umax, mag);
      const double inv = 1.0 / ukk;
      uinv[k] = inv;
      double* lx = pv.lx;
      for (int p = 0; p < pv.llen; ++p) lx[p] *= inv;
    }
    double rc = unsound || nn == 0 ? 0.0 : umin / umax;
    if (std::isnan(rc)) rc = 0.0;
    s.rcond = rc;
    s.rcondValid = true;
    for (std::size_t k = 0; k < nn; ++k) {  // in pivot order
      const std::size_t r = std::size_t(num->Pnum[k]);
      num->Rs[k] = rs[r];
      s.rsinv[k] = rinv[r];
    }
    s.invValid = true;
    return true;
  }
  // klu_solve for one right-hand side with the factors of s and their plan,
  // in the same order, with each division by a pivot or a row scale factor
  // made a multiplication by its reciprocal (formed once per factorization):
  // b <- A^-1 b. The solution differs from klu_solve's by rounding only
  // (each quotient x / d becomes x * (1 / d), within an ulp of it); the
  // divisions were the latency of the back substitution's chain.
  void solve(Slot& s, double* b) {
    const klu_numeric* num = s.numeric;
    const std::size_t nn = std::size_t(n);
    xwork.resize(nn);
    double* X = xwork.data();
    const double* offx = static_cast<const double*>(num->Offx);
    if (!s.invValid) {
      const double* udiag = static_cast<const double*>(num->Udiag);
      s.uinv.resize(nn);
      s.rsinv.resize(nn);
      for (std::size_t k = 0; k < nn; ++k) s.uinv[k] = 1.0 / udiag[k];
      for (std::size_t k = 0; k < nn; ++k) s.rsinv[k] = 1.0 / num->Rs[k];
      s.invValid = true;
    }
    const double* uinv = s.uinv.data();
    const double* rsinv = s.rsinv.data();
    for (std::size_t k = 0; k < nn; ++k) X[k] = b[num->Pnum[k]] * rsinv[k];
    for (int block = symbolic->nblocks - 1; block >= 0; --block) {
      const int k1 = symbolic->R[block], k2 = symbolic->R[block + 1];
      if (k2 - k1 == 1) {
        X[k1] = X[k1] * uinv[k1];
      } else {
        double* Xb = X + k1;
        const int nk = k2 - k1;
        for (int k = 0; k < nk; ++k) {  // L (unit diagonal)
          const double x = Xb[k];
          const auto& l = s.lcol[std::size_t(k1 + k)];
          for (int p = 0; p < l.len; ++p) Xb[l.i[p]] -= l.x[p] * x;
        }
        for (int k = nk - 1; k >= 0; --k) {  // U
          const double x = Xb[k] * uinv[k1 + k];
          Xb[k] = x;
          const auto& u = s.ucol[std::size_t(k1 + k)];
          for (int p = 0; p < u.len; ++p) Xb[u.i[p]] -= u.x[p] * x;
        }
      }
      if (block > 0)  // the off-diagonal columns of this block into the earlier ones
        for (int k = k1; k < k2; ++k) {
          const double x = X[k];
          for (int p = num->Offp[k]; p < num->Offp[k + 1]; ++p) X[num->Offi[p]] -= offx[p] * x;
        }
    }
    for (std::size_t k = 0; k < nn; ++k) b[symbolic->Q[k]] = X[k];
  }
  bool planned(const Slot& s) const {
    return !kluRoutines && s.numeric && s.numeric->Rs && s.lcol.size() == std::size_t(n) &&
           s.dest.size() == std::size_t(ap[std::size_t(n)]);
  }
  // klu_rcond's estimate for the factors of s; after an in-place refactor(),
  // the one it found (the same value: the smallest over the largest pivot
  // magnitude, 0 for a zero or not-a-number pivot or ratio).
  double rcond(Slot& s) {
    if (s.rcondValid && !kluRoutines) {
      s.rcondValid = false;
      common.rcond = s.rcond;
      common.status = s.rcond == 0.0 ? KLU_SINGULAR : KLU_OK;
      return s.rcond;
    }
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
  m.rowStart.assign(std::size_t(m.n) + 1, 0);
  for (int r : m.ai) m.rowStart[std::size_t(r) + 1]++;
  for (std::size_t r = 0; r < std::size_t(m.n); ++r) m.rowStart[r + 1] += m.rowStart[r];
  m.rowEntry.resize(m.ai.size());
  {
    std::vector<int> next(m.rowStart.begin(), m.rowStart.end() - 1);
    for (std::size_t q = 0; q < m.ai.size(); ++q) m.rowEntry[std::size_t(next[std::size_t(m.ai[q])]++)] = int(q);
  }
  klu_defaults(&m.common);
  m.common.halt_if_singular = 1;
  if (m.n > 0) m.symbolic = klu_analyze(m.n, m.ap.data(), m.ai.data(), &m.common);
}

template <class Scalar>
SparseLu<Scalar>::~SparseLu() = default;

template <class Scalar>
int SparseLu<Scalar>::size() const { return impl_->n; }

template <class Scalar>
void SparseLu<Scalar>::useKluRoutines(bool on) { impl_->kluRoutines = on; }

template <class Scalar>
void SparseLu<Scalar>::useWorkspaceRefactor(bool on) { impl_->workspaceOnly = on; }

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
void SparseLu<Scalar>::setParallel(const ParallelFor* parallel, std::size_t groups, std::int64_t minWork) {
  Impl& m = *impl_;
  m.parallel = parallel && *parallel && groups > 1 && !Impl::kComplex ? parallel : nullptr;
  m.groups = groups;
  m.minWork = minWork;
  if constexpr (!Impl::kComplex)
    for (auto& sl : m.slots)
      if (sl.numeric && m.planned(sl)) m.planSchedule(sl);
}

template <class Scalar>
void SparseLu<Scalar>::schedule(int slot, int& phases, std::int64_t& critical, std::int64_t& total) const {
  const auto& sl = impl_->slots[std::size_t(slot)];
  phases = sl.phaseStart.empty() ? 0 : int(sl.phaseStart.size()) - 1;
  critical = sl.critical;
  total = sl.total;
}

template <class Scalar>
std::vector<double> SparseLu<Scalar>::factorValues(int slot) const {
  const Impl& m = *impl_;
  const auto& sl = m.slots[std::size_t(slot)];
  std::vector<double> out;
  if (!sl.numeric || !m.planned(sl)) return out;
  const double* ud = reinterpret_cast<const double*>(sl.numeric->Udiag);
  const double* off = reinterpret_cast<const double*>(sl.numeric->Offx);
  const int stride = Impl::kComplex ? 2 : 1;
  for (int k = 0; k < m.n; ++k) {
    for (const auto* c : {&sl.lcol[std::size_t(k)], &sl.ucol[std::size_t(k)]})
      for (int p = 0; p < c->len; ++p) out.push_back(c->x[p]);
    for (int r = 0; r < stride; ++r) out.push_back(ud[k * stride + r]);
    out.push_back(sl.numeric->Rs ? sl.numeric->Rs[k] : 1.0);
  }
  for (int p = 0; p < m.symbolic->nzoff * stride; ++p) out.push_back(off[p]);
  return out;
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
  poorlyScaled_ = false;
  if (m.n == 0) return LuOutcome::Ok;
  if (!m.symbolic) { singularUnknown_ = 1; return LuOutcome::Singular; }
  sl.invValid = false;  // new factor values
  sl.rcondValid = false;
  if (sl.numeric) {
    int ok;
    bool threaded = false;
    if constexpr (Impl::kComplex) {
      ok = klu_z_refactor(m.ap.data(), m.ai.data(), m.raw(values), m.symbolic, sl.numeric, &m.common);
    } else if (m.kluRoutines || m.common.scale != 2 || !sl.numeric->Rs || sl.dest.size() != std::size_t(m.ap[std::size_t(m.n)])) {
      ok = klu_refactor(m.ap.data(), m.ai.data(), m.raw(values), m.symbolic, sl.numeric, &m.common);
    } else if (m.parallel && !sl.phaseStart.empty()) {
      ok = m.refactorParallel(sl, values);
      threaded = true;
    } else {
      ok = m.refactor(sl, values);
    }
    if (ok && m.common.status == KLU_OK) {
      double rc = m.rcond(sl);
      if (std::isfinite(rc) && rc > kRcondDrop * sl.rcondAtFactor && (rc > kRcondFloor || m.pivotsSound(sl))) {
        counters_.refactorizations++;
        if (threaded) counters_.parallelRefactorizations++;
        if (rc <= kRcondFloor) {
          poorlyScaled_ = true;
          singularUnknown_ = m.smallestPivotUnknown(sl);
        }
        return LuOutcome::Ok;
      }
    }
  }
  counters_.factorizations++;
  if (!m.doFactor(sl, values)) {
    int col = m.common.singular_col;
    singularUnknown_ = (col >= 0 && col < m.n) ? col + 1 : 1;
    if (sl.numeric && m.common.status != KLU_SINGULAR && m.weakest >= 0) {
      // factored, but a pivot is rounding: name its column
      singularUnknown_ = m.symbolic->Q[m.weakest] + 1;
    } else if (sl.numeric && m.common.status != KLU_SINGULAR) {
      // factored with a non-finite condition estimate: name the column of the smallest pivot
      singularUnknown_ = m.smallestPivotUnknown(sl);
    }
    invalidate(slot);
    return LuOutcome::Singular;
  }
  if (sl.rcondAtFactor <= kRcondFloor) {
    poorlyScaled_ = true;
    singularUnknown_ = m.smallestPivotUnknown(sl);
  }
  return LuOutcome::Ok;
}

template <class Scalar>
void SparseLu<Scalar>::solve(Scalar* b, int slot) {
  Impl& m = *impl_;
  if (m.n == 0) return;
  counters_.solves++;
  typename Impl::Slot& sl = m.slots[std::size_t(slot)];
  if constexpr (Impl::kComplex) {
    klu_z_solve(m.symbolic, sl.numeric, m.n, 1, reinterpret_cast<double*>(b), &m.common);
  } else if (m.planned(sl)) {
    m.solve(sl, b);
  } else {
    klu_solve(m.symbolic, sl.numeric, m.n, 1, b, &m.common);
  }
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
