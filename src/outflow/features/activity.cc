#include "outflow/features/activity.h"

#include <algorithm>

#include "outflow/core/win_path.h"
#include "outflow/features/proxy_dest.h"

namespace outflow {

uint64_t ProcessActivity::peak_window_out() const {
  uint64_t m = folded_peak;
  for (const auto& [b, v] : window_out) m = std::max(m, v);
  return m;
}

int64_t ProcessActivity::peak_window() const {
  uint64_t m = folded_peak;
  int64_t best = folded_peak ? folded_peak_bucket : 0;
  for (const auto& [b, v] : window_out)
    if (v > m || (v == m && b < best)) m = v, best = b;
  return best;
}

namespace {
// Folds the buckets more than `keep` behind the newest into the folded peak (ties to the
// earliest bucket, as peak_window() breaks them).
void fold_windows(ProcessActivity& p, int64_t keep) {
  if (p.window_out.size() <= static_cast<size_t>(2 * keep)) return;
  for (auto it = p.window_out.begin(); it != p.window_out.end();) {
    if (it->first < p.newest_bucket - keep) {
      if (it->second > p.folded_peak || (it->second == p.folded_peak && it->first < p.folded_peak_bucket))
        p.folded_peak = it->second, p.folded_peak_bucket = it->first;
      it = p.window_out.erase(it);
    } else {
      ++it;
    }
  }
}
}  // namespace

namespace {

uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  return x ^ (x >> 33);
}

uint64_t dest_key(const IpAddr& ip, uint16_t port, uint8_t proto) {
  return IpAddrHash{}(ip) ^ mix((uint64_t{port} << 8) | proto);
}

// Floor division for negative times too.
int64_t bucket_of(TimeNs t, TimeNs w) { return t >= 0 ? t / w : -((-t + w - 1) / w); }

void spread(FlatHashMap<int64_t, uint64_t>& win, TimeNs start, TimeNs end, uint64_t bytes, TimeNs w,
            size_t max_buckets) {
  if (bytes == 0 || start == kNoTime) return;
  if (end == kNoTime || end < start) end = start;
  const int64_t b0 = bucket_of(start, w), b1 = bucket_of(end, w);
  if (win.size() >= max_buckets && !win.count(b0)) return;  // capped: later buckets are not tracked
  if (b0 == b1 || end == start) {
    win[b0] += bytes;
    return;
  }
  // Proportional to the time spent in each bucket; very long sessions over many buckets are
  // spread evenly over at most 10,000 buckets.
  const int64_t n = std::min<int64_t>(b1 - b0 + 1, 10'000);
  const double total = static_cast<double>(end - start);
  uint64_t given = 0;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t b = b0 + i;
    const TimeNs lo = std::max(start, b * w), hi = std::min(end, (b + 1) * w);
    uint64_t part = i + 1 == n ? bytes - given
                               : static_cast<uint64_t>(static_cast<double>(bytes) * static_cast<double>(hi - lo) / total);
    part = std::min(part, bytes - given);
    given += part;
    if (part) win[b] += part;
  }
}

}  // namespace

void ActivityAggregator::add_outbound_app(ProcessActivity& p, const Session& s, const Attribution& a, const AppNames* apps) {
  const AppNames::ConnApp* c = apps ? apps->conn(s) : nullptr;
  if (!c) return add_outbound(p, s, a, apps, nullptr);
  // Bytes out the sensor did not see, but an HTTP body or a file sent proves: a lower bound.
  const uint64_t proved = app_bytes_out(*c);
  if (s.orig_unknown && proved > s.orig_bytes) {
    Session b = s;
    b.orig_bytes = proved;
    add_outbound(p, b, a, apps, c);
    ++p.app.sessions_bounded;
  } else {
    add_outbound(p, s, a, apps, c);
  }
  p.app.add(*c, *apps);
}

