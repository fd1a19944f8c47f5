// io/: the result formats of every front end (CLI, server, wasm, Python).
//   openResultSink : a directory of files in one format (csv, json, raw; hdf5: hdf5_sink.hpp)
//   writeAnalysis  : one analysis held in columns, written to memory
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "simcore/io/file_sink.hpp"
#include "simcore/io/result_sink.hpp"
#include "simcore/simulate.hpp"

namespace simcore::io {

// Files DIR/<stem>.<analysis>.<ext> (DIR must exist) in csv, json or raw; hdf5
// is Hdf5Sink's, in simcore_io_hdf5 (an error here).
[[nodiscard]] Result<std::unique_ptr<ResultSink>> openResultSink(Format fmt, const std::string& dir,
                                                                const std::string& stem, const std::string& title);

// One whole analysis in columns: x (empty for op), re[k] per signal and,
// when header.complex, im[k]; every column `rows` long.
struct AnalysisColumns {
  AnalysisHeader header;
  std::size_t rows = 0;
  std::span<const double> x;
  std::vector<std::span<const double>> re, im;
};

// The file `simcore run` would write for this analysis, in memory (csv, json
// or raw). Errors: hdf5 asked for, or columns shorter than rows.
[[nodiscard]] Result<std::string> writeAnalysis(Format fmt, const AnalysisColumns& a, const std::string& title);

}  // namespace simcore::io
