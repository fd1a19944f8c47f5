// Operating point: plain Newton, then gmin stepping, then source stepping,
// then pseudo-transient continuation. With ngspice's optran (ir::OpTran) each
// of the first three is on or off as it says, and the last is its transient
// operating point instead (op_tran.cpp). Each fallback is recorded in the run
// statistics; a failure names the worst node and everything that was tried.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "analysis/session.hpp"

namespace simcore::an {

namespace {

constexpr double kClampG = 1e10;  // conductance that pins .ic / .nodeset nodes

std::vector<Clamp> clampsFor(const Session& s, const std::vector<ir::NodeValue>& vals) {
  std::vector<Clamp> out;
  for (const auto& v : vals) {
    dev::Index u = s.model->nodeIndex(v.node);
    if (u > 0) out.push_back({u, v.value, kClampG});
  }
  return out;
}

Error singularError(const Session& s, const NewtonResult& nr, SourceLoc where) {
  const dev::Index u = nr.worst;
  std::string msg;
  if (nr.maxDiag > kRunawayG && nr.maxDiagAt > 0) {
    // Not a topology fault: the matrix became numerically singular because one
    // conductance ran away.
    char g[32];
    std::snprintf(g, sizeof g, "%.3g", nr.maxDiag);
    msg = "singular matrix: the conductance at " + s.model->describeUnknown(nr.maxDiagAt) + " reached " + g +
          " S and swamps every other entry" +
          (u > 0 ? " (the solver gave up on " + s.model->describeUnknown(u) + ")" : std::string()) +
          ": is a diode or transistor junction driven straight by a voltage source, with no resistance in series?";
    if (u > 0)
      if (const ir::Device* d = s.model->ownerOf(u)) where = d->loc;
  } else if (u > 0 && s.model->isNode(u)) {
    msg = "singular matrix: " + s.model->describeUnknown(u) + " has no DC path to ground or is only driven through devices that are off";
    if (const ir::Device* d = s.model->ownerOf(u)) where = d->loc;
  } else if (u > 0) {
    msg = "singular matrix: " + s.model->describeUnknown(u) + " is undetermined (a loop of voltage sources or inductors?)";
    if (const ir::Device* d = s.model->ownerOf(u)) where = d->loc;
  } else {
    msg = "singular matrix";
  }
  return makeError(ErrorCode::Singular, msg, where);
}

}  // namespace

int settleDigitalInCardOrder(Session& s, double* x) {
  // (a device's place in the circuit's device list is its card's place)
  std::vector<std::pair<std::pair<const ir::Device*, std::size_t>, dev::DeviceGroup*>> all;
  for (auto& g : s.model->groups()) {
    std::vector<std::pair<const ir::Device*, std::size_t>> mine;
    g->digitalInstances(mine);
    for (const auto& m : mine) all.push_back({m, g.get()});
  }
  if (all.empty()) return 0;
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first.first < b.first.first; });
  int changed = 0;
  for (int pass = 0; pass < 64; ++pass) {
    int now = 0;
    for (const auto& a : all) now += a.second->settleDigitalInstance(a.first.second, x);
    changed += now;
    if (now == 0) break;
  }
  return changed;
}

Status solveSmallSignalPoint(Session& s, SourceLoc where) {
  if (auto st = solveOperatingPoint(s, OpSettings{}, where); !st) return st;
  s.newton.accept(0.0);
  s.newton.loadOnly(dev::AnalysisMode::DcOp, 0.0, false);
  return {};
}

void refreshDeviceQuantities(Session& s) {
  if (!s.readsDeviceQuantities) return;
  // one more Newton iteration: the devices evaluated at the solution, which moves once more by
  // an update quadratically smaller than the last (the terminal currents, the linearisation at
  // the evaluation carried to the new solution, keep KCL with the rest of the circuit exactly)
  const std::vector<double> keep = s.newton.x();
  NewtonRequest r;
  r.mode = dev::AnalysisMode::DcOp;
  r.dcSources = true;
  r.maxIter = 1;
  const NewtonResult nr = s.newton.solve(r);
  if (nr.status == NewtonStatus::NonFinite || nr.status == NewtonStatus::Singular) {
    s.newton.x() = keep;
    s.newton.loadOnly(dev::AnalysisMode::DcOp, 0.0, false);
  }
}

