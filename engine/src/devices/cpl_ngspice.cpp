// P: coupled lines by ngspice 39's CPL method (the default; the modal decomposition
// into exact lines is cpl.cpp's, with the model flag MODAL). Fits: cpl_fit.hpp.
//
// Unknowns: the conductor nodes in_k, out_k (voltages against ground; the reference
// nodes are not connected, as ngspice) and the currents j1_k, j2_k into the line at
// each end (internal unknowns `<name>#i1_k`, `<name>#i2_k`).
//   DC: j1_k + j2_k = 0 and v_in,k - v_out,k - R_kk len j1_k = 0 (R_kk raised to 1e-4).
//   every analysis but AC: 0.1 gmin added at (in,in), (out,out), (in,out), (out,in)
//     of each conductor (ngspice's stamp: it holds an unconnected conductor at 0 V).
//   tran, at a step h from the last accepted time: for end 1, row j1_j,
//     -j1_j + sum_k (h1[j][k].aten + h/2 h1[j][k].sum) v_in,k - ff_j = 0,
//     ff_j = own-end history of h1[j][k] on v_in,k (as TXL's: exact for a voltage linear
//            between the accepted points, and the same slope scaling as ngspice)
//          + sum_k,m (h3[j][k][m] on v_out,k and h2[j][k][m] on j2_k, delayed by T_m:
//            aten y(t2 - T_m) + trapezoidal recursive convolutions),
//     end 2 the same with in and out exchanged. Delayed values, the picosecond clock,
//     the part of a delayed value past the last point taken at the new point (for
//     the matrix, only the last such mode's entries count, as in ngspice), the
//     history before 0 (voltages at the operating point, currents 0) and the
//     starting convolutions are TXL's (txl.cpp).
//   AC: the same fitted functions in s (ngspice 39 has no AC model for CPL).
// Step control: no breakpoints, no step limit; once an accepted step is longer than
// the shortest modal delay T, TMAX is 0.9 T (ngspice's CPLload); the event engine
// keeps the step below T.
#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <deque>
#include <memory>
#include <string>

#include "devices/common.hpp"
#include "devices/cpl_card.hpp"
#include "devices/cpl_fit.hpp"

namespace simcore::dev {

namespace {

using cplfit::Fit;
using cplfit::Function;
using Cx = std::complex<double>;

std::int64_t picoseconds(double t) { return std::int64_t(t * 1e12); }

struct Sample {
  std::int64_t t = 0;
  std::vector<double> vi, vo, ji, jo;
};

// Convolution states of one function: [term] for the in-port and the out-port quantity.
struct Conv {
  std::array<double, 3> in{}, out{};
};

struct Terms {
  double time = NAN;
  std::size_t points = 0;
  std::vector<double> a;       // [j n + k]: aten + h/2 sum of h1
  std::vector<double> f3, f2;  // [j n + k]: the last delayed-at-the-new-point mode's entries
  std::vector<double> ratio;   // per mode
  std::vector<double> ff, gg;  // per conductor
  std::vector<Conv> w2, w3;    // advanced
  std::vector<std::array<double, 3>> e1;  // per h1 function: exp(x h) (pair: e0, Re, Im)
};

struct Line {
  std::shared_ptr<const Fit> fit;
  int n = 0;
  std::vector<Index> in, out, j1, j2;
  std::vector<Pos> pos;  // see pattern()
  // transient state
  std::deque<Sample> hist;
  std::vector<double> dcIn, dcOut;
  double tAcc = 0;
  std::vector<Conv> w1, w2, w3;
  Terms cache;
};

class NgspiceCpl final : public GroupBase {
 public:
  using GroupBase::GroupBase;
  bool linear() const override { return false; }

