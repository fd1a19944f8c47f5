#include "simcore/measure.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <numbers>
#include <optional>

#include "devices/expr_eval.hpp"

namespace simcore {
namespace {

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

const char* edgeName(int edge) { return edge > 0 ? "rise" : edge < 0 ? "fall" : "cross"; }

// Linear interpolation of y at t (t inside [x.front(), x.back()]).
double at(std::span<const double> x, const std::vector<double>& y, double t) {
  auto it = std::lower_bound(x.begin(), x.end(), t);
  std::size_t k = std::size_t(it - x.begin());
  if (k == 0) return y[0];
  if (k >= x.size()) return y.back();
  const double x0 = x[k - 1], x1 = x[k];
  if (x1 == x0) return y[k];
  return y[k - 1] + (y[k] - y[k - 1]) * (t - x0) / (x1 - x0);
}

bool inRange(std::span<const double> x, double t) { return !x.empty() && t >= x.front() && t <= x.back(); }

// a and b within `ulps` representable doubles of each other (ngspice's AlmostEqualUlps)
bool almostEqualUlps(double a, double b, std::int64_t ulps) {
  if (a == b) return true;
  if (!std::isfinite(a) || !std::isfinite(b) || std::signbit(a) != std::signbit(b)) return false;
  std::int64_t ia = 0, ib = 0;
  std::memcpy(&ia, &a, sizeof a);
  std::memcpy(&ib, &b, sizeof b);
  const std::int64_t d = ia > ib ? ia - ib : ib - ia;
  return d <= ulps;
}

// RMS and INTEG as ngspice 39 computes them (measure_rms_integral) on a rising scale: the
// samples from FROM on, the first one replaced by the value at FROM (a FROM other than 0 that
// is not on a sample), up to the first sample past TO, replaced by the value at TO; integrated
// piece by piece by Simpson's 3/8 rule where three steps are equal, Simpson's 1/3 rule where
// two are, else the trapezoid. RMS is the square root of the integral of y^2 over the span from
// the first sample to TO (the scale's last value when TO is past it).
struct Integral {
  double value = 0, from = 0, to = 0;  // the span ngspice prints: the first sample and TO
};
std::optional<Integral> ngspiceIntegral(std::span<const double> x, const std::vector<double>& y, double from, double to,
                                        bool rms) {
  const std::size_t n = std::min(x.size(), y.size());
  std::vector<double> xs, ys;
  xs.reserve(n);
  ys.reserve(n);
  double first = 0, toVal = 0;
  bool reached = false;  // a sample past TO (ngspice tests toVal < 0, wrong for a TO below 0)
  auto interpolate = [&](std::size_t k, double t) {
    const double x0 = x[k - 1], x1 = x[k];
    return x1 == x0 ? y[k] : y[k - 1] + (y[k] - y[k - 1]) * (t - x0) / (x1 - x0);
  };
  for (std::size_t k = 0; k < n; ++k) {
    double xv = x[k], yv = y[k];
    if (xv < from) continue;
    if (xv > to) {
      if (k > 0 && !almostEqualUlps(xv, to, 100)) {
        yv = interpolate(k, to);
        xv = to;
      }
      xs.push_back(xv);
      ys.push_back(rms ? yv * yv : yv);
      toVal = xv;
      reached = true;
      break;
    }
    if (xs.empty()) {
      if (from != 0.0 && k > 0 && !almostEqualUlps(xv, from, 100)) {
        yv = interpolate(k, from);
        xv = from;
      }
      first = xv;
    }
    xs.push_back(xv);
    ys.push_back(rms ? yv * yv : yv);
  }
  if (xs.empty()) return std::nullopt;
  const std::size_t m = xs.size();
  std::vector<double> w(m + 1, 0.0);
  for (std::size_t i = 0; i + 1 < m; ++i) w[i] = xs[i + 1] - xs[i];
  double sum = 0;
  for (std::size_t i = 0; i + 1 < m;) {
    if (i + 3 < m && almostEqualUlps(w[i], w[i + 1], 100) && almostEqualUlps(w[i], w[i + 2], 100)) {
      sum += 3 * w[i] * (ys[i] + 3 * (ys[i + 1] + ys[i + 2]) + ys[i + 3]) / 8.0;
      i += 3;
    } else if (i + 2 < m && almostEqualUlps(w[i], w[i + 1], 100)) {
      sum += w[i] * (ys[i] + 4 * ys[i + 1] + ys[i + 2]) / 3.0;
      i += 2;
    } else {
      sum += w[i] * (ys[i] + ys[i + 1]) / 2;
      ++i;
    }
  }
  if (!reached) toVal = x[n - 1];
  if (!rms) return Integral{sum, first, toVal};
  if (!(toVal - first > 0)) return std::nullopt;
  return Integral{std::sqrt(sum / (toVal - first)), first, toVal};
}

// " name=  value" as ngspice prints the numbers after a measurement's result
std::vector<std::pair<std::string, double>> detailOf(std::initializer_list<std::pair<const char*, double>> items) {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& [name, v] : items) out.emplace_back(name, v);
  return out;
}

// The first segment [x[k-1], x[k]] (rising or falling: a dc sweep may go
// down, and a nested one jumps back) that holds t, as ngspice scans; 0: none.
std::size_t segmentOf(std::span<const double> x, double t) {
  for (std::size_t k = 1; k < x.size(); ++k)
    if ((x[k - 1] <= t && t <= x[k]) || (x[k - 1] >= t && t >= x[k])) return k;
  return 0;
}

// y at t on segment k (linear).
double onSegment(std::span<const double> x, const std::vector<double>& y, std::size_t k, double t) {
  const double x0 = x[k - 1], x1 = x[k];
  if (x1 == x0) return y[k];
  return y[k - 1] + (y[k] - y[k - 1]) * (t - x0) / (x1 - x0);
}

struct Found {
  bool ok = false;
  double x = 0;
  std::size_t segment = 0;  // the crossing's segment [x[k-1], x[k]]; 0: a fixed AT
  std::string error;
};

// The point of p on sweep x: a fixed AT, or the count-th crossing of p.value.
Found locate(const ir::MeasurePoint& p, std::span<const double> x,
             const std::function<const std::vector<double>*(const std::string&)>& column) {
  Found f;
  if (p.signal.empty()) {
    if (!inRange(x, p.at)) {
      f.error = "AT=" + fmt(p.at) + " is outside the sweep";
      return f;
    }
    f.ok = true;
    f.x = p.at;
    return f;
  }
  const std::vector<double>* y = column(p.signal);
  if (!y) {
    f.error = "'" + p.signal + "' is not among the saved signals";
    return f;
  }
  // WHEN a=b: the crossing of a - b through zero
  std::vector<double> diff;
  if (!p.signal2.empty()) {
    const std::vector<double>* y2 = column(p.signal2);
    if (!y2) {
      f.error = "'" + p.signal2 + "' is not among the saved signals";
      return f;
    }
    diff.resize(std::min(y->size(), y2->size()));
    for (std::size_t k = 0; k < diff.size(); ++k) diff[k] = (*y)[k] - (*y2)[k];
    y = &diff;
  }
  const double level = p.signal2.empty() ? p.value : 0.0;
  if (y->size() < x.size()) x = x.first(y->size());
  int seen = 0;
  for (std::size_t k = 1; k < x.size(); ++k) {
    const double a = (*y)[k - 1] - level, b = (*y)[k] - level;
    if (k > 1 && x[k] == x[0]) {
      // a nested dc sweep back at its start (the next outer value): no crossing
      // to locate; as ngspice, CROSS counts again from here, and a level the
      // jump passes counts as the first crossing (of its direction)
      if (p.edge == 0) seen = 0;
      if ((b < 0 && a >= 0 && p.edge <= 0) || (b >= 0 && a < 0 && p.edge >= 0)) seen = 1;
      continue;
    }
    // as ngspice 39, a signal that starts on the level and goes up (or stays) has risen
    // through it at the start (sin(0 1 f) crosses 0 at t = 0); one that starts on it and
    // goes down has not fallen through it there
    const bool rise = (a < 0 || (k == 1 && a == 0)) && b >= 0, fall = a > 0 && b <= 0;
    if (!(p.edge > 0 ? rise : p.edge < 0 ? fall : (rise || fall))) continue;
    const double xc = a == b ? x[k - 1] : x[k - 1] + (x[k] - x[k - 1]) * (a / (a - b));
    if (p.td > 0 && xc < p.td) continue;  // TD= (a dc sweep may run through negative values)
    if (xc < p.from || xc > p.to) continue;  // FROM= TO=
    ++seen;
    f.x = xc;
    f.segment = k;
    f.ok = true;
    if (p.count > 0 && seen == p.count) return f;
  }
  if (p.count < 0 && f.ok) return f;
  f.ok = false;
  f.error = "'" + p.signal + "' does not " + edgeName(p.edge) + " through " +
            (p.signal2.empty() ? fmt(p.value) : "'" + p.signal2 + "'") +
            (p.count > 0 ? " " + std::to_string(p.count) + " time" + (p.count == 1 ? "" : "s") : "") +
            (p.td > 0 ? " after " + fmt(p.td) : "") +
            (p.from > -1e300 || p.to < 1e300 ? " between " + fmt(std::max(p.from, x.empty() ? 0.0 : x[0])) + " and " +
                                                   fmt(std::min(p.to, x.empty() ? 0.0 : x[x.size() - 1]))
                                             : "") +
            " (" + std::to_string(seen) + " found)";
  return f;
}

}  // namespace

