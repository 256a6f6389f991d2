// One session as one JSON line with ECS field names (nested objects: host.name is
// {"host":{"name":...}}), extra fields under "outflow".
#pragma once
#include <string>

#include "outflow/join/pipeline.h"

namespace outflow {

// Appends the JSON object and a newline to `out`. Returns the number of invalid UTF-8 bytes
// that were replaced.
size_t write_session_json(std::string& out, const Session& s, const Attribution& a, const SessionPipeline& p);

// "NT AUTHORITY\\SYSTEM" -> {"NT AUTHORITY", "SYSTEM"}.
std::pair<std::string_view, std::string_view> split_user(std::string_view user);

}  // namespace outflow
