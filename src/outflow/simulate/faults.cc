#include "outflow/simulate/faults.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>

#include "outflow/simulate/rng.h"
#include "outflow/write/json_out.h"

namespace outflow::sim {

namespace {

constexpr std::string_view kSyntax =
    "expected EVENT:SKEW[@HOSTS], e.g. 3:-5d@2 (EVENT 1, 3, 5, 22 or ts; SKEW a signed number with s, m, h, d or w; "
    "HOSTS a count or all)";
constexpr double kMaxSkewSeconds = 3650.0 * 86400;

bool parse_event(std::string_view s, int& event) {
  if (s == "ts") return event = ClockSkewSpec::kShipperTime, true;
  for (const int id : {1, 3, 5, 22})
    if (s == std::to_string(id)) return event = id, true;
  return false;
}

// "-5d", "+19h", "1.5h", "90s".
bool parse_skew(std::string_view s, TimeNs& skew) {
  if (s.size() < 2) return false;
  double unit = 0;
  switch (s.back()) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    case 'w': unit = 7 * 86400; break;
    default: return false;
  }
  s.remove_suffix(1);
  double sign = 1;
  if (s.front() == '+' || s.front() == '-') {
    sign = s.front() == '-' ? -1 : 1;
    s.remove_prefix(1);
  }
  if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; }))
    return false;
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return false;
  const double secs = sign * v * unit;
  if (std::fabs(secs) > kMaxSkewSeconds) return false;
  skew = static_cast<TimeNs>(std::llround(secs * 1e3)) * 1'000'000;  // whole milliseconds, as Sysmon writes
  return true;
}

bool parse_hosts(std::string_view s, int& hosts) {
  if (s == "all") return hosts = ClockSkewSpec::kAllHosts, true;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), hosts);
  return ec == std::errc() && end == s.data() + s.size() && hosts > 0;
}

constexpr int kEvents[] = {1, 3, 5, 22, ClockSkewSpec::kShipperTime};

TimeNs ClockSkews::*skew_field(int event) {
  switch (event) {
    case 1: return &ClockSkews::process_create;
    case 3: return &ClockSkews::network_connect;
    case 5: return &ClockSkews::process_terminate;
    case 22: return &ClockSkews::dns_query;
    default: return &ClockSkews::shipper;
  }
}
TimeNs skew_of(const Host& h, int event) { return h.skew.*skew_field(event); }

}  // namespace

// Unchanged since the faults were added: their hosts must stay the same for a seed.
std::vector<uint32_t> seeded_host_order(uint64_t seed, size_t n, std::string_view kind) {
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  Rng rng(seed, stream_id("fault hosts"), stream_id(kind));
  for (size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
  return order;
}

std::string skew_event_name(int event) { return event == ClockSkewSpec::kShipperTime ? "ts" : std::to_string(event); }

bool parse_clock_skews(std::string_view text, std::vector<ClockSkewSpec>& out, std::string& error) {
  size_t at = 0;
  do {
    const size_t comma = text.find(',', at);
    const std::string_view item = text.substr(at, comma == std::string_view::npos ? text.npos : comma - at);
    at = comma == std::string_view::npos ? text.size() + 1 : comma + 1;
    const size_t colon = item.find(':'), hosts_at = item.find('@');
    ClockSkewSpec s;
    s.hosts = ClockSkewSpec::kDefaultHosts;
    auto fail = [&](std::string_view what) {
      error = fmt::format("'{}': {}", item, what);
      return false;
    };
    if (item.empty()) return fail(std::string("empty; ") + std::string(kSyntax));
    if (colon == std::string_view::npos) return fail(kSyntax);
    const std::string_view ev = item.substr(0, colon);
    const std::string_view skew = item.substr(colon + 1, hosts_at == item.npos ? item.npos : hosts_at - colon - 1);
    if (!parse_event(ev, s.event))
      return fail(fmt::format("unknown event '{}' (1, 3, 5, 22, or ts for the shipper's timestamp)", ev));
    if (!parse_skew(skew, s.skew))
      return fail(fmt::format("bad skew '{}' (a signed number and a unit s, m, h, d or w, e.g. -5d, +19h, 1.5h; "
                              "at most 3650 days)",
                              skew));
    if (s.skew == 0) return fail("a skew of 0 changes nothing");
    if (hosts_at != item.npos && !parse_hosts(item.substr(hosts_at + 1), s.hosts))
      return fail(fmt::format("bad host count '{}' (a number from 1, or all)", item.substr(hosts_at + 1)));
    out.push_back(s);
  } while (at <= text.size());
  return true;
}

bool apply_faults(Organisation& org, uint64_t seed, const std::vector<ClockSkewSpec>& skews, int drops,
                  std::string& error) {
  const size_t n = org.hosts.size();
  auto too_many = [&](const std::string& what, int want) {
    error = fmt::format("{}: {} hosts asked for, the organisation has {}", what, want, n);
    return false;
  };
  if (!skews.empty()) {
    const auto order = seeded_host_order(seed, n, "clock skew");
    std::vector<int> seen;
    for (const auto& s : skews) {
      const std::string what = "--clock-skew-events " + skew_event_name(s.event);
      if (std::find(seen.begin(), seen.end(), s.event) != seen.end()) {
        error = what + ": this event type is given twice";
        return false;
      }
      seen.push_back(s.event);
      if (s.hosts != ClockSkewSpec::kAllHosts && static_cast<size_t>(s.hosts) > n) return too_many(what, s.hosts);
      const size_t k = s.hosts == ClockSkewSpec::kAllHosts ? n : static_cast<size_t>(s.hosts);
      for (size_t i = 0; i < k; ++i) org.hosts[order[i]].skew.*skew_field(s.event) = s.skew;
    }
  }
  if (drops < 0 || static_cast<size_t>(drops) > n) return too_many("--sensor-drops-outgoing", drops);
  const auto order = seeded_host_order(seed, n, "sensor drops outgoing");
  for (size_t i = 0; i < static_cast<size_t>(drops); ++i) org.hosts[order[i]].sensor_drops_outgoing = true;
  return true;
}

void faults_json(JsonOut& j, const Organisation& org) {
  bool skews = false, drops = false;
  for (const auto& h : org.hosts) skews = skews || h.skew.any(), drops = drops || h.sensor_drops_outgoing;
  if (!skews && !drops) return;
  j.begin_object("faults");
  if (skews) {
    j.begin_array("clock_skew_events");
    for (const int e : kEvents) {
      TimeNs skew = 0;
      for (const auto& h : org.hosts) skew = skew ? skew : skew_of(h, e);
      if (!skew) continue;
      j.begin_object().str("event", skew_event_name(e)).num("skew_ms", skew / 1'000'000).begin_array("hosts");
      for (const auto& h : org.hosts)
        if (skew_of(h, e)) j.str_elem(h.name);
      j.end_array().end_object();
    }
    j.end_array();
  }
  if (drops) {
    j.begin_array("sensor_drops_outgoing");
    for (const auto& h : org.hosts)
      if (h.sensor_drops_outgoing) j.str_elem(h.name);
    j.end_array();
  }
  j.end_object();
}

void host_faults_json(JsonOut& j, const Host& h) {
  if (h.skew.any()) {
    j.begin_object("clock_skew_ms");
    for (const int e : kEvents)
      if (skew_of(h, e)) j.num(skew_event_name(e), skew_of(h, e) / 1'000'000);
    j.end_object();
  }
  if (h.sensor_drops_outgoing) j.boolean("sensor_drops_outgoing", true);
}

}  // namespace outflow::sim
