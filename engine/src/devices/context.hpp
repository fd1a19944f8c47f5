// Contexts handed to device groups in each phase, and small stamping helpers.
#pragma once

#include <cmath>
#include <complex>
#include <string>
#include <string_view>

#include "devices/device.hpp"
#include "simcore/parallel.hpp"
#include "solver/sparse.hpp"

namespace simcore::dev {

// Information about the transient analysis that source defaults depend on
// (PULSE rise time defaults to tstep, SIN/PULSE period to tstop...).
struct TranHints {
  double tstep = 0;
  double tstop = 0;
};

// Implemented by the circuit builder (analysis/circuit.cpp).
struct SetupContext {
  virtual ~SetupContext() = default;
  virtual const ir::Circuit& circuit() const = 0;
  // The run's analyses (a variant's circuit may be a copy without them).
  virtual const std::vector<ir::Analysis>& analyses() const { return circuit().analyses; }
  virtual const ir::Options& options() const = 0;
  virtual const TranHints& tranHints() const = 0;
  // Unknown of a (flattened) node name; "0" is ground.
  virtual Index node(std::string_view name) = 0;
  // New branch-current unknown owned by device `owner`; shows up as i(owner).
  virtual Index addBranch(const ir::Device& owner) = 0;
  // New internal node (e.g. behind a series resistance), named "<device>#<suffix>".
  virtual Index addInternalNode(const ir::Device& owner, std::string_view suffix) = 0;
  // count new charge states; returns the first index.
  virtual int addStates(int count) = 0;
  // count unknowns a device solves inside itself (a numerical device's mesh):
  // they count against the run's unknown limit (SimulationOptions::maxUnknowns)
  virtual void deviceUnknowns(std::int64_t count) {}
  // Branch unknown of another device (V, L, E, H...), 0 if it has none, -1 if no such device.
  virtual Index branchOf(std::string_view deviceName) const = 0;
  // Another device by flattened name (nullptr when none).
  virtual const ir::Device* findDevice(std::string_view name) const = 0;
  // Strong digital outputs (XSPICE event-driven nodes): counts one more on
  // node u and returns where the node's count is kept, final once every
  // group is set up (read it in resolve()); nullptr when nothing is counted.
  virtual const int* countDigitalDriver(Index u) { return nullptr; }
  // Model of a device (nullptr when none).
  const ir::Model* model(const ir::Device& d) const {
    return d.model >= 0 ? &circuit().models[static_cast<std::size_t>(d.model)] : nullptr;
  }
};

class PatternBuilder {
 public:
  explicit PatternBuilder(solver::SparsePattern& p) : p_(p) {}
  Pos entry(Index r, Index c) { return p_.entry(r, c); }
  bool binding() const { return p_.finalized(); }

 private:
  solver::SparsePattern& p_;
};

// Four positions of a two-terminal conductance stamp.
struct Quad {
  Pos aa = 0, ab = 0, ba = 0, bb = 0;
  void bind(PatternBuilder& b, Index a, Index k) {
    aa = b.entry(a, a); ab = b.entry(a, k); ba = b.entry(k, a); bb = b.entry(k, k);
  }
};

// The four positions of a branch current r between nodes a and b (V, L, E,
// H): the current leaves a and enters b (KCL rows), and the branch row holds
// v(a) - v(b) - (what the device forces).
struct BranchQuad {
  Pos ar = 0, br = 0, ra = 0, rb = 0;
  void bind(PatternBuilder& b, Index a, Index k, Index r) {
    ar = b.entry(a, r); br = b.entry(k, r); ra = b.entry(r, a); rb = b.entry(r, k);
  }
  // The constant +-1 entries, into a real or complex value array.
  template <class T>
  void stamp(T* A) const {
    A[ar] += 1.0; A[br] -= 1.0; A[ra] += 1.0; A[rb] -= 1.0;
  }
};

struct LoadContext {
  AnalysisMode mode = AnalysisMode::DcOp;
  const double* x = nullptr;  // unknowns, x[0] == 0
  double* A = nullptr;        // matrix values by position (bin at the end)
  double* f = nullptr;        // residual: currents leaving each node; f[0] is a bin
  double time = 0;
  double srcFact = 1.0;       // independent sources scaled by this (source stepping)
  bool dcSources = true;      // .op/.dc: sources give their DC value; transient (and its
                              // initial point): the value of their waveform at `time`
  double gmin = 1e-12;        // junction shunt conductance
  bool uic = false;           // TranInit: use device initial conditions instead of x
  bool initJunctions = false; // first iteration from scratch: junctions start from built-in guesses
  // Self-heating devices at their instance temperature: their power still flows into the
  // thermal node, but their parameters do not follow it (the operating point's first homotopy)
  bool holdTemperatures = false;
  // The first iteration of a time step retried after Newton failed: the
  // junction voltages are not limited against the failed attempt's last
  // iterate (ngspice limits the retry's prediction against the last accepted
  // point; the prediction from accepted points is the reference here).
  bool resync = false;
  int noncon = 0;             // number of junctions that were limited in this load
  // false: the matrix is already factored with identical values (linear
  // circuit, same step): linear devices may skip their A stamps and only
  // add to f. Nonlinear devices are never loaded with false.
  bool stampMatrix = true;

  // Integration (owned by the analysis): current of charge state s is ag0*q + hist[s].
  double ag0 = 0;
  const double* hist = nullptr;
  double* q = nullptr;   // charge of each state at this point (written by devices)
  double* iq = nullptr;  // current of each state at this point (written by charge())

  const ir::Options* options = nullptr;

  // Device evaluation in slices on other threads (SimulationOptions::parallel);
  // null: one thread. A semiconductor group's model evaluations run in
  // slices of instances, then its additions into A and f in parts of the
  // positions and rows (each position and row gets them in instance order).
  const ParallelFor* parallel = nullptr;
  std::size_t parallelTasks = 1;
  std::size_t parallelMinInstances = 0;
  std::int64_t parallelLoads = 0;  // group loads split into slices (counted on the calling thread)

  // Record charge qv of state s and return its current (0 at DC). Contract:
  // every load (of any mode) calls this for every state the group owns.
  double charge(int s, double qv) {
    q[s] = qv;
    double i = ag0 * qv + hist[s];
    iq[s] = i;
    return i;
  }
  // A conductance g between unknowns a and b carrying current i (a -> b):
  // residual gets +i at a, -i at b; the Jacobian gets the stamp.
  void conductance(const Quad& p, Index a, Index b, double g, double i) {
    A[p.aa] += g; A[p.bb] += g; A[p.ab] -= g; A[p.ba] -= g;
    f[a] += i; f[b] -= i;
  }
};

struct AcContext {
  double omega = 0;
  std::complex<double>* A = nullptr;  // complex matrix values by position
  std::complex<double>* b = nullptr;  // excitation, size n+1 (b[0] is a bin)
  const double* xop = nullptr;        // operating point
  void admittance(const Quad& p, std::complex<double> y) {
    A[p.aa] += y; A[p.bb] += y; A[p.ab] -= y; A[p.ba] -= y;
  }
};

// Convenience for parameters: find a named param of an instance/model.
inline const ir::Param* findParam(const std::vector<ir::Param>& ps, std::string_view name) {
  for (const auto& p : ps)
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace simcore::dev
