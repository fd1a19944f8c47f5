#include "losses/meter.hpp"

#include <algorithm>
#include <cmath>

#include "losses/table.hpp"

namespace simcore::losses {
namespace {

constexpr const char* kLossParams[] = {"eon", "eoff", "err", "vloss", "rloss", "vdloss", "rdloss", "tcv", "tcr",
                                       "tce", "rthjc", "tauthjc", "cthjc"};

bool powerModel(const std::string& type) {
  return type == "pwldiode" || type == "pwlmos" || type == "pwligbt" || type == "thyristor";
}

// v_on(|i|, Tj) of an element.
double onVoltage(const dev::ElementLoss& e, double i, double tj) {
  if (e.data && !e.data->conduction.empty()) return evaluate(e.data->conduction, i, 0.0, tj);
  const double dT = tj - e.tref;
  return e.vloss * (1 + e.tcv * dT) + e.rloss * (1 + e.tcr * dT) * i;
}

// h·∫ p(i(s)) ds over [s0, s1], i linear from i0 (s = 0) to i1 (s = 1), p(i) = v_on(|i|)·|i|.
double conductionIntegral(const dev::ElementLoss& e, double i0, double i1, double tj, double h, double s0, double s1) {
  if (i0 == 0 && i1 == 0) return 0.0;
  auto piece = [&](double a, double b) {
    // 3-point Gauss-Legendre
    static constexpr double kX[3] = {-0.7745966692414834, 0.0, 0.7745966692414834};
    static constexpr double kW[3] = {5.0 / 9.0, 8.0 / 9.0, 5.0 / 9.0};
    const double mid = 0.5 * (a + b), half = 0.5 * (b - a);
    double s = 0;
    for (int k = 0; k < 3; ++k) {
      const double i = std::fabs(i0 + (i1 - i0) * (mid + half * kX[k]));
      s += kW[k] * onVoltage(e, i, tj) * i;
    }
    return s * half;
  };
  double total;
  if ((i0 < 0) != (i1 < 0) && i0 != i1) {
    const double sz = i0 / (i0 - i1);
    if (sz > s0 && sz < s1) total = piece(s0, sz) + piece(sz, s1);
    else total = piece(s0, s1);
  } else {
    total = piece(s0, s1);
  }
  return h * total;
}

// Switching energy of one transition of element e at (i, v), Tj.
double energy(const dev::ElementLoss& e, bool turnOn, double i, double v, double tj) {
  const ir::LossTable* t = e.data ? (turnOn ? &e.data->turnOn : &e.data->turnOff) : nullptr;
  double E;
  if (t && !t->empty()) {
    E = evaluate(*t, i, v, tj);
  } else {
    const double ref = turnOn ? e.eon : e.eoff;
    if (ref == 0) return 0.0;
    E = ref * (v / e.vref) * (i / e.iref) * (1 + e.tce * (tj - e.tref));
  }
  return E > 0 ? E : 0.0;
}

}  // namespace

bool requested(const ir::Circuit& c) {
  if (c.hasThermal || c.options.thermalstep > 0 || c.options.lossperiod > 0) return true;
  for (const ir::Model& m : c.models) {
    if (!powerModel(m.type)) continue;
    if (m.semiconductor >= 0) return true;
    for (const ir::Param& p : m.params)
      for (const char* n : kLossParams)
        if (p.name == n) return true;
  }
  return false;
}

Result<std::unique_ptr<LossMeter>> LossMeter::create(an::CircuitModel& model, double span, double period) {
  const ir::Circuit& c = model.circuit();
  std::vector<Device> devs;
  for (auto& g : model.groups()) {
    for (std::size_t i = 0; i < g->size(); ++i) {
      dev::LossSpec spec;
      if (!g->lossSpec(i, spec)) continue;
      Device d;
      d.group = g.get();
      d.index = i;
      d.name = g->device(i).name;
      d.spec = spec;
      devs.push_back(std::move(d));
    }
  }
  std::vector<ThermalNetwork::Junction> junctions;
  for (const ir::ThermalElement& e : c.thermal) {
    if (e.kind != ir::ThermalElement::Kind::Junction) continue;
    auto it = std::find_if(devs.begin(), devs.end(), [&](const Device& d) { return d.name == e.device; });
    if (it == devs.end())
      return makeError(ErrorCode::Semantic, "thermal element '" + e.name + "': device '" + e.device + "' has no losses", e.loc);
    ThermalNetwork::Junction j;
    j.device = e.device;
    j.node = e.b;
    j.loc = e.loc;
    const dev::ElementLoss& m = it->spec.main;
    j.chain = m.data && !m.data->thermal.empty() ? m.data->thermal : it->spec.chain;
    it->junction = int(junctions.size());
    junctions.push_back(std::move(j));
  }
  auto net = ThermalNetwork::build(c.thermal, junctions, c.options.temp);
  if (!net) return net.takeError();
  std::unique_ptr<LossMeter> m(new LossMeter(std::move(net.value())));
  m->dev_ = std::move(devs);
  m->ambient_ = c.options.temp;
  m->period_ = period > 0 ? period : 0.0;
  m->dt_ = c.options.thermalstep > 0 ? c.options.thermalstep : m->period_ > 0 ? m->period_ : span / 200.0;
  for (const ir::Device& d : c.devices) {
    if (d.letter != 'v') continue;
    const dev::Index b = model.branchOf(d.name);
    if (b <= 0) continue;
    m->src_.push_back({std::max<dev::Index>(0, model.nodeIndex(d.nodes[0])), std::max<dev::Index>(0, model.nodeIndex(d.nodes[1])), b, 0.0});
  }
  m->pWin_.assign(junctions.size(), 0.0);
  return m;
}

AnalysisHeader LossMeter::header(int index) const {
  AnalysisHeader h;
  h.type = AnalysisType::Losses;
  h.index = index;
  h.xName = "time";
  for (const char* q : {"p_cond", "p_sw", "e_cond", "e_sw", "tj"})
    for (const Device& d : dev_) h.signals.push_back({std::string(q) + "(" + d.name + ")", SignalKind::Voltage});
  for (const std::string& n : thermal_.nodeNames()) h.signals.push_back({"t(" + n + ")", SignalKind::Voltage});
  return h;
}

void LossMeter::begin(double t, const double* x, bool keepThermal) {
  if (!keepThermal) thermal_.reset();
  for (Device& d : dev_) {
    d.group->lossProbe(d.index, x, d.prev);
    d.cur = d.prev;
    d.tj = d.junction >= 0 ? thermal_.junction(std::size_t(d.junction)) : ambient_;
    d.tjMax = d.tj;
    d.eCondWin = d.eSwWin = d.eCond = d.eSw = d.eEl = d.tjInt = 0;
    d.events = 0;
  }
  for (Source& s : src_) s.e = 0;
  std::size_t need = 0;
  for (const Source& s : src_) need = std::max<std::size_t>(need, std::size_t(std::max({s.p, s.n, s.branch})) + 1);
  xPrev_.assign(x, x + need);
  t0_ = winStart_ = tPrev_ = t;
  nextWin_ = t + dt_;
  nextMark_ = period_ > 0 ? t + period_ : 1e300;
  marks_.clear();
  marks_.push_back(mark(t));
  rows_.clear();
  started_ = true;
}

// Adds the pieces [s0, s1] of the step from tPrev_ (prev probes, xPrev_) to the current one (cur probes, x1).
void LossMeter::accumulate(double h, double s0, double s1, const double* x1) {
  if (!(s1 > s0)) return;
  for (Device& d : dev_) {
    double e = 0;
    if (d.prev.mainOn) e += conductionIntegral(d.spec.main, d.prev.iMain, d.cur.iMain, d.tj, h, s0, s1);
    if (d.spec.hasDiode && d.prev.diodeOn) e += conductionIntegral(d.spec.diode, d.prev.iDiode, d.cur.iDiode, d.tj, h, s0, s1);
    d.eCondWin += e;
    d.eCond += e;
    const double p0 = d.prev.v * (d.prev.iMain - d.prev.iDiode), p1 = d.cur.v * (d.cur.iMain - d.cur.iDiode);
    d.eEl += h * ((s1 - s0) * p0 + 0.5 * (s1 * s1 - s0 * s0) * (p1 - p0));
  }
  for (Source& s : src_) {
    const double p0 = -(xPrev_[std::size_t(s.p)] - xPrev_[std::size_t(s.n)]) * xPrev_[std::size_t(s.branch)];
    const double p1 = -(x1[s.p] - x1[s.n]) * x1[s.branch];
    s.e += h * ((s1 - s0) * p0 + 0.5 * (s1 * s1 - s0 * s0) * (p1 - p0));
  }
}

void LossMeter::advance(double t, const double* x) {
  if (!started_) return;
  for (Device& d : dev_) d.group->lossProbe(d.index, x, d.cur);
  const double h = t - tPrev_;
  double s = 0;
  if (h > 0) {
    while (true) {
      const double tb = std::min(nextWin_, nextMark_);
      if (!(tb <= t + 1e-9 * dt_)) break;
      const double sb = std::clamp((tb - tPrev_) / h, s, 1.0);
      accumulate(h, s, sb, x);
      s = sb;
      if (tb == nextMark_) {
        marks_.push_back(mark(tb));
        if (marks_.size() > 2) marks_.erase(marks_.begin());
        nextMark_ = std::max(tb + period_, period_ * (std::floor(t / period_ * (1 + 1e-12)) + 1));
      }
      if (tb == nextWin_) {
        closeWindow(tb);
        nextWin_ = std::max(tb + dt_, dt_ * (std::floor(t / dt_ * (1 + 1e-12)) + 1));
      }
    }
    accumulate(h, s, 1.0, x);
  }
  for (Device& d : dev_) d.prev = d.cur;
  std::copy(x, x + xPrev_.size(), xPrev_.begin());
  tPrev_ = t;
}

void LossMeter::settled(double t, const double* x) {
  if (!started_) return;
  dev::LossProbe after;
  for (Device& d : dev_) {
    d.group->lossProbe(d.index, x, after);
    const dev::LossProbe& b = d.prev;
    double e = 0;
    const dev::ElementLoss& m = d.spec.main;
    if (!b.mainOn && after.mainOn) e += energy(m, true, std::fabs(after.iMain), std::fabs(b.v), d.tj), ++d.events;
    if (b.mainOn && !after.mainOn) e += energy(m, false, std::fabs(b.iMain), std::fabs(after.v), d.tj), ++d.events;
    if (d.spec.hasDiode) {
      const dev::ElementLoss& r = d.spec.diode;
      if (!b.diodeOn && after.diodeOn) e += energy(r, true, std::fabs(after.iDiode), std::fabs(b.v), d.tj), ++d.events;
      if (b.diodeOn && !after.diodeOn) e += energy(r, false, std::fabs(b.iDiode), std::fabs(after.v), d.tj), ++d.events;
    }
    d.eSwWin += e;
    d.eSw += e;
    d.prev = after;
    d.cur = after;
  }
  std::copy(x, x + xPrev_.size(), xPrev_.begin());
  tPrev_ = t;
}

void LossMeter::closeWindow(double t) {
  const double len = t - winStart_;
  if (!(len > 0)) return;
  for (std::size_t k = 0; k < pWin_.size(); ++k) pWin_[k] = 0;
  for (const Device& d : dev_)
    if (d.junction >= 0) pWin_[std::size_t(d.junction)] += (d.eCondWin + d.eSwWin) / len;
  thermal_.step(len, pWin_);
  rows_.push_back(t);
  const std::size_t n = dev_.size();
  const std::size_t base = rows_.size();
  rows_.resize(base + 5 * n);
  for (std::size_t k = 0; k < n; ++k) {
    Device& d = dev_[k];
    const double tjNew = d.junction >= 0 ? thermal_.junction(std::size_t(d.junction)) : ambient_;
    d.tjInt += 0.5 * (d.tj + tjNew) * len;
    d.tj = tjNew;
    d.tjMax = std::max(d.tjMax, tjNew);
    rows_[base + k] = d.eCondWin / len;
    rows_[base + n + k] = d.eSwWin / len;
    rows_[base + 2 * n + k] = d.eCond;
    rows_[base + 3 * n + k] = d.eSw;
    rows_[base + 4 * n + k] = d.tj;
    d.eCondWin = d.eSwWin = 0;
  }
  for (std::size_t k = 0; k < thermal_.nodeNames().size(); ++k) rows_.push_back(thermal_.node(k));
  winStart_ = t;
}

LossMeter::Mark LossMeter::mark(double t) const {
  Mark m;
  m.t = t;
  for (const Device& d : dev_) {
    m.e.push_back(d.eCond);
    m.e.push_back(d.eSw);
    m.e.push_back(d.eEl);
  }
  for (const Source& s : src_) m.e.push_back(s.e);
  return m;
}

double LossMeter::settleThermal() {
  const double T = tEnd_ - t0_;
  if (!(T > 0)) return 0.0;
  std::vector<double> p(pWin_.size(), 0.0);
  for (const Device& d : dev_)
    if (d.junction >= 0) p[std::size_t(d.junction)] += (d.eCond + d.eSw) / T;
  std::vector<double> before(p.size());
  for (std::size_t k = 0; k < p.size(); ++k) before[k] = thermal_.junction(k);
  thermal_.settle(p);
  double change = 0;
  for (std::size_t k = 0; k < p.size(); ++k) change = std::max(change, std::fabs(thermal_.junction(k) - before[k]));
  return change;
}

void LossMeter::finish(double t) {
  if (!started_) return;
  if (t - winStart_ > 1e-6 * dt_) closeWindow(t);
  tEnd_ = t;
}

void LossMeter::summary(RunStats& st) const {
  st.losses.clear();
  st.thermalStep = dt_;
  // the window: the last complete period, else the whole run
  Mark a = marks_.front(), b = mark(tEnd_);
  if (period_ > 0 && marks_.size() == 2) {
    a = marks_[0];
    b = marks_[1];
  } else if (period_ > 0 && marks_.size() == 1 && marks_[0].t > t0_) {
    a = mark(t0_);
    a.e.assign(a.e.size(), 0.0);
    b = marks_[0];
  } else {
    a.t = t0_;
    a.e.assign(b.e.size(), 0.0);
  }
  const double T = b.t - a.t;
  st.lossFrom = a.t;
  st.lossTo = b.t;
  double pel = 0, ploss = 0, pin = 0;
  for (std::size_t k = 0; k < dev_.size(); ++k) {
    const Device& d = dev_[k];
    DeviceLossStats s;
    s.device = d.name;
    if (T > 0) {
      s.conductionLoss = (b.e[3 * k] - a.e[3 * k]) / T;
      s.switchingLoss = (b.e[3 * k + 1] - a.e[3 * k + 1]) / T;
      pel += (b.e[3 * k + 2] - a.e[3 * k + 2]) / T;
    }
    ploss += s.conductionLoss + s.switchingLoss;
    s.conductionEnergy = d.eCond;
    s.switchingEnergy = d.eSw;
    s.tjMax = d.tjMax;
    s.tjAvg = winStart_ > t0_ ? d.tjInt / (winStart_ - t0_) : d.tj;
    s.switchingEvents = d.events;
    st.losses.push_back(std::move(s));
  }
  for (std::size_t k = 0; k < src_.size(); ++k) {
    const std::size_t j = 3 * dev_.size() + k;
    const double p = T > 0 ? (b.e[j] - a.e[j]) / T : 0.0;
    if (p > 0) pin += p;
  }
  st.inputPower = pin;
  st.lossPower = ploss;
  st.outputPower = pin > 0 ? pin - pel : 0.0;
  st.efficiency = pin > 0 && st.outputPower + ploss > 0 ? st.outputPower / (st.outputPower + ploss) : 0.0;
}

}  // namespace simcore::losses
