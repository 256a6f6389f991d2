// Shared plumbing of the commands that read inputs (see common.h).
#include "common.h"
#include "srum_common.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <cstdio>
#include <fmt/format.h>

#include "command.h"
#include "outflow/join/clock_survey.h"
#include "outflow/read/merged_reader.h"
#include "outflow/write/terminal.h"

namespace outflow::cli {

void add_common(CLI::App* cmd, CommonOptions& o) {
  cmd->add_option("inputs", o.inputs,
                  "Files or folders (searched recursively), - for stdin, pipes (<(...)) or FIFOs (read once). Formats are "
                  "detected from content: "
                  "Sysmon/Windows JSON lines (flat, Winlogbeat/ECS, Azure), EVTX, Zeek logs (TSV or JSON: conn, dns, ssl, "
                  "http, files, dhcp, capture_loss; the others counted as read but not used), "
                  "Suricata EVE JSON (flow, netflow, dns, tls, http, fileinfo, alert, stats), nfdump -o csv, PAN-OS and FortiGate traffic logs, Windows Firewall pfirewall.log, Squid access.log, "
                  "SRUM (SRUDB.dat or SrumECmd's NetworkUsages CSV: read by hunt, coverage and usage, skipped with a note by the "
                  "others); plain, .gz or .zst.")
      ->required();
  cmd->add_option("--intel", o.intel,
                  "Threat-intel or trusted-site feed, [KIND:]PATH (repeatable; a folder = every file in it). KIND: malicious "
                  "(default), suspicious, trusted_abused, popular, label. Plain lists, CSV (abuse.ch), STIX 2.1, MISP events and "
                  "warning lists, recognised from content; read offline (docs/intel.md)")
      ->allow_extra_args(false);
  cmd->add_option("--max-processes", o.max_processes, "Cap of the process table; past it new processes are dropped and counted")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1000}, size_t{1} << 34));
  cmd->add_option("--live-processes", o.live_processes,
                  "Memory bound when reading by time: past this many processes held, the quarter idle longest are forgotten "
                  "early (running or not) and counted in coverage; about 1 KiB each with their index entries")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1000}, size_t{1} << 32));
  cmd->add_option("--live-connects", o.live_connects,
                  "Memory bound when reading by time: past this many connection events waiting for their flows, the oldest "
                  "quarter are forgotten early and counted in coverage")
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

bool detect_or_say(const std::string& path, DetectedInput& in) {
  std::string err;
  if (detect_input(path, in, err)) return true;
  fmt::print(stderr, "outflow: {}\n", terminal_safe(err));
  return false;
}

// How far ahead of the flows the endpoint side is read: as far as a host's clock may be off
// while its offset is unknown.
static TimeNs pipe_lead(const CommonOptions& o) { return static_cast<TimeNs>(o.window_unknown_h * 3600e9); }

PipelineOptions pipeline_options(const CommonOptions& o) {
  PipelineOptions p;
  p.max_processes = o.max_processes;
  p.live_processes = o.live_processes;
  p.live_connects = o.live_connects;
  p.attribute.window = static_cast<TimeNs>(o.window_s * 1e9);
  p.attribute.window_unknown = static_cast<TimeNs>(o.window_unknown_h * 3600e9);
  p.stitch.idle = static_cast<TimeNs>(o.idle_s * 1e9);
  // The pipeline counts from arrival, and endpoint events arrive the lead ahead of their time.
  p.retention = static_cast<TimeNs>(o.retention_h * 3600e9) + pipe_lead(o);
  return p;
}

static bool endpoint_format(InputFormat f) { return f == InputFormat::windows_json || f == InputFormat::evtx; }

static bool named_input(const CommonOptions& o, const std::string& f) {
  return std::find(o.inputs.begin(), o.inputs.end(), f) != o.inputs.end();
}

