// A mergeable histogram of byte counts on a logarithmic scale (four buckets per power of two,
// so a quantile is known within 19%). Robust statistics (median, p95) for baselines that can be
// stored, merged across runs and hosts, and cost 1 KiB whatever the number of samples.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

namespace outflow {

struct LogHist {
  static constexpr int kBuckets = 256;
  uint64_t n = 0;
  std::array<uint32_t, kBuckets> b{};

  static int bucket(uint64_t v);
  static uint64_t bucket_value(int i);  // a representative value (geometric middle)
  void add(uint64_t v) {
    ++n;
    auto& c = b[static_cast<size_t>(bucket(v))];
    if (c != UINT32_MAX) ++c;
  }
  void merge(const LogHist& o);
  uint64_t quantile(double q) const;  // 0 when empty
};

}  // namespace outflow
