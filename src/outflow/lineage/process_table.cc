#include "outflow/lineage/process_table.h"

#include <algorithm>
#include <array>

namespace outflow {

namespace {
constexpr TimeNs kPidSlack = 5 * 60 * kNsPerSec;    // clock jitter between event fields
constexpr TimeNs kMergeWindow = 3600 * kNsPerSec;   // Sysmon 1 and 4688 of one process

TimeNs absdiff(TimeNs a, TimeNs b) { return a > b ? a - b : b - a; }

// Hex digit values; 0xFF for any other byte.
constexpr std::array<uint8_t, 256> kHexValue = [] {
  std::array<uint8_t, 256> t{};
  t.fill(0xFF);
  for (int c = '0'; c <= '9'; ++c) t[static_cast<size_t>(c)] = static_cast<uint8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) t[static_cast<size_t>(c)] = static_cast<uint8_t>(c - 'a' + 10);
  for (int c = 'A'; c <= 'F'; ++c) t[static_cast<size_t>(c)] = static_cast<uint8_t>(c - 'A' + 10);
  return t;
}();
// The hex digits' positions in "{8-4-4-4-12}".
constexpr std::array<uint8_t, 32> kGuidDigits = {1,  2,  3,  4,  5,  6,  7,  8,  10, 11, 12, 13, 15, 16, 17, 18,
                                                 20, 21, 22, 23, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36};
}  // namespace

