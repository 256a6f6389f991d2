#include "outflow/features/proxy_dest.h"

#include <functional>

namespace outflow {

ProxiedDest proxied_dest(const AppNames* apps, const AppNames::ConnApp* c) {
  ProxiedDest d;
  if (!apps || !c || c->proxy_host == AppNames::kNone) return d;
  const std::string& host = apps->name(c->proxy_host);
  if (host.empty()) return d;
  d.named = true;
  d.port = c->proxy_port ? c->proxy_port : 443;  // "CONNECT host" without a port: HTTPS's
  if (IpAddr::parse(host, d.ip)) return d;      // CONNECT 8.8.8.8:443: an address, not a name
  d.name = host;
  d.name_id = c->proxy_host;
  return d;
}

uint64_t named_dest_key(std::string_view name, uint16_t port, uint8_t proto) {
  // Odd multiplier and a fixed tag keep name keys apart from address keys in practice; a
  // collision only merges two destinations' counters.
  return (std::hash<std::string_view>()(name) * 0x9E3779B97F4A7C15ULL) ^ (uint64_t{port} << 8 | proto) ^ 0x50524F5859ULL;
}

}  // namespace outflow
