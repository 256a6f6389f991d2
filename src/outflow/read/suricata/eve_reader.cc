// Suricata EVE JSON (docs/suricata.md): one event per line, every event type in one file or a
// file per type. flow and netflow events are flow records; dns, tls, http and fileinfo events
// the names and evidence Zeek's dns, ssl, http and files logs give (joined to their flow by
// flow_id, the uid); alert events IDS context (AlertRecord); stats events the sensor's capture
// loss. Every other event type is counted as read but not used.
#include <cstring>
#include <string>
#include <string_view>

#include "outflow/core/utf8.h"
#include "outflow/join/community_id.h"
#include "outflow/read/flow_checks.h"
#include "outflow/read/input.h"
#include "outflow/read/suricata/eve_dns.h"
#include "outflow/read/suricata/eve_flow.h"
#include "outflow/read/suricata/eve_parse.h"
#include "outflow/read/suricata/eve_stats.h"
#include "outflow/read/zeek/zeek_aux.h"
#include "outflow/read/zeek/zeek_fields.h"

namespace outflow {

namespace {

using flowread::kMaxFlowText;
using namespace suricata;

class EveReader {
 public:
  EveReader(LineReader& lines, ReadContext& ctx) : lines_(lines), ctx_(ctx) {}

  bool run() {
    std::string_view line;
    for (;;) {
      const LineReader::Status st = lines_.next(line);
      if (st == LineReader::Status::end) break;
      if (st == LineReader::Status::error) {
        finish_file();
        return false;
      }
      if (st == LineReader::Status::too_long) {
        bad("suricata eve: line too long");
        continue;
      }
      size_t i = 0;
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
      if (i == line.size()) continue;
      record(line);
    }
    finish_file();
    return true;
  }

 private:
  void finish_file() {
    dns_.flush_all(ctx_);
    skips_.flush(ctx_.diag);
    unused_.flush(ctx_);
  }

  void bad(const std::string& reason) { flowread::report_bad(lines_, ctx_, reason); }
  void dubious(const std::string& reason) {
    ctx_.diag.dubious(ctx_.file, lines_.line_number(), lines_.line_offset(), reason);
  }

  // A time field: false (reported) when it is not a time, has no UTC offset, or is out of range.
  bool time_of(std::string_view s, const char* what, TimeNs& out) {
    switch (clock_.parse(s, out)) {
      case EveTime::ok: return true;
      case EveTime::no_offset: bad(std::string("suricata eve: ") + what + " without UTC offset"); return false;
      case EveTime::out_of_range: bad(std::string("suricata eve: ") + what + " out of range (before 1970 or after 2099)"); return false;
      default: bad(std::string("suricata eve: bad ") + what); return false;
    }
  }

  bool addrs(const EveEvent& ev, IpAddr& src, IpAddr& dst) {
    if (ev.src_ip.empty() || ev.dest_ip.empty()) {
      bad("suricata eve: " + std::string(ev.event_type.substr(0, 32)) + " event without src_ip / dest_ip");
      return false;
    }
    if (!flowread::parse_ip(ev.src_ip, src) || !flowread::parse_ip(ev.dest_ip, dst)) {
      bad("suricata eve: bad src_ip / dest_ip");
      return false;
    }
    return true;
  }

  void record(std::string_view line) {
    if (const char* why = parser_.parse(line, ev_, dns_.answer())) return bad(why);
    const std::string_view type = ev_.event_type;
    if (type.empty()) return bad("suricata eve: event without event_type");
    if (type == "flow") return flow(false);
    if (type == "netflow") return flow(true);
    if (type == "dns") return dns();
    if (type == "tls") return tls();
    if (type == "http") return http();
    if (type == "fileinfo") return fileinfo();
    if (type == "alert") return alert();
    if (type == "stats") return stats();
    // anomaly, smb, krb5, ssh, drop, dhcp...: read, not used.
    unused_name_.assign("eve ");
    unused_name_.append(type.size() <= 32 ? type : std::string_view("(long event_type)"));
    unused_.add(unused_name_, 1);
  }

