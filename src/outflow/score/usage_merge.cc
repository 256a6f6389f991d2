// SRUM findings and the hunt's process findings together (score/usage_findings.h): folding a
// SRUM finding into the process finding of the same process, deferring to the sensor's verdict
// on its processes, the destinations a sensor saw for them, and one ranked list.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

#include "outflow/lineage/host_registry.h"
#include "outflow/score/hunter.h"
#include "outflow/score/usage_findings.h"

namespace outflow {

namespace {

// The finding ids of the processes a usage finding names: its one process, or every candidate
// of its busiest intervals (empty when one has no ProcessGuid, or there is none).
std::vector<std::string> process_ids(const UsageFinding& u) {
  std::vector<std::string> ids;
  if (u.entity == "process") return {u.finding_id};
  for (const auto& iv : u.intervals)
    for (const auto& p : iv.processes) {
      if (p.entity_id.empty()) return {};
      ids.push_back(process_finding_id(u.u.host, p.entity_id));
    }
  return ids;
}

// The destinations the sensor saw for `u`'s processes, else its host's unattributed traffic in its hours.
void attach_sensor_dests(const HuntResult& r, UsageFinding& u) {
  std::map<std::string, SensorDest> by;
  for (const auto& id : process_ids(u))
    if (const auto j = r.judged.find(id); j != r.judged.end())
      for (const auto& d : j->second.dests) {
        SensorDest& x = by[d.label];
        x.label = d.label;
        x.bytes_out += d.bytes_out;
        x.bytes_unknown |= d.bytes_unknown;
      }
  if (!by.empty()) u.sensor_dests.clear();  // the flow sensor's, with bytes, over the connection events'
  if (by.empty() && u.sensor_dests.empty() && !u.u.host.empty())
    if (const auto j = r.judged.find("host:" + HostRegistry::canonical(u.u.host)); j != r.judged.end()) {
      constexpr TimeNs kSlack = 3600 * kNsPerSec;
      for (const auto& d : j->second.dests) {
        const bool overlaps = std::any_of(u.intervals.begin(), u.intervals.end(), [&](const UsageInterval& iv) {
          return d.first != kNoTime && iv.start != kNoTime && d.first <= iv.end + kSlack && (d.last == kNoTime ? d.first : d.last) >= iv.start - kSlack;
        });
        if (!overlaps) continue;
        SensorDest& x = by[d.label];
        x.label = d.label;
        x.bytes_out += d.bytes_out;
        x.bytes_unknown |= d.bytes_unknown;
        x.from_host = true;
      }
      if (!by.empty())
        u.caveats.push_back("the destinations listed are its host's traffic that no process was named for, in the same hours (+-1 h): "
                            "any program's, not proven this one's");
    }
  for (auto& [k, d] : by) u.sensor_dests.push_back(std::move(d));
  std::stable_sort(u.sensor_dests.begin(), u.sensor_dests.end(), [](const SensorDest& a, const SensorDest& b) { return a.bytes_out > b.bytes_out; });
  if (u.sensor_dests.size() > 5) u.sensor_dests.resize(5);
}

}  // namespace

MergeCounts merge_usage_findings(HuntResult& r, std::vector<UsageFinding>& usage) {
  std::map<std::string, Finding*> by_id;
  for (auto& f : r.findings)
    if (f.proc != kNoProc) by_id.emplace(f.finding_id, &f);
  MergeCounts counts;
  for (auto& u : usage) {
    const auto it = u.entity == "process" ? by_id.find(u.finding_id) : by_id.end();
    if (it == by_id.end()) {
      attach_sensor_dests(r, u);
      // Not kept by the hunt: what did the sensor make of its processes?
      const std::vector<std::string> ids = process_ids(u);
      bool all = !ids.empty(), all_suppressed = true, any_reported = false, bytes_seen = true;
      std::string rule;
      for (const auto& id : ids) {
        const auto j = r.judged.find(id);
        if (j == r.judged.end() || by_id.count(id)) {
          all = false;
          break;
        }
        if (j->second.suppressed_by.empty()) all_suppressed = false;
        else if (rule.empty()) rule = j->second.suppressed_by;
        any_reported |= j->second.reported;
        bytes_seen &= j->second.volume_known;
      }
      if (!all || !u.suppressed_by.empty()) continue;
      if (all_suppressed) {
        u.suppressed_by = rule;
        u.caveats.push_back("the sensor's finding of " + std::string(ids.size() == 1 ? "this process" : "these processes") +
                            " (its destinations seen) is suppressed by exclusion '" + rule + "'");
        ++counts.suppressed;
      } else if (!any_reported && bytes_seen) {
        u.below_by_sensor = true;
        ++counts.below;
      }
      continue;
    }
    Finding& f = *it->second;
    const bool sensor_volume = std::any_of(f.factors.begin(), f.factors.end(), [](const Factor& x) { return x.name == "volume_out"; });
    const bool unknown = f.act && f.act->volume_unknown();
    // SRUM's figure counts where the sensor's could not (unknown, or no flow sensor at all).
    const double pts = sensor_volume && !unknown ? 0 : u.volume_points;
    const uint64_t peak = u.u.peaks.empty() ? 0 : u.u.peaks.front().sent;
    f.factors.push_back(Factor{"srum_upload", fmt::format("{} sent, {} received", human_bytes(u.u.sent), human_bytes(u.u.recvd)), "",
                               fmt::format("busiest interval {}", human_bytes(peak)),
                               fmt::format("SRUM (the host's own count) over {} interval(s) of {}{}", u.u.intervals, u.u.program,
                                           pts > 0 ? ": the upload the sensor could not see" : ""),
                               pts});
    if (pts > 0) {
      double sum = 0;
      for (const auto& x : f.factors) sum += x.contribution;
      f.score = std::min(100.0, std::round(std::min(100.0, sum) * f.criticality * 10) / 10);
      f.severity = severity_for(f.score);
    }
    std::stable_sort(f.factors.begin(), f.factors.end(), [](const Factor& x, const Factor& y) { return x.contribution > y.contribution; });
    if (unknown)
      f.caveats.push_back(fmt::format("the sensor did not see this process's bytes out; SRUM counted {} sent by {} (per interval, "
                                      "not per session)", human_bytes(u.u.sent), u.u.program));
    u.folded_into = f.finding_id;
    ++counts.folded;
  }
  return counts;
}

std::vector<RankedRef> rank_together(HuntResult& r, std::vector<UsageFinding>& usage, double min_score, size_t& reported) {
  std::vector<RankedRef> order;
  for (size_t i = 0; i < r.findings.size(); ++i) order.push_back({false, i});
  for (size_t i = 0; i < usage.size(); ++i)
    if (usage[i].folded_into.empty() && !usage[i].below_by_sensor) order.push_back({true, i});
  const auto score = [&](const RankedRef& x) { return x.usage ? usage[x.index].score : r.findings[x.index].score; };
  const auto intel = [&](const RankedRef& x) { return !x.usage && r.findings[x.index].intel_malicious; };
  const auto out = [&](const RankedRef& x) {
    return x.usage ? usage[x.index].u.sent : r.findings[x.index].act ? r.findings[x.index].act->bytes_out : 0;
  };
  std::stable_sort(order.begin(), order.end(), [&](const RankedRef& a, const RankedRef& b) {
    if (score(a) != score(b)) return score(a) > score(b);
    if (intel(a) != intel(b)) return intel(a);
    return out(a) > out(b);
  });
  int rank = 0;
  for (const auto& x : order) {
    if (x.usage) {
      UsageFinding& u = usage[x.index];
      u.rank = u.suppressed_by.empty() && u.score >= min_score ? ++rank : 0;
    } else {
      Finding& f = r.findings[x.index];
      f.rank = f.suppressed_by.empty() && (f.score >= min_score || f.intel_malicious) ? ++rank : 0;
    }
  }
  reported = static_cast<size_t>(rank);
  return order;
}

}  // namespace outflow
