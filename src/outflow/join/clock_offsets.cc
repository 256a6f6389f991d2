#include "outflow/join/clock_offsets.h"

#include <algorithm>

namespace outflow {

void ClockOffsets::add_sample(HostId host, TimeNs d) {
  if (d > kMaxPlausible || d < -kMaxPlausible) return;
  auto& h = hosts_[host];
  ++h.total;
  if (h.samples.size() < kMaxSamples) h.samples.push_back(d);
}

OffsetEstimate ClockOffsets::estimate(HostId host) const {
  auto it = hosts_.find(host);
  if (it == hosts_.end()) return {};
  const PerHost& h = it->second;
  const uint64_t n = h.samples.size();
  // Recompute when the sample count has grown by an eighth (cheap amortised median).
  if (h.cached_at != 0 && n < h.cached_at + h.cached_at / 8 + 1) return h.cached;
  std::vector<TimeNs> v = h.samples;
  OffsetEstimate e;
  e.samples = h.total;
  if (!v.empty()) {
    std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
    e.offset = v[v.size() / 2];
    for (auto& x : v) x = x > e.offset ? x - e.offset : e.offset - x;
    std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
    e.mad = v[v.size() / 2];
  }
  e.known = n >= kMinSamples;
  h.cached = e;
  h.cached_at = n;
  return e;
}

}  // namespace outflow
