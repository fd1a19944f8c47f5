// The rational approximations of ngspice's CPL line (devices/cpl_ngspice.cpp) for N
// coupled conductors, from the per-metre N x N matrices R, L, G, C and the length.
//
// In the variable y (ngspice's: y = 0 and seven equal steps of 8 len), at each
// sample: Z = sf C + y G, its square root Z^1/2 by Jacobi rotations, the modes of
// Z^1/2 (sf L + y R) Z^1/2 by Jacobi again (eigenvalues W_k, vectors Q): Sv = Z^-1/2 Q
// times the square root of C's smallest eigenvalue, Sv_1 its inverse, Si_1 =
// diag(W)^-1/2 Sv_1 (y R + sf L), Si its inverse (sf = 1/sqrt(min W at y = 0)).
// Every entry of Si, Si_1, Sv_1, Si Sv_1 and each W_k becomes the degree-7
// polynomial through the eight samples; W_k gives mode k's delay T_k = len sqrt(W_k(0))/sf
// and its propagation series (times its attenuation) in place of W_k's first six
// coefficients. Then, as polynomials in y normalised to 1 at y = 0 (their value
// there kept apart as `aten`), each of
//   h1[j][k]    = (Si Sv_1)[j][k]                       own-end admittance
//   h2[j][k][m] = Si[j][m] W_m Si_1[m][k]               far-end current, delayed by T_m
//   h3[j][k][m] = Si[j][m] W_m Sv_1[m][k]               far-end voltage, delayed by T_m
// becomes a [3/3] Pade approximant (txl_fit.hpp) whose DC row holds
// sqrt(G_jj/R_jj), exp(-len sqrt(G_jj R_jj)) or their product on the diagonal
// terms and 0 elsewhere, and so aten (1 + three partial fractions c / (s - x)).
// R's upper-triangle entries are raised to at least 1e-4 ohm/m (as ngspice, which
// also uses the raised diagonal for the DC resistances).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "devices/txl_fit.hpp"

namespace simcore::dev::cplfit {

using Matrix = std::vector<std::vector<double>>;

// aten + sum of three terms c / (s - x); with `pair` the terms 1 and 2 hold the real
// and imaginary parts of one complex residue and pole (the term and its conjugate).
struct Function {
  double aten = 0;
  bool pair = false;
  std::array<txl::Pole, 3> t{};
  double sum = 0;  // the terms' weight in the matrix: c0 + c1 + c2, or c0 + 2 Re c1 for a pair
};

struct Fit {
  int n = 0;
  std::vector<double> delay;  // per mode, s
  std::vector<Function> h1;   // [j n + k]
  std::vector<Function> h2;   // [(j n + k) n + m]
  std::vector<Function> h3;   // [(j n + k) n + m]
  std::vector<double> rdc;    // per conductor: the raised R_jj times len, ohm
  std::string error;          // empty when the fit exists
};

Fit fitLines(const Matrix& r, const Matrix& l, const Matrix& g, const Matrix& c, double len);

// R, L, G and C of a CPL model for n conductors (nullptr: not given), each the
// upper triangle of a symmetric matrix row by row, into out; empty when read,
// else what is wrong ("R must be given", "C has 2 values; ...").
std::string rlgcMatrices(const std::array<const std::vector<double>*, 4>& given, int n, std::array<Matrix, 4>& out);

}  // namespace simcore::dev::cplfit
