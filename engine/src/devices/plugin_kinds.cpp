#include "devices/plugin_kind.hpp"
#include "devices/plugin_kinds.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <set>
#include <utility>

#include "devices/device.hpp"

namespace simcore {
namespace {

// The smallest struct sizes ABI version 1 accepts: everything up to the last
// field version 1 requires (later fields read as zero when absent).
constexpr std::size_t kMinPluginSize = offsetof(simcore_plugin, num_kinds) + sizeof(int);
constexpr std::size_t kMinKindSize = offsetof(simcore_device_kind, event_function) + sizeof(void*);
constexpr int kMaxUnknowns = 256;  // per instance
constexpr std::uint32_t kKnownFlags = SIMCORE_KIND_NONLINEAR | SIMCORE_KIND_SWITCHING | SIMCORE_KIND_REACTIVE;

bool plainName(const char* s) {
  if (!s || !*s) return false;
  for (const char* p = s; *p; ++p)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) return false;
  return s[0] >= 'a' && s[0] <= 'z';
}

std::string quoted(const char* s) {
  if (!s) return "(null)";
  std::string out(1, '\'');
  out += s;
  out += '\'';
  return out;
}

// The plugin's kind i copied into a full-size struct (absent fields zero).
simcore_device_kind copyKind(const simcore_device_kind& k) {
  simcore_device_kind out{};
  std::memcpy(&out, &k, std::min<std::size_t>(k.struct_size, sizeof out));
  out.struct_size = sizeof out;
  return out;
}

std::string checkKind(const simcore_device_kind& k) {
  const std::string who = "device kind " + quoted(k.name);
  if (!plainName(k.name)) return "a device kind's name must be lower-case letters, digits or '_', got " + quoted(k.name);
  if (!plainName(k.model_type))
    return who + ": model_type must be lower-case letters, digits or '_', got " + quoted(k.model_type);
  if (k.letter != 0 && !(k.letter >= 'a' && k.letter <= 'z'))
    return who + ": letter must be a lower-case letter (or 0 for 'n')";
  if (k.terminals < 1 || k.terminals > 64) return who + ": terminals must be 1..64, got " + std::to_string(k.terminals);
  if (k.internal_nodes < 0) return who + ": internal_nodes must be >= 0";
  if (k.min_terminals < 0 || k.min_terminals > k.terminals)
    return who + ": min_terminals must be 0 (all) or 1.." + std::to_string(k.terminals);
  if (k.min_terminals != 0 && k.min_terminals < k.terminals && !k.connect)
    return who + ": a kind with min_terminals below terminals needs connect()";
  if (k.branches < 0 || k.branches > 1) return who + ": branches must be 0 or 1, got " + std::to_string(k.branches);
  const int n = k.terminals + k.internal_nodes + k.branches;
  if (n > kMaxUnknowns) return who + ": more than " + std::to_string(kMaxUnknowns) + " unknowns per instance";
  if (k.flags & ~kKnownFlags) return who + ": unknown bits in flags (" + std::to_string(k.flags) + ")";
  if (k.num_params < 0 || (k.num_params > 0 && !k.params)) return who + ": params is null or num_params negative";
  std::set<std::string> names;
  for (int i = 0; i < k.num_params; ++i) {
    const simcore_param_desc& p = k.params[i];
    if (!plainName(p.name)) return who + ": parameter " + std::to_string(i) + " has no valid lower-case name";
    if (p.scope != SIMCORE_PARAM_INSTANCE && p.scope != SIMCORE_PARAM_MODEL)
      return who + ": parameter '" + p.name + "' has scope " + std::to_string(p.scope) + " (0 instance, 1 model)";
    if (!names.insert(std::to_string(p.scope) + p.name).second)
      return who + ": parameter '" + p.name + "' declared twice";
  }
  if (k.num_entries < 0 || (k.num_entries > 0 && !k.entries)) return who + ": entries is null or num_entries negative";
  std::set<std::pair<int, int>> seen;
  for (int e = 0; e < k.num_entries; ++e) {
    const simcore_matrix_entry& m = k.entries[e];
    if (m.row < 0 || m.row >= n || m.col < 0 || m.col >= n)
      return who + ": matrix entry " + std::to_string(e) + " (" + std::to_string(m.row) + ", " + std::to_string(m.col) +
             ") is outside the " + std::to_string(n) + " local unknowns";
    if (!seen.insert({m.row, m.col}).second)
      return who + ": matrix entry (" + std::to_string(m.row) + ", " + std::to_string(m.col) + ") listed twice";
  }
  if (k.num_dc_paths < 0 || (k.num_dc_paths > 0 && !k.dc_paths)) return who + ": dc_paths is null or num_dc_paths negative";
  for (int i = 0; i < 2 * k.num_dc_paths; ++i)
    if (k.dc_paths[i] < 0 || k.dc_paths[i] >= k.terminals + k.internal_nodes)
      return who + ": dc_paths names a node that does not exist (" + std::to_string(k.dc_paths[i]) + ")";
  if (k.num_noise < 0 || k.num_noise > 1024 || (k.num_noise > 0 && (!k.noise_names || !k.noise)))
    return who + ": num_noise out of range, or noise generators without noise_names and noise()";
  for (int g = 0; g < k.num_noise; ++g)
    if (!k.noise_names[g]) return who + ": noise generator " + std::to_string(g) + " has no name";
  if (k.num_outputs < 0 || (k.num_outputs > 0 && (!k.output_names || !k.output)))
    return who + ": num_outputs negative, or outputs without output_names and output()";
  for (int o = 0; o < k.num_outputs; ++o)
    if (!k.output_names[o]) return who + ": output " + std::to_string(o) + " has no name";
  if ((!k.create && !k.create_in_kind) || !k.destroy || !k.load)
    return who + ": create (or create_in_kind), destroy and load are required";
  if ((k.flags & SIMCORE_KIND_SWITCHING) && (!k.next_state || !k.event_function))
    return who + ": a SWITCHING kind needs next_state and event_function";
  return {};
}

std::string checkDescriptor(const simcore_plugin* p) {
  if (!p) return "simcore_plugin_entry() returned null";
  if (p->abi_version != SIMCORE_PLUGIN_ABI_VERSION)
    return "built for device plugin ABI version " + std::to_string(p->abi_version) + ", this simcore loads version " +
           std::to_string(SIMCORE_PLUGIN_ABI_VERSION) + " (rebuild it against this simcore's simcore/device_plugin.h)";
  if (p->struct_size < kMinPluginSize)
    return "bad descriptor: struct_size " + std::to_string(p->struct_size) + " is smaller than ABI version 1's simcore_plugin";
  if (!p->name || !*p->name) return "bad descriptor: the plugin has no name";
  if (p->num_kinds < 1 || !p->kinds) return "bad descriptor: the plugin declares no device kinds";
  for (int i = 0; i < p->num_kinds; ++i) {
    const simcore_device_kind* k = p->kinds[i];
    if (!k) return "bad descriptor: kind " + std::to_string(i) + " is null";
    if (k->struct_size < kMinKindSize)
      return "bad descriptor: kind " + std::to_string(i) + " has struct_size " + std::to_string(k->struct_size) +
             ", smaller than ABI version 1's simcore_device_kind";
    const simcore_device_kind full = copyKind(*k);
    if (std::string e = checkKind(full); !e.empty()) return "bad descriptor: " + e;
  }
  return {};
}

Error pluginError(const std::string& file, const std::string& message) {
  return makeError(ErrorCode::Semantic, "device plugin '" + file + "': " + message);
}

}  // namespace

