#include "outflow/score/flow_host_role.h"

namespace outflow {

std::string flow_host_name(const SessionPipeline& pipe, const ProcessActivity& a) {
  if (!a.flow_only()) return "";
  return pipe.index().name_for_address(a.entity_ip, a.last != kNoTime ? a.last : a.first);
}

const HostRole* flow_host_role(const DetectConfig& cfg, const ContextRules& rules, const std::string& name, const IpAddr& ip) {
  for (const auto& r : cfg.host_roles)
    if (!r.networks.empty() && r.networks.contains(ip)) return &r;
  return name.empty() ? nullptr : rules.host_role(name);
}

const HostRole* flow_host_role(const DetectConfig& cfg, const ContextRules& rules, const SessionPipeline& pipe,
                               const ProcessActivity& a) {
  return flow_host_role(cfg, rules, flow_host_name(pipe, a), a.entity_ip);
}

}  // namespace outflow
