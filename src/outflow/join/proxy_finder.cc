#include "outflow/join/proxy_finder.h"

#include <algorithm>

#include "outflow/read/squid/proxy_target.h"

namespace outflow {

bool parse_proxy_address(std::string_view s, ProxyAddress& out, std::string& err) {
  std::string_view host;
  uint16_t port = 0;
  if (!squid::split_host_port(s, host, port) || !IpAddr::parse(host, out.ip)) {
    err = "not an address or address:port: '" + std::string(s) + "'";
    return false;
  }
  out.port = port;
  return true;
}

void ProxyFinder::note_sensor_client(const IpAddr& client) {
  if (seen_full_ || seen_clients_.count(client)) return;
  if (seen_clients_.size() >= kMaxSeenClients) {
    seen_full_ = true;
    return;
  }
  seen_clients_.insert(client);
}

bool ProxyFinder::is_configured(const IpAddr& ip, uint16_t port) const {
  for (const auto& c : configured_)
    if (c.ip == ip && (c.port == 0 || c.port == port)) return true;
  return false;
}

bool ProxyFinder::is_proxy_host(const IpAddr& ip) const {
  for (const auto& p : proxies_)
    if (p.ip == ip && (p.configured || p.detected())) return true;
  return false;
}

void ProxyFinder::configure(const std::vector<ProxyAddress>& configured) {
  configured_ = configured;
  for (const auto& c : configured) {
    if (Proxy* p = find(c.ip, c.port)) {
      p->configured = true;
      continue;
    }
    if (proxies_.size() >= kMaxProxies) break;
    Proxy p;
    p.ip = c.ip;
    p.port = c.port;
    p.configured = true;
    proxies_.push_back(std::move(p));
  }
}

ProxyFinder::Proxy* ProxyFinder::find(const IpAddr& ip, uint16_t port) {
  for (auto& p : proxies_)
    if (p.ip == ip && (p.port == port || (p.configured && p.port == 0))) return &p;
  return nullptr;
}

void ProxyFinder::observe(const AppRecord& r) {
  if (r.kind != AppKind::http) return;
  std::string host;
  uint16_t port = 0;
  if (!squid::proxy_target(r.method, r.uri, host, port)) return;  // not a request to a proxy
  // A web proxy's requests: CONNECT or an http(s)/ftp URI. RTSP's "OPTIONS rtsp://..." (a
  // camera's port 554, logged as HTTP by Suricata) is a media server's, not a proxy's.
  if (r.method != "CONNECT" && !r.uri.starts_with("http://") && !r.uri.starts_with("https://") && !r.uri.starts_with("ftp://"))
    return;
  // The organisation's clients use its proxy; an outside address sending absolute URIs to an
  // inside one is a scanner probing for an open proxy (honeypots see it all day).
  if (!r.orig_h.is_private()) return;
  Proxy* p = find(r.resp_h, r.resp_p);
  if (!p) {
    if (proxies_.size() >= kMaxProxies) {
      ++dropped_;
      return;
    }
    proxies_.emplace_back();
    p = &proxies_.back();
    p->ip = r.resp_h;
    p->port = r.resp_p;
  }
  note_sensor_client(r.orig_h);
  ++p->requests;
  p->connects += r.method == "CONNECT";
  if (p->clients.size() < kMaxClients && std::find(p->clients.begin(), p->clients.end(), r.orig_h) == p->clients.end())
    p->clients.push_back(r.orig_h);
  if (r.ts != kNoTime) {
    if (p->first == kNoTime || r.ts < p->first) p->first = r.ts;
    if (p->last == kNoTime || r.ts > p->last) p->last = r.ts;
  }
}

std::vector<ProxyFinder::Proxy> ProxyFinder::list() const {
  std::vector<Proxy> v = proxies_;
  std::stable_sort(v.begin(), v.end(), [](const Proxy& a, const Proxy& b) {
    return a.configured != b.configured ? a.configured : a.requests > b.requests;
  });
  return v;
}

}  // namespace outflow