std::string measureLine(const MeasureResult& r, bool card) {
  const bool five = r.print == MeasureResult::Print::Integral || (card && r.print == MeasureResult::Print::When);
  char buf[128];
  std::snprintf(buf, sizeof buf, five ? (card ? "%-20s=   %.5e" : "%-20s=  %.5e") : "%-20s=  %e", r.name.c_str(), r.value);
  std::string out = buf;
  for (const auto& [name, v] : r.detail) {
    std::snprintf(buf, sizeof buf, five ? " %s=  %.5e" : " %s=  %e", name.c_str(), v);
    out += buf;
  }
  return out;
}

MeasureResult evaluateMeasure(const ir::Measure& m, std::span<const double> x,
                              const std::function<const std::vector<double>*(const std::string&)>& column) {
  MeasureResult r;
  r.name = m.name;
  r.loc = m.loc;
  auto fail = [&](std::string why) {
    r.ok = false;
    r.error = std::move(why);
    return r;
  };
  if (x.size() < 2) return fail("the analysis has fewer than two points");
  auto signal = [&](const std::string& name) -> const std::vector<double>* { return column(name); };
  switch (m.kind) {
    case ir::MeasureKind::TrigTarg: {
      // as ngspice 39, a FROM= of one part is the other's too when it has none
      // (`TRIG v(c) VAL=1 RISE=1 TARG v(c) VAL=1 RISE=2 FROM=50u`: both after 50u)
      ir::MeasurePoint trig = m.trig, targ = m.targ;
      if (trig.from > -1e300 && targ.from <= -1e300) targ.from = trig.from;
      else if (targ.from > -1e300 && trig.from <= -1e300) trig.from = targ.from;
      Found a = locate(trig, x, column);
      if (!a.ok) return fail("TRIG: " + a.error);
      Found b = locate(targ, x, column);
      if (!b.ok) return fail("TARG: " + b.error);
      r.value = b.x - a.x;
      r.detail = detailOf({{"targ", b.x}, {"trig", a.x}});
      break;
    }
    case ir::MeasureKind::When: {
      Found a = locate(m.trig, x, column);
      if (!a.ok) return fail(a.error);
      r.value = a.x;
      r.print = MeasureResult::Print::When;
      break;
    }
    case ir::MeasureKind::FindAt:
    case ir::MeasureKind::FindWhen:
    case ir::MeasureKind::DerivAt: {
      const std::vector<double>* y = signal(m.signal);
      if (!y) return fail("'" + m.signal + "' is not among the saved signals");
      double t = m.at;
      std::size_t k = 0;
      if (m.kind == ir::MeasureKind::FindWhen) {
        Found a = locate(m.trig, x, column);
        if (!a.ok) return fail(a.error);
        t = a.x;
        k = a.segment;
      }
      if (k == 0) k = segmentOf(x.first(std::min(x.size(), y->size())), t);
      if (k == 0) return fail("AT=" + fmt(t) + " is outside the sweep");
      if (m.kind == ir::MeasureKind::DerivAt) r.value = ((*y)[k] - (*y)[k - 1]) / (x[k] - x[k - 1]);
      else r.value = onSegment(x, *y, k, t);
      break;
    }
    case ir::MeasureKind::Param: return fail("PARAM= is evaluated over the other measurements (evaluateParamMeasure)");
    case ir::MeasureKind::Avg:
    case ir::MeasureKind::Min:
    case ir::MeasureKind::Max:
    case ir::MeasureKind::Pp:
    case ir::MeasureKind::MinAt:
    case ir::MeasureKind::MaxAt: {
      // as ngspice 39: the samples inside [FROM, TO] as they are (no
      // interpolated ends); AVG is their trapezoidal integral over their span;
      // of equal extremes the last one counts
      const std::vector<double>* y = signal(m.signal);
      if (!y) return fail("'" + m.signal + "' is not among the saved signals");
      const std::size_t n = std::min(x.size(), y->size());
      bool any = false;
      double mn = 0, mx = 0, mnAt = 0, mxAt = 0, integ = 0, x0 = 0, x1 = 0, prev = 0;
      for (std::size_t k = 0; k < n; ++k) {
        const double xv = x[k], yv = (*y)[k];
        if (xv < m.from || xv > m.to) continue;
        if (!any) {
          mn = mx = yv;
          mnAt = mxAt = x0 = xv;
        } else {
          if (yv <= mn) mn = yv, mnAt = xv;
          if (yv >= mx) mx = yv, mxAt = xv;
          integ += 0.5 * (yv + prev) * (xv - x1);
        }
        any = true;
        prev = yv;
        x1 = xv;
      }
      if (!any) return fail("no point of the sweep is inside FROM..TO");
      switch (m.kind) {
        case ir::MeasureKind::Avg:
          if (!(x1 != x0)) return fail("AVG over an empty window");
          r.value = integ / (x1 - x0);
          break;
        case ir::MeasureKind::Min: r.value = mn; break;
        case ir::MeasureKind::Max: r.value = mx; break;
        case ir::MeasureKind::MinAt: r.value = mnAt; break;
        case ir::MeasureKind::MaxAt: r.value = mxAt; break;
        default: r.value = mx - mn; break;
      }
      // (PP: ngspice prints the FROM= and TO= given, 0 when not)
      switch (m.kind) {
        case ir::MeasureKind::Avg: {
          // ngspice prints the FROM= given (the first sample without one) and the sample its loop
          // stopped at: the first past TO= (a dc sweep's loop runs to its end), else the last
          double to = x[n - 1];
          if (m.analysis != ir::AnalysisKind::Dc && m.to < 1e300)
            for (std::size_t k = 0; k < n; ++k)
              if (x[k] > m.to) {
                to = x[k];
                break;
              }
          r.detail = detailOf({{"from", m.from > -1e300 ? m.from : x0}, {"to", to}});
          break;
        }
        case ir::MeasureKind::Min: r.detail = detailOf({{"at", mnAt}}); break;
        case ir::MeasureKind::Max: r.detail = detailOf({{"at", mxAt}}); break;
        case ir::MeasureKind::MinAt: r.detail = detailOf({{"with", mn}}); break;
        case ir::MeasureKind::MaxAt: r.detail = detailOf({{"with", mx}}); break;
        default:
          r.detail = detailOf({{"from", m.from > -1e300 ? m.from : 0.0}, {"to", m.to < 1e300 ? m.to : 0.0}});
          break;
      }
      break;
    }
    default: {
      const std::vector<double>* y = signal(m.signal);
      if (!y) return fail("'" + m.signal + "' is not among the saved signals");
      const double lo = std::max(m.from, x.front()), hi = std::min(m.to, x.back());
      if (!(hi >= lo)) return fail("FROM..TO is outside the sweep");
      if (std::is_sorted(x.begin(), x.end())) {
        // a rising scale (a transient, an ac, a rising dc sweep): ngspice's rule
        const std::optional<Integral> v =
            ngspiceIntegral(x, *y, m.from < 0 && x.front() >= 0 ? 0.0 : m.from, m.to, m.kind == ir::MeasureKind::Rms);
        if (!v) return fail(m.kind == ir::MeasureKind::Rms ? "RMS over an empty window" : "no point of the sweep is inside FROM..TO");
        r.value = v->value;
        r.detail = detailOf({{"from", v->from}, {"to", v->to}});
        r.print = MeasureResult::Print::Integral;
        break;
      }
      // the window's samples, with interpolated ends
      std::vector<double> xs{lo}, ys{at(x, *y, lo)};
      for (std::size_t k = 0; k < x.size(); ++k)
        if (x[k] > lo && x[k] < hi) {
          xs.push_back(x[k]);
          ys.push_back((*y)[k]);
        }
      if (hi > lo) {
        xs.push_back(hi);
        ys.push_back(at(x, *y, hi));
      }
      double integ = 0, integ2 = 0;
      for (std::size_t k = 1; k < xs.size(); ++k) {
        const double h = xs[k] - xs[k - 1];
        integ += 0.5 * h * (ys[k] + ys[k - 1]);
        integ2 += 0.5 * h * (ys[k] * ys[k] + ys[k - 1] * ys[k - 1]);
      }
      const double span = hi - lo;
      if (m.kind == ir::MeasureKind::Rms) {
        if (!(span > 0)) return fail("RMS over an empty window");
        r.value = std::sqrt(integ2 / span);
      } else {
        r.value = integ;
      }
      r.detail = detailOf({{"from", lo}, {"to", hi}});
      r.print = MeasureResult::Print::Integral;
      break;
    }
  }
  r.ok = std::isfinite(r.value);
  if (!r.ok) r.error = "the result is not finite";
  return r;
}

