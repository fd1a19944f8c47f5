// alter / altermod of .control scripts (control_script.cpp): the changes they
// make to the circuit variant the analyses after them run on.
#include "netlist/control_alter.hpp"

#include <algorithm>
#include <cstdio>

#include "netlist/frontend.hpp"
#include "netlist/number.hpp"

namespace simcore::netlist {
namespace {

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

struct AlterEdit {
  const Token& at;
  const std::string& cmd;
  ir::Variant& state_;
  std::vector<std::pair<std::string, std::string>>& changes_;
  const std::function<std::optional<double>(const std::string&)>& eval;
  const std::function<std::optional<std::vector<double>>(const std::string&)>& evalList;

  [[noreturn]] void bad(const std::string& msg) { failAt(at, ErrorCode::Semantic, msg); }

  // The label shows numbers as written and an expression's value
  // (c1=1.0342e-09 for `alter c1 = unif(1n, 0.1)`, one per Monte-Carlo run).
  void recordChange(const std::string& key, const std::string& text) {
    std::string value = text;
    double x = 0;
    std::string why;
    if (!text.empty() && text.front() != '[' && !parseNumber(text, x, why) && text == lastText_) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.6g", lastValue_);
      value = buf;
    }
    for (auto& [k, v] : changes_)
      if (k == key) {
        v = value;
        return;
      }
    changes_.emplace_back(key, value);
  }

  // alter DEV VALUE | alter DEV = VALUE | alter DEV PARAM = VALUE | alter @DEV[PARAM] = VALUE
  // altermod MODEL PARAM = VALUE [PARAM = VALUE ...] | altermod @MODEL[PARAM] = VALUE
  void apply(const std::string& t) {
    // tokens: words, '=', and [ ... ] vectors
    std::vector<std::string> w;
    for (std::size_t i = 0; i < t.size();) {
      if (isBlank(t[i])) {
        ++i;
        continue;
      }
      if (t[i] == '=') {
        w.push_back("=");
        ++i;
        continue;
      }
      std::size_t b = i;
      if (t[i] == '[' || (t[i] == '@' && t.find('[', i) != std::string::npos)) {
        std::size_t close = t.find(']', i);
        if (close == std::string::npos) bad("expected ']' in '" + t + "'");
        i = close + 1;
      } else {
        while (i < t.size() && !isBlank(t[i]) && t[i] != '=') ++i;
      }
      w.push_back(t.substr(b, i - b));
    }
    // one '=' with several words after it: they are one expression (alter v3 dc = $v + offset)
    if (std::count(w.begin(), w.end(), "=") == 1) {
      auto eq = std::find(w.begin(), w.end(), "=");
      if (w.end() - eq > 2) {
        std::string joined;
        for (auto it = eq + 1; it != w.end(); ++it) joined += (joined.empty() ? "" : " ") + *it;
        w.erase(eq + 1, w.end());
        w.push_back(joined);
      }
    }
    std::vector<std::pair<std::string, std::string>> assigns;  // (param or "", value)
    std::string target;
    if (!w.empty() && w[0].size() > 1 && w[0][0] == '@') {
      auto lb = w[0].find('[');
      if (lb == std::string::npos || w[0].back() != ']') bad("expected @NAME[PARAM] in '" + t + "'");
      target = lower(w[0].substr(1, lb - 1));
      std::string param = lower(w[0].substr(lb + 1, w[0].size() - lb - 2));
      std::size_t k = 1;
      if (k < w.size() && w[k] == "=") ++k;
      if (k + 1 != w.size()) bad("expected " + cmd + " @NAME[PARAM] = VALUE");
      assigns.emplace_back(param, w[k]);
    } else {
      if (w.empty()) bad("expected " + cmd + " NAME [PARAM] = VALUE");
      target = lower(w[0]);
      std::size_t k = 1;
      if (cmd == "alter" && (w.size() == 2 || (w.size() == 3 && w[1] == "="))) {
        assigns.emplace_back("", w.back());
      } else {
        while (k < w.size()) {
          if (k + 2 < w.size() + 0 && w[k + 1] == "=") {
            assigns.emplace_back(lower(w[k]), w[k + 2]);
            k += 3;
          } else if (k + 1 < w.size() && w[k] != "=") {
            assigns.emplace_back(lower(w[k]), w[k + 1]);
            k += 2;
          } else {
            bad("expected " + cmd + " NAME PARAM = VALUE, found '" + t + "'");
          }
        }
      }
    }
    if (assigns.empty()) bad("expected " + cmd + " NAME [PARAM] = VALUE");
    if (cmd == "alter") {
      auto it = std::find_if(state_.devices.begin(), state_.devices.end(),
                             [&](const ir::Device& d) { return d.name == target; });
      // ngspice's name of a device in a subcircuit: its letter, then the
      // instance path (r.x1.r1 for simcore's x1.r1)
      if (it == state_.devices.end() && target.size() > 2 && target[1] == '.') {
        const std::string flat = target.substr(2);
        it = std::find_if(state_.devices.begin(), state_.devices.end(),
                          [&](const ir::Device& d) { return d.name == flat && d.letter == target[0]; });
      }
      if (it == state_.devices.end()) bad("alter: no device '" + target + "'");
      for (auto& [param, text] : assigns) alterDevice(*it, param, text);
    } else {
      // ngspice's name of a model inside a subcircuit: x1:nmod (simcore's x1.nmod)
      std::string flat = target;
      std::replace(flat.begin(), flat.end(), ':', '.');
      auto it = std::find_if(state_.models.begin(), state_.models.end(),
                             [&](const ir::Model& m) { return m.name == flat; });
      if (it == state_.models.end()) {
        // a device's name: its model (ngspice 39's if_setparam with do_model)
        auto dev = std::find_if(state_.devices.begin(), state_.devices.end(),
                                [&](const ir::Device& d) { return d.name == target; });
        if (dev != state_.devices.end() && dev->model >= 0 &&
            static_cast<std::size_t>(dev->model) < state_.models.size()) {
          it = state_.models.begin() + dev->model;
          flat = it->name;
        }
      }
      if (it == state_.models.end()) bad("altermod: no model or device with a model '" + target + "'");
      for (const auto& assign : assigns) {
        const std::string& param = assign.first;  // named: clang 14 cannot capture a structured binding
        const auto& text = assign.second;
        double v = number(text);
        auto p = std::find_if(it->params.begin(), it->params.end(), [&](const ir::Param& q) { return q.name == param; });
        if (p == it->params.end()) it->params.push_back(ir::Param{param, v, locOf(at), {}});
        else p->value = v, p->values.clear(), p->temper.reset();
        recordChange(flat + "." + param, text);
      }
    }
  }

