// An organisation behind an explicit web proxy (`outflow simulate --proxy`). The hosts' web
// traffic (TCP 80 and 443 to the Internet, the scenarios' web exfiltration and C2 included)
// goes to the proxy (an internal address, Organisation::proxy_ip, port 3128 or 8080), which
// opens its own connection to the real destination. What such a network records:
//
//   DIR/zeek/conn.log, http.log  a sensor between the clients and the proxy: the client leg
//                                (client:port -> proxy:3128, the same 5-tuple as the host's
//                                Sysmon 3) and, on its uid, the request: `CONNECT host:443`
//                                (a tunnel) or an absolute URI (`GET http://host/...`)
//   DIR/proxy/access.log         Squid's native access.log: one line per request when it ends
//                                (TCP_TUNNEL/200 with the bytes sent to the client; the native
//                                format does not log the upload)
//   DIR/firewall/panos.log       the perimeter firewall (firewall_writer.h): the proxy's own
//     (or fortigate.log)         connections to the Internet and every non-proxied session
//                                that crosses it (DNS forwarding, NTP, media, the bypassing
//                                hosts' web traffic...), with NAT and the User-ID user
//   DIR/outflow.yaml             `proxies: [address:port]`, the config the detector reads
//
// The client does not resolve a proxied name (the proxy does): no Sysmon 22 or DNS lookup for
// it. A host with Host::bypasses_proxy (--proxy-bypass N) talks to the Internet directly on
// web ports. Labels are unchanged: they name the real destination. The proxy's own traffic
// uses a random stream of its own, so the hosts' activity is the one without --proxy.
#pragma once
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "outflow/simulate/firewall_writer.h"
#include "outflow/simulate/organisation.h"

namespace outflow {
class JsonOut;
}

namespace outflow::sim {

// Sets Organisation::proxy_ip/port and Host::bypasses_proxy (`bypass` workstations drawn from
// the seed, an order of their own). False with a message on a bad port or count.
bool apply_proxy(Organisation& org, uint64_t seed, uint16_t port, int bypass, std::string& error);
// labels.jsonl: the organisation's "proxy": "address:port" and "proxy_bypass": [names]; nothing
// without a proxy.
void proxy_json(JsonOut& j, const Organisation& org);
// The config the detector reads (`hunt --config DIR/outflow.yaml`).
std::string proxy_config_yaml(const Organisation& org);

class ProxyNet {
 public:
  ProxyNet(const Organisation& org, uint64_t seed, FirewallFormat firewall);
  // DIR/proxy/access.log, DIR/firewall/<format>.log, and DIR/zeek/http.log when `zeek`.
  bool open(const std::string& out, bool zeek, std::string& error);
  // Whether the host's connection goes through the proxy.
  bool routes(const Host& h, const SimConn& c) const;
  // The proxied connection `c` (src, sport and uid filled in, dst the real destination): its
  // client leg (to the proxy; returned, for Sysmon and the flow sensors), the http.log request,
  // Squid's line and the proxy's connection out through the firewall.
  SimConn proxied(const SimConn& c, std::string_view domain);
  // A connection the flow sensors saw: logged by the firewall when it crosses the perimeter.
  void perimeter(const SimConn& c);
  bool flush_before(TimeNs t);
  bool close(std::string& error);
  uint64_t squid_records() const { return squid_records_; }
  uint64_t firewall_records() const { return firewall_.records(); }
  const std::string& firewall_file() const { return firewall_.file_name(); }

 private:
  struct Request {  // one proxied request, written to http.log (at its start) and Squid's log (at its end)
    SimConn leg;    // the client leg
    std::string host, target;  // "www.example.com", "www.example.com:443" or "http://www.example.com/..."
    std::string method, user, peer;
    uint16_t status = 200;
    uint64_t upload = 0, download = 0;  // the request's body sizes (http.log)
  };
  struct ByEnd {
    bool operator()(const Request& a, const Request& b) const { return a.leg.end() > b.leg.end(); }
  };
  std::string user_of(const IpAddr& ip) const;
  void write_http(const Request& r);
  void write_squid(const Request& r);

  const Organisation& org_;
  FirewallWriter firewall_;
  Rng rng_;
  std::unordered_map<IpAddr, uint32_t, IpAddrHash> host_by_ip_;
  std::vector<Request> http_;  // by start, written once the time is past
  std::priority_queue<Request, std::vector<Request>, ByEnd> squid_;
  OutputFile http_file_, squid_file_;
  std::string http_buf_, squid_buf_;
  bool zeek_ = false;
  uint16_t port_ = 40000;  // the proxy's own ephemeral ports
  uint64_t squid_records_ = 0;
};

}  // namespace outflow::sim
