// Per-host clock offset between the host's event times and the sensor's flow times.
//
// Real recordings disagree by seconds to hours. Each unambiguous match - a flow whose 5-tuple
// appears in exactly one connection event anywhere - is a sample of (flow start - event time);
// the estimate is the median, its spread the median absolute deviation. Samples are capped
// per host (the first kMaxSamples are kept: enough for a robust median).
#pragma once
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "outflow/lineage/host_registry.h"
#include "outflow/core/time.h"

namespace outflow {

struct OffsetEstimate {
  bool known = false;     // at least kMinSamples samples
  TimeNs offset = 0;      // add to host time to get sensor time
  TimeNs mad = 0;         // median absolute deviation of the samples
  uint64_t samples = 0;
};

class ClockOffsets {
 public:
  // 4,096 samples give the median to well within a second; more only cost memory (32 KB per
  // host at most; 20,000 made the samples the largest growing table of a multi-day run).
  static constexpr size_t kMaxSamples = 4096;
  static constexpr uint64_t kMinSamples = 3;
  // Samples beyond this are not clock skew but a mismatch (port reuse days apart).
  static constexpr TimeNs kMaxPlausible = 2 * 86400 * kNsPerSec;

  void add_sample(HostId host, TimeNs flow_minus_event);
  OffsetEstimate estimate(HostId host) const;  // cached; recomputed as samples grow

 private:
  struct PerHost {
    std::vector<TimeNs> samples;
    uint64_t total = 0;
    mutable OffsetEstimate cached;
    mutable uint64_t cached_at = 0;
  };
  std::unordered_map<HostId, PerHost> hosts_;
};

}  // namespace outflow
