// The simulator's own random numbers: xoshiro256** seeded through splitmix64, and the few
// distributions it needs, written here rather than taken from <random>, whose distributions
// give different numbers on different standard libraries. Same seed, same bytes, everywhere.
// Not thread-safe; one Rng per stream (per host, per scenario), so that switching a scenario
// off does not change the benign traffic of any host.
#pragma once
#include <cmath>
#include <cstdint>
#include <string_view>

namespace outflow::sim {

__extension__ typedef unsigned __int128 u128;  // GCC/Clang extension; -Wpedantic wants the marker

inline uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// A stable 64-bit hash of a label (FNV-1a), to derive named streams from one seed.
inline uint64_t stream_id(std::string_view label) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : label) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001B3ULL;
  return h;
}

class Rng {
 public:
  // A stream for (seed, stream, index): e.g. Rng(seed, stream_id("host"), host_index).
  explicit Rng(uint64_t seed, uint64_t stream = 0, uint64_t index = 0) {
    uint64_t sm = seed ^ (stream * 0xD1B54A32D192ED03ULL) ^ (index * 0x8CB92BA72F3D8DD7ULL);
    for (auto& w : s_) w = splitmix64(sm);
  }

  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // [0, n) without modulo bias (Lemire's method); n > 0.
  uint64_t below(uint64_t n) {
    u128 m = static_cast<u128>(next()) * n;
    auto low = static_cast<uint64_t>(m);
    if (low < n) {
      const uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<u128>(next()) * n;
        low = static_cast<uint64_t>(m);
      }
    }
    return static_cast<uint64_t>(m >> 64);
  }
  int64_t between(int64_t lo, int64_t hi) {  // inclusive
    return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo) + 1));
  }
  bool chance(double p) { return uniform() < p; }
  // Exponential with the given mean (waiting times of a Poisson process).
  double exponential(double mean) { return -mean * std::log1p(-uniform()); }
  // Standard normal by Box-Muller (one of the pair is dropped: simpler, and speed is not an issue).
  double normal() {
    double u1 = uniform();
    while (u1 <= 0) u1 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * uniform());
  }
  // Log-normal given its median and the sigma of its log: sizes and durations of traffic.
  double lognormal(double median, double sigma) { return median * std::exp(sigma * normal()); }
  template <typename T, size_t N>
  const T& pick(const T (&a)[N]) {
    return a[below(N)];
  }
  template <typename V>
  auto& pick(V& v) {
    return v[below(v.size())];
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace outflow::sim
