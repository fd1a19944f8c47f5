// Control blocks (A cards, XSPICE-style code models): the pieces every block
// kind shares. A block reads voltages or currents and drives voltages or
// currents:
//   inputs   v(p) - v(m) of each port element; they draw no current. A current
//            input (%i, %id, %vnam on a port that allows it) reads an unknown
//            that holds the current instead, and the block sees it the same way
//            (PortPair{unknown, ground}): for %i and %id BlockGroup adds a
//            zero-volt source between the nodes whose branch current is that
//            unknown (plus to minus through the source), for %vnam an unknown
//            equal to the named voltage source's branch current
//   outputs  ideal voltage sources v(p) - v(m) = y, each with a branch-current
//            unknown (its own row), so control nets stay well conditioned; a
//            current output (%i, %id) keeps the unknown and its row (x[br] = y)
//            and injects x[br] as a current drawn from p and returned to m
// y is affine in x for a fixed discrete state, so every block is piecewise
// linear and runs in the event engine; states that change y discontinuously
// (or change its form) are reported by configuration().
#pragma once

#include <span>
#include <string>
#include <vector>

#include "devices/common.hpp"
#include "devices/port_types.hpp"

namespace simcore::dev::block {

// One port element: the voltage v(p) - v(m) (m is ground for a %v port and
// for a digital node). A NULL element (an unconnected port) has p = m = -1.
// An output element with `current` set drives a current (%i, %id) instead of a voltage.
struct PortPair {
  Index p = 0, m = 0;
  bool current = false;
  // XSPICE's inverted digital port (~node): the port reads 1 − v (a digital
  // input's 0 and 1 swap, U stays U) and a digital output drives the opposite level
  bool inv = false;
  double v(const double* x) const { return inv ? 1.0 - (x[p] - x[m]) : x[p] - x[m]; }
  bool null() const { return p < 0; }
};

// The current port types a PortShape accepts (PortShape::currents), XSPICE's
// allowed types beyond %v and %vd. kCurOut marks an output: %i and %id drive
// a current there; elsewhere they are read (through a zero-volt source).
enum : std::uint8_t { kCurI = 1, kCurId = 2, kCurVnam = 4, kCurOut = 8 };

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
  // Current ports an analog voltage port also takes (kCur* bits; 0: none).
  std::uint8_t currents = 0;
  // An output whose default type is a current (XSPICE's Default_Type i): a
  // bare node is read as %i (table2d, table3d).
  bool currentDefault = false;
};

// s reading a current too: %i, %id and %vnam by default (XSPICE's [v,vd,i,id,vnam]).
constexpr PortShape currentIn(PortShape s, std::uint8_t types = kCurI | kCurId | kCurVnam) {
  s.currents = types;
  return s;
}
// s as an output that may drive a current (%i, %id by default; XSPICE's [v,vd,i,id]).
constexpr PortShape currentOut(PortShape s, std::uint8_t types = kCurI | kCurId) {
  s.currents = std::uint8_t((types & ~kCurVnam) | kCurOut);  // (%vnam names an input only)
  return s;
}

// ports[k]: the elements of the k-th port of the shape (empty when an optional
// port was left out).
using Ports = std::vector<std::vector<PortPair>>;

// A current input read as written: port k's element e, of type %i, %id (its
// nodes p, m in the returned Ports) or %vnam (the source's flattened name).
struct CurrentInput {
  std::size_t port = 0, element = 0;
  PortType type = PortType::I;
  std::string source;
};

// d's ports (ir::Device::ports / nodes) matched against `shape`: an error
// names the block, the port, where on the card, and what the port takes.
// Current inputs are listed in `currents` (their Ports entries still hold
// the nodes); a caller that passes nullptr gets an error for them.
Result<Ports> readPortShapes(SetupContext& ctx, const DeviceKind& kind, const ir::Device& d,
                             std::span<const PortShape> shape, std::vector<CurrentInput>* currents);

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
// A current output (port.current) holds x[br] - y = 0 there instead: the
// block drives the current y out of p and into m.
// load() writes the KCL terms and the row's own part; the block subtracts y from row br.
struct Output {
  PortPair port;
  Index br = 0;
  BranchQuad q;
  Pos self = 0;  // a current output's (br, br)
  void bind(PatternBuilder& b) {
    if (!port.current) return q.bind(b, port.p, port.m, br);
    q.ar = b.entry(port.p, br);
    q.br = b.entry(port.m, br);
    self = b.entry(br, br);
  }
  void load(LoadContext& c) const {
    if (c.stampMatrix) stamp(c.A);
    c.f[port.p] += c.x[br];
    c.f[port.m] -= c.x[br];
    c.f[br] += port.current ? c.x[br] : port.v(c.x);
  }
  void acLoad(AcContext& c) const { stamp(c.A); }

 private:
  template <class T>
  void stamp(T* A) const {
    if (!port.current) return q.stamp(A);
    A[q.ar] += 1.0;
    A[q.br] -= 1.0;
    A[self] += 1.0;
  }
};

