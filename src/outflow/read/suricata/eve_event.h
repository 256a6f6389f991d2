// One Suricata EVE event as the reader's single pass over its keys collects it. String views
// point into the line or simdjson's string buffer: valid until the next line.
#pragma once
#include <cstdint>
#include <string_view>

#include "outflow/core/ip.h"
#include "outflow/core/time.h"

namespace outflow::suricata {

// The `flow` object of flow (and alert) events, and `netflow`'s (pkts / bytes: one direction).
struct EveFlow {
  bool present = false;
  uint64_t pkts_toserver = 0, pkts_toclient = 0, bytes_toserver = 0, bytes_toclient = 0;
  bool have_pkts_toserver = false, have_pkts_toclient = false, have_bytes = false;
  std::string_view start, end, state, reason;
};

struct EveDns {
  bool present = false;
  int version = 0;
  std::string_view type;    // query / answer (v1, v2), request / response (v3)
  std::string_view rrname;  // the query's name (v1, v2: at the top; v3: queries[0])
  std::string_view rrtype;
  uint64_t id = 0;
  // Answers go straight into the reader's DnsAnswer (addresses, the first name).
};

struct EveTls {
  bool present = false;
  std::string_view sni, ja3, ja3s, ja4;
};

struct EveHttp {
  bool present = false, have_hostname = false;
  std::string_view hostname, url, method, user_agent;
  uint64_t status = 0, length = 0;
};

struct EveFileinfo {
  bool present = false;
  uint64_t size = 0;
  bool have_size = false;
  std::string_view filename, mimetype;
};

struct EveAlert {
  bool present = false;
  std::string_view signature, category, action;
  uint64_t signature_id = 0, severity = 0;
};

struct EveStats {
  bool present = false;
  uint64_t uptime = 0, kernel_packets = 0, kernel_drops = 0;
  bool have_capture = false;
};

// The top-level fields (cleared for every line).
struct EveHead {
  std::string_view timestamp, event_type, src_ip, dest_ip, proto, app_proto, community_id, sensor, direction;
  std::string_view flow_id;  // the number's digits
  uint16_t src_port = 0, dest_port = 0;
  bool have_src_port = false, have_dest_port = false;
  int icmp_type = -1, icmp_code = -1;
  // TCP flags the side that sent first (toserver) used, when Suricata logged them ("tcp" object).
  bool have_tcp_flags = false, syn_toserver = false;
};

struct EveEvent : EveHead {
  EveFlow flow, netflow;
  EveDns dns;
  EveTls tls;
  EveHttp http;
  EveFileinfo fileinfo;
  EveAlert alert;
  EveStats stats;

  // As a fresh EveEvent{}: the head, and each object the last line had (an object's `present`
  // is set before any of its fields). Zeroing the whole ~1 KiB event per line was a fifth of
  // the parser's own time.
  void clear() {
    static_cast<EveHead&>(*this) = EveHead{};
    clear_if(flow);
    clear_if(netflow);
    clear_if(dns);
    clear_if(tls);
    clear_if(http);
    clear_if(fileinfo);
    clear_if(alert);
    clear_if(stats);
  }

 private:
  template <class T>
  static void clear_if(T& x) {
    if (x.present) x = T{};
  }
};

}  // namespace outflow::suricata
