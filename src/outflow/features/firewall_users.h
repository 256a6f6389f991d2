// The users a firewall named for an entity's outbound sessions (PAN-OS User-ID, FortiGate
// `user`/`unauthuser`: Session::fw.user). A second source of "as whom", beside the process's own
// user from the endpoint: for a host with no endpoint telemetry it is the only one; for a
// process, a firewall user that is another person than the process's user is worth showing
// (score/user_context.h). User-ID maps an address to the user logged on there, so a service
// running as SYSTEM on alice's workstation is "alice" to the firewall: that is no disagreement.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace outflow {

struct FirewallUsers {
  static constexpr size_t kMax = 4;  // users kept per entity; the rest counted in other_sessions
  struct Entry {
    std::string user;  // as the firewall logged it ("corp\\alice", "alice@corp.example")
    uint32_t sessions = 0;
    uint64_t bytes_out = 0;
  };
  std::vector<Entry> users;  // in order of first appearance
  uint32_t other_sessions = 0;

  bool empty() const { return users.empty(); }
  void add(std::string_view user, uint64_t bytes_out);
  void merge(const FirewallUsers& o);
  const Entry* top() const;  // the user with most sessions (nullptr if none)
  void serialize(std::string& out) const;
  bool deserialize(std::string_view& in);
};

// "CORP\\alice", "alice@corp.example", "alice" -> "alice" (the account, without its domain).
std::string_view account_name(std::string_view user);
// The same account, ignoring case and how the domain is written.
bool same_account(std::string_view a, std::string_view b);
// A machine or service account: SYSTEM, LOCAL SERVICE, NETWORK SERVICE, "NT AUTHORITY\\...",
// "HOST$" machine accounts, "unknown" / "-" placeholders some firewalls log.
bool non_personal_account(std::string_view user);

}  // namespace outflow
