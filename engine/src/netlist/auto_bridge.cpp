// Automatic analog/digital bridges, as ngspice 39 inserts them
// (src/xspice/evt/evtcheck_nodes.c, read for the rules): a node that both a
// digital port of an XSPICE digital model and an analog terminal use is two
// nodes, the analog one keeping the name and the digital one behind a bridge.
// A node that digital ports only read gets an adc_bridge (in_low = in_high =
// vcc/2), one that they only drive a dac_bridge (out_low 0, out_high vcc);
// vcc is the .param vcc visible from the deepest-nested digital device on
// the node, else 3.3. A node that digital ports both read and drive would
// take ngspice's bidi_bridge, which simcore does not have: it stays one node
// (a warning says so).
#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "netlist/frontend.hpp"

namespace simcore::netlist {
namespace {

// The ports of the XSPICE models with digital (or real) ports, in card order:
// 'i' a digital input, 'o' a digital output, 'a' an analog port, 'r' a real
// (or other event) port, never bridged. Every port of another A model is analog.
struct DigitalModel {
  std::string_view type, ports;
};
constexpr DigitalModel kDigitalModels[] = {
    {"d_and", "io"},        {"d_nand", "io"},      {"d_or", "io"},           {"d_nor", "io"},
    {"d_xor", "io"},        {"d_xnor", "io"},      {"d_buffer", "io"},       {"d_inverter", "io"},
    {"d_open_c", "io"},     {"d_open_e", "io"},    {"d_tristate", "iio"},    {"d_pullup", "o"},
    {"d_pulldown", "o"},    {"d_dff", "iiiioo"},   {"d_jkff", "iiiiioo"},    {"d_tff", "iiiioo"},
    {"d_srff", "iiiiioo"},  {"d_dlatch", "iiiioo"}, {"d_srlatch", "iiiiioo"}, {"d_osc", "ao"},
    {"d_fdiv", "io"},       {"d_source", "o"},     {"d_state", "iiio"},      {"d_ram", "ioiii"},
    {"d_lut", "io"},        {"d_genlut", "io"},    {"d_pwm", "ao"},          {"adc_bridge", "ao"},
    {"dac_bridge", "ia"},   {"d_to_real", "iir"},  {"real_to_v", "ra"},      {"real_gain", "rr"},
    {"real_delay", "rir"},
};

const DigitalModel* digitalModel(std::string_view type) {
  for (const DigitalModel& m : kDigitalModels)
    if (m.type == type) return &m;
  return nullptr;
}

int depthOf(const std::string& name) { return int(std::count(name.begin(), name.end(), '.')); }

}  // namespace

double Frontend::bridgeVcc(Frame& f, const SourceLoc& at) {
  if (!hasParam(f, "vcc") || lookupString(f, "vcc")) return 3.3;
  return lookupParam(f, "vcc", at);
}

void Frontend::autoBridges() {
  struct Use {
    int inputs = 0, outputs = 0;
    bool analog = false;
    int deepest = -1;  // index in c_.devices of the deepest-nested digital device on the node
    std::vector<std::pair<std::size_t, std::size_t>> digital;  // (device, element) of the digital ports
  };
  std::unordered_map<std::string, Use> uses;
  std::vector<std::string> order;  // nodes in order of first use (bridge names follow it)
  auto use = [&](const std::string& n) -> Use& {
    auto [it, fresh] = uses.try_emplace(n);
    if (fresh) order.push_back(n);
    return it->second;
  };
  bool anyDigital = false;
  for (std::size_t di = 0; di < c_.devices.size(); ++di) {
    const ir::Device& d = c_.devices[di];
    const DigitalModel* dm = nullptr;
    if (d.letter == 'a' && d.model >= 0) dm = digitalModel(c_.models[std::size_t(d.model)].type);
    if (d.letter == 'a' && dm && d.ports.size() != dm->ports.size()) continue;  // (the block's set-up reports it)
    if (d.letter != 'a' || !dm) {
      for (const std::string& n : d.nodes)
        if (n != "0") use(n).analog = true;
      continue;
    }
    std::size_t el = 0;
    for (std::size_t p = 0; p < d.ports.size(); ++p) {
      const char dir = dm->ports[p];
      for (int k = 0; k < d.ports[p]; ++k, ++el) {
        if (2 * el + 1 >= d.nodes.size()) break;
        if (!d.portTypes.empty() && d.portTypes[el] == ir::Device::PortType::Null) continue;
        if (dir == 'a') {
          for (int s = 0; s < 2; ++s)
            if (d.nodes[2 * el + s] != "0") use(d.nodes[2 * el + s]).analog = true;
          continue;
        }
        if (dir == 'r') continue;
        std::string n = d.nodes[2 * el];
        if (n.size() > 1 && n[0] == '~') n.erase(0, 1);
        if (n == "0") continue;
        Use& u = use(n);
        (dir == 'o' ? u.outputs : u.inputs)++;
        u.digital.emplace_back(di, el);
        if (u.deepest < 0 || depthOf(d.name) > depthOf(c_.devices[std::size_t(u.deepest)].name)) u.deepest = int(di);
        anyDigital = true;
      }
    }
  }
  if (!anyDigital) return;

  std::unordered_map<std::string, int> bridgeModels;  // "adc_bridge@vcc" -> model index
  auto model = [&](const char* type, double vcc, const SourceLoc& at) {
    const std::string key = std::string(type) + "@" + std::to_string(vcc);
    auto it = bridgeModels.find(key);
    if (it != bridgeModels.end()) return it->second;
    ir::Model m;
    const bool adc = std::string_view(type) == "adc_bridge";
    m.name = adc ? "auto_adc" : "auto_dac";
    if (!bridgeModels.empty()) m.name += "#" + std::to_string(bridgeModels.size());
    m.type = type;
    m.loc = at;
    auto param = [&](const char* name, double v) {
      ir::Param p;
      p.name = name;
      p.value = v;
      p.loc = at;
      m.params.push_back(std::move(p));
    };
    if (adc) {
      param("in_low", vcc / 2);
      param("in_high", vcc / 2);
    } else {
      param("out_low", 0.0);
      param("out_high", vcc);
    }
    const int idx = int(c_.models.size());
    c_.models.push_back(std::move(m));
    bridgeModels.emplace(key, idx);
    return idx;
  };

  int serial = 0;
  for (const std::string& n : order) {
    Use& u = uses[n];
    if (!u.analog || u.digital.empty()) continue;
    const ir::Device& deep = c_.devices[std::size_t(u.deepest)];
    if (u.inputs > 0 && u.outputs > 0) {
      if (warned_.insert("auto-bidi:" + n).second)
        c_.warnings.push_back(ir::Diagnostic{
            "node '" + n + "' joins analog devices to digital inputs and outputs: ngspice 39 puts a bidi_bridge "
            "there, which simcore does not have; the node stays one (a digital node: 0 V, 1 V, 0.5 V for U)",
            deep.loc});
      continue;
    }
    auto vccIt = bridgeVcc_.find(std::size_t(u.deepest));
    const double vcc = vccIt == bridgeVcc_.end() ? 3.3 : vccIt->second;
    const bool in = u.outputs == 0;
    const std::string twin = n + "#digital";
    for (const auto& [di, el] : u.digital) {
      std::string& node = c_.devices[di].nodes[2 * el];
      node = node[0] == '~' ? "~" + twin : twin;
    }
    ir::Device b;
    std::string name;
    do name = std::string(in ? "auto_adc" : "auto_dac") + std::to_string(++serial);
    while (deviceIndex_.count(name));
    b.name = name;
    b.letter = 'a';
    b.loc = deep.loc;
    b.ports = {1, 1};
    b.nodes = in ? std::vector<std::string>{n, "0", twin, "0"} : std::vector<std::string>{twin, "0", n, "0"};
    b.portAt = {ir::Device::PortAt{deep.loc.line, deep.loc.col}, ir::Device::PortAt{deep.loc.line, deep.loc.col}};
    b.model = model(in ? "adc_bridge" : "dac_bridge", vcc, deep.loc);
    deviceIndex_.emplace(b.name, c_.devices.size());
    c_.devices.push_back(std::move(b));
  }
}

}  // namespace simcore::netlist