  Status setup(SetupContext& ctx) override {
    line_.assign(inst_.size(), {});
    gmin_ = ctx.options().gmin;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      const ir::Model* m = ctx.model(d);
      if (!m) return deviceError(d, "coupled lines '" + d.name + "' need a CPL model");
      if (auto s = checkModel(*m); !s) return s;
      auto fail = [&](const std::string& what) {
        return Error(makeError(ErrorCode::Semantic, "CPL model '" + m->name + "' (line '" + d.name + "'): " + what, d.loc));
      };
      auto card = readCplCard(d, *m, values(d, m));
      if (!card) return card.takeError();
      const int n = card.value().n;
      const auto& mats = card.value().rlgc;
      const double len = card.value().len;
      Fit made = cplfit::fitLines(mats[0], mats[1], mats[2], mats[3], len);
      if (!made.error.empty()) return fail(made.error);
      Line& ln = line_[i];
      ln.fit = std::make_shared<const Fit>(std::move(made));
      ln.n = n;
      for (int k = 0; k < n; ++k) {
        ln.in.push_back(ctx.node(d.nodes[std::size_t(k)]));
        ln.out.push_back(ctx.node(d.nodes[std::size_t(n + 1 + k)]));
      }
      for (int k = 0; k < n; ++k) {
        ln.j1.push_back(ctx.addInternalNode(d, "i1_" + std::to_string(k)));
        ln.j2.push_back(ctx.addInternalNode(d, "i2_" + std::to_string(k)));
      }
    }
    return {};
  }

  // Per conductor m: KCL (in_m, j1_m), (out_m, j2_m); gmin (in,in) (out,out) (out,in) (in,out);
  // then per (m, p): rows j1_m and j2_m over in_p, out_p, j1_p, j2_p.
  void pattern(PatternBuilder& b) override {
    for (Line& ln : line_) {
      ln.pos.clear();
      for (int m = 0; m < ln.n; ++m) {
        const std::size_t um = std::size_t(m);
        ln.pos.push_back(b.entry(ln.in[um], ln.j1[um]));
        ln.pos.push_back(b.entry(ln.out[um], ln.j2[um]));
        ln.pos.push_back(b.entry(ln.in[um], ln.in[um]));
        ln.pos.push_back(b.entry(ln.out[um], ln.out[um]));
        ln.pos.push_back(b.entry(ln.out[um], ln.in[um]));
        ln.pos.push_back(b.entry(ln.in[um], ln.out[um]));
      }
      for (int m = 0; m < ln.n; ++m)
        for (int p = 0; p < ln.n; ++p)
          for (int r = 0; r < 2; ++r) {
            const Index row = r == 0 ? ln.j1[std::size_t(m)] : ln.j2[std::size_t(m)];
            ln.pos.push_back(b.entry(row, ln.in[std::size_t(p)]));
            ln.pos.push_back(b.entry(row, ln.out[std::size_t(p)]));
            ln.pos.push_back(b.entry(row, ln.j1[std::size_t(p)]));
            ln.pos.push_back(b.entry(row, ln.j2[std::size_t(p)]));
          }
    }
  }

