#include "outflow/join/clock_offsets.h"

#include <algorithm>

namespace outflow {

const char* offset_source_name(OffsetSource s) {
  switch (s) {
    case OffsetSource::samples: return "5-tuple matches";
    case OffsetSource::process_check: return "process starts vs first connections";
    case OffsetSource::inherited: return "inherited";
    case OffsetSource::none: break;
  }
  return "unknown";
}

bool is_connect_event(uint16_t id) { return id == 3 || id == 5156; }
bool is_process_event(uint16_t id) { return id == 1 || id == 5 || id == 4688 || id == 4689; }

namespace {

TimeNs median_of(std::vector<TimeNs>& v) {
  std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

TimeNs mad_of(std::vector<TimeNs> v, TimeNs center) {
  for (auto& x : v) x = x > center ? x - center : center - x;
  return median_of(v);
}

// The earliest window [v[i], v[i] + width] holding the most values of sorted `v`: (i, count).
std::pair<size_t, size_t> densest(const std::vector<TimeNs>& v, TimeNs width) {
  size_t best = 0, best_n = 0;
  for (size_t i = 0, j = 0; i < v.size(); ++i) {
    if (j < i) j = i;
    while (j < v.size() && v[j] - v[i] <= width) ++j;
    if (j - i > best_n) best = i, best_n = j - i;
  }
  return {best, best_n};
}

// Samples are kept spread over the whole input: past the cap every other one goes and only
// every `stride`-th new one is taken.
template <class T>
void keep_decimated(std::vector<T>& v, uint64_t& total, uint64_t& stride, size_t cap, const T& x) {
  if (total++ % stride != 0) return;
  v.push_back(x);
  if (v.size() < cap) return;
  size_t w = 0;
  for (size_t r = 0; r < v.size(); r += 2) v[w++] = v[r];
  v.resize(w);
  stride *= 2;
}

}  // namespace

std::vector<OffsetPiece> estimate_pieces(std::vector<std::pair<TimeNs, TimeNs>> s, TimeNs width, uint64_t min_run,
                                         uint64_t* outliers) {
  std::vector<OffsetPiece> out;
  if (outliers) *outliers = 0;
  if (s.empty()) return out;
  // Clusters of offsets, densest first.
  std::vector<size_t> by_d(s.size());
  for (size_t i = 0; i < s.size(); ++i) by_d[i] = i;
  std::sort(by_d.begin(), by_d.end(), [&](size_t a, size_t b) { return s[a].second < s[b].second; });
  std::vector<int> label(s.size(), -1);
  std::vector<TimeNs> centers, mads;
  std::vector<size_t> counts;
  const size_t min_cluster = std::max<size_t>(min_run, s.size() / 50);
  while (centers.size() < 8) {
    std::vector<TimeNs> free_d;
    std::vector<size_t> free_i;
    for (size_t i : by_d)
      if (label[i] < 0) free_d.push_back(s[i].second), free_i.push_back(i);
    if (free_d.empty()) break;
    const auto [at, n] = densest(free_d, width);
    if (!centers.empty() && n < min_cluster) break;
    std::vector<TimeNs> members(free_d.begin() + static_cast<long>(at), free_d.begin() + static_cast<long>(at + n));
    for (size_t k = at; k < at + n; ++k) label[free_i[k]] = static_cast<int>(centers.size());
    const TimeNs c = median_of(members);
    centers.push_back(c);
    mads.push_back(mad_of(members, c));
    counts.push_back(n);
  }
  if (outliers)
    for (int l : label) *outliers += l < 0;
  if (centers.size() == 1) {
    out.push_back({kNoTime, centers[0], mads[0], counts[0]});
    return out;
  }
  // Runs of one cluster in event time; a run shorter than min_run belongs to the one before.
  std::vector<size_t> by_t;
  for (size_t i = 0; i < s.size(); ++i)
    if (label[i] >= 0) by_t.push_back(i);
  std::stable_sort(by_t.begin(), by_t.end(), [&](size_t a, size_t b) { return s[a].first < s[b].first; });
  struct Run {
    int label;
    TimeNs from;
    uint64_t n;
  };
  std::vector<Run> runs;
  for (size_t i : by_t) {
    if (runs.empty() || runs.back().label != label[i]) runs.push_back({label[i], s[i].first, 0});
    ++runs.back().n;
  }
  std::vector<Run> merged;
  for (const Run& r : runs) {
    if (!merged.empty() && (r.n < min_run || merged.back().label == r.label)) {
      merged.back().n += r.n;
      continue;
    }
    if (!merged.empty() && merged.back().n < min_run) {  // the first run was short: the next one starts it
      merged.back() = {r.label, merged.back().from, merged.back().n + r.n};
      continue;
    }
    merged.push_back(r);
  }
  for (size_t k = 0; k < merged.size(); ++k) {
    const auto l = static_cast<size_t>(merged[k].label);
    out.push_back({k == 0 ? kNoTime : merged[k].from, centers[l], mads[l], merged[k].n});
  }
  return out;
}

ClockOffsets::PerKey* ClockOffsets::find(const ClockKey& k) {
  auto it = hosts_.find(k.host);
  if (it == hosts_.end()) return nullptr;
  for (auto& p : it->second.keys)
    if (p.key == k) return &p;
  return nullptr;
}

const ClockOffsets::PerKey* ClockOffsets::find(const ClockKey& k) const {
  return const_cast<ClockOffsets*>(this)->find(k);
}

ClockOffsets::PerKey& ClockOffsets::get(const ClockKey& k) {
  if (PerKey* p = find(k)) return *p;
  auto& v = hosts_[k.host].keys;
  v.emplace_back().key = k;
  return v.back();
}

void ClockOffsets::add_sample(const ClockKey& k, TimeNs t, TimeNs d) {
  if (d > kMaxPlausible || d < -kMaxPlausible) return;
  PerKey& p = get(k);
  keep_decimated(p.samples, p.total, p.stride, kMaxSamples, Sample{t, d});
}

void ClockOffsets::add_process_check(const ClockKey& sk, TimeNs start, const ClockKey& ck, TimeNs ct) {
  if (start == kNoTime || ct == kNoTime) return;
  PerKey& p = get(sk);
  keep_decimated(p.checks, p.checks_total, p.check_stride, kMaxChecks, Check{ck, start, ct});
}

void ClockOffsets::count_event(const ClockKey& k) { ++get(k).events; }

const std::vector<OffsetPiece>& ClockOffsets::pieces_of(const PerKey& p) const {
  const size_t n = p.samples.size();
  // Recomputed when the samples have grown by an eighth (amortised), or after decimation.
  if (p.cached && n >= p.cached_n && n < p.cached_n + p.cached_n / 8 + 1) return p.pieces;
  std::vector<std::pair<TimeNs, TimeNs>> v;
  v.reserve(n);
  for (const auto& s : p.samples) v.emplace_back(s.t, s.d);
  p.pieces = estimate_pieces(std::move(v), kClusterWidth, kMinSamples, &p.outliers);
  for (auto& piece : p.pieces) piece.samples = piece.samples * p.stride;  // what the kept ones stand for
  p.cached_n = n;
  p.cached = true;
  return p.pieces;
}

OffsetEstimate ClockOffsets::own(const PerKey& p, TimeNs at) const {
  OffsetEstimate e;
  const auto& pieces = pieces_of(p);
  if (pieces.empty()) return e;
  size_t i = 0;
  if (at != kNoTime)
    while (i + 1 < pieces.size() && pieces[i + 1].from <= at) ++i;
  const OffsetPiece& x = pieces[i];
  e.offset = x.offset;
  e.mad = x.mad;
  e.samples = x.samples;
  e.pieces = static_cast<uint32_t>(pieces.size());
  e.known = x.samples >= kMinSamples;
  e.source = e.known ? OffsetSource::samples : OffsetSource::none;
  return e;
}

OffsetEstimate ClockOffsets::own_or_prior(const PerKey& p, TimeNs at) const {
  const OffsetEstimate e = p.samples.empty() ? OffsetEstimate{} : own(p, at);
  return e.known || !p.prior.known ? e : p.prior;
}

OffsetEstimate ClockOffsets::inherit(HostId host, TimeField field, TimeNs at) const {
  auto it = hosts_.find(host);
  if (it == hosts_.end()) return {};
  OffsetEstimate best;
  for (const auto& p : it->second.keys) {
    if (!is_connect_event(p.key.event_id) || p.key.field != field) continue;
    OffsetEstimate e = own_or_prior(p, at);
    if (e.known && e.samples > best.samples) {
      best = e;
      best.source = OffsetSource::inherited;
      best.from_event = p.key.event_id;
    }
  }
  return best;
}

bool ClockOffsets::check_offset(const PerKey& p, TimeNs assumed, bool assumed_known, TimeNs& offset, uint64_t& n,
                                uint64_t& disagree) const {
  std::vector<TimeNs> d;
  for (const Check& c : p.checks) {
    const PerKey* ck = find(c.connect);
    if (!ck) continue;
    const OffsetEstimate e = own_or_prior(*ck, c.connect_time);
    if (!e.known) continue;
    d.push_back(c.connect_time + e.offset - c.start);  // >= the process clock's offset
  }
  n = d.size();
  disagree = 0;
  if (d.empty()) return false;
  for (TimeNs x : d) disagree += assumed_known && x < assumed - kClusterWidth;
  std::sort(d.begin(), d.end());
  // Short-lived tools connect seconds after they start: the earliest dense group of these is
  // the process clock's offset (long-running processes only add later values).
  const auto [at, cnt] = densest(d, 10 * 60 * kNsPerSec);
  offset = d[at];
  if (!assumed_known) return true;
  if (disagree * 2 > n) return true;  // connections before their starts
  // Or the assumed clock has nine processes in ten wait more than a day for their first
  // connection: the process clock is behind the connection clock.
  if (n >= 3 && d[n / 10] - assumed > 86400 * kNsPerSec) return true;
  const TimeNs gap = offset > assumed ? offset - assumed : assumed - offset;
  return cnt >= 2 && cnt * 2 >= n && gap > 3600 * kNsPerSec;
}

void ClockOffsets::set_priors(const std::vector<std::pair<ClockKey, OffsetEstimate>>& priors) {
  for (const auto& [k, e] : priors) {
    PerKey& p = get(k);
    p.prior = e;
    p.prior.prior = true;
  }
}

OffsetEstimate ClockOffsets::estimate(const ClockKey& k, TimeNs at) const {
  const PerKey* p = find(k);
  if (p && p->prior.known) {
    // This run's own evidence replaces the survey's as soon as it suffices.
    const OffsetEstimate e = p->samples.empty() ? OffsetEstimate{} : own(*p, at);
    if (e.known) return e;
    if (!is_process_event(k.event_id) || p->checks.size() < 2) return p->prior;
  }
  if (p && !p->samples.empty()) {
    OffsetEstimate e = own(*p, at);
    if (e.known || !is_connect_event(k.event_id)) return e;
  }
  if (!p || !is_process_event(k.event_id) || p->checks.empty()) {
    // A process's end is on the clock of its start (Sysmon 5 with Sysmon 1, 4689 with 4688).
    const uint16_t start_id = k.event_id == 5 ? 1 : k.event_id == 4689 ? 4688 : 0;
    if (start_id) {
      const PerKey* sp = find({k.host, start_id, k.field});
      if (sp && !sp->checks.empty()) {
        OffsetEstimate e = estimate({k.host, start_id, k.field}, at);
        if (e.source == OffsetSource::inherited || e.source == OffsetSource::process_check) {
          e.source = OffsetSource::inherited;
          e.from_event = start_id;
          return e;
        }
      }
    }
    return inherit(k.host, k.field, at);
  }
  // Process keys are asked for on every inferred match: the cross-checks are redone only when
  // they, or the connection samples they rest on, have grown by an eighth.
  const size_t nc = p->checks.size(), ns = connect_samples(k.host);
  if (p->derived_cached && nc >= p->derived_checks && nc < p->derived_checks + p->derived_checks / 8 + 1 &&
      ns >= p->derived_samples && ns < p->derived_samples + p->derived_samples / 8 + 1)
    return p->derived;
  OffsetEstimate e = inherit(k.host, k.field, at);
  TimeNs off = 0;
  uint64_t n = 0, disagree = 0;
  if (check_offset(*p, e.offset, e.known, off, n, disagree)) {
    e = {};
    e.known = true;
    e.offset = off;
    e.samples = n;
    e.source = OffsetSource::process_check;
  }
  p->derived = e;
  p->derived_checks = nc;
  p->derived_samples = ns;
  p->derived_cached = true;
  return e;
}

size_t ClockOffsets::connect_samples(HostId host) const {
  auto it = hosts_.find(host);
  size_t n = 0;
  if (it != hosts_.end())
    for (const auto& p : it->second.keys)
      if (is_connect_event(p.key.event_id)) n += p.samples.size();
  return n;
}

OffsetEstimate ClockOffsets::process_clock(HostId host) const {
  auto it = hosts_.find(host);
  if (it == hosts_.end()) return {};
  const PerKey* best = nullptr;
  for (const auto& p : it->second.keys) {
    if (!is_process_event(p.key.event_id)) continue;
    // Sysmon 1 first (its UtcTime is the clock process times are kept in), then the busiest.
    if (!best || (p.key.event_id == 1) > (best->key.event_id == 1) ||
        ((p.key.event_id == 1) == (best->key.event_id == 1) && p.events > best->events))
      best = &p;
  }
  if (best) return estimate(best->key);
  return connect_clock(host);
}

OffsetEstimate ClockOffsets::connect_clock(HostId host) const {
  auto it = hosts_.find(host);
  if (it == hosts_.end()) return {};
  OffsetEstimate best;
  for (const auto& p : it->second.keys) {
    if (!is_connect_event(p.key.event_id)) continue;
    const OffsetEstimate e = own_or_prior(p, kNoTime);
    if (e.known && e.samples > best.samples) best = e;
  }
  return best;
}

std::vector<ClockReport> ClockOffsets::report(HostId host) const {
  std::vector<ClockReport> out;
  auto it = hosts_.find(host);
  if (it == hosts_.end()) return out;
  for (const auto& p : it->second.keys) {
    ClockReport r;
    r.key = p.key;
    r.samples = p.total;
    r.events = p.events;
    r.checks = p.checks_total;
    const OffsetEstimate e = estimate(p.key);
    r.source = e.source;
    r.from_event = e.from_event;
    r.prior = e.prior;
    if (e.source == OffsetSource::samples && !e.prior) {
      r.pieces = pieces_of(p);
      r.outliers = p.outliers * p.stride;
    } else if (e.known) {
      r.pieces.push_back({kNoTime, e.offset, e.mad, e.samples});
    }
    if (is_process_event(p.key.event_id) && !p.checks.empty()) {
      const OffsetEstimate assumed = e;
      TimeNs off = 0;
      uint64_t n = 0, dis = 0;
      check_offset(p, assumed.offset, assumed.known, off, n, dis);
      r.disagreements = dis * p.check_stride;
    }
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const ClockReport& a, const ClockReport& b) {
    if (a.key.event_id != b.key.event_id) return a.key.event_id < b.key.event_id;
    return a.key.field < b.key.field;
  });
  return out;
}

bool ClockOffsets::connect_clock_unknown(HostId host) const {
  auto it = hosts_.find(host);
  if (it == hosts_.end()) return false;
  for (const auto& p : it->second.keys)
    if (is_connect_event(p.key.event_id) && p.events > 0 && !estimate(p.key).known) return true;
  return false;
}

std::vector<HostId> ClockOffsets::hosts() const {
  std::vector<HostId> v;
  for (const auto& [h, c] : hosts_) v.push_back(h);
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace outflow
