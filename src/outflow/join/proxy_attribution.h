// The process behind a proxied session when Sysmon logged none for it. Sysmon logs a process's
// connection to a destination once and then caches, and through an explicit proxy every web
// connection of every process goes to the same destination (proxy:3128): after the first, most
// client legs have no Sysmon 3, and the attributor's inference (exactly one process of the host
// connected to that remote address and port) finds the browser, the updater and the sync client
// all at proxy:3128, so the session is ambiguous (or has no endpoint event).
//
// The request says more than the address: the host it named (CONNECT host:port, an absolute
// URI; join/app_names.h). Each session matched to its process by its own Sysmon 3 teaches
// (client host, named host, port) -> that process; a later proxied session of the same client
// host naming the same host and port, left ambiguous or without an event, is the process's when
// exactly one process taught it and is still alive (not forgotten, not ended over
// `kAliveSlack` before the session). Such a session is `inferred`, as the attributor's own
// inference. Memory: at most kMaxKeys keys of at most kPerKey processes; past the cap new keys
// are not learned (counted in keys_dropped()).
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "outflow/join/app_names.h"
#include "outflow/join/attributor.h"
#include "outflow/lineage/process_table.h"

namespace outflow {

class ProxyAttribution {
 public:
  static constexpr size_t kMaxKeys = 262'144;
  static constexpr size_t kPerKey = 4;
  static constexpr TimeNs kAliveSlack = 12 * 3600 * kNsPerSec;  // the attributor's window when the clock is unknown

  // Learns from a matched proxied session; makes an ambiguous or unmatched one inferred when it can.
  void refine(const Session& s, const AppNames& apps, const ProcessTable& procs, Attribution& a);
  uint64_t inferred() const { return inferred_; }
  uint64_t keys_dropped() const { return keys_dropped_; }

 private:
  struct Taught {
    ProcId proc;
    uint64_t serial;
  };
  std::unordered_map<std::string, std::vector<Taught>> by_key_;
  std::string key_;  // scratch
  uint64_t inferred_ = 0, keys_dropped_ = 0;
};

}  // namespace outflow
