// Shared plumbing of the commands that read inputs (see common.h).
#include "common.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fmt/format.h>

#include "command.h"
#include "outflow/join/clock_survey.h"
#include "outflow/read/merged_reader.h"
#include "outflow/write/terminal.h"

namespace outflow::cli {

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
  cmd->add_option("--threads", o.threads, "Threads that parse EVTX chunks (0 = one per usable core, at most 8)")
      ->capture_default_str()
      ->check(CLI::Range(0u, 64u));
  cmd->add_option("--read-order", o.read_order,
                  "time: every input read at once, merged by record time (memory follows the hours in flight); "
                  "endpoint-first: endpoint logs read whole, then flow logs (memory grows with the endpoint logs)")
      ->capture_default_str()
      ->check(CLI::IsMember({"time", "endpoint-first"}));
  cmd->add_option("--retention", o.retention_h,
                  "Hours of record time a connection event is kept for the join after its time, when reading by "
                  "time: a session that started longer ago than this when its flow record comes is not matched to "
                  "its event (it may still be inferred from the process's first connection to the destination)")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 24.0 * 365));
  cmd->add_flag("-q,--quiet", o.quiet, "No summary or progress on stderr");
}

// How far ahead of the flows the endpoint side is read: as far as a host's clock may be off
// while its offset is unknown.
static TimeNs pipe_lead(const CommonOptions& o) { return static_cast<TimeNs>(o.window_unknown_h * 3600e9); }

PipelineOptions pipeline_options(const CommonOptions& o) {
  PipelineOptions p;
  p.max_processes = o.max_processes;
  p.attribute.window = static_cast<TimeNs>(o.window_s * 1e9);
  p.attribute.window_unknown = static_cast<TimeNs>(o.window_unknown_h * 3600e9);
  p.stitch.idle = static_cast<TimeNs>(o.idle_s * 1e9);
  // The pipeline counts from arrival, and endpoint events arrive the lead ahead of their time.
  p.retention = static_cast<TimeNs>(o.retention_h * 3600e9) + pipe_lead(o);
  return p;
}

static bool endpoint_format(InputFormat f) { return f == InputFormat::windows_json || f == InputFormat::evtx; }

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
  const bool tty = isatty(2) && !o.quiet;
  const bool has_endpoint = std::any_of(ordered.begin(), ordered.end(), [](auto& x) { return x.first <= 1; });
  const bool has_flow = std::any_of(ordered.begin(), ordered.end(), [](auto& x) { return x.first == 0 || x.first == 2; });
  // Clocks first (join/clock_survey.h): the join over the first part of every input, so that
  // offsets of days are known before the flows they concern.
  ClockSurvey survey;
  if (has_endpoint && has_flow) {
    std::vector<SurveyInput> sin;
    for (const auto& [phase, f] : ordered) sin.push_back({f, phase == 1});
    survey = survey_clocks(sin, survey_budget(sin), pipeline_options(o));
    survey.seed(pipe);
  }
  if (o.read_order == "time" && has_endpoint && has_flow && ordered.size() > 1) {
    // Merged by time: each input's first record time tells when to open it (endpoint events
    // on the sensor's clock, as the merge keys them).
    MergeOptions mo;
    if (survey.largest > 600 * kNsPerSec) mo.endpoint_shift = survey.shift();
    if (getenv("OUTFLOW_DEBUG")) fmt::print(stderr, "survey: {} inputs, {} bytes, largest {} s\n", survey.inputs, survey.bytes, survey.largest / kNsPerSec);
    std::vector<MergeInput> inputs;
    for (const auto& [phase, f] : ordered) inputs.push_back({f, probe_first_time(f, mo.endpoint_shift), phase == 1});
    mo.lead = pipe_lead(o);
    mo.threads = o.threads;
    mo.on_clock = [&pipe](TimeNs now) { pipe.advance(now); };
    if (tty)
      mo.on_open = [](size_t i, size_t n, const std::string& f) {
        fmt::print(stderr, "\r\033[K[{}/{} open] {}", i, n, terminal_safe(f));
      };
    std::string e3;
    const bool ok = read_merged(inputs, pipe, mo, diag, stats, e3);
    if (tty) fmt::print(stderr, "\r\033[K");
    if (!ok) {
      fmt::print(stderr, "outflow: {}\n", terminal_safe(e3));
      return kExitError;
    }
    pipe.finish();
    return kExitOk;
  }
  std::stable_sort(ordered.begin(), ordered.end(), [](auto& a, auto& b) { return a.first < b.first; });
  size_t i = 0;
  for (const auto& [phase, f] : ordered) {
    ++i;
    if (tty) fmt::print(stderr, "\r\033[K[{}/{}] {}", i, ordered.size(), terminal_safe(f));
    FileStats fs;
    std::string e3;
    if (!read_input_file(f, pipe, diag, fs, e3, o.threads)) {
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
  if (diag.recovered_records()) {
    fmt::print(stderr, "outflow: {} records recovered from damaged chunks (kept, marked outflow.recovered):\n",
               diag.recovered_records());
    for (const auto& [r, c] : diag.recovered_by_reason()) fmt::print(stderr, "  {:>8}  {}\n", c, terminal_safe(r));
  }
  for (const auto& [r, c] : diag.notes_by_reason()) fmt::print(stderr, "outflow: note: {} files: {}\n", c, terminal_safe(r));
  for (const auto& [f, r] : diag.bad_inputs()) fmt::print(stderr, "outflow: skipped {}: {}\n", terminal_safe(f), terminal_safe(r));
  // Caps reached: what was dropped to keep memory bounded (docs/robustness.md).
  const struct {
    uint64_t n;
    const char* what;
  } limits[] = {
      {pipe.hosts().dropped(), "host events dropped (more than 1,000,000 host names)"},
      {pipe.processes().dropped(), "processes dropped (process table full, --max-processes)"},
      {pipe.processes().pid_history_dropped(), "processes no longer found by PID (a PID reused over 256 times)"},
      {pipe.index().connects_dropped(), "network events dropped (connection index full)"},
      {pipe.index().dns_dropped(), "name resolutions dropped (DNS index full)"},
      {pipe.stitcher().forced_early(), "sessions emitted early (open-session table full)"},
      {pipe.stitcher().duplicate_records(), "duplicate NetFlow records ignored"},
  };
  for (const auto& l : limits)
    if (l.n) fmt::print(stderr, "outflow: {} {}\n", l.n, l.what);
}

}  // namespace outflow::cli