void ActivityAggregator::add(const Session& s, const Attribution& given, const ProcessTable* procs, const AppNames* apps) {
  ++seen_;
  if (given.host == kNoHost) {
    // A flow-only host: an internal initiator sending to an external address (not to multicast,
    // broadcast, link-local or loopback: SSDP, mDNS, DHCP and the like never leave the segment),
    // or to an internal proxy that names the external host behind it.
    if (opt_.internal.empty() || !opt_.internal.contains(s.orig_h) || s.resp_h.is_special() ||
        (opt_.internal.contains(s.resp_h) && !proxied_dest(apps, apps ? apps->conn(s) : nullptr).named)) {
      ++unmonitored_;
      return;
    }
    auto it = by_ip_.find(s.orig_h);
    if (it == by_ip_.end()) {
      if (by_ip_.size() >= opt_.max_host_entities) {
        ++host_entities_dropped_;
        return;
      }
      it = by_ip_.try_emplace(s.orig_h, slot()).first;
      procs_[it->second].entity_ip = s.orig_h;
    }
    Attribution a = given;
    a.host_is_orig = true;
    add_outbound_app(procs_[it->second], s, a, apps);
    return;
  }
  Attribution resolved;
  const Attribution* ap = &given;
  if (procs && given.status == AttributionStatus::ambiguous && given.candidates.size() >= 2) {
    const Process& first = procs->get(given.candidates.front());
    ProcId latest = given.candidates.front();
    bool same = !first.image.empty();
    for (ProcId c : given.candidates) {
      const Process& p = procs->get(c);
      // One program, however each event spelled its path (a device path in 5156, a drive in Sysmon).
      same = same && (p.image == first.image || canonical_win_path(p.image) == canonical_win_path(first.image)) &&
             p.user == first.user;
      if (p.start != kNoTime && (procs->get(latest).start == kNoTime || p.start > procs->get(latest).start)) latest = c;
    }
    if (same) {
      resolved = given;
      resolved.status = AttributionStatus::inferred;
      resolved.proc = latest;
      ap = &resolved;
      ++ambiguous_resolved_;
    }
  }
  const Attribution& a = *ap;
  const uint64_t key = (uint64_t{a.host} << 32) | a.proc;
  auto it = by_key_.find(key);
  if (it == by_key_.end()) {
    it = by_key_.try_emplace(key, slot()).first;
    procs_[it->second].host = a.host;
    procs_[it->second].proc = a.proc;
  }
  ProcessActivity& p = procs_[it->second];
  if (!a.host_is_orig) {
    ++p.inbound_sessions;
    p.inbound_bytes_out += s.resp_bytes;
    return;
  }
  add_outbound_app(p, s, a, apps);
}

uint32_t ActivityAggregator::slot() {
  if (free_.empty()) {
    procs_.emplace_back();
    return static_cast<uint32_t>(procs_.size() - 1);
  }
  const uint32_t i = free_.back();
  free_.pop_back();
  procs_[i] = ProcessActivity{};
  return i;
}

