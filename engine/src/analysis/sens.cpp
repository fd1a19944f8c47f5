// .sens OUTVAR [ac dec|oct|lin N FSTART FSTOP]: the sensitivity of OUTVAR
// (v(a), v(a,b) or i(vx)) to every parameter of every device, as ngspice 39
// lists them (cktsens.c), unnormalised: d OUTVAR / d parameter.
//
// Parameters (one signal each, sorted by name as ngspice's plot):
//   NAME          a device's principal value: R, C, L, the gain of E F G H,
//                 the coupling of K, the DC value of V and I
//   NAME_PARAM    another instance parameter (r1_m, q1_area, v1_acmag)
//   NAME:PARAM    a parameter of the device's model, for that one instance
//                 (q1:bf perturbs bf of q1 only, not of the model's other users)
// taken when the device's value of it (given, else the descriptor's default;
// temp and tnom from .options) is not zero, principal values always; flags,
// vectors and keyword parameters have none. AC-only parameters (ac=,
// acmag, acphase) only in the AC form.
//
// How (per parameter p, perturbed by dp = 1e-6 |p|, 1e-6 when p = 0, as
// ngspice): the device's residual is evaluated at the converged operating
// point x0 with p and with p + dp (the device compiled alone, with the
// devices it refers to, its unknowns mapped onto the whole circuit's by
// name: the rebuild per parameter does not grow with the circuit), so
// df = f(x0, p + dp) - f(x0, p) is a device-level finite difference (central,
// with dp = 1e-3 |p| or 1e-2 |p|, when the forward one is lost in the
// rounding of the currents a row sums), and
//   DC:  d out / dp = -lambda . df / dp,   J^T lambda = e_out
// with J the operating point's Jacobian: one adjoint solve for every
// parameter. AC at each frequency, with Y X = B the .ac system:
//   d out / dp = mu . (dB - dY X) / dp,     Y^T mu = e_out
// where dY, dB are the device's own change of its AC stamps at the
// perturbed operating point x0 + dx, dx = -J^-1 df (the first-order shift
// of the operating point), plus every device's change of its stamps from x0
// to x0 + dx. ngspice 39 sets the circuit up again at each frequency, which
// clears the state vector its diodes and transistors read their small-signal
// values from: its AC sensitivities are those of the circuit without them
// (docs/netlist.md, ".sens"); for linear circuits the two agree.
#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <numbers>
#include <unordered_map>

#include "analysis/sens_params.hpp"
#include "analysis/session.hpp"
#include "analysis/sweep_axis.hpp"
#include "devices/context.hpp"
#include "devices/plugin_kinds.hpp"
#include "solver/lu.hpp"

namespace simcore::an {

namespace {

using sens::kCtoK;
using sens::perturb;
using sens::SensParam;

// Unknowns by name and kind (a node and a branch may share a name).
using UnknownIndex = std::unordered_map<std::string, dev::Index>;
std::string unknownKey(const CircuitModel& m, dev::Index u) { return m.unknownName(u) + (m.isNode(u) ? "\x01" : "\x02"); }
UnknownIndex indexUnknowns(const CircuitModel& m) {
  UnknownIndex out;
  for (dev::Index u = 1; u <= m.unknowns(); ++u) out.emplace(unknownKey(m, u), u);
  return out;
}

// A circuit (the whole one, or one device and those it refers to) compiled
// on its own and loaded at a point of the whole circuit's unknowns: its
// residual and Jacobian (DC) or AC matrix and excitation, with each of its
// unknowns mapped to the whole circuit's of the same name.
class Probe {
 public:
  Status build(ir::Circuit c, const UnknownIndex& full) {
    circuit_ = std::move(c);
    auto m = CircuitModel::build(circuit_, dev::TranHints{});
    if (!m) return m.takeError();
    model_ = std::move(*m);
    const int n = model_->unknowns();
    map_.assign(std::size_t(n) + 1, 0);
    for (dev::Index u = 1; u <= n; ++u) {
      auto it = full.find(unknownKey(*model_, u));
      if (it == full.end()) return makeError(ErrorCode::Internal, "the perturbed circuit has other unknowns", SourceLoc{});
      map_[std::size_t(u)] = it->second;
    }
    const std::size_t ns = std::size_t(std::max(model_->states(), 0)) + 1;
    q_.assign(ns, 0.0);
    iq_.assign(ns, 0.0);
    hist_.assign(ns, 0.0);
    A_.assign(std::size_t(model_->pattern().nnz()) + 1, 0.0);
    f_.assign(std::size_t(n) + 1, 0.0);
    x_.assign(std::size_t(n) + 1, 0.0);
    return {};
  }

