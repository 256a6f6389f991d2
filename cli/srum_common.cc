#include "srum_common.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>

#include "common.h"
#include "outflow/read/srum/srum_input.h"
#include "outflow/score/hunter.h"  // human_duration
#include "outflow/write/terminal.h"

namespace outflow::cli {
namespace {

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

// A host name in an export's file name: what precedes "_SrumECmd" in "WS01_SrumECmd_NetworkUsages_Output.csv",
// unless that is SrumECmd's own time stamp prefix (digits). "" when none.
std::string host_from_file_name(const std::string& path) {
  const std::string base = std::filesystem::path(path).filename().string();
  const size_t at = base.find("_SrumECmd_");
  if (at == std::string::npos || at == 0) return "";
  const std::string head = base.substr(0, at);
  if (std::all_of(head.begin(), head.end(), [](char c) { return (c >= '0' && c <= '9') || c == '_' || c == '-'; })) return "";
  if (!std::all_of(head.begin(), head.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '.' || c == '_';
      }))
    return "";
  return head;
}

// What is said about one SRUM input on stderr.
void report_file(const srum::UsageFile& f, const std::string& host, bool host_from_name, const UsageSpan& sp) {
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
               host.empty() ? "host unknown: --host names it"
                            : "host " + terminal_safe(host) + (host_from_name ? ", from the file name" : ""), f.rows_read,
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

}  // namespace

void read_srum(SrumInputs& in, const std::vector<std::string>& roots, const std::string& host,
               UsageAggregator::Options agg_options, bool quiet, SrumRead& out) {
  // The Windows event logs with a SRUM input (logs_for): its host (unless `host`) and the
  // process creations its rows are joined to. Each set of logs is read once. The hosts are known
  // before any row is read: rows are summed as they are read (usage_aggregate.h).
  const size_t n = in.srum.size();
  std::vector<std::string> srum_paths, log_errors(n);
  out.hosts.assign(n, std::string());
  out.host_from_name.assign(n, false);
  out.log_of.assign(n, nullptr);
  for (const auto& s : in.srum) srum_paths.push_back(s.path);
  // The ProcessLog of a set of event logs, read once (null for none).
  const auto log_of = [&](const std::vector<std::string>& files, size_t k) -> const ProcessLog* {
    auto it = out.logs.find(files);
    if (it == out.logs.end()) {
      std::unique_ptr<ProcessLog> log;
      if (!files.empty()) {
        log = std::make_unique<ProcessLog>();
        for (const auto& f : files) {
          Diagnostics diag;
          FileStats stats;
          std::string e3;
          if (!read_input_file(f, *log, diag, stats, e3) && !quiet)
            log_errors[k] += fmt::format("outflow: {}: event log not read ({})\n", terminal_safe(f), terminal_safe(e3));
        }
      }
      it = out.logs.emplace(files, std::move(log)).first;
    }
    return it->second.get();
  };
  for (size_t k = 0; k < n; ++k) {
    out.log_of[k] = log_of(logs_for(srum_paths[k], srum_paths, in.event_logs, roots), k);
    out.hosts[k] = !host.empty() ? host : out.log_of[k] ? out.log_of[k]->main_host() : std::string();
    if (out.hosts[k].empty() && !(out.hosts[k] = host_from_file_name(srum_paths[k])).empty()) out.host_from_name[k] = true;
  }
  // A SRUM input of a known host with no event log beside it (exports gathered in one folder, the
  // logs in another): the process creations of that host in every event log of the input. One
  // ProcessLog (it keeps each host apart), read once.
  std::vector<std::string> all_logs;
  for (const auto& [dir, files] : in.event_logs) all_logs.insert(all_logs.end(), files.begin(), files.end());
  for (size_t k = 0; k < n; ++k)
    if (!out.log_of[k] && !out.hosts[k].empty() && !all_logs.empty()) out.log_of[k] = log_of(all_logs, k);
  // Each input's rows go to the aggregator as they are read; the JSON lines keep them compactly
  // (spilled to a temporary file past a bound) until the ranking is known.
  // An unknown host is told apart by its folder: the inputs of one folder (a SRUDB.dat and its
  // export) are one host, those of different folders (a collection of hosts with no event log
  // beside them) different hosts, never summed together.
  std::vector<std::string> same_host(n);
  for (size_t k = 0; k < n; ++k)
    same_host[k] = !out.hosts[k].empty() ? out.hosts[k] : "\x1f" + folder_of(srum_paths[k]);
  out.agg = std::make_unique<UsageAggregator>(out.hosts, agg_options, std::move(same_host));
  for (size_t k = 0; k < n; ++k) {
    auto u = std::make_unique<srum::UsageFile>();
    u->sink = out.agg.get();
    out.agg->begin_input(k, u.get(), out.log_of[k]);
    srum::read_srum_input(srum_paths[k], in.srum[k].once.get(), in.srum[k].format, *u);
    out.agg->end_input();
    in.srum[k].once.reset();
    std::fputs(log_errors[k].c_str(), stderr);
    if (!u->error.empty()) ++out.failed;
    else ++out.readable;
    if (!quiet || !u->error.empty()) report_file(*u, out.hosts[k], out.host_from_name[k], out.agg->span(k));
    out.files.push_back(std::move(u));
  }
  // A SRUDB.dat and its export in one collection: each row counted once.
  for (size_t k = 0; k < n; ++k)
    if (const size_t twice = out.agg->input(k).read_twice; twice && out.files[k]->error.empty() && !quiet)
      fmt::print(stderr, "outflow: {}: {} rows were read from another input already (the same database exported?): "
                 "counted once\n", terminal_safe(out.files[k]->path), twice);
}

}  // namespace outflow::cli
