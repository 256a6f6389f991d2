#include "outflow/score/hunter.h"

#include <algorithm>
#include <fmt/format.h>
#include <unordered_map>

#include "outflow/score/factors.h"

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

ActivityAggregator::Options Hunter::aggregator_options(const DetectConfig& c) {
  ActivityAggregator::Options o;
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
  // Every process that sent traffic: its volume and its destinations.
  for (const auto& a : agg.processes()) {
    if (a.host == kNoHost) continue;
    b.add_host(host_keys[a.host]);
    b.cover(a.first, a.last);
    const Process* p = a.proc != kNoProc ? &procs.get(a.proc) : nullptr;
    const std::string user = p ? p->user : "";
    if (p && !p->image.empty()) b.add_volume(image_basename(p->image), host_roles[a.host], user, a.bytes_out);
    for (const auto& d : a.dests) b.add_dest(destination_key(d), host_keys[a.host], user, d.first);
  }
  return b;
}

namespace {

// Context alone (who runs what from where) stays below the default min_score of 40: without
// traffic worth a look or a suspicious lineage, a SYSTEM process in ProgramData is not a finding.
constexpr double kContextOnlyCap = 35;

std::string finding_id(const std::string& host, const Process* p) {
  // FNV-1a of host and process identity: stable across runs over the same data.
  uint64_t h = 1469598103934665603ULL;
  auto mixin = [&](std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
    h = (h ^ 0xff) * 1099511628211ULL;
  };
  mixin(HostRegistry::canonical(host));
  if (p) {
    mixin(p->guid.empty() ? std::to_string(p->pid) + "@" + std::to_string(p->start) : ascii_lower(p->guid));
  } else {
    mixin("unattributed");
  }
  return fmt::format("{:016x}", h);
}

}  // namespace

HuntResult Hunter::run(const SessionPipeline& pipe, const ActivityAggregator& agg, const Baselines* state,
                       const Baselines* forgotten) const {
  HuntResult r;
  r.run = observe(pipe, agg, forgotten);
  Baselines combined;
  if (state) combined.merge(*state);
  combined.merge(r.run);
  r.had_state = state && state->runs > 0;
  r.org_hosts = static_cast<uint32_t>(combined.hosts.size());
  ContextRules rules(cfg_);
  ScoreContext sc{cfg_, rules, pipe, combined, r.had_state ? state : nullptr, geo_, r.org_hosts};
  const auto& procs = pipe.processes();

  // Lineage roll-up: each ancestor of a process that sent traffic is credited with its volume.
  struct Invoked {
    uint64_t out = 0;
    uint32_t children = 0;
  };
  std::unordered_map<ProcId, Invoked> invoked;
  std::unordered_map<ProcId, const ProcessActivity*> own;
  for (const auto& a : agg.processes()) {
    if (a.proc == kNoProc) continue;
    own[a.proc] = &a;
    if (a.bytes_out == 0) continue;
    const auto chain = procs.lineage(a.proc);
    for (size_t i = 0; i + 1 < chain.size(); ++i) {
      Invoked& v = invoked[chain[i]];
      v.out += a.bytes_out;
      ++v.children;
    }
  }

  auto make = [&](const ProcessActivity& a, ProcId proc, bool rollup_only) {
    Finding f;
    f.act = &a;
    f.host = a.host;
    f.proc = proc;
    f.rollup_only = rollup_only;
    const std::string& host_name = pipe.hosts().display_name(a.host);
    const HostRole* role = rules.host_role(host_name);
    f.host_role = role ? role->role : "";
    f.criticality = role ? role->criticality : 1.0;
    const Process* p = proc != kNoProc ? &procs.get(proc) : nullptr;
    if (p) {
      f.user_class = rules.user_class(p->user);
      f.path_class = classify_path(p->image);
      if (auto it = invoked.find(proc); it != invoked.end()) f.invoked_out = it->second.out, f.invoked_children = it->second.children;
    }
    const bool active = score_activity(sc, a, f);
    if (p) score_context(sc, *p, f);
    if (!p) {
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
    if (const ExclusionRule* rule = rules.excluded_by(p, top, &by_name)) {
      f.suppressed_by = rule->name;
      f.suppressed_category = rule->category;
    } else if (by_name) {
      f.suppressed_by = "process_name_exclusions";
      f.suppressed_category = "ProcessName";
    }
    f.finding_id = finding_id(host_name, p);
    return f;
  };

  for (const auto& a : agg.processes()) {
    if (a.host == kNoHost || a.dests.empty()) continue;
    Finding f = make(a, a.proc, false);
    // Most candidates score below the threshold: keep their score, not their explanation
    // (memory is then per reported finding, not per process that sent a packet).
    if (!keep_all_ && f.score < cfg_.min_score && f.suppressed_by.empty()) {
      f.factors = {};
      f.dests.resize(std::min<size_t>(f.dests.size(), 1));
      f.dests.shrink_to_fit();
    }
    r.findings.push_back(std::move(f));
  }
  // Parents without traffic of their own whose children together moved volume: a finding of
  // their own, on the children's traffic merged, so that winword -> (several powershell) is
  // seen as one chain. Only tools, office and server applications: explorer or services start
  // everything.
  std::vector<ProcId> parents;
  for (const auto& [pid, v] : invoked)
    if (!own.count(pid) && v.children >= 2 && v.out >= cfg_.volume_session) parents.push_back(pid);
  std::sort(parents.begin(), parents.end());
  for (ProcId pid : parents) {
    const Process& p = procs.get(pid);
    if (classify_tool(image_basename(p.image)) == ToolClass::none) continue;
    ProcessActivity merged;
    merged.host = p.host;
    merged.proc = pid;
    for (const auto& a : agg.processes()) {
      if (a.proc == kNoProc || a.host != p.host || a.proc == pid) continue;
      const auto chain = procs.lineage(a.proc);
      if (std::find(chain.begin(), chain.end(), pid) != chain.end()) merge_activity(merged, a);
    }
    r.rollups.push_back(std::move(merged));
    r.findings.push_back(make(r.rollups.back(), pid, true));
  }

  std::sort(r.findings.begin(), r.findings.end(), [&](const Finding& x, const Finding& y) {
    if (x.score != y.score) return x.score > y.score;
    if (x.act->bytes_out != y.act->bytes_out) return x.act->bytes_out > y.act->bytes_out;
    if (x.finding_id != y.finding_id) return x.finding_id < y.finding_id;
    return x.rollup_only < y.rollup_only;
  });
  int rank = 0;
  for (auto& f : r.findings) {
    ++r.candidates;
    if (!f.suppressed_by.empty()) {
      ++r.suppressed;
      continue;
    }
    if (f.score < cfg_.min_score) {
      ++r.below_threshold;
      continue;
    }
    f.rank = ++rank;
    ++r.reported;
  }
  return r;
}

}  // namespace outflow
