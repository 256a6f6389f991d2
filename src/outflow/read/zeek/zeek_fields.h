// Small helpers shared by the flow readers (Zeek TSV, Zeek JSON, nfdump CSV): field-name
// lookup, allocation-free number and address parsing, and a FlowRecord reset that keeps the
// strings' capacity (FlowRecord::clear() frees it).
#pragma once
#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "outflow/core/utf8.h"
#include "outflow/model/events.h"
#include "outflow/read/input.h"

namespace outflow::flowread {

// Text fields of flow records (uid, history, service, sensor, DNS query...) are short in real
// logs; longer ones are cut to this and end in "…" (docs/robustness.md).
inline constexpr size_t kMaxFlowText = 1024;

// The Zeek fields the readers use. Both "id.orig_h" and "id_orig_h" spellings map to one id.
enum class ZField : uint8_t {
  none,
  ts,
  uid,
  orig_h,
  orig_p,
  resp_h,
  resp_p,
  proto,
  service,
  duration,
  orig_bytes,
  resp_bytes,
  conn_state,
  history,
  orig_pkts,
  resp_pkts,
  orig_ip_bytes,
  resp_ip_bytes,
  missed_bytes,
  community_id,
  node_name,
  query,
  answers,
  path,
  // ssl.log
  server_name,
  ja3,
  ja3s,
  ssl_marker,  // cipher, established, curve, resumed: an ssl record without the fields above
  // http.log
  host,
  method,
  uri,
  user_agent,
  request_body_len,
  response_body_len,
  status_code,
  trans_depth,
  sip_marker,  // call_id: sip.log, which has method, uri and status_code too
  // dhcp.log (Zeek 3+: client_addr, assigned_addr; Bro 2.5: id.orig_h, assigned_ip)
  host_name,
  client_fqdn,
  assigned_addr,
  client_addr,
  mac,
  // capture_loss.log
  ts_delta,
  peer,
  gaps,
  acks,
  percent_lost,
  // dns.log
  qtype,
  // files.log (older Zeek: tx_hosts, rx_hosts, conn_uids; newer: uid, id.*)
  tx_hosts,
  conn_uids,
  is_orig,
  seen_bytes,
  total_bytes,
  mime_type,
  filename,
  count_  // number of ids
};
inline constexpr size_t kZFieldCount = static_cast<size_t>(ZField::count_);

ZField zeek_field(std::string_view name);

// Which log a header or record is. `other`: a Zeek log Outflow reads but does not use (x509,
// weird...: counted as "read but not used", see Diagnostics::unused_log).
enum class ZeekLog : uint8_t { none, conn, open_conn, dns, ssl, http, dhcp, capture_loss, files, other };
ZeekLog zeek_log_from_path(std::string_view path);
// The Zeek log a file's name says it holds ("ssl.log", "files.15:00:00-16:00:00.log.gz",
// "open_ssl.17_37_07-18_00_00.log"): its name up to the first dot when that is a Zeek log
// name Outflow knows (zeek_log_known), else empty. For JSON logs written without "_path".
std::string_view zeek_log_from_file_name(std::string_view file);
// The log an input's first bytes say it is: #path (TSV), "_path" on the first line (JSON), the
// file's name, else (JSON) the keys of the first line. ZeekLog::none when nothing tells.
ZeekLog zeek_log_of_head(std::string_view head, InputFormat format, std::string_view file);
// Zeek's own logs and common packages' (conn, dns, files, x509, weird, notice, ...).
bool zeek_log_known(std::string_view name);

// Names of the Zeek logs of one file that were recognised but not used, with their data
// lines, handed to Diagnostics::unused_log (one file each) and FileStats at the end of the file.
class UnusedLogs {
 public:
  void add(std::string_view log, uint64_t lines) {
    for (auto& e : entries_)
      if (e.first == log) {
        e.second += lines;
        return;
      }
    if (entries_.size() < 64) entries_.emplace_back(std::string(log), lines);
    else entries_.back().second += lines;  // a file with more than 64 log names: the last takes the rest
  }
  void flush(ReadContext& ctx) {
    for (const auto& e : entries_) {
      ctx.diag.unused_log(e.first, e.second);
      ++ctx.stats.unused_logs;
      ctx.stats.unused_lines += e.second;
    }
    entries_.clear();
  }

