#include "outflow/config/detect_config.h"

#include "outflow/core/win_path.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <stdexcept>

namespace outflow {

namespace {

#include "default_config.inc"  // kDefaultConfigYaml, generated from config/outflow.yaml by CMake

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string where(const YAML::Node& n) {
  const auto m = n.Mark();
  return m.line >= 0 ? " (line " + std::to_string(m.line + 1) + ")" : "";
}

template <typename T>
T scalar(const YAML::Node& n, const std::string& key) {
  if (!n.IsScalar()) throw ConfigError(key + ": expected a single value" + where(n));
  try {
    return n.as<T>();
  } catch (const YAML::Exception&) {
    throw ConfigError(key + ": '" + n.Scalar() + "' is not a valid value" + where(n));
  }
}

template <typename T>
T bounded(const YAML::Node& n, const std::string& key, T lo, T hi) {
  // yaml-cpp accepts "-1" as a huge unsigned value: range-check through a signed read first.
  const double v = scalar<double>(n, key);
  if (!(v >= static_cast<double>(lo) && v <= static_cast<double>(hi)))
    throw ConfigError(key + ": " + n.Scalar() + " is out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]" + where(n));
  return static_cast<T>(v);
}

TimeNs seconds(const YAML::Node& n, const std::string& key, double lo, double hi) {
  return static_cast<TimeNs>(bounded<double>(n, key, lo, hi) * 1e9);
}

std::vector<std::string> strings(const YAML::Node& n, const std::string& key) {
  if (n.IsNull()) return {};
  if (n.IsScalar()) return {n.Scalar()};
  if (!n.IsSequence()) throw ConfigError(key + ": expected a list" + where(n));
  std::vector<std::string> out;
  for (const auto& e : n) out.push_back(scalar<std::string>(e, key));
  return out;
}

void check_keys(const YAML::Node& map, const std::string& ctx, std::initializer_list<std::string_view> known) {
  for (const auto& kv : map) {
    const std::string k = kv.first.as<std::string>();
    bool ok = false;
    for (auto x : known) ok |= x == k;
    if (!ok) throw ConfigError(ctx + "unknown key '" + k + "'" + where(kv.first));
  }
}

// Full-path patterns are compared with canonical images (canonical_win_path): written as
// 'C:\Program Files\...', '%ProgramFiles%\...', 'c:/program files/...' or in a device form, they
// mean the same. The glob characters '*' and '?' pass through unchanged.
void canonical_patterns(std::vector<std::string>& patterns) {
  for (std::string& p : patterns) p = canonical_win_path(p);
}

ExclusionRule exclusion(const YAML::Node& n) {
  if (!n.IsMap()) throw ConfigError("exclusions: each rule is a map" + where(n));
  ExclusionRule r;
  r.name = n["name"] ? scalar<std::string>(n["name"], "exclusions.name") : "";
  if (r.name.empty()) throw ConfigError("exclusions: a rule needs a name" + where(n));
  const std::string ctx = "exclusions." + r.name + ": ";
  check_keys(n, ctx, {"name", "category", "image", "process_name", "original_file_name", "company", "hashes",
                      "destination_domain", "destination_network", "destination_port", "user"});
  if (n["category"]) r.category = scalar<std::string>(n["category"], ctx + "category");
  const std::pair<const char*, std::vector<std::string>*> lists[] = {
      {"image", &r.image}, {"process_name", &r.process_name}, {"original_file_name", &r.original_file_name},
      {"company", &r.company}, {"hashes", &r.hashes}, {"destination_domain", &r.destination_domain}, {"user", &r.user}};
  bool any = false;
  for (auto [k, v] : lists)
    if (n[k]) {
      *v = strings(n[k], ctx + k);
      any |= !v->empty();
    }
  if (n["destination_network"]) {
    std::string err;
    for (const auto& v : strings(n["destination_network"], ctx + "destination_network"))
      if (!r.destination_network.add(v, err)) throw ConfigError(ctx + "destination_network: " + err + where(n));
    any |= !r.destination_network.empty();
  }
  if (n["destination_port"]) {
    const auto& dp = n["destination_port"];
    if (!dp.IsSequence()) throw ConfigError(ctx + "destination_port: expected a list of ports" + where(dp));
    for (const auto& e : dp) r.destination_port.push_back(bounded<uint16_t>(e, ctx + "destination_port", 0, 65535));
    any |= !r.destination_port.empty();
  }
  if (!any) throw ConfigError(ctx + "a rule must match on at least one field" + where(n));
  canonical_patterns(r.image);
  return r;
}

void apply(const YAML::Node& root, DetectConfig& c) {
  if (root.IsNull()) return;
  if (!root.IsMap()) throw ConfigError("the config must be a YAML map of keys to values");
  using Setter = std::function<void(const YAML::Node&)>;
  const std::map<std::string, Setter> setters = {
      {"time_window", [&](auto& n) { c.time_window = seconds(n, "time_window", 60, 86400); }},
      {"geoip_db", [&](auto& n) { c.geoip_db = scalar<std::string>(n, "geoip_db"); }},
      {"country_deny", [&](auto& n) { c.country_deny = strings(n, "country_deny"); }},
      {"country_allow", [&](auto& n) { c.country_allow = strings(n, "country_allow"); }},
      {"process_name_exclusions", [&](auto& n) { c.process_name_exclusions = strings(n, "process_name_exclusions"); }},
      {"volume_notable", [&](auto& n) { c.volume_notable = bounded<uint64_t>(n, "volume_notable", 1, uint64_t{1} << 50); }},
      {"volume_session", [&](auto& n) { c.volume_session = bounded<uint64_t>(n, "volume_session", 1, uint64_t{1} << 50); }},
      {"volume_connection", [&](auto& n) { c.volume_connection = bounded<uint64_t>(n, "volume_connection", 1, uint64_t{1} << 50); }},
      {"volume_large", [&](auto& n) { c.volume_large = bounded<uint64_t>(n, "volume_large", 1, uint64_t{1} << 50); }},
      {"burst_bytes", [&](auto& n) { c.burst_bytes = bounded<uint64_t>(n, "burst_bytes", 1, uint64_t{1} << 50); }},
      {"burst_seconds", [&](auto& n) { c.burst_within = seconds(n, "burst_seconds", 1, 86400); }},
      {"upload_ratio", [&](auto& n) { c.upload_ratio = bounded<double>(n, "upload_ratio", 0.5, 1.0); }},
      {"baseline_min_samples", [&](auto& n) { c.baseline_min_samples = bounded<uint32_t>(n, "baseline_min_samples", 2, 1000000); }},
      {"baseline_factor", [&](auto& n) { c.baseline_factor = bounded<double>(n, "baseline_factor", 1.0, 1e6); }},
      {"host_baseline_min_days", [&](auto& n) { c.host_baseline_min_days = bounded<uint32_t>(n, "host_baseline_min_days", 1, 100000); }},
      {"scheduled_job_hours", [&](auto& n) { c.scheduled_job_hours = bounded<uint32_t>(n, "scheduled_job_hours", 0, 24); }},
      {"long_duration_steps",
       [&](auto& n) {
         if (!n.IsSequence() || n.size() == 0) throw ConfigError("long_duration_steps: expected a list of seconds" + where(n));
         c.long_duration_steps.clear();
         for (const auto& e : n) {
           c.long_duration_steps.push_back(seconds(e, "long_duration_steps", 60, 30 * 86400.0));
           if (c.long_duration_steps.size() > 1 && c.long_duration_steps.back() <= c.long_duration_steps[c.long_duration_steps.size() - 2])
             throw ConfigError("long_duration_steps: steps must increase" + where(e));
         }
       }},
      {"beacon_min_sessions", [&](auto& n) { c.beacon_min_sessions = bounded<uint32_t>(n, "beacon_min_sessions", 2, 1000000); }},
      {"beacon_min_span", [&](auto& n) { c.beacon_min_span = seconds(n, "beacon_min_span", 60, 30 * 86400.0); }},
      {"internal_networks",
       [&](auto& n) {
         NetworkSet s;
         std::string err;
         for (const auto& v : strings(n, "internal_networks"))
           if (!s.add(v, err)) throw ConfigError("internal_networks: " + err + where(n));
         c.internal_networks = s;
       }},
      {"proxies",
       [&](auto& n) {
         c.proxies.clear();
         std::string err;
         for (const auto& v : strings(n, "proxies")) {
           ProxyAddress a;
           if (!parse_proxy_address(v, a, err)) throw ConfigError("proxies: " + err + where(n));
           c.proxies.push_back(a);
         }
       }},
      {"intel",
       [&](auto& n) {
         if (n.IsNull()) return c.intel.clear();
         if (!n.IsSequence()) throw ConfigError("intel: expected a list of feeds" + where(n));
         c.intel.clear();
         for (const auto& e : n) {
           if (!e.IsMap() || !e["path"]) throw ConfigError("intel: each feed needs a path" + where(e));
           check_keys(e, "intel: ", {"name", "kind", "weight", "max_age", "path", "enabled"});
           FeedSpec f;
           f.path = scalar<std::string>(e["path"], "intel.path");
           f.name = e["name"] ? scalar<std::string>(e["name"], "intel.name") : f.path;
           if (e["kind"] && !parse_intel_kind(scalar<std::string>(e["kind"], "intel.kind"), f.kind))
             throw ConfigError("intel." + f.name + ": kind must be malicious, suspicious, trusted_abused, popular or label" + where(e));
           if (e["weight"]) f.weight = bounded<double>(e["weight"], "intel.weight", 0, 100);
           if (e["max_age"]) f.max_age = static_cast<TimeNs>(bounded<double>(e["max_age"], "intel.max_age (days)", 0, 36500) * 86400e9);
           if (e["enabled"]) f.enabled = scalar<bool>(e["enabled"], "intel.enabled");
           c.intel.push_back(std::move(f));
         }
       }},
      {"rare_max_hosts", [&](auto& n) { c.rare_max_hosts = bounded<uint32_t>(n, "rare_max_hosts", 1, 1000000); }},
      {"rarity_min_hosts", [&](auto& n) { c.rarity_min_hosts = bounded<uint32_t>(n, "rarity_min_hosts", 2, 1000000); }},
      {"fan_out", [&](auto& n) { c.fan_out = bounded<uint32_t>(n, "fan_out", 2, 100000000); }},
      {"fan_out_high", [&](auto& n) { c.fan_out_high = bounded<uint32_t>(n, "fan_out_high", 2, 100000000); }},
      {"min_score", [&](auto& n) { c.min_score = bounded<double>(n, "min_score", 0, 100); }},
      {"max_findings", [&](auto& n) { c.max_findings = bounded<size_t>(n, "max_findings", 1, 100000000); }},
      {"host_roles",
       [&](auto& n) {
         if (!n.IsSequence()) throw ConfigError("host_roles: expected a list" + where(n));
         c.host_roles.clear();
         for (const auto& e : n) {
           if (!e.IsMap() || !e["role"]) throw ConfigError("host_roles: each entry needs role and patterns" + where(e));
           check_keys(e, "host_roles: ", {"role", "patterns", "networks", "criticality"});
           HostRole r;
           r.role = scalar<std::string>(e["role"], "host_roles.role");
           if (e["patterns"] || !e["networks"]) r.patterns = strings(e["patterns"], "host_roles.patterns");
           if (e["networks"]) {
             std::string err;
             for (const auto& v : strings(e["networks"], "host_roles.networks"))
               if (!r.networks.add(v, err)) throw ConfigError("host_roles.networks: " + err + where(e));
           }
           if (e["criticality"]) r.criticality = bounded<double>(e["criticality"], "host_roles.criticality", 0.1, 10);
           c.host_roles.push_back(std::move(r));
         }
       }},
      {"user_roles",
       [&](auto& n) {
         if (!n.IsMap()) throw ConfigError("user_roles: expected service_account and admin lists" + where(n));
         check_keys(n, "user_roles: ", {"service_account", "admin"});
         if (n["service_account"]) c.service_account_patterns = strings(n["service_account"], "user_roles.service_account");
         if (n["admin"]) c.admin_patterns = strings(n["admin"], "user_roles.admin");
       }},
      {"system_context_images",
       [&](auto& n) {
         c.system_context_images = strings(n, "system_context_images");
         canonical_patterns(c.system_context_images);
       }},
      {"system_context_tools", [&](auto& n) { c.system_context_tools = strings(n, "system_context_tools"); }},
      {"exclusions",
       [&](auto& n) {
         if (!n.IsSequence() && !n.IsNull()) throw ConfigError("exclusions: expected a list of rules" + where(n));
         c.exclusions.clear();
         for (const auto& e : n) c.exclusions.push_back(exclusion(e));
       }},
  };
  for (const auto& kv : root) {
    const std::string k = kv.first.as<std::string>();
    auto it = setters.find(k);
    if (it == setters.end()) throw ConfigError("unknown key '" + k + "'" + where(kv.first));
    it->second(kv.second);
  }
  if (c.fan_out_high < c.fan_out) throw ConfigError("fan_out_high must be >= fan_out");
  if (!(c.volume_notable < c.volume_session && c.volume_session < c.volume_connection && c.volume_connection < c.volume_large))
    throw ConfigError("volume thresholds must increase: volume_notable < volume_session < volume_connection < volume_large");
}

}  // namespace

std::string_view default_config_yaml() { return kDefaultConfigYaml; }

bool apply_config_yaml(std::string_view yaml, DetectConfig& cfg, std::string& err) {
  DetectConfig next = cfg;
  try {
    apply(YAML::Load(std::string(yaml)), next);
  } catch (const ConfigError& e) {
    err = e.what();
    return false;
  } catch (const YAML::Exception& e) {
    err = "YAML: " + e.msg + (e.mark.line >= 0 ? " (line " + std::to_string(e.mark.line + 1) + ")" : "");
    return false;
  }
  cfg = std::move(next);
  return true;
}

DetectConfig default_config() {
  static const DetectConfig kDefault = [] {
    DetectConfig c;
    std::string err;
    if (!apply_config_yaml(default_config_yaml(), c, err)) throw std::logic_error("built-in config: " + err);
    return c;
  }();
  return kDefault;
}

bool load_config_file(const std::string& path, DetectConfig& cfg, std::string& err) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err = path + ": cannot open config file";
    return false;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  if (!apply_config_yaml(ss.str(), cfg, err)) {
    err = path + ": " + err;
    return false;
  }
  return true;
}

}  // namespace outflow
