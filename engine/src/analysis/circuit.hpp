// The compiled circuit: device groups, unknowns, the fixed matrix pattern,
// charge states and the output signal table. Built once from an ir::Circuit;
// the analyses share it.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "analysis/integrator.hpp"
#include "devices/context.hpp"
#include "simcore/simulate.hpp"
#include "solver/sparse.hpp"

namespace simcore::an {

struct DeviceRef {
  int group = -1;
  int index = -1;
};

// One output column: an unknown, or a device quantity (@device[param],
// i(r1)) that group computes for one instance (see DeviceGroup::quantity).
// A terminal current of ngspice's .probe names (i(m1:d)) is one of the second
// kind, read through DeviceGroup::terminalCurrent.
struct OutputSignal {
  SignalInfo info;
  dev::Index unknown = 0;
  const dev::DeviceGroup* group = nullptr;  // set for a device quantity
  std::size_t instance = 0;
  int quantity = -1;
  bool terminal = false;  // quantity is a terminalCurrentId
  bool deviceQuantity() const { return group != nullptr; }
  // the value at a real solution (qc.x) or at an ac one (x, omega)
  double value(const dev::QuantityContext& qc) const {
    if (!group) return qc.x[unknown];
    return terminal ? group->terminalCurrent(instance, quantity, qc) : group->quantity(instance, quantity, qc);
  }
  std::complex<double> acValue(const std::complex<double>* x, double omega) const {
    if (!group) return x[unknown];
    return terminal ? group->acTerminalCurrent(instance, quantity, x, omega) : group->acQuantity(instance, quantity, x, omega);
  }
};

class CircuitModel {
 public:
  // `analyses`: the run's list of analyses when the circuit given is a session's copy without
  // them (a variant's); by default the circuit's own.
  static Result<std::unique_ptr<CircuitModel>> build(const ir::Circuit& circuit, const dev::TranHints& hints,
                                                     const std::vector<ir::Analysis>* analyses = nullptr);

  const ir::Circuit& circuit() const { return *circuit_; }
  // The run's analyses (what an output's index counts after; whether a .noise runs).
  const std::vector<ir::Analysis>& analyses() const { return *analyses_; }
  int unknowns() const { return int(names_.size()) - 1; }
  // Unknowns that are node voltages (external and internal), and a flag per unknown.
  const std::vector<dev::Index>& nodeUnknowns() const { return nodeUnknowns_; }
  bool isNode(dev::Index u) const { return isNode_[std::size_t(u)] != 0; }
  const std::string& unknownName(dev::Index u) const { return names_[std::size_t(u)]; }
  // "node 'n3'" or "branch current of 'v1'"
  std::string describeUnknown(dev::Index u) const;
  const ir::Device* ownerOf(dev::Index u) const;  // device that created a branch / internal node
  int states() const { return states_; }
  // Unknowns solved inside devices (SetupContext::deviceUnknowns).
  std::int64_t deviceUnknowns() const { return deviceUnknowns_; }
  // The unknown limit's check: the circuit's unknowns and the devices' own
  // (an error with ErrorCode::Limit naming both; limit <= 0: none).
  Status checkUnknownLimit(std::int64_t limit) const;
  // Charge states left out of the truncation-error step (SetupContext::untruncated).
  const std::vector<int>& untruncated() const { return untruncated_; }
  // Blocks of states truncated together (SetupContext::truncatedByMean).
  using MeanBlock = Integrator::MeanBlock;
  const std::vector<MeanBlock>& meanBlocks() const { return meanBlocks_; }
  // (state, into): state's charge counts in into's for the truncation error
  const std::vector<std::pair<int, int>>& truncatedWith() const { return truncatedWith_; }
  bool linear() const { return linear_; }

  std::vector<std::unique_ptr<dev::DeviceGroup>>& groups() { return groups_; }
  const solver::SparsePattern& pattern() const { return *pattern_; }

  dev::Index nodeIndex(std::string_view name) const;  // -1 if unknown
  DeviceRef findDevice(std::string_view name) const;
  dev::Index branchOf(std::string_view device) const;  // 0: none, -1: no such device

