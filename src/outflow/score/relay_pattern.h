// Relaying: of the many addresses no other host uses (fan-out), a good number carried real traffic
// both ways, gigabytes in all: proxyware, a residential-proxy or botnet node, bandwidth sold
// (T1496.002). The counterpart of scan_pattern (tiny probes): what fan_out alone cannot tell
// apart from a busy browser, and what a flow-only host's volume factors do not count (two-way
// traffic is left out of them so that calls and VPN tunnels are not uploads).
#pragma once
#include <cstdint>
#include <vector>

#include "outflow/score/factors.h"

namespace outflow {

constexpr uint64_t kRelayMinEachWay = 100'000;  // bytes each way for an address to count as relayed

// Adds factor relay_pattern (15) and names up to kEvidenceDests of the relayed addresses (by
// bytes) when at least fan_out rare addresses were relayed, volume_large bytes exchanged with
// them in all. `prevalence`: hosts per destination, as score_activity computed it. True if added.
bool score_relay_pattern(const ScoreContext& sc, const ProcessActivity& a, const std::vector<uint32_t>& prevalence, Finding& f);

}  // namespace outflow
