// A connection's 5-tuple in canonical order (lower endpoint first), so both directions of one
// conversation - and a host's event that names it either way round - share one key.
#pragma once
#include <cstdint>
#include <cstring>

#include "outflow/core/ip.h"

namespace outflow {

struct FlowKey {
  IpAddr lo_ip, hi_ip;
  uint16_t lo_port = 0, hi_port = 0;
  uint8_t proto = 0;

  static FlowKey make(const IpAddr& a, uint16_t ap, const IpAddr& b, uint16_t bp, uint8_t proto) {
    FlowKey k;
    k.proto = proto;
    const int c = std::memcmp(a.b.data(), b.b.data(), 16);
    if (c < 0 || (c == 0 && ap <= bp)) {
      k.lo_ip = a, k.lo_port = ap, k.hi_ip = b, k.hi_port = bp;
    } else {
      k.lo_ip = b, k.lo_port = bp, k.hi_ip = a, k.hi_port = ap;
    }
    return k;
  }
  bool operator==(const FlowKey& o) const {
    return lo_port == o.lo_port && hi_port == o.hi_port && proto == o.proto && lo_ip == o.lo_ip && hi_ip == o.hi_ip;
  }
};

struct FlowKeyHash {
  size_t operator()(const FlowKey& k) const {
    IpAddrHash h;
    size_t x = h(k.lo_ip) * 31 + h(k.hi_ip);
    x ^= (size_t{k.lo_port} << 24) ^ (size_t{k.hi_port} << 8) ^ k.proto;
    return x * 0x9E3779B97F4A7C15ULL;
  }
};

}  // namespace outflow
