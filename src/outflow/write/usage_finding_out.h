// SRUM findings of `outflow hunt` (score/usage_findings.h): a JSON line with ECS names beside the
// process findings', a row of the same table, and the playbook view (`--explain N`).
#pragma once
#include <string>
#include <vector>

#include "outflow/join/pipeline.h"
#include "outflow/score/hunter.h"
#include "outflow/score/usage_findings.h"

namespace outflow {

void write_usage_finding_json(std::string& out, const UsageFinding& f);
void usage_finding_row(std::string& out, const UsageFinding& f, const std::string& rank);
std::string explain_usage_finding(const UsageFinding& f);

// The hunt's table with both kinds, in `order` (rank_together): reported rows, then suppressed
// ones when `show_suppressed`.
std::string findings_table_mixed(const HuntResult& r, const std::vector<UsageFinding>& usage, const std::vector<RankedRef>& order,
                                 const SessionPipeline& p, bool show_suppressed, size_t max_rows);

}  // namespace outflow
