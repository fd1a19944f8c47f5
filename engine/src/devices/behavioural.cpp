// Behavioural sources: the output is an expression of node voltages, branch
// currents, time, temperature and frequency (ir::Device::behaviour).
//   voltage output (B V=, E VALUE=/TABLE/POLY, H POLY): a branch current r
//     and the row v(out+) - v(out-) - V(x) = 0;
//   current output (B I=, G VALUE=/TABLE/POLY, F POLY): I(x) flows from
//     out+ through the source to out-.
// Newton gets the exact gradient of the expression (forward mode, see
// expr_eval.hpp); .ac linearises it at the operating point, with `hertz` the
// analysis frequency.
#include <algorithm>
#include <numbers>

#include "devices/common.hpp"
#include "devices/expr_eval.hpp"

namespace simcore::dev {
namespace {

template <bool Voltage>
class Behavioural final : public GroupBase {
 public:
  Behavioural(const DeviceKind& kind, std::vector<const ir::Device*> inst) : GroupBase(kind, std::move(inst)) {}

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    op_.resize(n); om_.resize(n); br_.assign(n, 0); vars_.resize(n); pos_.resize(n);
    prog_.clear();
    temper_ = ctx.options().temp;
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkNodes(kind_, d); !s) return s;
      if (!d.behaviour) return deviceError(d, std::string(kind_.name) + " '" + d.name + "' has no expression");
      op_[i] = ctx.node(d.nodes[0]);
      om_[i] = ctx.node(d.nodes[1]);
      if (Voltage) br_[i] = ctx.addBranch(d);
      prog_.emplace_back(d.behaviour->expr);
    }
    return {};
  }

  // Unknowns of the variables: nodes now known; branch currents once every device has set up.
  Status resolve(SetupContext& ctx) override {
    std::size_t widest = 0;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      const auto& vars = d.behaviour->expr.vars;
      vars_[i].resize(vars.size());
      for (std::size_t k = 0; k < vars.size(); ++k) {
        if (vars[k].kind == ir::ExprVar::Kind::Voltage) {
          vars_[i][k] = ctx.node(vars[k].name);
          continue;
        }
        const Index b = ctx.branchOf(vars[k].name);
        if (b <= 0)
          return deviceError(d, std::string(kind_.name) + " '" + d.name + "': i(" + vars[k].name + ") " +
                                    (b < 0 ? "names no device" : "names a device without a branch current"));
        vars_[i][k] = b;
      }
      widest = std::max(widest, vars.size());
    }
    xv_.assign(widest, 0.0);
    grad_.assign(widest, 0.0);
    return {};
  }

  void pattern(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const std::size_t nv = vars_[i].size();
      pos_[i].assign(Voltage ? nv : 2 * nv, 0);
      if (Voltage) pq_.resize(inst_.size());
      if (Voltage) pq_[i].bind(b, op_[i], om_[i], br_[i]);
      for (std::size_t k = 0; k < nv; ++k) {
        if (Voltage) {
          pos_[i][k] = b.entry(br_[i], vars_[i][k]);
        } else {
          pos_[i][2 * k] = b.entry(op_[i], vars_[i][k]);
          pos_[i][2 * k + 1] = b.entry(om_[i], vars_[i][k]);
        }
      }
    }
  }

  bool linear() const override { return false; }

  void load(LoadContext& c) override {
    if (recordsOnly(c.mode)) return;
    const double* x = c.x;
    ExprEnv env;
    env.time = c.dcSources ? 0.0 : c.time;
    env.temper = temper_;
    for (std::size_t i = 0, n = inst_.size(); i < n; ++i) {
      const double value = evaluate(i, x, env);
      const std::size_t nv = vars_[i].size();
      if (Voltage) {
        const Index r = br_[i];
        pq_[i].stamp(c.A);
        for (std::size_t k = 0; k < nv; ++k) c.A[pos_[i][k]] -= grad_[k];
        c.f[op_[i]] += x[r]; c.f[om_[i]] -= x[r];
        c.f[r] += x[op_[i]] - x[om_[i]] - value;
      } else {
        for (std::size_t k = 0; k < nv; ++k) {
          c.A[pos_[i][2 * k]] += grad_[k];
          c.A[pos_[i][2 * k + 1]] -= grad_[k];
        }
        c.f[op_[i]] += value; c.f[om_[i]] -= value;
      }
    }
  }

  void acLoad(AcContext& c) override {
    ExprEnv env;
    env.temper = temper_;
    env.hertz = c.omega / (2.0 * std::numbers::pi);
    if (!Voltage) acGrad_.resize(inst_.size());
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      (void)evaluate(i, c.xop, env);
      const std::size_t nv = vars_[i].size();
      if (!Voltage) acGrad_[i].assign(grad_.begin(), grad_.begin() + std::ptrdiff_t(nv));
      if (Voltage) {
        pq_[i].stamp(c.A);
        for (std::size_t k = 0; k < nv; ++k) c.A[pos_[i][k]] -= grad_[k];
      } else {
        for (std::size_t k = 0; k < nv; ++k) {
          c.A[pos_[i][2 * k]] += grad_[k];
          c.A[pos_[i][2 * k + 1]] -= grad_[k];
        }
      }
    }
  }

  double nextBreakpoint(double t) const override {
    double best = 1e300;
    for (const ExprProgram& p : prog_) best = std::min(best, p.nextBreakpoint(t));
    return best;
  }

  // A current source's @b1[i] (ngspice's savecurrents vector; i(b1) its .probe vector): the
  // current from out+ through the source to out-, the expression at the solution (its
  // linearisation in .ac); a voltage source's current is its branch current, i(b1)
  int quantityId(std::size_t, std::string_view param) const override { return !Voltage && param == "i" ? 0 : -1; }
  void currentNames(std::size_t, std::vector<std::string_view>& out) const override {
    if (!Voltage) out.emplace_back("i");
  }
  double quantity(std::size_t i, int, const QuantityContext& c) const override {
    ExprEnv env;
    env.time = c.transient ? c.time : 0.0;
    env.temper = temper_;
    const std::size_t nv = vars_[i].size();
    std::vector<double> xv(nv);
    for (std::size_t k = 0; k < nv; ++k) xv[k] = c.x[vars_[i][k]];
    return prog_[i].eval(xv.data(), env, nullptr);
  }
  std::complex<double> acQuantity(std::size_t i, int, const std::complex<double>* x, double) const override {
    std::complex<double> cur = 0.0;
    if (i < acGrad_.size())
      for (std::size_t k = 0; k < acGrad_[i].size(); ++k) cur += acGrad_[i][k] * x[vars_[i][k]];
    return cur;
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      // a current that reads the voltage of its own terminals conducts (a
      // behavioural resistor, R = {expr}, is I = v(a,b) / expr)
      auto reads = [&](Index u) { return u > 0 && std::find(vars_[i].begin(), vars_[i].end(), u) != vars_[i].end(); };
      if (Voltage || reads(op_[i]) || reads(om_[i])) out.emplace_back(op_[i], om_[i]);
    }
  }
  void voltageEdges(std::vector<std::pair<Index, Index>>& out, std::vector<int>& idx) const override {
    if (!Voltage) return;
    for (std::size_t i = 0; i < inst_.size(); ++i) { out.emplace_back(op_[i], om_[i]); idx.push_back(int(i)); }
  }

 private:
  // Value of instance i's expression at x; its gradient in grad_.
  double evaluate(std::size_t i, const double* x, const ExprEnv& env) {
    const std::size_t nv = vars_[i].size();
    for (std::size_t k = 0; k < nv; ++k) xv_[k] = x[vars_[i][k]];
    return prog_[i].eval(xv_.data(), env, grad_.data());
  }

  std::vector<Index> op_, om_, br_;
  std::vector<std::vector<Index>> vars_;  // unknown of each expression variable
  std::vector<std::vector<Pos>> pos_;     // voltage: (branch, var k); current: (out+, var k), (out-, var k)
  std::vector<BranchQuad> pq_;
  mutable std::vector<ExprProgram> prog_;  // (mutable: its scratch; an evaluation keeps no state)
  std::vector<double> xv_, grad_;
  std::vector<std::vector<double>> acGrad_;  // current sources: the gradient of the last acLoad
  double temper_ = 27.0;
};

}  // namespace

