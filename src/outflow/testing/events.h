// Test helpers: normalized events and flow records built in code, for the join's tests.
#pragma once
#include "outflow/model/events.h"
#include "outflow/testing/collect_sink.h"

namespace outflow::testing {

// What every Sysmon event has.
inline HostEvent sysmon(HostEventType type, uint16_t id, const char* host, const char* guid, TimeNs t) {
  HostEvent e;
  e.type = type;
  e.event_id = id;
  e.host = host;
  e.process_guid = guid;
  e.time = t;
  return e;
}

inline HostEvent start(const char* host, const char* guid, const char* parent_guid, const char* image,
                const char* parent_image, TimeNs t) {
  HostEvent e = sysmon(HostEventType::process_start, 1, host, guid, t);
  e.parent_guid = parent_guid;
  e.image = image;
  e.parent_image = parent_image;
  e.user = "NT AUTHORITY\\SYSTEM";
  return e;
}

inline HostEvent end(const char* host, const char* guid, TimeNs t) {
  return sysmon(HostEventType::process_end, 5, host, guid, t);
}

inline HostEvent connect(const char* host, const char* guid, const char* src, uint16_t sport, const char* dst, uint16_t dport, TimeNs t) {
  HostEvent e = sysmon(HostEventType::net_connect, 3, host, guid, t);
  e.src_ip = ip(src);
  e.dst_ip = ip(dst);
  e.src_port = sport;
  e.dst_port = dport;
  e.proto = kProtoTcp;
  e.initiated = 1;
  return e;
}

inline FlowRecord netflow(const char* sa, uint16_t sp, const char* da, uint16_t dp, TimeNs ts, TimeNs te, uint64_t bytes) {
  FlowRecord f;
  f.source = FlowSource::nfdump;
  f.bidirectional = false;
  f.orig_h = ip(sa);
  f.resp_h = ip(da);
  f.orig_p = sp;
  f.resp_p = dp;
  f.proto = kProtoTcp;
  f.start = ts;
  f.end = te;
  f.orig_bytes = bytes;
  f.orig_pkts = 1;
  f.sensor = "s1";
  return f;
}

}  // namespace outflow::testing