  void load(LoadContext& c) override {
    if (c.mode == AnalysisMode::DcOp) inTran_ = false;
    if (recordsOnly(c.mode)) {
      if (c.mode == AnalysisMode::TranInit && (!inTran_ || c.uic)) {  // uic: no DC load before it
        for (Line& ln : line_) start(ln, c.x, c.time);
        cap_ = 1e300;
      }
      inTran_ = true;
      return;
    }
    inTran_ = inTran_ || c.mode == AnalysisMode::Tran;
    const bool dc = c.mode == AnalysisMode::DcOp;
    const double g = 0.1 * gmin_;
    const double* x = c.x;
    for (Line& ln : line_) {
      const int n = ln.n;
      for (int m = 0; m < n; ++m) {
        const std::size_t um = std::size_t(m);
        const Pos* q = &ln.pos[um * 6];
        c.f[ln.in[um]] += x[ln.j1[um]] + g * (x[ln.in[um]] + x[ln.out[um]]);
        c.f[ln.out[um]] += x[ln.j2[um]] + g * (x[ln.in[um]] + x[ln.out[um]]);
        if (c.stampMatrix) {
          c.A[q[0]] += 1.0;
          c.A[q[1]] += 1.0;
          for (int k = 2; k < 6; ++k) c.A[q[k]] += g;
        }
      }
      const Terms* k = dc ? nullptr : &terms(ln, c.time);
      for (int m = 0; m < n; ++m)
        for (int p = 0; p < n; ++p)
          for (int r = 0; r < 2; ++r) {
            // row r of conductor m over (in_p, out_p, j1_p, j2_p)
            std::array<double, 4> row{};
            const std::size_t mp = std::size_t(m * n + p);
            if (dc) {
              if (p == m) {
                if (r == 0) row = {0.0, 0.0, 1.0, 1.0};
                else row = {1.0, -1.0, -ln.fit->rdc[std::size_t(m)], 0.0};
              }
            } else {
              const double self = p == m ? -1.0 : 0.0;
              if (r == 0) row = {k->a[mp], -k->f3[mp], self, -k->f2[mp]};
              else row = {-k->f3[mp], k->a[mp], -k->f2[mp], self};
            }
            const Index rowIdx = r == 0 ? ln.j1[std::size_t(m)] : ln.j2[std::size_t(m)];
            const std::size_t up = std::size_t(p);
            c.f[rowIdx] += row[0] * x[ln.in[up]] + row[1] * x[ln.out[up]] + row[2] * x[ln.j1[up]] + row[3] * x[ln.j2[up]];
            if (c.stampMatrix) {
              const Pos* q = &ln.pos[std::size_t(n) * 6 + (mp * 2 + std::size_t(r)) * 4];
              for (int e = 0; e < 4; ++e) c.A[q[e]] += row[std::size_t(e)];
            }
          }
      if (!dc)
        for (int m = 0; m < n; ++m) {
          c.f[ln.j1[std::size_t(m)]] -= k->ff[std::size_t(m)];
          c.f[ln.j2[std::size_t(m)]] -= k->gg[std::size_t(m)];
        }
    }
  }

  void acLoad(AcContext& c) override {
    for (Line& ln : line_) {
      const int n = ln.n;
      const Fit& F = *ln.fit;
      const Cx s(0.0, c.omega);
      auto value = [&](const Function& f) {
        Cx v = f.aten;
        if (f.pair) {
          const Cx r(f.t[1].c, f.t[2].c), p(f.t[1].x, f.t[2].x);
          v += f.t[0].c / (s - f.t[0].x) + r / (s - p) + std::conj(r) / (s - std::conj(p));
        } else {
          for (const auto& t : f.t) v += t.c / (s - t.x);
        }
        return v;
      };
      for (int m = 0; m < n; ++m) {
        const Pos* q = &ln.pos[std::size_t(m) * 6];
        c.A[q[0]] += 1.0;
        c.A[q[1]] += 1.0;
      }
      const bool dc = !(c.omega > 0);
      for (int m = 0; m < n; ++m)
        for (int p = 0; p < n; ++p) {
          const std::size_t mp = std::size_t(m * n + p);
          std::array<std::array<Cx, 4>, 2> rows{};
          if (dc) {
            if (p == m) {
              rows[0] = {0.0, 0.0, 1.0, 1.0};
              rows[1] = {1.0, -1.0, -F.rdc[std::size_t(m)], 0.0};
            }
          } else {
            Cx y3 = 0.0, y2 = 0.0;
            for (int l = 0; l < n; ++l) {
              const Cx delay = std::exp(-s * F.delay[std::size_t(l)]);
              y3 += value(F.h3[mp * std::size_t(n) + std::size_t(l)]) * delay;
              y2 += value(F.h2[mp * std::size_t(n) + std::size_t(l)]) * delay;
            }
            const Cx self = p == m ? -1.0 : 0.0;
            const Cx y1 = value(F.h1[mp]);
            rows[0] = {y1, -y3, self, -y2};
            rows[1] = {-y3, y1, -y2, self};
          }
          for (int r = 0; r < 2; ++r) {
            const Pos* q = &ln.pos[std::size_t(n) * 6 + (mp * 2 + std::size_t(r)) * 4];
            for (int e = 0; e < 4; ++e) c.A[q[e]] += rows[std::size_t(r)][std::size_t(e)];
          }
        }
    }
  }

