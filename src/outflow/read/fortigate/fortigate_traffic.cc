// FortiGate traffic logs (key=value, by syslog or FortiAnalyzer): srcip/srcport, dstip/dstport,
// proto, sentbyte/rcvdbyte, sentpkt/rcvdpkt, duration, user or unauthuser, app, the NAT fields
// (transip/transport: source NAT; tranip/tranport: destination NAT) and action. Other log types
// (utm, event) are counted as read but not used. See docs/firewall-logs.md.
#include <string>
#include <string_view>

#include "outflow/read/fortigate/fortigate_kv.h"
#include "outflow/read/fw_common.h"
#include "outflow/read/input.h"

namespace outflow {

namespace {

using fortigate::Key;

// FortiOS traffic actions: "accept" (a session allowed; also each interim log of a long one),
// "start" (logged at session start), "close", "timeout", "client-rst", "server-rst" (the end of
// an allowed session); "deny", "blocked"... (refused); "dns", "ip-conn" (the connection failed:
// no DNS answer, no route). Only the allowed ones moved data.
FlowVerdict verdict_of(std::string_view a) {
  for (std::string_view k : {"accept", "start", "close", "timeout", "client-rst", "server-rst", "pass", "passthrough"})
    if (a == k) return FlowVerdict::allowed;
  if (a.empty()) return FlowVerdict::unknown;
  return FlowVerdict::denied;
}

// "-0500", "+0200", "+05:45" -> seconds east of UTC; 0 when absent or another spelling.
int64_t tz_offset(std::string_view tz) {
  if (tz.size() < 5 || (tz[0] != '+' && tz[0] != '-')) return 0;
  std::string digits;
  for (char c : tz.substr(1))
    if (c >= '0' && c <= '9') digits.push_back(c);
    else if (c != ':') return 0;
  if (digits.size() != 4) return 0;
  const int64_t off = ((digits[0] - '0') * 10 + (digits[1] - '0')) * 3600 + ((digits[2] - '0') * 10 + (digits[3] - '0')) * 60;
  return tz[0] == '-' ? -off : off;
}

// eventtime: seconds, milliseconds, microseconds or nanoseconds since the epoch (FortiOS
// versions differ).
bool parse_eventtime(std::string_view s, TimeNs& out) {
  uint64_t v = 0;
  if (!flowread::parse_u64(s, v)) return false;
  uint64_t mult = 1;  // to nanoseconds
  if (v < 100'000'000'000ull) mult = 1'000'000'000;                // seconds
  else if (v < 100'000'000'000'000ull) mult = 1'000'000;           // milliseconds
  else if (v < 100'000'000'000'000'000ull) mult = 1'000;           // microseconds
  if (v > static_cast<uint64_t>(kMaxRecordTime) / mult) return false;  // after 2099 (and no overflow)
  const TimeNs t = static_cast<TimeNs>(v * mult);
  if (!in_record_range(t)) return false;
  out = t;
  return true;
}

class FortigateReader {
 public:
  FortigateReader(LineReader& lines, ReadContext& ctx) : lines_(lines), ctx_(ctx), file_sensor_(fwread::base_name(ctx.file)) {}

  bool run() {
    const bool ok = fwread::for_each_line(lines_, ctx_, "FortiGate: line too long", [&](std::string_view l) { handle(l); });
    skips_.flush(ctx_.diag);
    return ok;
  }

 private:
  void bad(const char* reason) { flowread::report_bad(lines_, ctx_, reason); }

  // The log's time: eventtime, else timestamp (epoch seconds), else date + time in tz.
  const char* log_time(TimeNs& t) {
    if (p_.has(Key::eventtime)) return parse_eventtime(p_[Key::eventtime], t) ? nullptr : "FortiGate: bad eventtime";
    if (p_.has(Key::timestamp)) return parse_eventtime(p_[Key::timestamp], t) ? nullptr : "FortiGate: bad timestamp";
    if (!p_.has(Key::date) || !p_.has(Key::time)) return "FortiGate: no time (eventtime, timestamp or date and time)";
    switch (fwread::parse_date_time(p_[Key::date], p_[Key::time], t, tz_offset(p_[Key::tz]))) {
      case TimeParse::ok: return nullptr;
      case TimeParse::bad: return "FortiGate: bad date/time";
      case TimeParse::out_of_range: return "FortiGate: time out of range (before 1970 or after 2099)";
    }
    return nullptr;
  }

  const char* count(Key k, uint64_t& v) {
    bool absurd = false;
    if (fwread::parse_count(p_[k], v, absurd)) return nullptr;
    return absurd ? "FortiGate: absurd byte or packet count (over 1 PiB)" : "FortiGate: bad byte or packet count";
  }

  void handle(std::string_view line) {
    while (!line.empty() && line.back() == '\0') line.remove_suffix(1);  // seen after the last pair
    line = fwread::skip_pri(line);
    if (!fortigate::parse_pairs(line, p_)) return bad("FortiGate: a quoted value is not closed (truncated line?)");
    if (!p_.has(Key::type)) return bad("FortiGate: no type= (not a log line)");
    const std::string_view type = p_[Key::type];
    if (type != "traffic") {
      skips_.add(type == "utm" || type == "event" || type == "anomaly" ? "FortiGate " + std::string(type) + " logs (not traffic)"
                                                                       : "FortiGate logs of other types (not traffic)");
      return;
    }
    if (const char* e = flow(); e) bad(e);
  }

  const char* flow() {
    FlowRecord& f = flow_;
    flowread::reset_flow(f);
    f.source = FlowSource::fortigate;
    f.bidirectional = true;
    if (!flowread::parse_ip(p_[Key::srcip], f.orig_h)) return "FortiGate: bad srcip";
    if (!flowread::parse_ip(p_[Key::dstip], f.resp_h)) return "FortiGate: bad dstip";
    if (p_.has(Key::srcport) && !flowread::parse_port(p_[Key::srcport], f.orig_p)) return "FortiGate: bad srcport";
    if (p_.has(Key::dstport) && !flowread::parse_port(p_[Key::dstport], f.resp_p)) return "FortiGate: bad dstport";
    if (p_.has(Key::proto)) {
      uint64_t pr = 0;
      if (!flowread::parse_u64(p_[Key::proto], pr) || pr > 255) return "FortiGate: bad proto";
      f.proto = static_cast<uint8_t>(pr);
    }
    // Bytes: sent = from the source. A row without them (failed connections) has none: unknown.
    if (p_.has(Key::sentbyte) || p_.has(Key::rcvdbyte)) {
      if (p_.has(Key::sentbyte))
        if (const char* e = count(Key::sentbyte, f.orig_bytes)) return e;
      if (p_.has(Key::rcvdbyte))
        if (const char* e = count(Key::rcvdbyte, f.resp_bytes)) return e;
    } else {
      f.bytes_unknown = true;
    }
    if (p_.has(Key::sentpkt))
      if (const char* e = count(Key::sentpkt, f.orig_pkts)) return e;
    if (p_.has(Key::rcvdpkt))
      if (const char* e = count(Key::rcvdpkt, f.resp_pkts)) return e;
    // NAT evidence: source NAT (transip/transport), destination NAT (tranip/tranport);
    // 0.0.0.0 / port 0 means no translation.
    {
      IpAddr sip, dip;
      uint16_t sp = 0, dp = 0;
      if (p_.has(Key::transip) && !flowread::parse_ip(p_[Key::transip], sip)) return "FortiGate: bad transip";
      if (p_.has(Key::transport) && !flowread::parse_port(p_[Key::transport], sp)) return "FortiGate: bad transport";
      if (p_.has(Key::tranip) && !flowread::parse_ip(p_[Key::tranip], dip)) return "FortiGate: bad tranip";
      if (p_.has(Key::tranport) && !flowread::parse_port(p_[Key::tranport], dp)) return "FortiGate: bad tranport";
      const auto none = [](const IpAddr& a) { return a.is_unset() || a == IpAddr::v4(0); };
      if (!none(sip) || !none(dip)) {
        f.has_nat = true;
        f.nat_orig_h = none(sip) ? f.orig_h : sip;
        f.nat_orig_p = none(sip) || sp == 0 ? f.orig_p : sp;
        f.nat_resp_h = none(dip) ? f.resp_h : dip;
        f.nat_resp_p = none(dip) || dp == 0 ? f.resp_p : dp;
      }
    }
    // The log is written when the session ends (or at an interim or start log): its time is
    // the end, the duration (seconds) gives the start.
    if (const char* e = log_time(f.end)) return e;
    uint64_t dur = 0;
    if (p_.has(Key::duration) && (!flowread::parse_u64(p_[Key::duration], dur) || dur > 400ull * 86400))
      return "FortiGate: bad duration";
    f.start = f.end - static_cast<TimeNs>(dur) * kNsPerSec;
    if (!in_record_range(f.start)) return "FortiGate: time - duration out of range";

    const std::string_view action = p_[Key::action];
    f.verdict = verdict_of(action);
    f.interim = action == "accept" || action == "start";
    fwread::assign_text(f.action, action);
    fwread::assign_text(f.user, p_.has(Key::user) ? p_[Key::user] : p_[Key::unauthuser]);
    fwread::assign_text(f.app, p_[Key::app]);
    const std::string_view dev = p_.has(Key::devid) ? p_[Key::devid] : p_.has(Key::device_id) ? p_[Key::device_id] : p_[Key::devname];
    if (dev.empty()) f.sensor.assign(file_sensor_);
    else fwread::assign_text(f.sensor, dev);
    const std::string_view sid = p_[Key::sessionid];
    if (!sid.empty() && sid != "0") {
      f.uid.assign("fortigate:").append(f.sensor).append(":").append(p_[Key::vd]).append(":").append(sid);
      if (f.uid.size() > flowread::kMaxFlowText) f.uid.resize(flowread::kMaxFlowText);
    }
    ctx_.sink.on_flow(f);
    ++ctx_.stats.flows;
    return nullptr;
  }

  LineReader& lines_;
  ReadContext& ctx_;
  std::string file_sensor_;
  fortigate::Pairs p_;
  flowread::SkipCounter skips_;
  FlowRecord flow_;
};

}  // namespace

bool read_fortigate(LineReader& lines, ReadContext& ctx) {
  FortigateReader r(lines, ctx);
  return r.run();
}

}  // namespace outflow
