#include "outflow/features/networks.h"

#include <charconv>
#include <cstring>

namespace outflow {

namespace {
void apply_mask(IpAddr& a, unsigned bits) {
  for (unsigned i = 0; i < 16; ++i) {
    const unsigned lo = i * 8;
    if (bits >= lo + 8) continue;
    const unsigned keep = bits > lo ? bits - lo : 0;
    a.b[i] &= static_cast<uint8_t>(keep ? 0xff << (8 - keep) : 0);
  }
}
}  // namespace

bool Cidr::contains(const IpAddr& a) const {
  // Two 64-bit halves, most significant byte first: a session asks this of each internal
  // network several times (a twentieth of a flow-only hunt byte by byte).
  auto half = [](const IpAddr& x, int i) {
    uint64_t v;
    std::memcpy(&v, x.b.data() + 8 * i, 8);
    return __builtin_bswap64(v);
  };
  const uint64_t mask_hi = bits >= 64 ? ~uint64_t{0} : bits == 0 ? 0 : ~uint64_t{0} << (64 - bits);
  const uint64_t mask_lo = bits <= 64 ? 0 : bits >= 128 ? ~uint64_t{0} : ~uint64_t{0} << (128 - bits);
  return ((half(a, 0) ^ half(base, 0)) & mask_hi) == 0 && ((half(a, 1) ^ half(base, 1)) & mask_lo) == 0;
}

bool Cidr::parse(std::string_view s, Cidr& out) {
  const size_t slash = s.find('/');
  IpAddr a;
  if (!IpAddr::parse(s.substr(0, slash), a)) return false;
  const unsigned max = a.is_v4() ? 32 : 128;
  unsigned len = max;
  if (slash != std::string_view::npos) {
    const std::string_view l = s.substr(slash + 1);
    auto [p, ec] = std::from_chars(l.data(), l.data() + l.size(), len);
    if (ec != std::errc() || p != l.data() + l.size() || len > max) return false;
  }
  out.bits = static_cast<uint8_t>(a.is_v4() ? len + 96 : len);
  apply_mask(a, out.bits);
  out.base = a;
  return true;
}

std::string Cidr::to_string() const {
  const unsigned len = base.is_v4() && bits >= 96 ? bits - 96u : bits;
  return base.to_string() + "/" + std::to_string(len);
}

bool NetworkSet::add(std::string_view cidr, std::string& err) {
  Cidr c;
  if (!Cidr::parse(cidr, c)) {
    err = "not an address or CIDR range: '" + std::string(cidr) + "'";
    return false;
  }
  nets_.push_back(c);
  return true;
}

bool NetworkSet::contains(const IpAddr& a) const {
  for (const auto& n : nets_)
    if (n.contains(a)) return true;
  return false;
}

}  // namespace outflow
