#include "outflow/read/zeek/zeek_aux.h"

#include <charconv>
#include <cmath>

namespace outflow::flowread {

namespace {

bool parse_count(std::string_view s, uint64_t& v) {
  if (s.empty()) {
    v = 0;
    return true;
  }
  return parse_u64(s, v);
}

const char* app(ZeekLog log, const AuxInput& in, AppRecord& r, ReadContext& ctx, SkipCounter& skips) {
  if (in.ts == kNoTime) return log == ZeekLog::ssl ? "zeek ssl: record without ts" : "zeek http: record without ts";
  if (!in.have_orig_h || !in.have_resp_h)
    return log == ZeekLog::ssl ? "zeek ssl: record without id.orig_h / id.resp_h" : "zeek http: record without id.orig_h / id.resp_h";
  r.clear();
  r.kind = log == ZeekLog::ssl ? AppKind::ssl : AppKind::http;
  r.ts = in.ts;
  r.orig_h = in.orig_h;
  r.resp_h = in.resp_h;
  r.orig_p = in.orig_p;
  r.resp_p = in.resp_p;
  assign_capped(r.uid, in.uid, kMaxFlowText);
  if (log == ZeekLog::ssl) {
    assign_capped(r.name, in.get(ZField::server_name), kMaxFlowText);
    assign_capped(r.ja3, in.get(ZField::ja3), kMaxFlowText);
    assign_capped(r.ja3s, in.get(ZField::ja3s), kMaxFlowText);
    if (r.name.empty() && r.ja3.empty() && r.ja3s.empty()) {
      skips.add("zeek ssl (no server name or ja3)");
      return nullptr;
    }
  } else {
    assign_capped(r.name, http_host_name(in.get(ZField::host)), kMaxFlowText);
    r.host_missing = trim_spaces(in.get(ZField::host)).empty();
    assign_capped(r.method, in.get(ZField::method), kMaxFlowText);
    assign_capped(r.uri, in.get(ZField::uri), kMaxFlowText);
    assign_capped(r.user_agent, in.get(ZField::user_agent), kMaxFlowText);
    if (!parse_count(in.get(ZField::request_body_len), r.request_body_len)) return "zeek http: bad request_body_len";
    if (!parse_count(in.get(ZField::response_body_len), r.response_body_len)) return "zeek http: bad response_body_len";
    uint64_t code = 0;
    if (!parse_count(in.get(ZField::status_code), code) || code > 65535) return "zeek http: bad status_code";
    r.status_code = static_cast<uint16_t>(code);
  }
  ctx.sink.on_app(r);
  ++ctx.stats.app;
  return nullptr;
}

const char* dhcp(const AuxInput& in, DhcpLease& r, ReadContext& ctx, SkipCounter& skips) {
  if (in.ts == kNoTime) return "zeek dhcp: record without ts";
  std::string_view name = in.get(ZField::host_name);
  if (name.empty()) name = in.get(ZField::client_fqdn);
  r.addr = IpAddr{};
  // The address leased, else the one the client already had (INFORM, renewals), else (Bro 2.5,
  // whose log has no assigned address for an INFORM) the connection's originator.
  for (ZField f : {ZField::assigned_addr, ZField::client_addr}) {
    const std::string_view v = in.get(f);
    if (v.empty()) continue;
    if (!parse_ip(v, r.addr)) return f == ZField::assigned_addr ? "zeek dhcp: bad assigned_addr" : "zeek dhcp: bad client_addr";
    if (!r.addr.is_special()) break;
    r.addr = IpAddr{};
  }
  if (r.addr.is_unset() && in.have_orig_h && !in.orig_h.is_special()) r.addr = in.orig_h;
  if (name.empty()) {
    skips.add("zeek dhcp (no host name)");
    return nullptr;
  }
  if (r.addr.is_unset()) {
    skips.add("zeek dhcp (no client address)");
    return nullptr;
  }
  r.ts = in.ts;
  assign_capped(r.host_name, name, kMaxFlowText);
  assign_capped(r.mac, in.get(ZField::mac), kMaxFlowText);
  ctx.sink.on_dhcp(r);
  ++ctx.stats.dhcp;
  return nullptr;
}

const char* capture_loss(const AuxInput& in, CaptureLossRecord& r, ReadContext& ctx) {
  if (in.ts == kNoTime) return "zeek capture_loss: record without ts";
  r.ts = in.ts;
  r.ts_delta = 0;
  if (const std::string_view d = in.get(ZField::ts_delta); !d.empty() && !parse_seconds(d, r.ts_delta))
    return "zeek capture_loss: bad ts_delta";
  assign_capped(r.peer, in.get(ZField::peer), kMaxFlowText);
  if (!parse_count(in.get(ZField::gaps), r.gaps)) return "zeek capture_loss: bad gaps";
  if (!parse_count(in.get(ZField::acks), r.acks)) return "zeek capture_loss: bad acks";
  r.percent_lost = 0;
  if (const std::string_view p = in.get(ZField::percent_lost); !p.empty()) {
    const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), r.percent_lost);
    if (ec != std::errc() || end != p.data() + p.size() || !std::isfinite(r.percent_lost) || r.percent_lost < 0 ||
        r.percent_lost > 100)
      return "zeek capture_loss: bad percent_lost";
  }
  ctx.sink.on_capture_loss(r);
  ++ctx.stats.capture_loss;
  return nullptr;
}