// Inputs that had bytes but gave no record. One the reader could not understand (malformed
// records, JSON lines that are not Windows events) is an error when it was named, as a named
// file of unknown format is: its message is printed and the result is kExitError; found in a
// folder, it is a bad input. One well-formed with nothing Outflow reads (other event ids,
// headers only) is recorded as such. Both are named in the summary and in coverage. A Zeek log
// Outflow does not use (files, x509...) is neither: it is counted as read but not used
// (Diagnostics::unused_log). An empty input is a note. Returns kExitOk or kExitError.
static int check_records(const CommonOptions& o, const std::vector<FileStats>& stats, Diagnostics& diag) {
  int rc = kExitOk;
  for (const auto& fs : stats) {
    if (fs.format == InputFormat::empty || (fs.raw_bytes == 0 && fs.bytes == 0)) {
      diag.note(fs.path, 0, "empty input (nothing but blank space, or no bytes)");
      continue;
    }
    if (fs.records() > 0) continue;
    // A Zeek log read but not used (files, x509, weird...): counted apart, not "no records".
    if (fs.unused_logs > 0 && fs.bad == 0) continue;
    const auto& bad = diag.bad_inputs();
    const auto said = std::find_if(bad.begin(), bad.end(), [&](const auto& b) { return b.first == fs.path; });
    std::string why = fmt::format("no records read ({}, {} bytes, {} {}, {} malformed)", input_format_name(fs.format), fs.bytes,
                                  fs.lines, fs.format == InputFormat::evtx ? "records" : "lines", fs.bad);
    if (said != bad.end()) why += ": " + said->second;
    const bool not_understood = fs.bad > 0 || said != bad.end();
    if (not_understood && named_input(o, fs.path)) {
      fmt::print(stderr, "outflow: {}: {}\n", terminal_safe(fs.path), terminal_safe(why));
      rc = kExitError;
    } else if (said != bad.end()) {
      // The reader has said why already.
    } else if (not_understood) {
      diag.bad_input(fs.path, why);
    } else {
      diag.no_records(fs.path, why + ": nothing of a kind Outflow reads");
    }
  }
  return rc;
}

