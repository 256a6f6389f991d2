// The perimeter firewall's traffic log (`outflow simulate --proxy`): one line per session that
// crosses it (the proxy's own connections to the Internet, and what the clients send past the
// proxy), written when the session ends, as the firewall logs it, in the format the readers take:
//
//   panos      PAN-OS 10.x/11.x traffic log, syslog CSV, 115 fields (read/panos): subtype end,
//              IP bytes each way (bytes = sent + received), start time and elapsed seconds, the
//              User-ID user (the workstation's account; none for servers and the proxy), the
//              application, source NAT to the firewall's public address and a port of its own.
//   fortigate  FortiGate traffic log, key=value (read/fortigate): eventtime (ns) at the end,
//              duration, sentbyte/rcvdbyte, user, app, transip/transport (source NAT).
//
// Connections the destination did not answer are logged as the firewall sees them: PAN-OS
// application `incomplete`, end reason `aged-out`, no bytes received; refused ones end
// `tcp-rst-from-server`. Times are UTC with one-second resolution (PAN-OS) as on the device.
#pragma once
#include <queue>
#include <string>
#include <vector>

#include "outflow/simulate/flow_writers.h"

namespace outflow::sim {

enum class FirewallFormat : uint8_t { panos, fortigate };

class FirewallWriter {
 public:
  FirewallWriter(FirewallFormat f, uint64_t seed);
  // DIR/firewall/panos.log or fortigate.log; `dir` exists.
  bool open(const std::string& dir, std::string& error);
  // A session through the firewall; `user` as User-ID names it ("corp\\jsmith"), or empty.
  void add(const SimConn& c, std::string user);
  bool flush_before(TimeNs t);
  bool close(std::string& error);
  uint64_t records() const { return records_; }
  const std::string& file_name() const { return name_; }

 private:
  struct Entry {
    SimConn c;
    std::string user;
    uint64_t session = 0;
    uint16_t nat_port = 0;
  };
  struct ByEnd {
    bool operator()(const Entry& a, const Entry& b) const { return a.c.end() > b.c.end(); }
  };
  void write_panos(const Entry& e);
  void write_fortigate(const Entry& e);
  FirewallFormat format_;
  std::priority_queue<Entry, std::vector<Entry>, ByEnd> pending_;
  OutputFile file_;
  std::string buf_, name_;
  Rng rng_;
  uint64_t session_ = 0, records_ = 0;
  uint16_t nat_port_ = 1024;
};

// The firewall's public address (source NAT of every outbound session).
IpAddr firewall_public_ip();

}  // namespace outflow::sim
