#include "devices/waveform.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace simcore::dev {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

// Smallest corner time > t among base + k*period + offsets[j] (period <= 0: once).
double nextPeriodicCorner(double t, double base, double period, const double* offs, int n) {
  // (rounding of t and of the corners, which lie near t: not scaled by the period, or a
  // PULSE with a 1 s period would hide every corner within 1 ps of t)
  double eps = 1e-12 * std::max({std::fabs(t), std::fabs(base), 1e-30});
  double best = kInf;
  if (period > 0 && t > base) {
    double k = std::floor((t - base) / period);
    for (int rep = 0; rep < 2; ++rep) {
      double start = base + (k + rep) * period;
      for (int j = 0; j < n; ++j) {
        double c = start + offs[j];
        if (c > t + eps && c < best) best = c;
      }
      if (best < kInf) break;
    }
    return best;
  }
  for (int j = 0; j < n; ++j) {
    double c = base + offs[j];
    if (c > t + eps && c < best) best = c;
  }
  if (best == kInf && period > 0) return nextPeriodicCorner(t, base + period, period, offs, n);
  return best;
}
}  // namespace

Result<SourceFunction> SourceFunction::make(const ir::Waveform& w, const TranHints& h, std::string_view owner) {
  SourceFunction f;
  f.kind_ = w.kind;
  const auto& a = w.args;
  auto err = [&](const std::string& m) { return makeError(ErrorCode::Semantic, std::string(owner) + ": " + m, w.loc); };
  auto arg = [&](std::size_t i, double def) { return i < a.size() ? a[i] : def; };
  double tstep = h.tstep > 0 ? h.tstep : 1.0, tstop = h.tstop > 0 ? h.tstop : 1.0;
  switch (w.kind) {
    case ir::WaveKind::None: break;
    case ir::WaveKind::Pulse: {
      if (a.size() < 2 || a.size() > 8) return err("PULSE needs 2 to 8 values: v1 v2 [td tr tf pw per np]");
      double tr = arg(3, 0), tf = arg(4, 0), pw = arg(5, 0), per = arg(6, 0);
      if (tr <= 0) tr = tstep;
      if (tf <= 0) tf = tstep;
      if (a.size() < 6) pw = tstop;
      if (a.size() < 7 || per <= 0) per = tstop;
      if (arg(2, 0) < 0 || pw < 0) return err("PULSE delay and width must not be negative");
      // a period shorter than one pulse (tr + pw + tf) cuts it, as in ngspice 39: each
      // period starts the pulse again from v1 (PULSE(0 1 0 1u 1u 1 1) is 1 V with a 1 us
      // rise at every period's start)
      // np (ngspice 39's number of pulses, LTspice's Ncycles): v1 after np
      // periods; 0 or absent: free-running
      double v[8] = {a[0], a[1], arg(2, 0), tr, tf, pw, per, std::max(arg(7, 0), 0.0)};
      std::copy(v, v + 8, f.a_);
      break;
    }
    case ir::WaveKind::Sin: {
      if (a.size() < 2 || a.size() > 7) return err("SIN needs 2 to 7 values: vo va [freq td theta phase ncycles]");
      double freq = a.size() > 2 && a[2] != 0 ? a[2] : 1.0 / tstop;
      // ncycles (LTspice's 7th value): after that many cycles from td the value holds
      // at the one it had then (LTspice; 0 or absent: free-running, as ngspice's 6)
      if (arg(6, 0) < 0) return err("SIN's number of cycles must not be negative");
      double v[7] = {a[0], a[1], freq, arg(3, 0), arg(4, 0), arg(5, 0), arg(6, 0)};
      std::copy(v, v + 7, f.a_);
      break;
    }
    case ir::WaveKind::Exp: {
      if (a.size() < 2 || a.size() > 6) return err("EXP needs 2 to 6 values: v1 v2 [td1 tau1 td2 tau2]");
      double td1 = arg(2, 0), tau1 = arg(3, 0), td2 = arg(4, 0), tau2 = arg(5, 0);
      if (tau1 <= 0) tau1 = tstep;
      if (a.size() < 5 || td2 <= 0) td2 = td1 + tstep;
      if (tau2 <= 0) tau2 = tstep;
      double v[6] = {a[0], a[1], td1, tau1, td2, tau2};
      std::copy(v, v + 6, f.a_);
      break;
    }
    case ir::WaveKind::Sffm: {
      if (a.size() < 2 || a.size() > 7) return err("SFFM needs 2 to 7 values: vo va [fc mdi fs phasec phases]");
      const double deg = std::numbers::pi / 180.0;
      double v[7] = {a[0], a[1], a.size() > 2 && a[2] != 0 ? a[2] : 1.0 / tstop, arg(3, 0),
                     a.size() > 4 && a[4] != 0 ? a[4] : 1.0 / tstop, arg(5, 0) * deg, arg(6, 0) * deg};
      std::copy(v, v + 7, f.a_);
      break;
    }
    case ir::WaveKind::Am: {
      // ngspice 39's AM(VA VO MF FC TD PHASEC PHASES): MF defaults to 1/TSTOP,
      // FC to 0; its vsrcload.c computes PHASEC but applies PHASES to both sines
      // (kept, so that results match ngspice's)
      if (a.size() < 2 || a.size() > 7) return err("AM needs 2 to 7 values: va vo [mf fc td phasec phases]");
      if (arg(4, 0) < 0) return err("AM delay td must not be negative");
      const double deg = std::numbers::pi / 180.0;
      double v[6] = {a[0], a[1], a.size() > 2 && a[2] != 0 ? a[2] : 1.0 / tstop, arg(3, 0), arg(4, 0), arg(6, 0) * deg};
      std::copy(v, v + 6, f.a_);
      break;
    }
    case ir::WaveKind::TrNoise:
    case ir::WaveKind::TrRandom: {
      auto r = RandomWave::make(w, h, owner);
      if (!r) return r.takeError();
      f.random_ = std::move(r.value());
      break;
    }
    case ir::WaveKind::Pwl: {
      if (a.size() < 2 || a.size() % 2) return err("PWL needs pairs of time and value");
      for (std::size_t i = 0; i < a.size(); i += 2) {
        if (!f.t_.empty() && a[i] < f.t_.back()) return err("PWL times must not decrease");
        f.t_.push_back(a[i]);
        f.v_.push_back(a[i + 1]);
      }
      f.delay_ = w.pwlDelay;
      f.repeatFrom_ = w.pwlRepeat;
      if (f.repeatFrom_ >= 0) {
        if (f.repeatFrom_ >= f.t_.back()) return err("PWL r= must be earlier than the last time point");
        if (std::find(f.t_.begin(), f.t_.end(), f.repeatFrom_) == f.t_.end())
          return err("PWL r= must be one of the time points");
      }
      break;
    }
  }
  return f;
}