 private:
  std::vector<std::pair<std::string, uint64_t>> entries_;
};

inline void reset_flow(FlowRecord& f) {
  f.source = FlowSource::other;
  f.bidirectional = true;
  f.start = f.end = kNoTime;
  f.orig_h = f.resp_h = IpAddr{};
  f.orig_p = f.resp_p = 0;
  f.proto = 0;
  f.orig_bytes = f.resp_bytes = f.orig_pkts = f.resp_pkts = 0;
  f.orig_ip_bytes = f.resp_ip_bytes = 0;
  f.orig_bytes_unknown = f.resp_bytes_unknown = false;
  f.uid.clear();
  f.conn_state.clear();
  f.history.clear();
  f.service.clear();
  f.sensor.clear();
  f.community_id.clear();
  f.action.clear();
  f.user.clear();
  f.app.clear();
  f.end_reason.clear();
  f.interim = f.bytes_unknown = f.has_nat = false;
  f.verdict = FlowVerdict::unknown;
  f.nat_orig_h = f.nat_resp_h = IpAddr{};
  f.nat_orig_p = f.nat_resp_p = 0;
}

inline std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

inline bool parse_u64(std::string_view s, uint64_t& v) {
  if (s.empty()) return false;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size();
}

inline bool parse_port(std::string_view s, uint16_t& v) {
  uint64_t x;
  if (!parse_u64(s, x) || x > 65535) return false;
  v = static_cast<uint16_t>(x);
  return true;
}

// Dotted IPv4 without inet_pton (the common case), anything else through IpAddr::parse.
inline bool parse_ip(std::string_view s, IpAddr& out) {
  if (s.size() >= 7 && s.size() <= 15) {
    uint32_t v = 0, part = 0;
    int dots = 0, digits = 0;
    bool ok = true;
    for (const char c : s) {
      if (c >= '0' && c <= '9') {
        part = part * 10 + static_cast<uint32_t>(c - '0');
        if (++digits > 3 || part > 255) {
          ok = false;
          break;
        }
      } else if (c == '.') {
        if (digits == 0 || ++dots > 3) {
          ok = false;
          break;
        }
        v = (v << 8) | part;
        part = 0;
        digits = 0;
      } else {
        ok = false;
        break;
      }
    }
    if (ok && dots == 3 && digits > 0) {
      out = IpAddr::v4((v << 8) | part);
      return true;
    }
    if (s.find(':') == std::string_view::npos) return false;
  }
  return IpAddr::parse(s, out);
}

inline bool parse_epoch_general(std::string_view s, TimeNs& out);

// parse_epoch_seconds with the integer part bounded first: core's check lets an 11-digit value
// through to an overflowing multiply (UBSan: "15174322326 * 1000000000"), so keep it at
// 10 digits and <= 9e9 here.
inline bool parse_epoch(std::string_view s, TimeNs& out) {
  // The usual shape first, "1517422326.539915" (Zeek's ts and durations, EVE's epochs): at most
  // ten digits, a dot, six digits. Branch-free digit loops; anything else takes the general path
  // (a third of the cost of reading a conn.log line went to it). Same result on every input
  // (zeek_fields_test.cc compares the two).
  if (const size_t n = s.size(); n >= 8 && n <= 17 && s[n - 7] == '.') {
    uint64_t secs = 0, frac = 0;
    bool digits = true;
    for (size_t i = 0; i + 7 < n; ++i) {
      const unsigned d = static_cast<unsigned char>(s[i]) - unsigned{'0'};
      digits &= d < 10;
      secs = secs * 10 + d;
    }
    for (size_t i = n - 6; i < n; ++i) {
      const unsigned d = static_cast<unsigned char>(s[i]) - unsigned{'0'};
      digits &= d < 10;
      frac = frac * 10 + d;
    }
    if (digits && secs <= 9'000'000'000ULL) {
      out = static_cast<TimeNs>(secs) * kNsPerSec + static_cast<TimeNs>(frac) * 1000;
      return true;
    }
  }
  return parse_epoch_general(s, out);
}

// parse_epoch without the fast path (tests compare the two).
inline bool parse_epoch_general(std::string_view s, TimeNs& out) {
  size_t i = (!s.empty() && s.front() == '-') ? 1 : 0;
  const size_t start = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  const size_t nd = i - start;
  if (nd > 10 || (nd == 10 && s.substr(start, 10) > "9000000000")) return false;
  return parse_epoch_seconds(s, out);
}

// Seconds with an optional fraction ("3.000158") as nanoseconds; non-negative only.
inline bool parse_seconds(std::string_view s, TimeNs& out) {
  if (s.empty() || s.front() == '-') return false;
  return parse_epoch(s, out);
}

// start + duration; false on overflow or when the end falls outside the record-time range.
inline bool add_duration(TimeNs start, TimeNs d, TimeNs& end) {
  return !__builtin_add_overflow(start, d, &end) && in_record_range(end);
}

// Counts reasons for skipped records locally, flushed to Diagnostics once (map lookups with a
// string key per record would cost more than the parsing).
class SkipCounter {
 public:
  void add(std::string_view what, uint64_t n = 1) {
    for (auto& e : entries_)
      if (e.first == what) {
        e.second += n;
        return;
      }
    entries_.emplace_back(std::string(what), n);
  }
  void flush(Diagnostics& diag) {
    for (const auto& e : entries_)
      if (e.second) diag.skipped(e.first, e.second);
    entries_.clear();
  }

 private:
  std::vector<std::pair<std::string, uint64_t>> entries_;
};

inline void report_bad(const LineReader& lines, ReadContext& ctx, const std::string& reason) {
  ctx.diag.bad_record(ctx.file, lines.line_number(), lines.line_offset(), reason);
  ++ctx.stats.bad;
}

}  // namespace outflow::flowread
