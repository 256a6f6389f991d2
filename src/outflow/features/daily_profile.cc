#include "outflow/features/daily_profile.h"

namespace outflow {

int64_t DailyProfile::day_of(TimeNs t) {
  constexpr TimeNs kDay = 86400 * kNsPerSec;
  return t >= 0 ? t / kDay : -((-t + kDay - 1) / kDay);
}

void DailyProfile::add(TimeNs start, uint64_t out) {
  if (start == kNoTime || out == 0) return;
  const int64_t d = day_of(start);
  auto it = day_out.find(d);
  if (it == day_out.end()) {
    if (day_out.size() >= kMaxDays) {
      ++days_dropped;
      return;
    }
    it = day_out.emplace(d, 0).first;
  }
  it->second += out;
  const TimeNs in_day = start - d * 86400 * kNsPerSec;
  hour_out[static_cast<size_t>(in_day / (3600 * kNsPerSec)) % 24] += out;
}

void DailyProfile::merge(const DailyProfile& o) {
  for (const auto& [d, v] : o.day_out) {
    auto it = day_out.find(d);
    if (it != day_out.end()) it->second += v;
    else if (day_out.size() < kMaxDays) day_out.emplace(d, v);
    else ++days_dropped;
  }
  for (size_t h = 0; h < 24; ++h) hour_out[h] += o.hour_out[h];
  days_dropped += o.days_dropped;
}

std::pair<int64_t, uint64_t> DailyProfile::peak() const {
  std::pair<int64_t, uint64_t> best{0, 0};
  for (const auto& [d, v] : day_out)
    if (v > best.second) best = {d, v};
  return best;
}

int DailyProfile::hours_holding(double share) const {
  uint64_t total = 0;
  for (uint64_t v : hour_out) total += v;
  if (total == 0) return 24;
  const double need = share * static_cast<double>(total);
  for (int w = 1; w < 24; ++w) {
    for (int s = 0; s < 24; ++s) {
      uint64_t sum = 0;
      for (int k = 0; k < w; ++k) sum += hour_out[static_cast<size_t>((s + k) % 24)];
      if (static_cast<double>(sum) >= need) return w;
    }
  }
  return 24;
}

}  // namespace outflow
