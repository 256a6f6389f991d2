// `outflow simulate`: a labelled organisation written in the formats the readers take.
//
//   DIR/sysmon/HOST.jsonl   one file per host with endpoint telemetry (all by default), flat NXLog
//                           rows or Winlogbeat ECS (alternating); the folder exists even when empty
//   DIR/zeek/conn.log, dns.log
//   DIR/netflow/flows.csv   nfdump -o csv, one direction per record, active timeout cuts
//   DIR/suricata/eve.json   Suricata EVE (--formats suricata): flow, dns, tls, http and stats events
//   DIR/srum/HOST_SrumECmd_NetworkUsages_Output.csv   (--formats srum) each endpoint host's SRUM
//                           network usage as SrumECmd exports it, hourly (srum_writer.h)
//   DIR/labels.jsonl        {"organisation": {...}} then one line per planted scenario
//   with --proxy: DIR/proxy/access.log, DIR/zeek/http.log, DIR/firewall/panos.log (or
//   fortigate.log), DIR/outflow.yaml (proxy_net.h)
//
// The simulation runs ten minutes at a time over the whole organisation and writes each slice
// as it goes: memory is one slice of the organisation's output (and the hour of scenario
// activity planned ahead) plus the connections still open, whatever the number of days. Deterministic for a seed (own PRNG and distributions, no wall clock).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "outflow/simulate/faults.h"
#include "outflow/simulate/firewall_writer.h"
#include "outflow/simulate/scenarios.h"

namespace outflow::sim {

struct SimulateOptions {
  uint64_t seed = 1;
  int hosts = 20;
  int days = 2;
  TimeNs start = 0;  // midnight UTC of the first day
  std::string out;
  std::vector<std::string> scenarios;  // names from scenario_names()
  bool sysmon = true, zeek = true, netflow = true;
  bool suricata = false;        // DIR/suricata/eve.json (eve_writer.h)
  bool srum = false;            // DIR/srum/HOST_SrumECmd_NetworkUsages_Output.csv (srum_writer.h)
  double eve_drop_rate = 0;     // its stats events' kernel_drops, a share of the packets
  enum class Shapes : uint8_t { mixed, flat, ecs } shapes = Shapes::mixed;  // Sysmon JSON shape(s)
  TimeNs active_timeout = 300 * kNsPerSec;  // NetFlow
  double other_events = 0;  // unused Sysmon events (7, 10, 11, 13) per used one, on average
  // Sensor faults, off by default (faults.h): clocks per event type, and hosts whose outgoing
  // packets the flow sensors lose.
  std::vector<ClockSkewSpec> clock_skews;
  int sensor_drops_outgoing = 0;
  // Share of the hosts with endpoint telemetry (endpoints.h): the others get no Sysmon file.
  double endpoint_share = 1.0;
  // An explicit web proxy and the perimeter firewall's log (proxy_net.h): off by default.
  bool proxy = false;
  uint16_t proxy_port = 3128;
  int proxy_bypass = 0;  // workstations that go to the Internet directly on web ports
  FirewallFormat firewall = FirewallFormat::panos;
};

struct SimulateResult {
  Organisation org;
  std::vector<Label> labels;              // planted scenarios
  std::vector<std::string> not_planted;   // scenarios that found no moment (e.g. nobody logged on)
  size_t endpoint_hosts = 0;             // hosts with endpoint telemetry (a Sysmon file, with --formats sysmon)
  uint64_t sysmon_bytes = 0, conn_records = 0, netflow_records = 0;
  uint64_t eve_records = 0;  // Suricata EVE events
  uint64_t srum_rows = 0;    // SRUM rows (interface totals included)
  uint64_t squid_records = 0, firewall_records = 0;  // with --proxy
  std::vector<std::string> stale;         // files in DIR/sysmon (DIR/srum) this run did not write (an older run's)
};

// False with `error` on an I/O error (the output is then incomplete).
bool simulate(const SimulateOptions& o, SimulateResult& result, std::string& error);

// The lines of labels.jsonl.
// `endpoint_share` is written only when some host is flow-only.
std::string organisation_json(const Organisation& org, uint64_t seed, const std::vector<std::string>& scenarios,
                              double endpoint_share = 1.0);
std::string label_json(const Label& l);

}  // namespace outflow::sim
