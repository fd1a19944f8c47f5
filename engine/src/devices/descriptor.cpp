#include "devices/descriptor.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace simcore::dev {

bool ParamSpec::matches(std::string_view n) const {
  if (n == name) return true;
  for (const char* a : aliases)
    if (a && n == a) return true;
  return false;
}

int ParamSpec::keywordValue(std::string_view w) const {
  if (!keywords) return -1;
  std::string_view all = keywords;
  int index = 0;
  while (!all.empty()) {
    const std::size_t sp = all.find(' ');
    const std::string_view word = all.substr(0, sp);
    if (word.size() == w.size()) {
      bool same = true;
      for (std::size_t i = 0; i < w.size(); ++i) {
        const char c = (w[i] >= 'A' && w[i] <= 'Z') ? char(w[i] - 'A' + 'a') : w[i];
        same = same && c == word[i];
      }
      if (same) return index;
    }
    ++index;
    if (sp == std::string_view::npos) break;
    all.remove_prefix(sp + 1);
  }
  return -1;
}

const ParamSpec* DeviceKind::find(ParamScope scope, std::string_view n) const {
  for (const ParamSpec& p : params)
    if (p.scope == scope && p.matches(n)) return &p;
  return nullptr;
}

bool DeviceKind::hasModelParams() const {
  for (const ParamSpec& p : params)
    if (p.scope == ParamScope::Model) return true;
  return false;
}

const DeviceKind* findKind(char letter) {
  for (const DeviceKind& k : registry())
    if (k.letter == letter) return &k;
  return nullptr;
}

const DeviceKind* findKind(char letter, std::string_view modelType) {
  for (const DeviceKind& k : registry()) {
    if (k.letter != letter) continue;
    for (const char* t : k.modelTypes)
      if (modelType == t) return &k;
  }
  return nullptr;
}

std::string valueText(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e9) return std::to_string(static_cast<long long>(v));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string levelModelType(const ir::Model& m) {
  for (const ir::Param& p : m.params)
    if (p.name == "level" && p.value != 1 && p.value == std::floor(p.value) && p.value > 0 && p.value < 100)
      return m.type + "@" + std::to_string(int(p.value));
  return {};
}

const DeviceKind* variantFor(const DeviceKind& k, const ir::Device& d, const ir::Model& m) {
  const DeviceKind* v = k.variant ? k.variant(d, m) : nullptr;
  return v ? v : &k;
}

const DeviceKind* kindOf(const ir::Device& d, const std::vector<ir::Model>& models) {
  if (d.behaviour) return &behaviouralKind(d);
  if (d.model >= 0 && std::size_t(d.model) < models.size()) {
    const ir::Model& m = models[std::size_t(d.model)];
    if (std::string lt = levelModelType(m); !lt.empty())
      if (const DeviceKind* k = findKind(d.letter, lt)) return variantFor(*k, d, m);
    if (const DeviceKind* k = findKind(d.letter, m.type)) return variantFor(*k, d, m);
  }
  return findKind(d.letter);
}

namespace {

// "r, tc1, tc2": every accepted spelling in descriptor order (name, then aliases).
std::string acceptedNames(const DeviceKind& kind, ParamScope scope) {
  std::string s;
  auto add = [&](const char* n) {
    if (!s.empty()) s += ", ";
    s += n;
  };
  for (const ParamSpec& p : kind.params) {
    if (p.scope != scope) continue;
    add(p.name);
    for (const char* a : p.aliases)
      if (a) add(a);
  }
  return s;
}

std::size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// What follows "unknown parameter 'x' ...": every accepted name, or for a kind with very many
// (BSIM's 900) the names close to the unknown one (a prefix either way, or a spelling within a
// third of its length) and where the whole list is.
std::string expectedNames(const DeviceKind& kind, ParamScope scope, std::string_view unknown) {
  std::vector<std::string> all;
  for (const ParamSpec& p : kind.params) {
    if (p.scope != scope) continue;
    all.emplace_back(p.name);
    for (const char* a : p.aliases)
      if (a) all.emplace_back(a);
  }
  if (all.size() <= 120) return "; expected one of: " + acceptedNames(kind, scope);
  std::string close;
  const std::size_t near = std::max<std::size_t>(1, unknown.size() / 3);
  for (const std::string& n : all)
    if (n.rfind(unknown, 0) == 0 || (unknown.rfind(n, 0) == 0 && n.size() >= 2) || editDistance(n, unknown) <= near)
      close += (close.empty() ? "" : ", ") + n;
  return (close.empty() ? std::string("; no parameter has a name close to it") : "; close names: " + close) + " (" +
         std::to_string(all.size()) + " " + (scope == ParamScope::Model ? "model" : "instance") +
         " parameters in all; docs/devices.md lists them)";
}

}  // namespace

