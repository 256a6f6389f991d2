// Threat-intelligence and trusted-site indicators: what a feed says about a destination (an
// address, a network, a name, a URL), the feed's kind, and what every reader reports about a
// feed (format, indicators by type, lines it could not use). Read offline from files only.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "outflow/core/time.h"

namespace outflow {

// What a feed's listing says about a destination.
//   malicious       a command server, a drop site: threat_intel factor, reported under --min-score
//   suspicious      threat_intel factor, weaker
//   trusted_abused  a legitimate service attackers use (file sharing, paste, tunnels, dynamic
//                   DNS, shorteners): trusted_site_abuse, only with volume or a long session
//   popular         a widely used site: may lower the rarity part of a score (see threat_intel.h)
//   label           names a destination (cloud ranges), scores nothing
enum class IntelKind : uint8_t { malicious, suspicious, trusted_abused, popular, label };
const char* intel_kind_name(IntelKind k);
bool parse_intel_kind(std::string_view s, IntelKind& out);

enum class IndicatorType : uint8_t { ipv4, ipv6, cidr4, cidr6, domain, url, substring, kCount };
const char* indicator_type_name(IndicatorType t);

// What one indicator carries besides its value (kept once per indicator, 40 bytes).
struct IndicatorMeta {
  TimeNs valid_from = kNoTime, valid_until = kNoTime;  // kNoTime: open
  TimeNs created = kNoTime;                            // first seen / dateadded / valid_from: its age
  uint32_t label = UINT32_MAX;  // into IntelSet's label pool (STIX indicator_types, malware, MISP event): UINT32_MAX none
  uint16_t feed = 0;
  int8_t confidence = -1;  // 0-100, -1 unknown
  bool valid_at(TimeNs t) const {
    return t == kNoTime || ((valid_from == kNoTime || t >= valid_from) && (valid_until == kNoTime || t < valid_until));
  }
  // Valid at some moment of [first, last].
  bool valid_during(TimeNs first, TimeNs last) const {
    if (first == kNoTime || last == kNoTime) return valid_at(first == kNoTime ? last : first);
    return (valid_until == kNoTime || first < valid_until) && (valid_from == kNoTime || last >= valid_from);
  }
};

// What a reader made of one feed file.
struct FeedStats {
  static constexpr size_t kMaxSamples = 10;
  std::string format;  // plain, csv, stix2.1, misp-event, misp-warninglist
  std::array<uint64_t, static_cast<size_t>(IndicatorType::kCount)> by_type{};
  uint64_t bad = 0;          // lines or objects that did not parse
  uint64_t unevaluable = 0;  // STIX patterns it cannot evaluate, warning-list regexes
  uint64_t skipped = 0;      // understood but not for detection (MISP to_ids false, other attribute types)
  uint64_t expired = 0;      // valid_until before the feed's newest date
  TimeNs newest = kNoTime;   // the newest date in the feed
  std::vector<std::string> samples;  // "file:line: reason", the first kMaxSamples bad or unevaluable
  std::string error;         // the file could not be read at all ("" when it could)
  uint64_t indicators() const {
    uint64_t n = 0;
    for (auto x : by_type) n += x;
    return n;
  }
  void sample(const std::string& where, uint64_t line, std::string_view reason) {
    if (samples.size() < kMaxSamples) samples.push_back(where + ":" + std::to_string(line) + ": " + std::string(reason));
  }
  void see_date(TimeNs t) {
    if (t != kNoTime && (newest == kNoTime || t > newest)) newest = t;
  }
};

// One feed: where it comes from and how its matches count.
struct FeedSpec {
  std::string name;
  std::string path;   // a file (a folder is expanded into one feed per file by the loader)
  IntelKind kind = IntelKind::malicious;
  double weight = 0;  // points of a match (0: the kind's default, see threat_intel.h)
  TimeNs max_age = 0; // 0: no limit; older feeds are a warning
  bool enabled = true;
};

}  // namespace outflow

namespace outflow {

// One match as a finding carries it (JSON outflow.intel, eval): which feed, which indicator,
// what of the destination matched it.
struct IntelHit {
  std::string feed, kind, type, indicator, matched, destination, label;
  int confidence = -1;      // 0-100, -1 unknown
  double age_days = -1;     // the indicator's age at the session (-1 unknown)
  double points = 0;
};

}  // namespace outflow
