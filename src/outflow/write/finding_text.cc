#include "outflow/write/finding_text.h"

#include <fmt/format.h>

#include "outflow/write/app_evidence_out.h"
#include "outflow/write/pair_text.h"
#include "outflow/write/terminal.h"

namespace outflow {

namespace {

std::string clip(std::string s, size_t n) { return clip_cell(std::move(s), n); }

std::string dest_label(const DestActivity& d) {
  return (d.domain.empty() ? d.ip.to_string() : d.domain) + ":" + std::to_string(d.port);
}

std::string process_label(const Finding& f, const SessionPipeline& p) {
  if (f.act && f.act->flow_only()) return "(host) " + f.act->entity_ip.to_string();
  if (f.proc == kNoProc) return "(unattributed)";
  const Process& pr = p.processes().get(f.proc);
  return image_basename(pr.image) + (pr.pid ? fmt::format(" ({})", pr.pid) : "");
}

std::string top_factors(const Finding& f, size_t n) {
  std::string s;
  size_t k = 0;
  for (const auto& x : f.factors) {
    if (x.contribution <= 0 || k++ == n) continue;
    if (!s.empty()) s += ", ";
    s += x.name;
  }
  return s;
}

// Bytes out as far as the sensor saw them: "unknown" when it saw none of the sessions' bytes
// out, ">=" a lower bound when it missed some (never a plain 0 for what was not seen).
std::string out_text(uint64_t bytes, uint32_t unknown, uint32_t sessions) {
  if (unknown == 0) return human_bytes(bytes);
  if (unknown >= sessions && bytes == 0) return "unknown";
  return ">=" + human_bytes(bytes);
}

}  // namespace

std::string clip_cell(std::string s, size_t n) {
  if (s.size() <= n) return s;
  // Cut on a UTF-8 boundary.
  size_t cut = n - 1;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  s.resize(cut);
  return s + "~";
}

void finding_row(std::string& out, const Finding& f, const SessionPipeline& p, const std::string& rank) {
  const ProcessActivity& a = *f.act;
  const Process* pr = f.proc != kNoProc ? &p.processes().get(f.proc) : nullptr;
  const std::string dest = f.dests.empty() ? "-" : dest_label(a.dests[f.dests[0].index]) +
                                                       (a.dests.size() > 1 ? fmt::format(" +{}", a.dests.size() - 1) : "");
  out += fmt::format("{:>4} {:>5.1f} {:<8} {:<16} {:<22} {:<24} {:<34} {:>9} {:>9} {:>8}  {}\n", rank, f.score, f.severity,
                     terminal_safe(clip(entity_host_label(p, a), 16)), terminal_safe(clip(pr ? pr->user : a.fw_users.top() ? a.fw_users.top()->user : "", 22)),
                     terminal_safe(clip(process_label(f, p), 24)), terminal_safe(clip(dest, 34)), out_text(a.bytes_out, a.sessions_out_unknown, a.sessions),
                     human_bytes(a.bytes_in), human_duration(a.last > a.first ? a.last - a.first : 0),
                     top_factors(f, 4) + (f.suppressed_by.empty() ? "" : " [suppressed: " + terminal_safe(f.suppressed_by) + "]"));
}


std::string findings_table_header() {
  return fmt::format("{:>4} {:>5} {:<8} {:<16} {:<22} {:<24} {:<34} {:>9} {:>9} {:>8}  {}\n", "RANK", "SCORE", "SEVERITY", "HOST", "USER",
                     "PROCESS (PID)", "TOP DESTINATION", "OUT", "IN", "SPAN", "TOP FACTORS");
}

std::string findings_table(const HuntResult& r, const SessionPipeline& p, bool show_suppressed, size_t max_rows) {
  std::string out = findings_table_header();
  size_t rows = 0;
  for (const auto& f : r.findings) {
    if (f.rank == 0 || rows >= max_rows) continue;
    finding_row(out, f, p, std::to_string(f.rank));
    ++rows;
  }
  if (show_suppressed) {
    for (const auto& f : r.findings)
      if (!f.suppressed_by.empty()) finding_row(out, f, p, "-");
  }
  return out;
}

std::string explain_finding(const Finding& f, const HuntResult& r, const SessionPipeline& p) {
  const ProcessActivity& a = *f.act;
  const auto& procs = p.processes();
  std::string o;
  o += fmt::format("Finding #{}  score {:.1f} ({})  id {}\n", f.rank, f.score, f.severity, f.finding_id);
  o += fmt::format("Host: {}{}{}\n", terminal_safe(entity_host_label(p, a)),
                   a.flow_only() ? " (no monitored host has this address: a host finding from network flows only)" : "",
                   f.host_role.empty() ? "" : fmt::format("  (role {}, criticality x{:.1f})", f.host_role, f.criticality));
  o += "ATT&CK: AN0080";
  for (const auto& t : f.techniques) o += " " + t;
  o += "\n";
  if (!f.suppressed_by.empty())
    o += fmt::format("SUPPRESSED by rule '{}' ({})\n", terminal_safe(f.suppressed_by), terminal_safe(f.suppressed_category));

  const OffsetEstimate off = p.offsets().process_clock(f.host);
  o += "\nLineage (root first)";
  if (off.known && off.offset != 0)
    o += fmt::format("; start times on the sensor's clock (this host's clock is {} {})", human_duration(off.offset < 0 ? -off.offset : off.offset),
                     off.offset < 0 ? "ahead" : "behind");
  o += ":\n";
  if (!a.fw_users.empty()) {
    o += "  firewall users (User-ID):";
    for (const auto& e : a.fw_users.users) o += fmt::format(" {} ({} sessions)", terminal_safe(e.user), e.sessions);
    if (a.fw_users.other_sessions) o += fmt::format(" +{} sessions of other users", a.fw_users.other_sessions);
    o += "\n";
  }
  if (a.flow_only()) {
    o += fmt::format("  (no process: no endpoint telemetry names the process behind this traffic; Sysmon 1 (process\n"
                     "   creation) and Sysmon 3 (network connection) on the host at {} would; see `outflow coverage`)\n",
                     a.entity_ip.to_string());
  } else if (f.proc == kNoProc) {
    o += "  (no process: no endpoint event names the process behind this traffic; see `outflow coverage`)\n";
  } else {
    const auto chain = procs.lineage(f.proc);
    for (size_t i = 0; i < chain.size(); ++i) {
      const Process& pr = procs.get(chain[i]);
      o += fmt::format("  {}{} {}  pid {}  user {}  integrity {}  started {}\n", std::string(2 * i, ' '), i ? "└─" : "",
                       terminal_safe(pr.image.empty() ? "?" : pr.image), pr.pid, terminal_safe(pr.user.empty() ? "?" : pr.user),
                       terminal_safe(pr.integrity_level.empty() ? "?" : pr.integrity_level),
                       pr.start == kNoTime ? "?" : format_time(start_on_sensor_clock(p.offsets(), pr)));
      if (!pr.command_line.empty()) o += fmt::format("  {}   cmd: {}\n", std::string(2 * i, ' '), terminal_safe(clip(pr.command_line, 400)));
      if (!pr.guid.empty()) o += fmt::format("  {}   guid: {}\n", std::string(2 * i, ' '), terminal_safe(pr.guid));
    }
    const Process& pr = procs.get(f.proc);
    o += fmt::format("  context: user class {}, path class {}", user_class_name(f.user_class), path_class_name(f.path_class));
    if (!pr.original_file_name.empty() || !pr.company.empty())
      o += fmt::format(", OriginalFileName {}, Company {}", terminal_safe(pr.original_file_name), terminal_safe(pr.company));
    o += "\n";
    if (f.invoked_children)
      o += fmt::format("  children started by it sent {} in all ({} processes)\n", human_bytes(f.invoked_out), f.invoked_children);
  }

  o += fmt::format("\nTraffic: {} out, {} in, {} sessions, {} destinations ({} addresses), {} to {}\n",
                   out_text(a.bytes_out, a.sessions_out_unknown, a.sessions),
                   human_bytes(a.bytes_in), a.sessions, a.dests.size(), a.dest_ips.size(), format_time(a.first), format_time(a.last));
  o += fmt::format("  {:<56} {:>9} {:>9} {:>6} {:>9} {:>10} {:>7} {:<8} {}\n", "destination", "out", "in", "sess", "longest",
                   "cumulative", "hosts", "country", "first .. last");
  for (const auto& s : f.dests) {
    const DestActivity& d = a.dests[s.index];
    const std::string addr = d.domain.empty() ? d.ip.to_string() : d.ip.is_unset() ? d.domain : d.domain + " " + d.ip.to_string();
    const std::string via = d.via_proxy.is_unset() ? "" : " via proxy " + d.via_proxy.to_string();
    o += fmt::format("  {:<56} {:>9} {:>9} {:>6} {:>9} {:>10} {:>7} {:<8} {} .. {}\n",
                     terminal_safe(clip(addr + ":" + std::to_string(d.port) + "/" + proto_name(d.proto) + via + (s.internal ? " (int)" : "") +
                                        (s.evidence.empty() ? "" : " [" + s.evidence + "]"), 56)),
                     out_text(d.bytes_out, d.sessions_out_unknown, d.sessions), human_bytes(d.bytes_in), d.sessions, human_duration(d.longest),
                     human_duration(d.cumulative()), fmt::format("{}/{}", s.hosts_in_org, r.org_hosts),
                     s.country.empty() ? "unknown" : s.country, format_time(d.first), format_time(d.last));
    if (d.ip_from_relay || d.sessions_out_from_relay)
      o += fmt::format("    {}{}{}\n", d.ip_from_relay ? "address from the proxy's own connection out" : "",
                       d.ip_from_relay && d.sessions_out_from_relay ? "; " : "",
                       d.sessions_out_from_relay ? fmt::format("bytes out of {} session(s) from it (the proxy's log has no upload size)",
                                                               d.sessions_out_from_relay)
                                                 : "");
  }

  o += app_evidence_text(f, r.org_hosts);  // http.log, files.log, dns.log evidence
  o += explain_pairs(f) + explain_windows(a, r.time_window);

  o += "\nFactors:\n";
  for (const auto& x : f.factors) {
    o += fmt::format("  {:>5.1f}  {:<22} observed {}", x.contribution, x.name, terminal_safe(x.observed));
    if (!x.threshold.empty()) o += fmt::format("; threshold {}", terminal_safe(x.threshold));
    if (!x.baseline.empty()) o += fmt::format("; baseline {}", terminal_safe(x.baseline));
    o += "\n";
    if (!x.detail.empty()) o += fmt::format("         {}\n", terminal_safe(x.detail));
  }

  if (!f.caveats.empty()) {
    o += "\nCaveats (what the telemetry could not see):\n";
    for (const auto& c : f.caveats) o += fmt::format("  - {}\n", terminal_safe(c));
  }

  o += "\nQuestions for the analyst:\n";
  o += a.flow_only() ? "  - Was this transfer authorised? Which machine and user had this address then, and who owns this destination?\n"
                     : "  - Was this transfer authorised? Who owns this process and this destination?\n";
  if (!f.dests.empty()) {
    const DestActivity& top = a.dests[f.dests[0].index];
    o += fmt::format("  - Is {} a legitimate destination for this host (owner, reputation, category)?\n",
                     terminal_safe(dest_label(top)));
  }
  if (f.proc != kNoProc) {
    o += "  - Is the parent -> child chain expected (scheduled task, installer, admin script)?\n";
    o += "  - Is the account expected to run this executable from this path?\n";
  }
  o += "  - What data was readable by this process (files opened before the transfer)?\n";
  o += "  - Are other hosts talking to the same destination (pivot on destination.ip / destination.domain)?\n";
  return o;
}

}  // namespace outflow
