// What `usage` and `hunt` share about SRUM inputs: finding the Windows event logs that belong
// with each (its host, and the process creations its rows are joined to), reading them into a
// UsageAggregator, and saying what each input gave. See docs/srum.md.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "outflow/features/usage_aggregate.h"
#include "outflow/join/usage_processes.h"
#include "outflow/read/input.h"
#include "outflow/read/srum/srum_usage.h"

namespace outflow::cli {

// The SRUM inputs found among a command's inputs, and the Windows event logs (folder -> files)
// that may go with them.
struct SrumInputs {
  std::vector<DetectedInput> srum;
  std::map<std::string, std::vector<std::string>> event_logs;
};

struct SrumRead {
  std::vector<std::string> hosts;               // per SRUM input ("" when unknown)
  std::vector<bool> host_from_name;             // per SRUM input: the host named by its file name
  std::vector<const ProcessLog*> log_of;        // per SRUM input (null: no event log with it)
  std::map<std::vector<std::string>, std::unique_ptr<ProcessLog>> logs;  // each set of logs read once
  std::unique_ptr<UsageAggregator> agg;
  std::vector<std::unique_ptr<srum::UsageFile>> files;  // per SRUM input, rows not kept (in `agg`)
  size_t failed = 0, readable = 0;
};

// Reads every SRUM input of `in` (in order) into `out.agg`: the host of each is `host` when
// given, else the one its event logs name most (logs_for), else a host name its file name
// starts with (WS01_SrumECmd_NetworkUsages_Output.csv); those logs are read into a ProcessLog
// each, and an input of a known host with none beside it is joined to every event log of `in`. `roots`: the command-line inputs (logs are never looked for above them).
// Says on stderr what each input gave (unless quiet; errors always).
void read_srum(SrumInputs& in, const std::vector<std::string>& roots, const std::string& host,
               UsageAggregator::Options agg_options, bool quiet, SrumRead& out);

}  // namespace outflow::cli
