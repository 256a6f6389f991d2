// Squid access.log records in the join. With a sensor in front of the proxy (Zeek conn/http, or
// flows to a configured proxy), the client's transfers are already sessions, named by http.log:
// a Squid record of a client that sensor saw is the same transfer and is counted, not added.
// Without one, each request is a session of its own: client[:port] -> the proxy (the one
// configured, when there is exactly one; else no address), to the host the request named;
// duration from the elapsed time; bytes in = bytes_to_client, bytes out = bytes_from_client when
// the format logs it, else unknown (never 0). Denied requests moved nothing: not sessions.
// The dedupe relies on time-merged reading (the default): a leg's conn and http records carry
// the request's start, the Squid record its end, so the sensor's come first.
#include "outflow/join/pipeline.h"

namespace outflow {

void SessionPipeline::on_proxy(const ProxyRecord& p) {
  ProxyFinder& f = proxies_;
  ++f.squid_records;
  if (relay_on_) relay_tick(p.end);
  if (p.host.empty() || p.end == kNoTime || p.client.is_unset() || p.result.find("DENIED") != std::string::npos) {
    ++f.squid_unused;
    return;
  }
  if (f.sensor_saw(p.client)) {
    ++f.squid_seen_by_sensor;
    return;
  }
  Session s;
  s.orig_h = p.client;
  s.orig_p = p.client_port;
  if (const ProxyAddress* c = f.single_configured()) s.resp_h = c->ip, s.resp_p = c->port;
  s.proto = kProtoTcp;
  s.start = p.start != kNoTime ? p.start : p.end;
  s.end = p.end;
  s.resp_bytes = p.bytes_to_client;
  s.orig_bytes = p.bytes_from_client;
  s.orig_unknown = !p.bytes_from_client_known;
  if (s.orig_unknown) s.gap = VolumeGap::not_logged;
  s.records = 1;
  s.source = FlowSource::other;
  s.sensor = p.proxy;
  s.uid = "squid-" + std::to_string(++squid_uids_);
  index_.apps().add_proxied(s.uid, FlowKey::make(s.orig_h, s.orig_p, s.resp_h, s.resp_p, s.proto), s.start, p.host, p.port);
  ++f.squid_sessions;
  emit(std::move(s));
}

}  // namespace outflow
