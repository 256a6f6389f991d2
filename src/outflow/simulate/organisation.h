// The simulated organisation: hosts with roles, users, addresses, and the quirks of real
// estates (some hosts' clocks are minutes or hours off; half the hosts ship Sysmon as flat
// NXLog rows, half through Winlogbeat as ECS). Built once from the seed; read-only afterwards.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "outflow/core/ip.h"
#include "outflow/core/time.h"

namespace outflow::sim {

enum class Role : uint8_t {
  workstation,        // a member of staff's PC
  admin_workstation,  // an IT administrator's PC (RDP to servers)
  domain_controller,  // DNS for everyone, forwards to public resolvers
  backup_server,      // receives nightly backups, copies them off site
  database_server,    // SQL Server under a service account
  sccm_server,        // software distribution
  file_server,
  app_server,
};
const char* role_name(Role r);
inline bool is_workstation(Role r) { return r == Role::workstation || r == Role::admin_workstation; }

enum class SysmonShape : uint8_t { flat, ecs };  // NXLog flat rows / Winlogbeat 7 ECS

struct User {
  enum class Kind : uint8_t { staff, admin, service };
  std::string name;  // sAMAccountName, e.g. "jsmith", "svc_sql"
  Kind kind = Kind::staff;
};

// Sensor faults (off by default, see faults.h): a skew added to one event type's time on top
// of the host's clock offset.
struct ClockSkews {
  TimeNs process_create = 0, network_connect = 0, process_terminate = 0, dns_query = 0;  // UtcTime of 1, 3, 5, 22
  TimeNs shipper = 0;  // ECS @timestamp, flat EventTime and EventReceivedTime, of every event
  bool any() const { return process_create || network_connect || process_terminate || dns_query || shipper; }
};

struct Host {
  uint32_t index = 0;
  std::string name;  // "WS-0003": what labels name
  std::string fqdn;  // "WS-0003.corp.example.com": what Sysmon records
  Role role = Role::workstation;
  IpAddr ip;
  std::string ip_text;
  TimeNs clock_offset = 0;  // added to true time in this host's Sysmon records
  SysmonShape shape = SysmonShape::flat;
  int user = -1;            // the workstation's user (index into users), -1 for servers
  bool always_on = false;   // a workstation left on overnight
  bool remote = false;      // a home worker on the VPN client
  std::string guid_prefix;  // first 8 hex digits of this host's ProcessGuids
  ClockSkews skew;
  bool sensor_drops_outgoing = false;  // the flow sensors miss the packets this host sends
  bool endpoint = true;  // has endpoint telemetry: its Sysmon file is written (--endpoint-share)
  bool bypasses_proxy = false;  // reaches the Internet directly on web ports (--proxy-bypass)
};

struct Organisation {
  std::string domain = "CORP";
  std::string dns_suffix = "corp.example.com";
  std::vector<Host> hosts;
  std::vector<User> users;
  TimeNs start = 0;
  int days = 1;
  int dc = -1, backup = -1, db = -1, sccm = -1, file_server = -1;  // host indices (-1: absent)
  std::vector<int> app_servers, workstations;
  // The explicit web proxy (simulate --proxy, proxy_net.h): not one of `hosts`; port 0: none.
  IpAddr proxy_ip;
  uint16_t proxy_port = 0;

  TimeNs end() const { return start + static_cast<TimeNs>(days) * 86400 * kNsPerSec; }
  std::string account(int user) const { return domain + "\\" + users[static_cast<size_t>(user)].name; }
};

inline constexpr int kMinHosts = 5;

// Host 0 is the DC, then the backup and database servers, SCCM and a file server from 8 hosts
// on, an application server per 25 hosts, and workstations (about one in ten an admin's).
Organisation build_organisation(uint64_t seed, int hosts, int days, TimeNs start);

}  // namespace outflow::sim
