#include "analysis/circuit.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

#include "devices/expr_eval.hpp"
#include "devices/plugin_kinds.hpp"
#include "devices/truncation.hpp"
#include "simcore/ngspice_names.hpp"

namespace simcore::an {

namespace {

struct UnionFind {
  std::vector<int> parent;
  explicit UnionFind(int n) : parent(std::size_t(n)) { std::iota(parent.begin(), parent.end(), 0); }
  int find(int a) {
    while (parent[std::size_t(a)] != a) a = parent[std::size_t(a)] = parent[std::size_t(parent[std::size_t(a)])];
    return a;
  }
  bool unite(int a, int b) {
    a = find(a); b = find(b);
    if (a == b) return false;
    parent[std::size_t(a)] = b;
    return true;
  }
};

}  // namespace

class Builder final : public dev::SetupContext, public dev::TruncationExemptions {
 public:
  Builder(CircuitModel& m, const dev::TranHints& h) : m_(m), hints_(h) {}
  const ir::Circuit& circuit() const override { return *m_.circuit_; }
  const std::vector<ir::Analysis>& analyses() const override { return *m_.analyses_; }
  const ir::Options& options() const override { return m_.circuit_->options; }
  const dev::TranHints& tranHints() const override { return hints_; }

  dev::Index node(std::string_view name) override {
    if (name == "0") return 0;  // (the netlist reader maps gnd to 0; a node left named gnd is ngspice's [gnd)
    auto it = m_.nodeIndex_.find(std::string(name));
    if (it != m_.nodeIndex_.end()) return it->second;
    return newUnknown(std::string(name), true, nullptr, true);
  }
  dev::Index addBranch(const ir::Device& owner) override {
    dev::Index u = newUnknown(owner.name, false, &owner, false);
    m_.branchIndex_[owner.name] = u;
    return u;
  }
  dev::Index addInternalNode(const ir::Device& owner, std::string_view suffix) override {
    return newUnknown(owner.name + "#" + std::string(suffix), true, &owner, false);
  }
  int addStates(int count) override {
    int first = m_.states_;
    m_.states_ += count;
    return first;
  }
  void untruncated(int state) override { m_.untruncated_.push_back(state); }  // (TruncationExemptions)
  void deviceUnknowns(std::int64_t count) override { m_.deviceUnknowns_ += count; }
  void truncatedByMean(int first, int count, double relFactor) override {
    m_.meanBlocks_.push_back({first, count, relFactor});
  }
  void truncatedWith(int state, int into) override { m_.truncatedWith_.push_back({state, into}); }
  dev::Index branchOf(std::string_view name) const override { return m_.branchOf(name); }
  const ir::Device* findDevice(std::string_view name) const override {
    DeviceRef r = m_.findDevice(name);
    return r.group < 0 ? nullptr : &m_.groups_[std::size_t(r.group)]->device(std::size_t(r.index));
  }
  const int* countDigitalDriver(dev::Index u) override { return &++digitalDrivers_[u]; }

