#include "outflow/read/suricata/eve_flow.h"

#include <utility>

namespace outflow::suricata {

namespace {

bool service_port(uint16_t p) { return p != 0 && p < 1024; }

}  // namespace

bool eve_ports(const EveEvent& ev, FlowRecord& f) {
  f.proto = ev.proto.empty() ? 0 : parse_proto(ev.proto);
  if (f.proto == 0 && !ev.proto.empty()) return false;
  if (f.proto == kProtoIcmp || f.proto == kProtoIcmp6) {
    f.orig_p = ev.icmp_type >= 0 ? static_cast<uint16_t>(ev.icmp_type) : 0;
    f.resp_p = ev.icmp_code >= 0 ? static_cast<uint16_t>(ev.icmp_code) : 0;
  } else {
    f.orig_p = ev.src_port;  // 0 when the protocol has none (GRE, ESP...)
    f.resp_p = ev.dest_port;
  }
  return true;
}

bool midstream_swap(const EveEvent& ev, FlowRecord& f) {
  if (f.proto != kProtoTcp && f.proto != kProtoUdp) return false;
  if (!service_port(f.orig_p) || service_port(f.resp_p) || f.resp_p == 0) return false;
  if (f.proto == kProtoTcp && ev.have_tcp_flags && ev.syn_toserver) return false;  // src opened it
  std::swap(f.orig_h, f.resp_h);
  std::swap(f.orig_p, f.resp_p);
  std::swap(f.orig_bytes, f.resp_bytes);
  std::swap(f.orig_pkts, f.resp_pkts);
  std::swap(f.orig_bytes_unknown, f.resp_bytes_unknown);
  return true;
}

int8_t file_sent_by_client(const EveEvent& ev) {
  if (ev.direction == "to_server") return 1;
  if (ev.direction == "to_client") return 0;
  if (service_port(ev.dest_port) && !service_port(ev.src_port)) return 1;
  if (service_port(ev.src_port) && !service_port(ev.dest_port)) return 0;
  return -1;
}

}  // namespace outflow::suricata