  void accept(const double* x, double time) override {
    if (!inTran_) return;
    for (Line& ln : line_) {
      if (ln.hist.empty() || !(time > ln.tAcc)) continue;
      const Fit& F = *ln.fit;
      const int n = ln.n;
      const double tmin = *std::min_element(F.delay.begin(), F.delay.end());
      if (time - ln.tAcc > tmin) cap_ = std::min(cap_, 0.9 * tmin);
      const std::int64_t T = picoseconds(time);
      if (T <= ln.hist.back().t) {
        ln.tAcc = time;
        continue;
      }
      const Terms k = terms(ln, time);
      const Sample prev = ln.hist.back();
      Sample now;
      now.t = T;
      for (int m = 0; m < n; ++m) {
        now.vi.push_back(x[ln.in[std::size_t(m)]]);
        now.vo.push_back(x[ln.out[std::size_t(m)]]);
        now.ji.push_back(x[ln.j1[std::size_t(m)]]);
        now.jo.push_back(x[ln.j2[std::size_t(m)]]);
      }
      ln.w2 = k.w2;
      ln.w3 = k.w3;
      ln.hist.push_back(now);
      ln.tAcc = time;
      ln.cache = {};
      const double delta = double(T - prev.t);
      for (int j = 0; j < n; ++j)
        for (int kk = 0; kk < n; ++kk) {
          const std::size_t jk = std::size_t(j * n + kk);
          const Function& f = F.h1[jk];
          Conv& w = ln.w1[jk];
          const auto& e = k.e1[jk];
          for (int port = 0; port < 2; ++port) {
            const double a = port == 0 ? now.vi[std::size_t(kk)] : now.vo[std::size_t(kk)];
            const double a0 = port == 0 ? prev.vi[std::size_t(kk)] : prev.vo[std::size_t(kk)];
            double b = (a - a0) / delta;
            auto& cv = port == 0 ? w.in : w.out;
            if (f.pair) {
              // the pair by the trapezoidal rule from the previous value, then term 0 as below
              const Cx E(e[1], e[2]), r(f.t[1].c, f.t[2].c);
              const double hh = 0.5e-12 * delta;
              const Cx v = Cx(cv[1], cv[2]) * E + hh * (r * E * (a - b * delta) + r * a);
              cv[1] = v.real();
              cv[2] = v.imag();
              const double t = f.t[0].c / f.t[0].x;
              b *= t;
              cv[0] = (cv[0] - b * delta) * e[0] + (e[0] - 1.0) * (a * t + 1e12 * b / f.t[0].x);
            } else {
              for (int i = 0; i < 3; ++i) {
                const double t = f.t[std::size_t(i)].c / f.t[std::size_t(i)].x;
                b *= t;
                cv[std::size_t(i)] = (cv[std::size_t(i)] - b * delta) * e[std::size_t(i)] +
                                     (e[std::size_t(i)] - 1.0) * (a * t + 1e12 * b / f.t[std::size_t(i)].x);
              }
            }
          }
        }
      // the part of the delayed values taken at the new point
      const double hh = 0.5e-12 * delta;
      for (int m = 0; m < n; ++m) {
        const double ratio = k.ratio[std::size_t(m)];
        if (!(ratio > 0)) continue;
        for (int j = 0; j < n; ++j)
          for (int kk = 0; kk < n; ++kk) {
            const std::size_t idx = std::size_t((j * n + kk) * n + m);
            const double vi = hh * ratio * now.vi[std::size_t(kk)], vo = hh * ratio * now.vo[std::size_t(kk)];
            const double ji = hh * ratio * now.ji[std::size_t(kk)], jo = hh * ratio * now.jo[std::size_t(kk)];
            for (int i = 0; i < 3; ++i) {
              ln.w3[idx].in[std::size_t(i)] += vi * F.h3[idx].t[std::size_t(i)].c;
              ln.w3[idx].out[std::size_t(i)] += vo * F.h3[idx].t[std::size_t(i)].c;
              ln.w2[idx].in[std::size_t(i)] += ji * F.h2[idx].t[std::size_t(i)].c;
              ln.w2[idx].out[std::size_t(i)] += jo * F.h2[idx].t[std::size_t(i)].c;
            }
          }
      }
      // drop the points no delayed value needs again
      const double tmax = *std::max_element(F.delay.begin(), F.delay.end());
      const double ta = double(T) - tmax * 1e12;
      while (ln.hist.size() > 2 && double(ln.hist[1].t) < ta) ln.hist.pop_front();
    }
  }

