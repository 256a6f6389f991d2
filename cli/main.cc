// outflow: the command-line front end. The only place that prints or exits.
//
// Exit codes: 0 success (malformed records are skipped and reported on stderr, not fatal);
// 2 usage error, missing or unreadable input, or a read error that ended the run.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fmt/format.h>
#include <string>
#include <vector>

#include "outflow/join/pipeline.h"
#include "outflow/read/input.h"
#include "outflow/write/coverage_report.h"
#include "outflow/write/session_json.h"
#include "outflow/write/terminal.h"

namespace {

using namespace outflow;

constexpr int kExitOk = 0;
constexpr int kExitError = 2;

struct CommonOptions {
  std::vector<std::string> inputs;
  size_t max_processes = 4'000'000;
  double window_s = 120;
  double window_unknown_h = 12;
  double idle_s = 3600;
  bool quiet = false;
};

void add_common(CLI::App* cmd, CommonOptions& o) {
  cmd->add_option("inputs", o.inputs,
                  "Files or folders (searched recursively), or - for stdin. Formats are detected from content: "
                  "Sysmon/Windows JSON lines (flat, Winlogbeat/ECS, Azure), EVTX, Zeek conn/dns logs (TSV or JSON), "
                  "nfdump -o csv; plain, .gz or .zst.")
      ->required();
  cmd->add_option("--max-processes", o.max_processes, "Cap of the process table; past it new processes are dropped and counted")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1000}, size_t{1} << 34));
  cmd->add_option("--window", o.window_s,
                  "Seconds an event's time may fall outside its flow once the host's clock offset is known")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 86400.0));
  cmd->add_option("--window-unknown-offset", o.window_unknown_h,
                  "Hours the same may be while a host's clock offset is not yet known (real clocks are hours off)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 48.0));
  cmd->add_option("--idle", o.idle_s, "Seconds of record time after which an open session is considered finished")
      ->capture_default_str()
      ->check(CLI::Range(60.0, 7 * 86400.0));
  cmd->add_flag("-q,--quiet", o.quiet, "No summary or progress on stderr");
}

PipelineOptions pipeline_options(const CommonOptions& o) {
  PipelineOptions p;
  p.max_processes = o.max_processes;
  p.attribute.window = static_cast<TimeNs>(o.window_s * 1e9);
  p.attribute.window_unknown = static_cast<TimeNs>(o.window_unknown_h * 3600e9);
  p.stitch.idle = static_cast<TimeNs>(o.idle_s * 1e9);
  return p;
}

bool endpoint_format(InputFormat f) { return f == InputFormat::windows_json || f == InputFormat::evtx; }

// Reads every input into the pipeline: endpoint logs first, then flow logs (a session is
// attributed when it is complete, so the hosts' events must be known by then).
int run_inputs(const CommonOptions& o, SessionPipeline& pipe, std::vector<FileStats>& stats, Diagnostics& diag) {
  std::vector<std::string> files;
  std::string err;
  if (!expand_inputs(o.inputs, files, err)) {
    fmt::print(stderr, "outflow: {}\n", terminal_safe(err));
    return kExitError;
  }
  // Explicitly named files must be readable and understood; files found in folders that are
  // not are reported and skipped.
  std::vector<std::pair<int, std::string>> ordered;
  for (const auto& f : files) {
    if (f == "-") {
      ordered.emplace_back(0, f);
      continue;
    }
    std::string e2;
    InputFormat fmt_ = InputFormat::unknown;
    if (!detect_file_format(f, fmt_, e2)) {
      fmt::print(stderr, "outflow: {}\n", terminal_safe(e2));
      return kExitError;
    }
    const bool named = std::find(o.inputs.begin(), o.inputs.end(), f) != o.inputs.end();
    if (fmt_ == InputFormat::unknown) {
      if (named) {
        fmt::print(stderr,
                   "outflow: {}: format not recognised (expected Sysmon/Windows JSON lines, EVTX, Zeek TSV/JSON or nfdump -o csv)\n",
                   terminal_safe(f));
        return kExitError;
      }
      diag.bad_input(f, "format not recognised, skipped");
      continue;
    }
    ordered.emplace_back(endpoint_format(fmt_) ? 1 : 2, f);
  }
  std::stable_sort(ordered.begin(), ordered.end(), [](auto& a, auto& b) { return a.first < b.first; });
  const bool tty = isatty(2) && !o.quiet;
  size_t i = 0;
  for (const auto& [phase, f] : ordered) {
    ++i;
    if (tty) fmt::print(stderr, "\r\033[K[{}/{}] {}", i, ordered.size(), terminal_safe(f));
    FileStats fs;
    std::string e3;
    if (!read_input_file(f, pipe, diag, fs, e3)) {
      if (tty) fmt::print(stderr, "\r\033[K");
      fmt::print(stderr, "outflow: {}\n", terminal_safe(e3));
      stats.push_back(fs);
      return kExitError;
    }
    stats.push_back(fs);
  }
  if (tty) fmt::print(stderr, "\r\033[K");
  pipe.finish();
  return kExitOk;
}

