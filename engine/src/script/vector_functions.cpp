// The built-in functions of nutmeg vector expressions (ngspice 39's names):
// element-wise (db mag ph cph real imag conj j sqrt exp ln log10 sin ... floor
// ceil nint pos), of the whole vector (mean stddev avg vecmax vecmin length
// norm deriv integ vecd unwrap), and makers (unitvec vector rnd sunif sgauss).
#include <algorithm>
#include <cmath>
#include <numbers>

#include "script/vector_ops.hpp"

namespace simcore::script {
namespace {

[[noreturn]] void fail(const std::string& msg) { throw makeError(ErrorCode::Semantic, msg); }

}  // namespace

Vec builtinFunction(const std::string& f, const Vec& a, const EvalContext& ctx) {
  auto scal = [&](double v) {
    Vec r = scalar(v);
    r.plot = a.plot;
    return r;
  };
  if (f == "db") return mapAll(a, false, [](cplx x) { return cplx(20.0 * std::log10(std::abs(x))); });
  if (f == "mag" || f == "magnitude" || f == "abs") return mapAll(a, false, [](cplx x) { return cplx(std::abs(x)); });
  if (f == "ph" || f == "phase") return mapAll(a, false, [](cplx x) { return cplx(std::arg(x)); });
  if (f == "cph" || f == "cphase") {
    Vec r = mapAll(a, false, [](cplx x) { return cplx(std::arg(x)); });
    for (std::size_t i = 1; i < r.size(); ++i) {
      double d = r.re[i] - r.re[i - 1];
      r.re[i] -= 2 * std::numbers::pi * std::round(d / (2 * std::numbers::pi));
    }
    return r;
  }
  if (f == "real" || f == "re") return mapAll(a, false, [](cplx x) { return cplx(x.real()); });
  if (f == "imag" || f == "im") return mapAll(a, false, [](cplx x) { return cplx(x.imag()); });
  if (f == "conj") return mapAll(a, a.complex, [](cplx x) { return std::conj(x); });
  if (f == "floor") return mapAll(a, a.complex, [](cplx x) { return cplx(std::floor(x.real()), std::floor(x.imag())); });
  if (f == "ceil") return mapAll(a, a.complex, [](cplx x) { return cplx(std::ceil(x.real()), std::ceil(x.imag())); });
  if (f == "nint") return mapAll(a, a.complex, [](cplx x) { return cplx(std::nearbyint(x.real()), std::nearbyint(x.imag())); });
  if (f == "pos") return mapAll(a, false, [](cplx x) { return cplx(x.real() > 0 ? 1.0 : 0.0); });
  if (f == "sinh") return mapAll(a, a.complex, [](cplx x) { return std::sinh(x); });
  if (f == "cosh") return mapAll(a, a.complex, [](cplx x) { return std::cosh(x); });
  if (f == "tanh") return mapAll(a, a.complex, [](cplx x) { return std::tanh(x); });
  if (f == "norm") {
    double big = 0;
    for (std::size_t i = 0; i < a.size(); ++i) big = std::max(big, std::abs(a.at(i)));
    if (big == 0) fail("norm() of a zero vector");
    return mapAll(a, a.complex, [big](cplx x) { return x / big; });
  }
  if (f == "stddev") {
    if (a.size() < 2) fail("stddev() needs at least two points");
    cplx m = 0;
    for (std::size_t i = 0; i < a.size(); ++i) m += a.at(i);
    m /= double(a.size());
    double s2 = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s2 += std::norm(a.at(i) - m);
    return scal(std::sqrt(s2 / double(a.size() - 1)));
  }
  if (f == "unwrap") {
    // a phase in radians without its 2 pi jumps
    if (a.complex) fail("unwrap() of a complex vector: take ph() of it first");
    Vec r = a;
    r.name.clear();
    for (std::size_t i = 1; i < r.size(); ++i)
      r.re[i] = a.re[i] - 2 * std::numbers::pi * std::floor((a.re[i] - r.re[i - 1]) / (2 * std::numbers::pi) + 0.5);
    return r;
  }
  if (f == "vecd") {
    // central differences, one-sided at the ends
    if (a.size() < 2) fail("vecd() needs at least two points");
    Vec r = a;
    r.name.clear();
    const std::size_t n = a.size();
    for (std::size_t i = 0; i < n; ++i) {
      const cplx d = a.at(i + 1 < n ? i + 1 : i) - a.at(i > 0 ? i - 1 : 0);
      r.re[i] = d.real();
      if (a.complex) r.im[i] = d.imag();
    }
    return r;
  }
  if (f == "j") return mapAll(a, true, [](cplx x) { return x * cplx(0.0, 1.0); });  // ngspice's j(x) = x·i
  if (f == "sqrt") {
    bool neg = a.complex || std::any_of(a.re.begin(), a.re.end(), [](double x) { return x < 0; });
    return mapAll(a, neg, [](cplx x) { return std::sqrt(x); });
  }
  if (f == "exp") return mapAll(a, a.complex, [](cplx x) { return std::exp(x); });
  if (f == "ln" || f == "log") return mapAll(a, a.complex, [](cplx x) { return std::log(x); });
  if (f == "log10") return mapAll(a, a.complex, [](cplx x) { return std::log10(x); });
  if (f == "sin") return mapAll(a, a.complex, [](cplx x) { return std::sin(x); });
  if (f == "cos") return mapAll(a, a.complex, [](cplx x) { return std::cos(x); });
  if (f == "tan") return mapAll(a, a.complex, [](cplx x) { return std::tan(x); });
  if (f == "atan") return mapAll(a, a.complex, [](cplx x) { return std::atan(x); });
  if (f == "length") return scal(double(a.size()));
  if (f == "mean") {
    if (a.size() == 0) fail("mean() of an empty vector");
    cplx s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += a.at(i);
    s /= double(a.size());
    Vec r = scal(s.real());
    if (a.complex) r.complex = true, r.im = {s.imag()};
    return r;
  }
  if (f == "avg") {
    cplx s = 0;
    return [&] {
      Vec r = a;
      r.name.clear();
      for (std::size_t i = 0; i < a.size(); ++i) {
        s += a.at(i);
        r.re[i] = (s / double(i + 1)).real();
        if (a.complex) r.im[i] = (s / double(i + 1)).imag();
      }
      return r;
    }();
  }
  if (f == "vecmax" || f == "max" || f == "maximum" || f == "vecmin" || f == "min" || f == "minimum") {
    if (a.size() == 0) fail(f + "() of an empty vector");
    bool mx = f == "vecmax" || f == "max" || f == "maximum";
    double best = a.complex ? std::abs(a.at(0)) : a.re[0];
    for (std::size_t i = 1; i < a.size(); ++i) {
      double v = a.complex ? std::abs(a.at(i)) : a.re[i];
      best = mx ? std::max(best, v) : std::min(best, v);
    }
    return scal(best);
  }
  if (f == "unitvec" || f == "vector") {
    if (a.size() == 0) fail(f + "() needs a length");
    double n = a.re[0];
    if (!(n >= 0) || n > 1e8) fail(f + "() length out of range");
    Vec r;
    r.re.resize(std::size_t(n));
    for (std::size_t i = 0; i < r.re.size(); ++i) r.re[i] = f == "unitvec" ? 1.0 : double(i);
    return r;
  }
  if (f == "rnd") {
    if (!ctx.rng) fail("rnd() is not available here");
    return mapAll(a, false, [&](cplx x) {
      double n = std::floor(std::abs(x.real()));
      if (n < 1) return cplx(0);
      return cplx(double((*ctx.rng)() % std::uint64_t(n)));
    });
  }
  if (f == "sunif" || f == "sgauss") {
    // ngspice: as many random values as the argument has, uniform in [-1, 1)
    // or standard normal (Box-Muller, the same numbers on every platform)
    if (!ctx.rng) fail(f + "() is not available here");
    auto uniform = [&]() { return static_cast<double>((*ctx.rng)() >> 11) * 0x1.0p-53; };  // [0, 1)
    Vec r;
    r.re.resize(std::max<std::size_t>(a.size(), 1));
    for (double& v : r.re) {
      if (f == "sunif") {
        v = 2.0 * uniform() - 1.0;
      } else {
        const double u1 = 1.0 - uniform(), u2 = uniform();
        v = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
      }
    }
    return r;
  }
  if (f == "deriv" || f == "integ") {
    if (a.size() < 2) fail(f + "() needs at least two points");
    std::vector<double> x(a.size());
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = a.scale && a.scale->size() == a.size() ? a.scale->re[i] : double(i);
    Vec r = a;
    r.name.clear();
    const std::size_t n = a.size();
    if (f == "deriv") {
      for (std::size_t i = 0; i < n; ++i) {
        std::size_t l = i == 0 ? 0 : i - 1, h = i + 1 < n ? i + 1 : n - 1;
        cplx d = (a.at(h) - a.at(l)) / (x[h] - x[l]);
        r.re[i] = d.real();
        if (a.complex) r.im[i] = d.imag();
      }
    } else {
      cplx s = 0;
      r.re[0] = 0;
      if (a.complex) r.im[0] = 0;
      for (std::size_t i = 1; i < n; ++i) {
        s += 0.5 * (a.at(i) + a.at(i - 1)) * (x[i] - x[i - 1]);
        r.re[i] = s.real();
        if (a.complex) r.im[i] = s.imag();
      }
    }
    return r;
  }
  fail("no such function '" + f + "'");
}

}  // namespace simcore::script
