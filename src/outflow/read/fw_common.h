// Helpers shared by the firewall and proxy readers (PAN-OS, FortiGate, Windows Firewall,
// Squid): syslog prefixes, the vendors' time spellings, CSV with quotes, plausibility limits.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "outflow/core/time.h"
#include "outflow/read/zeek/zeek_fields.h"

namespace outflow::fwread {

// A firewall or proxy line longer than this is not a record (a PAN-OS traffic line is under
// 4 KiB, a Squid line with a long URL a few tens of KiB): counted as too long, skipped.
inline constexpr size_t kMaxLine = 1u << 20;

// One record claiming more than this many bytes one way (1 PiB) is garbage, not a transfer.
inline constexpr uint64_t kMaxRecordBytes = uint64_t{1} << 50;

// Skips a syslog "<PRI>" prefix ("<189>").
inline std::string_view skip_pri(std::string_view s) {
  if (s.size() < 3 || s.front() != '<') return s;
  size_t i = 1;
  while (i < s.size() && i < 5 && s[i] >= '0' && s[i] <= '9') ++i;
  if (i > 1 && i < s.size() && s[i] == '>') return s.substr(i + 1);
  return s;
}

// "2018/11/30 15:59:04" or "2018-11-30 15:59:04" (no zone: taken as UTC, as the firewall wrote
// it). `offset_s`, when not 0, is the zone's offset east of UTC, subtracted.
inline TimeParse parse_local_time(std::string_view s, TimeNs& out, int64_t offset_s = 0) {
  if (s.size() != 19) return TimeParse::bad;
  char buf[19];
  for (size_t i = 0; i < 19; ++i) buf[i] = s[i] == '/' && (i == 4 || i == 7) ? '-' : s[i];
  TimeNs t;
  const TimeParse r = parse_record_time(std::string_view(buf, 19), t);
  if (r != TimeParse::ok) return r;
  t -= offset_s * kNsPerSec;
  if (!in_record_range(t)) return TimeParse::out_of_range;
  out = t;
  return TimeParse::ok;
}

// The same from a date ("2024-03-01") and a time ("10:00:01") logged as two fields.
inline TimeParse parse_date_time(std::string_view date, std::string_view time, TimeNs& out, int64_t offset_s = 0) {
  if (date.size() != 10 || time.size() != 8) return TimeParse::bad;
  char buf[19];
  for (size_t i = 0; i < 10; ++i) buf[i] = date[i];
  buf[10] = ' ';
  for (size_t i = 0; i < 8; ++i) buf[11 + i] = time[i];
  return parse_local_time(std::string_view(buf, 19), out, offset_s);
}

// Splits one CSV line: fields separated by commas, a field in double quotes may hold commas,
// and "" inside quotes is one quote (the unescaped text is written to `scratch`, which must not
// reallocate while `out` is used: it is reserved to the line's size). False when a quote is
// left open (a truncated line).
inline bool split_csv(std::string_view line, std::vector<std::string_view>& out, std::string& scratch) {
  out.clear();
  scratch.clear();
  scratch.reserve(line.size());
  size_t i = 0;
  for (;;) {
    if (i < line.size() && line[i] == '"') {
      const size_t start = scratch.size();
      ++i;
      bool closed = false;
      while (i < line.size()) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            scratch.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        scratch.push_back(line[i++]);
      }
      if (!closed) return false;
      out.emplace_back(scratch.data() + start, scratch.size() - start);
      // Anything between the closing quote and the comma is kept out (PAN-OS writes none).
      while (i < line.size() && line[i] != ',') ++i;
    } else {
      // A plain byte loop: most fields are a few bytes (PAN-OS lines are 115 fields, many
      // empty), where a memchr call per field cost more than the scan.
      size_t e = i;
      while (e < line.size() && line[e] != ',') ++e;
      out.push_back(line.substr(i, e - i));
      i = e;
    }
    if (i >= line.size()) return true;
    ++i;  // the comma
  }
}

// A byte or packet count: digits, at most kMaxRecordBytes. `absurd` says why it failed.
inline bool parse_count(std::string_view s, uint64_t& v, bool& absurd) {
  absurd = false;
  if (!flowread::parse_u64(s, v)) {
    // 21+ digits overflow: absurd too, not merely malformed.
    absurd = !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
    return false;
  }
  if (v > kMaxRecordBytes) {
    absurd = true;
    return false;
  }
  return true;
}

// The file's name without its folder: the sensor a firewall's or proxy's records came from
// when the log does not name the device.
inline std::string base_name(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

inline std::string_view trim_left(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

// Text from a log into a record field, cut to flowread::kMaxFlowText (docs/robustness.md).
// Writers repair invalid UTF-8 on output, as for every other reader's text.
inline void assign_text(std::string& out, std::string_view s) { assign_capped(out, s, flowread::kMaxFlowText); }

// The line loop of every reader here: a line over kMaxLine (or the LineReader's limit) is
// counted under `too_long` and skipped, a trailing CR dropped, blank lines skipped; each other
// line goes to `handle`. False on an I/O or decompression error (what was read is delivered).
template <typename Handle>
bool for_each_line(LineReader& lines, ReadContext& ctx, const char* too_long, Handle&& handle) {
  std::string_view line;
  for (;;) {
    const LineReader::Status st = lines.next(line);
    if (st == LineReader::Status::end) return true;
    if (st == LineReader::Status::error) return false;
    if (st == LineReader::Status::too_long || line.size() > kMaxLine) {
      flowread::report_bad(lines, ctx, too_long);
      continue;
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    handle(line);
  }
}

// A short reason with a number in it ("PAN-OS TRAFFIC: 12 fields..."): numbers above `cap`
// share one reason, so hostile input cannot grow the reason table.
inline std::string numbered_reason(const char* before, size_t n, size_t cap, const char* after) {
  return n > cap ? std::string(before) + "more than " + std::to_string(cap) + after
                 : std::string(before) + std::to_string(n) + after;
}

}  // namespace outflow::fwread
