// A finding: one process on one host, what it sent where, and why it matters (factors).
#pragma once
#include <string>
#include <vector>

#include "outflow/features/activity.h"
#include "outflow/features/classify.h"
#include "outflow/intel/indicator.h"

namespace outflow {

struct Factor {
  std::string name;          // stable identifier, e.g. "volume_out"
  std::string observed;      // what was seen, human-readable ("1.2 GB")
  std::string threshold;     // the configured threshold it crossed, if any
  std::string baseline;      // what is normal, if known
  std::string detail;        // one sentence for the analyst
  double contribution = 0;   // points added to the score
};

struct DestSummary {
  size_t index = 0;          // into ProcessActivity::dests
  uint32_t hosts_in_org = 0; // prevalence: hosts that contacted it (state + input)
  bool internal = false;
  bool new_for_org = false;  // not in the state (only when a state was given)
  bool new_for_host = false; // this host never contacted it before (state)
  bool new_for_user = false; // this user never did (state)
  TimeNs first_seen = kNoTime;  // by the organisation (state + input)
  std::string key;           // prevalence key: registrable domain or address
  std::string country;       // ISO code, "" = unknown
  // Not a top destination: named because a factor rests on it (e.g. "scan_pattern": one of the
  // addresses probed). Listed after the top destinations.
  std::string evidence;
};

struct Finding {
  const ProcessActivity* act = nullptr;
  HostId host = kNoHost;
  ProcId proc = kNoProc;
  double score = 0;
  std::string severity;      // low | medium | high | critical
  int rank = 0;
  std::string host_role;
  double criticality = 1.0;
  UserClass user_class = UserClass::unknown;
  PathClass path_class = PathClass::unknown;
  // The process's image in canonical form (canonical_win_path, with its user's profile; short
  // components the same host's data spells out in full resolved by ProcessTable::short_names()),
  // computed once when the finding is made: what every path classifier and exclusion compares.
  // Outputs show Process::image, as the log wrote it.
  std::string image_canon;
  std::vector<Factor> factors;       // in decreasing contribution
  std::vector<std::string> techniques;
  std::vector<DestSummary> dests;    // top destinations by bytes out (at most 10)
  std::vector<PairSummary> pairs;    // top pairs: beacons, strobes, long connections (score/pair_factors.h)
  std::string suppressed_by;         // exclusion rule, "" when not suppressed
  std::string suppressed_category;
  // Lineage roll-up: bytes out of this process's descendants, and how many of them sent any.
  uint64_t invoked_out = 0;
  uint32_t invoked_children = 0;
  bool rollup_only = false;          // a parent raised for its children's volume (no own traffic)
  std::string finding_id;
  // What the telemetry could not tell about this finding (unknown upload volume, a clock that
  // could not be estimated, no connection events on the host): said, never scored as zero.
  std::vector<std::string> caveats;
  // DNS tunnelling view of this finding's host: its domains with the most unique names
  // (score/app_factors.h), at most 3.
  std::vector<DnsDomainStats> dns;
  // Hosts of the organisation using each of act->app.agents (same order): user agent rarity.
  std::vector<uint32_t> agent_hosts;
  // Threat-intel and trusted-site matches (score/threat_intel.h); intel_malicious: a malicious
  // feed named a destination (reported whatever the score).
  std::vector<IntelHit> intel;
  bool intel_malicious = false;
};

const char* severity_for(double score);

}  // namespace outflow