  double number(const std::string& text) {
    std::optional<double> v = eval(text);
    if (!v) bad("'" + text + "' is not a number");
    lastText_ = text;  // for the label: an expression is evaluated once (sunif draws)
    lastValue_ = *v;
    return *v;
  }
  std::string lastText_;
  double lastValue_ = 0;

  std::vector<double> numbers(const std::string& text) {
    // one word, a vector's name or an expression (alter @v1[pulse] = pv): all its values, as ngspice
    if (!text.empty() && text.front() != '[' && text.find_first_of(" \t,") == std::string::npos) {
      std::optional<std::vector<double>> v = evalList(text);
      if (!v || v->empty()) bad("'" + text + "' is not a list of numbers");
      return *v;
    }
    std::string inner = text;
    if (!inner.empty() && inner.front() == '[') inner = inner.substr(1, inner.size() - 2);
    std::vector<double> out;
    std::size_t i = 0;
    while (i < inner.size()) {
      while (i < inner.size() && (isBlank(inner[i]) || inner[i] == ',')) ++i;
      std::size_t b = i;
      while (i < inner.size() && !isBlank(inner[i]) && inner[i] != ',') ++i;
      if (i > b) out.push_back(number(inner.substr(b, i - b)));
    }
    return out;
  }

  void alterDevice(ir::Device& d, const std::string& param, const std::string& text) {
    const char l = d.letter;
    const bool primary = param.empty() || (l == 'r' && (param == "resistance" || param == "r")) ||
                         (l == 'c' && (param == "capacitance" || param == "c")) ||
                         (l == 'l' && (param == "inductance" || param == "l"));
    if ((l == 'v' || l == 'i') && (param.empty() || param == "dc")) {
      d.source.dc = number(text);
      d.source.hasDc = true;
      recordChange(d.name, text);
      return;
    }
    if ((l == 'v' || l == 'i') && param == "acphase") {
      if (!d.source.hasAc) d.source.acMag = 1.0;
      d.source.acPhaseDeg = number(text);
      d.source.hasAc = true;
      recordChange(d.name + "." + param, text);
      return;
    }
    if ((l == 'v' || l == 'i') && (param == "acmag" || param == "ac")) {
      d.source.acMag = number(text);
      d.source.hasAc = true;
      recordChange(d.name + "." + param, text);
      return;
    }
    if ((l == 'v' || l == 'i') && netlist::sourceWaveKind(param) != ir::WaveKind::None) {
      d.source.wave.kind = netlist::sourceWaveKind(param);
      d.source.wave.args = numbers(text);
      recordChange(d.name + "." + param, text);
      return;
    }
    if (primary) {
      if (!d.value && l != 'r' && l != 'c' && l != 'l')
        bad("alter: '" + d.name + "' has no value to change: name the parameter (alter " + d.name + " PARAM = VALUE)");
      d.value = number(text);
      d.valueTemper.reset();  // (a number replaces a value that read temper)
      // a resistance of 0 is 1 mOhm, as ngspice 39 sets it (a `foreach` over values from 0:
      // the run goes on), said in the variant's label
      if (l == 'r' && *d.value == 0.0) {
        d.value = 1e-3;
        recordChange(d.name, text + " (1 mOhm)");
        return;
      }
      recordChange(d.name, text);
      return;
    }
    double v = number(text);
    auto p = std::find_if(d.params.begin(), d.params.end(), [&](const ir::Param& q) { return q.name == param; });
    if (p == d.params.end()) d.params.push_back(ir::Param{param, v, locOf(at), {}});
    else p->value = v, p->values.clear(), p->temper.reset();
    recordChange(d.name + "." + param, text);
  }
};

}  // namespace

void applyAlter(const Token& at, const std::string& cmd, const std::string& args, ir::Variant& state,
                std::vector<std::pair<std::string, std::string>>& changes,
                const std::function<std::optional<double>(const std::string&)>& eval,
                const std::function<std::optional<std::vector<double>>(const std::string&)>& evalList) {
  AlterEdit{at, cmd, state, changes, eval, evalList, {}}.apply(args);
}

}  // namespace simcore::netlist

