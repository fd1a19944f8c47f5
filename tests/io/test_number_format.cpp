// The fast %.12g formatter against printf over many magnitudes.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <cstdint>
#include <cstring>
#include <string>

#include "simcore/io/number_format.hpp"

namespace {

std::string fast(double v) {
  char buf[32];
  return std::string(buf, std::size_t(simcore::io::formatG12(v, buf)));
}
std::string ref(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return buf;
}

TEST(NumberFormat, SpecialAndRoundValues) {
  for (double v : {0.0, -0.0, 1.0, -1.0, 10.0, 0.5, 0.1, 1e-4, 9.99999999999e-5, 1e-5, 123456789012.0, 1e12, 1e13,
                   -2.5e-300, 1.7976931348623157e308, 4.9e-324 * 1e10, 3.3, 1e100, 1e-100, 0.001, 12345.678})
    EXPECT_EQ(fast(v), ref(v)) << v;
  EXPECT_EQ(fast(NAN), "nan");
  EXPECT_EQ(fast(INFINITY), "inf");
  EXPECT_EQ(fast(-INFINITY), "-inf");
}

TEST(NumberFormat, RandomValuesMatchPrintfOrAreWithinOneUnitInTheLastDigit) {
  std::mt19937_64 rng(12345);
  std::uniform_real_distribution<double> mant(-1.0, 1.0);
  std::uniform_int_distribution<int> ex(-300, 300);
  int exact = 0, total = 200000;
  for (int i = 0; i < total; ++i) {
    double v = mant(rng) * std::pow(10.0, ex(rng));
    std::string a = fast(v), b = ref(v);
    if (a == b) { ++exact; continue; }
    double va = std::strtod(a.c_str(), nullptr), vb = std::strtod(b.c_str(), nullptr);
    ASSERT_LE(std::fabs(va - vb), 1.01e-11 * std::fabs(vb)) << v << " fast " << a << " printf " << b;
  }
  EXPECT_GT(exact, total * 99 / 100);  // differences are rare last-digit rounding cases
}

}  // namespace

#if SIMCORE_TEST_FMT
// {fmt} (Debian libfmt-dev) writes "{:.12g}" exactly as printf does; the
// hand-written formatter is kept because it is faster (see
// bench/number_format_bench.cpp). Same bytes wherever printf's rounding
// allows, one unit of the 12th digit apart in the rare rest.
#include <fmt/compile.h>
#include <fmt/format.h>

#include <limits>

namespace {

std::string viaFmt(double v) { return fmt::format(FMT_COMPILE("{:.12g}"), v); }

TEST(NumberFormat, SameBytesAsFmtForSpecialValuesDenormalsAndZeros) {
  const double specials[] = {0.0, -0.0, std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN(),
                             std::numeric_limits<double>::denorm_min(), -std::numeric_limits<double>::denorm_min(),
                             std::numeric_limits<double>::min(), std::numeric_limits<double>::max(),
                             -std::numeric_limits<double>::max(), 1e-310, 3.7e-320, 2.5e-315, 1e-4, 1e12, 1.0};
  for (double v : specials) EXPECT_EQ(fast(v), viaFmt(v)) << v;
  EXPECT_EQ(viaFmt(-std::numeric_limits<double>::quiet_NaN()).find("nan") != std::string::npos, true);
}

TEST(NumberFormat, SameBytesAsFmtOverManyMagnitudesIncludingDenormals) {
  std::mt19937_64 rng(2026);
  std::uniform_real_distribution<double> mant(-1.0, 1.0);
  std::uniform_int_distribution<int> ex(-323, 308);
  std::uniform_int_distribution<std::uint64_t> bits(1, (std::uint64_t(1) << 52) - 1);
  int exact = 0, total = 0;
  auto check = [&](double v) {
    ++total;
    std::string a = fast(v), b = viaFmt(v);
    ASSERT_EQ(b, ref(v)) << "fmt and printf disagree on " << v;
    if (a == b) { ++exact; return; }
    double va = std::strtod(a.c_str(), nullptr), vb = std::strtod(b.c_str(), nullptr);
    ASSERT_LE(std::fabs(va - vb), 1.01e-11 * std::fabs(vb)) << v << " fast " << a << " fmt " << b;
  };
  for (int i = 0; i < 200000; ++i) check(mant(rng) * std::pow(10.0, ex(rng)));
  for (int i = 0; i < 20000; ++i) {  // denormals: exponent bits zero
    double d;
    std::uint64_t b = bits(rng);
    std::memcpy(&d, &b, sizeof d);
    check(i % 2 ? -d : d);
  }
  EXPECT_GT(exact, total - total / 1000);  // differences are rare last-digit rounding cases
}

}  // namespace
#endif

namespace {

// The AC magnitude must be glibc's hypot to the bit (native files unchanged)
// while being computed by io/ itself (the same bits in wasm).
TEST(Magnitude, SameBitsAsGlibcHypot) {
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::uniform_int_distribution<int> wide(-320, 308), narrow(-30, 30);
  for (int i = 0; i < 2000000; ++i) {
    double a, b;
    if (i % 2) {
      a = u(rng) * std::pow(10.0, narrow(rng));
      b = i % 3 == 0 ? a * u(rng) : u(rng) * std::pow(10.0, narrow(rng));
    } else {
      a = u(rng) * std::pow(10.0, wide(rng));
      b = u(rng) * std::pow(10.0, wide(rng));
    }
    ASSERT_EQ(simcore::io::magnitude(a, b), std::hypot(a, b)) << std::hexfloat << a << " " << b;
  }
  EXPECT_EQ(simcore::io::magnitude(0.0, -0.0), 0.0);
  EXPECT_EQ(simcore::io::magnitude(-INFINITY, NAN), INFINITY);
  EXPECT_TRUE(std::isnan(simcore::io::magnitude(NAN, 1.0)));
  EXPECT_EQ(simcore::io::magnitude(3.0, 4.0), 5.0);
}

}  // namespace
