#include "outflow/score/factors.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "outflow/score/app_factors.h"
#include "outflow/score/evidence_dests.h"
#include "outflow/score/hunter.h"
#include "outflow/score/pair_factors.h"
#include "outflow/score/points.h"
#include "outflow/score/proxy_bypass.h"
#include "outflow/score/relay_pattern.h"
#include "outflow/score/user_context.h"
#include "outflow/score/threat_intel.h"

namespace outflow {

namespace {


void add(Finding& f, std::string name, double points, std::string observed, std::string threshold, std::string baseline,
         std::string detail) {
  f.factors.push_back(Factor{std::move(name), std::move(observed), std::move(threshold), std::move(baseline),
                             std::move(detail), points});
}


bool has_factor(const Finding& f, std::string_view n) {
  return std::any_of(f.factors.begin(), f.factors.end(), [&](const Factor& x) { return x.name == n; });
}

// "ScrCons", "scrcons.exe" and "SCRCONS.EXE.MUI" are the same program name.
std::string program_stem(std::string_view file) {
  std::string s = ascii_lower(file);
  if (s.ends_with(".mui")) s.resize(s.size() - 4);
  const size_t dot = s.rfind('.');
  if (dot != std::string::npos && s.size() - dot <= 4) s.resize(dot);
  return s;
}

std::string dest_text(const DestActivity& d) {
  const std::string ip = d.ip.is_v4() ? d.ip.to_string() : "[" + d.ip.to_string() + "]";
  return (d.domain.empty() ? ip : d.ip.is_unset() ? d.domain : d.domain + " (" + ip + ")") + ":" + std::to_string(d.port) + "/" + proto_name(d.proto);
}

bool is_web(const DestActivity& d) {
  const auto s = port_service(d.port, d.proto);
  return s == "http" || s == "https" || s == "quic";
}

}  // namespace

bool score_activity(const ScoreContext& sc, const ProcessActivity& a, Finding& f) {
  const DetectConfig& c = sc.cfg;
  bool active = false;

  // Each destination's prevalence key, once.
  std::vector<std::string> keys(a.dests.size());
  for (size_t i = 0; i < a.dests.size(); ++i) keys[i] = destination_key(a.dests[i]);
  // A flow-only host's top destinations: those not common in the organisation first (what this
  // machine does, not what every machine does).
  std::vector<uint8_t> common_first(a.dests.size(), 0);
  if (a.flow_only() && sc.org_hosts >= c.rarity_min_hosts) {
    const uint32_t ch = std::max<uint32_t>(3, (sc.org_hosts + 3) / 4);
    for (size_t i = 0; i < a.dests.size(); ++i)
      if (auto it = sc.base.dests.find(keys[i]); it != sc.base.dests.end() && it->second.hosts >= ch) common_first[i] = 1;
  }
  // Top destinations by bytes out, then duration; ties by address for determinism.
  std::vector<size_t> order(a.dests.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    const auto &dx = a.dests[x], &dy = a.dests[y];
    if (common_first[x] != common_first[y]) return common_first[x] < common_first[y];
    if (dx.bytes_out != dy.bytes_out) return dx.bytes_out > dy.bytes_out;
    if (dx.cumulative() != dy.cumulative()) return dx.cumulative() > dy.cumulative();
    if (!(dx.ip == dy.ip)) return dx.ip < dy.ip;
    return dx.port < dy.port;
  });
  const std::string host_key = entity_host_key(sc.pipe, a);
  const std::string user = a.proc != kNoProc ? sc.pipe.processes().get(a.proc).user : "";
  for (size_t k = 0; k < order.size() && k < 10; ++k) {
    const DestActivity& d = a.dests[order[k]];
    DestSummary s;
    s.index = order[k];
    s.key = keys[order[k]];
    s.internal = c.internal_networks.contains(d.ip) || d.ip.is_special();  // multicast, broadcast: local
    if (auto it = sc.base.dests.find(s.key); it != sc.base.dests.end()) {
      s.hosts_in_org = it->second.hosts;
      s.first_seen = it->second.first_seen;
    }
    if (sc.state && sc.state->runs > 0) {
      s.new_for_org = !sc.state->dests.count(s.key);
      s.new_for_host = !sc.state->dest_host.count(Baselines::key2(s.key, host_key));
      s.new_for_user = !user.empty() && !sc.state->dest_user.count(Baselines::key2(s.key, user));
    }
    if (sc.geo && !s.internal) s.country = sc.geo->country(d.ip);
    f.dests.push_back(std::move(s));
  }
  if (f.dests.empty()) return false;
  const DestActivity& top = a.dests[f.dests[0].index];

