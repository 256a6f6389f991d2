#include "outflow/write/app_evidence_out.h"

#include <fmt/format.h>

#include "outflow/score/hunter.h"
#include "outflow/write/terminal.h"

namespace outflow {

namespace {
std::string clip(const std::string& s, size_t n) { return s.size() <= n ? s : s.substr(0, n) + "…"; }
}  // namespace

std::string app_evidence_text(const Finding& f, uint32_t org_hosts) {
  const AppEvidence& e = f.act->app;
  std::string o;
  if (e.http_requests > 0) {
    o += fmt::format("\nHTTP (http.log): {} requests, {} POST/PUT with {} in bodies; {} sent in all request bodies, {} received{}\n",
                     e.http_requests, e.uploads, human_bytes(e.upload_body), human_bytes(e.request_body), human_bytes(e.response_body),
                     e.blank_host ? fmt::format("; {} without a Host header", e.blank_host) : "");
    if (e.sessions_bounded)
      o += fmt::format("  {} session(s) whose bytes out the sensor did not see count their HTTP bodies as a lower bound\n",
                       e.sessions_bounded);
    for (const auto& u : e.uris)
      o += fmt::format("  upload  {:>6} x  {:>9}  {}\n", u.count, human_bytes(u.bytes), terminal_safe(clip(u.text, 120)));
    if (e.uris_dropped) o += fmt::format("  ({} more URIs not kept)\n", e.uris_dropped);
    for (size_t i = 0; i < e.agents.size(); ++i) {
      const uint32_t hosts = i < f.agent_hosts.size() ? f.agent_hosts[i] : 0;
      o += fmt::format("  agent   {:>6} x  used by {}/{} hosts  {}\n", e.agents[i].count, hosts, org_hosts,
                       terminal_safe(clip(e.agents[i].text, 120)));
    }
    if (e.agents_dropped) o += fmt::format("  ({} more user agents not kept)\n", e.agents_dropped);
  }
  if (e.files_sent > 0) {
    o += fmt::format("\nFiles sent (files.log): {} file(s), {}\n", e.files_sent, human_bytes(e.file_bytes));
    for (const auto& x : e.files)
      o += fmt::format("  {:>6} x  {:>9}  {}{}\n", x.count, human_bytes(x.bytes), terminal_safe(clip(x.text, 100)),
                       x.detail.empty() ? "" : "  (" + terminal_safe(x.detail) + ")");
    if (e.files_dropped) o += fmt::format("  ({} more file names not kept)\n", e.files_dropped);
  }
  if (e.ids_alerts > 0) {
    o += fmt::format("\nIDS alerts (Suricata) on outbound sessions: {}, {} policy / command-and-control\n", e.ids_alerts,
                     e.ids_relevant);
    for (const auto& x : e.alerts)
      o += fmt::format("  {:>6} x  {}  ({})\n", x.count, terminal_safe(clip(x.text, 120)), terminal_safe(x.detail));
    if (e.alerts_dropped) o += fmt::format("  ({} more signatures not kept)\n", e.alerts_dropped);
  }
  if (!f.dns.empty()) {
    o += "\nDNS (dns.log; names under one registered domain, per host):\n";
    o += fmt::format("  {:<40} {:>14} {:>9} {:>9}  {}\n", "domain", "unique names", "queries", "TXT/NULL", "first .. last");
    for (const auto& d : f.dns)
      o += fmt::format("  {:<40} {:>14} {:>9} {:>9}  {} .. {}\n", terminal_safe(clip(d.domain, 40)),
                       fmt::format("{}{}", d.names.exact() ? "" : "~", d.unique_names()), d.queries,
                       d.typed ? fmt::format("{:.0f}%", 100.0 * static_cast<double>(d.txt_null) / static_cast<double>(d.typed)) : "?",
                       format_time(d.first), format_time(d.last));
  }
  return o;
}

void app_evidence_json(JsonOut& j, const Finding& f) {
  const AppEvidence& e = f.act->app;
  if (e.http_requests > 0) {
    j.begin_object("http").unum("requests", e.http_requests).unum("uploads", e.uploads).unum("upload_body_bytes", e.upload_body)
        .unum("request_body_bytes", e.request_body).unum("response_body_bytes", e.response_body).unum("blank_host", e.blank_host)
        .unum("sessions_bounded", e.sessions_bounded);
    j.begin_array("upload_uris");
    for (const auto& u : e.uris) j.begin_object().str("uri", u.text).unum("requests", u.count).unum("bytes", u.bytes).end_object();
    j.end_array().begin_array("user_agents");
    for (size_t i = 0; i < e.agents.size(); ++i)
      j.begin_object().str("user_agent", e.agents[i].text).unum("requests", e.agents[i].count)
          .unum("hosts_in_org", i < f.agent_hosts.size() ? f.agent_hosts[i] : 0).end_object();
    j.end_array();
    if (e.uris_dropped) j.unum("uris_dropped", e.uris_dropped);
    if (e.agents_dropped) j.unum("user_agents_dropped", e.agents_dropped);
    j.end_object();
  }
  if (e.files_sent > 0) {
    j.begin_object("files_sent").unum("files", e.files_sent).unum("bytes", e.file_bytes).begin_array("names");
    for (const auto& x : e.files)
      j.begin_object().str("name", x.text).str_if("mime_type", x.detail).unum("files", x.count).unum("bytes", x.bytes).end_object();
    j.end_array();
    if (e.files_dropped) j.unum("names_dropped", e.files_dropped);
    j.end_object();
  }
  if (e.ids_alerts > 0) {
    j.begin_object("ids_alerts").unum("alerts", e.ids_alerts).unum("policy_or_c2", e.ids_relevant).begin_array("signatures");
    for (const auto& x : e.alerts) j.begin_object().str("signature", x.text).str("detail", x.detail).unum("alerts", x.count).end_object();
    j.end_array();
    if (e.alerts_dropped) j.unum("signatures_dropped", e.alerts_dropped);
    j.end_object();
  }
  if (!f.dns.empty()) {
    j.begin_array("dns");
    for (const auto& d : f.dns) {
      j.begin_object().str("domain", d.domain).unum("unique_names", d.unique_names()).boolean("unique_names_exact", d.names.exact())
          .unum("queries", d.queries).unum("typed_queries", d.typed).unum("txt_null_queries", d.txt_null)
          .str("start", format_time(d.first)).str("end", format_time(d.last)).end_object();
    }
    j.end_array();
  }
}

}  // namespace outflow
