#include <algorithm>
#include <cmath>

#include "devices/block_digital.hpp"

namespace simcore::dev::block {

Status DigitalGroup::setup(SetupContext& ctx) {
  const std::size_t n = inst_.size();
  first_.assign(n + 1, 0);
  flips_.assign(n, 0);
  gen_.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const ir::Device& d = *inst_[i];
    auto m = blockModel(ctx, kind_, d);
    if (!m) return m.takeError();
    first_[i] = dout_.size();
    if (auto s = setupInstance(ctx, i, *m.value()); !s) return s;
    first_[i + 1] = dout_.size();
  }
  return {};
}

void DigitalGroup::addDigitalOutput(SetupContext& ctx, std::size_t i, const PortPair& at, const char* suffix) {
  DigitalOut o;
  if (!at.null()) o.out = int(addOutput(ctx, i, at, suffix));
  dout_.push_back(o);
}

void DigitalGroup::drive(std::size_t i, std::size_t k, Logic v, double delay) {
  DigitalOut& o = dout_[first_[i] + k];
  if (dc_) {
    o.pending.clear();
    if (o.now == v) return;
    if (flips_[i] >= kMaxFlips) return;  // no consistent state (a loop of gates): keep this one
    ++flips_[i];
    ++dcFlipped_;
    o.now = o.last = v;
    ++gen_[i];
    return;
  }
  if (v == o.last) return;
  o.last = v;
  ++gen_[i];
  if (!(delay > 0)) {
    o.pending.clear();
    o.now = v;
    return;
  }
  const double at = now_ + delay;
  while (!o.pending.empty() && o.pending.back().first >= at) o.pending.pop_back();
  if (o.pending.empty() && v == o.now) return;  // back to the present value: nothing to do
  o.pending.emplace_back(at, v);
}

int DigitalGroup::fire(std::size_t i, double time) {
  // (within rounding of the time the step landed on)
  const double tol = std::max(1e-12 * std::fabs(time), 1e-9 * std::max(0.0, time - prevTime_));
  int changed = 0;
  for (std::size_t k = first_[i]; k < first_[i + 1]; ++k) {
    DigitalOut& o = dout_[k];
    std::size_t n = 0;
    while (n < o.pending.size() && o.pending[n].first <= time + tol) {
      if (o.now != o.pending[n].second) {
        o.now = o.pending[n].second;
        ++changed;
      }
      ++n;
    }
    if (n > 0) {
      o.pending.erase(o.pending.begin(), o.pending.begin() + std::ptrdiff_t(n));
      ++gen_[i];
    }
  }
  return changed;
}

bool DigitalGroup::pendingAny(std::size_t i) const {
  for (std::size_t k = first_[i]; k < first_[i + 1]; ++k)
    if (!dout_[k].pending.empty()) return true;
  return false;
}

void DigitalGroup::load(LoadContext& c) {
  lastMode_ = c.mode;
  if (c.mode == AnalysisMode::TranInit) return;  // no charges; states change in accept()
  if (c.mode == AnalysisMode::DcOp) {
    dcSeen_ = true;
    dc_ = true;
    dcFlipped_ = 0;
    now_ = c.time;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      if (c.initJunctions) flips_[i] = 0;
      evaluate(i, c.x, true);
    }
    dc_ = false;
    c.noncon += dcFlipped_;
  }
  for (const DigitalOut& o : dout_) {
    if (o.out < 0) continue;
    const Output& out = outs_[std::size_t(o.out)];
    out.load(c);
    c.f[out.br] -= logicVolts(o.now);
  }
}

void DigitalGroup::initialize(const double* x) {
  // a transient with uic has no operating point: the states start as there,
  // from the initial solution
  dcSeen_ = true;
  dc_ = true;
  for (std::size_t i = 0; i < inst_.size(); ++i) {
    flips_[i] = 0;
    evaluate(i, x, true);
    flips_[i] = 0;
  }
  dc_ = false;
}

void DigitalGroup::accept(const double* x, double time) {
  now_ = time;
  if (!dcSeen_) initialize(x);
  if (lastMode_ == AnalysisMode::DcOp) {
    // the operating point: remember the inputs it settled on (no delays)
    dc_ = true;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      flips_[i] = kMaxFlips;  // (a state the Newton loop has not seen stays as it is)
      evaluate(i, x, true);
      flips_[i] = 0;
    }
    dc_ = false;
    prevTime_ = time;
    return;
  }
  for (std::size_t i = 0; i < inst_.size(); ++i) {
    fire(i, time);
    evaluate(i, x, false);
  }
  prevTime_ = time;
}

int DigitalGroup::settle(const double* x, double time) {
  now_ = time;
  if (!dcSeen_) initialize(x);
  int changed = 0;
  for (std::size_t i = 0; i < inst_.size(); ++i) {
    changed += fire(i, time);
    evaluate(i, x, false);
  }
  return changed;
}

void DigitalGroup::configuration(std::vector<std::uint8_t>& key) const {
  for (std::size_t i = 0; i < inst_.size(); ++i) {
    StateDigest s;
    for (std::size_t k = first_[i]; k < first_[i + 1]; ++k) s.add(dout_[k].now);
    key.push_back(s.byte(pendingAny(i), gen_[i]));
  }
}

void DigitalGroup::setConfiguration(const std::uint8_t*& p) {
  for (std::size_t i = 0; i < inst_.size(); ++i, ++p) {
    const std::size_t n = first_[i + 1] - first_[i];
    for (std::size_t k = 0; k < n; ++k) {
      DigitalOut& o = dout_[first_[i] + k];
      o.pending.clear();
      if (n <= 3) o.now = Logic((*p >> (2 * k)) & 3);
      o.last = o.now;
    }
  }
}

double DigitalGroup::nextBreakpoint(double t) const {
  double best = kNever;
  for (std::size_t i = 0; i < inst_.size(); ++i) {
    for (std::size_t k = first_[i]; k < first_[i + 1]; ++k)
      for (const auto& p : dout_[k].pending)
        if (p.first > t) {
          best = std::min(best, p.first);
          break;
        }
    best = std::min(best, selfBreakpoint(i, t));
  }
  return best;
}

bool DigitalGroup::findEvent(const StepView& s, Event& ev) const {
  bool found = false;
  auto consider = [&](double t) {
    if (!found || t < ev.time) ev.time = t;
    found = true;
  };
  for (std::size_t i = 0; i < inst_.size(); ++i) {
    for (std::size_t k = first_[i]; k < first_[i + 1]; ++k)
      if (!dout_[k].pending.empty()) {
        const double due = dout_[k].pending.front().first;
        if (due > s.t0 && due <= s.t1) consider(due);
      }
    const double self = selfBreakpoint(i, s.t0);
    if (self > s.t0 && self <= s.t1) consider(self);
    double when = 0;
    if (inputEvent(i, s, when)) consider(when);
  }
  return found;
}

}  // namespace simcore::dev::block
