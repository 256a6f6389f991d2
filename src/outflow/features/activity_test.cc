// Per-process activity: window buckets of a process that runs for days are folded into their
// peak, so memory follows the last days, and the peak is still the peak.
#include "outflow/features/activity.h"

#include <gtest/gtest.h>

#include "outflow/testing/collect_sink.h"

namespace outflow {
namespace {

TEST(Activity, WindowBucketsOfALongRunningProcessAreFoldedIntoTheirPeak) {
  ActivityAggregator::Options o;
  o.window = 900 * kNsPerSec;
  o.fold_after = 48 * 3600 * kNsPerSec;
  ActivityAggregator agg(o);
  Attribution a;
  a.status = AttributionStatus::matched;
  a.host = 0;
  a.proc = 7;
  a.host_is_orig = true;
  const TimeNs t0 = 1'700'000'000 * kNsPerSec / (900 * kNsPerSec) * (900 * kNsPerSec);  // on a bucket edge
  const TimeNs big_at = t0 + 30 * 3600 * kNsPerSec;  // day 2
  size_t most_buckets = 0;
  // Ten days, a session every 15 minutes, 1 kB each, and one of 5 MB on day 2.
  for (int i = 0; i < 10 * 96; ++i) {
    Session s;
    s.orig_h = testing::ip("10.0.0.5");
    s.resp_h = testing::ip("203.0.113.7");
    s.orig_p = static_cast<uint16_t>(40000 + i % 1000);
    s.resp_p = 443;
    s.proto = kProtoTcp;
    s.start = t0 + i * 900 * kNsPerSec + kNsPerSec;
    s.end = s.start + 10 * kNsPerSec;
    s.orig_bytes = s.start - kNsPerSec == big_at ? 5'000'000 : 1'000;
    agg.add(s, a);
    most_buckets = std::max(most_buckets, agg.processes().front().window_out.size());
  }
  const ProcessActivity& p = agg.processes().front();
  // At most twice the 192 buckets of 48 hours are held at once, not 960.
  EXPECT_LE(most_buckets, 2u * 192 + 1);
  EXPECT_GT(p.folded_peak, 0u);
  EXPECT_EQ(p.peak_window_out(), 5'000'000u);
  EXPECT_EQ(p.peak_window(), big_at / (900 * kNsPerSec));
  EXPECT_EQ(p.bytes_out, 5'000'000u + 959 * 1'000u);
}

}  // namespace
}  // namespace outflow
