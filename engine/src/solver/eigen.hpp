// Dense eigenvalue routines for small matrices (a few hundred rows): the
// pole-zero analysis. No LAPACK (the engine also builds to wasm).
//
// Matrices are row-major std::vector<double> of n*n entries.
//
// eigenvalues(A):
//   balance A (diagonal similarity by powers of 2, rows and columns of equal norm)
//   reduce to upper Hessenberg form by Householder reflections
//   Francis double-shift QR on the active window [l, hi]:
//     deflate where a subdiagonal entry is below eps * (|a[k-1][k-1]| + |a[k][k]|)
//     1x1 block -> a real eigenvalue; 2x2 block -> a real or complex-conjugate pair
//     exceptional shifts after 10 and 20 iterations without deflation; give up after 60
//
// pencilEigenvalues(G, C): the finite roots of det(G + s C), each as often as
// its multiplicity:
//   1. exact elimination of algebraic rows and columns: a row (or column)
//      whose C part is zero is a constraint without s; it is eliminated with
//      its largest G entry as pivot by column (row) operations on both G and
//      C, which multiplies the determinant by that constant pivot; repeat
//      until every remaining row and column has a C entry (entries that
//      cancel to within 1e-13 of the terms are set to exactly zero); then
//      Gaussian elimination with complete pivoting on C's rows (the same row
//      operations on G) leaves the rows C's rank lacks without s, and the
//      elimination goes on until C has full rank
//   2. shift and invert the reduced pencil (H, E): with a real s0 where
//      H + s0 E is well conditioned, M = (H + s0 E)^-1 E has the eigenvalues
//      mu = -1 / (s - s0), so s = s0 - 1/mu; |mu| <= 1e-13 max|mu| is an
//      infinite eigenvalue (a remainder of step 1 that rounding hid) and
//      dropped. s0 is first of the pencil's scale ||H||_1 / ||E||_1, then,
//      when the roots found lie mostly elsewhere, their geometric mean
//      sqrt(min|s| max|s|) (a root's relative error is near
//      eps * max(|s0|/|s|, |s|/|s0|): about 1e-10 over 12 decades)
//   3. clean up: an imaginary part below 1e-9 |s| is zero, |s| below 1e-11
//      |s0| is 0, and eigenvalues within 1e-5 |s| of each
//      other (a defective multiple root, which QR splits into a small circle)
//      are replaced by their mean
//   4. order as ngspice lists roots: real part ascending, then imaginary
//      part; a complex pair as (re, +im) then (re, -im)
#pragma once

#include <complex>
#include <string>
#include <vector>

namespace simcore::solver {

enum class EigenOutcome { Ok, NoConvergence, SingularPencil };

struct EigenResult {
  EigenOutcome outcome = EigenOutcome::Ok;
  std::vector<std::complex<double>> values;
  // Pencil only: the size left after step 1 and the shift used.
  int reducedSize = 0;
  double shift = 0;
};

// Eigenvalues of the n x n matrix a (row-major), in no particular order.
[[nodiscard]] EigenResult eigenvalues(std::vector<double> a, int n);

// Finite roots of det(G + s C) for n x n matrices G and C (row-major),
// cleaned and ordered as described above. SingularPencil when the
// determinant vanishes for every s.
[[nodiscard]] EigenResult pencilEigenvalues(std::vector<double> g, std::vector<double> c, int n);

// Solve a x = b for a dense n x n a (row-major) with partial pivoting; false
// when a is singular. Both are overwritten (b by the solution).
bool denseSolve(std::vector<double>& a, std::vector<double>& b, int n, int columns = 1);

}  // namespace simcore::solver
