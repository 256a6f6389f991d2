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
  HostId intern(std::string_view name);
  HostId find(std::string_view name) const;
  const std::string& display_name(HostId id) const { return display_[id]; }
  size_t size() const { return display_.size(); }
  static std::string canonical(std::string_view name);

 private:
  std::unordered_map<std::string, HostId> by_key_;
  std::vector<std::string> display_;
};

}  // namespace outflow
