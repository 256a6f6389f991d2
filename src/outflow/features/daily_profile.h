// A flow-only host's bytes out per UTC day and per hour of the day: what its own history is made
// of (the baseline "hostday" samples) and whether its uploads keep to a daily schedule (a nightly
// backup job) or run around the clock. Filled only for flow-only hosts (ProcessActivity::flow_only),
// bounded: at most kMaxDays days are kept (later days are counted, not kept), 24 hour counters.
#pragma once
#include <array>
#include <cstdint>
#include <map>

#include "outflow/core/time.h"

namespace outflow {

struct DailyProfile {
  static constexpr size_t kMaxDays = 400;
  std::map<int64_t, uint64_t> day_out;      // UTC day number -> bytes out that started that day
  std::array<uint64_t, 24> hour_out{};      // hour of the day (UTC) -> bytes out
  uint32_t days_dropped = 0;                // sessions on days beyond kMaxDays (not kept)

  static int64_t day_of(TimeNs t);
  void add(TimeNs start, uint64_t out);
  void merge(const DailyProfile& o);
  bool empty() const { return day_out.empty(); }
  // The busiest day: its number and bytes (0, 0 when empty; ties to the earliest day).
  std::pair<int64_t, uint64_t> peak() const;
  // The days that are samples of the host's normal: every day but the first and the last when
  // there are 3 or more (an input starts and ends mid-day: those days are partial).
  template <class F>
  void for_each_sample(F&& f) const {
    size_t i = 0;
    for (const auto& [d, v] : day_out) {
      const bool edge = day_out.size() >= 3 && (i == 0 || i + 1 == day_out.size());
      ++i;
      if (!edge) f(d, v);
    }
  }
  // The fewest consecutive hours of the day (wrapping midnight) that hold `share` of the bytes out:
  // 24 for traffic around the clock, a few hours for a scheduled job.
  int hours_holding(double share) const;
};

}  // namespace outflow
