#include "outflow/features/pairs.h"

#include <algorithm>
#include <cstring>

#include "outflow/core/byte_io.h"
#include "outflow/features/proxy_dest.h"
#include "outflow/join/app_names.h"
#include "outflow/model/session.h"

namespace outflow {

namespace {

// Names are keyed by their id (odd keys, no collision), addresses by their hash (even keys).
uint64_t name_key(uint32_t id) { return (uint64_t{id} << 1) | 1; }
uint64_t ip_key(const IpAddr& ip) { return IpAddrHash{}(ip) & ~uint64_t{1}; }
uint64_t pair_key(const PairTable::Conn& c) { return c.name_id != PairActivity::kNoName ? name_key(c.name_id) : ip_key(*c.resp); }
uint64_t pair_key(const PairActivity& p) { return p.by_name ? name_key(p.name_id) : ip_key(p.ip); }

int64_t seconds_of(TimeNs t) { return t >= 0 ? t / kNsPerSec : -((-t + kNsPerSec - 1) / kNsPerSec); }

using byte_io::get;
using byte_io::put;
void put_str(std::string& o, const std::string& s) {
  put(o, static_cast<uint32_t>(s.size()));
  o.append(s);
}
bool get_str(std::string_view& in, std::string& s) {
  uint32_t n = 0;
  if (!get(in, n) || n > in.size()) return false;
  s.assign(in.data(), n);
  in.remove_prefix(n);
  return true;
}
void put_ip(std::string& o, const IpAddr& a) { o.append(reinterpret_cast<const char*>(a.b.data()), a.b.size()); }
bool get_ip(std::string_view& in, IpAddr& a) {
  if (in.size() < a.b.size()) return false;
  std::memcpy(a.b.data(), in.data(), a.b.size());
  in.remove_prefix(a.b.size());
  return true;
}

}  // namespace

bool PairTable::evict(const PairLimits& lim) {
  // Candidates: no accumulator yet (fewer than kLazySessions sessions) and no long session.
  std::vector<std::pair<TimeNs, uint32_t>> cand;
  for (uint32_t i = 0; i < pairs_.size(); ++i)
    if (pairs_[i].acc < 0 && pairs_[i].longest < lim.keep_long) cand.emplace_back(pairs_[i].last, i);
  if (cand.empty()) return false;
  std::sort(cand.begin(), cand.end());
  cand.resize((cand.size() + 1) / 2);  // the oldest half
  std::vector<uint8_t> drop(pairs_.size(), 0);
  for (const auto& [t, i] : cand) drop[i] = 1;
  std::vector<PairActivity> kept;
  kept.reserve(pairs_.size());
  for (uint32_t i = 0; i < pairs_.size(); ++i) {
    if (drop[i]) {
      ++evicted_;
      sessions_evicted_ += pairs_[i].sessions;
    } else {
      kept.push_back(std::move(pairs_[i]));
    }
  }
  pairs_ = std::move(kept);
  index_.clear();
  for (uint32_t i = 0; i < pairs_.size(); ++i) index_[pair_key(pairs_[i])] = i;
  return true;
}

PairActivity* PairTable::find_or_make(const Conn& c, const PairLimits& lim) {
  const uint64_t k = pair_key(c);
  if (auto it = index_.find(k); it != index_.end()) {
    PairActivity& p = pairs_[it->second];
    // A hash collision between two keys of the same kind: the second is not kept apart.
    if (p.by_name ? p.name_id == c.name_id : p.ip == *c.resp) return &p;
    ++unpaired_;
    return nullptr;
  }
  if (pairs_.size() >= lim.max_pairs && !evict(lim)) {
    ++unpaired_;
    return nullptr;
  }
  index_[k] = static_cast<uint32_t>(pairs_.size());
  PairActivity& p = pairs_.emplace_back();
  p.by_name = c.name_id != PairActivity::kNoName;
  p.name_id = c.name_id;
  p.ip = *c.resp;
  return &p;
}

void PairTable::feed(PairActivity& p, int64_t ts_s, uint32_t bytes, TimeNs dur, const PairLimits& lim, PairBudget& budget) {
  if (p.acc < 0) {
    if (p.sessions < PairActivity::kLazySessions) {
      const size_t i = p.sessions - 1;
      p.pre_ts[i] = static_cast<uint32_t>(std::clamp<int64_t>(ts_s, 0, UINT32_MAX));
      p.pre_bytes[i] = bytes;
      p.pre_ms[i] = static_cast<uint32_t>(std::clamp<TimeNs>(dur / 1'000'000, 0, UINT32_MAX));
      return;
    }
    p.acc = static_cast<int32_t>(accs_.size());
    BeaconAccumulator& a = accs_.emplace_back(lim.max_samples, lim.horizon_s);
    for (size_t i = 0; i + 1 < PairActivity::kLazySessions; ++i)
      a.add(TimeNs{p.pre_ts[i]} * kNsPerSec, p.pre_bytes[i], TimeNs{p.pre_ms[i]} * 1'000'000);
    samples_ += a.samples();
    budget.used += a.samples();
  }
  BeaconAccumulator& a = accs_[static_cast<size_t>(p.acc)];
  const size_t before = a.samples();
  if (budget.spent() && before > 0) {
    a.freeze_samples();
    if (a.stride() == 1 && before + 1 >= 8) ++budget.pairs_frozen;
  }
  a.add(ts_s * kNsPerSec, bytes, dur);
  const size_t after = a.samples();
  samples_ = samples_ + after - before;
  budget.used = budget.used + after - before;
}

void PairTable::add(const Conn& c, const PairLimits& lim, PairBudget& budget) {
  if (!c.resp || c.start == kNoTime) return;
  PairActivity* p = find_or_make(c, lim);
  if (!p) return;
  if (p->by_name && !(p->ip == *c.resp)) {
    bool known = false;
    for (uint32_t i = 0; i + 1 < std::min<uint32_t>(p->addresses, 4); ++i) known |= p->more_ips[i] == *c.resp;
    if (!known) {
      if (p->addresses < 4) p->more_ips[p->addresses - 1] = *c.resp;
      ++p->addresses;
    }
  }
  const TimeNs end = c.end != kNoTime && c.end > c.start ? c.end : c.start;
  const TimeNs dur = end - c.start;
  p->bytes_out += c.bytes_out;
  p->bytes_in += c.bytes_in;
  ++p->sessions;
  p->open_sessions += c.open;
  p->sessions_out_unknown += c.out_unknown;
  if (p->first == kNoTime || c.start < p->first) p->first = c.start;
  if (p->last == kNoTime || end > p->last) p->last = end;
  if (dur > p->longest) p->longest = dur, p->longest_start = c.start;
  p->duration_sum += dur;
  const uint64_t sb = c.sample_bytes != UINT64_MAX ? c.sample_bytes : c.bytes_out;
  feed(*p, seconds_of(c.start), static_cast<uint32_t>(std::min<uint64_t>(sb, UINT32_MAX)), dur, lim, budget);
}

void PairTable::save(std::string& o) const {
  put(o, static_cast<uint32_t>(pairs_.size()));
  for (const auto& p : pairs_) {
    put(o, static_cast<uint8_t>(p.by_name)), put_ip(o, p.ip), put(o, p.name_id), put_str(o, p.name);
    put(o, p.addresses);
    for (const auto& m : p.more_ips) put_ip(o, m);
    put(o, p.bytes_out), put(o, p.bytes_in), put(o, p.sessions), put(o, p.open_sessions), put(o, p.sessions_out_unknown);
    put(o, p.first), put(o, p.last), put(o, p.longest), put(o, p.duration_sum), put(o, p.longest_start), put(o, p.acc);
    put(o, p.pre_ts), put(o, p.pre_bytes), put(o, p.pre_ms);
  }
  put(o, static_cast<uint32_t>(accs_.size()));
  for (const auto& a : accs_) a.save(o);
  put(o, samples_), put(o, evicted_), put(o, unpaired_), put(o, sessions_evicted_);
}

bool PairTable::load(std::string_view in) {
  *this = PairTable{};
  uint32_t n = 0;
  if (!get(in, n) || n > in.size() / 64) return false;
  pairs_.resize(n);
  for (auto& p : pairs_) {
    uint8_t by_name = 0;
    bool ok = get(in, by_name) && get_ip(in, p.ip) && get(in, p.name_id) && get_str(in, p.name) && get(in, p.addresses);
    for (auto& m : p.more_ips) ok = ok && get_ip(in, m);
    ok = ok && get(in, p.bytes_out) && get(in, p.bytes_in) && get(in, p.sessions) && get(in, p.open_sessions) && get(in, p.sessions_out_unknown) && get(in, p.first) &&
         get(in, p.last) && get(in, p.longest) && get(in, p.duration_sum) && get(in, p.longest_start) && get(in, p.acc) &&
         get(in, p.pre_ts) && get(in, p.pre_bytes) && get(in, p.pre_ms);
    if (!ok) return false;
    p.by_name = by_name != 0;
  }
  uint32_t na = 0;
  if (!get(in, na) || na > n) return false;
  accs_.resize(na);
  for (auto& a : accs_)
    if (!a.load(in)) return false;
  for (const auto& p : pairs_)
    if (p.acc >= static_cast<int32_t>(na)) return false;
  if (!get(in, samples_) || !get(in, evicted_) || !get(in, unpaired_) || !get(in, sessions_evicted_) || !in.empty()) return false;
  for (uint32_t i = 0; i < pairs_.size(); ++i) index_[pair_key(pairs_[i])] = i;
  return true;
}

void add_to_pairs(PairTable& t, const Session& s, const AppNames* names, const AppNames::ConnApp* app, const PairLimits& lim,
                  PairBudget& budget) {
  PairTable::Conn c;
  c.resp = &s.resp_h;
  // Through a proxy: the pair is the host the requests named, never the proxy.
  const ProxiedDest via = proxied_dest(names, app);
  if (via.named) {
    c.resp = &via.ip;  // unset for a name
    c.name_id = via.name_id;
  } else if (names && app) {
    if (app->sni != AppNames::kNone && !names->name(app->sni).empty()) c.name_id = app->sni;
    else if (app->host != AppNames::kNone && !names->name(app->host).empty()) c.name_id = app->host;
  }
  c.start = s.start;
  c.end = s.end;
  c.bytes_out = s.orig_bytes;
  // The beacon's data size score uses IP bytes as RITA does (Zeek orig_ip_bytes); NetFlow's
  // byte counts are IP bytes already.
  c.sample_bytes = s.orig_ip_bytes ? s.orig_ip_bytes : s.orig_bytes;
  c.bytes_in = s.resp_bytes;
  c.open = s.source == FlowSource::zeek_open_conn || s.source == FlowSource::suricata_open;
  c.out_unknown = s.orig_unknown;
  t.add(c, lim, budget);
}

}  // namespace outflow
