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
  if (f.relayed_flows)
    o += fmt::format("  {} flow records of a proxy's own connections out: relayed requests, whose client legs are the sessions "
                     "(not counted twice)\n", f.relayed_flows);
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
}

}  // namespace outflow