int run_inputs(const CommonOptions& o, SessionPipeline& pipe, std::vector<FileStats>& stats, Diagnostics& diag,
               SrumInputs* srum) {
  std::vector<std::string> files;
  std::string err;
  if (!expand_inputs(o.inputs, files, err)) {
    fmt::print(stderr, "outflow: {}\n", terminal_safe(err));
    return kExitError;
  }
  // Explicitly named files must be readable and understood; files found in folders that are
  // not are reported and skipped. An input that can be read only once (stdin, a pipe, a FIFO)
  // stays open from here on, with the bytes detection read (DetectedInput::once).
  // 1: endpoint, 2: Zeek logs that name things (dns, ssl, http, dhcp), 3: the other flow inputs.
  std::vector<std::pair<int, DetectedInput>> ordered;
  for (const auto& f : files) {
    DetectedInput in;
    if (!detect_or_say(f, in)) return kExitError;
    if (in.format == InputFormat::unknown) {
      if (named_input(o, f)) {
        fmt::print(stderr,
                   "outflow: {}: format not recognised (expected Sysmon/Windows JSON lines, EVTX, Zeek TSV/JSON, nfdump -o csv, "
                   "Suricata EVE, Squid access.log, PAN-OS/FortiGate traffic logs or pfirewall.log)\n",
                   terminal_safe(f));
        return kExitError;
      }
      diag.bad_input(f, "format not recognised, skipped");
      continue;
    }
    if (srum_format(in.format) && srum) {
      in.path = f;
      srum->srum.push_back(std::move(in));
      continue;
    }
    if (srum && endpoint_format(in.format) && !in.once) srum->event_logs[std::filesystem::path(f).parent_path().string()].push_back(f);
    if (srum_format(in.format)) {
      // SRUM gives per-program volume per hour, not flows or process events: `outflow usage`.
      diag.note(f, 0, "SRUM (SRUDB.dat or an export of it): read by `outflow usage`, `hunt` and `coverage`, skipped by this command");
      continue;
    }
    const int phase = endpoint_format(in.format) ? 1 : in.names ? 2 : 3;
    ordered.emplace_back(phase, std::move(in));
  }
  const bool tty = isatty(2) && !o.quiet;
  const bool has_endpoint = std::any_of(ordered.begin(), ordered.end(), [](auto& x) { return x.first == 1; });
  // An empty file (a host whose log was empty: common in a collection) is read only to be noted:
  // it is no flow input and no kind of sensor. Counted as one, it engaged the sensor merge, which
  // then held every session (600 host files with 43 empty ones: 62 MB and a slower join).
  const auto flow_input = [](const auto& x) { return x.first != 1 && x.second.format != InputFormat::empty; };
  const bool has_flow = std::any_of(ordered.begin(), ordered.end(), flow_input);
  // Flows from two kinds of sensor (Zeek and a firewall's log...) may log the same connection
  // twice: the pipeline merges them (join/sensor_merge.h), which needs them read side by side.
  std::set<InputFormat> flow_kinds;
  // Suricata's eve.json names things (dns, tls, http events) and carries flows: a flow input
  // whatever its phase (read one after another, its sessions and Zeek's of the same connections
  // came a whole file apart and were counted twice).
  for (const auto& [phase, in] : ordered)
    if ((phase == 3 && in.format != InputFormat::squid && in.format != InputFormat::empty) || in.format == InputFormat::suricata_eve)
      flow_kinds.insert(in.format == InputFormat::zeek_json || in.format == InputFormat::zeek_text ? InputFormat::zeek_tsv : in.format);
  const bool several_sensors = flow_kinds.size() > 1;
  if (several_sensors) pipe.engage_sensor_merge();
  // Zeek and Suricata logging the same connection: the sensor merge takes them when it is on
  // (it keeps the bytes of the sensor that saw both directions); the stitcher's first-wins
  // check (join/cross_sensor.h) only when both are read and the merge is off.
  bool zeek = false, suricata = false;
  for (const auto& [phase, in] : ordered) {
    zeek |= in.format == InputFormat::zeek_tsv || in.format == InputFormat::zeek_json || in.format == InputFormat::zeek_text;
    suricata |= in.format == InputFormat::suricata_eve;
  }
  pipe.set_cross_sensor_dedupe(zeek && suricata && !pipe.sensor_merge_engaged());
  // Clocks first (join/clock_survey.h): the join over the first part of every input, so that
  // offsets of days are known before the flows they concern. Inputs read only once (pipes)
  // are not surveyed.
  ClockSurvey survey;
  if (has_endpoint && has_flow) {
    std::vector<SurveyInput> sin;
    for (const auto& [phase, in] : ordered)
      if (!in.once) sin.push_back({in.path, phase == 1});
    survey = survey_clocks(sin, survey_budget(sin), pipeline_options(o));
    survey.seed(pipe);
  }
  if (o.read_order == "time" && ((has_endpoint && has_flow) || several_sensors) && ordered.size() > 1) {
    // Merged by time: each input's first record time tells when to open it (endpoint events
    // on the sensor's clock, as the merge keys them; at once for one read only once: its bytes
    // are not read twice).
    MergeOptions mo;
    if (survey.largest > 600 * kNsPerSec) mo.endpoint_shift = survey.shift();
    std::vector<MergeInput> inputs;
    for (const auto& [phase, in] : ordered)
      inputs.push_back({in.path, in.once ? kNoTime : probe_first_time(in.path, mo.endpoint_shift), phase == 1, in.once});
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
    return check_records(o, stats, diag);
  }
  // One after another: endpoint logs, then the logs that name destinations and hosts, then
  // connections (a Zeek session is emitted, and named, when its conn record is read).
  std::stable_sort(ordered.begin(), ordered.end(), [](auto& a, auto& b) { return a.first < b.first; });
  size_t i = 0;
  for (auto& [phase, in] : ordered) {
    ++i;
    if (tty) fmt::print(stderr, "\r\033[K[{}/{}] {}", i, ordered.size(), terminal_safe(in.path));
    std::string e3;
    // Read on a thread of its own (a one-input merge keeps the file's order): parsing on one
    // core, the join and the detector on another. A flow-only input is otherwise one thread.
    MergeOptions mo;
    mo.threads = o.threads;
    mo.batch = 1024;  // one input: nothing to interleave, so fewer hand-overs (wake-ups)
    std::vector<FileStats> one;
    const bool ok = read_merged({MergeInput{in.path, kNoTime, phase == 1, in.once}}, pipe, mo, diag, one, e3);
    in.once.reset();  // read: its buffers go
    stats.insert(stats.end(), one.begin(), one.end());
    if (!ok) {
      if (tty) fmt::print(stderr, "\r\033[K");
      fmt::print(stderr, "outflow: {}\n", terminal_safe(e3));
      return kExitError;
    }
  }
  if (tty) fmt::print(stderr, "\r\033[K");
  pipe.finish();
  return check_records(o, stats, diag);
}