  // How common each destination is in the organisation. AN0080 is about unusual destinations:
  // volume mostly to destinations many hosts use is discounted, and durations and repetition
  // count only towards destinations that are not common.
  const bool rarity_known = sc.org_hosts >= c.rarity_min_hosts;
  const uint32_t common_hosts = std::max<uint32_t>(3, (sc.org_hosts + 3) / 4);
  std::vector<uint32_t> prevalence(a.dests.size(), 0);
  uint64_t out_common = 0;
  std::vector<IpAddr> rare_ips;
  for (size_t i = 0; i < a.dests.size(); ++i) {
    const DestActivity& d = a.dests[i];
    if (auto it = sc.base.dests.find(keys[i]); it != sc.base.dests.end()) prevalence[i] = it->second.hosts;
    if (rarity_known && prevalence[i] >= common_hosts) out_common += d.bytes_out;
    if (!rarity_known || prevalence[i] <= std::max<uint32_t>(c.rare_max_hosts, 2)) rare_ips.push_back(d.ip);
  }
  auto common = [&](const DestActivity& d) { return rarity_known && prevalence[static_cast<size_t>(&d - a.dests.data())] >= common_hosts; };
  // A flow-only host is every program of a machine at once: its volume is what it uploaded to
  // destinations that are neither common in the organisation nor two-way (calls, VPN tunnels,
  // downloads: bytes out < 2x bytes in), so that its ordinary traffic does not add up to a finding.
  auto counted = [&](const DestActivity& d) { return !a.flow_only() || (!common(d) && d.bytes_out >= 2 * d.bytes_in); };
  uint64_t out = a.bytes_out, in_counted = a.bytes_in;
  if (a.flow_only()) {
    out = in_counted = out_common = 0;
    for (const auto& d : a.dests)
      if (counted(d)) out += d.bytes_out, in_counted += d.bytes_in;
  }
  const bool to_common = out > 0 && static_cast<double>(out_common) >= 0.8 * static_cast<double>(out);
  const double vm = to_common ? 0.5 : 1.0;
  const std::string common_note = to_common ? fmt::format(" (halved: {:.0f}% went to destinations used by >= {} hosts)",
                                                          100.0 * static_cast<double>(out_common) / static_cast<double>(out), common_hosts)
                                            : "";
  // A process that mostly downloads (streaming, updates) is not moving data out: its durations
  // and repetitions count half and do not make it active on their own.
  // Not when its bytes out are unknown: a sensor that missed them makes any upload look like one.
  const bool downloader =
      !a.volume_mostly_unknown() && out < c.volume_notable && in_counted >= 10 * std::max<uint64_t>(out, 1);
  // Bytes out the sensor did not see: what is shown is a lower bound, and the factors that
  // compare the volume with something (ratio, baseline) are not scored.
  const std::string lower = a.volume_unknown() ? " at least" : "";
  if (a.volume_unknown()) {
    add(f, "volume_unknown", 0, fmt::format("{} of {} sessions", a.sessions_out_unknown, a.sessions), "", "",
        "the sensor saw none of the bytes this process sent in those sessions: the upload volume is unknown, not zero");
  }
  const double dm = downloader ? 0.5 : 1.0;
  const std::string dl_note = downloader ? " (halved: mostly a download)" : "";