Status checkPlugin(const LoadedPlugin& plugin) {
  if (std::string e = checkDescriptor(plugin.plugin); !e.empty()) return pluginError(plugin.file, e);
  return {};
}

}  // namespace simcore

namespace simcore {

Result<std::shared_ptr<const PluginKinds>> PluginKinds::make(std::vector<LoadedPlugin> plugins) {
  auto out = std::shared_ptr<PluginKinds>(new PluginKinds());
  for (const LoadedPlugin& lp : plugins) {
    if (auto s = checkPlugin(lp); !s) return s.takeError();
    for (int i = 0; i < lp.plugin->num_kinds; ++i) {
      auto pk = std::make_unique<dev::PluginKind>();
      pk->c = copyKind(*lp.plugin->kinds[i]);
      pk->file = lp.file;
      const simcore_device_kind& c = pk->c;
      const char letter = c.letter ? c.letter : 'n';
      if (letter == 'x' || dev::findKind(letter))
        return pluginError(lp.file, "device kind '" + std::string(c.name) + "' uses the letter " +
                                        std::string(1, char(letter - 32)) + ", which a built-in device kind has");
      for (const dev::DeviceKind& b : dev::registry())
        for (const char* t : b.modelTypes)
          if (std::string_view(t) == c.model_type)
            return pluginError(lp.file, "device kind '" + std::string(c.name) + "' uses the model type '" +
                                            c.model_type + "' of the built-in " + b.name);
      for (const auto& other : out->kinds_)
        if (std::string_view(other->c.model_type) == c.model_type)
          return pluginError(lp.file, "device kind '" + std::string(c.name) + "' uses the model type '" + c.model_type +
                                          "', which device plugin '" + other->file + "' already declares");
      for (int p = 0; p < c.num_params; ++p) {
        const simcore_param_desc& d = c.params[p];
        dev::ParamSpec spec;
        spec.name = d.name;
        spec.scope = d.scope == SIMCORE_PARAM_MODEL ? dev::ParamScope::Model : dev::ParamScope::Instance;
        spec.def = d.def;
        spec.unit = d.unit ? d.unit : "";
        spec.doc = d.doc ? d.doc : "";
        pk->params.push_back(spec);
      }
      pk->modelTypes[0] = c.model_type;
      dev::DeviceKind& k = pk->kind;
      k.letter = letter;
      k.name = c.name;
      k.form = dev::CardForm::ModelCard;
      k.maxNodes = c.terminals;
      k.minNodes = c.min_terminals > 0 ? c.min_terminals : c.terminals;
      k.branches = c.branches;
      k.modelTypes = pk->modelTypes;
      k.params = pk->params;
      k.modelNoun = c.name;
      k.valueDoc = c.doc;
      out->kinds_.push_back(std::move(pk));
    }
  }
  out->plugins_ = std::move(plugins);
  return std::shared_ptr<const PluginKinds>(std::move(out));
}

}  // namespace simcore

