#include "outflow/eval/evaluate.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <set>

#include "outflow/write/json_out.h"
#include "outflow/write/terminal.h"

namespace outflow::eval {

namespace {

bool overlaps(TimeNs a0, TimeNs a1, TimeNs b0, TimeNs b1) {
  if (a0 == kNoTime || b0 == kNoTime) return false;
  if (a1 == kNoTime) a1 = a0;
  if (b1 == kNoTime) b1 = b0;
  return a0 <= b1 && b0 <= a1;
}

bool contains(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

// `host`: the finding's finding_host_key().
bool matches(const Finding& f, const std::string& host, const LabelledInstance& l) {
  if (host.empty() || host != host_key(l.host)) return false;
  if (f.entity == Entity::process && !f.guid.empty()) return contains(l.guids, f.guid);
  for (const auto& g : f.candidate_guids)
    if (contains(l.guids, g)) return true;
  if (!overlaps(f.start, f.end, l.start, l.end)) return false;
  for (const auto& d : f.destinations)
    if (contains(l.destinations, d)) return true;
  return false;
}

void finish(Score& s) {
  s.recall = s.instances ? static_cast<double>(s.found) / static_cast<double>(s.instances) : 0.0;
  if (s.findings + s.false_findings)
    s.precision = static_cast<double>(s.findings) / static_cast<double>(s.findings + s.false_findings);
  const double p = s.precision.value_or(0);
  s.f1 = p + s.recall > 0 ? 2 * p * s.recall / (p + s.recall) : 0.0;
}

}  // namespace

Evaluation evaluate(const Labels& labels, const std::vector<Finding>& all, double host_days) {
  Evaluation e;
  e.total_findings = all.size();
  e.host_days = host_days > 0 ? host_days : static_cast<double>(labels.hosts * labels.days);
  // Duplicates: the same finding id again (keep the better ranked).
  std::vector<const Finding*> findings;
  {
    std::vector<const Finding*> by_rank;
    for (const auto& f : all) by_rank.push_back(&f);
    std::stable_sort(by_rank.begin(), by_rank.end(), [](const Finding* a, const Finding* b) { return a->rank < b->rank; });
    std::set<std::string> seen;
    for (const Finding* f : by_rank) {
      if (seen.insert(f->id).second) findings.push_back(f);
      else ++e.duplicates;
    }
  }
  const auto& inst = labels.instances;
  std::vector<bool> found(inst.size(), false), as_process(inst.size(), false), as_host(inst.size(), false);
  std::vector<bool> with_intel(inst.size(), false);
  for (const auto& l : inst) ++e.scenarios[l.scenario].instances;
  for (const Finding* f : findings) {
    const std::string host = finding_host_key(labels, *f);
    std::set<std::string> matched_scenarios;
    for (size_t i = 0; i < inst.size(); ++i) {
      if (!matches(*f, host, inst[i])) continue;
      found[i] = true;
      (f->entity == Entity::host ? as_host : as_process)[i] = true;
      if (f->intel) with_intel[i] = true;
      matched_scenarios.insert(inst[i].scenario);
    }
    for (const auto& name : matched_scenarios) {
      Score& s = e.scenarios[name];
      ++s.findings;
      if (!s.first_rank || f->rank < *s.first_rank) s.first_rank = f->rank;
    }
    if (!matched_scenarios.empty()) {
      ++e.overall.findings;
      if (!e.overall.first_rank || f->rank < *e.overall.first_rank) e.overall.first_rank = f->rank;
      continue;
    }
    ++e.overall.false_findings;
    e.false_findings.push_back(f);
    // A false finding near a scenario (its host, during its span) counts against that scenario.
    std::set<std::string> near;
    for (const auto& l : inst)
      if (!host.empty() && host == host_key(l.host) && overlaps(f->start, f->end, l.start, l.end)) near.insert(l.scenario);
    for (const auto& name : near) ++e.scenarios[name].false_findings;
  }
  for (size_t i = 0; i < inst.size(); ++i) {
    if (!found[i]) {
      e.missed.push_back(&inst[i]);
      continue;
    }
    for (Score* s : {&e.scenarios[inst[i].scenario], &e.overall}) {
      ++s->found;
      if (as_process[i]) ++s->found_as_process;
      if (as_host[i]) ++s->found_as_host;
      if (with_intel[i]) ++s->found_with_intel;
    }
  }
  for (const Finding* f : findings) e.intel |= f->intel;
  e.overall.instances = inst.size();
  finish(e.overall);
  for (auto& [name, s] : e.scenarios) finish(s);
  e.false_per_100_host_days =
      e.host_days > 0 ? 100.0 * static_cast<double>(e.overall.false_findings) / e.host_days : 0.0;
  return e;
}

namespace {

std::string ratio(const std::optional<double>& v) { return v ? fmt::format("{:.2f}", *v) : "-"; }

constexpr double kNull = std::numeric_limits<double>::quiet_NaN();  // JsonOut writes NaN as null

void score_json(JsonOut& j, const Score& s) {
  j.dbl("precision", s.precision.value_or(kNull));
  j.dbl("recall", s.recall).dbl("f1", s.f1).unum("instances", s.instances).unum("found", s.found);
  j.unum("found_as_process", s.found_as_process).unum("found_as_host", s.found_as_host);
  j.unum("true_findings", s.findings).unum("false_findings", s.false_findings);
  if (s.first_rank) j.num("first_rank", *s.first_rank);
  else j.dbl("first_rank", kNull);
  j.unum("found_with_intel", s.found_with_intel);
}

}  // namespace

std::string evaluation_text(const Evaluation& e) {
  std::string o = fmt::format("OUTFLOW EVAL  {} findings ({} duplicates ignored), {} labelled instances, {:.0f} host-days\n\n",
                              e.total_findings, e.duplicates, e.overall.instances, e.host_days);
  o += fmt::format("  {:<24} {:>9} {:>5} {:>7} {:>7} {:>6} {:>9} {:>5} {:>6} {:>6} {:>10}\n", "scenario", "instances", "found",
                   "as proc", "as host", "recall", "precision", "f1", "true", "false", "first rank");
  auto row = [&](const std::string& name, const Score& s) {
    o += fmt::format("  {:<24} {:>9} {:>5} {:>7} {:>7} {:>6.2f} {:>9} {:>5.2f} {:>6} {:>6} {:>10}\n", terminal_safe(name),
                     s.instances, s.found, s.found_as_process, s.found_as_host, s.recall, ratio(s.precision), s.f1,
                     s.findings, s.false_findings, s.first_rank ? std::to_string(*s.first_rank) : "-");
  };
  for (const auto& [name, s] : e.scenarios) row(name, s);
  row("overall", e.overall);
  o += fmt::format("\n  false findings per 100 host-days: {:.2f}\n", e.false_per_100_host_days);
  if (e.intel) {  // hunt --intel: which scenarios' findings carried the feed's match
    o += "  threat-intel match on the finding (found with a match / found):";
    for (const auto& [name, s] : e.scenarios) o += fmt::format(" {} {}/{};", terminal_safe(name), s.found_with_intel, s.found);
    o += "\n";
  }
  o += "  (per scenario, \"false\" counts unmatched findings on its hosts during its span; \"as proc\" / \"as host\"\n"
       "   count the instances found by a process / a host finding, one found both ways in both)\n";
  if (!e.missed.empty()) {
    o += "\nMISSED\n";
    for (const auto* l : e.missed)
      o += fmt::format("  {:<24} {:<12} {} .. {}\n", terminal_safe(l->scenario), terminal_safe(l->host),
                       l->start == kNoTime ? "?" : format_time(l->start), l->end == kNoTime ? "?" : format_time(l->end));
  }
  if (!e.false_findings.empty()) {
    o += "\nFALSE FINDINGS (best ranked first)\n";
    size_t n = 0;
    for (const auto* f : e.false_findings) {
      if (++n > 20) {
        o += fmt::format("  ... and {} more\n", e.false_findings.size() - 20);
        break;
      }
      const std::string& host = f->host.empty() && !f->host_ips.empty() ? f->host_ips.front() : f->host;
      o += fmt::format("  #{:<5} {:<24} {}\n", f->rank, terminal_safe(host),
                       terminal_safe(f->entity == Entity::host ? "(host)"
                                     : f->process.empty()      ? "(unknown process)"
                                                               : f->process));
    }
  }
  return o;
}

std::string evaluation_json(const Evaluation& e) {
  std::string s;
  JsonOut j(s);
  j.begin_object();
  score_json(j, e.overall);
  j.dbl("false_per_100_host_days", e.false_per_100_host_days).dbl("host_days", e.host_days);
  j.unum("findings", e.total_findings).unum("duplicates", e.duplicates);
  j.begin_object("scenarios");
  for (const auto& [name, sc] : e.scenarios) {
    j.begin_object(name);
    score_json(j, sc);
    j.end_object();
  }
  j.end_object();
  j.begin_array("missed");
  for (const auto* l : e.missed) j.begin_object().str("scenario", l->scenario).str("host", l->host).end_object();
  j.end_array();
  j.end_object();
  s += '\n';
  return s;
}

}  // namespace outflow::eval
