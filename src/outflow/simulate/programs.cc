#include "outflow/simulate/programs.h"

#include <cstdlib>
#include <map>

// GCC 12 warns about every member a designated initializer leaves to its default member
// initializer (a false positive: leaving them is the point of the defaults).
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace outflow::sim {

namespace {

constexpr double MB = 1e6, GB = 1e9;
constexpr Window kWork{8, 18};

std::vector<ProgramSpec> make_catalogue() {
  using P = TrafficPattern;
  std::vector<ProgramSpec> c;
  // Boot-time system processes (no traffic of their own, but parents and lineage).
  c.push_back({"wininit", "C:\\Windows\\System32\\wininit.exe", "wininit.exe", "wininit.exe", "Microsoft Corporation",
               "Windows Start-Up Application", Account::system, {}});
  c.push_back({"services", "C:\\Windows\\System32\\services.exe", "C:\\Windows\\system32\\services.exe", "services.exe",
               "Microsoft Corporation", "Services and Controller app", Account::system, {}});
  c.push_back({"schedule", "C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule",
               "svchost.exe", "Microsoft Corporation", "Host Process for Windows Services", Account::system, {}});
  c.push_back({"dnscache", "C:\\Windows\\System32\\svchost.exe",
               "C:\\Windows\\system32\\svchost.exe -k NetworkService -p -s Dnscache", "svchost.exe",
               "Microsoft Corporation", "Host Process for Windows Services", Account::network_service, {}});
  c.push_back({"wuauserv", "C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s wuauserv",
               "svchost.exe", "Microsoft Corporation", "Host Process for Windows Services", Account::system,
               {P{.service = Service::windows_update, .per_hour = 0.6, .out_median = 6e3, .in_median = 2e5, .in_sigma = 1.5},
                // the daily cumulative update and Delivery Optimization: hundreds of MB down
                P{.service = Service::windows_update, .port = 80, .per_hour = 0.06, .out_median = 400e3,
                  .in_median = 350 * MB, .in_sigma = 0.8, .dur_median = 300, .dur_sigma = 0.8}}});
  c.push_back({"bits", "C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\svchost.exe -k netsvcs -p -s BITS",
               "svchost.exe", "Microsoft Corporation", "Host Process for Windows Services", Account::system,
               {P{.service = Service::windows_update, .port = 80, .per_hour = 0.1, .out_median = 50e3, .in_median = 80 * MB,
                  .in_sigma = 1.2, .dur_median = 120, .dur_sigma = 1}}});
  c.push_back({"w32time", "C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\system32\\svchost.exe -k LocalService -s W32Time",
               "svchost.exe", "Microsoft Corporation", "Host Process for Windows Services", Account::local_service,
               {P{.service = Service::ntp, .proto = kProtoUdp, .port = 123, .per_hour = 0.2, .out_median = 48,
                  .out_sigma = 0, .in_median = 48, .in_sigma = 0, .dur_median = 0.05, .dur_sigma = 0.3}}});
  c.push_back({"defender", "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe",
               "\"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe\"", "MsMpEng.exe",
               "Microsoft Corporation", "Antimalware Service Executable", Account::system,
               {P{.service = Service::defender, .per_hour = 1.5, .out_median = 8e3, .in_median = 40e3},
                P{.service = Service::defender, .per_hour = 0.12, .out_median = 20e3, .in_median = 60 * MB,
                  .in_sigma = 0.7, .dur_median = 40}}});
  c.push_back({"ccmexec", "C:\\Windows\\CCM\\CcmExec.exe", "C:\\Windows\\CCM\\CcmExec.exe", "CcmExec.exe",
               "Microsoft Corporation", "Host Process for Microsoft Configuration Manager", Account::system,
               {P{.internal = Role::sccm_server, .to_internal = true, .per_hour = 2, .out_median = 6e3, .in_median = 30e3},
                P{.internal = Role::sccm_server, .to_internal = true, .port = 80, .per_hour = 0.05, .out_median = 100e3,
                  .in_median = 150 * MB, .in_sigma = 1, .dur_median = 90}}});
  c.push_back({"termservice", "C:\\Windows\\System32\\svchost.exe",
               "C:\\Windows\\System32\\svchost.exe -k NetworkService -s TermService", "svchost.exe",
               "Microsoft Corporation", "Host Process for Windows Services", Account::network_service, {}});
  // Role services.
  c.push_back({"dns_server", "C:\\Windows\\System32\\dns.exe", "C:\\Windows\\system32\\dns.exe", "dns.exe",
               "Microsoft Corporation", "Domain Name System (DNS) Server", Account::system, {}});
  c.push_back({"sqlservr", "C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe",
               "\"C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe\" -sMSSQLSERVER",
               "sqlservr.exe", "Microsoft Corporation", "SQL Server Windows NT - 64 Bit", Account::svc_sql,
               // the nightly full backup to the backup server's share
               {P{.internal = Role::backup_server, .to_internal = true, .port = 445, .per_hour = 0.3,
                  .out_median = 4 * GB, .out_sigma = 0.4, .in_median = 2 * MB, .dur_median = 2400, .dur_sigma = 0.3,
                  .window = {1, 3}}}});
  c.push_back({"backup_agent", "C:\\Program Files\\Veeam\\Endpoint Backup\\Veeam.EndPoint.Service.exe",
               "\"C:\\Program Files\\Veeam\\Endpoint Backup\\Veeam.EndPoint.Service.exe\"", "Veeam.EndPoint.Service.exe",
               "Veeam Software Group GmbH", "Veeam Agent for Microsoft Windows Service", Account::system,
               {P{.internal = Role::backup_server, .to_internal = true, .port = 10005, .per_hour = 0.35,
                  .out_median = 1.5 * GB, .out_sigma = 0.7, .in_median = 5 * MB, .dur_median = 1500, .dur_sigma = 0.5,
                  .window = {0, 4}}}});
  c.push_back({"backup_offsite", "C:\\Program Files\\Veeam\\Backup and Replication\\Backup\\Veeam.Backup.Service.exe",
               "\"C:\\Program Files\\Veeam\\Backup and Replication\\Backup\\Veeam.Backup.Service.exe\"",
               "Veeam.Backup.Service.exe", "Veeam Software Group GmbH", "Veeam Backup Service", Account::svc_backup,
               // the backup copy job: gigabytes to cloud object storage every night, in parallel
               {P{.service = Service::azure_backup, .per_hour = 3, .out_median = 2.5 * GB, .out_sigma = 0.5,
                  .in_median = 20 * MB, .dur_median = 2400, .dur_sigma = 0.4, .window = {3, 6}},
                P{.service = Service::azure_backup, .per_hour = 0.5, .out_median = 40e3, .in_median = 200e3}}});
  c.push_back({"sccm_server", "C:\\Program Files\\Microsoft Configuration Manager\\bin\\x64\\smsexec.exe",
               "\"C:\\Program Files\\Microsoft Configuration Manager\\bin\\x64\\smsexec.exe\"", "smsexec.exe",
               "Microsoft Corporation", "SMS Executive", Account::system,
               {P{.service = Service::windows_update, .per_hour = 0.3, .out_median = 1 * MB, .in_median = 600 * MB,
                  .in_sigma = 0.8, .dur_median = 600, .window = {22, 24}}}});
  c.push_back({"vpnagent", "C:\\Program Files (x86)\\Cisco\\Cisco AnyConnect Secure Mobility Client\\vpnagent.exe",
               "\"C:\\Program Files (x86)\\Cisco\\Cisco AnyConnect Secure Mobility Client\\vpnagent.exe\"",
               "vpnagent.exe", "Cisco Systems, Inc.", "Cisco AnyConnect Secure Mobility Agent", Account::system,
               // the DTLS tunnel: one long UDP session a working day
               {P{.service = Service::vpn_gateway, .proto = kProtoUdp, .per_hour = 0.12, .out_median = 300 * MB,
                  .out_sigma = 0.6, .in_median = 1.5 * GB, .in_sigma = 0.6, .dur_median = 4 * 3600, .dur_sigma = 0.3,
                  .window = kWork}}});
  // User programs.
  c.push_back({"userinit", "C:\\Windows\\System32\\userinit.exe", "C:\\Windows\\system32\\userinit.exe", "USERINIT.EXE",
               "Microsoft Corporation", "Userinit Logon Application", Account::user, {}});
  c.push_back({"explorer", "C:\\Windows\\explorer.exe", "C:\\Windows\\Explorer.EXE", "EXPLORER.EXE",
               "Microsoft Corporation", "Windows Explorer", Account::user, {}});
  c.push_back({"onedrive", "C:\\Users\\{user}\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe",
               "\"C:\\Users\\{user}\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe\" /background", "OneDrive.exe",
               "Microsoft Corporation", "Microsoft OneDrive", Account::user,
               {P{.service = Service::onedrive, .per_hour = 6, .out_median = 10e3, .in_median = 30e3},
                // files saved to synced folders: now and then a big one
                P{.service = Service::onedrive, .per_hour = 0.8, .out_median = 8 * MB, .out_sigma = 1.8,
                  .in_median = 200e3, .dur_median = 30, .dur_sigma = 1.2}}});
  c.push_back({"teams", "C:\\Program Files\\WindowsApps\\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\\ms-teams.exe",
               "\"C:\\Program Files\\WindowsApps\\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\\ms-teams.exe\"",
               "ms-teams.exe", "Microsoft Corporation", "Microsoft Teams", Account::user,
               {P{.service = Service::teams, .per_hour = 12, .out_median = 3e3, .in_median = 12e3},
                P{.service = Service::teams, .per_hour = 0.5, .out_median = 20e3, .in_median = 60e3,
                  .dur_median = 1800, .dur_sigma = 0.5},
                // calls: an hour of audio and video over UDP to a media relay
                P{.service = Service::teams_media, .proto = kProtoUdp, .port = 3478, .port_span = 4, .per_hour = 0.25,
                  .out_median = 150 * MB, .out_sigma = 0.6, .in_median = 220 * MB, .in_sigma = 0.6,
                  .dur_median = 2400, .dur_sigma = 0.5, .window = kWork, .by_address = true}}});
  c.push_back({"outlook", "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE",
               "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE\" ", "Outlook.exe",
               "Microsoft Corporation", "Microsoft Outlook", Account::user,
               {P{.service = Service::office365, .per_hour = 4, .out_median = 6e3, .in_median = 40e3, .in_sigma = 1.5},
                P{.service = Service::office365, .per_hour = 0.3, .out_median = 4 * MB, .out_sigma = 1,
                  .in_median = 50e3, .dur_median = 8}}});
  c.push_back({"edge", "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe",
               "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" --profile-directory=Default",
               "msedge.exe", "Microsoft Corporation", "Microsoft Edge", Account::user,
               {P{.service = Service::web, .per_hour = 70, .out_median = 2e3, .in_median = 60e3, .in_sigma = 1.6,
                  .dur_median = 20, .dur_sigma = 1.5}}});
  c.push_back({"chrome", "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
               "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" --type=utility "
               "--utility-sub-type=network.mojom.NetworkService --lang=en-US --service-sandbox-type=network",
               "chrome.exe", "Google LLC", "Google Chrome", Account::user,
               {P{.service = Service::web, .per_hour = 70, .out_median = 2e3, .in_median = 60e3, .in_sigma = 1.6,
                  .dur_median = 20, .dur_sigma = 1.5},
                // a user sending a large file through a web form now and then
                P{.service = Service::web, .per_hour = 0.05, .out_median = 60 * MB, .out_sigma = 1,
                  .in_median = 100e3, .dur_median = 90}}});
  c.push_back({"zoom", "C:\\Users\\{user}\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe",
               "\"C:\\Users\\{user}\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe\" --action=join", "Zoom.exe",
               "Zoom Video Communications, Inc.", "Zoom Meetings", Account::user,
               {P{.service = Service::zoom, .per_hour = 6, .out_median = 4e3, .in_median = 20e3},
                P{.service = Service::zoom_media, .proto = kProtoUdp, .port = 8801, .per_hour = 1.5,
                  .out_median = 120 * MB, .out_sigma = 0.5, .in_median = 200 * MB, .in_sigma = 0.5,
                  .dur_median = 2000, .dur_sigma = 0.4, .by_address = true}}});
  c.push_back({"spotify", "C:\\Users\\{user}\\AppData\\Roaming\\Spotify\\Spotify.exe",
               "\"C:\\Users\\{user}\\AppData\\Roaming\\Spotify\\Spotify.exe\"", "Spotify.exe", "Spotify Ltd",
               "Spotify", Account::user,
               {P{.service = Service::spotify, .per_hour = 8, .out_median = 3e3, .in_median = 4 * MB, .in_sigma = 0.7,
                  .dur_median = 200, .dur_sigma = 0.7}}});
  c.push_back({"git", "C:\\Program Files\\Git\\mingw64\\bin\\git-remote-https.exe",
               "\"C:\\Program Files\\Git\\mingw64\\bin\\git-remote-https.exe\" origin https://github.com/corp-example/app.git",
               "git-remote-https.exe", "The Git Development Community", "Git for Windows", Account::user,
               {P{.service = Service::github, .per_hour = 20, .out_median = 500e3, .out_sigma = 2, .in_median = 2 * MB,
                  .in_sigma = 1.5, .dur_median = 5}}});
  c.push_back({"mstsc", "C:\\Windows\\System32\\mstsc.exe", "\"C:\\Windows\\system32\\mstsc.exe\" /v:{server}",
               "mstsc.exe", "Microsoft Corporation", "Remote Desktop Connection", Account::user,
               // one long RDP session to a server
               {P{.to_internal = true, .port = 3389, .per_hour = 1, .out_median = 15 * MB, .in_median = 150 * MB,
                  .in_sigma = 0.8, .dur_median = 3000, .dur_sigma = 0.5}}});
  c.push_back({"winword", "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
               "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE\" /n", "WinWord.exe",
               "Microsoft Corporation", "Microsoft Word", Account::user,
               {P{.service = Service::office365, .per_hour = 2, .out_median = 3e3, .in_median = 30e3}}});
  return c;
}

}  // namespace

const ProgramSpec& program(std::string_view key) {
  static const std::vector<ProgramSpec> catalogue = make_catalogue();
  for (const auto& p : catalogue)
    if (p.key == key) return p;
  std::abort();
}

std::vector<std::string_view> boot_programs(const Host& h) {
  std::vector<std::string_view> v{"wininit", "services", "schedule", "dnscache", "wuauserv", "bits", "w32time",
                                  "defender"};
  switch (h.role) {
    case Role::domain_controller: v.push_back("dns_server"); break;
    case Role::database_server: v.push_back("sqlservr"); break;
    case Role::backup_server: v.push_back("backup_offsite"); break;
    case Role::sccm_server: v.push_back("sccm_server"); break;
    default: break;
  }
  if (!is_workstation(h.role) && h.role != Role::backup_server && h.role != Role::database_server)
    v.push_back("backup_agent");
  if (is_workstation(h.role)) v.push_back("ccmexec");
  else v.push_back("termservice");  // servers take RDP
  if (h.remote) v.push_back("vpnagent");
  return v;
}

std::vector<std::string_view> logon_programs(const Host&, uint64_t traits) {
  std::vector<std::string_view> v{"onedrive", "teams", "outlook", (traits & 1) ? "chrome" : "edge"};
  if ((traits >> 1) % 8 == 0) v.push_back("spotify");
  return v;
}

std::vector<Occasional> occasional_programs(const Host& h, uint64_t traits) {
  std::vector<Occasional> v{{"winword", 0.3, 40}, {"zoom", 0.06, 45}};
  if ((traits >> 4) % 5 == 0) v.push_back({"git", 0.3, 2});
  if (h.role == Role::admin_workstation) v.push_back({"mstsc", 0.4, 60});
  return v;
}

}  // namespace outflow::sim
