// Sensor faults of real recordings that `outflow simulate` can plant (all off by default):
//
//  * Clocks per event type. One host's Sysmon 3 `UtcTime` can be days behind its Sysmon 1,
//    which agrees with the sensor; and a collector's `@timestamp` can be hours off on its own.
//    A skew applies to one event type's `UtcTime` (1, 3, 5, 22; also in the rendered Message),
//    or with `ts` to the shipper's own time (ECS `@timestamp`; flat `EventTime` and
//    `EventReceivedTime`) of every event, on top of the host's clock offset.
//  * A sensor that loses a host's outgoing packets (TX checksum offload, a one-way SPAN): Zeek
//    sees only the other side of its connections (SHR, no originator packets or bytes), NetFlow
//    has no records of the host's direction.
//
// Which hosts: one order of the hosts drawn from the seed per fault kind (clock skews, sensor
// drops); a fault on N hosts takes the first N of it, so two skews on the same N hit the same
// hosts and a smaller N a subset of them.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "outflow/simulate/organisation.h"

namespace outflow {
class JsonOut;
}

namespace outflow::sim {

struct ClockSkewSpec {
  int event = 3;      // Sysmon event id (1, 3, 5, 22), or kShipperTime
  TimeNs skew = 0;    // added to that time on the chosen hosts
  int hosts = 1;      // how many hosts, or kAllHosts
  static constexpr int kShipperTime = 0;
  static constexpr int kAllHosts = -1;
  static constexpr int kDefaultHosts = 1;
};

// Parses one comma list of EVENT:SKEW[@HOSTS] (e.g. "3:-5d@2,ts:19h") and appends to `out`.
// EVENT is 1, 3, 5, 22 or ts; SKEW a signed number (decimals allowed) with a unit s, m, h, d or w;
// HOSTS a count (default 1) or all. False with a message naming the bad part.
bool parse_clock_skews(std::string_view text, std::vector<ClockSkewSpec>& out, std::string& error);

// The hosts' indices (0..n-1) in one order drawn from the seed, its own for each `kind`: what
// the faults take their hosts from, and the endpoint share (endpoints.h) its own order too.
std::vector<uint32_t> seeded_host_order(uint64_t seed, size_t n, std::string_view kind);

// "3", "ts": how labels name a skew's event.
std::string skew_event_name(int event);

// Marks the hosts of each fault in `org` (Host::skew, Host::sensor_drops_outgoing). False with a
// message when a spec asks for more hosts than there are, or names an event type twice.
bool apply_faults(Organisation& org, uint64_t seed, const std::vector<ClockSkewSpec>& skews, int sensor_drops_outgoing,
                  std::string& error);

// For labels.jsonl, nothing when no fault is on: the organisation's
// "faults": {"clock_skew_events": [{"event", "skew_ms", "hosts"}], "sensor_drops_outgoing": [hosts]},
// and a host's "clock_skew_ms": {"3": ms, ...} and "sensor_drops_outgoing": true.
void faults_json(JsonOut& j, const Organisation& org);
void host_faults_json(JsonOut& j, const Host& h);

}  // namespace outflow::sim
