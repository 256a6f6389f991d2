#include "outflow/join/flow_stitcher.h"

#include <algorithm>

namespace outflow {

namespace {

bool service_port(uint16_t p) { return p != 0 && p < 1024; }
bool ephemeral_port(uint16_t p) { return p >= 49152; }

// A record after which nothing more comes for its uid: Zeek's conn.log, a firewall's end-of-
// session log (its start and interim logs are snapshots, like open_conn's).
bool final_record(const FlowRecord& r) {
  return r.source == FlowSource::zeek_conn || r.source == FlowSource::suricata ||
         (firewall_source(r.source) && !r.interim);
}

}  // namespace

void FlowStitcher::finalize_initiator(Session& s) {
  // NetFlow does not say who initiated. Ports tell best: the client uses an ephemeral port, the
  // server a service port. Only when ports do not tell does the earlier record's direction win
  // (which is what the session already holds).
  const bool orig_server = service_port(s.orig_p) && !service_port(s.resp_p);
  const bool resp_server = service_port(s.resp_p) && !service_port(s.orig_p);
  bool flip = orig_server;
  if (!orig_server && !resp_server) flip = ephemeral_port(s.resp_p) && !ephemeral_port(s.orig_p) && s.orig_p != 0;
  if (flip) {
    std::swap(s.orig_h, s.resp_h);
    std::swap(s.orig_p, s.resp_p);
    std::swap(s.orig_bytes, s.resp_bytes);
    std::swap(s.orig_pkts, s.resp_pkts);
    std::swap(s.seen_orig_dir, s.seen_resp_dir);
    std::swap(s.orig_unknown, s.resp_unknown);
  }
  s.initiator_inferred = true;
}

void FlowStitcher::settle_sensors(Open& o) {
  if (o.sensors.empty()) return;
  // The sensor that saw both directions first (a one-way sensor's bytes are a lower bound),
  // then the one that saw most.
  const PerSensor* best = &o.sensors.front();
  for (const auto& x : o.sensors) {
    const bool xb = x.seen_orig && x.seen_resp, bb = best->seen_orig && best->seen_resp;
    if (xb != bb ? xb : x.orig_bytes + x.resp_bytes > best->orig_bytes + best->resp_bytes) best = &x;
  }
  Session& s = o.s;
  s.orig_bytes = best->orig_bytes, s.resp_bytes = best->resp_bytes;
  s.orig_pkts = best->orig_pkts, s.resp_pkts = best->resp_pkts;
  s.seen_orig_dir = best->seen_orig, s.seen_resp_dir = best->seen_resp;
  s.orig_unknown = best->bad_orig, s.resp_unknown = best->bad_resp;
  s.sensor = best->sensor;
  s.sensors = static_cast<uint32_t>(o.sensors.size());
}

void FlowStitcher::init_session(Session& s, const FlowRecord& r) {
  s.orig_h = r.orig_h, s.resp_h = r.resp_h, s.orig_p = r.orig_p, s.resp_p = r.resp_p;
  s.proto = r.proto, s.start = r.start, s.end = r.end != kNoTime ? r.end : r.start;
  s.source = r.source, s.sensor = r.sensor, s.uid = r.uid;
  if (firewall_source(r.source)) s.fw.take(r);
  if (r.bidirectional) {  // Zeek, firewalls: one record has both directions
    s.orig_bytes = r.orig_bytes, s.resp_bytes = r.resp_bytes;
    s.orig_pkts = r.orig_pkts, s.resp_pkts = r.resp_pkts;
    s.orig_ip_bytes = r.orig_ip_bytes;
    s.seen_orig_dir = s.seen_resp_dir = true;
    s.orig_unknown = r.orig_bytes_unknown, s.resp_unknown = r.resp_bytes_unknown;
    s.bytes_not_logged = r.bytes_unknown;
  }
}

void FlowStitcher::mark_unknown_volume(Session& s) {
  // Coming in, orig_unknown / resp_unknown say a record's count was impossible (the reader
  // took it as unknown); a side the sensor did not see is unknown too.
  const bool bad_orig = s.orig_unknown, bad_resp = s.resp_unknown;
  s.orig_unknown = s.resp_unknown = false;
  s.gap = VolumeGap::none;
  if (netflow_source(s.source)) {
    // A TCP conversation has packets both ways: a direction never exported was not seen. (UDP
    // and ICMP can be one-way; an unanswered SYN has a packet or three.)
    if (s.proto == kProtoTcp) {
      if (s.seen_resp_dir && !s.seen_orig_dir) s.orig_unknown = true;
      if (s.seen_orig_dir && !s.seen_resp_dir && s.orig_pkts > 3) s.resp_unknown = true;
      if (s.orig_unknown || s.resp_unknown) s.gap = VolumeGap::netflow_one_direction;
    }
  } else if (s.bytes_not_logged) {  // a firewall log without byte counts: unknown both ways
    s.orig_unknown = s.resp_unknown = true;
    s.gap = VolumeGap::not_logged;
  } else {
    // Zeek: the originator sent no packet the sensor saw, yet the responder answered; or (TCP)
    // the originator acknowledged what the sensor never saw the responder send ('A' in the
    // history with no responder packet).
    if (s.orig_pkts == 0 && s.resp_pkts > 0) s.orig_unknown = true;
    if (s.proto == kProtoTcp && s.resp_pkts == 0 && s.orig_pkts > 0 && s.history.find('A') != std::string::npos)
      s.resp_unknown = true;
    if (s.orig_unknown || s.resp_unknown) s.gap = VolumeGap::zeek_one_sided;
  }
  if ((bad_orig && !s.orig_unknown) || (bad_resp && !s.resp_unknown)) {
    if (s.gap == VolumeGap::none) s.gap = VolumeGap::impossible_count;
    s.orig_unknown |= bad_orig;
    s.resp_unknown |= bad_resp;
  }
}

void FlowStitcher::emit(Open& o, uint64_t uid_hash) {
  settle_sensors(o);
  if (netflow_source(o.s.source)) finalize_initiator(o.s);
  mark_unknown_volume(o.s);
  if (!o.s.uid.empty()) {
    // Remembered for at least `idle` of record time (a late snapshot comes within `idle` of the
    // last update), or until the count cap: memory follows the sessions of the last hours, not
    // of the whole input.
    recent_.add(uid_hash ? uid_hash : std::hash<std::string>()(o.s.uid), watermark_, opt_.idle);
  }
  --open_;
  if (cross_on_ && cross_.duplicate(o.s, watermark_, opt_.idle)) return;  // Zeek and Suricata saw it both
  ++emitted_;
  emit_(std::move(o.s));
}

void FlowStitcher::add(const FlowRecord& r) {
  ++records_;
  const TimeNs end = r.end != kNoTime ? r.end : r.start;
  if (end != kNoTime && (watermark_ == kNoTime || end > watermark_)) watermark_ = end;
  if (!r.bidirectional) add_netflow(r);
  else add_zeek(r);
  maybe_sweep();
}

void FlowStitcher::add_netflow(const FlowRecord& r) {
  const FlowKey key = FlowKey::make(r.orig_h, r.orig_p, r.resp_h, r.resp_p, r.proto);
  auto& list = netflow_[key];
  const TimeNs rs = r.start, re = r.end != kNoTime ? r.end : r.start;
  Open* hit = nullptr;
  for (auto& o : list) {
    if (rs <= o.s.end + opt_.gap && re + opt_.gap >= o.s.start) {
      hit = &o;
      break;
    }
  }
  if (!hit) {
    Open& o = list.emplace_back();
    ++open_;
    init_session(o.s, r);
    hit = &o;
  }
  Session& s = hit->s;
  PerSensor* ps = nullptr;
  for (auto& x : hit->sensors)
    if (x.sensor == r.sensor) ps = &x;
  if (!ps) {
    ps = &hit->sensors.emplace_back();
    ps->sensor = r.sensor;
  }
  // Per-sensor counters are kept in the session's orientation at the time; a later flip of the
  // session swaps them all (see below).
  const bool same_dir = r.orig_h == s.orig_h && r.orig_p == s.orig_p;
  {
    // The same record twice (an export concatenated with itself) must not double the bytes.
    uint64_t h = 0x9E3779B97F4A7C15ULL;
    for (uint64_t v : {static_cast<uint64_t>(rs), static_cast<uint64_t>(re), uint64_t{IpAddrHash()(r.orig_h)},
                       uint64_t{r.orig_p}, r.orig_bytes, r.orig_pkts, r.resp_bytes, r.resp_pkts})
      h = (h ^ v) * 0x100000001b3ULL, h ^= h >> 29;
    if (std::find(ps->pieces.begin(), ps->pieces.end(), h) != ps->pieces.end()) {
      ++dup_records_;
      return;
    }
    if (ps->pieces.size() < kPieceMemory) ps->pieces.push_back(h);
  }
  if (same_dir) {
    ps->orig_bytes += r.orig_bytes;
    ps->orig_pkts += r.orig_pkts;
    ps->resp_bytes += r.resp_bytes;  // bidirectional NetFlow variants carry both
    ps->resp_pkts += r.resp_pkts;
    ps->bad_orig |= r.orig_bytes_unknown;
    ps->bad_resp |= r.resp_bytes_unknown;
    ps->seen_orig = true;
  } else {
    ps->resp_bytes += r.orig_bytes;
    ps->resp_pkts += r.orig_pkts;
    ps->orig_bytes += r.resp_bytes;
    ps->orig_pkts += r.resp_pkts;
    ps->bad_resp |= r.orig_bytes_unknown;
    ps->bad_orig |= r.resp_bytes_unknown;
    ps->seen_resp = true;
    // The reverse direction started first: it is the likelier initiator (ports decide later).
    if (rs < s.start) {
      std::swap(s.orig_h, s.resp_h);
      std::swap(s.orig_p, s.resp_p);
      for (auto& x : hit->sensors) {
        std::swap(x.orig_bytes, x.resp_bytes);
        std::swap(x.orig_pkts, x.resp_pkts);
        std::swap(x.seen_orig, x.seen_resp);
        std::swap(x.bad_orig, x.bad_resp);
      }
    }
  }
  s.start = std::min(s.start, rs);
  s.end = std::max(s.end, re);
  ++s.records;
  hit->touched = watermark_;
}

void FlowStitcher::add_zeek(const FlowRecord& r) {
  const uint64_t uid_hash = r.uid.empty() ? 0 : std::hash<std::string>()(r.uid);
  if (uid_hash && recent_.contains(uid_hash)) {
    ++dup_snapshots_;  // an open_conn snapshot of a session already emitted with its final record
    return;
  }
  auto it = r.uid.empty() || zeek_.empty() ? zeek_.end() : zeek_.find(r.uid);
  if (it == zeek_.end() && (r.uid.empty() || final_record(r))) {
    // The common case: a final conn record with no snapshot before it (or no uid to stitch
    // by). It is the whole session: emit it without going through the table.
    Open o;
    ++open_;
    init_session(o.s, r);
    o.s.conn_state = r.conn_state, o.s.history = r.history, o.s.service = r.service;
    o.s.records = 1;
    emit(o, uid_hash);
    return;
  }
  if (it == zeek_.end()) {
    it = zeek_.try_emplace(r.uid).first;
    ++open_;
    init_session(it->second.s, r);
  }
  Session& s = it->second.s;
  if (s.records > 0) {
    // Counters are cumulative across snapshots: keep the largest.
    s.orig_bytes = std::max(s.orig_bytes, r.orig_bytes);
    s.resp_bytes = std::max(s.resp_bytes, r.resp_bytes);
    s.orig_pkts = std::max(s.orig_pkts, r.orig_pkts);
    s.resp_pkts = std::max(s.resp_pkts, r.resp_pkts);
    s.orig_unknown |= r.orig_bytes_unknown;  // one impossible snapshot makes the count unknown
    s.resp_unknown |= r.resp_bytes_unknown;
    s.orig_ip_bytes = std::max(s.orig_ip_bytes, r.orig_ip_bytes);
    if (!r.bytes_unknown) s.bytes_not_logged = false;
    if (r.start != kNoTime && (s.start == kNoTime || r.start < s.start)) s.start = r.start;
    const TimeNs re = r.end != kNoTime ? r.end : r.start;
    if (re != kNoTime && (s.end == kNoTime || re > s.end)) s.end = re;
  }
  // The final record's state is the one to keep.
  if (final_record(r) || s.conn_state.empty()) {
    s.conn_state = r.conn_state;
    s.history = r.history;
    if (!r.service.empty()) s.service = r.service;
    if (final_record(r)) s.source = r.source;
  }
  if (s.records > 0 && firewall_source(r.source)) s.fw.take(r);
  ++s.records;
  it->second.touched = watermark_;
  if (final_record(r)) {
    // conn.log is written when the connection ends: nothing more will come for this uid.
    Open o = std::move(it->second);
    zeek_.erase(it);
    emit(o);
  }
}

void FlowStitcher::maybe_sweep() {
  // Every 65,536 records, and at least every quarter of `idle` of record time: a quiet sensor's
  // sessions must not wait days to be emitted (reading by time, the events that explain them
  // are forgotten after the retention).
  const bool due_by_time = watermark_ != kNoTime && (last_sweep_ == kNoTime || watermark_ >= last_sweep_ + opt_.idle / 4);
  if (++since_sweep_ < 65536 && open_ <= opt_.max_open && !due_by_time) return;
  since_sweep_ = 0;
  last_sweep_ = watermark_;
  const TimeNs horizon = watermark_ == kNoTime ? kNoTime : watermark_ - opt_.idle;
  // Past the cap, the least recently touched sessions are emitted early (counted) until a quarter
  // of the cap is free: memory stays bounded whatever the input's rate (a scan of a million
  // destinations in a minute), and a sweep comes once per max_open / 4 new sessions at most.
  bool force = false;
  TimeNs force_until = kNoTime;
  if (open_ > opt_.max_open) {
    std::vector<TimeNs> touched;
    touched.reserve(open_);
    for (const auto& [k, list] : netflow_)
      for (const auto& o : list) touched.push_back(o.touched);
    for (const auto& [k, o] : zeek_) touched.push_back(o.touched);
    const size_t keep = opt_.max_open - opt_.max_open / 4;
    if (touched.size() > keep) {
      const auto nth = touched.begin() + static_cast<long>(touched.size() - keep - 1);
      std::nth_element(touched.begin(), nth, touched.end());
      force = true, force_until = *nth;
    }
  }
  const auto due = [&](const Open& o, bool& idle) {
    idle = horizon != kNoTime && o.touched < horizon;
    return idle || (force && o.touched <= force_until);
  };
  std::vector<Open> out;
  for (auto it = netflow_.begin(); it != netflow_.end();) {
    auto& list = it->second;
    for (size_t i = 0; i < list.size();) {
      bool idle = false;
      if (due(list[i], idle)) {
        if (!idle) ++forced_;
        out.push_back(std::move(list[i]));
        list.erase(list.begin() + static_cast<long>(i));
      } else {
        ++i;
      }
    }
    it = list.empty() ? netflow_.erase(it) : std::next(it);
  }
  for (auto it = zeek_.begin(); it != zeek_.end();) {
    bool idle = false;
    if (due(it->second, idle)) {
      if (!idle) ++forced_;
      out.push_back(std::move(it->second));
      it = zeek_.erase(it);
    } else {
      ++it;
    }
  }
  emit_sorted(out);
}

void FlowStitcher::emit_sorted(std::vector<Open>& rest) {
  // Start order, so output is deterministic whatever the hash order.
  std::sort(rest.begin(), rest.end(), [](const Open& a, const Open& b) {
    if (a.s.start != b.s.start) return a.s.start < b.s.start;
    if (a.s.orig_p != b.s.orig_p) return a.s.orig_p < b.s.orig_p;
    if (a.s.resp_p != b.s.resp_p) return a.s.resp_p < b.s.resp_p;
    if (!(a.s.orig_h == b.s.orig_h)) return a.s.orig_h < b.s.orig_h;
    return a.s.resp_h < b.s.resp_h;
  });
  for (auto& o : rest) emit(o);
}

void FlowStitcher::finish() {
  std::vector<Open> rest;
  for (auto& [k, list] : netflow_)
    for (auto& o : list) rest.push_back(std::move(o));
  for (auto& [k, o] : zeek_) rest.push_back(std::move(o));
  netflow_.clear();
  zeek_.clear();
  emit_sorted(rest);
}

}  // namespace outflow