double SourceFunction::value(double t) const {
  const double* a = a_;
  switch (kind_) {
    case ir::WaveKind::None: return 0.0;
    case ir::WaveKind::TrNoise:
    case ir::WaveKind::TrRandom: return random_->value(t);
    case ir::WaveKind::Pulse: {
      double v1 = a[0], v2 = a[1], td = a[2], tr = a[3], tf = a[4], pw = a[5], per = a[6];
      if (t < td) return v1;
      // past a period (strictly) the time within it, as ngspice 39 (vsrcload.c): the end of
      // the first period belongs to it (time > PER is false there: the pulse defaults
      // pw = per = tstop hold at tstop), a later boundary starts the next period (a pulse cut
      // by its period, a sawtooth PULSE(0 1 0 {T} 1n 1n {T}), is v1 there, as ngspice's wrap
      // gives it at a time point on the boundary)
      double tt = t - td;
      if (a[7] > 0 && tt > a[7] * per) return v1;
      if (tt > per) {
        const double k = std::floor(tt / per + 1e-12 * (tt / per));  // (a boundary up to rounding: its k)
        tt = std::max(0.0, tt - k * per);
        if (k <= 1 && tt <= 1e-12 * (t - td)) tt = per;  // (the first period's end)
      }
      if (tt >= tr + pw + tf) return v1;
      if (tt < tr) return v1 + (v2 - v1) * tt / tr;
      if (tt < tr + pw) return v2;
      if (tt < tr + pw + tf) return v2 + (v1 - v2) * (tt - tr - pw) / tf;
      return v1;
    }
    case ir::WaveKind::Sin: {
      double vo = a[0], va = a[1], freq = a[2], td = a[3], theta = a[4], ph = a[5] * std::numbers::pi / 180.0;
      if (t < td) return vo + va * std::sin(ph);
      double tt = t - td;
      if (a[6] > 0 && freq != 0) tt = std::min(tt, a[6] / std::fabs(freq));  // held after ncycles
      return vo + va * std::exp(-tt * theta) * std::sin(2.0 * std::numbers::pi * freq * tt + ph);
    }
    case ir::WaveKind::Exp: {
      double v1 = a[0], v2 = a[1], td1 = a[2], tau1 = a[3], td2 = a[4], tau2 = a[5];
      double v = v1;
      if (t >= td1) v += (v2 - v1) * (1.0 - std::exp(-(t - td1) / tau1));
      if (t >= td2) v += (v1 - v2) * (1.0 - std::exp(-(t - td2) / tau2));
      return v;
    }
    case ir::WaveKind::Sffm: {
      double w = 2.0 * std::numbers::pi;
      return a[0] + a[1] * std::sin(w * a[2] * t + a[5] + a[3] * std::sin(w * a[4] * t + a[6]));
    }
    case ir::WaveKind::Am: {
      double va = a[0], vo = a[1], mf = a[2], fc = a[3], td = a[4], ph = a[5], w = 2.0 * std::numbers::pi;
      double tt = t - td;
      if (tt <= 0) return 0.0;
      return va * (vo + std::sin(w * mf * tt + ph)) * std::sin(w * fc * tt + ph);
    }
    case ir::WaveKind::Pwl: {
      double tt = t - delay_;
      if (repeatFrom_ >= 0 && tt > t_.back()) {
        double per = t_.back() - repeatFrom_;
        tt = repeatFrom_ + std::fmod(tt - repeatFrom_, per);
      }
      if (tt <= t_.front()) return v_.front();
      if (tt >= t_.back()) return v_.back();
      auto it = std::upper_bound(t_.begin(), t_.end(), tt);
      std::size_t k = std::size_t(it - t_.begin());
      double t0 = t_[k - 1], t1 = t_[k];
      if (t1 == t0) return v_[k];
      return v_[k - 1] + (v_[k] - v_[k - 1]) * (tt - t0) / (t1 - t0);
    }
  }
  return 0.0;
}