 private:
  dev::Index newUnknown(std::string name, bool isNode, const ir::Device* owner, bool external) {
    dev::Index u = dev::Index(m_.names_.size());
    if (external) m_.nodeIndex_.emplace(name, u);
    m_.names_.push_back(std::move(name));
    m_.owner_.push_back(owner);
    m_.isNode_.push_back(isNode ? 1 : 0);
    if (isNode) m_.nodeUnknowns_.push_back(u);
    return u;
  }
  CircuitModel& m_;
  dev::TranHints hints_;
  std::unordered_map<dev::Index, int> digitalDrivers_;  // (its elements stay where they are)
};

namespace {

bool readsTemper(const ir::Circuit& c) {
  auto any = [](const std::vector<ir::Param>& ps) {
    return std::any_of(ps.begin(), ps.end(), [](const ir::Param& p) { return p.temper != nullptr; });
  };
  return std::any_of(c.devices.begin(), c.devices.end(), [&](const ir::Device& d) { return d.valueTemper || any(d.params); }) ||
         std::any_of(c.models.begin(), c.models.end(), [&](const ir::Model& m) { return any(m.params); });
}

// ngspice's temper in instance and model parameters: each such value is its
// expression at the circuit's temperature (ngspice 39 evaluates them again
// whenever the temperature changes).
Status evaluateTemper(ir::Circuit& c) {
  dev::ExprEnv env;
  env.temper = c.options.temp;
  auto eval = [&](const ir::Expression& e, const std::string& what, double& out) -> Status {
    dev::ExprProgram prog(e);
    const double v = prog.eval(nullptr, env, nullptr);
    if (!std::isfinite(v))
      return makeError(ErrorCode::Semantic, what + " {" + e.text + "} is not a finite number at temper = " +
                                                std::to_string(env.temper), e.loc);
    out = v;
    return {};
  };
  for (ir::Device& d : c.devices) {
    if (d.valueTemper) {
      double v = 0.0;
      if (auto s = eval(*d.valueTemper, "the value of '" + d.name + "'", v); !s) return s;
      d.value = v;
    }
    for (ir::Param& p : d.params)
      if (p.temper)
        if (auto s = eval(*p.temper, "parameter " + p.name + " of '" + d.name + "'", p.value); !s) return s;
  }
  for (ir::Model& m : c.models)
    for (ir::Param& p : m.params)
      if (p.temper)
        if (auto s = eval(*p.temper, "parameter " + p.name + " of model '" + m.name + "'", p.value); !s) return s;
  return {};
}

}  // namespace

Result<std::unique_ptr<CircuitModel>> CircuitModel::build(const ir::Circuit& given, const dev::TranHints& hints,
                                                         const std::vector<ir::Analysis>* analyses) {
  auto m = std::make_unique<CircuitModel>();
  m->circuit_ = &given;
  m->analyses_ = analyses ? analyses : &given.analyses;
  if (readsTemper(given)) {
    m->atTemperature_ = std::make_unique<ir::Circuit>(given);
    if (auto s = evaluateTemper(*m->atTemperature_); !s) return s.takeError();
    m->circuit_ = m->atTemperature_.get();
  }
  const ir::Circuit& c = *m->circuit_;
  m->names_.push_back("0");
  m->owner_.push_back(nullptr);
  m->isNode_.push_back(0);
  Builder b(*m, hints);

  // Nodes in order of first appearance in the netlist.
  // (an A device's "~name" is XSPICE's inverted digital port on node name)
  for (const auto& d : c.devices)
    for (const auto& n : d.nodes) b.node(d.letter == 'a' && n.size() > 1 && n[0] == '~' ? n.substr(1) : n);

  // Group instances by kind, in registry order (plugin kinds after the built-in ones).
  const dev::KindTable kinds(c.plugins.get());
  std::vector<std::vector<const ir::Device*>> byKind(kinds.all().size());
  for (const auto& d : c.devices) {
    const dev::DeviceKind* k = kinds.kindOf(d, c.models);
    if (!k)
      return makeError(ErrorCode::Semantic, "unknown device type '" + std::string(1, d.letter) + "' for '" + d.name + "'", d.loc);
    if (!k->create && !kinds.plugin(*k))  // U: expanded by the netlist reader, no group of its own
      return makeError(ErrorCode::Semantic,
                       std::string(k->name) + " '" + d.name + "' must be expanded by the netlist reader", d.loc);
    const auto at = std::find(kinds.all().begin(), kinds.all().end(), k);
    byKind[std::size_t(at - kinds.all().begin())].push_back(&d);
  }
  for (std::size_t k = 0; k < byKind.size(); ++k) {
    if (byKind[k].empty()) continue;
    int gi = int(m->groups_.size());
    for (std::size_t i = 0; i < byKind[k].size(); ++i) m->devices_[byKind[k][i]->name] = DeviceRef{gi, int(i)};
    m->groups_.push_back(kinds.create(*kinds.all()[k], std::move(byKind[k])));
  }
  for (auto& g : m->groups_)
    if (auto s = g->setup(b); !s) return s.takeError();
  for (auto& g : m->groups_)
    if (auto s = g->resolve(b); !s) return s.takeError();
  for (auto& g : m->groups_) m->linear_ = m->linear_ && g->linear();

  m->pattern_ = std::make_unique<solver::SparsePattern>(m->unknowns());
  dev::PatternBuilder pb(*m->pattern_);
  for (auto& g : m->groups_) g->pattern(pb);
  m->pattern_->finalize();
  for (auto& g : m->groups_) g->pattern(pb);
  return m;
}

dev::Index CircuitModel::nodeIndex(std::string_view name) const {
  if (name == "0") return 0;
  auto it = nodeIndex_.find(std::string(name));
  return it == nodeIndex_.end() ? -1 : it->second;
}

DeviceRef CircuitModel::findDevice(std::string_view name) const {
  auto it = devices_.find(std::string(name));
  return it == devices_.end() ? DeviceRef{} : it->second;
}

dev::Index CircuitModel::branchOf(std::string_view device) const {
  auto it = branchIndex_.find(std::string(device));
  if (it != branchIndex_.end()) return it->second;
  return devices_.count(std::string(device)) ? 0 : -1;
}

const ir::Device* CircuitModel::ownerOf(dev::Index u) const { return owner_[std::size_t(u)]; }

Status CircuitModel::checkUnknownLimit(std::int64_t limit) const {
  const std::int64_t total = unknowns() + deviceUnknowns_;
  if (limit <= 0 || total <= limit) return {};
  std::string msg = "the circuit has " + std::to_string(total) + " unknowns";
  if (deviceUnknowns_ > 0) msg += " (" + std::to_string(deviceUnknowns_) + " of them inside numerical devices)";
  return makeError(ErrorCode::Limit, msg + ", more than the limit of " + std::to_string(limit));
}

std::string CircuitModel::describeUnknown(dev::Index u) const {
  if (u <= 0 || u > unknowns()) return "an unknown";
  if (isNode(u)) return "node '" + names_[std::size_t(u)] + "'";
  return "the branch current of '" + names_[std::size_t(u)] + "'";
}

Status CircuitModel::checkTopology(bool icPins, std::vector<FloatingGroup>* floating,
                                   std::vector<const ir::Device*>* openAtDc) const {
  const int n = unknowns();
  // Which device first touches each node (for error locations).
  std::vector<const ir::Device*> firstUser(std::size_t(n) + 1, nullptr);
  for (const auto& d : circuit_->devices)
    for (const auto& nm : d.nodes) {
      dev::Index u = nodeIndex(d.letter == 'a' && nm.size() > 1 && nm[0] == '~' ? nm.substr(1) : nm);
      if (u > 0 && !firstUser[std::size_t(u)]) firstUser[std::size_t(u)] = &d;
    }

  // 1. Voltage-source loops (V, E, H, L): the card, in netlist order, whose
  // edge closes a cycle is the one reported.
  {
    struct Edge {
      dev::Index a, b;
      const ir::Device* d;
    };
    std::vector<Edge> all;
    for (const auto& g : groups_) {
      std::vector<std::pair<dev::Index, dev::Index>> edges;
      std::vector<int> idx;
      g->voltageEdges(edges, idx);
      for (std::size_t e = 0; e < edges.size(); ++e)
        all.push_back({edges[e].first, edges[e].second, &g->device(std::size_t(idx[e]))});
    }
    std::sort(all.begin(), all.end(), [](const Edge& x, const Edge& y) { return x.d < y.d; });
    UnionFind uf(n + 1);
    // the edges taken so far (a forest): the path of a loop's other edges
    std::vector<std::vector<std::size_t>> adjacent(std::size_t(n) + 1);
    auto pathBetween = [&](dev::Index from, dev::Index to) {
      std::vector<std::ptrdiff_t> via(std::size_t(n) + 1, -2);  // edge that reached each node
      std::vector<dev::Index> queue{from};
      via[std::size_t(from)] = -1;
      for (std::size_t k = 0; k < queue.size() && via[std::size_t(to)] == -2; ++k)
        for (std::size_t e : adjacent[std::size_t(queue[k])]) {
          const dev::Index next = all[e].a == queue[k] ? all[e].b : all[e].a;
          if (via[std::size_t(next)] != -2) continue;
          via[std::size_t(next)] = std::ptrdiff_t(e);
          queue.push_back(next);
        }
      std::vector<const ir::Device*> path;
      for (dev::Index u = to; via[std::size_t(u)] >= 0;) {
        const Edge& e = all[std::size_t(via[std::size_t(u)])];
        path.push_back(e.d);
        u = e.a == u ? e.b : e.a;
      }
      return path;
    };
    const std::size_t openedBefore = openAtDc ? openAtDc->size() : 0;
    for (std::size_t k = 0; k < all.size(); ++k) {
      const Edge& e = all[k];
      if (uf.unite(e.a, e.b)) {
        adjacent[std::size_t(e.a)].push_back(k);
        adjacent[std::size_t(e.b)].push_back(k);
        continue;
      }
      const ir::Device& d = *e.d;
      if (openAtDc && d.letter != 'a') {
        // an inductor of the loop (this card's, else the first on the path) is opened at DC
        const ir::Device* inductor = d.letter == 'l' ? &d : nullptr;
        if (!inductor)
          for (const ir::Device* p : pathBetween(e.a, e.b))
            if (p->letter == 'l') { inductor = p; break; }
        if (inductor) {
          openAtDc->push_back(inductor);
          if (inductor == &d) continue;  // (its edge is left out; the rest of the loop stays a tree)
          // an earlier edge: the forest changes, so the check starts again without it
          break;
        }
      }
      // (an automatic bridge, netlist/auto_bridge.cpp, stands for the digital outputs on its analog node)
      const std::string who = d.name.rfind("auto_dac", 0) == 0
                                  ? "the automatic dac_bridge '" + d.name + "' of the digital outputs on it"
                                  : "'" + d.name + "'";
      if (d.letter == 'a')
        return makeError(ErrorCode::Topology,
                         who + " drives node '" + (e.a > 0 ? names_[std::size_t(e.a)] : names_[std::size_t(e.b)]) +
                             "', which another output or source already drives: several drivers on one node are "
                             "resolved only for d_tristate, d_open_c and d_open_e outputs",
                         d.loc);
      std::string what = d.letter == 'l' ? "inductor" : "voltage source";
      return makeError(ErrorCode::Topology,
                       "voltage-source loop: " + what + " '" + d.name + "' closes a loop of voltage sources and inductors between nodes '" +
                           d.nodes[0] + "' and '" + d.nodes[1] + "', so its current is undetermined at DC" +
                           (d.letter == 'l' ? " (a transient starts it at 0 A, switched on at t = 0)" : ""),
                       d.loc);
    }
    if (openAtDc && openAtDc->size() > openedBefore) return {};  // (the caller rebuilds and checks again)
  }
  // 2. Nodes without a DC path to ground.
  {
    UnionFind uf(n + 1);
    std::vector<std::pair<dev::Index, dev::Index>> paths;
    for (const auto& g : groups_) g->dcPaths(paths);
    for (auto [a, b] : paths) uf.unite(a, b);
    if (icPins)
      for (const auto& v : circuit_->ic)
        if (dev::Index u = nodeIndex(v.node); u > 0) uf.unite(u, 0);
    // Ideal transformers built of controlled sources (the modal networks of
    // coupled lines, ngspice's examples): a node fed only by F/G outputs is
    // still determined when an E/G reads its voltage, through that control
    // pair (the controlled loop closes the equations, as ngspice solves it).
    // Only a fed node without a DC path of its own is determined so: one that
    // has one says nothing of the other node of the pair (a MOSFET's small-
    // signal model, gm from the gate to a source node with its own resistors:
    // the gate stays floating).
    {
      std::vector<char> injected(std::size_t(n) + 1, 0);
      for (const auto& d : circuit_->devices)
        if ((d.letter == 'f' || d.letter == 'g') && !d.behaviour && d.nodes.size() >= 2)
          for (int k = 0; k < 2; ++k)
            if (dev::Index u = nodeIndex(d.nodes[std::size_t(k)]); u > 0) injected[std::size_t(u)] = 1;
      const int grounded = uf.find(0);
      std::vector<char> ownPath(std::size_t(n) + 1, 0);
      for (int u = 1; u <= n; ++u) ownPath[std::size_t(u)] = uf.find(u) == grounded;
      auto determinedThrough = [&](dev::Index u) { return u > 0 && injected[std::size_t(u)] && !ownPath[std::size_t(u)]; };
      for (const auto& d : circuit_->devices) {
        if ((d.letter != 'e' && d.letter != 'g') || d.behaviour || d.nodes.size() != 4) continue;
        const dev::Index cp = nodeIndex(d.nodes[2]), cm = nodeIndex(d.nodes[3]);
        if (cp < 0 || cm < 0) continue;
        if (determinedThrough(cp) || determinedThrough(cm)) uf.unite(cp, cm);
      }
    }
    int ground = uf.find(0);
    std::unordered_map<int, std::size_t> groupOf;  // union-find root -> index into *floating
    for (dev::Index u : nodeUnknowns_) {
      const int root = uf.find(u);
      if (root == ground) continue;
      const ir::Device* d = firstUser[std::size_t(u)] ? firstUser[std::size_t(u)] : owner_[std::size_t(u)];
      if (!floating)
        return makeError(ErrorCode::Topology,
                         "node '" + names_[std::size_t(u)] + "' has no DC path to ground" +
                             (d ? " (it is connected through '" + d->name + "' only to capacitors, current sources or other floating nodes)" : ""),
                         d ? d->loc : SourceLoc{});
      auto [it, fresh] = groupOf.emplace(root, floating->size());
      if (fresh) floating->push_back(FloatingGroup{{}, d});
      (*floating)[it->second].nodes.push_back(u);
    }
    if (floating && !floating->empty()) {
      // capacitors (C cards) count as paths for the AC matrix
      for (const auto& d : circuit_->devices)
        if (d.letter == 'c' && d.nodes.size() >= 2) {
          const dev::Index a = nodeIndex(d.nodes[0]), b = nodeIndex(d.nodes[1]);
          if (a >= 0 && b >= 0) uf.unite(a, b);
        }
      for (auto& g : *floating) g.capacitive = uf.find(g.nodes.front()) == uf.find(0);
      // A group nothing excites in .ac has the AC solution 0 (ngspice 39 finds it too: its LU
      // leaves a pivot of rounding size, with a zero right-hand side): its devices are
      // resistors, capacitors, inductors no K couples, sources without an AC value, and devices
      // whose every terminal lies in the group (an LTspice DAC's current outputs on a load of
      // their own, fed only for the .tran)
      std::vector<int> groupAt(std::size_t(n) + 1, -1);
      for (std::size_t k = 0; k < floating->size(); ++k)
        for (dev::Index u : (*floating)[k].nodes) groupAt[std::size_t(u)] = int(k);
      std::unordered_set<std::string_view> coupled;
      for (const auto& d : circuit_->devices)
        if (d.letter == 'k')
          for (const std::string& r : d.refs) coupled.insert(r);
      for (const auto& d : circuit_->devices) {
        std::vector<int> touched;
        bool inside = true;
        for (const std::string& node : d.nodes) {
          const dev::Index u = nodeIndex(node);
          const int k = u > 0 ? groupAt[std::size_t(u)] : -1;
          if (k >= 0 && std::find(touched.begin(), touched.end(), k) == touched.end()) touched.push_back(k);
          if (k < 0 || (!touched.empty() && k != touched.front())) inside = false;
        }
        if (touched.empty()) continue;
        const bool passive = d.letter == 'r' || d.letter == 'c' || (d.letter == 'l' && !coupled.count(d.name)) ||
                             ((d.letter == 'v' || d.letter == 'i') && !d.behaviour && !d.source.hasAc);
        const bool acSource = (d.letter == 'v' || d.letter == 'i') && d.source.hasAc;
        if (passive || (inside && d.refs.empty() && !d.behaviour && !acSource)) continue;
        for (int k : touched) (*floating)[std::size_t(k)].acDriven = true;
      }
    }
  }
  return {};
}

std::string CircuitModel::floatingWarning(const FloatingGroup& g, double gshunt) const {
  std::string names;
  for (std::size_t k = 0; k < g.nodes.size(); ++k)
    names += (k ? ", '" : "'") + names_[std::size_t(g.nodes[k])] + "'";
  char gs[32];
  std::snprintf(gs, sizeof gs, "%g", gshunt);
  const bool one = g.nodes.size() == 1;
  return std::string(one ? "node " : "nodes ") + names + (one ? " has" : " have") + " no DC path to ground" +
         (g.firstUser ? " (connected through '" + g.firstUser->name + "' only to capacitors, current sources or other floating nodes)"
                      : std::string()) +
         ": '" + names_[std::size_t(g.nodes.front())] + "' is tied to ground through gmin (" + gs +
         " S), so the level of " + (one ? "the node" : "the group") +
         " is arbitrary (ngspice 39 picks another); voltage differences within it, currents and AC transfer are "
         "not, unless sources feed a net current into it (that current then leaves through the tie)";
}

void CircuitModel::tieFloating(const std::vector<FloatingGroup>& groups, ir::Circuit& c,
                               std::vector<ir::Diagnostic>* warnings) const {
  const double gshunt = c.options.gmin > 0 ? c.options.gmin : 1e-12;
  // (the groups' firstUser may point into c.devices: the ties are appended after the last read)
  std::vector<ir::Device> ties;
  for (const auto& g : groups) {
    const SourceLoc at = g.firstUser ? g.firstUser->loc : SourceLoc{};
    if (warnings) warnings->push_back(ir::Diagnostic{floatingWarning(g, gshunt), at});
    const std::string& node = names_[std::size_t(g.nodes.front())];
    ir::Device r;
    r.name = "gmin#" + node;
    r.letter = 'r';
    r.nodes = {node, "0"};
    r.value = 1.0 / gshunt;
    r.params.push_back(ir::Param{"noisy", 0.0, {}, {}});
    // a group that capacitors link to ground has a regular AC matrix without
    // the tie: .ac and .noise leave it out (ngspice 39 has none; at low
    // frequencies gmin would rival the capacitors' admittance)
    if (g.capacitive) r.params.push_back(ir::Param{"ac", 1e300, {}, {}});
    r.loc = at;
    ties.push_back(std::move(r));
  }
  for (auto& r : ties) c.devices.push_back(std::move(r));
}

void CircuitModel::openAtDc(const std::vector<const ir::Device*>& inductors, ir::Circuit& c,
                            std::vector<ir::Diagnostic>* warnings) const {
  for (const ir::Device* l : inductors) {
    for (auto& d : c.devices)
      if (d.name == l->name && d.letter == 'l') d.params.push_back(ir::Param{"dcopen", 1.0, {}, {}});
    if (warnings)
      warnings->push_back(ir::Diagnostic{
          "inductor '" + l->name + "' closes a loop of voltage sources and inductors between nodes '" + l->nodes[0] +
              "' and '" + l->nodes[1] +
              "': its DC current is undetermined (or unbounded), so the operating point takes it as 0 A, the circuit "
              "switched on at t = 0 (ngspice 39 starts it so too, from its transient operating point)",
          l->loc});
  }
}

Error CircuitModel::floatingAcError(const FloatingGroup& g) const {
  const std::string& n = names_[std::size_t(g.nodes.front())];
  return makeError(ErrorCode::Topology,
                   "node '" + n + "' has no DC path to ground" +
                       (g.firstUser ? " (it is connected through '" + g.firstUser->name +
                                          "' only to capacitors, current sources or other floating nodes)"
                                    : std::string()) +
                       ", and no capacitor links it to ground either: its .ac matrix is singular (ngspice 39 stops "
                       "there too)",
                   g.firstUser ? g.firstUser->loc : SourceLoc{});
}

namespace {
// The node .probe p(dev) makes (dev:power): its vector is named as the node, as ngspice 39 names it.
bool powerProbeNode(const std::string& n) {
  return n.size() > 6 && n.compare(n.size() - 6, 6, ":power") == 0 && n.find('(') == std::string::npos;
}
}  // namespace

Result<std::vector<OutputSignal>> CircuitModel::outputs(const std::vector<std::string>& requested) const {
  std::vector<std::string> req = requested;
  std::vector<SourceLoc> locs(req.size());
  if (req.empty())
    for (const auto& s : circuit_->saves) { req.push_back(s.signal); locs.push_back(s.loc); }
  bool all = req.empty() || std::find(req.begin(), req.end(), "all") != req.end();
  std::vector<OutputSignal> out;
  if (all) {
    // (the nodes and sources of .probe p(dev), named probe_int_..., are not
    // saved by `all`, as ngspice 39 keeps them out of its plot)
    auto probeInternal = [](const std::string& n) { return n.find("probe_int_") != std::string::npos; };
    // (nor the reader's own nodes, whose names hold '#': ddt#1 of ddt(), l1#1 of an inductor's
    // Rser=, the ladder of a U line; ngspice 39's plot holds no internal node either)
    auto readerNode = [](const std::string& n) { return n.find('#') != std::string::npos; };
    for (dev::Index u = 1; u <= unknowns(); ++u)
      if (isNode(u) && !owner_[std::size_t(u)] && !probeInternal(names_[std::size_t(u)]) &&
          !readerNode(names_[std::size_t(u)]))
        out.push_back({{powerProbeNode(names_[std::size_t(u)]) ? names_[std::size_t(u)] : "v(" + names_[std::size_t(u)] + ")",
                        SignalKind::Voltage},
                       u});
    for (const auto& d : circuit_->devices)
      if (d.letter == 'v' && !probeInternal(d.name)) out.push_back({{"i(" + d.name + ")", SignalKind::Current}, branchOf(d.name)});
    // (then, as ngspice's plot holds every branch, the currents of inductors and of E and H sources)
    // (not the E source the reader adds for a capacitor whose value reads v(), i() or time:
    // its current is scaled, ngspice's is of a 1 F capacitor; it is `e` + the capacitor's
    // name, from the capacitor's card)
    std::unordered_map<std::string_view, const ir::Device*> byName;  // (one pass, not one per E source)
    for (const auto& o : circuit_->devices) byName.emplace(o.name, &o);
    auto auxiliary = [&](const ir::Device& d) {
      if (d.letter != 'e') return false;
      const std::size_t dot = d.name.rfind('.');
      const std::size_t at = dot == std::string::npos ? 0 : dot + 1;
      const std::string owner = d.name.substr(0, at) + d.name.substr(at + 1);
      const auto it = byName.find(owner);
      return it != byName.end() && it->second->loc.line == d.loc.line && it->second->loc.file == d.loc.file;
    };
    // (and of B sources of a voltage, b1#branch in ngspice's plot; not the reader's own ones
    // for ddt(), idt(), delay() and .probe p(dev), whose names hold '#' or probe_int_)
    auto behaviouralVoltage = [&](const ir::Device& d) {
      return d.letter == 'b' && d.behaviour && d.behaviour->output == ir::Behaviour::Output::Voltage &&
             d.name.find('#') == std::string::npos && !probeInternal(d.name);
    };
    for (const auto& d : circuit_->devices)
      if (((d.letter == 'l' || d.letter == 'e' || d.letter == 'h') && !auxiliary(d)) || behaviouralVoltage(d))
        if (const dev::Index u = branchOf(d.name); u > 0) out.push_back({{"i(" + d.name + ")", SignalKind::Current}, u});
    // (and XSPICE's: the currents of code models' analog voltage outputs, a1#branch_1_0, and
    // of their %i inputs' zero-volt sources, a1#ibranch_0_0, which ngspice types as voltages)
    std::vector<dev::PlotVector> vecs;
    for (const auto& g : groups_) g->plotVectors(vecs);
    for (const dev::PlotVector& v : vecs)
      out.push_back({{(v.current ? "i(" : "v(") + v.name + ")", v.current ? SignalKind::Current : SignalKind::Voltage},
                     v.unknown});
  }
  for (std::size_t k = 0; k < req.size(); ++k) {
    std::string s;
    for (char ch : req[k])
      if (ch != ' ' && ch != '\t') s += char(std::tolower(static_cast<unsigned char>(ch)));
    if (s == "all") continue;
    // ngspice's vector name of a branch current: vcc#branch is i(vcc)
    if (s.size() > 7 && s.compare(s.size() - 7, 7, "#branch") == 0) s = "i(" + s.substr(0, s.size() - 7) + ")";
    // a bare node name (ngspice's `save 10`) is its voltage
    // (but the node of a .probe p(dev), dev:power, keeps ngspice's vector name)
    if (s.find_first_of("()[]@") == std::string::npos && nodeIndex(s) >= 0 && !powerProbeNode(s)) s = "v(" + s + ")";
    if (s.size() > 3 && s.compare(0, 2, "v(") == 0 && s.back() == ')' && powerProbeNode(s.substr(2, s.size() - 3)) &&
        nodeIndex(s.substr(2, s.size() - 3)) >= 0)
      s = s.substr(2, s.size() - 3);
    if (powerProbeNode(s) && nodeIndex(s) >= 0) {
      const OutputSignal p{{s, SignalKind::Voltage}, nodeIndex(s)};
      bool dup = false;
      for (const auto& o : out) dup = dup || o.info.name == p.info.name;
      if (!dup) out.push_back(p);
      continue;
    }
    auto bad = [&](const std::string& why) {
      return makeError(ErrorCode::Semantic, "cannot save '" + req[k] + "': " + why, locs[k]);
    };
    // ngspice's name of a device inside a sub-circuit: its letter first
    // (v.xlf.vdd, m.x1.mn1 for simcore's xlf.vdd, x1.mn1)
    auto device = [&](const std::string& name) {
      if (findDevice(name).group >= 0) return name;
      const std::string simcoreName = ir::fromNgspiceDeviceName(name);
      return !simcoreName.empty() && findDevice(simcoreName).group >= 0 ? simcoreName : name;
    };
    // a device quantity: @device[param], or i(device) of a device without a branch current
    auto quantity = [&](const std::string& asked, const std::string& param, OutputSignal& sig) -> Status {
      const std::string dev = device(asked);
      const DeviceRef r = findDevice(dev);
      if (r.group < 0) return bad("no device named '" + dev + "'");
      const dev::DeviceGroup& g = *groups_[std::size_t(r.group)];
      const int id = g.quantityId(std::size_t(r.index), param);
      if (id < 0) return bad("'" + dev + "' (" + std::string(g.kindName()) + ") has no quantity '" + param + "'");
      // voltages (@m1[von], @m1[vdsat]) are named v...; the rest are currents, powers and conductances
      // (a voltage source's @v1[dc] is a voltage too)
      const SignalKind kind = param[0] == 'v' || (param == "dc" && g.kindName() == "voltage source")
                                  ? SignalKind::Voltage
                                  : SignalKind::Current;
      sig = {{s, kind}, 0, &g, std::size_t(r.index), id};
      return {};
    };
    OutputSignal sig;
    const std::size_t open = s.find('[');
    if (s.size() > 3 && s[0] == '@' && open != std::string::npos && s.back() == ']') {
      if (auto st = quantity(s.substr(1, open - 1), s.substr(open + 1, s.size() - open - 2), sig); !st) return st.takeError();
      bool dup = false;
      for (const auto& o : out) dup = dup || o.info.name == sig.info.name;
      if (!dup) out.push_back(sig);
      continue;
    }
    if (s.size() < 4 || s[1] != '(' || s.back() != ')' || (s[0] != 'v' && s[0] != 'i'))
      return bad("expected v(node), i(device) or @device[param]");
    std::string inner = s.substr(2, s.size() - 3);
    // ngspice's .probe current of one terminal: i(m1:d), i(q1:c), i(m1:b_tj)
    if (s[0] == 'i' && inner.find(':') != std::string::npos && findDevice(device(inner)).group < 0) {
      const std::size_t colon = inner.find(':');
      const std::string dev = device(inner.substr(0, colon)), term = inner.substr(colon + 1);
      const DeviceRef r = findDevice(dev);
      if (r.group < 0) return bad("no device named '" + dev + "'");
      const dev::DeviceGroup& g = *groups_[std::size_t(r.group)];
      const int id = g.terminalCurrentId(std::size_t(r.index), term);
      if (id < 0) return bad("'" + dev + "' (" + std::string(g.kindName()) + ") records no current at terminal '" + term + "'");
      sig = {{s, SignalKind::Current}, 0, &g, std::size_t(r.index), id, true};
      bool dup = false;
      for (const auto& o : out) dup = dup || o.info.name == sig.info.name;
      if (!dup) out.push_back(sig);
      continue;
    }
    if (s[0] == 'i') inner = device(inner);
    if (s[0] == 'v') {
      dev::Index u = nodeIndex(inner);
      if (u < 0) return bad("no node named '" + inner + "'");
      sig = {{s, SignalKind::Voltage}, u};
    } else {
      dev::Index u = branchOf(inner);
      if (u < 0) return bad("no device named '" + inner + "'");
      if (u == 0) {
        const DeviceRef r = findDevice(inner);
        const dev::DeviceGroup* g = r.group < 0 ? nullptr : groups_[std::size_t(r.group)].get();
        const std::size_t at = std::size_t(std::max(r.index, 0));
        // a diode's i(d1) (ngspice's .probe name of a two-terminal device): the current into its first terminal
        const int first = g ? g->terminalCurrentId(at, "1") : -1;
        const bool hasI = g && g->quantityId(at, "i") >= 0;
        if (first >= 0 && !hasI && g->terminalCurrentId(at, "3") < 0) {
          sig = {{s, SignalKind::Current}, 0, g, at, first, true};
        } else if (!hasI) {
          return bad("'" + inner + "' has no branch current (currents are available for V, L, E and H devices, and R, C and D)");
        } else if (auto st = quantity(inner, "i", sig); !st) {
          return st.takeError();
        }
      } else {
        sig = {{s, SignalKind::Current}, u};
      }
    }
    bool dup = false;
    for (const auto& o : out) dup = dup || o.info.name == sig.info.name;
    if (!dup) out.push_back(sig);
  }
  return out;
}

}  // namespace simcore::an
