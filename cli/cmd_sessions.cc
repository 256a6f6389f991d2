// `outflow sessions`: one JSON line per stitched session, with the process that made it.
#include <cstdio>
#include <fmt/format.h>
#include <memory>

#include "command.h"
#include "common.h"
#include "intel_common.h"
#include "outflow/config/detect_config.h"
#include "outflow/write/async_writer.h"
#include "outflow/write/intel_out.h"
#include "outflow/write/session_json.h"

namespace outflow::cli {
namespace {

struct SessionsOptions {
  CommonOptions common;
  bool all = false;  // no-op, kept for compatibility: every session is printed by default
  bool attributed_only = false;
};

int run_sessions(const SessionsOptions& so) {
  const CommonOptions& o = so.common;
  // Written on a thread of its own (write/async_writer.h): the kernel's copy of the output was a
  // third of the join thread's time.
  AsyncWriter out(stdout);
  bool write_failed = false;
  // Keeps each process's rendering between its sessions (measured: 1,959 processes for 273,570
  // lines on the 1 GB benchmark, 99% of lines served from the cache).
  SessionJsonWriter writer;
  IntelSet intel;  // --intel: each session's destination looked up once (address and name)
  if (!o.intel.empty()) {
    DetectConfig cfg = default_config();
    if (const int irc = load_run_intel(o, cfg, intel); irc != kExitOk) return irc;
  }
  std::vector<IntelMatch> scratch;
  SessionPipeline pipe(pipeline_options(o), [&](const Session& s, const Attribution& a) {
    if (so.attributed_only && a.status != AttributionStatus::matched && a.status != AttributionStatus::inferred) return;
    std::string& buf = out.buffer();
    writer.write(buf, s, a, pipe);
    if (!intel.empty()) {
      const bool host_orig = a.host == kNoHost || a.host_is_orig;
      const IpAddr& dst = host_orig ? s.resp_h : s.orig_h;
      append_session_intel(buf, intel, dst, pipe.index().destination_name(s, dst, a.host, host_orig ? s.orig_h : s.resp_h),
                           s.start, s.end, scratch);
    }
    if (!out.maybe_flush()) write_failed = true;
  });
  std::vector<FileStats> files;
  Diagnostics diag;
  const int rc = run_inputs(o, pipe, files, diag);
  if (!out.finish() || write_failed) {
    fmt::print(stderr, "outflow: cannot write output\n");
    return kExitError;
  }
  if (rc != kExitOk) return rc;
  print_summary(o, pipe, diag, files);
  if (!intel.feeds().empty()) report_intel_warnings(intel, kNoTime, o.quiet);
  return kExitOk;
}

const bool registered = register_command(10, [](CLI::App& app) {
  auto o = std::make_shared<SessionsOptions>();
  auto* cmd = app.add_subcommand("sessions",
                                 "One JSON line per session (stitched flow) with the process that made it: ECS fields "
                                 "host.*, user.*, process.*, source.*, destination.*, network.*, event.*, plus "
                                 "outflow.lineage and outflow.attribution (how it was matched, or why not).");
  add_common(cmd, o->common);
  cmd->add_flag("--attributed-only", o->attributed_only,
                "Print only sessions matched or inferred to a process (hides ambiguous, no_endpoint_event, host_unknown)");
  cmd->add_flag("--all", o->all,
                "No effect, kept for compatibility: sessions with no monitored host (host_unknown) are printed by default");
  return Command{cmd, [o] { return run_sessions(*o); }};
});

}  // namespace
}  // namespace outflow::cli
