// The proxy -> Internet leg of a proxied session (docs/proxies.md, "The proxy's own connections
// out"). A flow record whose originator is a proxy and whose responder is public (the perimeter
// firewall's log of the proxy's connections, a sensor outside the proxy) relays a client's
// request: it is never a session of its own (counted twice otherwise). This store keeps the
// recent ones so that the client leg's session, once made (a Zeek client leg named by http.log,
// a Squid record), can be linked to its outer leg:
//  - the same destination port as the request named, and the same transport;
//  - the outer leg's start within [-kBefore, +kAfter] of the client leg's: the proxy opens its
//    connection a moment after the client's request (its DNS lookup and connect: a second or
//    two), and the two sensors' clocks differ (a firewall logs whole seconds: up to 1 s early);
//  - the name agreeing where known: the request named an address (the outer leg's must be it);
//    the outer leg's own name (SNI / Host of the outside sensor's records) equal to the named
//    host, else a contradiction; else the outer leg's address among the DNS answers seen for the
//    name (agreement, ranked first), or nothing known;
//  - bytes close in each direction both counted: a CONNECT tunnel relays the same TLS bytes,
//    the client leg adds the CONNECT exchange (a few hundred bytes), a proxy rewriting a plain
//    HTTP request adds or drops headers, a firewall counts IP bytes (headers: 40-60 bytes a
//    packet, removed before comparing). Within kSlackBytes + kSlackShare of the larger.
// The best candidate wins (name agreement, then the same proxy address, then the closest bytes,
// time a weak tiebreak); two candidates equally good (within kTie) is ambiguity: no link, counted.
// Each outer leg is linked at most once. Time is the records' (the caller's clock), never the
// wall clock; flows are forgotten `keep` after they arrived, and past max_flows the oldest go
// (counted as overflow). Not thread-safe.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <unordered_map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "outflow/core/ip.h"
#include "outflow/core/time.h"

namespace outflow {

// Host names compared as DNS does (ASCII case-insensitive).
bool same_host_name(std::string_view a, std::string_view b);

// A proxy's connection out, as the store keeps it.
struct RelayedFlow {
  IpAddr proxy, dest;
  uint16_t dest_port = 0;
  uint8_t proto = 0;
  TimeNs start = kNoTime, end = kNoTime;
  uint64_t out = 0, in = 0, out_pkts = 0, in_pkts = 0;
  bool out_known = true, in_known = true;
  bool ip_bytes = false;  // counts include IP and TCP headers (firewalls, NetFlow)
  std::string name;       // the outside sensor's name for the destination (SNI, Host), if any
};

// The client leg of a proxied session, as the matcher sees it.
struct ClientLeg {
  IpAddr proxy;           // the leg's responder (unset when unknown: Squid with several proxies)
  std::string_view name;  // the host the request named ("" when it named an address)
  IpAddr named_ip;        // the address the request named, else unset
  uint16_t port = 0;
  uint8_t proto = 0;
  TimeNs start = kNoTime;
  uint64_t out = 0, in = 0;
  bool out_known = false, in_known = false;
};

// Counters for `outflow coverage`. Every relayed flow record read (ProxyFinder::relayed_flows)
// is in exactly one of linked, no_candidate, ambiguous, overflow, interim or held (in the store).
struct RelayCounts {
  uint64_t linked = 0;        // linked to a client leg's session
  uint64_t no_candidate = 0;  // forgotten unlinked: no session matched it
  uint64_t ambiguous = 0;     // forgotten unlinked: it tied with another for a session
  uint64_t overflow = 0;      // forgotten unlinked before its time: the store was full
  uint64_t interim = 0;       // a snapshot of a connection still open (PAN-OS start, open_conn): not kept
  // Proxied sessions: linked, left without a link because of a tie, without any candidate.
  uint64_t sessions_linked = 0, sessions_ambiguous = 0, sessions_unlinked = 0;
  uint64_t bytes_filled = 0;  // linked sessions whose unknown bytes out the outer leg gave
  uint64_t sessions_held_early = 0;  // let go before their outer leg could come (SessionPipeline's cap)
};

class RelayLinks {
 public:
  static constexpr TimeNs kBefore = 2 * kNsPerSec;
  static constexpr TimeNs kAfter = 3 * kNsPerSec;
  static constexpr uint64_t kSlackBytes = 2048;
  // What the client leg may carry more than the outer leg at no cost (relay_link.cc, bytes_close).
  static constexpr uint64_t kExchangeOut = 1024, kExchangeIn = 256;
  static constexpr double kSlackShare = 0.05;
  static constexpr double kTie = 0.001;
  struct Options {
    size_t max_flows = 262'144;  // ~200 bytes each
  };
  // Whether `ip` was an answer to a DNS query for `name` (EndpointIndex::resolved_to).
  using Resolves = std::function<bool(const IpAddr& ip, std::string_view name)>;

  RelayLinks() = default;
  explicit RelayLinks(Options o) : opt_(o) {}

  // A relayed flow arrived at record time `clock` (the reader's: flows come by their end).
  void add(RelayedFlow f, TimeNs clock);
  // Forgets flows that arrived before `horizon` (counted unlinked).
  void expire(TimeNs horizon);
  // The outer leg of `leg`: the best unlinked candidate, now linked; nullptr if none or a tie.
  const RelayedFlow* link(const ClientLeg& leg, const Resolves& resolves);
  // Counts every flow still held as unlinked (end of input).
  void finish() { expire(std::numeric_limits<TimeNs>::max()); }

  size_t held() const { return flows_.size(); }
  RelayCounts& counts() { return counts_; }
  const RelayCounts& counts() const { return counts_; }

 private:
  struct Entry {
    RelayedFlow f;
    TimeNs arrival = kNoTime;
    bool linked = false, tied = false, indexed = false;
  };
  struct Candidate {
    Entry* e;
    uint64_t seq;
    int rank;  // 0: the name agrees; +2 when another proxy's address
    double cost;
  };
  // Unlinked flows by (port, transport, start in slices of 2^33 ns, 8.6 s): a link looks at the one
  // or two slices its 5 s window spans (an ordered index by start, and one by the second, each
  // cost more: lookups down a tree, six hash lookups a link).
  static constexpr int kSliceShift = 33;
  static uint64_t bucket_key(uint16_t port, uint8_t proto, TimeNs start) {
    return uint64_t{port} << 48 | uint64_t{proto} << 40 | ((static_cast<uint64_t>(start) >> kSliceShift) & 0xFF'FFFF'FFFFULL);
  }
  void unindex(Entry& e, uint64_t seq);
  void drop_front(uint64_t& counter_if_unlinked);
  Options opt_;
  std::deque<Entry> flows_;  // in arrival order; entry i has sequence number base_ + i
  uint64_t base_ = 0;
  std::unordered_map<uint64_t, std::vector<uint64_t>> buckets_;  // -> sequence numbers
  size_t indexed_ = 0;
  std::vector<Candidate> cands_;  // scratch
  RelayCounts counts_;
};

}  // namespace outflow
