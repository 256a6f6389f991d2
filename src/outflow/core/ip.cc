#include "outflow/core/ip.h"

#include <arpa/inet.h>


namespace outflow {

IpAddr IpAddr::v4(uint32_t h) {
  IpAddr a;
  a.b[10] = a.b[11] = 0xff;
  a.b[12] = static_cast<uint8_t>(h >> 24);
  a.b[13] = static_cast<uint8_t>(h >> 16);
  a.b[14] = static_cast<uint8_t>(h >> 8);
  a.b[15] = static_cast<uint8_t>(h);
  return a;
}

bool IpAddr::parse(std::string_view s, IpAddr& out) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '[')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == ']')) s.remove_suffix(1);
  if (s.empty() || s.size() > 63) return false;
  if (auto pct = s.find('%'); pct != std::string_view::npos) s = s.substr(0, pct);
  char buf[64];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = 0;
  if (s.find(':') == std::string_view::npos) {
    in_addr a4;
    if (inet_pton(AF_INET, buf, &a4) != 1) return false;
    out = v4(ntohl(a4.s_addr));
    return true;
  }
  in6_addr a6;
  if (inet_pton(AF_INET6, buf, &a6) != 1) return false;
  std::memcpy(out.b.data(), &a6, 16);
  return true;
}

std::string IpAddr::to_string() const {
  char buf[INET6_ADDRSTRLEN];
  if (is_v4()) {
    // By hand: called twice per session written, where snprintf showed on the profile.
    std::string s;
    s.reserve(15);
    for (int i = 12; i < 16; ++i) {
      const unsigned v = b[static_cast<size_t>(i)];
      if (v >= 100) s.push_back(static_cast<char>('0' + v / 100));
      if (v >= 10) s.push_back(static_cast<char>('0' + v / 10 % 10));
      s.push_back(static_cast<char>('0' + v % 10));
      if (i < 15) s.push_back('.');
    }
    return s;
  }
  inet_ntop(AF_INET6, b.data(), buf, sizeof buf);
  return buf;
}

namespace {
bool ends_with_nocase(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i) {
    char c = s[s.size() - suffix.size() + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}
}  // namespace

bool IpAddr::from_reverse_name(std::string_view n, IpAddr& out) {
  if (!n.empty() && n.back() == '.') n.remove_suffix(1);
  if (ends_with_nocase(n, ".in-addr.arpa")) {
    n.remove_suffix(13);
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      const size_t dot = n.rfind('.');
      const std::string_view label = dot == std::string_view::npos ? n : n.substr(dot + 1);
      if (label.empty() || label.size() > 3) return false;
      uint32_t octet = 0;
      for (char c : label) {
        if (c < '0' || c > '9') return false;
        octet = octet * 10 + static_cast<uint32_t>(c - '0');
      }
      if (octet > 255) return false;
      // Labels run from the last octet to the first: the rightmost label is the first octet.
      v |= octet << (8 * (3 - k));
      if (dot == std::string_view::npos) {
        if (k != 3) return false;
        n = {};
      } else {
        if (k == 3) return false;  // more than four labels
        n = n.substr(0, dot);
      }
    }
    out = v4(v);
    return true;
  }
  if (ends_with_nocase(n, ".ip6.arpa")) {
    n.remove_suffix(9);
    if (n.size() != 63) return false;  // 32 nibbles and 31 dots
    IpAddr a;
    for (size_t i = 0; i < 32; ++i) {
      const char c = n[62 - 2 * i];
      if (i < 31 && n[62 - 2 * i - 1] != '.') return false;
      uint8_t nib;
      if (c >= '0' && c <= '9') nib = static_cast<uint8_t>(c - '0');
      else if (c >= 'a' && c <= 'f') nib = static_cast<uint8_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') nib = static_cast<uint8_t>(c - 'A' + 10);
      else return false;
      a.b[i / 2] = static_cast<uint8_t>(a.b[i / 2] | (i % 2 == 0 ? nib << 4 : nib));
    }
    out = a;
    return true;
  }
  return false;
}

bool IpAddr::is_special() const {
  if (is_v4()) {
    const uint8_t a = b[12], c = b[13];
    if (a == 127 || a == 0) return true;             // loopback, "this network"
    if (a == 169 && c == 254) return true;           // link-local
    if (a >= 224) return true;                       // multicast, reserved, broadcast
    return false;
  }
  if (is_unset()) return true;
  static constexpr uint8_t kLoop[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  if (std::memcmp(b.data(), kLoop, 16) == 0) return true;
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return true;  // fe80::/10
  if (b[0] == 0xff) return true;                           // multicast
  return false;
}

bool IpAddr::is_private() const {
  if (is_v4()) {
    const uint8_t a = b[12], c = b[13];
    if (a == 10) return true;
    if (a == 172 && (c & 0xf0) == 16) return true;
    if (a == 192 && c == 168) return true;
    if (a == 100 && (c & 0xc0) == 64) return true;  // 100.64.0.0/10
    return false;
  }
  return (b[0] & 0xfe) == 0xfc;  // fc00::/7
}

}  // namespace outflow