ProcessTable::GuidKey ProcessTable::guid_key(HostId host, std::string_view g) {
  // "{d273d0f0-8078-5f67-cc06-000000000800}": 32 hex digits, case-insensitive.
  GuidKey k{host, 0, 0};
  // The usual layout first, without a branch per digit (the general loop below was a twelfth of
  // the join thread on a collector's file, issue 15); both give the same key.
  if (g.size() == 38 && g[0] == '{' && g[37] == '}' && g[9] == '-' && g[14] == '-' && g[19] == '-' && g[24] == '-') {
    uint8_t bad = 0;
    for (size_t j = 0; j < 16; ++j) {
      const uint8_t v = kHexValue[static_cast<uint8_t>(g[kGuidDigits[j]])];
      bad |= v;
      k.hi = (k.hi << 4) | (v & 0xF);
    }
    for (size_t j = 16; j < 32; ++j) {
      const uint8_t v = kHexValue[static_cast<uint8_t>(g[kGuidDigits[j]])];
      bad |= v;
      k.lo = (k.lo << 4) | (v & 0xF);
    }
    if ((bad & 0xF0) == 0) return k;
    k.hi = k.lo = 0;
  }
  if (g.size() == 38 && g.front() == '{' && g.back() == '}') {
    int n = 0;
    bool ok = true;
    for (size_t i = 1; i + 1 < g.size() && ok; ++i) {
      const char c = g[i];
      if (c == '-') continue;
      unsigned v;
      if (c >= '0' && c <= '9') v = static_cast<unsigned>(c - '0');
      else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') v = static_cast<unsigned>((c | 0x20) - 'a' + 10);
      else ok = false;
      if (!ok) break;
      uint64_t& half = n < 16 ? k.hi : k.lo;
      half = (half << 4) | v;
      ++n;
    }
    if (ok && n == 32) return k;
  }
  // Not a GUID: two FNV-1a hashes with different offsets, tagged so they cannot equal a GUID's.
  uint64_t a = 0xcbf29ce484222325ULL, b = 0x84222325cbf29ce4ULL;
  for (char c : g) {
    a = (a ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    b = (b ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL + 1;
  }
  // The host id's top bit (never used by a real host id) keeps these apart from parsed GUIDs.
  k.hi = a, k.lo = b;
  k.host = host | 0x80000000u;
  return k;
}

ProcId ProcessTable::create(HostId host, std::string_view guid, uint64_t pid, Process::Origin origin) {
  if (live() >= max_) {
    ++dropped_;
    return kNoProc;
  }
  ++seen_;
  const ProcId id = take_slot();
  Process& p = procs_[id];
  fresh_ = id;
  p.serial = seen_;
  p.last_arrival = now_;
  p.host = host;
  p.guid.assign(guid);
  p.pid = pid;
  p.origin = origin;
  if (!guid.empty()) by_guid_.try_emplace(guid_key(host, guid), id);
  if (pid != 0) index_pid(host, pid, id);
  if (origin != Process::Origin::start_event) add_candidate(id);
  return id;
}

void ProcessTable::index_pid(HostId host, uint64_t pid, ProcId id) {
  auto& list = by_pid_[pid_key(host, pid)];
  if (list.size() >= kPidHistory) {
    list.erase(list.begin());
    ++pid_history_dropped_;
    trimmed_pids_.insert(pid_key(host, pid));
  }
  list.push_back(id);
}

ProcId ProcessTable::find_by_guid(HostId host, std::string_view guid) const {
  if (guid.empty()) return kNoProc;
  auto it = by_guid_.find(guid_key(host, guid));
  return it == by_guid_.end() ? kNoProc : it->second;
}

ProcId ProcessTable::find_by_pid(HostId host, uint64_t pid, TimeNs t) const {
  auto it = by_pid_.find(pid_key(host, pid));
  if (it == by_pid_.end()) return kNoProc;
  ProcId best = kNoProc;
  TimeNs best_start = kNoTime;
  for (ProcId id : it->second) {
    const Process& p = procs_[id];
    if (p.host != host || p.pid != pid) continue;  // pid_key is a hash, not a proof
    if (t != kNoTime && p.start != kNoTime && p.start > t + kPidSlack) continue;  // not born yet
    if (t != kNoTime && p.end != kNoTime && p.end + kPidSlack < t) continue;      // already gone
    const TimeNs s = p.start == kNoTime ? std::numeric_limits<TimeNs>::min() + 1 : p.start;
    if (best == kNoProc || s >= best_start) {
      best = id;
      best_start = s;
    }
  }
  if (best == kNoProc) {
    // Nothing alive then: the most recent process with that PID, if any was known at all.
    // Unless older processes of this PID were forgotten (a reuse storm) and `t` is before
    // those that remain: the one alive then is among the forgotten, so none is better than
    // a wrong one.
    const bool trimmed = it->second.size() >= kPidHistory && trimmed_pids_.count(pid_key(host, pid));
    if (trimmed && t != kNoTime) {
      const TimeNs oldest = procs_[it->second.front()].start;
      if (oldest != kNoTime && t < oldest - kPidSlack) return kNoProc;
    }
    for (ProcId id : it->second)
      if (procs_[id].host == host && procs_[id].pid == pid) best = id;
  }
  return best;
}

namespace {
// Case-insensitive equality of two paths' file names, without allocating.
bool same_basename(std::string_view a, std::string_view b) {
  const size_t sa = a.find_last_of("\\/"), sb = b.find_last_of("\\/");
  if (sa != std::string_view::npos) a.remove_prefix(sa + 1);
  if (sb != std::string_view::npos) b.remove_prefix(sb + 1);
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}
}  // namespace

ProcId ProcessTable::match_security_start(HostId host, const HostEvent& e) const {
  // A 4688 for a process Sysmon already reported (or the reverse): same PID, same image name,
  // start times within the merge window.
  auto it = by_pid_.find(pid_key(host, e.pid));
  if (it == by_pid_.end()) return kNoProc;
  for (auto rit = it->second.rbegin(); rit != it->second.rend(); ++rit) {
    const Process& p = procs_[*rit];
    if (p.host != host || p.pid != e.pid) continue;
    if (p.start != kNoTime && e.time != kNoTime && absdiff(p.start, e.time) > kMergeWindow) continue;
    if (p.origin == Process::Origin::start_event && p.from_security && !p.from_sysmon) continue;
    if (!p.image.empty() && !same_basename(p.image, e.image)) continue;
    return *rit;
  }
  return kNoProc;
}

ProcId ProcessTable::match_by_image_time(HostId host, const HostEvent& e, bool want_sysmon) const {
  auto it = recent_.find(host);
  if (it == recent_.end() || e.time == kNoTime) return kNoProc;
  const auto& list = want_sysmon ? it->second.pidless_sysmon : it->second.security;
  for (auto rit = list.rbegin(); rit != list.rend(); ++rit) {
    const Process& p = procs_[*rit];
    if (want_sysmon ? p.from_security : p.from_sysmon) continue;  // already paired
    if (p.start == kNoTime || absdiff(p.start, e.time) > kPidSlack) continue;
    if (!same_basename(p.image, e.image)) continue;
    if (p.pid != 0 && e.pid != 0 && p.pid != e.pid) continue;
    if (!e.parent_image.empty() && p.parent != kNoProc && !procs_[p.parent].image.empty() &&
        !same_basename(procs_[p.parent].image, e.parent_image))
      continue;
    return *rit;
  }
  return kNoProc;
}

void ProcessTable::remember_start(HostId host, ProcId id, bool sysmon, bool pidless) {
  if (sysmon && !pidless) return;  // paired by PID, not by image and time
  auto& v = sysmon ? recent_[host].pidless_sysmon : recent_[host].security;
  if (v.size() >= kRecentStarts) v.erase(v.begin(), v.begin() + kRecentStarts / 2);
  v.push_back(id);
}

void ProcessTable::fill_from_start(Process& p, const HostEvent& e) {
  if (fresh_ == kNoProc || &p != &procs_[fresh_]) ++generation_;  // a process created just now was never rendered
  if (p.start == kNoTime || e.event_id == 1) {  // Sysmon's UtcTime is the better clock
    p.start = e.time;
    p.start_event = e.event_id;
    p.start_field = e.time_field;
  }
  if (e.pid) p.pid = e.pid;
  auto take = [](std::string& dst, const std::string& src, bool prefer) {
    if (!src.empty() && (dst.empty() || prefer)) dst = src;
  };
  const bool sysmon = e.event_id == 1;
  take(p.image, e.image, sysmon);
  take(p.command_line, e.command_line, sysmon);
  take(p.user, e.user, sysmon);
  take(p.integrity_level, e.integrity_level, sysmon);
  take(p.original_file_name, e.original_file_name, sysmon);
  take(p.company, e.company, sysmon);
  take(p.hashes, e.hashes, sysmon);
  p.origin = Process::Origin::start_event;
  (sysmon ? p.from_sysmon : p.from_security) = true;
  p.invalid_utf8 |= e.invalid_utf8;
}

ProcId ProcessTable::ensure_parent(const HostEvent& e, HostId host, ProcId child) {
  ProcId parent = kNoProc;
  if (!e.parent_guid.empty()) {
    parent = find_by_guid(host, e.parent_guid);
    if (parent == kNoProc) parent = create(host, e.parent_guid, e.ppid, Process::Origin::placeholder_parent);
  } else if (e.ppid != 0) {
    parent = find_by_pid(host, e.ppid, e.time);
    if (parent != kNoProc && procs_[parent].start != kNoTime && e.time != kNoTime &&
        procs_[parent].start > e.time + kPidSlack)
      parent = kNoProc;
    if (parent == kNoProc) parent = create(host, {}, e.ppid, Process::Origin::placeholder_parent);
  }
  if (parent == kNoProc || parent == child) return kNoProc;
  Process& pp = procs_[parent];
  if (pp.image.empty() && !e.parent_image.empty()) pp.image = e.parent_image, ++generation_;
  if (pp.command_line.empty() && !e.parent_command_line.empty()) pp.command_line = e.parent_command_line, ++generation_;
  return parent;
}

void ProcessTable::link_parent(ProcId child, ProcId parent) {
  if (parent == kNoProc) return;
  procs_[child].parent = parent;
  ++procs_[parent].live_children;
  if (child != fresh_) ++generation_;
}

void ProcessTable::forget(ProcId id) {
  Process& p = procs_[id];
  if (!p.guid.empty()) {
    auto it = by_guid_.find(guid_key(p.host, p.guid));
    if (it != by_guid_.end() && it->second == id) by_guid_.erase(it);
  }
  if (p.pid != 0) {
    auto it = by_pid_.find(pid_key(p.host, p.pid));
    if (it != by_pid_.end()) {
      auto& v = it->second;
      v.erase(std::remove(v.begin(), v.end(), id), v.end());
      if (v.empty()) by_pid_.erase(it);
    }
  }
  if (auto it = recent_.find(p.host); it != recent_.end()) {
    for (auto* v : {&it->second.pidless_sysmon, &it->second.security}) v->erase(std::remove(v->begin(), v->end(), id), v->end());
  }
  if (p.parent != kNoProc && procs_[p.parent].live_children > 0) --procs_[p.parent].live_children;
  p = Process{};
  p.in_use = false;
  quarantine_.push_back(id);  // reused only after release_forgotten()
  ++evicted_;
  ++generation_;
}

std::vector<ProcId> ProcessTable::release_forgotten() {
  std::vector<ProcId> ids;
  ids.swap(quarantine_);
  free_.insert(free_.end(), ids.begin(), ids.end());
  return ids;
}

ProcId ProcessTable::restore(const Process& copy, ProcId parent) {
  const ProcId id = take_slot();
  Process& p = procs_[id];
  p = copy;
  p.parent = parent;
  p.live_children = 0;
  p.in_use = true;
  p.restored = true;
  return id;
}

ProcId ProcessTable::take_slot() {
  if (free_.empty()) {
    procs_.emplace_back();
    return static_cast<ProcId>(procs_.size() - 1);
  }
  const ProcId id = free_.back();
  free_.pop_back();
  procs_[id] = Process{};
  ++generation_;  // the id now names another process
  return id;
}

void ProcessTable::release(ProcId id) {
  procs_[id] = Process{};
  procs_[id].in_use = false;
  free_.push_back(id);
  ++generation_;
}

void ProcessTable::boot(HostId host, TimeNs t, ProcId wininit) {
  // One boot per host per 10 minutes at most: a flood of wininit starts costs a bounded number
  // of passes over the table.
  auto [it, fresh] = last_boot_.try_emplace(host, t);
  if (!fresh && t < it->second + 600 * kNsPerSec && t >= it->second) return;
  it->second = t;
  for (size_t i = 0; i < procs_.size(); ++i) {
    Process& p = procs_[i];
    if (!p.in_use || p.host != host || p.end != kNoTime || p.start == kNoTime || i == wininit) continue;
    if (p.start >= t - kPidSlack) continue;  // started with this boot, or clocks disagree
    p.end = t;
    ++ended_by_boot_;
    add_candidate(static_cast<ProcId>(i));
  }
}

std::vector<ProcId> ProcessTable::evict_before(TimeNs horizon, const std::function<void(ProcId)>& on_evict) {
  std::vector<ProcId> gone;
  if (horizon == kNoTime) return gone;
  // Children go first, so a parent whose last child went in this pass gets another look.
  for (bool again = true; again;) {
    again = false;
    size_t kept = 0;
    for (size_t i = 0; i < candidates_.size(); ++i) {
      const ProcId id = candidates_[i];
      const Process& p = procs_[id];
      // A process that started and has not ended is not a candidate (any more): it comes back
      // when its end does.
      const bool candidate = p.in_use && (p.end != kNoTime || p.origin != Process::Origin::start_event);
      if (!candidate) continue;
      const bool go = p.live_children == 0 && p.last_arrival != kNoTime && p.last_arrival < horizon;
      if (!go) {
        candidates_[kept++] = id;
        continue;
      }
      const ProcId parent = p.parent;
      if (on_evict) on_evict(id);
      forget(id);
      gone.push_back(id);
      if (parent != kNoProc && procs_[parent].live_children == 0) again = true;
    }
    candidates_.resize(kept);
  }
  return gone;
}

TimeNs ProcessTable::idle_horizon(size_t n) const {
  std::vector<TimeNs> idle;
  for (size_t i = 0; i < procs_.size(); ++i) {
    const Process& p = procs_[i];
    if (p.in_use && !p.restored && p.live_children == 0 && p.last_arrival != kNoTime) idle.push_back(p.last_arrival);
  }
  if (n == 0 || idle.size() < n) return kNoTime;
  std::nth_element(idle.begin(), idle.begin() + static_cast<std::ptrdiff_t>(n - 1), idle.end());
  return idle[n - 1] + 1;
}

std::vector<ProcId> ProcessTable::evict_idle_before(TimeNs horizon, const std::function<void(ProcId)>& on_evict) {
  std::vector<ProcId> gone;
  if (horizon == kNoTime) return gone;
  // Children first; a parent whose last child goes in a pass is looked at in the next one
  // (lineage is at most kMaxDepth deep in practice; loops cannot keep live_children up).
  for (size_t pass = 0; pass <= kMaxDepth; ++pass) {
    const size_t before = gone.size();
    for (size_t i = 0; i < procs_.size(); ++i) {
      const Process& p = procs_[i];
      if (!p.in_use || p.restored || p.live_children != 0 || p.last_arrival == kNoTime || p.last_arrival >= horizon)
        continue;
      const ProcId id = static_cast<ProcId>(i);
      if (on_evict) on_evict(id);
      forget(id);
      gone.push_back(id);
    }
    if (gone.size() == before) break;
  }
  evicted_idle_ += gone.size();
  return gone;
}

ProcId ProcessTable::on_event(const HostEvent& e, HostId host) {
  const ProcId id = apply_event(e, host);
  if (id != kNoProc && now_ != kNoTime) procs_[id].last_arrival = now_;
  if (id != kNoProc && e.recovered && !procs_[id].recovered) procs_[id].recovered = true, ++generation_;
  return id;
}

ProcId ProcessTable::apply_event(const HostEvent& e, HostId host) {
  ProcId id = kNoProc;
  fresh_ = kNoProc;
  switch (e.type) {
    case HostEventType::process_start: {
      if (!e.process_guid.empty()) {
        id = find_by_guid(host, e.process_guid);
        if (id == kNoProc && e.pid) {
          id = match_security_start(host, e);
          if (id != kNoProc && procs_[id].guid.empty()) {
            procs_[id].guid = e.process_guid;
            by_guid_.try_emplace(guid_key(host, e.process_guid), id);
            ++generation_;
          } else {
            id = kNoProc;
          }
        }
        if (id == kNoProc && e.pid == 0) {
          // Same process already known from its 4688, paired by image and time.
          id = match_by_image_time(host, e, /*want_sysmon=*/false);
          if (id != kNoProc && procs_[id].guid.empty()) {
            procs_[id].guid = e.process_guid;
            by_guid_.try_emplace(guid_key(host, e.process_guid), id);
            ++generation_;
          } else {
            id = kNoProc;
          }
        }
        if (id == kNoProc) id = create(host, e.process_guid, e.pid, Process::Origin::start_event);
      } else {
        id = match_security_start(host, e);
        if (id == kNoProc) id = match_by_image_time(host, e, /*want_sysmon=*/true);
        if (id == kNoProc) id = create(host, {}, e.pid, Process::Origin::start_event);
      }
      if (id == kNoProc) return kNoProc;
      if (procs_[id].pid == 0 && e.pid != 0) {
        procs_[id].pid = e.pid;
        ++generation_;
        index_pid(host, e.pid, id);
      }
      const bool fresh = !procs_[id].from_sysmon && !procs_[id].from_security;
      fill_from_start(procs_[id], e);
      short_names_.learn(host, procs_[id].image);
      if (fresh) remember_start(host, id, e.event_id == 1, e.pid == 0);
      if (e.time != kNoTime && same_basename(procs_[id].image, "wininit.exe")) boot(host, e.time, id);
      if (procs_[id].parent == kNoProc) {
        link_parent(id, ensure_parent(e, host, id));  // `procs_` may have grown: index again
      }
      return id;
    }
    case HostEventType::process_end:
      id = !e.process_guid.empty() ? find_by_guid(host, e.process_guid) : find_by_pid(host, e.pid, e.time);
      if (id != kNoProc && (procs_[id].end == kNoTime || procs_[id].end < e.time)) {
        if (procs_[id].end == kNoTime && e.time != kNoTime) add_candidate(id);
        procs_[id].end = e.time;
      }
      return id;
    case HostEventType::net_connect:
    case HostEventType::dns_query:
      if (!e.process_guid.empty()) {
        id = find_by_guid(host, e.process_guid);
        if (id == kNoProc) id = create(host, e.process_guid, e.pid, Process::Origin::seen_in_event);
      } else if (e.pid != 0) {
        id = find_by_pid(host, e.pid, e.time);
        if (id == kNoProc) id = create(host, {}, e.pid, Process::Origin::seen_in_event);
      }
      if (id == kNoProc) return kNoProc;
      {
        Process& p = procs_[id];
        if (p.image.empty() && !e.image.empty()) p.image = e.image, ++generation_;
        if (p.user.empty() && !e.user.empty()) p.user = e.user, ++generation_;
        if (e.event_id == 3 || e.event_id == 22) p.from_sysmon = true;
        else p.from_security = true;
      }
      return id;
  }
  return kNoProc;
}

std::vector<ProcId> ProcessTable::lineage(ProcId id, bool* truncated) const {
  std::vector<ProcId> chain;
  if (truncated) *truncated = false;
  ProcId cur = id;
  while (cur != kNoProc) {
    if (chain.size() >= kMaxDepth || std::find(chain.begin(), chain.end(), cur) != chain.end()) {
      if (truncated) *truncated = true;
      break;
    }
    chain.push_back(cur);
    cur = procs_[cur].parent;
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

}  // namespace outflow
