// PAN-OS traffic logs forwarded by syslog in Palo Alto's CSV format: one connection per line,
// both directions' bytes, start time and elapsed seconds, source user (User-ID), application,
// the NAT addresses and ports, the session end reason. Other log types in the same stream
// (THREAT, SYSTEM, CONFIG...) are counted as read but not used. See docs/firewall-logs.md.
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "outflow/read/fw_common.h"
#include "outflow/read/input.h"
#include "outflow/read/panos/panos_csv.h"

namespace outflow {

namespace {

using namespace panos;

// Actions that let nothing through (PAN-OS: deny, drop, drop-icmp, reset-client, reset-server,
// reset-both, block-url...): everything but "allow".
FlowVerdict verdict_of(std::string_view subtype, std::string_view action) {
  if (subtype == "drop" || subtype == "deny") return FlowVerdict::denied;
  if (action.empty()) return FlowVerdict::unknown;
  return action == "allow" ? FlowVerdict::allowed : FlowVerdict::denied;
}

// A NAT address worth keeping: set and not 0.0.0.0 / :: (no translation).
bool nat_address(std::string_view s, IpAddr& out) {
  IpAddr a;
  if (s.empty() || !flowread::parse_ip(s, a) || a.is_unset() || a == IpAddr::v4(0)) return false;
  out = a;
  return true;
}

// PAN-OS's other log types, named in the counts; any other word is counted as "other".
bool known_type(std::string_view t) {
  for (std::string_view k : {"THREAT", "SYSTEM", "CONFIG", "HIPMATCH", "CORRELATION", "USERID", "AUTHENTICATION",
                             "GLOBALPROTECT", "DECRYPTION", "TUNNEL", "IPTAG", "SCTP", "GTP"})
    if (t == k) return true;
  return false;
}

class PanosReader {
 public:
  PanosReader(LineReader& lines, ReadContext& ctx) : lines_(lines), ctx_(ctx), file_sensor_(fwread::base_name(ctx.file)) {
    fields_.reserve(128);
  }

  bool run() {
    const bool ok = fwread::for_each_line(lines_, ctx_, "PAN-OS: line too long", [&](std::string_view l) { handle(l); });
    skips_.flush(ctx_.diag);
    return ok;
  }

 private:
  void bad(const std::string& reason) { flowread::report_bad(lines_, ctx_, reason); }

  std::string_view field(size_t i) const { return i < fields_.size() ? fields_[i] : std::string_view{}; }

