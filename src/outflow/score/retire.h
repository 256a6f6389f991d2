// Processes the detector has finished collecting for, kept on disk until they are scored.
//
// Reading by time, the pipeline forgets a process once it has ended and nothing has named it
// for the retention (ProcessTable::evict_before). The detector then retires it: what the
// baselines need from it (who runs what, volume per executable, destinations) is recorded at
// once, its bytes out are credited to its living ancestors (lineage roll-up), and, if it sent
// traffic, its activity and copies of it and its ancestors (the lineage its finding would show)
// go to a temporary file. A process without traffic of its own whose children moved volume goes
// there too, as a roll-up candidate. At the end, Hunter::run retires what is still alive
// (children before parents) and reads the file back one record at a time, putting the lineage
// of each into the process table only while it is scored, and keeping the ones reported.
//
// Memory then follows the live processes and the findings reported, not the input. The file
// (about 1 to 2 KB per process that sent traffic) is unlinked as soon as it is created, in
// $TMPDIR or /tmp; where none can be created, records are kept in memory instead (on_disk()).
// Not thread-safe.
#pragma once
#include <cstdio>
#include <string>
#include <unordered_map>
#include <vector>

#include "outflow/baseline/baselines.h"
#include "outflow/config/detect_config.h"
#include "outflow/features/activity.h"
#include "outflow/join/pipeline.h"
#include "outflow/score/context.h"

namespace outflow {

struct RetiredRecord {
  std::vector<Process> chain;  // root .. the process; empty for a host's unattributed traffic
  ProcessActivity act;         // a roll-up candidate has none (empty_slot())
  uint64_t invoked_out = 0;    // bytes out of its descendants that sent any, and how many
  uint32_t invoked_children = 0;
  bool rollup = false;         // a parent without traffic of its own, raised for its children
};

class Retirer {
 public:
  Retirer(const DetectConfig& cfg, SessionPipeline& pipe, ActivityAggregator& agg);
  ~Retirer();
  Retirer(const Retirer&) = delete;
  Retirer& operator=(const Retirer&) = delete;

  // The pipeline's eviction hook (SessionPipeline::set_on_evict): `id` is about to be
  // forgotten.
  void on_evict(ProcId id);
  // Retires every activity still held (children before parents) and every roll-up candidate
  // still alive. Then the records can be read: rewind(), next().
  void finish();
  bool rewind();
  // false at the end. `rollup_only`: a record that is not a roll-up candidate is skipped without
  // being decoded (r.rollup false, the rest empty): the hunter's passes that look for roll-ups
  // only would otherwise decode every activity (its pairs and beacon hours) three times.
  bool next(RetiredRecord& r, bool rollup_only = false);

  // Baseline observations of everything retired or forgotten (Hunter::observe adds the rest).
  const Baselines& forgotten() const { return forgotten_; }
  uint64_t retired() const { return records_; }
  bool on_disk() const { return file_ != nullptr; }
  const std::string& error() const { return error_; }  // a write or read failed: records are missing

 private:
  struct Invoked {
    uint64_t out = 0;
    uint32_t children = 0;
  };
  void observe(const Process* p, const ProcessActivity& a);
  // false: it had no activity. `flow_host`: the flow-only host with that address instead.
  bool retire_activity(ProcId id, HostId host, const IpAddr* flow_host = nullptr);
  void maybe_retire_rollup(ProcId id);
  void write(const RetiredRecord& r);
  const std::string& host_key(HostId h);

  const DetectConfig& cfg_;
  SessionPipeline& pipe_;
  ActivityAggregator& agg_;
  ContextRules rules_;
  Baselines forgotten_;
  // Living ancestors of processes that sent traffic, by serial: what their descendants sent.
  std::unordered_map<uint64_t, Invoked> invoked_;
  std::vector<std::string> host_keys_;
  std::FILE* file_ = nullptr;
  std::vector<std::string> memory_;  // when no file could be made
  size_t read_pos_ = 0;
  uint64_t records_ = 0;
  std::string error_, buf_;
  bool finished_ = false;
};

}  // namespace outflow
