#include "outflow/lineage/host_registry.h"

#include "outflow/core/ip.h"

namespace outflow {

std::string HostRegistry::canonical(std::string_view name) {
  std::string key;
  IpAddr ip;
  const bool is_ip = IpAddr::parse(name, ip);
  for (char c : name) {
    if (c == '.' && !is_ip) break;
    key.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c);
  }
  return key;
}

HostId HostRegistry::intern(std::string_view name) {
  std::string key = canonical(name);
  if (display_.size() >= max_) {
    auto it = by_key_.find(key);
    if (it != by_key_.end()) return it->second;
    ++dropped_;
    return kNoHost;
  }
  auto [it, inserted] = by_key_.try_emplace(std::move(key), static_cast<HostId>(display_.size()));
  if (inserted) {
    display_.emplace_back(name);
  } else if (name.size() > display_[it->second].size()) {
    display_[it->second].assign(name);
  }
  return it->second;
}

HostId HostRegistry::find(std::string_view name) const {
  auto it = by_key_.find(canonical(name));
  return it == by_key_.end() ? kNoHost : it->second;
}

}  // namespace outflow
