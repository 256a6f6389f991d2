// Every loaded indicator, and the lookups the detector makes once per destination address and
// destination name (never per event).
//
//   addresses and networks  one sorted array per prefix length (IPv4 as IPv4-mapped IPv6):
//                           longest prefix first, a binary search per length present
//   names                   one sorted array of lower-case names over one string pool; a name
//                           is looked up, then each parent of it: an entry with a leading "." or
//                           "*." matches every subdomain; a plain entry matches subdomains inside
//                           the same registered domain (Public Suffix List): "evil.com" matches
//                           "x.evil.com", "github.io" does not match "x.attacker.github.io"
//   URLs                    kept under their host (exact), with their path
//   substrings              (MISP warning lists) a short list scanned per name, capped
//
// Memory: ~24 bytes per network, ~16 bytes per name plus its text, 40 bytes per distinct
// indicator metadata (consecutive indicators with the same metadata share one). At most
// kMaxIndicators in all; the rest are counted (dropped()).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "outflow/core/ip.h"
#include "outflow/intel/indicator.h"

namespace outflow {

struct IntelMatch {
  const IndicatorMeta* meta = nullptr;
  IndicatorType type = IndicatorType::ipv4;
  std::string indicator;  // as listed: "10.0.0.0/8", ".evil.com", "http://evil.com/x"
  std::string matched;    // the destination's address or name that matched
  bool path_matched = false;  // URL indicators: the path was seen too (else host only)
};

class IntelSet {
 public:
  static constexpr size_t kMaxIndicators = 10'000'000;
  static constexpr size_t kMaxSubstrings = 10'000;
  static constexpr size_t kMaxMatches = 32;  // per lookup

  uint16_t add_feed(const FeedSpec& spec);
  const std::vector<FeedSpec>& feeds() const { return feeds_; }
  FeedStats& stats(uint16_t feed) { return stats_[feed]; }
  const std::vector<FeedStats>& stats() const { return stats_; }

  // Interns a label (indicator types, malware family, event title).
  uint32_t label(std::string_view text);
  std::string_view label_text(uint32_t id) const;

  // One indicator in plain-list syntax: an IPv4/IPv6 address, a CIDR, a domain (a leading "."
  // or "*." = every subdomain) or a URL. Counts it by type in the feed's stats; returns false
  // with `reason` when it is not one.
  bool add_text(std::string_view text, const IndicatorMeta& m, std::string& reason);
  // A typed value (STIX, MISP): `type` ipv4/ipv6 (address or CIDR), domain, url.
  bool add_typed(IndicatorType type, std::string_view text, const IndicatorMeta& m, std::string& reason);
  bool add_substring(std::string_view text, const IndicatorMeta& m, std::string& reason);
  // Sorts the tables; call once after loading, before matching.
  void finish();

  // Lookups: every indicator valid at some moment of [first, last] (kNoTime: any time).
  void match_ip(const IpAddr& ip, TimeNs first, TimeNs last, std::vector<IntelMatch>& out) const;
  // `paths`: HTTP paths the destination was sent (URL indicators match their path among them).
  void match_name(std::string_view name, TimeNs first, TimeNs last, std::vector<IntelMatch>& out,
                  const std::vector<std::string_view>& paths = {}) const;

  // Counts, per feed, the indicators whose validity ended before `ref` (FeedStats::expired;
  // kNoTime: before the feed's own newest date).
  void count_expired(TimeNs ref);

  bool empty() const { return nets_.empty() && names_.empty() && subs_.empty(); }
  size_t size() const { return nets_.size() + names_.size() + subs_.size(); }
  uint64_t dropped() const { return dropped_; }
  size_t memory_bytes() const;

 private:
  struct Net {
    IpAddr net;
    uint8_t len = 0;  // 0..128 over the IPv6 space (IPv4 /n is 96 + n)
    uint32_t meta = 0;
  };
  struct Name {
    uint32_t off = 0, path = UINT32_MAX;  // into pool_; path: URL path text, UINT32_MAX none
    uint16_t len = 0, path_len = 0;
    uint8_t flags = 0;  // kSubdomains, kUrl
    uint32_t meta = 0;
  };
  static constexpr uint8_t kSubdomains = 1, kUrl = 2;
  struct Sub {
    std::string text;
    uint32_t meta = 0;
  };
  std::string_view name_text(const Name& n) const { return std::string_view(pool_).substr(n.off, n.len); }
  uint32_t meta_index(const IndicatorMeta& m);
  bool room();
  bool add_ip_text(std::string_view text, const IndicatorMeta& m, std::string& reason);
  bool add_name(std::string_view name, bool subdomains, std::string_view url, std::string_view path, const IndicatorMeta& m,
                std::string& reason);
  std::string indicator_text(const Name& n) const;

  std::vector<FeedSpec> feeds_;
  std::vector<FeedStats> stats_;
  std::vector<IndicatorMeta> metas_;
  std::vector<std::string> labels_;
  std::vector<Net> nets_;
  std::vector<std::pair<uint8_t, std::pair<size_t, size_t>>> lens_;  // length -> [begin, end) in nets_, longest first
  std::vector<Name> names_;
  std::string pool_;
  std::vector<Sub> subs_;
  uint64_t dropped_ = 0;
  bool finished_ = false;
};

// Normalises a name for matching: lower case, no trailing dot. False when it is not a DNS name
// (empty, a label over 63 or a name over 253 bytes, characters other than letters, digits, '-',
// '_', a single label).
bool normalise_domain(std::string_view in, std::string& out, std::string& reason);

}  // namespace outflow
