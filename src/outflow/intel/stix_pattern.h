// The part of the STIX 2.1 patterning language a destination can be matched on: comparison
// expressions on ipv4-addr:value, ipv6-addr:value, domain-name:value and url:value (with '=',
// and ISSUBSET for networks), in observation expressions joined by OR, with any brackets and
// parentheses. "[ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = '203.0.113.33/32']",
// "[domain-name:value = 'evil.com'] OR [url:value = 'http://x.test/a']".
//
// Anything else (AND, FOLLOWEDBY, qualifiers such as WITHIN or REPEATS, other objects such as
// file:hashes, other operators such as MATCHES or LIKE) cannot be evaluated on a destination
// alone: the pattern is refused whole with the reason, never evaluated in part (a pattern
// "A AND B" matched on A alone would report what the indicator does not say).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "outflow/intel/indicator.h"

namespace outflow {

struct StixTerm {
  IndicatorType type;  // ipv4, ipv6, domain, url
  std::string value;
};

inline constexpr size_t kMaxStixTerms = 100'000;
inline constexpr size_t kMaxStixNesting = 64;

// False with `reason` when the pattern cannot be evaluated (then `out` is cleared).
bool parse_stix_pattern(std::string_view pattern, std::vector<StixTerm>& out, std::string& reason);

}  // namespace outflow
