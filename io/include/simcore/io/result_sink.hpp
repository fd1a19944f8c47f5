// What every result writer of io/ has in common: the formats, the files a
// run wrote, and the SampleSink interface the front ends drive.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "simcore/simulate.hpp"

namespace simcore::io {

// Hdf5 and Parquet are written by modules of their own (hdf5_sink.hpp, parquet_sink.hpp).
enum class Format { Csv, Json, Raw, Hdf5, Parquet };

// "csv", "json", "raw", "h5", "parquet" (the file name extension).
const char* formatExtension(Format f);
// "csv", "json", "raw", "hdf5", "parquet" (the name the CLI and the APIs take).
const char* formatName(Format f);
// The inverse of formatName; nullopt for an unknown name.
std::optional<Format> parseFormat(std::string_view name);

// One result file: DIR/<stem>.<analysis>[n].<ext> on disk, or <stem>.<analysis>[n].<ext>
// with its content in `bytes` when written to memory.
struct WrittenFile {
  std::string path;
  std::string analysis;  // "op", "dc", "ac", "tran"
  std::size_t rows = 0;
  bool partial = false;  // the run failed or stopped before the analysis ended
  std::string bytes;     // the file's content (memory targets only; complete once the analysis ended)
  std::string variant;   // the circuit variant it ran on (AnalysisHeader::variant), empty for the circuit itself
};

// A SampleSink that writes one result file per analysis. Errors (cannot
// open or write a file) are kept and reported by error() (the first one).
class ResultSink : public SampleSink {
 public:
  // After a failed or stopped run: close the open analysis's file with what
  // it has so far and mark it partial.
  virtual void finishPartial() = 0;
  const std::vector<WrittenFile>& files() const { return files_; }
  const std::string& error() const { return error_; }

 protected:
  std::vector<WrittenFile> files_;  // in the order the analyses began
  std::string error_;
};

// What a column holds: kind "time"|"frequency"|"voltage"|"current", unit "s"|"Hz"|"V"|"A".
struct Quantity {
  const char* kind;
  const char* unit;
};
// The sweep variable of an analysis: time for tran/pss/losses, frequency for
// ac/fra; for dc the temperature (TEMP), a resistance (a swept resistor),
// a current for a swept current source ("iin"), else a voltage.
Quantity sweepQuantity(AnalysisType t, const std::string& xName);
Quantity signalQuantity(SignalKind k);

// Now, ISO-8601 UTC with milliseconds ("2026-12-03T16:40:00.123Z"), for run metadata.
std::string isoTimeNow();

// The file name of analysis number `n` (1 for the first) of a kind: "<stem>.tran.csv", "<stem>.tran2.csv".
std::string resultFileName(const std::string& stem, AnalysisType type, int n, Format f);

}  // namespace simcore::io
