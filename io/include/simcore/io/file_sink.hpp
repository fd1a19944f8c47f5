// The text and ngspice-raw result files: one file per analysis,
// <stem>.<analysis>.<ext>, written as rows arrive.
//   csv  : header row, first column the sweep variable (none for op); AC as
//          vdb(node)/vp(node) (dB, degrees in (-180, 180]) and db(i(x))/ph(i(x))
//          for currents, the layout of the reference results in shared/circuits/ref;
//          .pz as real(pole(k))/imag(pole(k)), real(zero(k))/imag(zero(k)),
//          an AC .sens and .sp as real(r1)/imag(r1).
//          Numbers as formatG12 (number_format.hpp).
//   json : {"analysis", "title", "x", "columns", "rows": [[...], ...]}; strings
//          through nlohmann-json (any name is valid JSON), numbers as in CSV,
//          non-finite numbers as null.
//   raw  : ngspice binary raw file (one plot per file), readable by ngspice's `load`.
// Targets: a directory (files DIR/<name>), or memory (WrittenFile::bytes).
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "simcore/io/result_sink.hpp"
#include "simcore/simulate.hpp"

namespace simcore::io {

// CSV, JSON or ngspice RAW files (fmt must not be Format::Hdf5: see hdf5_sink.hpp).
class FileSink final : public ResultSink {
 public:
  // Files in `dir` (which must exist).
  FileSink(std::string dir, std::string stem, Format fmt, std::string title);
  // In memory: files() holds each file's bytes; path is the bare file name.
  static FileSink inMemory(std::string stem, Format fmt, std::string title);
  ~FileSink() override;
  FileSink(FileSink&& o) noexcept;
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;
  FileSink& operator=(FileSink&&) = delete;

  void begin(const AnalysisHeader& h) override;
  void chunk(const Chunk& c) override;
  void end(const AnalysisSummary& s) override;

  void finishPartial() override;

  // Moves out the files whose analysis has ended (the open one stays), so a
  // memory target can hand each file on and free it during a long run.
  std::vector<WrittenFile> takeFinished();

 private:
  void flushBuffer(bool force);
  void put(double v);
  bool isOpen() const { return f_ || memOpen_; }
  std::string dir_, stem_, title_;
  Format fmt_;
  bool memory_ = false;
  bool memOpen_ = false;  // memory target: an analysis is being written into files_.back().bytes
  std::FILE* f_ = nullptr;
  std::string buf_;
  std::vector<double> row_;
  AnalysisHeader header_;
  std::vector<std::string> columns_;
  std::size_t rows_ = 0;
  long pointsPos_ = -1;
  bool rawHasX_ = true;
  std::vector<int> seen_ = std::vector<int>(kAnalysisTypes, 0);  // per AnalysisType
};

}  // namespace simcore::io
