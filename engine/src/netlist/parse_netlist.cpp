// Entry point: ir::parseNetlist. Exceptions used inside the front end stop here.
#include <algorithm>
#include <new>
#include <set>
#include <string>
#include <vector>

#include "netlist/frontend.hpp"
#include "simcore/params.hpp"

namespace simcore::netlist {

ir::Circuit Frontend::run(std::string_view text) {
  bool blank = true;
  for (char ch : text)
    if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n' && ch != '\f' && ch != '\v') {
      blank = false;
      break;
    }
  if (blank) fail(ErrorCode::Parse, "empty netlist: expected a title line and cards", SourceLoc{opts_.fileName, 1, 0});

  c_.fileName = opts_.fileName;
  text_ = text;
  // A non-null view marks the caller's buffer (not copied).
  std::string_view view = text.data() ? text : std::string_view("", 0);
  SourceUnit& unit = addUnit(opts_.fileName, {}, view, true, false);
  c_.title = unit.lex->title;
  includeStack_.push_back(opts_.fileName);
  std::vector<Card> cards;
  cards.reserve(unit.flow.size());
  expand(unit, unit.flow, cards, 0);
  loadSourcedFiles(unit, cards, 0);
  loadPlugins(cards);
  buildStructure(cards);
  predefineFunctions();
  translatePspiceDigital();
  subcktMultipliers();

  Frame top;
  top.def = &top_;
  for (const auto& [name, value] : opts_.paramOverrides) {
    // An override of a name the netlist does not declare would change nothing: a typo.
    if (!top_.paramNames.count(lower(name))) {
      std::vector<std::string> known(top_.paramNames.begin(), top_.paramNames.end());
      std::sort(known.begin(), known.end());
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      fail(ErrorCode::Semantic,
           "no top-level .param named '" + lower(name) + "' to override" +
               (known.empty() ? std::string(" (the netlist has no .param)") : " (its .params: " + list + ")"),
           SourceLoc{opts_.fileName, 0, 0});
    }
    Frame::Slot& s = top.params[lower(name)];
    s.value = value;
    s.state = Frame::State::Done;
  }
  for (const auto& [name, value] : stepParams_) {
    Frame::Slot& s = top.params[name];
    s.value = value;
    s.state = Frame::State::Done;
  }
  readSteps(top);
  seedRandom();
  readScale();
  deviceIndex_.reserve(cards.size());
  c_.devices.reserve(top_.elements.size());
  findPowerProbes();
  elaborate(top);
  warnUsedModels();
  for (std::size_t i = 0; i < controls_.size(); ++i)
    if (guardHolds(top, i < controlGuards_.size() ? controlGuards_[i] : Guard{})) control(top, controls_[i]);
  autoBridges();
  checkAutostop();
  handRandomState();
  if (!nested_) expandVariants(text);
  if (!reelaboration_) controlScript(top);
  xspiceTrtol();
  checkRefs();
  checkExprRefs();
  resolveSaves();
  checkPssNode();
  checkPorts();
  checkThermal();
  if (c_.devices.empty() && !c_.analyses.empty()) {
    // ngspice runs the analyses of an empty circuit (ground alone: rows with
    // only the sweep variable; its regression test empty-1.cir); so does
    // simcore, saying why there is nothing to see
    c_.warnings.push_back(ir::Diagnostic{
        "the netlist has no devices (the first line is its title, never a device; is a line missing above the "
        "first one?): its analyses run on the ground node alone and give only their sweep variable",
        SourceLoc{opts_.fileName, 1, 0}});
  }
  if (c_.analyses.empty() && c_.script.empty() &&
      (!c_.devices.empty() || !c_.models.empty() || !top_.children.empty() || !top_.models.empty())) {
    // a library of sub-circuits and models, or a circuit without an analysis: ngspice reads it and
    // runs nothing; so does simcore, after its usual checks, and says so
    c_.checkOnly = true;
    c_.warnings.push_back(ir::Diagnostic{
        "the netlist has no analysis card (.op, .dc, .ac, .tran, ...) and no .control script: it was read and "
        "checked, and nothing was simulated",
        SourceLoc{opts_.fileName, 1, 0}});
  }
  return std::move(c_);
}

// The ONAME of an oscillator .pss: ngspice 39 reads it (creating a node of
// that name when there is none) and never uses it, so decks name anything
// there; one that is not a node of the circuit (or is ground) is replaced by
// the node that swings most (chosen by the analysis), with a warning.
void Frontend::checkPssNode() {
  std::set<std::string, std::less<>> nodes;
  bool collected = false;
  for (ir::Analysis& a : c_.analyses) {
    if (a.kind != ir::AnalysisKind::Pss || !a.oscillator || a.oscNode.empty()) continue;
    if (!collected) {
      for (const ir::Device& d : c_.devices)
        for (const std::string& n : d.nodes)  // (an A device's ~name: an inverted port on node name)
          nodes.insert(d.letter == 'a' && n.size() > 1 && n[0] == '~' ? n.substr(1) : n);
      nodes.erase("0");
      collected = true;
    }
    if (nodes.count(a.oscNode)) continue;
    c_.warnings.push_back(ir::Diagnostic{
        ".pss: ONAME '" + a.oscNode + "' is " + (a.oscNode == "0" ? std::string("ground") : "not a node of the circuit") +
            " (ngspice 39 does not use ONAME); the period is measured on the node whose voltage swings most",
        a.loc});
    a.oscNode.clear();
  }
}

