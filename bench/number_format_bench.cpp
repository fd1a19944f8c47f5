// The result files' number formatting: io/'s formatG12 against {fmt}'s
// "{:.12g}" (and snprintf) on a large CSV write, 1 M rows x 10 columns into
// memory, best of 5. Also counts where each differs from printf's bytes.
//   cmake --build build --target simcore_number_format_bench && build/bin/simcore_number_format_bench
#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "simcore/io/number_format.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kRows = 1000000, kCols = 10;

// Seconds (best of 5) to write the table with one formatter, and the bytes written.
template <class Put>
std::pair<double, std::size_t> timeCsv(const std::vector<double>& v, Put put) {
  double best = 1e300;
  std::size_t bytes = 0;
  for (int rep = 0; rep < 5; ++rep) {
    std::string out;
    out.reserve(kRows * kCols * 20);
    auto t0 = Clock::now();
    for (std::size_t r = 0; r < kRows; ++r) {
      for (std::size_t k = 0; k < kCols; ++k) {
        if (k) out += ',';
        put(out, v[r * kCols + k]);
      }
      out += '\n';
    }
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
    bytes = out.size();
  }
  return {best, bytes};
}

}  // namespace

int main() {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-1, 1);
  std::vector<double> v(kRows * kCols);
  for (std::size_t r = 0; r < kRows; ++r) {
    v[r * kCols] = double(r) * 1e-9;  // a time column, then signals of several magnitudes
    for (std::size_t k = 1; k < kCols; ++k) v[r * kCols + k] = u(rng) * std::pow(10.0, int(k % 7) - 4);
  }
  auto report = [](const char* name, std::pair<double, std::size_t> t) {
    std::printf("%-24s %.3f s  %6.1f MB/s  (%zu bytes)\n", name, t.first, double(t.second) / t.first / 1e6, t.second);
  };
  report("io::formatG12", timeCsv(v, [](std::string& o, double x) {
           char b[32];
           o.append(b, std::size_t(simcore::io::formatG12(x, b)));
         }));
  report("fmt {:.12g} (compiled)", timeCsv(v, [](std::string& o, double x) {
           char b[40];
           o.append(b, std::size_t(fmt::format_to(b, FMT_COMPILE("{:.12g}"), x) - b));
         }));
  report("snprintf %.12g", timeCsv(v, [](std::string& o, double x) {
           char b[40];
           o.append(b, std::size_t(std::snprintf(b, sizeof b, "%.12g", x)));
         }));
  std::size_t diffFast = 0, diffFmt = 0, n = 2000000;
  std::uniform_int_distribution<int> ex(-323, 308);
  for (std::size_t i = 0; i < n; ++i) {
    double x = u(rng) * std::pow(10.0, ex(rng));
    char a[40], b[40], c[40];
    std::string sa(a, std::size_t(simcore::io::formatG12(x, a)));
    std::string sb(b, std::size_t(fmt::format_to(b, FMT_COMPILE("{:.12g}"), x) - b));
    std::snprintf(c, sizeof c, "%.12g", x);
    diffFast += sa != c;
    diffFmt += sb != c;
  }
  std::printf("of %zu random values: formatG12 differs from printf in %zu, fmt in %zu\n", n, diffFast, diffFmt);
}
