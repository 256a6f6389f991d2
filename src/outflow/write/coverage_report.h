// `outflow coverage`: can this telemetry support the analytic? Per host and overall: event
// counts, time spans, how many flows and bytes the join attributed, clock offsets with their
// evidence, what is missing, and anomalies worth a human look.
#pragma once
#include <string>
#include <vector>

#include "outflow/intel/intel_set.h"
#include "outflow/join/pipeline.h"
#include "outflow/read/input.h"

namespace outflow {

class FlowHostCounter;
struct SrumCoverage;

struct CoverageInputs {
  const SessionPipeline& pipeline;
  const std::vector<FileStats>& files;
  const Diagnostics& diag;
  const FlowHostCounter* flow_hosts = nullptr;  // hosts seen only in flows (coverage_questions.h)
  const IntelSet* intel = nullptr;              // feeds given (--intel, config intel:), listed when any
  const std::vector<SrumCoverage>* srum = nullptr;  // SRUM inputs read (coverage_srum.h)
};

std::string coverage_text(const CoverageInputs& in);
std::string coverage_json(const CoverageInputs& in);

// The findings of the "missing" and "anomalies" sections, shared by both renderings.
struct CoverageNotes {
  std::vector<std::string> missing;
  std::vector<std::string> anomalies;
};
CoverageNotes coverage_notes(const CoverageInputs& in);

}  // namespace outflow