void print_summary(const CommonOptions& o, const SessionPipeline& pipe, const Diagnostics& diag, const std::vector<FileStats>& files) {
  if (o.quiet) return;
  const auto& st = pipe.stats();
  uint64_t matched = st.by_status.count(AttributionStatus::matched) ? st.by_status.at(AttributionStatus::matched) : 0;
  uint64_t inferred = st.by_status.count(AttributionStatus::inferred) ? st.by_status.at(AttributionStatus::inferred) : 0;
  fmt::print(stderr, "outflow: {} files, {} host events, {} flow records -> {} sessions ({} matched, {} inferred)\n", files.size(),
             st.host_events, st.flow_records, st.sessions, matched, inferred);
  if (st.denied_flows)
    fmt::print(stderr, "outflow: {} flow records are connections a firewall denied or dropped: no session (not transfers)\n",
               st.denied_flows);
  if (const ProxyFinder& px = pipe.proxies(); px.squid_records)
    fmt::print(stderr,
               "outflow: {} web proxy requests read (Squid access.log): {} made sessions, {} the same transfers as a sensor's "
               "sessions, {} unused (denied, no host or time)\n",
               px.squid_records, px.squid_sessions, px.squid_seen_by_sensor, px.squid_unused);
  if (const SensorMerge& m = pipe.sensor_merge(); pipe.sensors_merged() && m.merged())
    fmt::print(stderr, "outflow: {} sessions were logged by two kinds of sensor and merged (not counted twice; {} on post-NAT addresses)\n",
               m.merged(), m.merged_by_nat());
  if (diag.bad_records()) {
    fmt::print(stderr, "outflow: {} malformed records skipped:\n", diag.bad_records());
    for (const auto& [r, c] : diag.bad_by_reason()) fmt::print(stderr, "  {:>8}  {}\n", c, terminal_safe(r));
    for (const auto& s : diag.samples())
      fmt::print(stderr, "  e.g. {}:{} (byte {}): {}\n", terminal_safe(s.file), s.line, s.offset, terminal_safe(s.reason));
  }
  if (diag.dubious_values()) {
    fmt::print(stderr, "outflow: {} values not believed (records kept):\n", diag.dubious_values());
    for (const auto& [r, c] : diag.dubious_by_reason()) fmt::print(stderr, "  {:>8}  {}\n", c, terminal_safe(r));
    for (const auto& s : diag.dubious_samples())
      fmt::print(stderr, "  e.g. {}:{} (byte {}): {}\n", terminal_safe(s.file), s.line, s.offset, terminal_safe(s.reason));
  }
  if (diag.recovered_records()) {
    fmt::print(stderr, "outflow: {} records recovered from damaged chunks (kept, marked outflow.recovered):\n",
               diag.recovered_records());
    for (const auto& [r, c] : diag.recovered_by_reason()) fmt::print(stderr, "  {:>8}  {}\n", c, terminal_safe(r));
  }
  for (const auto& [r, c] : diag.notes_by_reason()) fmt::print(stderr, "outflow: note: {} files: {}\n", c, terminal_safe(r));
  if (const uint64_t n = diag.unused_log_files()) {
    // One line, not one per file: other Zeek logs are expected next to conn.log.
    std::string logs;
    for (const auto& [log, u] : diag.unused_logs()) logs += fmt::format("{}{} {}", logs.empty() ? "" : ", ", log, u.files);
    // Zeek logs by name; Suricata EVE event types as "eve TYPE" (docs/suricata.md).
    const bool eve = logs.find("eve ") != std::string::npos;
    fmt::print(stderr, "outflow: read but not used: {} {}{} ({})\n", n, eve ? "Zeek log or EVE event type" : "Zeek log",
               n == 1 ? "" : "s", terminal_safe(logs));
  }
  for (const auto* inputs : {&diag.bad_inputs(), &diag.no_record_inputs()})
    for (const auto& [f, r] : *inputs) fmt::print(stderr, "outflow: {}: {}\n", terminal_safe(f), terminal_safe(r));
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
      {pipe.index().apps().conns_dropped(), "Zeek ssl/http connections dropped (their table full)"},
      {pipe.index().apps().leases_dropped(), "DHCP host names dropped (their table full)"},
      {pipe.index().apps().names_dropped(), "names not kept (the name table full)"},
      {pipe.stitcher().forced_early(), "sessions emitted early (open-session table full)"},
      {pipe.stitcher().duplicate_records(), "duplicate NetFlow records ignored"},
  };
  for (const auto& l : limits)
    if (l.n) fmt::print(stderr, "outflow: {} {}\n", l.n, l.what);
}

}  // namespace outflow::cli
