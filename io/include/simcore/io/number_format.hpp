// Fast decimal formatting of doubles for result files: the layout of
// printf("%.12g") (12 significant digits, trailing zeros removed, exponent
// form below 1e-4 and from 1e12) without printf's cost. The digits come from
// one scaled multiplication, so the last of the 12 digits may differ from
// printf's correctly rounded one by one unit in rare cases; the value read
// back is within 1e-12 relative of the double.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

namespace simcore::io {

// |re + j im| (the AC columns' magnitude) with the same bits on every target:
// glibc's hypot algorithm (2.35+: one correction step after sqrt, scaled near
// the ends of the range), written out so that the wasm build (musl's hypot
// differs in the last bit) writes the same files as the native one. Exactly
// std::hypot under glibc (tests/io/test_number_format.cpp). Needs no FMA
// contraction (io/ is compiled with -ffp-contract=off).
inline double magnitude(double re, double im) {
  if (!std::isfinite(re) || !std::isfinite(im)) {
    if (std::isinf(re) || std::isinf(im)) return HUGE_VAL;
    return re + im;  // nan
  }
  const double x = std::fabs(re), y = std::fabs(im);
  const double ax = x < y ? y : x, ay = x < y ? x : y;
  auto kernel = [](double a, double b) {
    double h = std::sqrt(a * a + b * b), t1, t2;
    if (h <= 2.0 * b) {
      const double d = h - b;
      t1 = a * (2.0 * d - a);
      t2 = (d - 2.0 * (a - b)) * d;
    } else {
      const double d = h - a;
      t1 = 2.0 * d * (a - 2.0 * b);
      t2 = (4.0 * d - b) * b + d * d;
    }
    return h - (t1 + t2) / (2.0 * h);
  };
  constexpr double kScale = 0x1p-600, kLarge = 0x1p+511, kTiny = 0x1p-511, kEps = 0x1p-54;
  if (ax > kLarge) return ay <= ax * kEps ? ax + ay : kernel(ax * kScale, ay * kScale) / kScale;
  if (ay < kTiny) return ax >= ay / kEps ? ax + ay : kernel(ax / kScale, ay / kScale) * kScale;
  if (ay <= ax * kEps) return ax + ay;
  return kernel(ax, ay);
}

// Writes at most 24 characters to out; returns the number written.
inline int formatG12(double v, char* out) {
  char* p = out;
  if (std::isnan(v)) { std::memcpy(p, "nan", 3); return 3; }
  if (v < 0 || (v == 0 && std::signbit(v))) { *p++ = '-'; v = -v; }
  if (std::isinf(v)) { std::memcpy(p, "inf", 3); return int(p - out) + 3; }
  if (v == 0) { *p++ = '0'; return int(p - out); }
  static const double kPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
                                  1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  int e = int(std::floor(std::log10(v)));
  // digits = round(v * 10^(11 - e)) as a 12-digit integer
  auto scaled = [&](int ex) {
    int k = 11 - ex;
    if (k >= 0 && k <= 22) return v * kPow10[k];
    if (k < 0 && -k <= 22) return v / kPow10[-k];
    // two factors: 10^k alone overflows or underflows near the ends of the range
    const int h = k / 2;
    return v * std::pow(10.0, h) * std::pow(10.0, k - h);
  };
  double s = scaled(e);
  std::uint64_t d = std::uint64_t(std::llround(s));
  if (d >= 1000000000000ULL) { ++e; d = std::uint64_t(std::llround(scaled(e))); }
  else if (d < 100000000000ULL) { --e; d = std::uint64_t(std::llround(scaled(e))); }
  if (d >= 1000000000000ULL) { d /= 10; ++e; }
  char dig[12];
  for (int i = 11; i >= 0; --i) { dig[i] = char('0' + d % 10); d /= 10; }
  int nd = 12;
  while (nd > 1 && dig[nd - 1] == '0') --nd;
  if (e < -4 || e >= 12) {
    *p++ = dig[0];
    if (nd > 1) { *p++ = '.'; std::memcpy(p, dig + 1, std::size_t(nd - 1)); p += nd - 1; }
    *p++ = 'e';
    int ae = e;
    if (ae < 0) { *p++ = '-'; ae = -ae; } else { *p++ = '+'; }
    if (ae >= 100) { *p++ = char('0' + ae / 100); ae %= 100; }
    *p++ = char('0' + ae / 10);
    *p++ = char('0' + ae % 10);
  } else if (e < 0) {
    *p++ = '0'; *p++ = '.';
    for (int i = -1; i > e; --i) *p++ = '0';
    std::memcpy(p, dig, std::size_t(nd)); p += nd;
  } else {
    int intDigits = e + 1;
    for (int i = 0; i < intDigits; ++i) *p++ = i < nd ? dig[i] : '0';
    if (nd > intDigits) { *p++ = '.'; std::memcpy(p, dig + intDigits, std::size_t(nd - intDigits)); p += nd - intDigits; }
  }
  return int(p - out);
}

}  // namespace simcore::io
