#include "devices/expr_eval.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace simcore::dev {

using ir::ExprOp;

namespace {

constexpr double kHuge = std::numeric_limits<double>::infinity();

constexpr ExprFunction kFunctions[] = {
    {"abs", ExprOp::Abs, 1, 1},       {"sqrt", ExprOp::Sqrt, 1, 1},     {"exp", ExprOp::Exp, 1, 1},
    {"ln", ExprOp::Ln, 1, 1},         {"log", ExprOp::Ln, 1, 1},        {"log10", ExprOp::Log10, 1, 1},
    {"sin", ExprOp::Sin, 1, 1},       {"cos", ExprOp::Cos, 1, 1},       {"tan", ExprOp::Tan, 1, 1},
    {"asin", ExprOp::Asin, 1, 1},     {"acos", ExprOp::Acos, 1, 1},     {"atan", ExprOp::Atan, 1, 1},
    {"sinh", ExprOp::Sinh, 1, 1},     {"cosh", ExprOp::Cosh, 1, 1},     {"tanh", ExprOp::Tanh, 1, 1},
    {"asinh", ExprOp::Asinh, 1, 1},   {"acosh", ExprOp::Acosh, 1, 1},   {"atanh", ExprOp::Atanh, 1, 1},
    {"floor", ExprOp::Floor, 1, 1},   {"ceil", ExprOp::Ceil, 1, 1},     {"int", ExprOp::Int, 1, 1},
    {"nint", ExprOp::Nint, 1, 1},     {"sgn", ExprOp::Sgn, 1, 1},       {"u", ExprOp::U, 1, 1},
    {"uramp", ExprOp::Uramp, 1, 1},   {"min", ExprOp::Min, 2, 2},       {"max", ExprOp::Max, 2, 2},
    {"pow", ExprOp::Pow, 2, 2},       {"pwr", ExprOp::Pwr, 2, 2},       {"pwrs", ExprOp::Pwrs, 2, 2},
    {"atan2", ExprOp::Atan2, 2, 2},   {"limit", ExprOp::Limit, 3, 3},   {"if", ExprOp::Cond, 3, 3},
    {"pwl", ExprOp::Pwl, 3, -1},      {"table", ExprOp::Table, 3, -1},  {"u2", ExprOp::U2, 1, 1},
    {"eq0", ExprOp::Eq0, 1, 1},       {"ne0", ExprOp::Ne0, 1, 1},       {"gt0", ExprOp::Gt0, 1, 1},
    {"lt0", ExprOp::Lt0, 1, 1},       {"ge0", ExprOp::Ge0, 1, 1},       {"le0", ExprOp::Le0, 1, 1},
    // ngspice numparam spellings
    {"arctan", ExprOp::Atan, 1, 1},   {"ternary_fcn", ExprOp::Cond, 3, 3},
    // PSpice's step function, as ngspice 39's PSpice mode defines it (.func stp(x) { u(x) })
    {"stp", ExprOp::U, 1, 1},
    // LTspice's B-source spellings
    {"buf", ExprOp::Buf, 1, 1, true},       {"inv", ExprOp::Inv, 1, 1, true},
    {"hypot", ExprOp::Hypot, 2, 2, true},   {"round", ExprOp::Round, 1, 1, true},
    {"arcsin", ExprOp::Asin, 1, 1, true},   {"arccos", ExprOp::Acos, 1, 1, true},
    {"arcsinh", ExprOp::Asinh, 1, 1, true}, {"arccosh", ExprOp::Acosh, 1, 1, true},
    {"arctanh", ExprOp::Atanh, 1, 1, true},
    {"rand", ExprOp::Rand, 1, 1, true},     {"random", ExprOp::Random, 1, 1, true},
};

double sgn(double x) { return x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0); }

// LTspice's rand(): a number in [0, 1) that depends only on the integer floor(x) (a SplitMix64
// hash of it: the same in every run; LTspice's own numbers are not reproduced)
double randAt(double x) {
  const double f = std::floor(x);
  if (!std::isfinite(f)) return 0.0;
  std::uint64_t z = static_cast<std::uint64_t>(static_cast<std::int64_t>(std::clamp(f, -9.2e18, 9.2e18)));
  z += 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  return double(z >> 11) * 0x1.0p-53;
}

