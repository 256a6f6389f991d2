#include "outflow/score/usage_findings.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <set>
#include <tuple>

#include "outflow/core/win_path.h"
#include "outflow/lineage/host_registry.h"
#include "outflow/score/context.h"
#include "outflow/score/hunter.h"
#include "outflow/score/points.h"

namespace outflow {

namespace {

void add(UsageFinding& f, std::string name, double points, std::string observed, std::string threshold, std::string baseline,
         std::string detail) {
  f.factors.push_back(Factor{std::move(name), std::move(observed), std::move(threshold), std::move(baseline),
                             std::move(detail), points});
}


// Context alone stays below the default min_score, as for process findings (score/hunter.cc).
constexpr double kContextOnlyCap = 35;

// What a program is called in the baselines: its file name for a path, else SRUM's name.
std::string program_name(const ProgramUsage& u) {
  return !u.executable.empty() ? image_basename(u.executable) : ascii_lower(u.program.empty() ? u.key : u.program);
}

// Whether a process's user name can be the account of a SRUM user SID: the well-known service
// SIDs are NT AUTHORITY's accounts; any other SID is not.
bool user_fits_sid(const std::string& sid, const std::string& name) {
  std::string n = name;
  for (auto& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const bool nt = n.starts_with("nt authority\\") || n == "system" || n == "local service" || n == "network service";
  if (sid == "S-1-5-18") return n == "system" || n == "nt authority\\system";
  if (sid == "S-1-5-19") return n.ends_with("local service");
  if (sid == "S-1-5-20") return n.ends_with("network service");
  return !nt;
}

// The built-in accounts by SID; others by name where known.
UserClass user_class_of(const ContextRules& rules, const std::string& sid, const std::string& name) {
  if (sid == "S-1-5-18") return UserClass::system;
  if (sid == "S-1-5-19") return UserClass::local_service;
  if (sid == "S-1-5-20") return UserClass::network_service;
  if (!name.empty()) return rules.user_class(name);
  return UserClass::unknown;
}

std::string fnv_id(std::initializer_list<std::string_view> parts) {
  uint64_t h = 1469598103934665603ULL;
  for (std::string_view s : parts) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
    h = (h ^ 0xff) * 1099511628211ULL;
  }
  return fmt::format("{:016x}", h);
}

// Programs that serve other machines: what SRUM counts as sent is mostly their replies to
// sessions opened to them (an RDP screen, an SMB read, a web page, a query's rows), which the
// sensor's hunt never scores as an upload and SRUM cannot tell apart (it has no direction of
// opening). Their volume counts only when unusual against the same program on other hosts.
bool serves_inbound(const std::string& name) {
  static constexpr std::string_view kServing[] = {
      "system",  // SMB server (srv2.sys) and other kernel traffic
      "termservice", "lanmanserver", "w3svc", "was", "dns", "ntds", "netlogon", "dfsr", "winrm", "kdc", "sshd",
      "w3wp.exe", "sqlservr.exe", "sshd.exe", "httpd.exe", "nginx.exe", "dns.exe", "lsass.exe"};
  return std::find(std::begin(kServing), std::end(kServing), name) != std::end(kServing);
}

// A baseline of busiest intervals, one sample per (host, program, user) group, without the
// finding's own sample.
struct PeakBaseline {
  LogHist hist;
  std::set<std::string> hosts;
};

// Compares `peak` with a baseline (own sample left out); true when unusual (> factor x median and > p95).
bool unusual(const DetectConfig& c, LogHist h, uint64_t own, uint64_t peak, uint64_t& med, uint64_t& p95, uint64_t& n) {
  auto& b = h.b[static_cast<size_t>(LogHist::bucket(own))];
  if (b > 0 && h.n > 0) --b, --h.n;
  n = h.n;
  if (h.n < c.baseline_min_samples) return false;
  med = h.quantile(0.5), p95 = h.quantile(0.95);
  return static_cast<double>(peak) > c.baseline_factor * static_cast<double>(std::max<uint64_t>(med, 1)) && peak > p95;
}

}  // namespace

UsageScoreResult score_usage(const DetectConfig& c, const UsageAggregator& agg) {
  UsageScoreResult res;
  const ContextRules rules(c);
  const UsageTotals t = agg.totals();
  std::vector<std::vector<TimeNs>> stamps(agg.inputs());
  for (size_t k = 0; k < agg.inputs(); ++k) stamps[k] = agg.kept_stamps(k);

  // Baselines: each group's busiest interval, per program name and per (role, program name).
  std::map<std::string, PeakBaseline> by_name, by_role;
  std::set<std::string> hosts;
  for (const auto& u : t.programs) {
    const uint64_t peak = u.peaks.empty() ? 0 : u.peaks.front().sent;
    const std::string name = program_name(u);
    const HostRole* role = rules.host_role(u.host);
    by_name[name].hist.add(peak);
    by_name[name].hosts.insert(u.host_key);
    if (role) by_role[role->role + "\x1f" + name].hist.add(peak);
    hosts.insert(u.host_key);
  }
  res.hosts = hosts.size();
  res.programs = t.programs.size();

  for (const auto& u : t.programs) {
    UsageFinding f;
    f.u = u;
    const HostRole* role = rules.host_role(u.host);
    f.host_role = role ? role->role : "";
    f.criticality = role ? role->criticality : 1.0;
    const std::string name = program_name(u);
    f.program_hosts = static_cast<uint32_t>(by_name[name].hosts.size());
    f.path_class = u.executable.empty() ? PathClass::unknown : classify_path(u.executable);

    // The busiest intervals, joined to the host's process creations of the image.
    std::set<std::string> joined;  // entity ids (or pid@start) of single joins
    bool all_one = !u.peaks.empty();
    for (const auto& pk : u.peaks) {
      if (pk.sent == 0 && &pk != &u.peaks.front()) continue;
      UsageInterval iv;
      iv.end = pk.end;
      iv.sent = pk.sent, iv.recvd = pk.recvd;
      iv.start = pk.input < stamps.size() ? interval_start(stamps[pk.input], pk.end, iv.start_estimated) : pk.end - 3600 * kNsPerSec;
      const ProcessLog* log = pk.input < agg.inputs() ? agg.input(pk.input).in.processes : nullptr;
      if (const srum::UsageFile* file = pk.input < agg.inputs() ? agg.input(pk.input).in.file : nullptr;
          file && std::find(f.files.begin(), f.files.end(), file->path) == f.files.end())
        f.files.push_back(file->path);
      if (u.kind != srum::ProgramKind::path || u.executable.empty()) {
        iv.join_reason = "not_a_path";
      } else if (!log) {
        iv.join_reason = "no Windows event log of this host was read";
      } else {
        const ProcessLog::Join j = log->join(u.host, u.executable, iv.start, iv.end, 8);
        for (const UsageProcess* p : j.candidates) iv.processes.push_back(*p);
        iv.join_reason = j.reason;
      }
      if (iv.processes.size() == 1 && iv.join_reason.empty()) {
        const auto& p = iv.processes.front();
        joined.insert(p.entity_id.empty() ? fmt::format("{}@{}", p.pid, p.start) : p.entity_id);
      } else {
        all_one = false;
      }
      f.intervals.push_back(std::move(iv));
    }
    {
      bool est = false;
      const size_t in = u.peaks.empty() ? 0 : u.peaks.front().input;
      f.start = in < stamps.size() ? interval_start(stamps[in], u.first, est) : u.first;
    }
    if (all_one && joined.size() == 1) {
      f.entity = "process";
      f.process = f.intervals.front().processes.front();
    }
    // Where it sent, by its processes' connection events (Sysmon 3 / 5156; no bytes).
    {
      std::map<std::string, SensorDest> by;
      std::set<std::string> seen;
      for (const auto& iv : f.intervals)
        for (const auto& p : iv.processes) {
          if (!seen.insert(p.entity_id.empty() ? fmt::format("{}@{}", p.pid, p.start) : p.entity_id).second) continue;
          for (const auto& d : p.connects) {
            const std::string label = (d.name.empty() ? d.ip.to_string() : d.name) + ":" + std::to_string(d.port);
            SensorDest& x = by[label];
            x.label = label, x.bytes_unknown = true, x.from_sysmon = true;
            x.connections += d.connections;
          }
        }
      for (auto& [k, d] : by) f.sensor_dests.push_back(std::move(d));
      std::stable_sort(f.sensor_dests.begin(), f.sensor_dests.end(),
                       [](const SensorDest& a, const SensorDest& b) { return a.connections > b.connections; });
      if (f.sensor_dests.size() > 5) f.sensor_dests.resize(5);
    }
    // The user: the export's name, else the joined process's (SRUM keeps the SID).
    // The well-known service SIDs by their accounts' names (SrumECmd names them by their profile
    // folders: "systemprofile", "LocalService", "NetworkService").
    f.user = u.user_sid == "S-1-5-18"   ? "NT AUTHORITY\\SYSTEM"
             : u.user_sid == "S-1-5-19" ? "NT AUTHORITY\\LOCAL SERVICE"
             : u.user_sid == "S-1-5-20" ? "NT AUTHORITY\\NETWORK SERVICE"
                                        : u.user_name;
    f.user_name_source = f.user.empty() ? "" : f.user == u.user_name ? "export" : "sid";
    if (f.user.empty()) {
      // Every candidate process of the busy intervals must name the same user, and that user
      // must fit the SID's kind (a service SID is never a person's account and vice versa).
      std::set<std::string> names;
      for (const auto& iv : f.intervals)
        for (const auto& p : iv.processes) names.insert(p.user);
      if (names.size() == 1 && !names.begin()->empty() && user_fits_sid(u.user_sid, *names.begin())) {
        f.user = *names.begin();
        f.user_name_source = "process";
      }
    }
    // Else the name the host's Security events give the SID.
    for (const auto& pk : u.peaks) {
      if (!f.user.empty() || u.user_sid.empty()) break;
      if (const ProcessLog* log = pk.input < agg.inputs() ? agg.input(pk.input).in.processes : nullptr)
        if (std::string n = log->name_of_sid(u.host, u.user_sid); !n.empty()) f.user = std::move(n), f.user_name_source = "security_log";
    }
    f.user_class = user_class_of(rules, u.user_sid, f.user);

    // --- Volume (per interval: SRUM's unit) ----------------------------------------------
    const uint64_t peak = u.peaks.empty() ? 0 : u.peaks.front().sent;
    bool active = false;
    double vm = 1.0;
    std::string within_note;
    {
      uint64_t med = 0, p95 = 0, n = 0;
      const std::string role_key = f.host_role.empty() ? std::string() : f.host_role + "\x1f" + name;
      const auto rit = role_key.empty() ? by_role.end() : by_role.find(role_key);
      bool decided = false;
      for (int scope = 0; scope < 2 && !decided; ++scope) {
        const LogHist* h = scope == 0 ? (rit == by_role.end() ? nullptr : &rit->second.hist) : &by_name[name].hist;
        if (!h) continue;
        const bool odd = unusual(c, *h, peak, peak, med, p95, n);
        if (n < c.baseline_min_samples) continue;
        decided = true;
        const std::string where = scope == 0 ? "on " + f.host_role + " hosts" : "on the organisation's other hosts";
        if (odd && peak >= c.volume_notable) {
          add(f, "volume_vs_baseline", 10, human_bytes(peak) + " in one interval", fmt::format("> {}x median and > p95", c.baseline_factor),
              fmt::format("{}: median {}, p95 {} over {} other users and hosts", name, human_bytes(med), human_bytes(p95), n),
              "far more than " + name + " usually sends in an interval " + where + " (SRUM)");
          active = true;
        } else if (!odd && peak <= p95) {
          vm = 0.5;
          within_note = fmt::format(" (halved: within what {} sends {}, p95 {})", name, where, human_bytes(p95));
        }
      }
    }
    if (peak >= c.volume_notable) {
      const double pts = log_scale(peak, {{c.volume_notable, 6}, {c.volume_session, 14}, {c.volume_connection, 20}, {c.volume_large, 30}});
      add(f, "volume_out", round1(pts * vm), human_bytes(peak) + " in one interval",
          fmt::format(">= {} notable, {} (AN1571), {} (AN0367)", human_bytes(c.volume_notable), human_bytes(c.volume_session),
                      human_bytes(c.volume_connection)),
          "", fmt::format("SRUM: sent {} in its busiest interval (ending {}), {} over {} interval(s) from {} to {}{}",
                          human_bytes(peak), format_time(u.peaks.front().end).substr(0, 16), human_bytes(u.sent), u.intervals,
                          format_time(f.start).substr(0, 16), format_time(u.last).substr(0, 16), within_note));
      f.volume_points += round1(pts * vm);
      active = true;
    }
    // Its own history: a spike against what it sends in its other intervals.
    {
      uint64_t med = 0, p95 = 0, n = 0;
      if (peak >= c.volume_notable && unusual(c, u.sent_hist, peak, peak, med, p95, n)) {
        add(f, "volume_vs_own_history", 8, human_bytes(peak) + " in one interval", fmt::format("> {}x median and > p95", c.baseline_factor),
            fmt::format("its other {} intervals: median {}, p95 {}", n, human_bytes(med), human_bytes(p95)),
            "far more than this program sends in its other intervals on this host (SRUM)");
        f.volume_points += 8;
        active = true;
      }
    }
    const uint64_t total = u.sent + u.recvd;
    if (u.sent >= c.volume_notable && total > 0 && static_cast<double>(u.sent) >= c.upload_ratio * static_cast<double>(total)) {
      add(f, "upload_ratio", round1(8 * vm), fmt::format("{:.0f}% out", 100.0 * static_cast<double>(u.sent) / static_cast<double>(total)),
          fmt::format(">= {:.0f}% (AN0075)", 100 * c.upload_ratio), "",
          fmt::format("SRUM: sent {} and received {} over the span: an upload, not a download", human_bytes(u.sent), human_bytes(u.recvd)));
      f.volume_points += round1(8 * vm);
      active = true;
    }
    if (u.sent >= c.volume_large && peak < c.volume_connection) {
      add(f, "cumulative_upload", 6, human_bytes(u.sent), fmt::format(">= {} over the span, < {} in any interval", human_bytes(c.volume_large),
                                                                    human_bytes(c.volume_connection)),
          "", fmt::format("SRUM: {} sent over {} interval(s), none large on its own: slow and steady (T1030)", human_bytes(u.sent), u.intervals));
      f.volume_points += 6;
      active = true;
    }

    // Duration: SRUM has no sessions, but a program that sent more than notable in many of its
    // intervals kept sending for that long (a relay, a long upload): the hours, on the same
    // steps as a long session. Rows counted from the histogram's buckets wholly above
    // volume_notable (a row just above it may be missed: never over-counted).
    {
      const int from = LogHist::bucket(c.volume_notable) + 1;
      uint64_t busy = 0;
      for (int b = from; b < LogHist::kBuckets; ++b) busy += u.sent_hist.b[static_cast<size_t>(b)];
      const TimeNs hours = static_cast<TimeNs>(busy) * 3600 * kNsPerSec;
      size_t step = 0;
      while (step < c.long_duration_steps.size() && hours >= c.long_duration_steps[step]) ++step;
      if (step > 0) {
        // Software on several hosts sending steadily is mostly its normal work (mail, sync):
        // half the points; a program on one or two hosts keeps them (a relay, a planted tool).
        const double pts = round1(4.0 * static_cast<double>(step) * vm * (f.program_hosts >= 3 ? 0.5 : 1.0));
        add(f, "sustained_upload", pts, fmt::format("{} interval(s) over {}", busy, human_bytes(c.volume_notable)),
            ">= " + human_duration(c.long_duration_steps[step - 1]), "",
            fmt::format("SRUM: sent more than {} in each of {} hourly intervals: it kept sending for about {}", human_bytes(c.volume_notable),
                        busy, human_duration(hours)));
        f.volume_points += pts;
        active = true;
      }
    }

    // Where it sent, by its processes' connection events: when every destination is common in
    // the organisation (as the process findings judge it: on at least a quarter of the hosts, 3
    // at the least, with rarity_min_hosts hosts read), its volume factors count half, as volume
    // to common destinations does in a process finding. An upload to one rare destination among
    // them keeps them whole.
    {
      const ProcessLog* log = nullptr;
      for (const auto& pk : u.peaks)
        if (!log && pk.input < agg.inputs()) log = agg.input(pk.input).in.processes;
      size_t dests = 0, common = 0;
      std::string example;
      if (log && log->hosts() >= c.rarity_min_hosts) {
        const size_t common_hosts = std::max<size_t>(3, (log->hosts() + 3) / 4);
        std::set<std::string> keys;
        for (const auto& iv : f.intervals)
          for (const auto& p : iv.processes)
            for (const auto& d : p.connects) keys.insert(ProcessLog::dest_key(d));
        for (const auto& k : keys) {
          ++dests;
          if (log->hosts_contacting(k) >= common_hosts) ++common, example = example.empty() ? k : example;
        }
      }
      if (dests > 0 && common == dests && f.volume_points > 0) {
        double cut = 0;
        for (auto& x : f.factors)
          if (x.name == "volume_out" || x.name == "upload_ratio" || x.name == "sustained_upload" || x.name == "cumulative_upload") {
            const double half = round1(x.contribution / 2);
            cut += x.contribution - half;
            x.contribution = half;
            x.detail += " (halved: every destination of its processes' connection events is common in the organisation)";
          }
        f.volume_points -= cut;
        f.caveats.push_back(fmt::format("its processes connected only to destinations common in the organisation ({} of them, e.g. {}): "
                                        "its volume counts half",
                                        dests, example));
      }
    }

    // A server's replies are not an upload unless unusual for it.
    // (Its own history does not count: a server's busy hour is its clients' busy hour.)
    if (serves_inbound(name) &&
        !std::any_of(f.factors.begin(), f.factors.end(), [](const Factor& x) { return x.name == "volume_vs_baseline"; })) {
      for (auto& x : f.factors) x.contribution = 0;
      f.volume_points = 0;
      active = false;
      f.caveats.push_back(name + " serves other machines: SRUM's bytes sent are mostly its replies to sessions opened to it, "
                          "which it cannot tell from an upload; its volume is scored only when unusual against the same program on other hosts");
    }

    // --- Context: who, from where, what tool, started by what -----------------------------
    const ToolClass tool = classify_tool(name);
    if (is_non_interactive(f.user_class) && u.kind == srum::ProgramKind::path && !rules.expected_system_context(u.executable))
      add(f, "service_context", 10, (f.user.empty() ? u.user_sid : f.user) + " (" + user_class_name(f.user_class) + ")", "", "",
          "a non-interactive account runs " + name + ", which is not a system service in its home folder");
    if (f.path_class == PathClass::user_writable)
      add(f, "user_writable_path", 10, u.executable, "", "", "runs from a folder any user can write to");
    std::string home;
    if (!u.executable.empty() && system_name_outside_home(u.executable, &home))
      add(f, "masquerade", 25, u.executable, "", "expected in " + home, name + " outside its home folder (T1036.005)");
    const std::string owner = u.executable.empty() ? std::string() : profile_owner(u.executable);
    if (!owner.empty() && !f.user.empty() && !profile_belongs_to(owner, f.user))
      add(f, "other_users_profile", 8, u.executable, "", "user " + f.user, "runs from " + owner + "'s profile as " + f.user);
    if (tool == ToolClass::transfer_tool)
      add(f, "transfer_tool", 12, name, "", "", name + " is a file-transfer tool (rclone, curl, ...)");
    else if (tool == ToolClass::script_host || tool == ToolClass::lolbin)
      add(f, "dual_use_tool", 10, name, "", "", name + " is a " + std::string(tool_class_name(tool)) + " that sent data (SRUM)");
    else if (tool == ToolClass::no_network)
      add(f, "unexpected_network_process", 15, name, "", "does not use the network",
          name + " has no reason to use the network: injected code or a hollowed process");
    bool lineage = false;
    const bool child_tool = tool == ToolClass::script_host || tool == ToolClass::lolbin || tool == ToolClass::transfer_tool;
    for (const auto& iv : f.intervals) {
      if (lineage || !child_tool || iv.processes.empty()) continue;
      const ProcessLog* log = nullptr;
      for (const auto& pk : u.peaks)
        if (pk.end == iv.end && pk.input < agg.inputs()) log = agg.input(pk.input).in.processes;
      if (!log) continue;
      for (const auto& p : iv.processes) {
        const auto anc = log->ancestors(u.host, p);
        for (size_t i = 0; i < anc.size() && !lineage; ++i) {
          const ToolClass ac = classify_tool(image_basename(anc[i]));
          if (ac != ToolClass::office && ac != ToolClass::server_app) continue;
          std::string path;
          for (size_t j = i + 1; j-- > 0;) path += image_basename(anc[j]) + " -> ";
          add(f, "suspicious_lineage", 20, path + name, "", "",
              std::string(ac == ToolClass::office ? "an office application" : "a server application") + " (" + image_basename(anc[i]) +
                  ") started " + name + ", which sent data (SRUM)");
          lineage = true;
        }
      }
    }
    if (f.entity == "program" && u.kind == srum::ProgramKind::path) {
      const auto& iv = f.intervals.empty() ? UsageInterval{} : f.intervals.front();
      std::string why = iv.processes.size() > 1 ? fmt::format("{} processes of this image overlap its busiest interval", iv.processes.size())
                        : !iv.join_reason.empty() ? iv.join_reason
                                                  : "its busiest intervals name different processes";
      f.caveats.push_back("no single process: " + why + "; SRUM has no process ids, so the bytes are not split between processes");
    }
    f.caveats.push_back("SRUM: bytes per program and interval (about an hour), summed over every connection; no destinations, ports or "
                        "process ids");

    double sum = 0;
    for (const auto& x : f.factors) sum += x.contribution;
    const bool raises = lineage || std::any_of(f.factors.begin(), f.factors.end(), [](const Factor& x) { return x.name == "masquerade"; });
    if (!active && !raises) sum = std::min(sum, kContextOnlyCap);
    f.score = std::min(100.0, std::round(std::min(100.0, sum) * f.criticality * 10) / 10);
    f.severity = severity_for(f.score);
    std::stable_sort(f.factors.begin(), f.factors.end(), [](const Factor& x, const Factor& y) { return x.contribution > y.contribution; });
    f.techniques = {"T1496.002"};
    if (active && (tool == ToolClass::transfer_tool || f.path_class == PathClass::user_writable)) f.techniques.push_back("T1048");
    if (std::any_of(f.factors.begin(), f.factors.end(), [](const Factor& x) { return x.name == "cumulative_upload"; }))
      f.techniques.push_back("T1030");
    // Exclusions: by image, name, user, and Sysmon 1's file name, company and hashes when every
    // joined process agrees on them. SRUM names no destination: a rule's destination conditions
    // are not checked, and the finding says so (where a sensor saw the process, its finding's
    // verdict, destinations checked, is taken instead: merge_usage_findings).
    Process p;
    p.image = !f.process.image.empty() ? f.process.image : u.executable;
    p.user = f.user;
    {
      std::set<std::tuple<std::string, std::string, std::string>> pe;
      for (const auto& iv : f.intervals)
        for (const auto& q : iv.processes) pe.insert({q.original_file_name, q.company, q.hashes});
      if (pe.size() == 1) std::tie(p.original_file_name, p.company, p.hashes) = *pe.begin();
    }
    bool excused_by_name = false, any_process = false;
    for (const auto& iv : f.intervals) any_process |= !iv.processes.empty();
    std::string unchecked;
    if (u.kind == srum::ProgramKind::path) {
      if (const ExclusionRule* rule = rules.excluded_without_destination(p, u.executable, !any_process, &excused_by_name, &unchecked)) {
        f.suppressed_by = rule->name;
        if (!unchecked.empty())
          f.caveats.push_back("exclusion '" + rule->name + "' matched on its image path and the rest it could check; not checked: " +
                              unchecked + " (SRUM names no destination" + (any_process ? "" : ", and no process creation names this program") + ")");
      } else if (excused_by_name) {
        f.suppressed_by = "process_name_exclusions";
      }
    }
    f.finding_id = f.entity == "process" && !f.process.entity_id.empty()
                       ? process_finding_id(u.host, f.process.entity_id)
                       : fnv_id({u.host.empty() ? u.host_key : HostRegistry::canonical(u.host), "srum", u.key, u.user_key});
    res.findings.push_back(std::move(f));
  }
  std::stable_sort(res.findings.begin(), res.findings.end(), [](const UsageFinding& a, const UsageFinding& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.u.sent > b.u.sent;
  });
  return res;
}

}  // namespace outflow
