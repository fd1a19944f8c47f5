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

}  // namespace

Result<Ports> readPorts(SetupContext& ctx, const DeviceKind& kind, const ir::Device& d,
                        std::span<const PortShape> shape) {
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
      const std::string port = "port '" + std::string(shape[k].name) + "' of " + who;
      if (type == PT::Null) {
        if (!shape[k].nullable) return makeError(ErrorCode::Semantic, port + " must be connected (not NULL)", d.loc);
        out[k].push_back(PortPair{-1, -1});
        continue;
      }
      if (shape[k].digital && type != PT::Plain && type != PT::D)
        return makeError(ErrorCode::Semantic, port + " is digital: a bare node or %d", d.loc);
      if (shape[k].hport) {
        if (type != PT::H && type != PT::Hd && type != PT::Pair && type != PT::Plain)
          return makeError(ErrorCode::Semantic,
                           port + " reads a current and drives a voltage: two nodes, (plus minus), %h or %hd", d.loc);
        if (!shape[k].singleOk && type == PT::H)
          return makeError(ErrorCode::Semantic, port + " is differential: %hd(plus minus), not %h", d.loc);
        if (shape[k].pairDefault && type == PT::Plain)
          return makeError(ErrorCode::Semantic, port + " is differential: give two nodes or (plus minus)", d.loc);
      } else if (shape[k].conductance) {
        if (type == PT::H || type == PT::Hd)
          return makeError(ErrorCode::Semantic, port + " drives a current: a node, (plus minus), %g or %gd, not %h or %hd",
                           d.loc);
        if (type == PT::V || type == PT::Vd || type == PT::D)
          return makeError(ErrorCode::Semantic,
                           port + " drives a current: a node, (plus minus), %g or %gd, not %v, %vd or %d", d.loc);
        if (!shape[k].singleOk && type == PT::G)
          return makeError(ErrorCode::Semantic, port + " is differential: %gd(plus minus), not %g", d.loc);
        if (shape[k].pairDefault && type == PT::Plain)
          return makeError(ErrorCode::Semantic, port + " is differential: give two nodes or (plus minus)", d.loc);
      } else if (!shape[k].digital) {
        if (type == PT::D) return makeError(ErrorCode::Semantic, port + " is analog: a node, %v or %vd, not %d", d.loc);
        if (type == PT::G || type == PT::Gd || type == PT::H || type == PT::Hd)
          return makeError(ErrorCode::Semantic, port + " is a voltage port: a node, %v or %vd, not %g, %gd, %h or %hd",
                           d.loc);
        if (type == PT::Pair && !shape[k].pairDefault)
          return makeError(ErrorCode::Semantic, port + " takes one node, %v(node) or %vd(plus minus), not (a b)",
                           d.loc);
      }
      out[k].push_back(PortPair{ctx.node(d.nodes[el.plus]), ctx.node(d.nodes[el.minus])});
    }
  }
  return out;
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
