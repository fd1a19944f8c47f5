// The thermal network cards of a .thermal ... .endthermal block (top level or
// inside a .subckt; names and nodes flattened like electrical ones, a node
// named like a sub-circuit pin is the X card's node at that pin):
//   Rname a b value                         thermal resistance [K/W]
//   Cname a b value                         thermal capacitance [J/K]
//   Tname a 0 value                         node a held at value [degC]
//   Pname a b value                         constant heat flow [W] into a, out of b
//   Zname a b foster|cauer R1 tau1 R2 tau2 ... a Foster chain or Cauer ladder from a to b
//   Jname device b                          the losses of `device` heat its junction,
//                                           which reaches b through its junction-case chain
// Node 0 (gnd) is the ambient, at .temp.
#include <cmath>
#include <cstdio>
#include <unordered_map>

#include "devices/descriptor.hpp"
#include "netlist/frontend.hpp"

namespace simcore::netlist {
namespace {

std::string fmtNum(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

const char* kUsage =
    "thermal cards: R|C|T|P name a b value, Zname a b foster|cauer R1 tau1 ..., Jname device node";

}  // namespace

void Frontend::thermalCard(Frame& f, const Card& c) {
  const Token& head = c[0];
  if (head.kind != TokKind::Word || head.text[0] == '.')
    failAt(head, ErrorCode::Parse, "unexpected " + quoteTok(head.text) + " in a .thermal block (" + kUsage + ")");
  const char letter = lowerChar(head.text[0]);
  ir::ThermalElement e;
  e.name = f.prefix + lower(head.text);
  e.loc = locOf(head);
  const std::string what = "thermal element '" + e.name + "'";
  auto need = [&](std::size_t n, const char* usage) {
    if (c.size() < n) failAt(head, ErrorCode::Parse, what + ": expected " + usage);
  };
  auto extra = [&](std::size_t n) {
    if (c.size() > n) failAt(c[n], ErrorCode::Parse, "unexpected " + quoteTok(c[n].text) + " after " + what);
  };
  switch (letter) {
    case 'r': case 'c': case 't': case 'p': {
      static const char* usage[] = {"Rname a b K/W", "Cname a b J/K", "Tname a 0 degC", "Pname a b W"};
      const int u = letter == 'r' ? 0 : letter == 'c' ? 1 : letter == 't' ? 2 : 3;
      need(4, usage[u]);
      extra(4);
      e.kind = letter == 'r' ? ir::ThermalElement::Kind::Resistance
               : letter == 'c' ? ir::ThermalElement::Kind::Capacitance
               : letter == 't' ? ir::ThermalElement::Kind::Temperature
                               : ir::ThermalElement::Kind::HeatFlow;
      e.a = node(f, c[1], what);
      e.b = node(f, c[2], what);
      e.value = evalValue(c[3], f);
      if (!std::isfinite(e.value)) failAt(c[3], ErrorCode::Semantic, what + ": the value must be finite");
      if ((letter == 'r' || letter == 'c') && !(e.value > 0))
        failAt(c[3], ErrorCode::Semantic, what + ": the value must be > 0, got " + fmtNum(e.value));
      if (letter == 't' && e.b != "0")
        failAt(c[2], ErrorCode::Semantic, what + ": a fixed temperature is referred to node 0 (Tname a 0 degC)");
      if (e.a == e.b) failAt(c[2], ErrorCode::Semantic, what + ": both nodes are '" + e.a + "'");
      break;
    }
    case 'z': {
      need(6, "Zname a b foster|cauer R1 tau1 [R2 tau2 ...]");
      e.kind = ir::ThermalElement::Kind::Chain;
      e.a = node(f, c[1], what);
      e.b = node(f, c[2], what);
      if (e.a == e.b) failAt(c[2], ErrorCode::Semantic, what + ": both nodes are '" + e.a + "'");
      if (ieq(c[3].text, "foster")) e.chain.kind = ir::ThermalChain::Kind::Foster;
      else if (ieq(c[3].text, "cauer")) e.chain.kind = ir::ThermalChain::Kind::Cauer;
      else failAt(c[3], ErrorCode::Semantic, what + ": expected foster or cauer, found " + quoteTok(c[3].text));
      if ((c.size() - 4) % 2 != 0)
        failAt(c[c.size() - 1], ErrorCode::Parse, what + ": values come in pairs R tau, found an odd count");
      for (std::size_t i = 4; i + 1 < c.size(); i += 2) {
        const double r = evalValue(c[i], f), tau = evalValue(c[i + 1], f);
        if (!(r > 0) || !std::isfinite(r)) failAt(c[i], ErrorCode::Semantic, what + ": R must be > 0, got " + fmtNum(r));
        if (!(tau >= 0) || !std::isfinite(tau))
          failAt(c[i + 1], ErrorCode::Semantic, what + ": tau must be >= 0, got " + fmtNum(tau));
        e.chain.r.push_back(r);
        e.chain.tau.push_back(tau);
      }
      break;
    }
    case 'j': {
      need(3, "Jname device node");
      extra(3);
      e.kind = ir::ThermalElement::Kind::Junction;
      if (c[1].kind != TokKind::Word) failAt(c[1], ErrorCode::Parse, what + ": expected a device name");
      e.device = f.prefix + lower(c[1].text);
      e.a = e.device;  // (the junction node is named after the device)
      e.b = node(f, c[2], what);
      break;
    }
    default:
      failAt(head, ErrorCode::Parse, "unknown thermal element " + quoteTok(head.text) + " (" + kUsage + ")");
  }
  c_.thermal.push_back(std::move(e));
}

void Frontend::checkThermal() {
  std::unordered_map<std::string, const ir::ThermalElement*> names, junctions;
  for (const ir::ThermalElement& e : c_.thermal) {
    auto [it, fresh] = names.try_emplace(e.name, &e);
    if (!fresh)
      fail(ErrorCode::Semantic, "duplicate thermal element '" + e.name + "' (first at line " +
                                    std::to_string(it->second->loc.line) + ")", e.loc);
    if (e.kind != ir::ThermalElement::Kind::Junction) continue;
    auto d = deviceIndex_.find(e.device);
    if (d == deviceIndex_.end())
      fail(ErrorCode::Semantic, "thermal element '" + e.name + "': no device named '" + e.device + "'", e.loc);
    const ir::Device& dev = c_.devices[d->second];
    const dev::DeviceKind* k = kinds_.kindOf(dev, c_.models);
    bool power = false;
    for (const char* t : k ? k->modelTypes : std::span<const char* const>{})
      power = power || std::string_view(t) == "pwldiode" || std::string_view(t) == "pwlmos" ||
              std::string_view(t) == "pwligbt" || std::string_view(t) == "thyristor" || std::string_view(t) == "sw" ||
              std::string_view(t) == "csw";
    if (!power)
      fail(ErrorCode::Semantic,
           "thermal element '" + e.name + "': device '" + e.device + "' (" + (k ? k->name : "?") +
               ") has no losses; a junction needs a power semiconductor (a D card with a PWLDIODE model, an S card "
               "with a PWLMOS, PWLIGBT or THYRISTOR model, or an S/W switch)",
           e.loc);
    auto [jt, jfresh] = junctions.try_emplace(e.device, &e);
    if (!jfresh)
      fail(ErrorCode::Semantic, "device '" + e.device + "' has two junction elements ('" + jt->second->name + "' and '" +
                                    e.name + "')", e.loc);
  }
}

}  // namespace simcore::netlist
