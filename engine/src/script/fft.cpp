// The `fft` command of .control scripts, as ngspice 39 (built without FFTW)
// does it: the current transient's vectors, as sampled (run `linearize`
// first for an even grid), times the window of `set specwindow` (default
// hanning; the windows have an average of one), zero-padded to N = the next
// power of two, transformed; bins k = 0 .. N/2 at k / span · length / N Hz,
// scaled by 2/N (the DC bin by 1/N, the Nyquist bin real). The spectra go
// into a new plot spN ("Spectrum"), which becomes the current one.
#include <cmath>
#include <complex>
#include <cstdio>
#include <numbers>

#include "script/runner.hpp"
#include "script/words.hpp"
#include "solver/fft.hpp"

namespace simcore::script {
namespace {

using cplx = std::complex<double>;

}  // namespace

// ngspice's windows over the span (maxt - span, maxt]; false for an unknown name.
bool fftWindow(const std::string& name, int order, const std::vector<double>& t, std::vector<double>& w) {
  const std::size_t n = t.size();
  const double maxt = t.back(), span = t.back() - t.front();
  w.assign(n, 1.0);
  if (name == "none") return true;
  for (std::size_t i = 0; i < n; ++i) {
    if (maxt - t[i] > span) {
      w[i] = 0;
      continue;
    }
    const double x = 2 * std::numbers::pi * (t[i] - maxt) / span;
    if (name == "rectangular") w[i] = 1;
    else if (name == "triangle" || name == "bartlet" || name == "bartlett") w[i] = 2 - std::fabs(2 + 4 * (t[i] - maxt) / span);
    else if (name == "hann" || name == "hanning" || name == "cosine") w[i] = 1 - std::cos(x);
    else if (name == "hamming") w[i] = 1 - 0.46 / 0.54 * std::cos(x);
    else if (name == "blackman") w[i] = 1 - 0.50 / 0.42 * std::cos(x) + 0.08 / 0.42 * std::cos(2 * x);
    else if (name == "flattop")
      w[i] = 1 - 1.93 * std::cos(x) + 1.29 * std::cos(2 * x) - 0.388 * std::cos(3 * x) + 0.032 * std::cos(4 * x);
    else if (name == "gaussian") {
      const double sigma = 1.0 / order, scale = 0.83 / sigma;
      const double z = (t[i] - maxt / 2) / (sigma * maxt / 2);
      w[i] = scale * std::exp(-0.5 * z * z);
    } else {
      return false;
    }
  }
  return true;
}

void ScriptSink::cmdFft(const ir::ScriptStatement& s, const std::string& args) {
  if (current_ < 0 || plots_[std::size_t(current_)].type != AnalysisType::Tran ||
      !plots_[std::size_t(current_)].scale || plots_[std::size_t(current_)].scale->size() < 2) {
    fail(s, "fft needs a transient with a time scale as the current plot");
    return;
  }
  const int src = current_;
  const std::vector<double>& t = plots_[std::size_t(src)].scale->re;
  const std::size_t length = t.size();
  const double span = t.back() - t.front();
  std::string window = "hanning";
  if (auto it = vars_.find("specwindow"); it != vars_.end() && !it->second.empty()) window = lowerStr(it->second[0]);
  int order = std::max(2, intVar("specwindoworder", 2));
  std::vector<double> win;
  if (!fftWindow(window, order, t, win)) {
    fail(s, "unknown window '" + window + "' (set specwindow: none, rectangular, bartlett, hanning, hamming, "
            "blackman, flattop, gaussian)");
    return;
  }
  auto l = evaluateList(args, context());
  if (!l) {
    fail(s, l.error().message);
    return;
  }
  std::vector<const Vec*> good;
  for (const Vec& v : l.value()) {
    if (v.size() != length) {
      fail(s, "'" + v.name + "' has " + std::to_string(v.size()) + " points, the time scale " + std::to_string(length));
      continue;
    }
    if (v.complex) {
      fail(s, "'" + v.name + "' is not real");
      continue;
    }
    if (v.name == "time") continue;
    good.push_back(&v);
  }
  if (good.empty()) return;
  std::size_t n = 1;
  while (n < length) n <<= 1;
  const std::size_t fpts = n / 2 + 1;
  if (kept_ + fpts * (1 + 2 * good.size()) > kMaxKeptValues) {
    status_ = makeError(ErrorCode::Limit, "'fft' would keep more than " + std::to_string(kMaxKeptValues) +
                                              " values of vectors", s.loc);
    return;
  }
  kept_ += fpts * (1 + 2 * good.size());
  char buf[160];
  std::snprintf(buf, sizeof buf, "FFT: Time span: %g s, input length: %zu, zero padding: %zu\n", span, length, n - length);
  out_.text += buf;
  std::snprintf(buf, sizeof buf, "FFT: Frequency resolution: %g Hz, output length: %zu\n", 1.0 / span, fpts);
  out_.text += buf;
  Plot p;
  p.typeName = newPlotName("sp");
  p.name = "Spectrum";
  p.title = plots_[std::size_t(src)].title;
  p.type = AnalysisType::Ac;  // a frequency scale: print and wrdata lay it out as ac
  p.analysis = -1;
  p.scale = std::make_unique<Vec>();
  p.scale->name = "frequency";
  for (std::size_t i = 0; i < fpts; ++i) p.scale->re.push_back(double(i) / span * double(length) / double(n));
  const double scale = double(fpts - 1);
  std::vector<cplx> buf2(n);
  for (const Vec* v : good) {
    for (std::size_t j = 0; j < n; ++j) buf2[j] = j < length ? v->re[j] * win[j] : 0.0;
    numeric::fft(buf2);
    auto out = std::make_unique<Vec>();
    out->name = vectorName(v->name);
    out->complex = true;
    out->re.resize(fpts);
    out->im.resize(fpts);
    out->re[0] = buf2[0].real() / scale / 2;
    for (std::size_t j = 1; j + 1 < fpts; ++j) {
      out->re[j] = buf2[j].real() / scale;
      out->im[j] = buf2[j].imag() / scale;
    }
    out->re[fpts - 1] = buf2[n / 2].real() / scale;
    p.vecs.push_back(std::move(out));
  }
  addPlot(std::move(p));
}

}  // namespace simcore::script