// Index k of the segment [x_k, x_k+1] of the breakpoints at p (count pairs)
// that x falls in, clamped to the first and last segment.
std::size_t segment(const double* p, std::size_t pairs, double x) {
  std::size_t lo = 0, hi = pairs - 1;
  while (hi - lo > 1) {
    std::size_t mid = (lo + hi) / 2;
    if (p[2 * mid] > x) hi = mid;
    else lo = mid;
  }
  return lo;
}

// pwl (extrapolating) and table (clamped): x then pairs at a[1..n).
double interpolate(const double* a, std::size_t n, bool clamp, double* partial) {
  const double x = a[0];
  const double* p = a + 1;
  const std::size_t pairs = (n - 1) / 2;
  if (partial)
    for (std::size_t k = 0; k < n; ++k) partial[k] = 0.0;
  if (pairs == 1) return p[1];
  if (clamp) {
    if (x <= p[0]) return p[1];
    if (x >= p[2 * (pairs - 1)]) return p[2 * (pairs - 1) + 1];
  }
  const std::size_t k = segment(p, pairs, x);
  const double x0 = p[2 * k], y0 = p[2 * k + 1], x1 = p[2 * k + 2], y1 = p[2 * k + 3];
  if (x1 == x0) return x < x0 ? y0 : y1;
  const double slope = (y1 - y0) / (x1 - x0);
  if (partial) partial[0] = slope;
  return y0 + slope * (x - x0);
}

}  // namespace

double xspicePwl(const double* x, const double* y, std::size_t stride, std::size_t n, double u, double smooth,
                 bool fraction, bool limit, double* slope) {
  // breakpoint k of the extended curve, 0 <= k <= n + 1
  auto X = [&](std::size_t k) {
    if (k == 0) return 2 * x[0] - x[stride];
    if (k == n + 1) return 2 * x[(n - 1) * stride] - x[(n - 2) * stride];
    return x[(k - 1) * stride];
  };
  auto Y = [&](std::size_t k) {
    if (k == 0) return limit ? y[0] : 2 * y[0] - y[stride];
    if (k == n + 1) return limit ? y[(n - 1) * stride] : 2 * y[(n - 1) * stride] - y[(n - 2) * stride];
    return y[(k - 1) * stride];
  };
  auto line = [&](std::size_t a, std::size_t b, std::size_t at) {  // along segment [a, b], anchored at `at`
    const double w = X(b) - X(a);
    const double s = w > 0 ? (Y(b) - Y(a)) / w : 0.0;
    *slope = s;
    return Y(at) + (u - X(at)) * s;
  };
  const std::size_t last = n + 1;
  if (u <= (X(0) + X(1)) / 2) return line(0, 1, 0);
  if (u >= (X(last - 1) + X(last)) / 2) return line(last - 1, last, last);
  std::size_t i = 1;
  while (i + 1 < last && !(u < (X(i) + X(i + 1)) / 2)) ++i;
  const double lower = X(i) - X(i - 1), upper = X(i + 1) - X(i);
  const double d = fraction ? smooth * std::min(lower, upper) : smooth;
  if (!(d > 0) || u < X(i) - d) return line(i - 1, i, i);
  if (u >= X(i) + d) return line(i, i + 1, i);
  // the parabola through the two lines' points at X(i) ± d, tangent to both
  const double ls = (Y(i) - Y(i - 1)) / lower, us = (Y(i + 1) - Y(i)) / upper;
  const double xu = X(i) + d, yu = Y(i) + us * d;
  const double a = (us - ls) / 4.0 * (1 / d);
  const double b = us - 2.0 * a * xu;
  const double c = yu - a * xu * xu - b * xu;
  *slope = 2.0 * a * u + b;
  return a * u * u + b * u + c;
}

std::span<const ExprFunction> exprFunctions() { return kFunctions; }

