#include "simcore/io/file_sink.hpp"

#include <nlohmann/json.hpp>

#include "simcore/io/number_format.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <ctime>
#include <numbers>

namespace simcore::io {

namespace {

// A signal's type in a raw file. Device quantities (@q1[gm]) as ngspice 39 types them, by the
// parameter's first letter (outitf.c): [g admittance, [c capacitance, [i current, [q charge,
// [p] power, any other a voltage; the rest by the signal's kind.
std::string rawSignalType(const SignalInfo& s) {
  const std::string& n = s.name;
  const std::size_t lb = n.find('[');
  // (.probe p(dev)'s vector dev:power: ngspice's type power)
  if (n.size() > 6 && n.compare(n.size() - 6, 6, ":power") == 0 && n.find('(') == std::string::npos) return "power";
  if (n.empty() || n[0] != '@' || lb == std::string::npos || lb + 1 >= n.size())
    return s.kind == SignalKind::Voltage ? "voltage" : "current";
  const std::string param = n.substr(lb);
  if (n.size() > 1 && n[1] == 'i' && (param == "[c]" || param == "[dc]" || param == "[current]")) return "current";
  switch (n[lb + 1]) {
    case 'g': return "admittance";
    case 'c': return "capacitance";
    case 'i': return "current";
    case 'q': return "charge";
    default: return n.compare(lb, std::string::npos, "[p]") == 0 ? "power" : "voltage";
  }
}
// Written out (or appended to the in-memory file) once the buffer holds this
// much: small enough to stay in cache and to be reserved once (a buffer
// growing to a megabyte by doubling took fresh pages, each a page fault, and
// copied itself on every doubling: 2 % of a 30 ms run), large enough to keep
// the writes few.
constexpr std::size_t kFlushBytes = 1 << 16;

// A JSON string literal; invalid UTF-8 becomes U+FFFD.
std::string jsonString(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

const char* plotName(AnalysisType t) {
  switch (t) {
    case AnalysisType::Op: return "Operating Point";
    case AnalysisType::Dc: return "DC transfer characteristic";
    case AnalysisType::Ac: return "AC Analysis";
    case AnalysisType::Tran: return "Transient Analysis";
    case AnalysisType::Pss: return "Periodic Steady State";
    case AnalysisType::Fra: return "Frequency Response Analysis";
    case AnalysisType::Losses: return "Losses";
    case AnalysisType::Noise: return "Noise Spectral Density Curves";
    case AnalysisType::NoiseTotal: return "Integrated Noise";
    case AnalysisType::PssSpectrum: return "Frequency Domain Periodic Steady State";
    case AnalysisType::Tf: return "Transfer Function";
    case AnalysisType::Pz: return "Pole-Zero Analysis";
    case AnalysisType::Sens: return "Sensitivity Analysis";
    case AnalysisType::Sp: return "SP Analysis";
  }
  return "";
}

std::string inner(const std::string& sig) {  // "v(out)" -> "out"
  auto a = sig.find('('), b = sig.rfind(')');
  return (a == std::string::npos || b == std::string::npos || b < a) ? sig : sig.substr(a + 1, b - a - 1);
}
}  // namespace

FileSink::FileSink(std::string dir, std::string stem, Format fmt, std::string title)
    : dir_(std::move(dir)), stem_(std::move(stem)), title_(std::move(title)), fmt_(fmt) {}

FileSink FileSink::inMemory(std::string stem, Format fmt, std::string title) {
  FileSink s({}, std::move(stem), fmt, std::move(title));
  s.memory_ = true;
  return s;
}

FileSink::FileSink(FileSink&& o) noexcept
    : ResultSink(std::move(o)), dir_(std::move(o.dir_)), stem_(std::move(o.stem_)), title_(std::move(o.title_)),
      fmt_(o.fmt_), memory_(o.memory_), memOpen_(o.memOpen_), f_(o.f_), buf_(std::move(o.buf_)),
      row_(std::move(o.row_)), header_(std::move(o.header_)), columns_(std::move(o.columns_)), rows_(o.rows_),
      pointsPos_(o.pointsPos_), rawHasX_(o.rawHasX_), seen_(std::move(o.seen_)) {
  o.f_ = nullptr;
  o.memOpen_ = false;
}

FileSink::~FileSink() {
  if (f_) std::fclose(f_);
}

void FileSink::put(double v) {
  if (fmt_ == Format::Json && !std::isfinite(v)) { buf_ += "null"; return; }
  char tmp[32];
  buf_.append(tmp, std::size_t(formatG12(v, tmp)));
}

void FileSink::flushBuffer(bool force) {
  if (memOpen_) {
    if (force || buf_.size() >= kFlushBytes) {
      files_.back().bytes += buf_;
      buf_.clear();
    }
    return;
  }
  if (!f_ || (!force && buf_.size() < kFlushBytes)) return;
  if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size() && error_.empty())
    error_ = "cannot write results: " + std::string(std::strerror(errno));
  buf_.clear();
}

void FileSink::begin(const AnalysisHeader& h) {
  header_ = h;
  rows_ = 0;
  const char* name = analysisName(h.type);
  int n = ++seen_[std::size_t(h.type)];
  const std::string base = resultFileName(stem_, h.type, n, fmt_);
  if (f_) std::fclose(f_);
  f_ = nullptr;
  memOpen_ = false;
  if (fmt_ == Format::Hdf5 || fmt_ == Format::Parquet) {
    if (error_.empty()) error_ = std::string("FileSink writes csv, json and raw files, not ") + formatName(fmt_);
    return;
  }
  if (memory_) {
    files_.push_back({base, name, 0, false, {}, h.variant});
    memOpen_ = true;
  } else {
    std::string path = dir_ + "/" + base;
    f_ = std::fopen(path.c_str(), fmt_ == Format::Raw ? "wb" : "w");
    if (!f_) {
      if (error_.empty()) error_ = "cannot open '" + path + "' for writing: " + std::strerror(errno);
      return;
    }
    files_.push_back({path, name, 0, false, {}, h.variant});
  }
  buf_.reserve(2 * kFlushBytes);  // a raw block of rows may pass kFlushBytes before it is flushed
  columns_.clear();
  if (!h.xName.empty()) columns_.push_back(h.xName);
  for (const auto& s : h.signals) {
    if (h.complex && fmt_ != Format::Raw &&
        (h.type == AnalysisType::Pz || h.type == AnalysisType::Sens || h.type == AnalysisType::Sp)) {
      // poles and zeros are points of the s-plane, AC sensitivities derivatives
      // of a phasor, S-parameters ratios of waves: real and imaginary part
      columns_.push_back("real(" + s.name + ")");
      columns_.push_back("imag(" + s.name + ")");
    } else if (h.complex && fmt_ != Format::Raw) {
      if (s.kind == SignalKind::Voltage) {
        columns_.push_back("vdb(" + inner(s.name) + ")");
        columns_.push_back("vp(" + inner(s.name) + ")");
      } else {
        columns_.push_back("db(" + s.name + ")");
        columns_.push_back("ph(" + s.name + ")");
      }
    } else {
      columns_.push_back(s.name);
    }
  }
  buf_.clear();
  switch (fmt_) {
    case Format::Csv:
      // a run on a circuit variant (.step point, .temp value): a comment line first
      if (!h.variant.empty()) buf_ += "# variant: " + h.variant + "\n";
      for (std::size_t k = 0; k < columns_.size(); ++k) {
        if (k) buf_ += ',';
        buf_ += columns_[k];
      }
      buf_ += '\n';
      break;
    case Format::Json:
      buf_ += "{\"analysis\":\"";
      buf_ += name;
      buf_ += "\",\"title\":" + jsonString(title_) + ",\"x\":" + jsonString(h.xName);
      if (!h.variant.empty()) buf_ += ",\"variant\":" + jsonString(h.variant);
      buf_ += ",\"columns\":[";
      for (std::size_t k = 0; k < columns_.size(); ++k) buf_ += (k ? "," : "") + jsonString(columns_[k]);
      buf_ += "],\"rows\":[";
      break;
    case Format::Raw: {
      std::time_t now = std::time(nullptr);
      char date[64];
      std::strftime(date, sizeof date, "%a %b %d %H:%M:%S %Y", std::localtime(&now));
      buf_ += "Title: " + title_ + "\nDate: " + date + "\nPlotname: " + plotName(h.type) +
              (h.variant.empty() ? std::string() : " (" + h.variant + ")") + "\nFlags: ";
      buf_ += h.complex ? "complex\n" : "real\n";
      // like ngspice, an operating point has no sweep variable, only its signals
      rawHasX_ = !h.xName.empty();
      const std::size_t first = rawHasX_ ? 1 : 0;
      std::size_t nvars = h.signals.size() + first;
      buf_ += "No. Variables: " + std::to_string(nvars) + "\n";
      buf_ += "No. Points: ";
      flushBuffer(true);
      pointsPos_ = memOpen_ ? long(files_.back().bytes.size()) : std::ftell(f_);
      buf_ += "                    \n";  // patched in end()
      buf_ += "Variables:\n";
      if (rawHasX_) {
        std::string xt = h.type == AnalysisType::Tran || h.type == AnalysisType::Pss || h.type == AnalysisType::Losses ? "time"
                         : h.type == AnalysisType::Ac || h.type == AnalysisType::Fra || h.type == AnalysisType::Noise || h.type == AnalysisType::PssSpectrum ||
                                 h.type == AnalysisType::Sens || h.type == AnalysisType::Sp ? "frequency"
                         : h.xName == "temp"                                           ? "temp-sweep"
                         : sweepQuantity(h.type, h.xName).kind == std::string("resistance") ? "res-sweep"
                                                                                      : "voltage";
        buf_ += "\t0\t" + h.xName + "\t" + xt + "\n";
      }
      // noise spectra are densities, as ngspice types them
      const char* suffix = h.type == AnalysisType::Noise ? "-density" : "";
      for (std::size_t k = 0; k < h.signals.size(); ++k)
        buf_ += "\t" + std::to_string(k + first) + "\t" + h.signals[k].name + "\t" +
                rawSignalType(h.signals[k]) + suffix + "\n";
      buf_ += "Binary:\n";
      break;
    }
    case Format::Hdf5:
    case Format::Parquet: break;  // refused above
  }
  flushBuffer(true);
}

void FileSink::chunk(const Chunk& c) {
  if (!isOpen()) return;
  const bool cx = header_.complex;
  if (fmt_ == Format::Raw) {
    // rows of doubles in native byte order (ngspice reads its host's order)
    // Rows are written a block at a time: reading each signal's column for
    // kBlock consecutive rows touches one cache line instead of kBlock, which
    // matters with thousands of signals.
    constexpr std::size_t kBlock = 8;
    const std::size_t width = (cx ? 2 : 1) * (c.re.size() + (rawHasX_ ? 1 : 0));
    row_.resize(width * kBlock);
    for (std::size_t r0 = 0; r0 < c.rows; r0 += kBlock) {
      const std::size_t nb = std::min(kBlock, c.rows - r0);
      std::size_t col = 0;
      if (rawHasX_) {
        for (std::size_t j = 0; j < nb; ++j) {
          row_[j * width] = c.x[r0 + j];
          if (cx) row_[j * width + 1] = 0.0;
        }
        col = cx ? 2 : 1;
      }
      for (std::size_t k = 0; k < c.re.size(); ++k) {
        const double* re = c.re[k].data() + r0;
        if (cx) {
          const double* im = c.im[k].data() + r0;
          for (std::size_t j = 0; j < nb; ++j) {
            row_[j * width + col] = re[j];
            row_[j * width + col + 1] = im[j];
          }
          col += 2;
        } else {
          for (std::size_t j = 0; j < nb; ++j) row_[j * width + col] = re[j];
          col += 1;
        }
      }
      buf_.append(reinterpret_cast<const char*>(row_.data()), nb * width * sizeof(double));
      rows_ += nb;
      if (buf_.size() >= kFlushBytes) flushBuffer(false);
    }
    flushBuffer(false);
    return;
  }
  for (std::size_t r = 0; r < c.rows; ++r, ++rows_) {
    switch (fmt_) {
      case Format::Csv:
      case Format::Json: {
        if (fmt_ == Format::Json) buf_ += rows_ ? ",[" : "[";
        bool first = true;
        auto sep = [&] {
          if (!first) buf_ += ',';
          first = false;
        };
        if (!c.x.empty()) { sep(); put(c.x[r]); }
        for (std::size_t k = 0; k < c.re.size(); ++k) {
          if (cx && (header_.type == AnalysisType::Pz || header_.type == AnalysisType::Sens || header_.type == AnalysisType::Sp)) {
            sep(); put(c.re[k][r]);
            sep(); put(c.im[k][r]);
          } else if (cx) {
            const double re = c.re[k][r], im = c.im[k][r];
            const double mag = magnitude(re, im);
            sep(); put(mag > 0 ? 20.0 * std::log10(mag) : -400.0);
            double ph = std::atan2(im, re) * 180.0 / std::numbers::pi;
            if (ph <= -180.0) ph += 360.0;
            sep(); put(ph);
          } else {
            sep(); put(c.re[k][r]);
          }
        }
        buf_ += fmt_ == Format::Json ? "]" : "\n";
        break;
      }
      case Format::Raw:
      case Format::Hdf5:
      case Format::Parquet: break;  // refused in begin()
    }
    flushBuffer(false);
  }
}

void FileSink::end(const AnalysisSummary&) {
  if (!isOpen()) return;
  if (fmt_ == Format::Json) buf_ += "]}\n";
  flushBuffer(true);
  const std::string n = std::to_string(rows_);
  if (memOpen_) {
    if (fmt_ == Format::Raw && pointsPos_ >= 0) files_.back().bytes.replace(std::size_t(pointsPos_), n.size(), n);
    memOpen_ = false;
  } else {
    if (fmt_ == Format::Raw && pointsPos_ >= 0) {
      std::fseek(f_, pointsPos_, SEEK_SET);
      std::fwrite(n.data(), 1, n.size(), f_);
    }
    if (std::fclose(f_) != 0 && error_.empty()) error_ = "cannot write results: " + std::string(std::strerror(errno));
    f_ = nullptr;
  }
  files_.back().rows = rows_;
}

std::vector<WrittenFile> FileSink::takeFinished() {
  const std::size_t n = files_.size() - (isOpen() && !files_.empty() ? 1 : 0);
  std::vector<WrittenFile> out(std::make_move_iterator(files_.begin()),
                               std::make_move_iterator(files_.begin() + std::ptrdiff_t(n)));
  files_.erase(files_.begin(), files_.begin() + std::ptrdiff_t(n));
  return out;
}

void FileSink::finishPartial() {
  if (!isOpen()) return;
  end(AnalysisSummary{header_.type, rows_});
  if (!files_.empty()) files_.back().partial = true;
}

}  // namespace simcore::io
