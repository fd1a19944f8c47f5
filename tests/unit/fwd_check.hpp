// Checks forward-mode partials (semi::Fwd) against fourth-order central differences of the
// values, f' = (8 (f(h) - f(-h)) - (f(2h) - f(-2h))) / 12h, with a step well above the values'
// rounding: the unit tests of the models written on a template of the number type.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "devices/fwd_number.hpp"

namespace simcore::testutil {

// a: the M outputs on Fwd<N> at v; values(w): the M outputs on double at w.
template <std::size_t M, int N, class Values>
void expectFourthOrderPartials(const std::array<dev::semi::Fwd<N>, M>& a, const std::array<double, std::size_t(N)>& v,
                               Values values, const std::string& what) {
  for (int k = 0; k < N; ++k) {
    const double h = 2e-3 * (1.0 + std::fabs(v[k]));
    auto at = [&](double step) {
      auto w = v;
      w[k] += step;
      return values(w);
    };
    const auto f1 = at(h), fm1 = at(-h), f2 = at(2 * h), fm2 = at(-2 * h);
    for (std::size_t j = 0; j < M; ++j) {
      double scale = 0;  // the output's largest partial
      for (int i = 0; i < N; ++i) scale = std::max(scale, std::fabs(a[j].d[i]));
      const double fd = (8.0 * (f1[j] - fm1[j]) - (f2[j] - fm2[j])) / (12.0 * h);
      const double rounding =
          10 * 2.2e-16 * std::max({std::fabs(f1[j]), std::fabs(fm1[j]), std::fabs(f2[j]), std::fabs(fm2[j])}) / h;
      const double tol = 1e-4 * std::max(std::fabs(fd), std::fabs(a[j].d[k])) + 1e-6 * scale + rounding + 1e-22;
      EXPECT_NEAR(a[j].d[k], fd, tol) << what << " d(output " << j << ")/d(v" << k << ")";
    }
  }
}

}  // namespace simcore::testutil
