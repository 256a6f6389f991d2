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
#include "srum_common.h"
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

int run_usage(const UsageOptions& o) {
  std::vector<std::string> files;
  std::string err;
  if (!expand_inputs(o.inputs, files, err)) {
    fmt::print(stderr, "outflow: {}\n", terminal_safe(err));
    return kExitError;
  }
  const auto named = [&](const std::string& f) { return std::find(o.inputs.begin(), o.inputs.end(), f) != o.inputs.end(); };
  SrumInputs si;  // read once the hosts are known
  std::map<std::string, uint64_t> skipped;                      // reason -> files
  for (const auto& f : files) {
    DetectedInput in;
    if (!detect_or_say(f, in)) return kExitError;
    if (srum_format(in.format)) {
      in.path = f;
      si.srum.push_back(std::move(in));
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
      if (!in.once) si.event_logs[std::filesystem::path(f).parent_path().string()].push_back(f);
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
  SrumRead sr;
  read_srum(si, o.inputs, o.host, {.keep_rows = o.format == "json"}, o.quiet, sr);
  UsageAggregator& agg = *sr.agg;
  const size_t failed = sr.failed, readable = sr.readable;
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
