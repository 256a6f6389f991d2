// PAN-OS syslog CSV: where the CSV starts after the syslog header, and the field positions of
// the traffic log (Palo Alto's "Traffic Log Fields", identical from PAN-OS 7 to 11 for the
// fields read here; later versions only append fields).
#pragma once
#include <cstddef>
#include <string_view>

namespace outflow::panos {

// 0-based positions in the CSV (0 is the leading FUTURE_USE "1").
enum Field : size_t {
  f_serial = 2,
  f_type = 3,
  f_subtype = 4,
  f_generated = 6,
  f_src = 7,
  f_dst = 8,
  f_nat_src = 9,
  f_nat_dst = 10,
  f_rule = 11,
  f_src_user = 12,
  f_app = 14,
  f_session_id = 22,
  f_sport = 24,
  f_dport = 25,
  f_nat_sport = 26,
  f_nat_dport = 27,
  f_proto = 29,
  f_action = 30,
  f_bytes = 31,
  f_bytes_sent = 32,
  f_bytes_received = 33,
  f_start = 35,
  f_elapsed = 36,
  f_pkts_sent = 44,
  f_pkts_received = 45,
  f_end_reason = 46,
};
// Every traffic log has at least the fields up to the elapsed time.
inline constexpr size_t kMinFields = f_elapsed + 1;

// Field counts of documented layouts: 46 (PAN-OS 7.x, up to packets received), 65 (8.0, up to
// SCTP chunks received), 67 (8.1: rule UUID, HTTP/2), 75 (9.1: up to the dynamic user group),
// 115 (10.x/11.x with the device-id and application fields). Another count is read at the
// same positions, with a note naming the count.
inline bool known_field_count(size_t n) { return n == 46 || n == 65 || n == 67 || n == 75 || n == 115; }

// Where the CSV starts in a syslog line ("<14>Nov 30 16:09:08 PA-220 1,2018/11/30 16:09:07,
// 0128...,TRAFFIC,..."): the field before the first ",YYYY/MM/DD HH:MM:SS,", which must be
// digits and follow a space, '>' or the line's start. npos when the line is not PAN-OS CSV.
inline size_t csv_start(std::string_view line) {
  const auto digit = [&](size_t i) { return i < line.size() && line[i] >= '0' && line[i] <= '9'; };
  const size_t limit = line.size() < 512 ? line.size() : 512;  // the syslog header is short
  for (size_t c = line.find(','); c != std::string_view::npos && c < limit; c = line.find(',', c + 1)) {
    const size_t t = c + 1;  // "YYYY/MM/DD HH:MM:SS,"
    if (t + 20 > line.size()) return std::string_view::npos;
    bool ok = line[t + 4] == '/' && line[t + 7] == '/' && line[t + 10] == ' ' && line[t + 13] == ':' &&
              line[t + 16] == ':' && line[t + 19] == ',';
    for (size_t k : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18}) ok = ok && digit(t + k);
    if (!ok) continue;
    size_t s = c;
    while (s > 0 && digit(s - 1)) --s;
    if (s == c) return std::string_view::npos;  // field 0 is digits ("1")
    if (s > 0 && line[s - 1] != ' ' && line[s - 1] != '>') return std::string_view::npos;
    return s;
  }
  return std::string_view::npos;
}

}  // namespace outflow::panos
