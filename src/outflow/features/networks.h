// Address ranges (CIDR) from config: internal networks, country overrides.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "outflow/core/ip.h"

namespace outflow {

struct Cidr {
  IpAddr base;   // masked
  uint8_t bits = 0;  // prefix length over the 128-bit form (IPv4 /24 is stored as /120)
  bool contains(const IpAddr& a) const;
  // "10.0.0.0/8", "fd00::/8", or a single address. False on anything else.
  static bool parse(std::string_view s, Cidr& out);
  std::string to_string() const;
};

class NetworkSet {
 public:
  // Returns false and names the bad entry in `err`.
  bool add(std::string_view cidr, std::string& err);
  bool contains(const IpAddr& a) const;
  bool empty() const { return nets_.empty(); }
  const std::vector<Cidr>& nets() const { return nets_; }

 private:
  std::vector<Cidr> nets_;
};

}  // namespace outflow
