// Clock offsets per host, event type and time field, as `coverage` and `hunt` report them.
#pragma once
#include <string>
#include <vector>

#include "outflow/join/pipeline.h"
#include "outflow/write/json_out.h"

namespace outflow {

// "Sysmon 3", "Security 5156"...
std::string event_type_name(uint16_t event_id);
// "Sysmon 3 UtcTime"
std::string clock_key_name(const ClockKey& k);

// One line per clock problem of a host: offsets over 5 minutes, clocks that jumped, process
// starts that come after their own first connection, connection events whose offset could not
// be estimated (their sessions are matched within +- --window-unknown-offset only).
std::vector<std::string> clock_anomalies(const SessionPipeline& p, HostId host);

// The CLOCKS section of the coverage text: every host's clocks with their evidence.
void clocks_text(std::string& o, const SessionPipeline& p);
// "clocks": [...] of one host, in the coverage JSON.
void clocks_json(JsonOut& j, const SessionPipeline& p, HostId host);

}  // namespace outflow