  // The DC residual and Jacobian at x (the whole circuit's unknowns;
  // junctions evaluated at x itself: the loads before the last one bring a
  // freshly built device's remembered junction voltages to x for the kinds
  // that limit against them).
  void loadDc(const double* xFull) {
    gather(xFull, x_);
    dev::LoadContext c;
    c.mode = dev::AnalysisMode::DcOp;
    c.x = x_.data();
    c.gmin = circuit_.options.gmin;
    c.resync = true;
    c.options = &circuit_.options;
    c.ag0 = 0;
    c.hist = hist_.data();
    c.q = q_.data();
    c.iq = iq_.data();
    for (int pass = 0; pass < 3; ++pass) {
      std::fill(A_.begin(), A_.end(), 0.0);
      std::fill(f_.begin(), f_.end(), 0.0);
      c.A = A_.data();
      c.f = f_.data();
      c.noncon = 0;
      for (auto& g : model_->groups()) g->load(c);
    }
    f_[0] = 0;
  }

  // The AC matrix and excitation at angular frequency omega around xop
  // (after loadDc(xop)).
  void loadAc(const double* xopFull, double omega, std::vector<std::complex<double>>& Y, std::vector<std::complex<double>>& B) {
    gather(xopFull, x_);
    Y.assign(std::size_t(model_->pattern().nnz()) + 1, 0.0);
    B.assign(std::size_t(model_->unknowns()) + 1, 0.0);
    dev::AcContext c;
    c.omega = omega;
    c.A = Y.data();
    c.b = B.data();
    c.xop = x_.data();
    for (auto& g : model_->groups()) g->acLoad(c);
    B[0] = 0;
  }

  // r = B - Y X for the whole circuit's X, in this circuit's unknowns (r[0] = 0)
  void acResidual(const std::vector<std::complex<double>>& Y, const std::vector<std::complex<double>>& B,
                  const std::vector<std::complex<double>>& XFull, std::vector<std::complex<double>>& r) const {
    r = B;
    const auto& p = model_->pattern();
    const auto& cp = p.colPtr();
    const auto& ri = p.rowIdx();
    for (int j = 0; j + 1 < int(cp.size()); ++j) {
      const std::complex<double> xj = XFull[std::size_t(map_[std::size_t(j + 1)])];
      for (int k = cp[std::size_t(j)]; k < cp[std::size_t(j) + 1]; ++k)
        r[std::size_t(ri[std::size_t(k)] + 1)] -= Y[std::size_t(k)] * xj;
    }
    r[0] = 0;
  }

  // full[map(u)] += sign * local[u]
  template <class T>
  void scatter(const std::vector<T>& local, std::vector<T>& full, double sign) const {
    for (std::size_t u = 1; u < local.size(); ++u) full[std::size_t(map_[u])] += sign * local[u];
  }

  // The rounding level of each row's residual (the currents it sums), in
  // this circuit's unknowns (after loadDc).
  std::vector<double> rowScale() const {
    std::vector<double> out(f_.size(), 0.0);
    const auto& p = model_->pattern();
    const auto& cp = p.colPtr();
    const auto& ri = p.rowIdx();
    for (int j = 0; j + 1 < int(cp.size()); ++j)
      for (int k = cp[std::size_t(j)]; k < cp[std::size_t(j) + 1]; ++k)
        out[std::size_t(ri[std::size_t(k)] + 1)] += std::fabs(A_[std::size_t(k)] * x_[std::size_t(j + 1)]);
    for (std::size_t u = 1; u < out.size(); ++u) out[u] += std::fabs(f_[u]);
    return out;
  }

  CircuitModel& model() { return *model_; }
  const std::vector<double>& A() const { return A_; }
  const std::vector<double>& f() const { return f_; }

