// `outflow hunt`: the AN0080 detector. Ranked findings for people (table) or machines (JSON
// lines), `--explain N` for the playbook view of one. Exit 0 no finding, 1 findings, 2 error.
#include <cstdio>
#include <fmt/format.h>
#include <memory>

#include "outflow/write/telemetry_warnings.h"
#include "command.h"
#include "detect_common.h"
#include "hunt_command.h"
#include "intel_common.h"
#include "outflow/write/finding_json.h"
#include "outflow/write/finding_text.h"
#include "outflow/write/terminal.h"
#include "outflow/write/usage_finding_out.h"
#include "outflow/score/usage_findings.h"

namespace outflow::cli {
namespace {

bool write_all(const std::string& s) { return std::fwrite(s.data(), 1, s.size(), stdout) == s.size(); }

}  // namespace

int run_hunt(const HuntOptions& o) {
  if (o.learn && o.d.state_file.empty()) {
    fmt::print(stderr, "outflow: --learn records into the state: give --state FILE too\n");
    return kExitError;
  }
  DetectRun run;
  run.want_srum = true;
  int rc = detect_prepare_and_read(o.d, run, false);
  if (rc != kExitOk) return rc;
  Hunter hunter(run.cfg, run.geo.is_open() ? &run.geo : nullptr);
  hunter.keep_suppressed(o.show_suppressed);  // counted either way; kept only to be listed
  hunter.record_judged(!run.srum.srum.empty());  // SRUM's program findings defer to the sensor's
  if (!run.intel.empty()) hunter.set_intel(&run.intel);
  HuntResult r = hunter.run(*run.pipe, *run.agg, run.have_state ? &run.state : nullptr, run.retirer.get());
  if (!r.error.empty()) {
    fmt::print(stderr, "outflow: {}\n", terminal_safe(r.error));
    return kExitError;
  }

  // SRUM (issue 18): each program's upload from the host itself, scored and ranked in one list
  // with the process and host findings; a program finding of a process the hunt found is folded
  // into that finding.
  SrumRead srum;
  UsageScoreResult usage;
  MergeCounts merged;
  if (!run.srum.srum.empty()) {
    read_srum(run.srum, o.d.common.inputs, std::string(), {}, o.d.common.quiet, srum);
    usage = score_usage(run.cfg, *srum.agg);
    merged = merge_usage_findings(r, usage.findings);
  }
  const std::vector<RankedRef> order = rank_together(r, usage.findings, run.cfg.min_score, r.reported);
  size_t usage_reported = 0, usage_below = 0, usage_suppressed = 0;
  for (const auto& u : usage.findings) {
    if (!u.suppressed_by.empty()) ++usage_suppressed;
    if (u.rank > 0) ++usage_reported;
    else if (u.folded_into.empty() && u.suppressed_by.empty() && !u.below_by_sensor) ++usage_below;
  }

  std::string out;
  if (o.explain > 0) {
    const RankedRef* hit = nullptr;
    for (const auto& x : order)
      if ((x.usage ? usage.findings[x.index].rank : r.findings[x.index].rank) == o.explain) hit = &x;
    if (!hit) {
      fmt::print(stderr, "outflow: there is no finding #{} ({} reported)\n", o.explain, r.reported);
      return kExitError;
    }
    out = hit->usage ? explain_usage_finding(usage.findings[hit->index]) : explain_finding(r.findings[hit->index], r, *run.pipe);
  } else if (o.format == "json") {
    size_t n = 0;
    for (const auto& x : order) {
      const int rank = x.usage ? usage.findings[x.index].rank : r.findings[x.index].rank;
      const bool suppressed = x.usage ? !usage.findings[x.index].suppressed_by.empty() : !r.findings[x.index].suppressed_by.empty();
      const bool shown = rank > 0 ? n < run.cfg.max_findings : (o.show_suppressed && suppressed);
      if (!shown) continue;
      if (rank > 0) ++n;
      if (x.usage) write_usage_finding_json(out, usage.findings[x.index]);
      else write_finding_json(out, r.findings[x.index], *run.pipe);
      if (out.size() > (1 << 20)) {
        if (!write_all(out)) break;
        out.clear();
      }
    }
  } else {
    out = findings_table_mixed(r, usage.findings, order, *run.pipe, o.show_suppressed, run.cfg.max_findings);
  }
  if (!write_all(out) || std::fflush(stdout) != 0) {
    fmt::print(stderr, "outflow: cannot write output\n");
    return kExitError;
  }
  if (o.learn && run.have_state) {
    Baselines next = run.state;
    next.merge(r.run);
    std::string err;
    if (!run.store.save(next, err)) {
      fmt::print(stderr, "outflow: {}\n", terminal_safe(err));
      return kExitError;
    }
  }
  print_summary(o.d.common, *run.pipe, run.diag, run.files);
  if (!o.d.common.quiet)
    for (const auto& w : telemetry_warnings(*run.pipe)) fmt::print(stderr, "outflow: warning: {}\n", terminal_safe(w));
  if (!o.d.common.quiet) {
    fmt::print(stderr, "outflow: {} finding(s) at score >= {:g} ({} suppressed by exclusions{}, {} below the score); {} processes and hosts scored, {} hosts in the organisation{}\n",
               r.reported, run.cfg.min_score, r.suppressed, o.show_suppressed ? "" : ", --show-suppressed lists them",
               r.below_threshold, r.candidates, r.org_hosts,
               run.have_state ? fmt::format("; state: {} earlier run(s)", run.state.runs) : "; baselines from this input only");
    if (r.proxy_egress.proxies)
      fmt::print(stderr, "outflow: {} web prox{}' own connections to the Internet ({} sessions, {} out) are their clients' transfers, "
                 "scored as the clients' findings: no finding of their own (docs/proxies.md)\n",
                 r.proxy_egress.proxies, r.proxy_egress.proxies == 1 ? "y" : "ies", r.proxy_egress.sessions, human_bytes(r.proxy_egress.bytes_out));
    if (const uint64_t d = run.agg->host_entity_sessions_dropped())
      fmt::print(stderr, "outflow: warning: {} sessions of addresses no monitored host has were not scored (more than {} such hosts)\n",
                 d, run.agg->options().max_host_entities);
    if (!run.intel.feeds().empty()) {
      report_intel_warnings(run.intel, run.agg->last_outbound(), o.d.common.quiet);
      if (r.intel_below_score)
        fmt::print(stderr, "outflow: {} finding(s) below score {:g} reported for a malicious intel match\n", r.intel_below_score,
                   run.cfg.min_score);
      if (r.intel_suppressed)
        fmt::print(stderr, "outflow: warning: {} finding(s) with a malicious intel match are suppressed by exclusions{}\n",
                   r.intel_suppressed, o.show_suppressed ? "" : " (--show-suppressed lists them)");
    }
    if (!run.srum.srum.empty())
      fmt::print(stderr, "outflow: SRUM: {} program(s) on {} host(s) scored: {} reported as findings of their own, {} folded into "
                 "the process finding of the same process, {} left to the sensor's judgement of their processes ({} suppressed "
                 "by its exclusions, {} below the score with every byte seen), {} suppressed by exclusions of their own, {} below "
                 "the score\n",
                 usage.programs, usage.hosts, usage_reported, merged.folded, merged.suppressed + merged.below, merged.suppressed,
                 merged.below, usage_suppressed - merged.suppressed, usage_below);
    if (r.reported > run.cfg.max_findings) fmt::print(stderr, "outflow: only the first {} printed (max_findings)\n", run.cfg.max_findings);
  }
  return r.reported > 0 ? kExitFindings : kExitOk;
}

namespace {

const bool registered = register_command(30, [](CLI::App& app) {
  auto o = std::make_shared<HuntOptions>();
  auto* cmd = app.add_subcommand(
      "hunt",
      "AN0080: rank the processes that moved data or bandwidth out, from volume, duration, destination rarity and "
      "context (user, path, lineage), with the factors that raised each finding.\n"
      "Examples:\n"
      "  outflow hunt sysmon/ zeek/                       # ranked table\n"
      "  outflow hunt --format json sysmon/ zeek/ | jq .  # ECS JSON lines (docs/findings.md)\n"
      "  outflow hunt --explain 1 sysmon/ zeek/           # the playbook view of finding #1\n"
      "  outflow hunt --state org.db --config my.yaml logs/\n"
      "Exit status: 0 no finding, 1 findings, 2 error.");
  add_detect_options(cmd, o->d, false);
  cmd->add_option("--format", o->format, "table (people) or json (JSON lines, ECS names)")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  cmd->add_flag("--show-suppressed", o->show_suppressed, "Also list findings excused by an exclusion rule, naming the rule");
  cmd->add_option("--explain", o->explain, "Print finding #N in full: lineage, destinations, factors, analyst questions")
      ->check(CLI::Range(1, 1000000));
  cmd->add_flag("--learn", o->learn, "With --state: also record this input into the state after hunting");
  return Command{cmd, [o] { return run_hunt(*o); }};
});

}  // namespace
}  // namespace outflow::cli
