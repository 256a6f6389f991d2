// What is normal: learned by `outflow learn` into the state file, and built from the input
// itself by every `hunt`. Mergeable: the baseline a hunt compares against is the stored state
// merged with the current input.
//
// - volume: bytes out per process instance, per process name, per (host role, name) and per
//   (user, name): LogHist, so median and p95 are robust and cheap. For hosts seen only in flows,
//   bytes out per day per host and per (host role) host-day, in the same map.
// - destinations: first seen and how many hosts of the organisation contacted each (keyed by
//   registrable domain when known, else address), first seen per (destination, host) and per
//   (destination, user).
// - parent -> child pairs: process instances and hosts.
// - image -> user classes: which kinds of account (system, service, admin, interactive) run
//   each executable name.
#pragma once
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "outflow/baseline/log_hist.h"
#include "outflow/core/time.h"

namespace outflow {

struct Baselines {
  struct Dest {
    TimeNs first_seen = kNoTime;
    uint32_t hosts = 0;
  };
  struct Pair {
    uint64_t count = 0;
    uint32_t hosts = 0;
  };
  std::unordered_map<std::string, LogHist> volume;
  std::unordered_map<std::string, Dest> dests;
  std::unordered_map<std::string, TimeNs> dest_host;  // dest \x1f host -> first seen
  std::unordered_map<std::string, TimeNs> dest_user;  // dest \x1f user -> first seen
  std::unordered_map<std::string, Pair> pairs;        // parent \x1f child (lower-case file names)
  std::unordered_map<std::string, TimeNs> pair_host;  // parent \x1f child \x1f host -> first seen
  std::unordered_map<std::string, uint64_t> image_user;  // image name \x1f user class -> instances
  std::unordered_map<std::string, uint64_t> image_total; // image name -> instances with a user
  std::unordered_set<std::string> hosts;
  uint64_t runs = 0;
  TimeNs first = kNoTime, last = kNoTime;  // record time covered

  static std::string key2(std::string_view a, std::string_view b);
  static std::string key3(std::string_view a, std::string_view b, std::string_view c);
  static std::string volume_key_name(std::string_view name);
  static std::string volume_key_role(std::string_view role, std::string_view name);
  static std::string volume_key_user(std::string_view user, std::string_view name);
  // A flow-only host's bytes out per day, and those of every host of a role (host-days).
  static std::string volume_key_host_day(std::string_view host);
  static std::string volume_key_role_day(std::string_view role);

  // Observations of one run.
  void add_volume(std::string_view name, std::string_view role, std::string_view user, uint64_t bytes_out);
  void add_host_day(std::string_view host, std::string_view role, uint64_t bytes_out);
  void add_dest(const std::string& dest, std::string_view host, std::string_view user, TimeNs t);
  void add_pair(std::string_view parent, std::string_view child, std::string_view host, TimeNs t);
  void add_image_user(std::string_view image, std::string_view user);
  void add_host(std::string_view host) { hosts.emplace(host); }
  void cover(TimeNs a, TimeNs b);

  // Adds another baseline's observations (host counts are recomputed from the per-host keys,
  // so the same host seen in both is counted once).
  void merge(const Baselines& o);
  bool empty() const { return runs == 0 && volume.empty() && dests.empty(); }
};

}  // namespace outflow