// Base of the block groups: outputs, current inputs, DC paths (output pairs,
// internal state nodes) and the voltage-source edges of the outputs. A kind
// gives its stamps in patternBlock, loadBlock and acLoadBlock; the base adds
// those of the current inputs.
class BlockGroup : public GroupBase {
 public:
  using GroupBase::GroupBase;

  // (the %vnam sources' branches, which exist once every group is set up)
  Status resolve(SetupContext& ctx) override;
  void pattern(PatternBuilder& b) final;
  void load(LoadContext& c) final;
  void acLoad(AcContext& c) final;

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const Output& o : outs_)
      if (!o.port.current) out.emplace_back(o.port.p, o.port.m);
    for (Index z : internal_) out.emplace_back(z, 0);
    inputPaths(out);
  }
  void voltageEdges(std::vector<std::pair<Index, Index>>& out, std::vector<int>& idx) const override {
    for (std::size_t k = 0; k < outs_.size(); ++k) {
      if (outs_[k].port.current) continue;
      out.emplace_back(outs_[k].port.p, outs_[k].port.m);
      idx.push_back(outOwner_[k]);
    }
    senseEdges(out, idx);
  }

 protected:
  virtual void patternBlock(PatternBuilder& b) = 0;
  virtual void loadBlock(LoadContext& c) = 0;
  virtual void acLoadBlock(AcContext& c) = 0;

  // d's ports (d one of inst_) against `shape`, as readPortShapes; a current
  // input comes back as PortPair{unknown holding the current, 0}, its
  // zero-volt source or source copy added here.
  Result<Ports> readPorts(SetupContext& ctx, const DeviceKind& kind, const ir::Device& d, std::span<const PortShape> shape);
  // The DC paths of the current inputs (a kind that lists its own dcPaths adds these).
  void inputPaths(std::vector<std::pair<Index, Index>>& out) const {
    // (the zero-volt source's pair, and its current unknown, which counts as an internal node)
    for (const Output& s : senses_) {
      out.emplace_back(s.port.p, s.port.m);
      out.emplace_back(s.br, 0);
    }
    for (const SourceCopy& s : copies_) out.emplace_back(s.w, 0);
  }
  // The zero-volt sources of %i and %id inputs (voltage-source edges).
  void senseEdges(std::vector<std::pair<Index, Index>>& out, std::vector<int>& idx) const {
    for (std::size_t k = 0; k < senses_.size(); ++k) {
      out.emplace_back(senses_[k].port.p, senses_[k].port.m);
      idx.push_back(senseOwner_[k]);
    }
  }

  // A new output of instance i on port element `at` (its branch unknown is
  // the device's own for the first output, an internal unknown "<name>#<suffix>"
  // otherwise). Call in instance order. Returns its index in outs_.
  // An analog voltage output (listed: not `digital`, not a current output)
  // is one of ngspice's plot vectors, named by the port element it drives.
  std::size_t addOutput(SetupContext& ctx, std::size_t i, const PortPair& at, const char* suffix, bool digital = false) {
    Output o;
    o.port = at;
    const ir::Device& d = *inst_[i];
    const bool first = outOwner_.empty() || outOwner_.back() != int(i);  // outputs are added instance by instance
    o.br = first ? ctx.addBranch(d) : ctx.addInternalNode(d, suffix);
    if (!first) internal_.push_back(o.br);  // a current, not a node: no DC-path check
    if (!digital && !at.current) listOutput(d, at, o.br);
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

 public:
  void plotVectors(std::vector<PlotVector>& out) const override { out.insert(out.end(), vectors_.begin(), vectors_.end()); }

 private:
  // ngspice's plot vectors of the outputs and %i inputs, in setup order
  std::vector<PlotVector> vectors_;
  // The ports readPorts last read (as on the card, before current inputs
  // became unknowns) and of which device: where an output's element is.
  Ports lastPorts_;
  const ir::Device* lastDevice_ = nullptr;
  std::vector<std::vector<char>> lastTaken_;
  void listOutput(const ir::Device& d, const PortPair& at, Index br);

 private:
  // %i, %id inputs: zero-volt sources (y = 0), their branch current the input
  std::vector<Output> senses_;
  std::vector<int> senseOwner_;
  // %vnam inputs: row w holds x[w] - x[branch of source] = 0
  struct SourceCopy {
    Index w = 0, branch = 0;
    std::string source;
    int owner = 0;
    Pos ww = 0, wb = 0;
  };
  std::vector<SourceCopy> copies_;
};

// Fraction of a step at which q (q0 at its start, q1 at its end) reaches
// level, clamped to [0, 1] (0 when it starts there or beyond).
inline double crossingFraction(double q0, double q1, double level) {
  if (q1 == q0) return 0.0;
  const double f = (level - q0) / (q1 - q0);
  return f < 0 ? 0.0 : f > 1 ? 1.0 : f;
}

}  // namespace simcore::dev::block