// The first item of a Zeek set field ("a,b" in TSV; the JSON reader keeps an array's first).
std::string_view first_item(std::string_view v) { return v.substr(0, v.find(',')); }

const char* file(const AuxInput& in, FileRecord& r, ReadContext& ctx, SkipCounter& skips) {
  if (in.ts == kNoTime) return "zeek files: record without ts";
  r.ts = in.ts;
  std::string_view uid = in.uid;
  if (uid.empty()) uid = first_item(in.get(ZField::conn_uids));
  if (uid.empty()) {
    skips.add("zeek files (no connection uid)");
    return nullptr;
  }
  assign_capped(r.uid, uid, kMaxFlowText);
  r.orig_h = in.have_orig_h ? in.orig_h : IpAddr{};
  r.resp_h = in.have_resp_h ? in.resp_h : IpAddr{};
  r.tx = IpAddr{};
  if (const std::string_view tx = first_item(in.get(ZField::tx_hosts)); !tx.empty() && !parse_ip(tx, r.tx))
    return "zeek files: bad tx_hosts";
  const std::string_view o = in.get(ZField::is_orig);
  r.is_orig = o == "T" || o == "true" ? 1 : o == "F" || o == "false" ? 0 : -1;
  if (!parse_count(in.get(ZField::seen_bytes), r.seen_bytes)) return "zeek files: bad seen_bytes";
  if (!parse_count(in.get(ZField::total_bytes), r.total_bytes)) return "zeek files: bad total_bytes";
  assign_capped(r.mime_type, in.get(ZField::mime_type), kMaxFlowText);
  assign_capped(r.filename, in.get(ZField::filename), kMaxFlowText);
  ctx.sink.on_file(r);
  ++ctx.stats.files;
  return nullptr;
}

}  // namespace

std::string_view http_host_name(std::string_view h) {
  h = trim_spaces(h);
  if (h.empty()) return h;
  IpAddr ip;
  if (h.front() == '[') return {};  // [v6]:port
  if (const size_t c = h.rfind(':'); c != std::string_view::npos && h.find(':') == c) {
    const std::string_view port = h.substr(c + 1);
    uint16_t p;
    if (port.empty() || parse_port(port, p)) h = h.substr(0, c);
  }
  if (h.empty() || parse_ip(h, ip)) return {};
  return h;
}

const char* deliver_aux(ZeekLog log, const AuxInput& in, AuxRecords& out, ReadContext& ctx, SkipCounter& skips) {
  switch (log) {
    case ZeekLog::ssl:
    case ZeekLog::http: return app(log, in, out.app, ctx, skips);
    case ZeekLog::dhcp: return dhcp(in, out.dhcp, ctx, skips);
    case ZeekLog::capture_loss: return capture_loss(in, out.loss, ctx);
    case ZeekLog::files: return file(in, out.file, ctx, skips);
    default: return nullptr;
  }
}

}  // namespace outflow::flowread
