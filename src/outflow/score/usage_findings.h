// SRUM in `hunt` (issue 18): what each program sent per interval, from the host itself, scored
// with the same factor families as a process finding (volume, upload ratio, baselines, user,
// path, tool, lineage) and ranked in one list with the process and host findings.
//
// A program's finding is per (host, program, user) over the span read. Its busiest intervals
// are joined to the host's process creations of that image (join/usage_processes.h): when they
// all name one process, the finding is that process's (`outflow.entity: process`, its
// ProcessGuid, the same finding id as a process finding of it); else the program on that host
// (`outflow.entity: program`), with every candidate listed and the bytes never split between
// them. A program finding whose process is also a process finding of the hunt is folded into it
// (merge_usage_findings): one finding per process, its upload known from SRUM where the sensor
// lost it.
//
// Baselines: the program's own history (bytes sent per interval), the same program on the
// other hosts and on hosts of its role (their busiest interval each). SRUM has no destinations,
// ports or process ids: those factors are not scored, and the finding says so.
#pragma once
#include <string>
#include <vector>

#include "outflow/config/detect_config.h"
#include "outflow/features/classify.h"
#include "outflow/features/usage_aggregate.h"
#include "outflow/join/usage_processes.h"
#include "outflow/score/finding.h"

namespace outflow {

struct HuntResult;

struct UsageInterval {
  TimeNs start = kNoTime, end = kNoTime;
  bool start_estimated = false;
  uint64_t sent = 0, recvd = 0;
  std::vector<UsageProcess> processes;  // overlapping process creations of the image (at most 8)
  std::string join_reason;              // why none ("" when there are); "not_a_path" for services...
};

// A destination a flow sensor saw for this program's processes (or, none named, for its host's
// traffic no process was named for, in the same hours).
struct SensorDest {
  std::string label;  // "domain:port" or "address:port"
  uint64_t bytes_out = 0;
  bool bytes_unknown = false;  // some of its sessions' bytes out were not seen
  bool from_host = false;      // the host's unattributed traffic, not the program's own
  bool from_sysmon = false;    // its processes' connection events (no bytes: bytes_unknown)
  uint32_t connections = 0;    // from_sysmon: how many connection events
};

struct UsageFinding {
  ProgramUsage u;
  std::string entity = "program";  // "process" when every busy interval joins one process
  UsageProcess process;            // that process (entity "process")
  std::vector<UsageInterval> intervals;  // the busiest (at most ProgramUsage::kPeaks), most sent first
  std::vector<std::string> files;  // the SRUM inputs its busiest intervals came from
  // Start of the first interval read (u.first is that row's end: SRUM stamps an interval's end).
  TimeNs start = kNoTime;
  std::string user;                // the user's name: the export's, else the joined process's
  std::string user_name_source;    // "sid" (well-known), "export", "process", "security_log" or "" (unknown)
  double score = 0;
  std::string severity;
  int rank = 0;
  std::string host_role;
  double criticality = 1.0;
  UserClass user_class = UserClass::unknown;
  PathClass path_class = PathClass::unknown;
  std::vector<Factor> factors;     // in decreasing contribution
  std::vector<std::string> techniques;
  std::vector<std::string> caveats;
  std::string finding_id;
  std::string suppressed_by;       // exclusion rule ("" when none)
  // Folded into a process finding of the hunt (merge_usage_findings): its finding id.
  std::string folded_into;
  // The sensor's hunt scored its processes below the score, seeing all their bytes: not reported.
  bool below_by_sensor = false;
  // Where it sent: its processes' connection events (score_usage), replaced by what a flow sensor
  // saw for them (merge_usage_findings, with bytes), else its host's unattributed traffic in its
  // hours. Most bytes out (or connections) first, at most 5.
  std::vector<SensorDest> sensor_dests;
  uint32_t program_hosts = 0;      // hosts whose SRUM names this program (prevalence)
  double volume_points = 0;        // what the volume factors added (before criticality)
};

struct UsageScoreResult {
  std::vector<UsageFinding> findings;  // every program group, scored, ranked by score
  size_t programs = 0, hosts = 0;
};

// Scores every program group the aggregator summed (interface totals are never programs).
UsageScoreResult score_usage(const DetectConfig& cfg, const UsageAggregator& agg);

// Folds each usage finding of a process into that process's finding in `r` (same finding id):
// SRUM's upload becomes a factor of it (its points only where the sensor's volume was unknown or
// not scored) and its caveat says where the bytes came from.
// A usage finding whose processes (the one, or every candidate) the hunt scored but did not keep
// (r.judged, Hunter::record_judged) defers to the sensor, which saw its destinations: suppressed
// when every one was suppressed by an exclusion (that rule), not reported when none was
// reported and the sensor saw all their bytes; else it stands on its own. Every usage finding not
// folded gets the destinations the sensor saw for its processes (r.judged), else those of its
// host's traffic no process was named for whose time overlaps its busiest intervals (+-1 h: the
// host's and the sensor's clocks may differ).
struct MergeCounts {
  size_t folded = 0, suppressed = 0, below = 0;
};
MergeCounts merge_usage_findings(HuntResult& r, std::vector<UsageFinding>& usage);

// One ranked list of both kinds: ranks are reassigned in `r.findings` and `usage` (reported:
// not suppressed, not folded, score >= min_score, or a malicious intel match). Order: score,
// then a malicious intel match, then bytes out.
struct RankedRef {
  bool usage = false;
  size_t index = 0;
};
std::vector<RankedRef> rank_together(HuntResult& r, std::vector<UsageFinding>& usage, double min_score, size_t& reported);

// finding_id of a process finding (score/hunter.cc): the host's canonical name and the ProcessGuid.
std::string process_finding_id(const std::string& host, const std::string& guid);

}  // namespace outflow
