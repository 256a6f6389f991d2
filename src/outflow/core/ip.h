// An IPv4 or IPv6 address as 16 bytes (IPv4 stored as IPv4-mapped IPv6, so "::ffff:1.2.3.4"
// and "1.2.3.4" are the same address). Trivially copyable; hashable.
#pragma once
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace outflow {

struct IpAddr {
  std::array<uint8_t, 16> b{};

  // The two halves as loaded from memory (host byte order): the comparisons below use them
  // instead of memcmp, which GCC 12 calls out of line for std::array (a library call on every
  // address comparison was a twentieth of the join thread's time).
  uint64_t hi() const {
    uint64_t x;
    std::memcpy(&x, b.data(), 8);
    return x;
  }
  uint64_t lo() const {
    uint64_t x;
    std::memcpy(&x, b.data() + 8, 8);
    return x;
  }
  bool is_v4() const {
    static constexpr uint8_t kMapped[4] = {0, 0, 0xff, 0xff};
    uint32_t mid, want;
    std::memcpy(&mid, b.data() + 8, 4);
    std::memcpy(&want, kMapped, 4);
    return hi() == 0 && mid == want;
  }
  bool is_unset() const { return (hi() | lo()) == 0; }
  // Loopback, link-local, multicast, unspecified or broadcast: never a host's "own" address.
  bool is_special() const;
  // RFC 1918, RFC 6598 CGNAT, IPv6 ULA: private, not external.
  bool is_private() const;

  static IpAddr v4(uint32_t host_order);
  // Accepts dotted IPv4, IPv6 (with "::", optional zone "%eth0", optional brackets) and
  // IPv4-mapped IPv6. Returns false on anything else.
  static bool parse(std::string_view s, IpAddr& out);
  // The address a reverse-lookup name stands for: "4.3.2.10.in-addr.arpa" is 10.2.3.4, and the
  // 32 nibbles of an "ip6.arpa" name an IPv6 address (any case, trailing dot allowed). False for
  // any other name, or a partial one (a zone such as "2.10.in-addr.arpa").
  static bool from_reverse_name(std::string_view name, IpAddr& out);
  std::string to_string() const;

  friend bool operator==(const IpAddr& a, const IpAddr& c) { return ((a.hi() ^ c.hi()) | (a.lo() ^ c.lo())) == 0; }
  // Byte order (lexicographic over b), as before: the halves compared as big-endian numbers.
  friend bool operator<(const IpAddr& a, const IpAddr& c) {
    const uint64_t ah = be(a.hi()), ch = be(c.hi());
    return ah != ch ? ah < ch : be(a.lo()) < be(c.lo());
  }

 private:
  static uint64_t be(uint64_t x) {
    if constexpr (std::endian::native == std::endian::little) return __builtin_bswap64(x);
    return x;
  }
};

struct IpAddrHash {
  size_t operator()(const IpAddr& a) const {
    uint64_t x, y;
    std::memcpy(&x, a.b.data(), 8);
    std::memcpy(&y, a.b.data() + 8, 8);
    return static_cast<size_t>((x * 0x9E3779B97F4A7C15ULL) ^ (y + 0x632BE59BD9B4E019ULL + (x << 6)));
  }
};

}  // namespace outflow
