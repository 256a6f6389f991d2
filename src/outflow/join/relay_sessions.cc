// Proxied sessions linked to the proxy's own connection out (join/relay_link.h; docs/proxies.md).
//
// Order: inputs are read merged by time, flow records by their end (Squid's records too: written
// when the request ends). A client leg and its outer leg end within moments of each other, so
// either may come first: a proxied session reaching the join (SessionPipeline::emit) before the
// reader's clock passed its end + kRelayLate is held until then (or the end of input), then
// linked; relayed flows are kept kRelayKeep after they arrived (+ the sensor merge's hold, when
// it holds sessions back). A session already past that point is linked at once. All of it only
// once a relayed flow was read: before, nothing is held and nothing is looked up.
#include "outflow/join/pipeline.h"

namespace outflow {

namespace {
bool snapshot(const FlowRecord& f) {
  return f.interim || f.source == FlowSource::zeek_open_conn || f.source == FlowSource::suricata_open;
}
}  // namespace

void SessionPipeline::add_relayed(const FlowRecord& f) {
  if (!relay_on_) {
    relay_on_ = true;
    relay_tick(f.end != kNoTime ? f.end : f.start);
  }
  RelayLinks& links = proxies_.relay;
  if (snapshot(f)) {  // its final record comes later
    ++links.counts().interim;
    return;
  }
  RelayedFlow r;
  r.proxy = f.orig_h, r.dest = f.resp_h, r.dest_port = f.resp_p, r.proto = f.proto;
  r.start = f.start != kNoTime ? f.start : f.end;
  r.end = f.end;
  r.out = f.orig_bytes, r.in = f.resp_bytes, r.out_pkts = f.orig_pkts, r.in_pkts = f.resp_pkts;
  const bool zeek = f.source == FlowSource::zeek_conn;
  r.ip_bytes = !zeek;
  // A Zeek sensor that saw none of the proxy's packets (one-sided) did not count its bytes.
  const bool unseen_out = zeek && f.orig_pkts == 0 && f.resp_pkts > 0;
  r.out_known = !f.bytes_unknown && !f.orig_bytes_unknown && !unseen_out;
  r.in_known = !f.bytes_unknown && !f.resp_bytes_unknown;
  if (!f.uid.empty()) {
    // The outside sensor's ssl/http records name the destination (SNI, Host); its session is
    // never made, so what was kept for it goes now.
    Session key;
    key.orig_h = f.orig_h, key.resp_h = f.resp_h, key.orig_p = f.orig_p, key.resp_p = f.resp_p, key.proto = f.proto;
    key.start = r.start, key.end = f.end, key.uid = f.uid;
    r.name = index_.apps().conn_name(key);
    index_.apps().forget(key);
  }
  links.add(std::move(r), relay_clock_);
}

void SessionPipeline::relay_tick(TimeNs t) {
  if (!in_record_range(t) || (relay_clock_ != kNoTime && t <= relay_clock_)) return;  // (a wild time: not a clock)
  relay_clock_ = t;
  if (!relay_held_.empty()) release_relayed(false);
  // Forgotten by the stitcher's clock (the highest flow end it saw), the one the sensor merge
  // holds sessions by: a session still to come left the stitcher no earlier than that clock minus
  // the merge's hold. The reader's clock runs ahead of it when flows are sparse (measured on the
  // simulator: sessions came out of the merge 1 h 46 min of reader time after their end).
  if (const TimeNs w = stitcher_.watermark(); in_record_range(w))
    proxies_.relay.expire(w - kRelayKeep - (merge_engaged_ ? relay_merge_hold_ : 0));
}

bool SessionPipeline::hold_for_relay(Session& s) {
  // A client leg goes to a proxy inside (a cloud proxy's outer legs are no sensor's here): a
  // session to a public address needs no lookup.
  if (!s.resp_h.is_unset() && !s.resp_h.is_private()) return false;
  const AppNames::ConnApp* c = index_.apps().conn(s);
  if (!c || c->proxy_host == AppNames::kNone) return false;
  const TimeNs end = s.end != kNoTime ? s.end : s.start;
  if (relay_finishing_ || !in_record_range(end) || (relay_clock_ != kNoTime && relay_clock_ >= end + kRelayLate)) {
    link_relay(s, *c);
    return false;
  }
  relay_held_.push_back(std::move(s));
  if (relay_held_.size() > kMaxRelayHeld) {
    ++proxies_.relay.counts().sessions_held_early;
    Session first = std::move(relay_held_.front());
    relay_held_.pop_front();
    if (const AppNames::ConnApp* fc = index_.apps().conn(first)) link_relay(first, *fc);
    deliver(std::move(first));
  }
  return true;
}

void SessionPipeline::release_relayed(bool all) {
  relay_finishing_ |= all;
  while (!relay_held_.empty()) {
    Session& s = relay_held_.front();
    const TimeNs end = s.end != kNoTime ? s.end : s.start;
    if (!all && in_record_range(end) && relay_clock_ < end + kRelayLate) break;  // in arrival order: the next ones end later, mostly
    Session ready = std::move(s);
    relay_held_.pop_front();
    if (const AppNames::ConnApp* c = index_.apps().conn(ready)) link_relay(ready, *c);
    deliver(std::move(ready));
  }
}

void SessionPipeline::link_relay(Session& s, const AppNames::ConnApp& c) {
  const AppNames& apps = index_.apps();
  ClientLeg leg;
  leg.proxy = s.resp_h;
  const std::string& host = apps.name(c.proxy_host);
  if (!IpAddr::parse(host, leg.named_ip)) leg.name = host;
  leg.port = c.proxy_port ? c.proxy_port : 443;  // "CONNECT host" without a port: HTTPS's (features/proxy_dest.cc)
  leg.proto = s.proto;
  leg.start = s.start;
  leg.out = s.orig_bytes, leg.in = s.resp_bytes;
  leg.out_known = !s.orig_unknown && !s.bytes_not_logged;
  leg.in_known = !s.resp_unknown && !s.bytes_not_logged;
  RelayLinks& links = proxies_.relay;
  const RelayedFlow* f = links.link(leg, [this](const IpAddr& ip, std::string_view name) { return index_.resolved_to(ip, name); });
  if (!f) return;
  s.relay_h = f->dest;
  // Unknown bytes out (Squid's native format does not log the upload): the outer leg's, marked
  // as such. Known ones stay: the outer leg's are never added to them.
  if (s.orig_unknown && !s.bytes_not_logged && f->out_known) {
    s.orig_bytes = f->out;
    s.orig_unknown = false;
    s.gap = VolumeGap::none;
    s.orig_from_relay = true;
    ++links.counts().bytes_filled;
  }
}

}  // namespace outflow