const ExprFunction* findExprFunction(std::string_view lname) {
  for (const ExprFunction& f : kFunctions)
    if (lname == f.name) return &f;
  return nullptr;
}

int badBreakpoints(const double* a, std::size_t n) {
  for (std::size_t k = 3; k + 1 < n; k += 2)
    if (a[k] < a[k - 2]) return int(k);
  return -1;
}

double applyExprOp(ExprOp op, const double* a, std::size_t n, double* partial) {
  double scratch[3];
  double* d = partial ? partial : scratch;
  if (n <= 3)
    for (std::size_t k = 0; k < n; ++k) d[k] = 0.0;
  const double x = n > 0 ? a[0] : 0.0, y = n > 1 ? a[1] : 0.0;
  switch (op) {
    case ExprOp::Neg: d[0] = -1; return -x;
    case ExprOp::Not: return x == 0.0 ? 1.0 : 0.0;
    case ExprOp::Add: d[0] = 1; d[1] = 1; return x + y;
    case ExprOp::Sub: d[0] = 1; d[1] = -1; return x - y;
    case ExprOp::Mul: d[0] = y; d[1] = x; return x * y;
    case ExprOp::Div: {
      // ngspice's B sources move the divisor away from zero by gmin * 1e-20
      // (1e-32): v(a)/v(x) at v(x) = 0 is a huge finite value, 0/0 is 0
      constexpr double kFudge = 1e-32;
      const double yf = y >= 0.0 ? y + kFudge : y - kFudge;
      d[0] = 1 / yf; d[1] = -x / (yf * yf);
      return x / yf;
    }
    case ExprOp::Mod:
      if (y == 0.0) return kHuge;
      d[0] = 1;
      return std::fmod(x, y);
    case ExprOp::Pow: {
      const double ax = std::fabs(x), r = std::pow(ax, y);
      if (ax != 0.0) { d[0] = y * std::pow(ax, y - 1) * sgn(x); d[1] = r * std::log(ax); }
      else if (y == 1.0) d[0] = 1.0;
      return r;
    }
    case ExprOp::Pwr:
    case ExprOp::Pwrs: {
      const double ax = std::fabs(x), r = std::pow(ax, y);
      if (ax != 0.0) { d[0] = y * std::pow(ax, y - 1); d[1] = sgn(x) * r * std::log(ax); }
      else if (y == 1.0) d[0] = 1.0;
      return sgn(x) == 0.0 ? r : sgn(x) * r;
    }
    case ExprOp::Eq: return x == y ? 1.0 : 0.0;
    case ExprOp::Ne: return x != y ? 1.0 : 0.0;
    case ExprOp::Lt: return x < y ? 1.0 : 0.0;
    case ExprOp::Le: return x <= y ? 1.0 : 0.0;
    case ExprOp::Gt: return x > y ? 1.0 : 0.0;
    case ExprOp::Ge: return x >= y ? 1.0 : 0.0;
    case ExprOp::And: return (x != 0.0 && y != 0.0) ? 1.0 : 0.0;
    case ExprOp::Or: return (x != 0.0 || y != 0.0) ? 1.0 : 0.0;
    case ExprOp::Cond:
      if (x != 0.0) { d[1] = 1; return y; }
      d[2] = 1;
      return a[2];
    case ExprOp::Abs: d[0] = sgn(x); return std::fabs(x);
    case ExprOp::Sqrt:
      if (x < 0) return kHuge;
      if (x > 0) d[0] = 0.5 / std::sqrt(x);
      return std::sqrt(x);
    case ExprOp::Exp: d[0] = std::exp(x); return d[0];
    // ngspice's ln/log/log10: a huge value below 0, -1e99 at 0 (not -inf: the
    // first iteration of an operating point often starts there), the
    // derivative through its fudged division (finite at 0)
    case ExprOp::Ln:
      d[0] = 1 / (x >= 0.0 ? x + 1e-32 : x - 1e-32);
      if (x < 0) return kHuge;
      return x == 0 ? -1e99 : std::log(x);
    case ExprOp::Log10:
      d[0] = (1 / std::log(10.0)) / (x >= 0.0 ? x + 1e-32 : x - 1e-32);
      if (x < 0) return kHuge;
      return x == 0 ? -1e99 : std::log10(x);
    case ExprOp::Sin: d[0] = std::cos(x); return std::sin(x);
    case ExprOp::Cos: d[0] = -std::sin(x); return std::cos(x);
    case ExprOp::Tan: { const double c = std::cos(x); d[0] = 1 / (c * c); return std::tan(x); }
    case ExprOp::Asin: d[0] = 1 / std::sqrt(1 - x * x); return std::asin(x);
    case ExprOp::Acos: d[0] = -1 / std::sqrt(1 - x * x); return std::acos(x);
    case ExprOp::Atan: d[0] = 1 / (1 + x * x); return std::atan(x);
    case ExprOp::Sinh: d[0] = std::cosh(x); return std::sinh(x);
    case ExprOp::Cosh: d[0] = std::sinh(x); return std::cosh(x);
    case ExprOp::Tanh: { const double t = std::tanh(x); d[0] = 1 - t * t; return t; }
    case ExprOp::Asinh: d[0] = 1 / std::sqrt(x * x + 1); return std::asinh(x);
    case ExprOp::Acosh: d[0] = 1 / std::sqrt(x * x - 1); return std::acosh(x);
    case ExprOp::Atanh: d[0] = 1 / (1 - x * x); return std::atanh(x);
    case ExprOp::Floor: return std::floor(x);
    case ExprOp::Ceil: return std::ceil(x);
    case ExprOp::Int: return std::trunc(x);
    case ExprOp::Nint: return std::nearbyint(x);
    case ExprOp::Sgn: return sgn(x);
    case ExprOp::U: return x > 0 ? 1.0 : (x < 0 ? 0.0 : 0.5);
    // (ngspice's derivatives: uramp' = u, u2' = u(x) - u(x - 1), with u(0) = 0.5)
    case ExprOp::Uramp: d[0] = x > 0 ? 1.0 : (x < 0 ? 0.0 : 0.5); return x > 0 ? x : 0.0;
    case ExprOp::U2:
      d[0] = (x > 0 ? 1.0 : (x < 0 ? 0.0 : 0.5)) - (x > 1 ? 1.0 : (x < 1 ? 0.0 : 0.5));
      return x <= 0 ? 0.0 : (x <= 1 ? x : 1.0);
    case ExprOp::Eq0: return x == 0 ? 1.0 : 0.0;
    case ExprOp::Ne0: return x != 0 ? 1.0 : 0.0;
    case ExprOp::Gt0: return x > 0 ? 1.0 : 0.0;
    case ExprOp::Lt0: return x < 0 ? 1.0 : 0.0;
    case ExprOp::Ge0: return x >= 0 ? 1.0 : 0.0;
    case ExprOp::Le0: return x <= 0 ? 1.0 : 0.0;
    case ExprOp::Buf: return x > 0.5 ? 1.0 : 0.0;
    case ExprOp::Inv: return x > 0.5 ? 0.0 : 1.0;
    case ExprOp::Round: return std::round(x);
    case ExprOp::Rand: return randAt(x);
    case ExprOp::Random: {
      const double f = std::floor(x), r0 = randAt(f), r1 = randAt(f + 1.0), t = x - f;
      d[0] = (r1 - r0) * 0.5 * M_PI * std::sin(M_PI * t);
      return r0 + (r1 - r0) * 0.5 * (1.0 - std::cos(M_PI * t));
    }
    case ExprOp::Hypot: {
      const double r = std::hypot(x, y);
      if (r > 0) { d[0] = x / r; d[1] = y / r; }
      return r;
    }
    case ExprOp::Min: if (x <= y) { d[0] = 1; return x; } d[1] = 1; return y;
    case ExprOp::Max: if (x >= y) { d[0] = 1; return x; } d[1] = 1; return y;
    case ExprOp::Atan2: {
      const double r2 = x * x + y * y;
      if (r2 > 0) { d[0] = y / r2; d[1] = -x / r2; }
      return std::atan2(x, y);
    }
    case ExprOp::Limit: {
      const double lo = std::fmin(y, a[2]), hi = std::fmax(y, a[2]);
      if (x < lo) { d[y <= a[2] ? 1 : 2] = 1; return lo; }
      if (x > hi) { d[y <= a[2] ? 2 : 1] = 1; return hi; }
      d[0] = 1;
      return x;
    }
    case ExprOp::Pwl: return interpolate(a, n, false, partial);
    case ExprOp::Table: return interpolate(a, n, true, partial);
    default: return std::numeric_limits<double>::quiet_NaN();
  }
}

