#include "detect_common.h"

#include <fmt/format.h>

#include "command.h"
#include "intel_common.h"
#include "outflow/write/terminal.h"

namespace outflow::cli {

void add_detect_options(CLI::App* cmd, DetectOptions& o, bool state_required) {
  add_common(cmd, o.common);
  cmd->add_option("--config", o.config_file,
                  "YAML config over the built-in defaults (see `outflow config` for every key, default and reason)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--geoip", o.geoip_db, "Country .mmdb (MaxMind GeoLite2/GeoIP2 Country, DB-IP lite) for DestinationCountry")
      ->check(CLI::ExistingFile);
  auto* st = cmd->add_option("--state", o.state_file,
                             "SQLite state file with baselines from earlier runs (`outflow learn`); locked while in use");
  if (state_required) st->required();
  cmd->add_option("--min-score", o.min_score, "Report findings scoring at least this (0-100; config min_score, default 40)")
      ->check(CLI::Range(0.0, 100.0));
  cmd->add_option("--time-window", o.time_window_s, "TimeWindow in seconds for bandwidth buckets (config time_window, default 900)")
      ->check(CLI::Range(60.0, 86400.0));
}

int detect_prepare_and_read(const DetectOptions& o, DetectRun& run, bool create_state) {
  std::string err;
  run.cfg = default_config();
  if (!o.config_file.empty() && !load_config_file(o.config_file, run.cfg, err)) {
    fmt::print(stderr, "outflow: {}\n", terminal_safe(err));
    return kExitError;
  }
  if (o.min_score) run.cfg.min_score = *o.min_score;
  if (o.time_window_s) run.cfg.time_window = static_cast<TimeNs>(*o.time_window_s * 1e9);
  const std::string geo = !o.geoip_db.empty() ? o.geoip_db : run.cfg.geoip_db;
  if (!geo.empty() && !run.geo.open(geo, err)) {
    fmt::print(stderr, "outflow: {}\n", terminal_safe(err));
    return kExitError;
  }
  if (const int irc = load_run_intel(o.common, run.cfg, run.intel); irc != kExitOk) return irc;
  if (!o.state_file.empty()) {
    if (!run.store.open(o.state_file, create_state, err) || !run.store.load(run.state, err)) {
      fmt::print(stderr, "outflow: {}\n", terminal_safe(err));
      return kExitError;
    }
    run.have_state = true;
  }
  run.agg = std::make_unique<ActivityAggregator>(Hunter::aggregator_options(run.cfg));
  ActivityAggregator* agg = run.agg.get();
  PipelineOptions po = pipeline_options(o.common);
  po.proxies = run.cfg.proxies;
  run.pipe = std::make_unique<SessionPipeline>(po,
                                               [agg, &run](const Session& s, const Attribution& a) {
                                                 agg->add(s, a, &run.pipe->processes(), &run.pipe->index().apps());
                                               });
  run.pipe->set_on_dns([agg](const DnsAnswer& d, HostId host) { agg->add_dns(d, host); });
  // Inputs read by time: a process the pipeline forgets is retired (its activity to disk, its
  // baseline observations kept), so memory follows the live processes.
  run.retirer = std::make_unique<Retirer>(run.cfg, *run.pipe, *run.agg);
  Retirer* retirer = run.retirer.get();
  run.pipe->set_on_evict([retirer](ProcId id) { retirer->on_evict(id); });
  const int rc = run_inputs(o.common, *run.pipe, run.files, run.diag, run.want_srum ? &run.srum : nullptr);
  if (rc != kExitOk) return rc;
  run.agg->finish(run.pipe->index());
  return kExitOk;
}

}  // namespace outflow::cli