namespace {

int kindOf(AnalysisType t) {
  switch (t) {
    case AnalysisType::Tran: return int(ir::AnalysisKind::Tran);
    case AnalysisType::Dc: return int(ir::AnalysisKind::Dc);
    case AnalysisType::Ac: return int(ir::AnalysisKind::Ac);
    default: return -1;
  }
}

}  // namespace

MeasureSink::MeasureSink(SampleSink* inner, std::vector<ir::Measure> measures)
    : inner_(inner), measures_(std::move(measures)) {
  for (const ir::Measure& m : measures_)
    for (const std::string* s : {&m.signal, &m.trig.signal, &m.targ.signal, &m.trig.signal2, &m.targ.signal2})
      if (!s->empty()) needed_.insert(*s);
}

void MeasureSink::begin(const AnalysisHeader& header) {
  if (inner_) inner_->begin(header);
  cur_ = nullptr;
  stopped_ = false;
  passed_ = 0;
  doneAt_.clear();
  const int kind = kindOf(header.type);
  if (kind < 0 || kept_.count(kind)) return;
  bool wanted = false;
  for (const ir::Measure& m : measures_) wanted = wanted || int(m.analysis) == kind;
  if (!wanted) return;
  cur_ = &kept_[kind];
  header_ = header;
}

