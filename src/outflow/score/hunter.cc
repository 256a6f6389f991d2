#include "outflow/score/hunter.h"

#include <algorithm>
#include <memory>
#include <fmt/format.h>
#include <unordered_map>

#include "outflow/score/factors.h"
#include "outflow/score/flow_host_role.h"
#include "outflow/score/host_baseline.h"
#include "outflow/score/retire.h"
#include "outflow/score/usage_findings.h"

namespace outflow {

std::string human_bytes(uint64_t b) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB", "PB"};
  double v = static_cast<double>(b);
  int u = 0;
  while (v >= 1000 && u < 5) v /= 1000, ++u;
  return u == 0 ? fmt::format("{} B", b) : fmt::format("{:.1f} {}", v, units[u]);
}

std::string human_duration(TimeNs d) {
  if (d < 0) d = 0;
  const int64_t s = d / kNsPerSec;
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m {}s", s / 60, s % 60);
  if (s < 86400) return fmt::format("{}h {}m", s / 3600, (s % 3600) / 60);
  return fmt::format("{}d {}h", s / 86400, (s % 86400) / 3600);
}

std::string entity_host_key(const SessionPipeline& pipe, const ProcessActivity& a) {
  if (a.host != kNoHost) return HostRegistry::canonical(pipe.hosts().display_name(a.host));
  return "ip:" + a.entity_ip.to_string();
}

std::string entity_host_label(const SessionPipeline& pipe, const ProcessActivity& a) {
  return a.host != kNoHost ? pipe.hosts().display_name(a.host) : a.entity_ip.to_string();
}

ActivityAggregator::Options Hunter::aggregator_options(const DetectConfig& c) {
  ActivityAggregator::Options o;
  o.internal = c.internal_networks;
  o.window = c.time_window;
  o.burst_bytes = c.burst_bytes;
  o.burst_within = c.burst_within;
  return o;
}

void Hunter::observe_process(const ProcessTable& procs, const Process& p, const std::string& host_key,
                             const ContextRules& rules, Baselines& b) {
  if (!p.in_use || p.image.empty() || p.host == kNoHost) return;
  const std::string name = image_basename(p.image);
  // Which kinds of account run each executable (classes, not names: every user runs their own
  // Zoom; powershell as SYSTEM where people run it is the oddity).
  if (p.origin == Process::Origin::start_event && !p.user.empty())
    b.add_image_user(name, user_class_name(rules.user_class(p.user)));
  if (p.parent != kNoProc && p.origin == Process::Origin::start_event) {
    const Process& pp = procs.get(p.parent);
    if (!pp.image.empty()) b.add_pair(image_basename(pp.image), name, host_key, p.start);
  }
}

Baselines Hunter::observe(const SessionPipeline& pipe, const ActivityAggregator& agg, const Baselines* forgotten) const {
  ContextRules rules(cfg_);
  Baselines b;
  if (forgotten) b.merge(*forgotten);
  b.runs = 1;
  const auto& procs = pipe.processes();
  const auto& hosts = pipe.hosts();
  std::vector<std::string> host_keys(hosts.size()), host_roles(hosts.size());
  for (HostId h = 0; h < hosts.size(); ++h) {
    host_keys[h] = HostRegistry::canonical(hosts.display_name(h));
    const HostRole* r = rules.host_role(hosts.display_name(h));
    host_roles[h] = r ? r->role : "";
  }
  // Every process: who runs what, and who starts whom.
  for (size_t i = 0; i < procs.size(); ++i) {
    const Process& p = procs.get(static_cast<ProcId>(i));
    if (p.in_use && p.host != kNoHost) observe_process(procs, p, host_keys[p.host], rules, b);
  }
  // Every process that sent traffic (and is not retired yet): its volume and its destinations.
  for (const auto& a : agg.processes()) {
    if (a.empty_slot()) continue;
    if (a.flow_only()) {
      const HostRole* r = flow_host_role(cfg_, rules, pipe, a);
      observe_activity(a, nullptr, entity_host_key(pipe, a), r ? r->role : "", b);
    }
    else observe_activity(a, a.proc != kNoProc ? &procs.get(a.proc) : nullptr, host_keys[a.host], host_roles[a.host], b);
  }
  return b;
}