  // --- Volume --------------------------------------------------------------------------
  if (out >= c.volume_notable) {
    const double pts = log_scale(out, {{c.volume_notable, 6}, {c.volume_session, 14}, {c.volume_connection, 20}, {c.volume_large, 30}});
    add(f, "volume_out", round1(pts * vm), human_bytes(out),
        fmt::format(">= {} notable, {} (AN1571), {} (AN0367)", human_bytes(c.volume_notable), human_bytes(c.volume_session),
                    human_bytes(c.volume_connection)),
        "", (a.flow_only() ? fmt::format("sent{} {} to destinations that are neither common nor two-way (of {} in all)", lower,
                                          human_bytes(out), human_bytes(a.bytes_out))
                           : fmt::format("sent{} {} to {} destination(s) in {} session(s)", lower, human_bytes(out), a.dests.size(), a.sessions)) +
                common_note);
    active = true;
  }
  uint64_t max_sess = 0;
  TimeNs max_sess_dur = 0;
  bool burst = false;
  for (const auto& d : a.dests) {
    if (!counted(d)) continue;
    if (d.max_session_out > max_sess) max_sess = d.max_session_out, max_sess_dur = d.max_session_out_duration;
    burst |= d.burst;
  }
  if (max_sess >= c.volume_session) {
    const bool conn = max_sess >= c.volume_connection;
    add(f, "large_session", (conn ? 8 : 4) * vm, human_bytes(max_sess),
        conn ? fmt::format("> {} in one connection (AN0367)", human_bytes(c.volume_connection))
             : fmt::format("> {} in one session (AN1571)", human_bytes(c.volume_session)),
        "", fmt::format("one session carried {} out in {}", human_bytes(max_sess), human_duration(max_sess_dur)));
    active = true;
  }
  if (burst) {
    add(f, "burst", 4 * vm, "yes", fmt::format("> {} in < {} (AN0988)", human_bytes(c.burst_bytes), human_duration(c.burst_within)), "",
        "a session uploaded more than the burst size in less than the burst time");
    active = true;
  }
  const uint64_t total = out + in_counted;
  if (!a.volume_unknown() && out >= c.volume_notable && total > 0 &&
      static_cast<double>(out) >= c.upload_ratio * static_cast<double>(total)) {
    add(f, "upload_ratio", 8 * vm, fmt::format("{:.0f}% out", 100.0 * static_cast<double>(out) / static_cast<double>(total)),
        fmt::format(">= {:.0f}% (AN0075)", 100 * c.upload_ratio), "",
        fmt::format("sent {} and received {}: an upload, not a download", human_bytes(out), human_bytes(in_counted)));
  }
  const uint64_t peak = a.peak_window_out();
  if (peak >= c.volume_notable) {
    // Reported for the analyst (bandwidth per TimeWindow); scored through volume and baselines.
    add(f, "peak_window", 0, human_bytes(peak) + " in " + human_duration(c.time_window),
        "", "", fmt::format("busiest {} window starts {}", human_duration(c.time_window), format_time(a.peak_window() * c.time_window)));
  }

  // --- Duration (to destinations that are not common) ----------------------------------
  TimeNs longest = 0, cumulative = 0;
  const DestActivity* longest_d = nullptr;
  const DestActivity* cum_d = nullptr;
  for (const auto& d : a.dests) {
    if (common(d)) continue;
    if (d.longest > longest) longest = d.longest, longest_d = &d;
    if (d.cumulative() > cumulative) cumulative = d.cumulative(), cum_d = &d;
  }
  size_t step = 0;
  while (step < c.long_duration_steps.size() && longest >= c.long_duration_steps[step]) ++step;
  if (step > 0) {
    add(f, "long_session", 4.0 * static_cast<double>(step) * dm, human_duration(longest),
        ">= " + human_duration(c.long_duration_steps[step - 1]), "",
        "longest single session, to " + dest_text(*longest_d) + dl_note);
    active |= !downloader;
  }
  size_t cstep = 0;
  while (cstep < c.long_duration_steps.size() && cumulative >= c.long_duration_steps[cstep]) ++cstep;
  if (cstep > step) {
    add(f, "cumulative_duration", 3.0 * static_cast<double>(cstep - step) * dm, human_duration(cumulative),
        ">= " + human_duration(c.long_duration_steps[cstep - 1]), "",
        "time spent connected to " + dest_text(*cum_d) + " over all sessions" + dl_note);
    active |= !downloader;
  }
  // Pairs: RITA's beacon score, strobes, long connections per address or name (pair_factors.cc).
  active |= score_pairs(sc, a, f);
  const bool beacon_scored = has_factor(f, "beacon") || has_factor(f, "strobe");
  // Repetition: many connections to one destination spread over hours (C2 beacons, low and slow),
  // when the beacon score did not already say it.
  for (size_t k = 0; !beacon_scored && k < f.dests.size(); ++k) {
    const DestActivity& d = a.dests[f.dests[k].index];
    const TimeNs span = d.last > d.first ? d.last - d.first : 0;
    if (d.sessions >= c.beacon_min_sessions && span >= c.beacon_min_span && !f.dests[k].internal && !common(d)) {
      add(f, "repeated_connections", 10 * dm, fmt::format("{} sessions over {}", d.sessions, human_duration(span)),
          fmt::format(">= {} sessions over >= {}", c.beacon_min_sessions, human_duration(c.beacon_min_span)), "",
          "kept coming back to " + dest_text(d) + " (beaconing or low-and-slow transfer)" + dl_note);
      active |= !downloader;
      break;
    }
  }

