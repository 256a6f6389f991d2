// Names from Zeek's application and DHCP logs, for flows that no host event names:
//  - per connection (by Zeek uid, and by 5-tuple for sessions without one), what its ssl.log
//    and http.log records said: the SNI, the Host header, JA3/JA3S, and the HTTP requests'
//    count, methods and body bytes (evidence of uploads). A session's destination is named
//    from these first (SNI, then Host), before any DNS answer for its address;
//  - per address, the host names DHCP handed out or clients announced (dhcp.log), with time,
//    so a host seen only in flows can be named.
// Every table is capped; what does not fit is dropped and counted. Not thread-safe.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "outflow/core/string_map.h"
#include "outflow/join/flow_key.h"
#include "outflow/model/events.h"
#include "outflow/model/session.h"

namespace outflow {

class AppNames {
 public:
  struct Caps {
    size_t max_conns = 2'000'000;   // connections with an ssl or http record, until their session is emitted
    size_t max_leases = 1'000'000;  // (address, host name) pairs from dhcp.log
    size_t max_names = 4'000'000;   // distinct names and fingerprints kept
  };
  static constexpr uint32_t kNone = UINT32_MAX;
  static constexpr size_t kLeasesPerAddress = 16;
  // How far outside a session's span an ssl/http record found by 5-tuple (no uid) may be.
  static constexpr TimeNs kTupleSlack = 120 * kNsPerSec;

  struct ConnApp {
    FlowKey key;
    TimeNs first = kNoTime, last = kNoTime;  // record times
    uint32_t sni = kNone, host = kNone, ja3 = kNone, ja3s = kNone;  // name ids (name())
    uint32_t http_requests = 0, http_uploads = 0;  // requests; POST and PUT among them
    bool proxied = false;                          // an HTTP request to a proxy was seen on it
    // The host and port the first request to a proxy named (CONNECT host:port, an absolute
    // URI's host): the session's destination for the detector (features/proxy_dest.h). Later
    // requests naming another host are counted, not split: the connection stays the first's.
    uint32_t proxy_host = kNone;
    uint16_t proxy_port = 0;
    uint32_t proxy_other_hosts = 0;
    uint64_t http_request_body = 0, http_response_body = 0;
    // Upload evidence (features/app_evidence.h): the first user agent, the first POST/PUT's URI
    // (path without its query), the POST/PUT bodies, requests without a Host header.
    uint32_t user_agent = kNone, upload_uri = kNone;
    uint64_t upload_body = 0;
    uint32_t blank_host = 0;
    // files.log: files the originator sent on this connection, their bytes, the first one's
    // name and MIME type.
    uint32_t files_sent = 0, file_name = kNone, file_mime = kNone;
    uint64_t file_bytes = 0;
    // IDS alerts on this connection (Suricata EVE; join/ids_alerts.h): how many, the most
    // severe one's signature and category, and how many were policy or command-and-control
    // signatures (the ids_alert factor's).
    uint32_t alerts = 0, alerts_relevant = 0;
    uint32_t alert_signature = kNone, alert_category = kNone;
    uint8_t alert_severity = 0;
  };

  AppNames() = default;
  explicit AppNames(Caps c) : caps_(c) {}

  // Returns whether the record's name also names its responder address (for other sessions to
  // it): not an HTTP request to a proxy (CONNECT, absolute URI), nor the SNI of a TLS session
  // tunnelled through one (after a CONNECT on the same connection).
  bool add(const AppRecord& r);
  // A request a proxy logged (Squid) for connection `uid`: it named `host`:`port`.
  void add_proxied(const std::string& uid, const FlowKey& key, TimeNs ts, std::string_view host, uint16_t port);
  // A files.log record: a file the originator sent counts on its connection.
  void add_file(const FileRecord& f);
  void add_lease(const DhcpLease& d);
  // An IDS alert on a connection (join/ids_alerts.cc), by its flow id, else its 5-tuple.
  void add_alert(const AlertRecord& a);

  // What the ssl/http records of session `s` said: by its uid, else by its 5-tuple within its
  // span (± kTupleSlack). nullptr if nothing.
  const ConnApp* conn(const Session& s) const;
  // The name of `s`'s responder from its own records: SNI, else Host. Empty if none.
  std::string conn_name(const Session& s) const;
  // Drops what was kept for `s` (its session has been emitted).
  void forget(const Session& s);
  // Drops connections whose last record is older than `horizon` (their session never came).
  void evict_before(TimeNs horizon);

  // The host name DHCP gave `ip` at time t: the latest lease seen at or before t (5 s slack),
  // else the earliest one after; any time when t is kNoTime. Empty if none.
  std::string name_for_address(const IpAddr& ip, TimeNs t) const;

  const std::string& name(uint32_t id) const { return names_[id]; }
  size_t conns() const { return by_uid_.size(); }
  uint64_t conns_dropped() const { return conns_dropped_; }
  uint64_t leases_dropped() const { return leases_dropped_; }
  uint64_t names_dropped() const { return names_dropped_; }

 private:
  struct Lease {
    TimeNs first, last;
    uint32_t name;
  };
  using ConnMap = std::unordered_map<uint64_t, ConnApp>;
  ConnMap::const_iterator find(const Session& s) const;
  uint32_t intern(std::string_view s);
  static uint64_t uid_key(std::string_view uid);
  static uint64_t tuple_key(const FlowKey& k, TimeNs t);

  Caps caps_;
  ConnMap by_uid_;  // by uid hash (or a 5-tuple's, without uid)
  std::unordered_map<FlowKey, uint64_t, FlowKeyHash> by_tuple_;  // the latest connection per 5-tuple
  std::unordered_map<IpAddr, std::vector<Lease>, IpAddrHash> leases_;
  size_t n_leases_ = 0;
  std::vector<std::string> names_;
  StringMap<uint32_t> name_ids_;
  ConnMap::iterator conn_entry(const std::string& uid, const FlowKey& key, TimeNs ts);
  uint64_t conns_dropped_ = 0, leases_dropped_ = 0, names_dropped_ = 0;
};

}  // namespace outflow
