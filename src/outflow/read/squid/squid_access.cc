// Squid access.log: one proxied request per line, in the native format, the extended native
// format with the client port and request sizes, or the common/combined formats. Each becomes
// a ProxyRecord (RecordSink::on_proxy). Which sizes each format carries, and so what is known
// of the upload, is in docs/firewall-logs.md.
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "outflow/read/fw_common.h"
#include "outflow/read/input.h"
#include "outflow/read/squid/proxy_target.h"
#include "outflow/read/squid/squid_line.h"

namespace outflow {

namespace {

using squid::Shape;

// "10/Oct/2000:13:55:36 -0700" (inside the brackets).
TimeParse parse_clf_time(std::string_view s, TimeNs& out) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 26 || s[2] != '/' || s[6] != '/' || s[11] != ':' || s[20] != ' ') return TimeParse::bad;
  int mon = 0;
  for (int i = 0; i < 12; ++i)
    if (s.substr(3, 3) == kMonths[i]) mon = i + 1;
  const std::string_view zone = s.substr(21);
  if (mon == 0 || (zone[0] != '+' && zone[0] != '-') || !squid::all_digits(zone.substr(1))) return TimeParse::bad;
  char buf[19];  // "YYYY-MM-DD HH:MM:SS"
  std::memcpy(buf, s.data() + 7, 4);
  buf[4] = '-';
  buf[5] = static_cast<char>('0' + mon / 10);
  buf[6] = static_cast<char>('0' + mon % 10);
  buf[7] = '-';
  std::memcpy(buf + 8, s.data(), 2);
  buf[10] = ' ';
  std::memcpy(buf + 11, s.data() + 12, 8);
  const int off = ((zone[1] - '0') * 10 + (zone[2] - '0')) * 3600 + ((zone[3] - '0') * 10 + (zone[4] - '0')) * 60;
  return fwread::parse_local_time(std::string_view(buf, 19), out, zone[0] == '-' ? -off : off);
}

class SquidReader {
 public:
  SquidReader(LineReader& lines, ReadContext& ctx) : lines_(lines), ctx_(ctx), proxy_(fwread::base_name(ctx.file)) {
    tok_.reserve(32);
  }

  bool run() {
    return fwread::for_each_line(lines_, ctx_, "Squid: line too long", [&](std::string_view l) { handle(l); });
  }

 private:
  void bad(const char* reason) { flowread::report_bad(lines_, ctx_, reason); }

  void handle(std::string_view line) {
    ProxyRecord& r = rec_;
    r.clear();
    const char* why = nullptr;
    switch (squid::line_shape(line, tok_)) {
      case Shape::native: why = native(false); break;
      case Shape::extended: why = native(true); break;
      case Shape::common: why = common(line); break;
      case Shape::none: why = "Squid: not an access.log line (no time, elapsed, client, result/status)"; break;
    }
    if (why) return bad(why);
    r.proxy = proxy_;
    squid::proxy_target(r.method, r.url, r.host, r.port);
    ctx_.sink.on_proxy(r);
    ++ctx_.stats.proxy;
  }

  // "TCP_MISS/200" -> result, status (000: none).
  void result_status(std::string_view s) {
    const size_t slash = s.find('/');
    fwread::assign_text(rec_.result, s.substr(0, slash));
    flowread::parse_port(s.substr(slash + 1), rec_.status);
  }

