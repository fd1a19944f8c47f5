#pragma once
// Warnings an analysis raises while it runs (a transient that goes on with
// non-physical currents, ...). Each has a key; a warning whose key was raised
// before in the run is dropped, so a condition met at every step is told once.
// The Simulation moves the pending ones into its circuit's warnings (after the
// reader's and the floating-node ones) as the run goes; the front ends print
// them from there. No I/O.

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "simcore/ir.hpp"

namespace simcore::an {

class RunWarnings {
 public:
  // Appends w unless `key` was raised before; true when w was appended.
  bool raise(const std::string& key, ir::Diagnostic w) {
    if (!keys_.insert(key).second) return false;
    pending_.push_back(std::move(w));
    return true;
  }
  bool raised(const std::string& key) const { return keys_.count(key) != 0; }
  // The warnings raised since the last call, in order (the keys stay raised).
  std::vector<ir::Diagnostic> take() { return std::exchange(pending_, {}); }
  // Appends the pending warnings to `out`.
  void moveTo(std::vector<ir::Diagnostic>& out) {
    for (auto& w : pending_) out.push_back(std::move(w));
    pending_.clear();
  }

 private:
  std::set<std::string> keys_;
  std::vector<ir::Diagnostic> pending_;
};

}  // namespace simcore::an
