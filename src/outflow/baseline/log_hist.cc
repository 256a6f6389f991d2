#include "outflow/baseline/log_hist.h"

#include <bit>
#include <cmath>

namespace outflow {

int LogHist::bucket(uint64_t v) {
  if (v < 4) return static_cast<int>(v);  // 0..3 exact
  const int hi = 63 - std::countl_zero(v);              // floor(log2 v) >= 2
  const int sub = static_cast<int>((v >> (hi - 2)) & 3);  // the two bits after the leading one
  return hi * 4 + sub - 4;                               // 4..255
}

uint64_t LogHist::bucket_value(int i) {
  if (i < 4) return static_cast<uint64_t>(i);
  const int hi = (i + 4) / 4, sub = (i + 4) % 4;
  const double lo = std::ldexp(1.0 + sub / 4.0, hi), up = std::ldexp(1.0 + (sub + 1) / 4.0, hi);
  return static_cast<uint64_t>(std::sqrt(lo * up));
}

void LogHist::merge(const LogHist& o) {
  n += o.n;
  for (int i = 0; i < kBuckets; ++i) {
    const uint64_t s = uint64_t{b[i]} + o.b[i];
    b[i] = s > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(s);
  }
}

uint64_t LogHist::quantile(double q) const {
  uint64_t total = 0;
  for (auto c : b) total += c;
  if (total == 0) return 0;
  const double target = q * static_cast<double>(total);
  uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += b[i];
    if (static_cast<double>(seen) >= target && b[i]) return bucket_value(i);
  }
  return bucket_value(kBuckets - 1);
}

}  // namespace outflow