namespace {

// An op result: its header, then (once solved) its one row of the session's solution.
void beginOperatingPoint(Session& s, SampleSink& sink, int index) {
  AnalysisHeader h;
  h.type = AnalysisType::Op;
  h.index = index;
  for (const auto& o : s.outputs) h.signals.push_back(o.info);
  sink.begin(h);
}
void writeOperatingPoint(Session& s, SampleSink& sink) {
  s.writer.reset(s.outputs.size(), false, false, 1);
  s.writer.row(0.0, s.newton.x().data(), s.outputs);
  s.writer.flush(sink);
  sink.end(AnalysisSummary{AnalysisType::Op, 1});
}

}  // namespace

Status keepOperatingPoint(Session& s, SampleSink& sink, int index, SourceLoc where) {
  if (auto st = solveSmallSignalPoint(s, where); !st) return st;
  beginOperatingPoint(s, sink, index);
  writeOperatingPoint(s, sink);
  return {};
}

Status solveOperatingPoint(Session& s, const OpSettings& set, SourceLoc where) {
  const ir::Options& o = s.opt();
  std::vector<double>& x = s.newton.x();
  std::vector<Clamp> ic = set.useIc ? clampsFor(s, s.model->circuit().ic) : std::vector<Clamp>{};
  std::vector<Clamp> nodeset = clampsFor(s, s.model->circuit().nodeset);
  // .nodeset clamps only the first solve; .ic clamps throughout.
  std::vector<Clamp> first = ic;
  first.insert(first.end(), nodeset.begin(), nodeset.end());

  NewtonRequest req;
  req.mode = dev::AnalysisMode::DcOp;
  req.dcSources = set.dcSources;
  req.srcFact = set.srcScale;
  req.time = 0;
  req.maxIter = ir::Options::newtonLimit(o.itl1);
  req.clamps = &ic;
  const bool fresh = !s.haveSolution;
  // Continuation steps get at least this many iterations whatever itl1 says:
  // itl1 limits plain Newton, not the fallbacks.
  const int stepIter = ir::Options::newtonLimit(o.itl1);
  std::vector<double> start = x;

  // Digital instances in card order, each seeing the outputs of those before
  // it (ngspice's EVTop): where the solve left a loop of gates inconsistent
  // (its gates flipping together until the flip limit), the first gate wins
  // as in ngspice; the solve then runs again on those states (alternating
  // at most a few times, as ngspice alternates its event and analog solutions).
  auto settleInOrder = [&]() {
    std::vector<double> y = x;
    return settleDigitalInCardOrder(s, y.data());
  };
  auto done = [&](const char* how) -> Status {
    for (int alternation = 0; alternation < 8 && settleInOrder() > 0; ++alternation) {
      NewtonRequest r = req;
      r.initJunctions = false;
      const std::vector<double> solved = x;
      const NewtonResult again = s.newton.solve(r);
      if (again.status != NewtonStatus::Converged) {  // (keeps the solution found)
        x = solved;
        break;
      }
    }
    s.stats.opStrategies.emplace_back(how);
    s.haveSolution = true;
    return Status{};
  };

  const ir::OpTran& optran = o.optran;
  std::vector<std::string> tried;
  NewtonResult last;
  // 1. Plain Newton (with .nodeset first when given).
  if (optran.newton) {
    tried.push_back("Newton (" + std::to_string(ir::Options::newtonLimit(o.itl1)) + " iterations)");
    NewtonRequest r = req;
    r.initJunctions = fresh;
    if (!nodeset.empty()) {
      r.clamps = &first;
      NewtonResult pre = s.newton.solve(r);
      r.clamps = &ic;
      r.initJunctions = false;
      if (pre.status != NewtonStatus::Converged) x = start;
    }
    last = s.newton.solve(r);
    if (last.status == NewtonStatus::Converged) return done("newton");
    s.stats.newtonFailures++;
  }
  const bool sawSingular = last.status == NewtonStatus::Singular;
  const NewtonResult firstSingular = last;

  // 1'. Self-heating devices held at their instance temperatures (their power still heats
  // their thermal nodes), then released from that solution: the electro-thermal Newton then
  // starts where the temperatures agree with the circuit's power. (Two self-heating VDMOS of
  // ngspice's examples/vdmos/100W.sp sent plain Newton and every fallback to thousands of
  // degrees, where the temperature limiting crawled back 30 K per iteration.)
  const auto& devices = s.model->circuit().devices;
  const bool selfHeating = std::any_of(devices.begin(), devices.end(), [](const ir::Device& d) {
    return std::any_of(d.params.begin(), d.params.end(), [](const ir::Param& p) { return p.name == "thermal"; });
  });
  if (optran.newton && selfHeating) {
    tried.push_back("Newton with the junction temperatures held, then released");
    x = start;
    NewtonRequest r = req;
    r.maxIter = stepIter;
    r.initJunctions = fresh;
    r.holdTemperatures = true;
    const NewtonResult held = s.newton.solve(r);
    if (held.status == NewtonStatus::Converged) {
      r.holdTemperatures = false;
      r.initJunctions = false;
      if (s.newton.solve(r).status == NewtonStatus::Converged) return done("held temperatures");
    }
    s.stats.newtonFailures++;
  }

  // 2. gmin stepping: a shunt from every node to ground, reduced decade by decade.
  if (optran.gminSteps > 0) {
    tried.push_back("gmin stepping");
    x = start;
    NewtonRequest r = req;
    r.maxIter = stepIter;
    r.initJunctions = true;
    double g = 1e-2, factor = 10.0;
    std::vector<double> good;
    bool ok = true, haveGood = false;
    int guard = 0;
    while (g > o.gmin && guard++ < 200) {
      r.gshunt = g;
      NewtonResult nr = s.newton.solve(r);
      r.initJunctions = false;
      if (nr.status == NewtonStatus::Converged) {
        good = x;
        haveGood = true;
        g /= factor;
        factor = std::min(factor * 2.0, 10.0);
      } else {
        if (!haveGood || factor < 1.001) { ok = false; break; }
        x = good;
        g *= factor;
        factor = std::sqrt(factor);
        g /= factor;
      }
    }
    if (ok) {
      r.gshunt = 0;
      last = s.newton.solve(r);
      if (last.status == NewtonStatus::Converged) return done("gmin stepping");
    }
    s.stats.newtonFailures++;
  }

  // 3. Source stepping: ramp every independent source from 0 to full value.
  if (optran.srcSteps > 0) {
    tried.push_back("source stepping");
    x.assign(x.size(), 0.0);
    NewtonRequest r = req;
    r.maxIter = stepIter;
    r.initJunctions = true;
    double fact = 0, step = 0.1;
    std::vector<double> good = x;
    bool ok = true;
    r.srcFact = 0;
    r.gshunt = o.gmin;
    NewtonResult nr = s.newton.solve(r);
    r.initJunctions = false;
    if (nr.status != NewtonStatus::Converged) ok = false;
    good = x;
    int guard = 0;
    while (ok && fact < 1.0 && guard++ < 2000) {
      double next = std::min(1.0, fact + step);
      r.srcFact = next * set.srcScale;
      nr = s.newton.solve(r);
      if (nr.status == NewtonStatus::Converged) {
        fact = next;
        good = x;
        step = std::min(step * 1.5, 0.5);
      } else {
        x = good;
        step /= 4.0;
        if (step < 1e-6) ok = false;
      }
    }
    if (ok) {
      r.srcFact = set.srcScale;
      r.gshunt = 0;
      last = s.newton.solve(r);
      if (last.status == NewtonStatus::Converged) return done("source stepping");
    }
    s.stats.newtonFailures++;
  }

  // 4. Pseudo-transient ramp: every node gets a capacitor to ground (a
  // conductance g = C/h to its previous value) while the sources ramp up from
  // zero; the pseudo time step grows (g shrinks) while Newton converges easily
  // and shrinks on failure, until the sources are at full value and g is
  // negligible.
  if (!optran.given) {
    tried.push_back("pseudo-transient continuation");
    x.assign(x.size(), 0.0);
    std::vector<double> prev = x;
    NewtonRequest r = req;
    r.initJunctions = true;
    r.maxIter = stepIter;
    double g = 1e-3, src = 0.0, dsrc = 0.02;
    double pseudoCurrent = 0;  // the largest g * change of the last accepted step
    bool ok = false;
    for (int k = 0; k < 5000; ++k) {
      const double target = std::min(1.0, src + dsrc);
      r.srcFact = target * set.srcScale;
      r.ptranG = g;
      r.ptranPrev = prev.data();
      NewtonResult nr = s.newton.solve(r);
      r.initJunctions = false;
      if (nr.status == NewtonStatus::Converged) {
        double change = 0;
        for (std::size_t i = 1; i < x.size(); ++i) change = std::max(change, std::fabs(x[i] - prev[i]));
        prev = x;
        src = target;
        pseudoCurrent = g * change;
        const bool easy = nr.iterations < 8;
        if (easy) { g /= 3.0; dsrc = std::min(dsrc * 1.5, 0.25); }
        if (src >= 1.0 && (g < 1e-14 || (g < 1e-7 && change < o.vntol))) { ok = true; break; }
      } else {
        x = prev;
        g *= 4.0;
        dsrc = std::max(dsrc / 2.0, 1e-4);
        if (g > 1e8) break;
      }
    }
    if (ok) {
      r.srcFact = set.srcScale;
      r.ptranG = 0;
      r.ptranPrev = nullptr;
      last = s.newton.solve(r);
      if (last.status == NewtonStatus::Converged) return done("pseudo-transient");
      // Singular at the steady state itself: a node voltage the circuit holds only
      // through its history (a latch of behavioural sources that feeds its own
      // output back, V(n) = V(q) through a resistor to a capacitor). The pseudo
      // capacitors regularise node voltages only (a loop of voltage sources or
      // inductors stays singular and the continuation fails), and nodes without
      // any DC path are tied to ground before the analysis; so every value of
      // that node is a DC solution. The continuation's is where the circuit
      // settles powering up from rest, a solution to within its last
      // pseudo-current (g times the last change, at most ABSTOL: a node driven
      // away for ever, with no solution, keeps a large one). ngspice 39 takes the
      // end state of its transient operating point in this case.
      if (last.status == NewtonStatus::Singular && last.iterations <= 1 && pseudoCurrent <= o.abstol) {
        x = prev;
        s.warnings.raise("op-not-unique",
                         ir::Diagnostic{"operating point: the matrix is singular at the solution, at " +
                                            s.model->describeUnknown(last.worst) +
                                            ": its DC value is not unique (a latch holding its state, or a node "
                                            "held only by capacitors); the state the circuit settles in powering "
                                            "up from rest (pseudo-transient continuation) is used",
                                        where});
        return done("pseudo-transient (singular at the solution)");
      }
    }
    s.stats.newtonFailures++;
  }

  // 4'. ngspice's transient operating point.
  std::string optranFailure;
  if (optran.given && optran.step > 0) {
    Status st = transientOperatingPoint(s, optran, where);
    if (st) return done("transient op");
    s.stats.newtonFailures++;
    optranFailure = st.takeError().message;
  }

  std::string list;
  for (std::size_t k = 0; k < tried.size(); ++k)
    list += (k == 0 ? "" : k + 1 == tried.size() ? " and " : ", ") + tried[k];
  if (optran.given && optran.step > 0)
    return makeError(ErrorCode::Convergence,
                     "operating point did not converge: " +
                         (tried.empty() ? std::string() : "tried " + list + " (optran), then the ") + optranFailure,
                     where);
  if (tried.empty())
    return makeError(ErrorCode::Convergence,
                     "operating point not computed: optran switches off Newton, gmin and source stepping and "
                     "its transient (TSTEP 0)",
                     where);
  // A matrix singular where Newton starts is the circuit's (a node without a DC
  // path, a loop of sources), and so is one swamped by a runaway junction; one
  // that turns singular after some iterations is an iterate gone far from any
  // solution (conductances collapsed or exploded): a Newton failure.
  // (plain Newton's result decides: the fallbacks start elsewhere)
  const bool atStart =
      firstSingular.iterations <= 1 || (firstSingular.maxDiag > kRunawayG && firstSingular.maxDiagAt > 0);
  if (sawSingular && (last.status == NewtonStatus::Singular || firstSingular.worst > 0) && atStart)
    return singularError(s, last.status == NewtonStatus::Singular ? last : firstSingular, where);
  std::string note;
  if (sawSingular && firstSingular.worst > 0 && !atStart)
    note = " (plain Newton's iterate ran away: after " + std::to_string(firstSingular.iterations) +
           " iterations the matrix was singular at " + s.model->describeUnknown(firstSingular.worst) +
           " (not at the start: no missing DC path))";
  return makeError(ErrorCode::Convergence,
                   "operating point did not converge: tried " + list + note + "; the worst unknown was " +
                       describeFailure(s, last),
                   where);
}

namespace {

class OpStepper final : public AnalysisStepper {
 public:
  OpStepper(Session& s, const ir::Analysis& a, int index) : s_(s), a_(a), index_(index) {}

  Status start(SampleSink& sink) override {
    beginOperatingPoint(s_, sink, index_);
    return {};
  }

  Result<bool> step(SampleSink& sink, std::size_t) override {
    if (auto st = solveOperatingPoint(s_, OpSettings{}, a_.loc); !st) return st.takeError();
    refreshDeviceQuantities(s_);
    s_.newton.accept(0.0);
    writeOperatingPoint(s_, sink);
    done_ = true;
    return true;
  }

  double progress() const override { return done_ ? 1.0 : 0.0; }

 private:
  Session& s_;
  const ir::Analysis& a_;
  int index_;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<AnalysisStepper> makeOp(Session& s, const ir::Analysis& a, int index) {
  return std::make_unique<OpStepper>(s, a, index);
}

}  // namespace simcore::an
