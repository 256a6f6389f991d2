// The benign software catalogue: what each program looks like to Sysmon (path, file name,
// company, command line, account) and how it talks (traffic patterns). The hard cases of the
// analytic are here on purpose: sync and backup agents that upload gigabytes, calls that hold
// UDP sessions for an hour, update agents that download gigabytes, RDP, VPN, and a few odd but
// legitimate programs (Spotify and Zoom under AppData, git pushing to GitHub).
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "outflow/model/events.h"
#include "outflow/simulate/destinations.h"
#include "outflow/simulate/organisation.h"

namespace outflow::sim {

enum class Account : uint8_t { system, network_service, local_service, user, svc_sql, svc_backup };

// When a pattern's sessions may start (hours of the day, UTC).
struct Window {
  int from_h = 0, to_h = 24;
};

struct TrafficPattern {
  Service service = Service::web;
  Role internal = Role::workstation;  // used when to_internal: the server role contacted
  bool to_internal = false;
  uint8_t proto = kProtoTcp;
  uint16_t port = 443, port_span = 0;  // destination port, + [0, port_span)
  double per_hour = 1;                 // Poisson rate of new sessions while the program runs
  double out_median = 2e3, out_sigma = 1, in_median = 2e4, in_sigma = 1;  // payload bytes
  double dur_median = 2, dur_sigma = 1;                                   // seconds
  Window window;
  bool by_address = false;  // connects by address: no DNS lookup
};

struct ProgramSpec {
  std::string_view key;
  std::string_view image;  // "{user}" is replaced by the user's name
  std::string_view command_line;
  std::string_view original_file_name, company, description;
  Account account = Account::system;
  std::vector<TrafficPattern> patterns;
};

// A program by key ("onedrive", "teams", "dnscache", ...); aborts on an unknown key (a
// programmer error: keys are constants of this simulator).
const ProgramSpec& program(std::string_view key);

// What each kind of host runs from boot, what a user starts at logon, and what a user may start
// during the day (with the chance per working hour).
std::vector<std::string_view> boot_programs(const Host& h);
std::vector<std::string_view> logon_programs(const Host& h, uint64_t user_traits);
struct Occasional {
  std::string_view key;
  double per_hour;
  double minutes_median;  // how long it runs
};
std::vector<Occasional> occasional_programs(const Host& h, uint64_t user_traits);

}  // namespace outflow::sim
