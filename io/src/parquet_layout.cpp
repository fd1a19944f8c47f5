#include "simcore/io/parquet_layout.hpp"

#include <nlohmann/json.hpp>

namespace simcore::io {

std::vector<ParquetColumn> parquetColumns(const AnalysisHeader& h) {
  std::vector<ParquetColumn> out;
  if (!h.xName.empty()) out.push_back({h.xName, sweepQuantity(h.type, h.xName)});
  for (const auto& s : h.signals) {
    const Quantity q = signalQuantity(s.kind);
    if (h.complex) {
      out.push_back({s.name + ".re", q});
      out.push_back({s.name + ".im", q});
    } else {
      out.push_back({s.name, q});
    }
  }
  return out;
}

KeyValues parquetMetadata(const AnalysisHeader& h, const RunInfo& info, const std::string& startTime,
                          const std::string& endTime, std::size_t rows, bool partial) {
  nlohmann::json signals = nlohmann::json::array();
  for (const auto& s : h.signals) {
    const Quantity q = signalQuantity(s.kind);
    signals.push_back({{"name", s.name}, {"kind", q.kind}, {"unit", q.unit}});
  }
  // Invalid UTF-8 in a name must not throw: replaced, as the JSON writers do.
  const auto dump = [](const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); };
  KeyValues out = {
      {"simcore.analysis", analysisName(h.type)},
      {"simcore.x", h.xName},
      {"simcore.x_unit", h.xName.empty() ? "" : sweepQuantity(h.type, h.xName).unit},
      {"simcore.complex", h.complex ? "true" : "false"},
      {"simcore.signals", dump(signals)},
      {"simcore.title", info.title},
      {"simcore.netlist_sha256", info.netlistSha256},
      {"simcore.parameters", info.parametersJson.empty() ? "{}" : info.parametersJson},
      {"simcore.options", info.optionsJson.empty() ? "{}" : info.optionsJson},
      {"simcore.seed", info.seed},
      {"simcore.job_id", info.jobId},
      {"simcore.version", SIMCORE_VERSION},
      {"simcore.start_time", startTime},
      {"simcore.end_time", endTime},
      {"simcore.rows", std::to_string(rows)},
      {"simcore.partial", partial ? "true" : "false"},
  };
  // a run on a circuit variant (.step point, .temp value): its label
  if (!h.variant.empty()) out.push_back({"simcore.variant", h.variant});
  return out;
}

}  // namespace simcore::io
