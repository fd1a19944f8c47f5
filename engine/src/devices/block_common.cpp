#include "devices/block_common.hpp"

namespace simcore::dev::block {

namespace {

std::string shapeText(std::span<const PortShape> shape) {
  std::string s;
  for (const PortShape& p : shape) {
    if (!s.empty()) s += " ";
    std::string one = p.vector ? std::string("[") + p.name + "...]" : p.name;
    s += p.optional ? "[" + one + "]" : one;
  }
  return s;
}

// What an analog voltage port takes, for messages: "a node, %v, %vd, %i or %id".
std::string voltagePortTakes(const PortShape& p) {
  std::vector<std::string> t = {"a node", "%v", "%vd"};
  if (p.pairDefault) t.insert(t.begin() + 1, "(plus minus)");
  if (p.currents & kCurI) t.push_back("%i");
  if (p.currents & kCurId) t.push_back("%id");
  if (p.currents & kCurVnam) t.push_back("%vnam");
  std::string s;
  for (std::size_t k = 0; k < t.size(); ++k) s += (k ? (k + 1 == t.size() ? " or " : ", ") : "") + t[k];
  return s;
}

}  // namespace

Result<Ports> readPortShapes(SetupContext& ctx, const DeviceKind& kind, const ir::Device& d,
                             std::span<const PortShape> shape, std::vector<CurrentInput>* currents) {
  using PT = ir::Device::PortType;
  struct Elem {
    std::size_t plus, minus;  // indices of its nodes in d.nodes
    PT type;
  };
  // The given ports as groups of elements, in card order.
  std::vector<std::vector<Elem>> groups;
  std::size_t elements = 0;
  for (int n : d.ports) elements += std::size_t(n);
  const std::string who = std::string(kind.name) + " '" + d.name + "' (" + kind.modelNoun + ")";
  auto wrongCount = [&](std::size_t given) {
    std::size_t required = 0;
    for (const PortShape& p : shape) required += p.optional ? 0 : 1;
    return makeError(ErrorCode::Semantic,
                     who + " takes the ports " + shapeText(shape) + ", got " + std::to_string(given) + " port" +
                         (given == 1 ? "" : "s"),
                     d.loc);
  };
  if (d.nodes.size() != 2 * elements) return wrongCount(d.ports.size());
  {
    std::size_t node = 0;
    for (int n : d.ports) {
      std::vector<Elem> g;
      for (int e = 0; e < n; ++e, node += 2) {
        const std::size_t element = node / 2;
        g.push_back(Elem{node, node + 1, element < d.portTypes.size() ? d.portTypes[element] : PT::Plain});
      }
      groups.push_back(std::move(g));
    }
  }
  // A bare node on a port whose default type is differential takes the next
  // bare node as its minus node.
  std::vector<bool> merged(groups.size(), false);
  bool pairs = false;
  for (const PortShape& p : shape) pairs = pairs || p.pairDefault;
  if (pairs) {
    std::vector<std::vector<Elem>> out;
    std::vector<bool> m;
    std::size_t g = 0;
    for (std::size_t k = 0; k < shape.size() && g < groups.size(); ++k) {
      std::vector<Elem> cur = groups[g++];
      bool join = false;
      bool allPlain = true;
      for (const Elem& e : cur) allPlain = allPlain && e.type == PT::Plain;
      if (shape[k].pairDefault && shape[k].vector && allPlain) {
        // a [ ... ] of bare nodes on a differential vector port: consecutive pairs
        if (cur.size() % 2 != 0)
          return makeError(ErrorCode::Semantic,
                           "port '" + std::string(shape[k].name) + "' of " + who +
                               " is a vector of differential pairs: give an even number of nodes",
                           d.loc);
        std::vector<Elem> paired;
        for (std::size_t e = 0; e < cur.size(); e += 2) paired.push_back(Elem{cur[e].plus, cur[e + 1].plus, PT::Pair});
        cur = std::move(paired);
      } else if (shape[k].pairDefault && cur.size() == 1 && cur[0].type == PT::Plain) {
        if (g >= groups.size() || groups[g].size() != 1 || groups[g][0].type != PT::Plain)
          return makeError(ErrorCode::Semantic,
                           "port '" + std::string(shape[k].name) + "' of " + who +
                               " is differential: give two nodes or (plus minus)",
                           d.loc);
        cur[0].type = PT::Pair;
        cur.push_back(groups[g++][0]);
        join = true;
      }
      out.push_back(std::move(cur));
      m.push_back(join);
    }
    for (; g < groups.size(); ++g) {
      out.push_back(groups[g]);
      m.push_back(false);
    }
    groups = std::move(out);
    merged = std::move(m);
  }

  std::size_t required = 0, optional = 0;
  for (const PortShape& p : shape) (p.optional ? optional : required)++;
  const std::size_t given = groups.size();
  if (given < required || given > required + optional) return wrongCount(given);
  std::size_t optionalLeft = given - required;
  Ports out(shape.size());
  std::size_t port = 0;
  for (std::size_t k = 0; k < shape.size(); ++k) {
    if (shape[k].optional) {
      if (optionalLeft == 0) continue;
      --optionalLeft;
    }
    const bool join = merged[port];
    const std::vector<Elem>& grp = groups[port++];
    const std::size_t n = join ? 1 : grp.size();
    if (!shape[k].vector && n != 1)
      return makeError(ErrorCode::Semantic,
                       "port '" + std::string(shape[k].name) + "' of " + who + " takes one node or pair, not a vector of " +
                           std::to_string(n),
                       d.loc);
    if (join) {
      out[k].push_back(PortPair{ctx.node(d.nodes[grp[0].plus]), ctx.node(d.nodes[grp[1].plus])});
      continue;
    }
    for (const Elem& el : grp) {
      const PT type = el.type;
      const std::size_t element = el.plus / 2;
      // the element's place on the card (the card's start when not recorded)
      SourceLoc at = d.loc;
      if (element < d.portAt.size() && d.portAt[element].line > 0) {
        at.line = d.portAt[element].line;
        at.col = d.portAt[element].col;
      }
      const std::string port = "port '" + std::string(shape[k].name) + "' of " + who;
      auto fail = [&](const std::string& what) { return makeError(ErrorCode::Semantic, port + " " + what, at); };
      const std::string given = portTypeSpelling(type);
      const bool currentType = type == PT::I || type == PT::Id || type == PT::Vnam;
      if (type == PT::Null) {
        if (!shape[k].nullable) return fail("must be connected (not NULL)");
        out[k].push_back(PortPair{-1, -1});
        continue;
      }
      if (shape[k].digital && type != PT::Plain && type != PT::D)
        return fail("is digital: a bare node or %d, not " + given);
      if (shape[k].hport) {
        if (type != PT::H && type != PT::Hd && type != PT::Pair && type != PT::Plain)
          return fail("reads a current and drives a voltage: two nodes, (plus minus), %h or %hd, not " + given);
        if (!shape[k].singleOk && type == PT::H) return fail("is differential: %hd(plus minus), not %h");
        if (shape[k].pairDefault && type == PT::Plain) return fail("is differential: give two nodes or (plus minus)");
      } else if (shape[k].conductance) {
        if (type != PT::G && type != PT::Gd && type != PT::Pair && type != PT::Plain)
          return fail("drives a current: a node, (plus minus), %g or %gd, not " + given);
        if (!shape[k].singleOk && type == PT::G) return fail("is differential: %gd(plus minus), not %g");
        if (shape[k].pairDefault && type == PT::Plain) return fail("is differential: give two nodes or (plus minus)");
      } else if (!shape[k].digital) {
        const std::uint8_t bit = type == PT::I ? kCurI : type == PT::Id ? kCurId : type == PT::Vnam ? kCurVnam : 0;
        const bool allowed = type == PT::Plain || type == PT::V || type == PT::Vd ||
                             (type == PT::Pair && shape[k].pairDefault) || (bit && (shape[k].currents & bit));
        if (!allowed) {
          std::string what = std::string(type == PT::D ? "is analog: " : "takes ") + voltagePortTakes(shape[k]) +
                             ", not " + given;
          if (type == PT::Vnam && (shape[k].currents & kCurOut)) what += " (%vnam names an input)";
          return fail(what);
        }
        if (currentType && !(shape[k].currents & kCurOut)) {
          if (!currents) return fail("takes no current input here");
          currents->push_back(CurrentInput{k, out[k].size(), type, std::string()});
        }
      }
      if (type == PT::Vnam) {
        std::size_t ref = 0;  // the Vnam elements before this one
        for (std::size_t e = 0; e < element && e < d.portTypes.size(); ++e) ref += d.portTypes[e] == PT::Vnam;
        if (ref >= d.refs.size()) return fail("names no voltage source");
        currents->back().source = d.refs[ref];
        out[k].push_back(PortPair{0, 0});
        continue;
      }
      // ~node (the netlist reader keeps the '~' before the flattened name): an inverted digital port
      const std::string& plus = d.nodes[el.plus];
      const bool inverted = plus.size() > 1 && plus[0] == '~';
      if (inverted && !shape[k].digital) return fail("is analog: '~' (an inverted port) is for digital ports");
      PortPair pp{ctx.node(inverted ? plus.substr(1) : plus), ctx.node(d.nodes[el.minus])};
      pp.inv = inverted;
      pp.current = (currentType || (type == PT::Plain && shape[k].currentDefault)) && (shape[k].currents & kCurOut);
      out[k].push_back(pp);
    }
  }
  return out;
}

namespace {
// ngspice's name of an A device: inside a sub-circuit its letter first (a.x1.a1 for x1.a1).
std::string ngspiceVectorOwner(const std::string& name) {
  return name.find('.') == std::string::npos ? name : "a." + name;
}
}  // namespace

Result<Ports> BlockGroup::readPorts(SetupContext& ctx, const DeviceKind& kind, const ir::Device& d,
                                    std::span<const PortShape> shape) {
  std::vector<CurrentInput> currents;
  auto r = readPortShapes(ctx, kind, d, shape, &currents);
  if (r) {
    lastPorts_ = r.value();
    lastDevice_ = &d;
    lastTaken_.assign(lastPorts_.size(), {});
    for (std::size_t k = 0; k < lastPorts_.size(); ++k) lastTaken_[k].assign(lastPorts_[k].size(), 0);
  }
  if (!r || currents.empty()) return r;
  Ports ports = std::move(r.value());
  int owner = 0;
  while (std::size_t(owner) < inst_.size() && inst_[std::size_t(owner)] != &d) ++owner;
  for (const CurrentInput& ci : currents) {
    PortPair& pp = ports[ci.port][ci.element];
    const std::string suffix = "i" + std::to_string(ci.port) + "_" + std::to_string(ci.element);
    if (ci.type == PortType::Vnam) {
      SourceCopy s;
      s.w = ctx.addInternalNode(d, suffix);
      s.source = ci.source;
      s.owner = owner;
      copies_.push_back(s);
      pp = PortPair{s.w, 0};
      continue;
    }
    Output z;
    z.port = pp;
    z.br = ctx.addInternalNode(d, suffix);
    vectors_.push_back(PlotVector{ngspiceVectorOwner(d.name) + "#ibranch_" + std::to_string(ci.port) + "_" +
                                      std::to_string(ci.element),
                                  z.br, false});
    senses_.push_back(z);
    senseOwner_.push_back(owner);
    pp = PortPair{z.br, 0};
  }
  return ports;
}

void BlockGroup::listOutput(const ir::Device& d, const PortPair& at, Index br) {
  if (lastDevice_ != &d) return;
  // (from the last port: outputs follow the inputs in most models)
  for (std::size_t k = lastPorts_.size(); k-- > 0;)
    for (std::size_t e = 0; e < lastPorts_[k].size(); ++e) {
      const PortPair& pp = lastPorts_[k][e];
      if (lastTaken_[k][e] || pp.p != at.p || pp.m != at.m || pp.current) continue;
      lastTaken_[k][e] = 1;
      vectors_.push_back(
          PlotVector{ngspiceVectorOwner(d.name) + "#branch_" + std::to_string(k) + "_" + std::to_string(e), br, true});
      return;
    }
}

Status BlockGroup::resolve(SetupContext& ctx) {
  for (SourceCopy& s : copies_) {
    const ir::Device& d = *inst_[std::size_t(s.owner)];
    const Index b = ctx.branchOf(s.source);
    if (b <= 0)
      return deviceError(d, std::string(kind_.name) + " '" + d.name + "': %vnam source '" + s.source +
                                (b < 0 ? "' does not exist"
                                       : "' carries no branch current (a voltage source, inductor, E, H or B voltage "
                                         "source has one)"));
    s.branch = b;
  }
  return {};
}

void BlockGroup::pattern(PatternBuilder& b) {
  patternBlock(b);
  for (Output& z : senses_) z.bind(b);
  for (SourceCopy& s : copies_) {
    s.ww = b.entry(s.w, s.w);
    s.wb = b.entry(s.w, s.branch);
  }
}

void BlockGroup::load(LoadContext& c) {
  loadBlock(c);
  if (recordsOnly(c.mode)) return;
  for (const Output& z : senses_) z.load(c);
  for (const SourceCopy& s : copies_) {
    c.f[s.w] += c.x[s.w] - c.x[s.branch];
    if (c.stampMatrix) {
      c.A[s.ww] += 1.0;
      c.A[s.wb] -= 1.0;
    }
  }
}

void BlockGroup::acLoad(AcContext& c) {
  acLoadBlock(c);
  for (const Output& z : senses_) z.acLoad(c);
  for (const SourceCopy& s : copies_) {
    c.A[s.ww] += 1.0;
    c.A[s.wb] -= 1.0;
  }
}


Result<const ir::Model*> blockModel(const SetupContext& ctx, const DeviceKind& kind, const ir::Device& d) {
  if (auto s = checkInstanceParams(kind, d); !s) return s.takeError();
  const ir::Model* m = ctx.model(d);
  bool ours = false;
  if (m)
    for (const char* t : kind.modelTypes) ours = ours || m->type == t;
  if (!ours)
    return deviceError(d, std::string(kind.name) + " '" + d.name + "' needs a " + kind.modelTypes[0] + " model");
  if (auto s = checkModelParams(kind, *m); !s) return s.takeError();
  return m;
}

}  // namespace simcore::dev::block
