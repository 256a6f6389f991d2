// A finding's pairs (features/pairs.h) as JSON: `outflow.pairs`, see docs/findings.md.
#pragma once
#include "outflow/score/finding.h"
#include "outflow/write/json_out.h"

namespace outflow {

// Writes "pairs": [...] and the pair table's counters into the open `outflow` object.
void write_pairs_json(JsonOut& j, const Finding& f);

}  // namespace outflow