void print_summary(const CommonOptions& o, const SessionPipeline& pipe, const Diagnostics& diag, const std::vector<FileStats>& files) {
  if (o.quiet) return;
  const auto& st = pipe.stats();
  uint64_t matched = st.by_status.count(AttributionStatus::matched) ? st.by_status.at(AttributionStatus::matched) : 0;
  uint64_t inferred = st.by_status.count(AttributionStatus::inferred) ? st.by_status.at(AttributionStatus::inferred) : 0;
  fmt::print(stderr, "outflow: {} files, {} host events, {} flow records -> {} sessions ({} matched, {} inferred)\n", files.size(),
             st.host_events, st.flow_records, st.sessions, matched, inferred);
  if (diag.bad_records()) {
    fmt::print(stderr, "outflow: {} malformed records skipped:\n", diag.bad_records());
    for (const auto& [r, c] : diag.bad_by_reason()) fmt::print(stderr, "  {:>8}  {}\n", c, terminal_safe(r));
    for (const auto& s : diag.samples())
      fmt::print(stderr, "  e.g. {}:{} (byte {}): {}\n", terminal_safe(s.file), s.line, s.offset, terminal_safe(s.reason));
  }
  for (const auto& [f, r] : diag.bad_inputs()) fmt::print(stderr, "outflow: skipped {}: {}\n", terminal_safe(f), terminal_safe(r));
}

int cmd_sessions(const CommonOptions& o, bool all) {
  std::string buf;
  buf.reserve(1 << 20);
  uint64_t written = 0;
  auto flush = [&] {
    if (!buf.empty() && std::fwrite(buf.data(), 1, buf.size(), stdout) != buf.size()) return false;
    buf.clear();
    return true;
  };
  bool write_failed = false;
  SessionPipeline pipe(pipeline_options(o), [&](const Session& s, const Attribution& a) {
    if (!all && a.status == AttributionStatus::host_unknown) return;
    write_session_json(buf, s, a, pipe);
    ++written;
    if (buf.size() > (1 << 20) && !flush()) write_failed = true;
  });
  std::vector<FileStats> files;
  Diagnostics diag;
  const int rc = run_inputs(o, pipe, files, diag);
  if (!flush() || write_failed || std::fflush(stdout) != 0) {
    fmt::print(stderr, "outflow: cannot write output\n");
    return kExitError;
  }
  if (rc != kExitOk) return rc;
  print_summary(o, pipe, diag, files);
  return kExitOk;
}

int cmd_coverage(const CommonOptions& o, bool json) {
  SessionPipeline pipe(pipeline_options(o), nullptr);
  std::vector<FileStats> files;
  Diagnostics diag;
  const int rc = run_inputs(o, pipe, files, diag);
  if (rc != kExitOk) return rc;
  const CoverageInputs in{pipe, files, diag};
  const std::string out = json ? coverage_json(in) : coverage_text(in);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "outflow: which process moved data out of this network, to where, as whom, how much, and for how long.\n"
      "Joins endpoint process events (Sysmon, Windows Security) with flow records (Zeek, NetFlow).\n\n"
      "Examples:\n"
      "  outflow sessions host-logs/ zeek/conn.*.log.gz > sessions.jsonl\n"
      "  outflow sessions sysmon.json.zst flows.nfdump.csv | jq 'select(.source.bytes > 1e6)'\n"
      "  outflow coverage evtx-folder/ zeek/            # can this telemetry support the analytic?\n\n"
      "Exit status: 0 success (malformed records are skipped and summarised on stderr), 2 error."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "outflow 0.1.0");

  CommonOptions sess_o, cov_o;
  bool all = false, json = false;
  auto* sess = app.add_subcommand("sessions",
                                  "One JSON line per session (stitched flow) with the process that made it: ECS fields "
                                  "host.*, user.*, process.*, source.*, destination.*, network.*, event.*, plus "
                                  "outflow.lineage and outflow.attribution (how it was matched, or why not).");
  add_common(sess, sess_o);
  sess->add_flag("--all", all, "Also print sessions where neither end is a monitored host (host_unknown)");
  auto* cov = app.add_subcommand("coverage",
                                 "Telemetry readiness per host and overall: event counts, time spans, share of flows and "
                                 "bytes attributed to a process, clock offsets and their evidence, missing event types, "
                                 "anomalies (e.g. a sensor that misses outgoing packets).");
  add_common(cov, cov_o);
  cov->add_flag("--json", json, "Machine-readable JSON instead of the table");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    fmt::print(stderr, "outflow: {}\nRun 'outflow --help' or 'outflow {} --help'.\n", e.what(),
               app.get_subcommands().empty() ? "COMMAND" : app.get_subcommands().front()->get_name());
    return kExitError;
  }
  try {
    if (*sess) return cmd_sessions(sess_o, all);
    if (*cov) return cmd_coverage(cov_o, json);
  } catch (const std::exception& e) {
    fmt::print(stderr, "outflow: fatal: {}\n", e.what());
    return kExitError;
  }
  return kExitError;
}
