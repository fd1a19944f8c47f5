// Control blocks (A cards, XSPICE-style code models): the pieces every block
// kind shares. A block reads voltages and drives voltages:
//   inputs   v(p) - v(m) of each port element; they draw no current
//   outputs  ideal voltage sources v(p) - v(m) = y, each with a branch-current
//            unknown (its own row), so control nets stay well conditioned
// y is affine in x for a fixed discrete state, so every block is piecewise
// linear and runs in the event engine; states that change y discontinuously
// (or change its form) are reported by configuration().
#pragma once

#include <span>
#include <string>
#include <vector>

#include "devices/common.hpp"

namespace simcore::dev::block {

// One port element: the voltage v(p) - v(m) (m is ground for a %v port and
// for a digital node). A NULL element (an unconnected port) has p = m = -1.
struct PortPair {
  Index p = 0, m = 0;
  double v(const double* x) const { return x[p] - x[m]; }
  bool null() const { return p < 0; }
};

// The shape of one port of a kind, in card order.
struct PortShape {
  const char* name;      // for messages ("in", "out", "outn")
  bool vector = false;   // a [ ... ] vector (summer inputs); otherwise one element
  bool optional = false; // may be left out; given ports fill the optional ones in order
  bool digital = false;  // a digital port: bare nodes or %d (else analog: bare, %v, %vd)
  bool nullable = false; // an element may be NULL
  // A conductance port (XSPICE %g, %gd): the block drives a current through
  // it that depends on its voltage. Takes a bare node, (a b), %g or %gd.
  bool conductance = false;
  // The port's default type is differential (%gd): a bare node takes the
  // next bare node as its minus node (ngspice reads "a b" and "(a b)" alike).
  // Only in shapes without optional ports.
  bool pairDefault = false;
  bool singleOk = true;  // a conductance port may be single-ended (%g); an h port (%h)
  // An h port (XSPICE %h, %hd): the block reads the current through it (a
  // branch unknown) and drives its voltage. Takes two nodes, (a b), %h or %hd.
  bool hport = false;
};

// ports[k]: the elements of the k-th port of the shape (empty when an optional
// port was left out).
using Ports = std::vector<std::vector<PortPair>>;

// d's ports (ir::Device::ports / nodes) matched against `shape`: the error
// names the block and the ports it takes.
Result<Ports> readPorts(SetupContext& ctx, const DeviceKind& kind, const ir::Device& d, std::span<const PortShape> shape);

// d's model, of one of the kind's model types, parameters checked.
Result<const ir::Model*> blockModel(const SetupContext& ctx, const DeviceKind& kind, const ir::Device& d);

// Matrix positions of row r against an input pair (plus and minus columns).
struct InputStamp {
  Pos pp = 0, pm = 0;
  void bind(PatternBuilder& b, Index r, const PortPair& in) {
    pp = b.entry(r, in.p);
    pm = b.entry(r, in.m);
  }
  // Adds k * v(in) to row r (residual, and the matrix when stamping).
  void add(LoadContext& c, Index r, const PortPair& in, double k) const {
    c.f[r] += k * in.v(c.x);
    if (c.stampMatrix) {
      c.A[pp] += k;
      c.A[pm] -= k;
    }
  }
  void addAc(AcContext& c, double k) const {
    c.A[pp] += k;
    c.A[pm] -= k;
  }
};

// An output driven like an ideal voltage source. Branch current br leaves
// node p (through the block) and enters m; row br holds v(p) - v(m) - y = 0.
// load() writes the KCL terms and v(p) - v(m); the block subtracts y from row br.
struct Output {
  PortPair port;
  Index br = 0;
  BranchQuad q;
  void bind(PatternBuilder& b) { q.bind(b, port.p, port.m, br); }
  void load(LoadContext& c) const {
    if (c.stampMatrix) q.stamp(c.A);
    c.f[port.p] += c.x[br];
    c.f[port.m] -= c.x[br];
    c.f[br] += port.v(c.x);
  }
  void acLoad(AcContext& c) const { q.stamp(c.A); }
};

// Base of the block groups: outputs, DC paths (output pairs, internal state
// nodes) and the voltage-source edges of the outputs.
class BlockGroup : public GroupBase {
 public:
  using GroupBase::GroupBase;

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const Output& o : outs_) out.emplace_back(o.port.p, o.port.m);
    for (Index z : internal_) out.emplace_back(z, 0);
  }
  void voltageEdges(std::vector<std::pair<Index, Index>>& out, std::vector<int>& idx) const override {
    for (std::size_t k = 0; k < outs_.size(); ++k) {
      out.emplace_back(outs_[k].port.p, outs_[k].port.m);
      idx.push_back(outOwner_[k]);
    }
  }

 protected:
  // A new output of instance i on port element `at` (its branch unknown is
  // the device's own for the first output, an internal unknown "<name>#<suffix>"
  // otherwise). Call in instance order. Returns its index in outs_.
  std::size_t addOutput(SetupContext& ctx, std::size_t i, const PortPair& at, const char* suffix) {
    Output o;
    o.port = at;
    const ir::Device& d = *inst_[i];
    const bool first = outOwner_.empty() || outOwner_.back() != int(i);  // outputs are added instance by instance
    o.br = first ? ctx.addBranch(d) : ctx.addInternalNode(d, suffix);
    if (!first) internal_.push_back(o.br);  // a current, not a node: no DC-path check
    outs_.push_back(o);
    outOwner_.push_back(int(i));
    return outs_.size() - 1;
  }
  // A new internal state unknown of instance i (an integrator's state).
  Index addState(SetupContext& ctx, std::size_t i, const std::string& suffix) {
    const Index z = ctx.addInternalNode(*inst_[i], suffix);
    internal_.push_back(z);
    return z;
  }
  Status error(const ir::Device& d, const std::string& what) const {
    return deviceError(d, std::string(kind_.name) + " '" + d.name + "': " + what);
  }

  std::vector<Output> outs_;
  std::vector<int> outOwner_;  // instance of each output
  std::vector<Index> internal_;
};

// Fraction of a step at which q (q0 at its start, q1 at its end) reaches
// level, clamped to [0, 1] (0 when it starts there or beyond).
inline double crossingFraction(double q0, double q1, double level) {
  if (q1 == q0) return 0.0;
  const double f = (level - q0) / (q1 - q0);
  return f < 0 ? 0.0 : f > 1 ? 1.0 : f;
}

}  // namespace simcore::dev::block