extern const DeviceKind kBehaviouralVoltageKind, kBehaviouralCurrentKind;
constexpr DeviceKind kBehaviouralVoltageKind{
    .letter = 'b', .name = "behavioural voltage source", .form = CardForm::Behavioural, .branches = 1,
    .valueDoc = "Bname out+ out- V={expr}; also E VALUE={expr}, E TABLE {expr} = (x,y)..., E/H POLY(n)",
    .create = makeGroup<Behavioural<true>, kBehaviouralVoltageKind>};
constexpr DeviceKind kBehaviouralCurrentKind{
    .letter = 'b', .name = "behavioural current source", .form = CardForm::Behavioural,
    .valueDoc = "Bname out+ out- I={expr}; also G VALUE={expr}, G TABLE {expr} = (x,y)..., F/G POLY(n)",
    .create = makeGroup<Behavioural<false>, kBehaviouralCurrentKind>};

const DeviceKind& behaviouralKind(const ir::Device& d) {
  // the registry's entry (registry() holds copies; callers index it by address)
  const bool voltage = !(d.behaviour && d.behaviour->output == ir::Behaviour::Output::Current);
  for (const DeviceKind& k : registry())
    if (k.form == CardForm::Behavioural && (k.branches > 0) == voltage) return k;
  return voltage ? kBehaviouralVoltageKind : kBehaviouralCurrentKind;
}

}  // namespace simcore::dev
