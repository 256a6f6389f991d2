#include "outflow/score/host_baseline.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

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

}  // namespace

bool score_host_baseline(const ScoreContext& sc, const ProcessActivity& a, Finding& f, bool active) {
  const DetectConfig& c = sc.cfg;
  if (!a.flow_only() || a.daily.empty() || a.volume_mostly_unknown()) return active;
  const auto [day, v] = a.daily.peak();
  if (v < c.volume_notable) return active;
  bool peak_is_sample = false;
  a.daily.for_each_sample([&](int64_t d, uint64_t) { peak_is_sample |= d == day; });

  LogHist own, role;
  const bool have_own = days_without_peak(sc.base, Baselines::volume_key_host_day(entity_host_key(sc.pipe, a)), v, peak_is_sample, own);
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
  const DestActivity& top = a.dests[f.dests[0].index];
  // Used before: on more than one day of this input, or in the state's history of this host.
  const bool several_days = (top.first != kNoTime && top.last != kNoTime &&
                             DailyProfile::day_of(top.last) > DailyProfile::day_of(top.first)) ||
                            (sc.state && sc.state->runs > 0 && !f.dests[0].new_for_host);
  if (static_cast<double>(v) > 2.0 * static_cast<double>(med) || hours > static_cast<int>(c.scheduled_job_hours) || !several_days)
    return active;
  for (auto& x : f.factors) {
    if (!volume_family(x.name) || x.contribution <= 0) continue;
    x.contribution = std::round(x.contribution * 2.5) / 10;  // a quarter, to 0.1
    x.detail += " (a quarter: routine for this host)";
  }
  f.factors.push_back(Factor{"host_routine", fmt::format("{} on its busiest day ({})", human_bytes(v), day_text(day)),
                             fmt::format("<= 2x its median day, 90% within {} h of the day", c.scheduled_job_hours),
                             fmt::format("this host: median {}/day over {} other day(s); 90% of its bytes out in {} h of the day",
                                         human_bytes(med), own.n, hours),
                             "the same volume every day, in the same hours, to a destination it used before: a scheduled job "
                             "(backup, sync); its volume factors count a quarter",
                             0});
  return active;
}

}  // namespace outflow
