// The AN0080 detector: scores every process that sent traffic, from its volume, durations,
// destinations and context against thresholds and baselines, and ranks the findings.
//
//   read -> sessions (join) -> ActivityAggregator -> Hunter::run -> findings
//
// Baselines: those of the input itself (always), merged with a stored state when one is given.
// Deterministic: the same inputs, config and state give the same findings in the same order.
#pragma once
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "outflow/baseline/baselines.h"
#include "outflow/config/detect_config.h"
#include "outflow/features/activity.h"
#include "outflow/features/geoip.h"
#include "outflow/intel/intel_set.h"
#include "outflow/join/pipeline.h"
#include "outflow/score/context.h"
#include "outflow/score/finding.h"

namespace outflow {

class Retirer;

struct HuntResult {
  // The findings reported, ranked, and those suppressed by an exclusion (unless
  // keep_suppressed(false)); with keep_all_explanations(true) also those below the score.
  std::vector<Finding> findings;
  std::deque<ProcessActivity> activities;  // what the findings point to (stable addresses)
  Baselines run;                  // observations of this input (what `learn` stores)
  uint32_t org_hosts = 0;         // hosts known (state + input), for rarity
  bool had_state = false;
  TimeNs time_window = 0;         // the TimeWindow of ProcessActivity::window_out buckets
  // Counts for the summary.
  size_t reported = 0, below_threshold = 0, suppressed = 0, candidates = 0;
  // Flow-only hosts that are the organisation's web proxies (configured or found): their
  // connections to the Internet are their clients' transfers, scored as the clients' findings
  // (features/proxy_dest.h), so the proxy is no finding of its own (never counted twice).
  struct ProxyEgress {
    size_t proxies = 0;
    uint64_t sessions = 0, bytes_out = 0;
  } proxy_egress;
  // Findings with a malicious intel match: reported below min_score, and suppressed by an
  // exclusion (kept for --show-suppressed, and said on stderr).
  size_t intel_below_score = 0, intel_suppressed = 0;
  std::string error;  // the retired-process file failed: some candidates were not scored
  // With record_judged(true): every process finding scored, kept or not, by finding id: what
  // the sensor's hunt made of that process (SRUM's program findings defer to it; see
  // score/usage_findings.h). A few hundred bytes a candidate (its id and up to 3 destinations).
  struct JudgedDest {
    std::string label;  // "domain:port", else "address:port"
    TimeNs first = kNoTime, last = kNoTime;
    uint64_t bytes_out = 0;
    bool bytes_unknown = false;  // some of its sessions' bytes out were not seen
  };
  struct Judged {
    std::string suppressed_by;  // exclusion rule ("" when none)
    bool reported = false;
    bool volume_known = true;   // every outbound session's bytes seen
    std::vector<JudgedDest> dests;  // its top destinations (at most 3)
  };
  // Process findings by finding id; a host's traffic no process was named for by
  // "host:" + the host's canonical name (a flow-only host: the name DNS or DHCP gave its address).
  std::unordered_map<std::string, Judged> judged;
};

class Hunter {
 public:
  Hunter(const DetectConfig& cfg, const GeoIp* geo) : cfg_(cfg), geo_(geo) {}

  // Builds the run's baseline from the pipeline (process table) and the aggregated activity.
  // `forgotten`: what observe_process() recorded of processes the pipeline forgot during the
  // run (inputs read merged by time), so the baseline is the same as if it had kept them.
  Baselines observe(const SessionPipeline& pipe, const ActivityAggregator& agg,
                    const Baselines* forgotten = nullptr) const;
  // Who runs what and who starts whom, from one process (its parent still in `procs`).
  static void observe_process(const ProcessTable& procs, const Process& p, const std::string& host_key,
                              const ContextRules& rules, Baselines& b);
  // Volume per executable and destinations, from one process's activity (`p` null: the host's
  // unattributed traffic).
  static void observe_activity(const ProcessActivity& a, const Process* p, const std::string& host_key,
                               const std::string& host_role, Baselines& b);

  // Scores and ranks. `state` may be null (baselines from the input only). Every activity still
  // in `agg` is retired first (score/retire.h), into `retirer` if given (the one that took the
  // pipeline's forgotten processes during the run), else into one of its own; then each is
  // read back and scored, and only the findings kept (see HuntResult) stay in memory, with
  // their processes' lineage restored into the pipeline's process table for the writers.
  HuntResult run(SessionPipeline& pipe, ActivityAggregator& agg, const Baselines* state,
                 Retirer* retirer = nullptr) const;

  static ActivityAggregator::Options aggregator_options(const DetectConfig& c);

  // By default candidates below min_score keep their score but not their factor texts (memory
  // per reported finding, not per process); tests and tools that inspect them all turn this on.
  void keep_all_explanations(bool on) { keep_all_ = on; }
  // Findings suppressed by an exclusion are kept (for --show-suppressed) unless turned off;
  // they are counted either way.
  void keep_suppressed(bool on) { keep_suppressed_ = on; }
  // Records HuntResult::judged (off by default).
  void record_judged(bool on) { record_judged_ = on; }
  // Threat-intel and trusted-site feeds (score/threat_intel.h); null: none.
  void set_intel(const IntelSet* intel) { intel_ = intel; }

 private:
  const DetectConfig& cfg_;
  const GeoIp* geo_;
  bool keep_all_ = false;
  bool keep_suppressed_ = true;
  bool record_judged_ = false;
  const IntelSet* intel_ = nullptr;
};

// The key a finding's host is counted by in the baselines (hosts of the organisation, who
// contacts what): the monitored host's canonical name, or "ip:<address>" for a flow-only host.
std::string entity_host_key(const SessionPipeline& pipe, const ProcessActivity& a);
// What names the host in outputs: the monitored host's display name, or the flow-only host's
// address.
std::string entity_host_label(const SessionPipeline& pipe, const ProcessActivity& a);

// "1.5 MB", "3h 12m": the units people read.
std::string human_bytes(uint64_t b);
std::string human_duration(TimeNs d);

}  // namespace outflow
