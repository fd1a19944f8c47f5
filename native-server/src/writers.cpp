#include "writers.hpp"

#include "number_format.hpp"

#include <algorithm>
#include <charconv>
#include <complex>
#include <cmath>
#include <cstring>
#include <ctime>
#include <numbers>

namespace simcore::cli {

namespace {
constexpr std::size_t kFlushBytes = 1 << 20;

const char* ext(Format f) { return f == Format::Csv ? "csv" : f == Format::Json ? "json" : "raw"; }

const char* plotName(AnalysisType t) {
  switch (t) {
    case AnalysisType::Op: return "Operating Point";
    case AnalysisType::Dc: return "DC transfer characteristic";
    case AnalysisType::Ac: return "AC Analysis";
    case AnalysisType::Tran: return "Transient Analysis";
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

FileSink::~FileSink() {
  if (f_) std::fclose(f_);
}

void FileSink::put(double v) {
  if (fmt_ == Format::Json && !std::isfinite(v)) { buf_ += "null"; return; }
  char tmp[32];
  buf_.append(tmp, std::size_t(formatG12(v, tmp)));
}

void FileSink::flushBuffer(bool force) {
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
  std::string base = stem_ + "." + name + (n > 1 ? std::to_string(n) : "");
  std::string path = dir_ + "/" + base + "." + ext(fmt_);
  if (f_) std::fclose(f_);
  f_ = std::fopen(path.c_str(), fmt_ == Format::Raw ? "wb" : "w");
  if (!f_) {
    if (error_.empty()) error_ = "cannot open '" + path + "' for writing: " + std::strerror(errno);
    return;
  }
  files_.push_back({path, name, 0});
  columns_.clear();
  if (!h.xName.empty()) columns_.push_back(h.xName);
  for (const auto& s : h.signals) {
    if (h.complex && fmt_ != Format::Raw) {
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
      for (std::size_t k = 0; k < columns_.size(); ++k) {
        if (k) buf_ += ',';
        buf_ += columns_[k];
      }
      buf_ += '\n';
      break;
    case Format::Json:
      buf_ += "{\"analysis\":\"";
      buf_ += name;
      buf_ += "\",\"title\":\"";
      for (char c : title_) {
        if (c == '"' || c == '\\') buf_ += '\\';
        if (static_cast<unsigned char>(c) >= 0x20) buf_ += c;
      }
      buf_ += "\",\"x\":\"" + h.xName + "\",\"columns\":[";
      for (std::size_t k = 0; k < columns_.size(); ++k) buf_ += (k ? ",\"" : "\"") + columns_[k] + "\"";
      buf_ += "],\"rows\":[";
      break;
    case Format::Raw: {
      std::time_t now = std::time(nullptr);
      char date[64];
      std::strftime(date, sizeof date, "%a %b %d %H:%M:%S %Y", std::localtime(&now));
      buf_ += "Title: " + title_ + "\nDate: " + date + "\nPlotname: " + plotName(h.type) + "\nFlags: ";
      buf_ += h.complex ? "complex\n" : "real\n";
      // like ngspice, an operating point has no sweep variable, only its signals
      rawHasX_ = !h.xName.empty();
      const std::size_t first = rawHasX_ ? 1 : 0;
      std::size_t nvars = h.signals.size() + first;
      buf_ += "No. Variables: " + std::to_string(nvars) + "\n";
      buf_ += "No. Points: ";
      flushBuffer(true);
      pointsPos_ = std::ftell(f_);
      buf_ += "                    \n";  // patched in end()
      buf_ += "Variables:\n";
      if (rawHasX_) {
        std::string xt = h.type == AnalysisType::Tran ? "time" : h.type == AnalysisType::Ac ? "frequency" : "voltage";
        buf_ += "\t0\t" + h.xName + "\t" + xt + "\n";
      }
      for (std::size_t k = 0; k < h.signals.size(); ++k)
        buf_ += "\t" + std::to_string(k + first) + "\t" + h.signals[k].name + "\t" +
                (h.signals[k].kind == SignalKind::Voltage ? "voltage" : "current") + "\n";
      buf_ += "Binary:\n";
      break;
    }
  }
  flushBuffer(true);
}

void FileSink::chunk(const Chunk& c) {
  if (!f_) return;
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
          if (cx) {
            std::complex<double> z(c.re[k][r], c.im[k][r]);
            double mag = std::abs(z);
            sep(); put(mag > 0 ? 20.0 * std::log10(mag) : -400.0);
            double ph = std::arg(z) * 180.0 / std::numbers::pi;
            if (ph <= -180.0) ph += 360.0;
            sep(); put(ph);
          } else {
            sep(); put(c.re[k][r]);
          }
        }
        buf_ += fmt_ == Format::Json ? "]" : "\n";
        break;
      }
      case Format::Raw: break;  // handled above
    }
    flushBuffer(false);
  }
}

void FileSink::end(const AnalysisSummary&) {
  if (!f_) return;
  if (fmt_ == Format::Json) buf_ += "]}\n";
  flushBuffer(true);
  if (fmt_ == Format::Raw && pointsPos_ >= 0) {
    std::fseek(f_, pointsPos_, SEEK_SET);
    std::string n = std::to_string(rows_);
    std::fwrite(n.data(), 1, n.size(), f_);
  }
  if (std::fclose(f_) != 0 && error_.empty()) error_ = "cannot write results: " + std::string(std::strerror(errno));
  f_ = nullptr;
  files_.back().rows = rows_;
}

void FileSink::finishPartial() {
  if (!f_) return;
  end(AnalysisSummary{header_.type, rows_});
  if (!files_.empty()) files_.back().partial = true;
}

// ---------------------------------------------------------------------------

void InterpolatingSink::begin(const AnalysisHeader& h) {
  active_ = h.type == AnalysisType::Tran && h.index >= 0 && std::size_t(h.index) < circuit_.analyses.size();
  if (active_) {
    const ir::Analysis& a = circuit_.analyses[std::size_t(h.index)];
    step_ = a.tstep;
    tstart_ = a.tstart;
    tstop_ = a.tstop;
    k_ = 0;
    n_ = h.signals.size();
    havePrev_ = false;
    rows_ = 0;
    bx_.clear();
    bv_.assign(n_, {});
  }
  next_.begin(h);
}

void InterpolatingSink::emitRow(double t, const std::vector<double>& v) {
  bx_.push_back(t);
  for (std::size_t k = 0; k < n_; ++k) bv_[k].push_back(v[k]);
  ++rows_;
  if (bx_.size() >= 1024) {
    Chunk c;
    c.rows = bx_.size();
    c.x = bx_;
    for (auto& col : bv_) c.re.emplace_back(col);
    next_.chunk(c);
    bx_.clear();
    for (auto& col : bv_) col.clear();
  }
}

void InterpolatingSink::chunk(const Chunk& c) {
  if (!active_) { next_.chunk(c); return; }
  cur_.resize(n_);
  std::vector<double> out(n_);
  for (std::size_t r = 0; r < c.rows; ++r) {
    double t = c.x[r];
    for (std::size_t k = 0; k < n_; ++k) cur_[k] = c.re[k][r];
    while (true) {
      double tg = tstart_ + double(k_) * step_;
      if (tg > tstop_ * (1 + 1e-12)) break;
      if (tg > t * (1 + 1e-12) + 1e-300) break;
      if (!havePrev_ || t <= tPrev_) {
        emitRow(tg, cur_);
      } else {
        double a = (tg - tPrev_) / (t - tPrev_);
        a = std::clamp(a, 0.0, 1.0);
        for (std::size_t k = 0; k < n_; ++k) out[k] = prev_[k] + a * (cur_[k] - prev_[k]);
        emitRow(tg, out);
      }
      ++k_;
    }
    prev_ = cur_;
    tPrev_ = t;
    havePrev_ = true;
  }
}

void InterpolatingSink::end(const AnalysisSummary& s) {
  if (active_ && !bx_.empty()) {
    Chunk c;
    c.rows = bx_.size();
    c.x = bx_;
    for (auto& col : bv_) c.re.emplace_back(col);
    next_.chunk(c);
    bx_.clear();
  }
  AnalysisSummary out = s;
  if (active_) out.rows = rows_;
  next_.end(out);
}

}  // namespace simcore::cli
