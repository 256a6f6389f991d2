// `outflow simulate`: a labelled enterprise in the formats the readers take (see
// src/outflow/simulate/simulator.h for the layout).
#include <cstdio>
#include <fmt/format.h>
#include <memory>
#include <sstream>

#include "command.h"
#include "outflow/simulate/intel_feed.h"
#include "outflow/simulate/simulator.h"
#include "outflow/write/terminal.h"

namespace outflow::cli {
namespace {

struct SimulateCliOptions {
  sim::SimulateOptions sim;
  std::string start = "2026-01-05T00:00:00Z";
  std::string scenarios = "all";
  std::string formats = "sysmon,zeek,netflow";
  std::string shape = "mixed";
  double active_timeout_s = 300;
  std::vector<std::string> clock_skews;  // each a comma list of EVENT:SKEW[@HOSTS]
  bool quiet = false;
  std::string intel;  // --intel FILE (simulate/intel_feed.h)
  std::string firewall = "panos";
};

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

int run_simulate(SimulateCliOptions& o) {
  auto& so = o.sim;
  if (!parse_datetime(o.start, so.start)) {
    fmt::print(stderr, "outflow: --start {}: not a time (e.g. 2026-01-05T00:00:00Z)\n", terminal_safe(o.start));
    return kExitError;
  }
  so.start -= so.start % (86400 * kNsPerSec);  // days run midnight to midnight
  so.scenarios.clear();
  if (o.scenarios == "all") {
    for (const auto n : sim::scenario_names()) so.scenarios.emplace_back(n);
  } else if (o.scenarios != "none") {
    for (const auto& n : split_commas(o.scenarios)) {
      bool known = false;
      for (const auto k : sim::scenario_names()) known = known || k == n;
      if (!known) {
        std::string all;
        for (const auto k : sim::scenario_names()) all += (all.empty() ? "" : ", ") + std::string(k);
        fmt::print(stderr, "outflow: unknown scenario '{}' (known: {}, or all, none)\n", terminal_safe(n), all);
        return kExitError;
      }
      so.scenarios.push_back(n);
    }
  }
  so.sysmon = so.zeek = so.netflow = so.suricata = so.srum = false;
  for (const auto& f : split_commas(o.formats)) {
    if (f == "sysmon") so.sysmon = true;
    else if (f == "zeek") so.zeek = true;
    else if (f == "netflow") so.netflow = true;
    else if (f == "suricata") so.suricata = true;
    else if (f == "srum") so.srum = true;
    else {
      fmt::print(stderr, "outflow: unknown format '{}' (sysmon, zeek, netflow, suricata, srum)\n", terminal_safe(f));
      return kExitError;
    }
  }
  so.active_timeout = static_cast<TimeNs>(o.active_timeout_s * 1e9);
  so.clock_skews.clear();
  for (const auto& spec : o.clock_skews) {
    std::string error;
    if (!sim::parse_clock_skews(spec, so.clock_skews, error)) {
      fmt::print(stderr, "outflow: --clock-skew-events: {}\n", terminal_safe(error));
      return kExitError;
    }
  }
  so.shapes = o.shape == "flat" ? sim::SimulateOptions::Shapes::flat
              : o.shape == "ecs" ? sim::SimulateOptions::Shapes::ecs
                                 : sim::SimulateOptions::Shapes::mixed;
  so.firewall = o.firewall == "fortigate" ? sim::FirewallFormat::fortigate : sim::FirewallFormat::panos;
  sim::SimulateResult r;
  std::string error;
  if (!sim::simulate(so, r, error)) {
    fmt::print(stderr, "outflow: {}\n", terminal_safe(error));
    return kExitError;
  }
  if (!o.intel.empty()) {
    sim::IntelFeedResult ir;
    if (!sim::write_intel_feed(r.labels, so.seed, so.start, o.intel, ir, error)) {
      fmt::print(stderr, "outflow: {}\n", terminal_safe(error));
      return kExitError;
    }
    if (!o.quiet) {
      std::string names;
      for (const auto& s : ir.scenarios) names += (names.empty() ? "" : ", ") + s;
      fmt::print(stderr, "outflow: intel feed {} (+ .stix.json): {} indicators naming the command servers of {}; {} decoys\n",
                 terminal_safe(o.intel), ir.indicators, names.empty() ? "no scenario" : names, ir.decoys);
    }
  }
  for (const auto& f : r.stale)  // readers given DIR/sysmon would read these too
    fmt::print(stderr, "outflow: warning: {} is not from this run (an older simulation's?): remove it\n", terminal_safe(f));
  if (!o.quiet) {
    const std::string of_hosts = r.endpoint_hosts == r.org.hosts.size()
                                     ? std::string()
                                     : fmt::format(" ({} of {} hosts; the others flow-only)", r.endpoint_hosts, r.org.hosts.size());
    fmt::print(stderr, "outflow: {} hosts x {} days -> {}: Sysmon {:.1f} MB{}, {} Zeek conn records, {} NetFlow records{}{}, {} scenarios labelled\n",
               so.hosts, so.days, terminal_safe(so.out), static_cast<double>(r.sysmon_bytes) / 1e6, of_hosts, r.conn_records,
               r.netflow_records, so.suricata ? fmt::format(", {} Suricata EVE events", r.eve_records) : std::string(),
               so.srum ? fmt::format(", {} SRUM rows", r.srum_rows) : std::string(), r.labels.size());
    if (so.proxy)
      fmt::print(stderr, "  behind the proxy {}:{}: {} Squid access.log lines, {} firewall records ({}), config in {}/outflow.yaml\n",
                 r.org.proxy_ip.to_string(), r.org.proxy_port, r.squid_records, r.firewall_records, o.firewall,
                 terminal_safe(so.out));
    for (const auto& l : r.labels)
      fmt::print(stderr, "  {:<22} {:<10} {}  {} .. {}\n", l.scenario, l.host, l.process_guids.empty() ? "" : l.process_guids.front(),
                 format_time(l.start), format_time(l.end));
    for (const auto& n : r.not_planted)
      fmt::print(stderr, "  {:<22} not planted: no suitable moment (e.g. no user logged on; try more days)\n", n);
  }
  return kExitOk;
}

const bool registered = register_command(40, [](CLI::App& app) {
  auto o = std::make_shared<SimulateCliOptions>();
  auto* cmd = app.add_subcommand(
      "simulate",
      "Write a simulated organisation with labelled attacks: DIR/sysmon/HOST.jsonl (flat NXLog or Winlogbeat ECS, "
      "alternating by host; some hosts' clocks off by minutes or hours; only some hosts with --endpoint-share), DIR/zeek/conn.log + dns.log, "
      "DIR/netflow/flows.csv (nfdump -o csv), DIR/labels.jsonl; with --formats srum, DIR/srum/HOST_SrumECmd_NetworkUsages_Output.csv "
      "(each endpoint host's hourly SRUM network usage, for `outflow usage` and `outflow hunt`). Deterministic for a seed; streamed to disk.");
  cmd->add_option("--seed", o->sim.seed, "Seed: the same seed gives byte-identical output")->capture_default_str();
  cmd->add_option("--hosts", o->sim.hosts, "Hosts (a DC, backup and database servers, SCCM and a file server from 8 hosts, "
                                           "an application server per 25 hosts, the rest workstations)")
      ->capture_default_str()
      ->check(CLI::Range(sim::kMinHosts, 100000));
  cmd->add_option("--days", o->sim.days, "Days, midnight to midnight UTC")->capture_default_str()->check(CLI::Range(1, 3650));
  cmd->add_option("--out", o->sim.out, "Output folder (created; files in it are overwritten)")->required();
  cmd->add_option("--start", o->start, "First day (its midnight UTC)")->capture_default_str();
  cmd->add_option("--scenarios", o->scenarios,
                  "Attacks to plant: all, none, or a comma list of rclone_cloud_upload, macro_powershell_post, "
                  "sqlservr_curl_dump, proxyware, dns_tunnel, low_and_slow, masquerade_svchost, scanner_fanout")
      ->capture_default_str();
  cmd->add_option("--formats", o->formats,
                  "Outputs: a comma list of sysmon, zeek, netflow, suricata (DIR/suricata/eve.json), srum (DIR/srum/"
                  "HOST_SrumECmd_NetworkUsages_Output.csv: each endpoint host's SRUM network usage as SrumECmd exports it, "
                  "per program, user and hour, with the bytes the host itself counted, also those a sensor lost)")
      ->capture_default_str();
  cmd->add_option("--eve-drop-rate", o->sim.eve_drop_rate,
                  "Suricata: share of packets its stats events say the kernel dropped (capture loss), 0 to 1")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--sysmon-shape", o->shape,
                  "Sysmon JSON shape: mixed (flat NXLog and Winlogbeat ECS, alternating by host), flat or ecs")
      ->capture_default_str()
      ->check(CLI::IsMember({"mixed", "flat", "ecs"}));
  cmd->add_option("--other-events", o->sim.other_events,
                  "Mean number of Sysmon events the join does not use (7 image load, 10 process access, 11 file "
                  "create, 13 registry) written with each one it uses; real logs have about 3")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 50.0));
  cmd->add_option("--active-timeout", o->active_timeout_s, "NetFlow active timeout in seconds (long flows are cut)")
      ->capture_default_str()
      ->check(CLI::Range(10.0, 86400.0));
  cmd->add_option("--clock-skew-events", o->clock_skews,
                  "Sensor fault: shift one Sysmon event type's UtcTime on some hosts, on top of their clock offset. "
                  "EVENT:SKEW[@HOSTS], repeatable or comma-separated: EVENT 1, 3, 5, 22, or ts for the shipper's own "
                  "time (ECS @timestamp, flat EventTime) of every event; SKEW a signed number with s, m, h, d or w; "
                  "HOSTS how many hosts (default 1, drawn from the seed; the same count picks the same hosts) or all. "
                  "E.g. 3:-5d,ts:19h. Recorded in labels.jsonl")
      ->allow_extra_args(false);
  cmd->add_option("--sensor-drops-outgoing", o->sim.sensor_drops_outgoing,
                  "Sensor fault: on N hosts (drawn from the seed) the flow sensors lose every packet the host sends: "
                  "Zeek logs its connections with no originator packets or bytes (SHR, history ^hadf), and those "
                  "to it with no responder side (SH/S0); NetFlow has no records of its direction. Recorded in "
                  "labels.jsonl")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000));
  cmd->add_option("--endpoint-share", o->sim.endpoint_share,
                  "Share of the hosts with endpoint telemetry, 0 to 1: round(F x hosts) hosts, drawn from the seed "
                  "(an order of their own; a smaller share's hosts are a subset of a larger's), get DIR/sysmon/HOST.jsonl; "
                  "the others are flow-only (in Zeek and NetFlow only). The flows and the labels' attacks do not "
                  "change. 0: no Sysmon file (DIR/sysmon is created empty). Recorded in labels.jsonl "
                  "(endpoint_hosts, and endpoint per host) when some host is flow-only")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--intel", o->intel,
                  "Also write a threat-intel feed FILE (plain list) and FILE.stix.json (STIX 2.1) naming the command "
                  "servers of about half of the planted scenarios (chosen from the seed) plus indicators that never "
                  "occur; labels are unchanged (hunt --intel FILE, then eval reports which findings carried the match)");
  cmd->add_flag("--proxy", o->sim.proxy,
                "Route the organisation's web traffic (TCP 80/443 to the Internet, the scenarios' web exfiltration and "
                "C2 included) through an explicit proxy at 10.1.0.3 and write what such a network records: "
                "DIR/proxy/access.log (Squid native), the sensor's DIR/zeek/conn.log + http.log (client -> proxy, CONNECT "
                "host:port and absolute URIs), DIR/firewall/panos.log (the perimeter firewall: the proxy's connections out "
                "and every other session crossing it, with NAT and User-ID) and DIR/outflow.yaml (proxies:). Sysmon 3 "
                "shows the client leg to the proxy. Labels are unchanged (the real destinations)");
  cmd->add_option("--proxy-port", o->sim.proxy_port, "The proxy's port (with --proxy)")->capture_default_str()->check(CLI::Range(1, 65535));
  cmd->add_option("--proxy-bypass", o->sim.proxy_bypass,
                  "With --proxy: N workstations (drawn from the seed) reach the Internet directly on web ports, past "
                  "the proxy (as proxy_bypass flags); recorded in labels.jsonl")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000));
  cmd->add_option("--firewall", o->firewall, "With --proxy: the perimeter firewall's log format, panos or fortigate")
      ->capture_default_str()
      ->check(CLI::IsMember({"panos", "fortigate"}));
  cmd->add_flag("-q,--quiet", o->quiet, "No summary on stderr");
  return Command{cmd, [o] { return run_simulate(*o); }};
});

}  // namespace
}  // namespace outflow::cli
