// `outflow usage`: SRUM network usage (SRUDB.dat, or SrumECmd / Chainsaw / Velociraptor exports):
// bytes each program sent and received per interval, per host and user, ranked by bytes sent,
// with the interface totals apart. JSON lines (default) or a table. See docs/srum.md.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <memory>

#include "command.h"
#include "common.h"
#include "outflow/features/usage_aggregate.h"
#include "outflow/join/usage_processes.h"
#include "outflow/read/srum/srum_export.h"
#include "outflow/read/srum/srum_input.h"
#include "outflow/score/hunter.h"  // human_duration
#include "outflow/write/terminal.h"
#include "outflow/write/usage_out.h"

namespace outflow::cli {
namespace {

struct UsageOptions {
  std::vector<std::string> inputs;
  std::string host;
  std::string format = "json";
  size_t top = 0;
  bool quiet = false;
};

std::string folder_of(const std::string& p) { return std::filesystem::path(p).parent_path().string(); }

bool within(const std::string& dir, const std::string& ancestor) {
  return ancestor.empty() || dir == ancestor || (dir.starts_with(ancestor) && dir[ancestor.size()] == '/');
}

// The Windows event logs that belong with a SRUM input: those in the nearest folder, going up
// from the input's own, whose tree holds event logs and no other SRUM input (a KAPE collection
// keeps SRUDB.dat in Windows/System32/sru and the logs in Windows/System32/winevt/Logs), never
// above the command-line input it was found in.
std::vector<std::string> logs_for(const std::string& srum_path, const std::vector<std::string>& srum_paths,
                                  const std::map<std::string, std::vector<std::string>>& event_logs,
                                  const std::vector<std::string>& roots) {
  std::string root;
  for (const auto& r : roots) {
    std::string rr = r;
    while (rr.size() > 1 && rr.back() == '/') rr.pop_back();
    if (within(srum_path, rr) && rr.size() > root.size() && rr != srum_path) root = rr;
  }
  for (std::string a = folder_of(srum_path);; a = folder_of(a)) {
    if (!root.empty() && !within(a, root)) break;
    if (std::any_of(srum_paths.begin(), srum_paths.end(), [&](const auto& o) { return o != srum_path && within(folder_of(o), a); }))
      break;
    std::vector<std::string> found;
    for (const auto& [dir, files] : event_logs)
      if (within(dir, a)) found.insert(found.end(), files.begin(), files.end());
    if (!found.empty() || a.empty() || a == "/" || a == folder_of(a)) return found;
  }
  return {};
}

// What is said about one SRUM input on stderr.
void report_file(const srum::UsageFile& f, const std::string& host, const UsageSpan& sp) {
  const std::string p = terminal_safe(f.path);
  if (!f.error.empty()) {
    fmt::print(stderr, "outflow: {}\n", terminal_safe(f.error));
    return;
  }
  if (f.no_usage_table) {
    fmt::print(stderr,
               "outflow: {}: SRUM without a per-program network usage table ({{973F5D5C-...}}; Windows Server keeps "
               "none): which program sent how much cannot be told from it ({} ids mapped)\n",
               p, f.id_map_rows);
  } else {
    const uint64_t totals = f.interface_totals_read;
    fmt::print(stderr, "outflow: {}: {} ({}), {} network usage rows: {} per program, {} interface totals{}\n", p, f.source,
               host.empty() ? "host unknown: --host names it" : "host " + terminal_safe(host), f.rows_read,
               f.rows_read - totals, totals, f.source == "srudb" ? fmt::format(", {} ids mapped", f.id_map_rows) : "");
  }
  if (sp.intervals > 0)
    fmt::print(stderr, "outflow: {}: {} to {} UTC, {} interval{}{}\n", p, format_time(sp.first).substr(0, 16),
               format_time(sp.last).substr(0, 16), sp.intervals, sp.intervals == 1 ? "" : "s",
               sp.gaps ? fmt::format(", {} gap{} over 2 h between flushes (longest {}: machine off or asleep, or rows "
                                     "removed)",
                                     sp.gaps, sp.gaps == 1 ? "" : "s", human_duration(sp.longest_gap))
                       : std::string());
  if (f.dirty)
    fmt::print(stderr,
               "outflow: {}: the database is dirty (copied from a running system, state dirty shutdown): read from an "
               "in-memory copy{}; the last interval may be missing. The file itself is unchanged\n",
               p, f.header_checksums_fixed ? fmt::format(" whose {} header checksum(s) were corrected", f.header_checksums_fixed) : "");
  if (f.bad_rows) fmt::print(stderr, "outflow: {}: {} rows could not be read (skipped)\n", p, f.bad_rows);
  for (const auto& n : f.notes) fmt::print(stderr, "outflow: {}: note: {}\n", p, terminal_safe(n));
  if (f.source == "chainsaw-json")
    fmt::print(stderr, "outflow: {}: note: Chainsaw cuts time stamps to the second: they may be a second early\n", p);
}

int run_usage(const UsageOptions& o) {
  std::vector<std::string> files;
  std::string err;
  if (!expand_inputs(o.inputs, files, err)) {
    fmt::print(stderr, "outflow: {}\n", terminal_safe(err));
    return kExitError;
  }
  const auto named = [&](const std::string& f) { return std::find(o.inputs.begin(), o.inputs.end(), f) != o.inputs.end(); };
  std::vector<DetectedInput> srum_inputs;                       // read once the hosts are known
  std::map<std::string, std::vector<std::string>> event_logs;  // folder -> Windows event logs in it
  std::map<std::string, uint64_t> skipped;                      // reason -> files
  for (const auto& f : files) {
    DetectedInput in;
    if (!detect_or_say(f, in)) return kExitError;
    if (srum_format(in.format)) {
      in.path = f;
      srum_inputs.push_back(std::move(in));
      continue;
    }
    if (in.format == InputFormat::windows_json || in.format == InputFormat::evtx) {
      // A Windows event log: names the host; a JSON file with SRUM's fields in no known shape
      // (a derived oracle, another tool's export) is not understood.
      std::string head, e2;
      auto src = in.once ? nullptr : open_byte_source(f, e2);
      if (src && read_up_to(*src, 8192, head) && srum::srum_like_json(head)) {
        fmt::print(stderr,
                   "outflow: {}: not understood: JSON with SRUM network usage fields in none of the known shapes "
                   "(SrumECmd NetworkUsages CSV, Chainsaw analyse srum JSON, Velociraptor Windows.Forensics.SRUM), skipped\n",
                   terminal_safe(f));
        continue;
      }
      if (!in.once) event_logs[folder_of(f)].push_back(f);
      continue;
    }
    if (in.format == InputFormat::unknown && named(f)) {
      fmt::print(stderr, "outflow: {}: format not recognised (expected SRUDB.dat or a SRUM network usage export)\n",
                 terminal_safe(f));
      return kExitError;
    }
    ++skipped[in.format == InputFormat::unknown ? std::string("format not recognised")
              : in.format == InputFormat::empty  ? std::string("empty (no bytes, or blank space only)")
                                                 : std::string(input_format_name(in.format)) + ": not SRUM, not used by `usage`"];
  }
  // The Windows event logs with a SRUM input (logs_for): its host (unless --host) and the
  // process creations its rows are joined to. Each set of logs is read once. The hosts are known
  // before any row is read: rows are summed as they are read (usage_aggregate.h).
  const size_t n = srum_inputs.size();
  std::vector<std::string> srum_paths, hosts(n), log_errors(n);
  std::vector<const ProcessLog*> log_of(n, nullptr);
  for (const auto& in : srum_inputs) srum_paths.push_back(in.path);
  std::map<std::vector<std::string>, std::unique_ptr<ProcessLog>> logs;
  for (size_t k = 0; k < n; ++k) {
    const std::vector<std::string> mine = logs_for(srum_paths[k], srum_paths, event_logs, o.inputs);
    auto it = logs.find(mine);
    if (it == logs.end()) {
      std::unique_ptr<ProcessLog> log;
      if (!mine.empty()) {
        log = std::make_unique<ProcessLog>();
        for (const auto& f : mine) {
          Diagnostics diag;
          FileStats stats;
          std::string e3;
          if (!read_input_file(f, *log, diag, stats, e3) && !o.quiet)
            log_errors[k] += fmt::format("outflow: {}: event log not read ({})\n", terminal_safe(f), terminal_safe(e3));
        }
      }
      it = logs.emplace(mine, std::move(log)).first;
    }
    log_of[k] = it->second.get();
    hosts[k] = !o.host.empty() ? o.host : log_of[k] ? log_of[k]->main_host() : std::string();
  }
  // Each input's rows go to the aggregator as they are read; the JSON lines keep them compactly
  // (spilled to a temporary file past a bound) until the ranking is known.
  UsageAggregator agg(hosts, {.keep_rows = o.format == "json"});
  std::vector<std::unique_ptr<srum::UsageFile>> read;
  size_t failed = 0, readable = 0;
  for (size_t k = 0; k < n; ++k) {
    auto u = std::make_unique<srum::UsageFile>();
    u->sink = &agg;
    agg.begin_input(k, u.get(), log_of[k]);
    srum::read_srum_input(srum_paths[k], srum_inputs[k].once.get(), srum_inputs[k].format, *u);
    agg.end_input();
    srum_inputs[k].once.reset();
    std::fputs(log_errors[k].c_str(), stderr);
    if (!u->error.empty()) ++failed;
    else ++readable;
    if (!o.quiet || !u->error.empty()) report_file(*u, hosts[k], agg.span(k));
    read.push_back(std::move(u));
  }
  // A SRUDB.dat and its export in one collection: each row counted once.
  for (size_t k = 0; k < n; ++k)
    if (const size_t twice = agg.input(k).read_twice; twice && read[k]->error.empty() && !o.quiet)
      fmt::print(stderr, "outflow: {}: {} rows were read from another input already (the same database exported?): "
                 "counted once\n", terminal_safe(read[k]->path), twice);
  if (!o.quiet)
    for (const auto& [why, cnt] : skipped) fmt::print(stderr, "outflow: note: {} file{} skipped: {}\n", cnt, cnt == 1 ? "" : "s", why);
  if (readable == 0) {
    if (failed == 0) fmt::print(stderr, "outflow: no SRUM input (SRUDB.dat, or SrumECmd / Chainsaw / Velociraptor network usage export)\n");
    return kExitError;
  }
  std::string buf;
  bool written = true;
  const auto flush = [&written](std::string& b) {
    written = written && std::fwrite(b.data(), 1, b.size(), stdout) == b.size();
    b.clear();
    return written;
  };
  if (o.format == "table") write_usage_table(buf, agg.totals(), o.top);
  else write_usage_json(buf, agg, flush);
  if (!o.quiet && !agg.rows().spill_error().empty())
    fmt::print(stderr, "outflow: note: every row held in memory: {}\n", terminal_safe(agg.rows().spill_error()));
  if (!flush(buf) || std::fflush(stdout) != 0) {
    fmt::print(stderr, "outflow: cannot write output\n");
    return kExitError;
  }
  return kExitOk;
}

const bool registered = register_command(25, [](CLI::App& app) {
  auto o = std::make_shared<UsageOptions>();
  auto* cmd = app.add_subcommand(
      "usage",
      "SRUM network usage: bytes each program sent and received per interval (about an hour), per host and user, "
      "ranked by bytes sent; the interface-wide totals apart. Reads SRUDB.dat (never changed: read from memory) and "
      "SrumECmd / Chainsaw / Velociraptor exports. SRUM has no destinations, ports or process ids.");
  cmd->add_option("inputs", o->inputs,
                  "SRUDB.dat files, SRUM exports, or folders (searched recursively; Windows event logs beside a SRUDB.dat "
                  "name its host)")
      ->required();
  cmd->add_option("--host", o->host, "Host name of every SRUM input (else taken from the event logs in its folder)");
  cmd->add_option("--format", o->format, "json: one JSON line per usage record (ECS names); table: programs ranked")
      ->capture_default_str()
      ->check(CLI::IsMember({"json", "table"}));
  cmd->add_option("--top", o->top, "Table: at most this many programs (0 = all)")->capture_default_str();
  cmd->add_flag("-q,--quiet", o->quiet, "No summary on stderr (errors are still printed)");
  return Command{cmd, [o] { return run_usage(*o); }};
});

}  // namespace
}  // namespace outflow::cli
