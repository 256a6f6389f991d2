#include "outflow/write/finding_json.h"

#include "outflow/write/app_evidence_out.h"
#include "outflow/write/intel_out.h"
#include "outflow/write/json_out.h"
#include "outflow/write/pair_json.h"
#include "outflow/write/session_json.h"

namespace outflow {

void write_finding_json(std::string& out, const Finding& f, const SessionPipeline& p) {
  const ProcessActivity& a = *f.act;
  const Process* proc = f.proc != kNoProc ? &p.processes().get(f.proc) : nullptr;
  const DestActivity* top = f.dests.empty() ? nullptr : &a.dests[f.dests[0].index];
  const OffsetEstimate off = p.offsets().process_clock(f.host);
  const OffsetEstimate coff = p.offsets().connect_clock(f.host);
  JsonOut j(out);
  j.begin_object();
  j.str("@timestamp", format_time(a.first));
  j.begin_object("event").str("kind", "alert").str("category", "network").str("start", format_time(a.first))
      .str("end", format_time(a.last)).num("duration", a.last > a.first ? a.last - a.first : 0)
      .num("severity", static_cast<int64_t>(f.score)).dbl("risk_score", f.score).end_object();
  j.begin_object("rule").str("id", "AN0080")
      .str("name", "Processes moving data or bandwidth out: volume, duration and destination by process context")
      .str("reference", "https://attack.mitre.org/techniques/T1496/002/").end_object();
  j.begin_object("risk").dbl("score", f.score).end_object();
  // A host finding (no process named) carries the host's address; a flow-only host (no
  // monitored host has that address) its name only when DNS answers name the address.
  const bool host_entity = f.proc == kNoProc;
  j.begin_object("host");
  if (a.flow_only()) {
    j.str_if("name", p.index().name_of(a.entity_ip, kNoHost, IpAddr{}, a.first)).str("ip", a.entity_ip.to_string());
  } else {
    j.str("name", p.hosts().display_name(f.host));
    if (host_entity && !a.local.is_unset()) j.str("ip", a.local.to_string());
  }
  j.end_object();
  if (proc && !proc->user.empty()) {
    auto [dom, name] = split_user(proc->user);
    j.begin_object("user").str("name", name).str_if("domain", dom).end_object();
  } else if (const FirewallUsers::Entry* fu = !proc ? a.fw_users.top() : nullptr) {
    // No process: the firewall's user (User-ID) is the only "as whom" (outflow.firewall_users).
    auto [dom, name] = split_user(fu->user);
    j.begin_object("user").str("name", name).str_if("domain", dom).end_object();
  }
  if (proc) {
    j.begin_object("process").str_if("entity_id", proc->guid);
    if (proc->pid) j.unum("pid", proc->pid);
    j.str_if("executable", proc->image).str_if("name", image_basename(proc->image)).str_if("command_line", proc->command_line);
    // Host clocks can be hours off the sensor's; process times are put on the flows' clock.
    if (proc->start != kNoTime) j.str("start", format_time(start_on_sensor_clock(p.offsets(), *proc)));
    if (proc->parent != kNoProc) {
      const Process& pp = p.processes().get(proc->parent);
      j.begin_object("parent").str_if("entity_id", pp.guid);
      if (pp.pid) j.unum("pid", pp.pid);
      j.str_if("executable", pp.image).str_if("command_line", pp.command_line).end_object();
    }
    j.end_object();
  }
  j.begin_object("source");
  if (!a.local.is_unset()) j.str("ip", a.local.to_string());
  // Bytes out that the sensor mostly did not see are unknown, not a small number.
  if (!a.volume_mostly_unknown()) j.unum("bytes", a.bytes_out);
  j.end_object();
  if (top) {
    // Through a proxy to a name: no address, and never the proxy's.
    j.begin_object("destination").str_if("ip", top->ip.is_unset() ? std::string() : top->ip.to_string()).unum("port", top->port).str_if("domain", top->domain)
        .unum("bytes", top->bytes_in);
    if (!f.dests[0].country.empty()) j.begin_object("geo").str("country_iso_code", f.dests[0].country).end_object();
    j.end_object();
    j.begin_object("network").str("transport", proto_name(top->proto)).end_object();
  }
  j.begin_object("threat").begin_object("technique").begin_array("id");
  for (const auto& t : f.techniques) j.str_elem(t);
  j.end_array().end_object().end_object();

  j.begin_object("outflow");
  j.num("rank", f.rank).str("finding_id", f.finding_id).str("severity", f.severity);
  j.str("entity", host_entity ? "host" : "process");
  j.str_if("host_role", f.host_role);
  if (!a.fw_users.empty()) {
    // The firewall's users of these sessions, beside the process's own (score/user_context.h).
    j.begin_array("firewall_users");
    for (const auto& e : a.fw_users.users)
      j.begin_object().str("name", e.user).unum("sessions", e.sessions).unum("bytes_out", e.bytes_out).end_object();
    j.end_array();
    if (a.fw_users.other_sessions) j.unum("firewall_users_other_sessions", a.fw_users.other_sessions);
  }
  // Host time minus sensor time, as in coverage: the clock of its process events, and of its
  // connection events (they can differ by days).
  if (off.known) j.num("host_clock_offset_ms", -off.offset / 1'000'000);
  if (coff.known) j.num("connection_clock_offset_ms", -coff.offset / 1'000'000);
  if (proc) {
    j.str("user_class", user_class_name(f.user_class)).str("path_class", path_class_name(f.path_class));
    j.str_if("integrity_level", proc->integrity_level).str_if("original_file_name", proc->original_file_name)
        .str_if("company", proc->company);
    const auto chain = p.processes().lineage(f.proc);
    j.begin_array("lineage");
    for (ProcId id : chain) {
      const auto& img = p.processes().get(id).image;
      j.str_elem(img.empty() ? std::string_view("?") : std::string_view(img));
    }
    j.end_array().begin_array("lineage_entity_ids");
    for (ProcId id : chain) j.str_elem(p.processes().get(id).guid);
    j.end_array().begin_array("lineage_users");
    for (ProcId id : chain) j.str_elem(p.processes().get(id).user);
    j.end_array();
  }
  if (f.invoked_children) j.begin_object("invoked").unum("bytes_out", f.invoked_out).unum("children", f.invoked_children).end_object();
  if (f.rollup_only) j.boolean("rollup", true);
  if (const uint64_t pw = a.peak_window_out()) j.unum("peak_window_bytes_out", pw);
  j.unum("sessions", a.sessions).unum("bytes_in", a.bytes_in).unum("destination_count", a.dests.size())
      .unum("distinct_addresses", a.dest_ips.size());
  if (a.sessions_inferred) j.unum("sessions_inferred", a.sessions_inferred);
  j.begin_array("destinations");
  for (const auto& s : f.dests) {
    const DestActivity& d = a.dests[s.index];
    j.begin_object().str_if("ip", d.ip.is_unset() ? std::string() : d.ip.to_string()).str_if("via_proxy", d.via_proxy.is_unset() ? std::string() : d.via_proxy.to_string()).unum("port", d.port).str("transport", proto_name(d.proto)).str_if("domain", d.domain)
        .unum("bytes_out", d.bytes_out).unum("bytes_in", d.bytes_in).unum("sessions", d.sessions)
        .str("start", format_time(d.first)).str("end", format_time(d.last)).num("longest_ns", d.longest)
        .num("cumulative_ns", d.cumulative()).unum("hosts_in_org", s.hosts_in_org).boolean("internal", s.internal)
        .str("country", s.country.empty() ? "unknown" : s.country);
    // Through a proxy: the address from the proxy's own connection out (join/relay_link.h), and
    // the sessions whose bytes out are that leg's (the client leg's were not logged).
    if (d.ip_from_relay) j.str("ip_source", "proxy_outer_leg");
    if (d.sessions_out_from_relay) j.unum("sessions_bytes_out_from_proxy_leg", d.sessions_out_from_relay);
    if (s.first_seen != kNoTime) j.str("first_seen_org", format_time(s.first_seen));
    if (s.new_for_org) j.boolean("new_for_org", true);
    if (s.new_for_host) j.boolean("new_for_host", true);
    if (s.new_for_user) j.boolean("new_for_user", true);
    j.str_if("evidence", s.evidence);
    j.end_object();
  }
  j.end_array();
  app_evidence_json(j, f);  // http, files_sent, dns
  write_pairs_json(j, f);
  j.begin_array("factors");
  for (const auto& x : f.factors) {
    j.begin_object().str("name", x.name).str("observed", x.observed).str_if("threshold", x.threshold)
        .str_if("baseline", x.baseline).dbl("contribution", x.contribution).str_if("detail", x.detail).end_object();
  }
  j.end_array();
  intel_hits_json(j, f);  // feed matches (write/intel_out.h)
  if (a.volume_unknown())
    j.begin_object("volume_unknown").unum("sessions", a.sessions_out_unknown).unum("of_sessions", a.sessions)
        .unum("bytes_out_seen", a.bytes_out).end_object();
  j.begin_array("caveats");
  for (const auto& c : f.caveats) j.str_elem(c);
  j.end_array();
  if (f.suppressed_by.empty())
    j.key_null("suppressed_by");
  else
    j.begin_object("suppressed_by").str("rule", f.suppressed_by).str_if("category", f.suppressed_category).end_object();
  j.end_object();
  j.end_object();
  out.push_back('\n');
}

}  // namespace outflow
