// The role of a host seen only in flows (no endpoint data names it): by address first (the
// first host_roles entry whose `networks` hold it), else by its name when one is known (Zeek
// dhcp.log) through the usual name patterns, else none: an address with no name does not fall
// into the catch-all "*" role.
#pragma once
#include <string>

#include "outflow/features/activity.h"
#include "outflow/join/pipeline.h"
#include "outflow/score/context.h"

namespace outflow {

// The name DHCP gave the host's address during its activity ("" when none).
std::string flow_host_name(const SessionPipeline& pipe, const ProcessActivity& a);
const HostRole* flow_host_role(const DetectConfig& cfg, const ContextRules& rules, const std::string& name, const IpAddr& ip);
const HostRole* flow_host_role(const DetectConfig& cfg, const ContextRules& rules, const SessionPipeline& pipe,
                               const ProcessActivity& a);

}  // namespace outflow
