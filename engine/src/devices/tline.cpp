// T: lossless transmission line as ngspice's TRA, `Tname p1+ p1- p2+ p2- Z0=z TD=t`
// (or F=f [NL=n], TD = NL/F). Each port is Z0 in series with a source that
// replays the wave arriving from the other end TD earlier:
//   v1(t) = Z0*i1(t) + e1(t),  e1(t) = v2(t - TD) + Z0*i2(t - TD)     (and 1 <-> 2)
// with v the port voltage and i the current into the + terminal. An internal
// node int behind Z0 carries the source: the row of int is the source's
// equation v(int) - v(p-) = e (so no current unknown is needed: Z0*i =
// v(p+) - v(int)); the + and - rows get the port current.
//   DC:   e1 = v2 + (1 - gmin)*Z0*i2 (the line is a through connection; ngspice's gmin)
//   AC:   e1 = exp(-j*w*TD)*(v2 + Z0*i2)
//   tran: e1 from the accepted history of v2 + Z0*i2, quadratic (3-point
//         Lagrange) interpolation at t - TD as ngspice. A step longer than TD
//         (t - TD after the last accepted point t0) interpolates linearly between
//         t0's wave and this step's own, e1 = (1-a)*e1(t0) + a*(v2 + Z0*i2)(t),
//         a = (t - TD - t0)/(t - t0): implicit, so stable whatever the step.
//         ngspice extrapolates from the last three points there, which its step
//         rule keeps short (a slope change limits its step to TD); with steps of
//         thousands of delays (a 94 ps connector model in a 2 ms run) that
//         extrapolation grows without bound, and ngspice crawls at TD.
// Initial conditions (ngspice's TRA): with .tran ... uic the waves before t = 0
// are the ones of IC=v1,i1,v2,i2 (or V1= I1= V2= I2=; unset values are 0),
// e1 = v2 + Z0*i2, e2 = v1 + Z0*i1, whatever the node voltages are; without
// uic they come from the operating point and IC= is ignored.
// Breakpoints (ngspice's rule): when the slope of an end's history changes
// (|d1 - d2| >= REL*max(|d1|, |d2|) + ABS over the last two intervals), the
// time of the previous point plus TD, where that kink arrives at the other end.
#include <algorithm>
#include <cmath>
#include <complex>
#include <deque>
#include <set>

#include "devices/common.hpp"

namespace simcore::dev {
namespace {

struct HistoryPoint {
  double t, e1, e2;  // e1: the wave into port 1 (v2 + Z0*i2), e2: into port 2
};

class TLines final : public GroupBase {
 public:
  using GroupBase::GroupBase;
  bool linear() const override { return true; }

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    z0_.resize(n); td_.resize(n); rel_.resize(n); abs_.resize(n);
    nd_.resize(n); pos_.resize(n); hist_.assign(n, {}); breaks_.assign(n, {}); ic_.assign(n, {});
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      const ParamValues P = values(d);
      if (!P.hasInst("z0")) return deviceError(d, "transmission line '" + d.name + "': Z0 must be given");
      z0_[i] = P.inst("z0");
      if (!(z0_[i] > 0)) return deviceError(d, "transmission line '" + d.name + "': Z0 must be positive");
      td_[i] = P.hasInst("td") ? P.inst("td") : P.inst("nl") / P.inst("f");
      if (!(td_[i] > 0) || !std::isfinite(td_[i]))
        return deviceError(d, "transmission line '" + d.name + "': TD (or NL/F) must be positive");
      if (auto s = readIc(d, P, ic_[i]); !s) return s;
      rel_[i] = P.inst("rel");
      abs_[i] = P.inst("abs");
      auto& u = nd_[i];
      for (int k = 0; k < 4; ++k) u[k] = ctx.node(d.nodes[std::size_t(k)]);
      u[4] = ctx.addInternalNode(d, "int1");
      u[5] = ctx.addInternalNode(d, "int2");
    }
    return {};
  }

