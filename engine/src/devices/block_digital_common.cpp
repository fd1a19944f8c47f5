#include <algorithm>
#include <cmath>
#include <unordered_set>

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
  // The nodes the group reads through bare or %d elements (its digital
  // inputs; an adc_bridge's analog input where no other device uses its
  // node) and does not drive itself: an
  // undriven one reads 0, as XSPICE's digital node starts (and stays) at
  // ZERO, so each has a load of kInputG to ground.
  std::unordered_set<Index> driven;  // (and the nodes already tied)
  for (const Output& o : outs_) driven.insert(o.port.p);
  for (const DigitalOut& o : dout_)
    if (o.node >= 0) driven.insert(o.node);
  using PT = ir::Device::PortType;
  // (the nodes that devices outside the group use: an analog input there needs no tie)
  std::unordered_set<std::string_view> elsewhere;
  bool elsewhereRead = false;
  auto usedElsewhere = [&](std::string_view name) {
    if (!elsewhereRead) {
      std::unordered_set<const ir::Device*> mine(inst_.begin(), inst_.end());
      for (const ir::Device& d : ctx.circuit().devices)
        if (!mine.count(&d))
          for (const std::string& n : d.nodes) elsewhere.insert(n);
      elsewhereRead = true;
    }
    return elsewhere.count(name) > 0;
  };
  for (const ir::Device* d : inst_)
    for (std::size_t e = 0; 2 * e < d->nodes.size(); ++e) {
      const PT t = e < d->portTypes.size() ? d->portTypes[e] : PT::Plain;
      if (t != PT::Plain && t != PT::D) continue;
      const std::string& name = d->nodes[2 * e];  // (~name: an inverted port on node name)
      const Index u = ctx.node(name.size() > 1 && name[0] == '~' ? std::string_view(name).substr(1) : std::string_view(name));
      if (u <= 0 || driven.count(u)) continue;
      if (analogInput(*d, e) && usedElsewhere(name)) continue;
      driven.insert(u);
      tie_.push_back({u, 0});
    }
  return {};
}

void DigitalGroup::addDigitalOutput(SetupContext& ctx, std::size_t i, const PortPair& at, const char* suffix) {
  DigitalOut o;
  o.inv = at.inv;  // (drive() inverts the level; the node itself is driven as usual)
  PortPair node = at;
  node.inv = false;
  if (!at.null()) {
    o.out = int(addOutput(ctx, i, node, suffix, true));  // (a digital node: ngspice lists no current)
    if (at.m == 0 && at.p > 0) o.strongOnNode = ctx.countDigitalDriver(at.p);
  }
  dout_.push_back(o);
}

Status DigitalGroup::resolve(SetupContext& ctx) {
  if (auto s = BlockGroup::resolve(ctx); !s) return s;
  wiredOut_.assign(outs_.size(), 0);
  std::unordered_set<Index> wired;
  for (DigitalOut& o : dout_)
    if (o.out >= 0 && o.strongOnNode && *o.strongOnNode > 1) {
      o.node = outs_[std::size_t(o.out)].port.p;
      wiredOut_[std::size_t(o.out)] = 1;
      wired.insert(o.node);
    }
  if (wired.empty()) return {};
  // a voltage source on a wired node is still an error (no longer a loop of
  // sources the topology check would find): as for a lone digital output
  for (const ir::Device& d : ctx.circuit().devices) {
    if ((d.letter != 'v' && d.letter != 'e' && d.letter != 'h') || d.nodes.size() < 2) continue;
    for (int k = 0; k < 2; ++k) {
      const Index u = ctx.node(d.nodes[std::size_t(k)]);
      if (u > 0 && wired.count(u))
        return deviceError(d, "'" + d.name + "' drives node '" + d.nodes[std::size_t(k)] +
                                  "', which digital outputs already drive: a digital node takes no voltage source",
                           ErrorCode::Topology);
    }
  }
  return {};
}

void DigitalGroup::voltageEdges(std::vector<std::pair<Index, Index>>& out, std::vector<int>& idx) const {
  for (std::size_t k = 0; k < outs_.size(); ++k) {
    if (k < wiredOut_.size() && wiredOut_[k]) continue;  // (a conductance, not a source)
    out.emplace_back(outs_[k].port.p, outs_[k].port.m);
    idx.push_back(outOwner_[k]);
  }
  senseEdges(out, idx);
}

void DigitalGroup::addResolvedOutput(const PortPair& at) {
  DigitalOut o;
  o.inv = at.inv;
  if (!at.null()) o.node = at.p;
  dout_.push_back(o);
}

void DigitalGroup::addRealOutput(const PortPair& at, int drivers) {
  DigitalOut o;
  o.real = true;
  if (!at.null()) o.node = at.p;
  o.share = 1.0 / std::max(drivers, 1);
  dout_.push_back(o);
}

