#include "outflow/simulate/host_sim.h"

#include <algorithm>

namespace outflow::sim {

namespace {

std::string replace_all(std::string_view s, std::string_view from, std::string_view to) {
  std::string out;
  size_t i = 0;
  for (size_t j; (j = s.find(from, i)) != std::string_view::npos; i = j + from.size()) {
    out.append(s.substr(i, j - i));
    out.append(to);
  }
  out.append(s.substr(i));
  return out;
}

}  // namespace

SpawnSpec spawn_spec(const ProgramSpec& p, const Organisation& org, const Host& h) {
  const std::string user = h.user >= 0 ? org.users[static_cast<size_t>(h.user)].name : "Administrator";
  SpawnSpec s;
  s.image = replace_all(p.image, "{user}", user);
  s.command_line = replace_all(p.command_line, "{user}", user);
  s.original_file_name = p.original_file_name;
  s.company = p.company;
  s.description = p.description;
  s.account = p.account;
  s.key = p.key;
  return s;
}

HostSim::HostSim(const Organisation& org, const Host& host, uint64_t seed, Recorder& rec)
    : org_(org), host_(host), rec_(rec), rng_(seed, stream_id("host"), host.index) {
  traits_ = rng_.next();
}

std::string HostSim::account_name(Account a) const {
  switch (a) {
    case Account::system: return "NT AUTHORITY\\SYSTEM";
    case Account::network_service: return "NT AUTHORITY\\NETWORK SERVICE";
    case Account::local_service: return "NT AUTHORITY\\LOCAL SERVICE";
    case Account::user: return host_.user >= 0 ? org_.account(host_.user) : org_.domain + "\\Administrator";
    case Account::svc_sql: return org_.domain + "\\svc_sql";
    case Account::svc_backup: return org_.domain + "\\svc_backup";
  }
  return {};
}

SimProcess& HostSim::spawn(const SpawnSpec& s, const SimProcess* parent, TimeNs t, TimeNs end) {
  auto p = std::make_unique<SimProcess>();
  p->pid = rec_.next_pid(host_.index);
  p->guid = rec_.new_guid(host_.index, t);
  p->image = s.image;
  p->command_line = s.command_line;
  p->original_file_name = s.original_file_name;
  p->company = s.company;
  p->description = s.description;
  p->user = account_name(s.account);
  p->integrity = !s.integrity.empty() ? s.integrity
                 : s.account == Account::user ? "Medium"
                 : (s.account == Account::svc_sql || s.account == Account::svc_backup) ? "High"
                                                                                       : "System";
  p->hashes = hashes_for(p->image);
  p->key = s.key;
  if (s.account == Account::user && host_.user >= 0)
    p->current_directory = "C:\\Users\\" + org_.users[static_cast<size_t>(host_.user)].name + "\\";
  if (parent) {
    p->parent_guid = parent->guid;
    p->parent_pid = parent->pid;
    p->parent_image = parent->image;
    p->parent_command_line = parent->command_line;
  } else {  // started before Sysmon: a parent never seen (smss, winlogon)
    p->parent_guid = rec_.new_guid(host_.index, t - kNsPerSec);
    p->parent_pid = 300 + static_cast<uint32_t>(rng_.below(100)) * 4;
    p->parent_image = s.key == "userinit" ? "C:\\Windows\\System32\\winlogon.exe" : "C:\\Windows\\System32\\smss.exe";
    p->parent_command_line = s.key == "userinit" ? "winlogon.exe" : "\\SystemRoot\\System32\\smss.exe 00000130 00000084";
  }
  p->start = t;
  p->end = std::min(end, down_ == kNoTime ? kForever : down_);
  rec_.process_start(host_.index, *p);
  live_.push_back(std::move(p));
  return *live_.back();
}

SimProcess* HostSim::find(std::string_view key) {
  for (auto it = live_.rbegin(); it != live_.rend(); ++it)
    if ((*it)->key == key) return it->get();
  return nullptr;
}

SimProcess* HostSim::find_guid(std::string_view guid) {
  for (auto& p : live_)
    if (p->guid == guid) return p.get();
  return nullptr;
}

void HostSim::plan_day(TimeNs day) {
  planned_day_ = day;
  const bool workstation = is_workstation(host_.role);
  if (!workstation) {
    if (up_ == kNoTime) up_ = org_.start, down_ = kForever;
    return;
  }
  const int64_t days = day / (86400 * kNsPerSec);
  const int dow = static_cast<int>((days + 4) % 7);  // 0 = Sunday (1970-01-01 was a Thursday)
  const bool weekend = dow == 0 || dow == 6;
  const bool works = rng_.chance(weekend ? 0.08 : 0.93);
  logon_ = logoff_ = kNoTime;
  if (works) {
    logon_ = day + static_cast<TimeNs>((7.75 + 0.6 * rng_.normal()) * 3600e9);
    logon_ = std::clamp(logon_, day + 6 * kHour, day + 11 * kHour);
    const double hours = weekend ? rng_.uniform(1.5, 4) : 8.5 + 0.7 * rng_.normal();
    logoff_ = logon_ + static_cast<TimeNs>(std::clamp(hours, 1.0, 12.0) * 3600e9);
  }
  if (host_.always_on) {
    if (up_ == kNoTime) up_ = org_.start, down_ = kForever;
  } else if (works) {
    up_ = logon_ - static_cast<TimeNs>(rng_.uniform(60, 400) * 1e9);
    down_ = logoff_ + static_cast<TimeNs>(rng_.uniform(30, 300) * 1e9);
    booted_ = false;
  } else {
    up_ = down_ = kNoTime;
  }
  logged_ = false;
}

void HostSim::boot(TimeNs t) {
  booted_ = true;
  SimProcess* services = nullptr;
  SimProcess* wininit = nullptr;
  TimeNs at = t + 2 * kNsPerSec;
  for (const auto key : boot_programs(host_)) {
    const ProgramSpec& prog = program(key);
    const SimProcess* parent = key == "wininit" ? nullptr : key == "services" ? wininit : services;
    SimProcess& p = spawn(spawn_spec(prog, org_, host_), parent, at, kForever);
    p.program = &prog;
    if (key == "wininit") wininit = &p;
    if (key == "services") services = &p;
    if (key == "dnscache" || key == "dns_server") rec_.set_resolver_process(host_.index, &p);
    at += static_cast<TimeNs>(rng_.uniform(0.05, 1.5) * 1e9);
  }
  if (host_.role == Role::domain_controller)  // the DC resolves through its DNS server
    if (SimProcess* d = find("dns_server")) rec_.set_resolver_process(host_.index, d);
  listen();
}

void HostSim::listen() {
  // The kernel's System process serves SMB; it has no process-create event.
  system_ = std::make_unique<SimProcess>();
  system_->pid = 4;
  system_->guid = rec_.new_guid(host_.index, up_);
  system_->image = "System";
  system_->user = account_name(Account::system);
  struct Port {
    uint16_t port;
    const char* key;
  };
  static constexpr Port kPorts[] = {{53, "dns_server"}, {3389, "termservice"}, {10005, "backup_offsite"},
                                    {443, "sccm_server"}, {80, "sccm_server"}};
  for (const Port& pt : kPorts)
    if (SimProcess* p = find(pt.key)) rec_.set_listener(host_.index, pt.port, p);
  if (!is_workstation(host_.role)) rec_.set_listener(host_.index, 445, system_.get());
}

void HostSim::logon(TimeNs t) {
  logged_ = true;
  SimProcess& ui = spawn(spawn_spec(program("userinit"), org_, host_), nullptr, t, t + 3 * kNsPerSec);
  SimProcess& ex = spawn(spawn_spec(program("explorer"), org_, host_), &ui, t + kNsPerSec, logoff_);
  TimeNs at = t + 5 * kNsPerSec;
  for (const auto key : logon_programs(host_, traits_)) {
    at += static_cast<TimeNs>(rng_.uniform(1, 20) * 1e9);
    SimProcess& p = spawn(spawn_spec(program(key), org_, host_), &ex, at, logoff_);
    p.program = &program(key);
  }
}

void HostSim::occasional(TimeNs t0, TimeNs t1) {
  SimProcess* ex = find("explorer");
  if (!ex) return;
  for (const auto& o : occasional_programs(host_, traits_)) {
    for (TimeNs t = t0 + static_cast<TimeNs>(rng_.exponential(3600.0 / o.per_hour) * 1e9); t < t1;
         t += static_cast<TimeNs>(rng_.exponential(3600.0 / o.per_hour) * 1e9)) {
      if (!logged_on(t)) continue;
      const ProgramSpec& prog = program(o.key);
      SpawnSpec s = spawn_spec(prog, org_, host_);
      int target = -1;
      if (o.key == "mstsc") {  // an administrator's RDP session to one of the servers
        std::vector<int> servers;
        for (const auto& h : org_.hosts)
          if (!is_workstation(h.role)) servers.push_back(static_cast<int>(h.index));
        target = rng_.pick(servers);
        s.command_line = replace_all(s.command_line, "{server}", org_.hosts[static_cast<size_t>(target)].fqdn);
      }
      const TimeNs life = static_cast<TimeNs>(rng_.lognormal(o.minutes_median * 60, 0.6) * 1e9);
      SimProcess& p = spawn(s, ex, t, std::min(t + life, logoff_));
      p.program = &prog;
      if (target >= 0) p.key = "mstsc:" + std::to_string(target);
    }
  }
}

void HostSim::pattern_traffic(SimProcess& p, const TrafficPattern& pat, TimeNs from, TimeNs to) {
  const double mean_gap = 3600.0 / pat.per_hour;
  for (TimeNs t = from + static_cast<TimeNs>(rng_.exponential(mean_gap) * 1e9); t < to;
       t += static_cast<TimeNs>(rng_.exponential(mean_gap) * 1e9)) {
    const int hour = static_cast<int>(t / kHour % 24);
    if (hour < pat.window.from_h || hour >= pat.window.to_h) continue;
    SimConn c;
    c.start = t;
    c.proto = pat.proto;
    c.dport = static_cast<uint16_t>(pat.port + (pat.port_span ? rng_.below(pat.port_span) : 0));
    c.duration = static_cast<TimeNs>(rng_.lognormal(pat.dur_median, pat.dur_sigma) * 1e9);
    c.duration = std::max<TimeNs>(1'000'000, std::min(c.duration, p.end - t));
    c.out_bytes = static_cast<uint64_t>(rng_.lognormal(pat.out_median, pat.out_sigma));
    c.in_bytes = static_cast<uint64_t>(rng_.lognormal(pat.in_median, pat.in_sigma));
    std::string_view domain;
    if (pat.to_internal) {
      int target = -1;
      if (p.key.starts_with("mstsc:")) target = std::stoi(p.key.substr(6));
      for (const auto& h : org_.hosts)
        if (target < 0 && h.role == pat.internal) target = static_cast<int>(h.index);
      if (target < 0 || target == static_cast<int>(host_.index)) continue;
      c.dst = org_.hosts[static_cast<size_t>(target)].ip;
    } else {
      const Destination d = pick_destination(pat.service, rng_);
      c.dst = d.ip;
      if (!pat.by_address) domain = d.domain;
    }
    rec_.connect(host_.index, p, c, domain);
  }
}

void HostSim::end_all(TimeNs t, bool user_only) {
  for (auto& p : live_)
    if (p->end > t && (!user_only || p->user == account_name(Account::user))) p->end = t;
}

void HostSim::run(TimeNs t0, TimeNs t1) {
  const TimeNs day = t0 - t0 % (86400 * kNsPerSec);
  if (planned_day_ != day) plan_day(day);
  if (!booted_ && up_ != kNoTime && up_ < t1 && down_ > t0) boot(std::max(up_, t0));
  if (!logged_ && logon_ != kNoTime && logon_ >= t0 && logon_ < t1 && powered(logon_)) logon(logon_);
  if (logged_) occasional(std::max(t0, logon_), std::min(t1, logoff_));
  for (size_t i = 0; i < live_.size(); ++i) {
    SimProcess& p = *live_[i];
    if (!p.program) continue;
    const TimeNs from = std::max(t0, p.start), to = std::min(t1, p.end);
    if (from >= to) continue;
    for (const auto& pat : p.program->patterns) pattern_traffic(p, pat, from, to);
  }
  if (logoff_ != kNoTime && logoff_ >= t0 && logoff_ < t1) end_all(logoff_, true);
  if (down_ != kForever && down_ != kNoTime && down_ >= t0 && down_ < t1) end_all(down_, false);
}

void HostSim::reap(TimeNs t) {
  auto it = std::stable_partition(live_.begin(), live_.end(), [&](const auto& p) { return p->end >= t; });
  for (auto j = it; j != live_.end(); ++j) rec_.process_end(host_.index, **j);
  for (auto j = it; j != live_.end(); ++j) rec_.forget(host_.index, j->get());
  live_.erase(it, live_.end());
}

}  // namespace outflow::sim