void ActivityAggregator::add_outbound(ProcessActivity& p, const Session& s, const Attribution& a, const AppNames* apps,
                                      const AppNames::ConnApp* app) {
  // Through a proxy, the destination is the host the requests named (features/proxy_dest.h).
  const ProxiedDest via = proxied_dest(apps, app);
  // A name's address from the proxy's connection out, when the join linked one (Session::relay_h).
  const bool from_relay = via.named && via.ip.is_unset() && !s.relay_h.is_unset();
  const IpAddr& remote = from_relay ? s.relay_h : via.named ? via.ip : s.resp_h;
  const uint16_t port = via.named ? via.port : s.resp_p;
  const uint64_t out = s.orig_bytes, in = s.resp_bytes, pout = s.orig_pkts, pin = s.resp_pkts;
  const TimeNs dur = s.end != kNoTime && s.start != kNoTime && s.end > s.start ? s.end - s.start : 0;

  if (p.sessions == 0) p.local = s.orig_h;
  p.bytes_out += out;
  p.bytes_in += in;
  ++p.sessions;
  if (!s.fw.user.empty()) p.fw_users.add(s.fw.user, out);
  if (a.status == AttributionStatus::inferred) ++p.sessions_inferred;
  if (s.orig_unknown) {
    ++p.sessions_out_unknown;
    p.gaps |= static_cast<uint8_t>(1u << static_cast<unsigned>(s.gap));
  }
  if (s.start != kNoTime && (p.first == kNoTime || s.start < p.first)) p.first = s.start;
  const TimeNs end = s.end != kNoTime ? s.end : s.start;
  if (end != kNoTime && (p.last == kNoTime || end > p.last)) p.last = end;
  if (!p.dest_ips_capped && !remote.is_unset()) {
    p.dest_ips.insert(remote);
    if (p.dest_ips.size() >= opt_.max_dest_ips) p.dest_ips_capped = true;
  }
  spread(p.window_out, s.start, s.end, out, opt_.window, opt_.max_window_buckets);
  if (p.flow_only()) p.daily.add(s.start, out);
  if (end != kNoTime && out > 0) {
    p.newest_bucket = std::max(p.newest_bucket, bucket_of(end, opt_.window));
    fold_windows(p, std::max<int64_t>(1, opt_.fold_after / opt_.window));
  }

  const uint64_t dk = !via.name.empty() ? named_dest_key(via.name, port, s.proto) : dest_key(remote, port, s.proto);
  auto [dit, dfresh] = p.dest_index.try_emplace(dk, static_cast<uint32_t>(p.dests.size()));
  if (dfresh) {
    if (p.dests.size() >= opt_.max_dests) {
      // Past the cap, further destinations are folded into the last slot (counted).
      p.dest_index.erase(dk);
      ++folded_;
      dit = p.dest_index.end();
    } else {
      p.dests.emplace_back();
      DestActivity& d = p.dests.back();
      d.ip = remote;
      d.port = port;
      d.proto = s.proto;
      if (via.named) d.via_proxy = s.resp_h, d.domain = std::string(via.name);
      d.ip_from_relay = from_relay;
    }
  }
  DestActivity& d = dit == p.dest_index.end() ? p.dests.back() : p.dests[dit->second];
  if (from_relay && d.ip.is_unset() && !d.via_proxy.is_unset()) d.ip = remote, d.ip_from_relay = true;
  d.sessions_out_from_relay += s.orig_from_relay;
  d.bytes_out += out;
  d.bytes_in += in;
  d.pkts_out += pout;
  d.pkts_in += pin;
  ++d.sessions;
  d.sessions_out_unknown += s.orig_unknown;
  if (s.start != kNoTime && (d.first == kNoTime || s.start < d.first)) d.first = s.start;
  if (end != kNoTime && (d.last == kNoTime || end > d.last)) d.last = end;
  d.longest = std::max(d.longest, dur);
  d.duration_sum += dur;
  if (out > d.max_session_out) d.max_session_out = out, d.max_session_out_duration = dur;
  if (out >= opt_.burst_bytes && dur < opt_.burst_within) d.burst = true;
  d.out_sum += static_cast<double>(out);
  d.out_sq += static_cast<double>(out) * static_cast<double>(out);
  add_to_pairs(p.pairs, s, apps, app, opt_.pairs, pair_budget_);
  if (s.start != kNoTime && (first_outbound_ == kNoTime || s.start < first_outbound_)) first_outbound_ = s.start;
  if (s.start != kNoTime && (last_outbound_ == kNoTime || s.start > last_outbound_)) last_outbound_ = s.start;
}

void ActivityAggregator::resolve_names(ProcessActivity& p, const EndpointIndex& index) {
  for (auto& d : p.dests) {
    if (!d.domain.empty()) continue;
    d.domain = index.name_of(d.ip, p.host, IpAddr{}, d.first);
  }
  p.pairs.resolve_names([&](uint32_t id) { return index.apps().name(id); });
}