namespace {

template <class Find>
Status checkInstanceWith(const DeviceKind& kind, const ir::Device& d, const Find& find) {
  for (const auto& p : d.params) {
    if (find(ParamScope::Instance, p.name)) continue;
    const std::string names = acceptedNames(kind, ParamScope::Instance);
    std::string msg = "unknown parameter '" + p.name + "' for " + kind.name + " '" + d.name + "'";
    msg += names.empty() ? "; it takes no named parameters" : expectedNames(kind, ParamScope::Instance, p.name);
    return makeError(ErrorCode::Semantic, msg, p.loc);
  }
  return {};
}

template <class Find>
Status checkModelWith(const DeviceKind& kind, const ir::Model& m, const Find& find) {
  for (const auto& p : m.params) {
    if (const ParamSpec* spec = find(ParamScope::Model, p.name)) {
      if (!spec->vector && p.values.size() > 1)
        return makeError(ErrorCode::Semantic,
                         "parameter '" + p.name + "' of " + (kind.modelNoun ? kind.modelNoun : kind.name) +
                             " model '" + m.name + "' takes one value, not a vector of " +
                             std::to_string(p.values.size()),
                         p.loc);
      continue;
    }
    return makeError(ErrorCode::Semantic,
                     "unknown parameter '" + p.name + "' in " + (kind.modelNoun ? kind.modelNoun : kind.name) +
                         " model '" + m.name + "'" + expectedNames(kind, ParamScope::Model, p.name),
                     p.loc);
  }
  return {};
}

// The first parameter of ps given under spec's name, else under its aliases in order.
const ir::Param* givenIn(const std::vector<ir::Param>& ps, const ParamSpec& spec) {
  auto first = [&](const char* n) -> const ir::Param* {
    for (const auto& p : ps)
      if (p.name == n) return &p;
    return nullptr;
  };
  if (const ir::Param* p = first(spec.name)) return p;
  for (const char* a : spec.aliases)
    if (a)
      if (const ir::Param* p = first(a)) return p;
  return nullptr;
}

}  // namespace

Status checkInstanceParams(const DeviceKind& kind, const ir::Device& d) {
  return checkInstanceWith(kind, d, [&](ParamScope s, std::string_view n) { return kind.find(s, n); });
}

Status checkModelParams(const DeviceKind& kind, const ir::Model& m) {
  return checkModelWith(kind, m, [&](ParamScope s, std::string_view n) { return kind.find(s, n); });
}

ParamIndex::ParamIndex(const DeviceKind& kind) : kind_(kind) {
  for (std::size_t i = 0; i < kind.params.size(); ++i) {
    const ParamSpec& p = kind.params[i];
    auto& names = names_[p.scope == ParamScope::Instance ? 0 : 1];
    names.emplace(p.name, int(i));
    for (const char* a : p.aliases)
      if (a) names.emplace(a, int(i));
  }
}

const ParamSpec* ParamIndex::find(ParamScope scope, std::string_view name) const {
  const auto& names = names_[scope == ParamScope::Instance ? 0 : 1];
  const auto it = names.find(name);
  return it == names.end() ? nullptr : &kind_.params[std::size_t(it->second)];
}

const ir::Param* ParamIndex::givenInModel(const ir::Model& m, const ParamSpec& spec) const {
  auto it = models_.find(&m);
  if (it == models_.end()) {
    std::vector<const ir::Param*> given(kind_.params.size(), nullptr);
    for (std::size_t i = 0; i < given.size(); ++i)
      if (kind_.params[i].scope == ParamScope::Model) given[i] = givenIn(m.params, kind_.params[i]);
    it = models_.emplace(&m, std::move(given)).first;
  }
  return it->second[std::size_t(&spec - kind_.params.data())];
}

Status ParamIndex::checkModel(const ir::Model& m) const {
  if (checked_.count(&m)) return {};
  if (auto s = checkModelWith(kind_, m, [&](ParamScope sc, std::string_view n) { return find(sc, n); }); !s) return s;
  checked_.insert(&m);
  return {};
}

Status ParamIndex::checkInstance(const ir::Device& d) const {
  return checkInstanceWith(kind_, d, [&](ParamScope s, std::string_view n) { return find(s, n); });
}

Status checkNodes(const DeviceKind& kind, const ir::Device& d) {
  const int n = int(d.nodes.size());
  if (n >= kind.minNodes && n <= kind.maxNodes) return {};
  const std::string need = kind.minNodes == kind.maxNodes
                               ? std::to_string(kind.minNodes)
                               : std::to_string(kind.minNodes) + (kind.maxNodes > kind.minNodes + 1 ? " to " : " or ") +
                                     std::to_string(kind.maxNodes);
  return makeError(ErrorCode::Semantic,
                   std::string(kind.name) + " '" + d.name + "' needs " + need + " nodes, got " + std::to_string(n),
                   d.loc);
}

const ir::Param* ParamValues::given(ParamScope scope, std::string_view name) const {
  const ParamSpec* sp = spec(scope, name);
  if (!sp) return nullptr;
  if (scope == ParamScope::Instance) return givenIn(d_.params, *sp);
  if (!m_) return nullptr;
  return index_ ? index_->givenInModel(*m_, *sp) : givenIn(m_->params, *sp);
}

std::vector<double> ParamValues::modelVector(std::string_view name) const {
  const ir::Param* p = given(ParamScope::Model, name);
  if (!p) return {};
  if (!p->values.empty()) return p->values;
  return {p->value};
}

double ParamValues::get(ParamScope scope, std::string_view name, const double* fallback) const {
  if (const ir::Param* p = given(scope, name)) return p->value;
  if (fallback) return *fallback;
  const ParamSpec* sp = spec(scope, name);
  return sp ? sp->def : kNoDefault;
}

}  // namespace simcore::dev
