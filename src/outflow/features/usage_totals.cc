#include "outflow/features/usage_totals.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "outflow/core/win_path.h"
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

namespace {

void widen(TimeNs& first, TimeNs& last, TimeNs t) {
  if (first == kNoTime || t < first) first = t;
  if (last == kNoTime || t > last) last = t;
}

}  // namespace

UsageTotals usage_totals(const std::vector<UsageInput>& inputs) {
  std::map<std::tuple<std::string, std::string, std::string>, ProgramUsage> progs;
  std::map<std::pair<std::string, uint64_t>, InterfaceUsage> ifs;
  ProgramNames program_names;
  for (const auto& in : inputs) {
    for (const auto& r : in.file->rows) {
      if (r.interface_total) {
        auto& u = ifs[{in.host, r.interface_luid}];
        u.host = in.host;
        u.luid = r.interface_luid;
        u.sent += r.bytes_sent;
        u.recvd += r.bytes_recvd;
        ++u.intervals;
        widen(u.first, u.last, r.end);
        continue;
      }
      const ProgramNames::Names& names = program_names.of(r);
      std::string key = names.key, user = usage_user_key(r);
      auto& u = progs[{in.host, key, user}];
      if (u.intervals == 0) {
        u.host = in.host;
        u.program = r.program.empty() ? key : r.program;
        u.executable = names.executable;
        u.key = std::move(key);
        u.user_key = std::move(user);
        u.kind = r.kind;
        u.user_sid = r.user_sid;
      }
      if (u.user_name.empty()) u.user_name = r.user_name;
      u.sent += r.bytes_sent;
      u.recvd += r.bytes_recvd;
      ++u.intervals;
      widen(u.first, u.last, r.end);
    }
  }
  UsageTotals t;
  for (auto& [k, u] : progs) t.programs.push_back(std::move(u));
  std::stable_sort(t.programs.begin(), t.programs.end(), [](const ProgramUsage& a, const ProgramUsage& b) {
    if (a.sent != b.sent) return a.sent > b.sent;
    return a.recvd > b.recvd;
  });
  for (auto& [k, u] : ifs) t.interfaces.push_back(u);
  std::stable_sort(t.interfaces.begin(), t.interfaces.end(), [](const InterfaceUsage& a, const InterfaceUsage& b) {
    if (a.host != b.host) return a.host < b.host;
    return a.sent > b.sent;
  });
  return t;
}

std::vector<size_t> drop_rows_read_twice(const std::vector<std::string>& hosts, std::vector<srum::UsageFile*>& files) {
  std::vector<size_t> dropped(files.size(), 0);
  std::set<std::tuple<std::string, std::string, std::string, uint64_t, uint64_t, uint64_t, TimeNs>> seen;
  ProgramNames names;
  for (size_t k = 0; k < files.size(); ++k) {
    std::vector<std::tuple<std::string, std::string, std::string, uint64_t, uint64_t, uint64_t, TimeNs>> mine;
    auto& rows = files[k]->rows;
    size_t out = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
      const auto& r = rows[i];
      const TimeNs minute = (r.end + 30 * kNsPerSec) / (60 * kNsPerSec);
      auto key = std::make_tuple(hosts[k], r.interface_total ? std::string("(interface total)") : names.of(r).key,
                                 r.interface_total ? std::string() : usage_user_key(r), r.interface_luid, r.bytes_sent,
                                 r.bytes_recvd, minute);
      if (seen.count(key)) {
        ++dropped[k];
        continue;
      }
      mine.push_back(std::move(key));
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

UsageSpan usage_span(const srum::UsageFile& f) {
  UsageSpan s;
  const std::vector<TimeNs> t = distinct_stamps(f);
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