void MeasureSink::chunk(const Chunk& c) {
  if (stopped_) return;  // autostop: the rows after the stop are not results
  if (autostop_ && cur_ && header_.type == AnalysisType::Tran) return autostopCheck(c);
  if (inner_) inner_->chunk(c);
  passed_ += c.rows;
  if (!cur_) return;
  keep(c);
}

bool MeasureSink::completeAt(const ir::Measure& m, std::size_t n) const {
  const std::span<const double> x(cur_->x.data(), n);
  return evaluateMeasure(m, x, [&](const std::string& name) -> const std::vector<double>* {
           auto col = cur_->cols.find(name);
           return col == cur_->cols.end() ? nullptr : &col->second;
         }).ok;
}

// ngspice checks every measure at every accepted point. Here each chunk is
// checked once per measure still without a result (a measure that has one
// keeps it on more rows), and the first row that gives it one is found by
// bisection inside the chunk; the transient stops at the row where the last
// measure got its result.
void MeasureSink::autostopCheck(const Chunk& c) {
  const std::size_t before = cur_->x.size();
  keep(c);
  const std::size_t total = cur_->x.size();
  if (doneAt_.size() != measures_.size()) doneAt_.assign(measures_.size(), 0);
  bool all = true;
  std::size_t stopRows = 0;  // rows up to and including the stop
  for (std::size_t k = 0; k < measures_.size(); ++k) {
    const ir::Measure& m = measures_[k];
    if (m.analysis != ir::AnalysisKind::Tran || m.kind == ir::MeasureKind::Param) continue;
    if (doneAt_[k] == 0 && completeAt(m, total)) {
      std::size_t lo = before, hi = total;  // no result on lo rows, one on hi
      while (hi - lo > 1) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (completeAt(m, mid)) hi = mid;
        else lo = mid;
      }
      doneAt_[k] = hi;
    }
    if (doneAt_[k] == 0) all = false;
    stopRows = std::max(stopRows, doneAt_[k]);
  }
  if (!all || stopRows == 0) {
    if (inner_) inner_->chunk(c);
    passed_ += c.rows;
    return;
  }
  // pass on the rows up to the stop (stopRows > before: the last measure got its result in this chunk)
  const std::size_t n = stopRows - before;
  Chunk head;
  head.rows = n;
  head.x = c.x.first(n);
  for (const auto& col : c.re) head.re.push_back(col.first(std::min(n, col.size())));
  for (const auto& col : c.im) head.im.push_back(col.first(std::min(n, col.size())));
  if (inner_ && n > 0) inner_->chunk(head);
  passed_ += n;
  cur_->x.resize(stopRows);
  for (auto& [name, col] : cur_->cols) col.resize(std::min(col.size(), stopRows));
  stopped_ = true;
}

