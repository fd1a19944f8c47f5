// Result files of `simcore run`: one file per analysis, DIR/<stem>.<analysis>.<ext>.
//   csv  : header row, first column the sweep variable (none for op); AC as
//          vdb(node)/vp(node) (dB, degrees) and db(i(x))/ph(i(x)) for currents,
//          the layout of the reference results in shared/circuits/ref.
//   json : {"analysis", "x", "columns", "rows": [[...], ...]} written as it streams.
//   raw  : ngspice binary raw file (one plot per file), readable by ngspice.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "simcore/simulate.hpp"

namespace simcore::cli {

enum class Format { Csv, Json, Raw };

struct WrittenFile {
  std::string path;
  std::string analysis;
  std::size_t rows = 0;
  bool partial = false;
};

// A SampleSink that writes one result file per analysis. Errors (cannot
// open or write a file) are kept and reported by error().
class ResultSink : public SampleSink {
 public:
  // After a failed or stopped run: close the open analysis's file with what
  // it has so far and mark it partial.
  virtual void finishPartial() = 0;
  virtual const std::vector<WrittenFile>& files() const = 0;
  virtual const std::string& error() const = 0;
};

// CSV, JSON or ngspice RAW files.
class FileSink final : public ResultSink {
 public:
  FileSink(std::string dir, std::string stem, Format fmt, std::string title);
  ~FileSink() override;
  void begin(const AnalysisHeader& h) override;
  void chunk(const Chunk& c) override;
  void end(const AnalysisSummary& s) override;

  void finishPartial() override;

  const std::vector<WrittenFile>& files() const override { return files_; }
  const std::string& error() const override { return error_; }

 private:
  void flushBuffer(bool force);
  void put(double v);
  std::string dir_, stem_, title_;
  Format fmt_;
  std::FILE* f_ = nullptr;
  std::string buf_;
  std::vector<double> row_;
  AnalysisHeader header_;
  std::vector<std::string> columns_;
  std::size_t rows_ = 0;
  long pointsPos_ = -1;
  bool rawHasX_ = true;
  std::vector<int> seen_ = std::vector<int>(4, 0);
  std::vector<WrittenFile> files_;
  std::string error_;
};

// Resamples transient rows onto a uniform grid (tstart, tstart+tstep, ...,
// tstop) by linear interpolation of the accepted points, then forwards.
class InterpolatingSink final : public SampleSink {
 public:
  InterpolatingSink(SampleSink& next, const ir::Circuit& c) : next_(next), circuit_(c) {}
  void begin(const AnalysisHeader& h) override;
  void chunk(const Chunk& c) override;
  void end(const AnalysisSummary& s) override;

 private:
  void emitRow(double t, const std::vector<double>& v);
  SampleSink& next_;
  const ir::Circuit& circuit_;
  bool active_ = false;
  double step_ = 0, tstart_ = 0, tstop_ = 0;
  long k_ = 0;
  std::size_t n_ = 0, rows_ = 0;
  bool havePrev_ = false;
  double tPrev_ = 0;
  std::vector<double> prev_, cur_;
  std::vector<double> bx_;
  std::vector<std::vector<double>> bv_;
};

}  // namespace simcore::cli
