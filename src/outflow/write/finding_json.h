// Findings as JSON lines (docs/findings.md): ECS names, plus rule, risk, threat and outflow.*.
#pragma once
#include <string>

#include "outflow/join/pipeline.h"
#include "outflow/score/finding.h"

namespace outflow {

void write_finding_json(std::string& out, const Finding& f, const SessionPipeline& p);

}  // namespace outflow