  // Local unknowns: 0 p1+, 1 p1-, 2 p2+, 3 p2-, 4 int1, 5 int2.
  void pattern(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const auto& u = nd_[i];
      auto& p = pos_[i];
      for (int port = 0; port < 2; ++port) {
        const Index pp = u[2 * port], pm = u[2 * port + 1], in = u[4 + port];
        const Index op = u[2 * (1 - port)], om = u[2 * (1 - port) + 1], oin = u[4 + (1 - port)];
        Pos* q = p[port].data();
        q[0] = b.entry(pp, pp); q[1] = b.entry(pp, in);  // port current (v(p+) - v(int))/Z0
        q[2] = b.entry(pm, pp); q[3] = b.entry(pm, in);
        q[4] = b.entry(in, in); q[5] = b.entry(in, pm);  // source row: v(int) - v(p-) - e
        q[6] = b.entry(in, op); q[7] = b.entry(in, om); q[8] = b.entry(in, oin);  // e at DC, AC
      }
    }
  }

  void load(LoadContext& c) override {
    if (c.mode == AnalysisMode::DcOp) inTran_ = false;
    if (recordsOnly(c.mode)) {
      // the first TranInit after a DC solution is the transient's initial point (later
      // ones record the solutions of linear steps)
      if (c.mode == AnalysisMode::TranInit && (!inTran_ || c.uic))  // uic: no DC load before it
        for (std::size_t i = 0; i < inst_.size(); ++i) {
          if (c.uic) startHistory(i, icWaves(i));
          else startHistory(i, waves(i, c.x, 0.0));
        }
      inTran_ = true;
      return;
    }
    inTran_ = inTran_ || c.mode == AnalysisMode::Tran;
    const bool dc = c.mode == AnalysisMode::DcOp;
    const double a = 1.0 - (c.options ? c.options->gmin : 1e-12);
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const auto& u = nd_[i];
      const double g = 1.0 / z0_[i];
      const double* x = c.x;
      double e[2] = {0, 0};
      // a step longer than the delay: the arriving wave at t - TD lies inside the
      // step, between the last accepted point and this one (implicit, see above)
      double alpha = 0;
      if (!dc) {
        const auto& h = hist_[i];
        const double s = c.time - td_[i];
        if (!h.empty() && s > h.back().t && c.time > h.back().t) {
          alpha = (s - h.back().t) / (c.time - h.back().t);
          e[0] = (1.0 - alpha) * h.back().e1;
          e[1] = (1.0 - alpha) * h.back().e2;
        } else {
          const auto w = wavesAt(i, s);
          e[0] = w.e1;
          e[1] = w.e2;
        }
      }
      for (int port = 0; port < 2; ++port) {
        const Index pp = u[2 * port], pm = u[2 * port + 1], in = u[4 + port];
        const Index op = u[2 * (1 - port)], om = u[2 * (1 - port) + 1], oin = u[4 + (1 - port)];
        const Pos* q = pos_[i][port].data();
        const double cur = g * (x[pp] - x[in]);
        double row = x[in] - x[pm];
        if (dc) row -= (x[op] - x[om]) + a * (x[op] - x[oin]);
        else row -= e[port] + alpha * (2.0 * x[op] - x[om] - x[oin]);
        c.f[pp] += cur;
        c.f[pm] -= cur;
        c.f[in] += row;
        if (!c.stampMatrix) continue;
        c.A[q[0]] += g; c.A[q[1]] -= g;
        c.A[q[2]] -= g; c.A[q[3]] += g;
        c.A[q[4]] += 1.0; c.A[q[5]] -= 1.0;
        if (dc) {
          c.A[q[6]] -= 1.0 + a; c.A[q[7]] += 1.0; c.A[q[8]] += a;
        } else if (alpha > 0) {
          c.A[q[6]] -= 2.0 * alpha; c.A[q[7]] += alpha; c.A[q[8]] += alpha;
        }
      }
    }
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const double g = 1.0 / z0_[i];
      const std::complex<double> k = std::polar(1.0, -c.omega * td_[i]);
      for (int port = 0; port < 2; ++port) {
        const Pos* q = pos_[i][port].data();
        c.A[q[0]] += g; c.A[q[1]] -= g;
        c.A[q[2]] -= g; c.A[q[3]] += g;
        c.A[q[4]] += 1.0; c.A[q[5]] -= 1.0;
        // e = k*(v(o+) - v(o-) + v(o+) - v(oint))
        c.A[q[6]] -= 2.0 * k; c.A[q[7]] += k; c.A[q[8]] += k;
      }
    }
  }

  void accept(const double* x, double time) override {
    if (!inTran_) return;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      auto& h = hist_[i];
      if (h.empty() || !(time > h.back().t)) continue;
      // drop points no interpolation at or after time - TD needs (keep three)
      std::size_t k = 2;
      while (k < h.size() && time - td_[i] > h[k].t) ++k;
      for (std::size_t drop = k - 2; drop > 0; --drop) h.pop_front();
      h.push_back(waves(i, x, time));
      const std::size_t n = h.size();
      const auto& p1 = h[n - 1];
      const auto& p2 = h[n - 2];
      const auto& p3 = h[n - 3];
      const double dt1 = p1.t - p2.t, dt2 = p2.t - p3.t;
      if (dt1 > 0 && dt2 > 0) {
        const double d1 = (p1.e1 - p2.e1) / dt1, d2 = (p2.e1 - p3.e1) / dt2;
        const double d3 = (p1.e2 - p2.e2) / dt1, d4 = (p2.e2 - p3.e2) / dt2;
        if (std::fabs(d1 - d2) >= rel_[i] * std::max(std::fabs(d1), std::fabs(d2)) + abs_[i] ||
            std::fabs(d3 - d4) >= rel_[i] * std::max(std::fabs(d3), std::fabs(d4)) + abs_[i])
          breaks_[i].insert(p2.t + td_[i]);
      }
      auto& bs = breaks_[i];
      bs.erase(bs.begin(), bs.upper_bound(time));
    }
  }

  double nextBreakpoint(double t) const override {
    double bp = 1e300;
    for (const auto& bs : breaks_) {
      auto it = bs.upper_bound(t);
      if (it != bs.end()) bp = std::min(bp, *it);
    }
    return bp;
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const auto& u : nd_) {
      out.emplace_back(u[0], u[4]);
      out.emplace_back(u[2], u[5]);
      out.emplace_back(u[4], u[1]);  // the source behind Z0
      out.emplace_back(u[5], u[3]);
      out.emplace_back(u[0], u[2]);  // at DC the line connects its ends
      out.emplace_back(u[1], u[3]);
    }
  }

  // The source rows force v(int) - v(p-): two voltage edges per line.
  void voltageEdges(std::vector<std::pair<Index, Index>>& out, std::vector<int>& deviceIdx) const override {
    for (std::size_t i = 0; i < nd_.size(); ++i) {
      out.emplace_back(nd_[i][4], nd_[i][1]);
      deviceIdx.push_back(int(i));
      out.emplace_back(nd_[i][5], nd_[i][3]);
      deviceIdx.push_back(int(i));
    }
  }

 private:
  // The waves leaving each end at x: into port 1 comes v2 + Z0*i2 = 2v(p2+) - v(p2-) - v(int2).
  HistoryPoint waves(std::size_t i, const double* x, double t) const {
    const auto& u = nd_[i];
    return {t, 2.0 * x[u[2]] - x[u[3]] - x[u[5]], 2.0 * x[u[0]] - x[u[1]] - x[u[4]]};
  }

  // The waves of the initial conditions (uic).
  HistoryPoint icWaves(std::size_t i) const {
    const auto& ic = ic_[i];  // v1 i1 v2 i2
    return {0.0, ic[2] + z0_[i] * ic[3], ic[0] + z0_[i] * ic[1]};
  }

  // IC=v1[,i1[,v2[,i2]]] and the single V1= I1= V2= I2= (which win over IC=).
  static Status readIc(const ir::Device& d, const ParamValues& P, std::array<double, 4>& ic) {
    ic = {0, 0, 0, 0};
    for (const auto& p : d.params) {
      if (p.name != "ic") continue;
      const std::vector<double> v = p.values.empty() ? std::vector<double>{p.value} : p.values;
      if (v.size() > 4)
        return makeError(ErrorCode::Semantic,
                         "transmission line '" + d.name + "': IC= takes at most 4 values (v1, i1, v2, i2), not " +
                             std::to_string(v.size()),
                         p.loc);
      for (std::size_t k = 0; k < v.size(); ++k) ic[k] = v[k];
    }
    const char* names[4] = {"v1", "i1", "v2", "i2"};
    for (int k = 0; k < 4; ++k)
      if (P.hasInst(names[k])) ic[std::size_t(k)] = P.inst(names[k]);
    return {};
  }

  // The history of the initial point, as ngspice: the waves w at -2TD, -TD and 0.
  void startHistory(std::size_t i, const HistoryPoint& w) {
    hist_[i] = {{-2.0 * td_[i], w.e1, w.e2}, {-td_[i], w.e1, w.e2}, {0.0, w.e1, w.e2}};
    breaks_[i].clear();
  }

  // Waves at time s by 3-point Lagrange interpolation over the points around s
  // (the last three when s lies beyond the history).
  HistoryPoint wavesAt(std::size_t i, double s) const {
    const auto& h = hist_[i];
    if (h.size() < 3) return h.empty() ? HistoryPoint{s, 0, 0} : h.back();
    std::size_t k = 2;
    while (k + 1 < h.size() && h[k].t < s) ++k;
    const HistoryPoint &a = h[k - 2], &b = h[k - 1], &cpt = h[k];
    const double t1 = a.t, t2 = b.t, t3 = cpt.t;
    if (t2 == t1 || t3 == t2 || t3 == t1) return cpt;
    const double f1 = (s - t2) * (s - t3) / ((t1 - t2) * (t1 - t3));
    const double f2 = (s - t1) * (s - t3) / ((t2 - t1) * (t2 - t3));
    const double f3 = (s - t1) * (s - t2) / ((t3 - t1) * (t3 - t2));
    return {s, f1 * a.e1 + f2 * b.e1 + f3 * cpt.e1, f1 * a.e2 + f2 * b.e2 + f3 * cpt.e2};
  }

  std::vector<double> z0_, td_, rel_, abs_;
  std::vector<std::array<Index, 6>> nd_;
  std::vector<std::array<std::array<Pos, 9>, 2>> pos_;
  std::vector<std::deque<HistoryPoint>> hist_;
  std::vector<std::set<double>> breaks_;
  std::vector<std::array<double, 4>> ic_;  // v1 i1 v2 i2 (uic)
  bool inTran_ = false;  // between a transient's initial point and the next DC load
};

