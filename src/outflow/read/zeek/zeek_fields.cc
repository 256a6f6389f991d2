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
      break;
    case 5:
      if (n == "proto") return ZField::proto;
      if (n == "query") return ZField::query;
      if (n == "_path") return ZField::path;
      break;
    case 7:
      if (n == "service") return ZField::service;
      if (n == "history") return ZField::history;
      if (n == "answers") return ZField::answers;
      break;
    case 8:
      if (n == "duration") return ZField::duration;
      break;
    case 9:
      if (n == "orig_pkts") return ZField::orig_pkts;
      if (n == "resp_pkts") return ZField::resp_pkts;
      break;
    case 10:
      if (n == "orig_bytes") return ZField::orig_bytes;
      if (n == "resp_bytes") return ZField::resp_bytes;
      if (n == "conn_state") return ZField::conn_state;
      if (n == "_node_name") return ZField::node_name;
      break;
    case 12:
      if (n == "community_id") return ZField::community_id;
      break;
    case 13:
      if (n == "orig_ip_bytes") return ZField::orig_ip_bytes;
      if (n == "resp_ip_bytes") return ZField::resp_ip_bytes;
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
  return ZeekLog::other;
}

}  // namespace outflow::flowread
