// HDF5 result files (`simcore run --format hdf5`, server jobs):
// DIR/<stem>.<analysis>.h5, one analysis per file (a second analysis of a
// kind: <stem>.tran2.h5), written as rows arrive. A library of its own,
// simcore_io_hdf5, built only when libhdf5 was found (it defines
// SIMCORE_HAVE_HDF5=1 for its users), so that what does not write HDF5 never
// loads libhdf5: the CLI reaches it through a module loaded for --format hdf5.
//
// Layout, everything in the root group (link creation order is tracked, so
// h5py's list(f) gives the CSV column order):
//   /<x>       float64[rows]   sweep variable: "time" (s), "frequency" (Hz),
//                              the swept source "vin" (V) / "iin" (A); absent for op
//   /<signal>  float64[rows]   one per signal, "v(out)", "i(vin)", "v(x1.n2)";
//              AC: compound {r: float64, i: float64}[rows], the layout h5py
//              reads as complex128 (f["v(out)"][:] is a complex array)
// Datasets are 1-D, chunked and extendible (maxshape (None,)), uncompressed.
// Dataset names are the signal names with '%' -> "%25", '/' -> "%2F" and a
// name "." -> "%2E" (HDF5 reserves '/' and "."); an escaped dataset has an
// attribute `name` with the original (so has the root's `columns`).
//
// Root attributes (strings are variable-length UTF-8, booleans the enum
// {FALSE, TRUE} that h5py reads as numpy.bool_):
//   analysis "op"|"dc"|"ac"|"tran"; x (sweep name, "" for op); complex (bool);
//   columns (string[], the signal names in order, x excluded); title;
//   netlist_sha256 (hex of the netlist text); options (JSON); job_id;
//   simcore_version; start_time, end_time (ISO-8601 UTC, end "" while
//   running); rows (int64); partial (bool: true until the analysis ended,
//   so also after a stop or failure, or in a file left by a killed process).
// Dataset attributes: kind ("voltage"|"current"|"time"|"frequency"), unit
//   ("V"|"A"|"s"|"Hz"), and name where the dataset name is escaped.
// The file format is HDF5 1.10's (h5py, HDF5 >= 1.10 read it).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "simcore/io/result_sink.hpp"
#include "simcore/io/sha256.hpp"

namespace simcore::io {

struct Hdf5RunInfo {
  std::string title;
  std::string netlistSha256;  // hex, see sha256Hex
  std::string optionsJson;    // the job's options
  std::string jobId;
};

// A signal name as an HDF5 link name (see the layout above).
std::string hdf5EscapeName(std::string_view name);

class Hdf5Sink final : public ResultSink {
 public:
  Hdf5Sink(std::string dir, std::string stem, Hdf5RunInfo info);
  ~Hdf5Sink() override;  // an open analysis is closed as partial
  Hdf5Sink(const Hdf5Sink&) = delete;
  Hdf5Sink& operator=(const Hdf5Sink&) = delete;

  void begin(const AnalysisHeader& h) override;
  void chunk(const Chunk& c) override;
  void end(const AnalysisSummary& s) override;
  void finishPartial() override;

  // Rows per HDF5 chunk of the open analysis (0 when none is open).
  std::size_t chunkRows() const { return chunkRows_; }

 private:
  using Hid = std::int64_t;  // hid_t of HDF5 >= 1.10
  void close(bool partial);
  void fail(const std::string& what);

  std::string dir_, stem_;
  Hdf5RunInfo info_;
  Hid file_ = -1;
  std::vector<Hid> sets_;     // x (if any) first, then one per signal
  bool complex_ = false;
  bool hasX_ = false;
  bool flushBlock();

  std::size_t rows_ = 0;       // received (written or in the block)
  std::size_t fill_ = 0;       // rows in the block, < chunkRows_ between calls
  std::size_t chunkRows_ = 0;
  std::vector<double> block_;  // the chunk being filled of every signal: [signal][row] (x2 interleaved re/im if complex)
  std::vector<double> xBlock_;
  std::vector<int> seen_ = std::vector<int>(kAnalysisTypes, 0);  // per AnalysisType
};

}  // namespace simcore::io