void MeasureSink::keep(const Chunk& c) {
  cur_->x.insert(cur_->x.end(), c.x.begin(), c.x.end());
  for (std::size_t k = 0; k < header_.signals.size() && k < c.re.size(); ++k) {
    const std::string& name = header_.signals[k].name;
    // only the columns some measure reads
    if (!header_.complex) {
      if (!needed_.count(name)) continue;
      auto& col = cur_->cols[name];
      col.insert(col.end(), c.re[k].begin(), c.re[k].end());
      continue;
    }
    // ac: v(x) and i(x) read as their real parts (as ngspice's .meas does); also
    // vm vdb vp (radians, as ngspice) vr vi; a device quantity (@r1[i]) as its real part
    const std::size_t open = name.find('(');
    if (open == std::string::npos) {
      if (needed_.count(name)) {
        auto& col = cur_->cols[name];
        col.insert(col.end(), c.re[k].begin(), c.re[k].end());
      }
      continue;
    }
    const std::string inner = name.substr(open);
    const char prefix = name[0];
    auto want = [&](const char* part) -> std::vector<double>* {
      std::string n = *part ? std::string(1, prefix) + part + inner : name;
      return needed_.count(n) ? &cur_->cols[n] : nullptr;
    };
    std::vector<double>* re0 = want("");
    std::vector<double>* m = want("m");
    std::vector<double>* db = want("db");
    std::vector<double>* p = want("p");
    std::vector<double>* vr = want("r");
    std::vector<double>* vi = want("i");
    if (!re0 && !m && !db && !p && !vr && !vi) continue;
    for (std::size_t r = 0; r < c.rows; ++r) {
      const double re = c.re[k][r], im = k < c.im.size() ? c.im[k][r] : 0.0;
      const double mag = std::hypot(re, im);
      if (re0) re0->push_back(re);
      if (m) m->push_back(mag);
      if (db) db->push_back(20.0 * std::log10(std::max(mag, 1e-300)));
      if (p) p->push_back(std::atan2(im, re));
      if (vr) vr->push_back(re);
      if (vi) vi->push_back(im);
    }
  }
}

