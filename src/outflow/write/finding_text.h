// Findings for people: the ranked table of `outflow hunt` and the playbook view of
// `outflow explain`. Every field from the input goes through terminal_safe().
#pragma once
#include <string>
#include <vector>

#include "outflow/join/pipeline.h"
#include "outflow/score/hunter.h"

namespace outflow {

// The ranked table (reported findings, then suppressed ones when `show_suppressed`).
std::string findings_table(const HuntResult& r, const SessionPipeline& p, bool show_suppressed, size_t max_rows);

// `s` cut to `n` bytes on a UTF-8 boundary, "~" marking the cut: a table cell.
std::string clip_cell(std::string s, size_t n);

// The table's header line, and one row (rank "-": suppressed): for tables that mix kinds.
std::string findings_table_header();
void finding_row(std::string& out, const Finding& f, const SessionPipeline& p, const std::string& rank);

// One finding in full: lineage with users and command lines, destinations with rarity and
// country, sessions, factors, and the questions left for the analyst.
std::string explain_finding(const Finding& f, const HuntResult& r, const SessionPipeline& p);

}  // namespace outflow