void Hunter::observe_activity(const ProcessActivity& a, const Process* p, const std::string& host_key,
                              const std::string& host_role, Baselines& b) {
  b.add_host(host_key);
  b.cover(a.first, a.last);
  const std::string user = p ? p->user : "";
  // A volume the sensor mostly did not see is not a sample of what this executable sends.
  if (p && !p->image.empty() && !a.volume_mostly_unknown()) b.add_volume(image_basename(p->image), host_role, user, a.bytes_out);
  for (const auto& d : a.dests) b.add_dest(destination_key(d), host_key, user, d.first);
  // User agents: how many hosts of the organisation use each (rare_user_agent), kept like a
  // destination so that the state stores them too.
  for (const auto& ua : a.app.agents) b.add_dest(user_agent_key(ua.text), host_key, "", a.first);
  if (a.flow_only()) a.daily.for_each_sample([&](int64_t, uint64_t v) { b.add_host_day(host_key, host_role, v); });
}

namespace {

// Context alone (who runs what from where) stays below the default min_score of 40: without
// traffic worth a look or a suspicious lineage, a SYSTEM process in ProgramData is not a finding.
constexpr double kContextOnlyCap = 35;

// `host`: the host's name, or "ip:<address>" for a flow-only host (`canonical` false: mixed as is).
std::string finding_id(const std::string& host, const Process* p, bool canonical = true) {
  // FNV-1a of host and process identity: stable across runs over the same data.
  uint64_t h = 1469598103934665603ULL;
  auto mixin = [&](std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
    h = (h ^ 0xff) * 1099511628211ULL;
  };
  mixin(canonical ? HostRegistry::canonical(host) : host);
  if (p) {
    mixin(p->guid.empty() ? std::to_string(p->pid) + "@" + std::to_string(p->start) : ascii_lower(p->guid));
  } else {
    mixin("unattributed");
  }
  return fmt::format("{:016x}", h);
}

// What the telemetry could not see about this finding, one sentence each.
void add_caveats(const SessionPipeline& pipe, const ProcessActivity& a, Finding& f) {
  if (a.volume_unknown()) {
    std::string why;
    for (unsigned g = 1; g < 8; ++g)
      if (a.gaps & (1u << g)) why += std::string(why.empty() ? "" : "; ") + volume_gap_reason(static_cast<VolumeGap>(g));
    f.caveats.push_back(fmt::format("upload volume not measured for {} of {} sessions (bytes out shown are a lower bound): {}",
                                    a.sessions_out_unknown, a.sessions, why));
  }
  // Zeek's capture_loss.log: packets the sensor dropped while this entity was active.
  if (const double loss = pipe.stats().max_loss_between(a.first, a.last); loss > 0)
    f.caveats.push_back(fmt::format("the flow sensor reported losing up to {:.2f}% of packets while this was active "
                                    "(Zeek capture_loss.log or Suricata stats): bytes and sessions may be missing",
                                    loss));
  if (a.host != kNoHost && pipe.offsets().connect_clock_unknown(a.host))
    f.caveats.push_back(
        "the clock offset of this host's connection events could not be estimated: its sessions were matched "
        "only within +- --window-unknown-offset, and some may be missing from this finding");
  if (a.flow_only()) {
    f.caveats.push_back(fmt::format(
        "no endpoint telemetry from {}: this is the address's traffic as a whole, no process can be named "
        "(Sysmon 1 and 3 on that host would)", a.entity_ip.to_string()));
  } else if (a.proc == kNoProc) {
    const auto& hosts = pipe.stats().hosts;
    const auto it = hosts.find(a.host);
    const bool connects = it != hosts.end() && (it->second.events.count(3) || it->second.events.count(5156));
    if (!connects)
      f.caveats.push_back("this host logs no connection events (Sysmon 3 / Security 5156): no process can be named for its traffic");
  }
}

}  // namespace

std::string process_finding_id(const std::string& host, const std::string& guid) {
  Process p;
  p.guid = guid;
  return finding_id(host, &p);
}