namespace simcore::dev {

KindTable::KindTable(const PluginKinds* plugins) : plugins_(plugins) {
  for (const DeviceKind& k : registry()) all_.push_back(&k);
  if (plugins)
    for (const auto& pk : plugins->kinds()) all_.push_back(&pk->kind);
}

const DeviceKind* KindTable::find(char letter) const {
  for (const DeviceKind* k : all_)
    if (k->letter == letter) return k;
  return nullptr;
}

const DeviceKind* KindTable::find(char letter, std::string_view modelType) const {
  for (const DeviceKind* k : all_) {
    if (k->letter != letter) continue;
    for (const char* t : k->modelTypes)
      if (modelType == t) return k;
  }
  return nullptr;
}

// dev::kindOf's rules (descriptor.cpp) over this table: behavioural sources, a model's
// LEVEL, its type (each with the kind's variant), else the letter's first kind.
const DeviceKind* KindTable::kindOf(const ir::Device& d, const std::vector<ir::Model>& models) const {
  if (d.behaviour) return &behaviouralKind(d);
  if (d.model >= 0 && std::size_t(d.model) < models.size()) {
    const ir::Model& m = models[std::size_t(d.model)];
    if (std::string lt = levelModelType(m); !lt.empty())
      if (const DeviceKind* k = find(d.letter, lt)) return variantFor(*k, d, m);
    if (const DeviceKind* k = find(d.letter, m.type)) return variantFor(*k, d, m);
  }
  return find(d.letter);
}

const PluginKind* KindTable::plugin(const DeviceKind& k) const {
  if (!plugins_) return nullptr;
  for (const auto& pk : plugins_->kinds())
    if (&pk->kind == &k) return pk.get();
  return nullptr;
}

std::unique_ptr<DeviceGroup> KindTable::create(const DeviceKind& k, std::vector<const ir::Device*> instances) const {
  if (const PluginKind* pk = plugin(k)) return makePluginGroup(*pk, std::move(instances));
  return k.create(std::move(instances));
}

}  // namespace simcore::dev
