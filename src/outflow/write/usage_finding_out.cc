#include "outflow/write/usage_finding_out.h"

#include <fmt/format.h>

#include "outflow/core/win_path.h"
#include "outflow/write/finding_text.h"
#include "outflow/write/json_out.h"
#include "outflow/write/session_json.h"  // split_user
#include "outflow/write/terminal.h"

namespace outflow {

namespace {

std::string program_label(const UsageFinding& f) {
  const std::string name = !f.u.executable.empty() ? image_basename(f.u.executable) : f.u.program;
  if (f.entity == "process" && f.process.pid) return fmt::format("{} ({})", name, f.process.pid);
  return "(srum) " + name;
}

void process_json(JsonOut& j, const UsageProcess& p) {
  j.str_if("entity_id", p.entity_id);
  if (p.pid) j.unum("pid", p.pid);
  j.str_if("executable", p.image).str_if("name", image_basename(p.image)).str_if("command_line", p.command_line);
  if (p.start != kNoTime) j.time("start", p.start);
  if (p.end != kNoTime) j.time("end", p.end);
  if (!p.parent_image.empty() || !p.parent_guid.empty())
    j.begin_object("parent").str_if("entity_id", p.parent_guid).str_if("executable", p.parent_image).end_object();
}

}  // namespace

void write_usage_finding_json(std::string& out, const UsageFinding& f) {
  const ProgramUsage& u = f.u;
  JsonOut j(out);
  j.begin_object();
  const TimeNs start = f.start != kNoTime ? f.start : u.first;
  j.time("@timestamp", start);
  j.begin_object("event").str("kind", "alert").str("category", "network").time("start", start).time("end", u.last)
      .num("duration", u.last > start ? u.last - start : 0).num("severity", static_cast<int64_t>(f.score))
      .dbl("risk_score", f.score).end_object();
  j.begin_object("rule").str("id", "AN0080")
      .str("name", "Processes moving data or bandwidth out: volume, duration and destination by process context")
      .str("reference", "https://attack.mitre.org/techniques/T1496/002/").end_object();
  j.begin_object("risk").dbl("score", f.score).end_object();
  j.begin_object("host").str_if("name", u.host).end_object();
  if (!f.user.empty() || !u.user_sid.empty()) {
    auto [dom, name] = split_user(f.user);
    j.begin_object("user").str_if("name", name).str_if("domain", dom).str_if("id", u.user_sid).end_object();
  }
  j.begin_object("process");
  if (f.entity == "process") {
    process_json(j, f.process);
  } else {
    j.str_if("executable", u.executable).str_if("name", u.kind == srum::ProgramKind::service ? std::string("svchost.exe")
                                                        : !u.executable.empty()           ? image_basename(u.executable)
                                                                                           : std::string());
  }
  j.end_object();
  j.begin_object("source").unum("bytes", u.sent).end_object();
  j.begin_object("destination").unum("bytes", u.recvd).end_object();
  j.begin_object("network").unum("bytes", u.sent + u.recvd).end_object();
  j.begin_object("threat").begin_object("technique").begin_array("id");
  for (const auto& t : f.techniques) j.str_elem(t);
  j.end_array().end_object().end_object();
  j.begin_object("outflow");
  j.num("rank", f.rank).str("finding_id", f.finding_id).str("severity", f.severity).str("entity", f.entity);
  j.str("volume_source", "srum");
  j.str_if("host_role", f.host_role);
  j.str("user_class", user_class_name(f.user_class)).str("path_class", path_class_name(f.path_class));
  j.begin_object("srum").str("program", u.program).str("program_kind", srum::program_kind_name(u.kind)).str_if("user_name_source", f.user_name_source)
      .unum("intervals", u.intervals).unum("program_hosts", f.program_hosts);
  if (!u.peaks.empty()) j.unum("peak_interval_bytes_sent", u.peaks.front().sent);
  j.begin_array("files");
  for (const auto& p : f.files) j.str_elem(p);
  j.end_array();
  j.begin_array("sensor_destinations");
  for (const auto& d : f.sensor_dests) {
    j.begin_object().str("destination", d.label);
    if (d.bytes_unknown) j.key_null("bytes_out");
    else j.unum("bytes_out", d.bytes_out);
    if (d.from_sysmon) j.unum("connections", d.connections);
    j.str("seen_as", d.from_sysmon ? "its_processes_connection_events" : d.from_host ? "host_traffic_in_its_hours" : "its_processes").end_object();
  }
  j.end_array();
  j.begin_array("busiest_intervals");
  for (const auto& iv : f.intervals) {
    j.begin_object().time("start", iv.start).time("end", iv.end).unum("bytes_sent", iv.sent).unum("bytes_received", iv.recvd);
    if (iv.start_estimated) j.boolean("start_estimated", true);
    j.str("process_join", iv.join_reason == "not_a_path" ? "not_a_path"
                          : iv.processes.size() == 1 && iv.join_reason.empty() ? "one"
                          : iv.processes.empty() ? "none" : "candidates");
    if (iv.join_reason != "not_a_path") j.str_if("process_join_reason", iv.join_reason);
    if (!iv.processes.empty()) {
      j.begin_array("processes");
      for (const auto& p : iv.processes) {
        j.begin_object();
        process_json(j, p);
        j.str_if("user", p.user).end_object();
      }
      j.end_array();
    }
    j.end_object();
  }
  j.end_array().end_object();
  j.begin_array("factors");
  for (const auto& x : f.factors)
    j.begin_object().str("name", x.name).str("observed", x.observed).str_if("threshold", x.threshold)
        .str_if("baseline", x.baseline).dbl("contribution", x.contribution).str_if("detail", x.detail).end_object();
  j.end_array();
  j.begin_array("caveats");
  for (const auto& c : f.caveats) j.str_elem(c);
  j.end_array();
  if (f.suppressed_by.empty()) j.key_null("suppressed_by");
  else j.begin_object("suppressed_by").str("rule", f.suppressed_by).end_object();
  j.end_object();
  j.end_object();
  out.push_back('\n');
}

void usage_finding_row(std::string& out, const UsageFinding& f, const std::string& rank) {
  std::string factors;
  size_t k = 0;
  for (const auto& x : f.factors) {
    if (x.contribution <= 0 || k++ == 4) continue;
    factors += (factors.empty() ? "" : ", ") + x.name;
  }
  const TimeNs start = f.start != kNoTime ? f.start : f.u.first;
  const TimeNs span = f.u.last > start ? f.u.last - start : 0;
  out += fmt::format("{:>4} {:>5.1f} {:<8} {:<16} {:<22} {:<24} {:<34} {:>9} {:>9} {:>8}  {}\n", rank, f.score, f.severity,
                     terminal_safe(clip_cell(f.u.host.empty() ? "?" : f.u.host, 16)),
                     terminal_safe(clip_cell(f.user.empty() ? f.u.user_sid : f.user, 22)), terminal_safe(clip_cell(program_label(f), 24)),
                     f.sensor_dests.empty() ? std::string("- (SRUM: no destinations)")
                                            : terminal_safe(clip_cell(f.sensor_dests.front().label + (f.sensor_dests.front().from_host ? " (host)" : ""), 34)),
                     human_bytes(f.u.sent), human_bytes(f.u.recvd), human_duration(span),
                     factors + (f.suppressed_by.empty() ? "" : " [suppressed: " + terminal_safe(f.suppressed_by) + "]"));
}

std::string findings_table_mixed(const HuntResult& r, const std::vector<UsageFinding>& usage, const std::vector<RankedRef>& order,
                                 const SessionPipeline& p, bool show_suppressed, size_t max_rows) {
  std::string out = findings_table_header();
  size_t rows = 0;
  for (const auto& x : order) {
    const int rank = x.usage ? usage[x.index].rank : r.findings[x.index].rank;
    if (rank == 0 || rows >= max_rows) continue;
    if (x.usage) usage_finding_row(out, usage[x.index], std::to_string(rank));
    else finding_row(out, r.findings[x.index], p, std::to_string(rank));
    ++rows;
  }
  if (show_suppressed)
    for (const auto& x : order) {
      if (x.usage && !usage[x.index].suppressed_by.empty()) usage_finding_row(out, usage[x.index], "-");
      if (!x.usage && !r.findings[x.index].suppressed_by.empty()) finding_row(out, r.findings[x.index], p, "-");
    }
  return out;
}

std::string explain_usage_finding(const UsageFinding& f) {
  const ProgramUsage& u = f.u;
  std::string o;
  o += fmt::format("Finding #{}  score {:.1f} ({})  id {}\n", f.rank, f.score, f.severity, f.finding_id);
  o += fmt::format("Host: {}{}\n", terminal_safe(u.host.empty() ? "? (no event log beside the SRUM input names it)" : u.host),
                   f.host_role.empty() ? "" : fmt::format("  (role {}, criticality x{:.1f})", f.host_role, f.criticality));
  o += "ATT&CK: AN0080";
  for (const auto& t : f.techniques) o += " " + t;
  o += "\n";
  if (!f.suppressed_by.empty()) o += fmt::format("SUPPRESSED by rule '{}'\n", terminal_safe(f.suppressed_by));
  o += fmt::format("\nProgram (SRUM, the host's own per-program network usage): {}\n", terminal_safe(u.program));
  for (const auto& p : f.files) o += fmt::format("  from {}\n", terminal_safe(p));
  if (!u.executable.empty()) o += fmt::format("  canonical path: {}  ({})\n", terminal_safe(u.executable), path_class_name(f.path_class));
  o += fmt::format("  user: {}{}  SID {}  ({})\n", terminal_safe(f.user.empty() ? "?" : f.user),
                   f.user_name_source == "process"        ? " (named by the joined process)"
                   : f.user_name_source == "security_log" ? " (named by the host's Security events)"
                                                          : "", terminal_safe(u.user_sid.empty() ? "?" : u.user_sid),
                   user_class_name(f.user_class));
  o += fmt::format("  sent {}, received {} over {} interval(s), {} to {} UTC; this program is in the SRUM of {} host(s)\n",
                   human_bytes(u.sent), human_bytes(u.recvd), u.intervals, format_time(f.start != kNoTime ? f.start : u.first).substr(0, 16),
                   format_time(u.last).substr(0, 16), f.program_hosts);
  o += f.entity == "process" ? "\nProcess (every busiest interval joins this one process creation):\n"
                             : "\nProcesses (SRUM has no process ids: the creations of this image whose lifetime overlaps each interval):\n";
  if (f.entity == "process") {
    const auto& p = f.process;
    o += fmt::format("  {}  pid {}  user {}  started {}\n", terminal_safe(p.image), p.pid, terminal_safe(p.user.empty() ? "?" : p.user),
                     p.start == kNoTime ? "?" : format_time(p.start));
    if (!p.parent_image.empty()) o += fmt::format("    parent: {}\n", terminal_safe(p.parent_image));
    if (!p.command_line.empty()) o += fmt::format("    cmd: {}\n", terminal_safe(clip_cell(p.command_line, 400)));
    if (!p.entity_id.empty()) o += fmt::format("    guid: {}\n", terminal_safe(p.entity_id));
  }
  o += "\nBusiest intervals:\n";
  for (const auto& iv : f.intervals) {
    o += fmt::format("  {} .. {}{}  sent {}  received {}\n", format_time(iv.start).substr(0, 19), format_time(iv.end).substr(0, 19),
                     iv.start_estimated ? " (start estimated)" : "", human_bytes(iv.sent), human_bytes(iv.recvd));
    if (f.entity != "process")
      for (const auto& p : iv.processes)
        o += fmt::format("    candidate: {}  pid {}  user {}  {} .. {}  cmd: {}\n", terminal_safe(image_basename(p.image)), p.pid,
                         terminal_safe(p.user.empty() ? "?" : p.user), p.start == kNoTime ? "?" : format_time(p.start),
                         p.end == kNoTime ? "(running)" : format_time(p.end), terminal_safe(clip_cell(p.command_line, 200)));
    if (iv.processes.empty() || !iv.join_reason.empty())
      o += fmt::format("    {}\n", iv.join_reason == "not_a_path" ? "not a path (a service, package or pseudo-name): no process to join"
                                                                  : terminal_safe(iv.join_reason));
  }
  if (!f.sensor_dests.empty()) {
    o += f.sensor_dests.front().from_host     ? "\nDestinations of its host's traffic no process was named for, in the same hours (a flow sensor):\n"
         : f.sensor_dests.front().from_sysmon ? "\nDestinations of its processes' connection events (Sysmon 3 / 5156: no bytes; which one took the upload is not known):\n"
                                              : "\nDestinations a flow sensor saw for its processes:\n";
    for (const auto& d : f.sensor_dests)
      o += d.from_sysmon ? fmt::format("  {}  {} connection(s)\n", terminal_safe(d.label), d.connections)
                         : fmt::format("  {}  {} out\n", terminal_safe(d.label), d.bytes_unknown ? "? (not all seen)" : human_bytes(d.bytes_out));
  }
  o += "\nFactors:\n";
  for (const auto& x : f.factors)
    o += fmt::format("  {:+6.1f}  {:<24} {}{}{}\n", x.contribution, x.name, terminal_safe(x.observed),
                     x.baseline.empty() ? "" : "  [" + terminal_safe(x.baseline) + "]", x.detail.empty() ? "" : "  " + terminal_safe(x.detail));
  o += "\nCaveats:\n";
  for (const auto& c : f.caveats) o += "  - " + terminal_safe(c) + "\n";
  o += "\nQuestions:\n"
       + std::string(f.sensor_dests.empty() || f.sensor_dests.front().from_host
                         ? "  - Where did it send? SRUM has no destinations: Sysmon 3 on this host, or a flow sensor (Zeek, NetFlow, the firewall) at\n"
                           "    its egress, names them; the proxy's log names the sites.\n"
                         : "  - Are the destinations above this program's usual ones? Compare with the same program on other hosts.\n") +
       "  - Is this program expected on this host, for this user, at this volume? Compare with the same program on other hosts.\n";
  return o;
}

}  // namespace outflow
