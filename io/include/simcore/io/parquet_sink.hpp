// Parquet result files (`simcore run --format parquet`, server jobs,
// GetResult): DIR/<stem>.<analysis>[n].parquet, one analysis per file, in the
// layout of parquet_layout.hpp. A library of its own, simcore_io_parquet,
// linking the Arrow/Parquet C++ libraries that the pyarrow wheel ships (Debian
// 12 has no Arrow package; scripts/setup.sh installs the wheel into
// build/venv-parquet); the CLI and the server reach it through the module
// libsimcore_parquet.so, so nothing else loads Arrow.
//
// Rows are buffered per column and written as row groups of at most
// kRowGroupBytes (all columns together); DOUBLE columns in BYTE_STREAM_SPLIT
// encoding, ZSTD-compressed, no dictionary. The footer (and so the metadata)
// is written when the analysis ends, fails or stops; a file cut by a killed
// process has no footer (the server rewrites its files from the waveform log).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "simcore/io/parquet_layout.hpp"
#include "simcore/io/result_sink.hpp"

namespace simcore::io {

class ParquetSink final : public ResultSink {
 public:
  static constexpr std::size_t kRowGroupBytes = 16u << 20;

  ParquetSink(std::string dir, std::string stem, RunInfo info);
  ~ParquetSink() override;  // an open analysis is closed as partial
  ParquetSink(const ParquetSink&) = delete;
  ParquetSink& operator=(const ParquetSink&) = delete;

  void begin(const AnalysisHeader& h) override;
  void chunk(const Chunk& c) override;
  void end(const AnalysisSummary& s) override;
  void finishPartial() override;

 private:
  struct Open;  // the Arrow/Parquet objects of the open file
  void close(bool partial);
  bool flushGroup();
  void fail(const std::string& what);

  std::string dir_, stem_;
  RunInfo info_;
  std::unique_ptr<Open> open_;
  std::vector<int> seen_ = std::vector<int>(kAnalysisTypes, 0);  // per AnalysisType
};

}  // namespace simcore::io