HuntResult Hunter::run(SessionPipeline& pipe, ActivityAggregator& agg, const Baselines* state, Retirer* retirer) const {
  std::unique_ptr<Retirer> own;
  if (!retirer) {
    own = std::make_unique<Retirer>(cfg_, pipe, agg);
    retirer = own.get();
  }
  retirer->finish();
  HuntResult r;
  r.run = observe(pipe, agg, &retirer->forgotten());
  Baselines combined;
  if (state) combined.merge(*state);
  combined.merge(r.run);
  r.had_state = state && state->runs > 0;
  r.time_window = cfg_.time_window;
  r.org_hosts = static_cast<uint32_t>(combined.hosts.size());
  ContextRules rules(cfg_);
  ScoreContext sc{cfg_, rules, pipe, combined, r.had_state ? state : nullptr, geo_, r.org_hosts, &agg.dns()};
  sc.data_first = agg.first_outbound(), sc.data_last = agg.last_outbound();
  sc.intel = intel_;
  ProcessTable& procs = pipe.mutable_processes();
  const auto proxies = pipe.proxies().list();
  const auto is_proxy = [&proxies](const IpAddr& ip) {
    return std::any_of(proxies.begin(), proxies.end(), [&ip](const auto& p) { return (p.configured || p.detected()) && p.ip == ip; });
  };

  auto make = [&](const ProcessActivity& a, ProcId proc, bool rollup_only, const RetiredRecord& rec) {
    Finding f;
    f.act = &a;
    f.host = a.host;
    f.proc = proc;
    f.rollup_only = rollup_only;
    const std::string host_name = entity_host_label(pipe, a);
    // Roles go by host name; a flow-only host's by address or DHCP name (flow_host_role.h).
    const HostRole* role = a.flow_only() ? flow_host_role(cfg_, rules, pipe, a) : rules.host_role(host_name);
    f.host_role = role ? role->role : "";
    f.criticality = role ? role->criticality : 1.0;
    const Process* p = proc != kNoProc ? &procs.get(proc) : nullptr;
    if (p) {
      f.user_class = rules.user_class(p->user);
      f.image_canon = procs.short_names().expand(p->host, canonical_win_path(p->image, user_profile_dir(p->user)));
      f.path_class = classify_path(f.image_canon);
      f.invoked_out = rec.invoked_out, f.invoked_children = rec.invoked_children;
    }
    bool active = score_activity(sc, a, f);
    if (a.flow_only()) active = score_host_baseline(sc, a, f, active);
    if (p) score_context(sc, *p, f);
    if (a.flow_only()) {
      f.factors.push_back(Factor{"unattributed", "no monitored host", "", "",
                                 "no endpoint telemetry covers this address: the host's traffic as a whole (see `outflow coverage`)", 0});
    } else if (!p) {
      f.factors.push_back(Factor{"unattributed", a.sessions_inferred ? "partly" : "no process", "", "",
                                 "no endpoint event names the process behind this traffic (see `outflow coverage`)", 0});
    }
    double sum = 0;
    for (const auto& x : f.factors) sum += x.contribution;
    // Context (who, from where) raises a finding only with activity or a suspicious lineage.
    const bool lineage = std::any_of(f.factors.begin(), f.factors.end(), [](const Factor& x) {
      return x.name == "suspicious_lineage" || x.name == "masquerade" || x.name == "invoked_volume";
    });
    if (!active && !lineage) sum = std::min(sum, kContextOnlyCap);
    f.score = std::min(100.0, std::round(std::min(100.0, sum) * f.criticality * 10) / 10);
    f.severity = severity_for(f.score);
    std::stable_sort(f.factors.begin(), f.factors.end(),
                     [](const Factor& x, const Factor& y) { return x.contribution > y.contribution; });
    assign_techniques(sc, a, f);
    bool by_name = false;
    const DestActivity* top = f.dests.empty() ? nullptr : &a.dests[f.dests[0].index];
    if (const ExclusionRule* rule = rules.excluded_by(p, f.image_canon, top, &by_name)) {
      f.suppressed_by = rule->name;
      f.suppressed_category = rule->category;
    } else if (by_name) {
      f.suppressed_by = "process_name_exclusions";
      f.suppressed_category = "ProcessName";
    }
    f.finding_id = a.flow_only() ? finding_id(entity_host_key(pipe, a), p, false) : finding_id(host_name, p);
    add_caveats(pipe, a, f);
    return f;
  };

  // Puts a record's lineage back into the process table; returns the process (kNoProc if none).
  std::vector<ProcId> restored;
  auto restore = [&](const RetiredRecord& rec) {
    restored.clear();
    ProcId parent = kNoProc;
    for (const Process& c : rec.chain) restored.push_back(parent = procs.restore(c, parent));
    return parent;
  };
  // Counts every candidate; keeps the finding (and its activity and lineage) if it is reported,
  // suppressed (and those are kept), or all are kept; otherwise gives the lineage back.
  auto settle = [&](Finding&& f, ProcessActivity&& a) {
    ++r.candidates;
    const bool suppressed = !f.suppressed_by.empty();
    // A malicious intel match is reported whatever its score (the user gave the feed to see every hit).
    const bool reported = !suppressed && (f.score >= cfg_.min_score || f.intel_malicious);
    if (f.intel_malicious && suppressed) ++r.intel_suppressed;
    if (f.intel_malicious && reported && f.score < cfg_.min_score) ++r.intel_below_score;
    if (suppressed) ++r.suppressed;
    else if (!reported) ++r.below_threshold;
    else ++r.reported;
    if (record_judged_) {
      HuntResult::Judged j{f.suppressed_by, reported, !a.volume_unknown(), {}};
      for (size_t k = 0; k < f.dests.size() && j.dests.size() < 3; ++k) {
        const DestActivity& d = a.dests[f.dests[k].index];
        j.dests.push_back({(d.domain.empty() ? d.ip.to_string() : d.domain) + ":" + std::to_string(d.port), d.first, d.last,
                           d.bytes_out, d.sessions_out_unknown > 0});
      }
      if (f.proc != kNoProc) {
        r.judged[f.finding_id] = std::move(j);
      } else {
        const std::string name = a.flow_only() ? pipe.index().name_of(a.entity_ip, kNoHost, IpAddr{}, a.first)
                                               : pipe.hosts().display_name(a.host);
        if (!name.empty()) r.judged["host:" + HostRegistry::canonical(name)] = std::move(j);
      }
    }
    if (reported || (suppressed && keep_suppressed_) || keep_all_) {
      if (!reported && !keep_all_) {
        f.factors = {};  // kept to be listed, not explained
        f.dests.resize(std::min<size_t>(f.dests.size(), 1));
      }
      r.activities.push_back(std::move(a));
      f.act = &r.activities.back();
      r.findings.push_back(std::move(f));
    } else {
      for (ProcId id : restored) procs.release(id);
    }
  };

  // Roll-up parents (retired as candidates): their descendants' activity merged, so that
  // winword -> (several powershell) is seen as one chain.
  std::unordered_map<uint64_t, ProcessActivity> rollup;
  RetiredRecord rec;
  retirer->rewind();
  while (retirer->next(rec, true))
    if (rec.rollup && !rec.chain.empty()) rollup.try_emplace(rec.chain.back().serial);
  retirer->rewind();
  while (retirer->next(rec)) {
    if (rec.rollup) continue;
    ProcessActivity& a = rec.act;
    if (!rollup.empty() && rec.chain.size() >= 2) {
      for (size_t i = 0; i + 1 < rec.chain.size(); ++i) {
        auto it = rollup.find(rec.chain[i].serial);
        if (it != rollup.end() && rec.chain[i].host == a.host) merge_activity(it->second, a);
      }
    }
    if (a.empty_slot() || a.dests.empty()) continue;
    if (a.flow_only() && is_proxy(a.entity_ip)) {
      // The proxy's own connections to the Internet carry its clients' transfers, which are
      // findings of their own (to the host each request named): not counted twice.
      ++r.proxy_egress.proxies;
      r.proxy_egress.sessions += a.sessions;
      r.proxy_egress.bytes_out += a.bytes_out;
      continue;
    }
    const ProcId proc = restore(rec);
    a.proc = proc;  // the activity names its process by id: the restored one
    Finding f = make(a, proc, false, rec);
    settle(std::move(f), std::move(a));
  }
  retirer->rewind();
  while (retirer->next(rec, true)) {
    if (!rec.rollup || rec.chain.empty()) continue;
    auto it = rollup.find(rec.chain.back().serial);
    if (it == rollup.end() || it->second.dests.empty()) continue;
    ProcessActivity merged = std::move(it->second);
    rollup.erase(it);
    const ProcId proc = restore(rec);
    merged.host = rec.chain.back().host;
    merged.proc = proc;
    Finding f = make(merged, proc, true, rec);
    settle(std::move(f), std::move(merged));
  }
  r.error = retirer->error();

  std::sort(r.findings.begin(), r.findings.end(), [&](const Finding& x, const Finding& y) {
    if (x.score != y.score) return x.score > y.score;
    // Scores are capped at 100: among equals, a destination a malicious feed names (the user's
    // own indicator) comes first, so that it is its host's first finding (issue 17).
    if (x.intel_malicious != y.intel_malicious) return x.intel_malicious;
    if (x.act->bytes_out != y.act->bytes_out) return x.act->bytes_out > y.act->bytes_out;
    if (x.finding_id != y.finding_id) return x.finding_id < y.finding_id;
    return x.rollup_only < y.rollup_only;
  });
  int rank = 0;
  for (auto& f : r.findings)
    if (f.suppressed_by.empty() && (f.score >= cfg_.min_score || f.intel_malicious)) f.rank = ++rank;
  return r;
}

}  // namespace outflow
