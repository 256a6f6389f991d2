// The destination a proxied request names: CONNECT's "host:port", or the host and port of an
// absolute URL ("http://user@Host:8080/path" -> host, 8080; the scheme's port when none).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "outflow/read/zeek/zeek_fields.h"

namespace outflow::squid {

inline uint16_t scheme_port(std::string_view scheme) {
  if (scheme == "http" || scheme == "ws") return 80;
  if (scheme == "https" || scheme == "wss") return 443;
  if (scheme == "ftp") return 21;
  return 0;
}

// Splits "host:port", "[v6]:port" or "host" (port 0 when absent). False on a bad port.
inline bool split_host_port(std::string_view hp, std::string_view& host, uint16_t& port) {
  port = 0;
  if (!hp.empty() && hp.front() == '[') {
    const size_t close = hp.find(']');
    if (close == std::string_view::npos) return false;
    host = hp.substr(1, close - 1);
    const std::string_view rest = hp.substr(close + 1);
    if (rest.empty()) return true;
    return rest.front() == ':' && flowread::parse_port(rest.substr(1), port);
  }
  const size_t colon = hp.rfind(':');
  if (colon == std::string_view::npos || hp.find(':') != colon) {  // no port, or a bare IPv6
    host = hp;
    return true;
  }
  host = hp.substr(0, colon);
  return flowread::parse_port(hp.substr(colon + 1), port);
}

// Fills `host` (lower-case) and `port`. A relative URL ("/path", from an intercepting proxy)
// names no host: false, host empty.
inline bool proxy_target(std::string_view method, std::string_view url, std::string& host, uint16_t& port) {
  host.clear();
  port = 0;
  std::string_view hp;
  uint16_t default_port = 0;
  if (method == "CONNECT") {
    hp = url.substr(0, url.find('/'));  // "8.8.8.8:443/" is seen
  } else {
    const size_t sep = url.find("://");
    if (sep == std::string_view::npos || sep == 0 || sep > 16) return false;
    std::string scheme(url.substr(0, sep));
    for (char& c : scheme)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    default_port = scheme_port(scheme);
    const std::string_view rest = url.substr(sep + 3);
    hp = rest.substr(0, rest.find_first_of("/?#"));
    const size_t at = hp.rfind('@');
    if (at != std::string_view::npos) hp = hp.substr(at + 1);
  }
  std::string_view h;
  if (!split_host_port(hp, h, port) || h.empty() || h.size() > 255) return false;
  if (port == 0) port = default_port;
  host.assign(h);
  for (char& c : host)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return true;
}

}  // namespace outflow::squid
