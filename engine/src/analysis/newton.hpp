// Newton-Raphson on the MNA residual, shared by every analysis.
//
//   x = starting guess
//   for it in 0 .. maxIter-1:
//     A, f = load(x)                     devices: f = KCL residual, A = df/dx (limited)
//     add shunts (gmin stepping), clamps (.ic / .nodeset), pseudo-transient caps
//     LU(A) (refactor when the pivot order is still good), dx = -A^-1 f
//     x += dx
//     linear circuit: converged (every stamp is affine in x); record charges at x
//     if it > 0 and nothing was limited and |dx| small and |f| small: converged
//
// "small" is SPICE's: |dx_i| <= reltol*max(|x_i|,|x_i+dx_i|) + vntol (abstol for
// branch currents); a node residual passes when it is within the current that
// the node's diagonal conductance turns the voltage tolerance into, plus abstol.
// A node with a zero diagonal (no conductance: only inductor, source or
// controlled-source branches reach it) is fixed by those branch rows alone;
// its update passes within their tolerance, reltol*max|v_node| + vntol.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "analysis/circuit.hpp"
#include "analysis/integrator.hpp"
#include "solver/lu.hpp"

namespace simcore::an {

// Above this a diagonal entry (S) is no circuit's own conductance: a junction
// driven straight by a source has run its exponential far up.
constexpr double kRunawayG = 1e12;
// In a transient the test allows the companion conductance of capacitors up to
// this size (ag0 * C): behavioural ddt() and idt() use 1 F.
constexpr double kRunawayFarads = 10.0;
// ... and a diagonal up to this many times the largest of the last converged
// transient solve: a junction a source forces ever further forward (a sine on an
// analog switch's pin past its supply: 1e12 A and growing, as in ngspice) is the
// circuit's own state once a solve has converged with it; refusing it made the
// steps shrink with the junction's exponential until the transient crawled.
constexpr double kRunawayGrowth = 100.0;
// The residual test allows at least this many units in the last place of the
// largest term of a row (its diagonal times its unknown): below that it measures
// rounding, not convergence.
constexpr double kResidualUlps = 64.0;

// Pull an unknown towards a value through conductance g (.ic, .nodeset).
struct Clamp {
  dev::Index unknown;
  double value;
  double g;
};

struct NewtonRequest {
  dev::AnalysisMode mode = dev::AnalysisMode::DcOp;
  double time = 0;
  bool dcSources = true;
  double srcFact = 1.0;
  double gshunt = 0;           // extra conductance from every node to ground (gmin stepping)
  int maxIter = 100;
  bool initJunctions = false;
  bool holdTemperatures = false;  // dev::LoadContext::holdTemperatures
  bool resync = false;         // a retried time step: dev::LoadContext::resync on the first iteration
  bool useIntegrator = false;  // transient: charges integrate with the integrator's coefficients
  const std::vector<Clamp>* clamps = nullptr;
  // pseudo-transient continuation: conductance to the previous solution on every node
  double ptranG = 0;
  const double* ptranPrev = nullptr;
};

enum class NewtonStatus { Converged, NotConverged, Singular, NonFinite };

struct NewtonResult {
  NewtonStatus status = NewtonStatus::NotConverged;
  int iterations = 0;
  dev::Index worst = 0;  // unknown with the worst normalized update at the last iteration
  // Singular only: the largest diagonal entry of the matrix and its unknown. A
  // huge one (a junction forward-biased straight from a source) swamps the
  // other entries of its row below the pivot tolerance.
  double maxDiag = 0;
  dev::Index maxDiagAt = 0;
  // Converged transient solve only: a diagonal entry was above kRunawayG (and
  // the capacitors' allowance), accepted because a converged solve before had
  // one near it (kRunawayGrowth): a junction a source forces far forward, whose
  // currents are no longer physical.
  bool pastRunaway = false;
};

// Event mode (a piecewise-linear circuit, see DeviceGroup::piecewiseLinear):
// a transient solve is one linear solve with the switch states held; its
// matrix depends only on the configuration and the integration coefficient,
// so factorizations are kept per (configuration, ag0) in a bounded cache
// (least recently used evicted) and a repeated step costs one load and one
// forward/back substitution.
struct FactorKey {
  int configuration = 0;      // index of the configuration (NewtonSolver numbers them)
  std::uint64_t ag0bits = 0;  // the integration coefficient's bits
  bool operator==(const FactorKey&) const = default;
};
struct FactorKeyHash {
  std::size_t operator()(const FactorKey& k) const {
    std::uint64_t h = k.ag0bits ^ (std::uint64_t(std::uint32_t(k.configuration)) * 0x9e3779b97f4a7c15ull);
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ull;
    return std::size_t(h ^ (h >> 29));
  }
};

class FactorCache {
 public:
  // slots [first, first + capacity) of the LU belong to the cache
  void reset(int first, int capacity);
  // The slot of key, or -1 (a miss; then take()).
  int find(const FactorKey& key);
  // A slot for a new key (a free one, else the least recently used one's).
  int take(const FactorKey& key);
  // Drop a key (its factorization failed); its slot becomes free.
  void forget(const FactorKey& key);
  // At most `capacity` slots from now on (free ones are dropped first).
  void limit(int capacity);
  int capacity() const { return capacity_; }

