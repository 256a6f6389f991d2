// The labelled attacks planted in the simulated organisation. Each scenario picks its host and
// time from the seed, plants its processes through the host's simulation (so lineage, clock
// offset and Sysmon shape are the host's) and its traffic through the same recorder as benign
// software, and keeps its label: the host, the GUIDs of every process of the chain, the
// destinations and the span. A scenario on a workstation waits until its user is logged on.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "outflow/simulate/host_sim.h"

namespace outflow::sim {

struct Label {
  std::string scenario, technique, host, description;
  std::vector<std::string> process_guids, destinations;
  TimeNs start = kNoTime, end = kNoTime;
};

class Scenario {
 public:
  virtual ~Scenario() = default;
  // Activity that starts in [t0, t0 + 1 h).
  virtual void run_hour(TimeNs t0, std::vector<HostSim>& hosts) = 0;
  bool planted() const { return label_.start != kNoTime; }
  const Label& label() const { return label_; }

 protected:
  Label label_;
};

// rclone_cloud_upload, macro_powershell_post, sqlservr_curl_dump, proxyware, dns_tunnel,
// low_and_slow, masquerade_svchost, scanner_fanout.
const std::vector<std::string_view>& scenario_names();
std::unique_ptr<Scenario> make_scenario(std::string_view name, const Organisation& org, uint64_t seed);

}  // namespace outflow::sim