 private:
  void gather(const double* full, std::vector<double>& local) const {
    for (std::size_t u = 1; u < local.size(); ++u) local[u] = full[std::size_t(map_[u])];
    local[0] = 0;
  }

  ir::Circuit circuit_;
  std::unique_ptr<CircuitModel> model_;
  std::vector<dev::Index> map_;
  std::vector<double> q_, iq_, hist_, A_, f_, x_;
};

// ngspice's sensitivity frequencies (cktsens.c count_steps): DEC
// floor(N * decades + 1.01) points from FSTART by ratios of 10^(1/N), OCT
// floor(N * ln(FSTOP / FSTART) / log2(e) + 1.01) by ratios of 2^(1/N);
// LIN N points from FSTART in steps of (FSTOP - FSTART) / N (FSTOP itself is
// not reached).
Result<std::vector<double>> sensFrequencies(const ir::Analysis& a) {
  std::vector<double> out;
  const int steps = std::max(a.acPoints, 1);
  if (a.acScale == ir::AcScale::Lin) {
    if (Status st = checkSweepPoints(double(steps), ".sens ac", a.loc); !st) return st.takeError();
    const double s = (a.fstop - a.fstart) / steps;
    double f = a.fstart;
    for (int k = 0; k < steps; ++k, f += s) out.push_back(f);
    return out;
  }
  const bool dec = a.acScale == ir::AcScale::Dec;
  const double lo = a.fstart, hi = a.fstop > lo ? a.fstop : (dec ? 10.0 : 2.0) * lo;
  // (OCT as ngspice 39 counts it: ln(hi / lo) divided by log2(e) instead of
  // multiplied, so an octave sweep stops at about 0.48 of its octaves)
  const double span = std::log(hi) - std::log(lo);  // not ln(hi / lo), which overflows for 1e-300 to 1e300
  const double points =
      std::max(1.0, std::floor(dec ? steps * span / std::numbers::ln10 + 1.01 : steps * span / std::numbers::log2e + 1.01));
  if (Status st = checkSweepPoints(points, ".sens ac", a.loc); !st) return st.takeError();
  const int n = int(points);
  const double ratio = std::pow(dec ? 10.0 : 2.0, 1.0 / steps);
  double f = lo;
  for (int k = 0; k < n; ++k, f *= ratio) out.push_back(f);
  return out;
}

// One side of a finite difference: the residual's change df and, for AC,
// the change of B - Y X at each frequency.
struct Side {
  std::vector<double> df, dfLocal;  // the whole circuit's rows; the device circuit's
  std::vector<std::vector<std::complex<double>>> dr;
};

class SensStepper final : public AnalysisStepper {
 public:
  SensStepper(Session& s, const ir::Analysis& a, int index) : s_(s), a_(a), index_(index) {}

  // The whole analysis (operating point, one rebuilt circuit per parameter):
  // the header lists only the parameters that turned out to have a value to
  // perturb, known once their circuits are built.
  Status start(SampleSink& sink) override {
    const CircuitModel& m = *s_.model;
    if (!a_.outSource.empty()) {
      const DeviceRef r = s_.model->findDevice(a_.outSource);
      const ir::Device* o = r.group < 0 ? nullptr : &s_.model->groups()[std::size_t(r.group)]->device(std::size_t(r.index));
      if (!o || o->letter != 'v')
        return makeError(ErrorCode::Semantic, ".sens output current i(" + a_.outSource + ") needs a voltage source of that name", a_.loc);
      outBranch_ = m.branchOf(a_.outSource);
    } else {
      outPos_ = m.nodeIndex(a_.outPos);
      outNeg_ = a_.outNeg.empty() ? 0 : m.nodeIndex(a_.outNeg);
      if (outPos_ < 0 || outNeg_ < 0)
        return makeError(ErrorCode::Semantic, ".sens output node '" + (outPos_ < 0 ? a_.outPos : a_.outNeg) + "' is not in the circuit", a_.loc);
    }
    params_ = sens::listParams(m.circuit(), a_.sensAc);
    if (a_.sensAc) {
      auto freqs = sensFrequencies(a_);
      if (!freqs) return freqs.takeError();
      freqs_ = std::move(*freqs);
    }
    if (auto st = compute(); !st) return st;
    AnalysisHeader h;
    h.type = AnalysisType::Sens;
    h.index = index_;
    h.complex = a_.sensAc;
    if (a_.sensAc) h.xName = "frequency";
    for (const auto& p : params_) h.signals.push_back({p.name, SignalKind::Voltage});
    sink.begin(h);
    return {};
  }

