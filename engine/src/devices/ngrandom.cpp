#include "devices/ngrandom.hpp"

#include <algorithm>
#include <cmath>

namespace simcore::dev {

void NgRandom::srand(unsigned s) {
  // glibc's TYPE_3 random(): 31 words from the Lehmer generator 16807*x mod
  // (2^31 - 1) (Schrage's method in 32-bit signed arithmetic), then
  // r[i] = r[i-31] + r[i-3] mod 2^32, the first 310 of these dropped
  std::int32_t w = static_cast<std::int32_t>(s == 0 ? 1u : s);
  r_[0] = static_cast<std::uint32_t>(w);
  for (unsigned i = 1; i < 31; ++i) {
    const std::int32_t hi = w / 127773, lo = w % 127773;
    w = 16807 * lo - 2836 * hi;
    if (w < 0) w += 2147483647;
    r_[i] = static_cast<std::uint32_t>(w);
  }
  for (unsigned i = 31; i < 34; ++i) r_[i] = r_[i - 31];
  ri_ = 0;
  for (int k = 0; k < 310; ++k) rand();
}

int NgRandom::rand() {
  ++uses_;
  // the ring holds r[i-34] .. r[i-1]; slot ri_ receives r[i]
  const std::uint32_t v = r_[(ri_ + 3) % 34] + r_[(ri_ + 31) % 34];
  r_[ri_] = v;
  ri_ = (ri_ + 1) % 34;
  return static_cast<int>(v >> 1);
}

void NgRandom::tausSeed() {
  for (std::uint32_t& s : s_) s = static_cast<std::uint32_t>(static_cast<double>(rand()) / 2147483647.0 * 32638.) + 129;
}

void NgRandom::seed(unsigned s) {
  srand(s);
  tausSeed();
  seed_ = s;
  draws_ = 0;
}

namespace {
std::uint32_t taus(std::uint32_t& z, int c1, int c2, int c3, std::uint32_t m) {
  const std::uint32_t b = ((z << c1) ^ z) >> c2;
  return z = ((z & m) << c3) ^ b;
}
std::uint32_t lcg(std::uint32_t& z) { return z = 1664525u * z + 1013904223u; }
}  // namespace

double NgRandom::uniform() {
  ++draws_;
  ++uses_;
  const std::uint32_t x = taus(s_[0], 13, 19, 12, 4294967294u) ^ taus(s_[1], 2, 25, 4, 4294967288u) ^
                          taus(s_[2], 3, 11, 17, 4294967280u) ^ lcg(s_[3]);
  return 2.3283064365387e-10 * static_cast<double>(x);
}

std::uint32_t NgRandom::uniformInt() {
  ++uses_;
  return taus(s_[4], 13, 19, 12, 4294967294u) ^ taus(s_[5], 2, 25, 4, 4294967288u) ^
         taus(s_[6], 3, 11, 17, 4294967280u) ^ lcg(s_[7]);
}

// The polar method's accepted pair (v1, v2) inside the unit circle and its
// factor sqrt(-2 ln r / r).
double NgRandom::polarPair(double& v1, double& v2) {
  double r;
  do {
    v1 = drand();
    v2 = drand();
    r = v1 * v1 + v2 * v2;
  } while (r >= 1.0);
  return std::sqrt(-2.0 * std::log(r) / r);
}

double NgRandom::gauss1() {
  double v1, v2;
  const double fac = polarPair(v1, v2);
  return v2 * fac;
}

double NgRandom::gauss0() {
  if (gaussHeld_) {
    gaussHeld_ = false;
    return gaussValue_;
  }
  double v1, v2;
  const double fac = polarPair(v1, v2);
  gaussValue_ = v1 * fac;
  gaussHeld_ = true;
  heldAt_ = draws_;
  return v2 * fac;
}

double NgRandom::exprand(double mean) { return -std::log(uniform()) * mean; }

int NgRandom::poisson(double lambda) {
  const double p = uniform();
  double prob = std::exp(-lambda), sum = prob;
  if (sum >= p) return 0;
  int k = 1;
  for (; k < 1000; ++k) {
    prob *= lambda / static_cast<double>(k);
    sum += prob;
    if (sum >= p) break;
  }
  return k;
}

void NgRandom::checkSeed(int rndseed) {
  if (rndseed > 0 && rndseed != checked_) {
    seed(static_cast<unsigned>(rndseed));
    checked_ = rndseed;
  }
}

namespace {
constexpr unsigned kSeedBits = 31, kDrawBits = 23;
constexpr std::uint64_t kDrawMask = (std::uint64_t(1) << kDrawBits) - 1;
}  // namespace

std::uint64_t NgRandom::snapshot(unsigned stream) const {
  const bool held = gaussHeld_ && heldAt_ == draws_ && draws_ >= 2;
  return (std::uint64_t(1) << 63) | (std::uint64_t(held) << 62) | (std::uint64_t(stream & 0xffu) << (kSeedBits + kDrawBits)) |
         (std::min<std::uint64_t>(draws_, kDrawMask) << kSeedBits) | (seed_ & 0x7fffffffu);
}

std::pair<unsigned, unsigned> NgRandom::familyOf(std::uint64_t code) {
  const unsigned stream = static_cast<unsigned>((code >> (kSeedBits + kDrawBits)) & 0xffu);
  if (!isSnapshot(code) || stream < 0x80u) return {1u, 0u};
  return {((stream >> 3) & 7u) + 1u, stream & 7u};
}

NgRandom NgRandom::restore(std::uint64_t code) {
  unsigned s = static_cast<unsigned>(code & 0x7fffffffu);
  const unsigned stream = static_cast<unsigned>((code >> (kSeedBits + kDrawBits)) & 0xffu);
  if (stream > 0 && stream < 0x80u) {  // another seed in 1 .. 2^31 - 1, a function of both
    std::uint64_t z = (std::uint64_t(s) << 8 | stream) * 0x9E3779B97F4A7C15ull;
    z ^= z >> 29;
    s = static_cast<unsigned>(z % 2147483646u) + 1u;
  }
  NgRandom g(s);
  std::uint64_t n = (code >> kSeedBits) & kDrawMask;
  const bool held = ((code >> 62) & 1) != 0 && n >= 2;
  if (held) n -= 2;
  for (std::uint64_t k = 0; k < n; ++k) g.uniform();
  if (held) {
    const double v1 = g.drand(), v2 = g.drand(), r = v1 * v1 + v2 * v2;
    g.gaussValue_ = v1 * std::sqrt(-2.0 * std::log(r) / r);
    g.gaussHeld_ = true;
    g.heldAt_ = g.draws_;
  }
  return g;
}

}  // namespace simcore::dev
