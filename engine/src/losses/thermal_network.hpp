// The thermal network of a run: the .thermal elements, the junction nodes of
// the metered devices with their junction-case chains, solved on its own
// step with the heat flows held constant over the step.
//
//   C dT/dt + G T = u       (T: temperatures of the free nodes [degC])
//
// Nodes held at a temperature (node 0 at .temp, T elements) enter u through
// their conductances; P elements and the devices' losses enter u as heat.
// G is symmetric positive definite when every free node has a resistive path
// to a held node (an error otherwise), C symmetric positive semi-definite
// (a node without capacitance is algebraic). With G = L Lᵀ and the
// eigen-decomposition L⁻¹ C L⁻ᵀ = Q Λ Qᵀ, the modes z = Qᵀ Lᵀ T decouple:
// λ z' + z = Qᵀ L⁻¹ u, so for u constant over a step h
//   z(t+h) = w + (z(t) − w)·e^{−h/λ}   (λ = 0: z = w),  w = Qᵀ L⁻¹ u,
// which is exact: a Foster chain's step response is reproduced to round-off
// at any step, and a Cauer ladder's modes are its true time constants.
#pragma once

#include <string>
#include <vector>

#include "simcore/ir.hpp"
#include "simcore/result.hpp"

namespace simcore::losses {

class ThermalNetwork {
 public:
  // A junction: the device's name, the node its chain ends at, the chain
  // (empty: the junction is that node).
  struct Junction {
    std::string device;
    std::string node;
    ir::ThermalChain chain;
    SourceLoc loc;
  };
  // Builds the network; errors name the element (a node without a resistive
  // path to a held temperature, a node held twice).
  static Result<ThermalNetwork> build(const std::vector<ir::ThermalElement>& elements,
                                      const std::vector<Junction>& junctions, double ambient);

  // Initial state: the steady state with no device losses.
  void reset();
  // The steady state with junction heat flows p held for ever.
  void settle(const std::vector<double>& p);
  // Advances by h with junction heat flows p (one per junction, W).
  void step(double h, const std::vector<double>& p);
  // Temperature of junction k, and of the named node k (see nodeNames()).
  double junction(std::size_t k) const { return temp(junctionNode_[k]); }
  const std::vector<std::string>& nodeNames() const { return names_; }
  double node(std::size_t k) const { return temp(namedNode_[k]); }
  // The slowest and fastest time constants of the network [s] (0 when it has no capacitance).
  double slowest() const;
  double fastest() const;

 private:
  int nodeOf(const std::string& name);
  double temp(int node) const { return free_[std::size_t(node)] < 0 ? fixed_[std::size_t(node)] : x_[std::size_t(free_[std::size_t(node)])]; }
  std::vector<double> sources(const std::vector<double>* p) const;

  struct Stamp {
    int a, b;
    double v;
  };
  std::vector<std::string> allNames_;          // per node (0: ambient)
  std::vector<double> fixed_;                  // per node: held temperature or NaN
  std::vector<double> heat_;                   // per node: constant heat flow [W]
  std::vector<Stamp> g_, c_;                   // conductances, capacitances
  std::vector<SourceLoc> nodeLoc_;             // per node: an element at it
  std::vector<int> free_;                      // per node: index among the free nodes or -1
  std::vector<int> junctionNode_, namedNode_;
  std::vector<std::string> names_;
  std::size_t m_ = 0;                          // free nodes
  std::vector<double> fromModes_, load_, lambda_;  // m x m: L⁻ᵀ Q, Qᵀ L⁻¹; Λ
  std::vector<double> x_, z_, w_;
};

}  // namespace simcore::losses
