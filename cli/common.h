// What every command that reads inputs shares: the input list, the join's tunables, reading
// the inputs in the right order with a progress line, and the summary on stderr.
#pragma once
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "outflow/join/pipeline.h"
#include "outflow/read/diagnostics.h"
#include "outflow/read/input.h"

namespace outflow::cli {

struct CommonOptions {
  std::vector<std::string> inputs;
  size_t max_processes = 4'000'000;
  size_t live_processes = PipelineOptions{}.live_processes, live_connects = PipelineOptions{}.live_connects;
  double window_s = 120;
  double window_unknown_h = 12;
  double idle_s = 3600;
  bool quiet = false;
  unsigned threads = 0;  // EVTX chunk parsing; 0 = one per usable core
  std::string read_order = "time";  // "time": merged by time; "endpoint-first": endpoint files whole, then flows
  double retention_h = 48;
  std::vector<std::string> intel;  // --intel [KIND:]PATH (cli/intel_common.h)
};

void add_common(CLI::App* cmd, CommonOptions& o);

// detect_input() on one expanded input; when it cannot be opened or read, prints why and
// returns false (the command then ends with kExitError).
bool detect_or_say(const std::string& path, DetectedInput& in);
PipelineOptions pipeline_options(const CommonOptions& o);

// Reads every input into the pipeline. With both endpoint and flow inputs, all are read at
// once merged by time, the endpoint side `--window-unknown-offset` ahead, and the join forgets
// connection events after `--retention` (read/merged_reader.h); otherwise (or with
// --read-order endpoint-first) endpoint logs are read whole first, then flow logs. Returns an
// exit code; on error the message has been printed.
// `srum`: when given, SRUM inputs are collected there (with the Windows event logs' folders)
// instead of being skipped with a note (cli/srum_common.h reads them).
struct SrumInputs;
int run_inputs(const CommonOptions& o, SessionPipeline& pipe, std::vector<FileStats>& stats, Diagnostics& diag,
               SrumInputs* srum = nullptr);

void print_summary(const CommonOptions& o, const SessionPipeline& pipe, const Diagnostics& diag,
                   const std::vector<FileStats>& files);

}  // namespace outflow::cli
