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
  std::size_t required = 0, optional = 0;
  for (const PortShape& p : shape) (p.optional ? optional : required)++;
  const std::size_t given = d.ports.size();
  std::size_t elements = 0;
  for (int n : d.ports) elements += std::size_t(n);
  const std::string who = std::string(kind.name) + " '" + d.name + "' (" + kind.modelNoun + ")";
  if (given < required || given > required + optional || d.nodes.size() != 2 * elements)
    return makeError(ErrorCode::Semantic,
                     who + " takes the ports " + shapeText(shape) + ", got " + std::to_string(given) + " port" +
                         (given == 1 ? "" : "s"),
                     d.loc);
  std::size_t optionalLeft = given - required;
  Ports out(shape.size());
  std::size_t port = 0, node = 0;
  for (std::size_t k = 0; k < shape.size(); ++k) {
    if (shape[k].optional) {
      if (optionalLeft == 0) continue;
      --optionalLeft;
    }
    const int n = d.ports[port++];
    if (!shape[k].vector && n != 1)
      return makeError(ErrorCode::Semantic,
                       "port '" + std::string(shape[k].name) + "' of " + who + " takes one node or pair, not a vector of " +
                           std::to_string(n),
                       d.loc);
    for (int e = 0; e < n; ++e, node += 2) {
      using PT = ir::Device::PortType;
      const std::size_t element = node / 2;
      const PT type = element < d.portTypes.size() ? d.portTypes[element] : PT::Plain;
      const std::string port = "port '" + std::string(shape[k].name) + "' of " + who;
      if (type == PT::Null) {
        if (!shape[k].nullable) return makeError(ErrorCode::Semantic, port + " must be connected (not NULL)", d.loc);
        out[k].push_back(PortPair{-1, -1});
        continue;
      }
      if (shape[k].digital && (type == PT::V || type == PT::Vd))
        return makeError(ErrorCode::Semantic, port + " is digital: a bare node or %d, not %v or %vd", d.loc);
      if (!shape[k].digital && type == PT::D)
        return makeError(ErrorCode::Semantic, port + " is analog: a node, %v or %vd, not %d", d.loc);
      out[k].push_back(PortPair{ctx.node(d.nodes[node]), ctx.node(d.nodes[node + 1])});
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
