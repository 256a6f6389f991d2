// Scoring findings against labels (`outflow eval`).
//
// A finding matches a labelled instance as docs/findings.md says: same host (first label of the
// name, case-insensitive) and its process.entity_id is one of the instance's process GUIDs
// (case-insensitive, braces optional); failing that, when the finding has no entity id (the
// unknown process of its host), one of its destinations (outflow.destinations[].ip,
// destination.ip, destination.domain) is one of the instance's and its time span overlaps the
// instance's. Findings repeating an earlier finding_id are duplicates: counted, then ignored.
//
// Overall: precision = findings matching some instance / all findings; recall = instances
// matched by at least one finding / all instances; F1 their harmonic mean; false findings per
// 100 host-days = findings matching nothing * 100 / (hosts x days).
// Per scenario: recall = its instances found / its instances; precision = findings matching its
// instances / (those + false findings on its instances' hosts whose span overlaps an instance's
// span): a detector that flags the right host at the right time but the wrong process is
// imprecise there. first_rank = the best rank among findings matching the scenario.
// Precision with nothing to divide is undefined (null in JSON, "-" in the table).
//
// A finding is a process finding or a host finding (Entity). The host is host.name's, or, when
// a host finding carries only host.ip, the labels' host_list host with that address
// (finding_host_key). A process finding with an entity id matches by GUID; a host finding (or a
// process finding without an id) by destination and span. found_as_process / found_as_host
// count the instances found by at least one process / host finding: one found both ways counts
// in both, so together they can exceed found.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "outflow/eval/eval_inputs.h"

namespace outflow::eval {

struct Score {
  size_t instances = 0, found = 0;
  size_t found_as_process = 0, found_as_host = 0;  // instances found by a process / a host finding
  size_t findings = 0, false_findings = 0;  // matched / unmatched (per scenario: nearby) findings
  std::optional<double> precision;
  double recall = 0, f1 = 0;
  std::optional<int64_t> first_rank;
  size_t found_with_intel = 0;  // instances found by a finding that carried a threat-intel match
};

struct Evaluation {
  Score overall;
  std::map<std::string, Score> scenarios;
  size_t total_findings = 0, duplicates = 0;
  double host_days = 0;
  double false_per_100_host_days = 0;
  std::vector<const Finding*> false_findings;             // best ranked first
  std::vector<const LabelledInstance*> missed;
  bool intel = false;  // some finding carried a threat-intel match: the text lists found_with_intel
};

// host_days > 0 overrides the labels' organisation line.
Evaluation evaluate(const Labels& labels, const std::vector<Finding>& findings, double host_days);

std::string evaluation_text(const Evaluation& e);
std::string evaluation_json(const Evaluation& e);

}  // namespace outflow::eval
