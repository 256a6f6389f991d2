// What the hosts said about their network activity, indexed for the flow join:
//  - HostAddresses: which host owned an address when (learned from the local side of its own
//    connection events, so no inventory is needed);
//  - connections by canonical 5-tuple (Sysmon 3, Security 5156);
//  - connections by (host, remote address, remote port, protocol), for flows whose own event
//    Sysmon did not log (it logs a process's connection to a destination once, then caches);
//  - DNS answers (Sysmon 22 per host, Zeek dns.log per client address), and the names Zeek's
//    ssl.log (SNI) and http.log (Host) give a connection's responder, per client address;
//  - per connection and per address, what Zeek's ssl, http and dhcp logs said (AppNames).
// Every table is capped; what does not fit is dropped and counted. Not thread-safe.
#pragma once
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "outflow/core/compact_hash.h"
#include "outflow/core/small_vector.h"
#include "outflow/join/app_names.h"
#include "outflow/core/string_map.h"
#include "outflow/join/flow_key.h"
#include "outflow/lineage/process_table.h"

namespace outflow {

struct ConnectRef {
  HostId host = kNoHost;
  ProcId proc = kNoProc;
  TimeNs time = kNoTime;
  TimeNs arrival = kNoTime;  // the reader's clock when it was indexed (for eviction)
  uint16_t event_id = 0;
  TimeField field = TimeField::none;  // which of the event's time fields `time` is (its clock)
  IpAddr local_ip;  // the host's own side of the connection
  uint16_t local_port = 0;
};
// The connection events of one 5-tuple or one destination: one, nearly always, held in place.
using ConnectList = SmallVector<ConnectRef, 1>;

class EndpointIndex {
 public:
  struct Caps {
    size_t max_connects = 16'000'000;
    size_t max_dns = 4'000'000;
    AppNames::Caps apps;
  };
  EndpointIndex() = default;
  explicit EndpointIndex(Caps c) : caps_(c), apps_(c.apps) {}

  void add_connect(const HostEvent& e, HostId host, ProcId proc);
  void add_dns(HostId host, const IpAddr& client, TimeNs t, std::string_view name, const IpAddr& answer);

  const ConnectList* connects(const FlowKey& k) const {
    auto it = by_tuple_.find(k);
    return it == by_tuple_.end() ? nullptr : &it->second;
  }
  // Connections of `host` to remote:port/proto, in arrival order.
  const ConnectList* connects_to(HostId host, const IpAddr& remote, uint16_t port, uint8_t proto) const;

  // The host that owned `ip` around time t (kNoHost if none is known).
  HostId host_of(const IpAddr& ip, TimeNs t) const;
  // Addresses learned per host, for coverage.
  std::vector<std::pair<IpAddr, uint64_t>> addresses_of(HostId host) const;

  // Name for `ip` as resolved by `host` (or by `client` for Zeek DNS), latest at or before t,
  // else any host's. Empty if none.
  std::string name_of(const IpAddr& ip, HostId host, const IpAddr& client, TimeNs t) const;
  // Whether any DNS answer (or ssl/http name) seen gave `ip` for `name` (case-insensitive).
  bool resolved_to(const IpAddr& ip, std::string_view name) const;
  // The name of session `s`'s end `ip` (as seen from `host` / `client`, as name_of): for its
  // responder, what the connection's own ssl/http records said (SNI, then Host) first; else
  // name_of at the session's start.
  std::string destination_name(const Session& s, const IpAddr& ip, HostId host, const IpAddr& client) const;
  // The host name DHCP gave `ip` at time t (AppNames::name_for_address): names a host seen
  // only in flows.
  std::string name_for_address(const IpAddr& ip, TimeNs t) const { return apps_.name_for_address(ip, t); }
  const AppNames& apps() const { return apps_; }
  AppNames& apps() { return apps_; }

