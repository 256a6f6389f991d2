// RITA's DNS tunnelling view: per querying host and registered domain, how many distinct names
// under the domain were asked for (a DNS tunnel encodes its data in them: thousands of unique
// subdomains of one domain), how many queries, and the share of TXT and NULL queries (the record
// types tunnels carry data back in).
//
// Fed from Zeek dns.log (every query, answered or not). A query belongs to the monitored host
// that has its client address at that time (HostId), else, when the address is internal, to the
// flow-only host of that address, as sessions are keyed in features/activity.h; queries from
// other addresses are counted and not kept.
//
// Memory: at most Caps::max_entities querying hosts, kDomainsPerEntity registered domains each
// (past that the domain with the fewest unique names is replaced, counted), and per domain an
// exact set of up to kExactNames name hashes, then a HyperLogLog of kHllRegisters one-byte
// registers (about 1.04 / sqrt(256) = 6.5% standard error). Not thread-safe.
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "outflow/core/ip.h"
#include "outflow/core/time.h"
#include "outflow/features/networks.h"
#include "outflow/lineage/host_registry.h"

namespace outflow {

// Distinct 64-bit hashes: exact while few, then a HyperLogLog estimate.
class DistinctCounter {
 public:
  static constexpr size_t kExactNames = 64;
  static constexpr size_t kHllRegisters = 256;
  void add(uint64_t hash);
  uint64_t estimate() const;
  bool exact() const { return !hll_; }
  void merge(const DistinctCounter& o);
  // Bytes for retire/explain round trips.
  void serialize(std::string& out) const;
  bool deserialize(std::string_view& in);

 private:
  void to_hll();
  void add_hll(uint64_t hash);
  std::vector<uint64_t> exact_;  // sorted
  std::unique_ptr<std::array<uint8_t, kHllRegisters>> hll_;
};

struct DnsDomainStats {
  std::string domain;          // registered domain, lower case
  DistinctCounter names;       // distinct query names under it
  uint64_t queries = 0;
  uint64_t typed = 0;          // queries whose type the log gave
  uint64_t txt_null = 0;       // of those, TXT (16) or NULL (10)
  TimeNs first = kNoTime, last = kNoTime;
  std::vector<IpAddr> resolvers;  // servers asked (at most 4)
  // The estimate, never more than the queries (a sketch can overshoot by its error).
  uint64_t unique_names() const { return std::min(names.estimate(), queries); }
  DnsDomainStats() = default;
  DnsDomainStats(const DnsDomainStats& o) { *this = o; }
  DnsDomainStats& operator=(const DnsDomainStats& o);
  DnsDomainStats(DnsDomainStats&&) = default;
  DnsDomainStats& operator=(DnsDomainStats&&) = default;
};

class DnsView {
 public:
  static constexpr size_t kDomainsPerEntity = 16;
  static constexpr size_t kResolvers = 4;
  struct Caps {
    size_t max_entities = 200'000;
  };
  DnsView() = default;
  explicit DnsView(Caps c) : caps_(c) {}
  // Where flow-only hosts are (as ActivityAggregator::Options::internal). Empty: none.
  void set_internal(NetworkSet internal) { internal_ = std::move(internal); }

  // One query: `host` the monitored host of `client` at that time (kNoHost if none).
  void add(HostId host, const IpAddr& client, const IpAddr& server, TimeNs t, std::string_view query, uint16_t qtype);

  // The domains of a monitored host / of a flow-only host's address; nullptr if none.
  const std::vector<DnsDomainStats>* of_host(HostId host) const;
  const std::vector<DnsDomainStats>* of_address(const IpAddr& ip) const;
  // How many querying hosts asked for names under `domain` (prevalence of the domain in DNS).
  uint32_t hosts_querying(const std::string& domain) const;

  uint64_t queries() const { return queries_; }
  uint64_t queries_not_kept() const { return not_kept_; }       // no host to keep them for
  uint64_t entities_dropped() const { return entities_dropped_; }  // queries of hosts past max_entities
  uint64_t domains_replaced() const { return domains_replaced_; }

 private:
  std::vector<DnsDomainStats>* entity(HostId host, const IpAddr& client);
  Caps caps_;
  NetworkSet internal_;
  std::unordered_map<HostId, std::vector<DnsDomainStats>> by_host_;
  std::unordered_map<IpAddr, std::vector<DnsDomainStats>, IpAddrHash> by_ip_;
  std::unordered_map<std::string, uint32_t> domain_hosts_;  // capped with the entities
  uint64_t queries_ = 0, not_kept_ = 0, entities_dropped_ = 0, domains_replaced_ = 0;
};

// The registered (registrable) part of a DNS name: the last two labels, or three under a generic
// second level of a country code (co.uk, com.au...); lower case, without a trailing dot. The same
// rule as destination_key() (features/activity.h).
std::string registered_domain(std::string_view name);

// Record types tunnels use to carry data back.
inline bool dns_type_tunnel_carrier(uint16_t qtype) { return qtype == 16 || qtype == 10; }

}  // namespace outflow