  void handle(std::string_view line) {
    const size_t start = csv_start(line);
    if (start == std::string_view::npos) return bad("PAN-OS: not a PAN-OS CSV log line (no receive time at field 1)");
    if (!fwread::split_csv(line.substr(start), fields_, scratch_))
      return bad("PAN-OS: a quoted field is not closed (truncated line?)");
    const std::string_view type = field(f_type);
    if (type != "TRAFFIC") {
      if (type.empty() || type.size() > 32 || type.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ-_") != std::string_view::npos)
        return bad("PAN-OS: no log type at field 3");
      skips_.add(known_type(type) ? "PAN-OS " + std::string(type) + " logs (not traffic)" : "PAN-OS logs of other types (not traffic)");
      return;
    }
    const size_t n = fields_.size();
    if (n < kMinFields)
      return bad(fwread::numbered_reason("PAN-OS TRAFFIC: ", n, kMinFields, " fields, fewer than the 37 every version has (truncated line?)"));
    if (!known_field_count(n)) note_layout(n);

    FlowRecord& f = flow_;
    flowread::reset_flow(f);
    f.source = FlowSource::panos;
    f.bidirectional = true;
    if (!flowread::parse_ip(field(f_src), f.orig_h)) return bad("PAN-OS: bad source address (field 7)");
    if (!flowread::parse_ip(field(f_dst), f.resp_h)) return bad("PAN-OS: bad destination address (field 8)");
    if (!flowread::parse_port(field(f_sport), f.orig_p)) return bad("PAN-OS: bad source port (field 24)");
    if (!flowread::parse_port(field(f_dport), f.resp_p)) return bad("PAN-OS: bad destination port (field 25)");
    f.proto = parse_proto(field(f_proto));
    if (f.proto == 0 && !field(f_proto).empty() && field(f_proto) != "0")
      return bad("PAN-OS: unknown protocol (field 29; fields shifted?)");

    // NAT: the post-translation 5-tuple, as evidence.
    const bool nat_src = nat_address(field(f_nat_src), f.nat_orig_h);
    const bool nat_dst = nat_address(field(f_nat_dst), f.nat_resp_h);
    if (!field(f_nat_sport).empty() && !flowread::parse_port(field(f_nat_sport), f.nat_orig_p))
      return bad("PAN-OS: bad NAT source port (field 26)");
    if (!field(f_nat_dport).empty() && !flowread::parse_port(field(f_nat_dport), f.nat_resp_p))
      return bad("PAN-OS: bad NAT destination port (field 27)");
    f.has_nat = nat_src || nat_dst;
    if (nat_src && !nat_dst) f.nat_resp_h = f.resp_h;  // only the source translated
    if (nat_dst && !nat_src) f.nat_orig_h = f.orig_h;

    // Bytes: sent = client to server. "Bytes" is their sum: a line whose fields shifted (an
    // unquoted comma) almost never keeps that.
    uint64_t total = 0;
    bool absurd = false;
    if (!fwread::parse_count(field(f_bytes_sent), f.orig_bytes, absurd) ||
        !fwread::parse_count(field(f_bytes_received), f.resp_bytes, absurd) ||
        !fwread::parse_count(field(f_bytes), total, absurd))
      return bad(absurd ? "PAN-OS: absurd byte count (over 1 PiB)" : "PAN-OS: bad byte counts (fields 31-33)");
    if (total != f.orig_bytes + f.resp_bytes) return bad("PAN-OS: bytes is not bytes sent + bytes received (fields shifted?)");
    if (n > f_pkts_received) {
      if (!fwread::parse_count(field(f_pkts_sent), f.orig_pkts, absurd) ||
          !fwread::parse_count(field(f_pkts_received), f.resp_pkts, absurd))
        return bad(absurd ? "PAN-OS: absurd packet count" : "PAN-OS: bad packet counts (fields 44-45)");
    }

    // Time: start time + elapsed seconds (the firewall's clock, no zone: taken as UTC).
    uint64_t elapsed = 0;
    if (!fwread::parse_count(field(f_elapsed), elapsed, absurd) || elapsed > 400ull * 86400)
      return bad("PAN-OS: bad elapsed time (field 36)");
    TimeParse tp = fwread::parse_local_time(field(f_start), f.start);
    if (tp == TimeParse::bad) {
      // Some denied sessions log no start time: the generated time minus elapsed.
      TimeNs gen;
      tp = fwread::parse_local_time(field(f_generated), gen);
      if (tp == TimeParse::ok) f.start = gen - static_cast<TimeNs>(elapsed) * kNsPerSec;
    }
    if (tp == TimeParse::bad) return bad("PAN-OS: bad start time (field 35)");
    if (tp == TimeParse::out_of_range || !in_record_range(f.start))
      return bad("PAN-OS: start time out of range (before 1970 or after 2099)");
    if (!flowread::add_duration(f.start, static_cast<TimeNs>(elapsed) * kNsPerSec, f.end))
      return bad("PAN-OS: start time + elapsed out of range");

    const std::string_view subtype = field(f_subtype), action = field(f_action);
    f.verdict = verdict_of(subtype, action);
    f.interim = subtype == "start";
    fwread::assign_text(f.action, action);
    fwread::assign_text(f.user, field(f_src_user));
    fwread::assign_text(f.app, field(f_app));
    if (n > f_end_reason) fwread::assign_text(f.end_reason, field(f_end_reason));
    const std::string_view serial = field(f_serial);
    if (serial.empty()) f.sensor.assign(file_sensor_);
    else fwread::assign_text(f.sensor, serial);
    // One session: the firewall, its session id and the session's start (ids are reused).
    const std::string_view sid = field(f_session_id);
    if (!sid.empty() && sid != "0") {
      f.uid.assign("panos:").append(f.sensor).append(":").append(sid).append(":").append(field(f_start));
      if (f.uid.size() > flowread::kMaxFlowText) f.uid.resize(flowread::kMaxFlowText);
    }
    ctx_.sink.on_flow(f);
    ++ctx_.stats.flows;
  }

  // A field count no documented version has: said once per count and file.
  void note_layout(size_t n) {
    if (noted_.size() >= 16 || !noted_.insert(n).second) return;
    ctx_.diag.note(ctx_.file, lines_.line_offset(),
                   fwread::numbered_reason("PAN-OS TRAFFIC with ", n, 4096,
                                           " fields: not a documented layout (46, 65, 67, 75 or 115 fields); the fields "
                                           "every version shares (0-46) were read at their documented positions"));
  }

  LineReader& lines_;
  ReadContext& ctx_;
  std::string file_sensor_;
  std::vector<std::string_view> fields_;
  std::string scratch_;
  flowread::SkipCounter skips_;
  std::set<size_t> noted_;
  FlowRecord flow_;
};

}  // namespace

bool read_panos(LineReader& lines, ReadContext& ctx) {
  PanosReader r(lines, ctx);
  return r.run();
}

}  // namespace outflow