  // A group of nodes with no DC path to ground: its nodes (first the one the
  // netlist names first) and the first card that touches that node.
  struct FloatingGroup {
    std::vector<dev::Index> nodes;
    const ir::Device* firstUser = nullptr;
    bool capacitive = false;  // a capacitor (card C) links it to ground: its AC matrix is regular
    // something outside it can excite it in .ac (an AC source in it, a controlled source or a
    // device reaching in from outside): without a capacitor to ground, its .ac is singular
    bool acDriven = false;
  };
  // Voltage-source loops and floating nodes. Without `floating`, the first
  // floating node is a Topology error; with it, every floating group is
  // appended there instead (the caller ties them to ground, see
  // floatingWarning). A loop of voltage sources alone is an error; without
  // `openAtDc` (the caller passes it for transients' operating points only)
  // so is one with an inductor in it. With it, one inductor of each
  // such loop is appended there (whose DC current is undetermined, or unbounded
  // when the loop's DC voltages do not cancel) and the check returns without
  // looking for floating nodes: the caller opens them at the operating point
  // (dcopen, openAtDc) and checks the rebuilt model again.
  // icPins: every operating point to solve is a transient's initial one, where
  // the .ic values pin their nodes (a node only capacitors reach has its DC
  // value there, as in ngspice: PySpice's `.ic V(mid)=0` between two capacitors).
  Status checkTopology(bool icPins = false, std::vector<FloatingGroup>* floating = nullptr,
                       std::vector<const ir::Device*>* openAtDc = nullptr) const;
  // Opens each inductor of `inductors` (found by checkTopology in this model) at
  // the operating point in `c` (the circuit this model was built from, or a copy
  // of it): its dcopen=1, its DC current 0 A, with a warning each.
  void openAtDc(const std::vector<const ir::Device*>& inductors, ir::Circuit& c,
                std::vector<ir::Diagnostic>* warnings) const;
  // The warning of a floating group whose first node a shunt of gshunt
  // siemens ties to ground (at the group's firstUser).
  std::string floatingWarning(const FloatingGroup& g, double gshunt) const;
  // Ties each floating group to ground in `c` (the circuit this model was built
  // from, or a copy of it): a noiseless resistor of 1/gmin (.options gmin, else
  // 1e-12 S) from the group's first node, named gmin#NODE so that no card can
  // name it. One tie fixes the group's level and carries no current unless
  // sources feed the group, so the rest of the group is solved as if it
  // floated (as ngspice's solve of the singular matrix does); a tie on every
  // node would pull nodes that only leakage of gmin size holds. With
  // `warnings`, each group's floatingWarning is appended there.
  void tieFloating(const std::vector<FloatingGroup>& groups, ir::Circuit& c,
                   std::vector<ir::Diagnostic>* warnings) const;
  // The Topology error of a floating group in a circuit that runs .ac, when no
  // capacitor links it to ground (ngspice 39's AC matrix is then singular).
  Error floatingAcError(const FloatingGroup& g) const;

  // Output signals: explicit list, else .save cards, else every node voltage
  // and the branch currents: of V devices, then of L, E and H (ngspice's plot).
  Result<std::vector<OutputSignal>> outputs(const std::vector<std::string>& requested) const;

 private:
  friend class Builder;
  const ir::Circuit* circuit_ = nullptr;
  const std::vector<ir::Analysis>* analyses_ = nullptr;
  // The circuit with its temper-dependent parameters evaluated at its
  // temperature (circuit_ then points here); null when it has none.
  std::unique_ptr<ir::Circuit> atTemperature_;
  std::vector<std::unique_ptr<dev::DeviceGroup>> groups_;
  std::vector<std::string> names_;           // [0] = "0" (ground)
  std::vector<const ir::Device*> owner_;     // per unknown: creator for branches/internal nodes
  std::unordered_map<std::string, dev::Index> nodeIndex_;
  std::unordered_map<std::string, dev::Index> branchIndex_;
  std::unordered_map<std::string, DeviceRef> devices_;
  std::vector<dev::Index> nodeUnknowns_;
  std::vector<char> isNode_;
  int states_ = 0;
  std::int64_t deviceUnknowns_ = 0;
  std::vector<int> untruncated_;
  std::vector<MeanBlock> meanBlocks_;
  std::vector<std::pair<int, int>> truncatedWith_;
  bool linear_ = true;
  std::unique_ptr<solver::SparsePattern> pattern_;
};

}  // namespace simcore::an