void DigitalGroup::drive(std::size_t i, std::size_t k, Logic v, double delay, Strength s) {
  DigitalOut& o = dout_[first_[i] + k];
  if (!o.resolved()) s = Strength::Strong;
  schedule(i, o, Change{0.0, o.inv ? toggled(v) : v, s, 0.0}, delay);
}

void DigitalGroup::driveReal(std::size_t i, std::size_t k, double v, double delay) {
  DigitalOut& o = dout_[first_[i] + k];
  schedule(i, o, Change{0.0, Logic::Zero, Strength::Strong, v}, delay);
}

void DigitalGroup::schedule(std::size_t i, DigitalOut& o, const Change& c, double delay) {
  const Change present{0.0, o.now, o.snow, o.lnow}, last{0.0, o.last, o.slast, o.llast};
  auto set = [](Logic& v, Strength& s, double& l, const Change& from) {
    v = from.v;
    s = from.s;
    l = from.level;
  };
  if (dc_) {
    o.pending.clear();
    if (same(o, present, c.v, c.s, c.level)) return;
    if (flips_[i] >= kMaxFlips) return;  // no consistent state (a loop of gates): keep this one
    ++flips_[i];
    ++dcFlipped_;
    set(o.now, o.snow, o.lnow, c);
    set(o.last, o.slast, o.llast, c);
    ++gen_[i];
    return;
  }
  if (same(o, last, c.v, c.s, c.level)) return;
  set(o.last, o.slast, o.llast, c);
  ++gen_[i];
  if (!(delay > 0)) {
    o.pending.clear();
    set(o.now, o.snow, o.lnow, c);
    return;
  }
  const double at = now_ + delay;
  while (!o.pending.empty() && o.pending.back().at >= at) o.pending.pop_back();
  if (o.pending.empty() && same(o, present, c.v, c.s, c.level)) return;  // back to the present value: nothing to do
  o.pending.push_back(Change{at, c.v, c.s, c.level});
}

