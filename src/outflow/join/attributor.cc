#include "outflow/join/attributor.h"

#include <algorithm>

namespace outflow {

const char* attribution_status_name(AttributionStatus s) {
  switch (s) {
    case AttributionStatus::matched: return "matched";
    case AttributionStatus::inferred: return "inferred";
    case AttributionStatus::ambiguous: return "ambiguous";
    case AttributionStatus::no_endpoint_event: return "no_endpoint_event";
    case AttributionStatus::host_unknown: return "host_unknown";
  }
  return "unknown";
}

namespace {
// Two candidates whose corrected times are this close cannot be told apart by time.
constexpr TimeNs kTie = 2 * kNsPerSec;

TimeNs distance_to(TimeNs t, TimeNs start, TimeNs end) {
  if (t < start) return start - t;
  if (t > end) return t - end;
  return 0;
}
}  // namespace

void Attributor::observe_flow(const FlowRecord& r) {
  if (r.start == kNoTime) return;
  const FlowKey key = FlowKey::make(r.orig_h, r.orig_p, r.resp_h, r.resp_p, r.proto);
  const auto* v = index_.connects(key);
  if (!v) return;
  // Only unambiguous matches measure a clock: one event of its (host, event type) for the
  // 5-tuple. Sysmon 3 and Security 5156 of the same connection each measure their own clock.
  unique_.clear();
  for (const ConnectRef& c : *v) {
    if (c.time == kNoTime) continue;
    bool dup = false;
    for (auto& u : unique_) {
      if (u && u->host == c.host && u->event_id == c.event_id) {
        u = nullptr;  // a second one of the same type: that type is ambiguous here
        dup = true;
      }
    }
    if (!dup) unique_.push_back(&c);
  }
  bool any = false;
  for (const ConnectRef* u : unique_) any |= u != nullptr;
  if (!any) return;
  if (!r.bidirectional) {
    if (sampled_.size() >= 4 * ClockOffsets::kMaxSamples) sampled_.clear();  // bounded; a repeat sample is harmless
    if (!sampled_.insert(FlowKeyHash{}(key)).second) return;
  }
  for (const ConnectRef* u : unique_)
    if (u) offsets_.add_sample(key_of(*u), u->time, r.start - u->time);
}

TimeNs Attributor::window_for(const OffsetEstimate& e) const {
  if (!e.known) return opt_.window_unknown;
  return opt_.window + std::min<TimeNs>(4 * e.mad, 600 * kNsPerSec);
}

bool Attributor::try_inferred(const Session& s, HostId host, bool host_is_orig, Attribution& out) const {
  const IpAddr& remote = host_is_orig ? s.resp_h : s.orig_h;
  const uint16_t rport = host_is_orig ? s.resp_p : s.orig_p;
  const auto* v = index_.connects_to(host, remote, rport, s.proto);
  if (!v) return false;
  std::vector<ProcId> alive;
  OffsetEstimate used;
  TimeNs w_used = opt_.window_unknown;
  for (const ConnectRef& c : *v) {
    if (c.proc == kNoProc) continue;
    const Process& p = procs_.get(c.proc);
    if (!p.in_use) continue;  // forgotten (its entry goes at the next sweep)
    // Each time on its own clock: the process's start and end on its start event's, the
    // connection on its own.
    const OffsetEstimate coff = offsets_.estimate(key_of(c), c.time);
    const OffsetEstimate poff =
        p.start != kNoTime ? offsets_.estimate({host, p.start_event, p.start_field}, p.start) : coff;
    const TimeNs w = window_for(poff);
    const TimeNs start = p.start != kNoTime ? p.start + poff.offset : c.time + coff.offset;
    // Alive then: started before the session (by the first connection at least) and not
    // ended before it. With an unknown offset, only the process's own lifetime bounds it.
    if (poff.known && start > s.end + w) continue;
    if (poff.known && p.end != kNoTime && p.end + poff.offset + w < s.start) continue;
    if (std::find(alive.begin(), alive.end(), c.proc) == alive.end()) alive.push_back(c.proc);
    if (alive.size() == 1) used = coff, w_used = w;
  }
  if (alive.empty()) return false;
  // One program seen twice (a Sysmon process and the same one from Security 5156 events, which
  // carry no GUID): the same executable is one candidate, the one Sysmon names.
  if (alive.size() > 1) {
    const std::string name = image_basename(procs_.get(alive.front()).image);
    bool same = !name.empty();
    for (ProcId id : alive) same = same && image_basename(procs_.get(id).image) == name;
    size_t with_guid = 0;
    ProcId pick = kNoProc;
    for (ProcId id : alive)
      if (!procs_.get(id).guid.empty()) ++with_guid, pick = id;
    if (same && with_guid == 1) alive = {pick};
  }
  out.host = host;
  out.host_is_orig = host_is_orig;
  out.offset_known = used.known;
  out.offset = used.offset;
  out.offset_source = used.source;
  out.window = w_used;
  if (alive.size() == 1) {
    out.status = AttributionStatus::inferred;
    out.proc = alive.front();
  } else {
    out.status = AttributionStatus::ambiguous;
    out.candidates = alive;
  }
  return true;
}

Attribution Attributor::attribute(const Session& s) const {
  Attribution best;
  const auto* v = index_.connects(FlowKey::make(s.orig_h, s.orig_p, s.resp_h, s.resp_p, s.proto));
  if (v) {
    struct Cand {
      const ConnectRef* c;
      TimeNs dist, delta;
      bool orig_side;
      OffsetEstimate off;
      TimeNs w;
    };
    std::vector<Cand> in;
    for (const ConnectRef& c : *v) {
      const OffsetEstimate off = offsets_.estimate(key_of(c), c.time);
      const TimeNs w = window_for(off);
      const TimeNs adj = c.time + (off.known ? off.offset : 0);
      const TimeNs d = distance_to(adj, s.start, s.end);
      if (d > w) continue;
      const bool orig_side = c.local_ip == s.orig_h && c.local_port == s.orig_p;
      in.push_back({&c, d, adj - s.start, orig_side, off, w});
    }
    if (!in.empty()) {
      // The initiator's side first, then the nearest in time, then Sysmon over 5156 (richer).
      std::sort(in.begin(), in.end(), [](const Cand& a, const Cand& b) {
        if (a.orig_side != b.orig_side) return a.orig_side;
        if (a.dist != b.dist) return a.dist < b.dist;
        return (a.c->event_id == 3) > (b.c->event_id == 3);
      });
      // Sysmon 3 and Security 5156 often both log one connection: within the tie window,
      // prefer Sysmon's (it carries the GUID and the user).
      for (size_t i = 1; i < in.size(); ++i) {
        if (in[0].c->event_id == 3) break;
        if (in[i].c->event_id == 3 && in[i].c->host == in[0].c->host && in[i].orig_side == in[0].orig_side &&
            in[i].dist <= in[0].dist + kTie) {
          std::swap(in[0], in[i]);
          break;
        }
      }
      const Cand& top = in.front();
      best.host = top.c->host;
      best.proc = top.c->proc;
      best.host_is_orig = top.orig_side || !(top.c->local_ip == s.resp_h && top.c->local_port == s.resp_p);
      best.event_id = top.c->event_id;
      best.event_delta = top.delta;
      best.window = top.w;
      best.offset_known = top.off.known;
      best.offset = top.off.offset;
      best.offset_source = top.off.source;
      best.status = AttributionStatus::matched;
      // Another process of the same host and side, as near in time, with another image: ambiguous.
      for (size_t i = 1; i < in.size(); ++i) {
        const Cand& o = in[i];
        if (o.c->host != top.c->host || o.orig_side != top.orig_side || o.dist > top.dist + kTie) continue;
        if (o.c->proc == top.c->proc || o.c->proc == kNoProc || top.c->proc == kNoProc) continue;
        if (image_basename(procs_.get(o.c->proc).image) == image_basename(procs_.get(top.c->proc).image)) continue;
        if (best.candidates.empty()) best.candidates.push_back(top.c->proc);
        best.candidates.push_back(o.c->proc);
        best.status = AttributionStatus::ambiguous;
      }
      if (best.status == AttributionStatus::ambiguous) best.proc = kNoProc;
      return best;
    }
  }
  // No event for this very connection: which monitored host owns an end of it?
  const HostId ho = index_.host_of(s.orig_h, s.start);
  const HostId hr = index_.host_of(s.resp_h, s.start);
  if (ho != kNoHost && try_inferred(s, ho, true, best)) return best;
  if (hr != kNoHost && try_inferred(s, hr, false, best)) return best;
  if (ho != kNoHost || hr != kNoHost) {
    best.status = AttributionStatus::no_endpoint_event;
    best.host = ho != kNoHost ? ho : hr;
    best.host_is_orig = ho != kNoHost;
    const OffsetEstimate off = offsets_.connect_clock(best.host);
    best.offset_known = off.known;
    best.offset = off.offset;
    best.offset_source = off.source;
    return best;
  }
  best.status = AttributionStatus::host_unknown;
  return best;
}

}  // namespace outflow
