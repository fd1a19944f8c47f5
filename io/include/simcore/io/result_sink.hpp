// What every result writer of io/ has in common: the formats, the files a
// run wrote, and the SampleSink interface the front ends drive.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "simcore/simulate.hpp"

namespace simcore::io {

enum class Format { Csv, Json, Raw, Hdf5 };

// "csv", "json", "raw", "h5" (the file name extension).
const char* formatExtension(Format f);
// "csv", "json", "raw", "hdf5" (the name the CLI and the APIs take).
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

// The file name of analysis number `n` (1 for the first) of a kind: "<stem>.tran.csv", "<stem>.tran2.csv".
std::string resultFileName(const std::string& stem, AnalysisType type, int n, Format f);

}  // namespace simcore::io
