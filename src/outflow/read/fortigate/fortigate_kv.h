// FortiGate's key=value log lines: `key=value` or `key="value with spaces"`, separated by
// spaces, after an optional syslog prefix. The keys the traffic reader uses are looked up once
// per pair into a fixed table; the first occurrence of a key wins.
#pragma once
#include <array>
#include <cstdint>
#include <string_view>

namespace outflow::fortigate {

enum class Key : uint8_t {
  type, subtype, action, srcip, dstip, srcport, dstport, proto, sentbyte, rcvdbyte, sentpkt, rcvdpkt,
  duration, user, unauthuser, app, transip, transport, tranip, tranport, sessionid, devid, device_id,
  devname, vd, eventtime, timestamp, date, time, tz, logid, log_id,
  count_
};
inline constexpr size_t kKeyCount = static_cast<size_t>(Key::count_);

inline constexpr std::string_view kKeyNames[kKeyCount] = {
    "type", "subtype", "action", "srcip", "dstip", "srcport", "dstport", "proto", "sentbyte", "rcvdbyte", "sentpkt",
    "rcvdpkt", "duration", "user", "unauthuser", "app", "transip", "transport", "tranip", "tranport", "sessionid",
    "devid", "device_id", "devname", "vd", "eventtime", "timestamp", "date", "time", "tz", "logid", "log_id"};

struct Pairs {
  std::array<std::string_view, kKeyCount> v{};
  std::array<bool, kKeyCount> set{};
  std::string_view operator[](Key k) const { return v[static_cast<size_t>(k)]; }
  bool has(Key k) const { return set[static_cast<size_t>(k)]; }
};

// Parses `line` into `out`. Returns false when a quoted value is not closed (a truncated line);
// the pairs before it are kept. Words without '=' (a syslog header) are skipped.
inline bool parse_pairs(std::string_view line, Pairs& out) {
  out.set.fill(false);
  out.v.fill({});
  size_t i = 0;
  const size_t n = line.size();
  while (i < n) {
    while (i < n && line[i] == ' ') ++i;
    const size_t k0 = i;
    while (i < n && line[i] != '=' && line[i] != ' ') ++i;
    if (i >= n || line[i] == ' ') continue;  // a word without '='
    const std::string_view key = line.substr(k0, i - k0);
    ++i;  // '='
    std::string_view val;
    if (i < n && line[i] == '"') {
      const size_t v0 = ++i;
      while (i < n && line[i] != '"') i += (line[i] == '\\' && i + 1 < n) ? 2 : 1;
      if (i >= n) return false;
      val = line.substr(v0, i - v0);
      ++i;
    } else {
      const size_t v0 = i;
      const size_t sp = line.find(' ', i);
      i = sp == std::string_view::npos ? n : sp;
      val = line.substr(v0, i - v0);
    }
    if (key.empty()) continue;
    for (size_t k = 0; k < kKeyCount; ++k) {
      if (kKeyNames[k][0] == key[0] && key == kKeyNames[k]) {
        if (!out.set[k]) out.v[k] = val, out.set[k] = true;
        break;
      }
    }
  }
  return true;
}

}  // namespace outflow::fortigate