  void flow(bool netflow) {
    const EveFlow& fl = netflow ? ev_.netflow : ev_.flow;
    if (!fl.present) return bad(netflow ? "suricata netflow: event without its netflow object" : "suricata flow: event without its flow object");
    FlowRecord& f = ctx_.sink.flow_slot(flow_);  // filled in place (RecordSink::flow_slot)
    flowread::reset_flow(f);
    if (!addrs(ev_, f.orig_h, f.resp_h)) return;
    if (fl.start.empty()) return bad("suricata flow: no start");
    if (!time_of(fl.start, "flow start", f.start)) return;
    if (!fl.end.empty() && !time_of(fl.end, "flow end", f.end)) return;
    if (f.end != kNoTime && f.end < f.start) {
      dubious("suricata flow: end before start (end taken as start)");
      f.end = f.start;
    }
    if (!eve_ports(ev_, f)) return bad("suricata flow: bad proto");
    f.orig_bytes = fl.bytes_toserver;
    f.orig_pkts = fl.pkts_toserver;
    if (netflow) {
      f.source = FlowSource::suricata_netflow;
      f.bidirectional = false;
    } else {
      f.resp_bytes = fl.bytes_toclient;
      f.resp_pkts = fl.pkts_toclient;
      // A flow cut by Suricata's shutdown was still open: a snapshot, as Zeek's open_conn.
      f.interim = fl.reason == "shutdown";
      f.source = f.interim ? FlowSource::suricata_open : FlowSource::suricata;
      assign_capped(f.conn_state, fl.state, kMaxFlowText);
      assign_capped(f.end_reason, fl.reason, kMaxFlowText);
    }
    if (!fl.have_bytes) f.bytes_unknown = true;
    // Suricata counts whole packets (link-layer header included): allow it beyond the IP limit.
    // Flows cut by Suricata's shutdown are logged all at once, in flow-table order: their ends
    // are in no order, so they are not checked against earlier lines' (a fresh FlowChecks).
    if (f.interim) shutdown_checks_ = flowread::FlowChecks{};
    (f.interim ? shutdown_checks_ : checks_)
        .check(f, fl.have_pkts_toserver, fl.have_pkts_toclient, (f.orig_pkts + f.resp_pkts) * 64,
               netflow ? kNetflowNames : kFlowNames, lines_, ctx_);
    assign_capped(f.uid, ev_.flow_id, kMaxFlowText);
    if (ev_.app_proto != "failed") assign_capped(f.service, ev_.app_proto, kMaxFlowText);
    assign_capped(f.sensor, ev_.sensor, kMaxFlowText);
    if (!ev_.community_id.empty()) {
      assign_capped(f.community_id, ev_.community_id, kMaxFlowText);
      // Checked on the first kCidCheckAll flows of a file, then one in kCidCheckEvery: a sensor
      // hashing with another seed or a broken exporter shows at once, and the SHA-1 of every
      // flow (a quarter of the reader's time) is not paid.
      if ((cid_seen_ < kCidCheckAll || cid_seen_ % kCidCheckEvery == 0) &&
          f.community_id != community_id_v1(f.orig_h, f.orig_p, f.resp_h, f.resp_p, f.proto))
        dubious("suricata flow: community_id does not match the 5-tuple (kept)");
      ++cid_seen_;
    }
    if (!netflow && midstream_swap(ev_, f)) skips_.add("suricata flow picked up midstream (ports say src is the server: swapped)");
    ctx_.sink.commit_flow(f);
    ++ctx_.stats.flows;
  }

  void dns() {
    if (!ev_.dns.present) return bad("suricata dns: event without its dns object");
    TimeNs t = kNoTime;
    IpAddr src, dst;
    if (!addrs(ev_, src, dst) || !time_of(ev_.timestamp, "timestamp", t)) return;
    if (const char* why = dns_.event(ev_, t, src, dst, ctx_, skips_)) bad(why);
  }

  // The fields every app record (tls, http) shares. False when reported as malformed.
  bool app_common(AppKind kind) {
    AppRecord& r = app_;
    r.clear();
    r.kind = kind;
    if (!addrs(ev_, r.orig_h, r.resp_h) || !time_of(ev_.timestamp, "timestamp", r.ts)) return false;
    r.orig_p = ev_.src_port;
    r.resp_p = ev_.dest_port;
    assign_capped(r.uid, ev_.flow_id, kMaxFlowText);
    return true;
  }

  void tls() {
    if (!ev_.tls.present) return bad("suricata tls: event without its tls object");
    if (!app_common(AppKind::ssl)) return;
    AppRecord& r = app_;
    assign_capped(r.name, ev_.tls.sni, kMaxFlowText);
    assign_capped(r.ja3, ev_.tls.ja3, kMaxFlowText);
    assign_capped(r.ja3s, ev_.tls.ja3s, kMaxFlowText);
    if (r.ja3.empty() && !ev_.tls.ja4.empty()) assign_capped(r.ja3, ev_.tls.ja4, kMaxFlowText);  // a client fingerprint either way
    if (r.name.empty() && r.ja3.empty() && r.ja3s.empty()) return skips_.add("suricata tls (no sni, ja3 or ja4)");
    ctx_.sink.on_app(r);
    ++ctx_.stats.app;
  }