  // "HIER_DIRECT/203.0.113.10", "DIRECT/1.2.3.4", "NONE/-", "FIRSTUP_PARENT/proxy2"
  bool hierarchy_peer(std::string_view s) {
    const size_t slash = s.find('/');
    if (slash == std::string_view::npos || slash == 0) return false;
    for (size_t i = 0; i < slash; ++i)
      if (!((s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_')) return false;
    fwread::assign_text(rec_.hierarchy, s.substr(0, slash));
    const std::string_view peer = s.substr(slash + 1);
    if (peer != "-") {
      fwread::assign_text(rec_.peer, peer);
      flowread::parse_ip(peer, rec_.peer_ip);
    }
    return true;
  }

  void text_or_dash(std::string& out, std::string_view s) {
    if (s != "-") fwread::assign_text(out, s);
  }

  const char* count(std::string_view s, uint64_t& v) {
    bool absurd = false;
    if (fwread::parse_count(s, v, absurd)) return nullptr;
    return absurd ? "Squid: absurd byte count (over 1 PiB)" : "Squid: bad byte count";
  }

  // tok_ holds the line's tokens (from line_shape).
  const char* native(bool extended) {
    // native: 0 time, 1 elapsed, 2 client, 3 result/status, 4 bytes, 5 method, 6 URL, 7 user,
    // 8 hierarchy/peer, 9 type. extended: 3 client port, 4 result/status, 5 reply size,
    // 6 request size, 7-8 header sizes, 9 body size, 10 method, 11 URL, 12 version, 13 user,
    // 14 hierarchy/peer, 15 peer port, 16 type.
    const size_t shift = extended ? 5 : 0;
    const size_t need = extended ? 17 : 10;
    if (tok_.size() < need) return "Squid: too few fields (truncated line?)";
    ProxyRecord& r = rec_;
    if (!flowread::parse_epoch(tok_[0], r.end) || !in_record_range(r.end)) return "Squid: bad time";
    uint64_t elapsed_ms = 0;
    if (!flowread::parse_u64(tok_[1], elapsed_ms) || elapsed_ms > 400ull * 86400 * 1000) return "Squid: bad elapsed time";
    r.elapsed_known = true;
    r.start = r.end - static_cast<TimeNs>(elapsed_ms) * 1'000'000;
    if (!in_record_range(r.start)) return "Squid: bad elapsed time";
    flowread::parse_ip(tok_[2], r.client);  // a name when log_fqdn is on: no address
    if (extended && !flowread::parse_port(tok_[3], r.client_port)) return "Squid: bad client port";
    result_status(tok_[extended ? 4 : 3]);
    if (const char* e = count(tok_[extended ? 5 : 4], r.bytes_to_client)) return e;
    if (extended) {
      if (const char* e = count(tok_[6], r.bytes_from_client)) return e;
      r.bytes_from_client_known = true;
    }
    fwread::assign_text(r.method, tok_[5 + shift]);
    fwread::assign_text(r.url, tok_[6 + shift]);
    const size_t user = (extended ? 13 : 7), hier = user + 1;
    // A URL with a space in it (Squid encodes them; another logger may not) shifts the rest.
    if (!hierarchy_peer(tok_[hier])) return "Squid: no hierarchy/peer where expected (fields shifted: a space in the URL?)";
    text_or_dash(r.user, tok_[user]);
    text_or_dash(r.content_type, tok_[extended ? 16 : 9]);
    return nullptr;
  }

  const char* common(std::string_view line) {
    // client ident user [time] "METHOD URL HTTP/v" status bytes ["referer" "agent"] result:hier
    squid::split_spaces(line, tok_, 4);  // client, ident, user, rest
    if (tok_.size() < 4) return "Squid: too few fields (truncated line?)";
    ProxyRecord& r = rec_;
    flowread::parse_ip(tok_[0], r.client);
    text_or_dash(r.user, tok_[2] != "-" ? tok_[2] : tok_[1]);
    std::string_view rest = tok_[3];
    const size_t close = rest.find(']');
    if (rest.front() != '[' || close == std::string_view::npos) return "Squid: bad [time]";
    switch (parse_clf_time(rest.substr(1, close - 1), r.end)) {
      case TimeParse::ok: break;
      case TimeParse::bad: return "Squid: bad [time]";
      case TimeParse::out_of_range: return "Squid: time out of range (before 1970 or after 2099)";
    }
    rest = fwread::trim_left(rest.substr(close + 1));
    if (rest.empty() || rest.front() != '"') return "Squid: no quoted request";
    const size_t q = rest.find('"', 1);
    if (q == std::string_view::npos) return "Squid: quoted request not closed (truncated line?)";
    const std::string_view request = rest.substr(1, q - 1);
    const size_t sp1 = request.find(' ');
    const size_t sp2 = request.rfind(' ');
    if (sp1 == std::string_view::npos) return "Squid: bad request (no URL)";
    fwread::assign_text(r.method, request.substr(0, sp1));
    fwread::assign_text(r.url, request.substr(sp1 + 1, (sp2 > sp1 ? sp2 : request.size()) - sp1 - 1));
    squid::split_spaces(rest.substr(q + 1), tok_);
    if (tok_.size() < 3) return "Squid: too few fields after the request (truncated line?)";
    if (!flowread::parse_port(tok_[0], r.status)) return "Squid: bad status";
    if (const char* e = count(tok_[1], r.bytes_to_client)) return e;
    const std::string_view rh = tok_.back();
    if (!squid::result_hierarchy(rh)) return "Squid: no result:hierarchy at the end (truncated line?)";
    const size_t colon = rh.find(':');
    fwread::assign_text(r.result, rh.substr(0, colon));
    fwread::assign_text(r.hierarchy, rh.substr(colon + 1));
    return nullptr;
  }

  LineReader& lines_;
  ReadContext& ctx_;
  std::string proxy_;
  std::vector<std::string_view> tok_;
  ProxyRecord rec_;
};

}  // namespace

bool read_squid(LineReader& lines, ReadContext& ctx) {
  SquidReader r(lines, ctx);
  return r.run();
}

}  // namespace outflow
