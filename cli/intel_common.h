// The feeds a command is given (config `intel:` and --intel), loaded once before the inputs are
// read; the warnings about them once the data's time is known.
#pragma once
#include "common.h"
#include "outflow/config/detect_config.h"
#include "outflow/intel/intel_set.h"

namespace outflow::cli {

// Loads cfg.intel and every --intel into `set`. Returns an exit code; on error the message has
// been printed.
int load_run_intel(const CommonOptions& o, const DetectConfig& cfg, IntelSet& set);
// Counts expired indicators against `ref` (the data's last record time; kNoTime: each feed's
// newest date) and prints a warning per feed older than its max_age, and per feed not read.
void report_intel_warnings(IntelSet& set, TimeNs ref, bool quiet);

}  // namespace outflow::cli