double SourceFunction::nextBreakpoint(double t) const {
  const double* a = a_;
  switch (kind_) {
    case ir::WaveKind::None:
    case ir::WaveKind::Sffm: return kInf;
    case ir::WaveKind::TrNoise:
    case ir::WaveKind::TrRandom: return random_->nextBreakpoint(t);
    case ir::WaveKind::Pulse: {
      if (a[3] + a[5] + a[4] > a[6] * (1 + 1e-9)) {
        // a period shorter than the pulse cuts it: ngspice's breakpoints, which are not the
        // period's corners (a cut pulse's steps straddle most boundaries in ngspice). Not a
        // pulse whose TR + PW + TF is its period but for rounding (a triangle carrier
        // PULSE(0 12 0 19.6u 0.2u 0.2u 20u): 19.6u reads as 1.9600000000000002e-05): its corners
        // every period (ngspice's chain of them, which its own rounding ends after some
        // periods: docs/netlist.md)
        const double bp = pulseChainAfter(t);
        return a[7] > 0 && bp > a[2] + a[7] * a[6] * (1 + 1e-12) ? kInf : bp;
      }
      // the corners inside the period
      double offs[4] = {0.0, a[3], a[3] + a[5], a[3] + a[5] + a[4]};
      int n = 1;
      while (n < 4 && offs[n] < a[6]) ++n;
      const double bp = nextPeriodicCorner(t, a[2], a[6], offs, n);
      // after np pulses: none (the last one's corners lie inside its period)
      return a[7] > 0 && bp > a[2] + a[7] * a[6] * (1 + 1e-12) ? kInf : bp;
    }
    case ir::WaveKind::Sin: {
      if (a[3] > 0 && t < a[3] * (1 - 1e-12)) return a[3];
      // the end of ncycles (a corner: the sine stops there)
      const double end = a[6] > 0 && a[2] != 0 ? a[3] + a[6] / std::fabs(a[2]) : kInf;
      return t < end * (1 - 1e-12) ? end : kInf;
    }
    case ir::WaveKind::Am: return a[4] > 0 && t < a[4] * (1 - 1e-12) ? a[4] : kInf;  // its start
    case ir::WaveKind::Exp: {
      double eps = 1e-12 * std::max(std::fabs(t), 1e-30);
      if (a[2] > t + eps) return a[2];
      if (a[4] > t + eps) return a[4];
      return kInf;
    }
    case ir::WaveKind::Pwl: {
      double tt = t - delay_;
      double eps = 1e-12 * std::max({std::fabs(tt), std::fabs(t_.back()), 1e-30});
      if (repeatFrom_ >= 0 && tt >= t_.back() - eps) {
        double per = t_.back() - repeatFrom_;
        double k = std::floor((tt - repeatFrom_) / per);
        double base = repeatFrom_ + k * per;  // start of the current repetition in unwrapped time
        for (int rep = 0; rep < 2; ++rep, base += per)
          for (double ti : t_)
            if (ti >= repeatFrom_) {
              double c = base + (ti - repeatFrom_);
              if (c > tt + eps) return c + delay_;
            }
        return kInf;
      }
      auto it = std::upper_bound(t_.begin(), t_.end(), tt + eps);
      return it == t_.end() ? kInf : *it + delay_;
    }
  }
  return kInf;
}

