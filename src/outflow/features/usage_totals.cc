#include "outflow/features/usage_totals.h"

#include <algorithm>
#include <set>

#include "outflow/core/win_path.h"
#include "outflow/features/usage_aggregate.h"
#include "outflow/read/srum/srum_decode.h"

namespace outflow {

std::string usage_executable(const srum::UsageRecord& r) {
  if (r.kind != srum::ProgramKind::path) return {};
  return canonical_win_path(srum::program_of_app_info(r.program));
}

std::string usage_program_key(const srum::UsageRecord& r) {
  std::string k = usage_executable(r);
  if (k.empty()) k = r.program;
  if (k.empty()) k = "app id " + std::to_string(r.app_id);
  return k;
}

std::string usage_user_key(const srum::UsageRecord& r) {
  return r.user_sid.empty() ? "user id " + std::to_string(r.user_id) : r.user_sid;
}

const ProgramNames::Names& ProgramNames::of(const srum::UsageRecord& r) {
  if (r.program.empty()) {  // named by its id: nothing to cache
    scratch_ = {usage_executable(r), usage_program_key(r)};
    return scratch_;
  }
  std::string k = r.program;
  k.push_back(static_cast<char>('0' + static_cast<int>(r.kind)));
  auto it = cache_.find(k);
  if (it == cache_.end()) it = cache_.emplace(std::move(k), Names{usage_executable(r), usage_program_key(r)}).first;
  return it->second;
}

void ProgramUsage::add_peak(const UsagePeak& p) {
  const auto more = [](const UsagePeak& a, const UsagePeak& b) {
    if (a.sent != b.sent) return a.sent > b.sent;
    if (a.end != b.end) return a.end < b.end;
    return a.input < b.input;
  };
  if (peaks.size() == kPeaks && !more(p, peaks.back())) return;
  peaks.insert(std::upper_bound(peaks.begin(), peaks.end(), p, more), p);
  if (peaks.size() > kPeaks) peaks.pop_back();
}

UsageTotals usage_totals(const std::vector<UsageInput>& inputs) {
  std::vector<std::string> hosts;
  for (const auto& in : inputs) hosts.push_back(in.host);
  UsageAggregator agg(std::move(hosts));
  for (size_t k = 0; k < inputs.size(); ++k) {
    agg.begin_input(k, inputs[k].file, inputs[k].processes);
    for (const auto& r : inputs[k].file->rows) agg.on_usage(r);
    agg.end_input();
  }
  return agg.totals();
}

std::vector<size_t> drop_rows_read_twice(const std::vector<std::string>& hosts, std::vector<srum::UsageFile*>& files) {
  std::vector<size_t> dropped(files.size(), 0);
  std::set<RowFingerprint> seen;
  ProgramNames names;
  for (size_t k = 0; k < files.size(); ++k) {
    std::vector<RowFingerprint> mine;
    auto& rows = files[k]->rows;
    size_t out = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
      const RowFingerprint fp = row_fingerprint(hosts[k], rows[i], names);
      if (seen.count(fp)) {
        ++dropped[k];
        continue;
      }
      mine.push_back(fp);
      if (out != i) rows[out] = std::move(rows[i]);
      ++out;
    }
    rows.resize(out);
    seen.insert(mine.begin(), mine.end());  // rows repeated within one input are SRUM's own
  }
  return dropped;
}

std::vector<TimeNs> distinct_stamps(const srum::UsageFile& f) {
  std::vector<TimeNs> s;
  s.reserve(f.rows.size());
  for (const auto& r : f.rows) s.push_back(r.end);
  std::sort(s.begin(), s.end());
  s.erase(std::unique(s.begin(), s.end()), s.end());
  return s;
}

UsageSpan usage_span(const srum::UsageFile& f) { return usage_span(distinct_stamps(f)); }

UsageSpan usage_span(const std::vector<TimeNs>& t) {
  UsageSpan s;
  if (t.empty()) return s;
  s.first = t.front();
  s.last = t.back();
  s.intervals = t.size();
  for (size_t i = 1; i < t.size(); ++i) {
    const TimeNs d = t[i] - t[i - 1];
    if (d > 2 * 3600 * kNsPerSec) ++s.gaps;
    s.longest_gap = std::max(s.longest_gap, d);
  }
  return s;
}

TimeNs interval_start(const std::vector<TimeNs>& stamps, TimeNs end, bool& estimated) {
  constexpr TimeNs kHour = 3600 * kNsPerSec, kMaxGap = kHour + 10 * 60 * kNsPerSec;
  const auto it = std::lower_bound(stamps.begin(), stamps.end(), end);
  if (it != stamps.begin() && end - *std::prev(it) <= kMaxGap) {
    estimated = false;
    return *std::prev(it);
  }
  estimated = true;
  return end - kHour;
}

}  // namespace outflow
