#include "outflow/write/coverage_report.h"
#include "outflow/write/intel_out.h"

#include <fmt/format.h>

#include <cmath>

#include "outflow/write/clock_report.h"
#include "outflow/write/coverage_questions.h"
#include "outflow/write/coverage_srum.h"
#include "outflow/write/json_out.h"
#include "outflow/write/proxy_report.h"
#include "outflow/write/terminal.h"

namespace outflow {

namespace {

double pct(uint64_t a, uint64_t b) { return b ? 100.0 * static_cast<double>(a) / static_cast<double>(b) : 0.0; }

std::string human_duration(TimeNs d) {
  const double s = std::fabs(static_cast<double>(d) / 1e9);
  const char* sign = d < 0 ? "-" : "+";
  if (s < 1) return fmt::format("{}{:.0f} ms", sign, s * 1000);
  if (s < 120) return fmt::format("{}{:.1f} s", sign, s);
  if (s < 7200) return fmt::format("{}{:.1f} min", sign, s / 60);
  return fmt::format("{}{:.2f} h", sign, s / 3600);
}

uint64_t count(const HostCoverage& h, uint16_t id) {
  auto it = h.events.find(id);
  return it == h.events.end() ? 0 : it->second;
}

constexpr uint16_t kIds[] = {1, 3, 5, 22, 4688, 4689, 5156};

// The hosts the event logs name (the SRUM section lists those with no SRUM).
std::vector<std::string> monitored_hosts(const CoverageInputs& in) {
  std::vector<std::string> v;
  for (const auto& [hid, hc] : in.pipeline.stats().hosts)
    if (!hc.events.empty()) v.push_back(in.pipeline.hosts().display_name(hid));
  return v;
}

}  // namespace

CoverageNotes coverage_notes(const CoverageInputs& in) {
  CoverageNotes n;
  const auto& st = in.pipeline.stats();
  const auto& hosts = in.pipeline.hosts();
  bool any_endpoint = st.host_events > 0, any_flow = st.flow_records > 0;
  if (!any_endpoint) n.missing.push_back("no endpoint events (Sysmon or Security JSON/EVTX): sessions cannot be attributed to processes");
  if (!any_flow) n.missing.push_back("no flow records (Zeek conn.log or nfdump CSV): no volumes or durations, sessions output is empty");
  for (const auto& [hid, hc] : st.hosts) {
    if (hc.events.empty()) continue;  // a host seen only as a flow endpoint
    const std::string& name = hosts.display_name(hid);
    if (count(hc, 3) == 0 && count(hc, 5156) == 0)
      n.missing.push_back(fmt::format("{}: no Sysmon 3 or Security 5156 at all: its flows cannot be joined to processes", name));
    if (count(hc, 1) == 0 && count(hc, 4688) == 0)
      n.missing.push_back(fmt::format("{}: no process creation (Sysmon 1 / 4688): no lineage, users or command lines beyond what network events carry", name));
    if (count(hc, 22) == 0)
      n.missing.push_back(fmt::format("{}: no Sysmon 22: destination names only from Zeek dns.log, ssl.log (SNI) or http.log (Host), if any", name));
    for (auto& a : clock_anomalies(in.pipeline, hid)) n.anomalies.push_back(std::move(a));
    if (hc.sessions > 20 && pct(hc.sessions_attributed, hc.sessions) < 10 && (count(hc, 3) || count(hc, 5156)))
      n.anomalies.push_back(fmt::format("{}: only {:.1f}% of its {} sessions matched a process although it logs network events: "
                                        "filtered Sysmon 3 config, or flows and events from different periods?",
                                        name, pct(hc.sessions_attributed, hc.sessions), hc.sessions));
  }
  for (const auto& [sensor, sc] : st.sensors) {
    if (sc.records >= 20 && pct(sc.one_sided, sc.records) >= 5)
      n.anomalies.push_back(fmt::format(
          "sensor {}: {} of {} connections ({:.1f}%) have no originator packets while the responder sent {} bytes "
          "(Zeek SHR/OTH): the sensor does not see the hosts' outgoing packets (checksum offload, asymmetric tap); "
          "upload byte counts from it cannot be trusted",
          sensor.empty() ? "(unnamed)" : sensor, sc.one_sided, sc.records, pct(sc.one_sided, sc.records), sc.one_sided_resp_bytes));
    if (sc.sessions >= 20 && pct(sc.unpaired_sessions, sc.sessions) >= 25)
      n.anomalies.push_back(fmt::format("sensor {}: {} of {} NetFlow sessions ({:.1f}%) were exported in one direction only: "
                                        "asymmetric routing or an exporter that sees one direction",
                                        sensor, sc.unpaired_sessions, sc.sessions, pct(sc.unpaired_sessions, sc.sessions)));
  }
  for (const auto& [sensor, cl] : st.capture_loss) {
    if (cl.intervals_with_loss == 0) continue;
    n.anomalies.push_back(fmt::format(
        "sensor {} lost up to {:.2f}% of packets ({} of {} intervals with loss between {} and {}; Zeek capture_loss.log or Suricata stats): "
        "flows and byte counts from those spans may be short",
        sensor.empty() ? "(unnamed)" : sensor, cl.max_percent, cl.intervals_with_loss, cl.intervals,
        format_time(cl.first_loss).substr(0, 19), format_time(cl.last_loss).substr(0, 19)));
  }
  if (in.pipeline.index().apps().conns_dropped())
    n.anomalies.push_back(fmt::format("Zeek ssl/http table full: {} connections' names dropped", in.pipeline.index().apps().conns_dropped()));
  if (in.pipeline.index().apps().leases_dropped())
    n.anomalies.push_back(fmt::format("DHCP table full: {} host names dropped", in.pipeline.index().apps().leases_dropped()));
  if (in.pipeline.processes().dropped())
    n.anomalies.push_back(fmt::format("process table full: {} processes dropped (raise --max-processes)", in.pipeline.processes().dropped()));
  if (const PipelineStats& ps = in.pipeline.stats(); ps.pressure_passes)
    n.anomalies.push_back(fmt::format("memory bound: {} processes idle longest, {} connection events and {} host "
                                      "addresses oldest were forgotten early (more than --live-processes / "
                                      "--live-connects held); a process named again after that is a new entry "
                                      "without its start",
                                      ps.pressure_processes, ps.pressure_connects, ps.pressure_addresses));
  if (in.pipeline.index().connects_dropped())
    n.anomalies.push_back(fmt::format("connection index full: {} network events dropped", in.pipeline.index().connects_dropped()));
  if (in.pipeline.hosts().dropped())
    n.anomalies.push_back(fmt::format("host table full: {} events of hosts beyond the first {} dropped",
                                      in.pipeline.hosts().dropped(), HostRegistry::kMaxHosts));
  if (in.pipeline.index().dns_dropped())
    n.anomalies.push_back(fmt::format("DNS index full: {} name resolutions dropped", in.pipeline.index().dns_dropped()));
  if (in.pipeline.processes().pid_history_dropped())
    n.anomalies.push_back(fmt::format("PID reuse storm: {} processes beyond the latest {} of one PID are no longer found by PID",
                                      in.pipeline.processes().pid_history_dropped(), ProcessTable::kPidHistory));
  if (in.pipeline.stitcher().forced_early())
    n.anomalies.push_back(fmt::format("open-session table full: {} sessions emitted early (they may be split)",
                                      in.pipeline.stitcher().forced_early()));
  if (in.pipeline.stitcher().duplicate_records())
    n.anomalies.push_back(fmt::format("{} NetFlow records were exact duplicates (the same export read twice?) and were ignored",
                                      in.pipeline.stitcher().duplicate_records()));
  if (in.diag.dubious_values())
    n.anomalies.push_back(fmt::format("{} flow values not believed, records kept (see the dubious values section)",
                                      in.diag.dubious_values()));
  if (in.diag.bad_records())
    n.anomalies.push_back(fmt::format("{} malformed records skipped (see the bad records section)", in.diag.bad_records()));
  if (in.diag.recovered_records())
    n.anomalies.push_back(fmt::format("{} records read from damaged EVTX chunks, kept and marked recovered (see the recovered "
                                      "records section; sessions of their processes carry outflow.recovered)",
                                      in.diag.recovered_records()));
  return n;
}

std::string coverage_text(const CoverageInputs& in) {
  const auto& st = in.pipeline.stats();
  const auto& hosts = in.pipeline.hosts();
  std::string o;
  o += fmt::format("OUTFLOW COVERAGE  {} files, {} host events, {} flow records, {} sessions\n\n", in.files.size(),
                   st.host_events, st.flow_records, st.sessions);
  if (st.denied_flows)
    o += fmt::format("{} flow records are connections a firewall denied or dropped: read, not sessions (not transfers)\n\n",
                     st.denied_flows);
  if (const SensorMerge& m = in.pipeline.sensor_merge(); in.pipeline.sensors_merged())
    o += fmt::format("Flows from sensors of more than one kind: {} sessions were the same connection as another sensor's and "
                     "were merged into it, not counted twice ({} matched on a firewall's post-NAT addresses){}\n\n",
                     m.merged(), m.merged_by_nat(),
                     m.forced_early() ? fmt::format("; {} were released before their hold (too many at once) and may count twice", m.forced_early()) : "");
  o += "INPUTS\n";
  o += fmt::format("  {:<14} {:>10} {:>10} {:>6}  {}\n", "format", "MB", "records", "bad", "file");
  for (const auto& f : in.files)
    o += fmt::format("  {:<14} {:>10.1f} {:>10} {:>6}  {}\n", input_format_name(f.format), static_cast<double>(f.bytes) / 1e6,
                     f.records(), f.bad, terminal_safe(f.path));
  o += "\nHOSTS (event counts by id; sessions with one end on the host; attributed = matched or inferred)\n";
  o += fmt::format("  {:<28} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}  {:<20} {:<20} {:>16} {:>8} {:>7} {:>7}\n", "host", "1", "3",
                   "5", "22", "4688", "4689", "5156", "first", "last", "clock offset", "sessions", "attr%", "bytes%");
  for (const auto& [hid, hc] : st.hosts) {
    if (hc.events.empty()) continue;
    const OffsetEstimate off = in.pipeline.offsets().connect_clock(hid);
    const std::string offs = off.known ? fmt::format("{} (n={})", human_duration(-off.offset), off.samples)
                                       : (off.samples ? fmt::format("? (n={})", off.samples) : std::string("unknown"));
    o += fmt::format("  {:<28} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}  {:<20} {:<20} {:>16} {:>8} {:>7.1f} {:>7.1f}\n",
                     terminal_safe(hosts.display_name(hid), 28), count(hc, 1), count(hc, 3), count(hc, 5),
                     count(hc, 22), count(hc, 4688), count(hc, 4689), count(hc, 5156), format_time(hc.first).substr(0, 19),
                     format_time(hc.last).substr(0, 19), offs, hc.sessions, pct(hc.sessions_attributed, hc.sessions),
                     pct(hc.bytes_attributed, hc.bytes));
  }
  o += "  (clock offset = host connection event time minus sensor time, from unique 5-tuple matches; every clock under CLOCKS)\n";
  clocks_text(o, in.pipeline);
  o += "\nFLOW SENSORS\n";
  o += fmt::format("  {:<48} {:<15} {:>9} {:<20} {:<20} {:>10}\n", "sensor", "kind", "records", "first", "last", "one-sided");
  for (const auto& [name, sc] : st.sensors)
    o += fmt::format("  {:<48} {:<15} {:>9} {:<20} {:<20} {:>10}\n", terminal_safe(name, 48), sc.kind, sc.records,
                     format_time(sc.first).substr(0, 19), format_time(sc.last).substr(0, 19), sc.one_sided);
  o += proxies_text(in.pipeline.proxies());
  o += "\nJOIN\n";
  for (auto s : {AttributionStatus::matched, AttributionStatus::inferred, AttributionStatus::ambiguous,
                 AttributionStatus::no_endpoint_event, AttributionStatus::host_unknown}) {
    const uint64_t c = st.by_status.count(s) ? st.by_status.at(s) : 0;
    const uint64_t b = st.bytes_by_status.count(s) ? st.bytes_by_status.at(s) : 0;
    o += fmt::format("  {:<18} {:>9} sessions ({:5.1f}%)  {:>14} bytes ({:5.1f}%)\n", attribution_status_name(s), c,
                     pct(c, st.sessions), b, pct(b, st.bytes));
  }
  if (in.srum) coverage_srum_text(o, *in.srum, monitored_hosts(in));
  const CoverageNotes notes = coverage_notes(in);
  coverage_questions_text(o, in);
  o += "\nMISSING\n";
  if (notes.missing.empty()) o += "  nothing: every host has process, network and DNS events\n";
  for (const auto& m : notes.missing) o += "  - " + terminal_safe(m) + "\n";
  o += "\nANOMALIES\n";
  if (notes.anomalies.empty()) o += "  none found\n";
  for (const auto& m : notes.anomalies) o += "  - " + terminal_safe(m) + "\n";
  if (in.diag.bad_records() || !in.diag.bad_inputs().empty()) {
    o += "\nBAD RECORDS\n";
    for (const auto& [r, c] : in.diag.bad_by_reason()) o += fmt::format("  {:>8}  {}\n", c, terminal_safe(r));
    for (const auto& s : in.diag.samples())
      o += fmt::format("  e.g. {}:{} (offset {}): {}\n", terminal_safe(s.file), s.line, s.offset, terminal_safe(s.reason));
    for (const auto& [f, r] : in.diag.bad_inputs()) o += fmt::format("  not understood: {}: {}\n", terminal_safe(f), terminal_safe(r));
  }
  if (in.diag.dubious_values()) {
    o += "\nDUBIOUS VALUES (records kept; an impossible byte count is taken as unknown, a duration over a year cut)\n";
    for (const auto& [r, c] : in.diag.dubious_by_reason()) o += fmt::format("  {:>8}  {}\n", c, terminal_safe(r));
    for (const auto& s : in.diag.dubious_samples())
      o += fmt::format("  e.g. {}:{} (offset {}): {}\n", terminal_safe(s.file), s.line, s.offset, terminal_safe(s.reason));
  }
  if (in.diag.unused_log_files()) {
    o += fmt::format("\nREAD BUT NOT USED ({} Zeek logs or Suricata EVE event types Outflow recognises and does not need: not errors)\n",
                     in.diag.unused_log_files());
    for (const auto& [log, u] : in.diag.unused_logs())
      o += fmt::format("  {:<24} {:>6} files {:>10} lines\n", terminal_safe(log, 24), u.files, u.lines);
  }
  if (!in.diag.no_record_inputs().empty()) {
    o += "\nINPUTS THAT GAVE NO RECORD\n";
    for (const auto& [f, r] : in.diag.no_record_inputs()) o += fmt::format("  {}: {}\n", terminal_safe(f), terminal_safe(r));
  }
  if (in.diag.recovered_records()) {
    o += "\nRECOVERED RECORDS (parsed from damaged chunks, kept and marked)\n";
    for (const auto& [r, c] : in.diag.recovered_by_reason()) o += fmt::format("  {:>8}  {}\n", c, terminal_safe(r));
    for (const auto& s : in.diag.recovered_samples())
      o += fmt::format("  e.g. {} (offset {}): {}\n", terminal_safe(s.file), s.offset, terminal_safe(s.reason));
  }
  if (!in.diag.notes_by_reason().empty()) {
    o += "\nNOTES\n";
    for (const auto& [r, c] : in.diag.notes_by_reason()) o += fmt::format("  {:>8} files: {}\n", c, terminal_safe(r));
    for (const auto& s : in.diag.note_samples()) o += fmt::format("  e.g. {}: {}\n", terminal_safe(s.file), terminal_safe(s.reason));
  }
  if (in.intel && !in.intel->feeds().empty()) o += "\n" + intel_feeds_text(*in.intel);
  return o;
}

std::string coverage_json(const CoverageInputs& in) {
  const auto& st = in.pipeline.stats();
  const auto& hosts = in.pipeline.hosts();
  std::string o;
  JsonOut j(o);
  j.begin_object();
  j.begin_array("inputs");
  for (const auto& f : in.files)
    j.begin_object().str("path", f.path).str("format", input_format_name(f.format)).unum("bytes", f.bytes)
        .unum("host_events", f.host_events).unum("flows", f.flows).unum("dns", f.dns).unum("app", f.app).unum("dhcp", f.dhcp)
        .unum("capture_loss", f.capture_loss).unum("proxy", f.proxy).unum("unused_lines", f.unused_lines).unum("bad", f.bad).unum("recovered", f.recovered).end_object();
  j.end_array();
  j.begin_array("hosts");
  for (const auto& [hid, hc] : st.hosts) {
    if (hc.events.empty()) continue;
    j.begin_object().str("name", hosts.display_name(hid));
    j.begin_object("events");
    for (auto id : kIds) j.unum(std::to_string(id), count(hc, id));
    j.end_object();
    j.str("first", format_time(hc.first)).str("last", format_time(hc.last));
    // Which record field each event's time came from: fields disagree (NXLog's EventTime is
    // local time), so this says what the clock offset is measured against.
    j.begin_object("time_fields");
    for (const auto& [tf, n] : hc.time_fields) j.unum(time_field_name(tf), n);
    j.end_object();
    j.begin_array("addresses");
    for (const auto& [ip, c] : in.pipeline.index().addresses_of(hid)) j.str_elem(ip.to_string());
    j.end_array();
    const OffsetEstimate off = in.pipeline.offsets().connect_clock(hid);
    j.begin_object("clock_offset").boolean("known", off.known).num("host_minus_sensor_ms", -off.offset / 1'000'000)
        .num("mad_ms", off.mad / 1'000'000).unum("samples", off.samples)
        .str("method", "mode of (flow start - event time) over unique 5-tuple matches of the host's connection events").end_object();
    clocks_json(j, in.pipeline, hid);
    j.unum("sessions", hc.sessions).unum("sessions_attributed", hc.sessions_attributed).unum("sessions_inferred", hc.sessions_inferred)
        .dbl("sessions_attributed_pct", pct(hc.sessions_attributed, hc.sessions)).unum("bytes", hc.bytes)
        .unum("bytes_attributed", hc.bytes_attributed).dbl("bytes_attributed_pct", pct(hc.bytes_attributed, hc.bytes));
    j.end_object();
  }
  j.end_array();
  j.begin_array("sensors");
  for (const auto& [name, sc] : st.sensors)
    j.begin_object().str("name", name).str("kind", sc.kind).unum("records", sc.records).str("first", format_time(sc.first))
        .str("last", format_time(sc.last)).unum("one_sided", sc.one_sided).unum("one_sided_resp_bytes", sc.one_sided_resp_bytes)
        .unum("sessions", sc.sessions).unum("unpaired_sessions", sc.unpaired_sessions).end_object();
  j.end_array();
  proxies_json(j, in.pipeline.proxies());
  j.begin_array("capture_loss");
  for (const auto& [peer, cl] : st.capture_loss) {
    j.begin_object().str("sensor", peer).unum("intervals", cl.intervals).unum("intervals_with_loss", cl.intervals_with_loss)
        .dbl("max_percent_lost", cl.max_percent).unum("gaps", cl.gaps).unum("acks", cl.acks);
    if (cl.first_loss != kNoTime) j.str("first_loss", format_time(cl.first_loss)).str("last_loss", format_time(cl.last_loss));
    j.unum("intervals_not_kept", cl.intervals_dropped);
    j.end_object();
  }
  j.end_array();
  j.begin_object("overall").unum("host_events", st.host_events).unum("flow_records", st.flow_records)
      .unum("app_records", st.app_records).unum("dhcp_leases", st.dhcp_leases)
      .unum("capture_loss_records", st.capture_loss_records).unum("file_records", st.file_records)
      .unum("denied_flow_records", st.denied_flows).unum("sessions", st.sessions)
      .unum("sessions_merged_across_sensors", in.pipeline.sensor_merge().merged())
      .unum("sessions_merged_by_nat", in.pipeline.sensor_merge().merged_by_nat())
      .unum("bytes", st.bytes);
  for (const auto& [s, c] : st.by_status) j.unum(std::string("sessions_") + attribution_status_name(s), c);
  uint64_t attributed = 0, battr = 0;
  for (auto s : {AttributionStatus::matched, AttributionStatus::inferred}) {
    attributed += st.by_status.count(s) ? st.by_status.at(s) : 0;
    battr += st.bytes_by_status.count(s) ? st.bytes_by_status.at(s) : 0;
  }
  j.dbl("sessions_attributed_pct", pct(attributed, st.sessions)).dbl("bytes_attributed_pct", pct(battr, st.bytes));
  j.unum("processes", in.pipeline.processes().seen()).unum("processes_dropped", in.pipeline.processes().dropped())
      .unum("processes_forgotten", in.pipeline.processes().evicted())
      .unum("processes_ended_by_boot", in.pipeline.processes().ended_by_boot())
      .unum("connects_forgotten", in.pipeline.index().connects_evicted())
      .unum("processes_forgotten_memory_bound", in.pipeline.stats().pressure_processes)
      .unum("connects_forgotten_memory_bound", in.pipeline.stats().pressure_connects)
      .unum("addresses_forgotten_memory_bound", in.pipeline.stats().pressure_addresses)
      .unum("connects_dropped", in.pipeline.index().connects_dropped())
      .unum("dns_dropped", in.pipeline.index().dns_dropped())
      .unum("app_connections_dropped", in.pipeline.index().apps().conns_dropped())
      .unum("dhcp_leases_dropped", in.pipeline.index().apps().leases_dropped())
      .unum("host_events_dropped", in.pipeline.hosts().dropped())
      .unum("pid_history_dropped", in.pipeline.processes().pid_history_dropped())
      .unum("sessions_forced_early", in.pipeline.stitcher().forced_early())
      .unum("duplicate_flow_records", in.pipeline.stitcher().duplicate_records())
      .unum("duplicate_zeek_snapshots", in.pipeline.stitcher().duplicate_snapshots())
      .unum("duplicate_cross_sensor", in.pipeline.stitcher().cross_sensor_duplicates());
  j.end_object();
  coverage_questions_json(j, in);
  const CoverageNotes notes = coverage_notes(in);
  j.begin_array("missing");
  for (const auto& m : notes.missing) j.str_elem(m);
  j.end_array();
  j.begin_array("anomalies");
  for (const auto& m : notes.anomalies) j.str_elem(m);
  j.end_array();
  j.begin_object("bad_records").unum("total", in.diag.bad_records());
  j.begin_object("by_reason");
  for (const auto& [r, c] : in.diag.bad_by_reason()) j.unum(r, c);
  j.end_object();
  j.begin_array("samples");
  for (const auto& s : in.diag.samples())
    j.begin_object().str("file", s.file).unum("line", s.line).unum("offset", s.offset).str("reason", s.reason).end_object();
  j.end_array();
  j.end_object();
  const auto counted = [&](const char* key, uint64_t total, const std::map<std::string, uint64_t>& by_reason,
                           const std::vector<Anomaly>& samples) {
    j.begin_object(key).unum("total", total);
    j.begin_object("by_reason");
    for (const auto& [r, c] : by_reason) j.unum(r, c);
    j.end_object();
    j.begin_array("samples");
    for (const auto& s : samples) j.begin_object().str("file", s.file).unum("offset", s.offset).str("reason", s.reason).end_object();
    j.end_array();
    j.end_object();
  };
  counted("recovered_records", in.diag.recovered_records(), in.diag.recovered_by_reason(), in.diag.recovered_samples());
  j.begin_object("dubious_values").unum("total", in.diag.dubious_values());
  j.begin_object("by_reason");
  for (const auto& [r, c] : in.diag.dubious_by_reason()) j.unum(r, c);
  j.end_object();
  j.begin_array("samples");
  for (const auto& s : in.diag.dubious_samples())
    j.begin_object().str("file", s.file).unum("line", s.line).unum("offset", s.offset).str("reason", s.reason).end_object();
  j.end_array();
  j.end_object();
  uint64_t notes_total = 0;
  for (const auto& [r, c] : in.diag.notes_by_reason()) notes_total += c;
  counted("notes", notes_total, in.diag.notes_by_reason(), in.diag.note_samples());
  j.begin_array("not_understood");
  for (const auto& [f, r] : in.diag.bad_inputs()) j.begin_object().str("file", f).str("reason", r).end_object();
  j.end_array();
  j.begin_object("read_but_not_used").unum("files", in.diag.unused_log_files());
  j.begin_object("logs");
  for (const auto& [log, u] : in.diag.unused_logs()) j.begin_object(log).unum("files", u.files).unum("lines", u.lines).end_object();
  j.end_object();
  j.end_object();
  j.begin_array("no_records");
  for (const auto& [f, r] : in.diag.no_record_inputs()) j.begin_object().str("file", f).str("reason", r).end_object();
  j.end_array();
  if (in.intel && !in.intel->feeds().empty()) intel_feeds_json(j, *in.intel);
  if (in.srum) coverage_srum_json(j, *in.srum, monitored_hosts(in));
  j.end_object();
  o.push_back('\n');
  return o;
}

}  // namespace outflow
