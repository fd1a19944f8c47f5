#include "simcore/io/interpolating_sink.hpp"

#include <algorithm>

namespace simcore::io {

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

}  // namespace simcore::io
