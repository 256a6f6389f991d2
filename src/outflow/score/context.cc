#include "outflow/score/context.h"

#include <algorithm>

namespace outflow {

const char* severity_for(double score) {
  if (score >= 80) return "critical";
  if (score >= 60) return "high";
  if (score >= 40) return "medium";
  return "low";
}

namespace {

bool any_glob(const std::vector<std::string>& pats, std::string_view s) {
  for (const auto& p : pats)
    if (path_glob_match(p, s)) return true;
  return false;
}

bool any_equal_ci(const std::vector<std::string>& vals, std::string_view s) {
  const std::string ls = ascii_lower(s);
  for (const auto& v : vals)
    if (ascii_lower(v) == ls) return true;
  return false;
}

// Sysmon's Hashes: "SHA1=...,MD5=...,SHA256=...,IMPHASH=...". A listed hash matches any of them,
// with or without its "ALGO=" prefix.
bool hash_listed(const std::vector<std::string>& vals, std::string_view hashes) {
  const std::string lh = ascii_lower(hashes);
  for (const auto& v : vals) {
    std::string lv = ascii_lower(v);
    const size_t eq = lv.find('=');
    if (eq != std::string::npos) lv.erase(0, eq + 1);
    if (lv.size() < 16) continue;  // too short to be a hash
    const size_t at = lh.find(lv);
    if (at == std::string::npos) continue;
    const size_t end = at + lv.size();
    if ((at == 0 || lh[at - 1] == '=') && (end == lh.size() || lh[end] == ',')) return true;
  }
  return false;
}

}  // namespace

const HostRole* ContextRules::host_role(std::string_view host) const {
  for (const auto& r : c_.host_roles)
    if (any_glob(r.patterns, host)) return &r;
  return nullptr;
}

UserClass ContextRules::user_class(std::string_view user) const {
  const UserClass b = builtin_user_class(user);
  if (b != UserClass::unknown || user.empty() || user == "-") return b;
  const size_t bs = user.find('\\');
  const std::string_view name = bs == std::string_view::npos ? user : user.substr(bs + 1);
  if (any_glob(c_.service_account_patterns, name)) return UserClass::service_account;
  if (any_glob(c_.admin_patterns, name)) return UserClass::admin;
  return UserClass::interactive;
}

bool ContextRules::expected_system_context(std::string_view image) const {
  if (image.empty()) return false;
  if (any_equal_ci(c_.system_context_tools, image_basename(image))) return false;
  return any_glob(c_.system_context_images, image);
}

bool ContextRules::rule_matches(const ExclusionRule& r, const Process& p, std::string_view image, const DestActivity* top) {
  if (!r.image.empty() && !any_glob(r.image, image)) return false;
  if (!r.process_name.empty() && !any_equal_ci(r.process_name, image_basename(image))) return false;
  if (!r.original_file_name.empty() && !any_equal_ci(r.original_file_name, p.original_file_name)) return false;
  if (!r.company.empty() && !any_equal_ci(r.company, p.company)) return false;
  if (!r.hashes.empty() && !hash_listed(r.hashes, p.hashes)) return false;
  if (!r.user.empty() && !any_glob(r.user, p.user)) return false;
  if (!r.destination_port.empty() &&
      (!top || std::find(r.destination_port.begin(), r.destination_port.end(), top->port) == r.destination_port.end()))
    return false;
  if (!r.destination_domain.empty() || !r.destination_network.empty()) {
    if (!top) return false;
    std::string_view d = top->domain;
    while (!d.empty() && d.back() == '.') d.remove_suffix(1);
    const bool by_name = !d.empty() && any_glob(r.destination_domain, d);
    const bool by_net = !r.destination_network.empty() && r.destination_network.contains(top->ip);
    if (!by_name && !by_net) return false;
  }
  return true;
}

const ExclusionRule* ContextRules::excluded_without_destination(const Process& p, std::string_view image, bool no_process_event,
                                                                bool* by_name, std::string* unchecked) const {
  unchecked->clear();
  if (const ExclusionRule* r = excluded_by(&p, image, nullptr, by_name); r || *by_name) return r;
  for (const auto& r : c_.exclusions) {
    const bool dest = !r.destination_domain.empty() || !r.destination_network.empty() || !r.destination_port.empty();
    const bool pe = no_process_event && (!r.original_file_name.empty() || !r.company.empty() || !r.hashes.empty());
    if (!dest && !pe) continue;
    if (r.image.empty() && r.process_name.empty()) continue;  // never on nothing but the unchecked
    ExclusionRule local = r;
    if (dest) {
      local.destination_domain.clear();
      local.destination_network = {};
      local.destination_port.clear();
    }
    if (pe) local.original_file_name.clear(), local.company.clear(), local.hashes.clear();
    if (rule_matches(local, p, image, nullptr)) {
      *unchecked = dest && pe ? "its destinations, and the file name, company or hashes of a process creation"
                   : dest     ? "its destinations"
                              : "the file name, company or hashes of a process creation";
      return &r;
    }
  }
  return nullptr;
}

const ExclusionRule* ContextRules::excluded_by(const Process* p, std::string_view image, const DestActivity* top,
                                               bool* by_name) const {
  *by_name = false;
  if (!p) return nullptr;
  if (!c_.process_name_exclusions.empty() && any_equal_ci(c_.process_name_exclusions, image_basename(image))) {
    *by_name = true;
    return nullptr;
  }
  for (const auto& r : c_.exclusions)
    if (rule_matches(r, *p, image, top)) return &r;
  return nullptr;
}

}  // namespace outflow
