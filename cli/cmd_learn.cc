// `outflow learn`: record the baselines of an input into the state file (created if absent).
#include <fmt/format.h>
#include <memory>

#include "command.h"
#include "detect_common.h"
#include "intel_common.h"
#include "outflow/write/terminal.h"

namespace outflow::cli {
namespace {

int run_learn(const DetectOptions& o) {
  DetectRun run;
  int rc = detect_prepare_and_read(o, run, true);
  if (rc != kExitOk) return rc;
  Hunter hunter(run.cfg, nullptr);
  Baselines next = run.state;
  const Baselines seen = hunter.observe(*run.pipe, *run.agg, &run.retirer->forgotten());
  next.merge(seen);
  std::string err;
  if (!run.store.save(next, err)) {
    fmt::print(stderr, "outflow: {}\n", terminal_safe(err));
    return kExitError;
  }
  print_summary(o.common, *run.pipe, run.diag, run.files);
  if (!run.intel.feeds().empty()) report_intel_warnings(run.intel, run.agg->last_outbound(), o.common.quiet);
  if (!o.common.quiet)
    fmt::print(stderr, "outflow: state {}: {} run(s), {} hosts, {} destinations, {} process-name baselines, {} parent-child pairs\n",
               terminal_safe(o.state_file), next.runs, next.hosts.size(), next.dests.size(), next.volume.size(), next.pairs.size());
  return kExitOk;
}

const bool registered = register_command(40, [](CLI::App& app) {
  auto o = std::make_shared<DetectOptions>();
  auto* cmd = app.add_subcommand("learn",
                                 "Record what is normal into the state file (--state, created if absent): volume per process "
                                 "name, host role and user; destination prevalence and first-seen; parent-child pairs; who runs "
                                 "what. Later `hunt --state` compares against it. Writes are atomic; one run at a time.");
  add_detect_options(cmd, *o, true);
  return Command{cmd, [o] { return run_learn(*o); }};
});

}  // namespace
}  // namespace outflow::cli
