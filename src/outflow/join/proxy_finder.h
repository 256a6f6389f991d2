// Explicit web proxies: the ones the config names (`proxies:`, address[:port]) and the ones the
// data shows. The rule for the data: a private address (RFC 1918, ULA) and port to which Zeek's
// http.log shows requests only a proxy answers (CONNECT host:port, or a GET/POST with an
// http/https/ftp URI) from at least kMinClients distinct private clients (outside addresses
// sending absolute URIs are scanners probing for open proxies; rtsp:// is a media server's). An address:port with such requests
// from fewer clients is listed as a candidate, not a proxy. Reported by `outflow coverage`.
// Capped: kMaxProxies address:ports, kMaxClients clients counted each (past it, "at least").
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "outflow/core/ip.h"
#include "outflow/core/time.h"
#include "outflow/join/relay_link.h"
#include "outflow/model/events.h"

namespace outflow {

struct ProxyAddress {
  IpAddr ip;
  uint16_t port = 0;  // 0: any port
};
// "10.0.0.1", "10.0.0.1:3128", "[fd00::1]:8080". False (and `err`) on anything else.
bool parse_proxy_address(std::string_view s, ProxyAddress& out, std::string& err);

class ProxyFinder {
 public:
  static constexpr size_t kMaxProxies = 256;
  static constexpr size_t kMaxClients = 64;
  static constexpr uint32_t kMinClients = 2;

  struct Proxy {
    IpAddr ip;
    uint16_t port = 0;
    bool configured = false;      // named by the config
    uint64_t requests = 0;        // CONNECT / absolute-URI requests seen to it (http.log)
    uint64_t connects = 0;        // CONNECT among them
    std::vector<IpAddr> clients;  // distinct clients, up to kMaxClients
    TimeNs first = kNoTime, last = kNoTime;
    bool detected() const { return ip.is_private() && clients.size() >= kMinClients; }
  };

  void configure(const std::vector<ProxyAddress>& configured);
  // An http.log record: counted when it is a request to a proxy.
  void observe(const AppRecord& r);

  // Clients a sensor saw talking to a proxy (an http.log proxy request, a flow to a configured
  // proxy): their Squid records are the same transfers, not sessions of their own. Capped at
  // kMaxSeenClients; past it every client counts as seen (undercount rather than count twice).
  static constexpr size_t kMaxSeenClients = 1'000'000;
  void note_sensor_client(const IpAddr& client);
  bool sensor_saw(const IpAddr& client) const { return seen_full_ || seen_clients_.count(client) != 0; }
  // A flow to a configured proxy (address, and port when the config gave one).
  bool is_configured(const IpAddr& ip, uint16_t port) const;
  // A proxy's own address (configured, or found by the rule above), any port: its connections
  // to the Internet relay the clients' requests (SessionPipeline::on_flow counts them in
  // relayed_flows and makes no session of them: the client legs are the sessions).
  bool is_proxy_host(const IpAddr& ip) const;
  uint64_t relayed_flows = 0;
  // The recent ones, for the link to their client legs' sessions (join/relay_link.h).
  RelayLinks relay;
  // The one configured proxy, when there is exactly one (Squid does not log its own address).
  const ProxyAddress* single_configured() const { return configured_.size() == 1 ? &configured_[0] : nullptr; }

  // Squid access.log records (SessionPipeline::on_proxy): made sessions, left to the sensor's
  // session (same transfer), or unused (denied, no named host, no time).
  uint64_t squid_records = 0, squid_sessions = 0, squid_seen_by_sensor = 0, squid_unused = 0;

  // Configured ones first, then by requests (most first).
  std::vector<Proxy> list() const;
  uint64_t dropped() const { return dropped_; }  // requests to address:ports past the cap

 private:
  Proxy* find(const IpAddr& ip, uint16_t port);
  std::vector<Proxy> proxies_;
  std::vector<ProxyAddress> configured_;
  std::unordered_set<IpAddr, IpAddrHash> seen_clients_;
  bool seen_full_ = false;
  uint64_t dropped_ = 0;
};

}  // namespace outflow
