// Host names to small ids. "WORKSTATION6.theshire.local", "WORKSTATION6" and "workstation6"
// are one host: the canonical key is the lower-cased first label (an IP-looking name is kept
// whole). The longest spelling seen is kept for display.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace outflow {

using HostId = uint32_t;
inline constexpr HostId kNoHost = 0xffffffffu;

class HostRegistry {
 public:
  // Hosts beyond the cap (a flood of made-up host names) are not interned: intern() returns
  // kNoHost and counts the name in dropped().
  static constexpr size_t kMaxHosts = 1'000'000;
  explicit HostRegistry(size_t max_hosts = kMaxHosts) : max_(max_hosts) {}
  HostId intern(std::string_view name);
  uint64_t dropped() const { return dropped_; }
  HostId find(std::string_view name) const;
  const std::string& display_name(HostId id) const { return display_[id]; }
  size_t size() const { return display_.size(); }
  static std::string canonical(std::string_view name);

 private:
  std::unordered_map<std::string, HostId> by_key_;
  std::vector<std::string> display_;
  size_t max_;
  uint64_t dropped_ = 0;
};

}  // namespace outflow
