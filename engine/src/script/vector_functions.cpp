// The built-in functions of nutmeg vector expressions (ngspice 39's names):
// element-wise (db mag ph cph real imag conj j sqrt exp ln log10 sin ... floor
// ceil nint pos), of the whole vector (mean stddev avg vecmax vecmin length
// norm deriv integ vecd unwrap), and makers (unitvec vector rnd sunif sgauss poisson exponential).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numbers>

#include "script/vector_ops.hpp"

namespace simcore::script {
namespace {

[[noreturn]] void fail(const std::string& msg) { throw makeError(ErrorCode::Semantic, msg); }

std::string fmtNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

std::map<std::string, std::vector<std::string>> presetVariables() { return {{"oscompiled", {"0"}}}; }

int rndseedOf(const std::map<std::string, std::vector<std::string>>& vars, int fallback) {
  auto it = vars.find("rndseed");
  if (it == vars.end() || it->second.empty()) return fallback;
  char* end = nullptr;
  const long v = std::strtol(it->second[0].c_str(), &end, 10);
  return end == it->second[0].c_str() || v > 2147483647L || v < -2147483647L ? fallback : int(v);
}

bool setSeed(dev::NgRandom& g, std::map<std::string, std::vector<std::string>>& vars, std::string_view args,
             std::string& why) {
  std::string w(args);
  w.erase(0, w.find_first_not_of(" \t"));
  w.erase(w.find_last_not_of(" \t") + 1);
  if (w.empty()) {  // setseed: the seed is rndseed (1 at start-up)
    g.seed(static_cast<unsigned>(rndseedOf(vars, 1)));
    return true;
  }
  const std::string word = w.substr(0, w.find_first_of(" \t"));
  char* end = nullptr;
  const long n = std::strtol(word.c_str(), &end, 10);
  if (end == word.c_str() || n <= 0 || n > 2147483647L) {
    why = "Warning: Cannot use " + word + " as seed! Command 'setseed " + word + "' ignored.";
    return false;
  }
  g.seed(static_cast<unsigned>(n));
  vars["rndseed"] = {std::to_string(n)};
  return true;
}

Vec builtinFunction(const std::string& f, const Vec& a, const EvalContext& ctx) {
  auto scal = [&](double v) {
    Vec r = scalar(v);
    r.plot = a.plot;
    return r;
  };
  // ngspice's domain checks (cmath1.c): db of a real value at or below 0, of a complex one of
  // magnitude 0, and ln/log10 of a real value below 0 fail the command ("argument out of range")
  auto domain = [&](const char* name, bool zero) {
    for (std::size_t i = 0; i < a.size(); ++i) {
      const double m = a.complex ? std::hypot(a.re[i], a.im[i]) : a.re[i];
      if (m < 0 || (!zero && m == 0))
        fail(std::string("argument out of range for ") + name + " (" + (a.complex ? "magnitude " : "") +
             fmtNumber(m) + (a.size() > 1 ? " at index " + std::to_string(i) : std::string()) + ")");
    }
  };
  if (f == "db") {
    domain("db", false);
    return mapAll(a, false, [](cplx x) { return cplx(20.0 * std::log10(std::abs(x))); });
  }
  if (f == "mag" || f == "magnitude" || f == "abs") return mapAll(a, false, [](cplx x) { return cplx(std::abs(x)); });
  // angles in radians, or in degrees with `set units=degrees` (ngspice's radtodeg/degtorad)
  const double toUnit = ctx.degrees ? 180.0 / std::numbers::pi : 1.0, fromUnit = 1.0 / toUnit;
  auto inUnits = [&](Vec r) {
    for (double& v : r.re) v *= toUnit;
    return r;
  };
  if (f == "ph" || f == "phase") return inUnits(mapAll(a, false, [](cplx x) { return cplx(std::arg(x)); }));
  if (f == "cph" || f == "cphase") {
    Vec r = mapAll(a, false, [](cplx x) { return cplx(std::arg(x)); });
    for (std::size_t i = 1; i < r.size(); ++i) {
      double d = r.re[i] - r.re[i - 1];
      r.re[i] -= 2 * std::numbers::pi * std::round(d / (2 * std::numbers::pi));
    }
    return inUnits(std::move(r));
  }
  if (f == "real" || f == "re") return mapAll(a, false, [](cplx x) { return cplx(x.real()); });
  if (f == "imag" || f == "im") return mapAll(a, false, [](cplx x) { return cplx(x.imag()); });
  if (f == "conj") return mapAll(a, a.complex, [](cplx x) { return std::conj(x); });
  if (f == "floor") return mapAll(a, a.complex, [](cplx x) { return cplx(std::floor(x.real()), std::floor(x.imag())); });
  if (f == "ceil") return mapAll(a, a.complex, [](cplx x) { return cplx(std::ceil(x.real()), std::ceil(x.imag())); });
  if (f == "nint") return mapAll(a, a.complex, [](cplx x) { return cplx(std::nearbyint(x.real()), std::nearbyint(x.imag())); });
  if (f == "pos") return mapAll(a, false, [](cplx x) { return cplx(x.real() > 0 ? 1.0 : 0.0); });
  if (f == "sinh") return mapAll(a, a.complex, [&](cplx x) { return std::sinh(x * fromUnit); });
  if (f == "cosh") return mapAll(a, a.complex, [&](cplx x) { return std::cosh(x * fromUnit); });
  if (f == "tanh") return mapAll(a, a.complex, [&](cplx x) { return std::tanh(x * fromUnit); });
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
    const double turn = 2 * std::numbers::pi * toUnit;  // (in degrees with units=degrees)
    for (std::size_t i = 1; i < r.size(); ++i)
      r.re[i] = a.re[i] - turn * std::floor((a.re[i] - r.re[i - 1]) / turn + 0.5);
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
  if (f == "ln" || f == "log") {
    domain(f.c_str(), true);
    return mapAll(a, a.complex, [](cplx x) { return std::log(x); });
  }
  if (f == "log10") {
    domain("log10", true);
    return mapAll(a, a.complex, [](cplx x) { return std::log10(x); });
  }
  if (f == "sin") return mapAll(a, a.complex, [&](cplx x) { return std::sin(x * fromUnit); });
  if (f == "cos") return mapAll(a, a.complex, [&](cplx x) { return std::cos(x * fromUnit); });
  if (f == "tan") return mapAll(a, a.complex, [&](cplx x) { return std::tan(x * fromUnit); });
  if (f == "atan") return mapAll(a, a.complex, [&](cplx x) { return std::atan(x) * toUnit; });
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
    auto pick = [&](const std::vector<double>& v) {
      double best = v[0];
      for (std::size_t i = 1; i < a.size(); ++i) best = mx ? std::max(best, v[i]) : std::min(best, v[i]);
      return best;
    };
    Vec r = scal(pick(a.re));
    if (a.complex) {
      // ngspice 39 (cx_max, cx_min): the largest (smallest) real part and,
      // on their own, the largest (smallest) imaginary part, as one complex
      // number (Qucs-S's custom simulation shows db(vecmax(K)) of it)
      r.complex = true;
      r.im = {pick(a.im)};
    }
    return r;
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
  if (f == "rnd" || f == "sunif" || f == "sgauss" || f == "poisson" || f == "exponential") {
    // ngspice 39's generator (devices/ngrandom.hpp), reseeded first when the
    // variable rndseed changed (its checkseed). rnd: the C library's rand()
    // modulo floor(x) (0 for 0); sunif: drand() in [-1, 1); sgauss: gauss1(),
    // of a complex argument gauss0() for the real and imaginary parts;
    // poisson, exponential: of each element's lambda or mean. One value per
    // element of the argument (sunif(0), sgauss(0): one).
    if (!ctx.rng) fail(f + "() is not available here");
    dev::NgRandom& g = *ctx.rng;
    g.checkSeed(ctx.rndseed);
    auto modRand = [&](double x) {
      // (rand() % j for the j a C int holds; beyond, rand()'s range is below j)
      const double fx = std::floor(x);
      const int j = fx >= 2147483647.0 ? 2147483647 : fx <= -2147483647.0 ? -2147483647 : std::isnan(fx) ? 0 : static_cast<int>(fx);
      return j ? double(g.rand() % j) : 0.0;
    };
    if (f == "rnd") {
      return mapAll(a, a.complex, [&](cplx x) {
        const double re = modRand(x.real());
        return cplx(re, a.complex ? modRand(x.imag()) : 0.0);
      });
    }
    if (f == "poisson" || f == "exponential") {
      auto one = [&](double x) { return f == "poisson" ? double(g.poisson(x)) : g.exprand(x); };
      return mapAll(a, a.complex, [&](cplx x) {
        const double re = one(x.real());
        return cplx(re, a.complex ? one(x.imag()) : 0.0);
      });
    }
    Vec r;
    r.re.resize(std::max<std::size_t>(a.size(), 1));
    if (a.complex) {
      r.complex = true;
      r.im.resize(r.re.size());
    }
    for (std::size_t i = 0; i < r.re.size(); ++i) {
      if (f == "sunif") {
        r.re[i] = g.drand();
        if (a.complex) r.im[i] = g.drand();
      } else if (a.complex) {
        r.re[i] = g.gauss0();
        r.im[i] = g.gauss0();
      } else {
        r.re[i] = g.gauss1();
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
