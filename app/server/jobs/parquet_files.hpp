// The Parquet files of a job (parquet_sink.hpp), written by the module
// libsimcore_parquet.so beside the executable (cli/module.hpp) so that only a
// process that writes Parquet loads Arrow. Built without Parquet, or with the
// module missing, jobs have no Parquet files and GetResult says UNIMPLEMENTED.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "simcore/io/parquet_layout.hpp"
#include "simcore/io/result_sink.hpp"
#include "simcore/v1/simulator.pb.h"

namespace simcore::server {

// A sink writing DIR/<stem>.<analysis>.parquet; nullptr (and the reason in
// `why`) when this server cannot write Parquet.
std::unique_ptr<io::ResultSink> openParquetSink(const std::string& dir, const std::string& stem, const io::RunInfo& info,
                                                std::string_view netlist, std::string* why = nullptr);

// Whether openParquetSink can succeed (the module loads).
bool parquetAvailable(std::string* why = nullptr);

// The run metadata of a job's files: title, parameters and options as JSON, job id.
io::RunInfo jobRunInfo(const std::string& title, const ::simcore::v1::SimulationOptions& options,
                       const google::protobuf::Map<std::string, double>& params, const std::string& jobId);

}  // namespace simcore::server
