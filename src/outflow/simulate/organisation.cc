#include "outflow/simulate/organisation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "outflow/simulate/rng.h"

namespace outflow::sim {

const char* role_name(Role r) {
  switch (r) {
    case Role::workstation: return "workstation";
    case Role::admin_workstation: return "admin_workstation";
    case Role::domain_controller: return "domain_controller";
    case Role::backup_server: return "backup_server";
    case Role::database_server: return "database_server";
    case Role::sccm_server: return "sccm_server";
    case Role::file_server: return "file_server";
    case Role::app_server: return "app_server";
  }
  return "?";
}

namespace {

constexpr const char* kFirst[] = {"james", "mary", "robert", "patricia", "john", "jennifer", "michael", "linda",
                                  "david", "elizabeth", "william", "barbara", "richard", "susan", "joseph", "jessica",
                                  "thomas", "sarah", "charles", "karen", "daniel", "nancy", "matthew", "lisa",
                                  "anthony", "betty", "mark", "sandra", "paul", "ashley", "steven", "emily"};
constexpr const char* kLast[] = {"smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis",
                                 "rodriguez", "martinez", "hernandez", "lopez", "gonzalez", "wilson", "anderson",
                                 "thomas", "taylor", "moore", "jackson", "martin", "lee", "perez", "thompson",
                                 "white", "harris", "sanchez", "clark", "ramirez", "lewis", "robinson"};

// Clock offsets as found in real recordings: a wrong time zone (whole hours and a few
// seconds) or a drifting clock (minutes).
TimeNs draw_offset(Rng& rng, bool hours) {
  const double sign = rng.chance(0.5) ? 1.0 : -1.0;
  double s = hours ? 3600.0 * static_cast<double>(rng.between(1, 3)) + rng.uniform(-5, 5) : rng.uniform(90, 900);
  return static_cast<TimeNs>(sign * s * 1e9);
}

}  // namespace

Organisation build_organisation(uint64_t seed, int n, int days, TimeNs start) {
  Organisation org;
  org.start = start;
  org.days = days;
  Rng rng(seed, stream_id("organisation"));

  std::vector<Role> roles{Role::domain_controller, Role::backup_server, Role::database_server};
  if (n >= 8) {
    roles.push_back(Role::sccm_server);
    roles.push_back(Role::file_server);
  }
  for (int i = 0; i < n / 25; ++i) roles.push_back(Role::app_server);
  const int n_ws = n - static_cast<int>(roles.size());
  const int n_admin = std::max(1, n_ws / 10);
  for (int i = 0; i < n_ws; ++i) roles.push_back(i < n_admin ? Role::admin_workstation : Role::workstation);

  org.users.push_back({"svc_sql", User::Kind::service});
  org.users.push_back({"svc_backup", User::Kind::service});
  int servers = 0, app = 0, ws = 0;
  for (int i = 0; i < n; ++i) {
    Host h;
    h.index = static_cast<uint32_t>(i);
    h.role = roles[static_cast<size_t>(i)];
    switch (h.role) {
      case Role::domain_controller: h.name = "DC-01"; org.dc = i; break;
      case Role::backup_server: h.name = "BACKUP-01"; org.backup = i; break;
      case Role::database_server: h.name = "DB-01"; org.db = i; break;
      case Role::sccm_server: h.name = "SCCM-01"; org.sccm = i; break;
      case Role::file_server: h.name = "FS-01"; org.file_server = i; break;
      case Role::app_server:
        h.name = fmt::format("APP-{:02}", ++app);
        org.app_servers.push_back(i);
        break;
      case Role::workstation:
      case Role::admin_workstation: {
        ++ws;
        h.name = fmt::format("WS-{:04}", ws);
        org.workstations.push_back(i);
        const std::string first = rng.pick(kFirst), last = rng.pick(kLast);
        std::string uname = first.substr(0, 1) + last;
        for (const auto& u : org.users)
          if (u.name == uname) uname += std::to_string(ws);
        org.users.push_back({uname, h.role == Role::admin_workstation ? User::Kind::admin : User::Kind::staff});
        h.user = static_cast<int>(org.users.size()) - 1;
        h.always_on = rng.chance(0.12);
        h.remote = h.role == Role::workstation && rng.chance(0.1);
        break;
      }
    }
    h.fqdn = h.name + "." + org.dns_suffix;
    if (is_workstation(h.role)) {
      const int k = ws - 1;
      h.ip = IpAddr::v4((10u << 24) | (1u << 16) | ((16u + static_cast<uint32_t>(k / 200)) << 8) |
                        (20u + static_cast<uint32_t>(k % 200)));
    } else {
      h.ip = IpAddr::v4((10u << 24) | (1u << 16) | (10u + static_cast<uint32_t>(servers++)));
    }
    h.ip_text = h.ip.to_string();
    h.shape = i % 2 == 0 ? SysmonShape::flat : SysmonShape::ecs;
    h.guid_prefix = fmt::format("{:08x}", static_cast<uint32_t>(rng.next()));
    if (rng.chance(0.25)) h.clock_offset = draw_offset(rng, rng.chance(0.5));
    org.hosts.push_back(std::move(h));
  }
  // Every organisation has at least one host hours off and one minutes off, so the join's
  // offset estimation is always exercised.
  if (org.workstations.size() >= 2) {
    Host& a = org.hosts[static_cast<size_t>(org.workstations.back())];
    Host& b = org.hosts[static_cast<size_t>(org.workstations[org.workstations.size() - 2])];
    if (std::llabs(a.clock_offset) < 3000 * kNsPerSec)
      a.clock_offset = draw_offset(rng, true);
    if (b.clock_offset == 0) b.clock_offset = draw_offset(rng, false);
  }
  return org;
}

}  // namespace outflow::sim
