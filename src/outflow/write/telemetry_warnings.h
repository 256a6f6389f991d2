// The telemetry problems that change what `hunt` finds, one line each with the hosts affected:
// clocks that could not be estimated, sensors that did not see hosts' outgoing packets, hosts
// that log no connection events. `coverage` has the details; findings carry them as caveats.
#pragma once
#include <string>
#include <vector>

#include "outflow/join/pipeline.h"

namespace outflow {

std::vector<std::string> telemetry_warnings(const SessionPipeline& p);

}  // namespace outflow
