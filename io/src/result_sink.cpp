#include "simcore/io/result_sink.hpp"

namespace simcore::io {

const char* formatExtension(Format f) {
  switch (f) {
    case Format::Csv: return "csv";
    case Format::Json: return "json";
    case Format::Raw: return "raw";
    case Format::Hdf5: return "h5";
  }
  return "";
}

const char* formatName(Format f) { return f == Format::Hdf5 ? "hdf5" : formatExtension(f); }

std::optional<Format> parseFormat(std::string_view name) {
  for (Format f : {Format::Csv, Format::Json, Format::Raw, Format::Hdf5})
    if (name == formatName(f)) return f;
  return std::nullopt;
}

std::string resultFileName(const std::string& stem, AnalysisType type, int n, Format f) {
  return stem + "." + analysisName(type) + (n > 1 ? std::to_string(n) : "") + "." + formatExtension(f);
}

}  // namespace simcore::io
