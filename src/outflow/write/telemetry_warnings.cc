#include "outflow/write/telemetry_warnings.h"

#include <fmt/format.h>

#include <algorithm>

namespace outflow {

namespace {

// "A, B, C and 4 more"
std::string list_of(const std::vector<std::string>& names, size_t most = 8) {
  std::string o;
  for (size_t i = 0; i < names.size() && i < most; ++i) o += (i ? ", " : "") + names[i];
  if (names.size() > most) o += fmt::format(" and {} more", names.size() - most);
  return o;
}

}  // namespace

std::vector<std::string> telemetry_warnings(const SessionPipeline& p) {
  std::vector<std::string> out;
  const auto& st = p.stats();
  std::vector<std::string> clocks, no_connects, one_sided;
  for (const auto& [hid, hc] : st.hosts) {
    if (hc.events.empty()) continue;
    const std::string& name = p.hosts().display_name(hid);
    if (p.offsets().connect_clock_unknown(hid)) clocks.push_back(name);
    if (!hc.events.count(3) && !hc.events.count(5156)) no_connects.push_back(name);
    if (hc.sessions_out_unknown * 10 >= hc.sessions && hc.sessions_out_unknown > 0)
      one_sided.push_back(fmt::format("{} ({} of {} sessions)", name, hc.sessions_out_unknown, hc.sessions));
  }
  // Addresses no endpoint data names (flow-only hosts), with most sessions one-sided.
  std::vector<std::pair<uint64_t, std::string>> addrs;
  for (const auto& [ip, c] : st.out_unknown_by_addr) {
    if (p.index().host_of(ip, kNoTime) != kNoHost) continue;
    if (c.first * 2 >= c.second && c.first >= 3) addrs.push_back({c.first, ip.to_string()});
  }
  std::sort(addrs.begin(), addrs.end(), [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  for (const auto& [n, ip] : addrs) one_sided.push_back(fmt::format("{} ({} sessions)", ip, n));
  if (!clocks.empty())
    out.push_back(fmt::format("the clock of the connection events of {} host(s) could not be estimated ({}): their sessions "
                              "were matched within +- --window-unknown-offset only; see `outflow coverage` CLOCKS",
                              clocks.size(), list_of(clocks)));
  if (!one_sided.empty())
    out.push_back(fmt::format("the flow sensor saw none of the outgoing packets of {} host(s) in their sessions ({}): their "
                              "upload volume is unknown, not zero; findings say so in outflow.caveats",
                              one_sided.size(), list_of(one_sided)));
  std::vector<std::string> lossy;
  for (const auto& [sensor, cl] : st.capture_loss)
    if (cl.max_percent > 0)
      lossy.push_back(fmt::format("{} up to {:.2f}% in {} of {} intervals", sensor, cl.max_percent, cl.intervals_with_loss, cl.intervals));
  if (!lossy.empty())
    out.push_back(fmt::format("{} flow sensor(s) reported packet loss (capture_loss.log or Suricata stats: {}): sessions and bytes of those "
                              "spans may be missing; findings in them say so in outflow.caveats",
                              lossy.size(), list_of(lossy)));
  if (!no_connects.empty())
    out.push_back(fmt::format("{} host(s) log no connection events (Sysmon 3 / Security 5156) ({}): their traffic cannot be "
                              "attributed to processes",
                              no_connects.size(), list_of(no_connects)));
  return out;
}

}  // namespace outflow
