// The detector's configuration: every threshold of AN0080's scoring, the host and user roles, and
// the exclusions. Defaults come from config/outflow.yaml, compiled into the library, so the
// shipped file and the built-in behaviour cannot drift apart.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "outflow/core/time.h"
#include "outflow/features/networks.h"
#include "outflow/intel/indicator.h"
#include "outflow/join/proxy_finder.h"

namespace outflow {

struct ExclusionRule {
  std::string name, category;
  // Every non-empty list must have a matching item (see config/outflow.yaml). `image` holds
  // full-path globs in canonical form (canonical_win_path, applied when the config is read).
  std::vector<std::string> image, process_name, original_file_name, company, hashes, destination_domain, user;
  // The destination condition: its name matches destination_domain OR its address is in
  // destination_network (media relays are reached by address, without DNS); and its port is
  // one of destination_port when listed.
  NetworkSet destination_network;
  std::vector<uint16_t> destination_port;
};

struct HostRole {
  std::string role;
  std::vector<std::string> patterns;
  NetworkSet networks;  // address ranges: how a host seen only in flows gets this role
  double criticality = 1.0;
};

struct DetectConfig {
  TimeNs time_window = 0;
  std::string geoip_db;
  std::vector<std::string> country_deny, country_allow;
  std::vector<std::string> process_name_exclusions;

  uint64_t volume_notable = 0, volume_session = 0, volume_connection = 0, volume_large = 0;
  uint64_t burst_bytes = 0;
  TimeNs burst_within = 0;
  double upload_ratio = 0;
  uint32_t baseline_min_samples = 0;
  double baseline_factor = 0;
  uint32_t host_baseline_min_days = 0;  // flow-only hosts: own days before their own baseline is used
  uint32_t scheduled_job_hours = 0;     // a daily schedule holds 90% of a host's bytes out in this many hours

  std::vector<TimeNs> long_duration_steps;
  uint32_t beacon_min_sessions = 0;
  TimeNs beacon_min_span = 0;

  NetworkSet internal_networks;
  std::vector<ProxyAddress> proxies;  // explicit web proxies (address, port 0 = any)
  std::vector<FeedSpec> intel;        // threat-intel and trusted-site feeds (intel/feed_loader.h)
  uint32_t rare_max_hosts = 0, rarity_min_hosts = 0;
  uint32_t fan_out = 0, fan_out_high = 0;

  double min_score = 0;
  size_t max_findings = 0;

  std::vector<HostRole> host_roles;
  std::vector<std::string> service_account_patterns, admin_patterns;
  std::vector<std::string> system_context_images, system_context_tools;  // images: canonical globs
  std::vector<ExclusionRule> exclusions;
};

// The shipped config/outflow.yaml, as compiled in.
std::string_view default_config_yaml();

// The defaults. Cannot fail (the shipped file is tested); throws std::logic_error if it does.
DetectConfig default_config();

// Applies a YAML document over `cfg`: keys present replace the defaults. Unknown keys, wrong
// types and out-of-range values are errors naming the key (and line), and leave `cfg` unchanged.
bool apply_config_yaml(std::string_view yaml, DetectConfig& cfg, std::string& err);
bool load_config_file(const std::string& path, DetectConfig& cfg, std::string& err);

}  // namespace outflow
