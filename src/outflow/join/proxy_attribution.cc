#include "outflow/join/proxy_attribution.h"

#include <algorithm>

namespace outflow {

void ProxyAttribution::refine(const Session& s, const AppNames& apps, const ProcessTable& procs, Attribution& a) {
  const bool matched = a.status == AttributionStatus::matched && a.proc != kNoProc;
  const bool open = a.status == AttributionStatus::ambiguous || a.status == AttributionStatus::no_endpoint_event;
  if ((!matched && !open) || a.host == kNoHost || !a.host_is_orig) return;
  const AppNames::ConnApp* c = apps.conn(s);
  if (!c || c->proxy_host == AppNames::kNone) return;
  const std::string& named = apps.name(c->proxy_host);
  if (named.empty()) return;
  key_.assign(reinterpret_cast<const char*>(&a.host), sizeof a.host);
  key_ += named;
  key_.push_back(':');
  key_ += std::to_string(c->proxy_port);
  if (matched) {
    const uint64_t serial = procs.get(a.proc).serial;
    auto it = by_key_.find(key_);
    if (it == by_key_.end()) {
      if (by_key_.size() >= kMaxKeys) {
        ++keys_dropped_;
        return;
      }
      it = by_key_.emplace(key_, std::vector<Taught>{}).first;
    }
    auto& v = it->second;
    if (std::none_of(v.begin(), v.end(), [&](const Taught& t) { return t.proc == a.proc && t.serial == serial; })) {
      if (v.size() >= kPerKey) v.erase(v.begin());  // the oldest teacher goes
      v.push_back({a.proc, serial});
    }
    return;
  }
  const auto it = by_key_.find(key_);
  if (it == by_key_.end()) return;
  ProcId pick = kNoProc;
  size_t alive = 0;
  for (const Taught& t : it->second) {
    if (t.proc >= procs.size()) continue;
    const Process& p = procs.get(t.proc);
    if (!p.in_use || p.serial != t.serial) continue;  // forgotten (the slot may hold another process now)
    if (p.end != kNoTime && p.end + kAliveSlack < s.start) continue;
    if (p.start != kNoTime && p.start > s.end + kAliveSlack) continue;
    ++alive;
    pick = t.proc;
  }
  if (alive != 1) return;
  a.status = AttributionStatus::inferred;
  a.proc = pick;
  a.candidates.clear();
  ++inferred_;
}

}  // namespace outflow
