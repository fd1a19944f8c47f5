// .step cards (LTspice's form) and several .temp values: the circuit variants
// every analysis is repeated on.
//
//   .step [lin|dec|oct] param NAME START STOP INCR   (dec/oct: INCR points per decade/octave)
//   .step param NAME list V1 V2 ...
//   .step V1 START STOP INCR          an independent source's dc value
//   .step R1 list 1k 2k               an R, C or L value (a simcore extension)
//   .step NPN Q2N2222(BF) 50 100 25   a model parameter (TYPE MODEL(PARAM))
//   .step temp -40 85 25              the circuit temperature
//
// Several .step cards nest, the first one the inner (fastest) loop; a .temp
// card with several values is an outer loop around them. Each point is a
// Variant: a parameter point re-elaborates the netlist with the parameter
// set (ParseOptions::paramOverrides' mechanism), the other targets change the
// elaborated values. Every analysis runs once per point, point after point.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "netlist/frontend.hpp"

namespace simcore::netlist {
namespace {

std::string fmtValue(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

constexpr const char* kStepUsage =
    ".step [lin|dec|oct] param NAME START STOP INCR, .step param NAME list V1 V2 ..., .step V1|I1|R1 ..., "
    ".step TYPE MODEL(PARAM) ... or .step temp ...";

bool isScale(const Token& t) {
  return t.kind == TokKind::Word && (ieq(t.text, "lin") || ieq(t.text, "dec") || ieq(t.text, "oct"));
}

}  // namespace

StepSpec Frontend::stepCard(const Card& c, Frame& top) {
  StepSpec s;
  s.at = &c[0];
  const std::size_t n = c.size();
  std::size_t i = 1;
  std::string scale = "lin";
  auto word = [&](std::size_t k) -> const Token& {
    if (k >= n || c[k].kind != TokKind::Word) failAt(k < n ? c[k] : c[0], ErrorCode::Parse, std::string("expected ") + kStepUsage);
    return c[k];
  };
  if (i < n && isScale(c[i])) scale = lower(c[i++].text);
  const Token& item = word(i);
  if (ieq(item.text, "param")) {
    const Token& name = word(i + 1);
    s.target = StepSpec::Target::Param;
    s.name = lower(name.text);
    i += 2;
  } else if (ieq(item.text, "temp")) {
    s.target = StepSpec::Target::Temp;
    i += 1;
  } else if (i + 4 < n && c[i + 1].kind == TokKind::Word && c[i + 2].kind == TokKind::LParen &&
             c[i + 3].kind == TokKind::Word && c[i + 4].kind == TokKind::RParen) {
    s.target = StepSpec::Target::ModelParam;
    s.name = lower(c[i + 1].text);
    s.param = lower(c[i + 3].text);
    i += 5;
  } else {
    const char letter = lowerChar(item.text[0]);
    if (letter == 'v' || letter == 'i') s.target = StepSpec::Target::Source;
    else if (letter == 'r' || letter == 'c' || letter == 'l') s.target = StepSpec::Target::Value;
    else
      failAt(item, ErrorCode::Semantic,
             "cannot .step " + quoteTok(item.text) + ": expected param NAME, temp, a V or I source, an R, C or L, or TYPE MODEL(PARAM)");
    s.name = lower(item.text);
    i += 1;
  }
  if (i < n && isScale(c[i])) scale = lower(c[i++].text);
  if (i < n && c[i].kind == TokKind::Word && ieq(c[i].text, "list")) {
    if (scale != "lin") failAt(c[i], ErrorCode::Parse, "'list' cannot follow '" + scale + "' in .step");
    if (i + 1 >= n) failAt(c[i], ErrorCode::Parse, "expected values after 'list' in .step");
    for (std::size_t k = i + 1; k < n; ++k) {
      if (s.values.size() >= kMaxVariants)
        failAt(c[k], ErrorCode::Limit, ".step has more than " + std::to_string(kMaxVariants) + " values");
      s.values.push_back(evalValue(c[k], top));
    }
  } else {
    if (i + 3 != n) failAt(i < n ? c[i] : c[0], ErrorCode::Parse, std::string("expected START STOP INCR or list V1 V2 ... (") + kStepUsage + ")");
    const double start = evalValue(c[i], top), stop = evalValue(c[i + 1], top), incr = evalValue(c[i + 2], top);
    auto tooMany = [&](double count) {
      if (!(count <= double(kMaxVariants)))
        failAt(c[0], ErrorCode::Limit, ".step has more than " + std::to_string(kMaxVariants) + " points");
    };
    if (scale == "lin") {
      if (incr == 0.0) failAt(c[i + 2], ErrorCode::Semantic, "INCR of .step is zero");
      if ((stop - start) * incr < 0.0)
        failAt(c[i + 2], ErrorCode::Semantic,
               "INCR " + fmtValue(incr) + " of .step goes away from STOP (start " + fmtValue(start) + ", stop " + fmtValue(stop) + ")");
      const double count = std::floor((stop - start) / incr + 1e-9) + 1;
      tooMany(count);
      for (long k = 0; k < long(count); ++k) s.values.push_back(start + double(k) * incr);
    } else {
      if (!(start > 0.0) || !(stop > 0.0))
        failAt(c[i], ErrorCode::Semantic, "START and STOP of .step " + scale + " must be > 0");
      if (!(incr >= 1.0) || incr != std::floor(incr))
        failAt(c[i + 2], ErrorCode::Semantic, "points per " + std::string(scale == "dec" ? "decade" : "octave") +
                                                  " of .step must be a whole number >= 1, got " + fmtValue(incr));
      const double base = scale == "dec" ? 10.0 : 2.0;
      const double span = std::log(stop / start) / std::log(base);
      const double count = std::floor(std::fabs(span) * incr + 1e-9) + 1;
      tooMany(count);
      const double dir = stop >= start ? 1.0 : -1.0;
      for (long k = 0; k < long(count); ++k) s.values.push_back(start * std::pow(base, dir * double(k) / incr));
    }
  }
  return s;
}

void Frontend::readSteps(Frame& top) {
  std::vector<Card> keep;
  std::vector<Guard> keepGuards;
  for (std::size_t k = 0; k < controls_.size(); ++k) {
    const Card& c = controls_[k];
    if (!ieq(c[0].text, ".step")) {
      keep.push_back(c);
      keepGuards.push_back(k < controlGuards_.size() ? controlGuards_[k] : Guard{});
      continue;
    }
    const Guard g = k < controlGuards_.size() ? controlGuards_[k] : Guard{};
    if (g.chain >= 0)
      failAt(c[0], ErrorCode::Semantic, "'.step' inside an .if block is not supported");
    if (nested_) continue;
    StepSpec s = stepCard(c, top);
    for (const StepSpec& o : steps_)
      if (o.target == s.target && o.name == s.name && o.param == s.param)
        failAt(c[0], ErrorCode::Semantic, "'" + (s.name.empty() ? std::string("temp") : s.name) +
                                              "' is stepped twice (first at line " + std::to_string(o.at->line) + ")");
    // a parameter only .step defines (LTspice allows it): the base circuit
    // has the first value
    if (s.target == StepSpec::Target::Param && !top_.paramNames.count(s.name)) {
      Frame::Slot& slot = top.params[s.name];
      if (slot.state != Frame::State::Done) {
        slot.value = s.values.front();
        slot.state = Frame::State::Done;
      }
    }
    steps_.push_back(std::move(s));
  }
  controls_ = std::move(keep);
  controlGuards_ = std::move(keepGuards);
  // LTspice sorts the first .step's values into increasing order
  if (!steps_.empty()) std::sort(steps_.front().values.begin(), steps_.front().values.end());
}

void Frontend::expandVariants(std::string_view text) {
  std::vector<StepSpec> dims = steps_;
  if (temps_.size() > 1) {
    StepSpec t;
    t.target = StepSpec::Target::Temp;
    t.values = temps_;
    t.at = tempsAt_;
    for (const StepSpec& o : dims)
      if (o.target == StepSpec::Target::Temp)
        failAt(*tempsAt_, ErrorCode::Semantic, "several .temp values and a '.step temp' (line " + std::to_string(o.at->line) + ") together");
    dims.push_back(std::move(t));
  }
  if (dims.empty()) return;
  const Token& at = *dims.front().at;
  // the targets exist
  bool reparse = false;
  for (const StepSpec& d : dims) {
    switch (d.target) {
      case StepSpec::Target::Param: reparse = true; break;
      case StepSpec::Target::Temp: break;
      case StepSpec::Target::Source:
      case StepSpec::Target::Value: {
        auto it = deviceIndex_.find(d.name);
        if (it == deviceIndex_.end()) failAt(*d.at, ErrorCode::Semantic, "unknown device '" + d.name + "' in .step");
        const ir::Device& dev = c_.devices[it->second];
        if (dev.behaviour)
          failAt(*d.at, ErrorCode::Semantic, "'" + d.name + "' in .step is behavioural: step a parameter of its expression instead");
        break;
      }
      case StepSpec::Target::ModelParam:
        if (std::none_of(c_.models.begin(), c_.models.end(), [&](const ir::Model& m) { return m.name == d.name; }))
          failAt(*d.at, ErrorCode::Semantic, "unknown model '" + d.name + "' in .step");
        break;
    }
  }
  // LTspice draws its random functions (mc, flat, gauss, and ngspice's agauss ...) anew at each
  // .step point (its Monte-Carlo runs: .step param run 1 100 1): every point is read again, the
  // generator going on from where the point before left it (the first point is the netlist's own
  // draws); several .temp values alone keep the values (ngspice reads the netlist once)
  const bool redraw = randomDraws_ > 0 && !steps_.empty();
  if (redraw) reparse = true;
  dev::NgRandom next = rngSeeded_;  // the generator as the netlist's reading started it
  double total = 1;
  for (const StepSpec& d : dims) total *= double(d.values.size());
  if (total > double(kMaxVariants))
    failAt(at, ErrorCode::Limit, "the .step points and .temp values make " + fmtValue(total) + " circuit variants, more than the limit of " +
                                     std::to_string(kMaxVariants));
  if (total * double(std::max<std::size_t>(c_.devices.size(), 1)) > double(kMaxVariantDevices))
    failAt(at, ErrorCode::Limit, "the .step points and .temp values make " + fmtValue(total) + " circuit variants of " +
                                     std::to_string(c_.devices.size()) + " devices, more than the limit of " +
                                     std::to_string(kMaxVariantDevices) + " devices in all");
  const std::vector<ir::Analysis> analyses = std::move(c_.analyses);
  c_.analyses.clear();
  c_.variants.reserve(std::size_t(total));
  for (std::size_t k = 0; k < std::size_t(total); ++k) {
    std::vector<std::size_t> idx(dims.size());
    std::size_t r = k;
    for (std::size_t d = 0; d < dims.size(); ++d) {
      idx[d] = r % dims[d].values.size();
      r /= dims[d].values.size();
    }
    ir::Variant v;
    for (std::size_t d = 0; d < dims.size(); ++d) {
      const StepSpec& s = dims[d];
      const std::string name = s.target == StepSpec::Target::Temp         ? std::string("temp")
                               : s.target == StepSpec::Target::ModelParam ? s.name + "(" + s.param + ")"
                                                                          : s.name;
      v.label += (v.label.empty() ? "" : " ") + name + "=" + fmtValue(s.values[idx[d]]);
    }
    v.loc = locOf(at);
    if (reparse) {
      Frontend fe(opts_);
      fe.nested_ = true;
      if (redraw) fe.rngStart_ = next;
      for (std::size_t d = 0; d < dims.size(); ++d)
        if (dims[d].target == StepSpec::Target::Param) fe.stepParams_.emplace_back(dims[d].name, dims[d].values[idx[d]]);
      ir::Circuit vc;
      try {
        vc = fe.run(text);
      } catch (NetlistError& e) {
        e.err.message = "at the .step point " + v.label + ": " + e.err.message;
        throw;
      }
      if (redraw) next = fe.rng_;
      bool same = vc.devices.size() == c_.devices.size();
      for (std::size_t i = 0; same && i < vc.devices.size(); ++i) same = vc.devices[i].name == c_.devices[i].name;
      if (!same)
        failAt(at, ErrorCode::Semantic,
               "the .step point " + v.label + " changes which devices the circuit has (an .if on a stepped parameter?): "
               "a step may change values only");
      v.devices = std::move(vc.devices);
      v.models = std::move(vc.models);
      v.options = vc.options;
      v.ic = std::move(vc.ic);
      v.nodeset = std::move(vc.nodeset);
    } else {
      v.devices = c_.devices;
      v.models = c_.models;
      v.options = c_.options;
      v.ic = c_.ic;
      v.nodeset = c_.nodeset;
    }
    for (std::size_t d = 0; d < dims.size(); ++d) {
      const StepSpec& s = dims[d];
      const double value = s.values[idx[d]];
      switch (s.target) {
        case StepSpec::Target::Param: break;
        case StepSpec::Target::Temp: v.options.temp = value; break;
        case StepSpec::Target::Source: {
          ir::Device& dev = v.devices[deviceIndex_.at(s.name)];
          dev.source.dc = value;
          dev.source.hasDc = true;
          break;
        }
        case StepSpec::Target::Value:
          v.devices[deviceIndex_.at(s.name)].value = value;
          v.devices[deviceIndex_.at(s.name)].valueTemper.reset();
          break;
        case StepSpec::Target::ModelParam: {
          for (ir::Model& m : v.models) {
            if (m.name != s.name) continue;
            auto p = std::find_if(m.params.begin(), m.params.end(), [&](const ir::Param& q) { return q.name == s.param; });
            if (p != m.params.end()) p->value = value, p->temper.reset();
            else m.params.push_back(ir::Param{s.param, value, locOf(*s.at), {}});
          }
          break;
        }
      }
    }
    c_.variants.push_back(std::move(v));
    for (const ir::Analysis& a : analyses) {
      ir::Analysis copy = a;
      copy.variant = int(k);
      c_.analyses.push_back(std::move(copy));
    }
  }
}

}  // namespace simcore::netlist
