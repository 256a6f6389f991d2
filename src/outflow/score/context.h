// What the detector knows about a process beyond its traffic: host role, user class, whether an
// exclusion rule excuses it. Built once per run from the config.
#pragma once
#include <string>
#include <string_view>

#include "outflow/config/detect_config.h"
#include "outflow/features/activity.h"
#include "outflow/features/classify.h"
#include "outflow/lineage/process_table.h"

namespace outflow {

class ContextRules {
 public:
  explicit ContextRules(const DetectConfig& c) : c_(c) {}

  // First matching role (host name, case-insensitive glob); "" when none matches.
  const HostRole* host_role(std::string_view host) const;
  UserClass user_class(std::string_view user) const;
  // A process whose image is expected to run in service contexts (and is not a tool). Images
  // here are the canonical form (canonical_win_path) of the process's image, computed once per
  // process; the config's image patterns are canonical too (see DetectConfig).
  bool expected_system_context(std::string_view canonical_image) const;
  // The exclusion rule excusing this process talking to `top_domain`, or null. Also the
  // analytic's ProcessName list (name only), reported as the rule "process_name_exclusions".
  const ExclusionRule* excluded_by(const Process* p, std::string_view canonical_image, const DestActivity* top,
                                   bool* by_name) const;
  static bool rule_matches(const ExclusionRule& r, const Process& p, std::string_view canonical_image,
                           const DestActivity* top);
  // For a source that names no destination (SRUM): the first rule whose every other condition
  // matches; `unchecked` says which of its conditions could not be checked ("" when none): its
  // destinations, and with `no_process_event` (no process creation names the program: nothing
  // gives its file name, company or hashes) those too.
  const ExclusionRule* excluded_without_destination(const Process& p, std::string_view canonical_image, bool no_process_event,
                                                    bool* by_name, std::string* unchecked) const;

 private:
  const DetectConfig& c_;
};

}  // namespace outflow