 private:
  struct Entry {
    int slot;
    std::uint64_t lastUse;
  };
  std::unordered_map<FactorKey, Entry, FactorKeyHash> map_;
  std::vector<int> free_;
  int capacity_ = 0;
  std::uint64_t clock_ = 0;
};

class NewtonSolver {
 public:
  NewtonSolver(CircuitModel& model, Integrator& integ, RunStats& stats, bool phaseTimes = true);

  // Device evaluation on other threads (SimulationOptions::parallel); null: none.
  // The LU refactorization too, in `threads` groups (SparseLu::setParallel).
  void setParallel(const ParallelFor* parallel, std::size_t tasks, std::size_t minInstances, std::size_t threads,
                   std::int64_t minLuWork) {
    parallel_ = parallel;
    parallelTasks_ = tasks;
    parallelMin_ = minInstances;
    if (threads > 1) lu_.setParallel(parallel, threads, minLuWork);
  }

  // Event mode for Tran solves (see FactorCache); resets the cache.
  void setEventMode(bool on);
  bool eventMode() const { return eventMode_; }
  // The circuit's configuration (every group's discrete state) into key.
  void configuration(std::vector<std::uint8_t>& key) const;
  // Device states may have changed outside a solve (DeviceGroup::settle):
  // the next event-mode solve reads the configuration again.
  void configurationChanged() { configValid_ = false; }

  std::vector<double>& x() { return x_; }
  NewtonResult solve(const NewtonRequest& req);
  // One load without solving (TranInit: record charges at the current x).
  void loadOnly(dev::AnalysisMode mode, double time, bool uic);
  // Tell every group that x is accepted at `time`.
  void accept(double time);

 private:
  void load(const NewtonRequest& req, bool initJct, bool stampMatrix, bool resync = false);
  bool residualSmall(dev::Index* worst) const;
  // After a factorization: whether the matrix is refused (singular, or poorly
  // scaled by a runaway conductance); if so res says why.
  bool refused(solver::LuOutcome lo, NewtonResult& res) const;
  // The update test again, with a node that has no diagonal entry held to
  // the branch-row tolerance (after the loop's test failed).
  bool updateWithinBranchTolerance();
  std::vector<double> noise_;  // updateWithinBranchTolerance's rounding estimate
  double runawayG_ = kRunawayG;  // refused()'s threshold for this solve
  double convergedMaxDiag_ = 0;  // the largest diagonal of the last converged transient solve
  // The largest |diagonal entry| of the loaded matrix (and its unknown).
  double largestDiagonal(dev::Index* at = nullptr) const;
  // Charges (and their currents) at the current x without stamping anything.
  void recordCharges(bool integrate);
  // A Tran solve in event mode: one linear solve with a cached factorization.
  NewtonResult solveEvent(const NewtonRequest& req);

  CircuitModel& model_;
  Integrator& integ_;
  RunStats& stats_;
  const ir::Options& opt_;
  std::vector<double> x_, a_, f_, dx_;
  std::vector<double> factored_;  // matrix values of the current LU (skip identical refactors)
  // The current LU was factored from a_ as it is: factored_'s values are in
  // a_, and the two vectors are swapped before a_ is written again
  // (releaseA), instead of copying a_ into factored_ after every factorization.
  bool factoredInA_ = false;
  void releaseA() {
    if (factoredInA_) a_.swap(factored_);
    factoredInA_ = false;
  }
  bool haveFactor_ = false;
  struct MatrixKey {
    dev::AnalysisMode mode;
    // ag0 and the step: ag0 alone does not tell a backward-Euler step h from a
    // trapezoidal one of 2h, and a line's stamp depends on the step itself
    double ag0, h, gshunt, ptranG;
    const void* clamps;
    std::size_t nclamps;
    bool operator==(const MatrixKey&) const = default;
  };
  MatrixKey factoredKey_{};
  std::vector<char> isNode_;
  solver::SparseLu<double> lu_;
  int loadedNoncon_ = 0;
  bool phaseTimes_ = true;
  const ParallelFor* parallel_ = nullptr;
  std::size_t parallelTasks_ = 1, parallelMin_ = 0;
  bool eventMode_ = false;
  FactorCache cache_;
  bool cacheSized_ = false;
  std::vector<std::uint8_t> config_;
  std::string configBytes_;
  bool configValid_ = false;
  int configId_ = 0;
  std::unordered_map<std::string, int> configIds_;  // every configuration seen, numbered
};

}  // namespace simcore::an