// RF ports (V sources with portnum): numbered 1..N, each number once (as
// ngspice 39 requires of every circuit that has ports); a .sp needs one.
void Frontend::checkPorts() {
  std::vector<const ir::Device*> ports;
  for (const ir::Device& d : c_.devices)
    if (d.letter == 'v' && d.source.port > 0) ports.push_back(&d);
  std::stable_sort(ports.begin(), ports.end(),
                   [](const ir::Device* a, const ir::Device* b) { return a->source.port < b->source.port; });
  for (std::size_t k = 1; k < ports.size(); ++k)
    if (ports[k]->source.port == ports[k - 1]->source.port) {
      const ir::Device& first = *ports[k - 1];
      fail(ErrorCode::Semantic,
           "duplicate port number " + std::to_string(ports[k]->source.port) + " of '" + ports[k]->name +
               "': '" + first.name + "' (" + first.loc.file + ":" + std::to_string(first.loc.line) + ") has it too",
           ports[k]->source.portLoc);
    }
  for (std::size_t k = 0; k < ports.size(); ++k)
    if (ports[k]->source.port != int(k) + 1)
      fail(ErrorCode::Semantic,
           "ports must be numbered 1.." + std::to_string(ports.size()) + " (" + std::to_string(ports.size()) +
               " V sources with portnum): '" + ports[k]->name + "' has portnum " +
               std::to_string(ports[k]->source.port) + ", and no port has number " + std::to_string(k + 1),
           ports[k]->source.portLoc);
  if (ports.empty())
    for (const ir::Analysis& a : c_.analyses)
      if (a.kind == ir::AnalysisKind::Sp)
        fail(ErrorCode::Semantic, ".sp needs RF ports: V sources with 'portnum N' (N = 1, 2, ...; z0 50 ohm by default)",
             a.loc);
}

// .options autostop as ngspice 39 takes it: without .meas cards it has
// nothing to wait for, and a measure over the whole run (AVG, RMS, MIN, MAX,
// INTEG) is only known at the end, so either turns it off with a warning.
void Frontend::checkAutostop() {
  if (!c_.options.autostop) return;
  const SourceLoc at{opts_.fileName, 1, 0};
  if (c_.measures.empty()) {
    c_.options.autostop = false;
    c_.warnings.push_back(ir::Diagnostic{"option 'autostop' has no effect: the netlist has no .meas card", at});
    return;
  }
  for (const ir::Measure& m : c_.measures) {
    using K = ir::MeasureKind;
    if (m.kind == K::Avg || m.kind == K::Rms || m.kind == K::Min || m.kind == K::Max || m.kind == K::Integ) {
      c_.options.autostop = false;
      c_.warnings.push_back(ir::Diagnostic{
          "option 'autostop' turned off: .meas '" + m.name +
              "' (avg, rms, min, max or integ) needs the whole run, as in ngspice",
          m.loc});
      return;
    }
  }
}

}  // namespace simcore::netlist

namespace simcore::ir {

Result<Circuit> parseNetlist(std::string_view text, const ParseOptions& opts) {
  try {
    netlist::Frontend fe(opts);
    return fe.run(text);
  } catch (netlist::NetlistError& e) {
    return std::move(e.err);
  } catch (const std::bad_alloc&) {
    return makeError(ErrorCode::Limit, "out of memory while parsing the netlist", SourceLoc{opts.fileName, 0, 0});
  }
}

}  // namespace simcore::ir

namespace simcore {

Result<std::vector<ParamValue>> topLevelParams(std::string_view text, const ir::ParseOptions& opts) {
  try {
    netlist::Frontend fe(opts);
    (void)fe.run(text);
    // the top-level frame again, evaluated as elaborate() evaluates it
    netlist::Frame top;
    top.def = &fe.top_;
    for (const auto& [name, value] : opts.paramOverrides) {
      netlist::Frame::Slot& s = top.params[netlist::lower(name)];
      s.value = value;
      s.state = netlist::Frame::State::Done;
    }
    for (const netlist::ParamSrc& p : fe.top_.params) {
      if (!fe.guardHolds(top, p.guard)) continue;
      netlist::Frame::Slot& s = top.params[p.name];
      if (s.state != netlist::Frame::State::Done) s.src = &p;
    }
    std::vector<ParamValue> out;
    fe.temperOk_ = true;  // (a .param that reads temper: its value at the reader's temperature)
    for (const netlist::ParamSrc& p : fe.top_.params) {
      if (!fe.guardHolds(top, p.guard)) continue;
      if (std::any_of(out.begin(), out.end(), [&](const ParamValue& v) { return v.name == p.name; })) continue;
      const SourceLoc at = netlist::locOf(*p.nameTok);
      if (fe.lookupString(top, p.name)) continue;  // a string parameter (numparam's "0110") has no number
      out.push_back(ParamValue{p.name, fe.lookupParam(top, p.name, at), at});
    }
    return out;
  } catch (netlist::NetlistError& e) {
    return std::move(e.err);
  } catch (const std::bad_alloc&) {
    return makeError(ErrorCode::Limit, "out of memory while parsing the netlist", SourceLoc{opts.fileName, 0, 0});
  }
}

}  // namespace simcore
