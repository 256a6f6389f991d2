#include "outflow/simulate/endpoints.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "outflow/simulate/faults.h"
#include "outflow/write/json_out.h"

namespace outflow::sim {

size_t endpoint_host_count(double share, size_t hosts) {
  const double k = std::floor(share * static_cast<double>(hosts) + 0.5);
  return std::min(hosts, static_cast<size_t>(std::max(0.0, k)));
}

bool apply_endpoint_share(Organisation& org, uint64_t seed, double share, std::string& error) {
  if (!(share >= 0 && share <= 1)) {  // NaN too
    error = fmt::format("--endpoint-share {}: expected a share from 0 to 1", share);
    return false;
  }
  const size_t n = org.hosts.size(), k = endpoint_host_count(share, n);
  if (k == n) return true;  // the order is not even drawn: nothing changes
  const auto order = seeded_host_order(seed, n, "endpoint share");
  for (size_t i = 0; i < n; ++i) org.hosts[order[i]].endpoint = i < k;
  return true;
}

bool any_flow_only(const Organisation& org) {
  return std::any_of(org.hosts.begin(), org.hosts.end(), [](const Host& h) { return !h.endpoint; });
}

void endpoint_json(JsonOut& j, const Organisation& org, double share) {
  if (!any_flow_only(org)) return;
  j.dbl("endpoint_share", share).begin_array("endpoint_hosts");
  for (const auto& h : org.hosts)
    if (h.endpoint) j.str_elem(h.name);
  j.end_array();
}

void host_endpoint_json(JsonOut& j, const Host& h, bool any_flow_only) {
  if (any_flow_only) j.boolean("endpoint", h.endpoint);
}

}  // namespace outflow::sim
