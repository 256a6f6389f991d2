#include "outflow/model/events.h"
#include "outflow/model/session.h"

#include <charconv>

namespace outflow {

const char* proto_name(uint8_t proto) {
  switch (proto) {
    case kProtoTcp: return "tcp";
    case kProtoUdp: return "udp";
    case kProtoIcmp: return "icmp";
    case kProtoIcmp6: return "ipv6-icmp";
    case 0: return "unknown";
    default: return "other";
  }
}

uint8_t parse_proto(std::string_view s) {
  auto eq = [&](std::string_view w) {
    if (s.size() != w.size()) return false;
    for (size_t i = 0; i < s.size(); ++i)
      if ((s[i] | 0x20) != w[i]) return false;
    return true;
  };
  if (eq("tcp")) return kProtoTcp;
  if (eq("udp")) return kProtoUdp;
  if (eq("icmp")) return kProtoIcmp;
  if (eq("icmp6") || eq("ipv6-icmp") || eq("icmpv6")) return kProtoIcmp6;
  unsigned v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc() && p == s.data() + s.size() && v > 0 && v < 256) return static_cast<uint8_t>(v);
  return 0;
}

const char* time_field_name(TimeField f) {
  switch (f) {
    case TimeField::utc_time: return "UtcTime";
    case TimeField::system_time: return "SystemTime";
    case TimeField::timestamp: return "@timestamp";
    case TimeField::time_generated: return "TimeGenerated";
    case TimeField::event_time: return "EventTime";
    default: return "none";
  }
}

const char* volume_gap_reason(VolumeGap g) {
  switch (g) {
    case VolumeGap::zeek_one_sided:
      return "the sensor saw no packet of this side while the other side's show it took part (Zeek SHR/OTH, "
             "history without its letters): TX checksum offload or a one-way SPAN";
    case VolumeGap::netflow_one_direction:
      return "only the other direction of this TCP conversation was exported (asymmetric routing or a one-way exporter)";
    case VolumeGap::impossible_count:
      return "the sensor's byte count for this side was more than its packets can carry (Zeek's size from sequence "
             "numbers after a broken handshake, or a corrupt export): taken as unknown";
    case VolumeGap::not_logged:
      return "the log has no byte count for this connection (pfirewall.log logs one packet's size; a firewall "
             "row without sent/received bytes)";
    case VolumeGap::none: break;
  }
  return "";
}

const char* flow_source_name(FlowSource s) {
  switch (s) {
    case FlowSource::zeek_conn: return "zeek_conn";
    case FlowSource::zeek_open_conn: return "zeek_open_conn";
    case FlowSource::nfdump: return "nfdump";
    case FlowSource::panos: return "panos";
    case FlowSource::fortigate: return "fortigate";
    case FlowSource::winfw: return "winfw";
    case FlowSource::suricata: return "suricata";
    case FlowSource::suricata_open: return "suricata_open";
    case FlowSource::suricata_netflow: return "suricata_netflow";
    default: return "other";
  }
}

const char* flow_verdict_name(FlowVerdict v) {
  switch (v) {
    case FlowVerdict::allowed: return "allowed";
    case FlowVerdict::denied: return "denied";
    default: return "unknown";
  }
}

const char* app_kind_name(AppKind k) { return k == AppKind::ssl ? "ssl" : "http"; }

}  // namespace outflow
