// One session as one JSON line with ECS field names (nested objects: host.name is
// {"host":{"name":...}}), extra fields under "outflow".
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "outflow/join/pipeline.h"

namespace outflow {

// Writes session lines, keeping what a process renders to (user, process, lineage ...) between
// lines: it is the same for every session of the process, and a few thousand processes make
// hundreds of thousands of sessions. The output is byte for byte that of write_session_json.
// Not thread-safe; one writer per output stream, used with one pipeline.
class SessionJsonWriter {
 public:
  SessionJsonWriter();
  ~SessionJsonWriter();
  SessionJsonWriter(const SessionJsonWriter&) = delete;
  SessionJsonWriter& operator=(const SessionJsonWriter&) = delete;

  // Appends the JSON object and a newline to `out`. Returns the number of invalid UTF-8 bytes
  // that were replaced.
  size_t write(std::string& out, const Session& s, const Attribution& a, const SessionPipeline& p);

  // Process renderings taken from the cache, and made afresh (not cached, stale or too long).
  uint64_t cache_hits() const { return hits_; }
  uint64_t cache_misses() const { return misses_; }

  // Direct-mapped by ProcId (ids are given out in order, so live processes rarely collide).
  // Bounded: a rendering longer than kMaxCachedBytes is not kept, so the cache holds at most
  // kEntries renderings of at most 2 * kMaxCachedBytes of capacity each (16 MB, with hostile
  // command lines); measured on the 1 GB benchmark: 1,959 renderings of 633-1,120 bytes, 1.4 MB.
  static constexpr size_t kEntries = 4096;
  static constexpr size_t kMaxCachedBytes = 2048;

  struct Rendered;  // a process's two runs of members

 private:
  const Rendered& rendered(ProcId id, const SessionPipeline& p);
  std::unique_ptr<Rendered[]> cache_;
  std::unique_ptr<Rendered> scratch_;  // a process not cached
  uint64_t hits_ = 0, misses_ = 0;
};

// The same line without a cache (tests, fuzzers, single lines).
size_t write_session_json(std::string& out, const Session& s, const Attribution& a, const SessionPipeline& p);

// "NT AUTHORITY\\SYSTEM" -> {"NT AUTHORITY", "SYSTEM"}.
std::pair<std::string_view, std::string_view> split_user(std::string_view user);

}  // namespace outflow