ExprProgram::ExprProgram(const ir::Expression& e) : e_(&e), nv_(e.vars.size()) {
  val_.assign(e.nodes.size(), 0.0);
  der_.assign(e.nodes.size() * nv_, 0.0);
  std::size_t widest = 3;
  for (const ir::ExprNode& n : e.nodes) widest = std::max<std::size_t>(widest, n.count);
  args_.assign(widest, 0.0);
  part_.assign(widest, 0.0);
}

double ExprProgram::eval(const double* vars, const ExprEnv& env, double* grad) {
  const ir::Expression& e = *e_;
  const std::size_t nv = nv_;
  for (std::size_t i = 0; i < e.nodes.size(); ++i) {
    const ir::ExprNode& n = e.nodes[i];
    double* g = der_.data() + i * nv;
    for (std::size_t k = 0; k < nv; ++k) g[k] = 0.0;
    switch (n.op) {
      case ExprOp::Const: val_[i] = n.value; continue;
      case ExprOp::Var: val_[i] = vars[n.index]; g[n.index] = 1.0; continue;
      case ExprOp::Time: val_[i] = env.time; continue;
      case ExprOp::Temper: val_[i] = env.temper; continue;
      case ExprOp::Hertz: val_[i] = env.hertz; continue;
      default: break;
    }
    const std::uint32_t* kid = e.kids.data() + n.first;
    for (std::uint32_t k = 0; k < n.count; ++k) args_[k] = val_[kid[k]];
    if (n.op == ExprOp::Table && n.value > 0 && n.count >= 5) {
      // E/G TABLE: XSPICE's pwl with rounded corners (expression.hpp)
      for (std::uint32_t k = 0; k < n.count; ++k) part_[k] = 0.0;
      double s = 0.0;
      val_[i] = xspicePwl(args_.data() + 1, args_.data() + 2, 2, (n.count - 1) / 2, args_[0], n.value, true, true, &s);
      part_[0] = s;
    } else {
      val_[i] = applyExprOp(n.op, args_.data(), n.count, nv ? part_.data() : nullptr);
    }
    if (nv == 0) continue;
    for (std::uint32_t k = 0; k < n.count; ++k) {
      const double p = part_[k];
      if (p == 0.0) continue;
      const double* gk = der_.data() + std::size_t(kid[k]) * nv;
      for (std::size_t v = 0; v < nv; ++v) g[v] += p * gk[v];
    }
  }
  if (e.nodes.empty()) return 0.0;
  const std::size_t root = e.nodes.size() - 1;
  if (grad)
    for (std::size_t k = 0; k < nv; ++k) grad[k] = der_[root * nv + k];
  return val_[root];
}

double ExprProgram::nextBreakpoint(double t) const {
  const ir::Expression& e = *e_;
  double best = 1e300;
  for (const ir::ExprNode& n : e.nodes) {
    if ((n.op != ExprOp::Pwl && n.op != ExprOp::Table) || n.count < 3) continue;
    const std::uint32_t* kid = e.kids.data() + n.first;
    if (e.nodes[kid[0]].op != ExprOp::Time) continue;
    for (std::uint32_t k = 1; k + 1 < n.count; k += 2) {
      const ir::ExprNode& xk = e.nodes[kid[k]];
      if (xk.op == ExprOp::Const && xk.value > t && xk.value < best) best = xk.value;
    }
  }
  return best;
}

}  // namespace simcore::dev