  double maxStep() const override {
    double h = 1e300;
    for (const Line& ln : line_)
      for (double t : ln.fit->delay) h = std::min(h, t);
    return h;
  }
  double spiceMaxStep() const override { return 1e300; }
  double tmaxCap() const override { return cap_; }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const Line& ln : line_)
      for (int m = 0; m < ln.n; ++m) {
        const std::size_t um = std::size_t(m);
        out.emplace_back(ln.in[um], 0);  // 0.1 gmin (in + out) to ground, and the line joins the ends
        out.emplace_back(ln.in[um], ln.out[um]);
        out.emplace_back(ln.j1[um], ln.in[um]);
        out.emplace_back(ln.j2[um], ln.out[um]);
      }
  }

 private:
  void start(Line& ln, const double* x, double time) {
    const int n = ln.n;
    const Fit& F = *ln.fit;
    ln.dcIn.assign(std::size_t(n), 0.0);
    ln.dcOut.assign(std::size_t(n), 0.0);
    Sample s0;
    for (int m = 0; m < n; ++m) {
      ln.dcIn[std::size_t(m)] = x[ln.in[std::size_t(m)]];
      ln.dcOut[std::size_t(m)] = x[ln.out[std::size_t(m)]];
    }
    s0.vi = ln.dcIn;
    s0.vo = ln.dcOut;
    s0.ji.assign(std::size_t(n), 0.0);  // (ngspice starts CPL's currents at 0)
    s0.jo.assign(std::size_t(n), 0.0);
    ln.hist.clear();
    ln.hist.push_back(s0);
    ln.tAcc = time;
    ln.cache = {};
    const std::size_t nn = std::size_t(n);
    ln.w1.assign(nn * nn, {});
    ln.w2.assign(nn * nn * nn, {});
    ln.w3.assign(nn * nn * nn, {});
    auto steady = [&](const Function& f, Conv& w, double vin, double vout) {
      // the convolution of a constant from -infinity: -v c / x (a pair: complex)
      w.in[0] = -vin * f.t[0].c / f.t[0].x;
      w.out[0] = -vout * f.t[0].c / f.t[0].x;
      if (f.pair) {
        const Cx q = Cx(f.t[1].c, f.t[2].c) / Cx(f.t[1].x, f.t[2].x);
        w.in[1] = -vin * q.real();
        w.in[2] = -vin * q.imag();
        w.out[1] = -vout * q.real();
        w.out[2] = -vout * q.imag();
      } else {
        for (int i = 1; i < 3; ++i) {
          w.in[std::size_t(i)] = -vin * f.t[std::size_t(i)].c / f.t[std::size_t(i)].x;
          w.out[std::size_t(i)] = -vout * f.t[std::size_t(i)].c / f.t[std::size_t(i)].x;
        }
      }
    };
    for (int j = 0; j < n; ++j)
      for (int k = 0; k < n; ++k) {
        const std::size_t jk = std::size_t(j * n + k);
        steady(F.h1[jk], ln.w1[jk], ln.dcIn[std::size_t(k)], ln.dcOut[std::size_t(k)]);
        for (int m = 0; m < n; ++m) {
          const std::size_t idx = jk * nn + std::size_t(m);
          steady(F.h3[idx], ln.w3[idx], ln.dcIn[std::size_t(k)], ln.dcOut[std::size_t(k)]);
        }
      }
  }

  struct Delayed {
    // [mode][conductor]: values at ta (1) and tb (2)
    std::vector<std::vector<double>> v1i, v2i, j1i, j2i, v1o, v2o, j1o, j2o;
    std::vector<double> ratio;
  };
  Delayed delayed(const Line& ln, std::int64_t t1, std::int64_t t2) const {
    const int n = ln.n;
    const std::size_t nn = std::size_t(n);
    Delayed d;
    auto blank = [&](std::vector<std::vector<double>>& v) { v.assign(nn, std::vector<double>(nn, 0.0)); };
    for (auto* v : {&d.v1i, &d.v2i, &d.j1i, &d.j2i, &d.v1o, &d.v2o, &d.j1o, &d.j2o}) blank(*v);
    d.ratio.assign(nn, 0.0);
    const auto& h = ln.hist;
    auto at = [&](double t, std::size_t mode, bool second) {
      std::size_t k = 1;
      while (k + 1 < h.size() && double(h[k].t) < t) ++k;
      const Sample &a = h[k - 1], &b = h[k];
      const double f = (t - double(a.t)) / double(b.t - a.t);
      for (std::size_t j = 0; j < nn; ++j) {
        (second ? d.v2i : d.v1i)[mode][j] = a.vi[j] + f * (b.vi[j] - a.vi[j]);
        (second ? d.v2o : d.v1o)[mode][j] = a.vo[j] + f * (b.vo[j] - a.vo[j]);
        (second ? d.j2i : d.j1i)[mode][j] = a.ji[j] + f * (b.ji[j] - a.ji[j]);
        (second ? d.j2o : d.j1o)[mode][j] = a.jo[j] + f * (b.jo[j] - a.jo[j]);
      }
    };
    for (std::size_t i = 0; i < nn; ++i) {
      const double tau = ln.fit->delay[i] * 1e12;
      const double ta = double(t1) - tau, tb = double(t2) - tau;
      if (tb <= 0) {
        d.v1i[i] = d.v2i[i] = ln.dcIn;
        d.v1o[i] = d.v2o[i] = ln.dcOut;
        continue;
      }
      if (ta <= 0) {
        d.v1i[i] = ln.dcIn;
        d.v1o[i] = ln.dcOut;
      } else {
        at(ta, i, false);
      }
      if (tb > double(t1)) {
        d.ratio[i] = (tb - double(t1)) / double(t2 - t1);
        const Sample& b = h.back();
        const double f = 1.0 - d.ratio[i];
        for (std::size_t j = 0; j < nn; ++j) {
          d.v2i[i][j] = b.vi[j] * f;
          d.v2o[i][j] = b.vo[j] * f;
          d.j2i[i][j] = b.ji[j] * f;
          d.j2o[i][j] = b.jo[j] * f;
        }
      } else {
        at(tb, i, true);
      }
    }
    return d;
  }

  // w' = E w + h/2 c (E y1 + y2) per term (a pair in complex arithmetic)
  static void advance(std::array<double, 3>& w, const Function& f, double h, double y1, double y2) {
    const double hh = 0.5 * h;
    if (f.pair) {
      const Cx E = std::exp(Cx(f.t[1].x, f.t[2].x) * h), r(f.t[1].c, f.t[2].c);
      const Cx v = Cx(w[1], w[2]) * E + hh * r * (y1 * E + y2);
      w[1] = v.real();
      w[2] = v.imag();
      const double e = std::exp(f.t[0].x * h);
      w[0] = w[0] * e + hh * f.t[0].c * (y1 * e + y2);
      return;
    }
    for (std::size_t i = 0; i < 3; ++i) {
      const double e = std::exp(f.t[i].x * h);
      w[i] = w[i] * e + hh * f.t[i].c * (y1 * e + y2);
    }
  }
  static double total(const std::array<double, 3>& w, const Function& f) {
    return f.pair ? w[0] + 2.0 * w[1] : w[0] + w[1] + w[2];
  }

  const Terms& terms(Line& ln, double t) {
    Terms& k = ln.cache;
    if (k.time == t && k.points == ln.hist.size()) return k;
    k = {};
    k.time = t;
    k.points = ln.hist.size();
    const Fit& F = *ln.fit;
    const int n = ln.n;
    const std::size_t nn = std::size_t(n);
    const double h = t - ln.tAcc, hh = 0.5 * h;
    const std::int64_t t1 = std::max(picoseconds(ln.tAcc), ln.hist.back().t), t2 = picoseconds(t);
    const Sample& last = ln.hist.back();
    k.a.assign(nn * nn, 0.0);
    k.f3.assign(nn * nn, 0.0);
    k.f2.assign(nn * nn, 0.0);
    k.ff.assign(nn, 0.0);
    k.gg.assign(nn, 0.0);
    k.e1.assign(nn * nn, {});
    for (int j = 0; j < n; ++j)
      for (int kk = 0; kk < n; ++kk) {
        const std::size_t jk = std::size_t(j * n + kk);
        const Function& f = F.h1[jk];
        const auto& w = ln.w1[jk];
        k.a[jk] = f.aten + hh * f.sum;
        const double vi = last.vi[std::size_t(kk)], vo = last.vo[std::size_t(kk)];
        if (f.pair) {
          const double e0 = std::exp(f.t[0].x * h);
          const Cx E = std::exp(Cx(f.t[1].x, f.t[2].x) * h), r(f.t[1].c, f.t[2].c);
          k.e1[jk] = {e0, E.real(), E.imag()};
          const double c0 = f.t[0].c * e0 * hh;
          const double rE = (r * E).real();
          k.ff[std::size_t(j)] -= w.in[0] * e0 + c0 * vi + 2.0 * (rE * hh * vi + (Cx(w.in[1], w.in[2]) * E).real());
          k.gg[std::size_t(j)] -= w.out[0] * e0 + c0 * vo + 2.0 * (rE * hh * vo + (Cx(w.out[1], w.out[2]) * E).real());
        } else {
          double cs = 0;
          for (std::size_t i = 0; i < 3; ++i) {
            const double e = std::exp(f.t[i].x * h);
            k.e1[jk][i] = e;
            cs -= f.t[i].c * e;
            k.ff[std::size_t(j)] -= w.in[i] * e;
            k.gg[std::size_t(j)] -= w.out[i] * e;
          }
          k.ff[std::size_t(j)] += cs * hh * vi;
          k.gg[std::size_t(j)] += cs * hh * vo;
        }
      }
    const Delayed d = delayed(ln, t1, t2);
    k.ratio = d.ratio;
    k.w2 = ln.w2;
    k.w3 = ln.w3;
    for (int j = 0; j < n; ++j)
      for (int kk = 0; kk < n; ++kk)
        for (int l = 0; l < n; ++l) {
          const std::size_t idx = std::size_t((j * n + kk) * n + l);
          const std::size_t ul = std::size_t(l), uk = std::size_t(kk);
          const Function& f3 = F.h3[idx];
          advance(k.w3[idx].in, f3, h, d.v1i[ul][uk], d.v2i[ul][uk]);
          advance(k.w3[idx].out, f3, h, d.v1o[ul][uk], d.v2o[ul][uk]);
          k.ff[std::size_t(j)] += f3.aten * d.v2o[ul][uk] + total(k.w3[idx].out, f3);
          k.gg[std::size_t(j)] += f3.aten * d.v2i[ul][uk] + total(k.w3[idx].in, f3);
          const Function& f2 = F.h2[idx];
          advance(k.w2[idx].in, f2, h, d.j1i[ul][uk], d.j2i[ul][uk]);
          advance(k.w2[idx].out, f2, h, d.j1o[ul][uk], d.j2o[ul][uk]);
          k.ff[std::size_t(j)] += f2.aten * d.j2o[ul][uk] + total(k.w2[idx].out, f2);
          k.gg[std::size_t(j)] += f2.aten * d.j2i[ul][uk] + total(k.w2[idx].in, f2);
        }
    // (ngspice assigns these entries mode after mode: the last mode past the last point counts)
    for (int l = 0; l < n; ++l) {
      const double ratio = d.ratio[std::size_t(l)];
      if (!(ratio > 0)) continue;
      for (int m = 0; m < n; ++m)
        for (int p = 0; p < n; ++p) {
          const std::size_t mp = std::size_t(m * n + p), idx = mp * nn + std::size_t(l);
          k.f3[mp] = ratio * (hh * F.h3[idx].sum + F.h3[idx].aten);
          k.f2[mp] = ratio * (hh * F.h2[idx].sum + F.h2[idx].aten);
        }
    }
    return k;
  }

  std::vector<Line> line_;
  double gmin_ = 1e-12;
  bool inTran_ = false;
  double cap_ = 1e300;
};

}  // namespace

std::unique_ptr<DeviceGroup> makeNgspiceCpl(const DeviceKind& kind, std::vector<const ir::Device*> inst) {
  return std::make_unique<NgspiceCpl>(kind, std::move(inst));
}

}  // namespace simcore::dev