void MeasureSink::end(const AnalysisSummary& summary) {
  AnalysisSummary passed = summary;
  if (stopped_) passed.rows = passed_;  // (autostop: the rows passed on)
  if (inner_) inner_->end(passed);
  if (cur_) cur_->done = true;
  cur_ = nullptr;
}

MeasureResult evaluateParamMeasure(const ir::Measure& m,
                                   const std::function<std::optional<double>(const std::string&)>& result) {
  MeasureResult r;
  r.name = m.name;
  r.loc = m.loc;
  const ir::Expression& e = m.expr;
  std::vector<double> val(e.nodes.size(), 0.0), args;
  for (std::size_t k = 0; k < e.nodes.size(); ++k) {
    const ir::ExprNode& n = e.nodes[k];
    switch (n.op) {
      case ir::ExprOp::Const: val[k] = n.value; break;
      case ir::ExprOp::Param: {
        const std::string& name = e.names[n.index];
        const double pv = n.index < m.paramValues.size() ? m.paramValues[n.index] : std::nan("");
        if (!std::isnan(pv)) {
          val[k] = pv;
          break;
        }
        const std::optional<double> v = result(name);
        if (!v) {
          r.error = "'" + name + "' is neither a .param nor a measurement that succeeded before it";
          return r;
        }
        val[k] = *v;
        break;
      }
      case ir::ExprOp::Time:
      case ir::ExprOp::Hertz: val[k] = 0.0; break;
      case ir::ExprOp::Temper: val[k] = 27.0; break;
      case ir::ExprOp::Var:
      case ir::ExprOp::UserFunc: r.error = "not a value expression"; return r;
      default: {
        args.clear();
        for (std::uint32_t a = 0; a < n.count; ++a) args.push_back(val[e.kids[n.first + a]]);
        val[k] = dev::applyExprOp(n.op, args.data(), args.size(), nullptr);
      }
    }
  }
  if (val.empty() || !std::isfinite(val.back())) {
    r.error = "the expression is not finite";
    return r;
  }
  r.ok = true;
  r.value = val.back();
  return r;
}