  Result<bool> step(SampleSink& sink, std::size_t) override {
    const std::size_t np = params_.size(), nf = a_.sensAc ? freqs_.size() : 1;
    Chunk ch;
    ch.rows = nf;
    if (a_.sensAc) ch.x = std::span<const double>(freqs_.data(), nf);
    for (std::size_t j = 0; j < np; ++j) {
      ch.re.emplace_back(re_[j].data(), nf);
      if (a_.sensAc) ch.im.emplace_back(im_[j].data(), nf);
    }
    sink.chunk(ch);
    sink.end(AnalysisSummary{AnalysisType::Sens, nf});
    done_ = true;
    return true;
  }

  double progress() const override { return done_ ? 1.0 : 0.0; }

 private:
  Status compute() {
    if (auto st = solveOperatingPoint(s_, OpSettings{}, a_.loc); !st) return st;
    s_.newton.accept(0.0);
    const std::vector<double> x0 = s_.newton.x();
    const int n = s_.model->unknowns();
    const ir::Circuit& base = s_.model->circuit();
    const UnknownIndex full = indexUnknowns(*s_.model);

    // the whole circuit: the Jacobian J, and for AC its systems Y X = B
    Probe p0;
    if (auto st = p0.build(base, full); !st) return st;
    p0.loadDc(x0.data());
    solver::SparseLu<double> J(p0.model().pattern());
    if (J.factor(p0.A().data()) == solver::LuOutcome::Singular)
      return makeError(ErrorCode::Singular, "singular matrix in the .sens analysis: " + p0.model().describeUnknown(J.singularUnknown()), a_.loc);
    s_.stats.factorizations++;
    std::vector<double> e(std::size_t(n) + 1, 0.0);
    select(e);
    // lambda = J^-T e_out
    std::vector<double> lambda = e;
    J.solveTransposed(lambda.data() + 1);
    lambda[0] = 0;
    s_.stats.solves++;

    const std::size_t nf = a_.sensAc ? freqs_.size() : 1;
    // AC: per frequency the solution X, the adjoint mu and B - Y X of the whole circuit
    std::vector<std::vector<std::complex<double>>> X(nf), mu(nf), r0(nf);
    if (a_.sensAc) {
      solver::SparseLu<std::complex<double>> lu(p0.model().pattern());
      std::vector<std::complex<double>> Y, B;
      for (std::size_t k = 0; k < nf; ++k) {
        p0.loadAc(x0.data(), 2.0 * std::numbers::pi * freqs_[k], Y, B);
        if (lu.factor(Y.data()) == solver::LuOutcome::Singular)
          return makeError(ErrorCode::Singular, "singular matrix in the .sens ac analysis at f = " + std::to_string(freqs_[k]) +
                                                    " Hz: " + p0.model().describeUnknown(lu.singularUnknown()), a_.loc);
        s_.stats.factorizations++;
        X[k] = B;
        lu.solve(X[k].data() + 1);
        X[k][0] = 0;
        mu[k].assign(e.begin(), e.end());
        lu.solveTransposed(mu[k].data() + 1);
        mu[k][0] = 0;
        s_.stats.solves += 2;
        p0.acResidual(Y, B, X[k], r0[k]);
      }
    }

    // A parameter changes one device's stamps: each is evaluated on the
    // circuit of that device and the devices it refers to (F H W: the
    // controlling source; K: the inductors), mapped onto the whole
    // circuit's unknowns by name, with and without the change.
    ir::Circuit shell;
    shell.title = base.title;
    shell.fileName = base.fileName;
    shell.models = base.models;
    shell.options = base.options;
    shell.semiconductors = base.semiconductors;
    shell.plugins = base.plugins;
    std::unordered_map<std::string, std::size_t> byName;
    for (std::size_t di = 0; di < base.devices.size(); ++di) byName.emplace(base.devices[di].name, di);
    auto alone = [&](std::size_t di) {
      ir::Circuit c = shell;
      c.devices.push_back(base.devices[di]);
      for (const auto& r : base.devices[di].refs)
        if (auto it = byName.find(r); it != byName.end() && it->second != di) c.devices.push_back(base.devices[it->second]);
      return c;
    };
    // (a device that cannot be compiled alone, one of a thermal network:
    // the whole circuit with it)
    struct Unperturbed {
      bool ok = false, whole = false;
      Probe probe;
      std::vector<double> f, A, scale;
    };
    std::unordered_map<std::size_t, std::unique_ptr<Unperturbed>> unperturbed;
    auto unperturbedOf = [&](std::size_t di) -> Unperturbed& {
      auto& u = unperturbed[di];
      if (!u) {
        u = std::make_unique<Unperturbed>();
        u->whole = !u->probe.build(alone(di), full);
        if (!u->whole || u->probe.build(base, full)) {
          u->probe.loadDc(x0.data());
          u->f = u->probe.f();
          u->A = u->probe.A();
          u->scale = u->probe.rowScale();
          u->ok = true;
        }
      }
      return *u;
    };

    // One side of a difference for the parameter at value v: the change of
    // the residual at x0 and, for AC, of B - Y X at each frequency, taken at
    // the operating point to first order, x0 + dx with J dx = -df: the
    // device's own change there plus every device's change of its
    // small-signal stamps from x0 to x0 + dx (the whole circuit's).
    std::vector<std::complex<double>> Y, B, r;
    auto side = [&](const SensParam& sp, double v, Side& out) -> bool {
      Unperturbed& u0 = unperturbedOf(sp.device);
      if (!u0.ok) return false;
      ir::Circuit pc = u0.whole ? base : alone(sp.device);
      SensParam local = sp;
      if (!u0.whole) local.device = 0;
      perturb(pc, local, v);
      Probe pp;
      if (!pp.build(std::move(pc), full)) return false;
      pp.loadDc(x0.data());
      out.dfLocal.assign(pp.f().size(), 0.0);
      if (out.dfLocal.size() != u0.f.size()) return false;
      for (std::size_t k = 1; k < u0.f.size(); ++k) out.dfLocal[k] = pp.f()[k] - u0.f[k];
      out.df.assign(std::size_t(n) + 1, 0.0);
      pp.scatter(out.dfLocal, out.df, 1.0);
      if (!a_.sensAc) return true;
      std::vector<double> xp(std::size_t(n) + 1, 0.0);
      for (int q = 1; q <= n; ++q) xp[std::size_t(q)] = -out.df[std::size_t(q)];
      J.solve(xp.data() + 1);
      s_.stats.solves++;
      for (int q = 1; q <= n; ++q) xp[std::size_t(q)] += x0[std::size_t(q)];
      xp[0] = 0;
      pp.loadDc(xp.data());
      u0.probe.loadDc(xp.data());
      p0.loadDc(xp.data());
      out.dr.assign(nf, std::vector<std::complex<double>>(std::size_t(n) + 1, 0.0));
      for (std::size_t k = 0; k < nf; ++k) {
        const double w = 2.0 * std::numbers::pi * freqs_[k];
        pp.loadAc(xp.data(), w, Y, B);
        pp.acResidual(Y, B, X[k], r);
        pp.scatter(r, out.dr[k], 1.0);
        u0.probe.loadAc(xp.data(), w, Y, B);
        u0.probe.acResidual(Y, B, X[k], r);
        u0.probe.scatter(r, out.dr[k], -1.0);
        p0.loadAc(xp.data(), w, Y, B);
        p0.acResidual(Y, B, X[k], r);
        for (int q = 1; q <= n; ++q) out.dr[k][std::size_t(q)] += r[std::size_t(q)] - r0[k][std::size_t(q)];
      }
      return true;
    };

    std::vector<SensParam> kept;
    for (const SensParam& sp : params_) {
      if (s_.cancelled()) return makeError(ErrorCode::Cancelled, "cancelled", a_.loc);
      Unperturbed& u0 = unperturbedOf(sp.device);
      if (!u0.ok) continue;
      // a parameter left at its default: written out with that value, it
      // must give the same stamps (some models switch a term on only when
      // its parameter is given, ngspice's diode ISR): otherwise it has no
      // value to perturb and no sensitivity
      if (sp.defaulted) {
        ir::Circuit same = u0.whole ? base : alone(sp.device);
        SensParam local = sp;
        if (!u0.whole) local.device = 0;
        perturb(same, local, sp.value);
        Probe ps;
        if (!ps.build(std::move(same), full)) continue;
        ps.loadDc(x0.data());
        if (ps.f() != u0.f || ps.A() != u0.A) continue;
      }
      // The change for p + dp: forward with ngspice's dp; when that change
      // is lost in the rounding of the currents it is a small part of (a
      // junction's IS beside the channel current at the same node), central
      // differences with dp = 1e-3 |p|, then 1e-2 |p|.
      Side plus;
      double dp = sp.delta();
      if (!side(sp, sp.value + dp, plus)) continue;  // a value the device refuses, or new unknowns: none
      bool central = false;
      for (const double rel : {1e-3, 1e-2}) {
        const double sig = significance(plus.dfLocal, u0.scale);
        if (sig == 0 || sig >= (central ? 1e5 : 1e7)) break;
        const double d = sp.value != 0 ? std::fabs(sp.kelvin ? sp.value + kCtoK : sp.value) * rel : rel;
        Side a, b;
        if (!side(sp, sp.value + d, a) || !side(sp, sp.value - d, b)) break;
        for (std::size_t q = 0; q < a.df.size(); ++q) a.df[q] = 0.5 * (a.df[q] - b.df[q]);
        for (std::size_t q = 0; q < a.dfLocal.size(); ++q) a.dfLocal[q] = 0.5 * (a.dfLocal[q] - b.dfLocal[q]);
        for (std::size_t k = 0; k < a.dr.size(); ++k)
          for (std::size_t q = 0; q < a.dr[k].size(); ++q) a.dr[k][q] = 0.5 * (a.dr[k][q] - b.dr[k][q]);
        plus = std::move(a);
        dp = d;
        central = true;
      }
      std::vector<double> re(nf, 0.0), im(nf, 0.0);
      if (!a_.sensAc) {
        double acc = 0;
        for (int q = 1; q <= n; ++q) acc += lambda[std::size_t(q)] * plus.df[std::size_t(q)];
        re[0] = -acc / dp;
      } else {
        for (std::size_t k = 0; k < nf; ++k) {
          std::complex<double> acc = 0;
          for (int q = 1; q <= n; ++q) acc += mu[k][std::size_t(q)] * plus.dr[k][std::size_t(q)];
          acc /= dp;
          re[k] = acc.real();
          im[k] = acc.imag();
        }
      }
      kept.push_back(sp);
      re_.push_back(std::move(re));
      im_.push_back(std::move(im));
    }
    params_ = std::move(kept);
    return {};
  }

