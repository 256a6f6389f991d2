// Intel in outputs: a finding's matches (JSON outflow "intel" array) and the list of loaded
// feeds (coverage, config --check): format, indicators by type, lines that did not parse
// (sampled file:line and reason), unevaluable patterns, expired indicators, newest date.
#pragma once
#include <string>

#include "outflow/intel/intel_set.h"
#include "outflow/score/finding.h"
#include "outflow/write/json_out.h"

namespace outflow {

void intel_hits_json(JsonOut& j, const Finding& f);
// `outflow sessions --intel`: the matches of one session's destination (address and name) as a
// top-level "intel" member appended to the JSON line just written at the end of `out` (which
// ends with "}\n"). Nothing when nothing matches.
void append_session_intel(std::string& out, const IntelSet& set, const IpAddr& dst, std::string_view name, TimeNs start,
                          TimeNs end, std::vector<IntelMatch>& scratch);
std::string intel_feeds_text(const IntelSet& set);
void intel_feeds_json(JsonOut& j, const IntelSet& set);

}  // namespace outflow
