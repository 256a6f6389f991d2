// `outflow simulate --intel FILE`: a threat-intel feed for the simulated organisation, as a
// responder would get one from a report: the command servers (external destinations) of about
// half of the planted scenarios, chosen from the seed, plus indicators that never occur in the
// data (documentation addresses and names). FILE is a plain list; FILE.stix.json beside it
// holds the same indicators as a STIX 2.1 bundle (one indicator per scenario, its values joined
// by OR, valid from the first simulated day). Labels are unchanged.
#pragma once
#include <string>
#include <vector>

#include "outflow/simulate/scenarios.h"

namespace outflow::sim {

struct IntelFeedResult {
  std::vector<std::string> scenarios;  // the scenarios the feed names
  size_t indicators = 0, decoys = 0;
};

bool write_intel_feed(const std::vector<Label>& labels, uint64_t seed, TimeNs start, const std::string& path, IntelFeedResult& r,
                      std::string& error);

}  // namespace outflow::sim
