#include "outflow/read/zeek/zeek_fields.h"

namespace outflow::flowread {

ZField zeek_field(std::string_view n) {
  // "id.orig_h" and "id_orig_h" are the same field (JSON exporters and Elastic pipelines
  // rewrite the dot).
  if (n.size() == 9 && n[0] == 'i' && n[1] == 'd' && (n[2] == '.' || n[2] == '_')) {
    const std::string_view rest = n.substr(3);
    if (rest == "orig_h") return ZField::orig_h;
    if (rest == "orig_p") return ZField::orig_p;
    if (rest == "resp_h") return ZField::resp_h;
    if (rest == "resp_p") return ZField::resp_p;
    return ZField::none;
  }
  switch (n.size()) {
    case 2:
      if (n == "ts") return ZField::ts;
      break;
    case 3:
      if (n == "uid") return ZField::uid;
      if (n == "ja3") return ZField::ja3;
      if (n == "uri") return ZField::uri;
      if (n == "mac") return ZField::mac;
      break;
    case 4:
      if (n == "ja3s") return ZField::ja3s;
      if (n == "host") return ZField::host;
      if (n == "peer") return ZField::peer;
      if (n == "gaps") return ZField::gaps;
      if (n == "acks") return ZField::acks;
      break;
    case 5:
      if (n == "proto") return ZField::proto;
      if (n == "query") return ZField::query;
      if (n == "qtype") return ZField::qtype;
      if (n == "_path") return ZField::path;
      if (n == "curve") return ZField::ssl_marker;
      break;
    case 6:
      if (n == "method") return ZField::method;
      if (n == "cipher") return ZField::ssl_marker;
      break;
    case 7:
      if (n == "call_id") return ZField::sip_marker;
      if (n == "is_orig") return ZField::is_orig;
      if (n == "service") return ZField::service;
      if (n == "history") return ZField::history;
      if (n == "answers") return ZField::answers;
      if (n == "resumed") return ZField::ssl_marker;
      break;
    case 8:
      if (n == "duration") return ZField::duration;
      if (n == "ts_delta") return ZField::ts_delta;
      if (n == "tx_hosts") return ZField::tx_hosts;
      if (n == "filename") return ZField::filename;
      break;
    case 9:
      if (n == "orig_pkts") return ZField::orig_pkts;
      if (n == "resp_pkts") return ZField::resp_pkts;
      if (n == "host_name") return ZField::host_name;
      if (n == "conn_uids") return ZField::conn_uids;
      if (n == "mime_type") return ZField::mime_type;
      break;
    case 10:
      if (n == "orig_bytes") return ZField::orig_bytes;
      if (n == "resp_bytes") return ZField::resp_bytes;
      if (n == "seen_bytes") return ZField::seen_bytes;
      if (n == "conn_state") return ZField::conn_state;
      if (n == "_node_name") return ZField::node_name;
      if (n == "user_agent") return ZField::user_agent;
      break;
    case 11:
      if (n == "server_name") return ZField::server_name;
      if (n == "total_bytes") return ZField::total_bytes;
      if (n == "status_code") return ZField::status_code;
      if (n == "trans_depth") return ZField::trans_depth;
      if (n == "client_fqdn") return ZField::client_fqdn;
      if (n == "client_addr") return ZField::client_addr;
      if (n == "assigned_ip") return ZField::assigned_addr;  // Bro 2.5
      if (n == "established") return ZField::ssl_marker;
      break;
    case 12:
      if (n == "community_id") return ZField::community_id;
      if (n == "percent_lost") return ZField::percent_lost;
      if (n == "missed_bytes") return ZField::missed_bytes;
      break;
    case 13:
      if (n == "orig_ip_bytes") return ZField::orig_ip_bytes;
      if (n == "resp_ip_bytes") return ZField::resp_ip_bytes;
      if (n == "assigned_addr") return ZField::assigned_addr;
      break;
    case 16:
      if (n == "request_body_len") return ZField::request_body_len;
      break;
    case 17:
      if (n == "response_body_len") return ZField::response_body_len;
      break;
    default:
      break;
  }
  return ZField::none;
}

ZeekLog zeek_log_from_path(std::string_view p) {
  if (p.empty()) return ZeekLog::none;
  if (p == "conn" || p == "conn_long") return ZeekLog::conn;
  if (p == "open_conn") return ZeekLog::open_conn;
  if (p == "dns") return ZeekLog::dns;
  if (p == "ssl" || p == "open_ssl") return ZeekLog::ssl;
  if (p == "http" || p == "open_http") return ZeekLog::http;
  if (p == "dhcp") return ZeekLog::dhcp;
  if (p == "capture_loss") return ZeekLog::capture_loss;
  if (p == "files") return ZeekLog::files;
  return ZeekLog::other;
}

bool zeek_log_known(std::string_view n) {
  static constexpr std::string_view kKnown[] = {
      "conn", "conn_long", "open_conn", "dns", "ssl", "open_ssl", "http", "open_http", "dhcp", "capture_loss",
      "files", "x509", "weird", "weird_stats", "pe", "dpd", "notice", "notice_alarm", "kerberos", "dce_rpc",
      "smb_files", "smb_mapping", "smb_cmd", "ntlm", "analyzer", "packet_filter", "stats", "loaded_scripts",
      "known_hosts", "known_services", "known_certs", "known_devices", "known_modbus", "software", "tunnel",
      "ntp", "sip", "snmp", "ssh", "radius", "rdp", "reporter", "conn-summary", "ocsp", "modbus",
      "modbus_register_change", "mysql", "ftp", "irc", "smtp", "syslog", "socks", "dnp3", "arp", "broker",
      "cluster", "config", "intel", "signatures", "traceroute", "print", "netcontrol", "netcontrol_drop",
      "netcontrol_shunt", "openflow", "quic", "mqtt_connect", "mqtt_publish", "mqtt_subscribe", "bacnet",
      "enip", "s7comm", "telemetry", "unified2", "websocket", "ldap", "ldap_search", "postgresql", "redis",
      "spicy", "dce_rpc_stats", "cip", "tds"};
  for (std::string_view k : kKnown)
    if (k == n) return true;
  return false;
}

ZeekLog zeek_log_of_head(std::string_view head, InputFormat format, std::string_view file) {
  const auto line_rest = [&](size_t at) {
    const size_t e = head.find('\n', at);
    std::string_view v = head.substr(at, e == std::string_view::npos ? std::string_view::npos : e - at);
    while (!v.empty() && (v.back() == '\r' || v.back() == ' ')) v.remove_suffix(1);
    return v;
  };
  if (format == InputFormat::zeek_tsv) {
    const size_t p = head.find("\n#path");
    if (p != std::string_view::npos && p + 7 < head.size()) return zeek_log_from_path(line_rest(p + 7));
  } else if (format == InputFormat::zeek_json) {
    const std::string_view first = head.substr(0, head.find('\n'));
    const size_t p = first.find("\"_path\"");
    if (p != std::string_view::npos) {
      const size_t q = first.find('"', first.find(':', p + 7) + 1);
      const size_t e = q == std::string_view::npos ? q : first.find('"', q + 1);
      if (e != std::string_view::npos) return zeek_log_from_path(first.substr(q + 1, e - q - 1));
    }
  } else {
    return ZeekLog::none;
  }
  if (const std::string_view n = zeek_log_from_file_name(file); !n.empty()) return zeek_log_from_path(n);
  if (format != InputFormat::zeek_json) return ZeekLog::none;
  const std::string_view first = head.substr(0, head.find('\n'));
  const auto has = [&](const char* k) { return first.find(k) != std::string_view::npos; };
  if (has("\"query\"") || has("\"answers\"")) return ZeekLog::dns;
  if (has("\"conn_state\"") || has("\"orig_bytes\"")) return ZeekLog::conn;
  if (has("\"server_name\"") || has("\"ja3\"")) return ZeekLog::ssl;
  if (has("\"method\"") || has("\"trans_depth\"")) return ZeekLog::http;
  if (has("\"assigned_addr\"") || has("\"host_name\"")) return ZeekLog::dhcp;
  if (has("\"percent_lost\"")) return ZeekLog::capture_loss;
  if (has("\"seen_bytes\"") && (has("\"conn_uids\"") || has("\"is_orig\""))) return ZeekLog::files;
  return ZeekLog::none;
}

std::string_view zeek_log_from_file_name(std::string_view file) {
  const size_t slash = file.find_last_of('/');
  std::string_view base = slash == std::string_view::npos ? file : file.substr(slash + 1);
  base = base.substr(0, base.find('.'));
  return zeek_log_known(base) ? base : std::string_view{};
}

}  // namespace outflow::flowread

namespace outflow {

bool read_zeek_text(LineReader& lines, ReadContext& ctx) {
  std::string_view line;
  uint64_t n = 0;
  for (;;) {
    const LineReader::Status st = lines.next(line);
    if (st == LineReader::Status::end) break;
    if (st == LineReader::Status::error) return false;
    if (st == LineReader::Status::too_long || !line.empty()) ++n;
  }
  flowread::UnusedLogs unused;
  unused.add(flowread::zeek_log_from_file_name(ctx.file), n);
  unused.flush(ctx);
  return true;
}

}  // namespace outflow
