// Destinations a factor rests on, named in the finding beside its top destinations. A host seen
// only in flows is every program of the machine at once: its top destinations (by bytes) are its
// ordinary traffic, and a scan it ran (hundreds of tiny probes) would otherwise show in a factor
// without a single address to look up or match.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "outflow/score/factors.h"

namespace outflow {

constexpr size_t kEvidenceDests = 5;  // at most this many per factor

// Appends a.dests[i] for each i in `which` (not already listed) to f.dests, marked `evidence`.
void add_evidence_dests(const ScoreContext& sc, const ProcessActivity& a, const std::vector<size_t>& which,
                        const std::vector<uint32_t>& prevalence, std::string_view evidence, Finding& f);

}  // namespace outflow