  // Forgetting by age, for reading inputs merged by time (see read/merged_reader.h). The reader's
  // clock (set_clock) stamps each connection event as it arrives; evict_before(h) drops those
  // that arrived before h. By arrival, not by the event's own time: arrivals are in order, so
  // one event with a wild timestamp cannot hold the rest back. Only events added after
  // enable_eviction() can be forgotten (the index then keeps them in arrival order too: 48
  // bytes each). forget_processes() drops the per-destination entries of processes the process
  // table forgot (each process's first connection to a destination stays until then: Sysmon
  // logs it once, and inferred matches of a days-long beacon need it).
  void enable_eviction() { evict_ = true; }
  void set_clock(TimeNs now) { now_ = now; }
  void evict_before(TimeNs horizon);
  void forget_processes(const std::vector<ProcId>& gone);
  uint64_t connects_evicted() const { return evicted_connects_; }
  // The arrival clock after that of the n-th oldest connection event held (with eviction on),
  // kNoTime if fewer are held: evict_before() of it forgets at least n.
  TimeNs arrival_of_oldest(size_t n) const {
    if (!evict_ || n == 0 || arrivals_.size() < n) return kNoTime;
    const TimeNs t = arrivals_[n - 1].first;
    return t == kNoTime ? kNoTime : t + 1;
  }

  // Addresses whose owner was learned (kept for the whole run: a host's flows may come days
  // after its last connection event), and forget_addresses(n): the n seen longest ago by the
  // reader's clock, for the memory bound (a collector's file with a million source addresses
  // held 18 MB of them per 200 MB of input).
  size_t addresses() const { return addrs_.size(); }
  void forget_addresses(size_t n);
  uint64_t addresses_forgotten() const { return forgotten_addrs_; }

  uint64_t connects_stored() const { return n_connects_; }
  uint64_t connects_dropped() const { return dropped_connects_; }
  uint64_t dns_dropped() const { return dropped_dns_; }

 private:
  struct AddrSpan {
    HostId host;
    TimeNs first, last;
    uint64_t count;
    TimeNs arrival;  // the reader's clock when it was last seen (for forgetting)
  };
  struct DestKey {
    HostId host;
    IpAddr remote;
    uint16_t port;
    uint8_t proto;
    bool operator==(const DestKey& o) const {
      return host == o.host && port == o.port && proto == o.proto && remote == o.remote;
    }
  };
  struct DestKeyHash {
    size_t operator()(const DestKey& k) const {
      return IpAddrHash()(k.remote) ^ (size_t{k.host} << 20) ^ (size_t{k.port} << 4) ^ k.proto;
    }
  };
  struct DnsEntry {
    TimeNs time;
    HostId host;
    IpAddr client;
    uint32_t name;  // index into names_
  };
  void learn_address(const IpAddr& ip, HostId host, TimeNs t);

  Caps caps_;
  AppNames apps_;
  // No node per key (core/compact_hash.h): std::unordered_map allocated and freed one at the rate
  // connection events come and go (a quarter of the join thread in malloc and free on a
  // collector's file, issue 15); and no heap block per value for the usual one entry
  // (core/small_vector.h).
  CompactHashMap<FlowKey, ConnectList, FlowKeyHash> by_tuple_;
  CompactHashMap<DestKey, ConnectList, DestKeyHash> by_dest_;
  CompactHashMap<IpAddr, SmallVector<AddrSpan, 1>, IpAddrHash> addrs_;
  std::unordered_map<IpAddr, std::vector<DnsEntry>, IpAddrHash> dns_;
  std::vector<std::string> names_;
  StringMap<uint32_t> name_ids_;
  uint64_t n_connects_ = 0, dropped_connects_ = 0, n_dns_ = 0, dropped_dns_ = 0;
  bool evict_ = false;
  TimeNs now_ = kNoTime;
  std::deque<std::pair<TimeNs, FlowKey>> arrivals_;  // (arrival clock, key), with evict_
  uint64_t evicted_connects_ = 0, forgotten_addrs_ = 0;
  void forget_addresses_before(TimeNs horizon);
  TimeNs last_dest_sweep_ = kNoTime;
};

}  // namespace outflow