void ActivityAggregator::finish(const EndpointIndex& index) {
  for (auto& p : procs_)
    if (!p.empty_slot()) resolve_names(p, index);
}

bool ActivityAggregator::take(HostId host, ProcId proc, ProcessActivity& out) {
  auto it = by_key_.find((uint64_t{host} << 32) | proc);
  if (it == by_key_.end()) return false;
  ProcessActivity& p = procs_[it->second];
  out = std::move(p);
  pair_budget_.used -= std::min(pair_budget_.used, out.pairs.samples());
  p = ProcessActivity{};  // host kNoHost: skipped by every reader of processes()
  p.proc = kNoProc;
  free_.push_back(it->second);
  by_key_.erase(it);
  return true;
}

bool ActivityAggregator::take_flow_host(const IpAddr& ip, ProcessActivity& out) {
  auto it = by_ip_.find(ip);
  if (it == by_ip_.end()) return false;
  out = std::move(procs_[it->second]);
  pair_budget_.used -= std::min(pair_budget_.used, out.pairs.samples());
  procs_[it->second] = ProcessActivity{};  // empty_slot()
  free_.push_back(it->second);
  by_ip_.erase(it);
  return true;
}

void merge_activity(ProcessActivity& into, const ProcessActivity& from) {
  into.bytes_out += from.bytes_out;
  into.bytes_in += from.bytes_in;
  into.sessions += from.sessions;
  into.sessions_inferred += from.sessions_inferred;
  into.sessions_out_unknown += from.sessions_out_unknown;
  into.gaps |= from.gaps;
  auto min_t = [](TimeNs& a, TimeNs b) {
    if (b != kNoTime && (a == kNoTime || b < a)) a = b;
  };
  auto max_t = [](TimeNs& a, TimeNs b) {
    if (b != kNoTime && (a == kNoTime || b > a)) a = b;
  };
  min_t(into.first, from.first);
  max_t(into.last, from.last);
  into.dest_ips.insert(from.dest_ips.begin(), from.dest_ips.end());
  into.dest_ips_capped |= from.dest_ips_capped;
  for (const auto& [b, v] : from.window_out) into.window_out[b] += v;
  // Folded peaks cannot be summed bucket by bucket: the larger stands for both (roll-ups of
  // processes that ran for days may be under-counted).
  if (from.folded_peak > into.folded_peak) into.folded_peak = from.folded_peak, into.folded_peak_bucket = from.folded_peak_bucket;
  into.newest_bucket = std::max(into.newest_bucket, from.newest_bucket);
  into.app.merge(from.app);
  into.fw_users.merge(from.fw_users);
  into.daily.merge(from.daily);
  for (const auto& d : from.dests) {
    const uint64_t k = d.ip.is_unset() && !d.domain.empty() ? named_dest_key(d.domain, d.port, d.proto) : dest_key(d.ip, d.port, d.proto);
    auto [it, fresh] = into.dest_index.try_emplace(k, static_cast<uint32_t>(into.dests.size()));
    if (fresh) {
      into.dests.push_back(d);
      continue;
    }
    DestActivity& t = into.dests[it->second];
    t.bytes_out += d.bytes_out, t.bytes_in += d.bytes_in, t.pkts_out += d.pkts_out, t.pkts_in += d.pkts_in;
    t.sessions += d.sessions;
    t.sessions_out_unknown += d.sessions_out_unknown;
    min_t(t.first, d.first);
    max_t(t.last, d.last);
    t.longest = std::max(t.longest, d.longest);
    t.duration_sum += d.duration_sum;
    if (d.max_session_out > t.max_session_out) t.max_session_out = d.max_session_out, t.max_session_out_duration = d.max_session_out_duration;
    t.burst |= d.burst;
    t.out_sum += d.out_sum, t.out_sq += d.out_sq;
    if (t.domain.empty()) t.domain = d.domain;
  }
}

std::string destination_key(const DestActivity& d) {
  if (d.domain.empty()) return d.ip.to_string();
  return registered_domain(d.domain);
}

}  // namespace outflow
