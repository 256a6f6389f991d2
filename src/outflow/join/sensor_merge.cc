#include "outflow/join/sensor_merge.h"

#include <algorithm>

namespace outflow {

namespace {

bool both_directions(const Session& s) {
  return !s.orig_unknown && !s.resp_unknown && !s.bytes_not_logged && s.seen_orig_dir && s.seen_resp_dir;
}

// A sensor with a uid other records join by (Zeek's ssl, http and files logs).
bool flow_sensor(const Session& s) { return !firewall_source(s.source) && !s.uid.empty(); }

void adopt_tuple(Session& into, const Session& from) {
  into.orig_h = from.orig_h, into.resp_h = from.resp_h, into.orig_p = from.orig_p, into.resp_p = from.resp_p;
}

void adopt_volume(Session& into, const Session& from) {
  into.orig_bytes = from.orig_bytes, into.resp_bytes = from.resp_bytes;
  into.orig_pkts = from.orig_pkts, into.resp_pkts = from.resp_pkts;
  into.orig_ip_bytes = from.orig_ip_bytes;
  into.seen_orig_dir = from.seen_orig_dir, into.seen_resp_dir = from.seen_resp_dir;
  into.orig_unknown = from.orig_unknown, into.resp_unknown = from.resp_unknown;
  into.gap = from.gap, into.bytes_not_logged = from.bytes_not_logged;
  into.source = from.source, into.sensor = from.sensor;
}

// The initiator's address and port as a sensor beyond the firewall's NAT saw them.
void post_nat_orig(const Session& s, IpAddr& ip, uint16_t& port) {
  ip = s.fw.nat_orig_h.is_unset() ? s.orig_h : s.fw.nat_orig_h;
  port = s.fw.nat_orig_p ? s.fw.nat_orig_p : s.orig_p;
}

// Turns `from` round when its initiator is `into`'s responder (a midstream pickup swaps them).
void orient_like(Session& from, const Session& into, bool by_nat) {
  IpAddr fo = from.orig_h, io = into.orig_h;
  uint16_t fop = from.orig_p, iop = into.orig_p;
  if (by_nat && from.fw.has_nat && !into.fw.has_nat) post_nat_orig(from, fo, fop);
  if (by_nat && into.fw.has_nat && !from.fw.has_nat) post_nat_orig(into, io, iop);
  if (fo == io && fop == iop) return;
  std::swap(from.orig_h, from.resp_h);
  std::swap(from.orig_p, from.resp_p);
  std::swap(from.orig_bytes, from.resp_bytes);
  std::swap(from.orig_pkts, from.resp_pkts);
  std::swap(from.seen_orig_dir, from.seen_resp_dir);
  std::swap(from.orig_unknown, from.resp_unknown);
  from.orig_ip_bytes = 0;  // the other side's: not known
}

}  // namespace

bool SensorMerge::post_nat_key(const Session& s, FlowKey& out) {
  if (!s.fw.has_nat) return false;
  const IpAddr& o = s.fw.nat_orig_h.is_unset() ? s.orig_h : s.fw.nat_orig_h;
  const IpAddr& r = s.fw.nat_resp_h.is_unset() ? s.resp_h : s.fw.nat_resp_h;
  const uint16_t op = s.fw.nat_orig_p ? s.fw.nat_orig_p : s.orig_p, rp = s.fw.nat_resp_p ? s.fw.nat_resp_p : s.resp_p;
  out = FlowKey::make(o, op, r, rp, s.proto);
  return !(out == FlowKey::make(s.orig_h, s.orig_p, s.resp_h, s.resp_p, s.proto));
}

void SensorMerge::merge_into(Session& into, Session&& from, bool by_nat) {
  orient_like(from, into, by_nat);
  // The pre-NAT 5-tuple is the one the host's events name: the firewall's, when the match was
  // on its post-NAT one.
  if (by_nat && from.fw.has_nat && !into.fw.has_nat) adopt_tuple(into, from);
  const bool from_better = both_directions(from) != both_directions(into)
                               ? both_directions(from)
                               : from.orig_bytes + from.resp_bytes > into.orig_bytes + into.resp_bytes;
  const FlowSource other = from_better ? into.source : from.source;
  // Zeek's uid and state: its ssl, http and files records join by uid (decided before the
  // volume's source is taken over).
  const bool take_uid = !flow_sensor(into) && flow_sensor(from);
  if (from_better) adopt_volume(into, from);
  if (take_uid) {
    into.uid = std::move(from.uid);
    into.conn_state = std::move(from.conn_state);
    into.history = std::move(from.history);
  }
  if (into.service.empty()) into.service = std::move(from.service);
  into.fw.take(from.fw);
  if (from.start != kNoTime && (into.start == kNoTime || from.start < into.start)) into.start = from.start;
  if (from.end != kNoTime && (into.end == kNoTime || from.end > into.end)) into.end = from.end;
  into.records += from.records;
  into.sensors += from.sensors;
  into.merged = true;
  into.merged_source = other;
  into.merged_by_nat |= by_nat;
}

void SensorMerge::index(uint64_t seq) {
  const Session& s = queue_[seq - base_].s;
  by_key_.emplace(FlowKey::make(s.orig_h, s.orig_p, s.resp_h, s.resp_p, s.proto), seq);
  if (FlowKey nat; post_nat_key(s, nat)) by_key_.emplace(nat, seq);
}

void SensorMerge::unindex(uint64_t seq) {
  const Session& s = queue_[seq - base_].s;
  FlowKey keys[2];
  int n = 0;
  keys[n++] = FlowKey::make(s.orig_h, s.orig_p, s.resp_h, s.resp_p, s.proto);
  if (post_nat_key(s, keys[n])) ++n;
  for (int i = 0; i < n; ++i) {
    auto [b, e] = by_key_.equal_range(keys[i]);
    for (auto it = b; it != e; ++it)
      if (it->second == seq) {
        by_key_.erase(it);
        break;
      }
  }
}

SensorMerge::Held* SensorMerge::find_match(const Session& s, const FlowKey& key, uint64_t& seq) {
  auto [b, e] = by_key_.equal_range(key);
  for (auto it = b; it != e; ++it) {
    Held& h = queue_[it->second - base_];
    const Session& o = h.s;
    // One sensor's records (one kind, one name: a file's flow and netflow events, open and
    // final records) are separate connections here: the stitcher made its sessions.
    if (sensor_kind(o.source) == sensor_kind(s.source) && o.sensor == s.sensor) continue;
    const TimeNs ss = s.start, se = s.end != kNoTime ? s.end : s.start;
    const TimeNs os = o.start, oe = o.end != kNoTime ? o.end : o.start;
    if (ss == kNoTime || os == kNoTime) continue;
    if (ss > oe + opt_.slack || se + opt_.slack < os) continue;
    seq = it->second;
    return &h;
  }
  return nullptr;
}

void SensorMerge::add(Session&& s, TimeNs clock) {
  const FlowKey key = FlowKey::make(s.orig_h, s.orig_p, s.resp_h, s.resp_p, s.proto);
  uint64_t seq = 0;
  bool by_nat = false;
  Held* h = find_match(s, key, seq);
  if (FlowKey nat; !h && post_nat_key(s, nat)) {
    h = find_match(s, nat, seq);
    by_nat = h != nullptr;
  }
  if (h) {
    // A match on the held session's post-NAT key (it is the firewall's) is a NAT match too.
    by_nat |= h->s.fw.has_nat && !(FlowKey::make(h->s.orig_h, h->s.orig_p, h->s.resp_h, h->s.resp_p, h->s.proto) == key);
    unindex(seq);
    merge_into(h->s, std::move(s), by_nat);
    index(seq);
    ++merged_;
    by_nat_ += by_nat;
  } else {
    const TimeNs at = clock != kNoTime ? clock : s.end != kNoTime ? s.end : s.start;
    queue_.push_back(Held{std::move(s), at == kNoTime ? kNoTime : at + opt_.hold});
    index(base_ + queue_.size() - 1);
  }
  release(clock);
}

void SensorMerge::release(TimeNs clock) {
  while (!queue_.empty()) {
    const Held& h = queue_.front();
    const bool due = h.due == kNoTime || (clock != kNoTime && h.due <= clock);
    if (!due && queue_.size() <= opt_.max_held) return;
    if (!due) ++forced_;
    pop_front();
  }
}

void SensorMerge::pop_front() {
  unindex(base_);
  Session s = std::move(queue_.front().s);
  queue_.pop_front();
  ++base_;
  emit_(std::move(s));
}

void SensorMerge::finish() {
  while (!queue_.empty()) pop_front();
}

}  // namespace outflow