  // --- Destination --------------------------------------------------------------------
  const DestSummary& ts = f.dests[0];
  if (rarity_known && ts.hosts_in_org <= c.rare_max_hosts) {
    const bool meaningful = active || out >= 100'000 || a.volume_mostly_unknown();
    add(f, "rare_destination", meaningful ? 10 : 4, fmt::format("{} of {} hosts", ts.hosts_in_org, sc.org_hosts),
        fmt::format("<= {} host(s)", c.rare_max_hosts), "",
        ts.key + " is contacted by no other host of the organisation");
  }
  if (ts.new_for_org) {
    add(f, "new_destination", 5, ts.key, "", "not in the state", "first contact of the organisation with " + ts.key);
  } else if (ts.new_for_host || ts.new_for_user) {
    add(f, "new_destination", 2, ts.key, "", "not in the state for this " + std::string(ts.new_for_host ? "host" : "user"),
        "known to the organisation, but new for this " + std::string(ts.new_for_host ? "host" : "user"));
  }
  if (!ts.internal) add(f, "external_destination", 2, top.ip.is_unset() ? top.domain : top.ip.to_string(), "", "", "the top destination is outside the internal networks");
  if (sc.geo) {
    const std::string cc = ts.country.empty() ? "unknown" : ts.country;
    auto listed = [&](const std::vector<std::string>& v) { return std::find(v.begin(), v.end(), ts.country) != v.end(); };
    if (!ts.country.empty() && listed(c.country_deny)) {
      add(f, "destination_country", 25, cc, "country_deny", "", "the top destination is in a denied country");
      active = true;
    } else if (!ts.country.empty() && !c.country_allow.empty() && !listed(c.country_allow)) {
      add(f, "destination_country", 15, cc, "country_allow", "", "the top destination is outside the allowed countries");
      active = true;
    }
  }
  if (!ts.internal && port_service(top.port, top.proto).empty() && (top.bytes_out >= 10'000 || top.sessions_out_unknown > 0)) {
    add(f, "unusual_port", 4, fmt::format("{}/{}", top.port, proto_name(top.proto)), "", "",
        "the top destination's port is not a common service port");
  }
  // Protocols that belong inside a network (SMB, RPC, NetBIOS, LDAP, Kerberos, RDP, WinRM,
  // MSSQL) sent to outside addresses: worms, scanners, tunnels.
  {
    const DestActivity* hit = nullptr;
    size_t n = 0;
    for (const auto& s2 : f.dests) {
      const DestActivity& d = a.dests[s2.index];
      const auto svc = port_service(d.port, d.proto);
      if (s2.internal || !(svc == "smb" || svc == "rpc" || svc == "netbios" || svc == "ldap" || svc == "kerberos" || svc == "rdp" ||
                           svc == "winrm" || svc == "mssql"))
        continue;
      ++n;
      if (!hit) hit = &d;
    }
    if (hit) {
      add(f, "internal_protocol_outbound", 8, fmt::format("{} to {}", port_service(hit->port, hit->proto), dest_text(*hit)), "", "",
          fmt::format("{} of the top destinations speak a protocol that should not leave the network", n));
      active = true;
    }
  }
  // DNS straight to an outside resolver: Windows resolves through its DNS client (svchost) to the
  // configured servers; anything else sending UDP/53 out is a tunnel or a tool (T1048, T1071.004).
  for (const auto& s : f.dests) {
    const DestActivity& d = a.dests[s.index];
    // Many queries, or one long-lived UDP flow (a sensor sees a tunnel on a fixed port as one).
    if (d.port == 53 && !s.internal && (d.sessions >= 10 || d.longest >= 10 * 60 * kNsPerSec || d.bytes_out >= 100'000)) {
      const Process* p = a.proc != kNoProc ? &sc.pipe.processes().get(a.proc) : nullptr;
      const std::string name = p ? image_basename(p->image) : "";
      if (name != "svchost.exe" && name != "dns.exe") {
        add(f, "direct_dns", 14, fmt::format("{} queries, {} out", d.sessions, human_bytes(d.bytes_out)), "", "",
            "a process other than the DNS client talks to the outside resolver " + dest_text(d));
        active = true;
      }
      break;
    }
  }
  // Fan-out over addresses no other host uses (when rarity can be judged): scanners, botnet
  // members and proxyware reach many rare peers; browsers reach many shared sites.
  std::sort(rare_ips.begin(), rare_ips.end());
  const size_t distinct = static_cast<size_t>(std::unique(rare_ips.begin(), rare_ips.end()) - rare_ips.begin());
  if (distinct >= c.fan_out) {
    const bool high = distinct >= c.fan_out_high;
    const bool very_high = distinct >= 5 * static_cast<size_t>(c.fan_out_high);
    add(f, "fan_out", very_high ? 24 : high ? 18 : 12, fmt::format("{}{} {}addresses", distinct, a.dests.size() >= 5000 ? "+" : "", rarity_known ? "rare " : ""),
        fmt::format(">= {}", high ? c.fan_out_high : c.fan_out), "",
        "one process talking to many addresses" + std::string(rarity_known ? " no other host talks to" : "") +
            ": scanning, botnet or proxyware");
    active = true;
  }

  // Probing: most of those rare addresses got one or two tiny exchanges (a scan or a worm
  // spreading), not conversations (proxyware relays real traffic).
  if (distinct >= c.fan_out) {
    size_t probes = 0, rare = 0;
    std::vector<size_t> probed;  // a few of them, named in the finding (evidence_dests.h)
    for (size_t i = 0; i < a.dests.size(); ++i) {
      if (rarity_known && prevalence[i] > std::max<uint32_t>(c.rare_max_hosts, 2)) continue;
      ++rare;
      const DestActivity& d = a.dests[i];
      if (d.sessions <= 2 && d.bytes_out + d.bytes_in < 2'000 && ++probes <= kEvidenceDests) probed.push_back(i);
    }
    if (probes >= c.fan_out && static_cast<double>(probes) >= 0.8 * static_cast<double>(rare)) {
      add(f, "scan_pattern", 15, fmt::format("{} of {} destinations probed", probes, rare), fmt::format(">= {} and >= 80%", c.fan_out), "",
          "one or two tiny exchanges per address: scanning or worm-like spreading (T1046)");
      active = true;
      add_evidence_dests(sc, a, probed, prevalence, "scan_pattern", f);
    }
    active |= score_relay_pattern(sc, a, prevalence, f);
  }
  score_proxy_bypass(sc, a, f);
  score_user_mismatch(sc, a, f);
  // A rare top destination counts in full once any activity factor fired (fan-out, scans and
  // relaying are scored after it).
  if (active)
    for (auto& x : f.factors)
      if (x.name == "rare_destination") x.contribution = std::max(x.contribution, 10.0);

  // --- Volume against the baseline of the same executable ----------------------------
  if (a.proc != kNoProc && out >= c.volume_notable && !a.volume_mostly_unknown()) {
    const Process& p = sc.pipe.processes().get(a.proc);
    const std::string name = image_basename(p.image);
    const std::string role_key = Baselines::volume_key_role(f.host_role, name);
    const std::string name_key = Baselines::volume_key_name(name);
    for (const std::string* key : {&role_key, &name_key}) {
      auto it = sc.base.volume.find(*key);
      if (it == sc.base.volume.end()) continue;
      // Leave this process out of its own baseline (the input's baseline includes it): with few
      // samples, an outlier would otherwise be its own p95.
      LogHist h = it->second;
      auto& own = h.b[static_cast<size_t>(LogHist::bucket(out))];
      if (own > 0 && h.n > 0) --own, --h.n;
      if (h.n < c.baseline_min_samples) continue;
      const uint64_t med = h.quantile(0.5), p95 = h.quantile(0.95);
      const std::string scope = key == &role_key ? "on " + f.host_role + " hosts" : "across the organisation";
      if (static_cast<double>(out) > c.baseline_factor * static_cast<double>(std::max<uint64_t>(med, 1)) && out > p95) {
        add(f, "volume_vs_baseline", 10 * vm, human_bytes(out), fmt::format("> {}x median and > p95", c.baseline_factor),
            fmt::format("{}: median {}, p95 {} over {} other processes", name, human_bytes(med), human_bytes(p95), h.n),
            "far more than " + name + " usually sends " + scope);
        active = true;
      }
      break;  // the most specific baseline with enough samples decides
    }
  }
  active |= score_app_evidence(sc, a, f);  // HTTP uploads, user agents, files, DNS (app_factors.h)
  active |= score_threat_intel(sc, a, f);  // feeds: threat_intel, trusted_site_abuse, popular (threat_intel.h)
  return active;
}

void score_context(const ScoreContext& sc, const Process& p, Finding& f) {
  const DetectConfig& c = sc.cfg;
  const std::string name = image_basename(p.image);
  const ToolClass tool = classify_tool(name);

  if (is_non_interactive(f.user_class) && !sc.rules.expected_system_context(f.image_canon)) {
    add(f, "service_context", 10, p.user + " (" + user_class_name(f.user_class) + ")", "", "",
        "a non-interactive account runs " + name + ", which is not a system service in its home folder");
  }
  if (!p.user.empty()) {
    const char* cls = user_class_name(f.user_class);
    auto tot = sc.base.image_total.find(name);
    auto mine = sc.base.image_user.find(Baselines::key2(name, cls));
    const uint64_t n = tot == sc.base.image_total.end() ? 0 : tot->second;
    const uint64_t k = mine == sc.base.image_user.end() ? 0 : mine->second;
    // Others ran it often enough to know, and this kind of account runs it in at most 5% of the
    // instances, or just this once.
    if (n - std::min(n, k) >= c.baseline_min_samples && static_cast<double>(k) <= std::max(1.0, 0.05 * static_cast<double>(n))) {
      add(f, "unusual_user", 6, p.user + " (" + cls + ")", "<= 5% of instances (or once)",
          fmt::format("{} ran as {} accounts {} of {} times", name, cls, k, n), "this kind of account rarely runs " + name);
    }
  }
  if (f.path_class == PathClass::user_writable) {
    add(f, "user_writable_path", 10, p.image, "", "", "runs from a folder any user can write to");
    if (p.integrity_level == "High" || p.integrity_level == "System")
      add(f, "elevated_from_writable", 4, p.integrity_level, "", "", "elevated integrity from a user-writable folder");
  }
  std::string home;
  if (system_name_outside_home(f.image_canon, &home)) {
    add(f, "masquerade", 25, p.image, "", "expected in " + home, name + " outside its home folder (T1036.005)");
  }
  if (!p.original_file_name.empty() && p.original_file_name != "-" && !p.image.empty() &&
      program_stem(p.original_file_name) != program_stem(name)) {
    const ToolClass orig = classify_tool(ascii_lower(p.original_file_name));
    add(f, "renamed_binary", orig != ToolClass::none ? 20 : 6, name, "", "OriginalFileName " + p.original_file_name,
        "the executable was renamed from " + p.original_file_name);
  }
  const std::string owner = profile_owner(f.image_canon);
  if (!owner.empty() && !p.user.empty() && !profile_belongs_to(owner, p.user)) {
    add(f, "other_users_profile", 8, p.image, "", "user " + p.user, "runs from " + owner + "'s profile as " + p.user);
  }
  if (tool == ToolClass::transfer_tool) {
    add(f, "transfer_tool", 12, name, "", "", name + " is a file-transfer tool (rclone, curl, ...)");
  } else if (tool == ToolClass::script_host || tool == ToolClass::lolbin) {
    add(f, "dual_use_tool", 10, name, "", "", name + " is a " + tool_class_name(tool) + " that made network connections");
  } else if (tool == ToolClass::no_network) {
    add(f, "unexpected_network_process", 15, name, "", "does not use the network",
        name + " has no reason to make network connections: injected code or a hollowed process");
  }

  // Lineage: a network-active tool whose ancestors include an office or server application
  // (winword -> powershell, tomcat -> powershell, sqlservr -> cmd -> curl).
  const auto chain = sc.pipe.processes().lineage(f.proc);
  if (chain.size() >= 2) {
    const Process& parent = sc.pipe.processes().get(chain[chain.size() - 2]);
    const std::string pname = image_basename(parent.image);
    for (size_t i = chain.size() - 1; i-- > 0 && chain.size() - 1 - i <= 4;) {
      const Process& anc = sc.pipe.processes().get(chain[i]);
      const ToolClass ac = classify_tool(image_basename(anc.image));
      const bool child_tool = tool == ToolClass::script_host || tool == ToolClass::lolbin || tool == ToolClass::transfer_tool;
      if ((ac == ToolClass::office || ac == ToolClass::server_app) && child_tool) {
        std::string path;
        for (size_t j = i; j < chain.size(); ++j)
          path += (j > i ? " -> " : "") + image_basename(sc.pipe.processes().get(chain[j]).image);
        add(f, "suspicious_lineage", 20, path, "", "",
            std::string(ac == ToolClass::office ? "an office application" : "a server application") + " (" +
                image_basename(anc.image) + ", " + (anc.user.empty() ? "user unknown" : anc.user) + ") started " + name +
                ", which moved data");
        break;
      }
    }
    // A service started by the service manager is as rare as the software installed; that is
    // not this analytic's question.
    if (!pname.empty() && sc.org_hosts >= c.rarity_min_hosts && !sc.rules.expected_system_context(f.image_canon)) {
      auto it = sc.base.pairs.find(Baselines::key2(pname, name));
      const uint32_t hosts = it == sc.base.pairs.end() ? 0 : it->second.hosts;
      if (hosts <= c.rare_max_hosts)
        add(f, "rare_parent", 6, pname + " -> " + name, fmt::format("<= {} host(s)", c.rare_max_hosts),
            fmt::format("seen on {} of {} hosts", hosts, sc.org_hosts), "this parent rarely starts this child");
    }
  }
  if (f.invoked_children > 0 && f.invoked_out >= c.volume_notable) {
    add(f, "invoked_volume", f.rollup_only ? std::min(20.0, 6 + 2.0 * f.invoked_children) : 0, human_bytes(f.invoked_out), "", "",
        fmt::format("{} child process(es) started by {} sent {} in all", f.invoked_children, name, human_bytes(f.invoked_out)));
  }
}

void assign_techniques(const ScoreContext& sc, const ProcessActivity& a, Finding& f) {
  f.techniques = {"T1496.002"};
  auto has = [&](std::string_view n) {
    return std::any_of(f.factors.begin(), f.factors.end(), [&](const Factor& x) { return x.name == n && x.contribution > 0; });
  };
  if (f.dests.empty()) return;
  const DestActivity& top = a.dests[f.dests[0].index];
  const bool upload = a.bytes_out >= sc.cfg.volume_notable;
  if (has("repeated_connections") || has("beacon")) {
    // Small, regular uploads over hours: data transfer size limits (T1030); otherwise a C2
    // channel that also carried data out (T1041).
    for (const auto& s : f.dests) {
      const DestActivity& d = a.dests[s.index];
      if (d.sessions < sc.cfg.beacon_min_sessions) continue;
      const double n = d.sessions, mean = d.out_sum / n;
      const double var = std::max(0.0, d.out_sq / n - mean * mean);
      if (mean > 0 && mean < 1e6 && std::sqrt(var) / mean < 0.5 && d.bytes_out >= 100'000) {
        f.techniques.push_back("T1030");
        break;
      }
    }
    if (a.bytes_out >= 100'000 || a.bytes_out > a.bytes_in) f.techniques.push_back("T1041");
  }
  if (has("direct_dns") || (upload && !is_web(top))) f.techniques.push_back("T1048");
  if (has("scan_pattern")) f.techniques.push_back("T1046");
  if (upload && is_web(top) && !top.domain.empty()) f.techniques.push_back("T1567");
  add_app_techniques(f);
  assign_pair_techniques(a, f);
}

}  // namespace outflow
