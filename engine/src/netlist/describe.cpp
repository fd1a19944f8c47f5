#include "simcore/describe.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <unordered_set>

#include "devices/plugin_kinds.hpp"

namespace simcore {

namespace {

constexpr double kMaxPoints = 1e9;
constexpr std::int64_t kUnknownPoints = 1000;

std::int64_t clampPoints(double n) {
  if (!std::isfinite(n) || !(n > 0)) return kUnknownPoints;
  return std::int64_t(std::min(kMaxPoints, std::ceil(n - 1e-6)));
}

AnalysisEstimate estimate(const ir::Analysis& a) {
  switch (a.kind) {
    case ir::AnalysisKind::Op: return {AnalysisType::Op, 1};
    case ir::AnalysisKind::Tran: {
      const double h = a.tmax > 0 && !(a.tmax >= a.tstep) ? a.tmax : a.tstep;
      return {AnalysisType::Tran, clampPoints(a.tstop / h + 1.0)};
    }
    case ir::AnalysisKind::Ac: {
      const double n = a.acPoints, f1 = a.fstart, f2 = a.fstop;
      if (a.acScale == ir::AcScale::Lin || !(f1 > 0 && f2 > f1)) return {AnalysisType::Ac, clampPoints(n)};
      const double decades = a.acScale == ir::AcScale::Dec ? std::log10(f2 / f1) : std::log2(f2 / f1);
      return {AnalysisType::Ac, clampPoints(n * decades + 1.0)};
    }
    case ir::AnalysisKind::Pss: return {AnalysisType::Pss, a.oscillator ? clampPoints(a.pssPoints + 1.0) : 400};
    case ir::AnalysisKind::Fra: {
      const double n = a.acPoints, f1 = a.fstart, f2 = a.fstop;
      if (a.acScale == ir::AcScale::Lin || !(f1 > 0 && f2 > f1)) return {AnalysisType::Fra, clampPoints(n)};
      const double decades = a.acScale == ir::AcScale::Dec ? std::log10(f2 / f1) : std::log2(f2 / f1);
      return {AnalysisType::Fra, clampPoints(n * decades + 1.0)};
    }
    case ir::AnalysisKind::Noise: {
      const double n = a.acPoints, f1 = a.fstart, f2 = a.fstop;
      if (a.acScale == ir::AcScale::Lin || !(f1 > 0 && f2 > f1)) return {AnalysisType::Noise, clampPoints(n)};
      const double decades = a.acScale == ir::AcScale::Dec ? std::log10(f2 / f1) : std::log2(f2 / f1);
      return {AnalysisType::Noise, clampPoints(n * decades + 1.0)};
    }
    case ir::AnalysisKind::Tf: return {AnalysisType::Tf, 1};
    case ir::AnalysisKind::Pz: return {AnalysisType::Pz, 1};
    case ir::AnalysisKind::Sens: {
      if (!a.sensAc) return {AnalysisType::Sens, 1};
      const double n = a.acPoints, f1 = a.fstart, f2 = a.fstop;
      // ngspice's count_steps: LIN N points, DEC/OCT floor(N * decades + 1.01)
      if (a.acScale == ir::AcScale::Lin || !(f1 > 0 && f2 > f1)) return {AnalysisType::Sens, clampPoints(n)};
      const double decades = a.acScale == ir::AcScale::Dec ? std::log10(f2 / f1) : std::log(f2 / f1) / std::numbers::log2e;
      return {AnalysisType::Sens, clampPoints(std::floor(n * decades + 1.01))};
    }
    case ir::AnalysisKind::Sp: {
      const double n = a.acPoints, f1 = a.fstart, f2 = a.fstop;
      if (a.acScale == ir::AcScale::Lin || !(f1 > 0 && f2 > f1)) return {AnalysisType::Sp, clampPoints(n)};
      const double decades = a.acScale == ir::AcScale::Dec ? std::log10(f2 / f1) : std::log2(f2 / f1);
      return {AnalysisType::Sp, clampPoints(n * decades + 1.0)};
    }
    case ir::AnalysisKind::Dc: {
      double total = 1;
      for (const auto& s : a.sweeps)
        total *= std::isfinite(s.start + s.stop + s.step) && s.step != 0
                     ? std::floor(std::fabs(s.stop - s.start) / std::fabs(s.step) + 1e-9) + 1
                     : double(kUnknownPoints);
      return {AnalysisType::Dc, clampPoints(total)};
    }
  }
  return {AnalysisType::Op, 1};
}

}  // namespace

CircuitDescription describe(const ir::Circuit& c) {
  CircuitDescription out;
  out.title = c.title;
  std::unordered_set<std::string_view> nodes;
  const dev::KindTable table(c.plugins.get());
  const auto& kinds = table.all();
  std::vector<std::int64_t> counts(kinds.size(), 0);
  for (const ir::Device& d : c.devices) {
    for (const std::string& n : d.nodes)  // (an A device's ~name: an inverted port on node name)
      if (n != "0") nodes.insert(d.letter == 'a' && n.size() > 1 && n[0] == '~' ? std::string_view(n).substr(1) : std::string_view(n));
    // the kind by the model's type: letters such as D, S and A have several kinds
    const dev::DeviceKind* kind = table.kindOf(d, c.models);
    for (std::size_t k = 0; k < kinds.size(); ++k)
      if (kinds[k] == kind) {
        ++counts[k];
        out.branches += kinds[k]->branches;
        break;
      }
  }
  for (std::size_t k = 0; k < kinds.size(); ++k)
    if (counts[k]) out.devices.push_back(DeviceCount{kinds[k]->letter, kinds[k]->name, counts[k]});
  out.nodes = std::int64_t(nodes.size());
  out.unknowns = out.nodes + out.branches;
  for (const ir::Analysis& a : c.analyses) {
    out.analyses.push_back(estimate(a));
    out.points += out.analyses.back().points;
  }
  out.points = std::max<std::int64_t>(out.points, 1);
  return out;
}

Status replaceAnalyses(ir::Circuit& circuit, const std::vector<std::string>& cards) {
  std::string text = "* analyses\n";
  for (const auto& card : cards) text += card + "\n";
  text += ".end\n";
  ir::ParseOptions ao;
  ao.fileName = "<analyses>";
  auto a = ir::parseNetlist(text, ao);
  if (!a) return a.takeError();
  if (!a.value().devices.empty() || a.value().analyses.empty())
    return makeError(ErrorCode::Semantic, "the analyses must be analysis cards only (.op, .dc, .ac, .tran, .pss, .fra)",
                     SourceLoc{"<analyses>", 2, 1});
  circuit.analyses = std::move(a.value().analyses);
  // in the order given (a deck's cards run in ngspice's order, by kind; a client's list is its own)
  std::stable_sort(circuit.analyses.begin(), circuit.analyses.end(),
                   [](const ir::Analysis& x, const ir::Analysis& y) { return x.loc.line < y.loc.line; });
  return {};
}

Status applyOverrides(ir::Circuit& circuit, const RunOverrides& o) {
  if (!o.analyses.empty())
    if (auto s = replaceAnalyses(circuit, o.analyses); !s) return s;
  if (o.maxStep && !(*o.maxStep > 0)) return makeError(ErrorCode::Semantic, "max_step must be positive");
  for (auto& an : circuit.analyses) {
    if (an.kind != ir::AnalysisKind::Tran) continue;
    if (o.tstop) {
      if (!(*o.tstop > an.tstart)) return makeError(ErrorCode::Semantic, "tstop must be greater than tstart");
      an.tstop = *o.tstop;
    }
    if (o.maxStep) an.tmax = *o.maxStep;
  }
  return {};
}

Result<CircuitDescription> describe(std::string_view netlist, const ir::ParseOptions& parse,
                                    const DescribeOptions& options) {
  auto circuit = ir::parseNetlist(netlist, parse);
  if (!circuit) return circuit.takeError();
  ir::Circuit& c = circuit.value();
  if (auto s = applyOverrides(c, options); !s) return s.takeError();
  return describe(c);
}

}  // namespace simcore
