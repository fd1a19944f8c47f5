#include "simcore/io/writers.hpp"

namespace simcore::io {

Result<std::unique_ptr<ResultSink>> openResultSink(Format fmt, const std::string& dir, const std::string& stem,
                                                   const std::string& title) {
  if (fmt == Format::Hdf5)
    return makeError(ErrorCode::Internal, "hdf5 files come from Hdf5Sink (simcore_io_hdf5), not openResultSink");
  if (fmt == Format::Parquet)
    return makeError(ErrorCode::Internal, "parquet files come from ParquetSink (simcore_io_parquet), not openResultSink");
  return std::unique_ptr<ResultSink>(std::make_unique<FileSink>(dir, stem, fmt, title));
}

Result<std::string> writeAnalysis(Format fmt, const AnalysisColumns& a, const std::string& title) {
  if (fmt == Format::Hdf5) return makeError(ErrorCode::Semantic, "hdf5 is written to files only");
  if (fmt == Format::Parquet) return makeError(ErrorCode::Semantic, "parquet is written by the parquet module only");
  const std::size_t n = a.header.signals.size();
  if (a.re.size() != n || (a.header.complex && a.im.size() != n))
    return makeError(ErrorCode::Semantic, "one column per signal expected");
  if (!a.header.xName.empty() && a.x.size() < a.rows) return makeError(ErrorCode::Semantic, "the x column is short");
  for (std::size_t k = 0; k < n; ++k)
    if (a.re[k].size() < a.rows || (a.header.complex && a.im[k].size() < a.rows))
      return makeError(ErrorCode::Semantic, "the column of '" + a.header.signals[k].name + "' is short");
  FileSink sink = FileSink::inMemory("result", fmt, title);
  sink.begin(a.header);
  Chunk c;
  c.rows = a.rows;
  if (!a.header.xName.empty()) c.x = a.x.first(a.rows);
  for (const auto& col : a.re) c.re.push_back(col.first(a.rows));
  if (a.header.complex)
    for (const auto& col : a.im) c.im.push_back(col.first(a.rows));
  if (c.rows) sink.chunk(c);
  sink.end(AnalysisSummary{a.header.type, a.rows});
  if (!sink.error().empty()) return makeError(ErrorCode::Internal, sink.error());
  return sink.files().back().bytes;
}

}  // namespace simcore::io
