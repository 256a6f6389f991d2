#include "outflow/write/proxy_report.h"

#include <fmt/format.h>

#include "outflow/write/terminal.h"

namespace outflow {

namespace {

std::string endpoint(const ProxyFinder::Proxy& p) {
  const std::string ip = p.ip.is_v4() ? p.ip.to_string() : "[" + p.ip.to_string() + "]";
  return p.port ? ip + ":" + std::to_string(p.port) : ip + " (any port)";
}

const char* status(const ProxyFinder::Proxy& p) {
  if (p.detected()) return p.configured ? "configured, confirmed" : "found";
  if (p.configured) return p.requests ? "configured, seen" : "configured, no request seen";
  return "candidate";
}

std::string clients(const ProxyFinder::Proxy& p) {
  return std::to_string(p.clients.size()) + (p.clients.size() >= ProxyFinder::kMaxClients ? "+" : "");
}

}  // namespace

std::string proxies_text(const ProxyFinder& f) {
  const auto list = f.list();
  if (list.empty() && !f.squid_records) return {};
  std::string o = fmt::format(
      "\nPROXIES (explicit web proxies: config `proxies:`, and private address:ports answering CONNECT or absolute-URI "
      "requests in http.log from {}+ clients; sessions through them go to the host the requests named)\n",
      ProxyFinder::kMinClients);
  o += fmt::format("  {:<30} {:<28} {:>9} {:>9} {:>8}  {}\n", "proxy", "status", "requests", "CONNECT", "clients", "first .. last");
  for (const auto& p : list)
    o += fmt::format("  {:<30} {:<28} {:>9} {:>9} {:>8}  {} .. {}\n", terminal_safe(endpoint(p)), status(p), p.requests, p.connects,
                     clients(p), format_time(p.first), format_time(p.last));
  if (f.dropped()) o += fmt::format("  {} requests to further address:ports not kept (cap {})\n", f.dropped(), ProxyFinder::kMaxProxies);
  if (f.squid_records)
    o += fmt::format("  Squid access.log: {} requests; {} made sessions of their own (no sensor in front of the proxy saw the client), "
                     "{} left to the sensor's sessions (same transfers, not counted twice), {} unused (denied, no host or time)\n",
                     f.squid_records, f.squid_sessions, f.squid_seen_by_sensor, f.squid_unused);
  if (f.relayed_flows) {
    const RelayCounts& c = f.relay.counts();
    o += fmt::format("  {} flow records of a proxy's own connections out: relayed requests, whose client legs are the sessions "
                     "(not counted twice)\n", f.relayed_flows);
    o += fmt::format("    linked to a client leg's session: {}; not linked: {} no matching session, {} ambiguous (two equally good), "
                     "{} store full, {} open-connection snapshots\n",
                     c.linked, c.no_candidate, c.ambiguous, c.overflow, c.interim);
    o += fmt::format("    proxied sessions: {} linked (destination address from the outer leg; {} with their bytes out from it), "
                     "{} ambiguous, {} without a candidate\n",
                     c.sessions_linked, c.bytes_filled, c.sessions_ambiguous, c.sessions_unlinked);
  }
  return o;
}

void proxies_json(JsonOut& j, const ProxyFinder& f) {
  j.begin_array("proxies");
  for (const auto& p : f.list()) {
    j.begin_object().str("ip", p.ip.to_string()).unum("port", p.port).boolean("configured", p.configured)
        .boolean("detected", p.detected()).str("status", status(p)).unum("requests", p.requests).unum("connects", p.connects)
        .unum("clients", p.clients.size()).boolean("clients_capped", p.clients.size() >= ProxyFinder::kMaxClients);
    if (p.first != kNoTime) j.str("first", format_time(p.first)).str("last", format_time(p.last));
    j.end_object();
  }
  j.end_array();
  if (f.dropped()) j.unum("proxy_requests_not_kept", f.dropped());
  j.begin_object("squid").unum("records", f.squid_records).unum("sessions", f.squid_sessions)
      .unum("seen_by_sensor", f.squid_seen_by_sensor).unum("unused", f.squid_unused).end_object();
  j.unum("proxy_relayed_flow_records", f.relayed_flows);
  const RelayCounts& c = f.relay.counts();
  j.begin_object("proxy_relayed_links").unum("linked", c.linked).unum("no_candidate", c.no_candidate).unum("ambiguous", c.ambiguous)
      .unum("overflow", c.overflow).unum("interim", c.interim).unum("held", f.relay.held())
      .unum("sessions_linked", c.sessions_linked).unum("sessions_bytes_filled", c.bytes_filled)
      .unum("sessions_ambiguous", c.sessions_ambiguous).unum("sessions_unlinked", c.sessions_unlinked)
      .unum("sessions_held_early", c.sessions_held_early).end_object();
}

}  // namespace outflow