int DigitalGroup::fire(std::size_t i, double time) {
  // (within rounding of the time the step landed on)
  const double tol = std::max(1e-12 * std::fabs(time), 1e-9 * std::max(0.0, time - prevTime_));
  int changed = 0;
  for (std::size_t k = first_[i]; k < first_[i + 1]; ++k) {
    DigitalOut& o = dout_[k];
    std::size_t n = 0;
    while (n < o.pending.size() && o.pending[n].at <= time + tol) {
      const Change& c = o.pending[n];
      if (!same(o, Change{0.0, o.now, o.snow, o.lnow}, c.v, c.s, c.level)) {
        o.now = c.v;
        o.snow = c.s;
        o.lnow = c.level;
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

void DigitalGroup::loadBlock(LoadContext& c) {
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
  for (const Tie& t : tie_) {
    if (c.stampMatrix) c.A[t.pos] += kInputG;
    c.f[t.node] += kInputG * c.x[t.node];
  }
  for (const DigitalOut& o : dout_) {
    if (o.real && o.node >= 0) {
      // share·v - value: the node's drivers together give v = the sum of their values
      if (c.stampMatrix) c.A[o.pos] += o.share;
      c.f[o.node] += o.share * c.x[o.node] - o.lnow;
      continue;
    }
    if (o.resolved()) {
      // a conductance G from the node to its level
      const double g = strengthG(o.now, o.snow);
      if (c.stampMatrix) c.A[o.pos] += g;
      c.f[o.node] += g * (c.x[o.node] - logicVolts(o.now));
      if (o.wired()) {  // its branch current is 0
        const Index br = outs_[std::size_t(o.out)].br;
        if (c.stampMatrix) c.A[o.brPos] += 1.0;
        c.f[br] += c.x[br];
      }
      continue;
    }
    if (o.out < 0) continue;
    const Output& out = outs_[std::size_t(o.out)];
    out.load(c);
    c.f[out.br] -= logicVolts(o.now);
  }
}

void DigitalGroup::patternBlock(PatternBuilder& b) {
  for (Tie& t : tie_) t.pos = b.entry(t.node, t.node);
  for (std::size_t k = 0; k < outs_.size(); ++k)
    if (k >= wiredOut_.size() || !wiredOut_[k]) outs_[k].bind(b);
  for (DigitalOut& o : dout_) {
    if (o.node >= 0) o.pos = b.entry(o.node, o.node);
    if (o.wired()) {
      const Index br = outs_[std::size_t(o.out)].br;
      o.brPos = b.entry(br, br);
    }
  }
}

void DigitalGroup::acLoadBlock(AcContext& c) {
  for (std::size_t k = 0; k < outs_.size(); ++k)
    if (k >= wiredOut_.size() || !wiredOut_[k]) outs_[k].acLoad(c);
  for (const Tie& t : tie_) c.A[t.pos] += kInputG;
  for (const DigitalOut& o : dout_) {
    if (o.wired()) c.A[o.brPos] += 1.0;
    if (o.resolved()) c.A[o.pos] += strengthG(o.now, o.snow);
    if (o.real && o.node >= 0) c.A[o.pos] += o.share;
  }
}

void DigitalGroup::dcPaths(std::vector<std::pair<Index, Index>>& out) const {
  BlockGroup::dcPaths(out);
  for (const Tie& t : tie_) out.emplace_back(t.node, 0);
  for (const DigitalOut& o : dout_)
    if (o.node >= 0) out.emplace_back(o.node, 0);
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

int DigitalGroup::settleDigital(double* x) {
  initialize(x);
  now_ = 0;
  int changed = 0;
  auto set = [&](Index u, double v) {
    if (u <= 0 || x[std::size_t(u)] == v) return;
    x[std::size_t(u)] = v;
    ++changed;
  };
  for (const DigitalOut& o : dout_) {
    if (o.real) continue;
    if (o.resolved()) {
      set(o.node, logicVolts(o.now));
    } else if (o.out >= 0) {
      const PortPair& pt = outs_[std::size_t(o.out)].port;
      if (!pt.current) set(pt.p, (pt.m > 0 ? x[std::size_t(pt.m)] : 0.0) + logicVolts(o.now));
    }
  }
  return changed;
}

void DigitalGroup::digitalInstances(std::vector<std::pair<const ir::Device*, std::size_t>>& out) const {
  for (std::size_t i = 0; i < inst_.size(); ++i) out.emplace_back(inst_[i], i);
}

int DigitalGroup::settleDigitalInstance(std::size_t i, double* x) {
  dcSeen_ = true;
  dc_ = true;
  dcFlipped_ = 0;
  flips_[i] = 0;
  evaluate(i, x, true);
  flips_[i] = 0;
  dc_ = false;
  // the levels of its strong outputs, at once (resolved and real nodes are left to the solve)
  for (std::size_t k = first_[i]; k < first_[i + 1]; ++k) {
    const DigitalOut& o = dout_[k];
    if (o.real || o.resolved() || o.out < 0) continue;
    const PortPair& pt = outs_[std::size_t(o.out)].port;
    if (!pt.current && pt.p > 0) x[std::size_t(pt.p)] = (pt.m > 0 ? x[std::size_t(pt.m)] : 0.0) + logicVolts(o.now);
  }
  return dcFlipped_;
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
    if (first_[i + 1] == first_[i] + 1 && dout_[first_[i]].resolved()) {
      // one resolved output: its state and strength exactly (code 0..11)
      const DigitalOut& o = dout_[first_[i]];
      const auto code = std::uint8_t(std::uint8_t(o.now) + 3 * std::uint8_t(o.snow));
      key.push_back(std::uint8_t(code | (pendingAny(i) ? 0x80 : 0)));
      continue;
    }
    StateDigest s;
    bool resolved = false;
    for (std::size_t k = first_[i]; k < first_[i + 1]; ++k) {
      s.add(dout_[k].now);
      resolved = resolved || dout_[k].resolved() || dout_[k].real;
    }
    if (resolved)  // (strengths and real values matter too: past three states the byte is the change counter)
      for (int k = 0; k < 3; ++k) s.add(Logic::Zero);
    key.push_back(s.byte(pendingAny(i), gen_[i]));
  }
}

void DigitalGroup::setConfiguration(const std::uint8_t*& p) {
  for (std::size_t i = 0; i < inst_.size(); ++i, ++p) {
    const std::size_t n = first_[i + 1] - first_[i];
    const bool single = n == 1 && dout_[first_[i]].resolved();
    for (std::size_t k = 0; k < n; ++k) {
      DigitalOut& o = dout_[first_[i] + k];
      o.pending.clear();
      if (single) {
        const int code = (*p & 0x7f) % 12;
        o.now = Logic(code % 3);
        o.snow = Strength(code / 3);
      } else if (n <= 3 && !o.resolved() && !o.real) {
        o.now = Logic((*p >> (2 * k)) & 3);
      }
      o.last = o.now;
      o.slast = o.snow;
      o.llast = o.lnow;
    }
  }
}

double DigitalGroup::nextBreakpoint(double t) const {
  double best = kNever;
  for (std::size_t i = 0; i < inst_.size(); ++i) {
    for (std::size_t k = first_[i]; k < first_[i + 1]; ++k)
      for (const Change& p : dout_[k].pending)
        if (p.at > t) {
          best = std::min(best, p.at);
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
        const double due = dout_[k].pending.front().at;
        if (due > s.t0 && due <= s.t1) consider(due);
      }
    const double self = selfBreakpoint(i, s.t0);
    if (self > s.t0 && self <= s.t1) consider(self);
  }
  return found;
}

}  // namespace simcore::dev::block
