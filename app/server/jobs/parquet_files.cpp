#include "jobs/parquet_files.hpp"

#include <nlohmann/json.hpp>

#include "cli/module.hpp"
#include "jobs/result_rebuild.hpp"

namespace simcore::server {

namespace pb = ::simcore::v1;

namespace {

using OpenParquet = io::ResultSink* (*)(const std::string&, const std::string&, const io::RunInfo&, std::string_view);

OpenParquet opener(std::string* why) {
  std::string err;
  auto f = reinterpret_cast<OpenParquet>(cli::moduleSymbol("libsimcore_parquet.so", "simcore_parquet_open_sink", err));
  if (!f && why) *why = "this server cannot write Parquet: the module " + err;
  return f;
}

}  // namespace

std::unique_ptr<io::ResultSink> openParquetSink(const std::string& dir, const std::string& stem, const io::RunInfo& info,
                                                std::string_view netlist, std::string* why) {
  OpenParquet f = opener(why);
  if (!f) return nullptr;
  return std::unique_ptr<io::ResultSink>(f(dir, stem, info, netlist));
}

bool parquetAvailable(std::string* why) { return opener(why) != nullptr; }

io::RunInfo jobRunInfo(const std::string& title, const pb::SimulationOptions& options,
                       const google::protobuf::Map<std::string, double>& params, const std::string& jobId) {
  io::RunInfo info;
  info.title = title;
  nlohmann::json p = nlohmann::json::object();
  for (const auto& [k, v] : params) p[k] = v;
  info.parametersJson = p.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  info.optionsJson = hdf5OptionsJson(options, params);
  info.jobId = jobId;
  return info;
}

}  // namespace simcore::server
