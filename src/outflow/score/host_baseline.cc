#include "outflow/score/host_baseline.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include <climits>
#include <unordered_map>

#include "outflow/score/hunter.h"

namespace outflow {

namespace {

constexpr TimeNs kDay = 86400 * kNsPerSec;

// A baseline of days without the host's busiest day (when that day is one of its samples).
bool days_without_peak(const Baselines& base, const std::string& key, uint64_t peak, bool peak_is_sample, LogHist& h) {
  auto it = base.volume.find(key);
  if (it == base.volume.end()) return false;
  h = it->second;
  auto& own = h.b[static_cast<size_t>(LogHist::bucket(peak))];
  if (peak_is_sample && own > 0 && h.n > 0) --own, --h.n;
  return true;
}

std::string day_text(int64_t day) { return format_time(day * kDay).substr(0, 10); }

// The factors whose points come from how much was sent (and how long, how often): what a
// scheduled job does every day.
bool volume_family(const std::string& n) {
  return n == "volume_out" || n == "large_session" || n == "burst" || n == "upload_ratio" || n == "long_session" ||
         n == "cumulative_duration" || n == "repeated_connections";
}

// Bytes out a flow-only host's volume counts (to destinations neither common in the organisation
// nor two-way, as score_activity counts them) that went to destinations (by prevalence key) it
// used on one day only of this input and never before (the state): what a one-off upload sends.
uint64_t one_day_upload(const ScoreContext& sc, const ProcessActivity& a, const std::string& host_key) {
  const DetectConfig& c = sc.cfg;
  const bool rarity_known = sc.org_hosts >= c.rarity_min_hosts;
  const uint32_t common_hosts = std::max<uint32_t>(3, (sc.org_hosts + 3) / 4);
  struct Span {
    int64_t first = INT64_MAX, last = INT64_MIN;
    uint64_t counted = 0;
  };
  std::unordered_map<std::string, Span> keys;
  for (const auto& d : a.dests) {
    if (d.first == kNoTime) continue;
    const std::string k = destination_key(d);
    Span& s = keys[k];
    s.first = std::min(s.first, DailyProfile::day_of(d.first));
    s.last = std::max(s.last, DailyProfile::day_of(d.last != kNoTime ? d.last : d.first));
    auto it = sc.base.dests.find(k);
    const bool common = rarity_known && it != sc.base.dests.end() && it->second.hosts >= common_hosts;
    if (!common && d.bytes_out >= 2 * d.bytes_in) s.counted += d.bytes_out;
  }
  uint64_t once = 0;
  for (const auto& [k, s] : keys) {
    if (s.counted == 0 || s.last > s.first) continue;
    if (sc.state && sc.state->runs > 0 && sc.state->dest_host.count(Baselines::key2(k, host_key))) continue;
    once += s.counted;
  }
  return once;
}

}  // namespace

bool score_host_baseline(const ScoreContext& sc, const ProcessActivity& a, Finding& f, bool active) {
  const DetectConfig& c = sc.cfg;
  if (!a.flow_only() || a.daily.empty() || a.volume_mostly_unknown()) return active;
  // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
  const std::pair<int64_t, uint64_t> peak = a.daily.peak();
  const int64_t day = peak.first;
  const uint64_t v = peak.second;
  if (v < c.volume_notable) return active;
  bool peak_is_sample = false;
  a.daily.for_each_sample([&](int64_t d, uint64_t) { peak_is_sample |= d == day; });

  LogHist own, role;
  const std::string host_key = entity_host_key(sc.pipe, a);
  const bool have_own = days_without_peak(sc.base, Baselines::volume_key_host_day(host_key), v, peak_is_sample, own);
  const bool have_role = !f.host_role.empty() &&
                         days_without_peak(sc.base, Baselines::volume_key_role_day(f.host_role), v, peak_is_sample, role);
  auto above = [&](const LogHist& h) {
    return static_cast<double>(v) > c.baseline_factor * static_cast<double>(std::max<uint64_t>(h.quantile(0.5), 1)) &&
           v > h.quantile(0.95);
  };
  const LogHist* judge = nullptr;
  std::string scope;
  if (have_own && own.n >= c.host_baseline_min_days) {
    judge = &own, scope = "this host";
  } else if (have_role && role.n >= c.baseline_min_samples) {
    judge = &role, scope = "hosts of role " + f.host_role;
  }
  if (judge && above(*judge)) {
    f.factors.push_back(Factor{"volume_vs_baseline", fmt::format("{} on {}", human_bytes(v), day_text(day)),
                               fmt::format("> {}x median and > p95", c.baseline_factor),
                               fmt::format("{}: median {}/day, p95 {} over {} other day(s)", scope, human_bytes(judge->quantile(0.5)),
                                           human_bytes(judge->quantile(0.95)), judge->n),
                               "far more than " + scope + " usually sends in a day", 10});
    return true;
  }

  // A scheduled job: the same volume on its other days, in the same hours, to the same place.
  if (!have_own || own.n == 0 || c.scheduled_job_hours == 0 || f.dests.empty()) return active;
  const uint64_t med = own.quantile(0.5);
  const int hours = a.daily.hours_holding(0.9);
  // Not above its own days (the test above, with whatever days it has), in the same hours, and
  // nothing notable uploaded to a destination it used on one day only.
  if (above(own) || hours > static_cast<int>(c.scheduled_job_hours) ||
      one_day_upload(sc, a, host_key) >= c.volume_notable)
    return active;
  for (auto& x : f.factors) {
    if (!volume_family(x.name) || x.contribution <= 0) continue;
    x.contribution = std::round(x.contribution * 2.5) / 10;  // a quarter, to 0.1
    x.detail += " (a quarter: routine for this host)";
  }
  f.factors.push_back(Factor{"host_routine", fmt::format("{} on its busiest day ({})", human_bytes(v), day_text(day)),
                             fmt::format("<= {}x its median day or <= its p95, 90% within {} h of the day", c.baseline_factor,
                                         c.scheduled_job_hours),
                             fmt::format("this host: median {}/day over {} other day(s); 90% of its bytes out in {} h of the day",
                                         human_bytes(med), own.n, hours),
                             "the same volume every day, in the same hours, to destinations it used on other days: this "
                             "host's routine (a scheduled backup or sync, a daily workload); its volume factors count a quarter",
                             0});
  return active;
}

}  // namespace outflow
