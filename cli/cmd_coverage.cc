// `outflow coverage`: can this telemetry support the analytic? Per host and overall.
#include <cstdio>
#include <memory>

#include "command.h"
#include "common.h"
#include "intel_common.h"
#include "srum_common.h"
#include "outflow/config/detect_config.h"
#include "outflow/write/coverage_questions.h"
#include "outflow/write/coverage_report.h"
#include "outflow/write/coverage_srum.h"
#include "outflow/write/terminal.h"

namespace outflow::cli {
namespace {

struct CoverageOptions {
  CommonOptions common;
  bool json = false;
  std::string config_file;
};

int run_coverage(const CoverageOptions& co) {
  // Hosts seen only in flows: internal addresses (the shipped internal_networks) starting
  // sessions no monitored host is part of.
  DetectConfig cfg = default_config();
  std::string err;
  if (!co.config_file.empty() && !load_config_file(co.config_file, cfg, err)) {
    std::fprintf(stderr, "outflow: %s\n", terminal_safe(err).c_str());
    return kExitError;
  }
  IntelSet intel;
  if (const int irc = load_run_intel(co.common, cfg, intel); irc != kExitOk) return irc;
  FlowHostCounter flow_hosts(cfg.internal_networks);
  PipelineOptions po = pipeline_options(co.common);
  po.proxies = cfg.proxies;
  SessionPipeline pipe(po, [&](const Session& s, const Attribution& a) { flow_hosts.add(s, a); });
  std::vector<FileStats> files;
  Diagnostics diag;
  SrumInputs srum_in;
  const int rc = run_inputs(co.common, pipe, files, diag, &srum_in);
  if (rc != kExitOk) return rc;
  // SRUM: read for its span, gaps, dirty state and connected time (rows summed, not kept).
  SrumRead sr;
  std::vector<SrumCoverage> srum;
  if (!srum_in.srum.empty()) {
    read_srum(srum_in, co.common.inputs, std::string(), {}, true, sr);
    for (size_t k = 0; k < sr.files.size(); ++k)
      srum.push_back(SrumCoverage{sr.files[k].get(), sr.hosts[k], sr.host_from_name[k], sr.agg->span(k), sr.agg->input(k).read_twice});
  }
  // The data's last record time: what a feed's age is judged against.
  TimeNs last = kNoTime;
  for (const auto& [h, c] : pipe.stats().hosts) last = c.last != kNoTime && (last == kNoTime || c.last > last) ? c.last : last;
  for (const auto& [n, c] : pipe.stats().sensors) last = c.last != kNoTime && (last == kNoTime || c.last > last) ? c.last : last;
  report_intel_warnings(intel, last, co.common.quiet);
  const CoverageInputs in{pipe, files, diag, &flow_hosts, &intel, srum_in.srum.empty() ? nullptr : &srum};
  const std::string out = co.json ? coverage_json(in) : coverage_text(in);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

const bool registered = register_command(20, [](CLI::App& app) {
  auto o = std::make_shared<CoverageOptions>();
  auto* cmd = app.add_subcommand("coverage",
                                 "Telemetry readiness per host and overall: event counts, time spans, share of flows and "
                                 "bytes attributed to a process, clock offsets and their evidence, missing event types, "
                                 "anomalies (e.g. a sensor that misses outgoing packets); SRUM inputs: span, gaps, dirty state, connected time.");
  add_common(cmd, o->common);
  cmd->add_flag("--json", o->json, "Machine-readable JSON instead of the table");
  cmd->add_option("--config", o->config_file, "YAML config over the built-in defaults (internal_networks, proxies)");
  return Command{cmd, [o] { return run_coverage(*o); }};
});

}  // namespace
}  // namespace outflow::cli
