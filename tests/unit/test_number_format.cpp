// The CLI's fast %.12g formatter against printf over many magnitudes.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "../../native-server/src/number_format.hpp"

namespace {

std::string fast(double v) {
  char buf[32];
  return std::string(buf, std::size_t(simcore::cli::formatG12(v, buf)));
}
std::string ref(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return buf;
}

TEST(CliNumberFormat, SpecialAndRoundValues) {
  for (double v : {0.0, -0.0, 1.0, -1.0, 10.0, 0.5, 0.1, 1e-4, 9.99999999999e-5, 1e-5, 123456789012.0, 1e12, 1e13,
                   -2.5e-300, 1.7976931348623157e308, 4.9e-324 * 1e10, 3.3, 1e100, 1e-100, 0.001, 12345.678})
    EXPECT_EQ(fast(v), ref(v)) << v;
  EXPECT_EQ(fast(NAN), "nan");
  EXPECT_EQ(fast(INFINITY), "inf");
  EXPECT_EQ(fast(-INFINITY), "-inf");
}

TEST(CliNumberFormat, RandomValuesMatchPrintfOrAreWithinOneUnitInTheLastDigit) {
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
