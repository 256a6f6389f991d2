// Community ID v1 (https://github.com/corelight/community-id-spec): the flow hash that Zeek,
// Suricata and Winlogbeat share, so analysts can pivot from our sessions to their tools.
#pragma once
#include <cstdint>
#include <string>

#include "outflow/core/ip.h"

namespace outflow {

// "1:<base64 of SHA-1>". For ICMP/ICMPv6 the ports are type and code, per the spec.
std::string community_id_v1(const IpAddr& src, uint16_t sport, const IpAddr& dst, uint16_t dport,
                            uint8_t proto, uint16_t seed = 0);

}  // namespace outflow
