#include "outflow/join/relay_link.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace outflow {

bool same_host_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

namespace {

// One direction's bytes, client leg `a` against outer leg `b` (IP bytes when `ip_bytes`: its
// packets' headers are taken off first). False when too far apart; else adds the distance
// relative to the larger count to `cost`.
bool bytes_close(uint64_t a, uint64_t b, uint64_t pkts, bool ip_bytes, double& cost) {
  const uint64_t hdr = ip_bytes ? pkts * 40 : 0;
  const uint64_t bp = b > hdr ? b - hdr : 0;
  const uint64_t diff = a > bp ? a - bp : bp - a;
  const uint64_t larger = std::max(a, bp);
  const double allow = static_cast<double>(RelayLinks::kSlackBytes + (ip_bytes ? pkts * 20 : 0)) +
                       RelayLinks::kSlackShare * static_cast<double>(larger);
  if (static_cast<double>(diff) > allow) return false;
  cost += static_cast<double>(diff) / static_cast<double>(std::max<uint64_t>(larger, 1));
  return true;
}

}  // namespace

void RelayLinks::drop_front(uint64_t& counter_if_unlinked) {
  Entry& e = flows_.front();
  if (!e.linked) {
    ++counter_if_unlinked;
    by_start_.erase(e.at);
  }
  flows_.pop_front();
  ++base_;
}

void RelayLinks::add(RelayedFlow f, TimeNs clock) {
  // Past the cap the oldest go; one already linked was counted then.
  while (!flows_.empty() && flows_.size() >= std::max<size_t>(opt_.max_flows, 1)) drop_front(counts_.overflow);
  const Key k{uint32_t{f.dest_port} << 8 | f.proto, f.start};
  Entry& e = flows_.emplace_back();
  e.f = std::move(f);
  e.arrival = clock;
  e.at = by_start_.emplace(k, base_ + flows_.size() - 1);
}

void RelayLinks::expire(TimeNs horizon) {
  while (!flows_.empty() && (flows_.front().arrival == kNoTime || flows_.front().arrival < horizon)) {
    Entry& e = flows_.front();
    drop_front(e.tied ? counts_.ambiguous : counts_.no_candidate);
  }
}

const RelayedFlow* RelayLinks::link(const ClientLeg& leg, const Resolves& resolves) {
  if (!in_record_range(leg.start) || by_start_.empty()) {  // (a wild time: no arithmetic on it)
    ++counts_.sessions_unlinked;
    return nullptr;
  }
  struct Candidate {
    Entry* e;
    int rank;  // 0: the name agrees; +2 when another proxy's address
    double cost;
  };
  std::vector<Candidate> cands;
  const uint32_t pk = uint32_t{leg.port} << 8 | leg.proto;
  const auto lo = by_start_.lower_bound(Key{pk, leg.start - kBefore});
  const auto hi = by_start_.upper_bound(Key{pk, leg.start + kAfter});
  for (auto it = lo; it != hi; ++it) {
    Entry& e = flows_[static_cast<size_t>(it->second - base_)];
    const RelayedFlow& f = e.f;
    int rank = 1;
    if (!leg.named_ip.is_unset()) {
      if (f.dest != leg.named_ip) continue;
      rank = 0;
    } else if (!f.name.empty()) {
      if (!same_host_name(f.name, leg.name)) continue;  // the outside sensor named another host
      rank = 0;
    } else if (!leg.name.empty() && resolves && resolves(f.dest, leg.name)) {
      rank = 0;
    }
    if (!leg.proxy.is_unset() && f.proxy != leg.proxy) rank += 2;
    double cost = 0;
    if (leg.out_known && f.out_known && !bytes_close(leg.out, f.out, f.out_pkts, f.ip_bytes, cost)) continue;
    if (leg.in_known && f.in_known && !bytes_close(leg.in, f.in, f.in_pkts, f.ip_bytes, cost)) continue;
    const TimeNs dt = f.start > leg.start ? f.start - leg.start : leg.start - f.start;
    cost += 0.1 * static_cast<double>(dt) / static_cast<double>(kBefore + kAfter);  // a weak tiebreak
    cands.push_back({&e, rank, cost});
  }
  if (cands.empty()) {
    ++counts_.sessions_unlinked;
    return nullptr;
  }
  const auto better = [](const Candidate& a, const Candidate& b) { return a.rank != b.rank ? a.rank < b.rank : a.cost < b.cost; };
  const Candidate best = *std::min_element(cands.begin(), cands.end(), better);
  size_t ties = 0;
  for (const Candidate& c : cands)
    if (c.rank == best.rank && c.cost - best.cost < kTie) ++ties;
  if (ties > 1) {
    for (const Candidate& c : cands)
      if (c.rank == best.rank && c.cost - best.cost < kTie) c.e->tied = true;
    ++counts_.sessions_ambiguous;
    return nullptr;
  }
  best.e->linked = true;
  by_start_.erase(best.e->at);
  ++counts_.linked;
  ++counts_.sessions_linked;
  return &best.e->f;
}

}  // namespace outflow
