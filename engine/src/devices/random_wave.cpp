#include "devices/random_wave.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <numbers>
#include <string>

#include "solver/fft.hpp"

namespace simcore::dev {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Counter-based random numbers: the n-th number of a stream is a hash of
// (seed, stream, n), so a value at any time needs no history.
std::uint64_t mix(std::uint64_t z) {  // SplitMix64's finaliser
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
enum Stream : std::uint64_t { kWhite = 1, kFlicker = 2 };
double uniform(std::uint64_t seed, std::uint64_t stream, std::uint64_t n) {  // [0, 1)
  return static_cast<double>(mix(mix(seed ^ (stream * 0xD1B54A32D192ED03ull)) + n) >> 11) * 0x1.0p-53;
}
double gauss(std::uint64_t seed, std::uint64_t stream, std::uint64_t n) {  // Box-Muller
  const double u1 = 1.0 - uniform(seed, stream, 2 * n), u2 = uniform(seed, stream, 2 * n + 1);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}
// ngspice's generator as the netlist reader handed it over (its snapshot in
// the seed), or one seeded from a seed made elsewhere
NgRandom generatorOf(std::uint64_t seed) {
  if (NgRandom::isSnapshot(seed)) return NgRandom::restore(seed);
  return NgRandom(static_cast<unsigned>(seed % 2147483646u) + 1u);
}


// Kasdin's 1/f^alpha noise: white noise of rms amp filtered by the
// fractional integrator with the coefficients h0 = 1, hk = h(k-1)*(alpha/2 + k - 1)/k
// (as ngspice's f_alpha, whose convolution is circular; this one is causal).
std::vector<double> flickerSamples(std::size_t n, double alpha, double amp, std::uint64_t seed) {
  std::size_t m = 1;
  while (m < 2 * n) m <<= 1;
  std::vector<std::complex<double>> h(m), w(m);
  double hk = 1.0;
  for (std::size_t k = 0; k < n; ++k) {
    if (k > 0) hk *= (alpha / 2.0 + double(k) - 1.0) / double(k);
    h[k] = hk;
    w[k] = amp * gauss(seed, kFlicker, k);
  }
  numeric::fft(h, false);
  numeric::fft(w, false);
  for (std::size_t k = 0; k < m; ++k) h[k] *= w[k];
  numeric::fft(h, true);
  std::vector<double> x(n);
  for (std::size_t k = 0; k < n; ++k) x[k] = h[k].real() / double(m);
  return x;
}

// The smallest k*ts (+ base) strictly after t.
double nextOnGrid(double t, double base, double ts) {
  const double u = (t - base) / ts;
  double k = std::floor(u + 1e-9) + 1.0;
  if (k < 0) k = 0;
  return base + k * ts;
}

}  // namespace

Result<std::shared_ptr<const RandomWave>> RandomWave::make(const ir::Waveform& w, const TranHints& h,
                                                           std::string_view owner) {
  auto err = [&](const std::string& m) { return makeError(ErrorCode::Semantic, std::string(owner) + ": " + m, w.loc); };
  auto r = std::make_shared<RandomWave>();
  const auto& a = w.args;
  auto arg = [&](std::size_t i, double def) { return i < a.size() ? a[i] : def; };
  r->seed_ = w.seed;
  r->noise_ = w.kind == ir::WaveKind::TrNoise;
  // the longest run these samples serve (none without a transient)
  const double tstop = h.tstop > 0 ? h.tstop : 0.0;
  if (r->noise_) {
    if (a.size() < 2 || a.size() > 7) return err("TRNOISE needs 2 to 7 values: na ts [nalpha namp [rtsam rtscapt rtsemt]]");
    r->na_ = a[0];
    r->ts_ = a[1];
    const double alpha = arg(2, 0), namp = alpha != 0 ? arg(3, 0) : 0.0;
    r->rtsam_ = arg(4, 0);
    const double capt = r->rtsam_ != 0 ? arg(5, 0) : 0.0, emt = r->rtsam_ != 0 ? arg(6, 0) : 0.0;
    if (r->na_ < 0 || r->ts_ < 0 || namp < 0) return err("TRNOISE values na, ts and namp must not be negative");
    if (alpha < 0 || alpha > 2) return err("TRNOISE exponent nalpha must be in [0, 2]");
    if (r->rtsam_ < 0) return err("TRNOISE rtsam must not be negative");
    if (capt < 0 || emt < 0) return err("TRNOISE rtscapt and rtsemt must not be negative");
    if ((r->na_ > 0 || namp > 0) && r->ts_ == 0) return err("TRNOISE needs a time step ts > 0");
    if (alpha > 0 && namp > 0 && r->ts_ > 0 && tstop > 0) {
      const double steps = std::floor(tstop / r->ts_) + 10;  // ngspice's count
      if (steps > double(1 << 22)) return err("TRNOISE 1/f noise: tstop/ts is above 4 million samples");
      r->flicker_ = flickerSamples(std::size_t(steps), alpha, namp, r->seed_);
    }
    if (r->rtsam_ > 0 && capt == 0 && emt == 0) {
      // both times 0 (or not given): as ngspice, captured from t = 0 and never
      // released, a constant offset rtsam
      r->rts_ = {0.0, kInf};
    } else if (r->rtsam_ > 0 && tstop > 0) {
      // as ngspice's transient: at t = 0 a capture exprand(capt) later and an
      // emission exprand(emt) after it; at each emission the next pair
      NgRandom g = generatorOf(r->seed_);
      double t = 0;
      while (t <= tstop && r->rts_.size() < 20000000) {
        t += g.exprand(capt);
        r->rts_.push_back(t);
        t += g.exprand(emt);
        r->rts_.push_back(t);
      }
    }
    return std::shared_ptr<const RandomWave>(std::move(r));
  }
  if (a.size() < 2 || a.size() > 5) return err("TRRANDOM needs 2 to 5 values: type ts [td [param1 [param2]]]");
  r->type_ = int(a[0]);
  if (double(r->type_) != a[0] || r->type_ < 1 || r->type_ > 4)
    return err("TRRANDOM type must be 1 (uniform), 2 (Gaussian), 3 (exponential) or 4 (Poisson)");
  r->ts_ = a[1];
  r->td_ = arg(2, 0);
  r->p1_ = arg(3, 1);
  r->p2_ = arg(4, 0);
  if (!(r->ts_ > 0)) return err("TRRANDOM needs a time step ts > 0");
  if (r->td_ < 0) return err("TRRANDOM delay td must not be negative");
  if (r->type_ == 4 && r->p1_ < 0) return err("TRRANDOM Poisson lambda (param1) must not be negative");
  if (tstop > r->td_) {
    // ngspice draws when it accepts TD + n*TS: the values of the whole run, in order
    const double count = std::floor((tstop - r->td_) / r->ts_) + 2;
    if (count > double(1 << 24)) return err("TRRANDOM: (tstop - td)/ts is above 16 million draws");
    NgRandom g = generatorOf(r->seed_);
    // the k-th of m sources of this type and grid drawing in turn (ngspice's
    // order): every draw of the others taken from the stream too (the number
    // of uniform numbers a draw takes does not depend on param1)
    const auto [m, k] = NgRandom::familyOf(r->seed_);
    r->draws_.resize(std::size_t(count));
    for (double& v : r->draws_) {
      for (unsigned i = 0; i < m; ++i) {
        double x = 0;
        switch (r->type_) {
          case 1: x = r->p1_ * g.drand() + r->p2_; break;
          case 2: x = r->p1_ * g.gauss0() + r->p2_; break;
          case 3: x = g.exprand(r->p1_) + r->p2_; break;
          default: x = double(g.poisson(r->p1_)) + r->p2_; break;
        }
        if (i == k) v = x;
      }
    }
  }
  return std::shared_ptr<const RandomWave>(std::move(r));
}

double RandomWave::sample(std::int64_t n) const {
  if (n <= 0) return 0.0;  // the first sample is zero, as ngspice's
  double v = na_ != 0 ? na_ * gauss(seed_, kWhite, std::uint64_t(n)) : 0.0;
  if (!flicker_.empty()) v += flicker_[std::min<std::size_t>(std::size_t(n), flicker_.size() - 1)] - flicker_[0];
  return v;
}

double RandomWave::draw(std::int64_t n) const {
  if (draws_.empty()) return p2_;  // no transient: nothing drawn
  return draws_[std::min<std::size_t>(std::size_t(std::max<std::int64_t>(n, 0)), draws_.size() - 1)];
}

double RandomWave::value(double t) const {
  if (!noise_) {
    // as ngspice, which draws when it accepts the point TD + n*TS: PARAM2 up to
    // TD, draw n on (TD + n*TS, TD + (n+1)*TS]
    const double tt = t - td_;
    if (tt <= 0) return p2_;
    return draw(std::max<std::int64_t>(0, std::int64_t(std::ceil(tt / ts_ - 1e-9)) - 1));
  }
  double v = 0;
  if (ts_ > 0 && t > 0) {
    const double u = t / ts_;
    const std::int64_t n = std::int64_t(std::floor(u));
    const double v1 = sample(n), v2 = sample(n + 1);
    v = v1 + (v2 - v1) * (u - double(n));
  }
  if (!rts_.empty()) {
    // high from a capture (even index) up to and at the emission after it (as
    // ngspice, which moves to the next capture when it accepts the emission's
    // point); the times as the step control hits them, to a relative 1e-12
    const double eps = 1e-12 * std::abs(t) + 1e-300;
    const auto it = std::upper_bound(rts_.begin(), rts_.end(), t + eps);
    const std::size_t k = std::size_t(it - rts_.begin());
    if (k > 0 && ((k - 1) % 2 == 0 || std::abs(t - rts_[k - 1]) <= eps)) v += rtsam_;
  }
  return v;
}

double RandomWave::nextBreakpoint(double t) const {
  if (!noise_) return nextOnGrid(t, td_, ts_);
  double best = ts_ > 0 ? nextOnGrid(t, 0.0, ts_) : kInf;
  if (!rts_.empty()) {
    const auto it = std::upper_bound(rts_.begin(), rts_.end(), t * (1 + 1e-12) + 1e-300);
    if (it != rts_.end()) best = std::min(best, *it);
  }
  return best;
}

}  // namespace simcore::dev
