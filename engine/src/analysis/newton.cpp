#include "analysis/newton.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>

namespace simcore::an {

namespace {
using Clock = std::chrono::steady_clock;
// With phase timing off, no clock is read (see SimulationOptions::phaseTimes).
Clock::time_point stamp(bool on) { return on ? Clock::now() : Clock::time_point(); }
double since(bool on, Clock::time_point t0) {
  return on ? std::chrono::duration<double>(Clock::now() - t0).count() : 0.0;
}
}  // namespace

NewtonSolver::NewtonSolver(CircuitModel& model, Integrator& integ, RunStats& stats, bool phaseTimes)
    : model_(model), integ_(integ), stats_(stats), opt_(model.circuit().options), lu_(model.pattern()),
      phaseTimes_(phaseTimes) {
  const int n = model.unknowns();
  x_.assign(std::size_t(n) + 1, 0.0);
  f_.assign(std::size_t(n) + 1, 0.0);
  dx_.assign(std::size_t(n), 0.0);
  a_.assign(std::size_t(model.pattern().nnz()) + 1, 0.0);
  factored_.assign(a_.size(), 0.0);
  isNode_.assign(std::size_t(n) + 1, 0);
  for (dev::Index u : model.nodeUnknowns()) isNode_[std::size_t(u)] = 1;
}

void NewtonSolver::load(const NewtonRequest& req, bool initJct, bool stampMatrix, bool resync) {
  auto t0 = stamp(phaseTimes_);
  releaseA();
  if (stampMatrix) std::fill(a_.begin(), a_.end(), 0.0);
  std::fill(f_.begin(), f_.end(), 0.0);
  dev::LoadContext c;
  c.mode = req.mode;
  c.x = x_.data();
  c.A = a_.data();
  c.f = f_.data();
  c.time = req.time;
  c.srcFact = req.srcFact;
  c.dcSources = req.dcSources;
  c.gmin = opt_.gmin;
  c.initJunctions = initJct;
  c.holdTemperatures = req.holdTemperatures;
  c.resync = resync;
  c.stampMatrix = stampMatrix;
  c.options = &opt_;
  c.parallel = parallel_;
  c.parallelTasks = parallelTasks_;
  c.parallelMinInstances = parallelMin_;
  if (req.useIntegrator) {
    c.ag0 = integ_.ag0();
    c.hist = integ_.hist();
  } else {
    c.ag0 = 0;
    c.hist = integ_.zeros();
  }
  c.q = integ_.q();
  c.iq = integ_.iq();
  for (auto& g : model_.groups()) g->load(c);
  loadedNoncon_ = c.noncon;
  stats_.parallelLoads += c.parallelLoads;
  x_[0] = 0.0;

  const solver::SparsePattern& p = model_.pattern();
  if (req.gshunt > 0)
    for (dev::Index u : model_.nodeUnknowns()) {
      if (stampMatrix) a_[std::size_t(p.diag(u))] += req.gshunt;
      f_[std::size_t(u)] += req.gshunt * x_[std::size_t(u)];
    }
  if (req.ptranG > 0 && req.ptranPrev)
    for (dev::Index u : model_.nodeUnknowns()) {
      if (stampMatrix) a_[std::size_t(p.diag(u))] += req.ptranG;
      f_[std::size_t(u)] += req.ptranG * (x_[std::size_t(u)] - req.ptranPrev[u]);
    }
  if (req.clamps)
    for (const Clamp& cl : *req.clamps) {
      if (stampMatrix) a_[std::size_t(p.diag(cl.unknown))] += cl.g;
      f_[std::size_t(cl.unknown)] += cl.g * (x_[std::size_t(cl.unknown)] - cl.value);
    }
  stats_.loadSeconds += since(phaseTimes_, t0);
}

bool NewtonSolver::residualSmall(dev::Index* worst) const {
  const solver::SparsePattern& p = model_.pattern();
  const int n = model_.unknowns();
  double vscale = 0;
  for (dev::Index u : model_.nodeUnknowns()) vscale = std::max(vscale, std::fabs(x_[std::size_t(u)]));
  double worstRatio = 0;
  bool ok = true;
  for (int u = 1; u <= n; ++u) {
    const double r = std::fabs(f_[std::size_t(u)]);
    const double diagTerm = std::fabs(a_[std::size_t(p.diag(u))] * x_[std::size_t(u)]);
    double tol;
    if (isNode_[std::size_t(u)])
      tol = std::fabs(a_[std::size_t(p.diag(u))]) * (opt_.reltol * std::fabs(x_[std::size_t(u)]) + opt_.vntol) + opt_.abstol;
    else
      tol = opt_.reltol * vscale + opt_.vntol;
    // no test below the rounding of the row's own terms: an inductor's branch row at a
    // short step holds L/h times its current (1e11 ohm x 12 kA at a switching instant),
    // whose last bits alone leave volts of residual
    tol = std::max(tol, kResidualUlps * std::numeric_limits<double>::epsilon() * diagTerm);
    if (!(r <= tol)) {
      ok = false;
      double ratio = r / tol;
      if (!(ratio <= worstRatio)) { worstRatio = ratio; if (worst) *worst = u; }
    }
  }
  return ok;
}

void FactorCache::reset(int first, int capacity) {
  map_.clear();
  free_.clear();
  for (int k = capacity - 1; k >= 0; --k) free_.push_back(first + k);
  capacity_ = capacity;
  clock_ = 0;
}

int FactorCache::find(const FactorKey& key) {
  auto it = map_.find(key);
  if (it == map_.end()) return -1;
  it->second.lastUse = ++clock_;
  return it->second.slot;
}

int FactorCache::take(const FactorKey& key) {
  int slot;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else {
    auto victim = map_.begin();
    for (auto it = map_.begin(); it != map_.end(); ++it)
      if (it->second.lastUse < victim->second.lastUse) victim = it;
    slot = victim->second.slot;
    map_.erase(victim);
  }
  map_[key] = Entry{slot, ++clock_};
  return slot;
}

void FactorCache::forget(const FactorKey& key) {
  auto it = map_.find(key);
  if (it == map_.end()) return;
  free_.push_back(it->second.slot);
  map_.erase(it);
}

void FactorCache::limit(int capacity) {
  while (int(map_.size() + free_.size()) > capacity && !free_.empty()) free_.pop_back();
  capacity_ = std::min(capacity_, std::max(capacity, int(map_.size())));
}

void NewtonSolver::setEventMode(bool on) {
  eventMode_ = on;
  cacheSized_ = false;
  configValid_ = false;
  configIds_.clear();
  // at most 64 factorizations, and about 128 MB of them (sized again after the first)
  cache_.reset(1, on ? 64 : 0);
  if (on) lu_.setSlots(1 + cache_.capacity());
}

void NewtonSolver::configuration(std::vector<std::uint8_t>& key) const {
  key.clear();
  for (const auto& g : model_.groups()) g->configuration(key);
}

NewtonResult NewtonSolver::solveEvent(const NewtonRequest& req) {
  NewtonResult res;
  res.iterations = 1;
  stats_.newtonIterations++;
  const int n = model_.unknowns();
  if (!configValid_) {
    configuration(config_);
    configBytes_.assign(reinterpret_cast<const char*>(config_.data()), config_.size());
    auto [it, added] = configIds_.try_emplace(configBytes_, int(configIds_.size()));
    if (added) stats_.configurations++;
    configId_ = it->second;
    // a very long run through ever new configurations: forget the numbering
    // (and with it every cached factorization) instead of growing without bound
    if (configIds_.size() > 100000) {
      configIds_.clear();
      cache_.reset(1, cache_.capacity());
      configId_ = configIds_.try_emplace(configBytes_, 0).first->second;
    }
    configValid_ = true;
  }
  const double ag0 = integ_.ag0();
  FactorKey key{configId_, 0};
  std::memcpy(&key.ag0bits, &ag0, sizeof ag0);
  int slot = cache_.find(key);
  if (slot >= 0) {
    stats_.factorCacheHits++;
    load(req, false, false);
  } else {
    load(req, false, true);
    slot = cache_.take(key);
    auto t0 = stamp(phaseTimes_);
    auto before = lu_.counters();
    solver::LuOutcome lo = lu_.factor(a_.data(), slot);
    stats_.factorizations += lu_.counters().factorizations - before.factorizations;
    stats_.refactorizations += lu_.counters().refactorizations - before.refactorizations;
    stats_.parallelRefactorizations += lu_.counters().parallelRefactorizations - before.parallelRefactorizations;
    stats_.factorSeconds += since(phaseTimes_, t0);
    if (lo == solver::LuOutcome::Ok && !cacheSized_) {
      // about 12 bytes per entry of L and U: keep the cache near 128 MB
      cacheSized_ = true;
      const double bytes = 12.0 * double(lu_.factorEntries(slot) + n) + 64.0;
      cache_.limit(int(std::clamp(128e6 / bytes, 2.0, 64.0)));
    }
    if (refused(lo, res)) {
      cache_.forget(key);
      return res;
    }
  }
  auto t0 = stamp(phaseTimes_);
  for (int u = 1; u <= n; ++u) dx_[std::size_t(u - 1)] = -f_[std::size_t(u)];
  lu_.solve(dx_.data(), slot);
  stats_.solves++;
  stats_.solveSeconds += since(phaseTimes_, t0);
  for (int u = 1; u <= n; ++u) {
    const double xn = x_[std::size_t(u)] + dx_[std::size_t(u - 1)];
    if (!std::isfinite(xn)) {
      res.status = NewtonStatus::NonFinite;
      res.worst = u;
      return res;
    }
    x_[std::size_t(u)] = xn;
  }
  // the charges (and their currents) at the solution, not at the starting point
  if (model_.states() > 0) {
    NewtonRequest rec = req;
    rec.mode = dev::AnalysisMode::TranCharges;
    load(rec, false, false);
  }
  res.status = NewtonStatus::Converged;
  return res;
}

// A singular matrix, or a poorly scaled one whose largest diagonal entry is
// a runaway conductance (kRunawayG): the result says which (status, worst
// unknown, largest diagonal). A matrix poorly scaled by the circuit's own
// elements (a microohm loop driven by a high-gain source) is solved.
bool NewtonSolver::refused(solver::LuOutcome lo, NewtonResult& res) const {
  if (lo == solver::LuOutcome::Ok && !lu_.poorlyScaled()) return false;
  dev::Index at = 0;
  const double maxDiag = largestDiagonal(&at);
  if (lo == solver::LuOutcome::Ok && !(maxDiag > runawayG_)) return false;
  res.status = NewtonStatus::Singular;
  res.worst = lu_.singularUnknown();
  res.maxDiag = maxDiag;
  res.maxDiagAt = at;
  return true;
}

double NewtonSolver::largestDiagonal(dev::Index* at) const {
  const solver::SparsePattern& pat = model_.pattern();
  double maxDiag = 0;
  for (int u = 1, n = model_.unknowns(); u <= n; ++u) {
    const double d = std::fabs(a_[std::size_t(pat.diag(u))]);
    if (d > maxDiag) {
      maxDiag = d;
      if (at) *at = u;
    }
  }
  return maxDiag;
}

NewtonResult NewtonSolver::solve(const NewtonRequest& req) {
  // In a transient a capacitor stamps C/h: a unit capacitor (ddt(), idt()) at a
  // step below 1 ps, or a bus capacitor at 1e-17 s, is no runaway junction
  const double capacitorG = req.useIntegrator ? std::max(kRunawayG, kRunawayFarads * integ_.ag0()) : kRunawayG;
  runawayG_ = req.useIntegrator ? std::max(capacitorG, kRunawayGrowth * convergedMaxDiag_) : kRunawayG;
  if (!req.useIntegrator) convergedMaxDiag_ = 0;
  if (eventMode_ && req.mode == dev::AnalysisMode::Tran && req.useIntegrator) return solveEvent(req);
  configValid_ = false;  // a DC solve may change device states
  NewtonResult res;
  const int n = model_.unknowns();
  // Every stamp of a linear circuit is affine in x (shunts, clamps and the
  // pseudo-transient conductance too), so one solve lands on the solution.
  const bool linear = model_.linear();
  // A linear circuit's matrix depends only on these; when they repeat, the
  // factored matrix is still right and devices need not stamp it again.
  const MatrixKey key{req.mode, req.useIntegrator ? integ_.ag0() : 0.0, req.useIntegrator ? integ_.h() : 0.0,
                      req.gshunt, req.ptranG, req.clamps,
                      req.clamps ? req.clamps->size() : 0};
  bool deferredRunaway = false;  // the first matrix was a solvable runaway (see below)
  for (int it = 0; it < req.maxIter; ++it) {
    const bool reuse = linear && haveFactor_ && key == factoredKey_;
    load(req, req.initJunctions && it == 0, !reuse, req.resync && it == 0);
    res.iterations = it + 1;
    stats_.newtonIterations++;

    auto t0 = stamp(phaseTimes_);
    const std::size_t nnz = a_.size() - 1;  // the bin is not part of the matrix
    // (nnz 0: a circuit without devices, whose factor of nothing stays valid;
    // memcmp must not see the empty vectors' null pointers)
    if (!reuse && (!haveFactor_ || (nnz > 0 && std::memcmp(a_.data(), factored_.data(), nnz * sizeof(double)) != 0))) {
      auto before = lu_.counters();
      solver::LuOutcome lo = lu_.factor(a_.data());
      stats_.factorizations += lu_.counters().factorizations - before.factorizations;
      stats_.refactorizations += lu_.counters().refactorizations - before.refactorizations;
      stats_.parallelRefactorizations +=
          lu_.counters().parallelRefactorizations - before.parallelRefactorizations;
      stats_.factorSeconds += since(phaseTimes_, t0);
      if (refused(lo, res)) {
        // A solvable but poorly scaled first matrix is solved: its starting
        // point may be arbitrary (a behavioural R = {v(x)} while v(x) is still
        // 0 is ngspice's 1e32 S); a runaway that stays is refused next time
        if (lo != solver::LuOutcome::Ok || it > 0) {
          haveFactor_ = false;
          lu_.invalidate();
          return res;
        }
        deferredRunaway = true;
        res.status = NewtonStatus::NotConverged;
        res.maxDiag = 0;
        res.maxDiagAt = 0;
      } else {
        deferredRunaway = false;
      }
      factoredInA_ = true;
      haveFactor_ = true;
    } else if (deferredRunaway && refused(solver::LuOutcome::Ok, res)) {
      // the same poorly scaled matrix again (a junction past its limit is linear)
      haveFactor_ = false;
      lu_.invalidate();
      return res;
    }
    if (!reuse) factoredKey_ = key;
    t0 = stamp(phaseTimes_);
    for (int u = 1; u <= n; ++u) dx_[std::size_t(u - 1)] = -f_[std::size_t(u)];
    lu_.solve(dx_.data());
    stats_.solves++;
    stats_.solveSeconds += since(phaseTimes_, t0);

    bool small = true, finite = true;
    if (linear) {
      // no convergence test needed: the update is the solution
      for (int u = 1; u <= n; ++u) x_[std::size_t(u)] += dx_[std::size_t(u - 1)];
      for (int u = 1; u <= n; ++u)
        if (!std::isfinite(x_[std::size_t(u)])) { finite = false; res.worst = u; break; }
    } else {
      double worstRatio = 0;
      for (int u = 1; u <= n; ++u) {
        const double d = dx_[std::size_t(u - 1)];
        const double xo = x_[std::size_t(u)], xn = xo + d;
        if (!std::isfinite(xn)) { finite = false; res.worst = u; break; }
        const double tol = opt_.reltol * std::max(std::fabs(xo), std::fabs(xn)) + (isNode_[std::size_t(u)] ? opt_.vntol : opt_.abstol);
        if (std::fabs(d) > tol) {
          small = false;
          double ratio = std::fabs(d) / tol;
          if (ratio > worstRatio) { worstRatio = ratio; res.worst = u; }
        }
        x_[std::size_t(u)] = xn;
      }
    }
    if (!finite) {
      res.status = NewtonStatus::NonFinite;
      return res;
    }
    if (linear) {
      // the charges were recorded at the starting point: record them at the solution
      if (req.useIntegrator) recordCharges(true);
      res.status = NewtonStatus::Converged;
      return res;
    }
    if (it > 0 && loadedNoncon_ == 0 && (small || updateWithinBranchTolerance()) && residualSmall(nullptr)) {
      res.status = NewtonStatus::Converged;
      if (req.useIntegrator) {
        convergedMaxDiag_ = largestDiagonal();
        res.pastRunaway = convergedMaxDiag_ > capacitorG;
      }
      return res;
    }
  }
  res.status = NewtonStatus::NotConverged;
  // the updates were small: the unknown whose residual stayed too large (none when
  // devices kept limiting their junction voltages)
  if (res.worst == 0) residualSmall(&res.worst);
  return res;
}

// A node that no conductance touches (a zero diagonal: it is reached only
// through inductors, voltage sources or controlled-source branches, like the
// star point of a three-phase RL load) has its voltage fixed by those branch
// rows alone, so its update is converged within their residual tolerance,
// reltol * (largest node voltage) + vntol. Asking vntol of it cannot be met
// at small steps: an inductor row's rounding, eps * (L/h) * |i|, is 1e-4 V at
// h = 1e-14 s with 4 A in 5 mH, and the update cycles on that noise. Every
// other unknown keeps the test of the loop above.
//
// Likewise a branch current (of a V, E, H or L) is only known to the rounding of
// the rows it is solved from: the update dx = -A^-1 f carries the rounding of f,
// whose rows hold terms such as C/h * v (a 6.5 nF capacitor at 16 V at h = 10 ps:
// 1e4 A, rounding far above abstol, and every source in series with it inherits
// that). So a branch update is converged within its share of that rounding,
// z = A^-1 s with s = kRowRounding * (each row's largest term |A_rc x_c|): one more
// solve with the factored matrix, done only when the test above fails. ngspice,
// which solves for x itself, reaches bit-identical iterates there instead.
bool NewtonSolver::updateWithinBranchTolerance() {
  constexpr double kRowRounding = 1e-13;  // about 450 unit roundoffs
  const solver::SparsePattern& p = model_.pattern();
  const int n = model_.unknowns();
  double branchTol = -1;  // reltol * max|v_node| + vntol, once a node needs it
  bool haveNoise = false;
  auto noiseFor = [&](int u) {
    if (!haveNoise) {
      haveNoise = true;
      noise_.assign(std::size_t(n), 0.0);
      const auto &cp = p.colPtr(), &ri = p.rowIdx();
      for (int c = 0; c < n; ++c)
        for (int k = cp[std::size_t(c)]; k < cp[std::size_t(c) + 1]; ++k) {
          const std::size_t r = std::size_t(ri[std::size_t(k)]);
          noise_[r] = std::max(noise_[r], std::fabs(a_[std::size_t(k)] * x_[std::size_t(c) + 1]));
        }
      for (double& v : noise_) v *= kRowRounding;
      lu_.solve(noise_.data());
    }
    return std::fabs(noise_[std::size_t(u - 1)]);
  };
  for (int u = 1; u <= n; ++u) {
    const double d = dx_[std::size_t(u - 1)], xn = x_[std::size_t(u)], xo = xn - d;
    const bool node = isNode_[std::size_t(u)];
    if (std::fabs(d) <= opt_.reltol * std::max(std::fabs(xo), std::fabs(xn)) + (node ? opt_.vntol : opt_.abstol)) continue;
    if (std::fabs(d) <= noiseFor(u)) continue;
    if (!node) return false;
    if (a_[std::size_t(p.diag(u))] != 0.0) return false;
    if (branchTol < 0) {
      double vscale = 0;
      for (dev::Index v : model_.nodeUnknowns()) vscale = std::max(vscale, std::fabs(x_[std::size_t(v)]));
      branchTol = opt_.reltol * vscale + opt_.vntol;
    }
    if (!(std::fabs(d) <= branchTol)) return false;
  }
  return true;
}

void NewtonSolver::recordCharges(bool integrate) {
  releaseA();
  dev::LoadContext c;
  c.mode = dev::AnalysisMode::TranInit;
  c.x = x_.data();
  c.A = a_.data();
  c.f = f_.data();
  c.gmin = opt_.gmin;
  c.options = &opt_;
  c.ag0 = integrate ? integ_.ag0() : 0.0;
  c.hist = integrate ? integ_.hist() : integ_.zeros();
  c.q = integ_.q();
  c.iq = integ_.iq();
  for (auto& g : model_.groups()) g->load(c);
}

void NewtonSolver::loadOnly(dev::AnalysisMode mode, double time, bool uic) {
  configValid_ = false;
  releaseA();
  std::fill(a_.begin(), a_.end(), 0.0);
  std::fill(f_.begin(), f_.end(), 0.0);
  dev::LoadContext c;
  c.mode = mode;
  c.x = x_.data();
  c.A = a_.data();
  c.f = f_.data();
  c.time = time;
  c.dcSources = false;
  c.uic = uic;
  c.gmin = opt_.gmin;
  c.options = &opt_;
  c.ag0 = 0;
  c.hist = integ_.zeros();
  c.q = integ_.q();
  c.iq = integ_.iq();
  for (auto& g : model_.groups()) g->load(c);
}

void NewtonSolver::accept(double time) {
  configValid_ = false;
  for (auto& g : model_.groups()) g->accept(x_.data(), time);
}

}  // namespace simcore::an
