#include "outflow/score/relay_pattern.h"

#include <algorithm>
#include <fmt/format.h>

#include "outflow/score/evidence_dests.h"
#include "outflow/score/hunter.h"

namespace outflow {

bool score_relay_pattern(const ScoreContext& sc, const ProcessActivity& a, const std::vector<uint32_t>& prevalence, Finding& f) {
  const DetectConfig& c = sc.cfg;
  const bool rarity_known = sc.org_hosts >= c.rarity_min_hosts;
  std::vector<size_t> relayed;
  uint64_t bytes = 0;
  for (size_t i = 0; i < a.dests.size() && i < prevalence.size(); ++i) {
    if (rarity_known && prevalence[i] > std::max<uint32_t>(c.rare_max_hosts, 2)) continue;
    const DestActivity& d = a.dests[i];
    if (d.bytes_out < kRelayMinEachWay || d.bytes_in < kRelayMinEachWay) continue;
    relayed.push_back(i);
    bytes += d.bytes_out + d.bytes_in;
  }
  if (relayed.size() < c.fan_out || bytes < c.volume_large) return false;
  f.factors.push_back(Factor{"relay_pattern", fmt::format("{} addresses, {} exchanged", relayed.size(), human_bytes(bytes)),
                             fmt::format(">= {} addresses with >= {} each way, >= {} in all", c.fan_out,
                                         human_bytes(kRelayMinEachWay), human_bytes(c.volume_large)),
                             "", "real traffic both ways with many addresses no other host uses: relaying for others "
                                 "(proxyware, a proxy or botnet node; T1496.002)",
                             15});
  std::partial_sort(relayed.begin(), relayed.begin() + static_cast<std::ptrdiff_t>(std::min(kEvidenceDests, relayed.size())),
                    relayed.end(), [&](size_t x, size_t y) {
                      const auto bx = a.dests[x].bytes_out + a.dests[x].bytes_in, by = a.dests[y].bytes_out + a.dests[y].bytes_in;
                      return bx != by ? bx > by : x < y;
                    });
  relayed.resize(std::min(kEvidenceDests, relayed.size()));
  add_evidence_dests(sc, a, relayed, prevalence, "relay_pattern", f);
  return true;
}

}  // namespace outflow
