// `outflow usage` output: one JSON line per SRUM usage record (ECS names where they exist), and
// the table of programs ranked by bytes sent with the interface totals apart. See docs/srum.md.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "outflow/features/usage_aggregate.h"

namespace outflow {

// One JSON line (with its '\n') per row the aggregator kept (Options::keep_rows), ranked: the
// programs in its totals' order (most sent first), each program's intervals by time; then the
// interface totals (outflow.srum.interface_total: true, no process).
// `flush` is called whenever `buf` holds over 1 MiB (and may empty it); false from it stops.
void write_usage_json(std::string& buf, UsageAggregator& agg, const std::function<bool(std::string&)>& flush = {});

// The text table: programs ranked by bytes sent (at most `top`, 0 = all), then the interface
// totals per host and interface.
void write_usage_table(std::string& buf, const UsageTotals& totals, size_t top);

}  // namespace outflow
