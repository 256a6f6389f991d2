#include "outflow/join/endpoint_index.h"

#include <algorithm>
#include <limits>

#include "outflow/join/relay_link.h"

namespace outflow {

void EndpointIndex::learn_address(const IpAddr& ip, HostId host, TimeNs t) {
  if (ip.is_special()) return;
  auto& spans = addrs_[ip];
  for (auto& s : spans) {
    if (s.host == host) {
      s.first = std::min(s.first, t);
      s.last = std::max(s.last, t);
      ++s.count;
      s.arrival = now_;
      return;
    }
  }
  spans.push_back({host, t, t, 1, now_});
}

void EndpointIndex::forget_addresses_before(TimeNs horizon) {
  for (auto it = addrs_.begin(); it != addrs_.end();) {
    auto& v = it->second;
    const size_t before = v.size();
    v.erase(std::remove_if(v.begin(), v.end(), [&](const AddrSpan& a) { return a.arrival == kNoTime || a.arrival < horizon; }),
            v.end());
    if (v.size() != before && v.empty()) ++forgotten_addrs_;
    if (v.empty()) it = addrs_.erase(it);
    else ++it;
  }
}

void EndpointIndex::forget_addresses(size_t n) {
  if (n == 0 || addrs_.empty()) return;
  std::vector<TimeNs> latest;
  latest.reserve(addrs_.size());
  for (const auto& [ip, spans] : addrs_) {
    TimeNs t = kNoTime;
    for (const auto& a : spans)
      if (a.arrival != kNoTime && (t == kNoTime || a.arrival > t)) t = a.arrival;
    latest.push_back(t == kNoTime ? std::numeric_limits<TimeNs>::min() : t);
  }
  n = std::min(n, latest.size());
  std::nth_element(latest.begin(), latest.begin() + static_cast<std::ptrdiff_t>(n - 1), latest.end());
  const TimeNs cut = latest[n - 1];
  forget_addresses_before(cut == std::numeric_limits<TimeNs>::max() ? cut : cut + 1);
}

void EndpointIndex::add_connect(const HostEvent& e, HostId host, ProcId proc) {
  if (n_connects_ >= caps_.max_connects) {
    ++dropped_connects_;
    return;
  }
  ++n_connects_;
  // Sysmon names the initiator as source; when the host's process did not initiate (inbound),
  // the host's side is the destination.
  const bool local_is_src = e.initiated != 0;
  ConnectRef ref;
  ref.host = host;
  ref.proc = proc;
  ref.time = e.time;
  ref.arrival = now_;
  ref.event_id = e.event_id;
  ref.field = e.time_field;
  ref.local_ip = local_is_src ? e.src_ip : e.dst_ip;
  ref.local_port = local_is_src ? e.src_port : e.dst_port;
  const IpAddr& remote = local_is_src ? e.dst_ip : e.src_ip;
  const uint16_t remote_port = local_is_src ? e.dst_port : e.src_port;
  const FlowKey key = FlowKey::make(e.src_ip, e.src_port, e.dst_ip, e.dst_port, e.proto);
  by_tuple_[key].push_back(ref);
  if (evict_) arrivals_.emplace_back(now_, key);
  if (e.initiated != 0) {
    // One entry per process and destination is all the inferred match needs (the first
    // connection): a busy destination (the DNS server) must not make lookups linear in events.
    auto& v = by_dest_[DestKey{host, remote, remote_port, e.proto}];
    bool have = false;
    for (const auto& r : v) have = have || r.proc == proc;
    if (!have) v.push_back(ref);
  }
  learn_address(ref.local_ip, host, e.time);
}

void EndpointIndex::evict_before(TimeNs horizon) {
  if (horizon == kNoTime) return;
  while (!arrivals_.empty() && (arrivals_.front().first == kNoTime || arrivals_.front().first < horizon)) {
    const FlowKey key = arrivals_.front().second;
    arrivals_.pop_front();
    auto it = by_tuple_.find(key);
    if (it == by_tuple_.end()) continue;
    auto& v = it->second;
    const size_t before = v.size();
    // The same tuple may hold newer events (a reused source port): only the old ones go.
    v.erase(std::remove_if(v.begin(), v.end(), [&](const ConnectRef& r) {
              return r.arrival == kNoTime || r.arrival < horizon;
            }),
            v.end());
    const size_t gone = before - v.size();
    n_connects_ -= std::min<uint64_t>(n_connects_, gone);
    evicted_connects_ += gone;
    if (v.empty()) by_tuple_.erase(it);
  }
  // Per-destination entries without a process (the process table was full) go by age too, in a
  // sweep of the whole table once a day of record time (hourly cost 3% of `sessions`).
  if (last_dest_sweep_ != kNoTime && horizon < last_dest_sweep_ + 86400 * kNsPerSec) return;
  last_dest_sweep_ = horizon;
  for (auto it = by_dest_.begin(); it != by_dest_.end();) {
    auto& v = it->second;
    v.erase(std::remove_if(v.begin(), v.end(), [&](const ConnectRef& r) {
              return r.proc == kNoProc && (r.arrival == kNoTime || r.arrival < horizon);
            }),
            v.end());
    if (v.empty()) it = by_dest_.erase(it);
    else ++it;
  }
}

void EndpointIndex::forget_processes(const std::vector<ProcId>& gone) {
  if (gone.empty()) return;
  std::vector<ProcId> sorted(gone);
  std::sort(sorted.begin(), sorted.end());
  for (auto it = by_dest_.begin(); it != by_dest_.end();) {
    auto& v = it->second;
    v.erase(std::remove_if(v.begin(), v.end(),
                           [&](const ConnectRef& r) { return std::binary_search(sorted.begin(), sorted.end(), r.proc); }),
            v.end());
    if (v.empty()) it = by_dest_.erase(it);
    else ++it;
  }
}

const ConnectList* EndpointIndex::connects_to(HostId host, const IpAddr& remote, uint16_t port,
                                                          uint8_t proto) const {
  auto it = by_dest_.find(DestKey{host, remote, port, proto});
  return it == by_dest_.end() ? nullptr : &it->second;
}

HostId EndpointIndex::host_of(const IpAddr& ip, TimeNs t) const {
  auto it = addrs_.find(ip);
  if (it == addrs_.end()) return kNoHost;
  // The host whose span covers t; else the nearest span; ties to the most evidence.
  HostId best = kNoHost;
  TimeNs best_dist = 0;
  uint64_t best_count = 0;
  for (const auto& s : it->second) {
    TimeNs d = 0;
    if (t != kNoTime) d = t < s.first ? s.first - t : (t > s.last ? t - s.last : 0);
    if (best == kNoHost || d < best_dist || (d == best_dist && s.count > best_count)) {
      best = s.host;
      best_dist = d;
      best_count = s.count;
    }
  }
  return best;
}

std::vector<std::pair<IpAddr, uint64_t>> EndpointIndex::addresses_of(HostId host) const {
  std::vector<std::pair<IpAddr, uint64_t>> out;
  for (const auto& [ip, spans] : addrs_)
    for (const auto& s : spans)
      if (s.host == host) out.emplace_back(ip, s.count);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return out;
}

void EndpointIndex::add_dns(HostId host, const IpAddr& client, TimeNs t, std::string_view name,
                            const IpAddr& answer) {
  if (name.empty() || answer.is_unset()) return;
  if (n_dns_ >= caps_.max_dns) {
    ++dropped_dns_;
    return;
  }
  ++n_dns_;
  auto it = name_ids_.find(name);
  if (it == name_ids_.end()) {
    it = name_ids_.emplace(std::string(name), static_cast<uint32_t>(names_.size())).first;
    names_.emplace_back(name);
  }
  // One entry per (asker, name) for an address, holding the latest time: answers repeat all day.
  auto& v = dns_[answer];
  for (auto& d : v) {
    if (d.host == host && d.client == client && d.name == it->second) {
      if (t > d.time) d.time = t;
      return;
    }
  }
  v.push_back({t, host, client, it->second});
}

std::string EndpointIndex::name_of(const IpAddr& ip, HostId host, const IpAddr& client, TimeNs t) const {
  auto it = dns_.find(ip);
  if (it == dns_.end()) return {};
  // Prefer: same asker, answered before t (latest first); then any asker before t; then any.
  const DnsEntry* best = nullptr;
  int best_rank = -1;
  for (const auto& d : it->second) {
    const bool same = (host != kNoHost && d.host == host) || (!client.is_unset() && d.client == client);
    const bool before = t == kNoTime || d.time <= t + 5 * kNsPerSec;
    const int rank = (same ? 2 : 0) + (before ? 1 : 0);
    if (rank > best_rank || (rank == best_rank && best && (before ? d.time > best->time : d.time < best->time))) {
      best = &d;
      best_rank = rank;
    }
  }
  return best ? names_[best->name] : std::string{};
}

bool EndpointIndex::resolved_to(const IpAddr& ip, std::string_view name) const {
  auto it = dns_.find(ip);
  if (it == dns_.end()) return false;
  for (const auto& d : it->second)
    if (same_host_name(names_[d.name], name)) return true;
  return false;
}

std::string EndpointIndex::destination_name(const Session& s, const IpAddr& ip, HostId host, const IpAddr& client) const {
  if (ip == s.resp_h) {
    std::string n = apps_.conn_name(s);
    if (!n.empty()) return n;
  }
  return name_of(ip, host, client, s.start);
}

}  // namespace outflow
