// The `meas` command of .control scripts: the .meas reader
// (netlist/measure_card.cpp) and evaluator (measure/measure.cpp) run on the
// current plot when the command runs. The result is printed as ngspice prints
// it ("name                =  1.234560e-03 at=  2.5e-04", measureLine) and kept as a one-element vector
// of the plot, for later let, print and $&name.
#include <cstdio>
#include <map>

#include "netlist/measure_card.hpp"
#include "script/runner.hpp"
#include "simcore/measure.hpp"

namespace simcore::script {
namespace {

AnalysisType plotTypeOf(ir::AnalysisKind k) {
  switch (k) {
    case ir::AnalysisKind::Ac: return AnalysisType::Ac;
    case ir::AnalysisKind::Dc: return AnalysisType::Dc;
    default: return AnalysisType::Tran;
  }
}

}  // namespace

void ScriptSink::cmdMeas(const ir::ScriptStatement& s, const std::string& args) {
  auto parsed = netlist::parseMeasureCommand(s.command + " " + args, s.loc, [this](std::string_view t) -> std::optional<double> {
    auto v = evaluateOne(t, context());
    if (!v || v->size() != 1) return std::nullopt;
    return v->re[0];
  });
  if (!parsed) {
    out_.errors.push_back(parsed.error().format());
    return;
  }
  const ir::Measure& m = parsed.value();
  const AnalysisType want = plotTypeOf(m.analysis);
  Plot* p = current();
  if (current_ < 0 || p->type != want || !p->scale) {
    fail(s, std::string("'meas ") + analysisName(want) + "' needs a " + analysisName(want) +
                " plot as the current plot (it is " + p->typeName + ")");
    return;
  }
  MeasureResult r;
  if (m.kind == ir::MeasureKind::Param) {
    r = evaluateParamMeasure(m, [this](const std::string& n) -> std::optional<double> {
      const Vec* v = lookup(n);
      if (!v || v->size() != 1) return std::nullopt;
      return v->re[0];
    });
  } else {
    // each signal as a vector expression of the plot (ac: its real part, or
    // vdb/vm/vp/vr/vi of it, as ngspice's meas reads them)
    std::map<std::string, std::vector<double>> cols;
    auto column = [&](const std::string& n) -> const std::vector<double>* {
      auto it = cols.find(n);
      if (it != cols.end()) return &it->second;
      if (!n.empty() && n[0] == '@') {
        const Vec* v = lookup(n);
        if (!v) return nullptr;
        return &(cols[n] = v->re);
      }
      auto v = evaluateOne(n, context());
      if (!v || v->size() != p->scale->size()) return nullptr;
      return &(cols[n] = std::move(v->re));
    };
    r = evaluateMeasure(m, p->scale->re, column);
    r.name = m.name;
  }
  if (!r.ok) {
    fail(s, "measurement '" + m.name + "' failed: " + r.error);
    return;
  }
  r.name = m.name;
  out_.text += measureLine(r, false) + "\n";
  Vec v;
  v.name = m.name;
  v.re = {r.value};
  v.plot = current_;
  ++kept_;
  p->put(std::move(v));
}

}  // namespace simcore::script
