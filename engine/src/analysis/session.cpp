#include "analysis/session.hpp"

#include <algorithm>
#include <numbers>

namespace simcore::an {

void ChunkWriter::reset(std::size_t signals, bool complex, bool hasX, std::size_t capacity) {
  // keep a chunk within ~4 MB however many signals there are
  const std::size_t perRow = std::max<std::size_t>(signals * (complex ? 2 : 1), 1);
  cap_ = std::clamp<std::size_t>(std::min(capacity, (std::size_t(1) << 19) / perRow), 1, std::max<std::size_t>(capacity, 1));
  complex_ = complex;
  hasX_ = hasX;
  integrator_ = nullptr;
  rows_ = total_ = 0;
  x_.assign(cap_, 0.0);
  re_.assign(signals, std::vector<double>(cap_, 0.0));
  im_.assign(complex ? signals : 0, std::vector<double>(cap_, 0.0));
  chunk_.re.reserve(signals);
  chunk_.im.reserve(complex ? signals : 0);
}

void ChunkWriter::row(double x, const double* values, const std::vector<OutputSignal>& sig) {
  x_[rows_] = x;
  dev::QuantityContext qc;
  qc.x = values;
  qc.iq = integrator_ ? integrator_->acceptedCurrents().data() : nullptr;
  qc.ag0 = integrator_ ? integrator_->ag0() : 0.0;
  qc.transient = integrator_ != nullptr;
  qc.time = integrator_ ? x : 0.0;
  for (std::size_t k = 0; k < sig.size(); ++k) {
    const OutputSignal& s = sig[k];
    re_[k][rows_] = s.value(qc);
  }
  ++rows_;
  ++total_;
}

void ChunkWriter::rowComplex(double x, const std::complex<double>* values, const std::vector<OutputSignal>& sig) {
  x_[rows_] = x;
  const double omega = 2.0 * std::numbers::pi * x;
  for (std::size_t k = 0; k < sig.size(); ++k) {
    const OutputSignal& s = sig[k];
    const std::complex<double> v = s.acValue(values, omega);
    re_[k][rows_] = v.real();
    im_[k][rows_] = v.imag();
  }
  ++rows_;
  ++total_;
}

void ChunkWriter::flush(SampleSink& sink) {
  if (rows_ == 0) return;
  Chunk& c = chunk_;  // reused: no allocation per chunk
  c.rows = rows_;
  c.x = hasX_ ? std::span<const double>(x_.data(), rows_) : std::span<const double>();
  c.re.clear();
  c.im.clear();
  for (auto& v : re_) c.re.emplace_back(v.data(), rows_);
  for (auto& v : im_) c.im.emplace_back(v.data(), rows_);
  sink.chunk(c);
  rows_ = 0;
}

std::string describeFailure(const Session& s, const NewtonResult& r) {
  if (r.worst > 0) return s.model->describeUnknown(r.worst);
  return "no single unknown: the updates were small and the residuals too, but devices kept limiting their "
         "junction voltages";
}

}  // namespace simcore::an
