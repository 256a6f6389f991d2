#include "outflow/score/evidence_dests.h"

#include <algorithm>

namespace outflow {

void add_evidence_dests(const ScoreContext& sc, const ProcessActivity& a, const std::vector<size_t>& which,
                        const std::vector<uint32_t>& prevalence, std::string_view evidence, Finding& f) {
  for (size_t i : which) {
    if (i >= a.dests.size()) continue;
    if (std::any_of(f.dests.begin(), f.dests.end(), [&](const DestSummary& s) { return s.index == i; })) continue;
    DestSummary s;
    s.index = i;
    s.key = destination_key(a.dests[i]);
    s.internal = sc.cfg.internal_networks.contains(a.dests[i].ip) || a.dests[i].ip.is_special();
    s.hosts_in_org = i < prevalence.size() ? prevalence[i] : 0;
    if (auto it = sc.base.dests.find(s.key); it != sc.base.dests.end()) s.first_seen = it->second.first_seen;
    s.evidence = std::string(evidence);
    f.dests.push_back(std::move(s));
  }
}

}  // namespace outflow