// ngspice 39's breakpoints of a PULSE (vsrcacct.c, VSRCaccept): each one, once reached, sets
// the next from where it falls in its period (its start: the rise's end; the rise's end: the
// width's; ...; the fall's end: the next period's start). For a pulse whose period cuts it the
// chain does not follow the periods: PULSE(0 2 1m 0.5m 0.5m 10m 5m) has breakpoints at 1, 1.5,
// 11.5, 21.5, ... ms, and ngspice steps across the other period boundaries. The first link is
// the delay (or, without one, the rise's end); a link that falls on no corner ends the chain.
double SourceFunction::pulseChainAfter(double t) const {
  const double td = a_[2], tr = a_[3], tf = a_[4], pw = a_[5], per = a_[6];
  auto same = [&](double x, double y) { return std::fabs(x - y) <= 1e-7 * pw; };
  auto next = [&](double p) {
    double time = p - td, base = 0.0;
    if (time >= per) {
      base = per * std::floor(time / per);
      time -= base;
    }
    if (time <= 0.0 || time >= tr + pw + tf) {
      if (same(time, 0.0)) return base + tr + td;
      if (same(tr + pw + tf, time)) return base + per + td;
      if (time == -td) return base + td;
      if (same(per, time)) return base + td + tr + per;
    } else if (time >= tr && time <= tr + pw) {
      if (same(time, tr)) return base + td + tr + pw;
      if (same(tr + pw, time)) return base + td + tr + pw + tf;
    } else if (time > 0.0 && time < tr) {
      if (same(time, 0.0)) return base + td + tr;
      if (same(time, tr)) return base + td + tr + pw;
    } else {
      if (same(time, tr + pw)) return base + td + tr + pw + tf;
      if (same(time, tr + pw + tf)) return base + td + per;
    }
    return kInf;
  };
  const double eps = 1e-12 * std::max(std::fabs(t), 1e-30);
  if (!(chainAt_ >= 0) || chainAt_ > t + eps) {
    chainAt_ = 0.0;  // the run's first point
    chainNext_ = next(0.0);
  }
  // (a link that does not move on ends the chain; so does a long run of links, which a
  // query far ahead of the last one would otherwise walk one by one)
  for (int guard = 0; chainNext_ <= t + eps && guard < 1000000; ++guard) {
    if (!(chainNext_ > chainAt_)) {
      chainNext_ = kInf;
      break;
    }
    chainAt_ = chainNext_;
    chainNext_ = next(chainAt_);
  }
  return chainNext_ > t + eps ? chainNext_ : kInf;
}

double SourceFunction::smoothStep() const {
  const double* a = a_;
  switch (kind_) {
    case ir::WaveKind::Sin: {
      if (a[1] == 0) return kInf;
      double h = 1.0 / (50.0 * std::fabs(a[2]));
      if (a[4] != 0) h = std::min(h, 0.1 / std::fabs(a[4]));
      return h;
    }
    case ir::WaveKind::Exp: return a[0] == a[1] ? kInf : 0.1 * std::min(a[3], a[5]);
    case ir::WaveKind::Sffm: return a[1] == 0 ? kInf : 1.0 / (50.0 * (a[2] + std::fabs(a[3]) * a[4]));
    case ir::WaveKind::Am: return a[0] == 0 ? kInf : 1.0 / (50.0 * (std::fabs(a[2]) + std::fabs(a[3])));
    default: return kInf;
  }
}

}  // namespace simcore::dev
