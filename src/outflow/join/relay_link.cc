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
// packets' headers are taken off first, 40 bytes each). False when too far apart. Else adds to
// `cost` how far the difference falls outside what a proxy explains at no cost, relative to the
// larger count: the client leg up to `free_more` more (out: kExchangeOut, the CONNECT request the
// outer leg does not carry, or request headers the proxy dropped; in: kExchangeIn, the proxy's
// "200 Connection established" or the response headers it added), or up to 256 bytes + 12 a
// packet less (headers the proxy added; TCP options the 40 bytes did not count). Measured on the
// simulator: the plain distance made small tunnels to one CDN from several hosts take each
// other's outer legs (the CONNECT's ~130 bytes outweighed the difference between two requests).
bool bytes_close(uint64_t a, uint64_t b, uint64_t pkts, bool ip_bytes, uint64_t free_more, double& cost) {
  const uint64_t hdr = ip_bytes ? pkts * 40 : 0;
  const uint64_t bp = b > hdr ? b - hdr : 0;
  const uint64_t diff = a > bp ? a - bp : bp - a;
  const uint64_t larger = std::max(a, bp);
  const double allow = static_cast<double>(RelayLinks::kSlackBytes + (ip_bytes ? pkts * 20 : 0)) +
                       RelayLinks::kSlackShare * static_cast<double>(larger);
  if (static_cast<double>(diff) > allow) return false;
  const uint64_t free_less = 256 + (ip_bytes ? pkts * 12 : 0);
  const uint64_t off = a > bp ? (diff > free_more ? diff - free_more : 0) : (diff > free_less ? diff - free_less : 0);
  cost += static_cast<double>(off) / static_cast<double>(std::max<uint64_t>(larger, 1));
  return true;
}

}  // namespace

void RelayLinks::unindex(Entry& e, uint64_t seq) {
  if (!e.indexed) return;
  e.indexed = false;
  --indexed_;
  auto it = buckets_.find(bucket_key(e.f.dest_port, e.f.proto, e.f.start));
  if (it == buckets_.end()) return;
  auto& v = it->second;
  if (auto at = std::find(v.begin(), v.end(), seq); at != v.end()) {
    *at = v.back();
    v.pop_back();
  }
  if (v.empty()) buckets_.erase(it);
}

void RelayLinks::drop_front(uint64_t& counter_if_unlinked) {
  Entry& e = flows_.front();
  if (!e.linked) ++counter_if_unlinked;
  unindex(e, base_);
  flows_.pop_front();
  ++base_;
}

void RelayLinks::add(RelayedFlow f, TimeNs clock) {
  // Past the cap the oldest go; one already linked was counted then.
  while (!flows_.empty() && flows_.size() >= std::max<size_t>(opt_.max_flows, 1)) drop_front(counts_.overflow);
  Entry& e = flows_.emplace_back();
  e.f = std::move(f);
  e.arrival = clock;
  if (in_record_range(e.f.start)) {  // a wild start matches no client leg: not indexed
    buckets_[bucket_key(e.f.dest_port, e.f.proto, e.f.start)].push_back(base_ + flows_.size() - 1);
    e.indexed = true;
    ++indexed_;
  }
}

void RelayLinks::expire(TimeNs horizon) {
  while (!flows_.empty() && (flows_.front().arrival == kNoTime || flows_.front().arrival < horizon)) {
    Entry& e = flows_.front();
    drop_front(e.tied ? counts_.ambiguous : counts_.no_candidate);
  }
}

const RelayedFlow* RelayLinks::link(const ClientLeg& leg, const Resolves& resolves) {
  if (!in_record_range(leg.start) || indexed_ == 0) {  // (a wild time: no arithmetic on it)
    ++counts_.sessions_unlinked;
    return nullptr;
  }
  cands_.clear();
  const TimeNs from = leg.start - kBefore, to = leg.start + kAfter;
  for (TimeNs slice = std::max<TimeNs>(from, 0) >> kSliceShift; slice <= to >> kSliceShift; ++slice) {
    auto b = buckets_.find(bucket_key(leg.port, leg.proto, slice << kSliceShift));
    if (b == buckets_.end()) continue;
    for (uint64_t seq : b->second) {
      Entry& e = flows_[static_cast<size_t>(seq - base_)];
      const RelayedFlow& f = e.f;
      if (f.start < from || f.start > to) continue;
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
      if (leg.out_known && f.out_known && !bytes_close(leg.out, f.out, f.out_pkts, f.ip_bytes, kExchangeOut, cost)) continue;
      if (leg.in_known && f.in_known && !bytes_close(leg.in, f.in, f.in_pkts, f.ip_bytes, kExchangeIn, cost)) continue;
      const TimeNs dt = f.start > leg.start ? f.start - leg.start : leg.start - f.start;
      cost += 0.1 * static_cast<double>(dt) / static_cast<double>(kBefore + kAfter);  // a weak tiebreak
      cands_.push_back({&e, seq, rank, cost});
    }
  }
  if (cands_.empty()) {
    ++counts_.sessions_unlinked;
    return nullptr;
  }
  const auto better = [](const Candidate& a, const Candidate& b) { return a.rank != b.rank ? a.rank < b.rank : a.cost < b.cost; };
  const Candidate best = *std::min_element(cands_.begin(), cands_.end(), better);
  size_t ties = 0;
  for (const Candidate& c : cands_)
    if (c.rank == best.rank && c.cost - best.cost < kTie) ++ties;
  if (ties > 1) {
    for (const Candidate& c : cands_)
      if (c.rank == best.rank && c.cost - best.cost < kTie) c.e->tied = true;
    ++counts_.sessions_ambiguous;
    return nullptr;
  }
  best.e->linked = true;
  unindex(*best.e, best.seq);
  ++counts_.linked;
  ++counts_.sessions_linked;
  return &best.e->f;
}

}  // namespace outflow
