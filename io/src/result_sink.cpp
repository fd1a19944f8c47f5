#include "simcore/io/result_sink.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace simcore::io {

const char* formatExtension(Format f) {
  switch (f) {
    case Format::Csv: return "csv";
    case Format::Json: return "json";
    case Format::Raw: return "raw";
    case Format::Hdf5: return "h5";
    case Format::Parquet: return "parquet";
  }
  return "";
}

const char* formatName(Format f) { return f == Format::Hdf5 ? "hdf5" : formatExtension(f); }

std::optional<Format> parseFormat(std::string_view name) {
  for (Format f : {Format::Csv, Format::Json, Format::Raw, Format::Hdf5, Format::Parquet})
    if (name == formatName(f)) return f;
  return std::nullopt;
}

Quantity sweepQuantity(AnalysisType t, const std::string& x) {
  if (t == AnalysisType::Tran || t == AnalysisType::Pss || t == AnalysisType::Losses) return {"time", "s"};
  if (t == AnalysisType::Ac || t == AnalysisType::Fra || t == AnalysisType::Noise || t == AnalysisType::PssSpectrum || t == AnalysisType::Sens || t == AnalysisType::Sp) return {"frequency", "Hz"};
  // .dc: TEMP, a resistor (its leaf name's letter: "r1", "x1.r2"), else a source
  if (x == "temp") return {"temperature", "degC"};
  const std::size_t dot = x.rfind('.');
  const char leaf = x.empty() ? 0 : x[dot == std::string::npos || dot + 1 >= x.size() ? 0 : dot + 1];
  if (leaf == 'r' || leaf == 'R') return {"resistance", "Ohm"};
  if (!x.empty() && (x[0] == 'i' || x[0] == 'I')) return {"current", "A"};
  return {"voltage", "V"};
}

Quantity signalQuantity(SignalKind k) {
  return k == SignalKind::Current ? Quantity{"current", "A"} : Quantity{"voltage", "V"};
}

std::string isoTimeNow() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[40];
  std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", int(ms));
  return buf;
}

std::string resultFileName(const std::string& stem, AnalysisType type, int n, Format f) {
  return stem + "." + analysisName(type) + (n > 1 ? std::to_string(n) : "") + "." + formatExtension(f);
}

}  // namespace simcore::io
