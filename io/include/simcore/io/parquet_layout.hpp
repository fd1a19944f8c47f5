// The layout of a Parquet result file, one analysis per file
// (DIR/<stem>.<analysis>[n].parquet), as data: the column names and the
// file's key-value metadata. Pure (no Arrow): the C++ writer (parquet_sink.hpp,
// `simcore run --format parquet`, the server) and the Python package
// (Result.to_parquet through pyarrow) both take their layout from here.
//
// Columns, all DOUBLE (float64), REQUIRED, in this order:
//   <x>                the sweep variable ("time", "frequency", "vin"); absent for op
//   <signal>           one per signal ("v(out)", "i(vin)")
//   <signal>.re, .im   AC: real and imaginary parts, two columns per signal
// Key-value metadata (strings; JSON where said):
//   simcore.analysis     "op"|"dc"|"ac"|"tran"|...
//   simcore.x            sweep variable name, "" for op
//   simcore.complex      "true"|"false"
//   simcore.signals      JSON [{"name","kind","unit"}] of the signals (x excluded), in order
//   simcore.x_unit       unit of the sweep variable ("s", "Hz", "V", "A"; "" for op)
//   simcore.title        the netlist's title line
//   simcore.netlist_sha256  hex SHA-256 of the netlist text
//   simcore.parameters   JSON {name: value} of the parameters the run overrode
//   simcore.options      JSON of the run's options (server jobs), "{}" otherwise
//   simcore.seed         the random seed of the run ("" when it drew no random numbers)
//   simcore.job_id       server job id ("" elsewhere)
//   simcore.version      simcore's version
//   simcore.start_time, simcore.end_time   ISO-8601 UTC
//   simcore.rows         rows written
//   simcore.partial      "true" when the analysis did not end (failed or stopped run)
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "simcore/io/result_sink.hpp"

namespace simcore::io {

// What a result file records about the run besides the samples.
struct RunInfo {
  std::string title;
  std::string netlistSha256;          // hex, sha256.hpp
  std::string parametersJson = "{}";  // parameters the run overrode
  std::string optionsJson = "{}";
  std::string seed;
  std::string jobId;
};

struct ParquetColumn {
  std::string name;
  Quantity quantity;
};

// The file's columns (see above) for an analysis.
std::vector<ParquetColumn> parquetColumns(const AnalysisHeader& h);

using KeyValues = std::vector<std::pair<std::string, std::string>>;

// The file's key-value metadata; start/end times ISO-8601 (end "" while open).
KeyValues parquetMetadata(const AnalysisHeader& h, const RunInfo& info, const std::string& startTime,
                          const std::string& endTime, std::size_t rows, bool partial);

}  // namespace simcore::io