std::vector<MeasureResult> MeasureSink::results() const {
  std::vector<MeasureResult> out;
  for (const ir::Measure& m : measures_) {
    if (m.kind == ir::MeasureKind::Param) {
      out.emplace_back();  // below, after every other measurement
      continue;
    }
    auto it = kept_.find(int(m.analysis));
    if (it == kept_.end() || !it->second.done) {
      MeasureResult r;
      r.name = m.name;
      r.loc = m.loc;
      r.error = "no analysis of its kind ran";
      out.push_back(r);
      continue;
    }
    const Kept& k = it->second;
    out.push_back(evaluateMeasure(m, k.x, [&](const std::string& n) -> const std::vector<double>* {
      auto c = k.cols.find(n);
      return c == k.cols.end() ? nullptr : &c->second;
    }));
  }
  // PARAM= measurements in order, over the others' results (a name measured
  // twice: the last one) and the PARAM= ones before them, as ngspice
  std::map<std::string, std::optional<double>> known;
  for (std::size_t i = 0; i < measures_.size(); ++i)
    if (measures_[i].kind != ir::MeasureKind::Param)
      known[out[i].name] = out[i].ok ? std::optional<double>(out[i].value) : std::nullopt;
  for (std::size_t i = 0; i < measures_.size(); ++i) {
    const ir::Measure& m = measures_[i];
    if (m.kind != ir::MeasureKind::Param) continue;
    auto it = kept_.find(int(m.analysis));
    if (it == kept_.end() || !it->second.done) {
      out[i].name = m.name;
      out[i].loc = m.loc;
      out[i].error = "no analysis of its kind ran";
    } else {
      out[i] = evaluateParamMeasure(m, [&](const std::string& n) -> std::optional<double> {
        auto k = known.find(n);
        return k == known.end() ? std::nullopt : k->second;
      });
    }
    known[m.name] = out[i].ok ? std::optional<double>(out[i].value) : std::nullopt;
  }
  return out;
}

}  // namespace simcore
