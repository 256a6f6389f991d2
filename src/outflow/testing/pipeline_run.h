// Test helper: an in-memory input read as the CLI reads it (format detected from content) into
// the session pipeline, finished; the sessions it emitted are kept.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "outflow/join/pipeline.h"
#include "outflow/read/byte_source.h"
#include "outflow/read/input.h"

namespace outflow::testing {

struct PipelineRun {
  std::vector<Session> sessions;
  SessionPipeline pipe{PipelineOptions{}, [this](const Session& s, const Attribution&) { sessions.push_back(s); }};
  Diagnostics diag;
  FileStats stats;
  std::string error;
  bool ok = false;
  PipelineRun(const std::string& text, const std::string& name) {
    auto src = memory_byte_source(text);
    ok = read_input(*src, name, pipe, diag, stats, error);
    pipe.finish();
  }
};

}  // namespace outflow::testing
