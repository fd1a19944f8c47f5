// Output requests in ngspice's spellings (.save/.print/.probe): `all`,
// KiCad's `.probe alli`, `@device[param]` vectors, device currents i(x),
// vdb/vm/vp/vr/vi(x) and v(a,b), mapped onto what the analyses record (node
// voltages and branch currents; front ends derive dB, phase, differences).
// A request that names an existing device whose current is not recorded, or a
// node no device connects to, is dropped with a warning, so the rest of the
// deck still runs (ngspice warns too).
#include <algorithm>
#include <set>
#include <unordered_set>

#include "devices/plugin_kind.hpp"
#include "netlist/expr.hpp"
#include "devices/plugin_kinds.hpp"
#include "netlist/frontend.hpp"
#include "simcore/ngspice_names.hpp"

namespace simcore::netlist {
namespace {

// Devices whose current is a solution unknown (a branch current).
bool hasBranchCurrent(char letter) { return letter == 'v' || letter == 'l' || letter == 'e' || letter == 'h'; }

bool isCurrentParam(std::string_view p) {
  return p == "i" || p == "id" || p == "current" || p == "c" || p == "is";
}

// The device quantities the engine records for a device (DeviceGroup::quantity):
// its terminal currents (ngspice's savecurrents names, in its order), then the
// other quantities. Empty for a device that records none.
struct Quantities {
  std::vector<std::string_view> currents, others;
  bool has(std::string_view p) const {
    return std::find(currents.begin(), currents.end(), p) != currents.end() ||
           std::find(others.begin(), others.end(), p) != others.end();
  }
};
Quantities quantitiesOf(const ir::Device& d, const ir::Circuit& c) {
  // a behavioural current source's current (B I=, G VALUE=, F/G POLY: ngspice's @b1[i])
  if (d.behaviour) return d.behaviour->output == ir::Behaviour::Output::Current ? Quantities{{"i"}, {}} : Quantities{};
  const std::string type = d.model >= 0 ? c.models[std::size_t(d.model)].type : "";
  switch (d.letter) {
    // (and the value in use, ngspice's instance parameter: @r1[r] @c1[c] and the long names, @l1[inductance])
    case 'r': return {{"i"}, {"p", "r", "resistance"}};
    case 'c': return {{"i"}, {"p", "c", "cap", "capacitance"}};
    case 'l': return {{"i"}, {"p", "inductance"}};
    case 'v': return {{}, {"dc"}};
    case 'i': return {{"current"}, {"dc", "i"}};  // (ngspice's savecurrents @i1[current]; i(i1) its probe)
    // the linear controlled current sources' current and a switch's (ngspice's savecurrents
    // @g1[i] @f1[i] @s1[i] @w1[i]; not the ideal semiconductors an S card may be here)
    case 'g': case 'f': case 's': case 'w': {
      const dev::DeviceKind* k = dev::KindTable().kindOf(d, c.models);
      for (const char* name : {"voltage-controlled current source", "current-controlled current source",
                               "voltage-controlled switch", "current-controlled switch"})
        if (k && k->name == std::string_view(name)) return {{"i"}, {}};
      break;
    }
    case 'd': if (type == "d") return {{"id"}, {"gd", "cd", "qd"}}; break;
    case 'q':
      if (type == "npn" || type == "pnp") {
        const std::string lt = dev::levelModelType(c.models[std::size_t(d.model)]);
        const bool gummelPoon = lt.empty();  // level 1 (4 and 9: VBIC, 8: HICUM)
        if (lt == "npn@8" || lt == "pnp@8")
          return {{"ic", "ie", "ib", "is"},
                  {"it", "iavl", "rbi", "betadc", "tf", "ick", "gmi", "rpii", "rmui", "tk", "dtsh", "p"}};
        if (gummelPoon) return {{"ic", "ie", "ib", "is"}, {"gm", "go", "gpi", "gmu", "cpi", "cmu", "qbe", "qbc", "cbx", "csub"}};
        return {{"ic", "ie", "ib", "is"}, {"gm", "go", "gpi", "gmu", "cbe", "cbc"}};  // VBIC
      }
      break;
    case 'm':
      if (type == "nmos" || type == "pmos") {
        const std::string lt = dev::levelModelType(c.models[std::size_t(d.model)]);
        const bool bsim3 = lt == "nmos@8" || lt == "pmos@8" || lt == "nmos@49" || lt == "pmos@49";
        if (bsim3)
          return {{"id", "is", "ig", "ib"},
                  {"gm",  "gds", "gmbs", "vth", "vdsat", "vbs", "vgs", "vds", "ibd", "ibs", "gbd",   "gbs",  "qb",
                   "qg",  "qd",  "cgg",  "cgd", "cgs",   "cdg", "cdd", "cds", "cbg", "cbd", "cbs", "capbd", "capbs"}};
        const bool bsim4 = lt == "nmos@14" || lt == "pmos@14" || lt == "nmos@54" || lt == "pmos@54";
        if (bsim4)
          return {{"id", "is", "ig", "ib"},
                  {"gm",   "gds",   "gmbs",  "vth",   "vdsat", "cgg",  "cgd",  "cgs", "cgb", "cdg",   "cdd",
                   "cds",  "cdb",   "cbg",   "cbd",   "cbs",   "cbb",  "csg",  "csd", "css", "csb",   "ibd",
                   "ibs",  "isub",  "igidl", "igisl", "igs",   "igd",  "igb",  "igcs", "igcd", "vbs", "vgs",
                   "vds",  "qg",    "qb",    "qd",    "qs",    "qinv", "capbd", "capbs"}};
        // BSIM3SOI DD/FD: ngspice's quantities of these models (no terminal currents)
        const bool soi = lt == "nmos@55" || lt == "pmos@55" || lt == "nmos@56" || lt == "pmos@56";
        if (soi) return {{}, {"gm", "gds", "gmbs", "vth", "vdsat", "ids", "vbs", "vgs", "vds", "ves"}};
        if (lt == "nmos@57" || lt == "pmos@57")  // BSIMSOI PD (b3soipd.cpp)
          return {{"id", "is", "ig", "ie", "ip", "ib"},
                  {"ids", "gm", "gds", "gmbs", "vth", "vdsat", "vbs", "vgs", "vds", "ves", "vps", "ic", "iii", "igidl",
                   "ibs", "ibd", "igb", "ibp", "dtemp"}};
        return {{"id", "is", "ig", "ib"}, {"gm", "gds", "gmbs", "von", "vdsat"}};
      }
      if (type == "vdmos") return {{"id", "is", "ig"}, {}};
      break;
    case 'j':
      if (type == "njf" || type == "pjf")  // (jfet.cpp: ngspice's JFETask names)
        return {{"id", "is", "ig", "igd"},  // (igd: savecurrents saves it too, as ngspice)
                {"vgs", "vgd", "gm", "gds", "ggs", "ggd", "cqgs", "cqgd", "p"}};
      break;
    // ngspice's savecurrents leaves Z out; @z1[cd] @z1[cg] @z1[is] are its quantities
    case 'z':
      if (type == "nmf" || type == "pmf") return {{}, {"cd", "cg", "is"}};
      if (type == "nhfet" || type == "phfet") return {{}, {"cd", "cg", "cs"}};  // (HFET: cs, as ngspice)
      break;
    default: break;
  }
  // a plugin kind's operating-point outputs (an OSDI module's output variables)
  if (c.plugins) {
    const dev::KindTable kinds(c.plugins.get());
    if (const dev::DeviceKind* k = kinds.kindOf(d, c.models))
      if (const dev::PluginKind* pk = kinds.plugin(*k)) {
        Quantities q;
        for (int o = 0; o < pk->c.num_outputs; ++o) q.others.emplace_back(pk->c.output_names[o]);
        return q;
      }
  }
  return {};
}

// ngspice 39's terminals of a device for .probe (inpc_probe.c): the number
// (1-based) of a terminal given by number or name, 0 when the device has no
// such terminal; and the name its vectors use for terminal k.
struct Terminals {
  std::vector<std::string_view> names;  // by number, from 1
};
Terminals terminalsOf(char letter) {
  switch (letter) {
    case 'd': return {{"a", "c"}};
    case 'j': case 'z': return {{"d", "g", "s"}};
    case 'm': return {{"d", "g", "s", "b_tj", "tc", "n6", "n7"}};
    case 'q': return {{"c", "b", "e", "s", "t"}};
    default: return {{"n1", "n2"}};
  }
}
std::size_t terminalNumber(char letter, std::string_view t, std::size_t count) {
  if (t.empty()) return 0;
  const char c = t[0];
  std::size_t k = 0;
  switch (letter) {
    case 'd': k = (c == 'a' || c == '1') ? 1 : (c == 'c' || c == 'k' || c == '2') ? 2 : 0; break;
    case 'j': case 'z': k = (c == 'd' || c == '1') ? 1 : (c == 'g' || c == '2') ? 2 : (c == 's' || c == '3') ? 3 : 0; break;
    case 'm':
      k = (c == 'd' || c == '1') ? 1 : (c == 'g' || c == '2') ? 2 : (c == 's' || c == '3') ? 3 : (c == 'b' || c == '4') ? 4
          : (c >= '5' && c <= '7') ? std::size_t(c - '0') : 0;
      if (c == 't' && t.size() > 1) k = t[1] == 'j' ? 4 : t[1] == 'c' ? 5 : 0;
      break;
    case 'q':
      k = (c == 'c' || c == '1') ? 1 : (c == 'b' || c == '2') ? 2 : (c == 'e' || c == '3') ? 3 : (c == 's' || c == '4') ? 4
          : c == 't' ? 5 : 0;
      break;
    default: break;  // R, C, L, V, I, ...: none by number or name, as in ngspice 39
  }
  return k <= count ? k : 0;
}
std::string terminalName(char letter, std::size_t k) {
  const Terminals ts = terminalsOf(letter);
  return k >= 1 && k <= ts.names.size() ? std::string(ts.names[k - 1]) : "n" + std::to_string(k);
}

}  // namespace

// The top-level instances named by .probe p(NAME) items, read before the
// elaboration (a sub-circuit instance's pins are moved behind their probe
// sources as it is instantiated).
void Frontend::findPowerProbes() {
  for (const Card& c : controls_) {
    if (c.size() == 0 || c[0].kind != TokKind::Word || !ieq(c[0].text, ".probe")) continue;
    if (c.size() == 1) probeAlli_ = true;  // (an empty .probe is .probe alli)
    for (std::size_t i = 1; i < c.size(); ++i)
      if (c[i].kind == TokKind::Word && ieq(c[i].text, "alli")) probeAlli_ = true;
    if (c.size() < 4) continue;
    for (std::size_t i = 1; i + 3 < c.size(); ++i)
      if (c[i].kind == TokKind::Word && ieq(c[i].text, "p") && c[i + 1].kind == TokKind::LParen &&
          c[i + 2].kind == TokKind::Word && c[i + 3].kind == TokKind::RParen)
        powerProbes_.insert(lower(c[i + 2].text));
  }
}

namespace {
// ngspice 39's names of a power probe's parts (inpc_probe.c): the node behind
// terminal k (from 1) on outer node `node`, and the zero-volt source to it
std::string probeNode(const std::string& node, const std::string& inst, std::size_t k) {
  return "probe_int_" + node + "_" + inst + "_" + std::to_string(k);
}
std::string probeSource(const std::string& inst, const std::string& label, std::size_t k, const std::string& node) {
  return "vcurr_" + inst + ":probe_int_" + label + ":" + std::to_string(k) + "_" + node;
}
}  // namespace

void Frontend::addProbeSources(const std::string& inst, const std::vector<ProbePin>& pins, const SourceLoc& at, bool save) {
  for (std::size_t k = 0; k < pins.size(); ++k) {
    ir::Device v;
    v.name = pins[k].source.empty() ? probeSource(inst, pins[k].label, k + 1, pins[k].outer) : pins[k].source;
    if (save && !pins[k].source.empty()) c_.saves.push_back(ir::SaveRequest{"i(" + v.name + ")", at});
    v.letter = 'v';
    v.nodes = {pins[k].outer, pins[k].inner};
    v.loc = at;
    deviceIndex_.emplace(v.name, c_.devices.size());
    c_.devices.push_back(std::move(v));
  }
}

void Frontend::probeSubcktPins(const std::string& inst, const std::vector<std::string>& pins,
                               std::unordered_map<std::string, std::string>& childPins, bool forAlli) {
  std::vector<ProbePin>& out = (forAlli ? alliPins_ : powerPins_)[inst];
  out.clear();
  for (std::size_t k = 0; k < pins.size(); ++k) {
    auto it = childPins.find(pins[k]);
    if (it == childPins.end()) continue;
    ProbePin p{it->second, probeNode(it->second == "0" ? "0" : it->second, inst, k + 1), pins[k]};
    // (with .probe alli a pin's source is named as ngspice's vector of its current; an instance of
    // two pins has one source under alli, and a power probe needs both)
    if (probeAlli_ && pins.size() > 2) p.source = inst + ":" + pins[k];
    it->second = p.inner;
    out.push_back(std::move(p));
  }
}

// .probe items (ngspice 39's inpc_probe.c) as saves: a `.save all` first
// unless something else is saved; vd(...) as a unit-gain E source from the
// difference onto a node named as ngspice names it (vd_r2, vd_a:b,
// vd_mn1:d:s, vd_mp1:d_mn1:d), saved as v(that node); i(dev:term) as the
// device's terminal current, named as ngspice names it. Devices are those of the top
// level, as in ngspice; an item naming none is ignored with a warning.
void Frontend::resolveProbes() {
  // (the alli item read: the sub-circuit pins moved for it get their sources, whatever the items)
  const bool alliRequested =
      std::any_of(probes_.begin(), probes_.end(), [](const ir::SaveRequest& s) { return s.signal == "alli"; });
  resolveProbeItems(alliRequested);
  addAlliPinSources(alliRequested);
}

void Frontend::resolveProbeItems(bool alliRequested) {
  if (!probeGiven_) return;
  // (.options savecurrents is no .save: with it alone ngspice saves everything too)
  const bool saving = std::any_of(c_.saves.begin(), c_.saves.end(), [](const ir::SaveRequest& s) { return s.signal != "savecurrents"; });
  if (!saving && !probes_.empty()) c_.saves.insert(c_.saves.begin(), ir::SaveRequest{"all", probes_.front().loc});
  if (c_.saves.empty() && probes_.empty()) return;
  auto ignore = [&](const ir::SaveRequest& s, const std::string& why) {
    c_.warnings.push_back(ir::Diagnostic{".probe " + s.signal + " ignored, as by ngspice 39: " + why, s.loc});
  };
  auto device = [&](const std::string& name) -> const ir::Device* {
    auto it = deviceIndex_.find(name);
    return it == deviceIndex_.end() ? nullptr : &c_.devices[it->second];
  };
  // dev:term -> its node and ngspice's name for it ("mn1:d"); false when there is none
  struct Pin {
    std::string node, label;
  };
  auto pin = [&](const std::string& dev, const std::string& term, Pin& out, std::string& why) {
    const ir::Device* d = device(dev);
    if (!d || d->letter == 'x') {
      why = "there is no device '" + dev + "' at the top level";
      return false;
    }
    if (term == "0") {
      out = {"0", "0"};
      return true;
    }
    const std::size_t k = terminalNumber(d->letter, term, d->nodes.size());
    if (k == 0) {
      why = "device '" + dev + "' has no terminal '" + term + "'";
      return false;
    }
    out = {d->nodes[k - 1], terminalName(d->letter, k)};
    return true;
  };
  int serial = 0;
  for (ir::SaveRequest& s : probes_) {
    const std::string& sig = s.signal;
    const std::size_t open = sig.find('(');
    const std::string fn = open == std::string::npos ? sig : sig.substr(0, open);
    const std::string inner = open == std::string::npos ? "" : sig.substr(open + 1, sig.size() - open - 2);
    if (fn == "vd") {
      const std::size_t comma = inner.find(',');
      std::string a, b, node, why;
      if (inner.find(':') == std::string::npos && comma == std::string::npos) {
        const ir::Device* d = device(inner);
        if (!d || d->nodes.size() != 2) {
          ignore(s, d ? "'" + inner + "' is not a two-terminal device" : "there is no device '" + inner + "' at the top level");
          continue;
        }
        a = d->nodes[0], b = d->nodes[1], node = "vd_" + inner;
      } else if (inner.find(':') == std::string::npos) {
        a = inner.substr(0, comma), b = inner.substr(comma + 1), node = "vd_" + a + ":" + b;
      } else if (comma == std::string::npos) {
        // dev:t1:t2
        const std::size_t c1 = inner.find(':'), c2 = inner.find(':', c1 + 1);
        if (c2 == std::string::npos) {
          ignore(s, "expected vd(dev:term1:term2)");
          continue;
        }
        const std::string dev = inner.substr(0, c1), t1 = inner.substr(c1 + 1, c2 - c1 - 1), t2 = inner.substr(c2 + 1);
        Pin p1, p2;
        if (t1 == t2) {
          ignore(s, "the two terminals are the same");
          continue;
        }
        if (t1 == "0" || !pin(dev, t1, p1, why) || !pin(dev, t2, p2, why)) {
          ignore(s, why.empty() ? "the first terminal may not be 0" : why);
          continue;
        }
        a = p1.node, b = p2.node, node = "vd_" + dev + ":" + p1.label + ":" + p2.label;
      } else {
        // dev1:t1,dev2:t2
        const std::string x = inner.substr(0, comma), y = inner.substr(comma + 1);
        const std::size_t cx = x.find(':'), cy = y.find(':');
        Pin p1, p2;
        if (cx == std::string::npos || cy == std::string::npos) {
          ignore(s, "expected vd(dev1:term1, dev2:term2)");
          continue;
        }
        if (!pin(x.substr(0, cx), x.substr(cx + 1), p1, why) || !pin(y.substr(0, cy), y.substr(cy + 1), p2, why)) {
          ignore(s, why);
          continue;
        }
        a = p1.node, b = p2.node;
        node = "vd_" + x.substr(0, cx) + ":" + p1.label + "_" + y.substr(0, cy) + ":" + p2.label;
      }
      ir::Device e;
      e.name = "ediff" + std::to_string(++serial) + "_" + node.substr(3);
      e.letter = 'e';
      e.nodes = {node, "0", a, b};
      e.value = 1.0;
      e.loc = s.loc;
      if (deviceIndex_.count(e.name) || c_.devices.size() >= kMaxDevices) {
        ignore(s, "its source '" + e.name + "' exists already");
        continue;
      }
      deviceIndex_.emplace(e.name, c_.devices.size());
      c_.devices.push_back(std::move(e));
      c_.saves.push_back(ir::SaveRequest{"v(" + node + ")", s.loc});
      continue;
    }
    if (fn == "p" && inner.find_first_of(":,") == std::string::npos) {
      // p(dev): the power into the device, as ngspice 39 makes it: a zero-volt
      // source in series with each terminal k (current i_k into the device),
      // and a B source onto node dev:power of sum (v_k - vref) * i_k, vref the
      // mean of the terminal voltages
      std::vector<ProbePin> pins;
      if (deviceIndex_.count("bprobe_int_" + inner + "power")) {
        ignore(s, "the power of '" + inner + "' is probed already");
        continue;
      }
      if (auto pp = powerPins_.find(inner); pp != powerPins_.end()) {
        pins = std::move(pp->second);
        powerPins_.erase(pp);
      } else {
        auto it = deviceIndex_.find(inner);
        if (it == deviceIndex_.end() || inner.find('.') != std::string::npos) {
          ignore(s, "there is no device '" + inner + "' at the top level");
          continue;
        }
        ir::Device& d = c_.devices[it->second];
        std::size_t n = d.nodes.size();
        if (std::string_view("fgsw").find(d.letter) != std::string_view::npos) n = 2;
        else if (d.letter == 'd') n = 2;
        else if (d.letter == 'm') {
          const bool vdmos = d.model >= 0 && c_.models[std::size_t(d.model)].type == "vdmos";
          n = vdmos ? std::min<std::size_t>(n, 3) : std::min<std::size_t>(n, 5);
        } else if (std::string_view("rclbvi").find(d.letter) != std::string_view::npos) n = 2;
        else if (std::string_view("eqjz").find(d.letter) == std::string_view::npos) {
          ignore(s, "simcore does not probe the power of a '" + std::string(1, d.letter) + "' device");
          continue;
        }
        if (d.behaviour && d.letter != 'b') n = 2;
        n = std::min(n, d.nodes.size());
        for (std::size_t k = 0; k < n; ++k) {
          ProbePin p{d.nodes[k], probeNode(d.nodes[k], inner, k + 1), terminalName(d.letter, k + 1)};
          d.nodes[k] = p.inner;
          pins.push_back(std::move(p));
        }
      }
      if (pins.empty() || c_.devices.size() + pins.size() + 2 > kMaxDevices) {
        ignore(s, "'" + inner + "' has no terminals to probe");
        continue;
      }
      const std::string powerNode = inner + ":power", vrefNode = inner + "probe_int_vref";
      ir::Device vref, power;
      vref.name = "bprobe_int_" + inner + "vref";
      power.name = "bprobe_int_" + inner + "power";
      vref.letter = power.letter = 'b';
      vref.nodes = {vrefNode, "0"};
      power.nodes = {powerNode, "0"};
      vref.loc = power.loc = s.loc;
      ir::Behaviour bv, bp;
      bv.expr.text = "vref of p(" + inner + ")";
      bp.expr.text = "p(" + inner + ")";
      bv.expr.loc = bp.expr.loc = s.loc;
      {
        ExprBuilder b(bv.expr);
        std::uint32_t sum = b.var(ir::ExprVar::Kind::Voltage, pins[0].inner);
        for (std::size_t k = 1; k < pins.size(); ++k)
          sum = b.op(ir::ExprOp::Add, {sum, b.var(ir::ExprVar::Kind::Voltage, pins[k].inner)});
        (void)b.op(ir::ExprOp::Mul, {b.constant(1.0 / double(pins.size())), sum});
      }
      {
        ExprBuilder b(bp.expr);
        std::uint32_t sum = b.constant(0.0);
        for (std::size_t k = 0; k < pins.size(); ++k) {
          const std::string src = pins[k].source.empty() ? probeSource(inner, pins[k].label, k + 1, pins[k].outer) : pins[k].source;
          const std::uint32_t dv = b.op(ir::ExprOp::Sub, {b.var(ir::ExprVar::Kind::Voltage, pins[k].inner),
                                                          b.var(ir::ExprVar::Kind::Voltage, vrefNode)});
          sum = b.op(ir::ExprOp::Add, {sum, b.op(ir::ExprOp::Mul, {dv, b.var(ir::ExprVar::Kind::Current, src)})});
        }
      }
      bv.output = bp.output = ir::Behaviour::Output::Voltage;
      vref.behaviour = std::move(bv);
      power.behaviour = std::move(bp);
      addProbeSources(inner, pins, s.loc, alliRequested);
      for (ir::Device* b : {&vref, &power}) {
        deviceIndex_.emplace(b->name, c_.devices.size());
        c_.devices.push_back(std::move(*b));
      }
      c_.saves.push_back(ir::SaveRequest{powerNode, s.loc});
      continue;
    }
    if (fn == "i" && inner.find_first_of(":,") != std::string::npos) {
      const std::size_t sep = inner.find_first_of(":,");
      const std::string dev = inner.substr(0, sep), term = inner.substr(sep + 1);
      Pin p;
      std::string why;
      const ir::Device* d = device(dev);
      if (!pin(dev, term, p, why)) {
        ignore(s, why);
        continue;
      }
      const std::string q = "i" + p.label.substr(0, 1);
      if (!quantitiesOf(*d, c_).has(q)) {
        ignore(s, "simcore records no current of terminal '" + p.label + "' of '" + dev + "'");
        continue;
      }
      // ngspice's vector: i(m1:s), the real current into the terminal
      c_.saves.push_back(ir::SaveRequest{"i(" + dev + ":" + p.label + ")", s.loc});
      continue;
    }
    c_.saves.push_back(std::move(s));
  }
  probes_.clear();
  // a sub-circuit instance whose pins were moved for a p() item that was not read
  // (its .probe card in an .if branch not taken): its pins joined again by the sources
  for (auto& [inst, pins] : powerPins_) addProbeSources(inst, pins, SourceLoc{}, alliRequested);
  powerPins_.clear();
}

// The devices of a sub-circuit instance (names starting with prefix) back on the caller's nodes
// of pins moved for a probe: their terminals (an A device's inverted ~port too) and the node
// voltages their expressions read.
void Frontend::rejoinPins(const std::string& prefix, const std::unordered_map<std::string, std::string>& back) {
  for (ir::Device& d : c_.devices) {
    if (d.name.compare(0, prefix.size(), prefix) != 0) continue;
    for (std::string& n : d.nodes) {
      const bool inverted = d.letter == 'a' && n.size() > 1 && n[0] == '~';
      if (auto it = back.find(inverted ? n.substr(1) : n); it != back.end()) n = (inverted ? "~" : "") + it->second;
    }
    if (d.behaviour)
      for (ir::ExprVar& v : d.behaviour->expr.vars)
        if (v.kind == ir::ExprVar::Kind::Voltage)
          if (auto it = back.find(v.name); it != back.end()) v.name = it->second;
  }
}

// .probe alli on the top-level sub-circuit instances, as ngspice 39's inpc_probe.c: a zero-volt
// source in series with each pin, its current (into the pin) saved as i(x1:PIN), PIN the
// .subckt's name of the pin; an instance of two pins has one source, on its second pin, whose
// current, the one into its first pin, is i(x1). An instance with a pin on a digital code model's
// node (a gate, a bridge: no source may join a digital port; ngspice's probe_alli_nox) keeps its
// pins as they were.
// `requested`: the alli item was read (it may sit in an .if branch not taken).
void Frontend::addAlliPinSources(bool requested) {
  for (auto& [inst, pins] : alliPins_) {
    const std::string prefix = inst + ".";
    // (a pin on a digital code model's node: a digital gate, a bridge; an analog code model, a
    // Laplace source, takes a source on its pins as any device)
    std::unordered_set<std::string> digital;
    for (const ir::Device& d : c_.devices) {
      if (d.letter != 'a' || d.name.compare(0, prefix.size(), prefix) != 0) continue;
      const std::string type = d.model >= 0 ? c_.models[std::size_t(d.model)].type : "";
      const bool dig = type.rfind("d_", 0) == 0 || type.find("bridge") != std::string::npos ||
                       std::find(d.portTypes.begin(), d.portTypes.end(), ir::Device::PortType::D) != d.portTypes.end();
      if (dig)
        for (const std::string& n : d.nodes) digital.insert(n.size() > 1 && n[0] == '~' ? n.substr(1) : n);  // (~: inverted)
    }
    const bool codeModel = std::any_of(pins.begin(), pins.end(), [&](const ProbePin& p) { return digital.count(p.inner) != 0; });
    const bool two = pins.size() == 2;
    if (!requested || codeModel || pins.empty() || c_.devices.size() + pins.size() > kMaxDevices ||
        deviceIndex_.count(two ? inst : inst + ":" + pins[0].label)) {
      // the pins joined to their nodes again: the sub-circuit's devices see the caller's nodes
      std::unordered_map<std::string, std::string> back;
      for (const ProbePin& p : pins) back[p.inner] = p.outer;
      rejoinPins(prefix, back);
      continue;
    }
    for (std::size_t k = 0; k < pins.size(); ++k) {
      const ProbePin& p = pins[k];
      if (two && k == 0) {
        rejoinPins(prefix, {{p.inner, p.outer}});
        continue;
      }
      ir::Device v;
      v.name = two ? inst : inst + ":" + p.label;
      v.letter = 'v';
      v.nodes = two ? std::vector<std::string>{p.inner, p.outer} : std::vector<std::string>{p.outer, p.inner};
      // (a name taken already, a pin listed twice: the source still joins the pin, unnamed for alli)
      const bool taken = deviceIndex_.count(v.name) != 0;
      if (taken) v.name = probeSource(inst, p.label, k + 1, p.outer);
      if (deviceIndex_.count(v.name)) continue;
      if (!taken) c_.saves.push_back(ir::SaveRequest{"i(" + v.name + ")", SourceLoc{}});
      deviceIndex_.emplace(v.name, c_.devices.size());
      c_.devices.push_back(std::move(v));
    }
  }
  alliPins_.clear();
}

bool Frontend::recordedQuantity(const std::string& q) const {
  const std::size_t open = q.find('[');
  if (q.size() < 4 || q[0] != '@' || open == std::string::npos || q.back() != ']') return false;
  std::string dev = q.substr(1, open - 1);
  auto it = deviceIndex_.find(dev);
  if (it == deviceIndex_.end())
    if (const std::string simcoreName = ir::fromNgspiceDeviceName(dev); !simcoreName.empty())
      it = deviceIndex_.find(simcoreName);
  return it != deviceIndex_.end() &&
         quantitiesOf(c_.devices[it->second], c_).has(q.substr(open + 1, q.size() - open - 2));
}

void Frontend::resolveSaves() {
  // The probes add devices (zero-volt sources, B sources) and move probed
  // terminals onto their own nodes; the circuit variants (.step points, alter)
  // were copied before, so each gets the same: its devices keep their values
  // and take the probes' nodes and devices. (A nested elaboration, one variant's,
  // leaves them to the circuit it is a variant of.)
  if (nested_) return;
  const std::size_t before = c_.devices.size();
  std::vector<std::vector<std::string>> nodesBefore;
  if (!c_.variants.empty()) {
    nodesBefore.reserve(before);
    for (const ir::Device& d : c_.devices) nodesBefore.push_back(d.nodes);
  }
  addCurrentMeters();
  resolveProbes();
  if (c_.devices.size() > before)
    for (ir::Variant& v : c_.variants) {
      if (v.devices.size() != before) continue;  // (the variant check says what differs)
      for (std::size_t i = 0; i < before; ++i)
        if (v.devices[i].name == c_.devices[i].name && v.devices[i].nodes == nodesBefore[i])
          v.devices[i].nodes = c_.devices[i].nodes;
      v.devices.insert(v.devices.end(), c_.devices.begin() + std::ptrdiff_t(before), c_.devices.end());
    }
  // .print adds what it prints; alone it narrows nothing (ngspice's raw file
  // then has every vector)
  if (!prints_.empty()) {
    if (c_.saves.empty()) c_.saves.push_back(ir::SaveRequest{"all", prints_.front().loc});
    for (ir::SaveRequest& p : prints_) c_.saves.push_back(std::move(p));
    prints_.clear();
  }
  std::vector<ir::SaveRequest> out;
  out.reserve(c_.saves.size());
  auto warnAt = [&](const ir::SaveRequest& s, const std::string& key, std::string msg) {
    if (!warned_.insert(key).second) return;
    c_.warnings.push_back(ir::Diagnostic{std::move(msg), s.loc});
  };
  // .options savecurrents (the "savecurrents" request): every device's terminal
  // currents as ngspice's @dev[id] vectors (in the n-type frame where ngspice's
  // are); .probe alli: those of the top-level devices as ngspice's probe vectors,
  // the real currents into the terminals, i(m1:d) (i(r1), i(d1) of a two-terminal
  // device); both after the node voltages when nothing else is saved
  bool saveCurrents = false, probeCurrents = false;
  SourceLoc currentsLoc;
  std::size_t others = 0;
  for (const ir::SaveRequest& s : c_.saves) {
    if (s.signal == "savecurrents" || s.signal == "alli") {
      if (!saveCurrents && !probeCurrents) currentsLoc = s.loc;
      (s.signal == "alli" ? probeCurrents : saveCurrents) = true;
    }
    if (s.signal != "savecurrents" && s.signal != "alli") ++others;
  }
  if (saveCurrents || probeCurrents) {
    std::vector<ir::SaveRequest> all;
    if (others == 0) all.push_back(ir::SaveRequest{"all", currentsLoc});
    for (ir::SaveRequest& s : c_.saves)
      if (s.signal != "savecurrents") all.push_back(std::move(s));
    for (const ir::Device& d : c_.devices) {
      const Quantities q = quantitiesOf(d, c_);
      if (saveCurrents)
        for (std::string_view name : q.currents)
          all.push_back(ir::SaveRequest{"@" + d.name + "[" + std::string(name) + "]", currentsLoc});
      if (!probeCurrents || d.name.find('.') != std::string::npos || q.currents.empty()) continue;
      if (std::string_view("rcldgfbisw").find(d.letter) != std::string_view::npos) {
        all.push_back(ir::SaveRequest{"i(" + d.name + ")", currentsLoc});
        continue;
      }
      // (a BSIMSOI's fourth terminal is its substrate, e: none past the third)
      const std::size_t terminals = d.letter == 'm' && q.has("ie") ? 3 : d.nodes.size();
      // (a VDMOS's thermal terminals tj, tc: the heat flowing into them, ngspice's b_tj and tc)
      const bool vdmos = d.letter == 'm' && d.model >= 0 && c_.models[std::size_t(d.model)].type == "vdmos";
      for (std::size_t k = 1; k <= terminals; ++k) {
        const std::string label = terminalName(d.letter, k);
        if (vdmos ? k <= 5 : q.has("i" + label.substr(0, 1)))
          all.push_back(ir::SaveRequest{"i(" + d.name + ":" + label + ")", currentsLoc});
      }
    }
    c_.saves = std::move(all);
  }
  // device quantities a .meas reads are saved (with everything else when
  // nothing else is)
  {
    std::vector<ir::SaveRequest> wanted;
    for (const ir::Measure& m : c_.measures)
      for (const std::string* sig : {&m.signal, &m.trig.signal, &m.targ.signal}) {
        const std::string& n = *sig;
        const bool quantity = n.size() > 3 && n[0] == '@';
        const bool twoTerminal = n.size() > 3 && n[0] == 'i' && n[1] == '(' && n.back() == ')' &&
                                 deviceIndex_.count(n.substr(2, n.size() - 3)) &&
                                 !hasBranchCurrent(c_.devices[deviceIndex_.at(n.substr(2, n.size() - 3))].letter);
        if (quantity || twoTerminal) wanted.push_back(ir::SaveRequest{n, m.loc});
      }
    if (!wanted.empty()) {
      if (c_.saves.empty()) c_.saves.push_back(ir::SaveRequest{"all", wanted.front().loc});
      for (auto& w : wanted) c_.saves.push_back(std::move(w));
    }
  }
  // a node no device connects to is dropped with a warning (as ngspice does)
  std::set<std::string, std::less<>> nodes{"0"};
  for (const ir::Device& d : c_.devices)
    for (const std::string& n : d.nodes)  // (an A device's ~name: an inverted port on node name)
      nodes.insert(d.letter == 'a' && n.size() > 1 && n[0] == '~' ? n.substr(1) : n);
  auto noNode = [&](const ir::SaveRequest& s, const std::string& node) {
    if (node == "gnd" || nodes.count(node)) return false;
    warnAt(s, "save:" + s.signal, "'" + s.signal + "' not saved: there is no node '" + node + "'");
    return true;
  };
  for (ir::SaveRequest& s : c_.saves) {
    // vdb(x) vm(x) vp(x) vr(x) vi(x) (and the same of i): the complex v(x)/i(x)
    // they are computed from
    if (s.signal.size() > 4 && (s.signal[0] == 'v' || s.signal[0] == 'i')) {
      const std::size_t open = s.signal.find('(');
      const std::string mod = open == std::string::npos ? "" : s.signal.substr(1, open - 1);
      if (mod == "db" || mod == "m" || mod == "p" || mod == "r" || mod == "i")
        s.signal = s.signal.substr(0, 1) + s.signal.substr(open);
    }
    // v(a,b): both nodes (the difference is theirs)
    if (s.signal.rfind("v(", 0) == 0 && s.signal.back() == ')' && s.signal.find(',') != std::string::npos) {
      const std::size_t comma = s.signal.find(',');
      const std::string a = s.signal.substr(2, comma - 2), b = s.signal.substr(comma + 1, s.signal.size() - comma - 2);
      if (noNode(s, a) || noNode(s, b)) continue;
      warnAt(s, "save:" + s.signal, "'" + s.signal + "' saved as v(" + a + ")" + (b == "0" || b == "gnd" ? "" : " and v(" + b + ")"));
      out.push_back(ir::SaveRequest{"v(" + a + ")", s.loc});
      if (b != "0" && b != "gnd") out.push_back(ir::SaveRequest{"v(" + b + ")", s.loc});
      continue;
    }
    // p(x): device power, @x[p] where the device records it
    if (s.signal.rfind("p(", 0) == 0 && s.signal.back() == ')') {
      const std::string dev = s.signal.substr(2, s.signal.size() - 3);
      auto it = deviceIndex_.find(dev);
      if (it != deviceIndex_.end() && quantitiesOf(c_.devices[it->second], c_).has("p")) {
        s.signal = "@" + dev + "[p]";
        out.push_back(std::move(s));
      } else {
        warnAt(s, "save:" + s.signal, "'" + s.signal + "' not saved: simcore records the power of R, C and L only");
      }
      continue;
    }
    const std::string& sig = s.signal;
    if (sig == "alli") continue;  // expanded above
    if (sig.rfind("v(", 0) == 0 && sig.back() == ')' && noNode(s, sig.substr(2, sig.size() - 3))) continue;
    if (sig.find_first_of("()[]@#") == std::string::npos && sig != "all" && sig != "allv" && sig != "allp" &&
        !deviceIndex_.count(sig) && noNode(s, sig))
      continue;
    if (sig == "allv" || sig == "allp") {
      if (sig == "allp") warnAt(s, "save:allp", "'allp': device powers are not saved");
      s.signal = "all";
      out.push_back(std::move(s));
      continue;
    }
    std::string dev, param;
    if (sig.size() > 3 && sig[0] == '@') {
      // @device[param]
      const std::size_t open = sig.find('[');
      if (open != std::string::npos && sig.back() == ']') {
        dev = sig.substr(1, open - 1);
        param = sig.substr(open + 1, sig.size() - open - 2);
      }
    } else if (sig.size() > 3 && sig[0] == 'i' && sig[1] == '(' && sig.back() == ')' &&
               sig.find(',') == std::string::npos) {
      dev = sig.substr(2, sig.size() - 3);
      param = "i";
    }
    if (dev.empty()) {
      out.push_back(std::move(s));
      continue;
    }
    auto it = deviceIndex_.find(dev);
    if (it == deviceIndex_.end())
      // ngspice's name of a device in a sub-circuit, its letter first (@r.x1.r1[i]
      // for x1.r1): the request keeps its name, the engine maps it the same way
      if (const std::string simcoreName = ir::fromNgspiceDeviceName(dev); !simcoreName.empty())
        it = deviceIndex_.find(simcoreName);
    if (it == deviceIndex_.end()) {
      // i(x1) of a sub-circuit instance: no device, no current of its own (ngspice 39
      // warns "can't parse 'x1#branch'" and runs): warned and dropped, not fatal
      const std::string inner = dev + ".";
      const bool instance = sig[0] == 'i' && std::any_of(c_.devices.begin(), c_.devices.end(), [&](const ir::Device& d) {
                              return d.name.compare(0, inner.size(), inner) == 0;
                            });
      if (sig[0] == '@')
        warnAt(s, "save:" + sig, "'" + sig + "' not saved: there is no device '" + dev + "'");
      else if (instance)
        warnAt(s, "save:" + sig, "'" + sig + "' not saved: '" + dev + "' is a sub-circuit instance, which has no current "
               "of its own; name a device inside it (i(" + dev + ".v1)) or put a 0 V source in series with its pin");
      else
        out.push_back(std::move(s));  // the analysis reports the unknown name
      continue;
    }
    const ir::Device& target = c_.devices[it->second];
    const bool behaviouralVoltage = target.behaviour && target.behaviour->output == ir::Behaviour::Output::Voltage;
    // device quantities the engine computes: @r1[i], @l1[i], @q1[ic], ...; i(r1) is @r1[i]
    const Quantities q = quantitiesOf(target, c_);
    if (q.has(param)) {
      out.push_back(std::move(s));
      continue;
    }
    // i(d1): the diode's current (ngspice's .probe vector of a two-terminal device)
    if (param == "i" && sig[0] == 'i' && target.letter == 'd' && q.has("id")) {
      out.push_back(std::move(s));
      continue;
    }
    if (isCurrentParam(param) && (hasBranchCurrent(target.letter) || behaviouralVoltage)) {
      s.signal = "i(" + dev + ")";
      out.push_back(std::move(s));
      continue;
    }
    warnAt(s, "save:" + sig,
           "'" + sig + "' not saved: simcore records node voltages, branch currents (V, L, E, H) and the device quantities " +
               "@v[dc] @i[dc] @r[i|p|r|resistance] @c[i|p|c|cap|capacitance] @l[p|inductance] @d[id|gd|cd|qd] @q[ic|ib|ie|is] (Gummel-Poon: gm go gpi gmu cpi cmu cbx csub qbe qbc too; VBIC: gm go gpi gmu cbe cbc; HICUM: it iavl rbi betadc tf ick gmi rpii rmui tk dtsh p) @m[id|is|ig|ib|gm|gds|gmbs|von|vdsat] (BSIM3: vth for von, vbs vgs vds ibd ibs gbd gbs qb qg qd cgg ... cbs capbd capbs too; BSIM4: vth, cgg ... csb, ibd ibs isub igidl igisl igs igd igb igcs igcd vbs vgs vds qg qb qd qs qinv capbd capbs too; BSIM3SOI: gm gds gmbs vth vdsat ids vbs vgs vds ves) @j[id|is|ig|igd|vgs|vgd|gm|gds|ggs|ggd|cqgs|cqgd|p] @z[cd|cg|is] (HFET: @z[cd|cg|cs]), a plugin or OSDI device's output variables " +
               "(i(r), i(c))");
  }
  c_.saves = std::move(out);
}

}  // namespace simcore::netlist