  void http() {
    if (!ev_.http.present) return bad("suricata http: event without its http object");
    if (!app_common(AppKind::http)) return;
    AppRecord& r = app_;
    const EveHttp& h = ev_.http;
    assign_capped(r.name, flowread::http_host_name(h.hostname), kMaxFlowText);
    r.host_missing = !h.have_hostname || flowread::trim_spaces(h.hostname).empty();
    assign_capped(r.method, h.method, kMaxFlowText);
    assign_capped(r.uri, h.url, kMaxFlowText);
    assign_capped(r.user_agent, h.user_agent, kMaxFlowText);
    if (h.status > 999) return bad("suricata http: bad status");
    r.status_code = static_cast<uint16_t>(h.status);
    r.response_body_len = h.length;  // EVE logs the response body's length; the request's is not logged
    ctx_.sink.on_app(r);
    ++ctx_.stats.app;
  }

  void fileinfo() {
    if (!ev_.fileinfo.present) return bad("suricata fileinfo: event without its fileinfo object");
    FileRecord& r = file_;
    IpAddr src, dst;
    if (!addrs(ev_, src, dst) || !time_of(ev_.timestamp, "timestamp", r.ts)) return;
    if (ev_.flow_id.empty()) return skips_.add("suricata fileinfo (no flow_id)");
    assign_capped(r.uid, ev_.flow_id, kMaxFlowText);
    // src -> dest is the file's direction; "direction" (Suricata 7) or the ports say whether the
    // client sent it (an upload) or the server (a download).
    r.tx = src;
    r.is_orig = file_sent_by_client(ev_);
    r.orig_h = r.is_orig == 0 ? dst : src;
    r.resp_h = r.is_orig == 0 ? src : dst;
    r.seen_bytes = ev_.fileinfo.size;
    r.total_bytes = 0;
    assign_capped(r.mime_type, ev_.fileinfo.mimetype, kMaxFlowText);
    assign_capped(r.filename, ev_.fileinfo.filename, kMaxFlowText);
    ctx_.sink.on_file(r);
    ++ctx_.stats.files;
  }

  void alert() {
    if (!ev_.alert.present) return bad("suricata alert: event without its alert object");
    AlertRecord& a = alert_;
    a.clear();
    if (!addrs(ev_, a.src, a.dst) || !time_of(ev_.timestamp, "timestamp", a.ts)) return;
    a.src_port = ev_.src_port;
    a.dst_port = ev_.dest_port;
    a.proto = ev_.proto.empty() ? 0 : parse_proto(ev_.proto);
    assign_capped(a.uid, ev_.flow_id, kMaxFlowText);
    assign_capped(a.signature, ev_.alert.signature, kMaxFlowText);
    assign_capped(a.category, ev_.alert.category, kMaxFlowText);
    assign_capped(a.action, ev_.alert.action, kMaxFlowText);
    a.signature_id = static_cast<uint32_t>(std::min<uint64_t>(ev_.alert.signature_id, UINT32_MAX));
    a.severity = static_cast<uint8_t>(std::min<uint64_t>(ev_.alert.severity, 255));
    ctx_.sink.on_alert(a);
    ++ctx_.stats.alerts;
  }

  void stats() {
    if (!ev_.stats.present) return bad("suricata stats: event without its stats object");
    TimeNs t = kNoTime;
    if (!time_of(ev_.timestamp, "timestamp", t)) return;
    if (!ev_.stats.have_capture) return skips_.add("suricata stats (no capture counters: a pcap file read)");
    if (const char* why = loss_.event(ev_, t, ctx_)) bad(why);
  }

  LineReader& lines_;
  ReadContext& ctx_;
  EveParser parser_;
  EveClock clock_;
  EveEvent ev_;
  FlowRecord flow_;
  AppRecord app_;
  FileRecord file_;
  AlertRecord alert_;
  EveDnsPairing dns_;
  EveCaptureLoss loss_;
  flowread::SkipCounter skips_;
  flowread::UnusedLogs unused_;
  std::string unused_name_;
  flowread::FlowChecks checks_, shutdown_checks_;
  uint64_t cid_seen_ = 0;
  static constexpr uint64_t kCidCheckAll = 4096, kCidCheckEvery = 64;
  static constexpr flowread::FlowChecks::Fields kFlowNames{"suricata flow", "bytes_toserver", "pkts_toserver",
                                                           "bytes_toclient", "pkts_toclient"};
  static constexpr flowread::FlowChecks::Fields kNetflowNames{"suricata netflow", "bytes", "pkts", "bytes", "pkts"};
};

}  // namespace

bool read_suricata_eve(LineReader& lines, ReadContext& ctx) {
  EveReader r(lines, ctx);
  return r.run();
}

}  // namespace outflow
