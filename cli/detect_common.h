// What hunt, learn and explain share: the detector's options, loading config / GeoIP / state,
// and one pass over the inputs that aggregates every session by process.
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "common.h"
#include "srum_common.h"
#include "outflow/baseline/state_store.h"
#include "outflow/config/detect_config.h"
#include "outflow/features/activity.h"
#include "outflow/features/geoip.h"
#include "outflow/intel/intel_set.h"
#include "outflow/score/hunter.h"
#include "outflow/score/retire.h"

namespace outflow::cli {

struct DetectOptions {
  CommonOptions common;
  std::string config_file, geoip_db, state_file;
  std::optional<double> min_score;
  std::optional<double> time_window_s;
};

void add_detect_options(CLI::App* cmd, DetectOptions& o, bool state_required);

// Everything one run holds; the pipeline owns the process table findings point into.
struct DetectRun {
  DetectConfig cfg;
  GeoIp geo;
  StateStore store;
  Baselines state;
  bool have_state = false;
  std::unique_ptr<ActivityAggregator> agg;
  // Processes the pipeline forgot during the run, retired to disk for scoring (score/retire.h).
  std::unique_ptr<Retirer> retirer;
  std::unique_ptr<SessionPipeline> pipe;
  std::vector<FileStats> files;
  Diagnostics diag;
  IntelSet intel;  // config `intel:` + --intel (cli/intel_common.h)
  // Set before detect_prepare_and_read: SRUM inputs are collected into `srum` (with the event
  // logs' folders) instead of skipped (hunt reads them: cli/srum_common.h).
  bool want_srum = false;
  SrumInputs srum;
};

// Loads config, GeoIP and state (locked for the run), then reads every input. Returns an exit
// code; on error the message has been printed.
int detect_prepare_and_read(const DetectOptions& o, DetectRun& run, bool create_state);

}  // namespace outflow::cli
