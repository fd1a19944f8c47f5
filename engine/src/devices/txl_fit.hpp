// The rational approximations of ngspice's TXL line (devices/txl.cpp), from the
// per-metre R, L, G, C and the length of a single line.
//
//   Y(s)  = sqrt((G + sL) / (R + sL))                    (characteristic admittance)
//         ~ y0 (1 + sum_k c_k / (s - x_k))               three real poles (h1)
//   P(s)  = exp(-len sqrt((R + sL)(G + sC))) exp(s T)    (propagation without the delay T)
//         ~ h2aten (1 + sum_k c_k / (s - x_k))           three poles, two may be a complex pair (h2)
//   Y(s) P(s) as partial fractions of the two            six poles (h3)
//
// Y is a [3/3] Pade approximant in 1/s of its expansion about s = infinity,
// with the denominator's constant row replaced by the DC value Y(0) = sqrt(G/R);
// P likewise in 1/(s sqrt(LC)) after the factor exp(-a0), a0 = len sqrt(LC) (R/L + G/C)/2,
// with P(0) = exp(-len sqrt(RG)). The cubic's first root is the one of the
// trigonometric (or Cardano) formula polished by Newton to 5e-4 absolute, the
// other two come from the deflated quadratic (ngspice's order; the order of the
// h1 terms matters, see txl.cpp).
// A line with R/L < 5e5 and G < 1e-2 is lossless for ngspice: the ideal line of
// Z0 = sqrt(L/C) and delay T (R ignored), and has no poles.
#pragma once

#include <array>
#include <complex>
#include <string>

namespace simcore::dev::txl {

// A term c / (s - x) (x in 1/s). For a complex pair, the slot of the pair holds
// Re c and Re x, and the next slot Im c and Im x (the term and its conjugate).
struct Pole {
  double c = 0;
  double x = 0;
};

struct Fit {
  bool lossless = false;
  double y0 = 0;     // sqrt(C/L), S (L raised to at least 1e-12 H/m, as ngspice)
  double delay = 0;  // T = len sqrt(LC), s
  double rdc = 0;    // R len, ohm: the DC resistance
  std::array<Pole, 3> h1{};  // Y - y0, the residues times y0
  double h1sum = 0;          // sum of the h1 residues
  double h2aten = 1;         // P(infinity) = exp(-a0)
  std::array<Pole, 3> h2{};  // P - h2aten, residues times h2aten; pair: slots 1, 2
  double h3aten = 0;         // y0 h2aten
  std::array<Pole, 6> h3{};  // Y P - h3aten, residues times h3aten; pair: slots 4, 5
  bool pair = false;         // P's denominator has a complex pair of roots
};

struct FitResult {
  Fit fit;
  std::string error;  // empty when the fit exists
};

// Roots of x^3 + a1 x^2 + a2 x + a3 in ngspice's order: the first from the
// trigonometric (three real roots) or Cardano formula, polished by Newton to 5e-4
// absolute (back to the formula's value after 32 steps), then the deflated
// quadratic's (the larger magnitude first), or its complex pair r2 +- j r3.
// horner: the Newton step's polynomial in nested form (CPL's) instead of powers (TXL's).
struct Cubic {
  double first = 0;
  bool pair = false;
  double r2 = 0, r3 = 0;
};
Cubic cubicRoots(double a1, double a2, double a3, bool horner = false);

// The [3/3] approximant (1 + q1 u + q2 u^2 + q3 u^3) / (1 + p1 u + p2 u^2 + p3 u^3)
// of the series b[0] = 1, b[1..5] whose value at u -> infinity is dc (q3 = dc p3),
// by Gauss-Jordan with partial pivoting; false when a pivot is below minPivot.
struct Pade {
  double p1 = 0, p2 = 0, p3 = 0, q1 = 0, q2 = 0, q3 = 0;
};
bool pade33(const std::array<double, 6>& b, double dc, double minPivot, Pade& out);

// Residue of N/D at a root x of D = s^3 + p1 s^2 + p2 s + p3 (N - D of degree 2).
std::complex<double> residue(const Pade& f, std::complex<double> x);

// R, L, G, C per metre (R, G >= 0; L, C > 0), len in metres.
FitResult fitLine(double r, double l, double g, double c, double len);

// The fitted functions at a complex frequency s (for tests and checks).
std::complex<double> fittedAdmittance(const Fit& f, std::complex<double> s);
std::complex<double> fittedPropagation(const Fit& f, std::complex<double> s);  // P, without exp(-sT)
std::complex<double> fittedProduct(const Fit& f, std::complex<double> s);      // the h3 sum

}  // namespace simcore::dev::txl
