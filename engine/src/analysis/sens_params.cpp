#include "analysis/sens_params.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "devices/context.hpp"
#include "devices/plugin_kinds.hpp"

namespace simcore::an::sens {

namespace {

bool plainNumber(const dev::ParamSpec& s) { return !s.flag && !s.vector && !s.keywords; }

const ir::Param* given(const std::vector<ir::Param>& ps, const dev::ParamSpec& s) {
  for (const auto& p : ps)
    if (s.matches(p.name)) return &p;
  return nullptr;
}

// The value a parameter has in the device (given, else default, else the
// circuit's temperatures); false when it has none.
bool valueOf(const dev::ParamSpec& s, const ir::Param* g, const ir::Options& o, double& v, bool& kelvin) {
  kelvin = false;
  if (g) v = g->value;
  else if (!std::isnan(s.def)) v = s.def;
  else if (std::string_view(s.name) == "temp") v = o.temp;
  else if (std::string_view(s.name) == "tnom") v = o.tnom;
  else return false;
  kelvin = std::string_view(s.name) == "temp" || std::string_view(s.name) == "tnom";
  return std::isfinite(v);
}

double modelLevel(const ir::Model& m) {
  for (const auto& p : m.params)
    if (p.name == "level") return p.value;
  return 1;
}

void setParam(std::vector<ir::Param>& ps, const dev::ParamSpec& s, double v) {
  SourceLoc loc;
  for (const auto& p : ps)
    if (s.matches(p.name)) loc = p.loc;
  std::erase_if(ps, [&](const ir::Param& p) { return s.matches(p.name); });
  ir::Param p;
  p.name = s.name;
  p.value = v;
  p.loc = loc;
  ps.push_back(std::move(p));
}

}  // namespace

std::vector<SensParam> listParams(const ir::Circuit& c, bool ac) {
  std::vector<SensParam> out;
  const dev::KindTable kinds(c.plugins.get());
  for (std::size_t di = 0; di < c.devices.size(); ++di) {
    const ir::Device& d = c.devices[di];
    if (d.behaviour) continue;
    const dev::DeviceKind* k = kinds.kindOf(d, c.models);
    if (!k || !k->create) continue;
    auto add = [&](std::string name, Target t, const dev::ParamSpec* spec, double v, bool kelvin, bool principal,
                   bool defaulted = false) {
      if (!principal && !(std::fabs(v) >= kZero)) return;
      out.push_back(SensParam{std::move(name), di, t, spec, v, kelvin, defaulted});
    };
    if (k->form == dev::CardForm::Source) {
      add(d.name, Target::SourceDc, nullptr, d.source.dc, false, true);
      if (ac && d.source.hasAc) {
        add(d.name + "_acmag", Target::SourceAcMag, nullptr, d.source.acMag, false, false);
        add(d.name + "_acphase", Target::SourceAcPhase, nullptr, d.source.acPhaseDeg, false, false);
      }
      if (d.letter == 'i') add(d.name + "_m", Target::SourceMult, nullptr, 1.0, false, false);
      continue;
    }
    const bool valued = k->form == dev::CardForm::TwoTerminal || k->form == dev::CardForm::Controlled ||
                        k->form == dev::CardForm::Coupling;
    const std::string letter(1, d.letter);
    // E F G H: ngspice's gain is not a principal parameter (e1_gain)
    if (valued && d.value) {
      if (k->form == dev::CardForm::Controlled) add(d.name + "_gain", Target::Value, nullptr, *d.value, false, false);
      else add(d.name, Target::Value, nullptr, *d.value, false, true);
    }
    for (const auto& s : k->params) {
      if (s.scope != dev::ParamScope::Instance || !plainNumber(s)) continue;
      const std::string_view nm = s.name;
      if (!ac && nm == "ac") continue;  // the resistance in .ac analyses only
      if (nm == "ic" || nm == "noisy") continue;  // initial conditions, R's noise switch: not values
      // ngspice 39 lists no m of E F G H (its controlled sources do not answer for it)
      if (nm == "m" && k->form == dev::CardForm::Controlled) continue;
      const ir::Param* g = given(d.params, s);
      if (valued && nm == letter) {  // r=, c=, l=: the principal value when no positional one
        if (!d.value && g) add(d.name, Target::Instance, &s, g->value, false, true);
        continue;
      }
      if (k->positional && s.matches(k->positional) && d.value && !g) {
        add(d.name + "_" + std::string(nm), Target::Positional, &s, *d.value, false, false);
        continue;
      }
      double v = 0;
      bool kelvin = false;
      if (nm == "ac" && d.letter == 'r' && !g) {  // the AC resistance defaults to the resistance
        const ir::Param* r = dev::findParam(d.params, "r");
        if (d.value || r) add(d.name + "_ac", Target::Instance, &s, d.value ? *d.value : r->value, false, false, true);
        continue;
      }
      if (valueOf(s, g, c.options, v, kelvin))
        add(d.name + "_" + std::string(nm), Target::Instance, &s, v, kelvin, false, g == nullptr);
    }
    if (d.model < 0) continue;
    const ir::Model& m = c.models[std::size_t(d.model)];
    const double level = modelLevel(m);
    for (const auto& s : k->params) {
      if (s.scope != dev::ParamScope::Model || !plainNumber(s)) continue;
      if (std::string_view(s.name) == "level") continue;
      if (s.level != 0 && double(s.level) != level) continue;
      double v = 0;
      bool kelvin = false;
      const ir::Param* g = given(m.params, s);
      if (valueOf(s, g, c.options, v, kelvin))
        add(d.name + ":" + std::string(s.name), Target::Model, &s, v, kelvin, false, g == nullptr);
    }
  }
  std::sort(out.begin(), out.end(), [](const SensParam& a, const SensParam& b) { return a.name < b.name; });
  return out;
}

void perturb(ir::Circuit& c, const SensParam& p, double v) {
  ir::Device& d = c.devices[p.device];
  switch (p.target) {
    case Target::Value:
    case Target::Positional: d.value = v; break;
    case Target::Instance: setParam(d.params, *p.spec, v); break;
    case Target::Model: {
      ir::Model m = c.models[std::size_t(d.model)];
      m.name += "#sens";
      setParam(m.params, *p.spec, v);
      c.models.push_back(std::move(m));
      d.model = int(c.models.size()) - 1;
      break;
    }
    case Target::SourceDc:
      d.source.dc = v;
      d.source.hasDc = true;
      break;
    case Target::SourceAcMag: d.source.acMag = v; break;
    case Target::SourceAcPhase: d.source.acPhaseDeg = v; break;
    case Target::SourceMult:  // m scales the source's every value: its DC and its AC excitation
      d.source.dc *= v;
      d.source.hasDc = true;
      d.source.acMag *= v;
      break;
  }
}

}  // namespace simcore::an::sens