constexpr ParamSpec kParams[] = {
    iparam("z0", kNoDefault, "Ω", "characteristic impedance (required)").aka("zo").shown("required"),
    iparam("td", kNoDefault, "s", "delay").shown("NL/F"),
    iparam("f", 1e9, "Hz", "frequency at which the line is NL wavelengths long (when TD is not given)"),
    iparam("nl", 0.25, "", "normalised length at F"),
    iparam("ic", 0.0, "V, A", "initial conditions v1, i1, v2, i2 (comma-separated), used with .tran ... uic")
        .vec(),
    iparam("v1", 0.0, "V", "initial voltage at port 1 (uic)"),
    iparam("i1", 0.0, "A", "initial current into port 1 (uic)"),
    iparam("v2", 0.0, "V", "initial voltage at port 2 (uic)"),
    iparam("i2", 0.0, "A", "initial current into port 2 (uic)"),
    iparam("rel", 1.0, "", "relative slope change of a wave that sets a breakpoint one delay later"),
    iparam("abs", 1.0, "V/s", "absolute slope change that sets a breakpoint"),
};

}  // namespace

extern const DeviceKind kTLineKind;
constexpr DeviceKind kTLineKind{
    .letter = 't', .name = "transmission line", .form = CardForm::ModelCard, .minNodes = 4, .maxNodes = 4,
    .params = kParams, .valueDoc = "Tname p1+ p1- p2+ p2- Z0=value TD=value | F=value [NL=value] [IC=v1,i1,v2,i2]",
    .create = makeGroup<TLines, kTLineKind>};

}  // namespace simcore::dev