  // How far above the rounding of the residual a change df stands: the
  // largest |df| of a row over the row's rounding level (0: no change).
  static double significance(const std::vector<double>& df, const std::vector<double>& scale) {
    double best = 0;
    for (std::size_t u = 1; u < df.size() && u < scale.size(); ++u) {
      if (df[u] == 0) continue;
      const double noise = std::numeric_limits<double>::epsilon() * scale[u];
      best = std::max(best, noise > 0 ? std::fabs(df[u]) / noise : std::numeric_limits<double>::infinity());
    }
    return best;
  }

  // e_out: the output as a row selector on the unknowns
  void select(std::vector<double>& e) const {
    if (!a_.outSource.empty()) {
      e[std::size_t(outBranch_)] += 1.0;
    } else {
      e[std::size_t(outPos_)] += 1.0;
      e[std::size_t(outNeg_)] -= 1.0;
    }
    e[0] = 0;
  }

  Session& s_;
  const ir::Analysis& a_;
  int index_;
  bool done_ = false;
  dev::Index outPos_ = 0, outNeg_ = 0, outBranch_ = 0;
  std::vector<SensParam> params_;
  std::vector<double> freqs_;
  std::vector<std::vector<double>> re_, im_;
};

}  // namespace

std::unique_ptr<AnalysisStepper> makeSens(Session& s, const ir::Analysis& a, int index) {
  return std::make_unique<SensStepper>(s, a, index);
}

}  // namespace simcore::an
