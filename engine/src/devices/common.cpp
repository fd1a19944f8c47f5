#include "devices/common.hpp"

namespace simcore::dev {

Error deviceError(const ir::Device& d, std::string message, ErrorCode code) {
  return makeError(code, std::move(message), d.loc);
}

Error paramError(const ir::Param& p, std::string message) {
  return makeError(ErrorCode::Semantic, std::move(message), p.loc);
}

static std::string joinNames(std::initializer_list<std::string_view> names) {
  std::string s;
  for (auto n : names) {
    if (!s.empty()) s += ", ";
    s += n;
  }
  return s;
}

Status checkParams(const ir::Device& d, std::initializer_list<std::string_view> allowed, std::string_view what) {
  for (const auto& p : d.params) {
    bool ok = false;
    for (auto a : allowed) ok = ok || p.name == a;
    if (!ok) {
      std::string msg = "unknown parameter '" + p.name + "' for " + std::string(what) + " '" + d.name + "'";
      msg += allowed.size() ? "; expected one of: " + joinNames(allowed) : "; it takes no named parameters";
      return paramError(p, msg);
    }
  }
  return {};
}

Status checkModelParams(const ir::Model& m, std::initializer_list<std::string_view> allowed, std::string_view what) {
  for (const auto& p : m.params) {
    bool ok = false;
    for (auto a : allowed) ok = ok || p.name == a;
    if (!ok)
      return paramError(p, "unknown parameter '" + p.name + "' in " + std::string(what) + " model '" + m.name +
                               "'; expected one of: " + joinNames(allowed));
  }
  return {};
}

double param(const ir::Device& d, std::string_view name, double fallback) {
  const ir::Param* p = findParam(d.params, name);
  return p ? p->value : fallback;
}

double modelParam(const ir::Model* m, std::string_view name, double fallback) {
  if (!m) return fallback;
  const ir::Param* p = findParam(m->params, name);
  return p ? p->value : fallback;
}

bool hasParam(const ir::Device& d, std::string_view name) { return findParam(d.params, name) != nullptr; }
bool hasModelParam(const ir::Model* m, std::string_view name) { return m && findParam(m->params, name) != nullptr; }

Status requireNodes(const ir::Device& d, std::size_t n, std::string_view what) {
  if (d.nodes.size() != n)
    return deviceError(d, std::string(what) + " '" + d.name + "' needs " + std::to_string(n) + " nodes, got " +
                              std::to_string(d.nodes.size()));
  return {};
}

}  // namespace simcore::dev
