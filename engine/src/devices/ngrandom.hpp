// ngspice 39's random numbers, reimplemented (the numbers, not the code):
//   * the C library's rand() as glibc draws it (srand(s): an additive feedback
//     generator r[i] = r[i-3] + r[i-31] started by a Lehmer sequence, the first
//     310 outputs dropped; rand() returns r[i] >> 1), used by ngspice to seed
//     its own generator and for the rnd() vector function;
//   * a combined Tausworthe (taus88) and LCG generator of 32-bit numbers with
//     four words of state, seeded by TausSeed: each word from one rand(),
//     (rand()/RAND_MAX) * 32638 + 129 truncated; two such generators (doubles
//     and integers) are seeded by eight rand() calls in a row;
//   * uniform(): the combined word times 2.3283064365387e-10, in [0, 1);
//     drand() = 2*uniform() - 1; gauss1(): the polar Box-Muller method, one
//     value per accepted pair (v2*fac); gauss0(): the same, two values per pair
//     (first v2*fac, then, at the next call, v1*fac); exprand(mean) =
//     -log(uniform())*mean; poisson(lambda): the inverse of the cumulative
//     distribution against one uniform() (at most 1000).
// The state is a value: pass it where numbers are drawn (no globals).
#pragma once

#include <array>
#include <cstdint>
#include <utility>

namespace simcore::dev {

class NgRandom {
 public:
  NgRandom() { seed(1); }
  explicit NgRandom(unsigned s) { seed(s); }

  // srand(s) then TausSeed(): what ngspice's setseed, .options seed and
  // set rndseed (at the next vector random function) do.
  void seed(unsigned s);
  unsigned seedValue() const { return seed_; }
  // Numbers drawn from the double generator since the last seed (uniform() calls).
  std::uint64_t draws() const { return draws_; }
  // Grows with every number drawn or seed applied: tells whether a piece of
  // work touched the generator.
  std::uint64_t uses() const { return uses_; }

  // glibc srand()/rand() (RAND_MAX 2147483647)
  void srand(unsigned s);
  int rand();
  // ngspice's TausSeed(): the generators' states from eight rand() calls
  void tausSeed();

  double uniform();            // CombLCGTaus: [0, 1)
  std::uint32_t uniformInt();  // CombLCGTausInt: the integer generator
  double drand() { return 2.0 * uniform() - 1.0; }  // [-1, 1)
  double gauss0();
  double gauss1();
  double exprand(double mean);
  int poisson(double lambda);

  // ngspice's checkseed(): the vector functions (sunif sgauss rnd poisson
  // exponential) reseed when the variable rndseed (> 0) differs from the seed
  // they last applied (none at start-up, so the first of them always reseeds).
  void checkSeed(int rndseed);

  // The state as one 64-bit word that restore() turns back into it: the seed
  // (31 bits), the number of draws since (below 2^23) and gauss0's held value
  // when its pair was the last draw. Hands a random source the generator as
  // the netlist reader left it. stream: 0 this stream; 1 to 127 another one
  // (restore seeds it from the seed and the stream number, then draws as
  // many), for a random source that does not draw in ngspice's known order;
  // familyStream(m, k): this stream, which the k-th of m sources drawing in
  // turn shares (streamOf tells the source m and k).
  std::uint64_t snapshot(unsigned stream = 0) const;
  static NgRandom restore(std::uint64_t code);
  static bool isSnapshot(std::uint64_t code) { return (code >> 63) != 0; }
  static unsigned familyStream(unsigned m, unsigned k) { return 0x80u | ((m - 1) & 7u) << 3 | (k & 7u); }
  // The family of a snapshot: {m, k}, {1, 0} for a source alone.
  static std::pair<unsigned, unsigned> familyOf(std::uint64_t code);

 private:
  double polarPair(double& v1, double& v2);

  std::array<std::uint32_t, 34> r_{};  // glibc's ring of the last 34 words
  unsigned ri_ = 0;
  std::array<std::uint32_t, 8> s_{};  // Tausworthe/LCG states: 0..3 doubles, 4..7 integers
  bool gaussHeld_ = false;
  double gaussValue_ = 0;
  std::uint64_t heldAt_ = 0;  // draws_ when gauss0 made its held value
  unsigned seed_ = 1;
  std::uint64_t draws_ = 0;
  int checked_ = 0;  // checkseed's last applied seed
  std::uint64_t uses_ = 0;
};

}  // namespace simcore::dev
